"""Benchmark BC date formulas: ours against the reference sketch of spec §10.4.

Usage::

    python bench/bench_calc_date.py [--n 100000] [--runs 5] [--seed 20240313]

It builds ``--n`` formula texts (a seeded, realistic mix of one to three terms, in
assorted spellings: brackets, lower case, spaces) and base dates, parses them once,
then times, as the median of ``--runs`` runs (round robin over the cases; the parse
cache is cleared and the garbage collector is off for each timing):

* ``formula.apply(base)`` and ``calc_date(formula, base)`` on the parsed formulas;
* ``calc_date(text, base)`` from the text (parse included; the cache hits only on
  texts that repeat within its 4096 entries);
* the peer, ``reference_calc_date(text, base)``, which parses the text every time;
* ``DateFormula.parse`` on the mix, the parser behind its cache on the mix, and
  ``DateFormula.parse`` on ten repeated texts (cache hits).

It checks that both implementations agree on every sample, probes the formulas on
which they differ on purpose, prints a table and writes
``bench/results/calc_date.json``.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gc
import json
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from relationship_mgmt.domain import dateformula
from relationship_mgmt.domain.dateformula import DateFormula, calc_date
from relationship_mgmt.errors import DateFormulaError

RESULTS = Path(__file__).resolve().parent / "results" / "calc_date.json"

# -- the peer: spec §10.4's sketch, reformatted for the linter, logic unchanged --------

TERM = re.compile(r"([+-]?)(?:(\d+)(WD|D|W|M|Q|Y)|(WD|D|W|M|Q|Y)(\d+)|C(D|W|M|Q|Y))")


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return d.replace(year=y, month=m, day=min(d.day, calendar.monthrange(y, m)[1]))


def reference_calc_date(formula: str, base: dt.date) -> dt.date:  # noqa: C901, PLR0912
    f = formula.strip().strip("<>").upper().replace(" ", "")
    d, pos = base, 0
    while pos < len(f):
        m = TERM.match(f, pos)
        if not m or m.end() == pos:
            msg = f"invalid date formula {formula!r}"
            raise ValueError(msg)
        sign = -1 if m.group(1) == "-" else 1
        if m.group(2):  # number + unit
            n, u = int(m.group(2)) * sign, m.group(3)
            if u == "D":
                d += dt.timedelta(days=n)
            elif u == "WD":
                d += dt.timedelta(days=n)  # treated as days (unverified)
            elif u == "W":
                d += dt.timedelta(weeks=n)
            elif u == "M":
                d = add_months(d, n)
            elif u == "Q":
                d = add_months(d, 3 * n)
            elif u == "Y":
                d = add_months(d, 12 * n)
        elif m.group(4):  # unit + number (positional)
            u, n = m.group(4), int(m.group(5))
            if u == "WD":
                step = dt.timedelta(days=sign)
                d += step
                while d.isoweekday() != n:
                    d += step
            elif u == "D":
                step = dt.timedelta(days=sign)
                d += step
                while d.day != n:
                    d += step
            else:
                raise NotImplementedError(u)  # W/M/Q/Y positional: rare, unverified
        else:  # C + unit
            u = m.group(6)
            if u == "D":
                pass
            elif u == "W":
                d = d + dt.timedelta(
                    days=(7 - d.isoweekday()) if sign > 0 else -(d.isoweekday() - 1)
                )
            elif u == "M":
                d = (
                    d.replace(day=calendar.monthrange(d.year, d.month)[1])
                    if sign > 0
                    else d.replace(day=1)
                )
            elif u == "Q":
                qs = 3 * ((d.month - 1) // 3) + 1
                d = (
                    dt.date(d.year, qs, 1)
                    if sign < 0
                    else dt.date(d.year, qs + 2, calendar.monthrange(d.year, qs + 2)[1])
                )
            elif u == "Y":
                d = dt.date(d.year, 12, 31) if sign > 0 else dt.date(d.year, 1, 1)
        pos = m.end()
    return d


# -- the sample -------------------------------------------------------------------------

RELATIVE_UNITS = ("D", "W", "M", "Q", "Y", "WD")
RELATIVE_WEIGHTS = (40, 15, 25, 5, 10, 5)
CURRENT_UNITS = ("D", "W", "M", "Q", "Y")
CURRENT_WEIGHTS = (2, 20, 50, 15, 13)
COMMON = ("CM+1D", "1M+CM", "30D", "-CW", "CQ+1M-10D", "D15", "-WD2", "1W", "14D", "1Y")


def random_term(rng: random.Random, *, first: bool) -> tuple[str, str]:
    """Return (term text with sign, kind label)."""
    kind = rng.choices(("relative", "current", "positional"), (60, 25, 15))[0]
    if kind == "relative":
        unit = rng.choices(RELATIVE_UNITS, RELATIVE_WEIGHTS)[0]
        number = rng.randint(0, 99) if rng.random() < 0.9 else rng.randint(100, 999)
        body, label = f"{number}{unit}", f"n{unit}"
    elif kind == "current":
        unit = rng.choices(CURRENT_UNITS, CURRENT_WEIGHTS)[0]
        body, label = f"C{unit}", f"C{unit}"
    elif rng.random() < 0.5:
        body, label = f"WD{rng.randint(1, 7)}", "WDn"
    else:
        body, label = f"D{rng.randint(1, 31)}", "Dn"
    plus = 0.85 if first else 0.7
    sign = ("" if first else "+") if rng.random() < plus else "-"
    if first and sign == "" and rng.random() < 0.1:
        sign = "+"
    return sign + body, label


def spell(rng: random.Random, terms: list[str]) -> str:
    """Join terms in one of the spellings users type."""
    style = rng.random()
    text = "".join(terms)
    if style < 0.15:
        return text.lower()
    if style < 0.3:
        return f"<{text}>"
    if style < 0.4:
        return " ".join(terms).replace("+", "+ ").replace("-", "- ")
    return text


def build_sample(n: int, seed: int) -> list[tuple[str, dt.date, str]]:
    rng = random.Random(seed)
    lo = dt.date(1990, 1, 1).toordinal()
    hi = dt.date(2040, 12, 31).toordinal()
    sample: list[tuple[str, dt.date, str]] = []
    for _ in range(n):
        count = rng.choices((1, 2, 3), (60, 30, 10))[0]
        parts = [random_term(rng, first=index == 0) for index in range(count)]
        text = spell(rng, [part for part, _ in parts])
        kinds = "+".join(label for _, label in parts)
        sample.append((text, dt.date.fromordinal(rng.randint(lo, hi)), kinds))
    return sample


# -- timing ---------------------------------------------------------------------------


def clear_parse_cache() -> None:
    dateformula._parse_cached.cache_clear()  # noqa: SLF001 - start every run cold


def timed(function: Callable[[], object]) -> float:
    clear_parse_cache()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start
    finally:
        gc.enable()


def measure(
    cases: dict[str, Callable[[], object]], runs: int
) -> dict[str, list[float]]:
    """Time every case once per run, round robin, so that load on the machine
    falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, function in cases.items():
            times[name].append(timed(function))
    return times


def run_apply(pairs: list[tuple[DateFormula, dt.date]]) -> None:
    for formula, base in pairs:
        formula.apply(base)


def run_calc_date_parsed(pairs: list[tuple[DateFormula, dt.date]]) -> None:
    for formula, base in pairs:
        calc_date(formula, base)


def run_calc_date_text(pairs: list[tuple[str, dt.date]]) -> None:
    for text, base in pairs:
        calc_date(text, base)


def run_reference(pairs: list[tuple[str, dt.date]]) -> None:
    for text, base in pairs:
        reference_calc_date(text, base)


def run_parse(texts: list[str]) -> None:
    parse = DateFormula.parse
    for text in texts:
        parse(text)


def run_parse_uncached(texts: list[str]) -> None:
    parse = dateformula._parse  # noqa: SLF001 - the parser behind the cache
    for text in texts:
        parse(text)


# -- agreement --------------------------------------------------------------------------

# Formulas on which we differ from the sketch on purpose (module docstring of
# relationship_mgmt.domain.dateformula). WD8, D0 and D32 are left out of the probe:
# the sketch loops forever on them.
PROBES: tuple[tuple[str, str], ...] = (
    ("1D+2D+3D+4D", "more than 3 terms: we refuse (§10.1), the sketch accepts"),
    ("10000D", "number above 9999: we refuse (§10.1), the sketch accepts"),
    ("CM1D", "no sign between terms: we refuse, the sketch accepts"),
    ("1 D", "space inside a term: we refuse, the sketch removes all spaces"),
    ("M3", "positional M: we raise DateFormulaError, the sketch NotImplementedError"),
    ("-1D", "at 0001-01-01: we raise DateFormulaError, the sketch OverflowError"),
)


def outcome(
    function: Callable[[str, dt.date], dt.date], text: str, base: dt.date
) -> str:
    try:
        return function(text, base).isoformat()
    except (DateFormulaError, ValueError, NotImplementedError, OverflowError) as error:
        return type(error).__name__


def check_agreement(
    sample: list[tuple[str, dt.date, str]],
) -> tuple[int, Counter[str], list[str]]:
    kinds: Counter[str] = Counter()
    examples: list[str] = []
    for text, base, kind in sample:
        ours = outcome(calc_date, text, base)
        peer = outcome(reference_calc_date, text, base)
        if ours != peer:
            kinds[kind] += 1
            if len(examples) < 10:
                examples.append(f"{text!r} on {base}: ours {ours}, peer {peer}")
    return sum(kinds.values()), kinds, examples


def probe() -> list[dict[str, str]]:
    rows = []
    for text, why in PROBES:
        base = dt.date(1, 1, 1) if text == "-1D" else dt.date(2024, 3, 13)
        rows.append(
            {
                "formula": text,
                "base": base.isoformat(),
                "ours": outcome(calc_date, text, base),
                "peer": outcome(reference_calc_date, text, base),
                "why": why,
            }
        )
    return rows


# -- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="formulas per run")
    parser.add_argument("--runs", type=int, default=5, help="runs; the median counts")
    parser.add_argument("--seed", type=int, default=20240313)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    n: int = args.n
    runs: int = args.runs

    sample = build_sample(n, args.seed)
    texts = [text for text, _, _ in sample]
    parsed = [(DateFormula.parse(text), base) for text, base, _ in sample]
    by_text = [(text, base) for text, base, _ in sample]
    repeated = [COMMON[index % len(COMMON)] for index in range(n)]

    cases: dict[str, Callable[[], object]] = {
        "ours: formula.apply(base)": lambda: run_apply(parsed),
        "ours: calc_date(formula, base)": lambda: run_calc_date_parsed(parsed),
        "ours: calc_date(text, base)": lambda: run_calc_date_text(by_text),
        "peer: reference_calc_date(text, base)": lambda: run_reference(by_text),
        "ours: DateFormula.parse(text), mix": lambda: run_parse(texts),
        "ours: parse without the cache, mix": lambda: run_parse_uncached(texts),
        "ours: DateFormula.parse(text), 10 repeated": lambda: run_parse(repeated),
    }
    measured = measure(cases, runs)
    clear_parse_cache()
    run_parse(texts)
    cache = dateformula._parse_cached.cache_info()  # noqa: SLF001
    hit_ratio = cache.hits / (cache.hits + cache.misses)
    medians = {name: statistics.median(times) for name, times in measured.items()}
    rates = {name: n / seconds for name, seconds in medians.items()}
    peer = rates["peer: reference_calc_date(text, base)"]
    disagreements, kinds, examples = check_agreement(sample)
    probes = probe()

    width = max(map(len, rates))
    print(
        f"n = {n:,} formulas, median of {runs} runs, gc off, {platform.python_version()}"
    )
    print(
        f"{'measurement':<{width}}  {'median s':>9}  {'formulas/s':>12}  {'vs peer':>7}"
    )
    for name, rate in rates.items():
        ratio = f"{rate / peer:6.2f}x" if "parse" not in name else "      -"
        print(f"{name:<{width}}  {medians[name]:9.4f}  {rate:12,.0f}  {ratio}")
    print(f"parse cache hit ratio on the mix (cold start): {hit_ratio:.1%}")
    print(f"distinct texts in the mix: {len(set(texts)):,}")
    print(f"\nagreement with the peer on the sample: {disagreements} disagreements")
    for kind, count in kinds.most_common():
        print(f"  {kind}: {count}")
    for line in examples:
        print(f"  e.g. {line}")
    print("\ndeliberate differences (probes, not part of the sample):")
    for row in probes:
        print(f"  {row['formula']!r} on {row['base']}: ours {row['ours']}, ", end="")
        print(f"peer {row['peer']} - {row['why']}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "command": "python bench/bench_calc_date.py " + " ".join(sys.argv[1:]),
        "n": n,
        "runs": runs,
        "seed": args.seed,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "median_seconds": medians,
        "formulas_per_second": rates,
        "run_seconds": measured,
        "ratio_apply_vs_peer": rates["ours: formula.apply(base)"] / peer,
        "ratio_calc_date_text_vs_peer": rates["ours: calc_date(text, base)"] / peer,
        "distinct_texts": len(set(texts)),
        "parse_cache_hit_ratio_on_mix": hit_ratio,
        "disagreements": disagreements,
        "disagreements_by_kind": dict(kinds),
        "disagreement_examples": examples,
        "deliberate_differences": probes,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0 if disagreements == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
