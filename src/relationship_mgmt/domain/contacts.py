"""Contacts: companies and the persons who work for them (spec §2.1-§2.12, §2.15, §2.16).

:class:`Contact` is BC's table 5050 as an aggregate. It keeps BC's field lengths
(``Text[n]``/``Code[n]``), validations (§2.16) and the rules that run when a field is
validated: the name breakdown (§2.5), the type change (§2.3), the insert defaults
(§2.4), the company-to-person inheritance (§2.6), the privacy flags (§2.15),
salutations (§2.10), alternative addresses (§2.11) and the segmentation attributes
(§2.12). What needs other records (interaction log entries, tasks, opportunities,
segment lines, the persons of a company) comes in as a :class:`ContactRelations`
value that the service fills, so the domain can refuse with BC's reasons.

>>> setup = RelationshipSetup(default_person_salutation_code="M")
>>> now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
>>> anna = Contact.create_person(no="CT02", name="Anna Maria de Vries", now=now,
...                              setup=setup)
>>> (anna.first_name, anna.middle_name, anna.surname, anna.search_name)
('Anna Maria', 'de', 'Vries', 'ANNA MARIA DE VRIES')
>>> anna.salutation_code
'M'

Personal fields (names, addresses, phones, e-mails ...) carry
``metadata={"classification": "personal"}`` and are left out of ``repr``; every
other field is classified ``"normal"`` (reliability.md B.6).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Final, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import NORMAL as _NORMAL
from relationship_mgmt.domain._fields import PERSONAL as _PERSONAL
from relationship_mgmt.domain._fields import check_text as _check_text
from relationship_mgmt.domain._fields import normalise_emails
from relationship_mgmt.domain._fields import optional_code as _optional_code
from relationship_mgmt.domain._fields import personal_text as _ptext
from relationship_mgmt.domain._fields import plain_text as _ntext
from relationship_mgmt.domain._fields import text_validator as _text_validator
from relationship_mgmt.domain._fields import to_enum as _enum
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    ContactNo,
    SalespersonCode,
    make_code,
    make_optional_code,
)
from relationship_mgmt.domain.setup import (
    CorrespondenceType,
    RelationshipSetup,
    SalutationFormula,
    SalutationName,
    SalutationType,
)
from relationship_mgmt.errors import (
    BusinessRelationError,
    CompanyLinkError,
    ContactAlreadyLinkedError,
    ContactDeletionError,
    ContactTypeChangeError,
    NotFoundError,
    ParentalConsentRequiredError,
    PrivacyBlockedError,
    SalutationFormulaNotFoundError,
    ValidationError,
)

__all__ = [
    "Address",
    "AlternativeAddress",
    "AlternativeAddressPeriod",
    "BusinessRelationLink",
    "CONTACT_TEXT_FIELDS",
    "CompanyLinkRefusal",
    "Contact",
    "ContactBusinessRelation",
    "ContactChanged",
    "ContactCreated",
    "ContactLinkedToCompany",
    "ContactPrivacyChanged",
    "ContactRelations",
    "ContactRenamed",
    "ContactType",
    "ContactTypeChanged",
    "ContactUnlinkedFromCompany",
    "DeletionRefusal",
    "LinkToTable",
    "TypeChangeRefusal",
    "calculated_name",
    "check_can_delete",
    "contact_business_relation",
    "derive_business_relation",
    "ensure_usable",
    "name_breakdown",
    "propagate_company_change",
    "text_fields",
    "text_of",
]


NAME_PART_LENGTH: Final = 30
"""First Name, Middle Name and Surname are ``Text[30]`` (§2.1 fields 5054-5056)."""
NAME_LENGTH: Final = 100
"""Name and Company Name are ``Text[100]`` (§2.1 fields 2, 5052)."""
_REGISTRATION_NUMBER_LENGTH: Final = 20
_SEARCH_WORD_LENGTH: Final = 30


# --- enums ---------------------------------------------------------------------------


class ContactType(enum.StrEnum):
    """Whether a contact is a company or a person (§2.1 field 5050; §2.3).

    >>> ContactType("Person") is ContactType.PERSON
    True
    """

    COMPANY = "Company"
    PERSON = "Person"


class ContactBusinessRelation(enum.StrEnum):
    """The derived *Contact Business Relation* of a contact (§2.1 field 5086, §2.8).

    >>> ContactBusinessRelation.BANK_ACCOUNT.value
    'Bank Account'
    """

    BLANK = ""
    CUSTOMER = "Customer"
    VENDOR = "Vendor"
    BANK_ACCOUNT = "Bank Account"
    EMPLOYEE = "Employee"
    NONE = "None"
    OTHER = "Other"
    MULTIPLE = "Multiple"


class LinkToTable(enum.StrEnum):
    """BC's *Contact Business Relation Link To Table* (table 5054 field 3, §2.8).

    >>> LinkToTable("Bank Account") is LinkToTable.BANK_ACCOUNT
    True
    """

    BLANK = ""
    CUSTOMER = "Customer"
    VENDOR = "Vendor"
    BANK_ACCOUNT = "Bank Account"
    EMPLOYEE = "Employee"


class TypeChangeRefusal(enum.StrEnum):
    """Why BC refuses to change a contact's type (§2.3).

    >>> TypeChangeRefusal.TASKS.value
    'tasks'
    """

    INTERACTION_LOG_ENTRIES = "interaction log entries"
    TASKS = "tasks"
    OPPORTUNITIES = "opportunities"
    RELATED_PERSONS = "related persons"
    ORGANIZATIONAL_LEVEL = "organizational level code"
    JOB_RESPONSIBILITIES = "job responsibilities"
    BUSINESS_RELATIONS = "business relations"
    INDUSTRY_GROUPS = "industry groups"
    WEB_SOURCES = "web sources"
    CURRENCY_CODE = "currency code"
    VAT_REGISTRATION_NO = "VAT registration no."


class CompanyLinkRefusal(enum.StrEnum):
    """Why a person cannot be linked to (or unlinked from) a company (§2.6).

    >>> CompanyLinkRefusal.NOT_A_COMPANY.value
    'the target is not a company'
    """

    NOT_A_PERSON = "only a person can be linked to a company"
    NOT_A_COMPANY = "the target is not a company"
    SAME_CONTACT = "a contact cannot be its own company"
    UNLOGGED_SEGMENT_LINES = "the person is on an unlogged segment"


class DeletionRefusal(enum.StrEnum):
    """Why BC refuses to delete a contact (§2.7).

    >>> DeletionRefusal.OPEN_TASKS.value
    'open tasks'
    """

    OPEN_TASKS = "open tasks"
    UNLOGGED_SEGMENT_LINES = "unlogged segment lines"
    ACTIVE_OPPORTUNITIES = "active opportunities"


# --- field helpers -------------------------------------------------------------------


def _country_code(value: object) -> Code | None:
    return _optional_code(CODE10, "country_code")(value)


def _territory_code(value: object) -> Code | None:
    return _optional_code(CODE10, "territory_code")(value)


def _currency_code(value: object) -> Code | None:
    return _optional_code(CODE10, "currency_code")(value)


def _language_code(value: object) -> Code | None:
    return _optional_code(CODE10, "language_code")(value)


def _salutation_code(value: object) -> Code | None:
    return _optional_code(CODE10, "salutation_code")(value)


def _organizational_level_code(value: object) -> Code | None:
    return _optional_code(CODE10, "organizational_level_code")(value)


def _no(value: object) -> ContactNo:
    return _contact_no("no")(value)


def _contact_type(value: object) -> ContactType:
    return _enum(ContactType, "type", value)


def _correspondence_type(value: object) -> CorrespondenceType:
    return _enum(CorrespondenceType, "correspondence_type", value)


def _vat_registration_no(value: object) -> str:
    return _upper_text_converter("vat_registration_no")(value)


def _last_modified(value: object) -> datetime:
    return _utc("last_modified")(value)


def _personal_code(length: int, name: str) -> Callable[[object], str]:
    """A ``Code[length]`` holding personal data (Post Code): errors do not echo it."""

    def convert(value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(name, None, "must be a string")
        code = value.strip().upper()
        if len(code) > length:
            raise ValidationError(name, None, f"is longer than {length} characters")
        return code

    return convert


def _pcode(length: int, name: str) -> str:
    return field(
        default="",
        converter=_personal_code(length, name),
        repr=False,
        metadata=_PERSONAL,
    )


def _contact_no(name: str) -> Callable[[object], ContactNo]:
    def convert(value: object) -> ContactNo:
        if not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        code = make_code(value, max_length=CODE20, field=name)
        if not code:
            raise ValidationError(name, value, "must not be blank")
        return ContactNo(code)

    return convert


def _optional_contact_no(value: object) -> ContactNo | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("company_no", value, "must be a string")
    code = make_optional_code(value, max_length=CODE20, field="company_no")
    return None if code is None else ContactNo(code)


def _salesperson_code(value: object) -> SalespersonCode | None:
    code = _optional_code(CODE20, "salesperson_code")(value)
    return None if code is None else SalespersonCode(code)


def _bool_validator(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _flag(*, personal: bool = False) -> bool:
    return field(
        default=False,
        validator=_bool_validator,
        repr=not personal,
        metadata=_PERSONAL if personal else _NORMAL,
    )


def _utc(name: str) -> Callable[[object], datetime]:
    def convert(value: object) -> datetime:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise ValidationError(name, value, "must be an aware datetime")
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                name, value, "is outside the calendar in UTC"
            ) from None

    return convert


_now = _utc("now")


def _day(name: str, value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(name, value, "must be a date")
    return value


def _email_converter(name: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        return normalise_emails(name, value)

    return convert


def _email(name: str) -> str:
    return field(
        default="",
        converter=_email_converter(name),
        validator=_text_validator(80, personal=True),
        repr=False,
        metadata=_PERSONAL,
    )


def _upper_text_converter(name: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(name, None, "must be a string")
        return value.upper()

    return convert


def _search_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("search_name", None, "must be a string")
    code = value.strip().upper()
    if len(code) > NAME_LENGTH:
        raise ValidationError(
            "search_name", None, f"is longer than {NAME_LENGTH} characters"
        )
    return code


def _search_name_of(name: str) -> str:
    # Upper-casing can lengthen a name ("ß" -> "SS"); the Code[100] keeps the start.
    return name.strip().upper()[:NAME_LENGTH]


def _code_set(name: str) -> Callable[[object], frozenset[Code]]:
    def convert(value: object) -> frozenset[Code]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise ValidationError(name, value, "must be a collection of codes")
        items = cast("Iterable[object]", value)
        codes: set[Code] = set()
        for item in items:
            if not isinstance(item, str):
                raise ValidationError(name, item, "must be a string")
            code = make_code(item, max_length=CODE10, field=name)
            if not code:
                raise ValidationError(name, item, "must not be blank")
            codes.add(code)
        return frozenset(codes)

    return convert


def _codes(name: str) -> frozenset[Code]:
    return field(factory=frozenset, converter=_code_set(name), metadata=_NORMAL)


def _web_sources(value: object) -> dict[Code, str]:
    if not isinstance(value, Mapping):
        raise ValidationError("web_sources", value, "must map codes to search words")
    items = cast("Mapping[object, object]", value)
    sources: dict[Code, str] = {}
    for key, word in items.items():
        if not isinstance(key, str):
            raise ValidationError("web_sources", key, "must be a string")
        code = make_code(key, max_length=CODE10, field="web_sources")
        if not code:
            raise ValidationError("web_sources", key, "must not be blank")
        sources[code] = _check_text(
            "web_sources", word, _SEARCH_WORD_LENGTH, personal=False
        )
    return dict(sorted(sources.items()))


def _instance_of(
    kind: type[object],
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise ValidationError(attribute.name, value, f"must be a {kind.__name__}")

    return check


def _is_blank(value: object) -> bool:
    return value is None or value == ""


# --- value objects -------------------------------------------------------------------


@frozen(kw_only=True)
class Address:
    """A postal address: the contact's own or an alternative one (§2.1, §2.11).

    >>> Address(address="Main Street 1", post_code=" w1 4ab ", city="London").post_code
    'W1 4AB'
    >>> Address().is_blank
    True
    """

    address: str = _ptext(100)
    address_2: str = _ptext(50)
    post_code: str = _pcode(CODE20, "post_code")
    city: str = _ptext(30)
    county: str = _ptext(30)
    country_code: Code | None = field(
        default=None, converter=_country_code, metadata=_NORMAL
    )

    @property
    def is_blank(self) -> bool:
        """Whether Address, Address 2, Post Code and City are all blank (§2.6)."""
        return not (self.address or self.address_2 or self.post_code or self.city)


def _alternative_address_code(value: object) -> Code:
    if not isinstance(value, str):
        raise ValidationError("code", value, "must be a string")
    code = make_code(value, max_length=CODE10, field="code")
    if not code:
        raise ValidationError("code", value, "must not be blank")
    return code


@frozen(kw_only=True)
class AlternativeAddress:
    """A contact's alternative address, such as a holiday home (table 5051, §2.11).

    >>> alt = AlternativeAddress(code="summer", email="Ann@Example.COM",
    ...                          address=Address(city="Nice"))
    >>> (alt.code, alt.email, alt.search_email, alt.address.city)
    ('SUMMER', 'Ann@example.com', 'ANN@EXAMPLE.COM', 'Nice')
    """

    code: Code = field(converter=_alternative_address_code, metadata=_NORMAL)
    company_name: str = _ptext(100)
    company_name_2: str = _ptext(50)
    address: Address = field(
        factory=Address, validator=_instance_of(Address), repr=False, metadata=_PERSONAL
    )
    phone_no: str = _ptext(30)
    telex_no: str = _ptext(20)
    extension_no: str = _ptext(30)
    mobile_phone_no: str = _ptext(30)
    pager: str = _ptext(30)
    email: str = _email("email")
    home_page: str = _ptext(255)
    fax_no: str = _ptext(30)
    telex_answer_back: str = _ptext(20)

    @property
    def search_email(self) -> str:
        """The upper-cased e-mail, used to match mail to contacts (§2.11)."""
        return self.email.upper()


@frozen(kw_only=True)
class AlternativeAddressPeriod:
    """When an alternative address is in use (table 5052, §2.11).

    ``ending_date`` ``None`` is open-ended. At most one period per starting date.

    >>> period = AlternativeAddressPeriod(address_code="summer",
    ...                                   starting_date=date(2026, 7, 1),
    ...                                   ending_date=date(2026, 8, 31))
    >>> (period.covers(date(2026, 8, 1)), period.covers(date(2026, 9, 1)))
    (True, False)
    """

    address_code: Code = field(converter=_alternative_address_code, metadata=_NORMAL)
    starting_date: date = field(metadata=_NORMAL)
    ending_date: date | None = field(default=None, metadata=_NORMAL)

    @starting_date.validator
    def _check_starting_date(
        self, attribute: attrs.Attribute[date], value: object
    ) -> None:
        _day(attribute.name, value)

    @ending_date.validator
    def _check_ending_date(
        self, attribute: attrs.Attribute[date | None], value: object
    ) -> None:
        if value is None:
            return
        ending = _day(attribute.name, value)
        if ending < self.starting_date:
            # §2.11: "Starting Date must be before Ending Date."
            raise ValidationError(
                attribute.name, value, "must not be before the starting date"
            )

    def covers(self, day: date) -> bool:
        """Whether ``day`` lies in the period (both ends included, §2.11)."""
        return self.starting_date <= day and (
            self.ending_date is None or day <= self.ending_date
        )


def _alternative_addresses(value: object) -> tuple[AlternativeAddress, ...]:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise ValidationError(
            "alternative_addresses", value, "must be a collection of addresses"
        )
    items = cast("Iterable[object]", value)
    by_code: dict[Code, AlternativeAddress] = {}
    for item in items:
        if not isinstance(item, AlternativeAddress):
            raise ValidationError(
                "alternative_addresses", item, "must be an AlternativeAddress"
            )
        if item.code in by_code:
            raise ValidationError(
                "alternative_addresses", item.code, "holds the same code twice"
            )
        by_code[item.code] = item
    return tuple(by_code[code] for code in sorted(by_code))


def _periods(value: object) -> tuple[AlternativeAddressPeriod, ...]:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise ValidationError(
            "alternative_address_periods", value, "must be a collection of periods"
        )
    items = cast("Iterable[object]", value)
    by_start: dict[date, AlternativeAddressPeriod] = {}
    for item in items:
        if not isinstance(item, AlternativeAddressPeriod):
            raise ValidationError(
                "alternative_address_periods",
                item,
                "must be an AlternativeAddressPeriod",
            )
        if item.starting_date in by_start:
            # §2.11: "The starting date %1 already exists in a %2 for %3 %4."
            raise ValidationError(
                "starting_date", item.starting_date, "already exists for the contact"
            )
        by_start[item.starting_date] = item
    return tuple(by_start[start] for start in sorted(by_start))


def _link_code(value: object) -> Code:
    if not isinstance(value, str):
        raise ValidationError("code", value, "must be a string")
    code = make_code(value, max_length=CODE10, field="code")
    if not code:
        raise ValidationError("code", value, "must not be blank")
    return code


def _link_to_table(value: object) -> LinkToTable:
    return _enum(LinkToTable, "link_to_table", value)


def _partner_no(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("no", value, "must be a string")
    return make_code(value, max_length=CODE20, field="no")


@frozen(order=True)
class BusinessRelationLink:
    """One Contact Business Relation row of a contact (table 5054, §2.8).

    ``link_to_table`` and ``no`` name the customer, vendor, bank account or employee
    the contact is linked with; both are blank for a plain relation (and for BC's
    placeholder row of a setup code). A row is linked exactly when it has a No.

    >>> BusinessRelationLink("cust", LinkToTable.CUSTOMER, "c10000")
    BusinessRelationLink(code='CUST', link_to_table=<LinkToTable.CUSTOMER: 'Customer'>, no='C10000')
    >>> BusinessRelationLink("PROSPECT").is_linked
    False
    """

    code: Code = field(converter=_link_code)
    link_to_table: LinkToTable = field(
        default=LinkToTable.BLANK, converter=_link_to_table
    )
    no: str = field(default="", converter=_partner_no)

    def __attrs_post_init__(self) -> None:
        """Check that a table and a No. come together."""
        if (self.link_to_table is LinkToTable.BLANK) != (not self.no):
            raise ValidationError(
                "no",
                self.no,
                "a linked relation needs both Link to Table and No. (§2.8)",
            )

    @property
    def is_linked(self) -> bool:
        """Whether the row names a customer, vendor, bank account or employee."""
        return bool(self.no)


def _business_relations(value: object) -> frozenset[BusinessRelationLink]:
    name = "business_relations"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(name, value, "must be a collection of relations")
    rows: dict[Code, BusinessRelationLink] = {}
    tables: set[LinkToTable] = set()
    for item in cast("Iterable[object]", value):
        if isinstance(item, BusinessRelationLink):
            row = item
        elif isinstance(item, str):
            code = make_code(item, max_length=CODE10, field=name)
            if not code:
                raise ValidationError(name, item, "must not be blank")
            row = BusinessRelationLink(code)
        else:
            raise ValidationError(name, item, "must be a code or a relation")
        known = rows.get(row.code)
        if known == row:
            continue
        if known is not None:
            raise ValidationError(
                name, row.code, "a contact holds each relation code once (§2.8)"
            )
        if row.is_linked:
            if row.link_to_table in tables:
                raise ValidationError(
                    name,
                    str(row.link_to_table),
                    "a contact has one relation per Link to Table (§2.8)",
                )
            tables.add(row.link_to_table)
        rows[row.code] = row
    return frozenset(rows.values())


@frozen(kw_only=True)
class ContactRelations:
    """What exists elsewhere about a contact; the service fills it from storage.

    The domain uses it to refuse a type change (§2.3), a company change (§2.6) or a
    deletion (§2.7) with BC's reasons. Every flag defaults to ``False``.

    Attributes:
        has_interaction_log_entries: Any interaction log entry for (Company No., No.).
        has_tasks: Any task for the contact, open or closed.
        has_open_tasks: Any task that is not closed.
        has_opportunities: Any opportunity for the contact, whatever its status.
        has_active_opportunities: Any opportunity Not Started or In Progress.
        has_persons: Any person contact whose Company No. is this contact.
        has_unlogged_segment_lines: The contact is on a segment that is not logged.

    >>> ContactRelations(has_open_tasks=True).has_persons
    False
    """

    has_interaction_log_entries: bool = field(default=False, validator=_bool_validator)
    has_tasks: bool = field(default=False, validator=_bool_validator)
    has_open_tasks: bool = field(default=False, validator=_bool_validator)
    has_opportunities: bool = field(default=False, validator=_bool_validator)
    has_active_opportunities: bool = field(default=False, validator=_bool_validator)
    has_persons: bool = field(default=False, validator=_bool_validator)
    has_unlogged_segment_lines: bool = field(default=False, validator=_bool_validator)


# --- events (to move into events.py) -------------------------------------------------


@frozen(kw_only=True)
class ContactCreated:
    """A contact was created (§2.4).

    >>> ContactCreated(contact_no=ContactNo("CT1"), occurred_at=datetime(2026, 1, 5,
    ...                tzinfo=UTC), type=ContactType.COMPANY).type
    <ContactType.COMPANY: 'Company'>
    """

    contact_no: ContactNo
    occurred_at: datetime
    type: ContactType


@frozen(kw_only=True)
class ContactRenamed:
    """A contact's name changed (§2.5). The names stay out of the event (GDPR).

    >>> ContactRenamed(contact_no=ContactNo("CT1"),
    ...                occurred_at=datetime(2026, 1, 5, tzinfo=UTC)).contact_no
    'CT1'
    """

    contact_no: ContactNo
    occurred_at: datetime


@frozen(kw_only=True)
class ContactTypeChanged:
    """A contact became a company or a person (§2.3).

    >>> ContactTypeChanged(contact_no=ContactNo("CT1"),
    ...                    occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
    ...                    old_type=ContactType.COMPANY,
    ...                    new_type=ContactType.PERSON).new_type
    <ContactType.PERSON: 'Person'>
    """

    contact_no: ContactNo
    occurred_at: datetime
    old_type: ContactType
    new_type: ContactType


@frozen(kw_only=True)
class ContactLinkedToCompany:
    """A person was linked to a company and inherited its data (§2.6).

    >>> ContactLinkedToCompany(contact_no=ContactNo("CT2"),
    ...                        occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
    ...                        company_no=ContactNo("CT1")).previous_company_no is None
    True
    """

    contact_no: ContactNo
    occurred_at: datetime
    company_no: ContactNo
    previous_company_no: ContactNo | None = None


@frozen(kw_only=True)
class ContactUnlinkedFromCompany:
    """A person left its company (§2.6).

    >>> ContactUnlinkedFromCompany(contact_no=ContactNo("CT2"),
    ...                            occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
    ...                            company_no=ContactNo("CT1")).company_no
    'CT1'
    """

    contact_no: ContactNo
    occurred_at: datetime
    company_no: ContactNo


@frozen(kw_only=True)
class ContactPrivacyChanged:
    """A contact's privacy flags changed (§2.15); the event holds the new flags.

    >>> ContactPrivacyChanged(contact_no=ContactNo("CT2"),
    ...                       occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
    ...                       privacy_blocked=True, minor=True,
    ...                       parental_consent_received=False).privacy_blocked
    True
    """

    contact_no: ContactNo
    occurred_at: datetime
    privacy_blocked: bool
    minor: bool
    parental_consent_received: bool


@frozen(kw_only=True)
class ContactChanged:
    """Plain fields of a contact changed; ``fields`` names them, without values.

    >>> ContactChanged(contact_no=ContactNo("CT1"),
    ...                occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
    ...                fields=frozenset({"city"})).fields
    frozenset({'city'})
    """

    contact_no: ContactNo
    occurred_at: datetime
    fields: frozenset[str]


# --- names (§2.5) --------------------------------------------------------------------


def name_breakdown(name: str) -> tuple[str, str, str]:
    """Split a person's name into (first, middle, surname), as BC's NameBreakdown (§2.5).

    The name is split on single spaces, empty pieces are ignored; one part is the
    first name, two are first name and surname, with three or more the last is the
    surname, the one before it the middle name, and the rest the first name. Each
    part is cut at 30 characters (a first name cut just after one of its spaces
    keeps that space, as BC's plain truncation does).

    >>> name_breakdown("John Smith")
    ('John', '', 'Smith')
    >>> name_breakdown("Anna Maria de Vries")
    ('Anna Maria', 'de', 'Vries')
    >>> name_breakdown("Cher")
    ('Cher', '', '')
    """
    parts = [part for part in name.split(" ") if part]
    if not parts:
        return ("", "", "")
    if len(parts) == 1:
        first, middle, surname = parts[0], "", ""
    elif len(parts) == 2:  # noqa: PLR2004 - BC's "two parts" rule
        first, middle, surname = parts[0], "", parts[1]
    else:
        first, middle, surname = " ".join(parts[:-2]), parts[-2], parts[-1]
    cut = NAME_PART_LENGTH
    return (first[:cut], middle[:cut], surname[:cut])


def calculated_name(first: str, middle: str, surname: str) -> str:
    """Compose a person's name from its parts, as BC's CalculatedName (§2.5).

    Blank parts are skipped, leading spaces trimmed, and the result is cut at 100.

    >>> calculated_name("John", "", "Smith")
    'John Smith'
    >>> calculated_name("", "de", "Vries")
    'de Vries'
    """
    joined = " ".join(part for part in (first, middle, surname) if part)
    return joined.lstrip(" ")[:NAME_LENGTH]


# --- the aggregate -------------------------------------------------------------------

_NAME_PARTS: Final = ("first_name", "middle_name", "surname")
_PERSON_ONLY_TEXT: Final = (*_NAME_PARTS, "job_title")
_INHERITED_CODES: Final = (
    ("salesperson_code", "inherit_salesperson_code"),
    ("territory_code", "inherit_territory_code"),
    ("country_code", "inherit_country_code"),
    ("language_code", "inherit_language_code"),
    ("format_region", "inherit_format_region"),
)
_ADDRESS_KEY: Final = ("address", "address_2", "post_code", "city")
_ADDRESS_FIELDS: Final = (*_ADDRESS_KEY, "county")
_COMMUNICATION_FIELDS: Final = (
    "phone_no",
    "telex_no",
    "fax_no",
    "telex_answer_back",
    "email",
    "home_page",
    "extension_no",
    "mobile_phone_no",
    "pager",
)
_EDITABLE: Final = frozenset(
    {
        "name",
        "name_2",
        "search_name",
        *_NAME_PARTS,
        *_ADDRESS_FIELDS,
        "country_code",
        *_COMMUNICATION_FIELDS,
        "email_2",
        "salesperson_code",
        "territory_code",
        "currency_code",
        "language_code",
        "format_region",
        "correspondence_type",
        "salutation_code",
        "job_title",
        "initials",
        "organizational_level_code",
        "vat_registration_no",
        "registration_number",
        "exclude_from_segment",
        "external_id",
        "mailing_groups",
        "job_responsibilities",
        "industry_groups",
        "web_sources",
    }
)


@define(kw_only=True)
class Contact(AggregateRoot):
    """A company or a person the business deals with (table 5050, §2.1).

    Build one with :meth:`create_company` or :meth:`create_person`, which apply the
    insert defaults of §2.4; the plain constructor is for storage and checks the
    invariants (a company's Company No. is its own No. and its Company Name its
    Name; person-only and company-only attributes; a minor without parental consent
    is privacy blocked). Change it with the business methods, which validate
    everything before changing anything, stamp ``last_modified`` and record an
    event.

    >>> now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    >>> cronus = Contact.create_company(no="CT01", name="Cronus Ltd.", now=now,
    ...                                 setup=RelationshipSetup(), city="London")
    >>> (cronus.company_no, cronus.company_name, cronus.lookup_contact_no)
    ('CT01', 'Cronus Ltd.', None)
    >>> john = Contact.create_person(no="CT02", name="John Smith", now=now,
    ...                              setup=RelationshipSetup(), company=cronus)
    >>> (john.company_no, john.company_name, john.city, john.lookup_contact_no)
    ('CT01', 'Cronus Ltd.', 'London', 'CT02')
    >>> john
    Contact(version=0, no='CT02', type=<ContactType.PERSON: 'Person'>, ...)
    """

    no: ContactNo = field(converter=_no, metadata=_NORMAL)
    type: ContactType = field(
        default=ContactType.COMPANY,
        converter=_contact_type,
        metadata=_NORMAL,
    )
    name: str = _ptext(NAME_LENGTH)
    name_2: str = _ptext(50)
    search_name: str = field(
        default="", converter=_search_name, repr=False, metadata=_PERSONAL
    )
    first_name: str = _ptext(NAME_PART_LENGTH)
    middle_name: str = _ptext(NAME_PART_LENGTH)
    surname: str = _ptext(NAME_PART_LENGTH)
    company_no: ContactNo | None = field(
        default=None, converter=_optional_contact_no, metadata=_NORMAL
    )
    company_name: str = _ptext(NAME_LENGTH)
    address: str = _ptext(100)
    address_2: str = _ptext(50)
    post_code: str = _pcode(CODE20, "post_code")
    city: str = _ptext(30)
    county: str = _ptext(30)
    country_code: Code | None = field(
        default=None, converter=_country_code, metadata=_NORMAL
    )
    phone_no: str = _ptext(30, no_letters=True)
    mobile_phone_no: str = _ptext(30, no_letters=True)
    fax_no: str = _ptext(30)
    telex_no: str = _ptext(20)
    telex_answer_back: str = _ptext(20)
    extension_no: str = _ptext(30)
    pager: str = _ptext(30)
    email: str = _email("email")
    email_2: str = _email("email_2")
    home_page: str = _ptext(255)
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_salesperson_code, metadata=_NORMAL
    )
    territory_code: Code | None = field(
        default=None, converter=_territory_code, metadata=_NORMAL
    )
    currency_code: Code | None = field(
        default=None, converter=_currency_code, metadata=_NORMAL
    )
    language_code: Code | None = field(
        default=None, converter=_language_code, metadata=_NORMAL
    )
    format_region: str = _ntext(80)
    correspondence_type: CorrespondenceType = field(
        default=CorrespondenceType.BLANK,
        converter=_correspondence_type,
        metadata=_NORMAL,
    )
    salutation_code: Code | None = field(
        default=None, converter=_salutation_code, metadata=_NORMAL
    )
    job_title: str = _ptext(30)
    initials: str = _ptext(30)
    organizational_level_code: Code | None = field(
        default=None, converter=_organizational_level_code, metadata=_NORMAL
    )
    vat_registration_no: str = field(
        default="",
        converter=_vat_registration_no,
        validator=_text_validator(20, personal=True),
        repr=False,
        metadata=_PERSONAL,
    )
    registration_number: str = _ptext(_REGISTRATION_NUMBER_LENGTH)
    exclude_from_segment: bool = _flag()
    external_id: str = _ntext(250)
    privacy_blocked: bool = _flag()
    minor: bool = _flag(personal=True)
    parental_consent_received: bool = _flag(personal=True)
    last_modified: datetime = field(converter=_last_modified, metadata=_NORMAL)
    mailing_groups: frozenset[Code] = _codes("mailing_groups")
    job_responsibilities: frozenset[Code] = _codes("job_responsibilities")
    industry_groups: frozenset[Code] = _codes("industry_groups")
    web_sources: dict[Code, str] = field(
        factory=dict, converter=_web_sources, metadata=_NORMAL
    )
    business_relations: frozenset[BusinessRelationLink] = field(
        factory=frozenset, converter=_business_relations, metadata=_NORMAL
    )
    alternative_addresses: tuple[AlternativeAddress, ...] = field(
        default=(), converter=_alternative_addresses, repr=False, metadata=_PERSONAL
    )
    alternative_address_periods: tuple[AlternativeAddressPeriod, ...] = field(
        default=(), converter=_periods, metadata=_NORMAL
    )

    def __attrs_post_init__(self) -> None:
        """Fill a company's own Company No./Name and check the invariants."""
        if self.type is ContactType.COMPANY:
            # §2.3 TypeChange: a company's Company No. is its No., its Company
            # Name its Name (reliability.md B.2 item 1).
            if self.company_no is None:
                object.__setattr__(self, "company_no", self.no)
            if not self.company_name:
                object.__setattr__(self, "company_name", self.name)
        self._check_invariants()

    def __deepcopy__(self, memo: dict[int, object]) -> Contact:
        """Copy the contact, sharing its immutable values.

        Every field is immutable (texts, codes, frozen sets and records, tuples)
        but the web sources and the pending events; only those are copied anew.
        Storage adapters copy a contact on every read, so this keeps reads cheap.
        """
        clone = copy_sharing_fields(self, memo)
        object.__setattr__(clone, "web_sources", dict(self.web_sources))
        return clone

    def _check_invariants(self) -> None:
        if self.type is ContactType.COMPANY:
            self._check_company_invariants()
        else:
            self._check_person_invariants()
        if (
            self.minor
            and not self.parental_consent_received
            and not self.privacy_blocked
        ):
            raise ValidationError(
                "privacy_blocked",
                False,  # noqa: FBT003 - the rejected value
                "a minor without parental consent must be privacy blocked (§2.15)",
            )
        codes = {alt.code for alt in self.alternative_addresses}
        for period in self.alternative_address_periods:
            if period.address_code not in codes:
                raise ValidationError(
                    "alternative_address_periods",
                    period.address_code,
                    "refers to an alternative address the contact does not have",
                )

    def _check_company_invariants(self) -> None:
        if self.company_no != self.no:
            raise ValidationError(
                "company_no", self.company_no, "a company's company no. is its no."
            )
        if self.company_name != self.name:
            raise ValidationError(
                "company_name", None, "a company's company name is its name"
            )
        for name in _PERSON_ONLY_TEXT:
            if getattr(self, name):
                raise ValidationError(name, None, "only persons have it (§2.3)")
        if self.organizational_level_code is not None:
            raise ValidationError(
                "organizational_level_code",
                self.organizational_level_code,
                "only persons have an organizational level (§2.1)",
            )
        if self.job_responsibilities:
            raise ValidationError(
                "job_responsibilities",
                sorted(self.job_responsibilities),
                "only persons have job responsibilities (§2.12)",
            )

    def _check_person_invariants(self) -> None:
        if self.company_no == self.no:
            raise ValidationError(
                "company_no", self.company_no, "a person cannot be its own company"
            )
        if self.industry_groups:
            raise ValidationError(
                "industry_groups",
                sorted(self.industry_groups),
                "only companies have industry groups (§2.12)",
            )
        if self.web_sources:
            raise ValidationError(
                "web_sources",
                sorted(self.web_sources),
                "only companies have web sources (§2.12)",
            )
        if self.currency_code is not None:
            raise ValidationError(
                "currency_code", self.currency_code, "must be blank for persons (§2.1)"
            )

    # --- derived values ----------------------------------------------------------

    @property
    def business_relation_codes(self) -> frozenset[Code]:
        """The codes of the contact's ``business_relations`` rows (§2.8)."""
        return frozenset(row.code for row in self.business_relations)

    @property
    def search_email(self) -> str:
        """The upper-cased e-mail (``Code[80]``), kept in step with it (§2.1 field 5102)."""
        return self.email.upper()

    @property
    def lookup_contact_no(self) -> ContactNo | None:
        """``None`` for companies, the own No. for persons (§2.1 field 5053).

        Statistics filter on it, so a company's cover all its persons and a
        person's only the person.
        """
        return None if self.type is ContactType.COMPANY else self.no

    @property
    def postal_address(self) -> Address:
        """The contact's own address as an :class:`Address`."""
        return Address(
            address=self.address,
            address_2=self.address_2,
            post_code=self.post_code,
            city=self.city,
            county=self.county,
            country_code=self.country_code,
        )

    # --- construction (§2.4) -------------------------------------------------------

    @classmethod
    def create_company(
        cls,
        *,
        no: str,
        name: str = "",
        now: datetime,
        setup: RelationshipSetup,
        **fields: object,
    ) -> Contact:
        """Create a company contact with BC's insert defaults (§2.4).

        Only blank fields take the setup's defaults: salesperson, territory,
        country/region, language, format region, correspondence type and the
        company salutation code. A caller that has the user's own salesperson
        (BC's User Setup) passes it as ``salesperson_code``. Company No. and
        Company Name become the company's own No. and Name (§2.3).

        Args:
            no: The new number (from the contact number series).
            name: The company's name.
            now: The current instant (aware).
            setup: The Marketing Setup.
            **fields: Any field :meth:`edit` accepts, and ``business_relations``.

        Returns:
            The new contact, with a :class:`ContactCreated` event pending.

        Raises:
            ValidationError: A field is unknown or refuses its value.
        """
        return cls._create(
            ContactType.COMPANY, no=no, name=name, now=now, setup=setup, fields=fields
        )

    @classmethod
    def create_person(
        cls,
        *,
        no: str,
        name: str = "",
        now: datetime,
        setup: RelationshipSetup,
        company: Contact | None = None,
        **fields: object,
    ) -> Contact:
        """Create a person contact with BC's insert defaults (§2.4, §2.5, §2.6).

        The name is broken down into first, middle and surname (§2.5); give the parts
        instead (``first_name=...``) to have the name calculated from them. Blank
        fields take the setup's defaults (see :meth:`create_company`, with the person
        salutation code). With ``company`` the person is then linked to it, and the
        inheritance of §2.6 overrides the defaults, as in BC.

        Args:
            no: The new number.
            name: The person's full name.
            now: The current instant (aware).
            setup: The Marketing Setup.
            company: The company to link the new person to, if any.
            **fields: Any field :meth:`edit` accepts, and ``business_relations``.

        Returns:
            The new contact, with :class:`ContactCreated` (and
            :class:`ContactLinkedToCompany`) pending.

        Raises:
            ValidationError: A field is unknown or refuses its value.
            CompanyLinkError: ``company`` is not a company.
        """
        contact = cls._create(
            ContactType.PERSON, no=no, name=name, now=now, setup=setup, fields=fields
        )
        if company is not None:
            contact.link_to_company(
                company, previous_company=None, setup=setup, now=now
            )
        return contact

    @classmethod
    def _create(
        cls,
        type: ContactType,  # noqa: A002 - BC's field name
        *,
        no: str,
        name: str,
        now: datetime,
        setup: RelationshipSetup,
        fields: dict[str, object],
    ) -> Contact:
        when = _now(now)
        _check_known(fields, _EDITABLE | {"business_relations"})
        values = dict(fields)
        name = _check_text("name", name, NAME_LENGTH, personal=True)
        if type is ContactType.PERSON:
            parts = {part: values[part] for part in _NAME_PARTS if part in values}
            if parts:
                if name:
                    raise ValidationError(
                        "name", None, "give the name or its parts, not both"
                    )
                for part, value in parts.items():
                    _check_text(part, value, NAME_PART_LENGTH, personal=True)
                name = calculated_name(
                    *(cast("str", values.get(part, "")) for part in _NAME_PARTS)
                )
            else:
                values.update(zip(_NAME_PARTS, name_breakdown(name), strict=True))
        if _is_blank(values.get("search_name")):
            values["search_name"] = _search_name_of(name)
        salutation = (
            setup.default_company_salutation_code
            if type is ContactType.COMPANY
            else setup.default_person_salutation_code
        )
        defaults: dict[str, object] = {
            "salesperson_code": setup.default_salesperson_code,
            "territory_code": setup.default_territory_code,
            "country_code": setup.default_country_code,
            "language_code": setup.default_language_code,
            "format_region": setup.default_format_region,
            "correspondence_type": setup.default_correspondence_type,
            "salutation_code": salutation,
        }
        for key, default in defaults.items():
            current = values.get(key)
            if _is_blank(current) or (isinstance(current, str) and not current.strip()):
                values[key] = default
        contact = cls(
            no=no,
            type=type,
            name=name,
            last_modified=when,
            **cast("dict[str, Any]", values),
        )
        contact._record(
            ContactCreated(contact_no=contact.no, occurred_at=when, type=type)
        )
        return contact

    # --- the common change path ------------------------------------------------------

    def _apply(self, changes: Mapping[str, object], when: datetime) -> frozenset[str]:
        """Validate ``changes`` as a whole, then apply them; return what changed."""
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        changed = frozenset(
            name for name in changes if getattr(self, name) != getattr(checked, name)
        )
        if changed:
            for name in changed:
                # Already converted and validated on ``checked``; converting twice
                # is harmless but needless.
                object.__setattr__(self, name, getattr(checked, name))
            self.last_modified = when
        return changed

    def _search_name_follows_name(self) -> bool:
        # §2.5: Search Name follows Name while blank or equal to UPPER(old Name).
        return not self.search_name or self.search_name == _search_name_of(self.name)

    def _name_changes(self, new_name: object) -> dict[str, object]:
        name = _check_text("name", new_name, NAME_LENGTH, personal=True)
        changes: dict[str, object] = {"name": name}
        if self.type is ContactType.COMPANY:
            changes["company_name"] = name  # §2.5 ProcessNameChange
        else:  # §2.5 NameBreakdown
            changes.update(zip(_NAME_PARTS, name_breakdown(name), strict=True))
        if self._search_name_follows_name():
            changes["search_name"] = _search_name_of(name)
        return changes

    def _parts_changes(self, parts: Mapping[str, object]) -> dict[str, object]:
        if self.type is not ContactType.PERSON:
            name = next(iter(parts))
            raise ValidationError(name, None, "only persons have name parts (§2.5)")
        values = {
            part: _check_text(part, parts[part], NAME_PART_LENGTH, personal=True)
            if part in parts
            else cast("str", getattr(self, part))
            for part in _NAME_PARTS
        }
        name = calculated_name(*values.values())
        changes: dict[str, object] = {**values, "name": name}
        if self._search_name_follows_name():
            changes["search_name"] = _search_name_of(name)
        return changes

    # --- names (§2.5) ----------------------------------------------------------------

    def rename(self, name: str, *, now: datetime) -> None:
        """Change the name, as validating BC's Name field (§2.5).

        A person's name is broken down into first, middle and surname
        (:func:`name_breakdown`); a company's Company Name follows its Name. Search
        Name follows while it is blank or equal to the upper-cased old name.

        Raises:
            ValidationError: ``name`` is not a ``Text[100]``.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> p = Contact.create_person(no="CT9", name="Cher", now=now,
        ...                           setup=RelationshipSetup())
        >>> p.rename("John Smith", now=now)
        >>> (p.first_name, p.surname, p.search_name)
        ('John', 'Smith', 'JOHN SMITH')
        """
        when = _now(now)
        if self._apply(self._name_changes(name), when):
            self._record(ContactRenamed(contact_no=self.no, occurred_at=when))

    def rename_parts(
        self,
        *,
        first: str | None = None,
        middle: str | None = None,
        surname: str | None = None,
        now: datetime,
    ) -> None:
        """Change a person's name parts; the name is calculated from them (§2.5).

        ``None`` keeps a part. No breakdown runs on this path.

        Raises:
            ValidationError: A part is not a ``Text[30]``, or the contact is a company.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> p = Contact.create_person(no="CT9", name="John Smith", now=now,
        ...                           setup=RelationshipSetup())
        >>> p.rename_parts(middle="Q", now=now)
        >>> p.name
        'John Q Smith'
        """
        when = _now(now)
        given: dict[str, object] = {
            part: value
            for part, value in zip(_NAME_PARTS, (first, middle, surname), strict=True)
            if value is not None
        }
        if not given:
            return
        if self._apply(self._parts_changes(given), when):
            self._record(ContactRenamed(contact_no=self.no, occurred_at=when))

    # --- plain edits -----------------------------------------------------------------

    def edit(self, *, now: datetime, **changes: object) -> None:
        """Change plain fields, validated as a whole before anything changes (§2.1).

        The side effects of §2.1/§2.5/§2.16 apply: ``name`` is renamed as by
        :meth:`rename`, name parts as by :meth:`rename_parts`; e-mails are
        normalised (and Search E-Mail follows); the VAT registration no. is stored
        upper-case. Number, type, company link, privacy flags, business relations and
        alternative addresses have their own methods.

        Records :class:`ContactChanged` naming every changed field, and
        :class:`ContactRenamed` too when the name changed.

        Raises:
            ValidationError: An unknown or non-editable field, or a value a field
                refuses; nothing was changed.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> c = Contact.create_company(no="CT1", name="Cronus", now=now,
        ...                            setup=RelationshipSetup())
        >>> c.edit(email="Ann.Lee@Cronus.EXAMPLE.COM", vat_registration_no="gb1", now=now)
        >>> (c.email, c.search_email, c.vat_registration_no)
        ('Ann.Lee@cronus.example.com', 'ANN.LEE@CRONUS.EXAMPLE.COM', 'GB1')
        """
        when = _now(now)
        _check_known(changes)
        values = dict(changes)
        parts: dict[str, object] = {
            part: values.pop(part) for part in _NAME_PARTS if part in values
        }
        if "name" in values:
            if parts:
                raise ValidationError(
                    "name", None, "give the name or its parts, not both"
                )
            values = {
                **self._name_changes(values.pop("name")),
                **values,
            }
        elif parts:
            values = {**self._parts_changes(parts), **values}
        changed = self._apply(values, when)
        if not changed:
            return
        if "name" in changed:
            self._record(ContactRenamed(contact_no=self.no, occurred_at=when))
        self._record(
            ContactChanged(contact_no=self.no, occurred_at=when, fields=changed)
        )

    # --- type change (§2.3) ----------------------------------------------------------

    def change_type(
        self,
        new_type: ContactType,
        *,
        related: ContactRelations,
        setup: RelationshipSetup,
        now: datetime,
    ) -> None:
        """Make a company a person or the other way round, as BC's TypeChange (§2.3).

        Refused while interaction log entries, tasks or opportunities exist for the
        contact. To a company: the organizational level must be blank and there must
        be no job responsibilities; first, middle and surname and the job title are
        cleared, Company No./Name become the own No./Name and the salutation code the
        setup's company default. To a person: no persons may point to the company,
        and it must have no business relations, industry groups, currency code or VAT
        registration no. (and, beyond BC, no web sources, which only companies
        have); Company No./Name are cleared, the salutation code becomes the
        person default and the name is broken down. Asking for the current type
        changes nothing. The service removes the contact from campaign target groups
        and from the duplicate index when it becomes a person.

        Args:
            new_type: The type wanted.
            related: What exists elsewhere about the contact.
            setup: The Marketing Setup (salutation defaults).
            now: The current instant (aware).

        Raises:
            ContactTypeChangeError: One of BC's conditions refused it (``.reason``).
            ValidationError: ``new_type`` is not a contact type.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> c = Contact.create_company(no="CT1", name="Ann Lee", now=now,
        ...                            setup=RelationshipSetup())
        >>> c.change_type(ContactType.PERSON, related=ContactRelations(),
        ...               setup=RelationshipSetup(), now=now)
        >>> (c.type, c.company_no, c.first_name, c.surname)
        (<ContactType.PERSON: 'Person'>, None, 'Ann', 'Lee')
        """
        when = _now(now)
        target = _enum(ContactType, "new_type", new_type)
        if target is self.type:
            return
        self._refuse_type_change(target, related)
        changes: dict[str, object] = {"type": target}
        if target is ContactType.COMPANY:
            changes.update(dict.fromkeys(_PERSON_ONLY_TEXT, ""))
            changes["company_no"] = self.no
            changes["company_name"] = self.name
            changes["salutation_code"] = setup.default_company_salutation_code
        else:
            changes["company_no"] = None
            changes["company_name"] = ""
            changes["salutation_code"] = setup.default_person_salutation_code
            changes.update(zip(_NAME_PARTS, name_breakdown(self.name), strict=True))
        old_type = self.type
        self._apply(changes, when)
        self._record(
            ContactTypeChanged(
                contact_no=self.no, occurred_at=when, old_type=old_type, new_type=target
            )
        )

    def _refuse_type_change(
        self, target: ContactType, related: ContactRelations
    ) -> None:
        reasons: list[tuple[bool, TypeChangeRefusal]] = [
            (
                related.has_interaction_log_entries,
                TypeChangeRefusal.INTERACTION_LOG_ENTRIES,
            ),
            (related.has_tasks, TypeChangeRefusal.TASKS),
            (related.has_opportunities, TypeChangeRefusal.OPPORTUNITIES),
        ]
        if target is ContactType.COMPANY:
            reasons += [
                (
                    self.organizational_level_code is not None,
                    TypeChangeRefusal.ORGANIZATIONAL_LEVEL,
                ),
                (
                    bool(self.job_responsibilities),
                    TypeChangeRefusal.JOB_RESPONSIBILITIES,
                ),
            ]
        else:
            reasons += [
                (related.has_persons, TypeChangeRefusal.RELATED_PERSONS),
                (bool(self.business_relations), TypeChangeRefusal.BUSINESS_RELATIONS),
                (bool(self.industry_groups), TypeChangeRefusal.INDUSTRY_GROUPS),
                (bool(self.web_sources), TypeChangeRefusal.WEB_SOURCES),
                (self.currency_code is not None, TypeChangeRefusal.CURRENCY_CODE),
                (bool(self.vat_registration_no), TypeChangeRefusal.VAT_REGISTRATION_NO),
            ]
        for refused, reason in reasons:
            if refused:
                raise ContactTypeChangeError(self.no, self.type, target, reason)

    # --- company link (§2.6) ---------------------------------------------------------

    def link_to_company(
        self,
        company: Contact,
        *,
        previous_company: Contact | None,
        setup: RelationshipSetup,
        now: datetime,
        related: ContactRelations | None = None,
    ) -> None:
        """Link a person to a company, as validating BC's Company No. (§2.6).

        Runs InheritCompanyToPersonData: Company Name always; for each inherit flag
        that is on, Salesperson, Territory, Country/Region, Language and Format
        Region unconditionally; the address (Address, Address 2, Post Code, City,
        County) only when the person's (Address, Address 2, Post Code, City) is
        "stale", that is equal to ``previous_company``'s or entirely blank; each
        communication field (phones, telex, fax, e-mail, home page, extension,
        pager, correspondence type) when the person's value equals the previous
        company's or is blank.

        The service relinks history (BC's UpdateCompanyNo: the old company keeps
        the person's opportunities, tasks and interaction entries) and recomputes
        the business relation.

        Args:
            company: The company to link to.
            previous_company: The person's current company as stored, if any.
            setup: The Marketing Setup (inherit flags).
            now: The current instant (aware).
            related: What exists elsewhere about the person; a person on an
                unlogged segment cannot change company.

        Raises:
            CompanyLinkError: Not a person, not a company, the contact itself, or
                the person is on an unlogged segment (``.reason``).
            ValidationError: ``previous_company`` is not the person's company.
        """
        when = _now(now)
        if self.type is not ContactType.PERSON:
            raise CompanyLinkError(self.no, company.no, CompanyLinkRefusal.NOT_A_PERSON)
        if company.type is not ContactType.COMPANY:
            raise CompanyLinkError(
                self.no, company.no, CompanyLinkRefusal.NOT_A_COMPANY
            )
        if company.no == self.no:
            raise CompanyLinkError(self.no, company.no, CompanyLinkRefusal.SAME_CONTACT)
        if previous_company is not None and previous_company.no != self.company_no:
            raise ValidationError(
                "previous_company",
                previous_company.no,
                "is not the person's current company",
            )
        if (
            company.no != self.company_no
            and related is not None
            and related.has_unlogged_segment_lines
        ):
            raise CompanyLinkError(
                self.no, company.no, CompanyLinkRefusal.UNLOGGED_SEGMENT_LINES
            )
        changes = _inherited_on_link(self, company, previous_company, setup)
        changes["company_no"] = company.no
        previous_no = self.company_no
        self._apply(changes, when)
        self._record(
            ContactLinkedToCompany(
                contact_no=self.no,
                occurred_at=when,
                company_no=company.no,
                previous_company_no=previous_no,
            )
        )

    def unlink_from_company(
        self, *, now: datetime, related: ContactRelations | None = None
    ) -> None:
        """Clear a person's Company No. and Company Name (§2.6).

        The inherited values stay. Unlinking a person without a company changes
        nothing. The service relinks history to the old company (UpdateCompanyNo).

        Raises:
            CompanyLinkError: The contact is a company, or the person is on an
                unlogged segment.
        """
        when = _now(now)
        if self.type is not ContactType.PERSON:
            raise CompanyLinkError(
                self.no, self.company_no, CompanyLinkRefusal.NOT_A_PERSON
            )
        old = self.company_no
        if old is None:
            return
        if related is not None and related.has_unlogged_segment_lines:
            raise CompanyLinkError(
                self.no, old, CompanyLinkRefusal.UNLOGGED_SEGMENT_LINES
            )
        self._apply({"company_no": None, "company_name": ""}, when)
        self._record(
            ContactUnlinkedFromCompany(
                contact_no=self.no, occurred_at=when, company_no=old
            )
        )

    # --- privacy (§2.15) -------------------------------------------------------------

    def _privacy(self, when: datetime, **flags: bool) -> None:
        if self._apply(flags, when):
            self._record(
                ContactPrivacyChanged(
                    contact_no=self.no,
                    occurred_at=when,
                    privacy_blocked=self.privacy_blocked,
                    minor=self.minor,
                    parental_consent_received=self.parental_consent_received,
                )
            )

    def block_privacy(self, *, now: datetime) -> None:
        """Set Privacy Blocked: the contact can no longer be used (§2.15).

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> c = Contact.create_company(no="CT1", now=now, setup=RelationshipSetup())
        >>> c.block_privacy(now=now)
        >>> c.privacy_blocked
        True
        """
        self._privacy(_now(now), privacy_blocked=True)

    def unblock_privacy(self, *, now: datetime) -> None:
        """Clear Privacy Blocked (§2.15).

        Raises:
            ParentalConsentRequiredError: The contact is a minor without parental
                consent.
        """
        when = _now(now)
        if self.minor and not self.parental_consent_received:
            raise ParentalConsentRequiredError(self.no)
        self._privacy(when, privacy_blocked=False)

    def mark_minor(self, *, now: datetime) -> None:
        """Set Minor; it also sets Privacy Blocked (§2.15).

        Marking a minor again changes nothing.
        """
        when = _now(now)
        if not self.minor:
            self._privacy(when, minor=True, privacy_blocked=True)

    def mark_adult(self, *, now: datetime) -> None:
        """Clear Minor. Privacy Blocked stays as it is: unblocking is separate (§2.15)."""
        self._privacy(_now(now), minor=False)

    def record_parental_consent(self, *, now: datetime) -> None:
        """Set Parental Consent Received; like BC this (re)sets Privacy Blocked (§2.15).

        The user must then unblock explicitly (:meth:`unblock_privacy`). Recording
        consent that is already recorded changes nothing.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> c = Contact.create_person(no="CT2", now=now, setup=RelationshipSetup())
        >>> c.mark_minor(now=now)
        >>> c.record_parental_consent(now=now)
        >>> c.unblock_privacy(now=now)
        >>> (c.minor, c.parental_consent_received, c.privacy_blocked)
        (True, True, False)
        """
        when = _now(now)
        if not self.parental_consent_received:
            self._privacy(when, parental_consent_received=True, privacy_blocked=True)

    def withdraw_parental_consent(self, *, now: datetime) -> None:
        """Clear Parental Consent Received; it (re)sets Privacy Blocked (§2.15).

        Withdrawing consent that was not recorded changes nothing.
        """
        when = _now(now)
        if self.parental_consent_received:
            self._privacy(when, parental_consent_received=False, privacy_blocked=True)

    # --- salutations (§2.10) ---------------------------------------------------------

    def salutation(
        self,
        kind: SalutationType,
        language: str,
        formulas: Iterable[SalutationFormula],
    ) -> str:
        """Return the contact's salutation, as BC's GetSalutation (§2.10).

        The formula for (Salutation Code, ``language``, ``kind``) is filled with the
        contact's job title, first, middle and surname, initials and company name.

        Args:
            kind: Formal or informal.
            language: A language code ('' for the default formula).
            formulas: The salutation formulas to look in (any iterable).

        Raises:
            SalutationFormulaNotFoundError: No formula for the key.
            ValidationError: The formula's text is blank, or a bad argument.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> john = Contact.create_person(no="CT2", name="John Smith", now=now,
        ...                              setup=RelationshipSetup(), salutation_code="M")
        >>> mr = SalutationFormula(salutation_code="M", salutation="Dear Mr. %1 %2",
        ...                        names=("First Name", "Surname"))
        >>> john.salutation(SalutationType.FORMAL, "", [mr])
        'Dear Mr. John Smith'
        """
        salutation_type = _enum(SalutationType, "salutation_type", kind)
        if not isinstance(language, str):
            raise ValidationError("language_code", language, "must be a string")
        language_code = make_code(language, field="language_code")
        key = (self.salutation_code or "", language_code, str(salutation_type))
        for formula in formulas:
            if formula.key == key:
                return formula.render(
                    {
                        SalutationName.JOB_TITLE: self.job_title,
                        SalutationName.FIRST_NAME: self.first_name,
                        SalutationName.MIDDLE_NAME: self.middle_name,
                        SalutationName.SURNAME: self.surname,
                        SalutationName.INITIALS: self.initials,
                        SalutationName.COMPANY_NAME: self.company_name,
                    }
                )
        raise SalutationFormulaNotFoundError(
            self.no, key[0], language_code, salutation_type
        )

    # --- business relations (§2.8) ---------------------------------------------------

    def _set_business_relations(
        self, rows: Iterable[BusinessRelationLink], when: datetime
    ) -> None:
        if self._apply({"business_relations": frozenset(rows)}, when):
            self._record(
                ContactChanged(
                    contact_no=self.no,
                    occurred_at=when,
                    fields=frozenset({"business_relations"}),
                )
            )

    def add_business_relation(
        self,
        code: str,
        *,
        now: datetime,
        setup: RelationshipSetup | None = None,
    ) -> None:
        """Give the contact a plain (unlinked) business relation (table 5054, §2.8).

        A contact holds each code once; adding one it holds changes nothing. With
        ``setup``, the customer, vendor and bank account codes are refused: BC
        creates those rows only by create/link (§2.9).

        Raises:
            ValidationError: ``code`` is not a non-blank ``Code[10]``.
            BusinessRelationError: ``code`` is reserved by ``setup`` (``.reason``
                ``"reserved"``).
        """
        when = _now(now)
        (only,) = _code_set("business_relations")([code])
        row = BusinessRelationLink(only)
        if row.code in self.business_relation_codes:
            return
        if setup is not None and row.code in _reserved_codes(setup):
            raise BusinessRelationError(self.no, row.code, "reserved")
        self._set_business_relations({*self.business_relations, row}, when)

    def remove_business_relation(self, code: str, *, now: datetime) -> None:
        """Remove a business relation by code; a code it does not hold changes nothing."""
        when = _now(now)
        gone = _code_set("business_relations")([code])
        self._set_business_relations(
            (row for row in self.business_relations if row.code not in gone), when
        )

    def business_partner_link(self, link_to_table: LinkToTable | str) -> str | None:
        """Return the No. the contact is linked with in ``link_to_table``, if any."""
        table = _link_to_table(link_to_table)
        for row in self.business_relations:
            if row.is_linked and row.link_to_table is table:
                return row.no
        return None

    def link_business_partner(
        self,
        link: BusinessRelationLink,
        *,
        setup: RelationshipSetup,
        now: datetime,
    ) -> None:
        """Insert a linked relation row, as BC's OnInsert with a No. (§2.8).

        The contact must not already have a relation with the same Link to Table
        nor the code linked elsewhere; a placeholder row (same code, blank No.) is
        replaced. That the target is not linked to another contact is the
        service's check (it needs the other contacts).

        Raises:
            ValidationError: ``link`` is not linked (blank No.).
            ContactAlreadyLinkedError: A relation with that Link to Table exists.
            BusinessRelationError: The code is held linked (``.reason`` ``"code"``).
        """
        del setup  # the reserved codes matter only for rows without a No.
        when = _now(now)
        if not link.is_linked:
            raise ValidationError("no", link.no, "linking needs a No. (§2.8)")
        held_no = self.business_partner_link(link.link_to_table)
        if held_no is not None:
            raise ContactAlreadyLinkedError(self.no, link.link_to_table.value, held_no)
        rows = {row.code: row for row in self.business_relations}
        held = rows.get(link.code)
        if held is not None and held.is_linked:
            raise BusinessRelationError(self.no, link.code, "code")
        rows[link.code] = link
        self._set_business_relations(rows.values(), when)

    def unlink_business_partner(
        self, link_to_table: LinkToTable | str, *, now: datetime
    ) -> BusinessRelationLink | None:
        """Delete the relation row linked with ``link_to_table`` (§2.9 Unlink).

        Returns:
            The deleted row, or ``None`` when the contact had no such link.
        """
        when = _now(now)
        table = _link_to_table(link_to_table)
        for row in self.business_relations:
            if row.is_linked and row.link_to_table is table:
                self._set_business_relations(self.business_relations - {row}, when)
                return row
        return None

    def business_relation(
        self, setup: RelationshipSetup, *, company: Contact | None = None
    ) -> ContactBusinessRelation:
        """Return the derived Contact Business Relation (§2.8).

        A person with a company counts the company's relations too; pass the
        company.

        Raises:
            ValidationError: ``company`` is not the person's company.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> c = Contact.create_company(no="CT1", now=now, setup=RelationshipSetup(),
        ...                            business_relations={"PROSPECT"})
        >>> c.business_relation(RelationshipSetup(bus_rel_code_for_customers="CUST"))
        <ContactBusinessRelation.OTHER: 'Other'>
        """
        rows: list[BusinessRelationLink] = list(self.business_relations)
        if company is not None and company.no != self.no:
            if company.no != self.company_no:
                raise ValidationError(
                    "company", company.no, "is not the contact's company"
                )
            rows += company.business_relations
        return derive_business_relation(rows, setup)

    # --- alternative addresses (§2.11) -----------------------------------------------

    def _alternative_change(self, when: datetime, **changes: object) -> None:
        if self._apply(changes, when):
            self._record(
                ContactChanged(
                    contact_no=self.no, occurred_at=when, fields=frozenset(changes)
                )
            )

    def _alternative_address(self, code: object) -> AlternativeAddress:
        key = _alternative_address_code(code)
        for alt in self.alternative_addresses:
            if alt.code == key:
                return alt
        raise NotFoundError("contact alternative address", (self.no, key))

    def add_alternative_address(
        self, address: AlternativeAddress, *, now: datetime
    ) -> None:
        """Add an alternative address (table 5051, §2.11).

        Raises:
            ValidationError: The contact already has an address with that code, or
                ``address`` is not an :class:`AlternativeAddress`.
        """
        when = _now(now)
        if not isinstance(address, AlternativeAddress):
            raise ValidationError("address", address, "must be an AlternativeAddress")
        if any(alt.code == address.code for alt in self.alternative_addresses):
            raise ValidationError(
                "code", address.code, "already exists for the contact"
            )
        self._alternative_change(
            when, alternative_addresses=(*self.alternative_addresses, address)
        )

    def replace_alternative_address(
        self, address: AlternativeAddress, *, now: datetime
    ) -> None:
        """Replace the alternative address with the same code (§2.11).

        Raises:
            NotFoundError: The contact has no address with that code.
            ValidationError: ``address`` is not an :class:`AlternativeAddress`.
        """
        when = _now(now)
        if not isinstance(address, AlternativeAddress):
            raise ValidationError("address", address, "must be an AlternativeAddress")
        self._alternative_address(address.code)
        self._alternative_change(
            when,
            alternative_addresses=tuple(
                address if alt.code == address.code else alt
                for alt in self.alternative_addresses
            ),
        )

    def remove_alternative_address(self, code: str, *, now: datetime) -> None:
        """Remove an alternative address and its date ranges (§2.11).

        Raises:
            NotFoundError: The contact has no address with that code.
        """
        when = _now(now)
        gone = self._alternative_address(code).code
        self._alternative_change(
            when,
            alternative_addresses=tuple(
                alt for alt in self.alternative_addresses if alt.code != gone
            ),
            alternative_address_periods=tuple(
                period
                for period in self.alternative_address_periods
                if period.address_code != gone
            ),
        )

    def schedule_alternative_address(
        self,
        code: str,
        *,
        starting: date,
        ending: date | None = None,
        now: datetime,
    ) -> None:
        """Use an alternative address from ``starting`` to ``ending`` (table 5052, §2.11).

        ``ending`` ``None`` is open-ended. A contact has one range per starting date.

        Raises:
            NotFoundError: The contact has no address with that code.
            ValidationError: The starting date is taken, or ``ending`` is before it.
        """
        when = _now(now)
        period = AlternativeAddressPeriod(
            address_code=self._alternative_address(code).code,
            starting_date=starting,
            ending_date=ending,
        )
        self._alternative_change(
            when,
            alternative_address_periods=(*self.alternative_address_periods, period),
        )

    def unschedule_alternative_address(self, starting: date, *, now: datetime) -> None:
        """Remove the date range that starts on ``starting`` (§2.11).

        Raises:
            NotFoundError: No range starts on that date.
        """
        when = _now(now)
        day = _day("starting", starting)
        kept = tuple(
            period
            for period in self.alternative_address_periods
            if period.starting_date != day
        )
        if len(kept) == len(self.alternative_address_periods):
            raise NotFoundError("contact alternative address period", (self.no, day))
        self._alternative_change(when, alternative_address_periods=kept)

    def active_alternative_address_code(self, day: date) -> Code | None:
        """Return the code active on ``day``, as BC's ActiveAltAddress (§2.11).

        Among the ranges that cover the day, the one with the latest starting date
        wins; ``None`` when none does.
        """
        when = _day("day", day)
        covering = [
            period for period in self.alternative_address_periods if period.covers(when)
        ]
        if not covering:
            return None
        return max(covering, key=lambda period: period.starting_date).address_code

    def address_on(self, day: date) -> Address:
        """Return the address to use on ``day``: the active alternative one, else own.

        >>> now = datetime(2026, 1, 5, tzinfo=UTC)
        >>> c = Contact.create_company(no="CT1", now=now, setup=RelationshipSetup(),
        ...                            city="London")
        >>> c.add_alternative_address(AlternativeAddress(code="SUMMER",
        ...                           address=Address(city="Nice")), now=now)
        >>> c.schedule_alternative_address("SUMMER", starting=date(2026, 7, 1),
        ...                                ending=date(2026, 8, 31), now=now)
        >>> (c.address_on(date(2026, 7, 14)).city, c.address_on(date(2026, 9, 1)).city)
        ('Nice', 'London')
        """
        code = self.active_alternative_address_code(day)
        if code is None:
            return self.postal_address
        return self._alternative_address(code).address


_TEXT_TYPES = frozenset(
    {
        "str",
        "ContactNo",
        "ContactNo | None",
        "Code | None",
        "SalespersonCode | None",
        "ContactType",
        "CorrespondenceType",
    }
)
CONTACT_TEXT_FIELDS: frozenset[str] = frozenset(
    # Annotations are strings here (``from __future__ import annotations``).
    a.name
    for a in attrs.fields(Contact)
    if str(a.type) in _TEXT_TYPES
)
"""The contact's scalar text fields (texts, codes, the type and correspondence type).

:meth:`~relationship_mgmt.ports.ContactRepository.get_texts` reads these without
loading whole contacts.
"""


def text_fields(fields: Iterable[str]) -> tuple[str, ...]:
    """Return ``fields`` as a tuple once each checked against :data:`CONTACT_TEXT_FIELDS`.

    >>> text_fields(["name", "city", "name"])
    ('name', 'city')

    Raises:
        ValidationError: A field that is not a contact text field.
    """
    names = tuple(dict.fromkeys(fields))
    for name in names:
        if name not in CONTACT_TEXT_FIELDS:
            raise ValidationError("fields", name, "is not a text field of a contact")
    return names


def text_of(value: object) -> str:
    """Return a text field's value as text: an enum's value, ``""`` for no code.

    >>> text_of(ContactType.PERSON), text_of(None), text_of("Leeds")
    ('Person', '', 'Leeds')
    """
    return "" if value is None else str(value)


def _check_known(
    fields: Mapping[str, object], allowed: frozenset[str] = _EDITABLE
) -> None:
    for name, value in fields.items():
        if name not in allowed:
            shown = None if name in _PERSONAL_FIELDS else value
            raise ValidationError(name, shown, "is not an editable contact field")


_PERSONAL_FIELDS: Final = frozenset(
    a.name
    for a in attrs.fields(Contact)
    if a.metadata.get("classification") == "personal"
)


# --- inheritance (§2.6) --------------------------------------------------------------


def _inherited_on_link(
    person: Contact,
    company: Contact,
    previous: Contact | None,
    setup: RelationshipSetup,
) -> dict[str, object]:
    """The field changes of BC's InheritCompanyToPersonData (§2.6)."""
    changes: dict[str, object] = {"company_name": company.name}
    for name, flag in _INHERITED_CODES:
        if getattr(setup, flag):
            changes[name] = getattr(company, name)
    if setup.inherit_address_details:
        own = tuple(getattr(person, name) for name in _ADDRESS_KEY)
        stale = person.postal_address.is_blank or (
            previous is not None
            and own == tuple(getattr(previous, name) for name in _ADDRESS_KEY)
        )
        if stale:
            changes.update({name: getattr(company, name) for name in _ADDRESS_FIELDS})
    if setup.inherit_communication_details:
        for name in (*_COMMUNICATION_FIELDS, "correspondence_type"):
            value = getattr(person, name)
            if _is_blank(value) or (
                previous is not None and value == getattr(previous, name)
            ):
                changes[name] = getattr(company, name)
    return changes


def _propagated_changes(
    old_company: Contact,
    new_company: Contact,
    person: Contact,
    setup: RelationshipSetup,
) -> dict[str, object]:
    """The field changes of BC's DoModify for one person (§2.6)."""
    changes: dict[str, object] = {"company_name": new_company.name}

    def take_if_held(name: str) -> None:
        old = getattr(old_company, name)
        new = getattr(new_company, name)
        if old != new and getattr(person, name) == old:
            changes[name] = new

    for name, flag in _INHERITED_CODES:
        if getattr(setup, flag):
            take_if_held(name)
    if setup.inherit_address_details and all(
        getattr(old_company, name) == getattr(person, name) for name in _ADDRESS_KEY
    ):
        for name in _ADDRESS_FIELDS:
            if getattr(old_company, name) != getattr(new_company, name):
                changes[name] = getattr(new_company, name)
    if setup.inherit_communication_details:
        for name in _COMMUNICATION_FIELDS:
            take_if_held(name)
    return changes


def propagate_company_change(
    old_company: Contact,
    new_company: Contact,
    person: Contact,
    setup: RelationshipSetup,
    *,
    now: datetime,
) -> bool:
    """Carry a company's modification over to one of its persons (§2.6 DoModify).

    The person takes the company's Name as Company Name. For each inherit flag that
    is on, the person takes a changed Salesperson, Territory, Country/Region,
    Language or Format Region only where it still held the company's old value.
    With Inherit Address Details, when the company's old (Address, Address 2, Post
    Code, City) equals the person's, each changed address field (County too) is
    copied. With Inherit Communication Details, each changed phone, telex, fax,
    e-mail, home page, extension, mobile or pager value is copied where the person
    held the old value. Correspondence Type is not propagated.

    The service calls this for every person of the company after the company was
    modified (``old_company`` a copy taken before), saves the persons for which it
    returns ``True``, and carries on with their own linked records (BC modifies a
    changed person recursively).

    Args:
        old_company: The company before the modification.
        new_company: The company after it.
        person: A person of the company; changed in place.
        setup: The Marketing Setup (inherit flags).
        now: The current instant (aware).

    Returns:
        Whether the person changed (then :class:`ContactChanged` is pending on it).

    Raises:
        ValidationError: The contacts do not fit: not one company before and after,
            or the person is not one of its persons.

    >>> now = datetime(2026, 1, 5, tzinfo=UTC)
    >>> setup = RelationshipSetup()
    >>> old = Contact.create_company(no="CT1", name="Cronus", now=now, setup=setup,
    ...                              city="London")
    >>> p = Contact.create_person(no="CT2", name="Ann", now=now, setup=setup,
    ...                           company=old)
    >>> new = attrs.evolve(old)
    >>> new.edit(city="Paris", now=now)
    >>> (propagate_company_change(old, new, p, setup, now=now), p.city)
    (True, 'Paris')
    """
    when = _now(now)
    if (
        new_company.type is not ContactType.COMPANY
        or old_company.type is not ContactType.COMPANY
        or old_company.no != new_company.no
    ):
        raise ValidationError(
            "new_company", new_company.no, "must be the same company before and after"
        )
    if person.type is not ContactType.PERSON or person.company_no != new_company.no:
        raise ValidationError("person", person.no, "is not a person of the company")
    changes = _propagated_changes(old_company, new_company, person, setup)
    changed = person._apply(changes, when)  # noqa: SLF001 - same module, one rule
    if changed:
        person._record(  # noqa: SLF001
            ContactChanged(contact_no=person.no, occurred_at=when, fields=changed)
        )
    return bool(changed)


# --- business relations (§2.8) -------------------------------------------------------


def contact_business_relation(
    codes: Iterable[str],
    setup: RelationshipSetup,
    *,
    placeholders: Collection[str] = (),
) -> ContactBusinessRelation:
    """Derive the Contact Business Relation from relation codes (§2.8).

    ``codes`` are the relation rows counted for the contact (for a person with a
    company, its own and the company's; a code held by both counts twice). A row
    counts as *linked* when its code is one of the setup's customer, vendor, bank
    account or employee codes and it has a No.; ``placeholders`` names the codes
    whose row has a blank No. (BC's placeholder relation).

    No rows give None; no linked row gives Other for one row, else Multiple; exactly
    one row, linked, gives its table; anything else gives Multiple.

    >>> setup = RelationshipSetup(bus_rel_code_for_customers="CUST",
    ...                           bus_rel_code_for_vendors="VEND")
    >>> contact_business_relation(["CUST"], setup)
    <ContactBusinessRelation.CUSTOMER: 'Customer'>
    >>> contact_business_relation(["CUST", "VEND"], setup)
    <ContactBusinessRelation.MULTIPLE: 'Multiple'>
    >>> contact_business_relation([], setup)
    <ContactBusinessRelation.NONE: 'None'>
    """
    tables = {
        code: table
        for code, table in (
            (setup.bus_rel_code_for_employees, ContactBusinessRelation.EMPLOYEE),
            (
                setup.bus_rel_code_for_bank_accounts,
                ContactBusinessRelation.BANK_ACCOUNT,
            ),
            (setup.bus_rel_code_for_vendors, ContactBusinessRelation.VENDOR),
            (setup.bus_rel_code_for_customers, ContactBusinessRelation.CUSTOMER),
        )
        if code is not None
    }
    unlinked = {make_code(code, field="placeholders") for code in placeholders}
    rows = [make_code(code, field="codes") for code in codes]
    if not rows:
        return ContactBusinessRelation.NONE
    linked = [tables[code] for code in rows if code in tables and code not in unlinked]
    if not linked:
        return (
            ContactBusinessRelation.OTHER
            if len(rows) == 1
            else ContactBusinessRelation.MULTIPLE
        )
    if len(linked) == 1 and len(rows) == 1:
        return linked[0]
    return ContactBusinessRelation.MULTIPLE


def _reserved_codes(setup: RelationshipSetup) -> frozenset[Code]:
    return frozenset(
        code
        for code in (
            setup.bus_rel_code_for_customers,
            setup.bus_rel_code_for_vendors,
            setup.bus_rel_code_for_bank_accounts,
        )
        if code
    )


def derive_business_relation(
    rows: Iterable[BusinessRelationLink], setup: RelationshipSetup
) -> ContactBusinessRelation:
    """Derive the Contact Business Relation from relation rows, exactly as §2.8.

    ``rows`` are the rows counted for the contact (for a person with a company, its
    own and the company's). A row is *linked* when its code is one of the setup's
    customer, vendor, bank account or employee codes (non-blank) and it has a No.
    No rows give None; no linked row gives Other for one row, else Multiple; one
    row, linked, gives its Link to Table; anything else gives Multiple.

    >>> setup = RelationshipSetup(bus_rel_code_for_customers="CUST")
    >>> derive_business_relation(
    ...     [BusinessRelationLink("CUST", LinkToTable.CUSTOMER, "C1")], setup)
    <ContactBusinessRelation.CUSTOMER: 'Customer'>
    >>> derive_business_relation([BusinessRelationLink("CUST")], setup)
    <ContactBusinessRelation.OTHER: 'Other'>
    """
    counted = list(rows)
    if not counted:
        return ContactBusinessRelation.NONE
    codes = {
        code
        for code in (
            setup.bus_rel_code_for_customers,
            setup.bus_rel_code_for_vendors,
            setup.bus_rel_code_for_bank_accounts,
            setup.bus_rel_code_for_employees,
        )
        if code
    }
    linked = [row for row in counted if row.code in codes and row.no]
    if not linked:
        return (
            ContactBusinessRelation.OTHER
            if len(counted) == 1
            else ContactBusinessRelation.MULTIPLE
        )
    if len(linked) == 1 and len(counted) == 1:
        return ContactBusinessRelation(linked[0].link_to_table.value)
    return ContactBusinessRelation.MULTIPLE


# --- privacy and deletion checks -----------------------------------------------------


def ensure_usable(contact: Contact, purpose: str) -> None:
    """Refuse to use a privacy-blocked contact (§2.15).

    Other areas call this before logging an interaction, adding the contact to a
    segment, opening an opportunity or task, converting it to a customer ...

    Args:
        contact: The contact to use.
        purpose: What for, reported in the error (``"interaction"`` ...).

    Raises:
        PrivacyBlockedError: The contact is privacy blocked.

    >>> now = datetime(2026, 1, 5, tzinfo=UTC)
    >>> c = Contact.create_company(no="CT1", now=now, setup=RelationshipSetup())
    >>> ensure_usable(c, "interaction")
    """
    if contact.privacy_blocked:
        raise PrivacyBlockedError(contact.no, purpose)


def check_can_delete(contact: Contact, related: ContactRelations) -> None:
    """Refuse to delete a contact BC would not delete (§2.7).

    Deletion is refused while the contact has open tasks, sits on an unlogged
    segment line, or has opportunities that are Not Started or In Progress.

    The cascade is the service's, inside one unit of work. For a company: delete its
    industry groups, web sources and duplicate index; take its interaction log
    entries out of campaign target groups and clear both contact numbers on them
    (the entries stay); delete all its persons (each with its own cascade); clear
    the contact numbers on its opportunities and tasks. For a person: delete its job
    responsibilities; re-point its interaction log entries, opportunities and tasks
    to the company (Contact No. := Company No.). For both: delete business
    relations, mailing groups, profile answers, comments, alternative addresses and
    their date ranges and the VAT registration log, and clear Primary Contact on
    customers and vendors. (Relations, groups and addresses held on the aggregate go
    with it.)

    Raises:
        ContactDeletionError: A condition refused it (``.reason``).

    >>> now = datetime(2026, 1, 5, tzinfo=UTC)
    >>> c = Contact.create_company(no="CT1", now=now, setup=RelationshipSetup())
    >>> check_can_delete(c, ContactRelations(has_active_opportunities=True))
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ContactDeletionError: contact 'CT1' is in use by active opportunities
    """
    for refused, reason in (
        (related.has_open_tasks, DeletionRefusal.OPEN_TASKS),
        (related.has_unlogged_segment_lines, DeletionRefusal.UNLOGGED_SEGMENT_LINES),
        (related.has_active_opportunities, DeletionRefusal.ACTIVE_OPPORTUNITIES),
    ):
        if refused:
            raise ContactDeletionError(contact.no, reason)
