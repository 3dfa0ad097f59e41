"""Use cases for Relationship Management setup, code tables and number series.

Each public method is one use case and one unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import attrs

from relationship_mgmt.domain.codes import CODE20, NoSeriesCode, make_code
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.setup import (
    BusinessRelation,
    RelationshipSetup,
    Salutation,
    SalutationFormula,
    Territory,
)
from relationship_mgmt.errors import InUseError, NotFoundError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.repositories import CodeTableRecord
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.numbering import draw_number

__all__ = ["DEFAULT_NUMBER_SERIES", "SetupService"]

R = TypeVar("R", bound=CodeTableRecord)
T = TypeVar("T")

_SERIES_FIELDS = (
    "contact_nos",
    "campaign_nos",
    "segment_nos",
    "task_nos",
    "opportunity_nos",
)

# Setup fields that name a code-table row, and the kind of row (§1.1). Fields whose
# tables arrive with later areas (salesperson, sales cycle, country, language) are
# checked by those areas.
_CODE_REFERENCES: Mapping[str, type[CodeTableRecord]] = {
    "bus_rel_code_for_customers": BusinessRelation,
    "bus_rel_code_for_vendors": BusinessRelation,
    "bus_rel_code_for_bank_accounts": BusinessRelation,
    "bus_rel_code_for_employees": BusinessRelation,
    "default_territory_code": Territory,
    "default_company_salutation_code": Salutation,
    "default_person_salutation_code": Salutation,
}

DEFAULT_NUMBER_SERIES: tuple[tuple[str, str, str, str], ...] = (
    ("contact_nos", "CONT", "Contacts", "CT000001"),
    ("campaign_nos", "CAMP", "Campaigns", "CP0001"),
    ("segment_nos", "SEGM", "Segments", "SM00001"),
    ("task_nos", "TASK", "Tasks", "TD000001"),
    ("opportunity_nos", "OPP", "Opportunities", "OP000001"),
)
"""BC's standard series per setup field, as (field, code, description, starting no.)."""


class SetupService:
    """Read and change the setup, the code tables and the number series.

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: Tells the work date used when drawing numbers.

    >>> import relationship_mgmt as rm
    >>> crm = rm.open()
    >>> crm.setup.use_default_number_series()
    >>> crm.setup.next_number("CONT")
    'CT000001'
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def _read(self, query: Callable[[UnitOfWork], T]) -> T:
        with self._uow_factory() as uow:
            return query(uow)

    # --- the setup ------------------------------------------------------------------

    def get(self) -> RelationshipSetup:
        """Return the current setup (the defaults of §1.1 if never changed).

        Raises:
            PersistenceError: The storage failed.
        """
        return self._read(lambda uow: uow.setup.get())

    def change(self, **changes: object) -> RelationshipSetup:
        """Change setup fields and return the new setup.

        Codes are normalised; referenced number series and code-table rows must
        exist. BC's coupling of the duplicate-search flags applies (§1.1).

        Args:
            **changes: :class:`RelationshipSetup` field names and values.

        Returns:
            The setup as stored.

        Raises:
            ValidationError: An unknown field or a refused value; nothing changed.
            NotFoundError: A referenced number series or code does not exist.
            ConcurrencyError: The setup was changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            setup.change(**changes)
            self._check_references(uow, setup, changes)
            uow.setup.save(setup)
            uow.commit()
            return setup

    @staticmethod
    def _check_references(
        uow: UnitOfWork, setup: RelationshipSetup, changed: Mapping[str, object]
    ) -> None:
        for name in changed:
            value = getattr(setup, name)
            if value is None:
                continue
            if name in _SERIES_FIELDS:
                uow.number_series.get(value)
            elif name in _CODE_REFERENCES and not uow.code_tables.exists(
                _CODE_REFERENCES[name], value
            ):
                raise NotFoundError(
                    _CODE_REFERENCES[name].kind.replace("_", " "), value
                )

    # --- code tables ----------------------------------------------------------------

    def add_record(self, record: CodeTableRecord) -> None:
        """Add a row to its code table.

        Raises:
            AlreadyExistsError: The key is taken.
            IntegrityViolationError: A salutation formula for an unknown salutation.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            uow.code_tables.add(record)
            uow.commit()

    def add_records(self, records: list[CodeTableRecord]) -> None:
        """Add several rows in one unit of work: all of them or none.

        Raises:
            AlreadyExistsError: A key is taken; nothing was added.
            IntegrityViolationError: A salutation formula for an unknown salutation.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            for record in records:
                uow.code_tables.add(record)
            uow.commit()

    def replace_record(self, record: CodeTableRecord) -> None:
        """Overwrite the row with ``record``'s key.

        Raises:
            NotFoundError: No such row.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            uow.code_tables.replace(record)
            uow.commit()

    def remove_record(self, kind: type[CodeTableRecord], *key: str) -> None:
        """Remove a row, unless the setup refers to it.

        Args:
            kind: The record class, e.g. ``IndustryGroup``.
            *key: Its key values as typed (codes are normalised).

        Raises:
            InUseError: The setup names this row as a default.
            NotFoundError: No such row.
            IntegrityViolationError: A salutation that still has formulas.
            PersistenceError: The storage failed.
        """
        normalised = _normalise_key(kind, key)
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            for name, referenced in _CODE_REFERENCES.items():
                if referenced is kind and (getattr(setup, name),) == normalised:
                    raise InUseError(
                        kind.kind.replace("_", " "), normalised[0], f"setup.{name}"
                    )
            uow.code_tables.remove(kind, *normalised)
            uow.commit()

    def record(self, kind: type[R], *key: str) -> R:
        """Return one row of a code table.

        Raises:
            NotFoundError: No such row.
            PersistenceError: The storage failed.
        """
        normalised = _normalise_key(kind, key)
        return self._read(lambda uow: uow.code_tables.get(kind, *normalised))

    def records(self, kind: type[R]) -> list[R]:
        """Return every row of a code table, ordered by key.

        Raises:
            PersistenceError: The storage failed.
        """
        return self._read(lambda uow: uow.code_tables.find_all(kind))

    # --- number series --------------------------------------------------------------

    def add_number_series(self, series: NumberSeries) -> None:
        """Add a number series.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            uow.number_series.add(series)
            uow.commit()

    def number_series(self, code: str) -> NumberSeries:
        """Return one number series.

        Raises:
            NotFoundError: No such series.
            PersistenceError: The storage failed.
        """
        key = _series_code(code)
        return self._read(lambda uow: uow.number_series.get(key))

    def all_number_series(self) -> list[NumberSeries]:
        """Return every number series, ordered by code.

        Raises:
            PersistenceError: The storage failed.
        """
        return self._read(lambda uow: uow.number_series.find_all())

    def change_number_series(self, code: str, /, **changes: object) -> NumberSeries:
        """Change fields of a number series (not its code) and return it.

        Raises:
            ValidationError: An unknown field, the code, or a refused value.
            NotFoundError: No such series.
            ConcurrencyError: The series changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        if "code" in changes:
            raise ValidationError("code", changes["code"], "cannot be changed")
        names = {a.name for a in attrs.fields(NumberSeries) if a.init} - {"version"}
        for name, value in changes.items():
            if name not in names:
                raise ValidationError(name, value, "is not a number series field")
        key = _series_code(code)
        with self._uow_factory() as uow:
            series = uow.number_series.get(key)
            try:
                changed = attrs.evolve(series, **cast("dict[str, Any]", changes))
            except TypeError as error:
                raise ValidationError("number_series", changes, str(error)) from error
            uow.number_series.update(changed)
            uow.commit()
            return changed

    def remove_number_series(self, code: str) -> None:
        """Remove a number series, unless the setup uses it.

        Raises:
            InUseError: A setup field names the series.
            NotFoundError: No such series.
            PersistenceError: The storage failed.
        """
        key = _series_code(code)
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            for name in _SERIES_FIELDS:
                if getattr(setup, name) == key:
                    raise InUseError("number series", key, f"setup.{name}")
            uow.number_series.remove(key)
            uow.commit()

    def next_number(self, code: str) -> str:
        """Draw the next number of a series on the work date, in its own unit of work.

        Record-creating use cases draw inside their own unit of work instead
        (:func:`relationship_mgmt.services.numbering.assign_number`).

        Raises:
            NotFoundError: No such series.
            NumberSeriesError: The series is exhausted or out of date order.
            PersistenceError: The storage failed.
        """
        key = _series_code(code)
        with self._uow_factory() as uow:
            number = draw_number(uow, key, on=self._clock.workdate())
            uow.commit()
            return number

    def use_default_number_series(self) -> None:
        """Create BC's standard series and assign them where the setup has none.

        ``CONT`` (CT000001...) for contacts, ``CAMP`` (CP0001...) for campaigns,
        ``SEGM`` (SM00001...) for segments, ``TASK`` (TD000001...) for tasks and
        ``OPP`` (OP000001...) for opportunities. Existing series and assignments are
        kept.

        Raises:
            ConcurrencyError: The setup changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            assigned: dict[str, object] = {}
            for name, code, description, starting_no in DEFAULT_NUMBER_SERIES:
                if getattr(setup, name) is not None:
                    continue
                key = NoSeriesCode(code)
                try:
                    uow.number_series.get(key)
                except NotFoundError:
                    uow.number_series.add(
                        NumberSeries(
                            code=key, description=description, starting_no=starting_no
                        )
                    )
                assigned[name] = key
            if assigned:
                setup.change(**assigned)
                uow.setup.save(setup)
            uow.commit()


def _series_code(code: str) -> NoSeriesCode:
    return NoSeriesCode(make_code(code, max_length=CODE20, field="number_series"))


def _normalise_key(kind: type[R], key: tuple[str, ...]) -> tuple[str, ...]:
    """Normalise a key as typed exactly as the record class stores it."""
    if len(key) != len(kind.key_fields):
        raise ValidationError(
            "key", key, f"{kind.kind} is keyed by {', '.join(kind.key_fields)}"
        )
    if kind is SalutationFormula:
        code, language, salutation_type = key
        return SalutationFormula(
            salutation_code=code,
            language_code=language,
            salutation_type=salutation_type,
        ).key
    return (make_code(key[0]),)
