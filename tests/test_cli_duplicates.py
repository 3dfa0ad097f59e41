"""``relmgmt duplicates``: find, merge (dry run and --yes), unmerge (spec §2.14)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli import cli
from relationship_mgmt.cli.demo_duplicates import duplicates_chapter


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def _workspace(tmp_path: Path) -> str:
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        common: dict[str, str] = {
            "address": "1 Main St",
            "city": "Leeds",
            "post_code": "LS1 4AP",
            "phone_no": "0113 496 0000",
        }
        crm.contacts.create_company(name="Cronus Ltd", **common)
        crm.contacts.create_company(
            name="Cronus Ltd.", email="info@cronus.example", **common
        )
    return db


def test_find_lists_the_pair_with_either_method(tmp_path: Path) -> None:
    db = _workspace(tmp_path)

    assert "CT000001 │ CT000002" in _run("-d", db, "duplicates", "find")
    assert "CT000002" in _run("-d", db, "duplicates", "find", "--method", "bc")
    assert "CT000001" in _run("-d", db, "duplicates", "check", "CT000002")
    assert "CT000001" in _run(
        "-d", db, "duplicates", "check", "CT000002", "--method", "bc"
    )
    assert "Indexed" in _run("-d", db, "duplicates", "reindex")


def test_merge_without_yes_is_a_dry_run(tmp_path: Path) -> None:
    db = _workspace(tmp_path)

    out = _run("-d", db, "duplicates", "merge", "CT000001", "CT000002")

    assert "merged value taken" in out
    assert "Dry run" in out
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.contacts.get("CT000002", follow_alias=False).no == "CT000002"


def test_merge_with_yes_then_unmerge(tmp_path: Path) -> None:
    db = _workspace(tmp_path)

    out = _run("-d", db, "duplicates", "merge", "CT000001", "CT000002", "--yes")
    assert "CT000002 now resolves to CT000001" in out
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.contacts.get("CT000001").email == "info@cronus.example"

    assert "Restored CT000002" in _run("-d", db, "duplicates", "unmerge", "CT000002")
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.contacts.get("CT000001").email == ""


def test_a_refused_merge_is_a_message(tmp_path: Path) -> None:
    db = _workspace(tmp_path)

    out = _run("-d", db, "duplicates", "merge", "CT000001", "CT000001", code=1)

    assert "same contact" in out


def test_the_demo_chapter_merges_and_unmerges() -> None:
    console = Console(record=True, width=120)
    with rm.open() as crm:
        crm.setup.use_default_number_series()
        duplicates_chapter(crm, console)
        assert crm.duplicates.resolve("CT000002") is None
    text = console.export_text()
    assert "Duplicates found" in text
    assert "Unmerge restored CT000002" in text
