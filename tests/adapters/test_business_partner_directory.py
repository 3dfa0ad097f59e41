"""The in-memory business partner directory and the one-contact-per-link rule (§2.8, §2.9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from relationship_mgmt.adapters.business_partners import (
    InMemoryBusinessPartnerDirectory,
    PartnerTemplate,
)
from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.domain.contacts import BusinessRelationLink, Contact, LinkToTable
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import (
    IntegrityViolationError,
    NotFoundError,
    ValidationError,
)
from relationship_mgmt.ports import BusinessPartnerDirectory, UnitOfWorkFactory
from relationship_mgmt.ports.business_partners import BusinessPartner

NOW = datetime(2026, 11, 27, tzinfo=UTC)
SETUP = RelationshipSetup()


def company(no: str = "CT1", **fields: object) -> Contact:
    return Contact.create_company(no=no, name="Cronus", now=NOW, setup=SETUP, **fields)


def person(no: str = "CT9", **fields: object) -> Contact:
    return Contact.create_person(
        no=no, name="Ann B Lee", now=NOW, setup=SETUP, company=None, **fields
    )


def test_it_keeps_the_port() -> None:
    directory: BusinessPartnerDirectory = InMemoryBusinessPartnerDirectory()
    assert not directory.exists(LinkToTable.CUSTOMER, "C1")
    assert directory.partners(LinkToTable.CUSTOMER) == []


def test_customers_take_the_contacts_fields() -> None:  # §2.9 steps 4, 6
    directory = InMemoryBusinessPartnerDirectory()
    no = directory.create_customer(company(city="London"), template=None)

    record = directory.record(LinkToTable.CUSTOMER, no)
    assert (no, record["name"], record["city"], record["template"]) == (
        "C00001",
        "Cronus",
        "London",
        None,
    )
    assert directory.exists(LinkToTable.CUSTOMER, no)


def test_a_unique_template_match_is_applied() -> None:  # §2.9 step 9
    directory = InMemoryBusinessPartnerDirectory()
    directory.add_customer_template(
        PartnerTemplate(code="north", contact_type="Company", territory_code="north")
    )
    directory.add_customer_template(PartnerTemplate(code="pers", contact_type="Person"))

    matched = directory.create_customer(company(territory_code="NORTH"), template=None)
    unmatched = directory.create_customer(company("CT2"), template=None)

    assert directory.record("Customer", matched)["template"] == "NORTH"
    assert directory.record("Customer", unmatched)["template"] is None


def test_an_ambiguous_or_unknown_template_is_refused() -> None:  # §2.9 step 9
    directory = InMemoryBusinessPartnerDirectory()
    directory.add_vendor_template(PartnerTemplate(code="A"))
    directory.add_vendor_template(PartnerTemplate(code="B"))

    with pytest.raises(ValidationError):
        directory.create_vendor(company(), template=None)
    with pytest.raises(NotFoundError):
        directory.create_vendor(company(), template="C")
    assert directory.create_vendor(company(), template="b").startswith("V")


def test_bank_accounts_take_no_template() -> None:  # §2.9 Create as Bank Account
    directory = InMemoryBusinessPartnerDirectory()
    directory.add_customer_template(PartnerTemplate(code="ANY"))

    no = directory.create_bank_account(company(city="London"))

    record = directory.record(LinkToTable.BANK_ACCOUNT, no)
    assert (no, record["name"], record["city"], record["template"]) == (
        "B00001",
        "Cronus",
        "London",
        None,
    )


def test_employees_take_the_persons_name_parts() -> None:  # §2.9; §2.6 end (Employee)
    directory = InMemoryBusinessPartnerDirectory()

    no = directory.create_employee(person(job_title="Buyer", pager="77"), template=None)

    record = directory.record(LinkToTable.EMPLOYEE, no)
    assert (no, record["first_name"], record["middle_name"], record["surname"]) == (
        "E00001",
        "Ann",
        "B",
        "Lee",
    )
    assert (record["name"], record["job_title"], record["pager"]) == (
        "Ann B Lee",
        "Buyer",
        "77",
    )
    assert (record["contact_type"], record["template"]) == ("Person", None)


def test_employee_templates_are_chosen_as_customer_ones() -> None:  # §2.9 step 9
    directory = InMemoryBusinessPartnerDirectory()
    directory.add_employee_template(
        PartnerTemplate(code="STAFF", contact_type="Person")
    )
    directory.add_customer_template(PartnerTemplate(code="CUST"))

    no = directory.create_employee(person(), template=None)
    assert directory.record("Employee", no)["template"] == "STAFF"
    directory.add_employee_template(PartnerTemplate(code="ALL"))
    with pytest.raises(ValidationError):
        directory.create_employee(person(), template=None)
    with pytest.raises(NotFoundError):
        directory.create_employee(person(), template="CUST")
    assert directory.create_employee(person(), template="all") == "E00002"


def test_partners_lists_one_table_by_no_with_its_common_fields() -> None:  # §2.9
    directory = InMemoryBusinessPartnerDirectory()
    directory.add("Customer", "C2", name="Fabrikam", city="Leeds", balance=5)
    directory.add("Customer", "C1", name="Litware", country_code="", phone_no=None)
    directory.add("Vendor", "V1", name="Not a customer")

    listed = directory.partners(LinkToTable.CUSTOMER)

    assert listed == [
        BusinessPartner(no="C1", name="Litware"),
        BusinessPartner(no="C2", name="Fabrikam", city="Leeds"),
    ]
    assert (listed[0].country_code, listed[0].phone_no) == (None, "")
    assert directory.partners(LinkToTable.BANK_ACCOUNT) == []


def test_a_created_partner_lists_the_contacts_fields() -> None:  # §2.6 end, §2.9
    directory = InMemoryBusinessPartnerDirectory()
    contact = company(city="Paris", country_code="FR", phone_no="+33 1")
    no = directory.create_vendor(contact, template=None)

    (listed,) = directory.partners(LinkToTable.VENDOR)

    assert listed.no == no
    assert listed.contact_fields() == {
        name: getattr(contact, name) for name in listed.contact_fields()
    }


def test_update_from_contact_copies_common_fields() -> None:  # §2.6 end
    directory = InMemoryBusinessPartnerDirectory()
    directory.add("Vendor", "V9", name="Old")

    directory.update_from_contact(LinkToTable.VENDOR, "V9", company(city="Paris"))

    assert directory.record("Vendor", "V9")["city"] == "Paris"
    with pytest.raises(NotFoundError):
        directory.update_from_contact(LinkToTable.VENDOR, "V0", company())


def test_storage_links_a_partner_to_one_contact(
    uow_factory: UnitOfWorkFactory,
) -> None:  # §2.8: the target must not be linked to another contact
    link = BusinessRelationLink("CUST", LinkToTable.CUSTOMER, "C1")
    with uow_factory() as uow:
        uow.contacts.add(company("CT1", business_relations={link}))
        uow.commit()

    def add_second() -> None:
        with uow_factory() as uow:
            uow.contacts.add(company("CT2", business_relations={link}))
            uow.commit()

    with pytest.raises(IntegrityViolationError):
        add_second()

    with uow_factory() as uow:  # a blank No. is not unique
        uow.contacts.add(company("CT3", business_relations={"CUST"}))
        uow.contacts.add(company("CT4", business_relations={"CUST"}))
        uow.commit()


@pytest.fixture(params=["memory", "sqlite"])
def uow_factory(request: pytest.FixtureRequest) -> Iterator[UnitOfWorkFactory]:
    if request.param == "memory":
        yield in_memory_uow_factory()
        return
    from relationship_mgmt.adapters.sql import open_database

    database = open_database("sqlite://")
    yield database.unit_of_work
    database.dispose()
