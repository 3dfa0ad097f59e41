"""The ``relmgmt demo`` chapter on tasks, recurrence and activities (spec §7)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import attrs
from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli.tasks import select_tasks, tasks_calendar, tasks_table
from relationship_mgmt.domain.contacts import ContactType
from relationship_mgmt.domain.tasks import (
    ActivityStep,
    CalcDueDateFrom,
    Task,
    next_occurrence,
)

__all__ = ["tasks_chapter"]

_DAY = dt.timedelta(days=1)


def tasks_chapter(crm: rm.Crm, console: Console) -> None:
    """A phone call, a recurring task, a team task, an activity, Next Task Date, .ics.

    It uses salespeople JO and AP, team SALES (the interactions chapter) and the
    Cronus Cardoxy contacts (the contacts chapter); dates count from the work date.
    """
    console.print(
        "Tasks (§7) are to-dos, phone calls and meetings of a salesperson or a "
        "team. Their numbers come from the TD series; sub-tasks put a task on "
        "the lists of the other people involved (§7.5)."
    )
    today = crm.clock.workdate()
    company = crm.contacts.search("Cronus Cardoxy")[0]
    persons = [
        c
        for c in crm.contacts.list()
        if c.company_no == company.no and c.type is ContactType.PERSON
    ]
    jane = next(c for c in persons if "Jane" in c.name)
    others = [c for c in persons if c.no != jane.no and not c.privacy_blocked]

    call = crm.tasks.create(
        salesperson_code="JO",
        contact_no=jane.no,
        type="Phone Call",
        date=today + 2 * _DAY,
        start_time=dt.time(10, 0),
        duration=dt.timedelta(minutes=15),
        description="Call Jane about the quote",
    )
    console.print(
        f"§7.1: phone call {call.no} for JO with {jane.name} takes Contact Company "
        f"No. {call.contact_company_no} from her company and gets a Contact Attendee "
        f"sub-task; §7.3: it runs {call.start_time:%H:%M}-{call.ending_time:%H:%M}."
    )
    console.print(tasks_table("A phone call", [call, *crm.tasks.subtasks(call.no)]))

    _recurrence(crm, console, company.no, today)
    _team_task(crm, console, company.no, today)
    _activity(crm, console, jane.no, today)

    console.print(
        "Next Task Date (§2.2, §8): the date of the earliest open task. A "
        "company's covers its persons' tasks; a salesperson's their sub-tasks too; "
        "the team's only task is closed."
    )
    for label, date in (
        (jane.name, crm.tasks.next_task_date(contact_no=jane.no)),
        (company.name, crm.tasks.next_task_date(contact_no=company.no)),
        *((c.name, crm.tasks.next_task_date(contact_no=c.no)) for c in others[:1]),
        ("Salesperson JO", crm.tasks.next_task_date(salesperson_code="JO")),
        ("Salesperson AP", crm.tasks.next_task_date(salesperson_code="AP")),
        ("Team SALES", crm.tasks.next_task_date(team_code="SALES")),
    ):
        console.print(f"  {label}: {'none' if date is None else date.isoformat()}")

    _calendar(crm, console)


def _recurrence(crm: rm.Crm, console: Console, contact_no: str, today: dt.date) -> None:
    example = Task(
        no="TD1",
        salesperson_code="JO",
        date=dt.date(2024, 3, 4),
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from="Due Date",
    )
    closed_on = dt.date(2024, 3, 6)
    by_due = next_occurrence(example, new_no="TD2", today=closed_on).date
    by_closing = next_occurrence(
        attrs.evolve(example, calc_due_date_from=CalcDueDateFrom.CLOSING_DATE),
        new_no="TD2",
        today=closed_on,
    ).date
    console.print(
        "§7.4: closing a recurring task creates its next occurrence. BC's example, "
        f"weekly (1W), due 2024-03-04, closed 2024-03-06: next {by_due} from the "
        f"Due Date, {by_closing} from the Closing Date."
    )
    weekly = crm.tasks.create(
        salesperson_code="JO",
        contact_no=contact_no,
        type="Phone Call",
        date=today - 2 * _DAY,
        description="Weekly check-in",
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from="Due Date",
    )
    closed = crm.tasks.close(weekly.no)
    console.print(
        f"Our weekly call {weekly.no}, due {weekly.date}, closed today ({today}): "
        f"[bold]Task No. {closed.successor_no} has been created from recurring Task "
        f"{weekly.no}.[/bold]"
    )
    crm.tasks.reopen(weekly.no)
    crm.tasks.close(weekly.no)
    series = [
        t
        for t in crm.tasks.list(contact_no=contact_no)
        if t.description == weekly.description and t.organizer_task_no == t.no
    ]
    console.print(
        f"Reopened and closed again, it still has {len(series) - 1} successor: a "
        "task produces its next occurrence once (BC would insert a second)."
    )
    console.print(tasks_table("The weekly call and its next occurrence", series))


def _team_task(crm: rm.Crm, console: Console, contact_no: str, today: dt.date) -> None:
    team_task = crm.tasks.create(
        team_code="SALES",
        contact_no=contact_no,
        date=today + 3 * _DAY,
        description="Prepare the yearly offer",
    )
    console.print(
        f"§7.5: team task {team_task.no} gives each member of SALES an Organizer "
        "sub-task, and the contact a Contact Attendee sub-task."
    )
    console.print(
        tasks_table(
            "A team task and its sub-tasks",
            [team_task, *crm.tasks.subtasks(team_task.no)],
        )
    )
    try:
        crm.tasks.close(team_task.no)
    except rm.TaskRuleError as error:
        console.print(f"§7.2: closing it needs Completed By: [italic]{error}[/italic]")
    done = crm.tasks.close(team_task.no, completed_by="AP")
    closed = sum(t.closed for t in crm.tasks.subtasks(team_task.no))
    console.print(
        f"Completed by {done.completed_by} on {done.date_closed}: its {closed} "
        "sub-tasks closed with it."
    )


def _activity(crm: rm.Crm, console: Console, contact_no: str, today: dt.date) -> None:
    activity = crm.tasks.create_activity(
        "INITIAL",
        description="Initial contact",
        steps=[
            ActivityStep(
                step_no=10000,
                type="Phone Call",
                description="Introduction call",
                date_formula="1D",
            ),
            ActivityStep(
                step_no=20000, description="Send the brochure", date_formula="3D"
            ),
            ActivityStep(
                step_no=30000,
                type="Meeting",
                description="Visit",
                priority="High",
                date_formula="1W",
            ),
        ],
    )
    base = today + 7 * _DAY
    created = crm.tasks.assign_activity(
        activity.code, salesperson_code="AP", contact_no=contact_no, date=base
    )
    formulas = ", ".join(str(s.date_formula) for s in activity.steps)
    console.print(
        f"§7.6: activity {activity.code} assigned to AP from base date {base}: one "
        f"task per step, each dated calc_date(step formula, {base}) with {formulas}, "
        "not chained. The Meeting step becomes an all-day meeting with AP as "
        "organizer and the contact as attendee."
    )
    console.print(tasks_table(f"Activity {activity.code}", created))


def _calendar(crm: rm.Crm, console: Console) -> None:
    open_tasks = select_tasks(crm, closed=False)
    data = tasks_calendar(crm, open_tasks)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tasks.ics"
        path.write_bytes(data)
        size = path.stat().st_size
    text = data.decode()
    people = [
        f"{line.split(':', 1)[0].split(';')[0].lower()} {line.rsplit(':', 1)[-1]}"
        for line in text.replace("\r\n ", "").splitlines()  # unfold long lines
        if line.startswith(("ORGANIZER", "ATTENDEE"))
    ]
    listed = ", ".join(sorted(people, reverse=True))  # the organizer first
    console.print(
        f"iCalendar (RFC 5545): the {len(open_tasks)} open tasks written to "
        f"tasks.ics in a temporary folder, {size:,} bytes: "
        f"{text.count('BEGIN:VEVENT')} VEVENT (meetings, phone calls) and "
        f"{text.count('BEGIN:VTODO')} VTODO (other tasks). The meeting's people "
        f"(§7.5) with their e-mail addresses: {listed}."
    )
