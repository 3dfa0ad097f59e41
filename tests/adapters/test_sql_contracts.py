"""The adapter contract suites on SQLite (file and in-memory) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from relationship_mgmt.adapters.sql import SqlDatabase, open_database
from relationship_mgmt.ports import UnitOfWorkFactory
from relationship_mgmt.testing.contracts import AdapterContract


class TestSqliteFileAdapter(AdapterContract):
    @pytest.fixture
    def uow_factory(self, sqlite_database: SqlDatabase) -> UnitOfWorkFactory:
        return sqlite_database.unit_of_work


class TestSqliteMemoryAdapter(AdapterContract):
    @pytest.fixture
    def uow_factory(self) -> Iterator[UnitOfWorkFactory]:
        database = open_database("sqlite://")
        yield database.unit_of_work
        database.dispose()


@pytest.mark.postgres
class TestPostgresAdapter(AdapterContract):
    @pytest.fixture
    def uow_factory(self, postgres_database: SqlDatabase) -> UnitOfWorkFactory:
        return postgres_database.unit_of_work
