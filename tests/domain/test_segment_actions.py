"""The rules of the other segment actions (§4.10), without storage."""

from __future__ import annotations

import datetime as dt

import pytest

from relationship_mgmt.domain.campaigns import CampaignEntry
from relationship_mgmt.domain.codes import Code, SegmentNo
from relationship_mgmt.domain.segment_actions import (
    MailingGroupApplication,
    check_not_empty,
    contact_attendees,
    deletable_logged_segments,
    detach_campaign_entry,
    logged_segments_deleted_message,
    opportunity_values,
    plan_mailing_group,
    required_mailing_group_code,
    task_values,
)
from relationship_mgmt.domain.segments import LoggedSegment, Segment, SegmentLine
from relationship_mgmt.domain.tasks import Attendee
from relationship_mgmt.errors import ValidationError

DAY = dt.date(2026, 3, 2)


def _segment(*contacts: str, **fields: object) -> Segment:
    lines = [
        SegmentLine(
            line_no=10000 * (position + 1),
            contact_no=contact,
            description="Spring fair",
            salesperson_code="JO",
            campaign_no=fields.get("campaign_no"),
        )
        for position, contact in enumerate(contacts)
    ]
    return Segment(no="SM1", date=DAY, lines=lines, **fields)  # type: ignore[arg-type]


# --- Create Opportunities (§4.10, §5.8) --------------------------------------------------


def test_an_opportunity_takes_the_lines_description_contact_salesperson_campaign() -> (
    None
):
    """§5.8 "From ... segment line": description, contact, salesperson, campaign, segment."""
    segment = _segment("CT1", campaign_no="CP1")

    values = opportunity_values(segment, segment.lines[0], {})

    assert values == {
        "description": "Spring fair",
        "salesperson_code": "JO",
        "campaign_no": "CP1",
        "contact_no": "CT1",
        "segment_no": "SM1",
    }


def test_fields_given_for_every_line_override_the_lines_values() -> None:
    """The create wizard with a segment: its values for every line; None keeps the line's."""
    segment = _segment("CT1")

    values = opportunity_values(
        segment,
        segment.lines[0],
        {"description": "Fair leads", "salesperson_code": None, "priority": "High"},
    )

    assert (values["description"], values["salesperson_code"]) == ("Fair leads", "JO")
    assert values["priority"] == "High"


@pytest.mark.parametrize("name", ["contact_no", "segment_no", "contact_company_no"])
def test_the_contact_and_segment_come_from_the_segment(name: str) -> None:
    segment = _segment("CT1")

    with pytest.raises(ValidationError) as error:
        opportunity_values(segment, segment.lines[0], {name: "X"})

    assert error.value.value == [name]


def test_an_opportunitys_campaign_must_be_the_segments() -> None:
    """§5.4 Segment No.: if a campaign is set, the segment's campaign must equal it."""
    segment = _segment("CT1", campaign_no="CP1")

    with pytest.raises(ValidationError) as error:
        opportunity_values(segment, segment.lines[0], {"campaign_no": "cp2"})

    assert (error.value.field, error.value.value) == ("campaign_no", "CP2")
    assert opportunity_values(segment, segment.lines[0], {"campaign_no": "cp1"})
    without = _segment("CT1")
    with pytest.raises(ValidationError):
        opportunity_values(without, without.lines[0], {"campaign_no": "CP1"})
    with pytest.raises(ValidationError):
        opportunity_values(without, without.lines[0], {"campaign_no": 7})


def test_an_empty_segment_is_refused() -> None:
    """Nothing to create for "all contacts in the segment" (BC's §4.9 text)."""
    with pytest.raises(ValidationError, match=r"Segment SM1 is empty\."):
        check_not_empty(_segment())
    check_not_empty(_segment("CT1"))


# --- Create Tasks (§4.10, §7.5) ----------------------------------------------------------


def test_tasks_take_the_segment_no_and_the_headers_campaign_and_salesperson() -> None:
    """BC's SetFilterFromTask for a segment: Campaign No. and Salesperson from the header."""
    segment = _segment("CT1", campaign_no="CP1", salesperson_code="JO")

    assert task_values(segment, {"type": "Phone Call"}) == {
        "campaign_no": "CP1",
        "salesperson_code": "JO",
        "type": "Phone Call",
        "segment_no": "SM1",
    }
    assert task_values(segment, {"salesperson_code": "AB"})["salesperson_code"] == "AB"
    team = task_values(segment, {"team_code": "SALES"})
    assert "salesperson_code" not in team
    assert task_values(_segment("CT1"), {}) == {"segment_no": "SM1"}
    with pytest.raises(ValidationError):
        task_values(segment, {"contact_no": "CT1"})


def test_a_meetings_contacts_are_attendees_once_invited_when_they_have_email() -> None:
    """§7.5: required attendees after the organizer; the same attendee not twice."""
    organizer = Attendee(
        line_no=10000,
        attendance_type="To-do Organizer",
        attendee_type="Salesperson",
        attendee_no="JO",
    )

    rows = contact_attendees(
        [organizer], [("CT1", True), ("CT2", False), ("CT1", True)]
    )

    assert [(a.line_no, a.attendee_no, a.send_invitation) for a in rows] == [
        (10000, "JO", True),
        (20000, "CT1", True),
        (30000, "CT2", False),
    ]
    assert [a.line_no for a in contact_attendees([], [("CT9", False)])] == [10000]


# --- Apply Mailing Group (report 5184) ---------------------------------------------------


def test_apply_mailing_group_adds_the_lines_contacts_ignoring_duplicates() -> None:
    """Report 5184: a row per line; ``if Insert() then;`` skips one that exists."""
    segment = _segment("CT2", "CT3", "CT2")

    plan = plan_mailing_group(segment, " news ", holders=["CT1", "CT3"])

    assert plan == MailingGroupApplication(
        mailing_group_code=Code("NEWS"),
        segment_no=SegmentNo("SM1"),
        added=("CT2",),
        removed=(),
    )
    assert plan.message == "Mailing Group NEWS is now applied to Segment SM1."


def test_delete_old_assignments_takes_the_group_from_everyone_else() -> None:
    """Delete Old Assignments: all rows of the group go, then the lines' come back."""
    segment = _segment("CT3", "CT2")

    plan = plan_mailing_group(
        segment, "NEWS", holders=["CT9", "CT2", "CT1"], delete_old_assignments=True
    )

    assert (plan.added, plan.removed) == (("CT3",), ("CT1", "CT9"))
    emptied = plan_mailing_group(
        _segment(), "NEWS", holders=["CT1"], delete_old_assignments=True
    )
    assert (emptied.added, emptied.removed) == ((), ("CT1",))


@pytest.mark.parametrize("code", ["", "  ", None, 12])
def test_a_mailing_group_code_is_required(code: object) -> None:
    """Report 5184: "Specify a Mailing Group Code."."""
    with pytest.raises(ValidationError, match=r"Specify a Mailing Group Code\."):
        required_mailing_group_code(code)


def test_a_mailing_group_application_holds_contact_numbers() -> None:
    applied = MailingGroupApplication(
        mailing_group_code=Code("NEWS"), segment_no=SegmentNo("SM1"), added=["CT1"]
    )

    assert applied.added == ("CT1",)
    with pytest.raises(ValidationError):
        MailingGroupApplication(
            mailing_group_code=Code("NEWS"), segment_no=SegmentNo("SM1"), added="CT1"
        )


# --- Delete Logged Segments (report 5191) ------------------------------------------------


def _logged(entry_no: int, segment_no: str, *, canceled: bool) -> LoggedSegment:
    return LoggedSegment(
        entry_no=entry_no, segment_no=segment_no, creation_date=DAY, canceled=canceled
    )


def test_only_canceled_logged_segments_are_deleted_within_the_filters() -> None:
    """Report 5191: Canceled = true, filters on Entry No. and Segment No."""
    logged = [
        _logged(3, "SM1", canceled=True),
        _logged(1, "SM1", canceled=True),
        _logged(2, "SM2", canceled=False),
        _logged(4, "SM2", canceled=True),
    ]

    assert [e.entry_no for e in deletable_logged_segments(logged)] == [1, 3, 4]
    assert [
        e.entry_no for e in deletable_logged_segments(logged, segment_no="sm1")
    ] == [1, 3]
    assert [
        e.entry_no for e in deletable_logged_segments(logged, entry_nos=[2, 4])
    ] == [4]
    assert deletable_logged_segments(logged, segment_no="") == []


@pytest.mark.parametrize("entry_nos", [[0], [True], ["1"], "12", 5])
def test_entry_number_filters_must_be_whole_numbers(entry_nos: object) -> None:
    with pytest.raises(ValidationError):
        deletable_logged_segments([], entry_nos=entry_nos)  # type: ignore[arg-type]


def test_a_campaign_entry_loses_its_register_no_and_stays() -> None:
    """Report 5191: Register No. := 0 on the campaign entries (None here)."""
    entry = CampaignEntry(entry_no=7, campaign_no="CP1", date=DAY, register_no=3)

    detached = detach_campaign_entry(entry)

    assert (detached.entry_no, detached.register_no) == (7, None)


def test_the_closing_message_is_bcs() -> None:
    assert logged_segments_deleted_message(1) == "1 Logged Segment has been deleted."
