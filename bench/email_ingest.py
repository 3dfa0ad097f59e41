"""E-mail logging: an mbox of 10,000 messages against 100,000 contacts (issue #4 item 6).

Target: at least 2,000 messages a second end to end (``read_messages`` over the mbox
into ``EmailLoggingService.ingest``) on the memory adapter. Beside it, in the same
run, the floor: parsing alone, both the library's header reader (``read_messages``)
and the plain stdlib (``mailbox.mbox`` iterated with its default message factory,
which parses every message whole). Also shown: the ingest of pre-parsed messages,
and a second ingest of the same mailbox (everything a duplicate).

The mailbox is synthetic and seeded: 45% outbound from one of 20 salespeople to one
to three recipients (mostly contacts, some unknown addresses), 45% inbound from a
contact or an unknown sender to one or two salespeople, 5% from an own address that
is no salesperson, 4% internal; 1% carry no Message-ID, a few are unreadable, and
0.5% of the contacts are privacy blocked. The 100,000 contacts are bulk-loaded
into the memory store (as ``bench/duplicates.py`` does), each with an E-Mail and
every tenth with an E-Mail 2. Peak memory is the ingest's Python allocations
(``tracemalloc``, one extra run: tracing slows the timed runs) and the process's
maximum RSS. Usage::

    .venv/bin/python bench/email_ingest.py [--messages 10000] [--contacts 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import email.utils
import gc
import json
import mailbox
import platform
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import relationship_mgmt as rm
from relationship_mgmt.adapters.memory import InMemoryStore, in_memory_uow_factory
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.email_logging import IngestReport, MailMessage
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.interop.email import read_messages
from relationship_mgmt.services.email_logging import EmailLoggingService
from relationship_mgmt.testing import FrozenClock

_RESULTS = Path(__file__).parent / "results" / "email_ingest.json"
_NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
_SALESPEOPLE = 20
_OWN = "cronus.example"


def _contact_address(i: int) -> str:
    return f"buyer{i}@company{i // 5}.example"


def _contacts(count: int) -> dict[object, object]:
    """Stored-shape companies, built from one template without create's rules."""
    template = Contact.create_company(
        no="TEMPLATE", name="Template", now=_NOW, setup=RelationshipSetup()
    )
    rows: dict[object, object] = {}
    for i in range(count):
        contact = copy.copy(template)
        no = f"CT{i + 1:06d}"
        for name, value in {
            "no": no,
            "company_no": no,
            "name": f"Company {i}",
            "company_name": f"Company {i}",
            "search_name": f"COMPANY {i}",
            "email": _contact_address(i),
            "email_2": f"accounts{i}@company{i // 5}.example" if i % 10 == 0 else "",
            "privacy_blocked": i % 200 == 7,
            "version": 1,
        }.items():
            object.__setattr__(contact, name, value)
        rows[no] = contact
    return rows


def _workspace(contacts: dict[object, object]) -> rm.Crm:
    store = InMemoryStore()
    crm = rm.Crm(uow_factory=in_memory_uow_factory(store), clock=FrozenClock(_NOW))
    crm.setup.use_default_number_series()
    crm.setup.change(own_email_domains=_OWN)
    for n in range(_SALESPEOPLE):
        crm.salespeople.create(f"SP{n:02d}", name=f"Rep {n}", email=f"rep{n}@{_OWN}")
    crm.interactions.create_group("mail", description="E-mail")
    crm.interactions.create_template("email", group="mail", description="E-mail")
    crm.interactions.use_template_for("E-Mails", "email")
    store.table("contacts").update(contacts)  # the rows are shared, never changed
    return crm


def _message(rng: random.Random, n: int, contacts: int) -> str:
    def contact() -> str:
        if rng.random() < 0.1:
            return f"someone{rng.randrange(5000)}@elsewhere{rng.randrange(50)}.example"
        return _contact_address(rng.randrange(contacts))

    def rep() -> str:
        return f"rep{rng.randrange(_SALESPEOPLE)}@{_OWN}"

    kind = rng.random()
    if kind < 0.45:
        sender, to = rep(), [contact() for _ in range(rng.randint(1, 3))]
    elif kind < 0.90:
        sender, to = contact(), [rep() for _ in range(rng.randint(1, 2))]
    elif kind < 0.95:
        sender, to = f"support@{_OWN}", [contact()]
    else:
        sender, to = rep(), [rep()]
    sent = _NOW - dt.timedelta(minutes=7 * n)
    headers = [
        f"From: Person {n} <{sender}>",
        f"To: {', '.join(to)}",
        f"Subject: Re: order {n} and delivery",
        f"Date: {email.utils.format_datetime(sent)}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if n % 100 != 3:
        headers.append(f"Message-ID: <{n}.{rng.randrange(10**9)}@mail.example>")
    if n % 2000 == 11:
        headers = ["Subject: a message without sender or date"]
    body = "Hello,\n\nthanks for your order; delivery is planned for next week.\n\n-- \nRegards\n"
    return "\n".join(headers) + "\n\n" + body


def _mailbox(path: Path, messages: int, contacts: int) -> None:
    rng = random.Random(20260302)
    with path.open("w", encoding="utf-8") as out:
        for n in range(messages):
            out.write("From MAILER-DAEMON Mon Mar  2 09:30:00 2026\n")
            out.write(_message(rng, n, contacts))
            out.write("\n")


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def _ingest(
    contacts: dict[object, object], source: Callable[[], Any]
) -> tuple[IngestReport, float]:
    crm = _workspace(contacts)
    service = EmailLoggingService(crm.uow_factory, crm.clock)
    return _timed(lambda: service.ingest(source()))


def _reingest(contacts: dict[object, object], path: Path) -> tuple[IngestReport, float]:
    crm = _workspace(contacts)
    service = EmailLoggingService(crm.uow_factory, crm.clock)
    service.ingest(read_messages(path))
    return _timed(lambda: service.ingest(read_messages(path)))


def _stdlib(path: Path) -> int:
    box = mailbox.mbox(path, create=False)
    senders = [message["From"] for message in box]
    box.close()
    return len(senders)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    contacts = _contacts(args.contacts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inbox.mbox"
        _mailbox(path, args.messages, args.contacts)
        parsed: list[MailMessage] = [
            m for m in read_messages(path) if isinstance(m, MailMessage)
        ]
        rows: dict[str, Callable[[], float]] = {
            "read_messages + ingest (end to end)": lambda: _ingest(
                contacts, lambda: read_messages(path)
            )[1],
            "ingest of pre-parsed messages": lambda: _ingest(contacts, lambda: parsed)[
                1
            ],
            "second ingest of the mailbox (all duplicates)": lambda: _reingest(
                contacts, path
            )[1],
            "floor: read_messages alone (header parse)": lambda: _timed(
                lambda: sum(1 for _ in read_messages(path))
            )[1],
            "floor: stdlib mailbox.mbox, full parse": lambda: _timed(
                lambda: _stdlib(path)
            )[1],
        }
        results: dict[str, dict[str, int]] = {}
        for name, run in rows.items():
            rates = [args.messages / run() for _ in range(args.runs)]
            results[name] = {
                "median_per_s": round(statistics.median(rates)),
                "min_per_s": round(min(rates)),
                "max_per_s": round(max(rates)),
            }
        report, _ = _ingest(contacts, lambda: read_messages(path))
        crm = _workspace(contacts)
        service = EmailLoggingService(crm.uow_factory, crm.clock)
        gc.collect()
        tracemalloc.start()
        service.ingest(read_messages(path))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor = results["floor: read_messages alone (header parse)"]["median_per_s"]
    print(
        f"\nE-mail ingest: {args.messages:,} messages, {args.contacts:,} contacts,"
        f" memory adapter (median of {args.runs})"
    )
    print(f"{'path':<50} {'median/s':>9} {'min/s':>8} {'max/s':>8} {'÷ floor':>8}")
    for name, r in results.items():
        print(
            f"{name:<50} {r['median_per_s']:>9,} {r['min_per_s']:>8,}"
            f" {r['max_per_s']:>8,} {r['median_per_s'] / floor:>8.2f}"
        )
    summary = {
        "messages_read": report.messages_read,
        "entries_logged": report.entries_logged,
        "duplicates_skipped": report.duplicates_skipped,
        "unmatched_addresses": len(report.unmatched),
        "without_salesperson": report.without_salesperson,
        "privacy_blocked_skipped": sum(report.privacy_blocked.values()),
        "synthetic_ids": report.synthetic_ids,
        "errors": len(report.errors),
    }
    print(
        "\nreport of one ingest: " + ", ".join(f"{k} {v:,}" for k, v in summary.items())
    )
    print(
        f"peak Python allocations during one ingest (tracemalloc): {peak / 2**20:.1f} MiB;"
        f" process max RSS: {rss_mb:.0f} MiB"
    )
    target = results["read_messages + ingest (end to end)"]["median_per_s"] >= 2000
    print(f"target >= 2,000 messages/s end to end: {'met' if target else 'NOT met'}")
    _RESULTS.parent.mkdir(exist_ok=True)
    _RESULTS.write_text(
        json.dumps(
            {
                "messages": args.messages,
                "contacts": args.contacts,
                "runs": args.runs,
                "python": platform.python_version(),
                "rows": results,
                "report": summary,
                "peak_traced_mib": round(peak / 2**20, 1),
                "max_rss_mib": round(rss_mb),
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
