"""Campaigns, their entries, statistics, target groups and pricing (§6).

A campaign takes its number from Marketing Setup's *Campaign Nos.* series, its
salesperson must exist and not be blocked, and its status must be a Campaign Status
code (§6.1, §8). Interactions logged with a campaign land in campaign entries
(``crm.interactions.log``, §3.4); a campaign entry is canceled and un-canceled
together with its interaction log entries (§6.2), and the statistics page adds up
the campaign's interactions and the active entries of its opportunities (§6.4).

Activating a campaign (§6.3) builds its target group from the segment lines and
interactions marked *campaign target*; while it is activated,
:func:`refresh_campaign_target` keeps the group current as lines and interactions
come and go, and :func:`convert_campaign_targets_to_customer` turns a company's
rows into its new customer's. :meth:`CampaignService.prices_for` then tells which
price and line-discount lines reach a customer's or contact's documents.

>>> import datetime as dt
>>> import relationship_mgmt as rm
>>> from relationship_mgmt.testing import FrozenClock
>>> crm = rm.open(clock=FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
>>> crm.setup.use_default_number_series()
>>> crm.salespeople.create("jo", name="Jo Smith").code
'JO'
>>> campaigns = CampaignService(crm.uow_factory, crm.clock)
>>> fair = campaigns.create(description="Spring fair", salesperson_code="jo",
...                         starting_date=dt.date(2026, 3, 1))
>>> (fair.no, fair.no_series, fair.last_date_modified)
('CP0001', 'CAMP', None)
>>> campaigns.change(fair.no, ending_date=dt.date(2026, 3, 31)).last_date_modified
datetime.date(2026, 3, 2)

Logging an interaction with the campaign creates its campaign entry; canceling that
entry cancels the interaction too, and the statistics leave it out:

>>> crm.interactions.create_group("sales")
InteractionGroup(code='SALES', description='')
>>> crm.interactions.create_template("call", group="sales", unit_cost_lcy=2,
...                                  campaign_target=True).code
'CALL'
>>> ann = crm.contacts.create_company(name="Cronus Ltd.", salesperson_code="jo")
>>> call = crm.interactions.log(contact_no=ann.no, template="call",
...                             campaign_no=fair.no)
>>> [(e.entry_no, e.description) for e in campaigns.entries(fair.no)]
[(1, 'Interactions')]
>>> campaigns.statistics(fair.no).target_contacts_contacted
1
>>> campaigns.cancel_entry(1).canceled, crm.interactions.get(call.entry_no).canceled
(True, True)
>>> campaigns.statistics(fair.no).cost_lcy
Decimal('0')

The call targeted the company; activating the campaign (with no price lines yet,
hence ``force``) puts it in the target group, and its prices reach it:

>>> [(g.type.value, g.no) for g in campaigns.activate(fair.no, force=True)]
[('Contact', 'CT000001')]
>>> campaigns.is_targeted(ann.no, on=dt.date(2026, 3, 10))
True
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Final, TypeVar

from relationship_mgmt.domain._fields import check_field_names
from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignEntry,
    CampaignLineDiscountLine,
    CampaignPriceLine,
    CampaignStatistics,
    CampaignTargetGroup,
    OpportunityFigures,
    PricingLine,
    TargetType,
    campaign_entry_statistics,
    campaign_statistics,
    deletable_campaign_entries,
    plan_activation,
    pricing_campaigns,
    pricing_line_applies,
    target_group_of,
)
from relationship_mgmt.domain.codes import (
    CODE20,
    CampaignNo,
    ContactNo,
    SalespersonCode,
    make_code,
)
from relationship_mgmt.domain.contacts import LinkToTable
from relationship_mgmt.domain.interactions import (
    InteractionFilter,
    InteractionLogEntry,
    InteractionStatistics,
)
from relationship_mgmt.domain.setup import CampaignStatus
from relationship_mgmt.errors import NotFoundError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.numbering import assign_number

__all__ = [
    "CampaignService",
    "add_campaign_target",
    "convert_campaign_targets_to_customer",
    "entry_target_pairs",
    "refresh_campaign_target",
    "refresh_campaign_targets",
]

_T = TypeVar("_T")

_MAX_NUMBER_TRIES: Final = 1_000
_SET_BY_RULES: Final = frozenset(
    {"version", "no", "no_series", "activated", "last_date_modified"}
)
"""Fields a caller does not give: the key and its series, the Activated FlowField
(§6.1, §6.3), Last Date Modified (TODAY on modify) and the storage version."""


def _campaign_no(no: str) -> CampaignNo:
    return CampaignNo(make_code(no, max_length=CODE20, field="no"))


def _company_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="company_no"))


def _refuse_rule_fields(names: Mapping[str, object]) -> None:
    refused = sorted(set(names) & _SET_BY_RULES)
    if refused:
        raise ValidationError("fields", refused, "are set by the rules, not given")


def _check_references(
    uow: UnitOfWork, campaign: Campaign, changed: Mapping[str, object]
) -> None:
    """The salesperson and the status a campaign is given must be usable (§6.1, §8).

    Only fields among ``changed`` are checked: a campaign keeps a salesperson who was
    blocked after it was assigned.

    Raises:
        NotFoundError: No such salesperson or campaign status.
        SalespersonBlockedError: The salesperson is blocked or privacy blocked.
    """
    if "salesperson_code" in changed and campaign.salesperson_code is not None:
        code = SalespersonCode(campaign.salesperson_code)
        uow.salespeople.get(code).ensure_assignable("campaign")
    status = campaign.status_code
    if (
        "status_code" in changed
        and status is not None
        and not uow.code_tables.exists(CampaignStatus, status)
    ):
        raise NotFoundError("campaign status", status)


def _interactions_of(
    uow: UnitOfWork, entry: CampaignEntry
) -> builtins.list[InteractionLogEntry]:
    """The interaction log entries of a campaign entry (BC's Campaign Entry No. filter).

    The log is queried by the campaign; the entry number is matched here.
    """
    where = InteractionFilter(campaign_no=entry.campaign_no)
    return [
        i
        for i in uow.interaction_log.find(where)
        if i.campaign_entry_no == entry.entry_no
    ]


class CampaignService:
    """Campaigns (table 5071), campaign entries (5072) and their statistics (§6).

    One public method is one use case and one unit of work. Today (BC's ``TODAY``
    and ``WORKDATE``) is the clock's work date.

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: The work date: Last Date Modified and the number series.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    # --- campaigns (§6.1) -------------------------------------------------------------

    def _read(self, no: str, read: Callable[[UnitOfWork, CampaignNo], _T]) -> _T:
        """``read(uow, campaign)`` of an existing campaign, in a unit of work of its own.

        Raises:
            NotFoundError: No such campaign.
        """
        key = _campaign_no(no)
        with self._uow_factory() as uow:
            uow.campaigns.get(key)
            return read(uow, key)

    def _new_number(self, uow: UnitOfWork, no: str | None) -> tuple[str, str | None]:
        """Return the new campaign's number and the series it was drawn from, if any.

        A drawn number that is taken is skipped, as ``ContactService`` does; a typed
        one is kept (adding it then reports the clash).
        """
        series = uow.setup.get().campaign_nos
        for _ in range(_MAX_NUMBER_TRIES):
            number = assign_number(
                uow,
                series,
                manual_no=no,
                on=self._clock.workdate(),
                what="campaign_nos",
            )
            if no is not None and no.strip():
                return number, None
            if not uow.campaigns.exists(CampaignNo(number)):
                return number, series
        raise ValidationError("campaign_nos", series, "every number tried exists")

    def create(self, *, no: str | None = None, **fields: object) -> Campaign:
        """Create a campaign (table 5071, §6.1).

        Args:
            no: A number typed by hand (the series must allow manual numbers); by
                default the next number of the setup's ``campaign_nos`` series, which
                is then recorded in ``no_series``.
            **fields: ``description``, ``starting_date``, ``ending_date``,
                ``salesperson_code``, ``status_code`` and the global dimension codes
                of :class:`~relationship_mgmt.domain.campaigns.Campaign`.

        Returns:
            The stored campaign.

        Raises:
            ValidationError: An unknown field or one set by the rules, a refused
                value, Starting Date after Ending Date, or no number and no series.
            NotFoundError: No such salesperson or campaign status.
            SalespersonBlockedError: The salesperson is blocked (§6.1, §8).
            AlreadyExistsError: A typed number is taken.
            ManualNumbersNotAllowedError: The series refuses typed numbers.
            NumberSeriesError: The series is exhausted.
            PersistenceError: The storage failed.
        """
        check_field_names(Campaign, fields)
        _refuse_rule_fields(fields)
        with self._uow_factory() as uow:
            number, series = self._new_number(uow, no)
            campaign = Campaign(no=number, no_series=series, **fields)  # type: ignore[arg-type]
            _check_references(uow, campaign, fields)
            uow.campaigns.add(campaign)
            uow.commit()
        return campaign

    def get(self, no: str) -> Campaign:
        """Return the campaign ``no``.

        Raises:
            NotFoundError: No such campaign.
        """
        key = _campaign_no(no)
        with self._uow_factory() as uow:
            return uow.campaigns.get(key)

    def list(self) -> builtins.list[Campaign]:
        """Return every campaign, ordered by number."""
        with self._uow_factory() as uow:
            return uow.campaigns.find_all()

    def change(self, no: str, /, **fields: object) -> Campaign:
        """Change fields of a campaign, all or nothing (§6.1).

        Last Date Modified becomes the work date. A salesperson or status given is
        checked as on :meth:`create`; a wrong date order is reported on the date
        changed ("Starting Date must be before Ending Date." or "Ending Date must
        be after Starting Date.").

        Raises:
            NotFoundError: No such campaign, salesperson or campaign status.
            ValidationError: An unknown field or one set by the rules, a refused
                value, or the dates out of order; nothing changed.
            SalespersonBlockedError: The salesperson is blocked (§8).
            ConcurrencyError: Changed meanwhile; retry.
        """
        key = _campaign_no(no)
        _refuse_rule_fields(fields)
        with self._uow_factory() as uow:
            campaign = uow.campaigns.get(key)
            campaign.change(today=self._clock.workdate(), **fields)
            _check_references(uow, campaign, fields)
            uow.campaigns.update(campaign)
            uow.commit()
        return campaign

    def delete(self, no: str) -> None:
        """Delete a campaign with its entries, their interactions and its pricing (§6.1).

        BC's Delete: the campaign entries are deleted, each with its interaction log
        entries (canceled first, as storage deletes only canceled ones), and the
        campaign is deactivated. Its price and line-discount lines go too, so none is
        left without its campaign. Opportunities, segments and tasks keep their
        Campaign No. (BC leaves it dangling).

        Raises:
            NotFoundError: No such campaign.
        """
        key = _campaign_no(no)
        with self._uow_factory() as uow:
            uow.campaigns.get(key)
            uow.campaign_target_groups.remove_of(key)
            for entry in uow.campaign_entries.find(campaign_no=key):
                _remove_entry(uow, entry)
            uow.campaign_pricing.remove_of(key)
            uow.campaigns.remove(key)
            uow.commit()

    def delete_entry(self, entry_no: int) -> None:
        """Delete a campaign entry with its interaction log entries (§6.2 Delete).

        Raises:
            NotFoundError: No such campaign entry.
        """
        with self._uow_factory() as uow:
            _remove_entry(uow, uow.campaign_entries.get(entry_no))
            uow.commit()

    def delete_canceled_entries(self, campaign_no: str | None = None) -> int:
        """Delete the canceled campaign entries (of one campaign) with their interactions.

        BC's batch *Delete Campaign Entries* processes canceled entries only (§6.2).

        Returns:
            How many campaign entries were deleted.
        """
        key = None if campaign_no is None else _campaign_no(campaign_no)
        with self._uow_factory() as uow:
            doomed = deletable_campaign_entries(
                uow.campaign_entries.find(campaign_no=key), campaign_no=key
            )
            for entry in doomed:
                _remove_entry(uow, entry)
            uow.commit()
        return len(doomed)

    # --- price and line-discount lines (§6.3) -----------------------------------------

    def put_pricing_line(self, line: PricingLine) -> PricingLine:
        """Store a campaign sales price or line-discount line (§6.3).

        A line with the same key (:func:`~relationship_mgmt.domain.campaigns.pricing_line_key`)
        is replaced. The lines apply to documents once the campaign is activated
        through its target group (segments); :meth:`pricing_on` tells which of them
        a document date allows.

        Raises:
            NotFoundError: No such campaign.
            ValidationError: ``line`` is not a price or line-discount line.
        """
        if not isinstance(line, CampaignPriceLine | CampaignLineDiscountLine):
            raise ValidationError(
                "line", line, "must be a campaign price or discount line"
            )
        with self._uow_factory() as uow:
            uow.campaigns.get(line.campaign_no)
            uow.campaign_pricing.put(line)
            uow.commit()
        return line

    def remove_pricing_line(self, line: PricingLine) -> None:
        """Delete the campaign's line with ``line``'s key.

        Raises:
            NotFoundError: No such line.
        """
        with self._uow_factory() as uow:
            uow.campaign_pricing.remove(line)
            uow.commit()

    def pricing_lines(self, campaign_no: str) -> builtins.list[PricingLine]:
        """Return the campaign's price and line-discount lines, ordered by key.

        Raises:
            NotFoundError: No such campaign.
        """
        return self._read(
            campaign_no, lambda uow, key: uow.campaign_pricing.lines_of(key)
        )

    def pricing_on(self, campaign_no: str, on: dt.date) -> builtins.list[PricingLine]:
        """Return the campaign's lines that may apply on a document date (§6.3).

        Both the campaign's Starting..Ending Date and the line's own dates must
        contain ``on`` (:func:`~relationship_mgmt.domain.campaigns.pricing_line_applies`).

        Raises:
            NotFoundError: No such campaign.
        """
        key = _campaign_no(campaign_no)
        with self._uow_factory() as uow:
            campaign = uow.campaigns.get(key)
            lines = uow.campaign_pricing.lines_of(key)
        return [line for line in lines if pricing_line_applies(line, campaign, on)]

    # --- activation and target groups (§6.3) -----------------------------------------

    def activate(
        self, no: str, *, force: bool = False
    ) -> builtins.list[CampaignTargetGroup]:
        """Activate the campaign's prices for its target group (§6.3 ``ActivateCampaign``).

        Every company that a segment line or a not-postponed interaction log entry
        with this Campaign No. and Campaign Target points to (always the company,
        also for a person's line) joins the target group: as (Customer, its
        customer No.) when it has a Customer business relation, else as (Contact,
        its No.). Rows already there stay; activating twice adds what is new.

        BC first asks "There are no Sales Prices or Sales Line Discounts currently
        linked to this Campaign. Do you still want to activate?" when the campaign
        has no price or line-discount lines. The library asks nothing: without such
        lines it refuses unless ``force`` is true, with the question as the error's
        ``reason``; answering "yes" is calling again with ``force=True``.

        Args:
            no: The campaign.
            force: Activate even without price or line-discount lines.

        Returns:
            The campaign's target group rows, by type and No.

        Raises:
            NotFoundError: No such campaign.
            ValidationError: No pricing lines and not ``force`` (``.field``
                ``"force"``, ``.reason``
                :data:`~relationship_mgmt.domain.campaigns.NO_PRICING_QUESTION`), or
                nothing targets the campaign (``.field`` ``"campaign_no"``,
                ``.reason``
                :data:`~relationship_mgmt.domain.campaigns.NO_TARGET_MESSAGE`).
            ConcurrencyError: Changed meanwhile; retry.
        """
        key = _campaign_no(no)
        with self._uow_factory() as uow:
            campaign = uow.campaigns.get(key)
            groups = uow.campaign_target_groups
            companies = uow.contacts.get_many(groups.targeted_companies(key))
            rows = plan_activation(
                key,
                companies=companies.values(),
                has_pricing_lines=bool(uow.campaign_pricing.lines_of(key)),
                force=force,
            )
            for row in rows:
                if not groups.exists(row):
                    groups.add(row)
            _mark_activated(uow, campaign, activated=True)
            activated = groups.of_campaign(key)
            uow.commit()
        return activated

    def deactivate(self, no: str) -> int:
        """Delete the campaign's target group rows (§6.3 Deactivate).

        Its prices then reach documents only where a document names the campaign
        (:meth:`prices_for` with ``campaign_no``). Deactivating a campaign that is
        not activated changes nothing.

        Returns:
            How many rows were deleted.

        Raises:
            NotFoundError: No such campaign.
            ConcurrencyError: Changed meanwhile; retry.
        """
        key = _campaign_no(no)
        with self._uow_factory() as uow:
            campaign = uow.campaigns.get(key)
            removed = uow.campaign_target_groups.remove_of(key)
            _mark_activated(uow, campaign, activated=False)
            uow.commit()
        return removed

    def is_activated(self, no: str) -> bool:
        """Return BC's *Activated* FlowField: the campaign has target group rows (§6.1).

        Raises:
            NotFoundError: No such campaign.
        """
        return self._read(
            no, lambda uow, key: uow.campaign_target_groups.exists_for(key)
        )

    def target_groups(self, no: str) -> builtins.list[CampaignTargetGroup]:
        """Return the campaign's target group rows, by type (Contact, Customer) and No.

        Raises:
            NotFoundError: No such campaign.
        """
        return self._read(
            no, lambda uow, key: uow.campaign_target_groups.of_campaign(key)
        )

    def targeted_by(
        self, contact_or_customer: str, *, on: dt.date | None = None
    ) -> builtins.list[CampaignNo]:
        """Return the activated campaigns whose prices reach a contact or customer.

        The campaigns are found as §6.3's Pricing effect finds them for a sales
        document without a Campaign No.: the target group rows (Customer, the
        customer) and, when there are none, the rows (Contact, the company). A
        contact stands for its company and the company's customer; a customer
        No. for itself and the company linked with it (§2.8). Only campaigns whose
        Starting..Ending Date contain ``on`` count.

        Args:
            contact_or_customer: A contact No. (a person or a company), or else a
                customer No.
            on: The day; by default the work date.

        Returns:
            The campaign numbers, sorted.

        Raises:
            NotFoundError: Neither a contact nor a customer linked with one, nor a
                customer in a target group.
        """
        day = on or self._clock.workdate()
        with self._uow_factory() as uow:
            campaigns = _pricing_sources(uow, contact_or_customer, None)
            return [
                c.no
                for c in (_campaign_or_none(uow, no) for no in campaigns)
                if c is not None and c.runs_on(day)
            ]

    def is_targeted(
        self, contact_or_customer: str, *, on: dt.date | None = None
    ) -> bool:
        """Return whether an activated campaign targets a contact or customer on a day.

        True when :meth:`targeted_by` finds a campaign (§6.3).

        Raises:
            NotFoundError: Neither a contact nor a customer linked with one, nor a
                customer in a target group.
        """
        return bool(self.targeted_by(contact_or_customer, on=on))

    def prices_for(
        self,
        contact_or_customer: str,
        *,
        on: dt.date | None = None,
        campaign_no: str | None = None,
    ) -> builtins.list[PricingLine]:
        """Return the campaign price and line-discount lines a sales document may use (§6.3).

        The document is the contact's or customer's, dated ``on``. With
        ``campaign_no`` (the document's Campaign No.) only that campaign's lines
        are candidates, activated or not; otherwise those of the campaigns found by
        :meth:`targeted_by`. A line applies when the campaign's Starting..Ending
        Date and its own dates contain ``on``; the candidates then compete with the
        other price sources under the host's best-price rules, which are not this
        library's.

        Args:
            contact_or_customer: A contact No. (a person or a company), or else a
                customer No.
            on: The document date; by default the work date.
            campaign_no: The document's Campaign No.

        Returns:
            The lines, by campaign and then key.

        Raises:
            NotFoundError: No such campaign; without ``campaign_no``, neither a
                contact nor a customer linked with one, nor a customer in a target
                group.
        """
        day = on or self._clock.workdate()
        with self._uow_factory() as uow:
            lines: builtins.list[PricingLine] = []
            for no in _pricing_sources(uow, contact_or_customer, campaign_no):
                campaign = (
                    uow.campaigns.get(no)
                    if campaign_no is not None
                    else _campaign_or_none(uow, no)
                )
                if campaign is None:
                    continue
                lines.extend(
                    line
                    for line in uow.campaign_pricing.lines_of(campaign.no)
                    if pricing_line_applies(line, campaign, day)
                )
            return lines

    # --- campaign entries (§6.2) -------------------------------------------------------

    def entries(self, campaign_no: str) -> builtins.list[CampaignEntry]:
        """Return the campaign's entries, ordered by entry number (§6.2).

        Raises:
            NotFoundError: No such campaign.
        """
        return self._read(
            campaign_no, lambda uow, key: uow.campaign_entries.find(campaign_no=key)
        )

    def _toggle(
        self,
        entry_no: int,
        entry_change: Callable[[CampaignEntry], CampaignEntry],
        log_change: Callable[[InteractionLogEntry], InteractionLogEntry],
    ) -> CampaignEntry:
        with self._uow_factory() as uow:
            entry = entry_change(uow.campaign_entries.get(entry_no))
            for interaction in _interactions_of(uow, entry):
                changed = log_change(interaction)
                if changed is not interaction:
                    uow.interaction_log.update(changed)
            uow.campaign_entries.update(entry)
            uow.commit()
        return entry

    def cancel_entry(self, entry_no: int) -> CampaignEntry:
        """Cancel a campaign entry and all its interaction log entries (§6.2).

        Canceled interactions count in no statistic (§3.6); the entry's own figures
        (:meth:`entry_statistics`) then cover its canceled interactions.

        Returns:
            The canceled entry.

        Raises:
            NotFoundError: No such campaign entry.
        """
        return self._toggle(
            entry_no, CampaignEntry.cancel, lambda i: i.cancel(remove_attachment=False)
        )

    def uncancel_entry(self, entry_no: int) -> CampaignEntry:
        """Clear Canceled on a campaign entry and on all its interactions (§6.2).

        As BC's ``ModifyAll``, every interaction of the entry is un-canceled, also one
        that was canceled on its own before.

        Returns:
            The entry, no longer canceled.

        Raises:
            NotFoundError: No such campaign entry.
        """
        return self._toggle(
            entry_no,
            CampaignEntry.uncancel,
            lambda i: i.uncancel(segment_canceled=False, campaign_entry_canceled=False),
        )

    def entry_statistics(self, entry_no: int) -> InteractionStatistics:
        """Return a campaign entry's No. of Interactions, Cost and Duration (§6.2).

        They cover its interactions whose Canceled equals the entry's, so a canceled
        entry shows its canceled interactions; postponed ones never count.

        Raises:
            NotFoundError: No such campaign entry.
        """
        with self._uow_factory() as uow:
            entry = uow.campaign_entries.get(entry_no)
            return campaign_entry_statistics(entry, _interactions_of(uow, entry))

    # --- statistics (§6.1, §6.4) -------------------------------------------------------

    def statistics(
        self,
        no: str,
        *,
        starting: dt.date | None = None,
        ending: dt.date | None = None,
    ) -> CampaignStatistics:
        """Return the campaign's statistics page (§6.4) over its FlowFields (§6.1).

        Interaction figures count the campaign's entries that are not canceled and
        not postponed, dated within ``starting``..``ending`` (BC's Date Filter,
        inclusive; ``None`` is open). Opportunity figures add up the active
        opportunity entry of each opportunity with this Campaign No. (Estimated
        Value, Calcd. Current Value; won and lost by the opportunity's status); the
        Date Filter applies to the entry's Date of Change, as for a salesperson's
        figures (§8). An opportunity without an active entry does not count.

        Raises:
            NotFoundError: No such campaign.
        """
        key = _campaign_no(no)
        with self._uow_factory() as uow:
            uow.campaigns.get(key)
            where = InteractionFilter(campaign_no=key, starting=starting, ending=ending)
            interactions = uow.interaction_log.find(where)
            figures: builtins.list[OpportunityFigures] = []
            for opportunity in uow.opportunities.find(campaign_no=key):
                active = uow.opportunity_entries.active_of(opportunity.no)
                if active is None or not _within(
                    active.date_of_change, starting, ending
                ):
                    continue
                figures.append(
                    OpportunityFigures(
                        opportunity_no=opportunity.no,
                        campaign_no=key,
                        estimated_value_lcy=active.estimated_value,
                        calcd_current_value_lcy=active.calcd_current_value,
                        status=opportunity.status,
                    )
                )
        return campaign_statistics(
            interactions,
            campaign_no=key,
            opportunities=figures,
            starting=starting,
            ending=ending,
        )


def _remove_entry(uow: UnitOfWork, entry: CampaignEntry) -> None:
    """Delete a campaign entry and its interaction log entries (§6.2 Delete).

    A company that only those interactions targeted leaves the target group (§6.3).
    """
    removed = _interactions_of(uow, entry)
    for interaction in removed:
        if not interaction.canceled:
            uow.interaction_log.update(interaction.cancel(remove_attachment=False))
        uow.interaction_log.remove(interaction.entry_no)
    uow.campaign_entries.remove(entry.entry_no)
    refresh_campaign_targets(
        uow,
        ((i.campaign_no, i.contact_company_no) for i in removed if i.campaign_target),
    )


def _within(day: dt.date, starting: dt.date | None, ending: dt.date | None) -> bool:
    return (starting is None or day >= starting) and (ending is None or day <= ending)


def _campaign_or_none(uow: UnitOfWork, no: CampaignNo) -> Campaign | None:
    """The campaign ``no``, or ``None`` when a target group row outlived it."""
    return uow.campaigns.get(no) if uow.campaigns.exists(no) else None


def _pricing_sources(
    uow: UnitOfWork, contact_or_customer: str, campaign_no: str | None
) -> builtins.list[CampaignNo]:
    """The campaigns whose lines may reach the party's documents (§6.3 Pricing effect).

    A document naming a campaign uses that one, whoever it is for. Otherwise a
    contact No. is tried first: the document's customer is the one linked with the
    contact or its company, and the sell-to contact's company is the contact's
    Company No. Else the No. is a customer's: the company is the contact linked
    with it (§2.8), if any.

    Raises:
        NotFoundError: Without ``campaign_no``, neither a contact, nor a customer
            that is linked with a contact or in a target group.
    """
    if campaign_no is not None:
        return pricing_campaigns(document_campaign_no=campaign_no)
    no = make_code(contact_or_customer, max_length=CODE20, field="contact_or_customer")
    groups = uow.campaign_target_groups
    contact = uow.contacts.get_many([ContactNo(no)]).get(ContactNo(no))
    if contact is not None:
        company_no = contact.company_no
        holders = [contact]
        if company_no is not None and company_no != contact.no:
            holders += uow.contacts.get_many([company_no]).values()
        customer = next(
            (
                link
                for holder in holders
                if (link := holder.business_partner_link(LinkToTable.CUSTOMER))
            ),
            None,
        )
    else:
        customer = no
        company_no = uow.contacts.linked_to(LinkToTable.CUSTOMER, no)
        if company_no is None and not groups.of_target(TargetType.CUSTOMER, no):
            raise NotFoundError("contact or customer", no)
    return pricing_campaigns(
        customer_rows=(
            () if customer is None else groups.of_target(TargetType.CUSTOMER, customer)
        ),
        contact_rows=(
            ()
            if company_no is None
            else groups.of_target(TargetType.CONTACT, company_no)
        ),
    )


def _mark_activated(uow: UnitOfWork, campaign: Campaign, *, activated: bool) -> None:
    """Keep the campaign's stored *Activated* in step with its rows (§6.1).

    It is BC's FlowField; Last Date Modified does not change.
    """
    if campaign.activated != activated:
        campaign.change(activated=activated)
        uow.campaigns.update(campaign)


def _company_rows(
    uow: UnitOfWork, campaign_no: CampaignNo, company_no: ContactNo
) -> tuple[CampaignTargetGroup | None, builtins.list[CampaignTargetGroup]]:
    """The row the company gives now, and every row it may hold in the group."""
    company = uow.contacts.get_many([company_no]).get(company_no)
    held = [
        CampaignTargetGroup(
            type=TargetType.CONTACT, no=company_no, campaign_no=campaign_no
        )
    ]
    if company is None:
        return None, held
    row = target_group_of(company, campaign_no)
    customer = company.business_partner_link(LinkToTable.CUSTOMER)
    if customer is not None:
        held.append(
            CampaignTargetGroup(
                type=TargetType.CUSTOMER, no=customer, campaign_no=campaign_no
            )
        )
    return row, held


def add_campaign_target(
    uow: UnitOfWork, campaign_no: str | None, company_no: str | None
) -> None:
    """Add a company to an activated campaign's target group, in the caller's unit of work.

    §6.3: a new segment line or interaction log entry with Campaign Target for an
    activated campaign adds its company. Call it for a line or entry about to be
    stored (``link_campaign_entry`` does, for interactions); nothing is read of
    the lines and entries, so the caller vouches that one targets the campaign.
    Nothing happens when either number is ``None``, the campaign is not activated,
    or the company is not stored.

    Args:
        uow: The caller's unit of work (the caller commits).
        campaign_no: The line's or entry's Campaign No.
        company_no: Its Contact Company No.

    Raises:
        ValidationError: A number is too long.
        PersistenceError: The storage failed.
    """
    if not campaign_no or not company_no:
        return
    campaign, company = _campaign_no(campaign_no), _company_no(company_no)
    groups = uow.campaign_target_groups
    if not groups.exists_for(campaign):
        return
    row, _ = _company_rows(uow, campaign, company)
    if row is not None and not groups.exists(row):
        groups.add(row)


def refresh_campaign_target(
    uow: UnitOfWork, campaign_no: str | None, company_no: str | None
) -> None:
    """Bring an activated campaign's target group up to date for one company (§6.3).

    Call it in the caller's unit of work **after** a segment line or interaction log
    entry that had or has this Campaign No. and Campaign Target was stored, changed
    or deleted (for a change of campaign or company, once for the old pair and once
    for the new). When the campaign is activated, the company's row is added if a
    segment line or a not-postponed interaction log entry still targets the
    campaign for the company, and its rows are removed if none does: BC's "remove
    only if it was the last". Removing the last row deactivates the campaign, as in
    BC, so later lines no longer add to it. Nothing happens when either number is
    ``None`` or the campaign is not activated.

    Args:
        uow: The caller's unit of work (the caller commits).
        campaign_no: The line's or entry's Campaign No.
        company_no: Its Contact Company No.

    Raises:
        ValidationError: A number is too long.
        ConcurrencyError: The campaign changed meanwhile (when its last row goes).
        PersistenceError: The storage failed.
    """
    if not campaign_no or not company_no:
        return
    campaign, company = _campaign_no(campaign_no), _company_no(company_no)
    groups = uow.campaign_target_groups
    if not groups.exists_for(campaign):
        return
    row, held = _company_rows(uow, campaign, company)
    if groups.targeted_companies(campaign, company_no=company):
        if row is not None and not groups.exists(row):
            groups.add(row)
        return
    for stale in held:
        if groups.exists(stale):
            groups.remove(stale)
    if not groups.exists_for(campaign) and uow.campaigns.exists(campaign):
        _mark_activated(uow, uow.campaigns.get(campaign), activated=False)


def refresh_campaign_targets(
    uow: UnitOfWork, pairs: Iterable[tuple[str | None, str | None]]
) -> None:
    """Run :func:`refresh_campaign_target` once per distinct (campaign, company) pair."""
    for campaign_no, company_no in sorted({(c, co) for c, co in pairs if c and co}):
        refresh_campaign_target(uow, campaign_no, company_no)


def entry_target_pairs(
    entries: Iterable[InteractionLogEntry],
) -> set[tuple[str | None, str | None]]:
    """(campaign, company) of the entries that target a campaign (§6.3).

    For a use case that moves entries between companies (a merge, a deleted
    company): refresh these pairs, taken before and after the move, with
    :func:`refresh_campaign_targets`.
    """
    return {
        (e.campaign_no, e.contact_company_no)
        for e in entries
        if e.campaign_target and e.campaign_no is not None
    }


def convert_campaign_targets_to_customer(
    uow: UnitOfWork, company_no: str, customer_no: str
) -> int:
    """Turn a company's Contact target group rows into its new customer's (§6.3).

    BC's ``ConverttoCustomer`` (§2.9 Create as Customer, step 8): every row
    (Contact, company) becomes (Customer, the new customer No.) in the same
    campaign. The contacts service calls it when it creates a customer.

    Args:
        uow: The caller's unit of work (the caller commits).
        company_no: The company contact that got the customer.
        customer_no: The new customer's No.

    Returns:
        How many rows were converted.

    Raises:
        ValidationError: A number is blank or too long.
        PersistenceError: The storage failed.
    """
    groups = uow.campaign_target_groups
    rows = groups.of_target(TargetType.CONTACT, _company_no(company_no))
    for row in rows:
        groups.remove(row)
        converted = CampaignTargetGroup(
            type=TargetType.CUSTOMER, no=customer_no, campaign_no=row.campaign_no
        )
        if not groups.exists(converted):
            groups.add(converted)
    return len(rows)
