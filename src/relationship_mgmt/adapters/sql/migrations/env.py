"""Alembic environment of relationship_mgmt's migrations.

The library runs it through :func:`relationship_mgmt.adapters.sql.migrate.upgrade`,
which passes an open connection and the version table in ``config.attributes``.
"""

from alembic import context

from relationship_mgmt.adapters.sql.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run relationship_mgmt's migrations through "
        "relationship_mgmt.adapters.sql.migrate (they need an open connection)"
    )
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=context.config.attributes["version_table"],
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
