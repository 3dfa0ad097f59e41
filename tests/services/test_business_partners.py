"""Business relations and the customer/vendor/bank/employee links (spec §2.8, §2.9)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import relationship_mgmt as rm
from relationship_mgmt.adapters.business_partners import (
    InMemoryBusinessPartnerDirectory,
    PartnerTemplate,
)
from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.domain.contacts import (
    BusinessRelationLink,
    ContactBusinessRelation,
    LinkToTable,
)
from relationship_mgmt.testing import FrozenClock

CUSTOMER = LinkToTable.CUSTOMER


@pytest.fixture
def partners() -> InMemoryBusinessPartnerDirectory:
    directory = InMemoryBusinessPartnerDirectory()
    directory.add(CUSTOMER, "C90000", name="Existing customer")
    directory.add(LinkToTable.BANK_ACCOUNT, "B1", name="Bank")
    directory.add(LinkToTable.EMPLOYEE, "E1", name="Employee")
    return directory


@pytest.fixture
def crm(partners: InMemoryBusinessPartnerDirectory) -> rm.Crm:
    clock = FrozenClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    crm = rm.Crm(uow_factory=in_memory_uow_factory(), clock=clock, partners=partners)
    crm.setup.use_default_number_series()
    crm.setup.add_records(
        [
            rm.BusinessRelation(code=code)
            for code in ("CUST", "VEND", "BANK", "EMPL", "PROSPECT")
        ]
    )
    crm.setup.change(
        bus_rel_code_for_customers="CUST",
        bus_rel_code_for_vendors="VEND",
        bus_rel_code_for_bank_accounts="BANK",
        bus_rel_code_for_employees="EMPL",
    )
    return crm


def test_create_customer_links_the_company(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 steps 4-6
    company = crm.contacts.create_company(name="Cronus Ltd.")

    no = crm.contacts.create_customer(company.no)

    stored = crm.contacts.get(company.no)
    assert stored.business_relations == {BusinessRelationLink("CUST", CUSTOMER, no)}
    record = partners.record(CUSTOMER, no)
    assert (record["name"], record["contact_type"]) == ("Cronus Ltd.", "Company")
    assert (
        crm.contacts.business_relation(company.no) is ContactBusinessRelation.CUSTOMER
    )


def test_a_person_with_a_company_creates_the_customer_for_the_company(
    crm: rm.Crm,
) -> None:  # §2.9 step 2; §2.8 derivation counts the company's rows
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)

    no = crm.contacts.create_customer(person.no)

    assert crm.contacts.get(person.no).business_relations == frozenset()
    assert crm.contacts.get(company.no).business_partner_link(CUSTOMER) == no
    assert crm.contacts.business_relation(person.no) is ContactBusinessRelation.CUSTOMER


def test_a_second_customer_is_refused(crm: rm.Crm) -> None:  # §2.9 step 1
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    no = crm.contacts.create_customer(company.no)

    for contact_no in (company.no, person.no):
        with pytest.raises(rm.ContactAlreadyLinkedError) as info:
            crm.contacts.create_customer(contact_no)
        assert (info.value.contact_no, info.value.link_to_table, info.value.no) == (
            company.no,
            "Customer",
            no,
        )


def test_a_privacy_blocked_contact_gets_no_customer(crm: rm.Crm) -> None:  # §2.9 step 3
    company = crm.contacts.create_company(name="Cronus Ltd.")
    crm.contacts.block_privacy(company.no)

    with pytest.raises(rm.PrivacyBlockedError):
        crm.contacts.create_customer(company.no)


def test_the_customer_code_must_be_set(crm: rm.Crm) -> None:  # §2.9 step 3
    crm.setup.change(bus_rel_code_for_customers=None)
    company = crm.contacts.create_company(name="Cronus Ltd.")

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_customer(company.no)

    assert info.value.field == "bus_rel_code_for_customers"


def test_the_template_is_chosen_by_contact_type(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 step 9
    partners.add_customer_template(PartnerTemplate(code="PERS", contact_type="Person"))
    partners.add_customer_template(PartnerTemplate(code="COMP", contact_type="Company"))
    partners.add_customer_template(PartnerTemplate(code="OTHER"))
    company = crm.contacts.create_company(name="Cronus Ltd.")
    alone = crm.contacts.create_person(name="Bo Li")

    with pytest.raises(rm.ValidationError):  # COMP and OTHER both match
        crm.contacts.create_customer(company.no)
    no = crm.contacts.create_customer(company.no, template="comp")
    assert partners.record(CUSTOMER, no)["template"] == "COMP"
    with pytest.raises(rm.NotFoundError):
        crm.contacts.create_customer(alone.no, template="NOPE")


def test_create_vendor_needs_a_company(crm: rm.Crm) -> None:  # §2.9 Create as Vendor
    alone = crm.contacts.create_person(name="Bo Li")
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_vendor(alone.no)
    assert info.value.field == "company_no"
    no = crm.contacts.create_vendor(person.no)

    assert crm.contacts.get(company.no).business_partner_link("Vendor") == no
    with pytest.raises(rm.ContactAlreadyLinkedError):
        crm.contacts.create_vendor(company.no)


def test_link_replaces_the_placeholder_row(crm: rm.Crm) -> None:  # §2.8 insert
    company = crm.contacts.create_company(
        name="Cronus Ltd.", business_relations={"CUST"}
    )
    assert crm.contacts.business_relation(company.no) is ContactBusinessRelation.OTHER

    linked = crm.contacts.link_to_business_partner(company.no, "Customer", "c90000")

    assert linked.business_relations == {
        BusinessRelationLink("CUST", CUSTOMER, "C90000")
    }
    assert (
        crm.contacts.business_relation(company.no) is ContactBusinessRelation.CUSTOMER
    )


def test_link_needs_an_existing_partner(crm: rm.Crm) -> None:  # §2.9 Link with existing
    company = crm.contacts.create_company(name="Cronus Ltd.")

    with pytest.raises(rm.BusinessPartnerNotFoundError) as info:
        crm.contacts.link_to_business_partner(company.no, "Customer", "NOPE")

    assert (info.value.link_to_table, info.value.no) == ("Customer", "NOPE")
    with pytest.raises(rm.ValidationError):
        crm.contacts.link_to_business_partner(company.no, "", "C90000")


def test_a_partner_links_to_one_contact(
    crm: rm.Crm,
) -> None:  # §2.8 "%1 %2 already has"
    first = crm.contacts.create_company(name="Cronus Ltd.")
    second = crm.contacts.create_company(name="Fabrikam")
    crm.contacts.link_to_business_partner(first.no, "Customer", "C90000")

    with pytest.raises(rm.PartnerAlreadyLinkedError) as info:
        crm.contacts.link_to_business_partner(second.no, "Customer", "C90000")

    assert (info.value.link_to_table, info.value.no, info.value.contact_no) == (
        "Customer",
        "C90000",
        first.no,
    )


def test_one_relation_per_link_to_table(crm: rm.Crm) -> None:  # §2.8 insert
    company = crm.contacts.create_company(name="Cronus Ltd.")
    crm.contacts.create_customer(company.no)

    with pytest.raises(rm.ContactAlreadyLinkedError):
        crm.contacts.link_to_business_partner(company.no, "Customer", "C90000")


def test_several_links_make_multiple(crm: rm.Crm) -> None:  # §2.8 derivation
    company = crm.contacts.create_company(name="Cronus Ltd.")
    crm.contacts.link_to_business_partner(company.no, "Bank Account", "B1")
    assert crm.contacts.business_relation(company.no) is (
        ContactBusinessRelation.BANK_ACCOUNT
    )

    crm.contacts.create_customer(company.no)

    assert (
        crm.contacts.business_relation(company.no) is ContactBusinessRelation.MULTIPLE
    )


def test_employees_link_persons_only(crm: rm.Crm) -> None:  # §2.9 Employee link
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)

    with pytest.raises(rm.ValidationError):
        crm.contacts.link_to_business_partner(company.no, "Employee", "E1")
    linked = crm.contacts.link_to_business_partner(person.no, "Employee", "E1")

    assert linked.no == person.no
    assert crm.contacts.business_relation(person.no) is ContactBusinessRelation.EMPLOYEE


def test_contact_master_fields_are_copied(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 Current Master Fields = Contact; §2.6 end
    company = crm.contacts.create_company(name="Cronus Ltd.", city="London")

    crm.contacts.link_to_business_partner(
        company.no, "Customer", "C90000", contact_is_master=True
    )

    assert partners.record(CUSTOMER, "C90000")["city"] == "London"


def test_unlink_deletes_the_row(crm: rm.Crm) -> None:  # §2.9 Unlink
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    crm.contacts.create_customer(company.no)

    holder = crm.contacts.unlink_business_partner(person.no, "Customer")

    assert holder.no == company.no
    assert crm.contacts.get(company.no).business_relations == frozenset()
    assert crm.contacts.business_relation(person.no) is ContactBusinessRelation.NONE
    with pytest.raises(rm.NotFoundError):
        crm.contacts.unlink_business_partner(company.no, "Customer")


def test_the_default_workspace_has_a_directory() -> None:  # §2.9
    crm = rm.open()
    crm.setup.use_default_number_series()
    crm.setup.add_records([rm.BusinessRelation(code="CUST")])
    crm.setup.change(bus_rel_code_for_customers="CUST")
    company = crm.contacts.create_company(name="Cronus Ltd.")

    assert crm.partners.exists(CUSTOMER, crm.contacts.create_customer(company.no))


def test_a_service_without_a_directory_says_so() -> None:
    service = rm.ContactService(
        in_memory_uow_factory(), FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    )

    with pytest.raises(rm.ValidationError) as info:
        service.create_customer("CT1")

    assert info.value.field == "partners"
