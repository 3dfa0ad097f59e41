"""``relmgmt salespeople`` and ``relmgmt interactions`` (spec §3, §8)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import relationship_mgmt as rm
from relationship_mgmt.cli import cli


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def _workspace(tmp_path: Path) -> tuple[str, str]:
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        company = crm.contacts.create_company(name="Cronus Ltd.")
    return db, company.no


def test_salespeople_add_team_and_list(tmp_path: Path) -> None:
    db, _ = _workspace(tmp_path)

    assert "Salesperson JO created" in _run(
        "-d", db, "salespeople", "add", "jo", "name=Jo Smith", "blocked=no"
    )
    _run("-d", db, "salespeople", "add", "ap", "name=Annette Hill", "blocked=yes")
    assert "2 member(s)" in _run(
        "-d", db, "salespeople", "team", "sales", "jo", "ap", "--name", "Sales"
    )
    listed = _run("-d", db, "salespeople", "list")

    assert "Jo Smith" in listed
    assert "JO, AP" in listed or "AP, JO" in listed
    assert "yes" in listed


def test_interactions_log_list_cancel_and_stats(tmp_path: Path) -> None:
    db, company = _workspace(tmp_path)
    _run("-d", db, "salespeople", "add", "jo", "name=Jo Smith")
    _run("-d", db, "interactions", "add-group", "sales", "Sales")
    assert "template CALL created" in _run(
        "-d",
        db,
        "interactions",
        "add-template",
        "call",
        "sales",
        "description=Phone call",
        "unit_cost_lcy=2.5",
        "initiated_by=Us",
    )

    logged = _run(
        "-d",
        db,
        "interactions",
        "log",
        company,
        "call",
        "salesperson_code=jo",
        "date=2026-03-02",
        "--key",
        "k1",
    )
    _run(
        "-d",
        db,
        "interactions",
        "log",
        company,
        "call",
        "salesperson_code=jo",
        "date=2026-03-02",
        "--key",
        "k1",
    )
    _run("-d", db, "interactions", "log", company, "call", "salesperson_code=jo")
    canceled = _run("-d", db, "interactions", "cancel", "2")
    listed = _run("-d", db, "interactions", "list", "--contact", company)
    stats = _run("-d", db, "interactions", "stats", "--contact", company)

    assert "Interaction log entry 1" in logged
    assert "2026-03-02" in logged
    assert "entry 2 canceled" in canceled
    assert "canceled" in listed
    assert "No. of Interactions │ 1" in stats
    assert "Cost (LCY) │ 2.5" in stats


def test_interactions_errors_are_messages(tmp_path: Path) -> None:
    db, company = _workspace(tmp_path)

    missing = _run("-d", db, "interactions", "log", company, "call", code=1)
    bad_date = _run(
        "-d", db, "interactions", "log", company, "call", "date=yesterday", code=2
    )

    assert "not found" in missing
    assert "not a date" in bad_date
