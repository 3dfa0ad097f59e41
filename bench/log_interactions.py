"""Interactions logged per second through ``crm.interactions.log`` (issue #4).

Target: at least 20,000 a second on the memory adapter. Beside it, in the same run,
the floor the service is measured against: building the same entries with the pure
domain (``plan_interaction``) and appending them to a list, with no storage or unit
of work. Usage::

    .venv/bin/python bench/log_interactions.py [--logs 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import relationship_mgmt as rm
from relationship_mgmt.domain.interactions import (
    InteractionRequest,
    plan_interaction,
)
from relationship_mgmt.testing import FrozenClock

_RESULTS = Path(__file__).parent / "results" / "log_interactions.json"
_NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
_CONTACTS = 1000


def _workspace(url: str | None = None) -> tuple[rm.Crm, list[rm.ContactNo]]:
    crm = rm.open(url, clock=FrozenClock(_NOW))
    crm.setup.use_default_number_series()
    crm.salespeople.create("jo", name="Jo Smith")
    crm.interactions.create_group("sales")
    crm.interactions.create_template(
        "call", group="sales", description="Phone call", unit_cost_lcy="2.5"
    )
    numbers = [
        crm.contacts.create_company(name=f"Company {i}", salesperson_code="jo").no
        for i in range(_CONTACTS)
    ]
    return crm, numbers


def _service_run(logs: int, *, keys: bool, url: str | None = None) -> float:
    crm, numbers = _workspace(url)
    log = crm.interactions.log
    start = time.perf_counter()
    for i in range(logs):
        log(
            contact_no=numbers[i % _CONTACTS],
            template="call",
            idempotency_key=f"k{i}" if keys else None,
        )
    seconds = time.perf_counter() - start
    if crm.interactions.list(limit=1)[0].entry_no != logs:
        raise RuntimeError("not every interaction was logged")
    crm.close()
    return logs / seconds


def _sqlite_run(logs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        return _service_run(logs, keys=False, url=f"sqlite:///{folder}/crm.db")


def _domain_run(logs: int) -> float:
    crm, numbers = _workspace()
    contacts = [crm.contacts.get(no) for no in numbers]
    template = crm.interactions.get_template("call")
    entries = []
    start = time.perf_counter()
    for i in range(logs):
        request = InteractionRequest(
            contact_no=numbers[i % _CONTACTS], template_code="call", date=_NOW.date()
        )
        entries.append(
            plan_interaction(
                request,
                entry_no=i + 1,
                contact=contacts[i % _CONTACTS],
                template=template,
                user_id="",
            )
        )
    return logs / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sqlite-logs",
        type=int,
        default=1000,
        help="logs in the SQLite-file row (each commits to disk); 0 leaves it out",
    )
    args = parser.parse_args(argv)
    rows: dict[str, Callable[[], float]] = {
        "crm.interactions.log, memory": lambda: _service_run(args.logs, keys=False),
        "crm.interactions.log + idempotency key, memory": lambda: _service_run(
            args.logs, keys=True
        ),
        "floor: plan_interaction + list.append": lambda: _domain_run(args.logs),
    }
    if args.sqlite_logs:
        rows["crm.interactions.log, SQLite file (synchronous=FULL)"] = lambda: (
            _sqlite_run(args.sqlite_logs)
        )
    results = {}
    for name, run in rows.items():
        rates = [run() for _ in range(args.runs)]
        results[name] = {
            "median_per_s": round(statistics.median(rates)),
            "min_per_s": round(min(rates)),
            "max_per_s": round(max(rates)),
        }
    floor = results["floor: plan_interaction + list.append"]["median_per_s"]
    print(
        f"\nInteractions logged per second ({args.logs:,} logs, median of {args.runs})"
    )
    print(f"{'path':<56} {'median/s':>9} {'min/s':>8} {'max/s':>8} {'÷ floor':>8}")
    for name, r in results.items():
        print(
            f"{name:<56} {r['median_per_s']:>9,} {r['min_per_s']:>8,}"
            f" {r['max_per_s']:>8,} {r['median_per_s'] / floor:>8.2f}"
        )
    _RESULTS.parent.mkdir(exist_ok=True)
    _RESULTS.write_text(
        json.dumps({"logs": args.logs, "runs": args.runs, "rows": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
