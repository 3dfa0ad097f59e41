"""The SQL unit of work: one connection and one transaction per ``with`` block."""

from __future__ import annotations

import threading
from typing import Self

from sqlalchemy import Connection, Engine, event
from sqlalchemy.sql.dml import UpdateBase

from relationship_mgmt.adapters.sql.engine import SQLITE_BEGIN_OPTION
from relationship_mgmt.adapters.sql.errors import translate_errors
from relationship_mgmt.adapters.sql.repositories import (
    SqlActivityRepository,
    SqlCampaignEntryRepository,
    SqlCampaignPricingRepository,
    SqlCampaignRepository,
    SqlCampaignTargetGroupRepository,
    SqlCodeTableRepository,
    SqlContactProfileAnswerRepository,
    SqlContactRepository,
    SqlDuplicateKeyRepository,
    SqlInteractionLogRepository,
    SqlInteractionTemplateRepository,
    SqlInteractionTemplateSetupRepository,
    SqlLoggedSegmentRepository,
    SqlMergeRepository,
    SqlNumberSeriesRepository,
    SqlOpportunityEntryRepository,
    SqlOpportunityRepository,
    SqlProfileQuestionnaireRepository,
    SqlSalesCycleRepository,
    SqlSalespersonRepository,
    SqlSavedCriteriaRepository,
    SqlSegmentRepository,
    SqlSeparateContactPairRepository,
    SqlSetupRepository,
    SqlTaskRepository,
    SqlTeamRepository,
)
from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.errors import UnitOfWorkStateError

__all__ = ["SqlUnitOfWork"]


class _Active:
    """What a unit of work holds while its block runs."""

    def __init__(self, connection: Connection, uow: SqlUnitOfWork) -> None:
        self.connection = connection
        self.setup = SqlSetupRepository(connection, uow.seen)
        self.number_series = SqlNumberSeriesRepository(connection, uow.seen)
        self.code_tables = SqlCodeTableRepository(connection, uow.seen)
        self.profile_questionnaires = SqlProfileQuestionnaireRepository(
            connection, uow.seen
        )
        self.contacts = SqlContactRepository(connection, uow.seen)
        self.contact_profile_answers = SqlContactProfileAnswerRepository(
            connection, uow.seen
        )
        self.merges = SqlMergeRepository(connection, uow.seen)
        self.separate_contact_pairs = SqlSeparateContactPairRepository(
            connection, uow.seen
        )
        self.duplicate_keys = SqlDuplicateKeyRepository(connection, uow.seen)
        self.salespeople = SqlSalespersonRepository(connection, uow.seen)
        self.teams = SqlTeamRepository(connection, uow.seen)
        self.interaction_templates = SqlInteractionTemplateRepository(
            connection, uow.seen
        )
        self.interaction_template_setup = SqlInteractionTemplateSetupRepository(
            connection, uow.seen
        )
        self.interaction_log = SqlInteractionLogRepository(connection, uow.seen)
        self.tasks = SqlTaskRepository(connection, uow.seen)
        self.activities = SqlActivityRepository(connection, uow.seen)
        self.sales_cycles = SqlSalesCycleRepository(connection, uow.seen)
        self.opportunities = SqlOpportunityRepository(connection, uow.seen)
        self.opportunity_entries = SqlOpportunityEntryRepository(connection, uow.seen)
        self.campaigns = SqlCampaignRepository(connection, uow.seen)
        self.campaign_entries = SqlCampaignEntryRepository(connection, uow.seen)
        self.campaign_pricing = SqlCampaignPricingRepository(connection, uow.seen)
        self.campaign_target_groups = SqlCampaignTargetGroupRepository(
            connection, uow.seen
        )
        self.segments = SqlSegmentRepository(connection, uow.seen)
        self.logged_segments = SqlLoggedSegmentRepository(connection, uow.seen)
        self.saved_criteria = SqlSavedCriteriaRepository(connection, uow.seen)


def _refuse_writes(
    _connection: Connection, statement: object, *_args: object, **_kwargs: object
) -> None:
    """``before_execute`` of a read-only unit of work's connection."""
    if isinstance(statement, UpdateBase):
        raise UnitOfWorkStateError("a read-only unit of work cannot write")


class SqlUnitOfWork:
    """:class:`~relationship_mgmt.ports.UnitOfWork` on a SQL database.

    Entering the block checks out a connection and begins a transaction: on SQLite
    ``BEGIN IMMEDIATE``, which takes the database's write lock at once (waiting up
    to the busy timeout), so no two units of work interleave their writes; on
    PostgreSQL a READ COMMITTED transaction whose writes are guarded by version
    checks and row locks. Leaving the block without :meth:`commit` rolls back.

    A unit of work opened while the same thread already holds one on the same
    SQLite database cannot take the write lock the outer one holds (it would wait
    for itself); it starts a plain ``BEGIN`` instead, reads what is committed, and
    any write in it fails at once with
    :class:`~relationship_mgmt.errors.TransientStorageError`.

    Units of work come from :meth:`SqlDatabase.unit_of_work
    <relationship_mgmt.adapters.sql.SqlDatabase.unit_of_work>`:

    >>> from relationship_mgmt.adapters.sql import open_database
    >>> database = open_database("sqlite://")
    >>> with database.unit_of_work() as uow:
    ...     uow.setup.get().version
    0
    >>> database.dispose()
    """

    def __init__(
        self, engine: Engine, nesting: threading.local, *, read_only: bool = False
    ) -> None:
        self._engine = engine
        self._nesting = nesting
        self._read_only = read_only
        self._active: _Active | None = None
        self._seen: list[AggregateRoot] = []
        self._events: list[object] = []

    def _require(self) -> _Active:
        if self._active is None:
            raise UnitOfWorkStateError("use the unit of work inside its with block")
        return self._active

    @property
    def setup(self) -> SqlSetupRepository:
        """The Relationship Management setup."""
        return self._require().setup

    @property
    def number_series(self) -> SqlNumberSeriesRepository:
        """The number series."""
        return self._require().number_series

    @property
    def code_tables(self) -> SqlCodeTableRepository:
        """The code tables of §1.2."""
        return self._require().code_tables

    @property
    def profile_questionnaires(self) -> SqlProfileQuestionnaireRepository:
        """The profile questionnaires with their questions and answers."""
        return self._require().profile_questionnaires

    @property
    def contacts(self) -> SqlContactRepository:
        """The contacts, companies and persons."""
        return self._require().contacts

    @property
    def contact_profile_answers(self) -> SqlContactProfileAnswerRepository:
        """The contacts' answers to profile questionnaires."""
        return self._require().contact_profile_answers

    @property
    def merges(self) -> SqlMergeRepository:
        """The merge records and the aliases of merged-away numbers."""
        return self._require().merges

    @property
    def separate_contact_pairs(self) -> SqlSeparateContactPairRepository:
        """The pairs of contacts marked as not duplicates (§2.14)."""
        return self._require().separate_contact_pairs

    @property
    def duplicate_keys(self) -> SqlDuplicateKeyRepository:
        """The duplicate index, each contact's keys per method (§2.14)."""
        return self._require().duplicate_keys

    @property
    def salespeople(self) -> SqlSalespersonRepository:
        """The salespeople/purchasers (§8)."""
        return self._require().salespeople

    @property
    def teams(self) -> SqlTeamRepository:
        """The teams with their members (§8)."""
        return self._require().teams

    @property
    def interaction_templates(self) -> SqlInteractionTemplateRepository:
        """The interaction templates with their languages (§3.2)."""
        return self._require().interaction_templates

    @property
    def interaction_template_setup(self) -> SqlInteractionTemplateSetupRepository:
        """The Interaction Template Setup (§1.3)."""
        return self._require().interaction_template_setup

    @property
    def interaction_log(self) -> SqlInteractionLogRepository:
        """The interaction log entries (§3.3)."""
        return self._require().interaction_log

    @property
    def tasks(self) -> SqlTaskRepository:
        """The tasks with their attendees (§7)."""
        return self._require().tasks

    @property
    def activities(self) -> SqlActivityRepository:
        """The activities with their steps (§7.6)."""
        return self._require().activities

    @property
    def sales_cycles(self) -> SqlSalesCycleRepository:
        """The sales cycles with their stages (§5.1, §5.2)."""
        return self._require().sales_cycles

    @property
    def opportunities(self) -> SqlOpportunityRepository:
        """The opportunities (§5.4)."""
        return self._require().opportunities

    @property
    def opportunity_entries(self) -> SqlOpportunityEntryRepository:
        """The opportunity entries (§5.5)."""
        return self._require().opportunity_entries

    @property
    def campaigns(self) -> SqlCampaignRepository:
        """The campaigns (§6.1)."""
        return self._require().campaigns

    @property
    def campaign_entries(self) -> SqlCampaignEntryRepository:
        """The campaign entries (§6.2)."""
        return self._require().campaign_entries

    @property
    def campaign_pricing(self) -> SqlCampaignPricingRepository:
        """The campaigns' price and line-discount lines (§6.3)."""
        return self._require().campaign_pricing

    @property
    def campaign_target_groups(self) -> SqlCampaignTargetGroupRepository:
        """The campaigns' target groups (§6.3)."""
        return self._require().campaign_target_groups

    @property
    def segments(self) -> SqlSegmentRepository:
        """The segments with their lines, criteria actions and history (§4)."""
        return self._require().segments

    @property
    def logged_segments(self) -> SqlLoggedSegmentRepository:
        """The logged segments (§4.9)."""
        return self._require().logged_segments

    @property
    def saved_criteria(self) -> SqlSavedCriteriaRepository:
        """The saved segment criteria (§4.8)."""
        return self._require().saved_criteria

    def seen(self, aggregate: AggregateRoot) -> None:
        """Remember an aggregate whose events are collected after commit."""
        self._seen.append(aggregate)

    def __enter__(self) -> Self:
        if self._active is not None:
            raise UnitOfWorkStateError("a unit of work runs one with block at a time")
        if self._read_only:
            self._active = _Active(self._reader(), self)
            return self
        depth: int = getattr(self._nesting, "depth", 0)
        with translate_errors():
            connection = self._engine.connect()
            if depth:
                connection = connection.execution_options(
                    **{SQLITE_BEGIN_OPTION: "BEGIN"}
                )
            try:
                connection.begin()
            except BaseException:
                connection.close()
                raise
        self._nesting.depth = depth + 1
        self._active = _Active(connection, self)
        return self

    def _reader(self) -> Connection:
        """A connection for look-ups only, whose writes are refused.

        PostgreSQL: no transaction; each statement reads what is committed when it
        runs, as each statement of a READ COMMITTED transaction does, and a look-up
        costs two round trips fewer (no BEGIN, no ROLLBACK). SQLite: a deferred
        ``BEGIN``, which takes no write lock.
        """
        with translate_errors():
            connection = self._engine.connect()
            try:
                if connection.dialect.name == "postgresql":
                    connection = connection.execution_options(
                        isolation_level="AUTOCOMMIT"
                    )
                else:
                    connection = connection.execution_options(
                        **{SQLITE_BEGIN_OPTION: "BEGIN"}
                    )
                    connection.begin()
            except BaseException:
                connection.close()
                raise
        event.listen(connection, "before_execute", _refuse_writes)
        return connection

    def __exit__(self, *exc_info: object) -> None:
        active, self._active = self._active, None
        self._seen.clear()
        if active is not None and self._read_only:
            with translate_errors():
                active.connection.close()
        elif active is not None:
            self._nesting.depth -= 1
            with translate_errors():
                active.connection.close()  # rolls back what was not committed

    def commit(self) -> None:
        """Commit the block's changes, then collect the events of its aggregates.

        Raises:
            PersistenceError: The storage failed; nothing was committed.
        """
        if self._read_only:
            raise UnitOfWorkStateError("a read-only unit of work has nothing to commit")
        with translate_errors():
            self._require().connection.commit()
        for aggregate in self._seen:
            self._events.extend(aggregate.pull_events())
        self._seen.clear()

    def rollback(self) -> None:
        """Drop every change since the block began or last committed."""
        with translate_errors():
            self._require().connection.rollback()
        self._seen.clear()

    def collect_events(self) -> list[object]:
        """Return and forget the events of committed changes."""
        events, self._events = self._events, []
        return events
