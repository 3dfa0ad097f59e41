"""The ``relmgmt`` command line (extra ``cli``: click + rich)."""

from __future__ import annotations

try:
    import click as _click  # noqa: F401
    import rich as _rich  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised only without the extra
    from relationship_mgmt.errors import MissingOptionalDependencyError

    raise MissingOptionalDependencyError("cli", "the relmgmt command line") from error

from relationship_mgmt.cli.main import cli, main

__all__ = ["cli", "main"]
