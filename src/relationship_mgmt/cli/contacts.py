"""``relmgmt contacts``: add, list, show, search, edit and delete contacts."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import click
from rich.console import Console
from rich.table import Table

from relationship_mgmt.cli._common import parse_assignments, parse_value, workspace
from relationship_mgmt.domain.contacts import Contact

__all__ = ["contacts"]


def contacts_table(title: str, rows: Iterable[Contact]) -> Table:
    """Render contacts as BC's contact list does: company, then its persons."""
    table = Table(title=title)
    for column in ("No.", "Type", "Name", "Company", "City", "Phone", "E-mail"):
        table.add_column(column)
    for c in rows:
        table.add_row(
            c.no,
            str(c.type),
            c.name,
            c.company_name or "",
            c.city,
            c.phone_no,
            c.email,
        )
    return table


def contact_card(contact: Contact) -> Table:
    """Render every field of one contact."""
    table = Table(title=f"Contact {contact.no}")
    table.add_column("Field", style="bold")
    table.add_column("Value")
    for field in attrs.fields(Contact):
        if field.name.startswith("_"):
            continue
        value = getattr(contact, field.name)
        if value in (None, "", frozenset(), (), {}):
            continue
        if isinstance(value, frozenset):
            value = ", ".join(sorted(value))
        table.add_row(field.name, str(value))
    return table


def _contact_fields(assignments: tuple[str, ...]) -> dict[str, object]:
    """FIELD=VALUE as contact fields: text stays text, flags read yes/no."""
    flags = {f.name for f in attrs.fields(Contact) if f.type in (bool, "bool")}
    fields = parse_assignments(assignments, raw=True)
    return {
        name: parse_value(str(value)) if name in flags else value
        for name, value in fields.items()
    }


@click.group()
def contacts() -> None:
    """Companies and persons (spec §2)."""


@contacts.command("add")
@click.argument("kind", type=click.Choice(["company", "person"]))
@click.argument("name")
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.option("--company", "company_no", help="The company a person belongs to.")
@click.option(
    "--no", "no", help="A number typed by hand instead of the next of the series."
)
@click.pass_context
def add(
    ctx: click.Context,
    kind: str,
    name: str,
    assignments: tuple[str, ...],
    company_no: str | None,
    no: str | None,
) -> None:
    """Add a company or a person, e.g. ``relmgmt contacts add company "Cronus" city=Leeds``."""
    fields = _contact_fields(assignments)
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        if kind == "company":
            contact = crm.contacts.create_company(name=name, no=no, **fields)
        else:
            contact = crm.contacts.create_person(
                name=name, company_no=company_no, no=no, **fields
            )
        console.print(contact_card(contact))


@contacts.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List every contact: each company followed by its persons."""
    with workspace(ctx) as crm:
        ctx.obj["console"].print(contacts_table("Contacts", crm.contacts.list()))


@contacts.command("show")
@click.argument("no")
@click.pass_context
def show(ctx: click.Context, no: str) -> None:
    """Show every field of one contact."""
    with workspace(ctx) as crm:
        ctx.obj["console"].print(contact_card(crm.contacts.get(no)))


@contacts.command("search")
@click.argument("text")
@click.pass_context
def search(ctx: click.Context, text: str) -> None:
    """Find contacts by a fragment of name, e-mail or phone number."""
    with workspace(ctx) as crm:
        found = crm.contacts.search(text)
        ctx.obj["console"].print(contacts_table(f"Contacts matching {text!r}", found))


@contacts.command("edit")
@click.argument("no")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.pass_context
def edit(ctx: click.Context, no: str, assignments: tuple[str, ...]) -> None:
    """Change fields of a contact; a company's persons follow (§2.6)."""
    with workspace(ctx) as crm:
        contact = crm.contacts.change(no, **_contact_fields(assignments))
        ctx.obj["console"].print(contact_card(contact))


@contacts.command("delete")
@click.argument("no")
@click.pass_context
def delete(ctx: click.Context, no: str) -> None:
    """Delete a contact (a company takes its persons with it, §2.7)."""
    with workspace(ctx) as crm:
        crm.contacts.delete(no)
        ctx.obj["console"].print(f"Deleted contact {no.upper()}.")
