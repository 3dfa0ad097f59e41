"""The other segment actions (§4.10), use cases of ``crm.segments``.

:class:`SegmentActions` is a mixin of
:class:`~relationship_mgmt.services.segments.SegmentService`: each method is one use
case and one unit of work, all or nothing (BC commits after every task it creates;
here a failure midway leaves nothing behind).

>>> import datetime as dt
>>> import relationship_mgmt as rm
>>> from relationship_mgmt.testing import FrozenClock
>>> crm = rm.open(clock=FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
>>> crm.setup.use_default_number_series()
>>> _ = crm.salespeople.create("jo", name="Jo Smith")
>>> _ = crm.setup.add_records([rm.MailingGroup(code="NEWS")])
>>> for name in ("Cronus", "Fabrikam"):
...     _ = crm.contacts.create_company(name=name)
>>> seg = crm.segments.create(description="Spring fair", salesperson_code="jo")
>>> _ = crm.segments.add_contacts(seg.no, rm.where.name != "")
>>> [t.contact_no for t in crm.segments.create_tasks(seg.no, type="Phone Call")]
['CT000001', 'CT000002']
>>> crm.segments.apply_mailing_group(seg.no, "news").message
'Mailing Group NEWS is now applied to Segment SM00001.'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from relationship_mgmt.domain.codes import CODE20, ContactNo, SegmentNo, make_code
from relationship_mgmt.domain.interactions import InteractionFilter
from relationship_mgmt.domain.opportunities import Opportunity
from relationship_mgmt.domain.segment_actions import (
    MailingGroupApplication,
    check_not_empty,
    deletable_logged_segments,
    detach_campaign_entry,
    opportunity_values,
    plan_mailing_group,
    required_mailing_group_code,
    task_values,
)
from relationship_mgmt.domain.setup import MailingGroup
from relationship_mgmt.domain.tasks import Task
from relationship_mgmt.errors import NotFoundError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWorkFactory
from relationship_mgmt.services._contact_store import update_contact
from relationship_mgmt.services.contacts import ContactService
from relationship_mgmt.services.opportunities import OpportunityService
from relationship_mgmt.services.tasks import TaskService

__all__ = ["SegmentActions"]


def _segment_no(no: str) -> SegmentNo:
    return SegmentNo(make_code(no, max_length=CODE20, field="no"))


class SegmentActions:
    """Create Opportunities, Create Tasks, Apply Mailing Group, Delete Logged Segments.

    The actions of §4.10 on a segment's contacts, one unit of work each. A mixin:
    the class that uses it sets ``_uow_factory``, ``_clock`` and ``_user_id``
    (:class:`~relationship_mgmt.services.segments.SegmentService` does).
    """

    _uow_factory: UnitOfWorkFactory
    _clock: Clock
    _user_id: str

    def _opportunities(self) -> OpportunityService:
        tasks = TaskService(self._uow_factory, self._clock)
        return OpportunityService(
            self._uow_factory,
            self._clock,
            tasks,
            ContactService(self._uow_factory, self._clock),
        )

    def create_opportunities(
        self,
        no: str,
        *,
        sales_cycle_code: str | None = None,
        activate_first_stage: bool = False,
        estimated_value: Decimal | int | str | None = None,
        chances_of_success_pct: Decimal | int | str | None = None,
        estimated_close_date: dt.date | None = None,
        **fields: object,
    ) -> list[Opportunity]:
        """Create one opportunity per segment line (§4.10 Create Opportunities, §5.8).

        BC's create wizard with a segment chosen ("Do you want to create an
        opportunity for all contacts in the %1 segment?"): each line's opportunity
        has the line's contact, description, salesperson and campaign and the
        segment's number (§5.8 "From ... segment line"); ``fields`` given override
        the line's values for every line. As :meth:`OpportunityService.create
        <relationship_mgmt.services.opportunities.OpportunityService.create>`,
        Description, Salesperson Code (by default the contact's) and Sales Cycle
        Code (by default the setup's Default Sales Cycle Code) are required, and
        with ``activate_first_stage`` each starts at the cycle's first stage with
        its tasks. The opportunity's campaign must be the segment's (§5.4).

        Args:
            no: The segment.
            sales_cycle_code: The sales cycle of every opportunity.
            activate_first_stage: Start each at the cycle's first stage.
            estimated_value: The wizard's Estimated Value (LCY), > 0 to activate.
            chances_of_success_pct: The wizard's Chances of Success %, > 0 to
                activate.
            estimated_close_date: The wizard's Estimated Closing Date, to activate.
            **fields: ``description``, ``salesperson_code``, ``campaign_no``,
                ``priority`` for every opportunity.

        Returns:
            The opportunities, in line order.

        Raises:
            NotFoundError: No such segment, contact, salesperson, cycle or
                campaign.
            ValidationError: The segment is empty ("Segment %1 is empty."), a
                required field is blank, a contact or segment field given, a
                campaign not the segment's, or a value refused.
            PrivacyBlockedError: A line's contact is privacy blocked (§2.15).
            SalespersonBlockedError: A salesperson is blocked (§8).
        """
        key = _segment_no(no)
        opportunities = self._opportunities()
        given = {**fields, "sales_cycle_code": sales_cycle_code}
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            check_not_empty(segment)
            created: list[Opportunity] = []
            for line in sorted(segment.lines, key=lambda line: line.line_no):
                values: dict[str, Any] = opportunity_values(segment, line, given)
                created.append(
                    opportunities.create_in(
                        uow,
                        activate_first_stage=activate_first_stage,
                        estimated_value=estimated_value,
                        chances_of_success_pct=chances_of_success_pct,
                        estimated_close_date=estimated_close_date,
                        **values,
                    )
                )
            uow.commit()
        return created

    def create_tasks(
        self, no: str, *, meeting_organizer: str | None = None, **fields: object
    ) -> list[Task]:
        """Create a task for every contact of the segment (§4.10 Create Tasks, §7.5).

        BC's "Do you want to create a Task for all contacts in the %1 Segment": the
        task has the segment's number and, by default, its campaign and
        salesperson (``SetFilterFromTask``). A task that is not a meeting is
        created once per line (an Organizer task, or a Team task with a team, each
        with the line's contact and its sub-tasks); a meeting is created once, with
        the segment's contacts as attendees (invited when they have an e-mail
        address). See :meth:`TaskService.create_for_contacts_in
        <relationship_mgmt.services.tasks.TaskService.create_for_contacts_in>`.

        Args:
            no: The segment.
            meeting_organizer: The Team Meeting Organizer of a team meeting.
            **fields: Task fields (``salesperson_code`` or ``team_code``,
                ``date``, ``type``, ``description``, ``priority`` ...) except the
                contact and the segment; ``date`` defaults as in BC (§7.3).

        Returns:
            The tasks: one per line, or the one meeting.

        Raises:
            NotFoundError: No such segment, contact, salesperson, team or template.
            ValidationError: The segment is empty, a contact or segment field
                given, or a value refused.
            PrivacyBlockedError: A line's contact is privacy blocked (§2.15).
            SalespersonBlockedError: The salesperson is blocked (§8).
            TaskRuleError: Neither salesperson nor team, or a rule of a meeting's
                attendees (§7.5).
        """
        key = _segment_no(no)
        tasks = TaskService(self._uow_factory, self._clock)
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            check_not_empty(segment)
            lines = sorted(segment.lines, key=lambda line: line.line_no)
            created = tasks.create_for_contacts_in(
                uow,
                [line.contact_no for line in lines],
                meeting_organizer=meeting_organizer,
                **task_values(segment, fields),
            )
            uow.commit()
        return created

    def apply_mailing_group(
        self,
        no: str,
        mailing_group_code: str,
        *,
        delete_old_assignments: bool = False,
    ) -> MailingGroupApplication:
        """Put the segment's contacts in a mailing group (report 5184 Apply Mailing Group).

        With ``delete_old_assignments`` the group is first taken from every
        contact; then every line's contact gets it, a contact that has it already
        being left as it is. An empty segment adds no one. The result's
        :attr:`~relationship_mgmt.domain.segment_actions.MailingGroupApplication.message`
        is BC's "%1 %2 is now applied to Segment %3.".

        Args:
            no: The segment.
            mailing_group_code: The mailing group .
            delete_old_assignments: BC's Delete Old Assignments.

        Returns:
            Who joined the group and who left it.

        Raises:
            ValidationError: No mailing group code ("Specify a Mailing Group
                Code.").
            NotFoundError: No such segment, mailing group or line contact (BC
                says "Specify a Mailing Group Code." for an unknown group too).
        """
        key = _segment_no(no)
        code = required_mailing_group_code(mailing_group_code)
        now = self._clock.now()
        with self._uow_factory() as uow:
            segment = uow.segments.get(key)
            if not uow.code_tables.exists(MailingGroup, code):
                raise NotFoundError("mailing group", code)
            line_nos = {ContactNo(n) for n in segment.contact_nos}
            contacts = uow.contacts.get_many(line_nos)
            missing = sorted(line_nos - contacts.keys())
            if missing:
                raise NotFoundError("contact", missing[0])
            if delete_old_assignments:
                for contact in uow.contacts.find_all():
                    contacts.setdefault(ContactNo(contact.no), contact)
            plan = plan_mailing_group(
                segment,
                code,
                holders=[n for n, c in contacts.items() if code in c.mailing_groups],
                delete_old_assignments=delete_old_assignments,
            )
            for contact_no in plan.removed:
                contact = contacts[contact_no]
                contact.edit(mailing_groups=contact.mailing_groups - {code}, now=now)
                update_contact(uow, contact)
            for contact_no in plan.added:
                contact = contacts[contact_no]
                contact.edit(mailing_groups=contact.mailing_groups | {code}, now=now)
                update_contact(uow, contact)
            uow.commit()
        return plan

    def delete_logged_segments(
        self,
        *,
        entry_nos: Iterable[int] | None = None,
        segment_no: str | None = None,
    ) -> int:
        """Delete canceled logged segments (report 5191 Delete Logged Segments).

        Only canceled logged segments are deleted, among those that pass the
        filters; others are left alone without an error. Their interaction log
        entries lose the Logged Segment Entry No. and their campaign entries the
        Register No. (BC sets both to 0); those records stay. BC's closing message
        is :func:`~relationship_mgmt.domain.segment_actions.logged_segments_deleted_message`.

        Args:
            entry_nos: Only these entry numbers; all if ``None``.
            segment_no: Only those of this segment; all if ``None``.

        Returns:
            How many logged segments were deleted.

        Raises:
            ValidationError: An entry number that is not a whole number >= 1.
        """
        if segment_no is not None and not isinstance(segment_no, str):
            raise ValidationError("segment_no", segment_no, "must be a string")
        with self._uow_factory() as uow:
            key = None if segment_no is None else _segment_no(segment_no)
            doomed = deletable_logged_segments(
                uow.logged_segments.find(segment_no=key),
                entry_nos=entry_nos,
                segment_no=segment_no,
            )
            numbers = {logged.entry_no for logged in doomed}
            if numbers:
                for campaign_entry in uow.campaign_entries.find():
                    if campaign_entry.register_no in numbers:
                        uow.campaign_entries.update(
                            detach_campaign_entry(campaign_entry)
                        )
            for logged in doomed:
                where = InteractionFilter(logged_segment_entry_no=logged.entry_no)
                for entry in uow.interaction_log.find(where):
                    uow.interaction_log.update(entry.detach_logged_segment())
                uow.logged_segments.remove(logged.entry_no)
            uow.commit()
        return len(doomed)
