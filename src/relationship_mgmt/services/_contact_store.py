"""Write contacts together with their duplicate index keys (§2.14).

Every service that stores a contact goes through these three functions, so the
stored duplicate index (:class:`~relationship_mgmt.ports.DuplicateKeyRepository`)
changes in the same unit of work as the contact it describes. The ``default``
keys are always kept; BC's search strings while *Maintain Dupl. Search Strings*
is on (§1.1, §2.14). Unlike BC, which recomputes a company's strings only when one
of eight fields changes, the strings are recomputed on every write, so they never
describe values the contact no longer has.
"""

from __future__ import annotations

from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.duplicates import DuplicateMethod, index_keys
from relationship_mgmt.domain.merging import duplicate_record
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.ports.unit_of_work import UnitOfWork

__all__ = ["add_contact", "index_contact", "remove_contact", "update_contact"]


def index_contact(
    uow: UnitOfWork, contact: Contact, setup: RelationshipSetup | None = None
) -> None:
    """Store the contact's duplicate index keys (the contact itself is not written)."""
    record = duplicate_record(contact)
    no = ContactNo(contact.no)
    keys = uow.duplicate_keys
    keys.replace(
        DuplicateMethod.DEFAULT, no, index_keys(record, DuplicateMethod.DEFAULT)
    )
    if (setup or uow.setup.get()).maintain_dupl_search_strings:
        keys.replace(DuplicateMethod.BC, no, index_keys(record, DuplicateMethod.BC))


def add_contact(
    uow: UnitOfWork, contact: Contact, setup: RelationshipSetup | None = None
) -> None:
    """Store a new contact and its index keys."""
    uow.contacts.add(contact)
    index_contact(uow, contact, setup)


def update_contact(
    uow: UnitOfWork, contact: Contact, setup: RelationshipSetup | None = None
) -> None:
    """Write back a contact and its index keys."""
    uow.contacts.update(contact)
    index_contact(uow, contact, setup)


def remove_contact(uow: UnitOfWork, no: ContactNo) -> None:
    """Delete a contact and its index keys."""
    uow.contacts.remove(no)
    uow.duplicate_keys.remove(no)
