"""CampaignService: campaigns, campaign entries and statistics through storage (§6).

The rules that touch storage run on the in-memory workspace and on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

import relationship_mgmt as rm
from relationship_mgmt.domain.campaigns import (
    CampaignEntry,
    CampaignLineDiscountLine,
    CampaignPriceLine,
)
from relationship_mgmt.domain.codes import OpportunityNo
from relationship_mgmt.domain.opportunities import (
    Opportunity,
    OpportunityEntry,
    OpportunityStatus,
)
from relationship_mgmt.domain.setup import CampaignStatus
from relationship_mgmt.errors import (
    AlreadyExistsError,
    CodeTooLongError,
    NotFoundError,
    SalespersonBlockedError,
    ValidationError,
)
from relationship_mgmt.services.campaigns import CampaignService
from relationship_mgmt.services.tasks import TaskService
from relationship_mgmt.testing import FrozenClock

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
WORKDATE = dt.date(2026, 3, 5)
"""A work date other than the instant's date: BC's TODAY/WORKDATE come from it."""


class World:
    """A workspace with salespeople, a campaign status, templates and a company."""

    def __init__(self, crm: rm.Crm) -> None:
        self.crm = crm
        crm.setup.use_default_number_series()
        crm.setup.add_record(CampaignStatus(code="planned", description="Planned"))
        crm.salespeople.create("jo", name="Jo Smith")
        crm.salespeople.create("bo", name="Bo Blocked", blocked=True)
        crm.salespeople.create("pb", name="Pat Private", privacy_blocked=True)
        crm.interactions.create_group("sales", description="Sales")
        crm.interactions.create_template(
            "call",
            group="sales",
            description="Phone call",
            unit_cost_lcy="2.5",
            unit_duration_min=10,
            campaign_target=True,
        )
        crm.interactions.create_template(
            "reply",
            group="sales",
            description="Reply",
            unit_cost_lcy=1,
            unit_duration_min=5,
            campaign_response=True,
        )
        self.company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
        self.campaigns = CampaignService(crm.uow_factory, crm.clock)

    def log(
        self,
        campaign_no: str,
        template: str = "call",
        *,
        date: dt.date | None = None,
        postponed: bool = False,
    ) -> int:
        """Log an interaction with the company; return its entry number."""
        entry = self.crm.interactions.log(
            contact_no=self.company.no,
            template=template,
            campaign_no=campaign_no,
            date=date,
            postponed=postponed,
        )
        return entry.entry_no

    def opportunity(
        self,
        no: str,
        campaign_no: str | None,
        *,
        estimated: int,
        calcd: int,
        status: OpportunityStatus = OpportunityStatus.IN_PROGRESS,
        changed_on: dt.date = WORKDATE,
        active: bool = True,
    ) -> None:
        """Store an opportunity with an older inactive entry and a newer one."""
        closed = status in {OpportunityStatus.WON, OpportunityStatus.LOST}
        with self.crm.uow_factory() as uow:
            uow.opportunities.add(
                Opportunity(
                    no=no,
                    campaign_no=campaign_no,
                    creation_date=dt.date(2026, 1, 1),
                    status=status,
                    closed=closed,
                    date_closed=changed_on if closed else None,
                )
            )
            for value, is_active, day in (
                (1000, False, dt.date(2026, 1, 1)),
                (estimated, active, changed_on),
            ):
                uow.opportunity_entries.add(
                    OpportunityEntry(
                        entry_no=uow.opportunity_entries.next_entry_no(),
                        opportunity_no=no,
                        campaign_no=campaign_no,
                        date_of_change=day,
                        active=is_active,
                        estimated_value=value,
                        calcd_current_value=calcd if is_active else 1000,
                    )
                )
            uow.commit()


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """The world on the in-memory workspace and on an in-memory SQLite database."""
    url = None if request.param == "memory" else "sqlite://"
    crm = rm.open(url, clock=FrozenClock(NOW, workdate=WORKDATE))
    yield World(crm)
    crm.close()


@pytest.fixture
def mem() -> World:
    """The world on the in-memory workspace only (rules without storage quirks)."""
    return World(rm.open(clock=FrozenClock(NOW, workdate=WORKDATE)))


# --- create (§6.1) ---------------------------------------------------------------------


def test_create_draws_the_number_from_campaign_nos_and_stores_it(world: World) -> None:
    """§6.1 No.: from Campaign Nos.; the series is recorded in No. Series."""
    fair = world.campaigns.create(
        description="Spring fair",
        starting_date=dt.date(2026, 3, 1),
        ending_date=dt.date(2026, 3, 31),
        salesperson_code="jo",
        status_code="planned",
    )
    second = world.campaigns.create(description="Autumn")

    assert (fair.no, fair.no_series, second.no) == ("CP0001", "CAMP", "CP0002")
    assert (fair.salesperson_code, fair.status_code) == ("JO", "PLANNED")
    assert world.campaigns.get("cp0001") == fair
    assert [c.no for c in world.campaigns.list()] == ["CP0001", "CP0002"]


def test_create_leaves_last_date_modified_blank(mem: World) -> None:
    """§6.1 Last Date Modified: TODAY on modify or rename, not on insert."""
    assert mem.campaigns.create(description="New").last_date_modified is None


def test_create_with_a_typed_number_records_no_series(mem: World) -> None:
    """§0 No. Series: a typed number (manual numbers allowed) keeps No. Series blank."""
    typed = mem.campaigns.create(no="fair-26", description="Fair")

    assert (typed.no, typed.no_series) == ("FAIR-26", None)
    with pytest.raises(AlreadyExistsError):
        mem.campaigns.create(no="FAIR-26")


def test_create_skips_a_drawn_number_that_is_taken(mem: World) -> None:
    """§0: the series skips a number a typed campaign already holds."""
    mem.campaigns.create(no="CP0001")

    assert mem.campaigns.create().no == "CP0002"


def test_create_without_a_series_or_number_is_refused() -> None:
    """§0: with no Campaign Nos. series a number must be typed."""
    crm = rm.open(clock=FrozenClock(NOW))
    campaigns = CampaignService(crm.uow_factory, crm.clock)

    with pytest.raises(ValidationError) as raised:
        campaigns.create(description="No series")
    assert raised.value.field == "campaign_nos"
    assert campaigns.create(no="cp1").no == "CP1"


def test_create_refuses_unknown_field_names(mem: World) -> None:
    """Unknown keyword fields are ValidationErrors, not TypeErrors."""
    with pytest.raises(ValidationError) as raised:
        mem.campaigns.create(description="Fair", colour="red")
    assert (raised.value.field, raised.value.value) == ("fields", ["colour"])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("activated", True),  # §6.1: a FlowField over target groups (§6.3)
        ("no_series", "CAMP"),
        ("last_date_modified", WORKDATE),
        ("version", 3),
    ],
)
def test_create_refuses_fields_the_rules_set(
    mem: World, name: str, value: object
) -> None:
    """§6.1: Activated, No. Series and Last Date Modified are not typed in."""
    fields: dict[str, Any] = {name: value}
    with pytest.raises(ValidationError) as raised:
        mem.campaigns.create(**fields)
    assert raised.value.value == [name]
    assert mem.campaigns.list() == []


@pytest.mark.parametrize(
    ("code", "reason"), [("bo", "blocked"), ("pb", "privacy blocked")]
)
def test_create_refuses_a_blocked_salesperson(
    world: World, code: str, reason: str
) -> None:
    """§6.1 Salesperson Code: must not be blocked (§8); nothing is stored."""
    with pytest.raises(SalespersonBlockedError) as raised:
        world.campaigns.create(description="Fair", salesperson_code=code)

    assert (raised.value.code, raised.value.reason) == (code.upper(), reason)
    assert world.campaigns.list() == []
    assert world.campaigns.create().no == "CP0001"  # the number was handed back


def test_create_refuses_a_salesperson_that_does_not_exist(mem: World) -> None:
    """§6.1 Salesperson Code relates to table 13: it must exist."""
    with pytest.raises(NotFoundError) as raised:
        mem.campaigns.create(salesperson_code="nobody")
    assert raised.value.key == "NOBODY"


def test_create_refuses_an_unknown_status_code(world: World) -> None:
    """§6.1 Status Code relates to Campaign Status: it must exist."""
    with pytest.raises(NotFoundError) as raised:
        world.campaigns.create(status_code="done")

    assert (raised.value.kind, raised.value.key) == ("campaign status", "DONE")
    assert world.campaigns.list() == []


def test_create_refuses_dates_out_of_order(mem: World) -> None:
    """§6.1: Starting Date must not be after Ending Date."""
    with pytest.raises(ValidationError) as raised:
        mem.campaigns.create(
            starting_date=dt.date(2026, 4, 1), ending_date=dt.date(2026, 3, 1)
        )
    assert raised.value.field == "starting_date"


def test_get_of_an_unknown_campaign_is_not_found(mem: World) -> None:
    """get raises NotFoundError for a number never stored."""
    with pytest.raises(NotFoundError) as raised:
        mem.campaigns.get("CP9999")
    assert (raised.value.kind, raised.value.key) == ("campaign", "CP9999")


def test_get_refuses_a_number_longer_than_code20(mem: World) -> None:
    """§6.1 No. is Code[20]."""
    with pytest.raises(CodeTooLongError):
        mem.campaigns.get("X" * 21)


# --- change (§6.1) ---------------------------------------------------------------------


def test_change_sets_last_date_modified_to_the_work_date(world: World) -> None:
    """§6.1 Last Date Modified: TODAY on modify (the clock's work date)."""
    fair = world.campaigns.create(description="Fair")

    changed = world.campaigns.change(fair.no, description="Spring fair")

    assert (changed.description, changed.last_date_modified) == (
        "Spring fair",
        WORKDATE,
    )
    assert world.campaigns.get(fair.no) == changed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ending_date": dt.date(2026, 2, 1)}, "ending_date"),
        ({"starting_date": dt.date(2026, 4, 1)}, "starting_date"),
    ],
)
def test_change_reports_dates_out_of_order_on_the_field_changed(
    mem: World, changes: dict[str, object], field: str
) -> None:
    """§6.1: "Starting Date must be before Ending Date." / "... must be after ..."."""
    fair = mem.campaigns.create(
        starting_date=dt.date(2026, 3, 1), ending_date=dt.date(2026, 3, 31)
    )

    with pytest.raises(ValidationError) as raised:
        mem.campaigns.change(fair.no, **changes)

    assert raised.value.field == field
    assert mem.campaigns.get(fair.no) == fair


def test_change_refuses_a_blocked_salesperson_and_changes_nothing(
    world: World,
) -> None:
    """§6.1, §8: a blocked salesperson cannot be put on a campaign."""
    fair = world.campaigns.create(description="Fair", salesperson_code="jo")

    with pytest.raises(SalespersonBlockedError):
        world.campaigns.change(fair.no, description="Other", salesperson_code="bo")

    assert world.campaigns.get(fair.no) == fair


def test_change_keeps_a_salesperson_blocked_after_assignment(mem: World) -> None:
    """§8: blocking stops new assignments; the campaign's other fields still change."""
    fair = mem.campaigns.create(salesperson_code="jo")
    mem.crm.salespeople.change("jo", blocked=True)

    assert mem.campaigns.change(fair.no, description="Still Jo's").salesperson_code == (
        "JO"
    )


def test_change_refuses_an_unknown_status_code(mem: World) -> None:
    """§6.1 Status Code must exist in Campaign Status; blank clears it."""
    fair = mem.campaigns.create(status_code="planned")

    with pytest.raises(NotFoundError):
        mem.campaigns.change(fair.no, status_code="done")
    assert mem.campaigns.change(fair.no, status_code="").status_code is None


@pytest.mark.parametrize(
    ("changes", "value"),
    [({"activated": True}, ["activated"]), ({"colour": "red"}, "red")],
)
def test_change_refuses_fields_that_cannot_be_changed(
    mem: World, changes: dict[str, object], value: object
) -> None:
    """§6.1: Activated is a FlowField; unknown names are refused."""
    fair = mem.campaigns.create()

    with pytest.raises(ValidationError) as raised:
        mem.campaigns.change(fair.no, **changes)
    assert raised.value.value == value


def test_change_of_an_unknown_campaign_is_not_found(mem: World) -> None:
    """change raises NotFoundError for a number never stored."""
    with pytest.raises(NotFoundError):
        mem.campaigns.change("CP9999", description="x")


# --- delete (§6.1) ---------------------------------------------------------------------


def test_delete_removes_a_campaign_and_leaves_campaign_no_on_others(
    world: World,
) -> None:
    """§6.1 Delete: opportunities and tasks keep their (now dangling) Campaign No."""
    fair = world.campaigns.create(description="Fair")
    world.opportunity("OP1", fair.no, estimated=100, calcd=50)
    tasks = TaskService(world.crm.uow_factory, world.crm.clock)
    task = tasks.create(
        salesperson_code="jo",
        type="Phone Call",
        date=WORKDATE,
        description="Invite",
        campaign_no=fair.no,
    )

    world.campaigns.delete(fair.no)

    with pytest.raises(NotFoundError):
        world.campaigns.get(fair.no)
    assert world.campaigns.list() == []
    assert tasks.get(task.no).campaign_no == fair.no
    with world.crm.uow_factory() as uow:
        assert uow.opportunities.get(OpportunityNo("OP1")).campaign_no == fair.no


def test_delete_cascades_to_entries_interactions_and_pricing(world: World) -> None:
    """§6.1 Delete: its campaign entries go, each with its interaction log entries;
    its price lines go too; an opportunity keeps its (dangling) Campaign No."""
    fair = world.campaigns.create(description="Fair")
    other = world.campaigns.create(description="Other")
    logged = world.log(fair.no)
    kept = world.log(other.no)
    world.campaigns.put_pricing_line(
        CampaignPriceLine(campaign_no=fair.no, asset_type="Item", asset_no="1000")
    )

    world.campaigns.delete(fair.no)

    with pytest.raises(NotFoundError):
        world.campaigns.get(fair.no)
    with pytest.raises(NotFoundError):
        world.crm.interactions.get(logged)
    assert world.crm.interactions.get(kept).campaign_no == other.no
    assert len(world.campaigns.entries(other.no)) == 1
    with pytest.raises(NotFoundError):
        world.campaigns.pricing_lines(fair.no)


def test_delete_entry_and_the_batch_of_canceled_entries(world: World) -> None:
    """§6.2: Delete deletes the entry's interactions; the batch only canceled ones."""
    fair = world.campaigns.create(description="Fair")
    first = world.log(fair.no)
    entries = world.campaigns.entries(fair.no)
    assert len(entries) == 1
    assert world.campaigns.delete_canceled_entries(fair.no) == 0  # not canceled
    world.campaigns.cancel_entry(entries[0].entry_no)
    assert world.campaigns.delete_canceled_entries() == 1
    assert world.campaigns.entries(fair.no) == []
    with pytest.raises(NotFoundError):
        world.crm.interactions.get(first)
    second = world.log(fair.no)
    (entry,) = world.campaigns.entries(fair.no)
    world.campaigns.delete_entry(entry.entry_no)
    with pytest.raises(NotFoundError):
        world.crm.interactions.get(second)
    with pytest.raises(NotFoundError):
        world.campaigns.delete_entry(entry.entry_no)


def test_pricing_lines_are_kept_replaced_and_filtered_by_date(world: World) -> None:
    """§6.3: lines by key; a line applies within the campaign's and its own dates."""
    fair = world.campaigns.create(
        description="Fair",
        starting_date=dt.date(2026, 3, 1),
        ending_date=dt.date(2026, 3, 31),
    )
    price = CampaignPriceLine(
        campaign_no=fair.no, asset_type="Item", asset_no="1000", unit_price=10
    )
    late = CampaignLineDiscountLine(
        campaign_no=fair.no,
        asset_type="Item Discount Group",
        asset_no="RETAIL",
        line_discount_pct=5,
        starting_date=dt.date(2026, 3, 20),
    )
    world.campaigns.put_pricing_line(price)
    world.campaigns.put_pricing_line(late)
    world.campaigns.put_pricing_line(attrs.evolve(price, unit_price=Decimal(8)))
    lines = world.campaigns.pricing_lines(fair.no)
    assert [type(line).__name__ for line in lines] == [
        "CampaignLineDiscountLine",
        "CampaignPriceLine",
    ]
    assert lines[1].unit_price == 8  # type: ignore[union-attr]
    assert world.campaigns.pricing_on(fair.no, dt.date(2026, 3, 5)) == [lines[1]]
    assert world.campaigns.pricing_on(fair.no, dt.date(2026, 3, 25)) == lines
    assert world.campaigns.pricing_on(fair.no, dt.date(2026, 4, 1)) == []
    world.campaigns.remove_pricing_line(price)
    assert world.campaigns.pricing_lines(fair.no) == [late]
    with pytest.raises(NotFoundError):
        world.campaigns.remove_pricing_line(price)
    with pytest.raises(NotFoundError):
        world.campaigns.put_pricing_line(attrs.evolve(price, campaign_no="CP9999"))
    with pytest.raises(ValidationError):
        world.campaigns.put_pricing_line("not a line")  # type: ignore[arg-type]


def test_delete_of_an_unknown_campaign_is_not_found(mem: World) -> None:
    """delete raises NotFoundError for a number never stored."""
    with pytest.raises(NotFoundError):
        mem.campaigns.delete("CP9999")


# --- campaign entries (§6.2) -----------------------------------------------------------


def test_entries_lists_the_campaigns_entries_by_number(mem: World) -> None:
    """§6.2: one entry per (Campaign No., Segment No., Document Type), per campaign."""
    fair = mem.campaigns.create(description="Fair")
    other = mem.campaigns.create(description="Other")
    mem.log(fair.no)
    mem.log(other.no)
    mem.log(fair.no, template="reply")  # the same key: the same entry

    entries = mem.campaigns.entries(fair.no)

    assert [(e.entry_no, e.campaign_no) for e in entries] == [(1, fair.no)]
    assert [e.entry_no for e in mem.campaigns.entries(other.no)] == [2]


def test_entries_of_an_unknown_campaign_is_not_found(mem: World) -> None:
    """entries checks the campaign exists."""
    with pytest.raises(NotFoundError):
        mem.campaigns.entries("CP9999")


def _canceled(world: World, *entry_nos: int) -> list[bool]:
    return [world.crm.interactions.get(n).canceled for n in entry_nos]


def test_cancel_entry_cancels_the_entry_and_all_its_interactions(world: World) -> None:
    """§6.2 Cancel toggle: sets Canceled on the entry and on all its ILEs only."""
    fair = world.campaigns.create(description="Fair")
    other = world.campaigns.create(description="Other")
    first, second = world.log(fair.no), world.log(fair.no, template="reply")
    elsewhere = world.log(other.no)
    unrelated = world.crm.interactions.log(
        contact_no=world.company.no, template="call"
    ).entry_no
    (entry,) = world.campaigns.entries(fair.no)

    canceled = world.campaigns.cancel_entry(entry.entry_no)

    assert canceled.canceled
    assert world.campaigns.entries(fair.no) == [canceled]
    assert _canceled(world, first, second, elsewhere, unrelated) == [
        True,
        True,
        False,
        False,
    ]
    assert world.campaigns.cancel_entry(entry.entry_no) == canceled  # stays canceled


def test_uncancel_entry_clears_the_entry_and_all_its_interactions(
    world: World,
) -> None:
    """§6.2 Cancel toggle back: every ILE of the entry is un-canceled (BC's
    ModifyAll), also one canceled on its own before."""
    fair = world.campaigns.create(description="Fair")
    first, second = world.log(fair.no), world.log(fair.no)
    world.crm.interactions.cancel(first)
    (entry,) = world.campaigns.entries(fair.no)
    world.campaigns.cancel_entry(entry.entry_no)

    restored = world.campaigns.uncancel_entry(entry.entry_no)

    assert restored == entry
    assert world.campaigns.entries(fair.no) == [entry]
    assert _canceled(world, first, second) == [False, False]


def test_cancel_entry_of_an_unknown_entry_is_not_found(mem: World) -> None:
    """cancel_entry and uncancel_entry raise NotFoundError for an unknown entry."""
    with pytest.raises(NotFoundError):
        mem.campaigns.cancel_entry(99)
    with pytest.raises(NotFoundError):
        mem.campaigns.uncancel_entry(99)


def test_entry_statistics_cover_interactions_with_the_entrys_canceled(
    world: World,
) -> None:
    """§6.2: No. of Interactions, Cost, Duration over ILEs with this Campaign Entry
    No. and Canceled = the entry's Canceled."""
    fair = world.campaigns.create(description="Fair")
    world.log(fair.no)  # 2.5, 10 min
    world.log(fair.no, template="reply")  # 1, 5 min
    on_its_own = world.log(fair.no)
    world.crm.interactions.cancel(on_its_own)
    (entry,) = world.campaigns.entries(fair.no)

    live = world.campaigns.entry_statistics(entry.entry_no)
    world.campaigns.cancel_entry(entry.entry_no)
    canceled = world.campaigns.entry_statistics(entry.entry_no)

    assert (live.no_of_interactions, live.cost_lcy, live.duration_min) == (
        2,
        Decimal("3.5"),
        Decimal(15),
    )
    assert (canceled.no_of_interactions, canceled.cost_lcy) == (3, Decimal("6.0"))


def test_entry_statistics_of_an_unknown_entry_is_not_found(mem: World) -> None:
    """entry_statistics raises NotFoundError for an unknown entry."""
    with pytest.raises(NotFoundError):
        mem.campaigns.entry_statistics(99)


# --- statistics (§6.1, §6.4) -----------------------------------------------------------


def test_statistics_count_the_campaigns_live_interactions(world: World) -> None:
    """§6.1 FlowFields, §6.4: Target Contacts Contacted (Campaign Target), Contacts
    Responded (Campaign Response), Duration and Cost; canceled, postponed and other
    campaigns' entries do not count."""
    fair = world.campaigns.create(description="Fair")
    other = world.campaigns.create(description="Other")
    world.log(fair.no)
    world.log(fair.no)
    world.log(fair.no, template="reply")
    world.crm.interactions.cancel(world.log(fair.no))
    world.log(fair.no, postponed=True)
    world.log(other.no)

    stats = world.campaigns.statistics(fair.no)

    assert (stats.target_contacts_contacted, stats.contacts_responded) == (2, 1)
    assert (stats.no_of_interactions, stats.cost_lcy, stats.duration_min) == (
        3,
        Decimal("6.0"),
        Decimal(25),
    )
    assert stats.response_rate == Decimal("0.5")


def test_statistics_apply_the_date_filter_to_interactions(world: World) -> None:
    """§6.1: the interaction FlowFields count entries dated in the Date Filter."""
    fair = world.campaigns.create(description="Fair")
    for day in (1, 10, 20):
        world.log(fair.no, date=dt.date(2026, 3, day))

    stats = world.campaigns.statistics(
        fair.no, starting=dt.date(2026, 3, 5), ending=dt.date(2026, 3, 20)
    )

    assert (stats.target_contacts_contacted, stats.cost_lcy) == (2, Decimal("5.0"))


def test_statistics_add_up_the_active_entries_of_the_campaigns_opportunities(
    world: World,
) -> None:
    """§6.1: No. of Opportunities, Estimated and Calcd. Current Value over active
    opportunity entries of the campaign; won and lost counted by status."""
    fair = world.campaigns.create(description="Fair")
    world.opportunity("OP1", fair.no, estimated=100, calcd=40)
    world.opportunity(
        "OP2", fair.no, estimated=300, calcd=300, status=OpportunityStatus.WON
    )
    world.opportunity(
        "OP3", fair.no, estimated=50, calcd=0, status=OpportunityStatus.LOST
    )
    world.opportunity("OP4", fair.no, estimated=999, calcd=999, active=False)
    world.opportunity("OP5", None, estimated=999, calcd=999)

    stats = world.campaigns.statistics(fair.no)

    assert (stats.no_of_opportunities, stats.no_of_won_opportunities) == (3, 1)
    assert stats.no_of_lost_opportunities == 1
    assert (stats.estimated_value_lcy, stats.calcd_current_value_lcy) == (
        Decimal(450),
        Decimal(340),
    )


def test_statistics_apply_the_date_filter_to_the_date_of_change(mem: World) -> None:
    """§6.1 Date Filter on the opportunity FlowFields: the active entry's Date of
    Change (as for a salesperson's figures, §8)."""
    fair = mem.campaigns.create(description="Fair")
    mem.opportunity("OP1", fair.no, estimated=100, calcd=40, changed_on=WORKDATE)
    mem.opportunity(
        "OP2", fair.no, estimated=200, calcd=80, changed_on=dt.date(2026, 2, 1)
    )

    stats = mem.campaigns.statistics(fair.no, starting=dt.date(2026, 3, 1))

    assert (stats.no_of_opportunities, stats.estimated_value_lcy) == (1, Decimal(100))


def test_statistics_of_a_campaign_without_figures_are_zero(mem: World) -> None:
    """§6.4: nothing contacted gives no response rate."""
    fair = mem.campaigns.create(description="Fair")

    stats = mem.campaigns.statistics(fair.no)

    assert (stats.no_of_interactions, stats.no_of_opportunities) == (0, 0)
    assert stats.response_rate is None


def test_statistics_of_an_unknown_campaign_is_not_found(mem: World) -> None:
    """statistics raises NotFoundError for a number never stored."""
    with pytest.raises(NotFoundError):
        mem.campaigns.statistics("CP9999")


def test_campaign_entry_is_a_plain_record(mem: World) -> None:
    """§6.2: what entries returns is the stored CampaignEntry record."""
    fair = mem.campaigns.create(description="Fair")
    mem.log(fair.no)

    (entry,) = mem.campaigns.entries(fair.no)

    assert entry == CampaignEntry(
        entry_no=1,
        campaign_no=fair.no,
        date=WORKDATE,
        description="Interactions",
        salesperson_code="JO",
    )
