"""TaskService: tasks, attendees, recurrence and activities through storage (§7, §8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relationship_mgmt as rm
from relationship_mgmt.domain.interactions import DocumentKind
from relationship_mgmt.domain.tasks import (
    ActivityStep,
    AttendanceType,
    Attendee,
    AttendeeType,
    SystemTaskType,
    Task,
    TaskStatus,
    TaskType,
)
from relationship_mgmt.errors import (
    InUseError,
    NotFoundError,
    PrivacyBlockedError,
    SalespersonBlockedError,
    TaskRuleError,
    ValidationError,
)
from relationship_mgmt.services.tasks import TaskService
from relationship_mgmt.testing import FrozenClock

NOW = dt.datetime(2024, 3, 6, 9, 0, tzinfo=dt.UTC)  # §7.4's closing day
DUE = dt.date(2024, 3, 4)


class World:
    """A workspace with two salespeople in a team, a company and its person."""

    def __init__(self, crm: rm.Crm) -> None:
        crm.setup.use_default_number_series()
        crm.salespeople.create("js", name="Jo Smith", email="jo@cronus.example")
        crm.salespeople.create("ab", name="Al Baker", email="al@cronus.example")
        crm.salespeople.create_team("sales", name="Sales", members=["js", "ab"])
        self.crm = crm
        self.company = crm.contacts.create_company(
            name="Cronus", email="info@cronus.example"
        )
        self.person = crm.contacts.create_person(
            name="Ann Smith", company_no=self.company.no, email="ann@cronus.example"
        )
        self.tasks = TaskService(crm.uow_factory, crm.clock)


def _world(url: str | None = None) -> World:
    return World(rm.open(url, clock=FrozenClock(NOW)))


@pytest.fixture
def world() -> World:
    return _world()


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    world = _world(f"sqlite:///{tmp_path / 'crm.db'}")
    yield world
    world.crm.close()


def _types(tasks: list[Task]) -> list[tuple[str, str | None, str | None]]:
    return [(t.system_task_type.value, t.salesperson_code, t.contact_no) for t in tasks]


# --- creating (§7.1, §7.5) -------------------------------------------------------------


def test_s7_1_a_task_takes_its_number_from_the_series_and_its_contacts_company(
    world: World,
) -> None:
    """§7.1 No., Contact Company No.; §7.1 Contact No.: a Contact Attendee sub-task."""
    task = world.tasks.create(
        salesperson_code="js", contact_no=world.person.no, date=DUE, description="Call"
    )

    assert (task.no, task.organizer_task_no, task.version) == (
        "TD000001",
        "TD000001",
        1,
    )
    assert (task.contact_company_no, task.system_task_type) == (
        world.company.no,
        SystemTaskType.ORGANIZER,
    )
    assert world.tasks.get("td000001") == task
    subtasks = world.tasks.subtasks("TD000001")
    assert [t.no for t in subtasks] == ["TD000002"]
    assert _types(subtasks) == [("Contact Attendee", "JS", world.person.no)]
    assert subtasks[0].organizer_task_no == "TD000001"


def test_s7_3_the_date_defaults_to_the_default_task_date_calculation(
    world: World,
) -> None:
    """§7.3: the setup's Default Task Date Calculation applies to the work date."""
    plain = world.tasks.create(salesperson_code="js")
    world.crm.setup.change(default_task_date_formula="1W")

    later = world.tasks.create(salesperson_code="js")

    assert (plain.date, later.date) == (NOW.date(), dt.date(2024, 3, 13))


def test_s7_1_a_manual_number_and_an_interaction_template(world: World) -> None:
    """§7.1 Interaction Template Code copies the template's values."""
    world.crm.interactions.create_group("sales")
    world.crm.interactions.create_template(
        "call",
        group="sales",
        description="Phone call",
        unit_cost_lcy="2.5",
        campaign_no="CP0001",
    )
    world.crm.setup.change(task_nos=None)

    task = world.tasks.create(
        no="own-1", salesperson_code="js", interaction_template_code="call"
    )

    assert (task.no, task.subject, task.unit_cost_lcy, task.campaign_no) == (
        "OWN-1",
        "Phone call",
        Decimal("2.5"),
        "CP0001",
    )


def test_s7_1_s8_the_salesperson_team_and_contact_are_checked(world: World) -> None:
    """§8: a blocked salesperson takes no task; references must exist (§7.1)."""
    world.crm.salespeople.create("zz", blocked=True)
    world.crm.contacts.block_privacy(world.person.no)

    with pytest.raises(SalespersonBlockedError):
        world.tasks.create(salesperson_code="zz")
    with pytest.raises(NotFoundError):
        world.tasks.create(salesperson_code="nobody")
    with pytest.raises(NotFoundError):
        world.tasks.create(team_code="north")
    with pytest.raises(PrivacyBlockedError):
        world.tasks.create(salesperson_code="js", contact_no=world.person.no)
    with pytest.raises(TaskRuleError):
        world.tasks.create(description="Nobody's")
    with pytest.raises(ValidationError):
        world.tasks.create(salesperson_code="js", colour="red")
    with pytest.raises(ValidationError):
        world.tasks.create(salesperson_code="js", system_task_type="Team")
    with pytest.raises(ValidationError):
        world.tasks.create(salesperson_code="js", attendees=[])
    assert world.tasks.list() == []


def test_without_a_task_number_series_a_task_needs_a_number() -> None:
    """§7.1 No.: from the setup's Task Nos.; none set up and none typed is refused."""
    crm = rm.open(clock=FrozenClock(NOW))
    crm.salespeople.create("js")
    tasks = TaskService(crm.uow_factory, crm.clock)

    with pytest.raises(ValidationError):
        tasks.create(salesperson_code="js")

    assert tasks.create(no="T1", salesperson_code="js").no == "T1"


def test_s7_5_a_team_task_gets_an_organizer_subtask_per_member(world: World) -> None:
    """§7.5: one Organizer sub-task per member, then the contact's; Team type."""
    task = world.tasks.create(team_code="sales", contact_no=world.company.no)

    assert (task.system_task_type, task.salesperson_code) == (SystemTaskType.TEAM, None)
    assert _types(world.tasks.subtasks(task.no)) == [
        ("Organizer", "AB", world.company.no),  # the team's members, by code
        ("Organizer", "JS", world.company.no),
        ("Contact Attendee", None, world.company.no),
    ]


def test_s7_5_a_meeting_gets_its_attendees_and_their_subtasks(world: World) -> None:
    """§7.5: the salesperson organizes, the contact attends; one sub-task each."""
    meeting = world.tasks.create(
        salesperson_code="js", type="Meeting", contact_no=world.person.no, date=DUE
    )

    attendees = world.tasks.attendees(meeting.no)
    assert [(a.line_no, a.attendance_type, a.attendee_no) for a in attendees] == [
        (10000, AttendanceType.ORGANIZER, "JS"),
        (20000, AttendanceType.REQUIRED, world.person.no),
    ]
    assert attendees[1].send_invitation  # the contact has an e-mail address
    subtasks = world.tasks.subtasks(meeting.no)
    assert _types(subtasks) == [("Contact Attendee", "JS", world.person.no)]
    assert subtasks[0].contact_company_no == world.company.no


def test_s7_5_a_team_meeting_and_given_attendees(world: World) -> None:
    """§7.5: a team meeting's organizer; attendees may be given; rules are checked."""
    team_meeting = world.tasks.create(
        team_code="sales", type="Meeting", meeting_organizer="ab"
    )
    given = world.tasks.create(
        salesperson_code="js",
        type="Meeting",
        attendees=[
            Attendee(
                line_no=1,
                attendance_type="To-do Organizer",
                attendee_type="Salesperson",
                attendee_no="js",
            ),
            Attendee(line_no=2, attendee_type="Salesperson", attendee_no="ab"),
        ],
    )

    assert _types(world.tasks.subtasks(team_meeting.no)) == [
        ("Organizer", "AB", None),
        ("Salesperson Attendee", "JS", None),
    ]
    assert _types(world.tasks.subtasks(given.no)) == [
        ("Salesperson Attendee", "AB", None)
    ]
    with pytest.raises(TaskRuleError):  # no organizer
        world.tasks.create(
            salesperson_code="js",
            type="Meeting",
            attendees=[Attendee(line_no=1, attendee_no=world.person.no)],
        )
    with pytest.raises(NotFoundError):
        world.tasks.create(
            salesperson_code="js",
            type="Meeting",
            attendees=[
                Attendee(
                    line_no=1,
                    attendance_type="To-do Organizer",
                    attendee_type=AttendeeType.SALESPERSON,
                    attendee_no="js",
                ),
                Attendee(line_no=2, attendee_no="CT999999"),
            ],
        )


def test_s7_5_a_meetings_organizer_needs_an_email_address(world: World) -> None:
    """§7.5: "You cannot set %1 as organizer because he/she does not have email"."""
    world.crm.salespeople.create("nm", name="No Mail")

    with pytest.raises(TaskRuleError):
        world.tasks.create(salesperson_code="nm", type="Meeting")


# --- the state machine and recurrence (§7.2, §7.4) -------------------------------------


@pytest.mark.parametrize(
    ("calc_due_date_from", "next_date"),
    [("Due Date", dt.date(2024, 3, 11)), ("Closing Date", dt.date(2024, 3, 13))],
)
def test_s7_4_worked_example_through_the_service(
    world: World, calc_due_date_from: str, next_date: dt.date
) -> None:
    """§7.4: a weekly call due 2024-03-04, closed on 2024-03-06."""
    call = world.tasks.create(
        salesperson_code="js",
        type="Phone Call",
        date=DUE,
        contact_no=world.person.no,
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from=calc_due_date_from,
    )

    closed = world.tasks.close(call.no)

    assert (closed.closed, closed.status, closed.date_closed) == (
        True,
        TaskStatus.COMPLETED,
        NOW.date(),
    )
    successor = world.tasks.get(str(closed.successor_no))
    assert (successor.date, successor.status, successor.closed) == (
        next_date,
        TaskStatus.NOT_STARTED,
        False,
    )
    assert (successor.organizer_task_no, successor.recurring) == (successor.no, True)
    assert _types(world.tasks.subtasks(successor.no)) == [
        ("Contact Attendee", "JS", world.person.no)
    ]
    assert all(t.closed for t in world.tasks.subtasks(call.no))


def test_s7_4_a_recurring_meeting_copies_its_attendees(world: World) -> None:
    """§7.4: "the attendees (and team sub-tasks) are copied"."""
    meeting = world.tasks.create(
        team_code="sales",
        type="Meeting",
        meeting_organizer="js",
        contact_no=world.person.no,
        date=DUE,
        recurring=True,
        recurring_date_interval="1M",
        calc_due_date_from="Due Date",
    )

    closed = world.tasks.close(meeting.no, completed_by="ab")

    successor = str(closed.successor_no)
    assert world.tasks.get(successor).date == dt.date(2024, 4, 4)
    assert [a.attendee_no for a in world.tasks.attendees(successor)] == [
        a.attendee_no for a in world.tasks.attendees(meeting.no)
    ]
    assert _types(world.tasks.subtasks(successor)) == _types(
        world.tasks.subtasks(meeting.no)
    )


def test_s7_4_closing_reopening_closing_stores_one_successor(world: World) -> None:
    """§7.4 with the library's rule: a task produces at most one successor."""
    call = world.tasks.create(
        salesperson_code="js",
        date=DUE,
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from="Due Date",
    )

    first = world.tasks.close(call.no).successor_no
    world.tasks.reopen(call.no)
    again = world.tasks.change_status(call.no, "Completed").successor_no

    assert first == again == "TD000002"
    assert [t.no for t in world.tasks.list()] == ["TD000001", "TD000002"]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.sampled_from(["close", "reopen", "cancel", "uncancel", "complete", "wait"]),
        max_size=8,
    )
)
def test_s7_4_no_sequence_of_state_changes_stores_two_successors(
    steps: list[str],
) -> None:
    """Closing, reopening, canceling ... a recurring task: one successor at most."""
    world = _world()
    tasks = world.tasks
    call = tasks.create(
        salesperson_code="js",
        contact_no=world.person.no,
        date=DUE,
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from="Closing Date",
    )
    actions = {
        "close": lambda: tasks.close(call.no),
        "reopen": lambda: tasks.reopen(call.no),
        "cancel": lambda: tasks.cancel(call.no),
        "uncancel": lambda: tasks.uncancel(call.no),
        "complete": lambda: tasks.change_status(call.no, TaskStatus.COMPLETED),
        "wait": lambda: tasks.change_status(call.no, TaskStatus.WAITING),
    }

    for step in steps:
        actions[step]()

    mains = tasks.list(system_task_types=[SystemTaskType.ORGANIZER])
    stored = tasks.get(call.no)
    others = [t.no for t in mains if t.no != call.no]
    assert others == ([] if stored.successor_no is None else [stored.successor_no])
    for task in mains:  # each main task has exactly its one contact sub-task
        assert len(tasks.subtasks(task.no)) == 1


def test_s7_2_cancel_closes_without_a_successor_and_uncancel_reopens(
    world: World,
) -> None:
    """§7.2: Canceled closes the task through Closed = true, without a recurrence."""
    call = world.tasks.create(
        team_code="sales",
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from="Due Date",
    )

    canceled = world.tasks.cancel(call.no)
    assert (canceled.canceled, canceled.closed, canceled.successor_no) == (
        True,
        True,
        None,
    )
    assert all(t.canceled for t in world.tasks.subtasks(call.no))

    reopened = world.tasks.uncancel(call.no)
    assert (reopened.canceled, reopened.closed, reopened.status) == (
        False,
        False,
        TaskStatus.IN_PROGRESS,
    )
    assert not any(t.closed for t in world.tasks.subtasks(call.no))


def test_s7_2_a_team_task_needs_completed_by(world: World) -> None:
    """§7.2: "The Completed By field must be filled in for Tasks assigned to a team."."""
    task = world.tasks.create(team_code="sales")

    with pytest.raises(TaskRuleError):
        world.tasks.close(task.no)
    with pytest.raises(NotFoundError):
        world.tasks.close(task.no, completed_by="nobody")
    closed = world.tasks.close(task.no, completed_by="ab")

    assert (closed.completed_by, world.tasks.get(task.no).closed) == ("AB", True)
    assert {t.completed_by for t in world.tasks.subtasks(task.no)} == {"AB"}


def test_s7_1_changes_are_copied_to_subtasks_which_change_only_with_them(
    world: World,
) -> None:
    """§7.1 Modify: an organizer's changes go to its sub-tasks; those follow it."""
    task = world.tasks.create(
        salesperson_code="js", contact_no=world.person.no, date=DUE
    )
    (subtask,) = world.tasks.subtasks(task.no)

    world.tasks.reschedule(task.no, date=dt.date(2024, 3, 8))
    world.tasks.edit(task.no, priority="High", description="Moved")

    moved = world.tasks.get(subtask.no)
    assert (moved.date, moved.priority.value, moved.description) == (
        dt.date(2024, 3, 8),
        "High",
        "Moved",
    )
    with pytest.raises(TaskRuleError):
        world.tasks.close(subtask.no)


def test_s7_5_delete_takes_canceled_tasks_with_their_subtasks(world: World) -> None:
    """§7.5 Delete Tasks: only canceled Organizer/Team tasks; sub-tasks go along."""
    task = world.tasks.create(team_code="sales", type="Meeting", meeting_organizer="js")
    (subtask,) = [
        t for t in world.tasks.subtasks(task.no) if t.salesperson_code == "AB"
    ]

    with pytest.raises(TaskRuleError):
        world.tasks.delete(task.no)
    world.tasks.cancel(task.no)
    with pytest.raises(TaskRuleError):
        world.tasks.delete(subtask.no)
    world.tasks.delete(task.no)

    assert world.tasks.list() == []
    with pytest.raises(NotFoundError):
        world.tasks.attendees(task.no)


# --- Next Task Date and lists (§2.2, §8) -----------------------------------------------


def test_s2_2_s8_next_task_date_of_contacts_salespeople_and_teams(
    world: World,
) -> None:
    """§2.2: a company covers its persons; §8: a salesperson's and a team's."""
    other = world.crm.contacts.create_person(name="Bob Lone")
    world.tasks.create(salesperson_code="js", contact_no=world.person.no, date=DUE)
    world.tasks.create(
        salesperson_code="ab", contact_no=world.company.no, date=dt.date(2024, 3, 1)
    )
    world.tasks.create(team_code="sales", date=dt.date(2024, 3, 9))
    closed = world.tasks.create(
        salesperson_code="ab", contact_no=other.no, date=dt.date(2024, 2, 1)
    )
    world.tasks.close(closed.no)

    assert world.tasks.next_task_date(contact_no=world.company.no) == dt.date(
        2024, 3, 1
    )
    assert world.tasks.next_task_date(contact_no=world.person.no) == DUE
    assert world.tasks.next_task_date(contact_no=other.no) is None
    assert world.tasks.next_task_date(salesperson_code="js") == DUE
    assert world.tasks.next_task_date(salesperson_code="ab") == dt.date(2024, 3, 1)
    assert world.tasks.next_task_date(team_code="sales") == dt.date(2024, 3, 9)
    with pytest.raises(ValidationError):
        world.tasks.next_task_date()
    with pytest.raises(ValidationError):
        world.tasks.next_task_date(salesperson_code="js", team_code="sales")
    with pytest.raises(NotFoundError):
        world.tasks.next_task_date(team_code="north")


def test_list_filters_and_covers_a_companys_persons(world: World) -> None:
    """A company's list includes its persons' tasks (BC's LC filter, §2.2)."""
    first = world.tasks.create(
        salesperson_code="js", contact_no=world.person.no, date=DUE
    )
    second = world.tasks.create(
        salesperson_code="ab", contact_no=world.company.no, date=dt.date(2024, 3, 1)
    )
    main = [SystemTaskType.ORGANIZER]

    assert [
        t.no
        for t in world.tasks.list(contact_no=world.company.no, system_task_types=main)
    ] == [second.no, first.no]
    assert [t.no for t in world.tasks.list(contact_no=world.person.no)] == [
        first.no,
        "TD000002",
    ]
    assert [t.no for t in world.tasks.list(salesperson_code="ab")] == [
        second.no,
        "TD000004",
    ]
    with pytest.raises(ValidationError):
        world.tasks.list(colour="red")


def test_s8_open_tasks_keep_a_salesperson_and_a_team_from_deletion(
    world: World,
) -> None:
    """§8: "...because it has open tasks."; a team with open team tasks stays."""
    task = world.tasks.create(team_code="sales")

    with pytest.raises(InUseError):
        world.crm.salespeople.delete("js")  # its Organizer sub-task is open
    with pytest.raises(InUseError):
        world.crm.salespeople.delete_team("sales")
    world.tasks.close(task.no, completed_by="js")
    world.crm.salespeople.delete("js")
    world.crm.salespeople.delete_team("sales")

    assert [sp.code for sp in world.crm.salespeople.list()] == ["AB"]


# --- activities (§7.6) -----------------------------------------------------------------


def test_s7_6_activities_and_their_steps(world: World) -> None:
    """§7.6: an activity's steps in step order; default step numbers."""
    world.tasks.create_activity("init", description="Initial")
    world.tasks.add_activity_step("init", type="Phone Call", date_formula="1D")
    world.tasks.add_activity_step("init", step_no=5000, description="Prepare")
    world.tasks.add_activity_step("init", type="Meeting", date_formula="1W")

    activity = world.tasks.get_activity("init")
    assert [(s.step_no, s.type.value) for s in activity.steps] == [
        (5000, ""),
        (10000, "Phone Call"),
        (20000, "Meeting"),
    ]
    assert world.tasks.remove_activity_step("init", 5000).steps[0].step_no == 10000
    with pytest.raises(NotFoundError):
        world.tasks.remove_activity_step("init", 5000)
    assert [a.code for a in world.tasks.activities()] == ["INIT"]
    world.tasks.delete_activity("init")
    with pytest.raises(NotFoundError):
        world.tasks.get_activity("init")


def test_s7_6_assigning_an_activity_dates_every_step_from_the_base_date(
    world: World,
) -> None:
    """§7.6: Date = calc_date(step formula, D), not chained; meetings all day."""
    world.crm.interactions.create_group("sales")
    world.crm.interactions.create_template("meetinv", group="sales")
    world.crm.interactions.use_template_for(DocumentKind.MEETING_INVITATIONS, "meetinv")
    world.tasks.create_activity(
        "init",
        steps=[
            ActivityStep(step_no=1, type="Phone Call", date_formula="1D"),
            ActivityStep(step_no=2, type="Meeting", date_formula="1W"),
        ],
    )

    call, meeting = world.tasks.assign_activity(
        "init", salesperson_code="js", contact_no=world.person.no, date=DUE
    )

    assert (call.type, call.date, call.contact_no) == (
        TaskType.PHONE_CALL,
        dt.date(2024, 3, 5),
        world.person.no,
    )
    assert (meeting.type, meeting.date, meeting.all_day_event) == (
        TaskType.MEETING,
        dt.date(2024, 3, 11),
        True,
    )
    assert (meeting.contact_no, meeting.interaction_template_code) == (None, "MEETINV")
    assert [a.attendee_no for a in world.tasks.attendees(meeting.no)] == [
        "JS",
        world.person.no,
    ]
    assert _types(world.tasks.subtasks(call.no)) == [
        ("Contact Attendee", "JS", world.person.no)
    ]


def test_s7_6_a_stored_base_task_and_a_team_needing_a_meeting_organizer(
    world: World,
) -> None:
    """§7.6: "Activity %1 contains Tasks of type Meeting. You must fill in the ..."."""
    world.tasks.create_activity(
        "visit", steps=[ActivityStep(step_no=1, type="Meeting", date_formula="2D")]
    )
    base = world.tasks.create(team_code="sales", date=DUE)

    with pytest.raises(TaskRuleError):
        world.tasks.assign_activity("visit", base_task_no=base.no)
    with pytest.raises(ValidationError):
        world.tasks.assign_activity("visit", base_task_no=base.no, date=DUE)
    (meeting,) = world.tasks.assign_activity(
        "visit", base_task_no=base.no, meeting_organizer="ab"
    )

    assert (meeting.team_code, meeting.salesperson_code, meeting.date) == (
        "SALES",
        None,
        dt.date(2024, 3, 6),
    )
    assert _types(world.tasks.subtasks(meeting.no)) == [
        ("Organizer", "AB", None),
        ("Salesperson Attendee", "JS", None),
    ]


# --- the same use cases on SQLite ------------------------------------------------------


def test_the_worked_example_and_the_flowfields_on_sqlite(sqlite_world: World) -> None:
    """§7.4 and §2.2 through the SQL adapter: successor, sub-tasks, MIN(date)."""
    tasks = sqlite_world.tasks
    call = tasks.create(
        salesperson_code="js",
        type="Phone Call",
        date=DUE,
        start_time=dt.time(9, 30),
        duration=dt.timedelta(minutes=15),
        contact_no=sqlite_world.person.no,
        recurring=True,
        recurring_date_interval="1W",
        calc_due_date_from="Due Date",
    )

    closed = tasks.close(call.no)
    tasks.reopen(call.no)
    tasks.close(call.no)

    successor = tasks.get(str(closed.successor_no))
    assert (successor.date, successor.ending_time) == (
        dt.date(2024, 3, 11),
        dt.time(9, 45),
    )
    assert tasks.next_task_date(contact_no=sqlite_world.company.no) == dt.date(
        2024, 3, 11
    )
    assert len(tasks.list()) == 4  # two tasks, each with its contact sub-task
