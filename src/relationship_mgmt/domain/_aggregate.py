"""The base class every aggregate shares: a version and a list of pending events."""

from __future__ import annotations

from attrs import define, field

__all__ = ["AggregateRoot"]


@define(kw_only=True)
class AggregateRoot:
    """Base of every aggregate: an optimistic-concurrency ``version`` and pending events.

    ``version`` belongs to persistence: domain code reads it and never bumps it; the
    storage adapter checks and increments it when it writes the aggregate. Events
    recorded by business methods wait in a private list (neither compared nor
    serialized) until a unit of work collects them after commit.
    """

    version: int = 0
    _pending: list[object] = field(factory=list, init=False, eq=False, repr=False)

    def _record(self, event: object) -> None:
        self._pending.append(event)

    def pull_events(self) -> list[object]:
        """Return the events recorded since the last call and forget them."""
        events, self._pending = self._pending, []
        return events
