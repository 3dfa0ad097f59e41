"""``relmgmt segments``: segments built with criteria in BC filter notation (spec §4).

Criteria are given as BC filters, one per field: ``--where "name=A*|B*"`` tests a
contact field, ``--has "interaction:interaction_template_code=CALL;date=2026-01-01.."``
asks for at least ``--at-least`` related records matching every filter after the
colon (separated by ``;``). Several options are all required (and).

>>> print(criteria_from(["country_code=CZ|SK"], ["mailing_group:code=NEWS"], 1))
And(items=(In(record='contact', field='country_code', values=('CZ', 'SK')), Has(relation='mailing_group', where=Compare(record='mailing_group', field='code', op=<Op.EQ: '='>, value='NEWS', ignore_case=False), at_least=1)))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import click
from rich import box
from rich.console import Console
from rich.table import Table

from relationship_mgmt.adapters.delivery import DEFAULT_SENDER, EmlOutbox
from relationship_mgmt.cli._common import workspace
from relationship_mgmt.domain.bc_filters import format_filter, parse_filter
from relationship_mgmt.domain.criteria import And, Criteria, Has, Not, Or
from relationship_mgmt.domain.segments import Segment, SegmentLine
from relationship_mgmt.errors import ValidationError

__all__ = ["criteria_from", "criteria_text", "segment_lines_table", "segments"]


def _split(assignment: str, option: str) -> tuple[str, str]:
    field, sep, text = assignment.partition("=")
    if not sep or not field.strip():
        raise click.BadParameter(
            f"{assignment!r} is not FIELD=FILTER", param_hint=option
        )
    return field.strip(), text


def criteria_from(
    wheres: Sequence[str], hases: Sequence[str], at_least: int
) -> Criteria:
    """Build criteria from ``--where`` and ``--has`` options (BC filter notation).

    Raises:
        click.BadParameter: An option that is not FIELD=FILTER or REL:FIELD=FILTER.
        ValidationError: A filter or field the criteria refuse.
    """
    items: list[Criteria] = []
    for assignment in wheres:
        field, text = _split(assignment, "--where")
        items.append(parse_filter(text, field=field, record="contact"))
    for spec in hases:
        relation, _, filters = spec.partition(":")
        tests = [
            parse_filter(text, field=field, record=relation.strip())
            for field, text in (
                _split(part, "--has") for part in filters.split(";") if part.strip()
            )
        ]
        inner: Criteria | None = None
        if len(tests) == 1:
            inner = tests[0]
        elif tests:
            inner = And(items=tuple(tests))
        items.append(Has(relation=relation.strip(), where=inner, at_least=at_least))
    if not items:
        raise click.BadParameter("give at least one --where or --has")
    return items[0] if len(items) == 1 else And(items=tuple(items))


def segment_lines_table(
    segment: Segment, lines: Iterable[SegmentLine] | None = None
) -> Table:
    """The lines of a segment as a table."""
    table = Table(
        title=f"Segment {segment.no} {segment.description}".rstrip(),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for column in ("Line", "Contact", "Company", "Salesperson", "Template", "Corr."):
        table.add_column(column)
    for line in segment.lines if lines is None else lines:
        table.add_row(
            str(line.line_no),
            line.contact_no,
            line.contact_company_no or "",
            line.salesperson_code or "",
            line.interaction_template_code or "",
            str(line.correspondence_type),
        )
    return table


def _field_of(criteria: Criteria) -> str | None:
    if isinstance(criteria, Not):
        return _field_of(criteria.item)
    if isinstance(criteria, And | Or):
        return _field_of(criteria.items[0]) if criteria.items else None
    return getattr(criteria, "field", None)


def criteria_text(criteria: Criteria) -> str:
    """Criteria written back as the command line's FIELD=FILTER options, where possible.

    >>> criteria_text(criteria_from(["name=A*"], ["interaction:cost_lcy=>5"], 2))
    'name=A* & interaction[cost_lcy=>5] at least 2'
    """
    if isinstance(criteria, And):
        return " & ".join(criteria_text(item) for item in criteria.items)
    if isinstance(criteria, Has):
        inner = "" if criteria.where is None else f"[{criteria_text(criteria.where)}]"
        count = f" at least {criteria.at_least}" if criteria.at_least > 1 else ""
        return f"{criteria.relation}{inner}{count}"
    try:
        return f"{_field_of(criteria)}={format_filter(criteria)}"
    except ValidationError:
        return repr(criteria)


_WHERE = click.option(
    "--where", "wheres", multiple=True, metavar="FIELD=FILTER", help="A contact filter."
)
_HAS = click.option(
    "--has",
    "hases",
    multiple=True,
    metavar="REL[:FIELD=FILTER;...]",
    help="Related records (interaction, mailing_group, industry_group, ...).",
)
_AT_LEAST = click.option(
    "--at-least", type=click.IntRange(min=1), default=1, show_default=True
)


@click.group()
def segments() -> None:
    """Segments: Add Contacts, Reduce, Refine, Go Back (spec §4)."""


@segments.command("create")
@click.option("--description", "-m", default="")
@click.option("--template", help="An interaction template whose defaults it takes.")
@click.option("--campaign", "campaign_no")
@click.option("--salesperson", "salesperson_code")
@click.pass_context
def create_segment(
    ctx: click.Context,
    description: str,
    template: str | None,
    campaign_no: str | None,
    salesperson_code: str | None,
) -> None:
    """Create a segment numbered from Segment Nos."""
    fields = {
        k: v
        for k, v in (
            ("campaign_no", campaign_no),
            ("salesperson_code", salesperson_code),
        )
        if v
    }
    with workspace(ctx) as crm:
        segment = crm.segments.create(
            description=description, template=template, **fields
        )
    ctx.obj["console"].print(f"Segment {segment.no} created.")


@segments.command("list")
@click.pass_context
def list_segments(ctx: click.Context) -> None:
    """List the segments with their line and action counts."""
    with workspace(ctx) as crm:
        found = crm.segments.list()
    table = Table(title="Segments", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("No.", "Description", "Date", "Lines", "Actions"):
        table.add_column(column)
    for s in found:
        table.add_row(
            s.no, s.description, s.date.isoformat(), str(len(s.lines)),
            str(s.no_of_criteria_actions),
        )  # fmt: skip
    ctx.obj["console"].print(table)


@segments.command("add")
@click.argument("no")
@_WHERE
@_HAS
@_AT_LEAST
@click.option("--allow-existing", is_flag=True, help="Allow Existing Contacts.")
@click.option("--expand-companies", is_flag=True, help="Expand Companies.")
@click.option("--related-companies", is_flag=True, help="Allow Related Companies.")
@click.option("--ignore-exclusion", is_flag=True, help="Ignore Exclusion.")
@click.pass_context
def add_contacts(
    ctx: click.Context,
    no: str,
    wheres: tuple[str, ...],
    hases: tuple[str, ...],
    at_least: int,
    allow_existing: bool,
    expand_companies: bool,
    related_companies: bool,
    ignore_exclusion: bool,
) -> None:
    """Add Contacts (§4.5): the contacts that meet every filter."""
    with workspace(ctx) as crm:
        criteria = criteria_from(wheres, hases, at_least)
        added = crm.segments.add_contacts(
            no,
            criteria,
            allow_existing_contacts=allow_existing,
            expand_companies=expand_companies,
            allow_related_companies=related_companies,
            ignore_exclusion=ignore_exclusion,
        )
        segment = crm.segments.get(no)
    console: Console = ctx.obj["console"]
    console.print(f"{len(added)} contact(s) added to {segment.no}.")
    console.print(segment_lines_table(segment, added))


def _remove(ctx: click.Context, refine: bool, **options: object) -> None:
    wheres = options.pop("wheres")
    hases = options.pop("hases")
    at_least = options.pop("at_least")
    no = str(options.pop("no"))
    entire = bool(options.pop("entire_companies"))
    with workspace(ctx) as crm:
        criteria = criteria_from(wheres, hases, at_least)  # type: ignore[arg-type]
        method = crm.segments.refine if refine else crm.segments.reduce
        removed = method(no, criteria, entire_companies=entire)
        segment = crm.segments.get(no)
    console: Console = ctx.obj["console"]
    console.print(
        f"{len(removed)} line(s) removed from {segment.no}; {len(segment.lines)} left."
    )


@segments.command("reduce")
@click.argument("no")
@_WHERE
@_HAS
@_AT_LEAST
@click.option("--entire-companies", is_flag=True, help="Entire Companies.")
@click.pass_context
def reduce(ctx: click.Context, /, **options: object) -> None:
    """Remove Contacts - Reduce (§4.6): remove the lines that meet the filters."""
    _remove(ctx, False, **options)  # noqa: FBT003


@segments.command("refine")
@click.argument("no")
@_WHERE
@_HAS
@_AT_LEAST
@click.option("--entire-companies", is_flag=True, help="Entire Companies.")
@click.pass_context
def refine(ctx: click.Context, /, **options: object) -> None:
    """Remove Contacts - Refine (§4.6): keep only the lines that meet the filters."""
    _remove(ctx, True, **options)  # noqa: FBT003


@segments.command("back")
@click.argument("no")
@click.pass_context
def go_back(ctx: click.Context, no: str) -> None:
    """Go Back (§4.7): undo the last criteria action."""
    with workspace(ctx) as crm:
        segment = crm.segments.go_back(no)
    ctx.obj["console"].print(
        f"Undone; {segment.no} has {len(segment.lines)} line(s) and "
        f"{segment.no_of_criteria_actions} action(s)."
    )


@segments.command("show")
@click.argument("no")
@click.pass_context
def show(ctx: click.Context, no: str) -> None:
    """Show a segment's lines and its criteria actions."""
    with workspace(ctx) as crm:
        segment = crm.segments.get(no)
    console: Console = ctx.obj["console"]
    console.print(segment_lines_table(segment))
    table = Table(title="Criteria actions", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("No.", "Action", "Criteria", "Lines"):
        table.add_column(column)
    for action in segment.actions:
        rows = [h for h in segment.history if h.action_no == action.number]
        table.add_row(
            str(action.number),
            str(action.action) + (" (by hand)" if action.manual else ""),
            criteria_text(action.criteria),
            f"{len(rows)} {'inserted' if action.action == 'Add Contacts' else 'deleted'}",
        )
    console.print(table)


@segments.command("explain")
@click.argument("contact_no")
@_WHERE
@_HAS
@_AT_LEAST
@click.pass_context
def explain_contact(
    ctx: click.Context,
    contact_no: str,
    wheres: tuple[str, ...],
    hases: tuple[str, ...],
    at_least: int,
) -> None:
    """Explain why a contact meets the filters or not ([x] held, [ ] did not)."""
    with workspace(ctx) as crm:
        proof = crm.segments.explain(criteria_from(wheres, hases, at_least), contact_no)
    ctx.obj["console"].print("\n".join(proof.lines()), markup=False, highlight=False)


@segments.command("log")
@click.argument("no")
@click.option("--follow-up", is_flag=True, help="Create a follow-up segment.")
@click.option(
    "--deliver",
    is_flag=True,
    help="Send (§4.9): merge each line's template and deliver it to --outbox.",
)
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, writable=True),
    help="The folder the merged messages go to, one .eml file each.",
)
@click.option(
    "--sender",
    default=DEFAULT_SENDER,
    show_default=True,
    help="From address of messages whose salesperson has no e-mail.",
)
@click.pass_context
def log_segment(
    ctx: click.Context,
    no: str,
    follow_up: bool,
    deliver: bool,
    outbox: str | None,
    sender: str,
) -> None:
    """Log the segment (§4.9): one interaction per line; the segment is deleted.

    With --deliver, every line with a correspondence type is merged with its
    template's attachment and written to --outbox as an .eml file (a Hard Copy as
    .print.eml); each entry's Delivery Status tells whether it was delivered.
    """
    if deliver and outbox is None:
        raise click.UsageError("--deliver needs --outbox DIR")
    if outbox is not None and not deliver:
        raise click.UsageError("--outbox is only used with --deliver")
    with workspace(ctx) as crm:
        target = None if outbox is None else EmlOutbox(outbox, sender=sender)
        log = crm.segments.log(no, deliver=deliver, follow_up=follow_up, outbox=target)
    console: Console = ctx.obj["console"]
    console.print(
        f"Segment {log.logged.segment_no} logged as entry {log.logged.entry_no}: "
        f"{len(log.entries)} interaction(s)."
    )
    for refusal in log.refused:
        console.print(
            f"Line {refusal.line_no} ({refusal.contact_no}) left out: {refusal.reason}"
        )
    delivered = [d for d in log.deliveries if d.delivered]
    if deliver:
        console.print(
            f"{len(delivered)} of {len(log.deliveries)} message(s) written to "
            f"{outbox}.",
            markup=False,
            highlight=False,
        )
    for outcome in log.deliveries:
        if outcome.delivered:
            console.print(f"  {outcome.reference}", markup=False, highlight=False)
        else:
            console.print(
                f"  entry {outcome.entry_no} ({outcome.contact_no}): Error - "
                f"{outcome.error}",
                markup=False,
                highlight=False,
            )


@segments.command("cancel-log")
@click.argument("entry_no", type=int)
@click.option("--undo", is_flag=True, help="Clear Canceled instead.")
@click.pass_context
def cancel_log(ctx: click.Context, entry_no: int, undo: bool) -> None:
    """Cancel a logged segment with its interactions and campaign entries (§4.9)."""
    with workspace(ctx) as crm:
        logged = (
            crm.segments.uncancel_log(entry_no)
            if undo
            else crm.segments.cancel_log(entry_no)
        )
    state = "canceled" if logged.canceled else "no longer canceled"
    ctx.obj["console"].print(f"Logged segment {logged.entry_no} is {state}.")


@segments.command("save")
@click.argument("no")
@click.argument("code")
@click.option("--description", "-m", default="")
@click.pass_context
def save(ctx: click.Context, no: str, code: str, description: str) -> None:
    """Save the segment's criteria actions under CODE (§4.8)."""
    with workspace(ctx) as crm:
        saved = crm.segments.save_criteria(no, code, description=description)
    ctx.obj["console"].print(
        f"Criteria {saved.code} saved: {saved.no_of_actions} action(s)."
    )


@segments.command("reuse")
@click.argument("no")
@click.argument("code")
@click.pass_context
def reuse(ctx: click.Context, no: str, code: str) -> None:
    """Replay saved criteria CODE on the segment (§4.8)."""
    with workspace(ctx) as crm:
        segment = crm.segments.reuse_criteria(no, code)
    ctx.obj["console"].print(
        f"Criteria {code.upper()} replayed: {segment.no} has {len(segment.lines)} line(s)."
    )


@segments.command("reuse-logged")
@click.argument("no")
@click.argument("entry_no", type=int)
@click.pass_context
def reuse_logged(ctx: click.Context, no: str, entry_no: int) -> None:
    """Add the contacts of logged segment ENTRY_NO (§4.8 Reuse Logged Segment)."""
    with workspace(ctx) as crm:
        added = crm.segments.reuse_logged(no, entry_no)
    ctx.obj["console"].print(
        f"{len(added)} contact(s) added from logged segment {entry_no}."
    )


@segments.command("diff")
@click.option("--from", "as_of_a", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "as_of_b", type=click.DateTime(["%Y-%m-%d"]), required=True)
@_WHERE
@_HAS
@_AT_LEAST
@click.pass_context
def diff(
    ctx: click.Context,
    as_of_a: dt.datetime,
    as_of_b: dt.datetime,
    wheres: tuple[str, ...],
    hases: tuple[str, ...],
    at_least: int,
) -> None:
    """Who enters and who leaves the selection between two days, and why."""
    with workspace(ctx) as crm:
        change = crm.segments.diff(
            criteria_from(wheres, hases, at_least), as_of_a.date(), as_of_b.date()
        )
    console: Console = ctx.obj["console"]
    for label, rows in (("enters", change.entered), ("leaves", change.left)):
        for no, proof in rows:
            console.print(f"{no} {label}:")
            console.print("\n".join(proof.lines(1)), markup=False, highlight=False)
    if not change.entered and not change.left:
        console.print("No change.")
