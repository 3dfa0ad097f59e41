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


_MBOX = """From MAILER-DAEMON Mon Mar  2 09:30:00 2026
From: Jo Smith <jo@cronus.example>
To: buyer@fabrikam.example, nobody@unknown.example
Subject: Your quote
Date: Mon, 02 Mar 2026 09:30:00 +0000
Message-ID: <q1@cronus.example>

Here it is.

From MAILER-DAEMON Mon Mar  2 10:00:00 2026
From: buyer@fabrikam.example
To: jo@cronus.example
Subject: Re: Your quote
Date: Mon, 02 Mar 2026 10:00:00 +0000
Message-ID: <r1@fabrikam.example>

Thanks.
"""


def test_interactions_ingest_logs_a_mailbox_once(tmp_path: Path) -> None:
    """§1.4: e-mail between a salesperson and a contact is logged, once."""
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        crm.setup.change(own_email_domains="cronus.example")
        crm.salespeople.create("JO", name="Jo Smith", email="jo@cronus.example")
        crm.interactions.create_group("MAIL")
        crm.interactions.create_template("EMAIL", group="MAIL", description="E-mail")
        crm.interactions.use_template_for("E-Mails", "EMAIL")
        crm.contacts.create_company(name="Fabrikam", email="buyer@fabrikam.example")
    mbox = tmp_path / "inbox.mbox"
    mbox.write_text(_MBOX)

    first = _run("-d", db, "interactions", "ingest", str(mbox))
    second = _run("-d", db, "interactions", "ingest", str(mbox))

    assert "Entries logged │ 2" in first
    assert "nobody@unknown.example │ 1" in first
    assert "Entries logged │ 0" in second
    assert "Already logged (skipped) │ 2" in second
    with rm.open(f"sqlite:///{db}") as crm:
        subjects = [e.subject for e in crm.interactions.list()]
    assert subjects == ["Your quote", "Re: Your quote"]
