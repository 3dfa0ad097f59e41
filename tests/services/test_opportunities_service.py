# mypy: disable-error-code="comparison-overlap"
"""crm.sales_cycles and crm.opportunities through storage (§5).

Every rule runs on the in-memory workspace and on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

import relationship_mgmt as rm
from relationship_mgmt.domain.contacts import LinkToTable
from relationship_mgmt.domain.opportunities import ActionTaken, ActionType
from relationship_mgmt.testing import FrozenClock

MONDAY = dt.date(2024, 3, 4)


def _stages() -> list[rm.SalesCycleStage]:
    """The cycle NEW of §5.10."""
    return [
        rm.SalesCycleStage(stage=1, description="Initial", completed_pct=10,
                           chances_of_success_pct=25, date_formula="1W",
                           activity_code="INIT"),
        rm.SalesCycleStage(stage=2, description="Presentation", completed_pct=25,
                           chances_of_success_pct=50, date_formula="2W",
                           allow_skip=True),
        rm.SalesCycleStage(stage=3, description="Proposal", completed_pct=60,
                           chances_of_success_pct=60, date_formula="2W",
                           allow_skip=True, quote_required=True),
        rm.SalesCycleStage(stage=4, description="Sign contract", completed_pct=90,
                           chances_of_success_pct=80, date_formula="1W"),
    ]  # fmt: skip


class World:
    """A workspace with the §5.10 cycle, a salesperson, a company and its person."""

    def __init__(self, crm: rm.Crm, clock: FrozenClock) -> None:
        self.crm, self.clock = crm, clock
        crm.setup.use_default_number_series()
        crm.setup.add_records(
            [
                rm.BusinessRelation(code="CUST"),
                rm.CloseOpportunityCode(code="WON", type="Won"),
                rm.CloseOpportunityCode(code="PRICE", type="Lost"),
            ]
        )
        crm.setup.change(bus_rel_code_for_customers="CUST")
        crm.salespeople.create("ps", name="Peter Saddow")
        crm.salespeople.create("jo", name="Jo Smith")
        crm.tasks.create_activity(
            "INIT",
            steps=[rm.ActivityStep(step_no=1, type="Phone Call", date_formula="1D")],
        )
        crm.sales_cycles.create("NEW", stages=_stages(), description="New business")
        self.company = crm.contacts.create_company(name="Cronus", salesperson_code="ps")
        self.person = crm.contacts.create_person(name="Ann Lee")
        crm.contacts.link_to_company(self.person.no, self.company.no)

    def campaign(self, no: str, **fields: object) -> None:
        """An activated campaign (§6.3): a segment line targets the company."""
        self.crm.campaigns.create(no=no, **fields)
        segment = self.crm.segments.create(campaign_no=no, campaign_target=True)
        self.crm.segments.add_line(segment.no, self.company.no)
        self.crm.campaigns.activate(no, force=True)

    def started(self, **fields: object) -> str:
        """An opportunity of the company at stage 1 on 2024-03-04 (§5.10 step 1)."""
        values: dict[str, object] = {
            "contact_no": self.company.no,
            "description": "Furniture",
            "sales_cycle_code": "NEW",
            **fields,
        }
        return self.crm.opportunities.create(
            activate_first_stage=True,
            estimated_value=10000,
            chances_of_success_pct=40,
            estimated_close_date=dt.date(2024, 4, 30),
            **values,  # type: ignore[arg-type]
        ).no

    def advance(self, days: int) -> None:
        self.clock.advance(dt.timedelta(days=days))

    def open_tasks(self, no: str) -> list[rm.TaskNo]:
        return [
            t.no
            for t in self.crm.tasks.list(opportunity_no=no)
            if not t.closed and t.system_task_type.value == "Organizer"
        ]


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    clock = FrozenClock(dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC))
    url = None if request.param == "memory" else "sqlite://"
    with rm.open(url, clock=clock) as crm:
        yield World(crm, clock)


# --- creating (§5.8) -------------------------------------------------------------------


def test_create_takes_the_contacts_salesperson_and_the_default_cycle(
    world: World,
) -> None:
    """§5.8: Salesperson from the contact; Sales Cycle from the setup's default."""
    world.crm.setup.change(default_sales_cycle_code="NEW")
    opp = world.crm.opportunities.create(
        contact_no=world.company.no, description="Desk"
    )
    assert (opp.no, opp.salesperson_code, opp.sales_cycle_code) == (
        "OP000001",
        "PS",
        "NEW",
    )
    assert (opp.contact_company_no, opp.creation_date) == (world.company.no, MONDAY)
    assert world.crm.opportunities.get(opp.no).status.value == "Not Started"
    assert world.crm.opportunities.entries(opp.no) == []


def test_create_requires_description_cycle_and_salesperson(world: World) -> None:
    """§5.8 CheckStatus: Description, Salesperson and Sales Cycle Code are required."""
    with pytest.raises(rm.ValidationError) as missing:
        world.crm.opportunities.create(contact_no=world.company.no, description="X")
    assert missing.value.field == "sales_cycle_code"
    with pytest.raises(rm.ValidationError) as nobody_to_sell_to:
        world.crm.opportunities.create(
            description="X", sales_cycle_code="NEW", salesperson_code="ps"
        )
    assert nobody_to_sell_to.value.field == "contact_no"
    with pytest.raises(rm.ValidationError) as blank:
        world.crm.opportunities.create(
            contact_no=world.company.no, sales_cycle_code="NEW"
        )
    assert blank.value.field == "description"
    loner = world.crm.contacts.create_person(name="Lone Ranger")
    with pytest.raises(rm.ValidationError) as nobody:
        world.crm.opportunities.create(
            contact_no=loner.no, description="X", sales_cycle_code="NEW"
        )
    assert nobody.value.field == "salesperson_code"
    with pytest.raises(rm.ValidationError):
        world.crm.opportunities.create(
            contact_no=world.company.no,
            description="X",
            sales_cycle_code="NEW",
            status="Won",
        )


def test_a_blocked_default_cycle_is_not_used(world: World) -> None:
    """§5.8: the default applies only when it exists and is not blocked."""
    world.crm.sales_cycles.create(
        "OLD", blocked=True, stages=[rm.SalesCycleStage(stage=1)]
    )
    world.crm.setup.change(default_sales_cycle_code="OLD")
    with pytest.raises(rm.ValidationError) as error:
        world.crm.opportunities.create(contact_no=world.company.no, description="X")
    assert error.value.field == "sales_cycle_code"
    with pytest.raises(rm.ValidationError):  # §5.4: a blocked cycle is refused
        world.crm.opportunities.create(
            contact_no=world.company.no, description="X", sales_cycle_code="OLD"
        )


def test_privacy_and_blocked_salespeople_are_refused(world: World) -> None:
    """§5.8, §2.15, §8: no opportunity for a privacy-blocked contact or salesperson."""
    world.crm.salespeople.create("bo", name="Bo", blocked=True)
    with pytest.raises(rm.SalespersonBlockedError):
        world.started(salesperson_code="bo")
    world.crm.contacts.block_privacy(world.company.no)
    with pytest.raises(rm.PrivacyBlockedError):
        world.started()


def test_activation_checks_the_wizard_values(world: World) -> None:
    """§5.8: value and chances > 0, closing date set and not before the work date."""
    with pytest.raises(rm.ValidationError) as error:
        world.crm.opportunities.create(
            contact_no=world.company.no,
            description="X",
            sales_cycle_code="NEW",
            activate_first_stage=True,
            estimated_value=0,
            chances_of_success_pct=40,
            estimated_close_date=dt.date(2024, 4, 30),
        )
    assert error.value.field == "estimated_value"
    with pytest.raises(rm.ValidationError) as early:
        world.crm.opportunities.create(
            contact_no=world.company.no,
            description="X",
            sales_cycle_code="NEW",
            activate_first_stage=True,
            estimated_value=5,
            chances_of_success_pct=40,
            estimated_close_date=dt.date(2024, 3, 1),
        )
    assert early.value.field == "estimated_close_date"
    assert world.crm.opportunities.list() == []  # nothing stored


def test_a_campaign_must_hold_the_creation_date(world: World) -> None:
    """§5.4 Campaign No.: the Creation Date lies within Starting..Ending Date."""
    world.campaign(
        "CP1", starting_date=dt.date(2024, 4, 1), ending_date=dt.date(2024, 4, 30)
    )
    with pytest.raises(rm.ValidationError) as error:
        world.started(campaign_no="CP1")
    assert error.value.field == "campaign_no"
    no = world.started(campaign_no="CP1", creation_date=dt.date(2024, 4, 2))
    assert world.crm.opportunities.get(no).campaign_no == "CP1"


def test_a_campaign_must_be_activated(world: World) -> None:
    """§5.4 CheckCampaign: Campaign.TestField(Activated, true) (§6.3)."""
    world.crm.campaigns.create(no="CP2")
    with pytest.raises(rm.ValidationError, match="Activated must be equal to 'Yes'"):
        world.started(campaign_no="CP2")
    no = world.started()
    with pytest.raises(rm.ValidationError, match="Activated"):
        world.crm.opportunities.change(no, campaign_no="CP2")
    world.campaign("CP3")
    world.crm.opportunities.change(no, campaign_no="CP3")
    assert world.crm.opportunities.get(no).campaign_no == "CP3"


# --- stage moves (§5.6) and the worked example (§5.10) -------------------------------


def test_the_worked_example_of_5_10_number_for_number(world: World) -> None:
    """§5.10 through the service: entries, days open, tasks, close and the customer."""
    ops = world.crm.opportunities
    no = world.started()
    first = ops.active_entry(no)
    assert first is not None
    assert (first.sales_cycle_stage, first.action_taken, first.chances_of_success_pct,
            first.completed_pct, first.probability_pct, first.calcd_current_value,
            first.estimated_close_date) == (
        1, ActionTaken.BLANK, 40, 10, 4, 400, dt.date(2024, 4, 30))  # fmt: skip
    tasks = world.crm.tasks.list(opportunity_no=no)
    assert {(t.date, t.opportunity_entry_no) for t in tasks} == {
        (dt.date(2024, 3, 5), first.entry_no)
    }
    world.advance(7)
    options = ops.stage_options(no)
    assert options.default_action is ActionType.NEXT
    assert options.candidates[ActionType.SKIP] == (2, 3, 4)
    assert options.candidates[ActionType.JUMP] == ()
    second = ops.next_stage(no)
    assert (second.chances_of_success_pct, second.probability_pct,
            second.calcd_current_value, second.estimated_close_date) == (
        50, Decimal("12.5"), 1250, dt.date(2024, 4, 30))  # fmt: skip
    assert ops.entries(no)[0].days_open == 7
    world.advance(7)
    assert ops.stage_options(no).candidates[ActionType.SKIP] == (3, 4)
    third = ops.skip_to(no, 4)
    assert (third.action_taken, third.chances_of_success_pct, third.probability_pct,
            third.calcd_current_value) == (ActionTaken.JUMPED, 80, 72, 7200)  # fmt: skip
    world.advance(7)
    won = ops.close_won(no, code="WON", sales_lcy=9500)
    assert (won.calcd_current_value, won.completed_pct, won.chances_of_success_pct,
            won.probability_pct, won.date_closed) == (
        9500, 100, 100, 100, dt.date(2024, 3, 25))  # fmt: skip
    opp = ops.get(no)
    assert (opp.status.value, opp.closed, opp.date_closed) == (
        "Won",
        True,
        dt.date(2024, 3, 25),
    )
    assert world.crm.contacts.business_relation(world.company.no).value == "Customer"
    assert world.open_tasks(no) == []  # Cancel Old Task defaults to true on close


def test_quote_required_is_checked_on_the_target_of_next_and_skip(world: World) -> None:
    """§5.6 CheckStatus2 step 4 and §5.10 step 3: only the target stage's flag."""
    ops = world.crm.opportunities
    no = world.started()
    ops.next_stage(no)
    with pytest.raises(rm.ValidationError) as error:
        ops.skip_to(no, 3)
    assert error.value.field == "sales_document_no"
    with pytest.raises(rm.ValidationError):
        ops.next_stage(no)
    ops.change(no, sales_document_type="Quote", sales_document_no="SQ1001")
    entry = ops.next_stage(no)  # the opportunity's quote counts
    assert (entry.sales_cycle_stage, entry.action_taken) == (3, ActionTaken.NEXT)


def test_previous_jump_and_update(world: World) -> None:
    """§5.6: Previous, Jump back (default the last candidate) and Update in place."""
    ops = world.crm.opportunities
    no = world.started()
    ops.next_stage(no)
    ops.skip_to(no, 4)
    back = ops.jump_to(no)
    assert (back.sales_cycle_stage, back.action_taken) == (3, ActionTaken.PREVIOUS)
    earliest = ops.jump_to(no, 1)
    assert (earliest.sales_cycle_stage, earliest.action_taken, earliest.chances_of_success_pct) == (
        1, ActionTaken.JUMPED, 25)  # fmt: skip
    tasks_before = len(world.crm.tasks.list(opportunity_no=no))
    same = ops.update(no, estimated_value=20000, chances_of_success_pct=30)
    assert (same.sales_cycle_stage, same.action_taken, same.calcd_current_value) == (
        1, ActionTaken.UPDATED, 600)  # fmt: skip
    assert len(world.crm.tasks.list(opportunity_no=no)) == tasks_before  # no new tasks
    with pytest.raises(rm.InvalidTransitionError):
        ops.previous_stage(no)  # no stage before 1
    ops.next_stage(no)
    assert ops.previous_stage(no).sales_cycle_stage == 1
    with pytest.raises(rm.InvalidTransitionError):
        ops.first_stage(
            no,
            estimated_value=1,
            chances_of_success_pct=1,
            estimated_close_date=dt.date(2024, 5, 1),
        )


def test_a_move_is_dated_on_the_later_of_workdate_and_the_last_change(
    world: World,
) -> None:
    """§5.5: Date of Change = max(active entry's Date of Change, WORKDATE)."""
    ops = world.crm.opportunities
    no = world.started()
    ahead = ops.next_stage(no, date_of_change=dt.date(2024, 3, 20))
    assert ahead.date_of_change == dt.date(2024, 3, 20)
    assert ops.update(no).date_of_change == dt.date(2024, 3, 20)
    with pytest.raises(rm.ValidationError) as error:
        ops.update(no, date_of_change=dt.date(2024, 3, 19))
    assert error.value.field == "date_of_change"


def test_cancel_old_tasks_cancels_the_open_tasks(world: World) -> None:
    """§5.6/§7.2 CancelOpenTasks: the option cancels the opportunity's open tasks."""
    ops = world.crm.opportunities
    no = world.started()
    assert len(world.open_tasks(no)) == 1
    ops.next_stage(no)
    assert len(world.open_tasks(no)) == 1  # kept without the option
    ops.jump_to(no, 1, cancel_old_tasks=True)
    # the old INIT task is canceled; stage 1's activity made a new one
    assert len(world.open_tasks(no)) == 1
    canceled = [t for t in world.crm.tasks.list(opportunity_no=no) if t.canceled]
    assert {t.system_task_type.value for t in canceled} == {
        "Organizer",
        "Contact Attendee",
    }


def test_first_stage_of_a_not_started_opportunity(world: World) -> None:
    """§5.8 StartActivateFirstStage."""
    ops = world.crm.opportunities
    no = ops.create(
        contact_no=world.company.no, description="X", sales_cycle_code="NEW"
    ).no
    entry = ops.first_stage(
        no,
        estimated_value=500,
        chances_of_success_pct=20,
        estimated_close_date=dt.date(2024, 6, 1),
    )
    assert (entry.sales_cycle_stage, entry.calcd_current_value) == (1, 10)
    assert ops.get(no).status.value == "In Progress"


# --- closing (§5.7) --------------------------------------------------------------------


def test_close_codes_must_be_of_the_right_type(world: World) -> None:
    """§5.5/§5.3: the Close Opportunity Code's Type equals Won or Lost."""
    no = world.started()
    with pytest.raises(rm.ValidationError) as error:
        world.crm.opportunities.close_won(no, code="PRICE", sales_lcy=1)
    assert error.value.field == "code"
    with pytest.raises(rm.ValidationError):
        world.crm.opportunities.close_lost(no, code="WON")
    with pytest.raises(rm.NotFoundError):
        world.crm.opportunities.close_lost(no, code="NOPE")


def test_won_needs_sales_and_makes_the_companys_customer_once(world: World) -> None:
    """§5.7 CheckStatus and §5.5 TestCust: a person's company becomes the customer."""
    ops = world.crm.opportunities
    no = world.started(contact_no=world.person.no, salesperson_code="ps")
    with pytest.raises(rm.ValidationError) as error:
        ops.close_won(no, code="WON")
    assert error.value.field == "sales_lcy"
    ops.close_won(no, code="WON", quote_amount=1234)
    assert ops.active_entry(no).calcd_current_value == 1234  # type: ignore[union-attr]
    assert world.crm.contacts.business_relation(world.company.no).value == "Customer"
    customers = world.crm.partners.partners(LinkToTable.CUSTOMER)
    other = world.started()
    ops.close_won(other, code="WON", sales_lcy=5)
    assert (
        world.crm.partners.partners(LinkToTable.CUSTOMER) == customers
    )  # no second one


def test_won_without_creating_the_customer(world: World) -> None:
    no = world.started()
    world.crm.opportunities.close_won(
        no, code="WON", sales_lcy=5, create_customer=False
    )
    assert world.crm.contacts.business_relation(world.company.no).value == "None"


def test_lost_zeroes_the_values_and_closed_refuses_everything(world: World) -> None:
    """§5.5 UpdateEstimates Lost, and a closed opportunity refuses every change."""
    ops = world.crm.opportunities
    no = world.started()
    lost = ops.close_lost(no, code="PRICE")
    assert (lost.calcd_current_value, lost.chances_of_success_pct, lost.probability_pct,
            lost.completed_pct, lost.action_taken) == (0, 0, 0, 100, ActionTaken.LOST)  # fmt: skip
    for attempt in (
        lambda: ops.next_stage(no),
        lambda: ops.close_won(no, code="WON", sales_lcy=1),
        lambda: ops.change(no, description="Again"),
        lambda: ops.stage_options(no),
    ):
        with pytest.raises(rm.InvalidTransitionError):
            attempt()


# --- changing, deleting, statistics ---------------------------------------------------


def test_a_change_of_salesperson_follows_to_the_active_entry(world: World) -> None:
    """§5.4 Salesperson Code: the active entry's salesperson is also updated."""
    ops = world.crm.opportunities
    no = world.started()
    ops.change(no, salesperson_code="jo", priority="High")
    assert ops.active_entry(no).salesperson_code == "JO"  # type: ignore[union-attr]
    assert ops.get(no).priority.value == "High"
    with pytest.raises(rm.ValidationError):
        ops.change(no, status="Won")
    other = world.crm.contacts.create_company(name="Other Co")
    with pytest.raises(rm.ValidationError):  # §5.4: started, same company only
        ops.change(no, contact_no=other.no)
    ops.change(no, contact_no=world.person.no)
    assert ops.active_entry(no).contact_no == world.person.no  # type: ignore[union-attr]


def test_delete_refuses_in_progress_and_removes_the_entries(world: World) -> None:
    """§5.4 Delete: not while In Progress; the entries go with it."""
    ops = world.crm.opportunities
    no = world.started()
    with pytest.raises(rm.InvalidTransitionError):
        ops.delete(no)
    ops.close_lost(no, code="PRICE")
    ops.delete(no)
    assert ops.entries(no) == []
    with pytest.raises(rm.NotFoundError):
        ops.get(no)


def test_statistics_totals_and_pipeline(world: World) -> None:
    """§5.9: opportunity statistics, salesperson totals and the pipeline by stage."""
    ops = world.crm.opportunities
    world.crm.interactions.create_group("sales")
    world.crm.interactions.create_template("call", group="sales")
    a = world.started()
    b = world.started(salesperson_code="jo")
    world.crm.interactions.log(
        contact_no=world.company.no, template="call", opportunity_no=a
    )
    world.advance(7)
    ops.next_stage(b)
    stats = ops.statistics(a)
    assert (stats.no_of_interactions, stats.current_sales_cycle_stage,
            stats.probability_pct, stats.calcd_current_value) == (1, 1, 4, 400)  # fmt: skip
    fresh = ops.create(
        contact_no=world.company.no, description="X", sales_cycle_code="NEW"
    )
    assert ops.statistics(fresh.no).current_sales_cycle_stage is None
    by_person = {t.key: t for t in ops.totals("salesperson_code")}
    assert (by_person["PS"].no_of_opportunities, by_person["JO"].calcd_current_value) == (
        1, 1250)  # fmt: skip
    now = ops.pipeline()
    assert [(r.stage, r.description, r.count) for r in now.rows] == [
        (1, "Initial", 1), (2, "Presentation", 1)]  # fmt: skip
    assert (now.total.count, now.total.estimated_value) == (2, 20000)
    before = ops.pipeline(as_of=MONDAY)
    assert [(r.stage, r.count) for r in before.rows] == [(1, 2)]
    assert ops.pipeline(salesperson_code="jo").total.count == 1
    with pytest.raises(rm.ValidationError):
        ops.pipeline(as_of="2024-03-04")  # type: ignore[arg-type]
    days = ops.time_in_stage(sales_cycle_code="NEW")
    assert [(d.stage, d.left, d.median_days) for d in days] == [
        (1, 1, 7.0),
        (2, 0, None),
    ]
    listed = ops.list(salesperson_code="jo", status="In Progress")
    assert [o.no for o in listed] == [b]
    assert [o.no for o in ops.list(contact_company_no="")] == []
    with pytest.raises(rm.ValidationError):
        ops.list(status="Pending")


# --- sales cycles (§5.1, §5.2) ------------------------------------------------------------


def test_sales_cycles_stages_and_their_statistics(world: World) -> None:
    """§5.1/§5.2: stages with active entries and cycles in use are kept; statistics."""
    cycles = world.crm.sales_cycles
    with pytest.raises(rm.NotFoundError):
        cycles.create("BAD", stages=[rm.SalesCycleStage(stage=1, activity_code="NONE")])
    no = world.started()
    with pytest.raises(rm.InUseError):
        cycles.remove_stage("NEW", 1)
    assert [s.stage for s in cycles.remove_stage("NEW", 3).stages] == [1, 2, 4]
    cycles.set_stage("NEW", rm.SalesCycleStage(stage=3, description="Back"))
    assert (
        cycles.change(
            "NEW", probability_calculation="Add"
        ).probability_calculation.value
        == "Add"
    )
    with pytest.raises(rm.InUseError):
        cycles.delete("NEW")
    stats = cycles.statistics("NEW")
    assert [(s.stage, s.description, s.no_of_opportunities) for s in stats] == [
        (1, "Initial", 1), (2, "Presentation", 0), (3, "Back", 0), (4, "Sign contract", 0)
    ]  # fmt: skip
    world.crm.opportunities.close_lost(no, code="PRICE")
    world.crm.opportunities.delete(no)
    cycles.delete("NEW")
    assert [c.code for c in cycles.list()] == []
    with pytest.raises(rm.NotFoundError):
        cycles.get("NEW")


def test_a_change_can_carry_over_to_the_open_tasks(world: World) -> None:
    """§5.4: open tasks with the old salesperson or campaign take the new one."""
    ops = world.crm.opportunities
    world.campaign("CP1")
    no = world.started()
    ops.change(no, salesperson_code="jo")  # not asked: the tasks keep PS
    assert {t.salesperson_code for t in world.crm.tasks.list(opportunity_no=no)} == {
        "PS"
    }
    ops.change(no, salesperson_code="ps")
    ops.change(no, salesperson_code="jo", campaign_no="CP1", update_open_tasks=True)
    tasks = world.crm.tasks.list(opportunity_no=no)
    assert {(t.salesperson_code, t.campaign_no) for t in tasks} == {("JO", "CP1")}
    closed = next(t for t in tasks if t.system_task_type.value == "Organizer")
    world.crm.tasks.close(closed.no)
    ops.change(no, salesperson_code="ps", update_open_tasks=True)
    assert world.crm.tasks.get(closed.no).salesperson_code == "JO"  # closed: kept
