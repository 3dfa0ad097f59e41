"""``relmgmt duplicates``: find duplicate contacts, merge and unmerge them (spec §2.14)."""

from __future__ import annotations

from collections.abc import Iterable

import click
from rich.console import Console
from rich.table import Table

from relationship_mgmt.cli._common import workspace
from relationship_mgmt.domain.duplicates import DuplicateMatch
from relationship_mgmt.domain.merging import MergePlan

__all__ = ["duplicates", "matches_table", "plan_tables"]


def matches_table(title: str, matches: Iterable[DuplicateMatch]) -> Table:
    """Render duplicate pairs: the two numbers, the score and what agreed."""
    table = Table(title=title)
    for column in ("Contact", "Duplicate", "Score", "Hits", "Agreeing fields"):
        table.add_column(column)
    for m in matches:
        table.add_row(
            m.left, m.right, f"{m.score:.2f}", str(m.hits), ", ".join(m.agreeing_fields)
        )
    return table


def plan_tables(plan: MergePlan) -> list[Table]:
    """Render a merge plan: the field decisions, the conflicts and the re-points."""
    title = f"Merge {plan.merged_no} into {plan.survivor_no}"
    fields = Table(title=title)
    for column in ("Field", "Outcome", "Why"):
        fields.add_column(column)
    for d in plan.decisions:
        fields.add_row(d.field, d.outcome.value, d.reason)
    tables = [fields]
    if plan.conflicts:
        conflicts = Table(title="Conflicts (the survivor's value stays)")
        for column in ("Field", "Survivor", "Merged"):
            conflicts.add_column(column)
        for c in plan.conflicts:
            conflicts.add_row(c.field, c.survivor_value, c.merged_value)
        tables.append(conflicts)
    if plan.repoint:
        moves = Table(title="Records re-pointed to the survivor")
        for column in ("Kind", "Record", "From", "To"):
            moves.add_column(column)
        for r in plan.repoint:
            moves.add_row(r.kind, r.key, r.from_no, r.to_no)
        tables.append(moves)
    return tables


_METHOD = click.option(
    "--method",
    type=click.Choice(["bc", "default"]),
    default="default",
    show_default=True,
    help="BC's search strings (companies) or the library's fuzzy method.",
)


@click.group()
def duplicates() -> None:
    """Duplicate contacts: find, check, reindex, merge, unmerge (spec §2.14)."""


@duplicates.command("find")
@_METHOD
@click.pass_context
def find(ctx: click.Context, method: str) -> None:
    """List the duplicate pairs among the stored contacts (separate pairs left out)."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        found = crm.duplicates.find(method=method)
    console.print(matches_table(f"Duplicates ({method})", found))


@duplicates.command("check")
@click.argument("contact")
@_METHOD
@click.pass_context
def check(ctx: click.Context, contact: str, method: str) -> None:
    """List CONTACT's duplicates from the stored index (BC's check on insert)."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        found = crm.duplicates.check(contact, method=method)
    console.print(matches_table(f"Duplicates of {contact} ({method})", found))


@duplicates.command("reindex")
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the stored duplicate index (BC's Generate Dupl. Search String)."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        count = crm.duplicates.reindex()
    console.print(f"Indexed {count} contacts.")


@duplicates.command("merge")
@click.argument("survivor")
@click.argument("merged")
@click.option("--yes", is_flag=True, help="Apply the plan (otherwise only show it).")
@click.pass_context
def merge(ctx: click.Context, survivor: str, merged: str, yes: bool) -> None:
    """Show the plan to merge MERGED into SURVIVOR; apply it with --yes."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        plan = crm.duplicates.plan_merge(survivor, merged)
        for table in plan_tables(plan):
            console.print(table)
        if not yes:
            console.print("Dry run: nothing changed. Add --yes to merge.")
            return
        result = crm.duplicates.merge(plan)
    console.print(
        f"Merged {plan.merged_no} into {result.no}; "
        f"{plan.merged_no} now resolves to {result.no}."
    )


@duplicates.command("unmerge")
@click.argument("merged")
@click.pass_context
def unmerge(ctx: click.Context, merged: str) -> None:
    """Undo the merge that took MERGED away: restore it and what moved."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        restored = crm.duplicates.unmerge(merged)
    console.print(f"Restored {restored.no} ({restored.name}).")
