"""The base class every aggregate shares: a version and a list of pending events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs
from attrs import Attribute, define, field

from relationship_mgmt.errors import ValidationError

__all__ = ["AggregateRoot", "copy_sharing_fields"]

_A = TypeVar("_A", bound="AggregateRoot")


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


def copy_sharing_fields(aggregate: _A, memo: dict[int, object]) -> _A:
    """Deep-copy an aggregate whose fields all hold immutable values.

    The fields are shared (texts, numbers, codes, dates, enums, tuples of frozen
    records); only the pending events get a list of their own. An aggregate whose
    fields are all immutable uses it as its ``__deepcopy__``, so that storage
    adapters, which copy on every read, read it cheaply.
    """
    cls = type(aggregate)
    copier = _COPIERS.get(cls)
    if copier is None:
        copier = _COPIERS[cls] = _make_copier(cls)
    clone: _A = copier(aggregate)
    clone._pending = list(aggregate._pending)  # noqa: SLF001
    memo[id(aggregate)] = clone
    return clone


def _make_copier(cls: type[_A]) -> Callable[[_A], _A]:
    """Build a function that copies every field of ``cls`` slot by slot.

    Like attrs' own generated methods, it is compiled once per class: one call per
    field through the slot's setter, with no loop, no frozen ``__setattr__`` and no
    validation (the values are the original's, already valid).
    """
    names = [a.name for a in attrs.fields(cls)]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = ["def copy(src):", "    clone = new(cls)"]
    for number, name in enumerate(names):
        namespace[f"set{number}"] = _slot(cls, name).__set__
        lines.append(f"    set{number}(clone, src.{name})")
    lines.append("    return clone")
    # The source is built from the class's own attrs field names only.
    exec("\n".join(lines), namespace)  # noqa: S102
    return cast("Callable[[_A], _A]", namespace["copy"])


def _slot(cls: type, name: str) -> Any:  # noqa: ANN401 - a member descriptor
    """The slot descriptor of ``name``, wherever in the class hierarchy it is."""
    return next(vars(k)[name] for k in cls.__mro__ if name in vars(k))


_COPIERS: dict[type, Callable[[Any], Any]] = {}
