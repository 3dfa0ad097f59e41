"""``DuplicateKeyRepository.look_up`` composed from an adapter's other reads.

For adapters whose separate reads are cheap (in-process storage, SQLite); a
client-server database answers it in one statement instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.duplicates import DuplicateMethod
from relationship_mgmt.ports.repositories import (
    ContactRepository,
    DuplicateKeyRepository,
    KeyLookUp,
)

__all__ = ["compose_look_up"]


def compose_look_up(
    keys_repository: DuplicateKeyRepository,
    contacts: ContactRepository,
    separate_from: Callable[[ContactNo], Collection[ContactNo]],
    method: DuplicateMethod,
    keys: Collection[str],
    *,
    limit: int,
    excluding: ContactNo,
    fields: Collection[str],
    choose: Callable[[Mapping[str, list[tuple[ContactNo, int]]]], Collection[str]]
    | None = None,
) -> KeyLookUp:
    """Answer :meth:`~relationship_mgmt.ports.DuplicateKeyRepository.look_up`.

    Args:
        keys_repository: Answers ``holders``.
        contacts: Answers ``get_texts``.
        separate_from: The contacts marked separate from a contact.
        method: As the port method.
        keys: As the port method.
        limit: As the port method.
        excluding: As the port method.
        fields: As the port method.
        choose: As the port method: only the chosen holders' fields are read.
    """
    holders = keys_repository.holders(method, keys, limit=limit, excluding=excluding)
    wanted = sorted(
        {ContactNo(no) for no in choose(holders)}
        if choose is not None
        else {no for found in holders.values() if len(found) < limit for no, _ in found}
    )
    texts = contacts.get_texts(wanted, fields)
    apart = set(separate_from(excluding)) if texts else set()
    return KeyLookUp(
        holders=holders,
        texts=texts,
        separate=frozenset(no for no in texts if no in apart),
    )
