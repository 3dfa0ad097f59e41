"""The contract suites themselves."""

from __future__ import annotations

from collections import Counter

from relationship_mgmt.testing.contracts import AdapterContract


def test_no_two_contract_suites_share_a_test_name() -> None:
    """AdapterContract inherits them all: a shared name would hide one of the tests."""
    names = Counter(
        name
        for suite in AdapterContract.__mro__[1:]
        for name in vars(suite)
        if name.startswith("test_")
    )

    assert [name for name, count in names.items() if count > 1] == []
