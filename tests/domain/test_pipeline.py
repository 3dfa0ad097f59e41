"""The pipeline, totals and time in stage over opportunity entries (§5.9)."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.opportunities import ActionTaken, OpportunityEntry
from relationship_mgmt.domain.pipeline import (
    OpportunityTotals,
    PipelineRow,
    entry_in_force,
    in_pipeline,
    pipeline_of,
    quantile,
    rows_from_sums,
    stage_durations_of,
    sum_rows,
    totals_of,
)
from relationship_mgmt.errors import ValidationError

DAY = date(2024, 3, 4)


def entry(no: int, opportunity: str = "OP1", **fields: object) -> OpportunityEntry:
    values: dict[str, object] = {
        "sales_cycle_code": "NEW",
        "sales_cycle_stage": 1,
        "date_of_change": DAY,
        **fields,
    }
    return OpportunityEntry(entry_no=no, opportunity_no=opportunity, **values)  # type: ignore[arg-type]


def test_the_worked_example_of_5_10_seen_on_each_day() -> None:
    """Entries 1-4 of §5.10: the funnel on each day follows the entry in force."""
    history = [
        entry(
            1,
            days_open=7,
            estimated_value=10000,
            chances_of_success_pct=40,
            calcd_current_value=400,
        ),
        entry(
            2,
            sales_cycle_stage=2,
            date_of_change=DAY + timedelta(7),
            days_open=7,
            estimated_value=10000,
            chances_of_success_pct=50,
            calcd_current_value=1250,
        ),
        entry(
            3,
            sales_cycle_stage=4,
            date_of_change=DAY + timedelta(14),
            days_open=7,
            estimated_value=10000,
            chances_of_success_pct=80,
            calcd_current_value=7200,
        ),
        entry(
            4,
            sales_cycle_stage=None,
            date_of_change=DAY + timedelta(21),
            active=True,
            action_taken=ActionTaken.WON,
            estimated_value=10000,
            calcd_current_value=9500,
        ),
    ]

    def funnel(as_of: date | None) -> list[tuple[int, Decimal, Decimal]]:
        return [
            (row.stage, row.calcd_current_value, row.weighted_value)
            for row in pipeline_of(history, as_of=as_of)
        ]

    assert funnel(DAY - timedelta(1)) == []
    assert funnel(DAY) == [(1, Decimal(400), Decimal(4000))]
    assert funnel(DAY + timedelta(13)) == [(2, Decimal(1250), Decimal(5000))]
    assert funnel(DAY + timedelta(14)) == [(4, Decimal(7200), Decimal(8000))]
    assert funnel(DAY + timedelta(21)) == []
    assert funnel(None) == []  # won: out of the pipeline, into the totals
    won = totals_of(history, "sales_cycle_code")
    assert won == [
        OpportunityTotals(
            key="NEW",
            no_of_opportunities=1,
            estimated_value=Decimal(10000),
            calcd_current_value=Decimal(9500),
        )
    ]
    durations = stage_durations_of(history)
    assert [(d.stage, d.left, d.median_days, d.p90_days) for d in durations] == [
        (1, 1, 7.0, 7.0),
        (2, 1, 7.0, 7.0),
        (4, 1, 7.0, 7.0),
    ]


def test_two_moves_on_one_day_the_later_counts() -> None:
    """§5.5 InsertEntry: the later entry supersedes the earlier on its day."""
    rows = [entry(1), entry(2, sales_cycle_stage=2)]
    assert entry_in_force(rows, DAY).entry_no == 2  # type: ignore[union-attr]
    assert [r.stage for r in pipeline_of(rows, as_of=DAY)] == [2]


def test_filters_pick_the_cycle_and_the_salesperson_at_the_time() -> None:
    rows = [
        entry(1, salesperson_code="JO", active=True),
        entry(2, "OP2", sales_cycle_code="BIG", salesperson_code="ANN", active=True),
    ]
    assert [r.sales_cycle_code for r in pipeline_of(rows)] == ["BIG", "NEW"]
    assert [r.sales_cycle_code for r in pipeline_of(rows, sales_cycle_code="BIG")] == [
        "BIG"
    ]
    assert [r.sales_cycle_code for r in pipeline_of(rows, salesperson_code="JO")] == [
        "NEW"
    ]


def test_entries_outside_a_stage_or_closing_are_not_in_the_pipeline() -> None:
    assert not in_pipeline(entry(1, sales_cycle_stage=None))
    assert not in_pipeline(entry(1, sales_cycle_code=None))
    assert not in_pipeline(entry(1, action_taken=ActionTaken.LOST))
    assert in_pipeline(entry(1, action_taken=ActionTaken.JUMPED))


def test_totals_group_with_the_blank_group_first_and_averages() -> None:
    """§5.9: averages of the salesperson statistics; inactive entries do not count."""
    rows = [
        entry(
            1,
            salesperson_code="JO",
            active=True,
            estimated_value=300,
            calcd_current_value=30,
        ),
        entry(2, "OP2", active=True, estimated_value=100),
        entry(
            3,
            "OP3",
            salesperson_code="JO",
            active=True,
            estimated_value=100,
            calcd_current_value=10,
        ),
        entry(4, "OP4", salesperson_code="JO", estimated_value=999),
    ]
    found = totals_of(rows, "salesperson_code")
    assert [(t.key, t.no_of_opportunities) for t in found] == [(None, 1), ("JO", 2)]
    assert (found[1].avg_estimated_value, found[1].avg_calcd_current_value) == (
        Decimal(200),
        Decimal(20),
    )
    assert OpportunityTotals(key=None).avg_estimated_value == 0
    with pytest.raises(ValidationError):
        totals_of(rows, "description")


def test_counts_must_be_whole_numbers() -> None:
    with pytest.raises(ValidationError):
        PipelineRow(sales_cycle_code="NEW", stage=1, count=-1)
    with pytest.raises(ValidationError):
        OpportunityTotals(key=None, no_of_opportunities=True)


def test_sum_rows_totals_every_column() -> None:
    rows = [
        PipelineRow(
            sales_cycle_code="A",
            stage=1,
            count=1,
            estimated_value=Decimal(1),
            calcd_current_value=Decimal(2),
            weighted_value=Decimal(3),
        ),
        PipelineRow(
            sales_cycle_code="A",
            stage=2,
            count=2,
            estimated_value=Decimal(4),
            calcd_current_value=Decimal(5),
            weighted_value=Decimal(6),
        ),
    ]
    total = sum_rows(rows)
    assert (total.count, total.description) == (3, "Total")
    assert (total.estimated_value, total.calcd_current_value, total.weighted_value) == (
        Decimal(5),
        Decimal(7),
        Decimal(9),
    )


def test_empty_stages_are_dropped_from_sums() -> None:
    zero = [Decimal(0)] * 4
    assert rows_from_sums({("A", 1): zero}) == []


def test_quantile_refuses_p_outside_0_1_and_empty_histograms() -> None:
    with pytest.raises(ValidationError):
        quantile({1: 1}, 1.5)
    assert quantile({}, 0.5) is None


@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=40),
    st.sampled_from([0, 0.25, 0.5, 0.9, 1]),
)
def test_quantile_agrees_with_statistics_quantiles(values: list[int], p: float) -> None:
    """Linear interpolation at rank (n - 1) p: Python's 'inclusive' method."""
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    if len(values) == 1 or p in (0, 1):
        expected = float(sorted(values)[round((len(values) - 1) * p)])
    else:
        cuts = statistics.quantiles(
            values, n=100 if p != 0.25 else 4, method="inclusive"
        )
        expected = cuts[int(p * 100) - 1] if p != 0.25 else cuts[0]
    assert quantile(histogram, p) == pytest.approx(expected)


def test_entries_in_any_order_give_the_same_funnel() -> None:
    """The entry in force is the highest number dated on or before the day."""
    rows = [entry(1), entry(2, sales_cycle_stage=2), entry(3, sales_cycle_stage=3)]
    for order in (rows, rows[::-1]):
        assert [r.stage for r in pipeline_of(order, as_of=DAY)] == [3]
