"""The base class every aggregate shares: a version and a list of pending events."""

from __future__ import annotations

from attrs import Attribute, define, field

from relationship_mgmt.errors import ValidationError

__all__ = ["AggregateRoot"]


def _check_version(_: object, attribute: Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "must be a non-negative integer")


@define(kw_only=True)
class AggregateRoot:
    """Base of every aggregate: an optimistic-concurrency ``version`` and pending events.

    ``version`` belongs to persistence: domain code reads it and never bumps it; the
    storage adapter checks and increments it when it writes the aggregate. Events
    recorded by business methods wait in a private list (neither compared nor
    serialized) until a unit of work collects them after commit.
    """

    version: int = field(default=0, validator=_check_version)
    _pending: list[object] = field(factory=list, init=False, eq=False, repr=False)

    def _record(self, event: object) -> None:
        self._pending.append(event)

    def pull_events(self) -> list[object]:
        """Return the events recorded since the last call and forget them."""
        events, self._pending = self._pending, []
        return events
