"""The exception tree (house style B12)."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from relationship_mgmt import errors
from relationship_mgmt.errors import (
    AlreadyExistsError,
    CodeTooLongError,
    ConcurrencyError,
    CurrencyMismatchError,
    DateFormulaError,
    DeliveryError,
    DomainError,
    IntegrityViolationError,
    InUseError,
    InvalidNumberError,
    InvalidTransitionError,
    ManualNumbersNotAllowedError,
    MissingOptionalDependencyError,
    NotFoundError,
    NumberSeriesDateOrderError,
    NumberSeriesError,
    NumberSeriesExhaustedError,
    PersistenceError,
    RelationshipMgmtError,
    SchemaVersionError,
    SerializationError,
    StorageUnavailableError,
    TemplateError,
    TemplateLimitError,
    TemplateSecurityError,
    TransientStorageError,
    ValidationError,
)


def test_all_is_sorted_and_names_every_error_class() -> None:
    classes = {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, BaseException)
    }

    assert errors.__all__ == sorted(errors.__all__)
    assert set(errors.__all__) == classes


@pytest.mark.parametrize("name", errors.__all__)
def test_every_error_derives_from_the_root(name: str) -> None:
    error_class = getattr(errors, name)

    assert issubclass(error_class, RelationshipMgmtError)
    assert issubclass(error_class, Exception)


@pytest.mark.parametrize(
    ("error_class", "parent"),
    [
        (DomainError, RelationshipMgmtError),
        (ValidationError, DomainError),
        (CodeTooLongError, ValidationError),
        (DateFormulaError, ValidationError),
        (InvalidNumberError, ValidationError),
        (CurrencyMismatchError, DomainError),
        (InvalidTransitionError, DomainError),
        (InUseError, DomainError),
        (NumberSeriesError, DomainError),
        (NumberSeriesExhaustedError, NumberSeriesError),
        (ManualNumbersNotAllowedError, NumberSeriesError),
        (NumberSeriesDateOrderError, NumberSeriesError),
        (NotFoundError, RelationshipMgmtError),
        (ConcurrencyError, RelationshipMgmtError),
        (AlreadyExistsError, ConcurrencyError),
        (PersistenceError, RelationshipMgmtError),
        (StorageUnavailableError, PersistenceError),
        (TransientStorageError, StorageUnavailableError),
        (IntegrityViolationError, PersistenceError),
        (SchemaVersionError, PersistenceError),
        (SerializationError, RelationshipMgmtError),
        (MissingOptionalDependencyError, RelationshipMgmtError),
        (TemplateError, DomainError),
        (TemplateSecurityError, TemplateError),
        (TemplateLimitError, TemplateError),
        (DeliveryError, RelationshipMgmtError),
    ],
)
def test_the_tree_matches_the_module_docstring(
    error_class: type[Exception], parent: type[Exception]
) -> None:
    assert issubclass(error_class, parent)
    assert error_class.__name__ in (errors.__doc__ or "")


@pytest.mark.parametrize(
    ("error_class", "builtin"),
    [
        (ValidationError, ValueError),
        (CodeTooLongError, ValueError),
        (DateFormulaError, ValueError),
        (InvalidNumberError, ValueError),
        (CurrencyMismatchError, ValueError),
        (SerializationError, ValueError),
        (NotFoundError, LookupError),
        (MissingOptionalDependencyError, ImportError),
        (TemplateError, ValueError),
        (TemplateLimitError, ValueError),
    ],
)
def test_errors_subclass_the_builtin_that_fits(
    error_class: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(error_class, builtin)


@pytest.mark.parametrize(
    "error_class",
    [DomainError, ConcurrencyError, PersistenceError, NumberSeriesError],
)
def test_errors_without_a_fitting_builtin_are_not_value_errors(
    error_class: type[Exception],
) -> None:
    assert not issubclass(error_class, ValueError | LookupError)


def test_validation_error_attributes() -> None:
    error = ValidationError("search_hit_pct", 0, "must be from 1 to 100")

    assert (error.field, error.value, error.reason) == (
        "search_hit_pct",
        0,
        "must be from 1 to 100",
    )
    assert "search_hit_pct" in str(error)


def test_code_too_long_error_attributes() -> None:
    error = CodeTooLongError("code", "ABCDEFGHIJK", 10)

    assert (error.field, error.value, error.max_length) == ("code", "ABCDEFGHIJK", 10)
    assert "11" in error.reason


def test_date_formula_error_attributes() -> None:
    error = DateFormulaError("1X", 1, "unknown unit")

    assert (error.text, error.position) == ("1X", 1)
    assert (error.field, error.value) == ("date_formula", "1X")
    assert "unknown unit" in error.reason


def test_invalid_number_error_is_a_validation_error_with_its_attributes() -> None:
    error = InvalidNumberError("number", "CONT", "contains no digits to increment")

    assert (error.field, error.value) == ("number", "CONT")


def test_currency_mismatch_error_attributes() -> None:
    error = CurrencyMismatchError("EUR", "USD")

    assert (error.left, error.right) == ("EUR", "USD")


def test_invalid_transition_error_attributes() -> None:
    error = InvalidTransitionError("Won", "In Progress")

    assert (error.current, error.requested) == ("Won", "In Progress")


def test_in_use_error_attributes() -> None:
    error = InUseError("number series", "CONT", "setup.contact_nos")

    assert (error.kind, error.key, error.used_by) == (
        "number series",
        "CONT",
        "setup.contact_nos",
    )


def test_number_series_error_attributes() -> None:
    error = NumberSeriesError("CONT", "no numbers left")

    assert error.series == "CONT"
    assert str(error) == "no numbers left"


def test_number_series_exhausted_error_attributes() -> None:
    error = NumberSeriesExhaustedError("CONT", "CT000101", "CT000100")

    assert (error.series, error.number, error.ending_no) == (
        "CONT",
        "CT000101",
        "CT000100",
    )


def test_manual_numbers_not_allowed_error_attributes() -> None:
    error = ManualNumbersNotAllowedError("CONT", "CT9")

    assert (error.series, error.number) == ("CONT", "CT9")


def test_number_series_date_order_error_attributes() -> None:
    error = NumberSeriesDateOrderError("CONT", date(2026, 1, 5), date(2026, 1, 6))

    assert (error.series, error.on, error.last_date_used) == (
        "CONT",
        date(2026, 1, 5),
        date(2026, 1, 6),
    )


def test_not_found_error_attributes() -> None:
    error = NotFoundError("contact", "CT000001")

    assert (error.kind, error.key) == ("contact", "CT000001")
    assert isinstance(error, LookupError)


@pytest.mark.parametrize("expected_version", [None, 3])
def test_concurrency_error_attributes(expected_version: int | None) -> None:
    error = ConcurrencyError("contact", "CT000001", expected_version)

    assert (error.kind, error.key, error.expected_version) == (
        "contact",
        "CT000001",
        expected_version,
    )
    assert ("3" in str(error)) is (expected_version is not None)


def test_already_exists_error_is_a_concurrency_error() -> None:
    error = AlreadyExistsError("contact", "CT000001")

    assert isinstance(error, ConcurrencyError)
    assert (error.kind, error.key, error.expected_version) == (
        "contact",
        "CT000001",
        None,
    )
    assert "already exists" in str(error)


def _translate(driver_error: OSError) -> None:
    try:
        raise driver_error
    except OSError as error:
        raise TransientStorageError from error


def test_persistence_errors_keep_the_driver_error_as_cause() -> None:
    driver_error = OSError("database is locked")

    with pytest.raises(TransientStorageError) as info:
        _translate(driver_error)

    assert info.value.__cause__ is driver_error
    assert isinstance(info.value, PersistenceError)


def test_missing_optional_dependency_error_names_the_pip_extra() -> None:
    error = MissingOptionalDependencyError("postgres", "open_postgres()")

    assert (error.extra, error.feature) == ("postgres", "open_postgres()")
    assert 'pip install "relationship-mgmt[postgres]"' in str(error)
    assert isinstance(error, ImportError)


def test_library_errors_are_caught_by_the_root() -> None:
    with pytest.raises(RelationshipMgmtError):
        raise NumberSeriesExhaustedError("CONT", "CT2", "CT1")


def test_every_error_pickles_with_its_attributes() -> None:
    import pickle

    from relationship_mgmt import errors

    samples = [
        errors.ValidationError("f", 1, "bad"),
        errors.NotFoundError("contact", "CT1"),
        errors.ConcurrencyError("contact", "CT1", 3),
        errors.AlreadyExistsError("contact", "CT1"),
        errors.NumberSeriesExhaustedError("CONT", "CT10", "CT9"),
        errors.MissingOptionalDependencyError("sql", "x"),
        errors.DateFormulaError("1X", 1, "unknown unit"),
        errors.TemplateError("attachment 3", "unknown merge field contact.x", 2),
        errors.TemplateLimitError("attachment 3", "time", "took too long"),
        errors.DeliveryError(12, "mailbox full"),
    ]
    for error in samples:
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert copy.__dict__ == error.__dict__


def test_template_error_attributes() -> None:
    """§4.9 mail merge: the template, the reason and the line, where known."""
    error = TemplateError("attachment 3 (news.txt)", "unknown merge field contact.x", 2)
    limit = TemplateLimitError("subject", "output size", "renders more than 10 bytes")

    assert (error.template, error.reason, error.line) == (
        "attachment 3 (news.txt)",
        "unknown merge field contact.x",
        2,
    )
    assert (
        str(error) == "attachment 3 (news.txt) (line 2): unknown merge field contact.x"
    )
    assert (limit.limit, limit.line) == ("output size", None)
    assert isinstance(TemplateSecurityError("t", "unsafe"), ValueError)


def test_delivery_error_attributes() -> None:
    error = DeliveryError(12, "mailbox full")

    assert (error.entry_no, error.reason) == (12, "mailbox full")
    assert not isinstance(error, DomainError)
