"""The unit-of-work port: one transaction, with the repositories it covers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, Self

from relationship_mgmt.ports.repositories import (
    ActivityRepository,
    CampaignEntryRepository,
    CampaignPricingRepository,
    CampaignRepository,
    CampaignTargetGroupRepository,
    CodeTableRepository,
    ContactProfileAnswerRepository,
    ContactRepository,
    DuplicateKeyRepository,
    InteractionLogRepository,
    InteractionTemplateRepository,
    InteractionTemplateSetupRepository,
    LoggedSegmentRepository,
    MergeRepository,
    NumberSeriesRepository,
    OpportunityEntryRepository,
    OpportunityRepository,
    ProfileQuestionnaireRepository,
    SalesCycleRepository,
    SalespersonRepository,
    SavedCriteriaRepository,
    SegmentRepository,
    SeparateContactPairRepository,
    SetupRepository,
    TaskRepository,
    TeamRepository,
)

__all__ = ["UnitOfWork", "UnitOfWorkFactory"]


class UnitOfWork(Protocol):
    """One atomic piece of work over the repositories.

    Use it as a context manager and commit explicitly::

        with uow:
            series = uow.number_series.get_for_update(code)
            number = series.draw(on=today)
            uow.number_series.update(series)
            uow.commit()

    Leaving the block without :meth:`commit` (normally or by an exception) rolls
    everything back. Repositories are read-only properties and are valid only
    inside the block. A unit of work object is used for one block only.
    """

    @property
    def setup(self) -> SetupRepository:
        """The Relationship Management setup."""
        ...

    @property
    def code_tables(self) -> CodeTableRepository:
        """The code tables of §1.2."""
        ...

    @property
    def number_series(self) -> NumberSeriesRepository:
        """The number series."""
        ...

    @property
    def profile_questionnaires(self) -> ProfileQuestionnaireRepository:
        """The profile questionnaires with their questions and answers."""
        ...

    @property
    def contacts(self) -> ContactRepository:
        """The contacts, companies and persons."""
        ...

    @property
    def contact_profile_answers(self) -> ContactProfileAnswerRepository:
        """The contacts' answers to profile questionnaires."""
        ...

    @property
    def merges(self) -> MergeRepository:
        """The records of contact merges and the aliases of merged-away numbers."""
        ...

    @property
    def separate_contact_pairs(self) -> SeparateContactPairRepository:
        """The pairs of contacts marked as not duplicates (§2.14)."""
        ...

    @property
    def duplicate_keys(self) -> DuplicateKeyRepository:
        """The duplicate index, each contact's keys per method (§2.14)."""
        ...

    @property
    def salespeople(self) -> SalespersonRepository:
        """The salespeople/purchasers (§8)."""
        ...

    @property
    def teams(self) -> TeamRepository:
        """The teams with their members (§8)."""
        ...

    @property
    def interaction_templates(self) -> InteractionTemplateRepository:
        """The interaction templates with their languages (§3.2)."""
        ...

    @property
    def interaction_template_setup(self) -> InteractionTemplateSetupRepository:
        """The Interaction Template Setup (§1.3)."""
        ...

    @property
    def interaction_log(self) -> InteractionLogRepository:
        """The interaction log entries (§3.3)."""
        ...

    @property
    def tasks(self) -> TaskRepository:
        """The tasks with their attendees (§7)."""
        ...

    @property
    def activities(self) -> ActivityRepository:
        """The activities, task templates with their steps (§7.6)."""
        ...

    @property
    def sales_cycles(self) -> SalesCycleRepository:
        """The sales cycles with their stages (§5.1, §5.2)."""
        ...

    @property
    def opportunities(self) -> OpportunityRepository:
        """The opportunities (§5.4)."""
        ...

    @property
    def opportunity_entries(self) -> OpportunityEntryRepository:
        """The opportunity entries (§5.5)."""
        ...

    @property
    def campaigns(self) -> CampaignRepository:
        """The campaigns (§6.1)."""
        ...

    @property
    def campaign_entries(self) -> CampaignEntryRepository:
        """The campaign entries (§6.2)."""
        ...

    @property
    def campaign_pricing(self) -> CampaignPricingRepository:
        """The campaigns' sales price and line-discount lines (§6.3)."""
        ...

    @property
    def campaign_target_groups(self) -> CampaignTargetGroupRepository:
        """The campaigns' target groups (§6.3)."""
        ...

    @property
    def segments(self) -> SegmentRepository:
        """The segments with their lines, criteria actions and history (§4)."""
        ...

    @property
    def logged_segments(self) -> LoggedSegmentRepository:
        """The logged segments (§4.9)."""
        ...

    @property
    def saved_criteria(self) -> SavedCriteriaRepository:
        """The saved segment criteria (§4.8)."""
        ...

    def __enter__(self) -> Self:
        """Begin the transaction.

        Raises:
            StorageUnavailableError: The storage cannot be reached.
        """
        ...

    def __exit__(self, *exc_info: object) -> None:
        """End the block, rolling back whatever was not committed."""
        ...

    def commit(self) -> None:
        """Make every change of the block durable, all or nothing.

        Raises:
            ConcurrencyError: A change conflicts with one committed meanwhile.
            PersistenceError: The storage failed; nothing was committed.
        """
        ...

    def rollback(self) -> None:
        """Drop every change since the block began (or since the last commit)."""
        ...

    def collect_events(self) -> list[object]:
        """Return and forget the domain events of the last committed block."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""Makes a fresh :class:`UnitOfWork`; each use case asks for one."""
