"""``relmgmt sales-cycles``, ``opportunities``, ``pipeline``, ``campaigns`` (spec §5, §6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli import cli
from relationship_mgmt.cli.demo import CHAPTERS
from relationship_mgmt.cli.demo_opportunities import opportunities_chapter

_WEEK = dt.timedelta(days=7)


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def _workspace(tmp_path: Path) -> tuple[str, str, dt.date]:
    """Salesperson PS, activity INIT, close codes WON/LOST, a company; its work date."""
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        crm.setup.add_records(
            [
                rm.BusinessRelation(code="CUST", description="Customer"),
                rm.CloseOpportunityCode(code="WON", type="Won"),
                rm.CloseOpportunityCode(code="LOST", type="Lost"),
            ]
        )
        crm.setup.change(bus_rel_code_for_customers="CUST")
        crm.salespeople.create("PS", name="Peter Saddow")
        crm.tasks.create_activity(
            "INIT",
            steps=[rm.ActivityStep(step_no=1, type="Phone Call", date_formula="1D")],
        )
        company = crm.contacts.create_company(
            name="Cronus Cardoxy", salesperson_code="PS"
        )
        today = crm.clock.workdate()
    return db, company.no, today


def _new_cycle(db: str) -> None:
    """The sales cycle NEW of §5.10, through the command line."""
    _run("-d", db, "sales-cycles", "add", "NEW", "-m", "New business")
    for stage, args in (
        ("1", ("-m", "Initial", "--completed", "10", "--chances", "25")),
        ("2", ("-m", "Presentation", "--completed", "25", "--chances", "50")),
        ("3", ("-m", "Proposal", "--completed", "60", "--chances", "60")),
        ("4", ("-m", "Sign contract", "--completed", "90", "--chances", "80")),
    ):
        extra = {
            "1": ("--formula", "1W", "--activity", "init"),
            "2": ("--formula", "2W", "--allow-skip"),
            "3": ("--formula", "2W", "--allow-skip", "--quote-required"),
            "4": ("--formula", "1W"),
        }[stage]
        _run("-d", db, "sales-cycles", "add-stage", "NEW", stage, *args, *extra)


def test_sales_cycles_add_stages_and_list(tmp_path: Path) -> None:
    """§5.1, §5.2: a cycle with its calculation; stages sorted, replaced by number."""
    db, _, _ = _workspace(tmp_path)

    added = _run("-d", db, "sales-cycles", "add", "fast", "--calculation", "add")
    _run("-d", db, "sales-cycles", "add-stage", "FAST", "2", "-m", "Close")
    staged = _run(
        "-d",
        db,
        "sales-cycles",
        "add-stage",
        "FAST",
        "1",
        "-m",
        "Meet",
        "--chances",
        code=2,
    )
    replaced = _run(
        "-d",
        db,
        "sales-cycles",
        "add-stage",
        "FAST",
        "1",
        "-m",
        "First meeting",
        "--completed",
        "50",
        "--chances",
        "20",
        "--formula",
        "2D",
        "--quote-required",
    )
    _new_cycle(db)
    listed = _run("-d", db, "sales-cycles", "list")

    assert added == "Sales cycle FAST created (Add)."
    assert "Option '--chances' requires an argument" in staged  # exit 2
    assert "1 First meeting 50 20 2D quote required 2 Close 0 0" in replaced
    assert "Sales cycle FAST (Add)" in listed
    assert "Sales cycle NEW: New business (Multiply)" in listed
    assert "3 Proposal 60 60 2W allow skip, quote required" in listed
    assert "1 Initial 10 25 1W INIT" in listed
    with rm.open(f"sqlite:///{db}") as crm:
        stages = crm.sales_cycles.get("FAST").stages
    assert [(s.stage, s.completed_pct) for s in stages] == [
        (1, Decimal(50)),
        (2, Decimal(0)),
    ]


def test_the_worked_example_of_5_10(tmp_path: Path) -> None:
    """§5.10 number for number: 4 -> 12.5 -> 72, 400 -> 1,250 -> 7,200 -> 9,500."""
    db, company, today = _workspace(tmp_path)
    _new_cycle(db)
    close = (today + dt.timedelta(days=57)).isoformat()

    created = _run(
        "-d",
        db,
        "opportunities",
        "add",
        "--contact",
        company,
        "-m",
        "Furniture",
        "--cycle",
        "new",
        "--activate",
        "--value",
        "10000",
        "--chances",
        "40",
        "--close-date",
        close,
    )
    options = _run("-d", db, "opportunities", "show", "OP000001")
    moved = _run(
        "-d", db, "opportunities", "next", "OP000001", "--date", str(today + _WEEK)
    )
    shown = _run("-d", db, "opportunities", "show", "OP000001")
    needs_quote = _run(
        "-d",
        db,
        "opportunities",
        "skip",
        "OP000001",
        "--date",
        str(today + 2 * _WEEK),
        code=1,
    )
    skipped = _run(
        "-d",
        db,
        "opportunities",
        "skip",
        "OP000001",
        "4",
        "--date",
        str(today + 2 * _WEEK),
    )
    wrong_code = _run(
        "-d",
        db,
        "opportunities",
        "close",
        "OP000001",
        "--won",
        "--code",
        "lost",
        "--sales",
        "9500",
        code=1,
    )
    won = _run(
        "-d",
        db,
        "opportunities",
        "close",
        "OP000001",
        "--won",
        "--code",
        "WON",
        "--sales",
        "9,500",
        "--date",
        str(today + 3 * _WEEK),
    )

    assert (
        f"Opportunity OP000001 created for {company} (salesperson PS, cycle NEW): "
        "In Progress."
    ) in created
    assert f"1 * {today} 1 First 10,000 40 10 4 400 {close}" in created
    assert "The first stage's activity created 2 task(s)." in created
    assert "Stage moves (§5.6): next 2; skip 2, 3, 4; update 1 (default: next)." in (
        options
    )
    assert "Next at stage 2 (Presentation)" in moved
    assert "probability 12.5 %, calcd. current value 1,250." in moved
    assert f"1 {today} 1 First 7 10,000 40 10 4 400 {close}" in moved
    assert f"2 * {today + _WEEK} 2 Next 10,000 50 25 12.5 1,250 {close}" in moved
    assert "next 3; previous 1; skip 3, 4; update 2; jump 1 (default: next)" in shown
    assert "Current Sales Cycle Stage │ 2" in shown
    assert "before you have assigned a sales quote" in needs_quote
    assert "Jumped at stage 4 (Sign contract)" in skipped
    assert f"3 * {today + 2 * _WEEK} 4 Jumped 10,000 80 90 72 7,200" in skipped
    assert "is a Lost code" in wrong_code
    assert f"closed as Won on {today + 3 * _WEEK} (WON)" in won
    assert f"4 * {today + 3 * _WEEK} Won WON 10,000 100 100 100 9,500" in won
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.opportunities.get("OP000001").status.value == "Won"
        assert crm.contacts.business_relation(company).value == "Customer"
        assert len(crm.tasks.list(opportunity_no="OP000001")) == 2


def test_pipeline_now_as_of_and_time_in_stage(tmp_path: Path) -> None:
    """The pipeline now and as it was; days per stage: average, median, p90."""
    db, company, today = _workspace(tmp_path)
    _new_cycle(db)
    close = str(today + 8 * _WEEK)
    for value in ("10000", "2000"):
        _run(
            "-d",
            db,
            "opportunities",
            "add",
            "--contact",
            company,
            "-m",
            "Deal",
            "--activate",
            "--value",
            value,
            "--chances",
            "40",
            "--close-date",
            close,
            "--cycle",
            "NEW",
        )
    _run("-d", db, "opportunities", "next", "OP000001", "--date", str(today + _WEEK))

    now = _run("-d", db, "pipeline")
    then = _run("-d", db, "pipeline", "--as-of", str(today + dt.timedelta(days=1)))
    with_days = _run("-d", db, "pipeline", "--cycle", "NEW", "--time-in-stage")
    someone_else = _run("-d", db, "pipeline", "--salesperson", "XX")
    durations = _run("-d", db, "opportunities", "time-in-stage", "--cycle", "new")
    statistics = _run("-d", db, "sales-cycles", "stats", "NEW")

    assert "Pipeline now" in now
    assert "NEW 1 Initial 1 2,000 80 800" in now
    assert "NEW 2 Presentation 1 10,000 1,250 5,000" in now
    assert "Total 2 12,000 1,330 5,800" in now
    assert f"Pipeline as of {today + dt.timedelta(days=1)}" in then
    assert "NEW 1 Initial 2 12,000 480 4,800" in then
    assert "Total 2 12,000 480 4,800" in then
    assert "Time in stage (days)" in with_days
    assert "NEW 1 Initial 2 1 7.00 7.0 7.0" in durations
    assert "NEW 2 Presentation 1 0 0.00 - -" in durations
    assert "Total 0 0 0 0" in someone_else
    assert "1 Initial 1 2,000 80 7.00 7.0 7.0" in statistics
    assert "3 Proposal 0 0 0 0.00 - -" in statistics


def test_first_previous_update_jump_and_lost(tmp_path: Path) -> None:
    """§5.6 moves on a Not Started opportunity; §5.7 closing as lost."""
    db, company, today = _workspace(tmp_path)
    _new_cycle(db)
    added = _run(
        "-d",
        db,
        "opportunities",
        "add",
        "--contact",
        company,
        "-m",
        "Chairs",
        "--cycle",
        "NEW",
        "--salesperson",
        "ps",
    )
    close = str(today + 8 * _WEEK)

    first = _run(
        "-d",
        db,
        "opportunities",
        "first",
        "OP000001",
        "--value",
        "5000",
        "--chances",
        "50",
        "--close-date",
        close,
    )
    _run("-d", db, "opportunities", "skip", "OP000001", "--date", str(today))
    _run("-d", db, "opportunities", "next", "OP000001", "--quote", "SQ1001")
    back = _run("-d", db, "opportunities", "previous", "OP000001", "--cancel-old-tasks")
    updated = _run("-d", db, "opportunities", "update", "OP000001", "--value", "8000")
    jumped = _run("-d", db, "opportunities", "jump", "OP000001")
    lost = _run(
        "-d", db, "opportunities", "close", "OP000001", "--lost", "--code", "LOST"
    )
    closed_list = _run("-d", db, "opportunities", "list", "--status", "lost")
    open_list = _run("-d", db, "opportunities", "list", "--status", "in-progress")
    by_contact = _run("-d", db, "opportunities", "list", "--contact", company)
    by_salesperson = _run("-d", db, "opportunities", "totals", "--by", "salesperson")
    after_close = _run("-d", db, "opportunities", "next", "OP000001", code=1)

    assert "Not Started." in added
    assert "First stage at stage 1 (Initial)" in first
    assert "probability 5 %, calcd. current value 250." in first
    assert "The stage's activity created 2 task(s)." in first
    assert "Previous at stage 2 (Presentation)" in back
    assert "Updated at stage 2 (Presentation)" in updated
    assert "8,000 50 25 12.5 1,000" in updated
    assert "Previous at stage 1 (Initial)" in jumped  # the jump to the stage before
    assert "closed as Lost" in lost
    assert "Lost LOST 8,000 0 100 0 0" in lost
    assert "OP000001 Chairs" in closed_list
    assert "OP000001" not in open_list
    assert "OP000001 Chairs" in by_contact
    assert "PS 1 8,000 0 8,000 0" in by_salesperson
    assert "cannot move from Lost" in after_close
    with rm.open(f"sqlite:///{db}") as crm:
        history = [
            (e.sales_cycle_stage, e.action_taken.value)
            for e in crm.opportunities.entries("OP000001")
        ]
    assert history == [
        (1, ""),
        (2, "Next"),
        (3, "Next"),
        (2, "Previous"),
        (2, "Updated"),
        (1, "Previous"),
        (None, "Lost"),
    ]


def test_campaigns_add_list_show_and_stats(tmp_path: Path) -> None:
    """§6.1 campaigns; §6.4 statistics with the response rate."""
    db, company, today = _workspace(tmp_path)
    _new_cycle(db)
    added = _run(
        "-d",
        db,
        "campaigns",
        "add",
        "-m",
        "Spring fair",
        "--start",
        str(today - _WEEK),
        "--end",
        str(today + 4 * _WEEK),
        "--salesperson",
        "ps",
    )
    _run("-d", db, "campaigns", "add", "CP-OWN", "-m", "Our own number")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.interactions.create_group("MKT")
        crm.interactions.create_template(
            "MAILING", group="MKT", campaign_target=True, unit_cost_lcy=2
        )
        crm.interactions.create_template("REPLY", group="MKT", campaign_response=True)
        for template in ("MAILING", "MAILING", "REPLY"):
            crm.interactions.log(
                contact_no=company, template=template, campaign_no="CP0001"
            )
        crm.campaigns.activate("CP0001", force=True)  # §5.4: activated campaigns only
    _run(
        "-d",
        db,
        "opportunities",
        "add",
        "--contact",
        company,
        "-m",
        "Fair lead",
        "--cycle",
        "NEW",
        "--campaign",
        "CP0001",
        "--activate",
        "--value",
        "5000",
        "--chances",
        "30",
        "--close-date",
        str(today + 4 * _WEEK),
    )

    listed = _run("-d", db, "campaigns", "list")
    shown = _run("-d", db, "campaigns", "show", "cp0001")
    stats = _run("-d", db, "campaigns", "stats", "CP0001")
    later = _run("-d", db, "campaigns", "stats", "CP0001", "--from", str(today + _WEEK))
    by_campaign = _run("-d", db, "opportunities", "list", "--campaign", "CP0001")

    assert added == "Campaign CP0001 created."
    assert f"CP0001 Spring fair {today - _WEEK} {today + 4 * _WEEK} PS" in listed
    assert "CP-OWN Our own number" in listed
    assert f"1 {today} Interactions" in shown
    assert "OP000001 Fair lead" in shown
    assert "Target Contacts Contacted │ 2" in stats
    assert "Contacts Responded │ 1" in stats
    assert "Response rate │ 50.0 %" in stats
    assert "No. of Interactions │ 3" in stats
    assert "Cost (LCY) │ 4" in stats
    assert "No. of Opportunities │ 1" in stats
    assert "Estimated Value (LCY) │ 5,000" in stats
    assert "Calcd. Current Value (LCY) │ 150" in stats
    assert f"from {today + _WEEK} to ..." in later
    assert "Response rate │ - " in later
    assert "OP000001 Fair lead" in by_campaign


def test_errors_are_messages(tmp_path: Path) -> None:
    """Library errors exit 1 with their message; usage errors exit 2."""
    db, company, _ = _workspace(tmp_path)
    _new_cycle(db)
    _run(
        "-d",
        db,
        "opportunities",
        "add",
        "--contact",
        company,
        "-m",
        "Open",
        "--cycle",
        "NEW",
    )
    no_default_cycle = _run(
        "-d", db, "opportunities", "add", "--contact", company, "-m", "x", code=1
    )

    taken = _run("-d", db, "sales-cycles", "add", "NEW", code=1)
    no_activity = _run(
        "-d", db, "sales-cycles", "add-stage", "NEW", "5", "--activity", "NONE", code=1
    )
    too_much = _run(
        "-d", db, "sales-cycles", "add-stage", "NEW", "5", "--completed", "150", code=1
    )
    not_a_number = _run(
        "-d", db, "sales-cycles", "add-stage", "NEW", "5", "--chances", "lots", code=2
    )
    bad_stage = _run("-d", db, "sales-cycles", "add-stage", "NEW", "0", code=2)
    no_cycle = _run("-d", db, "sales-cycles", "stats", "OLD", code=1)
    no_contact = _run(
        "-d", db, "opportunities", "add", "--contact", "CT999999", "-m", "x", code=1
    )
    no_description = _run(
        "-d", db, "opportunities", "add", "--contact", company, code=2
    )
    values_alone = _run(
        "-d",
        db,
        "opportunities",
        "add",
        "--contact",
        company,
        "-m",
        "x",
        "--value",
        "5",
        code=2,
    )
    activate_alone = _run(
        "-d",
        db,
        "opportunities",
        "add",
        "--contact",
        company,
        "-m",
        "x",
        "--activate",
        "--cycle",
        "NEW",
        code=1,
    )
    not_started = _run("-d", db, "opportunities", "next", "OP000001", code=1)
    no_result = _run(
        "-d", db, "opportunities", "close", "OP000001", "--code", "WON", code=2
    )
    sales_lost = _run(
        "-d",
        db,
        "opportunities",
        "close",
        "OP000001",
        "--lost",
        "--code",
        "LOST",
        "--sales",
        "5",
        code=2,
    )
    no_sales = _run(
        "-d", db, "opportunities", "close", "OP000001", "--won", "--code", "WON", code=1
    )
    lost_as_won = _run(
        "-d",
        db,
        "opportunities",
        "close",
        "OP000001",
        "--won",
        "--code",
        "LOST",
        "--sales",
        "5",
        code=1,
    )
    missing = _run("-d", db, "opportunities", "show", "OP999999", code=1)
    bad_date = _run("-d", db, "pipeline", "--as-of", "yesterday", code=2)
    bad_status = _run("-d", db, "opportunities", "list", "--status", "open", code=2)
    bad_campaign = _run(
        "-d",
        db,
        "campaigns",
        "add",
        "--start",
        "2024-03-31",
        "--end",
        "2024-03-01",
        code=1,
    )
    blocked = _run("-d", db, "campaigns", "add", "--salesperson", "XX", code=1)

    assert "sales_cycle_code: must be filled in (§5.8)" in no_default_cycle
    assert "already exists" in taken
    assert "not found" in no_activity
    assert "must be from 0 to 100" in too_much
    assert "'lots' is not a number" in not_a_number
    assert "Invalid value for 'STAGE'" in bad_stage
    assert "not found" in no_cycle
    assert "not found" in no_contact
    assert "Missing option '--description'" in no_description
    assert "--value, --chances and --close-date need --activate" in values_alone
    assert "estimated_value: must be filled in (§5.8)" in activate_alone
    assert "Error:" in not_started
    assert "You must select either Won or Lost" in no_result
    assert "--sales is for an opportunity won" in sales_lost
    assert "Error:" in no_sales
    assert "is a Lost code (§5.3)" in lost_as_won
    assert "not found" in missing
    assert "does not match the format" in bad_date
    assert "Invalid value for '--status'" in bad_status
    assert "Starting Date must be before Ending Date." in bad_campaign
    assert "not found" in blocked
    with rm.open(f"sqlite:///{db}") as crm:
        assert [o.no for o in crm.opportunities.list()] == ["OP000001"]
        assert crm.opportunities.entries("OP000001") == []
        assert crm.campaigns.list() == []


def test_the_demo_chapter_runs_the_worked_example() -> None:
    """The chapter follows the tasks chapter and reproduces §5.10's figures."""
    titles = [title for title, _ in CHAPTERS]
    assert titles.index("Opportunities, pipeline and campaigns") == (
        titles.index("Tasks, recurrence and activities") + 1
    )
    console = Console(record=True, width=100)
    with rm.open() as crm:
        for _, chapter in CHAPTERS[: titles.index("Tasks, recurrence and activities")]:
            chapter(crm, Console(file=None, quiet=True))
        CHAPTERS[titles.index("Tasks, recurrence and activities")][1](
            crm, Console(quiet=True)
        )
        opportunities_chapter(crm, console)
        won = crm.opportunities.list(status="Won")
    out = " ".join(console.export_text().split())

    assert "1 2024-03-04 1 First 7 10,000 40 10 4 400 2024-04-30" in out
    assert "2 2024-03-11 2 Next 7 10,000 50 25 12.5 1,250 2024-04-30" in out
    assert "3 2024-03-18 4 Jumped 7 10,000 80 90 72 7,200 2024-04-30" in out
    assert "2024-03-25 Won WON-PRICE 10,000 100 100 100 9,500 2024-03-25" in out
    assert "Pipeline as of 2024-03-12" in out
    assert "Time in stage (days)" in out
    assert "Response rate" in out
    assert [o.description for o in won] == ["Furniture for the new head office"]
    assert "Campaign CP0001: target group" in out  # §6.3 activation
    assert "Customer C00001" in out
    assert "Fabrikam Industries is targeted on 2024-03-10: True" in out
    assert "CP0001 Price Item 1896-S 0 899 2024-03-20" in out


def test_campaign_price_and_discount_lines(tmp_path: Path) -> None:
    """§6.3: price and line-discount lines kept on a campaign, filtered by a day."""
    db, _, today = _workspace(tmp_path)
    _run("-d", db, "campaigns", "add", "-m", "Fair", "--end", str(today + _WEEK))
    priced = _run("-d", db, "campaigns", "price", "CP0001", "1000", "--price", "9.5")
    _run("-d", db, "campaigns", "price", "CP0001", "1000", "--price", "8.25")
    _run(
        "-d", db, "campaigns", "discount", "CP0001", "RETAIL",
        "--type", "Item Discount Group", "--pct", "5", "--start", str(today + _WEEK),
    )  # fmt: skip
    listed = _run("-d", db, "campaigns", "pricing", "CP0001")
    today_only = _run("-d", db, "campaigns", "pricing", "CP0001", "--on", str(today))
    missing = _run(
        "-d", db, "campaigns", "price", "CP9", "1000", "--price", "1", code=1
    )

    assert priced == "Price of 1000 set on campaign CP0001."
    assert "Price Item 1000 0 8.25" in listed
    assert "9.5" not in listed  # the same key replaced it
    assert f"Line discount Item Discount Group RETAIL 0 5 {today + _WEEK}" in listed
    assert "RETAIL" not in today_only
    assert "8.25" in today_only
    assert "CP9" in missing


def test_campaign_activation_targets_and_prices_for(tmp_path: Path) -> None:
    """§6.3: activate (BC's question), targets, targeted, prices-for, deactivate."""
    db, company, today = _workspace(tmp_path)
    _run("-d", db, "campaigns", "add", "-m", "Fair", "--end", str(today + _WEEK))
    _run("-d", db, "campaigns", "add", "-m", "Empty")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.interactions.create_group("FAIR")
        crm.interactions.create_template("INV", group="FAIR", campaign_target=True)
        crm.interactions.log(contact_no=company, template="INV", campaign_no="CP0001")
    runner = CliRunner()

    declined = runner.invoke(
        cli, ["-d", db, "campaigns", "activate", "cp0001"], input="n\n"
    )
    accepted = runner.invoke(
        cli, ["-d", db, "campaigns", "activate", "cp0001"], input="y\n"
    )
    _run("-d", db, "campaigns", "price", "CP0001", "1000", "--price", "9.5")
    targets = _run("-d", db, "campaigns", "targets", "CP0001")
    targeted = _run("-d", db, "campaigns", "targeted", company.lower())
    later = _run(
        "-d", db, "campaigns", "targeted", company, "--on", str(today + 2 * _WEEK)
    )
    prices = _run("-d", db, "campaigns", "prices-for", company)
    deactivated = _run("-d", db, "campaigns", "deactivate", "CP0001")
    after = _run("-d", db, "campaigns", "prices-for", company)
    named = _run("-d", db, "campaigns", "prices-for", company, "--campaign", "CP0001")
    again = _run("-d", db, "campaigns", "activate", "CP0001")
    empty = _run("-d", db, "campaigns", "activate", "CP0002", "--force", code=1)
    missing = _run("-d", db, "campaigns", "activate", "CP9", code=1)

    assert declined.exit_code == 1
    assert "Do you still want to activate?" in declined.output
    assert "Aborted" in declined.output
    assert accepted.exit_code == 0, accepted.output
    assert "Campaign CP0001 is now activated." in accepted.output
    assert f"Contact {company}" in " ".join(accepted.output.split())
    assert "Campaign CP0001: target group (activated)" in targets
    assert targets.endswith(f"Contact {company}")
    assert targeted == f"{company} is targeted on {today} by CP0001."
    assert later.endswith(
        "is targeted by no activated campaign on " + str(today + 2 * _WEEK) + "."
    )
    assert "CP0001 Price Item 1000 0 9.5" in prices
    assert (
        deactivated
        == "Campaign CP0001 is now deactivated (1 target group rows deleted)."
    )
    assert "1000" not in after
    assert "CP0001 Price Item 1000 0 9.5" in named
    assert again.startswith("Campaign CP0001 is now activated.")
    assert "place a check mark in the Campaign Target field" in empty
    assert "CP9" in missing
