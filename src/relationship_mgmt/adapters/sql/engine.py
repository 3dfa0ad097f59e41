"""Engines with the library's connection settings.

SQLite gets these settings on every connection: WAL journal (file databases),
``foreign_keys=ON``, a busy timeout and ``synchronous=FULL`` (or ``NORMAL``), plus
SQLAlchemy's documented recipe for real transactions with pysqlite: pysqlite's own
``BEGIN`` handling is switched off and the engine emits ``BEGIN IMMEDIATE`` itself, so
a unit of work holds the write lock from its first statement. PostgreSQL goes through
psycopg 3 in READ COMMITTED, optionally inside one schema (``search_path``).

Statement parameters are left out of error messages (``hide_parameters``): they may
hold personal data.
"""

from __future__ import annotations

import importlib
import re
import sqlite3

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from relationship_mgmt.errors import MissingOptionalDependencyError, ValidationError

__all__ = [
    "SQLITE_BEGIN_OPTION",
    "create_database_engine",
    "is_sqlite_memory",
    "parse_url",
    "sqlite_engine",
]

SQLITE_BEGIN_OPTION = "relationship_mgmt_sqlite_begin"
"""Connection execution option: the ``BEGIN`` a SQLite transaction starts with."""

_SYNCHRONOUS = frozenset({"FULL", "NORMAL"})
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SUPPORTED = frozenset({"sqlite", "sqlite+pysqlite", "postgresql+psycopg"})


def parse_url(url: str | URL) -> URL:
    """Parse a database URL; ``postgresql://`` means psycopg 3.

    Raises:
        ValidationError: Not a URL, or a database or driver the library does not
            support.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ValidationError("url", None, "is not a database URL") from error
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in _SUPPORTED:
        raise ValidationError(
            "url",
            parsed.drivername,
            "is not supported: use sqlite:///path or postgresql+psycopg://...",
        )
    return parsed


def is_sqlite_memory(url: URL) -> bool:
    """Return whether ``url`` names an in-memory SQLite database."""
    return url.get_backend_name() == "sqlite" and url.database in {None, "", ":memory:"}


_SqlValue = str | bytes | int | float | None


def _upper(value: _SqlValue) -> _SqlValue:
    return value.upper() if isinstance(value, str) else value


def sqlite_engine(url: URL, *, synchronous: str, busy_timeout_s: float) -> Engine:
    """Create a SQLite engine on a database file with the library's settings.

    Args:
        url: A ``sqlite:///path`` URL.
        synchronous: ``PRAGMA synchronous`` (``FULL``, ``NORMAL`` or, for a
            throwaway database, ``OFF``).
        busy_timeout_s: How long a connection waits for a lock.
    """
    busy_timeout_ms = round(busy_timeout_s * 1000)
    engine = create_engine(url, hide_parameters=True)

    def on_connect(
        dbapi_connection: sqlite3.Connection, _: ConnectionPoolEntry
    ) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms:d}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
        # SQLite's upper() folds ASCII letters only; Python's folds every letter,
        # as the in-memory adapter does (case-insensitive contact search).
        dbapi_connection.create_function("upper", 1, _upper, deterministic=True)

    def on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        connection.exec_driver_sql(options.get(SQLITE_BEGIN_OPTION, "BEGIN IMMEDIATE"))

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


def _postgres_engine(url: URL, *, schema: str | None) -> Engine:
    try:
        importlib.import_module("psycopg")
    except ImportError as error:
        raise MissingOptionalDependencyError(
            "postgres", "the PostgreSQL storage adapter"
        ) from error
    connect_args: dict[str, str] = {}
    if schema is not None:
        if not _SCHEMA_NAME.fullmatch(schema):
            raise ValidationError("schema", schema, "must be a plain SQL identifier")
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url,
        isolation_level="READ COMMITTED",
        hide_parameters=True,
        connect_args=connect_args,
    )


def create_database_engine(
    url: str | URL,
    *,
    synchronous: str = "FULL",
    busy_timeout_s: float = 30.0,
    schema: str | None = None,
) -> Engine:
    """Create an engine with the library's connection settings (no schema upgrade).

    Args:
        url: ``sqlite:///path/to/file.db`` or ``postgresql+psycopg://...``.
        synchronous: SQLite's ``PRAGMA synchronous``: ``FULL`` or ``NORMAL``.
        busy_timeout_s: How long a SQLite unit of work waits for the write lock.
        schema: The PostgreSQL schema to work in (it must exist).

    Returns:
        The engine.

    Raises:
        ValidationError: An unsupported URL or setting, or an in-memory SQLite URL
            (use :func:`~relationship_mgmt.adapters.sql.open_database` for those).
        MissingOptionalDependencyError: A PostgreSQL URL without psycopg installed.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _postgres_engine(parsed, schema=schema)
    if synchronous not in _SYNCHRONOUS:
        raise ValidationError("synchronous", synchronous, "must be FULL or NORMAL")
    if schema is not None:
        raise ValidationError("schema", schema, "only PostgreSQL has schemas")
    if is_sqlite_memory(parsed):
        raise ValidationError("url", parsed.database, "names an in-memory database")
    return sqlite_engine(parsed, synchronous=synchronous, busy_timeout_s=busy_timeout_s)
