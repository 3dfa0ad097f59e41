"""The demo's chapter on salespeople, teams and interactions (spec §3, §8)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli.interactions import (
    entries_table,
    ingest_table,
    statistics_table,
)
from relationship_mgmt.interop.email import read_messages

__all__ = ["interactions_chapter"]


def interactions_chapter(crm: rm.Crm, console: Console) -> None:
    """Salespeople and a team, templates, logging, idempotency, statistics."""
    console.print(
        "Salespeople and teams (§8) own the work; interaction templates (§3.2) give "
        "logged interactions their defaults; the log (§3.3) is append-only."
    )
    crm.salespeople.create(
        "JO", name="Jo Smith", job_title="Account manager", email="jo@cronus.example"
    )
    crm.salespeople.create("AP", name="Annette Hill", email="annette@cronus.example")
    crm.salespeople.create_team("SALES", name="Sales team", members=["JO", "AP"])
    crm.interactions.create_group("SALES", description="Sales contacts")
    crm.interactions.create_template(
        "CALL",
        group="SALES",
        description="Phone call",
        unit_cost_lcy="2.50",
        unit_duration_min=10,
        information_flow="Outbound",
        initiated_by="Us",
    )
    crm.interactions.create_template(
        "MEETING",
        group="SALES",
        description="Meeting at the customer",
        unit_cost_lcy="45",
        unit_duration_min=60,
        initiated_by="Us",
        correspondence_type="",
    )
    crm.interactions.create_template(
        "EMAIL", group="SALES", description="E-mail", initiated_by="Them"
    )
    crm.interactions.use_template_for("E-Mails", "EMAIL")

    company = crm.contacts.search("Cronus Cardoxy")[0]
    jane = next(c for c in crm.contacts.search("Jane") if c.type == "Person")
    call = crm.interactions.log(
        contact_no=jane.no,
        template="CALL",
        salesperson_code="JO",
        description="Introduction call",
        idempotency_key="demo-call-1",
    )
    again = crm.interactions.log(
        contact_no=jane.no,
        template="CALL",
        salesperson_code="JO",
        description="Introduction call",
        idempotency_key="demo-call-1",
    )
    console.print(
        f"Logging the same call twice with idempotency key 'demo-call-1' returns entry "
        f"{again.entry_no} both times: nothing is logged twice ({again == call})."
    )
    try:
        crm.interactions.log(
            contact_no=jane.no,
            template="CALL",
            salesperson_code="JO",
            description="Something else",
            idempotency_key="demo-call-1",
        )
    except rm.IdempotencyConflictError as error:
        console.print(
            f"The same key with another payload is refused: [italic]{error}[/italic]"
        )
    crm.interactions.log(
        contact_no=company.no, template="MEETING", salesperson_code="AP"
    )
    crm.interactions.log(
        contact_no=jane.no,
        template="CALL",
        salesperson_code="JO",
        description="No answer",
        interaction_successful=False,
    )
    saved = crm.interactions.log(
        contact_no=jane.no, template="CALL", salesperson_code="JO", postponed=True
    )
    crm.interactions.resume(saved.entry_no, description="Follow-up call")
    mistake = crm.interactions.log(
        contact_no=company.no, template="MEETING", salesperson_code="AP"
    )
    crm.interactions.cancel(mistake.entry_no)
    crm.interactions.evaluate(call.entry_no, "Very Positive")
    console.print(entries_table("Interaction log entries", crm.interactions.list()))
    console.print(
        statistics_table(
            f"{company.name}: the company's figures cover its persons (§2.2)",
            crm.interactions.statistics(contact_no=company.no),
        )
    )
    console.print(
        statistics_table(
            f"{jane.name}: her own (the failed call counts, but not as her last interaction)",
            crm.interactions.statistics(contact_no=jane.no),
        )
    )
    crm.salespeople.change("AP", blocked=True)
    try:
        crm.interactions.log(
            contact_no=company.no, template="MEETING", salesperson_code="AP"
        )
    except rm.SalespersonBlockedError as error:
        console.print(
            f"A blocked salesperson is refused (§8): [italic]{error}[/italic]"
        )
    crm.salespeople.change("AP", blocked=False)
    _email_section(crm, console)


_MAILBOX = """From MAILER-DAEMON Mon Mar  2 09:30:00 2026
From: Jo Smith <jo@cronus.example>
To: info@cronus-cardoxy.example, someone@unknown.example
Subject: Your quote
Date: Mon, 02 Mar 2026 09:30:00 +0000
Message-ID: <quote-1@cronus.example>

Please find our quote attached.

From MAILER-DAEMON Mon Mar  2 11:00:00 2026
From: info@cronus-cardoxy.example
To: jo@cronus.example
Subject: Re: Your quote
Date: Mon, 02 Mar 2026 11:00:00 +0000
Message-ID: <reply-1@cronus-cardoxy.example>

Thank you.
"""


def _email_section(crm: rm.Crm, console: Console) -> None:
    console.print(
        "E-mail logging (§1.4), the library's way: an mbox is read with the standard "
        "library, senders and recipients are matched to contacts by e-mail, the own "
        "domains tell inbound from outbound, and the Message-ID keeps a second "
        "ingest from logging anything twice."
    )
    crm.setup.change(own_email_domains="cronus.example")
    with tempfile.TemporaryDirectory() as folder:
        mbox = Path(folder) / "inbox.mbox"
        mbox.write_text(_MAILBOX)
        first = crm.email_logging.ingest(read_messages(mbox))
        again = crm.email_logging.ingest(read_messages(mbox))
    console.print(ingest_table(first))
    console.print(
        f"Ingesting the same mailbox again logged {again.entries_logged} entries "
        f"({again.duplicates_skipped} already logged)."
    )
