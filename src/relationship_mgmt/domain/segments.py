"""Segments: the header, its lines, and the criteria actions with their history (§4.1-§4.8).

A segment is a working list of contacts built with criteria actions: **Add Contacts**
(§4.5), **Reduce** and **Refine** (§4.6), and manual line adds and removals; each
action is recorded, with one history row per line it inserted or deleted, so that
**Go Back** (§4.7) undoes the last one. Which contacts meet the criteria is the
caller's to find (:func:`~relationship_mgmt.domain.criteria.select` over the
contacts); this module applies the options and keeps the lines and the history.

Two deliberate differences from BC, both for an exact undo:

* Go Back deletes the lines an action inserted by their line number (BC deletes every
  line of the contact, also one that was there before an Add with *Allow Existing
  Contacts*);
* Go Back puts a deleted line back as it was, under its own line number (BC inserts a
  new line at the end, defaulted from the header again).

>>> from datetime import UTC, date, datetime
>>> from relationship_mgmt.domain.contacts import Contact
>>> from relationship_mgmt.domain.criteria import where
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> now = datetime(2026, 1, 5, tzinfo=UTC)
>>> ann = Contact.create_person(no="CT1", name="Ann", now=now, setup=RelationshipSetup())
>>> bo = Contact.create_person(no="CT2", name="Bo", now=now, setup=RelationshipSetup())
>>> seg = Segment(no="SM1", description="Spring mailing", date=date(2026, 1, 5))
>>> [line.contact_no for line in seg.add_contacts([bo, ann], criteria=where.name != "")]
['CT1', 'CT2']
>>> [line.contact_no for line in seg.refine([ann], criteria=where.name == "Ann")]
['CT2']
>>> seg.go_back()
>>> [(line.line_no, line.contact_no) for line in seg.lines]
[(10000, 'CT1'), (20000, 'CT2')]
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot, copy_sharing_fields
from relationship_mgmt.domain._fields import (
    NORMAL,
    check_field_names,
    optional_code,
    plain_text,
    to_enum,
)
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    ContactNo,
    SegmentNo,
    make_code,
)
from relationship_mgmt.domain.contacts import Contact, ContactType
from relationship_mgmt.domain.criteria import Criteria, segments_of, where
from relationship_mgmt.domain.interactions import (
    InformationFlow,
    InitiatedBy,
    InteractionLogEntry,
    InteractionRequest,
    InteractionTemplate,
    plan_interaction,
)
from relationship_mgmt.domain.mailmerge import DeliveryOutcome
from relationship_mgmt.domain.setup import CorrespondenceType
from relationship_mgmt.errors import NotFoundError, ValidationError

__all__ = [
    "FOLLOW_UP_DESCRIPTION",
    "LOGGED_SEGMENT_EXISTS",
    "AddOptions",
    "LineRefusal",
    "LoggedSegment",
    "CriteriaAction",
    "HistoryAction",
    "HistoryRow",
    "Segment",
    "SavedCriteria",
    "SegmentAction",
    "SegmentLine",
    "SegmentLog",
    "check_segment_references",
    "plan_segment_log",
    "save_criteria",
]

LINE_NO_STEP: Final = 10000
"""Line No. = the last one + 10000 (§4.5 step 5)."""


class SegmentAction(enum.StrEnum):
    """The criteria actions of Segment Criteria Line (5097, §4.4)."""

    ADD = "Add Contacts"
    REDUCE = "Remove Contacts (Reduce)"
    REFINE = "Remove Contacts (Refine)"


class HistoryAction(enum.StrEnum):
    """Segment History's Action Taken (5078, §4.4)."""

    INSERTION = "Insertion"
    DELETION = "Deletion"


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _flag() -> Any:  # noqa: ANN401 - an attrs field definition
    return field(default=False, validator=_bool, metadata=NORMAL)


def _non_negative(name: str) -> Callable[[object], Decimal]:
    def convert(value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise ValidationError(name, value, "must be a number")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(name, value, "must be a number") from None
        if not number.is_finite() or number < 0:
            raise ValidationError(name, value, "must be 0 or more")
        return number

    return convert


def _code10(value: object) -> Code | None:
    return optional_code(CODE10, "code")(value)


def _code20(value: object) -> Code | None:
    return optional_code(CODE20, "code")(value)


def _contact_no(value: object) -> ContactNo:
    if not isinstance(value, str):
        raise ValidationError("contact_no", value, "must be a contact number")
    return ContactNo(make_code(value, max_length=CODE20, field="contact_no"))


def _optional_contact_no(value: object) -> ContactNo | None:
    found = _code20(value)
    return None if found is None else ContactNo(found)


def _correspondence(value: object) -> CorrespondenceType:
    return to_enum(CorrespondenceType, "correspondence_type", value)


def _flow(value: object) -> InformationFlow:
    return to_enum(InformationFlow, "information_flow", value)


def _initiated(value: object) -> InitiatedBy:
    return to_enum(InitiatedBy, "initiated_by", value)


def _action(value: object) -> SegmentAction:
    return to_enum(SegmentAction, "action", value)


def _taken(value: object) -> HistoryAction:
    return to_enum(HistoryAction, "action_taken", value)


def _cost(value: object) -> Decimal:
    return _non_negative("cost_lcy")(value)


def _duration(value: object) -> Decimal:
    return _non_negative("duration_min")(value)


@frozen(kw_only=True)
class AddOptions:
    """The options of Add Contacts (§4.5).

    Attributes:
        allow_existing_contacts: Add contacts already in the segment again.
        expand_companies: Add every contact of a selected contact's company.
        allow_related_companies: Add the company of a selected person.
        ignore_exclusion: Add contacts marked Exclude from Segment too.
    """

    allow_existing_contacts: bool = _flag()
    expand_companies: bool = _flag()
    allow_related_companies: bool = _flag()
    ignore_exclusion: bool = _flag()


def _action_no(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("number", value, "must be a whole number >= 1")
    return value


@frozen(kw_only=True)
class CriteriaAction:
    """One recorded criteria action (Segment Criteria Line of Type Action, §4.4).

    Attributes:
        number: The action's number, 1 for the first (No. of Criteria Actions).
        action: Add Contacts, Reduce or Refine.
        criteria: Which contacts it selected (a manual add or removal records
            ``No. = <contact>``, §4.7).
        options: The Add Contacts options.
        entire_companies: The Reduce/Refine option.
        manual: Recorded for a line added or removed by hand.
    """

    number: int = field(converter=_action_no)
    action: SegmentAction = field(converter=_action)
    criteria: Criteria
    options: AddOptions = field(factory=AddOptions)
    entire_companies: bool = _flag()
    manual: bool = _flag()


@frozen(kw_only=True)
class HistoryRow:
    """One line an action inserted or deleted (Segment History, §4.4).

    ``line`` is the line itself, kept so that Go Back restores a deleted line as it
    was (see the module).
    """

    action_no: int = field(converter=_action_no)
    line: SegmentLine
    action_taken: HistoryAction = field(converter=_taken)


def _line_no(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("line_no", value, "must be a whole number >= 1")
    return value


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError("date", value, "must be a date")
    return value


@frozen(kw_only=True)
class SegmentLine:
    """A segment line (5077, §4.2): one contact with what logging it will record.

    Raises:
        ValidationError: A refused value (a negative cost or duration, a blank
            contact, a line number below 1).
    """

    line_no: int = field(converter=_line_no)
    contact_no: ContactNo = field(converter=_contact_no)
    contact_company_no: ContactNo | None = field(
        default=None, converter=_optional_contact_no, metadata=NORMAL
    )
    description: str = plain_text(100)
    campaign_no: Code | None = field(default=None, converter=_code20, metadata=NORMAL)
    salesperson_code: Code | None = field(
        default=None, converter=_code20, metadata=NORMAL
    )
    correspondence_type: CorrespondenceType = field(
        default=CorrespondenceType.BLANK, converter=_correspondence, metadata=NORMAL
    )
    interaction_template_code: Code | None = field(
        default=None, converter=_code10, metadata=NORMAL
    )
    interaction_group_code: Code | None = field(
        default=None, converter=_code10, metadata=NORMAL
    )
    cost_lcy: Decimal = field(default=Decimal(0), converter=_cost)
    duration_min: Decimal = field(default=Decimal(0), converter=_duration)
    language_code: Code | None = field(default=None, converter=_code10, metadata=NORMAL)
    date: dt.date | None = field(default=None, metadata=NORMAL)
    campaign_target: bool = _flag()
    campaign_response: bool = _flag()
    information_flow: InformationFlow = field(
        default=InformationFlow.BLANK, converter=_flow, metadata=NORMAL
    )
    initiated_by: InitiatedBy = field(
        default=InitiatedBy.BLANK, converter=_initiated, metadata=NORMAL
    )
    contact_alt_address_code: Code | None = field(
        default=None, converter=_code10, metadata=NORMAL
    )
    send_word_docs_as_attmt: bool = _flag()
    word_template_code: Code | None = field(
        default=None, converter=_code20, metadata=NORMAL
    )
    subject: str = plain_text(100)


def _segment_no(value: object) -> SegmentNo:
    if not isinstance(value, str):
        raise ValidationError("no", value, "must be a segment number")
    return SegmentNo(make_code(value, max_length=CODE20, field="no"))


def _tuple(value: object) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("value", value, "must be a collection")
    return tuple(value)


@define(kw_only=True)
class Segment(AggregateRoot):
    """A segment (5076, §4.1) with its lines, criteria actions and history.

    The header fields are the defaults of new lines (§4.3); :meth:`apply_template`
    copies an interaction template's. Lines, actions and history change only
    through the criteria methods.

    Raises:
        ValidationError: A blank number or a refused value.
    """

    kind: ClassVar[str] = "segment"
    _FIXED: ClassVar[frozenset[str]] = frozenset(
        {"version", "no", "lines", "actions", "history"}
    )

    no: SegmentNo = field(converter=_segment_no, metadata=NORMAL)
    description: str = plain_text(100)
    campaign_no: Code | None = field(default=None, converter=_code20, metadata=NORMAL)
    salesperson_code: Code | None = field(
        default=None, converter=_code20, metadata=NORMAL
    )
    correspondence_type_default: CorrespondenceType = field(
        default=CorrespondenceType.BLANK, converter=_correspondence, metadata=NORMAL
    )
    interaction_template_code: Code | None = field(
        default=None, converter=_code10, metadata=NORMAL
    )
    interaction_group_code: Code | None = field(
        default=None, converter=_code10, metadata=NORMAL
    )
    unit_cost_lcy: Decimal = field(default=Decimal(0), converter=_cost)
    unit_duration_min: Decimal = field(default=Decimal(0), converter=_duration)
    date: dt.date = field(converter=_date, metadata=NORMAL)
    campaign_target: bool = _flag()
    campaign_response: bool = _flag()
    information_flow: InformationFlow = field(
        default=InformationFlow.BLANK, converter=_flow, metadata=NORMAL
    )
    initiated_by: InitiatedBy = field(
        default=InitiatedBy.BLANK, converter=_initiated, metadata=NORMAL
    )
    language_code_default: Code | None = field(
        default=None, converter=_code10, metadata=NORMAL
    )
    send_word_docs_as_attmt: bool = _flag()
    ignore_contact_corres_type: bool = _flag()
    subject_default: str = plain_text(100)
    word_template_code: Code | None = field(
        default=None, converter=_code20, metadata=NORMAL
    )
    lines: tuple[SegmentLine, ...] = field(default=(), converter=_tuple)
    actions: tuple[CriteriaAction, ...] = field(default=(), converter=_tuple)
    history: tuple[HistoryRow, ...] = field(default=(), converter=_tuple)

    def __deepcopy__(self, memo: dict[int, object]) -> Segment:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    # -- header ------------------------------------------------------------------------

    @property
    def no_of_criteria_actions(self) -> int:
        """The number of the last action, BC's No. of Criteria Actions (§4.1)."""
        return len(self.actions)

    @property
    def contact_nos(self) -> frozenset[str]:
        """The contacts on the lines."""
        return frozenset(line.contact_no for line in self.lines)

    def change(self, **changes: object) -> None:
        """Change header fields, all validated before any changes (§4.1).

        The lines keep their values (BC asks whether to update them).

        Raises:
            ValidationError: An unknown or fixed field, or a refused value.
        """
        check_field_names(type(self), changes)
        fixed = sorted(self._FIXED & changes.keys())
        if fixed:
            raise ValidationError("fields", fixed, "cannot be changed")
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        for name in changes:
            setattr(self, name, getattr(checked, name))

    def apply_template(self, template: InteractionTemplate) -> None:
        """Copy an interaction template's defaults to the header (§4.1).

        Language, group, unit cost and duration, information flow, initiated by,
        campaign target and response, correspondence type, ignore contact
        correspondence type and Word template; and the template's campaign when the
        header has none.
        """
        self.change(
            interaction_template_code=template.code,
            interaction_group_code=template.interaction_group_code,
            unit_cost_lcy=template.unit_cost_lcy,
            unit_duration_min=template.unit_duration_min,
            information_flow=template.information_flow,
            initiated_by=template.initiated_by,
            campaign_target=template.campaign_target,
            campaign_response=template.campaign_response,
            correspondence_type_default=template.correspondence_type,
            language_code_default=template.language_code_default,
            ignore_contact_corres_type=template.ignore_contact_corres_type,
            word_template_code=template.word_template_code,
            campaign_no=self.campaign_no or template.campaign_no,
        )

    # -- lines ---------------------------------------------------------------------------

    def init_line(self, line_no: int, contact: Contact) -> SegmentLine:
        """Return a new line for ``contact``, defaulted as BC's InitLine (§4.3).

        The header's defaults; the contact's company; its alternative address active
        on the line's date; the header's salesperson, else the contact's; the
        correspondence type by the §4.3 rule: the header's when it ignores the
        contact's and has one, else the contact's unless it is blank, else the
        header's (the template's copied) default.
        """
        correspondence: CorrespondenceType
        if (
            self.ignore_contact_corres_type
            and (self.correspondence_type_default is not CorrespondenceType.BLANK)
        ) or contact.correspondence_type is CorrespondenceType.BLANK:
            correspondence = self.correspondence_type_default
        else:
            correspondence = contact.correspondence_type
        return SegmentLine(
            line_no=line_no,
            contact_no=contact.no,
            contact_company_no=contact.company_no,
            description=self.description,
            campaign_no=self.campaign_no,
            salesperson_code=self.salesperson_code or _code20(contact.salesperson_code),
            correspondence_type=correspondence,
            interaction_template_code=self.interaction_template_code,
            interaction_group_code=self.interaction_group_code,
            cost_lcy=self.unit_cost_lcy,
            duration_min=self.unit_duration_min,
            language_code=self.language_code_default or contact.language_code,
            date=self.date,
            campaign_target=self.campaign_target,
            campaign_response=self.campaign_response,
            information_flow=self.information_flow,
            initiated_by=self.initiated_by,
            contact_alt_address_code=contact.active_alternative_address_code(self.date),
            send_word_docs_as_attmt=self.send_word_docs_as_attmt,
            word_template_code=self.word_template_code,
            subject=self.subject_default,
        )

    def _next_line_no(self) -> int:
        return max((line.line_no for line in self.lines), default=0) + LINE_NO_STEP

    def _log(self, action: CriteriaAction, rows: list[HistoryRow]) -> None:
        self.actions = (*self.actions, action)
        self.history = (*self.history, *rows)

    def _insert(
        self, contacts: Iterable[Contact], action: CriteriaAction
    ) -> list[SegmentLine]:
        added: list[SegmentLine] = []
        line_no = self._next_line_no()
        for contact in contacts:
            added.append(self.init_line(line_no, contact))
            line_no += LINE_NO_STEP
        self.lines = (*self.lines, *added)
        rows = [
            HistoryRow(
                action_no=action.number, line=line, action_taken=HistoryAction.INSERTION
            )
            for line in added
        ]
        self._log(action, rows)
        return added

    def _delete(
        self, doomed: Collection[int], action: CriteriaAction
    ) -> list[SegmentLine]:
        removed = [line for line in self.lines if line.line_no in doomed]
        self.lines = tuple(line for line in self.lines if line.line_no not in doomed)
        rows = [
            HistoryRow(
                action_no=action.number, line=line, action_taken=HistoryAction.DELETION
            )
            for line in removed
        ]
        self._log(action, rows)
        return removed

    # -- criteria actions (§4.5-§4.7) ------------------------------------------------------

    def add_contacts(
        self,
        selected: Iterable[Contact],
        *,
        criteria: Criteria,
        options: AddOptions | None = None,
        company_members: Callable[[str], Iterable[Contact]] = lambda _: (),
        company_of: Callable[[str], Contact | None] = lambda _: None,
    ) -> list[SegmentLine]:
        """Add Contacts (§4.5): add the selected contacts as the options say.

        In BC's order: the qualifying contacts (``selected``, found with
        ``criteria``); with Expand Companies every contact of their companies
        (``company_members``); with Allow Related Companies the company of each
        person (``company_of``); then contacts excluded from segments and contacts
        already in the segment are dropped unless the options allow them. The new
        lines are sorted by (Company Name, Company No., Type, Name) and numbered
        after the last; the action and one Insertion per line are recorded.

        Args:
            selected: The contacts that meet ``criteria``.
            criteria: The criteria, recorded with the action.
            options: The options (all off by default).
            company_members: The contacts of a company number.
            company_of: The company contact of a company number.

        Returns:
            The lines added.
        """
        options = options or AddOptions()
        chosen: dict[str, Contact] = {c.no: c for c in selected}
        if options.expand_companies:
            for contact in list(chosen.values()):
                if contact.company_no is not None:
                    for member in company_members(contact.company_no):
                        chosen.setdefault(member.no, member)
        if options.allow_related_companies:
            for contact in list(chosen.values()):
                if (
                    contact.type is ContactType.PERSON
                    and contact.company_no is not None
                ):
                    company = company_of(contact.company_no)
                    if company is not None:
                        chosen.setdefault(company.no, company)
        existing = self.contact_nos
        kept = [
            contact
            for contact in chosen.values()
            if (options.ignore_exclusion or not contact.exclude_from_segment)
            and (options.allow_existing_contacts or contact.no not in existing)
        ]
        kept.sort(key=_line_order)
        action = CriteriaAction(
            number=len(self.actions) + 1,
            action=SegmentAction.ADD,
            criteria=criteria,
            options=options,
        )
        return self._insert(kept, action)

    def _remove(
        self,
        kind: SegmentAction,
        matched: Iterable[Contact],
        criteria: Criteria,
        entire_companies: bool,  # noqa: FBT001 - the report's option, passed on
        company_members: Callable[[str], Iterable[Contact]],
    ) -> list[SegmentLine]:
        hits = {contact.no: contact for contact in matched}
        if entire_companies:
            expanded: set[str] = set()
            for contact in hits.values():
                if contact.company_no is None:
                    expanded.add(contact.no)
                else:
                    expanded.update(m.no for m in company_members(contact.company_no))
                    expanded.add(contact.no)
            found: Collection[str] = expanded
        else:
            found = hits.keys()
        reduce = kind is SegmentAction.REDUCE
        doomed = [
            line.line_no for line in self.lines if (line.contact_no in found) is reduce
        ]
        action = CriteriaAction(
            number=len(self.actions) + 1,
            action=kind,
            criteria=criteria,
            entire_companies=entire_companies,
        )
        return self._delete(doomed, action)

    def reduce(
        self,
        matched: Iterable[Contact],
        *,
        criteria: Criteria,
        entire_companies: bool = False,
        company_members: Callable[[str], Iterable[Contact]] = lambda _: (),
    ) -> list[SegmentLine]:
        """Remove Contacts - Reduce (§4.6): delete the lines of the matched contacts.

        Args:
            matched: The contacts (of the lines, or of their companies with Entire
                Companies) that meet ``criteria``, found on their current No.
            criteria: The criteria, recorded with the action.
            entire_companies: Every contact of a matched contact's company counts as
                matched (BC's AddPeople).
            company_members: The contacts of a company number.

        Returns:
            The lines deleted.
        """
        return self._remove(
            SegmentAction.REDUCE, matched, criteria, entire_companies, company_members
        )

    def refine(
        self,
        matched: Iterable[Contact],
        *,
        criteria: Criteria,
        entire_companies: bool = False,
        company_members: Callable[[str], Iterable[Contact]] = lambda _: (),
    ) -> list[SegmentLine]:
        """Remove Contacts - Refine (§4.6): keep only the lines of the matched contacts.

        As :meth:`reduce`, the other way round.

        Returns:
            The lines deleted.
        """
        return self._remove(
            SegmentAction.REFINE, matched, criteria, entire_companies, company_members
        )

    def add_line(self, contact: Contact) -> SegmentLine:
        """Add a line by hand, recorded as Add Contacts ``No. = <contact>`` (§4.7)."""
        action = CriteriaAction(
            number=len(self.actions) + 1,
            action=SegmentAction.ADD,
            criteria=where.no == contact.no,
            options=AddOptions(allow_existing_contacts=True, ignore_exclusion=True),
            manual=True,
        )
        return self._insert([contact], action)[0]

    def remove_line(self, line_no: int) -> SegmentLine:
        """Delete a line by hand, recorded as Reduce ``No. = <contact>`` (§4.7).

        Raises:
            NotFoundError: No such line.
        """
        line = next((row for row in self.lines if row.line_no == line_no), None)
        if line is None:
            raise NotFoundError("segment line", (self.no, line_no))
        action = CriteriaAction(
            number=len(self.actions) + 1,
            action=SegmentAction.REDUCE,
            criteria=where.no == line.contact_no,
            manual=True,
        )
        return self._delete([line_no], action)[0]

    def go_back(self) -> None:
        """Undo the last criteria action exactly (§4.7; see the module for BC's way).

        The lines it inserted are deleted, the lines it deleted come back as they
        were, and its history and action are dropped.

        Raises:
            ValidationError: There is no action to undo.
        """
        number = len(self.actions)
        if not number:
            raise ValidationError("actions", 0, "there is no criteria action to undo")
        rows = [row for row in self.history if row.action_no == number]
        inserted = {
            row.line.line_no
            for row in rows
            if row.action_taken is HistoryAction.INSERTION
        }
        restored = [
            row.line for row in rows if row.action_taken is HistoryAction.DELETION
        ]
        kept = [line for line in self.lines if line.line_no not in inserted]
        self.lines = tuple(sorted([*kept, *restored], key=lambda line: line.line_no))
        self.history = tuple(row for row in self.history if row.action_no != number)
        self.actions = self.actions[:-1]

    def reset_criteria(self) -> None:
        """Forget the criteria actions and history, keeping the lines (§4.3 Delete)."""
        self.actions = ()
        self.history = ()


# --- logged segments (§4.9) ---------------------------------------------------------------


def _entry_no(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("entry_no", value, "must be a whole number >= 1")
    return value


def _user_id(value: object) -> str:
    if not isinstance(value, str) or len(value) > 50:  # noqa: PLR2004 - Code[50]
        raise ValidationError("user_id", value, "must be text of at most 50 characters")
    return value.upper()


LOGGED_SEGMENT_EXISTS: Final = "Logged Segment for Segment No. {} already exists."
"""The message when a segment is logged twice (§4.9, as the spec paraphrases it)."""


@frozen(kw_only=True)
class LoggedSegment:
    """What remains of a logged segment (5075, §4.9): its register entry.

    Its interactions carry its Entry No. as Logged Segment Entry No., its campaign
    entries as Register No.; canceling toggles all of them (``SetCanceledCheckmark``).

    Raises:
        ValidationError: A refused value.

    >>> LoggedSegment(entry_no=1, segment_no="sm1", description="Mailing",
    ...               creation_date=dt.date(2026, 1, 5)).segment_no
    'SM1'
    """

    entry_no: int = field(converter=_entry_no)
    segment_no: SegmentNo = field(converter=_segment_no)
    description: str = plain_text(100)
    creation_date: dt.date = field(converter=_date, metadata=NORMAL)
    user_id: str = field(default="", converter=_user_id, metadata=NORMAL)
    canceled: bool = _flag()

    def cancel(self) -> LoggedSegment:
        """Return it canceled."""
        return attrs.evolve(self, canceled=True)

    def uncancel(self) -> LoggedSegment:
        """Return it no longer canceled."""
        return attrs.evolve(self, canceled=False)


# --- saved criteria (§4.8) -----------------------------------------------------------------


def _saved_code(value: object) -> Code:
    if not isinstance(value, str):
        raise ValidationError("code", value, "must be a code")
    code = make_code(value, max_length=CODE10, field="code")
    if not code:
        raise ValidationError("code", value, "must not be blank")
    return code


def _actions(value: object) -> tuple[CriteriaAction, ...]:
    actions = _tuple(value)
    if not all(isinstance(action, CriteriaAction) for action in actions):
        raise ValidationError("actions", value, "must hold CriteriaAction values")
    return cast("tuple[CriteriaAction, ...]", actions)


@define(kw_only=True)
class SavedCriteria(AggregateRoot):
    """A saved set of criteria actions (Saved Segment Criteria 5098/5099, §4.8).

    Raises:
        ValidationError: A blank code or a refused value.

    >>> SavedCriteria(code="czech", description="Czech contacts").code
    'CZECH'
    """

    kind: ClassVar[str] = "saved_criteria"

    code: Code = field(converter=_saved_code, metadata=NORMAL)
    description: str = plain_text(100)
    user_id: str = field(default="", converter=_user_id, metadata=NORMAL)
    actions: tuple[CriteriaAction, ...] = field(default=(), converter=_actions)

    def __deepcopy__(self, memo: dict[int, object]) -> SavedCriteria:
        """Copy it, sharing its fields: every one holds an immutable value."""
        return copy_sharing_fields(self, memo)

    @property
    def no_of_actions(self) -> int:
        """No. of Actions (§4.4)."""
        return len(self.actions)


def save_criteria(
    segment: Segment, *, code: str, description: str, user_id: str
) -> SavedCriteria:
    """Save a segment's criteria actions under a code (§4.8 Save Criteria).

    Raises:
        ValidationError: The segment has no criteria actions ("No. of Criteria
            Actions" must not be 0).
    """
    if not segment.actions:
        raise ValidationError(
            "actions", 0, "the segment has no criteria actions to save"
        )
    return SavedCriteria(
        code=code, description=description, user_id=user_id, actions=segment.actions
    )


@frozen(kw_only=True)
class LineRefusal:
    """A line logging leaves out, with BC's reason (§4.9, §2.15)."""

    line_no: int
    contact_no: str
    reason: str


@frozen(kw_only=True)
class SegmentLog:
    """What logging a segment writes (§4.9): the register entry and the interactions.

    Attributes:
        logged: The logged segment.
        entries: One interaction log entry per logged line, in line order.
        refused: The lines left out, with the reason.
        deliveries: With *Send*, what became of each merged message, in line
            order (:class:`~relationship_mgmt.domain.mailmerge.DeliveryOutcome`);
            empty without.
    """

    logged: LoggedSegment
    entries: tuple[InteractionLogEntry, ...]
    refused: tuple[LineRefusal, ...] = ()
    deliveries: tuple[DeliveryOutcome, ...] = ()


def plan_segment_log(
    segment: Segment,
    *,
    entry_no: int,
    interaction_nos: Callable[[], int],
    contacts: Mapping[ContactNo, Contact],
    templates: Mapping[Code, InteractionTemplate],
    today: dt.date,
    user_id: str,
    deliver: bool = False,
) -> SegmentLog:
    """Plan the logging of a segment: BC's ``LogSegment`` without its writes (§4.9).

    The description is required and the segment must have lines. Each line becomes
    one interaction log entry (:func:`~relationship_mgmt.domain.interactions.plan_interaction`
    with the line's values) carrying the segment's number and the logged segment's
    Entry No.; lines of a privacy-blocked contact are left out with the reason
    (§2.15: no interaction is logged for them). Any other refusal refuses the whole
    log, nothing half done.

    Args:
        segment: The segment.
        entry_no: The logged segment's Entry No.
        interaction_nos: Draws the entry numbers of the interactions.
        contacts: The lines' contacts by number.
        templates: The lines' interaction templates by code.
        today: The Creation Date.
        user_id: Who logs it.
        deliver: Send the lines with a correspondence type (BC's Send).

    Raises:
        ValidationError: No description, no lines ("Segment %1 is empty."), or a
            line its interaction refuses (no template, no salesperson, ...).
        NotFoundError: A line's contact is not in ``contacts``.
    """
    if not segment.description:
        raise ValidationError("description", "", "must be filled in to log (§4.9)")
    if not segment.lines:
        raise ValidationError("lines", segment.no, f"Segment {segment.no} is empty.")
    entries: list[InteractionLogEntry] = []
    refused: list[LineRefusal] = []
    for line in sorted(segment.lines, key=lambda row: row.line_no):
        contact = contacts.get(line.contact_no)
        if contact is None:
            raise NotFoundError("contact", line.contact_no)
        if contact.privacy_blocked:
            refused.append(
                LineRefusal(
                    line_no=line.line_no,
                    contact_no=line.contact_no,
                    reason="the contact is privacy blocked (§2.15)",
                )
            )
            continue
        template = (
            None
            if line.interaction_template_code is None
            else templates.get(line.interaction_template_code)
        )
        request = InteractionRequest(
            contact_no=line.contact_no,
            template_code=line.interaction_template_code,
            description=line.description,
            subject=line.subject,
            salesperson_code=line.salesperson_code,
            cost_lcy=line.cost_lcy,
            duration_min=line.duration_min,
            information_flow=line.information_flow,
            initiated_by=line.initiated_by,
            correspondence_type=line.correspondence_type,
            campaign_no=line.campaign_no,
            language_code=line.language_code,
            send_word_docs_as_attmt=line.send_word_docs_as_attmt,
            deliver=deliver
            and line.correspondence_type is not CorrespondenceType.BLANK,
        )
        entry = plan_interaction(
            request,
            entry_no=interaction_nos(),
            contact=contact,
            template=template,
            user_id=user_id,
            segment_no=segment.no,
            logged_segment_entry_no=entry_no,
            date=line.date or today,
        )
        entries.append(
            attrs.evolve(
                entry,
                campaign_target=line.campaign_target,
                campaign_response=line.campaign_response,
            )
        )
    logged = LoggedSegment(
        entry_no=entry_no,
        segment_no=segment.no,
        description=segment.description,
        creation_date=today,
        user_id=user_id,
    )
    return SegmentLog(logged=logged, entries=tuple(entries), refused=tuple(refused))


FOLLOW_UP_DESCRIPTION: Final = "Follow-up on segment {}"
"""The follow-up segment's description (§4.9), cut to 50 characters."""


def _line_order(contact: Contact) -> tuple[str, str, int, str]:
    """BC's insert order: Company Name, Company No., Type (Company first), Name."""
    return (
        contact.company_name,
        contact.company_no or "",
        0 if contact.type is ContactType.COMPANY else 1,
        contact.name,
    )


def check_segment_references(
    segment_no: str,
    criteria: Criteria,
    references: Callable[[str], Iterable[str]],
) -> None:
    """Refuse criteria that would make a segment depend on itself (issue #6).

    ``InSegment`` tests another segment's lines. A segment's criteria may refer
    to other segments, and theirs to others, but never back to it: the criteria
    it records could not be run again (§4.8 Reuse Criteria) without their own
    result. ``references(no)`` gives the segments the recorded criteria of
    segment ``no`` refer to (none for one that does not exist).

    Raises:
        ValidationError: The criteria refer to the segment itself, directly or
            through other segments; the message shows the path.

    >>> from relationship_mgmt.domain.criteria import where
    >>> graph = {"SM2": ["SM3"], "SM3": ["SM1"]}
    >>> check_segment_references("SM1", where.in_segment("SM4"), lambda n: graph.get(n, []))
    >>> diamond = {"SM2": ["SM4"], "SM3": ["SM4"]}  # SM4 reached twice, looked at once
    >>> check_segment_references(
    ...     "SM1", where.in_segment("SM2") | where.in_segment("SM3"),
    ...     lambda n: diamond.get(n, []),
    ... )
    >>> check_segment_references("SM1", where.in_segment("SM2"), lambda n: graph.get(n, []))
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: criteria: SM1 would depend on itself: SM1 -> SM2 -> SM3 -> SM1 (got ...)
    """
    start = segment_no.upper()
    paths: dict[str, list[str]] = {}
    todo = [(no, [start, no]) for no in sorted(segments_of(criteria))]
    while todo:
        no, path = todo.pop()
        if no == start:
            raise ValidationError(
                "criteria",
                criteria,
                f"{start} would depend on itself: {' -> '.join(path)}",
            )
        if no in paths:
            continue
        paths[no] = path
        todo.extend((ref.upper(), [*path, ref.upper()]) for ref in references(no))
