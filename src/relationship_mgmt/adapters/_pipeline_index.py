"""The in-memory adapter's index of opportunity entries, kept up to date at commit.

Like BC's SumIndexFields (SIFT), it keeps the pipeline's sums so that reading them
does not add up every entry again:

* the entry numbers of each opportunity, so that ``entries_of`` reads a handful of
  rows instead of every entry;
* the active entries' pipeline sums per stage (the pipeline now);
* for the pipeline **as of a day**, each entry's contribution is added on the day it
  comes into force and taken away on the day a later entry supersedes it; the sums
  as of a day are those of every change on or before it. An entry is in force on
  day ``D`` when it is the opportunity's last entry dated on or before ``D``
  (:func:`~relationship_mgmt.domain.pipeline.entry_in_force`), that is from its
  Date of Change until the earliest Date of Change of the entries after it.

It also keeps the active entries' totals by contact, company, salesperson, campaign
and cycle, and the Days Open histograms of each stage, for ``totals`` and
``stage_durations``. Only committed entries are indexed; a unit of work corrects
the figures for the opportunities it has touched with a second index of just their
changes (taken away as committed, added as staged).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Context, Decimal

from relationship_mgmt.domain.opportunities import OpportunityEntry
from relationship_mgmt.domain.pipeline import (
    GROUP_BY,
    StageKey,
    add_contribution,
    contribution,
    in_pipeline,
)

__all__ = ["Durations", "PipelineIndex", "Sums", "Totals", "entry_spans"]

_ZERO = Decimal(0)
_EXACT = Context(prec=80)

Sums = dict[StageKey, list[Decimal]]
"""Per stage, the running sums of :func:`~relationship_mgmt.domain.pipeline.contribution`."""


def _key(entry: OpportunityEntry) -> StageKey:
    return (entry.sales_cycle_code or "", entry.sales_cycle_stage or 0)


def entry_spans(
    entries: Iterable[OpportunityEntry],
) -> list[tuple[OpportunityEntry, dt.date, dt.date | None]]:
    """Return each pipeline entry of one opportunity with the days it is in force.

    An entry is in force from its Date of Change until (not including) the
    earliest Date of Change of the entries numbered after it (``None``: still in
    force); an entry superseded on its own day is never in force and left out, as
    are entries outside the pipeline.

    >>> rows = [OpportunityEntry(entry_no=n, opportunity_no="OP1", sales_cycle_code="C",
    ...     sales_cycle_stage=s, date_of_change=dt.date(2024, 3, d)) for n, s, d in
    ...     ((1, 1, 4), (2, 2, 4), (3, 3, 11))]
    >>> [(e.entry_no, start.day, end and end.day) for e, start, end in entry_spans(rows)]
    [(2, 4, 11), (3, 11, None)]
    """
    ordered = sorted(entries, key=lambda entry: entry.entry_no)
    spans = []
    until: dt.date | None = None
    for entry in reversed(ordered):
        if in_pipeline(entry) and (until is None or entry.date_of_change < until):
            spans.append((entry, entry.date_of_change, until))
        if until is None or entry.date_of_change < until:
            until = entry.date_of_change
    spans.reverse()
    return spans


Totals = dict[str | None, list[Decimal]]
"""Per group (a contact, salesperson ...): No. of Opportunities, Estimated and
Calcd. Current Value of the active entries."""


class Durations:
    """The Days Open histograms of a stage's finished stays, and its active entries."""

    def __init__(self) -> None:
        self.finished: dict[StageKey, Counter[int]] = {}
        self.active: dict[StageKey, tuple[int, int]] = {}

    def add(self, entry: OpportunityEntry, sign: int) -> None:
        """Count (``sign`` 1) or uncount (-1) one entry in a stage."""
        if entry.sales_cycle_code is None or entry.sales_cycle_stage is None:
            return
        key = (entry.sales_cycle_code, entry.sales_cycle_stage)
        if entry.active:
            count, days = self.active.get(key, (0, 0))
            count, days = count + sign, days + sign * entry.days_open
            if count or days:
                self.active[key] = (count, days)
            else:
                self.active.pop(key, None)
            return
        histogram = self.finished.setdefault(key, Counter())
        histogram[entry.days_open] += sign
        if not histogram[entry.days_open]:
            del histogram[entry.days_open]
            if not histogram:
                del self.finished[key]

    def merged(self, other: Durations, sales_cycle_code: str | None) -> Durations:
        """Return these counts plus ``other``'s, of one cycle (``None``: all)."""
        result = Durations()
        for source in (self, other):
            for key, histogram in source.finished.items():
                if sales_cycle_code is None or key[0] == sales_cycle_code:
                    result.finished.setdefault(key, Counter()).update(histogram)
            for key, (count, days) in source.active.items():
                if sales_cycle_code is None or key[0] == sales_cycle_code:
                    held = result.active.get(key, (0, 0))
                    result.active[key] = (held[0] + count, held[1] + days)
        result.finished = {
            key: Counter({days: n for days, n in histogram.items() if n})
            for key, histogram in result.finished.items()
            if any(histogram.values())
        }
        result.active = {key: v for key, v in result.active.items() if v[0]}
        return result


class PipelineIndex:
    """The committed entries by opportunity, and the sums the queries read.

    The pipeline's sums (now and per change day), the active entries' totals by
    each group of :data:`~relationship_mgmt.domain.pipeline.GROUP_BY`, and the
    time-in-stage histograms.
    """

    def __init__(self) -> None:
        self.by_opportunity: dict[str, list[int]] = {}
        self._now: Sums = {}
        self._changes: dict[dt.date, Sums] = {}
        self.totals: dict[str, Totals] = {field: {} for field in sorted(GROUP_BY)}
        self.durations = Durations()
        # The running sums after each change day, made on the first as-of query
        # after a change: later queries bisect them.
        self._running: dict[StageKey, tuple[list[dt.date], list[list[Decimal]]]] | None
        self._running = None

    def add(self, entries: Iterable[OpportunityEntry], sign: int) -> None:
        """Add (``sign`` 1) or take away (-1) one opportunity's committed entries."""
        self._running = None
        rows = list(entries)
        for entry in rows:
            if entry.active and in_pipeline(entry):
                add_contribution(self._now, _key(entry), contribution(entry), sign)
            if entry.active:
                self._add_totals(entry, sign)
            self.durations.add(entry, sign)
        for entry, start, end in entry_spans(rows):
            values = contribution(entry)
            add_contribution(
                self._changes.setdefault(start, {}), _key(entry), values, sign
            )
            if end is not None:
                add_contribution(
                    self._changes.setdefault(end, {}), _key(entry), values, -sign
                )

    def _add_totals(self, entry: OpportunityEntry, sign: int) -> None:
        values = (Decimal(1), entry.estimated_value, entry.calcd_current_value)
        for field, groups in self.totals.items():
            group = getattr(entry, field)
            held = groups.setdefault(group, [_ZERO, _ZERO, _ZERO])
            for index, value in enumerate(values):
                held[index] = _EXACT.add(held[index], value if sign > 0 else -value)
            if not any(held):  # a change index passes through 0 with sums left
                del groups[group]

    def sums(self, as_of: dt.date | None) -> Sums:
        """Return a copy of the committed sums, now or as of a day."""
        if as_of is None:
            return {key: list(values) for key, values in self._now.items()}
        if self._running is None:
            self._running = self._accumulate()
        result: Sums = {}
        for key, (days, running) in self._running.items():
            position = bisect.bisect_right(days, as_of)
            if position:
                result[key] = list(running[position - 1])
        return result

    def _accumulate(self) -> dict[StageKey, tuple[list[dt.date], list[list[Decimal]]]]:
        """Per stage, its change days and the running sums after each."""
        sums: Sums = {}
        running: dict[StageKey, tuple[list[dt.date], list[list[Decimal]]]] = {}
        for day in sorted(self._changes):
            for key, values in self._changes[day].items():
                add_contribution(sums, key, values)
                days, totals = running.setdefault(key, ([], []))
                days.append(day)
                totals.append(list(sums[key]))
        return running

    def reindex(
        self,
        committed: Mapping[int, OpportunityEntry],
        staged: Mapping[int, OpportunityEntry | None],
    ) -> None:
        """Move the index from ``committed`` to ``committed`` with ``staged`` applied.

        Call it before the staged rows are written. ``None`` stages a deletion.
        """
        touched: set[str] = set()
        for entry_no, entry in staged.items():
            old = committed.get(entry_no)
            if old is not None:
                touched.add(old.opportunity_no)
            if entry is not None:
                touched.add(entry.opportunity_no)
        for no in touched:
            self.add((committed[n] for n in self.by_opportunity.get(no, ())), -1)
        for entry_no, entry in staged.items():
            self._renumber(entry_no, committed.get(entry_no), entry)

        def current(entry_no: int) -> OpportunityEntry:
            entry = staged.get(entry_no, committed.get(entry_no))
            assert entry is not None  # noqa: S101 - deleted numbers were removed
            return entry

        for no in touched:
            numbers = self.by_opportunity.get(no, [])
            if not numbers:
                self.by_opportunity.pop(no, None)
            self.add((current(n) for n in numbers), 1)

    def _renumber(
        self,
        entry_no: int,
        old: OpportunityEntry | None,
        new: OpportunityEntry | None,
    ) -> None:
        """Move ``entry_no`` between the opportunities' lists as it is written."""
        before = None if old is None else old.opportunity_no
        after = None if new is None else new.opportunity_no
        if before == after:
            return
        if before is not None:
            self.by_opportunity[before].remove(entry_no)
        if after is not None:
            numbers = self.by_opportunity.setdefault(after, [])
            numbers.append(entry_no)
            if len(numbers) > 1 and numbers[-2] > entry_no:
                numbers.sort()
