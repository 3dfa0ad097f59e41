"""Tasks (BC's "To-dos", table 5080): status, dates, recurrence, attendees, activities.

:class:`Task` is one row of BC's table 5080 as an aggregate (spec §7.1). Its business
methods reproduce the rules BC runs when a field is validated: the Status / Closed /
Canceled state machine (§7.2), the end date and duration arithmetic (§7.3) and the
creation of the next occurrence of a recurring task (§7.4). Team tasks, meeting
attendees and their sub-tasks (§7.5) and activities (§7.6) are planned by pure
functions that return new tasks; the service stores them.

>>> from datetime import date
>>> call = Task(no="TD0001", salesperson_code="js", type=TaskType.PHONE_CALL,
...             date=date(2024, 3, 4), recurring=True, recurring_date_interval="1W",
...             calc_due_date_from=CalcDueDateFrom.DUE_DATE)
>>> successor = call.close(today=date(2024, 3, 6), new_no="TD0002")
>>> (call.status, call.date_closed, call.successor_no)
(<TaskStatus.COMPLETED: 'Completed'>, datetime.date(2024, 3, 6), 'TD0002')
>>> (successor.no, successor.date, successor.status)
('TD0002', datetime.date(2024, 3, 11), <TaskStatus.NOT_STARTED: 'Not Started'>)
>>> call.reopen()
>>> call.close(today=date(2024, 3, 7), new_no="TD0003") is None  # at most one successor
True

Choices where BC is silent or where a library differs from BC:

* **Meetings are allowed.** BC refuses ``Type = Meeting`` in its cloud (SaaS)
  deployment ("You cannot create a task of type Meeting because you're not using an
  on-premises deployment."). That is a limitation of BC's hosting, not a business
  rule, so this library accepts meetings. After creation the type still switches
  only between ``' '`` and Phone Call (§7.1).
* **At most one successor.** BC creates the next occurrence of a recurring task each
  time ``Closed`` is validated to true, so closing, reopening and closing again (or
  validating Status = Completed twice) inserts duplicates. Here a task records the
  number of the occurrence it produced in ``Task.successor_no``; a task with a
  successor never produces another, and closing a task that is already closed
  changes nothing. Cancelling never creates a successor (§7.4: "closed (not
  canceled)"); BC's code would, which is why its ``CancelOpenTasks`` clears
  Recurring first.
* **No clock, no number series.** ``today`` (BC's TODAY) and the numbers of new tasks
  are arguments. Numbers are drawn only once everything else has been checked. A
  task with a blank ``no`` is a draft (the base task of an activity, §7.6).
* **Floating times.** BC's Date, Start Time, Ending Date and Ending Time carry no time
  zone. :attr:`Task.start_datetime` and :attr:`Task.end_datetime` are therefore
  naive wall-clock datetimes; attach the user's zone to turn them into instants.
* **Not modelled:** UI prompts (register an interaction, confirmations), e-mail and
  Exchange invitations, comments, task interaction languages and attachments,
  Last Date/Time Modified (no clock), FlowFields (names, No. of Attendees) and the
  restructuring of sub-tasks when a task moves between a salesperson and a team.
  iCalendar lives in the interop layer.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

import attrs
from attrs import Factory, define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import to_enum as _enum
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    CampaignNo,
    Code,
    ContactNo,
    OpportunityNo,
    SalespersonCode,
    SegmentNo,
    TaskNo,
    make_code,
    make_optional_code,
)
from relationship_mgmt.domain.dateformula import DateFormula, calc_date
from relationship_mgmt.errors import TaskRuleError, ValidationError

__all__ = [
    "Activity",
    "ActivityStep",
    "AttendanceType",
    "Attendee",
    "AttendeeType",
    "CalcDueDateFrom",
    "InvitationResponse",
    "MAX_DURATION",
    "MAX_TASK_DATE",
    "MIN_DURATION",
    "MIN_TASK_DATE",
    "SystemTaskType",
    "Task",
    "TaskFilter",
    "TaskNumbers",
    "TaskPriority",
    "TaskStatus",
    "TaskType",
    "cancel_open_tasks",
    "check_attendees",
    "contact_task_filter",
    "default_attendees",
    "is_deletable",
    "next_occurrence",
    "next_task_date_of",
    "plan_activity",
    "plan_contact_change",
    "plan_meeting_subtasks",
    "plan_segment_tasks",
    "plan_team_subtasks",
    "propagate",
    "salesperson_task_filter",
    "stage_base_task",
    "subtask",
    "subtasks_of",
    "team_task_filter",
]

MIN_TASK_DATE: Final = date(1900, 1, 1)
"""The earliest task date BC accepts (§7.1 Date)."""
MAX_TASK_DATE: Final = date(2999, 12, 31)
"""The latest task date BC accepts (§7.1 Date)."""
MIN_DURATION: Final = timedelta(minutes=1)
"""The shortest duration BC accepts (§7.1 Duration)."""
MAX_DURATION: Final = timedelta(days=3650)
"""The longest duration BC accepts, "10 years", computed by BC as 3650 days (§7.1)."""

_DAY: Final = timedelta(days=1)
_MS: Final = timedelta(milliseconds=1)
_SECOND: Final = timedelta(seconds=1)
_HALF_HOUR: Final = timedelta(minutes=30)
_MIDNIGHT: Final = time(0)
_LINE_STEP: Final = 10000
_TEXT100: Final = 100

# BC's own messages (table 5080 "To-do" and table 5199 "Attendee").
_DATE_RANGE_TEXT: Final = (
    "The valid range of dates is from 1900-01-01 to 2999-12-31. "
    "Please enter a date within this range."
)
_NEGATIVE_TEXT: Final = (
    "Information that you have entered in this field will cause the duration to be "
    "negative which is not allowed. Please modify the ending date/time value."
)
_TOO_SHORT_TEXT: Final = (
    "Information that you have entered in this field will cause the duration to be "
    "less than 1 minute, which is not allowed. Please modify the ending date/time "
    "value."
)
_TOO_LONG_TEXT: Final = (
    "Information that you have entered in this field will cause the duration to be "
    "more than 10 years, which is not allowed. Please modify the ending date/time "
    "value."
)
_EITHER_TEXT: Final = (
    "You must fill in either the Salesperson Code field or the Team Code field."
)
_COMPLETED_BY_TEXT: Final = (
    "The Completed By field must be filled in for Tasks assigned to a team."
)
_MEETING_TYPE_TEXT: Final = (
    "You cannot change a Task type from Blank or Phone Call to Meeting and vice "
    "versa. You can only change a Task type from Blank to Phone Call or from Phone "
    "Call to Blank."
)
_ORGANIZER_SALESPERSON_TEXT: Final = (
    "You cannot change the Salesperson Code for this Task, because this salesperson "
    "is the meeting organizer."
)
_MUST_BE_SPECIFIED: Final = "{} must be specified."
_ORGANIZER_NOT_SALESPERSON_TEXT: Final = (
    "A task organizer must always be a salesperson."
)
_TWO_ORGANIZERS_TEXT: Final = "You cannot have more than one task organizer."
_NO_ORGANIZER_TEXT: Final = "You must specify the Task organizer."
_SAME_ATTENDEE_TEXT: Final = "This attendee already exists."
_ORGANIZER_INVITATION_TEXT: Final = (
    "The Send Invitation option is not available for a task organizer."
)
_ORGANIZER_EMAIL_TEXT: Final = (
    "You cannot set {} as organizer because he/she does not have email address."
)
_ACTIVITY_MEETING_TEXT: Final = (
    "Activity {} contains Tasks of type Meeting. You must fill in the Meeting "
    "Organizer field."
)


# --- enums -------------------------------------------------------------------------


class TaskType(enum.StrEnum):
    """The type of a task or activity step (§7.1 Type, §7.6); ``''`` is BC's ``' '``.

    >>> TaskType("Phone Call") is TaskType.PHONE_CALL
    True
    """

    BLANK = ""
    MEETING = "Meeting"
    PHONE_CALL = "Phone Call"


class TaskStatus(enum.StrEnum):
    """A task's status (§7.1 Status); Completed goes with Closed (§7.2).

    >>> [str(status) for status in TaskStatus][:2]
    ['Not Started', 'In Progress']
    """

    NOT_STARTED = "Not Started"
    IN_PROGRESS = "In Progress"
    COMPLETED = "Completed"
    WAITING = "Waiting"
    POSTPONED = "Postponed"


class TaskPriority(enum.StrEnum):
    """A task's or activity step's priority (§7.1 Priority; Normal is BC's default).

    >>> TaskPriority("High").value
    'High'
    """

    LOW = "Low"
    NORMAL = "Normal"
    HIGH = "High"


class CalcDueDateFrom(enum.StrEnum):
    """What the next occurrence of a recurring task is computed from (§7.1, §7.4).

    >>> CalcDueDateFrom("Closing Date") is CalcDueDateFrom.CLOSING_DATE
    True
    """

    BLANK = ""
    DUE_DATE = "Due Date"
    CLOSING_DATE = "Closing Date"


class SystemTaskType(enum.StrEnum):
    """BC's *System To-do Type*: a main task or which kind of sub-task (§7.1, §7.5).

    >>> SystemTaskType.CONTACT_ATTENDEE.value
    'Contact Attendee'
    """

    ORGANIZER = "Organizer"
    SALESPERSON_ATTENDEE = "Salesperson Attendee"
    CONTACT_ATTENDEE = "Contact Attendee"
    TEAM = "Team"


class AttendanceType(enum.StrEnum):
    """How an attendee takes part in a meeting (table 5199, §7.5).

    >>> AttendanceType.ORGANIZER.value
    'To-do Organizer'
    """

    REQUIRED = "Required"
    OPTIONAL = "Optional"
    ORGANIZER = "To-do Organizer"


class AttendeeType(enum.StrEnum):
    """Whether an attendee is a contact or a salesperson (table 5199, §7.5).

    >>> AttendeeType("Salesperson").value
    'Salesperson'
    """

    CONTACT = "Contact"
    SALESPERSON = "Salesperson"


class InvitationResponse(enum.StrEnum):
    """An attendee's answer to a meeting invitation (table 5199, §7.5).

    >>> InvitationResponse.NONE.value
    'None'
    """

    NONE = "None"
    ACCEPTED = "Accepted"
    DECLINED = "Declined"
    TENTATIVE = "Tentative"


_MAIN_TYPES: Final = frozenset({SystemTaskType.ORGANIZER, SystemTaskType.TEAM})


def _is_meeting_or_phone_call(kind: TaskType) -> bool:
    return kind is not TaskType.BLANK


# --- field helpers -----------------------------------------------------------------

_K = TypeVar("_K", bound=str)


def _key(kind: Callable[[str], _K], length: int, name: str) -> Callable[[object], _K]:
    """Converter for a key that may be blank (a draft task's ``no``)."""

    def convert(value: object) -> _K:
        if not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        return kind(make_code(value, max_length=length, field=name))

    return convert


def _optional_key(
    kind: Callable[[str], _K], length: int, name: str
) -> Callable[[object], _K | None]:
    """Converter for an optional key: ``None`` and blank text become ``None``."""

    def convert(value: object) -> _K | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValidationError(name, value, "must be a string or None")
        code = make_optional_code(value, max_length=length, field=name)
        return None if code is None else kind(code)

    return convert


def _required_key(
    kind: Callable[[str], _K], length: int, name: str
) -> Callable[[object], _K]:
    """Converter for a key that must not be blank."""
    optional = _optional_key(kind, length, name)

    def convert(value: object) -> _K:
        key = optional(value)
        if key is None:
            raise ValidationError(name, value, "must not be blank")
        return key

    return convert


def _text(length: int) -> Callable[[object, attrs.Attribute[str], object], None]:
    """Validator for BC ``Text[n]``: a string of at most ``n`` characters."""

    def check(_: object, attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str):
            raise ValidationError(attribute.name, value, "must be a string")
        if len(value) > length:
            raise ValidationError(
                attribute.name, value, f"is longer than {length} characters"
            )

    return check


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _day(name: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(name, value, "must be a date")
    return value


def _task_date(name: str, value: object) -> date:
    day = _day(name, value)
    if not MIN_TASK_DATE <= day <= MAX_TASK_DATE:
        raise ValidationError(name, day, _DATE_RANGE_TEXT)
    return day


def _check_task_date(
    _: object, attribute: attrs.Attribute[date], value: object
) -> None:
    _task_date(attribute.name, value)


def _optional_day(
    _: object, attribute: attrs.Attribute[date | None], value: object
) -> None:
    if value is not None:
        _day(attribute.name, value)


def _clock_time(name: str, value: object) -> time:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise ValidationError(name, value, "must be a time of day without a time zone")
    return value


def _check_time(_: object, attribute: attrs.Attribute[time], value: object) -> None:
    _clock_time(attribute.name, value)


def _check_duration(
    _: object, attribute: attrs.Attribute[timedelta], value: object
) -> None:
    # §7.1 Duration: not negative, at least a minute, at most "10 years" (3650 days).
    if not isinstance(value, timedelta):
        raise ValidationError(attribute.name, value, "must be a timedelta")
    if value < timedelta(0):
        raise ValidationError(attribute.name, value, _NEGATIVE_TEXT)
    if value < MIN_DURATION:
        raise ValidationError(attribute.name, value, _TOO_SHORT_TEXT)
    if value > MAX_DURATION:
        raise ValidationError(attribute.name, value, _TOO_LONG_TEXT)


def _decimal(name: str) -> Callable[[object], Decimal]:
    def convert(value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise ValidationError(name, value, "must be a Decimal or an int")
        number = Decimal(value)
        if not number.is_finite():
            raise ValidationError(name, value, "must be a finite number")
        return number

    return convert


def _optional_entry(name: str) -> Callable[[object], int | None]:
    """Converter for BC's integer links where 0 means none (entry and attachment no.)."""

    def convert(value: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(name, value, "must be a positive integer or None")
        return value or None

    return convert


def _optional_formula(value: object) -> DateFormula | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = DateFormula.parse(value)
    if not isinstance(value, DateFormula):
        raise ValidationError(
            "recurring_date_interval", value, "must be a date formula, its text or None"
        )
    return value if value.terms else None  # BC: an empty formula is "not specified"


def _formula(value: object) -> DateFormula:
    if isinstance(value, str):
        return DateFormula.parse(value)
    if not isinstance(value, DateFormula):
        raise ValidationError(
            "date_formula", value, "must be a date formula or its text"
        )
    return value


def _positive_int(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(attribute.name, value, "must be a positive integer")


_task_no = _key(TaskNo, CODE20, "no")
_new_task_no = _required_key(TaskNo, CODE20, "no")
_salesperson = _optional_key(SalespersonCode, CODE20, "salesperson_code")
_team = _optional_key(Code, CODE10, "team_code")
_contact = _optional_key(ContactNo, CODE20, "contact_no")


# Named converters: the attrs mypy plugin accepts only named functions.


def _no(value: object) -> TaskNo:
    return _task_no(value)


def _team_code(value: object) -> Code | None:
    return _team(value)


def _salesperson_code(value: object) -> SalespersonCode | None:
    return _salesperson(value)


def _campaign_no(value: object) -> CampaignNo | None:
    return _optional_key(CampaignNo, CODE20, "campaign_no")(value)


def _contact_no(value: object) -> ContactNo | None:
    return _contact(value)


def _contact_company_no(value: object) -> ContactNo | None:
    return _optional_key(ContactNo, CODE20, "contact_company_no")(value)


def _opportunity_no(value: object) -> OpportunityNo | None:
    return _optional_key(OpportunityNo, CODE20, "opportunity_no")(value)


def _opportunity_entry_no(value: object) -> int | None:
    return _optional_entry("opportunity_entry_no")(value)


def _segment_no(value: object) -> SegmentNo | None:
    return _optional_key(SegmentNo, CODE20, "segment_no")(value)


def _task_type(value: object) -> TaskType:
    return _enum(TaskType, "type", value)


def _task_status(value: object) -> TaskStatus:
    return _enum(TaskStatus, "status", value)


def _task_priority(value: object) -> TaskPriority:
    return _enum(TaskPriority, "priority", value)


def _completed_by(value: object) -> SalespersonCode | None:
    return _optional_key(SalespersonCode, CODE20, "completed_by")(value)


def _calc_due_date_from(value: object) -> CalcDueDateFrom:
    return _enum(CalcDueDateFrom, "calc_due_date_from", value)


def _system_task_type(value: object) -> SystemTaskType:
    return _enum(SystemTaskType, "system_task_type", value)


def _organizer_task_no(value: object) -> TaskNo | None:
    return _optional_key(TaskNo, CODE20, "organizer_task_no")(value)


def _interaction_template_code(value: object) -> Code | None:
    return _optional_key(Code, CODE10, "interaction_template_code")(value)


def _language_code(value: object) -> Code | None:
    return _optional_key(Code, CODE10, "language_code")(value)


def _attachment_no(value: object) -> int | None:
    return _optional_entry("attachment_no")(value)


def _unit_cost_lcy(value: object) -> Decimal:
    return _decimal("unit_cost_lcy")(value)


def _unit_duration_min(value: object) -> Decimal:
    return _decimal("unit_duration_min")(value)


def _successor_no(value: object) -> TaskNo | None:
    return _optional_key(TaskNo, CODE20, "successor_no")(value)


def _attendee_no(value: object) -> str:
    return _required_key(str, CODE20, "attendee_no")(value)


# --- numbers -----------------------------------------------------------------------

TaskNumbers = Iterable[str] | Callable[[], str]
"""Where the numbers of new tasks come from, an iterable of numbers or a callable
returning the next one (for example a number series' ``next`` bound to a unit of
work). Numbers are drawn only after every check has passed."""


def _number_source(numbers: TaskNumbers) -> Callable[[], TaskNo]:
    if isinstance(numbers, str):
        raise ValidationError(
            "numbers", numbers, "must be numbers or a callable, not one text"
        )
    if callable(numbers):
        source = numbers

        def call() -> TaskNo:
            return _new_task_no(source())

        return call
    iterator: Iterator[str] = iter(numbers)

    def take() -> TaskNo:
        try:
            return _new_task_no(next(iterator))
        except StopIteration:
            raise ValidationError("numbers", None, "ran out of task numbers") from None

    return take


def _numbered(drafts: list[Task], numbers: TaskNumbers) -> list[Task]:
    """Number new main tasks; each is its own organizer task (BC's OnInsert)."""
    take = _number_source(numbers)
    numbered: list[Task] = []
    for draft in drafts:
        no = take()
        numbered.append(attrs.evolve(draft, no=no, organizer_task_no=no))
    return numbered


# --- the aggregate -----------------------------------------------------------------


def _default_system_type(task: Task) -> SystemTaskType:
    return (
        SystemTaskType.TEAM if task.team_code is not None else SystemTaskType.ORGANIZER
    )


def _default_organizer(task: Task) -> TaskNo | None:
    # OnInsert: Organizer To-do No. := No. for organizer tasks without a team and for
    # team tasks.
    main = task.system_task_type is SystemTaskType.TEAM or (
        task.system_task_type is SystemTaskType.ORGANIZER and task.team_code is None
    )
    return task.no if main and task.no else None


_EDITABLE: Final = frozenset(
    {
        "priority",
        "description",
        "location",
        "campaign_no",
        "segment_no",
        "opportunity_no",
        "opportunity_entry_no",
        "interaction_template_code",
        "language_code",
        "attachment_no",
        "subject",
        "unit_cost_lcy",
        "unit_duration_min",
    }
)


@define(kw_only=True)
class Task(AggregateRoot):
    """A task, phone call or meeting of a salesperson or a team (table 5080, §7.1).

    The constructor checks BC's rules and the invariants of the state machine (§7.2):
    either a salesperson or a team; a date within 1900-01-01..2999-12-31; a duration
    of one minute to 3650 days; a recurring task has an interval and a Calc. Due
    Date From; Status = Completed exactly when Closed; a canceled task is closed; a
    closed task has a Date Closed and an open one neither a Date Closed nor a
    Completed By. ``system_task_type`` defaults to Team for a task with a team and
    to Organizer otherwise; ``organizer_task_no`` defaults to ``no`` for those main
    tasks (BC's OnInsert).

    Change it with the business methods; each validates everything before changing
    anything. Ending date and time are derived (:attr:`ending_date`,
    :attr:`ending_time`).

    Attributes:
        successor_no: The occurrence this recurring task produced when it was closed
            (§7.4), or ``None``; a task produces at most one.

    Raises:
        TaskRuleError: Neither salesperson nor team, or a recurring task without
            interval or Calc. Due Date From (BC's texts).
        ValidationError: A value a field refuses, or inconsistent state fields.

    >>> from datetime import date
    >>> task = Task(no="td1", team_code="sales", date=date(2024, 3, 4),
    ...             description="Follow up")
    >>> (task.no, task.system_task_type, task.organizer_task_no, task.ending_date)
    ('TD1', <SystemTaskType.TEAM: 'Team'>, 'TD1', datetime.date(2024, 3, 5))
    >>> Task(no="td2", date=date(2024, 3, 4))
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.TaskRuleError: task 'TD2': You must fill in either the Salesperson Code field or the Team Code field.
    """

    no: TaskNo = field(default=TaskNo(""), converter=_no)
    team_code: Code | None = field(default=None, converter=_team_code)
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_salesperson_code
    )
    campaign_no: CampaignNo | None = field(default=None, converter=_campaign_no)
    contact_no: ContactNo | None = field(default=None, converter=_contact_no)
    contact_company_no: ContactNo | None = field(
        default=None, converter=_contact_company_no
    )
    opportunity_no: OpportunityNo | None = field(
        default=None, converter=_opportunity_no
    )
    opportunity_entry_no: int | None = field(
        default=None, converter=_opportunity_entry_no
    )
    segment_no: SegmentNo | None = field(default=None, converter=_segment_no)
    type: TaskType = field(default=TaskType.BLANK, converter=_task_type)
    date: dt.date = field(validator=_check_task_date)
    start_time: time = field(default=_MIDNIGHT, validator=_check_time)
    duration: timedelta = field(default=_DAY, validator=_check_duration)
    all_day_event: bool = field(default=False, validator=_bool)
    status: TaskStatus = field(default=TaskStatus.NOT_STARTED, converter=_task_status)
    priority: TaskPriority = field(
        default=TaskPriority.NORMAL,
        converter=_task_priority,
    )
    description: str = field(default="", validator=_text(_TEXT100))
    location: str = field(default="", validator=_text(_TEXT100))
    closed: bool = field(default=False, validator=_bool)
    date_closed: dt.date | None = field(default=None, validator=_optional_day)
    canceled: bool = field(default=False, validator=_bool)
    completed_by: SalespersonCode | None = field(default=None, converter=_completed_by)
    recurring: bool = field(default=False, validator=_bool)
    recurring_date_interval: DateFormula | None = field(
        default=None, converter=_optional_formula
    )
    calc_due_date_from: CalcDueDateFrom = field(
        default=CalcDueDateFrom.BLANK,
        converter=_calc_due_date_from,
    )
    system_task_type: SystemTaskType = field(
        default=Factory(_default_system_type, takes_self=True),
        converter=_system_task_type,
    )
    organizer_task_no: TaskNo | None = field(
        default=Factory(_default_organizer, takes_self=True),
        converter=_organizer_task_no,
    )
    interaction_template_code: Code | None = field(
        default=None,
        converter=_interaction_template_code,
    )
    language_code: Code | None = field(default=None, converter=_language_code)
    attachment_no: int | None = field(default=None, converter=_attachment_no)
    subject: str = field(default="", validator=_text(_TEXT100))
    unit_cost_lcy: Decimal = field(default=Decimal(0), converter=_unit_cost_lcy)
    unit_duration_min: Decimal = field(default=Decimal(0), converter=_unit_duration_min)
    successor_no: TaskNo | None = field(default=None, converter=_successor_no)

    def __deepcopy__(self, memo: dict[int, object]) -> Task:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    def __attrs_post_init__(self) -> None:
        """Check BC's rules and the state-machine invariants (§7.1, §7.2)."""
        if self.salesperson_code is None and self.team_code is None:
            raise TaskRuleError(self.no, _EITHER_TEXT)
        if self.system_task_type is SystemTaskType.TEAM and self.team_code is None:
            raise ValidationError(
                "system_task_type",
                self.system_task_type,
                "a team task needs a team code",
            )
        if self.recurring:
            if self.recurring_date_interval is None:
                raise TaskRuleError(
                    self.no, _MUST_BE_SPECIFIED.format("Recurring Date Interval")
                )
            if self.calc_due_date_from is CalcDueDateFrom.BLANK:
                raise TaskRuleError(
                    self.no, _MUST_BE_SPECIFIED.format("Calc. Due Date From")
                )
        self._check_state()
        if self.successor_no is not None and self.successor_no == self.no:
            raise ValidationError(
                "successor_no", self.successor_no, "is the task itself"
            )

    def _check_state(self) -> None:
        # §7.2: Status = Completed <=> Closed; Canceled => Closed; Date Closed is set
        # exactly while closed; Validate(Closed, false) clears Completed By.
        if (self.status is TaskStatus.COMPLETED) != self.closed:
            raise ValidationError(
                "status",
                self.status,
                "must be Completed exactly when the task is closed",
            )
        if self.canceled and not self.closed:
            raise ValidationError("canceled", True, "a canceled task is closed")  # noqa: FBT003
        if (self.date_closed is not None) != self.closed:
            raise ValidationError(
                "date_closed", self.date_closed, "must be set exactly when closed"
            )
        if not self.closed and self.completed_by is not None:
            raise ValidationError(
                "completed_by", self.completed_by, "an open task has no Completed By"
            )

    def _apply(self, **changes: object) -> None:
        """Validate ``changes`` as a whole on a copy, then apply them."""
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        for name in changes:
            object.__setattr__(self, name, getattr(checked, name))

    # --- derived values (§7.3) -------------------------------------------------------

    @property
    def is_team_task(self) -> bool:
        """Whether the task has a team code (then closing it needs Completed By)."""
        return self.team_code is not None

    @property
    def start_datetime(self) -> datetime:
        """Date and Start Time as a naive wall-clock datetime (BC has no zone)."""
        return datetime.combine(self.date, self.start_time)

    @property
    def end_datetime(self) -> datetime:
        """The end as BC's ``GetEndDateTime`` computes it (§7.3), naive wall-clock.

        For tasks that are neither meetings nor phone calls, and for all-day events,
        a Start Time other than 00:00 gives ``DateTime(Date - 1, Start Time) +
        Duration``: BC really starts from the day *before* (table 5080,
        ``GetEndDateTime``). With Start Time 00:00 it is ``DateTime(Date, 00:00) +
        Duration``, and an all-day event ends at 00:00 of the day holding the last
        second of that span. Meetings and phone calls end at ``DateTime(Date,
        Start Time) + Duration``.

        >>> from datetime import date, time
        >>> todo = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4),
        ...             start_time=time(9, 0), duration=timedelta(hours=2))
        >>> todo.end_datetime  # Date - 1: BC's own arithmetic
        datetime.datetime(2024, 3, 3, 11, 0)
        >>> todo.change_type(TaskType.PHONE_CALL)
        >>> todo.end_datetime
        datetime.datetime(2024, 3, 4, 11, 0)
        """
        if not _is_meeting_or_phone_call(self.type) or self.all_day_event:
            if self.start_time != _MIDNIGHT:
                return (
                    datetime.combine(self.date - _DAY, self.start_time) + self.duration
                )
            end = datetime.combine(self.date, _MIDNIGHT) + self.duration
            if self.all_day_event:
                end = datetime.combine((end - _SECOND).date(), _MIDNIGHT)
            return end
        return datetime.combine(self.date, self.start_time) + self.duration

    @property
    def ending_date(self) -> dt.date:
        """BC's Ending Date, the date part of :attr:`end_datetime` (§7.3)."""
        return self.end_datetime.date()

    @property
    def ending_time(self) -> time:
        """BC's Ending Time, the time part of :attr:`end_datetime`; 00:00 all day."""
        if self.all_day_event:
            return _MIDNIGHT
        end = self.end_datetime
        return end.time()

    # --- status, closed, canceled (§7.2) ----------------------------------------------

    def change_status(
        self,
        status: TaskStatus | str,
        *,
        today: dt.date,
        completed_by: str | None = None,
        new_no: str | Callable[[], str] | None = None,
    ) -> Task | None:
        """Validate Status (§7.2): Completed closes the task, any other value opens it.

        Args:
            status: The new status.
            today: BC's TODAY, the Date Closed when the task closes.
            completed_by: The salesperson who completed it; needed to close a team task.
            new_no: The number of the next occurrence, or a callable that returns
                it; asked for only when a recurring task closes for the first time.

        Returns:
            The next occurrence when this closes a recurring task (see :meth:`close`),
            otherwise ``None``.

        Raises:
            ValidationError: An unknown status, a bad ``today``, or no ``new_no``
                when a successor is needed.
            TaskRuleError: A team task closed without Completed By.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.change_status("Completed", today=date(2024, 3, 5))
        >>> (task.closed, task.date_closed)
        (True, datetime.date(2024, 3, 5))
        >>> task.change_status(TaskStatus.WAITING, today=date(2024, 3, 6))
        >>> (task.closed, task.status, task.date_closed)
        (False, <TaskStatus.WAITING: 'Waiting'>, None)
        """
        new_status: TaskStatus = _enum(TaskStatus, "status", status)
        _day("today", today)
        if new_status is TaskStatus.COMPLETED:
            return self.close(today=today, completed_by=completed_by, new_no=new_no)
        # Validate(Closed, false) after Status := s: the status stays s.
        self._apply(
            status=new_status,
            closed=False,
            canceled=False,
            date_closed=None,
            completed_by=None,
        )
        return None

    def close(
        self,
        *,
        today: dt.date,
        completed_by: str | None = None,
        new_no: str | Callable[[], str] | None = None,
    ) -> Task | None:
        """Close the task: Validate(Closed, true) (§7.2), creating a recurrence (§7.4).

        Date Closed := ``today`` and Status := Completed. A team task needs a
        Completed By ("The Completed By field must be filled in for Tasks assigned to
        a team."). When the task is recurring and has not produced a successor yet,
        :func:`next_occurrence` builds it with ``new_no`` and the task records its
        number in ``successor_no``. Closing a closed task changes nothing.

        Args:
            today: BC's TODAY.
            completed_by: The salesperson who completed the task.
            new_no: The number for the next occurrence, or a callable returning it;
                called only when a successor is created.

        Returns:
            The new occurrence (not stored; the service adds it, with copies of the
            attendees and team sub-tasks), or ``None``.

        Raises:
            TaskRuleError: A team task without Completed By.
            ValidationError: ``today`` is not a date; no ``new_no`` when a successor
                is due; the successor's date leaves 1900..2999.

        >>> from datetime import date
        >>> team = Task(no="T1", team_code="SALES", date=date(2024, 3, 4))
        >>> team.close(today=date(2024, 3, 5))
        Traceback (most recent call last):
        ...
        relationship_mgmt.errors.TaskRuleError: task 'T1': The Completed By field must be filled in for Tasks assigned to a team.
        >>> team.close(today=date(2024, 3, 5), completed_by="js")
        >>> (team.status, team.completed_by)
        (<TaskStatus.COMPLETED: 'Completed'>, 'JS')
        """
        return self._close(
            today=today, completed_by=completed_by, canceled=False, new_no=new_no
        )

    def _close(
        self,
        *,
        today: dt.date,
        completed_by: str | None,
        canceled: bool,
        new_no: str | Callable[[], str] | None,
    ) -> Task | None:
        day = _day("today", today)
        completer = _completed_by(completed_by)
        if self.closed:
            return None
        if not canceled and self.is_team_task and completer is None:
            raise TaskRuleError(self.no, _COMPLETED_BY_TEXT)
        changes: dict[str, object] = {
            "closed": True,
            "status": TaskStatus.COMPLETED,
            "date_closed": day,
            "canceled": canceled,
            "completed_by": completer,
        }
        successor: Task | None = None
        if self.recurring and not canceled and self.successor_no is None:
            successor = next_occurrence(self, new_no=_one_number(new_no), today=day)
            changes["successor_no"] = successor.no
        self._apply(**changes)
        return successor

    def reopen(self) -> None:
        """Reopen the task: Validate(Closed, false) (§7.2).

        Canceled := false, Date Closed and Completed By are cleared, and a Completed
        status becomes In Progress. An open task is left as it is. The successor of a
        recurring task stays recorded, so closing again creates none.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.close(today=date(2024, 3, 5))
        >>> task.reopen()
        >>> (task.closed, task.status)
        (False, <TaskStatus.IN_PROGRESS: 'In Progress'>)
        """
        if not self.closed:
            return
        self._apply(
            closed=False,
            canceled=False,
            date_closed=None,
            status=TaskStatus.IN_PROGRESS,
            completed_by=None,
        )

    def cancel(self, *, today: dt.date) -> None:
        """Cancel the task: Validate(Canceled, true) (§7.2).

        An open task is closed through the Closed = true branch, but without the
        Completed By check and without creating a recurrence; a closed task only
        becomes canceled. Cancelling a canceled task changes nothing.

        Raises:
            ValidationError: ``today`` is not a date.

        >>> from datetime import date
        >>> task = Task(no="T1", team_code="SALES", date=date(2024, 3, 4))
        >>> task.cancel(today=date(2024, 3, 5))
        >>> (task.canceled, task.closed, task.status)
        (True, True, <TaskStatus.COMPLETED: 'Completed'>)
        """
        day = _day("today", today)
        if self.canceled:
            return
        if self.closed:
            self._apply(canceled=True)
            return
        self._close(today=day, completed_by=None, canceled=True, new_no=None)

    def uncancel(self) -> None:
        """Clear Canceled: Validate(Canceled, false), which reopens the task (§7.2).

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.cancel(today=date(2024, 3, 5))
        >>> task.uncancel()
        >>> (task.canceled, task.closed, task.status)
        (False, False, <TaskStatus.IN_PROGRESS: 'In Progress'>)
        """
        if self.canceled:
            self.reopen()

    # --- recurrence (§7.4) ------------------------------------------------------------

    def make_recurring(
        self, interval: DateFormula | str, *, calc_due_date_from: CalcDueDateFrom | str
    ) -> None:
        """Make the task recur every ``interval`` (§7.1 Recurring, §7.4).

        Raises:
            TaskRuleError: The interval is empty or Calc. Due Date From is blank
                ("%1 must be specified.").
            ValidationError: A value that is not a formula or not an option.
            DateFormulaError: The interval text is not a valid formula.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.make_recurring("1M", calc_due_date_from="Closing Date")
        >>> str(task.recurring_date_interval), task.calc_due_date_from
        ('1M', <CalcDueDateFrom.CLOSING_DATE: 'Closing Date'>)
        """
        self._apply(
            recurring=True,
            recurring_date_interval=interval,
            calc_due_date_from=calc_due_date_from,
        )

    def stop_recurring(self) -> None:
        """Clear Recurring; the interval and Calc. Due Date From are kept (§7.1).

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4),
        ...             recurring=True, recurring_date_interval="1W",
        ...             calc_due_date_from="Due Date")
        >>> task.stop_recurring()
        >>> task.recurring, str(task.recurring_date_interval)
        (False, '1W')
        """
        self._apply(recurring=False)

    # --- dates, times and duration (§7.3) ---------------------------------------------

    def reschedule(
        self,
        *,
        date: dt.date | None = None,
        start_time: time | None = None,
        duration: timedelta | None = None,
    ) -> None:
        """Move the task or change its duration; the end follows (§7.1, §7.3).

        ``None`` keeps a value.

        Raises:
            ValidationError: A date outside 1900-01-01..2999-12-31, a time with a
                zone, or a duration that is negative, under a minute or over 3650
                days (BC's texts); nothing was changed.

        >>> from datetime import date, time
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4),
        ...             type=TaskType.PHONE_CALL)
        >>> task.reschedule(start_time=time(14, 0), duration=timedelta(minutes=15))
        >>> str(task.ending_time)
        '14:15:00'
        """
        changes = {
            name: value
            for name, value in (
                ("date", date),
                ("start_time", start_time),
                ("duration", duration),
            )
            if value is not None
        }
        self._apply(**changes)

    def change_end(self, end_date: dt.date, end_time: time = _MIDNIGHT) -> None:
        """Set the end and recompute Duration: BC's ``SetDuration`` (§7.3).

        Not all day: Duration = DateTime(end_date, end_time) - DateTime(Date, Start
        Time). All day: Duration = DateTime(end_date + 1, 00:00) - DateTime(Date,
        00:00); ``end_time`` is ignored.

        Raises:
            ValidationError: ``end_date`` outside 1900-01-01..2999-12-31, or an end
                before the start, less than a minute after it or more than 3650
                days after it (BC's texts); nothing was changed.

        >>> from datetime import date, time
        >>> meeting = Task(no="T1", salesperson_code="JS", type=TaskType.MEETING,
        ...                date=date(2024, 3, 4), start_time=time(10, 0))
        >>> meeting.change_end(date(2024, 3, 4), time(11, 30))
        >>> meeting.duration
        datetime.timedelta(seconds=5400)
        """
        end_day = _task_date("ending_date", end_date)
        end_at = _clock_time("ending_time", end_time)
        self._apply(duration=self._duration_until(end_day, end_at))

    def _duration_until(self, end_date: dt.date, end_time: time) -> timedelta:
        if self.all_day_event:
            return datetime.combine(end_date + _DAY, _MIDNIGHT) - datetime.combine(
                self.date, _MIDNIGHT
            )
        return datetime.combine(end_date, end_time) - datetime.combine(
            self.date, self.start_time
        )

    def change_all_day(self, *, all_day: bool) -> None:
        """Switch All Day Event on or off with BC's duration rules (§7.3).

        On: Start Time := 00:00; Duration := 1 day when the task ends on its start
        date, otherwise the span rounded up to whole days (BC rounds
        ``start + duration + 1 ms`` up to midnight, so a span of exactly one day
        becomes two). Off: Duration := Duration - 1 day. Setting the current value
        changes nothing.

        Raises:
            ValidationError: ``all_day`` is not a bool, or the new duration breaks the
                duration rules (switching off a one-day event leaves no duration).

        >>> from datetime import date, time
        >>> task = Task(no="T1", salesperson_code="JS", type=TaskType.MEETING,
        ...             date=date(2024, 3, 4), start_time=time(9, 0),
        ...             duration=timedelta(hours=1))
        >>> task.change_all_day(all_day=True)
        >>> (str(task.start_time), task.duration, task.ending_date)
        ('00:00:00', datetime.timedelta(days=1), datetime.date(2024, 3, 4))
        """
        if not isinstance(all_day, bool):
            raise ValidationError("all_day", all_day, "must be true or false")
        if all_day == self.all_day_event:
            return
        if all_day:
            self._make_all_day()
        else:
            self._apply(all_day_event=False, duration=self.duration - _DAY)

    def _make_all_day(self) -> None:
        # Validate("All Day Event", true): BC runs it even when already all day.
        start = datetime.combine(self.date, _MIDNIGHT)
        end = start + self.duration
        same_day = end.date() == self.date
        duration = _DAY if same_day else _ceil_to_day(end + _MS) - start
        self._apply(all_day_event=True, start_time=_MIDNIGHT, duration=duration)

    def change_type(self, new_type: TaskType | str, *, new_task: bool = False) -> None:
        """Change Type (§7.1, §7.3).

        A stored task switches only between ``' '`` and Phone Call; to or from
        Meeting is refused. A ``new_task`` (BC: a task still being created in the
        wizard, No. blank) may take any type, and its times follow BC's rules: from
        a meeting or phone call to ``' '``, Start Time := 00:00, All Day Event :=
        false and the task ends at 00:00 of its old ending date; from ``' '`` to a
        meeting or phone call, Start Time := 00:00 and the end is 00:30 when the old
        end fell on the task's date, otherwise 00:00 of the old ending date.

        Raises:
            TaskRuleError: A stored task switched to or from Meeting (BC's text).
            ValidationError: An unknown type, or a resulting duration BC refuses
                (a new meeting on a single day switched to ``' '`` has none left:
                BC refuses it too).

        >>> from datetime import date
        >>> draft = Task(salesperson_code="JS", date=date(2024, 3, 4))
        >>> draft.change_type(TaskType.MEETING, new_task=True)
        >>> (str(draft.start_time), draft.ending_date, str(draft.ending_time))
        ('00:00:00', datetime.date(2024, 3, 4), '00:30:00')
        """
        kind: TaskType = _enum(TaskType, "type", new_type)
        if not isinstance(new_task, bool):
            raise ValidationError("new_task", new_task, "must be true or false")
        old = self.type
        if kind is old:
            return
        if not new_task:
            if TaskType.MEETING in (old, kind):
                raise TaskRuleError(self.no, _MEETING_TYPE_TEXT)
            self._apply(type=kind)
            return
        old_end = datetime.combine(self.date, self.start_time) + self.duration
        if not _is_meeting_or_phone_call(old):
            old_end -= _DAY  # BC's OneDayDuration() in the Type trigger
        old_end_date = old_end.date()
        if _is_meeting_or_phone_call(old) and not _is_meeting_or_phone_call(kind):
            draft = attrs.evolve(
                self, type=kind, start_time=_MIDNIGHT, all_day_event=False
            )
            duration = draft._duration_until(old_end_date, _MIDNIGHT)  # noqa: SLF001
            self._apply(
                type=kind, start_time=_MIDNIGHT, all_day_event=False, duration=duration
            )
            return
        if not _is_meeting_or_phone_call(old):
            draft = attrs.evolve(self, type=kind, start_time=_MIDNIGHT)
            end_time = _MIDNIGHT
            if old_end_date == self.date:
                end_time = (
                    datetime.combine(old_end_date, _MIDNIGHT) + _HALF_HOUR
                ).time()
            duration = draft._duration_until(old_end_date, end_time)  # noqa: SLF001
            self._apply(type=kind, start_time=_MIDNIGHT, duration=duration)
            return
        self._apply(type=kind)  # between Meeting and Phone Call: no time rule

    # --- people and links (§7.1) ------------------------------------------------------

    def assign_to_salesperson(self, salesperson_code: str) -> None:
        """Make the task a salesperson's own (§7.1 Salesperson Code, Team Code).

        A team task loses its team and becomes an Organizer task (BC's
        ``ReassignTeamTaskToSalesperson``); a closed task is reopened. The organizer
        of a meeting without a team cannot be changed. The team members' sub-tasks
        are the service's to delete (:func:`subtasks_of`).

        Raises:
            TaskRuleError: A blank code (neither salesperson nor team), a meeting's
                organizer changed, or a sub-task reassigned.
            ValidationError: A code longer than 20 characters.

        >>> from datetime import date
        >>> task = Task(no="T1", team_code="SALES", date=date(2024, 3, 4))
        >>> task.assign_to_salesperson("js")
        >>> (task.salesperson_code, task.team_code, task.system_task_type)
        ('JS', None, <SystemTaskType.ORGANIZER: 'Organizer'>)
        """
        code = _salesperson(salesperson_code)
        self._check_main_task()
        if code is None:
            raise TaskRuleError(self.no, _EITHER_TEXT)
        if (
            self.type is TaskType.MEETING
            and self.team_code is None
            and code != self.salesperson_code
        ):
            raise TaskRuleError(self.no, _ORGANIZER_SALESPERSON_TEXT)
        self._reassign(
            salesperson_code=code,
            team_code=None,
            system_task_type=SystemTaskType.ORGANIZER,
        )

    def assign_to_team(self, team_code: str) -> None:
        """Make the task a team task (§7.1 Team Code, §7.5).

        A salesperson's task loses its salesperson and becomes a Team task (BC's
        ``ReassignSalespersonTaskToTeam``); a closed task is reopened. Plan the
        members' sub-tasks with :func:`plan_team_subtasks`.

        Raises:
            TaskRuleError: A blank code, or a sub-task reassigned.
            ValidationError: A code longer than 10 characters.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.assign_to_team("sales")
        >>> (task.salesperson_code, task.team_code, task.system_task_type)
        (None, 'SALES', <SystemTaskType.TEAM: 'Team'>)
        """
        code = _team(team_code)
        self._check_main_task()
        if code is None:
            raise TaskRuleError(self.no, _EITHER_TEXT)
        salesperson = None if self.team_code is None else self.salesperson_code
        self._reassign(
            salesperson_code=salesperson,
            team_code=code,
            system_task_type=SystemTaskType.TEAM,
        )

    def _check_main_task(self) -> None:
        if self.system_task_type not in _MAIN_TYPES:
            raise TaskRuleError(
                self.no, "only an organizer or team task can be reassigned"
            )

    def _reassign(self, **changes: object) -> None:
        if self.closed:
            changes.update(
                closed=False,
                canceled=False,
                date_closed=None,
                status=TaskStatus.IN_PROGRESS,
                completed_by=None,
            )
        self._apply(organizer_task_no=self.no or None, **changes)

    def change_contact(
        self, contact_no: str | None, *, contact_company_no: str | None = None
    ) -> None:
        """Change the contact and its company (§7.1 Contact No.).

        BC reads Contact Company No. from the contact; here the caller passes it.
        For an organizer task that is not a meeting, :func:`plan_contact_change`
        gives the Contact Attendee sub-task to delete and the one to create.

        Raises:
            ValidationError: A number longer than 20 characters.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.change_contact("ct2", contact_company_no="ct1")
        >>> (task.contact_no, task.contact_company_no)
        ('CT2', 'CT1')
        """
        contact = _contact(contact_no)
        company = contact_company_no if contact is not None else None
        self._apply(contact_no=contact, contact_company_no=company)

    def apply_interaction_template(
        self,
        code: str | None,
        *,
        language_code: str | None = None,
        description: str = "",
        unit_cost_lcy: Decimal | int = 0,
        unit_duration_min: Decimal | int = 0,
        campaign_no: str | None = None,
        attachment_no: int | None = None,
    ) -> None:
        """Take over an interaction template's values (§7.1 Interaction Template Code).

        BC copies the template's default language, its description as Subject, Unit
        Cost (LCY), Unit Duration (Min.), and its campaign when the task has none.
        ``None`` clears the template and those values. The template's languages and
        attachments (task interaction languages) are not modelled.

        Raises:
            ValidationError: A value a field refuses; nothing was changed.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.apply_interaction_template("call", description="Phone call",
        ...                                 unit_cost_lcy=3, campaign_no="cp1")
        >>> (task.interaction_template_code, task.subject, task.campaign_no)
        ('CALL', 'Phone call', 'CP1')
        """
        if code is None:
            self._apply(
                interaction_template_code=None,
                language_code=None,
                subject="",
                unit_cost_lcy=Decimal(0),
                unit_duration_min=Decimal(0),
                attachment_no=None,
            )
            return
        self._apply(
            interaction_template_code=code,
            language_code=language_code,
            subject=description,
            unit_cost_lcy=unit_cost_lcy,
            unit_duration_min=unit_duration_min,
            campaign_no=self.campaign_no
            if self.campaign_no is not None
            else campaign_no,
            attachment_no=attachment_no,
        )

    def edit(self, **changes: object) -> None:
        """Change plain fields, validated as a whole before anything changes (§7.1).

        Editable: priority, description, location, campaign_no, segment_no,
        opportunity_no, opportunity_entry_no, interaction_template_code,
        language_code, attachment_no, subject, unit_cost_lcy, unit_duration_min. A
        new ``opportunity_no`` without ``opportunity_entry_no`` clears the entry no.
        (BC looks up the opportunity's active entry; the service can pass it).

        Raises:
            ValidationError: A field that is unknown or has its own method, or a
                value a field refuses; nothing was changed.

        >>> from datetime import date
        >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
        >>> task.edit(priority="High", opportunity_no="op1", opportunity_entry_no=7)
        >>> (task.priority, task.opportunity_no, task.opportunity_entry_no)
        (<TaskPriority.HIGH: 'High'>, 'OP1', 7)
        """
        for name, value in changes.items():
            if name not in _EDITABLE:
                raise ValidationError(
                    name, value, "is not a plain task field; use its own method"
                )
        values = dict(changes)
        if "opportunity_no" in values and "opportunity_entry_no" not in values:
            values["opportunity_entry_no"] = None
        self._apply(**values)


def _ceil_to_day(moment: datetime) -> datetime:
    """Round up to midnight, as BC's ``RoundDateTime(dt, 1 day, '>')``."""
    day = datetime.combine(moment.date(), _MIDNIGHT)
    return day if day == moment else day + _DAY


def _one_number(new_no: str | Callable[[], str] | None) -> TaskNo:
    if new_no is None:
        raise ValidationError(
            "new_no", None, "a recurring task needs the number of its next occurrence"
        )
    return _new_task_no(new_no() if callable(new_no) else new_no)


# --- recurrence (§7.4) ---------------------------------------------------------------


def next_occurrence(task: Task, *, new_no: str, today: date) -> Task:
    """Build the next occurrence of a recurring task: BC's ``CreateRecurringTask`` (§7.4).

    The copy gets the number ``new_no``, Status Not Started, Closed and Canceled
    false, no Date Closed, Completed By or successor, and ``Date =
    calc_date(Recurring Date Interval, old Date)`` with Calc. Due Date From = Due
    Date, or ``calc_date(Recurring Date Interval, today)`` with Closing Date. The
    ending date and time follow from the new date and the same duration. As on
    BC's insert, it becomes a main task: Team with a team code (a team meeting loses
    its salesperson), Organizer otherwise, and its own organizer task. The task
    itself is not changed; the service copies the attendees and team sub-tasks.

    Args:
        task: The task being closed.
        new_no: The number of the new occurrence.
        today: BC's TODAY, the closing date.

    Returns:
        The new occurrence, version 0.

    Raises:
        TaskRuleError: No Recurring Date Interval or no Calc. Due Date From ("%1 must
            be specified.").
        ValidationError: A blank ``new_no`` or ``new_no`` equal to the task's own
            number, a bad ``today``, or a date beyond 2999-12-31.

    Examples:
        §7.4's weekly call, due 2024-03-04 and closed on 2024-03-06:

        >>> from datetime import date
        >>> call = Task(no="TD1", salesperson_code="JS", date=date(2024, 3, 4),
        ...             recurring=True, recurring_date_interval="1W",
        ...             calc_due_date_from="Due Date")
        >>> next_occurrence(call, new_no="TD2", today=date(2024, 3, 6)).date
        datetime.date(2024, 3, 11)
        >>> call.make_recurring("1W", calc_due_date_from="Closing Date")
        >>> next_occurrence(call, new_no="TD2", today=date(2024, 3, 6)).date
        datetime.date(2024, 3, 13)
    """
    day = _day("today", today)
    number = _new_task_no(new_no)
    if number == task.no:
        raise ValidationError("new_no", number, "is the number of the task itself")
    interval = task.recurring_date_interval
    if interval is None:
        raise TaskRuleError(
            task.no, _MUST_BE_SPECIFIED.format("Recurring Date Interval")
        )
    if task.calc_due_date_from is CalcDueDateFrom.DUE_DATE:
        base = task.date
    elif task.calc_due_date_from is CalcDueDateFrom.CLOSING_DATE:
        base = day
    else:
        raise TaskRuleError(task.no, _MUST_BE_SPECIFIED.format("Calc. Due Date From"))
    team = task.team_code is not None
    salesperson = task.salesperson_code
    if team and task.type is TaskType.MEETING:
        salesperson = None
    return attrs.evolve(
        task,
        version=0,
        no=number,
        date=calc_date(interval, base),
        status=TaskStatus.NOT_STARTED,
        closed=False,
        canceled=False,
        date_closed=None,
        completed_by=None,
        successor_no=None,
        salesperson_code=salesperson,
        system_task_type=SystemTaskType.TEAM if team else SystemTaskType.ORGANIZER,
        organizer_task_no=number,
    )


def cancel_open_tasks(tasks: Iterable[Task], *, today: date) -> list[Task]:
    """Cancel the open tasks of an opportunity: BC's ``CancelOpenTasks`` (§7.2).

    Every task that is neither closed nor canceled gets Recurring := false and then
    Canceled := true, so it closes without a recurrence. Pass the tasks of one
    opportunity.

    Returns:
        The tasks that were canceled, in the order given (changed in place).

    Raises:
        ValidationError: ``today`` is not a date; no task was changed.

    >>> from datetime import date
    >>> open_ = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4),
    ...              recurring=True, recurring_date_interval="1W",
    ...              calc_due_date_from="Due Date")
    >>> [t.no for t in cancel_open_tasks([open_], today=date(2024, 3, 5))]
    ['T1']
    >>> (open_.canceled, open_.recurring, open_.successor_no)
    (True, False, None)
    """
    day = _day("today", today)
    canceled: list[Task] = []
    for task in tasks:
        if task.closed or task.canceled:
            continue
        task.stop_recurring()
        task.cancel(today=day)
        canceled.append(task)
    return canceled


# --- attendees (§7.5) ----------------------------------------------------------------


def _attendance(value: object) -> AttendanceType:
    return _enum(AttendanceType, "attendance_type", value)


def _attendee_type(value: object) -> AttendeeType:
    return _enum(AttendeeType, "attendee_type", value)


def _invitation_response(value: object) -> InvitationResponse:
    return _enum(InvitationResponse, "invitation_response", value)


def _organizer_invites(attendee: Attendee) -> bool:
    return attendee.attendance_type is AttendanceType.ORGANIZER


@frozen(kw_only=True)
class Attendee:
    """One attendee of a meeting (table 5199 "Attendee", §7.5).

    The organizer (Attendance Type "To-do Organizer") must be a salesperson and is
    always invited; ``send_invitation`` defaults to true for the organizer and to
    false for everyone else.

    Raises:
        ValidationError: A bad value, or an organizer who is a contact or is not
            invited (BC's texts).

    >>> organizer = Attendee(line_no=10000, attendance_type="To-do Organizer",
    ...                      attendee_type="Salesperson", attendee_no="js")
    >>> (organizer.attendee_no, organizer.send_invitation)
    ('JS', True)
    >>> Attendee(line_no=20000, attendance_type="To-do Organizer",
    ...          attendee_type="Contact", attendee_no="CT1")
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: attendee_type: A task organizer must always be a salesperson. (got <AttendeeType.CONTACT: 'Contact'>)
    """

    line_no: int = field(validator=_positive_int)
    attendance_type: AttendanceType = field(
        default=AttendanceType.REQUIRED, converter=_attendance
    )
    attendee_type: AttendeeType = field(
        default=AttendeeType.CONTACT, converter=_attendee_type
    )
    attendee_no: str = field(converter=_attendee_no)
    attendee_name: str = field(default="", validator=_text(_TEXT100))
    send_invitation: bool = field(
        default=Factory(_organizer_invites, takes_self=True), validator=_bool
    )
    invitation_response: InvitationResponse = field(
        default=InvitationResponse.NONE, converter=_invitation_response
    )
    invitation_sent: bool = field(default=False, validator=_bool)

    def __attrs_post_init__(self) -> None:
        """Check the organizer rules of table 5199."""
        if self.is_organizer:
            if self.attendee_type is not AttendeeType.SALESPERSON:
                raise ValidationError(
                    "attendee_type", self.attendee_type, _ORGANIZER_NOT_SALESPERSON_TEXT
                )
            if not self.send_invitation:
                raise ValidationError(
                    "send_invitation", self.send_invitation, _ORGANIZER_INVITATION_TEXT
                )

    @property
    def is_organizer(self) -> bool:
        """Whether this is the task organizer."""
        return self.attendance_type is AttendanceType.ORGANIZER


def check_attendees(
    attendees: Iterable[Attendee], *, task_no: str = "", meeting: bool = True
) -> None:
    """Check the attendees of one task together (table 5199 ``ValidateAttendee``, §7.5).

    Line numbers are unique, the same attendee (the same Attendee No., as in BC) is
    not there twice, there is at most one organizer and, for a meeting, exactly one.

    Raises:
        TaskRuleError: With BC's text ("This attendee already exists.", "You cannot
            have more than one task organizer.", "You must specify the Task
            organizer.") or for a line number used twice.

    >>> js = Attendee(line_no=10000, attendance_type="To-do Organizer",
    ...               attendee_type="Salesperson", attendee_no="JS")
    >>> check_attendees([js, Attendee(line_no=20000, attendee_no="CT1")])
    >>> check_attendees([Attendee(line_no=10000, attendee_no="CT1")], task_no="T1")
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.TaskRuleError: task 'T1': You must specify the Task organizer.
    """
    lines: set[int] = set()
    numbers: set[str] = set()
    organizers = 0
    for attendee in attendees:
        if attendee.line_no in lines:
            raise TaskRuleError(task_no, f"line {attendee.line_no} is used twice")
        lines.add(attendee.line_no)
        if attendee.attendee_no in numbers:
            raise TaskRuleError(task_no, _SAME_ATTENDEE_TEXT)
        numbers.add(attendee.attendee_no)
        if attendee.is_organizer:
            organizers += 1
            if organizers > 1:
                raise TaskRuleError(task_no, _TWO_ORGANIZERS_TEXT)
    if meeting and organizers == 0:
        raise TaskRuleError(task_no, _NO_ORGANIZER_TEXT)


def default_attendees(
    task: Task,
    *,
    meeting_organizer: str | None = None,
    team_members: Iterable[str] = (),
    contact_no: str | None = None,
    with_email: Collection[str] | None = None,
) -> tuple[Attendee, ...]:
    """The attendees BC creates for a task: ``CreateAttendeesFromTask`` (§7.5).

    For a meeting without a team, its salesperson is the organizer (line 10000).
    For a team meeting, ``meeting_organizer`` is the organizer and every other
    team member a required salesperson attendee (lines 20000, 30000, ... by the
    member's position); without an organizer no salesperson attendees are
    created. Then the contact (``contact_no``, by default the task's) follows as a
    required attendee on the next line.

    Args:
        task: The task.
        meeting_organizer: The Team Meeting Organizer of a team meeting.
        team_members: The salesperson codes of the team, in BC's order.
        contact_no: The contact to invite instead of the task's.
        with_email: The salespeople and contacts that have an e-mail address;
            contacts in it get Send Invitation. ``None`` means unknown: no e-mail
            checks and no invitations for contacts.

    Returns:
        The attendees, by line number.

    Raises:
        TaskRuleError: The organizer of a meeting has no e-mail address (when
            ``with_email`` is given; BC: "You cannot set %1 as organizer because
            he/she does not have email address.").
        ValidationError: A code that does not fit its field.

    >>> from datetime import date
    >>> meeting = Task(no="T1", team_code="SALES", type="Meeting",
    ...                date=date(2024, 3, 4), contact_no="CT1")
    >>> [(a.line_no, a.attendance_type.value, a.attendee_no) for a in
    ...  default_attendees(meeting, meeting_organizer="JS", team_members=["JS", "AB"])]
    [(10000, 'To-do Organizer', 'JS'), (30000, 'Required', 'AB'), (40000, 'Required', 'CT1')]
    """
    organizer_code = _salesperson(meeting_organizer)
    members = [_salesperson(member) for member in team_members]
    contact = _contact(contact_no) if contact_no is not None else task.contact_no
    attendees: list[Attendee] = []
    if task.type is TaskType.MEETING:
        if task.team_code is None:
            organizer_code = task.salesperson_code
        if organizer_code is not None:
            if with_email is not None and organizer_code not in with_email:
                raise TaskRuleError(
                    task.no, _ORGANIZER_EMAIL_TEXT.format(organizer_code)
                )
            attendees.append(
                Attendee(
                    line_no=_LINE_STEP,
                    attendance_type=AttendanceType.ORGANIZER,
                    attendee_type=AttendeeType.SALESPERSON,
                    attendee_no=organizer_code,
                )
            )
            if task.team_code is not None:
                attendees.extend(
                    Attendee(
                        line_no=_LINE_STEP * (position + 2),
                        attendee_type=AttendeeType.SALESPERSON,
                        attendee_no=member,
                    )
                    for position, member in enumerate(members)
                    if member is not None and member != organizer_code
                )
    if contact is not None:
        line = attendees[-1].line_no + _LINE_STEP if attendees else _LINE_STEP
        attendees.append(
            Attendee(
                line_no=line,
                attendee_no=contact,
                send_invitation=with_email is not None and contact in with_email,
            )
        )
    return tuple(attendees)


# --- sub-tasks (§7.5) ----------------------------------------------------------------


def subtask(
    organizer: Task,
    attendee: Attendee,
    *,
    no: str,
    contact_company_no: str | None = None,
) -> Task | None:
    """The sub-task BC creates for one attendee: ``CreateSubTask`` (§7.5).

    The sub-task copies every field of the organizer task but its number, then:

    * a salesperson attendee gets a *Salesperson Attendee* sub-task with Salesperson
      Code = the attendee;
    * a contact attendee gets a *Contact Attendee* sub-task with Contact No. = the
      attendee (and ``contact_company_no``);
    * the organizer attendee of a team task gets an *Organizer* sub-task with
      Salesperson Code = the attendee; the organizer of a task without a team gets
      none (the organizer task is its own).

    Organizer To-do No. links each sub-task to the organizer task.

    Returns:
        The sub-task (version 0), or ``None``.

    Raises:
        ValidationError: A blank ``no``.

    >>> from datetime import date
    >>> meeting = Task(no="T1", salesperson_code="JS", type="Meeting",
    ...                date=date(2024, 3, 4))
    >>> sub = subtask(meeting, Attendee(line_no=20000, attendee_no="CT1"), no="T2")
    >>> (sub.no, sub.system_task_type.value, sub.contact_no, sub.organizer_task_no)
    ('T2', 'Contact Attendee', 'CT1', 'T1')
    """
    number = _new_task_no(no)
    common: dict[str, Any] = {"version": 0, "no": number, "successor_no": None}
    if attendee.attendance_type is not AttendanceType.ORGANIZER:
        common["organizer_task_no"] = organizer.no
        if attendee.attendee_type is AttendeeType.SALESPERSON:
            return attrs.evolve(
                organizer,
                salesperson_code=attendee.attendee_no,
                system_task_type=SystemTaskType.SALESPERSON_ATTENDEE,
                **common,
            )
        return attrs.evolve(
            organizer,
            contact_no=attendee.attendee_no,
            contact_company_no=contact_company_no,
            system_task_type=SystemTaskType.CONTACT_ATTENDEE,
            **common,
        )
    if organizer.team_code is None:
        return None
    return attrs.evolve(
        organizer,
        salesperson_code=attendee.attendee_no,
        system_task_type=SystemTaskType.ORGANIZER,
        **common,
    )


def _draft_subtask(
    organizer: Task, attendee: Attendee, contact_company_no: str | None = None
) -> Task | None:
    # A placeholder number; the real ones are drawn once every sub-task is valid.
    return subtask(organizer, attendee, no="#", contact_company_no=contact_company_no)


def _renumber(drafts: list[Task], numbers: TaskNumbers) -> list[Task]:
    take = _number_source(numbers)
    return [attrs.evolve(draft, no=take()) for draft in drafts]


def plan_team_subtasks(
    team_task: Task,
    *,
    members: Iterable[str],
    numbers: TaskNumbers,
    contact_company_no: str | None = None,
) -> list[Task]:
    """Plan the sub-tasks of a team task that is not a meeting (§7.5).

    One *Organizer* sub-task per team member (Salesperson Code = the member,
    Organizer To-do No. = the team task), then a *Contact Attendee* sub-task when
    the team task has a contact (BC's ``CreateOrganizerTask`` and
    ``CreateAttendeesSubTask``).

    Args:
        team_task: The stored team task (numbered).
        members: The team's salesperson codes (BC's Team Salesperson rows).
        numbers: The numbers of the sub-tasks.
        contact_company_no: The company of the task's contact, for its sub-task.

    Returns:
        The sub-tasks, members first.

    Raises:
        TaskRuleError: The task has no team, is a meeting (its sub-tasks come from
            its attendees: :func:`plan_meeting_subtasks`) or is not numbered.
        ValidationError: A bad member code or number, or too few numbers.

    >>> from datetime import date
    >>> team = Task(no="T1", team_code="SALES", date=date(2024, 3, 4), contact_no="CT1")
    >>> [(t.no, t.system_task_type.value, t.salesperson_code, t.contact_no) for t in
    ...  plan_team_subtasks(team, members=["JS", "AB"], numbers=["T2", "T3", "T4"])]
    [('T2', 'Organizer', 'JS', 'CT1'), ('T3', 'Organizer', 'AB', 'CT1'), ('T4', 'Contact Attendee', None, 'CT1')]
    """
    if team_task.team_code is None:
        raise TaskRuleError(team_task.no, "only a team task has team member sub-tasks")
    if team_task.type is TaskType.MEETING:
        raise TaskRuleError(
            team_task.no, "a team meeting's sub-tasks come from its attendees"
        )
    _check_numbered(team_task)
    drafts: list[Task] = []
    for member in members:
        organizer = Attendee(
            line_no=_LINE_STEP,
            attendance_type=AttendanceType.ORGANIZER,
            attendee_type=AttendeeType.SALESPERSON,
            attendee_no=member,
        )
        drafts.append(cast("Task", _draft_subtask(team_task, organizer)))
    if team_task.contact_no is not None:
        contact = Attendee(line_no=_LINE_STEP, attendee_no=team_task.contact_no)
        drafts.append(
            cast("Task", _draft_subtask(team_task, contact, contact_company_no))
        )
    return _renumber(drafts, numbers)


def plan_meeting_subtasks(
    meeting: Task,
    attendees: Iterable[Attendee],
    *,
    numbers: TaskNumbers,
    contact_companies: Mapping[str, str | None] | None = None,
) -> list[Task]:
    """Plan the sub-tasks of a meeting's attendees (§7.5).

    The attendees are checked with :func:`check_attendees`. Each salesperson
    attendee gets a *Salesperson Attendee* sub-task and each contact a *Contact
    Attendee* sub-task, so the meeting shows on their lists; in a team meeting the
    organizer gets an *Organizer* sub-task first (BC's ``InsertTaskAndRelatedData``).

    Args:
        meeting: The stored meeting (numbered).
        attendees: Its attendees.
        numbers: The numbers of the sub-tasks.
        contact_companies: Contact No. -> Contact Company No., for contact sub-tasks.

    Returns:
        The sub-tasks, in attendee order (a team meeting's organizer first).

    Raises:
        TaskRuleError: The task is not a meeting or not numbered, or the attendees
            break a rule of :func:`check_attendees`.
        ValidationError: A bad number, or too few numbers.

    >>> from datetime import date
    >>> meeting = Task(no="T1", salesperson_code="JS", type="Meeting",
    ...                date=date(2024, 3, 4), contact_no="CT1")
    >>> people = default_attendees(meeting) + (
    ...     Attendee(line_no=30000, attendee_type="Salesperson", attendee_no="AB"),)
    >>> [(t.no, t.system_task_type.value) for t in
    ...  plan_meeting_subtasks(meeting, people, numbers=iter(["T2", "T3"]))]
    [('T2', 'Contact Attendee'), ('T3', 'Salesperson Attendee')]
    """
    if meeting.type is not TaskType.MEETING:
        raise TaskRuleError(meeting.no, "only a meeting has attendee sub-tasks")
    _check_numbered(meeting)
    rows = list(attendees)
    check_attendees(rows, task_no=meeting.no)
    companies = contact_companies or {}
    ordered = sorted(rows, key=lambda attendee: not attendee.is_organizer)
    drafts = [
        draft
        for attendee in ordered
        if (
            draft := _draft_subtask(
                meeting, attendee, companies.get(attendee.attendee_no)
            )
        )
        is not None
    ]
    return _renumber(drafts, numbers)


def plan_contact_change(
    organizer: Task,
    *,
    old_contact_no: str | None,
    new_no: str | Callable[[], str] | None = None,
) -> tuple[ContactNo | None, Task | None]:
    """The Contact Attendee sub-task changes after a contact change (§7.1 Contact No.).

    For a numbered organizer task (its own organizer task) that is not a meeting,
    BC deletes the sub-task of the old contact and creates one for the new contact.
    Call it after :meth:`Task.change_contact`.

    Args:
        organizer: The task, already holding its new contact.
        old_contact_no: The contact before the change.
        new_no: The number of the new sub-task (or a callable giving it); needed
            only when one is created.

    Returns:
        ``(contact whose Contact Attendee sub-task to delete or None, new sub-task
        or None)``.

    Raises:
        ValidationError: A sub-task is needed and ``new_no`` is missing or blank.

    >>> from datetime import date
    >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
    >>> task.change_contact("CT2")
    >>> gone, new = plan_contact_change(task, old_contact_no="CT1", new_no="T9")
    >>> (gone, new.no, new.contact_no, new.system_task_type.value)
    ('CT1', 'T9', 'CT2', 'Contact Attendee')
    """
    old = _contact(old_contact_no)
    new = organizer.contact_no
    if (
        not organizer.no
        or organizer.no != organizer.organizer_task_no
        or organizer.type is TaskType.MEETING
        or old == new
    ):
        return None, None
    created: Task | None = None
    if new is not None:
        created = subtask(
            organizer,
            Attendee(line_no=_LINE_STEP, attendee_no=new),
            no=_one_number(new_no),
            contact_company_no=organizer.contact_company_no,
        )
    return old, created


def propagate(organizer: Task, sub: Task) -> Task:
    """Copy an organizer task's changes to one sub-task: ``UpdateAttendeeTasks`` (§7.1).

    The sub-task takes every field of the organizer but keeps its number, version,
    successor, System To-do Type and, for a Contact Attendee, its contact (and
    company), otherwise its salesperson. Only sub-tasks BC updates change: of an
    organizer without a team, the attendee sub-tasks; of a team task, every
    sub-task but a Team one. Others are returned unchanged.

    Returns:
        The updated sub-task (a new object).

    Raises:
        TaskRuleError: ``sub`` is not a sub-task of ``organizer``.

    >>> from datetime import date
    >>> meeting = Task(no="T1", salesperson_code="JS", type="Meeting",
    ...                date=date(2024, 3, 4))
    >>> sub = subtask(meeting, Attendee(line_no=20000, attendee_no="CT1"), no="T2")
    >>> meeting.reschedule(date=date(2024, 3, 8))
    >>> updated = propagate(meeting, sub)
    >>> (updated.no, updated.date, updated.contact_no)
    ('T2', datetime.date(2024, 3, 8), 'CT1')
    """
    if (
        not organizer.no
        or sub.organizer_task_no != organizer.no
        or sub.no == organizer.no
    ):
        raise TaskRuleError(sub.no, f"is not a sub-task of task {organizer.no!r}")
    if organizer.team_code is None:
        updated = sub.system_task_type in {
            SystemTaskType.SALESPERSON_ATTENDEE,
            SystemTaskType.CONTACT_ATTENDEE,
        }
    else:
        updated = sub.system_task_type is not SystemTaskType.TEAM
    if not updated:
        return attrs.evolve(sub)
    keep: dict[str, Any] = {
        "version": sub.version,
        "no": sub.no,
        "successor_no": sub.successor_no,
        "system_task_type": sub.system_task_type,
    }
    if sub.system_task_type is SystemTaskType.CONTACT_ATTENDEE:
        keep["contact_no"] = sub.contact_no
        keep["contact_company_no"] = sub.contact_company_no
    else:
        keep["salesperson_code"] = sub.salesperson_code
    return attrs.evolve(organizer, **keep)


def subtasks_of(task: Task, tasks: Iterable[Task]) -> list[Task]:
    """The sub-tasks of ``task`` among ``tasks``: Organizer To-do No. = its No. (§7.1).

    These are what BC deletes with the task (OnDelete).

    >>> from datetime import date
    >>> main = Task(no="T1", team_code="SALES", date=date(2024, 3, 4))
    >>> subs = plan_team_subtasks(main, members=["JS"], numbers=["T2"])
    >>> [t.no for t in subtasks_of(main, [main, *subs])]
    ['T2']
    """
    if not task.no:
        return []
    return [t for t in tasks if t.organizer_task_no == task.no and t.no != task.no]


def is_deletable(task: Task) -> bool:
    """Whether BC's *Delete Tasks* (report 5188) deletes the task (§7.5).

    Only canceled tasks of System To-do Type Organizer or Team are processed, and a
    task is deleted when it has no team or is the Team task itself; team members'
    Organizer sub-tasks go with their team task.

    >>> from datetime import date
    >>> task = Task(no="T1", salesperson_code="JS", date=date(2024, 3, 4))
    >>> is_deletable(task)
    False
    >>> task.cancel(today=date(2024, 3, 5))
    >>> is_deletable(task)
    True
    """
    if not task.canceled or task.system_task_type not in _MAIN_TYPES:
        return False
    return task.team_code is None or task.system_task_type is SystemTaskType.TEAM


def plan_segment_tasks(
    template: Task,
    contact_nos: Iterable[str],
    *,
    numbers: TaskNumbers,
    contact_companies: Mapping[str, str | None] | None = None,
) -> list[Task]:
    """One task per segment contact, for a task created with a Segment No. (§7.5).

    Each copy of ``template`` gets one contact (and its company from
    ``contact_companies``), is an Organizer task (a Team task with a team code) and
    its own organizer task. Each then needs its Contact Attendee sub-task
    (:func:`subtask`) and, for a team, its members' sub-tasks
    (:func:`plan_team_subtasks`), as BC creates them.

    Raises:
        ValidationError: A bad contact number or task number, or too few numbers.

    >>> from datetime import date
    >>> template = Task(salesperson_code="JS", date=date(2024, 3, 4), segment_no="SM1")
    >>> [(t.no, t.contact_no) for t in
    ...  plan_segment_tasks(template, ["CT1", "CT2"], numbers=["T1", "T2"])]
    [('T1', 'CT1'), ('T2', 'CT2')]
    """
    companies = contact_companies or {}
    system_type = (
        SystemTaskType.TEAM
        if template.team_code is not None
        else SystemTaskType.ORGANIZER
    )
    drafts = [
        attrs.evolve(
            template,
            version=0,
            no="",
            contact_no=contact,
            contact_company_no=companies.get(contact),
            system_task_type=system_type,
            organizer_task_no=None,
            successor_no=None,
        )
        for contact in (
            _required_key(str, CODE20, "contact_no")(c) for c in contact_nos
        )
    ]
    return _numbered(drafts, numbers)


def _check_numbered(task: Task) -> None:
    if not task.no:
        raise TaskRuleError(task.no, "the task must be numbered before its sub-tasks")


# --- task lists and the Next Task Date FlowFields (§2.2, §8) -------------------------


def _filter_contact_company_no(value: object) -> ContactNo | None:
    if value == "":
        return ContactNo("")  # BC's Contact Company No. = '' (no company)
    return _contact_company_no(value)


def _filter_system_types(value: object) -> frozenset[SystemTaskType] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(
            "system_task_types", value, "must be System To-do Types or None"
        )
    return frozenset(
        _enum(SystemTaskType, "system_task_types", kind)
        for kind in cast("Iterable[object]", value)
    )


def _filter_flag(name: str) -> Callable[[object], bool | None]:
    def convert(value: object) -> bool | None:
        if value is not None and not isinstance(value, bool):
            raise ValidationError(name, value, "must be true, false or None")
        return value

    return convert


def _filter_closed(value: object) -> bool | None:
    return _filter_flag("closed")(value)


def _filter_canceled(value: object) -> bool | None:
    return _filter_flag("canceled")(value)


def _filter_day(name: str) -> Callable[[object], date | None]:
    def convert(value: object) -> date | None:
        return None if value is None else _day(name, value)

    return convert


def _filter_starting(value: object) -> date | None:
    return _filter_day("starting")(value)


def _filter_ending(value: object) -> date | None:
    return _filter_day("ending")(value)


@frozen(kw_only=True)
class TaskFilter:
    """Which tasks a list or a Next Task Date covers (§2.2, §7.1, §8).

    Every field left ``None`` does not filter; the others must all hold.
    ``contact_company_no=""`` selects the tasks with a blank Contact Company No. (a
    person without a company), as BC's ``Contact Company No. = ''`` does.
    ``system_task_types`` is a set of System To-do Types (BC's ``FILTER(A|B)``);
    ``starting``/``ending`` bound the task Date, inclusive. Storage adapters compile
    the same rules into their queries; :meth:`selects` is the reference.

    >>> f = TaskFilter(salesperson_code="jo", closed=False,
    ...                system_task_types=["Organizer", "Salesperson Attendee"])
    >>> (f.salesperson_code, sorted(t.value for t in f.system_task_types))
    ('JO', ['Organizer', 'Salesperson Attendee'])
    >>> f.selects(Task(no="T1", salesperson_code="JO", date=date(2024, 3, 4)))
    True
    """

    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_salesperson_code
    )
    team_code: Code | None = field(default=None, converter=_team_code)
    contact_no: ContactNo | None = field(default=None, converter=_contact_no)
    contact_company_no: ContactNo | None = field(
        default=None, converter=_filter_contact_company_no
    )
    opportunity_no: OpportunityNo | None = field(
        default=None, converter=_opportunity_no
    )
    campaign_no: CampaignNo | None = field(default=None, converter=_campaign_no)
    segment_no: SegmentNo | None = field(default=None, converter=_segment_no)
    organizer_task_no: TaskNo | None = field(default=None, converter=_organizer_task_no)
    system_task_types: frozenset[SystemTaskType] | None = field(
        default=None, converter=_filter_system_types
    )
    closed: bool | None = field(default=None, converter=_filter_closed)
    canceled: bool | None = field(default=None, converter=_filter_canceled)
    starting: dt.date | None = field(default=None, converter=_filter_starting)
    ending: dt.date | None = field(default=None, converter=_filter_ending)

    def selects(self, task: Task) -> bool:
        """Return whether ``task`` is one of the filter's tasks."""
        company = self.contact_company_no
        types = self.system_task_types
        return (
            all(
                wanted is None or getattr(task, name) == wanted
                for name, wanted in (
                    ("salesperson_code", self.salesperson_code),
                    ("team_code", self.team_code),
                    ("contact_no", self.contact_no),
                    ("opportunity_no", self.opportunity_no),
                    ("campaign_no", self.campaign_no),
                    ("segment_no", self.segment_no),
                    ("organizer_task_no", self.organizer_task_no),
                    ("closed", self.closed),
                    ("canceled", self.canceled),
                )
            )
            and (company is None or task.contact_company_no == (company or None))
            and (types is None or task.system_task_type in types)
            and (self.starting is None or task.date >= self.starting)
            and (self.ending is None or task.date <= self.ending)
        )


def contact_task_filter(
    *, company_no: str | None, lookup_contact_no: str | None
) -> TaskFilter:
    """The filter of a contact's Next Task Date (§2.2).

    Contact Company No. = ``company_no`` (blank for a person without a company),
    BC's ``LC`` (Contact No. = ``lookup_contact_no`` when that is set: a company
    covers its persons' tasks, a person only its own), Closed = false and System
    To-do Type Organizer or Contact Attendee.

    Raises:
        ValidationError: A number is too long.

    >>> f = contact_task_filter(company_no="CT1", lookup_contact_no="CT2")
    >>> (f.contact_company_no, f.contact_no, f.closed,
    ...  sorted(t.value for t in f.system_task_types))
    ('CT1', 'CT2', False, ['Contact Attendee', 'Organizer'])
    """
    return TaskFilter(
        contact_company_no=company_no or "",
        contact_no=lookup_contact_no,
        closed=False,
        system_task_types={
            SystemTaskType.ORGANIZER,
            SystemTaskType.CONTACT_ATTENDEE,
        },
    )


def salesperson_task_filter(salesperson_code: str) -> TaskFilter:
    """The filter of a salesperson's Next Task Date (§8).

    Salesperson Code = the code, Closed = false, System To-do Type Organizer or
    Salesperson Attendee.

    Raises:
        ValidationError: A blank or too long code.

    >>> sorted(t.value for t in salesperson_task_filter("jo").system_task_types)
    ['Organizer', 'Salesperson Attendee']
    """
    return TaskFilter(
        salesperson_code=_required_key(SalespersonCode, CODE20, "salesperson_code")(
            salesperson_code
        ),
        closed=False,
        system_task_types={
            SystemTaskType.ORGANIZER,
            SystemTaskType.SALESPERSON_ATTENDEE,
        },
    )


def team_task_filter(team_code: str) -> TaskFilter:
    """The filter of a team's Next Task Date (table 5083, §8).

    Team Code = the code, Closed = false and System To-do Type Team: the team tasks
    themselves, not their members' sub-tasks.

    Raises:
        ValidationError: A blank or too long code.

    >>> team_task_filter("north").system_task_types
    frozenset({<SystemTaskType.TEAM: 'Team'>})
    """
    return TaskFilter(
        team_code=_required_key(Code, CODE10, "team_code")(team_code),
        closed=False,
        system_task_types={SystemTaskType.TEAM},
    )


def next_task_date_of(tasks: Iterable[Task], where: TaskFilter) -> date | None:
    """The Next Task Date FlowField: the earliest Date of the tasks ``where`` selects.

    The reference storage adapters compute with ``MIN(date)`` (§2.2, §8).

    >>> early = Task(no="T1", salesperson_code="JO", date=date(2024, 3, 4))
    >>> late = Task(no="T2", salesperson_code="JO", date=date(2024, 3, 8))
    >>> next_task_date_of([late, early], salesperson_task_filter("JO"))
    datetime.date(2024, 3, 4)
    >>> next_task_date_of([], salesperson_task_filter("JO")) is None
    True
    """
    return min((task.date for task in tasks if where.selects(task)), default=None)


# --- activities (§7.6) ---------------------------------------------------------------


def _activity_code(value: object) -> Code:
    return _required_key(Code, CODE10, "code")(value)


def _step_type(value: object) -> TaskType:
    return _enum(TaskType, "type", value)


def _step_priority(value: object) -> TaskPriority:
    return _enum(TaskPriority, "priority", value)


@frozen(kw_only=True)
class ActivityStep:
    """One step of an activity (table "Activity Step", §7.6).

    Raises:
        ValidationError: A step number that is not positive, an unknown type or
            priority, a long description or a bad date formula.

    >>> step = ActivityStep(step_no=10000, type="Phone Call", description="Call",
    ...                     date_formula="1W")
    >>> (step.type, str(step.date_formula))
    (<TaskType.PHONE_CALL: 'Phone Call'>, '1W')
    """

    step_no: int = field(validator=_positive_int)
    type: TaskType = field(default=TaskType.BLANK, converter=_step_type)
    description: str = field(default="", validator=_text(_TEXT100))
    priority: TaskPriority = field(
        default=TaskPriority.NORMAL, converter=_step_priority
    )
    date_formula: DateFormula = field(factory=DateFormula, converter=_formula)


def _steps(value: object) -> tuple[ActivityStep, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("steps", value, "must be activity steps")
    steps = list(cast("Iterable[object]", value))
    seen: set[int] = set()
    for step in steps:
        if not isinstance(step, ActivityStep):
            raise ValidationError("steps", step, "must be an ActivityStep")
        if step.step_no in seen:
            raise ValidationError("steps", step.step_no, "step number used twice")
        seen.add(step.step_no)
    return tuple(sorted(cast("list[ActivityStep]", steps), key=lambda s: s.step_no))


@frozen(kw_only=True)
class Activity:
    """A task template: a code, a description and its steps (§7.6).

    Steps are kept in step-number order; a step number appears once.

    Raises:
        ValidationError: A blank or too long code, a long description, or steps
            that are not :class:`ActivityStep` values or repeat a step number.

    >>> activity = Activity(code="init", description="Initial contact", steps=[
    ...     ActivityStep(step_no=20000, type="Meeting", date_formula="2W"),
    ...     ActivityStep(step_no=10000, type="Phone Call", date_formula="1D")])
    >>> ([s.step_no for s in activity.steps], activity.has_meetings)
    ([10000, 20000], True)
    """

    code: Code = field(converter=_activity_code)
    description: str = field(default="", validator=_text(_TEXT100))
    steps: tuple[ActivityStep, ...] = field(default=(), converter=_steps)

    @property
    def has_meetings(self) -> bool:
        """Whether a step is a meeting (then a team task needs a meeting organizer)."""
        return any(step.type is TaskType.MEETING for step in self.steps)


def plan_activity(
    activity: Activity,
    base_task: Task,
    *,
    numbers: TaskNumbers,
    meeting_organizer: str | None = None,
    meeting_invitation_template: str | None = None,
) -> list[Task]:
    """Create one task per activity step from a base task: ``InsertActivityTask`` (§7.6).

    Every task copies the base task (salesperson or team, contact, campaign,
    opportunity, segment, times ...) as a new, open main task and takes Type,
    Priority and Description from its step, with **Date = calc_date(step formula,
    base date)**: every step counts from the same base date, they are not chained.
    An activity without steps gives one copy of the base task (BC does the same).

    Meeting steps become all-day meetings (BC validates All Day Event, so a one-day
    base duration becomes two days, see :meth:`Task.change_all_day`), take
    ``meeting_invitation_template`` as their interaction template, and lose their
    contact, who becomes an attendee: build the attendees with
    :func:`default_attendees` (passing the base task's contact and
    ``meeting_organizer``) before :func:`plan_meeting_subtasks`. A team meeting has
    no salesperson; its organizer is ``meeting_organizer``, which a team base task
    with meeting steps must have.

    Args:
        activity: The activity.
        base_task: The base task (a draft with a blank number is fine).
        numbers: The numbers of the new tasks, drawn after every check.
        meeting_organizer: The Meeting Organizer of a team task.
        meeting_invitation_template: Interaction Template Setup's "Meeting
            Invitation" code.

    Returns:
        The new tasks, in step order.

    Raises:
        TaskRuleError: A team base task, meeting steps and no meeting organizer
            ("Activity %1 contains Tasks of type Meeting. You must fill in the
            Meeting Organizer field.").
        ValidationError: A step date outside 1900..2999 or the calendar, a bad
            code or number, or too few numbers.

    >>> from datetime import date
    >>> activity = Activity(code="INIT", steps=[
    ...     ActivityStep(step_no=1, type="Phone Call", date_formula="1D"),
    ...     ActivityStep(step_no=2, type="Meeting", date_formula="1W")])
    >>> base = Task(salesperson_code="JS", date=date(2024, 3, 4), contact_no="CT1")
    >>> [(t.no, t.type.value, t.date, t.all_day_event, t.contact_no) for t in
    ...  plan_activity(activity, base, numbers=["T1", "T2"])]
    [('T1', 'Phone Call', datetime.date(2024, 3, 5), False, 'CT1'), ('T2', 'Meeting', datetime.date(2024, 3, 11), True, None)]
    """
    organizer = _salesperson(meeting_organizer)
    template = _optional_key(Code, CODE10, "meeting_invitation_template")(
        meeting_invitation_template
    )
    if activity.has_meetings and base_task.team_code is not None and organizer is None:
        raise TaskRuleError(base_task.no, _ACTIVITY_MEETING_TEXT.format(activity.code))
    team = base_task.team_code is not None
    fresh = attrs.evolve(
        base_task,
        version=0,
        no="",
        status=TaskStatus.NOT_STARTED,
        closed=False,
        canceled=False,
        date_closed=None,
        completed_by=None,
        successor_no=None,
        system_task_type=SystemTaskType.TEAM if team else SystemTaskType.ORGANIZER,
        organizer_task_no=None,
    )
    drafts: list[Task] = []
    for step in activity.steps or (None,):
        if step is None:
            drafts.append(attrs.evolve(fresh))
            continue
        draft = attrs.evolve(
            fresh,
            type=step.type,
            priority=step.priority,
            description=step.description,
            date=calc_date(step.date_formula, base_task.date),
        )
        if step.type is TaskType.MEETING:
            draft._make_all_day()  # noqa: SLF001 - BC validates All Day Event
            draft = attrs.evolve(
                draft,
                interaction_template_code=template or draft.interaction_template_code,
                contact_no=None,
                contact_company_no=None,
                salesperson_code=None if team else draft.salesperson_code,
            )
        drafts.append(draft)
    return _numbered(drafts, numbers)


def stage_base_task(
    *,
    opportunity_no: str,
    opportunity_entry_no: int,
    date_of_change: date,
    salesperson_code: str | None,
    contact_no: str | None,
    contact_company_no: str | None = None,
    campaign_no: str | None = None,
    segment_no: str | None = None,
) -> Task:
    """The base task of a sales cycle stage's activity (§7.6, "From an opportunity stage").

    When an opportunity entry is inserted with create-new-tasks and its stage has an
    Activity Code, BC builds this task and hands it to the activity: Campaign No.
    and Salesperson from the entry, Segment No. from the opportunity, the entry's
    contact, Opportunity No. and Entry No., Date = Date of Change and Duration = 1
    day. Pass the result to :func:`plan_activity`.

    Returns:
        A draft task (blank number).

    Raises:
        TaskRuleError: No salesperson (a task needs a salesperson or a team).
        ValidationError: A value a field refuses.

    >>> from datetime import date
    >>> base = stage_base_task(opportunity_no="OP1", opportunity_entry_no=3,
    ...                        date_of_change=date(2024, 3, 4), salesperson_code="JS",
    ...                        contact_no="CT1")
    >>> (base.no, base.opportunity_entry_no, base.date, base.duration)
    ('', 3, datetime.date(2024, 3, 4), datetime.timedelta(days=1))
    """
    return Task(
        no="",
        campaign_no=campaign_no,
        segment_no=segment_no,
        salesperson_code=salesperson_code,
        contact_no=contact_no,
        contact_company_no=contact_company_no if contact_no else None,
        opportunity_no=opportunity_no,
        opportunity_entry_no=opportunity_entry_no,
        date=date_of_change,
        duration=_DAY,
    )
