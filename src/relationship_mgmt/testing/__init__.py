"""Test support shipped to users: contract suites, clocks and hypothesis strategies.

Importing :mod:`relationship_mgmt.testing.contracts` or
:mod:`relationship_mgmt.testing.strategies` needs the ``testing`` extra (pytest,
hypothesis); the clocks need nothing extra.
"""

from relationship_mgmt.testing.clocks import FrozenClock, SteppingClock

__all__ = ["FrozenClock", "SteppingClock"]
