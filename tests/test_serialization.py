"""The JSON wire format: round trips, golden files and refusal of malformed input."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.codes import CODE20, make_code
from relationship_mgmt.domain.criteria import CRITERIA_NODES, where
from relationship_mgmt.domain.dateformula import DateFormula, Term
from relationship_mgmt.domain.money import Currency, Money
from relationship_mgmt.domain.numbering import NumberSeries, compare_numbers
from relationship_mgmt.domain.setup import (
    CODE_TABLE_KINDS,
    AttachmentStorageType,
    BusinessRelation,
    CampaignStatus,
    CloseOpportunityCode,
    CloseOpportunityType,
    CodeRecord,
    CorrespondenceType,
    IndustryGroup,
    InteractionGroup,
    JobResponsibility,
    MailingGroup,
    OrganizationalLevel,
    RelationshipSetup,
    Salutation,
    SalutationFormula,
    SalutationName,
    SalutationType,
    Territory,
    WebSource,
)
from relationship_mgmt.errors import DateFormulaError, SerializationError
from relationship_mgmt.serialization import (
    configure_converter,
    dumps,
    loads,
    make_converter,
    structure,
    unstructure,
)
from relationship_mgmt.testing import strategies as rst

GOLDEN = Path(__file__).parent / "golden"

# --- helpers ----------------------------------------------------------------------------


def _json_leaves(value: object) -> Iterator[object]:
    """Yield every node of an unstructured document."""
    yield value
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_leaves(item)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """Yield ``error``, its causes and, for exception groups, their members."""
    yield error
    if isinstance(error, BaseExceptionGroup):
        for member in error.exceptions:
            yield from _causes(member)
    if error.__cause__ is not None:
        yield from _causes(error.__cause__)


def _structure_or_refuse(data: object, cls: type[Any]) -> None:
    """Structuring gives a valid, round-tripping value or a SerializationError."""
    try:
        value = structure(data, cls)
    except SerializationError as error:
        assert error.__cause__ is not None  # noqa: PT017 - raising is one allowed outcome
        return

    assert isinstance(value, cls)
    assert structure(unstructure(value), cls) == value


# --- round trips ---------------------------------------------------------------------


@given(rst.aggregates())
def test_aggregates_round_trip_through_json(
    aggregate: NumberSeries | RelationshipSetup,
) -> None:
    text = dumps(aggregate)

    again = loads(text, type(aggregate))

    assert again == aggregate
    assert again.version == aggregate.version


@given(rst.aggregates())
def test_aggregates_round_trip_through_plain_data(
    aggregate: NumberSeries | RelationshipSetup,
) -> None:
    assert structure(unstructure(aggregate), type(aggregate)) == aggregate


@given(rst.code_records())
def test_code_records_round_trip(record: CodeRecord | SalutationFormula) -> None:
    assert loads(dumps(record), type(record)) == record
    assert structure(unstructure(record), type(record)) == record


@given(rst.salutation_formulas())
def test_salutation_formulas_round_trip(formula: SalutationFormula) -> None:
    assert loads(dumps(formula), SalutationFormula) == formula


@given(rst.date_formulas())
def test_date_formulas_round_trip_as_their_canonical_text(formula: DateFormula) -> None:
    assert unstructure(formula) == str(formula)
    assert loads(dumps(formula), DateFormula) == formula


@given(rst.date_formulas().filter(lambda formula: bool(formula.terms)))
def test_date_formula_terms_round_trip(formula: DateFormula) -> None:
    for term in formula.terms:
        assert loads(dumps(term), Term) == term


@given(rst.money())
def test_money_round_trips(amount: Money) -> None:
    assert loads(dumps(amount), Money) == amount
    assert structure(unstructure(amount), Money) == amount


@given(rst.currencies())
def test_currencies_round_trip(currency: Currency) -> None:
    assert loads(dumps(currency), Currency) == currency


@given(
    st.builds(
        Currency,
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
        st.integers(min_value=0, max_value=8),
    )
)
def test_currencies_with_custom_minor_units_round_trip(currency: Currency) -> None:
    assert loads(dumps(currency), Currency) == currency


@given(
    st.one_of(
        rst.aggregates(),
        rst.code_records(),
        rst.money(),
        rst.currencies(),
        rst.date_formulas(),
    )
)
def test_the_plain_form_holds_only_json_types(value: object) -> None:
    json_types = {dict, list, str, int, bool, type(None)}

    document = unstructure(value)

    assert all(type(node) in json_types for node in _json_leaves(document))


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimals_round_trip_exactly_as_strings(number: Decimal) -> None:
    text = unstructure(number)

    assert isinstance(text, str)
    assert str(structure(text, Decimal)) == str(number)


@given(st.dates())
def test_dates_round_trip_as_iso_dates(day: date) -> None:
    assert unstructure(day) == day.isoformat()
    assert structure(unstructure(day), date) == day


@given(
    st.datetimes(
        min_value=datetime(2, 1, 1),  # noqa: DTZ001 - bounds are naive by hypothesis' API
        max_value=datetime(9998, 12, 31),  # noqa: DTZ001
        timezones=st.integers(min_value=-1439, max_value=1439).map(
            lambda minutes: timezone(timedelta(minutes=minutes))
        ),
    )
)
def test_aware_datetimes_round_trip_in_utc(moment: datetime) -> None:
    text = unstructure(moment)

    again = structure(text, datetime)

    assert text.endswith("+00:00")
    assert again == moment
    assert again.tzinfo is UTC


def test_aggregates_leave_pending_events_out() -> None:
    series = NumberSeries(code="CONT", starting_no="CT1")
    series._record("an event")
    init_fields = {a.name for a in attrs.fields(NumberSeries) if a.init}

    document = unstructure(series)

    assert set(document) == init_fields
    assert not any("pending" in key for key in document)
    assert loads(dumps(series), NumberSeries).pull_events() == []


def test_dumps_writes_compact_json_with_sorted_keys() -> None:
    assert dumps(Money("12.5", "EUR")) == '{"amount":"12.50","currency":"EUR"}'


def test_configure_converter_works_on_a_plain_cattrs_converter() -> None:
    converter = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(converter)
    setup = RelationshipSetup(contact_nos="CONT", default_task_date_formula="CM+1D")

    document = converter.unstructure(setup)

    assert document == unstructure(setup)
    assert converter.structure(document, RelationshipSetup) == setup


def test_make_converter_returns_a_fresh_converter_and_leaves_the_global_alone() -> None:
    first, second = make_converter(), make_converter()

    assert first is not second
    assert first.unstructure(Money(1, "JPY")) == {"amount": "1", "currency": "JPY"}
    assert cattrs.global_converter.structure(5, str) == "5"


def test_arrays_of_list_type_are_read_too() -> None:
    assert structure(["a", "b"], list[str]) == ["a", "b"]
    assert structure(["a", "b"], tuple[str, ...]) == ("a", "b")


def test_a_datetime_offset_is_converted_to_utc() -> None:
    moment = structure("2026-01-05T10:30:00+01:00", datetime)

    assert moment == datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    assert moment.tzinfo is UTC
    assert structure("2026-01-05T09:30:00Z", datetime) == moment


# --- golden files ----------------------------------------------------------------------

_GOLDEN_VALUES: dict[str, object] = {
    "relationship_setup": RelationshipSetup(
        version=2,
        contact_nos="CONT",
        segment_nos="SEG",
        opportunity_nos="OPP",
        bus_rel_code_for_customers="CUST",
        attachment_storage_type=AttachmentStorageType.DISK_FILE,
        attachment_storage_location="/srv/crm/attachments",
        inherit_territory_code=False,
        default_country_code="DK",
        default_format_region="da-DK",
        default_person_salutation_code="P-JOB",
        default_correspondence_type=CorrespondenceType.EMAIL,
        default_task_date_formula=DateFormula.parse("<1w + cm>"),
        autosearch_for_duplicates=False,
        search_hit_pct=75,
    ),
    "number_series": NumberSeries(
        version=3,
        code="CONT",
        description="Contacts",
        starting_no="CT000001",
        ending_no="CT999999",
        warning_no="CT999000",
        last_no_used="CT000042",
        last_date_used=date(2026, 1, 5),
        date_order=True,
    ),
    "business_relation": BusinessRelation(code="CUST", description="Customer"),
    "industry_group": IndustryGroup(code="RETAIL", description="Retail"),
    "mailing_group": MailingGroup(code="NEWS", description="Newsletter"),
    "job_responsibility": JobResponsibility(code="PURCHASE", description="Purchasing"),
    "organizational_level": OrganizationalLevel(code="CEO", description="Chief"),
    "web_source": WebSource(
        code="SEARCH",
        description="Web search",
        url="https://www.example.com/search?q=%1",
    ),
    "salutation": Salutation(code="M-JOB", description="Male, with job title"),
    "salutation_formula": SalutationFormula(
        salutation_code="M-JOB",
        language_code="ENU",
        salutation_type=SalutationType.FORMAL,
        salutation="Dear %1 %2 %3",
        names=(SalutationName.JOB_TITLE, SalutationName.FIRST_NAME, "Surname"),
    ),
    "territory": Territory(code="NORTH", description="North"),
    "close_opportunity_code": CloseOpportunityCode(
        code="PRICE", description="Price too high", type=CloseOpportunityType.LOST
    ),
    "campaign_status": CampaignStatus(code="1-PLAN", description="Planning"),
    "interaction_group": InteractionGroup(code="SALES", description="Sales contacts"),
    "currency": Currency.of("KWD"),
    "money_eur": Money("1234.50", "EUR"),
    "money_jpy": Money(1500, "JPY"),
    "criteria": (
        (where.country_code.isin(["CZ", "SK"]) | where.post_code.between("100", "199"))
        & where.name.contains("cronus", ignore_case=True)
        & ~where.city.is_blank()
        & where.industry_group("RETAIL")
        & where.has(
            "interaction",
            (where.on("interaction").date >= date(2026, 1, 1))
            & (where.on("interaction").cost_lcy > Decimal("12.50"))
            & (where.on("interaction").evaluation == "Positive"),
            at_least=2,
        )
        & ~where.in_segment("SM00001")
    ),
}


def _golden_text(value: object) -> str:
    return json.dumps(unstructure(value), sort_keys=True, indent=2) + "\n"


def test_every_code_table_kind_has_a_golden_file() -> None:
    assert set(CODE_TABLE_KINDS) <= set(_GOLDEN_VALUES)


def test_every_golden_file_belongs_to_a_value() -> None:
    assert {path.stem for path in GOLDEN.glob("*.json")} <= set(_GOLDEN_VALUES)


@pytest.mark.parametrize(("name", "value"), list(_GOLDEN_VALUES.items()))
def test_wire_format_matches_the_golden_file(name: str, value: object) -> None:
    path = GOLDEN / f"{name}.json"
    actual = _golden_text(value)
    if os.environ.get("RM_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests with RM_UPDATE_GOLDEN=1")

    expected = path.read_text(encoding="utf-8")

    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"golden/{name}.json",
                tofile="now",
            )
        )
        pytest.fail(
            f"The wire format of {type(value).__name__} changed. That breaks stored "
            "documents: if it is intended, rerun with RM_UPDATE_GOLDEN=1 and list the "
            f"change in CHANGELOG.md.\n{diff}"
        )


@pytest.mark.parametrize(("name", "value"), list(_GOLDEN_VALUES.items()))
def test_golden_file_reads_back_to_its_value(name: str, value: object) -> None:
    text = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")

    assert loads(text, type(value)) == value


# --- malformed input -------------------------------------------------------------------

_GOLDEN_RECORDS = {
    name: value
    for name, value in _GOLDEN_VALUES.items()
    if attrs.has(type(value)) and not isinstance(value, CRITERIA_NODES)
}


def _is_optional(cls: type[Any], name: str) -> bool:
    attrs.resolve_types(cls)
    return type(None) in get_args(attrs.fields_dict(cls)[name].type)


def _wrong_values(current: object, *, optional: bool) -> list[object]:
    """JSON values of another type than ``current``."""
    by_type: dict[type, list[object]] = {
        str: [5, 1.5, True, [], {}],
        int: ["5", 2.5, True, [], {}],
        bool: ["true", 1, 0, [], {}],
        list: ["Surname", {}, 5],
        type(None): [5, 1.5, True, [], {}],
    }
    wrong = list(by_type[type(current)])
    if not optional:
        wrong.append(None)
    return wrong


@pytest.mark.parametrize(("name", "value"), list(_GOLDEN_VALUES.items()))
def test_extra_keys_are_refused(name: str, value: object) -> None:
    document = unstructure(value)
    document["unexpected"] = 1

    with pytest.raises(SerializationError) as info:
        structure(document, type(value))

    assert "unexpected" in str(info.value), name


def _required_fields(cls: type[Any]) -> list[str]:
    return [a.name for a in attrs.fields(cls) if a.init and a.default is attrs.NOTHING]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        (name, key)
        for name, value in _GOLDEN_RECORDS.items()
        for key in _required_fields(type(value))
    ],
)
def test_missing_required_keys_are_refused(name: str, key: str) -> None:
    value = _GOLDEN_RECORDS[name]
    document = unstructure(value)
    del document[key]

    with pytest.raises(SerializationError, match="missing"):
        structure(document, type(value))


@pytest.mark.parametrize(("name", "value"), list(_GOLDEN_RECORDS.items()))
def test_fields_of_the_wrong_json_type_are_refused(name: str, value: Any) -> None:
    cls = type(value)
    accepted: list[tuple[str, object]] = []

    for key, current in unstructure(value).items():
        for wrong in _wrong_values(current, optional=_is_optional(cls, key)):
            document = unstructure(value)
            document[key] = wrong
            try:
                structure(document, cls)
            except SerializationError:
                continue
            accepted.append((key, wrong))

    assert accepted == [], name


@pytest.mark.parametrize(
    "document",
    [
        [],
        "",
        None,
        {"amount": 12.5, "currency": "EUR"},
        {"amount": 12, "currency": "EUR"},
        {"amount": "12.505", "currency": "EUR"},
        {"amount": "1.5", "currency": "JPY"},
        {"amount": "NaN", "currency": "EUR"},
        {"amount": " 12.50", "currency": "EUR"},
        {"amount": "1_000", "currency": "EUR"},
        {"amount": "12.50", "currency": "EURO"},
        {"amount": "12.50", "currency": 978},
        {"amount": "12.50"},
        {"currency": "EUR"},
        {"amount": "12.50", "currency": "EUR", "rate": "1"},
    ],
)
def test_malformed_money_is_refused(document: object) -> None:
    with pytest.raises(SerializationError) as info:
        structure(document, Money)

    assert info.value.__cause__ is not None


def test_a_float_amount_in_json_text_is_refused() -> None:
    with pytest.raises(SerializationError, match="string"):
        loads('{"amount": 12.50, "currency": "EUR"}', Money)


def test_money_in_a_currency_with_custom_minor_units_cannot_be_written() -> None:
    odd = Money(1, Currency("EUR", 4))

    with pytest.raises(SerializationError, match="minor units"):
        dumps(odd)


def test_an_unknown_currency_code_reads_with_two_minor_units() -> None:
    assert loads('{"amount": "1.50", "currency": "XTS"}', Money) == Money("1.5", "XTS")


@pytest.mark.parametrize("text", ["1X", "1D+2D+3D+4D", "CM1D", "M3", "WD8", 5, []])
def test_a_bad_date_formula_in_a_setup_is_refused(text: object) -> None:
    document = unstructure(RelationshipSetup())
    document["default_task_date_formula"] = text

    with pytest.raises(SerializationError):
        structure(document, RelationshipSetup)


def test_an_empty_task_formula_is_stored_as_none() -> None:
    setup = RelationshipSetup(default_task_date_formula=DateFormula())
    document = unstructure(setup)

    assert document["default_task_date_formula"] is None
    assert structure(document, RelationshipSetup) == setup
    assert structure({"default_task_date_formula": ""}, RelationshipSetup) == setup


def test_a_bad_date_formula_keeps_the_date_formula_error_as_cause() -> None:
    with pytest.raises(SerializationError) as info:
        loads('"1D+2X"', DateFormula)

    errors = [e for e in _causes(info.value) if isinstance(e, DateFormulaError)]
    assert errors
    assert errors[0].position == 4


def test_a_naive_datetime_is_refused_both_ways() -> None:
    with pytest.raises(SerializationError, match="offset"):
        structure("2026-01-05T09:30:00", datetime)
    with pytest.raises(SerializationError, match="offset"):
        structure("2026-01-05", datetime)
    with pytest.raises(SerializationError, match="naive"):
        unstructure(datetime(2026, 1, 5, 9, 30))  # noqa: DTZ001 - the point of the test


def test_a_datetime_that_leaves_the_calendar_in_utc_cannot_be_written() -> None:
    edge = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))

    with pytest.raises(SerializationError, match="UTC"):
        dumps(edge)


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        (5, datetime),
        ("0001-01-01T00:00:00+05:00", datetime),
        ("tomorrow", datetime),
        (20260105, date),
        ("20260105", date),
        ("2026-W02-1", date),
        ("2026-02-30", date),
        (1.5, Decimal),
        ("1e", Decimal),
        ("Infinity", Decimal),
        ("", Decimal),
        ({"code": "CONT"}, NumberSeries),
        ("Surname", tuple[SalutationName, ...]),
        ({"Surname": 1}, tuple[SalutationName, ...]),
        (["Nickname"], tuple[SalutationName, ...]),
        (True, int),
        ("yes", bool),
        (1, bool),
        ("CUST", BusinessRelation),
        ([], RelationshipSetup),
        ("", RelationshipSetup),
        ({"code": "A" * (CODE20 + 1), "starting_no": "A1"}, NumberSeries),
        ({"code": "A", "starting_no": "NODIGITS"}, NumberSeries),
        ({"code": "A", "starting_no": "A1", "increment_by": 0}, NumberSeries),
        ({"code": " "}, IndustryGroup),
        ({"code": "X", "url": "https://example.com"}, WebSource),
        ({"salutation_code": "X", "names": [""] * 6}, SalutationFormula),
        ({"code": "EUR", "minor_units": 9}, Currency),
        ({"search_hit_pct": 0}, RelationshipSetup),
        (["a"], object),
    ],
)
def test_malformed_documents_are_refused(data: object, cls: type[Any]) -> None:
    with pytest.raises(SerializationError) as info:
        structure(data, cls)

    assert info.value.__cause__ is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"amount": NaN, "currency": "EUR"}',
        '{"amount": "1", "currency": "EUR"} trailing',
        b"\xff\xfe\xfa",
        "[" * 100_000,
    ],
)
def test_text_that_is_not_json_is_refused(text: str | bytes) -> None:
    with pytest.raises(SerializationError) as info:
        loads(text, Money)

    assert info.value.__cause__ is not None


def test_a_value_that_is_not_a_library_value_cannot_be_written() -> None:
    with pytest.raises(SerializationError):
        dumps(object())
    with pytest.raises(SerializationError, match="non-finite"):
        dumps(Decimal("NaN"))


# --- anything at all in, only SerializationError out ----------------------------------

_PUBLIC_TYPES: list[type[Any]] = [
    NumberSeries,
    RelationshipSetup,
    *CODE_TABLE_KINDS.values(),
    Currency,
    Money,
    DateFormula,
    Term,
]
_FIELD_NAMES = sorted(
    {a.name for cls in _PUBLIC_TYPES for a in attrs.fields(cls) if a.init}
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["EUR", "12.50", "CM+1D", "2026-01-05", "Surname", "A1"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(_FIELD_NAMES) | st.text(), children, max_size=6
        )
    ),
    max_leaves=25,
)


@given(data=_JSON, cls=st.sampled_from(_PUBLIC_TYPES))
def test_random_json_gives_a_value_or_a_serialization_error(
    data: object, cls: type[Any]
) -> None:
    _structure_or_refuse(data, cls)


@given(
    name=st.sampled_from(sorted(_GOLDEN_RECORDS)),
    key_index=st.integers(min_value=0),
    replacement=_JSON,
)
def test_one_random_field_gives_a_value_or_a_serialization_error(
    name: str, key_index: int, replacement: object
) -> None:
    value = _GOLDEN_RECORDS[name]
    document = unstructure(value)
    keys = sorted(document)
    document[keys[key_index % len(keys)]] = replacement

    _structure_or_refuse(document, type(value))


@given(text=st.text() | st.binary(), cls=st.sampled_from(_PUBLIC_TYPES))
def test_random_text_gives_a_value_or_a_serialization_error(
    text: str | bytes, cls: type[Any]
) -> None:
    try:
        value = loads(text, cls)
    except SerializationError:
        return

    assert isinstance(value, cls)


# --- the shipped strategies ------------------------------------------------------------


@given(
    st.integers(min_value=1, max_value=CODE20).flatmap(
        lambda n: st.tuples(st.just(n), rst.codes(n))
    )
)
def test_generated_codes_are_already_normalised(
    length_and_code: tuple[int, str],
) -> None:
    max_length, code = length_and_code

    assert make_code(code, max_length=max_length) == code
    assert code


@given(rst.number_series())
def test_generated_number_series_are_consistent(series: NumberSeries) -> None:
    if series.last_no_used is None:
        assert series.last_date_used is None
    else:
        assert compare_numbers(series.starting_no, series.last_no_used) <= 0
    if series.ending_no is not None:
        assert (
            compare_numbers(series.last_no_used or series.starting_no, series.ending_no)
            <= 0
        )


@given(rst.relationship_setups())
def test_generated_setups_keep_bc_duplicate_flag_coupling(
    setup: RelationshipSetup,
) -> None:
    assert not (
        setup.autosearch_for_duplicates and not setup.maintain_dupl_search_strings
    )


@given(rst.date_formulas())
def test_generated_date_formulas_have_at_most_three_terms(formula: DateFormula) -> None:
    assert len(formula.terms) <= 3  # spec §10.1
    assert DateFormula.parse(str(formula)) == formula


@given(rst.money(Currency.of("KWD")))
def test_generated_money_keeps_the_given_currency(amount: Money) -> None:
    assert amount.currency == Currency.of("KWD")
    assert amount.amount.as_tuple().exponent == -3


@pytest.mark.parametrize("kind", sorted(CODE_TABLE_KINDS))
@given(data=st.data())
def test_code_records_of_one_kind_are_of_that_kind(
    kind: str, data: st.DataObject
) -> None:
    record = data.draw(rst.code_records(kind))

    assert type(record) is CODE_TABLE_KINDS[kind]


def test_code_records_refuse_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown"):
        rst.code_records("contact")
