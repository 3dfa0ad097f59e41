"""Tasks: fields, state machine, dates, recurrence, attendees, activities (spec §7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.tasks import (
    MAX_DURATION,
    Activity,
    ActivityStep,
    AttendanceType,
    Attendee,
    AttendeeType,
    CalcDueDateFrom,
    InvitationResponse,
    SystemTaskType,
    Task,
    TaskPriority,
    TaskStatus,
    TaskType,
    cancel_open_tasks,
    check_attendees,
    default_attendees,
    is_deletable,
    next_occurrence,
    plan_activity,
    plan_contact_change,
    plan_meeting_subtasks,
    plan_segment_tasks,
    plan_team_subtasks,
    propagate,
    stage_base_task,
    subtask,
    subtasks_of,
)
from relationship_mgmt.errors import (
    DateFormulaError,
    DomainError,
    TaskRuleError,
    ValidationError,
)

DAY = date(2024, 3, 4)  # a Monday
TODAY = date(2024, 3, 6)

EITHER = "You must fill in either the Salesperson Code field or the Team Code field."
COMPLETED_BY = "The Completed By field must be filled in for Tasks assigned to a team."


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A floating wall-clock datetime, as BC's Date and Time fields give."""
    return datetime.combine(date(year, month, day), time(hour, minute))


def make(**fields: Any) -> Task:
    values: dict[str, Any] = {"no": "TD1", "salesperson_code": "JS", "date": DAY}
    values.update(fields)
    return Task(**values)


def recurring(**fields: Any) -> Task:
    return make(
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from=CalcDueDateFrom.DUE_DATE,
        **fields,
    )


def organizer(no: str = "JS") -> Attendee:
    return Attendee(
        line_no=10000,
        attendance_type=AttendanceType.ORGANIZER,
        attendee_type=AttendeeType.SALESPERSON,
        attendee_no=no,
    )


# --- §7.1 fields ---------------------------------------------------------------------


def test_a_new_task_has_bcs_defaults() -> None:
    task = make()

    assert task.type is TaskType.BLANK
    assert task.status is TaskStatus.NOT_STARTED
    assert task.priority is TaskPriority.NORMAL
    assert task.duration == timedelta(days=1)  # StartWizard: Duration := 1 day
    assert task.start_time == time(0)
    assert task.calc_due_date_from is CalcDueDateFrom.BLANK
    assert task.system_task_type is SystemTaskType.ORGANIZER
    assert task.organizer_task_no == "TD1"  # OnInsert
    assert (task.closed, task.canceled, task.date_closed) == (False, False, None)
    assert task.unit_cost_lcy == Decimal(0)
    assert not task.is_team_task


def test_codes_are_normalised() -> None:
    task = make(
        no=" td1 ",
        salesperson_code="js",
        campaign_no="cp1",
        contact_no="ct1",
        contact_company_no="ct0",
        opportunity_no="op1",
        segment_no="sm1",
        interaction_template_code="call",
        language_code="enu",
    )

    assert (task.no, task.salesperson_code, task.campaign_no) == ("TD1", "JS", "CP1")
    assert (task.contact_no, task.contact_company_no) == ("CT1", "CT0")
    assert (task.opportunity_no, task.segment_no) == ("OP1", "SM1")
    assert (task.interaction_template_code, task.language_code) == ("CALL", "ENU")


def test_blank_codes_become_none() -> None:
    task = make(campaign_no="  ", contact_no=None)

    assert task.campaign_no is None
    assert task.contact_no is None


def test_a_task_needs_a_salesperson_or_a_team() -> None:
    # §7.1 Team Code: "You must fill in either the %1 field or the %2 field."
    with pytest.raises(TaskRuleError) as info:
        make(salesperson_code=None)

    assert info.value.reason == EITHER
    assert info.value.task_no == "TD1"


def test_a_team_task_defaults_to_system_type_team() -> None:
    task = make(salesperson_code=None, team_code="sales")

    assert task.team_code == "SALES"
    assert task.system_task_type is SystemTaskType.TEAM
    assert task.organizer_task_no == "TD1"
    assert task.is_team_task


def test_an_organizer_sub_task_of_a_team_has_no_own_organizer_default() -> None:
    task = make(team_code="SALES", system_task_type="Organizer")

    assert task.organizer_task_no is None


def test_a_draft_has_a_blank_number_and_no_organizer_task() -> None:
    task = Task(salesperson_code="JS", date=DAY)

    assert task.no == ""
    assert task.organizer_task_no is None


def test_system_type_team_needs_a_team_code() -> None:
    with pytest.raises(ValidationError) as info:
        make(system_task_type=SystemTaskType.TEAM)

    assert info.value.field == "system_task_type"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("no", 5),
        ("no", "X" * 21),
        ("team_code", "X" * 11),
        ("salesperson_code", 7),
        ("type", "Visit"),
        ("status", "Done"),
        ("priority", "Urgent"),
        ("description", "x" * 101),
        ("location", 3),
        ("subject", "x" * 101),
        ("all_day_event", "yes"),
        ("closed", 1),
        ("date", datetime(2024, 3, 4, tzinfo=UTC)),
        ("date", "2024-03-04"),
        ("start_time", "09:00"),
        ("start_time", time(9, 0, tzinfo=UTC)),
        ("duration", 60),
        ("date_closed", "2024-03-04"),
        ("unit_cost_lcy", 1.5),
        ("unit_cost_lcy", True),
        ("unit_duration_min", Decimal("NaN")),
        ("opportunity_entry_no", -1),
        ("opportunity_entry_no", True),
        ("attachment_no", "1"),
        ("recurring_date_interval", 7),
        ("calc_due_date_from", "Today"),
        ("system_task_type", "Boss"),
    ],
)
def test_fields_refuse_bad_values(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        make(**{field: value})

    assert isinstance(info.value, DomainError)


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(3000, 1, 1)])
def test_the_date_lies_within_1900_and_2999(day: date) -> None:
    # §7.1 Date: 1900-01-01..2999-12-31, BC's Text006.
    with pytest.raises(ValidationError) as info:
        make(date=day)

    assert info.value.field == "date"
    assert "1900-01-01 to 2999-12-31" in info.value.reason


@pytest.mark.parametrize("day", [date(1900, 1, 1), date(2999, 12, 31)])
def test_the_date_range_is_inclusive(day: date) -> None:
    assert make(date=day).date == day


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (timedelta(minutes=-5), "negative"),
        (timedelta(0), "less than 1 minute"),
        (timedelta(seconds=59), "less than 1 minute"),
        (MAX_DURATION + timedelta(milliseconds=1), "more than 10 years"),
    ],
)
def test_duration_rules(duration: timedelta, words: str) -> None:
    # §7.1 Duration: >= 1 minute, not negative, <= 10 years (3650 days in BC).
    with pytest.raises(ValidationError) as info:
        make(duration=duration)

    assert info.value.field == "duration"
    assert words in info.value.reason


@pytest.mark.parametrize("duration", [timedelta(minutes=1), MAX_DURATION])
def test_duration_bounds_are_inclusive(duration: timedelta) -> None:
    assert make(duration=duration).duration == duration


def test_integer_links_treat_zero_as_none() -> None:
    task = make(opportunity_entry_no=0, attachment_no=None)

    assert (task.opportunity_entry_no, task.attachment_no) == (None, None)
    assert make(attachment_no=4).attachment_no == 4


def test_amounts_accept_decimals_and_integers() -> None:
    task = make(unit_cost_lcy=Decimal("2.50"), unit_duration_min=15)

    assert (task.unit_cost_lcy, task.unit_duration_min) == (
        Decimal("2.50"),
        Decimal(15),
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"recurring": True, "calc_due_date_from": "Due Date"},
            "Recurring Date Interval",
        ),
        (
            {
                "recurring": True,
                "recurring_date_interval": "",
                "calc_due_date_from": "Due Date",
            },
            "Recurring Date Interval",
        ),
        ({"recurring": True, "recurring_date_interval": "1W"}, "Calc. Due Date From"),
    ],
)
def test_recurring_needs_interval_and_calc_due_date_from(
    fields: dict[str, Any], reason: str
) -> None:
    # §7.1: "%1 must be specified."
    with pytest.raises(TaskRuleError) as info:
        make(**fields)

    assert info.value.reason == f"{reason} must be specified."


def test_the_interval_accepts_a_formula_and_drops_an_empty_one() -> None:
    assert make(
        recurring_date_interval=DateFormula.parse("2W")
    ).recurring_date_interval == (DateFormula.parse("2W"))
    assert make(recurring_date_interval=DateFormula()).recurring_date_interval is None


def test_a_bad_interval_text_is_refused() -> None:
    with pytest.raises(DateFormulaError):
        make(recurring_date_interval="1X")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": TaskStatus.COMPLETED},
        {"closed": True, "date_closed": DAY},
        {"canceled": True},
        {"closed": True, "status": "Completed"},
        {"date_closed": DAY},
        {"completed_by": "JS"},
    ],
)
def test_the_state_invariants_are_checked_on_construction(
    fields: dict[str, Any],
) -> None:
    # §7.2: Completed <=> Closed; Canceled => Closed; Date Closed while closed only;
    # an open task has no Completed By.
    with pytest.raises(ValidationError):
        make(**fields)


def test_a_closed_canceled_task_can_be_stored() -> None:
    task = make(
        status="Completed",
        closed=True,
        canceled=True,
        date_closed=DAY,
        completed_by="JS",
    )

    assert task.canceled


def test_a_task_is_not_its_own_successor() -> None:
    with pytest.raises(ValidationError) as info:
        make(successor_no="TD1")

    assert info.value.field == "successor_no"


def test_meetings_are_allowed() -> None:
    # §7.1 says BC's cloud refuses meetings: a hosting limitation, not a rule here.
    assert make(type="Meeting").type is TaskType.MEETING


# --- §7.2 state machine ----------------------------------------------------------------


def test_status_completed_closes_the_task() -> None:
    task = make()

    result = task.change_status(TaskStatus.COMPLETED, today=TODAY)

    assert result is None
    assert (task.closed, task.status, task.date_closed) == (
        True,
        TaskStatus.COMPLETED,
        TODAY,
    )


def test_any_other_status_opens_the_task_and_keeps_that_status() -> None:
    task = make()
    task.close(today=TODAY)

    task.change_status("Postponed", today=TODAY)

    assert (task.closed, task.status, task.date_closed, task.completed_by) == (
        False,
        TaskStatus.POSTPONED,
        None,
        None,
    )


def test_a_status_change_on_an_open_task_only_changes_the_status() -> None:
    task = make()

    task.change_status(TaskStatus.WAITING, today=TODAY)

    assert (task.status, task.closed) == (TaskStatus.WAITING, False)


def test_status_rejects_unknown_values_and_bad_today() -> None:
    task = make()

    with pytest.raises(ValidationError):
        task.change_status("Done", today=TODAY)
    with pytest.raises(ValidationError):
        task.change_status(TaskStatus.WAITING, today="2024-03-06")  # type: ignore[arg-type]


def test_closing_sets_date_closed_and_completed() -> None:
    task = make()

    task.close(today=TODAY, completed_by="ab")

    assert (task.closed, task.status, task.date_closed, task.completed_by) == (
        True,
        TaskStatus.COMPLETED,
        TODAY,
        "AB",
    )


def test_a_team_task_needs_completed_by_to_close() -> None:
    # §7.2: "The Completed By field must be filled in for Tasks assigned to a team."
    task = make(salesperson_code=None, team_code="SALES")

    with pytest.raises(TaskRuleError) as info:
        task.close(today=TODAY)

    assert info.value.reason == COMPLETED_BY
    assert not task.closed


def test_closing_a_closed_task_changes_nothing() -> None:
    task = make()
    task.close(today=TODAY)

    assert task.close(today=date(2024, 3, 9)) is None
    assert task.date_closed == TODAY


def test_closing_refuses_a_datetime_as_today() -> None:
    with pytest.raises(ValidationError) as info:
        make().close(today=datetime(2024, 3, 6, tzinfo=UTC))

    assert info.value.field == "today"


def test_reopening_clears_the_closing_fields() -> None:
    # §7.2 Closed = False: Canceled false, no Date Closed, Completed -> In Progress,
    # Completed By blank.
    task = make(salesperson_code=None, team_code="SALES")
    task.close(today=TODAY, completed_by="JS")

    task.reopen()

    assert (task.closed, task.status, task.date_closed, task.completed_by) == (
        False,
        TaskStatus.IN_PROGRESS,
        None,
        None,
    )


def test_reopening_an_open_task_changes_nothing() -> None:
    task = make(status=TaskStatus.WAITING)

    task.reopen()

    assert task.status is TaskStatus.WAITING


def test_canceling_closes_without_completed_by() -> None:
    # §7.2 Canceled = True goes through Closed = True without Completed By.
    task = make(salesperson_code=None, team_code="SALES")

    task.cancel(today=TODAY)

    assert (task.canceled, task.closed, task.status, task.date_closed) == (
        True,
        True,
        TaskStatus.COMPLETED,
        TODAY,
    )


def test_canceling_a_closed_task_only_marks_it_canceled() -> None:
    task = make()
    task.close(today=TODAY)

    task.cancel(today=date(2024, 3, 9))

    assert (task.canceled, task.date_closed) == (True, TODAY)


def test_canceling_twice_changes_nothing() -> None:
    task = make()
    task.cancel(today=TODAY)

    task.cancel(today=date(2024, 3, 9))

    assert task.date_closed == TODAY


def test_uncanceling_reopens_the_task() -> None:
    # §7.2 Canceled = False: if closed, Closed := False.
    task = make()
    task.cancel(today=TODAY)

    task.uncancel()

    assert (task.canceled, task.closed, task.status) == (
        False,
        False,
        TaskStatus.IN_PROGRESS,
    )


def test_uncanceling_a_task_that_is_not_canceled_changes_nothing() -> None:
    task = make()
    task.close(today=TODAY)

    task.uncancel()

    assert task.closed


def test_cancel_open_tasks_clears_recurring_then_cancels() -> None:
    # §7.2 CancelOpenTasks: Recurring := false, then Canceled := true.
    open_task = recurring(no="TD1")
    closed_task = make(no="TD2")
    closed_task.close(today=TODAY)
    canceled_task = make(no="TD3")
    canceled_task.cancel(today=TODAY)

    result = cancel_open_tasks([open_task, closed_task, canceled_task], today=TODAY)

    assert result == [open_task]
    assert (open_task.recurring, open_task.canceled, open_task.successor_no) == (
        False,
        True,
        None,
    )
    assert not closed_task.canceled


def test_cancel_open_tasks_checks_today_first() -> None:
    task = make()

    with pytest.raises(ValidationError):
        cancel_open_tasks([task], today="today")  # type: ignore[arg-type]

    assert not task.closed


# --- §7.4 recurrence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calc_from", "expected"),
    [
        (CalcDueDateFrom.DUE_DATE, date(2024, 3, 11)),
        (CalcDueDateFrom.CLOSING_DATE, date(2024, 3, 13)),
    ],
)
def test_the_weekly_call_example(calc_from: CalcDueDateFrom, expected: date) -> None:
    # §7.4: interval 1W, due 2024-03-04, closed 2024-03-06 -> 2024-03-11 with Due
    # Date, 2024-03-13 with Closing Date.
    call = make(
        type=TaskType.PHONE_CALL,
        date=date(2024, 3, 4),
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from=calc_from,
    )

    successor = call.close(today=date(2024, 3, 6), new_no="TD2")

    assert successor is not None
    assert successor.date == expected
    assert call.successor_no == "TD2"


def test_the_successor_is_a_fresh_open_copy() -> None:
    # §7.4: new No., Not Started, not closed or canceled, no Date Closed or Completed
    # By; ending date and time follow from the new date and the same duration.
    call = recurring(
        salesperson_code=None,
        team_code="SALES",
        type=TaskType.PHONE_CALL,
        start_time=time(9, 30),
        duration=timedelta(minutes=20),
        description="Weekly call",
        contact_no="CT1",
        version=4,
    )

    successor = call.close(today=TODAY, completed_by="JS", new_no=lambda: "td9")

    assert successor is not None
    assert (successor.no, successor.version, successor.organizer_task_no) == (
        "TD9",
        0,
        "TD9",
    )
    assert successor.status is TaskStatus.NOT_STARTED
    assert (successor.closed, successor.canceled) == (False, False)
    assert (successor.date_closed, successor.completed_by) == (None, None)
    assert (successor.description, successor.contact_no) == ("Weekly call", "CT1")
    assert successor.recurring
    assert successor.system_task_type is SystemTaskType.TEAM
    assert (successor.ending_date, successor.ending_time) == (
        date(2024, 3, 11),
        time(9, 50),
    )
    assert successor.successor_no is None


def test_a_recurring_team_meeting_successor_has_no_salesperson() -> None:
    meeting = recurring(team_code="SALES", type="Meeting")

    successor = next_occurrence(meeting, new_no="TD2", today=TODAY)

    assert successor.salesperson_code is None
    assert successor.team_code == "SALES"


def test_a_closed_task_produces_at_most_one_successor() -> None:
    task = recurring()
    first = task.close(today=TODAY, new_no="TD2")

    task.reopen()
    second = task.close(today=TODAY, new_no="TD3")
    task.change_status(TaskStatus.IN_PROGRESS, today=TODAY)
    third = task.change_status(TaskStatus.COMPLETED, today=TODAY, new_no="TD4")

    assert first is not None
    assert (second, third) == (None, None)
    assert task.successor_no == "TD2"


def test_the_number_is_asked_for_only_when_a_successor_is_made() -> None:
    calls: list[str] = []

    def number() -> str:
        calls.append("TD2")
        return "TD2"

    plain = make()
    plain.close(today=TODAY, new_no=number)

    assert calls == []


def test_closing_a_recurring_task_without_a_number_is_refused() -> None:
    task = recurring()

    with pytest.raises(ValidationError) as info:
        task.close(today=TODAY)

    assert info.value.field == "new_no"
    assert not task.closed


def test_a_successor_beyond_2999_leaves_the_task_open() -> None:
    task = recurring(date=date(2999, 12, 30))

    with pytest.raises(ValidationError):
        task.close(today=TODAY, new_no="TD2")

    assert not task.closed
    assert task.successor_no is None


def test_canceling_a_recurring_task_creates_no_successor() -> None:
    task = recurring()

    task.cancel(today=TODAY)

    assert task.successor_no is None


def test_next_occurrence_checks_its_inputs() -> None:
    task = recurring()

    with pytest.raises(ValidationError):
        next_occurrence(task, new_no="  ", today=TODAY)
    with pytest.raises(ValidationError):
        next_occurrence(task, new_no="td1", today=TODAY)
    with pytest.raises(TaskRuleError) as info:
        next_occurrence(make(), new_no="TD2", today=TODAY)
    assert info.value.reason == "Recurring Date Interval must be specified."
    with pytest.raises(TaskRuleError) as info:
        next_occurrence(make(recurring_date_interval="1W"), new_no="TD2", today=TODAY)
    assert info.value.reason == "Calc. Due Date From must be specified."


def test_next_occurrence_leaves_the_task_unchanged() -> None:
    task = recurring()
    before = attrs.evolve(task)

    next_occurrence(task, new_no="TD2", today=TODAY)

    assert task == before


def test_recurrence_can_be_switched_on_and_off() -> None:
    task = make()

    task.make_recurring("1M", calc_due_date_from="Closing Date")
    task.stop_recurring()

    assert not task.recurring
    assert str(task.recurring_date_interval) == "1M"
    with pytest.raises(TaskRuleError):
        task.make_recurring("", calc_due_date_from="Due Date")
    with pytest.raises(TaskRuleError):
        task.make_recurring("1W", calc_due_date_from="")


# --- §7.3 dates, times and duration -------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "end"),
    [
        # ' ' with a start time: DateTime(Date - 1, Start Time) + Duration (BC).
        (
            {"start_time": time(9, 0), "duration": timedelta(hours=2)},
            at(2024, 3, 3, 11, 0),
        ),
        # ' ' at 00:00: DateTime(Date, 00:00) + Duration.
        ({}, at(2024, 3, 5, 0, 0)),
        # all day at 00:00: the day holding the last second, at 00:00.
        (
            {"type": "Meeting", "all_day_event": True, "duration": timedelta(days=2)},
            at(2024, 3, 5, 0, 0),
        ),
        # all day with a start time: Date - 1 as well.
        (
            {
                "type": "Meeting",
                "all_day_event": True,
                "start_time": time(8, 0),
                "duration": timedelta(days=1),
            },
            at(2024, 3, 4, 8, 0),
        ),
        # meetings and phone calls: DateTime(Date, Start Time) + Duration.
        (
            {
                "type": "Meeting",
                "start_time": time(9, 0),
                "duration": timedelta(hours=2),
            },
            at(2024, 3, 4, 11, 0),
        ),
        (
            {
                "type": "Phone Call",
                "start_time": time(23, 0),
                "duration": timedelta(hours=2),
            },
            at(2024, 3, 5, 1, 0),
        ),
    ],
)
def test_end_datetime_follows_get_end_datetime(
    fields: dict[str, Any], end: datetime
) -> None:
    task = make(**fields)

    assert task.end_datetime == end
    assert task.ending_date == end.date()


def test_ending_time_is_midnight_for_all_day_events() -> None:
    meeting = make(type="Meeting", start_time=time(9, 0), duration=timedelta(hours=1))
    all_day = make(type="Meeting", all_day_event=True, duration=timedelta(hours=5))

    assert meeting.ending_time == time(10, 0)
    assert all_day.ending_time == time(0)
    assert meeting.start_datetime == at(2024, 3, 4, 9, 0)


def test_change_end_sets_the_duration() -> None:
    # §7.3 SetDuration, not all day: end - DateTime(Date, Start Time).
    meeting = make(type="Meeting", start_time=time(10, 0))

    meeting.change_end(date(2024, 3, 5), time(9, 0))

    assert meeting.duration == timedelta(hours=23)


def test_change_end_of_an_all_day_event_counts_whole_days() -> None:
    # §7.3 SetDuration, all day: DateTime(end + 1, 00:00) - DateTime(Date, 00:00).
    meeting = make(type="Meeting", all_day_event=True)

    meeting.change_end(date(2024, 3, 6), time(15, 0))

    assert meeting.duration == timedelta(days=3)
    assert meeting.ending_date == date(2024, 3, 6)


def test_change_end_refuses_an_end_before_the_start() -> None:
    meeting = make(type="Meeting", start_time=time(10, 0), duration=timedelta(hours=1))

    with pytest.raises(ValidationError) as info:
        meeting.change_end(date(2024, 3, 4), time(9, 0))

    assert "negative" in info.value.reason
    assert meeting.duration == timedelta(hours=1)


@pytest.mark.parametrize(
    ("end_date", "end_time"),
    [(date(3000, 1, 1), time(0)), ("2024-03-05", time(0)), (date(2024, 3, 5), "10:00")],
)
def test_change_end_checks_its_arguments(end_date: Any, end_time: Any) -> None:
    with pytest.raises(ValidationError):
        make().change_end(end_date, end_time)


def test_switching_all_day_on_within_the_day_gives_one_day() -> None:
    # §7.3: Start Time := 00:00 and Duration := 1 day when it ends the same day.
    meeting = make(type="Meeting", start_time=time(9, 0), duration=timedelta(hours=3))

    meeting.change_all_day(all_day=True)

    assert (meeting.all_day_event, meeting.start_time, meeting.duration) == (
        True,
        time(0),
        timedelta(days=1),
    )
    assert (meeting.ending_date, meeting.ending_time) == (DAY, time(0))


@pytest.mark.parametrize(
    ("duration", "days"),
    [
        (timedelta(hours=30), 2),
        (timedelta(days=1), 2),  # BC rounds start + duration + 1 ms up: 2 days
        (timedelta(days=1, hours=23, minutes=59, seconds=59, milliseconds=999), 2),
        (timedelta(days=2, seconds=1), 3),
    ],
)
def test_switching_all_day_on_rounds_up_to_whole_days(
    duration: timedelta, days: int
) -> None:
    meeting = make(type="Meeting", duration=duration)

    meeting.change_all_day(all_day=True)

    assert meeting.duration == timedelta(days=days)


def test_switching_all_day_off_takes_a_day_off() -> None:
    # §7.3: set to false: Duration -= 1 day.
    meeting = make(type="Meeting", all_day_event=True, duration=timedelta(days=3))

    meeting.change_all_day(all_day=False)

    assert (meeting.all_day_event, meeting.duration) == (False, timedelta(days=2))


def test_switching_a_one_day_event_off_leaves_no_duration() -> None:
    meeting = make(type="Meeting", all_day_event=True, duration=timedelta(days=1))

    with pytest.raises(ValidationError) as info:
        meeting.change_all_day(all_day=False)

    assert info.value.field == "duration"
    assert meeting.all_day_event


def test_switching_all_day_to_its_value_changes_nothing() -> None:
    meeting = make(type="Meeting", all_day_event=True, duration=timedelta(days=1))

    meeting.change_all_day(all_day=True)

    assert meeting.duration == timedelta(days=1)
    with pytest.raises(ValidationError):
        meeting.change_all_day(all_day="no")  # type: ignore[arg-type]


def test_reschedule_moves_the_task() -> None:
    task = make(type="Phone Call")

    task.reschedule(date=date(2024, 3, 8), start_time=time(14, 0))
    task.reschedule()

    assert task.end_datetime == at(2024, 3, 9, 14, 0)
    with pytest.raises(ValidationError):
        task.reschedule(duration=timedelta(seconds=1))
    assert task.duration == timedelta(days=1)


# --- §7.1/§7.3 type -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (TaskType.BLANK, TaskType.MEETING),
        (TaskType.PHONE_CALL, TaskType.MEETING),
        (TaskType.MEETING, TaskType.BLANK),
        (TaskType.MEETING, TaskType.PHONE_CALL),
    ],
)
def test_a_stored_task_cannot_switch_to_or_from_meeting(
    old: TaskType, new: TaskType
) -> None:
    task = make(type=old)

    with pytest.raises(TaskRuleError) as info:
        task.change_type(new)

    assert info.value.reason.startswith("You cannot change a Task type")
    assert task.type is old


@pytest.mark.parametrize(
    ("old", "new"),
    [(TaskType.BLANK, TaskType.PHONE_CALL), (TaskType.PHONE_CALL, TaskType.BLANK)],
)
def test_a_stored_task_switches_between_blank_and_phone_call(
    old: TaskType, new: TaskType
) -> None:
    task = make(type=old, start_time=time(9, 0), duration=timedelta(hours=1))

    task.change_type(new)

    assert task.type is new
    assert (task.start_time, task.duration) == (time(9, 0), timedelta(hours=1))


def test_changing_to_the_same_type_changes_nothing() -> None:
    task = make(type="Meeting")

    task.change_type("Meeting")

    assert task.type is TaskType.MEETING
    with pytest.raises(ValidationError):
        task.change_type("Visit")
    with pytest.raises(ValidationError):
        task.change_type(TaskType.BLANK, new_task=1)  # type: ignore[arg-type]


def test_a_new_blank_task_becoming_a_meeting_lasts_half_an_hour() -> None:
    # §7.3: a new task changed from ' ' to Meeting or Phone Call: Start Time 00:00,
    # end = start + 30 min when on the same day.
    draft = Task(salesperson_code="JS", date=DAY, start_time=time(9, 0))

    draft.change_type(TaskType.PHONE_CALL, new_task=True)

    assert (draft.type, draft.start_time, draft.duration) == (
        TaskType.PHONE_CALL,
        time(0),
        timedelta(minutes=30),
    )


def test_a_new_long_blank_task_becoming_a_meeting_ends_at_midnight() -> None:
    draft = Task(salesperson_code="JS", date=DAY, duration=timedelta(days=3))

    draft.change_type(TaskType.MEETING, new_task=True)

    assert draft.end_datetime == at(2024, 3, 6, 0, 0)
    assert draft.duration == timedelta(days=2)


def test_a_new_meeting_becoming_blank_ends_at_midnight_of_its_end_date() -> None:
    draft = Task(
        salesperson_code="JS",
        date=DAY,
        type="Meeting",
        start_time=time(9, 0),
        duration=timedelta(days=1),
        all_day_event=True,
    )

    draft.change_type(TaskType.BLANK, new_task=True)

    assert (draft.type, draft.start_time, draft.all_day_event) == (
        TaskType.BLANK,
        time(0),
        False,
    )
    assert draft.duration == timedelta(days=1)


def test_a_new_same_day_meeting_cannot_become_blank() -> None:
    # BC computes a zero duration here and refuses it too.
    draft = Task(salesperson_code="JS", date=DAY, type="Meeting", start_time=time(9, 0))
    draft.reschedule(duration=timedelta(hours=1))

    with pytest.raises(ValidationError):
        draft.change_type(TaskType.BLANK, new_task=True)

    assert draft.type is TaskType.MEETING


def test_a_new_meeting_may_become_a_phone_call_without_time_changes() -> None:
    draft = Task(salesperson_code="JS", date=DAY, type="Meeting", start_time=time(9, 0))

    draft.change_type(TaskType.PHONE_CALL, new_task=True)

    assert (draft.type, draft.start_time) == (TaskType.PHONE_CALL, time(9, 0))


# --- §7.1 people and links -------------------------------------------------------------


def test_a_team_task_can_go_to_a_salesperson() -> None:
    task = make(salesperson_code=None, team_code="SALES")
    task.close(today=TODAY, completed_by="AB")

    task.assign_to_salesperson("js")

    assert (task.salesperson_code, task.team_code) == ("JS", None)
    assert task.system_task_type is SystemTaskType.ORGANIZER
    assert not task.closed  # BC reopens a closed task it reassigns


def test_a_salesperson_task_can_go_to_a_team() -> None:
    task = make()

    task.assign_to_team("sales")

    assert (task.salesperson_code, task.team_code) == (None, "SALES")
    assert task.system_task_type is SystemTaskType.TEAM
    assert task.organizer_task_no == "TD1"


def test_a_team_task_can_change_team() -> None:
    task = make(team_code="OLD", salesperson_code="JS")

    task.assign_to_team("NEW")

    assert (task.team_code, task.salesperson_code) == ("NEW", "JS")


def test_reassigning_needs_a_code() -> None:
    task = make()

    with pytest.raises(TaskRuleError) as info:
        task.assign_to_salesperson("")
    assert info.value.reason == EITHER
    with pytest.raises(TaskRuleError):
        task.assign_to_team(" ")


def test_the_organizer_of_a_meeting_cannot_be_changed() -> None:
    # §7.1 Salesperson Code: not for a meeting organized by a salesperson.
    meeting = make(type="Meeting")

    with pytest.raises(TaskRuleError) as info:
        meeting.assign_to_salesperson("AB")

    assert "meeting organizer" in info.value.reason
    meeting.assign_to_salesperson("js")  # the same organizer is fine
    team_meeting = make(type="Meeting", salesperson_code=None, team_code="SALES")
    team_meeting.assign_to_salesperson("AB")
    assert team_meeting.salesperson_code == "AB"


def test_a_sub_task_cannot_be_reassigned() -> None:
    sub = make(system_task_type="Contact Attendee", organizer_task_no="TD0")

    with pytest.raises(TaskRuleError):
        sub.assign_to_salesperson("AB")


def test_change_contact_sets_the_company() -> None:
    task = make()

    task.change_contact("ct2", contact_company_no="ct1")
    assert (task.contact_no, task.contact_company_no) == ("CT2", "CT1")

    task.change_contact(None, contact_company_no="CT1")
    assert (task.contact_no, task.contact_company_no) == (None, None)


def test_an_interaction_template_is_copied_and_cleared() -> None:
    # §7.1 Interaction Template Code: language, subject, cost, duration, campaign.
    task = make(campaign_no="CP9")

    task.apply_interaction_template(
        "meet",
        language_code="ENU",
        description="Meeting",
        unit_cost_lcy=Decimal("12.5"),
        unit_duration_min=30,
        campaign_no="CP1",
        attachment_no=3,
    )
    assert (task.interaction_template_code, task.language_code, task.subject) == (
        "MEET",
        "ENU",
        "Meeting",
    )
    assert (task.unit_cost_lcy, task.unit_duration_min, task.campaign_no) == (
        Decimal("12.5"),
        Decimal(30),
        "CP9",  # kept: the template's campaign only fills a blank one
    )
    assert (task.attachment_no, task.version) == (3, 0)

    task.apply_interaction_template(None)
    assert (task.interaction_template_code, task.subject, task.attachment_no) == (
        None,
        "",
        None,
    )
    assert task.unit_cost_lcy == 0


def test_edit_changes_plain_fields_as_a_whole() -> None:
    task = make(opportunity_no="OP1", opportunity_entry_no=3)

    task.edit(description="Call back", opportunity_no="OP2")
    assert (task.description, task.opportunity_no, task.opportunity_entry_no) == (
        "Call back",
        "OP2",
        None,
    )

    with pytest.raises(ValidationError) as info:
        task.edit(description="x", status="Completed")
    assert info.value.field == "status"
    with pytest.raises(ValidationError):
        task.edit(description="y", location="z" * 101)
    assert task.description == "Call back"


# --- §7.5 attendees ----------------------------------------------------------------------


def test_an_attendee_has_bcs_defaults() -> None:
    attendee = Attendee(line_no=20000, attendee_no="ct1", attendee_name="Ann")

    assert attendee.attendance_type is AttendanceType.REQUIRED
    assert attendee.attendee_type is AttendeeType.CONTACT
    assert attendee.invitation_response is InvitationResponse.NONE
    assert (attendee.attendee_no, attendee.send_invitation) == ("CT1", False)
    assert not attendee.is_organizer
    assert organizer().send_invitation


def test_the_organizer_must_be_a_salesperson_and_invited() -> None:
    with pytest.raises(ValidationError) as info:
        Attendee(line_no=1, attendance_type="To-do Organizer", attendee_no="CT1")
    assert info.value.reason == "A task organizer must always be a salesperson."

    with pytest.raises(ValidationError) as info:
        attrs.evolve(organizer(), send_invitation=False)
    assert info.value.field == "send_invitation"


@pytest.mark.parametrize(
    "fields",
    [
        {"line_no": 0, "attendee_no": "CT1"},
        {"line_no": True, "attendee_no": "CT1"},
        {"line_no": 1, "attendee_no": " "},
        {"line_no": 1, "attendee_no": 5},
        {"line_no": 1, "attendee_no": "CT1", "attendance_type": "Maybe"},
        {"line_no": 1, "attendee_no": "CT1", "attendee_type": "Robot"},
        {"line_no": 1, "attendee_no": "CT1", "invitation_response": "Yes"},
        {"line_no": 1, "attendee_no": "CT1", "invitation_sent": "no"},
    ],
)
def test_attendee_fields_refuse_bad_values(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Attendee(**fields)


def test_check_attendees_accepts_a_proper_list() -> None:
    contact = Attendee(line_no=20000, attendee_no="CT1")

    check_attendees([organizer(), contact], task_no="TD1")
    check_attendees([contact], meeting=False)


@pytest.mark.parametrize(
    ("attendees", "reason"),
    [
        (
            [organizer(), Attendee(line_no=10000, attendee_no="CT1")],
            "line 10000 is used twice",
        ),
        (
            [
                organizer(),
                Attendee(line_no=20000, attendee_no="CT1"),
                Attendee(line_no=30000, attendee_no="ct1"),
            ],
            "This attendee already exists.",
        ),
        (
            [organizer("JS"), attrs.evolve(organizer("AB"), line_no=20000)],
            "You cannot have more than one task organizer.",
        ),
        (
            [Attendee(line_no=10000, attendee_no="CT1")],
            "You must specify the Task organizer.",
        ),
    ],
)
def test_check_attendees_refuses_bcs_cases(
    attendees: list[Attendee], reason: str
) -> None:
    with pytest.raises(TaskRuleError) as info:
        check_attendees(attendees, task_no="TD1")

    assert info.value.reason == reason


def test_default_attendees_of_a_salespersons_meeting() -> None:
    meeting = make(type="Meeting", contact_no="CT1")

    attendees = default_attendees(meeting, with_email={"JS", "CT1"})

    assert [
        (a.line_no, a.attendance_type, a.attendee_type, a.attendee_no)
        for a in attendees
    ] == [
        (10000, AttendanceType.ORGANIZER, AttendeeType.SALESPERSON, "JS"),
        (20000, AttendanceType.REQUIRED, AttendeeType.CONTACT, "CT1"),
    ]
    assert attendees[1].send_invitation


def test_default_attendees_of_a_team_meeting() -> None:
    meeting = make(type="Meeting", salesperson_code=None, team_code="SALES")

    attendees = default_attendees(
        meeting,
        meeting_organizer="ab",
        team_members=["JS", "AB", " ", "CD"],
        contact_no="CT7",
    )

    assert [(a.line_no, a.attendee_no, a.is_organizer) for a in attendees] == [
        (10000, "AB", True),
        (20000, "JS", False),
        (50000, "CD", False),
        (60000, "CT7", False),
    ]
    assert not attendees[-1].send_invitation


def test_default_attendees_of_a_team_meeting_without_organizer() -> None:
    meeting = make(type="Meeting", salesperson_code=None, team_code="SALES")

    attendees = default_attendees(meeting, team_members=["JS"])

    assert attendees == ()


def test_default_attendees_of_a_task_that_is_not_a_meeting() -> None:
    call = make(type="Phone Call", contact_no="CT1")

    attendees = default_attendees(call, with_email=set())

    assert [(a.line_no, a.attendee_no) for a in attendees] == [(10000, "CT1")]


def test_a_meeting_organizer_needs_an_email_address() -> None:
    meeting = make(type="Meeting")

    with pytest.raises(TaskRuleError) as info:
        default_attendees(meeting, with_email={"CT1"})

    assert "does not have email address" in info.value.reason


# --- §7.5 sub-tasks ----------------------------------------------------------------------


def test_subtask_for_each_kind_of_attendee() -> None:
    meeting = make(type="Meeting", description="Kick-off", version=3)
    salesperson = Attendee(line_no=20000, attendee_type="Salesperson", attendee_no="AB")
    contact = Attendee(line_no=30000, attendee_no="CT1")

    by_salesperson = subtask(meeting, salesperson, no="TD2")
    by_contact = subtask(meeting, contact, no="TD3", contact_company_no="CT0")

    assert by_salesperson is not None
    assert by_contact is not None
    assert by_salesperson.system_task_type is SystemTaskType.SALESPERSON_ATTENDEE
    assert (by_salesperson.salesperson_code, by_salesperson.organizer_task_no) == (
        "AB",
        "TD1",
    )
    assert (by_salesperson.version, by_salesperson.description) == (0, "Kick-off")
    assert by_contact.system_task_type is SystemTaskType.CONTACT_ATTENDEE
    assert (by_contact.contact_no, by_contact.contact_company_no) == ("CT1", "CT0")
    assert by_contact.salesperson_code == "JS"
    assert subtask(meeting, organizer(), no="TD4") is None


def test_subtask_for_the_organizer_of_a_team_task() -> None:
    team = make(salesperson_code=None, team_code="SALES")

    sub = subtask(team, organizer("AB"), no="TD2")

    assert sub is not None
    assert sub.system_task_type is SystemTaskType.ORGANIZER
    assert (sub.salesperson_code, sub.team_code, sub.organizer_task_no) == (
        "AB",
        "SALES",
        "TD1",
    )
    with pytest.raises(ValidationError):
        subtask(team, organizer("AB"), no="")


def test_plan_team_subtasks_creates_one_organizer_sub_task_per_member() -> None:
    # §7.5 team task: an Organizer sub-task per member, a Contact Attendee for the
    # contact.
    team = make(salesperson_code=None, team_code="SALES", contact_no="CT1")

    subs = plan_team_subtasks(
        team,
        members=["JS", "AB"],
        numbers=["TD2", "TD3", "TD4"],
        contact_company_no="CT0",
    )

    assert [(s.no, s.system_task_type, s.salesperson_code) for s in subs] == [
        ("TD2", SystemTaskType.ORGANIZER, "JS"),
        ("TD3", SystemTaskType.ORGANIZER, "AB"),
        ("TD4", SystemTaskType.CONTACT_ATTENDEE, None),
    ]
    assert all(s.organizer_task_no == "TD1" for s in subs)
    assert subs[-1].contact_company_no == "CT0"


def test_plan_team_subtasks_without_contact() -> None:
    team = make(salesperson_code=None, team_code="SALES")

    subs = plan_team_subtasks(team, members=["JS"], numbers=lambda: "TD2")

    assert [s.no for s in subs] == ["TD2"]


@pytest.mark.parametrize(
    "task",
    [
        make(),
        make(team_code="SALES", type="Meeting"),
        Task(team_code="SALES", date=DAY),
    ],
)
def test_plan_team_subtasks_refuses_other_tasks(task: Task) -> None:
    with pytest.raises(TaskRuleError):
        plan_team_subtasks(task, members=["JS"], numbers=["TD2"])


def test_plan_team_subtasks_draws_numbers_after_the_checks() -> None:
    team = make(salesperson_code=None, team_code="SALES")
    drawn: list[str] = []

    def number() -> str:
        drawn.append("TD9")
        return "TD9"

    with pytest.raises(ValidationError):
        plan_team_subtasks(team, members=["JS", ""], numbers=number)

    assert drawn == []


def test_plan_meeting_subtasks_for_a_salespersons_meeting() -> None:
    meeting = make(type="Meeting", contact_no="CT1")
    attendees = [
        *default_attendees(meeting),
        Attendee(line_no=30000, attendee_type="Salesperson", attendee_no="AB"),
    ]

    subs = plan_meeting_subtasks(
        meeting, attendees, numbers=["TD2", "TD3"], contact_companies={"CT1": "CT0"}
    )

    assert [(s.no, s.system_task_type) for s in subs] == [
        ("TD2", SystemTaskType.CONTACT_ATTENDEE),
        ("TD3", SystemTaskType.SALESPERSON_ATTENDEE),
    ]
    assert subs[0].contact_company_no == "CT0"


def test_plan_meeting_subtasks_puts_a_team_organizer_first() -> None:
    meeting = make(type="Meeting", salesperson_code=None, team_code="SALES")
    attendees = [Attendee(line_no=5, attendee_no="CT1"), organizer("AB")]

    subs = plan_meeting_subtasks(meeting, attendees, numbers=iter(["TD2", "TD3"]))

    assert [(s.system_task_type, s.salesperson_code) for s in subs] == [
        (SystemTaskType.ORGANIZER, "AB"),
        (SystemTaskType.CONTACT_ATTENDEE, None),
    ]


def test_plan_meeting_subtasks_refuses_bad_input() -> None:
    with pytest.raises(TaskRuleError):
        plan_meeting_subtasks(make(), [organizer()], numbers=["TD2"])
    with pytest.raises(TaskRuleError):
        plan_meeting_subtasks(
            Task(salesperson_code="JS", date=DAY, type="Meeting"),
            [organizer()],
            numbers=[],
        )
    with pytest.raises(TaskRuleError):
        plan_meeting_subtasks(make(type="Meeting"), [], numbers=[])


@pytest.mark.parametrize("numbers", ["TD2TD3", []])
def test_numbers_must_be_given_as_a_sequence_and_suffice(numbers: Any) -> None:
    team = make(salesperson_code=None, team_code="SALES")

    with pytest.raises(ValidationError) as info:
        plan_team_subtasks(team, members=["JS"], numbers=numbers)

    assert info.value.field == "numbers"


def test_numbers_must_not_be_blank() -> None:
    team = make(salesperson_code=None, team_code="SALES")

    with pytest.raises(ValidationError):
        plan_team_subtasks(team, members=["JS"], numbers=[" "])


def test_plan_contact_change_replaces_the_contact_attendee_sub_task() -> None:
    # §7.1 Contact No.: for organizer tasks that are not meetings.
    task = make(contact_no="CT1")
    task.change_contact("CT2", contact_company_no="CT0")

    old, new = plan_contact_change(task, old_contact_no="ct1", new_no="TD5")

    assert old == "CT1"
    assert new is not None
    assert (new.no, new.contact_no, new.contact_company_no) == ("TD5", "CT2", "CT0")
    assert new.system_task_type is SystemTaskType.CONTACT_ATTENDEE


def test_plan_contact_change_removing_the_contact_needs_no_number() -> None:
    task = make()

    assert plan_contact_change(task, old_contact_no="CT1") == ("CT1", None)


@pytest.mark.parametrize(
    "task",
    [
        Task(salesperson_code="JS", date=DAY, contact_no="CT2"),
        make(contact_no="CT2", team_code="SALES", system_task_type="Organizer"),
        make(contact_no="CT2", type="Meeting"),
        make(contact_no="CT1"),
    ],
)
def test_plan_contact_change_does_nothing_where_bc_does_nothing(task: Task) -> None:
    assert plan_contact_change(task, old_contact_no="CT1", new_no="TD5") == (None, None)


def test_plan_contact_change_needs_a_number_for_a_new_sub_task() -> None:
    task = make(contact_no="CT2")

    with pytest.raises(ValidationError):
        plan_contact_change(task, old_contact_no=None)


def test_propagate_copies_the_organizer_to_an_attendee_sub_task() -> None:
    # §7.1 Modify: changes on the organizer task are copied to its sub-tasks.
    meeting = make(type="Meeting", contact_no="CT9")
    sub = subtask(meeting, Attendee(line_no=20000, attendee_no="CT1"), no="TD2")
    assert sub is not None
    sub = attrs.evolve(sub, version=5, contact_company_no="CT0")
    meeting.reschedule(date=date(2024, 3, 8))
    meeting.edit(description="Moved", location="Room 1")

    updated = propagate(meeting, sub)

    assert (updated.no, updated.version, updated.date) == ("TD2", 5, date(2024, 3, 8))
    assert (updated.description, updated.location) == ("Moved", "Room 1")
    assert (updated.contact_no, updated.contact_company_no) == ("CT1", "CT0")
    assert updated.system_task_type is SystemTaskType.CONTACT_ATTENDEE


def test_propagate_keeps_a_team_members_salesperson() -> None:
    team = make(salesperson_code=None, team_code="SALES")
    sub = plan_team_subtasks(team, members=["AB"], numbers=["TD2"])[0]
    team.close(today=TODAY, completed_by="AB")

    updated = propagate(team, sub)

    assert (updated.salesperson_code, updated.closed) == ("AB", True)


def test_propagate_skips_what_bc_skips() -> None:
    plain = make()
    organizer_sub = make(no="TD2", organizer_task_no="TD1")
    team = make(salesperson_code=None, team_code="SALES")
    team_sub = make(no="TD3", team_code="SALES", organizer_task_no="TD1")

    assert propagate(plain, organizer_sub) == organizer_sub
    assert propagate(team, team_sub) == team_sub


@pytest.mark.parametrize(
    ("main", "sub"),
    [
        (make(), make(no="TD2", organizer_task_no="TD9")),
        (make(), make()),
        (Task(salesperson_code="JS", date=DAY), make(no="TD2", organizer_task_no=None)),
    ],
)
def test_propagate_refuses_a_task_that_is_not_a_sub_task(main: Task, sub: Task) -> None:
    with pytest.raises(TaskRuleError):
        propagate(main, sub)


def test_subtasks_of_finds_the_cascade() -> None:
    team = make(salesperson_code=None, team_code="SALES")
    subs = plan_team_subtasks(team, members=["JS", "AB"], numbers=["TD2", "TD3"])
    other = make(no="TD4")

    assert subtasks_of(team, [team, *subs, other]) == subs
    assert subtasks_of(Task(salesperson_code="JS", date=DAY), [team]) == []


def test_delete_tasks_takes_only_canceled_main_tasks() -> None:
    # §7.5 Delete Tasks (report 5188).
    team = make(salesperson_code=None, team_code="SALES")
    member = plan_team_subtasks(team, members=["JS"], numbers=["TD2"])[0]
    attendee = make(
        no="TD3", system_task_type="Salesperson Attendee", organizer_task_no="TD0"
    )
    plain = make(no="TD4")
    for task in (team, member, attendee, plain):
        task.cancel(today=TODAY)

    assert is_deletable(team)
    assert not is_deletable(member)  # goes with its team task
    assert not is_deletable(attendee)
    assert is_deletable(plain)
    assert not is_deletable(make())


def test_plan_segment_tasks_gives_one_task_per_contact() -> None:
    # §7.5 segment tasks.
    template = Task(
        salesperson_code="JS", date=DAY, segment_no="SM1", description="Call"
    )
    team_template = Task(team_code="SALES", date=DAY, segment_no="SM1")

    tasks = plan_segment_tasks(
        template,
        ["ct1", "CT2"],
        numbers=["TD1", "TD2"],
        contact_companies={"CT1": "CT0"},
    )
    team_tasks = plan_segment_tasks(team_template, ["CT1"], numbers=["TD3"])

    assert [
        (t.no, t.contact_no, t.contact_company_no, t.organizer_task_no) for t in tasks
    ] == [
        ("TD1", "CT1", "CT0", "TD1"),
        ("TD2", "CT2", None, "TD2"),
    ]
    assert all(t.system_task_type is SystemTaskType.ORGANIZER for t in tasks)
    assert team_tasks[0].system_task_type is SystemTaskType.TEAM
    with pytest.raises(ValidationError):
        plan_segment_tasks(template, [""], numbers=["TD9"])


# --- §7.6 activities ---------------------------------------------------------------------


def test_activity_steps_are_sorted_and_unique() -> None:
    activity = Activity(
        code="init",
        description="Initial",
        steps=(ActivityStep(step_no=2), ActivityStep(step_no=1, date_formula="1W")),
    )

    assert activity.code == "INIT"
    assert [s.step_no for s in activity.steps] == [1, 2]
    assert not activity.has_meetings
    assert activity.steps[1].date_formula == DateFormula()


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"code": ""}, ValidationError),
        ({"code": "X" * 11}, ValidationError),
        ({"code": "A", "steps": "10000"}, ValidationError),
        ({"code": "A", "steps": 5}, ValidationError),
        ({"code": "A", "steps": [object()]}, ValidationError),
        (
            {"code": "A", "steps": [ActivityStep(step_no=1), ActivityStep(step_no=1)]},
            ValidationError,
        ),
        ({"code": "A", "description": "x" * 101}, ValidationError),
    ],
)
def test_activities_refuse_bad_values(
    fields: dict[str, Any], kind: type[Exception]
) -> None:
    with pytest.raises(kind):
        Activity(**fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"step_no": 0},
        {"step_no": 1, "type": "Visit"},
        {"step_no": 1, "priority": "Urgent"},
        {"step_no": 1, "date_formula": 7},
        {"step_no": 1, "date_formula": "1X"},
    ],
)
def test_activity_steps_refuse_bad_values(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ActivityStep(**fields)


def test_plan_activity_counts_every_step_from_the_base_date() -> None:
    # §7.6: Date = calc_date(step formula, D); not chained.
    activity = Activity(
        code="FOLLOW",
        steps=[
            ActivityStep(
                step_no=1, type="Phone Call", description="Call", date_formula="1D"
            ),
            ActivityStep(
                step_no=2, description="Mail", priority="High", date_formula="1W"
            ),
            ActivityStep(step_no=3, description="Review", date_formula="CM"),
        ],
    )
    base = make(
        contact_no="CT1", campaign_no="CP1", opportunity_no="OP1", segment_no="SM1"
    )
    base.close(today=TODAY)

    tasks = plan_activity(activity, base, numbers=["TD2", "TD3", "TD4"])

    assert [(t.no, t.type, t.description, t.priority, t.date) for t in tasks] == [
        ("TD2", TaskType.PHONE_CALL, "Call", TaskPriority.NORMAL, date(2024, 3, 5)),
        ("TD3", TaskType.BLANK, "Mail", TaskPriority.HIGH, date(2024, 3, 11)),
        ("TD4", TaskType.BLANK, "Review", TaskPriority.NORMAL, date(2024, 3, 31)),
    ]
    for task in tasks:
        assert (
            task.contact_no,
            task.campaign_no,
            task.opportunity_no,
            task.segment_no,
        ) == (
            "CT1",
            "CP1",
            "OP1",
            "SM1",
        )
        assert (task.closed, task.status, task.organizer_task_no) == (
            False,
            TaskStatus.NOT_STARTED,
            task.no,
        )


def test_plan_activity_makes_meeting_steps_all_day_meetings() -> None:
    activity = Activity(code="MEET", steps=[ActivityStep(step_no=1, type="Meeting")])
    base = make(contact_no="CT1", contact_company_no="CT0", start_time=time(9, 0))

    [meeting] = plan_activity(
        activity, base, numbers=["TD2"], meeting_invitation_template="invite"
    )

    assert (meeting.type, meeting.all_day_event, meeting.start_time) == (
        TaskType.MEETING,
        True,
        time(0),
    )
    assert meeting.duration == timedelta(days=2)  # 1 day + BC's rounding up
    assert (meeting.contact_no, meeting.contact_company_no) == (None, None)
    assert meeting.interaction_template_code == "INVITE"
    assert meeting.salesperson_code == "JS"


def test_plan_activity_runs_all_day_even_for_an_all_day_base() -> None:
    # BC validates All Day Event on every meeting step, even when already set.
    activity = Activity(code="MEET", steps=[ActivityStep(step_no=1, type="Meeting")])
    base = make(
        type="Meeting",
        all_day_event=True,
        duration=timedelta(days=2),
        interaction_template_code="OWN",
    )

    [meeting] = plan_activity(activity, base, numbers=["TD2"])

    assert meeting.duration == timedelta(days=3)
    assert meeting.interaction_template_code == "OWN"


def test_a_team_activity_with_meetings_needs_a_meeting_organizer() -> None:
    # §7.6: "Activity %1 contains Tasks of type Meeting. You must fill in the Meeting
    # Organizer field."
    activity = Activity(code="MEET", steps=[ActivityStep(step_no=1, type="Meeting")])
    base = Task(team_code="SALES", date=DAY)

    with pytest.raises(TaskRuleError) as info:
        plan_activity(activity, base, numbers=["TD2"])

    assert info.value.reason == (
        "Activity MEET contains Tasks of type Meeting. You must fill in the Meeting "
        "Organizer field."
    )
    [meeting] = plan_activity(activity, base, numbers=["TD2"], meeting_organizer="JS")
    assert (meeting.salesperson_code, meeting.team_code) == (None, "SALES")
    assert meeting.system_task_type is SystemTaskType.TEAM


def test_an_activity_without_steps_gives_one_copy_of_the_base() -> None:
    base = make(description="Base", date=DAY)

    [copy] = plan_activity(Activity(code="EMPTY"), base, numbers=["TD2"])

    assert (copy.no, copy.description, copy.date) == ("TD2", "Base", DAY)


def test_plan_activity_draws_no_numbers_when_a_step_fails() -> None:
    activity = Activity(
        code="LATE",
        steps=[ActivityStep(step_no=1), ActivityStep(step_no=2, date_formula="2Y")],
    )
    base = make(date=date(2998, 6, 1))
    drawn: list[str] = []

    def number() -> str:
        drawn.append("TD")
        return f"TD{len(drawn)}"

    with pytest.raises(ValidationError):
        plan_activity(activity, base, numbers=number)

    assert drawn == []


def test_the_stage_base_task_follows_bc() -> None:
    # §7.6 From an opportunity stage.
    base = stage_base_task(
        opportunity_no="op1",
        opportunity_entry_no=4,
        date_of_change=DAY,
        salesperson_code="js",
        contact_no="ct1",
        contact_company_no="ct0",
        campaign_no="cp1",
        segment_no="sm1",
    )

    assert (
        base.no,
        base.salesperson_code,
        base.contact_no,
        base.contact_company_no,
    ) == (
        "",
        "JS",
        "CT1",
        "CT0",
    )
    assert (base.opportunity_no, base.opportunity_entry_no) == ("OP1", 4)
    assert (base.campaign_no, base.segment_no, base.date) == ("CP1", "SM1", DAY)
    assert base.duration == timedelta(days=1)
    no_contact = stage_base_task(
        opportunity_no="OP1",
        opportunity_entry_no=4,
        date_of_change=DAY,
        salesperson_code="JS",
        contact_no=None,
        contact_company_no="CT0",
    )
    assert no_contact.contact_company_no is None
    with pytest.raises(TaskRuleError):
        stage_base_task(
            opportunity_no="OP1",
            opportunity_entry_no=4,
            date_of_change=DAY,
            salesperson_code=None,
            contact_no="CT1",
        )


def test_the_stage_activity_flow() -> None:
    activity = Activity(
        code="QUAL",
        steps=[
            ActivityStep(step_no=1, type="Phone Call", date_formula="2D"),
            ActivityStep(step_no=2, type="Meeting", date_formula="1W"),
        ],
    )
    base = stage_base_task(
        opportunity_no="OP1",
        opportunity_entry_no=2,
        date_of_change=DAY,
        salesperson_code="JS",
        contact_no="CT1",
    )
    counter = iter(range(1, 100))
    numbers: Callable[[], str] = lambda: f"TD{next(counter)}"  # noqa: E731

    call, meeting = plan_activity(activity, base, numbers=numbers)
    attendees = default_attendees(meeting, contact_no=base.contact_no)
    subs = plan_meeting_subtasks(meeting, attendees, numbers=numbers)

    assert (call.no, call.date, meeting.no, meeting.date) == (
        "TD1",
        date(2024, 3, 6),
        "TD2",
        date(2024, 3, 11),
    )
    assert [(s.no, s.contact_no, s.organizer_task_no) for s in subs] == [
        ("TD3", "CT1", "TD2")
    ]
