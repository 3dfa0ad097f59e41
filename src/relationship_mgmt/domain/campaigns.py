"""Campaigns: the campaign, its entries, its price lines and its statistics (spec §6).

* :class:`Campaign` is BC's table 5071 (§6.1), an aggregate changed with
  :meth:`Campaign.change`;
* :class:`CampaignEntry` is table 5072 (§6.2), a frozen record; :func:`find_campaign_entry`
  is the find-or-create rule of §3.4/§6.2 (one entry per campaign, segment and
  document type);
* :class:`CampaignPriceLine` and :class:`CampaignLineDiscountLine` are the price list
  lines with Source Type = Campaign (§6.3), records only;
* :class:`CampaignTargetGroup` is table 7030 (§6.3), and :func:`targeted_companies`,
  :func:`target_group_of` and :func:`plan_activation` are BC's ``ActivateCampaign``
  rule; :func:`pricing_campaigns` chooses the campaigns whose lines a sales document
  may use (§6.3 Pricing effect);
* :func:`campaign_statistics` and :func:`campaign_entry_statistics` are the
  FlowFields of §6.1, §6.2 and §6.4 as reference functions over given interaction log
  entries and :class:`OpportunityFigures`.

Nothing here reads a clock, a number series or storage: today's date, entry numbers
and user ids come in as arguments. Storing the target groups (§6.3), checking that
the salesperson is not blocked (:meth:`Salesperson.ensure_assignable
<relationship_mgmt.domain.salespeople.Salesperson.ensure_assignable>`), that the
status code exists, and the cascades of cancel and delete are the service's job.

>>> import datetime as dt
>>> from relationship_mgmt.domain.interactions import InteractionLogEntry
>>> spring = Campaign(no="cp1001", description="Spring fair",
...                   starting_date=dt.date(2026, 3, 1), ending_date=dt.date(2026, 3, 31))
>>> spring.change(today=dt.date(2026, 2, 10), status_code="planned")
>>> (spring.no, spring.status_code, spring.last_date_modified)
('CP1001', 'PLANNED', datetime.date(2026, 2, 10))
>>> spring.change(ending_date=dt.date(2026, 2, 1))
Traceback (most recent call last):
...
relationship_mgmt.errors.ValidationError: ending_date: Ending Date must be after Starting Date. (got datetime.date(2026, 2, 1))
>>> choice = find_campaign_entry([], campaign_no="CP1001", date=dt.date(2026, 3, 2),
...                              entry_no=1, user_id="admin")
>>> (choice.is_new, choice.entry.description)
(True, 'Interactions')
>>> call = InteractionLogEntry(entry_no=7, contact_no="CT1", date=dt.date(2026, 3, 2),
...                            campaign_no="CP1001", campaign_entry_no=1,
...                            campaign_target=True, cost_lcy=3)
>>> stats = campaign_statistics([call], campaign_no="CP1001")
>>> (stats.target_contacts_contacted, stats.cost_lcy, stats.response_rate)
(1, Decimal('3'), Decimal('0'))
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final, Protocol, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import (
    NORMAL,
    optional_code,
    plain_text,
    text_validator,
    to_enum,
)
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    CampaignNo,
    Code,
    ContactNo,
    SalespersonCode,
    SegmentNo,
    make_code,
)
from relationship_mgmt.domain.contacts import Contact, ContactType, LinkToTable
from relationship_mgmt.domain.interactions import (
    DocumentType,
    InteractionLogEntry,
    InteractionStatistics,
)
from relationship_mgmt.domain.opportunities import OpportunityStatus
from relationship_mgmt.errors import ValidationError

__all__ = [
    "Campaign",
    "CampaignEntry",
    "CampaignEntryChoice",
    "CampaignLineDiscountLine",
    "CampaignPriceLine",
    "CampaignStatistics",
    "CampaignTargetGroup",
    "NO_PRICING_QUESTION",
    "NO_TARGET_MESSAGE",
    "OpportunityFigures",
    "OpportunityOutcome",
    "PriceAssetType",
    "PricingLine",
    "TargetType",
    "TargetingRecord",
    "campaign_entry_description",
    "campaign_entry_statistics",
    "campaign_statistics",
    "deletable_campaign_entries",
    "find_campaign_entry",
    "plan_activation",
    "pricing_campaigns",
    "pricing_line_applies",
    "pricing_line_key",
    "target_group_of",
    "targeted_companies",
]

_DESCRIPTION_LENGTH: Final = 100
_CODE50: Final = 50
_HUNDRED: Final = Decimal(100)
_DEFAULT_ENTRY_DESCRIPTION: Final = "Interactions"
"""The campaign entry description of manual interactions (§6.2)."""


OpportunityOutcome = OpportunityStatus
"""The status of an opportunity (§5.4), for the statistics (§6.4): the same enum as
:class:`~relationship_mgmt.domain.opportunities.OpportunityStatus`.

>>> OpportunityOutcome("Won") is OpportunityStatus.WON
True
"""


class PriceAssetType(enum.StrEnum):
    """What a campaign price list line prices, BC's *Price Asset Type* (§6.3).

    ``Item Discount Group`` is allowed on line-discount lines only.

    >>> PriceAssetType("G/L Account").name
    'GL_ACCOUNT'
    """

    ITEM = "Item"
    ITEM_DISCOUNT_GROUP = "Item Discount Group"
    RESOURCE = "Resource"
    RESOURCE_GROUP = "Resource Group"
    SERVICE_COST = "Service Cost"
    GL_ACCOUNT = "G/L Account"


# --- field helpers -------------------------------------------------------------------


def _required_code(length: int, name: str) -> Callable[[object], Code]:
    def convert(value: object) -> Code:
        if not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        code = make_code(value, max_length=length, field=name)
        if not code:
            raise ValidationError(name, value, "must not be blank")
        return code

    return convert


def _campaign_no(value: object) -> CampaignNo:
    return CampaignNo(_required_code(CODE20, "campaign_no")(value))


def _optional_campaign_no(value: object) -> CampaignNo | None:
    code = optional_code(CODE20, "campaign_no")(value)
    return None if code is None else CampaignNo(code)


def _no(value: object) -> CampaignNo:
    return CampaignNo(_required_code(CODE20, "no")(value))


def _asset_no(value: object) -> Code:
    return _required_code(CODE20, "asset_no")(value)


def _optional_segment_no(value: object) -> SegmentNo | None:
    code = optional_code(CODE20, "segment_no")(value)
    return None if code is None else SegmentNo(code)


def _optional_salesperson(value: object) -> SalespersonCode | None:
    code = optional_code(CODE20, "salesperson_code")(value)
    return None if code is None else SalespersonCode(code)


def _user_id(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("user_id", value, "must be a string")
    return make_code(value, max_length=_CODE50, field="user_id")


def _date(name: str) -> Callable[[object], dt.date | None]:
    def convert(value: object) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValidationError(name, value, "must be a date")
        return value

    return convert


def _required_date(value: object) -> dt.date:
    day = _date("date")(value)
    if day is None:
        raise ValidationError("date", value, "is required")
    return day


def _positive_int(name: str) -> Callable[[object], int]:
    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(name, value, "must be a positive integer")
        return value

    return convert


def _optional_positive_int(name: str) -> Callable[[object], int | None]:
    def convert(value: object) -> int | None:
        return None if value is None else _positive_int(name)(value)

    return convert


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _flag() -> bool:
    return field(default=False, validator=_bool, metadata=NORMAL)


def _decimal(
    name: str, *, maximum: Decimal | None = None
) -> Callable[[object], Decimal]:
    """A non-negative Decimal (floats lose digits: refused), at most ``maximum``."""

    def convert(value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            raise ValidationError(name, value, "must be a Decimal, an int or a string")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(name, value, "is not a number") from None
        if not number.is_finite() or number < 0:
            raise ValidationError(name, value, "must not be negative")
        if maximum is not None and number > maximum:
            raise ValidationError(name, value, f"must be at most {maximum}")
        return number

    return convert


def _check_dates(
    starting: dt.date | None, ending: dt.date | None, *, validating_end: bool
) -> None:
    """§6.1: if both dates are set, Starting <= Ending, with BC's two messages."""
    if starting is None or ending is None or starting <= ending:
        return
    if validating_end:
        raise ValidationError(
            "ending_date", ending, "Ending Date must be after Starting Date."
        )
    raise ValidationError(
        "starting_date", starting, "Starting Date must be before Ending Date."
    )


def _any_decimal(name: str) -> Callable[[object], Decimal]:
    """Any finite Decimal (opportunity values may be negative after corrections)."""

    def convert(value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            raise ValidationError(name, value, "must be a Decimal, an int or a string")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(name, value, "is not a number") from None
        if not number.is_finite():
            raise ValidationError(name, value, "is not a number")
        return number

    return convert


def _status_code(value: object) -> Code | None:
    return optional_code(CODE10, "status_code")(value)


def _global_dimension_1_code(value: object) -> Code | None:
    return optional_code(CODE20, "global_dimension_1_code")(value)


def _global_dimension_2_code(value: object) -> Code | None:
    return optional_code(CODE20, "global_dimension_2_code")(value)


def _no_series(value: object) -> Code | None:
    return optional_code(CODE20, "no_series")(value)


def _variant_code(value: object) -> Code | None:
    return optional_code(CODE10, "variant_code")(value)


def _unit_of_measure_code(value: object) -> Code | None:
    return optional_code(CODE10, "unit_of_measure_code")(value)


def _currency_code(value: object) -> Code | None:
    return optional_code(CODE10, "currency_code")(value)


def _starting_date(value: object) -> dt.date | None:
    return _date("starting_date")(value)


def _ending_date(value: object) -> dt.date | None:
    return _date("ending_date")(value)


def _last_date_modified(value: object) -> dt.date | None:
    return _date("last_date_modified")(value)


def _minimum_quantity(value: object) -> Decimal:
    return _decimal("minimum_quantity")(value)


def _unit_price(value: object) -> Decimal:
    return _decimal("unit_price")(value)


def _line_discount_pct(value: object) -> Decimal:
    return _decimal("line_discount_pct", maximum=_HUNDRED)(value)


def _estimated_value_lcy(value: object) -> Decimal:
    return _any_decimal("estimated_value_lcy")(value)


def _calcd_current_value_lcy(value: object) -> Decimal:
    return _any_decimal("calcd_current_value_lcy")(value)


def _entry_no(value: object) -> int:
    return _positive_int("entry_no")(value)


def _register_no(value: object) -> int | None:
    return _optional_positive_int("register_no")(value)


def _opportunity_no(value: object) -> Code:
    return _required_code(CODE20, "opportunity_no")(value)


def _document_type(value: object) -> DocumentType:
    return to_enum(DocumentType, "document_type", value)


def _asset_type(value: object) -> PriceAssetType:
    return to_enum(PriceAssetType, "asset_type", value)


def _status(value: object) -> OpportunityOutcome:
    return to_enum(OpportunityOutcome, "status", value)


# --- Campaign (5071) -----------------------------------------------------------------


@define(kw_only=True)
class Campaign(AggregateRoot):
    """A marketing campaign, the stored fields of BC's table 5071 (§6.1).

    ``no`` is the key (``Code[20]``, not blank; the service draws it from Marketing
    Setup's *Campaign Nos.*, recorded in ``no_series``) and cannot be changed.
    ``status_code`` refers to a
    :class:`~relationship_mgmt.domain.setup.CampaignStatus`; it has no built-in logic.
    ``activated`` is BC's FlowField "a Campaign Target Group row exists" (§6.3) kept
    as a plain field that the activation service sets; nothing here derives it.
    ``last_date_modified`` is BC's TODAY on modify, given as ``today`` to
    :meth:`change`. The statistics FlowFields are :func:`campaign_statistics`.

    Raises:
        ValidationError: A field refuses its value, or Starting Date is after Ending
            Date ("Starting Date must be before Ending Date.").

    >>> Campaign(no="cp1", starting_date=dt.date(2026, 5, 1),
    ...          ending_date=dt.date(2026, 4, 1))
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: starting_date: Starting Date must be before Ending Date. (got datetime.date(2026, 5, 1))
    """

    kind: ClassVar[str] = "campaign"

    no: CampaignNo = field(converter=_no, metadata=NORMAL)
    description: str = plain_text(_DESCRIPTION_LENGTH)
    starting_date: dt.date | None = field(
        default=None, converter=_starting_date, metadata=NORMAL
    )
    ending_date: dt.date | None = field(
        default=None, converter=_ending_date, metadata=NORMAL
    )
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_optional_salesperson, metadata=NORMAL
    )
    status_code: Code | None = field(
        default=None, converter=_status_code, metadata=NORMAL
    )
    global_dimension_1_code: Code | None = field(
        default=None, converter=_global_dimension_1_code, metadata=NORMAL
    )
    global_dimension_2_code: Code | None = field(
        default=None, converter=_global_dimension_2_code, metadata=NORMAL
    )
    no_series: Code | None = field(default=None, converter=_no_series, metadata=NORMAL)
    activated: bool = _flag()
    last_date_modified: dt.date | None = field(
        default=None, converter=_last_date_modified, metadata=NORMAL
    )

    def __attrs_post_init__(self) -> None:
        """Check the date order of a whole campaign (§6.1)."""
        _check_dates(self.starting_date, self.ending_date, validating_end=False)

    def __deepcopy__(self, memo: dict[int, object]) -> Campaign:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    def change(self, *, today: dt.date | None = None, **changes: object) -> None:
        """Change one or more fields, validated as a whole before anything changes (§6.1).

        When ``starting_date`` is among the changes a wrong order is reported on it
        ("Starting Date must be before Ending Date."), otherwise on ``ending_date``
        ("Ending Date must be after Starting Date."), as BC reports it on the field
        being validated. ``today`` (BC's TODAY) becomes ``last_date_modified``.

        Args:
            today: The date of the change; ``None`` leaves Last Date Modified alone.
            **changes: Field names (:meth:`field_names`) and their new values.

        Raises:
            ValidationError: An unknown or unchangeable field, a value a field
                refuses, or the dates out of order; nothing was changed.

        >>> cp = Campaign(no="CP1")
        >>> cp.change(description="Autumn", salesperson_code="jo", activated=True)
        >>> (cp.description, cp.salesperson_code, cp.activated)
        ('Autumn', 'JO', True)
        """
        names = self.field_names()
        for name, value in changes.items():
            if name not in names:
                raise ValidationError(name, value, "is not a changeable field")
        effective = dict(changes)
        if today is not None:
            effective["last_date_modified"] = today
        # Check the dates first, so a wrong order is reported on the field changed.
        starting = _date("starting_date")(
            changes.get("starting_date", self.starting_date)
        )
        ending = _date("ending_date")(changes.get("ending_date", self.ending_date))
        _check_dates(starting, ending, validating_end="starting_date" not in changes)
        # Every converter and validator raises ValidationError, so this either
        # builds a valid copy or changes nothing.
        checked = attrs.evolve(self, **cast("dict[str, Any]", effective))
        for name in effective:
            setattr(self, name, getattr(checked, name))

    @classmethod
    def field_names(cls) -> frozenset[str]:
        """Return the names :meth:`change` accepts (§6.1).

        Every field but the key ``no``, ``version`` (persistence) and
        ``last_date_modified`` (set through ``today``).

        >>> sorted(Campaign.field_names())[:3]
        ['activated', 'description', 'ending_date']
        """
        return frozenset(
            a.name
            for a in attrs.fields(cls)
            if a.init and a.name not in {"version", "no", "last_date_modified"}
        )

    def runs_on(self, day: dt.date) -> bool:
        """Whether ``day`` lies within Starting..Ending Date, an open end unbounded.

        The campaign dates that decide whether its prices reach a document and
        whether it targets anyone on a day (§6.3 Pricing effect).

        >>> Campaign(no="CP1", ending_date=dt.date(2026, 3, 31)).runs_on(
        ...     dt.date(2026, 4, 1))
        False
        """
        return _in_period(day, self.starting_date, self.ending_date)


# --- Campaign Entry (5072) -------------------------------------------------------------


@frozen(kw_only=True)
class CampaignEntry:
    """One campaign entry: the interactions logged for a campaign together (§6.2).

    ``register_no`` is BC's *Register No.*, the Logged Segment Entry No. it came from.
    *No. of Interactions*, *Cost (LCY)* and *Duration (Min.)* are FlowFields, not
    fields: :func:`campaign_entry_statistics`.

    Raises:
        ValidationError: A field refuses its value.

    >>> CampaignEntry(entry_no=1, campaign_no="cp1", date=dt.date(2026, 3, 2)).canceled
    False
    """

    kind: ClassVar[str] = "campaign_entry"

    entry_no: int = field(converter=_entry_no, metadata=NORMAL)
    campaign_no: CampaignNo = field(converter=_campaign_no, metadata=NORMAL)
    date: dt.date = field(converter=_required_date, metadata=NORMAL)
    description: str = field(
        default=_DEFAULT_ENTRY_DESCRIPTION,
        validator=text_validator(_DESCRIPTION_LENGTH, personal=False),
        metadata=NORMAL,
    )
    user_id: str = field(default="", converter=_user_id, metadata=NORMAL)
    segment_no: SegmentNo | None = field(
        default=None, converter=_optional_segment_no, metadata=NORMAL
    )
    canceled: bool = _flag()
    salesperson_code: SalespersonCode | None = field(
        default=None, converter=_optional_salesperson, metadata=NORMAL
    )
    register_no: int | None = field(
        default=None, converter=_register_no, metadata=NORMAL
    )
    document_type: DocumentType = field(
        default=DocumentType.BLANK,
        converter=_document_type,
        metadata=NORMAL,
    )

    def cancel(self) -> CampaignEntry:
        """Return the entry marked canceled (§6.2 Cancel toggle).

        The service sets Canceled on all its interaction log entries in the same
        unit of work
        (:meth:`~relationship_mgmt.domain.interactions.InteractionLogEntry.cancel`).

        Returns:
            The canceled copy (the entry itself if it already is canceled).

        >>> CampaignEntry(entry_no=1, campaign_no="CP1", date=dt.date(2026, 1, 1)).cancel().canceled
        True
        """
        return self if self.canceled else attrs.evolve(self, canceled=True)

    def uncancel(self) -> CampaignEntry:
        """Return the entry no longer canceled (§6.2 Cancel toggle, the other way).

        The service clears Canceled on its interaction log entries too.

        Returns:
            The copy that is not canceled (the entry itself if it was not).

        >>> e = CampaignEntry(entry_no=1, campaign_no="CP1", date=dt.date(2026, 1, 1),
        ...                   canceled=True)
        >>> e.uncancel().canceled
        False
        """
        return attrs.evolve(self, canceled=False) if self.canceled else self


@frozen(kw_only=True)
class CampaignEntryChoice:
    """The answer of :func:`find_campaign_entry`: the entry to use and whether it is new.

    A new entry must be stored by the service before the interaction that refers to
    it (§3.4).

    >>> CampaignEntryChoice(
    ...     entry=CampaignEntry(entry_no=1, campaign_no="CP1", date=dt.date(2026, 1, 1)),
    ...     is_new=False).is_new
    False
    """

    entry: CampaignEntry
    is_new: bool


def campaign_entry_description(
    *, segment_description: str | None = None, document_caption: str | None = None
) -> str:
    """Return the description a new campaign entry gets (§6.2).

    The segment's description when logged from a segment, else the caption of the
    Interaction Template Setup field of a logged document (e.g. "Sales Invoices"),
    else "Interactions". Long texts are cut to ``Text[100]``.

    Raises:
        ValidationError: A description or caption is not a string.

    >>> campaign_entry_description(document_caption="Sales Invoices")
    'Sales Invoices'
    >>> campaign_entry_description()
    'Interactions'
    """
    for name, value in (
        ("segment_description", segment_description),
        ("document_caption", document_caption),
    ):
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValidationError(name, value, "must be a string")
        if value:
            return value[:_DESCRIPTION_LENGTH]
    return _DEFAULT_ENTRY_DESCRIPTION


def find_campaign_entry(
    entries: Iterable[CampaignEntry],
    *,
    campaign_no: str,
    date: dt.date,
    entry_no: int,
    segment_no: str | None = None,
    document_type: DocumentType | str = DocumentType.BLANK,
    user_id: str = "",
    salesperson_code: str | None = None,
    register_no: int | None = None,
    segment_description: str | None = None,
    document_caption: str | None = None,
) -> CampaignEntryChoice:
    """Find the campaign entry an interaction is logged under, or make one (§3.4, §6.2).

    A campaign entry is reused per (Campaign No., Segment No., Document Type): only the
    first interaction logged for that combination creates it. Canceled entries match
    like any other (§6.2 names no other filter); the lowest entry no. wins when
    several match. A new entry gets ``entry_no`` (the service's last + 1), ``date``,
    ``user_id``, ``salesperson_code``, ``register_no`` and the description of
    :func:`campaign_entry_description`; these arguments are ignored when an entry is
    reused.

    Args:
        entries: The existing campaign entries (all, or those of the campaign).
        campaign_no: The interaction's campaign.
        date: The interaction's date.
        entry_no: The number a new entry gets.
        segment_no: The segment logged from, ``None`` for a single interaction.
        document_type: The logged document's type, blank for manual interactions.
        user_id: The user logging.
        salesperson_code: The interaction's salesperson.
        register_no: The Logged Segment Entry No., when logged from a segment.
        segment_description: The segment's description.
        document_caption: The Interaction Template Setup caption of the document.

    Raises:
        ValidationError: A key or a new entry's field refuses its value.

    >>> old = CampaignEntry(entry_no=4, campaign_no="CP1", segment_no="SM1",
    ...                     date=dt.date(2026, 1, 5))
    >>> find_campaign_entry([old], campaign_no="cp1", segment_no="sm1",
    ...                     date=dt.date(2026, 2, 1), entry_no=5).entry.entry_no
    4
    """
    campaign = _campaign_no(campaign_no)
    segment = _optional_segment_no(segment_no)
    kind = to_enum(DocumentType, "document_type", document_type)
    matches = [
        e
        for e in entries
        if e.campaign_no == campaign
        and e.segment_no == segment
        and e.document_type == kind
    ]
    if matches:
        return CampaignEntryChoice(
            entry=min(matches, key=lambda e: e.entry_no), is_new=False
        )
    new = CampaignEntry(
        entry_no=entry_no,
        campaign_no=campaign,
        date=date,
        description=campaign_entry_description(
            segment_description=segment_description,
            document_caption=document_caption,
        ),
        user_id=user_id,
        segment_no=segment,
        salesperson_code=salesperson_code,
        register_no=register_no,
        document_type=kind,
    )
    return CampaignEntryChoice(entry=new, is_new=True)


def deletable_campaign_entries(
    entries: Iterable[CampaignEntry], *, campaign_no: str | None = None
) -> tuple[CampaignEntry, ...]:
    """The entries the *Delete Campaign Entries* batch deletes: canceled ones (§6.2).

    Deleting an entry deletes its interaction log entries (the service's cascade).

    Args:
        entries: The campaign entries to look through.
        campaign_no: Only this campaign's entries; ``None`` for all campaigns.

    Raises:
        ValidationError: ``campaign_no`` is blank or too long.

    >>> e = CampaignEntry(entry_no=1, campaign_no="CP1", date=dt.date(2026, 1, 1))
    >>> deletable_campaign_entries([e, e.cancel()])[0].canceled
    True
    """
    campaign = None if campaign_no is None else _campaign_no(campaign_no)
    return tuple(
        e
        for e in entries
        if e.canceled and (campaign is None or e.campaign_no == campaign)
    )


# --- campaign price and line-discount lines (§6.3) --------------------------------------


@frozen(kw_only=True)
class _CampaignPricingLine:
    """What campaign price and line-discount lines share (§6.3)."""

    campaign_no: CampaignNo = field(converter=_campaign_no, metadata=NORMAL)
    asset_type: PriceAssetType = field(converter=_asset_type, metadata=NORMAL)
    asset_no: Code = field(converter=_asset_no, metadata=NORMAL)
    variant_code: Code | None = field(
        default=None, converter=_variant_code, metadata=NORMAL
    )
    unit_of_measure_code: Code | None = field(
        default=None, converter=_unit_of_measure_code, metadata=NORMAL
    )
    currency_code: Code | None = field(
        default=None, converter=_currency_code, metadata=NORMAL
    )
    minimum_quantity: Decimal = field(
        default=Decimal(0), converter=_minimum_quantity, metadata=NORMAL
    )
    starting_date: dt.date | None = field(
        default=None, converter=_starting_date, metadata=NORMAL
    )
    ending_date: dt.date | None = field(
        default=None, converter=_ending_date, metadata=NORMAL
    )

    def __attrs_post_init__(self) -> None:
        _check_dates(self.starting_date, self.ending_date, validating_end=False)


@frozen(kw_only=True)
class CampaignPriceLine(_CampaignPricingLine):
    """A sales price list line with Source Type = Campaign (§6.3).

    It competes with the other price sources only while the campaign applies
    (:func:`pricing_line_applies`). ``Item Discount Group`` is not a priced asset.

    Raises:
        ValidationError: A field refuses its value, the asset type is Item Discount
            Group, or Starting Date is after Ending Date.

    >>> CampaignPriceLine(campaign_no="cp1", asset_type="Item", asset_no="1000",
    ...                   unit_price="9.99").unit_price
    Decimal('9.99')
    """

    unit_price: Decimal = field(
        default=Decimal(0), converter=_unit_price, metadata=NORMAL
    )
    allow_line_disc: bool = field(default=True, validator=_bool, metadata=NORMAL)
    allow_invoice_disc: bool = field(default=True, validator=_bool, metadata=NORMAL)

    def __attrs_post_init__(self) -> None:
        """Refuse an Item Discount Group price and dates out of order (§6.3)."""
        if self.asset_type is PriceAssetType.ITEM_DISCOUNT_GROUP:
            raise ValidationError(
                "asset_type", self.asset_type, "is allowed on line discounts only"
            )
        super().__attrs_post_init__()


@frozen(kw_only=True)
class CampaignLineDiscountLine(_CampaignPricingLine):
    """A sales line-discount price list line with Source Type = Campaign (§6.3).

    Raises:
        ValidationError: A field refuses its value (Line Discount % outside 0..100),
            or Starting Date is after Ending Date.

    >>> CampaignLineDiscountLine(campaign_no="CP1", asset_type="Item Discount Group",
    ...                          asset_no="retail", line_discount_pct=5).line_discount_pct
    Decimal('5')
    """

    line_discount_pct: Decimal = field(
        default=Decimal(0),
        converter=_line_discount_pct,
        metadata=NORMAL,
    )


PricingLine = CampaignPriceLine | CampaignLineDiscountLine
"""A campaign's sales price or line-discount line (§6.3)."""


def pricing_line_key(line: PricingLine) -> str:
    """Return the line's key among its campaign's lines, as text.

    One line per kind (price or line discount), asset, variant, unit of measure,
    currency, minimum quantity and starting date, as BC's Sales Price and Sales Line
    Discount tables key them: storing a line with the key of another replaces it.

    Raises:
        ValidationError: ``line`` is not a campaign pricing line.

    >>> pricing_line_key(CampaignPriceLine(campaign_no="CP1", asset_type="Item",
    ...                                    asset_no="1000", minimum_quantity="5.0"))
    'Price|Item|1000||||5|'
    """
    if isinstance(line, CampaignPriceLine):
        kind = "Price"
    elif isinstance(line, CampaignLineDiscountLine):
        kind = "Line Discount"
    else:
        raise ValidationError("line", line, "must be a campaign price or discount line")
    quantity = line.minimum_quantity.normalize()
    return "|".join(
        (
            kind,
            line.asset_type.value,
            line.asset_no,
            line.variant_code or "",
            line.unit_of_measure_code or "",
            line.currency_code or "",
            f"{quantity:f}",
            "" if line.starting_date is None else line.starting_date.isoformat(),
        )
    )


def pricing_line_applies(
    line: CampaignPriceLine | CampaignLineDiscountLine,
    campaign: Campaign,
    on: dt.date,
) -> bool:
    """Whether a campaign price or discount line may apply on a document date (§6.3).

    Both the campaign's Starting..Ending Date and the line's own dates must contain
    ``on``; an open end is unbounded. Whether the campaign is a source for the
    document at all (its Campaign No., or the target group) is the service's part.

    Raises:
        ValidationError: The line belongs to another campaign.

    >>> cp = Campaign(no="CP1", ending_date=dt.date(2026, 3, 31))
    >>> line = CampaignPriceLine(campaign_no="CP1", asset_type="Item", asset_no="1000")
    >>> pricing_line_applies(line, cp, dt.date(2026, 4, 1))
    False
    """
    if line.campaign_no != campaign.no:
        raise ValidationError(
            "campaign_no", line.campaign_no, f"is not campaign {campaign.no!r}"
        )
    return all(
        (start is None or start <= on) and (end is None or on <= end)
        for start, end in (
            (campaign.starting_date, campaign.ending_date),
            (line.starting_date, line.ending_date),
        )
    )


# --- campaign target groups and activation (§6.3) --------------------------------------

NO_TARGET_MESSAGE: Final = (
    "To activate the sales prices and/or line discounts, you must apply the relevant "
    "Segment Line(s) to the Campaign and place a check mark in the Campaign Target "
    "field on the Segment Line."
)
"""BC's error when activating finds nothing to target (§6.3 ``ActivateCampaign``)."""

NO_PRICING_QUESTION: Final = (
    "There are no Sales Prices or Sales Line Discounts currently linked to this "
    "Campaign. Do you still want to activate?"
)
"""BC's question when a campaign without price or discount lines is activated (§6.3).

The library asks no questions: :func:`plan_activation` refuses with this text as the
reason of a :class:`~relationship_mgmt.errors.ValidationError` on ``force``, and
the caller answers "yes" by activating again with ``force=True``.
"""


class TargetType(enum.StrEnum):
    """The *Type* of a Campaign Target Group row (table 7030, §6.3).

    A Customer row holds a customer No., a Contact row a company contact's No.

    >>> TargetType("Customer") is TargetType.CUSTOMER
    True
    """

    CUSTOMER = "Customer"
    CONTACT = "Contact"


def _target_type(value: object) -> TargetType:
    return to_enum(TargetType, "type", value)


def _target_no(value: object) -> Code:
    return _required_code(CODE20, "no")(value)


@frozen(kw_only=True)
class CampaignTargetGroup:
    """One row of a campaign's target group, BC's table 7030 (§6.3).

    The key is (Type, No., Campaign No.): a customer (``type`` Customer, ``no`` the
    customer No.) or a company contact (``type`` Contact, ``no`` the company's
    contact No.) that the campaign's prices and line discounts reach. A campaign is
    *Activated* (§6.1's FlowField) while it has at least one row; rows are made by
    :func:`plan_activation` and kept current by the campaign service.

    Raises:
        ValidationError: A field refuses its value (an unknown type, a blank or
            too long No.).

    >>> CampaignTargetGroup(type="Contact", no="ct000001", campaign_no="cp1").key
    ('Contact', 'CT000001', 'CP1')
    """

    kind: ClassVar[str] = "campaign_target_group"

    type: TargetType = field(converter=_target_type, metadata=NORMAL)
    no: Code = field(converter=_target_no, metadata=NORMAL)
    campaign_no: CampaignNo = field(converter=_campaign_no, metadata=NORMAL)

    @property
    def key(self) -> tuple[str, str, str]:
        """The primary key (Type, No., Campaign No.) as plain strings."""
        return (self.type.value, self.no, self.campaign_no)


class TargetingRecord(Protocol):
    """What the activation rule reads of a segment line (§4.2, §4.10).

    :class:`~relationship_mgmt.domain.segments.SegmentLine` has these fields; so
    does an :class:`~relationship_mgmt.domain.interactions.InteractionLogEntry`,
    which also has ``postponed``.
    """

    @property
    def campaign_no(self) -> str | None:
        """The line's Campaign No."""
        ...

    @property
    def campaign_target(self) -> bool:
        """Whether the line is a Campaign Target."""
        ...

    @property
    def contact_company_no(self) -> str | None:
        """The Company No. of the line's contact (its own No. for a company)."""
        ...


def targeted_companies(
    campaign_no: str,
    *,
    lines: Iterable[TargetingRecord] = (),
    entries: Iterable[InteractionLogEntry] = (),
    company_no: str | None = None,
) -> list[ContactNo]:
    """Return the companies a campaign's segment lines and interactions target (§6.3).

    BC's ``ActivateCampaign`` reads segment lines with the campaign's No. and
    Campaign Target, and interaction log entries with its No., Campaign Target and
    not Postponed (canceled ones count: BC filters nothing else). Each gives its
    *Contact Company No.*, always the **company**, so a person's line targets its
    company. A line or entry of a person without a company gives no company: BC
    would fail to find a blank contact, this rule skips it.

    This is the reference a storage adapter's
    :meth:`~relationship_mgmt.ports.repositories.CampaignTargetGroupRepository.targeted_companies`
    query computes.

    Args:
        campaign_no: The campaign.
        lines: Segment lines (all, or those of the campaign).
        entries: Interaction log entries (all, or those of the campaign).
        company_no: Only this company (whether it is still targeted).

    Returns:
        The distinct company numbers, sorted.

    Raises:
        ValidationError: ``campaign_no`` is blank or too long.

    >>> e = InteractionLogEntry(entry_no=1, contact_no="CT2", contact_company_no="CT1",
    ...                         date=dt.date(2026, 3, 2), campaign_no="CP1",
    ...                         campaign_target=True)
    >>> targeted_companies("cp1", entries=[e, attrs.evolve(e, postponed=True)])
    ['CT1']
    """
    campaign = _campaign_no(campaign_no)
    only = (
        None
        if company_no is None
        else make_code(company_no, max_length=CODE20, field="company_no")
    )
    found: set[ContactNo] = set()
    records: list[TargetingRecord] = list(lines)
    records.extend(e for e in entries if not e.postponed)
    for record in records:
        company = record.contact_company_no
        if (
            record.campaign_no == campaign
            and record.campaign_target
            and company
            and (only is None or company == only)
        ):
            found.add(ContactNo(company))
    return sorted(found)


def target_group_of(company: Contact, campaign_no: str) -> CampaignTargetGroup | None:
    """Return the target group row a targeted company gives (§6.3 ``add_target``).

    A company with a Customer business relation (a linked Contact Business Relation
    with Link to Table Customer, §2.8) gives (Customer, the customer No.); any other
    company gives (Contact, its No.). A person gives a Customer row only, as BC
    inserts Contact rows for companies alone.

    Raises:
        ValidationError: ``campaign_no`` is blank or too long.

    >>> from datetime import UTC, datetime
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> cronus = Contact.create_company(no="CT1", now=datetime(2026, 1, 5, tzinfo=UTC),
    ...                                 setup=RelationshipSetup())
    >>> target_group_of(cronus, "CP1")
    CampaignTargetGroup(type=<TargetType.CONTACT: 'Contact'>, no='CT1', campaign_no='CP1')
    """
    campaign = _campaign_no(campaign_no)
    customer = company.business_partner_link(LinkToTable.CUSTOMER)
    if customer is not None:
        return CampaignTargetGroup(
            type=TargetType.CUSTOMER, no=customer, campaign_no=campaign
        )
    if company.type is not ContactType.COMPANY:
        return None
    return CampaignTargetGroup(
        type=TargetType.CONTACT, no=company.no, campaign_no=campaign
    )


def plan_activation(
    campaign_no: str,
    *,
    companies: Iterable[Contact],
    has_pricing_lines: bool,
    force: bool = False,
) -> list[CampaignTargetGroup]:
    """Return the target group rows activating a campaign makes (§6.3 ``ActivateCampaign``).

    First BC's confirmation: a campaign without price or line-discount lines is
    activated only when ``force`` says "yes" to :data:`NO_PRICING_QUESTION`. Then
    every targeted company (:func:`targeted_companies`, passed here as the stored
    company contacts) gives its row (:func:`target_group_of`); duplicates are
    ignored. When no row results BC's error :data:`NO_TARGET_MESSAGE` is raised. A
    company that was deleted (missing from ``companies``) gives no row, where BC
    would fail.

    Args:
        campaign_no: The campaign.
        companies: The targeted company contacts.
        has_pricing_lines: Whether the campaign has price or line-discount lines.
        force: Activate without price or line-discount lines.

    Returns:
        The rows, ordered by key.

    Raises:
        ValidationError: No pricing lines and not ``force`` (``.field`` ``"force"``,
            ``.reason`` :data:`NO_PRICING_QUESTION`), or nothing to target
            (``.field`` ``"campaign_no"``, ``.reason`` :data:`NO_TARGET_MESSAGE`).

    >>> plan_activation("CP1", companies=[], has_pricing_lines=False)
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: force: There are no Sales Prices or Sales Line Discounts currently linked to this Campaign. Do you still want to activate? (got False)
    """
    campaign = _campaign_no(campaign_no)
    if not has_pricing_lines and not force:
        raise ValidationError("force", force, NO_PRICING_QUESTION)
    rows: dict[tuple[str, str, str], CampaignTargetGroup] = {}
    for company in companies:
        row = target_group_of(company, campaign)
        if row is not None:
            rows.setdefault(row.key, row)
    if not rows:
        raise ValidationError("campaign_no", campaign, NO_TARGET_MESSAGE)
    return [rows[key] for key in sorted(rows)]


def pricing_campaigns(
    *,
    document_campaign_no: str | None = None,
    customer_rows: Iterable[CampaignTargetGroup] = (),
    contact_rows: Iterable[CampaignTargetGroup] = (),
) -> list[CampaignNo]:
    """Return the campaigns whose lines a sales document may use (§6.3 Pricing effect).

    A document with a Campaign No. uses that campaign only, activated or not.
    Otherwise the campaigns of the target group rows (Customer, the document's
    customer) are used, and when there are none those of the rows (Contact, the
    sell-to contact's Company No.). Which lines then apply on the document date is
    :func:`pricing_line_applies`.

    Args:
        document_campaign_no: The sales header's Campaign No.
        customer_rows: The target group rows of the document's customer.
        contact_rows: The target group rows of the sell-to contact's company.

    Returns:
        The campaign numbers, sorted and distinct.

    Raises:
        ValidationError: ``document_campaign_no`` is too long.

    >>> contact = CampaignTargetGroup(type="Contact", no="CT1", campaign_no="CP2")
    >>> pricing_campaigns(contact_rows=[contact])
    ['CP2']
    >>> pricing_campaigns(document_campaign_no="cp9", contact_rows=[contact])
    ['CP9']
    """
    named = _optional_campaign_no(document_campaign_no)
    if named is not None:
        return [named]
    chosen = {row.campaign_no for row in customer_rows}
    if not chosen:
        chosen = {row.campaign_no for row in contact_rows}
    return sorted(chosen)


# --- statistics (§6.1, §6.2, §6.4) ----------------------------------------------------------


@frozen(kw_only=True)
class OpportunityFigures:
    """What the campaign statistics need of one opportunity: its active entry (§6.1).

    The caller builds one per opportunity from its active Opportunity Entry (the
    estimate of §5.5) and applies any Date or other filters itself.

    Raises:
        ValidationError: A field refuses its value.

    >>> OpportunityFigures(opportunity_no="op1", campaign_no="cp1",
    ...                    estimated_value_lcy="100", status="Won").status
    <OpportunityStatus.WON: 'Won'>
    """

    opportunity_no: Code = field(converter=_opportunity_no, metadata=NORMAL)
    campaign_no: CampaignNo | None = field(
        default=None,
        converter=_optional_campaign_no,
        metadata=NORMAL,
    )
    estimated_value_lcy: Decimal = field(
        default=Decimal(0),
        converter=_estimated_value_lcy,
        metadata=NORMAL,
    )
    calcd_current_value_lcy: Decimal = field(
        default=Decimal(0),
        converter=_calcd_current_value_lcy,
        metadata=NORMAL,
    )
    status: OpportunityOutcome = field(
        default=OpportunityOutcome.IN_PROGRESS,
        converter=_status,
        metadata=NORMAL,
    )


@frozen(kw_only=True)
class CampaignStatistics:
    """The campaign's statistics page (§6.4) over its FlowFields (§6.1).

    ``target_contacts_contacted`` and ``contacts_responded`` count interaction log
    entries, as BC's FlowFields do (§6.1), not distinct contacts.

    >>> CampaignStatistics().response_rate is None
    True
    """

    target_contacts_contacted: int = 0
    contacts_responded: int = 0
    no_of_interactions: int = 0
    duration_min: Decimal = Decimal(0)
    cost_lcy: Decimal = Decimal(0)
    no_of_opportunities: int = 0
    estimated_value_lcy: Decimal = Decimal(0)
    calcd_current_value_lcy: Decimal = Decimal(0)
    no_of_won_opportunities: int = 0
    no_of_lost_opportunities: int = 0

    @property
    def response_rate(self) -> Decimal | None:
        """Contacts Responded / Target Contacts Contacted, ``None`` when none (§6.4).

        >>> CampaignStatistics(target_contacts_contacted=4, contacts_responded=1).response_rate
        Decimal('0.25')
        """
        if not self.target_contacts_contacted:
            return None
        return Decimal(self.contacts_responded) / Decimal(
            self.target_contacts_contacted
        )


def _in_period(
    day: dt.date | None, starting: dt.date | None, ending: dt.date | None
) -> bool:
    return (
        day is not None
        and (starting is None or day >= starting)
        and (ending is None or day <= ending)
    )


def campaign_statistics(
    entries: Iterable[InteractionLogEntry],
    *,
    campaign_no: str,
    opportunities: Iterable[OpportunityFigures] = (),
    starting: dt.date | None = None,
    ending: dt.date | None = None,
) -> CampaignStatistics:
    """The campaign FlowFields of §6.1, as shown by the statistics page (§6.4).

    Interaction figures count the entries with this Campaign No., not canceled, not
    postponed and dated within ``starting``..``ending`` (BC's Date Filter, inclusive;
    ``None`` is open): Target Contacts Contacted those with Campaign Target,
    Contacts Responded those with Campaign Response, and Duration and Cost all of
    them. Opportunity figures count and add up the given opportunities of the
    campaign (one :class:`OpportunityFigures` each, already filtered by the caller);
    won and lost are counted by status.

    Args:
        entries: Interaction log entries (all, or the campaign's).
        campaign_no: The campaign.
        opportunities: Figures of the opportunities' active entries.
        starting: First date of the Date Filter.
        ending: Last date of the Date Filter.

    Raises:
        ValidationError: ``campaign_no`` is blank or too long, or an opportunity
            appears twice.

    >>> op = OpportunityFigures(opportunity_no="OP1", campaign_no="CP1",
    ...                         estimated_value_lcy=500, calcd_current_value_lcy=250)
    >>> campaign_statistics([], campaign_no="CP1", opportunities=[op]).calcd_current_value_lcy
    Decimal('250')
    """
    campaign = _campaign_no(campaign_no)
    counted = [
        e
        for e in entries
        if e.campaign_no == campaign
        and not e.canceled
        and not e.postponed
        and _in_period(e.date, starting, ending)
    ]
    mine: list[OpportunityFigures] = []
    seen: set[Code] = set()
    for op in opportunities:
        if op.campaign_no != campaign:
            continue
        if op.opportunity_no in seen:
            raise ValidationError("opportunities", op.opportunity_no, "is given twice")
        seen.add(op.opportunity_no)
        mine.append(op)
    return CampaignStatistics(
        target_contacts_contacted=sum(1 for e in counted if e.campaign_target),
        contacts_responded=sum(1 for e in counted if e.campaign_response),
        no_of_interactions=len(counted),
        duration_min=sum((e.duration_min for e in counted), Decimal(0)),
        cost_lcy=sum((e.cost_lcy for e in counted), Decimal(0)),
        no_of_opportunities=len(mine),
        estimated_value_lcy=sum((o.estimated_value_lcy for o in mine), Decimal(0)),
        calcd_current_value_lcy=sum(
            (o.calcd_current_value_lcy for o in mine), Decimal(0)
        ),
        no_of_won_opportunities=sum(
            1 for o in mine if o.status is OpportunityOutcome.WON
        ),
        no_of_lost_opportunities=sum(
            1 for o in mine if o.status is OpportunityOutcome.LOST
        ),
    )


def campaign_entry_statistics(
    entry: CampaignEntry, interactions: Iterable[InteractionLogEntry]
) -> InteractionStatistics:
    """The campaign entry FlowFields: No. of Interactions, Cost, Duration (§6.2).

    They cover the interaction log entries with this Campaign Entry No. **and
    Canceled = the entry's Canceled**, so a canceled entry still shows its figures.
    Postponed entries count in no statistics (§3.3).

    >>> from relationship_mgmt.domain.interactions import InteractionLogEntry
    >>> e = CampaignEntry(entry_no=1, campaign_no="CP1", date=dt.date(2026, 1, 1))
    >>> i = InteractionLogEntry(entry_no=1, contact_no="CT1", date=dt.date(2026, 1, 1),
    ...                         campaign_no="CP1", campaign_entry_no=1, duration_min=5)
    >>> campaign_entry_statistics(e.cancel(), [i.cancel()]).duration_min
    Decimal('5')
    """
    counted = [
        i
        for i in interactions
        if i.campaign_entry_no == entry.entry_no
        and i.canceled == entry.canceled
        and not i.postponed
    ]
    return InteractionStatistics(
        no_of_interactions=len(counted),
        cost_lcy=sum((i.cost_lcy for i in counted), Decimal(0)),
        duration_min=sum((i.duration_min for i in counted), Decimal(0)),
    )
