"""Schema migrations: alembic, configured in code, with the library's own version table.

The migration scripts ship in the package (``migrations/versions``). The revision a
database is at is kept in ``rm_alembic_version``, so a host application's own alembic
history (``alembic_version``) is never touched. No ``alembic.ini`` is needed.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, func, select

from relationship_mgmt.adapters.sql.engine import create_database_engine
from relationship_mgmt.adapters.sql.errors import translate_errors
from relationship_mgmt.errors import SchemaVersionError

__all__ = ["VERSION_TABLE", "alembic_config", "upgrade", "upgrade_connection"]

VERSION_TABLE = "rm_alembic_version"
"""The table holding the library's schema revision."""

_MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: concurrent upgrades of one PostgreSQL database take turns on it.
_UPGRADE_LOCK = 0x524D_5343  # "RMSC"


def alembic_config(connection: Connection) -> Config:
    """Return the alembic configuration of the library's migrations.

    Developers can pass it to alembic's commands, e.g. ``command.revision(config,
    autogenerate=True)`` to draft the next migration against a migrated database.

    Args:
        connection: The connection ``migrations/env.py`` runs on.
    """
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = VERSION_TABLE
    return config


def upgrade_connection(connection: Connection) -> None:
    """Upgrade the database behind ``connection`` to the newest revision.

    Runs inside the caller's transaction (SQLite's DDL is transactional too, so a
    failed upgrade leaves nothing behind); the caller commits.

    Raises:
        SchemaVersionError: The database is at a revision this library does not
            know (it was migrated by a newer version).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_UPGRADE_LOCK)))
    config = alembic_config(connection)
    known = {
        script.revision
        for script in ScriptDirectory.from_config(config).walk_revisions()
    }
    context = MigrationContext.configure(
        connection, opts={"version_table": VERSION_TABLE}
    )
    unknown = set(context.get_current_heads()) - known
    if unknown:
        raise SchemaVersionError(
            f"the database schema is at revision {', '.join(sorted(unknown))}, "
            "which this version of relationship_mgmt does not know; upgrade the library"
        )
    command.upgrade(config, "head")


def upgrade(engine_or_url: Engine | str | URL) -> None:
    """Upgrade a database to this library's schema version.

    Args:
        engine_or_url: An engine, or a URL as for
            :func:`~relationship_mgmt.adapters.sql.open_database` (not in-memory).

    Raises:
        SchemaVersionError: The database was migrated by a newer library version.
        StorageUnavailableError: The database cannot be reached.
        PersistenceError: The upgrade failed.
    """
    engine = (
        engine_or_url
        if isinstance(engine_or_url, Engine)
        else create_database_engine(engine_or_url)
    )
    try:
        with translate_errors(), engine.begin() as connection:
            upgrade_connection(connection)
    finally:
        if engine is not engine_or_url:
            engine.dispose()
