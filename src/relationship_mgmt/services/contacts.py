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
from collections.abc import Iterable

from relationship_mgmt.domain.codes import CODE20, ContactNo, make_code
from relationship_mgmt.domain.contacts import (
    Contact,
    ContactRelations,
    ContactType,
    check_can_delete,
    propagate_company_change,
)
from relationship_mgmt.domain.setup import SalutationFormula, SalutationType
from relationship_mgmt.errors import NotFoundError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.numbering import assign_number

__all__ = ["ContactService"]

_MAX_NUMBER_TRIES = 1_000


def _contact_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="no"))


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

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

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

    def related(self, uow: UnitOfWork, contact: Contact) -> ContactRelations:
        """Return the facts about related records the contact rules need (§2.3, §2.7).

        Persons of a company are known now; interaction log entries, tasks,
        opportunities and segment lines are added by their areas as they arrive.
        """
        has_persons = contact.type is ContactType.COMPANY and any(
            p.no != contact.no for p in uow.contacts.persons_of(contact.no)
        )
        return ContactRelations(has_persons=has_persons)

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
            uow.contacts.add(contact)
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
            uow.contacts.add(contact)
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
            uow.contacts.update(contact)
            if contact.type is ContactType.COMPANY:
                self._propagate(uow, before, contact)
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
                uow.contacts.update(person)

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
            uow.contacts.update(person)
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
            uow.contacts.update(person)
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
                ContactType(new_type),
                related=self.related(uow, contact),
                setup=uow.setup.get(),
                now=now,
            )
            uow.contacts.update(contact)
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
            uow.contacts.update(contact)
            uow.commit()
            return contact

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
            return contact.salutation(SalutationType(kind), language, formulas)

    # --- deleting (§2.7) --------------------------------------------------------------

    def delete(self, no: str) -> None:
        """Delete a contact with BC's cascade (§2.7).

        A company takes its persons with it; a contact's profile answers go too.
        Entries of later areas (interactions, opportunities, tasks) are re-pointed
        or unlinked by those areas' hooks, never deleted.

        Raises:
            ContactDeletionError: Open tasks, unlogged segment lines or active
                opportunities refuse it (``.reason``).
            NotFoundError: No such contact.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            contact = uow.contacts.get(_contact_no(no))
            check_can_delete(contact, self.related(uow, contact))
            if contact.type is ContactType.COMPANY:
                for person in uow.contacts.persons_of(contact.no):
                    if person.no != contact.no:
                        check_can_delete(person, self.related(uow, person))
                        self._remove(uow, person.no)
            self._remove(uow, contact.no)
            uow.commit()

    @staticmethod
    def _remove(uow: UnitOfWork, no: ContactNo) -> None:
        for answer in uow.contact_profile_answers.find_by_contact(no):
            uow.contact_profile_answers.remove(
                answer.contact_no, answer.questionnaire_code, answer.line_no
            )
        uow.contacts.remove(no)
