"""``relmgmt``: the command line of relationship_mgmt."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli import _render
from relationship_mgmt.cli.demo import run_demo

__all__ = ["cli", "database_url", "main"]

_DEFAULT_DB = "crm.db"


def database_url(database: str) -> str:
    """Turn a ``--database`` value into a URL: a plain path means a SQLite file.

    >>> database_url("crm.db")
    'sqlite:///crm.db'
    >>> database_url("postgresql+psycopg://postgres@127.0.0.1/test")
    'postgresql+psycopg://postgres@127.0.0.1/test'
    """
    return database if "://" in database else f"sqlite:///{database}"


@contextmanager
def _workspace(ctx: click.Context) -> Iterator[rm.Crm]:
    try:
        crm = rm.open(database_url(ctx.obj["database"]))
    except rm.RelationshipMgmtError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield crm
    except rm.RelationshipMgmtError as error:
        raise click.ClickException(str(error)) from error
    finally:
        crm.close()


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
    with _workspace(ctx) as crm:
        console.print(_render.setup_table(crm.setup.get()))
        console.print(_render.number_series_table(crm.setup.all_number_series()))


@setup.command("set")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.pass_context
def setup_set(ctx: click.Context, assignments: tuple[str, ...]) -> None:
    """Change setup fields, e.g. ``relmgmt setup set search_hit_pct=70``."""
    changes: dict[str, object] = {}
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        if not sep:
            raise click.BadParameter(f"{assignment!r} is not FIELD=VALUE")
        changes[name.strip()] = _parse_value(text.strip())
    with _workspace(ctx) as crm:
        ctx.obj["console"].print(_render.setup_table(crm.setup.change(**changes)))


def _parse_value(text: str) -> object:
    lowered = text.lower()
    if lowered in {"true", "yes", "on"}:
        return True
    if lowered in {"false", "no", "off"}:
        return False
    if lowered in {"", "none", "-"}:
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    return text


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


def main() -> None:
    """Run ``relmgmt``."""
    cli(prog_name="relmgmt")
