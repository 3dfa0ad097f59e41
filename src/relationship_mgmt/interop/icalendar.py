"""Tasks and meetings as iCalendar (RFC 5545), for calendars (extra ``interop``).

:func:`tasks_to_ical` writes one ``VCALENDAR``: a meeting or a phone call becomes a
``VEVENT`` (it happens at a time), any other task a ``VTODO`` (it is due on a date).
BC's dates and times carry no time zone, so times are written "floating" (local
wall-clock time, RFC 5545 §3.3.5 form 1), and an all-day task uses ``DATE`` values.
The task number is the ``UID`` (with ``@relationship-mgmt``), so exporting again
updates the same calendar items instead of adding new ones.

>>> import datetime as dt
>>> from relationship_mgmt.domain.tasks import Task
>>> call = Task(no="TD1", salesperson_code="JO", type="Phone Call",
...             date=dt.date(2026, 3, 2), start_time=dt.time(9, 30),
...             duration=dt.timedelta(minutes=15), description="Call Jane")
>>> text = tasks_to_ical([call]).decode()
>>> "BEGIN:VEVENT" in text and "DTSTART:20260302T093000" in text
True
>>> "SUMMARY:Call Jane" in text and "DTEND:20260302T094500" in text
True
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from relationship_mgmt.domain.tasks import (
    AttendanceType,
    Attendee,
    InvitationResponse,
    Task,
    TaskPriority,
    TaskStatus,
    TaskType,
)
from relationship_mgmt.errors import MissingOptionalDependencyError

__all__ = ["tasks_to_ical"]

_UID_DOMAIN = "relationship-mgmt"
_TODO_STATUS = {
    TaskStatus.NOT_STARTED: "NEEDS-ACTION",
    TaskStatus.IN_PROGRESS: "IN-PROCESS",
    TaskStatus.COMPLETED: "COMPLETED",
    TaskStatus.WAITING: "NEEDS-ACTION",
    TaskStatus.POSTPONED: "NEEDS-ACTION",
}
# RFC 5545 PRIORITY: 1 highest .. 9 lowest, 0 undefined.
_PRIORITY = {TaskPriority.HIGH: 1, TaskPriority.NORMAL: 5, TaskPriority.LOW: 9}
_ROLE = {
    AttendanceType.REQUIRED: "REQ-PARTICIPANT",
    AttendanceType.OPTIONAL: "OPT-PARTICIPANT",
    AttendanceType.ORGANIZER: "CHAIR",
}
_PARTSTAT = {
    InvitationResponse.NONE: "NEEDS-ACTION",
    InvitationResponse.ACCEPTED: "ACCEPTED",
    InvitationResponse.DECLINED: "DECLINED",
    InvitationResponse.TENTATIVE: "TENTATIVE",
}


def _icalendar() -> Any:  # noqa: ANN401 - icalendar's classes at this seam
    try:
        return importlib.import_module("icalendar")
    except ImportError as error:  # pragma: no cover - the extra is installed in tests
        raise MissingOptionalDependencyError(
            "interop", "iCalendar export of tasks"
        ) from error


def tasks_to_ical(
    tasks: Iterable[Task],
    *,
    attendees: Mapping[str, Sequence[Attendee]] | None = None,
    emails: Mapping[str, str] | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Write tasks and meetings as one iCalendar document (§7.1, §7.3, §7.5).

    Args:
        tasks: The tasks; sub-tasks of a meeting are usually left out (pass the
            organizer's task and its attendees instead).
        attendees: The attendees of each task, by task number (§7.5); written as
            ``ATTENDEE`` (or ``ORGANIZER`` for the task organizer) lines.
        emails: Attendee number (a contact's or salesperson's) -> e-mail address,
            for the ``mailto:`` of each attendee; without one the attendee is
            written by name only.
        stamp: ``DTSTAMP`` (aware); default 1970-01-01 UTC, so that exporting the
            same tasks gives the same bytes (the library never reads a clock here).

    Returns:
        The ``.ics`` document, CRLF line endings, UTF-8.

    Raises:
        MissingOptionalDependencyError: ``icalendar`` is not installed (extra
            ``interop``).
    """
    ical = _icalendar()
    calendar = ical.Calendar()
    calendar.add("prodid", "-//relationship-mgmt//tasks//EN")
    calendar.add("version", "2.0")
    when = stamp or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for task in tasks:
        component = _component(ical, task, when)
        for attendee in (attendees or {}).get(task.no, ()):
            _add_attendee(ical, component, attendee, emails or {})
        calendar.add_component(component)
    return bytes(calendar.to_ical())


def _component(ical: Any, task: Task, stamp: dt.datetime) -> Any:  # noqa: ANN401
    event = task.type in {TaskType.MEETING, TaskType.PHONE_CALL}
    component = ical.Event() if event else ical.Todo()
    component.add("uid", f"{task.no or 'draft'}@{_UID_DOMAIN}")
    component.add("dtstamp", stamp)
    component.add("summary", task.description or task.subject or task.no)
    if task.location:
        component.add("location", task.location)
    component.add("priority", _PRIORITY[task.priority])
    if task.all_day_event:
        component.add("dtstart", task.date)
        end = task.ending_date + dt.timedelta(days=1)
        component.add("dtend" if event else "due", end)
    else:
        component.add("dtstart", task.start_datetime)
        component.add("dtend" if event else "due", task.end_datetime)
    if event:
        component.add("status", "CANCELLED" if task.canceled else "CONFIRMED")
    else:
        component.add(
            "status", "CANCELLED" if task.canceled else _TODO_STATUS[task.status]
        )
        if task.closed and task.date_closed is not None:
            component.add("completed", dt.datetime.combine(task.date_closed, dt.time()))
    categories = [str(task.type) or "Task"]
    component.add("categories", categories)
    return component


def _add_attendee(
    ical: Any,  # noqa: ANN401
    component: Any,  # noqa: ANN401
    attendee: Attendee,
    emails: Mapping[str, str],
) -> None:
    email = emails.get(attendee.attendee_no, "")
    address = ical.vCalAddress(
        f"mailto:{email}" if email else f"urn:x-no:{attendee.attendee_no}"
    )
    if attendee.attendee_name:
        address.params["cn"] = ical.vText(attendee.attendee_name)
    if attendee.attendance_type is AttendanceType.ORGANIZER:
        component.add("organizer", address, encode=False)
        return
    address.params["role"] = ical.vText(_ROLE[attendee.attendance_type])
    address.params["partstat"] = ical.vText(_PARTSTAT[attendee.invitation_response])
    component.add("attendee", address, encode=False)
