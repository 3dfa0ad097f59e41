"""``relmgmt sales-cycles``, ``opportunities``, ``pipeline`` and ``campaigns`` (spec §5, §6).

Sales cycles and their stages (§5.1, §5.2), opportunities and their stage moves
(§5.6), closing (§5.7), the pipeline now or as of a day, the time spent in each
stage, the §5.9 statistics and campaigns with their §6.4 figures, price lines,
activation and target groups (§6.3). The tables are built by public functions so
that the demo chapter prints the same ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

import click
from rich import box
from rich.console import Console
from rich.table import Table

import relationship_mgmt as rm
from relationship_mgmt.cli._common import workspace
from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignLineDiscountLine,
    CampaignPriceLine,
    CampaignStatistics,
    CampaignTargetGroup,
    PriceAssetType,
    PricingLine,
)
from relationship_mgmt.domain.opportunities import (
    Opportunity,
    OpportunityEntry,
    OpportunityStatus,
    ProbabilityCalculation,
    SalesCycle,
    SalesCycleStage,
)
from relationship_mgmt.domain.pipeline import (
    GroupBy,
    OpportunityTotals,
    Pipeline,
    StageDurations,
    StageStatistics,
)
from relationship_mgmt.services.opportunities import (
    OpportunityStatistics,
    StageOptions,
)

__all__ = [
    "campaign_statistics_table",
    "campaigns",
    "campaigns_table",
    "cycle_stages_table",
    "entries_table",
    "opportunities",
    "opportunities_table",
    "opportunity_statistics_table",
    "pipeline",
    "pipeline_table",
    "pricing_lines_table",
    "sales_cycle_statistics_table",
    "sales_cycles",
    "stage_options_text",
    "target_groups_table",
    "time_in_stage_table",
    "totals_table",
]

_F = TypeVar("_F", bound=Callable[..., Any])

_DATE: Final = click.DateTime(formats=["%Y-%m-%d"])
_CALCULATIONS: Final = {
    "multiply": ProbabilityCalculation.MULTIPLY,
    "add": ProbabilityCalculation.ADD,
    "chances": ProbabilityCalculation.CHANCES_OF_SUCCESS,
    "completed": ProbabilityCalculation.COMPLETED,
}
_STATUSES: Final = {
    "not-started": OpportunityStatus.NOT_STARTED,
    "in-progress": OpportunityStatus.IN_PROGRESS,
    "won": OpportunityStatus.WON,
    "lost": OpportunityStatus.LOST,
}
_GROUP_BY: Final[dict[str, GroupBy]] = {
    "salesperson": "salesperson_code",
    "contact": "contact_no",
    "company": "contact_company_no",
    "campaign": "campaign_no",
    "cycle": "sales_cycle_code",
}
_COMPACT: Final[dict[str, Any]] = {
    "box": box.SIMPLE,
    "padding": (0, 0),
    "show_edge": False,
}
"""Tables with one space between columns and two-line headers fit 80 columns."""


def _number(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> Decimal | None:
    """Read a number given on the command line exactly, as a :class:`Decimal`."""
    del ctx
    if value is None:
        return None
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise click.BadParameter(f"{value!r} is not a number", param=param)
    return number


_NUMBER: Final[dict[str, Any]] = {"callback": _number, "metavar": "NUMBER"}


# --- formatting ------------------------------------------------------------------------


def amount(value: Decimal) -> str:
    """An amount with thousands separators, its decimals only when it has some.

    >>> [amount(Decimal(v)) for v in ("10000", "1250.0", "1234.5", "0")]
    ['10,000', '1,250', '1,234.50', '0']
    """
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def percent(value: Decimal) -> str:
    """A percentage as stored, without trailing zeros (they are not rounded, §5.5).

    >>> [percent(Decimal(v)) for v in ("4", "12.50", "100", "0")]
    ['4', '12.5', '100', '0']
    """
    return f"{value.normalize():f}"


def _days(value: float | Decimal | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}"


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def _numbers(values: Iterable[int]) -> str:
    return ", ".join(str(v) for v in values) or "-"


def _date_or_none(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


# --- tables ----------------------------------------------------------------------------


def cycle_stages_table(cycle: SalesCycle) -> Table:
    """Render a sales cycle's stages as BC's Sales Cycle Stages page (§5.2)."""
    title = f"Sales cycle {cycle.code}"
    if cycle.description:
        title += f": {cycle.description}"
    title += f" ({cycle.probability_calculation}{', blocked' if cycle.blocked else ''})"
    table = Table(title=title, **_COMPACT)
    for column in ("Stage", "Description"):
        table.add_column(column)
    for column in ("Completed\n%", "Chances\n%"):
        table.add_column(column, justify="right")
    for column in ("Date\nformula", "Activity", "Rules"):
        table.add_column(column)
    for stage in cycle.stages:
        rules = [
            word
            for word, flag in (
                ("allow skip", stage.allow_skip),
                ("quote required", stage.quote_required),
            )
            if flag
        ]
        table.add_row(
            str(stage.stage),
            stage.description,
            percent(stage.completed_pct),
            percent(stage.chances_of_success_pct),
            str(stage.date_formula),
            stage.activity_code or "",
            ", ".join(rules),
        )
    return table


def sales_cycle_statistics_table(code: str, rows: Iterable[StageStatistics]) -> Table:
    """Render the Sales Cycle Statistics per stage (§5.9), with median and p90 days.

    Opps, Est. value and Calcd. value are over the active entries at the stage;
    Avg. days is BC's Average No. of Days, median and p90 those of the finished
    stays.
    """
    table = Table(title=f"Sales cycle {code}: statistics by stage", **_COMPACT)
    table.add_column("Stage")
    table.add_column("Description")
    for column in (
        "Opps",
        "Est.\nvalue",
        "Calcd.\nvalue",
        "Avg.\ndays",
        "Median\ndays",
        "p90\ndays",
    ):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            str(row.stage),
            row.description,
            str(row.no_of_opportunities),
            amount(row.estimated_value),
            amount(row.calcd_current_value),
            f"{row.average_no_of_days:.2f}",
            _days(row.median_days),
            _days(row.p90_days),
        )
    return table


def _move_label(entry: OpportunityEntry) -> str:
    """Stage and Action Taken of an entry: ``2 Next``, ``4 Jumped``, ``Won WON``."""
    action = str(entry.action_taken) or str(entry.action_type) or "-"
    if entry.sales_cycle_stage is not None:
        action = f"{entry.sales_cycle_stage} {action}"
    if entry.close_opportunity_code:
        action += f" {entry.close_opportunity_code}"
    return action


def entries_table(title: str, entries: Iterable[OpportunityEntry]) -> Table:
    """Render an opportunity's entries, its stage history (§5.5); * marks the active one.

    Stage shows the stage and the Action Taken (a first stage's is blank in BC and
    shown as its action type, First); a close shows its Close Opportunity Code.
    """
    table = Table(title=title, **_COMPACT)
    table.add_column("No.", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Stage")
    for column in (
        "Days\nopen",
        "Est.\nvalue",
        "Chance\n%",
        "Compl.\n%",
        "Prob.\n%",
        "Calcd.\nvalue",
    ):
        table.add_column(column, justify="right")
    table.add_column("Close\ndate", no_wrap=True)
    for e in entries:
        table.add_row(
            f"{e.entry_no}{' *' if e.active else ''}",
            e.date_of_change.isoformat(),
            _move_label(e),
            "" if e.active else str(e.days_open),
            amount(e.estimated_value),
            percent(e.chances_of_success_pct),
            percent(e.completed_pct),
            percent(e.probability_pct),
            amount(e.calcd_current_value),
            _day(e.estimated_close_date),
            style="bold" if e.active else None,
        )
    return table


def opportunity_statistics_table(no: str, figures: OpportunityStatistics) -> Table:
    """Render the Opportunity Statistics page (§5.9)."""
    table = Table(title=f"Opportunity {no}: statistics")
    table.add_column("Figure", style="bold")
    table.add_column("Value", justify="right")
    stage = figures.current_sales_cycle_stage
    for label, value in (
        ("No. of Interactions", str(figures.no_of_interactions)),
        ("Current Sales Cycle Stage", "-" if stage is None else str(stage)),
        ("Estimated Value (LCY)", amount(figures.estimated_value)),
        ("Chances of Success %", percent(figures.chances_of_success_pct)),
        ("Completed %", percent(figures.completed_pct)),
        ("Probability %", percent(figures.probability_pct)),
        ("Calcd. Current Value (LCY)", amount(figures.calcd_current_value)),
    ):
        table.add_row(label, value)
    return table


def stage_options_text(options: StageOptions) -> str:
    """The candidate stages of the Update Opportunity wizard (§5.6), in one line.

    >>> from relationship_mgmt.domain.opportunities import ActionType
    >>> stage_options_text(StageOptions(candidates={ActionType.NEXT: (2,),
    ...     ActionType.SKIP: (2, 3, 4)}, default_action=ActionType.NEXT))
    'next 2; skip 2, 3, 4 (default: next)'
    """
    parts = [
        f"{kind.value.lower()} {_numbers(stages)}"
        for kind, stages in options.candidates.items()
        if stages
    ]
    default = options.default_action.value.lower() or "none"
    return f"{'; '.join(parts) or 'no moves'} (default: {default})"


def opportunities_table(
    title: str,
    rows: Iterable[tuple[Opportunity, OpportunityEntry | None]],
) -> Table:
    """Render opportunities with their active entry's stage and values (§5.4 FlowFields)."""
    table = Table(title=title, **_COMPACT)
    table.add_column("No.", no_wrap=True)
    table.add_column("Description", ratio=1)
    table.add_column("Contact", no_wrap=True)
    table.add_column("By")
    table.add_column("Stage")
    table.add_column("Status")
    for column in ("Est.\nvalue", "Calcd.\nvalue"):
        table.add_column(column, justify="right")
    table.add_column("Close\ndate", no_wrap=True)
    for opportunity, active in rows:
        stage = opportunity.sales_cycle_code or ""
        if active is not None and active.sales_cycle_stage is not None:
            stage += f" {active.sales_cycle_stage}"
        table.add_row(
            opportunity.no,
            opportunity.description,
            opportunity.contact_no or "",
            opportunity.salesperson_code or "",
            stage,
            str(opportunity.status),
            "" if active is None else amount(active.estimated_value),
            "" if active is None else amount(active.calcd_current_value),
            "" if active is None else _day(active.estimated_close_date),
        )
    return table


def pipeline_table(pipeline: Pipeline) -> Table:
    """Render the pipeline by cycle and stage, with its total as the footer.

    Calcd. value is the Calcd. Current Value (each estimate weighed by the cycle's
    probability, §5.5); Weighted value is Estimated Value x Chances of Success %.
    """
    when = "now" if pipeline.as_of is None else f"as of {pipeline.as_of.isoformat()}"
    total = pipeline.total
    table = Table(title=f"Pipeline {when}", show_footer=True, **_COMPACT)
    table.add_column("Cycle")
    table.add_column("Stage", justify="right")
    table.add_column("Description", footer="Total")
    for header, footer in (
        ("Count", str(total.count)),
        ("Estimated\nvalue", amount(total.estimated_value)),
        ("Calcd.\nvalue", amount(total.calcd_current_value)),
        ("Weighted\nvalue", amount(total.weighted_value)),
    ):
        table.add_column(header, footer=footer, justify="right")
    for row in pipeline.rows:
        table.add_row(
            row.sales_cycle_code,
            str(row.stage),
            row.description,
            str(row.count),
            amount(row.estimated_value),
            amount(row.calcd_current_value),
            amount(row.weighted_value),
        )
    return table


def time_in_stage_table(
    rows: Iterable[StageDurations], cycles: Iterable[SalesCycle] = ()
) -> Table:
    """Render the days spent in each stage: BC's average, median and p90 (§5.9)."""
    names: dict[tuple[str, int], str] = {
        (c.code, s.stage): s.description for c in cycles for s in c.stages
    }
    table = Table(title="Time in stage (days)", **_COMPACT)
    table.add_column("Cycle")
    table.add_column("Stage", justify="right")
    table.add_column("Description")
    for column in ("Entries", "Finished", "Average", "Median", "p90"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row.sales_cycle_code,
            str(row.stage),
            names.get((row.sales_cycle_code, row.stage), ""),
            str(row.entries),
            str(row.left),
            f"{row.average_days:.2f}",
            _days(row.median_days),
            _days(row.p90_days),
        )
    return table


def totals_table(title: str, rows: Iterable[OpportunityTotals]) -> Table:
    """Render No. of Opportunities and values over active entries, with averages (§5.9)."""
    table = Table(title=title, **_COMPACT)
    table.add_column("Key")
    for column in (
        "Opps",
        "Estimated\nvalue",
        "Calcd.\nvalue",
        "Avg. est.\nvalue",
        "Avg. calcd.\nvalue",
    ):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row.key or "(none)",
            str(row.no_of_opportunities),
            amount(row.estimated_value),
            amount(row.calcd_current_value),
            amount(row.avg_estimated_value),
            amount(row.avg_calcd_current_value),
        )
    return table


def campaigns_table(title: str, rows: Iterable[Campaign]) -> Table:
    """Render campaigns as BC's Campaign List does (§6.1)."""
    table = Table(title=title, **_COMPACT)
    for column in ("No.", "Description", "Starting", "Ending", "By", "Status"):
        table.add_column(column)
    for c in rows:
        table.add_row(
            c.no,
            c.description,
            _day(c.starting_date),
            _day(c.ending_date),
            c.salesperson_code or "",
            c.status_code or "",
        )
    return table


def pricing_lines_table(
    title: str, lines: Iterable[PricingLine], *, with_campaign: bool = False
) -> Table:
    """Render campaign price and line-discount lines (§6.3), optionally with their campaign."""
    table = Table(title=title, **_COMPACT)
    columns = ("Kind", "Type", "No.", "Min. qty", "Price / Disc. %", "Start", "End")
    for column in ("Campaign", *columns) if with_campaign else columns:
        table.add_column(column)
    for line in lines:
        price = isinstance(line, CampaignPriceLine)
        value = (
            line.unit_price
            if isinstance(line, CampaignPriceLine)
            else line.line_discount_pct
        )
        cells = (
            "Price" if price else "Line discount",
            line.asset_type.value,
            line.asset_no,
            f"{line.minimum_quantity:f}",
            f"{value:f}",
            _day(line.starting_date),
            _day(line.ending_date),
        )
        table.add_row(*((line.campaign_no, *cells) if with_campaign else cells))
    return table


def target_groups_table(title: str, rows: Iterable[CampaignTargetGroup]) -> Table:
    """Render a campaign's target group (§6.3): customers and company contacts."""
    table = Table(title=title, min_width=len(title), **_COMPACT)
    for column in ("Type", "No."):
        table.add_column(column)
    for row in rows:
        table.add_row(row.type.value, row.no)
    return table


def campaign_statistics_table(
    no: str, figures: CampaignStatistics, period: str = ""
) -> Table:
    """Render the Campaign Statistics page (§6.4) with the response rate.

    The response rate is Contacts Responded / Target Contacts Contacted.
    """
    rate = figures.response_rate
    table = Table(title=f"Campaign {no}: statistics{period}")
    table.add_column("Figure", style="bold")
    table.add_column("Value", justify="right")
    for label, value in (
        ("Target Contacts Contacted", str(figures.target_contacts_contacted)),
        ("Contacts Responded", str(figures.contacts_responded)),
        ("Response rate", "-" if rate is None else f"{rate * 100:.1f} %"),
        ("No. of Interactions", str(figures.no_of_interactions)),
        ("Duration (Min.)", percent(figures.duration_min)),
        ("Cost (LCY)", amount(figures.cost_lcy)),
        ("No. of Opportunities", str(figures.no_of_opportunities)),
        ("Estimated Value (LCY)", amount(figures.estimated_value_lcy)),
        ("Calcd. Current Value (LCY)", amount(figures.calcd_current_value_lcy)),
        ("Won / Lost opportunities", _won_lost(figures)),
    ):
        table.add_row(label, value)
    return table


def _won_lost(figures: CampaignStatistics) -> str:
    return f"{figures.no_of_won_opportunities} / {figures.no_of_lost_opportunities}"


# --- sales cycles ----------------------------------------------------------------------


@click.group("sales-cycles")
def sales_cycles() -> None:
    """Sales cycles, their stages and statistics (spec §5.1, §5.2, §5.9)."""


@sales_cycles.command("add")
@click.argument("code")
@click.option("--description", "-m", default="", help="What the cycle is for.")
@click.option(
    "--calculation",
    type=click.Choice(sorted(_CALCULATIONS), case_sensitive=False),
    default="multiply",
    show_default=True,
    help="Probability Calculation (§5.1): chances x completed / 100, their "
    "average, the chances or the completed %.",
)
@click.pass_context
def add_cycle(
    ctx: click.Context, code: str, description: str, calculation: str
) -> None:
    """Create sales cycle CODE; add its stages with ``add-stage``."""
    with workspace(ctx) as crm:
        cycle = crm.sales_cycles.create(
            code,
            description=description,
            probability_calculation=_CALCULATIONS[calculation.lower()],
        )
    ctx.obj["console"].print(
        f"Sales cycle {cycle.code} created ({cycle.probability_calculation})."
    )


@sales_cycles.command("add-stage")
@click.argument("code")
@click.argument("stage", type=click.IntRange(min=1))
@click.option("--description", "-m", default="", help="The stage's description.")
@click.option("--completed", **_NUMBER, default="0", help="Completed % (0..100).")
@click.option(
    "--chances", **_NUMBER, default="0", help="Chances of Success % (0..100)."
)
@click.option(
    "--formula", default="", help="Date Formula of the estimated close date, e.g. 1W."
)
@click.option("--activity", help="The activity whose tasks the stage creates (§7.6).")
@click.option("--allow-skip", is_flag=True, help="The stage can be skipped (§5.6).")
@click.option(
    "--quote-required", is_flag=True, help="Moving into it needs a sales quote."
)
@click.pass_context
def add_stage(
    ctx: click.Context,
    code: str,
    stage: int,
    description: str,
    completed: Decimal,
    chances: Decimal,
    formula: str,
    activity: str | None,
    allow_skip: bool,
    quote_required: bool,
) -> None:
    """Add STAGE to sales cycle CODE, or replace the stage with that number (§5.2)."""
    with workspace(ctx) as crm:
        row = SalesCycleStage(
            stage=stage,
            description=description,
            completed_pct=completed,
            chances_of_success_pct=chances,
            date_formula=formula,
            activity_code=activity,
            allow_skip=allow_skip,
            quote_required=quote_required,
        )
        cycle = crm.sales_cycles.set_stage(code, row)
    ctx.obj["console"].print(cycle_stages_table(cycle))


@sales_cycles.command("list")
@click.pass_context
def list_cycles(ctx: click.Context) -> None:
    """List the sales cycles with their stages."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        cycles = crm.sales_cycles.list()
    if not cycles:
        console.print("No sales cycles.")
    for cycle in cycles:
        console.print(cycle_stages_table(cycle))


@sales_cycles.command("stats")
@click.argument("code")
@click.pass_context
def cycle_stats(ctx: click.Context, code: str) -> None:
    """Print the Sales Cycle Statistics of CODE per stage (§5.9)."""
    with workspace(ctx) as crm:
        cycle = crm.sales_cycles.get(code)
        rows = crm.sales_cycles.statistics(code)
    ctx.obj["console"].print(sales_cycle_statistics_table(cycle.code, rows))


# --- opportunities ---------------------------------------------------------------------


@click.group()
def opportunities() -> None:
    """Opportunities: creating, stage moves, closing, statistics (spec §5.4-§5.9)."""


@opportunities.command("add")
@click.option("--contact", "contact_no", required=True, help="The contact (§5.4).")
@click.option("--description", "-m", required=True, help="What is to be sold.")
@click.option("--salesperson", "salesperson_code", help="Default: the contact's.")
@click.option("--cycle", "sales_cycle_code", help="Default: the setup's (§5.8).")
@click.option("--campaign", "campaign_no", help="A campaign running today (§5.4).")
@click.option("--no", "number", help="A number of your own (default: the series).")
@click.option(
    "--activate",
    is_flag=True,
    help="Start at the cycle's first stage; needs --value, --chances, --close-date.",
)
@click.option("--value", **_NUMBER, help="Estimated Value (LCY), > 0.")
@click.option("--chances", **_NUMBER, help="Chances of Success %, > 0.")
@click.option("--close-date", type=_DATE, metavar="YYYY-MM-DD", help="Estimated.")
@click.pass_context
def add_opportunity(
    ctx: click.Context,
    contact_no: str,
    description: str,
    salesperson_code: str | None,
    sales_cycle_code: str | None,
    campaign_no: str | None,
    number: str | None,
    activate: bool,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
) -> None:
    """Create an opportunity for a contact (the create wizard, §5.8)."""
    if not activate and (value, chances, close_date) != (None, None, None):
        raise click.UsageError("--value, --chances and --close-date need --activate")
    fields: dict[str, Any] = {
        name: given
        for name, given in (
            ("salesperson_code", salesperson_code),
            ("sales_cycle_code", sales_cycle_code),
            ("campaign_no", campaign_no),
        )
        if given is not None
    }
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        created = crm.opportunities.create(
            no=number,
            contact_no=contact_no,
            description=description,
            activate_first_stage=activate,
            estimated_value=value,
            chances_of_success_pct=chances,
            estimated_close_date=_date_or_none(close_date),
            **fields,
        )
        entries = crm.opportunities.entries(created.no)
        tasks = crm.tasks.list(opportunity_no=created.no)
    console.print(
        f"Opportunity {created.no} created for {created.contact_no} "
        f"(salesperson {created.salesperson_code}, cycle {created.sales_cycle_code}): "
        f"{created.status}."
    )
    if entries:
        console.print(entries_table(f"Opportunity {created.no}", entries))
    if tasks:
        console.print(f"The first stage's activity created {len(tasks)} task(s).")


def _cycle_or_none(crm: rm.Crm, opportunity: Opportunity) -> SalesCycle | None:
    if opportunity.sales_cycle_code is None:
        return None
    try:
        return crm.sales_cycles.get(opportunity.sales_cycle_code)
    except rm.NotFoundError:
        return None


@opportunities.command("list")
@click.option(
    "--status",
    type=click.Choice(sorted(_STATUSES), case_sensitive=False),
    help="Only opportunities with this status.",
)
@click.option("--salesperson", "salesperson_code", help="A salesperson's.")
@click.option("--contact", "contact_no", help="A contact's.")
@click.option("--company", "company_no", help="Those of a company's contacts.")
@click.option("--cycle", "sales_cycle_code", help="Those in a sales cycle.")
@click.option("--campaign", "campaign_no", help="Those of a campaign.")
@click.pass_context
def list_opportunities(
    ctx: click.Context,
    status: str | None,
    salesperson_code: str | None,
    contact_no: str | None,
    company_no: str | None,
    sales_cycle_code: str | None,
    campaign_no: str | None,
) -> None:
    """List opportunities with their current stage and values."""
    with workspace(ctx) as crm:
        found = crm.opportunities.list(
            status=None if status is None else _STATUSES[status.lower()],
            salesperson_code=salesperson_code,
            contact_no=contact_no,
            contact_company_no=company_no,
            sales_cycle_code=sales_cycle_code,
            campaign_no=campaign_no,
        )
        rows = [(o, crm.opportunities.active_entry(o.no)) for o in found]
    ctx.obj["console"].print(opportunities_table("Opportunities", rows))


def _describe(crm: rm.Crm, opportunity: Opportunity) -> str:
    parts = [f"Opportunity {opportunity.no}: {opportunity.description}"]
    if opportunity.contact_no is not None:
        name = crm.contacts.get(opportunity.contact_no).name
        parts.append(f"contact {opportunity.contact_no} {name}")
    for label, value in (
        ("salesperson", opportunity.salesperson_code),
        ("cycle", opportunity.sales_cycle_code),
        ("campaign", opportunity.campaign_no),
        ("created", opportunity.creation_date.isoformat()),
        ("closed", _day(opportunity.date_closed)),
    ):
        if value:
            parts.append(f"{label} {value}")
    parts.append(f"status {opportunity.status}")
    return ", ".join(parts) + "."


@opportunities.command("show")
@click.argument("no")
@click.pass_context
def show(ctx: click.Context, no: str) -> None:
    """Show an opportunity: its entries (the stage history) and statistics (§5.9)."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        opportunity = crm.opportunities.get(no)
        header = _describe(crm, opportunity)
        entries = crm.opportunities.entries(opportunity.no)
        cycle = _cycle_or_none(crm, opportunity)
        figures = crm.opportunities.statistics(opportunity.no)
        options = (
            None
            if opportunity.closed or cycle is None
            else crm.opportunities.stage_options(opportunity.no)
        )
    console.print(header)
    if entries:
        console.print(entries_table("Entries (* active)", entries))
    else:
        console.print("No entries yet: `relmgmt opportunities first` starts it.")
    console.print(opportunity_statistics_table(opportunity.no, figures))
    if options is not None:
        console.print(f"Stage moves (§5.6): {stage_options_text(options)}.")


# --- stage moves (§5.6) ----------------------------------------------------------------


def _estimate_options(func: _F) -> _F:
    for option in reversed(
        (
            click.option(
                "--date",
                "date_of_change",
                type=_DATE,
                metavar="YYYY-MM-DD",
                help="Date of Change (default: today or the last change if later).",
            ),
            click.option("--value", **_NUMBER, help="Estimated Value (LCY), > 0."),
            click.option(
                "--chances",
                **_NUMBER,
                help="Chances of Success % (default: the target stage's).",
            ),
            click.option(
                "--close-date",
                type=_DATE,
                metavar="YYYY-MM-DD",
                help="Estimated Close Date, not before the Date of Change.",
            ),
        )
    ):
        func = option(func)
    return func


def _cancel_option(func: _F) -> _F:
    return click.option(
        "--cancel-old-tasks", is_flag=True, help="Cancel the opportunity's open tasks."
    )(func)


def _quote_option(func: _F) -> _F:
    return click.option(
        "--quote",
        "quote_no",
        help="The sales quote, needed to move into a Quote Required stage.",
    )(func)


def _estimates(
    date_of_change: dt.datetime | None,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
) -> dict[str, Any]:
    return {
        "date_of_change": _date_or_none(date_of_change),
        "estimated_value": value,
        "chances_of_success_pct": chances,
        "estimated_close_date": _date_or_none(close_date),
    }


def _report_move(
    ctx: click.Context, no: str, move: Callable[[rm.Crm], OpportunityEntry]
) -> None:
    """Run a stage move, then print what it did and the entries after it."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        before = len(crm.tasks.list(opportunity_no=no))
        entry = move(crm)
        opportunity = crm.opportunities.get(entry.opportunity_no)
        cycle = _cycle_or_none(crm, opportunity)
        entries = crm.opportunities.entries(entry.opportunity_no)
        created = len(crm.tasks.list(opportunity_no=no)) - before
    console.print(_moved_text(entry, cycle))
    if created > 0:
        console.print(f"The stage's activity created {created} task(s).")
    console.print(entries_table(f"Opportunity {entry.opportunity_no}", entries))


def _moved_text(entry: OpportunityEntry, cycle: SalesCycle | None) -> str:
    if entry.sales_cycle_stage is None:
        where = ""
    else:
        names = {} if cycle is None else {s.stage: s.description for s in cycle.stages}
        where = f" at stage {entry.sales_cycle_stage}"
        if entry.sales_cycle_stage in names:
            where += f" ({names[entry.sales_cycle_stage]})"
    action = str(entry.action_taken) or "First stage"
    return (
        f"Opportunity {entry.opportunity_no}: {action}{where} on "
        f"{entry.date_of_change}: probability {percent(entry.probability_pct)} %, "
        f"calcd. current value {amount(entry.calcd_current_value)}."
    )


@opportunities.command("first")
@click.argument("no")
@click.option("--value", **_NUMBER, required=True, help="Estimated Value, > 0.")
@click.option("--chances", **_NUMBER, required=True, help="Chances %, > 0.")
@click.option("--close-date", type=_DATE, required=True, metavar="YYYY-MM-DD")
@click.option("--date", "date_of_change", type=_DATE, metavar="YYYY-MM-DD")
@click.pass_context
def first(
    ctx: click.Context,
    no: str,
    value: Decimal,
    chances: Decimal,
    close_date: dt.datetime,
    date_of_change: dt.datetime | None,
) -> None:
    """Activate the first stage of a Not Started opportunity (§5.8)."""
    _report_move(
        ctx,
        no,
        lambda crm: crm.opportunities.first_stage(
            no,
            estimated_value=value,
            chances_of_success_pct=chances,
            estimated_close_date=close_date.date(),
            date_of_change=_date_or_none(date_of_change),
        ),
    )


@opportunities.command("next")
@click.argument("no")
@_estimate_options
@_cancel_option
@_quote_option
@click.pass_context
def next_stage(
    ctx: click.Context,
    no: str,
    date_of_change: dt.datetime | None,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
    cancel_old_tasks: bool,
    quote_no: str | None,
) -> None:
    """Move to the next stage; the chances become the stage's unless given."""
    estimates = _estimates(date_of_change, value, chances, close_date)
    _report_move(
        ctx,
        no,
        lambda crm: crm.opportunities.next_stage(
            no, cancel_old_tasks=cancel_old_tasks, quote_no=quote_no, **estimates
        ),
    )


@opportunities.command("previous")
@click.argument("no")
@_estimate_options
@_cancel_option
@click.pass_context
def previous_stage(
    ctx: click.Context,
    no: str,
    date_of_change: dt.datetime | None,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
    cancel_old_tasks: bool,
) -> None:
    """Move back to the previous stage."""
    estimates = _estimates(date_of_change, value, chances, close_date)
    _report_move(
        ctx,
        no,
        lambda crm: crm.opportunities.previous_stage(
            no, cancel_old_tasks=cancel_old_tasks, **estimates
        ),
    )


@opportunities.command("update")
@click.argument("no")
@_estimate_options
@click.pass_context
def update(
    ctx: click.Context,
    no: str,
    date_of_change: dt.datetime | None,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
) -> None:
    """Update the estimates at the current stage; no new tasks."""
    estimates = _estimates(date_of_change, value, chances, close_date)
    _report_move(ctx, no, lambda crm: crm.opportunities.update(no, **estimates))


@opportunities.command("skip")
@click.argument("no")
@click.argument("stage", type=click.IntRange(min=1), required=False)
@_estimate_options
@_cancel_option
@_quote_option
@click.pass_context
def skip(
    ctx: click.Context,
    no: str,
    stage: int | None,
    date_of_change: dt.datetime | None,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
    cancel_old_tasks: bool,
    quote_no: str | None,
) -> None:
    """Skip forward to STAGE over Allow Skip stages (default: the first candidate).

    The chances become the target stage's; only the target's Quote Required is
    checked.
    """
    estimates = _estimates(date_of_change, value, chances, close_date)
    _report_move(
        ctx,
        no,
        lambda crm: crm.opportunities.skip_to(
            no,
            stage,
            cancel_old_tasks=cancel_old_tasks,
            quote_no=quote_no,
            **estimates,
        ),
    )


@opportunities.command("jump")
@click.argument("no")
@click.argument("stage", type=click.IntRange(min=1), required=False)
@_estimate_options
@_cancel_option
@click.pass_context
def jump(
    ctx: click.Context,
    no: str,
    stage: int | None,
    date_of_change: dt.datetime | None,
    value: Decimal | None,
    chances: Decimal | None,
    close_date: dt.datetime | None,
    cancel_old_tasks: bool,
) -> None:
    """Jump back to an earlier STAGE (default: the one before the current)."""
    estimates = _estimates(date_of_change, value, chances, close_date)
    _report_move(
        ctx,
        no,
        lambda crm: crm.opportunities.jump_to(
            no, stage, cancel_old_tasks=cancel_old_tasks, **estimates
        ),
    )


@opportunities.command("close")
@click.argument("no")
@click.option("--won/--lost", "won", default=None, help="The result (required).")
@click.option("--code", required=True, help="A Close Opportunity Code of that type.")
@click.option("--sales", **_NUMBER, help="Sales (LCY) of a won opportunity, > 0.")
@click.option("--date", "date_of_change", type=_DATE, metavar="YYYY-MM-DD")
@click.option("--keep-tasks", is_flag=True, help="Do not cancel the open tasks.")
@click.pass_context
def close(
    ctx: click.Context,
    no: str,
    won: bool | None,
    code: str,
    sales: Decimal | None,
    date_of_change: dt.datetime | None,
    keep_tasks: bool,
) -> None:
    """Close an opportunity as won or lost (the close wizard, §5.7).

    Won needs Sales (LCY) and makes the contact's company a customer if it is not
    one yet (§5.5).
    """
    if won is None:
        raise click.UsageError("You must select either Won or Lost: --won or --lost.")
    if not won and sales is not None:
        raise click.UsageError("--sales is for an opportunity won")
    day = _date_or_none(date_of_change)
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        if won:
            entry = crm.opportunities.close_won(
                no,
                code=code,
                sales_lcy=Decimal(0) if sales is None else sales,
                date_of_change=day,
                cancel_old_tasks=not keep_tasks,
            )
        else:
            entry = crm.opportunities.close_lost(
                no, code=code, date_of_change=day, cancel_old_tasks=not keep_tasks
            )
        opportunity = crm.opportunities.get(entry.opportunity_no)
        entries = crm.opportunities.entries(entry.opportunity_no)
    console.print(
        f"Opportunity {opportunity.no} closed as {opportunity.status} on "
        f"{opportunity.date_closed} ({entry.close_opportunity_code}): calcd. current "
        f"value {amount(entry.calcd_current_value)}."
    )
    console.print(entries_table(f"Opportunity {opportunity.no}", entries))


@opportunities.command("time-in-stage")
@click.option("--cycle", "sales_cycle_code", help="Only this sales cycle.")
@click.pass_context
def time_in_stage(ctx: click.Context, sales_cycle_code: str | None) -> None:
    """Days spent in each stage: entries, BC's average, median and p90 (§5.9)."""
    with workspace(ctx) as crm:
        rows = crm.opportunities.time_in_stage(sales_cycle_code=sales_cycle_code)
        cycles = crm.sales_cycles.list()
    ctx.obj["console"].print(time_in_stage_table(rows, cycles))


@opportunities.command("totals")
@click.option(
    "--by",
    "group_by",
    type=click.Choice(sorted(_GROUP_BY), case_sensitive=False),
    default="salesperson",
    show_default=True,
    help="Group the active entries by this field.",
)
@click.option("--key", help="Only this salesperson, contact ...")
@click.pass_context
def totals(ctx: click.Context, group_by: str, key: str | None) -> None:
    """No. of Opportunities, Estimated and Calcd. Current Value by a field (§5.9).

    Over the active entries, closed opportunities included, as BC's FlowFields.
    """
    field_name = _GROUP_BY[group_by.lower()]
    with workspace(ctx) as crm:
        rows = crm.opportunities.totals(field_name, key=key)
    ctx.obj["console"].print(totals_table(f"Opportunities by {group_by.lower()}", rows))


# --- the pipeline ----------------------------------------------------------------------


@click.command("pipeline")
@click.option("--as-of", type=_DATE, metavar="YYYY-MM-DD", help="As it was that day.")
@click.option("--cycle", "sales_cycle_code", help="Only this sales cycle.")
@click.option("--salesperson", "salesperson_code", help="Only this salesperson's.")
@click.option("--time-in-stage", is_flag=True, help="Add the days spent per stage.")
@click.pass_context
def pipeline(
    ctx: click.Context,
    as_of: dt.datetime | None,
    sales_cycle_code: str | None,
    salesperson_code: str | None,
    time_in_stage: bool,
) -> None:
    """The open opportunities by stage, now or as of a past day.

    Weighted is Estimated Value x Chances of Success %; Calcd. Current Value
    follows the cycle's probability calculation (§5.5).
    """
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        found = crm.opportunities.pipeline(
            _date_or_none(as_of),
            sales_cycle_code=sales_cycle_code,
            salesperson_code=salesperson_code,
        )
        durations: Sequence[StageDurations] = ()
        cycles: Sequence[SalesCycle] = ()
        if time_in_stage:
            durations = crm.opportunities.time_in_stage(
                sales_cycle_code=sales_cycle_code
            )
            cycles = crm.sales_cycles.list()
    console.print(pipeline_table(found))
    if time_in_stage:
        console.print(time_in_stage_table(durations, cycles))


# --- campaigns -------------------------------------------------------------------------


@click.group()
def campaigns() -> None:
    """Campaigns and their statistics (spec §6.1, §6.2, §6.4)."""


@campaigns.command("add")
@click.argument("no", required=False)
@click.option("--description", "-m", default="", help="What the campaign is.")
@click.option("--start", type=_DATE, metavar="YYYY-MM-DD", help="Starting Date.")
@click.option("--end", type=_DATE, metavar="YYYY-MM-DD", help="Ending Date.")
@click.option("--salesperson", "salesperson_code", help="Who runs it.")
@click.option("--status", "status_code", help="A Campaign Status code.")
@click.pass_context
def add_campaign(
    ctx: click.Context,
    no: str | None,
    description: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    salesperson_code: str | None,
    status_code: str | None,
) -> None:
    """Create a campaign; NO defaults to the next of the Campaign Nos. series."""
    with workspace(ctx) as crm:
        campaign = crm.campaigns.create(
            no=no,
            description=description,
            starting_date=_date_or_none(start),
            ending_date=_date_or_none(end),
            salesperson_code=salesperson_code,
            status_code=status_code,
        )
    ctx.obj["console"].print(f"Campaign {campaign.no} created.")


@campaigns.command("list")
@click.pass_context
def list_campaigns(ctx: click.Context) -> None:
    """List the campaigns by number."""
    with workspace(ctx) as crm:
        found = crm.campaigns.list()
    ctx.obj["console"].print(campaigns_table("Campaigns", found))


@campaigns.command("show")
@click.argument("no")
@click.pass_context
def show_campaign(ctx: click.Context, no: str) -> None:
    """Show a campaign, its entries (§6.2) and its opportunities."""
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        campaign = crm.campaigns.get(no)
        entries = crm.campaigns.entries(campaign.no)
        found = crm.opportunities.list(campaign_no=campaign.no)
        rows = [(o, crm.opportunities.active_entry(o.no)) for o in found]
    console.print(campaigns_table(f"Campaign {campaign.no}", [campaign]))
    table = Table(title="Campaign entries", **_COMPACT)
    for column in ("No.", "Date", "Description", "Segment", "Canceled"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            str(e.entry_no),
            e.date.isoformat(),
            e.description,
            e.segment_no or "",
            "yes" if e.canceled else "",
        )
    console.print(table)
    console.print(opportunities_table("Its opportunities", rows))


@campaigns.command("stats")
@click.argument("no")
@click.option("--from", "starting", type=_DATE, metavar="YYYY-MM-DD")
@click.option("--to", "ending", type=_DATE, metavar="YYYY-MM-DD")
@click.pass_context
def campaign_stats(
    ctx: click.Context,
    no: str,
    starting: dt.datetime | None,
    ending: dt.datetime | None,
) -> None:
    """Print the campaign's statistics (§6.4), optionally within a date filter."""
    first, last = _date_or_none(starting), _date_or_none(ending)
    period = ""
    if first is not None or last is not None:
        period = f" from {_day(first) or '...'} to {_day(last) or '...'}"
    with workspace(ctx) as crm:
        figures = crm.campaigns.statistics(no, starting=first, ending=last)
        campaign = crm.campaigns.get(no)
    ctx.obj["console"].print(campaign_statistics_table(campaign.no, figures, period))


_ASSET_TYPES = click.Choice([t.value for t in PriceAssetType], case_sensitive=False)


@campaigns.command("price")
@click.argument("no")
@click.argument("asset_no")
@click.option(
    "--type", "asset_type", type=_ASSET_TYPES, default="Item", show_default=True
)
@click.option("--price", "unit_price", type=click.FLOAT, required=True)
@click.option("--min-qty", "minimum_quantity", type=click.FLOAT, default=0.0)
@click.option("--start", type=_DATE, metavar="YYYY-MM-DD", help="Starting Date.")
@click.option("--end", type=_DATE, metavar="YYYY-MM-DD", help="Ending Date.")
@click.pass_context
def campaign_price(
    ctx: click.Context,
    no: str,
    asset_no: str,
    asset_type: str,
    unit_price: float,
    minimum_quantity: float,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> None:
    """Set a campaign sales price for ASSET_NO (§6.3); the same key replaces it."""
    line = CampaignPriceLine(
        campaign_no=no,
        asset_type=asset_type,
        asset_no=asset_no,
        unit_price=Decimal(str(unit_price)),
        minimum_quantity=Decimal(str(minimum_quantity)),
        starting_date=_date_or_none(start),
        ending_date=_date_or_none(end),
    )
    with workspace(ctx) as crm:
        crm.campaigns.put_pricing_line(line)
    ctx.obj["console"].print(
        f"Price of {line.asset_no} set on campaign {line.campaign_no}."
    )


@campaigns.command("discount")
@click.argument("no")
@click.argument("asset_no")
@click.option(
    "--type", "asset_type", type=_ASSET_TYPES, default="Item", show_default=True
)
@click.option("--pct", "line_discount_pct", type=click.FLOAT, required=True)
@click.option("--start", type=_DATE, metavar="YYYY-MM-DD", help="Starting Date.")
@click.option("--end", type=_DATE, metavar="YYYY-MM-DD", help="Ending Date.")
@click.pass_context
def campaign_discount(
    ctx: click.Context,
    no: str,
    asset_no: str,
    asset_type: str,
    line_discount_pct: float,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> None:
    """Set a campaign line discount for ASSET_NO (§6.3); the same key replaces it."""
    line = CampaignLineDiscountLine(
        campaign_no=no,
        asset_type=asset_type,
        asset_no=asset_no,
        line_discount_pct=Decimal(str(line_discount_pct)),
        starting_date=_date_or_none(start),
        ending_date=_date_or_none(end),
    )
    with workspace(ctx) as crm:
        crm.campaigns.put_pricing_line(line)
    ctx.obj["console"].print(
        f"Line discount on {line.asset_no} set on campaign {line.campaign_no}."
    )


@campaigns.command("pricing")
@click.argument("no")
@click.option(
    "--on",
    "on",
    type=_DATE,
    metavar="YYYY-MM-DD",
    help="Only lines that apply that day.",
)
@click.pass_context
def campaign_pricing(ctx: click.Context, no: str, on: dt.datetime | None) -> None:
    """List the campaign's price and line-discount lines (§6.3)."""
    day = _date_or_none(on)
    with workspace(ctx) as crm:
        lines = (
            crm.campaigns.pricing_lines(no)
            if day is None
            else crm.campaigns.pricing_on(no, day)
        )
    ctx.obj["console"].print(
        pricing_lines_table(f"Campaign {no.upper()} pricing", lines)
    )


@campaigns.command("activate")
@click.argument("no")
@click.option(
    "--force",
    "-y",
    is_flag=True,
    help="Activate even without price or line-discount lines, without asking.",
)
@click.pass_context
def activate_campaign(ctx: click.Context, no: str, force: bool) -> None:
    """Activate the campaign's prices for its target group (§6.3).

    Companies on segment lines and interactions marked campaign target join the
    group. Without price or line-discount lines BC's question is asked first.
    """
    console: Console = ctx.obj["console"]
    with workspace(ctx) as crm:
        try:
            rows = crm.campaigns.activate(no, force=force)
        except rm.ValidationError as error:
            if error.field != "force":
                raise
            click.confirm(error.reason, abort=True)
            rows = crm.campaigns.activate(no, force=True)
    key = rows[0].campaign_no
    console.print(f"Campaign {key} is now activated.")
    console.print(target_groups_table(f"Campaign {key}: target group", rows))


@campaigns.command("deactivate")
@click.argument("no")
@click.pass_context
def deactivate_campaign(ctx: click.Context, no: str) -> None:
    """Delete the campaign's target group (§6.3); its prices stop applying."""
    with workspace(ctx) as crm:
        key = crm.campaigns.get(no).no
        removed = crm.campaigns.deactivate(key)
    ctx.obj["console"].print(
        f"Campaign {key} is now deactivated ({removed} target group rows deleted)."
    )


@campaigns.command("targets")
@click.argument("no")
@click.pass_context
def campaign_targets(ctx: click.Context, no: str) -> None:
    """List the campaign's target group (§6.3) and whether it is activated."""
    with workspace(ctx) as crm:
        key = crm.campaigns.get(no).no
        rows = crm.campaigns.target_groups(key)
    state = "activated" if rows else "not activated"
    ctx.obj["console"].print(
        target_groups_table(f"Campaign {key}: target group ({state})", rows)
    )


@campaigns.command("targeted")
@click.argument("contact_or_customer")
@click.option("--on", "on", type=_DATE, metavar="YYYY-MM-DD", help="The day.")
@click.pass_context
def campaign_targeted(
    ctx: click.Context, contact_or_customer: str, on: dt.datetime | None
) -> None:
    """Tell which activated campaigns target a contact or customer (§6.3).

    CONTACT_OR_CUSTOMER is a contact No. (its company counts) or a customer No.;
    the day defaults to the work date.
    """
    with workspace(ctx) as crm:
        day = _date_or_none(on) or crm.clock.workdate()
        found = crm.campaigns.targeted_by(contact_or_customer, on=day)
    who = contact_or_customer.strip().upper()
    ctx.obj["console"].print(
        f"{who} is targeted on {day} by {', '.join(found)}."
        if found
        else f"{who} is targeted by no activated campaign on {day}."
    )


@campaigns.command("prices-for")
@click.argument("contact_or_customer")
@click.option("--on", "on", type=_DATE, metavar="YYYY-MM-DD", help="The document date.")
@click.option("--campaign", "campaign_no", help="The document's Campaign No.")
@click.pass_context
def campaign_prices_for(
    ctx: click.Context,
    contact_or_customer: str,
    on: dt.datetime | None,
    campaign_no: str | None,
) -> None:
    """List the campaign prices and line discounts a contact's or customer's documents get (§6.3).

    Without --campaign those of the activated campaigns targeting it; the day
    defaults to the work date.
    """
    with workspace(ctx) as crm:
        day = _date_or_none(on) or crm.clock.workdate()
        lines = crm.campaigns.prices_for(
            contact_or_customer, on=day, campaign_no=campaign_no
        )
    who = contact_or_customer.strip().upper()
    ctx.obj["console"].print(
        pricing_lines_table(
            f"Campaign prices for {who} on {day}", lines, with_campaign=True
        )
    )
