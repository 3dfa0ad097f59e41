"""E-mail logging (§1.4, the library's way): ``EmailLoggingService.ingest``.

Messages come from anywhere that yields
:class:`~relationship_mgmt.domain.email_logging.MailMessage` values, usually
``relationship_mgmt.interop.email.read_messages`` over ``.eml`` files or an mbox.
Each message is matched to contacts and salespeople by address and logged with the
Interaction Template Setup's *E-Mails* template, one entry per matched contact; the
rule is in :mod:`relationship_mgmt.domain.email_logging`.

>>> import datetime as dt
>>> import relationship_mgmt as rm
>>> from relationship_mgmt.domain.email_logging import MailMessage
>>> crm = rm.open()
>>> crm.setup.use_default_number_series()
>>> _ = crm.setup.change(own_email_domains="cronus.example")
>>> _ = crm.salespeople.create("jo", name="Jo Smith", email="jo@cronus.example")
>>> _ = crm.interactions.create_group("mail")
>>> _ = crm.interactions.create_template("email", group="mail", description="E-mail")
>>> crm.interactions.use_template_for("E-Mails", "email")
>>> ann = crm.contacts.create_company(name="Fabrikam", email="ann@fabrikam.example")
>>> message = MailMessage(message_id="<1@fabrikam.example>",
...     sender="ann@fabrikam.example", recipients=["jo@cronus.example"],
...     subject="Order", sent_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
>>> service = EmailLoggingService(crm.uow_factory, crm.clock)
>>> (service.ingest([message]).entries_logged, service.ingest([message]).duplicates_skipped)
(1, 1)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from attrs import define, field

from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.email_logging import (
    AddressBook,
    IngestError,
    IngestReport,
    MailMessage,
    MessagePlan,
    UnreadableMessage,
)
from relationship_mgmt.domain.interactions import (
    DocumentKind,
    InteractionLogEntry,
    InteractionRequest,
    InteractionTemplate,
    plan_interaction,
)
from relationship_mgmt.errors import (
    ConcurrencyError,
    DomainError,
    NotFoundError,
    TransientStorageError,
    ValidationError,
)
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.interactions import link_campaign_entry

__all__ = ["EmailLoggingService", "IngestReport"]

_ATTEMPTS = 2  # a batch that lost a race is read again once: its winners are duplicates


@define
class _Tally:
    """The counts of one batch, merged into the run's only once the batch committed."""

    read: int = 0
    logged: int = 0
    duplicates: int = 0
    without_salesperson: int = 0
    synthetic_ids: int = 0
    unmatched: Counter[str] = field(factory=Counter)
    no_salesperson: Counter[str] = field(factory=Counter)
    privacy_blocked: Counter[ContactNo] = field(factory=Counter)
    errors: list[IngestError] = field(factory=list)
    keys: set[str] = field(factory=set)  # idempotency keys logged or found
    plans: list[MessagePlan] = field(factory=list)  # the batch's, not merged

    def merge(self, other: _Tally) -> None:
        self.read += other.read
        self.logged += other.logged
        self.duplicates += other.duplicates
        self.without_salesperson += other.without_salesperson
        self.synthetic_ids += other.synthetic_ids
        self.unmatched.update(other.unmatched)
        self.no_salesperson.update(other.no_salesperson)
        self.privacy_blocked.update(other.privacy_blocked)
        self.errors.extend(other.errors)
        self.keys |= other.keys

    def error(self, message: MailMessage, reason: str) -> None:
        self.errors.append(
            IngestError(
                source=message.source, message_id=message.message_id, reason=reason
            )
        )

    def report(self) -> IngestReport:
        return IngestReport(
            messages_read=self.read,
            entries_logged=self.logged,
            duplicates_skipped=self.duplicates,
            unmatched=dict(self.unmatched.most_common()),
            without_salesperson=self.without_salesperson,
            no_salesperson=dict(self.no_salesperson.most_common()),
            privacy_blocked=dict(sorted(self.privacy_blocked.items())),
            synthetic_ids=self.synthetic_ids,
            errors=tuple(self.errors),
        )


def _batches(
    items: Iterable[MailMessage | UnreadableMessage], size: int
) -> Iterator[list[MailMessage | UnreadableMessage]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class EmailLoggingService:
    """Log e-mail messages as interactions with the contacts they were exchanged with.

    Args:
        uow_factory: Makes a unit of work per batch.
        clock: The clock of the façade; entries take the message's own date and
            time, not the clock's.
        user_id: The *User ID* written on logged entries.
        timezone: The zone the entries' date and time are given in (UTC by
            default, as the library's other entries).
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        user_id: str = "",
        timezone: dt.tzinfo = dt.UTC,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._user_id = user_id
        self._timezone = timezone

    def ingest(
        self,
        messages: Iterable[MailMessage | UnreadableMessage],
        *,
        progress: Callable[[int], None] | None = None,
        batch: int = 500,
    ) -> IngestReport:
        """Log the messages, one entry per matched contact, and report the rest (§1.4).

        The contacts' and salespeople's addresses and the setup's own domains are
        read once; the messages are then logged ``batch`` at a time, one unit of
        work (one commit) per batch. The Message-ID makes it idempotent: ingesting
        the same mailbox again logs nothing twice. Privacy-blocked contacts are
        skipped and counted, unreadable messages and entries that cannot be logged
        are reported in ``errors``; neither stops the ingest. A batch that loses a
        race with another writer is read again once.

        Args:
            messages: Messages, e.g. from ``interop.email.read_messages``.
            progress: Called after each committed batch with the number of messages
                read so far.
            batch: Messages per unit of work.

        Returns:
            What was logged, skipped and not matched.

        Raises:
            ValidationError: ``batch`` is not a positive integer.
            NotFoundError: The Interaction Template Setup has no *E-Mails* template
                (or it no longer exists); nothing was read.
            ConcurrencyError: A batch lost a race twice; the batches before it are
                committed, and ingesting again picks up where it stopped.
            PersistenceError: The storage failed; likewise.
        """
        if isinstance(batch, bool) or batch < 1:
            raise ValidationError("batch", batch, "must be a positive integer")
        with self._uow_factory() as uow:
            setup = uow.interaction_template_setup.get()
            code = setup.template_for(DocumentKind.EMAILS)
            if code is None:
                raise NotFoundError(
                    "interaction template for", DocumentKind.EMAILS.value
                )
            template = uow.interaction_templates.get(code)
            book = AddressBook.build(
                contact_addresses=uow.contacts.email_addresses(),
                salespeople=uow.salespeople.find_all(),
                setup=uow.setup.get(),
            )
        total = _Tally()
        for chunk in _batches(messages, batch):
            total.merge(self._ingest_batch(chunk, book, template, total.keys))
            if progress is not None:
                progress(total.read)
        return total.report()

    def _ingest_batch(
        self,
        chunk: list[MailMessage | UnreadableMessage],
        book: AddressBook,
        template: InteractionTemplate,
        seen: set[str],
    ) -> _Tally:
        """Plan and log one batch in one unit of work, read again once if it lost a race."""
        attempt = 1
        while True:
            tally = self._plan_batch(chunk, book, template)
            try:
                with self._uow_factory() as uow:
                    self._log_batch(uow, tally, template, seen)
                    uow.commit()
            except (ConcurrencyError, TransientStorageError):
                if attempt == _ATTEMPTS:
                    raise
                attempt += 1
            else:
                return tally

    def _plan_batch(
        self,
        chunk: list[MailMessage | UnreadableMessage],
        book: AddressBook,
        template: InteractionTemplate,
    ) -> _Tally:
        tally = _Tally(read=len(chunk))
        for item in chunk:
            if isinstance(item, UnreadableMessage):
                tally.errors.append(
                    IngestError(source=item.source, message_id="", reason=item.reason)
                )
                continue
            tally.synthetic_ids += item.synthetic_id
            try:
                plan = book.plan(
                    item, template_code=template.code, timezone=self._timezone
                )
            except ValidationError as error:
                tally.error(item, str(error))
                continue
            tally.unmatched.update(plan.unmatched)
            tally.no_salesperson.update(plan.no_salesperson)
            tally.without_salesperson += plan.without_salesperson
            tally.plans.append(plan)
        return tally

    def _log_batch(
        self,
        uow: UnitOfWork,
        tally: _Tally,
        template: InteractionTemplate,
        seen: set[str],
    ) -> None:
        # Look every key up before adding anything: an adapter may scan what the unit
        # of work has staged, and nothing is staged yet.
        pending = [
            (plan.message, request)
            for plan in tally.plans
            for request in plan.requests
            if not _already_logged(uow, plan.message, request, seen, tally)
        ]
        contacts = uow.contacts.get_many({request.contact_no for _, request in pending})
        entry_no: int | None = None
        for message, request in pending:
            contact = contacts.get(request.contact_no)
            if contact is None:
                tally.error(message, f"contact {request.contact_no!r} not found")
                continue
            if contact.privacy_blocked:
                tally.privacy_blocked[contact.no] += 1
                continue
            # A number is taken only when needed and kept for the next entry if this
            # one is refused, so refusals leave no gaps in the entry numbers.
            entry_no = entry_no or uow.interaction_log.next_entry_no()
            try:
                entry = plan_interaction(
                    request,
                    entry_no=entry_no,
                    contact=contact,
                    template=template,
                    user_id=self._user_id,
                )
                # A template with a campaign logs under its campaign entry (§6.2).
                entry = link_campaign_entry(uow, entry, user_id=self._user_id)
            except (DomainError, NotFoundError) as error:
                tally.error(message, str(error))
                continue
            uow.interaction_log.add(entry.stored_as(1))
            entry_no = None
            tally.logged += 1


def _already_logged(
    uow: UnitOfWork,
    message: MailMessage,
    request: InteractionRequest,
    seen: set[str],
    tally: _Tally,
) -> bool:
    """Whether this run or an earlier one logged the request; duplicates are counted."""
    key = _key(request)
    if key in seen or key in tally.keys:
        tally.duplicates += 1
        return True
    # From here on a second copy of the message (a Sent and an Inbox copy, say)
    # counts as a duplicate of this one.
    tally.keys.add(key)
    first: InteractionLogEntry | None = uow.interaction_log.by_idempotency_key(key)
    if first is None:
        return False
    try:
        first.ensure_same_payload(request)
    except DomainError as error:
        tally.error(message, str(error))
    else:
        tally.duplicates += 1
    return True


def _key(request: InteractionRequest) -> str:
    return request.idempotency_key or ""  # AddressBook.plan always sets one
