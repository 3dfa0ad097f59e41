"""The ``relmgmt demo`` chapter on opportunities, the pipeline and campaigns (spec §5, §6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli.opportunities import (
    amount,
    campaign_statistics_table,
    cycle_stages_table,
    entries_table,
    percent,
    pipeline_table,
    pricing_lines_table,
    stage_options_text,
    target_groups_table,
    time_in_stage_table,
    totals_table,
)
from relationship_mgmt.cli.tasks import tasks_table
from relationship_mgmt.domain.campaigns import (
    CampaignLineDiscountLine,
    CampaignPriceLine,
)
from relationship_mgmt.domain.contacts import Contact, ContactType
from relationship_mgmt.domain.opportunities import SalesCycleStage
from relationship_mgmt.domain.tasks import ActivityStep

__all__ = ["opportunities_chapter"]

_MARCH = 3


def _day(day: int) -> dt.date:
    """A day of March 2024, the month of the spec's worked example (§5.10)."""
    return dt.date(2024, _MARCH, day)


def _company(crm: rm.Crm, name: str) -> Contact:
    return next(
        c
        for c in crm.contacts.search(name)
        if c.type is ContactType.COMPANY and c.name == name
    )


def opportunities_chapter(crm: rm.Crm, console: Console) -> None:
    """§5.10 step by step, two more deals, the pipeline then and now, a campaign.

    It uses salesperson JO (the interactions chapter), the close codes WON-PRICE
    and LOST-LATE (the setup chapter) and the companies Cronus Cardoxy Procurement
    and Fabrikam Industries (the contacts chapter). Moves are dated in March 2024,
    as in the spec, with an explicit Date of Change.
    """
    console.print(
        "Opportunities (§5) move through the stages of a sales cycle. Every move "
        "writes an opportunity entry: the new one is active, the one it supersedes "
        "gets its Days Open (§5.5). We replay the spec's worked example (§5.10) "
        "number for number."
    )
    crm.tasks.create_activity(
        "INIT",
        description="Initial contact",
        steps=[
            ActivityStep(
                step_no=10000,
                type="Phone Call",
                description="Introduction call",
                date_formula="1D",
            ),
            ActivityStep(
                step_no=20000, description="Send the brochure", date_formula="3D"
            ),
        ],
    )
    cycle = crm.sales_cycles.create(
        "NEW",
        description="New business",
        probability_calculation="Multiply",
        stages=[
            SalesCycleStage(
                stage=1,
                description="Initial",
                completed_pct=10,
                chances_of_success_pct=25,
                date_formula="1W",
                activity_code="INIT",
            ),
            SalesCycleStage(
                stage=2,
                description="Presentation",
                completed_pct=25,
                chances_of_success_pct=50,
                date_formula="2W",
                allow_skip=True,
            ),
            SalesCycleStage(
                stage=3,
                description="Proposal",
                completed_pct=60,
                chances_of_success_pct=60,
                date_formula="2W",
                allow_skip=True,
                quote_required=True,
            ),
            SalesCycleStage(
                stage=4,
                description="Sign contract",
                completed_pct=90,
                chances_of_success_pct=80,
                date_formula="1W",
            ),
        ],
    )
    console.print(cycle_stages_table(cycle))
    campaign = crm.campaigns.create(
        description="Spring furniture fair",
        starting_date=_day(1),
        ending_date=_day(31),
        salesperson_code="JO",
        status_code="1-PLAN",
    )
    cronus = _company(crm, "Cronus Cardoxy Procurement")
    fabrikam = _company(crm, "Fabrikam Industries")

    _launch(crm, console, campaign.no, (cronus, fabrikam))
    no = _worked_example(crm, console, cronus, campaign.no)
    _more_deals(crm, console, fabrikam)
    _close_won(crm, console, no, cronus)
    _pipeline(crm, console)
    _campaign(crm, console, campaign.no, (cronus, fabrikam))


def _worked_example(
    crm: rm.Crm, console: Console, cronus: Contact, campaign_no: str
) -> str:
    """Steps 1 to 3 of §5.10: activate, Next, and a Skip over the quote stage."""
    opportunity = crm.opportunities.create(
        contact_no=cronus.no,
        description="Furniture for the new head office",
        salesperson_code="JO",
        sales_cycle_code="NEW",
        campaign_no=campaign_no,
        creation_date=_day(4),
    )
    no = opportunity.no
    first = crm.opportunities.first_stage(
        no,
        estimated_value=10000,
        chances_of_success_pct=40,
        estimated_close_date=dt.date(2024, 4, 30),
        date_of_change=_day(4),
    )
    tasks = crm.tasks.list(opportunity_no=no)
    main = [t for t in tasks if t.organizer_task_no in {None, t.no}]
    console.print(
        f"1. Opportunity {no} for {cronus.name}, created on {first.date_of_change} "
        f"for campaign {campaign_no}, starts at stage 1 with Estimated Value "
        f"{amount(first.estimated_value)} and chances "
        f"{percent(first.chances_of_success_pct)} %: probability 40 x 10 / 100 = "
        f"[bold]{percent(first.probability_pct)}[/bold] %, Calcd. Current Value "
        f"[bold]{amount(first.calcd_current_value)}[/bold]; the close date "
        f"{first.estimated_close_date} is kept. Activity INIT gave {len(main)} "
        "tasks dated from the Date of Change (§7.6), each with its Contact "
        "Attendee sub-task:"
    )
    console.print(tasks_table(f"Tasks of {no}", tasks))
    options = crm.opportunities.stage_options(no)
    console.print(f"   The wizard's candidates (§5.6): {stage_options_text(options)}.")

    second = crm.opportunities.next_stage(no, date_of_change=_day(11))
    console.print(
        f"2. Next on {second.date_of_change}: the chances become stage 2's "
        f"{percent(second.chances_of_success_pct)} %, probability 50 x 25 / 100 = "
        f"[bold]{percent(second.probability_pct)}[/bold] %, Calcd. "
        f"[bold]{amount(second.calcd_current_value)}[/bold]; entry 1 is closed "
        "with Days Open 7."
    )
    console.print(entries_table(f"Opportunity {no}", crm.opportunities.entries(no)))
    options = crm.opportunities.stage_options(no)
    console.print(f"3. Candidates now: {stage_options_text(options)}.")
    try:
        crm.opportunities.skip_to(no, 3, date_of_change=_day(18))
    except rm.ValidationError as error:
        console.print(
            "   Skipping to stage 3 checks its Quote Required: "
            f"[italic]{error}[/italic]"
        )
    third = crm.opportunities.skip_to(no, 4, date_of_change=_day(18))
    console.print(
        f"   Skipping over it to stage 4 needs no quote: {third.action_taken}, "
        f"chances forced to {percent(third.chances_of_success_pct)} %, probability "
        f"80 x 90 / 100 = [bold]{percent(third.probability_pct)}[/bold] %, Calcd. "
        f"[bold]{amount(third.calcd_current_value)}[/bold]."
    )
    console.print(entries_table(f"Opportunity {no}", crm.opportunities.entries(no)))
    return no


def _more_deals(crm: rm.Crm, console: Console, fabrikam: Contact) -> None:
    """Two opportunities of Fabrikam: one in progress, one lost."""
    chairs = crm.opportunities.create(
        contact_no=fabrikam.no,
        description="Office chairs",
        salesperson_code="JO",
        sales_cycle_code="NEW",
        creation_date=_day(6),
    )
    crm.opportunities.first_stage(
        chairs.no,
        estimated_value=4000,
        chances_of_success_pct=50,
        estimated_close_date=dt.date(2024, 5, 31),
        date_of_change=_day(6),
    )
    crm.opportunities.next_stage(chairs.no, date_of_change=_day(13))
    desk = crm.opportunities.create(
        contact_no=fabrikam.no,
        description="Reception desk",
        salesperson_code="JO",
        sales_cycle_code="NEW",
        creation_date=_day(8),
    )
    crm.opportunities.first_stage(
        desk.no,
        estimated_value=2500,
        chances_of_success_pct=30,
        estimated_close_date=dt.date(2024, 4, 15),
        date_of_change=_day(8),
    )
    lost = crm.opportunities.close_lost(
        desk.no, code="LOST-LATE", date_of_change=_day(20)
    )
    console.print(
        f"Meanwhile {fabrikam.name} gets {chairs.no} (office chairs, at stage 2 "
        f"since {_day(13)}) and {desk.no} (a reception desk), closed as "
        f"{lost.action_taken} on {lost.date_of_change} with code "
        f"{lost.close_opportunity_code}: its values and chances become 0 (§5.7)."
    )


def _close_won(crm: rm.Crm, console: Console, no: str, cronus: Contact) -> None:
    """Step 4 of §5.10: won with Sales (LCY) 9,500; the company becomes a customer."""
    before = crm.contacts.business_relation(cronus.no)
    won = crm.opportunities.close_won(
        no, code="WON-PRICE", sales_lcy=Decimal(9500), date_of_change=_day(25)
    )
    after = crm.contacts.business_relation(cronus.no)
    open_tasks = [t for t in crm.tasks.list(opportunity_no=no) if not t.closed]
    console.print(
        f"4. Closed as {won.action_taken} on {won.date_of_change} with Sales (LCY) "
        f"9,500: Calcd. [bold]{amount(won.calcd_current_value)}[/bold], completed, "
        f"chances and probability {percent(won.probability_pct)} %. "
        f"{cronus.name}'s business relation went from {before} to {after} (§5.5); "
        f"its open tasks were canceled ({len(open_tasks)} left)."
    )
    console.print(entries_table(f"Opportunity {no}", crm.opportunities.entries(no)))


def _pipeline(crm: rm.Crm, console: Console) -> None:
    """The pipeline now and as of 2024-03-12, time in stage, totals."""
    console.print(
        "The pipeline counts the open opportunities by stage: now from the active "
        "entries, as of a past day from the entry in force that day. Weighted value "
        "is Estimated Value x Chances %; Calcd. value follows the cycle's "
        "probability calculation."
    )
    console.print(pipeline_table(crm.opportunities.pipeline()))
    console.print(pipeline_table(crm.opportunities.pipeline(_day(12))))
    console.print(
        "Time in stage: BC's Average No. of Days (§5.9) and, over the finished "
        "stays, the median and 90th percentile."
    )
    cycles = crm.sales_cycles.list()
    rows = crm.opportunities.time_in_stage(sales_cycle_code="NEW")
    console.print(time_in_stage_table(rows, cycles))
    console.print(
        totals_table(
            "Opportunities by salesperson (active entries, closed ones too, §5.9)",
            crm.opportunities.totals("salesperson_code"),
        )
    )


def _launch(
    crm: rm.Crm, console: Console, campaign_no: str, contacts: tuple[Contact, ...]
) -> None:
    """Invitations and a response logged with the campaign, its prices, activation."""
    crm.interactions.create_group("FAIR", description="Trade fair")
    crm.interactions.create_template(
        "FAIR-INV",
        group="FAIR",
        description="Fair invitation",
        unit_cost_lcy="1.20",
        campaign_target=True,
    )
    crm.interactions.create_template(
        "FAIR-REPLY",
        group="FAIR",
        description="Reply to the invitation",
        campaign_response=True,
    )
    for contact in contacts:
        crm.interactions.log(
            contact_no=contact.no,
            template="FAIR-INV",
            salesperson_code="JO",
            campaign_no=campaign_no,
            date=_day(2),
        )
    crm.interactions.log(
        contact_no=contacts[0].no,
        template="FAIR-REPLY",
        salesperson_code="JO",
        campaign_no=campaign_no,
        date=_day(3),
    )
    crm.campaigns.put_pricing_line(
        CampaignPriceLine(
            campaign_no=campaign_no, asset_type="Item", asset_no="1896-S",
            unit_price="899", ending_date=_day(20),
        )
    )  # fmt: skip
    crm.campaigns.put_pricing_line(
        CampaignLineDiscountLine(
            campaign_no=campaign_no, asset_type="Item Discount Group",
            asset_no="FURNITURE", line_discount_pct="7.5",
        )
    )  # fmt: skip
    on = {day: crm.campaigns.pricing_on(campaign_no, _day(day)) for day in (10, 25)}
    console.print(
        f"It carries {len(crm.campaigns.pricing_lines(campaign_no))} price list lines "
        f"(§6.3): on {_day(10)} {len(on[10])} apply, on {_day(25)} {len(on[25])} (the "
        "price ends on the 20th); they reach documents once the campaign is activated "
        "for its target group."
    )
    rows = crm.campaigns.activate(campaign_no)
    console.print(
        "Activating the campaign (§6.3) puts every company that its invitations "
        "(campaign target interactions) or campaign target segment lines reached in "
        "its target group: a customer by its customer No., a company without one by "
        "its contact No. New invitations keep the group current while it is active."
    )
    console.print(target_groups_table(f"Campaign {campaign_no}: target group", rows))
    console.print(
        "Only an activated campaign may go on an opportunity (§5.4 CheckCampaign)."
    )


def _campaign(
    crm: rm.Crm, console: Console, campaign_no: str, contacts: tuple[Contact, ...]
) -> None:
    """The campaign's statistics (§6.4), who it targets and its prices (§6.3)."""
    figures = crm.campaigns.statistics(campaign_no)
    console.print(
        f"Campaign {campaign_no} invited {figures.target_contacts_contacted} "
        f"companies and {figures.contacts_responded} replied; its statistics (§6.4) "
        "add the active entries of its opportunities, here the one won:"
    )
    console.print(campaign_statistics_table(campaign_no, figures))
    rows = crm.campaigns.target_groups(campaign_no)
    console.print(
        f"Winning the deal made {contacts[0].name} a customer, so its target group "
        "row now names the customer (§6.3, contact to customer conversion):"
    )
    console.print(target_groups_table(f"Campaign {campaign_no}: target group", rows))
    fabrikam = contacts[-1]
    later = dt.date(2024, 4, 1)
    prices = crm.campaigns.prices_for(fabrikam.no, on=_day(10))
    console.print(
        f"{fabrikam.name} is targeted on {_day(10)}: "
        f"{crm.campaigns.is_targeted(fabrikam.no, on=_day(10))}; on {later}, after "
        f"the campaign ends: {crm.campaigns.is_targeted(fabrikam.no, on=later)}. "
        f"Its documents dated {_day(10)} may use these campaign lines:"
    )
    console.print(
        pricing_lines_table(
            f"Campaign prices for {fabrikam.no} on {_day(10)}",
            prices,
            with_campaign=True,
        )
    )
