"""iCalendar export of tasks and meetings (issue #4, extra ``interop``; §7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from relationship_mgmt.domain.tasks import (
    AttendanceType,
    Attendee,
    AttendeeType,
    InvitationResponse,
    Task,
)
from relationship_mgmt.interop.icalendar import tasks_to_ical

DAY = dt.date(2026, 3, 2)


def _parse(data: bytes) -> list[Any]:  # icalendar's values are loosely typed
    calendar = icalendar.Calendar.from_ical(data)
    return [c for c in calendar.walk() if c.name in {"VEVENT", "VTODO"}]


def test_a_meeting_is_an_event_with_floating_times_and_attendees() -> None:
    """§7.3: meetings end at Date + Start Time + Duration; §7.5 attendees."""
    meeting = Task(
        no="TD1",
        salesperson_code="JO",
        type="Meeting",
        date=DAY,
        start_time=dt.time(14, 0),
        duration=dt.timedelta(hours=1),
        description="Quarterly review",
        location="Leeds office",
        priority="High",
    )
    people = [
        Attendee(
            line_no=1,
            attendance_type=AttendanceType.ORGANIZER,
            attendee_type=AttendeeType.SALESPERSON,
            attendee_no="JO",
            attendee_name="Jo Smith",
        ),
        Attendee(
            line_no=2,
            attendance_type=AttendanceType.REQUIRED,
            attendee_type=AttendeeType.CONTACT,
            attendee_no="CT000002",
            attendee_name="Jane Smith",
            invitation_response=InvitationResponse.ACCEPTED,
        ),
        Attendee(
            line_no=3,
            attendance_type=AttendanceType.OPTIONAL,
            attendee_type=AttendeeType.CONTACT,
            attendee_no="CT000003",
        ),
    ]

    data = tasks_to_ical(
        [meeting],
        attendees={"TD1": people},
        emails={"JO": "jo@cronus.example", "CT000002": "jane@fabrikam.example"},
    )
    (event,) = _parse(data)

    assert event.name == "VEVENT"
    assert str(event["uid"]) == "TD1@relationship-mgmt"
    assert event.decoded("dtstart") == dt.datetime.combine(DAY, dt.time(14))
    assert event.decoded("dtend") == dt.datetime.combine(DAY, dt.time(15))
    assert str(event["location"]) == "Leeds office"
    assert event["priority"] == 1
    assert str(event["organizer"]) == "mailto:jo@cronus.example"
    attendees = event["attendee"]
    assert [str(a) for a in attendees] == [
        "mailto:jane@fabrikam.example",
        "urn:x-no:CT000003",
    ]
    assert attendees[0].params["partstat"] == "ACCEPTED"
    assert attendees[1].params["role"] == "OPT-PARTICIPANT"
    assert b"\r\n" in data


def test_a_plain_task_is_a_todo_due_at_its_end_and_closed_tasks_are_completed() -> None:
    """§7.3: a task that is neither meeting nor call; §7.2 closed = Completed."""
    task = Task(
        no="TD2",
        team_code="SALES",
        date=DAY,
        duration=dt.timedelta(hours=2),
        description="Send the offer",
    )
    task.close(today=DAY, completed_by="JO")

    (todo,) = _parse(tasks_to_ical([task]))

    assert todo.name == "VTODO"
    assert todo.decoded("due") == task.end_datetime
    assert str(todo["status"]) == "COMPLETED"
    assert todo.decoded("completed") == dt.datetime.combine(DAY, dt.time())


def test_all_day_tasks_use_dates_and_canceled_ones_are_cancelled() -> None:
    """An all-day event is written with DATE values (§7.3)."""
    task = Task(
        no="TD3",
        salesperson_code="JO",
        type="Meeting",
        date=DAY,
        all_day_event=True,
        duration=dt.timedelta(days=1),
    )
    task.cancel(today=DAY)

    (event,) = _parse(tasks_to_ical([task]))

    assert event.decoded("dtstart") == DAY
    assert event.decoded("dtend") == DAY + dt.timedelta(days=1)
    assert str(event["status"]) == "CANCELLED"


def test_the_same_tasks_give_the_same_bytes() -> None:
    """No clock is read: DTSTAMP is fixed unless given."""
    task = Task(no="TD4", salesperson_code="JO", date=DAY)
    stamp = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)

    assert tasks_to_ical([task]) == tasks_to_ical([task])
    assert b"DTSTAMP:20260301T000000Z" in tasks_to_ical([task], stamp=stamp)
