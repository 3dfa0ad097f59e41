"""The SQL storage adapter: SQLAlchemy Core on SQLite (embedded) and PostgreSQL.

Open a database with :func:`open_database`; it upgrades the schema to this library's
version and hands out units of work:

>>> from relationship_mgmt.domain.setup import IndustryGroup
>>> database = open_database("sqlite://")  # a throwaway database
>>> with database.unit_of_work() as uow:
...     uow.code_tables.add(IndustryGroup(code="retail", description="Retail"))
...     uow.commit()
>>> with database.unit_of_work() as uow:
...     [group.code for group in uow.code_tables.find_all(IndustryGroup)]
['RETAIL']
>>> database.dispose()

It needs the ``sql`` extra (SQLAlchemy, alembic), and PostgreSQL the ``postgres``
extra (psycopg 3); a missing one raises
:class:`~relationship_mgmt.errors.MissingOptionalDependencyError`.
"""

from relationship_mgmt.errors import MissingOptionalDependencyError

try:
    import alembic  # noqa: F401
    import sqlalchemy  # noqa: F401
except ImportError as error:
    raise MissingOptionalDependencyError("sql", "the SQL storage adapter") from error

from relationship_mgmt.adapters.sql.database import SqlDatabase, open_database
from relationship_mgmt.adapters.sql.migrate import upgrade
from relationship_mgmt.adapters.sql.unit_of_work import SqlUnitOfWork

__all__ = ["SqlDatabase", "SqlUnitOfWork", "open_database", "upgrade"]
