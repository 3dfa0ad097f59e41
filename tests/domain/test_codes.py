"""BC Code[n] values (spec §0)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    code_converter,
    make_code,
    make_optional_code,
)
from relationship_mgmt.errors import CodeTooLongError, ValidationError


def test_code_lengths_are_bcs() -> None:
    assert (CODE10, CODE20) == (10, 20)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("retail", "RETAIL"),
        ("  retail  ", "RETAIL"),
        ("\tvip\n", "VIP"),
        ("Mix-Case 1", "MIX-CASE 1"),
        ("straße", "STRASSE"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_make_code_trims_and_upper_cases(text: str, code: str) -> None:
    # §0: Code[n] is stored upper-case and trimmed; blank is BC's empty code.
    assert make_code(text) == code


def test_make_code_accepts_exactly_max_length() -> None:
    assert make_code("a" * 10) == "A" * 10
    assert make_code(" " + "a" * 20 + " ", max_length=CODE20) == "A" * 20


def test_make_code_measures_length_after_trimming() -> None:
    assert make_code("  abcdefghij  ") == "ABCDEFGHIJ"


def test_make_code_refuses_a_code_longer_than_max_length() -> None:
    with pytest.raises(CodeTooLongError) as info:
        make_code(" a-very-long-code ", max_length=10, field="industry_group")

    assert info.value.field == "industry_group"
    assert info.value.value == "A-VERY-LONG-CODE"
    assert info.value.max_length == 10
    assert isinstance(info.value, ValidationError)


def test_make_code_counts_the_upper_cased_length() -> None:
    # "ß" upper-cases to "SS": the stored value is what must fit.
    with pytest.raises(CodeTooLongError):
        make_code("ß" * 6)


@pytest.mark.parametrize("value", [None, 10, b"abc", ["A"]])
def test_make_code_refuses_non_strings(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make_code(value, field="territory")

    assert (info.value.field, info.value.value) == ("territory", value)
    assert not isinstance(info.value, CodeTooLongError)


def test_make_optional_code_turns_none_and_blank_into_none() -> None:
    assert make_optional_code(None) is None
    assert make_optional_code("") is None
    assert make_optional_code("  ") is None
    assert make_optional_code(" eu ") == "EU"


def test_make_optional_code_keeps_the_length_check() -> None:
    with pytest.raises(CodeTooLongError) as info:
        make_optional_code("x" * 21, max_length=CODE20, field="contact_nos")

    assert (info.value.field, info.value.max_length) == ("contact_nos", 20)


def test_code_converter_applies_make_code_with_its_settings() -> None:
    convert = code_converter(4, "team")

    assert convert(" ab ") == "AB"
    with pytest.raises(CodeTooLongError) as info:
        convert("abcde")
    assert (info.value.field, info.value.max_length) == ("team", 4)


def test_code_converter_defaults_to_code10() -> None:
    convert = code_converter()

    assert convert("a" * 10) == "A" * 10
    with pytest.raises(CodeTooLongError) as info:
        convert("a" * 11)
    assert (info.value.field, info.value.max_length) == ("code", 10)


@given(st.text(max_size=30))
def test_make_code_is_idempotent(text: str) -> None:
    try:
        code = make_code(text, max_length=CODE20)
    except CodeTooLongError:
        return

    assert make_code(code, max_length=CODE20) == code
    assert code == code.strip()
    assert len(code) <= CODE20
