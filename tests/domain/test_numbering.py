"""Number series and IncStr (spec §0 "No. Series", §1.1 "Contact Nos." ...)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.numbering import (
    NumberSeries,
    compare_numbers,
    increment_number,
)
from relationship_mgmt.errors import (
    CodeTooLongError,
    InvalidNumberError,
    ManualNumbersNotAllowedError,
    NumberSeriesDateOrderError,
    NumberSeriesError,
    NumberSeriesExhaustedError,
    ValidationError,
)

DAY = date(2026, 1, 5)
NEXT_DAY = date(2026, 1, 6)


# --- increment_number (AL IncStr) ---------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("CT000099", "CT000100"),
        ("CT000001", "CT000002"),
        ("SO-9-A", "SO-10-A"),
        ("X99", "X100"),
        ("9", "10"),
        ("0", "1"),
        ("00", "01"),
        ("A1B2", "A1B3"),  # only the rightmost run of digits
        ("A9B", "A10B"),
        ("2026-0009", "2026-0010"),
        ("OPP0001-X-", "OPP0002-X-"),
    ],
)
def test_increment_number_increments_the_rightmost_digits(
    number: str, expected: str
) -> None:
    assert increment_number(number) == expected


@pytest.mark.parametrize(
    ("number", "by", "expected"),
    [
        ("X99", 5, "X104"),
        ("CT000001", 10, "CT000011"),
        ("SM0", 1000, "SM1000"),
        ("A1", 10**9, "A1000000001"),
    ],
)
def test_increment_number_by_more_than_one(number: str, by: int, expected: str) -> None:
    assert increment_number(number, by) == expected


@pytest.mark.parametrize("number", ["", "CONT", "SO-A", "-"])
def test_increment_number_refuses_a_number_without_digits(number: str) -> None:
    with pytest.raises(InvalidNumberError) as info:
        increment_number(number)

    assert (info.value.field, info.value.value) == ("number", number)
    assert isinstance(info.value, ValidationError)


def test_increment_number_refuses_a_result_longer_than_code20() -> None:
    number = "X" + "9" * 19

    with pytest.raises(InvalidNumberError) as info:
        increment_number(number)

    assert info.value.value == "X1" + "0" * 19


def test_increment_number_honours_max_length() -> None:
    assert increment_number("A998", max_length=4) == "A999"
    with pytest.raises(InvalidNumberError) as info:
        increment_number("A999", max_length=4)
    assert info.value.value == "A1000"


@pytest.mark.parametrize("by", [0, -1, True, 1.5, "1", 10**9 + 1])
def test_increment_number_refuses_a_bad_increment(by: Any) -> None:
    with pytest.raises(ValidationError) as info:
        increment_number("CT0001", by)

    assert (info.value.field, info.value.value) == ("increment_by", by)
    assert not isinstance(info.value, InvalidNumberError)


# --- compare_numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "sign"),
    [
        ("CT000099", "CT000100", -1),
        ("CT000100", "CT000099", 1),
        ("CT000100", "CT000100", 0),
        ("A9", "A10", -1),  # by value, not as text
        ("A10", "A9", 1),
        ("A09", "A9", 0),  # same value, different padding
        ("SO-9-A", "SO-10-A", -1),
        ("A10", "B1", -1),  # different prefix: as text
        ("X10-A", "X9-B", -1),  # different suffix: as text
        ("ABC", "ABD", -1),  # no digits: as text
        ("A1", "A", 1),
    ],
)
def test_compare_numbers(left: str, right: str, sign: int) -> None:
    result = compare_numbers(left, right)

    assert (result > 0) - (result < 0) == sign


@given(
    st.from_regex(r"[A-C]{0,2}[0-9]{0,3}[A-C]?", fullmatch=True),
    st.from_regex(r"[A-C]{0,2}[0-9]{0,3}[A-C]?", fullmatch=True),
)
def test_compare_numbers_is_antisymmetric(left: str, right: str) -> None:
    assert compare_numbers(left, right) == -compare_numbers(right, left)


# --- NumberSeries -------------------------------------------------------------------


def _series(**kwargs: Any) -> NumberSeries:
    fields: dict[str, Any] = {"code": "CONT", "starting_no": "CT000001"}
    fields.update(kwargs)
    return NumberSeries(**fields)


def test_series_starts_at_the_starting_no_and_counts_up() -> None:
    series = _series()

    drawn = [series.draw(on=DAY) for _ in range(3)]

    assert drawn == ["CT000001", "CT000002", "CT000003"]
    assert series.last_no_used == "CT000003"
    assert series.last_date_used == DAY


def test_series_defaults() -> None:
    series = _series()

    assert series.description == ""
    assert series.ending_no is None
    assert series.warning_no is None
    assert series.increment_by == 1
    assert series.last_no_used is None
    assert series.last_date_used is None
    assert (series.manual_nos, series.default_nos, series.date_order) == (
        True,
        True,
        False,
    )
    assert series.version == 0


def test_peek_shows_the_next_number_without_using_it() -> None:
    series = _series()

    assert series.peek() == "CT000001"
    assert series.peek() == "CT000001"
    assert series.last_no_used is None
    series.draw(on=DAY)
    assert series.peek() == "CT000002"


def test_series_continues_after_the_last_no_used() -> None:
    series = _series(last_no_used="CT000041")

    assert series.draw(on=DAY) == "CT000042"


def test_series_steps_by_increment_by() -> None:
    series = _series(starting_no="SM0", increment_by=5)

    assert [series.draw(on=DAY) for _ in range(3)] == ["SM0", "SM5", "SM10"]


def test_series_hands_out_its_ending_no_then_refuses() -> None:
    series = _series(starting_no="CT000098", ending_no="CT000100")
    drawn = [series.draw(on=DAY) for _ in range(3)]
    assert series.exhausted

    with pytest.raises(NumberSeriesExhaustedError) as info:
        series.draw(on=NEXT_DAY)

    assert drawn == ["CT000098", "CT000099", "CT000100"]
    assert (info.value.series, info.value.number, info.value.ending_no) == (
        "CONT",
        "CT000101",
        "CT000100",
    )
    assert isinstance(info.value, NumberSeriesError)


def test_exhausted_series_keeps_its_state() -> None:
    series = _series(starting_no="CT000099", ending_no="CT000099")
    series.draw(on=DAY)

    with pytest.raises(NumberSeriesExhaustedError):
        series.draw(on=NEXT_DAY)

    assert series.last_no_used == "CT000099"
    assert series.last_date_used == DAY
    assert series.peek() == "CT000100"


def test_series_refuses_a_step_past_the_ending_no() -> None:
    series = _series(starting_no="A1", ending_no="A10", increment_by=5)
    assert [series.draw(on=DAY), series.draw(on=DAY)] == ["A1", "A6"]
    assert not series.exhausted

    with pytest.raises(NumberSeriesExhaustedError) as info:
        series.draw(on=DAY)

    assert info.value.number == "A11"
    assert series.last_no_used == "A6"


def test_an_ending_no_before_the_starting_no_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        _series(starting_no="A11", ending_no="A10")

    assert info.value.field == "ending_no"


@pytest.mark.parametrize("warning_no", ["A09", "A21"])
def test_a_warning_no_outside_the_range_is_refused(warning_no: str) -> None:
    with pytest.raises(ValidationError) as info:
        _series(starting_no="A10", ending_no="A20", warning_no=warning_no)

    assert info.value.field == "warning_no"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("manual_nos", "no"),
        ("date_order", 1),
        ("description", 5),
        ("description", "x" * 101),
        ("version", -3),
        ("version", True),
        ("last_date_used", datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_wrongly_typed_fields_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        _series(**{field: value})

    assert info.value.field == field


def test_draw_needs_a_date_not_a_datetime() -> None:
    series = _series()

    with pytest.raises(ValidationError) as info:
        series.draw(on=datetime(2026, 1, 1, tzinfo=UTC))

    assert info.value.field == "on"
    assert series.last_no_used is None


def test_exhausted_is_false_without_an_ending_no_or_before_the_first_number() -> None:
    assert not _series().exhausted
    assert not _series(ending_no="CT000005").exhausted
    assert not _series(ending_no=None, last_no_used="CT999999").exhausted


def test_near_end_from_the_warning_no_on() -> None:
    series = _series(starting_no="CT000001", warning_no="CT000003")
    flags = []

    for _ in range(4):
        series.draw(on=DAY)
        flags.append(series.near_end)

    assert flags == [False, False, True, True]


def test_near_end_is_false_without_a_warning_no_or_before_the_first_number() -> None:
    assert not _series(warning_no="CT000001").near_end
    assert not _series(last_no_used="CT999999").near_end


def test_draw_refuses_a_number_longer_than_code20_and_keeps_state() -> None:
    series = _series(starting_no="X" + "9" * 19)
    series.draw(on=DAY)

    with pytest.raises(InvalidNumberError):
        series.draw(on=DAY)

    assert series.last_no_used == "X" + "9" * 19


def test_date_order_refuses_an_earlier_date() -> None:
    # §0 No. Series "Date Order": no number for a date before the last one used.
    series = _series(date_order=True)
    series.draw(on=NEXT_DAY)

    with pytest.raises(NumberSeriesDateOrderError) as info:
        series.draw(on=DAY)

    assert (info.value.series, info.value.on, info.value.last_date_used) == (
        "CONT",
        DAY,
        NEXT_DAY,
    )
    assert series.last_no_used == "CT000001"
    assert series.last_date_used == NEXT_DAY


def test_date_order_accepts_the_same_and_later_dates() -> None:
    series = _series(date_order=True)

    drawn = [series.draw(on=d) for d in (DAY, DAY, NEXT_DAY, NEXT_DAY)]

    assert drawn == ["CT000001", "CT000002", "CT000003", "CT000004"]
    assert series.last_date_used == NEXT_DAY


def test_without_date_order_any_date_is_accepted() -> None:
    series = _series()
    series.draw(on=NEXT_DAY)

    assert series.draw(on=DAY) == "CT000002"
    assert series.last_date_used == DAY


def test_check_manual_accepts_a_typed_number_when_allowed() -> None:
    series = _series(manual_nos=True)

    assert series.check_manual("  ct-special ") == "CT-SPECIAL"
    assert series.last_no_used is None


def test_check_manual_refuses_when_manual_numbers_are_off() -> None:
    series = _series(manual_nos=False)

    with pytest.raises(ManualNumbersNotAllowedError) as info:
        series.check_manual(" ct9 ")

    assert (info.value.series, info.value.number) == ("CONT", "CT9")
    assert isinstance(info.value, NumberSeriesError)


def test_check_manual_refuses_a_number_longer_than_code20() -> None:
    with pytest.raises(CodeTooLongError) as info:
        _series().check_manual("X" * 21)

    assert info.value.max_length == 20


def test_series_normalises_code_and_numbers() -> None:
    series = _series(
        code=" cont ",
        starting_no=" ct0001 ",
        ending_no="ct9999",
        warning_no=" ",
        last_no_used="",
    )

    assert series.code == "CONT"
    assert series.starting_no == "CT0001"
    assert series.ending_no == "CT9999"
    assert series.warning_no is None
    assert series.last_no_used is None


def test_series_code_is_a_code20() -> None:
    assert _series(code="c" * 20).code == "C" * 20
    with pytest.raises(CodeTooLongError):
        _series(code="c" * 21)


@pytest.mark.parametrize(
    "field", ["starting_no", "ending_no", "warning_no", "last_no_used"]
)
def test_series_refuses_numbers_without_digits(field: str) -> None:
    with pytest.raises(InvalidNumberError) as info:
        _series(**{field: "CONT"})

    assert (info.value.field, info.value.value) == (field, "CONT")


def test_series_refuses_a_blank_starting_no() -> None:
    with pytest.raises(InvalidNumberError) as info:
        _series(starting_no="  ")

    assert info.value.field == "starting_no"


def test_series_validates_assignments_too() -> None:
    series = _series()

    with pytest.raises(InvalidNumberError):
        series.last_no_used = "NODIGITS"

    assert series.last_no_used is None


@pytest.mark.parametrize("increment_by", [0, -5, True, 2.0, 10**9 + 1])
def test_series_refuses_a_bad_increment(increment_by: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _series(increment_by=increment_by)

    assert info.value.field == "increment_by"


# --- property -----------------------------------------------------------------------


@st.composite
def starting_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    """A prefix, a suffix and a starting number ``prefix + digits + suffix``."""
    prefix = draw(st.from_regex(r"[A-Z-]{0,4}", fullmatch=True))
    width = draw(st.integers(min_value=1, max_value=8))
    start = draw(st.integers(min_value=0, max_value=10**6))
    suffix = draw(st.from_regex(r"(-[A-Z]{1,2})?", fullmatch=True))
    return prefix, suffix, f"{prefix}{start:0{width}d}{suffix}"


@given(
    starting_numbers(),
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=1, max_value=40),
)
def test_drawing_from_a_fresh_series_gives_distinct_increasing_numbers(
    start: tuple[str, str, str], increment_by: int, count: int
) -> None:
    prefix, suffix, starting_no = start
    series = NumberSeries(code="P", starting_no=starting_no, increment_by=increment_by)

    drawn = [series.draw(on=DAY) for _ in range(count)]

    assert drawn[0] == starting_no
    assert len(set(drawn)) == count
    assert all(compare_numbers(a, b) < 0 for a, b in itertools.pairwise(drawn))
    assert series.last_no_used == drawn[-1]
    assert all(n.startswith(prefix) and n.endswith(suffix) for n in drawn)
