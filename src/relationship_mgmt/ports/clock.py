"""The clock port: where the library asks for the time and the work date."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    """Tells the current time and the user's work date.

    The domain never reads a clock; services ask one and pass the values down.
    ``SystemClock`` (``relationship_mgmt.adapters.system``) reads the system clock;
    ``FrozenClock`` (``relationship_mgmt.testing``) stands still for tests.
    """

    def now(self) -> datetime:
        """Return the current instant as an aware datetime in UTC."""
        ...

    def workdate(self) -> date:
        """Return the work date (BC ``WORKDATE``): the date business entries use.

        It defaults to today's date but a user may work "as of" another date.
        """
        ...
