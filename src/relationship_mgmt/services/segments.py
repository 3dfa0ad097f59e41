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
    select,
    where,
)
from relationship_mgmt.domain.interactions import InteractionFilter
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
    plan_segment_log,
    save_criteria,
)
from relationship_mgmt.domain.tasks import TaskFilter
from relationship_mgmt.errors import ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.interactions import link_campaign_entry
from relationship_mgmt.services.numbering import assign_number

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


class SegmentService:
    """Segments, their lines and criteria actions (§4): one method, one unit of work.

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: The work date (a new segment's Date, §4.1).
    """

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, *, user_id: str = ""
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._user_id = user_id

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
            self._check_references(uow, fields)
            segment.change(**fields)
            uow.segments.update(segment)
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
            segment.apply_template(uow.interaction_templates.get(_template(template)))
            uow.segments.update(segment)
            uow.commit()
        return segment

    def delete(self, no: str) -> None:
        """Delete the segment with its lines, criteria and history (§4.1 Delete).

        Raises:
            NotFoundError: No such segment.
        """
        key = _segment_no(no)
        with self._uow_factory() as uow:
            uow.segments.remove(key)
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
            uow.segments.update(segment)
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
            uow.segments.update(segment)
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
            contact = uow.contacts.get(
                ContactNo(make_code(contact_no, max_length=CODE20, field="contact_no"))
            )
            line = segment.add_line(contact)
            uow.segments.update(segment)
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
            line = segment.remove_line(line_no)
            uow.segments.update(segment)
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
            segment.go_back()
            uow.segments.update(segment)
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
            contacts = uow.contacts.find_all()
            for action in saved.actions:
                self._replay(uow, segment, contacts, action)
            uow.segments.update(segment)
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
            uow.segments.update(segment)
            uow.commit()
        return added

    # --- logging (§4.9) ---------------------------------------------------------------------

    def log(
        self, no: str, *, deliver: bool = False, follow_up: bool = False
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

        Returns:
            The logged segment, its entries and the lines left out.

        Raises:
            NotFoundError: No such segment, or a line's contact, template,
                salesperson or campaign.
            ValidationError: The segment was logged before ("Logged Segment for
                Segment No. %1 already exists."), has no description or no lines,
                or a line its interaction refuses.
            SalespersonBlockedError: A line's salesperson is blocked (§8).
        """
        key = _segment_no(no)
        today = self._clock.workdate()
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
            uow.commit()
        return attrs.evolve(plan, entries=tuple(entries))

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


def _template(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="template")
