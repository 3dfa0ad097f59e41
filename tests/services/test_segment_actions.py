"""The other segment actions through storage (§4.10), in memory and on SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

import relationship_mgmt as rm
from relationship_mgmt.domain.criteria import Criteria
from relationship_mgmt.domain.segments import SegmentLog
from relationship_mgmt.domain.tasks import SystemTaskType, TaskType
from relationship_mgmt.testing import FrozenClock

where = rm.where
TODAY = dt.date(2026, 3, 2)


class World:
    """Cronus with Ann and Bo, Eve on her own; a campaign, a cycle, mailing groups."""

    def __init__(self, crm: rm.Crm) -> None:
        self.crm = crm
        crm.setup.use_default_number_series()
        crm.setup.add_records(
            [rm.MailingGroup(code="NEWS"), rm.MailingGroup(code="PRESS")]
        )
        crm.salespeople.create("jo", name="Jo Smith", email="jo@cronus.example")
        crm.salespeople.create("ab", name="Al Brown")
        crm.salespeople.create("bo", name="Bo", blocked=True)
        crm.salespeople.create_team("sales", members=["jo", "ab"])
        crm.interactions.create_group("sales")
        crm.interactions.create_template("call", group="sales")
        crm.sales_cycles.create(
            "new",
            stages=[
                rm.SalesCycleStage(
                    stage=1, completed_pct=10, chances_of_success_pct=25,
                    date_formula="1W",
                )
            ],
        )  # fmt: skip
        crm.campaigns.create(no="CP1", description="Spring fair")
        self.cronus = crm.contacts.create_company(
            name="Cronus", country_code="CZ", email="info@cronus.example"
        ).no
        self.ann = crm.contacts.create_person(name="Ann", company_no=self.cronus).no
        self.bo = crm.contacts.create_person(name="Bo", company_no=self.cronus).no
        self.eve = crm.contacts.create_person(name="Eve", country_code="CZ").no
        self.fabrikam = crm.contacts.create_company(name="Fabrikam").no

    def segment(self, criteria: Criteria | None = None, **fields: object) -> str:
        """A segment of the Czech contacts (Cronus, Ann, Bo, Eve) for salesperson Jo."""
        values: dict[str, Any] = {
            "description": "Spring fair",
            "salesperson_code": "jo",
            **fields,
        }
        no = self.crm.segments.create(**values).no
        self.crm.segments.add_contacts(
            no, criteria if criteria is not None else where.country_code == "CZ"
        )
        return no


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    clock = FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    url = None if request.param == "memory" else "sqlite://"
    with rm.open(url, clock=clock) as crm:
        yield World(crm)


def _line_contacts(world: World, no: str) -> list[str]:
    lines = sorted(world.crm.segments.get(no).lines, key=lambda line: line.line_no)
    return [line.contact_no for line in lines]


# --- Create Opportunities (§4.10, §5.8) --------------------------------------------------


def test_one_opportunity_per_line_with_the_lines_values(world: World) -> None:
    """§5.8: description, contact, salesperson, campaign and segment from each line."""
    no = world.segment(campaign_no="CP1")
    targets = world.crm.segments.create(campaign_no="CP1", campaign_target=True).no
    world.crm.segments.add_line(targets, world.cronus)
    world.crm.campaigns.activate("CP1", force=True)  # §5.4: an activated campaign

    created = world.crm.segments.create_opportunities(no, sales_cycle_code="new")

    assert [o.contact_no for o in created] == _line_contacts(world, no)
    assert [o.no for o in created] == ["OP000001", "OP000002", "OP000003", "OP000004"]
    assert {(o.description, o.salesperson_code, o.campaign_no, o.segment_no)
            for o in created} == {("Spring fair", "JO", "CP1", no)}  # fmt: skip
    assert {o.sales_cycle_code for o in created} == {"NEW"}
    ann = next(o for o in created if o.contact_no == world.ann)
    assert ann.contact_company_no == world.cronus
    stored = world.crm.opportunities.list(campaign_no="CP1")
    assert sorted(o.no for o in stored) == [o.no for o in created]


def test_opportunities_take_the_given_values_and_can_start_at_the_first_stage(
    world: World,
) -> None:
    """The create wizard with a segment: its values for all, Activate First Stage."""
    world.crm.setup.change(default_sales_cycle_code="new")
    no = world.segment(where.no == world.eve)

    (created,) = world.crm.segments.create_opportunities(
        no,
        description="Fair leads",
        salesperson_code="ab",
        priority="High",
        activate_first_stage=True,
        estimated_value=1000,
        chances_of_success_pct=40,
        estimated_close_date=TODAY + dt.timedelta(days=30),
    )

    assert (created.description, created.salesperson_code, created.sales_cycle_code) == (
        "Fair leads", "AB", "NEW")  # fmt: skip
    assert created.priority.value == "High"
    entry = world.crm.opportunities.active_entry(created.no)
    assert entry is not None
    assert (entry.sales_cycle_stage, entry.probability_pct) == (1, Decimal(4))


def test_create_opportunities_refuses_bad_input_and_creates_nothing(
    world: World,
) -> None:
    """Unknown or empty segment, line fields, blocked salesperson, privacy block."""
    segs = world.crm.segments
    no = world.segment()
    with pytest.raises(rm.NotFoundError):
        segs.create_opportunities("SM99", sales_cycle_code="new")
    empty = segs.create(description="Nobody").no
    with pytest.raises(rm.ValidationError, match="is empty"):
        segs.create_opportunities(empty, sales_cycle_code="new")
    with pytest.raises(rm.ValidationError):
        segs.create_opportunities(no, sales_cycle_code="new", contact_no=world.ann)
    with pytest.raises(rm.ValidationError) as required:
        segs.create_opportunities(no)  # no cycle and no default
    assert required.value.field == "sales_cycle_code"
    with pytest.raises(rm.SalespersonBlockedError):
        segs.create_opportunities(no, sales_cycle_code="new", salesperson_code="bo")
    with pytest.raises(rm.ValidationError):
        segs.create_opportunities(no, sales_cycle_code="new", campaign_no="CP1")
    world.crm.contacts.block_privacy(world.eve)
    with pytest.raises(rm.PrivacyBlockedError) as blocked:
        segs.create_opportunities(no, sales_cycle_code="new")
    assert blocked.value.contact_no == world.eve

    assert world.crm.opportunities.list() == []
    assert world.crm.setup.next_number("OPP") == "OP000001"


# --- Create Tasks (§4.10, §7.5) ----------------------------------------------------------


def test_one_organizer_task_per_line_with_its_contact_attendee_subtask(
    world: World,
) -> None:
    """§7.5: one task per line's contact; each with its Contact Attendee sub-task."""
    no = world.segment(campaign_no="CP1")

    created = world.crm.segments.create_tasks(
        no, type="Phone Call", description="Invite to the fair", date=TODAY
    )

    assert [t.contact_no for t in created] == _line_contacts(world, no)
    assert [t.no for t in created] == ["TD000001", "TD000003", "TD000005", "TD000007"]
    assert {(t.segment_no, t.campaign_no, t.salesperson_code, t.system_task_type)
            for t in created} == {(no, "CP1", "JO", SystemTaskType.ORGANIZER)}  # fmt: skip
    assert {t.organizer_task_no == t.no for t in created} == {True}
    subtasks = world.crm.tasks.subtasks(created[0].no)
    assert [(s.no, s.system_task_type, s.contact_no) for s in subtasks] == [
        ("TD000002", SystemTaskType.CONTACT_ATTENDEE, created[0].contact_no)
    ]
    ann = next(t for t in created if t.contact_no == world.ann)
    assert ann.contact_company_no == world.cronus
    assert len(world.crm.tasks.list(segment_no=no)) == 8


def test_a_team_task_per_line_gets_its_members_subtasks(world: World) -> None:
    """A team: Team tasks, each with an Organizer sub-task per member (§7.5)."""
    no = world.segment(where.no == world.eve)

    (task,) = world.crm.segments.create_tasks(no, team_code="sales", date=TODAY)

    assert (task.team_code, task.salesperson_code, task.system_task_type) == (
        "SALES", None, SystemTaskType.TEAM)  # fmt: skip
    subtasks = world.crm.tasks.subtasks(task.no)
    assert sorted((s.system_task_type.value, s.salesperson_code or "", s.contact_no)
                  for s in subtasks) == [
        ("Contact Attendee", "", world.eve),
        ("Organizer", "AB", world.eve),
        ("Organizer", "JO", world.eve),
    ]  # fmt: skip


def test_a_meeting_is_one_meeting_with_the_segments_contacts_as_attendees(
    world: World,
) -> None:
    """BC: a meeting for a segment is one meeting; every contact an attendee."""
    no = world.segment(where.country_code == "CZ")
    world.crm.segments.add_line(no, world.ann)  # twice in the segment

    (meeting,) = world.crm.segments.create_tasks(
        no,
        type="Meeting",
        date=TODAY,
        start_time=dt.time(10, 0),
        duration=dt.timedelta(hours=1),
        description="Fair preview",
    )

    assert (meeting.type, meeting.contact_no, meeting.segment_no) == (
        TaskType.MEETING, None, no)  # fmt: skip
    attendees = world.crm.tasks.attendees(meeting.no)
    contacts = list(dict.fromkeys(_line_contacts(world, no)))
    assert [(a.attendee_no, a.send_invitation) for a in attendees] == [
        ("JO", True),
        *[(c, bool(world.crm.contacts.get(c).email)) for c in contacts],
    ]
    assert (world.eve, False) in [(a.attendee_no, a.send_invitation) for a in attendees]
    assert len(world.crm.tasks.subtasks(meeting.no)) == len(contacts)


def test_create_tasks_refuses_bad_input_and_creates_nothing(world: World) -> None:
    segs = world.crm.segments
    no = world.segment()
    with pytest.raises(rm.NotFoundError):
        segs.create_tasks("SM99")
    with pytest.raises(rm.ValidationError, match="is empty"):
        segs.create_tasks(segs.create(description="Nobody").no)
    with pytest.raises(rm.ValidationError):
        segs.create_tasks(no, segment_no="SM99")
    with pytest.raises(rm.SalespersonBlockedError):
        segs.create_tasks(no, salesperson_code="bo")
    no_salesperson = world.segment(salesperson_code=None)
    with pytest.raises(rm.TaskRuleError):
        segs.create_tasks(no_salesperson)
    world.crm.contacts.block_privacy(world.bo)
    with pytest.raises(rm.PrivacyBlockedError):
        segs.create_tasks(no)

    assert world.crm.tasks.list() == []
    assert world.crm.setup.next_number("TASK") == "TD000001"


# --- Apply Mailing Group (report 5184) ---------------------------------------------------


def test_apply_mailing_group_puts_the_lines_contacts_in_the_group(world: World) -> None:
    """Report 5184: a row per line contact; existing rows are left as they are."""
    world.crm.contacts.change(world.ann, mailing_groups=["NEWS", "PRESS"])
    world.crm.contacts.change(world.fabrikam, mailing_groups=["NEWS"])
    no = world.segment()

    applied = world.crm.segments.apply_mailing_group(no, "news")

    assert applied.message == f"Mailing Group NEWS is now applied to Segment {no}."
    assert sorted(applied.added) == sorted([world.cronus, world.bo, world.eve])
    assert applied.removed == ()
    groups = {c.no: c.mailing_groups for c in world.crm.contacts.list()}
    assert groups[world.ann] == {"NEWS", "PRESS"}
    assert groups[world.fabrikam] == {"NEWS"}
    assert all("NEWS" in groups[c] for c in (world.cronus, world.bo, world.eve))
    again = world.crm.segments.apply_mailing_group(no, "NEWS")
    assert (again.added, again.removed) == ((), ())


def test_delete_old_assignments_removes_the_group_from_all_other_contacts(
    world: World,
) -> None:
    """Delete Old Assignments: the group is taken from every contact first."""
    world.crm.contacts.change(world.fabrikam, mailing_groups=["NEWS", "PRESS"])
    world.crm.contacts.change(world.ann, mailing_groups=["NEWS"])
    no = world.segment(where.no == world.ann)

    applied = world.crm.segments.apply_mailing_group(
        no, "NEWS", delete_old_assignments=True
    )

    assert (applied.added, applied.removed) == ((), (world.fabrikam,))
    assert world.crm.contacts.get(world.fabrikam).mailing_groups == {"PRESS"}
    assert world.crm.contacts.get(world.ann).mailing_groups == {"NEWS"}
    nobody = world.crm.segments.create(description="Nobody").no
    emptied = world.crm.segments.apply_mailing_group(
        nobody, "NEWS", delete_old_assignments=True
    )
    assert emptied.removed == (world.ann,)


def test_apply_mailing_group_refuses_a_missing_or_unknown_code(world: World) -> None:
    no = world.segment()
    with pytest.raises(rm.ValidationError, match=r"Specify a Mailing Group Code\."):
        world.crm.segments.apply_mailing_group(no, "")
    with pytest.raises(rm.NotFoundError) as unknown:
        world.crm.segments.apply_mailing_group(no, "XMAS")
    assert unknown.value.kind == "mailing group"
    with pytest.raises(rm.NotFoundError):
        world.crm.segments.apply_mailing_group("SM99", "NEWS")
    assert all(not c.mailing_groups for c in world.crm.contacts.list())


# --- Delete Logged Segments (report 5191) ------------------------------------------------


def _logged(world: World, **fields: object) -> SegmentLog:
    no = world.segment(where.type == "Person", template="call", **fields)
    return world.crm.segments.log(no)


def test_deleting_a_canceled_logged_segment_keeps_its_entries_without_it(
    world: World,
) -> None:
    """Report 5191: Logged Segment Entry No. := 0 and Register No. := 0; they stay."""
    segs = world.crm.segments
    first = _logged(world, campaign_no="CP1")
    second = _logged(world)
    segs.cancel_log(first.logged.entry_no)

    deleted = segs.delete_logged_segments()

    assert deleted == 1
    assert [s.entry_no for s in segs.logged_segments()] == [second.logged.entry_no]
    kept = [world.crm.interactions.get(e.entry_no) for e in first.entries]
    assert {(e.logged_segment_entry_no, e.canceled) for e in kept} == {(None, True)}
    (campaign_entry,) = world.crm.campaigns.entries("CP1")
    assert (campaign_entry.register_no, campaign_entry.canceled) == (None, True)
    others = [world.crm.interactions.get(e.entry_no) for e in second.entries]
    assert {e.logged_segment_entry_no for e in others} == {second.logged.entry_no}


def test_delete_logged_segments_filters_and_skips_those_not_canceled(
    world: World,
) -> None:
    segs = world.crm.segments
    first, second, third = _logged(world), _logged(world), _logged(world)
    for log in (first, second, third):
        segs.cancel_log(log.logged.entry_no)

    assert segs.delete_logged_segments(entry_nos=[99]) == 0
    assert segs.delete_logged_segments(segment_no="SM99") == 0
    assert segs.delete_logged_segments(segment_no=second.logged.segment_no) == 1
    assert segs.delete_logged_segments(entry_nos=[first.logged.entry_no]) == 1
    segs.uncancel_log(third.logged.entry_no)
    assert segs.delete_logged_segments() == 0
    assert [s.entry_no for s in segs.logged_segments()] == [third.logged.entry_no]
    with pytest.raises(rm.ValidationError):
        segs.delete_logged_segments(entry_nos=[0])
    with pytest.raises(rm.ValidationError):
        segs.delete_logged_segments(segment_no=7)  # type: ignore[arg-type]


# --- all or nothing ------------------------------------------------------------------------


class _FlakyUnitOfWork:
    """A unit of work whose n-th call of ``repository.method`` fails (an injected fault)."""

    def __init__(
        self, inner: object, repository: str, method: str, counter: list[int], n: int
    ) -> None:
        self._inner = inner
        self._where = (repository, method)
        self._counter = counter
        self._n = n

    def __enter__(self) -> object:
        self._inner.__enter__()  # type: ignore[attr-defined]
        repository = getattr(self._inner, self._where[0])
        real: Callable[..., object] = getattr(repository, self._where[1])

        def failing(*args: object) -> object:
            self._counter[0] += 1
            if self._counter[0] == self._n:
                raise rm.PersistenceError("disk full")
            return real(*args)

        setattr(repository, self._where[1], failing)
        return self._inner

    def __exit__(self, *exc_info: object) -> None:
        self._inner.__exit__(*exc_info)  # type: ignore[attr-defined]


def _flaky(world: World, repository: str, method: str, n: int) -> rm.SegmentService:
    counter = [0]
    return rm.SegmentService(
        lambda: _FlakyUnitOfWork(  # type: ignore[arg-type, return-value]
            world.crm.uow_factory(), repository, method, counter, n
        ),
        world.crm.clock,
    )


def test_create_opportunities_is_all_or_nothing_when_a_write_fails(
    world: World,
) -> None:
    no = world.segment()

    with pytest.raises(rm.PersistenceError):
        _flaky(world, "opportunities", "add", 3).create_opportunities(
            no, sales_cycle_code="new"
        )

    assert world.crm.opportunities.list() == []
    assert world.crm.setup.next_number("OPP") == "OP000001"


def test_create_tasks_is_all_or_nothing_when_a_write_fails(world: World) -> None:
    no = world.segment()

    with pytest.raises(rm.PersistenceError):
        _flaky(world, "tasks", "add", 5).create_tasks(no)

    assert world.crm.tasks.list() == []


def test_apply_mailing_group_is_all_or_nothing_when_a_write_fails(
    world: World,
) -> None:
    world.crm.contacts.change(world.fabrikam, mailing_groups=["NEWS"])
    no = world.segment()

    with pytest.raises(rm.PersistenceError):
        _flaky(world, "contacts", "update", 3).apply_mailing_group(
            no, "NEWS", delete_old_assignments=True
        )

    groups = {c.no: c.mailing_groups for c in world.crm.contacts.list()}
    assert groups == {no_: frozenset() for no_ in groups} | {world.fabrikam: {"NEWS"}}


def test_delete_logged_segments_is_all_or_nothing_when_a_write_fails(
    world: World,
) -> None:
    segs = world.crm.segments
    first, second = _logged(world, campaign_no="CP1"), _logged(world)
    for log in (first, second):
        segs.cancel_log(log.logged.entry_no)

    with pytest.raises(rm.PersistenceError):
        _flaky(world, "logged_segments", "remove", 2).delete_logged_segments()

    assert [s.entry_no for s in segs.logged_segments()] == [
        first.logged.entry_no,
        second.logged.entry_no,
    ]
    kept = [world.crm.interactions.get(e.entry_no) for e in first.entries]
    assert {e.logged_segment_entry_no for e in kept} == {first.logged.entry_no}
    (campaign_entry,) = world.crm.campaigns.entries("CP1")
    assert campaign_entry.register_no == first.logged.entry_no
