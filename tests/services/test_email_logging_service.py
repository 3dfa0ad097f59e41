"""EmailLoggingService.ingest: e-mail messages logged as interactions (spec §1.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self, cast

import pytest

import relationship_mgmt as rm
from relationship_mgmt.domain.contacts import AlternativeAddress
from relationship_mgmt.domain.email_logging import MailMessage, UnreadableMessage
from relationship_mgmt.domain.interactions import (
    DocumentType,
    InformationFlow,
    InitiatedBy,
)
from relationship_mgmt.domain.setup import CorrespondenceType
from relationship_mgmt.errors import (
    ConcurrencyError,
    NotFoundError,
    TransientStorageError,
    ValidationError,
)
from relationship_mgmt.interop.email import read_messages
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services.email_logging import EmailLoggingService
from relationship_mgmt.testing import FrozenClock

NOW = dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC)
SENT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _setup(crm: rm.Crm) -> None:
    crm.setup.use_default_number_series()
    crm.setup.change(own_email_domains="cronus.example")
    crm.salespeople.create("jo", name="Jo Smith", email="jo@cronus.example")
    crm.interactions.create_group("mail", description="E-mail")
    crm.interactions.create_template(
        "email", group="mail", description="E-mail", unit_duration_min=5
    )
    crm.interactions.use_template_for("E-Mails", "email")


@pytest.fixture
def crm() -> rm.Crm:
    crm = rm.open(clock=FrozenClock(NOW))
    _setup(crm)
    return crm


@pytest.fixture
def ann(crm: rm.Crm) -> str:
    return crm.contacts.create_company(name="Fabrikam", email="Ann@Fabrikam.example").no


def _service(crm: rm.Crm, **options: Any) -> EmailLoggingService:
    return EmailLoggingService(crm.uow_factory, crm.clock, **options)


def _message(
    sender: str,
    *recipients: str,
    message_id: str = "<m1@x>",
    subject: str = "Order",
    sent_at: dt.datetime = SENT,
) -> MailMessage:
    return MailMessage(
        message_id=message_id,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        subject=subject,
        source="test",
    )


def test_an_outbound_message_is_logged_with_the_emails_template(
    crm: rm.Crm, ann: str
) -> None:
    """§1.4: salesperson → contact logs one entry with the E-Mails template."""
    message = _message("jo@cronus.example", "ann@fabrikam.example", subject="Quote")

    report = _service(crm, user_id="admin").ingest([message])

    assert (report.messages_read, report.entries_logged) == (1, 1)
    (entry,) = crm.interactions.list()
    assert (entry.contact_no, entry.interaction_template_code) == (ann, "EMAIL")
    assert entry.interaction_group_code == "MAIL"
    assert entry.duration_min == 5
    assert (entry.description, entry.subject) == ("Quote", "Quote")
    assert (entry.date, entry.time_of_interaction) == (SENT.date(), dt.time(9, 30))
    assert entry.information_flow is InformationFlow.OUTBOUND
    assert entry.initiated_by is InitiatedBy.US
    assert entry.salesperson_code == "JO"
    assert entry.correspondence_type is CorrespondenceType.EMAIL
    assert entry.contact_via == "ann@fabrikam.example"
    assert entry.document_type is DocumentType.BLANK
    assert (entry.email_logged, entry.email_message_id) == (True, "<m1@x>")
    assert entry.user_id == "ADMIN"


def test_an_inbound_message_is_logged_from_the_contact(crm: rm.Crm, ann: str) -> None:
    message = _message(
        "ANN@fabrikam.example", "info@cronus.example", "jo@cronus.example"
    )

    report = _service(crm).ingest([message])

    assert report.entries_logged == 1
    (entry,) = crm.interactions.list(contact_no=ann)
    assert entry.information_flow is InformationFlow.INBOUND
    assert entry.initiated_by is InitiatedBy.THEM
    assert entry.salesperson_code == "JO"


def test_contacts_match_by_email_2_and_alternative_addresses(crm: rm.Crm) -> None:
    first = crm.contacts.create_company(name="A", email_2="two@a.example").no
    second = crm.contacts.create_company(name="B").no
    with crm.uow_factory() as uow:  # no use case adds alternative addresses yet
        contact = uow.contacts.get(second)
        contact.add_alternative_address(
            AlternativeAddress(code="home", email="Home@B.example"), now=NOW
        )
        uow.contacts.update(contact)
        uow.commit()
    message = _message("jo@cronus.example", "two@a.example", "home@b.example")

    report = _service(crm).ingest([message])

    assert report.entries_logged == 2
    assert {e.contact_no for e in crm.interactions.list()} == {first, second}


@pytest.mark.usefixtures("ann")
def test_ingesting_the_same_messages_again_logs_nothing_twice(crm: rm.Crm) -> None:
    messages = [
        _message("jo@cronus.example", "ann@fabrikam.example", message_id="<a@x>"),
        _message("ann@fabrikam.example", "jo@cronus.example", message_id="<b@x>"),
    ]
    service = _service(crm)
    service.ingest(messages)

    again = service.ingest(messages)

    assert (again.entries_logged, again.duplicates_skipped) == (0, 2)
    assert len(crm.interactions.list()) == 2


@pytest.mark.usefixtures("ann")
def test_a_second_copy_in_the_same_ingest_is_a_duplicate(crm: rm.Crm) -> None:
    message = _message("jo@cronus.example", "ann@fabrikam.example")

    report = _service(crm).ingest([message, message, message])

    assert (report.entries_logged, report.duplicates_skipped) == (1, 2)


@pytest.mark.usefixtures("ann")
def test_a_message_id_reused_with_other_content_is_an_error(crm: rm.Crm) -> None:
    service = _service(crm)
    service.ingest([_message("jo@cronus.example", "ann@fabrikam.example")])

    report = service.ingest(
        [_message("jo@cronus.example", "ann@fabrikam.example", subject="Other")]
    )

    assert (report.entries_logged, report.duplicates_skipped) == (0, 0)
    (error,) = report.errors
    assert (error.source, error.message_id) == ("test", "<m1@x>")
    assert "different payload" in error.reason
    assert crm.interactions.list()[0].subject == "Order"


@pytest.mark.usefixtures("ann")
def test_the_report_counts_what_was_not_logged(crm: rm.Crm) -> None:
    blocked = crm.contacts.create_company(name="Hidden", email="hid@den.example").no
    crm.contacts.block_privacy(blocked)
    messages: list[MailMessage | UnreadableMessage] = [
        _message(
            "jo@cronus.example",
            "who@unknown.example",
            "hid@den.example",
            "ann@fabrikam.example",
            message_id="<1@x>",
        ),
        _message("support@cronus.example", "ann@fabrikam.example", message_id="<2@x>"),
        _message("who@unknown.example", "jo@cronus.example", message_id="<3@x>"),
        UnreadableMessage(source="inbox[4]", reason="no sender address"),
        MailMessage.of(
            message_id=None,
            sender="ann@fabrikam.example",
            recipients=["jo@cronus.example"],
            sent_at=SENT,
        ),
    ]

    report = _service(crm).ingest(messages)

    assert report.messages_read == 5
    assert report.entries_logged == 2
    assert dict(report.unmatched) == {"who@unknown.example": 2}
    assert report.without_salesperson == 1
    assert dict(report.no_salesperson) == {"support@cronus.example": 1}
    assert dict(report.privacy_blocked) == {blocked: 1}
    assert report.synthetic_ids == 1
    (error,) = report.errors
    assert (error.source, error.message_id, error.reason) == (
        "inbox[4]",
        "",
        "no sender address",
    )


@pytest.mark.usefixtures("ann")
def test_messages_are_committed_in_batches_with_progress(crm: rm.Crm) -> None:
    made: list[UnitOfWork] = []

    def counting() -> UnitOfWork:
        made.append(crm.uow_factory())
        return made[-1]

    messages = [
        _message("jo@cronus.example", "ann@fabrikam.example", message_id=f"<{n}@x>")
        for n in range(5)
    ]
    seen: list[int] = []

    report = EmailLoggingService(counting, crm.clock).ingest(
        iter(messages), progress=seen.append, batch=2
    )

    assert report.entries_logged == 5
    assert seen == [2, 4, 5]
    assert len(made) == 1 + 3  # the look-up, then one unit of work per batch
    assert [e.entry_no for e in crm.interactions.list()] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("batch", [0, -1, True])
def test_the_batch_size_must_be_positive(crm: rm.Crm, batch: int) -> None:
    with pytest.raises(ValidationError) as info:
        _service(crm).ingest([], batch=batch)

    assert info.value.field == "batch"


def test_without_an_emails_template_nothing_is_read(crm: rm.Crm) -> None:
    crm.interactions.use_template_for("E-Mails", None)

    read: list[MailMessage] = []

    def messages() -> Iterator[MailMessage]:
        read.append(_message("jo@cronus.example", "ann@fabrikam.example"))
        yield read[-1]

    with pytest.raises(NotFoundError) as info:
        _service(crm).ingest(messages())

    assert info.value.key == "E-Mails"
    assert read == []


def test_a_contact_deleted_meanwhile_is_an_error(crm: rm.Crm, ann: str) -> None:
    def messages() -> Iterator[MailMessage]:
        crm.contacts.delete(ann)  # after the address book was read
        yield _message("jo@cronus.example", "ann@fabrikam.example")

    report = _service(crm).ingest(messages())

    assert report.entries_logged == 0
    (error,) = report.errors
    assert error.reason == f"contact {ann!r} not found"


@pytest.mark.usefixtures("ann")
def test_an_entry_the_domain_refuses_is_an_error(crm: rm.Crm) -> None:
    crm.interactions.change_template("email", wizard_action="Open")
    message = _message("jo@cronus.example", "ann@fabrikam.example")

    report = _service(crm).ingest([message])

    assert report.entries_logged == 0
    (error,) = report.errors
    assert "No attachment found" in error.reason


@pytest.mark.usefixtures("ann")
def test_an_instant_the_zone_cannot_show_is_an_error(crm: rm.Crm) -> None:
    late = dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC)
    messages = [
        _message("jo@cronus.example", "ann@fabrikam.example", sent_at=late),
        _message("jo@cronus.example", "ann@fabrikam.example", message_id="<ok@x>"),
    ]

    report = _service(crm, timezone=dt.timezone(dt.timedelta(hours=1))).ingest(messages)

    assert report.entries_logged == 1
    (error,) = report.errors
    assert error.message_id == "<m1@x>"
    assert crm.interactions.list()[0].time_of_interaction == dt.time(10, 30)


class _Losing:
    """A unit of work whose commit loses a race, as if another writer came first."""

    def __init__(self, inner: UnitOfWork, error: Exception) -> None:
        self._inner = inner
        self._error = error

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def __enter__(self) -> Self:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._inner.__exit__(*exc_info)

    def commit(self) -> None:
        raise self._error


def _losing(factory: UnitOfWorkFactory, losses: list[Exception]) -> UnitOfWorkFactory:
    calls = {"n": 0}

    def make() -> UnitOfWork:
        calls["n"] += 1
        if calls["n"] > 1 and losses:  # the first unit of work only reads
            return cast("UnitOfWork", _Losing(factory(), losses.pop(0)))
        return factory()

    return make


@pytest.mark.parametrize(
    "loss",
    [ConcurrencyError("interaction log entry", 1), TransientStorageError("busy")],
)
@pytest.mark.usefixtures("ann")
def test_a_batch_that_lost_a_race_is_read_again_once(
    crm: rm.Crm, loss: Exception
) -> None:
    factory = _losing(crm.uow_factory, [loss])
    message = _message("jo@cronus.example", "ann@fabrikam.example")

    report = EmailLoggingService(factory, crm.clock).ingest([message])

    assert (report.messages_read, report.entries_logged) == (1, 1)
    assert len(crm.interactions.list()) == 1


@pytest.mark.usefixtures("ann")
def test_a_batch_that_loses_twice_raises_and_keeps_earlier_batches(crm: rm.Crm) -> None:
    losses: list[Exception] = []
    factory = _losing(crm.uow_factory, losses)
    service = EmailLoggingService(factory, crm.clock)
    messages = [
        _message("jo@cronus.example", "ann@fabrikam.example", message_id=f"<{n}@x>")
        for n in range(2)
    ]

    def feed() -> Iterator[MailMessage]:
        yield messages[0]
        losses.extend([ConcurrencyError("x", 1), ConcurrencyError("x", 1)])
        yield messages[1]

    with pytest.raises(ConcurrencyError):
        service.ingest(feed(), batch=1)

    assert [e.email_message_id for e in crm.interactions.list()] == ["<0@x>"]
    assert service.ingest(messages).entries_logged == 1  # picks up where it stopped


def test_ingest_reads_an_mbox_on_sqlite(tmp_path: Path) -> None:
    """The same rules through the SQL adapter, from an mbox on disk."""
    mbox = tmp_path / "inbox.mbox"
    mbox.write_text(
        "From MAILER-DAEMON Mon Mar  2 09:30:00 2026\n"
        "From: Jo <jo@cronus.example>\nTo: ann@fabrikam.example, x@y.example\n"
        "Subject: Quote\nDate: Mon, 2 Mar 2026 09:30:00 +0000\n"
        "Message-ID: <q1@cronus.example>\n\nHello\n\n"
        "From MAILER-DAEMON Mon Mar  2 10:30:00 2026\n"
        "From: ann@fabrikam.example\nTo: jo@cronus.example\n"
        "Subject: Re: Quote\nDate: Mon, 2 Mar 2026 10:30:00 +0000\n\nThanks\n\n"
        "From MAILER-DAEMON Mon Mar  2 11:30:00 2026\nSubject: broken\n\n\n"
    )
    with rm.open(f"sqlite:///{tmp_path / 'crm.db'}", clock=FrozenClock(NOW)) as crm:
        _setup(crm)
        ann = crm.contacts.create_company(name="Fabrikam", email="ann@fabrikam.example")
        service = _service(crm)

        first = service.ingest(read_messages(mbox))
        second = service.ingest(read_messages(mbox))
        entries = crm.interactions.list(contact_no=ann.no)

    assert (first.messages_read, first.entries_logged) == (3, 2)
    assert (first.synthetic_ids, len(first.errors)) == (1, 1)
    assert dict(first.unmatched) == {"x@y.example": 1}
    assert (second.entries_logged, second.duplicates_skipped) == (0, 2)
    assert [e.information_flow for e in entries] == [
        InformationFlow.OUTBOUND,
        InformationFlow.INBOUND,
    ]


@pytest.mark.usefixtures("ann")
def test_a_template_with_a_campaign_logs_under_its_campaign_entry(crm: rm.Crm) -> None:
    """§3.4, §6.2: the e-mails template's campaign gets one campaign entry, reused."""
    fair = crm.campaigns.create(description="Fair")
    crm.interactions.change_template("email", campaign_no=fair.no)
    messages = [
        _message("jo@cronus.example", "ann@fabrikam.example", message_id=f"<m{n}@x>")
        for n in (1, 2)
    ]

    report = _service(crm).ingest(messages)

    assert report.entries_logged == 2
    (campaign_entry,) = crm.campaigns.entries(fair.no)
    assert {e.campaign_entry_no for e in crm.interactions.list()} == {
        campaign_entry.entry_no
    }
