"""Sales cycles and opportunities (§5): ``crm.sales_cycles`` and ``crm.opportunities``.

A stage move is one unit of work: the new entry is stored active, the one it
supersedes is written back inactive with its Days Open (§5.5 ``InsertEntry``), the
opportunity's status follows, the target stage's activity creates its tasks dated
from the Date of Change (§7.6) and, if asked, the opportunity's open tasks are
canceled. Closing as won also creates the customer of the contact's company when it
has none, through the business partner directory (§5.5 OnInsert).

The worked example of §5.10:

>>> import datetime as dt
>>> from decimal import Decimal
>>> import relationship_mgmt as rm
>>> from relationship_mgmt.testing import FrozenClock
>>> clock = FrozenClock(dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC))
>>> crm = rm.open(clock=clock)
>>> crm.setup.use_default_number_series()
>>> crm.setup.add_records([rm.BusinessRelation(code="CUST"),
...                        rm.CloseOpportunityCode(code="WON", type="Won")])
>>> _ = crm.setup.change(bus_rel_code_for_customers="CUST")
>>> _ = crm.salespeople.create("ps", name="Peter Saddow")
>>> _ = crm.tasks.create_activity("INIT", steps=[
...     rm.ActivityStep(step_no=1, type="Phone Call", date_formula="1D")])
>>> cycle = crm.sales_cycles.create("NEW", probability_calculation="Multiply", stages=[
...     rm.SalesCycleStage(stage=1, description="Initial", completed_pct=10,
...                        chances_of_success_pct=25, date_formula="1W", activity_code="INIT"),
...     rm.SalesCycleStage(stage=2, description="Presentation", completed_pct=25,
...                        chances_of_success_pct=50, date_formula="2W", allow_skip=True),
...     rm.SalesCycleStage(stage=3, description="Proposal", completed_pct=60,
...                        chances_of_success_pct=60, date_formula="2W", allow_skip=True,
...                        quote_required=True),
...     rm.SalesCycleStage(stage=4, description="Sign contract", completed_pct=90,
...                        chances_of_success_pct=80, date_formula="1W")])
>>> company = crm.contacts.create_company(name="Cronus Cardoxy", salesperson_code="ps")
>>> opp = crm.opportunities.create(contact_no=company.no, description="Furniture",
...     sales_cycle_code="NEW", activate_first_stage=True, estimated_value=10000,
...     chances_of_success_pct=40, estimated_close_date=dt.date(2024, 4, 30))
>>> first = crm.opportunities.active_entry(opp.no)
>>> (first.sales_cycle_stage, first.probability_pct, first.calcd_current_value)
(1, Decimal('4'), Decimal('400'))
>>> [(t.type.value, t.date, t.system_task_type.value)
...  for t in crm.tasks.list(opportunity_no=opp.no)]
[('Phone Call', datetime.date(2024, 3, 5), 'Organizer'), ('Phone Call', datetime.date(2024, 3, 5), 'Contact Attendee')]
>>> clock.advance(dt.timedelta(days=7))
>>> second = crm.opportunities.next_stage(opp.no)
>>> (second.sales_cycle_stage, second.probability_pct, second.calcd_current_value)
(2, Decimal('12.5'), Decimal('1250.0'))
>>> crm.opportunities.entries(opp.no)[0].days_open
7
>>> clock.advance(dt.timedelta(days=7))
>>> third = crm.opportunities.skip_to(opp.no, 4)
>>> (third.action_taken.value, third.chances_of_success_pct, third.calcd_current_value)
('Jumped', Decimal('80'), Decimal('7200'))
>>> clock.advance(dt.timedelta(days=7))
>>> won = crm.opportunities.close_won(opp.no, code="WON", sales_lcy=9500)
>>> (won.calcd_current_value, won.probability_pct, crm.opportunities.get(opp.no).status.value)
(Decimal('9500'), Decimal('100'), 'Won')
>>> crm.contacts.business_relation(company.no).value
'Customer'
>>> [(r.stage, r.count) for r in crm.opportunities.pipeline(as_of=dt.date(2024, 3, 12)).rows]
[(2, 1)]
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

import attrs

from relationship_mgmt.domain._fields import check_field_names, to_enum
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    CampaignNo,
    Code,
    ContactNo,
    OpportunityNo,
    SalespersonCode,
    make_code,
)
from relationship_mgmt.domain.contacts import LinkToTable, ensure_usable
from relationship_mgmt.domain.interactions import InteractionFilter
from relationship_mgmt.domain.opportunities import (
    ActionType,
    Opportunity,
    OpportunityEntry,
    OpportunityStatus,
    SalesCycle,
    SalesCycleStage,
    StageMove,
    check_sales_cycle_deletion,
    default_action_type,
    stage_candidates,
)
from relationship_mgmt.domain.pipeline import (
    GroupBy,
    OpportunityTotals,
    Pipeline,
    StageDurations,
    StageStatistics,
    sales_cycle_statistics,
    sum_rows,
)
from relationship_mgmt.domain.setup import CloseOpportunityCode, CloseOpportunityType
from relationship_mgmt.domain.tasks import stage_base_task
from relationship_mgmt.errors import InvalidTransitionError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.contacts import ContactService
from relationship_mgmt.services.numbering import assign_number
from relationship_mgmt.services.tasks import TaskService

__all__ = [
    "OpportunityService",
    "OpportunityStatistics",
    "SalesCycleService",
    "StageOptions",
]

_T = TypeVar("_T")

# What create() and change() may be given; the rest is the rules'.
_OPPORTUNITY_FIELDS = frozenset(
    {
        "description",
        "salesperson_code",
        "campaign_no",
        "contact_no",
        "sales_cycle_code",
        "priority",
        "sales_document_type",
        "sales_document_no",
        "segment_no",
    }
)


def _cycle_code(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="sales_cycle_code")


def _opportunity_no(no: str) -> OpportunityNo:
    return OpportunityNo(make_code(no, max_length=CODE20, field="no"))


def _optional(value: object, length: int, field: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be text")
    return make_code(value, max_length=length, field=field)


# --- sales cycles --------------------------------------------------------------------


class SalesCycleService:
    """Sales cycles and their stages (§5.1, §5.2): one method, one unit of work.

    Args:
        uow_factory: Makes a unit of work per use case.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def create(
        self,
        code: str,
        *,
        stages: Iterable[SalesCycleStage] = (),
        **fields: object,
    ) -> SalesCycle:
        """Create a sales cycle with its stages (§5.1, §5.2).

        Args:
            code: The cycle's code (Code[10]).
            stages: Its stages, in any order.
            **fields: ``description``, ``probability_calculation``, ``blocked``.

        Raises:
            AlreadyExistsError: The code is taken.
            NotFoundError: A stage's activity does not exist.
            ValidationError: An unknown field or a refused value.
        """
        check_field_names(SalesCycle, fields)
        cycle = SalesCycle(code=code, stages=tuple(stages), **fields)  # type: ignore[arg-type]
        with self._uow_factory() as uow:
            for stage in cycle.stages:
                self._check_activity(uow, stage)
            uow.sales_cycles.add(cycle)
            uow.commit()
        return cycle

    @staticmethod
    def _check_activity(uow: UnitOfWork, stage: SalesCycleStage) -> None:
        if stage.activity_code is not None:
            uow.activities.get(stage.activity_code)

    def get(self, code: str) -> SalesCycle:
        """Return the cycle with its stages.

        Raises:
            NotFoundError: No such cycle.
        """
        key = _cycle_code(code)
        with self._uow_factory() as uow:
            return uow.sales_cycles.get(key)

    def list(self) -> builtins.list[SalesCycle]:
        """Return every cycle, ordered by code."""
        with self._uow_factory() as uow:
            return uow.sales_cycles.find_all()

    def change(self, code: str, /, **fields: object) -> SalesCycle:
        """Change a cycle's description, probability calculation or blocked flag (§5.1).

        Raises:
            NotFoundError: No such cycle.
            ValidationError: An unknown or fixed field, or a refused value.
        """
        return self._edit(code, lambda _, cycle: cycle.change(**fields))

    def set_stage(self, code: str, stage: SalesCycleStage) -> SalesCycle:
        """Add a stage to a cycle, or replace the one with its number (§5.2).

        Raises:
            NotFoundError: No such cycle or activity.
            ValidationError: ``stage`` is not a :class:`SalesCycleStage`.
        """

        def operation(uow: UnitOfWork, cycle: SalesCycle) -> None:
            cycle.set_stage(stage)
            self._check_activity(uow, stage)

        return self._edit(code, operation)

    def remove_stage(self, code: str, stage: int) -> SalesCycle:
        """Delete a stage unless active entries are at it (§5.2).

        Raises:
            NotFoundError: No such cycle or stage.
            InUseError: Active entries are at the stage.
        """

        def operation(uow: UnitOfWork, cycle: SalesCycle) -> None:
            rows = uow.opportunity_entries.pipeline(sales_cycle_code=cycle.code)
            at_stage = sum(row.count for row in rows if row.stage == stage)
            cycle.remove_stage(stage, active_entries=at_stage)

        return self._edit(code, operation)

    def _edit(
        self, code: str, operation: Callable[[UnitOfWork, SalesCycle], None]
    ) -> SalesCycle:
        key = _cycle_code(code)
        with self._uow_factory() as uow:
            cycle = uow.sales_cycles.get(key)
            operation(uow, cycle)
            uow.sales_cycles.update(cycle)
            uow.commit()
        return cycle

    def delete(self, code: str) -> None:
        """Delete a cycle and its stages unless opportunities use it (§5.1).

        Raises:
            NotFoundError: No such cycle.
            InUseError: Opportunities use the cycle.
        """
        key = _cycle_code(code)
        with self._uow_factory() as uow:
            cycle = uow.sales_cycles.get(key)
            used = uow.opportunities.find(sales_cycle_code=key)
            check_sales_cycle_deletion(cycle, no_of_opportunities=len(used))
            uow.sales_cycles.remove(key)
            uow.commit()

    def statistics(self, code: str) -> builtins.list[StageStatistics]:
        """Return the Sales Cycle Statistics per stage (§5.9).

        No. of Opportunities, Estimated Value and Calcd. Current Value over the
        active entries at each stage, with Average No. of Days and the median and
        90th percentile of the finished stays.

        Raises:
            NotFoundError: No such cycle.
        """
        key = _cycle_code(code)
        with self._uow_factory() as uow:
            cycle = uow.sales_cycles.get(key)
            rows = uow.opportunity_entries.pipeline(sales_cycle_code=key)
            durations = uow.opportunity_entries.stage_durations(sales_cycle_code=key)
        return sales_cycle_statistics(cycle, rows, durations)


# --- opportunities ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StageOptions:
    """What the Update Opportunity wizard offers an opportunity now (§5.6).

    Attributes:
        candidates: The candidate stages of each action type.
        default_action: The wizard's default action type (``BLANK``: none).
    """

    candidates: dict[ActionType, tuple[int, ...]]
    default_action: ActionType


@attrs.frozen(kw_only=True)
class OpportunityStatistics:
    """The Opportunity Statistics page (§5.9): the active entry's figures.

    Attributes:
        no_of_interactions: Interaction log entries of the opportunity, neither
            canceled nor postponed.
        current_sales_cycle_stage: The active entry's stage (``None``: not started
            or closed).
    """

    no_of_interactions: int
    current_sales_cycle_stage: int | None
    estimated_value: Decimal
    chances_of_success_pct: Decimal
    completed_pct: Decimal
    probability_pct: Decimal
    calcd_current_value: Decimal


class OpportunityService:
    """Opportunities, their stage moves, closing, the pipeline and statistics (§5).

    One public method is one use case and one unit of work. Today (BC's WORKDATE)
    is the clock's work date; a move is dated on it by default, or on the active
    entry's Date of Change if that is later (§5.5).

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: The work date.
        tasks: Creates the tasks of a stage's activity and cancels old tasks.
        contacts: Creates the customer of an opportunity won (§5.5).
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        tasks: TaskService,
        contacts: ContactService,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._tasks = tasks
        self._contacts = contacts

    # --- reading -----------------------------------------------------------------------

    def get(self, no: str) -> Opportunity:
        """Return the opportunity.

        Raises:
            NotFoundError: No such opportunity.
        """
        key = _opportunity_no(no)
        return self._read(lambda uow: uow.opportunities.get(key))

    def list(
        self,
        *,
        contact_company_no: str | None = None,
        contact_no: str | None = None,
        salesperson_code: str | None = None,
        campaign_no: str | None = None,
        sales_cycle_code: str | None = None,
        status: OpportunityStatus | str | None = None,
    ) -> builtins.list[Opportunity]:
        """Return the opportunities that match every filter given, by number.

        ``contact_company_no=""`` selects those of contacts without a company.
        """
        company = (
            ContactNo("")
            if contact_company_no == ""
            else _optional(contact_company_no, CODE20, "contact_company_no")
        )
        contact = _optional(contact_no, CODE20, "contact_no")
        salesperson = _optional(salesperson_code, CODE20, "salesperson_code")
        campaign = _optional(campaign_no, CODE20, "campaign_no")
        cycle = _optional(sales_cycle_code, CODE10, "sales_cycle_code")
        state = None if status is None else to_enum(OpportunityStatus, "status", status)
        return self._read(
            lambda uow: uow.opportunities.find(
                contact_company_no=None if company is None else ContactNo(company),
                contact_no=None if contact is None else ContactNo(contact),
                salesperson_code=None
                if salesperson is None
                else SalespersonCode(salesperson),
                campaign_no=None if campaign is None else CampaignNo(campaign),
                sales_cycle_code=None if cycle is None else Code(cycle),
                status=state,
            )
        )

    def entries(self, no: str) -> builtins.list[OpportunityEntry]:
        """Return the opportunity's entries, its stage history, by entry number."""
        key = _opportunity_no(no)
        return self._read(lambda uow: uow.opportunity_entries.entries_of(key))

    def active_entry(self, no: str) -> OpportunityEntry | None:
        """Return the active entry (``None``: not started)."""
        key = _opportunity_no(no)
        return self._read(lambda uow: uow.opportunity_entries.active_of(key))

    def stage_options(self, no: str) -> StageOptions:
        """Return the candidate stages of each action type and the default (§5.6).

        Raises:
            NotFoundError: No such opportunity or cycle.
            InvalidTransitionError: The opportunity is closed.
        """
        key = _opportunity_no(no)
        with self._uow_factory() as uow:
            opportunity = uow.opportunities.get(key)
            if opportunity.closed:
                raise InvalidTransitionError(opportunity.status, "updated")
            cycle = self._cycle_of(uow, opportunity)
            candidates = stage_candidates(cycle, uow.opportunity_entries.active_of(key))
        return StageOptions(
            candidates=candidates, default_action=default_action_type(candidates)
        )

    def statistics(self, no: str) -> OpportunityStatistics:
        """Return the Opportunity Statistics (§5.9).

        Raises:
            NotFoundError: No such opportunity.
        """
        key = _opportunity_no(no)
        with self._uow_factory() as uow:
            uow.opportunities.get(key)
            active = uow.opportunity_entries.active_of(key)
            figures = uow.interaction_log.statistics(
                InteractionFilter(opportunity_no=key)
            )
        if active is None:
            active = OpportunityEntry(
                entry_no=1, opportunity_no=key, date_of_change=dt.date.min
            )
        return OpportunityStatistics(
            no_of_interactions=figures.no_of_interactions,
            current_sales_cycle_stage=active.sales_cycle_stage,
            estimated_value=active.estimated_value,
            chances_of_success_pct=active.chances_of_success_pct,
            completed_pct=active.completed_pct,
            probability_pct=active.probability_pct,
            calcd_current_value=active.calcd_current_value,
        )

    def totals(
        self, group_by: GroupBy, *, key: str | None = None
    ) -> builtins.list[OpportunityTotals]:
        """Return No. of Opportunities, Estimated and Calcd. Current Value by a field.

        The FlowFields of the contact, salesperson and campaign (§5.9, §6.1), over
        the active entries (closed opportunities included, as in BC); the rows also
        give the salesperson's averages.

        Args:
            group_by: ``"contact_no"``, ``"contact_company_no"``,
                ``"salesperson_code"``, ``"campaign_no"`` or ``"sales_cycle_code"``.
            key: Only this contact, salesperson ...

        Raises:
            ValidationError: ``group_by`` is another field.
        """
        return self._read(lambda uow: uow.opportunity_entries.totals(group_by, key=key))

    def pipeline(
        self,
        as_of: dt.date | None = None,
        *,
        sales_cycle_code: str | None = None,
        salesperson_code: str | None = None,
    ) -> Pipeline:
        """Return the open opportunities by stage, now or as they were on ``as_of``.

        Each row gives the count, Estimated Value, Calcd. Current Value and the
        value weighted by the chances of success; as of a past day, each
        opportunity counts in the stage its entry in force that day put it in
        (:func:`~relationship_mgmt.domain.pipeline.pipeline_of`).

        Args:
            as_of: The day; ``None`` for now.
            sales_cycle_code: Only this cycle.
            salesperson_code: Only this salesperson.
        """
        if as_of is not None and not isinstance(as_of, dt.date):
            raise ValidationError("as_of", as_of, "must be a date")
        cycle = _optional(sales_cycle_code, CODE10, "sales_cycle_code")
        salesperson = _optional(salesperson_code, CODE20, "salesperson_code")
        with self._uow_factory() as uow:
            rows = uow.opportunity_entries.pipeline(
                as_of=as_of,
                sales_cycle_code=None if cycle is None else Code(cycle),
                salesperson_code=None
                if salesperson is None
                else SalespersonCode(salesperson),
            )
            names: dict[tuple[str, int], str] = {
                (c.code, s.stage): s.description
                for c in uow.sales_cycles.find_all()
                for s in c.stages
            }
        described = tuple(
            attrs.evolve(
                row, description=names.get((row.sales_cycle_code, row.stage), "")
            )
            for row in rows
        )
        return Pipeline(as_of=as_of, rows=described, total=sum_rows(described))

    def time_in_stage(
        self, *, sales_cycle_code: str | None = None
    ) -> builtins.list[StageDurations]:
        """Return the days spent in each stage: average, median and 90th percentile."""
        cycle = _optional(sales_cycle_code, CODE10, "sales_cycle_code")
        return self._read(
            lambda uow: uow.opportunity_entries.stage_durations(
                sales_cycle_code=None if cycle is None else Code(cycle)
            )
        )

    def _read(self, query: Callable[[UnitOfWork], _T]) -> _T:
        with self._uow_factory() as uow:
            return query(uow)

    # --- creating and changing -----------------------------------------------------------

    def create(
        self,
        *,
        no: str | None = None,
        creation_date: dt.date | None = None,
        activate_first_stage: bool = False,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        **fields: object,
    ) -> Opportunity:
        """Create an opportunity for a contact (§5.8 create wizard).

        Contact No., Description, Salesperson Code (by default the contact's) and
        Sales Cycle Code (by default the setup's Default Sales Cycle Code, §5.8) are
        required. With ``activate_first_stage`` the first stage's entry is stored
        with its tasks, dated on the work date.

        Args:
            no: A number of your own; by default from the setup's Opportunity Nos.
            creation_date: By default the work date.
            activate_first_stage: Start at the cycle's first stage.
            estimated_value: The wizard's Estimated Value (LCY), > 0 to activate.
            chances_of_success_pct: The wizard's Chances of Success %, > 0 to activate.
            estimated_close_date: The wizard's Estimated Closing Date, not before
                the work date, to activate.
            **fields: ``contact_no``, ``description``, ``salesperson_code``,
                ``sales_cycle_code``, ``campaign_no``, ``priority``,
                ``sales_document_type``, ``sales_document_no``, ``segment_no``.

        Raises:
            ValidationError: A required field is blank, an unknown field, a refused
                value, a blocked cycle, a creation date outside the campaign's dates
                or a campaign not activated (§5.4, §6.3), or an activation with a
                value, chances or close date refused.
            NotFoundError: No such contact, salesperson, cycle or campaign.
            PrivacyBlockedError: The contact is privacy blocked.
            SalespersonBlockedError: The salesperson is blocked.
        """
        with self._uow_factory() as uow:
            opportunity = self.create_in(
                uow,
                no=no,
                creation_date=creation_date,
                activate_first_stage=activate_first_stage,
                estimated_value=estimated_value,
                chances_of_success_pct=chances_of_success_pct,
                estimated_close_date=estimated_close_date,
                **fields,
            )
            uow.commit()
        return opportunity

    def create_in(
        self,
        uow: UnitOfWork,
        *,
        no: str | None = None,
        creation_date: dt.date | None = None,
        activate_first_stage: bool = False,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        **fields: object,
    ) -> Opportunity:
        """Store a new opportunity in ``uow``: :meth:`create` inside another use case.

        For use cases that create several opportunities at once, all or nothing
        (one per segment line, §4.10). The caller commits.

        Raises:
            ValidationError: As :meth:`create`.
            NotFoundError: No such contact, salesperson, cycle or campaign.
            PrivacyBlockedError: The contact is privacy blocked.
            SalespersonBlockedError: The salesperson is blocked.
        """
        _known(fields)
        today = self._clock.workdate()
        values = self._checked(uow, dict(fields), creation_date or today)
        if values.get("sales_cycle_code") is None:
            default = uow.setup.get().default_sales_cycle_code
            if default is not None and not uow.sales_cycles.get(default).blocked:
                values["sales_cycle_code"] = default
        required = ["description", "sales_cycle_code", "salesperson_code"]
        if not values.get("segment_no"):
            required.insert(0, "contact_no")  # unless a segment is chosen
        for name in required:
            if not values.get(name):
                raise ValidationError(name, None, "must be filled in (§5.8)")
        number = assign_number(
            uow,
            uow.setup.get().opportunity_nos,
            manual_no=no,
            on=today,
            what="opportunity_nos",
        )
        opportunity = Opportunity(
            no=number,
            creation_date=creation_date or today,
            **values,  # type: ignore[arg-type]
        )
        uow.opportunities.add(opportunity)
        if activate_first_stage:
            cycle = self._cycle_of(uow, opportunity)
            move = opportunity.activate_first_stage(
                cycle,
                [],
                entry_no=uow.opportunity_entries.next_entry_no(),
                date_of_change=today,
                estimated_value=_required(estimated_value, "estimated_value"),
                chances_of_success_pct=_required(
                    chances_of_success_pct, "chances_of_success_pct"
                ),
                estimated_close_date=_required_day(
                    estimated_close_date, "estimated_close_date"
                ),
            )
            self._store(uow, opportunity, move)
        return opportunity

    def _checked(
        self, uow: UnitOfWork, values: dict[str, object], creation_date: dt.date
    ) -> dict[str, object]:
        """Check the references of an opportunity's fields (§5.4) and fill the company."""
        contact_no = values.get("contact_no")
        if contact_no is not None:
            contact = uow.contacts.get(
                ContactNo(
                    make_code(str(contact_no), max_length=CODE20, field="contact_no")
                )
            )
            ensure_usable(contact, "opportunity")
            values["contact_company_no"] = contact.company_no
            if values.get("salesperson_code") is None and contact.salesperson_code:
                values["salesperson_code"] = contact.salesperson_code
        salesperson = _optional(
            values.get("salesperson_code"), CODE20, "salesperson_code"
        )
        if salesperson is not None:
            uow.salespeople.get(SalespersonCode(salesperson)).ensure_assignable(
                "opportunity"
            )
        cycle = _optional(values.get("sales_cycle_code"), CODE10, "sales_cycle_code")
        if cycle is not None:
            uow.sales_cycles.get(Code(cycle)).ensure_assignable()
        campaign_no = _optional(values.get("campaign_no"), CODE20, "campaign_no")
        if campaign_no is not None:
            campaign = uow.campaigns.get(CampaignNo(campaign_no))
            starting, ending = campaign.starting_date, campaign.ending_date
            if (starting is not None and creation_date < starting) or (
                ending is not None and creation_date > ending
            ):
                raise ValidationError(
                    "campaign_no",
                    campaign_no,
                    "the creation date is outside the campaign's dates (§5.4)",
                )
            if not uow.campaign_target_groups.exists_for(campaign.no):
                raise ValidationError(  # BC's CheckCampaign: TestField(Activated)
                    "campaign_no",
                    campaign_no,
                    f"Activated must be equal to 'Yes' in Campaign: No.={campaign.no}."
                    " Current value is 'No'. (§5.4: activate the campaign first)",
                )
        return values

    def change(
        self, no: str, /, *, update_open_tasks: bool = False, **fields: object
    ) -> Opportunity:
        """Change an open opportunity's fields; the active entry follows (§5.4).

        A new contact must be usable and, once started, of the same company; a
        salesperson must be assignable; a cycle must not be blocked; a campaign
        must be activated and its dates must hold the creation date. With ``update_open_tasks`` (BC's "Do you
        want to change %1 on the related open tasks with the same %1?") the open
        tasks with the old salesperson or campaign get the new one
        (:meth:`~relationship_mgmt.services.tasks.TaskService.follow_opportunity_in`).

        Raises:
            InvalidTransitionError: The opportunity is closed.
            NotFoundError: No such opportunity, contact, salesperson, cycle or
                campaign.
            ValidationError: An unknown or fixed field, or a refused value.
        """
        _known(fields)
        key = _opportunity_no(no)
        with self._uow_factory() as uow:
            opportunity = uow.opportunities.get(key)
            if opportunity.closed:
                raise InvalidTransitionError(opportunity.status, "changed")
            values = self._checked(uow, dict(fields), opportunity.creation_date)
            before = (opportunity.salesperson_code, opportunity.campaign_no)
            opportunity.change(**values)
            uow.opportunities.update(opportunity)
            if update_open_tasks:
                self._tasks.follow_opportunity_in(
                    uow,
                    key,
                    salesperson=(before[0], opportunity.salesperson_code)
                    if "salesperson_code" in values
                    else None,
                    campaign=(before[1], opportunity.campaign_no)
                    if "campaign_no" in values
                    else None,
                )
            active = uow.opportunity_entries.active_of(key)
            if active is not None:
                synced = opportunity.sync_entry(active)
                if synced != active:
                    uow.opportunity_entries.update(synced)
            uow.commit()
        return opportunity

    def delete(self, no: str) -> None:
        """Delete an opportunity that is not In Progress, with its entries (§5.4).

        Raises:
            NotFoundError: No such opportunity.
            InvalidTransitionError: It is In Progress ("You cannot delete this
                opportunity while it is active.").
        """
        key = _opportunity_no(no)
        with self._uow_factory() as uow:
            uow.opportunities.get(key).check_deletion()
            uow.opportunity_entries.remove_of(key)
            uow.opportunities.remove(key)
            uow.commit()

    # --- stage moves (§5.6) -----------------------------------------------------------------

    def first_stage(
        self,
        no: str,
        *,
        estimated_value: Decimal | int | str,
        chances_of_success_pct: Decimal | int | str,
        estimated_close_date: dt.date,
        date_of_change: dt.date | None = None,
    ) -> OpportunityEntry:
        """Activate the first stage of a Not Started opportunity (``StartActivateFirstStage``, §5.8).

        Raises:
            InvalidTransitionError: The opportunity is not Not Started.
            NotFoundError: No such opportunity or cycle, or the cycle has no stages.
            ValidationError: As :meth:`next_stage`.
        """
        return self._move(
            no,
            ActionType.FIRST,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
        )

    def next_stage(
        self,
        no: str,
        *,
        date_of_change: dt.date | None = None,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        cancel_old_tasks: bool = False,
        quote_no: str | None = None,
    ) -> OpportunityEntry:
        """Move to the next stage (§5.6 Next).

        Omitted values keep the active entry's; the chances become the target
        stage's. A Quote Required stage needs ``quote_no`` (or the opportunity's
        Sales Document No. of a quote).

        Args:
            no: The opportunity.
            date_of_change: By default the later of the work date and the active
                entry's Date of Change.
            estimated_value: Estimated Value (LCY), > 0.
            chances_of_success_pct: Chances of Success %, > 0.
            estimated_close_date: Not before the Date of Change.
            cancel_old_tasks: Cancel the opportunity's open tasks.
            quote_no: The sales quote assigned to the opportunity.

        Returns:
            The new, active entry.

        Raises:
            InvalidTransitionError: The opportunity is closed or has no next stage.
            NotFoundError: No such opportunity or cycle.
            ValidationError: A Date of Change before the last one, a missing quote,
                a value or chances not > 0, or an early close date.
            PrivacyBlockedError: The contact is privacy blocked.
        """
        return self._move(
            no,
            ActionType.NEXT,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
            cancel_old_tasks=cancel_old_tasks,
            quote_no=quote_no,
        )

    def previous_stage(
        self,
        no: str,
        *,
        date_of_change: dt.date | None = None,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        cancel_old_tasks: bool = False,
    ) -> OpportunityEntry:
        """Move back to the previous stage (§5.6 Previous); as :meth:`next_stage`."""
        return self._move(
            no,
            ActionType.PREVIOUS,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
            cancel_old_tasks=cancel_old_tasks,
        )

    def skip_to(
        self,
        no: str,
        stage: int | None = None,
        *,
        date_of_change: dt.date | None = None,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        cancel_old_tasks: bool = False,
        quote_no: str | None = None,
    ) -> OpportunityEntry:
        """Skip forward over Allow Skip stages (§5.6 Skip); as :meth:`next_stage`.

        The candidates run from the next stage while stages allow skipping, up to
        and including the first that does not; ``stage`` defaults to the first.
        The chances are forced to the target stage's (§5.5).
        """
        return self._move(
            no,
            ActionType.SKIP,
            stage=stage,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
            cancel_old_tasks=cancel_old_tasks,
            quote_no=quote_no,
        )

    def jump_to(
        self,
        no: str,
        stage: int | None = None,
        *,
        date_of_change: dt.date | None = None,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        cancel_old_tasks: bool = False,
    ) -> OpportunityEntry:
        """Jump back to any earlier stage (§5.6 Jump); ``stage`` defaults to the last.

        The chances are forced to the target stage's (§5.5).
        """
        return self._move(
            no,
            ActionType.JUMP,
            stage=stage,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
            cancel_old_tasks=cancel_old_tasks,
        )

    def update(
        self,
        no: str,
        *,
        date_of_change: dt.date | None = None,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
    ) -> OpportunityEntry:
        """Update the estimates at the current stage (§5.6 Update): no new tasks."""
        return self._move(
            no,
            ActionType.UPDATE,
            date_of_change=date_of_change,
            estimated_value=estimated_value,
            chances_of_success_pct=chances_of_success_pct,
            estimated_close_date=estimated_close_date,
        )

    def _move(
        self,
        no: str,
        action: ActionType,
        *,
        stage: int | None = None,
        date_of_change: dt.date | None,
        estimated_value: Decimal | int | str | None,
        chances_of_success_pct: Decimal | int | str | None,
        estimated_close_date: dt.date | None,
        cancel_old_tasks: bool = False,
        quote_no: str | None = None,
    ) -> OpportunityEntry:
        key = _opportunity_no(no)
        with self._uow_factory() as uow:
            opportunity = uow.opportunities.get(key)
            if opportunity.closed:
                raise InvalidTransitionError(opportunity.status, action)
            cycle = self._cycle_of(uow, opportunity)
            self._check_contact(uow, opportunity)
            entries = uow.opportunity_entries.entries_of(key)
            day = self._date_of_change(entries, date_of_change)
            quote = quote_no
            if quote is None and opportunity.sales_document_type.value == "Quote":
                quote = opportunity.sales_document_no
            entry_no = uow.opportunity_entries.next_entry_no()
            if action is ActionType.FIRST:
                move = opportunity.activate_first_stage(
                    cycle,
                    entries,
                    entry_no=entry_no,
                    date_of_change=day,
                    estimated_value=_required(estimated_value, "estimated_value"),
                    chances_of_success_pct=_required(
                        chances_of_success_pct, "chances_of_success_pct"
                    ),
                    estimated_close_date=_required_day(
                        estimated_close_date, "estimated_close_date"
                    ),
                )
            else:
                move = opportunity.move(
                    cycle,
                    entries,
                    action,
                    entry_no=entry_no,
                    date_of_change=day,
                    stage=stage,
                    estimated_value=estimated_value,
                    chances_of_success_pct=chances_of_success_pct,
                    estimated_close_date=estimated_close_date,
                    cancel_old_tasks=cancel_old_tasks,
                    quote_no=quote,
                )
            self._store(uow, opportunity, move)
            uow.commit()
        return move.entry

    # --- closing (§5.7) ---------------------------------------------------------------------

    def close_won(
        self,
        no: str,
        *,
        code: str,
        sales_lcy: Decimal | int | str = 0,
        quote_amount: Decimal | int | str | None = None,
        date_of_change: dt.date | None = None,
        cancel_old_tasks: bool = True,
        create_customer: bool = True,
        customer_template: str | None = None,
    ) -> OpportunityEntry:
        """Close the opportunity as won (§5.7); create the company's customer (§5.5).

        Calcd. Current Value is ``quote_amount`` (the assigned quote's amount,
        given by the host) or else ``sales_lcy``, and must be > 0. When the contact
        (for a person, its company) has no customer yet, one is created through the
        business partner directory, as BC does, unless ``create_customer`` is false.

        Args:
            no: The opportunity.
            code: A Close Opportunity Code of type Won.
            sales_lcy: Sales (LCY).
            quote_amount: The assigned sales quote's amount, if one exists.
            date_of_change: By default the later of the work date and the active
                entry's Date of Change.
            cancel_old_tasks: Cancel the opportunity's open tasks (the wizard's
                default).
            create_customer: Create the missing customer.
            customer_template: The customer template; ``None`` lets the directory
                choose.

        Returns:
            The closing entry.

        Raises:
            InvalidTransitionError: The opportunity is closed.
            NotFoundError: No such opportunity or code.
            ValidationError: A code of type Lost, Sales (LCY) not > 0, a Date of
                Change before the last one, or no Bus. Rel. Code for Customers.
            PrivacyBlockedError: The contact or its company is privacy blocked.
        """
        return self._close(
            no,
            code,
            CloseOpportunityType.WON,
            sales_lcy=sales_lcy,
            quote_amount=quote_amount,
            date_of_change=date_of_change,
            cancel_old_tasks=cancel_old_tasks,
            customer=(create_customer, customer_template),
        )

    def close_lost(
        self,
        no: str,
        *,
        code: str,
        date_of_change: dt.date | None = None,
        cancel_old_tasks: bool = True,
    ) -> OpportunityEntry:
        """Close the opportunity as lost (§5.7): values and chances become 0.

        Raises:
            InvalidTransitionError: The opportunity is closed.
            NotFoundError: No such opportunity or code.
            ValidationError: A code of type Won, or a Date of Change before the
                last one.
        """
        return self._close(
            no,
            code,
            CloseOpportunityType.LOST,
            date_of_change=date_of_change,
            cancel_old_tasks=cancel_old_tasks,
        )

    def _close(
        self,
        no: str,
        code: str,
        kind: CloseOpportunityType,
        *,
        sales_lcy: Decimal | int | str = 0,
        quote_amount: Decimal | int | str | None = None,
        date_of_change: dt.date | None,
        cancel_old_tasks: bool,
        customer: tuple[bool, str | None] = (False, None),
    ) -> OpportunityEntry:
        key = _opportunity_no(no)
        reason = make_code(code, max_length=CODE10, field="code")
        with self._uow_factory() as uow:
            close_code = uow.code_tables.get(CloseOpportunityCode, reason)
            if close_code.type is not kind:
                raise ValidationError(
                    "code", reason, f"is a {close_code.type.value} code (§5.3)"
                )
            opportunity = uow.opportunities.get(key)
            if opportunity.closed:
                raise InvalidTransitionError(opportunity.status, kind.value)
            entries = uow.opportunity_entries.entries_of(key)
            move = opportunity.close(
                entries,
                close_code,
                entry_no=uow.opportunity_entries.next_entry_no(),
                date_of_change=self._date_of_change(entries, date_of_change),
                sales_lcy=sales_lcy,
                quote_amount=quote_amount,
                cancel_old_tasks=cancel_old_tasks,
            )
            create, template = customer
            if create and opportunity.contact_no is not None:
                self._ensure_customer(uow, opportunity.contact_no, template)
            self._store(uow, opportunity, move)
            uow.commit()
        return move.entry

    def _ensure_customer(
        self, uow: UnitOfWork, contact_no: ContactNo, template: str | None
    ) -> None:
        """§5.5 ``TestCust``: the (company) contact gets a customer unless it has one."""
        contact = uow.contacts.get(contact_no)
        holder = (
            contact
            if contact.company_no is None or contact.company_no == contact.no
            else uow.contacts.get(contact.company_no)
        )
        for candidate in (contact, holder):
            if candidate.business_partner_link(LinkToTable.CUSTOMER) is not None:
                return
        self._contacts.create_partner_in(uow, contact, LinkToTable.CUSTOMER, template)

    # --- shared steps ----------------------------------------------------------------------

    @staticmethod
    def _cycle_of(uow: UnitOfWork, opportunity: Opportunity) -> SalesCycle:
        if opportunity.sales_cycle_code is None:
            raise ValidationError(
                "sales_cycle_code", None, "must be filled in to move stages (§5.8)"
            )
        return uow.sales_cycles.get(opportunity.sales_cycle_code)

    @staticmethod
    def _check_contact(uow: UnitOfWork, opportunity: Opportunity) -> None:
        if opportunity.contact_no is not None:
            ensure_usable(uow.contacts.get(opportunity.contact_no), "opportunity")

    def _date_of_change(
        self, entries: Iterable[OpportunityEntry], given: dt.date | None
    ) -> dt.date:
        """§5.5: the later of the work date and the active entry's Date of Change."""
        if given is not None:
            return given
        day = self._clock.workdate()
        for entry in entries:
            if entry.active and entry.date_of_change > day:
                day = entry.date_of_change
        return day

    def _store(
        self, uow: UnitOfWork, opportunity: Opportunity, move: StageMove
    ) -> None:
        """Write the move: entries, opportunity, old tasks canceled, new tasks (§5.5)."""
        if move.previous is not None:
            uow.opportunity_entries.update(move.previous)
        uow.opportunity_entries.add(move.entry)
        uow.opportunities.update(opportunity)
        if move.cancel_old_tasks:
            self._tasks.cancel_opportunity_tasks_in(uow, opportunity.no)
        if move.activity_code is not None:
            base = stage_base_task(
                opportunity_no=opportunity.no,
                opportunity_entry_no=move.entry.entry_no,
                date_of_change=move.entry.date_of_change,
                salesperson_code=move.entry.salesperson_code,
                contact_no=move.entry.contact_no,
                contact_company_no=move.entry.contact_company_no,
                campaign_no=move.entry.campaign_no,
                segment_no=opportunity.segment_no,
            )
            activity = uow.activities.get(move.activity_code)
            self._tasks.assign_activity_in(uow, activity, base)


def _known(fields: Iterable[str]) -> None:
    unknown = sorted(set(fields) - _OPPORTUNITY_FIELDS)
    if unknown:
        raise ValidationError("fields", unknown, "unknown or not to be set")


def _required(value: Decimal | int | str | None, field: str) -> Decimal | int | str:
    if value is None:
        raise ValidationError(field, None, "must be filled in (§5.8)")
    return value


def _required_day(value: dt.date | None, field: str) -> dt.date:
    if value is None:
        raise ValidationError(field, None, "must be filled in (§5.8)")
    return value
