"""An in-memory :class:`~relationship_mgmt.ports.BusinessPartnerDirectory` (§2.9).

It stands in for the host's customer, vendor, bank account and employee tables:
records are dicts of the contact's common fields, numbered ``C00001``,
``V00001`` ... Customer and vendor templates are chosen as in §2.9 step 9.

>>> from datetime import UTC, datetime
>>> from relationship_mgmt.domain.contacts import Contact, LinkToTable
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> partners = InMemoryBusinessPartnerDirectory()
>>> partners.add_customer_template(PartnerTemplate(code="COMPANY",
...                                                contact_type="Company"))
>>> cronus = Contact.create_company(no="CT1", name="Cronus", now=datetime(2026, 1, 5,
...                                 tzinfo=UTC), setup=RelationshipSetup())
>>> no = partners.create_customer(cronus, template=None)
>>> (no, partners.record(LinkToTable.CUSTOMER, no)["template"])
('C00001', 'COMPANY')
"""

from __future__ import annotations

import threading

from attrs import field, frozen

from relationship_mgmt.domain.codes import Code, make_optional_code
from relationship_mgmt.domain.contacts import Contact, ContactType, LinkToTable
from relationship_mgmt.errors import NotFoundError, ValidationError

__all__ = ["InMemoryBusinessPartnerDirectory", "PartnerTemplate"]

_COMMON_FIELDS = (
    "name",
    "name_2",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_code",
    "phone_no",
    "telex_no",
    "fax_no",
    "email",
    "home_page",
    "salesperson_code",
    "territory_code",
    "currency_code",
    "language_code",
    "vat_registration_no",
)
"""The fields CustVendBank-Update copies from a contact (§2.6 end)."""

_PREFIX = {
    LinkToTable.CUSTOMER: "C",
    LinkToTable.VENDOR: "V",
    LinkToTable.BANK_ACCOUNT: "B",
    LinkToTable.EMPLOYEE: "E",
}


def _optional(value: str | None) -> Code | None:
    return make_optional_code(value, field="template")


def _template_code(value: str) -> Code:
    code = make_optional_code(value, field="code")
    if code is None:
        raise ValidationError("code", value, "must not be blank")
    return code


def _optional_type(value: ContactType | str | None) -> ContactType | None:
    return None if value is None else ContactType(value)


@frozen(kw_only=True)
class PartnerTemplate:
    """A customer or vendor template; blank criteria match anything (§2.9 step 9)."""

    code: Code = field(converter=_template_code)
    contact_type: ContactType | None = field(default=None, converter=_optional_type)
    territory_code: Code | None = field(default=None, converter=_optional)
    country_code: Code | None = field(default=None, converter=_optional)
    currency_code: Code | None = field(default=None, converter=_optional)

    def matches(self, contact: Contact, currency_code: Code | None) -> bool:
        """Whether the template fits the contact (type, territory, country, currency)."""
        return all(
            wanted is None or wanted == have
            for wanted, have in (
                (self.contact_type, contact.type),
                (self.territory_code, contact.territory_code),
                (self.country_code, contact.country_code),
                (self.currency_code, currency_code),
            )
        )


class InMemoryBusinessPartnerDirectory:
    """The host's partner tables in memory, for tests and the default workspace.

    Args:
        records: Existing records as ``{(link_to_table, no): fields}``.
    """

    def __init__(
        self, records: dict[tuple[LinkToTable, str], dict[str, object]] | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._records: dict[tuple[LinkToTable, str], dict[str, object]] = dict(
            records or {}
        )
        self._templates: dict[LinkToTable, dict[str, PartnerTemplate]] = {
            LinkToTable.CUSTOMER: {},
            LinkToTable.VENDOR: {},
        }
        self._counters: dict[LinkToTable, int] = dict.fromkeys(_PREFIX, 0)

    # --- set-up for hosts and tests --------------------------------------------------

    def add(self, link_to_table: LinkToTable | str, no: str, **fields: object) -> None:
        """Store an existing customer, vendor, bank account or employee."""
        with self._lock:
            self._records[(LinkToTable(link_to_table), no)] = dict(fields)

    def add_customer_template(self, template: PartnerTemplate) -> None:
        """Make a customer template available to :meth:`create_customer`."""
        self._templates[LinkToTable.CUSTOMER][template.code] = template

    def add_vendor_template(self, template: PartnerTemplate) -> None:
        """Make a vendor template available to :meth:`create_vendor`."""
        self._templates[LinkToTable.VENDOR][template.code] = template

    def record(self, link_to_table: LinkToTable | str, no: str) -> dict[str, object]:
        """Return a copy of one record's fields.

        Raises:
            NotFoundError: No such record.
        """
        key = (LinkToTable(link_to_table), no)
        with self._lock:
            if key not in self._records:
                raise NotFoundError(str(key[0]).lower() or "partner", no)
            return dict(self._records[key])

    # --- the port --------------------------------------------------------------------

    def _template(
        self, table: LinkToTable, contact: Contact, code: str | None
    ) -> PartnerTemplate | None:
        templates = self._templates[table]
        if code is not None:
            wanted = make_optional_code(code, field="template") or ""
            if wanted not in templates:
                raise NotFoundError(f"{table.lower()} template", wanted)
            return templates[wanted]
        matching = [
            t for t in templates.values() if t.matches(contact, contact.currency_code)
        ]
        if len(matching) > 1:
            raise ValidationError(
                "template",
                None,
                f"several {table.lower()} templates match; name one (§2.9 step 9)",
            )
        return matching[0] if matching else None

    def _create(
        self, table: LinkToTable, contact: Contact, template: str | None
    ) -> str:
        chosen = self._template(table, contact, template)
        fields = {name: getattr(contact, name) for name in _COMMON_FIELDS}
        if contact.type is ContactType.COMPANY:
            fields["name"] = contact.company_name
        fields["contact_type"] = contact.type
        fields["template"] = None if chosen is None else chosen.code
        with self._lock:
            while True:
                self._counters[table] += 1
                no = f"{_PREFIX[table]}{self._counters[table]:05d}"
                if (table, no) not in self._records:
                    break
            self._records[(table, no)] = fields
        return no

    def create_customer(self, contact: Contact, *, template: str | None) -> str:
        """Create a customer from the contact (§2.9 steps 4, 6, 9); return its No."""
        return self._create(LinkToTable.CUSTOMER, contact, template)

    def create_vendor(self, contact: Contact, *, template: str | None) -> str:
        """Create a vendor from the contact (§2.9 Create as Vendor); return its No."""
        return self._create(LinkToTable.VENDOR, contact, template)

    def exists(self, link_to_table: LinkToTable, no: str) -> bool:
        """Return whether the record exists."""
        with self._lock:
            return (LinkToTable(link_to_table), no) in self._records

    def update_from_contact(
        self, link_to_table: LinkToTable, no: str, contact: Contact
    ) -> None:
        """Copy the contact's common fields to the record (§2.6 end).

        Raises:
            NotFoundError: No such record.
        """
        key = (LinkToTable(link_to_table), no)
        with self._lock:
            if key not in self._records:
                raise NotFoundError(str(key[0]).lower(), no)
            self._records[key].update(
                {name: getattr(contact, name) for name in _COMMON_FIELDS}
            )
