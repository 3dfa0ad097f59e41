"""An in-memory :class:`~relationship_mgmt.ports.BusinessPartnerDirectory` (§2.9).

It stands in for the host's customer, vendor, bank account and employee tables:
records are dicts of the contact's common fields, numbered ``C00001``,
``V00001``, ``B00001``, ``E00001`` ... Customer, vendor and employee templates are
chosen as in §2.9 step 9; bank accounts have none.

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
>>> partners.add(LinkToTable.VENDOR, "V9", name="Fabrikam", city="Leeds")
>>> [(p.no, p.name, p.city) for p in partners.partners(LinkToTable.VENDOR)]
[('V9', 'Fabrikam', 'Leeds')]
"""

from __future__ import annotations

import threading

import attrs
from attrs import field, frozen

from relationship_mgmt.domain.codes import Code, make_optional_code
from relationship_mgmt.domain.contacts import Contact, ContactType, LinkToTable
from relationship_mgmt.errors import NotFoundError, ValidationError
from relationship_mgmt.ports.business_partners import BusinessPartner

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
"""The fields CustVendBank-Update copies from a contact (§2.6 end).

They are the fields of :class:`~relationship_mgmt.ports.business_partners.BusinessPartner`
(but its No.), which :meth:`InMemoryBusinessPartnerDirectory.partners` lists.
"""

_EMPLOYEE_FIELDS = (
    "first_name",
    "middle_name",
    "surname",
    "job_title",
    "initials",
    "mobile_phone_no",
    "pager",
)
"""What an employee takes from its person contact besides the common fields (§2.6)."""

_PARTNER_FIELDS = frozenset(
    a.name for a in attrs.fields(BusinessPartner) if a.name != "no"
)

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
    """A customer, vendor or employee template; blank criteria match anything.

    Chosen as in §2.9 step 9: the one named, else the unique match.
    """

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
            LinkToTable.EMPLOYEE: {},
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

    def add_employee_template(self, template: PartnerTemplate) -> None:
        """Make an employee template available to :meth:`create_employee`."""
        self._templates[LinkToTable.EMPLOYEE][template.code] = template

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
        self,
        table: LinkToTable,
        contact: Contact,
        chosen: PartnerTemplate | None,
        extra: tuple[str, ...] = (),
    ) -> str:
        fields = {name: getattr(contact, name) for name in (*_COMMON_FIELDS, *extra)}
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
        table = LinkToTable.CUSTOMER
        return self._create(table, contact, self._template(table, contact, template))

    def create_vendor(self, contact: Contact, *, template: str | None) -> str:
        """Create a vendor from the contact (§2.9 Create as Vendor); return its No."""
        table = LinkToTable.VENDOR
        return self._create(table, contact, self._template(table, contact, template))

    def create_bank_account(self, contact: Contact) -> str:
        """Create a bank account from the contact, no template (§2.9); return its No."""
        return self._create(LinkToTable.BANK_ACCOUNT, contact, None)

    def create_employee(self, contact: Contact, *, template: str | None) -> str:
        """Create an employee from a person (§2.9 Create as Employee); return its No.

        The employee also takes the person's name parts, job title, initials,
        mobile phone and pager (§2.6 end).
        """
        table = LinkToTable.EMPLOYEE
        chosen = self._template(table, contact, template)
        return self._create(table, contact, chosen, _EMPLOYEE_FIELDS)

    def partners(self, link_to_table: LinkToTable) -> list[BusinessPartner]:
        """Return the table's records with their common fields, ordered by No."""
        table = LinkToTable(link_to_table)
        with self._lock:
            rows = [
                (no, dict(fields))
                for (kind, no), fields in self._records.items()
                if kind is table
            ]
        return [
            BusinessPartner(
                no=no, **{k: v for k, v in fields.items() if k in _PARTNER_FIELDS}
            )
            for no, fields in sorted(rows, key=lambda row: row[0])
        ]

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
