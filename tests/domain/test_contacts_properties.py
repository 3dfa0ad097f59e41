"""Properties of contacts: names (§2.5), inheritance (§2.6), privacy (§2.15), inputs."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from relationship_mgmt.domain.contacts import (
    Address,
    AlternativeAddress,
    Contact,
    ContactType,
    calculated_name,
    name_breakdown,
    propagate_company_change,
)
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import (
    ParentalConsentRequiredError,
    ValidationError,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)

# --- §2.5 names --------------------------------------------------------------------------

name_text = st.text(
    alphabet=st.sampled_from(["a", "B", "é", "ß", "-", "'", "\t", " ", " ", " "]),
    max_size=100,
)


def _collapsed(name: str) -> str:
    return " ".join(part for part in name.split(" ") if part)


@given(name_text)
def test_breakdown_then_calculation_gives_the_name_with_collapsed_spaces(
    name: str,
) -> None:
    # §2.5: NameBreakdown and CalculatedName are inverse for names whose parts fit.
    parts = [part for part in name.split(" ") if part]
    first = " ".join(parts[:-2]) if len(parts) > 2 else (parts[0] if parts else "")
    assume(all(len(part) <= 30 for part in parts) and len(first) <= 30)

    assert calculated_name(*name_breakdown(name)) == _collapsed(name)


@given(name_text)
def test_breakdown_parts_fit_their_fields(name: str) -> None:
    # §2.5 step 3: each part is truncated to 30 characters.
    parts = name_breakdown(name)

    assert all(len(part) <= 30 for part in parts)
    assert all(part == part.lstrip(" ") for part in parts)
    assert " " not in parts[1] + parts[2]  # only the first name joins parts
    assert len(calculated_name(*parts)) <= 100


@given(name_text)
def test_a_renamed_person_keeps_name_and_parts_consistent(name: str) -> None:
    contact = Contact.create_person(no="CT1", now=NOW, setup=RelationshipSetup())

    contact.rename(name, now=LATER)

    assert contact.name == name
    assert (contact.first_name, contact.middle_name, contact.surname) == (
        name_breakdown(name)
    )
    assert contact.search_name == name.strip().upper()[:100]


# --- §2.6 inheritance on company modification --------------------------------------------

CODE_FIELDS = [
    ("salesperson_code", "inherit_salesperson_code"),
    ("territory_code", "inherit_territory_code"),
    ("country_code", "inherit_country_code"),
    ("language_code", "inherit_language_code"),
    ("format_region", "inherit_format_region"),
]
ADDRESS_KEY = ["address", "address_2", "post_code", "city"]
ADDRESS_FIELDS = [*ADDRESS_KEY, "county"]
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
FLAGS = [flag for _, flag in CODE_FIELDS] + [
    "inherit_address_details",
    "inherit_communication_details",
]


def _pool(name: str) -> st.SearchStrategy[Any]:
    """Few values per field, so the person often holds the company's value."""
    if name == "post_code":
        return st.sampled_from(["", "X", "Y"])
    if name.endswith("_code"):
        return st.sampled_from([None, "A", "B"])
    if name == "email":
        return st.sampled_from(["", "a@example.com", "b@example.com"])
    if name in {"phone_no", "mobile_phone_no"}:
        return st.sampled_from(["", "1", "2"])
    return st.sampled_from(["", "x", "y"])


INHERITED = [name for name, _ in CODE_FIELDS] + ADDRESS_FIELDS + COMMUNICATION
field_values = st.fixed_dictionaries({name: _pool(name) for name in INHERITED})
correspondence = st.sampled_from(["", "Hard Copy", "Email"])


@given(
    flags=st.fixed_dictionaries({flag: st.booleans() for flag in FLAGS}),
    old_values=field_values,
    new_values=field_values,
    person_values=field_values,
    correspondences=st.tuples(correspondence, correspondence, correspondence),
    renamed=st.booleans(),
)
def test_a_person_takes_a_changed_company_value_exactly_where_it_held_the_old_one(
    *,
    flags: dict[str, bool],
    old_values: dict[str, Any],
    new_values: dict[str, Any],
    person_values: dict[str, Any],
    correspondences: tuple[str, str, str],
    renamed: bool,
) -> None:
    # §2.6 DoModify: every inherited field ends as the person's old value or the
    # company's new value, and takes the new value exactly when the flag is on and
    # the person held the company's old value (for the address: the whole
    # (Address, Address 2, Post Code, City) key).
    setup = RelationshipSetup(**cast("dict[str, Any]", flags))
    old = Contact(
        no="CT1",
        name="Cronus",
        last_modified=NOW,
        correspondence_type=correspondences[0],
        **old_values,
    )
    new = attrs.evolve(
        old,
        name="Fabrikam" if renamed else "Cronus",
        company_name="Fabrikam" if renamed else "Cronus",
        correspondence_type=correspondences[1],
        **new_values,
    )
    person = Contact(
        no="CT2",
        type=ContactType.PERSON,
        company_no="CT1",
        company_name="Cronus",
        last_modified=NOW,
        correspondence_type=correspondences[2],
        **person_values,
    )
    before = attrs.evolve(person)

    changed = propagate_company_change(old, new, person, setup, now=LATER)

    def follows(name: str, held: bool) -> None:  # noqa: FBT001
        after, mine, theirs = (
            getattr(person, name),
            getattr(before, name),
            getattr(new, name),
        )
        assert after in {mine, theirs}, name
        assert after == (theirs if held else mine), name

    for name, flag in CODE_FIELDS:
        follows(name, flags[flag] and getattr(before, name) == getattr(old, name))
    address_held = flags["inherit_address_details"] and all(
        getattr(before, name) == getattr(old, name) for name in ADDRESS_KEY
    )
    for name in ADDRESS_KEY:
        follows(name, address_held)
    county_moved = getattr(old, "county") != getattr(new, "county")  # noqa: B009
    follows("county", address_held and county_moved)
    for name in COMMUNICATION:
        follows(
            name,
            flags["inherit_communication_details"]
            and getattr(before, name) == getattr(old, name),
        )
    assert person.correspondence_type == before.correspondence_type
    assert person.company_name == new.name
    assert changed is (person != before)
    assert person.search_email == person.email.upper()


# --- §2.15 privacy ----------------------------------------------------------------------


class PrivacyMachine(RuleBasedStateMachine):
    """Random privacy operations keep minor and no consent => privacy blocked."""

    def __init__(self) -> None:
        super().__init__()
        self.contact = Contact.create_person(
            no="CT1", name="Ann Lee", now=NOW, setup=RelationshipSetup()
        )
        self.minor = False
        self.consent = False
        self.blocked = False

    @rule()
    def mark_minor(self) -> None:
        self.contact.mark_minor(now=LATER)
        if not self.minor:
            self.minor = self.blocked = True

    @rule()
    def mark_adult(self) -> None:
        self.contact.mark_adult(now=LATER)
        self.minor = False

    @rule()
    def record_parental_consent(self) -> None:
        self.contact.record_parental_consent(now=LATER)
        if not self.consent:
            self.consent = self.blocked = True

    @rule()
    def withdraw_parental_consent(self) -> None:
        self.contact.withdraw_parental_consent(now=LATER)
        if self.consent:
            self.consent = False
            self.blocked = True

    @rule()
    def block_privacy(self) -> None:
        self.contact.block_privacy(now=LATER)
        self.blocked = True

    @precondition(lambda self: not self.minor or self.consent)
    @rule()
    def unblock_privacy(self) -> None:
        self.contact.unblock_privacy(now=LATER)
        self.blocked = False

    @precondition(lambda self: self.minor and not self.consent)
    @rule()
    def unblock_a_minor_without_consent(self) -> None:
        try:
            self.contact.unblock_privacy(now=LATER)
        except ParentalConsentRequiredError:
            pass
        else:
            raise AssertionError("unblocked a minor without parental consent")

    @invariant()
    def minor_without_consent_is_blocked(self) -> None:
        contact = self.contact
        if contact.minor and not contact.parental_consent_received:
            assert contact.privacy_blocked

    @invariant()
    def agrees_with_bcs_rules(self) -> None:
        assert (
            self.contact.minor,
            self.contact.parental_consent_received,
            self.contact.privacy_blocked,
        ) == (self.minor, self.consent, self.blocked)


TestPrivacy = PrivacyMachine.TestCase


# --- malformed inputs -------------------------------------------------------------------

anything = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="ascii"), max_size=300),
    st.emails(),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=12), max_size=3),
    st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=2),
)
COMPANY_FIELDS = sorted(
    {
        "name",
        "name_2",
        "search_name",
        *ADDRESS_FIELDS,
        "country_code",
        *COMMUNICATION,
        "email_2",
        "salesperson_code",
        "territory_code",
        "currency_code",
        "language_code",
        "format_region",
        "correspondence_type",
        "salutation_code",
        "initials",
        "vat_registration_no",
        "registration_number",
        "exclude_from_segment",
        "external_id",
        "mailing_groups",
        "industry_groups",
        "web_sources",
        "colour",
    }
)
PERSON_FIELDS = sorted(
    {
        "first_name",
        "middle_name",
        "surname",
        "job_title",
        "organizational_level_code",
        "job_responsibilities",
    }
)


@given(
    name=st.sampled_from(COMPANY_FIELDS + PERSON_FIELDS),
    value=anything,
    as_person=st.booleans(),
)
def test_edit_accepts_a_value_or_refuses_it_with_a_validation_error(
    name: str,
    value: object,
    as_person: bool,  # noqa: FBT001
) -> None:
    # reliability.md B.5 item 5: malformed input raises a library error, nothing
    # else, and leaves the contact as it was.
    setup = RelationshipSetup()
    contact = (
        Contact.create_person(no="CT2", name="Ann Lee", now=NOW, setup=setup)
        if as_person
        else Contact.create_company(no="CT1", name="Cronus", now=NOW, setup=setup)
    )
    before = attrs.evolve(contact)

    try:
        contact.edit(**{name: value}, now=LATER)
    except ValidationError:
        assert contact == before
    else:
        again = attrs.evolve(contact)
        contact.edit(**{name: getattr(contact, name)}, now=LATER)
        assert contact == again  # stored values are already normal


@given(value=anything, name=st.sampled_from(["no", "type", "last_modified"]))
def test_construction_refuses_malformed_keys_with_a_validation_error(
    value: object, name: str
) -> None:
    fields: dict[str, Any] = {"no": "CT1", "last_modified": NOW, name: value}

    with contextlib.suppress(ValidationError):
        Contact(**fields)


@given(
    name=st.sampled_from(
        [
            "code",
            "company_name",
            "company_name_2",
            "phone_no",
            "email",
            "home_page",
            "address",
        ]
    ),
    value=anything,
)
def test_alternative_addresses_refuse_malformed_values_with_a_validation_error(
    name: str, value: object
) -> None:
    fields: dict[str, Any] = {"code": "HOME", name: value}

    with contextlib.suppress(ValidationError):
        AlternativeAddress(**fields)


@given(
    name=st.sampled_from(["address", "address_2", "post_code", "city", "county"]),
    value=anything,
)
def test_addresses_refuse_malformed_values_with_a_validation_error(
    name: str, value: object
) -> None:
    fields: dict[str, Any] = {name: value}

    with contextlib.suppress(ValidationError):
        Address(**fields)


@given(st.text(), st.text())
def test_salutation_and_rename_refuse_only_with_validation_errors(
    text: str, language: str
) -> None:
    contact = Contact.create_person(no="CT2", now=NOW, setup=RelationshipSetup())

    try:
        contact.rename(text, now=LATER)
    except ValidationError:
        assert len(text) > 100
    try:
        contact.salutation("Formal", language, [])  # type: ignore[arg-type]
    except LookupError:
        pass
    except ValidationError:
        assert len(language.strip().upper()) > 10
