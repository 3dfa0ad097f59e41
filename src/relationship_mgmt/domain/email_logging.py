"""E-mail logging, the library's way (spec §1.4, with §1.3, §3.3 and §3.4).

BC logs e-mail from a shared Exchange mailbox: "for each message in which a
salesperson's email and a contact's email are sender and recipient, an interaction
log entry is created with the *E-Mails* template, ``E-Mail Logged`` = true" (§1.4).
The library reads the messages from files instead (``relationship_mgmt.interop.email``)
and keeps the rule. This module is the pure part:

* :class:`MailMessage`: the headers that matter, as a frozen value;
  :class:`UnreadableMessage`: a message a reader could not make sense of;
* :class:`AddressBook`: who is who among addresses (contacts by E-Mail, E-Mail 2 and
  their alternative addresses' e-mails; salespeople by E-Mail and E-Mail 2; the
  setup's own domains), all compared without regard to case;
* :meth:`AddressBook.plan` decides the direction and builds one
  :class:`~relationship_mgmt.domain.interactions.InteractionRequest` per matched
  contact (a :class:`MessagePlan`);
* :class:`IngestReport` and :class:`IngestError`: what an ingest did.

The rule, message by message:

1. An address is **own** when it is a salesperson's or lies in one of the setup's
   own e-mail domains (:meth:`~relationship_mgmt.domain.setup.RelationshipSetup.is_own_address`);
   an address that is both a contact's and own counts as own.
2. From an own address the message is **Outbound**, initiated by *Us*: the contact
   side is every recipient (To and Cc) that is not own; the salesperson is the
   sender's. Otherwise it is **Inbound**, initiated by *Them*: the contact side is
   the sender; the salesperson is the first recipient, in header order, that is a
   salesperson.
3. Each contact-side address that matches no contact is *unmatched*. An address
   shared by several contacts logs for each; a contact reached by two addresses is
   logged once, through the first.
4. Without a salesperson nothing is logged (BC logs only between a salesperson and
   a contact, and §3.4 requires a salesperson for an entry of document type
   ``' '``); the own addresses on that side are reported as *no salesperson*.
   Blocked and privacy-blocked salespeople (§8, §2.15) are not candidates.
5. The entry: the *E-Mails* template (§1.3), the message's date and time (in the
   time zone given, UTC by default), Description and Subject = the subject cut to
   100 characters (blank: the template's description), correspondence type Email,
   Contact Via = the matched address (if it fits in 80 characters), E-Mail Logged,
   the Message-ID and an idempotency key made of the contact and the Message-ID
   (:func:`email_idempotency_key`), so logging the same message twice logs nothing
   new.

>>> import datetime as dt
>>> from relationship_mgmt.domain.salespeople import Salesperson
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> book = AddressBook.build(
...     contact_addresses=[("CT000001", "Buyer@Fabrikam.example")],
...     salespeople=[Salesperson(code="jo", email="jo@cronus.example")],
...     setup=RelationshipSetup(own_email_domains="cronus.example"),
... )
>>> message = MailMessage(
...     message_id="<1@cronus.example>", sender="JO@cronus.example",
...     recipients=("buyer@fabrikam.example", "ann@unknown.example"),
...     subject="Your quote", sent_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
... )
>>> plan = book.plan(message, template_code="EMAIL")
>>> (plan.direction, plan.salesperson_code, plan.unmatched)
(<InformationFlow.OUTBOUND: 'Outbound'>, 'JO', ('ann@unknown.example',))
>>> [(r.contact_no, r.subject, r.idempotency_key) for r in plan.requests]
[('CT000001', 'Your quote', 'email:CT000001:<1@cronus.example>')]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Final

import attrs
from attrs import field, frozen

from relationship_mgmt.domain.codes import ContactNo, SalespersonCode
from relationship_mgmt.domain.interactions import (
    InformationFlow,
    InitiatedBy,
    InteractionRequest,
)
from relationship_mgmt.domain.salespeople import Salesperson
from relationship_mgmt.domain.setup import CorrespondenceType, RelationshipSetup
from relationship_mgmt.errors import ValidationError

__all__ = [
    "AddressBook",
    "IngestError",
    "IngestReport",
    "MailMessage",
    "MessagePlan",
    "UnreadableMessage",
    "email_idempotency_key",
    "normalise_address",
    "synthetic_message_id",
]

_PERSONAL: Final = {"classification": "personal"}
_NORMAL: Final = {"classification": "normal"}
_KEY_LENGTH: Final = 250  # InteractionRequest.idempotency_key and email_message_id
_TEXT_LENGTH: Final = 100  # Description and Subject are Text[100] (§3.3)
_VIA_LENGTH: Final = 80  # Contact Via is Text[80] (§3.3)
_SYNTHETIC_DOMAIN: Final = "synthetic.relationship-mgmt.invalid"


# --- values ------------------------------------------------------------------------------


def normalise_address(value: object, name: str = "address") -> str:
    """Return an e-mail address trimmed and lower-cased, as addresses are matched.

    Only the shape ``local@domain`` is checked (no whitespace, both parts present):
    mail carries addresses that a strict validator would refuse, and they must
    still match or be reported.

    Raises:
        ValidationError: Not a string, or not shaped like an address (the value is
            left out of the error: addresses are personal).

    >>> normalise_address("  Ann@Cronus.EXAMPLE ")
    'ann@cronus.example'
    """
    if not isinstance(value, str):
        raise ValidationError(name, None, "must be a string")
    address = value.strip().lower()
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or len(address.split()) != 1:
        raise ValidationError(name, None, "is not an e-mail address")
    return address


def _sender(value: object) -> str:
    return normalise_address(value, "sender")


def _recipients(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("recipients", None, "must be a collection of addresses")
    found = (normalise_address(item, "recipients") for item in value)
    return tuple(dict.fromkeys(found))  # without repeats, in header order


def _message_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("message_id", value, "must be non-blank text")
    return value.strip()


def _subject(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("subject", None, "must be a string")
    return " ".join(value.split())  # unfolded: no line breaks or runs of blanks


def _aware(_: object, __: attrs.Attribute[dt.datetime] | None, value: object) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError("sent_at", value, "must be an aware datetime")
    _in_zone(value, dt.UTC)


def _in_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``moment`` in ``zone``; an instant the zone cannot show is refused."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        raise ValidationError("sent_at", moment, "is out of range") from None


def _text(_: object, __: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError("source", value, "must be a string")


def _flag(_: object, __: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError("synthetic_id", value, "must be true or false")


def synthetic_message_id(
    *, sender: str, recipients: Iterable[str], subject: str, sent_at: dt.datetime
) -> str:
    """Return a stable Message-ID for a message that has none.

    It hashes the normalised sender, recipients, subject and instant, so reading
    the same message again gives the same id (and logging stays idempotent); the
    domain ``synthetic.relationship-mgmt.invalid`` says it is made up.

    Raises:
        ValidationError: A value :class:`MailMessage` would refuse.

    >>> import datetime as dt
    >>> synthetic_message_id(sender="a@x.example", recipients=["b@y.example"],
    ...     subject="Hi", sent_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    '<f4c894d57aeea0925aa8f189b701c52a@synthetic.relationship-mgmt.invalid>'
    """
    _aware(None, None, sent_at)
    payload = [
        _sender(sender),
        list(_recipients(recipients)),
        _subject(subject),
        sent_at.astimezone(dt.UTC).isoformat(),
    ]
    text = json.dumps(payload, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"<{digest}@{_SYNTHETIC_DOMAIN}>"


@frozen(kw_only=True)
class MailMessage:
    r"""The headers of one e-mail that e-mail logging needs (§1.4).

    Addresses are trimmed and lower-cased; ``recipients`` are To and Cc, without
    repeats, in header order; the subject is unfolded. ``synthetic_id`` says the
    Message-ID was made up (:meth:`of`) because the message had none; ``source``
    says where it was read (a file, a mailbox and position) for reports.

    >>> import datetime as dt
    >>> m = MailMessage.of(message_id=None, sender="Ann@Fabrikam.example",
    ...                    recipients=["jo@cronus.example"], subject="Re:\n  quote",
    ...                    sent_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    >>> (m.sender, m.subject, m.synthetic_id, m.message_id.endswith(".invalid>"))
    ('ann@fabrikam.example', 'Re: quote', True, True)
    """

    message_id: str = field(converter=_message_id, metadata=_NORMAL)
    sender: str = field(converter=_sender, repr=False, metadata=_PERSONAL)
    recipients: tuple[str, ...] = field(
        converter=_recipients, repr=False, metadata=_PERSONAL
    )
    sent_at: dt.datetime = field(validator=_aware, metadata=_NORMAL)
    subject: str = field(default="", converter=_subject, repr=False, metadata=_PERSONAL)
    synthetic_id: bool = field(default=False, validator=_flag, metadata=_NORMAL)
    source: str = field(default="", validator=_text, metadata=_NORMAL)

    @classmethod
    def of(
        cls,
        *,
        message_id: str | None,
        sender: str,
        recipients: Iterable[str],
        sent_at: dt.datetime,
        subject: str = "",
        source: str = "",
    ) -> MailMessage:
        """Build a message; without a Message-ID (``None`` or blank), make one up.

        Raises:
            ValidationError: A value is refused.
        """
        listed = tuple(recipients)
        if message_id is not None and message_id.strip():
            return cls(
                message_id=message_id,
                sender=sender,
                recipients=listed,
                sent_at=sent_at,
                subject=subject,
                source=source,
            )
        made_up = synthetic_message_id(
            sender=sender, recipients=listed, subject=subject, sent_at=sent_at
        )
        return cls(
            message_id=made_up,
            sender=sender,
            recipients=listed,
            sent_at=sent_at,
            subject=subject,
            synthetic_id=True,
            source=source,
        )


@frozen(kw_only=True)
class UnreadableMessage:
    """A message a reader could not make sense of; it is reported, not fatal.

    >>> UnreadableMessage(source="inbox.mbox[3]", reason="no sender address")
    UnreadableMessage(source='inbox.mbox[3]', reason='no sender address')
    """

    source: str
    reason: str


def _stored_message_id(message_id: str) -> str:
    """The Message-ID as E-Mail Message ID holds it: itself, or its hash if too long."""
    if len(message_id) <= _KEY_LENGTH:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()


def email_idempotency_key(message_id: str, contact_no: str) -> str:
    """Return the idempotency key of the entry a message logs for a contact.

    One message logs one entry per contact, so the key is the contact's number and
    the Message-ID; a Message-ID too long for the 250-character key is hashed.

    >>> email_idempotency_key("<1@cronus.example>", "CT000001")
    'email:CT000001:<1@cronus.example>'
    >>> email_idempotency_key("<" + "x" * 300 + ">", "CT000001")[:22]
    'email:CT000001:sha256:'
    """
    key = f"email:{contact_no}:{message_id}"
    if len(key) <= _KEY_LENGTH:
        return key
    digest = hashlib.sha256(message_id.encode()).hexdigest()
    return f"email:{contact_no}:sha256:{digest}"


# --- matching ------------------------------------------------------------------------------


@frozen(kw_only=True)
class MessagePlan:
    """What one message logs, and what it reports (§1.4).

    Attributes:
        message: The message.
        direction: Outbound (from an own address) or Inbound.
        salesperson_code: The salesperson on the own side, if any.
        contacts: The matched contacts with the address each was matched by.
        requests: One request per matched contact; empty without a salesperson.
        unmatched: Contact-side addresses that match no contact.
        no_salesperson: Without a salesperson: the own addresses on that side.
    """

    message: MailMessage
    direction: InformationFlow
    salesperson_code: SalespersonCode | None
    contacts: tuple[tuple[ContactNo, str], ...] = field(repr=False)
    requests: tuple[InteractionRequest, ...]
    unmatched: tuple[str, ...] = field(repr=False)  # addresses are personal
    no_salesperson: tuple[str, ...] = field(repr=False)

    @property
    def without_salesperson(self) -> bool:
        """Whether contacts matched but nothing is logged for want of a salesperson."""
        return self.salesperson_code is None and bool(self.contacts)


def _split(text: str) -> list[str]:
    return [part.strip().lower() for part in text.split(";") if part.strip()]


@frozen(kw_only=True, eq=False)
class AddressBook:
    """Who is who among e-mail addresses, built once per ingest (§1.4).

    Build it with :meth:`build` from ``ContactRepository.email_addresses()``, the
    salespeople and the setup; looking an address up is then a dictionary read, not
    a scan of the contacts.

    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> book = AddressBook.build(contact_addresses=[("CT1", "A@X.example")],
    ...                          salespeople=[], setup=RelationshipSetup())
    >>> (book.contacts_of("a@x.EXAMPLE"), book.contacts_of("b@x.example"))
    (('CT1',), ())
    """

    contacts: Mapping[str, tuple[ContactNo, ...]]
    salespeople: Mapping[str, SalespersonCode]
    own_domains: frozenset[str]

    @classmethod
    def build(
        cls,
        *,
        contact_addresses: Iterable[tuple[str, str]],
        salespeople: Iterable[Salesperson],
        setup: RelationshipSetup,
    ) -> AddressBook:
        """Index the contacts' and salespeople's addresses and the own domains.

        Args:
            contact_addresses: ``(contact no., address)`` pairs, as
                ``ContactRepository.email_addresses()`` returns them (a ``;`` list
                is split here too).
            salespeople: Every salesperson; blocked and privacy-blocked ones are
                left out (§8, §2.15). Where two share an address, the first (by
                code) keeps it.
            setup: The setup, for its own e-mail domains.
        """
        contacts: dict[str, list[ContactNo]] = {}
        for no, text in contact_addresses:
            for address in _split(text):
                holders = contacts.setdefault(address, [])
                if no not in holders:
                    holders.append(ContactNo(no))
        people: dict[str, SalespersonCode] = {}
        for person in sorted(salespeople, key=lambda p: p.code):
            if person.blocked or person.privacy_blocked:
                continue
            for address in _split(person.email) + _split(person.email_2):
                people.setdefault(address, SalespersonCode(person.code))
        return cls(
            contacts={address: tuple(nos) for address, nos in contacts.items()},
            salespeople=people,
            own_domains=frozenset(_split(setup.own_email_domains)),
        )

    def contacts_of(self, address: str) -> tuple[ContactNo, ...]:
        """Return the contacts ``address`` belongs to (any case), in stored order."""
        return self.contacts.get(address.strip().lower(), ())

    def salesperson_of(self, address: str) -> SalespersonCode | None:
        """Return the salesperson ``address`` belongs to (any case), if any."""
        return self.salespeople.get(address.strip().lower())

    def is_own(self, address: str) -> bool:
        """Return whether ``address`` is a salesperson's or in an own domain.

        The domain test is that of
        :meth:`~relationship_mgmt.domain.setup.RelationshipSetup.is_own_address`: a subdomain
        counts as its domain.

        >>> from relationship_mgmt.domain.setup import RelationshipSetup
        >>> book = AddressBook.build(contact_addresses=[], salespeople=[],
        ...     setup=RelationshipSetup(own_email_domains="cronus.example"))
        >>> (book.is_own("jo@sales.cronus.example"), book.is_own("a@fabrikam.example"))
        (True, False)
        """
        address = address.strip().lower()
        if address in self.salespeople:
            return True
        labels = address.rpartition("@")[2].split(".")
        return any(
            ".".join(labels[start:]) in self.own_domains for start in range(len(labels))
        )

    def plan(
        self,
        message: MailMessage,
        *,
        template_code: str,
        timezone: dt.tzinfo = dt.UTC,
    ) -> MessagePlan:
        """Decide the direction, match the contacts and build the requests (§1.4).

        See the module docstring for the rule.

        Args:
            message: The message.
            template_code: The Interaction Template Setup's *E-Mails* template (§1.3).
            timezone: The zone the entry's date and time are given in.

        Raises:
            ValidationError: The message's instant cannot be shown in
                ``timezone``, or a value an interaction request refuses.
        """
        if self.is_own(message.sender):
            direction, initiated_by = InformationFlow.OUTBOUND, InitiatedBy.US
            own_side: tuple[str, ...] = (message.sender,)
            contact_side = tuple(a for a in message.recipients if not self.is_own(a))
        else:
            direction, initiated_by = InformationFlow.INBOUND, InitiatedBy.THEM
            own_side = tuple(a for a in message.recipients if self.is_own(a))
            contact_side = (message.sender,)
        salesperson = next(
            (code for code in map(self.salesperson_of, own_side) if code is not None),
            None,
        )
        matched: dict[ContactNo, str] = {}
        unmatched: list[str] = []
        for address in contact_side:
            holders = self.contacts_of(address)
            if not holders:
                unmatched.append(address)
            for no in holders:
                matched.setdefault(no, address)
        requests: tuple[InteractionRequest, ...] = ()
        if salesperson is not None:
            local = _in_zone(message.sent_at, timezone)
            subject = message.subject[:_TEXT_LENGTH]
            stored_id = _stored_message_id(message.message_id)
            requests = tuple(
                InteractionRequest(
                    contact_no=no,
                    template_code=template_code,
                    date=local.date(),
                    time_of_interaction=local.time().replace(microsecond=0),
                    description=subject,
                    subject=subject,
                    salesperson_code=salesperson,
                    information_flow=direction,
                    initiated_by=initiated_by,
                    correspondence_type=CorrespondenceType.EMAIL,
                    contact_via=address if len(address) <= _VIA_LENGTH else "",
                    email_logged=True,
                    email_message_id=stored_id,
                    idempotency_key=email_idempotency_key(message.message_id, no),
                )
                for no, address in matched.items()
            )
        return MessagePlan(
            message=message,
            direction=direction,
            salesperson_code=salesperson,
            contacts=tuple(matched.items()),
            requests=requests,
            unmatched=tuple(unmatched),
            no_salesperson=own_side if salesperson is None else (),
        )


# --- the report ------------------------------------------------------------------------------


@frozen(kw_only=True)
class IngestError:
    """A message that could not be read or logged; the ingest went on.

    >>> IngestError(source="a.eml", message_id="", reason="no sender address")
    IngestError(source='a.eml', message_id='', reason='no sender address')
    """

    source: str
    message_id: str
    reason: str


@frozen(kw_only=True, eq=True, hash=False)
class IngestReport:
    """What an e-mail ingest did (§1.4).

    Attributes:
        messages_read: Messages read, unreadable ones included.
        entries_logged: Interaction log entries written.
        duplicates_skipped: Entries not written because they were already logged
            (an earlier ingest, or the same message twice in this one).
        unmatched: Contact-side addresses that match no contact, with how many
            messages carried each.
        without_salesperson: Messages with matched contacts that logged nothing
            because no salesperson was on the own side.
        no_salesperson: The own addresses of those messages (and of others whose
            own side had no salesperson), with their counts.
        privacy_blocked: Privacy-blocked contacts (§2.15) whose entries were
            skipped, with how many each.
        synthetic_ids: Messages without a Message-ID that got a made-up one.
        errors: Messages that could not be read or logged.

    >>> report = IngestReport(messages_read=2, entries_logged=1, unmatched={"a@x.example": 1})
    >>> (report.entries_logged, report.unmatched["a@x.example"], report.errors)
    (1, 1, ())
    """

    messages_read: int = 0
    entries_logged: int = 0
    duplicates_skipped: int = 0
    unmatched: Mapping[str, int] = field(factory=dict, repr=False)
    without_salesperson: int = 0
    no_salesperson: Mapping[str, int] = field(factory=dict, repr=False)
    privacy_blocked: Mapping[ContactNo, int] = field(factory=dict)
    synthetic_ids: int = 0
    errors: tuple[IngestError, ...] = ()
