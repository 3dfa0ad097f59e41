"""The system clock adapter."""

from __future__ import annotations

from datetime import UTC, date, datetime

__all__ = ["SystemClock"]


class SystemClock:
    """A :class:`~relationship_mgmt.ports.Clock` that reads the system clock.

    Args:
        workdate: A fixed work date (BC lets a user work "as of" a date); by
            default the work date is today's date in UTC.

    >>> clock = SystemClock()
    >>> clock.now().tzinfo is UTC
    True
    """

    def __init__(self, *, workdate: date | None = None) -> None:
        self._workdate = workdate

    def now(self) -> datetime:
        """Return the current instant, aware, in UTC."""
        return datetime.now(UTC)

    def workdate(self) -> date:
        """Return the fixed work date, or today's UTC date."""
        return self._workdate if self._workdate is not None else self.now().date()
