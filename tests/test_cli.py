from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import relationship_mgmt as rm
from relationship_mgmt.cli import cli


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # rich wraps lines at the console width


def test_version() -> None:
    assert rm.__version__ in _run("--version")


def test_demo_tours_every_chapter_and_leaves_a_workspace(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"

    out = _run("demo", "--database", str(db))

    for title in (
        "Setup, code tables and number series",
        "Contacts",
        "Salespeople, teams and interactions",
        "Tasks, recurrence and activities",
        "Date formulas",
        "Money",
    ):
        assert title in out
    assert "CT000001, CT000002, CT000003" in out
    assert "Dear Mr. John Smith" in out
    assert "next contact number CT000013" in out
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.setup.get().search_hit_pct == 70


def test_demo_can_run_twice_on_the_same_file(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    _run("demo", "--database", str(db))

    assert "CT000001" in _run("demo", "--database", str(db))


def test_setup_show_and_set(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")

    out = _run(
        "--database",
        db,
        "setup",
        "set",
        "search_hit_pct=75",
        "inherit_territory_code=no",
    )
    shown = _run("--database", db, "setup", "show")

    assert "75" in out
    assert "search_hit_pct" in shown
    with rm.open(f"sqlite:///{db}") as crm:
        setup = crm.setup.get()
    assert (setup.search_hit_pct, setup.inherit_territory_code) == (75, False)


def test_setup_set_reports_library_errors_without_a_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")

    result = CliRunner().invoke(
        cli, ["--database", db, "setup", "set", "search_hit_pct=0"]
    )

    assert result.exit_code == 1
    assert "search_hit_pct" in result.output
    assert "Traceback" not in result.output


def test_setup_set_needs_field_equals_value(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--database", str(tmp_path / "x.db"), "setup", "set", "oops"]
    )

    assert result.exit_code == 2


def test_contacts_add_list_show_search_edit_delete(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()

    added = _run(
        "--database",
        db,
        "contacts",
        "add",
        "company",
        "Cronus Ltd",
        "city=Leeds",
        "phone_no=0113 555",
    )
    person = _run(
        "--database",
        db,
        "contacts",
        "add",
        "person",
        "Jane Q Smith",
        "--company",
        "CT000001",
    )
    listed = _run("--database", db, "contacts", "list")
    shown = _run("--database", db, "contacts", "show", "ct000002")
    found = _run("--database", db, "contacts", "search", "cronus")
    edited = _run(
        "--database",
        db,
        "contacts",
        "edit",
        "CT000001",
        "city=York",
        "exclude_from_segment=yes",
    )
    deleted = _run("--database", db, "contacts", "delete", "CT000001")

    assert "CT000001" in added
    assert "Leeds" in added
    assert "Smith" in person
    assert "Jane Q Smith" in listed
    assert "Cronus Ltd" in listed
    assert "Leeds" in shown  # inherited from the company (§2.6)
    assert "CT000001" in found
    assert "York" in edited
    assert "Deleted contact CT000001" in deleted
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.contacts.list() == []


def test_contacts_errors_are_messages(tmp_path: Path) -> None:
    db = str(tmp_path / "crm.db")

    result = CliRunner().invoke(cli, ["--database", db, "contacts", "show", "NOPE"])

    assert result.exit_code == 1
    assert "NOPE" in result.output
    assert "Traceback" not in result.output
