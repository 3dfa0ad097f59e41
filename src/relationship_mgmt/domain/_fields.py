"""Small converters the domain modules share."""

from __future__ import annotations

import enum
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email

from relationship_mgmt.errors import ValidationError

__all__ = ["normalise_emails", "to_enum"]

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
