"""The SQL schema, defined once as SQLAlchemy ``MetaData``.

Every table name starts with ``rm_`` so the library can share a database with its
host. Aggregates (the setup, number series) carry ``version INTEGER NOT NULL`` for
optimistic concurrency. The code tables are generated from the attrs fields of their
record classes (:data:`~relationship_mgmt.domain.setup.CODE_TABLE_KINDS`), keyed by
each class's ``key_fields``. The migrations in ``migrations/versions`` create exactly
this schema; a test compares the two.

>>> sorted(code_tables)[:2]
['business_relation', 'campaign_status']
>>> [c.name for c in code_tables["salutation_formula"].primary_key]
['salutation_code', 'language_code', 'salutation_type']
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

from relationship_mgmt.domain.codes import CODE10, CODE20, Code
from relationship_mgmt.domain.setup import (
    CODE_TABLE_KINDS,
    CodeRecord,
    Salutation,
    SalutationFormula,
)

__all__ = [
    "SALUTATION_NAME_COLUMNS",
    "code_tables",
    "metadata",
    "number_series_table",
    "setup_table",
]

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)
"""Every table of the library."""

_ENUM_LENGTH = 30
_FORMULA_LENGTH = 64
# BC text lengths (spec §1.2); the domain validates them, the columns repeat them so
# that rows written by other tools obey them too.
_TEXT_LENGTHS: Mapping[str, int] = {"description": 100, "url": 250, "salutation": 50}

SALUTATION_NAME_COLUMNS = tuple(f"name_{i}" for i in range(1, 6))
"""The columns holding :attr:`SalutationFormula.names` (``%1`` .. ``%5``)."""


def _code(name: str, length: int = CODE10) -> Column[str]:
    return Column(name, String(length), nullable=True)


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean, nullable=False)


setup_table = Table(
    "rm_setup",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    _code("contact_nos", CODE20),
    _code("campaign_nos", CODE20),
    _code("segment_nos", CODE20),
    _code("task_nos", CODE20),
    _code("opportunity_nos", CODE20),
    _code("bus_rel_code_for_customers"),
    _code("bus_rel_code_for_vendors"),
    _code("bus_rel_code_for_bank_accounts"),
    _code("bus_rel_code_for_employees"),
    Column("attachment_storage_type", String(_ENUM_LENGTH), nullable=False),
    Column("attachment_storage_location", String(250), nullable=False),
    Column("mergefield_language_id", Integer, nullable=False),
    _flag("inherit_salesperson_code"),
    _flag("inherit_territory_code"),
    _flag("inherit_country_code"),
    _flag("inherit_language_code"),
    _flag("inherit_format_region"),
    _flag("inherit_address_details"),
    _flag("inherit_communication_details"),
    _code("default_salesperson_code", CODE20),
    _code("default_territory_code"),
    _code("default_country_code"),
    _code("default_language_code"),
    Column("default_format_region", String(80), nullable=False),
    _code("default_sales_cycle_code"),
    _code("default_company_salutation_code"),
    _code("default_person_salutation_code"),
    Column("default_correspondence_type", String(_ENUM_LENGTH), nullable=False),
    Column("default_task_date_formula", String(_FORMULA_LENGTH), nullable=True),
    _flag("autosearch_for_duplicates"),
    _flag("maintain_dupl_search_strings"),
    Column("search_hit_pct", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("id = 1", name="singleton"),
    CheckConstraint("search_hit_pct BETWEEN 1 AND 100", name="search_hit_pct"),
)
"""The one row of :class:`~relationship_mgmt.domain.setup.RelationshipSetup` (id 1)."""

number_series_table = Table(
    "rm_number_series",
    metadata,
    Column("code", String(CODE20), primary_key=True),
    Column("description", String(100), nullable=False),
    Column("starting_no", String(CODE20), nullable=False),
    _code("ending_no", CODE20),
    _code("warning_no", CODE20),
    Column("increment_by", Integer, nullable=False),
    _code("last_no_used", CODE20),
    Column("last_date_used", Date, nullable=True),
    _flag("manual_nos"),
    _flag("default_nos"),
    _flag("date_order"),
    Column("version", Integer, nullable=False),
    CheckConstraint("increment_by >= 1", name="increment_by"),
)
"""One row per :class:`~relationship_mgmt.domain.numbering.NumberSeries`."""


def _columns(field: attrs.Attribute[object]) -> list[Column[str]]:
    if field.name == "names":
        return [
            Column(name, String(_ENUM_LENGTH), nullable=False)
            for name in SALUTATION_NAME_COLUMNS
        ]
    if field.type is Code:
        length = CODE10
    elif isinstance(field.type, type) and issubclass(field.type, enum.Enum):
        length = _ENUM_LENGTH
    else:
        length = _TEXT_LENGTHS[field.name]
    return [Column(field.name, String(length), nullable=False)]


def _code_table(cls: type[CodeRecord | SalutationFormula]) -> Table:
    attrs.resolve_types(cls)
    columns = [column for field in attrs.fields(cls) for column in _columns(field)]
    table = Table(
        f"rm_{cls.kind}", metadata, *columns, PrimaryKeyConstraint(*cls.key_fields)
    )
    if cls is SalutationFormula:
        table.append_constraint(
            ForeignKeyConstraint(
                ["salutation_code"], [f"rm_{Salutation.kind}.code"], ondelete="RESTRICT"
            )
        )
    return table


code_tables: Mapping[str, Table] = {
    kind: _code_table(cls) for kind, cls in CODE_TABLE_KINDS.items()
}
"""One table ``rm_<kind>`` per code-table record class, by ``kind``."""
