"""The pipeline and the opportunity statistics over opportunity entries (§5.9).

Everything here is computed from :class:`~relationship_mgmt.domain.opportunities.OpportunityEntry`
rows alone, so that a storage adapter can compute the same figures with its own
aggregates (the SQL adapter does, with ``GROUP BY``) and a test can hold the two
against each other:

* :func:`pipeline_of`: the open opportunities by sales cycle stage, now (the active
  entries) or **as of any past day**, from the entry that was in force on that day;
* :func:`totals_of`: No. of Opportunities, Estimated Value and Calcd. Current Value
  over the active entries, by contact, company, salesperson, campaign or cycle (the
  FlowFields of §5.9 and §6.1);
* :func:`stage_durations_of`: the time spent in each stage, with BC's Average No. of
  Days and the median and 90th percentile of the finished stays.

Sums are exact: amounts are added as :class:`~decimal.Decimal` without rounding.

>>> from datetime import date
>>> from relationship_mgmt.domain.opportunities import OpportunityEntry
>>> def entry(no, stage, day, active=False, days=0):
...     return OpportunityEntry(entry_no=no, opportunity_no="OP1", sales_cycle_code="NEW",
...         sales_cycle_stage=stage, date_of_change=day, active=active, days_open=days,
...         estimated_value=10000, chances_of_success_pct=50, calcd_current_value=1250)
>>> history = [entry(1, 1, date(2024, 3, 4), days=7), entry(2, 2, date(2024, 3, 11), True)]
>>> [(r.stage, r.count, r.weighted_value) for r in pipeline_of(history)]
[(2, 1, Decimal('5000'))]
>>> [r.stage for r in pipeline_of(history, as_of=date(2024, 3, 5))]
[1]
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Context, Decimal
from typing import Final, Literal, get_args

from attrs import field, frozen

from relationship_mgmt.domain.opportunities import (
    ActionTaken,
    OpportunityEntry,
    SalesCycle,
)
from relationship_mgmt.errors import ValidationError

__all__ = [
    "CLOSING_ACTIONS",
    "GROUP_BY",
    "GroupBy",
    "OpportunityTotals",
    "Pipeline",
    "PipelineRow",
    "StageDurations",
    "StageKey",
    "StageStatistics",
    "entry_in_force",
    "in_pipeline",
    "pipeline_of",
    "quantile",
    "sales_cycle_statistics",
    "stage_durations_of",
    "sum_rows",
    "totals_of",
]

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
_SUM: Final = Context(prec=80)  # sums of the domain's bounded values stay exact

CLOSING_ACTIONS: Final = frozenset({ActionTaken.WON, ActionTaken.LOST})
"""Action Taken of the entries that close an opportunity (§5.7)."""

GroupBy = Literal[
    "contact_no",
    "contact_company_no",
    "salesperson_code",
    "campaign_no",
    "sales_cycle_code",
]
"""The entry fields :func:`totals_of` groups by."""

GROUP_BY: Final[frozenset[str]] = frozenset(get_args(GroupBy))

StageKey = tuple[str, int]
"""The key of one stage of one cycle, ``(sales_cycle_code, stage)``."""


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("count", value, "must be a whole number >= 0")
    return value


@frozen(kw_only=True)
class PipelineRow:
    """The open opportunities in one stage of a sales cycle.

    Attributes:
        sales_cycle_code: The cycle.
        stage: The stage number.
        count: The opportunities in the stage.
        estimated_value: The sum of their Estimated Value (LCY).
        calcd_current_value: The sum of their Calcd. Current Value (LCY): each
            estimate weighed by the probability the cycle calculates (§5.5).
        weighted_value: The sum of Estimated Value x Chances of Success % / 100:
            each estimate weighed by the salesperson's chances alone.
        description: The stage's description, when the caller knows it.

    >>> PipelineRow(sales_cycle_code="NEW", stage=1, count=2).estimated_value
    Decimal('0')
    """

    sales_cycle_code: str
    stage: int
    count: int = field(default=0, converter=_count)
    estimated_value: Decimal = _ZERO
    calcd_current_value: Decimal = _ZERO
    weighted_value: Decimal = _ZERO
    description: str = ""


@frozen(kw_only=True)
class OpportunityTotals:
    """No. of Opportunities, Estimated Value and Calcd. Current Value of a group (§5.9).

    Attributes:
        key: The group: a contact, company, salesperson, campaign or cycle, or
            ``None`` for the entries without one.
        no_of_opportunities: Opportunities whose active entry is in the group.
        estimated_value: The sum of their Estimated Value (LCY).
        calcd_current_value: The sum of their Calcd. Current Value (LCY).

    >>> t = OpportunityTotals(key="JO", no_of_opportunities=4,
    ...                       estimated_value=Decimal(1000), calcd_current_value=Decimal(300))
    >>> (t.avg_estimated_value, t.avg_calcd_current_value)
    (Decimal('250'), Decimal('75'))
    """

    key: str | None
    no_of_opportunities: int = field(default=0, converter=_count)
    estimated_value: Decimal = _ZERO
    calcd_current_value: Decimal = _ZERO

    @property
    def avg_estimated_value(self) -> Decimal:
        """Avg. Estimated Value (LCY) = Estimated Value / No. of Opportunities (§5.9)."""
        return _average(self.estimated_value, self.no_of_opportunities)

    @property
    def avg_calcd_current_value(self) -> Decimal:
        """Avg. Calcd. Current Value (LCY), likewise; 0 without opportunities (§5.9)."""
        return _average(self.calcd_current_value, self.no_of_opportunities)


def _average(total: Decimal, count: int) -> Decimal:
    return total / count if count else _ZERO


@frozen(kw_only=True)
class StageDurations:
    """How long opportunities stay in one stage of a cycle, in days.

    Attributes:
        sales_cycle_code: The cycle.
        stage: The stage number.
        entries: Every entry of the stage, active ones included.
        average_days: BC's Average No. of Days (§5.2, §5.9): the mean Days Open of
            the finished stays (0 without any).
        left: The finished stays: inactive entries, whose Days Open is final.
        median_days: The median Days Open of the finished stays (``None``: none).
        p90_days: Their 90th percentile, interpolated linearly like
            :func:`quantile` (``None``: none).

    >>> StageDurations(sales_cycle_code="NEW", stage=1).median_days is None
    True
    """

    sales_cycle_code: str
    stage: int
    entries: int = field(default=0, converter=_count)
    average_days: Decimal = _ZERO
    left: int = field(default=0, converter=_count)
    median_days: float | None = None
    p90_days: float | None = None


@frozen(kw_only=True)
class Pipeline:
    """The pipeline by stage, now or as of a day, with its total.

    Attributes:
        as_of: The day (``None``: now).
        rows: One row per stage with open opportunities, by cycle and stage.
        total: The sum of the rows (:func:`sum_rows`).
    """

    as_of: dt.date | None
    rows: tuple[PipelineRow, ...]
    total: PipelineRow


@frozen(kw_only=True)
class StageStatistics:
    """One stage's line of the Sales Cycle Statistics (§5.9).

    Attributes:
        stage: The stage number.
        description: The stage's description.
        no_of_opportunities: Active entries at the stage.
        estimated_value: Their Estimated Value (LCY).
        calcd_current_value: Their Calcd. Current Value (LCY).
        average_no_of_days: BC's Average No. of Days: mean Days Open of the finished stays (§5.2).
        median_days: The median Days Open of the finished stays (``None``: none).
        p90_days: Their 90th percentile (``None``: none).
    """

    stage: int
    description: str = ""
    no_of_opportunities: int = 0
    estimated_value: Decimal = _ZERO
    calcd_current_value: Decimal = _ZERO
    average_no_of_days: Decimal = _ZERO
    median_days: float | None = None
    p90_days: float | None = None


def sales_cycle_statistics(
    cycle: SalesCycle,
    rows: Iterable[PipelineRow],
    durations: Iterable[StageDurations],
) -> list[StageStatistics]:
    """Return one :class:`StageStatistics` per stage of ``cycle`` (§5.9).

    Args:
        cycle: The cycle, for its stages and their descriptions.
        rows: Its pipeline now (:func:`pipeline_of` with its code).
        durations: Its time in stage (:func:`stage_durations_of` with its code).

    >>> from relationship_mgmt.domain.opportunities import SalesCycleStage
    >>> cycle = SalesCycle(code="NEW", stages=[SalesCycleStage(stage=1, description="Initial")])
    >>> sales_cycle_statistics(cycle, [], [])[0].description
    'Initial'
    """
    now = {row.stage: row for row in rows if row.sales_cycle_code == cycle.code}
    days = {d.stage: d for d in durations if d.sales_cycle_code == cycle.code}
    result = []
    for stage in cycle.stages:
        row = now.get(stage.stage)
        spent = days.get(stage.stage)
        result.append(
            StageStatistics(
                stage=stage.stage,
                description=stage.description,
                no_of_opportunities=0 if row is None else row.count,
                estimated_value=_ZERO if row is None else row.estimated_value,
                calcd_current_value=_ZERO if row is None else row.calcd_current_value,
                average_no_of_days=_ZERO if spent is None else spent.average_days,
                median_days=None if spent is None else spent.median_days,
                p90_days=None if spent is None else spent.p90_days,
            )
        )
    return result


# --- which entry counts ----------------------------------------------------------------


def in_pipeline(entry: OpportunityEntry) -> bool:
    """Whether the entry, in force, puts its opportunity in the pipeline.

    It must be in a stage of a cycle and not close the opportunity (§5.7).

    >>> from datetime import date
    >>> in_pipeline(OpportunityEntry(entry_no=1, opportunity_no="OP1",
    ...     sales_cycle_code="NEW", sales_cycle_stage=1, date_of_change=date(2024, 3, 4)))
    True
    """
    return (
        entry.sales_cycle_code is not None
        and entry.sales_cycle_stage is not None
        and entry.action_taken not in CLOSING_ACTIONS
    )


def entry_in_force(
    entries: Iterable[OpportunityEntry], as_of: dt.date
) -> OpportunityEntry | None:
    """Return the entry of one opportunity that was in force on ``as_of``.

    That is the last entry (highest Entry No.) whose Date of Change is on or before
    ``as_of``: a stage move supersedes the entry before it on its Date of Change
    (§5.5 ``InsertEntry``), so of two moves on one day the later one counts.

    >>> from datetime import date
    >>> rows = [OpportunityEntry(entry_no=n, opportunity_no="OP1",
    ...                          date_of_change=date(2024, 3, d)) for n, d in ((1, 4), (2, 11))]
    >>> entry_in_force(rows, date(2024, 3, 10)).entry_no
    1
    >>> entry_in_force(rows, date(2024, 3, 1)) is None
    True
    """
    found: OpportunityEntry | None = None
    for entry in entries:
        if entry.date_of_change <= as_of and (
            found is None or entry.entry_no > found.entry_no
        ):
            found = entry
    return found


def _counted_entries(
    entries: Iterable[OpportunityEntry], as_of: dt.date | None
) -> Iterable[OpportunityEntry]:
    """The active entries (``as_of`` is None), or each opportunity's entry in force."""
    if as_of is None:
        return (entry for entry in entries if entry.active)
    last: dict[str, OpportunityEntry] = {}
    for entry in entries:
        if entry.date_of_change > as_of:
            continue
        held = last.get(entry.opportunity_no)
        if held is None or entry.entry_no > held.entry_no:
            last[entry.opportunity_no] = entry
    return last.values()


# --- the pipeline ------------------------------------------------------------------------


def pipeline_of(
    entries: Iterable[OpportunityEntry],
    *,
    as_of: dt.date | None = None,
    sales_cycle_code: str | None = None,
    salesperson_code: str | None = None,
) -> list[PipelineRow]:
    """Return the open opportunities by stage, now or as of a past day.

    Now (``as_of`` is ``None``) counts each opportunity's active entry; as of a day
    it counts the entry in force on that day (:func:`entry_in_force`), so the
    result is what the funnel looked like then. Either way the entry must be in a
    stage and not close the opportunity (:func:`in_pipeline`). The filters apply
    to the counted entry (its cycle and its salesperson at the time).

    Args:
        entries: The entries of any number of opportunities.
        as_of: The day; ``None`` for now.
        sales_cycle_code: Only this cycle.
        salesperson_code: Only this salesperson.

    Returns:
        One row per stage that has opportunities, ordered by cycle and stage.
    """
    sums: dict[StageKey, list[Decimal]] = {}
    for entry in _counted_entries(entries, as_of):
        if not in_pipeline(entry):
            continue
        if sales_cycle_code is not None and entry.sales_cycle_code != sales_cycle_code:
            continue
        if salesperson_code is not None and entry.salesperson_code != salesperson_code:
            continue
        key = (entry.sales_cycle_code or "", entry.sales_cycle_stage or 0)
        add_contribution(sums, key, contribution(entry))
    return rows_from_sums(sums)


def contribution(entry: OpportunityEntry) -> tuple[Decimal, ...]:
    """The entry's part of its stage's row: (1, estimated, calculated, value x chances).

    The last is not divided by 100 yet (:func:`rows_from_sums` does), so that it
    stays exact.
    """
    return (
        Decimal(1),
        entry.estimated_value,
        entry.calcd_current_value,
        _SUM.multiply(entry.estimated_value, entry.chances_of_success_pct),
    )


def add_contribution(
    sums: dict[StageKey, list[Decimal]],
    key: StageKey,
    values: Iterable[Decimal],
    sign: int = 1,
) -> None:
    """Add (``sign`` 1) or take away (-1) one contribution to the sums of ``key``."""
    held = sums.get(key)
    if held is None:
        held = sums[key] = [_ZERO, _ZERO, _ZERO, _ZERO]
    for index, value in enumerate(values):
        held[index] = _SUM.add(held[index], value if sign > 0 else -value)


def rows_from_sums(sums: Mapping[StageKey, list[Decimal]]) -> list[PipelineRow]:
    """Turn per-stage sums of :func:`contribution` into rows (empty stages dropped)."""
    return [
        PipelineRow(
            sales_cycle_code=key[0],
            stage=key[1],
            count=int(values[0]),
            estimated_value=values[1],
            calcd_current_value=values[2],
            weighted_value=_SUM.divide(values[3], _HUNDRED),
        )
        for key, values in sorted(sums.items())
        if values[0]
    ]


def sum_rows(rows: Iterable[PipelineRow]) -> PipelineRow:
    """Return the total of pipeline rows (blank cycle, stage 0).

    >>> sum_rows([PipelineRow(sales_cycle_code="A", stage=1, count=2),
    ...           PipelineRow(sales_cycle_code="A", stage=2, count=3)]).count
    5
    """
    count, estimated, calculated, weighted = 0, _ZERO, _ZERO, _ZERO
    for row in rows:
        count += row.count
        estimated = _SUM.add(estimated, row.estimated_value)
        calculated = _SUM.add(calculated, row.calcd_current_value)
        weighted = _SUM.add(weighted, row.weighted_value)
    return PipelineRow(
        sales_cycle_code="",
        stage=0,
        count=count,
        estimated_value=estimated,
        calcd_current_value=calculated,
        weighted_value=weighted,
        description="Total",
    )


# --- totals by a party --------------------------------------------------------------------


def check_group_by(group_by: str) -> GroupBy:
    """Return ``group_by`` if :func:`totals_of` can group by it.

    Raises:
        ValidationError: Another field.
    """
    if group_by not in GROUP_BY:
        raise ValidationError(
            "group_by", group_by, f"must be one of {sorted(GROUP_BY)}"
        )
    return group_by  # type: ignore[return-value]


def totals_of(
    entries: Iterable[OpportunityEntry],
    group_by: str,
    *,
    key: str | None = None,
) -> list[OpportunityTotals]:
    """Return the §5.9 FlowFields over the **active** entries, grouped by a field.

    Closed opportunities count too (their closing entry is active), as in BC's
    FlowFields: a won opportunity adds its Sales (LCY) to Calcd. Current Value.

    Args:
        entries: The entries of any number of opportunities.
        group_by: ``"contact_no"``, ``"contact_company_no"``, ``"salesperson_code"``,
            ``"campaign_no"`` or ``"sales_cycle_code"``.
        key: Only this group; its row is returned (zeros) even without entries.

    Returns:
        One row per group, the group without a value (``None``) first, then by key.

    Raises:
        ValidationError: ``group_by`` is another field.

    >>> from datetime import date
    >>> e = OpportunityEntry(entry_no=1, opportunity_no="OP1", salesperson_code="JO",
    ...     date_of_change=date(2024, 3, 4), active=True, estimated_value=500)
    >>> totals_of([e], "salesperson_code")[0].estimated_value
    Decimal('500')
    >>> totals_of([e], "salesperson_code", key="ANN")[0].no_of_opportunities
    0
    """
    field_name = check_group_by(group_by)
    read: Callable[[OpportunityEntry], str | None] = lambda e: getattr(e, field_name)  # noqa: E731
    sums: dict[str | None, list[Decimal]] = {}
    if key is not None:
        sums[key] = [_ZERO, _ZERO, _ZERO]
    for entry in entries:
        if not entry.active:
            continue
        group = read(entry)
        if key is not None and group != key:
            continue
        held = sums.setdefault(group, [_ZERO, _ZERO, _ZERO])
        held[0] += 1
        held[1] = _SUM.add(held[1], entry.estimated_value)
        held[2] = _SUM.add(held[2], entry.calcd_current_value)
    return sorted_totals(
        OpportunityTotals(
            key=group,
            no_of_opportunities=int(values[0]),
            estimated_value=values[1],
            calcd_current_value=values[2],
        )
        for group, values in sums.items()
    )


def sorted_totals(rows: Iterable[OpportunityTotals]) -> list[OpportunityTotals]:
    """Order totals: the group without a value first, then by key."""
    return sorted(rows, key=lambda row: (row.key is not None, row.key or ""))


# --- time in stage ----------------------------------------------------------------------


def quantile(values: Mapping[int, int], p: float) -> float | None:
    """Return the ``p``-quantile of a histogram {value: count}, or ``None`` if empty.

    Linear interpolation between the two nearest ranks (NumPy's and pandas'
    default): with the ``n`` values sorted, the quantile sits at rank
    ``(n - 1) x p``.

    Raises:
        ValidationError: ``p`` is outside 0..1.

    >>> quantile({1: 1, 2: 1, 10: 2}, 0.5)
    6.0
    >>> quantile({3: 10}, 0.9)
    3.0
    """
    if not 0 <= p <= 1:
        raise ValidationError("p", p, "must be between 0 and 1")
    n = sum(values.values())
    if not n:
        return None
    rank = (n - 1) * p
    low_rank, high_rank = math.floor(rank), math.ceil(rank)
    ordered = sorted(values.items())
    cumulative = list(itertools.accumulate(count for _, count in ordered))
    # The value at a rank: the first whose cumulative count passes it.
    low = ordered[bisect.bisect_right(cumulative, low_rank)][0]
    high = ordered[bisect.bisect_right(cumulative, high_rank)][0]
    return low + (high - low) * (rank - low_rank)


def durations_from_histograms(
    histograms: Mapping[StageKey, Counter[int]],
    active: Mapping[StageKey, tuple[int, int]],
) -> list[StageDurations]:
    """Build :class:`StageDurations` rows from the finished stays' Days Open histogram.

    Args:
        histograms: Per stage, {Days Open: number of finished stays}.
        active: Per stage, the number of active entries and their Days Open total.
    """
    rows = []
    for key in sorted(set(histograms) | set(active)):
        finished = histograms.get(key, Counter())
        left = sum(finished.values())
        entries = left + active.get(key, (0, 0))[0]
        total = sum(days * count for days, count in finished.items())
        rows.append(
            StageDurations(
                sales_cycle_code=key[0],
                stage=key[1],
                entries=entries,
                average_days=Decimal(total) / left if left else _ZERO,
                left=left,
                median_days=quantile(finished, 0.5),
                p90_days=quantile(finished, 0.9),
            )
        )
    return rows


def stage_durations_of(
    entries: Iterable[OpportunityEntry], *, sales_cycle_code: str | None = None
) -> list[StageDurations]:
    """Return the time spent in each stage (§5.9 Sales Cycle Statistics, and more).

    The inactive entries are the finished stays: their Days Open gives BC's Average
    No. of Days ("average of Days Open of inactive entries", §5.2), the median and
    the 90th percentile; ``entries`` counts the active ones too.

    Args:
        entries: The entries of any number of opportunities.
        sales_cycle_code: Only this cycle.

    Returns:
        One row per stage with entries, ordered by cycle and stage.

    >>> from datetime import date
    >>> rows = [OpportunityEntry(entry_no=n, opportunity_no=f"OP{n}", sales_cycle_code="NEW",
    ...     sales_cycle_stage=1, date_of_change=date(2024, 3, 4), days_open=d)
    ...     for n, d in ((1, 2), (2, 4), (3, 30))]
    >>> d = stage_durations_of(rows)[0]
    >>> (d.entries, d.average_days, d.median_days, d.p90_days)
    (3, Decimal('12'), 4.0, 24.8)
    """
    histograms: dict[StageKey, Counter[int]] = {}
    active: dict[StageKey, tuple[int, int]] = {}
    for entry in entries:
        if entry.sales_cycle_code is None or entry.sales_cycle_stage is None:
            continue
        if sales_cycle_code is not None and entry.sales_cycle_code != sales_cycle_code:
            continue
        key = (entry.sales_cycle_code, entry.sales_cycle_stage)
        if entry.active:
            count, days = active.get(key, (0, 0))
            active[key] = (count + 1, days + entry.days_open)
        else:
            histograms.setdefault(key, Counter())[entry.days_open] += 1
    return durations_from_histograms(histograms, active)
