"""Money, Currency and BC's Round (house style B11, B4)."""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.money import (
    Currency,
    Money,
    RoundingDirection,
    round_amount,
)
from relationship_mgmt.errors import CurrencyMismatchError, ValidationError

EUR = Currency("EUR")
USD = Currency("USD")
JPY = Currency("JPY")
KWD = Currency("KWD")

CENT = Decimal("0.01")


_OPERATIONS: dict[str, Callable[[Any, Any], object]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def eur(amount: str | int) -> Money:
    return Money(amount, EUR)


# --- Currency -----------------------------------------------------------------------


def test_currency_code_is_trimmed_and_upper_cased() -> None:
    assert Currency(" eur ").code == "EUR"


@pytest.mark.parametrize(
    ("code", "minor_units"),
    [
        ("EUR", 2),
        ("usd", 2),
        ("GBP", 2),
        ("DKK", 2),
        ("SEK", 2),
        ("NOK", 2),
        ("CHF", 2),
        ("jpy", 0),
        ("KWD", 3),
        ("BHD", 3),
        ("XYZ", 2),  # unknown code: the default
    ],
)
def test_currency_of_uses_the_minor_units_table(code: str, minor_units: int) -> None:
    assert Currency.of(code).minor_units == minor_units
    assert Currency(code) == Currency.of(code)


def test_currency_of_accepts_explicit_minor_units() -> None:
    assert Currency.of("xbt", 8) == Currency("XBT", 8)
    assert Currency.of("JPY", 2).minor_units == 2


@pytest.mark.parametrize("code", ["", "EU", "EURO", "E1R", "€UR", "E R"])
def test_currency_refuses_codes_that_are_not_three_letters(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        Currency(code)

    assert info.value.field == "currency"


def test_currency_refuses_a_non_string_code() -> None:
    code: Any = 978

    with pytest.raises(ValidationError) as info:
        Currency(code)

    assert (info.value.field, info.value.value) == ("currency", 978)


@pytest.mark.parametrize("minor_units", [-1, 9, True, "2", 2.0])
def test_currency_refuses_bad_minor_units(minor_units: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Currency("EUR", minor_units)

    assert info.value.field == "minor_units"


def test_currency_str_minor_unit_and_hash() -> None:
    assert str(KWD) == "KWD"
    assert KWD.minor_unit == Decimal("0.001")
    assert JPY.minor_unit == Decimal(1)
    assert len({Currency("eur"), EUR, Currency("EUR", 2)}) == 1


# --- Money: construction ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("12.5"), Decimal("12.50")),
        (12, Decimal("12.00")),
        ("12.5", Decimal("12.50")),
        (" -3 ", Decimal("-3.00")),
        ("1E+2", Decimal("100.00")),
    ],
)
def test_money_accepts_decimal_int_and_text(
    amount: Decimal | int | str, expected: Decimal
) -> None:
    money = Money(amount, EUR)

    assert money.amount == expected
    assert money.amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("2.345", "2.34"),  # half to even: down
        ("2.355", "2.36"),  # half to even: up
        ("0.125", "0.12"),
        ("-2.345", "-2.34"),
        ("2.3451", "2.35"),
    ],
)
def test_money_quantizes_half_even_to_minor_units(amount: str, expected: str) -> None:
    assert eur(amount).amount == Decimal(expected)


def test_money_quantizes_to_each_currencys_minor_units() -> None:
    assert Money("1500.5", JPY).amount == Decimal(1500)
    assert Money("1501.5", JPY).amount == Decimal(1502)
    assert Money("1.2345", KWD).amount == Decimal("1.234")


def test_money_takes_a_currency_code() -> None:
    assert Money(1, "jpy") == Money(1, JPY)


def test_money_refuses_a_currency_that_is_not_a_currency() -> None:
    currency: Any = 978

    with pytest.raises(ValidationError) as info:
        Money(1, currency)

    assert info.value.field == "currency"


@pytest.mark.parametrize(
    "amount",
    [
        1.5,  # float: house style B11 refuses it (as a ValidationError, see money.py)
        True,
        None,
        [1],
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        "NaN",
        "Infinity",
        "abc",
        "",
        "1,50",
    ],
)
def test_money_refuses_amounts_that_are_not_finite_numbers(amount: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Money(amount, EUR)

    assert info.value.field == "amount"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("amount", [10**40, "1E+37", "1E+5000", "1E-5000"])
def test_money_refuses_amounts_out_of_range(amount: int | str) -> None:
    with pytest.raises(ValidationError) as info:
        Money(amount, EUR)

    assert info.value.field == "amount"


def test_money_keeps_38_digits() -> None:
    amount = "9" * 36 + ".99"

    assert str(eur(amount)) == f"{amount} EUR"


def test_money_has_no_negative_zero() -> None:
    assert str(eur("-0.001")) == "0.00 EUR"
    assert str(-Money.zero(EUR)) == "0.00 EUR"


def test_money_equality_is_by_value_after_quantizing() -> None:
    assert eur("1.0") == eur("1.00") == eur("1.001")
    assert hash(eur("1.0")) == hash(eur("1.00"))
    assert eur(1) != Money(1, USD)
    assert eur(1) != Decimal(1)


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money("12.5", "EUR"), "12.50 EUR"),
        (Money("-0.5", "USD"), "-0.50 USD"),
        (Money(1500, "JPY"), "1500 JPY"),
        (Money("1E+3", "JPY"), "1000 JPY"),
        (Money("0.0000001", Currency("XBT", 8)), "0.00000010 XBT"),
        (Money(7, "KWD"), "7.000 KWD"),
    ],
)
def test_money_str_is_plain_amount_and_code(money: Money, text: str) -> None:
    assert str(money) == text


def test_money_zero() -> None:
    assert Money.zero(EUR) == eur(0)
    assert Money.zero("kwd").amount.as_tuple().exponent == -3


# --- Money: arithmetic --------------------------------------------------------------


def test_money_adds_subtracts_and_negates_within_one_currency() -> None:
    assert eur("12.50") + eur("0.75") == eur("13.25")
    assert eur("12.50") - eur("20") == eur("-7.50")
    assert -eur("3.10") == eur("-3.10")
    assert abs(eur("-3.10")) == eur("3.10")
    assert abs(eur("3.10")) == eur("3.10")


def test_money_arithmetic_ignores_the_callers_decimal_context() -> None:
    big = eur("123456789.01")

    with decimal.localcontext() as context:
        context.prec = 3
        total = big + eur("0.01")
        difference = big - eur("0.01")
        product = big * 3
        negated = -big

    assert total == eur("123456789.02")
    assert difference == eur("123456789.00")
    assert product == eur("370370367.03")
    assert negated == eur("-123456789.01")


@pytest.mark.parametrize("operation", ["+", "-", "<", "<=", ">", ">="])
def test_money_of_two_currencies_does_not_mix(operation: str) -> None:
    left, right = eur(1), Money(1, USD)

    with pytest.raises(CurrencyMismatchError) as info:
        _apply(operation, left, right)

    assert (info.value.left, info.value.right) == ("EUR", "USD")
    assert isinstance(info.value, ValueError)


def test_money_with_same_code_but_other_minor_units_does_not_mix() -> None:
    left, right = eur(1), Money(1, Currency("EUR", 3))

    with pytest.raises(CurrencyMismatchError) as info:
        left + right

    assert info.value.left != info.value.right
    assert info.value.left.startswith("EUR")
    assert "3" in info.value.right


def _apply(operation: str, left: Any, right: Any) -> object:
    return _OPERATIONS[operation](left, right)


@pytest.mark.parametrize(
    ("operation", "other"),
    [
        (operation, other)
        for operation in _OPERATIONS
        for other in (1, Decimal(1), "1", None, 1.5)
        if not (operation == "*" and isinstance(other, int | Decimal))
    ],
)
def test_money_returns_not_implemented_for_foreign_operands(
    operation: str, other: object
) -> None:
    with pytest.raises(TypeError):
        _apply(operation, eur(1), other)


def test_money_multiplies_by_int_and_decimal_scalars_and_quantizes() -> None:
    assert eur("12.50") * 3 == eur("37.50")
    assert 3 * eur("12.50") == eur("37.50")
    assert eur("10.00") * Decimal("0.125") == eur("1.25")  # 1.25 exactly
    assert eur("0.10") * Decimal("0.125") == eur("0.01")  # 0.0125 -> half even
    assert eur("0.30") * Decimal("0.125") == eur("0.04")  # 0.0375 -> 0.04
    assert eur("1.00") * -2 == eur("-2.00")


@pytest.mark.parametrize("factor", [True, 1.5, "2"])
def test_money_refuses_factors_that_are_not_decimal_or_int(factor: object) -> None:
    with pytest.raises(TypeError):
        _apply("*", eur(1), factor)


@pytest.mark.parametrize(
    "factor", [Decimal("NaN"), Decimal("Infinity"), Decimal("1." + "1" * 90)]
)
def test_money_refuses_non_finite_or_overlong_factors(factor: Decimal) -> None:
    with pytest.raises(ValidationError) as info:
        eur(1) * factor

    assert info.value.field == "factor"


def test_money_product_too_large_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        eur("9" * 30) * 10**10

    assert info.value.field == "amount"


def test_money_compares_within_one_currency() -> None:
    small, large = eur("1.99"), eur("2.00")

    assert small < large
    assert small <= large
    assert small <= eur("1.99")
    assert large > small
    assert large >= small
    assert large >= eur(2)
    assert not large < small
    assert sorted([large, small]) == [small, large]


def test_money_sum_adds_amounts_of_one_currency() -> None:
    assert Money.sum([eur(1), eur("2.50"), eur("-0.25")], EUR) == eur("3.25")
    assert Money.sum(iter([eur(1)]), "eur") == eur(1)
    assert Money.sum([], USD) == Money.zero(USD)


def test_money_sum_refuses_mixed_currencies() -> None:
    with pytest.raises(CurrencyMismatchError) as info:
        Money.sum([eur(1), Money(1, USD)], EUR)

    assert (info.value.left, info.value.right) == ("EUR", "USD")


def test_money_sum_refuses_amounts_of_another_currency_than_asked() -> None:
    with pytest.raises(CurrencyMismatchError):
        Money.sum([eur(1)], USD)


# --- Money: allocate ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ratios", "expected"),
    [
        ("100", [1, 1, 1], ["33.34", "33.33", "33.33"]),
        ("0.05", [3, 7], ["0.02", "0.03"]),
        ("0.05", [1, 1], ["0.03", "0.02"]),
        ("10", [1, 0, 2], ["3.33", "0.00", "6.67"]),
        ("-10", [1, 0, 2], ["-3.33", "0.00", "-6.67"]),
        (
            "1",
            [Decimal("0.5"), Decimal("0.25"), Decimal("0.25")],
            ["0.50", "0.25", "0.25"],
        ),
        ("0", [1, 2], ["0.00", "0.00"]),
        ("0.01", [1, 1, 1], ["0.01", "0.00", "0.00"]),
        ("7", [1], ["7.00"]),
    ],
)
def test_allocate_splits_without_losing_cents(
    amount: str, ratios: list[Decimal | int], expected: list[str]
) -> None:
    parts = eur(amount).allocate(ratios)

    assert parts == tuple(eur(e) for e in expected)
    assert Money.sum(parts, EUR) == eur(amount)


def test_allocate_works_in_the_currencys_minor_units() -> None:
    assert Money(100, JPY).allocate([1, 1, 1]) == (
        Money(34, JPY),
        Money(33, JPY),
        Money(33, JPY),
    )
    assert Money(1, KWD).allocate([1, 2]) == (
        Money("0.333", KWD),
        Money("0.667", KWD),
    )


def test_allocate_accepts_any_iterable_of_ratios() -> None:
    assert eur(1).allocate(iter([1, 3])) == (eur("0.25"), eur("0.75"))


@pytest.mark.parametrize(
    "ratios",
    [
        [],
        [0, 0],
        [1, -1],
        [1.5, 1],
        ["1", 1],
        [True, 1],
        [Decimal("NaN"), 1],
        [Decimal("Infinity")],
        [None],
        [10**2000],
    ],
)
def test_allocate_refuses_bad_ratios(ratios: list[Any]) -> None:
    with pytest.raises(ValidationError) as info:
        eur(10).allocate(ratios)

    assert info.value.field == "ratios"


# --- BC Round -----------------------------------------------------------------------


def test_rounding_direction_values_are_bcs_symbols() -> None:
    assert [d.value for d in RoundingDirection] == ["=", ">", "<"]


@pytest.mark.parametrize(
    ("value", "precision", "direction", "expected"),
    [
        # '=' nearest, ties away from zero (BC Round)
        ("2.345", "0.01", "=", "2.35"),
        ("-2.345", "0.01", "=", "-2.35"),
        ("2.344", "0.01", "=", "2.34"),
        ("2.5", "1", "=", "3"),
        ("-2.5", "1", "=", "-3"),
        ("0.5", "1", "=", "1"),
        ("-0.4", "1", "=", "0"),
        ("1.26", "0.05", "=", "1.25"),
        ("1.275", "0.05", "=", "1.30"),
        ("-1.275", "0.05", "=", "-1.30"),
        ("1234.5678", "0.001", "=", "1234.568"),
        ("1234.5678", "10", "=", "1230"),
        ("1235", "10", "=", "1240"),
        ("1234.5678", "1E+2", "=", "1200"),
        # '>' up, towards +infinity
        ("2.341", "0.01", ">", "2.35"),
        ("-2.349", "0.01", ">", "-2.34"),
        ("1.21", "0.05", ">", "1.25"),
        ("2.34", "0.01", ">", "2.34"),
        # '<' down, towards -infinity
        ("2.349", "0.01", "<", "2.34"),
        ("-2.341", "0.01", "<", "-2.35"),
        ("-1.21", "1", "<", "-2"),
        ("2.34", "0.01", "<", "2.34"),
    ],
)
def test_round_amount_reproduces_bc_round(
    value: str, precision: str, direction: str, expected: str
) -> None:
    result = round_amount(
        Decimal(value), Decimal(precision), RoundingDirection(direction)
    )

    assert result == Decimal(expected)


def test_round_amount_defaults_to_cents_nearest() -> None:
    assert round_amount(Decimal("2.345")) == Decimal("2.35")
    assert str(round_amount(Decimal(2))) == "2.00"


def test_round_amount_result_carries_the_precisions_exponent() -> None:
    assert str(round_amount(Decimal("1.2"), Decimal("0.05"))) == "1.20"
    assert str(round_amount(Decimal("-0.001"))) == "0.00"
    assert str(round_amount(Decimal("7.7"), Decimal(1))) == "8"


def test_round_amount_accepts_int_and_plain_direction_text() -> None:
    value: Any = 7
    direction: Any = ">"

    assert round_amount(value, Decimal(5), direction) == Decimal(10)


def test_round_amount_handles_bc_profile_precisions() -> None:
    # §2.13 "No. of Decimals" -25..25: precision 10^(-n)
    assert round_amount(Decimal("1.5E+25"), Decimal("1E+25")) == Decimal("2E+25")
    assert round_amount(Decimal("1.5E-25"), Decimal("1E-25")) == Decimal("2E-25")


@pytest.mark.parametrize("precision", [Decimal(0), Decimal("-0.01"), -1])
def test_round_amount_refuses_a_precision_that_is_not_positive(
    precision: Any,
) -> None:
    with pytest.raises(ValidationError) as info:
        round_amount(Decimal(1), precision)

    assert info.value.field == "precision"


@pytest.mark.parametrize("precision", [Decimal("NaN"), 0.01, "x"])
def test_round_amount_refuses_a_precision_that_is_not_a_number(
    precision: Any,
) -> None:
    with pytest.raises(ValidationError) as info:
        round_amount(Decimal(1), precision)

    assert info.value.field == "precision"


@pytest.mark.parametrize("value", [1.5, Decimal("Infinity"), True, "1E+999999999"])
def test_round_amount_refuses_values_it_cannot_round(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        round_amount(value)

    assert info.value.field == "value"


@pytest.mark.parametrize("direction", ["", "up", "=>", 1])
def test_round_amount_refuses_unknown_directions(direction: Any) -> None:
    with pytest.raises(ValidationError) as info:
        round_amount(Decimal(1), Decimal(1), direction)

    assert (info.value.field, info.value.value) == ("direction", direction)


# --- Money.rounded (BC rounding instead of half even) -------------------------------


def test_money_rounded_uses_bc_round_at_the_minor_unit() -> None:
    assert Money.rounded("2.345", EUR) == eur("2.35")
    assert Money.rounded("-2.345", "EUR") == eur("-2.35")
    assert Money.rounded("2.5", JPY) == Money(3, JPY)


def test_money_rounded_takes_precision_and_direction() -> None:
    assert Money.rounded("2.31", EUR, precision=Decimal("0.05")) == eur("2.30")
    assert Money.rounded(
        "2.31", EUR, precision=Decimal("0.05"), direction=RoundingDirection.UP
    ) == eur("2.35")
    assert Money.rounded(
        "2.39", EUR, precision=Decimal(1), direction=RoundingDirection.DOWN
    ) == eur(2)


@pytest.mark.parametrize("precision", [Decimal("0.001"), Decimal("0.015"), Decimal(0)])
def test_money_rounded_refuses_a_precision_finer_than_or_off_the_minor_unit(
    precision: Decimal,
) -> None:
    with pytest.raises(ValidationError) as info:
        Money.rounded("1", EUR, precision=precision)

    assert info.value.field == "precision"


def test_money_rounded_refuses_bad_amounts() -> None:
    amount: Any = 1.5

    with pytest.raises(ValidationError) as info:
        Money.rounded(amount, EUR)

    assert info.value.field == "amount"


# --- properties ---------------------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-1E12"),
    max_value=Decimal("1E12"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
euros = amounts.map(lambda a: Money(a, EUR))
ratios = st.one_of(
    st.integers(min_value=0, max_value=1000),
    st.decimals(
        min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False
    ),
)


@given(euros, euros, euros)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@given(euros, euros)
def test_addition_is_commutative_and_subtraction_undoes_it(a: Money, b: Money) -> None:
    assert a + b == b + a
    assert a + b - b == a
    assert a - a == Money.zero(EUR)


@given(euros)
def test_str_round_trips(money: Money) -> None:
    amount, code = str(money).split(" ")

    assert Money(amount, code) == money


@given(euros, st.lists(ratios, min_size=1, max_size=12))
def test_allocate_conserves_the_total_and_stays_near_exact_shares(
    money: Money, weights: list[Decimal | int]
) -> None:
    if sum(weights) == 0:
        weights = [*weights, 1]

    parts = money.allocate(weights)

    assert len(parts) == len(weights)
    assert Money.sum(parts, EUR) == money
    total_weight = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(money.amount) * Fraction(weight) / total_weight
        assert abs(Fraction(part.amount) - exact) < Fraction(CENT)


@given(euros, st.integers(min_value=1, max_value=50), ratios.filter(bool))
def test_allocate_with_equal_ratios_differs_by_at_most_one_minor_unit(
    money: Money, count: int, ratio: Decimal | int
) -> None:
    parts = money.allocate([ratio] * count)

    assert Money.sum(parts, EUR) == money
    assert max(parts) - min(parts) <= eur("0.01")


precisions = st.sampled_from(
    [Decimal(s) for s in ("0.01", "0.05", "0.001", "1", "0.25", "10", "1E+2", "0.03")]
)
values = st.decimals(
    min_value=Decimal("-1E9"),
    max_value=Decimal("1E9"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)


@given(values, precisions, st.sampled_from(list(RoundingDirection)))
def test_round_amount_gives_a_multiple_of_precision_within_one_step(
    value: Decimal, precision: Decimal, direction: RoundingDirection
) -> None:
    result = round_amount(value, precision, direction)

    steps = Fraction(result) / Fraction(precision)
    difference = Fraction(result) - Fraction(value)
    assert steps.denominator == 1
    assert abs(difference) < Fraction(precision)
    if direction is RoundingDirection.UP:
        assert difference >= 0
    elif direction is RoundingDirection.DOWN:
        assert difference <= 0
    else:
        assert abs(difference) <= Fraction(precision) / 2


@given(values)
def test_round_amount_is_symmetric_around_zero_when_nearest(value: Decimal) -> None:
    assert round_amount(-value) == -round_amount(value)


@given(values, precisions)
def test_money_rounded_agrees_with_round_amount(
    value: Decimal, precision: Decimal
) -> None:
    if (Fraction(precision) / Fraction(CENT)).denominator != 1:
        return

    assert Money.rounded(value, EUR, precision=precision).amount == round_amount(
        value, precision
    )
