"""The criteria algebra: building, blank semantics, compiled evaluation, explain, data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    compile_counter,
    compile_criteria,
    explain,
    from_data,
    matches,
    segments_of,
    select,
    to_data,
    where,
)
from relationship_mgmt.domain.criteria_index import ContactIndex
from relationship_mgmt.domain.interactions import Evaluation, InteractionLogEntry
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import ValidationError
from relationship_mgmt.serialization import dumps, loads

NOW = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
SETUP = RelationshipSetup()


def company(no: str = "CT1", **fields: Any) -> Contact:
    return Contact.create_company(no=no, now=NOW, setup=SETUP, **fields)


def person(no: str, company_no: str | None = None, **fields: Any) -> Contact:
    contact = Contact.create_person(no=no, now=NOW, setup=SETUP, **fields)
    if company_no is not None:
        object.__setattr__(contact, "company_no", company_no)
    return contact


def call(no: int, contact_no: str, **fields: Any) -> InteractionLogEntry:
    values: dict[str, Any] = {"date": dt.date(2026, 1, 2), **fields}
    return InteractionLogEntry(entry_no=no, contact_no=contact_no, **values)


# --- building (the allow-list) ----------------------------------------------------------


def test_fields_off_the_allow_list_are_refused_when_built() -> None:
    """architecture.md: fields are an allow-list per record type, checked on build."""
    with pytest.raises(ValidationError) as error:
        Compare(record="contact", field="_pending", op="=", value="x")
    assert error.value.field == "field"
    with pytest.raises(ValidationError):
        Compare(record="contact", field="last_modified", op="=", value="x")
    with pytest.raises(ValidationError):
        Compare(record="account", field="name", op="=", value="x")
    with pytest.raises(AttributeError):
        where._private  # noqa: B018
    with pytest.raises(ValidationError):
        where.password  # noqa: B018


def test_values_convert_to_the_fields_kind() -> None:
    assert RECORDS["contact"].fields["country_code"].kind is FieldKind.CODE
    assert (where.country_code == " cz ").value == "CZ"
    interaction = where.on("interaction")
    assert (interaction.cost_lcy > "12.5").value == Decimal("12.5")
    assert (interaction.date >= "2026-01-02").value == dt.date(2026, 1, 2)
    assert (interaction.entry_no == "7").value == 7
    assert (interaction.evaluation == Evaluation.POSITIVE).value == "Positive"
    bad: Callable[[], object]
    for bad in (
        lambda: interaction.cost_lcy > 1.5,
        lambda: interaction.cost_lcy > "many",
        lambda: interaction.cost_lcy > "NaN",
        lambda: interaction.date >= "March",
        lambda: interaction.date >= dt.datetime(2026, 1, 1),  # noqa: DTZ001
        lambda: interaction.entry_no == "seven",
        lambda: interaction.entry_no == True,  # noqa: E712
        lambda: interaction.evaluation == "Superb",
        lambda: where.privacy_blocked == "yes",
        lambda: where.name == 5,
    ):
        with pytest.raises(ValidationError):
            bad()


def test_operators_must_suit_the_field() -> None:
    with pytest.raises(ValidationError):
        where.privacy_blocked < True  # noqa: B015
    with pytest.raises(ValidationError):
        where.type.between("Company", "Person")
    with pytest.raises(ValidationError):
        Compare(record="contact", field="name", op="~", value="x")
    with pytest.raises(ValidationError):
        Text(record="contact", field="name", op="like", value="x")
    with pytest.raises(ValidationError):
        where.on("interaction").cost_lcy.contains("1")
    with pytest.raises(ValidationError):
        where.country_code.equals("cz", ignore_case=True)  # codes are uppercase
    with pytest.raises(ValidationError):
        where.country_code.isin("CZ")  # a string is not a collection
    with pytest.raises(ValidationError):
        And(items=("not a node",))
    with pytest.raises(ValidationError):
        Not(item="x")
    with pytest.raises(ValidationError):
        where.city.is_blank() & "x"  # type: ignore[operator]


def test_has_checks_its_relation_and_count() -> None:
    """§4.5: criteria inside a related table are about that table's records."""
    with pytest.raises(ValidationError):
        Has(relation="interaction", where=where.city == "Praha")
    with pytest.raises(ValidationError):
        Has(relation="contact")
    with pytest.raises(ValidationError):
        where.has("interaction", at_least=0)
    with pytest.raises(ValidationError):
        InSegment(segment_no=" ")
    with pytest.raises(ValidationError):
        compile_criteria(where.on("interaction").cost_lcy > 1)


def test_operators_flatten_and_not_not_cancels() -> None:
    a, b, c = where.city == "A", where.city == "B", where.city == "C"
    assert (a & b & c) == And(items=(a, b, c))
    assert (a | b | c) == Or(items=(a, b, c))
    assert ~~a == a
    assert isinstance(~a, Not)


# --- semantics --------------------------------------------------------------------------


def test_blank_fields_take_bcs_blank_values() -> None:
    """Module docs: blank is '' / 0 / 0D / false, so comparisons are two-valued."""
    c = company()  # no country, no city
    assert matches(where.country_code == "", c)
    assert matches(where.country_code.is_blank(), c)
    assert matches(where.country_code < "A", c)
    assert not matches(where.country_code == "CZ", c)
    assert matches(~(where.country_code == "CZ"), c)  # no NULL hole
    assert matches(where.city.between("", "B"), c)
    entry = call(1, "CT1", date=None, cost_lcy=0, postponed=True)
    related = RelatedIndex([c], interactions=[entry])
    on = where.on("interaction")
    assert matches(where.has("interaction", on.date < dt.date(1900, 1, 1)), c, related)
    assert matches(where.has("interaction", on.date.is_blank()), c, related)
    assert matches(where.has("interaction", on.cost_lcy.is_blank()), c, related)
    assert matches(where.has("interaction", on.campaign_no == ""), c, related)


def test_text_matches_with_and_without_case() -> None:
    c = company(name="Cronus Cardoxy")
    assert matches(where.name.startswith("Cronus"), c)
    assert not matches(where.name.startswith("cronus"), c)
    assert matches(where.name.startswith("cronus", ignore_case=True), c)
    assert matches(where.name.contains("CARDOXY", ignore_case=True), c)
    assert matches(where.name.endswith("doxy"), c)
    assert matches(where.name.equals("CRONUS CARDOXY", ignore_case=True), c)
    assert not matches(where.name == "CRONUS CARDOXY", c)
    coded = company(country_code="cz")
    assert matches(where.country_code.startswith("c"), coded)  # codes: uppercase


def test_in_between_and_the_empty_cases() -> None:
    c = company(post_code="150 00")
    assert matches(where.post_code.between("100", "199"), c)
    assert not matches(where.post_code.isin([]), c)
    assert matches(where.post_code.isin(["150 00", "150 00"]), c)
    assert where.post_code.isin(["1", "1"]).values == ("1",)
    assert matches(And(items=()), c)
    assert not matches(Or(items=()), c)


def test_related_records_follow_the_links_of_4_5() -> None:
    """§4.5: industry groups and business relations are the company's."""
    firm = company("CT1", name="Cronus")
    object.__setattr__(firm, "industry_groups", frozenset({"RETAIL"}))
    ann = person("CT2", "CT1", name="Ann")
    object.__setattr__(ann, "mailing_groups", frozenset({"NEWS"}))
    object.__setattr__(ann, "web_sources", {"SEARCH": "ann"})
    related = RelatedIndex(
        [firm, ann],
        interactions=[
            call(1, "CT2"),
            call(2, "CT2", cost_lcy=5),
            call(3, "CT1"),
        ],
        segments={"sm1": ["CT2"]},
    )
    assert matches(where.industry_group("retail"), ann, related)
    assert matches(where.mailing_group("NEWS", "OTHER"), ann, related)
    assert not matches(where.mailing_group("NEWS"), firm, related)
    assert matches(where.web_source("SEARCH"), ann, related)
    assert not matches(where.business_relation("CUST"), ann, related)
    assert not matches(where.job_responsibility("BUY"), ann, related)
    two = where.has("interaction", at_least=2)
    assert matches(two, ann, related)
    assert not matches(two, firm, related)
    costly = where.has("interaction", where.on("interaction").cost_lcy > 1, at_least=2)
    assert not matches(costly, ann, related)
    assert matches(where.in_segment("SM1"), ann, related)
    assert not matches(where.in_segment("SM1"), firm, related)
    assert not matches(where.in_segment("SM1"), ann)  # no related records given
    assert segments_of(
        ~where.in_segment("a")
        & where.has("interaction", where.on("interaction").cost_lcy > 0)
    ) == {"A"}


def test_profile_answers_tasks_and_opportunities_are_related_records() -> None:
    from relationship_mgmt.domain.opportunities import Opportunity
    from relationship_mgmt.domain.profiles import ContactProfileAnswer
    from relationship_mgmt.domain.tasks import Task

    c = company()
    answer = ContactProfileAnswer(
        contact_no="CT1", questionnaire_code="SIZE", line_no=20,
        last_date_updated=dt.date(2026, 1, 1),
    )  # fmt: skip
    deal = Opportunity(no="OP1", contact_no="CT1", creation_date=dt.date(2026, 1, 1))
    todo = Task(
        no="T1", salesperson_code="JO", contact_no="CT1", date=dt.date(2026, 1, 3)
    )
    related = RelatedIndex(
        [c], profile_answers=[answer], opportunities=[deal], tasks=[todo]
    )
    assert matches(where.profile_answer("size", 20), c, related)
    assert not matches(where.profile_answer("size", 30), c, related)
    assert matches(
        where.has("opportunity", where.on("opportunity").status == "Not Started"),
        c,
        related,
    )
    assert matches(
        where.has("task", where.on("task").date <= dt.date(2026, 1, 3)), c, related
    )


def test_the_compiled_function_tests_cheap_leaves_first_and_is_cached() -> None:
    """performance.md §2.3: one function per tree, related records last, cached."""
    tree = where.has("interaction") & (where.city == "Praha")
    predicate = compile_criteria(tree)
    assert predicate is compile_criteria(
        where.has("interaction") & (where.city == "Praha")
    )
    source = predicate.__doc__ or ""
    assert source.index("r0.city") < source.index("any(")
    mixed = (where.has("mailing_group") | (where.city == "A")) & (where.name == "B")
    mixed_source = compile_criteria(mixed).__doc__ or ""
    assert (
        mixed_source.index("r0.name")
        < mixed_source.index("r0.city")
        < mixed_source.index("any(")
    )


# --- explain ------------------------------------------------------------------------------


def test_explain_tells_which_branch_held_and_why() -> None:
    c = company(name="Cronus", city="Praha")
    related = RelatedIndex([c], interactions=[call(1, "CT1", cost_lcy=3)])
    tree = (where.city == "Brno") | (
        where.name.startswith("Cro")
        & where.has("interaction", where.on("interaction").cost_lcy >= 5)
    )
    proof = explain(tree, c, related)
    assert not proof.matched
    assert proof.lines() == [
        "[ ] none of",
        "  [ ] contact.city = 'Praha' = 'Brno'",
        "  [ ] not all of",
        "    [x] contact.name = 'Cronus' starts with 'Cro'",
        "    [ ] 0 matching interaction record(s), at least 1 wanted",
        "      [ ] interaction.cost_lcy = Decimal('3') >= Decimal('5')",
    ]
    anything = explain(where.has("interaction") & ~where.in_segment("S"), c, related)
    assert anything.matched
    assert anything.children[0].children[0].reason == "interaction record"


# --- properties ---------------------------------------------------------------------------

_CITIES = ["", "Praha", "praha", "Brno"]
_CODES = ["CZ", "SK", "DK"]

_contact_leaf = st.one_of(
    st.builds(lambda v: where.city == v, st.sampled_from(_CITIES)),
    st.builds(lambda v: where.city.equals(v, ignore_case=True), st.sampled_from(_CITIES)),
    st.builds(lambda v: where.city < v, st.sampled_from(_CITIES)),
    st.builds(lambda v: where.country_code == v, st.sampled_from(["", *_CODES])),
    st.builds(where.country_code.isin, st.lists(st.sampled_from(_CODES))),
    st.builds(lambda v: where.name.contains(v, ignore_case=True), st.sampled_from(["ro", "X"])),
    st.builds(where.name.startswith, st.sampled_from(["C", "c", ""])),
    st.builds(where.post_code.between, st.sampled_from(["1", "2"]), st.sampled_from(["1", "3"])),
    st.just(where.city.is_blank()),
    st.builds(lambda v: where.privacy_blocked == v, st.booleans()),
    st.builds(lambda v: where.type == v, st.sampled_from(["Company", "Person"])),
)  # fmt: skip
_interaction_leaf = st.one_of(
    st.builds(lambda v: where.on("interaction").cost_lcy > v, st.integers(0, 5)),
    st.builds(lambda v: where.on("interaction").date <= v, st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 5))),
    st.builds(lambda v: where.on("interaction").evaluation == v, st.sampled_from(["Positive", ""])),
    st.just(where.on("interaction").campaign_no.is_blank()),
)  # fmt: skip


def _trees(leaf: st.SearchStrategy[Criteria]) -> st.SearchStrategy[Criteria]:
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda xs: And(items=xs), st.lists(inner, max_size=3)),
            st.builds(lambda xs: Or(items=xs), st.lists(inner, max_size=3)),
            st.builds(lambda x: ~x, inner),
        ),
        max_leaves=6,
    )


_criteria = _trees(
    st.one_of(
        _contact_leaf,
        st.builds(
            lambda w, n: Has(relation="interaction", where=w, at_least=n),
            st.none() | _trees(_interaction_leaf),
            st.integers(1, 2),
        ),
        st.builds(lambda codes: where.mailing_group(*codes), st.lists(st.sampled_from(["NEWS", "VIP"]), max_size=2)),
        st.just(where.in_segment("SM1")),
    )
)  # fmt: skip


_DATED: list[dict[str, Any]] = [
    {"date": None, "postponed": True},
    *({"date": dt.date(2026, 1, d)} for d in range(1, 6)),
]


@st.composite
def _worlds(draw: st.DrawFn) -> tuple[Contact, RelatedIndex]:
    c = company(
        name=draw(st.sampled_from(["Cronus", "cRONUS", "X"])),
        city=draw(st.sampled_from(_CITIES)),
        country_code=draw(st.sampled_from([None, *_CODES])),
        post_code=draw(st.sampled_from(["", "1", "2", "3"])),
    )
    object.__setattr__(c, "privacy_blocked", draw(st.booleans()))
    object.__setattr__(
        c, "mailing_groups", frozenset(draw(st.sets(st.sampled_from(["NEWS", "VIP"]))))
    )
    entries = [
        call(
            n, "CT1",
            cost_lcy=draw(st.integers(0, 6)),
            evaluation=draw(st.sampled_from(list(Evaluation))),
            **draw(st.sampled_from(_DATED)),
        )
        for n in range(1, draw(st.integers(1, 4)))
    ]  # fmt: skip
    members = ["CT1"] if draw(st.booleans()) else []
    return c, RelatedIndex([c], interactions=entries, segments={"SM1": members})


@settings(max_examples=300)
@given(_criteria, _worlds())
def test_explain_agrees_with_the_compiled_evaluation(
    tree: Criteria, world: tuple[Contact, RelatedIndex]
) -> None:
    """explain(), matches() and select() agree on every random (criteria, contact)."""
    contact, related = world
    held = matches(tree, contact, related)
    assert explain(tree, contact, related).matched == held
    assert select(tree, [contact], related) == ([contact.no] if held else [])


@settings(max_examples=200)
@given(_criteria, _criteria, _worlds())
def test_de_morgan_and_complement_hold_under_bc_blanks(
    a: Criteria, b: Criteria, world: tuple[Contact, RelatedIndex]
) -> None:
    """Two-valued blanks: ~ is the complement and De Morgan's laws hold."""
    contact, related = world

    def m(tree: Criteria) -> bool:
        return matches(tree, contact, related)

    assert m(~a) is not m(a)
    assert m(~(a & b)) == m(~a | ~b)
    assert m(~(a | b)) == m(~a & ~b)
    assert m(a & b) == (m(a) and m(b))
    assert m(a | b) == (m(a) or m(b))


@st.composite
def _populations(draw: st.DrawFn) -> tuple[list[Contact], RelatedIndex]:
    contacts = []
    cities = [*_CITIES, *(f"Town {n}" for n in range(9))]  # more than 8 values
    for n in range(1, draw(st.integers(0, 60)) + 1):
        c = company(
            no=f"CT{n}",
            name=draw(st.sampled_from(["Cronus", "cRONUS", "X"])),
            city=draw(st.sampled_from(cities[: draw(st.sampled_from([4, 13]))])),
            country_code=draw(st.sampled_from([None, *_CODES])),
            post_code=draw(st.sampled_from(["", "1", "2", "3"])),
        )
        object.__setattr__(c, "privacy_blocked", draw(st.booleans()))
        contacts.append(c)
    entries = [
        call(n, f"CT{draw(st.integers(1, 60))}", cost_lcy=draw(st.integers(0, 6)))
        for n in range(1, draw(st.integers(1, 30)))
    ]
    members = draw(st.lists(st.sampled_from(["CT1", "CT2", "CT9", "CT99"])))
    return contacts, RelatedIndex(
        contacts, interactions=entries, segments={"SM1": members}
    )


@settings(max_examples=300)
@given(_criteria, _populations(), st.sampled_from([1, 2, 512]))
def test_the_bitmap_index_selects_what_the_evaluator_selects(
    tree: Criteria, world: tuple[list[Contact], RelatedIndex], max_distinct: int
) -> None:
    """ContactIndex.select == select, whichever fields are indexed (sure/maybe bounds)."""
    contacts, related = world
    index = ContactIndex(contacts, max_distinct=max_distinct)
    assert index.select(tree, related) == select(tree, contacts, related)
    assert index.select(tree, related) == select(tree, contacts, related)  # cached


def test_the_bitmap_index_indexes_few_valued_fields_only() -> None:
    many = [company(no=f"CT{n}", name=f"N{n}", city=f"C{n % 3}") for n in range(40)]
    index = ContactIndex(many, max_distinct=8)
    assert index.select(where.city == "C1") == [c.no for c in many[1::3]]
    assert index.select(where.name == "N7") == ["CT7"]
    # sure (the C1 city) and tested (the names) merge back into the contacts' order
    either = (where.city == "C1") | where.name.isin(["N3", "N0"])
    assert index.select(either) == [
        "CT0",
        "CT1",
        "CT3",
        "CT4",
        *(f"CT{n}" for n in range(7, 40, 3)),
    ]
    assert index.indexed_fields() == ["city"]
    assert len(index) == 40
    assert index.contacts[0].no == "CT0"
    assert ContactIndex(many).select(where.name.isin(["N9", "N2"])) == ["CT2", "CT9"]
    assert ContactIndex([]).select(where.city == "C1") == []
    with pytest.raises(ValidationError, match="max_distinct"):
        ContactIndex(many, max_distinct=0)
    with pytest.raises(ValidationError, match="max_distinct"):
        ContactIndex(many, max_distinct="8")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="criteria tree"):
        index.select("city = C1")  # type: ignore[arg-type]


class _Unwindowed:
    """The same records, never narrowed to a date range."""

    def __init__(self, inner: RelatedIndex) -> None:
        self.inner = inner

    def related(self, relation: str, contact: Contact) -> Any:
        return self.inner.related(relation, contact)

    def segment_members(self, segment_no: str) -> Any:
        return self.inner.segment_members(segment_no)

    def related_within(
        self, relation: str, contact: Contact, field: str, low: Any, high: Any
    ) -> Any:
        del field, low, high
        return self.inner.related(relation, contact)


_day = st.dates(dt.date(2025, 12, 28), dt.date(2026, 1, 8))
_on = where.on("interaction")
_windowed_leaf = st.one_of(
    _interaction_leaf,
    st.builds(lambda v: _on.date >= v, _day),
    st.builds(lambda v: _on.date > v, _day),
    st.builds(lambda v: _on.date < v, _day),
    st.builds(lambda v: _on.date == v, _day),
    st.builds(lambda v: _on.date != v, _day),
    st.builds(_on.date.between, _day, _day),
    st.builds(lambda v: _on.postponed == v, st.booleans()),
    st.builds(
        _on.evaluation.isin, st.lists(st.sampled_from(["Positive", "", "Positive"]))
    ),
    st.builds(lambda v: _on.cost_lcy == v, st.integers(0, 2)),
)


def test_the_index_counts_related_records_from_their_side_when_that_is_cheaper() -> (
    None
):
    people = [company(no=f"CT{n}", city=f"C{n % 2}") for n in range(40)]
    busy = [
        call(n, "CT1", date=dt.date(2025, 1, 1) + dt.timedelta(days=n))
        for n in range(1, 201)
    ]
    quiet = [call(1000 + n, f"CT{n}", date=dt.date(2025, 6, 1)) for n in range(2, 40)]
    related = RelatedIndex(people, interactions=[*busy, *quiet])
    index = ContactIndex(people)
    on = where.on("interaction")
    late = where.has("interaction", on.date >= dt.date(2025, 7, 10), at_least=2)
    one = (where.no == "CT1") & late

    def agree(tree: Criteria) -> None:
        assert index.select(tree, related) == select(tree, people, related)

    agree(one)  # one contact left: tested by itself, nothing sorted
    assert not related.sorted_by("interaction", "date")
    agree(late)  # every contact: the records are sorted and counted
    assert related.sorted_by("interaction", "date")
    agree(one)  # sorted already: counted from the records' side
    agree(
        where.has("interaction", (on.date >= dt.date(2025, 1, 1)) & where.has("task"))
    )
    assert related.count("interaction") == related.count("interaction") == 238
    with pytest.raises(ValidationError, match="own fields"):
        compile_counter(on.date.is_blank() & where.in_segment("S"))


def test_a_related_test_narrows_records_on_its_first_date_field_only() -> None:
    on = where.on("task")
    tree = where.has(
        "task",
        (on.date >= dt.date(2026, 1, 2)) & (on.date_closed <= dt.date(2026, 1, 1)),
    )
    assert "x.related_within('task', r0, 'date', " in str(
        compile_criteria(tree).__doc__
    )


@settings(max_examples=200)
@given(
    st.lists(_windowed_leaf, min_size=1, max_size=4),
    st.integers(1, 3),
    st.lists(st.sampled_from([None, *(dt.date(2026, 1, d) for d in range(1, 6))]), min_size=16, max_size=40),
)  # fmt: skip
def test_a_date_range_in_a_related_test_narrows_records_without_changing_results(
    leaves: list[Criteria], at_least: int, days: list[dt.date | None]
) -> None:
    """RelatedIndex.related_within (sorted by date, bisected) loses no record."""
    c = company()
    entries = [
        call(n, "CT1", date=day, postponed=day is None, cost_lcy=n % 3,
             evaluation=list(Evaluation)[n % 3])
        for n, day in enumerate(days, start=1)
    ]  # fmt: skip
    related = RelatedIndex([c], interactions=entries)
    tree = where.has("interaction", And(items=tuple(leaves)), at_least=at_least)
    expected = select(tree, [c], _Unwindowed(related))
    assert select(tree, [c], related) == expected
    assert select(tree, [c], related) == expected  # sorted once, reused
    # counted from the records' side (ContactIndex), with a key field or without
    assert ContactIndex([c]).select(tree, related) == expected


@given(_criteria)
def test_criteria_round_trip_through_data_and_json(tree: Criteria) -> None:
    """JSON round trip of random criteria (the saved-criteria wire format)."""
    assert from_data(to_data(tree)) == tree
    assert loads(dumps(tree), Criteria) == tree  # type: ignore[arg-type]


def test_malformed_data_is_refused() -> None:
    good = to_data(where.city == "Praha")
    for bad in (
        "city = Praha",
        {"node": "xor"},
        {**good, "extra": 1},
        {**good, "op": "~"},
        {k: v for k, v in good.items() if k != "value"},
        {"node": "and", "items": "x"},
    ):
        with pytest.raises(ValidationError):
            from_data(bad)
    with pytest.raises(ValidationError):
        to_data("city = Praha")  # type: ignore[arg-type]
    assert from_data(
        {"node": "has", "relation": "mailing_group", "where": None}
    ) == Has(relation="mailing_group")
    assert isinstance(from_data(to_data(where.city.is_blank())), IsBlank)
    assert from_data(to_data(where.post_code.between("1", "2"))) == Between(
        record="contact", field="post_code", low="1", high="2"
    )
    assert from_data(to_data(where.post_code.isin(["1"]))) == In(
        record="contact", field="post_code", values=("1",)
    )
    assert Op.NE.value == "<>"


def test_the_remaining_builder_and_explain_cases() -> None:
    from relationship_mgmt.domain import criteria as module
    from relationship_mgmt.domain.tasks import Task

    c = company(name="Cronus Cardoxy", city="Praha")
    assert module._kind(int | str | None) is None
    with pytest.raises(ValidationError):
        module.contact_records("interaction", c, c)
    for not_a_tree in ("city = Praha", ["x"]):
        with pytest.raises(ValidationError):
            select(not_a_tree, [c])  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            explain(not_a_tree, c)  # type: ignore[arg-type]
    assert module.relations_of(where.mailing_group("A") & where.has("task")) == {
        "mailing_group",
        "task",
    }
    task = where.on("task")
    assert module.relations_of(~where.has("task", ~task.completed_by.is_blank())) == {
        "task"
    }
    assert where.field("name") is not where.field("name")
    assert explain(where.name.endswith("doxy"), c).matched
    assert explain(where.city != "Brno", c).matched
    loose = Task(no="T1", salesperson_code="JO", date=dt.date(2026, 1, 3))  # no contact
    related = RelatedIndex([c], tasks=[loose])
    assert not matches(where.has("task"), c, related)
    nested = (
        where.has("interaction", where.on("interaction").cost_lcy > 1)
        | (where.city == "A")
    ) & (where.name == "B")
    source = compile_criteria(nested).__doc__ or ""
    assert source.index("r0.name") < source.index("any(")
