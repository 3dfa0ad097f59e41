"""What every ``relmgmt`` command shares: opening the workspace and FIELD=VALUE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

import relationship_mgmt as rm

__all__ = ["database_url", "parse_assignments", "parse_value", "workspace"]


def database_url(database: str) -> str:
    """Turn a ``--database`` value into a URL: a plain path means a SQLite file.

    >>> database_url("crm.db")
    'sqlite:///crm.db'
    >>> database_url("postgresql+psycopg://postgres@127.0.0.1/test")
    'postgresql+psycopg://postgres@127.0.0.1/test'
    """
    return database if "://" in database else f"sqlite:///{database}"


@contextmanager
def workspace(ctx: click.Context) -> Iterator[rm.Crm]:
    """Open the workspace named by ``--database``; library errors become messages."""
    try:
        crm = rm.open(database_url(ctx.obj["database"]))
    except rm.RelationshipMgmtError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield crm
    except rm.RelationshipMgmtError as error:
        raise click.ClickException(str(error)) from error
    finally:
        crm.close()


def parse_value(text: str) -> object:
    """Read a command-line value: yes/no as booleans, ``-`` as none, digits as int.

    >>> [parse_value(t) for t in ("yes", "off", "-", "42", "Leeds")]
    [True, False, None, 42, 'Leeds']
    """
    lowered = text.lower()
    if lowered in {"true", "yes", "on"}:
        return True
    if lowered in {"false", "no", "off"}:
        return False
    if lowered in {"", "none", "-"}:
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def parse_assignments(
    assignments: tuple[str, ...], *, raw: bool = False
) -> dict[str, object]:
    """Turn ``FIELD=VALUE`` arguments into keyword arguments.

    Args:
        assignments: The arguments.
        raw: Keep every value as text (contact fields are all text).

    Raises:
        click.BadParameter: An argument without ``=``.
    """
    changes: dict[str, object] = {}
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        if not sep:
            raise click.BadParameter(f"{assignment!r} is not FIELD=VALUE")
        value = text.strip()
        changes[name.strip()] = value if raw else parse_value(value)
    return changes
