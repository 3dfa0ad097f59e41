"""Small converters the domain modules share."""

from __future__ import annotations

import enum
from typing import TypeVar

from relationship_mgmt.errors import ValidationError

__all__ = ["to_enum"]

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
