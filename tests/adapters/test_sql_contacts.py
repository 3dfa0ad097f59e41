"""Contacts on SQL: the foreign keys behind the repository, child rows, search."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy

from relationship_mgmt.adapters.sql import SqlDatabase
from relationship_mgmt.adapters.sql.errors import translate_errors
from relationship_mgmt.adapters.sql.tables import (
    contact_alternative_address_period_table,
    contact_alternative_address_table,
    contact_code_tables,
    contact_profile_answer_table,
    contact_table,
    contact_web_source_table,
)
from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.contacts import AlternativeAddress, Contact
from relationship_mgmt.domain.profiles import ContactProfileAnswer, ProfileQuestionnaire
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import IntegrityViolationError, PersistenceError

_NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _company(no: str = "CT01", name: str = "Cronus") -> Contact:
    company = Contact.create_company(
        no=no,
        name=name,
        now=_NOW,
        setup=RelationshipSetup(),
        mailing_groups={"news"},
        industry_groups={"retail"},
        business_relations={"cust"},
        web_sources={"web": "cronus"},
    )
    company.add_alternative_address(AlternativeAddress(code="summer"), now=_NOW)
    company.schedule_alternative_address("summer", starting=_NOW.date(), now=_NOW)
    return company


def _person(no: str, company: Contact) -> Contact:
    return Contact.create_person(
        no=no, name="John Smith", now=_NOW, setup=RelationshipSetup(), company=company
    )


def _counts(database: SqlDatabase) -> list[int]:
    tables = [
        contact_table,
        contact_web_source_table,
        contact_alternative_address_table,
        contact_alternative_address_period_table,
        *contact_code_tables.values(),
    ]
    with database.engine.connect() as connection:
        return [
            connection.scalar(
                sqlalchemy.select(sqlalchemy.func.count()).select_from(table)
            )
            or 0
            for table in tables
        ]


def test_removing_a_contact_leaves_no_child_rows(database: SqlDatabase) -> None:
    with database.unit_of_work() as uow:
        uow.contacts.add(_company("CT01"))
        uow.contacts.add(_company("CT02"))
        uow.commit()
    with database.unit_of_work() as uow:
        uow.contacts.remove(ContactNo("CT01"))
        uow.commit()

    assert _counts(database) == [1, 1, 1, 1, 1, 0, 1, 1]


def test_the_foreign_key_refuses_deleting_a_company_with_persons(
    database: SqlDatabase,
) -> None:
    """The safety net under the repository's own check (ON DELETE RESTRICT)."""
    company = _company()
    with database.unit_of_work() as uow:
        uow.contacts.add(company)
        uow.contacts.add(_person("CT02", company))
        uow.commit()

    with (
        pytest.raises(IntegrityViolationError),
        translate_errors(),
        database.engine.begin() as connection,
    ):
        connection.execute(contact_table.delete().where(contact_table.c.no == "CT01"))

    with (
        database.engine.begin() as connection
    ):  # a company alone: its self-link is fine
        connection.execute(contact_table.delete().where(contact_table.c.no == "CT02"))
        connection.execute(contact_table.delete().where(contact_table.c.no == "CT01"))
    assert _counts(database) == [0] * 8


def test_the_foreign_key_refuses_deleting_a_contact_with_profile_answers(
    database: SqlDatabase,
) -> None:
    questionnaire = ProfileQuestionnaire(code="SIZE")
    _ = questionnaire.add_answer(
        questionnaire.add_question("Employees").line_no, "Few", to_value=49
    )
    with database.unit_of_work() as uow:
        uow.contacts.add(_company())
        uow.profile_questionnaires.add(questionnaire)
        uow.contact_profile_answers.add(
            ContactProfileAnswer(
                contact_no="CT01",
                questionnaire_code="SIZE",
                line_no=20000,
                last_date_updated=_NOW.date(),
                questions_answered_pct=Decimal("12.5"),
            )
        )
        uow.commit()

    with (
        pytest.raises(IntegrityViolationError),
        translate_errors(),
        database.engine.begin() as connection,
    ):
        connection.execute(contact_table.delete().where(contact_table.c.no == "CT01"))

    table = contact_profile_answer_table
    with database.engine.connect() as connection:
        pct = connection.scalar(sqlalchemy.select(table.c.questions_answered_pct))
    assert pct == Decimal("12.5")


def test_a_person_linked_to_a_missing_company_is_refused_by_the_database(
    database: SqlDatabase,
) -> None:
    row: dict[str, object] = {
        column.name: False if isinstance(column.type, sqlalchemy.Boolean) else ""
        for column in contact_table.columns
        if not column.nullable
    }
    row.update(
        no="CT02", type="Person", company_no="GHOST", version=1, last_modified=_NOW
    )

    with (
        pytest.raises(PersistenceError),
        translate_errors(),
        database.engine.begin() as connection,
    ):
        connection.execute(contact_table.insert().values(row))


def test_search_ignores_case_beyond_ascii(database: SqlDatabase) -> None:
    """SQLite's own upper() knows ASCII only; the adapter's matches Python's."""
    with database.unit_of_work() as uow:
        uow.contacts.add(_company("CT01", "École Émile"))
        uow.contacts.add(_company("CT02", "Ökobau Straße"))
        uow.commit()

    with database.unit_of_work() as uow:
        accented = [c.no for c in uow.contacts.search("éCOLE")]
        umlaut = [c.no for c in uow.contacts.search("ökobau")]

    assert accented == ["CT01"]
    assert umlaut == ["CT02"]


def test_find_all_reads_the_collections_of_many_contacts(
    database: SqlDatabase,
) -> None:
    companies = [_company(f"CT{i:02d}", f"Company {i:02d}") for i in range(1, 6)]
    with database.unit_of_work() as uow:
        for company in companies:
            uow.contacts.add(company)
        uow.commit()

    with database.unit_of_work() as uow:
        found = uow.contacts.find_all()
        limited = uow.contacts.search("company", limit=2)

    assert found == companies
    assert limited == companies[:2]
