"""The exception tree of relationship_mgmt.

Every error the library raises on purpose derives from :class:`RelationshipMgmtError`.
Where a builtin fits, the class subclasses it too, so ``except ValueError`` or
``except LookupError`` keeps working for callers who do not know these types::

    RelationshipMgmtError                  root; every error raised on purpose
    ├── DomainError                        a business rule refused the operation
    │   ├── ValidationError(ValueError)    a value was rejected (.field, .value)
    │   │   ├── CodeTooLongError           a Code[n] longer than n (.max_length)
    │   │   ├── DateFormulaError           a bad date formula (.text, .position)
    │   │   └── InvalidNumberError         a number that cannot be incremented
    │   ├── CurrencyMismatchError(ValueError)  Money of two currencies combined
    │   ├── InvalidTransitionError         state machine; .current, .requested
    │   ├── InUseError                     a record others refer to (.kind, .key, .used_by)
    │   └── NumberSeriesError              a number series refused to give a number
    │       ├── NumberSeriesExhaustedError     past the ending no. (.series, .number)
    │       ├── ManualNumbersNotAllowedError   a typed number on a series without manual nos.
    │       └── NumberSeriesDateOrderError     a date before the last date used
    ├── NotFoundError(LookupError)         .kind and .key
    ├── ConcurrencyError                   version conflict; retry the use case
    │   └── AlreadyExistsError             inserting a key that is already stored
    ├── PersistenceError                   adapter failure; the driver error is __cause__
    │   ├── StorageUnavailableError        connection / operational problems
    │   │   └── TransientStorageError      busy, serialization failure, deadlock: retry
    │   ├── IntegrityViolationError        a constraint broken below the domain
    │   └── SchemaVersionError             the database schema is newer than the library
    ├── SerializationError(ValueError)     cattrs structuring failed
    ├── UnitOfWorkStateError(RuntimeError) a unit of work used outside its with block
    └── MissingOptionalDependencyError(ImportError)   an extra is not installed (.extra)

Errors carry structured attributes and build their message from them; tests and
callers should look at the attributes, not at the text.

>>> err = NotFoundError(kind="contact", key="CT000001")
>>> (err.kind, err.key, str(err))
('contact', 'CT000001', "contact 'CT000001' not found")
"""

from __future__ import annotations

__all__ = [
    "AlreadyExistsError",
    "CodeTooLongError",
    "ConcurrencyError",
    "CurrencyMismatchError",
    "DateFormulaError",
    "DomainError",
    "InUseError",
    "IntegrityViolationError",
    "InvalidNumberError",
    "InvalidTransitionError",
    "ManualNumbersNotAllowedError",
    "MissingOptionalDependencyError",
    "NotFoundError",
    "NumberSeriesDateOrderError",
    "NumberSeriesError",
    "NumberSeriesExhaustedError",
    "PersistenceError",
    "RelationshipMgmtError",
    "SchemaVersionError",
    "SerializationError",
    "StorageUnavailableError",
    "TransientStorageError",
    "UnitOfWorkStateError",
    "ValidationError",
]


class RelationshipMgmtError(Exception):
    """Root of every error the library raises on purpose.

    Errors pickle with their attributes, so they cross process boundaries
    (``multiprocessing`` workers) intact.
    """

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take keyword-like structured arguments, not their message, so
        # the default (cls(*args)) cannot rebuild them; restore the state instead.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(
    cls: type[RelationshipMgmtError], args: tuple[object, ...], state: dict[str, object]
) -> RelationshipMgmtError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class DomainError(RelationshipMgmtError):
    """A business rule refused the operation."""


class ValidationError(DomainError, ValueError):
    """A value was rejected.

    Attributes:
        field: The name of the field or parameter that was rejected.
        value: The offending value (``None`` where it would leak personal data).
        reason: Why it was rejected.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")


class CodeTooLongError(ValidationError):
    """A ``Code[n]`` value longer than ``n`` characters (spec §0)."""

    def __init__(self, field: str, value: str, max_length: int) -> None:
        self.max_length = max_length
        super().__init__(
            field,
            value,
            f"is {len(value)} characters long, at most {max_length} allowed",
        )


class DateFormulaError(ValidationError):
    """A date formula that does not follow the grammar of spec §10.1.

    Attributes:
        text: The formula as given.
        position: Zero-based index in ``text`` where the fault was found.
    """

    def __init__(self, text: str, position: int, reason: str) -> None:
        self.text = text
        self.position = position
        super().__init__("date_formula", text, f"{reason} at position {position}")


class InvalidNumberError(ValidationError):
    """A number (``No.``) that contains no digits to increment, or grows too long."""


class CurrencyMismatchError(DomainError, ValueError):
    """Two amounts in different currencies were combined or compared."""

    def __init__(self, left: str, right: str) -> None:
        self.left = left
        self.right = right
        super().__init__(f"cannot combine amounts in {left} and {right}")


class InvalidTransitionError(DomainError):
    """A state machine refused a move.

    Attributes:
        current: The state the object is in.
        requested: The state that was asked for.
    """

    def __init__(self, current: object, requested: object) -> None:
        self.current = current
        self.requested = requested
        super().__init__(f"cannot move from {current!s} to {requested!s}")


class InUseError(DomainError):
    """A record cannot be removed or changed because others refer to it.

    Attributes:
        kind: The kind of record.
        key: Its key.
        used_by: What refers to it (e.g. ``"setup.contact_nos"``).
    """

    def __init__(self, kind: str, key: object, used_by: str) -> None:
        self.kind = kind
        self.key = key
        self.used_by = used_by
        super().__init__(f"{kind} {key!r} is in use by {used_by}")


class NumberSeriesError(DomainError):
    """A number series refused to give or accept a number (spec §0, No. Series).

    Attributes:
        series: The code of the number series.
    """

    def __init__(self, series: str, message: str) -> None:
        self.series = series
        super().__init__(message)


class NumberSeriesExhaustedError(NumberSeriesError):
    """The next number would pass the series' ending number."""

    def __init__(self, series: str, number: str, ending_no: str) -> None:
        self.number = number
        self.ending_no = ending_no
        super().__init__(
            series,
            f"number series {series!r}: next number {number!r} is past the ending "
            f"no. {ending_no!r}",
        )


class ManualNumbersNotAllowedError(NumberSeriesError):
    """A number was typed by hand for a series whose ``manual_nos`` is off."""

    def __init__(self, series: str, number: str) -> None:
        self.number = number
        super().__init__(
            series,
            f"number series {series!r} does not allow manual numbers (got {number!r})",
        )


class NumberSeriesDateOrderError(NumberSeriesError):
    """A series with ``date_order`` was asked for a number on an earlier date."""

    def __init__(self, series: str, on: object, last_date_used: object) -> None:
        self.on = on
        self.last_date_used = last_date_used
        super().__init__(
            series,
            f"number series {series!r} keeps date order: {on!s} is before the last "
            f"date used {last_date_used!s}",
        )


class NotFoundError(RelationshipMgmtError, LookupError):
    """A record that does not exist was asked for.

    Attributes:
        kind: What was looked for (``"contact"``, ``"number series"`` ...).
        key: Its key, as given.
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class ConcurrencyError(RelationshipMgmtError):
    """Somebody else changed the record since it was read; re-read and retry.

    Attributes:
        kind: The kind of record.
        key: Its key.
        expected_version: The version the caller held, if known.
    """

    def __init__(
        self, kind: str, key: object, expected_version: int | None = None
    ) -> None:
        self.kind = kind
        self.key = key
        self.expected_version = expected_version
        held = "" if expected_version is None else f" (held version {expected_version})"
        super().__init__(f"{kind} {key!r} was changed by someone else{held}")


class AlreadyExistsError(ConcurrencyError):
    """A record was added under a key that is already stored."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(kind, key)
        self.args = (f"{kind} {key!r} already exists",)


class PersistenceError(RelationshipMgmtError):
    """The storage adapter failed; the driver's exception is ``__cause__``."""


class StorageUnavailableError(PersistenceError):
    """The storage could not be reached or refused to operate."""


class TransientStorageError(StorageUnavailableError):
    """A failure that is expected to go away: retry the whole unit of work.

    SQLite's "database is locked" and PostgreSQL's serialization failure (40001),
    deadlock (40P01) and lock-not-available (55P03) are translated to this.
    """


class IntegrityViolationError(PersistenceError):
    """A database constraint refused a write the domain let through."""


class SchemaVersionError(PersistenceError):
    """The database was migrated by a newer library version than this one."""


class SerializationError(RelationshipMgmtError, ValueError):
    """A document could not be turned into a library value (or back)."""


class UnitOfWorkStateError(RelationshipMgmtError, RuntimeError):
    """A unit of work was used outside its ``with`` block, or entered twice.

    This is a programming error in the caller, not a storage failure.
    """


class MissingOptionalDependencyError(RelationshipMgmtError, ImportError):
    """An optional extra is needed but not installed.

    Attributes:
        extra: The extra to install (``pip install "relationship-mgmt[extra]"``).
        feature: What needed it.
    """

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{feature} needs the {extra!r} extra: "
            f'pip install "relationship-mgmt[{extra}]"'
        )
