"""Contacts: privacy, salutations, business relations, deletion, alternative addresses.

Spec §2.7, §2.8, §2.10, §2.11, §2.15.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest

from relationship_mgmt.domain.contacts import (
    Address,
    AlternativeAddress,
    AlternativeAddressPeriod,
    BusinessRelationLink,
    Contact,
    ContactBusinessRelation,
    ContactChanged,
    ContactPrivacyChanged,
    ContactRelations,
    DeletionRefusal,
    check_can_delete,
    contact_business_relation,
    ensure_usable,
)
from relationship_mgmt.domain.setup import (
    RelationshipSetup,
    SalutationFormula,
    SalutationType,
)
from relationship_mgmt.errors import (
    ContactDeletionError,
    InUseError,
    NotFoundError,
    ParentalConsentRequiredError,
    PrivacyBlockedError,
    SalutationFormulaNotFoundError,
    ValidationError,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
SETUP = RelationshipSetup()


def company(no: str = "CT000001", name: str = "Cronus Ltd.", **fields: Any) -> Contact:
    return Contact.create_company(no=no, name=name, now=NOW, setup=SETUP, **fields)


def person(no: str = "CT000002", name: str = "John Smith", **fields: Any) -> Contact:
    return Contact.create_person(no=no, name=name, now=NOW, setup=SETUP, **fields)


def flags(contact: Contact) -> tuple[bool, bool, bool]:
    return (contact.minor, contact.parental_consent_received, contact.privacy_blocked)


# --- §2.15 privacy -----------------------------------------------------------------------


def test_blocking_and_unblocking_an_adult() -> None:
    contact = person()
    contact.pull_events()

    contact.block_privacy(now=LATER)
    assert flags(contact) == (False, False, True)
    contact.unblock_privacy(now=LATER)

    assert flags(contact) == (False, False, False)
    assert contact.last_modified == LATER
    assert [type(event) for event in contact.pull_events()] == [
        ContactPrivacyChanged,
        ContactPrivacyChanged,
    ]


def test_marking_a_minor_blocks_privacy() -> None:
    # §2.15: "Setting it true also sets Privacy Blocked = true."
    contact = person()
    contact.pull_events()

    contact.mark_minor(now=LATER)

    assert flags(contact) == (True, False, True)
    assert contact.pull_events() == [
        ContactPrivacyChanged(
            contact_no=contact.no,
            occurred_at=LATER,
            privacy_blocked=True,
            minor=True,
            parental_consent_received=False,
        )
    ]


def test_a_minor_without_consent_cannot_be_unblocked() -> None:
    # §2.15: Privacy Blocked "cannot be set to false while Minor = true and
    # Parental Consent Received = false".
    contact = person()
    contact.mark_minor(now=NOW)

    with pytest.raises(ParentalConsentRequiredError) as info:
        contact.unblock_privacy(now=LATER)

    assert info.value.contact_no == contact.no
    assert flags(contact) == (True, False, True)


def test_recording_consent_blocks_and_the_user_then_unblocks() -> None:
    # §2.15: validating Parental Consent Received runs Validate(Privacy Blocked,
    # true); the user must then clear Privacy Blocked explicitly.
    contact = person()
    contact.mark_minor(now=NOW)

    contact.record_parental_consent(now=LATER)
    assert flags(contact) == (True, True, True)
    contact.unblock_privacy(now=LATER)

    assert flags(contact) == (True, True, False)


def test_recording_consent_for_an_adult_blocks_too() -> None:
    # §2.15: "(either way)" - the code does not look at Minor.
    contact = person()

    contact.record_parental_consent(now=LATER)

    assert flags(contact) == (False, True, True)


def test_withdrawing_consent_blocks_again() -> None:
    contact = person()
    contact.mark_minor(now=NOW)
    contact.record_parental_consent(now=NOW)
    contact.unblock_privacy(now=NOW)

    contact.withdraw_parental_consent(now=LATER)

    assert flags(contact) == (True, False, True)


def test_marking_an_adult_leaves_the_block_for_an_explicit_unblock() -> None:
    contact = person()
    contact.mark_minor(now=NOW)

    contact.mark_adult(now=LATER)
    assert flags(contact) == (False, False, True)
    contact.unblock_privacy(now=LATER)

    assert flags(contact) == (False, False, False)


def test_privacy_operations_that_change_nothing_record_nothing() -> None:
    contact = person()
    contact.mark_minor(now=NOW)
    contact.record_parental_consent(now=NOW)
    contact.pull_events()

    contact.mark_minor(now=LATER)
    contact.record_parental_consent(now=LATER)
    contact.block_privacy(now=LATER)
    adult = person("CT3")
    adult.pull_events()
    adult.withdraw_parental_consent(now=LATER)
    adult.mark_adult(now=LATER)
    adult.unblock_privacy(now=LATER)

    assert contact.pull_events() == []
    assert adult.pull_events() == []
    assert contact.last_modified == NOW


def test_ensure_usable_refuses_a_privacy_blocked_contact() -> None:
    # §2.15: "You cannot use contact %1 %2 because they are marked as blocked due
    # to privacy."; the message carries the number, not the name.
    contact = person()
    ensure_usable(contact, "interaction")
    contact.block_privacy(now=NOW)

    with pytest.raises(PrivacyBlockedError) as info:
        ensure_usable(contact, "segment")

    assert (info.value.contact_no, info.value.purpose) == (contact.no, "segment")
    assert "John" not in str(info.value)


def test_privacy_errors_pickle_with_their_attributes() -> None:
    error = PrivacyBlockedError("CT1", "task")

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert (copy.contact_no, copy.purpose, str(copy)) == ("CT1", "task", str(error))


# --- §2.10 salutations -------------------------------------------------------------------

MR = SalutationFormula(
    salutation_code="M",
    salutation="Dear Mr. %1 %2",
    names=("First Name", "Surname"),
)
MR_INFORMAL = SalutationFormula(
    salutation_code="M",
    salutation_type="Informal",
    salutation="Hi %1",
    names=("First Name",),
)
MR_GERMAN = SalutationFormula(
    salutation_code="M",
    language_code="DEU",
    salutation="Sehr geehrter Herr %1",
    names=("Surname",),
)
COMPANY = SalutationFormula(
    salutation_code="COMPANY",
    salutation="Dear %1 at %2",
    names=("Job Title", "Company Name"),
)
FORMULAS = [MR, MR_INFORMAL, MR_GERMAN, COMPANY]


def test_salutation_fills_the_formula_with_the_contacts_names() -> None:
    # §2.10: BC's example "Dear Mr. %1 %2" -> "Dear Mr. John Smith".
    john = person(salutation_code="M")

    assert john.salutation(SalutationType.FORMAL, "", FORMULAS) == "Dear Mr. John Smith"


def test_salutation_drops_a_blank_placeholder_with_its_space() -> None:
    # §2.10: with First Name blank, "%1 " is removed -> "Dear Mr. Smith".
    smith = Contact.create_person(
        no="CT2", now=NOW, setup=SETUP, surname="Smith", salutation_code="M"
    )

    assert smith.salutation(SalutationType.FORMAL, "", FORMULAS) == "Dear Mr. Smith"


def test_salutation_picks_the_formula_by_language_and_type() -> None:
    john = person(salutation_code="M")

    assert john.salutation(SalutationType.INFORMAL, "", FORMULAS) == "Hi John"
    assert john.salutation(SalutationType.FORMAL, "deu", FORMULAS) == (
        "Sehr geehrter Herr Smith"
    )


def test_salutation_uses_job_title_and_company_name() -> None:
    cronus = company()
    ann = person(name="Ann Lee", job_title="CEO", salutation_code="COMPANY")
    ann.link_to_company(cronus, previous_company=None, setup=SETUP, now=NOW)

    assert ann.salutation(SalutationType.FORMAL, "", FORMULAS) == (
        "Dear CEO at Cronus Ltd."
    )


def test_salutation_without_a_formula_raises_bcs_error() -> None:
    # §2.10 step 1: "You have to set up the salutation formula of the type %1 in
    # %2 language for the %3 contact."
    john = person(salutation_code="M")

    with pytest.raises(SalutationFormulaNotFoundError) as info:
        john.salutation(SalutationType.INFORMAL, "deu", FORMULAS)

    assert isinstance(info.value, NotFoundError)
    assert (
        info.value.contact_no,
        info.value.salutation_code,
        info.value.language_code,
        info.value.salutation_type,
    ) == (john.no, "M", "DEU", SalutationType.INFORMAL)


def test_salutation_without_a_salutation_code_looks_up_the_blank_code() -> None:
    with pytest.raises(SalutationFormulaNotFoundError) as info:
        person().salutation(SalutationType.FORMAL, "", FORMULAS)

    assert info.value.salutation_code == ""


def test_salutation_with_a_blank_formula_text_is_refused() -> None:
    # §2.10 step 2: the Salutation text must be non-blank.
    blank = SalutationFormula(salutation_code="M")

    with pytest.raises(ValidationError):
        person(salutation_code="M").salutation(SalutationType.FORMAL, "", [blank])


def test_salutation_refuses_bad_arguments() -> None:
    john = person(salutation_code="M")
    wrong: Any = 5

    with pytest.raises(ValidationError):
        john.salutation(wrong, "", FORMULAS)
    with pytest.raises(ValidationError):
        john.salutation(SalutationType.FORMAL, wrong, FORMULAS)


# --- §2.8 business relations --------------------------------------------------------------

CODES = RelationshipSetup(
    bus_rel_code_for_customers="CUST",
    bus_rel_code_for_vendors="VEND",
    bus_rel_code_for_bank_accounts="BANK",
    bus_rel_code_for_employees="EMPL",
)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], ContactBusinessRelation.NONE),
        (["PROSPECT"], ContactBusinessRelation.OTHER),
        (["PROSPECT", "PRESS"], ContactBusinessRelation.MULTIPLE),
        (["cust"], ContactBusinessRelation.CUSTOMER),
        (["VEND"], ContactBusinessRelation.VENDOR),
        (["BANK"], ContactBusinessRelation.BANK_ACCOUNT),
        (["EMPL"], ContactBusinessRelation.EMPLOYEE),
        (["CUST", "PROSPECT"], ContactBusinessRelation.MULTIPLE),
        (["CUST", "VEND"], ContactBusinessRelation.MULTIPLE),
        (["CUST", "CUST"], ContactBusinessRelation.MULTIPLE),
    ],
)
def test_contact_business_relation_follows_bcs_derivation(
    codes: list[str], expected: ContactBusinessRelation
) -> None:
    # §2.8 derivation.
    assert contact_business_relation(codes, CODES) is expected


def test_an_unconfigured_code_counts_as_other() -> None:
    # §2.8: only the setup's non-blank codes are "linked".
    assert contact_business_relation(["CUST"], SETUP) is ContactBusinessRelation.OTHER


def test_a_placeholder_relation_is_not_linked() -> None:
    # §2.8: linked needs No. != ''.
    assert (
        contact_business_relation(["CUST"], CODES, placeholders=["cust"])
        is ContactBusinessRelation.OTHER
    )


def test_a_person_counts_its_companys_relations() -> None:
    # §2.8: for a person with a company, Contact No. in {No., Company No.}.
    cronus = company(
        business_relations={BusinessRelationLink("CUST", "Customer", "C1")}
    )
    ann = person(business_relations={BusinessRelationLink("EMPL", "Employee", "E1")})
    alone = person("CT3")
    alone.link_to_company(cronus, previous_company=None, setup=SETUP, now=NOW)
    ann.link_to_company(cronus, previous_company=None, setup=SETUP, now=NOW)

    assert cronus.business_relation(CODES) is ContactBusinessRelation.CUSTOMER
    assert cronus.business_relation(CODES, company=cronus) is (
        ContactBusinessRelation.CUSTOMER
    )
    assert alone.business_relation(CODES, company=cronus) is (
        ContactBusinessRelation.CUSTOMER
    )
    assert alone.business_relation(CODES) is ContactBusinessRelation.NONE
    assert ann.business_relation(CODES, company=cronus) is (
        ContactBusinessRelation.MULTIPLE
    )


def test_business_relation_refuses_another_company() -> None:
    with pytest.raises(ValidationError) as info:
        person().business_relation(CODES, company=company("CT9"))

    assert info.value.field == "company"


def test_adding_and_removing_business_relations() -> None:
    # §2.8: PK (Contact No., Business Relation Code): each code once.
    contact = company()
    contact.pull_events()

    contact.add_business_relation("cust", now=LATER)
    contact.add_business_relation("CUST", now=LATER)
    contact.remove_business_relation("prospect", now=LATER)
    assert contact.business_relation_codes == frozenset({"CUST"})
    assert contact.business_relations == frozenset({BusinessRelationLink("CUST")})
    contact.remove_business_relation("cust", now=LATER)

    assert contact.business_relations == frozenset()
    changed = ContactChanged(
        contact_no=contact.no,
        occurred_at=LATER,
        fields=frozenset({"business_relations"}),
    )
    assert contact.pull_events() == [changed, changed]
    with pytest.raises(ValidationError):
        contact.add_business_relation(" ", now=LATER)


# --- §2.7 deletion -----------------------------------------------------------------------


def test_a_contact_without_blocking_records_can_be_deleted() -> None:
    check_can_delete(
        company(), ContactRelations(has_tasks=True, has_opportunities=True)
    )


@pytest.mark.parametrize(
    ("related", "reason"),
    [
        (ContactRelations(has_open_tasks=True), DeletionRefusal.OPEN_TASKS),
        (
            ContactRelations(has_unlogged_segment_lines=True),
            DeletionRefusal.UNLOGGED_SEGMENT_LINES,
        ),
        (
            ContactRelations(has_active_opportunities=True),
            DeletionRefusal.ACTIVE_OPPORTUNITIES,
        ),
    ],
)
def test_deletion_is_refused_with_bcs_reasons(
    related: ContactRelations, reason: DeletionRefusal
) -> None:
    # §2.7: open tasks, unlogged segment lines, opportunities Not Started/In Progress.
    contact = person()

    with pytest.raises(ContactDeletionError) as info:
        check_can_delete(contact, related)

    assert info.value.reason is reason
    assert isinstance(info.value, InUseError)
    assert (info.value.kind, info.value.key) == ("contact", contact.no)


def test_contact_relations_refuse_non_booleans() -> None:
    wrong: Any = "yes"

    with pytest.raises(ValidationError) as info:
        ContactRelations(has_tasks=wrong)

    assert info.value.field == "has_tasks"


# --- §2.11 alternative addresses --------------------------------------------------------

SUMMER = AlternativeAddress(
    code="summer",
    company_name="Villa",
    address=Address(address="Rue 1", city="Nice", country_code="fr"),
    email="Ann@Example.COM",
    phone_no="33 1",
)
WINTER = AlternativeAddress(code="winter", address=Address(city="Chamonix"))


def _with_addresses() -> Contact:
    contact = company(city="London")
    contact.add_alternative_address(SUMMER, now=NOW)
    contact.add_alternative_address(WINTER, now=NOW)
    contact.pull_events()
    return contact


def test_alternative_address_values_are_validated() -> None:
    assert SUMMER.code == "SUMMER"
    assert SUMMER.address.country_code == "FR"
    assert SUMMER.search_email == "ANN@EXAMPLE.COM"
    with pytest.raises(ValidationError):
        AlternativeAddress(code=" ")
    with pytest.raises(ValidationError):
        AlternativeAddress(code="A", email="nope")
    with pytest.raises(ValidationError):
        AlternativeAddress(code="A", company_name="x" * 101)
    wrong: Any = "Nice"
    with pytest.raises(ValidationError) as info:
        AlternativeAddress(code="A", address=wrong)
    assert info.value.field == "address"
    with pytest.raises(ValidationError):
        Address(city="x" * 31)
    assert "Nice" not in repr(SUMMER)


def test_adding_alternative_addresses_keeps_them_by_code() -> None:
    contact = company()
    contact.pull_events()

    contact.add_alternative_address(WINTER, now=LATER)
    contact.add_alternative_address(SUMMER, now=LATER)

    assert [alt.code for alt in contact.alternative_addresses] == ["SUMMER", "WINTER"]
    assert contact.last_modified == LATER
    assert contact.pull_events()[-1] == ContactChanged(
        contact_no=contact.no,
        occurred_at=LATER,
        fields=frozenset({"alternative_addresses"}),
    )


def test_an_alternative_address_code_is_unique_per_contact() -> None:
    contact = _with_addresses()

    with pytest.raises(ValidationError) as info:
        contact.add_alternative_address(AlternativeAddress(code="SUMMER"), now=LATER)

    assert info.value.field == "code"
    wrong: Any = "SUMMER"
    with pytest.raises(ValidationError):
        contact.add_alternative_address(wrong, now=LATER)


def test_replacing_an_alternative_address() -> None:
    contact = _with_addresses()
    moved = attrs.evolve(SUMMER, address=Address(city="Cannes"))

    contact.replace_alternative_address(moved, now=LATER)

    assert contact.alternative_addresses[0].address.city == "Cannes"
    with pytest.raises(NotFoundError):
        contact.replace_alternative_address(AlternativeAddress(code="X"), now=LATER)
    wrong: Any = None
    with pytest.raises(ValidationError):
        contact.replace_alternative_address(wrong, now=LATER)


def test_removing_an_alternative_address_removes_its_date_ranges() -> None:
    # §2.11: "Deleting an address deletes its date ranges."
    contact = _with_addresses()
    contact.schedule_alternative_address("SUMMER", starting=date(2026, 7, 1), now=NOW)
    contact.schedule_alternative_address("WINTER", starting=date(2026, 12, 1), now=NOW)

    contact.remove_alternative_address("summer", now=LATER)

    assert [alt.code for alt in contact.alternative_addresses] == ["WINTER"]
    assert [p.address_code for p in contact.alternative_address_periods] == ["WINTER"]
    with pytest.raises(NotFoundError) as info:
        contact.remove_alternative_address("SUMMER", now=LATER)
    assert info.value.kind == "contact alternative address"


def test_a_starting_date_is_unique_per_contact() -> None:
    # §2.11: PK (Contact No., Starting Date): "The starting date %1 already exists".
    contact = _with_addresses()
    contact.schedule_alternative_address("SUMMER", starting=date(2026, 7, 1), now=NOW)

    with pytest.raises(ValidationError) as info:
        contact.schedule_alternative_address(
            "WINTER", starting=date(2026, 7, 1), now=LATER
        )

    assert info.value.field == "starting_date"


def test_a_date_range_must_not_end_before_it_starts() -> None:
    # §2.11: "Starting Date must be before Ending Date."
    contact = _with_addresses()

    with pytest.raises(ValidationError) as info:
        contact.schedule_alternative_address(
            "SUMMER", starting=date(2026, 7, 2), ending=date(2026, 7, 1), now=LATER
        )

    assert info.value.field == "ending_date"
    contact.schedule_alternative_address(
        "SUMMER", starting=date(2026, 7, 2), ending=date(2026, 7, 2), now=LATER
    )


def test_a_date_range_needs_dates_and_a_known_address() -> None:
    contact = _with_addresses()
    instant: Any = NOW

    with pytest.raises(ValidationError):
        contact.schedule_alternative_address("SUMMER", starting=instant, now=LATER)
    with pytest.raises(ValidationError):
        contact.schedule_alternative_address(
            "SUMMER", starting=date(2026, 1, 1), ending=instant, now=LATER
        )
    with pytest.raises(NotFoundError):
        contact.schedule_alternative_address("AUTUMN", starting=NOW.date(), now=LATER)


def test_unscheduling_removes_the_range_that_starts_on_the_day() -> None:
    contact = _with_addresses()
    contact.schedule_alternative_address("SUMMER", starting=date(2026, 7, 1), now=NOW)

    contact.unschedule_alternative_address(date(2026, 7, 1), now=LATER)

    assert contact.alternative_address_periods == ()
    with pytest.raises(NotFoundError):
        contact.unschedule_alternative_address(date(2026, 7, 1), now=LATER)


def test_the_active_alternative_address_is_the_covering_range_starting_last() -> None:
    # §2.11 ActiveAltAddress: Starting Date <= day <= Ending Date (or open), the
    # latest Starting Date wins; '' (None) when none covers.
    contact = _with_addresses()
    contact.schedule_alternative_address("WINTER", starting=date(2026, 1, 1), now=NOW)
    contact.schedule_alternative_address(
        "SUMMER", starting=date(2026, 7, 1), ending=date(2026, 8, 31), now=NOW
    )

    assert contact.active_alternative_address_code(date(2025, 12, 31)) is None
    assert contact.active_alternative_address_code(date(2026, 3, 1)) == "WINTER"
    assert contact.active_alternative_address_code(date(2026, 7, 1)) == "SUMMER"
    assert contact.active_alternative_address_code(date(2026, 8, 31)) == "SUMMER"
    assert contact.active_alternative_address_code(date(2026, 9, 1)) == "WINTER"


def test_address_on_gives_the_active_alternative_or_the_own_address() -> None:
    contact = _with_addresses()
    contact.schedule_alternative_address(
        "SUMMER", starting=date(2026, 7, 1), ending=date(2026, 8, 31), now=NOW
    )

    assert contact.address_on(date(2026, 7, 14)) == SUMMER.address
    assert contact.address_on(date(2026, 9, 1)) == Address(city="London")
    assert contact.address_on(date(2026, 9, 1)) == contact.postal_address
    instant: Any = NOW
    with pytest.raises(ValidationError):
        contact.address_on(instant)


def test_the_constructor_refuses_duplicate_addresses_and_ranges() -> None:
    period = AlternativeAddressPeriod(
        address_code="SUMMER", starting_date=date(2026, 7, 1)
    )
    base: dict[str, Any] = {"no": "CT1", "last_modified": NOW}

    with pytest.raises(ValidationError):
        Contact(**base, alternative_addresses=[SUMMER, SUMMER])
    with pytest.raises(ValidationError):
        Contact(
            **base,
            alternative_addresses=[SUMMER],
            alternative_address_periods=[period, period],
        )
    with pytest.raises(ValidationError):
        Contact(**base, alternative_addresses="SUMMER")
    with pytest.raises(ValidationError):
        Contact(**base, alternative_addresses=["SUMMER"])
    with pytest.raises(ValidationError):
        Contact(**base, alternative_address_periods=5)
    with pytest.raises(ValidationError):
        Contact(**base, alternative_address_periods=["2026-07-01"])
    ok = Contact(
        **base,
        alternative_addresses=(WINTER, SUMMER),
        alternative_address_periods=[period],
    )
    assert [alt.code for alt in ok.alternative_addresses] == ["SUMMER", "WINTER"]


def test_period_covers_is_inclusive_and_open_ended() -> None:
    open_ended = AlternativeAddressPeriod(
        address_code="A", starting_date=date(2026, 1, 1)
    )

    assert open_ended.covers(date(2999, 1, 1))
    assert not open_ended.covers(date(2025, 12, 31))


def test_a_setup_partner_code_cannot_be_added_by_hand() -> None:  # §2.8
    from relationship_mgmt.errors import BusinessRelationError

    setup = RelationshipSetup(bus_rel_code_for_customers="CUST")
    company = Contact.create_company(no="CT1", name="Cronus", now=NOW, setup=setup)

    with pytest.raises(BusinessRelationError) as info:
        company.add_business_relation("cust", now=NOW, setup=setup)
    company.add_business_relation("prospect", now=NOW, setup=setup)

    assert (info.value.code, info.value.reason) == ("CUST", "reserved")
    assert company.business_relation_codes == frozenset({"PROSPECT"})


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((7,), "code"),
        (("  ",), "code"),
        (("CUST", "Customer", 5), "no"),
        (("CUST", "Customer", ""), "no"),
        (("CUST", "", "C1"), "no"),
    ],
)
def test_business_relation_rows_refuse_bad_values(
    args: tuple[object, ...], field: str
) -> None:  # §2.8
    from relationship_mgmt.domain.contacts import BusinessRelationLink

    with pytest.raises(ValidationError) as info:
        BusinessRelationLink(*args)

    assert info.value.field == field


@pytest.mark.parametrize(
    "relations",
    [
        "CUST",
        7,
        [" "],
        [3],
        [("CUST",)],
    ],
)
def test_business_relations_must_be_codes_or_rows(relations: object) -> None:  # §2.8
    with pytest.raises(ValidationError) as info:
        Contact.create_company(
            no="CT1", name="Cronus", now=NOW, setup=SETUP, business_relations=relations
        )

    assert info.value.field == "business_relations"


def test_business_relation_rows_follow_bc_rules() -> None:  # §2.8
    from relationship_mgmt.domain.contacts import BusinessRelationLink, LinkToTable
    from relationship_mgmt.errors import BusinessRelationError

    same = BusinessRelationLink("CUST", LinkToTable.CUSTOMER, "C1")
    company = Contact.create_company(
        no="CT1", name="Cronus", now=NOW, setup=SETUP, business_relations=[same, same]
    )
    assert company.business_relations == frozenset({same})
    with pytest.raises(ValidationError):  # one linked row per table
        Contact.create_company(
            no="CT2",
            name="Other",
            now=NOW,
            setup=SETUP,
            business_relations=[
                same,
                BusinessRelationLink("CUST2", LinkToTable.CUSTOMER, "C2"),
            ],
        )
    with pytest.raises(ValidationError):  # each code once
        Contact.create_company(
            no="CT3",
            name="Third",
            now=NOW,
            setup=SETUP,
            business_relations=[same, BusinessRelationLink("CUST")],
        )
    with pytest.raises(ValidationError) as unlinked:
        company.link_business_partner(
            BusinessRelationLink("VEND"), setup=SETUP, now=NOW
        )
    with pytest.raises(BusinessRelationError) as taken:
        company.link_business_partner(
            BusinessRelationLink("CUST", LinkToTable.VENDOR, "V1"), setup=SETUP, now=NOW
        )
    assert unlinked.value.field == "no"
    assert taken.value.reason == "code"
    assert company.unlink_business_partner("Vendor", now=NOW) is None
    assert company.unlink_business_partner(LinkToTable.CUSTOMER, now=NOW) == same


def test_a_deep_copy_is_equal_and_shares_no_mutable_state() -> None:
    contact = Contact.create_company(
        no="CT1",
        name="Cronus",
        now=datetime(2026, 1, 1, tzinfo=UTC),
        setup=RelationshipSetup(),
        web_sources={"WEB": "cronus"},
    )
    clone = copy.deepcopy(contact)

    assert clone == contact
    assert clone.web_sources is not contact.web_sources
    clone.web_sources["OTHER"] = "x"  # type: ignore[index]
    assert "OTHER" not in contact.web_sources
    assert clone.pull_events() == contact.pull_events()
