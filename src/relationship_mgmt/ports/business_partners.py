"""The host's customers, vendors, bank accounts and employees (spec §2.8, §2.9).

The library does not own these tables; a host application (an ERP) does. The
:class:`BusinessPartnerDirectory` port is what the contact services need of them:
create a customer, vendor, bank account or employee from a contact (§2.9), list
the records with their common fields (the *Create Contacts from ...* batch jobs,
end of §2.9), check that a No. exists before a contact is linked with it, and copy
the contact's common fields to the linked record (BC's CustVendBank-Update, end of
§2.6). Which contact is linked with which record is the library's own data (the
contact's business relation rows, §2.8).

>>> cronus = BusinessPartner(no="C1", name="Cronus", city="London", country_code="")
>>> (cronus.no, cronus.country_code, cronus.contact_fields()["city"])
('C1', None, 'London')
"""

from __future__ import annotations

from typing import Protocol

import attrs
from attrs import field, frozen

from relationship_mgmt.domain.contacts import Contact, LinkToTable

__all__ = ["BusinessPartner", "BusinessPartnerDirectory"]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _optional_text(value: object) -> str | None:
    text = _text(value).strip()
    return text or None


@frozen(kw_only=True)
class BusinessPartner:
    """A customer, vendor, bank account or employee with its common fields (§2.6).

    The fields are the ones a contact shares with the record (BC's same-numbered
    fields, which TransferFields copies both ways). Texts are plain strings; codes
    are ``None`` when blank. Values are checked when they reach a contact.
    """

    no: str = field(converter=_text)
    name: str = field(default="", converter=_text)
    name_2: str = field(default="", converter=_text)
    address: str = field(default="", converter=_text)
    address_2: str = field(default="", converter=_text)
    post_code: str = field(default="", converter=_text)
    city: str = field(default="", converter=_text)
    county: str = field(default="", converter=_text)
    country_code: str | None = field(default=None, converter=_optional_text)
    phone_no: str = field(default="", converter=_text)
    telex_no: str = field(default="", converter=_text)
    fax_no: str = field(default="", converter=_text)
    email: str = field(default="", converter=_text)
    home_page: str = field(default="", converter=_text)
    salesperson_code: str | None = field(default=None, converter=_optional_text)
    territory_code: str | None = field(default=None, converter=_optional_text)
    currency_code: str | None = field(default=None, converter=_optional_text)
    language_code: str | None = field(default=None, converter=_optional_text)
    vat_registration_no: str = field(default="", converter=_text)

    def contact_fields(self) -> dict[str, object]:
        """Return the common fields (all but ``no``) as contact field values."""
        return {
            a.name: getattr(self, a.name)
            for a in attrs.fields(BusinessPartner)
            if a.name != "no"
        }


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

    def create_bank_account(self, contact: Contact) -> str:
        """Create a bank account from a company contact, without a template (§2.9).

        Returns:
            The new bank account No.
        """
        ...

    def create_employee(self, contact: Contact, *, template: str | None) -> str:
        """Create an employee from a person contact (§2.9 Create as Employee).

        The employee takes the person's name parts and common fields, then the
        employee template chosen as for customers (§2.9 step 9).

        Returns:
            The new employee No.

        Raises:
            NotFoundError: ``template`` names no employee template.
            ValidationError: No template is named and several match.
        """
        ...

    def partners(self, link_to_table: LinkToTable) -> list[BusinessPartner]:
        """Return every record of the table with its common fields, by No.

        Used by the *Create Contacts from Customers/Vendors/Bank Accounts* batch
        jobs (§2.9).
        """
        ...

    def exists(self, link_to_table: LinkToTable, no: str) -> bool:
        """Return whether the customer, vendor, bank account or employee exists."""
        ...

    def update_from_contact(
        self, link_to_table: LinkToTable, no: str, contact: Contact
    ) -> None:
        """Copy the contact's common fields to the linked record (§2.6 end)."""
        ...
