from __future__ import annotations

from datetime import UTC, datetime

import pytest

import relationship_mgmt as rm
from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.domain.contacts import ContactType
from relationship_mgmt.testing import FrozenClock


@pytest.fixture
def crm() -> rm.Crm:
    clock = FrozenClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    crm = rm.Crm(uow_factory=in_memory_uow_factory(), clock=clock)
    crm.setup.use_default_number_series()
    crm.setup.add_records([rm.Territory(code="NORTH"), rm.Territory(code="SOUTH")])
    crm.setup.change(default_territory_code="NORTH")
    return crm


def test_create_company_draws_a_number_and_applies_insert_defaults(
    crm: rm.Crm,
) -> None:  # §2.4
    company = crm.contacts.create_company(name="Cronus Cardoxy Procurement")

    assert company.no == "CT000001"
    assert company.territory_code == "NORTH"
    assert company.company_no == company.no
    assert crm.contacts.get("ct000001") == company


def test_numbers_that_exist_are_skipped(crm: rm.Crm) -> None:  # §2.1 field 1
    crm.contacts.create_company(name="Typed", no="CT000002")

    first = crm.contacts.create_company(name="A")
    second = crm.contacts.create_company(name="B")

    assert (first.no, second.no) == ("CT000001", "CT000003")


def test_create_person_inherits_from_its_company(crm: rm.Crm) -> None:  # §2.6
    company = crm.contacts.create_company(
        name="Cronus", address="1 Main St", city="Leeds", phone_no="+44 113 000"
    )

    person = crm.contacts.create_person(
        name="Anna Maria de Vries", company_no=company.no
    )

    assert (person.first_name, person.middle_name, person.surname) == (
        "Anna Maria",
        "de",
        "Vries",
    )
    assert (person.company_no, person.company_name) == (company.no, "Cronus")
    assert (person.address, person.city, person.phone_no) == (
        "1 Main St",
        "Leeds",
        "+44 113 000",
    )


def test_a_company_change_reaches_persons_that_held_the_old_value(
    crm: rm.Crm,
) -> None:  # §2.6
    company = crm.contacts.create_company(name="Cronus", phone_no="111")
    same = crm.contacts.create_person(name="Jane Smith", company_no=company.no)
    own = crm.contacts.create_person(name="John Doe", company_no=company.no)
    crm.contacts.change(own.no, phone_no="999")

    crm.contacts.change(
        company.no, phone_no="222", territory_code="SOUTH", name="Cronus Ltd"
    )

    assert crm.contacts.get(same.no).phone_no == "222"
    assert crm.contacts.get(own.no).phone_no == "999"
    assert crm.contacts.get(same.no).territory_code == "SOUTH"
    assert {p.company_name for p in crm.contacts.persons_of(company.no)} == {
        "Cronus Ltd"
    }


def test_link_and_unlink(crm: rm.Crm) -> None:  # §2.6
    first = crm.contacts.create_company(name="First", city="York")
    second = crm.contacts.create_company(name="Second", city="Hull")
    person = crm.contacts.create_person(name="Jane Smith", company_no=first.no)

    moved = crm.contacts.link_to_company(person.no, second.no)
    alone = crm.contacts.unlink_from_company(person.no)

    assert (moved.company_no, moved.city) == (second.no, "Hull")
    assert alone.company_no is None
    with pytest.raises(rm.CompanyLinkError):
        crm.contacts.link_to_company(second.no, first.no)


def test_type_change_is_refused_while_persons_point_to_the_company(
    crm: rm.Crm,
) -> None:  # §2.3
    company = crm.contacts.create_company(name="Cronus")
    crm.contacts.create_person(name="Jane Smith", company_no=company.no)

    with pytest.raises(rm.ContactTypeChangeError):
        crm.contacts.change_type(company.no, ContactType.PERSON)

    lone = crm.contacts.create_company(name="Jane Doe")
    assert crm.contacts.change_type(lone.no, "Person").type is ContactType.PERSON


def test_privacy_rules_hold_through_the_service(crm: rm.Crm) -> None:  # §2.15
    person = crm.contacts.create_person(name="Tim Young")

    blocked = crm.contacts.mark_minor(person.no)
    with pytest.raises(rm.ParentalConsentRequiredError):
        crm.contacts.unblock_privacy(person.no)
    crm.contacts.record_parental_consent(person.no)
    unblocked = crm.contacts.unblock_privacy(person.no)

    assert blocked.privacy_blocked
    assert not unblocked.privacy_blocked
    assert crm.contacts.withdraw_parental_consent(person.no).privacy_blocked


def test_salutation_uses_the_setup_formulas(crm: rm.Crm) -> None:  # §2.10
    crm.setup.add_records(
        [
            rm.Salutation(code="M"),
            rm.SalutationFormula(
                salutation_code="M",
                salutation="Dear Mr. %1 %2",
                names=(rm.SalutationName.FIRST_NAME, rm.SalutationName.SURNAME),
            ),
        ]
    )
    person = crm.contacts.create_person(name="John Smith", salutation_code="M")

    assert crm.contacts.salutation(person.no) == "Dear Mr. John Smith"
    with pytest.raises(rm.SalutationFormulaNotFoundError):
        crm.contacts.salutation(person.no, rm.SalutationType.INFORMAL)


def test_deleting_a_company_deletes_its_persons(crm: rm.Crm) -> None:  # §2.7
    company = crm.contacts.create_company(name="Cronus")
    person = crm.contacts.create_person(name="Jane Smith", company_no=company.no)
    other = crm.contacts.create_company(name="Other")

    crm.contacts.delete(company.no)

    assert [c.no for c in crm.contacts.list()] == [other.no]
    with pytest.raises(rm.NotFoundError):
        crm.contacts.get(person.no)


def test_search_finds_fragments_of_names_emails_and_phones(crm: rm.Crm) -> None:
    crm.contacts.create_company(name="Cronus Cardoxy", email="info@cronus.example")
    crm.contacts.create_person(name="Jane Smith", phone_no="+44 113 555")

    assert [c.name for c in crm.contacts.search("cardox")] == ["Cronus Cardoxy"]
    assert [c.name for c in crm.contacts.search("CRONUS.EX")] == ["Cronus Cardoxy"]
    assert [c.name for c in crm.contacts.search("113 5")] == ["Jane Smith"]
    with pytest.raises(rm.ValidationError):
        crm.contacts.search("  ")


def test_a_contact_without_a_series_needs_a_typed_number() -> None:
    crm = rm.Crm(uow_factory=in_memory_uow_factory())

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_company(name="No series")

    assert info.value.field == "contact_nos"
    assert crm.contacts.create_company(name="Typed", no="c1").no == "C1"


def test_unknown_option_values_are_validation_errors(crm: rm.Crm) -> None:
    person = crm.contacts.create_person(name="John Smith")

    with pytest.raises(rm.ValidationError) as bad_type:
        crm.contacts.change_type(person.no, "Robot")
    with pytest.raises(rm.ValidationError) as bad_kind:
        crm.contacts.salutation(person.no, "Casual")
    with pytest.raises(rm.ValidationError) as bad_record_kind:
        crm.duplicates.find(kind="Robot")

    assert bad_type.value.field == "new_type"
    assert bad_kind.value.field == "kind"
    assert bad_record_kind.value.field == "kind"


# --- the Company Name lookup (§2.16) ---------------------------------------------------


def test_company_lookup_tries_no_then_name_then_prefix_then_contains(
    crm: rm.Crm,
) -> None:  # §2.16 Company Name lookup order
    sales = crm.contacts.create_company(name="Cronus Sales", city="Leeds")
    crm.contacts.create_company(name="Cronus Sales Ltd", post_code="LS1 4AP")
    crm.contacts.create_company(name="Fabrikam", phone_no="0113 496 0000")
    crm.contacts.create_person(name="Cronus Fan")  # persons never answer
    named_like_a_no = crm.contacts.create_company(name=sales.no)

    def names(text: str) -> list[str]:
        return [c.name for c in crm.contacts.lookup_company(text)]

    assert names(sales.no) == ["Cronus Sales"]  # the exact No. beats a Name
    assert names("cronus sales") == ["Cronus Sales"]  # exact Name, any case
    assert names("Cronus") == ["Cronus Sales", "Cronus Sales Ltd"]  # the list opens
    assert names("cronus sales l") == ["Cronus Sales Ltd"]  # a single prefix
    assert names("leeds") == ["Cronus Sales"]  # contains: City
    assert names("ls1") == ["Cronus Sales Ltd"]  # Post Code
    assert names("496") == ["Fabrikam"]  # Phone No.
    assert names("nothing like it") == []
    assert named_like_a_no.name == sales.no


def test_company_lookup_refuses_blank_text(crm: rm.Crm) -> None:
    with pytest.raises(rm.ValidationError):
        crm.contacts.lookup_company("  ")


def test_alternative_addresses_through_the_service() -> None:
    """§2.11: add, schedule, replace, unschedule and remove alternative addresses;
    address_on(date) follows the ranges."""
    import datetime as dt

    crm = rm.open()
    crm.setup.use_default_number_series()
    ann = crm.contacts.create_person(name="Ann Lee", city="Leeds")

    crm.contacts.add_alternative_address(
        ann.no, "summer", city="Brighton", email="ann@holiday.example"
    )
    crm.contacts.schedule_alternative_address(
        ann.no, "summer", starting=dt.date(2026, 7, 1), ending=dt.date(2026, 8, 31)
    )
    stored = crm.contacts.get(ann.no)
    assert stored.address_on(dt.date(2026, 7, 15)).city == "Brighton"
    assert stored.address_on(dt.date(2026, 9, 1)).city == "Leeds"

    changed = crm.contacts.replace_alternative_address(ann.no, "summer", city="Hove")
    assert changed.alternative_addresses[0].address.city == "Hove"
    crm.contacts.unschedule_alternative_address(ann.no, dt.date(2026, 7, 1))
    assert crm.contacts.get(ann.no).address_on(dt.date(2026, 7, 15)).city == "Leeds"
    gone = crm.contacts.remove_alternative_address(ann.no, "summer")
    assert gone.alternative_addresses == ()
    with pytest.raises(rm.NotFoundError):
        crm.contacts.remove_alternative_address(ann.no, "summer")


def test_a_contact_with_an_open_task_is_not_deleted() -> None:
    """§2.7: "You cannot delete contact %1 because there are one or more tasks
    open."; once the task is closed the contact goes."""
    import datetime as dt

    crm = rm.open()
    crm.setup.use_default_number_series()
    crm.salespeople.create("JO", name="Jo Smith")
    ann = crm.contacts.create_company(name="Ann's shop")
    task = crm.tasks.create(
        salesperson_code="JO", contact_no=ann.no, date=dt.date(2026, 3, 2)
    )

    with pytest.raises(rm.ContactDeletionError):
        crm.contacts.delete(ann.no)
    crm.tasks.close(task.no)
    crm.contacts.delete(ann.no)
    with pytest.raises(rm.NotFoundError):
        crm.contacts.get(ann.no)


def test_deleting_contacts_repoints_or_clears_their_tasks() -> None:
    """§2.7: a person's tasks move to its company; a company's lose the contact."""
    import datetime as dt

    crm = rm.open()
    crm.setup.use_default_number_series()
    crm.salespeople.create("JO", name="Jo Smith")
    company = crm.contacts.create_company(name="Cronus")
    ann = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    task = crm.tasks.create(
        salesperson_code="JO", contact_no=ann.no, date=dt.date(2026, 3, 2)
    )
    crm.tasks.close(task.no)

    crm.contacts.delete(ann.no)
    moved = crm.tasks.get(task.no)
    crm.contacts.delete(company.no)
    cleared = crm.tasks.get(task.no)

    assert (moved.contact_no, moved.contact_company_no) == (company.no, company.no)
    assert (cleared.contact_no, cleared.contact_company_no) == (None, None)


def test_a_blocked_salesperson_is_not_put_on_a_contact() -> None:
    """§8: blocked salespeople cannot be chosen on contacts; one already on the
    contact may stay; codes of salespeople not stored are accepted."""
    crm = rm.open()
    crm.setup.use_default_number_series()
    crm.salespeople.create("JO", name="Jo Smith")
    crm.salespeople.create("AP", name="Annette Hill", privacy_blocked=True)
    ann = crm.contacts.create_company(name="Ann's shop", salesperson_code="JO")
    crm.salespeople.change("JO", blocked=True)

    with pytest.raises(rm.SalespersonBlockedError):
        crm.contacts.create_company(name="Bob's shop", salesperson_code="JO")
    with pytest.raises(rm.SalespersonBlockedError) as refused:
        crm.contacts.change(ann.no, salesperson_code="AP")
    assert refused.value.reason == "privacy blocked"
    assert crm.contacts.change(ann.no, city="Leeds").salesperson_code == "JO"
    assert crm.contacts.change(ann.no, salesperson_code="XX").salesperson_code == "XX"
