"""Campaigns, campaign entries, price lines and statistics (spec §6, §3.4)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from relationship_mgmt.domain.campaigns import (
    NO_PRICING_QUESTION,
    NO_TARGET_MESSAGE,
    Campaign,
    CampaignEntry,
    CampaignEntryChoice,
    CampaignLineDiscountLine,
    CampaignPriceLine,
    CampaignStatistics,
    CampaignTargetGroup,
    OpportunityFigures,
    OpportunityOutcome,
    PriceAssetType,
    TargetType,
    campaign_entry_description,
    campaign_entry_statistics,
    campaign_statistics,
    deletable_campaign_entries,
    find_campaign_entry,
    plan_activation,
    pricing_campaigns,
    pricing_line_applies,
    pricing_line_key,
    target_group_of,
    targeted_companies,
)
from relationship_mgmt.domain.contacts import BusinessRelationLink, Contact, LinkToTable
from relationship_mgmt.domain.interactions import DocumentType, InteractionLogEntry
from relationship_mgmt.domain.segments import SegmentLine
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import CodeTooLongError, ValidationError

MAR1 = dt.date(2026, 3, 1)
MAR31 = dt.date(2026, 3, 31)


def _ile(entry_no: int, **fields: Any) -> InteractionLogEntry:
    values: dict[str, Any] = {
        "contact_no": "CT1",
        "date": dt.date(2026, 3, 2),
        "campaign_no": "CP1",
    }
    values.update(fields)
    return InteractionLogEntry(entry_no=entry_no, **values)


def _entry(entry_no: int = 1, **fields: Any) -> CampaignEntry:
    values: dict[str, Any] = {"campaign_no": "CP1", "date": MAR1}
    values.update(fields)
    return CampaignEntry(entry_no=entry_no, **values)


def _modified(cp: Campaign) -> dt.date | None:
    return cp.last_date_modified


# --- §6.1 Campaign ---------------------------------------------------------------------


def test_campaign_fields_are_normalised_per_6_1() -> None:
    cp = Campaign(
        no=" cp1 ",
        description="Spring",
        salesperson_code="jo",
        status_code="active",
        global_dimension_1_code="sales",
        global_dimension_2_code=" ",
        no_series="camp",
        last_date_modified=MAR1,
    )
    assert (cp.no, cp.salesperson_code, cp.status_code) == ("CP1", "JO", "ACTIVE")
    assert cp.global_dimension_1_code == "SALES"
    assert cp.global_dimension_2_code is None
    assert cp.no_series == "CAMP"
    assert cp.activated is False
    assert cp.version == 0


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"no": ""}, "no"),
        ({"no": 5}, "no"),
        ({"no": "X", "description": "d" * 101}, "description"),
        ({"no": "X", "starting_date": "2026-01-01"}, "starting_date"),
        (
            {"no": "X", "ending_date": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
            "ending_date",
        ),
        ({"no": "X", "salesperson_code": 3}, "salesperson_code"),
        ({"no": "X", "activated": 1}, "activated"),
    ],
)
def test_campaign_refuses_bad_values_per_6_1(fields: dict[str, Any], name: str) -> None:
    with pytest.raises(ValidationError) as info:
        Campaign(**fields)
    assert info.value.field == name


def test_status_code_is_a_code10_per_6_1() -> None:
    with pytest.raises(CodeTooLongError):
        Campaign(no="X", status_code="S" * 11)


def test_starting_after_ending_is_refused_with_bc_message_per_6_1() -> None:
    with pytest.raises(
        ValidationError, match=r"Starting Date must be before Ending Date\."
    ):
        Campaign(no="X", starting_date=MAR31, ending_date=MAR1)
    Campaign(no="X", starting_date=MAR1, ending_date=MAR1)
    Campaign(no="X", starting_date=MAR31)
    Campaign(no="X", ending_date=MAR1)


def test_change_reports_the_field_being_validated_per_6_1() -> None:
    cp = Campaign(no="X", starting_date=MAR1, ending_date=MAR31)
    with pytest.raises(ValidationError) as start:
        cp.change(starting_date=dt.date(2026, 4, 1))
    assert start.value.field == "starting_date"
    assert str(start.value).startswith(
        "starting_date: Starting Date must be before Ending Date."
    )
    with pytest.raises(ValidationError) as end:
        cp.change(ending_date=dt.date(2026, 2, 1))
    assert end.value.field == "ending_date"
    assert "Ending Date must be after Starting Date." in str(end.value)
    assert (cp.starting_date, cp.ending_date) == (MAR1, MAR31)


def test_change_moves_both_dates_together_per_6_1() -> None:
    cp = Campaign(no="X", starting_date=MAR1, ending_date=MAR31)
    cp.change(starting_date=dt.date(2026, 5, 1), ending_date=dt.date(2026, 5, 31))
    assert (cp.starting_date, cp.ending_date) == (
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 31),
    )
    cp.change(ending_date=None)
    assert cp.ending_date is None


def test_change_is_all_or_nothing_per_6_1() -> None:
    cp = Campaign(no="X", description="Old")
    with pytest.raises(ValidationError):
        cp.change(description="New", status_code=7)
    assert cp.description == "Old"
    assert cp.status_code is None


@pytest.mark.parametrize("name", ["no", "version", "last_date_modified", "bogus"])
def test_change_refuses_key_and_unknown_fields_per_6_1(name: str) -> None:
    cp = Campaign(no="X")
    changes: dict[str, Any] = {name: "Y"}
    with pytest.raises(ValidationError, match="is not a changeable field"):
        cp.change(**changes)


def test_change_sets_last_date_modified_from_today_per_6_1() -> None:
    cp = Campaign(no="X")
    cp.change(description="A")
    assert _modified(cp) is None
    cp.change(today=MAR1, description="B")
    assert (cp.description, _modified(cp)) == ("B", MAR1)
    cp.change(today=MAR31)
    assert _modified(cp) == MAR31


def test_activated_and_salesperson_are_plain_fields_per_6_1_6_3() -> None:
    cp = Campaign(no="X")
    cp.change(activated=True, salesperson_code="ap", status_code="done")
    assert (cp.activated, cp.salesperson_code, cp.status_code) == (True, "AP", "DONE")
    cp.change(salesperson_code=None)
    assert cp.salesperson_code is None


def test_campaign_deepcopy_is_equal_and_independent() -> None:
    cp = Campaign(no="X", description="A")
    clone = copy.deepcopy(cp)
    assert clone == cp
    clone.change(description="B")
    assert cp.description == "A"


def test_field_names_exclude_key_version_and_last_modified() -> None:
    names = Campaign.field_names()
    assert {"no", "version", "last_date_modified"}.isdisjoint(names)
    assert {"description", "starting_date", "activated", "no_series"} <= names


# --- §6.2 Campaign Entry ----------------------------------------------------------------


def test_campaign_entry_defaults_per_6_2() -> None:
    e = _entry(user_id=" admin ", segment_no="sm1", salesperson_code="jo")
    assert e.description == "Interactions"
    assert (e.user_id, e.segment_no, e.salesperson_code) == ("ADMIN", "SM1", "JO")
    assert e.document_type is DocumentType.BLANK
    assert e.register_no is None
    assert e.canceled is False


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"entry_no": 0}, "entry_no"),
        ({"entry_no": True}, "entry_no"),
        ({"campaign_no": " "}, "campaign_no"),
        ({"date": None}, "date"),
        ({"user_id": 1}, "user_id"),
        ({"register_no": 0}, "register_no"),
        ({"document_type": "Nope"}, "document_type"),
        ({"description": "x" * 101}, "description"),
        ({"canceled": "yes"}, "canceled"),
    ],
)
def test_campaign_entry_refuses_bad_values_per_6_2(
    fields: dict[str, Any], name: str
) -> None:
    values: dict[str, Any] = {"entry_no": 1, "campaign_no": "CP1", "date": MAR1}
    values.update(fields)
    with pytest.raises(ValidationError) as info:
        CampaignEntry(**values)
    assert info.value.field == name


def test_cancel_and_uncancel_return_copies_per_6_2() -> None:
    e = _entry(register_no=3)
    canceled = e.cancel()
    assert canceled.canceled
    assert not e.canceled
    assert canceled.cancel() is canceled
    assert canceled.register_no == 3
    restored = canceled.uncancel()
    assert restored == e
    assert e.uncancel() is e


def test_find_creates_the_first_entry_per_3_4_6_2() -> None:
    choice = find_campaign_entry(
        [],
        campaign_no="cp1",
        segment_no="sm1",
        date=MAR1,
        entry_no=9,
        user_id="admin",
        salesperson_code="jo",
        register_no=4,
        segment_description="Spring mailing",
    )
    assert isinstance(choice, CampaignEntryChoice)
    assert choice.is_new
    assert choice.entry == CampaignEntry(
        entry_no=9,
        campaign_no="CP1",
        date=MAR1,
        description="Spring mailing",
        user_id="ADMIN",
        segment_no="SM1",
        salesperson_code="JO",
        register_no=4,
    )


def test_find_reuses_per_campaign_segment_and_document_type_per_6_2() -> None:
    manual = _entry(1)
    from_segment = _entry(2, segment_no="SM1")
    invoices = _entry(3, document_type=DocumentType.SALES_INVOICE)
    other_campaign = _entry(4, campaign_no="CP2")
    entries = [other_campaign, invoices, from_segment, manual]

    def pick(**key: Any) -> CampaignEntryChoice:
        return find_campaign_entry(entries, date=MAR31, entry_no=99, **key)

    assert pick(campaign_no="CP1").entry is manual
    assert pick(campaign_no="CP1", segment_no="sm1").entry is from_segment
    assert pick(campaign_no="CP1", document_type="Sales Inv.").entry is invoices
    assert pick(campaign_no="CP2").entry is other_campaign
    fresh = pick(campaign_no="CP1", segment_no="SM2")
    assert fresh.is_new
    assert fresh.entry.entry_no == 99
    assert fresh.entry.date == MAR31


def test_find_reuses_canceled_entries_and_prefers_the_lowest_number_per_6_2() -> None:
    later = _entry(5)
    earlier = _entry(2).cancel()
    choice = find_campaign_entry(
        [later, earlier], campaign_no="CP1", date=MAR1, entry_no=6
    )
    assert not choice.is_new
    assert choice.entry is earlier


def test_find_refuses_a_blank_campaign_per_6_2() -> None:
    with pytest.raises(ValidationError):
        find_campaign_entry([], campaign_no="", date=MAR1, entry_no=1)


def test_document_entry_takes_the_setup_caption_per_6_2() -> None:
    choice = find_campaign_entry(
        [],
        campaign_no="CP1",
        date=MAR1,
        entry_no=1,
        document_type=DocumentType.SALES_INVOICE,
        document_caption="Sales Invoices",
    )
    assert choice.entry.description == "Sales Invoices"
    assert choice.entry.document_type is DocumentType.SALES_INVOICE


def test_entry_description_order_per_6_2() -> None:
    assert campaign_entry_description() == "Interactions"
    assert campaign_entry_description(segment_description="") == "Interactions"
    assert (
        campaign_entry_description(segment_description="Seg", document_caption="Doc")
        == "Seg"
    )
    assert campaign_entry_description(document_caption="Doc") == "Doc"
    assert campaign_entry_description(segment_description="s" * 120) == "s" * 100
    with pytest.raises(ValidationError):
        campaign_entry_description(segment_description=3)  # type: ignore[arg-type]


def test_delete_batch_takes_only_canceled_entries_per_6_2() -> None:
    live = _entry(1)
    gone = _entry(2).cancel()
    other = _entry(3, campaign_no="CP2").cancel()
    assert deletable_campaign_entries([live, gone, other]) == (gone, other)
    assert deletable_campaign_entries([live, gone, other], campaign_no="cp2") == (
        other,
    )


def test_entry_statistics_follow_the_entry_canceled_flag_per_6_2() -> None:
    entry = _entry(1)
    live = _ile(1, campaign_entry_no=1, cost_lcy=2, duration_min=5)
    dead = _ile(2, campaign_entry_no=1, cost_lcy=7, duration_min=1).cancel()
    postponed = _ile(3, campaign_entry_no=1, postponed=True, cost_lcy=100)
    elsewhere = _ile(4, campaign_entry_no=2, cost_lcy=50)
    all_entries = [live, dead, postponed, elsewhere]
    stats = campaign_entry_statistics(entry, all_entries)
    assert (stats.no_of_interactions, stats.cost_lcy, stats.duration_min) == (
        1,
        Decimal(2),
        Decimal(5),
    )
    canceled = campaign_entry_statistics(entry.cancel(), all_entries)
    assert (canceled.no_of_interactions, canceled.cost_lcy) == (1, Decimal(7))


# --- §6.3 price and line-discount lines --------------------------------------------------


def test_price_line_fields_per_6_3() -> None:
    line = CampaignPriceLine(
        campaign_no="cp1",
        asset_type="Resource",
        asset_no="lift",
        variant_code="red",
        unit_of_measure_code="pcs",
        currency_code="eur",
        minimum_quantity=2,
        starting_date=MAR1,
        ending_date=MAR31,
        unit_price="12.50",
        allow_line_disc=False,
    )
    assert (line.campaign_no, line.asset_type, line.asset_no) == (
        "CP1",
        PriceAssetType.RESOURCE,
        "LIFT",
    )
    assert (line.variant_code, line.unit_of_measure_code, line.currency_code) == (
        "RED",
        "PCS",
        "EUR",
    )
    assert (line.minimum_quantity, line.unit_price) == (Decimal(2), Decimal("12.50"))
    assert not line.allow_line_disc
    assert line.allow_invoice_disc


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"asset_type": "Item Discount Group"}, "asset_type"),
        ({"asset_type": "Car"}, "asset_type"),
        ({"asset_no": ""}, "asset_no"),
        ({"unit_price": -1}, "unit_price"),
        ({"unit_price": 1.5}, "unit_price"),
        ({"unit_price": True}, "unit_price"),
        ({"unit_price": "abc"}, "unit_price"),
        ({"unit_price": "NaN"}, "unit_price"),
        ({"minimum_quantity": -1}, "minimum_quantity"),
        ({"allow_invoice_disc": None}, "allow_invoice_disc"),
        ({"starting_date": MAR31, "ending_date": MAR1}, "starting_date"),
    ],
)
def test_price_line_refuses_bad_values_per_6_3(
    fields: dict[str, Any], name: str
) -> None:
    values: dict[str, Any] = {
        "campaign_no": "CP1",
        "asset_type": "Item",
        "asset_no": "1000",
    }
    values.update(fields)
    with pytest.raises(ValidationError) as info:
        CampaignPriceLine(**values)
    assert info.value.field == name


def test_line_discount_allows_item_discount_groups_per_6_3() -> None:
    line = CampaignLineDiscountLine(
        campaign_no="CP1",
        asset_type=PriceAssetType.ITEM_DISCOUNT_GROUP,
        asset_no="retail",
        line_discount_pct="100",
    )
    assert line.line_discount_pct == Decimal(100)


@pytest.mark.parametrize("pct", ["100.01", -1])
def test_line_discount_pct_is_0_to_100_per_6_3(pct: object) -> None:
    with pytest.raises(ValidationError) as info:
        CampaignLineDiscountLine(
            campaign_no="CP1", asset_type="Item", asset_no="1", line_discount_pct=pct
        )
    assert info.value.field == "line_discount_pct"


def test_pricing_line_applies_within_both_date_ranges_per_6_3() -> None:
    cp = Campaign(no="CP1", starting_date=MAR1, ending_date=MAR31)
    line = CampaignLineDiscountLine(
        campaign_no="CP1",
        asset_type="Item",
        asset_no="1",
        starting_date=dt.date(2026, 3, 10),
    )
    assert not pricing_line_applies(line, cp, dt.date(2026, 2, 28))
    assert not pricing_line_applies(line, cp, dt.date(2026, 3, 9))
    assert pricing_line_applies(line, cp, dt.date(2026, 3, 10))
    assert pricing_line_applies(line, cp, MAR31)
    assert not pricing_line_applies(line, cp, dt.date(2026, 4, 1))
    open_cp = Campaign(no="CP1")
    assert pricing_line_applies(line, open_cp, dt.date(2030, 1, 1))


def test_pricing_line_of_another_campaign_is_refused_per_6_3() -> None:
    line = CampaignPriceLine(campaign_no="CP2", asset_type="Item", asset_no="1")
    with pytest.raises(ValidationError, match="is not campaign"):
        pricing_line_applies(line, Campaign(no="CP1"), MAR1)


# --- §6.4 statistics -------------------------------------------------------------------


def test_interaction_figures_count_entries_not_canceled_nor_postponed_per_6_1() -> None:
    entries = [
        _ile(1, campaign_target=True, cost_lcy=2, duration_min=10),
        _ile(2, campaign_target=True, campaign_response=True, cost_lcy=3),
        _ile(3, contact_no="CT2", campaign_target=True, duration_min=5),
        _ile(4, campaign_target=True, cost_lcy=100).cancel(),
        _ile(5, campaign_target=True, postponed=True, cost_lcy=100),
        _ile(6, campaign_no="CP2", campaign_target=True, cost_lcy=100),
        _ile(7, campaign_response=True),
    ]
    stats = campaign_statistics(entries, campaign_no="cp1")
    # Counts of entries (BC's Count FlowFields), not of distinct contacts.
    assert stats.target_contacts_contacted == 3
    assert stats.contacts_responded == 2
    assert stats.no_of_interactions == 4
    assert (stats.cost_lcy, stats.duration_min) == (Decimal(5), Decimal(15))
    assert stats.response_rate == Decimal(2) / Decimal(3)


def test_date_filter_is_inclusive_per_6_1() -> None:
    entries = [
        _ile(1, date=dt.date(2026, 2, 28), campaign_target=True),
        _ile(2, date=MAR1, campaign_target=True),
        _ile(3, date=MAR31, campaign_target=True),
        _ile(4, date=dt.date(2026, 4, 1), campaign_target=True),
    ]
    assert (
        campaign_statistics(
            entries, campaign_no="CP1", starting=MAR1, ending=MAR31
        ).target_contacts_contacted
        == 2
    )
    assert (
        campaign_statistics(entries, campaign_no="CP1", ending=MAR1).no_of_interactions
        == 2
    )


def test_opportunity_figures_per_6_1_6_4() -> None:
    ops = [
        OpportunityFigures(
            opportunity_no="op1",
            campaign_no="cp1",
            estimated_value_lcy=1000,
            calcd_current_value_lcy="250.5",
            status="Won",
        ),
        OpportunityFigures(
            opportunity_no="OP2",
            campaign_no="CP1",
            estimated_value_lcy=-10,
            status=OpportunityOutcome.LOST,
        ),
        OpportunityFigures(opportunity_no="OP3", campaign_no="CP1"),
        OpportunityFigures(
            opportunity_no="OP4", campaign_no="CP2", estimated_value_lcy=9
        ),
        OpportunityFigures(opportunity_no="OP5", estimated_value_lcy=9),
    ]
    stats = campaign_statistics([], campaign_no="CP1", opportunities=ops)
    assert stats.no_of_opportunities == 3
    assert stats.estimated_value_lcy == Decimal(990)
    assert stats.calcd_current_value_lcy == Decimal("250.5")
    assert (stats.no_of_won_opportunities, stats.no_of_lost_opportunities) == (1, 1)
    assert stats.response_rate is None


def test_an_opportunity_given_twice_is_refused_per_6_4() -> None:
    op = OpportunityFigures(opportunity_no="OP1", campaign_no="CP1")
    with pytest.raises(ValidationError, match="is given twice"):
        campaign_statistics([], campaign_no="CP1", opportunities=[op, op])


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"opportunity_no": ""}, "opportunity_no"),
        ({"estimated_value_lcy": "x"}, "estimated_value_lcy"),
        ({"estimated_value_lcy": "Infinity"}, "estimated_value_lcy"),
        ({"calcd_current_value_lcy": 1.0}, "calcd_current_value_lcy"),
        ({"status": "Done"}, "status"),
        ({"campaign_no": 4}, "campaign_no"),
    ],
)
def test_opportunity_figures_refuse_bad_values(
    fields: dict[str, Any], name: str
) -> None:
    values: dict[str, Any] = {"opportunity_no": "OP1"}
    values.update(fields)
    with pytest.raises(ValidationError) as info:
        OpportunityFigures(**values)
    assert info.value.field == name


def test_response_rate_per_6_4() -> None:
    assert CampaignStatistics().response_rate is None
    assert CampaignStatistics(
        target_contacts_contacted=4, contacts_responded=1
    ).response_rate == Decimal("0.25")


def test_pricing_line_keys_tell_kinds_and_quantities_apart() -> None:
    """§6.3: one line per kind, asset, variant, unit, currency, quantity and start."""
    price = CampaignPriceLine(campaign_no="CP1", asset_type="Item", asset_no="1000")
    discount = CampaignLineDiscountLine(
        campaign_no="CP1", asset_type="Item", asset_no="1000"
    )
    assert pricing_line_key(price) != pricing_line_key(discount)
    assert pricing_line_key(
        attrs.evolve(price, minimum_quantity=Decimal("1.50"))
    ) == pricing_line_key(attrs.evolve(price, minimum_quantity=Decimal("1.5")))
    assert pricing_line_key(
        attrs.evolve(price, starting_date=dt.date(2026, 3, 1))
    ).endswith("|2026-03-01")
    with pytest.raises(ValidationError):
        pricing_line_key("1000")  # type: ignore[arg-type]


# --- §6.3 Campaign target groups and activation -----------------------------------------

NOW = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def _company(no: str, customer: str | None = None) -> Contact:
    relations = (
        set()
        if customer is None
        else {BusinessRelationLink("CUST", LinkToTable.CUSTOMER, customer)}
    )
    return Contact.create_company(
        no=no,
        name=f"Company {no}",
        now=NOW,
        setup=RelationshipSetup(),
        business_relations=relations,
    )


def _line(line_no: int, company: str | None, **fields: Any) -> SegmentLine:
    values: dict[str, Any] = {
        "contact_no": f"P{line_no}",
        "contact_company_no": company,
        "campaign_no": "CP1",
        "campaign_target": True,
    }
    values.update(fields)
    return SegmentLine(line_no=line_no, **values)


def test_target_group_rows_are_keyed_by_type_no_and_campaign_per_6_3() -> None:
    row = CampaignTargetGroup(type="Customer", no=" c10000 ", campaign_no="cp1")

    assert (row.type, row.no, row.campaign_no) == (TargetType.CUSTOMER, "C10000", "CP1")
    assert row.key == ("Customer", "C10000", "CP1")
    assert row == CampaignTargetGroup(
        type=TargetType.CUSTOMER, no="C10000", campaign_no="CP1"
    )


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"type": "Vendor"}, "type"),
        ({"no": ""}, "no"),
        ({"no": "X" * 21}, "no"),
        ({"campaign_no": " "}, "campaign_no"),
    ],
)
def test_target_group_rows_refuse_bad_values(fields: dict[str, Any], name: str) -> None:
    values: dict[str, Any] = {"type": "Contact", "no": "CT1", "campaign_no": "CP1"}
    values.update(fields)

    with pytest.raises(ValidationError) as info:
        CampaignTargetGroup(**values)

    assert info.value.field == name


def test_lines_and_entries_target_their_company_per_6_3() -> None:
    """§6.3 ActivateCampaign: lines with Campaign Target, entries not postponed too.

    Always the company (a person's line gives its Contact Company No.); other
    campaigns, lines without Campaign Target and postponed entries give nothing;
    canceled entries count; duplicates collapse.
    """
    lines = [
        _line(1, "CT2"),
        _line(2, "CT1"),
        _line(3, "CT1"),
        _line(4, "CT3", campaign_target=False),
        _line(5, "CT4", campaign_no="CP2"),
        _line(6, None),  # a person without a company
    ]
    entries = [
        _ile(1, contact_company_no="CT5", campaign_target=True),
        _ile(2, contact_company_no="CT6", campaign_target=True, postponed=True),
        _ile(3, contact_company_no="CT7", campaign_target=True, canceled=True),
        _ile(4, contact_company_no="CT8"),
    ]

    found = targeted_companies("cp1", lines=lines, entries=entries)

    assert found == ["CT1", "CT2", "CT5", "CT7"]
    assert targeted_companies("CP1", lines=lines, company_no="ct2") == ["CT2"]
    assert targeted_companies("CP1", entries=entries, company_no="CT6") == []
    assert targeted_companies("CP2", lines=lines) == ["CT4"]


def test_a_company_with_a_customer_relation_is_targeted_as_the_customer_per_6_3() -> (
    None
):
    """§6.3 add_target: (Customer, cust. no.) if a Customer relation, else (Contact, company)."""
    plain, customer = _company("CT1"), _company("CT2", customer="C10000")
    person = Contact.create_person(
        no="CT3", name="Ann Lee", now=NOW, setup=RelationshipSetup()
    )

    assert target_group_of(plain, "CP1") == CampaignTargetGroup(
        type="Contact", no="CT1", campaign_no="CP1"
    )
    assert target_group_of(customer, "CP1") == CampaignTargetGroup(
        type="Customer", no="C10000", campaign_no="CP1"
    )
    assert target_group_of(person, "CP1") is None


def test_activation_builds_one_row_per_company_per_6_3() -> None:
    companies = [_company("CT2", customer="C10000"), _company("CT1"), _company("CT1")]

    rows = plan_activation("cp1", companies=companies, has_pricing_lines=True)

    assert [r.key for r in rows] == [
        ("Contact", "CT1", "CP1"),
        ("Customer", "C10000", "CP1"),
    ]


def test_activation_with_nothing_to_target_is_bcs_error_per_6_3() -> None:
    person = Contact.create_person(
        no="CT3", name="Ann Lee", now=NOW, setup=RelationshipSetup()
    )

    for companies in ([], [person]):
        with pytest.raises(ValidationError) as info:
            plan_activation("CP1", companies=companies, has_pricing_lines=True)

        assert (info.value.field, info.value.reason) == (
            "campaign_no",
            NO_TARGET_MESSAGE,
        )
    assert NO_TARGET_MESSAGE.startswith(
        "To activate the sales prices and/or line discounts, you must apply the"
    )


def test_activation_without_pricing_lines_asks_bcs_question_first_per_6_3() -> None:
    """§6.3: the confirmation comes before the targets are looked at; force is "yes"."""
    with pytest.raises(ValidationError) as info:
        plan_activation("CP1", companies=[], has_pricing_lines=False)

    assert (info.value.field, info.value.value) == ("force", False)
    assert info.value.reason == NO_PRICING_QUESTION
    assert NO_PRICING_QUESTION.endswith("Do you still want to activate?")
    rows = plan_activation(
        "CP1", companies=[_company("CT1")], has_pricing_lines=False, force=True
    )
    assert [r.no for r in rows] == ["CT1"]


def test_pricing_campaigns_follow_the_document_then_customer_then_contact_per_6_3() -> (
    None
):
    """§6.3 Pricing effect: the document's campaign; else Customer rows; else Contact."""
    customer = [
        CampaignTargetGroup(type="Customer", no="C1", campaign_no=no)
        for no in ("CP3", "CP1", "CP3")
    ]
    contact = [CampaignTargetGroup(type="Contact", no="CT1", campaign_no="CP2")]

    assert pricing_campaigns(customer_rows=customer, contact_rows=contact) == [
        "CP1",
        "CP3",
    ]
    assert pricing_campaigns(customer_rows=[], contact_rows=contact) == ["CP2"]
    assert pricing_campaigns(
        document_campaign_no="cp9", customer_rows=customer, contact_rows=contact
    ) == ["CP9"]
    assert pricing_campaigns() == []


def test_a_campaign_runs_within_its_dates_per_6_3() -> None:
    open_ended = Campaign(no="CP1", starting_date=MAR1)
    march = Campaign(no="CP2", starting_date=MAR1, ending_date=MAR31)

    assert open_ended.runs_on(dt.date(2030, 1, 1))
    assert not open_ended.runs_on(dt.date(2026, 2, 28))
    assert march.runs_on(MAR1)
    assert march.runs_on(MAR31)
    assert not march.runs_on(dt.date(2026, 4, 1))
    assert Campaign(no="CP3").runs_on(dt.date(1999, 1, 1))
