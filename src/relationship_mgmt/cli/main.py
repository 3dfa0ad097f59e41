"""``relmgmt``: the command line of relationship_mgmt."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli import _render
from relationship_mgmt.cli._common import database_url, parse_assignments, workspace
from relationship_mgmt.cli.contacts import contacts
from relationship_mgmt.cli.demo import run_demo
from relationship_mgmt.cli.duplicates import duplicates
from relationship_mgmt.cli.interactions import interactions
from relationship_mgmt.cli.opportunities import (
    campaigns,
    opportunities,
    pipeline,
    sales_cycles,
)
from relationship_mgmt.cli.profiles import profiles
from relationship_mgmt.cli.salespeople import salespeople
from relationship_mgmt.cli.segment_actions import add_segment_actions
from relationship_mgmt.cli.segments import segments
from relationship_mgmt.cli.tasks import tasks

__all__ = ["cli", "main"]

_DEFAULT_DB = "crm.db"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(rm.__version__, prog_name="relmgmt")
@click.option(
    "--database",
    "-d",
    envvar="RELMGMT_DATABASE",
    default=_DEFAULT_DB,
    show_default=True,
    help="A SQLite file path or a database URL (sqlite:///..., postgresql+psycopg://...).",
)
@click.pass_context
def cli(ctx: click.Context, database: str) -> None:
    """Relationship management the way Business Central does it."""
    ctx.ensure_object(dict)
    ctx.obj["database"] = database
    ctx.obj["console"] = Console()


@cli.group()
def setup() -> None:
    """Show and change the Relationship Management setup."""


@setup.command("show")
@click.pass_context
def setup_show(ctx: click.Context) -> None:
    """Print the setup and the number series."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        console.print(_render.setup_table(crm.setup.get()))
        console.print(_render.number_series_table(crm.setup.all_number_series()))


@setup.command("set")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.pass_context
def setup_set(ctx: click.Context, assignments: tuple[str, ...]) -> None:
    """Change setup fields, e.g. ``relmgmt setup set search_hit_pct=70``."""
    changes = parse_assignments(assignments)
    with workspace(ctx) as crm:
        ctx.obj["console"].print(_render.setup_table(crm.setup.change(**changes)))


@cli.command()
@click.option(
    "--database",
    "-d",
    "demo_database",
    default="demo.db",
    show_default=True,
    help="Where the demo workspace goes (recreated on every run).",
)
@click.option(
    "--keep",
    is_flag=True,
    help="Keep an existing demo database instead of recreating it.",
)
@click.pass_context
def demo(ctx: click.Context, demo_database: str, keep: bool) -> None:
    """Tour every area of the library on a fresh workspace."""
    url = database_url(demo_database)
    if url.startswith("sqlite:///") and not keep:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    try:
        run_demo(url, ctx.obj["console"])
    except rm.RelationshipMgmtError as error:
        raise click.ClickException(str(error)) from error


cli.add_command(contacts)
cli.add_command(duplicates)
cli.add_command(profiles)
cli.add_command(salespeople)
cli.add_command(interactions)
cli.add_command(tasks)
cli.add_command(sales_cycles)
cli.add_command(opportunities)
cli.add_command(pipeline)
cli.add_command(campaigns)
add_segment_actions(segments)  # §4.10: create-opportunities, create-tasks ...
cli.add_command(segments)


def main() -> None:
    """Run ``relmgmt``."""
    cli(prog_name="relmgmt")
