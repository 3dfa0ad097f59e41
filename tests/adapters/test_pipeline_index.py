"""The in-memory adapter's pipeline index agrees with the reference functions (§5.9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.adapters._pipeline_index import (
    Durations,
    PipelineIndex,
    entry_spans,
)
from relationship_mgmt.domain.opportunities import ActionTaken, OpportunityEntry
from relationship_mgmt.domain.pipeline import (
    durations_from_histograms,
    pipeline_of,
    rows_from_sums,
    stage_durations_of,
    totals_of,
)

DAY = date(2024, 3, 4)


def entry(no: int, opportunity: str = "OP1", **fields: object) -> OpportunityEntry:
    values: dict[str, object] = {
        "sales_cycle_code": "NEW",
        "sales_cycle_stage": 1,
        "date_of_change": DAY,
        **fields,
    }
    return OpportunityEntry(entry_no=no, opportunity_no=opportunity, **values)  # type: ignore[arg-type]


def test_an_entry_superseded_on_its_own_day_is_never_in_force() -> None:
    rows = [
        entry(1),
        entry(2, sales_cycle_stage=2),
        entry(3, date_of_change=DAY + timedelta(2)),
    ]
    spans = [(e.entry_no, start, end) for e, start, end in entry_spans(rows)]
    assert spans == [(2, DAY, DAY + timedelta(2)), (3, DAY + timedelta(2), None)]


_STEP = st.tuples(
    st.sampled_from(["OP1", "OP2", "OP3"]),
    st.sampled_from([1, 2, None]),
    st.integers(-3, 6),
    st.booleans(),
    st.sampled_from([ActionTaken.NEXT, ActionTaken.WON]),
    st.decimals(0, 1000, places=2),
)


@given(st.lists(_STEP, max_size=14), st.data())
def test_the_index_agrees_with_pipeline_of_on_any_entries(
    steps: list[tuple[str, int | None, int, bool, ActionTaken, Decimal]],
    data: st.DataObject,
) -> None:
    """Whatever the entries (dates out of order, several active), the index of the
    in-memory adapter gives pipeline_of's sums, as rows are added, changed, removed."""
    rows = {
        no: entry(
            no,
            opportunity,
            sales_cycle_stage=stage,
            date_of_change=DAY + timedelta(shift),
            active=active,
            action_taken=taken,
            estimated_value=value,
            chances_of_success_pct=50,
            calcd_current_value=value,
            days_open=abs(shift),
            salesperson_code="JO" if value > 500 else None,
        )
        for no, (opportunity, stage, shift, active, taken, value) in enumerate(steps, 1)
    }
    index = PipelineIndex()
    committed: dict[int, OpportunityEntry] = {}
    split = data.draw(st.integers(0, len(rows)))
    for batch in (
        {n: r for n, r in rows.items() if n <= split},
        {n: r for n, r in rows.items() if n > split},
    ):
        index.reindex(committed, batch)
        committed.update(batch)
    removed = data.draw(
        st.sets(st.sampled_from(sorted(rows)) if rows else st.nothing())
    )
    moved = data.draw(st.sets(st.sampled_from(sorted(rows)) if rows else st.nothing()))
    change: dict[int, OpportunityEntry | None] = dict.fromkeys(removed)
    for no in moved - removed:
        change[no] = OpportunityEntry(
            **{
                **{
                    a: getattr(committed[no], a)
                    for a in (
                        "entry_no",
                        "sales_cycle_code",
                        "sales_cycle_stage",
                        "date_of_change",
                        "active",
                        "estimated_value",
                    )
                },
                "opportunity_no": "OP9",
            }
        )
    index.reindex(committed, change)
    for no, value in change.items():
        if value is None:
            committed.pop(no)
        else:
            committed[no] = value
    for as_of in (None, *(DAY + timedelta(d) for d in range(-3, 8))):
        assert rows_from_sums(index.sums(as_of)) == pipeline_of(
            committed.values(), as_of=as_of
        )
    for field in ("salesperson_code", "sales_cycle_code", "contact_no"):
        expected = {
            t.key: (t.no_of_opportunities, t.estimated_value, t.calcd_current_value)
            for t in totals_of(committed.values(), field)
        }
        assert {
            key: (int(v[0]), v[1], v[2]) for key, v in index.totals[field].items()
        } == expected
    durations = index.durations.merged(Durations(), None)
    assert durations_from_histograms(
        durations.finished, durations.active
    ) == stage_durations_of(committed.values())
    by_opportunity = {
        no: sorted(n for n, e in committed.items() if e.opportunity_no == no)
        for no in {e.opportunity_no for e in committed.values()}
    }
    assert index.by_opportunity == by_opportunity
