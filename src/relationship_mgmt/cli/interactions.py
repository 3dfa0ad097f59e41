"""``relmgmt interactions``: groups, templates, logging and the log (spec §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import click
from rich import box
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from relationship_mgmt.cli._common import parse_assignments, workspace
from relationship_mgmt.domain.email_logging import IngestReport
from relationship_mgmt.domain.interactions import (
    InteractionLogEntry,
    InteractionStatistics,
)
from relationship_mgmt.interop.email import read_messages

__all__ = ["entries_table", "ingest_table", "interactions", "statistics_table"]


def entries_table(title: str, entries: Iterable[InteractionLogEntry]) -> Table:
    """Render log entries as BC's Interaction Log Entries page does."""
    table = Table(title=title, box=box.SIMPLE_HEAD)
    widths = {"Date": 10, "Contact": 8, "Template": 8}
    for column in ("No.", "Date", "Contact", "Template", "Description", "By", "Cost"):
        table.add_column(column, min_width=widths.get(column))
    table.add_column("State", min_width=8)
    for e in entries:
        state = ", ".join(
            word
            for word, flag in (
                ("canceled", e.canceled),
                ("postponed", e.postponed),
                ("failed", e.attempt_failed),
                (str(e.evaluation), bool(e.evaluation)),
            )
            if flag
        )
        table.add_row(
            str(e.entry_no),
            "" if e.date is None else e.date.isoformat(),
            e.contact_no or "",
            e.interaction_template_code or "",
            e.description,
            e.salesperson_code or "",
            str(e.cost_lcy),
            state,
        )
    return table


def statistics_table(title: str, figures: InteractionStatistics) -> Table:
    """Render interaction FlowFields (§2.2)."""
    table = Table(title=title)
    table.add_column("Figure", style="bold")
    table.add_column("Value")
    for label, value in (
        ("No. of Interactions", figures.no_of_interactions),
        ("Cost (LCY)", figures.cost_lcy),
        ("Duration (Min.)", figures.duration_min),
        ("Date of Last Interaction", figures.date_of_last_interaction),
        ("Last Date Attempted", figures.last_date_attempted),
    ):
        table.add_row(label, "" if value is None else str(value))
    return table


@click.group()
def interactions() -> None:
    """Interaction groups and templates, logging and the log (spec §3)."""


@interactions.command("add-group")
@click.argument("code")
@click.argument("description", default="")
@click.pass_context
def add_group(ctx: click.Context, code: str, description: str) -> None:
    """Create an interaction group (§3.1)."""
    with workspace(ctx) as crm:
        group = crm.interactions.create_group(code, description=description)
    ctx.obj["console"].print(f"Interaction group {group.code} created.")


@interactions.command("add-template")
@click.argument("code")
@click.argument("group")
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.pass_context
def add_template(
    ctx: click.Context, code: str, group: str, assignments: tuple[str, ...]
) -> None:
    """Create an interaction template (§3.2), e.g. ``description="Phone call"``."""
    fields = parse_assignments(assignments)
    if "description" in fields:
        fields["description"] = str(fields["description"])
    with workspace(ctx) as crm:
        template = crm.interactions.create_template(code, group=group, **fields)
    ctx.obj["console"].print(f"Interaction template {template.code} created.")


@interactions.command("log")
@click.argument("contact_no")
@click.argument("template")
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.option("--key", help="An idempotency key: logging it again logs nothing.")
@click.pass_context
def log(
    ctx: click.Context,
    contact_no: str,
    template: str,
    assignments: tuple[str, ...],
    key: str | None,
) -> None:
    """Log an interaction with a contact (§3.4); the template gives the defaults."""
    fields = parse_assignments(assignments)
    for text in ("description", "subject", "contact_via"):
        if text in fields:
            fields[text] = str(fields[text])
    day = fields.pop("date", None)
    try:
        when = None if day is None else dt.date.fromisoformat(str(day))
    except ValueError as error:
        raise click.BadParameter(f"date={day}: not a date (YYYY-MM-DD)") from error
    with workspace(ctx) as crm:
        entry = crm.interactions.log(
            contact_no=contact_no,
            template=template,
            date=when,
            idempotency_key=key,
            **fields,
        )
    console: Console = ctx.obj["console"]
    console.print(entries_table(f"Interaction log entry {entry.entry_no}", [entry]))


@interactions.command("list")
@click.option("--contact", "contact_no", help="A contact's entries (a company's: all).")
@click.option("--limit", type=int, help="Only the newest N entries.")
@click.option(
    "--canceled/--live", default=None, help="Only canceled or only live entries."
)
@click.pass_context
def list_entries(
    ctx: click.Context, contact_no: str | None, limit: int | None, canceled: bool | None
) -> None:
    """List logged interactions, oldest first (newest first with --limit)."""
    with workspace(ctx) as crm:
        found = crm.interactions.list(
            contact_no=contact_no, canceled=canceled, limit=limit
        )
    ctx.obj["console"].print(entries_table("Interaction log entries", found))


@interactions.command("cancel")
@click.argument("entry_no", type=int)
@click.pass_context
def cancel(ctx: click.Context, entry_no: int) -> None:
    """Cancel a logged interaction: it counts in no statistic (§3.6)."""
    with workspace(ctx) as crm:
        entry = crm.interactions.cancel(entry_no)
    ctx.obj["console"].print(f"Interaction log entry {entry.entry_no} canceled.")


@interactions.command("stats")
@click.option("--contact", "contact_no", help="A contact's figures (§2.2).")
@click.option("--template", "template_code", help="A template's figures (§3.2).")
@click.option("--salesperson", "salesperson_code", help="A salesperson's (§8).")
@click.pass_context
def stats(
    ctx: click.Context,
    contact_no: str | None,
    template_code: str | None,
    salesperson_code: str | None,
) -> None:
    """Show the interaction statistics of a contact, template or salesperson."""
    with workspace(ctx) as crm:
        figures = crm.interactions.statistics(
            contact_no=contact_no,
            template_code=template_code,
            salesperson_code=salesperson_code,
        )
    ctx.obj["console"].print(statistics_table("Interaction statistics", figures))


@interactions.command("ingest")
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--batch", type=int, default=500, show_default=True, help="Messages a commit."
)
@click.option(
    "--unmatched",
    type=int,
    default=10,
    show_default=True,
    help="Unmatched addresses to list.",
)
@click.pass_context
def ingest(ctx: click.Context, path: str, batch: int, unmatched: int) -> None:
    """Log e-mail from an .eml file, a folder of them or an mbox (§1.4).

    Each message between a salesperson and contacts becomes one entry per contact,
    with the E-Mails template; the Message-ID makes ingesting again log nothing
    twice.
    """
    console: Console = ctx.obj["console"]
    with (
        workspace(ctx) as crm,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,} messages"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task(f"Ingesting {path}", total=None)
        report = crm.email_logging.ingest(
            read_messages(path),
            progress=lambda read: progress.update(task, completed=read),
            batch=batch,
        )
    console.print(ingest_table(report, unmatched=unmatched))


def ingest_table(report: IngestReport, *, unmatched: int = 10) -> Table:
    """Render an e-mail ingest's report."""
    table = Table(title="E-mail ingest")
    table.add_column("", style="bold")
    table.add_column("Count", justify="right")
    for label, count in (
        ("Messages read", report.messages_read),
        ("Entries logged", report.entries_logged),
        ("Already logged (skipped)", report.duplicates_skipped),
        ("Messages without a salesperson", report.without_salesperson),
        ("Privacy-blocked contacts skipped", sum(report.privacy_blocked.values())),
        ("Messages without a Message-ID", report.synthetic_ids),
        ("Errors", len(report.errors)),
        ("Unmatched addresses", len(report.unmatched)),
    ):
        table.add_row(label, f"{count:,}")
    top = sorted(report.unmatched.items(), key=lambda item: (-item[1], item[0]))
    for address, count in top[:unmatched]:
        table.add_row(f"  {address}", f"{count:,}")
    return table
