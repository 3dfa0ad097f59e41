r"""Segments (§4): ``crm.segments``.

A segment is built with criteria actions, each one unit of work: the contacts that
meet the criteria are found with the compiled evaluator
(:func:`~relationship_mgmt.domain.criteria.select`) over the stored contacts, their
related records read from storage only for the contacts that pass the contact's own
tests, and the segment records the action and its history so that
:meth:`SegmentService.go_back` undoes it.

>>> import datetime as dt
>>> import relationship_mgmt as rm
>>> from relationship_mgmt.testing import FrozenClock
>>> crm = rm.open(clock=FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
>>> crm.setup.use_default_number_series()
>>> for name, country in (("Cronus", "CZ"), ("Fabrikam", "DK"), ("Contoso", "CZ")):
...     _ = crm.contacts.create_company(name=name, country_code=country)
>>> seg = crm.segments.create(description="Czech customers")
>>> [line.contact_no for line in crm.segments.add_contacts(seg.no, rm.where.country_code == "CZ")]
['CT000003', 'CT000001']
>>> [line.contact_no for line in crm.segments.refine(seg.no, rm.where.name.startswith("Cro"))]
['CT000003']
>>> crm.segments.go_back(seg.no).no_of_criteria_actions
1
>>> print("\n".join(crm.segments.explain(rm.where.country_code == "CZ", "CT000002").lines()))
[ ] contact.country_code = 'DK' = 'CZ'
"""

from __future__ import annotations

import builtins
import datetime as dt
import typing
from collections import defaultdict
from collections.abc import Collection, Iterable

import attrs

from relationship_mgmt.domain._fields import check_field_names
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
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.criteria import (
    CONTACT_RELATIONS,
    Criteria,
    Explanation,
    contact_records,
    explain,
    segments_of,
    select,
    where,
)
from relationship_mgmt.domain.interactions import (
    DeliveryStatus,
    InteractionFilter,
    InteractionLogEntry,
)
from relationship_mgmt.domain.mailmerge import (
    MERGE_FIELDS,
    DeliveryOutcome,
    OutgoingMessage,
    html_to_text,
    merge_context,
    recipients_of,
    template_kind,
)
from relationship_mgmt.domain.segments import (
    FOLLOW_UP_DESCRIPTION,
    LOGGED_SEGMENT_EXISTS,
    AddOptions,
    CriteriaAction,
    LoggedSegment,
    SavedCriteria,
    Segment,
    SegmentAction,
    SegmentLine,
    SegmentLog,
    check_segment_references,
    plan_segment_log,
    save_criteria,
)
from relationship_mgmt.domain.setup import (
    CorrespondenceType,
    SalutationFormula,
    SalutationType,
)
from relationship_mgmt.domain.tasks import TaskFilter
from relationship_mgmt.errors import (
    MissingOptionalDependencyError,
    NotFoundError,
    SalutationFormulaNotFoundError,
    TemplateError,
    ValidationError,
)
from relationship_mgmt.ports.attachments import AttachmentStore
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.delivery import MergeRenderer, Outbox
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.campaigns import refresh_campaign_targets
from relationship_mgmt.services.interactions import link_campaign_entry
from relationship_mgmt.services.numbering import assign_number
from relationship_mgmt.services.segment_actions import SegmentActions

__all__ = ["MembershipDiff", "SegmentService", "StoredRelated"]


@attrs.frozen(kw_only=True)
class MembershipDiff:
    """Who entered and who left a selection between two days (:meth:`SegmentService.diff`).

    Attributes:
        as_of_a: The first day.
        as_of_b: The second day.
        entered: (contact No., explanation on the second day) of each newcomer.
        left: (contact No., explanation on the second day) of each leaver.
    """

    as_of_a: dt.date
    as_of_b: dt.date
    entered: tuple[tuple[str, Explanation], ...]
    left: tuple[tuple[str, Explanation], ...]


def _members_index(contacts: Iterable[Contact]) -> defaultdict[str, list[Contact]]:
    """The contacts of each company number, built once per use case (not per lookup)."""
    index: defaultdict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.company_no is not None:
            index[contact.company_no].append(contact)
    return index


def _segment_no(no: str) -> SegmentNo:
    return SegmentNo(make_code(no, max_length=CODE20, field="no"))


class StoredRelated:
    """:class:`~relationship_mgmt.domain.criteria.Related` read from a unit of work.

    Each contact's records are read when a criterion first asks for them (the
    evaluator asks only for the contacts that passed the cheaper tests) and kept
    for the rest of the use case.

    With ``as_of`` only the records that existed on that day count: interactions
    dated on or before it, opportunities created by then, tasks dated by then and
    profile answers last updated by then (the contact's own fields are today's).

    Args:
        uow: The unit of work to read from.
        as_of: The day the records are seen as of; ``None`` for all of them.
    """

    def __init__(self, uow: UnitOfWork, *, as_of: dt.date | None = None) -> None:
        self._uow = uow
        self._as_of = as_of
        self._cache: dict[tuple[str, str], list[object]] = {}
        self._companies: dict[str, Contact] = {}
        self._segments: dict[str, frozenset[str]] = {}

    def related(self, relation: str, contact: Contact) -> Iterable[object]:
        """Return the contact's records of ``relation`` (§4.5 links)."""
        key = (relation, contact.no)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._read(relation, contact)
        return found

    def related_within(
        self, relation: str, contact: Contact, field: str, low: dt.date, high: dt.date
    ) -> Iterable[object]:
        """Return the contact's records of ``relation`` (all: a range is a hint)."""
        del field, low, high
        return self.related(relation, contact)

    def _read(self, relation: str, contact: Contact) -> list[object]:
        uow, no = self._uow, ContactNo(contact.no)
        if relation in CONTACT_RELATIONS:
            return contact_records(relation, contact, self._company(contact))
        day = self._as_of
        if relation == "interaction":
            entries = uow.interaction_log.find(InteractionFilter(contact_no=no))
            return [
                e
                for e in entries
                if day is None or (e.date is not None and e.date <= day)
            ]
        if relation == "opportunity":
            deals = uow.opportunities.find(contact_no=no)
            return [o for o in deals if day is None or o.creation_date <= day]
        if relation == "task":
            tasks = uow.tasks.find(TaskFilter(contact_no=no))
            return [t for t in tasks if day is None or t.date <= day]
        answers = uow.contact_profile_answers.find_by_contact(no)
        return [a for a in answers if day is None or a.last_date_updated <= day]

    def _company(self, contact: Contact) -> Contact:
        company_no = contact.company_no
        if company_no is None or company_no == contact.no:
            return contact
        found = self._companies.get(company_no)
        if found is None:
            found = self._companies[company_no] = self._uow.contacts.get(company_no)
        return found

    def segment_members(self, segment_no: str) -> Collection[str]:
        """Return the contacts on the segment's lines (none if it is not stored)."""
        found = self._segments.get(segment_no)
        if found is None:
            key = _segment_no(segment_no)
            found = (
                self._uow.segments.get(key).contact_nos
                if self._uow.segments.exists(key)
                else frozenset()
            )
            self._segments[segment_no] = found
        return found


class SegmentService(SegmentActions):
    """Segments, their lines and criteria actions (§4): one method, one unit of work.

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: The work date (a new segment's Date, §4.1).
        user_id: The *User ID* written on logged segments and entries.
        attachments: Where the interaction templates' attachments are (§3.7): the
            mail-merge templates of :meth:`log` with ``deliver``.
        outbox: Where :meth:`log` with ``deliver`` hands the merged messages.
        renderer: Merges the templates (``None``: delivering raises
            :class:`~relationship_mgmt.errors.MissingOptionalDependencyError`).
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        user_id: str = "",
        attachments: AttachmentStore | None = None,
        outbox: Outbox | None = None,
        renderer: MergeRenderer | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._user_id = user_id
        self._attachments = attachments
        self._outbox = outbox
        self._renderer = renderer

    # --- header ---------------------------------------------------------------------------

    def create(
        self, *, no: str | None = None, template: str | None = None, **fields: object
    ) -> Segment:
        """Create a segment (§4.1 Insert): its number from Segment Nos., dated today.

        Args:
            no: A number of your own; by default from the setup's Segment Nos.
            template: An interaction template whose defaults the header takes.
            **fields: Header fields (``description``, ``campaign_no``,
                ``salesperson_code``, ``subject_default`` ...).

        Raises:
            ValidationError: An unknown field or a refused value.
            NotFoundError: No such template, campaign or salesperson.
            SalespersonBlockedError: The salesperson is blocked (§8).
        """
        check_field_names(Segment, fields)
        fixed = sorted({"no", "lines", "actions", "history", "version"} & fields.keys())
        if fixed:
            raise ValidationError("fields", fixed, "are set by the rules")
        today = self._clock.workdate()
        with self._uow_factory() as uow:
            self._check_references(uow, fields)
            number = assign_number(
                uow,
                uow.setup.get().segment_nos,
                manual_no=no,
                on=today,
                what="segment_nos",
            )
            values: dict[str, object] = {"date": today, **fields}
            segment = Segment(no=number, **values)  # type: ignore[arg-type]
            if template is not None:
                segment.apply_template(
                    uow.interaction_templates.get(_template(template))
                )
            uow.segments.add(segment)
            uow.commit()
        return segment

    @staticmethod
    def _check_references(uow: UnitOfWork, fields: dict[str, object]) -> None:
        salesperson = fields.get("salesperson_code")
        if isinstance(salesperson, str) and salesperson.strip():
            code = SalespersonCode(
                make_code(salesperson, max_length=CODE20, field="salesperson_code")
            )
            uow.salespeople.get(code).ensure_assignable("segment")
        campaign = fields.get("campaign_no")
        if isinstance(campaign, str) and campaign.strip():
            uow.campaigns.get(
                CampaignNo(make_code(campaign, max_length=CODE20, field="campaign_no"))
            )

    def get(self, no: str) -> Segment:
        """Return the segment with its lines, actions and history.

        Raises:
            NotFoundError: No such segment.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            return uow.segments.get(key)

    def list(self) -> builtins.list[Segment]:
        """Return every segment, ordered by number."""
        with self._uow_factory() as uow:
            return uow.segments.find_all()

    def change(self, no: str, /, **fields: object) -> Segment:
        """Change header fields; the lines keep their values (§4.1).

        Raises:
            NotFoundError: No such segment, campaign or salesperson.
            ValidationError: An unknown or fixed field, or a refused value.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            self._check_references(uow, fields)
            segment.change(**fields)
            _save(uow, segment, before)
            uow.commit()
        return segment

    def apply_template(self, no: str, template: str) -> Segment:
        """Give the header an interaction template's defaults (§4.1).

        Raises:
            NotFoundError: No such segment or template.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            segment.apply_template(uow.interaction_templates.get(_template(template)))
            _save(uow, segment, before)
            uow.commit()
        return segment

    def delete(self, no: str) -> None:
        """Delete the segment with its lines, criteria and history (§4.1 Delete).

        Raises:
            NotFoundError: No such segment.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            before = _target_pairs(uow.segments.get(key))
            uow.segments.remove(key)
            refresh_campaign_targets(uow, before)
            uow.commit()

    # --- criteria actions (§4.5-§4.7) --------------------------------------------------------

    def add_contacts(
        self,
        no: str,
        criteria: Criteria,
        *,
        allow_existing_contacts: bool = False,
        expand_companies: bool = False,
        allow_related_companies: bool = False,
        ignore_exclusion: bool = False,
    ) -> builtins.list[SegmentLine]:
        """Add Contacts (§4.5): every contact that meets ``criteria``, as the options say.

        Returns:
            The lines added, in BC's order.

        Raises:
            NotFoundError: No such segment.
            ValidationError: Criteria that do not select contacts.
        """
        options = AddOptions(
            allow_existing_contacts=allow_existing_contacts,
            expand_companies=expand_companies,
            allow_related_companies=allow_related_companies,
            ignore_exclusion=ignore_exclusion,
        )
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            _check_references(uow, key, criteria)
            contacts = uow.contacts.find_all()
            chosen = set(select(criteria, contacts, StoredRelated(uow)))
            by_no = {c.no: c for c in contacts}
            added = segment.add_contacts(
                [c for c in contacts if c.no in chosen],
                criteria=criteria,
                options=options,
                company_members=_members_index(contacts).__getitem__,
                company_of=lambda company: by_no.get(ContactNo(company)),
            )
            _save(uow, segment, before)
            uow.commit()
        return added

    def reduce(
        self, no: str, criteria: Criteria, *, entire_companies: bool = False
    ) -> builtins.list[SegmentLine]:
        """Remove Contacts - Reduce (§4.6): delete the lines whose contact meets ``criteria``.

        Returns:
            The lines deleted.

        Raises:
            NotFoundError: No such segment.
        """
        return self._remove(
            no, criteria, entire_companies=entire_companies, refine=False
        )

    def refine(
        self, no: str, criteria: Criteria, *, entire_companies: bool = False
    ) -> builtins.list[SegmentLine]:
        """Remove Contacts - Refine (§4.6): keep only the lines whose contact meets it.

        Returns:
            The lines deleted.

        Raises:
            NotFoundError: No such segment.
        """
        return self._remove(
            no, criteria, entire_companies=entire_companies, refine=True
        )

    def _remove(
        self,
        no: str,
        criteria: Criteria,
        *,
        entire_companies: bool,
        refine: bool,
    ) -> builtins.list[SegmentLine]:
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            _check_references(uow, key, criteria)
            # §4.6: each line's contact, found on its current No. (BCApps #10185);
            # with Entire Companies every contact of its current company.
            wanted = uow.contacts.get_many([ContactNo(n) for n in segment.contact_nos])
            candidates = dict(wanted)
            if entire_companies:
                for contact in wanted.values():
                    if contact.company_no is not None:
                        company = ContactNo(contact.company_no)
                        for member in [
                            *uow.contacts.get_many([company]).values(),
                            *uow.contacts.persons_of(company),
                        ]:
                            candidates.setdefault(member.no, member)
            matched_nos = set(select(criteria, candidates.values(), StoredRelated(uow)))
            matched = [c for c in candidates.values() if c.no in matched_nos]

            def members(company: str) -> builtins.list[Contact]:
                key_no = ContactNo(company)
                return [
                    *uow.contacts.get_many([key_no]).values(),
                    *uow.contacts.persons_of(key_no),
                ]

            method = segment.refine if refine else segment.reduce
            removed = method(
                matched,
                criteria=criteria,
                entire_companies=entire_companies,
                company_members=members,
            )
            _save(uow, segment, before)
            uow.commit()
        return removed

    def add_line(self, no: str, contact_no: str) -> SegmentLine:
        """Add a line for a contact by hand (recorded for Go Back, §4.7).

        Raises:
            NotFoundError: No such segment or contact.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            contact = uow.contacts.get(
                ContactNo(make_code(contact_no, max_length=CODE20, field="contact_no"))
            )
            line = segment.add_line(contact)
            _save(uow, segment, before)
            uow.commit()
        return line

    def remove_line(self, no: str, line_no: int) -> SegmentLine:
        """Delete a line by hand (recorded for Go Back, §4.7).

        Raises:
            NotFoundError: No such segment or line.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            line = segment.remove_line(line_no)
            _save(uow, segment, before)
            uow.commit()
        return line

    def go_back(self, no: str) -> Segment:
        """Undo the last criteria action exactly (§4.7).

        Raises:
            NotFoundError: No such segment.
            ValidationError: It has no action to undo.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            segment.go_back()
            _save(uow, segment, before)
            uow.commit()
        return segment

    # --- saved criteria and reuse (§4.8) -----------------------------------------------------

    def save_criteria(
        self, no: str, code: str, *, description: str = ""
    ) -> SavedCriteria:
        """Save the segment's criteria actions under ``code`` (§4.8 Save Criteria).

        Raises:
            NotFoundError: No such segment.
            AlreadyExistsError: The code is taken.
            ValidationError: The segment has no criteria actions.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            saved = save_criteria(
                uow.segments.get(key),
                code=code,
                description=description,
                user_id=self._user_id,
            )
            uow.saved_criteria.add(saved)
            uow.commit()
        return saved

    def saved_criteria(self) -> builtins.list[SavedCriteria]:
        """Return every saved criteria set, ordered by code."""
        with self._uow_factory() as uow:
            return uow.saved_criteria.find_all()

    def delete_saved_criteria(self, code: str) -> None:
        """Delete a saved criteria set with its lines (§4.4).

        Raises:
            NotFoundError: No such saved criteria.
        """
        with self._uow_factory() as uow:
            uow.saved_criteria.remove(_template(code))
            uow.commit()

    def reuse(
        self, no: str, criteria: str | None = None, *, logged: int | None = None
    ) -> Segment:
        """Reuse saved criteria or a logged segment on the segment (§4.8).

        The issue's name for both of BC's actions: ``reuse(no, "CODE")`` is
        :meth:`reuse_criteria` (Reuse Criteria), ``reuse(no, logged=entry_no)`` is
        :meth:`reuse_logged` (Reuse Logged Segment).

        Returns:
            The segment after the reuse.

        Raises:
            ValidationError: Neither or both of ``criteria`` and ``logged`` given.
            NotFoundError: No such segment, saved criteria or logged segment.
        """
        if (criteria is None) == (logged is None):
            raise ValidationError(
                "criteria", criteria, "give saved criteria or logged=, one of them"
            )
        if criteria is not None:
            return self.reuse_criteria(no, criteria)
        self.reuse_logged(no, typing.cast("int", logged))
        return self.get(no)

    def reuse_criteria(self, no: str, code: str) -> Segment:
        """Replay saved criteria on the segment, action by action (§4.8 Reuse Criteria).

        Each action runs against the current data with its criteria and options,
        recorded with its history as if run by hand, all in one unit of work.

        Raises:
            NotFoundError: No such segment or saved criteria.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            saved = uow.saved_criteria.get(_template(code))
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            for action in saved.actions:
                _check_references(uow, key, action.criteria)
            contacts = uow.contacts.find_all()
            for action in saved.actions:
                self._replay(uow, segment, contacts, action)
            _save(uow, segment, before)
            uow.commit()
        return segment

    def _replay(
        self,
        uow: UnitOfWork,
        segment: Segment,
        contacts: builtins.list[Contact],
        action: CriteriaAction,
    ) -> None:
        related = StoredRelated(uow)
        by_no = {c.no: c for c in contacts}

        members = _members_index(contacts).__getitem__

        if action.action is SegmentAction.ADD:
            chosen = set(select(action.criteria, contacts, related))
            segment.add_contacts(
                [c for c in contacts if c.no in chosen],
                criteria=action.criteria,
                options=action.options,
                company_members=members,
                company_of=lambda company: by_no.get(ContactNo(company)),
            )
            return
        candidates = [by_no[ContactNo(n)] for n in segment.contact_nos if n in by_no]
        if action.entire_companies:
            companies = {c.company_no for c in candidates if c.company_no}
            candidates = [
                c for c in contacts if c.company_no in companies or c in candidates
            ]
        matched_nos = set(select(action.criteria, candidates, related))
        method = (
            segment.refine if action.action is SegmentAction.REFINE else segment.reduce
        )
        method(
            [c for c in candidates if c.no in matched_nos],
            criteria=action.criteria,
            entire_companies=action.entire_companies,
            company_members=members,
        )

    def reuse_logged(self, no: str, entry_no: int) -> builtins.list[SegmentLine]:
        """Add the contacts of a logged segment's interactions (§4.8 Reuse Logged Segment).

        Recorded as Add Contacts with Allow Existing Contacts and the criteria "has
        an interaction with this Logged Segment Entry No.".

        Raises:
            NotFoundError: No such segment or logged segment.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            uow.logged_segments.get(entry_no)
            segment = uow.segments.get(key)
            before = _target_pairs(segment)
            criteria = where.has(
                "interaction",
                where.on("interaction").logged_segment_entry_no == entry_no,
            )
            logged = uow.interaction_log.find(
                InteractionFilter(logged_segment_entry_no=entry_no)
            )
            wanted = dict.fromkeys(
                ContactNo(e.contact_no) for e in logged if e.contact_no
            )
            found = uow.contacts.get_many(list(wanted))
            added = segment.add_contacts(
                [found[n] for n in wanted if n in found],
                criteria=criteria,
                options=AddOptions(allow_existing_contacts=True),
            )
            _save(uow, segment, before)
            uow.commit()
        return added

    # --- logging (§4.9) ---------------------------------------------------------------------

    def log(
        self,
        no: str,
        *,
        deliver: bool = False,
        follow_up: bool = False,
        outbox: Outbox | None = None,
    ) -> SegmentLog:
        """Log the segment in one unit of work: BC's ``LogSegment`` (§4.9).

        Every line becomes an interaction log entry with the segment's number and
        the logged segment's Entry No.; lines with a campaign are logged under the
        campaign entry of (campaign, segment, document type), whose Register No. is
        the logged segment. Lines of privacy-blocked contacts are left out and
        reported. The segment is then deleted; with ``follow_up`` a new segment
        "Follow-up on segment <No>" gets the logged contacts, recorded as Add
        Contacts with Allow Existing Contacts (BC's ``ReuseLogged``). Any failure
        leaves everything as it was.

        With ``deliver`` (BC's *Send*), every line with a correspondence type is
        merged and delivered (§4.9, §3.7):

        1. before anything is written, each such line's template attachment (the
           one of the line's language, §3.7) is checked against the merge fields
           (:data:`~relationship_mgmt.domain.mailmerge.MERGE_FIELDS`) and rendered
           with the line's values, its Subject (else its Description) too; a
           template that fails, a line without an attachment to merge or an Email
           line whose contact has no e-mail refuses the whole log;
        2. the log is committed, these entries with Delivery Status In Progress
           and Merged set;
        3. the messages go to the outbox, one by one;
        4. in a second unit of work each entry's Delivery Status becomes ``' '``
           (delivered) or Error (the outbox refused it), BC's ``' '`` → In
           Progress → ``' '`` or Error. A refused message never undoes the log.

        Args:
            no: The segment.
            deliver: Merge and send the lines with a correspondence type.
            follow_up: Create the follow-up segment.
            outbox: Where to deliver; by default the service's (``rm.open(...,
                outbox=...)``).

        Returns:
            The logged segment, its entries (with their final Delivery Status),
            the lines left out and, with ``deliver``, the outcome of each message.

        Raises:
            NotFoundError: No such segment, or a line's contact, template,
                salesperson, campaign or attachment.
            ValidationError: The segment was logged before ("Logged Segment for
                Segment No. %1 already exists."), has no description or no lines,
                or a line its interaction refuses; ``deliver`` without an outbox,
                or an Email line whose contact has no e-mail address.
            SalespersonBlockedError: A line's salesperson is blocked (§8).
            TemplateError: A template to merge is missing, not text or HTML, or
                fails its check or its render (:class:`~relationship_mgmt.errors.TemplateSecurityError`,
                :class:`~relationship_mgmt.errors.TemplateLimitError`).
            MissingOptionalDependencyError: ``deliver`` without a renderer (the
                extra ``mailmerge``).
        """
        key = _segment_no(no)
        today = self._clock.workdate()
        target = outbox if outbox is not None else self._outbox
        if deliver and target is None:
            raise ValidationError(
                "outbox",
                None,
                "delivering needs an outbox: rm.open(..., outbox=...) or log(outbox=...)",
            )
        messages: builtins.list[OutgoingMessage] = []
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            if uow.logged_segments.find(segment_no=key):
                raise ValidationError(
                    "segment_no", key, LOGGED_SEGMENT_EXISTS.format(key)
                )
            contacts = uow.contacts.get_many(
                [ContactNo(n) for n in segment.contact_nos]
            )
            codes = {
                line.interaction_template_code
                for line in segment.lines
                if line.interaction_template_code is not None
            }
            templates = {code: uow.interaction_templates.get(code) for code in codes}
            for code in {line.salesperson_code for line in segment.lines} - {None}:
                uow.salespeople.get(SalespersonCode(str(code))).ensure_assignable(
                    "interaction"
                )
            plan = plan_segment_log(
                segment,
                entry_no=uow.logged_segments.next_entry_no(),
                interaction_nos=uow.interaction_log.next_entry_no,
                contacts=contacts,
                templates=templates,
                today=today,
                user_id=self._user_id,
                deliver=deliver,
            )
            if deliver:
                merged, messages = self._merge(uow, segment, plan, contacts)
                plan = attrs.evolve(plan, entries=merged)
            entries = []
            for entry in plan.entries:
                linked = link_campaign_entry(uow, entry, user_id=self._user_id)
                stored = linked.stored_as(1)
                uow.interaction_log.add(stored)
                entries.append(stored)
            uow.logged_segments.add(plan.logged)
            uow.segments.remove(key)
            if follow_up:
                self._follow_up(uow, segment, plan, contacts, today)
            # §6.3: the entries target the campaign now, not the deleted lines
            refresh_campaign_targets(uow, _target_pairs(segment))
            uow.commit()
        logged = attrs.evolve(plan, entries=tuple(entries))
        if not messages or target is None:
            return logged
        return self._deliver(logged, messages, target)

    def _merge(
        self,
        uow: UnitOfWork,
        segment: Segment,
        plan: SegmentLog,
        contacts: dict[ContactNo, Contact],
    ) -> tuple[tuple[InteractionLogEntry, ...], builtins.list[OutgoingMessage]]:
        """Render every message of the log before anything is written (§4.9 Send).

        Returns the entries (those to deliver marked Merged) and their messages.
        """
        renderer = self._renderer
        if renderer is None:
            raise MissingOptionalDependencyError("mailmerge", "mail merge of segments")
        now = self._clock.now()
        formulas = builtins.list(uow.code_tables.find_all(SalutationFormula))
        salespeople = {
            code: uow.salespeople.get(code)
            for code in {e.salesperson_code for e in plan.entries}
            if code is not None
        }
        campaigns = {
            no: uow.campaigns.get(no)
            for no in {e.campaign_no for e in plan.entries}
            if no is not None
        }
        bodies: dict[int, tuple[str, str, bool]] = {}
        checked: set[str] = set()
        entries: builtins.list[InteractionLogEntry] = []
        messages: builtins.list[OutgoingMessage] = []
        for entry in plan.entries:
            if entry.delivery_status is not DeliveryStatus.IN_PROGRESS:
                entries.append(entry)
                continue
            name, source, html = self._merge_template(entry, bodies)
            subject_name = f"subject of interaction entry {entry.entry_no}"
            subject_source = entry.subject or entry.description
            for template, text in ((name, source), (subject_name, subject_source)):
                if text not in checked:  # each distinct template is checked once
                    renderer.check(text, name=template, fields=MERGE_FIELDS)
                    checked.add(text)
            contact = contacts[ContactNo(entry.contact_no or "")]
            salesperson = (
                None
                if entry.salesperson_code is None
                else salespeople[entry.salesperson_code]
            )
            language = entry.interaction_language_code or ""
            context = merge_context(
                contact=contact,
                entry=entry,
                segment=segment,
                salesperson=salesperson,
                campaign=(
                    None if entry.campaign_no is None else campaigns[entry.campaign_no]
                ),
                salutation=_salutation(
                    contact, SalutationType.FORMAL, language, formulas
                ),
                informal_salutation=_salutation(
                    contact, SalutationType.INFORMAL, language, formulas
                ),
            )
            body = renderer.render(source, context, name=name, html=html)
            subject = renderer.render(subject_source, context, name=subject_name)
            email = entry.correspondence_type is CorrespondenceType.EMAIL
            sender = salesperson.email.partition(";")[0] if salesperson else ""
            sender_name = " ".join(salesperson.name.split()) if salesperson else ""
            messages.append(
                OutgoingMessage(
                    entry_no=entry.entry_no,
                    logged_segment_entry_no=entry.logged_segment_entry_no,
                    contact_no=contact.no,
                    correspondence_type=entry.correspondence_type,
                    recipients=(
                        recipients_of(contact, entry.contact_alt_address_code)
                        if email
                        else ()
                    ),
                    recipient_name=" ".join(contact.name.split()),
                    sender=sender,
                    sender_name=sender_name,
                    subject=" ".join(subject.split()),
                    text=html_to_text(body) if html else body,
                    html=body if html else None,
                    date=now,
                )
            )
            entries.append(attrs.evolve(entry, merged=True))
        return tuple(entries), messages

    def _merge_template(
        self, entry: InteractionLogEntry, bodies: dict[int, tuple[str, str, bool]]
    ) -> tuple[str, str, bool]:
        """The entry's attachment as a merge template: (name, source, is HTML)."""
        number = entry.attachment_no
        if number is None:
            raise TemplateError(
                f"interaction template {entry.interaction_template_code}",
                "has no attachment to merge for language "
                f"{entry.interaction_language_code or '(blank)'}; attach a text or "
                "HTML template to deliver (a Word template cannot be merged here)",
            )
        if number not in bodies:
            if self._attachments is None:
                raise NotFoundError("attachment", number)
            attachment = self._attachments.get(number)
            name = (
                f"attachment {number} ({attachment.file_name}) of interaction "
                f"template {entry.interaction_template_code}"
            )
            kind = template_kind(attachment.file_name, attachment.media_type)
            if kind is None:
                raise TemplateError(
                    name,
                    f"a {attachment.media_type} attachment cannot be merged; "
                    "attach a text or HTML template",
                )
            try:
                source = attachment.content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise TemplateError(name, "is not UTF-8 text") from None
            bodies[number] = (name, source, kind == "html")
        return bodies[number]

    def _deliver(
        self, logged: SegmentLog, messages: Iterable[OutgoingMessage], outbox: Outbox
    ) -> SegmentLog:
        """Hand the messages over, then record each entry's Delivery Status (§3.7)."""
        outcomes: builtins.list[DeliveryOutcome] = []
        for message in messages:
            try:
                reference = outbox.deliver(message)
            except Exception as error:  # noqa: BLE001 - one refusal must not stop the rest (§3.7 Error)
                outcomes.append(
                    DeliveryOutcome(
                        entry_no=message.entry_no,
                        contact_no=message.contact_no,
                        status=DeliveryStatus.ERROR,
                        error=str(error) or type(error).__name__,
                    )
                )
            else:
                outcomes.append(
                    DeliveryOutcome(
                        entry_no=message.entry_no,
                        contact_no=message.contact_no,
                        status=DeliveryStatus.BLANK,
                        reference=reference,
                    )
                )
        updated: dict[int, InteractionLogEntry] = {}
        with self._uow_factory() as uow:
            for outcome in outcomes:
                entry = uow.interaction_log.get(outcome.entry_no)
                updated[entry.entry_no] = uow.interaction_log.update(
                    entry.record_delivery(outcome.status)
                )
            uow.commit()
        return attrs.evolve(
            logged,
            entries=tuple(updated.get(e.entry_no, e) for e in logged.entries),
            deliveries=tuple(outcomes),
        )

    def _follow_up(
        self,
        uow: UnitOfWork,
        segment: Segment,
        plan: SegmentLog,
        contacts: dict[ContactNo, Contact],
        today: dt.date,
    ) -> None:
        number = assign_number(
            uow,
            uow.setup.get().segment_nos,
            manual_no=None,
            on=today,
            what="segment_nos",
        )
        follow = Segment(
            no=number,
            description=FOLLOW_UP_DESCRIPTION.format(segment.no)[:50],
            campaign_no=segment.campaign_no,
            date=today,
        )
        logged_no = plan.logged.entry_no
        criteria = where.has(
            "interaction", where.on("interaction").logged_segment_entry_no == logged_no
        )
        seen = dict.fromkeys(ContactNo(e.contact_no or "") for e in plan.entries)
        follow.add_contacts(
            [contacts[n] for n in seen],
            criteria=criteria,
            options=AddOptions(allow_existing_contacts=True),
        )
        uow.segments.add(follow)
        refresh_campaign_targets(uow, _target_pairs(follow))

    def logged_segments(
        self, segment_no: str | None = None
    ) -> builtins.list[LoggedSegment]:
        """Return the logged segments (of a segment number), by entry number."""
        key = None if segment_no is None else _segment_no(segment_no)
        with self._uow_factory() as uow:
            return uow.logged_segments.find(segment_no=key)

    def cancel_log(self, entry_no: int) -> LoggedSegment:
        """Cancel a logged segment with its campaign entries and interactions (§4.9).

        BC's ``SetCanceledCheckmark(true)``: Canceled on the logged segment, on every
        campaign entry with its Register No. and every interaction log entry with
        its Logged Segment Entry No.

        Raises:
            NotFoundError: No such logged segment.
        """
        return self._set_canceled(entry_no, canceled=True)

    def uncancel_log(self, entry_no: int) -> LoggedSegment:
        """Undo :meth:`cancel_log` (``SetCanceledCheckmark(false)``).

        Raises:
            NotFoundError: No such logged segment.
        """
        return self._set_canceled(entry_no, canceled=False)

    def _set_canceled(self, entry_no: int, *, canceled: bool) -> LoggedSegment:
        with self._uow_factory() as uow:
            logged = uow.logged_segments.get(entry_no)
            logged = logged.cancel() if canceled else logged.uncancel()
            uow.logged_segments.update(logged)
            for campaign_entry in uow.campaign_entries.find():
                if campaign_entry.register_no == entry_no:
                    uow.campaign_entries.update(
                        campaign_entry.cancel()
                        if canceled
                        else campaign_entry.uncancel()
                    )
            where_logged = InteractionFilter(logged_segment_entry_no=entry_no)
            for interaction in uow.interaction_log.find(where_logged):
                changed = (
                    interaction.cancel(remove_attachment=False)
                    if canceled
                    else interaction.uncancel(
                        segment_canceled=False, campaign_entry_canceled=False
                    )
                )
                if changed != interaction:
                    uow.interaction_log.update(changed)
            uow.commit()
        return logged

    # --- explain ---------------------------------------------------------------------------------

    def explain(self, criteria: Criteria, contact_no: str) -> Explanation:
        """Explain why a contact meets the criteria or not (the proof tree).

        Raises:
            NotFoundError: No such contact.
        """
        key = ContactNo(make_code(contact_no, max_length=CODE20, field="contact_no"))
        with self._uow_factory() as uow:
            contact = uow.contacts.get(key)
            return explain(criteria, contact, StoredRelated(uow))

    def diff(
        self, criteria: Criteria, as_of_a: dt.date, as_of_b: dt.date
    ) -> MembershipDiff:
        """Who enters and who leaves the selection between two days, and why.

        The criteria are evaluated twice over the stored contacts, their related
        records seen as of each day (:class:`StoredRelated`); every contact that
        meets them on one day and not on the other comes with its explanation on
        ``as_of_b``. Contact fields have no history: only date-dependent criteria
        (interactions, opportunities, tasks, profile answers) can differ.

        Raises:
            ValidationError: ``as_of_a`` or ``as_of_b`` is not a date.
        """
        for name, day in (("as_of_a", as_of_a), ("as_of_b", as_of_b)):
            if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
                raise ValidationError(name, day, "must be a date")
        with self._uow_factory() as uow:
            contacts = uow.contacts.find_all()
            before = StoredRelated(uow, as_of=as_of_a)
            after = StoredRelated(uow, as_of=as_of_b)
            was = set(select(criteria, contacts, before))
            now = set(select(criteria, contacts, after))
            by_no = {c.no: c for c in contacts}
            entered = tuple(
                (no, explain(criteria, by_no[ContactNo(no)], after))
                for no in sorted(now - was)
            )
            left = tuple(
                (no, explain(criteria, by_no[ContactNo(no)], after))
                for no in sorted(was - now)
            )
        return MembershipDiff(
            as_of_a=as_of_a, as_of_b=as_of_b, entered=entered, left=left
        )

    def preview(self, criteria: Criteria) -> builtins.list[str]:
        """Return the numbers of the contacts that meet ``criteria`` now, in list order."""
        with self._uow_factory() as uow:
            return select(criteria, uow.contacts.find_all(), StoredRelated(uow))


def _target_pairs(segment: Segment) -> set[tuple[str | None, str | None]]:
    """(campaign, company) of the lines that target a campaign (§6.3)."""
    return {
        (line.campaign_no, line.contact_company_no)
        for line in segment.lines
        if line.campaign_target and line.campaign_no is not None
    }


def _save(
    uow: UnitOfWork, segment: Segment, before: set[tuple[str | None, str | None]]
) -> None:
    """Store the segment and keep activated campaigns' target groups current (§6.3).

    A line that starts or stops targeting a campaign adds its company to the
    target group, or removes it if nothing else targets the campaign for it.
    """
    uow.segments.update(segment)
    refresh_campaign_targets(uow, before | _target_pairs(segment))


def _check_references(uow: UnitOfWork, no: SegmentNo, criteria: Criteria) -> None:
    """Refuse criteria by which the segment would depend on itself (InSegment)."""

    def references(other: str) -> builtins.list[str]:
        key = _segment_no(other)
        if not uow.segments.exists(key):
            return []
        actions = uow.segments.get(key).actions
        return sorted({n for a in actions for n in segments_of(a.criteria)})

    check_segment_references(no, criteria, references)


def _template(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="template")


def _salutation(
    contact: Contact,
    kind: SalutationType,
    language: str,
    formulas: Iterable[SalutationFormula],
) -> str:
    """The contact's salutation for a merge (§2.10).

    The formula of the interaction's language, else of the blank language, else
    blank: a contact without a salutation code still gets its message.
    """
    for tried in dict.fromkeys((language, "")):
        try:
            return contact.salutation(kind, tried, formulas)
        except (SalutationFormulaNotFoundError, ValidationError):
            continue
    return ""
