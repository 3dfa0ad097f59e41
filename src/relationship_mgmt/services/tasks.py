"""Tasks, their attendees and activities (§7): ``crm.tasks``.

Creating a task draws its number from the setup's task number series and stores its
sub-tasks with it: one Organizer sub-task per member of a team (§7.5), a Contact
Attendee sub-task for the contact of a task that is not a meeting, and for a meeting
its attendees and their sub-tasks. A change of a task is copied to its sub-tasks
(BC's ``UpdateAttendeeTasks``), and closing a recurring task stores its next
occurrence, with its own sub-tasks, in the same unit of work (§7.4).

>>> import datetime as dt
>>> import relationship_mgmt as rm
>>> from relationship_mgmt.testing import FrozenClock
>>> crm = rm.open(clock=FrozenClock(dt.datetime(2024, 3, 6, 9, 0, tzinfo=dt.UTC)))
>>> crm.setup.use_default_number_series()
>>> crm.salespeople.create("js", name="Jo Smith").code
'JS'
>>> tasks = TaskService(crm.uow_factory, crm.clock)
>>> call = tasks.create(salesperson_code="js", type="Phone Call",
...                     date=dt.date(2024, 3, 4), description="Weekly call",
...                     recurring=True, recurring_date_interval="1W",
...                     calc_due_date_from="Due Date")
>>> closed = tasks.close(call.no)
>>> (closed.status.value, closed.date_closed, closed.successor_no)
('Completed', datetime.date(2024, 3, 6), 'TD000002')
>>> tasks.get("TD000002").date
datetime.date(2024, 3, 11)
>>> tasks.next_task_date(salesperson_code="js")
datetime.date(2024, 3, 11)
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    ContactNo,
    SalespersonCode,
    TaskNo,
    make_code,
)
from relationship_mgmt.domain.contacts import ensure_usable
from relationship_mgmt.domain.dateformula import calc_date
from relationship_mgmt.domain.interactions import DocumentKind
from relationship_mgmt.domain.segment_actions import contact_attendees
from relationship_mgmt.domain.tasks import (
    Activity,
    ActivityStep,
    Attendee,
    AttendeeType,
    InvitationResponse,
    Task,
    TaskFilter,
    TaskStatus,
    TaskType,
    cancel_open_tasks,
    contact_task_filter,
    default_attendees,
    is_deletable,
    plan_activity,
    plan_contact_change,
    plan_meeting_subtasks,
    plan_segment_tasks,
    plan_team_subtasks,
    propagate,
    salesperson_task_filter,
    subtasks_of,
    team_task_filter,
)
from relationship_mgmt.errors import NotFoundError, TaskRuleError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.numbering import assign_number

__all__ = ["TaskService"]

_STEP_NO_STEP = 10000
_NOT_DELETABLE = (
    "only a canceled task of System To-do Type Organizer or Team, without a team or "
    "the team task itself, is deleted (Delete Tasks, §7.5)"
)

Operation = Callable[[UnitOfWork, Task, Callable[[], str]], Task | None]
"""A change of a stored task in a unit of work; with a number source, it may
return a successor."""

# What a new task may be given; its number, links and closing come from the rules.
_NEW_TASK_FIELDS = frozenset(a.name for a in attrs.fields(Task) if a.init) - {
    "version",
    "no",
    "organizer_task_no",
    "system_task_type",
    "successor_no",
    "closed",
    "canceled",
    "date_closed",
    "completed_by",
}
_FILTER_FIELDS = frozenset(a.name for a in attrs.fields(TaskFilter))


def _known(fields: Iterable[str], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(what, unknown, "unknown field")


def _task_no(no: str) -> TaskNo:
    return TaskNo(make_code(no, max_length=CODE20, field="no"))


def _salesperson_code(code: str, field: str = "salesperson_code") -> SalespersonCode:
    return SalespersonCode(make_code(code, max_length=CODE20, field=field))


def _team_code(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="team_code")


def _contact_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="contact_no"))


def _activity_code(code: str) -> Code:
    return make_code(code, max_length=CODE10, field="activity_code")


def _is_subtask(task: Task) -> bool:
    return task.organizer_task_no is not None and task.organizer_task_no != task.no


def _ensure_main(task: Task) -> None:
    """Sub-tasks follow their organizer task: change that one instead (§7.1 Modify)."""
    if _is_subtask(task):
        raise TaskRuleError(
            task.no,
            f"a sub-task changes with its organizer task {task.organizer_task_no!r}",
        )


def _fresh(attendee: Attendee) -> Attendee:
    """An attendee of a new occurrence: not invited yet, no answer."""
    return attrs.evolve(
        attendee, invitation_response=InvitationResponse.NONE, invitation_sent=False
    )


class TaskService:
    """Tasks, meetings and phone calls, their attendees, and activities (§7).

    One public method is one use case and one unit of work. Today (BC's
    ``TODAY``/``WORKDATE``) is the clock's work date.

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: The work date: Date Closed, the default task date, number series.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    # --- helpers ---------------------------------------------------------------------

    def _numbers(self, uow: UnitOfWork) -> Callable[[], str]:
        """Draw task numbers from the setup's series, inside ``uow``, on demand."""
        today = self._clock.workdate()

        def draw() -> str:
            series = uow.setup.get().task_nos
            return assign_number(uow, series, manual_no=None, on=today, what="task_nos")

        return draw

    @staticmethod
    def _check_salesperson(uow: UnitOfWork, code: str, field: str) -> None:
        """The salesperson must exist and be assignable to a task (§7.1, §8)."""
        uow.salespeople.get(_salesperson_code(code, field)).ensure_assignable("task")

    def _draft(self, uow: UnitOfWork, fields: Mapping[str, object]) -> Task:
        """Check the references of a new task's fields and build it, unnumbered.

        The salesperson must exist and be assignable, the team and the contact
        must exist (Contact Company No. comes from the contact) and an interaction
        template gives its values (§7.1). Date defaults to the setup's Default Task
        Date Calculation applied to the work date, or the work date (§7.3).
        """
        values = dict(fields)
        _known(values, _NEW_TASK_FIELDS, "fields")
        salesperson = values.get("salesperson_code")
        if isinstance(salesperson, str) and salesperson.strip():
            self._check_salesperson(uow, salesperson, "salesperson_code")
        team = values.get("team_code")
        if isinstance(team, str) and team.strip():
            uow.teams.get(_team_code(team))
        contact = values.get("contact_no")
        if isinstance(contact, str) and contact.strip():
            found = uow.contacts.get(_contact_no(contact))
            ensure_usable(found, "task")
            values["contact_company_no"] = found.company_no
        if values.get("date") is None:
            today = self._clock.workdate()
            formula = uow.setup.get().default_task_date_formula
            values["date"] = today if formula is None else calc_date(formula, today)
        template_code = values.pop("interaction_template_code", None)
        draft = Task(no="", **values)  # type: ignore[arg-type]
        if template_code is not None:
            template = uow.interaction_templates.get(
                make_code(
                    str(template_code),
                    max_length=CODE10,
                    field="interaction_template_code",
                )
            )
            draft.apply_interaction_template(
                template.code,
                language_code=template.language_code_default,
                description=template.description,
                unit_cost_lcy=template.unit_cost_lcy,
                unit_duration_min=template.unit_duration_min,
                campaign_no=template.campaign_no,
            )
        return draft

    def _insert(
        self,
        uow: UnitOfWork,
        task: Task,
        draw: Callable[[], str],
        *,
        meeting_organizer: str | None = None,
        attendees: Iterable[Attendee] | None = None,
        attendee_contact_no: str | None = None,
    ) -> None:
        """Store a new main task with its sub-tasks (and a meeting's attendees, §7.5)."""
        if attendees is not None and task.type is not TaskType.MEETING:
            raise ValidationError(
                "attendees", task.type, "only a meeting has attendees"
            )
        uow.tasks.add(task)
        members = (
            () if task.team_code is None else uow.teams.get(task.team_code).members
        )
        if task.type is TaskType.MEETING:
            if attendees is None:
                attendees = self._default_attendees(
                    uow, task, meeting_organizer, members, attendee_contact_no
                )
            rows = list(attendees)
            subtasks = plan_meeting_subtasks(
                task,
                rows,
                numbers=draw,
                contact_companies=self._attendee_companies(uow, rows),
            )
            uow.tasks.replace_attendees(task.no, rows)
        elif task.team_code is not None:
            subtasks = plan_team_subtasks(
                task,
                members=members,
                numbers=draw,
                contact_company_no=task.contact_company_no,
            )
        else:
            _, created = plan_contact_change(task, old_contact_no=None, new_no=draw)
            subtasks = [] if created is None else [created]
        for subtask in subtasks:
            uow.tasks.add(subtask)

    @staticmethod
    def _default_attendees(
        uow: UnitOfWork,
        task: Task,
        meeting_organizer: str | None,
        members: tuple[SalespersonCode, ...],
        contact_no: str | None,
    ) -> tuple[Attendee, ...]:
        """BC's ``CreateAttendeesFromTask``, knowing who has an e-mail address."""
        organizer = task.salesperson_code
        if task.team_code is not None:
            organizer = (
                None
                if meeting_organizer is None
                else _salesperson_code(meeting_organizer, "meeting_organizer")
            )
        people = {*members, *([organizer] if organizer else [])}
        with_email: set[str] = {
            code for code in people if uow.salespeople.get(code).email
        }
        contact = contact_no or task.contact_no
        if contact is not None and uow.contacts.get(_contact_no(contact)).email:
            with_email.add(contact)
        return default_attendees(
            task,
            meeting_organizer=meeting_organizer,
            team_members=members,
            contact_no=contact_no,
            with_email=with_email,
        )

    @staticmethod
    def _attendee_companies(
        uow: UnitOfWork, attendees: Iterable[Attendee]
    ) -> dict[str, str | None]:
        """The attendees must exist; contacts give their Contact Company No."""
        companies: dict[str, str | None] = {}
        for attendee in attendees:
            if attendee.attendee_type is AttendeeType.SALESPERSON:
                uow.salespeople.get(SalespersonCode(attendee.attendee_no))
            else:
                contact = uow.contacts.get(ContactNo(attendee.attendee_no))
                companies[attendee.attendee_no] = contact.company_no
        return companies

    @staticmethod
    def _propagate(uow: UnitOfWork, task: Task) -> None:
        """Copy the organizer task's changes to its sub-tasks (§7.1 Modify)."""
        for subtask in subtasks_of(
            task, uow.tasks.find(TaskFilter(organizer_task_no=task.no))
        ):
            updated = propagate(task, subtask)
            if updated != subtask:
                uow.tasks.update(updated)

    def _change(self, no: str, operation: Operation) -> Task:
        """Change a main task, copy the change to its sub-tasks, store a successor."""
        key = _task_no(no)
        with self._uow_factory() as uow:
            task = uow.tasks.get(key)
            _ensure_main(task)
            draw = self._numbers(uow)
            successor = operation(uow, task, draw)
            uow.tasks.update(task)
            self._propagate(uow, task)
            if successor is not None:
                old = uow.tasks.attendees_of(task.no)
                self._insert(
                    uow,
                    successor,
                    draw,
                    attendees=[_fresh(a) for a in old] if old else None,
                )
            uow.commit()
        return task

    # --- creating and reading --------------------------------------------------------

    def create(
        self,
        *,
        no: str | None = None,
        meeting_organizer: str | None = None,
        attendees: Iterable[Attendee] | None = None,
        **fields: object,
    ) -> Task:
        """Create a task with its sub-tasks (BC's Create Task, §7.1, §7.5).

        The number comes from the setup's task number series (or ``no``, when the
        series allows manual numbers). A team task that is not a meeting gets an
        Organizer sub-task per team member, and a task with a contact that is not a
        meeting a Contact Attendee sub-task. A meeting gets its attendees (by
        default: its salesperson, or for a team the ``meeting_organizer``, as
        organizer, the other team members and the contact) and one sub-task each.

        Args:
            no: A number typed by the user.
            meeting_organizer: The Team Meeting Organizer of a team meeting.
            attendees: A meeting's attendees, instead of the default ones.
            **fields: Fields of :class:`~relationship_mgmt.domain.tasks.Task`
                (``salesperson_code`` or ``team_code``, ``date``, ``type``,
                ``description``, ``contact_no``, ``start_time``, ``duration``,
                ``recurring`` ...); ``date`` defaults as in BC (§7.3).

        Returns:
            The stored task.

        Raises:
            NotFoundError: No such salesperson, team, contact, interaction template,
                attendee or number series.
            SalespersonBlockedError: The salesperson is blocked (§8).
            TaskRuleError: Neither salesperson nor team, or a rule of the
                attendees (§7.5).
            ValidationError: A refused value, or no task number series.
            ManualNumbersNotAllowedError: ``no`` given, and the series refuses it.
            AlreadyExistsError: The number is taken.
        """
        with self._uow_factory() as uow:
            draft = self._draft(uow, fields)
            if meeting_organizer is not None:
                self._check_salesperson(uow, meeting_organizer, "meeting_organizer")
            number = assign_number(
                uow,
                uow.setup.get().task_nos,
                manual_no=no,
                on=self._clock.workdate(),
                what="task_nos",
            )
            task = attrs.evolve(draft, no=number, organizer_task_no=number)
            self._insert(
                uow,
                task,
                self._numbers(uow),
                meeting_organizer=meeting_organizer,
                attendees=attendees,
            )
            uow.commit()
        return task

    def get(self, no: str) -> Task:
        """Return the task ``no``.

        Raises:
            NotFoundError: No such task.
        """
        key = _task_no(no)
        with self._uow_factory() as uow:
            return uow.tasks.get(key)

    def subtasks(self, no: str) -> builtins.list[Task]:
        """Return the sub-tasks of the task ``no`` (Organizer To-do No. = its No.).

        Raises:
            NotFoundError: No such task.
        """
        key = _task_no(no)
        with self._uow_factory() as uow:
            task = uow.tasks.get(key)
            return subtasks_of(task, uow.tasks.find(TaskFilter(organizer_task_no=key)))

    def attendees(self, no: str) -> builtins.list[Attendee]:
        """Return the attendees of the task ``no``, by line number.

        Raises:
            NotFoundError: No such task.
        """
        key = _task_no(no)
        with self._uow_factory() as uow:
            uow.tasks.get(key)
            return uow.tasks.attendees_of(key)

    def list(
        self, *, contact_no: str | None = None, **filters: object
    ) -> builtins.list[Task]:
        """Return tasks ordered by date and number.

        ``contact_no`` lists a contact's tasks the way BC's task list does from a
        contact card: a company's include its persons'. Other filters are those of
        :class:`~relationship_mgmt.domain.tasks.TaskFilter` (``salesperson_code``,
        ``team_code``, ``closed``, ``system_task_types``, ``starting`` ...).

        Raises:
            NotFoundError: No such contact.
            ValidationError: An unknown filter or a refused value.
        """
        _known(filters, _FILTER_FIELDS, "filters")
        where = TaskFilter(**filters)
        with self._uow_factory() as uow:
            if contact_no is not None:
                contact = uow.contacts.get(_contact_no(contact_no))
                own = contact_task_filter(
                    company_no=contact.company_no,
                    lookup_contact_no=contact.lookup_contact_no,
                )
                where = attrs.evolve(
                    where,
                    contact_company_no=own.contact_company_no,
                    contact_no=own.contact_no,
                )
            return uow.tasks.find(where)

    def next_task_date(
        self,
        *,
        contact_no: str | None = None,
        salesperson_code: str | None = None,
        team_code: str | None = None,
    ) -> dt.date | None:
        """Return the Next Task Date of a contact, a salesperson or a team (§2.2, §8).

        Give exactly one. A contact's covers the open Organizer and Contact
        Attendee tasks of its company (a company: all its persons', a person: its
        own); a salesperson's the open Organizer and Salesperson Attendee tasks; a
        team's its open team tasks.

        Returns:
            The earliest date, or ``None`` when there is no such task.

        Raises:
            ValidationError: Not exactly one of the three given.
            NotFoundError: No such contact, salesperson or team.
        """
        given = [v for v in (contact_no, salesperson_code, team_code) if v is not None]
        if len(given) != 1:
            raise ValidationError(
                "next_task_date",
                given,
                "give exactly one of contact_no, salesperson_code and team_code",
            )
        with self._uow_factory() as uow:
            if contact_no is not None:
                contact = uow.contacts.get(_contact_no(contact_no))
                where = contact_task_filter(
                    company_no=contact.company_no,
                    lookup_contact_no=contact.lookup_contact_no,
                )
            elif salesperson_code is not None:
                where = salesperson_task_filter(salesperson_code)
                uow.salespeople.get(SalespersonCode(str(where.salesperson_code)))
            else:
                where = team_task_filter(str(team_code))
                uow.teams.get(Code(str(where.team_code)))
            return uow.tasks.next_task_date(where)

    # --- the state machine (§7.2, §7.4) ---------------------------------------------

    def close(self, no: str, *, completed_by: str | None = None) -> Task:
        """Close a task (Closed = true, §7.2); a recurring one gets its successor (§7.4).

        Date Closed is the work date. The next occurrence of a recurring task is
        stored in the same unit of work, with its sub-tasks and a copy of the
        attendees; a task produces one successor at most, however often it is
        closed. Closing a closed task changes nothing.

        Args:
            no: The task.
            completed_by: The salesperson who completed it; needed for a team task.

        Returns:
            The closed task (``successor_no`` names the next occurrence).

        Raises:
            NotFoundError: No such task or Completed By salesperson.
            TaskRuleError: A team task without Completed By, or a sub-task.
        """
        return self._change(no, self._closing(completed_by, TaskStatus.COMPLETED))

    def change_status(
        self,
        no: str,
        status: TaskStatus | str,
        *,
        completed_by: str | None = None,
    ) -> Task:
        """Set the Status: Completed closes the task, any other reopens it (§7.2).

        Raises:
            NotFoundError: No such task or Completed By salesperson.
            ValidationError: An unknown status.
            TaskRuleError: Completed for a team task without Completed By, or a
                sub-task.
        """
        return self._change(no, self._closing(completed_by, status))

    def _closing(self, completed_by: str | None, status: TaskStatus | str) -> Operation:
        today = self._clock.workdate()

        def operation(
            uow: UnitOfWork, task: Task, draw: Callable[[], str]
        ) -> Task | None:
            if completed_by is not None:
                uow.salespeople.get(_salesperson_code(completed_by, "completed_by"))
            return task.change_status(
                status, today=today, completed_by=completed_by, new_no=draw
            )

        return operation

    def reopen(self, no: str) -> Task:
        """Reopen a closed task (Closed = false, §7.2); its successor stays recorded.

        Raises:
            NotFoundError: No such task.
            TaskRuleError: A sub-task.
        """
        return self._change(no, lambda _, task, __: task.reopen())

    def cancel(self, no: str) -> Task:
        """Cancel a task (Canceled = true, §7.2): it closes without a successor.

        Raises:
            NotFoundError: No such task.
            TaskRuleError: A sub-task.
        """
        today = self._clock.workdate()
        return self._change(no, lambda _, task, __: task.cancel(today=today))

    def uncancel(self, no: str) -> Task:
        """Clear Canceled, which reopens the task (§7.2).

        Raises:
            NotFoundError: No such task.
            TaskRuleError: A sub-task.
        """
        return self._change(no, lambda _, task, __: task.uncancel())

    def reschedule(
        self,
        no: str,
        *,
        date: dt.date | None = None,
        start_time: dt.time | None = None,
        duration: dt.timedelta | None = None,
    ) -> Task:
        """Move a task or change its duration; sub-tasks move with it (§7.3).

        Raises:
            NotFoundError: No such task.
            ValidationError: A date, time or duration BC refuses.
            TaskRuleError: A sub-task.
        """
        return self._change(
            no,
            lambda _, task, __: task.reschedule(
                date=date, start_time=start_time, duration=duration
            ),
        )

    def edit(self, no: str, **changes: object) -> Task:
        """Change plain fields of a task (priority, description, location ...; §7.1).

        Raises:
            NotFoundError: No such task.
            ValidationError: A field that is not plain, or a refused value.
            TaskRuleError: A sub-task.
        """
        return self._change(no, lambda _, task, __: task.edit(**changes))

    def delete(self, no: str) -> None:
        """Delete a canceled task with its sub-tasks and attendees (§7.1, §7.5).

        As BC's *Delete Tasks*: only a canceled Organizer or Team task without a
        team, or the team task itself, is deleted (the team members' sub-tasks go
        with their team task).

        Raises:
            NotFoundError: No such task.
            TaskRuleError: The task is not one *Delete Tasks* deletes.
        """
        key = _task_no(no)
        with self._uow_factory() as uow:
            task = uow.tasks.get(key)
            if not is_deletable(task):
                raise TaskRuleError(task.no, _NOT_DELETABLE)
            for subtask in subtasks_of(
                task, uow.tasks.find(TaskFilter(organizer_task_no=key))
            ):
                uow.tasks.remove(subtask.no)
            uow.tasks.remove(key)
            uow.commit()

    # --- activities (§7.6) -----------------------------------------------------------

    def create_activity(
        self, code: str, *, description: str = "", steps: Iterable[ActivityStep] = ()
    ) -> Activity:
        """Create an activity (a task template, §7.6).

        Raises:
            ValidationError: A refused value, or a step number used twice.
            AlreadyExistsError: The code is taken.
        """
        activity = Activity(code=code, description=description, steps=tuple(steps))
        with self._uow_factory() as uow:
            uow.activities.add(activity)
            uow.commit()
        return activity

    def get_activity(self, code: str) -> Activity:
        """Return the activity ``code`` with its steps.

        Raises:
            NotFoundError: No such activity.
        """
        key = _activity_code(code)
        with self._uow_factory() as uow:
            return uow.activities.get(key)

    def activities(self) -> builtins.list[Activity]:
        """Return every activity, ordered by code."""
        with self._uow_factory() as uow:
            return uow.activities.find_all()

    def add_activity_step(
        self, code: str, *, step_no: int | None = None, **fields: object
    ) -> Activity:
        """Add a step to an activity (table Activity Step, §7.6).

        Args:
            code: The activity.
            step_no: The step's number; by default 10000 after the last one.
            **fields: ``type``, ``description``, ``priority``, ``date_formula``.

        Raises:
            NotFoundError: No such activity.
            ValidationError: A refused value, or the step number is used.
        """
        key = _activity_code(code)
        with self._uow_factory() as uow:
            activity = uow.activities.get(key)
            if step_no is None:
                last = activity.steps[-1].step_no if activity.steps else 0
                step_no = last + _STEP_NO_STEP
            step = ActivityStep(step_no=step_no, **fields)  # type: ignore[arg-type]
            changed = attrs.evolve(activity, steps=(*activity.steps, step))
            uow.activities.update(changed)
            uow.commit()
        return changed

    def remove_activity_step(self, code: str, step_no: int) -> Activity:
        """Remove a step from an activity.

        Raises:
            NotFoundError: No such activity or step.
        """
        key = _activity_code(code)
        with self._uow_factory() as uow:
            activity = uow.activities.get(key)
            kept = tuple(s for s in activity.steps if s.step_no != step_no)
            if len(kept) == len(activity.steps):
                raise NotFoundError("activity step", (key, step_no))
            changed = attrs.evolve(activity, steps=kept)
            uow.activities.update(changed)
            uow.commit()
        return changed

    def delete_activity(self, code: str) -> None:
        """Delete an activity and its steps.

        Raises:
            NotFoundError: No such activity.
        """
        key = _activity_code(code)
        with self._uow_factory() as uow:
            uow.activities.remove(key)
            uow.commit()

    def assign_activity(
        self,
        activity_code: str,
        *,
        base_task_no: str | None = None,
        meeting_organizer: str | None = None,
        **base_fields: object,
    ) -> builtins.list[Task]:
        """Create one task per step of an activity from a base task (§7.6).

        The base task is a stored task (``base_task_no``) or is built from
        ``base_fields`` as :meth:`create` builds one (it is not stored). Every new
        task copies it, takes Type, Priority and Description from its step and is
        dated ``calc_date(step formula, base date)``. Meeting steps become all-day
        meetings with the Interaction Template Setup's Meeting Invitation template;
        the base task's contact becomes their attendee. Each task gets its
        sub-tasks as :meth:`create` gives them.

        Args:
            activity_code: The activity.
            base_task_no: A stored task to copy.
            meeting_organizer: The Meeting Organizer of a team base task whose
                activity has meeting steps.
            **base_fields: The base task's fields, when no ``base_task_no``.

        Returns:
            The new tasks, in step order.

        Raises:
            NotFoundError: No such activity, task, salesperson, team or contact.
            ValidationError: Both a base task and base fields, or a refused value.
            TaskRuleError: A team base task, meeting steps and no meeting organizer.
        """
        key = _activity_code(activity_code)
        with self._uow_factory() as uow:
            activity = uow.activities.get(key)
            if base_task_no is not None:
                if base_fields:
                    raise ValidationError(
                        "base_fields",
                        sorted(base_fields),
                        "give a base task or its fields, not both",
                    )
                base = uow.tasks.get(_task_no(base_task_no))
            else:
                base = self._draft(uow, base_fields)
            if meeting_organizer is not None:
                self._check_salesperson(uow, meeting_organizer, "meeting_organizer")
            created = self.assign_activity_in(
                uow, activity, base, meeting_organizer=meeting_organizer
            )
            uow.commit()
        return created

    # --- for other services, inside their unit of work --------------------------------

    def assign_activity_in(
        self,
        uow: UnitOfWork,
        activity: Activity,
        base: Task,
        *,
        meeting_organizer: str | None = None,
    ) -> builtins.list[Task]:
        """Store one task per step of ``activity`` from ``base`` in ``uow`` (§7.6).

        What :meth:`assign_activity` does, inside another use case's unit of work
        (a sales cycle stage's activity when an opportunity moves, §5.6). The
        caller commits.
        """
        draw = self._numbers(uow)
        invitation = uow.interaction_template_setup.get().template_for(
            DocumentKind.MEETING_INVITATIONS
        )
        created = plan_activity(
            activity,
            base,
            numbers=draw,
            meeting_organizer=meeting_organizer,
            meeting_invitation_template=invitation,
        )
        for task in created:
            self._insert(
                uow,
                task,
                draw,
                meeting_organizer=meeting_organizer,
                attendee_contact_no=base.contact_no,
            )
        return created

    def follow_opportunity_in(
        self,
        uow: UnitOfWork,
        opportunity_no: str,
        *,
        salesperson: tuple[str | None, str | None] | None = None,
        campaign: tuple[str | None, str | None] | None = None,
    ) -> builtins.list[Task]:
        """Give an opportunity's open tasks its new salesperson or campaign, in ``uow``.

        §5.4: when the opportunity's Salesperson Code or Campaign No. changes, BC
        offers to change it "on the related open tasks with the same" value. Each
        pair is (old, new); only open main tasks holding the old value change, and
        their sub-tasks follow. A meeting keeps its organizer (§7.5) and a team
        task its team. The caller commits.

        Returns:
            The tasks changed.
        """
        changed: builtins.list[Task] = []
        for task in uow.tasks.find(TaskFilter(opportunity_no=opportunity_no)):
            if _is_subtask(task) or task.closed or task.canceled:
                continue
            touched = False
            if (
                salesperson is not None
                and salesperson[1] is not None
                and task.team_code is None
                and task.type is not TaskType.MEETING
                and task.salesperson_code == salesperson[0]
            ):
                task.assign_to_salesperson(salesperson[1])
                touched = True
            if campaign is not None and task.campaign_no == campaign[0]:
                task.edit(campaign_no=campaign[1])
                touched = True
            if touched:
                uow.tasks.update(task)
                self._propagate(uow, task)
                changed.append(task)
        return changed

    def cancel_opportunity_tasks_in(
        self, uow: UnitOfWork, opportunity_no: str
    ) -> builtins.list[Task]:
        """Cancel the open tasks of an opportunity in ``uow`` (BC's ``CancelOpenTasks``).

        The main tasks are canceled without recurrence (:func:`cancel_open_tasks`)
        and their sub-tasks follow; the caller commits.
        """
        main = [
            task
            for task in uow.tasks.find(TaskFilter(opportunity_no=opportunity_no))
            if not _is_subtask(task)
        ]
        canceled = cancel_open_tasks(main, today=self._clock.workdate())
        for task in canceled:
            uow.tasks.update(task)
            self._propagate(uow, task)
        return canceled

    def create_for_contacts_in(
        self,
        uow: UnitOfWork,
        contact_nos: Sequence[str],
        *,
        meeting_organizer: str | None = None,
        **fields: object,
    ) -> builtins.list[Task]:
        """Store a task for several contacts in ``uow``, as BC does for a segment (§7.5).

        BC's ``InsertTaskAndRelatedData`` for a task with a Segment No.: a task that
        is not a meeting is stored once per contact (in the given order, a contact
        given twice gets two), each an Organizer task (a Team task with a team)
        with that contact and the sub-tasks :meth:`create` gives it (its Contact
        Attendee sub-task, the team members' Organizer sub-tasks); a meeting is one
        meeting whose attendees are its organizer (and team members) and then
        every contact, invited when it has an e-mail address. Each contact must
        exist and must not be privacy blocked (§2.15). The caller commits.

        Args:
            uow: The unit of work of the calling use case.
            contact_nos: The contacts, in order.
            meeting_organizer: The Team Meeting Organizer of a team meeting.
            **fields: As :meth:`create` takes them, without ``contact_no``.

        Returns:
            The main tasks: one per contact, or the one meeting.

        Raises:
            NotFoundError: No such contact, salesperson, team or template.
            PrivacyBlockedError: A contact is privacy blocked.
            SalespersonBlockedError: The salesperson is blocked (§8).
            TaskRuleError: Neither salesperson nor team, or a rule of the
                attendees (§7.5).
            ValidationError: A refused value, or ``contact_no`` given.
        """
        if "contact_no" in fields:
            raise ValidationError(
                "contact_no", fields["contact_no"], "give the contacts as contact_nos"
            )
        draft = self._draft(uow, fields)
        if meeting_organizer is not None:
            self._check_salesperson(uow, meeting_organizer, "meeting_organizer")
        wanted = [_contact_no(no) for no in contact_nos]
        found = uow.contacts.get_many(set(wanted))
        for no in wanted:
            if no not in found:
                raise NotFoundError("contact", no)
            ensure_usable(found[no], "task")
        draw = self._numbers(uow)
        if draft.type is TaskType.MEETING:
            number = draw()
            meeting = attrs.evolve(draft, no=number, organizer_task_no=number)
            members = (
                ()
                if meeting.team_code is None
                else uow.teams.get(meeting.team_code).members
            )
            organizers = self._default_attendees(
                uow, meeting, meeting_organizer, members, None
            )
            attendees = contact_attendees(
                organizers, [(no, bool(found[no].email)) for no in wanted]
            )
            self._insert(
                uow,
                meeting,
                draw,
                meeting_organizer=meeting_organizer,
                attendees=attendees,
            )
            return [meeting]
        created: builtins.list[Task] = []
        for no in wanted:
            # numbered one by one, so each task's sub-tasks follow it (BC's order)
            (task,) = plan_segment_tasks(
                draft,
                [no],
                numbers=draw,
                contact_companies={no: found[no].company_no},
            )
            self._insert(uow, task, draw)
            created.append(task)
        return created
