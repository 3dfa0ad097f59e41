"""BC filter notation: parsing into criteria, errors with columns, formatting back.

The docs cited below are "Filter criteria and operators" in *Sort, search, and filter
data* (https://learn.microsoft.com/dynamics365/business-central/ui-enter-criteria-filters)
as [filters], and the operator list of SETFILTER
(https://learn.microsoft.com/dynamics-nav/setfilter-function--record-) as [setfilter].
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from attrs import frozen
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.bc_filters import format_filter, parse_filter
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.criteria import (
    RECORDS,
    And,
    Between,
    Compare,
    Criteria,
    FieldKind,
    Has,
    In,
    InSegment,
    IsBlank,
    Not,
    Op,
    Or,
    RelatedIndex,
    Text,
    TextOp,
    matches,
    where,
)
from relationship_mgmt.domain.interactions import InteractionLogEntry
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import ValidationError

NOW = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
SETUP = RelationshipSetup()
ic = where.on("interaction")


def company(name: str = "") -> Contact:
    return Contact.create_company(no="CT1", name=name, now=NOW, setup=SETUP)


def name(text: str) -> Criteria:
    return parse_filter(text, field="name")


def interaction(text: str, field: str = "entry_no", **dates: dt.date) -> Criteria:
    return parse_filter(text, field=field, record="interaction", **dates)


def starts(value: str, *, ignore_case: bool = False) -> Text:
    return where.name.startswith(value, ignore_case=ignore_case)


# --- each syntax element --------------------------------------------------------------


def test_the_issues_examples() -> None:
    """The examples of the issue, on the fields the brief names."""
    assert name("A*|B*") == Or(items=(starts("A"), starts("B")))
    assert interaction("10..20", "cost_lcy") == ic.cost_lcy.between(
        Decimal(10), Decimal(20)
    )
    assert interaction("<>0") == (ic.entry_no != 0)
    assert interaction(">=100&<=200") == And(
        items=(ic.entry_no >= 100, ic.entry_no <= 200)
    )
    assert name("@*smith*") == where.name.contains("smith", ignore_case=True)
    assert name("''") == where.name.is_blank()


def test_either_or() -> None:
    """[filters] (|) Either/or: ``1200|1300`` is 1200 or 1300; plain values become In."""
    assert interaction("1200|1300") == ic.entry_no.isin([1200, 1300])
    assert name("A|(B|C)") == where.name.isin(["A", "B", "C"])
    assert name("A|A") == (where.name == "A")
    assert name("A|@b") == Or(
        items=(where.name == "A", where.name.equals("b", ignore_case=True))
    )
    assert name("A|*b") == Or(items=(where.name == "A", where.name.endswith("b")))


def test_and() -> None:
    """[filters] (&) And: ``>200&<1200`` is greater than 200 and less than 1200."""
    assert interaction(">200&<1200") == And(
        items=(ic.entry_no > 200, ic.entry_no < 1200)
    )
    assert interaction("(>1&<9)&<>5") == And(
        items=(ic.entry_no > 1, ic.entry_no < 9, ic.entry_no != 5)
    )


def test_intervals() -> None:
    """[filters] (..) Interval: ``1100..2100``, ``..2500``, ``P8..``, ``Bicycle..Car``."""
    assert interaction("1100..2100") == ic.entry_no.between(1100, 2100)
    assert interaction("..2500") == (ic.entry_no <= 2500)
    assert interaction("8..") == (ic.entry_no >= 8)
    assert name("Bicycle..Car") == where.name.between("Bicycle", "Car")
    assert interaction("-5..-1") == ic.entry_no.between(-5, -1)
    assert interaction("1.5..2.25", "cost_lcy") == ic.cost_lcy.between(
        Decimal("1.5"), Decimal("2.25")
    )
    assert interaction("2024-03-04..2024-03-31", "date") == ic.date.between(
        dt.date(2024, 3, 4), dt.date(2024, 3, 31)
    )


def test_a_range_end_may_be_blank() -> None:
    """An end ``''`` is the field's blank value: '' for text, the blank date for dates."""
    assert name("''..B") == where.name.between("", "B")
    assert interaction("''..2024-01-01", "date") == ic.date.between(
        dt.date.min, dt.date(2024, 1, 1)
    )


def test_text_ranges_are_lexicographic() -> None:
    """[filters]: ``A..C`` is ordered lexicographically, so ``Ca`` is outside it."""
    crit = name("A..C")

    assert matches(crit, company("B"))
    assert matches(crit, company("C"))
    assert not matches(crit, company("Ca"))


def test_comparisons() -> None:
    """[filters] (<>) (>) (>=) (<) (<=) and [setfilter]'s ``=``."""
    assert interaction("<>0") == (ic.entry_no != 0)
    assert interaction(">1200") == (ic.entry_no > 1200)
    assert interaction(">=1200") == (ic.entry_no >= 1200)
    assert interaction("<1200") == (ic.entry_no < 1200)
    assert interaction("<=1200") == (ic.entry_no <= 1200)
    assert interaction("=1200") == (ic.entry_no == 1200)
    assert interaction("1200") == (ic.entry_no == 1200)


def test_white_space_around_tokens_is_ignored() -> None:
    """[filters] writes ``>50&<100 `` and [setfilter] ``<=200 | >500`` and ``F.. & *A/S``."""
    assert interaction(" <=200 | > 500 ") == Or(
        items=(ic.entry_no <= 200, ic.entry_no > 500)
    )
    assert name("F.. & *A/S") == And(
        items=(where.name >= "F", where.name.endswith("A/S"))
    )
    assert name("Cronus Retail ") == (where.name == "Cronus Retail")


def test_quotes_match_exactly_and_blank() -> None:
    """[filters] ('') exact match: ``'man'`` matches exactly, ``''`` is empty text."""
    assert name("'man'") == (where.name == "man")
    assert name("''") == where.name.is_blank()
    assert name("=''") == where.name.is_blank()
    assert name(" ' man ' ") == (where.name == " man ")


def test_not_blank() -> None:
    """[setfilter]: ``<>''`` is all not blank."""
    assert name("<>''") == Not(item=where.name.is_blank())
    assert interaction("<>''", "cost_lcy") == Not(item=ic.cost_lcy.is_blank())


def test_quotes_protect_symbols_and_keep_wildcards() -> None:
    """[filters] values with & ( ) = | are quoted: ``'J & V*'`` starts with J & V."""
    assert name("'J & V*'") == starts("J & V")
    assert name("'A|B'|C") == where.name.isin(["A|B", "C"])
    assert name("'(x)=<y>'") == (where.name == "(x)=<y>")
    assert name("'1..2'") == (where.name == "1..2")
    assert name("'O''Brien'") == (where.name == "O'Brien")
    assert name("''''") == (where.name == "'")
    assert name("'@home'") == (where.name == "@home")


def test_case_insensitive() -> None:
    """[filters] (@) Case-insensitive: ``@man*`` starts with man in any case."""
    assert name("@man*") == starts("man", ignore_case=True)
    assert name("@cronus") == where.name.equals("cronus", ignore_case=True)
    assert name("<>@a") == Compare(
        record="contact", field="name", op="<>", value="a", ignore_case=True
    )
    assert name("@''") == where.name.is_blank()
    assert matches(name("@man*"), company("Manchester"))
    assert not matches(name("man*"), company("Manchester"))


def test_wildcards() -> None:
    """[filters] (*): ``*Co*`` contains, ``*Co`` ends with, ``Co*`` begins with Co."""
    assert name("*Co*") == where.name.contains("Co")
    assert name("*Co") == where.name.endswith("Co")
    assert name("Co*") == starts("Co")
    assert name("**Co**") == where.name.contains("Co")
    assert name("*") == where.name.contains("")
    assert name("=Co*") == starts("Co")
    assert name("*@cronus.com") == where.name.endswith("@cronus.com")


def test_not_equal_with_a_wildcard() -> None:
    """[filters] tip: ``<>A*`` means not equal to any text that starts with A."""
    assert name("<>A*") == Not(item=starts("A"))
    assert not matches(name("<>A*"), company("Alpha"))
    assert matches(name("<>A*"), company("Beta"))


def test_combined_formats() -> None:
    """[filters] combined: ``5999|8100..8490`` and ``..1299|1400..``."""
    assert interaction("5999|8100..8490") == Or(
        items=(ic.entry_no == 5999, ic.entry_no.between(8100, 8490))
    )
    assert interaction("..1299|1400..") == Or(
        items=(ic.entry_no <= 1299, ic.entry_no >= 1400)
    )


def test_parentheses_group() -> None:
    """Parentheses group (the docs list ( and ) among the symbols to quote)."""
    assert name("(A*&*z)|B") == Or(
        items=(And(items=(starts("A"), where.name.endswith("z"))), where.name == "B")
    )
    assert name("(A*|B*)&<>''") == And(
        items=(Or(items=(starts("A"), starts("B"))), Not(item=where.name.is_blank()))
    )
    assert name("((A))") == (where.name == "A")
    assert name("A*|(B*|C)") == Or(items=(starts("A"), starts("B"), where.name == "C"))


def test_code_fields_trim_and_uppercase() -> None:
    """Codes are stored uppercase: values convert, ``@`` changes nothing, spaces are blank."""
    assert parse_filter("cz|sk", field="country_code") == where.country_code.isin(
        ["CZ", "SK"]
    )
    assert parse_filter("@c*", field="country_code") == where.country_code.startswith(
        "C"
    )
    assert parse_filter("' '", field="country_code") == where.country_code.is_blank()
    assert parse_filter("' *'", field="country_code") == where.country_code.contains("")
    assert parse_filter(
        "' x *'", field="country_code"
    ) == where.country_code.startswith("X")


def test_booleans_options_dates_and_tokens() -> None:
    """Values convert through the field: Yes/No, option captions, ISO dates, t and w."""
    assert parse_filter("Yes", field="minor") == (where.minor == True)  # noqa: E712
    assert parse_filter("false|no", field="minor") == (where.minor == False)  # noqa: E712
    assert parse_filter("person", field="type") == (where.type == "Person")
    assert parse_filter(
        "'very low (hidden)'", field="answer_priority", record="profile_answer"
    ) == Compare(
        record="profile_answer",
        field="answer_priority",
        op="=",
        value="Very Low (Hidden)",
    )
    today, workdate = dt.date(2026, 1, 5), dt.date(2026, 1, 1)
    assert interaction(
        "w..T", "date", today=today, workdate=workdate
    ) == ic.date.between(workdate, today)
    assert interaction("today|WORKDATE", "date", today=today, workdate=workdate) == (
        ic.date.isin([today, workdate])
    )
    assert interaction("'2026-01-05'", "date") == (ic.date == today)


def test_other_record_types() -> None:
    """``record`` picks the allow-list; the criteria name it."""
    crit = parse_filter("MAIL*", field="code", record="mailing_group")

    assert crit == where.on("mailing_group").code.startswith("MAIL")


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (">=10..20", "unexpected '..' (a range takes no operator or '@') at column 5"),
        ("@A..B", "unexpected '..' (a range takes no operator or '@') at column 3"),
        ("'abc", "unclosed quote at column 1"),
        ("ab 'c", 'unexpected "\'" (quote a value with symbols) at column 4'),
        (
            "A&B|C",
            "mixing '&' and '|' needs parentheses (BC's docs define no precedence) at column 4",
        ),
        (
            "A|B&C",
            "mixing '&' and '|' needs parentheses (BC's docs define no precedence) at column 4",
        ),
        ("(A|B", "unclosed '(' at column 1"),
        ("x|(A|B", "unclosed '(' at column 3"),
        ("('a'b)", "unexpected 'b' at column 5"),
        ("A)", "unexpected ')' at column 2"),
        ("'a' b", "unexpected 'b' at column 5"),
        ("10..20..30", "unexpected '..' at column 7"),
        ("", "expected a value at column 1"),
        ("A|", "expected a value at column 3"),
        ("|A", "expected a value at column 1"),
        ("()", "expected a value at column 2"),
        ("<>", "expected a value at column 3"),
        ("@", "expected a value at column 2"),
        ("..", "a range needs a value on at least one side at column 1"),
        (
            "Jo*son",
            "'*' inside a value is not supported (write A*&*B for 'starts with A and ends with B') at column 3",
        ),
        (
            "**a*b*",
            "'*' inside a value is not supported (write A*&*B for 'starts with A and ends with B') at column 4",
        ),
        ("Hans?n", "'?' (one unknown character) is not supported at column 5"),
        ("'ab''?'", "'?' (one unknown character) is not supported at column 6"),
        ("@@a", "unexpected '@' (quote a value starting with '@') at column 2"),
        ("A..@B", "unexpected '@' (quote a value starting with '@') at column 4"),
        ("a<b", "unexpected '<' (quote a value with symbols) at column 2"),
        ("<>=a", "unexpected '=' (quote a value with symbols) at column 3"),
        ("A..B*", "a range takes no wildcard at column 5"),
        (">A*", "'*' takes only '=' or '<>' at column 1"),
        ("<''", "'' (blank) takes only '=' or '<>' at column 1"),
    ],
)
def test_errors_name_the_fault_and_its_column(text: str, reason: str) -> None:
    """Every error is a ValidationError on the field, with the text and a column."""
    with pytest.raises(ValidationError) as error:
        name(text)

    assert error.value.field == "name"
    assert error.value.value == text
    assert error.value.reason == reason


@pytest.mark.parametrize(
    ("record", "field", "text", "reason"),
    [
        ("interaction", "entry_no", "abc", "'abc' must be a whole number at column 1"),
        (
            "interaction",
            "entry_no",
            " >1.5",
            "'1.5' must be a whole number at column 3",
        ),
        (
            "interaction",
            "entry_no",
            "1*",
            "'*' does not apply to integer fields (text and code only) at column 2",
        ),
        (
            "interaction",
            "entry_no",
            "@1",
            "'@' (ignore case) does not apply to integer fields at column 1",
        ),
        ("interaction", "cost_lcy", "1,5", "'1,5' must be a number at column 1"),
        (
            "interaction",
            "date",
            "2024-13-01",
            "'2024-13-01' must be a date (YYYY-MM-DD) at column 1",
        ),
        ("interaction", "date", "t", "'t' needs the today= argument at column 1"),
        (
            "interaction",
            "date",
            "2024-01-01..W",
            "'W' needs the workdate= argument at column 13",
        ),
        (
            "contact",
            "minor",
            "<Yes",
            "'<' does not apply to boolean fields at column 1",
        ),
        (
            "contact",
            "minor",
            "No..Yes",
            "'..' does not apply to boolean fields at column 3",
        ),
        ("contact", "minor", "maybe", "'maybe' must be Yes or No at column 1"),
        (
            "contact",
            "type",
            "Robot",
            "'Robot' must be one of ['Company', 'Person'] at column 1",
        ),
        (
            "contact",
            "type",
            ">=Company",
            "'>=' does not apply to enum fields at column 1",
        ),
    ],
)
def test_values_must_suit_the_field(
    record: str, field: str, text: str, reason: str
) -> None:
    """Values go through the field's spec; the column is the value's or operator's."""
    with pytest.raises(ValidationError) as error:
        parse_filter(text, field=field, record=record)

    assert error.value.reason == reason


def test_unknown_record_types_and_fields_are_refused() -> None:
    """Only the allow-list (RECORDS) can be filtered."""
    with pytest.raises(ValidationError) as error:
        parse_filter("A", field="name", record="account")
    assert error.value.field == "record"
    with pytest.raises(ValidationError) as error:
        parse_filter("A", field="password")
    assert error.value.field == "field"


# --- formatting -------------------------------------------------------------------------


def test_format_writes_each_shape() -> None:
    """The inverse of the parser, quoting values that hold symbols."""
    assert format_filter(where.name.isin(["A|B", "C"])) == "'A|B'|C"
    assert format_filter(where.name == "O'Brien") == "'O''Brien'"
    assert format_filter(where.name == " x") == "' x'"
    assert format_filter(where.name == ".5") == "'.5'"
    assert format_filter(where.name.equals("@x", ignore_case=True)) == "@'@x'"
    assert format_filter(where.name.contains(" a", ignore_case=True)) == "@* a*"
    assert format_filter(where.name.startswith("")) == "*"
    assert format_filter(where.minor == False) == "No"  # noqa: E712
    assert format_filter(ic.date < dt.date(2024, 3, 4)) == "<2024-03-04"
    assert format_filter(ic.cost_lcy.between(Decimal("1.5"), 2)) == "1.5..2"
    assert format_filter(~where.name.is_blank()) == "<>''"
    assert format_filter(where.name.isin(["A"])) == "A"
    assert (
        format_filter(
            (where.name.isin(["A", "B"]) & starts("A"))
            | ((where.name >= "X") & (where.name <= "Y"))
        )
        == "((A|B)&A*)|(>=X&<=Y)"
    )
    assert format_filter(And(items=(Or(items=(starts("A"),)), starts("B")))) == "A*&B*"


@pytest.mark.parametrize(
    ("criteria", "reason"),
    [
        (
            (where.name == "A") & (where.city == "B"),
            "tests more than one field; a filter has one",
        ),
        (where.has("mailing_group"), "has no filter notation (only one field's tests)"),
        (
            InSegment(segment_no="SEG1"),
            "has no filter notation (only one field's tests)",
        ),
        (~(where.name == "A"), "only Not(Text) and Not(IsBlank) have '<>'"),
        (And(items=()), "an empty And/Or has no filter notation"),
        (Or(items=()), "an empty And/Or has no filter notation"),
        (where.name.isin([]), "an empty In has no filter notation"),
        (where.name == "a*b", "a value with '*' or '?' has no filter notation"),
        (where.name.contains("a?"), "a value with '*' or '?' has no filter notation"),
    ],
)
def test_format_refuses_trees_without_a_notation(
    criteria: Criteria, reason: str
) -> None:
    """A filter is about one field; Has, InSegment and other shapes have no text."""
    with pytest.raises(ValidationError) as error:
        format_filter(criteria)

    assert error.value.field == "criteria"
    assert error.value.reason == reason


# --- property: format -> parse round trip -------------------------------------------------

_ALPHABET = "aAzZ09 .-@'|&()=<>/\tß"
_FIELDS = [
    ("contact", "name"),
    ("contact", "country_code"),
    ("contact", "type"),
    ("contact", "minor"),
    ("interaction", "entry_no"),
    ("interaction", "cost_lcy"),
    ("interaction", "date"),
    ("interaction", "evaluation"),
    ("profile_answer", "answer_priority"),
]
_ORDERED = {
    FieldKind.TEXT,
    FieldKind.CODE,
    FieldKind.INTEGER,
    FieldKind.DECIMAL,
    FieldKind.DATE,
}


def _values(record: str, field: str, *, blank: bool) -> st.SearchStrategy[Any]:
    """Values of the field; ``blank=False`` leaves out those a filter writes as ''."""
    spec = RECORDS[record].fields[field]
    if spec.kind is FieldKind.TEXT:
        return st.text(_ALPHABET, min_size=0 if blank else 1, max_size=6)
    if spec.kind is FieldKind.CODE:
        codes = st.text(_ALPHABET, max_size=6)
        return codes if blank else codes.filter(str.strip)
    if spec.kind is FieldKind.ENUM:
        return st.sampled_from([o for o in spec.options if o or blank])
    kinds: dict[FieldKind, st.SearchStrategy[Any]] = {
        FieldKind.BOOLEAN: st.booleans(),
        FieldKind.INTEGER: st.integers(-(10**9), 10**9),
        FieldKind.DECIMAL: st.decimals(allow_nan=False, allow_infinity=False),
        FieldKind.DATE: st.dates(),
    }
    return kinds[spec.kind]


def _leaves(record: str, field: str) -> st.SearchStrategy[Criteria]:
    spec = RECORDS[record].fields[field]
    ordered = spec.kind in _ORDERED
    ops = list(Op) if ordered else [Op.EQ, Op.NE]
    is_text = spec.kind is FieldKind.TEXT
    values = _values(record, field, blank=False)
    leaves: list[st.SearchStrategy[Criteria]] = [
        st.builds(
            lambda op, v, i: Compare(
                record=record, field=field, op=op, value=v, ignore_case=i
            ),
            st.sampled_from(ops),
            values,
            st.booleans() if is_text else st.just(False),  # noqa: FBT003
        ),
        st.just(IsBlank(record=record, field=field)),
        st.just(Not(item=IsBlank(record=record, field=field))),
        st.lists(values, min_size=2, max_size=4)
        .map(lambda vs: In(record=record, field=field, values=vs))
        .filter(lambda node: len(node.values) > 1),
    ]
    if ordered:
        ends = _values(record, field, blank=True)
        leaves.append(
            st.builds(
                lambda lo, hi: Between(record=record, field=field, low=lo, high=hi),
                ends,
                ends,
            )
        )
    if spec.kind in (FieldKind.TEXT, FieldKind.CODE):
        texts = st.builds(
            lambda op, v, i: Text(
                record=record, field=field, op=op, value=v, ignore_case=i
            ),
            st.sampled_from(list(TextOp)),
            values,
            st.booleans(),
        ) | st.builds(
            lambda i: Text(
                record=record, field=field, op="contains", value="", ignore_case=i
            ),
            st.booleans() if is_text else st.just(False),  # noqa: FBT003
        )
        leaves.extend([texts, texts.map(lambda t: Not(item=t))])
    return st.one_of(leaves)


def _plain(node: Criteria) -> bool:
    return isinstance(node, Compare) and node.op is Op.EQ and not node.ignore_case


def _trees(record: str, field: str) -> st.SearchStrategy[Criteria]:
    """The shapes the parser returns: no And in And, no Or or In in Or, no all-plain Or."""

    def extend(inner: st.SearchStrategy[Criteria]) -> st.SearchStrategy[Criteria]:
        ands = st.lists(
            inner.filter(lambda n: not isinstance(n, And)), min_size=2, max_size=3
        ).map(lambda xs: And(items=xs))
        ors = (
            st.lists(
                inner.filter(lambda n: not isinstance(n, Or | In)),
                min_size=2,
                max_size=3,
            )
            .filter(lambda xs: not all(_plain(x) for x in xs))
            .map(lambda xs: Or(items=xs))
        )
        return ands | ors

    return st.recursive(_leaves(record, field), extend, max_leaves=6)


_FIELD_TREES = st.sampled_from(_FIELDS).flatmap(
    lambda rf: st.tuples(st.just(rf), _trees(*rf))
)


@given(_FIELD_TREES)
def test_format_then_parse_gives_the_criteria_back(
    case: tuple[tuple[str, str], Criteria],
) -> None:
    """parse_filter(format_filter(c)) == c for every shape the parser returns."""
    (record, field), criteria = case

    text = format_filter(criteria)

    assert parse_filter(text, field=field, record=record) == criteria


_NOISE = st.text("aZ09 .*?@'|&()=<>-", max_size=12)


def _parse_or_fail(text: str, record: str, field: str) -> Criteria | ValidationError:
    try:
        return parse_filter(text, field=field, record=record)
    except ValidationError as error:
        return error


@given(st.sampled_from(_FIELDS), _NOISE)
def test_any_text_parses_to_a_fixed_point_or_fails_with_a_column(
    record_field: tuple[str, str], text: str
) -> None:
    """Arbitrary text: a ValidationError with a column, or criteria that round-trip."""
    record, field = record_field

    result = _parse_or_fail(text, record, field)

    if isinstance(result, ValidationError):
        found = re.search(r" at column (\d+)$", result.reason)
        assert found is not None
        assert 1 <= int(found[1]) <= len(text) + 1
    else:
        assert parse_filter(format_filter(result), field=field, record=record) == result


# --- property: the parsed criteria agree with a reference matcher ----------------------
# The reference holds a filter as data (alternatives of conjunctions of conditions),
# writes it as text with its own quoting and evaluates it with regexes and operators.

Word = str | int


@frozen
class _Pattern:
    word: str
    leading: bool
    trailing: bool
    negate: bool
    ignore_case: bool


@frozen
class _Comparison:
    op: str
    word: Word
    ignore_case: bool = False


@frozen
class _Range:
    low: Word | None
    high: Word | None


@frozen
class _Blank:
    negate: bool


_Condition = _Pattern | _Comparison | _Range | _Blank
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _word(word: Word | None) -> str:
    """Bare when a number or alphanumeric (around the stars), else quoted with ''."""
    if word is None:
        return ""
    if isinstance(word, int) or word.strip("*").isalnum():
        return str(word)
    return "'" + word.replace("'", "''") + "'"


def _render(condition: _Condition) -> str:
    if isinstance(condition, _Pattern):
        stars = ("*" if condition.leading else "", "*" if condition.trailing else "")
        return (
            ("<>" if condition.negate else "")
            + ("@" if condition.ignore_case else "")
            + _word(stars[0] + condition.word + stars[1])
        )
    if isinstance(condition, _Comparison):
        return (
            condition.op
            + ("@" if condition.ignore_case else "")
            + _word(condition.word)
        )
    if isinstance(condition, _Range):
        return _word(condition.low) + ".." + _word(condition.high)
    return ("<>" if condition.negate else "") + "''"


def _render_filter(alternatives: list[list[_Condition]]) -> str:
    groups = ["&".join(_render(c) for c in group) for group in alternatives]
    if len(groups) == 1:
        return groups[0]
    return "|".join(f"({g})" if "&" in g else g for g in groups)


def _holds(condition: _Condition, value: Word) -> bool:
    if isinstance(condition, _Pattern):
        assert isinstance(value, str)
        fold = str.casefold if condition.ignore_case else str
        regex = (
            (".*" if condition.leading else "")
            + re.escape(fold(condition.word))
            + (".*" if condition.trailing else "")
        )
        found = re.fullmatch(regex, fold(value), re.DOTALL) is not None
        return found != condition.negate
    if isinstance(condition, _Comparison):
        if condition.ignore_case:
            return _OPS[condition.op](
                str(value).casefold(), str(condition.word).casefold()
            )
        return _OPS[condition.op](value, condition.word)
    if isinstance(condition, _Range):
        return (condition.low is None or _OPS["<="](condition.low, value)) and (
            condition.high is None or _OPS["<="](value, condition.high)
        )
    return bool(value) == condition.negate  # blank is '' or 0


def _expected(alternatives: list[list[_Condition]], value: Word) -> bool:
    return any(all(_holds(c, value) for c in group) for group in alternatives)


def _ranges(words: st.SearchStrategy[Word]) -> st.SearchStrategy[_Range]:
    return st.builds(_Range, st.none() | words, st.none() | words).filter(
        lambda r: r.low is not None or r.high is not None
    )


_WORDS = st.text("abAB|&' .", min_size=1, max_size=3)
_TEXT_CONDITIONS: st.SearchStrategy[_Condition] = st.one_of(
    st.builds(
        _Pattern, _WORDS, st.booleans(), st.booleans(), st.booleans(), st.booleans()
    ).filter(lambda p: p.leading or p.trailing),
    st.builds(_Comparison, st.sampled_from(list(_OPS)), _WORDS, st.booleans()),
    _ranges(_WORDS),
    st.builds(_Blank, st.booleans()),
)


@given(
    st.lists(
        st.lists(_TEXT_CONDITIONS, min_size=1, max_size=3), min_size=1, max_size=3
    ),
    st.text("abAB|&' .", max_size=4),
)
def test_parsed_text_filters_agree_with_a_reference_matcher(
    alternatives: list[list[_Condition]], contact_name: str
) -> None:
    """matches(parse_filter(text)) == a regex/operator evaluation of the same filter."""
    text = _render_filter(alternatives)

    crit = parse_filter(text, field="name")

    assert matches(crit, company(contact_name)) == _expected(alternatives, contact_name)


_NUMBERS = st.integers(-1, 4)
_NUMBER_CONDITIONS: st.SearchStrategy[_Condition] = st.one_of(
    st.builds(_Comparison, st.sampled_from(list(_OPS)), _NUMBERS),
    _ranges(_NUMBERS),
    st.builds(_Blank, st.booleans()),
)


@given(
    st.lists(
        st.lists(_NUMBER_CONDITIONS, min_size=1, max_size=2), min_size=1, max_size=3
    ),
    st.integers(0, 3),
)
def test_parsed_number_filters_agree_with_a_reference_matcher(
    alternatives: list[list[_Condition]], cost: int
) -> None:
    """Numbers, open ranges and '' (blank is 0) on an interaction's cost, via Has."""
    text = _render_filter(alternatives)
    entry = InteractionLogEntry(
        entry_no=1, contact_no="CT1", date=dt.date(2026, 1, 2), cost_lcy=Decimal(cost)
    )

    crit = Has(relation="interaction", where=interaction(text, "cost_lcy"))

    assert matches(crit, company(), RelatedIndex(interactions=[entry])) == _expected(
        alternatives, cost
    )
