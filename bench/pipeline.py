"""The pipeline by stage, now and as of a past day, on the memory adapter (issue #5).

1,000,000 opportunities with 5,000,000 opportunity entries are committed into an
in-memory workspace; then ``uow.opportunity_entries.pipeline()`` is timed, in a fresh
read-only unit of work, for now and as of about one and two years before the last
day. Beside it, in the same run and over the same rows, the peer: the same
aggregation written directly in pandas over a DataFrame (now: the active, open
entries grouped by cycle and stage; as of a day: the rows dated on or before it, the
last entry number per opportunity, then the open ones grouped). Target: the library
no slower than 1.5x the pandas version (median of 5 each, interleaved run by run).
The two results are checked against each other (counts exactly, sums within 1e-6
relative). If ``crm.opportunities.pipeline`` exists, it is timed too.

The history is synthetic and seeded (numpy): three sales cycles of 4, 5 and 6
stages; each opportunity starts on a day within three years and moves through the
stages (Next, Previous, Jump, Update; 0-30 days between entries, same-day moves
allowed); 35% end Won or Lost. Entry numbers follow the date of change across all
opportunities. Amounts come from a pool of 10,000 log-normal estimates (two
decimals); Calcd. Current Value = estimate x probability / 100, rounded to cents.
The entries are real ``OpportunityEntry`` objects built by their constructor
(validating converters included) and committed in batches; building, committing and
the DataFrame construction are timed separately and not part of the query times.
The garbage collector is off while the data are built and the survivors are then
frozen (``gc.freeze``), so that a full collection over millions of objects does not
land in a timed query. Usage::

    .venv-bench/bin/python bench/pipeline.py [--opportunities 1000000]
        [--entries-per-opportunity 5] [--repeats 5] [--quick]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import platform
import pstats
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import relationship_mgmt as rm
from relationship_mgmt.domain.opportunities import (
    ActionTaken,
    ActionType,
    OpportunityEntry,
)
from relationship_mgmt.domain.pipeline import PipelineRow, pipeline_of

_RESULTS = Path(__file__).parent / "results"
_SEED = 20260305
_LAST_DAY = dt.date(2026, 3, 1)
_DAYS = 3 * 365  # the opportunities start within the three years up to _LAST_DAY
_MAX_ENTRIES = 9  # per opportunity
_TARGET = 1.5

# (code, share of the opportunities, ((completed %, chances %) per stage))
_CYCLES: tuple[tuple[str, float, tuple[tuple[int, int], ...]], ...] = (
    ("EXISTING", 0.45, ((10, 30), (35, 50), (70, 70), (90, 85))),
    ("NEW", 0.35, ((10, 10), (25, 20), (50, 35), (75, 50), (90, 70))),
    ("LARGE", 0.20, ((5, 5), (15, 10), (30, 20), (50, 30), (70, 45), (90, 60))),
)

# move kinds, indexes into _TAKEN/_TYPE
_FIRST, _NEXT, _PREVIOUS, _JUMP, _UPDATE, _WON, _LOST = range(7)
_TAKEN = (
    ActionTaken.BLANK,
    ActionTaken.NEXT,
    ActionTaken.PREVIOUS,
    ActionTaken.JUMPED,
    ActionTaken.UPDATED,
    ActionTaken.WON,
    ActionTaken.LOST,
)
_TYPE = (
    ActionType.FIRST,
    ActionType.NEXT,
    ActionType.PREVIOUS,
    ActionType.JUMP,
    ActionType.UPDATE,
    ActionType.BLANK,
    ActionType.BLANK,
)


# --- the synthetic history ----------------------------------------------------------


def _entries_per_opportunity(
    rng: np.random.Generator, opportunities: int, total: int
) -> np.ndarray:
    """1 to 9 entries each (binomial), nudged so that they add up to ``total``."""
    mean = total / opportunities
    counts = 1 + rng.binomial(
        _MAX_ENTRIES - 1, (mean - 1) / (_MAX_ENTRIES - 1), size=opportunities
    )
    gap = total - int(counts.sum())
    while gap:
        room = np.flatnonzero(counts < _MAX_ENTRIES if gap > 0 else counts > 1)
        picked = rng.choice(room, size=min(abs(gap), room.size), replace=False)
        counts[picked] += 1 if gap > 0 else -1
        gap = total - int(counts.sum())
    return counts


def _moves(
    rng: np.random.Generator,
    cycle: np.ndarray,
    count: np.ndarray,
    pool_size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each move's stage (0: closed), kind and estimate (index into the pool).

    One row per opportunity, one column per move; 35% of those with two entries or
    more end Won (45% of them) or Lost.
    """
    n = cycle.size
    stage_count = np.array([len(stages) for _, _, stages in _CYCLES])[cycle]
    closed = (rng.random(n) < 0.35) & (count >= 2)
    won = closed & (rng.random(n) < 0.45)
    moves = count - closed  # the entries in a stage
    shape = (n, _MAX_ENTRIES)
    stage = np.zeros(shape, np.int8)
    kind = np.zeros(shape, np.int8)
    value = np.zeros(shape, np.int32)  # index into pool
    stage[:, 0] = 1
    value[:, 0] = rng.integers(0, pool_size, n)
    for j in range(1, _MAX_ENTRIES):
        before = stage[:, j - 1].astype(np.int16)
        draw = rng.random(n)
        move = np.select(
            [draw < 0.65, draw < 0.75, draw < 0.85], [_NEXT, _PREVIOUS, _JUMP], _UPDATE
        )
        move = np.where((move == _PREVIOUS) & (before == 1), _NEXT, move)
        move = np.where((move == _JUMP) & (before + 2 > stage_count), _NEXT, move)
        move = np.where((move == _NEXT) & (before + 1 > stage_count), _UPDATE, move)
        step = np.select(
            [move == _NEXT, move == _PREVIOUS, move == _JUMP], [1, -1, 2], 0
        )
        in_stage = j < moves
        stage[:, j] = np.where(in_stage, before + step, 0)
        kind[:, j] = np.where(in_stage, move, np.where(won, _WON, _LOST))
        fresh = rng.integers(0, pool_size, n)
        value[:, j] = np.where(in_stage & (move == _UPDATE), fresh, value[:, j - 1])
    return stage, kind, value


def _history(opportunities: int, entries: int, seed: int) -> dict[str, np.ndarray]:
    """Return the entries as flat arrays, opportunity by opportunity, oldest first."""
    rng = np.random.default_rng(seed)
    n = opportunities
    shares = np.array([share for _, share, _ in _CYCLES])
    cycle = rng.choice(len(_CYCLES), size=n, p=shares / shares.sum()).astype(np.int8)
    count = _entries_per_opportunity(rng, n, entries)
    pool = np.maximum(
        np.rint(rng.lognormal(np.log(2_000_000), 1.0, size=10_000)), 10_000
    ).astype(np.int64)  # estimated values in cents
    stage, kind, value = _moves(rng, cycle, count, pool.size)
    shape = stage.shape

    gaps = rng.integers(0, 31, size=shape)
    gaps[:, 0] = 0
    offset = np.cumsum(gaps, axis=1)
    span = offset[np.arange(n), count - 1]
    start = rng.integers(0, _DAYS, n)
    start = np.clip(np.minimum(start, _DAYS - 1 - span), 0, None)
    day = start[:, None] + offset

    # per stage: its default chances, overridden by the salesperson a quarter of
    # the time; the probability is chances x completed / 100 (Multiply)
    completed_of = np.zeros((len(_CYCLES), 7), np.int16)
    chances_of = np.zeros((len(_CYCLES), 7), np.int16)
    for c, (_, _, stages) in enumerate(_CYCLES):
        for s, (done, chances) in enumerate(stages, start=1):
            completed_of[c, s], chances_of[c, s] = done, chances
    completed = completed_of[cycle[:, None], stage]
    chances = chances_of[cycle[:, None], stage]
    own = rng.random(shape) < 0.25
    chances = np.where(own & (stage > 0), rng.integers(1, 20, shape) * 5, chances)
    is_won, is_lost = kind == _WON, kind == _LOST
    completed = np.where(is_won | is_lost, 100, completed)
    chances = np.where(is_won, 100, np.where(is_lost, 0, chances))
    hundredths = (chances * completed).astype(np.int32)  # probability x 100
    cents = pool[value]
    calcd = np.rint(cents * hundredths / 10_000).astype(np.int64)
    calcd = np.where(is_won, cents, np.where(is_lost, 0, calcd))

    seq = np.broadcast_to(np.arange(_MAX_ENTRIES), shape)
    keep = seq < count[:, None]
    last = seq == (count - 1)[:, None]
    days_open = np.zeros(shape, np.int16)
    days_open[:, :-1] = gaps[:, 1:]
    days_open[last] = 0
    previous = np.zeros(shape, np.int8)
    previous[:, 1:] = stage[:, :-1]
    flat: dict[str, np.ndarray] = {
        "opportunity": np.broadcast_to(np.arange(n, dtype=np.int32)[:, None], shape)[
            keep
        ],
        "seq": seq[keep].astype(np.int8),
        "cycle": np.broadcast_to(cycle[:, None], shape)[keep],
        "stage": stage[keep],
        "previous": previous[keep],
        "kind": kind[keep],
        "day": day[keep].astype(np.int16),
        "active": last[keep],
        "days_open": days_open[keep],
        "value_cents": cents[keep],
        "calcd_cents": calcd[keep],
        "chances": chances[keep].astype(np.int16),
        "completed": completed[keep].astype(np.int16),
        "hundredths": hundredths[keep],
    }
    # entry numbers in date order across the opportunities (same day: by opportunity,
    # then by move), so an opportunity's later moves always have higher numbers
    order = np.lexsort((flat["seq"], flat["opportunity"], flat["day"]))
    entry_no = np.empty(order.size, np.int64)
    entry_no[order] = np.arange(1, order.size + 1)
    flat["entry_no"] = entry_no
    flat["order"] = order  # entry-number order of the flat rows
    return flat


def _decimals(values: np.ndarray, exponent: int) -> tuple[list[Decimal], np.ndarray]:
    """One Decimal per distinct value (``value * 10**exponent``) and each row's index."""
    distinct, index = np.unique(values, return_inverse=True)
    return [Decimal(int(v)).scaleb(exponent) for v in distinct.tolist()], index


def _entries(
    flat: dict[str, np.ndarray], opportunities: int, batch: int
) -> Iterator[list[OpportunityEntry]]:
    """Yield the entries as ``OpportunityEntry`` objects, whole opportunities per batch."""
    numbers = [f"OP{i + 1:07d}" for i in range(opportunities)]
    contacts = [f"CT{i + 1:06d}" for i in range(max(1, opportunities // 3))]
    salespeople = [f"SP{i + 1:02d}" for i in range(50)]
    days = [_LAST_DAY - dt.timedelta(days=_DAYS - 1 - d) for d in range(_DAYS + 60)]
    codes = [code for code, _, _ in _CYCLES]
    percent = [Decimal(p) for p in range(101)]
    values, value_index = _decimals(flat["value_cents"], -2)
    calcds, calcd_index = _decimals(flat["calcd_cents"], -2)
    probabilities, probability_index = _decimals(flat["hundredths"], -2)
    probabilities = [p.normalize() if p else p for p in probabilities]
    starts = [*np.flatnonzero(flat["seq"] == 0).tolist(), flat["seq"].size]
    per_batch = max(1, round(batch * opportunities / flat["seq"].size))
    for first in range(0, opportunities, per_batch):
        lo, hi = starts[first], starts[min(first + per_batch, opportunities)]
        cols = {
            name: flat[name][lo:hi].tolist()
            for name in (
                "opportunity",
                "entry_no",
                "cycle",
                "stage",
                "previous",
                "kind",
                "day",
                "active",
                "days_open",
                "chances",
                "completed",
            )
        }
        value_i = value_index[lo:hi].tolist()
        calcd_i = calcd_index[lo:hi].tolist()
        probability_i = probability_index[lo:hi].tolist()
        rows = []
        for i in range(hi - lo):
            op = cols["opportunity"][i]
            stage = cols["stage"][i]
            kind = cols["kind"][i]
            date = days[cols["day"][i]]
            closing = kind in (_WON, _LOST)
            rows.append(
                OpportunityEntry(
                    entry_no=cols["entry_no"][i],
                    opportunity_no=numbers[op],
                    sales_cycle_code=codes[cols["cycle"][i]],
                    sales_cycle_stage=stage or None,
                    previous_sales_cycle_stage=cols["previous"][i] or None,
                    contact_no=contacts[op % len(contacts)],
                    contact_company_no=contacts[op % len(contacts)],
                    salesperson_code=salespeople[op % len(salespeople)],
                    date_of_change=date,
                    active=cols["active"][i],
                    date_closed=date if closing else None,
                    days_open=cols["days_open"][i],
                    action_taken=_TAKEN[kind],
                    action_type=_TYPE[kind],
                    estimated_value=values[value_i[i]],
                    calcd_current_value=calcds[calcd_i[i]],
                    completed_pct=percent[cols["completed"][i]],
                    chances_of_success_pct=percent[cols["chances"][i]],
                    probability_pct=probabilities[probability_i[i]],
                    estimated_close_date=date if closing else days[cols["day"][i] + 30],
                )
            )
        yield rows


def _load(
    crm: rm.Crm, flat: dict[str, np.ndarray], opportunities: int, batch: int
) -> tuple[float, float]:
    """Build the entries and commit them in batches; return (build s, commit s)."""
    build = commit = 0.0
    batches = _entries(flat, opportunities, batch)
    while True:
        start = time.perf_counter()
        rows = next(batches, None)
        build += time.perf_counter() - start
        if rows is None:
            return build, commit
        start = time.perf_counter()
        with crm.uow_factory() as uow:
            add = uow.opportunity_entries.add
            for entry in rows:
                add(entry)
            uow.commit()
        commit += time.perf_counter() - start


def _frame(flat: dict[str, np.ndarray]) -> pd.DataFrame:
    """The same rows as a DataFrame, in entry-number order."""
    order = flat["order"]
    stage = flat["stage"][order]
    base = np.datetime64(_LAST_DAY - dt.timedelta(days=_DAYS - 1), "D")
    taken = [str(t) for t in _TAKEN]
    return pd.DataFrame(
        {
            "entry_no": flat["entry_no"][order],
            "opportunity_no": flat["opportunity"][order],
            "sales_cycle_code": pd.Categorical.from_codes(
                flat["cycle"][order], categories=[code for code, _, _ in _CYCLES]
            ),
            "stage": pd.arrays.IntegerArray(stage, mask=stage == 0),
            "date_of_change": (
                base + flat["day"][order].astype("timedelta64[D]")
            ).astype("datetime64[ns]"),
            "active": flat["active"][order],
            "action_taken": pd.Categorical.from_codes(
                flat["kind"][order], categories=taken
            ),
            "estimated_value": flat["value_cents"][order] / 100,
            "calcd_current_value": flat["calcd_cents"][order] / 100,
            "chances": flat["chances"][order].astype(np.float64),
            "salesperson": flat["opportunity"][order] % 50,
            "days_open": flat["days_open"][order],
        }
    )


# --- the two sides --------------------------------------------------------------------

Result = dict[tuple[str, int], tuple[int, float, float, float]]


def _pandas_pipeline(df: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """The pipeline written directly in pandas."""
    if as_of is None:
        rows = df[df["active"]]
    else:
        rows = df[df["date_of_change"] <= pd.Timestamp(as_of)]
        rows = rows.drop_duplicates("opportunity_no", keep="last")  # entry-no order
    rows = rows[rows["stage"].notna() & ~rows["action_taken"].isin(("Won", "Lost"))]
    rows = rows.assign(weighted=rows["estimated_value"] * rows["chances"])
    out = rows.groupby(["sales_cycle_code", "stage"], observed=True, sort=True).agg(
        count=("entry_no", "size"),
        estimated_value=("estimated_value", "sum"),
        calcd_current_value=("calcd_current_value", "sum"),
        weighted_value=("weighted", "sum"),
    )
    out["weighted_value"] /= 100
    return out


def _from_pandas(out: pd.DataFrame) -> Result:
    return {
        (str(code), int(stage)): (
            int(r["count"]),
            float(r["estimated_value"]),
            float(r["calcd_current_value"]),
            float(r["weighted_value"]),
        )
        for (code, stage), r in out.iterrows()
    }


def _from_rows(rows: list[PipelineRow]) -> Result:
    return {
        (r.sales_cycle_code, r.stage): (
            r.count,
            float(r.estimated_value),
            float(r.calcd_current_value),
            float(r.weighted_value),
        )
        for r in rows
    }


def _agree(left: Result, right: Result) -> bool:
    if left.keys() != right.keys():
        return False
    for key, (count, *sums) in left.items():
        other_count, *other = right[key]
        if count != other_count:
            return False
        for a, b in zip(sums, other, strict=True):
            if abs(a - b) > 1e-6 * max(abs(a), abs(b), 1e-9):
                return False
    return True


def _library(crm: rm.Crm, as_of: dt.date | None) -> list[PipelineRow]:
    with crm.uow_factory() as uow:
        return uow.opportunity_entries.pipeline(as_of=as_of)


def _service(crm: rm.Crm) -> Callable[[dt.date | None], Any] | None:
    """``crm.opportunities.pipeline`` if that service exists yet."""
    if not hasattr(rm.Crm, "opportunities"):
        return None
    service = getattr(crm, "opportunities", None)
    call = getattr(service, "pipeline", None)
    if call is None:
        return None
    return lambda as_of: call(as_of=as_of)


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def _profile(run: Callable[[], Any]) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    return out.getvalue()


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(times), 6),
        "min_s": round(min(times), 6),
        "max_s": round(max(times), 6),
    }


def _statistics(crm: rm.Crm, df: pd.DataFrame, repeats: int) -> dict[str, Any]:
    """The §5.9 totals by salesperson and the time in stage, library and pandas."""

    def library_totals() -> dict[str, tuple[int, float]]:
        with crm.uow_factory() as uow:
            rows = uow.opportunity_entries.totals("salesperson_code")
        return {
            str(r.key): (r.no_of_opportunities, float(r.estimated_value)) for r in rows
        }

    def pandas_totals() -> dict[str, tuple[int, float]]:
        out = (
            df[df["active"]]
            .groupby("salesperson")
            .agg(count=("entry_no", "size"), value=("estimated_value", "sum"))
        )
        return {
            f"SP{int(k) + 1:02d}": (int(r["count"]), float(r["value"]))
            for k, r in out.iterrows()
        }

    def library_durations() -> dict[tuple[str, int], tuple[int, float, float]]:
        with crm.uow_factory() as uow:
            rows = uow.opportunity_entries.stage_durations()
        return {
            (r.sales_cycle_code, r.stage): (
                r.left,
                r.median_days or 0.0,
                r.p90_days or 0.0,
            )
            for r in rows
        }

    def pandas_durations() -> dict[tuple[str, int], tuple[int, float, float]]:
        finished = df[df["stage"].notna() & ~df["active"]]
        days = finished.groupby(["sales_cycle_code", "stage"], observed=True)[
            "days_open"
        ]
        out = pd.DataFrame(
            {"n": days.size(), "median": days.median(), "p90": days.quantile(0.9)}
        )
        return {
            (str(code), int(stage)): (int(r["n"]), float(r["median"]), float(r["p90"]))
            for (code, stage), r in out.iterrows()
        }

    report: dict[str, Any] = {}
    for name, mine, theirs in (
        ("totals by salesperson", library_totals, pandas_totals),
        ("time in stage", library_durations, pandas_durations),
    ):
        times: dict[str, list[float]] = {"library": [], "pandas": []}
        results: dict[str, Any] = {}
        for _ in range(repeats):
            results["library"], seconds = _timed(mine)
            times["library"].append(seconds)
            results["pandas"], seconds = _timed(theirs)
            times["pandas"].append(seconds)
        left, right = results["library"], results["pandas"]
        agree = left.keys() == right.keys() and all(
            left[k][0] == right[k][0]
            and all(
                abs(a - b) <= 1e-6 * max(abs(a), 1.0)
                for a, b in zip(left[k][1:], right[k][1:], strict=True)
            )
            for k in left
        )
        row = {
            "library": _summary(times["library"]),
            "pandas": _summary(times["pandas"]),
            "groups": len(left),
            "agree_with_pandas": agree,
        }
        row["ratio_library_to_pandas"] = round(
            row["library"]["median_s"] / row["pandas"]["median_s"], 6
        )
        report[name] = row
    return report


_QUERIES: dict[str, dt.date | None] = {
    "now": None,
    "as of 1 year before": _LAST_DAY - dt.timedelta(days=365),
    "as of 2 years before": _LAST_DAY - dt.timedelta(days=730),
}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000)
    parser.add_argument("--entries-per-opportunity", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--batch", type=int, default=50_000, help="entries committed per unit of work"
    )
    parser.add_argument("--seed", type=int, default=_SEED)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="20,000 opportunities, checked against the domain's pipeline_of too",
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also run the domain's pipeline_of over every entry once (slow)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the library")
    parser.add_argument("--out", type=Path, default=None, help="the JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.opportunities = 20_000
        args.reference = True
    if args.out is None:
        name = "pipeline-quick.json" if args.quick else "pipeline.json"
        args.out = _RESULTS / name
    args.entries = round(args.opportunities * args.entries_per_opportunity)
    return args


def _setup(args: argparse.Namespace) -> tuple[rm.Crm, pd.DataFrame, dict[str, float]]:
    """Generate the history, commit it into a workspace and build the DataFrame."""
    gc.disable()
    start = time.perf_counter()
    flat = _history(args.opportunities, args.entries, args.seed)
    generate_s = time.perf_counter() - start
    crm = rm.open()
    build_s, commit_s = _load(crm, flat, args.opportunities, args.batch)
    start = time.perf_counter()
    df = _frame(flat)
    frame_s = time.perf_counter() - start
    del flat
    gc.collect()
    gc.freeze()
    gc.enable()
    return (
        crm,
        df,
        {
            "generate_arrays": round(generate_s, 2),
            "build_entries": round(build_s, 2),
            "add_and_commit": round(commit_s, 2),
            "dataframe": round(frame_s, 3),
        },
    )


def _measure(crm: rm.Crm, df: pd.DataFrame, repeats: int) -> dict[str, dict[str, Any]]:
    """Time each query on both sides, interleaved run by run, and compare results."""
    service = _service(crm)
    sides = ("library", "pandas", "service")
    times = {name: {side: [] for side in sides} for name in _QUERIES}
    results: dict[str, dict[str, Result]] = {name: {} for name in _QUERIES}
    for _ in range(repeats):
        for name, as_of in _QUERIES.items():
            rows, seconds = _timed(lambda as_of=as_of: _library(crm, as_of))
            times[name]["library"].append(seconds)
            results[name]["library"] = _from_rows(rows)
            frame, seconds = _timed(lambda as_of=as_of: _pandas_pipeline(df, as_of))
            times[name]["pandas"].append(seconds)
            results[name]["pandas"] = _from_pandas(frame)
            if service is not None:
                found, seconds = _timed(lambda as_of=as_of: service(as_of))
                times[name]["service"].append(seconds)
                results[name]["service"] = _from_rows(
                    list(getattr(found, "rows", found))
                )
    report: dict[str, dict[str, Any]] = {}
    for name, as_of in _QUERIES.items():
        library = results[name]["library"]
        row: dict[str, Any] = {
            "as_of": None if as_of is None else as_of.isoformat(),
            "library": _summary(times[name]["library"]),
            "pandas": _summary(times[name]["pandas"]),
            "stages": len(library),
            "open_opportunities": sum(v[0] for v in library.values()),
            "agree_with_pandas": _agree(library, results[name]["pandas"]),
        }
        row["ratio_library_to_pandas"] = round(
            row["library"]["median_s"] / row["pandas"]["median_s"], 6
        )
        if service is not None:
            row["service"] = _summary(times[name]["service"])
            row["service"]["ratio_to_pandas"] = round(
                row["service"]["median_s"] / row["pandas"]["median_s"], 6
            )
            row["service"]["agrees"] = _agree(library, results[name]["service"])
        report[name] = row
    return report


def _reference(crm: rm.Crm, report: dict[str, dict[str, Any]]) -> None:
    """Run the domain's ``pipeline_of`` over every entry once, for each query."""
    with crm.uow_factory() as uow:
        entries = list(uow.opportunity_entries._entries.peek())  # noqa: SLF001
    for name, as_of in _QUERIES.items():
        found, seconds = _timed(lambda as_of=as_of: pipeline_of(entries, as_of=as_of))
        report[name]["reference_pipeline_of_s"] = round(seconds, 4)
        report[name]["agree_with_pipeline_of"] = _agree(
            _from_rows(_library(crm, as_of)), _from_rows(found)
        )


def _print(
    args: argparse.Namespace, report: dict[str, dict[str, Any]], setup: dict[str, float]
) -> None:
    service = all("service" in r for r in report.values())
    print(
        f"\nPipeline by stage, memory adapter: {args.opportunities:,} opportunities,"
        f" {args.entries:,} entries (median of {args.repeats}, seconds)"
    )
    print(
        f"{'query':<22} {'library s':>10} {'pandas s':>10} {'lib/pandas':>11}"
        f" {'stages':>7} {'open opps':>10} {'agree':>6}"
        + (f" {'service s':>10} {'svc/pandas':>11}" if service else "")
    )
    for name, r in report.items():
        line = (
            f"{name:<22} {r['library']['median_s']:>10.4f}"
            f" {r['pandas']['median_s']:>10.4f} {r['ratio_library_to_pandas']:>11.3g}"
            f" {r['stages']:>7} {r['open_opportunities']:>10,}"
            f" {'yes' if r['agree_with_pandas'] else 'NO':>6}"
        )
        if service:
            line += (
                f" {r['service']['median_s']:>10.4f}"
                f" {r['service']['ratio_to_pandas']:>11.3g}"
                + ("" if r["service"]["agrees"] else " (DIFFERS)")
            )
        print(line)
    if args.reference:
        print(
            "domain pipeline_of over every entry (one run, s): "
            + ", ".join(
                f"{name} {r['reference_pipeline_of_s']:.2f}"
                f" ({'agrees' if r['agree_with_pipeline_of'] else 'DIFFERS'})"
                for name, r in report.items()
            )
        )
    if not service:
        print("crm.opportunities.pipeline: not available in this build, not timed")
    per = 1e6 / args.entries
    print(
        f"setup (not in the query times): generate arrays"
        f" {setup['generate_arrays']:.1f} s, build OpportunityEntry objects"
        f" {setup['build_entries']:.1f} s ({setup['build_entries'] * per:.1f} us"
        f" each), add + commit in batches of {args.batch:,}"
        f" {setup['add_and_commit']:.1f} s ({setup['add_and_commit'] * per:.1f} us"
        f" each), DataFrame {setup['dataframe']:.2f} s; first as-of query after the"
        f" load (builds the running sums) {setup['first_as_of_after_commit']:.4f} s"
    )


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    crm, df, setup = _setup(args)
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The first as-of query after a commit adds up the index's change days once
    # (later ones bisect the running sums): time it apart from the medians.
    _, cold_s = _timed(lambda: _library(crm, _QUERIES["as of 1 year before"]))
    setup["first_as_of_after_commit"] = round(cold_s, 4)
    report = _measure(crm, df, args.repeats)
    extra = _statistics(crm, df, args.repeats)
    if args.reference:
        _reference(crm, report)
    slow = [n for n, r in report.items() if r["ratio_library_to_pandas"] > _TARGET]
    profiles = {
        name: _profile(lambda as_of=_QUERIES[name]: _library(crm, as_of))
        for name in (_QUERIES if args.profile else slow)
    }
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _print(args, report, setup)
    for name, r in extra.items():
        print(
            f"{name:<22} {r['library']['median_s']:>10.4f}"
            f" {r['pandas']['median_s']:>10.4f} {r['ratio_library_to_pandas']:>11.3g}"
            f" {r['groups']:>7} groups {'agree' if r['agree_with_pandas'] else 'DIFFER'}"
        )
    print(f"max RSS after loading {rss_loaded:,.0f} MiB, at the end {rss:,.0f} MiB")
    met = not slow and all(r["agree_with_pandas"] for r in report.values())
    print(
        f"target library <= {_TARGET}x pandas everywhere, results agreeing:"
        f" {'met' if met else 'NOT met'}"
    )
    for name, text in profiles.items():
        print(f"\ncProfile of the library, {name}:\n{text}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "opportunities": args.opportunities,
                "entries": args.entries,
                "repeats": args.repeats,
                "batch": args.batch,
                "seed": args.seed,
                "quick": args.quick,
                "last_day": _LAST_DAY.isoformat(),
                "python": platform.python_version(),
                "pandas": pd.__version__,
                "numpy": np.__version__,
                "service_timed": all("service" in r for r in report.values()),
                "setup_s": setup,
                "max_rss_mib": {"after_load": round(rss_loaded), "end": round(rss)},
                "target_ratio": _TARGET,
                "target_met": met,
                "rows": report,
                "statistics": extra,
                "profiles": profiles,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
