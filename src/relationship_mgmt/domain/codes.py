"""BC ``Code[n]`` values and the key types (spec §0).

A ``Code[n]`` in Business Central is a key string of at most ``n`` characters, stored
upper-case and trimmed. :func:`make_code` applies exactly that and refuses what does not
fit with a :class:`~relationship_mgmt.errors.CodeTooLongError`, so a code that exists is
valid.

Key types are :class:`typing.NewType` s over ``str``: they cost nothing at run time and
let mypy catch a ``ContactNo`` passed where an ``OpportunityNo`` is expected.

>>> make_code("  retail ")
'RETAIL'
>>> make_code("a-very-long-code", max_length=10)
Traceback (most recent call last):
...
relationship_mgmt.errors.CodeTooLongError: code: is 16 characters long, at most 10 allowed (got 'A-VERY-LONG-CODE')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NewType

from relationship_mgmt.errors import CodeTooLongError, ValidationError

__all__ = [
    "CODE10",
    "CODE20",
    "CampaignNo",
    "Code",
    "ContactNo",
    "NoSeriesCode",
    "OpportunityNo",
    "SalespersonCode",
    "SegmentNo",
    "TaskNo",
    "code_converter",
    "make_code",
    "make_optional_code",
]

Code = NewType("Code", str)
"""A normalised reference-data key (upper-case, trimmed)."""

ContactNo = NewType("ContactNo", str)
SegmentNo = NewType("SegmentNo", str)
OpportunityNo = NewType("OpportunityNo", str)
CampaignNo = NewType("CampaignNo", str)
TaskNo = NewType("TaskNo", str)
SalespersonCode = NewType("SalespersonCode", str)
NoSeriesCode = NewType("NoSeriesCode", str)

CODE10 = 10
"""Length of most BC code tables' keys (``Code[10]``)."""
CODE20 = 20
"""Length of record numbers and number series codes (``Code[20]``)."""


_POOL: dict[str, str] = {}
"""Every code made so far, once: equal codes share one string."""


def make_code(value: str, *, max_length: int = CODE10, field: str = "code") -> Code:
    """Normalise ``value`` the way BC stores a ``Code[max_length]``.

    Args:
        value: The text as typed.
        max_length: The ``n`` of ``Code[n]``.
        field: The field name reported in errors.

    Returns:
        The trimmed, upper-case code. It may be empty (BC's blank code). Equal codes
        are one string object (a pool, like ``sys.intern``): a country or
        salesperson code held by a million contacts is one string, which the
        compiled criteria compare fast.

    Raises:
        CodeTooLongError: The normalised text is longer than ``max_length``.
        ValidationError: ``value`` is not a string.
    """
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    normalised = value.strip().upper()
    if len(normalised) > max_length:
        raise CodeTooLongError(field, normalised, max_length)
    return Code(_POOL.setdefault(normalised, normalised))


def make_optional_code(
    value: str | None, *, max_length: int = CODE10, field: str = "code"
) -> Code | None:
    """Like :func:`make_code`, but ``None`` and blank text become ``None``.

    >>> make_optional_code("  ") is None
    True
    """
    if value is None:
        return None
    code = make_code(value, max_length=max_length, field=field)
    return code or None


def code_converter(
    max_length: int = CODE10, field: str = "code"
) -> Callable[[str], Code]:
    """Return an attrs converter that applies :func:`make_code`.

    >>> code_converter(4)("ab ")
    'AB'
    """

    def convert(value: str) -> Code:
        return make_code(value, max_length=max_length, field=field)

    return convert
