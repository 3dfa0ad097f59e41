"""Properties of opportunities: the §5.5-§5.7 state machine over random actions."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from relationship_mgmt.domain.opportunities import (
    ActionType,
    Opportunity,
    OpportunityEntry,
    OpportunityStatus,
    ProbabilityCalculation,
    SalesCycle,
    SalesCycleStage,
    StageMove,
    active_entry,
    default_action_type,
    stage_candidates,
    update_estimates,
)
from relationship_mgmt.domain.setup import CloseOpportunityCode
from relationship_mgmt.errors import DomainError

START = date(2024, 3, 4)
percent = st.integers(min_value=0, max_value=100)
stage_rows = st.lists(
    st.tuples(percent, percent, st.booleans(), st.booleans()), min_size=1, max_size=5
)


def _cycle(rows: list[tuple[int, int, bool, bool]], calc: str) -> SalesCycle:
    return SalesCycle(
        code="C",
        probability_calculation=calc,
        stages=[
            SalesCycleStage(
                stage=10 * (n + 1),
                completed_pct=done,
                chances_of_success_pct=chances,
                allow_skip=skip,
                quote_required=quote,
                date_formula=f"{n + 1}W",
            )
            for n, (done, chances, skip, quote) in enumerate(rows)
        ],
    )


class OpportunityLifecycle(RuleBasedStateMachine):
    """Random first/next/previous/skip/jump/update/close sequences on one opportunity."""

    def __init__(self) -> None:
        super().__init__()
        self.opp = Opportunity(
            no="OP1", contact_no="CT1", sales_cycle_code="C", creation_date=START
        )
        self.cycle = _cycle([(10, 25, False, False)], "Multiply")
        self.entries: list[OpportunityEntry] = []
        self.day = START
        self.configured = False

    @precondition(lambda self: not self.configured)
    @rule(rows=stage_rows, calc=st.sampled_from(list(ProbabilityCalculation)))
    def configure(self, rows: list[tuple[int, int, bool, bool]], calc: str) -> None:
        self.cycle = _cycle(rows, calc)
        self.configured = True

    def _apply(self, move: StageMove) -> None:
        if move.previous is not None:
            self.entries = [
                move.previous if e.entry_no == move.previous.entry_no else e
                for e in self.entries
            ]
        self.entries.append(move.entry)

    def _next_no(self) -> int:
        return len(self.entries) + 1

    @rule(
        kind=st.sampled_from([a for a in ActionType if a is not ActionType.BLANK]),
        pick=st.integers(min_value=0, max_value=5),
        days=st.integers(min_value=0, max_value=20),
        value=st.integers(min_value=-5, max_value=10**6),
        chances=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
        quote=st.sampled_from([None, "SQ1"]),
        ahead=st.integers(min_value=-3, max_value=60),
    )
    def move(
        self,
        *,
        kind: ActionType,
        pick: int,
        days: int,
        value: int,
        chances: int | None,
        quote: str | None,
        ahead: int,
    ) -> None:
        day = self.day + timedelta(days=days)
        candidates = stage_candidates(self.cycle, active_entry(self.entries))
        options = candidates[kind]
        stage = options[pick % len(options)] if options else None
        before = copy.deepcopy(self.opp)
        try:
            result = self.opp.move(
                self.cycle,
                self.entries,
                kind,
                entry_no=self._next_no(),
                date_of_change=day,
                stage=stage,
                estimated_value=value,
                chances_of_success_pct=chances,
                estimated_close_date=day + timedelta(days=ahead),
                quote_no=quote,
            )
        except DomainError:
            assert self.opp == before
            return
        assert not before.closed
        assert result.entry.sales_cycle_stage in options
        self.day = day
        self._apply(result)

    @rule(
        won=st.booleans(),
        days=st.integers(min_value=-2, max_value=20),
        sales=st.integers(min_value=-5, max_value=10**6),
    )
    def close(self, *, won: bool, days: int, sales: int) -> None:
        code = CloseOpportunityCode(code="X", type="Won" if won else "Lost")
        day = self.day + timedelta(days=days)
        before = copy.deepcopy(self.opp)
        try:
            result = self.opp.close(
                self.entries,
                code,
                entry_no=self._next_no(),
                date_of_change=day,
                sales_lcy=sales,
            )
        except DomainError:
            assert self.opp == before
            return
        assert not before.closed
        self.day = day
        self._apply(result)

    @invariant()
    def status_and_probability_agree(self) -> None:
        active = active_entry(self.entries)
        status = self.opp.status
        if status is OpportunityStatus.NOT_STARTED:
            assert self.entries == []
        else:
            assert active is not None
            assert active is self.entries[-1]
        if status is OpportunityStatus.WON:
            assert active is not None
            assert active.probability_pct == 100
            assert active.calcd_current_value > 0
        if status is OpportunityStatus.LOST:
            assert active is not None
            assert active.probability_pct == 0
            assert active.calcd_current_value == 0
        if status is OpportunityStatus.IN_PROGRESS:
            assert active is not None
            assert active.sales_cycle_stage is not None
            assert 0 < active.chances_of_success_pct <= 100
        assert self.opp.closed == (self.opp.date_closed is not None)

    @invariant()
    def exactly_one_active_entry_and_bounded_values(self) -> None:
        assert sum(e.active for e in self.entries) == (1 if self.entries else 0)
        for e in self.entries:
            assert 0 <= e.probability_pct <= 100
            if e.action_taken not in {"Won", "Lost"}:
                assert 0 <= e.calcd_current_value <= e.estimated_value
                assert e.estimated_close_date is not None
                assert e.estimated_close_date >= e.date_of_change
        numbers = [e.entry_no for e in self.entries]
        assert numbers == list(range(1, len(numbers) + 1))
        for older, newer in zip(self.entries, self.entries[1:], strict=False):
            assert older.days_open == (newer.date_of_change - older.date_of_change).days

    @invariant()
    def closed_is_final(self) -> None:
        if self.opp.closed:
            assert self.entries[-1].action_taken in {"Won", "Lost"}
            assert self.opp.date_closed == self.entries[-1].date_closed


OpportunityLifecycle.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None
)
TestOpportunityLifecycle = OpportunityLifecycle.TestCase


@given(rows=stage_rows)
def test_default_action_always_has_a_candidate(
    rows: list[tuple[int, int, bool, bool]],
) -> None:
    cycle = _cycle(rows, "Multiply")
    for current in [None, *(s.stage for s in cycle.stages)]:
        active = (
            None
            if current is None
            else OpportunityEntry(
                entry_no=1,
                opportunity_no="O",
                sales_cycle_stage=current,
                date_of_change=START,
                active=True,
            )
        )
        candidates = stage_candidates(cycle, active)
        kind = default_action_type(candidates)
        assert kind is not ActionType.BLANK
        assert candidates[kind]
        for kind_stages in candidates.values():
            assert list(kind_stages) == sorted(kind_stages)


@given(
    calc=st.sampled_from(list(ProbabilityCalculation)),
    done=percent,
    chances=percent,
    stage_chances=percent,
    value=st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_estimates_stay_within_bounds(
    calc: ProbabilityCalculation,
    done: int,
    chances: int,
    stage_chances: int,
    value: Decimal,
) -> None:
    cycle = _cycle([(done, stage_chances, False, False)], calc)
    entry = update_estimates(
        OpportunityEntry(
            entry_no=1,
            opportunity_no="O",
            sales_cycle_code="C",
            sales_cycle_stage=10,
            date_of_change=START,
            estimated_value=value,
            chances_of_success_pct=chances,
        ),
        cycle,
    )
    assert 0 <= entry.probability_pct <= 100
    assert 0 <= entry.calcd_current_value <= value
