"""``relmgmt tasks`` (spec §7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

import relationship_mgmt as rm
from relationship_mgmt.cli import cli


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def _workspace(tmp_path: Path) -> tuple[str, str, str]:
    """Salespeople JO (with e-mail) and AP in team SALES, a company and its person."""
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        crm.salespeople.create("JO", name="Jo Smith", email="jo@cronus.example")
        crm.salespeople.create("AP", name="Annette Hill")
        crm.salespeople.create_team("SALES", name="Sales", members=["JO", "AP"])
        company = crm.contacts.create_company(
            name="Fabrikam", email="info@fabrikam.example"
        )
        person = crm.contacts.create_person(
            name="Jane Smith", company_no=company.no, email="jane@fabrikam.example"
        )
    return db, company.no, person.no


def test_add_a_phone_call_with_extras_and_a_contact_subtask(tmp_path: Path) -> None:
    """§7.1: FIELD=VALUE extras; the contact gets a Contact Attendee sub-task."""
    db, _, jane = _workspace(tmp_path)

    out = _run(
        "-d",
        db,
        "tasks",
        "add",
        "jo",
        "start_time=09:30",
        "duration=1h30m",
        "priority=High",
        "location=Their office",
        "--contact",
        jane,
        "--date",
        "2024-03-04",
        "--type",
        "phone-call",
        "-m",
        "Call about the quote",
    )

    assert "Task TD000001 created with 1 sub-task(s)." in out
    assert "↳ TD000001" in out
    with rm.open(f"sqlite:///{db}") as crm:
        task = crm.tasks.get("TD000001")
        (subtask,) = crm.tasks.subtasks("TD000001")
    assert (task.type.value, task.date, task.start_time, task.ending_time) == (
        "Phone Call",
        dt.date(2024, 3, 4),
        dt.time(9, 30),
        dt.time(11, 0),
    )
    assert (task.priority.value, task.location, task.contact_no) == (
        "High",
        "Their office",
        jane,
    )
    assert (subtask.system_task_type.value, subtask.contact_no) == (
        "Contact Attendee",
        jane,
    )


def test_add_a_team_task_and_a_meeting(tmp_path: Path) -> None:
    """§7.5: a sub-task per team member; a meeting's attendees."""
    db, company, jane = _workspace(tmp_path)

    team = _run(
        "-d", db, "tasks", "add", "--team", "sales", "--contact", company, "-m", "Offer"
    )
    meeting = _run(
        "-d",
        db,
        "tasks",
        "add",
        "JO",
        "duration=60",
        "--type",
        "meeting",
        "--contact",
        jane,
        "--date",
        "2024-03-07",
    )
    assigned = _run(
        "-d", db, "tasks", "add", "duration=2:00", "--team", "SALES", "-m", "Plan"
    )
    team_meeting = _run(
        "-d",
        db,
        "tasks",
        "add",
        "--team",
        "SALES",
        "--type",
        "meeting",
        "--organizer",
        "JO",
    )

    assert "Task TD000001 created with 3 sub-task(s)." in team
    assert "SALES/AP" in team
    assert "SALES/JO" in team
    assert "created with 1 sub-task(s) and 2 attendee(s)." in meeting
    assert "created with 2 sub-task(s)." in assigned
    assert "created with 2 sub-task(s) and 2 attendee(s)." in team_meeting
    with rm.open(f"sqlite:///{db}") as crm:
        (planned,) = [
            t
            for t in crm.tasks.list()
            if t.description == "Plan" and t.team_code and not t.salesperson_code
        ]
    assert planned.duration == dt.timedelta(hours=2)


def test_list_filters(tmp_path: Path) -> None:
    """Main tasks by default; a contact's (a company's: its persons'), a salesperson's."""
    db, company, jane = _workspace(tmp_path)
    _run("-d", db, "tasks", "add", "JO", "--contact", jane, "-m", "Call Jane")
    _run("-d", db, "tasks", "add", "--team", "SALES", "-m", "Team work")
    _run("-d", db, "tasks", "add", "AP", "--contact", company, "-m", "Visit")
    _run("-d", db, "tasks", "close", "TD000006")

    everything = _run("-d", db, "tasks", "list")
    with_subtasks = _run("-d", db, "tasks", "list", "--subtasks")
    companys = _run("-d", db, "tasks", "list", "--contact", company)
    janes = _run("-d", db, "tasks", "list", "--contact", jane)
    aps = _run("-d", db, "tasks", "list", "--salesperson", "ap", "--open")
    closed = _run("-d", db, "tasks", "list", "--closed")
    teams = _run("-d", db, "tasks", "list", "--team", "sales")

    assert ("TD000001" in everything, "TD000002" in everything) == (True, False)
    assert "↳ TD000003" in with_subtasks
    assert all(no in companys for no in ("TD000001", "TD000006"))
    assert ("TD000001" in janes, "TD000006" in janes) == (True, False)
    assert ("TD000004" in aps, "TD000006" in aps) == (True, False)  # the team's
    assert ("TD000006" in closed, "TD000001" in closed, "Completed" in closed) == (
        True,
        False,
        True,
    )
    assert ("TD000003" in teams, "Call Jane" in teams) == (True, False)


def test_close_a_recurring_task_prints_its_successor_once(tmp_path: Path) -> None:
    """§7.4: "Task No. %1 has been created from recurring Task %2."; only once."""
    db, _, _ = _workspace(tmp_path)
    added = _run(
        "-d",
        db,
        "tasks",
        "add",
        "JO",
        "--date",
        "2024-03-04",
        "--type",
        "phone-call",
        "-m",
        "Weekly call",
        "--recurring",
        "1W",
        "--from",
        "due",
    )

    first = _run("-d", db, "tasks", "close", "TD000001")
    again = _run("-d", db, "tasks", "close", "TD000001")

    assert "every 1W" in added
    assert "Task TD000001 closed on" in first
    assert "Task No. TD000002 has been created from recurring Task TD000001." in first
    assert "2024-03-11" in first  # calc_date(1W, the due date)
    assert again == "Task TD000001 is already closed."
    with rm.open(f"sqlite:///{db}") as crm:
        assert [t.no for t in crm.tasks.list()] == ["TD000001", "TD000002"]
        assert crm.tasks.get("TD000002").date == dt.date(2024, 3, 11)


def test_close_a_team_task_needs_completed_by(tmp_path: Path) -> None:
    """§7.2: "The Completed By field must be filled in for Tasks assigned to a team."."""
    db, _, _ = _workspace(tmp_path)
    _run("-d", db, "tasks", "add", "--team", "SALES")

    refused = _run("-d", db, "tasks", "close", "TD000001", code=1)
    subtask = _run("-d", db, "tasks", "close", "TD000002", "--by", "AP", code=1)
    closed = _run("-d", db, "tasks", "close", "TD000001", "--by", "ap")

    assert "The Completed By field must be filled in" in refused
    assert "sub-task changes with its organizer task" in subtask
    assert "Task TD000001 closed on" in closed
    assert "has been created" not in closed


def test_cancel_closes_without_a_successor(tmp_path: Path) -> None:
    """§7.2: Canceled closes the task; a canceled recurring task does not recur."""
    db, _, _ = _workspace(tmp_path)
    _run("-d", db, "tasks", "add", "JO", "--recurring", "1M", "--from", "closing")

    out = _run("-d", db, "tasks", "cancel", "td000001")
    listed = _run("-d", db, "tasks", "list", "--closed")
    missing = _run("-d", db, "tasks", "cancel", "TD999999", code=1)

    assert out == "Task TD000001 canceled."
    assert "Canceled" in listed
    assert "not found" in missing
    with rm.open(f"sqlite:///{db}") as crm:
        assert [t.no for t in crm.tasks.list()] == ["TD000001"]


def test_export_writes_icalendar_with_attendees_and_emails(tmp_path: Path) -> None:
    """Meetings and phone calls as VEVENT, other tasks as VTODO; mailto: resolved."""
    db, company, jane = _workspace(tmp_path)
    _run(
        "-d",
        db,
        "tasks",
        "add",
        "JO",
        "start_time=10:00",
        "duration=90",
        "--type",
        "meeting",
        "--contact",
        jane,
        "--date",
        "2024-03-07",
        "-m",
        "Demo",
    )
    _run("-d", db, "tasks", "add", "AP", "--contact", company, "-m", "Send brochure")
    _run("-d", db, "tasks", "add", "AP", "-m", "Old", "--date", "2024-01-02")
    _run("-d", db, "tasks", "cancel", "TD000005")
    path = tmp_path / "tasks.ics"

    out = _run("-d", db, "tasks", "export", str(path), "--open")
    janes = _run(
        "-d", db, "tasks", "export", str(tmp_path / "jane.ics"), "--contact", jane
    )

    text = path.read_bytes().decode().replace("\r\n ", "")  # unfold long lines
    assert "Wrote 2 task(s)" in out
    assert "1 event(s), 1 to-do(s)" in out
    assert "UID:TD000001@relationship-mgmt" in text
    assert "DTSTART:20240307T100000" in text
    assert "DTEND:20240307T113000" in text
    assert 'ORGANIZER;CN="Jo Smith":mailto:jo@cronus.example' in text
    assert 'CN="Jane Smith"' in text
    assert "mailto:jane@fabrikam.example" in text
    assert "SUMMARY:Send brochure" in text
    assert "SUMMARY:Old" not in text
    assert "Wrote 1 task(s)" in janes


def test_errors_are_messages(tmp_path: Path) -> None:
    """Library errors exit 1 with BC's text; usage errors exit 2."""
    db, _, _ = _workspace(tmp_path)

    nobody = _run("-d", db, "tasks", "add", "-m", "Nobody's", code=1)
    no_calc_from = _run("-d", db, "tasks", "add", "JO", "--recurring", "1W", code=1)
    bad_formula = _run(
        "-d", db, "tasks", "add", "JO", "--recurring", "often", "--from", "due", code=1
    )
    blocked_field = _run("-d", db, "tasks", "add", "JO", "colour=red", code=1)
    unknown = _run("-d", db, "tasks", "add", "ZZ", code=1)
    bad_date = _run("-d", db, "tasks", "add", "JO", "--date", "tomorrow", code=2)
    bad_type = _run("-d", db, "tasks", "add", "JO", "--type", "lunch", code=2)
    bad_time = _run("-d", db, "tasks", "add", "JO", "start_time=noon", code=2)
    bad_duration = _run("-d", db, "tasks", "add", "JO", "duration=soon", code=2)
    no_assignment = _run("-d", db, "tasks", "add", "JO", "priority", code=2)
    from_alone = _run("-d", db, "tasks", "add", "JO", "--from", "due", code=2)
    no_such_task = _run("-d", db, "tasks", "close", "TD000042", code=1)
    no_such_contact = _run("-d", db, "tasks", "list", "--contact", "CT999999", code=1)

    assert "You must fill in either the Salesperson Code field or the Team Code" in (
        nobody
    )
    assert "Calc. Due Date From must be specified." in no_calc_from
    assert "often" in bad_formula
    assert "unknown field" in blocked_field
    assert "not found" in unknown
    assert "does not match the format" in bad_date
    assert "Invalid value for '--type'" in bad_type
    assert "start_time=noon: not a valid value" in bad_time
    assert "duration=soon: not a valid value" in bad_duration
    assert "is not FIELD=VALUE" in no_assignment
    assert "--from needs --recurring" in from_alone
    assert "not found" in no_such_task
    assert "not found" in no_such_contact
    with rm.open(f"sqlite:///{db}") as crm:
        assert crm.tasks.list() == []
