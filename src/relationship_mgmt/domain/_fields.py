"""Small converters the domain modules share."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

import attrs
from email_validator import EmailNotValidError, validate_email

from relationship_mgmt.domain.codes import Code, make_optional_code
from relationship_mgmt.errors import ValidationError

__all__ = [
    "NORMAL",
    "PERSONAL",
    "check_field_names",
    "check_text",
    "normalise_emails",
    "optional_code",
    "personal_text",
    "plain_text",
    "text_validator",
    "to_enum",
]

PERSONAL: Final = {"classification": "personal"}
"""Field metadata of personal data: kept out of ``repr`` and of error values."""
NORMAL: Final = {"classification": "normal"}
"""Field metadata of everything else."""

_E = TypeVar("_E", bound=enum.Enum)


def to_enum(kind: type[_E], name: str, value: object) -> _E:
    """Return ``value`` as a member of ``kind``, refusing unknown values.

    Raises:
        ValidationError: ``value`` is not a value of ``kind``; the message lists the
            allowed values.

    >>> import enum
    >>> class Colour(enum.StrEnum):
    ...     RED = "Red"
    >>> to_enum(Colour, "colour", "Red")
    <Colour.RED: 'Red'>
    """
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in kind)
        raise ValidationError(name, value, f"must be one of {allowed}") from None


def normalise_emails(name: str, value: object) -> str:
    """Syntax-check and normalise an e-mail address or a ``;`` list of them (§2.16).

    Contacts (§2.16) and salespeople (§8) share the rule. The value is left out of
    the error, as e-mail addresses are personal.

    Raises:
        ValidationError: Not a string, or an address that is not valid.

    >>> normalise_emails("email", " Ann@Example.COM ; bob@example.com")
    'Ann@example.com;bob@example.com'
    """
    if not isinstance(value, str):
        raise ValidationError(name, None, "must be a string")
    normalised: list[str] = []
    for part in value.split(";"):
        address = part.strip()
        if not address:
            continue
        try:
            normalised.append(
                validate_email(address, check_deliverability=False).normalized
            )
        except EmailNotValidError as error:
            raise ValidationError(
                name, None, f"is not a valid e-mail address ({error})"
            ) from None
    return ";".join(normalised)


def check_text(name: str, value: object, length: int, *, personal: bool) -> str:
    """Check a BC ``Text[length]``; personal values are not echoed in the error.

    Raises:
        ValidationError: Not a string, or longer than ``length``.

    >>> check_text("city", "Leeds", 30, personal=False)
    'Leeds'
    """
    shown = None if personal else value
    if not isinstance(value, str):
        raise ValidationError(name, shown, "must be a string")
    if len(value) > length:
        raise ValidationError(name, shown, f"is longer than {length} characters")
    return value


def text_validator(
    length: int, *, personal: bool, no_letters: bool = False
) -> Callable[[object, attrs.Attribute[str], object], None]:
    """An attrs validator for a ``Text[length]`` field (``no_letters``: §2.16)."""

    def check(_: object, attribute: attrs.Attribute[str], value: object) -> None:
        text = check_text(attribute.name, value, length, personal=personal)
        if no_letters and any(char.isalpha() for char in text):
            # §2.16: BC's "must not contain letters".
            raise ValidationError(attribute.name, None, "must not contain letters")

    return check


def personal_text(length: int, *, no_letters: bool = False) -> Any:  # noqa: ANN401
    """A personal ``Text[length]`` field: validated, classified, kept out of repr."""
    return attrs.field(
        default="",
        validator=text_validator(length, personal=True, no_letters=no_letters),
        repr=False,
        metadata=PERSONAL,
    )


def plain_text(length: int) -> Any:  # noqa: ANN401 - an attrs field definition
    """A non-personal ``Text[length]`` field."""
    return attrs.field(
        default="", validator=text_validator(length, personal=False), metadata=NORMAL
    )


def optional_code(length: int, name: str) -> Callable[[object], Code | None]:
    """A converter to an optional ``Code[length]`` (blank: ``None``)."""

    def convert(value: object) -> Code | None:
        if value is not None and not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        return make_optional_code(value, max_length=length, field=name)

    return convert


def check_field_names(kind: type, names: Iterable[str]) -> None:
    """Refuse keyword arguments that are not init fields of the attrs class ``kind``.

    Services pass callers' ``**fields`` on to a domain class; this turns an unknown
    name into the library's error instead of a ``TypeError``.

    Raises:
        ValidationError: Unknown names (listed in ``value``).

    >>> import attrs
    >>> @attrs.define
    ... class Point:
    ...     x: int = 0
    >>> check_field_names(Point, ["x", "z"])
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: fields: unknown field (got ['z'])
    """
    allowed = {a.name for a in attrs.fields(kind) if a.init}
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise ValidationError("fields", unknown, "unknown field")
