"""The SQL schema, defined once as SQLAlchemy ``MetaData``.

Every table name starts with ``rm_`` so the library can share a database with its
host. Aggregates (the setup, number series) carry ``version INTEGER NOT NULL`` for
optimistic concurrency. The code tables are generated from the attrs fields of their
record classes (:data:`~relationship_mgmt.domain.setup.CODE_TABLE_KINDS`), keyed by
each class's ``key_fields``. A profile questionnaire is three tables: its header,
its lines (questions and answers in one table, as BC's 5088, every field a column)
and the rating points of its rating questions. A contact is a row of ``rm_contact``
(every scalar field a column, and the derived search e-mail) with one child table
per collection; its profile answers are rows of ``rm_contact_profile_answer``.
Salespeople, teams (with ``rm_team_salesperson``), interaction templates (with
their language rows) and the Interaction Template Setup (a header and one row per
document kind) follow the same pattern; interaction log entries are rows of
``rm_interaction_log_entry`` (every field a column) numbered through
``rm_entry_counter``. A task is a row of ``rm_task`` (every field a column; the
duration in milliseconds) with its attendees in ``rm_task_attendee``; an activity
is a row of ``rm_activity`` with its steps in ``rm_activity_step``. A sales cycle
is a row of ``rm_sales_cycle`` with its stages in ``rm_sales_cycle_stage``;
opportunities and campaigns are rows of ``rm_opportunity`` and ``rm_campaign``, and
their entries rows of ``rm_opportunity_entry`` and ``rm_campaign_entry`` numbered
through ``rm_entry_counter``. A segment is a row of ``rm_segment`` with its lines in
``rm_segment_line``, its criteria actions in ``rm_segment_action`` (the criteria tree
as JSON text) and its history in ``rm_segment_history`` (each row with the whole line);
logged segments are rows of ``rm_logged_segment`` numbered through ``rm_entry_counter``.
Saved criteria are rows of ``rm_saved_criteria`` with their actions in
``rm_saved_criteria_action`` (the columns of ``rm_segment_action``). A campaign's
price and line-discount lines are rows of ``rm_campaign_pricing_line`` and its
target group rows of ``rm_campaign_target_group``.
The migrations in
``migrations/versions`` create exactly this schema; a test compares the two.

>>> sorted(code_tables)[:2]
['business_relation', 'campaign_status']
>>> [c.name for c in code_tables["salutation_formula"].primary_key]
['salutation_code', 'language_code', 'salutation_type']
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
)
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from relationship_mgmt.domain.codes import CODE10, CODE20, Code
from relationship_mgmt.domain.setup import (
    CODE_TABLE_KINDS,
    CodeRecord,
    Salutation,
    SalutationFormula,
)
from relationship_mgmt.ports.repositories import DUPLICATE_KEY_LENGTH

__all__ = [
    "SALUTATION_NAME_COLUMNS",
    "ExactDecimal",
    "Milliseconds",
    "activity_step_table",
    "activity_table",
    "campaign_entry_table",
    "campaign_pricing_line_table",
    "campaign_table",
    "campaign_target_group_table",
    "code_tables",
    "contact_alternative_address_period_table",
    "contact_alternative_address_table",
    "contact_alias_table",
    "contact_code_tables",
    "contact_merge_table",
    "contact_profile_answer_table",
    "contact_separate_pair_table",
    "duplicate_key_table",
    "contact_table",
    "contact_web_source_table",
    "entry_counter_table",
    "interaction_log_entry_table",
    "interaction_template_language_table",
    "interaction_template_setup_table",
    "interaction_template_setup_template_table",
    "interaction_template_table",
    "logged_segment_table",
    "metadata",
    "number_series_table",
    "opportunity_entry_table",
    "opportunity_table",
    "profile_line_table",
    "profile_questionnaire_table",
    "profile_rating_point_table",
    "sales_cycle_stage_table",
    "sales_cycle_table",
    "salesperson_table",
    "saved_criteria_action_table",
    "saved_criteria_table",
    "segment_action_table",
    "segment_history_table",
    "segment_line_table",
    "segment_table",
    "setup_table",
    "task_attendee_table",
    "task_table",
    "team_salesperson_table",
    "team_table",
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
_CLASS_FIELD_LENGTH = 50  # "Purchase Frequency (Invoices/Year)" has 34 characters
_FORMULA_LENGTH = 64
_TEXT250 = 250
_CODE30 = 30  # Word Template Code
_CODE50 = 50  # User ID
_FINGERPRINT_LENGTH = 64  # a SHA-256 in hex
# SQLite keeps a NUMERIC value as a 64-bit integer or a double: beyond these, a
# Decimal would come back changed.
_SQLITE_INT_RANGE = range(-(2**63), 2**63)
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
    Column("own_email_domains", String(250), nullable=False, server_default=""),
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


class _SqliteNumeric(Numeric[Decimal]):
    """``NUMERIC`` without SQLAlchemy's float conversions (ExactDecimal does its own)."""

    def bind_processor(self, dialect: Dialect) -> None:  # noqa: ARG002
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:  # noqa: ARG002
        return None


class ExactDecimal(TypeDecorator[Decimal]):
    """``NUMERIC`` that gives back exactly the :class:`~decimal.Decimal` it was given.

    PostgreSQL's ``NUMERIC`` is exact. SQLite stores a number as a 64-bit integer or
    a double, so on SQLite an integral value is bound as an ``int`` and any other as
    a ``float`` whose shortest text is the same number (at most 15 to 17
    significant digits); a value that would not survive is refused (a
    :class:`~relationship_mgmt.errors.PersistenceError`), never rounded silently.
    Values come back as ``Decimal(repr(float))``, the shortest text of the double.

    >>> from sqlalchemy.dialects import sqlite
    >>> ExactDecimal().process_bind_param(Decimal("12.50"), sqlite.dialect())
    12.5
    >>> ExactDecimal().process_result_value(12.5, sqlite.dialect())
    Decimal('12.5')
    """

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Return plain ``NUMERIC``; on SQLite without SQLAlchemy's float conversions."""
        if dialect.name == "sqlite":
            return _SqliteNumeric()
        return dialect.type_descriptor(Numeric())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:  # noqa: ANN401
        """Return ``value`` as the driver should get it (see the class docstring).

        Raises:
            ValueError: On SQLite, a value a double cannot hold exactly.
        """
        if value is None or dialect.name != "sqlite":
            return value
        number = Decimal(value)
        if number == number.to_integral_value() and int(number) in _SQLITE_INT_RANGE:
            return int(number)
        stored = float(number)
        if Decimal(repr(stored)) != number:
            raise ValueError(
                f"SQLite cannot store {number} exactly (at most 15 significant "
                "digits, or an integer of 64 bits); use PostgreSQL for such values"
            )
        return stored

    def process_result_value(
        self,
        value: Any,  # noqa: ANN401
        dialect: Dialect,  # noqa: ARG002
    ) -> Decimal | None:
        """Return the stored number as a ``Decimal``."""
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


profile_questionnaire_table = Table(
    "rm_profile_questionnaire",
    metadata,
    Column("code", String(CODE20), primary_key=True),
    Column("description", String(_TEXT250), nullable=False),
    Column("contact_type", String(_ENUM_LENGTH), nullable=False),
    _code("business_relation_code"),
    Column("priority", String(_ENUM_LENGTH), nullable=False),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.profiles.ProfileQuestionnaire` header."""

PROFILE_QUESTION_COLUMNS = (
    "multiple_answers",
    "auto_contact_classification",
    "customer_class_field",
    "vendor_class_field",
    "contact_class_field",
    "starting_date_formula",
    "ending_date_formula",
    "classification_method",
    "sorting_method",
    "no_of_decimals",
    "min_pct_questions_answered",
)
"""The columns of ``rm_profile_line`` that only a question has (NULL on an answer)."""

PROFILE_ANSWER_COLUMNS = ("from_value", "to_value", "priority")
"""The columns of ``rm_profile_line`` that only an answer has (NULL on a question)."""

_NOT_NULL_FORMULAS = {"starting_date_formula", "ending_date_formula"}


def _all_set(line_type: str, columns: tuple[str, ...]) -> str:
    filled = " AND ".join(
        f"{c} IS NOT NULL" for c in columns if c not in _NOT_NULL_FORMULAS
    )
    return f"type <> '{line_type}' OR ({filled})"


profile_line_table = Table(
    "rm_profile_line",
    metadata,
    Column("questionnaire_code", String(CODE20), nullable=False),
    Column("line_no", Integer, nullable=False, autoincrement=False),
    Column("type", String(_ENUM_LENGTH), nullable=False),
    Column("description", String(_TEXT250), nullable=False),
    # question fields; BC's three class-field options are three columns ('' = blank)
    Column("multiple_answers", Boolean, nullable=True),
    Column("auto_contact_classification", Boolean, nullable=True),
    Column("customer_class_field", String(_CLASS_FIELD_LENGTH), nullable=True),
    Column("vendor_class_field", String(_CLASS_FIELD_LENGTH), nullable=True),
    Column("contact_class_field", String(_CLASS_FIELD_LENGTH), nullable=True),
    Column("starting_date_formula", String(_FORMULA_LENGTH), nullable=True),
    Column("ending_date_formula", String(_FORMULA_LENGTH), nullable=True),
    Column("classification_method", String(_ENUM_LENGTH), nullable=True),
    Column("sorting_method", String(_ENUM_LENGTH), nullable=True),
    Column("no_of_decimals", Integer, nullable=True),
    Column("min_pct_questions_answered", ExactDecimal, nullable=True),
    # answer fields
    Column("from_value", ExactDecimal, nullable=True),
    Column("to_value", ExactDecimal, nullable=True),
    Column("priority", String(_ENUM_LENGTH), nullable=True),
    PrimaryKeyConstraint("questionnaire_code", "line_no"),
    ForeignKeyConstraint(
        ["questionnaire_code"],
        [f"{profile_questionnaire_table.name}.code"],
        ondelete="CASCADE",
    ),
    CheckConstraint("type IN ('Question', 'Answer')", name="type"),
    CheckConstraint(_all_set("Question", PROFILE_QUESTION_COLUMNS), name="question"),
    CheckConstraint(_all_set("Answer", PROFILE_ANSWER_COLUMNS), name="answer"),
    CheckConstraint(
        "customer_class_field = '' OR "
        "(vendor_class_field = '' AND contact_class_field = '')",
        name="one_customer_class_field",
    ),
    CheckConstraint(
        "vendor_class_field = '' OR contact_class_field = ''",
        name="one_vendor_class_field",
    ),
)
"""One row per question or answer line (``type`` is ``Question`` or ``Answer``)."""

profile_rating_point_table = Table(
    "rm_profile_rating_point",
    metadata,
    Column("questionnaire_code", String(CODE20), nullable=False),
    Column("question_line_no", Integer, nullable=False, autoincrement=False),
    Column("answer_questionnaire_code", String(CODE20), nullable=False),
    Column("answer_line_no", Integer, nullable=False, autoincrement=False),
    Column("points", ExactDecimal, nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint(
        "questionnaire_code",
        "question_line_no",
        "answer_questionnaire_code",
        "answer_line_no",
    ),
    ForeignKeyConstraint(
        ["questionnaire_code", "question_line_no"],
        [
            f"{profile_line_table.name}.questionnaire_code",
            f"{profile_line_table.name}.line_no",
        ],
        ondelete="CASCADE",
    ),
)
"""One row per :class:`~relationship_mgmt.domain.profiles.RatingPoint` of a rating question.

``position`` keeps the question's order of its points. The rated answer may be in
another questionnaire, so it has no foreign key.
"""

contact_table = Table(
    "rm_contact",
    metadata,
    Column("no", String(CODE20), primary_key=True),
    Column("type", String(_ENUM_LENGTH), nullable=False),
    Column("name", String(100), nullable=False, index=True),
    Column("name_2", String(50), nullable=False),
    Column("search_name", String(100), nullable=False, index=True),
    Column("first_name", String(30), nullable=False),
    Column("middle_name", String(30), nullable=False),
    Column("surname", String(30), nullable=False),
    Column("company_no", String(CODE20), nullable=True, index=True),
    Column("company_name", String(100), nullable=False),
    Column("address", String(100), nullable=False),
    Column("address_2", String(50), nullable=False),
    Column("post_code", String(CODE20), nullable=False, index=True),
    Column("city", String(30), nullable=False, index=True),
    Column("county", String(30), nullable=False),
    _code("country_code"),
    Column("phone_no", String(30), nullable=False, index=True),
    Column("mobile_phone_no", String(30), nullable=False),
    Column("fax_no", String(30), nullable=False),
    Column("telex_no", String(20), nullable=False),
    Column("telex_answer_back", String(20), nullable=False),
    Column("extension_no", String(30), nullable=False),
    Column("pager", String(30), nullable=False),
    Column("email", String(80), nullable=False),
    Column("search_email", String(80), nullable=False, index=True),
    Column("email_2", String(80), nullable=False),
    Column("home_page", String(255), nullable=False),
    _code("salesperson_code", CODE20),
    _code("territory_code"),
    _code("currency_code"),
    _code("language_code"),
    Column("format_region", String(80), nullable=False),
    Column("correspondence_type", String(_ENUM_LENGTH), nullable=False),
    _code("salutation_code"),
    Column("job_title", String(30), nullable=False),
    Column("initials", String(30), nullable=False),
    _code("organizational_level_code"),
    Column("vat_registration_no", String(20), nullable=False, index=True),
    Column("registration_number", String(20), nullable=False),
    _flag("exclude_from_segment"),
    Column("external_id", String(250), nullable=False),
    _flag("privacy_blocked"),
    _flag("minor"),
    _flag("parental_consent_received"),
    Column("last_modified", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    # A company's company_no is its own no.; a person's names a company. RESTRICT:
    # a company with persons cannot be deleted (reliability.md B.2 item 1).
    ForeignKeyConstraint(["company_no"], ["rm_contact.no"], ondelete="RESTRICT"),
    CheckConstraint("type IN ('Company', 'Person')", name="type"),
)
"""One row per :class:`~relationship_mgmt.domain.contacts.Contact` (BC's table 5050).

``search_email`` is the derived upper-cased e-mail, stored for searches and criteria.
"""


def _contact_child(name: str, *columns: Column[Any], key: tuple[str, ...]) -> Table:
    return Table(
        name,
        metadata,
        Column("contact_no", String(CODE20), nullable=False),
        *columns,
        PrimaryKeyConstraint("contact_no", *key),
        ForeignKeyConstraint(
            ["contact_no"], [f"{contact_table.name}.no"], ondelete="CASCADE"
        ),
    )


def _contact_code_table(table_name: str, *extra: Column[Any]) -> Table:
    table = _contact_child(
        table_name,
        Column("code", String(CODE10), nullable=False),
        *extra,
        key=("code",),
    )
    # "in mailing group X" and the like look rows up by code.
    Index(f"ix_{table_name}_code", table.c.code)
    return table


contact_code_tables: Mapping[str, Table] = {
    "mailing_groups": _contact_code_table("rm_contact_mailing_group"),
    "job_responsibilities": _contact_code_table("rm_contact_job_responsibility"),
    "industry_groups": _contact_code_table("rm_contact_industry_group"),
    "business_relations": _contact_code_table(
        "rm_contact_business_relation",
        Column("link_to_table", String(20), nullable=False, server_default=""),
        Column("no", String(CODE20), nullable=False, server_default=""),
    ),
}
"""One table of (``contact_no``, ``code``) per code set of a contact, by field name.

``rm_contact_business_relation`` also has BC's Link to Table and No. (§2.8); a
partial unique index on (``link_to_table``, ``no``) where ``no <> ''`` keeps a
customer, vendor, bank account or employee linked to one contact at most.
"""

_business_relation_table = contact_code_tables["business_relations"]
Index(
    "ux_rm_contact_business_relation_link",
    _business_relation_table.c.link_to_table,
    _business_relation_table.c.no,
    unique=True,
    sqlite_where=_business_relation_table.c.no != "",
    postgresql_where=_business_relation_table.c.no != "",
)

contact_web_source_table = _contact_child(
    "rm_contact_web_source",
    Column("code", String(CODE10), nullable=False),
    Column("search_word", String(30), nullable=False),
    key=("code",),
)
"""One row per entry of :attr:`Contact.web_sources` (code and search word)."""

contact_alternative_address_table = _contact_child(
    "rm_contact_alternative_address",
    Column("code", String(CODE10), nullable=False),
    Column("company_name", String(100), nullable=False),
    Column("company_name_2", String(50), nullable=False),
    Column("address", String(100), nullable=False),
    Column("address_2", String(50), nullable=False),
    Column("post_code", String(CODE20), nullable=False),
    Column("city", String(30), nullable=False),
    Column("county", String(30), nullable=False),
    _code("country_code"),
    Column("phone_no", String(30), nullable=False),
    Column("telex_no", String(20), nullable=False),
    Column("extension_no", String(30), nullable=False),
    Column("mobile_phone_no", String(30), nullable=False),
    Column("pager", String(30), nullable=False),
    Column("email", String(80), nullable=False),
    Column("search_email", String(80), nullable=False),
    Column("home_page", String(255), nullable=False),
    Column("fax_no", String(30), nullable=False),
    Column("telex_answer_back", String(20), nullable=False),
    key=("code",),
)
"""One row per :class:`~relationship_mgmt.domain.contacts.AlternativeAddress` (table 5051)."""

contact_alternative_address_period_table = Table(
    "rm_contact_alternative_address_period",
    metadata,
    Column("contact_no", String(CODE20), nullable=False),
    Column("starting_date", Date, nullable=False),
    Column("address_code", String(CODE10), nullable=False),
    Column("ending_date", Date, nullable=True),
    PrimaryKeyConstraint("contact_no", "starting_date"),
    ForeignKeyConstraint(
        ["contact_no", "address_code"],
        [
            f"{contact_alternative_address_table.name}.contact_no",
            f"{contact_alternative_address_table.name}.code",
        ],
        ondelete="CASCADE",
    ),
    CheckConstraint(
        "ending_date IS NULL OR ending_date >= starting_date", name="ending_date"
    ),
)
"""One row per :class:`~relationship_mgmt.domain.contacts.AlternativeAddressPeriod` (5052).

It refers to its alternative address, so removing the address removes its periods.
"""

contact_profile_answer_table = Table(
    "rm_contact_profile_answer",
    metadata,
    Column("contact_no", String(CODE20), nullable=False),
    Column("questionnaire_code", String(CODE20), nullable=False),
    Column("line_no", Integer, nullable=False, autoincrement=False),
    Column("last_date_updated", Date, nullable=False),
    Column("contact_company_no", String(CODE20), nullable=True),
    Column("questionnaire_priority", String(_ENUM_LENGTH), nullable=False),
    Column("answer_priority", String(_ENUM_LENGTH), nullable=False),
    Column("questions_answered_pct", ExactDecimal, nullable=False),
    Column("value_text", String(_TEXT250), nullable=False),
    PrimaryKeyConstraint("contact_no", "questionnaire_code", "line_no"),
    ForeignKeyConstraint(
        ["contact_no"], [f"{contact_table.name}.no"], ondelete="RESTRICT"
    ),
    ForeignKeyConstraint(
        ["questionnaire_code", "line_no"],
        [
            f"{profile_line_table.name}.questionnaire_code",
            f"{profile_line_table.name}.line_no",
        ],
        ondelete="RESTRICT",
    ),
    Index(
        "ix_rm_contact_profile_answer_questionnaire_code",
        "questionnaire_code",
        "line_no",
    ),
)
"""One row per :class:`~relationship_mgmt.domain.profiles.ContactProfileAnswer` (5089).

Both references RESTRICT: a contact's answers are deleted before the contact (BC
§2.7), and an answered questionnaire line cannot be deleted.
"""

contact_merge_table = Table(
    "rm_contact_merge",
    metadata,
    Column("merged_no", String(CODE20), primary_key=True),
    Column("survivor_no", String(CODE20), nullable=False, index=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("record", Text, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.merging.MergeRecord`, keyed by the merged no.

The record itself is the library's JSON (:func:`relationship_mgmt.serialization.dumps`):
no query looks inside it. No foreign keys: the merged contact is gone, and the
survivor may be merged later itself.
"""

contact_alias_table = Table(
    "rm_contact_alias",
    metadata,
    Column("merged_no", String(CODE20), primary_key=True),
    Column("survivor_no", String(CODE20), nullable=False, index=True),
)
"""Merged-away contact numbers and the contact each now stands for (one hop)."""

contact_separate_pair_table = Table(
    "rm_contact_separate_pair",
    metadata,
    Column("contact_no", String(CODE20), primary_key=True),
    Column("other_contact_no", String(CODE20), primary_key=True),
)
"""BC's *Separate Contacts* pairs (§2.14), stored as (smaller, larger) number."""

duplicate_key_table = Table(
    "rm_duplicate_key",
    metadata,
    Column("method", String(10), primary_key=True),
    Column("key", String(DUPLICATE_KEY_LENGTH), primary_key=True),
    Column("contact_no", String(CODE20), primary_key=True),
    Column("key_count", Integer, nullable=False),
    Index("ix_rm_duplicate_key_contact", "method", "contact_no"),
)
"""The duplicate index (§2.14): a row per contact, method and key.

``bc`` rows are BC's *Cont. Duplicate Search String* (table 5086), ``default`` rows
the blocking keys. ``key_count`` repeats on each row how many keys the contact
holds under the method, so a look-up of holders needs no second query. The primary
key serves the look-up by key; the index serves rewriting one contact's keys. No
foreign key: the rows are derived data the services keep.
"""

salesperson_table = Table(
    "rm_salesperson",
    metadata,
    Column("code", String(CODE20), primary_key=True),
    Column("name", String(50), nullable=False),
    Column("job_title", String(30), nullable=False),
    Column("commission_pct", ExactDecimal, nullable=False),
    Column("email", String(80), nullable=False),
    Column("email_2", String(80), nullable=False),
    Column("phone_no", String(30), nullable=False),
    _flag("privacy_blocked"),
    _flag("blocked"),
    _code("global_dimension_1_code", CODE20),
    _code("global_dimension_2_code", CODE20),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.salespeople.Salesperson` (BC's table 13)."""

team_table = Table(
    "rm_team",
    metadata,
    Column("code", String(CODE10), primary_key=True),
    Column("name", String(50), nullable=False),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.salespeople.Team` (table 5083)."""

team_salesperson_table = Table(
    "rm_team_salesperson",
    metadata,
    Column("team_code", String(CODE10), nullable=False),
    Column("salesperson_code", String(CODE20), nullable=False, index=True),
    PrimaryKeyConstraint("team_code", "salesperson_code"),
    ForeignKeyConstraint(
        ["team_code"], [f"{team_table.name}.code"], ondelete="CASCADE"
    ),
)
"""One row per member of a team (*Team Salesperson*, table 5084).

No foreign key to ``rm_salesperson``: the service checks that a member exists and
takes a deleted salesperson off its teams (§8), as the in-memory adapter expects.
"""

interaction_template_table = Table(
    "rm_interaction_template",
    metadata,
    Column("code", String(CODE10), primary_key=True),
    Column("interaction_group_code", String(CODE10), nullable=False),
    Column("description", String(100), nullable=False),
    Column("unit_cost_lcy", ExactDecimal, nullable=False),
    Column("unit_duration_min", ExactDecimal, nullable=False),
    Column("information_flow", String(_ENUM_LENGTH), nullable=False),
    Column("initiated_by", String(_ENUM_LENGTH), nullable=False),
    _code("campaign_no", CODE20),
    _flag("campaign_target"),
    _flag("campaign_response"),
    Column("correspondence_type", String(_ENUM_LENGTH), nullable=False),
    _code("language_code_default"),
    Column("wizard_action", String(_ENUM_LENGTH), nullable=False),
    _flag("ignore_contact_corres_type"),
    _code("word_template_code", _CODE30),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.interactions.InteractionTemplate` (5064).

No foreign key to ``rm_interaction_group``: BC has none (§3.1).
"""

interaction_template_language_table = Table(
    "rm_interaction_template_language",
    metadata,
    Column("template_code", String(CODE10), nullable=False),
    Column("language_code", String(CODE10), nullable=False),  # '' = no language
    Column("description", String(100), nullable=False),
    Column("attachment_no", Integer, nullable=True),
    _code("word_template_code", _CODE30),
    _code("custom_layout_code", CODE20),
    Column("report_layout_name", String(_TEXT250), nullable=False),
    PrimaryKeyConstraint("template_code", "language_code"),
    ForeignKeyConstraint(
        ["template_code"],
        [f"{interaction_template_table.name}.code"],
        ondelete="CASCADE",
    ),
)
"""One row per :class:`~relationship_mgmt.domain.interactions.InteractionTemplateLanguage` (5103)."""

interaction_template_setup_table = Table(
    "rm_interaction_template_setup",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("id = 1", name="singleton"),
)
"""The one Interaction Template Setup (table 5122) header row (id 1), with its version."""

interaction_template_setup_template_table = Table(
    "rm_interaction_template_setup_template",
    metadata,
    Column("kind", String(_ENUM_LENGTH), primary_key=True),
    Column("template_code", String(CODE10), nullable=False),
)
"""The setup's template per :class:`~relationship_mgmt.domain.interactions.DocumentKind`.

A kind without a template has no row.
"""

interaction_log_entry_table = Table(
    "rm_interaction_log_entry",
    metadata,
    Column("entry_no", BigInteger, primary_key=True, autoincrement=False),
    _code("contact_no", CODE20),
    _code("contact_company_no", CODE20),
    Column("date", Date, nullable=True),
    Column("time_of_interaction", Time, nullable=True),
    Column("description", String(100), nullable=False),
    Column("information_flow", String(_ENUM_LENGTH), nullable=False),
    Column("initiated_by", String(_ENUM_LENGTH), nullable=False),
    Column("attachment_no", Integer, nullable=True),
    Column("cost_lcy", ExactDecimal, nullable=False),
    Column("duration_min", ExactDecimal, nullable=False),
    Column("user_id", String(_CODE50), nullable=False),
    _code("interaction_group_code"),
    _code("interaction_template_code"),
    _code("campaign_no", CODE20),
    Column("campaign_entry_no", BigInteger, nullable=True),
    _flag("campaign_response"),
    _flag("campaign_target"),
    _code("segment_no", CODE20),
    Column("evaluation", String(_ENUM_LENGTH), nullable=False),
    _flag("attempt_failed"),
    _code("task_no", CODE20),
    _code("salesperson_code", CODE20),
    Column("delivery_status", String(_ENUM_LENGTH), nullable=False),
    _flag("canceled"),
    Column("correspondence_type", String(_ENUM_LENGTH), nullable=False),
    _code("contact_alt_address_code"),
    Column("logged_segment_entry_no", BigInteger, nullable=True),
    Column("document_type", String(_ENUM_LENGTH), nullable=False),
    _code("document_no", CODE20),
    Column("version_no", Integer, nullable=False),
    Column("doc_no_occurrence", Integer, nullable=False),
    Column("contact_via", String(80), nullable=False),
    _flag("send_word_docs_as_attmt"),
    _code("interaction_language_code"),
    _flag("email_logged"),
    Column("subject", String(100), nullable=False),
    _code("opportunity_no", CODE20),
    _flag("postponed"),
    _code("word_template_code", _CODE30),
    _flag("merged"),
    Column("modified_word_template", Integer, nullable=True),
    Column("email_message_id", String(_TEXT250), nullable=False),
    Column("idempotency_key", String(_TEXT250), nullable=True),
    Column("payload_fingerprint", String(_FINGERPRINT_LENGTH), nullable=True),
    Column("version", Integer, nullable=False),
    CheckConstraint("postponed OR date IS NOT NULL", name="date"),
    CheckConstraint(
        "(idempotency_key IS NULL) = (payload_fingerprint IS NULL)",
        name="idempotency",
    ),
    Index(
        "ix_rm_interaction_log_entry_contact",
        "contact_company_no",
        "contact_no",
        "date",
    ),
    Index("ix_rm_interaction_log_entry_template", "interaction_template_code"),
    Index("ix_rm_interaction_log_entry_group", "interaction_group_code"),
    Index("ix_rm_interaction_log_entry_salesperson", "salesperson_code"),
    Index("ix_rm_interaction_log_entry_campaign", "campaign_no"),
)
"""One row per :class:`~relationship_mgmt.domain.interactions.InteractionLogEntry` (5065).

Every field is a column. The indexes serve the FlowField filters: a contact's
figures (Contact Company No., Contact No., Date), a template's, a group's, a
salesperson's and a campaign's. A partial unique index keeps each idempotency key
on one entry at most.
"""

_log = interaction_log_entry_table
Index(
    "ux_rm_interaction_log_entry_idempotency_key",
    _log.c.idempotency_key,
    unique=True,
    sqlite_where=_log.c.idempotency_key.is_not(None),
    postgresql_where=_log.c.idempotency_key.is_not(None),
)

entry_counter_table = Table(
    "rm_entry_counter",
    metadata,
    Column("name", String(_ENUM_LENGTH), primary_key=True),
    Column("last_no", BigInteger, nullable=False),
)
"""The last entry number handed out or stored, per numbered log (by ``name``).

A row is created on first use from the log's highest stored number; advancing it
locks it until the unit of work ends, so concurrent writers take turns.
"""


_MS_PER_DAY = 86_400_000


class Milliseconds(TypeDecorator[timedelta]):
    """``BIGINT`` holding a :class:`~datetime.timedelta` as whole milliseconds.

    BC's *Duration* is a number of milliseconds (§7.1). A duration with a finer
    part cannot be stored as one and is refused (a
    :class:`~relationship_mgmt.errors.PersistenceError`), never rounded silently.

    >>> from sqlalchemy.dialects import sqlite
    >>> Milliseconds().process_bind_param(timedelta(minutes=90), sqlite.dialect())
    5400000
    >>> Milliseconds().process_result_value(5400000, sqlite.dialect())
    datetime.timedelta(seconds=5400)
    >>> Milliseconds().process_bind_param(None, sqlite.dialect()) is None
    True
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(
        self,
        value: timedelta | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> int | None:
        """Return the duration in milliseconds.

        Raises:
            ValueError: A duration with a part finer than a millisecond.
        """
        if value is None:
            return None
        milliseconds, rest = divmod(value.microseconds, 1000)
        if rest:
            raise ValueError(
                f"cannot store the duration {value} exactly: BC's Duration holds "
                "whole milliseconds"
            )
        return (value.days * 86_400 + value.seconds) * 1000 + milliseconds

    def process_result_value(
        self,
        value: int | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> timedelta | None:
        """Return the stored milliseconds as a duration."""
        return None if value is None else timedelta(milliseconds=value)


task_table = Table(
    "rm_task",
    metadata,
    Column("no", String(CODE20), primary_key=True),
    _code("team_code"),
    _code("salesperson_code", CODE20),
    _code("campaign_no", CODE20),
    _code("contact_no", CODE20),
    _code("contact_company_no", CODE20),
    _code("opportunity_no", CODE20),
    Column("opportunity_entry_no", BigInteger, nullable=True),
    _code("segment_no", CODE20),
    Column("type", String(_ENUM_LENGTH), nullable=False),
    Column("date", Date, nullable=False),
    Column("start_time", Time, nullable=False),
    Column("duration", Milliseconds, nullable=False),
    _flag("all_day_event"),
    Column("status", String(_ENUM_LENGTH), nullable=False),
    Column("priority", String(_ENUM_LENGTH), nullable=False),
    Column("description", String(100), nullable=False),
    Column("location", String(100), nullable=False),
    _flag("closed"),
    Column("date_closed", Date, nullable=True),
    _flag("canceled"),
    _code("completed_by", CODE20),
    _flag("recurring"),
    Column("recurring_date_interval", String(_FORMULA_LENGTH), nullable=True),
    Column("calc_due_date_from", String(_ENUM_LENGTH), nullable=False),
    Column("system_task_type", String(_ENUM_LENGTH), nullable=False),
    _code("organizer_task_no", CODE20),
    _code("interaction_template_code"),
    _code("language_code"),
    Column("attachment_no", Integer, nullable=True),
    Column("subject", String(100), nullable=False),
    Column("unit_cost_lcy", ExactDecimal, nullable=False),
    Column("unit_duration_min", ExactDecimal, nullable=False),
    _code("successor_no", CODE20),
    Column("version", Integer, nullable=False),
    CheckConstraint(
        "salesperson_code IS NOT NULL OR team_code IS NOT NULL", name="assigned"
    ),
    CheckConstraint(
        f"duration BETWEEN 60000 AND {3650 * _MS_PER_DAY}", name="duration"
    ),
    CheckConstraint("closed OR NOT canceled", name="canceled"),
    Index("ix_rm_task_contact", "contact_company_no", "contact_no", "date"),
    Index("ix_rm_task_salesperson", "salesperson_code", "date"),
    Index("ix_rm_task_team", "team_code", "date"),
    Index("ix_rm_task_organizer", "organizer_task_no"),
    Index("ix_rm_task_opportunity", "opportunity_no"),
    Index("ix_rm_task_campaign", "campaign_no"),
)
"""One row per :class:`~relationship_mgmt.domain.tasks.Task` (BC's table 5080, §7.1).

Every field is a column: Start Time a ``TIME``, Duration whole milliseconds
(:class:`Milliseconds`), Recurring Date Interval the formula's text; the ending date
and time are derived, not stored. The indexes serve the Next Task Date FlowFields
(a contact's, a salesperson's, a team's ``MIN(date)``, §2.2, §8), the sub-tasks of
an organizer task and the tasks of an opportunity or a campaign. No foreign keys:
sub-tasks and successors refer to tasks the service keeps.
"""

task_attendee_table = Table(
    "rm_task_attendee",
    metadata,
    Column("task_no", String(CODE20), nullable=False),
    Column("line_no", Integer, nullable=False, autoincrement=False),
    Column("attendance_type", String(_ENUM_LENGTH), nullable=False),
    Column("attendee_type", String(_ENUM_LENGTH), nullable=False),
    Column("attendee_no", String(CODE20), nullable=False),
    Column("attendee_name", String(100), nullable=False),
    _flag("send_invitation"),
    Column("invitation_response", String(_ENUM_LENGTH), nullable=False),
    _flag("invitation_sent"),
    PrimaryKeyConstraint("task_no", "line_no"),
    ForeignKeyConstraint(["task_no"], [f"{task_table.name}.no"], ondelete="CASCADE"),
)
"""One row per :class:`~relationship_mgmt.domain.tasks.Attendee` of a task (table 5199)."""

activity_table = Table(
    "rm_activity",
    metadata,
    Column("code", String(CODE10), primary_key=True),
    Column("description", String(100), nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.tasks.Activity` (§7.6)."""

activity_step_table = Table(
    "rm_activity_step",
    metadata,
    Column("activity_code", String(CODE10), nullable=False),
    Column("step_no", Integer, nullable=False, autoincrement=False),
    Column("type", String(_ENUM_LENGTH), nullable=False),
    Column("description", String(100), nullable=False),
    Column("priority", String(_ENUM_LENGTH), nullable=False),
    Column("date_formula", String(_FORMULA_LENGTH), nullable=False),
    PrimaryKeyConstraint("activity_code", "step_no"),
    ForeignKeyConstraint(
        ["activity_code"], [f"{activity_table.name}.code"], ondelete="CASCADE"
    ),
)
"""One row per :class:`~relationship_mgmt.domain.tasks.ActivityStep`; the formula as text."""


sales_cycle_table = Table(
    "rm_sales_cycle",
    metadata,
    Column("code", String(CODE10), primary_key=True),
    Column("description", String(100), nullable=False),
    Column("probability_calculation", String(_ENUM_LENGTH), nullable=False),
    _flag("blocked"),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.opportunities.SalesCycle` (table 5090)."""

sales_cycle_stage_table = Table(
    "rm_sales_cycle_stage",
    metadata,
    Column("sales_cycle_code", String(CODE10), nullable=False),
    Column("stage", Integer, nullable=False, autoincrement=False),
    Column("description", String(100), nullable=False),
    Column("completed_pct", ExactDecimal, nullable=False),
    Column("chances_of_success_pct", ExactDecimal, nullable=False),
    _code("activity_code"),
    _flag("quote_required"),
    _flag("allow_skip"),
    Column("date_formula", String(_FORMULA_LENGTH), nullable=False),
    PrimaryKeyConstraint("sales_cycle_code", "stage"),
    ForeignKeyConstraint(
        ["sales_cycle_code"], [f"{sales_cycle_table.name}.code"], ondelete="CASCADE"
    ),
)
"""One row per :class:`~relationship_mgmt.domain.opportunities.SalesCycleStage` (5091)."""

opportunity_table = Table(
    "rm_opportunity",
    metadata,
    Column("no", String(CODE20), primary_key=True),
    Column("description", String(100), nullable=False),
    _code("salesperson_code", CODE20),
    _code("campaign_no", CODE20),
    _code("contact_no", CODE20),
    _code("contact_company_no", CODE20),
    _code("sales_cycle_code"),
    Column("creation_date", Date, nullable=False),
    Column("date_closed", Date, nullable=True),
    Column("status", String(_ENUM_LENGTH), nullable=False),
    Column("priority", String(_ENUM_LENGTH), nullable=False),
    _flag("closed"),
    Column("sales_document_type", String(_ENUM_LENGTH), nullable=False),
    _code("sales_document_no", CODE20),
    _code("segment_no", CODE20),
    Column("version", Integer, nullable=False),
    Index("ix_rm_opportunity_contact", "contact_company_no", "contact_no"),
    Index("ix_rm_opportunity_salesperson", "salesperson_code"),
    Index("ix_rm_opportunity_campaign", "campaign_no"),
    Index("ix_rm_opportunity_sales_cycle", "sales_cycle_code"),
)
"""One row per :class:`~relationship_mgmt.domain.opportunities.Opportunity` (table 5092).

The indexes serve the contact's (§2.2), the salesperson's, the campaign's and the
sales cycle's opportunities.
"""

opportunity_entry_table = Table(
    "rm_opportunity_entry",
    metadata,
    Column("entry_no", BigInteger, primary_key=True, autoincrement=False),
    Column("opportunity_no", String(CODE20), nullable=False),
    _code("sales_cycle_code"),
    Column("sales_cycle_stage", Integer, nullable=True),
    Column("previous_sales_cycle_stage", Integer, nullable=True),
    _code("contact_no", CODE20),
    _code("contact_company_no", CODE20),
    _code("salesperson_code", CODE20),
    _code("campaign_no", CODE20),
    Column("date_of_change", Date, nullable=False),
    _flag("active"),
    Column("date_closed", Date, nullable=True),
    Column("days_open", Integer, nullable=False),
    Column("action_taken", String(_ENUM_LENGTH), nullable=False),
    Column("action_type", String(_ENUM_LENGTH), nullable=False),
    Column("estimated_value", ExactDecimal, nullable=False),
    Column("calcd_current_value", ExactDecimal, nullable=False),
    Column("completed_pct", ExactDecimal, nullable=False),
    Column("chances_of_success_pct", ExactDecimal, nullable=False),
    Column("probability_pct", ExactDecimal, nullable=False),
    Column("estimated_close_date", Date, nullable=True),
    _code("close_opportunity_code"),
    _flag("cancel_old_task"),
    Index("ix_rm_opportunity_entry_opportunity", "opportunity_no", "entry_no"),
)
"""One row per :class:`~relationship_mgmt.domain.opportunities.OpportunityEntry` (5093).

Numbered through the ``opportunity_entry`` row of ``rm_entry_counter``.
"""

campaign_table = Table(
    "rm_campaign",
    metadata,
    Column("no", String(CODE20), primary_key=True),
    Column("description", String(100), nullable=False),
    Column("starting_date", Date, nullable=True),
    Column("ending_date", Date, nullable=True),
    _code("salesperson_code", CODE20),
    _code("status_code"),
    _code("global_dimension_1_code", CODE20),
    _code("global_dimension_2_code", CODE20),
    _code("no_series", CODE20),
    _flag("activated"),
    Column("last_date_modified", Date, nullable=True),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.campaigns.Campaign` (table 5071)."""

campaign_entry_table = Table(
    "rm_campaign_entry",
    metadata,
    Column("entry_no", BigInteger, primary_key=True, autoincrement=False),
    Column("campaign_no", String(CODE20), nullable=False),
    Column("date", Date, nullable=False),
    Column("description", String(100), nullable=False),
    Column("user_id", String(_CODE50), nullable=False),
    _code("segment_no", CODE20),
    _flag("canceled"),
    _code("salesperson_code", CODE20),
    Column("register_no", BigInteger, nullable=True),
    Column("document_type", String(_ENUM_LENGTH), nullable=False),
    Index("ix_rm_campaign_entry_campaign", "campaign_no", "entry_no"),
)
"""One row per :class:`~relationship_mgmt.domain.campaigns.CampaignEntry` (table 5072).

Numbered through the ``campaign_entry`` row of ``rm_entry_counter``.
"""

campaign_pricing_line_table = Table(
    "rm_campaign_pricing_line",
    metadata,
    Column("campaign_no", String(CODE20), primary_key=True),
    Column("line_key", String(200), primary_key=True),
    Column("kind", String(_ENUM_LENGTH), nullable=False),
    Column("asset_type", String(_ENUM_LENGTH), nullable=False),
    Column("asset_no", String(CODE20), nullable=False),
    _code("variant_code"),
    _code("unit_of_measure_code"),
    _code("currency_code"),
    Column("minimum_quantity", ExactDecimal, nullable=False),
    Column("starting_date", Date, nullable=True),
    Column("ending_date", Date, nullable=True),
    Column("unit_price", ExactDecimal, nullable=True),
    Column("allow_line_disc", Boolean, nullable=True),
    Column("allow_invoice_disc", Boolean, nullable=True),
    Column("line_discount_pct", ExactDecimal, nullable=True),
)
"""One row per campaign price or line-discount line (§6.3), keyed within its campaign
by :func:`~relationship_mgmt.domain.campaigns.pricing_line_key`; ``kind`` is
``Price`` or ``Line Discount`` and the other kind's columns are NULL.
"""

campaign_target_group_table = Table(
    "rm_campaign_target_group",
    metadata,
    Column("type", String(_ENUM_LENGTH), primary_key=True),
    Column("no", String(CODE20), primary_key=True),
    Column("campaign_no", String(CODE20), primary_key=True),
    Index("ix_rm_campaign_target_group_campaign", "campaign_no"),
)
"""One row per :class:`~relationship_mgmt.domain.campaigns.CampaignTargetGroup` (7030).

Keyed as BC's table, by (Type, No., Campaign No.); the index finds a campaign's
rows (Activated, Deactivate).
"""

segment_table = Table(
    "rm_segment",
    metadata,
    Column("no", String(CODE20), primary_key=True),
    Column("description", String(100), nullable=False),
    _code("campaign_no", CODE20),
    _code("salesperson_code", CODE20),
    Column("correspondence_type_default", String(_ENUM_LENGTH), nullable=False),
    _code("interaction_template_code"),
    _code("interaction_group_code"),
    Column("unit_cost_lcy", ExactDecimal, nullable=False),
    Column("unit_duration_min", ExactDecimal, nullable=False),
    Column("date", Date, nullable=False),
    _flag("campaign_target"),
    _flag("campaign_response"),
    Column("information_flow", String(_ENUM_LENGTH), nullable=False),
    Column("initiated_by", String(_ENUM_LENGTH), nullable=False),
    _code("language_code_default"),
    _flag("send_word_docs_as_attmt"),
    _flag("ignore_contact_corres_type"),
    Column("subject_default", String(100), nullable=False),
    _code("word_template_code", _CODE30),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.segments.Segment` header (table 5076)."""


def _segment_line_columns() -> list[Column[Any]]:
    """The columns of one segment line after its key: every SegmentLine field.

    ``rm_segment_line`` and ``rm_segment_history`` (which keeps the whole line an
    action inserted or deleted) both have them; a call makes new columns.
    """
    return [
        Column("contact_no", String(CODE20), nullable=False),
        _code("contact_company_no", CODE20),
        Column("description", String(100), nullable=False),
        _code("campaign_no", CODE20),
        _code("salesperson_code", CODE20),
        Column("correspondence_type", String(_ENUM_LENGTH), nullable=False),
        _code("interaction_template_code"),
        _code("interaction_group_code"),
        Column("cost_lcy", ExactDecimal, nullable=False),
        Column("duration_min", ExactDecimal, nullable=False),
        _code("language_code"),
        Column("date", Date, nullable=True),
        _flag("campaign_target"),
        _flag("campaign_response"),
        Column("information_flow", String(_ENUM_LENGTH), nullable=False),
        Column("initiated_by", String(_ENUM_LENGTH), nullable=False),
        _code("contact_alt_address_code"),
        _flag("send_word_docs_as_attmt"),
        _code("word_template_code", _CODE30),
        Column("subject", String(100), nullable=False),
    ]


def _segment_child(name: str, *items: SchemaItem, key: tuple[str, ...]) -> Table:
    """A child table of ``rm_segment``: deleted with its segment."""
    return Table(
        name,
        metadata,
        Column("segment_no", String(CODE20), nullable=False),
        *items,
        PrimaryKeyConstraint("segment_no", *key),
        ForeignKeyConstraint(
            ["segment_no"], [f"{segment_table.name}.no"], ondelete="CASCADE"
        ),
    )


segment_line_table = _segment_child(
    "rm_segment_line",
    Column("line_no", Integer, nullable=False, autoincrement=False),
    *_segment_line_columns(),
    Index("ix_rm_segment_line_contact", "contact_no"),
    key=("line_no",),
)
"""One row per :class:`~relationship_mgmt.domain.segments.SegmentLine` (table 5077).

Every field is a column, for criteria on segment lines; the index finds the
segments a contact is on. Lines come back in line-number order.
"""


def _criteria_action_columns() -> list[Column[Any]]:
    """The columns of one criteria action after its owner's key: its number and fields.

    ``rm_segment_action`` and ``rm_saved_criteria_action`` both have them; a call
    makes new columns.
    """
    return [
        Column("number", Integer, nullable=False, autoincrement=False),
        Column("action", String(_ENUM_LENGTH), nullable=False),
        Column("criteria", Text, nullable=False),
        _flag("allow_existing_contacts"),
        _flag("expand_companies"),
        _flag("allow_related_companies"),
        _flag("ignore_exclusion"),
        _flag("entire_companies"),
        _flag("manual"),
    ]


segment_action_table = _segment_child(
    "rm_segment_action",
    *_criteria_action_columns(),
    key=("number",),
)
"""One row per :class:`~relationship_mgmt.domain.segments.CriteriaAction` (5097).

``criteria`` is the tree's JSON text, the library's wire format
(:func:`relationship_mgmt.serialization.dumps`: ``{"criteria": ..., "format": 1}``
with sorted keys); the options are columns.
"""

segment_history_table = _segment_child(
    "rm_segment_history",
    Column("action_no", Integer, nullable=False, autoincrement=False),
    Column("line_no", Integer, nullable=False, autoincrement=False),
    Column("action_taken", String(_ENUM_LENGTH), nullable=False),
    *_segment_line_columns(),
    key=("action_no", "line_no", "action_taken"),
)
"""One row per :class:`~relationship_mgmt.domain.segments.HistoryRow` (table 5078).

Keyed as BC's Segment History, by action, line and action taken; the rest of the
row is the whole line as it was inserted or deleted (the columns of
``rm_segment_line``), so that Go Back restores it exactly. Rows come back by
action, then line number: the order the domain records them in.
"""

logged_segment_table = Table(
    "rm_logged_segment",
    metadata,
    Column("entry_no", BigInteger, primary_key=True, autoincrement=False),
    Column("segment_no", String(CODE20), nullable=False),
    Column("description", String(100), nullable=False),
    Column("creation_date", Date, nullable=False),
    Column("user_id", String(_CODE50), nullable=False),
    _flag("canceled"),
    Index("ix_rm_logged_segment_segment", "segment_no", "entry_no"),
)
"""One row per :class:`~relationship_mgmt.domain.segments.LoggedSegment` (table 5075).

Numbered through the ``logged_segment`` row of ``rm_entry_counter``.
"""

saved_criteria_table = Table(
    "rm_saved_criteria",
    metadata,
    Column("code", String(CODE10), primary_key=True),
    Column("description", String(100), nullable=False),
    Column("user_id", String(_CODE50), nullable=False),
    Column("version", Integer, nullable=False),
)
"""One row per :class:`~relationship_mgmt.domain.segments.SavedCriteria` (table 5098)."""

saved_criteria_action_table = Table(
    "rm_saved_criteria_action",
    metadata,
    Column("code", String(CODE10), nullable=False),
    *_criteria_action_columns(),
    PrimaryKeyConstraint("code", "number"),
    ForeignKeyConstraint(
        ["code"], [f"{saved_criteria_table.name}.code"], ondelete="CASCADE"
    ),
)
"""One row per saved :class:`~relationship_mgmt.domain.segments.CriteriaAction` (5099).

The columns of ``rm_segment_action``: the criteria tree as JSON text, the options
as columns. Actions come back in number order; they are deleted with their
saved criteria.
"""
