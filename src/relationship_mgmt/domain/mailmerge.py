r"""Mail merge for logged segments: the merge fields, the context and the messages (§4.9).

BC merges a Word template per contact when a segment is logged with *Send* (§3.7,
§4.9); here the template is a text or HTML attachment of the interaction template's
language (§3.2, §3.7) written in Jinja2, and this module is what the merge needs
that is pure:

* :data:`MERGE_FIELDS`, the catalogue of the fields a template may use (``{{
  contact.name }}``, ``{{ salesperson.email }}`` ...); a renderer checks every
  template against it before the first message is rendered;
* :func:`merge_context`, the values of those fields for one logged interaction, as
  plain dictionaries of strings (never the live records);
* :func:`template_kind`, whether an attachment is a text or an HTML template;
* :func:`html_to_text`, the plain-text alternative of an HTML message;
* :class:`OutgoingMessage`, one rendered message for an outbox, and
  :class:`DeliveryOutcome`, what happened to it.

Rendering is the adapter's job (:class:`~relationship_mgmt.ports.delivery.MergeRenderer`,
with Jinja2 in :mod:`relationship_mgmt.adapters.mailmerge`), and so is delivering
(:class:`~relationship_mgmt.ports.delivery.Outbox`).

>>> sorted(MERGE_FIELDS)
['campaign', 'contact', 'interaction', 'salesperson', 'segment']
>>> template_kind("offer.html", "application/octet-stream")
'html'
>>> html_to_text("<p>Dear Ann,</p><p>Our <b>spring</b> offer&hellip;</p>")
'Dear Ann,\n\nOur spring offer…'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import attrs
from attrs import field, frozen

from relationship_mgmt.domain._fields import to_enum
from relationship_mgmt.domain.interactions import DeliveryStatus, InteractionLogEntry
from relationship_mgmt.domain.setup import CorrespondenceType
from relationship_mgmt.errors import ValidationError

if TYPE_CHECKING:
    from relationship_mgmt.domain.campaigns import Campaign
    from relationship_mgmt.domain.contacts import Contact
    from relationship_mgmt.domain.salespeople import Salesperson
    from relationship_mgmt.domain.segments import Segment

__all__ = [
    "DeliveryOutcome",
    "MERGE_FIELDS",
    "OutgoingMessage",
    "html_to_text",
    "merge_context",
    "recipients_of",
    "template_kind",
]


def _fields(**described: str) -> Mapping[str, str]:
    return MappingProxyType(described)


MERGE_FIELDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "contact": _fields(
            no="Contact No.",
            type="Company or Person",
            name="Name",
            first_name="First Name",
            middle_name="Middle Name",
            surname="Surname",
            initials="Initials",
            job_title="Job Title",
            company_no="Company No.",
            company_name="Company Name",
            address="Address",
            address_2="Address 2",
            post_code="Post Code",
            city="City",
            county="County",
            country_code="Country/Region Code",
            phone_no="Phone No.",
            mobile_phone_no="Mobile Phone No.",
            email="E-Mail (the active alternative address's, §3.4)",
            home_page="Home Page",
            language_code="Language Code",
            salutation="Formal salutation in the interaction's language (§2.10)",
            informal_salutation="Informal salutation (§2.10)",
        ),
        "salesperson": _fields(
            code="Code",
            name="Name",
            job_title="Job Title",
            email="E-Mail",
            phone_no="Phone No.",
        ),
        "segment": _fields(
            no="Segment No.",
            description="Description",
            date="Date (ISO 8601)",
            subject="Subject (Default)",
        ),
        "campaign": _fields(
            no="Campaign No. (blank without a campaign)",
            description="Description",
            starting_date="Starting Date (ISO 8601)",
            ending_date="Ending Date (ISO 8601)",
        ),
        "interaction": _fields(
            entry_no="Entry No. of the interaction log entry",
            date="Date (ISO 8601)",
            description="Description",
            subject="Subject",
            template_code="Interaction Template Code",
            language_code="Interaction Language Code",
            correspondence_type="Correspondence Type (Email or Hard Copy)",
            logged_segment_entry_no="Logged Segment Entry No.",
        ),
    }
)
"""The merge fields a template may use, as record → field → what it holds.

Every value is a string; a record that does not apply (no salesperson, no campaign)
has every field blank, so ``{% if campaign.no %}`` tests for one. A template that
names a record or field outside this catalogue is refused before anything is
rendered (reliability.md B.6).
"""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def recipients_of(contact: Contact, alt_address_code: str | None) -> tuple[str, ...]:
    """The e-mail addresses to send to: the active alternative address's, else the contact's.

    BC's rule for Contact Via (§3.4); an e-mail field may hold a ``;`` list.

    >>> import datetime as dt
    >>> from relationship_mgmt.domain.contacts import Contact
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> ann = Contact.create_person(no="CT1", name="Ann", email="ann@a.example;ann@b.example",
    ...     now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), setup=RelationshipSetup())
    >>> recipients_of(ann, None)
    ('ann@a.example', 'ann@b.example')
    """
    email = contact.email
    for address in contact.alternative_addresses:
        if address.code == alt_address_code and address.email:
            email = address.email
            break
    return tuple(part.strip() for part in email.split(";") if part.strip())


def merge_context(
    *,
    contact: Contact,
    entry: InteractionLogEntry,
    segment: Segment | None = None,
    salesperson: Salesperson | None = None,
    campaign: Campaign | None = None,
    salutation: str = "",
    informal_salutation: str = "",
) -> dict[str, dict[str, str]]:
    """Return the merge fields' values for one logged interaction (:data:`MERGE_FIELDS`).

    The context holds plain dictionaries of strings copied from the records, never
    the records themselves, so a template sees nothing but these values (B.6).

    Args:
        contact: The interaction's contact.
        entry: The interaction log entry being delivered.
        segment: The logged segment's header.
        salesperson: The entry's salesperson.
        campaign: The entry's campaign.
        salutation: The contact's formal salutation (§2.10), worked out by the caller.
        informal_salutation: The informal one.

    >>> import datetime as dt
    >>> from relationship_mgmt.domain.contacts import Contact
    >>> from relationship_mgmt.domain.interactions import InteractionLogEntry
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> ann = Contact.create_person(no="CT1", name="Ann Smith",
    ...     now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), setup=RelationshipSetup())
    >>> entry = InteractionLogEntry(entry_no=7, contact_no="CT1", date=dt.date(2026, 1, 5))
    >>> context = merge_context(contact=ann, entry=entry, salutation="Dear Ann")
    >>> context["contact"]["surname"], context["interaction"]["date"], context["campaign"]["no"]
    ('Smith', '2026-01-05', '')
    """
    values: dict[str, dict[str, str]] = {
        record: dict.fromkeys(fields, "") for record, fields in MERGE_FIELDS.items()
    }
    person = values["contact"]
    for name in MERGE_FIELDS["contact"]:
        if name not in {"email", "salutation", "informal_salutation"}:
            person[name] = _text(getattr(contact, name))
    person["email"] = ";".join(recipients_of(contact, entry.contact_alt_address_code))
    person["salutation"] = salutation
    person["informal_salutation"] = informal_salutation
    values["interaction"] = {
        "entry_no": str(entry.entry_no),
        "date": _text(entry.date),
        "description": entry.description,
        "subject": entry.subject,
        "template_code": _text(entry.interaction_template_code),
        "language_code": _text(entry.interaction_language_code),
        "correspondence_type": str(entry.correspondence_type),
        "logged_segment_entry_no": _text(entry.logged_segment_entry_no),
    }
    if segment is not None:
        values["segment"] = {
            "no": segment.no,
            "description": segment.description,
            "date": _text(segment.date),
            "subject": segment.subject_default,
        }
    if salesperson is not None:
        values["salesperson"] = {
            name: _text(getattr(salesperson, name))
            for name in MERGE_FIELDS["salesperson"]
        }
    if campaign is not None:
        values["campaign"] = {
            name: _text(getattr(campaign, name)) for name in MERGE_FIELDS["campaign"]
        }
    return values


_HTML_SUFFIXES: Final = (".html", ".htm", ".html.j2", ".html.jinja", ".xhtml")
_TEXT_SUFFIXES: Final = (".txt", ".text", ".j2", ".jinja", ".jinja2", ".md", ".tmpl")


def template_kind(file_name: str, media_type: str) -> Literal["text", "html"] | None:
    """Tell whether an attachment is a text or an HTML merge template, or neither.

    ``text/html`` (or a name ending ``.html``/``.htm``) is an HTML template, merged
    with HTML autoescaping; any other ``text/*`` type (or a name ending ``.txt``,
    ``.j2``, ``.jinja``, ``.md`` ...) is a text template. Anything else (a PDF, a
    Word document) cannot be merged.

    >>> [template_kind(n, t) for n, t in [("a.txt", "text/plain"),
    ...     ("a.bin", "text/html"), ("a.pdf", "application/pdf")]]
    ['text', 'html', None]
    """
    media = media_type.split(";", 1)[0].strip().lower()
    name = file_name.lower()
    if media in {"text/html", "application/xhtml+xml"}:
        return "html"
    if media.startswith("text/"):
        return "text"
    if media in {"", "application/octet-stream"}:
        if name.endswith(_HTML_SUFFIXES):
            return "html"
        if name.endswith(_TEXT_SUFFIXES):
            return "text"
    return None


_BLOCKS: Final = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
     "ul", "ol", "blockquote", "pre", "hr", "section", "article", "header", "footer"}
)  # fmt: skip
_PARAGRAPHS: Final = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        del attrs
        if tag in {"script", "style", "head", "title"}:
            self._skip += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head", "title"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in _BLOCKS and tag != "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_SPACES: Final = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES: Final = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    r"""Return the plain-text alternative of an HTML message.

    Tags are dropped (the content of ``script``/``style``/``head`` too), entities
    decoded, paragraphs and headings separated by a blank line, list items put on
    lines of their own, and runs of spaces collapsed.

    >>> html_to_text("<h1>Spring</h1><ul><li>one</li><li>two</li></ul>")
    'Spring\n\n- one\n- two'
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [
        _SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n")
    ]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _header_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(name, None, "must be a string")
    if "\r" in value or "\n" in value:
        raise ValidationError(name, None, "must be one line (no CR or LF)")
    return value


def _addresses(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise ValidationError("recipients", None, "must be a tuple of e-mail addresses")
    return tuple(_header_text("recipients", item).strip() for item in value)


def _aware(value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError("date", value, "must be an aware datetime")
    return value


def _entry_no(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, value, "must be a whole number >= 1")


def _status(value: object) -> DeliveryStatus:
    return to_enum(DeliveryStatus, "status", value)


def _string(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError(attribute.name, None, "must be a string")


def _one_line(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    _header_text(attribute.name, value)


def _correspondence(value: object) -> CorrespondenceType:
    kind = to_enum(CorrespondenceType, "correspondence_type", value)
    if kind is CorrespondenceType.BLANK:
        raise ValidationError(
            "correspondence_type", value, "must be Email or Hard Copy to deliver"
        )
    return kind


def _optional_text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError("html", None, "must be a string or None")
    return value


@frozen(kw_only=True)
class OutgoingMessage:
    """One merged message of a logged interaction, ready for an outbox (§4.9).

    An Email goes to ``recipients``; a Hard Copy has none and is printed (the
    outbox decides how: :class:`~relationship_mgmt.adapters.delivery.EmlOutbox`
    marks it for printing). ``text`` is always there; ``html`` is the HTML
    alternative when the template is HTML.

    Raises:
        ValidationError: A header value with a line break (header injection), an
            Email without recipients, a naive date, or a correspondence type that
            is blank.

    >>> import datetime as dt
    >>> message = OutgoingMessage(entry_no=12, logged_segment_entry_no=3,
    ...     contact_no="CT000004", correspondence_type="Email",
    ...     recipients=("ann@example.com",), subject="Spring offer", text="Hello Ann",
    ...     date=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    >>> message.message_id
    '<rm.3.12.780a35a11325@relationship-mgmt.invalid>'
    """

    entry_no: int = field(validator=_entry_no)
    logged_segment_entry_no: int | None = field(
        default=None, validator=attrs.validators.optional(_entry_no)
    )
    contact_no: str = field(validator=_string)
    correspondence_type: CorrespondenceType = field(converter=_correspondence)
    recipients: tuple[str, ...] = field(default=(), converter=_addresses, repr=False)
    recipient_name: str = field(default="", validator=_one_line, repr=False)
    sender: str = field(default="", validator=_one_line, repr=False)
    sender_name: str = field(default="", validator=_one_line, repr=False)
    subject: str = field(validator=_one_line, repr=False)
    text: str = field(validator=_string, repr=False)
    html: str | None = field(default=None, converter=_optional_text, repr=False)
    date: dt.datetime = field(converter=_aware)

    def __attrs_post_init__(self) -> None:
        if self.correspondence_type is CorrespondenceType.EMAIL and not self.recipients:
            raise ValidationError(
                "recipients", None, f"an e-mail to {self.contact_no} needs an address"
            )

    @property
    def message_id(self) -> str:
        """A stable RFC 5322 Message-ID; the same message always gets the same one.

        It names the logged segment and the entry, plus a digest of the content, so
        delivering an entry again (after an Error) is recognisable as the same message.
        """
        digest = hashlib.sha256(
            "\x1f".join(
                (
                    str(self.entry_no),
                    self.contact_no,
                    ";".join(self.recipients),
                    self.subject,
                    self.text,
                    self.html or "",
                    self.date.isoformat(),
                )
            ).encode()
        ).hexdigest()[:12]
        domain = self.sender.rpartition("@")[2] if "@" in self.sender else ""
        segment = self.logged_segment_entry_no or 0
        return f"<rm.{segment}.{self.entry_no}.{digest}@{domain or 'relationship-mgmt.invalid'}>"


@frozen(kw_only=True)
class DeliveryOutcome:
    """What became of one message handed to the outbox (§3.7).

    BC's Delivery Status runs ``' '`` → In Progress → ``' '`` when the message went
    out, or Error when it did not; ``status`` is that final value.

    Attributes:
        entry_no: The interaction log entry.
        contact_no: Its contact.
        status: ``' '`` (delivered) or Error, a
            :class:`~relationship_mgmt.domain.interactions.DeliveryStatus`.
        reference: What the outbox returned (a file name, a message id); blank on
            an error.
        error: Why it failed; blank when delivered.

    >>> DeliveryOutcome(entry_no=5, contact_no="CT1", status="", reference="a.eml").delivered
    True
    """

    entry_no: int = field(validator=_entry_no)
    contact_no: str
    status: DeliveryStatus = field(converter=_status)
    reference: str = ""
    error: str = ""

    @property
    def delivered(self) -> bool:
        """Whether the outbox took the message."""
        return self.status is DeliveryStatus.BLANK
