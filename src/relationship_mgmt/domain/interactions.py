"""Interactions: groups, templates, the interaction log and document logging (spec §3).

This is BC's interaction area as pure functions and values:

* :class:`InteractionGroup` (table 5063) and :class:`InteractionTemplate` (5064) with
  its :class:`InteractionTemplateLanguage` rows, kept inside the template aggregate
  (deleting a template deletes them, §3.2);
* :class:`InteractionTemplateSetup` (5122, §1.3): which template logs which kind of
  document;
* :class:`InteractionLogEntry` (5065, §3.3): an append-only, frozen record. Only the
  operations listed in :data:`ENTRY_OPERATIONS` return a changed copy, and
  :func:`check_update` lets storage refuse any other change;
* :func:`plan_interaction` (the Create Interaction wizard's ``LogInteraction``,
  §3.4) and :func:`plan_document_log` (``LogDocument``, §3.5) build the entry a
  service then stores; :class:`InteractionRequest` is the caller's payload, whose
  :meth:`~InteractionRequest.fingerprint` makes idempotent logging possible;
* the statistics FlowFields of §2.2, §3.1 and §3.2 as plain functions over entries
  (:func:`contact_statistics`, :func:`group_statistics`,
  :func:`template_statistics`, :func:`interaction_totals`), the reference the storage
  adapters' SQL must agree with.

Nothing here reads a clock or a number series: dates, times, user ids and entry
numbers come in as arguments. Whatever needs other records (the salesperson's
existence and blocking, the campaign, the campaign entry, attachments and their
files) is the service's job; this module documents where.

>>> import datetime as dt
>>> from relationship_mgmt.domain.contacts import Contact
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
>>> anna = Contact.create_company(no="CT01", name="Cronus", now=now,
...                               setup=RelationshipSetup(), salesperson_code="JO")
>>> call = InteractionTemplate(code="call", interaction_group_code="sales",
...                            description="Phone call", unit_cost_lcy="2.50",
...                            unit_duration_min=10, information_flow="Outbound",
...                            initiated_by="Us")
>>> request = InteractionRequest(contact_no="CT01", template_code="CALL",
...                              date=dt.date(2026, 3, 2))
>>> entry = plan_interaction(request, entry_no=1, contact=anna, template=call,
...                          user_id="admin")
>>> (entry.description, entry.cost_lcy, entry.salesperson_code, entry.correspondence_type)
('Phone call', Decimal('2.50'), 'JO', <CorrespondenceType.BLANK: ''>)
>>> contact_statistics([entry, entry.cancel()], company_no="CT01",
...                    lookup_contact_no=None).no_of_interactions
1
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Context, Decimal, InvalidOperation
from functools import reduce
from typing import Any, ClassVar, Final, TypeVar, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import NORMAL as _NORMAL
from relationship_mgmt.domain._fields import check_text as _check_text
from relationship_mgmt.domain._fields import optional_code as _optional
from relationship_mgmt.domain._fields import personal_text as _ptext
from relationship_mgmt.domain._fields import plain_text as _ntext
from relationship_mgmt.domain._fields import text_validator as _text_validator
from relationship_mgmt.domain._fields import to_enum as _enum
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    CampaignNo,
    Code,
    ContactNo,
    OpportunityNo,
    SalespersonCode,
    SegmentNo,
    TaskNo,
    make_code,
)
from relationship_mgmt.domain.contacts import Contact, LinkToTable, ensure_usable
from relationship_mgmt.domain.setup import CorrespondenceType, InteractionGroup
from relationship_mgmt.errors import (
    IdempotencyConflictError,
    InteractionEntryError,
    InUseError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)

__all__ = [
    "DeliveryStatus",
    "DocumentKind",
    "DocumentType",
    "ENTRY_OPERATIONS",
    "Evaluation",
    "InformationFlow",
    "InitiatedBy",
    "InteractionFilter",
    "InteractionGroup",
    "InteractionLogEntry",
    "InteractionRequest",
    "InteractionStatistics",
    "InteractionTemplate",
    "InteractionTemplateLanguage",
    "InteractionTemplateSetup",
    "WizardAction",
    "check_group_unused",
    "check_purgeable",
    "check_update",
    "contact_filter",
    "contact_statistics",
    "group_statistics",
    "interaction_totals",
    "plan_document_log",
    "plan_interaction",
    "statistics_of",
    "template_statistics",
]

_CODE30: Final = 30  # Word Template Code is Code[30]
_CODE50: Final = 50  # User ID is Code[50]
_MAX_ADJUSTED: Final = (
    20  # amounts and minutes: at most 20 digits before/after the point
)
# Fixed arithmetic context: sums must not depend on the caller's thread context, and
# 80 digits hold any sum of values bounded by _MAX_ADJUSTED exactly.
_ARITH: Final = Context(prec=80)
_ONE: Final = Decimal(1)
_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")


# --- enums (spec §3.2, §3.3, §1.3) -------------------------------------------------------


class InformationFlow(enum.StrEnum):
    """Whether information went out to the contact or came in (§3.2, §3.3).

    >>> InformationFlow("Inbound") is InformationFlow.INBOUND
    True
    """

    BLANK = ""
    OUTBOUND = "Outbound"
    INBOUND = "Inbound"


class InitiatedBy(enum.StrEnum):
    """Who started the interaction; ``Us`` feeds *Last Date Attempted* (§2.2, §3.2).

    >>> InitiatedBy.US.value
    'Us'
    """

    BLANK = ""
    US = "Us"
    THEM = "Them"


class Evaluation(enum.StrEnum):
    """How an interaction went, set by the *Evaluate* action (§3.3, §3.6).

    >>> Evaluation("Very Negative") is Evaluation.VERY_NEGATIVE
    True
    """

    BLANK = ""
    VERY_POSITIVE = "Very Positive"
    POSITIVE = "Positive"
    NEUTRAL = "Neutral"
    NEGATIVE = "Negative"
    VERY_NEGATIVE = "Very Negative"


class DeliveryStatus(enum.StrEnum):
    """Where sending a logged e-mail or document stands (§3.3, §3.7).

    Delivery runs ``' '`` → ``In Progress`` → ``' '`` (or ``Error``); see
    :meth:`InteractionLogEntry.record_delivery`.

    >>> DeliveryStatus("In Progress") is DeliveryStatus.IN_PROGRESS
    True
    """

    BLANK = ""
    IN_PROGRESS = "In Progress"
    ERROR = "Error"


class WizardAction(enum.StrEnum):
    """What the Create Interaction wizard does with a template's attachment (§3.2).

    >>> WizardAction("Merge") is WizardAction.MERGE
    True
    """

    BLANK = ""
    OPEN = "Open"
    IMPORT = "Import"
    MERGE = "Merge"


class DocumentType(enum.StrEnum):
    """BC's *Interaction Log Entry Document Type*, values as BC spells them (§3.3).

    The members are in BC's ordinal order (0 ``' '`` to 26 ``Sales Draft Invoice``).

    >>> DocumentType("Sales Inv.").ordinal
    4
    >>> DocumentType.SALES_DRAFT_INVOICE.ordinal
    26
    """

    BLANK = ""
    SALES_QUOTE = "Sales Qte."
    SALES_BLANKET_ORDER = "Sales Blnkt. Ord"
    SALES_ORDER_CONFIRMATION = "Sales Ord. Cnfrmn."
    SALES_INVOICE = "Sales Inv."
    SALES_SHIPMENT_NOTE = "Sales Shpt. Note"
    SALES_CREDIT_MEMO = "Sales Cr. Memo"
    SALES_STATEMENT = "Sales Stmnt."
    SALES_REMINDER = "Sales Rmdr."
    SERVICE_ORDER_CREATE = "Serv. Ord. Create"
    SERVICE_ORDER_POST = "Serv. Ord. Post"
    PURCHASE_QUOTE = "Purch.Qte."
    PURCHASE_BLANKET_ORDER = "Purch. Blnkt. Ord."
    PURCHASE_ORDER = "Purch. Ord."
    PURCHASE_INVOICE = "Purch. Inv."
    PURCHASE_RECEIPT = "Purch. Rcpt."
    PURCHASE_CREDIT_MEMO = "Purch. Cr. Memo"
    COVER_SHEET = "Cover Sheet"
    SALES_RETURN_ORDER = "Sales Return Order"
    SALES_FINANCE_CHARGE_MEMO = "Sales Finance Charge Memo"
    SALES_RETURN_RECEIPT = "Sales Return Receipt"
    PURCHASE_RETURN_SHIPMENT = "Purch. Return Shipment"
    PURCHASE_RETURN_ORDER_CONFIRMATION = "Purch. Return Ord. Cnfrmn."
    SERVICE_CONTRACT = "Service Contract"
    SERVICE_CONTRACT_QUOTE = "Service Contract Quote"
    SERVICE_QUOTE = "Service Quote"
    SALES_DRAFT_INVOICE = "Sales Draft Invoice"

    @property
    def ordinal(self) -> int:
        """BC's integer value of the option (0 for ``' '``)."""
        return _DOCUMENT_TYPE_ORDINALS[self]


_DOCUMENT_TYPE_ORDINALS: Final[Mapping[DocumentType, int]] = {
    member: ordinal for ordinal, member in enumerate(DocumentType)
}


class DocumentKind(enum.StrEnum):
    """A field of the Interaction Template Setup, values as BC captions them (§1.3).

    The first 26 kinds log documents and map to a :class:`DocumentType`; the last
    four (``E-Mails``, ``E-Mail Draft``, ``Outg. Calls``, ``Meeting Invitation``) name
    the templates for e-mail logging, drafts, phone calls and meeting invitations and
    have no document type.

    >>> DocumentKind.SALES_INVOICES.document_type
    <DocumentType.SALES_INVOICE: 'Sales Inv.'>
    >>> DocumentKind.of(DocumentType.PURCHASE_ORDER)
    <DocumentKind.PURCHASE_ORDERS: 'Purch. Orders'>
    >>> DocumentKind.EMAILS.document_type is None
    True
    """

    SALES_QUOTES = "Sales Quotes"
    SALES_BLANKET_ORDERS = "Sales Blnkt. Ord"
    SALES_ORDER_CONFIRMATIONS = "Sales Ord. Cnfrmn."
    SALES_INVOICES = "Sales Invoices"
    SALES_SHIPMENT_NOTES = "Sales Shpt. Note"
    SALES_CREDIT_MEMOS = "Sales Cr. Memo"
    SALES_STATEMENTS = "Sales Statement"
    SALES_REMINDERS = "Sales Rmdr."
    SERVICE_ORDER_CREATE = "Serv Ord Create"
    SERVICE_ORDER_POST = "Serv Ord Post"
    PURCHASE_QUOTES = "Purch. Quotes"
    PURCHASE_BLANKET_ORDERS = "Purch Blnkt Ord"
    PURCHASE_ORDERS = "Purch. Orders"
    PURCHASE_INVOICES = "Purch Invoices"
    PURCHASE_RECEIPTS = "Purch. Rcpt."
    PURCHASE_CREDIT_MEMOS = "Purch Cr Memos"
    COVER_SHEETS = "Cover Sheets"
    SALES_RETURN_ORDERS = "Sales Return Order"
    SALES_FINANCE_CHARGE_MEMOS = "Sales Finance Charge Memo"
    SALES_RETURN_RECEIPTS = "Sales Return Receipt"
    PURCHASE_RETURN_SHIPMENTS = "Purch. Return Shipment"
    PURCHASE_RETURN_ORDER_CONFIRMATIONS = "Purch. Return Ord. Cnfrmn."
    SERVICE_CONTRACTS = "Service Contract"
    SERVICE_CONTRACT_QUOTES = "Service Contract Quote"
    SERVICE_QUOTES = "Service Quote"
    SALES_DRAFT_INVOICES = "Sales Draft Invoices"
    EMAILS = "E-Mails"
    EMAIL_DRAFTS = "E-Mail Draft"
    OUTGOING_CALLS = "Outg. Calls"
    MEETING_INVITATIONS = "Meeting Invitation"

    @property
    def document_type(self) -> DocumentType | None:
        """The document type entries logged for this kind carry (§1.3 table)."""
        return _KIND_DOCUMENT_TYPES.get(self)

    @classmethod
    def of(cls, document_type: DocumentType | str) -> DocumentKind:
        """Return the setup field that holds the template for ``document_type``.

        Raises:
            ValidationError: ``document_type`` is blank or unknown.
        """
        wanted = _enum(DocumentType, "document_type", document_type)
        for kind, mapped in _KIND_DOCUMENT_TYPES.items():
            if mapped is wanted:
                return kind
        raise ValidationError("document_type", wanted, "must not be blank")


# §1.3: the first 26 setup fields map, in order, to document types 1..26.
_KIND_DOCUMENT_TYPES: Final[Mapping[DocumentKind, DocumentType]] = dict(
    zip(list(DocumentKind)[:26], list(DocumentType)[1:], strict=True)
)


# --- field helpers -------------------------------------------------------------------------


def _required(length: int, name: str) -> Callable[[object], Code]:
    """A ``Code[length]`` with BC's ``NotBlank``."""

    def convert(value: object) -> Code:
        code = _optional(length, name)(value)
        if code is None:
            raise ValidationError(name, value, "must not be blank")
        return code

    return convert


def _template_code(value: object) -> Code:
    return _required(CODE10, "interaction_template_code")(value)


def _code(value: object) -> Code:
    return _required(CODE10, "code")(value)


def _row_template_code(value: object) -> Code:
    return _required(CODE10, "template_code")(value)


def _group_code(value: object) -> Code:
    return _required(CODE10, "interaction_group_code")(value)


def _optional_template_code(value: object) -> Code | None:
    return _optional(CODE10, "interaction_template_code")(value)


def _optional_group_code(value: object) -> Code | None:
    return _optional(CODE10, "interaction_group_code")(value)


def _language_code(value: object) -> Code | None:
    return _optional(CODE10, "language_code")(value)


def _row_language_code(value: object) -> Code:
    """A language row's key part: ``Code[10]``, blank allowed (BC's blank language)."""
    return _language_code(value) or Code("")


def _alt_address_code(value: object) -> Code | None:
    return _optional(CODE10, "contact_alt_address_code")(value)


def _word_template_code(value: object) -> Code | None:
    return _optional(_CODE30, "word_template_code")(value)


def _custom_layout_code(value: object) -> Code | None:
    return _optional(CODE20, "custom_layout_code")(value)


def _document_no(value: object) -> Code | None:
    return _optional(CODE20, "document_no")(value)


def _contact_no(value: object) -> ContactNo:
    return ContactNo(_required(CODE20, "contact_no")(value))


def _optional_contact_no(name: str, value: object) -> ContactNo | None:
    code = _optional(CODE20, name)(value)
    return None if code is None else ContactNo(code)


def _entry_contact_no(value: object) -> ContactNo | None:
    return _optional_contact_no("contact_no", value)


def _contact_company_no(value: object) -> ContactNo | None:
    return _optional_contact_no("contact_company_no", value)


def _campaign_no(value: object) -> CampaignNo | None:
    code = _optional(CODE20, "campaign_no")(value)
    return None if code is None else CampaignNo(code)


def _segment_no(value: object) -> SegmentNo | None:
    code = _optional(CODE20, "segment_no")(value)
    return None if code is None else SegmentNo(code)


def _task_no(value: object) -> TaskNo | None:
    code = _optional(CODE20, "task_no")(value)
    return None if code is None else TaskNo(code)


def _opportunity_no(value: object) -> OpportunityNo | None:
    code = _optional(CODE20, "opportunity_no")(value)
    return None if code is None else OpportunityNo(code)


def _salesperson_code(value: object) -> SalespersonCode | None:
    code = _optional(CODE20, "salesperson_code")(value)
    return None if code is None else SalespersonCode(code)


def _user_id(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("user_id", value, "must be a string")
    return make_code(value, max_length=_CODE50, field="user_id")


def _decimal(name: str, value: object, *, integral: bool) -> Decimal:
    """A finite, non-negative ``Decimal`` (BC ``MinValue = 0``), optionally whole."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError(name, value, "must be a Decimal, an int or a string")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(name, value, "is not a number") from None
    if not number.is_finite():
        raise ValidationError(name, value, "must be a finite number")
    if number.is_zero():
        number = Decimal(0)  # no -0 and no 0E-5 lingering in equality-free places
    elif (
        number.adjusted() > _MAX_ADJUSTED
        or cast("int", number.as_tuple().exponent) < -_MAX_ADJUSTED
    ):
        raise ValidationError(name, value, "is out of range")
    if number < 0:
        raise ValidationError(name, value, "must not be negative")
    if integral:
        if number != number.to_integral_value(context=_ARITH):
            raise ValidationError(name, value, "must be a whole number of minutes")
        number = number.quantize(_ONE, context=_ARITH)
    return number


def _unit_cost(value: object) -> Decimal:
    return _decimal("unit_cost_lcy", value, integral=False)


def _unit_duration(value: object) -> Decimal:
    """BC ``Unit Duration (Min.)``: ``DecimalPlaces = 0:0``, ``MinValue = 0``."""
    return _decimal("unit_duration_min", value, integral=True)


def _cost(value: object) -> Decimal:
    return _decimal("cost_lcy", value, integral=False)


def _duration(value: object) -> Decimal:
    return _decimal("duration_min", value, integral=True)


def _optional_cost(value: object) -> Decimal | None:
    return None if value is None else _cost(value)


def _optional_duration(value: object) -> Decimal | None:
    return None if value is None else _duration(value)


def _idempotency_key(value: object) -> str | None:
    """A caller's opaque key (a UUID, an e-mail's Message-ID ...): not blank, kept as is."""
    if value is None:
        return None
    key = _check_text("idempotency_key", value, 250, personal=False)
    if not key.strip():
        raise ValidationError("idempotency_key", value, "must not be blank")
    return key


def _entry_no(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("entry_no", value, "must be a positive integer")
    return value


def _reference(name: str, value: object) -> int | None:
    """An integer reference (attachment, campaign entry ...); BC's 0 means none."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(name, value, "must be a non-negative integer")
    return value or None


def _attachment_no(value: object) -> int | None:
    return _reference("attachment_no", value)


def _campaign_entry_no(value: object) -> int | None:
    return _reference("campaign_entry_no", value)


def _logged_segment_entry_no(value: object) -> int | None:
    return _reference("logged_segment_entry_no", value)


def _modified_word_template(value: object) -> int | None:
    return _reference("modified_word_template", value)


def _count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "must be a non-negative integer")


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _flag() -> bool:
    return field(default=False, validator=_bool, metadata=_NORMAL)


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError("date", value, "must be a date")
    return value


def _clock_time(value: object) -> dt.time | None:
    """BC's Time of Interaction: a wall-clock time without a time zone (§3.3)."""
    if value is None:
        return None
    if not isinstance(value, dt.time):
        raise ValidationError("time_of_interaction", value, "must be a time")
    if value.tzinfo is not None:
        raise ValidationError(
            "time_of_interaction", value, "must be a time without a time zone"
        )
    return value


def _optional_enum(kind: type[_E], name: str, value: object) -> _E | None:
    return None if value is None else _enum(kind, name, value)


def _optional_information_flow(value: object) -> InformationFlow | None:
    return _optional_enum(InformationFlow, "information_flow", value)


def _optional_initiated_by(value: object) -> InitiatedBy | None:
    return _optional_enum(InitiatedBy, "initiated_by", value)


def _optional_correspondence_type(value: object) -> CorrespondenceType | None:
    return _optional_enum(CorrespondenceType, "correspondence_type", value)


def _evaluation(value: object) -> Evaluation:
    return _enum(Evaluation, "evaluation", value)


def _document_type(value: object) -> DocumentType:
    return _enum(DocumentType, "document_type", value)


def _delivery_status(value: object) -> DeliveryStatus:
    return _enum(DeliveryStatus, "delivery_status", value)


def _pick(given: _T | None, default: _T) -> _T:
    """``given`` unless it is ``None``: a caller's value beats the default."""
    return default if given is None else given


def _in_period(
    day: dt.date | None, starting: dt.date | None, ending: dt.date | None
) -> bool:
    """BC's ``Date Filter`` as an inclusive range; an open end is unbounded."""
    return (
        day is not None
        and (starting is None or day >= starting)
        and (ending is None or day <= ending)
    )


# --- interaction groups (§3.1) ----------------------------------------------------------------


# InteractionGroup is a code table (domain.setup keeps them all); it is re-exported here.


def check_group_unused(
    group_code: str, templates: Iterable[InteractionTemplate]
) -> None:
    """Refuse to delete an interaction group that templates still use (§3.1).

    BC has no such check; the library adds it so no template points nowhere.

    Args:
        group_code: The group to delete.
        templates: The templates to look through (all of them, or those of the group).

    Raises:
        InUseError: A template belongs to the group (``used_by`` names it).

    >>> t = InteractionTemplate(code="call", interaction_group_code="sales")
    >>> check_group_unused("letters", [t])
    >>> check_group_unused("sales", [t])
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.InUseError: interaction group 'SALES' is in use by interaction template CALL
    """
    code = _group_code(group_code)
    for template in templates:
        if template.interaction_group_code == code:
            raise InUseError(
                "interaction group", code, f"interaction template {template.code}"
            )


# --- interaction templates (§3.2, §3.7) ---------------------------------------------------------


@frozen(kw_only=True)
class InteractionTemplateLanguage:
    """An *Interaction Tmpl. Language* row: one language of a template (§3.2, §3.7).

    Key: (template code, language code); the language code may be blank, BC's
    "no language". ``custom_layout_code`` / ``report_layout_name`` stand for BC's
    report-layout attachments; a library only needs to know whether one is set,
    because it forces the template's wizard action to ``Merge`` (§3.2).

    >>> row = InteractionTemplateLanguage(template_code="memo", language_code="enu",
    ...                                   description="Memo", attachment_no=7)
    >>> (row.key, row.attachment_no, row.has_custom_layout)
    (('MEMO', 'ENU'), 7, False)
    """

    kind: ClassVar[str] = "interaction_template_language"
    key_fields: ClassVar[tuple[str, ...]] = ("template_code", "language_code")

    template_code: Code = field(converter=_row_template_code, metadata=_NORMAL)
    language_code: Code = field(
        default=Code(""), converter=_row_language_code, metadata=_NORMAL
    )
    description: str = _ntext(100)
    attachment_no: int | None = field(
        default=None, converter=_attachment_no, metadata=_NORMAL
    )
    word_template_code: Code | None = field(
        default=None, converter=_word_template_code, metadata=_NORMAL
    )
    custom_layout_code: Code | None = field(
        default=None, converter=_custom_layout_code, metadata=_NORMAL
    )
    report_layout_name: str = _ntext(250)

    @property
    def key(self) -> tuple[str, str]:
        """The row's key, (template code, language code)."""
        return (self.template_code, self.language_code)

    @property
    def has_custom_layout(self) -> bool:
        """Whether the row uses a report layout (custom layout code or layout name)."""
        return self.custom_layout_code is not None or bool(self.report_layout_name)


def _languages(value: object) -> tuple[InteractionTemplateLanguage, ...]:
    if not isinstance(value, tuple | list):
        raise ValidationError("languages", value, "must be a tuple of language rows")
    for row in value:
        if not isinstance(row, InteractionTemplateLanguage):
            raise ValidationError("languages", row, "must be a language row")
    rows = cast(
        "tuple[InteractionTemplateLanguage, ...] | list[InteractionTemplateLanguage]",
        value,
    )
    return tuple(sorted(rows, key=lambda row: row.language_code))


def _information_flow(value: object) -> InformationFlow:
    return _enum(InformationFlow, "information_flow", value)


def _initiated_by(value: object) -> InitiatedBy:
    return _enum(InitiatedBy, "initiated_by", value)


def _correspondence_type(value: object) -> CorrespondenceType:
    return _enum(CorrespondenceType, "correspondence_type", value)


def _wizard_action(value: object) -> WizardAction:
    return _enum(WizardAction, "wizard_action", value)


@define(kw_only=True)
class InteractionTemplate(AggregateRoot):
    """A kind of interaction and its defaults (table 5064, §3.2), with its languages.

    Logging with a template copies its description, unit cost, unit duration,
    information flow, initiated by, campaign (target/response) and correspondence
    type into the entry (§3.4). ``languages`` holds the *Interaction Tmpl. Language*
    rows (§3.7); they live and die with the template. Change the template with
    :meth:`change` and its languages with :meth:`add_language`,
    :meth:`replace_language` and :meth:`remove_language`.

    What of BC's attachment and Word rules is modelled (the rest needs Word):

    * setting ``language_code_default`` creates the row if missing, switches the
      wizard action to ``Merge`` when the row has a report layout (and away from
      ``Merge`` when it has none) and takes the row's Word template code;
    * setting ``word_template_code`` is refused with wizard action ``Import`` or
      while the default language row has an attachment, and is copied into that
      row (created if missing);
    * setting ``wizard_action`` (or ``word_template_code``) runs BC's check of the
      combination against the default language row ("%1 = %2 can not be specified
      for %3 %4.");
    * logging with wizard action ``Open`` needs an attachment or a Word template
      (:func:`plan_interaction`).

    >>> t = InteractionTemplate(code="letter", interaction_group_code="mail",
    ...                         description="Letter", unit_cost_lcy=1)
    >>> (t.code, t.correspondence_type, t.attachment_no)
    ('LETTER', <CorrespondenceType.EMAIL: 'Email'>, None)
    >>> _ = t.add_language("enu", attachment_no=12)
    >>> t.change(language_code_default="ENU")
    >>> t.attachment_no
    12
    """

    kind: ClassVar[str] = "interaction_template"

    code: Code = field(converter=_code, metadata=_NORMAL)
    interaction_group_code: Code = field(converter=_group_code, metadata=_NORMAL)
    description: str = _ntext(100)
    unit_cost_lcy: Decimal = field(
        default=Decimal(0), converter=_unit_cost, metadata=_NORMAL
    )
    unit_duration_min: Decimal = field(
        default=Decimal(0), converter=_unit_duration, metadata=_NORMAL
    )
    information_flow: InformationFlow = field(
        default=InformationFlow.BLANK, converter=_information_flow, metadata=_NORMAL
    )
    initiated_by: InitiatedBy = field(
        default=InitiatedBy.BLANK, converter=_initiated_by, metadata=_NORMAL
    )
    campaign_no: CampaignNo | None = field(
        default=None, converter=_campaign_no, metadata=_NORMAL
    )
    campaign_target: bool = _flag()
    campaign_response: bool = _flag()
    correspondence_type: CorrespondenceType = field(
        # BC: InitValue = Email.
        default=CorrespondenceType.EMAIL,
        converter=_correspondence_type,
        metadata=_NORMAL,
    )
    language_code_default: Code | None = field(
        default=None, converter=_language_code, metadata=_NORMAL
    )
    wizard_action: WizardAction = field(
        default=WizardAction.BLANK, converter=_wizard_action, metadata=_NORMAL
    )
    ignore_contact_corres_type: bool = _flag()
    word_template_code: Code | None = field(
        default=None, converter=_word_template_code, metadata=_NORMAL
    )
    languages: tuple[InteractionTemplateLanguage, ...] = field(
        default=(), converter=_languages, metadata=_NORMAL
    )

    def __deepcopy__(self, memo: dict[int, object]) -> InteractionTemplate:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    def __attrs_post_init__(self) -> None:
        """Check that the language rows belong to this template, once per language."""
        seen: set[Code] = set()
        for row in self.languages:
            if row.template_code != self.code:
                raise ValidationError(
                    "languages",
                    row.key,
                    f"belongs to another template than {self.code}",
                )
            if row.language_code in seen:
                raise ValidationError(
                    "languages", row.key, "the template has this language twice"
                )
            seen.add(row.language_code)

    # --- derived values --------------------------------------------------------------

    def language(self, language_code: str | None) -> InteractionTemplateLanguage | None:
        """Return the row for ``language_code`` (``None``/blank: the blank language).

        Raises:
            ValidationError: The code is not a ``Code[10]``.
        """
        wanted = _row_language_code(language_code)
        for row in self.languages:
            if row.language_code == wanted:
                return row
        return None

    @property
    def attachment_no(self) -> int | None:
        """The default language's attachment, BC's FlowField *Attachment No.* (§3.2)."""
        row = self.language(self.language_code_default)
        return None if row is None else row.attachment_no

    def find_language(self, contact_language_code: str | None) -> Code | None:
        """Choose the interaction language for a contact, as BC's ``FindLanguage`` (§3.7).

        The contact's language if the template has a row for it, otherwise the
        template's default language (whether or not a row exists for it).

        >>> t = InteractionTemplate(code="memo", interaction_group_code="g",
        ...                         language_code_default="ENU")
        >>> _ = t.add_language("DEU")
        >>> (t.find_language("deu"), t.find_language("fra"), t.find_language(None))
        ('DEU', 'ENU', 'ENU')
        """
        row = self.language(contact_language_code)
        if row is not None:
            return row.language_code or None
        return self.language_code_default

    @classmethod
    def field_names(cls) -> frozenset[str]:
        """Return the names :meth:`change` accepts (all but code, languages, version)."""
        return frozenset(
            a.name
            for a in attrs.fields(cls)
            if a.init and a.name not in {"version", "code", "languages"}
        )

    # --- changes -------------------------------------------------------------------------

    def change(self, **changes: object) -> None:
        """Change fields, with BC's validation side effects, all or nothing (§3.2).

        ``language_code_default``'s side effects (row creation, wizard action, Word
        template) apply to the fields not given in the same call; clearing it has
        none. See the class docstring for the rules.

        Args:
            **changes: Field names and their new values.

        Raises:
            ValidationError: An unknown field, a value a field refuses, or a
                combination BC refuses; nothing was changed.
        """
        names = self.field_names()
        for name, value in changes.items():
            if name not in names:
                raise ValidationError(
                    name, value, "is not an interaction template field"
                )
        new = attrs.evolve(self, **cast("dict[str, Any]", changes))
        if (
            "language_code_default" in changes
            and new.language_code_default is not None
            and new.language_code_default != self.language_code_default
        ):
            new = _with_default_language(new, given=frozenset(changes))
        if "word_template_code" in changes:
            new = _with_word_template(new)
        if "wizard_action" in changes or "word_template_code" in changes:
            _check_wizard_action(new)
        for name in (*names, "languages"):
            setattr(self, name, getattr(new, name))

    def add_language(
        self,
        language_code: str,
        *,
        description: str | None = None,
        attachment_no: int | None = None,
        word_template_code: str | None = None,
        custom_layout_code: str | None = None,
        report_layout_name: str = "",
    ) -> InteractionTemplateLanguage:
        """Add a language row (§3.2); its description defaults to the template's.

        Returns:
            The new row.

        Raises:
            ValidationError: The template already has the language, or a value is
                refused.
        """
        row = InteractionTemplateLanguage(
            template_code=self.code,
            language_code=language_code,
            description=self.description if description is None else description,
            attachment_no=attachment_no,
            word_template_code=word_template_code,
            custom_layout_code=custom_layout_code,
            report_layout_name=report_layout_name,
        )
        if self.language(row.language_code) is not None:
            raise ValidationError(
                "language_code",
                row.language_code,
                f"interaction template {self.code} already has this language",
            )
        self.languages = (*self.languages, row)
        return row

    def replace_language(self, row: InteractionTemplateLanguage) -> None:
        """Replace the row with the same language by ``row``.

        Raises:
            NotFoundError: The template has no row for the language.
            ValidationError: ``row`` belongs to another template.
        """
        if row.template_code != self.code:
            raise ValidationError(
                "template_code", row.template_code, f"is not {self.code}"
            )
        if self.language(row.language_code) is None:
            raise NotFoundError("interaction template language", row.key)
        self.languages = _with_row(self, row).languages

    def remove_language(self, language_code: str) -> None:
        """Remove the row for ``language_code``; its attachment is the service's.

        Removing the default language's row leaves ``language_code_default`` as it is
        (BC has no check either); :attr:`attachment_no` is then ``None``.

        Raises:
            NotFoundError: The template has no row for the language.
        """
        row = self.language(language_code)
        if row is None:
            raise NotFoundError(
                "interaction template language",
                (self.code, _row_language_code(language_code)),
            )
        self.languages = tuple(r for r in self.languages if r is not row)


def _new_default_row(template: InteractionTemplate) -> InteractionTemplateLanguage:
    return InteractionTemplateLanguage(
        template_code=template.code,
        language_code=template.language_code_default,
        description=template.description,
    )


def _with_default_language(
    template: InteractionTemplate, *, given: frozenset[str]
) -> InteractionTemplate:
    """BC's validation of *Language Code (Default)* (§3.2)."""
    row = template.language(template.language_code_default)
    languages = template.languages
    if row is None:
        row = _new_default_row(template)
        languages = (*languages, row)
    wizard_action = template.wizard_action
    if row.has_custom_layout:
        wizard_action = WizardAction.MERGE
    elif wizard_action is WizardAction.MERGE:
        wizard_action = WizardAction.BLANK
    effects: dict[str, Any] = {
        "languages": languages,
        "wizard_action": wizard_action,
        "word_template_code": row.word_template_code,
    }
    return attrs.evolve(
        template, **{name: v for name, v in effects.items() if name not in given}
    )


def _with_word_template(template: InteractionTemplate) -> InteractionTemplate:
    """BC's validation of *Word Template Code*: checked, then copied to the row (§3.2)."""
    code = template.word_template_code
    row = template.language(template.language_code_default)
    if code is None:
        if row is None:
            return template
        return _with_row(template, attrs.evolve(row, word_template_code=None))
    if template.wizard_action is WizardAction.IMPORT:
        raise ValidationError(
            "word_template_code", code, "can not be specified for wizard action Import"
        )
    if row is None:
        row = _new_default_row(template)
    elif row.attachment_no is not None:
        raise ValidationError(
            "word_template_code",
            code,
            "cannot be used while the default language has an attachment; "
            "remove the attachment first",
        )
    return _with_row(template, attrs.evolve(row, word_template_code=code))


def _with_row(
    template: InteractionTemplate, row: InteractionTemplateLanguage
) -> InteractionTemplate:
    others = tuple(
        r for r in template.languages if r.language_code != row.language_code
    )
    return attrs.evolve(template, languages=(*others, row))


def _check_wizard_action(template: InteractionTemplate) -> None:
    """BC's validation of *Wizard Action* against the default language row (§3.2)."""
    action = template.wizard_action
    word = template.word_template_code is not None
    row = template.language(template.language_code_default)
    refused = word and action is WizardAction.IMPORT
    if row is not None and not word:
        layout = row.has_custom_layout
        refused = (layout and action is not WizardAction.MERGE) or (
            action is WizardAction.MERGE and (not layout or row.attachment_no is None)
        )
    if refused:
        raise ValidationError(
            "wizard_action",
            action,
            f"can not be specified for interaction template {template.code}",
        )


# --- interaction template setup (§1.3) ----------------------------------------------------------


def _setup_templates(value: object) -> dict[DocumentKind, Code]:
    if not isinstance(value, Mapping):
        raise ValidationError("templates", value, "must map document kinds to codes")
    templates: dict[DocumentKind, Code] = {}
    for kind, code in cast("Mapping[object, object]", value).items():
        template = _optional_template_code(code)
        if template is not None:
            templates[_enum(DocumentKind, "kind", kind)] = template
    return templates


@define(kw_only=True)
class InteractionTemplateSetup(AggregateRoot):
    """BC's *Interaction Template Setup* singleton: a template per document kind (§1.3).

    When a document of a kind is printed, sent, posted or created, one interaction
    is logged with that kind's template (:func:`plan_document_log`); a kind without
    a template logs nothing.

    >>> setup = InteractionTemplateSetup()
    >>> letter = InteractionTemplate(code="invoice", interaction_group_code="docs")
    >>> setup.assign(DocumentKind.SALES_INVOICES, letter)
    >>> (setup.template_for("Sales Invoices"), setup.template_for(DocumentKind.EMAILS))
    ('INVOICE', None)
    """

    templates: dict[DocumentKind, Code] = field(
        factory=dict, converter=_setup_templates, metadata=_NORMAL
    )

    def template_for(self, kind: DocumentKind | str) -> Code | None:
        """Return the template code set for ``kind``, or ``None`` (nothing is logged).

        Raises:
            ValidationError: ``kind`` is not a setup field.
        """
        return self.templates.get(_enum(DocumentKind, "kind", kind))

    def assign(
        self, kind: DocumentKind | str, template: InteractionTemplate | None
    ) -> None:
        """Set (or with ``None`` clear) the template for ``kind`` (§1.3).

        Only templates without an attachment qualify, except for Meeting Invitation.

        Raises:
            ValidationError: ``kind`` is unknown, or the template has an attachment.
        """
        which = _enum(DocumentKind, "kind", kind)
        if template is None:
            self.templates.pop(which, None)
            return
        meeting = which is DocumentKind.MEETING_INVITATIONS
        if template.attachment_no is not None and not meeting:
            raise ValidationError(
                "template",
                template.code,
                f"has an attachment; {which} needs one without",
            )
        self.templates[which] = template.code

    def kinds_using(self, template_code: str) -> tuple[DocumentKind, ...]:
        """Return the kinds whose template is ``template_code``, in setup order.

        A service can refuse to delete a template the setup still uses.
        """
        code = _template_code(template_code)
        return tuple(kind for kind in DocumentKind if self.templates.get(kind) == code)


# --- the caller's payload -----------------------------------------------------------------------


def _canonical(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(_ARITH), "f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


@frozen(kw_only=True)
class InteractionRequest:
    """What a caller asks to log: the Create Interaction wizard's inputs (§3.4).

    ``None`` (or blank text) means "use the default": the template's description,
    unit cost, unit duration, information flow, initiated by, campaign and
    correspondence type; the contact's salesperson; the language of §3.7 and that
    language's attachment. ``interaction_successful=False`` logs Attempt Failed.

    The request is the **idempotency payload**: :meth:`fingerprint` hashes every
    field but ``idempotency_key``, so a retried request with the same key and the
    same inputs is recognised (:meth:`InteractionLogEntry.ensure_same_payload`)
    while derived values (defaults, entry no., user, campaign entry) play no part.

    >>> import datetime as dt
    >>> a = InteractionRequest(contact_no="ct1", template_code="call",
    ...                        date=dt.date(2026, 3, 2), cost_lcy="2.50",
    ...                        idempotency_key="k1")
    >>> b = InteractionRequest(contact_no="CT1", template_code="CALL",
    ...                        date=dt.date(2026, 3, 2), cost_lcy="2.5",
    ...                        idempotency_key="k2")
    >>> a.fingerprint() == b.fingerprint()
    True
    """

    contact_no: ContactNo = field(converter=_contact_no, metadata=_NORMAL)
    template_code: Code | None = field(
        default=None, converter=_optional_template_code, metadata=_NORMAL
    )
    date: dt.date | None = field(default=None, converter=_date, metadata=_NORMAL)
    time_of_interaction: dt.time | None = field(
        default=None, converter=_clock_time, metadata=_NORMAL
    )
    description: str = _ptext(100)
    subject: str = _ptext(100)
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_salesperson_code, metadata=_NORMAL
    )
    cost_lcy: Decimal | None = field(
        default=None,
        converter=_optional_cost,
        metadata=_NORMAL,
    )
    duration_min: Decimal | None = field(
        default=None,
        converter=_optional_duration,
        metadata=_NORMAL,
    )
    information_flow: InformationFlow | None = field(
        default=None,
        converter=_optional_information_flow,
        metadata=_NORMAL,
    )
    initiated_by: InitiatedBy | None = field(
        default=None,
        converter=_optional_initiated_by,
        metadata=_NORMAL,
    )
    correspondence_type: CorrespondenceType | None = field(
        default=None,
        converter=_optional_correspondence_type,
        metadata=_NORMAL,
    )
    evaluation: Evaluation = field(
        default=Evaluation.BLANK,
        converter=_evaluation,
        metadata=_NORMAL,
    )
    interaction_successful: bool = field(
        default=True, validator=_bool, metadata=_NORMAL
    )
    campaign_no: CampaignNo | None = field(
        default=None, converter=_campaign_no, metadata=_NORMAL
    )
    opportunity_no: OpportunityNo | None = field(
        default=None, converter=_opportunity_no, metadata=_NORMAL
    )
    task_no: TaskNo | None = field(default=None, converter=_task_no, metadata=_NORMAL)
    language_code: Code | None = field(
        default=None, converter=_language_code, metadata=_NORMAL
    )
    attachment_no: int | None = field(
        default=None, converter=_attachment_no, metadata=_NORMAL
    )
    contact_via: str = _ptext(80)
    send_word_docs_as_attmt: bool = _flag()
    document_type: DocumentType = field(
        default=DocumentType.BLANK,
        converter=_document_type,
        metadata=_NORMAL,
    )
    document_no: Code | None = field(
        default=None, converter=_document_no, metadata=_NORMAL
    )
    doc_no_occurrence: int = field(default=0, validator=_count, metadata=_NORMAL)
    version_no: int = field(default=0, validator=_count, metadata=_NORMAL)
    email_logged: bool = _flag()
    email_message_id: str = _ptext(250)
    postponed: bool = _flag()
    deliver: bool = _flag()
    idempotency_key: str | None = field(
        default=None, converter=_idempotency_key, metadata=_NORMAL
    )

    def fingerprint(self) -> str:
        """Return the SHA-256 (hex) of the payload: every field but the key.

        Fields at their default are left out, so adding a defaulted field to the
        request in a later version keeps the fingerprints of old requests. Codes are
        compared normalised (upper-case) and amounts by value (``2.50`` = ``2.5``).
        """
        payload: dict[str, object] = {}
        for attribute in attrs.fields(type(self)):
            value = getattr(self, attribute.name)
            if attribute.name == "idempotency_key" or value == attribute.default:
                continue
            payload[attribute.name] = _canonical(value)
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def for_document(
        cls,
        *,
        setup: InteractionTemplateSetup,
        kind: DocumentKind | str,
        contact_no: str,
        document_no: str,
        date: dt.date,
        time_of_interaction: dt.time | None = None,
        doc_no_occurrence: int = 0,
        version_no: int = 0,
        salesperson_code: str | None = None,
        campaign_no: str | None = None,
        description: str = "",
        opportunity_no: str | None = None,
        idempotency_key: str | None = None,
    ) -> InteractionRequest | None:
        """Build the request ``LogDocument`` logs for a document, or ``None`` (§3.5).

        ``None`` when the setup has no template for ``kind``: nothing is logged.
        A service uses this to recognise a replayed document log; otherwise call
        :func:`plan_document_log`.

        Raises:
            ValidationError: A value is refused.
        """
        which = _enum(DocumentKind, "kind", kind)
        code = setup.template_for(which)
        if code is None:
            return None
        return cls(
            contact_no=contact_no,
            template_code=code,
            date=date,
            time_of_interaction=time_of_interaction,
            description=description,
            salesperson_code=salesperson_code,
            campaign_no=campaign_no,
            opportunity_no=opportunity_no,
            document_type=_pick(which.document_type, DocumentType.BLANK),
            document_no=document_no,
            doc_no_occurrence=doc_no_occurrence,
            version_no=version_no,
            idempotency_key=idempotency_key,
        )


# --- interaction log entries (§3.3, §3.6) ------------------------------------------------------

ENTRY_OPERATIONS: Final[Mapping[str, frozenset[str]]] = {
    "cancel": frozenset({"canceled", "attachment_no"}),
    "uncancel": frozenset({"canceled"}),
    "evaluate": frozenset({"evaluation"}),
    "resume": frozenset(
        {
            "date",
            "time_of_interaction",
            "description",
            "subject",
            "cost_lcy",
            "duration_min",
            "evaluation",
            "attempt_failed",
            "salesperson_code",
            "campaign_no",
            "campaign_entry_no",
            "opportunity_no",
            "contact_via",
            "user_id",
            "postponed",
            "correspondence_type",
            "contact_alt_address_code",
            "delivery_status",
        }
    ),
    "anonymise": frozenset(
        {"description", "subject", "contact_via", "email_message_id", "attachment_no"}
    ),
    "link_opportunity": frozenset({"opportunity_no"}),
    "record_delivery": frozenset({"delivery_status"}),
    "reassign_contact": frozenset({"contact_no", "contact_company_no"}),
    "detach_logged_segment": frozenset({"logged_segment_entry_no"}),
}
"""The operations that may change a logged entry and the fields each may change.

Every other field of :class:`InteractionLogEntry` is fixed once the entry is logged
(``version`` belongs to storage). ``resume`` applies only to postponed entries.
"""

_DELIVERY_MOVES: Final[Mapping[DeliveryStatus, frozenset[DeliveryStatus]]] = {
    DeliveryStatus.BLANK: frozenset({DeliveryStatus.IN_PROGRESS}),
    DeliveryStatus.IN_PROGRESS: frozenset({DeliveryStatus.BLANK, DeliveryStatus.ERROR}),
    DeliveryStatus.ERROR: frozenset({DeliveryStatus.IN_PROGRESS}),
}
"""§3.7: ``' '`` → In Progress → ``' '`` or Error; an Error may be sent again."""


def _version(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "must be a non-negative integer")


@frozen(kw_only=True)
class InteractionLogEntry:
    """A logged interaction: BC's *Interaction Log Entry* (table 5065, §3.3).

    Entries are **append-only** values. They are frozen; the operations of
    :data:`ENTRY_OPERATIONS` (:meth:`cancel`, :meth:`uncancel`, :meth:`evaluate`,
    :meth:`resume`, :meth:`anonymise`, :meth:`link_opportunity`,
    :meth:`record_delivery`, :meth:`reassign_contact`,
    :meth:`detach_logged_segment`) return a changed copy the service stores, and
    :func:`check_update` lets storage refuse anything else. Only canceled entries
    may be deleted (:meth:`ensure_purgeable`). Build new entries with
    :func:`plan_interaction` or :func:`plan_document_log`; the constructor is for
    storage.

    Field names follow BC; ``None`` stands for BC's blank codes and 0 references.
    ``email_message_id``, ``idempotency_key`` and ``payload_fingerprint`` are the
    library's own: the first links a logged e-mail to its message, the other two
    make logging idempotent. ``version`` belongs to storage (optimistic concurrency).
    Personal free text (description, subject, contact via, message id) is kept out
    of ``repr`` and classified ``"personal"``.

    >>> import datetime as dt
    >>> entry = InteractionLogEntry(entry_no=1, contact_no="CT1",
    ...                             date=dt.date(2026, 3, 2), cost_lcy=3)
    >>> entry.cancel().canceled, entry.canceled
    (True, False)
    """

    version: int = field(default=0, validator=_version, metadata=_NORMAL)
    entry_no: int = field(converter=_entry_no, metadata=_NORMAL)
    contact_no: ContactNo | None = field(
        default=None, converter=_entry_contact_no, metadata=_NORMAL
    )
    contact_company_no: ContactNo | None = field(
        default=None,
        converter=_contact_company_no,
        metadata=_NORMAL,
    )
    date: dt.date | None = field(default=None, converter=_date, metadata=_NORMAL)
    time_of_interaction: dt.time | None = field(
        default=None, converter=_clock_time, metadata=_NORMAL
    )
    description: str = _ptext(100)
    information_flow: InformationFlow = field(
        default=InformationFlow.BLANK, converter=_information_flow, metadata=_NORMAL
    )
    initiated_by: InitiatedBy = field(
        default=InitiatedBy.BLANK, converter=_initiated_by, metadata=_NORMAL
    )
    attachment_no: int | None = field(
        default=None, converter=_attachment_no, metadata=_NORMAL
    )
    cost_lcy: Decimal = field(default=Decimal(0), converter=_cost, metadata=_NORMAL)
    duration_min: Decimal = field(
        default=Decimal(0), converter=_duration, metadata=_NORMAL
    )
    # The employee who logged it; kept for audit, not the data subject's data.
    user_id: str = field(default="", converter=_user_id, metadata=_NORMAL)
    interaction_group_code: Code | None = field(
        default=None, converter=_optional_group_code, metadata=_NORMAL
    )
    interaction_template_code: Code | None = field(
        default=None, converter=_optional_template_code, metadata=_NORMAL
    )
    campaign_no: CampaignNo | None = field(
        default=None, converter=_campaign_no, metadata=_NORMAL
    )
    campaign_entry_no: int | None = field(
        default=None, converter=_campaign_entry_no, metadata=_NORMAL
    )
    campaign_response: bool = _flag()
    campaign_target: bool = _flag()
    segment_no: SegmentNo | None = field(
        default=None, converter=_segment_no, metadata=_NORMAL
    )
    evaluation: Evaluation = field(
        default=Evaluation.BLANK,
        converter=_evaluation,
        metadata=_NORMAL,
    )
    attempt_failed: bool = _flag()
    task_no: TaskNo | None = field(default=None, converter=_task_no, metadata=_NORMAL)
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_salesperson_code, metadata=_NORMAL
    )
    delivery_status: DeliveryStatus = field(
        default=DeliveryStatus.BLANK,
        converter=_delivery_status,
        metadata=_NORMAL,
    )
    canceled: bool = _flag()
    correspondence_type: CorrespondenceType = field(
        default=CorrespondenceType.BLANK,
        converter=_correspondence_type,
        metadata=_NORMAL,
    )
    contact_alt_address_code: Code | None = field(
        default=None, converter=_alt_address_code, metadata=_NORMAL
    )
    logged_segment_entry_no: int | None = field(
        default=None,
        converter=_logged_segment_entry_no,
        metadata=_NORMAL,
    )
    document_type: DocumentType = field(
        default=DocumentType.BLANK,
        converter=_document_type,
        metadata=_NORMAL,
    )
    document_no: Code | None = field(
        default=None, converter=_document_no, metadata=_NORMAL
    )
    version_no: int = field(default=0, validator=_count, metadata=_NORMAL)
    doc_no_occurrence: int = field(default=0, validator=_count, metadata=_NORMAL)
    contact_via: str = _ptext(80)
    send_word_docs_as_attmt: bool = _flag()
    interaction_language_code: Code | None = field(
        default=None, converter=_language_code, metadata=_NORMAL
    )
    email_logged: bool = _flag()
    subject: str = _ptext(100)
    opportunity_no: OpportunityNo | None = field(
        default=None, converter=_opportunity_no, metadata=_NORMAL
    )
    postponed: bool = _flag()
    word_template_code: Code | None = field(
        default=None, converter=_word_template_code, metadata=_NORMAL
    )
    merged: bool = _flag()
    modified_word_template: int | None = field(
        default=None,
        converter=_modified_word_template,
        metadata=_NORMAL,
    )
    email_message_id: str = _ptext(250)
    idempotency_key: str | None = field(
        default=None, converter=_idempotency_key, metadata=_NORMAL
    )
    payload_fingerprint: str | None = field(
        default=None,
        validator=attrs.validators.optional(_text_validator(64, personal=False)),
        metadata=_NORMAL,
    )

    def __attrs_post_init__(self) -> None:
        """Check the entry's own invariants."""
        if not self.postponed and self.date is None:
            raise ValidationError(
                "date", None, "a logged interaction has a date (§3.4)"
            )
        if (self.idempotency_key is None) != (self.payload_fingerprint is None):
            raise ValidationError(
                "payload_fingerprint",
                self.payload_fingerprint,
                "is set exactly when an idempotency key is",
            )

    # --- §3.6 operations --------------------------------------------------------------

    def stored_as(self, version: int) -> InteractionLogEntry:
        """Return the entry as storage keeps it: the same fields, ``version`` set.

        Storage adapters call it on every write; nothing but the version changes,
        so the fields are not validated again.

        Raises:
            ValidationError: ``version`` is not a non-negative integer.

        >>> InteractionLogEntry(entry_no=1, postponed=True).stored_as(1).version
        1
        """
        _version(self, _VERSION_FIELD, version)
        return self._replace(version=version)

    def _replace(self, **changes: object) -> InteractionLogEntry:
        """A copy with ``changes`` applied without validation (already-valid values)."""
        clone = object.__new__(InteractionLogEntry)
        for set_slot, value in zip(_ENTRY_SLOTS, _ENTRY_VALUES(self), strict=True):
            set_slot(clone, value)
        for name, value in changes.items():
            _ENTRY_SLOT[name](clone, value)
        return clone

    def cancel(self, *, remove_attachment: bool = False) -> InteractionLogEntry:
        """Mark the entry canceled; canceled entries count in no total (§3.6).

        Args:
            remove_attachment: Also clear ``attachment_no``. BC offers this when no
                other entry uses the attachment; the service checks that and deletes
                the attachment itself.

        Returns:
            The canceled copy (the entry itself if it already is canceled).
        """
        if self.canceled:
            return self
        changes: dict[str, object] = {"canceled": True}
        if remove_attachment:
            changes["attachment_no"] = None
        return attrs.evolve(self, **cast("dict[str, Any]", changes))

    def uncancel(
        self, *, segment_canceled: bool, campaign_entry_canceled: bool
    ) -> InteractionLogEntry:
        """Take the cancel mark off again (§3.6, BC ``SetCanceledCheckmark``).

        Args:
            segment_canceled: Whether the logged segment the entry belongs to is
                canceled (only looked at when the entry has one).
            campaign_entry_canceled: Whether its campaign entry is canceled (only
                looked at when the entry has one).

        Returns:
            The copy that is not canceled (the entry itself if it was not).

        Raises:
            InteractionEntryError: The logged segment or the campaign entry is
                canceled.
        """
        if not self.canceled:
            return self
        if self.logged_segment_entry_no is not None and segment_canceled:
            raise InteractionEntryError(self.entry_no, "the logged segment is canceled")
        if self.campaign_entry_no is not None and campaign_entry_canceled:
            raise InteractionEntryError(self.entry_no, "the campaign entry is canceled")
        return attrs.evolve(self, canceled=False)

    def evaluate(self, evaluation: Evaluation | str) -> InteractionLogEntry:
        """Set the evaluation, or clear it with ``' '`` (§3.6 Evaluate).

        Raises:
            ValidationError: ``evaluation`` is not an :class:`Evaluation`.
        """
        return attrs.evolve(self, evaluation=evaluation)

    def link_opportunity(self, opportunity_no: str) -> InteractionLogEntry:
        """Write back the opportunity created from this entry (§3.6 Create Opportunity).

        The service checks the contact's privacy and creates the opportunity.

        Raises:
            InteractionEntryError: The entry is canceled or already has an
                opportunity.
            ValidationError: ``opportunity_no`` is blank or too long.
        """
        self.ensure_can_create_opportunity()
        number = _opportunity_no(opportunity_no)
        if number is None:
            raise ValidationError("opportunity_no", opportunity_no, "must not be blank")
        return attrs.evolve(self, opportunity_no=number)

    @property
    def can_create_opportunity(self) -> bool:
        """Whether an opportunity may be created from the entry (BC ``CanCreateOpportunity``)."""
        return not self.canceled and self.opportunity_no is None

    def ensure_can_create_opportunity(self) -> None:
        """Refuse an entry an opportunity cannot be created from (§3.6).

        Raises:
            InteractionEntryError: ``reason`` ``"canceled"`` or ``"has an
                opportunity"``.
        """
        if self.canceled:
            raise InteractionEntryError(self.entry_no, "canceled")
        if self.opportunity_no is not None:
            raise InteractionEntryError(self.entry_no, "has an opportunity")

    def record_delivery(self, status: DeliveryStatus | str) -> InteractionLogEntry:
        """Move the delivery status along ' ' → In Progress → ' ' or Error (§3.7).

        Raises:
            InvalidTransitionError: The move is not one of those.
            ValidationError: ``status`` is not a :class:`DeliveryStatus`.
        """
        new = _enum(DeliveryStatus, "delivery_status", status)
        if new not in _DELIVERY_MOVES[self.delivery_status]:
            raise InvalidTransitionError(self.delivery_status, new)
        return attrs.evolve(self, delivery_status=new)

    def reassign_contact(
        self, *, contact_no: str | None, contact_company_no: str | None
    ) -> InteractionLogEntry:
        """Point the entry at other contacts, as deleting or merging contacts does.

        Deleting a person re-points its entries to the company, deleting a company
        clears both numbers (§2.7), and merging moves them to the kept contact
        (§2.12). The entry itself stays.

        Raises:
            ValidationError: A number is too long.
        """
        return attrs.evolve(
            self, contact_no=contact_no, contact_company_no=contact_company_no
        )

    def detach_logged_segment(self) -> InteractionLogEntry:
        """Clear the logged segment, as *Delete Logged Segments* does (§4.10, report 5191)."""
        return attrs.evolve(self, logged_segment_entry_no=None)

    def anonymise(self) -> InteractionLogEntry:
        """Erase the personal free text in place (GDPR erasure, reliability B.6).

        Clears ``description``, ``subject``, ``contact_via`` and ``email_message_id``
        and drops ``attachment_no`` (the service deletes the attachment if no other
        entry uses it). Counts, dates, amounts, codes and links stay, so statistics
        and references survive. ``idempotency_key`` and ``payload_fingerprint`` stay
        too: a replay of the erased request is then recognised (and not logged
        again); callers must not use personal data as keys.
        """
        return attrs.evolve(
            self,
            description="",
            subject="",
            contact_via="",
            email_message_id="",
            attachment_no=None,
        )

    def resume(
        self,
        *,
        contact: Contact,
        date: dt.date,
        user_id: str,
        time_of_interaction: dt.time | None = None,
        description: str | None = None,
        cost_lcy: Decimal | int | str | None = None,
        duration_min: Decimal | int | str | None = None,
        evaluation: Evaluation | str | None = None,
        interaction_successful: bool | None = None,
        salesperson_code: str | None = None,
        campaign_no: str | None = None,
        campaign_entry_no: int | None = None,
        opportunity_no: str | None = None,
        contact_via: str | None = None,
        postponed: bool = False,
        deliver: bool = False,
    ) -> InteractionLogEntry:
        """Finish (or postpone again) a postponed entry under its own number (§3.6).

        BC copies the entry into a new wizard with Date := WORKDATE; finishing
        updates the same entry and clears Postponed. ``None`` keeps the entry's
        value. The alternative address is re-evaluated for the new date if the
        entry had the one active on its old date (§4.3 Date). Finishing runs the
        checks of :func:`plan_interaction`; the contact's privacy is always checked.
        The service gives ``campaign_entry_no`` (the campaign entry it found or
        created) when finishing an entry with a campaign, and checks the salesperson
        and campaign exist.

        Args:
            contact: The entry's contact.
            date: The interaction date (the work date, as BC sets it).
            user_id: Who finishes it.
            time_of_interaction: The time; ``None`` keeps the entry's.
            description: New description; the subject follows it (BC sets Subject
                := Description when the wizard finishes).
            cost_lcy: New cost.
            duration_min: New duration in whole minutes.
            evaluation: New evaluation.
            interaction_successful: ``False`` marks the attempt failed.
            salesperson_code: New salesperson.
            campaign_no: New campaign.
            campaign_entry_no: The campaign entry, when finishing.
            opportunity_no: New opportunity.
            contact_via: New phone number or e-mail used.
            postponed: Save it as postponed again instead of finishing it.
            deliver: Send it (e-mail/document), as the wizard's Send.

        Returns:
            The updated entry.

        Raises:
            InteractionEntryError: The entry is not postponed or is canceled.
            PrivacyBlockedError: The contact is privacy blocked.
            ValidationError: ``contact`` is not the entry's contact, a value is
                refused, a postponed entry was given a campaign entry, or a check on
                finish failed (salesperson for manual entries, template, e-mail to
                deliver to, attachment to deliver).
        """
        if not self.postponed:
            raise InteractionEntryError(self.entry_no, "not postponed")
        if self.canceled:
            raise InteractionEntryError(self.entry_no, "canceled")
        if contact.no != self.contact_no:
            raise ValidationError(
                "contact", contact.no, f"is not the contact of entry {self.entry_no}"
            )
        ensure_usable(contact, "interaction")
        _check_campaign_entry(campaign_entry_no, postponed=postponed)
        alt = self.contact_alt_address_code
        was_active = (
            None
            if self.date is None
            else contact.active_alternative_address_code(self.date)
        )
        if alt == was_active:
            alt = contact.active_alternative_address_code(date)
        text = _pick(description, self.description)
        successful = not self.attempt_failed
        changes: dict[str, object] = {
            "date": date,
            "time_of_interaction": _pick(time_of_interaction, self.time_of_interaction),
            "description": text,
            "subject": self.subject if description is None else text,
            "cost_lcy": _pick(cost_lcy, self.cost_lcy),
            "duration_min": _pick(duration_min, self.duration_min),
            "evaluation": _pick(evaluation, self.evaluation),
            "attempt_failed": not _pick(interaction_successful, successful),
            "salesperson_code": _pick(salesperson_code, self.salesperson_code),
            "campaign_no": _pick(campaign_no, self.campaign_no),
            "campaign_entry_no": _pick(campaign_entry_no, self.campaign_entry_no),
            "opportunity_no": _pick(opportunity_no, self.opportunity_no),
            "contact_via": _pick(contact_via, self.contact_via),
            "user_id": user_id,
            "postponed": postponed,
            "contact_alt_address_code": alt,
        }
        resumed = attrs.evolve(self, **cast("dict[str, Any]", changes))
        return _complete(resumed, contact, deliver=deliver)

    # --- deletion and idempotency ------------------------------------------------------

    def ensure_purgeable(self) -> None:
        """Refuse to delete an entry that is not canceled (§3.6, report 5190).

        Raises:
            InteractionEntryError: ``reason`` ``"not canceled"``.
        """
        if not self.canceled:
            raise InteractionEntryError(self.entry_no, "not canceled")

    def ensure_same_payload(self, request: InteractionRequest) -> None:
        """Accept a replay of the request that logged this entry, refuse another (§3.4).

        A service that finds an entry with the request's idempotency key calls this
        and returns the entry; a different payload under the same key is refused.

        Raises:
            ValidationError: The request's key is not this entry's key.
            IdempotencyConflictError: Same key, different payload.
        """
        key = request.idempotency_key
        if key is None or key != self.idempotency_key:
            raise ValidationError(
                "idempotency_key", key, f"is not the key of entry {self.entry_no}"
            )
        if request.fingerprint() != self.payload_fingerprint:
            raise IdempotencyConflictError(key, self.entry_no)

    # --- presentation ------------------------------------------------------------------

    def title(
        self,
        template: InteractionTemplate | None,
        *,
        salesperson_name: str | None = None,
        user_full_name: str | None = None,
        contact_name: str = "",
    ) -> str:
        """Return the entry's caption, as BC's ``GetEntryTitle`` (§3.3 Entry title).

        The template's description; for an Outbound template ``"<description> -
        by <salesperson name>"`` (the user's full name when the entry has no
        salesperson or its name is unknown, the bare description when neither is
        known); for an Inbound one ``"<description> - from <contact name>"``. No
        template gives ``""``.

        Args:
            template: The entry's template (``None`` if it no longer exists).
            salesperson_name: The name of the entry's salesperson, if found.
            user_full_name: The full name of the entry's user, if found.
            contact_name: The name of the entry's contact.

        Raises:
            ValidationError: ``template`` is not the entry's template.
        """
        if template is None:
            return ""
        if template.code != self.interaction_template_code:
            raise ValidationError(
                "template",
                template.code,
                f"is not the template of entry {self.entry_no}",
            )
        text = template.description
        if template.information_flow is InformationFlow.INBOUND:
            return f"{text} - from {contact_name}"
        if template.information_flow is InformationFlow.OUTBOUND:
            name = salesperson_name if self.salesperson_code is not None else None
            name = _pick(name, user_full_name)
            if name is not None:
                return f"{text} - by {name}"
        return text


_ENTRY_FIELDS: Final = tuple(a.name for a in attrs.fields(InteractionLogEntry))
# The slots' own setters: a frozen entry is copied without its __setattr__ guard.
_ENTRY_SLOT: Final[dict[str, Callable[[object, object], None]]] = {
    name: vars(InteractionLogEntry)[name].__set__ for name in _ENTRY_FIELDS
}
_ENTRY_SLOTS: Final = tuple(_ENTRY_SLOT.values())
_ENTRY_VALUES: Final = operator.attrgetter(*_ENTRY_FIELDS)
_VERSION_FIELD: Final = attrs.fields(InteractionLogEntry).version


_BLANK_VALUES: Final = dict(
    zip(
        _ENTRY_FIELDS,
        _ENTRY_VALUES(InteractionLogEntry(entry_no=1, postponed=True)),
        strict=True,
    )
)


def _valid_entry(**fields: object) -> InteractionLogEntry:
    """Build an entry from values their own sources already validated (§3.4).

    Planning copies fields from a validated request, template and contact (and
    validates the few it computes), so the converters do not run a second time:
    they would cost more than the rest of logging. The entry's invariants are still
    checked. Every field not given keeps its default; ``postponed`` must be given.
    """
    values = {**_BLANK_VALUES, **fields}
    entry: InteractionLogEntry = object.__new__(InteractionLogEntry)
    for name, set_slot in _ENTRY_SLOT.items():
        set_slot(entry, values[name])
    entry.__attrs_post_init__()
    return entry


def check_purgeable(entry: InteractionLogEntry) -> None:
    """Refuse to delete an entry that is not canceled (§3.6, report 5190).

    Delete Interaction Log Entries only ever deletes canceled entries. The service
    also deletes the entry's comments and unique attachment and takes it out of
    campaign target groups; for archived documents (version no. ≠ 0) it deletes the
    archive version.

    Raises:
        InteractionEntryError: ``reason`` ``"not canceled"``.
    """
    entry.ensure_purgeable()


def _changed_fields(
    before: InteractionLogEntry, after: InteractionLogEntry
) -> set[str]:
    return {
        a.name
        for a in attrs.fields(InteractionLogEntry)
        if a.name != "version" and getattr(before, a.name) != getattr(after, a.name)
    }


def check_update(before: InteractionLogEntry, after: InteractionLogEntry) -> None:
    """Refuse to store ``after`` over ``before`` unless an operation allows it (B.2 #6).

    Storage adapters call this on every update: the changed fields must all be
    fields some operation of :data:`ENTRY_OPERATIONS` may change (the ``resume``
    fields only while ``before`` is postponed). ``version`` is storage's own.

    Raises:
        InteractionEntryError: A field no operation may change was changed, or the
            entry numbers differ.

    >>> import datetime as dt
    >>> e = InteractionLogEntry(entry_no=1, date=dt.date(2026, 3, 2))
    >>> check_update(e, e.cancel())
    >>> check_update(e, attrs.evolve(e, cost_lcy=5))
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.InteractionEntryError: interaction log entry 1: cost_lcy cannot change after logging
    """
    if before.entry_no != after.entry_no:
        raise InteractionEntryError(before.entry_no, "entry_no cannot change")
    allowed: set[str] = set()
    for name, fields in ENTRY_OPERATIONS.items():
        if name != "resume" or before.postponed:
            allowed |= fields
    refused = sorted(_changed_fields(before, after) - allowed)
    if refused:
        raise InteractionEntryError(
            before.entry_no, f"{', '.join(refused)} cannot change after logging"
        )


# --- logging (§3.4, §3.5) ------------------------------------------------------------------------


def _check_campaign_entry(campaign_entry_no: int | None, *, postponed: bool) -> None:
    if postponed and campaign_entry_no is not None:
        raise ValidationError(
            "campaign_entry_no",
            campaign_entry_no,
            "a postponed interaction gets no campaign entry (§3.4)",
        )


def _contact_email(contact: Contact, alt_address_code: str | None) -> str:
    """The e-mail to use: the active alternative address's, else the contact's (§3.4)."""
    for address in contact.alternative_addresses:
        if address.code == alt_address_code and address.email:
            return address.email
    return contact.email


def _complete(
    entry: InteractionLogEntry,
    contact: Contact,
    *,
    deliver: bool,
    fresh: bool = False,
) -> InteractionLogEntry:
    """Run the checks on finish and the e-mail fallback (§3.4, BC ``CheckSegmentLine``).

    Skipped for a postponed entry. Salesperson existence and blocking, the template's
    and the campaign's existence are the service's checks. ``fresh``: the entry was
    built just now and nobody else holds it, so the fallback is written in place.
    """
    if entry.postponed:
        return entry
    if entry.document_type is DocumentType.BLANK and entry.salesperson_code is None:
        raise ValidationError(
            "salesperson_code", None, "must be set for a manual interaction (§3.4)"
        )
    if entry.interaction_template_code is None:
        raise ValidationError(
            "interaction_template_code", None, "must be set to log an interaction"
        )
    correspondence = entry.correspondence_type
    via = entry.contact_via
    if correspondence is CorrespondenceType.EMAIL:
        email = _contact_email(contact, entry.contact_alt_address_code)
        if not email and deliver:
            raise ValidationError(
                "deliver",
                value=True,
                reason=(
                    f"contact {contact.no} has no e-mail on the contact or its "
                    "alternative address"
                ),
            )
        if not email:
            correspondence = CorrespondenceType.BLANK
        elif not via:
            via = email[:80]
    status = entry.delivery_status
    if deliver and correspondence is not CorrespondenceType.BLANK:
        if entry.attachment_no is None and entry.word_template_code is None:
            raise ValidationError(
                "attachment_no",
                None,
                "delivering an interaction needs an attachment or a Word template (§4.9)",
            )
        status = DeliveryStatus.IN_PROGRESS
    return _with_fallback(entry, correspondence, via, status, fresh=fresh)


def _with_fallback(
    entry: InteractionLogEntry,
    correspondence: CorrespondenceType,
    via: str,
    status: DeliveryStatus,
    *,
    fresh: bool,
) -> InteractionLogEntry:
    """The entry with the finish's correspondence type, Contact Via and status.

    The values are an enum member, the e-mail cut to 80 characters and an enum
    member, all valid; a ``fresh`` entry is written in place.
    """
    if (correspondence, via, status) == (
        entry.correspondence_type,
        entry.contact_via,
        entry.delivery_status,
    ):
        return entry
    if fresh:
        _ENTRY_SLOT["correspondence_type"](entry, correspondence)
        _ENTRY_SLOT["contact_via"](entry, via)
        _ENTRY_SLOT["delivery_status"](entry, status)
        return entry
    return entry._replace(
        correspondence_type=correspondence,
        contact_via=via,
        delivery_status=status,
    )


def _check_subjects(
    request: InteractionRequest,
    contact: Contact,
    template: InteractionTemplate | None,
) -> None:
    if request.contact_no != contact.no:
        raise ValidationError(
            "contact", contact.no, f"is not the requested contact {request.contact_no}"
        )
    if template is None:
        if request.template_code is not None:
            raise NotFoundError("interaction template", request.template_code)
    elif template.code != request.template_code:
        raise ValidationError(
            "template",
            template.code,
            f"is not the requested template {request.template_code}",
        )
    ensure_usable(contact, "interaction")


def _default_correspondence(
    template: InteractionTemplate, contact: Contact
) -> CorrespondenceType:
    """BC ``SetCorrespondenceType`` without a segment header (§4.3)."""
    if template.ignore_contact_corres_type or (
        contact.correspondence_type is CorrespondenceType.BLANK
    ):
        return template.correspondence_type
    return contact.correspondence_type


def _from_template(
    request: InteractionRequest, contact: Contact, template: InteractionTemplate
) -> dict[str, object]:
    """The fields a template fills, the request's values winning (§3.4 step 2, §3.7)."""
    language = request.language_code
    if language is None:
        language = template.find_language(contact.language_code)
    elif template.language(language) is None:
        raise NotFoundError("interaction template language", (template.code, language))
    row = template.language(language)
    return {
        "interaction_template_code": template.code,
        "interaction_group_code": template.interaction_group_code,
        "description": request.description or template.description,
        "cost_lcy": _pick(request.cost_lcy, template.unit_cost_lcy),
        "duration_min": _pick(request.duration_min, template.unit_duration_min),
        "information_flow": _pick(request.information_flow, template.information_flow),
        "initiated_by": _pick(request.initiated_by, template.initiated_by),
        "campaign_target": template.campaign_target,
        "campaign_response": template.campaign_response,
        "campaign_no": _pick(request.campaign_no, template.campaign_no),
        "correspondence_type": _pick(
            request.correspondence_type, _default_correspondence(template, contact)
        ),
        "interaction_language_code": language,
        "attachment_no": _pick(
            request.attachment_no, None if row is None else row.attachment_no
        ),
        "word_template_code": (
            template.word_template_code if row is None else row.word_template_code
        ),
    }


def _without_template(request: InteractionRequest) -> dict[str, object]:
    """The same fields for a postponed interaction that has no template yet."""
    return {
        "description": request.description,
        "cost_lcy": _pick(request.cost_lcy, Decimal(0)),
        "duration_min": _pick(request.duration_min, Decimal(0)),
        "information_flow": _pick(request.information_flow, InformationFlow.BLANK),
        "initiated_by": _pick(request.initiated_by, InitiatedBy.BLANK),
        "campaign_no": request.campaign_no,
        "correspondence_type": _pick(
            request.correspondence_type, CorrespondenceType.BLANK
        ),
        "interaction_language_code": request.language_code,
        "attachment_no": request.attachment_no,
    }


def _plan(
    request: InteractionRequest,
    *,
    entry_no: int,
    contact: Contact,
    template: InteractionTemplate | None,
    user_id: str,
    campaign_entry_no: int | None,
    segment_no: str | None,
    logged_segment_entry_no: int | None,
    inherit_salesperson: bool,
    date: dt.date | None = None,
    time_of_interaction: dt.time | None = None,
) -> InteractionLogEntry:
    _check_subjects(request, contact, template)
    _check_campaign_entry(campaign_entry_no, postponed=request.postponed)
    salesperson = request.salesperson_code
    if salesperson is None and inherit_salesperson:
        salesperson = contact.salesperson_code
    day = request.date or _date(date)
    defaults = (
        _without_template(request)
        if template is None
        else _from_template(request, contact, template)
    )
    entry = _valid_entry(
        entry_no=_entry_no(entry_no),
        contact_no=contact.no,
        contact_company_no=contact.company_no,
        date=day,
        time_of_interaction=request.time_of_interaction or time_of_interaction,
        subject=request.subject or cast("str", defaults["description"]),
        user_id=_user_id(user_id),
        campaign_entry_no=_campaign_entry_no(campaign_entry_no),
        segment_no=_segment_no(segment_no),
        logged_segment_entry_no=_logged_segment_entry_no(logged_segment_entry_no),
        evaluation=request.evaluation,
        attempt_failed=not request.interaction_successful,
        task_no=request.task_no,
        salesperson_code=salesperson,
        contact_alt_address_code=(
            None if day is None else contact.active_alternative_address_code(day)
        ),
        document_type=request.document_type,
        document_no=request.document_no,
        version_no=request.version_no,
        doc_no_occurrence=request.doc_no_occurrence,
        contact_via=request.contact_via,
        send_word_docs_as_attmt=request.send_word_docs_as_attmt,
        email_logged=request.email_logged,
        opportunity_no=request.opportunity_no,
        postponed=request.postponed,
        email_message_id=request.email_message_id,
        idempotency_key=request.idempotency_key,
        payload_fingerprint=(
            None if request.idempotency_key is None else request.fingerprint()
        ),
        **cast("dict[str, Any]", defaults),
    )
    if (
        template is not None
        and template.wizard_action is WizardAction.OPEN
        and not entry.postponed
        and entry.document_type is DocumentType.BLANK
        and entry.attachment_no is None
        and template.word_template_code is None
    ):
        raise ValidationError(
            "attachment_no",
            None,
            "No attachment found. You must either add an attachment or choose a "
            "template in the Word Template Code field on the Interaction Template page.",
        )
    return _complete(entry, contact, deliver=request.deliver, fresh=True)


def plan_interaction(
    request: InteractionRequest,
    *,
    entry_no: int,
    contact: Contact,
    template: InteractionTemplate | None,
    user_id: str,
    campaign_entry_no: int | None = None,
    segment_no: str | None = None,
    logged_segment_entry_no: int | None = None,
    date: dt.date | None = None,
    time_of_interaction: dt.time | None = None,
) -> InteractionLogEntry:
    """Build the entry the Create Interaction wizard logs (§3.4, BC ``LogInteraction``).

    Defaults, in BC's order: the salesperson from the request, else the contact's
    (§3.4 step 1); from the template the group, description, cost = unit cost,
    duration = unit duration, information flow, initiated by, campaign target and
    response, campaign (unless the request names one) and correspondence type — the
    contact's unless the template says *Ignore Contact Corres. Type* or the contact
    has none (§4.3); the language of §3.7 and that language row's attachment and
    Word template (else the template's Word template). Contact Company No. is the
    contact's company (a company's own number, §2.3), the alternative address the
    one active on the date (§2.11), Subject the description unless given, and
    ``interaction_successful=False`` logs Attempt Failed.

    Checks on finish (skipped when postponed): the date is set; a manual interaction
    (document type ``' '``) has a salesperson; the template is set; a template with
    wizard action Open has an attachment or Word template; Email correspondence
    falls back to ``' '`` when neither the active alternative address nor the
    contact has an e-mail (otherwise Contact Via defaults to that e-mail), and
    delivering then is an error; delivering needs an attachment or Word template
    and sets Delivery Status to In Progress. The contact's privacy block is checked
    always, postponed or not: a postponed entry is personal data too (reliability
    B.2 #4).

    The service checks that the salesperson exists and is not blocked or privacy
    blocked, that the campaign exists, finds or creates the campaign entry (only
    when not postponed) and passes its number, adds the company to the campaign
    target group, stores attachments and sends deliveries.

    Args:
        request: The caller's inputs.
        entry_no: The new entry's number.
        contact: The contact ``request.contact_no`` names.
        template: The template ``request.template_code`` names (``None`` when the
            request names none, or it was not found).
        user_id: The user logging it.
        campaign_entry_no: The campaign entry the service found or created.
        segment_no: The segment the interaction comes from, if any.
        logged_segment_entry_no: The logged segment, if any.
        date: The date when the request gives none (the service's work date); the
            idempotency fingerprint stays that of the request as given.
        time_of_interaction: The time when the request gives none.

    Returns:
        The entry to store (postponed if the request says so).

    Raises:
        PrivacyBlockedError: The contact is privacy blocked.
        NotFoundError: The request names a template that was not given, or a
            language the template has no row for.
        ValidationError: The contact or template is not the requested one, a value
            is refused, or a check on finish failed.
    """
    return _plan(
        request,
        entry_no=entry_no,
        contact=contact,
        template=template,
        user_id=user_id,
        campaign_entry_no=campaign_entry_no,
        segment_no=segment_no,
        logged_segment_entry_no=logged_segment_entry_no,
        inherit_salesperson=True,
        date=date,
        time_of_interaction=_clock_time(time_of_interaction),
    )


def plan_document_log(
    *,
    entry_no: int,
    setup: InteractionTemplateSetup,
    kind: DocumentKind | str,
    template: InteractionTemplate | None,
    contact: Contact,
    document_no: str,
    date: dt.date,
    user_id: str,
    time_of_interaction: dt.time | None = None,
    account: LinkToTable | str = LinkToTable.BLANK,
    doc_no_occurrence: int = 0,
    version_no: int = 0,
    salesperson_code: str | None = None,
    campaign_no: str | None = None,
    description: str = "",
    opportunity_no: str | None = None,
    campaign_entry_no: int | None = None,
    idempotency_key: str | None = None,
) -> InteractionLogEntry | None:
    """Build the entry BC's ``LogDocument`` logs for a document, or ``None`` (§3.5).

    The template comes from the setup; without one nothing is logged (``None``). A
    template with language rows is refused. The description defaults to the
    template's; the document type (from ``kind``), number, occurrence, version and
    opportunity are set. When the document's account is the contact itself
    (``account`` blank) the salesperson defaults from the contact; for a customer
    or vendor it is exactly ``salesperson_code``. The rest is
    :func:`plan_interaction` with deliver and postponed off.

    The service resolves a customer's or vendor's contact through the business
    relation (nothing is logged without one), passes ``date`` = TODAY, and for a
    posted sales invoice in an active campaign passes that campaign.

    Args:
        entry_no: The new entry's number.
        setup: The Interaction Template Setup.
        kind: Which setup field applies.
        template: The template the setup names for ``kind`` (``None`` if it names
            none or it was not found).
        contact: The contact the document is logged for.
        document_no: The document's number.
        date: The date (BC: TODAY).
        user_id: The user.
        time_of_interaction: The time.
        account: The table the document's account is in; blank for a contact.
        doc_no_occurrence: The document's occurrence (archives).
        version_no: The archive version (0 for none).
        salesperson_code: The document's salesperson.
        campaign_no: A campaign overriding the template's.
        description: The description; blank takes the template's.
        opportunity_no: The document's opportunity.
        campaign_entry_no: The campaign entry the service found or created.
        idempotency_key: An optional idempotency key.

    Returns:
        The entry to store, or ``None`` when the setup has no template for ``kind``.

    Raises:
        ValidationError: The template has languages, a value is refused, or a
            check of :func:`plan_interaction` failed.
        NotFoundError: The setup names a template that was not given.
        PrivacyBlockedError: The contact is privacy blocked.
    """
    request = InteractionRequest.for_document(
        setup=setup,
        kind=kind,
        contact_no=contact.no,
        document_no=document_no,
        date=date,
        time_of_interaction=time_of_interaction,
        doc_no_occurrence=doc_no_occurrence,
        version_no=version_no,
        salesperson_code=salesperson_code,
        campaign_no=campaign_no,
        description=description,
        opportunity_no=opportunity_no,
        idempotency_key=idempotency_key,
    )
    if request is None:
        return None
    if template is not None and template.languages:
        raise ValidationError(
            "interaction_template_code",
            template.code,
            "a template used for documents must not have languages "
            f"(it has {template.languages[0].language_code!r})",
        )
    via_contact = _enum(LinkToTable, "account", account) is LinkToTable.BLANK
    return _plan(
        request,
        entry_no=entry_no,
        contact=contact,
        template=template,
        user_id=user_id,
        campaign_entry_no=campaign_entry_no,
        segment_no=None,
        logged_segment_entry_no=None,
        inherit_salesperson=via_contact,
    )


# --- statistics (§2.2, §3.1, §3.2, §3.6) ---------------------------------------------------------


@frozen(kw_only=True)
class InteractionStatistics:
    """Interaction figures of a contact, group or template (§2.2, §3.1, §3.2).

    ``date_of_last_interaction`` and ``last_date_attempted`` are contact figures
    (:func:`contact_statistics`); they are ``None`` elsewhere and when no entry
    qualifies.

    >>> InteractionStatistics().no_of_interactions
    0
    """

    no_of_interactions: int = 0
    cost_lcy: Decimal = Decimal(0)
    duration_min: Decimal = Decimal(0)
    date_of_last_interaction: dt.date | None = None
    last_date_attempted: dt.date | None = None


def _counts(
    entry: InteractionLogEntry, starting: dt.date | None, ending: dt.date | None
) -> bool:
    return (
        not entry.canceled
        and not entry.postponed
        and _in_period(entry.date, starting, ending)
    )


def interaction_totals(
    entries: Iterable[InteractionLogEntry],
    *,
    starting: dt.date | None = None,
    ending: dt.date | None = None,
) -> InteractionStatistics:
    """Count and add up the entries that count: not canceled, not postponed, in range.

    This is the common part of every interaction FlowField (§3.6 Statistics); the
    group, template, contact, salesperson and campaign figures apply it to their
    own entries. ``starting``/``ending`` are BC's Date Filter, inclusive.

    >>> import datetime as dt
    >>> e = InteractionLogEntry(entry_no=1, date=dt.date(2026, 3, 2), cost_lcy=2)
    >>> interaction_totals([e, e], ending=dt.date(2026, 3, 2)).cost_lcy
    Decimal('4')
    """
    counted = [entry for entry in entries if _counts(entry, starting, ending)]
    return InteractionStatistics(
        no_of_interactions=len(counted),
        cost_lcy=reduce(_ARITH.add, (e.cost_lcy for e in counted), Decimal(0)),
        duration_min=reduce(_ARITH.add, (e.duration_min for e in counted), Decimal(0)),
    )


def group_statistics(
    entries: Iterable[InteractionLogEntry],
    group_code: str,
    *,
    starting: dt.date | None = None,
    ending: dt.date | None = None,
) -> InteractionStatistics:
    """The Interaction Group FlowFields: its entries' totals (§3.1).

    Raises:
        ValidationError: ``group_code`` is blank or too long.
    """
    code = _group_code(group_code)
    return interaction_totals(
        (e for e in entries if e.interaction_group_code == code),
        starting=starting,
        ending=ending,
    )


def template_statistics(
    entries: Iterable[InteractionLogEntry],
    template_code: str,
    *,
    starting: dt.date | None = None,
    ending: dt.date | None = None,
) -> InteractionStatistics:
    """The Interaction Template FlowFields: its entries' totals (§3.2).

    Raises:
        ValidationError: ``template_code`` is blank or too long.
    """
    code = _template_code(template_code)
    return interaction_totals(
        (e for e in entries if e.interaction_template_code == code),
        starting=starting,
        ending=ending,
    )


def _filter_company_no(value: object) -> ContactNo | None:
    if value == "":
        return ContactNo("")
    return _optional_contact_no("contact_company_no", value)


def _filter_group_code(value: object) -> Code | None:
    return None if value is None else _group_code(value)


@frozen(kw_only=True)
class InteractionFilter:
    """Which interaction log entries a statistic or a list covers (§2.2, §3.6).

    Every field left ``None`` does not filter. ``contact_company_no=""`` selects the
    entries with a blank Contact Company No. (a person without a company), as BC's
    ``Contact Company No. = ''`` does. ``starting``/``ending`` are BC's Date Filter,
    inclusive; they bound the counted figures only (see :func:`statistics_of`).

    >>> InteractionFilter(template_code="call").template_code
    'CALL'
    """

    contact_no: ContactNo | None = field(default=None, converter=_entry_contact_no)
    contact_company_no: ContactNo | None = field(
        default=None, converter=_filter_company_no
    )
    template_code: Code | None = field(default=None, converter=_optional_template_code)
    group_code: Code | None = field(default=None, converter=_filter_group_code)
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_salesperson_code
    )
    campaign_no: CampaignNo | None = field(default=None, converter=_campaign_no)
    attachment_no: int | None = field(default=None, converter=_attachment_no)
    opportunity_no: OpportunityNo | None = field(
        default=None, converter=_opportunity_no
    )
    logged_segment_entry_no: int | None = field(
        default=None, converter=_logged_segment_entry_no
    )
    starting: dt.date | None = field(default=None, converter=_date)
    ending: dt.date | None = field(default=None, converter=_date)

    def selects(self, entry: InteractionLogEntry) -> bool:
        """Return whether ``entry`` is one of the filter's entries, dates aside."""
        company = self.contact_company_no
        return (
            (self.contact_no is None or entry.contact_no == self.contact_no)
            and (company is None or entry.contact_company_no == (company or None))
            and (
                self.template_code is None
                or entry.interaction_template_code == self.template_code
            )
            and (
                self.group_code is None
                or entry.interaction_group_code == self.group_code
            )
            and (
                self.salesperson_code is None
                or entry.salesperson_code == self.salesperson_code
            )
            and (self.campaign_no is None or entry.campaign_no == self.campaign_no)
            and (
                self.attachment_no is None or entry.attachment_no == self.attachment_no
            )
            and (
                self.opportunity_no is None
                or entry.opportunity_no == self.opportunity_no
            )
            and (
                self.logged_segment_entry_no is None
                or entry.logged_segment_entry_no == self.logged_segment_entry_no
            )
        )

    def in_period(self, entry: InteractionLogEntry) -> bool:
        """Return whether the entry's date lies in the Date Filter."""
        return _in_period(entry.date, self.starting, self.ending)


def statistics_of(
    entries: Iterable[InteractionLogEntry], where: InteractionFilter
) -> InteractionStatistics:
    """The interaction FlowFields of the entries ``where`` selects (§2.2, §3.6).

    The reference that storage adapters compute with their own queries:

    * No. of Interactions, Cost (LCY), Duration (Min.): not canceled, not
      postponed, date within the Date Filter;
    * Date of Last Interaction: latest date, not attempt failed, not postponed;
    * Last Date Attempted: latest date, initiated by Us, not postponed.

    As in BC the two dates ignore the Date Filter and the canceled flag.

    >>> import datetime as dt
    >>> e = InteractionLogEntry(entry_no=1, contact_no="P1", date=dt.date(2026, 3, 2),
    ...                         initiated_by="Us", attempt_failed=True)
    >>> s = statistics_of([e], InteractionFilter(contact_no="P1"))
    >>> (s.no_of_interactions, s.date_of_last_interaction, s.last_date_attempted)
    (1, None, datetime.date(2026, 3, 2))
    """
    own = [e for e in entries if where.selects(e)]
    live = [e for e in own if not e.postponed]
    interacted = [e.date for e in live if not e.attempt_failed and e.date is not None]
    attempted = [
        e.date for e in live if e.initiated_by is InitiatedBy.US and e.date is not None
    ]
    totals = interaction_totals(own, starting=where.starting, ending=where.ending)
    return attrs.evolve(
        totals,
        date_of_last_interaction=max(interacted, default=None),
        last_date_attempted=max(attempted, default=None),
    )


def contact_filter(
    *,
    company_no: str | None,
    lookup_contact_no: str | None,
    starting: dt.date | None = None,
    ending: dt.date | None = None,
) -> InteractionFilter:
    """The filter of a contact's FlowFields (§2.2).

    Contact Company No. = ``company_no`` (blank for a person without a company) and,
    through BC's ``LC`` filter, Contact No. = ``lookup_contact_no`` when that is set:
    a company (lookup ``None``) covers all entries of the company and its persons, a
    person only its own entries under its current company.

    Raises:
        ValidationError: A number is too long.
    """
    return InteractionFilter(
        contact_company_no=company_no or "",
        contact_no=lookup_contact_no,
        starting=starting,
        ending=ending,
    )


def contact_statistics(
    entries: Iterable[InteractionLogEntry],
    *,
    company_no: str | None,
    lookup_contact_no: str | None,
    starting: dt.date | None = None,
    ending: dt.date | None = None,
) -> InteractionStatistics:
    """The contact's interaction FlowFields with BC's exact filters (§2.2).

    Pass the contact's ``company_no`` and ``lookup_contact_no``; the filter is
    :func:`contact_filter`, the figures :func:`statistics_of`. As in BC the two
    dates ignore the date filter and the canceled flag (§3.6's "canceled entries
    count in no statistics" is not what the FlowFields do).

    Raises:
        ValidationError: A number is too long.

    >>> import datetime as dt
    >>> e = InteractionLogEntry(entry_no=1, contact_no="P1", contact_company_no="C1",
    ...                         date=dt.date(2026, 3, 2), initiated_by="Us")
    >>> contact_statistics([e], company_no="C1", lookup_contact_no=None).last_date_attempted
    datetime.date(2026, 3, 2)
    >>> contact_statistics([e], company_no="C1", lookup_contact_no="P2").no_of_interactions
    0
    """
    return statistics_of(
        entries,
        contact_filter(
            company_no=company_no,
            lookup_contact_no=lookup_contact_no,
            starting=starting,
            ending=ending,
        ),
    )
