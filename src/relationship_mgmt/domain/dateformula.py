"""BC date formulas: ``DateFormula`` values and ``CalcDate`` (spec §10).

A date formula is up to three *terms* evaluated left to right, each moving a running
date (§10.1): ``30D`` (relative), ``WD2`` (positional: the next Tuesday) or ``CM``
(current period: the end of the month). :meth:`DateFormula.parse` reads the text,
:meth:`DateFormula.apply` and :func:`calc_date` compute dates.

>>> from datetime import date
>>> calc_date("CM+1D", date(2026, 2, 10))
datetime.date(2026, 3, 1)
>>> formula = DateFormula.parse("<cq + 1m - 10d>")
>>> str(formula)
'CQ+1M-10D'
>>> formula.apply(date(1996, 5, 21))
datetime.date(1996, 7, 20)
>>> DateFormula.parse("1D+2X")
Traceback (most recent call last):
...
relationship_mgmt.errors.DateFormulaError: date_formula: expected a unit (D, WD, W, M, Q or Y) at position 4 (got '1D+2X')

What is accepted (§10.1):

* Zero to three terms; a fourth is an error. The empty formula returns the base date.
* Relative terms ``nU`` with ``n`` from 0 to 9999 and ``U`` one of ``D``, ``WD``,
  ``W``, ``M``, ``Q``, ``Y``; leading zeros are allowed (``007D`` is ``7D``).
* Positional terms ``WDn`` (``n`` = 1..7, Monday is 1) and ``Dn`` (``n`` = 1..31).
* Current-period terms ``CD``, ``CW``, ``CM``, ``CQ`` and ``CY``.
* Each term may carry a sign; the first term's ``+`` is optional, every later term
  needs ``+`` or ``-`` (``CM1D`` is an error, write ``CM+1D``).
* Letters in either case (ASCII only), one optional pair of surrounding ``<...>``
  (BC's language-neutral stored form) and white space around signs and between
  terms, but not inside a term (``1 D`` is an error).

What each term does to the running date ``d`` (§10.2):

* ``nD``, ``nW`` and ``nWD``: ``n`` days, weeks and days forward (``-``: back).
* ``nM``, ``nQ`` and ``nY``: ``n``, ``3n`` and ``12n`` months, keeping the day of the
  month but no further than the target month's last day (31 Jan + ``1M`` is 29 Feb
  2024; 29 Feb + ``1Y`` is 28 Feb; §12 #2).
* ``CW`` / ``-CW``: the Sunday / Monday of ``d``'s week (weeks run Monday to
  Sunday). ``CM``, ``CQ``, ``CY`` / ``-CM``, ``-CQ``, ``-CY``: the last / first day of
  ``d``'s month, calendar quarter or year. ``CD``: ``d`` itself.
* ``WDn`` / ``-WDn``: the nearest date strictly after / before ``d`` on weekday ``n``.
* ``Dn`` / ``-Dn``: the nearest date strictly after / before ``d`` on day ``n`` of a
  month.

Choices where BC's behaviour is unverified (§12):

* ``nWD`` moves ``n`` *calendar* days, exactly like ``nD``. This is what the
  reference sketch of §10.4 does. BC documents ``WD`` only as the positional
  "weekday number"; nothing public confirms a working-day meaning, and working days
  belong to base calendars, which ``CalcDate`` does not consult.
* Positional ``W``, ``M``, ``Q`` and ``Y`` terms (``M3``) have no sound, documented
  meaning (§12 #1) and the reference sketch does not implement them either. They
  are rejected with a :class:`~relationship_mgmt.errors.DateFormulaError` rather than
  guessed.
* ``Dn`` and ``-Dn`` are *strict* like ``WDn``: when the base date already has day
  ``n`` the result is a month later (earlier). Public examples of BC payment terms
  agree (``D6+CM`` from 2024-08-06 gives 2024-09-30). Months without day ``n`` are
  skipped (``D31`` from 2024-04-05 gives 2024-05-31).

Errors: a bad formula raises :class:`~relationship_mgmt.errors.DateFormulaError` with
the zero-based ``position`` of the fault in the text as given; a value that is not a
string raises :class:`~relationship_mgmt.errors.ValidationError`. A result outside
0001-01-01..9999-12-31, even in between, raises a ``DateFormulaError`` whose
position points at the term (at its sign, if it has one) of the canonical text
``str(formula)`` that left the range.

Parsed formulas are immutable, so :meth:`DateFormula.parse` keeps the last 4096 in an
LRU cache; :meth:`DateFormula.apply` runs steps compiled once per formula.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Literal, NoReturn

from attrs import field, frozen

from relationship_mgmt.errors import DateFormulaError, ValidationError

__all__ = [
    "DateFormula",
    "Term",
    "TermKind",
    "Unit",
    "calc_date",
]

_MAX_TERMS = 3  # §10.1

_MAX_NUMBER = 9999
_MAX_DIGITS = 4
_MAX_WEEKDAY = 7
_MAX_DAY_OF_MONTH = 31


class Unit(enum.StrEnum):
    """The unit of a term (§10.1); the value is the letter(s) BC uses.

    >>> Unit("WD") is Unit.WEEKDAY
    True
    """

    DAY = "D"
    WEEKDAY = "WD"
    WEEK = "W"
    MONTH = "M"
    QUARTER = "Q"
    YEAR = "Y"


class TermKind(enum.StrEnum):
    """The three shapes of a term (§10.1).

    >>> [str(kind) for kind in TermKind]
    ['relative', 'positional', 'current']
    """

    RELATIVE = "relative"
    """``nU``: move by ``n`` units (``30D``, ``-1Y``)."""
    POSITIONAL = "positional"
    """``Un``: the next (or, with ``-``, previous) weekday or day of month ``n``."""
    CURRENT = "current"
    """``CU``: the end (or, with ``-``, the start) of the current period."""


_POSITIONAL_RANGE = {Unit.WEEKDAY: _MAX_WEEKDAY, Unit.DAY: _MAX_DAY_OF_MONTH}


@frozen
class Term:
    """One signed term of a date formula (§10.1, §10.2).

    A term that exists is valid: the constructor refuses numbers out of range,
    positional ``W``/``M``/``Q``/``Y`` terms (see the module notes) and ``CWD``.
    The classmethods :meth:`relative`, :meth:`positional` and :meth:`current` read
    better than the plain constructor.

    Attributes:
        kind: Relative (``30D``), positional (``WD2``) or current period (``CM``).
        unit: The unit.
        number: ``n`` for relative (0..9999) and positional terms (``WD``: 1..7,
            ``D``: 1..31); always 0 for current-period terms.
        sign: ``1`` or ``-1``.

    >>> Term.positional(Unit.WEEKDAY, 2, sign=-1)
    Term(kind=<TermKind.POSITIONAL: 'positional'>, unit=<Unit.WEEKDAY: 'WD'>, number=2, sign=-1)
    >>> str(Term.relative(30, Unit.DAY)), str(Term.current(Unit.MONTH, sign=-1))
    ('30D', '-CM')
    """

    kind: TermKind
    unit: Unit
    number: int = 0
    sign: Literal[1, -1] = 1
    # What apply() does with the term, worked out once: a day shift or a step.
    _days: int = field(init=False, eq=False, hash=False, repr=False)
    _step: _Step | None = field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _check_term(self)
        days, step = _operation(self)
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_step", step)

    def __reduce__(self) -> tuple[type[Term], tuple[object, ...]]:
        # Pickle the fields only: the compiled step is a closure.
        return Term, (self.kind, self.unit, self.number, self.sign)

    @classmethod
    def relative(cls, number: int, unit: Unit, *, sign: Literal[1, -1] = 1) -> Term:
        """Return the term ``nU``: move by ``number`` units (§10.2).

        >>> str(Term.relative(2, Unit.WEEK, sign=-1))
        '-2W'
        """
        return cls(TermKind.RELATIVE, unit, number, sign)

    @classmethod
    def positional(cls, unit: Unit, number: int, *, sign: Literal[1, -1] = 1) -> Term:
        """Return the term ``Un``: next (previous) weekday or day of month (§10.2).

        >>> str(Term.positional(Unit.DAY, 15))
        'D15'
        """
        return cls(TermKind.POSITIONAL, unit, number, sign)

    @classmethod
    def current(cls, unit: Unit, *, sign: Literal[1, -1] = 1) -> Term:
        """Return the term ``CU``: end (start) of the current period (§10.2).

        >>> str(Term.current(Unit.QUARTER))
        'CQ'
        """
        return cls(TermKind.CURRENT, unit, 0, sign)

    def __str__(self) -> str:
        prefix = "-" if self.sign < 0 else ""
        if self.kind is TermKind.RELATIVE:
            return f"{prefix}{self.number}{self.unit}"
        if self.kind is TermKind.POSITIONAL:
            return f"{prefix}{self.unit}{self.number}"
        return f"{prefix}C{self.unit}"


def _check_term(term: Term) -> None:
    # Typed as object: the annotations are promises the caller may have broken.
    kind: object = term.kind
    unit: object = term.unit
    sign: object = term.sign
    number: object = term.number
    if not isinstance(kind, TermKind):
        raise ValidationError("kind", kind, "must be a TermKind")
    if not isinstance(unit, Unit):
        raise ValidationError("unit", unit, "must be a Unit")
    if type(sign) is not int or sign not in (1, -1):
        raise ValidationError("sign", sign, "must be 1 or -1")
    if type(number) is not int:
        raise ValidationError("number", number, "must be an int")
    _check_number(kind, unit, number)


def _check_number(kind: TermKind, unit: Unit, number: int) -> None:
    if kind is TermKind.RELATIVE:
        if not 0 <= number <= _MAX_NUMBER:
            raise ValidationError("number", number, "must be from 0 to 9999")
    elif kind is TermKind.POSITIONAL:
        highest = _POSITIONAL_RANGE.get(unit)
        if highest is None:
            raise ValidationError(
                "unit", unit, "positional W, M, Q and Y terms are not supported"
            )
        if not 1 <= number <= highest:
            raise ValidationError(
                "number", number, f"must be from 1 to {highest} after {unit}"
            )
    elif unit is Unit.WEEKDAY:
        raise ValidationError("unit", unit, "there is no current-period WD")
    elif number != 0:
        raise ValidationError("number", number, "must be 0 for a current period")


# -- evaluation --------------------------------------------------------------------
#
# A formula is compiled once into a tuple of steps (date -> date). Consecutive day
# shifts of the same direction are merged: that cannot hide an intermediate date
# outside the calendar, which a merge of opposite directions could.

_Step = Callable[[date], date]
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_QUARTER_END_DAY = (0, 0, 0, 31, 0, 0, 30, 0, 0, 30, 0, 0, 31)
_TO_SUNDAY = tuple(timedelta(days=6 - weekday) for weekday in range(7))
_FROM_MONDAY = tuple(timedelta(days=weekday) for weekday in range(7))


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):  # noqa: PLR2004
        return 29
    return _DAYS_IN_MONTH[month]


def _add_months(d: date, months: int) -> date:
    # §10.2: keep the day of month, clamped to the target month's last day.
    years, month0 = divmod(d.month - 1 + months, 12)
    year = d.year + years
    day = d.day
    if day > 28:  # noqa: PLR2004 - every month has 28 days
        day = min(day, _days_in_month(year, month0 + 1))
    return date(year, month0 + 1, day)


def _next_day_of_month(d: date, day: int) -> date:
    year, month = d.year, d.month
    if d.day < day <= _days_in_month(year, month):
        return date(year, month, day)
    while True:
        month += 1
        if month == 13:  # noqa: PLR2004
            year, month = year + 1, 1
        if day <= _days_in_month(year, month):
            return date(year, month, day)


def _previous_day_of_month(d: date, day: int) -> date:
    year, month = d.year, d.month
    if d.day > day:
        return date(year, month, day)
    while True:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        if day <= _days_in_month(year, month):
            return date(year, month, day)


@functools.lru_cache(maxsize=1024)
def _shift_step(days: int) -> _Step:
    delta = timedelta(days=days)

    def step(d: date) -> date:
        return d + delta

    return step


@functools.lru_cache(maxsize=1024)
def _months_step(months: int) -> _Step:
    def step(d: date) -> date:
        return _add_months(d, months)

    return step


def _weekday_step(weekday: int, sign: int) -> _Step:
    # Strictly after (before) d: a date already on the weekday moves a whole week.
    if sign > 0:
        ahead = tuple(
            timedelta(days=(weekday - 1 - wd) % 7 or 7) for wd in range(_MAX_WEEKDAY)
        )

        def step(d: date) -> date:
            return d + ahead[d.weekday()]

        return step
    back = tuple(
        timedelta(days=(wd - weekday + 1) % 7 or 7) for wd in range(_MAX_WEEKDAY)
    )

    def step_back(d: date) -> date:
        return d - back[d.weekday()]

    return step_back


def _day_of_month_step(day: int, sign: int) -> _Step:
    def step(d: date) -> date:
        return _next_day_of_month(d, day)

    def step_back(d: date) -> date:
        return _previous_day_of_month(d, day)

    return step if sign > 0 else step_back


def _week_end(d: date) -> date:
    return d + _TO_SUNDAY[d.weekday()]


def _week_start(d: date) -> date:
    return d - _FROM_MONDAY[d.weekday()]


def _month_end(d: date) -> date:
    return date(d.year, d.month, _days_in_month(d.year, d.month))


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _quarter_end(d: date) -> date:
    month = (d.month + 2) // 3 * 3
    return date(d.year, month, _QUARTER_END_DAY[month])


def _quarter_start(d: date) -> date:
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)


def _year_end(d: date) -> date:
    return date(d.year, 12, 31)


def _year_start(d: date) -> date:
    return date(d.year, 1, 1)


_CURRENT_STEPS: dict[tuple[Unit, int], _Step] = {
    (Unit.WEEK, 1): _week_end,
    (Unit.WEEK, -1): _week_start,
    (Unit.MONTH, 1): _month_end,
    (Unit.MONTH, -1): _month_start,
    (Unit.QUARTER, 1): _quarter_end,
    (Unit.QUARTER, -1): _quarter_start,
    (Unit.YEAR, 1): _year_end,
    (Unit.YEAR, -1): _year_start,
}
_WEEKDAY_STEPS = {
    (weekday, sign): _weekday_step(weekday, sign)
    for weekday in range(1, _MAX_WEEKDAY + 1)
    for sign in (1, -1)
}
_DAY_OF_MONTH_STEPS = {
    (day, sign): _day_of_month_step(day, sign)
    for day in range(1, _MAX_DAY_OF_MONTH + 1)
    for sign in (1, -1)
}
_MONTHS_PER_UNIT = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}


def _operation(term: Term) -> tuple[int, _Step | None]:
    kind, unit, sign, number = term.kind, term.unit, term.sign, term.number
    if kind is TermKind.RELATIVE:
        if unit in _MONTHS_PER_UNIT:
            return 0, _months_step(sign * number * _MONTHS_PER_UNIT[unit])
        return sign * number * (7 if unit is Unit.WEEK else 1), None
    if kind is TermKind.CURRENT:
        # CD is the current day itself: a shift by nothing.
        return 0, None if unit is Unit.DAY else _CURRENT_STEPS[unit, sign]
    if unit is Unit.WEEKDAY:
        return 0, _WEEKDAY_STEPS[number, sign]
    return 0, _DAY_OF_MONTH_STEPS[number, sign]


def _compile(terms: tuple[Term, ...]) -> tuple[_Step, ...]:
    steps: list[_Step] = []
    pending_days = 0
    for term in terms:
        step = term._step  # noqa: SLF001 - this module's own cache
        if step is None:
            days = term._days  # noqa: SLF001
            if pending_days * days < 0:
                steps.append(_shift_step(pending_days))
                pending_days = 0
            pending_days += days
            continue
        if pending_days:
            steps.append(_shift_step(pending_days))
            pending_days = 0
        steps.append(step)
    if pending_days:
        steps.append(_shift_step(pending_days))
    return tuple(steps)


def _run(steps: tuple[_Step, ...], d: date) -> date:
    for step in steps:
        d = step(d)
    return d


def _canonical(terms: tuple[Term, ...]) -> tuple[str, tuple[int, ...]]:
    parts: list[str] = []
    offsets: list[int] = []
    length = 0
    for index, term in enumerate(terms):
        text = str(term)
        if index and term.sign > 0:
            text = "+" + text
        offsets.append(length)
        parts.append(text)
        length += len(text)
    return "".join(parts), tuple(offsets)


def _to_terms(value: Iterable[Term]) -> tuple[Term, ...]:
    try:
        terms = tuple(value)
    except TypeError:
        raise ValidationError("terms", value, "must be an iterable of Term") from None
    for term in terms:
        if not isinstance(term, Term):
            raise ValidationError("terms", value, "must be an iterable of Term")
    if len(terms) > _MAX_TERMS:
        raise ValidationError("terms", value, f"at most {_MAX_TERMS} terms allowed")
    return terms


def _as_date(value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("base", value, "must be a date")
    return date(value.year, value.month, value.day)


@frozen
class DateFormula:
    """A parsed BC date formula: up to three terms applied left to right (§10).

    Build one with :meth:`parse` (or from :class:`Term` values); ``str()`` gives the
    canonical text, which :meth:`parse` reads back to an equal formula. The empty
    formula leaves a date unchanged.

    Attributes:
        terms: The terms, in evaluation order (at most three).

    >>> from datetime import date
    >>> formula = DateFormula((Term.relative(1, Unit.MONTH), Term.current(Unit.MONTH)))
    >>> str(formula), formula.apply(date(2024, 3, 13))
    ('1M+CM', datetime.date(2024, 4, 30))
    >>> DateFormula.parse(str(formula)) == formula
    True
    >>> DateFormula().apply(date(2024, 3, 13))
    datetime.date(2024, 3, 13)
    """

    terms: tuple[Term, ...] = field(default=(), converter=_to_terms)
    _steps: tuple[_Step, ...] = field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_steps", _compile(self.terms))

    def __reduce__(self) -> tuple[type[DateFormula], tuple[tuple[Term, ...]]]:
        # Pickle the terms only: the compiled steps are closures.
        return DateFormula, (self.terms,)

    @classmethod
    def parse(cls, text: str) -> DateFormula:
        """Read a formula such as ``CM+1D``, ``<-WD2>`` or ``1m + cm`` (§10.1).

        Args:
            text: The formula; case, surrounding ``<...>`` and white space between
                terms do not matter.

        Returns:
            The formula; blank text gives the empty formula.

        Raises:
            DateFormulaError: ``text`` does not follow the grammar; ``position`` is
                the zero-based index of the fault in ``text``.
            ValidationError: ``text`` is not a string.

        Examples:
            >>> DateFormula.parse("<-wd2>").terms
            (Term(kind=<TermKind.POSITIONAL: 'positional'>, unit=<Unit.WEEKDAY: 'WD'>, number=2, sign=-1),)
            >>> DateFormula.parse("1D+2D+3D+4D")
            Traceback (most recent call last):
            ...
            relationship_mgmt.errors.DateFormulaError: date_formula: more than 3 terms at position 8 (got '1D+2D+3D+4D')
        """
        if not isinstance(text, str):
            raise ValidationError("date_formula", text, "must be a string")
        if len(text) > _CACHED_LENGTH:
            return _parse(text)
        return _parse_cached(text)

    def apply(self, base: date) -> date:
        """Return ``base`` moved by each term in turn (BC's ``CalcDate``, §10.2).

        Args:
            base: The reference date (a :class:`~datetime.date`, not a datetime).

        Returns:
            The computed date.

        Raises:
            DateFormulaError: An intermediate or final date falls outside
                0001-01-01..9999-12-31; ``position`` locates the term in
                ``str(self)``.
            ValidationError: ``base`` is not a date.

        Examples:
            >>> from datetime import date
            >>> DateFormula.parse("-CW").apply(date(2024, 3, 13))
            datetime.date(2024, 3, 11)
            >>> DateFormula.parse("CW").apply(date(9999, 12, 31))
            Traceback (most recent call last):
            ...
            relationship_mgmt.errors.DateFormulaError: date_formula: the date leaves 0001-01-01..9999-12-31 (base date 9999-12-31) at position 0 (got 'CW')
        """
        if type(base) is not date:
            base = _as_date(base)
        d = base
        try:
            for step in self._steps:
                d = step(d)
        except (OverflowError, ValueError):
            raise self._out_of_range(base) from None
        return d

    def _out_of_range(self, base: date) -> DateFormulaError:
        text, offsets = _canonical(self.terms)
        d = base
        for term, offset in zip(self.terms[:-1], offsets[:-1], strict=True):
            try:
                d = _run(_compile((term,)), d)
            except (OverflowError, ValueError):
                return _range_error(text, offset, base)
        return _range_error(text, offsets[-1], base)

    def __str__(self) -> str:
        return _canonical(self.terms)[0]


def _range_error(text: str, position: int, base: date) -> DateFormulaError:
    return DateFormulaError(
        text,
        position,
        f"the date leaves 0001-01-01..9999-12-31 (base date {base.isoformat()})",
    )


def calc_date(formula: DateFormula | str, base: date) -> date:
    """Compute BC's ``CalcDate(formula, base)`` (§10).

    Args:
        formula: A :class:`DateFormula` or its text (parsed with
            :meth:`DateFormula.parse`).
        base: The reference date.

    Returns:
        The computed date.

    Raises:
        DateFormulaError: The text is not a valid formula, or the result falls
            outside the calendar.
        ValidationError: ``formula`` is neither text nor a ``DateFormula``, or
            ``base`` is not a date.

    Examples:
        >>> from datetime import date
        >>> calc_date("<CM+30D>", date(1996, 5, 21))
        datetime.date(1996, 6, 30)
    """
    if not isinstance(formula, DateFormula):
        formula = DateFormula.parse(formula)
    return formula.apply(base)


# -- parsing -----------------------------------------------------------------------

_WS = " \t\n\r\f\v"
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CACHED_LENGTH = 64
# Explicit character classes rather than IGNORECASE/\d/\s: those accept non-ASCII
# look-alikes (the Kelvin sign, Arabic-Indic digits) that BC does not.
_TERM_BODY = r"(?:([0-9]+)(WD|[DWMQY])|(WD|[DWMQY])([0-9]+)|C(WD|[DWMQY]))"
_GROUPS_PER_TERM = 6
# One signed term, with the white space allowed around its sign.
_SUBEXPR = re.compile(r"[ \t\n\r\f\v]*([+-]?)[ \t\n\r\f\v]*" + _TERM_BODY)
# The common spelling in one match: one to three terms, no inner white space.
_COMPACT = re.compile(
    rf"([+-]?){_TERM_BODY}(?:([+-]){_TERM_BODY}(?:([+-]){_TERM_BODY})?)?"
)
_SIGNS: dict[str, Literal[1, -1]] = {"": 1, "+": 1, "-": -1}
_UNITS = {unit.value: unit for unit in Unit}


def _parse(text: str) -> DateFormula:
    # isupper() is True only without lower-case letters, so translate would copy.
    upper = text if text.isupper() else text.translate(_UPPER)
    start = len(upper) - len(upper.lstrip(_WS))
    end = len(upper.rstrip(_WS))
    if start < end and upper[start] == "<":
        if end - start < 2 or upper[end - 1] != ">":  # noqa: PLR2004
            raise DateFormulaError(text, end, "expected '>' to close '<'")
        start += 1
        end -= 1
        while start < end and upper[start] in _WS:
            start += 1
        while start < end and upper[end - 1] in _WS:
            end -= 1
    compact = _COMPACT.fullmatch(upper, start, end)
    if compact is not None:
        return _compact_formula(text, compact)
    return _spaced_formula(text, upper, start, end)


def _compact_formula(text: str, match: re.Match[str]) -> DateFormula:
    groups = match.groups()
    count = 1 if groups[6] is None else 2 if groups[12] is None else _MAX_TERMS
    terms: list[Term] = []
    for first in range(0, count * _GROUPS_PER_TERM, _GROUPS_PER_TERM):
        try:
            terms.append(_term(groups[first : first + _GROUPS_PER_TERM]))
        except _TermFaultError as fault:
            position = match.start(first + fault.group)
            raise DateFormulaError(text, position, fault.reason) from None
    return DateFormula(terms)


def _spaced_formula(text: str, upper: str, start: int, end: int) -> DateFormula:
    """Parse term by term: white space between terms, blank text, and every fault."""
    terms: list[Term] = []
    pos = start
    while pos < end:
        match = _SUBEXPR.match(upper, pos, end)
        if match is None:
            _diagnose(text, upper, pos, end, first=not terms)
        if terms and not match.group(1):
            raise DateFormulaError(
                text, match.start(1), "expected '+' or '-' before the next term"
            )
        if len(terms) == _MAX_TERMS:
            raise DateFormulaError(
                text, match.start(1), f"more than {_MAX_TERMS} terms"
            )
        try:
            terms.append(_term(match.groups()))
        except _TermFaultError as fault:
            raise DateFormulaError(
                text, match.start(fault.group), fault.reason
            ) from None
        pos = match.end()
    return DateFormula(terms)


_parse_cached = functools.lru_cache(maxsize=4096)(_parse)


class _TermFaultError(Exception):
    """A matched term that breaks a rule; ``group`` locates it in the match."""

    def __init__(self, group: int, reason: str) -> None:
        super().__init__(reason)
        self.group = group
        self.reason = reason


# Keyed by the matched groups (plain strings hash fast), so equal terms are shared
# and built, checked and compiled once. Faults are raised, hence never cached.
@functools.lru_cache(maxsize=2048)
def _term(groups: tuple[str | None, ...]) -> Term:
    sign_text, rel_number, rel_unit, pos_unit, pos_number, cur_unit = groups
    sign = _SIGNS[sign_text or ""]
    if rel_unit is not None:
        number = _number(rel_number or "", 2, _MAX_NUMBER)
        return Term(TermKind.RELATIVE, _UNITS[rel_unit], number, sign)
    if pos_unit is not None:
        highest = _POSITIONAL_RANGE.get(_UNITS[pos_unit])
        if highest is None:
            raise _TermFaultError(
                4, f"positional {pos_unit} terms are not supported (only WD and D)"
            )
        number = _number(pos_number or "", 5, highest, lowest=1)
        return Term(TermKind.POSITIONAL, _UNITS[pos_unit], number, sign)
    if cur_unit == "WD":
        raise _TermFaultError(6, "there is no current-period WD")
    return Term(TermKind.CURRENT, _UNITS[cur_unit or ""], 0, sign)


def _number(digits: str, group: int, highest: int, lowest: int = 0) -> int:
    # Check the length first: int() of thousands of digits is slow, then refused.
    if len(digits) > _MAX_DIGITS:
        digits = digits.lstrip("0") or "0"
    if len(digits) <= _MAX_DIGITS:
        number = int(digits)
        if lowest <= number <= highest:
            return number
    raise _TermFaultError(group, f"the number must be from {lowest} to {highest}")


def _diagnose(text: str, upper: str, pos: int, end: int, *, first: bool) -> NoReturn:
    """Raise the error for the sub-expression at ``pos`` that did not match."""
    while upper[pos] in _WS:
        pos += 1
    if upper[pos] in "+-":
        pos = _after_sign(text, upper, pos + 1, end)
    elif not first and upper[pos] in "0123456789CDWMQY":
        raise DateFormulaError(text, pos, "expected '+' or '-' before the next term")
    char = upper[pos]
    if "0" <= char <= "9":
        while pos < end and "0" <= upper[pos] <= "9":
            pos += 1
        raise DateFormulaError(text, pos, "expected a unit (D, WD, W, M, Q or Y)")
    if char == "C":
        raise DateFormulaError(text, pos + 1, "expected D, W, M, Q or Y after 'C'")
    if char in "DWMQY":
        unit = "WD" if upper.startswith("WD", pos) else char
        raise DateFormulaError(
            text, pos + len(unit), f"expected a number after '{unit}'"
        )
    raise DateFormulaError(text, pos, f"unexpected character {text[pos]!r}")


def _after_sign(text: str, upper: str, pos: int, end: int) -> int:
    while pos < end and upper[pos] in _WS:
        pos += 1
    if pos == end:
        raise DateFormulaError(text, pos, "expected a term after the sign")
    if upper[pos] in "+-":
        raise DateFormulaError(text, pos, "expected a term, not a second sign")
    return pos
