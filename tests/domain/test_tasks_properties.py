"""Properties of tasks: the §7.2 state machine, §7.4 recurrence and §7.6 activities."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from relationship_mgmt.domain.dateformula import DateFormula, Term, Unit, calc_date
from relationship_mgmt.domain.tasks import (
    Activity,
    ActivityStep,
    CalcDueDateFrom,
    Task,
    TaskStatus,
    TaskType,
    cancel_open_tasks,
    plan_activity,
)
from relationship_mgmt.errors import DomainError

START = date(2024, 3, 4)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
statuses = st.sampled_from(list(TaskStatus))


class TaskLifecycle(RuleBasedStateMachine):
    """Random close/reopen/cancel/uncancel/status sequences on one recurring task."""

    def __init__(self) -> None:
        super().__init__()
        self.task = Task(
            no="TD1",
            team_code="SALES",
            date=START,
            recurring=True,
            recurring_date_interval="1W",
            calc_due_date_from=CalcDueDateFrom.CLOSING_DATE,
        )
        self.successors: list[Task] = []
        self.issued = 0

    def _number(self) -> str:
        self.issued += 1
        return f"TD{self.issued + 1}"

    def _keep(self, successor: Task | None) -> None:
        if successor is not None:
            self.successors.append(successor)

    @rule(today=days, completed_by=st.sampled_from([None, "JS"]))
    def close(self, today: date, completed_by: str | None) -> None:
        with contextlib.suppress(DomainError):  # a team task without Completed By
            self._keep(
                self.task.close(
                    today=today, completed_by=completed_by, new_no=self._number
                )
            )

    @rule()
    def reopen(self) -> None:
        self.task.reopen()

    @rule(today=days)
    def cancel(self, today: date) -> None:
        self.task.cancel(today=today)

    @rule()
    def uncancel(self) -> None:
        self.task.uncancel()

    @rule(status=statuses, today=days, completed_by=st.sampled_from([None, "JS"]))
    def change_status(
        self, status: TaskStatus, today: date, completed_by: str | None
    ) -> None:
        with contextlib.suppress(DomainError):
            self._keep(
                self.task.change_status(
                    status, today=today, completed_by=completed_by, new_no=self._number
                )
            )

    @rule(today=days)
    def cancel_open(self, today: date) -> None:
        cancel_open_tasks([self.task], today=today)

    @rule()
    def recur_again(self) -> None:
        self.task.make_recurring("1W", calc_due_date_from=CalcDueDateFrom.DUE_DATE)

    @invariant()
    def at_most_one_successor(self) -> None:
        # §7.4 plus the library's guard: one closed task, at most one successor,
        # and no number drawn without a successor.
        assert len(self.successors) <= 1
        assert self.issued == len(self.successors)
        if self.successors:
            assert self.task.successor_no == self.successors[0].no
        else:
            assert self.task.successor_no is None

    @invariant()
    def status_and_closed_agree(self) -> None:
        # §7.2: Completed <=> Closed (canceled tasks too); Canceled => Closed; Date
        # Closed while closed; no Completed By while open.
        task = self.task
        assert (task.status is TaskStatus.COMPLETED) == task.closed
        assert not task.canceled or task.closed
        assert (task.date_closed is not None) == task.closed
        assert task.closed or task.completed_by is None

    @invariant()
    def successors_are_open_and_fresh(self) -> None:
        for successor in self.successors:
            assert successor.status is TaskStatus.NOT_STARTED
            assert not successor.closed
            assert successor.successor_no is None


TestTaskLifecycle = TaskLifecycle.TestCase


relative_terms = st.builds(
    Term.relative,
    st.integers(min_value=0, max_value=60),
    st.sampled_from([Unit.DAY, Unit.WEEK, Unit.MONTH, Unit.QUARTER]),
    sign=st.sampled_from([1, -1]),
)
current_terms = st.builds(
    Term.current,
    st.sampled_from([Unit.DAY, Unit.WEEK, Unit.MONTH, Unit.QUARTER, Unit.YEAR]),
    sign=st.sampled_from([1, -1]),
)
formulas = st.lists(st.one_of(relative_terms, current_terms), max_size=3).map(
    lambda terms: DateFormula(tuple(terms))
)
steps = st.lists(
    st.tuples(st.sampled_from([TaskType.BLANK, TaskType.PHONE_CALL]), formulas),
    min_size=1,
    max_size=6,
)


@given(base_date=days, plan=steps)
def test_activity_step_dates_are_calc_date_of_the_base(
    base_date: date, plan: list[tuple[TaskType, DateFormula]]
) -> None:
    # §7.6: Date = calc_date(step formula, D) for every step, never chained.
    activity = Activity(
        code="PROP",
        steps=[
            ActivityStep(step_no=index + 1, type=kind, date_formula=formula)
            for index, (kind, formula) in enumerate(plan)
        ],
    )
    base = Task(salesperson_code="JS", date=base_date)

    tasks = plan_activity(activity, base, numbers=(f"TD{i}" for i in range(1, 100)))

    assert [task.date for task in tasks] == [
        calc_date(formula, base_date) for _, formula in plan
    ]
    assert [task.type for task in tasks] == [kind for kind, _ in plan]
    assert len({task.no for task in tasks}) == len(tasks)


@given(
    due=days,
    today=days,
    weeks=st.integers(min_value=1, max_value=8),
    calc_from=st.sampled_from([CalcDueDateFrom.DUE_DATE, CalcDueDateFrom.CLOSING_DATE]),
)
def test_the_successor_date_follows_calc_due_date_from(
    due: date, today: date, weeks: int, calc_from: CalcDueDateFrom
) -> None:
    # §7.4: calc_date(interval, old Date) or calc_date(interval, TODAY).
    task = Task(
        no="TD1",
        salesperson_code="JS",
        date=due,
        duration=timedelta(hours=1),
        recurring=True,
        recurring_date_interval=f"{weeks}W",
        calc_due_date_from=calc_from,
    )

    successor = task.close(today=today, new_no="TD2")

    assert successor is not None
    base = due if calc_from is CalcDueDateFrom.DUE_DATE else today
    assert successor.date == base + timedelta(weeks=weeks)
    assert successor.duration == task.duration
    assert successor.end_datetime - successor.start_datetime == (
        task.end_datetime - task.start_datetime
    )
