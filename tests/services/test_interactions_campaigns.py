"""The campaign effects of logging an interaction (§3.4 Effects, §3.5, §3.6, §6.2).

Logging with a campaign finds or creates the campaign entry per (Campaign No.,
Segment No., Document Type) in the same unit of work and links the interaction log
entry to it. Runs on the in-memory workspace and on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import relationship_mgmt as rm
from relationship_mgmt.domain.campaigns import CampaignEntry
from relationship_mgmt.domain.interactions import DocumentKind, DocumentType
from relationship_mgmt.errors import InteractionEntryError, NotFoundError
from relationship_mgmt.services.campaigns import CampaignService
from relationship_mgmt.testing import FrozenClock

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


class World:
    """A workspace with a salesperson, two templates, a company and two campaigns."""

    def __init__(self, crm: rm.Crm) -> None:
        self.crm = crm
        crm.setup.use_default_number_series()
        crm.salespeople.create("jo", name="Jo Smith")
        crm.interactions.create_group("sales", description="Sales")
        crm.interactions.create_template(
            "call", group="sales", description="Phone call", unit_cost_lcy=2
        )
        crm.interactions.create_template(
            "inv", group="sales", description="Sales invoice"
        )
        crm.interactions.use_template_for(DocumentKind.SALES_INVOICES, "inv")
        self.company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
        self.campaigns = CampaignService(crm.uow_factory, crm.clock)
        self.fair = self.campaigns.create(description="Spring fair").no
        self.other = self.campaigns.create(description="Other").no

    def entries(self) -> list[CampaignEntry]:
        """Every campaign entry of both campaigns."""
        return self.campaigns.entries(self.fair) + self.campaigns.entries(self.other)


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """The world on the in-memory workspace and on an in-memory SQLite database."""
    url = None if request.param == "memory" else "sqlite://"
    crm = rm.open(url, clock=FrozenClock(NOW))
    yield World(crm)
    crm.close()


def test_logging_with_a_campaign_creates_its_campaign_entry(world: World) -> None:
    """§3.4 Effects: a campaign set and not postponed finds or creates a Campaign
    Entry (§6.2: Description "Interactions" for a single interaction)."""
    logged = world.crm.interactions.log(
        contact_no=world.company.no, template="call", campaign_no=world.fair
    )

    assert world.entries() == [
        CampaignEntry(
            entry_no=1,
            campaign_no=world.fair,
            date=NOW.date(),
            description="Interactions",
            salesperson_code="JO",
        )
    ]
    assert (logged.campaign_no, logged.campaign_entry_no) == (world.fair, 1)
    assert world.crm.interactions.get(logged.entry_no) == logged


def test_later_interactions_reuse_the_campaign_entry(world: World) -> None:
    """§6.2: a campaign entry is reused per (Campaign No., Segment No., Document
    Type); only the first interaction of the combination creates it."""
    log = world.crm.interactions.log
    first = log(contact_no=world.company.no, template="call", campaign_no=world.fair)
    second = log(contact_no=world.company.no, template="call", campaign_no=world.fair)
    elsewhere = log(
        contact_no=world.company.no, template="call", campaign_no=world.other
    )

    assert [e.entry_no for e in world.entries()] == [1, 2]
    assert (first.campaign_entry_no, second.campaign_entry_no) == (1, 1)
    assert elsewhere.campaign_entry_no == 2


def test_a_canceled_campaign_entry_is_reused_too(world: World) -> None:
    """§6.2 names no Canceled filter: a canceled entry still takes interactions."""
    log = world.crm.interactions.log
    log(contact_no=world.company.no, template="call", campaign_no=world.fair)
    world.campaigns.cancel_entry(1)

    later = log(contact_no=world.company.no, template="call", campaign_no=world.fair)

    assert later.campaign_entry_no == 1
    assert len(world.entries()) == 1


def test_the_templates_campaign_gets_a_campaign_entry(world: World) -> None:
    """§3.4 step 2: the template's campaign applies unless one is given."""
    world.crm.interactions.change_template("call", campaign_no=world.other)

    logged = world.crm.interactions.log(contact_no=world.company.no, template="call")

    assert (logged.campaign_no, logged.campaign_entry_no) == (world.other, 1)
    assert [e.campaign_no for e in world.entries()] == [world.other]


def test_without_a_campaign_no_campaign_entry_is_made(world: World) -> None:
    """§3.4 Effects: only an interaction with a campaign gets a campaign entry."""
    logged = world.crm.interactions.log(contact_no=world.company.no, template="call")

    assert logged.campaign_entry_no is None
    assert world.entries() == []


def test_a_postponed_interaction_gets_its_campaign_entry_when_resumed(
    world: World,
) -> None:
    """§3.4 Effects: not while postponed; §3.6 Resume finishes it with one."""
    postponed = world.crm.interactions.log(
        contact_no=world.company.no,
        template="call",
        campaign_no=world.fair,
        postponed=True,
    )
    assert (postponed.campaign_entry_no, world.entries()) == (None, [])

    resumed = world.crm.interactions.resume(postponed.entry_no)

    assert (resumed.entry_no, resumed.postponed) == (postponed.entry_no, False)
    assert resumed.campaign_entry_no == 1
    assert [e.campaign_no for e in world.entries()] == [world.fair]


def test_an_unknown_campaign_is_refused_and_nothing_is_logged(world: World) -> None:
    """§3.4 checks on finish: the campaign, if given, must exist."""
    with pytest.raises(NotFoundError) as raised:
        world.crm.interactions.log(
            contact_no=world.company.no, template="call", campaign_no="CP9999"
        )

    assert (raised.value.kind, raised.value.key) == ("campaign", "CP9999")
    assert world.crm.interactions.list() == []
    assert world.entries() == []


def test_a_logged_document_gets_an_entry_of_its_document_type(world: World) -> None:
    """§3.5, §6.2: a logged document's campaign entry is per document type and is
    described by the Interaction Template Setup field's caption."""
    log = world.crm.interactions
    manual = log.log(
        contact_no=world.company.no, template="call", campaign_no=world.fair
    )
    invoice = log.log_document(
        DocumentKind.SALES_INVOICES,
        "SI-1001",
        contact_no=world.company.no,
        campaign_no=world.fair,
    )
    again = log.log_document(
        "Sales Invoices", "SI-1002", contact_no=world.company.no, campaign_no=world.fair
    )

    assert invoice is not None
    assert again is not None
    entries = world.campaigns.entries(world.fair)
    assert [(e.entry_no, e.document_type, e.description) for e in entries] == [
        (1, DocumentType.BLANK, "Interactions"),
        (2, DocumentType.SALES_INVOICE, "Sales Invoices"),
    ]
    assert (manual.campaign_entry_no, invoice.campaign_entry_no) == (1, 2)
    assert again.campaign_entry_no == 2


def test_a_replayed_log_makes_no_second_campaign_entry(world: World) -> None:
    """§3.4 idempotency: a retried request returns the first entry, nothing new."""
    log = world.crm.interactions.log
    first = log(
        contact_no=world.company.no,
        template="call",
        campaign_no=world.fair,
        idempotency_key="k1",
    )
    again = log(
        contact_no=world.company.no,
        template="call",
        campaign_no=world.fair,
        idempotency_key="k1",
    )

    assert again == first
    assert len(world.entries()) == 1
    assert len(world.crm.interactions.list()) == 1


def test_uncancel_is_refused_while_the_campaign_entry_is_canceled(
    world: World,
) -> None:
    """§3.6: un-canceling requires that the campaign entry is not canceled."""
    logged = world.crm.interactions.log(
        contact_no=world.company.no, template="call", campaign_no=world.fair
    )
    world.campaigns.cancel_entry(1)

    with pytest.raises(InteractionEntryError):
        world.crm.interactions.uncancel(logged.entry_no)
    assert world.crm.interactions.get(logged.entry_no).canceled

    world.campaigns.uncancel_entry(1)
    world.crm.interactions.cancel(logged.entry_no)
    assert not world.crm.interactions.uncancel(logged.entry_no).canceled
