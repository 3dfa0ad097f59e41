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

import sqlite3
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from decimal import Context, Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    Select,
    Table,
    and_,
    false,
    func,
    not_,
    or_,
    select,
    text,
    union,
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
    SegmentRows,
    activity_from_rows,
    activity_to_rows,
    answer_from_row,
    answer_to_row,
    campaign_entry_from_row,
    campaign_entry_to_row,
    campaign_from_row,
    campaign_to_row,
    contact_from_rows,
    contact_to_rows,
    entry_from_row,
    entry_to_row,
    interaction_setup_from_rows,
    interaction_setup_to_rows,
    logged_segment_from_row,
    logged_segment_to_row,
    member_rows,
    opportunity_entry_from_row,
    opportunity_entry_to_row,
    opportunity_from_row,
    opportunity_to_row,
    pricing_line_from_row,
    pricing_line_to_row,
    questionnaire_from_rows,
    questionnaire_to_rows,
    record_from_row,
    record_to_row,
    sales_cycle_from_rows,
    sales_cycle_to_rows,
    salesperson_from_row,
    salesperson_to_row,
    saved_criteria_from_rows,
    saved_criteria_to_rows,
    segment_from_rows,
    segment_to_rows,
    series_from_row,
    series_to_row,
    setup_from_row,
    setup_to_row,
    task_attendee_from_row,
    task_attendee_rows,
    task_from_row,
    task_to_row,
    team_from_rows,
    team_to_row,
    template_from_rows,
    template_to_rows,
)
from relationship_mgmt.adapters.sql.tables import (
    activity_step_table,
    activity_table,
    campaign_entry_table,
    campaign_pricing_line_table,
    campaign_table,
    campaign_target_group_table,
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
    entry_counter_table,
    interaction_log_entry_table,
    interaction_template_language_table,
    interaction_template_setup_table,
    interaction_template_setup_template_table,
    interaction_template_table,
    logged_segment_table,
    number_series_table,
    opportunity_entry_table,
    opportunity_table,
    profile_line_table,
    profile_questionnaire_table,
    profile_rating_point_table,
    sales_cycle_stage_table,
    sales_cycle_table,
    salesperson_table,
    saved_criteria_action_table,
    saved_criteria_table,
    segment_action_table,
    segment_history_table,
    segment_line_table,
    segment_table,
    setup_table,
    task_attendee_table,
    task_table,
    team_salesperson_table,
    team_table,
)
from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignEntry,
    CampaignTargetGroup,
    PricingLine,
    TargetType,
    pricing_line_key,
)
from relationship_mgmt.domain.codes import (
    CampaignNo,
    Code,
    ContactNo,
    NoSeriesCode,
    OpportunityNo,
    SalespersonCode,
    SegmentNo,
    TaskNo,
)
from relationship_mgmt.domain.contacts import (
    Contact,
    ContactType,
    LinkToTable,
    text_fields,
    text_of,
)
from relationship_mgmt.domain.duplicates import DuplicateMethod
from relationship_mgmt.domain.interactions import (
    InitiatedBy,
    InteractionFilter,
    InteractionLogEntry,
    InteractionStatistics,
    InteractionTemplate,
    InteractionTemplateSetup,
    check_purgeable,
    check_update,
)
from relationship_mgmt.domain.merging import MergeRecord
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.opportunities import (
    Opportunity,
    OpportunityEntry,
    OpportunityStatus,
    SalesCycle,
)
from relationship_mgmt.domain.pipeline import (
    CLOSING_ACTIONS,
    GroupBy,
    OpportunityTotals,
    PipelineRow,
    StageDurations,
    StageKey,
    check_group_by,
    durations_from_histograms,
    rows_from_sums,
    sorted_totals,
)
from relationship_mgmt.domain.profiles import ContactProfileAnswer, ProfileQuestionnaire
from relationship_mgmt.domain.salespeople import Salesperson, Team
from relationship_mgmt.domain.segments import LoggedSegment, SavedCriteria, Segment
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.domain.tasks import Activity, Attendee, Task, TaskFilter
from relationship_mgmt.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    IntegrityViolationError,
    NotFoundError,
)
from relationship_mgmt.ports.repositories import CodeTableRecord, KeyLookUp
from relationship_mgmt.serialization import dumps, loads

__all__ = [
    "SqlActivityRepository",
    "SqlCodeTableRepository",
    "SqlContactProfileAnswerRepository",
    "SqlContactRepository",
    "SqlDuplicateKeyRepository",
    "SqlInteractionLogRepository",
    "SqlInteractionTemplateRepository",
    "SqlInteractionTemplateSetupRepository",
    "SqlMergeRepository",
    "SqlNumberSeriesRepository",
    "SqlProfileQuestionnaireRepository",
    "SqlSalespersonRepository",
    "SqlSeparateContactPairRepository",
    "SqlSetupRepository",
    "SqlTaskRepository",
    "SqlTeamRepository",
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
_SALESPERSON_KIND = "salesperson"
_TEAM_KIND = "team"
_TEMPLATE_KIND = "interaction template"
_TEMPLATE_SETUP_KIND = "interaction template setup"
_ENTRY_KIND = "interaction log entry"
_LOG_COUNTER = "interaction_log"  # the rm_entry_counter row of the interaction log
_TASK_KIND = "task"
_ACTIVITY_KIND = "activity"
_SALES_CYCLE_KIND = "sales cycle"
_OPPORTUNITY_KIND = "opportunity"
_OPPORTUNITY_ENTRY_KIND = "opportunity entry"
_CAMPAIGN_KIND = "campaign"
_CAMPAIGN_ENTRY_KIND = "campaign entry"
_TARGET_GROUP_KIND = "campaign target group"
_SEGMENT_KIND = "segment"
_LOGGED_SEGMENT_KIND = "logged segment"
_SAVED_CRITERIA_KIND = "saved criteria"


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

    def _exact_sum(self) -> Callable[[ColumnElement[Any]], ColumnElement[Any]]:
        """``sum`` on PostgreSQL (exact on ``NUMERIC``); on SQLite ``rm_exact_sum``."""
        if self._postgres:
            return func.sum
        self._register_aggregate(_EXACT_SUM, 1, _ExactSum)
        return getattr(func, _EXACT_SUM)  # type: ignore[no-any-return]

    def _exact_sum_of_products(
        self,
    ) -> Callable[[ColumnElement[Any], ColumnElement[Any]], ColumnElement[Any]]:
        """``sum(a * b)``, exact: on SQLite ``rm_exact_sum_of_products(a, b)``."""
        if self._postgres:
            return lambda a, b: func.sum(a * b)
        self._register_aggregate(_EXACT_SUM_OF_PRODUCTS, 2, _ExactSumOfProducts)
        return getattr(func, _EXACT_SUM_OF_PRODUCTS)  # type: ignore[no-any-return]

    def _register_aggregate(self, name: str, arguments: int, kind: type) -> None:
        """Give this SQLite connection the aggregate ``name`` (once per connection)."""
        with translate_errors():
            pooled = self._connection.connection
        if not pooled.info.get(name):
            driver = cast("sqlite3.Connection", pooled.driver_connection)
            # typeshed wants an int-valued aggregate; SQLite takes any value.
            driver.create_aggregate(name, arguments, cast("Any", kind))
            pooled.info[name] = True

    def _insert_all(self, table: Table, rows: list[dict[str, object]]) -> None:
        if rows:
            with translate_errors():
                self._connection.execute(table.insert(), rows)

    def _update_versioned(
        self,
        table: Table,
        key: str,
        version: int,
        values: Mapping[str, object],
        kind: str,
        *,
        key_column: str = "code",
    ) -> None:
        """``UPDATE ... WHERE <key_column> = :key AND version = :held``, bumping it.

        Raises:
            NotFoundError: No row has ``key``.
            ConcurrencyError: The stored version is not ``version``.
        """
        code = table.c[key_column]
        changed = {k: v for k, v in values.items() if k not in {key_column, "version"}}
        updated = self._write(
            table.update()
            .where(code == key, table.c.version == version)
            .values({**changed, "version": table.c.version + 1})
        )
        if updated == 0:
            if not self._rows(select(code).where(code == key)):
                raise NotFoundError(kind, key)
            raise ConcurrencyError(kind, key, version)


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

    def linked_to(self, link_to_table: LinkToTable, no: str) -> ContactNo | None:
        """Return the contact holding the link (the unique link index's look-up)."""
        relations = contact_code_tables["business_relations"]
        rows = self._rows(
            select(relations.c.contact_no).where(
                relations.c.link_to_table == link_to_table.value,
                relations.c.no == no,
                relations.c.no != "",
            )
        )
        return ContactNo(rows[0]["contact_no"]) if rows else None

    def email_addresses(self) -> list[tuple[ContactNo, str]]:
        """Return every contact's addresses, from one query (``;`` lists split here)."""
        contacts, alternatives = contact_table, contact_alternative_address_table
        statement = union(
            select(contacts.c.no, contacts.c.email),
            select(contacts.c.no, contacts.c.email_2),
            select(alternatives.c.contact_no, alternatives.c.email),
        )
        found = {
            (ContactNo(no), address)
            for no, text in self._connection.execute(statement)
            for address in text.split(";")
            if address
        }
        return sorted(found)

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


class SqlSalespersonRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.SalespersonRepository` on ``rm_salesperson``."""

    def add(self, salesperson: Salesperson) -> None:
        """Store a new salesperson; its version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        row = {**salesperson_to_row(salesperson), "version": 1}
        if not self._insert_new(salesperson_table, row):
            raise AlreadyExistsError(_SALESPERSON_KIND, salesperson.code)
        salesperson.version = 1
        self._seen(salesperson)

    def get(self, code: SalespersonCode) -> Salesperson:
        """Return a copy of the salesperson.

        Raises:
            NotFoundError: No such salesperson.
        """
        table = salesperson_table
        rows = self._rows(select(table).where(table.c.code == code))
        if not rows:
            raise NotFoundError(_SALESPERSON_KIND, code)
        return salesperson_from_row(rows[0])

    def exists(self, code: SalespersonCode) -> bool:
        """Return whether the salesperson is stored."""
        table = salesperson_table
        return bool(self._rows(select(table.c.code).where(table.c.code == code)))

    def update(self, salesperson: Salesperson) -> None:
        """Write back a salesperson with a version check; its version goes up by 1.

        Raises:
            NotFoundError: The salesperson was removed.
            ConcurrencyError: The stored version is not ``salesperson.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        self._update_versioned(
            salesperson_table,
            salesperson.code,
            salesperson.version,
            salesperson_to_row(salesperson),
            _SALESPERSON_KIND,
        )
        salesperson.version += 1
        self._seen(salesperson)

    def remove(self, code: SalespersonCode) -> None:
        """Delete the salesperson (the service has checked §8's refusals).

        Raises:
            NotFoundError: No such salesperson.
        """
        table = salesperson_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_SALESPERSON_KIND, code)

    def find_all(self) -> list[Salesperson]:
        """Return every salesperson, ordered by code."""
        table = salesperson_table
        rows = self._rows(select(table).order_by(*self._ordered_by_key(table)))
        return [salesperson_from_row(row) for row in rows]


class SqlTeamRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.TeamRepository` on ``rm_team`` and ``rm_team_salesperson``."""

    def add(self, team: Team) -> None:
        """Store a new team with its members; its version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
        """
        if not self._insert_new(team_table, {**team_to_row(team), "version": 1}):
            raise AlreadyExistsError(_TEAM_KIND, team.code)
        self._insert_all(team_salesperson_table, member_rows(team))
        team.version = 1
        self._seen(team)

    def get(self, code: Code) -> Team:
        """Return a copy of the team with its members.

        Raises:
            NotFoundError: No such team.
        """
        found = self._load(team_table.c.code == code)
        if not found:
            raise NotFoundError(_TEAM_KIND, code)
        return found[0]

    def update(self, team: Team) -> None:
        """Write back a team with a version check; its members are replaced.

        Raises:
            NotFoundError: The team was removed.
            ConcurrencyError: The stored version is not ``team.version``.
        """
        self._update_versioned(
            team_table, team.code, team.version, team_to_row(team), _TEAM_KIND
        )
        members = team_salesperson_table
        self._write(members.delete().where(members.c.team_code == team.code))
        self._insert_all(members, member_rows(team))
        team.version += 1
        self._seen(team)

    def remove(self, code: Code) -> None:
        """Delete the team and its memberships.

        Raises:
            NotFoundError: No such team.
        """
        members = team_salesperson_table
        self._write(members.delete().where(members.c.team_code == code))
        table = team_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_TEAM_KIND, code)

    def find_all(self) -> list[Team]:
        """Return every team with its members, ordered by code."""
        return self._load(None)

    def teams_of(self, salesperson_code: SalespersonCode) -> list[Team]:
        """Return the teams the salesperson is a member of, ordered by code."""
        members = team_salesperson_table
        mine = select(members.c.team_code).where(
            members.c.salesperson_code == salesperson_code
        )
        return self._load(team_table.c.code.in_(mine))

    def _load(self, condition: ColumnElement[bool] | None) -> list[Team]:
        """Read the teams ``condition`` selects (all if ``None``) with their members."""
        table = team_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        keys = select(table.c.code)
        if condition is not None:
            statement = statement.where(condition)
            keys = keys.where(condition)
        rows = self._rows(statement)
        if not rows:
            return []
        members = team_salesperson_table
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(select(members).where(members.c.team_code.in_(keys))):
            grouped.setdefault(row["team_code"], []).append(row)
        return [team_from_rows(row, grouped.get(row["code"], [])) for row in rows]


class SqlInteractionTemplateRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.InteractionTemplateRepository` on two tables.

    The template is a row of ``rm_interaction_template`` (with the version), each
    language a row of ``rm_interaction_template_language``.
    """

    def add(self, template: InteractionTemplate) -> None:
        """Store a new template with its languages; its version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = template_to_rows(template)
        if not self._insert_new(
            interaction_template_table, {**rows.header, "version": 1}
        ):
            raise AlreadyExistsError(_TEMPLATE_KIND, template.code)
        self._insert_all(interaction_template_language_table, rows.languages)
        template.version = 1
        self._seen(template)

    def get(self, code: Code) -> InteractionTemplate:
        """Return a copy of the template with its languages.

        Raises:
            NotFoundError: No such template.
        """
        found = self._load(interaction_template_table.c.code == code)
        if not found:
            raise NotFoundError(_TEMPLATE_KIND, code)
        return found[0]

    def exists(self, code: Code) -> bool:
        """Return whether the template is stored."""
        table = interaction_template_table
        return bool(self._rows(select(table.c.code).where(table.c.code == code)))

    def update(self, template: InteractionTemplate) -> None:
        """Write back a template with a version check; its languages are replaced.

        Raises:
            NotFoundError: The template was removed.
            ConcurrencyError: The stored version is not ``template.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = template_to_rows(template)
        self._update_versioned(
            interaction_template_table,
            template.code,
            template.version,
            rows.header,
            _TEMPLATE_KIND,
        )
        languages = interaction_template_language_table
        self._write(
            languages.delete().where(languages.c.template_code == template.code)
        )
        self._insert_all(languages, rows.languages)
        template.version += 1
        self._seen(template)

    def remove(self, code: Code) -> None:
        """Delete the template and its language rows.

        Raises:
            NotFoundError: No such template.
        """
        languages = interaction_template_language_table
        self._write(languages.delete().where(languages.c.template_code == code))
        table = interaction_template_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_TEMPLATE_KIND, code)

    def find_all(self) -> list[InteractionTemplate]:
        """Return every template with its languages, ordered by code."""
        return self._load(None)

    def _load(self, condition: ColumnElement[bool] | None) -> list[InteractionTemplate]:
        table = interaction_template_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        keys = select(table.c.code)
        if condition is not None:
            statement = statement.where(condition)
            keys = keys.where(condition)
        rows = self._rows(statement)
        if not rows:
            return []
        languages = interaction_template_language_table
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(
            select(languages).where(languages.c.template_code.in_(keys))
        ):
            grouped.setdefault(row["template_code"], []).append(row)
        return [template_from_rows(row, grouped.get(row["code"], [])) for row in rows]


class SqlInteractionTemplateSetupRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.InteractionTemplateSetupRepository`.

    The version is the one row of ``rm_interaction_template_setup`` (id 1); each
    document kind with a template is a row of
    ``rm_interaction_template_setup_template``.
    """

    def get(self) -> InteractionTemplateSetup:
        """Return the stored setup, or an empty one (version 0) before the first save."""
        header = interaction_template_setup_table
        rows = self._rows(select(header.c.version).where(header.c.id == _SETUP_ID))
        if not rows:
            return InteractionTemplateSetup()
        templates = self._rows(select(interaction_template_setup_template_table))
        return interaction_setup_from_rows(rows[0]["version"], templates)

    def save(self, setup: InteractionTemplateSetup) -> None:
        """Insert the setup (version 0) or update it with a version check.

        Raises:
            ConcurrencyError: The stored version differs, or a setup was stored
                meanwhile when inserting.
        """
        header = interaction_template_setup_table
        if setup.version == 0:
            if not self._insert_new(header, {"id": _SETUP_ID, "version": 1}):
                raise ConcurrencyError(_TEMPLATE_SETUP_KIND, _SETUP_ID, 0)
        else:
            updated = self._write(
                header.update()
                .where(header.c.id == _SETUP_ID, header.c.version == setup.version)
                .values(version=header.c.version + 1)
            )
            if updated == 0:
                raise ConcurrencyError(_TEMPLATE_SETUP_KIND, _SETUP_ID, setup.version)
        templates = interaction_template_setup_template_table
        self._write(templates.delete())
        self._insert_all(templates, interaction_setup_to_rows(setup))
        setup.version += 1
        self._seen(setup)


_EXACT_SUM = "rm_exact_sum"
_SUM_CONTEXT = Context(prec=80)  # the domain's: sums of its bounded values are exact


class _ExactSum:
    """SQLite aggregate ``rm_exact_sum(x)``: the exact decimal sum of ``x`` as text.

    SQLite's ``sum()`` adds doubles (0.1 + 0.2 is 0.30000000000000004); this adds
    each stored number as the :class:`~decimal.Decimal`
    :class:`~relationship_mgmt.adapters.sql.tables.ExactDecimal` reads it as.
    """

    def __init__(self) -> None:
        self.total: Decimal | None = None

    def step(self, value: float | str | None) -> None:
        if value is None:
            return
        number = _stored_decimal(value)
        self.total = (
            number if self.total is None else _SUM_CONTEXT.add(self.total, number)
        )

    def finalize(self) -> str | None:
        return None if self.total is None else str(self.total)


_EXACT_SUM_OF_PRODUCTS = "rm_exact_sum_of_products"


def _stored_decimal(value: float | str) -> Decimal:
    """A number as :class:`~relationship_mgmt.adapters.sql.tables.ExactDecimal` reads it."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class _ExactSumOfProducts(_ExactSum):
    """SQLite aggregate ``rm_exact_sum_of_products(a, b)``: the exact sum of ``a * b``."""

    def step(
        self, value: float | str | None, factor: float | str | None = None
    ) -> None:
        if value is None or factor is None:
            return
        product = _SUM_CONTEXT.multiply(_stored_decimal(value), _stored_decimal(factor))
        super().step(str(product))


def _decimal(value: object) -> Decimal:
    """A sum as read back: ``NUMERIC`` (PostgreSQL), text (SQLite) or NULL (no rows)."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


class SqlInteractionLogRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.InteractionLogRepository` on ``rm_interaction_log_entry``.

    Entry numbers come from the ``interaction_log`` row of ``rm_entry_counter``:
    :meth:`next_entry_no` advances it with one ``UPDATE ... RETURNING`` to one more
    than the greater of itself and the highest stored number (so the row, created on
    first use, starts from the stored entries), and :meth:`add` raises it to the
    number stored. The ``UPDATE`` locks the row until the unit of work ends (on
    SQLite the unit of work holds the write lock anyway), so concurrent writers take
    turns and never get the same number; a rolled-back unit of work gives its numbers
    back. :meth:`find` and :meth:`statistics` compile the
    :class:`~relationship_mgmt.domain.interactions.InteractionFilter` into ``WHERE``;
    the statistics are one aggregate query (``count``/``sum``/``max`` with
    ``FILTER``). SQLite sums with ``rm_exact_sum``, an aggregate the repository
    registers on its connection, because its ``sum()`` rounds.
    """

    def next_entry_no(self) -> int:
        """Return the next entry number and remember it as handed out.

        Raises:
            UnitOfWorkStateError: In a read-only unit of work (it writes the counter).
        """
        counter = entry_counter_table
        log = interaction_log_entry_table
        highest = select(func.coalesce(func.max(log.c.entry_no), 0)).scalar_subquery()
        advance = (
            counter.update()
            .where(counter.c.name == _LOG_COUNTER)
            .values(last_no=self._greatest(counter.c.last_no, highest) + 1)
            .returning(counter.c.last_no)
        )
        rows = self._rows(advance)
        if not rows:
            # First use: create the row (a concurrent first use may win; either way
            # it exists now) and advance it.
            self._insert_new(counter, {"name": _LOG_COUNTER, "last_no": 0})
            rows = self._rows(advance)
        return int(rows[0]["last_no"])

    def _greatest(
        self, first: ColumnElement[Any], second: ColumnElement[Any]
    ) -> ColumnElement[Any]:
        # SQLite's two-argument max() is its scalar greatest().
        return (func.greatest if self._postgres else func.max)(first, second)

    def add(self, entry: InteractionLogEntry) -> None:
        """Store a new entry with version 1.

        Raises:
            AlreadyExistsError: The entry number or the idempotency key is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        table = interaction_log_entry_table
        statement: Insert = self._insert(table).on_conflict_do_nothing()
        statement = statement.values({**entry_to_row(entry), "version": 1})
        if self._write(statement.execution_options(preserve_rowcount=True)) != 1:
            key = entry.idempotency_key
            if key is not None and self.by_idempotency_key(key) is not None:
                raise AlreadyExistsError(_ENTRY_KIND, key)
            raise AlreadyExistsError(_ENTRY_KIND, entry.entry_no)
        counter = entry_counter_table
        # Raise the counter to the stored number: no number stored is handed out.
        raising = self._insert(counter).values(
            name=_LOG_COUNTER, last_no=entry.entry_no
        )
        self._write(
            raising.on_conflict_do_update(
                index_elements=[counter.c.name],
                set_={"last_no": raising.excluded.last_no},
                where=counter.c.last_no < raising.excluded.last_no,
            )
        )

    def get(self, entry_no: int) -> InteractionLogEntry:
        """Return the entry.

        Raises:
            NotFoundError: No such entry.
        """
        table = interaction_log_entry_table
        rows = self._rows(select(table).where(table.c.entry_no == entry_no))
        if not rows:
            raise NotFoundError(_ENTRY_KIND, entry_no)
        return entry_from_row(rows[0])

    def update(self, entry: InteractionLogEntry) -> InteractionLogEntry:
        """Write back an entry changed by its operations; return it as stored.

        The stored entry is read, its version compared and
        :func:`~relationship_mgmt.domain.interactions.check_update` asked; the
        ``UPDATE ... WHERE version = :held`` then guards against a writer in
        between.

        Raises:
            NotFoundError: No such entry.
            ConcurrencyError: The stored version is not ``entry.version``.
            InteractionEntryError: A field no operation may change was changed.
        """
        stored = self.get(entry.entry_no)
        if stored.version != entry.version:
            raise ConcurrencyError(_ENTRY_KIND, entry.entry_no, entry.version)
        check_update(stored, entry)
        table = interaction_log_entry_table
        row = entry_to_row(entry)
        del row["entry_no"], row["version"]
        updated = self._write(
            table.update()
            .where(table.c.entry_no == entry.entry_no, table.c.version == entry.version)
            .values({**row, "version": table.c.version + 1})
        )
        if updated == 0:
            raise ConcurrencyError(_ENTRY_KIND, entry.entry_no, entry.version)
        return entry.stored_as(entry.version + 1)

    def remove(self, entry_no: int) -> None:
        """Delete a canceled entry.

        Raises:
            NotFoundError: No such entry.
            InteractionEntryError: The entry is not canceled.
        """
        check_purgeable(self.get(entry_no))
        table = interaction_log_entry_table
        if self._write(table.delete().where(table.c.entry_no == entry_no)) == 0:
            raise NotFoundError(_ENTRY_KIND, entry_no)

    def by_idempotency_key(self, key: str) -> InteractionLogEntry | None:
        """Return the entry logged with ``key`` (the unique index's look-up), if any."""
        table = interaction_log_entry_table
        rows = self._rows(select(table).where(table.c.idempotency_key == key))
        return entry_from_row(rows[0]) if rows else None

    def find(
        self,
        where: InteractionFilter | None = None,
        *,
        canceled: bool | None = None,
        limit: int | None = None,
    ) -> list[InteractionLogEntry]:
        """Return the selected entries by entry number (newest first with a limit).

        The Date Filter applies when ``where`` has a starting or an ending date.
        """
        table = interaction_log_entry_table
        conditions = _selecting(where or InteractionFilter())
        if where is not None and (
            where.starting is not None or where.ending is not None
        ):
            conditions.append(_in_period(where))
        if canceled is not None:
            conditions.append(table.c.canceled if canceled else not_(table.c.canceled))
        order = table.c.entry_no if limit is None else table.c.entry_no.desc()
        statement = select(table).where(*conditions).order_by(order)
        if limit is not None:
            statement = statement.limit(limit)
        return [entry_from_row(row) for row in self._rows(statement)]

    def statistics(self, where: InteractionFilter) -> InteractionStatistics:
        """Return the FlowFields of the selected entries with one aggregate query.

        What :func:`~relationship_mgmt.domain.interactions.statistics_of` computes:
        the count and sums over entries neither canceled nor postponed and dated in
        the Date Filter; the latest date of the live (not postponed) entries whose
        attempt did not fail, and of those initiated by Us.
        """
        table = interaction_log_entry_table
        live = not_(table.c.postponed)
        counted = and_(not_(table.c.canceled), live, _in_period(where))
        total = self._exact_sum()
        statement = select(
            func.count().filter(counted).label("no_of_interactions"),
            total(table.c.cost_lcy).filter(counted).label("cost_lcy"),
            total(table.c.duration_min).filter(counted).label("duration_min"),
            func.max(table.c.date)
            .filter(live, not_(table.c.attempt_failed))
            .label("date_of_last_interaction"),
            func.max(table.c.date)
            .filter(live, table.c.initiated_by == InitiatedBy.US.value)
            .label("last_date_attempted"),
        ).where(*_selecting(where))
        row = self._rows(statement)[0]
        return InteractionStatistics(
            no_of_interactions=int(row["no_of_interactions"]),
            cost_lcy=_decimal(row["cost_lcy"]),
            duration_min=_decimal(row["duration_min"]),
            date_of_last_interaction=row["date_of_last_interaction"],
            last_date_attempted=row["last_date_attempted"],
        )


def _selecting(where: InteractionFilter) -> list[ColumnElement[bool]]:
    """The ``WHERE`` of :meth:`InteractionFilter.selects` (dates aside)."""
    table = interaction_log_entry_table
    conditions: list[ColumnElement[bool]] = []
    for column, value in (
        (table.c.contact_no, where.contact_no),
        (table.c.interaction_template_code, where.template_code),
        (table.c.interaction_group_code, where.group_code),
        (table.c.salesperson_code, where.salesperson_code),
        (table.c.campaign_no, where.campaign_no),
        (table.c.attachment_no, where.attachment_no),
        (table.c.opportunity_no, where.opportunity_no),
        (table.c.logged_segment_entry_no, where.logged_segment_entry_no),
    ):
        if value is not None:
            conditions.append(column == value)
    company = where.contact_company_no
    if company == "":  # a person without a company: BC's Contact Company No. = ''
        conditions.append(table.c.contact_company_no.is_(None))
    elif company is not None:
        conditions.append(table.c.contact_company_no == company)
    return conditions


def _in_period(where: InteractionFilter) -> ColumnElement[bool]:
    """The Date Filter: a date, within ``starting``..``ending`` (inclusive)."""
    date = interaction_log_entry_table.c.date
    conditions: list[ColumnElement[bool]] = [date.is_not(None)]
    if where.starting is not None:
        conditions.append(date >= where.starting)
    if where.ending is not None:
        conditions.append(date <= where.ending)
    return and_(*conditions)


class SqlTaskRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.TaskRepository` on ``rm_task`` and ``rm_task_attendee``.

    A task is one row, version-checked on update. :meth:`find`,
    :meth:`next_task_date` and :meth:`count_open` compile the
    :class:`~relationship_mgmt.domain.tasks.TaskFilter` into ``WHERE``; the Next
    Task Date is one ``MIN(date)``. Attendees are rows keyed by (task, line),
    deleted with their task by the foreign key's ``ON DELETE CASCADE``.
    """

    def add(self, task: Task) -> None:
        """Store a new task with version 1.

        Raises:
            AlreadyExistsError: The number is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        if not self._insert_new(task_table, {**task_to_row(task), "version": 1}):
            raise AlreadyExistsError(_TASK_KIND, task.no)
        task.version = 1
        self._seen(task)

    def get(self, no: TaskNo) -> Task:
        """Return a copy of the task.

        Raises:
            NotFoundError: No such task.
        """
        table = task_table
        rows = self._rows(select(table).where(table.c.no == no))
        if not rows:
            raise NotFoundError(_TASK_KIND, no)
        return task_from_row(rows[0])

    def exists(self, no: TaskNo) -> bool:
        """Return whether the task is stored."""
        table = task_table
        return bool(self._rows(select(table.c.no).where(table.c.no == no)))

    def update(self, task: Task) -> None:
        """Write back a task with a version check; its version goes up by 1.

        Raises:
            NotFoundError: The task was removed.
            ConcurrencyError: The stored version is not ``task.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        self._update_versioned(
            task_table,
            task.no,
            task.version,
            task_to_row(task),
            _TASK_KIND,
            key_column="no",
        )
        task.version += 1
        self._seen(task)

    def remove(self, no: TaskNo) -> None:
        """Delete the task; its attendees go with it (ON DELETE CASCADE).

        Raises:
            NotFoundError: No such task.
        """
        attendees = task_attendee_table
        self._write(attendees.delete().where(attendees.c.task_no == no))
        table = task_table
        if self._write(table.delete().where(table.c.no == no)) == 0:
            raise NotFoundError(_TASK_KIND, no)

    def find(self, where: TaskFilter | None = None) -> list[Task]:
        """Return the selected tasks, ordered by date and number."""
        table = task_table
        statement = (
            select(table)
            .where(*_task_conditions(where or TaskFilter()))
            .order_by(*self._ordered(table.c.date, table.c.no))
        )
        return [task_from_row(row) for row in self._rows(statement)]

    def next_task_date(self, where: TaskFilter) -> date | None:
        """Return ``MIN(date)`` of the selected tasks."""
        table = task_table
        statement = select(func.min(table.c.date).label("next_task_date")).where(
            *_task_conditions(where)
        )
        found: date | None = self._rows(statement)[0]["next_task_date"]
        return found

    def count_open(
        self,
        *,
        salesperson_code: SalespersonCode | None = None,
        team_code: Code | None = None,
    ) -> int:
        """Return ``COUNT(*)`` of the open tasks of the salesperson and/or team."""
        where = TaskFilter(
            salesperson_code=salesperson_code, team_code=team_code, closed=False
        )
        statement = select(func.count().label("open_tasks")).where(
            *_task_conditions(where)
        )
        return int(self._rows(statement)[0]["open_tasks"])

    def attendees_of(self, no: TaskNo) -> list[Attendee]:
        """Return the task's attendees by line number."""
        attendees = task_attendee_table
        statement = (
            select(attendees)
            .where(attendees.c.task_no == no)
            .order_by(attendees.c.line_no)
        )
        return [task_attendee_from_row(row) for row in self._rows(statement)]

    def replace_attendees(self, no: TaskNo, attendees: Collection[Attendee]) -> None:
        """Make ``attendees`` the task's attendee rows.

        Raises:
            NotFoundError: No such task.
            IntegrityViolationError: A line number given twice.
        """
        if not self.exists(no):
            raise NotFoundError(_TASK_KIND, no)
        table = task_attendee_table
        self._write(table.delete().where(table.c.task_no == no))
        self._insert_all(table, task_attendee_rows(no, attendees))


def _task_conditions(where: TaskFilter) -> list[ColumnElement[bool]]:
    """The ``WHERE`` of :meth:`TaskFilter.selects <relationship_mgmt.domain.tasks.TaskFilter.selects>`."""
    table = task_table
    conditions: list[ColumnElement[bool]] = []
    for column, value in (
        (table.c.salesperson_code, where.salesperson_code),
        (table.c.team_code, where.team_code),
        (table.c.contact_no, where.contact_no),
        (table.c.opportunity_no, where.opportunity_no),
        (table.c.campaign_no, where.campaign_no),
        (table.c.segment_no, where.segment_no),
        (table.c.organizer_task_no, where.organizer_task_no),
    ):
        if value is not None:
            conditions.append(column == value)
    company = where.contact_company_no
    if company == "":  # BC's Contact Company No. = '': a person without a company
        conditions.append(table.c.contact_company_no.is_(None))
    elif company is not None:
        conditions.append(table.c.contact_company_no == company)
    for column, flag in (
        (table.c.closed, where.closed),
        (table.c.canceled, where.canceled),
    ):
        if flag is not None:
            conditions.append(column if flag else not_(column))
    if where.system_task_types is not None:
        conditions.append(
            table.c.system_task_type.in_(
                sorted(kind.value for kind in where.system_task_types)
            )
        )
    if where.starting is not None:
        conditions.append(table.c.date >= where.starting)
    if where.ending is not None:
        conditions.append(table.c.date <= where.ending)
    return conditions


class SqlActivityRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.ActivityRepository` on ``rm_activity`` and ``rm_activity_step``."""

    def add(self, activity: Activity) -> None:
        """Store a new activity with its steps.

        Raises:
            AlreadyExistsError: The code is taken.
        """
        rows = activity_to_rows(activity)
        if not self._insert_new(activity_table, rows.header):
            raise AlreadyExistsError(_ACTIVITY_KIND, activity.code)
        self._insert_all(activity_step_table, rows.steps)

    def get(self, code: Code) -> Activity:
        """Return the activity with its steps.

        Raises:
            NotFoundError: No such activity.
        """
        found = self._load(activity_table.c.code == code)
        if not found:
            raise NotFoundError(_ACTIVITY_KIND, code)
        return found[0]

    def update(self, activity: Activity) -> None:
        """Overwrite the activity; its steps are replaced.

        Raises:
            NotFoundError: No such activity.
        """
        rows = activity_to_rows(activity)
        table = activity_table
        updated = self._write(
            table.update()
            .where(table.c.code == activity.code)
            .values(description=activity.description)
        )
        if updated == 0:
            raise NotFoundError(_ACTIVITY_KIND, activity.code)
        steps = activity_step_table
        self._write(steps.delete().where(steps.c.activity_code == activity.code))
        self._insert_all(steps, rows.steps)

    def remove(self, code: Code) -> None:
        """Delete the activity and its steps.

        Raises:
            NotFoundError: No such activity.
        """
        steps = activity_step_table
        self._write(steps.delete().where(steps.c.activity_code == code))
        table = activity_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_ACTIVITY_KIND, code)

    def find_all(self) -> list[Activity]:
        """Return every activity with its steps, ordered by code."""
        return self._load(None)

    def _load(self, condition: ColumnElement[bool] | None) -> list[Activity]:
        table = activity_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        keys = select(table.c.code)
        if condition is not None:
            statement = statement.where(condition)
            keys = keys.where(condition)
        rows = self._rows(statement)
        if not rows:
            return []
        steps = activity_step_table
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(select(steps).where(steps.c.activity_code.in_(keys))):
            grouped.setdefault(row["activity_code"], []).append(row)
        return [activity_from_rows(row, grouped.get(row["code"], [])) for row in rows]


class SqlSalesCycleRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.SalesCycleRepository` on ``rm_sales_cycle`` and ``rm_sales_cycle_stage``.

    A cycle is one row, version-checked on update; its stages are rows keyed by
    (cycle, stage), replaced on update and deleted with it.
    """

    def add(self, cycle: SalesCycle) -> None:
        """Store a new sales cycle with its stages; its version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = sales_cycle_to_rows(cycle)
        if not self._insert_new(sales_cycle_table, {**rows.header, "version": 1}):
            raise AlreadyExistsError(_SALES_CYCLE_KIND, cycle.code)
        self._insert_all(sales_cycle_stage_table, rows.stages)
        cycle.version = 1
        self._seen(cycle)

    def get(self, code: Code) -> SalesCycle:
        """Return a copy of the sales cycle with its stages.

        Raises:
            NotFoundError: No such sales cycle.
        """
        found = self._load(sales_cycle_table.c.code == code)
        if not found:
            raise NotFoundError(_SALES_CYCLE_KIND, code)
        return found[0]

    def exists(self, code: Code) -> bool:
        """Return whether the sales cycle is stored."""
        table = sales_cycle_table
        return bool(self._rows(select(table.c.code).where(table.c.code == code)))

    def update(self, cycle: SalesCycle) -> None:
        """Write back a sales cycle with a version check; its stages are replaced.

        Raises:
            NotFoundError: The sales cycle was removed.
            ConcurrencyError: The stored version is not ``cycle.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = sales_cycle_to_rows(cycle)
        self._update_versioned(
            sales_cycle_table, cycle.code, cycle.version, rows.header, _SALES_CYCLE_KIND
        )
        stages = sales_cycle_stage_table
        self._write(stages.delete().where(stages.c.sales_cycle_code == cycle.code))
        self._insert_all(stages, rows.stages)
        cycle.version += 1
        self._seen(cycle)

    def remove(self, code: Code) -> None:
        """Delete the sales cycle and its stages.

        Raises:
            NotFoundError: No such sales cycle.
        """
        stages = sales_cycle_stage_table
        self._write(stages.delete().where(stages.c.sales_cycle_code == code))
        table = sales_cycle_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_SALES_CYCLE_KIND, code)

    def find_all(self) -> list[SalesCycle]:
        """Return every sales cycle with its stages, ordered by code."""
        return self._load(None)

    def _load(self, condition: ColumnElement[bool] | None) -> list[SalesCycle]:
        table = sales_cycle_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        keys = select(table.c.code)
        if condition is not None:
            statement = statement.where(condition)
            keys = keys.where(condition)
        rows = self._rows(statement)
        if not rows:
            return []
        stages = sales_cycle_stage_table
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(
            select(stages).where(stages.c.sales_cycle_code.in_(keys))
        ):
            grouped.setdefault(row["sales_cycle_code"], []).append(row)
        return [
            sales_cycle_from_rows(row, grouped.get(row["code"], [])) for row in rows
        ]


class SqlOpportunityRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.OpportunityRepository` on ``rm_opportunity``."""

    def add(self, opportunity: Opportunity) -> None:
        """Store a new opportunity; its version becomes 1.

        Raises:
            AlreadyExistsError: The number is taken.
        """
        row = {**opportunity_to_row(opportunity), "version": 1}
        if not self._insert_new(opportunity_table, row):
            raise AlreadyExistsError(_OPPORTUNITY_KIND, opportunity.no)
        opportunity.version = 1
        self._seen(opportunity)

    def get(self, no: OpportunityNo) -> Opportunity:
        """Return a copy of the opportunity.

        Raises:
            NotFoundError: No such opportunity.
        """
        table = opportunity_table
        rows = self._rows(select(table).where(table.c.no == no))
        if not rows:
            raise NotFoundError(_OPPORTUNITY_KIND, no)
        return opportunity_from_row(rows[0])

    def exists(self, no: OpportunityNo) -> bool:
        """Return whether the opportunity is stored."""
        table = opportunity_table
        return bool(self._rows(select(table.c.no).where(table.c.no == no)))

    def update(self, opportunity: Opportunity) -> None:
        """Write back an opportunity with a version check; its version goes up by 1.

        Raises:
            NotFoundError: The opportunity was removed.
            ConcurrencyError: The stored version is not ``opportunity.version``.
        """
        self._update_versioned(
            opportunity_table,
            opportunity.no,
            opportunity.version,
            opportunity_to_row(opportunity),
            _OPPORTUNITY_KIND,
            key_column="no",
        )
        opportunity.version += 1
        self._seen(opportunity)

    def remove(self, no: OpportunityNo) -> None:
        """Delete the opportunity.

        Raises:
            NotFoundError: No such opportunity.
        """
        table = opportunity_table
        if self._write(table.delete().where(table.c.no == no)) == 0:
            raise NotFoundError(_OPPORTUNITY_KIND, no)

    def find(
        self,
        *,
        contact_company_no: ContactNo | None = None,
        contact_no: ContactNo | None = None,
        salesperson_code: SalespersonCode | None = None,
        campaign_no: CampaignNo | None = None,
        sales_cycle_code: Code | None = None,
        status: OpportunityStatus | None = None,
    ) -> list[Opportunity]:
        """Return the matching opportunities, ordered by number."""
        table = opportunity_table
        conditions: list[ColumnElement[bool]] = []
        for column, value in (
            (table.c.contact_no, contact_no),
            (table.c.salesperson_code, salesperson_code),
            (table.c.campaign_no, campaign_no),
            (table.c.sales_cycle_code, sales_cycle_code),
            (table.c.status, None if status is None else status.value),
        ):
            if value is not None:
                conditions.append(column == value)
        if contact_company_no == "":
            conditions.append(table.c.contact_company_no.is_(None))
        elif contact_company_no is not None:
            conditions.append(table.c.contact_company_no == contact_company_no)
        statement = (
            select(table).where(*conditions).order_by(*self._ordered(table.c.no))
        )
        return [opportunity_from_row(row) for row in self._rows(statement)]


class _SqlNumberedRepository(_SqlRepository):
    """Entry numbers from a row of ``rm_entry_counter`` (as the interaction log's).

    :meth:`next_entry_no` advances the counter row with one ``UPDATE ... RETURNING``
    to one more than the greater of itself and the highest stored number; adding
    an entry raises it to the number stored. The ``UPDATE`` locks the row until the
    unit of work ends, so concurrent writers take turns.
    """

    _counter: str
    _table: Table
    _kind: str

    def next_entry_no(self) -> int:
        """Return the next entry number and remember it as handed out."""
        counter = entry_counter_table
        table = self._table
        highest = select(func.coalesce(func.max(table.c.entry_no), 0)).scalar_subquery()
        greatest = func.greatest if self._postgres else func.max
        advance = (
            counter.update()
            .where(counter.c.name == self._counter)
            .values(last_no=greatest(counter.c.last_no, highest) + 1)
            .returning(counter.c.last_no)
        )
        rows = self._rows(advance)
        if not rows:
            self._insert_new(counter, {"name": self._counter, "last_no": 0})
            rows = self._rows(advance)
        return int(rows[0]["last_no"])

    def _add_row(self, entry_no: int, row: Mapping[str, object]) -> None:
        if not self._insert_new(self._table, row):
            raise AlreadyExistsError(self._kind, entry_no)
        counter = entry_counter_table
        raising = self._insert(counter).values(name=self._counter, last_no=entry_no)
        self._write(
            raising.on_conflict_do_update(
                index_elements=[counter.c.name],
                set_={"last_no": raising.excluded.last_no},
                where=counter.c.last_no < raising.excluded.last_no,
            )
        )

    def _get_row(self, entry_no: int) -> dict[str, Any]:
        table = self._table
        rows = self._rows(select(table).where(table.c.entry_no == entry_no))
        if not rows:
            raise NotFoundError(self._kind, entry_no)
        return rows[0]

    def _update_row(self, entry_no: int, row: Mapping[str, object]) -> None:
        table = self._table
        values = {k: v for k, v in row.items() if k != "entry_no"}
        updated = self._write(
            table.update().where(table.c.entry_no == entry_no).values(values)
        )
        if updated == 0:
            raise NotFoundError(self._kind, entry_no)

    def _find_rows(self, *conditions: ColumnElement[bool]) -> list[dict[str, Any]]:
        table = self._table
        return self._rows(select(table).where(*conditions).order_by(table.c.entry_no))

    def _remove_row(self, entry_no: int) -> None:
        table = self._table
        if not self._write(table.delete().where(table.c.entry_no == entry_no)):
            raise NotFoundError(self._kind, entry_no)


class SqlOpportunityEntryRepository(_SqlNumberedRepository):
    """:class:`~relationship_mgmt.ports.OpportunityEntryRepository` on ``rm_opportunity_entry``.

    Entry numbers come from the ``opportunity_entry`` row of ``rm_entry_counter``.
    """

    _counter = "opportunity_entry"
    _table = opportunity_entry_table
    _kind = _OPPORTUNITY_ENTRY_KIND

    def add(self, entry: OpportunityEntry) -> None:
        """Store a new entry.

        Raises:
            AlreadyExistsError: The entry number is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        self._add_row(entry.entry_no, opportunity_entry_to_row(entry))

    def get(self, entry_no: int) -> OpportunityEntry:
        """Return the entry.

        Raises:
            NotFoundError: No such entry.
        """
        return opportunity_entry_from_row(self._get_row(entry_no))

    def update(self, entry: OpportunityEntry) -> None:
        """Overwrite the stored entry.

        Raises:
            NotFoundError: No such entry.
        """
        self._update_row(entry.entry_no, opportunity_entry_to_row(entry))

    def entries_of(self, opportunity_no: OpportunityNo) -> list[OpportunityEntry]:
        """Return the opportunity's entries by entry number."""
        table = self._table
        rows = self._find_rows(table.c.opportunity_no == opportunity_no)
        return [opportunity_entry_from_row(row) for row in rows]

    def active_of(self, opportunity_no: OpportunityNo) -> OpportunityEntry | None:
        """Return the opportunity's active entry (the highest number), if any."""
        table = self._table
        rows = self._find_rows(table.c.opportunity_no == opportunity_no, table.c.active)
        return opportunity_entry_from_row(rows[-1]) if rows else None

    def remove_of(self, opportunity_no: OpportunityNo) -> int:
        """Delete the opportunity's entries; return how many."""
        table = self._table
        return self._write(
            table.delete().where(table.c.opportunity_no == opportunity_no)
        )

    def pipeline(
        self,
        *,
        as_of: date | None = None,
        sales_cycle_code: Code | None = None,
        salesperson_code: SalespersonCode | None = None,
    ) -> list[PipelineRow]:
        """Return the open opportunities by stage with one ``GROUP BY`` (§5.9).

        What :func:`~relationship_mgmt.domain.pipeline.pipeline_of` computes. As of a
        day, an entry counts when no later entry of its opportunity is dated on or
        before that day (``NOT EXISTS`` over the opportunity's entry index).
        """
        table = self._table
        conditions: list[ColumnElement[bool]] = [
            table.c.sales_cycle_code.is_not(None),
            table.c.sales_cycle_stage.is_not(None),
            table.c.action_taken.not_in([a.value for a in CLOSING_ACTIONS]),
        ]
        if as_of is None:
            conditions.append(table.c.active)
        else:
            later = table.alias("later")
            superseded = (
                select(later.c.entry_no)
                .where(
                    later.c.opportunity_no == table.c.opportunity_no,
                    later.c.entry_no > table.c.entry_no,
                    later.c.date_of_change <= as_of,
                )
                .exists()
            )
            conditions += [table.c.date_of_change <= as_of, not_(superseded)]
        if sales_cycle_code is not None:
            conditions.append(table.c.sales_cycle_code == sales_cycle_code)
        if salesperson_code is not None:
            conditions.append(table.c.salesperson_code == salesperson_code)
        total = self._exact_sum()
        products = self._exact_sum_of_products()
        statement = (
            select(
                table.c.sales_cycle_code,
                table.c.sales_cycle_stage,
                func.count().label("count"),
                total(table.c.estimated_value).label("estimated"),
                total(table.c.calcd_current_value).label("calculated"),
                products(table.c.estimated_value, table.c.chances_of_success_pct).label(
                    "weighted"
                ),
            )
            .where(*conditions)
            .group_by(table.c.sales_cycle_code, table.c.sales_cycle_stage)
        )
        sums = {
            (str(row["sales_cycle_code"]), int(row["sales_cycle_stage"])): [
                Decimal(row["count"]),
                _decimal(row["estimated"]),
                _decimal(row["calculated"]),
                _decimal(row["weighted"]),
            ]
            for row in self._rows(statement)
        }
        return rows_from_sums(sums)

    def totals(
        self, group_by: GroupBy, *, key: str | None = None
    ) -> list[OpportunityTotals]:
        """Return the active entries' totals by ``group_by`` with one ``GROUP BY``."""
        column = table_column = self._table.c[check_group_by(group_by)]
        total = self._exact_sum()
        conditions: list[ColumnElement[bool]] = [self._table.c.active]
        if key is not None:
            conditions.append(table_column == key)
        statement = (
            select(
                column.label("key"),
                func.count().label("count"),
                total(self._table.c.estimated_value).label("estimated"),
                total(self._table.c.calcd_current_value).label("calculated"),
            )
            .where(*conditions)
            .group_by(column)
        )
        found = {
            row["key"]: OpportunityTotals(
                key=row["key"],
                no_of_opportunities=int(row["count"]),
                estimated_value=_decimal(row["estimated"]),
                calcd_current_value=_decimal(row["calculated"]),
            )
            for row in self._rows(statement)
        }
        if key is not None and key not in found:
            found[key] = OpportunityTotals(key=key)
        return sorted_totals(found.values())

    def stage_durations(
        self, *, sales_cycle_code: Code | None = None
    ) -> list[StageDurations]:
        """Return the time in each stage from one ``GROUP BY`` histogram of Days Open."""
        table = self._table
        conditions: list[ColumnElement[bool]] = [
            table.c.sales_cycle_code.is_not(None),
            table.c.sales_cycle_stage.is_not(None),
        ]
        if sales_cycle_code is not None:
            conditions.append(table.c.sales_cycle_code == sales_cycle_code)
        grouping = (
            table.c.sales_cycle_code,
            table.c.sales_cycle_stage,
            table.c.active,
            table.c.days_open,
        )
        statement = (
            select(*grouping, func.count().label("count"))
            .where(*conditions)
            .group_by(*grouping)
        )
        histograms: dict[StageKey, Counter[int]] = {}
        active: dict[StageKey, tuple[int, int]] = {}
        for row in self._rows(statement):
            key = (str(row["sales_cycle_code"]), int(row["sales_cycle_stage"]))
            days, count = int(row["days_open"]), int(row["count"])
            if row["active"]:
                held = active.get(key, (0, 0))
                active[key] = (held[0] + count, held[1] + days * count)
            else:
                histograms.setdefault(key, Counter())[days] += count
        return durations_from_histograms(histograms, active)


class SqlCampaignRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.CampaignRepository` on ``rm_campaign``."""

    def add(self, campaign: Campaign) -> None:
        """Store a new campaign; its version becomes 1.

        Raises:
            AlreadyExistsError: The number is taken.
        """
        row = {**campaign_to_row(campaign), "version": 1}
        if not self._insert_new(campaign_table, row):
            raise AlreadyExistsError(_CAMPAIGN_KIND, campaign.no)
        campaign.version = 1
        self._seen(campaign)

    def get(self, no: CampaignNo) -> Campaign:
        """Return a copy of the campaign.

        Raises:
            NotFoundError: No such campaign.
        """
        table = campaign_table
        rows = self._rows(select(table).where(table.c.no == no))
        if not rows:
            raise NotFoundError(_CAMPAIGN_KIND, no)
        return campaign_from_row(rows[0])

    def exists(self, no: CampaignNo) -> bool:
        """Return whether the campaign is stored."""
        table = campaign_table
        return bool(self._rows(select(table.c.no).where(table.c.no == no)))

    def update(self, campaign: Campaign) -> None:
        """Write back a campaign with a version check; its version goes up by 1.

        Raises:
            NotFoundError: The campaign was removed.
            ConcurrencyError: The stored version is not ``campaign.version``.
        """
        self._update_versioned(
            campaign_table,
            campaign.no,
            campaign.version,
            campaign_to_row(campaign),
            _CAMPAIGN_KIND,
            key_column="no",
        )
        campaign.version += 1
        self._seen(campaign)

    def remove(self, no: CampaignNo) -> None:
        """Delete the campaign.

        Raises:
            NotFoundError: No such campaign.
        """
        table = campaign_table
        if self._write(table.delete().where(table.c.no == no)) == 0:
            raise NotFoundError(_CAMPAIGN_KIND, no)

    def find_all(self) -> list[Campaign]:
        """Return every campaign, ordered by number."""
        table = campaign_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        return [campaign_from_row(row) for row in self._rows(statement)]


class SqlCampaignEntryRepository(_SqlNumberedRepository):
    """:class:`~relationship_mgmt.ports.CampaignEntryRepository` on ``rm_campaign_entry``.

    Entry numbers come from the ``campaign_entry`` row of ``rm_entry_counter``.
    """

    _counter = "campaign_entry"
    _table = campaign_entry_table
    _kind = _CAMPAIGN_ENTRY_KIND

    def add(self, entry: CampaignEntry) -> None:
        """Store a new entry.

        Raises:
            AlreadyExistsError: The entry number is taken.
        """
        self._add_row(entry.entry_no, campaign_entry_to_row(entry))

    def get(self, entry_no: int) -> CampaignEntry:
        """Return the entry.

        Raises:
            NotFoundError: No such entry.
        """
        return campaign_entry_from_row(self._get_row(entry_no))

    def update(self, entry: CampaignEntry) -> None:
        """Overwrite the stored entry.

        Raises:
            NotFoundError: No such entry.
        """
        self._update_row(entry.entry_no, campaign_entry_to_row(entry))

    def find(self, *, campaign_no: CampaignNo | None = None) -> list[CampaignEntry]:
        """Return the entries (of the campaign) by entry number."""
        table = self._table
        conditions = [] if campaign_no is None else [table.c.campaign_no == campaign_no]
        return [campaign_entry_from_row(row) for row in self._find_rows(*conditions)]

    def remove(self, entry_no: int) -> None:
        """Delete the entry.

        Raises:
            NotFoundError: No such entry.
        """
        self._remove_row(entry_no)


class SqlCampaignPricingRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.CampaignPricingRepository` on ``rm_campaign_pricing_line``."""

    def put(self, line: PricingLine) -> None:
        """Store the line, replacing the one with its key (``INSERT ... ON CONFLICT``).

        Raises:
            PersistenceError: A value the database cannot store exactly.
        """
        table = campaign_pricing_line_table
        row = pricing_line_to_row(line)
        statement = self._insert(table).values(row)
        self._write(
            statement.on_conflict_do_update(
                index_elements=list(table.primary_key),
                set_={
                    k: v for k, v in row.items() if k not in ("campaign_no", "line_key")
                },
            )
        )

    def remove(self, line: PricingLine) -> None:
        """Delete the campaign's line with ``line``'s key.

        Raises:
            NotFoundError: No such line.
        """
        table = campaign_pricing_line_table
        key = pricing_line_key(line)
        deleted = self._write(
            table.delete().where(
                table.c.campaign_no == line.campaign_no, table.c.line_key == key
            )
        )
        if not deleted:
            raise NotFoundError("campaign pricing line", (line.campaign_no, key))

    def lines_of(self, campaign_no: CampaignNo) -> list[PricingLine]:
        """Return the campaign's lines, ordered by key."""
        table = campaign_pricing_line_table
        statement = (
            select(table)
            .where(table.c.campaign_no == campaign_no)
            .order_by(*self._ordered(table.c.line_key))
        )
        return [pricing_line_from_row(row) for row in self._rows(statement)]

    def remove_of(self, campaign_no: CampaignNo) -> int:
        """Delete every line of the campaign; return how many."""
        table = campaign_pricing_line_table
        return self._write(table.delete().where(table.c.campaign_no == campaign_no))


def _target_group_row(group: CampaignTargetGroup) -> dict[str, object]:
    return {"type": group.type.value, "no": group.no, "campaign_no": group.campaign_no}


class SqlCampaignTargetGroupRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.repositories.CampaignTargetGroupRepository` on ``rm_campaign_target_group``.

    :meth:`targeted_companies` is one ``UNION`` over ``rm_segment_line`` and
    ``rm_interaction_log_entry``.
    """

    def _key(self, group: CampaignTargetGroup) -> ColumnElement[bool]:
        return _key_filter(
            campaign_target_group_table,
            (group.type.value, group.no, group.campaign_no),
        )

    def _select(self, *conditions: ColumnElement[bool]) -> list[CampaignTargetGroup]:
        table = campaign_target_group_table
        statement = (
            select(table).where(*conditions).order_by(*self._ordered_by_key(table))
        )
        return [CampaignTargetGroup(**row) for row in self._rows(statement)]

    def add(self, group: CampaignTargetGroup) -> None:
        """Store a new row.

        Raises:
            AlreadyExistsError: The row is stored.
        """
        if not self._insert_new(campaign_target_group_table, _target_group_row(group)):
            raise AlreadyExistsError(_TARGET_GROUP_KIND, group.key)

    def remove(self, group: CampaignTargetGroup) -> None:
        """Delete the row.

        Raises:
            NotFoundError: No such row.
        """
        table = campaign_target_group_table
        if not self._write(table.delete().where(self._key(group))):
            raise NotFoundError(_TARGET_GROUP_KIND, group.key)

    def exists(self, group: CampaignTargetGroup) -> bool:
        """Return whether the row is stored."""
        table = campaign_target_group_table
        return bool(self._rows(select(table.c.no).where(self._key(group))))

    def exists_for(self, campaign_no: CampaignNo) -> bool:
        """Return whether the campaign has a row (Activated)."""
        table = campaign_target_group_table
        statement = select(table.c.no).where(table.c.campaign_no == campaign_no)
        return bool(self._rows(statement.limit(1)))

    def of_campaign(self, campaign_no: CampaignNo) -> list[CampaignTargetGroup]:
        """Return the campaign's rows by type, then No."""
        return self._select(campaign_target_group_table.c.campaign_no == campaign_no)

    def of_target(self, target_type: TargetType, no: str) -> list[CampaignTargetGroup]:
        """Return the rows of one customer or company contact by campaign."""
        table = campaign_target_group_table
        return self._select(table.c.type == target_type.value, table.c.no == no)

    def remove_of(self, campaign_no: CampaignNo) -> int:
        """Delete every row of the campaign; return how many."""
        table = campaign_target_group_table
        return self._write(table.delete().where(table.c.campaign_no == campaign_no))

    def targeted_companies(
        self, campaign_no: CampaignNo, *, company_no: ContactNo | None = None
    ) -> list[ContactNo]:
        """The companies the campaign's segment lines and interactions target."""
        lines, entries = segment_line_table, interaction_log_entry_table
        selects: list[Select[Any]] = []
        for table, extra in (
            (lines, ()),
            (entries, (not_(entries.c.postponed),)),
        ):
            company = table.c.contact_company_no
            conditions = [
                table.c.campaign_no == campaign_no,
                table.c.campaign_target,
                company.is_not(None),
                company != "",
                *extra,
            ]
            if company_no is not None:
                conditions.append(company == company_no)
            selects.append(select(company.label("company_no")).where(*conditions))
        query = union(*selects).subquery()
        statement = select(query.c.company_no).order_by(
            *self._ordered(query.c.company_no)
        )
        return [ContactNo(row["company_no"]) for row in self._rows(statement)]


_SEGMENT_CHILDREN: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (segment_line_table, ("line_no",)),
    (segment_action_table, ("number",)),
    (segment_history_table, ("action_no", "line_no", "action_taken")),
)
"""The child tables of ``rm_segment`` with the columns they are read back in order of."""


class SqlSegmentRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.SegmentRepository` on ``rm_segment`` and its children.

    A segment is one ``rm_segment`` row, version-checked on update; its lines,
    criteria actions and history are rows of ``rm_segment_line``,
    ``rm_segment_action`` and ``rm_segment_history``, replaced on update and
    deleted with it. A criteria tree is stored as its JSON text.
    """

    def add(self, segment: Segment) -> None:
        """Store a new segment with its lines, actions and history; its version becomes 1.

        Raises:
            AlreadyExistsError: The number is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = segment_to_rows(segment)
        if not self._insert_new(segment_table, {**rows.header, "version": 1}):
            raise AlreadyExistsError(_SEGMENT_KIND, segment.no)
        self._insert_children(rows)
        segment.version = 1
        self._seen(segment)

    def get(self, no: SegmentNo) -> Segment:
        """Return a copy of the segment with its lines, actions and history.

        Raises:
            NotFoundError: No such segment.
        """
        found = self._load(segment_table.c.no == no)
        if not found:
            raise NotFoundError(_SEGMENT_KIND, no)
        return found[0]

    def exists(self, no: SegmentNo) -> bool:
        """Return whether the segment is stored."""
        table = segment_table
        return bool(self._rows(select(table.c.no).where(table.c.no == no)))

    def update(self, segment: Segment) -> None:
        """Write back a segment with a version check; its child rows are replaced.

        Raises:
            NotFoundError: The segment was removed.
            ConcurrencyError: The stored version is not ``segment.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = segment_to_rows(segment)
        self._update_versioned(
            segment_table,
            segment.no,
            segment.version,
            rows.header,
            _SEGMENT_KIND,
            key_column="no",
        )
        self._delete_children(segment.no)
        self._insert_children(rows)
        segment.version += 1
        self._seen(segment)

    def remove(self, no: SegmentNo) -> None:
        """Delete the segment with its lines, actions and history.

        Raises:
            NotFoundError: No such segment.
        """
        self._delete_children(no)
        table = segment_table
        if self._write(table.delete().where(table.c.no == no)) == 0:
            raise NotFoundError(_SEGMENT_KIND, no)

    def find_all(self) -> list[Segment]:
        """Return every segment with its lines, actions and history, by number."""
        return self._load(None)

    def _delete_children(self, no: str) -> None:
        for table, _ in _SEGMENT_CHILDREN:
            self._write(table.delete().where(table.c.segment_no == no))

    def _insert_children(self, rows: SegmentRows) -> None:
        self._insert_all(segment_line_table, rows.lines)
        self._insert_all(segment_action_table, rows.actions)
        self._insert_all(segment_history_table, rows.history)

    def _load(self, condition: ColumnElement[bool] | None) -> list[Segment]:
        table = segment_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        keys = select(table.c.no)
        if condition is not None:
            statement = statement.where(condition)
            keys = keys.where(condition)
        rows = self._rows(statement)
        if not rows:
            return []
        children: list[dict[str, list[dict[str, Any]]]] = []
        for child, order in _SEGMENT_CHILDREN:
            grouped: dict[str, list[dict[str, Any]]] = {}
            statement = (
                select(child)
                .where(child.c.segment_no.in_(keys))
                .order_by(*self._ordered(*(child.c[name] for name in order)))
            )
            for row in self._rows(statement):
                grouped.setdefault(row["segment_no"], []).append(row)
            children.append(grouped)
        lines, actions, history = children
        return [
            segment_from_rows(
                row,
                lines.get(row["no"], []),
                actions.get(row["no"], []),
                history.get(row["no"], []),
            )
            for row in rows
        ]


class SqlLoggedSegmentRepository(_SqlNumberedRepository):
    """:class:`~relationship_mgmt.ports.LoggedSegmentRepository` on ``rm_logged_segment``.

    Entry numbers come from the ``logged_segment`` row of ``rm_entry_counter``.
    """

    _counter = "logged_segment"
    _table = logged_segment_table
    _kind = _LOGGED_SEGMENT_KIND

    def add(self, entry: LoggedSegment) -> None:
        """Store a new logged segment.

        Raises:
            AlreadyExistsError: The entry number is taken.
        """
        self._add_row(entry.entry_no, logged_segment_to_row(entry))

    def get(self, entry_no: int) -> LoggedSegment:
        """Return the logged segment.

        Raises:
            NotFoundError: No such entry.
        """
        return logged_segment_from_row(self._get_row(entry_no))

    def update(self, entry: LoggedSegment) -> None:
        """Overwrite the stored entry.

        Raises:
            NotFoundError: No such entry.
        """
        self._update_row(entry.entry_no, logged_segment_to_row(entry))

    def find(self, *, segment_no: SegmentNo | None = None) -> list[LoggedSegment]:
        """Return the logged segments (of the segment number) by entry number."""
        table = self._table
        conditions = [] if segment_no is None else [table.c.segment_no == segment_no]
        return [logged_segment_from_row(row) for row in self._find_rows(*conditions)]

    def remove(self, entry_no: int) -> None:
        """Delete the logged segment.

        Raises:
            NotFoundError: No such entry.
        """
        self._remove_row(entry_no)


class SqlSavedCriteriaRepository(_SqlRepository):
    """:class:`~relationship_mgmt.ports.SavedCriteriaRepository` on ``rm_saved_criteria``.

    Saved criteria are one ``rm_saved_criteria`` row, version-checked on update;
    their actions are rows of ``rm_saved_criteria_action`` (the columns of
    ``rm_segment_action``), replaced on update and deleted with them.
    """

    def add(self, saved: SavedCriteria) -> None:
        """Store new saved criteria with their actions; the version becomes 1.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = saved_criteria_to_rows(saved)
        if not self._insert_new(saved_criteria_table, {**rows.header, "version": 1}):
            raise AlreadyExistsError(_SAVED_CRITERIA_KIND, saved.code)
        self._insert_all(saved_criteria_action_table, rows.actions)
        saved.version = 1
        self._seen(saved)

    def get(self, code: Code) -> SavedCriteria:
        """Return a copy of the saved criteria with their actions.

        Raises:
            NotFoundError: No such saved criteria.
        """
        found = self._load(saved_criteria_table.c.code == code)
        if not found:
            raise NotFoundError(_SAVED_CRITERIA_KIND, code)
        return found[0]

    def exists(self, code: Code) -> bool:
        """Return whether the saved criteria are stored."""
        table = saved_criteria_table
        return bool(self._rows(select(table.c.code).where(table.c.code == code)))

    def update(self, saved: SavedCriteria) -> None:
        """Write back saved criteria with a version check; their actions are replaced.

        Raises:
            NotFoundError: The saved criteria were removed.
            ConcurrencyError: The stored version is not ``saved.version``.
            PersistenceError: A value the database cannot store exactly.
        """
        rows = saved_criteria_to_rows(saved)
        self._update_versioned(
            saved_criteria_table,
            saved.code,
            saved.version,
            rows.header,
            _SAVED_CRITERIA_KIND,
        )
        self._delete_actions(saved.code)
        self._insert_all(saved_criteria_action_table, rows.actions)
        saved.version += 1
        self._seen(saved)

    def remove(self, code: Code) -> None:
        """Delete the saved criteria with their actions.

        Raises:
            NotFoundError: No such saved criteria.
        """
        self._delete_actions(code)
        table = saved_criteria_table
        if self._write(table.delete().where(table.c.code == code)) == 0:
            raise NotFoundError(_SAVED_CRITERIA_KIND, code)

    def find_all(self) -> list[SavedCriteria]:
        """Return all saved criteria with their actions, ordered by code."""
        return self._load(None)

    def _delete_actions(self, code: str) -> None:
        actions = saved_criteria_action_table
        self._write(actions.delete().where(actions.c.code == code))

    def _load(self, condition: ColumnElement[bool] | None) -> list[SavedCriteria]:
        table = saved_criteria_table
        statement = select(table).order_by(*self._ordered_by_key(table))
        keys = select(table.c.code)
        if condition is not None:
            statement = statement.where(condition)
            keys = keys.where(condition)
        rows = self._rows(statement)
        if not rows:
            return []
        actions = saved_criteria_action_table
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(
            select(actions)
            .where(actions.c.code.in_(keys))
            .order_by(*self._ordered(actions.c.code, actions.c.number))
        ):
            grouped.setdefault(row["code"], []).append(row)
        return [
            saved_criteria_from_rows(row, grouped.get(row["code"], [])) for row in rows
        ]
