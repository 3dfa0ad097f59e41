"""Fixtures for the storage adapter tests, including the PostgreSQL gate.

PostgreSQL tests need ``RM_TEST_POSTGRES_URL`` (for example
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Without it they are skipped
with the reason printed, unless ``RM_REQUIRE_POSTGRES=1``, under which they fail.
Each test works in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.schema import CreateSchema, DropSchema

from relationship_mgmt.adapters.sql import SqlDatabase, open_database


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("RM_TEST_POSTGRES_URL", "")
    if url:
        return url
    reason = (
        "RM_TEST_POSTGRES_URL is not set, so the PostgreSQL tests cannot run "
        "(e.g. RM_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test)"
    )
    if os.environ.get("RM_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}; RM_REQUIRE_POSTGRES=1 requires them", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin(postgres_url: str) -> Iterator[sqlalchemy.Engine]:
    engine = sqlalchemy.create_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_schema(postgres_admin: sqlalchemy.Engine) -> Iterator[str]:
    """A fresh, empty schema, dropped with everything in it after the test."""
    name = f"rm_t_{secrets.token_hex(6)}"
    with postgres_admin.begin() as connection:
        connection.execute(CreateSchema(name))
    yield name
    with postgres_admin.begin() as connection:
        connection.execute(DropSchema(name, cascade=True))


@pytest.fixture
def postgres_database(postgres_url: str, postgres_schema: str) -> Iterator[SqlDatabase]:
    database = open_database(postgres_url, schema=postgres_schema)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "crm.db"


@pytest.fixture
def sqlite_database(sqlite_path: Path) -> Iterator[SqlDatabase]:
    database = open_database(f"sqlite:///{sqlite_path}")
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> SqlDatabase:
    """The library's database on SQLite (a file) and on PostgreSQL."""
    database: SqlDatabase = request.getfixturevalue(f"{request.param}_database")
    return database
