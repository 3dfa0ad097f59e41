"""Driver errors leave the adapter only as the library's PersistenceError family."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from sqlalchemy import exc

from relationship_mgmt.adapters.sql import SqlDatabase, open_database
from relationship_mgmt.adapters.sql.errors import translate
from relationship_mgmt.domain.codes import NoSeriesCode
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.setup import Salutation, SalutationFormula
from relationship_mgmt.errors import (
    IntegrityViolationError,
    PersistenceError,
    StorageUnavailableError,
    TransientStorageError,
)


def _sqlite_error(code: int, message: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_sqlite_error(5, "database is locked"), TransientStorageError),
        (_sqlite_error(517, "database is locked (snapshot)"), TransientStorageError),
        (_sqlite_error(6, "database table is locked"), TransientStorageError),
        (_sqlite_error(14, "unable to open database file"), StorageUnavailableError),
        (psycopg.errors.SerializationFailure(), TransientStorageError),
        (psycopg.errors.DeadlockDetected(), TransientStorageError),
        (psycopg.errors.LockNotAvailable(), TransientStorageError),
        (psycopg.OperationalError("connection refused"), StorageUnavailableError),
        (psycopg.errors.ForeignKeyViolation(), IntegrityViolationError),
        (psycopg.errors.UndefinedTable(), PersistenceError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_driver_errors_wrapped_by_sqlalchemy_are_translated(
    error: Exception, expected: type[PersistenceError]
) -> None:
    driver_base = sqlite3.Error if isinstance(error, sqlite3.Error) else psycopg.Error
    wrapped = exc.DBAPIError.instance("SELECT 1", None, error, driver_base)

    assert type(translate(wrapped)) is expected


def test_a_pool_timeout_means_the_storage_is_unavailable() -> None:
    assert (
        type(translate(exc.TimeoutError("pool exhausted"))) is StorageUnavailableError
    )


def test_a_refused_connection_is_storage_unavailable() -> None:
    with pytest.raises(StorageUnavailableError) as info:
        open_database("postgresql+psycopg://postgres@127.0.0.1:1/test")

    assert isinstance(info.value.__cause__, exc.OperationalError)


def test_a_file_that_cannot_be_opened_is_storage_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailableError):
        open_database(f"sqlite:///{tmp_path / 'missing' / 'crm.db'}")


def test_removing_a_salutation_with_formulas_violates_the_foreign_key(
    database: SqlDatabase,
) -> None:
    with database.unit_of_work() as uow:
        uow.code_tables.add(Salutation(code="M"))
        uow.code_tables.add(
            SalutationFormula(salutation_code="M", salutation="Dear %1")
        )
        uow.commit()

    with pytest.raises(IntegrityViolationError) as info, database.unit_of_work() as uow:
        uow.code_tables.remove(Salutation, "M")

    assert isinstance(info.value.__cause__, exc.IntegrityError)


def test_a_formula_of_an_unknown_salutation_violates_the_foreign_key(
    database: SqlDatabase,
) -> None:
    with pytest.raises(IntegrityViolationError) as info, database.unit_of_work() as uow:
        uow.code_tables.add(SalutationFormula(salutation_code="GHOST", salutation="x"))

    assert isinstance(info.value.__cause__, exc.IntegrityError)


@pytest.mark.postgres
def test_a_deadlock_on_postgres_is_a_transient_error(
    postgres_database: SqlDatabase,
) -> None:
    with postgres_database.unit_of_work() as uow:
        uow.number_series.add(NumberSeries(code="A", starting_no="A1"))
        uow.number_series.add(NumberSeries(code="B", starting_no="B1"))
        uow.commit()
    both_locked_one = threading.Barrier(2, timeout=10)
    failures: list[TransientStorageError] = []

    def lock(first: str, second: str) -> None:
        try:
            with postgres_database.unit_of_work() as uow:
                uow.number_series.get_for_update(NoSeriesCode(first))
                both_locked_one.wait()
                uow.number_series.get_for_update(NoSeriesCode(second))
                uow.commit()
        except TransientStorageError as error:
            failures.append(error)

    threads = [
        threading.Thread(target=lock, args=("A", "B")),
        threading.Thread(target=lock, args=("B", "A")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(failures) == 1
    cause = failures[0].__cause__
    assert isinstance(cause, exc.DBAPIError)
    assert isinstance(cause.orig, psycopg.errors.DeadlockDetected)


def test_a_file_that_is_not_a_database_is_a_persistence_error(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    path.write_bytes(b"this is not a SQLite database" * 100)

    with pytest.raises(PersistenceError) as info:
        open_database(f"sqlite:///{path}")

    assert isinstance(info.value.__cause__, exc.DatabaseError)
