"""Opening a database: settings, schema upgrade, and the unit-of-work factory."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Literal

from sqlalchemy import URL, Engine

from relationship_mgmt.adapters.sql.engine import (
    create_database_engine,
    is_sqlite_memory,
    parse_url,
    sqlite_engine,
)
from relationship_mgmt.adapters.sql.errors import translate_errors
from relationship_mgmt.adapters.sql.migrate import upgrade_connection
from relationship_mgmt.adapters.sql.unit_of_work import SqlUnitOfWork
from relationship_mgmt.errors import ValidationError

__all__ = ["SqlDatabase", "open_database"]


class SqlDatabase:
    """A SQL database at this library's schema version, and its units of work.

    Make one with :func:`open_database`, pass :meth:`unit_of_work` wherever a
    :data:`~relationship_mgmt.ports.UnitOfWorkFactory` is wanted, and call
    :meth:`dispose` when done.

    >>> database = open_database("sqlite://")
    >>> with database.unit_of_work() as uow:
    ...     uow.number_series.find_all()
    []
    >>> database.dispose()

    Attributes:
        engine: The SQLAlchemy engine, for hosts that reach the database directly
            (backups, their own tables).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        temporary: tempfile.TemporaryDirectory[str] | None = None,
    ) -> None:
        self.engine = engine
        self._temporary = temporary
        self._nesting = threading.local()

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """Return a new unit of work on this database.

        Args:
            read_only: A unit of work for look-ups only: no transaction (each
                statement reads what is committed when it runs, as in a READ
                COMMITTED transaction), no lock, two round trips fewer; a write
                or :meth:`~SqlUnitOfWork.commit` raises
                :class:`~relationship_mgmt.errors.UnitOfWorkStateError`.
        """
        return SqlUnitOfWork(self.engine, self._nesting, read_only=read_only)

    def dispose(self) -> None:
        """Close the pooled connections; delete the database if it is temporary."""
        self.engine.dispose()
        if self._temporary is not None:
            self._temporary.cleanup()


def open_database(
    url: str | URL,
    *,
    synchronous: Literal["FULL", "NORMAL"] = "FULL",
    busy_timeout_s: float = 30.0,
    schema: str | None = None,
) -> SqlDatabase:
    """Open a SQL database and upgrade its schema to this library's version.

    ``sqlite://`` (or ``sqlite:///:memory:``) opens a private temporary database
    file that :meth:`SqlDatabase.dispose` deletes, not a SQLite in-memory database:
    those cannot show one connection the committed state while another connection
    is writing, and concurrent units of work need exactly that.

    Args:
        url: ``sqlite:///path/to/file.db``, ``sqlite://`` or
            ``postgresql+psycopg://user@host/dbname`` (``postgresql://`` means
            psycopg 3 too).
        synchronous: SQLite's ``PRAGMA synchronous``: ``FULL`` keeps every commit
            through a power loss, ``NORMAL`` only through a crash of the process
            (a temporary database uses ``OFF``).
        busy_timeout_s: How long a SQLite unit of work waits for the write lock
            before it fails with :class:`~relationship_mgmt.errors.TransientStorageError`.
        schema: The PostgreSQL schema for the library's tables and version table
            (it must exist); ``None`` follows the server's ``search_path``.

    Returns:
        The opened database.

    Raises:
        ValidationError: An unsupported URL or setting.
        MissingOptionalDependencyError: A PostgreSQL URL without psycopg installed.
        SchemaVersionError: The database was migrated by a newer library version.
        StorageUnavailableError: The database cannot be reached.
        PersistenceError: The upgrade failed.
    """
    parsed = parse_url(url)
    if not is_sqlite_memory(parsed):
        engine = create_database_engine(
            parsed,
            synchronous=synchronous,
            busy_timeout_s=busy_timeout_s,
            schema=schema,
        )
        return _upgraded(SqlDatabase(engine))
    if schema is not None:
        raise ValidationError("schema", schema, "only PostgreSQL has schemas")
    temporary = tempfile.TemporaryDirectory(prefix="relationship_mgmt-")
    engine = sqlite_engine(
        parsed.set(database=str(Path(temporary.name) / "crm.db")),
        synchronous="OFF",  # nothing to keep through a crash or a power loss
        busy_timeout_s=busy_timeout_s,
    )
    return _upgraded(SqlDatabase(engine, temporary=temporary))


def _upgraded(database: SqlDatabase) -> SqlDatabase:
    try:
        with translate_errors(), database.engine.begin() as connection:
            upgrade_connection(connection)
    except BaseException:
        database.dispose()
        raise
    return database
