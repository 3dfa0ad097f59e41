"""Explicit mapping between table rows and domain objects.

Rows are plain mappings of column name to value. Enums are stored as their string
value and date formulas as their canonical text; both come back through the domain
classes' own converters and :meth:`DateFormula.parse`.

>>> from relationship_mgmt.domain.setup import SalutationFormula
>>> row = record_to_row(SalutationFormula(salutation_code="M", names=["Surname"]))
>>> (row["salutation_type"], row["name_1"], row["name_2"])
('Formal', 'Surname', '')
>>> record_from_row(SalutationFormula, row).names[0]
<SalutationName.SURNAME: 'Surname'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from relationship_mgmt.adapters.sql.tables import SALUTATION_NAME_COLUMNS
from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.setup import RelationshipSetup, SalutationFormula
from relationship_mgmt.ports.repositories import CodeTableRecord

__all__ = [
    "record_from_row",
    "record_to_row",
    "series_from_row",
    "series_to_row",
    "setup_from_row",
    "setup_to_row",
]

R = TypeVar("R", bound=CodeTableRecord)
Row = Mapping[str, Any]


def _columns(obj: attrs.AttrsInstance) -> dict[str, object]:
    """Return the init fields of ``obj`` by name, enums as their value."""
    values: dict[str, object] = {}
    for field in attrs.fields(type(obj)):
        if field.init:
            value = getattr(obj, field.name)
            values[field.name] = value.value if isinstance(value, enum.Enum) else value
    return values


def setup_to_row(setup: RelationshipSetup) -> dict[str, object]:
    """Return the ``rm_setup`` columns of ``setup`` (without ``id``)."""
    row = _columns(setup)
    formula = setup.default_task_date_formula
    row["default_task_date_formula"] = None if formula is None else str(formula)
    return row


def setup_from_row(row: Row) -> RelationshipSetup:
    """Rebuild the setup from an ``rm_setup`` row."""
    values = dict(row)
    del values["id"]
    text = values.pop("default_task_date_formula")
    formula = None if text is None else DateFormula.parse(text)
    return RelationshipSetup(**values, default_task_date_formula=formula)


def series_to_row(series: NumberSeries) -> dict[str, object]:
    """Return the ``rm_number_series`` columns of ``series``."""
    return _columns(series)


def series_from_row(row: Row) -> NumberSeries:
    """Rebuild a number series from an ``rm_number_series`` row."""
    return NumberSeries(**row)


def record_to_row(record: CodeTableRecord) -> dict[str, object]:
    """Return the ``rm_<kind>`` columns of a code-table record."""
    row = _columns(record)
    if isinstance(record, SalutationFormula):
        del row["names"]
        row.update(
            zip(SALUTATION_NAME_COLUMNS, (n.value for n in record.names), strict=True)
        )
    return row


def record_from_row(kind: type[R], row: Row) -> R:
    """Rebuild a code-table record of ``kind`` from its row."""
    values = dict(row)
    if kind is SalutationFormula:
        values["names"] = tuple(values.pop(name) for name in SALUTATION_NAME_COLUMNS)
    return kind(**values)
