"""``relmgmt tasks``: tasks, phone calls and meetings, recurrence, iCalendar (spec §7)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import click
from rich import box
from rich.console import Console
from rich.table import Table

import relationship_mgmt as rm
from relationship_mgmt.cli._common import parse_assignments, parse_value, workspace
from relationship_mgmt.domain.tasks import (
    Attendee,
    AttendeeType,
    SystemTaskType,
    Task,
    TaskType,
)
from relationship_mgmt.interop.icalendar import tasks_to_ical

__all__ = ["select_tasks", "tasks", "tasks_calendar", "tasks_table"]

_TYPES = {
    "blank": TaskType.BLANK,
    "meeting": TaskType.MEETING,
    "phone-call": TaskType.PHONE_CALL,
}
_CALC_FROM = {"due": "Due Date", "closing": "Closing Date"}
_TEXT_FIELDS = frozenset({"description", "location", "subject"})
_BOOL_FIELDS = frozenset({"all_day_event"})
_INT_FIELDS = frozenset({"opportunity_entry_no", "attachment_no"})
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_DURATION = re.compile(r"(\d+)([dhm])")
_SALESPERSON_LIST = (SystemTaskType.ORGANIZER, SystemTaskType.SALESPERSON_ATTENDEE)


def _is_subtask(task: Task) -> bool:
    return task.organizer_task_no is not None and task.organizer_task_no != task.no


def _state(task: Task) -> str:
    state = "Canceled" if task.canceled else str(task.status)
    if task.recurring and task.recurring_date_interval is not None:
        state += f"\nevery {task.recurring_date_interval}"
    return state


def tasks_table(title: str, tasks: Iterable[Task]) -> Table:
    """Render tasks as BC's Task List does; a sub-task names its organizer task (↳)."""
    table = Table(
        title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True
    )
    table.add_column("No.", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Type", max_width=7)  # "Phone Call" wraps, "Meeting" fits
    table.add_column("For")
    table.add_column("Contact", no_wrap=True)
    table.add_column("Description", ratio=1)
    table.add_column("Status", max_width=9)
    for t in tasks:
        number = (
            f"{t.no}\n[dim]↳ {t.organizer_task_no}[/dim]" if _is_subtask(t) else t.no
        )
        table.add_row(
            number,
            t.date.isoformat(),
            str(t.type),
            "/".join(code for code in (t.team_code, t.salesperson_code) if code),
            t.contact_no or "",
            t.description,
            _state(t),
        )
    return table


def select_tasks(
    crm: rm.Crm,
    *,
    contact_no: str | None = None,
    salesperson_code: str | None = None,
    team_code: str | None = None,
    closed: bool | None = None,
    subtasks: bool = False,
) -> list[Task]:
    """Return the tasks ``relmgmt tasks list`` and ``export`` show.

    Without ``subtasks`` a list holds main tasks only (No. = Organizer To-do No.),
    except a salesperson's, which holds what BC lists for a salesperson: the
    Organizer and Salesperson Attendee tasks (a team member's sub-tasks too, §8).
    A contact's covers a company's persons (§2.2).
    """
    filters: dict[str, object] = {}
    if closed is not None:
        filters["closed"] = closed
    if team_code is not None:
        filters["team_code"] = team_code
    if salesperson_code is not None:
        filters["salesperson_code"] = salesperson_code
        if not subtasks:
            filters["system_task_types"] = _SALESPERSON_LIST
    found = crm.tasks.list(contact_no=contact_no, **filters)
    if subtasks or salesperson_code is not None:
        return found
    return [t for t in found if not _is_subtask(t)]


def tasks_calendar(crm: rm.Crm, tasks: Sequence[Task]) -> bytes:
    """Write ``tasks`` as iCalendar with their meeting attendees (§7.5).

    The salespeople's and contacts' e-mail addresses become the attendees'
    ``mailto:`` and their names the ``CN`` where the attendee has none;
    ``DTSTAMP`` is the clock's now.
    """
    people: dict[str, tuple[str, str]] = {
        sp.code: (sp.name, sp.email) for sp in crm.salespeople.list()
    }
    attendees: dict[str, Sequence[Attendee]] = {}
    for task in tasks:
        if task.type is not TaskType.MEETING:
            continue
        rows: list[Attendee] = []
        for attendee in crm.tasks.attendees(task.no):
            number = attendee.attendee_no
            if number not in people and attendee.attendee_type is AttendeeType.CONTACT:
                contact = crm.contacts.get(number)
                people[number] = (contact.name, contact.email)
            name = attendee.attendee_name or people.get(number, ("", ""))[0]
            rows.append(attrs.evolve(attendee, attendee_name=name[:100]))
        if rows:
            attendees[task.no] = rows
    emails = {number: email for number, (_, email) in people.items() if email}
    return tasks_to_ical(
        tasks, attendees=attendees, emails=emails, stamp=crm.clock.now()
    )


def _duration(text: str) -> dt.timedelta:
    """``30`` (minutes), ``1:30`` (hours:minutes) or ``1d``, ``2h``, ``1h30m``."""
    if text.isdigit():
        return dt.timedelta(minutes=int(text))
    hours, sep, minutes = text.partition(":")
    if sep and hours.isdigit() and minutes.isdigit():
        return dt.timedelta(hours=int(hours), minutes=int(minutes))
    parts = _DURATION.findall(text.lower())
    if not parts or "".join(n + u for n, u in parts) != text.lower():
        raise ValueError(text)
    return dt.timedelta(**{_UNITS[unit]: int(n) for n, unit in parts})


def _task_fields(assignments: tuple[str, ...]) -> dict[str, object]:
    """FIELD=VALUE as task fields: times, durations, dates, flags; text stays text."""
    fields: dict[str, object] = {}
    for name, raw in parse_assignments(assignments, raw=True).items():
        text = str(raw)
        try:
            if name == "start_time":
                fields[name] = dt.time.fromisoformat(text)
            elif name == "duration":
                fields[name] = _duration(text)
            elif name == "date":
                fields[name] = dt.date.fromisoformat(text)
            elif name in _BOOL_FIELDS | _INT_FIELDS:
                fields[name] = parse_value(text)
            else:
                blank = text in {"", "-"} and name not in _TEXT_FIELDS
                fields[name] = None if blank else text
        except ValueError as error:
            raise click.BadParameter(f"{name}={text}: not a valid value") from error
    return fields


@click.group()
def tasks() -> None:
    """Tasks, phone calls and meetings; recurrence and iCalendar (spec §7)."""


@tasks.command("add")
@click.argument("salesperson", required=False)
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.option("--team", "team_code", help="A team task instead (§7.5).")
@click.option("--contact", "contact_no", help="The contact the task is about.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Default: the setup's Default Task Date Calculation (§7.3).",
)
@click.option(
    "--type",
    "kind",
    type=click.Choice(sorted(_TYPES), case_sensitive=False),
    help="The task type (default: blank).",
)
@click.option("--description", "-m", help="What is to be done.")
@click.option("--recurring", metavar="FORMULA", help="Recur every FORMULA, e.g. 1W.")
@click.option(
    "--from",
    "calc_from",
    type=click.Choice(sorted(_CALC_FROM), case_sensitive=False),
    help="The next date counts from the due date or the closing date (§7.4).",
)
@click.option("--organizer", help="The meeting organizer of a team meeting (§7.5).")
@click.pass_context
def add(
    ctx: click.Context,
    salesperson: str | None,
    assignments: tuple[str, ...],
    team_code: str | None,
    contact_no: str | None,
    day: dt.datetime | None,
    kind: str | None,
    description: str | None,
    recurring: str | None,
    calc_from: str | None,
    organizer: str | None,
) -> None:
    """Create a task for SALESPERSON (or --team) with its sub-tasks (§7.1, §7.5).

    Other fields as FIELD=VALUE, e.g. ``start_time=09:30 duration=1h30m
    priority=High location="Their office"``; a duration is minutes, H:MM or
    a span such as 1d, 2h, 45m.
    """
    if salesperson is not None and "=" in salesperson:
        assignments, salesperson = (salesperson, *assignments), None
    if calc_from is not None and recurring is None:
        raise click.BadParameter("--from needs --recurring", param_hint="'--from'")
    fields: dict[str, Any] = _task_fields(assignments)
    given = {
        "salesperson_code": salesperson,
        "team_code": team_code,
        "contact_no": contact_no,
        "description": description,
    }
    fields.update({name: value for name, value in given.items() if value is not None})
    if kind is not None:
        fields["type"] = _TYPES[kind.lower()]
    if day is not None:
        fields["date"] = day.date()
    if recurring is not None:
        fields.update(
            recurring=True,
            recurring_date_interval=recurring,
            calc_due_date_from=_CALC_FROM[calc_from.lower()] if calc_from else "",
        )
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        task = crm.tasks.create(meeting_organizer=organizer, **fields)
        subtasks = crm.tasks.subtasks(task.no)
        attendees = crm.tasks.attendees(task.no)
    extras = [f"{len(subtasks)} sub-task(s)"]
    if attendees:
        extras.append(f"{len(attendees)} attendee(s)")
    console.print(f"Task {task.no} created with {' and '.join(extras)}.")
    console.print(tasks_table(f"Task {task.no}", [task, *subtasks]))


@tasks.command("list")
@click.option("--contact", "contact_no", help="A contact's tasks (a company's: all).")
@click.option("--salesperson", "salesperson_code", help="A salesperson's (§8).")
@click.option("--team", "team_code", help="A team's tasks.")
@click.option("--open/--closed", "is_open", default=None, help="Only open or closed.")
@click.option("--subtasks", is_flag=True, help="Show the sub-tasks too (§7.5).")
@click.pass_context
def list_tasks(
    ctx: click.Context,
    contact_no: str | None,
    salesperson_code: str | None,
    team_code: str | None,
    is_open: bool | None,
    subtasks: bool,
) -> None:
    """List tasks by date and number; main tasks only unless --subtasks."""
    with workspace(ctx) as crm:
        found = select_tasks(
            crm,
            contact_no=contact_no,
            salesperson_code=salesperson_code,
            team_code=team_code,
            closed=None if is_open is None else not is_open,
            subtasks=subtasks,
        )
    ctx.obj["console"].print(tasks_table("Tasks", found))


@tasks.command("close")
@click.argument("no")
@click.option("--by", "completed_by", help="Completed By; needed for a team task.")
@click.pass_context
def close(ctx: click.Context, no: str, completed_by: str | None) -> None:
    """Close a task (§7.2); a recurring one gets its next occurrence (§7.4)."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        before = crm.tasks.get(no)
        closed = crm.tasks.close(no, completed_by=completed_by)
        created = None
        if closed.successor_no is not None and before.successor_no is None:
            created = crm.tasks.get(closed.successor_no)
    if before.closed:
        console.print(f"Task {closed.no} is already closed.")
        return
    console.print(f"Task {closed.no} closed on {closed.date_closed}.")
    if created is not None:
        console.print(
            f"Task No. {created.no} has been created from recurring Task {closed.no}."
        )
        console.print(tasks_table(f"Task {created.no}", [created]))


@tasks.command("cancel")
@click.argument("no")
@click.pass_context
def cancel(ctx: click.Context, no: str) -> None:
    """Cancel a task: it closes, without a next occurrence (§7.2)."""
    with workspace(ctx) as crm:
        task = crm.tasks.cancel(no)
    ctx.obj["console"].print(f"Task {task.no} canceled.")


@tasks.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--contact", "contact_no", help="A contact's tasks (a company's: all).")
@click.option("--salesperson", "salesperson_code", help="A salesperson's (§8).")
@click.option("--team", "team_code", help="A team's tasks.")
@click.option("--open/--closed", "is_open", default=None, help="Only open or closed.")
@click.pass_context
def export(
    ctx: click.Context,
    path: str,
    contact_no: str | None,
    salesperson_code: str | None,
    team_code: str | None,
    is_open: bool | None,
) -> None:
    """Write the listed tasks to PATH as iCalendar (.ics), with their attendees.

    Meetings and phone calls become events, other tasks to-dos; the task number
    is the UID, so a calendar updates its items when it imports the file again.
    """
    with workspace(ctx) as crm:
        found = select_tasks(
            crm,
            contact_no=contact_no,
            salesperson_code=salesperson_code,
            team_code=team_code,
            closed=None if is_open is None else not is_open,
        )
        data = tasks_calendar(crm, found)
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error}") from error
    events, todos = data.count(b"BEGIN:VEVENT"), data.count(b"BEGIN:VTODO")
    ctx.obj["console"].print(
        f"Wrote {len(found)} task(s) to {path}: {events} event(s), {todos} to-do(s), "
        f"{len(data):,} bytes."
    )
