r"""Outboxes for merged messages: ``.eml`` files in a folder, or a list in memory (§4.9).

:class:`EmlOutbox` writes one RFC 5322 message per
:class:`~relationship_mgmt.domain.mailmerge.OutgoingMessage` with the standard
library's :mod:`email` package: a ``text/plain`` body, the HTML alternative when the
template is HTML, and the headers Subject, From, To, Date and Message-ID, plus
``X-Relationship-Mgmt-Entry-No`` (the interaction log entry),
``X-Relationship-Mgmt-Logged-Segment`` and ``X-Relationship-Mgmt-Correspondence``.
A mail client opens the files, a relay or a script can send them, and
:func:`relationship_mgmt.interop.email.read_messages` reads them back.

Each file is written whole or not at all: to a temporary file in the same folder,
flushed to disk, then renamed over the final name (:func:`os.replace`). The names
are deterministic and safe (``<logged segment>-<entry>-<contact>.eml``, every
character outside ``A-Z a-z 0-9 . _ -`` replaced by ``_``), so delivering an entry
again after an Error replaces its earlier file.

**Hard copy.** BC prints the merged document of a *Hard Copy* line. The outbox
writes it too, as ``<...>-<contact>.print.eml`` without a To header and with
``X-Relationship-Mgmt-Correspondence: Hard Copy``: one folder holds the whole
mailing, and whoever prints sorts by the ``.print.eml`` suffix (any mail client
opens and prints it).

>>> import datetime as dt, email, tempfile
>>> from relationship_mgmt.domain.mailmerge import OutgoingMessage
>>> outbox = EmlOutbox(tempfile.mkdtemp(), sender="sales@cronus.example")
>>> name = outbox.deliver(OutgoingMessage(entry_no=12, logged_segment_entry_no=3,
...     contact_no="CT000004", correspondence_type="Email",
...     recipients=("ann@example.com",), recipient_name="Ann Smith",
...     subject="Spring offer", text="Dear Ann,\n",
...     date=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
>>> name
'000003-00000012-CT000004.eml'
>>> parsed = email.message_from_bytes((outbox.directory / name).read_bytes())
>>> parsed["To"], parsed["Subject"], parsed["X-Relationship-Mgmt-Entry-No"]
('Ann Smith <ann@example.com>', 'Spring offer', '12')
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Final

from relationship_mgmt.domain.mailmerge import OutgoingMessage
from relationship_mgmt.domain.setup import CorrespondenceType
from relationship_mgmt.errors import DeliveryError, ValidationError

__all__ = ["DEFAULT_SENDER", "EmlOutbox", "InMemoryOutbox", "build_email", "file_name"]

DEFAULT_SENDER: Final = "relationship-mgmt@localhost"
"""The From address of a message whose salesperson has no e-mail."""

_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]")
_POLICY: Final = policy.SMTP  # CRLF line ends, as on the wire


def file_name(message: OutgoingMessage) -> str:
    """The message's file name: deterministic, sortable, safe on every file system.

    >>> import datetime as dt
    >>> file_name(OutgoingMessage(entry_no=7, contact_no="CT/1 X",
    ...     correspondence_type="Hard Copy", subject="Letter", text="",
    ...     date=dt.datetime(2026, 3, 2, tzinfo=dt.UTC)))
    '000000-00000007-CT_1_X.print.eml'
    """
    contact = _UNSAFE.sub("_", message.contact_no)[:40] or "_"
    suffix = (
        ".print.eml"
        if message.correspondence_type is CorrespondenceType.HARD_COPY
        else ".eml"
    )
    logged = message.logged_segment_entry_no or 0
    return f"{logged:06d}-{message.entry_no:08d}-{contact}{suffix}"


def _address(name: str, address: str) -> Address:
    user, at, domain = address.rpartition("@")
    if not at or not user or not domain:
        raise DeliveryError(0, "an address without @ cannot be written to a message")
    return Address(display_name=name, username=user, domain=domain)


def build_email(
    message: OutgoingMessage, *, sender: str = DEFAULT_SENDER
) -> EmailMessage:
    """Build the RFC 5322 message: text body, optional HTML alternative, headers.

    Args:
        message: The merged message.
        sender: The From address when the message has none (no salesperson
            e-mail).

    Raises:
        DeliveryError: A header the :mod:`email` package refuses (``entry_no``
            names the entry).
    """
    try:
        email = EmailMessage(policy=_POLICY)
        email["Subject"] = message.subject
        email["From"] = _address(message.sender_name, message.sender or sender)
        if message.recipients:
            first, *others = message.recipients
            email["To"] = [_address(message.recipient_name, first)] + [
                _address("", other) for other in others
            ]
        email["Date"] = format_datetime(message.date)
        email["Message-ID"] = message.message_id
        email["X-Relationship-Mgmt-Entry-No"] = str(message.entry_no)
        if message.logged_segment_entry_no is not None:
            email["X-Relationship-Mgmt-Logged-Segment"] = str(
                message.logged_segment_entry_no
            )
        email["X-Relationship-Mgmt-Correspondence"] = str(message.correspondence_type)
        email.set_content(message.text, cte="quoted-printable")
        if message.html is not None:
            email.add_alternative(message.html, subtype="html", cte="quoted-printable")
    except DeliveryError as error:
        raise DeliveryError(message.entry_no, error.reason) from None
    except (MessageError, ValueError, TypeError) as error:
        raise DeliveryError(
            message.entry_no, f"the message cannot be written: {error}"
        ) from error
    return email


class EmlOutbox:
    """:class:`~relationship_mgmt.ports.delivery.Outbox` writing ``.eml`` files.

    Args:
        directory: The folder (created when the first message is written).
        sender: The From address of messages without a salesperson e-mail.

    Raises:
        ValidationError: A sender that is not an e-mail address.
    """

    def __init__(
        self, directory: str | os.PathLike[str], *, sender: str = DEFAULT_SENDER
    ) -> None:
        if "@" not in sender or "\n" in sender or "\r" in sender:
            raise ValidationError("sender", sender, "must be an e-mail address")
        self.directory = Path(directory)
        self.sender = sender

    def deliver(self, message: OutgoingMessage) -> str:
        """Write the message atomically and return its file name.

        Raises:
            DeliveryError: The message cannot be built or the file cannot be
                written; no file of it is left behind.
        """
        data = build_email(message, sender=self.sender).as_bytes()
        name = file_name(message)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=self.directory, prefix=".", suffix=".tmp"
            )
        except OSError as error:
            raise DeliveryError(
                message.entry_no, f"cannot write to {self.directory}: {error}"
            ) from error
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(self.directory / name)
        except OSError as error:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
            raise DeliveryError(
                message.entry_no, f"cannot write {name}: {error}"
            ) from error
        return name


class InMemoryOutbox:
    """:class:`~relationship_mgmt.ports.delivery.Outbox` keeping messages in a list.

    For tests and notebooks: ``messages`` holds what was delivered, in order; a
    message delivered again replaces its earlier copy.

    >>> import datetime as dt
    >>> outbox = InMemoryOutbox()
    >>> outbox.deliver(OutgoingMessage(entry_no=1, contact_no="CT1",
    ...     correspondence_type="Hard Copy", subject="Letter", text="Hello",
    ...     date=dt.datetime(2026, 3, 2, tzinfo=dt.UTC)))
    '000000-00000001-CT1.print.eml'
    >>> [m.subject for m in outbox.messages]
    ['Letter']
    """

    def __init__(self) -> None:
        self._messages: dict[int, OutgoingMessage] = {}
        self._lock = threading.Lock()

    @property
    def messages(self) -> list[OutgoingMessage]:
        """The delivered messages, in the order they were first delivered."""
        with self._lock:
            return list(self._messages.values())

    def deliver(self, message: OutgoingMessage) -> str:
        """Keep the message; return the file name :class:`EmlOutbox` would use."""
        with self._lock:
            self._messages[message.entry_no] = message
        return file_name(message)
