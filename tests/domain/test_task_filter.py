"""TaskFilter and the Next Task Date FlowFields (§2.2, §8), the reference storage matches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.tasks import (
    SystemTaskType,
    Task,
    TaskFilter,
    contact_task_filter,
    next_task_date_of,
    salesperson_task_filter,
    team_task_filter,
)
from relationship_mgmt.errors import ValidationError

DAY = dt.date(2026, 3, 2)


def _task(no: str = "T1", **fields: Any) -> Task:
    values: dict[str, Any] = {"salesperson_code": "JO", "date": DAY, **fields}
    return Task(no=no, **values)


def test_fields_are_normalised_and_blank_company_is_kept_apart() -> None:
    where = TaskFilter(
        salesperson_code=" jo ",
        team_code="sales",
        contact_company_no="",
        organizer_task_no="td1",
        system_task_types=["Team", SystemTaskType.ORGANIZER],
    )

    assert (where.salesperson_code, where.team_code, where.organizer_task_no) == (
        "JO",
        "SALES",
        "TD1",
    )
    assert where.contact_company_no == ""
    assert where.system_task_types == frozenset(
        {SystemTaskType.TEAM, SystemTaskType.ORGANIZER}
    )
    assert TaskFilter().system_task_types is None


@pytest.mark.parametrize(
    "bad",
    [
        {"system_task_types": "Team"},
        {"system_task_types": 3},
        {"system_task_types": ["Boss"]},
        {"closed": "yes"},
        {"canceled": 1},
        {"starting": dt.datetime(2026, 3, 2, tzinfo=dt.UTC)},
        {"ending": "2026-03-02"},
        {"contact_company_no": "X" * 21},
    ],
)
def test_refused_values(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TaskFilter(**bad)


def test_an_empty_filter_selects_every_task() -> None:
    assert TaskFilter().selects(_task())


@pytest.mark.parametrize(
    ("fields", "where", "selected"),
    [
        ({"contact_no": "CT2"}, {"contact_no": "CT2"}, True),
        ({"contact_no": "CT2"}, {"contact_no": "CT3"}, False),
        ({"contact_company_no": "CT1"}, {"contact_company_no": "CT1"}, True),
        ({"contact_company_no": "CT1"}, {"contact_company_no": ""}, False),
        ({}, {"contact_company_no": ""}, True),
        ({"team_code": "SALES"}, {"team_code": "SALES"}, True),
        ({}, {"team_code": "SALES"}, False),
        ({"opportunity_no": "OP1"}, {"opportunity_no": "OP1"}, True),
        ({"campaign_no": "CP1"}, {"campaign_no": "CP2"}, False),
        ({"segment_no": "SM1"}, {"segment_no": "SM1"}, True),
        ({}, {"closed": True}, False),
        ({}, {"canceled": False}, True),
        ({}, {"system_task_types": []}, False),
        ({}, {"starting": DAY, "ending": DAY}, True),
        ({}, {"starting": DAY + dt.timedelta(days=1)}, False),
        ({}, {"ending": DAY - dt.timedelta(days=1)}, False),
    ],
)
def test_selects_checks_every_field(
    fields: dict[str, Any], where: dict[str, Any], *, selected: bool
) -> None:
    assert TaskFilter(**where).selects(_task(**fields)) is selected


def test_s2_2_a_contacts_filter_is_bcs_flowfield() -> None:
    """Contact Company No., LC, Closed = false, Organizer|Contact Attendee."""
    company = contact_task_filter(company_no="CT1", lookup_contact_no=None)
    lone = contact_task_filter(company_no=None, lookup_contact_no="CT9")
    attendee = _task(
        contact_no="CT2",
        contact_company_no="CT1",
        system_task_type="Contact Attendee",
        organizer_task_no="T0",
    )
    salesperson_side = _task(
        contact_no="CT2",
        contact_company_no="CT1",
        system_task_type="Salesperson Attendee",
        organizer_task_no="T0",
    )

    assert company.selects(attendee)
    assert not company.selects(salesperson_side)
    assert (lone.contact_company_no, lone.contact_no) == ("", "CT9")
    assert lone.selects(_task(contact_no="CT9"))


def test_s8_salesperson_and_team_filters() -> None:
    team_task = _task(team_code="SALES", salesperson_code=None)
    member_task = _task(
        team_code="SALES", system_task_type="Organizer", organizer_task_no="T0"
    )

    assert team_task_filter("sales").selects(team_task)
    assert not team_task_filter("sales").selects(member_task)
    assert salesperson_task_filter("jo").selects(member_task)
    with pytest.raises(ValidationError):
        team_task_filter(" ")
    with pytest.raises(ValidationError):
        salesperson_task_filter("")


@given(
    dates=st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), max_size=8),
    closed=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_next_task_date_is_the_minimum_of_the_open_ones(
    dates: list[dt.date], closed: list[bool]
) -> None:
    tasks = [
        _task(
            f"T{i}",
            date=day,
            closed=shut,
            status="Completed" if shut else "Not Started",
            date_closed=day if shut else None,
        )
        for i, (day, shut) in enumerate(zip(dates, closed, strict=False))
    ]
    open_dates = [t.date for t in tasks if not t.closed]

    found = next_task_date_of(tasks, salesperson_task_filter("JO"))

    assert found == min(open_dates, default=None)
