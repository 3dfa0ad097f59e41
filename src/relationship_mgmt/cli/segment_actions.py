"""``relmgmt segments``: the other segment actions of §4.10.

``create-opportunities``, ``create-tasks``, ``apply-mailing-group`` and
``delete-logged``, added to the ``segments`` group by :func:`add_segment_actions`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import click
from rich.console import Console

from relationship_mgmt.cli._common import workspace
from relationship_mgmt.domain.segment_actions import logged_segments_deleted_message
from relationship_mgmt.domain.tasks import TaskType

__all__ = [
    "add_segment_actions",
    "apply_mailing_group",
    "create_opportunities",
    "create_tasks",
    "delete_logged",
]

_DATE = click.DateTime(formats=["%Y-%m-%d"])
_TYPES = {
    "blank": TaskType.BLANK,
    "meeting": TaskType.MEETING,
    "phone-call": TaskType.PHONE_CALL,
}
_PRIORITIES = {"low": "Low", "normal": "Normal", "high": "High"}


def _number(
    _: click.Context, param: click.Parameter, value: str | None
) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a number", param=param) from None


def _nos(numbers: list[str]) -> str:
    return ", ".join(numbers) if numbers else "none"


@click.command("create-opportunities")
@click.argument("no")
@click.option("--cycle", "sales_cycle_code", help="Default: the setup's (§5.8).")
@click.option("--description", "-m", help="Default: each line's description.")
@click.option("--salesperson", "salesperson_code", help="Default: each line's.")
@click.option("--campaign", "campaign_no", help="Default: each line's (§5.4).")
@click.option(
    "--priority", type=click.Choice(sorted(_PRIORITIES), case_sensitive=False)
)
@click.option(
    "--activate",
    is_flag=True,
    help="Start each at the cycle's first stage; needs --value, --chances, "
    "--close-date.",
)
@click.option("--value", callback=_number, metavar="NUMBER", help="Estimated Value.")
@click.option("--chances", callback=_number, metavar="NUMBER", help="Chances %.")
@click.option("--close-date", type=_DATE, metavar="YYYY-MM-DD", help="Estimated.")
@click.pass_context
def create_opportunities(
    ctx: click.Context,
    no: str,
    sales_cycle_code: str | None,
    description: str | None,
    salesperson_code: str | None,
    campaign_no: str | None,
    priority: str | None,
    activate: bool,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
) -> None:
    """Create an opportunity for every line of segment NO (§4.10, §5.8)."""
    if not activate and (value, chances, close_date) != (None, None, None):
        raise click.UsageError("--value, --chances and --close-date need --activate")
    with workspace(ctx) as crm:
        created = crm.segments.create_opportunities(
            no,
            sales_cycle_code=sales_cycle_code,
            activate_first_stage=activate,
            estimated_value=value,
            chances_of_success_pct=chances,
            estimated_close_date=None if close_date is None else close_date.date(),
            description=description,
            salesperson_code=salesperson_code,
            campaign_no=campaign_no,
            priority=None if priority is None else _PRIORITIES[priority.lower()],
        )
    ctx.obj["console"].print(
        f"{len(created)} opportunity(ies) created from segment {no.upper()}: "
        f"{_nos([o.no for o in created])}."
    )


@click.command("create-tasks")
@click.argument("no")
@click.option("--salesperson", "salesperson_code", help="Default: the segment's.")
@click.option("--team", "team_code", help="A team task instead (§7.5).")
@click.option(
    "--type",
    "kind",
    type=click.Choice(sorted(_TYPES), case_sensitive=False),
    help="A meeting is one meeting with the contacts as attendees.",
)
@click.option(
    "--date",
    "day",
    type=_DATE,
    metavar="YYYY-MM-DD",
    help="Default: the setup's Default Task Date Calculation (§7.3).",
)
@click.option("--description", "-m", help="What is to be done.")
@click.option(
    "--priority", type=click.Choice(sorted(_PRIORITIES), case_sensitive=False)
)
@click.option("--organizer", help="The meeting organizer of a team meeting (§7.5).")
@click.pass_context
def create_tasks(
    ctx: click.Context,
    no: str,
    salesperson_code: str | None,
    team_code: str | None,
    kind: str | None,
    day: dt.datetime | None,
    description: str | None,
    priority: str | None,
    organizer: str | None,
) -> None:
    """Create a task for every contact of segment NO (§4.10, §7.5)."""
    fields: dict[str, object] = {
        "salesperson_code": salesperson_code,
        "team_code": team_code,
        "description": description,
        "type": None if kind is None else _TYPES[kind.lower()],
        "date": None if day is None else day.date(),
        "priority": None if priority is None else _PRIORITIES[priority.lower()],
    }
    with workspace(ctx) as crm:
        created = crm.segments.create_tasks(
            no,
            meeting_organizer=organizer,
            **{name: value for name, value in fields.items() if value is not None},
        )
    ctx.obj["console"].print(
        f"{len(created)} task(s) created for segment {no.upper()}: "
        f"{_nos([t.no for t in created])}."
    )


@click.command("apply-mailing-group")
@click.argument("no")
@click.argument("code")
@click.option(
    "--delete-old",
    is_flag=True,
    help="Delete Old Assignments: take the group from every contact first.",
)
@click.pass_context
def apply_mailing_group(
    ctx: click.Context, no: str, code: str, delete_old: bool
) -> None:
    """Put the contacts of segment NO in mailing group CODE (report 5184)."""
    with workspace(ctx) as crm:
        applied = crm.segments.apply_mailing_group(
            no, code, delete_old_assignments=delete_old
        )
    console: Console = ctx.obj["console"]
    console.print(applied.message)
    console.print(
        f"{len(applied.added)} contact(s) added, {len(applied.removed)} removed."
    )


@click.command("delete-logged")
@click.option(
    "--entry",
    "entry_nos",
    type=int,
    multiple=True,
    help="Only this logged segment (repeatable).",
)
@click.option("--segment", "segment_no", help="Only the logged segments of NO.")
@click.pass_context
def delete_logged(
    ctx: click.Context, entry_nos: tuple[int, ...], segment_no: str | None
) -> None:
    """Delete the canceled logged segments (report 5191); their entries stay."""
    with workspace(ctx) as crm:
        count = crm.segments.delete_logged_segments(
            entry_nos=entry_nos or None, segment_no=segment_no
        )
    ctx.obj["console"].print(logged_segments_deleted_message(count))


def add_segment_actions(group: click.Group) -> None:
    """Add the commands of this module to the ``segments`` group."""
    for command in (
        create_opportunities,
        create_tasks,
        apply_mailing_group,
        delete_logged,
    ):
        group.add_command(command)
