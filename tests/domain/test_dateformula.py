from __future__ import annotations

import calendar
import contextlib
import copy
import pickle
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.dateformula import (
    DateFormula,
    Term,
    TermKind,
    Unit,
    calc_date,
)
from relationship_mgmt.errors import DateFormulaError, ValidationError

SIGNS: tuple[Literal[1, -1], ...] = (1, -1)

# -- strategies ---------------------------------------------------------------------

signs = st.sampled_from(SIGNS)
relative_terms = st.builds(
    Term.relative, st.integers(0, 9999), st.sampled_from(list(Unit)), sign=signs
)
positional_terms = st.one_of(
    st.builds(Term.positional, st.just(Unit.WEEKDAY), st.integers(1, 7), sign=signs),
    st.builds(Term.positional, st.just(Unit.DAY), st.integers(1, 31), sign=signs),
)
current_terms = st.builds(
    Term.current,
    st.sampled_from([unit for unit in Unit if unit is not Unit.WEEKDAY]),
    sign=signs,
)
terms = st.one_of(relative_terms, positional_terms, current_terms)
formulas = st.lists(terms, max_size=3).map(DateFormula)
# Dates far enough from both ends of the calendar that no single term leaves it.
safe_dates = st.dates(min_value=date(1000, 1, 1), max_value=date(8000, 12, 31))
formula_alphabet = "0123456789+-<> CDWMQYcdwmqy\t"


# -- spec §10.3 worked examples -------------------------------------------------------

WORKED_EXAMPLES = [
    ("CQ+1M-10D", date(1996, 5, 21), date(1996, 7, 20)),
    ("-WD2", date(1996, 5, 21), date(1996, 5, 14)),
    ("CM+30D", date(1996, 5, 21), date(1996, 6, 30)),
    ("1W", date(2024, 3, 13), date(2024, 3, 20)),
    ("CW", date(2024, 3, 13), date(2024, 3, 17)),
    ("-CW", date(2024, 3, 13), date(2024, 3, 11)),
    ("CM+1D", date(2024, 3, 13), date(2024, 4, 1)),
    ("-CM", date(2024, 3, 13), date(2024, 3, 1)),
    ("1M+CM", date(2024, 3, 13), date(2024, 4, 30)),
    ("WD1", date(2024, 3, 13), date(2024, 3, 18)),
    ("WD3", date(2024, 3, 13), date(2024, 3, 20)),
    ("-1Y", date(2024, 3, 13), date(2023, 3, 13)),
    ("CQ", date(2024, 3, 13), date(2024, 3, 31)),
    ("D15", date(2024, 3, 13), date(2024, 3, 15)),
]


@pytest.mark.parametrize("bracketed", [False, True])
@pytest.mark.parametrize(("text", "base", "expected"), WORKED_EXAMPLES)
def test_worked_examples_of_the_spec(
    text: str, base: date, expected: date, *, bracketed: bool
) -> None:
    formula_text = f"<{text}>" if bracketed else text

    result = calc_date(formula_text, base)

    assert result == expected
    assert DateFormula.parse(formula_text).apply(base) == expected


def test_cm_plus_1d_is_the_first_of_next_month() -> None:
    assert calc_date("CM+1D", date(2026, 2, 10)) == date(2026, 3, 1)


def test_calc_date_takes_a_parsed_formula_too() -> None:
    formula = DateFormula.parse("CM+1D")

    assert calc_date(formula, date(2026, 2, 10)) == date(2026, 3, 1)


# -- relative terms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("1M", date(2024, 1, 31), date(2024, 2, 29)),
        ("1M", date(2023, 1, 31), date(2023, 2, 28)),
        ("-1M", date(2024, 3, 31), date(2024, 2, 29)),
        ("1M", date(2024, 3, 31), date(2024, 4, 30)),
        ("2M", date(2023, 12, 31), date(2024, 2, 29)),
        ("3M", date(2024, 11, 15), date(2025, 2, 15)),
        ("-13M", date(2024, 1, 15), date(2022, 12, 15)),
        ("1Q", date(2024, 5, 31), date(2024, 8, 31)),
        ("1Q", date(2024, 11, 30), date(2025, 2, 28)),
        ("-2Q", date(2024, 8, 31), date(2024, 2, 29)),
        ("1Y", date(2024, 2, 29), date(2025, 2, 28)),
        ("-1Y", date(2024, 2, 29), date(2023, 2, 28)),
        ("4Y", date(2024, 2, 29), date(2028, 2, 29)),
        ("100Y", date(2000, 2, 29), date(2100, 2, 28)),
        ("1M+1M", date(2024, 1, 31), date(2024, 3, 29)),
        ("2M", date(2024, 1, 31), date(2024, 3, 31)),
        ("0D", date(2024, 1, 31), date(2024, 1, 31)),
        ("-0M", date(2024, 1, 31), date(2024, 1, 31)),
        ("9999D", date(2000, 1, 1), date(2000, 1, 1) + timedelta(days=9999)),
        ("-2W", date(2024, 3, 13), date(2024, 2, 28)),
        ("1D+2W-3D", date(2024, 3, 13), date(2024, 3, 25)),
        ("-1D-1D-1D", date(2024, 3, 1), date(2024, 2, 27)),
    ],
)
def test_relative_terms_clamp_to_the_end_of_short_months(
    text: str, base: date, expected: date
) -> None:
    assert calc_date(text, base) == expected


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("5WD", date(2024, 3, 13), date(2024, 3, 18)),
        ("1WD", date(2024, 3, 15), date(2024, 3, 16)),
        ("-2WD", date(2024, 3, 18), date(2024, 3, 16)),
    ],
)
def test_n_wd_counts_calendar_days_like_the_reference_sketch(
    text: str, base: date, expected: date
) -> None:
    assert calc_date(text, base) == expected


# -- current periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("CD", date(2024, 3, 13), date(2024, 3, 13)),
        ("-CD", date(2024, 3, 13), date(2024, 3, 13)),
        ("CW", date(2024, 3, 17), date(2024, 3, 17)),
        ("-CW", date(2024, 3, 11), date(2024, 3, 11)),
        ("-CW", date(2024, 3, 17), date(2024, 3, 11)),
        ("+CW", date(2024, 3, 11), date(2024, 3, 17)),
        ("CM", date(2024, 2, 10), date(2024, 2, 29)),
        ("CM", date(2023, 2, 10), date(2023, 2, 28)),
        ("CM", date(2100, 2, 1), date(2100, 2, 28)),
        ("CM", date(2000, 2, 1), date(2000, 2, 29)),
        ("CM", date(2024, 12, 31), date(2024, 12, 31)),
        ("-CM", date(2024, 12, 31), date(2024, 12, 1)),
        ("CQ", date(2024, 4, 1), date(2024, 6, 30)),
        ("CQ", date(2024, 8, 15), date(2024, 9, 30)),
        ("CQ", date(2024, 12, 1), date(2024, 12, 31)),
        ("-CQ", date(2024, 6, 30), date(2024, 4, 1)),
        ("-CQ", date(2024, 3, 31), date(2024, 1, 1)),
        ("-CQ", date(2024, 11, 2), date(2024, 10, 1)),
        ("CY", date(2024, 3, 13), date(2024, 12, 31)),
        ("-CY", date(2024, 3, 13), date(2024, 1, 1)),
        ("-CY+7M-1D", date(2021, 6, 15), date(2021, 7, 31)),
        ("3M-CQ+WD1", date(2021, 6, 15), date(2021, 7, 5)),
    ],
)
def test_current_period_terms(text: str, base: date, expected: date) -> None:
    assert calc_date(text, base) == expected


# -- positional terms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("WD3", date(2024, 3, 13), date(2024, 3, 20)),
        ("WD4", date(2024, 3, 13), date(2024, 3, 14)),
        ("WD2", date(2024, 3, 13), date(2024, 3, 19)),
        ("WD7", date(2024, 3, 17), date(2024, 3, 24)),
        ("WD1", date(2024, 3, 17), date(2024, 3, 18)),
        ("-WD3", date(2024, 3, 13), date(2024, 3, 6)),
        ("-WD4", date(2024, 3, 13), date(2024, 3, 7)),
        ("-WD1", date(2024, 3, 11), date(2024, 3, 4)),
        ("-WD7", date(2024, 3, 11), date(2024, 3, 10)),
        ("WD1", date(2024, 12, 31), date(2025, 1, 6)),
    ],
)
def test_weekday_terms_are_strictly_after_or_before(
    text: str, base: date, expected: date
) -> None:
    assert calc_date(text, base) == expected


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("D15", date(2024, 3, 15), date(2024, 4, 15)),
        ("D15", date(2024, 3, 16), date(2024, 4, 15)),
        ("D31", date(2024, 4, 5), date(2024, 5, 31)),
        ("D31", date(2024, 1, 31), date(2024, 3, 31)),
        ("D30", date(2024, 1, 30), date(2024, 3, 30)),
        ("D29", date(2023, 2, 10), date(2023, 3, 29)),
        ("D29", date(2024, 2, 10), date(2024, 2, 29)),
        ("D1", date(2024, 12, 31), date(2025, 1, 1)),
        ("D31", date(2024, 12, 31), date(2025, 1, 31)),
        ("-D15", date(2024, 3, 15), date(2024, 2, 15)),
        ("-D10", date(2024, 3, 20), date(2024, 3, 10)),
        ("-D31", date(2024, 3, 15), date(2024, 1, 31)),
        ("-D30", date(2024, 3, 1), date(2024, 1, 30)),
        ("-D29", date(2024, 3, 1), date(2024, 2, 29)),
        ("-D31", date(2024, 1, 5), date(2023, 12, 31)),
        ("-D1", date(2024, 1, 1), date(2023, 12, 1)),
        ("D6+CM", date(2024, 8, 5), date(2024, 8, 31)),
        ("D6+CM", date(2024, 8, 6), date(2024, 9, 30)),
    ],
)
def test_day_of_month_terms_are_strict_and_skip_short_months(
    text: str, base: date, expected: date
) -> None:
    assert calc_date(text, base) == expected


# -- text forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("", ""),
        ("   ", ""),
        ("<>", ""),
        ("< >", ""),
        ("CM+1D", "CM+1D"),
        ("+CM+1D", "CM+1D"),
        ("cm+1d", "CM+1D"),
        ("Cm + 1d", "CM+1D"),
        (" < cm +1D > ", "CM+1D"),
        ("<-wd2>", "-WD2"),
        ("- wd2", "-WD2"),
        ("\t1m\t+\tcm\n", "1M+CM"),
        ("007D", "7D"),
        ("00000000000000000001D", "1D"),
        ("-0D", "-0D"),
        ("+0D", "0D"),
        ("5wd", "5WD"),
        ("d31", "D31"),
        ("1y-1q+1w", "1Y-1Q+1W"),
        (" " * 100 + "1D", "1D"),
    ],
)
def test_parse_gives_the_canonical_text(text: str, canonical: str) -> None:
    formula = DateFormula.parse(text)

    assert str(formula) == canonical
    assert DateFormula.parse(canonical) == formula


def test_equal_formulas_compare_and_hash_equal() -> None:
    formulas = {DateFormula.parse("1d"), DateFormula.parse("<1D>"), DateFormula()}

    assert formulas == {DateFormula.parse("+1D"), DateFormula.parse("")}


def test_empty_formula_returns_the_base_date() -> None:
    base = date(2024, 3, 13)

    assert DateFormula().apply(base) == base
    assert calc_date("", base) == base
    assert str(DateFormula()) == ""


def test_parse_reads_the_terms() -> None:
    formula = DateFormula.parse("CQ+1M-WD2")

    assert formula.terms == (
        Term(TermKind.CURRENT, Unit.QUARTER),
        Term(TermKind.RELATIVE, Unit.MONTH, 1),
        Term(TermKind.POSITIONAL, Unit.WEEKDAY, 2, -1),
    )


@pytest.mark.parametrize("text", ["", "CM+1D", "-WD2+D10-3M", "1M+CM-CW"])
def test_formulas_survive_pickle_and_deepcopy(text: str) -> None:
    formula = DateFormula.parse(text)
    base = date(2024, 3, 13)

    for copied in (pickle.loads(pickle.dumps(formula)), copy.deepcopy(formula)):  # noqa: S301
        assert copied == formula
        assert copied.apply(base) == formula.apply(base)


def test_formula_can_be_built_from_terms() -> None:
    terms = [Term.current(Unit.MONTH), Term.relative(1, Unit.DAY)]

    formula = DateFormula(terms)

    assert formula.terms == tuple(terms)
    assert str(formula) == "CM+1D"
    assert formula == DateFormula.parse("CM+1D")
    assert formula.apply(date(2026, 2, 10)) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (Term.relative(30, Unit.DAY), "30D"),
        (Term.relative(2, Unit.WEEKDAY, sign=-1), "-2WD"),
        (Term.positional(Unit.DAY, 10), "D10"),
        (Term.positional(Unit.WEEKDAY, 4, sign=-1), "-WD4"),
        (Term.current(Unit.YEAR), "CY"),
        (Term.current(Unit.WEEK, sign=-1), "-CW"),
    ],
)
def test_term_text(term: Term, text: str) -> None:
    assert str(term) == text


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("1X", 1),
        ("X", 0),
        ("CM+", 3),
        ("1D+", 3),
        ("+", 1),
        ("-", 1),
        ("- ", 1),
        ("1D+2D+3D+4D", 8),
        ("1D+2D+3D-CM", 8),
        ("1d+2d+3d 4d", 9),
        ("10000D", 0),
        ("99999999999999999999D", 0),
        ("1D+10000D", 3),
        ("WD8", 2),
        ("WD0", 2),
        ("-WD9", 3),
        ("D32", 1),
        ("D0", 1),
        ("D00032", 1),
        ("C", 1),
        ("CX", 1),
        ("C1", 1),
        ("CWD", 1),
        ("++1D", 1),
        ("+-1D", 1),
        ("+ -1D", 2),
        ("1", 1),
        ("1D+2", 4),
        ("<1D", 3),
        ("<", 1),
        ("  <  ", 3),
        ("1D>", 2),
        ("<<1D>>", 1),
        ("<1X>", 2),
        ("M3", 0),
        ("-Q1", 1),
        ("W2", 0),
        ("1D+Y1", 3),
        ("1D 2D", 3),
        ("CM1D", 2),
        ("1D2X", 2),
        ("1 D", 1),
        ("WD", 2),
        ("WX", 1),
        ("D", 1),
        ("1D+D", 4),
        ("  1X", 3),
        ("1D+X", 3),
        ("1D +X", 4),
        ("1D 2X", 3),
        ("1D;", 2),
        ("\u0661D", 0),
        ("\uff11D", 0),
        ("1\uff24", 1),
        ("1D\u00df", 2),
    ],
)
def test_bad_formulas_report_the_position_of_the_fault(
    text: str, position: int
) -> None:
    with pytest.raises(DateFormulaError) as info:
        DateFormula.parse(text)

    assert info.value.position == position
    assert info.value.text == text
    assert info.value.field == "date_formula"


def test_too_many_terms_is_reported_as_such() -> None:
    with pytest.raises(DateFormulaError) as info:
        DateFormula.parse("1D+2D+3D+4D")

    assert "more than 3 terms" in info.value.reason


def test_positional_month_is_refused_rather_than_guessed() -> None:
    with pytest.raises(DateFormulaError) as info:
        calc_date("M3", date(2024, 1, 1))

    assert info.value.position == 0
    assert "not supported" in info.value.reason


def test_long_bad_text_is_refused() -> None:
    text = " " * 100 + "1D+"

    with pytest.raises(DateFormulaError) as info:
        DateFormula.parse(text)

    assert info.value.position == len(text)


@pytest.mark.parametrize("value", [None, 5, b"1D", ["1D"], 1.5])
def test_parse_refuses_what_is_not_text(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        DateFormula.parse(value)

    assert info.value.value is value


@pytest.mark.parametrize("value", [None, 5, b"1D", Term.relative(1, Unit.DAY)])
def test_calc_date_refuses_what_is_not_a_formula(value: Any) -> None:
    with pytest.raises(ValidationError):
        calc_date(value, date(2024, 1, 1))


@pytest.mark.parametrize(
    "value", [None, "2024-01-01", 20240101, datetime(2024, 1, 1, 12, 0, tzinfo=UTC)]
)
def test_apply_refuses_what_is_not_a_date(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        DateFormula.parse("1D").apply(value)

    assert info.value.field == "base"


def test_apply_accepts_a_date_subclass_and_returns_a_plain_date() -> None:
    class BusinessDate(date):
        pass

    result = DateFormula.parse("CD").apply(BusinessDate(2024, 3, 13))

    assert type(result) is date
    assert result == date(2024, 3, 13)


@pytest.mark.parametrize(
    ("text", "base", "position"),
    [
        ("CW", date(9999, 12, 31), 0),
        ("1D", date(9999, 12, 31), 0),
        ("-1D", date(1, 1, 1), 0),
        ("1Y", date(9999, 6, 1), 0),
        ("-1M", date(1, 1, 31), 0),
        ("D5", date(9999, 12, 10), 0),
        ("-D5", date(1, 1, 3), 0),
        ("WD1", date(9999, 12, 31), 0),
        ("-WD7", date(1, 1, 1), 0),
        ("-1W", date(1, 1, 5), 0),
        ("CM+1D", date(9999, 12, 5), 2),
        ("1D+2D", date(9999, 12, 30), 2),
        ("CD+CD+9999Y", date(2024, 1, 1), 5),
        ("9999W-9999W", date(9900, 1, 1), 0),
        ("-9999W+9999W", date(100, 1, 1), 0),
    ],
)
def test_results_outside_the_calendar_raise_a_date_formula_error(
    text: str, base: date, position: int
) -> None:
    formula = DateFormula.parse(text)

    with pytest.raises(DateFormulaError) as info:
        formula.apply(base)

    assert info.value.text == str(formula)
    assert info.value.position == position
    assert base.isoformat() in info.value.reason


def test_opposite_shifts_are_fine_when_every_step_stays_in_range() -> None:
    assert calc_date("9999W-9999W", date(2000, 1, 1)) == date(2000, 1, 1)


bad_terms: list[dict[str, Any]] = [
    {"kind": "relative", "unit": Unit.DAY},
    {"kind": TermKind.RELATIVE, "unit": "D"},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "sign": 0},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "sign": True},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "sign": 1.0},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "number": True},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "number": 1.0},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "number": -1},
    {"kind": TermKind.RELATIVE, "unit": Unit.DAY, "number": 10000},
    {"kind": TermKind.POSITIONAL, "unit": Unit.MONTH, "number": 3},
    {"kind": TermKind.POSITIONAL, "unit": Unit.WEEKDAY, "number": 8},
    {"kind": TermKind.POSITIONAL, "unit": Unit.DAY, "number": 0},
    {"kind": TermKind.CURRENT, "unit": Unit.WEEKDAY},
    {"kind": TermKind.CURRENT, "unit": Unit.MONTH, "number": 1},
]


@pytest.mark.parametrize("fields", bad_terms)
def test_invalid_terms_cannot_be_built(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Term(**fields)


@pytest.mark.parametrize(
    "value",
    [
        [Term.relative(1, Unit.DAY)] * 4,
        ["1D"],
        "1D",
        5,
    ],
)
def test_invalid_term_lists_cannot_make_a_formula(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        DateFormula(value)

    assert info.value.field == "terms"


# -- properties ------------------------------------------------------------------------


@given(formulas)
def test_canonical_text_parses_back_to_the_same_formula(formula: DateFormula) -> None:
    text = str(formula)

    assert DateFormula.parse(text) == formula
    assert DateFormula.parse(f"<{text}>") == formula
    assert DateFormula.parse(text.lower()) == formula


@given(formulas)
def test_spaced_text_parses_like_the_compact_text(formula: DateFormula) -> None:
    parts = []
    for index, term in enumerate(formula.terms):
        sign = "-" if term.sign < 0 else "+" if index else ""
        parts.append(f"{sign} {str(term).lstrip('-')}")
    spaced = "  ".join(parts)

    assert DateFormula.parse(f"< {spaced} >") == formula


@given(formulas, st.dates())
def test_apply_returns_a_date_or_raises_a_date_formula_error(
    formula: DateFormula, base: date
) -> None:
    with contextlib.suppress(DateFormulaError):
        assert type(formula.apply(base)) is date


@given(safe_dates)
def test_cm_lands_on_the_last_and_minus_cm_on_the_first_day_of_the_month(
    base: date,
) -> None:
    end = calc_date("CM", base)
    start = calc_date("-CM", base)

    assert (end.year, end.month) == (base.year, base.month)
    assert end.day == calendar.monthrange(base.year, base.month)[1]
    assert start == base.replace(day=1)


@given(safe_dates)
def test_cw_lands_on_sunday_and_minus_cw_on_monday_of_the_same_week(
    base: date,
) -> None:
    end = calc_date("CW", base)
    start = calc_date("-CW", base)

    assert end.isoweekday() == 7
    assert start.isoweekday() == 1
    assert 0 <= (end - base).days <= 6
    assert 0 <= (base - start).days <= 6
    assert (end - start).days == 6


@given(safe_dates)
def test_cq_and_cy_bound_the_quarter_and_year(base: date) -> None:
    quarter_end = calc_date("CQ", base)
    quarter_start = calc_date("-CQ", base)

    assert quarter_start <= base <= quarter_end
    assert quarter_start.day == 1
    assert quarter_start.month % 3 == 1
    assert quarter_end + timedelta(days=1) == calc_date("CQ+1D", base)
    assert calc_date("CQ+1D", base).day == 1
    assert calc_date("CQ+1D", base).month % 3 == 1
    assert quarter_end.month - quarter_start.month == 2
    assert calc_date("CY", base) == date(base.year, 12, 31)
    assert calc_date("-CY", base) == date(base.year, 1, 1)


@given(st.dates(), st.integers(0, 9999), signs)
def test_n_days_moves_by_exactly_n_days(base: date, number: int, sign: int) -> None:
    text = f"{'-' if sign < 0 else ''}{number}D"
    ordinal = base.toordinal() + sign * number

    if date.min.toordinal() <= ordinal <= date.max.toordinal():
        assert calc_date(text, base) == date.fromordinal(ordinal)
    else:
        with pytest.raises(DateFormulaError):
            calc_date(text, base)


@given(safe_dates, st.integers(0, 999), signs)
def test_n_months_keeps_the_day_or_clamps_it(
    base: date, number: int, sign: Literal[1, -1]
) -> None:
    result = DateFormula((Term.relative(number, Unit.MONTH, sign=sign),)).apply(base)

    months = result.year * 12 + result.month - (base.year * 12 + base.month)
    assert months == sign * number
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(base.day, last)


@given(safe_dates, st.integers(1, 7), signs)
def test_weekday_terms_land_on_the_weekday_within_a_week(
    base: date, weekday: int, sign: Literal[1, -1]
) -> None:
    result = DateFormula((Term.positional(Unit.WEEKDAY, weekday, sign=sign),)).apply(
        base
    )

    assert result.isoweekday() == weekday
    assert 1 <= (result - base).days * sign <= 7


@given(safe_dates, st.integers(1, 31), signs)
def test_day_terms_land_on_the_nearest_such_day_strictly_beyond(
    base: date, day: int, sign: Literal[1, -1]
) -> None:
    result = DateFormula((Term.positional(Unit.DAY, day, sign=sign),)).apply(base)

    assert result.day == day
    step = timedelta(days=sign)
    between = base + step
    while between != result:
        assert between.day != day
        between += step


@given(st.text())
def test_any_text_parses_or_raises_a_validation_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        DateFormula.parse(text)


@given(st.text(alphabet=formula_alphabet, max_size=16))
def test_formula_like_text_fails_only_with_a_position_inside_the_text(
    text: str,
) -> None:
    try:
        formula = DateFormula.parse(text)
    except DateFormulaError as error:
        position = error.position
    else:
        assert DateFormula.parse(str(formula)) == formula
        return
    assert 0 <= position <= len(text)
