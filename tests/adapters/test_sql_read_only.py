"""Read-only units of work of the SQL adapter: look-ups without a transaction or lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from relationship_mgmt.adapters.sql import SqlDatabase
from relationship_mgmt.domain.setup import IndustryGroup
from relationship_mgmt.errors import UnitOfWorkStateError


def test_a_read_only_unit_of_work_reads_what_is_committed(
    database: SqlDatabase,
) -> None:
    with database.unit_of_work() as uow:
        uow.code_tables.add(IndustryGroup(code="RETAIL"))
        uow.commit()

    with database.unit_of_work(read_only=True) as reader:
        assert reader.code_tables.exists(IndustryGroup, "RETAIL")
        with database.unit_of_work() as writer:  # the reader holds no lock
            writer.code_tables.add(IndustryGroup(code="AUTO"))
            writer.commit()
        assert reader.code_tables.exists(IndustryGroup, "AUTO") is (
            database.engine.dialect.name == "postgresql"  # SQLite: one snapshot
        )


def test_a_read_only_unit_of_work_refuses_writes_and_commits(
    database: SqlDatabase,
) -> None:
    with database.unit_of_work(read_only=True) as reader:
        with pytest.raises(UnitOfWorkStateError, match="read-only"):
            reader.code_tables.add(IndustryGroup(code="RETAIL"))
        with pytest.raises(UnitOfWorkStateError, match="read-only"):
            reader.commit()
        reader.rollback()

    with database.unit_of_work() as uow:
        assert uow.code_tables.find_all(IndustryGroup) == []


def test_a_read_only_unit_of_work_takes_no_write_lock_on_sqlite(
    sqlite_path: Path, sqlite_database: SqlDatabase
) -> None:
    other = sqlite3.connect(sqlite_path, timeout=0, isolation_level=None)

    with sqlite_database.unit_of_work(read_only=True) as reader:
        reader.setup.get()
        other.execute("BEGIN IMMEDIATE")  # not locked out
        other.execute("ROLLBACK")
    other.close()


def test_a_read_only_unit_of_work_is_used_inside_its_block_only(
    database: SqlDatabase,
) -> None:
    uow = database.unit_of_work(read_only=True)
    with pytest.raises(UnitOfWorkStateError):
        uow.setup.get()
    with uow:
        pass
    with pytest.raises(UnitOfWorkStateError):
        uow.setup.get()
