"""Attachment stores: in memory and on the file system (§3.7, extra-free).

:class:`InMemoryAttachmentStore` keeps contents in a dict (the default of
:class:`~relationship_mgmt.Crm`); :class:`FileSystemAttachmentStore` keeps each
attachment as two files in a folder, BC's *Disk File* storage type (§1.1): the
content as ``<no>.bin`` and its name and media type as ``<no>.json``. Numbers are
claimed with an exclusive create, so two processes sharing the folder never store
under the same number, and the last number handed out is kept in ``last_no``, so a
deleted attachment's number is not used again.

>>> import tempfile
>>> store = FileSystemAttachmentStore(tempfile.mkdtemp())
>>> offer = store.put(b"%PDF-1.7", file_name="offer.pdf", media_type="application/pdf")
>>> (offer.no, store.get(offer.no).content)
(1, b'%PDF-1.7')
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from relationship_mgmt.errors import NotFoundError, PersistenceError
from relationship_mgmt.ports.attachments import Attachment

__all__ = ["FileSystemAttachmentStore", "InMemoryAttachmentStore"]

_KIND = "attachment"


class InMemoryAttachmentStore:
    """:class:`~relationship_mgmt.ports.attachments.AttachmentStore` in a dict.

    >>> store = InMemoryAttachmentStore()
    >>> store.put(b"hello", file_name="note.txt", media_type="text/plain").no
    1
    """

    def __init__(self) -> None:
        self._rows: dict[int, Attachment] = {}
        self._last = 0
        self._lock = threading.Lock()

    def put(
        self,
        content: bytes,
        *,
        file_name: str,
        media_type: str = "application/octet-stream",
    ) -> Attachment:
        """Store a new attachment under the next number."""
        with self._lock:
            attachment = Attachment(
                no=self._last + 1,
                file_name=file_name,
                media_type=media_type,
                content=content,
            )
            self._last = attachment.no
            self._rows[attachment.no] = attachment
        return attachment

    def get(self, no: int) -> Attachment:
        """Return the attachment ``no``."""
        try:
            return self._rows[no]
        except KeyError:
            raise NotFoundError(_KIND, no) from None

    def exists(self, no: int) -> bool:
        """Return whether ``no`` is stored."""
        return no in self._rows

    def delete(self, no: int) -> None:
        """Delete the attachment ``no``."""
        with self._lock:
            if self._rows.pop(no, None) is None:
                raise NotFoundError(_KIND, no)


class FileSystemAttachmentStore:
    """:class:`~relationship_mgmt.ports.attachments.AttachmentStore` in a folder.

    Args:
        folder: Where the files go (created with the first attachment); BC's
            *Attachment Storage Location*.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _paths(self, no: int) -> tuple[Path, Path]:
        return self.folder / f"{no}.bin", self.folder / f"{no}.json"

    def _last(self) -> int:
        try:
            hint = int((self.folder / "last_no").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            hint = 0
        numbers = (int(p.stem) for p in self.folder.glob("*.json") if p.stem.isdigit())
        return max(hint, *numbers, 0)

    def put(
        self,
        content: bytes,
        *,
        file_name: str,
        media_type: str = "application/octet-stream",
    ) -> Attachment:
        """Store a new attachment under the next free number."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PersistenceError(f"cannot use {self.folder}: {error}") from error
        no = self._last() + 1
        draft = Attachment(
            no=no, file_name=file_name, media_type=media_type, content=content
        )
        while True:
            data, meta = self._paths(draft.no)
            try:
                with meta.open("x", encoding="utf-8") as claimed:  # the number is ours
                    data.write_bytes(draft.content)
                    json.dump(
                        {"file_name": draft.file_name, "media_type": draft.media_type},
                        claimed,
                    )
            except FileExistsError:
                draft = Attachment(
                    no=draft.no + 1,
                    file_name=file_name,
                    media_type=media_type,
                    content=content,
                )
                continue
            except OSError as error:
                raise PersistenceError(f"cannot store attachment: {error}") from error
            (self.folder / "last_no").write_text(str(draft.no), encoding="utf-8")
            return draft

    def get(self, no: int) -> Attachment:
        """Return the attachment ``no``."""
        data, meta = self._paths(no)
        try:
            header = json.loads(meta.read_text(encoding="utf-8"))
            content = data.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(_KIND, no) from None
        except (OSError, ValueError) as error:
            raise PersistenceError(f"cannot read attachment {no}: {error}") from error
        return Attachment(
            no=no,
            file_name=header["file_name"],
            media_type=header["media_type"],
            content=content,
        )

    def exists(self, no: int) -> bool:
        """Return whether ``no`` is stored."""
        return self._paths(no)[1].exists()

    def delete(self, no: int) -> None:
        """Delete the attachment's two files."""
        data, meta = self._paths(no)
        try:
            meta.unlink()
        except FileNotFoundError:
            raise NotFoundError(_KIND, no) from None
        data.unlink(missing_ok=True)
