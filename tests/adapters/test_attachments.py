"""The attachment stores: the contract on memory and the file system (§3.7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relationship_mgmt.adapters.attachments import (
    FileSystemAttachmentStore,
    InMemoryAttachmentStore,
)
from relationship_mgmt.errors import PersistenceError
from relationship_mgmt.ports import AttachmentStore
from relationship_mgmt.testing.contracts import AttachmentStoreContract


class TestInMemoryAttachmentStore(AttachmentStoreContract):
    @pytest.fixture
    def attachment_store(self) -> AttachmentStore:
        return InMemoryAttachmentStore()


class TestFileSystemAttachmentStore(AttachmentStoreContract):
    @pytest.fixture
    def attachment_store(self, tmp_path: Path) -> AttachmentStore:
        return FileSystemAttachmentStore(tmp_path / "attachments")


def test_two_stores_on_one_folder_never_share_a_number(tmp_path: Path) -> None:
    """A number is claimed by creating its file exclusively."""
    first, second = (FileSystemAttachmentStore(tmp_path) for _ in range(2))
    (tmp_path / "last_no").write_text("0")  # both think the folder is empty
    a = first.put(b"a", file_name="a.txt")
    (tmp_path / "last_no").write_text("0")
    b = second.put(b"b", file_name="b.txt")

    assert (a.no, b.no) == (1, 2)
    assert json.loads((tmp_path / "2.json").read_text())["file_name"] == "b.txt"


def test_unreadable_files_are_persistence_errors(tmp_path: Path) -> None:
    store = FileSystemAttachmentStore(tmp_path)
    store.put(b"a", file_name="a.txt")
    (tmp_path / "1.json").write_text("{not json")

    with pytest.raises(PersistenceError):
        store.get(1)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(PersistenceError):
        FileSystemAttachmentStore(blocker / "sub").put(b"x", file_name="x.txt")
