"""SQLite specifics: connection settings, locking, files and in-memory databases."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from relationship_mgmt.adapters.sql import SqlDatabase, open_database
from relationship_mgmt.domain.codes import NoSeriesCode
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.setup import IndustryGroup, RelationshipSetup
from relationship_mgmt.errors import TransientStorageError, ValidationError


@contextmanager
def _write_locked(path: Path) -> Iterator[None]:
    """Let another connection hold the database's write lock."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.close()


def _pragma(database: SqlDatabase, name: str) -> object:
    with database.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


@pytest.mark.parametrize(("synchronous", "level"), [("FULL", 2), ("NORMAL", 1)])
def test_every_connection_gets_the_library_settings(
    sqlite_path: Path, synchronous: str, level: int
) -> None:
    database = open_database(
        f"sqlite:///{sqlite_path}",
        synchronous="FULL" if synchronous == "FULL" else "NORMAL",
        busy_timeout_s=2.5,
    )
    try:
        settings = {
            name: _pragma(database, name)
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    finally:
        database.dispose()

    assert settings == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": level,
        "busy_timeout": 2500,
    }


def test_a_unit_of_work_holds_the_write_lock_from_the_start(
    sqlite_path: Path, sqlite_database: SqlDatabase
) -> None:
    other = sqlite3.connect(sqlite_path, timeout=0, isolation_level=None)

    with (
        sqlite_database.unit_of_work(),
        pytest.raises(sqlite3.OperationalError, match="locked"),
    ):
        other.execute("BEGIN IMMEDIATE")

    other.execute("BEGIN IMMEDIATE")
    other.close()


@pytest.mark.parametrize("busy_timeout_s", [0, 0.3])
def test_a_unit_of_work_waits_the_busy_timeout_then_fails_as_transient(
    sqlite_path: Path, busy_timeout_s: float
) -> None:
    database = open_database(f"sqlite:///{sqlite_path}", busy_timeout_s=busy_timeout_s)
    started = time.perf_counter()

    with (
        _write_locked(sqlite_path),
        pytest.raises(TransientStorageError) as info,
        database.unit_of_work(),
    ):
        pass
    database.dispose()

    assert time.perf_counter() - started >= busy_timeout_s
    assert isinstance(info.value.__cause__, OperationalError)
    assert "database is locked" in str(info.value.__cause__)


def test_a_nested_unit_of_work_reads_but_cannot_write(
    sqlite_database: SqlDatabase,
) -> None:
    with sqlite_database.unit_of_work() as outer:
        outer.code_tables.add(IndustryGroup(code="RETAIL"))
        started = time.perf_counter()
        with sqlite_database.unit_of_work() as inner:
            assert not inner.code_tables.exists(IndustryGroup, "RETAIL")
            with pytest.raises(TransientStorageError):
                inner.code_tables.add(IndustryGroup(code="AUTO"))
        outer.commit()

    assert time.perf_counter() - started < 1  # failed at once, no busy wait
    with sqlite_database.unit_of_work() as uow:
        assert [g.code for g in uow.code_tables.find_all(IndustryGroup)] == ["RETAIL"]


def test_data_survives_reopening_in_another_process(sqlite_path: Path) -> None:
    writer = f"""
from relationship_mgmt.adapters.sql import open_database
from relationship_mgmt.domain.setup import RelationshipSetup
database = open_database({f"sqlite:///{sqlite_path}"!r})
with database.unit_of_work() as uow:
    uow.setup.save(RelationshipSetup(contact_nos="CONT", default_task_date_formula="1W"))
    uow.commit()
database.dispose()
"""
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=60)

    database = open_database(f"sqlite:///{sqlite_path}")
    try:
        with database.unit_of_work() as uow:
            stored = uow.setup.get()
    finally:
        database.dispose()

    expected = RelationshipSetup(contact_nos="CONT", default_task_date_formula="1W")
    expected.version = 1
    assert stored == expected


def test_in_memory_databases_are_private_and_deleted_on_dispose() -> None:
    first, second = open_database("sqlite://"), open_database("sqlite:///:memory:")
    with first.unit_of_work() as uow:
        uow.code_tables.add(IndustryGroup(code="RETAIL"))
        uow.commit()
    path = Path(first.engine.url.database or "")

    with second.unit_of_work() as uow:
        assert not uow.code_tables.exists(IndustryGroup, "RETAIL")
    first.dispose()
    second.dispose()

    assert path.name == "crm.db"
    assert not path.parent.exists()


def test_threads_share_an_in_memory_database() -> None:
    database = open_database("sqlite://")
    with database.unit_of_work() as uow:
        uow.number_series.add(NumberSeries(code="CONT", starting_no="CT0001"))
        uow.commit()
    drawn: list[str] = []

    def draw() -> None:
        for _ in range(25):
            with database.unit_of_work() as uow:
                series = uow.number_series.get_for_update(NoSeriesCode("CONT"))
                drawn.append(series.draw(on=date(2026, 1, 5)))
                uow.number_series.update(series)
                uow.commit()

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    database.dispose()

    assert sorted(drawn) == [f"CT{n:04d}" for n in range(1, 101)]


@pytest.mark.parametrize(
    ("url", "options", "field"),
    [
        ("mysql://localhost/crm", {}, "url"),
        ("not a url", {}, "url"),
        ("sqlite://", {"schema": "crm"}, "schema"),
        ("sqlite:///crm.db", {"synchronous": "OFF"}, "synchronous"),
    ],
)
def test_unsupported_urls_and_settings_are_refused(
    url: str, options: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        open_database(url, **options)  # type: ignore[arg-type]

    assert info.value.field == field
