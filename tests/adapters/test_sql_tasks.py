"""Tasks, attendees and activities on SQL.

What the contract suite does not see: the stored form (BC's Duration in whole
milliseconds, the interval as its text), a duration SQL cannot keep is refused, the
Next Task Date is one ``MIN`` query served by an index, the checks and the cascade
of the tables, and migration 0009 goes up and down.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, Self

import pytest
import sqlalchemy
from alembic import command

from relationship_mgmt.adapters.sql import SqlDatabase, open_database
from relationship_mgmt.adapters.sql.engine import create_database_engine
from relationship_mgmt.adapters.sql.mapping import task_to_row
from relationship_mgmt.adapters.sql.migrate import alembic_config
from relationship_mgmt.adapters.sql.tables import (
    activity_step_table,
    task_attendee_table,
    task_table,
)
from relationship_mgmt.domain.codes import Code, TaskNo
from relationship_mgmt.domain.tasks import (
    Activity,
    ActivityStep,
    Attendee,
    Task,
    contact_task_filter,
    salesperson_task_filter,
)
from relationship_mgmt.errors import PersistenceError

_NEW_TABLES = {"rm_task", "rm_task_attendee", "rm_activity", "rm_activity_step"}


def _task(no: str = "TD1", **fields: Any) -> Task:
    values: dict[str, Any] = {
        "salesperson_code": "JO",
        "date": date(2026, 3, 2),
        **fields,
    }
    return Task(no=no, **values)


class _Statements:
    """The SQL statements an engine sends while the block runs."""

    def __init__(self, engine: sqlalchemy.Engine) -> None:
        self.engine = engine
        self.sent: list[str] = []
        self.parameters: list[Any] = []

    def __enter__(self) -> Self:
        sqlalchemy.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        sqlalchemy.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, *args: Any) -> None:
        self.sent.append(str(args[2]))
        self.parameters.append(args[3])


def test_duration_is_stored_in_milliseconds_and_the_interval_as_text(
    database: SqlDatabase,
) -> None:
    task = _task(
        duration=timedelta(hours=1, milliseconds=250),
        start_time=time(9, 30, 15),
        recurring=True,
        recurring_date_interval="CM+1D",
        calc_due_date_from="Due Date",
    )
    with database.unit_of_work() as uow:
        uow.tasks.add(task)
        uow.commit()

    with database.engine.connect() as connection:
        row = connection.execute(
            sqlalchemy.text(
                "SELECT duration, recurring_date_interval FROM rm_task WHERE no = 'TD1'"
            )
        ).one()

    assert tuple(row) == (3_600_250, "CM+1D")


def test_a_duration_finer_than_a_millisecond_is_refused(database: SqlDatabase) -> None:
    with database.unit_of_work() as uow, pytest.raises(PersistenceError):
        uow.tasks.add(_task(duration=timedelta(minutes=5, microseconds=1)))

    with database.unit_of_work() as uow:
        assert not uow.tasks.exists(TaskNo("TD1"))


@pytest.mark.parametrize(
    "broken",
    [
        {"salesperson_code": None, "team_code": None},
        {"duration": timedelta(seconds=59)},
        {"duration": timedelta(days=3651)},
        {"canceled": True, "closed": False},
    ],
    ids=["unassigned", "too-short", "too-long", "canceled-open"],
)
def test_the_task_table_refuses_rows_breaking_its_checks(
    database: SqlDatabase, broken: dict[str, object]
) -> None:
    row = {**task_to_row(_task()), "version": 1, **broken}

    with pytest.raises(sqlalchemy.exc.IntegrityError), database.engine.begin() as c:
        c.execute(task_table.insert().values(row))


def test_next_task_date_is_one_min_query(database: SqlDatabase) -> None:
    with database.unit_of_work() as uow:
        uow.tasks.add(_task("TD1", date=date(2026, 3, 9)))
        uow.tasks.add(_task("TD2", date=date(2026, 3, 4)))
        uow.tasks.add(
            _task(
                "TD3",
                date=date(2026, 3, 1),
                system_task_type="Salesperson Attendee",
                organizer_task_no="TD9",
            )
        )
        uow.tasks.add(_task("TD4", date=date(2026, 2, 1), team_code="SALES"))
        uow.commit()

    with (
        database.unit_of_work(read_only=True) as uow,
        _Statements(database.engine) as recorder,
    ):
        found = uow.tasks.next_task_date(salesperson_task_filter("JO"))

    (statement,) = recorder.sent
    text = " ".join(statement.lower().split())
    assert "min(rm_task.date)" in text
    assert "group by" not in text
    assert found == date(2026, 3, 1)


def test_a_contacts_next_task_date_uses_the_contact_index_on_sqlite(
    sqlite_database: SqlDatabase,
) -> None:
    where = contact_task_filter(company_no="CT1", lookup_contact_no="CT2")
    recorder = _Statements(sqlite_database.engine)
    with sqlite_database.unit_of_work(read_only=True) as uow:
        with recorder:
            uow.tasks.next_task_date(where)
        (statement,) = recorder.sent
        plan = uow.tasks._connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", recorder.parameters[-1]
        ).all()

    assert "ix_rm_task_contact" in str(plan)


def test_attendees_and_steps_go_with_their_rows(database: SqlDatabase) -> None:
    with database.unit_of_work() as uow:
        uow.tasks.add(_task(type="Meeting"))
        uow.tasks.replace_attendees(
            TaskNo("TD1"),
            [
                Attendee(
                    line_no=1,
                    attendance_type="To-do Organizer",
                    attendee_type="Salesperson",
                    attendee_no="JO",
                )
            ],
        )
        uow.activities.add(
            Activity(code="INIT", steps=[ActivityStep(step_no=1, date_formula="1W")])
        )
        uow.commit()

    with database.engine.begin() as connection:  # the foreign keys cascade
        connection.execute(sqlalchemy.text("DELETE FROM rm_task"))
        connection.execute(sqlalchemy.text("DELETE FROM rm_activity"))
    with database.engine.connect() as connection:
        for table in (task_attendee_table, activity_step_table):
            count = sqlalchemy.select(sqlalchemy.func.count()).select_from(table)
            assert connection.scalar(count) == 0
    with database.unit_of_work() as uow:
        assert uow.tasks.attendees_of(TaskNo("TD1")) == []
        assert uow.activities.find_all() == []


def test_an_empty_date_formula_of_a_step_round_trips(database: SqlDatabase) -> None:
    activity = Activity(code="NOW", steps=[ActivityStep(step_no=1)])
    with database.unit_of_work() as uow:
        uow.activities.add(activity)
        uow.commit()

    with database.unit_of_work() as uow:
        assert uow.activities.get(Code("NOW")) == activity


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, sqlite_path: Path) -> tuple[str, str | None]:
    if request.param == "sqlite":
        return f"sqlite:///{sqlite_path}", None
    url: str = request.getfixturevalue("postgres_url")
    schema: str = request.getfixturevalue("postgres_schema")
    return url, schema


def test_a_database_at_0008_gets_the_task_tables_and_can_go_back(
    target: tuple[str, str | None],
) -> None:
    url, schema = target
    raw = create_database_engine(url, schema=schema)
    try:
        with raw.begin() as connection:
            command.upgrade(alembic_config(connection), "0008")
        assert not _NEW_TABLES & set(sqlalchemy.inspect(raw).get_table_names())

        database = open_database(url, schema=schema)
        with database.unit_of_work() as uow:
            uow.tasks.add(_task())
            uow.activities.add(Activity(code="INIT"))
            uow.commit()
        with database.unit_of_work() as uow:
            assert uow.tasks.get(TaskNo("TD1")).version == 1
        database.dispose()
        assert set(sqlalchemy.inspect(raw).get_table_names()) >= _NEW_TABLES

        with raw.begin() as connection:
            command.downgrade(alembic_config(connection), "0008")
        inspector = sqlalchemy.inspect(raw)
        assert not _NEW_TABLES & set(inspector.get_table_names())
        assert inspector.has_table("rm_interaction_log_entry")

        with raw.begin() as connection:  # and up again
            command.upgrade(alembic_config(connection), "head")
        assert set(sqlalchemy.inspect(raw).get_table_names()) >= _NEW_TABLES
    finally:
        raw.dispose()
