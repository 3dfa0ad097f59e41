"""Where interaction attachments are kept (BC's Attachment table 5062, §3.7).

An interaction template has one attachment per language (§3.2, §3.7) and a logged
entry points at the attachment it was logged with (*Attachment No.*). BC keeps the
content embedded in the database or as disk files (Marketing Setup *Attachment
Storage Type*, §1.1); the library asks an :class:`AttachmentStore` for it, so a host
can keep attachments wherever it keeps documents. The library ships one in memory
and one on the file system
(:mod:`relationship_mgmt.adapters.attachments`).

Attachments are numbered by the store (BC's *No.*, an integer) and are immutable:
a new version is a new attachment.

>>> Attachment(no=1, file_name="offer.pdf", content=b"%PDF").media_type
'application/octet-stream'
"""

from __future__ import annotations

from typing import Protocol

from attrs import field, frozen

from relationship_mgmt.errors import ValidationError

__all__ = ["Attachment", "AttachmentStore"]

_FILE_NAME_LENGTH = 250


def _file_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("file_name", value, "must be a non-blank text")
    name = value.strip()
    if len(name) > _FILE_NAME_LENGTH or "/" in name or "\\" in name:
        raise ValidationError(
            "file_name", value, "must be a plain file name of at most 250 characters"
        )
    return name


def _content(value: object) -> bytes:
    if not isinstance(value, bytes):
        raise ValidationError("content", None, "must be bytes")
    return value


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("no", value, "must be a positive integer")
    return value


@frozen(kw_only=True)
class Attachment:
    """One stored attachment: its number, file name, media type and content."""

    no: int = field(converter=_number)
    file_name: str = field(converter=_file_name)
    media_type: str = "application/octet-stream"
    content: bytes = field(converter=_content, repr=False)


class AttachmentStore(Protocol):
    """Keeps attachment contents by number (§3.7).

    The store is not part of a unit of work: an attachment is stored before the
    entry or template that points at it, and a store may keep one nobody points at
    (after a failed use case); :meth:`delete` removes it.
    """

    def put(
        self,
        content: bytes,
        *,
        file_name: str,
        media_type: str = "application/octet-stream",
    ) -> Attachment:
        """Store a new attachment and return it with its number (the last + 1).

        Raises:
            ValidationError: A blank or path-like file name, or content that is not
                bytes.
            PersistenceError: The store failed.
        """
        ...

    def get(self, no: int) -> Attachment:
        """Return the attachment ``no``.

        Raises:
            NotFoundError: No such attachment.
            PersistenceError: The store failed.
        """
        ...

    def exists(self, no: int) -> bool:
        """Return whether the attachment ``no`` is stored."""
        ...

    def delete(self, no: int) -> None:
        """Delete the attachment ``no``.

        Raises:
            NotFoundError: No such attachment.
            PersistenceError: The store failed.
        """
        ...
