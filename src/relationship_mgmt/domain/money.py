"""Amounts of money and BC's rounding rules (house style B11).

:class:`Money` is a :class:`~decimal.Decimal` amount in one :class:`Currency`. The amount
is always quantized to the currency's minor units (``ROUND_HALF_EVEN``), so
``Money("1.005", "EUR")`` and ``Money("1.00", "EUR")`` are the same value. Amounts of two
currencies never mix: adding or comparing them raises
:class:`~relationship_mgmt.errors.CurrencyMismatchError`. The library does no currency
conversion.

:func:`round_amount` is BC's ``Round(Number, Precision, Direction)``: it rounds to a
multiple of any positive precision (``0.01``, ``0.05``, ``1``, ``10``), to the nearest
(ties away from zero), up or down.

>>> price = Money("12.50", "EUR")
>>> str(price * 3 - Money(5, "EUR"))
'32.50 EUR'
>>> [str(part) for part in Money(100, "EUR").allocate([1, 1, 1])]
['33.34 EUR', '33.33 EUR', '33.33 EUR']
>>> round_amount(Decimal("2.345"))
Decimal('2.35')

Every rejected input raises :class:`~relationship_mgmt.errors.ValidationError` (a
``ValueError``); ``float`` is refused because it cannot hold most decimal amounts exactly.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from typing import Self

from attrs import Factory, field, frozen

from relationship_mgmt.errors import CurrencyMismatchError, ValidationError

__all__ = ["Currency", "Money", "RoundingDirection", "round_amount"]

_MINOR_UNITS: Mapping[str, int] = {
    # ISO 4217 minor units of common currencies; any other code defaults to 2.
    "AUD": 2,
    "BHD": 3,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CLP": 0,
    "CNY": 2,
    "CZK": 2,
    "DKK": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "HUF": 2,
    "INR": 2,
    "IQD": 3,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KRW": 0,
    "KWD": 3,
    "LYD": 3,
    "MXN": 2,
    "NOK": 2,
    "NZD": 2,
    "OMR": 3,
    "PLN": 2,
    "SEK": 2,
    "SGD": 2,
    "TND": 3,
    "USD": 2,
    "VND": 0,
    "ZAR": 2,
}
_DEFAULT_MINOR_UNITS = 2
_MAX_MINOR_UNITS = 8
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")

_MAX_MAGNITUDE = 1000
"""Any number this module takes lies between 1E-1000 and 1E+1001 (or is zero)."""

_MAX_DIGITS = 38
"""Significant digits an amount may have: SQL's ``NUMERIC(38, s)``, so any amount fits."""

# Quantizing may round; it must not silently lose leading digits.
_QUANTIZE = Context(
    prec=_MAX_DIGITS, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, Overflow]
)
# Sums, differences and products are exact or refused, whatever the caller's context.
_EXACT = Context(
    prec=2 * _MAX_DIGITS + 2,
    traps=[InvalidOperation, Overflow, DivisionByZero, Inexact],
)


def _normalise_code(value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError("currency", value, "must be a string")
    return value.strip().upper()


def _check_code(_: object, __: object, value: str) -> None:
    if not _CURRENCY_CODE.fullmatch(value):
        raise ValidationError("currency", value, "must be three letters (ISO 4217)")


def _default_minor_units(currency: Currency) -> int:
    return _MINOR_UNITS.get(currency.code, _DEFAULT_MINOR_UNITS)


def _check_minor_units(_: object, __: object, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= _MAX_MINOR_UNITS
    ):
        raise ValidationError(
            "minor_units", value, f"must be an integer from 0 to {_MAX_MINOR_UNITS}"
        )


@frozen
class Currency:
    """An ISO 4217 currency: its alphabetic code and how many minor units it has.

    The code is trimmed and upper-cased. ``minor_units`` defaults to the ISO 4217 value
    for common currencies (``JPY`` 0, ``KWD`` 3, ``EUR`` 2 ...) and to 2 for any other
    code.

    Args:
        code: Three letters, e.g. ``"EUR"`` or ``"eur"``.
        minor_units: Decimal places of the smallest unit (0 to 8).

    Raises:
        ValidationError: The code is not three letters, or ``minor_units`` is out of
            range.

    >>> Currency("eur")
    Currency(code='EUR', minor_units=2)
    >>> Currency("JPY").minor_units
    0
    >>> str(Currency("XBT", 8))
    'XBT'
    """

    code: str = field(converter=_normalise_code, validator=_check_code)
    minor_units: int = field(
        default=Factory(_default_minor_units, takes_self=True),
        validator=_check_minor_units,
    )

    @classmethod
    def of(cls, code: str, minor_units: int | None = None) -> Self:
        """Return the currency ``code``, with its minor units from the built-in table.

        Args:
            code: Three letters, any case.
            minor_units: Overrides the table (and the default of 2 for unknown codes).

        Returns:
            The currency.

        Raises:
            ValidationError: As for the constructor.

        >>> Currency.of("kwd")
        Currency(code='KWD', minor_units=3)
        >>> Currency.of("xyz", 4).minor_units
        4
        """
        if minor_units is None:
            return cls(code)
        return cls(code, minor_units)

    @property
    def minor_unit(self) -> Decimal:
        """The smallest amount of the currency, e.g. ``Decimal('0.01')``.

        >>> Currency("KWD").minor_unit
        Decimal('0.001')
        """
        return Decimal(1).scaleb(-self.minor_units)

    def __str__(self) -> str:
        return self.code


class RoundingDirection(enum.StrEnum):
    """The direction argument of BC's ``Round``: ``=``, ``>`` or ``<``.

    >>> RoundingDirection(">") is RoundingDirection.UP
    True
    """

    NEAREST = "="
    """To the nearest multiple; a tie goes away from zero (2.345 -> 2.35)."""
    UP = ">"
    """To the next multiple towards +infinity."""
    DOWN = "<"
    """To the next multiple towards -infinity."""


def _decimal(value: object, name: str) -> Decimal:
    """Turn ``value`` into a finite Decimal or refuse it (float, bool, NaN, junk)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError(name, value, "must be a Decimal, an int or a string")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(name, value, "is not a number") from None
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N" or "F": NaN, sNaN, Infinity
        raise ValidationError(name, value, "must be a finite number")
    # Exact arithmetic (Fraction) on 1E+999999999 would never finish.
    if number.adjusted() > _MAX_MAGNITUDE or exponent < -_MAX_MAGNITUDE:
        raise ValidationError(name, value, "is out of range")
    return number


def _direction(value: str) -> RoundingDirection:
    try:
        return RoundingDirection(value)
    except ValueError:
        raise ValidationError("direction", value, "must be '=', '>' or '<'") from None


def _positive_precision(value: object) -> Decimal:
    precision = _decimal(value, "precision")
    if precision <= 0:
        raise ValidationError("precision", value, "must be positive")
    return precision


def _multiple(count: int, precision: Decimal) -> Decimal:
    """Return ``count * precision`` exactly."""
    digits = len(str(abs(count))) + len(precision.as_tuple().digits)
    return Context(prec=digits).multiply(Decimal(count), precision)


def round_amount(
    value: Decimal,
    precision: Decimal = Decimal("0.01"),
    direction: RoundingDirection = RoundingDirection.NEAREST,
) -> Decimal:
    """Round ``value`` to a multiple of ``precision``, as BC's ``Round`` (house style B11).

    The computation is exact. The result carries the exponent of ``precision``
    (``0.05`` gives two decimals, ``1`` gives none).

    Args:
        value: The number to round (``Decimal``, ``int`` or numeric text).
        precision: The step to round to, positive: ``0.01``, ``0.05``, ``1``, ``1E+3``.
        direction: ``=`` to the nearest multiple (ties away from zero), ``>`` up
            towards +infinity, ``<`` down towards -infinity.

    Returns:
        The rounded number.

    Raises:
        ValidationError: ``value`` or ``precision`` is not a finite number,
            ``precision`` is not positive, or ``direction`` is unknown.

    >>> round_amount(Decimal("-2.345"))
    Decimal('-2.35')
    >>> round_amount(Decimal("1.26"), Decimal("0.05"))
    Decimal('1.25')
    >>> round_amount(Decimal("1.21"), Decimal("0.05"), RoundingDirection.UP)
    Decimal('1.25')
    >>> round_amount(Decimal("-1.21"), Decimal("1"), RoundingDirection.DOWN)
    Decimal('-2')
    """
    number = _decimal(value, "value")
    step = _positive_precision(precision)
    how = _direction(direction)
    ratio = Fraction(number) / Fraction(step)
    if how is RoundingDirection.UP:
        count = math.ceil(ratio)
    elif how is RoundingDirection.DOWN:
        count = math.floor(ratio)
    else:
        count = math.floor(abs(ratio) + Fraction(1, 2))
        count = -count if ratio < 0 else count
    return _multiple(count, step)


def _amount(value: Decimal | int | str) -> Decimal:
    return _decimal(value, "amount")


def _currency(value: Currency | str) -> Currency:
    if isinstance(value, Currency):
        return value
    return Currency.of(value)


def _mismatch(left: Currency, right: Currency) -> CurrencyMismatchError:
    if left.code != right.code:
        return CurrencyMismatchError(left.code, right.code)
    # Same code, different minor units: say so, or the message reads "EUR and EUR".
    return CurrencyMismatchError(
        f"{left.code} ({left.minor_units} minor units)",
        f"{right.code} ({right.minor_units} minor units)",
    )


def _ratio(value: object) -> Fraction:
    if isinstance(value, str):
        raise ValidationError("ratios", value, "each ratio must be a Decimal or an int")
    number = _decimal(value, "ratios")
    if number < 0:
        raise ValidationError("ratios", value, "each ratio must be zero or more")
    return Fraction(number)


@frozen
class Money:
    """An amount in one currency, quantized to the currency's minor units.

    Args:
        amount: A ``Decimal``, an ``int`` or numeric text; never a ``float``. It is
            rounded to the currency's minor units with ``ROUND_HALF_EVEN``.
        currency: A :class:`Currency`, or its code (looked up with
            :meth:`Currency.of`).

    Raises:
        ValidationError: The amount is a float, a bool, NaN, infinite, not a number or
            longer than 38 digits, or the currency is invalid.

    ``+``, ``-`` and the comparisons need the same currency on both sides and raise
    :class:`~relationship_mgmt.errors.CurrencyMismatchError` otherwise; ``==`` is
    simply false between currencies. ``*`` takes a ``Decimal`` or ``int`` factor.

    >>> Money("2.345", "EUR")
    Money(amount=Decimal('2.34'), currency=Currency(code='EUR', minor_units=2))
    >>> str(Money(1500, "JPY"))
    '1500 JPY'
    >>> Money(1, "EUR") < Money(2, "EUR")
    True
    >>> Money(1, "EUR") + Money(1, "USD")
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.CurrencyMismatchError: cannot combine amounts in EUR and USD
    """

    amount: Decimal = field(converter=_amount)
    currency: Currency = field(converter=_currency)

    def __attrs_post_init__(self) -> None:
        exponent = Decimal(1).scaleb(-self.currency.minor_units)
        try:
            quantized = self.amount.quantize(exponent, context=_QUANTIZE)
        except InvalidOperation:
            raise ValidationError(
                "amount", self.amount, f"has more than {_MAX_DIGITS} digits"
            ) from None
        if quantized.is_zero():
            # -0.00 == 0.00 already, but str() would show the sign.
            quantized = quantized.copy_abs()
        object.__setattr__(self, "amount", quantized)

    @classmethod
    def zero(cls, currency: Currency | str) -> Self:
        """Return nothing in ``currency``.

        >>> str(Money.zero("KWD"))
        '0.000 KWD'
        """
        return cls(0, currency)

    @classmethod
    def rounded(
        cls,
        amount: Decimal | int | str,
        currency: Currency | str,
        *,
        precision: Decimal | None = None,
        direction: RoundingDirection = RoundingDirection.NEAREST,
    ) -> Self:
        """Build an amount with BC's rounding instead of ``ROUND_HALF_EVEN``.

        Args:
            amount: As for the constructor.
            currency: As for the constructor.
            precision: BC's amount rounding precision; the currency's minor unit if
                ``None``. It must be a multiple of the minor unit (``0.05`` is fine for
                EUR, ``0.001`` is not).
            direction: As for :func:`round_amount`.

        Returns:
            The rounded amount.

        Raises:
            ValidationError: An invalid amount, currency, precision or direction.

        >>> str(Money.rounded("2.345", "EUR"))
        '2.35 EUR'
        >>> str(Money.rounded("2.31", "EUR", precision=Decimal("0.05")))
        '2.30 EUR'
        """
        unit = _currency(currency)
        step = unit.minor_unit if precision is None else _positive_precision(precision)
        if (Fraction(step) / Fraction(unit.minor_unit)).denominator != 1:
            raise ValidationError(
                "precision", precision, f"must be a multiple of {unit.minor_unit}"
            )
        return cls(round_amount(_amount(amount), step, direction), unit)

    @classmethod
    def sum(cls, amounts: Iterable[Money], currency: Currency | str) -> Self:
        """Add up ``amounts``, all in ``currency``; zero if there are none.

        Raises:
            CurrencyMismatchError: An amount is in another currency.

        >>> str(Money.sum([Money(1, "EUR"), Money("2.50", "EUR")], "EUR"))
        '3.50 EUR'
        >>> str(Money.sum([], "USD"))
        '0.00 USD'
        """
        total = cls.zero(currency)
        for amount in amounts:
            total += amount
        return total

    def _same_currency(self, other: Money) -> Decimal:
        if other.currency != self.currency:
            raise _mismatch(self.currency, other.currency)
        return other.amount

    def _with(self, amount: Decimal) -> Self:
        return type(self)(amount, self.currency)

    def __add__(self, other: object) -> Self:
        if not isinstance(other, Money):
            return NotImplemented
        return self._with(_EXACT.add(self.amount, self._same_currency(other)))

    def __sub__(self, other: object) -> Self:
        if not isinstance(other, Money):
            return NotImplemented
        return self._with(_EXACT.subtract(self.amount, self._same_currency(other)))

    def __neg__(self) -> Self:
        return self._with(self.amount.copy_negate())

    def __abs__(self) -> Self:
        return self._with(self.amount.copy_abs())

    def __mul__(self, factor: object) -> Self:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise ValidationError("factor", factor, "must be a finite number")
        try:
            product = _EXACT.multiply(self.amount, Decimal(factor))
        except Inexact:
            raise ValidationError("factor", factor, "has too many digits") from None
        return self._with(product)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount < self._same_currency(other)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount <= self._same_currency(other)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount > self._same_currency(other)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount >= self._same_currency(other)

    def allocate(self, ratios: Iterable[Decimal | int]) -> tuple[Self, ...]:
        """Split the amount by ``ratios`` without losing or creating a minor unit.

        Each part gets its share rounded down to whole minor units; the units left over
        go one each to the parts with the largest remainders (the earlier part on a
        tie). Negative amounts split the same way, with every part negative.

        Args:
            ratios: One non-negative ``Decimal`` or ``int`` per part; their sum must
                be positive.

        Returns:
            The parts, in the order of ``ratios``; they add up to this amount.

        Raises:
            ValidationError: No ratios, a negative, non-finite or non-numeric ratio,
                or ratios that add up to zero.

        >>> [str(p) for p in Money("0.05", "EUR").allocate([3, 7])]
        ['0.02 EUR', '0.03 EUR']
        >>> [str(p) for p in Money("-10", "EUR").allocate([1, 0, 2])]
        ['-3.33 EUR', '0.00 EUR', '-6.67 EUR']
        """
        weights = [_ratio(r) for r in ratios]
        total_weight = sum(weights, Fraction(0))
        if total_weight <= 0:
            raise ValidationError(
                "ratios", weights, "must be non-empty with a positive sum"
            )
        scale = 10**self.currency.minor_units
        units = Fraction(self.amount) * scale  # an integer: the amount is quantized
        sign = -1 if units < 0 else 1
        whole = int(abs(units))
        shares = [whole * w / total_weight for w in weights]
        parts = [math.floor(s) for s in shares]
        by_remainder = sorted(
            range(len(shares)), key=lambda i: shares[i] - parts[i], reverse=True
        )
        for i in by_remainder[: whole - sum(parts)]:
            parts[i] += 1
        return tuple(
            self._with(Decimal(sign * p).scaleb(-self.currency.minor_units, _EXACT))
            for p in parts
        )

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency.code}"
