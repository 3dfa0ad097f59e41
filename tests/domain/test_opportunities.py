"""Sales cycles, opportunities and their entries (spec §5)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.opportunities import (
    ActionTaken,
    ActionType,
    Opportunity,
    OpportunityEntry,
    OpportunityPriority,
    OpportunityStatus,
    ProbabilityCalculation,
    SalesCycle,
    SalesCycleStage,
    SalesDocumentType,
    StageMove,
    active_entry,
    check_sales_cycle_deletion,
    default_action_type,
    default_target,
    stage_candidates,
    update_estimates,
)
from relationship_mgmt.domain.setup import CloseOpportunityCode
from relationship_mgmt.errors import (
    InUseError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)

D = Decimal
WON = CloseOpportunityCode(code="WON", type="Won")
LOST = CloseOpportunityCode(code="LOST", type="Lost")


def new_cycle(calculation: str = "Multiply") -> SalesCycle:
    """The §5.10 cycle NEW."""
    return SalesCycle(
        code="NEW",
        probability_calculation=calculation,
        stages=[
            SalesCycleStage(
                stage=1,
                description="Initial",
                completed_pct=10,
                chances_of_success_pct=25,
                date_formula="1W",
                activity_code="INIT",
            ),
            SalesCycleStage(
                stage=2,
                description="Presentation",
                completed_pct=25,
                chances_of_success_pct=50,
                date_formula="2W",
                allow_skip=True,
            ),
            SalesCycleStage(
                stage=3,
                description="Proposal",
                completed_pct=60,
                chances_of_success_pct=60,
                date_formula="2W",
                allow_skip=True,
                quote_required=True,
            ),
            SalesCycleStage(
                stage=4,
                description="Sign contract",
                completed_pct=90,
                chances_of_success_pct=80,
                date_formula="1W",
            ),
        ],
    )


def new_opp(**fields: object) -> Opportunity:
    values: dict[str, object] = {
        "no": "OP1",
        "contact_no": "CT1",
        "contact_company_no": "CT0",
        "salesperson_code": "JO",
        "sales_cycle_code": "NEW",
        "creation_date": date(2024, 3, 4),
    }
    values.update(fields)
    return Opportunity(**values)  # type: ignore[arg-type]


def started() -> tuple[Opportunity, SalesCycle, OpportunityEntry]:
    opp, cycle = new_opp(), new_cycle()
    move = opp.activate_first_stage(
        cycle,
        [],
        entry_no=1,
        date_of_change=date(2024, 3, 4),
        estimated_value=10000,
        chances_of_success_pct=40,
        estimated_close_date=date(2024, 4, 30),
    )
    return opp, cycle, move.entry


def entry(**fields: object) -> OpportunityEntry:
    values: dict[str, object] = {
        "entry_no": 1,
        "opportunity_no": "OP1",
        "sales_cycle_code": "NEW",
        "date_of_change": date(2024, 3, 4),
    }
    values.update(fields)
    return OpportunityEntry(**values)  # type: ignore[arg-type]


def status_of(opp: Opportunity) -> OpportunityStatus:
    """The status, read afresh (mypy keeps narrowing attributes across calls)."""
    return opp.status


# --- §5.10 worked example ------------------------------------------------------------


def test_worked_example_number_for_number() -> None:  # noqa: PLR0915
    opp, cycle = new_opp(), new_cycle()
    # 1. Create with Activate First Stage.
    first = opp.activate_first_stage(
        cycle,
        [],
        entry_no=1,
        date_of_change=date(2024, 3, 4),
        estimated_value=10000,
        chances_of_success_pct=40,
        estimated_close_date=date(2024, 4, 30),
    )
    e1 = first.entry
    assert (e1.entry_no, e1.sales_cycle_stage, e1.active) == (1, 1, True)
    assert e1.action_taken is ActionTaken.BLANK
    assert e1.chances_of_success_pct == 40
    assert e1.completed_pct == 10
    assert e1.probability_pct == 4
    assert e1.calcd_current_value == 400
    assert e1.estimated_close_date == date(2024, 4, 30)
    assert first.activity_code == "INIT"
    assert first.previous is None
    assert first.cancel_old_tasks is False
    assert opp.status is OpportunityStatus.IN_PROGRESS
    assert (e1.contact_no, e1.contact_company_no, e1.salesperson_code) == (
        "CT1",
        "CT0",
        "JO",
    )

    # 2. Update on 2024-03-11: candidates and default.
    candidates = stage_candidates(cycle, e1)
    assert candidates == {
        ActionType.FIRST: (),
        ActionType.NEXT: (2,),
        ActionType.PREVIOUS: (),
        ActionType.SKIP: (2, 3, 4),
        ActionType.UPDATE: (1,),
        ActionType.JUMP: (),
    }
    kind = default_action_type(candidates)
    assert kind is ActionType.NEXT
    assert default_target(kind, candidates) == 2
    second = opp.move(cycle, [e1], kind, entry_no=2, date_of_change=date(2024, 3, 11))
    e2 = second.entry
    assert e2.chances_of_success_pct == 50
    assert e2.probability_pct == D("12.5")
    assert e2.calcd_current_value == 1250
    assert e2.estimated_close_date == date(2024, 4, 30)
    assert e2.action_taken is ActionTaken.NEXT
    assert e2.previous_sales_cycle_stage == 1
    assert second.previous is not None
    assert second.previous.active is False
    assert second.previous.days_open == 7
    assert second.activity_code is None

    # 3. Skip from stage 2, user picks 4.
    candidates = stage_candidates(cycle, e2)
    assert candidates[ActionType.SKIP] == (3, 4)
    assert default_target(ActionType.SKIP, candidates) == 3
    third = opp.move(
        cycle,
        [second.previous, e2],
        ActionType.SKIP,
        stage=4,
        entry_no=3,
        date_of_change=date(2024, 3, 18),
        chances_of_success_pct=50,
    )
    e3 = third.entry
    assert e3.action_taken is ActionTaken.JUMPED
    assert e3.chances_of_success_pct == 80
    assert e3.probability_pct == 72
    assert e3.calcd_current_value == 7200
    # Choosing 3 as the target would need a quote and be written as Next.
    with pytest.raises(ValidationError, match="quote"):
        copy.deepcopy(opp).move(
            cycle,
            [second.previous, e2],
            ActionType.SKIP,
            stage=3,
            entry_no=3,
            date_of_change=date(2024, 3, 18),
        )
    via_quote = copy.deepcopy(opp).move(
        cycle,
        [second.previous, e2],
        ActionType.SKIP,
        stage=3,
        entry_no=3,
        date_of_change=date(2024, 3, 18),
        quote_no="SQ1",
    )
    assert via_quote.entry.action_taken is ActionTaken.NEXT

    # 4. Close as Won with no quote, Sales (LCY) 9,500.
    assert third.previous is not None
    closing = opp.close(
        [second.previous, third.previous, e3],
        WON,
        entry_no=4,
        date_of_change=date(2024, 3, 25),
        sales_lcy=9500,
    )
    e4 = closing.entry
    assert e4.calcd_current_value == 9500
    assert (e4.completed_pct, e4.chances_of_success_pct, e4.probability_pct) == (
        D(100),
        D(100),
        D(100),
    )
    assert e4.action_taken is ActionTaken.WON
    assert e4.close_opportunity_code == "WON"
    assert e4.date_closed == e4.estimated_close_date == date(2024, 3, 25)
    assert e4.sales_cycle_stage is None
    assert e4.previous_sales_cycle_stage == 4
    assert closing.previous is not None
    assert closing.previous.days_open == 7
    assert closing.activity_code is None
    assert closing.cancel_old_tasks is True
    assert status_of(opp) is OpportunityStatus.WON
    assert opp.closed is True
    assert opp.date_closed == date(2024, 3, 25)


# --- sales cycles (§5.1, §5.2) --------------------------------------------------------


def test_stage_fields_are_validated() -> None:
    stage = SalesCycleStage(stage=1, date_formula=DateFormula.parse("1W"))
    assert str(stage.date_formula) == "1W"
    assert SalesCycleStage(stage=1).date_formula == DateFormula()
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=0)
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=True)
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, completed_pct=101)
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, completed_pct=-1)
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, completed_pct=1.5)
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, completed_pct="abc")
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, completed_pct="NaN")
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, date_formula=7)
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, allow_skip="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        SalesCycleStage(stage=1, activity_code=5)


def test_cycle_sorts_and_checks_stages() -> None:
    cycle = SalesCycle(code=" x ", stages=[SalesCycleStage(stage=5)])
    assert cycle.code == "X"
    with pytest.raises(ValidationError, match="twice"):
        SalesCycle(code="X", stages=[SalesCycleStage(stage=1)] * 2)
    with pytest.raises(ValidationError):
        SalesCycle(code="X", stages="12")
    with pytest.raises(ValidationError):
        SalesCycle(code="X", stages=[1])
    with pytest.raises(ValidationError):
        SalesCycle(code=" ")
    with pytest.raises(ValidationError):
        SalesCycle(code=1)
    with pytest.raises(ValidationError):
        SalesCycle(code="X", probability_calculation="Guess")


def test_cycle_change_and_stage_editing() -> None:
    cycle = new_cycle()
    cycle.change(description="New business")
    assert cycle.description == "New business"
    with pytest.raises(ValidationError):
        cycle.change(code="OTHER")
    with pytest.raises(ValidationError):
        cycle.change(colour="red")
    with pytest.raises(ValidationError):
        cycle.change(blocked="no")
    assert cycle.description == "New business"
    cycle.set_stage(SalesCycleStage(stage=2, description="Demo"))
    assert cycle.stage(2).description == "Demo"
    cycle.set_stage(SalesCycleStage(stage=0 + 5))
    assert [s.stage for s in cycle.stages] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError):
        cycle.set_stage("stage")  # type: ignore[arg-type]
    with pytest.raises(InUseError):
        cycle.remove_stage(2, active_entries=1)
    with pytest.raises(NotFoundError):
        cycle.remove_stage(9, active_entries=0)
    cycle.remove_stage(5, active_entries=0)
    assert [s.stage for s in cycle.stages] == [1, 2, 3, 4]
    assert copy.deepcopy(cycle) == cycle


def test_blocked_cycle_and_deletion() -> None:
    cycle = SalesCycle(code="C", blocked=True)
    with pytest.raises(ValidationError, match="blocked"):
        cycle.ensure_assignable()
    with pytest.raises(InUseError):
        check_sales_cycle_deletion(cycle, no_of_opportunities=2)


# --- estimates (§5.5) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("calculation", "probability"),
    [
        (ProbabilityCalculation.MULTIPLY, D("12")),
        (ProbabilityCalculation.ADD, D("35")),
        (ProbabilityCalculation.CHANCES_OF_SUCCESS, D("40")),
        (ProbabilityCalculation.COMPLETED, D("30")),
    ],
)
def test_probability_calculations(
    calculation: ProbabilityCalculation, probability: Decimal
) -> None:
    cycle = SalesCycle(
        code="C",
        probability_calculation=calculation,
        stages=[SalesCycleStage(stage=1, completed_pct=30, chances_of_success_pct=50)],
    )
    result = update_estimates(
        entry(
            sales_cycle_code="C",
            sales_cycle_stage=1,
            estimated_value=200,
            chances_of_success_pct=40,
        ),
        cycle,
    )
    assert result.probability_pct == probability
    assert result.calcd_current_value == 200 * probability / 100


def test_chances_default_from_stage_when_zero_or_jump_or_skip() -> None:
    cycle = new_cycle()
    base = entry(sales_cycle_stage=2, estimated_value=100)
    assert update_estimates(base, cycle).chances_of_success_pct == 50
    given = entry(sales_cycle_stage=2, chances_of_success_pct=10)
    assert update_estimates(given, cycle).chances_of_success_pct == 10
    for kind in (ActionType.JUMP, ActionType.SKIP):
        forced = entry(sales_cycle_stage=2, chances_of_success_pct=10, action_type=kind)
        assert update_estimates(forced, cycle).chances_of_success_pct == 50
    zero_stage = SalesCycle(code="NEW", stages=[SalesCycleStage(stage=1)])
    kept = entry(sales_cycle_stage=1, chances_of_success_pct=10, action_type="Jump")
    assert update_estimates(kept, zero_stage).chances_of_success_pct == 10


def test_estimated_close_date_from_formula_only_when_blank_or_same_day() -> None:
    cycle = new_cycle()
    blank = update_estimates(entry(sales_cycle_stage=2), cycle)
    assert blank.estimated_close_date == date(2024, 3, 18)
    same = update_estimates(
        entry(sales_cycle_stage=2, estimated_close_date=date(2024, 3, 4)), cycle
    )
    assert same.estimated_close_date == date(2024, 3, 18)
    other = update_estimates(
        entry(sales_cycle_stage=2, estimated_close_date=date(2024, 3, 5)), cycle
    )
    assert other.estimated_close_date == date(2024, 3, 5)


def test_estimates_without_stage_and_won_lost_overrides() -> None:
    cycle = new_cycle()
    unknown = entry(sales_cycle_stage=9, chances_of_success_pct=5)
    assert update_estimates(unknown, cycle) == unknown
    assert update_estimates(unknown, None) == unknown
    won = entry(action_taken="Won", calcd_current_value=5)
    result = update_estimates(won, None, quote_amount=D(700))
    assert result.calcd_current_value == 700
    assert result.probability_pct == 100
    assert update_estimates(won, None).calcd_current_value == 5
    lost = update_estimates(
        entry(action_taken="Lost", calcd_current_value=5, chances_of_success_pct=9),
        cycle,
    )
    assert (lost.calcd_current_value, lost.completed_pct) == (D(0), D(100))
    assert (lost.chances_of_success_pct, lost.probability_pct) == (D(0), D(0))
    with pytest.raises(ValidationError):
        update_estimates(entry(sales_cycle_code="OTHER"), cycle)


def test_entry_fields_are_validated() -> None:
    with pytest.raises(ValidationError):
        entry(entry_no=0)
    with pytest.raises(ValidationError):
        entry(opportunity_no="")
    with pytest.raises(ValidationError):
        entry(sales_cycle_stage=0)
    with pytest.raises(ValidationError):
        entry(previous_sales_cycle_stage=-1)
    with pytest.raises(ValidationError):
        entry(days_open=-1)
    with pytest.raises(ValidationError):
        entry(days_open=True)
    with pytest.raises(ValidationError):
        entry(date_of_change=datetime(2024, 3, 4, 10, 0, tzinfo=UTC))
    with pytest.raises(ValidationError):
        entry(date_closed="2024-03-04")
    with pytest.raises(ValidationError):
        entry(action_taken="Skipped")
    with pytest.raises(ValidationError):
        entry(estimated_value="Infinity")
    with pytest.raises(ValidationError):
        entry(contact_no=["CT1"])
    ok = entry(date_closed=date(2024, 3, 5), estimated_value="12.50", contact_no=" ")
    assert ok.estimated_value == D("12.50")
    assert ok.contact_no is None


def test_active_entry() -> None:
    one = entry(active=True)
    assert active_entry([entry(entry_no=2), one]) is one
    with pytest.raises(ValidationError, match="more than one"):
        active_entry([one, entry(entry_no=2, active=True)])


# --- stage lists (§5.6) --------------------------------------------------------------


def test_candidates_without_active_entry() -> None:
    cycle = new_cycle()
    candidates = stage_candidates(cycle, None)
    assert candidates[ActionType.FIRST] == (1,)
    assert candidates[ActionType.SKIP] == ()
    assert default_action_type(candidates) is ActionType.FIRST
    skippy = SalesCycle(
        code="S",
        stages=[SalesCycleStage(stage=n, allow_skip=True) for n in (1, 2)],
    )
    assert stage_candidates(skippy, None)[ActionType.SKIP] == (1, 2)
    empty = stage_candidates(SalesCycle(code="E"), None)
    assert not any(empty.values())
    assert default_action_type(empty) is ActionType.BLANK
    assert default_target(ActionType.FIRST, empty) is None


def test_candidates_at_the_last_stage() -> None:
    cycle = new_cycle()
    candidates = stage_candidates(cycle, entry(sales_cycle_stage=4, active=True))
    assert candidates[ActionType.NEXT] == ()
    assert candidates[ActionType.PREVIOUS] == (3,)
    assert candidates[ActionType.JUMP] == (1, 2, 3)
    assert candidates[ActionType.SKIP] == ()
    assert default_action_type(candidates) is ActionType.UPDATE
    assert default_target(ActionType.JUMP, candidates) == 3


def test_candidates_when_the_active_stage_is_gone() -> None:
    cycle = new_cycle()
    candidates = stage_candidates(cycle, entry(sales_cycle_stage=7, active=True))
    assert candidates[ActionType.FIRST] == ()
    assert candidates[ActionType.UPDATE] == ()
    assert candidates[ActionType.SKIP] == ()


def test_default_action_type_order() -> None:
    assert default_action_type({ActionType.PREVIOUS: (1,)}) is ActionType.PREVIOUS
    assert default_action_type({ActionType.SKIP: (2,)}) is ActionType.BLANK
    assert default_action_type({ActionType.JUMP: (1, 2)}) is ActionType.JUMP
    assert default_action_type({ActionType.JUMP: (1,)}) is ActionType.BLANK


# --- moves (§5.6) --------------------------------------------------------------------


def test_previous_jump_and_update() -> None:
    opp, cycle, e1 = started()
    nxt = opp.move(cycle, [e1], "Next", entry_no=2, date_of_change=date(2024, 3, 5))
    assert nxt.previous is not None
    history = [nxt.previous, nxt.entry]
    third = opp.move(
        cycle,
        history,
        "Next",
        entry_no=3,
        date_of_change=date(2024, 3, 6),
        quote_no="SQ1",
        cancel_old_tasks=True,
    )
    assert third.cancel_old_tasks is True
    assert third.entry.cancel_old_task is True
    assert third.previous is not None
    history = [nxt.previous, third.previous, third.entry]
    back = copy.deepcopy(opp).move(
        cycle, history, ActionType.PREVIOUS, entry_no=4, date_of_change=date(2024, 3, 7)
    )
    assert back.entry.sales_cycle_stage == 2
    assert back.entry.action_taken is ActionTaken.PREVIOUS
    jump_prev = copy.deepcopy(opp).move(
        cycle, history, ActionType.JUMP, entry_no=4, date_of_change=date(2024, 3, 7)
    )
    assert jump_prev.entry.action_taken is ActionTaken.PREVIOUS
    jump = copy.deepcopy(opp).move(
        cycle,
        history,
        ActionType.JUMP,
        stage=1,
        entry_no=4,
        date_of_change=date(2024, 3, 7),
        chances_of_success_pct=70,
    )
    assert jump.entry.action_taken is ActionTaken.JUMPED
    assert jump.entry.chances_of_success_pct == 25  # Jump forces the stage's chances
    assert jump.activity_code == "INIT"
    update = opp.move(
        cycle,
        history,
        ActionType.UPDATE,
        entry_no=4,
        date_of_change=date(2024, 3, 7),
        estimated_value=20000,
        chances_of_success_pct=65,
        estimated_close_date=date(2024, 5, 31),
        cancel_old_tasks=True,
    )
    assert update.entry.action_taken is ActionTaken.UPDATED
    assert update.entry.sales_cycle_stage == 3
    assert update.entry.probability_pct == D("39")
    assert update.entry.calcd_current_value == 7800
    assert update.activity_code is None
    assert update.cancel_old_tasks is False


def test_move_refusals() -> None:
    opp, cycle, e1 = started()
    day = date(2024, 3, 11)
    with pytest.raises(InvalidTransitionError):
        opp.move(cycle, [e1], ActionType.PREVIOUS, entry_no=2, date_of_change=day)
    with pytest.raises(InvalidTransitionError):
        opp.move(cycle, [e1], ActionType.BLANK, entry_no=2, date_of_change=day)
    with pytest.raises(InvalidTransitionError):
        opp.move(cycle, [e1], ActionType.SKIP, stage=1, entry_no=2, date_of_change=day)
    with pytest.raises(InvalidTransitionError):
        opp.move(cycle, [e1], ActionType.FIRST, entry_no=2, date_of_change=day)
    with pytest.raises(ValidationError):
        opp.move(cycle, [e1], "Sideways", entry_no=2, date_of_change=day)
    with pytest.raises(ValidationError, match="after last Date of change"):
        opp.move(cycle, [e1], "Next", entry_no=2, date_of_change=date(2024, 3, 3))
    with pytest.raises(ValidationError, match="follow"):
        opp.move(cycle, [e1], "Next", entry_no=1, date_of_change=day)
    with pytest.raises(ValidationError, match="another"):
        opp.move(
            cycle, [entry(opportunity_no="OP2")], "Next", entry_no=2, date_of_change=day
        )
    with pytest.raises(ValidationError, match="cycle"):
        opp.move(SalesCycle(code="X"), [e1], "Next", entry_no=2, date_of_change=day)
    with pytest.raises(ValidationError, match="greater than 0"):
        opp.move(cycle, [e1], "Next", entry_no=2, date_of_change=day, estimated_value=0)
    with pytest.raises(ValidationError, match="greater than 0"):
        opp.move(
            cycle,
            [e1],
            "Next",
            entry_no=2,
            date_of_change=day,
            chances_of_success_pct=0,
        )
    with pytest.raises(ValidationError, match="has to be later than this change"):
        opp.move(
            cycle,
            [e1],
            "Next",
            entry_no=2,
            date_of_change=day,
            estimated_close_date=date(2024, 3, 10),
        )
    assert opp.status is OpportunityStatus.IN_PROGRESS


def test_move_needs_values_without_an_active_entry() -> None:
    opp, cycle = new_opp(), new_cycle()
    day = date(2024, 3, 4)
    with pytest.raises(ValidationError, match="greater than 0"):
        opp.move(cycle, [], ActionType.FIRST, entry_no=1, date_of_change=day)
    with pytest.raises(ValidationError, match="filled in"):
        opp.move(
            cycle,
            [],
            ActionType.FIRST,
            entry_no=1,
            date_of_change=day,
            estimated_value=5,
        )
    assert opp.status is OpportunityStatus.NOT_STARTED
    move = opp.move(
        cycle,
        [],
        ActionType.FIRST,
        entry_no=1,
        date_of_change=day,
        estimated_value=5,
        estimated_close_date=day,
        cancel_old_tasks=True,
    )
    # Chances pre-filled from the stage; close date = the day: from the formula.
    assert move.entry.chances_of_success_pct == 25
    assert move.entry.estimated_close_date == date(2024, 3, 11)
    assert move.cancel_old_tasks is False


def test_activate_first_stage_refusals() -> None:
    opp, cycle, e1 = started()
    kwargs: dict[str, object] = {
        "entry_no": 2,
        "date_of_change": date(2024, 3, 4),
        "estimated_value": 1,
        "chances_of_success_pct": 1,
        "estimated_close_date": date(2024, 3, 4),
    }
    with pytest.raises(InvalidTransitionError):
        opp.activate_first_stage(cycle, [e1], **kwargs)  # type: ignore[arg-type]
    empty = new_opp(sales_cycle_code="E")
    with pytest.raises(NotFoundError):
        empty.activate_first_stage(SalesCycle(code="E"), [], **kwargs)  # type: ignore[arg-type]


# --- close (§5.7) --------------------------------------------------------------------


def test_close_lost_and_with_quote() -> None:
    opp, _, e1 = started()
    lost = copy.deepcopy(opp)
    move = lost.close([e1], LOST, entry_no=2, date_of_change=date(2024, 3, 8))
    assert move.entry.action_taken is ActionTaken.LOST
    assert move.entry.calcd_current_value == 0
    assert move.entry.estimated_value == 10000
    assert lost.status is OpportunityStatus.LOST
    quoted = opp.close(
        [e1],
        WON,
        entry_no=2,
        date_of_change=date(2024, 3, 8),
        quote_amount="8000",
        cancel_old_tasks=False,
    )
    assert quoted.entry.calcd_current_value == 8000
    assert quoted.cancel_old_tasks is False


def test_close_refusals() -> None:
    opp, _, e1 = started()
    with pytest.raises(ValidationError, match="greater than 0"):
        opp.close([e1], WON, entry_no=2, date_of_change=date(2024, 3, 8))
    with pytest.raises(ValidationError, match="after last Date of change"):
        opp.close([e1], LOST, entry_no=2, date_of_change=date(2024, 3, 1))
    assert opp.status is OpportunityStatus.IN_PROGRESS


def test_not_started_opportunity_can_be_closed() -> None:
    opp = new_opp()
    move = opp.close([], LOST, entry_no=1, date_of_change=date(2024, 3, 8))
    assert move.previous is None
    assert move.entry.estimated_value == 0
    assert opp.closed


def test_closed_opportunity_refuses_every_change() -> None:
    opp, cycle, e1 = started()
    closing = opp.close([e1], LOST, entry_no=2, date_of_change=date(2024, 3, 8))
    history = [closing.entry]
    assert closing.previous is not None
    history.insert(0, closing.previous)
    before = copy.deepcopy(opp)
    with pytest.raises(InvalidTransitionError):
        opp.move(cycle, history, "Update", entry_no=3, date_of_change=date(2024, 3, 9))
    with pytest.raises(InvalidTransitionError):
        opp.close(history, WON, entry_no=3, date_of_change=date(2024, 3, 9))
    with pytest.raises(InvalidTransitionError):
        opp.change(description="x")
    with pytest.raises(InvalidTransitionError):
        opp.activate_first_stage(
            cycle,
            history,
            entry_no=3,
            date_of_change=date(2024, 3, 9),
            estimated_value=1,
            chances_of_success_pct=1,
            estimated_close_date=date(2024, 3, 9),
        )
    assert opp == before
    opp.check_deletion()


# --- the opportunity record (§5.4) ----------------------------------------------------


def test_opportunity_fields_and_consistency() -> None:
    opp = new_opp(priority="Low", sales_document_type="Quote", sales_document_no="sq1")
    assert opp.priority is OpportunityPriority.LOW
    assert opp.sales_document_type is SalesDocumentType.QUOTE
    assert opp.sales_document_no == "SQ1"
    assert copy.deepcopy(opp) == opp
    with pytest.raises(ValidationError):
        new_opp(no="")
    with pytest.raises(ValidationError):
        new_opp(status="Won")
    with pytest.raises(ValidationError):
        new_opp(closed=True)
    with pytest.raises(ValidationError):
        new_opp(status="Paused")
    closed = new_opp(status="Lost", closed=True, date_closed=date(2024, 3, 5))
    assert closed.closed


def test_change() -> None:
    opp = new_opp()
    opp.change(contact_no="CT9", contact_company_no="CT8")  # not started: any company
    assert opp.contact_no == "CT9"
    with pytest.raises(ValidationError, match="cannot be changed"):
        opp.change(status="Won")
    with pytest.raises(ValidationError):
        opp.change(nonsense=1)
    opp, _, _ = started()
    with pytest.raises(ValidationError, match="another company"):
        opp.change(contact_no="CT5", contact_company_no="CT6")
    with pytest.raises(ValidationError, match="another company"):
        opp.change(contact_no="CT5", contact_company_no=None)
    opp.change(contact_no="CT2", salesperson_code="ap")
    assert (opp.contact_no, opp.salesperson_code) == ("CT2", "AP")


def test_sync_entry_and_deletion() -> None:
    opp, _, e1 = started()
    opp.change(salesperson_code="AP", campaign_no="CP1")
    synced = opp.sync_entry(e1)
    assert (synced.salesperson_code, synced.campaign_no) == ("AP", "CP1")
    with pytest.raises(ValidationError):
        opp.sync_entry(entry(opportunity_no="OP2"))
    with pytest.raises(InvalidTransitionError):
        opp.check_deletion()
    new_opp().check_deletion()


def test_stage_move_is_a_value() -> None:
    _, _, e1 = started()
    move = StageMove(
        entry=e1, previous=None, activity_code=None, cancel_old_tasks=False
    )
    assert move == StageMove(
        entry=e1, previous=None, activity_code=None, cancel_old_tasks=False
    )
