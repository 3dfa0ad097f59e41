"""``relmgmt segments``: the other segment actions of §4.10 on the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import relationship_mgmt as rm
from relationship_mgmt.cli.main import cli


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def _workspace(tmp_path: Path) -> str:
    """Two Czech companies in segment SM00001 (salesperson Jo), a logged segment."""
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        crm.setup.add_records([rm.MailingGroup(code="NEWS")])
        crm.salespeople.create("jo", name="Jo Smith")
        crm.interactions.create_group("sales")
        crm.interactions.create_template("call", group="sales")
        crm.sales_cycles.create("new")
        for name in ("Cronus", "Contoso"):
            crm.contacts.create_company(name=name, country_code="CZ")
        crm.contacts.create_company(name="Fabrikam", country_code="DK")
        for description in ("Spring fair", "Calls"):
            no = crm.segments.create(
                description=description, salesperson_code="jo", template="call"
            ).no
            crm.segments.add_contacts(no, rm.where.country_code == "CZ")
        crm.segments.cancel_log(crm.segments.log("SM00002").logged.entry_no)
    return db


def test_create_opportunities_and_tasks_for_a_segment(tmp_path: Path) -> None:
    db = _workspace(tmp_path)

    opportunities = _run(
        "-d", db, "segments", "create-opportunities", "SM00001", "--cycle", "new",
        "-m", "Fair leads", "--priority", "high",
    )  # fmt: skip
    tasks = _run(
        "-d", db, "segments", "create-tasks", "sm00001", "--type", "phone-call",
        "--date", "2026-03-09", "-m", "Invite",
    )  # fmt: skip
    unused = _run(
        "-d", db, "segments", "create-opportunities", "SM00001", "--value", "5",
        code=2,
    )  # fmt: skip
    empty = _run("-d", db, "segments", "create-tasks", "SM99", code=1)

    assert opportunities == (
        "2 opportunity(ies) created from segment SM00001: OP000001, OP000002."
    )
    assert tasks == "2 task(s) created for segment SM00001: TD000001, TD000003."
    assert "need --activate" in unused
    assert "SM99" in empty
    with rm.open(f"sqlite:///{db}") as crm:
        assert {o.description for o in crm.opportunities.list()} == {"Fair leads"}
        assert {t.description for t in crm.tasks.list(segment_no="SM00001")} == {
            "Invite"
        }


def test_create_opportunities_can_activate_the_first_stage(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    with rm.open(f"sqlite:///{db}") as crm:
        crm.sales_cycles.set_stage(
            "new", rm.SalesCycleStage(stage=1, completed_pct=10, date_formula="1W")
        )

    started = _run(
        "-d", db, "segments", "create-opportunities", "SM00001", "--cycle", "new",
        "--activate", "--value", "1000", "--chances", "40",
        "--close-date", "2999-01-01",
    )  # fmt: skip
    bad = _run(
        "-d", db, "segments", "create-opportunities", "SM00001", "--activate",
        "--value", "lots", code=2,
    )  # fmt: skip

    assert started.startswith("2 opportunity(ies) created")
    assert "'lots' is not a number" in bad
    with rm.open(f"sqlite:///{db}") as crm:
        assert {o.status.value for o in crm.opportunities.list()} == {"In Progress"}


def test_apply_mailing_group_and_delete_logged_segments(tmp_path: Path) -> None:
    db = _workspace(tmp_path)

    applied = _run(
        "-d", db, "segments", "apply-mailing-group", "SM00001", "news", "--delete-old"
    )
    missing = _run("-d", db, "segments", "apply-mailing-group", "SM00001", "", code=1)
    none = _run("-d", db, "segments", "delete-logged", "--entry", "7")
    deleted = _run("-d", db, "segments", "delete-logged", "--segment", "SM00002")

    assert applied == (
        "Mailing Group NEWS is now applied to Segment SM00001. "
        "2 contact(s) added, 0 removed."
    )
    assert "Specify a Mailing Group Code." in missing
    assert none == "0 Logged Segment has been deleted."
    assert deleted == "1 Logged Segment has been deleted."
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.segments.logged_segments() == []
