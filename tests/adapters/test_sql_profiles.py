"""Profile questionnaires on SQL: the child rows, exact decimals, rows that stay put."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy

from relationship_mgmt.adapters.sql import SqlDatabase
from relationship_mgmt.adapters.sql.tables import (
    ExactDecimal,
    profile_line_table,
    profile_rating_point_table,
)
from relationship_mgmt.domain.codes import Code
from relationship_mgmt.domain.profiles import ContactClassField, ProfileQuestionnaire
from relationship_mgmt.errors import IntegrityViolationError, PersistenceError

# Many significant digits: exact in PostgreSQL's NUMERIC, not in a double.
_LONG = Decimal("1234567890.123456789012")


def _questionnaire(code: str = "SIZE") -> ProfileQuestionnaire:
    q = ProfileQuestionnaire(code=code)
    question = q.add_question("Employees")
    q.add_answer(question.line_no, "Few", to_value=49)
    q.add_answer(question.line_no, "Many", from_value=50)
    rating = q.add_question("Rating")
    q.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    q.rate_answer(rating.line_no, answer_line_no=20000, points=5)
    q.add_answer(rating.line_no, "Good", from_value=5)
    return q


def _count(database: SqlDatabase, table: sqlalchemy.Table) -> int:
    with database.engine.connect() as connection:
        return (
            connection.scalar(
                sqlalchemy.select(sqlalchemy.func.count()).select_from(table)
            )
            or 0
        )


def test_remove_leaves_no_child_rows(database: SqlDatabase) -> None:
    with database.unit_of_work() as uow:
        uow.profile_questionnaires.add(_questionnaire("A"))
        uow.profile_questionnaires.add(_questionnaire("B"))
        uow.commit()
    with database.unit_of_work() as uow:
        uow.profile_questionnaires.remove(Code("A"))
        uow.commit()

    assert (
        _count(database, profile_line_table),
        _count(database, profile_rating_point_table),
    ) == (5, 1)


def test_update_keeps_the_rows_of_lines_that_stay(database: SqlDatabase) -> None:
    """A row that refers to a kept line (as contact answers will) does not block update."""
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE host_answer (questionnaire_code VARCHAR(20), line_no INTEGER, "
            "FOREIGN KEY (questionnaire_code, line_no) REFERENCES "
            "rm_profile_line (questionnaire_code, line_no) ON DELETE RESTRICT)"
        )
    with database.unit_of_work() as uow:
        uow.profile_questionnaires.add(_questionnaire())
        uow.commit()
    with database.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO host_answer VALUES ('SIZE', 20000)")

    with database.unit_of_work() as uow:
        changed = uow.profile_questionnaires.get(Code("SIZE"))
        changed.configure_answer(20000, description="A few", to_value=9)
        changed.remove_answer(30000, no_of_contacts=0)
        uow.profile_questionnaires.update(changed)
        uow.commit()

    changed.unrate_answer(40000, answer_line_no=20000)
    changed.remove_answer(20000, no_of_contacts=0)
    with database.unit_of_work() as uow, pytest.raises(IntegrityViolationError):
        uow.profile_questionnaires.update(changed)
    with database.unit_of_work() as uow:
        stored = uow.profile_questionnaires.get(Code("SIZE"))
    assert [line.line_no for line in stored.lines] == [10000, 20000, 40000, 50000]
    assert stored.answer(20000).description == "A few"


@pytest.mark.postgres
def test_postgres_keeps_every_digit(postgres_database: SqlDatabase) -> None:
    q = ProfileQuestionnaire(code="BIG")
    q.add_answer(q.add_question("Sales").line_no, "Huge", from_value=_LONG)
    with postgres_database.unit_of_work() as uow:
        uow.profile_questionnaires.add(q)
        uow.commit()

    with postgres_database.unit_of_work() as uow:
        assert str(
            uow.profile_questionnaires.get(Code("BIG")).answer(20000).from_value
        ) == str(_LONG)


def test_sqlite_refuses_a_decimal_it_would_round(sqlite_database: SqlDatabase) -> None:
    q = ProfileQuestionnaire(code="BIG")
    q.add_answer(q.add_question("Sales").line_no, "Huge", from_value=_LONG)

    with (
        sqlite_database.unit_of_work() as uow,
        pytest.raises(PersistenceError, match="exactly"),
    ):
        uow.profile_questionnaires.add(q)

    assert q.version == 0
    with sqlite_database.unit_of_work() as uow:
        assert uow.profile_questionnaires.find_all() == []


@pytest.mark.parametrize(
    "value",
    [
        Decimal(0),
        Decimal("-0.5"),
        Decimal("1E-30"),
        Decimal("99999999999999.9"),
        Decimal(2**63 - 1),
        Decimal(-(2**63)),
        Decimal("1.5E+29"),
    ],
)
def test_exact_decimals_survive_sqlite(
    sqlite_database: SqlDatabase, value: Decimal
) -> None:
    column = sqlalchemy.Column("x", ExactDecimal)
    table = sqlalchemy.Table("t", sqlalchemy.MetaData(), column)
    with sqlite_database.engine.begin() as connection:
        table.create(connection)
        connection.execute(table.insert().values(x=value))
        stored = connection.scalar(sqlalchemy.select(column))

    assert stored == value
    assert isinstance(stored, Decimal)
