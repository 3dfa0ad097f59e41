"""Campaign target groups, activation and pricing through storage (§6.3).

The rules run on the in-memory workspace and on SQLite: activating builds the
target group from segment lines and interactions marked campaign target, logging
and deleting keep it current while the campaign is activated, creating a customer
converts a company's rows, and the pricing effect picks the campaigns whose lines
reach a contact's or customer's documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relationship_mgmt as rm
from relationship_mgmt.adapters.business_partners import (
    InMemoryBusinessPartnerDirectory,
)
from relationship_mgmt.domain.campaigns import (
    NO_PRICING_QUESTION,
    NO_TARGET_MESSAGE,
    CampaignLineDiscountLine,
    CampaignPriceLine,
    CampaignTargetGroup,
    plan_activation,
)
from relationship_mgmt.domain.codes import CampaignNo
from relationship_mgmt.domain.segments import Segment
from relationship_mgmt.errors import NotFoundError, ValidationError
from relationship_mgmt.services.campaigns import refresh_campaign_target
from relationship_mgmt.testing import FrozenClock

NOW = dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC)
WORKDATE = dt.date(2026, 3, 5)
MAR1, MAR31 = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


class World:
    """Companies Cronus (with person Ann) and Fabrikam, Bo of no company, campaign CP0001."""

    def __init__(self, crm: rm.Crm) -> None:
        self.crm = crm
        crm.setup.use_default_number_series()
        crm.setup.add_records([rm.BusinessRelation(code="CUST")])
        crm.setup.change(bus_rel_code_for_customers="CUST")
        crm.salespeople.create("jo", name="Jo Smith")
        crm.interactions.create_group("sales")
        crm.interactions.create_template("call", group="sales", campaign_target=True)
        crm.interactions.create_template("note", group="sales")
        self.cronus = crm.contacts.create_company(name="Cronus").no
        self.ann = crm.contacts.create_person(name="Ann Lee", company_no=self.cronus).no
        self.fabrikam = crm.contacts.create_company(name="Fabrikam").no
        self.bo = crm.contacts.create_person(name="Bo Berg").no
        self.campaign = crm.campaigns.create(
            description="Spring fair", starting_date=MAR1, ending_date=MAR31
        ).no

    def log(
        self,
        contact_no: str,
        *,
        template: str = "call",
        campaign_no: str | None = None,
        postponed: bool = False,
    ) -> int:
        """Log an interaction with the campaign; return its entry number."""
        entry = self.crm.interactions.log(
            contact_no=contact_no,
            template=template,
            campaign_no=campaign_no or self.campaign,
            postponed=postponed,
            salesperson_code="JO",
        )
        return entry.entry_no

    def price(self, campaign_no: str | None = None, **fields: object) -> None:
        """Give the campaign a price line for item 1000."""
        values: dict[str, object] = {"unit_price": 9, **fields}
        self.crm.campaigns.put_pricing_line(
            CampaignPriceLine(
                campaign_no=campaign_no or self.campaign,
                asset_type="Item",
                asset_no="1000",
                **values,  # type: ignore[arg-type]
            )
        )

    def segment(self, no: str, *, target: bool = True, campaign_no: str = "") -> None:
        """Store an empty segment of the campaign (Campaign Target as given)."""
        with self.crm.uow_factory() as uow:
            uow.segments.add(
                Segment(
                    no=no,
                    date=WORKDATE,
                    campaign_no=campaign_no or self.campaign,
                    campaign_target=target,
                )
            )
            uow.commit()

    def add_line(self, segment_no: str, contact_no: str) -> int:
        """Add a line by hand (crm.segments keeps the group current)."""
        return self.crm.segments.add_line(segment_no, contact_no).line_no

    def remove_line(self, segment_no: str, line_no: int) -> None:
        """Remove a line by hand (crm.segments keeps the group current)."""
        self.crm.segments.remove_line(segment_no, line_no)

    def rows(self, campaign_no: str | None = None) -> list[tuple[str, str]]:
        """The campaign's target group as (type, no.) pairs."""
        groups = self.crm.campaigns.target_groups(campaign_no or self.campaign)
        return [(g.type.value, g.no) for g in groups]

    def purge(self, entry_no: int) -> None:
        """Cancel one entry and delete the canceled entries (§3.6)."""
        self.crm.interactions.cancel(entry_no)
        self.crm.interactions.purge()


def _open(kind: str) -> rm.Crm:
    url = None if kind == "memory" else "sqlite://"
    return rm.open(url, clock=FrozenClock(NOW, workdate=WORKDATE))


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """The world on the in-memory workspace and on an in-memory SQLite database."""
    crm = _open(request.param)
    yield World(crm)
    crm.close()


# --- activation (§6.3 ActivateCampaign) --------------------------------------------------


def test_activation_targets_the_companies_of_lines_and_entries(world: World) -> None:
    """§6.3: a person's line targets its company; postponed and non-target give none."""
    world.price()
    world.segment("SM1")
    world.segment("SM2", target=False)
    world.add_line("SM1", world.ann)
    world.add_line("SM1", world.bo)  # no company: nothing to target
    world.add_line("SM2", world.fabrikam)
    world.log(world.fabrikam, postponed=True)
    world.log(world.fabrikam, template="note")

    rows = world.crm.campaigns.activate(world.campaign)

    assert rows == [
        CampaignTargetGroup(type="Contact", no=world.cronus, campaign_no=world.campaign)
    ]
    assert world.crm.campaigns.is_activated(world.campaign)
    assert world.crm.campaigns.get(world.campaign).activated
    assert world.rows() == [("Contact", world.cronus)]


def test_a_customer_company_is_targeted_as_its_customer(world: World) -> None:
    """§6.3 add_target: a company with a Customer relation joins as (Customer, No.)."""
    customer = world.crm.contacts.create_customer(world.fabrikam)
    world.log(world.fabrikam)
    world.log(world.ann)

    world.crm.campaigns.activate(world.campaign, force=True)

    assert world.rows() == [("Contact", world.cronus), ("Customer", customer)]


def test_activation_without_pricing_lines_asks_and_stores_nothing(
    world: World,
) -> None:
    """§6.3: BC's question as a ValidationError on force; force=True is "yes"."""
    world.log(world.cronus)

    with pytest.raises(ValidationError) as info:
        world.crm.campaigns.activate(world.campaign)

    assert (info.value.field, info.value.reason) == ("force", NO_PRICING_QUESTION)
    assert not world.crm.campaigns.is_activated(world.campaign)
    assert world.crm.campaigns.activate(world.campaign, force=True)
    assert world.crm.campaigns.is_activated(world.campaign)


def test_activation_with_nothing_targeted_is_refused(world: World) -> None:
    """§6.3: BC's error when no segment line or interaction targets the campaign."""
    world.price()
    world.log(world.cronus, template="note")

    with pytest.raises(ValidationError) as info:
        world.crm.campaigns.activate(world.campaign)

    assert info.value.reason == NO_TARGET_MESSAGE
    assert not world.crm.campaigns.get(world.campaign).activated
    with pytest.raises(NotFoundError):
        world.crm.campaigns.activate("CP9999", force=True)


def test_activating_again_adds_what_is_new_and_keeps_the_rest(world: World) -> None:
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)
    world.crm.campaigns.deactivate(world.campaign)
    world.log(world.fabrikam)

    world.crm.campaigns.activate(world.campaign, force=True)
    world.crm.campaigns.activate(world.campaign, force=True)

    assert world.rows() == [("Contact", world.cronus), ("Contact", world.fabrikam)]


def test_deactivation_deletes_the_rows(world: World) -> None:
    """§6.3 Deactivate; the Activated FlowField (§6.1) follows."""
    world.log(world.cronus)
    world.log(world.fabrikam)
    world.crm.campaigns.activate(world.campaign, force=True)

    removed = world.crm.campaigns.deactivate(world.campaign)

    assert removed == 2
    assert world.rows() == []
    assert not world.crm.campaigns.is_activated(world.campaign)
    assert not world.crm.campaigns.get(world.campaign).activated
    assert world.crm.campaigns.deactivate(world.campaign) == 0
    with pytest.raises(NotFoundError):
        world.crm.campaigns.deactivate("CP9999")
    with pytest.raises(NotFoundError):
        world.crm.campaigns.target_groups("CP9999")
    with pytest.raises(NotFoundError):
        world.crm.campaigns.is_activated("CP9999")


def test_deleting_a_campaign_deactivates_it(world: World) -> None:
    """§6.1 Delete: the campaign's target group rows go with it."""
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)

    world.crm.campaigns.delete(world.campaign)

    with world.crm.uow_factory() as uow:
        assert not uow.campaign_target_groups.exists_for(CampaignNo(world.campaign))


# --- keeping the group current (§6.3) ----------------------------------------------------


def test_logging_a_target_interaction_adds_its_company_while_activated(
    world: World,
) -> None:
    world.log(world.cronus)
    other = world.crm.campaigns.create(description="Other").no
    world.crm.campaigns.activate(world.campaign, force=True)

    world.log(world.ann)  # the same company: no second row
    world.log(world.fabrikam, template="note")
    world.log(world.fabrikam, postponed=True)
    world.log(world.fabrikam, campaign_no=other)  # not activated

    assert world.rows() == [("Contact", world.cronus)]
    world.log(world.fabrikam)
    assert world.rows() == [("Contact", world.cronus), ("Contact", world.fabrikam)]
    assert world.rows(other) == []


def test_logging_a_document_and_resuming_an_entry_target_too(world: World) -> None:
    """§3.5 logged documents and §3.6 Resume go through the same rule."""
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)
    postponed = world.log(world.fabrikam, postponed=True)

    world.crm.interactions.resume(postponed)

    assert ("Contact", world.fabrikam) in world.rows()


def test_deleting_entries_removes_a_company_only_with_its_last(world: World) -> None:
    """§6.3: the row goes only when no line or entry targets the company any more."""
    world.log(world.cronus)
    first, second = world.log(world.fabrikam), world.log(world.fabrikam)
    world.crm.campaigns.activate(world.campaign, force=True)

    world.purge(first)
    kept = world.rows()
    world.purge(second)

    assert kept == [("Contact", world.cronus), ("Contact", world.fabrikam)]
    assert world.rows() == [("Contact", world.cronus)]


def test_removing_the_last_row_deactivates_the_campaign(world: World) -> None:
    """§6.3 as BC: with its last row gone the campaign is no longer activated."""
    only = world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)

    world.purge(only)
    world.log(world.fabrikam)

    assert world.rows() == []
    assert not world.crm.campaigns.get(world.campaign).activated


def test_deleting_a_campaign_entry_refreshes_the_group(world: World) -> None:
    """§6.2 Delete removes the entry's interactions, and so their companies."""
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)
    other = world.crm.campaigns.create(description="Other").no
    world.log(world.fabrikam, campaign_no=other)
    world.crm.campaigns.activate(other, force=True)
    world.log(world.cronus, campaign_no=other)
    (entry,) = world.crm.campaigns.entries(other)

    world.crm.campaigns.cancel_entry(entry.entry_no)
    world.crm.campaigns.delete_canceled_entries(other)

    assert world.rows(other) == []
    assert world.rows() == [("Contact", world.cronus)]


def test_segment_lines_keep_the_group_current(world: World) -> None:
    """§4.10, §6.3: a line adds its company; removing the last one removes it."""
    world.log(world.fabrikam)
    world.segment("SM1")
    world.crm.campaigns.activate(world.campaign, force=True)

    line = world.add_line("SM1", world.ann)
    again = world.add_line("SM1", world.cronus)
    added = world.rows()
    world.remove_line("SM1", line)
    kept = world.rows()
    world.remove_line("SM1", again)

    assert added == [("Contact", world.cronus), ("Contact", world.fabrikam)]
    assert kept == added
    assert world.rows() == [("Contact", world.fabrikam)]


def test_every_segment_use_case_keeps_the_group_current(world: World) -> None:
    """§6.3: Add Contacts, Go Back, Reduce and Delete add and remove companies."""
    world.log(world.fabrikam)
    world.segment("SM1")
    world.crm.campaigns.activate(world.campaign, force=True)
    segs, where = world.crm.segments, rm.where
    fabrikam_only = [("Contact", world.fabrikam)]

    segs.add_contacts("SM1", where.no.isin([world.ann, world.bo]))
    added = world.rows()  # Ann's company; Bo has none
    segs.go_back("SM1")
    undone = world.rows()
    segs.add_contacts("SM1", where.no == world.ann)
    segs.reduce("SM1", where.name.startswith("Ann"))
    reduced = world.rows()
    segs.add_contacts("SM1", where.no == world.ann)
    segs.delete("SM1")

    assert added == [("Contact", world.cronus), *fabrikam_only]
    assert undone == reduced == world.rows() == fabrikam_only


def test_deleting_or_merging_a_company_moves_its_targets_with_its_entries(
    world: World,
) -> None:
    """§2.7, §2.12, §6.3: the rows follow the entries (deleted, merged, unmerged)."""
    world.log(world.fabrikam)
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)
    both = [("Contact", world.cronus), ("Contact", world.fabrikam)]
    assert world.rows() == both

    dup = world.crm.duplicates
    dup.merge(dup.plan_merge(world.cronus, world.fabrikam))
    merged = world.rows()  # Fabrikam's invitation now counts for Cronus
    dup.unmerge(world.fabrikam)
    unmerged = world.rows()
    world.crm.contacts.delete(world.fabrikam)

    assert merged == [("Contact", world.cronus)]
    assert unmerged == both
    assert world.rows() == [("Contact", world.cronus)]


def test_refreshing_without_a_campaign_or_company_does_nothing(world: World) -> None:
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)

    with world.crm.uow_factory() as uow:
        refresh_campaign_target(uow, None, world.cronus)
        refresh_campaign_target(uow, world.campaign, None)
        refresh_campaign_target(uow, world.campaign, "CT999999")  # no such contact
        uow.commit()

    assert world.rows() == [("Contact", world.cronus)]


def test_creating_a_customer_converts_the_company_rows(world: World) -> None:
    """§2.9 step 8, §6.3 ConverttoCustomer: (Contact, company) -> (Customer, new No.)."""
    world.log(world.ann)
    world.log(world.fabrikam)
    world.crm.campaigns.activate(world.campaign, force=True)

    customer = world.crm.contacts.create_customer(world.ann)  # for the company

    assert world.rows() == [("Contact", world.fabrikam), ("Customer", customer)]
    world.log(world.ann)
    assert world.rows() == [("Contact", world.fabrikam), ("Customer", customer)]


# --- targeting and pricing (§6.3 Pricing effect) -------------------------------------------


def test_a_contact_is_targeted_through_its_company_within_the_dates(
    world: World,
) -> None:
    world.log(world.cronus)
    world.crm.campaigns.activate(world.campaign, force=True)
    campaigns = world.crm.campaigns

    assert campaigns.is_targeted(world.ann)  # the work date, in March
    assert campaigns.targeted_by(world.cronus, on=MAR31) == [world.campaign]
    assert not campaigns.is_targeted(world.ann, on=dt.date(2026, 4, 1))
    assert not campaigns.is_targeted(world.fabrikam)
    assert not campaigns.is_targeted(world.bo)
    with pytest.raises(NotFoundError):
        campaigns.is_targeted("C99999")


def test_a_customer_no_is_targeted_through_its_rows(world: World) -> None:
    customer = world.crm.contacts.create_customer(world.cronus)
    world.log(world.ann)
    world.crm.campaigns.activate(world.campaign, force=True)
    world.crm.contacts.unlink_business_partner(world.cronus, "Customer")

    assert world.crm.campaigns.targeted_by(customer) == [world.campaign]
    assert not world.crm.campaigns.is_targeted(world.cronus)


def test_prices_for_take_the_customer_rows_before_the_contact_rows(
    world: World,
) -> None:
    """§6.3: Customer rows win; Contact rows of the company only when there are none."""
    spring, summer = world.campaign, world.crm.campaigns.create(description="B").no
    world.price(spring, unit_price=8)
    world.price(summer, unit_price=7)
    world.log(world.cronus, campaign_no=summer)
    world.crm.campaigns.activate(summer)  # (Contact, Cronus)
    directory = world.crm.partners
    assert isinstance(directory, InMemoryBusinessPartnerDirectory)
    directory.add("Customer", "C10", name="Cronus")
    world.crm.contacts.link_to_business_partner(world.cronus, "Customer", "C10")
    world.log(world.cronus)
    world.crm.campaigns.activate(spring)  # (Customer, C10): linked, not converted

    spring_price = CampaignPriceLine(
        campaign_no=spring, asset_type="Item", asset_no="1000", unit_price=8
    )
    for party in (world.ann, world.cronus, "C10"):
        lines = world.crm.campaigns.prices_for(party, on=MAR1)
        assert lines == [spring_price]
    world.crm.campaigns.deactivate(spring)
    lines = world.crm.campaigns.prices_for(world.ann, on=MAR1)
    assert [line.campaign_no for line in lines] == [summer]


def test_prices_for_follow_campaign_and_line_dates(world: World) -> None:
    world.price(ending_date=dt.date(2026, 3, 10))
    world.crm.campaigns.put_pricing_line(
        CampaignLineDiscountLine(
            campaign_no=world.campaign,
            asset_type="Item Discount Group",
            asset_no="RETAIL",
            line_discount_pct=5,
        )
    )
    world.log(world.fabrikam)
    world.crm.campaigns.activate(world.campaign)

    on_5th = world.crm.campaigns.prices_for(world.fabrikam)
    on_20th = world.crm.campaigns.prices_for(world.fabrikam, on=dt.date(2026, 3, 20))
    in_april = world.crm.campaigns.prices_for(world.fabrikam, on=dt.date(2026, 4, 1))

    assert [line.asset_no for line in on_5th] == ["RETAIL", "1000"]
    assert [line.asset_no for line in on_20th] == ["RETAIL"]
    assert in_april == []


def test_a_document_campaign_gives_its_lines_activated_or_not(world: World) -> None:
    """§6.3: a sales header's Campaign No. is the only campaign used."""
    world.price()
    other = world.crm.campaigns.create(description="Other").no
    world.price(other, unit_price=3)
    world.log(world.bo, campaign_no=other)

    lines = world.crm.campaigns.prices_for(world.bo, campaign_no=world.campaign)

    assert [line.campaign_no for line in lines] == [world.campaign]
    assert world.crm.campaigns.prices_for("C99999", campaign_no=world.campaign) == lines
    assert world.crm.campaigns.prices_for(world.bo) == []
    with pytest.raises(NotFoundError):
        world.crm.campaigns.prices_for(world.bo, campaign_no="CP9999")


# --- the property: the group always equals what activation would build --------------

_COMPANIES = 3
_op = st.one_of(
    st.tuples(
        st.just("line"), st.integers(0, 2 * _COMPANIES), st.booleans()
    ),  # contact, target segment?
    st.tuples(st.just("unline"), st.integers(0, 50), st.booleans()),
    st.tuples(
        st.just("log"), st.integers(0, 2 * _COMPANIES), st.booleans()
    ),  # contact, postponed?
    st.tuples(st.just("note"), st.integers(0, 2 * _COMPANIES), st.booleans()),
    st.tuples(st.just("purge"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("resume"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("customer"), st.integers(0, _COMPANIES - 1), st.booleans()),
)


def _from_scratch(crm: rm.Crm, campaign_no: str) -> set[tuple[str, str, str]]:
    """The rows activation would build now (pricing lines assumed)."""
    key = CampaignNo(campaign_no)
    with crm.uow_factory() as uow:
        targeted = uow.campaign_target_groups.targeted_companies(key)
        companies = uow.contacts.get_many(targeted).values()
        rows = plan_activation(key, companies=companies, has_pricing_lines=True)
    return {row.key for row in rows}


def _replay(crm: rm.Crm, ops: list[tuple[str, int, bool]]) -> None:
    """Apply ``ops`` to an activated campaign; check the group after each one."""
    world = World(crm)
    companies = [crm.contacts.create_company(name=f"Co {n}").no for n in range(3)]
    persons = [
        crm.contacts.create_person(name=f"Pat {n}", company_no=company).no
        for n, company in enumerate(companies)
    ]
    contacts = [*companies, *persons, world.bo]
    world.segment("SMT")
    world.segment("SMN", target=False)
    world.log(world.cronus)  # an anchor never removed: the campaign stays activated
    world.crm.campaigns.activate(world.campaign, force=True)
    lines: list[tuple[str, int]] = []
    entries: list[int] = []
    postponed: list[int] = []
    for op, n, flag in ops:
        if op == "line":
            segment = "SMT" if flag else "SMN"
            lines.append((segment, world.add_line(segment, contacts[n])))
        elif op == "unline" and lines:
            world.remove_line(*lines.pop(n % len(lines)))
        elif op in {"log", "note"}:
            template = "call" if op == "log" else "note"
            entry = world.log(contacts[n], template=template, postponed=flag)
            (postponed if flag else entries).append(entry)
        elif op == "purge" and entries:
            world.purge(entries.pop(n % len(entries)))
        elif op == "resume" and postponed:
            entry = postponed.pop(n % len(postponed))
            crm.interactions.resume(entry)
            entries.append(entry)
        elif op == "customer":
            company = companies[n]
            if crm.contacts.business_relation(company).value != "Customer":
                crm.contacts.create_customer(company)
        stored = {g.key for g in crm.campaigns.target_groups(world.campaign)}
        assert stored == _from_scratch(crm, world.campaign), (op, n, flag)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(_op, max_size=12))
def test_the_group_equals_a_fresh_activation_on_memory(
    ops: list[tuple[str, int, bool]],
) -> None:
    """§6.3: adding and removing targeting lines and entries keeps the group exact."""
    with _open("memory") as crm:
        _replay(crm, ops)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(_op, max_size=10))
def test_the_group_equals_a_fresh_activation_on_sqlite(
    ops: list[tuple[str, int, bool]],
) -> None:
    """The same on SQLite, with fewer examples."""
    with _open("sqlite") as crm:
        _replay(crm, ops)
