"""The other segment actions (§4.10): the rules, without storage.

A segment is also a list of contacts to act on at once. Four of BC's actions on it
are use cases of ``crm.segments``; this module holds their pure parts:

* **Create Opportunities** (§4.10, §5.8): one opportunity per line, with the line's
  description, contact, salesperson and campaign and the segment's number
  (:func:`opportunity_values`);
* **Create Tasks** (§4.10, §7.5): one task per line's contact, with the segment's
  number and, as BC's ``SetFilterFromTask`` does, the header's campaign and
  salesperson as defaults (:func:`task_values`); a meeting is one meeting with the
  contacts as attendees (:func:`contact_attendees`);
* **Apply Mailing Group** (report 5184): the segment's contacts join a mailing group,
  optionally after it was taken from everyone else (:func:`plan_mailing_group`);
* **Delete Logged Segments** (report 5191): canceled logged segments go, their
  interactions and campaign entries stay without them
  (:func:`deletable_logged_segments`, :func:`detach_campaign_entry`).

>>> from datetime import date
>>> seg = Segment(no="SM1", description="Spring", date=date(2026, 3, 2),
...               lines=[SegmentLine(line_no=10000, contact_no="CT2"),
...                      SegmentLine(line_no=20000, contact_no="CT3")])
>>> plan = plan_mailing_group(seg, "news", holders=["CT1", "CT2"],
...                           delete_old_assignments=True)
>>> (plan.added, plan.removed, plan.message)
(('CT3',), ('CT1',), 'Mailing Group NEWS is now applied to Segment SM1.')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs
from attrs import field, frozen

from relationship_mgmt.domain.campaigns import CampaignEntry
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    ContactNo,
    SegmentNo,
    make_code,
)
from relationship_mgmt.domain.segments import LoggedSegment, Segment, SegmentLine
from relationship_mgmt.domain.tasks import Attendee
from relationship_mgmt.errors import ValidationError

__all__ = [
    "LOGGED_SEGMENTS_DELETED",
    "MAILING_GROUP_APPLIED",
    "MAILING_GROUP_REQUIRED",
    "MailingGroupApplication",
    "SEGMENT_EMPTY",
    "check_not_empty",
    "contact_attendees",
    "deletable_logged_segments",
    "detach_campaign_entry",
    "logged_segments_deleted_message",
    "opportunity_values",
    "plan_mailing_group",
    "required_mailing_group_code",
    "task_values",
]

SEGMENT_EMPTY: Final = "Segment {} is empty."
"""The refusal of an action on a segment without lines (BC's text of §4.9)."""

MAILING_GROUP_REQUIRED: Final = "Specify a Mailing Group Code."
"""Report 5184's error when no mailing group, or an unknown one, is given."""

MAILING_GROUP_APPLIED: Final = "{} {} is now applied to Segment {}."
"""The closing message of report 5184 (table caption, mailing group code, segment No.)."""

LOGGED_SEGMENTS_DELETED: Final = "{} {} has been deleted."
"""The closing message of report 5191 (the count and the table caption)."""

_LINE_FIELDS: Final = frozenset({"contact_no", "contact_company_no", "segment_no"})
"""What the segment and its lines give the records created from them."""

_ATTENDEE_LINE_STEP: Final = 10000


def _lines(segment: Segment) -> list[SegmentLine]:
    return sorted(segment.lines, key=lambda line: line.line_no)


def check_not_empty(segment: Segment) -> None:
    """Refuse an action on a segment that has no lines.

    Creating opportunities or tasks "for all contacts in the segment" needs
    contacts; BC's text is that of logging (§4.9).

    Raises:
        ValidationError: The segment has no lines ("Segment %1 is empty.").

    >>> from datetime import date
    >>> check_not_empty(Segment(no="SM1", date=date(2026, 3, 2)))
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: lines: Segment SM1 is empty. (got 'SM1')
    """
    if not segment.lines:
        raise ValidationError("lines", segment.no, SEGMENT_EMPTY.format(segment.no))


def _refuse_line_fields(fields: Mapping[str, object]) -> None:
    given = sorted(_LINE_FIELDS & fields.keys())
    if given:
        raise ValidationError("fields", given, "come from the segment and its lines")


def _code20(value: object, name: str) -> Code | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(name, value, "must be a string")
    return make_code(value, max_length=CODE20, field=name) or None


def opportunity_values(
    segment: Segment, line: SegmentLine, fields: Mapping[str, object]
) -> dict[str, object]:
    """Return the fields of the opportunity a segment line gets (§4.10, §5.8).

    From a segment line BC copies the description, contact, salesperson and
    campaign, and the segment's number (§5.8 "From an interaction or segment
    line"). Fields given for all the opportunities, as in the create wizard with a
    segment chosen, override the line's; ``None`` keeps the line's value. The
    opportunity's campaign, when it has one, must be the segment's (§5.4 Segment
    No.).

    Args:
        segment: The segment.
        line: One of its lines.
        fields: Opportunity fields for every line (``description``,
            ``salesperson_code``, ``campaign_no``, ``sales_cycle_code``,
            ``priority`` ...); not the contact or the segment.

    Returns:
        The fields to create the opportunity with.

    Raises:
        ValidationError: A contact or segment field given, or a campaign that is
            not the segment's.

    >>> from datetime import date
    >>> seg = Segment(no="SM1", campaign_no="CP1", date=date(2026, 3, 2))
    >>> line = SegmentLine(line_no=10000, contact_no="CT1", description="Fair",
    ...                    salesperson_code="JO", campaign_no="CP1")
    >>> values = opportunity_values(seg, line, {"description": "Fair leads"})
    >>> sorted(values.items())
    [('campaign_no', 'CP1'), ('contact_no', 'CT1'), ('description', 'Fair leads'), ('salesperson_code', 'JO'), ('segment_no', 'SM1')]
    """
    _refuse_line_fields(fields)
    values: dict[str, object] = {
        "description": line.description,
        "salesperson_code": line.salesperson_code,
        "campaign_no": line.campaign_no,
        **{name: value for name, value in fields.items() if value is not None},
        "contact_no": line.contact_no,
        "segment_no": segment.no,
    }
    campaign = _code20(values["campaign_no"], "campaign_no")
    if campaign is not None and campaign != segment.campaign_no:
        raise ValidationError(
            "campaign_no",
            campaign,
            f"must be the campaign of segment {segment.no} (§5.4 Segment No.)",
        )
    return values


def task_values(segment: Segment, fields: Mapping[str, object]) -> dict[str, object]:
    """Return the fields of the tasks created for a segment's contacts (§4.10, §7.5).

    BC's ``SetFilterFromTask`` for a segment: the task gets the Segment No. and, by
    default, the header's Campaign No. and Salesperson Code (not for a team task).
    The contacts come from the lines.

    Args:
        segment: The segment.
        fields: Task fields (``salesperson_code`` or ``team_code``, ``date``,
            ``type``, ``description`` ...); not the contact or the segment.

    Raises:
        ValidationError: A contact or segment field given.

    >>> from datetime import date
    >>> seg = Segment(no="SM1", campaign_no="CP1", salesperson_code="JO",
    ...               date=date(2026, 3, 2))
    >>> sorted(task_values(seg, {"description": "Call"}).items())
    [('campaign_no', 'CP1'), ('description', 'Call'), ('salesperson_code', 'JO'), ('segment_no', 'SM1')]
    >>> sorted(task_values(seg, {"team_code": "SALES"}))
    ['campaign_no', 'segment_no', 'team_code']
    """
    _refuse_line_fields(fields)
    values: dict[str, object] = {}
    if segment.campaign_no is not None:
        values["campaign_no"] = segment.campaign_no
    if segment.salesperson_code is not None and fields.get("team_code") is None:
        values["salesperson_code"] = segment.salesperson_code
    values.update({name: value for name, value in fields.items() if value is not None})
    values["segment_no"] = segment.no
    return values


def contact_attendees(
    attendees: Sequence[Attendee], contacts: Iterable[tuple[str, bool]]
) -> tuple[Attendee, ...]:
    """Add a segment's contacts to a meeting's attendees (§7.5).

    BC's ``AssignDefaultAttendeeInfo`` for a segment: each contact is a required
    attendee, invited when it has an e-mail address, on the next lines (10000
    apart); a contact is an attendee once (§7.5: the same attendee cannot be added
    twice).

    Args:
        attendees: The meeting's organizer and salesperson attendees.
        contacts: (contact No., has an e-mail address) in line order.

    >>> organizer = Attendee(line_no=10000, attendance_type="To-do Organizer",
    ...                      attendee_type="Salesperson", attendee_no="JO")
    >>> [(a.line_no, a.attendee_no, a.send_invitation) for a in
    ...  contact_attendees([organizer], [("CT1", True), ("CT2", False), ("CT1", True)])]
    [(10000, 'JO', True), (20000, 'CT1', True), (30000, 'CT2', False)]
    """
    rows = list(attendees)
    seen: set[str] = set()
    for contact_no, has_email in contacts:
        if contact_no in seen:
            continue
        seen.add(contact_no)
        line_no = (rows[-1].line_no if rows else 0) + _ATTENDEE_LINE_STEP
        rows.append(
            Attendee(line_no=line_no, attendee_no=contact_no, send_invitation=has_email)
        )
    return tuple(rows)


# --- Apply Mailing Group (report 5184) ----------------------------------------------------


def required_mailing_group_code(value: object) -> Code:
    """Return the mailing group code to apply, required (report 5184).

    Raises:
        ValidationError: No code ("Specify a Mailing Group Code.").

    >>> required_mailing_group_code(" news ")
    'NEWS'
    >>> required_mailing_group_code("")
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: mailing_group_code: Specify a Mailing Group Code. (got '')
    """
    if value is not None and not isinstance(value, str):
        raise ValidationError("mailing_group_code", value, MAILING_GROUP_REQUIRED)
    code = make_code(value or "", max_length=CODE10, field="mailing_group_code")
    if not code:
        raise ValidationError("mailing_group_code", value, MAILING_GROUP_REQUIRED)
    return code


def _contact_nos(value: object) -> tuple[ContactNo, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("contacts", value, "must be contact numbers")
    return tuple(ContactNo(str(no)) for no in value)


@frozen(kw_only=True)
class MailingGroupApplication:
    """What Apply Mailing Group changes (report 5184, §4.10).

    Attributes:
        mailing_group_code: The mailing group.
        segment_no: The segment whose contacts joined it.
        added: The contacts that joined it, in line order.
        removed: The contacts that left it (Delete Old Assignments), by number.

    >>> MailingGroupApplication(mailing_group_code="NEWS", segment_no="SM1").message
    'Mailing Group NEWS is now applied to Segment SM1.'
    """

    mailing_group_code: Code
    segment_no: SegmentNo
    added: tuple[ContactNo, ...] = field(default=(), converter=_contact_nos)
    removed: tuple[ContactNo, ...] = field(default=(), converter=_contact_nos)

    @property
    def message(self) -> str:
        """The closing message of BC, "%1 %2 is now applied to Segment %3."."""
        return MAILING_GROUP_APPLIED.format(
            "Mailing Group", self.mailing_group_code, self.segment_no
        )


def plan_mailing_group(
    segment: Segment,
    code: str,
    *,
    holders: Iterable[str],
    delete_old_assignments: bool = False,
) -> MailingGroupApplication:
    """Plan Apply Mailing Group (report 5184): who joins the group and who leaves it.

    With Delete Old Assignments the group is first taken from *every* contact;
    then a Contact Mailing Group row (line's contact, code) is inserted for each
    line, a contact that has one already being skipped (BC's ``if Insert() then;``).
    The net effect: the lines' contacts are in the group and, with the option, no
    one else is. An empty segment adds no one.

    Args:
        segment: The segment.
        code: The mailing group.
        holders: The contacts in the group now: all of them with the option,
            at least those of the lines without it.
        delete_old_assignments: Take the group from everyone first.

    Raises:
        ValidationError: No mailing group code.
    """
    group = required_mailing_group_code(code)
    held = set(holders)
    on_lines = dict.fromkeys(ContactNo(line.contact_no) for line in _lines(segment))
    added = tuple(no for no in on_lines if no not in held)
    removed = (
        tuple(sorted(ContactNo(no) for no in held if no not in on_lines))
        if delete_old_assignments
        else ()
    )
    return MailingGroupApplication(
        mailing_group_code=group, segment_no=segment.no, added=added, removed=removed
    )


# --- Delete Logged Segments (report 5191) --------------------------------------------------


def _entry_nos(value: object) -> frozenset[int] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("entry_nos", value, "must be entry numbers")
    numbers = list(value)
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValidationError("entry_nos", number, "must be a whole number >= 1")
    return frozenset(numbers)


def deletable_logged_segments(
    logged: Iterable[LoggedSegment],
    *,
    entry_nos: Iterable[int] | None = None,
    segment_no: str | None = None,
) -> list[LoggedSegment]:
    """Return the logged segments *Delete Logged Segments* deletes (report 5191).

    Only canceled ones, among those that pass the filters on Entry No. and
    Segment No.; the others are left alone (no error), by entry number.

    Args:
        logged: The logged segments.
        entry_nos: Only these entry numbers; all if ``None``.
        segment_no: Only those of this segment; all if ``None``.

    Raises:
        ValidationError: An entry number that is not a whole number >= 1, or a
            segment number too long.

    >>> from datetime import date
    >>> day = date(2026, 3, 2)
    >>> logs = [LoggedSegment(entry_no=1, segment_no="SM1", creation_date=day),
    ...         LoggedSegment(entry_no=2, segment_no="SM2", creation_date=day,
    ...                       canceled=True)]
    >>> [e.entry_no for e in deletable_logged_segments(logs)]
    [2]
    >>> deletable_logged_segments(logs, segment_no="SM1")
    []
    """
    numbers = _entry_nos(entry_nos)
    segment = _code20(segment_no, "segment_no")
    return sorted(
        (
            entry
            for entry in logged
            if entry.canceled
            and (numbers is None or entry.entry_no in numbers)
            and (segment_no is None or entry.segment_no == (segment or ""))
        ),
        key=lambda entry: entry.entry_no,
    )


def detach_campaign_entry(entry: CampaignEntry) -> CampaignEntry:
    """Return the campaign entry without its Register No. (report 5191).

    BC sets Register No. := 0; here the field is ``None``. The entry stays.

    >>> from datetime import date
    >>> entry = CampaignEntry(entry_no=1, campaign_no="CP1", date=date(2026, 3, 2),
    ...                       register_no=4)
    >>> detach_campaign_entry(entry).register_no is None
    True
    """
    return attrs.evolve(entry, register_no=None)


def logged_segments_deleted_message(count: int) -> str:
    """Report 5191's closing message, "%1 %2 has been deleted.".

    >>> logged_segments_deleted_message(2)
    '2 Logged Segment has been deleted.'
    """
    return LOGGED_SEGMENTS_DELETED.format(count, "Logged Segment")
