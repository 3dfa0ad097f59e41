"""Translation of driver and SQLAlchemy exceptions into the library's errors.

Every database call of the adapter runs inside :func:`translate_errors`, so no
``sqlite3``, ``psycopg`` or ``sqlalchemy`` exception leaves the adapter: SQLAlchemy
wraps the drivers' exceptions, and each of its own is re-raised as a
:class:`~relationship_mgmt.errors.PersistenceError` subclass with the original as
``__cause__``.

>>> import sqlite3
>>> from sqlalchemy.exc import OperationalError
>>> locked = sqlite3.OperationalError("database is locked")
>>> locked.sqlite_errorcode = 5  # SQLITE_BUSY
>>> type(translate(OperationalError("BEGIN IMMEDIATE", None, locked))).__name__
'TransientStorageError'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from relationship_mgmt.errors import (
    IntegrityViolationError,
    PersistenceError,
    StorageUnavailableError,
    TransientStorageError,
)

__all__ = ["translate", "translate_errors"]

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_PRIMARY_CODE = 0xFF  # extended result codes keep the primary code in the low byte
# Serialization failure, deadlock detected, lock not available.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def _is_transient(driver_error: BaseException) -> bool:
    code = getattr(driver_error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & _PRIMARY_CODE in {_SQLITE_BUSY, _SQLITE_LOCKED}
    return getattr(driver_error, "sqlstate", None) in _TRANSIENT_SQLSTATES


def translate(error: SQLAlchemyError) -> PersistenceError:
    """Return the library error for a SQLAlchemy error (which may wrap a driver's).

    Args:
        error: What SQLAlchemy raised.

    Returns:
        :class:`TransientStorageError` for SQLite's busy/locked and PostgreSQL's
        SQLSTATE 40001, 40P01 and 55P03; :class:`IntegrityViolationError` for a
        broken constraint; :class:`StorageUnavailableError` for connection and
        other operational problems; :class:`PersistenceError` for anything else.
    """
    driver_error = error.orig if isinstance(error, DBAPIError) else None
    message = str(error)
    if driver_error is not None and _is_transient(driver_error):
        return TransientStorageError(message)
    if isinstance(error, IntegrityError):
        return IntegrityViolationError(message)
    if isinstance(
        error,
        OperationalError | InterfaceError | DisconnectionError | PoolTimeoutError,
    ) or (isinstance(error, DBAPIError) and error.connection_invalidated):
        return StorageUnavailableError(message)
    return PersistenceError(message)


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise SQLAlchemy's errors as the library's errors, ``from`` the original."""
    try:
        yield
    except SQLAlchemyError as error:
        raise translate(error) from error
