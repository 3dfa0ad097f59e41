"""Opportunities, sales cycles and opportunity entries (spec §5).

:class:`SalesCycle` (table 5090) holds its :class:`SalesCycleStage` rows (table 5091)
sorted by stage number. :class:`Opportunity` (table 5092) is an aggregate whose
status is a state machine (Not Started -> In Progress -> Won / Lost), driven by the
entries it inserts and never derived from a probability. :class:`OpportunityEntry`
(table 5093) is a frozen record: every stage move (§5.6) or close (§5.7) returns a
:class:`StageMove` with the new active entry and the superseded one, which the
service stores. The estimate formulas of §5.5 are :func:`update_estimates`.

>>> from datetime import date
>>> cycle = SalesCycle(code="new", stages=[
...     SalesCycleStage(stage=1, completed_pct=10, chances_of_success_pct=25,
...                     date_formula="1W", activity_code="init"),
...     SalesCycleStage(stage=2, completed_pct=25, chances_of_success_pct=50,
...                     date_formula="2W")])
>>> opp = Opportunity(no="OP1", contact_no="CT1", sales_cycle_code="NEW",
...                   creation_date=date(2024, 3, 4))
>>> first = opp.activate_first_stage(cycle, [], entry_no=1,
...     date_of_change=date(2024, 3, 4), estimated_value=10000,
...     chances_of_success_pct=40, estimated_close_date=date(2024, 4, 30))
>>> (opp.status, first.entry.probability_pct, first.entry.calcd_current_value)
(<OpportunityStatus.IN_PROGRESS: 'In Progress'>, Decimal('4'), Decimal('400'))
>>> nxt = opp.move(cycle, [first.entry], ActionType.NEXT, entry_no=2,
...                date_of_change=date(2024, 3, 11))
>>> (nxt.entry.sales_cycle_stage, nxt.entry.probability_pct, nxt.previous.days_open)
(2, Decimal('12.5'), 7)

Choices where a library differs from BC, and what is left out:

* **No clock, no number series.** WORKDATE, new entry numbers and the existence and
  amount of a linked sales quote are arguments.
* **Action Taken** has BC's values; a skip is written as ``Jumped`` (or ``Next``), as
  in BC: there is no ``Skipped`` value.
* **Close dates.** A close must not be dated before the active entry's Date of
  Change (BC's Days Open is ``>= 0``).
* **Not modelled:** the wizard's "has any tasks" Cancel Old Task quirk, task creation
  (the target stage's activity code is returned for §7.6), customer creation on Won,
  campaign date checks, the sales-quote link uniqueness, FlowFields and §5.9
  statistics (queries), comments and the Dataverse coupling.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Final, TypeVar, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import (
    NORMAL,
    check_field_names,
    optional_code,
    plain_text,
    to_enum,
)
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    CampaignNo,
    Code,
    ContactNo,
    OpportunityNo,
    SalespersonCode,
    SegmentNo,
    make_code,
)
from relationship_mgmt.domain.dateformula import DateFormula, calc_date
from relationship_mgmt.domain.setup import CloseOpportunityCode, CloseOpportunityType
from relationship_mgmt.errors import (
    InUseError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)

__all__ = [
    "ActionTaken",
    "ActionType",
    "Opportunity",
    "OpportunityEntry",
    "OpportunityPriority",
    "OpportunityStatus",
    "ProbabilityCalculation",
    "SalesCycle",
    "SalesCycleStage",
    "SalesDocumentType",
    "StageMove",
    "active_entry",
    "check_sales_cycle_deletion",
    "default_action_type",
    "default_target",
    "stage_candidates",
    "update_estimates",
]

_HUNDRED: Final = Decimal(100)
_K = TypeVar("_K", bound=str)
_ZERO: Final = Decimal(0)


class ProbabilityCalculation(enum.StrEnum):
    """How a sales cycle turns chances and completion into a probability (§5.1)."""

    MULTIPLY = "Multiply"
    ADD = "Add"
    CHANCES_OF_SUCCESS = "Chances of Success %"
    COMPLETED = "Completed %"


class OpportunityStatus(enum.StrEnum):
    """The status of an opportunity (§5.4), driven by its entries (§5.5)."""

    NOT_STARTED = "Not Started"
    IN_PROGRESS = "In Progress"
    WON = "Won"
    LOST = "Lost"


class OpportunityPriority(enum.StrEnum):
    """An opportunity's priority (§5.4)."""

    LOW = "Low"
    NORMAL = "Normal"
    HIGH = "High"


class SalesDocumentType(enum.StrEnum):
    """The kind of sales document linked to an opportunity (§5.4)."""

    BLANK = ""
    QUOTE = "Quote"
    ORDER = "Order"
    POSTED_INVOICE = "Posted Invoice"


class ActionTaken(enum.StrEnum):
    """What an opportunity entry did (§5.5 Action Taken)."""

    BLANK = ""
    NEXT = "Next"
    PREVIOUS = "Previous"
    UPDATED = "Updated"
    JUMPED = "Jumped"
    WON = "Won"
    LOST = "Lost"


class ActionType(enum.StrEnum):
    """The kind of stage move chosen in the update wizard (§5.6)."""

    BLANK = ""
    FIRST = "First"
    NEXT = "Next"
    PREVIOUS = "Previous"
    SKIP = "Skip"
    UPDATE = "Update"
    JUMP = "Jump"


# --- field helpers -------------------------------------------------------------------


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _flag() -> Any:  # noqa: ANN401 - an attrs field definition
    return field(default=False, validator=_bool, metadata=NORMAL)


def _number(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError(name, value, "must be a Decimal, an int or a string")
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise ValidationError(name, value, "is not a number") from None
    if not number.is_finite():
        raise ValidationError(name, value, "must be a finite number")
    return number


def _amount_converter(name: str) -> Callable[[object], Decimal]:
    def convert(value: object) -> Decimal:
        return _number(name, value)

    return convert


def _percent_converter(name: str) -> Callable[[object], Decimal]:
    def convert(value: object) -> Decimal:
        number = _number(name, value)
        if not _ZERO <= number <= _HUNDRED:
            raise ValidationError(name, value, "must be from 0 to 100")
        return number

    return convert


def _check_day(_: object, attribute: attrs.Attribute[date], value: object) -> None:
    _day(attribute.name, value)


def _check_optional_day(
    _: object, attribute: attrs.Attribute[date | None], value: object
) -> None:
    if value is not None:
        _day(attribute.name, value)


def _day(name: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(name, value, "must be a date")
    return value


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(name, value, "must be a positive integer")
    return value


def _stage_no(value: object) -> int:
    return _positive("stage", value)


def _entry_no(value: object) -> int:
    return _positive("entry_no", value)


def _optional_stage_converter(name: str) -> Callable[[object], int | None]:
    def convert(value: object) -> int | None:
        return None if value is None else _positive(name, value)

    return convert


def _days_open(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("days_open", value, "must be a non-negative integer")
    return value


def _required(length: int, name: str) -> Callable[[object], Code]:
    def convert(value: object) -> Code:
        if not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        code = make_code(value, max_length=length, field=name)
        if not code:
            raise ValidationError(name, value, "must not be blank")
        return code

    return convert


def _optional_key(
    kind: Callable[[str], _K], length: int, name: str
) -> Callable[[object], _K | None]:
    convert_code = optional_code(length, name)

    def convert(value: object) -> _K | None:
        code = convert_code(value)
        return None if code is None else kind(code)

    return convert


def _formula(value: object) -> DateFormula:
    if isinstance(value, str):
        return DateFormula.parse(value)
    if not isinstance(value, DateFormula):
        raise ValidationError("date_formula", value, "must be a date formula or text")
    return value


def _amt_calcd_current_value(value: object) -> Decimal:
    return _amount_converter("calcd_current_value")(value)


def _amt_estimated_value(value: object) -> Decimal:
    return _amount_converter("estimated_value")(value)


def _opt_activity_code(value: object) -> Code | None:
    return _optional_key(Code, CODE10, "activity_code")(value)


def _opt_campaign_no(value: object) -> CampaignNo | None:
    return _optional_key(CampaignNo, CODE20, "campaign_no")(value)


def _opt_close_opportunity_code(value: object) -> Code | None:
    return _optional_key(Code, CODE10, "close_opportunity_code")(value)


def _opt_contact_company_no(value: object) -> ContactNo | None:
    return _optional_key(ContactNo, CODE20, "contact_company_no")(value)


def _opt_contact_no(value: object) -> ContactNo | None:
    return _optional_key(ContactNo, CODE20, "contact_no")(value)


def _opt_sales_cycle_code(value: object) -> Code | None:
    return _optional_key(Code, CODE10, "sales_cycle_code")(value)


def _opt_sales_document_no(value: object) -> Code | None:
    return _optional_key(Code, CODE20, "sales_document_no")(value)


def _opt_salesperson_code(value: object) -> SalespersonCode | None:
    return _optional_key(SalespersonCode, CODE20, "salesperson_code")(value)


def _opt_segment_no(value: object) -> SegmentNo | None:
    return _optional_key(SegmentNo, CODE20, "segment_no")(value)


def _pct_chances_of_success_pct(value: object) -> Decimal:
    return _percent_converter("chances_of_success_pct")(value)


def _pct_completed_pct(value: object) -> Decimal:
    return _percent_converter("completed_pct")(value)


def _pct_probability_pct(value: object) -> Decimal:
    return _percent_converter("probability_pct")(value)


def _req_code(value: object) -> Code:
    return _required(CODE10, "code")(value)


def _req_no(value: object) -> OpportunityNo:
    return OpportunityNo(_required(CODE20, "no")(value))


def _req_opportunity_no(value: object) -> OpportunityNo:
    return OpportunityNo(_required(CODE20, "opportunity_no")(value))


def _stg_previous_sales_cycle_stage(value: object) -> int | None:
    return _optional_stage_converter("previous_sales_cycle_stage")(value)


def _stg_sales_cycle_stage(value: object) -> int | None:
    return _optional_stage_converter("sales_cycle_stage")(value)


def _enum_action_taken(value: object) -> ActionTaken:
    return to_enum(ActionTaken, "action_taken", value)


def _enum_action_type(value: object) -> ActionType:
    return to_enum(ActionType, "action_type", value)


def _enum_priority(value: object) -> OpportunityPriority:
    return to_enum(OpportunityPriority, "priority", value)


def _enum_probability_calculation(value: object) -> ProbabilityCalculation:
    return to_enum(ProbabilityCalculation, "probability_calculation", value)


def _enum_sales_document_type(value: object) -> SalesDocumentType:
    return to_enum(SalesDocumentType, "sales_document_type", value)


def _enum_status(value: object) -> OpportunityStatus:
    return to_enum(OpportunityStatus, "status", value)


# --- Sales Cycle and stages (§5.1, §5.2) ---------------------------------------------


@frozen(kw_only=True)
class SalesCycleStage:
    """One stage of a sales cycle (table 5091, §5.2).

    Percentages are Decimals from 0 to 100; ``date_formula`` may be given as text.

    Raises:
        ValidationError: A stage number below 1, a percentage outside 0..100 or a
            value of the wrong type.

    >>> SalesCycleStage(stage=2, date_formula="2W", activity_code="init").activity_code
    'INIT'
    """

    stage: int = field(converter=_stage_no, metadata=NORMAL)
    description: str = plain_text(100)
    completed_pct: Decimal = field(
        default=_ZERO, converter=_pct_completed_pct, metadata=NORMAL
    )
    chances_of_success_pct: Decimal = field(
        default=_ZERO, converter=_pct_chances_of_success_pct, metadata=NORMAL
    )
    activity_code: Code | None = field(
        default=None, converter=_opt_activity_code, metadata=NORMAL
    )
    quote_required: bool = _flag()
    allow_skip: bool = _flag()
    date_formula: DateFormula = field(
        factory=DateFormula, converter=_formula, metadata=NORMAL
    )


def _stages(value: object) -> tuple[SalesCycleStage, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("stages", value, "must be a collection of stages")
    stages = list(cast("Iterable[object]", value))
    if not all(isinstance(stage, SalesCycleStage) for stage in stages):
        raise ValidationError("stages", value, "must hold SalesCycleStage values")
    rows = cast("list[SalesCycleStage]", stages)
    numbers = [row.stage for row in rows]
    for number in numbers:
        if numbers.count(number) > 1:
            raise ValidationError("stages", number, "is listed twice")
    return tuple(sorted(rows, key=lambda row: row.stage))


@define(kw_only=True)
class SalesCycle(AggregateRoot):
    """A sales cycle with its stages, sorted by stage number (tables 5090/5091, §5.1).

    Raises:
        ValidationError: A blank code, duplicate stage numbers or a bad value.

    >>> cycle = SalesCycle(code="new", stages=[SalesCycleStage(stage=3),
    ...                                        SalesCycleStage(stage=1)])
    >>> [s.stage for s in cycle.stages], cycle.probability_calculation
    ([1, 3], <ProbabilityCalculation.MULTIPLY: 'Multiply'>)
    """

    kind: ClassVar[str] = "sales_cycle"

    code: Code = field(converter=_req_code, metadata=NORMAL)
    description: str = plain_text(100)
    probability_calculation: ProbabilityCalculation = field(
        default=ProbabilityCalculation.MULTIPLY,
        converter=_enum_probability_calculation,
        metadata=NORMAL,
    )
    blocked: bool = _flag()
    stages: tuple[SalesCycleStage, ...] = field(
        default=(), converter=_stages, metadata=NORMAL
    )

    def __deepcopy__(self, memo: dict[int, object]) -> SalesCycle:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    def change(self, **changes: object) -> None:
        """Change fields other than the key, all validated before any changes (§5.1).

        Raises:
            ValidationError: An unknown or unchangeable field or a refused value.

        >>> cycle = SalesCycle(code="NEW")
        >>> cycle.change(probability_calculation="Add", blocked=True)
        >>> cycle.probability_calculation, cycle.blocked
        (<ProbabilityCalculation.ADD: 'Add'>, True)
        """
        check_field_names(type(self), changes)
        if {"code", "version"} & changes.keys():
            raise ValidationError("fields", sorted(changes), "code cannot be changed")
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        for name in changes:
            setattr(self, name, getattr(checked, name))

    def stage(self, number: int) -> SalesCycleStage:
        """Return the stage with this number (§5.2).

        Raises:
            NotFoundError: The cycle has no such stage.

        >>> SalesCycle(code="C", stages=[SalesCycleStage(stage=1)]).stage(1).stage
        1
        """
        for row in self.stages:
            if row.stage == number:
                return row
        raise NotFoundError("sales_cycle_stage", (self.code, number))

    def set_stage(self, stage: SalesCycleStage) -> None:
        """Add a stage, or replace the one with the same number (§5.2).

        Raises:
            ValidationError: ``stage`` is not a :class:`SalesCycleStage`.

        >>> cycle = SalesCycle(code="C")
        >>> cycle.set_stage(SalesCycleStage(stage=1, description="Initial"))
        >>> cycle.stages[0].description
        'Initial'
        """
        if not isinstance(stage, SalesCycleStage):
            raise ValidationError("stage", stage, "must be a SalesCycleStage")
        others = [row for row in self.stages if row.stage != stage.stage]
        self.stages = _stages([*others, stage])

    def remove_stage(self, number: int, *, active_entries: int) -> None:
        """Delete a stage unless active entries are at it (§5.2).

        Args:
            number: The stage number.
            active_entries: How many active opportunity entries are at the stage.

        Raises:
            InUseError: Active entries are at the stage ("You cannot delete a stage
                which has active entries.").
            NotFoundError: No such stage.

        >>> cycle = SalesCycle(code="C", stages=[SalesCycleStage(stage=1)])
        >>> cycle.remove_stage(1, active_entries=0)
        >>> cycle.stages
        ()
        """
        self.stage(number)
        if active_entries:
            raise InUseError("sales_cycle_stage", (self.code, number), "active entries")
        self.stages = tuple(row for row in self.stages if row.stage != number)

    def ensure_assignable(self) -> None:
        """Refuse a blocked cycle on an opportunity or as the default (§5.1, §5.4).

        Raises:
            ValidationError: The cycle is blocked.

        >>> SalesCycle(code="C").ensure_assignable()
        """
        if self.blocked:
            raise ValidationError("sales_cycle_code", self.code, "is blocked")


def check_sales_cycle_deletion(cycle: SalesCycle, *, no_of_opportunities: int) -> None:
    """Allow deleting a cycle only without open opportunities on it (§5.1).

    Args:
        cycle: The cycle to delete (its stages go with it).
        no_of_opportunities: The cycle's No. of Opportunities FlowField.

    Raises:
        InUseError: Some opportunities use the cycle.

    >>> check_sales_cycle_deletion(SalesCycle(code="C"), no_of_opportunities=0)
    """
    if no_of_opportunities:
        raise InUseError("sales_cycle", cycle.code, "opportunities")


# --- Opportunity Entry (§5.5) --------------------------------------------------------


@frozen(kw_only=True)
class OpportunityEntry:
    """One entry of an opportunity's history (table 5093, §5.5).

    ``sales_cycle_stage`` is ``None`` on close entries (§5.7 does not copy it).
    Percentages are Decimals from 0 to 100 and are not rounded.

    Raises:
        ValidationError: A value of the wrong type or out of range.

    >>> from datetime import date
    >>> OpportunityEntry(entry_no=1, opportunity_no="op1",
    ...                  date_of_change=date(2024, 3, 4)).opportunity_no
    'OP1'
    """

    entry_no: int = field(converter=_entry_no, metadata=NORMAL)
    opportunity_no: OpportunityNo = field(
        converter=_req_opportunity_no, metadata=NORMAL
    )
    sales_cycle_code: Code | None = field(
        default=None, converter=_opt_sales_cycle_code, metadata=NORMAL
    )
    sales_cycle_stage: int | None = field(
        default=None, converter=_stg_sales_cycle_stage, metadata=NORMAL
    )
    previous_sales_cycle_stage: int | None = field(
        default=None, converter=_stg_previous_sales_cycle_stage, metadata=NORMAL
    )
    contact_no: ContactNo | None = field(
        default=None, converter=_opt_contact_no, metadata=NORMAL
    )
    contact_company_no: ContactNo | None = field(
        default=None, converter=_opt_contact_company_no, metadata=NORMAL
    )
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_opt_salesperson_code, metadata=NORMAL
    )
    campaign_no: CampaignNo | None = field(
        default=None, converter=_opt_campaign_no, metadata=NORMAL
    )
    date_of_change: date = field(validator=_check_day, metadata=NORMAL)
    active: bool = _flag()
    date_closed: date | None = field(
        default=None, validator=_check_optional_day, metadata=NORMAL
    )
    days_open: int = field(default=0, converter=_days_open, metadata=NORMAL)
    action_taken: ActionTaken = field(
        default=ActionTaken.BLANK, converter=_enum_action_taken, metadata=NORMAL
    )
    action_type: ActionType = field(
        default=ActionType.BLANK, converter=_enum_action_type, metadata=NORMAL
    )
    estimated_value: Decimal = field(
        default=_ZERO, converter=_amt_estimated_value, metadata=NORMAL
    )
    calcd_current_value: Decimal = field(
        default=_ZERO, converter=_amt_calcd_current_value, metadata=NORMAL
    )
    completed_pct: Decimal = field(
        default=_ZERO, converter=_pct_completed_pct, metadata=NORMAL
    )
    chances_of_success_pct: Decimal = field(
        default=_ZERO, converter=_pct_chances_of_success_pct, metadata=NORMAL
    )
    probability_pct: Decimal = field(
        default=_ZERO, converter=_pct_probability_pct, metadata=NORMAL
    )
    estimated_close_date: date | None = field(
        default=None, validator=_check_optional_day, metadata=NORMAL
    )
    close_opportunity_code: Code | None = field(
        default=None, converter=_opt_close_opportunity_code, metadata=NORMAL
    )
    cancel_old_task: bool = _flag()


def _probability(
    kind: ProbabilityCalculation, chances: Decimal, done: Decimal
) -> Decimal:
    if kind is ProbabilityCalculation.MULTIPLY:
        return chances * done / _HUNDRED
    if kind is ProbabilityCalculation.ADD:
        return (chances + done) / 2
    if kind is ProbabilityCalculation.CHANCES_OF_SUCCESS:
        return chances
    return done


def update_estimates(
    entry: OpportunityEntry,
    cycle: SalesCycle | None,
    *,
    quote_amount: Decimal | None = None,
) -> OpportunityEntry:
    """Return ``entry`` with the estimates of §5.5 ``UpdateEstimates`` applied.

    With a stage of ``cycle``: the chances default to the stage's (when 0, or on a
    Jump or Skip, and the stage's are not 0), completed % is the stage's, the
    probability follows the cycle's calculation, Calcd. Current Value =
    Estimated Value x Probability / 100, and a blank close date (or one equal to the
    Date of Change) becomes ``calc_date(stage formula, Date of Change)``. Then Won sets
    the percentages to 100 (and the value to ``quote_amount`` if given); Lost sets
    the value, chances and probability to 0 and completed % to 100.

    Raises:
        ValidationError: ``cycle`` is not the entry's cycle.

    >>> from datetime import date
    >>> cycle = SalesCycle(code="C", probability_calculation="Add",
    ...     stages=[SalesCycleStage(stage=1, completed_pct=20,
    ...                             chances_of_success_pct=40, date_formula="1M")])
    >>> e = update_estimates(OpportunityEntry(entry_no=1, opportunity_no="O",
    ...     sales_cycle_code="C", sales_cycle_stage=1, estimated_value=1000,
    ...     date_of_change=date(2024, 1, 31)), cycle)
    >>> e.chances_of_success_pct, e.probability_pct, e.calcd_current_value
    (Decimal('40'), Decimal('30'), Decimal('300'))
    >>> e.estimated_close_date
    datetime.date(2024, 2, 29)
    """
    if cycle is not None and cycle.code != entry.sales_cycle_code:
        raise ValidationError("sales_cycle_code", cycle.code, "is not the entry's")
    stage = None
    if cycle is not None:
        stage = next(
            (s for s in cycle.stages if s.stage == entry.sales_cycle_stage), None
        )
    changes: dict[str, Any] = {}
    if cycle is not None and stage is not None:
        chances = entry.chances_of_success_pct
        forced = entry.action_type in {ActionType.JUMP, ActionType.SKIP}
        if (chances == 0 or forced) and stage.chances_of_success_pct != 0:
            chances = stage.chances_of_success_pct
        probability = _probability(
            cycle.probability_calculation, chances, stage.completed_pct
        )
        close = entry.estimated_close_date
        if close is None or close == entry.date_of_change:
            close = calc_date(stage.date_formula, entry.date_of_change)
        changes.update(
            chances_of_success_pct=chances,
            completed_pct=stage.completed_pct,
            probability_pct=probability,
            calcd_current_value=entry.estimated_value * probability / _HUNDRED,
            estimated_close_date=close,
        )
    if entry.action_taken is ActionTaken.WON:
        if quote_amount is not None:
            changes["calcd_current_value"] = quote_amount
        changes.update(
            completed_pct=_HUNDRED,
            chances_of_success_pct=_HUNDRED,
            probability_pct=_HUNDRED,
        )
    elif entry.action_taken is ActionTaken.LOST:
        changes.update(
            calcd_current_value=_ZERO,
            completed_pct=_HUNDRED,
            chances_of_success_pct=_ZERO,
            probability_pct=_ZERO,
        )
    return attrs.evolve(entry, **changes)


def active_entry(entries: Iterable[OpportunityEntry]) -> OpportunityEntry | None:
    """Return the one active entry, or ``None`` (§5.5: at most one per opportunity).

    Raises:
        ValidationError: More than one entry is active.

    >>> active_entry([]) is None
    True
    """
    found = [entry for entry in entries if entry.active]
    if len(found) > 1:
        raise ValidationError(
            "entries", [e.entry_no for e in found], "more than one is active"
        )
    return found[0] if found else None


# --- Stage lists (§5.6) --------------------------------------------------------------


def stage_candidates(
    cycle: SalesCycle, active: OpportunityEntry | None
) -> dict[ActionType, tuple[int, ...]]:
    """Return the candidate stages of every action type (§5.6 ``CreateStageList``).

    An active entry whose stage is no longer in the cycle gives only Skip candidates
    (from the first stage), like BC's lookup that finds no current stage.

    >>> cycle = SalesCycle(code="C", stages=[SalesCycleStage(stage=n) for n in (1, 2)])
    >>> stage_candidates(cycle, None)[ActionType.FIRST]
    (1,)
    """
    numbers = [row.stage for row in cycle.stages]
    result: dict[ActionType, tuple[int, ...]] = dict.fromkeys(
        (a for a in ActionType if a is not ActionType.BLANK), ()
    )
    current = None if active is None else active.sales_cycle_stage
    if active is None or current is None or current not in numbers:
        after: list[SalesCycleStage] = list(cycle.stages)
        if active is None and numbers:
            result[ActionType.FIRST] = (numbers[0],)
    else:
        index = numbers.index(current)
        after = list(cycle.stages[index + 1 :])
        if after:
            result[ActionType.NEXT] = (after[0].stage,)
        if index:
            result[ActionType.PREVIOUS] = (numbers[index - 1],)
        result[ActionType.UPDATE] = (current,)
        result[ActionType.JUMP] = tuple(numbers[:index])
    skip: list[int] = []
    if after and after[0].allow_skip:
        for row in after:
            skip.append(row.stage)
            if not row.allow_skip:
                break
    result[ActionType.SKIP] = tuple(skip)
    return result


def default_action_type(candidates: Mapping[ActionType, tuple[int, ...]]) -> ActionType:
    """Return the wizard's default action type (§5.6), ``BLANK`` when none applies.

    >>> default_action_type({ActionType.SKIP: (2, 3)})
    <ActionType.SKIP: 'Skip'>
    """
    for kind in (ActionType.FIRST, ActionType.NEXT, ActionType.UPDATE):
        if candidates.get(kind):
            return kind
    if candidates.get(ActionType.PREVIOUS):
        return ActionType.PREVIOUS
    for kind in (ActionType.SKIP, ActionType.JUMP):
        if len(candidates.get(kind, ())) > 1:
            return kind
    return ActionType.BLANK


def default_target(
    action_type: ActionType, candidates: Mapping[ActionType, tuple[int, ...]]
) -> int | None:
    """Return the default target stage of an action type (§5.6), or ``None``.

    Jump defaults to the last candidate, every other type to the first.

    >>> default_target(ActionType.JUMP, {ActionType.JUMP: (1, 2, 3)})
    3
    """
    stages = candidates.get(action_type, ())
    if not stages:
        return None
    return stages[-1] if action_type is ActionType.JUMP else stages[0]


@frozen(kw_only=True)
class StageMove:
    """The result of a stage move or close (§5.5 ``InsertEntry``, §5.6, §5.7).

    Attributes:
        entry: The new, active entry (or the closing entry).
        previous: The superseded entry, now inactive with its Days Open, or ``None``.
        activity_code: The target stage's activity code, for the tasks of §7.6;
            ``None`` when no tasks are to be created.
        cancel_old_tasks: Whether the service cancels the opportunity's open tasks.

    Raises:
        attrs.exceptions.FrozenInstanceError: On assignment (it is a value).
    """

    entry: OpportunityEntry
    previous: OpportunityEntry | None
    activity_code: Code | None
    cancel_old_tasks: bool


_ACTION_TAKEN: Final = {
    ActionType.FIRST: ActionTaken.BLANK,
    ActionType.NEXT: ActionTaken.NEXT,
    ActionType.PREVIOUS: ActionTaken.PREVIOUS,
    ActionType.SKIP: ActionTaken.JUMPED,
    ActionType.UPDATE: ActionTaken.UPDATED,
    ActionType.JUMP: ActionTaken.JUMPED,
}


# --- Opportunity (§5.4) --------------------------------------------------------------


_DATE_OF_CHANGE_TEXT: Final = "The Date of Change has to be after last Date of change."
_CLOSE_DATE_TEXT: Final = "The Estimated closing date has to be later than this change."
_CAPTIONS: Final = {
    "estimated_value": "Estimated Value (LCY)",
    "chances_of_success_pct": "Chances of Success %",
    "sales_lcy": "Sales (LCY)",
}
"""BC's captions of the fields its "%1 must be greater than 0." messages name."""


def _greater_than_zero(name: str, value: Decimal) -> None:
    if value <= 0:
        raise ValidationError(
            name, value, f"{_CAPTIONS.get(name, name)} must be greater than 0."
        )


@define(kw_only=True)
class Opportunity(AggregateRoot):
    """An opportunity (table 5092, §5.4) and its status state machine (§5.5-§5.7).

    ``status``, ``closed`` and ``date_closed`` change only through
    :meth:`activate_first_stage`, :meth:`move` and :meth:`close`; a closed
    opportunity refuses every change.

    Raises:
        ValidationError: A blank number or a bad value.

    >>> from datetime import date
    >>> Opportunity(no="op1", creation_date=date(2024, 3, 4)).status
    <OpportunityStatus.NOT_STARTED: 'Not Started'>
    """

    kind: ClassVar[str] = "opportunity"
    _FIXED: ClassVar[frozenset[str]] = frozenset(
        {"version", "no", "status", "closed", "date_closed", "creation_date"}
    )

    no: OpportunityNo = field(converter=_req_no, metadata=NORMAL)
    description: str = plain_text(100)
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_opt_salesperson_code, metadata=NORMAL
    )
    campaign_no: CampaignNo | None = field(
        default=None, converter=_opt_campaign_no, metadata=NORMAL
    )
    contact_no: ContactNo | None = field(
        default=None, converter=_opt_contact_no, metadata=NORMAL
    )
    contact_company_no: ContactNo | None = field(
        default=None, converter=_opt_contact_company_no, metadata=NORMAL
    )
    sales_cycle_code: Code | None = field(
        default=None, converter=_opt_sales_cycle_code, metadata=NORMAL
    )
    creation_date: date = field(validator=_check_day, metadata=NORMAL)
    date_closed: date | None = field(
        default=None, validator=_check_optional_day, metadata=NORMAL
    )
    status: OpportunityStatus = field(
        default=OpportunityStatus.NOT_STARTED, converter=_enum_status, metadata=NORMAL
    )
    priority: OpportunityPriority = field(
        default=OpportunityPriority.NORMAL, converter=_enum_priority, metadata=NORMAL
    )
    closed: bool = _flag()
    sales_document_type: SalesDocumentType = field(
        default=SalesDocumentType.BLANK,
        converter=_enum_sales_document_type,
        metadata=NORMAL,
    )
    sales_document_no: str | None = field(
        default=None, converter=_opt_sales_document_no, metadata=NORMAL
    )
    segment_no: SegmentNo | None = field(
        default=None, converter=_opt_segment_no, metadata=NORMAL
    )

    def __deepcopy__(self, memo: dict[int, object]) -> Opportunity:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    def __attrs_post_init__(self) -> None:
        closing = self.status in {OpportunityStatus.WON, OpportunityStatus.LOST}
        if closing != self.closed or closing != (self.date_closed is not None):
            raise ValidationError(
                "status", self.status, "disagrees with closed and date_closed"
            )

    # -- guards ------------------------------------------------------------------

    def _ensure_open(self, requested: object) -> None:
        if self.closed:
            raise InvalidTransitionError(self.status, requested)

    def _entries(
        self, entries: Iterable[OpportunityEntry], entry_no: int
    ) -> tuple[OpportunityEntry | None, int]:
        rows = list(entries)
        for row in rows:
            if row.opportunity_no != self.no:
                raise ValidationError("entries", row.entry_no, "belongs to another")
        number = _entry_no(entry_no)
        if any(row.entry_no >= number for row in rows):
            raise ValidationError("entry_no", entry_no, "must follow the last entry")
        return active_entry(rows), number

    # -- field changes -------------------------------------------------------------

    def change(self, **changes: object) -> None:
        """Change editable fields, all validated before any changes (§5.4).

        Once started, a new contact must keep the opportunity's company (pass the new
        ``contact_company_no`` along with ``contact_no``).

        Raises:
            InvalidTransitionError: The opportunity is closed.
            ValidationError: An unknown or fixed field, a refused value, or a contact
                of another company ("Contact %1 %2 is related to another company.").

        >>> from datetime import date
        >>> opp = Opportunity(no="O1", creation_date=date(2024, 3, 4))
        >>> opp.change(description="Furniture", priority="High")
        >>> opp.priority
        <OpportunityPriority.HIGH: 'High'>
        """
        self._ensure_open("changed")
        check_field_names(type(self), changes)
        fixed = sorted(self._FIXED & changes.keys())
        if fixed:
            raise ValidationError("fields", fixed, "cannot be changed")
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        if (
            "contact_no" in changes
            and self.status is not OpportunityStatus.NOT_STARTED
            and checked.contact_company_no != self.contact_company_no
        ):
            raise ValidationError(
                "contact_no", checked.contact_no, "is related to another company"
            )
        for name in changes:
            setattr(self, name, getattr(checked, name))

    def sync_entry(self, entry: OpportunityEntry) -> OpportunityEntry:
        """Return the (active) entry with the opportunity's parties copied (§5.4).

        A change of salesperson, campaign or contact also updates the active entry.

        Raises:
            ValidationError: The entry belongs to another opportunity.

        >>> from datetime import date
        >>> opp = Opportunity(no="O1", salesperson_code="JO", creation_date=date(2024, 3, 4))
        >>> opp.sync_entry(OpportunityEntry(entry_no=1, opportunity_no="O1",
        ...     date_of_change=date(2024, 3, 4))).salesperson_code
        'JO'
        """
        if entry.opportunity_no != self.no:
            raise ValidationError("opportunity_no", entry.opportunity_no, "is another")
        return attrs.evolve(entry, **self._parties())

    def _parties(self) -> dict[str, Any]:
        return {
            "contact_no": self.contact_no,
            "contact_company_no": self.contact_company_no,
            "salesperson_code": self.salesperson_code,
            "campaign_no": self.campaign_no,
        }

    def check_deletion(self) -> None:
        """Refuse to delete an opportunity that is In Progress (§5.4).

        Raises:
            InvalidTransitionError: "You cannot delete this opportunity while it is
                active."

        >>> from datetime import date
        >>> Opportunity(no="O1", creation_date=date(2024, 3, 4)).check_deletion()
        """
        if self.status is OpportunityStatus.IN_PROGRESS:
            raise InvalidTransitionError(self.status, "Deleted")

    # -- stage moves -------------------------------------------------------------

    def activate_first_stage(
        self,
        cycle: SalesCycle,
        entries: Iterable[OpportunityEntry],
        *,
        entry_no: int,
        date_of_change: date,
        estimated_value: Decimal | int | str,
        chances_of_success_pct: Decimal | int | str,
        estimated_close_date: date,
        cancel_old_tasks: bool = False,
    ) -> StageMove:
        """Activate the first stage (§5.8 create wizard and ``StartActivateFirstStage``).

        Raises:
            InvalidTransitionError: The opportunity is not Not Started.
            NotFoundError: The cycle has no stages ("Sales Cycle Stage not found.").
            ValidationError: As :meth:`move`.
        """
        if self.status is not OpportunityStatus.NOT_STARTED:
            raise InvalidTransitionError(self.status, ActionType.FIRST)
        if not cycle.stages:
            raise NotFoundError("sales_cycle_stage", (cycle.code, 1))
        return self.move(
            cycle,
            entries,
            ActionType.FIRST,
            entry_no=entry_no,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
            cancel_old_tasks=cancel_old_tasks,
        )

    def move(  # noqa: C901 - CheckStatus2 is one list of checks
        self,
        cycle: SalesCycle,
        entries: Iterable[OpportunityEntry],
        action_type: ActionType | str,
        *,
        entry_no: int,
        date_of_change: date,
        stage: int | None = None,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: date | None = None,
        cancel_old_tasks: bool = False,
        quote_no: str | None = None,
    ) -> StageMove:
        """Move to a stage with the update wizard (§5.6 ``CheckStatus2``, ``FinishWizard2``).

        Omitted inputs take the wizard's defaults: ``stage`` the action type's default
        target, the estimated value and close date the active entry's, the chances
        the target stage's. ``quote_no`` is the linked sales quote, if one exists;
        Next and Skip into a Quote Required stage need it. The status becomes In
        Progress.

        Args:
            cycle: The opportunity's sales cycle.
            entries: The opportunity's entries so far.
            action_type: First, Next, Previous, Skip, Update or Jump.
            entry_no: The new entry's number (after every existing entry's).
            date_of_change: Not before the active entry's.
            stage: The target stage, one of the action type's candidates.
            estimated_value: Greater than 0.
            chances_of_success_pct: Greater than 0.
            estimated_close_date: Not before ``date_of_change``.
            cancel_old_tasks: Cancel open tasks (forced off for First and Update).
            quote_no: The existing sales quote linked to the opportunity.

        Raises:
            InvalidTransitionError: The opportunity is closed, the action type has
                no candidates ("There are no stages in sales cycle %1.") or the
                stage is not one of them.
            ValidationError: Another cycle, bad entries or numbers, a Date of Change
                before the last one, a missing quote ("You cannot go to this stage
                before you have assigned a sales quote."), a value or chances not
                greater than 0, or a missing or early Estimated Close Date.
        """
        self._ensure_open(action_type)
        kind = to_enum(ActionType, "action_type", action_type)
        if cycle.code != self.sales_cycle_code:
            raise ValidationError("sales_cycle_code", cycle.code, "is not the cycle")
        active, number = self._entries(entries, entry_no)
        candidates = stage_candidates(cycle, active)
        current = None if active is None else active.sales_cycle_stage
        if kind is ActionType.BLANK or not candidates[kind]:
            raise InvalidTransitionError(current or self.status, kind)
        target = default_target(kind, candidates) if stage is None else stage
        if target not in candidates[kind]:
            raise InvalidTransitionError(
                current or self.status, f"{kind.value} to stage {target}"
            )
        row = cycle.stage(target)
        if active is not None and date_of_change < active.date_of_change:
            raise ValidationError(
                "date_of_change", date_of_change, _DATE_OF_CHANGE_TEXT
            )
        quote_needed = kind in {ActionType.NEXT, ActionType.SKIP} and row.quote_required
        if quote_needed and not quote_no:
            raise ValidationError(
                "sales_document_no",
                None,
                "You cannot go to this stage before you have assigned a sales quote.",
            )
        if estimated_value is None:
            value = _ZERO if active is None else active.estimated_value
        else:
            value = _number("estimated_value", estimated_value)
        chances = (
            row.chances_of_success_pct
            if chances_of_success_pct is None
            else _number("chances_of_success_pct", chances_of_success_pct)
        )
        _greater_than_zero("estimated_value", value)
        _greater_than_zero("chances_of_success_pct", chances)
        close = estimated_close_date
        if close is None and active is not None:
            close = active.estimated_close_date
        if close is None:
            raise ValidationError("estimated_close_date", None, "must be filled in")
        if close < date_of_change:
            raise ValidationError("estimated_close_date", close, _CLOSE_DATE_TEXT)
        taken = _ACTION_TAKEN[kind]
        if kind is ActionType.SKIP and candidates[ActionType.NEXT] == (target,):
            taken = ActionTaken.NEXT
        if kind is ActionType.JUMP and candidates[ActionType.PREVIOUS] == (target,):
            taken = ActionTaken.PREVIOUS
        cancel = cancel_old_tasks and kind not in {ActionType.FIRST, ActionType.UPDATE}
        entry = OpportunityEntry(
            entry_no=number,
            opportunity_no=self.no,
            sales_cycle_code=cycle.code,
            sales_cycle_stage=target,
            previous_sales_cycle_stage=current,
            date_of_change=date_of_change,
            action_taken=taken,
            action_type=kind,
            estimated_value=value,
            chances_of_success_pct=chances,
            estimated_close_date=close,
            cancel_old_task=cancel,
            **self._parties(),
        )
        entry = update_estimates(entry, cycle)
        self.status = OpportunityStatus.IN_PROGRESS
        activity = None if taken is ActionTaken.UPDATED else row.activity_code
        return _insert(entry, active, activity, cancel=cancel)

    def close(
        self,
        entries: Iterable[OpportunityEntry],
        code: CloseOpportunityCode,
        *,
        entry_no: int,
        date_of_change: date,
        sales_lcy: Decimal | int | str = 0,
        quote_amount: Decimal | int | str | None = None,
        cancel_old_tasks: bool = True,
    ) -> StageMove:
        """Close the opportunity as won or lost (§5.7 ``CheckStatus``, ``FinishWizard``).

        The result follows ``code.type``. Won: Calcd. Current Value is the linked
        quote's amount if one exists (``quote_amount``), else ``sales_lcy``, and must be
        greater than 0. Lost: values 0. The entry is dated and closed on
        ``date_of_change``; the opportunity becomes Won or Lost and closed.

        Raises:
            InvalidTransitionError: The opportunity is already closed.
            ValidationError: Bad entries or numbers, a Date of Change before the last
                one, or Won with Sales (LCY) not greater than 0.
        """
        self._ensure_open(code.type)
        active, number = self._entries(entries, entry_no)
        if active is not None and date_of_change < active.date_of_change:
            raise ValidationError(
                "date_of_change", date_of_change, _DATE_OF_CHANGE_TEXT
            )
        won = code.type is CloseOpportunityType.WON
        amount = None if quote_amount is None else _number("quote_amount", quote_amount)
        sales = _number("sales_lcy", sales_lcy) if amount is None else amount
        if won:
            _greater_than_zero("sales_lcy", sales)
        entry = OpportunityEntry(
            entry_no=number,
            opportunity_no=self.no,
            sales_cycle_code=self.sales_cycle_code,
            previous_sales_cycle_stage=None
            if active is None
            else active.sales_cycle_stage,
            date_of_change=date_of_change,
            date_closed=date_of_change,
            estimated_close_date=date_of_change,
            action_taken=ActionTaken.WON if won else ActionTaken.LOST,
            estimated_value=_ZERO if active is None else active.estimated_value,
            calcd_current_value=sales if won else _ZERO,
            close_opportunity_code=code.code,
            cancel_old_task=bool(cancel_old_tasks),
            **self._parties(),
        )
        entry = update_estimates(entry, None)
        self.status = OpportunityStatus.WON if won else OpportunityStatus.LOST
        self.closed = True
        self.date_closed = date_of_change
        return _insert(entry, active, None, cancel=entry.cancel_old_task)


def _insert(
    entry: OpportunityEntry,
    previous: OpportunityEntry | None,
    activity: Code | None,
    *,
    cancel: bool,
) -> StageMove:
    """§5.5 ``InsertEntry``: deactivate the previous entry and activate the new one."""
    if previous is not None:
        previous = attrs.evolve(
            previous,
            active=False,
            days_open=(entry.date_of_change - previous.date_of_change).days,
        )
    return StageMove(
        entry=attrs.evolve(entry, active=True),
        previous=previous,
        activity_code=activity,
        cancel_old_tasks=cancel,
    )
