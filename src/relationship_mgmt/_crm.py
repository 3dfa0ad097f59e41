"""The :class:`Crm` façade and :func:`open`, the one place where adapters are wired."""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

from relationship_mgmt.errors import MissingOptionalDependencyError, ValidationError

# The services (and the domain modules they need) are imported when a workspace first
# uses them, so that ``import relationship_mgmt`` stays cheap (docs/performance.md).
if TYPE_CHECKING:
    from relationship_mgmt.domain.duplicates import StringMetrics
    from relationship_mgmt.ports.attachments import AttachmentStore
    from relationship_mgmt.ports.business_partners import BusinessPartnerDirectory
    from relationship_mgmt.ports.clock import Clock
    from relationship_mgmt.ports.delivery import MergeRenderer, Outbox
    from relationship_mgmt.ports.unit_of_work import UnitOfWorkFactory
    from relationship_mgmt.services.campaigns import CampaignService
    from relationship_mgmt.services.contacts import ContactService
    from relationship_mgmt.services.duplicates import DuplicateService
    from relationship_mgmt.services.email_logging import EmailLoggingService
    from relationship_mgmt.services.interactions import InteractionService
    from relationship_mgmt.services.opportunities import (
        OpportunityService,
        SalesCycleService,
    )
    from relationship_mgmt.services.profiles import ProfileService
    from relationship_mgmt.services.salespeople import SalespersonService
    from relationship_mgmt.services.segments import SegmentService
    from relationship_mgmt.services.setup import SetupService
    from relationship_mgmt.services.tasks import TaskService

__all__ = ["Crm", "open"]


def _fast_metrics() -> StringMetrics | None:
    """The rapidfuzz string metrics when the extra ``matching`` is installed."""
    from relationship_mgmt.adapters.matching import RapidfuzzMetrics

    try:
        return RapidfuzzMetrics()
    except MissingOptionalDependencyError:
        return None


class Crm:
    """A relationship-management workspace: the services over one storage.

    Most users get one from :func:`open`; a host application with its own storage
    builds one from its own unit-of-work factory and clock.

    Args:
        uow_factory: Makes a fresh unit of work for each use case.
        clock: Tells the time and work date; the system clock by default.
        on_close: Called once by :meth:`close` (to release the storage).
        partners: The host's customers, vendors, bank accounts and employees
            (§2.9); an in-memory directory by default.
        read_uow_factory: Makes units of work for look-ups that write nothing
            (the duplicate check); ``uow_factory`` by default. The SQL adapter's
            read-only units of work skip the transaction on PostgreSQL and the
            write lock on SQLite.
        attachments: Where interaction attachments are kept (§3.7); in memory by
            default (:func:`open` keeps a SQLite file's next to it).
        outbox: Where logged segments deliver their merged messages (§4.9); none
            by default (then ``crm.segments.log(no, deliver=True)`` needs one).
        renderer: Merges the messages' templates; by default
            :class:`~relationship_mgmt.adapters.mailmerge.JinjaRenderer` when the
            extra ``mailmerge`` (jinja2) is installed.

    Attributes:
        setup: Setup, code tables and number series (:class:`~relationship_mgmt.services.setup.SetupService`).
        contacts: Companies and persons (:class:`~relationship_mgmt.services.contacts.ContactService`).
        partners: The business partner directory the contacts service links with.
        duplicates: Duplicate contacts, merge and unmerge (:class:`~relationship_mgmt.services.duplicates.DuplicateService`).
        profiles: Profile questionnaires, answers and classification (:class:`~relationship_mgmt.services.profiles.ProfileService`).
        salespeople: Salespeople and teams (:class:`~relationship_mgmt.services.salespeople.SalespersonService`).
        interactions: Interaction groups, templates and the log (:class:`~relationship_mgmt.services.interactions.InteractionService`).
        email_logging: E-mail messages logged as interactions (:class:`~relationship_mgmt.services.email_logging.EmailLoggingService`).
        tasks: Tasks, meetings, recurrence and activities (:class:`~relationship_mgmt.services.tasks.TaskService`).
        sales_cycles: Sales cycles and their stages (:class:`~relationship_mgmt.services.opportunities.SalesCycleService`).
        opportunities: Opportunities, stage moves, closing and the pipeline (:class:`~relationship_mgmt.services.opportunities.OpportunityService`).
        campaigns: Campaigns, their entries and statistics (:class:`~relationship_mgmt.services.campaigns.CampaignService`).
        segments: Segments, their lines and criteria actions (:class:`~relationship_mgmt.services.segments.SegmentService`).

    >>> from relationship_mgmt.adapters.memory import in_memory_uow_factory
    >>> with Crm(uow_factory=in_memory_uow_factory()) as crm:
    ...     crm.setup.get().search_hit_pct
    60
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        clock: Clock | None = None,
        on_close: Callable[[], None] | None = None,
        partners: BusinessPartnerDirectory | None = None,
        read_uow_factory: UnitOfWorkFactory | None = None,
        attachments: AttachmentStore | None = None,
        outbox: Outbox | None = None,
        renderer: MergeRenderer | None = None,
    ) -> None:
        if clock is None:
            from relationship_mgmt.adapters.system import SystemClock

            clock = SystemClock()
        self.uow_factory = uow_factory
        self.clock = clock
        self._on_close = on_close
        self._partners = partners
        self._read_uow_factory = read_uow_factory
        self._attachments = attachments
        self._outbox = outbox
        self._renderer = renderer

    # Each service is made on first use (a workspace that only logs interactions
    # never imports the duplicate engine).

    @functools.cached_property
    def setup(self) -> SetupService:
        """Setup, code tables and number series."""
        from relationship_mgmt.services.setup import SetupService

        return SetupService(self.uow_factory, self.clock)

    @functools.cached_property
    def partners(self) -> BusinessPartnerDirectory:
        """The business partner directory the contacts service links with."""
        if self._partners is not None:
            return self._partners
        from relationship_mgmt.adapters.business_partners import (
            InMemoryBusinessPartnerDirectory,
        )

        return InMemoryBusinessPartnerDirectory()

    @functools.cached_property
    def contacts(self) -> ContactService:
        """Companies and persons."""
        from relationship_mgmt.services.contacts import ContactService

        return ContactService(self.uow_factory, self.clock, self.partners)

    @functools.cached_property
    def duplicates(self) -> DuplicateService:
        """Duplicate contacts, merge and unmerge."""
        from relationship_mgmt.services.duplicates import DuplicateService

        return DuplicateService(
            self.uow_factory,
            self.clock,
            _fast_metrics(),
            read_uow_factory=self._read_uow_factory,
        )

    @functools.cached_property
    def profiles(self) -> ProfileService:
        """Profile questionnaires, answers and classification."""
        from relationship_mgmt.services.profiles import ProfileService

        return ProfileService(self.uow_factory, self.clock)

    @functools.cached_property
    def salespeople(self) -> SalespersonService:
        """Salespeople and teams."""
        from relationship_mgmt.services.salespeople import SalespersonService

        return SalespersonService(self.uow_factory)

    @functools.cached_property
    def attachments(self) -> AttachmentStore:
        """Where interaction attachments are kept (§3.7)."""
        if self._attachments is not None:
            return self._attachments
        from relationship_mgmt.adapters.attachments import InMemoryAttachmentStore

        return InMemoryAttachmentStore()

    @functools.cached_property
    def interactions(self) -> InteractionService:
        """Interaction groups, templates and the log."""
        from relationship_mgmt.services.interactions import InteractionService

        return InteractionService(self.uow_factory, self.clock, self.attachments)

    @functools.cached_property
    def email_logging(self) -> EmailLoggingService:
        """E-mail messages logged as interactions."""
        from relationship_mgmt.services.email_logging import EmailLoggingService

        return EmailLoggingService(self.uow_factory, self.clock)

    @functools.cached_property
    def tasks(self) -> TaskService:
        """Tasks, meetings, recurrence and activities."""
        from relationship_mgmt.services.tasks import TaskService

        return TaskService(self.uow_factory, self.clock)

    @functools.cached_property
    def sales_cycles(self) -> SalesCycleService:
        """Sales cycles and their stages."""
        from relationship_mgmt.services.opportunities import SalesCycleService

        return SalesCycleService(self.uow_factory)

    @functools.cached_property
    def opportunities(self) -> OpportunityService:
        """Opportunities, their stage moves, closing and the pipeline."""
        from relationship_mgmt.services.opportunities import OpportunityService

        return OpportunityService(
            self.uow_factory, self.clock, self.tasks, self.contacts
        )

    @functools.cached_property
    def campaigns(self) -> CampaignService:
        """Campaigns, their entries and statistics."""
        from relationship_mgmt.services.campaigns import CampaignService

        return CampaignService(self.uow_factory, self.clock)

    @functools.cached_property
    def segments(self) -> SegmentService:
        """Segments, their lines and criteria actions."""
        from relationship_mgmt.services.segments import SegmentService

        return SegmentService(
            self.uow_factory,
            self.clock,
            attachments=self.attachments,
            outbox=self._outbox,
            renderer=self._renderer or _default_renderer(),
        )

    def close(self) -> None:
        """Release the storage (connections, file handles). Safe to call twice."""
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    attachments: AttachmentStore | None = None,
    outbox: Outbox | None = None,
    renderer: MergeRenderer | None = None,
) -> Crm:
    """Open a workspace: in memory, on a SQLite file, or on PostgreSQL.

    SQL databases are created or upgraded to the library's schema on open.

    Args:
        url: ``None`` for a new in-memory workspace; ``"sqlite:///path/crm.db"``
            (or ``"sqlite://"`` for an in-memory SQLite database) for the embedded
            default; ``"postgresql+psycopg://user@host/db"`` for PostgreSQL.
        clock: The clock to use; the system clock by default.
        attachments: Where interaction attachments are kept (§3.7). By default a
            SQLite file's go to the folder ``<file>-attachments`` beside it (BC's
            *Disk File* storage); other workspaces keep them in memory, so pass a
            store (for example a
            :class:`~relationship_mgmt.adapters.attachments.FileSystemAttachmentStore`
            on a shared folder) for PostgreSQL.
        outbox: Where logged segments deliver their merged messages (§4.9), for
            example an :class:`~relationship_mgmt.adapters.delivery.EmlOutbox`.
        renderer: Merges their templates; by default a
            :class:`~relationship_mgmt.adapters.mailmerge.JinjaRenderer` (pass
            ``JinjaRenderer(isolation="process")`` for untrusted templates).

    Returns:
        The workspace; close it with :meth:`Crm.close` or use it in ``with``.

    Raises:
        ValidationError: The URL's scheme is not one the library serves.
        MissingOptionalDependencyError: The extra for that scheme is not installed
            (``sql`` for SQLite, ``postgres`` for PostgreSQL).
        StorageUnavailableError: The database cannot be reached.
        SchemaVersionError: The database was written by a newer library version.

    >>> import relationship_mgmt as rm
    >>> crm = rm.open()
    >>> crm.setup.change(search_hit_pct=75).search_hit_pct
    75
    """
    if url is None:
        from relationship_mgmt.adapters.memory import in_memory_uow_factory

        return Crm(
            uow_factory=in_memory_uow_factory(),
            clock=clock,
            attachments=attachments,
            outbox=outbox,
            renderer=renderer,
        )
    scheme = url.partition(":")[0].lower()
    if scheme == "sqlite" or scheme.startswith(("sqlite+", "postgresql")):
        from relationship_mgmt.adapters.sql import open_database

        database = open_database(url)
        return Crm(
            uow_factory=database.unit_of_work,
            clock=clock,
            on_close=database.dispose,
            read_uow_factory=functools.partial(database.unit_of_work, read_only=True),
            attachments=attachments or _attachments_beside(url),
            outbox=outbox,
            renderer=renderer,
        )
    raise ValidationError(
        "url", url, "must be None, sqlite:///<path> or postgresql+psycopg://..."
    )


def _default_renderer() -> MergeRenderer | None:
    """Jinja2 mail merge when the extra ``mailmerge`` is installed; else ``None``."""
    if importlib.util.find_spec("jinja2") is None:
        return None
    from relationship_mgmt.adapters.mailmerge import JinjaRenderer

    return JinjaRenderer()


def _attachments_beside(url: str) -> AttachmentStore | None:
    """A SQLite file's attachment folder, ``<file>-attachments``; else ``None``."""
    path = url.partition(":///")[2] if url.startswith("sqlite") else ""
    if not path or path == ":memory:":
        return None
    from relationship_mgmt.adapters.attachments import FileSystemAttachmentStore

    return FileSystemAttachmentStore(f"{path}-attachments")
