"""Where logged segments' messages are merged and delivered (§4.9, §3.7).

Logging a segment with *Send* merges the interaction template's attachment for
every line (BC merges a Word template) and hands the result over for sending or
printing. Two ports split that work:

* a :class:`MergeRenderer` checks a template against the merge-field catalogue
  (:data:`~relationship_mgmt.domain.mailmerge.MERGE_FIELDS`) and renders it with a
  context of plain values; the library ships
  :class:`~relationship_mgmt.adapters.mailmerge.JinjaRenderer` (extra ``mailmerge``);
* an :class:`Outbox` takes one
  :class:`~relationship_mgmt.domain.mailmerge.OutgoingMessage` at a time; the
  library ships :class:`~relationship_mgmt.adapters.delivery.EmlOutbox` (one
  ``.eml`` file per message, for a mail client or a relay to pick up) and
  :class:`~relationship_mgmt.adapters.delivery.InMemoryOutbox`.

An outbox is not part of a unit of work: the service commits the log first (the
entries' Delivery Status In Progress), then delivers, then records Delivery Status
``' '`` or Error per entry (§3.7).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

from relationship_mgmt.domain.mailmerge import OutgoingMessage

__all__ = ["MergeRenderer", "Outbox"]


class MergeRenderer(Protocol):
    """Checks and renders mail-merge templates (reliability.md B.6).

    A renderer must not let a template reach anything but the context it is
    given, must treat a missing value as an error (never as an empty string), must
    escape values in HTML, and must bound the template's source size, output size
    and time.
    """

    def check(
        self, source: str, *, name: str, fields: Mapping[str, Collection[str]]
    ) -> None:
        """Check a template before anything is rendered with it.

        Args:
            source: The template text.
            name: What to call the template in errors.
            fields: The merge fields the template may use: record → field names.

        Raises:
            TemplateError: A syntax error, or a record or field outside ``fields``.
            TemplateSecurityError: Something the sandbox would refuse (an
                ``{% include %}``, an attribute starting with ``_``).
            TemplateLimitError: The source is larger than the renderer's cap.
        """
        ...

    def render(
        self,
        source: str,
        context: Mapping[str, Mapping[str, str]],
        *,
        name: str,
        html: bool = False,
    ) -> str:
        """Render a template with a context of plain values.

        Args:
            source: The template text.
            context: The merge fields' values: record → field → text.
            name: What to call the template in errors.
            html: Escape the values for HTML (autoescape).

        Returns:
            The merged text.

        Raises:
            TemplateError: Any fault while rendering (a field with no value ...),
                with the engine's own exception as ``__cause__``.
            TemplateSecurityError: The sandbox refused an operation.
            TemplateLimitError: The source, the output or the time went past a cap.
            MissingOptionalDependencyError: The renderer's engine is not installed.
        """
        ...


class Outbox(Protocol):
    """Takes merged messages for sending or printing (§4.9).

    Delivering the same message twice (after an Error, say) must be harmless: an
    outbox keyed by the message's entry or Message-ID replaces the earlier copy.
    """

    def deliver(self, message: OutgoingMessage) -> str:
        """Hand one message over and return a reference to it.

        Returns:
            What identifies the delivered message in this outbox (a file name, a
            Message-ID, a provider's id).

        Raises:
            DeliveryError: The outbox could not take the message; nothing of it is
                left half written.
        """
        ...
