"""Rich renderings of library values for the command line."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from rich.table import Table

from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.setup import CodeRecord, RelationshipSetup

_SETUP_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Numbering",
        ("contact_nos", "campaign_nos", "segment_nos", "task_nos", "opportunity_nos"),
    ),
    (
        "Inheritance",
        (
            "inherit_salesperson_code",
            "inherit_territory_code",
            "inherit_country_code",
            "inherit_language_code",
            "inherit_format_region",
            "inherit_address_details",
            "inherit_communication_details",
        ),
    ),
    (
        "Defaults",
        (
            "default_salesperson_code",
            "default_territory_code",
            "default_country_code",
            "default_language_code",
            "default_format_region",
            "default_sales_cycle_code",
            "default_company_salutation_code",
            "default_person_salutation_code",
            "default_correspondence_type",
            "default_task_date_formula",
        ),
    ),
    (
        "Interactions",
        (
            "bus_rel_code_for_customers",
            "bus_rel_code_for_vendors",
            "bus_rel_code_for_bank_accounts",
            "bus_rel_code_for_employees",
            "attachment_storage_type",
            "attachment_storage_location",
            "mergefield_language_id",
        ),
    ),
    (
        "Duplicates",
        ("autosearch_for_duplicates", "maintain_dupl_search_strings", "search_hit_pct"),
    ),
)


def _show(value: object) -> str:
    if value is None or value == "":
        return "[dim]-[/dim]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def setup_table(setup: RelationshipSetup) -> Table:
    """Render the setup grouped as on BC's Marketing Setup page (§1.1)."""
    table = Table(title=f"Relationship Management setup (version {setup.version})")
    table.add_column("Group", style="bold")
    table.add_column("Field")
    table.add_column("Value")
    shown: set[str] = set()
    for group, names in _SETUP_GROUPS:
        for i, name in enumerate(names):
            table.add_row(group if i == 0 else "", name, _show(getattr(setup, name)))
            shown.add(name)
    missing = set(RelationshipSetup.field_names()) - shown
    for name in sorted(missing):  # a field added later still shows up
        table.add_row("Other", name, _show(getattr(setup, name)))
    return table


def number_series_table(series: Iterable[NumberSeries]) -> Table:
    """Render number series with their next number."""
    table = Table(title="Number series")
    for column in (
        "Code",
        "Description",
        "Starting no.",
        "Ending no.",
        "Last no. used",
        "Next",
        "Manual",
    ):
        table.add_column(column)
    for s in series:
        table.add_row(
            s.code,
            s.description,
            s.starting_no,
            _show(s.ending_no),
            _show(s.last_no_used),
            s.peek(),
            _show(s.manual_nos),
        )
    return table


def records_table(title: str, records: Iterable[CodeRecord]) -> Table:
    """Render code-table rows with every field of their class."""
    rows = list(records)
    table = Table(title=title)
    names = (
        [a.name for a in attrs.fields(type(rows[0]))]
        if rows
        else ["code", "description"]
    )
    for name in names:
        table.add_column(name)
    for record in rows:
        table.add_row(*(_show(getattr(record, name)) for name in names))
    return table
