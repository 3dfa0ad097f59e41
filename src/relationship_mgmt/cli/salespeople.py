"""``relmgmt salespeople``: salespeople/purchasers and teams (spec §8)."""

from __future__ import annotations

import click
from rich.table import Table

from relationship_mgmt.cli._common import parse_assignments, workspace

__all__ = ["salespeople"]


@click.group()
def salespeople() -> None:
    """Salespeople/purchasers and teams (spec §8)."""


@salespeople.command("add")
@click.argument("code")
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.pass_context
def add(ctx: click.Context, code: str, assignments: tuple[str, ...]) -> None:
    """Create a salesperson, e.g. ``name="Jo Smith" email=jo@cronus.example``."""
    fields = parse_assignments(assignments, raw=True)
    for flag in ("blocked", "privacy_blocked"):
        if flag in fields:
            fields[flag] = str(fields[flag]).lower() in {"yes", "true", "on"}
    with workspace(ctx) as crm:
        salesperson = crm.salespeople.create(code, **fields)
    ctx.obj["console"].print(f"Salesperson {salesperson.code} created.")


@salespeople.command("list")
@click.pass_context
def list_salespeople(ctx: click.Context) -> None:
    """List the salespeople and the teams."""
    with workspace(ctx) as crm:
        people, teams = crm.salespeople.list(), crm.salespeople.teams()
    table = Table(title="Salespeople/purchasers")
    for column in ("Code", "Name", "Job title", "E-mail", "Blocked"):
        table.add_column(column)
    for sp in people:
        blocked = "privacy" if sp.privacy_blocked else ("yes" if sp.blocked else "")
        table.add_row(sp.code, sp.name, sp.job_title, sp.email, blocked)
    ctx.obj["console"].print(table)
    if teams:
        team_table = Table(title="Teams")
        for column in ("Code", "Name", "Members"):
            team_table.add_column(column)
        for team in teams:
            team_table.add_row(team.code, team.name, ", ".join(team.members))
        ctx.obj["console"].print(team_table)


@salespeople.command("team")
@click.argument("code")
@click.argument("members", nargs=-1)
@click.option("--name", default="", help="The team's name.")
@click.pass_context
def team(ctx: click.Context, code: str, members: tuple[str, ...], name: str) -> None:
    """Create a team with its members (§8)."""
    with workspace(ctx) as crm:
        created = crm.salespeople.create_team(code, name=name, members=members)
    ctx.obj["console"].print(
        f"Team {created.code} created with {len(created.members)} member(s)."
    )
