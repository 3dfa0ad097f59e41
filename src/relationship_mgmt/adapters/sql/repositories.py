"""The SQL repositories: one per port, all on the unit of work's connection.

Writes check versions in the ``WHERE`` clause (``... AND version = :held``) and bump
them in the same statement; inserts use ``ON CONFLICT DO NOTHING`` on the primary key
so that a duplicate key is reported as
:class:`~relationship_mgmt.errors.AlreadyExistsError` without aborting a PostgreSQL
transaction. An aggregate with child rows (a profile questionnaire and its lines)
is written in the unit of work's transaction: the version-checked header first,
then the children. Every statement runs inside
:func:`~relationship_mgmt.adapters.sql.errors.translate_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    Select,
    Table,
    and_,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.types import String

from relationship_mgmt.adapters.look_up import compose_look_up
from relationship_mgmt.adapters.sql.errors import translate_errors
from relationship_mgmt.adapters.sql.mapping import (
    CONTACT_CODE_SETS,
    ContactRows,
    ProfileRows,
    answer_from_row,
    answer_to_row,
    contact_from_rows,
    contact_to_rows,
    questionnaire_from_rows,
    questionnaire_to_rows,
    record_from_row,
    record_to_row,
    series_from_row,
    series_to_row,
    setup_from_row,
    setup_to_row,
)
from relationship_mgmt.adapters.sql.tables import (
    code_tables,
    contact_alias_table,
    contact_alternative_address_period_table,
    contact_alternative_address_table,
    contact_code_tables,
    contact_merge_table,
    contact_profile_answer_table,
    contact_separate_pair_table,
    contact_table,
    contact_web_source_table,
    duplicate_key_table,
    number_series_table,
    profile_line_table,
    profile_questionnaire_table,
    profile_rating_point_table,
    setup_table,
)
from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.domain.codes import Code, ContactNo, NoSeriesCode
from relationship_mgmt.domain.contacts import (
    Contact,
    ContactType,
    text_fields,
    text_of,
)
from relationship_mgmt.domain.duplicates import DuplicateMethod
from relationship_mgmt.domain.merging import MergeRecord
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.profiles import ContactProfileAnswer, ProfileQuestionnaire
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    IntegrityViolationError,
    NotFoundError,
)
from relationship_mgmt.ports.repositories import CodeTableRecord, KeyLookUp
from relationship_mgmt.serialization import dumps, loads

__all__ = [
    "SqlCodeTableRepository",
    "SqlContactProfileAnswerRepository",
    "SqlContactRepository",
    "SqlMergeRepository",
    "SqlNumberSeriesRepository",
    "SqlProfileQuestionnaireRepository",
    "SqlSeparateContactPairRepository",
    "SqlSetupRepository",
]

R = TypeVar("R", bound=CodeTableRecord)

_SETUP_ID = 1
_SETUP_KIND = "relationship setup"
_SERIES_KIND = "number series"
_PROFILE_KIND = "profile questionnaire"
_CONTACT_KIND = "contact"
_ANSWER_KIND = "contact profile answer"
_MERGE_KIND = "contact merge"
_PAIR_KIND = "separate contact pair"


class _SqlRepository:
    """Shared plumbing: the connection, translated execution, seen aggregates."""

    def __init__(
        self, connection: Connection, seen: Callable[[AggregateRoot], None]
    ) -> None:
        self._connection = connection
        self._seen = seen
        self._postgres = connection.dialect.name == "postgresql"

    def _rows(self, statement: Executable) -> list[dict[str, Any]]:
        with translate_errors():
            return [dict(row) for row in self._connection.execute(statement).mappings()]

    def _write(self, statement: UpdateBase) -> int:
        """Execute a DML statement and return how many rows it touched."""
        with translate_errors():
            return self._connection.execute(statement).rowcount

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        """Return an INSERT of the dialect (for its ON CONFLICT clauses)."""
        return (postgresql.insert if self._postgres else sqlite.insert)(table)

    def _insert_new(self, table: Table, row: Mapping[str, object]) -> bool:
        """Insert ``row`` unless its primary key is taken; return whether it was."""
        statement: Insert = self._insert(table).on_conflict_do_nothing(
            index_elements=list(table.primary_key)
        )
        # Drivers report an INSERT's row count only when asked to keep it.
        statement = statement.values(row).execution_options(preserve_rowcount=True)
        return self._write(statement) == 1

    def _ordered_by_key(self, table: Table) -> list[ColumnElement[Any]]:
        return self._ordered(*table.primary_key)

    def _ordered(self, *columns: ColumnElement[Any]) -> list[ColumnElement[Any]]:
        # PostgreSQL sorts text by the database's collation; "C" is code-point order,
        # which is what SQLite's BINARY and Python's sorted() give.
        if not self._postgres:
            return list(columns)
        return [c.collate("C") if isinstance(c.type, String) else c for c in columns]

    def _insert_all(self, table: Table, rows: list[dict[str, object]]) -> None:
        if rows:
            with translate_errors():
                self._connection.execute(table.insert(), rows)


def _key_filter(table: Table, key: Sequence[object]) -> ColumnElement[bool]:
    columns = list(table.primary_key)
    if len(key) != len(columns):
        return false()  # a key of the wrong shape matches no row
    return and_(*(c == v for c, v in zip(columns, key, strict=True)))


class SqlSetupRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.SetupRepository` on the ``rm_setup`` row."""

    def get(self) -> RelationshipSetup:
        """Return the stored setup, or a default one (version 0) before the first save."""
        rows = self._rows(select(setup_table))
        return setup_from_row(rows[0]) if rows else RelationshipSetup()

    def save(self, setup: RelationshipSetup) -> None:
        """Insert the setup (version 0) or update it with a version check.

        Raises:
            ConcurrencyError: The stored version differs, or a setup was stored
                meanwhile when inserting.
        """
        row = setup_to_row(setup)
        if setup.version == 0:
            if not self._insert_new(
                setup_table, {**row, "id": _SETUP_ID, "version": 1}
            ):
                raise ConcurrencyError(_SETUP_KIND, _SETUP_ID, 0)
        else:
            del row["version"]
            table = setup_table
            updated = self._write(
                table.update()
                .where(table.c.id == _SETUP_ID, table.c.version == setup.version)
                .values({**row, "version": table.c.version + 1})
            )
            if updated == 0:
                raise ConcurrencyError(_SETUP_KIND, _SETUP_ID, setup.version)
        setup.version += 1
        self._seen(setup)


class SqlNumberSeriesRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.NumberSeriesRepository` on ``rm_number_series``."""

    def add(self, series: NumberSeries) -> None:
        """Store a new series; its version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
        """
        row = {**series_to_row(series), "version": 1}
        if not self._insert_new(number_series_table, row):
            raise AlreadyExistsError(_SERIES_KIND, series.code)
        series.version = 1
        self._seen(series)

    def get(self, code: NoSeriesCode) -> NumberSeries:
        """Return a copy of the series.

        Raises:
            NotFoundError: No such series.
        """
        return self._get(code, for_update=False)

    def get_for_update(self, code: NoSeriesCode) -> NumberSeries:
        """Return a copy of the series, locked until the unit of work ends.

        PostgreSQL locks the row (``SELECT ... FOR UPDATE``); on SQLite the unit of
        work's ``BEGIN IMMEDIATE`` already holds the database's write lock.

        Raises:
            NotFoundError: No such series.
        """
        return self._get(code, for_update=self._postgres)

    def _get(self, code: NoSeriesCode, *, for_update: bool) -> NumberSeries:
        statement = select(number_series_table).where(
            number_series_table.c.code == code
        )
        rows = self._rows(statement.with_for_update() if for_update else statement)
        if not rows:
            raise NotFoundError(_SERIES_KIND, code)
        return series_from_row(rows[0])

    def update(self, series: NumberSeries) -> None:
        """Write back a changed series with a version check; its version goes up by 1.

        Raises:
            NotFoundError: The series was removed.
            ConcurrencyError: The stored version is not ``series.version``.
        """
        table = number_series_table
        row = series_to_row(series)
        del row["code"], row["version"]
        updated = self._write(
            table.update()
            .where(table.c.code == series.code, table.c.version == series.version)
            .values({**row, "version": table.c.version + 1})
        )
        if updated == 0:
            if not self._rows(select(table.c.code).where(table.c.code == series.code)):
                raise NotFoundError(_SERIES_KIND, series.code)
            raise ConcurrencyError(_SERIES_KIND, series.code, series.version)
        series.version += 1
        self._seen(series)

    def remove(self, code: NoSeriesCode) -> None:
        """Delete the series.

        Raises:
            NotFoundError: No such series.
        """
        table = number_series_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_SERIES_KIND, code)

    def find_all(self) -> list[NumberSeries]:
        """Return every series, ordered by code."""
        table = number_series_table
        rows = self._rows(select(table).order_by(*self._ordered_by_key(table)))
        return [series_from_row(row) for row in rows]


def _kind_name(kind: type[R]) -> str:
    return kind.kind.replace("_", " ")


class SqlCodeTableRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.CodeTableRepository` on the ``rm_<kind>`` tables."""

    def add(self, record: CodeTableRecord) -> None:
        """Store a new row.

        Raises:
            AlreadyExistsError: The key is taken.
            IntegrityViolationError: A formula's salutation does not exist.
        """
        if not self._insert_new(code_tables[record.kind], record_to_row(record)):
            raise AlreadyExistsError(_kind_name(type(record)), record.key)

    def get(self, kind: type[R], *key: str) -> R:
        """Return the row of ``kind`` with ``key``.

        Raises:
            NotFoundError: No such row.
        """
        table = code_tables[kind.kind]
        rows = self._rows(select(table).where(_key_filter(table, key)))
        if not rows:
            raise NotFoundError(_kind_name(kind), key)
        return record_from_row(kind, rows[0])

    def exists(self, kind: type[CodeTableRecord], *key: str) -> bool:
        """Return whether a row of ``kind`` with ``key`` is stored."""
        table = code_tables[kind.kind]
        first_key_column = next(iter(table.primary_key))
        return bool(self._rows(select(first_key_column).where(_key_filter(table, key))))

    def replace(self, record: CodeTableRecord) -> None:
        """Overwrite the stored row that has ``record``'s key.

        Raises:
            NotFoundError: No such row.
        """
        table = code_tables[record.kind]
        row = record_to_row(record)
        for column in table.primary_key:
            del row[column.name]
        updated = self._write(
            table.update().where(_key_filter(table, record.key)).values(row)
        )
        if updated == 0:
            raise NotFoundError(_kind_name(type(record)), record.key)

    def remove(self, kind: type[CodeTableRecord], *key: str) -> None:
        """Delete the row of ``kind`` with ``key``.

        Raises:
            NotFoundError: No such row.
            IntegrityViolationError: A salutation that still has formulas.
        """
        table = code_tables[kind.kind]
        if self._write(table.delete().where(_key_filter(table, key))) == 0:
            raise NotFoundError(_kind_name(kind), key)

    def find_all(self, kind: type[R]) -> list[R]:
        """Return every row of ``kind``, ordered by key."""
        table = code_tables[kind.kind]
        rows = self._rows(select(table).order_by(*self._ordered_by_key(table)))
        return [record_from_row(kind, row) for row in rows]


class SqlProfileQuestionnaireRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.ProfileQuestionnaireRepository` on three tables.

    The header is a row of ``rm_profile_questionnaire`` (with the version), each
    line a row of ``rm_profile_line`` and each rating point a row of
    ``rm_profile_rating_point``.
    """

    def add(self, questionnaire: ProfileQuestionnaire) -> None:
        """Store a new questionnaire with its lines; its version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = questionnaire_to_rows(questionnaire)
        if not self._insert_new(
            profile_questionnaire_table, {**rows.header, "version": 1}
        ):
            raise AlreadyExistsError(_PROFILE_KIND, questionnaire.code)
        self._upsert_lines(rows)
        self._insert_all(profile_rating_point_table, rows.rating_points)
        questionnaire.version = 1
        self._seen(questionnaire)

    def get(self, code: Code) -> ProfileQuestionnaire:
        """Return a copy of the questionnaire with its lines.

        Raises:
            NotFoundError: No such questionnaire.
        """
        header = profile_questionnaire_table
        rows = self._rows(select(header).where(header.c.code == code))
        if not rows:
            raise NotFoundError(_PROFILE_KIND, code)
        lines = profile_line_table
        points = profile_rating_point_table
        return questionnaire_from_rows(
            rows[0],
            self._rows(select(lines).where(lines.c.questionnaire_code == code)),
            self._rows(select(points).where(points.c.questionnaire_code == code)),
        )

    def update(self, questionnaire: ProfileQuestionnaire) -> None:
        """Write back a questionnaire with a version check; its version goes up by 1.

        The header's ``UPDATE ... WHERE version = :held`` comes first. Then lines
        that are gone are deleted, the others written over or inserted (so a line
        keeps its row), and the rating points replaced.

        Raises:
            NotFoundError: The questionnaire was removed.
            ConcurrencyError: The stored version is not ``questionnaire.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        code = questionnaire.code
        rows = questionnaire_to_rows(questionnaire)
        header = profile_questionnaire_table
        values = {k: v for k, v in rows.header.items() if k not in {"code", "version"}}
        updated = self._write(
            header.update()
            .where(header.c.code == code, header.c.version == questionnaire.version)
            .values({**values, "version": header.c.version + 1})
        )
        if updated == 0:
            if not self._rows(select(header.c.code).where(header.c.code == code)):
                raise NotFoundError(_PROFILE_KIND, code)
            raise ConcurrencyError(_PROFILE_KIND, code, questionnaire.version)
        points = profile_rating_point_table
        lines = profile_line_table
        self._write(points.delete().where(points.c.questionnaire_code == code))
        kept = [line.line_no for line in questionnaire.lines]
        self._write(
            lines.delete().where(
                lines.c.questionnaire_code == code, lines.c.line_no.not_in(kept)
            )
        )
        self._upsert_lines(rows)
        self._insert_all(points, rows.rating_points)
        questionnaire.version += 1
        self._seen(questionnaire)

    def remove(self, code: Code) -> None:
        """Delete the questionnaire, its lines and rating points.

        Raises:
            NotFoundError: No such questionnaire.
        """
        for child in (profile_rating_point_table, profile_line_table):
            self._write(child.delete().where(child.c.questionnaire_code == code))
        header = profile_questionnaire_table
        if self._write(header.delete().where(header.c.code == code)) == 0:
            raise NotFoundError(_PROFILE_KIND, code)

    def find_all(self) -> list[ProfileQuestionnaire]:
        """Return every questionnaire with its lines, ordered by code."""
        header = profile_questionnaire_table
        headers = self._rows(select(header).order_by(*self._ordered_by_key(header)))
        lines: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(select(profile_line_table)):
            lines.setdefault(row["questionnaire_code"], []).append(row)
        points: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(select(profile_rating_point_table)):
            points.setdefault(row["questionnaire_code"], []).append(row)
        return [
            questionnaire_from_rows(
                row, lines.get(row["code"], []), points.get(row["code"], [])
            )
            for row in headers
        ]

    def _upsert_lines(self, rows: ProfileRows) -> None:
        """Insert the lines, writing over those whose line number is stored."""
        if not rows.lines:
            return
        table = profile_line_table
        statement = self._insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=list(table.primary_key),
            set_={
                column.name: statement.excluded[column.name]
                for column in table.columns
                if not column.primary_key
            },
        )
        with translate_errors():
            self._connection.execute(statement, rows.lines)


_CONTACT_CHILDREN: tuple[Table, ...] = (
    contact_alternative_address_period_table,  # before the addresses they refer to
    contact_alternative_address_table,
    contact_web_source_table,
    *contact_code_tables.values(),
)


class SqlContactRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.ContactRepository` on ``rm_contact`` and its children.

    The contact is a row of ``rm_contact`` (with the version); each code set, the
    web sources, the alternative addresses and their periods are rows of child
    tables. The company link is a foreign key (``ON DELETE RESTRICT``); the
    repository also checks it before writing, so that a refused write leaves the
    transaction usable and names the contact.
    """

    def add(self, contact: Contact) -> None:
        """Store a new contact with its collections; its version becomes 1.

        Raises:
            AlreadyExistsError: The number is taken.
            IntegrityViolationError: A person's company is not a stored company.
        """
        self._check_company(contact)
        rows = contact_to_rows(contact)
        if not self._insert_new(contact_table, {**rows.contact, "version": 1}):
            raise AlreadyExistsError(_CONTACT_KIND, contact.no)
        self._insert_children(rows)
        contact.version = 1
        self._seen(contact)

    def get(self, no: ContactNo) -> Contact:
        """Return a copy of the contact with its collections.

        Raises:
            NotFoundError: No such contact.
        """
        found = self._load(select(contact_table).where(contact_table.c.no == no))
        if not found:
            raise NotFoundError(_CONTACT_KIND, no)
        return found[0]

    def get_many(self, nos: Collection[ContactNo]) -> dict[ContactNo, Contact]:
        """Return the stored contacts among ``nos``, by number (one query per table)."""
        if not nos:
            return {}
        table = contact_table
        found = self._load(select(table).where(table.c.no.in_(sorted(set(nos)))))
        return {ContactNo(c.no): c for c in found}

    def get_texts(
        self, nos: Collection[ContactNo], fields: Collection[str]
    ) -> dict[ContactNo, dict[str, str]]:
        """Return the named text fields of the stored contacts among ``nos`` (one query)."""
        names = text_fields(fields)
        if not nos:
            return {}
        table = contact_table
        rows = self._rows(
            select(table.c.no, *(table.c[name] for name in names)).where(
                table.c.no.in_(sorted(set(nos)))
            )
        )
        return {
            ContactNo(row["no"]): {name: text_of(row[name]) for name in names}
            for row in rows
        }

    def exists(self, no: ContactNo) -> bool:
        """Return whether the contact is stored."""
        table = contact_table
        return bool(self._rows(select(table.c.no).where(table.c.no == no)))

    def update(self, contact: Contact) -> None:
        """Write back a contact with a version check; its version goes up by 1.

        The ``UPDATE ... WHERE version = :held`` of the ``rm_contact`` row comes
        first; then the child rows are replaced, in the same transaction.

        Raises:
            NotFoundError: The contact was removed.
            ConcurrencyError: The stored version is not ``contact.version``.
            IntegrityViolationError: A person's company is not a stored company, or
                a contact with persons is no longer a company.
        """
        self._check_company(contact)
        if contact.type is not ContactType.COMPANY and self._has_persons(contact.no):
            raise IntegrityViolationError(
                f"contact {contact.no!r} has persons and must stay a company"
            )
        table = contact_table
        rows = contact_to_rows(contact)
        values = {k: v for k, v in rows.contact.items() if k not in {"no", "version"}}
        updated = self._write(
            table.update()
            .where(table.c.no == contact.no, table.c.version == contact.version)
            .values({**values, "version": table.c.version + 1})
        )
        if updated == 0:
            if not self.exists(contact.no):
                raise NotFoundError(_CONTACT_KIND, contact.no)
            raise ConcurrencyError(_CONTACT_KIND, contact.no, contact.version)
        self._delete_children(contact.no)
        self._insert_children(rows)
        contact.version += 1
        self._seen(contact)

    def remove(self, no: ContactNo) -> None:
        """Delete the contact and its collections.

        Raises:
            NotFoundError: No such contact.
            IntegrityViolationError: Persons point to it, or it has profile answers.
        """
        if self._has_persons(no):
            raise IntegrityViolationError(f"contact {no!r} has persons")
        answers = contact_profile_answer_table
        if self._rows(select(answers.c.contact_no).where(answers.c.contact_no == no)):
            raise IntegrityViolationError(f"contact {no!r} has profile answers")
        self._delete_children(no)
        table = contact_table
        if self._write(table.delete().where(table.c.no == no)) == 0:
            raise NotFoundError(_CONTACT_KIND, no)

    def persons_of(self, company_no: ContactNo) -> list[Contact]:
        """Return the persons of the company, ordered by number."""
        table = contact_table
        return self._load(
            select(table)
            .where(
                table.c.type == ContactType.PERSON.value,
                table.c.company_no == company_no,
            )
            .order_by(*self._ordered(table.c.no))
        )

    def find_all(self) -> list[Contact]:
        """Return every contact in BC's list order (company name, company no., ...)."""
        table = contact_table
        order = self._ordered(
            table.c.company_name,
            func.coalesce(table.c.company_no, ""),  # none first, on both databases
            table.c.type,  # 'Company' before 'Person'
            table.c.name,
            table.c.no,
        )
        return self._load(select(table).order_by(*order))

    def search(self, text: str, *, limit: int | None = None) -> list[Contact]:
        """Return the contacts containing ``text`` (ignoring case), ordered by number.

        Each searched column is upper-cased and matched with ``LIKE``, the fragment
        escaped so that ``%`` and ``_`` match themselves.
        """
        table = contact_table
        needle = text.upper()
        columns = (
            table.c.name,
            table.c.search_name,
            table.c.company_name,
            table.c.search_email,
            table.c.phone_no,
            table.c.mobile_phone_no,
        )
        statement = (
            select(table)
            .where(
                or_(*(func.upper(c).contains(needle, autoescape=True) for c in columns))
            )
            .order_by(*self._ordered(table.c.no))
        )
        if limit is not None:
            statement = statement.limit(limit)
        return self._load(statement)

    def _has_persons(self, no: str) -> bool:
        table = contact_table
        return bool(
            self._rows(
                select(table.c.no).where(table.c.company_no == no, table.c.no != no)
            )
        )

    def _check_company(self, contact: Contact) -> None:
        """A person's company must be a stored company (the foreign key checks less)."""
        if contact.type is ContactType.COMPANY or contact.company_no is None:
            return
        table = contact_table
        company = self._rows(
            select(table.c.type).where(table.c.no == contact.company_no)
        )
        if not company or company[0]["type"] != ContactType.COMPANY.value:
            raise IntegrityViolationError(
                f"contact {contact.no!r}: company {contact.company_no!r} "
                "is not a stored company contact"
            )

    def _load(self, statement: Select[Any]) -> list[Contact]:
        """Run a SELECT of ``rm_contact`` rows and rebuild them with their children."""
        rows = self._rows(statement)
        if not rows:
            return []
        only: str | None = rows[0]["no"] if len(rows) == 1 else None
        # The same SELECT (filter, order, limit) names the contacts whose children
        # are wanted, so no list of numbers is sent back to the database.
        keys = select(statement.with_only_columns(contact_table.c.no).subquery().c.no)

        def children(table: Table) -> dict[str, list[dict[str, Any]]]:
            mine = table.c.contact_no
            query = select(table).where(mine == only if only else mine.in_(keys))
            grouped: dict[str, list[dict[str, Any]]] = {}
            for row in self._rows(query):
                grouped.setdefault(row["contact_no"], []).append(row)
            return grouped

        codes = {
            name: children(contact_code_tables[name]) for name in CONTACT_CODE_SETS
        }
        web = children(contact_web_source_table)
        alternatives = children(contact_alternative_address_table)
        periods = children(contact_alternative_address_period_table)
        return [
            contact_from_rows(
                row,
                {name: codes[name].get(row["no"], []) for name in CONTACT_CODE_SETS},
                web.get(row["no"], []),
                alternatives.get(row["no"], []),
                periods.get(row["no"], []),
            )
            for row in rows
        ]

    def _delete_children(self, no: str) -> None:
        for child in _CONTACT_CHILDREN:
            self._write(child.delete().where(child.c.contact_no == no))

    def _insert_children(self, rows: ContactRows) -> None:
        for name in CONTACT_CODE_SETS:
            self._insert_all(contact_code_tables[name], rows.codes[name])
        self._insert_all(contact_web_source_table, rows.web_sources)
        self._insert_all(contact_alternative_address_table, rows.alternative_addresses)
        self._insert_all(contact_alternative_address_period_table, rows.periods)


class SqlContactProfileAnswerRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.ContactProfileAnswerRepository` on ``rm_contact_profile_answer``.

    Its foreign keys to ``rm_contact`` and ``rm_profile_line`` are ``ON DELETE
    RESTRICT``; :meth:`add` checks both first, so that a refused answer leaves the
    transaction usable.
    """

    def add(self, answer: ContactProfileAnswer) -> None:
        """Store a new answer.

        Raises:
            AlreadyExistsError: The key is taken.
            IntegrityViolationError: The contact or the questionnaire line is not
                stored.
            PersistenceError: A value the database cannot store exactly.
        """
        contacts = contact_table
        if not self._rows(
            select(contacts.c.no).where(contacts.c.no == answer.contact_no)
        ):
            raise IntegrityViolationError(
                f"profile answer {answer.key!r}: no contact {answer.contact_no!r}"
            )
        lines = profile_line_table
        if not self._rows(
            select(lines.c.line_no).where(
                lines.c.questionnaire_code == answer.questionnaire_code,
                lines.c.line_no == answer.line_no,
            )
        ):
            raise IntegrityViolationError(
                f"profile answer {answer.key!r}: no questionnaire line {answer.answer!r}"
            )
        if not self._insert_new(contact_profile_answer_table, answer_to_row(answer)):
            raise AlreadyExistsError(_ANSWER_KIND, answer.key)

    def remove(
        self, contact_no: ContactNo, questionnaire_code: Code, line_no: int
    ) -> None:
        """Delete the answer.

        Raises:
            NotFoundError: No such answer.
        """
        key = (contact_no, questionnaire_code, line_no)
        table = contact_profile_answer_table
        if self._write(table.delete().where(_key_filter(table, key))) == 0:
            raise NotFoundError(_ANSWER_KIND, key)

    def find_by_contact(self, contact_no: ContactNo) -> list[ContactProfileAnswer]:
        """Return the contact's answers, ordered by key."""
        table = contact_profile_answer_table
        return self._find(table.c.contact_no == contact_no)

    def find_by_questionnaire(self, code: Code) -> list[ContactProfileAnswer]:
        """Return the questionnaire's answers, ordered by key."""
        table = contact_profile_answer_table
        return self._find(table.c.questionnaire_code == code)

    def _find(self, condition: ColumnElement[bool]) -> list[ContactProfileAnswer]:
        table = contact_profile_answer_table
        rows = self._rows(
            select(table).where(condition).order_by(*self._ordered_by_key(table))
        )
        return [answer_from_row(row) for row in rows]


class SqlMergeRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.MergeRepository` on ``rm_contact_merge`` and ``rm_contact_alias``.

    The record is stored as the library's JSON text; the alias is a row of its own,
    so that resolving a number reads one small table.
    """

    def add(self, record: MergeRecord) -> None:
        """Store the record and its alias.

        Raises:
            AlreadyExistsError: A record for the merged number exists.
        """
        row = {
            "merged_no": record.merged_no,
            "survivor_no": record.survivor_no,
            "occurred_at": record.occurred_at,
            "record": dumps(record),
        }
        if not self._insert_new(contact_merge_table, row):
            raise AlreadyExistsError(_MERGE_KIND, record.merged_no)
        if not self._insert_new(
            contact_alias_table,
            {"merged_no": record.merged_no, "survivor_no": record.survivor_no},
        ):
            raise AlreadyExistsError(_MERGE_KIND, record.merged_no)

    def get(self, merged_no: ContactNo) -> MergeRecord:
        """Return the record.

        Raises:
            NotFoundError: No such record.
        """
        table = contact_merge_table
        rows = self._rows(select(table.c.record).where(table.c.merged_no == merged_no))
        if not rows:
            raise NotFoundError(_MERGE_KIND, merged_no)
        return loads(rows[0]["record"], MergeRecord)

    def remove(self, merged_no: ContactNo) -> None:
        """Delete the record and its alias.

        Raises:
            NotFoundError: No such record.
        """
        table = contact_merge_table
        if self._write(table.delete().where(table.c.merged_no == merged_no)) == 0:
            raise NotFoundError(_MERGE_KIND, merged_no)
        aliases = contact_alias_table
        self._write(aliases.delete().where(aliases.c.merged_no == merged_no))

    def resolve(self, no: ContactNo) -> ContactNo | None:
        """Follow the aliases from ``no`` to the end of the chain."""
        aliases = contact_alias_table
        seen: set[str] = set()
        target: ContactNo | None = None
        current = no
        while current not in seen:
            seen.add(current)
            rows = self._rows(
                select(aliases.c.survivor_no).where(aliases.c.merged_no == current)
            )
            if not rows:
                break
            target = current = ContactNo(rows[0]["survivor_no"])
        return target


def _pair_row(first: ContactNo, second: ContactNo) -> dict[str, object]:
    low, high = (first, second) if first <= second else (second, first)
    return {"contact_no": low, "other_contact_no": high}


class SqlSeparateContactPairRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.SeparateContactPairRepository` on ``rm_contact_separate_pair``."""

    def _filter(self, first: ContactNo, second: ContactNo) -> ColumnElement[bool]:
        row = _pair_row(first, second)
        table = contact_separate_pair_table
        return and_(
            table.c.contact_no == row["contact_no"],
            table.c.other_contact_no == row["other_contact_no"],
        )

    def add(self, first: ContactNo, second: ContactNo) -> None:
        """Store the pair, ordered.

        Raises:
            AlreadyExistsError: The pair is stored.
        """
        if not self._insert_new(contact_separate_pair_table, _pair_row(first, second)):
            raise AlreadyExistsError(_PAIR_KIND, (first, second))

    def remove(self, first: ContactNo, second: ContactNo) -> None:
        """Delete the pair.

        Raises:
            NotFoundError: No such pair.
        """
        table = contact_separate_pair_table
        if self._write(table.delete().where(self._filter(first, second))) == 0:
            raise NotFoundError(_PAIR_KIND, (first, second))

    def separate_from(self, no: ContactNo) -> list[ContactNo]:
        """Return the contacts marked separate from ``no`` (the adapter's own read)."""
        table = contact_separate_pair_table
        rows = self._rows(
            select(table).where(
                or_(table.c.contact_no == no, table.c.other_contact_no == no)
            )
        )
        return [
            ContactNo(
                r["other_contact_no"] if r["contact_no"] == no else r["contact_no"]
            )
            for r in rows
        ]

    def exists(self, first: ContactNo, second: ContactNo) -> bool:
        """Return whether the pair is stored."""
        table = contact_separate_pair_table
        return bool(
            self._rows(select(table.c.contact_no).where(self._filter(first, second)))
        )

    def find_all(self) -> list[tuple[ContactNo, ContactNo]]:
        """Return every pair, ordered."""
        table = contact_separate_pair_table
        rows = self._rows(select(table).order_by(*self._ordered_by_key(table)))
        return [
            (ContactNo(r["contact_no"]), ContactNo(r["other_contact_no"])) for r in rows
        ]


class SqlDuplicateKeyRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.DuplicateKeyRepository` on ``rm_duplicate_key``.

    A look-up with a limit runs one ``LIMIT`` sub-select per key, joined by
    ``UNION ALL``: a key held by a million contacts costs ``limit`` index entries.
    """

    def replace(
        self, method: DuplicateMethod, contact_no: ContactNo, keys: Collection[str]
    ) -> None:
        """Delete the contact's rows under ``method`` and insert one per key."""
        table = duplicate_key_table
        self._write(
            table.delete().where(
                table.c.method == method.value, table.c.contact_no == contact_no
            )
        )
        unique = sorted(set(keys))
        self._insert_all(
            table,
            [
                {
                    "method": method.value,
                    "key": key,
                    "contact_no": contact_no,
                    "key_count": len(unique),
                }
                for key in unique
            ],
        )

    def remove(self, contact_no: ContactNo) -> None:
        """Delete the contact's rows under every method."""
        table = duplicate_key_table
        self._write(table.delete().where(table.c.contact_no == contact_no))

    def keys_of(self, method: DuplicateMethod, contact_no: ContactNo) -> list[str]:
        """Return the contact's keys under ``method``, sorted by code point."""
        table = duplicate_key_table
        rows = self._rows(
            select(table.c.key).where(
                table.c.method == method.value, table.c.contact_no == contact_no
            )
        )
        return sorted(r["key"] for r in rows)

    def holders(
        self,
        method: DuplicateMethod,
        keys: Collection[str],
        *,
        limit: int | None = None,
        excluding: ContactNo | None = None,
    ) -> dict[str, list[tuple[ContactNo, int]]]:
        """Return who holds each key, with their number of keys."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        # Written as SQL text: building the per-key sub-selects as SQLAlchemy
        # constructs costs more than the index look-ups they run.
        params: dict[str, object] = {"method": method.value}
        other = ""
        if excluding is not None:
            other = " AND contact_no <> :excluding"
            params["excluding"] = excluding
        # Only fixed fragments and numbered placeholders are put into the text.
        row_select = (
            'SELECT "key", contact_no, key_count FROM rm_duplicate_key'  # noqa: S608
            " WHERE method = :method{where}" + other
        )
        if limit is None:
            params.update({f"k{n}": key for n, key in enumerate(wanted)})
            names = ", ".join(f":k{n}" for n in range(len(wanted)))
            sql = row_select.format(where=f' AND "key" IN ({names})')
        elif self._postgres:
            # One text whatever the number of keys, so the server plans it once.
            params.update(keys=wanted, limit=limit)
            sql = (
                'SELECT k.key AS "key", h.contact_no, h.key_count'  # noqa: S608
                " FROM unnest(CAST(:keys AS text[])) AS k(key)"
                " CROSS JOIN LATERAL (SELECT d.contact_no, d.key_count"
                " FROM rm_duplicate_key AS d"
                ' WHERE d.method = :method AND d."key" = k.key'
                + other.replace("contact_no", "d.contact_no")
                + " LIMIT :limit) AS h"
            )
        else:
            params["limit"] = limit
            parts = []
            for n, key in enumerate(wanted):
                params[f"k{n}"] = key
                inner = row_select.format(where=f' AND "key" = :k{n}')
                parts.append(f"SELECT * FROM ({inner} LIMIT :limit) AS h{n}")  # noqa: S608
            sql = " UNION ALL ".join(parts)
        statement = text(sql).bindparams(**params)
        found: dict[str, list[tuple[ContactNo, int]]] = {}
        for row in self._rows(statement):
            found.setdefault(row["key"], []).append(
                (ContactNo(row["contact_no"]), row["key_count"])
            )
        return found

    def look_up(
        self,
        method: DuplicateMethod,
        keys: Collection[str],
        *,
        limit: int,
        excluding: ContactNo,
        fields: Collection[str],
        choose: Callable[[Mapping[str, list[tuple[ContactNo, int]]]], Collection[str]]
        | None = None,
    ) -> KeyLookUp:
        """Answer a check's reads: holders, their text fields, separate pairs.

        PostgreSQL answers in one statement; SQLite, in-process, with the reads
        composed (:func:`~relationship_mgmt.adapters.look_up.compose_look_up`).
        """
        names = text_fields(fields)
        if not self._postgres:
            contacts = SqlContactRepository(self._connection, self._seen)
            pairs = SqlSeparateContactPairRepository(self._connection, self._seen)
            return compose_look_up(
                self,
                contacts,
                pairs.separate_from,
                method,
                keys,
                limit=limit,
                excluding=excluding,
                fields=names,
                choose=choose,
            )
        wanted = sorted(set(keys))
        if not wanted:
            return KeyLookUp(holders={}, texts={}, separate=frozenset())
        # The names are checked contact text fields, so quoting them is enough.
        columns = ", ".join(f'c."{name}" AS "t_{name}"' for name in names)
        sql = (
            "WITH h AS (SELECT k.key AS key, d.contact_no, d.key_count,"  # noqa: S608
            " count(*) OVER (PARTITION BY k.key) AS n"
            " FROM unnest(CAST(:keys AS text[])) AS k(key)"
            " CROSS JOIN LATERAL (SELECT d.contact_no, d.key_count"
            " FROM rm_duplicate_key AS d"
            ' WHERE d.method = :method AND d."key" = k.key'
            " AND d.contact_no <> :excluding LIMIT :limit) AS d)"
            f' SELECT h.key AS "key", h.contact_no, h.key_count, c.no AS t_found,'
            f" {columns}, p.contact_no AS apart"
            " FROM h LEFT JOIN rm_contact AS c"
            " ON h.n < :limit AND c.no = h.contact_no"
            " LEFT JOIN rm_contact_separate_pair AS p ON h.n < :limit AND ("
            "(p.contact_no = :excluding AND p.other_contact_no = h.contact_no)"
            " OR (p.contact_no = h.contact_no AND p.other_contact_no = :excluding))"
        )
        statement = text(sql).bindparams(
            keys=wanted, method=method.value, excluding=excluding, limit=limit
        )
        holders: dict[str, list[tuple[ContactNo, int]]] = {}
        texts: dict[ContactNo, dict[str, str]] = {}
        separate: set[ContactNo] = set()
        with translate_errors():
            rows = self._connection.execute(statement).all()
        # Plain tuples: key, contact, key count, found, the fields, apart.
        for key, contact_no, key_count, found, *values, apart in rows:
            no = ContactNo(contact_no)
            holders.setdefault(key, []).append((no, key_count))
            if found is not None and no not in texts:
                texts[no] = dict(zip(names, map(text_of, values), strict=True))
            if apart is not None:
                separate.add(no)
        return KeyLookUp(holders=holders, texts=texts, separate=frozenset(separate))

    def clear(self, method: DuplicateMethod) -> None:
        """Delete every row under ``method``."""
        table = duplicate_key_table
        self._write(table.delete().where(table.c.method == method.value))

    def count(self, method: DuplicateMethod) -> int:
        """Return how many contacts hold keys under ``method``."""
        table = duplicate_key_table
        rows = self._rows(
            select(func.count(func.distinct(table.c.contact_no))).where(
                table.c.method == method.value
            )
        )
        return int(next(iter(rows[0].values())))
