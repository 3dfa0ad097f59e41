"""``relmgmt demo``: a guided tour, one chapter per area of the library.

Each area adds its chapter to :data:`CHAPTERS`; a chapter gets the open workspace and
a console and prints what it does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from rich.console import Console
from rich.rule import Rule
from rich.table import Table

import relationship_mgmt as rm
from relationship_mgmt.cli import _render
from relationship_mgmt.cli.contacts import contacts_table
from relationship_mgmt.cli.demo_duplicates import duplicates_chapter
from relationship_mgmt.cli.demo_interactions import interactions_chapter
from relationship_mgmt.cli.demo_opportunities import opportunities_chapter
from relationship_mgmt.cli.demo_profiles import profiles_chapter
from relationship_mgmt.cli.demo_segments import segments_chapter
from relationship_mgmt.cli.demo_tasks import tasks_chapter

__all__ = ["CHAPTERS", "run_demo"]

Chapter = Callable[[rm.Crm, Console], None]


def _setup_chapter(crm: rm.Crm, console: Console) -> None:
    console.print(
        "A new workspace starts with Business Central's Marketing Setup defaults "
        "(spec §1.1). We give it BC's standard number series, fill the code tables "
        "(§1.2) and choose defaults."
    )
    crm.setup.use_default_number_series()
    crm.setup.add_records(
        [
            rm.BusinessRelation(code="CUST", description="Customer"),
            rm.BusinessRelation(code="PROSPECT", description="Prospect"),
            rm.IndustryGroup(code="RETAIL", description="Retail"),
            rm.IndustryGroup(code="WHOLESALE", description="Wholesale"),
            rm.MailingGroup(code="NEWSLETTER", description="Monthly newsletter"),
            rm.JobResponsibility(code="PURCHASE", description="Purchasing"),
            rm.OrganizationalLevel(code="CEO", description="Chief executive"),
            rm.Territory(code="NORTH", description="Northern region"),
            rm.WebSource(
                code="SEARCH",
                description="Web search",
                url="https://example.com/search?q=%1",
            ),
            rm.CloseOpportunityCode(
                code="WON-PRICE",
                description="Best price",
                type=rm.CloseOpportunityType.WON,
            ),
            rm.CloseOpportunityCode(
                code="LOST-LATE",
                description="Too late",
                type=rm.CloseOpportunityType.LOST,
            ),
            rm.CampaignStatus(code="1-PLAN", description="Planning"),
            rm.Salutation(code="M-JOB", description="Male, with job title"),
            rm.SalutationFormula(
                salutation_code="M-JOB",
                salutation="Dear Mr. %1 %2",
                names=(rm.SalutationName.FIRST_NAME, rm.SalutationName.SURNAME),
            ),
            rm.SalutationFormula(
                salutation_code="M-JOB",
                salutation_type=rm.SalutationType.INFORMAL,
                salutation="Hi %1",
                names=(rm.SalutationName.FIRST_NAME,),
            ),
        ]
    )
    crm.setup.change(
        default_territory_code="north",
        default_person_salutation_code="m-job",
        bus_rel_code_for_customers="cust",
        default_correspondence_type=rm.CorrespondenceType.EMAIL,
        default_task_date_formula="<1W>",
        search_hit_pct=70,
    )
    console.print(_render.setup_table(crm.setup.get()))
    console.print(
        _render.records_table("Industry groups", crm.setup.records(rm.IndustryGroup))
    )
    console.print(
        _render.records_table(
            "Close opportunity codes", crm.setup.records(rm.CloseOpportunityCode)
        )
    )

    formula = crm.setup.record(rm.SalutationFormula, "M-JOB", "", "Formal")
    console.print(
        "Salutation formula (§2.10) 'Dear Mr. %1 %2' for John Smith: "
        f"[bold]{formula.render({rm.SalutationName.FIRST_NAME: 'John', rm.SalutationName.SURNAME: 'Smith'})}[/bold]; "
        f"without a first name: [bold]{formula.render({rm.SalutationName.SURNAME: 'Smith'})}[/bold]"
    )

    numbers = [crm.setup.next_number("CONT") for _ in range(3)]
    console.print(f"Three contact numbers drawn from CONT: {', '.join(numbers)}")
    console.print(_render.number_series_table(crm.setup.all_number_series()))


def _contacts_chapter(crm: rm.Crm, console: Console) -> None:
    console.print(
        "Contacts are companies and persons (spec §2). A new contact takes the "
        "setup's defaults (§2.4); a person linked to a company inherits its data "
        "(§2.6), and later company changes reach only the persons who still held "
        "the old value."
    )
    cronus = crm.contacts.create_company(
        name="Cronus Cardoxy Procurement",
        address="192 Market Square",
        city="Birmingham",
        post_code="B27 4KT",
        phone_no="+44 121 555 0100",
        email="info@cronus-cardoxy.example",
    )
    jane = crm.contacts.create_person(
        name="Jane Q Smith", company_no=cronus.no, salutation_code="M-JOB"
    )
    john = crm.contacts.create_person(name="John Emory", company_no=cronus.no)
    crm.contacts.change(john.no, phone_no="+44 121 555 0199")
    crm.contacts.create_company(name="Fabrikam Industries", city="Leeds")
    console.print(
        f"{jane.name} was broken down into first {jane.first_name!r}, middle "
        f"{jane.middle_name!r}, surname {jane.surname!r} (§2.5) and inherited "
        f"{jane.address}, {jane.city} and {jane.phone_no} from {cronus.name}."
    )
    crm.contacts.change(cronus.no, phone_no="+44 121 555 0200", city="Solihull")
    jane, john = crm.contacts.get(jane.no), crm.contacts.get(john.no)
    console.print(
        "The company moved and changed its phone number: Jane (who held the "
        f"company's values) now has {jane.city}, {jane.phone_no}; John keeps his own "
        f"phone {john.phone_no} but moves to {john.city}."
    )
    console.print(
        contacts_table("Contacts (each company, then its persons)", crm.contacts.list())
    )
    console.print(
        f"Salutation for {jane.name}: [bold]{crm.contacts.salutation(jane.no)}[/bold]"
    )
    minor = crm.contacts.create_person(name="Tim Young", company_no=cronus.no)
    crm.contacts.mark_minor(minor.no)
    try:
        crm.contacts.unblock_privacy(minor.no)
    except rm.ParentalConsentRequiredError as error:
        console.print(
            f"Privacy (§2.15): a minor stays blocked without consent: [italic]{error}[/italic]"
        )
    found = crm.contacts.search("cardoxy")
    console.print(f"Searching 'cardoxy' finds {', '.join(c.no for c in found)}.")


def _date_formula_chapter(crm: rm.Crm, console: Console) -> None:
    console.print(
        "BC date formulas (spec §10), worked examples from base Wednesday 2024-03-13:"
    )
    base = date(2024, 3, 13)
    table = Table(title="calc_date(formula, 2024-03-13)")
    table.add_column("Formula")
    table.add_column("Result")
    for text in (
        "1W",
        "CW",
        "-CW",
        "CM+1D",
        "-CM",
        "1M+CM",
        "WD1",
        "WD3",
        "-1Y",
        "CQ",
        "D15",
    ):
        table.add_row(text, rm.calc_date(text, base).isoformat())
    console.print(table)
    setup = crm.setup.get()
    if setup.default_task_date_formula is not None:
        due = setup.default_task_date_formula.apply(crm.clock.workdate())
        console.print(
            f"The setup's default task date formula {setup.default_task_date_formula} "
            f"puts a task created today on {due.isoformat()}."
        )


def _money_chapter(crm: rm.Crm, console: Console) -> None:  # noqa: ARG001 - chapter signature
    price = rm.Money(Decimal("1000.00"), rm.Currency.of("EUR"))
    parts = price.allocate([1, 1, 1])
    console.print(
        f"Money keeps Decimal amounts in one currency: {price} split three ways is "
        f"{', '.join(str(p) for p in parts)} (nothing lost)."
    )
    try:
        price + rm.Money(Decimal(1), rm.Currency.of("USD"))
    except rm.CurrencyMismatchError as error:
        console.print(f"Adding USD to EUR is refused: [italic]{error}[/italic]")


CHAPTERS: list[tuple[str, Chapter]] = [
    ("Setup, code tables and number series", _setup_chapter),
    ("Contacts", _contacts_chapter),
    ("Profiles and classification", profiles_chapter),
    ("Duplicates, merge and unmerge", duplicates_chapter),
    ("Salespeople, teams and interactions", interactions_chapter),
    ("Tasks, recurrence and activities", tasks_chapter),
    ("Opportunities, pipeline and campaigns", opportunities_chapter),
    ("Segments and criteria", segments_chapter),
    ("Date formulas", _date_formula_chapter),
    ("Money", _money_chapter),
]
"""The demo's chapters in order; each area issue appends its own."""


def run_demo(url: str, console: Console) -> None:
    """Run every chapter on a workspace at ``url``, then show it survives reopening."""
    console.print(Rule("relationship_mgmt demo"))
    console.print(f"Workspace: {url}")
    with rm.open(url) as crm:
        for number, (title, chapter) in enumerate(CHAPTERS, start=1):
            console.print(Rule(f"{number}. {title}"))
            chapter(crm, console)
    console.print(Rule("Reopening the workspace"))
    with rm.open(url) as crm:
        setup = crm.setup.get()
        console.print(
            f"Read back from storage: setup version {setup.version}, search hit % "
            f"{setup.search_hit_pct}, next contact number {crm.setup.number_series('CONT').peek()}."
        )
