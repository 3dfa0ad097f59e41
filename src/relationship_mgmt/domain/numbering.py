"""Number series: where record numbers such as ``CT000012`` come from (spec §0, §1.1).

BC gives every record kind (contacts, segments, opportunities, campaigns, tasks) a
*No. Series*. A series hands out numbers by incrementing the rightmost run of digits of
the last number used (AL's ``IncStr``), keeping zero padding and the text around the
digits, from its starting no. up to an optional ending no.; a warning no. says the
series is about to run out; ``manual_nos`` says whether a user may type a number
instead; ``date_order`` refuses a number for a date earlier than the last one used.

>>> series = NumberSeries(code="CONT", starting_no="CT000098", ending_no="CT000100")
>>> [series.draw(on=date(2026, 1, 5)) for _ in range(3)]
['CT000098', 'CT000099', 'CT000100']
>>> series.draw(on=date(2026, 1, 5))
Traceback (most recent call last):
...
relationship_mgmt.errors.NumberSeriesExhaustedError: number series 'CONT': next number 'CT000101' is past the ending no. 'CT000100'

Drawing happens inside a unit of work, so two writers never get the same number; the
series itself is a plain aggregate and knows nothing about storage.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from attrs import Attribute, define, field

from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.domain.codes import CODE20, NoSeriesCode, make_code
from relationship_mgmt.errors import (
    InvalidNumberError,
    ManualNumbersNotAllowedError,
    NumberSeriesDateOrderError,
    NumberSeriesExhaustedError,
    ValidationError,
)

__all__ = ["NumberSeries", "compare_numbers", "increment_number"]

_LAST_DIGITS = re.compile(r"(\d+)(\D*)$")
_MAX_INCREMENT = 10**9
_DESCRIPTION_LENGTH = 100


def increment_number(number: str, by: int = 1, *, max_length: int = CODE20) -> str:
    """Add ``by`` to the rightmost run of digits in ``number``, as AL's ``IncStr``.

    Zero padding is kept; the run grows by one digit when it overflows; the text
    before and after the digits is kept.

    >>> increment_number("CT000099")
    'CT000100'
    >>> increment_number("SO-9-A")
    'SO-10-A'
    >>> increment_number("X99", by=5)
    'X104'

    Args:
        number: The number to increment.
        by: The increment (BC's *Increment-by No.*), at least 1.
        max_length: The longest result allowed (``Code[20]``).

    Returns:
        The incremented number.

    Raises:
        InvalidNumberError: ``number`` has no digits, or the result is too long.
        ValidationError: ``by`` is not a positive integer.
    """
    _check_increment(None, None, by)
    match = _LAST_DIGITS.search(number)
    if match is None:
        raise InvalidNumberError("number", number, "contains no digits to increment")
    digits = match.group(1)
    start, end = match.span(1)
    new_digits = str(int(digits) + by).zfill(len(digits))
    result = number[:start] + new_digits + number[end:]
    if len(result) > max_length:
        raise InvalidNumberError(
            "number", result, f"is longer than {max_length} characters"
        )
    return result


def compare_numbers(left: str, right: str) -> int:
    """Compare two numbers of one series: negative, zero or positive, like ``cmp``.

    Numbers whose text around the rightmost digit run is equal compare by the value of
    those digits (so ``CT9`` < ``CT10``); any other pair compares as text.

    >>> compare_numbers("CT000099", "CT000100") < 0
    True
    >>> compare_numbers("A9", "A10") < 0
    True
    """
    lm, rm = _LAST_DIGITS.search(left), _LAST_DIGITS.search(right)
    if lm is not None and rm is not None:
        lpre, rpre = left[: lm.start(1)], right[: rm.start(1)]
        if lpre == rpre and lm.group(2) == rm.group(2):
            lv, rv = int(lm.group(1)), int(rm.group(1))
            return (lv > rv) - (lv < rv)
    return (left > right) - (left < right)


def _number(value: str) -> str:
    return make_code(value, max_length=CODE20, field="number")


def _optional_number(value: str | None) -> str | None:
    if value is None:
        return None
    return _number(value) or None


def _series_code(value: str) -> NoSeriesCode:
    return NoSeriesCode(make_code(value, max_length=CODE20))


def _check_has_digits(_: object, attribute: Attribute[str], value: str) -> None:
    if _LAST_DIGITS.search(value) is None:
        raise InvalidNumberError(
            attribute.name, value, "contains no digits to increment"
        )


def _check_optional_has_digits(
    _: object, attribute: Attribute[str | None], value: str | None
) -> None:
    if value is not None and _LAST_DIGITS.search(value) is None:
        raise InvalidNumberError(
            attribute.name, value, "contains no digits to increment"
        )


def _check_bool(_: object, attribute: Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _check_description(_: object, attribute: Attribute[str], value: object) -> None:
    if not isinstance(value, str) or len(value) > _DESCRIPTION_LENGTH:
        raise ValidationError(
            attribute.name,
            value,
            f"must be text of at most {_DESCRIPTION_LENGTH} characters",
        )


def _check_date(name: str, value: object) -> None:
    # A datetime is a date subclass; it would be stored with its time of day.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(name, value, "must be a date (not a datetime)")


def _check_optional_date(
    _: object, attribute: Attribute[date | None], value: object
) -> None:
    if value is not None:
        _check_date(attribute.name, value)


def _check_increment(_: object, __: object, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= _MAX_INCREMENT
    ):
        raise ValidationError(
            "increment_by", value, "must be an integer from 1 to 10^9"
        )


@define(kw_only=True)
class NumberSeries(AggregateRoot):
    """A BC *No. Series* with its one line of numbers.

    Args:
        code: The series code (``Code[20]``), e.g. ``"CONT"``.
        description: Free text.
        starting_no: The first number handed out.
        ending_no: The last number that may be handed out; ``None`` = no end.
        warning_no: From this number on, :attr:`near_end` is true.
        increment_by: The step between two numbers (BC *Increment-by No.*).
        last_no_used: The last number handed out; ``None`` before the first.
        last_date_used: The date passed to the last :meth:`draw`.
        manual_nos: Whether users may type numbers of their own.
        default_nos: Whether the series gives numbers automatically (BC *Default Nos.*).
        date_order: Whether numbers must be drawn in date order.

    >>> s = NumberSeries(code="seg", starting_no="SM00001")
    >>> (s.code, s.peek())
    ('SEG', 'SM00001')
    """

    code: NoSeriesCode = field(converter=_series_code)
    description: str = field(default="", validator=_check_description)
    starting_no: str = field(converter=_number, validator=_check_has_digits)
    ending_no: str | None = field(
        default=None, converter=_optional_number, validator=_check_optional_has_digits
    )
    warning_no: str | None = field(
        default=None, converter=_optional_number, validator=_check_optional_has_digits
    )
    increment_by: int = field(default=1, validator=_check_increment)
    last_no_used: str | None = field(
        default=None, converter=_optional_number, validator=_check_optional_has_digits
    )
    last_date_used: date | None = field(default=None, validator=_check_optional_date)
    manual_nos: bool = field(default=True, validator=_check_bool)
    default_nos: bool = field(default=True, validator=_check_bool)
    date_order: bool = field(default=False, validator=_check_bool)

    def __attrs_post_init__(self) -> None:
        # BC No. Series Line: the ending no. may not come before the starting no.,
        # and the warning no. lies between them.
        if (
            self.ending_no is not None
            and compare_numbers(self.ending_no, self.starting_no) < 0
        ):
            raise ValidationError(
                "ending_no", self.ending_no, "is before the starting no."
            )
        if self.warning_no is not None and (
            compare_numbers(self.warning_no, self.starting_no) < 0
            or (
                self.ending_no is not None
                and compare_numbers(self.warning_no, self.ending_no) > 0
            )
        ):
            raise ValidationError(
                "warning_no",
                self.warning_no,
                "must lie between the starting and ending no.",
            )

    def peek(self) -> str:
        """Return the number :meth:`draw` would hand out next, without using it.

        Raises:
            InvalidNumberError: The next number would be longer than ``Code[20]``.
        """
        if self.last_no_used is None:
            return self.starting_no
        return increment_number(self.last_no_used, self.increment_by)

    @property
    def near_end(self) -> bool:
        """Whether the last number used has reached the warning number."""
        return (
            self.warning_no is not None
            and self.last_no_used is not None
            and compare_numbers(self.last_no_used, self.warning_no) >= 0
        )

    @property
    def exhausted(self) -> bool:
        """Whether the ending number has been handed out (BC closes the line)."""
        return (
            self.ending_no is not None
            and self.last_no_used is not None
            and compare_numbers(self.last_no_used, self.ending_no) >= 0
        )

    def draw(self, *, on: date) -> str:
        """Hand out the next number and remember it as the last number used.

        Args:
            on: The date the number is used for (BC's usage date, normally WORKDATE).

        Returns:
            The number.

        Raises:
            NumberSeriesExhaustedError: The next number is past ``ending_no``.
            NumberSeriesDateOrderError: ``date_order`` is on and ``on`` is before
                ``last_date_used``.
            InvalidNumberError: The next number would be longer than ``Code[20]``.
        """
        _check_date("on", on)
        if (
            self.date_order
            and self.last_date_used is not None
            and on < self.last_date_used
        ):
            raise NumberSeriesDateOrderError(self.code, on, self.last_date_used)
        number = self.peek()
        if self.ending_no is not None and compare_numbers(number, self.ending_no) > 0:
            raise NumberSeriesExhaustedError(self.code, number, self.ending_no)
        self.last_no_used = number
        self.last_date_used = on
        return number

    def check_manual(self, number: str) -> str:
        """Accept a number typed by hand, if the series allows it (BC ``TestManual``).

        Args:
            number: The typed number.

        Returns:
            The number normalised as a ``Code[20]``.

        Raises:
            ManualNumbersNotAllowedError: ``manual_nos`` is off.
            CodeTooLongError: The number is longer than 20 characters.
        """
        normalised = _number(number)
        if not self.manual_nos:
            raise ManualNumbersNotAllowedError(self.code, normalised)
        return normalised
