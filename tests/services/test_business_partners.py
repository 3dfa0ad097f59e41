"""Business relations and the customer/vendor/bank/employee links (spec §2.8, §2.9)."""

from __future__ import annotations

from collections.abc import Iterator
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
    ContactType,
    LinkToTable,
)
from relationship_mgmt.testing import FrozenClock

CUSTOMER = LinkToTable.CUSTOMER
VENDOR = LinkToTable.VENDOR
BANK = LinkToTable.BANK_ACCOUNT
EMPLOYEE = LinkToTable.EMPLOYEE


@pytest.fixture
def partners() -> InMemoryBusinessPartnerDirectory:
    directory = InMemoryBusinessPartnerDirectory()
    directory.add(CUSTOMER, "C90000", name="Existing customer")
    directory.add(LinkToTable.BANK_ACCOUNT, "B1", name="Bank")
    directory.add(LinkToTable.EMPLOYEE, "E1", name="Employee")
    return directory


@pytest.fixture(params=["memory", "sqlite"])
def crm(
    request: pytest.FixtureRequest, partners: InMemoryBusinessPartnerDirectory
) -> Iterator[rm.Crm]:
    clock = FrozenClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    if request.param == "memory":
        crm = rm.Crm(
            uow_factory=in_memory_uow_factory(), clock=clock, partners=partners
        )
    else:
        from relationship_mgmt.adapters.sql import open_database

        database = open_database("sqlite://")
        crm = rm.Crm(
            uow_factory=database.unit_of_work,
            clock=clock,
            partners=partners,
            on_close=database.dispose,
        )
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
    yield crm
    crm.close()


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


def test_create_bank_account_links_the_company(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 Create as Bank Account: on the company, no template
    company = crm.contacts.create_company(name="World Wide Bank", city="London")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)

    no = crm.contacts.create_bank_account(person.no)

    assert crm.contacts.get(person.no).business_relations == frozenset()
    assert crm.contacts.get(company.no).business_relations == {
        BusinessRelationLink("BANK", BANK, no)
    }
    record = partners.record(BANK, no)
    assert (record["name"], record["city"], record["template"]) == (
        "World Wide Bank",
        "London",
        None,
    )
    assert crm.contacts.business_relation(person.no) is (
        ContactBusinessRelation.BANK_ACCOUNT
    )


def test_create_bank_account_needs_a_company(crm: rm.Crm) -> None:  # §2.9
    alone = crm.contacts.create_person(name="Bo Li")

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_bank_account(alone.no)

    assert info.value.field == "company_no"


def test_a_second_bank_account_is_refused(crm: rm.Crm) -> None:  # §2.9, §2.8 insert
    company = crm.contacts.create_company(name="World Wide Bank")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    crm.contacts.link_to_business_partner(company.no, "Bank Account", "B1")

    for contact_no in (company.no, person.no):
        with pytest.raises(rm.ContactAlreadyLinkedError) as info:
            crm.contacts.create_bank_account(contact_no)
        assert (info.value.contact_no, info.value.link_to_table, info.value.no) == (
            company.no,
            "Bank Account",
            "B1",
        )


def test_create_employee_links_the_person(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 Create as Employee: relation type Employee on the person
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(
        name="Ann B Lee", company_no=company.no, job_title="Buyer"
    )

    no = crm.contacts.create_employee(person.no)

    assert crm.contacts.get(person.no).business_relations == {
        BusinessRelationLink("EMPL", EMPLOYEE, no)
    }
    assert crm.contacts.get(company.no).business_relations == frozenset()
    record = partners.record(EMPLOYEE, no)
    assert (
        record["first_name"],
        record["middle_name"],
        record["surname"],
        record["job_title"],
        record["contact_type"],
    ) == ("Ann", "B", "Lee", "Buyer", "Person")
    assert crm.contacts.business_relation(person.no) is ContactBusinessRelation.EMPLOYEE


def test_employee_templates_are_chosen_like_customer_templates(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 Create as Employee "uses employee templates"; step 9
    partners.add_employee_template(PartnerTemplate(code="STAFF", contact_type="Person"))
    partners.add_employee_template(PartnerTemplate(code="BOARD", territory_code="X"))
    ann = crm.contacts.create_person(name="Ann Lee")
    bo = crm.contacts.create_person(name="Bo Li", territory_code="X")

    no = crm.contacts.create_employee(ann.no)
    assert partners.record(EMPLOYEE, no)["template"] == "STAFF"
    with pytest.raises(rm.ValidationError) as info:  # STAFF and BOARD both match
        crm.contacts.create_employee(bo.no)
    assert info.value.field == "template"
    with pytest.raises(rm.NotFoundError):
        crm.contacts.create_employee(bo.no, template="NOPE")
    no = crm.contacts.create_employee(bo.no, template="board")
    assert partners.record(EMPLOYEE, no)["template"] == "BOARD"


def test_a_company_is_not_an_employee(crm: rm.Crm) -> None:  # §2.9 "Person only"
    company = crm.contacts.create_company(name="Cronus Ltd.")

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_employee(company.no)

    assert info.value.field == "type"
    assert crm.contacts.get(company.no).business_relations == frozenset()


def test_a_second_employee_is_refused(crm: rm.Crm) -> None:  # §2.9 step 1, §2.8
    person = crm.contacts.create_person(name="Ann Lee")
    crm.contacts.link_to_business_partner(person.no, "Employee", "E1")

    with pytest.raises(rm.ContactAlreadyLinkedError) as info:
        crm.contacts.create_employee(person.no)

    assert (info.value.contact_no, info.value.link_to_table, info.value.no) == (
        person.no,
        "Employee",
        "E1",
    )


@pytest.mark.parametrize(
    ("method", "field"),
    [
        ("create_customer", "bus_rel_code_for_customers"),
        ("create_vendor", "bus_rel_code_for_vendors"),
        ("create_bank_account", "bus_rel_code_for_bank_accounts"),
        ("create_employee", "bus_rel_code_for_employees"),
    ],
)
def test_the_setup_code_must_be_set(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory, method: str, field: str
) -> None:  # §2.9 step 3 and its Vendor/Bank/Employee counterparts
    crm.setup.change(**{field: None})
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)

    with pytest.raises(rm.ValidationError) as info:
        getattr(crm.contacts, method)(person.no)

    assert info.value.field == field
    assert {
        t: len(partners.partners(t)) for t in (CUSTOMER, VENDOR, BANK, EMPLOYEE)
    } == {
        CUSTOMER: 1,
        VENDOR: 0,
        BANK: 1,
        EMPLOYEE: 1,
    }  # nothing was created


@pytest.mark.parametrize(
    ("method", "blocked"),
    [
        ("create_vendor", "company"),
        ("create_bank_account", "company"),
        ("create_bank_account", "person"),
        ("create_employee", "person"),
    ],
)
def test_a_privacy_blocked_contact_gets_no_partner(
    crm: rm.Crm, method: str, blocked: str
) -> None:  # §2.9 step 3 (privacy, §2.15) for the other tables
    company = crm.contacts.create_company(name="Cronus Ltd.")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    crm.contacts.block_privacy(company.no if blocked == "company" else person.no)

    with pytest.raises(rm.PrivacyBlockedError):
        getattr(crm.contacts, method)(person.no)


def test_contacts_are_created_for_partners_without_one(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 Create Contacts from Customers
    partners.add(
        CUSTOMER,
        "C10000",
        name="The Cannon Group PLC",
        address="192 Market Square",
        city="Birmingham",
        post_code="B27 4KT",
        country_code="GB",
        phone_no="0121 555",
        email="info@cannon.example",
        currency_code="",
        balance=100,  # not a common field: ignored
    )
    partners.add(CUSTOMER, "C20000", name="Selangorian Ltd.")
    linked = crm.contacts.create_company(name="Selangorian")
    crm.contacts.link_to_business_partner(linked.no, "Customer", "C20000")

    created = crm.contacts.create_contacts_from_partners("Customer")

    assert [c.business_partner_link(CUSTOMER) for c in created] == ["C10000", "C90000"]
    cannon = crm.contacts.get(created[0].no)
    assert cannon == created[0]
    assert (cannon.type, cannon.company_no, cannon.company_name) == (
        ContactType.COMPANY,
        cannon.no,
        "The Cannon Group PLC",
    )
    assert (
        cannon.address,
        cannon.city,
        cannon.post_code,
        cannon.country_code,
        cannon.phone_no,
        cannon.email,
        cannon.currency_code,
    ) == (
        "192 Market Square",
        "Birmingham",
        "B27 4KT",
        "GB",
        "0121 555",
        "info@cannon.example",
        None,
    )
    assert cannon.business_relations == {
        BusinessRelationLink("CUST", CUSTOMER, "C10000")
    }
    assert crm.contacts.business_relation(cannon.no) is (
        ContactBusinessRelation.CUSTOMER
    )
    assert crm.contacts.create_contacts_from_partners(CUSTOMER) == []
    assert len(crm.contacts.list()) == 3


def test_vendors_and_bank_accounts_get_contacts_too(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 Create Contacts from Vendors / Bank Accounts
    partners.add(VENDOR, "V2", name="Fabrikam")
    partners.add(VENDOR, "V1", name="Litware")

    vendors = crm.contacts.create_contacts_from_partners("Vendor")
    banks = crm.contacts.create_contacts_from_partners("Bank Account")

    assert [(c.name, sorted(c.business_relations)) for c in vendors + banks] == [
        ("Litware", [BusinessRelationLink("VEND", VENDOR, "V1")]),
        ("Fabrikam", [BusinessRelationLink("VEND", VENDOR, "V2")]),
        ("Bank", [BusinessRelationLink("BANK", BANK, "B1")]),
    ]
    assert [c.no for c in vendors + banks] == ["CT000001", "CT000002", "CT000003"]


def test_the_batch_skips_the_insert_defaults(
    crm: rm.Crm,
) -> None:  # §2.4 step 2: "skip defaults" for contacts made from partners
    crm.setup.change(default_country_code="GB", default_correspondence_type="Email")

    (created,) = crm.contacts.create_contacts_from_partners("Bank Account")

    assert (created.country_code, created.correspondence_type) == (None, "")


def test_employees_are_not_part_of_the_batch(crm: rm.Crm) -> None:  # §2.9 batch jobs
    for table in ("Employee", ""):
        with pytest.raises(rm.ValidationError) as info:
            crm.contacts.create_contacts_from_partners(table)
        assert info.value.field == "link_to_table"
    assert crm.contacts.list() == []


def test_the_batch_needs_the_setup_code(crm: rm.Crm) -> None:  # §2.9 batch jobs
    crm.setup.change(bus_rel_code_for_customers=None)

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_contacts_from_partners("Customer")

    assert info.value.field == "bus_rel_code_for_customers"
    assert crm.contacts.list() == []


def test_the_batch_is_one_unit_of_work(
    crm: rm.Crm, partners: InMemoryBusinessPartnerDirectory
) -> None:  # §2.9 batch; §2.16 no letters in Phone No.
    partners.add(CUSTOMER, "C99999", name="Bad", phone_no="CALL ME")

    with pytest.raises(rm.ValidationError) as info:
        crm.contacts.create_contacts_from_partners("Customer")

    assert info.value.field == "phone_no"
    assert crm.contacts.list() == []


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
