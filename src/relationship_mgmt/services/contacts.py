"""Use cases for contacts: companies and persons (spec §2).

Each public method is one use case and one unit of work. The domain
(:mod:`relationship_mgmt.domain.contacts`) holds the rules; this module loads what
they need (setup, the company, the persons of a company, related-record facts),
runs them and stores the result.

Facts about areas that do not exist yet (interaction log entries, tasks,
opportunities, segment lines) come from :meth:`ContactService.related`, which answers
"none" until those areas arrive and extend it.
"""

from __future__ import annotations

import builtins
import copy
from collections.abc import Callable, Iterable
from datetime import date, datetime

import attrs

from relationship_mgmt.domain._fields import to_enum
from relationship_mgmt.domain.codes import CODE20, ContactNo, SalespersonCode, make_code
from relationship_mgmt.domain.contacts import (
    Address,
    AlternativeAddress,
    BusinessRelationLink,
    Contact,
    ContactBusinessRelation,
    ContactRelations,
    ContactType,
    LinkToTable,
    check_can_delete,
    derive_business_relation,
    ensure_usable,
    propagate_company_change,
)
from relationship_mgmt.domain.interactions import InteractionFilter
from relationship_mgmt.domain.setup import (
    CorrespondenceType,
    RelationshipSetup,
    SalutationFormula,
    SalutationType,
)
from relationship_mgmt.domain.tasks import TaskFilter
from relationship_mgmt.errors import (
    BusinessPartnerNotFoundError,
    ContactAlreadyLinkedError,
    NotFoundError,
    PartnerAlreadyLinkedError,
    ValidationError,
)
from relationship_mgmt.ports.business_partners import BusinessPartnerDirectory
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services._contact_store import (
    add_contact,
    remove_contact,
    update_contact,
)
from relationship_mgmt.services.campaigns import (
    convert_campaign_targets_to_customer,
    entry_target_pairs,
    refresh_campaign_targets,
)
from relationship_mgmt.services.numbering import assign_number

__all__ = ["ContactService"]

_MAX_NUMBER_TRIES = 1_000


def _contact_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="no"))


_SETUP_CODE_FIELDS = {
    LinkToTable.CUSTOMER: "bus_rel_code_for_customers",
    LinkToTable.VENDOR: "bus_rel_code_for_vendors",
    LinkToTable.BANK_ACCOUNT: "bus_rel_code_for_bank_accounts",
    LinkToTable.EMPLOYEE: "bus_rel_code_for_employees",
}
"""The Marketing Setup field holding the business relation code of each table."""


def _setup_code(setup: RelationshipSetup, table: LinkToTable) -> str:
    name = _SETUP_CODE_FIELDS[table]
    code: str | None = getattr(setup, name)
    if not code:
        raise ValidationError(
            name, None, "must be set in the Marketing Setup (§2.9 step 3)"
        )
    return code


def _skip_defaults(setup: RelationshipSetup) -> RelationshipSetup:
    """The setup without the insert defaults of §2.4 (BC's ``SetSkipDefault``)."""
    return attrs.evolve(
        setup,
        default_salesperson_code=None,
        default_territory_code=None,
        default_country_code=None,
        default_language_code=None,
        default_format_region="",
        default_company_salutation_code=None,
        default_person_salutation_code=None,
        default_correspondence_type=CorrespondenceType.BLANK,
    )


def _link_table(value: LinkToTable | str) -> LinkToTable:
    try:
        table = LinkToTable(value)
    except ValueError:
        table = LinkToTable.BLANK
    if table is LinkToTable.BLANK:
        allowed = ", ".join(repr(t.value) for t in LinkToTable if t.value)
        raise ValidationError("link_to_table", value, f"must be one of {allowed}")
    return table


class ContactService:
    """Create, change, link and delete contacts.

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: Tells the time (``last_modified``) and the work date (numbers).

    >>> import relationship_mgmt as rm
    >>> crm = rm.open()
    >>> crm.setup.use_default_number_series()
    >>> company = crm.contacts.create_company(name="Cronus Cardoxy Procurement")
    >>> person = crm.contacts.create_person(name="Jane Q Smith", company_no=company.no)
    >>> (company.no, person.no, person.company_name, person.surname)
    ('CT000001', 'CT000002', 'Cronus Cardoxy Procurement', 'Smith')
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        partners: BusinessPartnerDirectory | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._partners = partners

    # --- reading --------------------------------------------------------------------

    def get(self, no: str, *, follow_alias: bool = True) -> Contact:
        """Return one contact.

        Args:
            no: The contact number.
            follow_alias: A number merged away (§2.14) answers with the contact it
                was merged into (following later merges too); ``False`` looks the
                number up only.

        Raises:
            NotFoundError: No such contact.
            PersistenceError: The storage failed.
        """
        key = _contact_no(no)
        with self._uow_factory() as uow:
            try:
                return uow.contacts.get(key)
            except NotFoundError:
                survivor = uow.merges.resolve(key) if follow_alias else None
                if survivor is None:
                    raise
                return uow.contacts.get(survivor)

    def list(self) -> builtins.list[Contact]:
        """Return every contact in BC's list order (each company, then its persons).

        Raises:
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            return uow.contacts.find_all()

    def persons_of(self, company_no: str) -> builtins.list[Contact]:
        """Return the persons of a company, ordered by number.

        Raises:
            PersistenceError: The storage failed.
        """
        key = _contact_no(company_no)
        with self._uow_factory() as uow:
            return uow.contacts.persons_of(key)

    def search(self, text: str, *, limit: int | None = None) -> builtins.list[Contact]:
        """Find contacts whose name, search name, company name, e-mail or phone contains ``text``.

        The match ignores case; ``%`` and ``_`` are plain characters.

        Raises:
            ValidationError: ``text`` is blank.
            PersistenceError: The storage failed.
        """
        given: object = text  # callers without type checking may pass anything
        if not isinstance(given, str) or not given.strip():
            raise ValidationError("text", given, "must be a non-blank search text")
        with self._uow_factory() as uow:
            return uow.contacts.search(text.strip(), limit=limit)

    def lookup_company(self, text: str) -> builtins.list[Contact]:
        """BC's Company Name lookup: resolve typed text to a company (§2.16).

        The text is tried in BC's order, among company contacts: the exact No.;
        the exact Name, ignoring case; a Name starting with the text; then the text
        contained in No., Name, City, Phone No. or Post Code. The first step that
        finds anything answers.

        Returns:
            One company when the lookup resolves; several when BC would open the
            list to choose from (the matches of the first step that found any);
            none when nothing matches.

        Raises:
            ValidationError: ``text`` is blank.
            PersistenceError: The storage failed.

        >>> import relationship_mgmt as rm
        >>> crm = rm.open()
        >>> crm.setup.use_default_number_series()
        >>> _ = crm.contacts.create_company(name="Cronus Cardoxy Sales", city="Leeds")
        >>> _ = crm.contacts.create_company(name="Cronus Cardoxy Procurement")
        >>> [c.name for c in crm.contacts.lookup_company("cronus cardoxy sales")]
        ['Cronus Cardoxy Sales']
        >>> [c.no for c in crm.contacts.lookup_company("cronus")]
        ['CT000001', 'CT000002']
        >>> [c.name for c in crm.contacts.lookup_company("leeds")]
        ['Cronus Cardoxy Sales']
        """
        given: object = text
        if not isinstance(given, str) or not given.strip():
            raise ValidationError("text", given, "must be a non-blank search text")
        wanted = given.strip()
        folded = wanted.casefold()

        def companies(found: Iterable[Contact]) -> builtins.list[Contact]:
            return sorted(
                (c for c in found if c.type is ContactType.COMPANY),
                key=lambda c: c.no,
            )

        with self._uow_factory() as uow:
            if len(wanted) <= CODE20:
                by_no = uow.contacts.get_many([ContactNo(wanted.upper())])
                if companies(by_no.values()):
                    return companies(by_no.values())
            named = companies(uow.contacts.search(wanted))
            for step in (
                [c for c in named if c.name.casefold() == folded],
                [c for c in named if c.name.casefold().startswith(folded)],
            ):
                if step:
                    return step
            return [
                c
                for c in companies(uow.contacts.find_all())
                if any(
                    folded in value.casefold()
                    for value in (c.no, c.name, c.city, c.phone_no, c.post_code)
                )
            ]

    def related(self, uow: UnitOfWork, contact: Contact) -> ContactRelations:
        """Return the facts about related records the contact rules need (§2.3, §2.7).

        Persons, interaction log entries and tasks are known; opportunities and
        segment lines are added by their areas as they arrive.
        """
        has_persons = contact.type is ContactType.COMPANY and any(
            p.no != contact.no for p in uow.contacts.persons_of(contact.no)
        )
        entries = uow.interaction_log.find(
            InteractionFilter(
                contact_no=contact.no, contact_company_no=contact.company_no or ""
            ),
            limit=1,
        )
        tasks = uow.tasks.find(TaskFilter(contact_no=contact.no))
        return ContactRelations(
            has_persons=has_persons,
            has_interaction_log_entries=bool(entries),
            has_tasks=bool(tasks),
            has_open_tasks=any(not task.closed for task in tasks),
        )

    # --- creating -------------------------------------------------------------------

    def create_company(
        self, *, name: str, no: str | None = None, **fields: object
    ) -> Contact:
        """Create a company contact with BC's insert defaults (§2.4).

        Args:
            name: The company's name.
            no: A number typed by hand (the series must allow manual numbers); by
                default the next number of the setup's ``contact_nos`` series.
            **fields: Other contact fields.

        Returns:
            The stored contact.

        Raises:
            ValidationError: A refused value, or no number and no series.
            AlreadyExistsError: A typed number is taken.
            ManualNumbersNotAllowedError: The series refuses typed numbers.
            NumberSeriesError: The series is exhausted.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            number = self._new_number(uow, no)
            contact = Contact.create_company(
                no=number, name=name, now=now, setup=setup, **fields
            )
            _check_salesperson(uow, contact, None)
            add_contact(uow, contact, setup)
            uow.commit()
            return contact

    def create_person(
        self,
        *,
        name: str = "",
        company_no: str | None = None,
        no: str | None = None,
        **fields: object,
    ) -> Contact:
        """Create a person, optionally linked to a company whose data it inherits (§2.4, §2.6).

        Args:
            name: The full name, broken down into first, middle and surname (§2.5);
                or give ``first_name``/``middle_name``/``surname`` in ``fields``.
            company_no: The company to link to.
            no: A number typed by hand; by default the next of ``contact_nos``.
            **fields: Other contact fields.

        Raises:
            NotFoundError: No such company.
            CompanyLinkError: ``company_no`` is not a company.
            ValidationError: A refused value, or no number and no series.
            AlreadyExistsError: A typed number is taken.
            NumberSeriesError: The series refused to give a number.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            company = (
                None
                if company_no is None
                else uow.contacts.get(_contact_no(company_no))
            )
            number = self._new_number(uow, no)
            contact = Contact.create_person(
                no=number, name=name, now=now, setup=setup, company=company, **fields
            )
            _check_salesperson(uow, contact, None)
            add_contact(uow, contact, setup)
            uow.commit()
            return contact

    def _new_number(self, uow: UnitOfWork, no: str | None) -> str:
        setup = uow.setup.get()
        for _ in range(_MAX_NUMBER_TRIES):
            number = assign_number(
                uow,
                setup.contact_nos,
                manual_no=no,
                on=self._clock.workdate(),
                what="contact_nos",
            )
            # §2.1 field 1: the generator skips numbers that already exist.
            if no is not None or not uow.contacts.exists(ContactNo(number)):
                return number
        raise ValidationError(
            "contact_nos", setup.contact_nos, "every number tried exists"
        )

    # --- changing -------------------------------------------------------------------

    def change(self, no: str, /, **fields: object) -> Contact:
        """Change plain fields of a contact, all or nothing (§2.1, §2.5, §2.16).

        A company's change reaches its persons as BC's DoModify does (§2.6): a
        person takes a changed value only where it still held the company's old one.

        Raises:
            ValidationError: A refused value; nothing changed.
            NotFoundError: No such contact.
            ConcurrencyError: The contact changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            before = copy.deepcopy(contact)
            contact.edit(now=now, **fields)
            _check_salesperson(uow, contact, before.salesperson_code)
            update_contact(uow, contact)
            if contact.type is ContactType.COMPANY:
                self._propagate(uow, before, contact)
            uow.commit()
            return contact

    # --- alternative addresses (§2.11) --------------------------------------------------

    def add_alternative_address(self, no: str, code: str, **fields: object) -> Contact:
        """Add an alternative address (table 5051, §2.11).

        Args:
            no: The contact.
            code: The address's code (``Code[10]``).
            **fields: Fields of
                :class:`~relationship_mgmt.domain.contacts.AlternativeAddress`; the
                address block (``address``, ``address_2``, ``post_code``, ``city``,
                ``county``, ``country_code``) may be given flat.

        Raises:
            ValidationError: A refused value, or the code is taken.
            NotFoundError: No such contact.
        """
        address = _alternative_address(code, fields)
        return self._alternatives(
            no, lambda c, now: c.add_alternative_address(address, now=now)
        )

    def replace_alternative_address(
        self, no: str, code: str, **fields: object
    ) -> Contact:
        """Replace the alternative address ``code`` with the fields given (§2.11).

        Raises:
            ValidationError: A refused value.
            NotFoundError: No such contact or address.
        """
        address = _alternative_address(code, fields)
        return self._alternatives(
            no, lambda c, now: c.replace_alternative_address(address, now=now)
        )

    def remove_alternative_address(self, no: str, code: str) -> Contact:
        """Remove an alternative address and its date ranges (§2.11).

        Raises:
            NotFoundError: No such contact or address.
        """
        return self._alternatives(
            no, lambda c, now: c.remove_alternative_address(code, now=now)
        )

    def schedule_alternative_address(
        self, no: str, code: str, *, starting: date, ending: date | None = None
    ) -> Contact:
        """Use the alternative address ``code`` from ``starting`` to ``ending`` (§2.11).

        Raises:
            NotFoundError: No such contact or address.
            ValidationError: The starting date is taken, or ``ending`` is before it.
        """
        return self._alternatives(
            no,
            lambda c, now: c.schedule_alternative_address(
                code, starting=starting, ending=ending, now=now
            ),
        )

    def unschedule_alternative_address(self, no: str, starting: date) -> Contact:
        """Remove the date range starting on ``starting`` (§2.11).

        Raises:
            NotFoundError: No such contact or range.
        """
        return self._alternatives(
            no, lambda c, now: c.unschedule_alternative_address(starting, now=now)
        )

    def _alternatives(
        self, no: str, change: Callable[[Contact, datetime], None]
    ) -> Contact:
        now = self._clock.now()
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            change(contact, now)
            update_contact(uow, contact)
            uow.commit()
            return contact

    def rename(self, no: str, name: str) -> Contact:
        """Rename a contact (§2.5); a company's persons take the new company name.

        Raises:
            ValidationError: A refused name.
            NotFoundError: No such contact.
            ConcurrencyError: The contact changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        return self.change(no, name=name)

    def _propagate(self, uow: UnitOfWork, old: Contact, new: Contact) -> None:
        setup = uow.setup.get()
        now = self._clock.now()
        for person in uow.contacts.persons_of(new.no):
            if person.no != new.no and propagate_company_change(
                old, new, person, setup, now=now
            ):
                update_contact(uow, person, setup)

    def link_to_company(self, person_no: str, company_no: str) -> Contact:
        """Link a person to a company; it inherits the company's data (§2.6).

        Raises:
            CompanyLinkError: Not a person, not a company, or on an unlogged segment.
            NotFoundError: No such person or company.
            ConcurrencyError: The person changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            person = uow.contacts.get(_contact_no(person_no))
            company = uow.contacts.get(_contact_no(company_no))
            previous = (
                None
                if person.company_no is None
                else uow.contacts.get(person.company_no)
            )
            person.link_to_company(
                company,
                previous_company=previous,
                setup=uow.setup.get(),
                now=now,
                related=self.related(uow, person),
            )
            update_contact(uow, person)
            uow.commit()
            return person

    def unlink_from_company(self, person_no: str) -> Contact:
        """Take a person out of its company; inherited values stay (§2.6).

        Raises:
            CompanyLinkError: The contact is a company or on an unlogged segment.
            NotFoundError: No such person.
            ConcurrencyError: The person changed meanwhile; retry.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            person = uow.contacts.get(_contact_no(person_no))
            person.unlink_from_company(now=now, related=self.related(uow, person))
            update_contact(uow, person)
            uow.commit()
            return person

    def change_type(self, no: str, new_type: ContactType | str) -> Contact:
        """Make a contact a company or a person, as BC's TypeChange (§2.3).

        Raises:
            ContactTypeChangeError: A BC condition refused it (``.reason``).
            NotFoundError: No such contact.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            contact.change_type(
                to_enum(ContactType, "new_type", new_type),
                related=self.related(uow, contact),
                setup=uow.setup.get(),
                now=now,
            )
            update_contact(uow, contact)
            uow.commit()
            return contact

    # --- privacy (§2.15) --------------------------------------------------------------

    def block_privacy(self, no: str) -> Contact:
        """Block a contact for privacy reasons (§2.15)."""
        return self._privacy(no, "block_privacy")

    def unblock_privacy(self, no: str) -> Contact:
        """Lift a privacy block (§2.15).

        Raises:
            ParentalConsentRequiredError: The contact is a minor without consent.
        """
        return self._privacy(no, "unblock_privacy")

    def mark_minor(self, no: str) -> Contact:
        """Mark a contact as a minor; it becomes privacy blocked (§2.15)."""
        return self._privacy(no, "mark_minor")

    def mark_adult(self, no: str) -> Contact:
        """Clear the minor flag; a privacy block stays until lifted (§2.15)."""
        return self._privacy(no, "mark_adult")

    def record_parental_consent(self, no: str) -> Contact:
        """Record parental consent for a minor; unblocking stays explicit (§2.15)."""
        return self._privacy(no, "record_parental_consent")

    def withdraw_parental_consent(self, no: str) -> Contact:
        """Withdraw parental consent; a minor becomes privacy blocked again (§2.15)."""
        return self._privacy(no, "withdraw_parental_consent")

    def _privacy(self, no: str, verb: str) -> Contact:
        now = self._clock.now()
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            getattr(contact, verb)(now=now)
            update_contact(uow, contact)
            uow.commit()
            return contact

    # --- business relations (§2.8, §2.9) ---------------------------------------------

    @property
    def partners(self) -> BusinessPartnerDirectory:
        """The host's customers, vendors, bank accounts and employees.

        Raises:
            ValidationError: The service was built without a directory.
        """
        if self._partners is None:
            raise ValidationError(
                "partners", None, "no business partner directory was given"
            )
        return self._partners

    @staticmethod
    def _company_or_self(uow: UnitOfWork, contact: Contact) -> Contact:
        """The company of a person with a company; else the contact itself."""
        if contact.type is ContactType.PERSON and contact.company_no is not None:
            return uow.contacts.get(contact.company_no)
        return contact

    @staticmethod
    def _linked_contact(uow: UnitOfWork, table: LinkToTable, no: str) -> Contact | None:
        """The contact linked with (``table``, ``no``), if any (§2.8)."""
        holder = uow.contacts.linked_to(table, no)
        return None if holder is None else uow.contacts.get(holder)

    @staticmethod
    def _refuse_held(table: LinkToTable, *holders: Contact) -> None:
        for holder in holders:
            held = holder.business_partner_link(table)
            if held is not None:
                raise ContactAlreadyLinkedError(holder.no, table.value, held)

    def create_customer(self, contact_no: str, *, template: str | None = None) -> str:
        """Create a customer from a contact and link them (§2.9 steps 1-6, 9).

        A person with a company creates the customer for the company (step 2), so
        customers always hang off the company. The company's campaign target group
        rows of type Contact become rows of the new customer (step 8, §6.3). Quotes
        (step 7) are not part of this library.

        Args:
            contact_no: The contact.
            template: The customer template to apply; ``None`` lets the directory
                pick the unique matching one (step 9).

        Returns:
            The new customer No.

        Raises:
            ContactAlreadyLinkedError: The contact or its company already has a
                Customer relation (step 1).
            PrivacyBlockedError: The contact (or its company) is privacy blocked.
            ValidationError: Bus. Rel. Code for Customers is not set (``.field``
                ``"bus_rel_code_for_customers"``).
            NotFoundError: No such contact.
        """
        return self._create_partner(contact_no, LinkToTable.CUSTOMER, template)

    def create_vendor(self, contact_no: str, *, template: str | None = None) -> str:
        """Create a vendor from a contact and link its company (§2.9 Create as Vendor).

        Raises:
            ValidationError: The contact has no Company No. (``.field``
                ``"company_no"``), or Bus. Rel. Code for Vendors is not set.
            ContactAlreadyLinkedError: The company already has a Vendor relation.
            PrivacyBlockedError: The contact (or its company) is privacy blocked.
            NotFoundError: No such contact.
        """
        return self._create_partner(contact_no, LinkToTable.VENDOR, template)

    def create_bank_account(self, contact_no: str) -> str:
        """Create a bank account from a contact and link its company (§2.9).

        As BC's Create as Bank Account: Company No. must be set, the relation goes
        on the company contact, and no template is applied.

        Returns:
            The new bank account No.

        Raises:
            ValidationError: The contact has no Company No. (``.field``
                ``"company_no"``), or Bus. Rel. Code for Bank Accounts is not set
                (``"bus_rel_code_for_bank_accounts"``).
            ContactAlreadyLinkedError: The contact or its company already has a
                Bank Account relation.
            PrivacyBlockedError: The contact (or its company) is privacy blocked.
            NotFoundError: No such contact.

        >>> import relationship_mgmt as rm
        >>> crm = rm.open()
        >>> crm.setup.use_default_number_series()
        >>> crm.setup.add_records([rm.BusinessRelation(code="BANK")])
        >>> _ = crm.setup.change(bus_rel_code_for_bank_accounts="BANK")
        >>> bank = crm.contacts.create_company(name="World Wide Bank")
        >>> crm.contacts.create_bank_account(bank.no)
        'B00001'
        """
        return self._create_partner(contact_no, LinkToTable.BANK_ACCOUNT, None)

    def create_employee(self, contact_no: str, *, template: str | None = None) -> str:
        """Create an employee from a person contact and link them (§2.9).

        As BC's Create as Employee: persons only; the relation (Bus. Rel. Code for
        Employees, Employee, new No.) goes on the person itself, also when it
        belongs to a company.

        Args:
            contact_no: The person.
            template: The employee template to apply; ``None`` lets the directory
                pick the unique matching one (as §2.9 step 9).

        Returns:
            The new employee No.

        Raises:
            ValidationError: The contact is a company (``.field`` ``"type"``), or
                Bus. Rel. Code for Employees is not set
                (``"bus_rel_code_for_employees"``).
            ContactAlreadyLinkedError: The person already has an Employee relation.
            PrivacyBlockedError: The person is privacy blocked.
            NotFoundError: No such contact or template.

        >>> import relationship_mgmt as rm
        >>> crm = rm.open()
        >>> crm.setup.use_default_number_series()
        >>> crm.setup.add_records([rm.BusinessRelation(code="EMPL")])
        >>> _ = crm.setup.change(bus_rel_code_for_employees="EMPL")
        >>> ann = crm.contacts.create_person(name="Ann Lee")
        >>> no = crm.contacts.create_employee(ann.no)
        >>> (no, crm.partners.exists("Employee", no))
        ('E00001', True)
        """
        return self._create_partner(contact_no, LinkToTable.EMPLOYEE, template)

    def _create_partner(
        self, contact_no: str, table: LinkToTable, template: str | None
    ) -> str:
        self.partners  # noqa: B018 - refuse a service without a directory first
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(contact_no))
            no = self.create_partner_in(uow, contact, table, template)
            uow.commit()
            return no

    def create_partner_in(
        self,
        uow: UnitOfWork,
        contact: Contact,
        table: LinkToTable,
        template: str | None,
    ) -> str:
        """Create the partner of ``contact`` and link it, in ``uow`` (§2.9).

        What :meth:`create_customer` and its siblings do, inside another use case's
        unit of work (closing an opportunity as won, §5.5). The caller commits.

        Raises:
            As :meth:`create_customer`, :meth:`create_vendor`,
            :meth:`create_bank_account` and :meth:`create_employee`.
        """
        partners = self.partners
        now = self._clock.now()
        purpose = table.value.lower()
        setup = uow.setup.get()
        if table is LinkToTable.EMPLOYEE:
            if contact.type is not ContactType.PERSON:
                raise ValidationError(
                    "type", contact.type.value, "an employee is a person (§2.9)"
                )
            holder = contact
        else:
            if table is not LinkToTable.CUSTOMER and contact.company_no is None:
                raise ValidationError(
                    "company_no", None, f"must be set to create a {purpose} (§2.9)"
                )
            holder = self._company_or_self(uow, contact)
        self._refuse_held(table, contact, holder)
        ensure_usable(contact, purpose)
        ensure_usable(holder, purpose)
        code = _setup_code(setup, table)
        if table is LinkToTable.CUSTOMER:
            no = partners.create_customer(holder, template=template)
        elif table is LinkToTable.VENDOR:
            no = partners.create_vendor(holder, template=template)
        elif table is LinkToTable.BANK_ACCOUNT:
            no = partners.create_bank_account(holder)
        else:
            no = partners.create_employee(holder, template=template)
        holder.link_business_partner(
            BusinessRelationLink(code, table, no), setup=setup, now=now
        )
        update_contact(uow, holder)
        if table is LinkToTable.CUSTOMER:
            convert_campaign_targets_to_customer(uow, holder.no, no)
        return no

    def create_contacts_from_partners(
        self, link_to_table: LinkToTable | str
    ) -> builtins.list[Contact]:
        """Create a company contact for each partner that has none (§2.9 batch jobs).

        BC's *Create Contacts from Customers / Vendors / Bank Accounts*: every
        customer, vendor or bank account that no contact is linked with gets a new
        company contact, numbered from ``contact_nos``, with the partner's common
        fields (:class:`~relationship_mgmt.ports.business_partners.BusinessPartner`)
        and a relation (setup code for the table, table, partner No.). As BC's
        ``SetSkipDefault``, the setup's insert defaults (§2.4) are not applied. The
        whole batch is one unit of work: a refused value stores nothing.

        Args:
            link_to_table: ``"Customer"``, ``"Vendor"`` or ``"Bank Account"``.

        Returns:
            The new contacts, in partner No. order; empty when every partner
            already has a contact.

        Raises:
            ValidationError: ``"Employee"`` or a blank table (``.field``
                ``"link_to_table"``); the setup code for the table is not set; a
                partner's field is refused by the contact; no contact number series.
            NumberSeriesError: The series refused to give a number.
            PersistenceError: The storage failed.

        >>> import relationship_mgmt as rm
        >>> crm = rm.open()
        >>> crm.setup.use_default_number_series()
        >>> crm.setup.add_records([rm.BusinessRelation(code="VEND")])
        >>> _ = crm.setup.change(bus_rel_code_for_vendors="VEND")
        >>> crm.partners.add("Vendor", "V10", name="Fabrikam", city="Leeds")
        >>> [(c.no, c.name, c.city, c.business_partner_link("Vendor"))
        ...  for c in crm.contacts.create_contacts_from_partners("Vendor")]
        [('CT000001', 'Fabrikam', 'Leeds', 'V10')]
        >>> crm.contacts.create_contacts_from_partners("Vendor")
        []
        """
        table = _link_table(link_to_table)
        if table is LinkToTable.EMPLOYEE:
            raise ValidationError(
                "link_to_table",
                table.value,
                "contacts are created from customers, vendors and bank accounts"
                " only (§2.9)",
            )
        partners = self.partners
        now = self._clock.now()
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            code = _setup_code(setup, table)
            bare = _skip_defaults(setup)
            linked = {
                contact.business_partner_link(table)
                for contact in uow.contacts.find_all()
            }
            created: builtins.list[Contact] = []
            for partner in sorted(partners.partners(table), key=lambda p: p.no):
                if partner.no in linked:
                    continue
                fields = partner.contact_fields()
                del fields["name"]
                contact = Contact.create_company(
                    no=self._new_number(uow, None),
                    name=partner.name,
                    now=now,
                    setup=bare,
                    business_relations={BusinessRelationLink(code, table, partner.no)},
                    **fields,
                )
                add_contact(uow, contact, setup)
                linked.add(partner.no)
                created.append(contact)
            uow.commit()
            return created

    def link_to_business_partner(
        self,
        contact_no: str,
        link_to_table: LinkToTable | str,
        no: str,
        *,
        contact_is_master: bool = False,
    ) -> Contact:
        """Link a contact with an existing customer, vendor, bank account or employee.

        §2.8/§2.9 Link with existing: the relation (setup code, table, No.) goes on
        the company of a person with a company, except for employees, which link
        persons only. A placeholder row (same code, blank No.) is replaced.

        Args:
            contact_no: The contact.
            link_to_table: ``"Customer"``, ``"Vendor"``, ``"Bank Account"`` or
                ``"Employee"``.
            no: The partner's No.
            contact_is_master: BC's Current Master Fields = Contact: copy the
                contact's common fields to the partner.

        Returns:
            The contact that now holds the relation.

        Raises:
            BusinessPartnerNotFoundError: No such partner.
            PartnerAlreadyLinkedError: The partner is linked to another contact.
            ContactAlreadyLinkedError: The contact already has that Link to Table.
            ValidationError: The setup code is not set; an employee link for a
                company; a blank table or No.
            NotFoundError: No such contact.
        """
        table = _link_table(link_to_table)
        given: object = no  # callers without type checking may pass anything
        if not isinstance(given, str) or not given.strip():
            raise ValidationError("no", no, "must be a non-blank No.")
        link_no = make_code(no, max_length=CODE20, field="no")
        now = self._clock.now()
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            contact = uow.contacts.get(_contact_no(contact_no))
            if table is LinkToTable.EMPLOYEE:
                if contact.type is not ContactType.PERSON:
                    raise ValidationError(
                        "contact_no", contact.no, "an employee links a person (§2.9)"
                    )
                holder = contact
            else:
                holder = self._company_or_self(uow, contact)
            code = _setup_code(setup, table)
            if not self.partners.exists(table, link_no):
                raise BusinessPartnerNotFoundError(table.value, link_no)
            other = self._linked_contact(uow, table, link_no)
            if other is not None and other.no != holder.no:
                raise PartnerAlreadyLinkedError(table.value, link_no, other.no)
            holder.link_business_partner(
                BusinessRelationLink(code, table, link_no), setup=setup, now=now
            )
            update_contact(uow, holder)
            uow.commit()
        if contact_is_master:
            self.partners.update_from_contact(table, link_no, holder)
        return holder

    def unlink_business_partner(
        self, contact_no: str, link_to_table: LinkToTable | str
    ) -> Contact:
        """Delete the contact's relation row with ``link_to_table`` (§2.9 Unlink).

        For a person with a company, the company's row is deleted when the person
        holds none.

        Returns:
            The contact that held the relation.

        Raises:
            NotFoundError: Neither holds such a relation (``.kind``
                ``"business relation"``), or no such contact.
        """
        table = _link_table(link_to_table)
        now = self._clock.now()
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(contact_no))
            for holder in (contact, self._company_or_self(uow, contact)):
                if holder.unlink_business_partner(table, now=now) is not None:
                    update_contact(uow, holder)
                    uow.commit()
                    return holder
        raise NotFoundError("business relation", f"{contact.no} {table.value}")

    def business_relation(self, contact_no: str) -> ContactBusinessRelation:
        """Return the derived Contact Business Relation (§2.8).

        A person with a company counts the company's relations too.

        Raises:
            NotFoundError: No such contact.
        """
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            contact = uow.contacts.get(_contact_no(contact_no))
            company = self._company_or_self(uow, contact)
            rows = list(contact.business_relations)
            if company.no != contact.no:
                rows += company.business_relations
            return derive_business_relation(rows, setup)

    # --- salutation (§2.10) -----------------------------------------------------------

    def salutation(
        self,
        no: str,
        kind: SalutationType | str = SalutationType.FORMAL,
        language: str = "",
    ) -> str:
        """Return the contact's salutation for a kind and language (§2.10).

        Raises:
            SalutationFormulaNotFoundError: No formula for the contact's salutation
                code, ``language`` and ``kind``.
            NotFoundError: No such contact.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            formulas: Iterable[SalutationFormula] = uow.code_tables.find_all(
                SalutationFormula
            )
            return contact.salutation(
                to_enum(SalutationType, "kind", kind), language, formulas
            )

    # --- deleting (§2.7) --------------------------------------------------------------

    def delete(self, no: str) -> None:
        """Delete a contact with BC's cascade (§2.7).

        A company takes its persons with it; a contact's profile answers go too.
        Interaction log entries and tasks stay: a person's are re-pointed to its
        company (Contact No. := Company No.), a company's (its persons' included)
        lose both contact numbers. Opportunities and segment lines follow in their
        own areas.

        Raises:
            ContactDeletionError: Open tasks, unlogged segment lines or active
                opportunities refuse it (``.reason``).
            NotFoundError: No such contact.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            check_can_delete(contact, self.related(uow, contact))
            targets: set[tuple[str | None, str | None]] = set()
            if contact.type is ContactType.COMPANY:
                for person in uow.contacts.persons_of(contact.no):
                    if person.no != contact.no:
                        check_can_delete(person, self.related(uow, person))
                        self._remove(uow, person.no)
                targets = _unlink_entries(
                    uow, InteractionFilter(contact_company_no=contact.no)
                )
                _unlink_tasks(uow, TaskFilter(contact_company_no=contact.no))
            else:
                _repoint_entries_to_company(uow, contact)
                _repoint_tasks_to_company(uow, contact)
            self._remove(uow, contact.no)
            # §6.3: the company's entries no longer target its campaigns
            refresh_campaign_targets(uow, targets)
            uow.commit()

    @staticmethod
    def _remove(uow: UnitOfWork, no: ContactNo) -> None:
        for answer in uow.contact_profile_answers.find_by_contact(no):
            uow.contact_profile_answers.remove(
                answer.contact_no, answer.questionnaire_code, answer.line_no
            )
        remove_contact(uow, no)


def _repoint_entries_to_company(uow: UnitOfWork, person: Contact) -> None:
    """§2.7: a deleted person's interaction log entries move to its company."""
    company = person.company_no
    for entry in uow.interaction_log.find(InteractionFilter(contact_no=person.no)):
        uow.interaction_log.update(
            entry.reassign_contact(contact_no=company, contact_company_no=company)
        )


def _unlink_entries(
    uow: UnitOfWork, where: InteractionFilter
) -> set[tuple[str | None, str | None]]:
    """§2.7: a deleted company's entries keep no contact number.

    Returns:
        The (campaign, company) pairs the entries targeted (§6.3).
    """
    entries = uow.interaction_log.find(where)
    for entry in entries:
        uow.interaction_log.update(
            entry.reassign_contact(contact_no=None, contact_company_no=None)
        )
    return entry_target_pairs(entries)


_ADDRESS_FIELDS = frozenset(a.name for a in attrs.fields(Address))


def _alternative_address(code: str, fields: dict[str, object]) -> AlternativeAddress:
    """An alternative address from flat fields (the address block split out)."""
    block = {k: fields.pop(k) for k in list(fields) if k in _ADDRESS_FIELDS}
    return AlternativeAddress(
        code=code,
        address=Address(**block),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def _repoint_tasks_to_company(uow: UnitOfWork, person: Contact) -> None:
    """§2.7: a deleted person's tasks move to its company."""
    company = person.company_no
    for task in uow.tasks.find(TaskFilter(contact_no=person.no)):
        task.change_contact(company, contact_company_no=company)
        uow.tasks.update(task)


def _unlink_tasks(uow: UnitOfWork, where: TaskFilter) -> None:
    """§2.7: a deleted company's tasks keep no contact number."""
    for task in uow.tasks.find(where):
        task.change_contact(None)
        uow.tasks.update(task)


def _check_salesperson(uow: UnitOfWork, contact: Contact, before: str | None) -> None:
    """§8: a blocked or privacy-blocked salesperson cannot be put on a contact.

    Only a salesperson newly put on the contact is checked, and only one that is
    stored: contacts may carry codes of salespeople kept outside the library.
    """
    code = contact.salesperson_code
    if code is None or code == before:
        return
    key = SalespersonCode(code)
    if uow.salespeople.exists(key):
        uow.salespeople.get(key).ensure_assignable("contact")
