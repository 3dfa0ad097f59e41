"""The schema: migrations, their own version table, and the pinned DDL."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.schema import CreateTable

import relationship_mgmt
from relationship_mgmt.adapters.sql import SqlDatabase, open_database, upgrade
from relationship_mgmt.adapters.sql.engine import create_database_engine
from relationship_mgmt.adapters.sql.migrate import VERSION_TABLE, alembic_config
from relationship_mgmt.adapters.sql.tables import metadata
from relationship_mgmt.domain.codes import Code, ContactNo
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.profiles import ProfileQuestionnaire
from relationship_mgmt.domain.setup import IndustryGroup, RelationshipSetup
from relationship_mgmt.errors import MissingOptionalDependencyError, SchemaVersionError

GOLDEN = Path(__file__).parents[1] / "golden"
HEAD = "0015"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, sqlite_path: Path) -> tuple[str, str | None]:
    """A database URL and PostgreSQL schema, not opened yet."""
    if request.param == "sqlite":
        return f"sqlite:///{sqlite_path}", None
    url: str = request.getfixturevalue("postgres_url")
    schema: str = request.getfixturevalue("postgres_schema")
    return url, schema


@pytest.fixture
def raw(target: tuple[str, str | None]) -> Iterator[sqlalchemy.Engine]:
    """An engine on the target that bypasses the library."""
    url, schema = target
    engine = create_database_engine(url, schema=schema)
    yield engine
    engine.dispose()


def _open(target: tuple[str, str | None]) -> SqlDatabase:
    url, schema = target
    return open_database(url, schema=schema)


VERSIONS = sqlalchemy.table(VERSION_TABLE, sqlalchemy.column("version_num"))


def _revision(engine: sqlalchemy.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(sqlalchemy.select(VERSIONS.c.version_num)))


def test_the_migrated_schema_matches_the_metadata(database: SqlDatabase) -> None:
    def ignore_version_table(name: str | None, type_: str, _: object) -> bool:
        return not (type_ == "table" and name == VERSION_TABLE)

    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": ignore_version_table, "compare_type": True},
        )
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_the_migrated_constraints_match_the_metadata(database: SqlDatabase) -> None:
    """What compare_metadata does not compare: CHECKs and ON DELETE actions.

    SQLite gives a CHECK's text back as written; PostgreSQL rewrites it, so there
    only the names are compared.
    """
    inspector = sqlalchemy.inspect(database.engine)
    verbatim = database.engine.dialect.name == "sqlite"
    for table in metadata.sorted_tables:
        checks = {
            c["name"]: c["sqltext"] if verbatim else None
            for c in inspector.get_check_constraints(table.name)
        }
        foreign = {
            (tuple(fk["constrained_columns"]), fk["options"].get("ondelete"))
            for fk in inspector.get_foreign_keys(table.name)
        }
        assert checks == {
            c.name: str(c.sqltext) if verbatim else None
            for c in table.constraints
            if isinstance(c, sqlalchemy.CheckConstraint)
        }, table.name
        assert foreign == {
            (tuple(fk.column_keys), fk.ondelete) for fk in table.foreign_key_constraints
        }, table.name


def test_a_database_at_0001_is_upgraded_and_can_go_back(
    target: tuple[str, str | None], raw: sqlalchemy.Engine
) -> None:
    with raw.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            sqlalchemy.text("INSERT INTO rm_industry_group VALUES ('RETAIL', 'Retail')")
        )
    assert _revision(raw) == ["0001"]

    database = _open(target)
    with database.unit_of_work() as uow:
        uow.profile_questionnaires.add(ProfileQuestionnaire(code="SIZE"))
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.code_tables.exists(IndustryGroup, "RETAIL")
        assert uow.profile_questionnaires.get(Code("SIZE")).version == 1
    database.dispose()
    assert _revision(raw) == [HEAD]

    with raw.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    assert _revision(raw) == ["0001"]
    assert not sqlalchemy.inspect(raw).has_table("rm_profile_questionnaire")


def test_a_database_at_0002_gets_the_contact_tables_and_can_go_back(
    target: tuple[str, str | None], raw: sqlalchemy.Engine
) -> None:
    with raw.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
    assert not sqlalchemy.inspect(raw).has_table("rm_contact")

    database = _open(target)
    with database.unit_of_work() as uow:
        uow.contacts.add(
            Contact.create_company(
                no="CT01",
                name="Cronus",
                now=datetime(2026, 3, 9, tzinfo=UTC),
                setup=RelationshipSetup(),
                mailing_groups={"NEWS"},
            )
        )
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.contacts.get(ContactNo("CT01")).mailing_groups == {"NEWS"}
    database.dispose()
    assert _revision(raw) == [HEAD]

    with raw.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    assert _revision(raw) == ["0002"]
    inspector = sqlalchemy.inspect(raw)
    assert not any(
        name.startswith("rm_contact") for name in inspector.get_table_names()
    )
    assert inspector.has_table("rm_profile_line")


def test_opening_again_keeps_the_schema_and_the_data(
    target: tuple[str, str | None], raw: sqlalchemy.Engine
) -> None:
    database = _open(target)
    with database.unit_of_work() as uow:
        uow.code_tables.add(IndustryGroup(code="RETAIL"))
        uow.commit()
    database.dispose()

    database = _open(target)
    upgrade(database.engine)
    with database.unit_of_work() as uow:
        assert uow.code_tables.exists(IndustryGroup, "RETAIL")
    database.dispose()

    assert _revision(raw) == [HEAD]


def test_the_library_leaves_the_hosts_alembic_history_alone(
    target: tuple[str, str | None], raw: sqlalchemy.Engine
) -> None:
    with raw.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE alembic_version (version_num TEXT)")
        connection.exec_driver_sql("INSERT INTO alembic_version VALUES ('host0042')")

    _open(target).dispose()

    with raw.connect() as connection:
        host = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        assert [row[0] for row in host] == ["host0042"]
    assert _revision(raw) == [HEAD]


def test_a_database_from_a_newer_library_is_refused(
    target: tuple[str, str | None], raw: sqlalchemy.Engine
) -> None:
    _open(target).dispose()
    with raw.begin() as connection:
        connection.execute(VERSIONS.update().values(version_num="9999"))

    with pytest.raises(SchemaVersionError, match="9999"):
        _open(target)

    assert _revision(raw) == ["9999"]


def test_upgrade_takes_a_url(sqlite_path: Path) -> None:
    url = f"sqlite:///{sqlite_path}"

    upgrade(url)

    engine = create_database_engine(url)
    assert _revision(engine) == [HEAD]
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "golden"),
    [
        ("sqlite://", "schema_sqlite.sql"),
        ("postgresql+psycopg://", "schema_postgresql.sql"),
    ],
    ids=["sqlite", "postgresql"],
)
def test_the_ddl_is_pinned(url: str, golden: str) -> None:
    dialect = sqlalchemy.create_engine(url).dialect
    statements = [
        str(CreateTable(table).compile(dialect=dialect)).strip()
        for table in metadata.sorted_tables
    ]
    ddl = "".join(
        "\n".join(line.rstrip() for line in statement.splitlines()) + ";\n\n"
        for statement in statements
    )
    path = GOLDEN / golden
    if os.environ.get("RM_UPDATE_GOLDEN") == "1":
        path.write_text(ddl, encoding="utf-8")

    assert ddl == path.read_text(encoding="utf-8")


def test_without_sqlalchemy_the_adapter_names_the_sql_extra() -> None:
    script = (
        "import sys\n"
        "sys.modules['sqlalchemy'] = None\n"
        "from relationship_mgmt.errors import MissingOptionalDependencyError\n"
        "try:\n"
        "    import relationship_mgmt.adapters.sql\n"
        "except MissingOptionalDependencyError as error:\n"
        "    print(error.extra)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )

    assert result.stdout.strip() == "sql"


def test_without_psycopg_a_postgres_url_names_the_postgres_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)

    with pytest.raises(MissingOptionalDependencyError) as info:
        open_database("postgresql+psycopg://postgres@127.0.0.1/test")

    assert info.value.extra == "postgres"


def test_only_the_sql_adapter_imports_database_libraries() -> None:
    package = Path(relationship_mgmt.__file__).parent
    adapter = package / "adapters" / "sql"
    offenders = []
    for module in package.rglob("*.py"):
        if module.is_relative_to(adapter):
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(
                n.split(".")[0] in {"sqlalchemy", "alembic", "psycopg"} for n in names
            ):
                offenders.append(str(module.relative_to(package)))

    assert offenders == []
