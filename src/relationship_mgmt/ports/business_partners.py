"""The host's customers, vendors, bank accounts and employees (spec §2.8, §2.9).

The library does not own these tables; a host application (an ERP) does. The
:class:`BusinessPartnerDirectory` port is what the contact services need of them:
create a customer or vendor from a contact (§2.9), check that a No. exists before a
contact is linked with it, and copy the contact's common fields to the linked
record (BC's CustVendBank-Update, end of §2.6). Which contact is linked with which
record is the library's own data (the contact's business relation rows, §2.8).
"""

from __future__ import annotations

from typing import Protocol

from relationship_mgmt.domain.contacts import Contact, LinkToTable

__all__ = ["BusinessPartnerDirectory"]


class BusinessPartnerDirectory(Protocol):
    """Customers, vendors, bank accounts and employees as the library sees them."""

    def create_customer(self, contact: Contact, *, template: str | None) -> str:
        """Create a customer from a company (or standalone person) contact (§2.9).

        The customer takes ``Contact Type`` from the contact, its common fields
        (§2.6), for a company its Company Name, and then the template: the one
        named, else the unique template matching contact type, territory,
        country/region and currency (§2.9 step 9).

        Returns:
            The new customer No.

        Raises:
            NotFoundError: ``template`` names no customer template.
            ValidationError: No template is named and several match.
        """
        ...

    def create_vendor(self, contact: Contact, *, template: str | None) -> str:
        """Create a vendor from a company contact (§2.9); return its No."""
        ...

    def exists(self, link_to_table: LinkToTable, no: str) -> bool:
        """Return whether the customer, vendor, bank account or employee exists."""
        ...

    def update_from_contact(
        self, link_to_table: LinkToTable, no: str, contact: Contact
    ) -> None:
        """Copy the contact's common fields to the linked record (§2.6 end)."""
        ...
