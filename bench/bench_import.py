"""Benchmark the cost of ``import relationship_mgmt`` against the libraries around it.

Usage::

    python bench/bench_import.py [--runs 5]

Each import runs in a fresh interpreter under ``python -X importtime``; the figure is
the cumulative time of the top-level module, in milliseconds, as the median of
``--runs`` runs taken round robin over the modules (so machine noise spreads evenly).
Peers in the same run: the core dependencies (attrs, cattrs, dateutil's
relativedelta) and what a storage-backed application would import anyway
(SQLAlchemy). The script also checks that importing the library pulls in no optional
extra, prints a table and writes ``bench/results/import.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "import.json"
MODULES = [
    "relationship_mgmt",
    "attrs",
    "cattrs",
    "dateutil.relativedelta",
    "sqlalchemy",
]
EXTRAS = [
    "sqlalchemy",
    "alembic",
    "psycopg",
    "click",
    "rich",
    "httpx",
    "pandas",
    "cattrs",
]
_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$")


def import_ms(module: str) -> float:
    """Return the cumulative import time of ``module`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in reversed(result.stderr.splitlines()):
        match = _LINE.match(line)
        if match and match.group(2).strip() == module:
            return int(match.group(1)) / 1000
    message = f"no importtime line for {module}"
    raise RuntimeError(message)


def extras_pulled() -> list[str]:
    """Return the optional extras that ``import relationship_mgmt`` loads."""
    code = (
        "import sys, relationship_mgmt\n"
        f"print(','.join(m for m in {EXTRAS!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    return [m for m in out.split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    samples: dict[str, list[float]] = {m: [] for m in MODULES}
    for _ in range(args.runs):
        for module in MODULES:
            samples[module].append(import_ms(module))
    medians = {m: statistics.median(v) for m, v in samples.items()}
    ours = medians["relationship_mgmt"]

    print(f"import time, median of {args.runs} runs (python -X importtime)")
    print(f"{'module':<26}{'median ms':>10}{'min ms':>9}{'max ms':>9}{'ours / it':>11}")
    for module in MODULES:
        values = samples[module]
        print(
            f"{module:<26}{medians[module]:>10.1f}{min(values):>9.1f}"
            f"{max(values):>9.1f}{ours / medians[module]:>11.2f}"
        )
    pulled = extras_pulled()
    print(f"optional extras imported by `import relationship_mgmt`: {pulled or 'none'}")
    report = {
        "command": "python bench/bench_import.py --runs " + str(args.runs),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "median_ms": medians,
        "samples_ms": samples,
        "extras_imported": pulled,
        "target_ms": 150,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
