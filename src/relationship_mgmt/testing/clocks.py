"""Clocks for tests: one that stands still and one that steps on each reading."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from relationship_mgmt.errors import ValidationError

__all__ = ["FrozenClock", "SteppingClock"]


def _aware_utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("at", at, "must be an aware datetime")
    return at.astimezone(UTC)


class FrozenClock:
    """A :class:`~relationship_mgmt.ports.Clock` that tells the same time until moved.

    Args:
        at: The instant to stand at (aware); its UTC date is the work date unless
            ``workdate`` is given.
        workdate: A work date different from the instant's date (BC lets users
            work "as of" another date).

    >>> clock = FrozenClock(datetime(2026, 1, 31, 9, 0, tzinfo=UTC))
    >>> clock.advance(relativedelta(months=1))
    >>> clock.workdate()
    datetime.date(2026, 2, 28)
    """

    def __init__(self, at: datetime, *, workdate: date | None = None) -> None:
        self._now = _aware_utc(at)
        self._workdate = workdate

    def now(self) -> datetime:
        """Return the frozen instant (aware UTC)."""
        return self._now

    def workdate(self) -> date:
        """Return the work date: the one given, or the instant's UTC date."""
        return self._workdate if self._workdate is not None else self._now.date()

    def advance(self, delta: timedelta | relativedelta) -> None:
        """Move the clock (and a given work date) forward by ``delta``."""
        self._now = self._now + delta
        if self._workdate is not None:
            self._workdate = self._workdate + delta

    def set(self, at: datetime, *, workdate: date | None = None) -> None:
        """Jump to another instant (and work date)."""
        self._now = _aware_utc(at)
        self._workdate = workdate


class SteppingClock(FrozenClock):
    """A clock that moves ``step`` forward after each :meth:`now`.

    >>> clock = SteppingClock(datetime(2026, 1, 1, tzinfo=UTC), timedelta(seconds=1))
    >>> [clock.now().second for _ in range(3)]
    [0, 1, 2]
    """

    def __init__(
        self,
        start: datetime,
        step: timedelta | relativedelta,
        *,
        workdate: date | None = None,
    ) -> None:
        super().__init__(start, workdate=workdate)
        self._step = step

    def now(self) -> datetime:
        """Return the current instant, then step forward."""
        current = super().now()
        self._now = current + self._step
        return current
