r"""Read e-mail messages from ``.eml`` files, a folder of them, or an mbox (§1.4).

:func:`read_messages` yields one
:class:`~relationship_mgmt.domain.email_logging.MailMessage` per message, or an
:class:`~relationship_mgmt.domain.email_logging.UnreadableMessage` where a message
cannot be used (no sender address, no usable date, a file that cannot be read):
one bad message never stops the others. Hand the lot to
``EmailLoggingService.ingest``, which counts the unreadable ones as errors.

Only the headers are parsed (the stdlib's :class:`~email.parser.BytesHeaderParser`
and :mod:`mailbox`): From, To, Cc, Date, Subject and Message-ID. A message without
a Message-ID gets a stable synthetic one
(:meth:`~relationship_mgmt.domain.email_logging.MailMessage.of`) and says so in
``synthetic_id``. Header text in raw UTF-8 is read as UTF-8, RFC 2047 encoded words
are decoded, a date without a zone (``-0000``) is taken as UTC, and a message
without a Date falls back to the oldest ``Received`` header's time.

>>> import datetime as dt
>>> message = parse_message(
...     b"From: Ann Smith <Ann@Fabrikam.example>\r\n"
...     b"To: jo@cronus.example, undisclosed-recipients:;\r\n"
...     b"Subject: =?utf-8?q?Caf=C3=A9?=\r\n"
...     b"Date: Mon, 2 Mar 2026 10:30:00 +0100\r\n"
...     b"Message-ID: <1@fabrikam.example>\r\n\r\nHello\r\n", source="a.eml")
>>> (message.sender, message.recipients, message.subject)
('ann@fabrikam.example', ('jo@cronus.example',), 'Café')
>>> message.sent_at.astimezone(dt.UTC).time(), message.message_id
(datetime.time(9, 30), '<1@fabrikam.example>')
>>> parse_message(b"Subject: no sender\r\n\r\n", source="b.eml")
UnreadableMessage(source='b.eml', reason='no sender address')
"""

from __future__ import annotations

import datetime as dt
import mailbox
import os
import re
from collections.abc import Iterator
from email.errors import MessageError
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Final

from relationship_mgmt.domain.email_logging import (
    MailMessage,
    UnreadableMessage,
    normalise_address,
)
from relationship_mgmt.errors import ValidationError

__all__ = ["parse_message", "read_messages"]

_FOLD: Final = re.compile(r"\r?\n(?=[ \t])")
# Address lists with nothing that needs RFC 5322 parsing: no quotes, comments,
# escapes, groups or encoded words, and at most one <...> per comma-separated part.
_ATOMS: Final = r"[^\"()\\:;<>,=]*"
_PART: Final = rf"{_ATOMS}(?:<{_ATOMS}>\s*)?"
_PLAIN: Final = re.compile(rf"{_PART}(?:,{_PART})*")
_PARSER: Final = BytesHeaderParser()
_MBOX_MAGIC: Final = b"From "


def read_messages(
    path: str | os.PathLike[str],
) -> Iterator[MailMessage | UnreadableMessage]:
    """Yield the messages of an ``.eml`` file, a folder of them, or an mbox file.

    A folder yields its ``*.eml`` files (any case, not its subfolders) in name
    order; a file that starts with an mbox ``From`` line is read as an mbox, any
    other file as one message. Sources are the file's path, and for an mbox the
    path with the message's position (``inbox.mbox[3]``, from 1).

    Args:
        path: The file or folder.

    Yields:
        A :class:`~relationship_mgmt.domain.email_logging.MailMessage` per
        message, or an
        :class:`~relationship_mgmt.domain.email_logging.UnreadableMessage` for
        one that cannot be used.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        OSError: The folder or the mbox cannot be read at all.
    """
    where = Path(path)
    if where.is_dir():
        files = sorted(
            p for p in where.iterdir() if p.suffix.lower() == ".eml" and p.is_file()
        )
        for file in files:
            yield _read_file(file)
        return
    with where.open("rb") as stream:
        is_mbox = stream.read(len(_MBOX_MAGIC)) == _MBOX_MAGIC
    if not is_mbox:
        yield _read_file(where)
        return
    box = mailbox.mbox(where, create=False)
    try:
        for position, key in enumerate(box.iterkeys(), start=1):
            yield parse_message(box.get_bytes(key), source=f"{where}[{position}]")
    finally:
        box.close()


def _read_file(file: Path) -> MailMessage | UnreadableMessage:
    try:
        data = file.read_bytes()
    except OSError as error:
        return UnreadableMessage(source=str(file), reason=f"cannot be read: {error}")
    return parse_message(data, source=str(file))


def parse_message(data: bytes, *, source: str = "") -> MailMessage | UnreadableMessage:
    """Parse one message's bytes (its headers; the body is not read).

    Args:
        data: The message as on disk (RFC 5322).
        source: Where it came from, kept on the result for reports.

    Returns:
        The message, or why it cannot be used.
    """
    try:
        headers = _headers(data)
        senders = _addresses(headers.get("from", []))
        if not senders:
            return UnreadableMessage(source=source, reason="no sender address")
        sent_at = _sent_at(headers)
        if sent_at is None:
            return UnreadableMessage(source=source, reason="no usable Date header")
        message_ids = headers.get("message-id", [])
        return MailMessage.of(
            message_id="".join(message_ids[0].split()) if message_ids else None,
            sender=senders[0],
            recipients=_addresses(headers.get("to", []) + headers.get("cc", [])),
            sent_at=sent_at,
            subject=_decoded(" ".join(headers.get("subject", [])[:1])),
            source=source,
        )
    except (MessageError, ValidationError, ValueError, TypeError) as error:
        return UnreadableMessage(source=source, reason=f"malformed: {error}")


def _headers(data: bytes) -> dict[str, list[str]]:
    """The raw header values by lower-case name, unfolded, raw 8-bit read as UTF-8."""
    found: dict[str, list[str]] = {}
    for name, value in _PARSER.parsebytes(data).raw_items():
        text = _FOLD.sub("", value)
        if not text.isascii():
            # compat32 keeps undecodable bytes as surrogates: read them as UTF-8
            # (the usual raw 8-bit charset), else as Latin-1, which never fails.
            raw = text.encode("utf-8", "surrogateescape")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
        found.setdefault(name.lower(), []).append(text)
    return found


def _addresses(values: list[str]) -> list[str]:
    """The e-mail addresses in address headers; groups and junk are left out."""
    text = ", ".join(values)
    if _PLAIN.fullmatch(text):
        # The common case, ``a@x, Name <b@y>``, read without the stdlib's (slow)
        # RFC 5322 parser; quotes, comments, groups and encoded words go to it.
        pairs = [("", part.rpartition("<")[2].rstrip(" >")) for part in text.split(",")]
    else:
        pairs = getaddresses(values)
    found: list[str] = []
    for _, address in pairs:
        try:
            found.append(normalise_address(address))
        except ValidationError:
            continue
    return found


def _decoded(value: str) -> str:
    """RFC 2047 encoded words decoded; undecodable text is kept as it is."""
    try:
        return str(make_header(decode_header(value)))
    except (MessageError, LookupError, UnicodeError):
        return value


def _sent_at(headers: dict[str, list[str]]) -> dt.datetime | None:
    """The Date header's instant, else the oldest Received header's; naive is UTC."""
    candidates = headers.get("date", [])[:1]
    candidates += [value.rpartition(";")[2] for value in headers.get("received", [])][
        ::-1
    ]
    for text in candidates:
        try:
            moment = parsedate_to_datetime(text.strip())
        except (ValueError, TypeError, IndexError):
            continue
        return (
            moment if moment.utcoffset() is not None else moment.replace(tzinfo=dt.UTC)
        )
    return None
