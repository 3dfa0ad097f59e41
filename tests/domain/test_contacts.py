"""Contacts: fields, insert defaults, names, type change, company links (spec §2.1-§2.6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.contacts import (
    AlternativeAddress,
    AlternativeAddressPeriod,
    CompanyLinkRefusal,
    Contact,
    ContactChanged,
    ContactCreated,
    ContactLinkedToCompany,
    ContactRelations,
    ContactRenamed,
    ContactType,
    ContactTypeChanged,
    ContactUnlinkedFromCompany,
    TypeChangeRefusal,
    calculated_name,
    name_breakdown,
    propagate_company_change,
)
from relationship_mgmt.domain.setup import CorrespondenceType, RelationshipSetup
from relationship_mgmt.errors import (
    CodeTooLongError,
    CompanyLinkError,
    ContactTypeChangeError,
    DomainError,
    InvalidTransitionError,
    ValidationError,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
SETUP = RelationshipSetup()


def company(
    no: str = "CT000001",
    name: str = "Cronus Ltd.",
    *,
    setup: RelationshipSetup = SETUP,
    **fields: Any,
) -> Contact:
    return Contact.create_company(no=no, name=name, now=NOW, setup=setup, **fields)


def person(
    no: str = "CT000002",
    name: str = "John Smith",
    *,
    setup: RelationshipSetup = SETUP,
    **fields: Any,
) -> Contact:
    return Contact.create_person(no=no, name=name, now=NOW, setup=setup, **fields)


# --- §2.1 fields -----------------------------------------------------------------------


def test_create_company_makes_a_company_its_own_company() -> None:
    # §2.3 TypeChange on insert: Company No. := No., Company Name := Name.
    contact = company(no=" ct000001 ")

    assert contact.no == "CT000001"
    assert contact.type is ContactType.COMPANY
    assert contact.company_no == "CT000001"
    assert contact.company_name == "Cronus Ltd."
    assert contact.lookup_contact_no is None
    assert contact.last_modified == NOW
    assert contact.version == 0
    assert contact.pull_events() == [
        ContactCreated(
            contact_no=ContactNo("CT000001"), occurred_at=NOW, type=ContactType.COMPANY
        )
    ]


def test_lookup_contact_no_is_a_persons_own_no() -> None:
    # §2.1 field 5053: '' for companies, own No. for persons.
    assert person(no="CT9").lookup_contact_no == "CT9"


def test_a_contact_no_must_not_be_blank_nor_longer_than_20() -> None:
    with pytest.raises(ValidationError) as info:
        company(no="  ")
    assert info.value.field == "no"
    with pytest.raises(CodeTooLongError):
        company(no="C" * 21)
    wrong: Any = 12
    with pytest.raises(ValidationError):
        company(no=wrong)


COMPANY_TEXT_FIELDS = [
    ("name", 100),
    ("name_2", 50),
    ("address", 100),
    ("address_2", 50),
    ("city", 30),
    ("county", 30),
    ("phone_no", 30),
    ("mobile_phone_no", 30),
    ("fax_no", 30),
    ("telex_no", 20),
    ("telex_answer_back", 20),
    ("extension_no", 30),
    ("pager", 30),
    ("home_page", 255),
    ("format_region", 80),
    ("initials", 30),
    ("vat_registration_no", 20),
    ("registration_number", 20),  # §2.1 field 25: at most 20 in practice
    ("external_id", 250),
]
PERSON_TEXT_FIELDS = [
    ("first_name", 30),
    ("middle_name", 30),
    ("surname", 30),
    ("job_title", 30),
]


@pytest.mark.parametrize(("name", "length"), COMPANY_TEXT_FIELDS)
def test_company_text_fields_keep_bcs_lengths(name: str, length: int) -> None:
    # §2.1: Text[n] fields hold at most n characters.
    contact = company()

    contact.edit(**{name: "1" * length}, now=LATER)

    assert getattr(contact, name) == "1" * length
    with pytest.raises(ValidationError) as info:
        contact.edit(**{name: "1" * (length + 1)}, now=LATER)
    assert info.value.field == name
    assert getattr(contact, name) == "1" * length


@pytest.mark.parametrize(("name", "length"), PERSON_TEXT_FIELDS)
def test_person_text_fields_keep_bcs_lengths(name: str, length: int) -> None:
    contact = person()

    contact.edit(**{name: "x" * length}, now=LATER)

    assert getattr(contact, name) == "x" * length
    with pytest.raises(ValidationError) as info:
        contact.edit(**{name: "x" * (length + 1)}, now=LATER)
    assert info.value.field == name


@pytest.mark.parametrize(
    ("name", "length"),
    [
        ("territory_code", 10),
        ("country_code", 10),
        ("language_code", 10),
        ("currency_code", 10),
        ("salutation_code", 10),
        ("salesperson_code", 20),
    ],
)
def test_code_fields_are_normalised_and_blank_is_none(name: str, length: int) -> None:
    contact = company()

    contact.edit(**{name: " ab "}, now=LATER)
    assert getattr(contact, name) == "AB"
    contact.edit(**{name: ""}, now=LATER)
    assert getattr(contact, name) is None
    with pytest.raises(CodeTooLongError) as info:
        contact.edit(**{name: "x" * (length + 1)}, now=LATER)
    assert info.value.field == name
    wrong: Any = 7
    with pytest.raises(ValidationError):
        contact.edit(**{name: wrong}, now=LATER)


def test_post_code_and_search_name_are_upper_case_codes() -> None:
    contact = company()

    contact.edit(post_code=" w1 4ab ", search_name=" cronus ", now=LATER)

    assert contact.post_code == "W1 4AB"
    assert contact.search_name == "CRONUS"
    with pytest.raises(ValidationError) as info:
        contact.edit(post_code="x" * 21, now=LATER)
    assert (info.value.field, info.value.value) == ("post_code", None)
    with pytest.raises(ValidationError) as info:
        contact.edit(search_name="x" * 101, now=LATER)
    assert info.value.field == "search_name"


@pytest.mark.parametrize("name", ["phone_no", "mobile_phone_no"])
@pytest.mark.parametrize("value", ["+44 (20) 7946-0958", "0044 20 7946 0958 ext. 1"])
def test_phone_numbers_must_not_contain_letters(name: str, value: str) -> None:
    # §2.16: Phone No. and Mobile Phone No. "must not contain letters".
    contact = company()

    if any(char.isalpha() for char in value):
        with pytest.raises(ValidationError) as info:
            contact.edit(**{name: value}, now=LATER)
        assert (info.value.field, info.value.value) == (name, None)
    else:
        contact.edit(**{name: value}, now=LATER)
        assert getattr(contact, name) == value


def test_other_numbers_may_contain_letters() -> None:
    # §2.16 restricts only phone and mobile phone.
    contact = company()

    contact.edit(fax_no="FAX 1234", telex_no="TX 9", pager="P-7", now=LATER)

    assert (contact.fax_no, contact.telex_no, contact.pager) == (
        "FAX 1234",
        "TX 9",
        "P-7",
    )


def test_email_is_syntax_checked_normalised_and_mirrored_in_search_email() -> None:
    # §2.1 field 102/5102, §2.16.
    contact = company()

    contact.edit(email=" Ann.Lee@Cronus.EXAMPLE.com ", now=LATER)

    assert contact.email == "Ann.Lee@cronus.example.com"
    assert contact.search_email == "ANN.LEE@CRONUS.EXAMPLE.COM"


def test_email_may_be_a_semicolon_separated_list() -> None:
    # §2.1 field 102: "a valid address (list)".
    contact = company()

    contact.edit(email="a@Example.com; b@example.COM;", now=LATER)

    assert contact.email == "a@example.com;b@example.com"


@pytest.mark.parametrize("name", ["email", "email_2"])
@pytest.mark.parametrize(
    "value", ["not an address", "a@b", "a@@example.com", "x@y.com;;z"]
)
def test_invalid_email_is_refused_without_echoing_it(name: str, value: str) -> None:
    contact = company()

    with pytest.raises(ValidationError) as info:
        contact.edit(**{name: value}, now=LATER)

    assert (info.value.field, info.value.value) == (name, None)
    assert getattr(contact, name) == ""


def test_email_2_is_validated_too_and_blank_clears() -> None:
    contact = company(email_2="Ops@Example.COM")

    assert contact.email_2 == "Ops@example.com"
    contact.edit(email_2="  ", now=LATER)
    assert contact.email_2 == ""


def test_email_longer_than_80_is_refused() -> None:
    address = "a" * 64 + "@" + "b" * 12 + ".com"

    with pytest.raises(ValidationError) as info:
        company(email=address)

    assert info.value.field == "email"


def test_vat_registration_no_is_stored_upper_case() -> None:
    # §2.1 field 86, §2.16.
    assert company(vat_registration_no="gb123456789").vat_registration_no == (
        "GB123456789"
    )


def test_registration_number_refuses_more_than_20() -> None:
    # §2.1 field 25: "must not have the length more than 20 symbols".
    with pytest.raises(ValidationError) as info:
        company(registration_number="1" * 21)

    assert info.value.field == "registration_number"


def test_wrongly_typed_values_are_refused() -> None:
    wrong: Any = 5
    for name in ("name", "city", "email", "vat_registration_no", "post_code"):
        with pytest.raises(ValidationError) as info:
            company(**{name: wrong})
        assert info.value.field == name
    with pytest.raises(ValidationError):
        company(exclude_from_segment="yes")
    with pytest.raises(ValidationError):
        company(correspondence_type="Fax")


def test_personal_fields_are_classified_and_kept_out_of_repr() -> None:
    # reliability.md B.6: every field has a classification; personal ones are
    # left out of repr.
    contact = person(
        email="ann.lee@example.com", phone_no="555 0100", city="Leeds", job_title="CEO"
    )

    for attribute in attrs.fields(Contact):
        if attribute.name in {"version", "_pending"}:
            continue
        classification = attribute.metadata.get("classification")
        assert classification in {"personal", "normal"}, attribute.name
        assert attribute.repr is (classification != "personal"), attribute.name
    text = repr(contact)
    for secret in ("John", "Smith", "ann.lee", "555 0100", "Leeds", "CEO"):
        assert secret not in text
    assert "CT000002" in text


def test_personal_names_fields_are_personal() -> None:
    personal = {
        a.name
        for a in attrs.fields(Contact)
        if a.metadata.get("classification") == "personal"
    }

    assert {
        "name",
        "first_name",
        "surname",
        "address",
        "phone_no",
        "email",
        "email_2",
        "mobile_phone_no",
        "alternative_addresses",
    } <= personal
    assert {"no", "type", "salesperson_code", "territory_code"}.isdisjoint(personal)


# --- plain edits --------------------------------------------------------------------


def test_edit_records_contact_changed_with_the_changed_field_names() -> None:
    contact = company()
    contact.pull_events()

    contact.edit(city="Leeds", county="", territory_code="north", now=LATER)

    assert contact.last_modified == LATER
    assert contact.pull_events() == [
        ContactChanged(
            contact_no=contact.no,
            occurred_at=LATER,
            fields=frozenset({"city", "territory_code"}),
        )
    ]


def test_edit_that_changes_nothing_records_nothing() -> None:
    contact = company(city="Leeds")
    contact.pull_events()

    contact.edit(city="Leeds", now=LATER)

    assert contact.pull_events() == []
    assert contact.last_modified == NOW


@pytest.mark.parametrize(
    "bad",
    [
        {"county": "x" * 31},
        {"email": "nope"},
        {"phone_no": "CALL ME"},
        {"territory_code": "x" * 11},
        {"colour": "red"},
        {"type": "Person"},
        {"company_no": "CT9"},
        {"privacy_blocked": True},
        {"no": "CT9"},
        {"last_modified": NOW},
        {"business_relations": {"CUST"}},
        {"job_responsibilities": {"SALES"}},
    ],
)
def test_edit_validates_everything_before_changing_anything(
    bad: dict[str, Any],
) -> None:
    # Like RelationshipSetup.change: all or nothing.
    contact = company()
    before = attrs.evolve(contact)
    contact.pull_events()

    with pytest.raises(ValidationError):
        contact.edit(name="Other", city="Leeds", now=LATER, **bad)

    assert contact == before
    assert contact.pull_events() == []


def test_unknown_personal_field_values_are_not_echoed() -> None:
    with pytest.raises(ValidationError) as info:
        company().edit(company_name="Secret Ltd.", now=LATER)

    assert (info.value.field, info.value.value) == ("company_name", None)


def test_edit_with_name_renames_and_records_both_events() -> None:
    # §2.1 field 2: validating Name runs the §2.5 rules.
    contact = person()
    contact.pull_events()

    contact.edit(name="Anna Maria de Vries", city="Leeds", now=LATER)

    assert (contact.first_name, contact.middle_name, contact.surname) == (
        "Anna Maria",
        "de",
        "Vries",
    )
    assert contact.search_name == "ANNA MARIA DE VRIES"
    events = contact.pull_events()
    assert events[0] == ContactRenamed(contact_no=contact.no, occurred_at=LATER)
    assert isinstance(events[1], ContactChanged)
    assert {"name", "city", "first_name", "middle_name", "surname"} <= events[1].fields


def test_edit_with_name_parts_calculates_the_name() -> None:
    # §2.5 CalculatedName.
    contact = person()

    contact.edit(first_name="Jane", now=LATER)

    assert contact.name == "Jane Smith"


def test_edit_refuses_a_name_and_its_parts_together() -> None:
    with pytest.raises(ValidationError) as info:
        person().edit(name="Ann Lee", surname="Lee", now=LATER)

    assert info.value.field == "name"


def test_edit_keeps_an_explicit_search_name_over_the_derived_one() -> None:
    contact = company()

    contact.edit(name="Fabrikam", search_name="FAB", now=LATER)

    assert contact.search_name == "FAB"


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 1, 5, 9, 0), "2026-01-05", None],  # noqa: DTZ001 - the naive case
)
def test_business_methods_refuse_a_naive_or_missing_now(now: Any) -> None:
    contact = company()

    with pytest.raises(ValidationError) as info:
        contact.edit(city="Leeds", now=now)

    assert info.value.field == "now"
    assert contact.city == ""


def test_now_in_another_zone_is_stored_in_utc() -> None:
    # house-style B11: every datetime is aware UTC.
    contact = company()
    cet = timezone(timedelta(hours=1))

    contact.edit(city="Leeds", now=datetime(2026, 1, 5, 11, 0, tzinfo=cet))

    assert contact.last_modified == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert contact.last_modified.tzinfo is UTC


def test_a_now_outside_the_utc_calendar_is_refused() -> None:
    edge = datetime.min.replace(tzinfo=timezone(timedelta(hours=1)))

    with pytest.raises(ValidationError):
        company().edit(city="Leeds", now=edge)


# --- invariants of the plain constructor -----------------------------------------------


def _build(**fields: Any) -> Contact:
    return Contact(last_modified=NOW, **fields)


def test_the_constructor_fills_a_companys_own_company_fields() -> None:
    contact = _build(no="CT1", name="Cronus")

    assert (contact.company_no, contact.company_name) == ("CT1", "Cronus")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"company_no": "CT2"}, "company_no"),
        ({"company_name": "Other"}, "company_name"),
        ({"first_name": "John"}, "first_name"),
        ({"job_title": "CEO"}, "job_title"),
        ({"organizational_level_code": "MGR"}, "organizational_level_code"),
        ({"job_responsibilities": {"SALES"}}, "job_responsibilities"),
        ({"type": "Person", "company_no": "CT1"}, "company_no"),
        ({"type": "Person", "industry_groups": {"RET"}}, "industry_groups"),
        ({"type": "Person", "web_sources": {"LNK": "x"}}, "web_sources"),
        ({"type": "Person", "currency_code": "EUR"}, "currency_code"),
        ({"minor": True}, "privacy_blocked"),
        (
            {
                "alternative_address_periods": [
                    AlternativeAddressPeriod(address_code="X", starting_date=NOW.date())
                ]
            },
            "alternative_address_periods",
        ),
    ],
)
def test_the_constructor_checks_the_invariants(
    fields: dict[str, Any], field: str
) -> None:
    # reliability.md B.2 items 1 and 4; §2.1, §2.3, §2.12, §2.15.
    with pytest.raises(ValidationError) as info:
        _build(no="CT1", name="Cronus", **fields)

    assert info.value.field == field


def test_a_minor_with_consent_need_not_be_blocked() -> None:
    contact = _build(
        no="CT1", type="Person", minor=True, parental_consent_received=True
    )

    assert contact.privacy_blocked is False


@pytest.mark.parametrize(
    "value",
    ["RET", {"": "x"}, {5: "x"}, {"LNK": 5}, {"LNK": "x" * 31}, {"x" * 11: "w"}],
)
def test_web_sources_map_codes_to_search_words(value: Any) -> None:
    # §2.12: web sources are company-only, code -> search word.
    contact = company(web_sources={"lnk ": "cronus", "abc": "c"})

    assert contact.web_sources == {"ABC": "c", "LNK": "cronus"}
    assert list(contact.web_sources) == ["ABC", "LNK"]
    with pytest.raises(ValidationError) as info:
        contact.edit(web_sources=value, now=LATER)
    assert info.value.field == "web_sources"


@pytest.mark.parametrize("value", ["SALES", [""], [5], 5, ["x" * 11]])
def test_code_sets_hold_non_blank_codes(value: Any) -> None:
    # §2.12 mailing groups / job responsibilities / industry groups.
    contact = company(mailing_groups=["news", " xmas"], industry_groups={"ret"})

    assert contact.mailing_groups == frozenset({"NEWS", "XMAS"})
    assert contact.industry_groups == frozenset({"RET"})
    with pytest.raises(ValidationError) as info:
        contact.edit(mailing_groups=value, now=LATER)
    assert info.value.field == "mailing_groups"


def test_person_only_and_company_only_attributes() -> None:
    # §2.12: job responsibilities and organizational level are for persons,
    # industry groups and web sources for companies; mailing groups for any.
    employee = person(job_responsibilities={"sales"}, organizational_level_code="mgr")
    firm = company(industry_groups={"ret"}, web_sources={"lnk": "cronus"})

    assert employee.job_responsibilities == frozenset({"SALES"})
    assert employee.organizational_level_code == "MGR"
    with pytest.raises(ValidationError):
        employee.edit(industry_groups={"RET"}, now=LATER)
    with pytest.raises(ValidationError):
        firm.edit(job_responsibilities={"SALES"}, now=LATER)
    with pytest.raises(ValidationError):
        firm.edit(organizational_level_code="MGR", now=LATER)
    firm.edit(mailing_groups={"NEWS"}, now=LATER)
    employee.edit(mailing_groups={"NEWS"}, now=LATER)


# --- §2.4 insert defaults ---------------------------------------------------------------

DEFAULTS = RelationshipSetup(
    default_salesperson_code="ps",
    default_territory_code="north",
    default_country_code="gb",
    default_language_code="enu",
    default_format_region="en-GB",
    default_correspondence_type="Email",
    default_company_salutation_code="company",
    default_person_salutation_code="m",
)


def test_insert_fills_blank_fields_from_the_setup_defaults() -> None:
    # §2.4 step 2.
    contact = company(setup=DEFAULTS)

    assert contact.salesperson_code == "PS"
    assert contact.territory_code == "NORTH"
    assert contact.country_code == "GB"
    assert contact.language_code == "ENU"
    assert contact.format_region == "en-GB"
    assert contact.correspondence_type is CorrespondenceType.EMAIL
    assert contact.salutation_code == "COMPANY"


def test_insert_uses_the_salutation_default_of_the_type() -> None:
    # §2.4: Def. Company Salutation Code or Default Person Salutation Code.
    assert person(setup=DEFAULTS).salutation_code == "M"


def test_insert_keeps_fields_the_caller_filled() -> None:
    # §2.4: only blank fields are filled (the caller's User Setup salesperson wins).
    contact = company(
        setup=DEFAULTS,
        salesperson_code="jo",
        territory_code="south",
        country_code="de",
        language_code="deu",
        format_region="de-DE",
        correspondence_type="Hard Copy",
        salutation_code="formal",
    )

    assert contact.salesperson_code == "JO"
    assert contact.territory_code == "SOUTH"
    assert contact.country_code == "DE"
    assert contact.language_code == "DEU"
    assert contact.format_region == "de-DE"
    assert contact.correspondence_type is CorrespondenceType.HARD_COPY
    assert contact.salutation_code == "FORMAL"


def test_insert_treats_blank_text_as_blank() -> None:
    contact = company(setup=DEFAULTS, territory_code="  ", format_region="")

    assert (contact.territory_code, contact.format_region) == ("NORTH", "en-GB")


def test_insert_with_a_company_lets_the_inheritance_override_the_defaults() -> None:
    # §2.4: inheritance runs later, when Company No. is validated, and overrides.
    cronus = company(territory_code="east", salesperson_code="ab")

    contact = Contact.create_person(
        no="CT2", name="John Smith", now=NOW, setup=DEFAULTS, company=cronus
    )

    assert contact.territory_code == "EAST"
    assert contact.salesperson_code == "AB"
    assert contact.company_no == cronus.no
    events = contact.pull_events()
    assert [type(event) for event in events] == [ContactCreated, ContactLinkedToCompany]


def test_insert_refuses_unknown_or_derived_fields() -> None:
    with pytest.raises(ValidationError) as info:
        company(company_no="CT9")
    assert info.value.field == "company_no"
    with pytest.raises(ValidationError):
        company(privacy_blocked=True)


def test_insert_accepts_business_relations() -> None:
    assert company(business_relations={"cust"}).business_relation_codes == frozenset(
        {"CUST"}
    )


def test_insert_of_a_company_refuses_person_fields() -> None:
    with pytest.raises(ValidationError) as info:
        company(first_name="John")

    assert info.value.field == "first_name"


# --- §2.5 names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("John Smith", ("John", "", "Smith")),
        ("Anna Maria de Vries", ("Anna Maria", "de", "Vries")),
        ("Cher", ("Cher", "", "")),
        ("", ("", "", "")),
        ("   ", ("", "", "")),
        ("  John   Smith ", ("John", "", "Smith")),
        ("A B C", ("A", "B", "C")),
    ],
)
def test_name_breakdown_follows_bc(name: str, parts: tuple[str, str, str]) -> None:
    # §2.5 NameBreakdown: split on spaces, 1 / 2 / >= 3 parts.
    assert name_breakdown(name) == parts


def test_name_breakdown_truncates_each_part_at_30() -> None:
    # §2.5 step 3.
    long = "x" * 35

    assert name_breakdown(f"{long} {long} {long}") == ("x" * 30, "x" * 30, "x" * 30)
    assert name_breakdown("aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbb c d")[0] == (
        "aaaaaaaaaaaaaaaa bbbbbbbbbbbbb"
    )


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("John", "", "Smith"), "John Smith"),
        (("Anna Maria", "de", "Vries"), "Anna Maria de Vries"),
        (("", "", "Vries"), "Vries"),
        (("", "de", "Vries"), "de Vries"),
        (("Cher", "", ""), "Cher"),
        ((" John", "", ""), "John"),
        (("", "", ""), ""),
    ],
)
def test_calculated_name_follows_bc(parts: tuple[str, str, str], name: str) -> None:
    # §2.5 CalculatedName: blank parts skipped, leading spaces trimmed.
    assert calculated_name(*parts) == name


def test_calculated_name_is_cut_at_100() -> None:
    assert len(calculated_name("a" * 60, "b" * 60, "c" * 60)) == 100


def test_creating_a_person_breaks_the_name_down() -> None:
    # §2.5: BC's own examples.
    anna = person(name="Anna Maria de Vries")

    assert (anna.first_name, anna.middle_name, anna.surname) == (
        "Anna Maria",
        "de",
        "Vries",
    )
    assert anna.search_name == "ANNA MARIA DE VRIES"


def test_creating_a_person_from_parts_calculates_the_name() -> None:
    contact = Contact.create_person(
        no="CT2", now=NOW, setup=SETUP, first_name="Anna", surname="Vries"
    )

    assert contact.name == "Anna Vries"
    assert contact.search_name == "ANNA VRIES"


def test_creating_a_person_refuses_a_name_and_parts() -> None:
    with pytest.raises(ValidationError):
        person(name="Ann Lee", first_name="Ann")
    with pytest.raises(ValidationError) as info:
        Contact.create_person(no="CT2", now=NOW, setup=SETUP, first_name="x" * 31)
    assert info.value.field == "first_name"


def test_renaming_a_person_runs_the_breakdown() -> None:
    contact = person(name="Cher")
    contact.pull_events()

    contact.rename("John Smith", now=LATER)

    assert (contact.first_name, contact.middle_name, contact.surname) == (
        "John",
        "",
        "Smith",
    )
    assert contact.last_modified == LATER
    assert contact.pull_events() == [
        ContactRenamed(contact_no=contact.no, occurred_at=LATER)
    ]


def test_renaming_to_the_same_name_records_nothing() -> None:
    contact = person()
    contact.pull_events()

    contact.rename("John Smith", now=LATER)

    assert contact.pull_events() == []


def test_renaming_a_company_renames_its_company_name() -> None:
    # §2.5 ProcessNameChange.
    contact = company()

    contact.rename("Fabrikam Inc.", now=LATER)

    assert (contact.name, contact.company_name) == ("Fabrikam Inc.", "Fabrikam Inc.")
    assert contact.first_name == ""


def test_search_name_follows_the_name_while_it_equals_the_old_name_upper() -> None:
    # §2.5 Search Name rule.
    contact = company(name="Cronus")

    contact.rename("Fabrikam", now=LATER)

    assert contact.search_name == "FABRIKAM"


def test_search_name_follows_the_name_while_blank() -> None:
    contact = company(name="Cronus")
    contact.edit(search_name="", now=LATER)

    contact.rename("Fabrikam", now=LATER)

    assert contact.search_name == "FABRIKAM"


def test_a_hand_edited_search_name_is_kept() -> None:
    contact = company(name="Cronus", search_name="CRN")

    contact.rename("Fabrikam", now=LATER)

    assert contact.search_name == "CRN"


def test_search_name_keeps_100_characters_when_upper_case_grows() -> None:
    contact = company(name="ß" * 100)

    assert contact.search_name == "S" * 100


def test_rename_refuses_a_name_longer_than_100() -> None:
    contact = company()

    with pytest.raises(ValidationError) as info:
        contact.rename("x" * 101, now=LATER)

    assert (info.value.field, info.value.value) == ("name", None)
    assert contact.name == "Cronus Ltd."


def test_rename_parts_calculates_the_name_without_breakdown() -> None:
    # §2.5: validating First/Middle/Surname sets Name := CalculatedName, no breakdown.
    contact = person(name="John Smith")
    contact.pull_events()

    contact.rename_parts(first="Anna Maria", middle="de", surname="Vries", now=LATER)

    assert contact.name == "Anna Maria de Vries"
    assert contact.first_name == "Anna Maria"
    assert contact.search_name == "ANNA MARIA DE VRIES"
    assert contact.pull_events() == [
        ContactRenamed(contact_no=contact.no, occurred_at=LATER)
    ]


def test_rename_parts_keeps_parts_not_given() -> None:
    contact = person(name="John Smith")

    contact.rename_parts(surname="", now=LATER)

    assert (contact.name, contact.first_name) == ("John", "John")


def test_rename_parts_with_nothing_changes_nothing() -> None:
    contact = person()
    contact.pull_events()

    contact.rename_parts(now=LATER)
    contact.rename_parts(first="John", now=LATER)

    assert contact.pull_events() == []


def test_rename_parts_is_for_persons_only() -> None:
    with pytest.raises(ValidationError) as info:
        company().rename_parts(first="John", now=LATER)

    assert info.value.field == "first_name"


def test_rename_parts_refuses_a_part_longer_than_30() -> None:
    contact = person()

    with pytest.raises(ValidationError) as info:
        contact.rename_parts(middle="x" * 31, now=LATER)

    assert (info.value.field, info.value.value) == ("middle_name", None)


# --- §2.3 type change -------------------------------------------------------------------

NONE = ContactRelations()


def test_a_company_becomes_a_person() -> None:
    # §2.3 step 3: Company No./Name cleared, person salutation, NameBreakdown.
    contact = company(name="Ann Lee", setup=DEFAULTS)
    contact.pull_events()

    contact.change_type(ContactType.PERSON, related=NONE, setup=DEFAULTS, now=LATER)

    assert contact.type is ContactType.PERSON
    assert (contact.company_no, contact.company_name) == (None, "")
    assert contact.salutation_code == "M"
    assert (contact.first_name, contact.surname) == ("Ann", "Lee")
    assert contact.lookup_contact_no == contact.no
    assert contact.last_modified == LATER
    assert contact.pull_events() == [
        ContactTypeChanged(
            contact_no=contact.no,
            occurred_at=LATER,
            old_type=ContactType.COMPANY,
            new_type=ContactType.PERSON,
        )
    ]


def test_a_person_becomes_a_company() -> None:
    # §2.3 step 2: names and job title cleared, Company No. := No., company salutation.
    cronus = company()
    contact = person(name="Ann Lee", job_title="CEO", company=cronus)

    contact.change_type("Company", related=NONE, setup=DEFAULTS, now=LATER)  # type: ignore[arg-type]

    assert contact.type is ContactType.COMPANY
    assert (contact.first_name, contact.middle_name, contact.surname) == ("", "", "")
    assert contact.job_title == ""
    assert (contact.company_no, contact.company_name) == (contact.no, "Ann Lee")
    assert contact.salutation_code == "COMPANY"
    assert contact.lookup_contact_no is None


def test_changing_to_the_same_type_changes_nothing() -> None:
    contact = company()
    contact.pull_events()

    contact.change_type(ContactType.COMPANY, related=NONE, setup=DEFAULTS, now=LATER)

    assert contact.pull_events() == []
    assert contact.salutation_code is None


def test_change_type_refuses_an_unknown_type() -> None:
    with pytest.raises(ValidationError) as info:
        company().change_type("Robot", related=NONE, setup=SETUP, now=LATER)  # type: ignore[arg-type]

    assert info.value.field == "new_type"


@pytest.mark.parametrize(
    ("related", "reason"),
    [
        (
            ContactRelations(has_interaction_log_entries=True),
            TypeChangeRefusal.INTERACTION_LOG_ENTRIES,
        ),
        (ContactRelations(has_tasks=True), TypeChangeRefusal.TASKS),
        (ContactRelations(has_opportunities=True), TypeChangeRefusal.OPPORTUNITIES),
        (ContactRelations(has_persons=True), TypeChangeRefusal.RELATED_PERSONS),
    ],
)
def test_company_to_person_is_refused_with_bcs_reasons(
    related: ContactRelations, reason: TypeChangeRefusal
) -> None:
    # §2.3 steps 1 and 3 ("...because one or more ... are linked to the contact").
    contact = company()
    before = attrs.evolve(contact)

    with pytest.raises(ContactTypeChangeError) as info:
        contact.change_type(ContactType.PERSON, related=related, setup=SETUP, now=LATER)

    assert info.value.reason is reason
    assert info.value.contact_no == contact.no
    assert (info.value.current, info.value.requested) == (
        ContactType.COMPANY,
        ContactType.PERSON,
    )
    assert isinstance(info.value, InvalidTransitionError)
    assert contact == before


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"business_relations": {"CUST"}}, TypeChangeRefusal.BUSINESS_RELATIONS),
        ({"industry_groups": {"RET"}}, TypeChangeRefusal.INDUSTRY_GROUPS),
        ({"web_sources": {"LNK": "cronus"}}, TypeChangeRefusal.WEB_SOURCES),
        ({"currency_code": "EUR"}, TypeChangeRefusal.CURRENCY_CODE),
        ({"vat_registration_no": "GB1"}, TypeChangeRefusal.VAT_REGISTRATION_NO),
    ],
)
def test_company_to_person_needs_company_attributes_cleared(
    fields: dict[str, Any], reason: TypeChangeRefusal
) -> None:
    # §2.3 step 3: No. of Business Relations = 0, No. of Industry Groups = 0,
    # Currency Code and VAT Registration No. blank.
    contact = company(**fields)

    with pytest.raises(ContactTypeChangeError) as info:
        contact.change_type(ContactType.PERSON, related=NONE, setup=SETUP, now=LATER)

    assert info.value.reason is reason


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"organizational_level_code": "MGR"}, TypeChangeRefusal.ORGANIZATIONAL_LEVEL),
        ({"job_responsibilities": {"SALES"}}, TypeChangeRefusal.JOB_RESPONSIBILITIES),
    ],
)
def test_person_to_company_needs_person_attributes_cleared(
    fields: dict[str, Any], reason: TypeChangeRefusal
) -> None:
    # §2.3 step 2.
    contact = person(**fields)

    with pytest.raises(ContactTypeChangeError) as info:
        contact.change_type(ContactType.COMPANY, related=NONE, setup=SETUP, now=LATER)

    assert info.value.reason is reason


def test_person_to_company_is_refused_while_history_exists() -> None:
    contact = person()

    with pytest.raises(ContactTypeChangeError) as info:
        contact.change_type(
            ContactType.COMPANY,
            related=ContactRelations(has_tasks=True),
            setup=SETUP,
            now=LATER,
        )

    assert info.value.reason is TypeChangeRefusal.TASKS


def test_the_history_reasons_come_first() -> None:
    contact = company(currency_code="EUR")

    with pytest.raises(ContactTypeChangeError) as info:
        contact.change_type(
            ContactType.PERSON,
            related=ContactRelations(has_opportunities=True, has_persons=True),
            setup=SETUP,
            now=LATER,
        )

    assert info.value.reason is TypeChangeRefusal.OPPORTUNITIES
    assert "CT000001" in str(info.value)


# --- §2.6 linking a person to a company -------------------------------------------------

FULL: dict[str, Any] = {
    "salesperson_code": "AB",
    "territory_code": "EAST",
    "country_code": "GB",
    "language_code": "ENU",
    "format_region": "en-GB",
    "address": "1 Main St",
    "address_2": "Floor 2",
    "post_code": "W1",
    "city": "London",
    "county": "Greater London",
    "phone_no": "100",
    "telex_no": "T1",
    "fax_no": "F1",
    "telex_answer_back": "TA1",
    "email": "info@cronus.example.com",
    "home_page": "cronus.example.com",
    "extension_no": "1",
    "mobile_phone_no": "200",
    "pager": "P1",
    "correspondence_type": "Email",
}
COMMUNICATION = [
    "phone_no",
    "telex_no",
    "fax_no",
    "telex_answer_back",
    "email",
    "home_page",
    "extension_no",
    "mobile_phone_no",
    "pager",
]


def test_linking_copies_everything_into_a_blank_person() -> None:
    # §2.6 InheritCompanyToPersonData with every flag on.
    cronus = company(**FULL)
    contact = person()
    contact.pull_events()

    contact.link_to_company(cronus, previous_company=None, setup=SETUP, now=LATER)

    for name in FULL:
        assert getattr(contact, name) == getattr(cronus, name), name
    assert contact.company_no == cronus.no
    assert contact.company_name == "Cronus Ltd."
    assert contact.pull_events() == [
        ContactLinkedToCompany(
            contact_no=contact.no,
            occurred_at=LATER,
            company_no=cronus.no,
            previous_company_no=None,
        )
    ]


def test_linking_copies_the_flagged_codes_unconditionally() -> None:
    # §2.6: Salesperson, Territory, Country, Language, Format Region copied
    # unconditionally when their flag is on, even over the person's own value and
    # even when the company's is blank.
    cronus = company(territory_code="EAST")
    contact = person(
        salesperson_code="MINE", territory_code="WEST", language_code="DEU"
    )

    contact.link_to_company(cronus, previous_company=None, setup=SETUP, now=LATER)

    assert contact.territory_code == "EAST"
    assert contact.salesperson_code is None
    assert contact.language_code is None


def test_linking_leaves_codes_whose_flag_is_off() -> None:
    setup = RelationshipSetup(
        inherit_salesperson_code=False,
        inherit_territory_code=False,
        inherit_country_code=False,
        inherit_language_code=False,
        inherit_format_region=False,
        inherit_address_details=False,
        inherit_communication_details=False,
    )
    cronus = company(**FULL)
    contact = person()

    contact.link_to_company(cronus, previous_company=None, setup=setup, now=LATER)

    for name in FULL:
        assert getattr(contact, name) in {None, "", CorrespondenceType.BLANK}, name
    assert contact.company_name == "Cronus Ltd."  # always


def test_linking_copies_the_address_when_it_equals_the_previous_companys() -> None:
    # §2.6: the person's address is "stale" when it equals the previous company's.
    old = company("CT1", address="Old St 1", post_code="E1", city="London", county="X")
    new = company("CT3", address="New St 9", post_code="M1", city="Leeds", county="Y")
    contact = person(company=old)
    assert contact.address == "Old St 1"

    contact.link_to_company(new, previous_company=old, setup=SETUP, now=LATER)

    assert (contact.address, contact.post_code, contact.city, contact.county) == (
        "New St 9",
        "M1",
        "Leeds",
        "Y",
    )


def test_linking_keeps_an_address_of_the_persons_own() -> None:
    old = company("CT1", address="Old St 1", city="London")
    new = company("CT3", address="New St 9", city="Leeds")
    contact = person(company=old)
    contact.edit(address="Home 5", now=NOW)

    contact.link_to_company(new, previous_company=old, setup=SETUP, now=LATER)

    assert (contact.address, contact.city) == ("Home 5", "London")


def test_linking_without_a_previous_company_copies_only_into_a_blank_address() -> None:
    new = company("CT3", address="New St 9", city="Leeds")
    contact = person(city="York")

    contact.link_to_company(new, previous_company=None, setup=SETUP, now=LATER)

    assert (contact.address, contact.city) == ("", "York")


def test_county_does_not_decide_staleness() -> None:
    # §2.6: staleness compares (Address, Address 2, Post Code, City) only.
    old = company("CT1", city="London", county="A")
    new = company("CT3", city="Leeds", county="B")
    contact = person(company=old)
    contact.edit(county="Mine", now=NOW)

    contact.link_to_company(new, previous_company=old, setup=SETUP, now=LATER)

    assert (contact.city, contact.county) == ("Leeds", "B")


@pytest.mark.parametrize("name", COMMUNICATION)
def test_linking_copies_each_communication_field_separately(name: str) -> None:
    # §2.6: a communication field is copied when the person's value equals the
    # previous company's or is blank.
    old = company("CT1", **{n: FULL[n] for n in COMMUNICATION})
    new_values: dict[str, Any] = {
        n: ("new@example.com" if n == "email" else "9" + str(FULL[n])[1:])
        for n in COMMUNICATION
    }
    new = company("CT3", **new_values)
    contact = person(company=old)
    own = "own@example.com" if name == "email" else "777"
    contact.edit(**{name: own}, now=NOW)

    contact.link_to_company(new, previous_company=old, setup=SETUP, now=LATER)

    assert getattr(contact, name) == own
    for other in COMMUNICATION:
        if other != name:
            assert getattr(contact, other) == getattr(new, other), other


def test_linking_copies_the_correspondence_type_like_a_communication_field() -> None:
    # §1.1/§2.6: Correspondence Type is inherited on assignment.
    old = company("CT1", correspondence_type="Hard Copy")
    new = company("CT3", correspondence_type="Email")
    follower = person("CT5", company=old)
    chooser = person("CT6", company=old)
    chooser.edit(correspondence_type="Email", now=NOW)
    new_hard = company("CT4", correspondence_type="Hard Copy")
    chooser_prev = company("CT7", correspondence_type="")

    follower.link_to_company(new, previous_company=old, setup=SETUP, now=LATER)
    chooser.link_to_company(new_hard, previous_company=old, setup=SETUP, now=LATER)

    assert follower.correspondence_type is CorrespondenceType.EMAIL
    assert chooser.correspondence_type is CorrespondenceType.EMAIL
    assert chooser_prev.correspondence_type is CorrespondenceType.BLANK


@pytest.mark.parametrize(
    ("make_person", "make_company", "reason"),
    [
        (
            lambda: company("CT5"),
            lambda: company("CT1"),
            CompanyLinkRefusal.NOT_A_PERSON,
        ),
        (
            lambda: person("CT5"),
            lambda: person("CT1"),
            CompanyLinkRefusal.NOT_A_COMPANY,
        ),
        (
            lambda: person("CT5"),
            lambda: company("CT5"),
            CompanyLinkRefusal.SAME_CONTACT,
        ),
    ],
)
def test_linking_is_refused_for_the_wrong_contacts(
    make_person: Any, make_company: Any, reason: CompanyLinkRefusal
) -> None:
    # §2.6: "the contact must be a Person"; Company No. -> Contact (Type = Company).
    contact: Contact = make_person()
    target: Contact = make_company()

    with pytest.raises(CompanyLinkError) as info:
        contact.link_to_company(target, previous_company=None, setup=SETUP, now=LATER)

    assert info.value.reason is reason
    assert (info.value.contact_no, info.value.company_no) == (contact.no, target.no)
    assert isinstance(info.value, DomainError)


def test_changing_company_is_refused_on_an_unlogged_segment() -> None:
    # §2.6: "You cannot change Company No. because one or more unlogged segments
    # are assigned to the contact."
    old, new = company("CT1"), company("CT3")
    contact = person(company=old)
    on_segment = ContactRelations(has_unlogged_segment_lines=True)

    with pytest.raises(CompanyLinkError) as info:
        contact.link_to_company(
            new, previous_company=old, setup=SETUP, now=LATER, related=on_segment
        )

    assert info.value.reason is CompanyLinkRefusal.UNLOGGED_SEGMENT_LINES
    assert contact.company_no == "CT1"
    # Re-validating the same company is no change, so it is allowed.
    contact.link_to_company(
        old, previous_company=old, setup=SETUP, now=LATER, related=on_segment
    )
    contact.link_to_company(
        new, previous_company=old, setup=SETUP, now=LATER, related=NONE
    )
    assert contact.company_no == "CT3"


def test_linking_refuses_a_previous_company_that_is_not_the_persons() -> None:
    contact = person()

    with pytest.raises(ValidationError) as info:
        contact.link_to_company(
            company("CT3"), previous_company=company("CT1"), setup=SETUP, now=LATER
        )

    assert info.value.field == "previous_company"


def test_unlinking_clears_company_no_and_name_only() -> None:
    cronus = company(city="London")
    contact = person(company=cronus)
    contact.pull_events()

    contact.unlink_from_company(now=LATER)

    assert (contact.company_no, contact.company_name) == (None, "")
    assert contact.city == "London"
    assert contact.pull_events() == [
        ContactUnlinkedFromCompany(
            contact_no=contact.no, occurred_at=LATER, company_no=cronus.no
        )
    ]


def test_unlinking_a_person_without_company_changes_nothing() -> None:
    contact = person()
    contact.pull_events()

    contact.unlink_from_company(now=LATER)

    assert contact.pull_events() == []


def test_unlinking_is_refused_for_companies_and_on_unlogged_segments() -> None:
    with pytest.raises(CompanyLinkError) as info:
        company().unlink_from_company(now=LATER)
    assert info.value.reason is CompanyLinkRefusal.NOT_A_PERSON

    contact = person(company=company())
    with pytest.raises(CompanyLinkError) as info:
        contact.unlink_from_company(
            now=LATER, related=ContactRelations(has_unlogged_segment_lines=True)
        )
    assert info.value.reason is CompanyLinkRefusal.UNLOGGED_SEGMENT_LINES


# --- §2.6 propagation of company changes (DoModify) -------------------------------------


def _linked(**company_fields: Any) -> tuple[Contact, Contact, Contact]:
    old = company(**company_fields)
    contact = person(company=old)
    contact.pull_events()
    return old, attrs.evolve(old), contact


def test_a_renamed_company_renames_its_persons_company_name() -> None:
    # §2.6 DoModify step 1.
    old, new, contact = _linked()
    new.rename("Fabrikam", now=LATER)

    assert propagate_company_change(old, new, contact, SETUP, now=LATER) is True

    assert contact.company_name == "Fabrikam"
    assert contact.last_modified == LATER
    assert contact.pull_events() == [
        ContactChanged(
            contact_no=contact.no,
            occurred_at=LATER,
            fields=frozenset({"company_name"}),
        )
    ]


def test_a_code_follows_the_company_only_where_the_person_held_the_old_value() -> None:
    # §2.6 DoModify step 2.
    old, new, follower = _linked(salesperson_code="AB", territory_code="EAST")
    keeper = person("CT3", company=old)
    keeper.edit(salesperson_code="MINE", now=NOW)
    new.edit(salesperson_code="CD", territory_code="EAST", now=LATER)

    propagate_company_change(old, new, follower, SETUP, now=LATER)
    propagate_company_change(old, new, keeper, SETUP, now=LATER)

    assert follower.salesperson_code == "CD"
    assert keeper.salesperson_code == "MINE"
    assert follower.territory_code == keeper.territory_code == "EAST"


def test_the_address_follows_only_when_the_whole_old_address_matched() -> None:
    # §2.6 DoModify step 3.
    old, new, follower = _linked(address="1 Main St", city="London", county="A")
    keeper = person("CT3", company=old)
    keeper.edit(address_2="Flat 3", now=NOW)
    new.edit(city="Leeds", county="B", now=LATER)

    propagate_company_change(old, new, follower, SETUP, now=LATER)
    propagate_company_change(old, new, keeper, SETUP, now=LATER)

    assert (follower.address, follower.city, follower.county) == (
        "1 Main St",
        "Leeds",
        "B",
    )
    assert (keeper.city, keeper.county) == ("London", "A")


def test_a_changed_county_follows_even_where_the_person_had_another() -> None:
    # §2.6 DoModify step 3 copies every changed address field, County included,
    # once (Address, Address 2, Post Code, City) matched.
    old, new, contact = _linked(city="London", county="A")
    contact.edit(county="Mine", now=NOW)
    new.edit(county="B", now=LATER)

    propagate_company_change(old, new, contact, SETUP, now=LATER)

    assert contact.county == "B"


def test_communication_fields_follow_one_by_one() -> None:
    # §2.6 DoModify step 4.
    old, new, contact = _linked(phone_no="100", fax_no="200")
    contact.edit(fax_no="999", now=NOW)
    new.edit(phone_no="101", fax_no="201", now=LATER)

    propagate_company_change(old, new, contact, SETUP, now=LATER)

    assert (contact.phone_no, contact.fax_no) == ("101", "999")


def test_correspondence_type_is_not_propagated() -> None:
    # §2.6 DoModify step 4: "Correspondence Type is not propagated on modify".
    old, new, contact = _linked(correspondence_type="Email")
    new.edit(correspondence_type="Hard Copy", now=LATER)

    assert propagate_company_change(old, new, contact, SETUP, now=LATER) is False

    assert contact.correspondence_type is CorrespondenceType.EMAIL


def test_nothing_is_propagated_with_the_flags_off() -> None:
    off = RelationshipSetup(
        inherit_salesperson_code=False,
        inherit_address_details=False,
        inherit_communication_details=False,
    )
    old, new, contact = _linked(salesperson_code="AB", city="London", phone_no="1")
    new.edit(salesperson_code="CD", city="Leeds", phone_no="2", now=LATER)

    assert propagate_company_change(old, new, contact, off, now=LATER) is False

    assert (contact.salesperson_code, contact.city, contact.phone_no) == (
        "AB",
        "London",
        "1",
    )
    assert contact.pull_events() == []


def test_propagation_refuses_contacts_that_do_not_fit() -> None:
    old, new, contact = _linked()
    stranger = person("CT7")

    with pytest.raises(ValidationError) as info:
        propagate_company_change(old, new, stranger, SETUP, now=LATER)
    assert info.value.field == "person"
    with pytest.raises(ValidationError) as info:
        propagate_company_change(old, company("CT8"), contact, SETUP, now=LATER)
    assert info.value.field == "new_company"
    with pytest.raises(ValidationError):
        propagate_company_change(contact, new, contact, SETUP, now=LATER)
    with pytest.raises(ValidationError):
        propagate_company_change(old, contact, contact, SETUP, now=LATER)
    with pytest.raises(ValidationError):
        propagate_company_change(old, new, old, SETUP, now=LATER)


# --- alternative addresses are in test_contacts_more.py -----------------------------


def test_alternative_address_is_a_value() -> None:
    assert AlternativeAddress(code="a") == AlternativeAddress(code="A")


def test_rename_parts_keeps_a_hand_edited_search_name() -> None:
    # §2.5: the Search Name rule applies to CalculatedName too.
    contact = person(search_name="JS")

    contact.rename_parts(first="Jane", now=LATER)

    assert (contact.name, contact.search_name) == ("Jane Smith", "JS")


def test_wrongly_typed_derived_fields_are_refused() -> None:
    wrong: Any = 5

    with pytest.raises(ValidationError) as info:
        Contact(no="CT1", type="Person", company_no=wrong, last_modified=NOW)
    assert info.value.field == "company_no"
    with pytest.raises(ValidationError) as info:
        company(search_name=wrong)
    assert info.value.field == "search_name"
