"""Salespeople, teams, interaction templates and the interaction log on SQL.

What the contract suite does not see: the statistics are one aggregate query (and
exact on SQLite), the indexes exist and serve the FlowField filters, entry numbers
come from a locked counter row, and migration 0007 goes up and down.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relationship_mgmt.adapters.sql import SqlDatabase, open_database
from relationship_mgmt.adapters.sql.engine import create_database_engine
from relationship_mgmt.adapters.sql.mapping import entry_to_row
from relationship_mgmt.adapters.sql.migrate import alembic_config
from relationship_mgmt.adapters.sql.tables import (
    entry_counter_table,
    interaction_log_entry_table,
    interaction_template_language_table,
    team_salesperson_table,
)
from relationship_mgmt.domain.codes import Code, SalespersonCode
from relationship_mgmt.domain.interactions import (
    DocumentKind,
    InitiatedBy,
    InteractionFilter,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateSetup,
    statistics_of,
)
from relationship_mgmt.domain.salespeople import Salesperson, Team
from relationship_mgmt.domain.setup import IndustryGroup, InteractionGroup
from relationship_mgmt.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    IntegrityViolationError,
    UnitOfWorkStateError,
)

_LOG = interaction_log_entry_table


def _entry(entry_no: int, **fields: Any) -> InteractionLogEntry:
    values: dict[str, Any] = {
        "contact_no": "P1",
        "contact_company_no": "C1",
        "date": date(2026, 3, 2),
        **fields,
    }
    if values.get("idempotency_key") is not None:
        values.setdefault("payload_fingerprint", "a" * 64)
    return InteractionLogEntry(entry_no=entry_no, **values)


def _add(database: SqlDatabase, *entries: InteractionLogEntry) -> None:
    with database.unit_of_work() as uow:
        for entry in entries:
            uow.interaction_log.add(entry)
        uow.commit()


class _Statements:
    """The SQL statements a connection sends while the block runs."""

    def __init__(self, engine: sqlalchemy.Engine) -> None:
        self.engine = engine
        self.sent: list[str] = []
        self.parameters: list[Any] = []

    def __enter__(self) -> list[str]:
        sqlalchemy.event.listen(self.engine, "before_cursor_execute", self._record)
        return self.sent

    def __exit__(self, *_: object) -> None:
        sqlalchemy.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, *args: Any) -> None:
        self.sent.append(str(args[2]))
        self.parameters.append(args[3])


def _selects(sent: list[str]) -> list[str]:
    return [s for s in sent if s.lstrip().upper().startswith("SELECT")]


# --- statistics: SQL aggregates -----------------------------------------------------


def test_statistics_are_one_aggregate_query(database: SqlDatabase) -> None:
    _add(
        database,
        _entry(1, cost_lcy=Decimal("2.50"), duration_min=10, initiated_by="Us"),
        _entry(2, cost_lcy=3, canceled=True),
        _entry(3, date=None, postponed=True, cost_lcy=7),
        _entry(4, date=date(2026, 3, 5), attempt_failed=True, initiated_by="Us"),
    )
    where = InteractionFilter(contact_company_no="C1", contact_no="P1")

    with (
        database.unit_of_work(read_only=True) as uow,
        _Statements(database.engine) as sent,
    ):
        figures = uow.interaction_log.statistics(where)

    (statement,) = _selects(sent)
    text = " ".join(statement.lower().split())
    assert "count(*) filter (where" in text
    assert text.count("max(") == 2
    assert "group by" not in text
    with database.unit_of_work() as uow:
        entries = uow.interaction_log.find()
    assert figures == statistics_of(entries, where)
    assert (figures.no_of_interactions, figures.cost_lcy, figures.duration_min) == (
        2,
        Decimal("2.50"),
        Decimal(10),
    )
    assert figures.date_of_last_interaction == date(2026, 3, 2)
    assert figures.last_date_attempted == date(2026, 3, 5)


def test_statistics_of_no_entries_are_zero(database: SqlDatabase) -> None:
    with database.unit_of_work(read_only=True) as uow:
        figures = uow.interaction_log.statistics(InteractionFilter(contact_no="P9"))

    assert figures == statistics_of([], InteractionFilter(contact_no="P9"))
    assert figures.cost_lcy == 0
    assert figures.date_of_last_interaction is None


def test_sums_are_exact_where_doubles_are_not(database: SqlDatabase) -> None:
    _add(
        database,
        _entry(1, cost_lcy=Decimal("0.1")),
        _entry(2, cost_lcy=Decimal("0.2")),
        _entry(3, contact_no="P2", cost_lcy=Decimal("0.1")),
        _entry(4, contact_no="P2", cost_lcy=Decimal("123456789.01")),
    )

    with database.unit_of_work() as uow:
        p1 = uow.interaction_log.statistics(InteractionFilter(contact_no="P1"))
        p2 = uow.interaction_log.statistics(InteractionFilter(contact_no="P2"))

    # Doubles give 0.30000000000000004 (SQLite's own sum() does).
    assert (p1.cost_lcy, p2.cost_lcy) == (Decimal("0.3"), Decimal("123456789.11"))


_CODES = st.sampled_from(["A", "B"])
_ROWS = st.fixed_dictionaries(
    {
        "contact_no": st.sampled_from(["P1", "P2", None]),
        "contact_company_no": st.sampled_from(["C1", None]),
        "date": st.dates(date(2026, 1, 1), date(2026, 1, 6)),
        "cost_lcy": st.decimals(0, 1000, places=3),
        "duration_min": st.integers(0, 60),
        "canceled": st.booleans(),
        "postponed": st.booleans(),
        "attempt_failed": st.booleans(),
        "initiated_by": st.sampled_from(InitiatedBy),
        "interaction_template_code": _CODES,
        "interaction_group_code": _CODES,
        "salesperson_code": st.sampled_from(["JO", None]),
        "campaign_no": st.sampled_from(["CP1", None]),
    }
)
_FILTERS = st.builds(
    InteractionFilter,
    contact_no=st.sampled_from([None, "P1", "P2"]),
    contact_company_no=st.sampled_from([None, "", "C1"]),
    template_code=st.sampled_from([None, "A"]),
    group_code=st.sampled_from([None, "B"]),
    salesperson_code=st.sampled_from([None, "JO"]),
    campaign_no=st.sampled_from([None, "CP1"]),
    starting=st.none() | st.dates(date(2026, 1, 1), date(2026, 1, 6)),
    ending=st.none() | st.dates(date(2026, 1, 1), date(2026, 1, 6)),
)


@pytest.fixture(scope="module")
def shared_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlDatabase]:
    path = tmp_path_factory.mktemp("stats") / "crm.db"
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(_ROWS, max_size=15), filters=st.lists(_FILTERS, min_size=1))
def test_statistics_and_find_agree_with_the_reference_for_every_filter(
    shared_sqlite: SqlDatabase,
    rows: list[dict[str, Any]],
    filters: list[InteractionFilter],
) -> None:
    database = shared_sqlite
    with database.engine.begin() as connection:
        connection.execute(_LOG.delete())  # the entries of earlier examples go
    with database.unit_of_work() as uow:
        entries = []
        for row in rows:
            entry = InteractionLogEntry(
                entry_no=uow.interaction_log.next_entry_no(), **row
            )
            uow.interaction_log.add(entry)
            entries.append(entry)
        uow.commit()

    with database.unit_of_work(read_only=True) as uow:
        for where in filters:
            assert uow.interaction_log.statistics(where) == statistics_of(
                entries, where
            )
            dated = where.starting is not None or where.ending is not None
            expected = [
                e.entry_no
                for e in entries
                if where.selects(e) and (not dated or where.in_period(e))
            ]
            found = uow.interaction_log.find(where)
            assert [e.entry_no for e in found] == expected


@pytest.mark.postgres
def test_postgres_statistics_agree_with_the_reference(
    postgres_database: SqlDatabase,
) -> None:
    entries = [
        _entry(1, cost_lcy=Decimal("1234567890.123456789012"), duration_min=5),
        _entry(2, cost_lcy=Decimal("0.000000000000000001"), salesperson_code="JO"),
        _entry(3, contact_company_no=None, contact_no="P2", initiated_by="Us"),
    ]
    _add(postgres_database, *entries)

    with postgres_database.unit_of_work() as uow:
        for where in (
            InteractionFilter(),
            InteractionFilter(contact_company_no=""),
            InteractionFilter(contact_company_no="C1", salesperson_code="JO"),
            InteractionFilter(starting=date(2026, 3, 2), ending=date(2026, 3, 2)),
        ):
            assert uow.interaction_log.statistics(where) == statistics_of(
                entries, where
            )


# --- indexes --------------------------------------------------------------------------


def test_the_log_has_the_filter_indexes_and_a_unique_idempotency_key(
    database: SqlDatabase,
) -> None:
    inspector = sqlalchemy.inspect(database.engine)

    indexes = {
        i["name"]: (tuple(i["column_names"]), bool(i["unique"]))
        for i in inspector.get_indexes(_LOG.name)
    }

    assert indexes == {
        "ix_rm_interaction_log_entry_contact": (
            ("contact_company_no", "contact_no", "date"),
            False,
        ),
        "ix_rm_interaction_log_entry_template": (("interaction_template_code",), False),
        "ix_rm_interaction_log_entry_group": (("interaction_group_code",), False),
        "ix_rm_interaction_log_entry_salesperson": (("salesperson_code",), False),
        "ix_rm_interaction_log_entry_campaign": (("campaign_no",), False),
        "ux_rm_interaction_log_entry_idempotency_key": (("idempotency_key",), True),
    }


def test_the_unique_index_holds_one_entry_per_key_and_any_number_without(
    database: SqlDatabase,
) -> None:
    _add(database, _entry(1), _entry(2), _entry(3, idempotency_key="K"))
    row = {**entry_to_row(_entry(4, idempotency_key="K")), "version": 1}

    with pytest.raises(sqlalchemy.exc.IntegrityError), database.engine.begin() as c:
        c.execute(_LOG.insert().values(row))

    with database.unit_of_work() as uow:
        with pytest.raises(AlreadyExistsError, match="'K'"):
            uow.interaction_log.add(_entry(4, idempotency_key="K"))
        # The refusal leaves the transaction usable (no aborted PostgreSQL state).
        uow.interaction_log.add(_entry(4, idempotency_key="L"))
        uow.commit()
    with database.unit_of_work() as uow:
        found = uow.interaction_log.by_idempotency_key("L")
    assert found is not None
    assert found.entry_no == 4


def test_a_contacts_statistics_use_the_contact_index_on_sqlite(
    sqlite_database: SqlDatabase,
) -> None:
    where = InteractionFilter(contact_company_no="C1", contact_no="P1")
    recorder = _Statements(sqlite_database.engine)
    with sqlite_database.unit_of_work(read_only=True) as uow:
        with recorder:
            uow.interaction_log.statistics(where)
        (statement,) = _selects(recorder.sent)
        plan = uow.interaction_log._connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", recorder.parameters[-1]
        ).all()

    assert "ix_rm_interaction_log_entry_contact" in str(plan)


@pytest.mark.parametrize(
    "broken",
    [
        {"date": None, "postponed": False},  # only a postponed entry has no date
        {"idempotency_key": "K", "payload_fingerprint": None},
        {"idempotency_key": None, "payload_fingerprint": "a" * 64},
    ],
    ids=["undated", "key-without-fingerprint", "fingerprint-without-key"],
)
def test_the_log_refuses_rows_breaking_its_checks(
    database: SqlDatabase, broken: dict[str, object]
) -> None:
    row = {**entry_to_row(_entry(1)), "version": 1, **broken}

    with pytest.raises(sqlalchemy.exc.IntegrityError), database.engine.begin() as c:
        c.execute(_LOG.insert().values(row))


# --- entry numbers -------------------------------------------------------------------


def test_entry_numbers_start_from_rows_stored_by_others(database: SqlDatabase) -> None:
    _add(database, _entry(41))
    with database.engine.begin() as connection:
        connection.execute(entry_counter_table.delete())  # as if never used

    with database.unit_of_work() as uow:
        numbers = [uow.interaction_log.next_entry_no() for _ in range(3)]
        uow.commit()

    assert numbers == [42, 43, 44]


def test_entry_numbers_of_removed_and_explicit_entries_are_not_handed_out(
    database: SqlDatabase,
) -> None:
    _add(database, _entry(1), _entry(7, canceled=True))
    with database.unit_of_work() as uow:
        uow.interaction_log.remove(7)
        uow.commit()

    with database.unit_of_work() as uow:
        assert uow.interaction_log.next_entry_no() == 8


def test_a_rolled_back_unit_of_work_gives_its_numbers_back(
    database: SqlDatabase,
) -> None:
    with database.unit_of_work() as uow:
        assert uow.interaction_log.next_entry_no() == 1
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.interaction_log.next_entry_no() == 2  # not committed

    with database.unit_of_work() as uow:
        assert uow.interaction_log.next_entry_no() == 2


def test_a_read_only_unit_of_work_reads_the_log_but_hands_out_no_numbers(
    database: SqlDatabase,
) -> None:
    _add(database, _entry(1, idempotency_key="K"))

    with database.unit_of_work(read_only=True) as uow:
        assert uow.interaction_log.get(1).entry_no == 1
        assert uow.interaction_log.by_idempotency_key("K") is not None
        assert [e.entry_no for e in uow.interaction_log.find(limit=1)] == [1]
        assert uow.interaction_log.statistics(InteractionFilter()).no_of_interactions
        with pytest.raises(UnitOfWorkStateError):
            uow.interaction_log.next_entry_no()


_WRITERS = 4
_ENTRIES_EACH = 25


def _log_concurrently(database: SqlDatabase) -> list[int]:
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def write() -> None:
        try:
            for _ in range(_ENTRIES_EACH):
                with database.unit_of_work() as uow:
                    no = uow.interaction_log.next_entry_no()
                    uow.interaction_log.add(_entry(no))
                    uow.commit()
                with lock:
                    numbers.append(no)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(_WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return numbers


def test_concurrent_writers_get_distinct_consecutive_numbers(
    database: SqlDatabase,
) -> None:
    numbers = _log_concurrently(database)

    assert sorted(numbers) == list(range(1, _WRITERS * _ENTRIES_EACH + 1))


@pytest.mark.postgres
def test_a_postgres_writer_waits_for_the_number_another_holds(
    postgres_database: SqlDatabase,
) -> None:
    taken = threading.Event()
    second: list[int] = []

    def other() -> None:
        taken.wait()
        with postgres_database.unit_of_work() as uow:
            second.append(uow.interaction_log.next_entry_no())
            uow.commit()

    thread = threading.Thread(target=other)
    thread.start()
    with postgres_database.unit_of_work() as uow:
        first = uow.interaction_log.next_entry_no()
        taken.set()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # blocked on the counter row
        uow.interaction_log.add(_entry(first))
        uow.commit()
    thread.join()

    assert (first, second) == (1, [2])


# --- entries, salespeople, teams, templates, setup -----------------------------------


def test_an_entry_keeps_its_time_and_exact_amounts(database: SqlDatabase) -> None:
    entry = _entry(
        1, time_of_interaction=time(23, 59, 59, 999999), cost_lcy=Decimal("0.01")
    )
    _add(database, entry)

    with database.unit_of_work() as uow:
        stored = uow.interaction_log.get(1)

    assert stored == attrs.evolve(entry, version=1)


def test_an_update_racing_another_is_refused(database: SqlDatabase) -> None:
    _add(database, _entry(1))
    with database.unit_of_work() as uow:
        stored = uow.interaction_log.get(1)
        written = uow.interaction_log.update(stored.cancel())
        with pytest.raises(ConcurrencyError):
            uow.interaction_log.update(stored.evaluate("Positive"))
        uow.commit()

    assert written.version == 2


def test_children_go_with_their_aggregates(database: SqlDatabase) -> None:
    template = InteractionTemplate(code="MEMO", interaction_group_code="DOCS")
    template.add_language("ENU")
    template.add_language("")
    with database.unit_of_work() as uow:
        uow.teams.add(Team(code="NORTH", members=["JO", "AP"]))
        uow.interaction_templates.add(template)
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.interaction_templates.get(Code("MEMO")) == template
        uow.teams.remove(Code("NORTH"))
        uow.interaction_templates.remove(Code("MEMO"))
        uow.commit()

    with database.engine.connect() as connection:
        for table in (team_salesperson_table, interaction_template_language_table):
            count = connection.scalar(
                sqlalchemy.select(sqlalchemy.func.count()).select_from(table)
            )
            assert count == 0, table.name


def test_a_salespersons_exact_commission_and_stale_writes(
    database: SqlDatabase,
) -> None:
    jo = Salesperson(code="JO", commission_pct=Decimal("2.125"), email="Jo@X.example")
    with database.unit_of_work() as uow:
        uow.salespeople.add(jo)
        uow.commit()
    with database.unit_of_work() as uow:
        stored = uow.salespeople.get(SalespersonCode("JO"))
        assert (stored, stored.version) == (jo, 1)
        with pytest.raises(AlreadyExistsError):
            uow.salespeople.add(Salesperson(code="JO"))
    with database.unit_of_work() as uow:
        jo.version = 0
        with pytest.raises(ConcurrencyError):
            uow.salespeople.update(jo)


def test_the_setup_keeps_one_row_per_kind(database: SqlDatabase) -> None:
    setup = InteractionTemplateSetup(
        templates={DocumentKind.EMAILS: "EMAIL", DocumentKind.SALES_QUOTES: "QUOTE"}
    )
    with database.unit_of_work() as uow:
        uow.interaction_template_setup.save(setup)
        uow.commit()
    with database.unit_of_work() as uow:
        stored = uow.interaction_template_setup.get()
        stored.templates.pop(DocumentKind.EMAILS)
        uow.interaction_template_setup.save(stored)
        uow.commit()

    with database.unit_of_work(read_only=True) as uow:
        again = uow.interaction_template_setup.get()
    assert (again.templates, again.version) == ({DocumentKind.SALES_QUOTES: "QUOTE"}, 2)


def test_interaction_groups_are_a_code_table(database: SqlDatabase) -> None:
    with database.unit_of_work() as uow:
        uow.code_tables.add(InteractionGroup(code="sales", description="Sales"))
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.code_tables.find_all(InteractionGroup) == [
            InteractionGroup(code="SALES", description="Sales")
        ]
        with pytest.raises(AlreadyExistsError):
            uow.code_tables.add(InteractionGroup(code="SALES"))


def test_a_team_member_row_needs_its_team(database: SqlDatabase) -> None:
    orphan: dict[str, object] = {"team_code": "NONE", "salesperson_code": "JO"}
    with database.unit_of_work() as uow, pytest.raises(IntegrityViolationError):
        uow.teams._insert_all(team_salesperson_table, [orphan])


# --- migration 0007 ------------------------------------------------------------------

_NEW_TABLES = {
    "rm_salesperson",
    "rm_team",
    "rm_team_salesperson",
    "rm_interaction_group",
    "rm_interaction_template",
    "rm_interaction_template_language",
    "rm_interaction_template_setup",
    "rm_interaction_template_setup_template",
    "rm_interaction_log_entry",
    "rm_entry_counter",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, sqlite_path: Path) -> tuple[str, str | None]:
    if request.param == "sqlite":
        return f"sqlite:///{sqlite_path}", None
    url: str = request.getfixturevalue("postgres_url")
    schema: str = request.getfixturevalue("postgres_schema")
    return url, schema


def test_a_database_at_0006_gets_the_new_tables_and_can_go_back(
    target: tuple[str, str | None],
) -> None:
    url, schema = target
    raw = create_database_engine(url, schema=schema)
    try:
        with raw.begin() as connection:
            command.upgrade(alembic_config(connection), "0006")
            connection.execute(
                sqlalchemy.text("INSERT INTO rm_industry_group VALUES ('RETAIL', 'R')")
            )
        assert not _NEW_TABLES & set(sqlalchemy.inspect(raw).get_table_names())

        database = open_database(url, schema=schema)
        with database.unit_of_work() as uow:
            uow.salespeople.add(Salesperson(code="JO"))
            uow.interaction_log.add(_entry(uow.interaction_log.next_entry_no()))
            uow.commit()
        with database.unit_of_work() as uow:
            assert uow.code_tables.exists(IndustryGroup, "RETAIL")
            assert uow.interaction_log.get(1).version == 1
        database.dispose()
        assert set(sqlalchemy.inspect(raw).get_table_names()) >= _NEW_TABLES

        with raw.begin() as connection:
            command.downgrade(alembic_config(connection), "0006")
        inspector = sqlalchemy.inspect(raw)
        assert not _NEW_TABLES & set(inspector.get_table_names())
        assert inspector.has_table("rm_duplicate_key")
        with raw.connect() as connection:
            assert (
                connection.scalar(sqlalchemy.text("SELECT code FROM rm_industry_group"))
                == "RETAIL"
            )

        with raw.begin() as connection:  # and up again
            command.upgrade(alembic_config(connection), "head")
        assert set(sqlalchemy.inspect(raw).get_table_names()) >= _NEW_TABLES
    finally:
        raw.dispose()
