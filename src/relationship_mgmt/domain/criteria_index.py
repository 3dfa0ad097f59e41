r"""A bitmap index over contacts, for selecting with criteria in memory.

:func:`~relationship_mgmt.domain.criteria.select` tests every contact with the
compiled expression: about 170 ns a contact for an attribute filter over a
million (docs/performance.md). A :class:`ContactIndex` answers most of a tree
without looking at a contact. For each field a query tests whose values are few
(codes, options, flags: at most ``max_distinct`` distinct values), it keeps one
bitmap per value, an ``int`` whose bit *i* is set when contact *i* holds the value.
A leaf on such a field is the union of the bitmaps of the values it accepts (the
compiled leaf is run once per distinct value, not per contact), so it obeys BC's
blank and case rules exactly as the evaluator does.

Every node gets two bitmaps, ``sure`` and ``maybe`` with ``sure`` within
``maybe``: the contacts that certainly meet it and those that might. An indexed
leaf knows both exactly; any other test (a text search on a name, a related-record
quantifier) knows nothing: ``(none, all)``. ``And`` intersects both, ``Or`` unites
both, ``Not`` swaps them and complements. The contacts in ``sure`` are selected
without a test; only those in ``maybe`` but not in ``sure`` run through the
compiled expression, the whole tree, so the answer is always the evaluator's.
Segment membership (``InSegment``) is exact too: the members' positions.

The index is a snapshot: build a new one when the contacts change. Bitmaps are
made the first time a field is used and kept; each takes up to ``n / 8`` bytes.

>>> import datetime as dt
>>> from relationship_mgmt.domain.contacts import Contact
>>> from relationship_mgmt.domain.criteria import where
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> day = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
>>> people = [
...     Contact.create_company(no=f"CT{n}", name=name, country_code=country,
...                            now=day, setup=RelationshipSetup())
...     for n, (name, country) in enumerate(
...         [("Cronus", "CZ"), ("Fabrikam", "DK"), ("Contoso", "CZ")], start=1)
... ]
>>> index = ContactIndex(people)
>>> index.select(where.country_code == "CZ")
['CT1', 'CT3']
>>> index.select((where.country_code == "CZ") & where.name.startswith("Con"))
['CT3']
"""

from __future__ import annotations

import operator
import re
import typing
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from types import SimpleNamespace
from typing import Final, TypeAlias

from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.criteria import (
    And,
    Between,
    Compare,
    Criteria,
    Has,
    In,
    InSegment,
    Not,
    Op,
    Or,
    Related,
    RelatedIndex,
    _date_window,
    _Leaf,
    compile_counter,
    compile_criteria,
    compile_picker,
    compile_selector,
    relations_of,
    segments_of,
)
from relationship_mgmt.errors import ValidationError

__all__ = ["ContactIndex"]

_TO_DIGITS: Final = bytes.maketrans(b"\x00\x01", b"01")
_TO_FLAGS: Final = bytes.maketrans(b"01", b"\x00\x01")
_FEW: Final = 8
"""Up to this many distinct values, a bitmap is made by one C-level pass per value."""

_SPARSE: Final = 32
"""Below one position in this many, positions are found by search, not by mask."""
_ONE: Final = re.compile(b"\x01")

_PER_CANDIDATE: Final = 25
"""A contact tested for related records costs about this many records counted."""
_SORT_PAYS: Final = 4
"""Sorting all of a relation's records (done once, kept) is worth it when testing
the contacts one by one would visit at least 1 / this of them."""

_NO_RELATED: Final = RelatedIndex()

_Known: TypeAlias = dict[int, tuple[int, int]]
"""The bounds found for the items of a top-level ``And``, by the item's ``id``."""


def _bitmap(flags: bytes | bytearray) -> int:
    """The bitmap of a 0/1 byte per position (position 0 the lowest bit)."""
    return int(flags.translate(_TO_DIGITS)[::-1], 2) if flags else 0


class ContactIndex:
    """Bitmaps of the few-valued contact fields, to select without a full scan.

    Args:
        contacts: The contacts, in the order results are returned.
        max_distinct: A field with more distinct values than this is not indexed
            (its leaves are tested contact by contact, on the survivors only).

    Raises:
        ValidationError: ``max_distinct`` is below 1.
    """

    def __init__(self, contacts: Iterable[Contact], *, max_distinct: int = 512) -> None:
        given: object = max_distinct  # callers may pass anything
        if isinstance(given, bool) or not isinstance(given, int) or given < 1:
            raise ValidationError(
                "max_distinct", max_distinct, "must be a whole number of at least 1"
            )
        self._contacts: tuple[Contact, ...] = tuple(contacts)
        self._n = len(self._contacts)
        self._all = (1 << self._n) - 1
        self._max_distinct = max_distinct
        self._columns: dict[str, dict[object, int] | None] = {}
        self._leaves: dict[_Leaf, int | None] = {}
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return self._n

    @property
    def contacts(self) -> Sequence[Contact]:
        """The contacts indexed, in their order."""
        return self._contacts

    def indexed_fields(self) -> list[str]:
        """The contact fields with bitmaps so far (built when first used)."""
        return sorted(name for name, column in self._columns.items() if column)

    def select(self, criteria: Criteria, related: Related | None = None) -> list[str]:
        """Return the numbers of the contacts that meet the criteria, in their order.

        The same answer as :func:`~relationship_mgmt.domain.criteria.select` over
        :attr:`contacts`.

        Raises:
            ValidationError: Not a tree, or it tests another record than a contact.
        """
        compile_criteria(criteria)  # checks the tree
        related = related or _NO_RELATED
        known: _Known = {}
        sure, maybe = self._bounds(criteria, related, known)
        unsure = maybe & ~sure
        contacts = self._contacts
        if unsure == self._all:  # nothing known: the plain scan is the fastest
            return compile_selector(criteria)(contacts, related)
        if not unsure:
            return [contacts[i].no for i in self._rows(sure)]
        # The unsure contacts meet every exactly known part of a top-level And: only
        # the rest is tested, and only on them.
        rest = _rest(criteria, known)
        met = compile_picker(rest)(self._rows(unsure), contacts, related)
        if not sure:
            return [contacts[i].no for i in met]
        return [contacts[i].no for i in sorted([*self._rows(sure), *met])]

    def _rows(self, bits: int) -> Iterable[int]:
        """The positions of ``bits``, in order (by search when few, else by mask)."""
        flags = self._flags(bits)
        if bits.bit_count() * _SPARSE < self._n:
            return [m.start() for m in _ONE.finditer(flags)]
        return compress(range(self._n), flags)

    # --- bitmaps ----------------------------------------------------------------------------

    def _flags(self, bits: int) -> bytearray:
        """One byte per contact, 1 where ``bits`` has the contact's bit."""
        if not bits:
            return bytearray(self._n)
        digits = f"{bits:0{self._n}b}"[::-1]
        return bytearray(digits.encode("ascii").translate(_TO_FLAGS))

    def _column(self, name: str) -> dict[object, int] | None:
        """Value -> bitmap for one field, or ``None`` when it has too many values."""
        if name in self._columns:
            return self._columns[name]
        values = list(map(operator.attrgetter(name), self._contacts))
        distinct = set(values)
        column: dict[object, int] | None = None
        if len(distinct) <= self._max_distinct:
            column = {}
            if len(distinct) <= _FEW:
                for value in distinct:
                    hits = map(operator.eq, values, [value] * self._n)
                    column[value] = _bitmap(bytes(hits))
            else:
                positions: dict[object, list[int]] = {v: [] for v in distinct}
                for i, value in enumerate(values):
                    positions[value].append(i)
                for value, found in positions.items():
                    flags = bytearray(found[-1] + 1)
                    for i in found:
                        flags[i] = 1
                    column[value] = _bitmap(flags)
        self._columns[name] = column
        return column

    def _leaf(self, leaf: _Leaf) -> int | None:
        """The bitmap of the contacts that meet an indexed leaf, or ``None``."""
        if leaf in self._leaves:
            return self._leaves[leaf]
        name = leaf.spec.name
        column = self._column(name)
        bits: int | None = None
        if column is not None:
            test = compile_criteria(typing.cast("Criteria", leaf))
            bits = 0
            for value, found in column.items():
                if test(_probe(name, value), _NO_RELATED):  # type: ignore[arg-type]
                    bits |= found
        self._leaves[leaf] = bits
        return bits

    def _bits_of(self, nos: Iterable[str]) -> int:
        """The bitmap of the contacts with these numbers (others are ignored)."""
        if self._positions is None:
            self._positions = {c.no: i for i, c in enumerate(self._contacts)}
        at = self._positions
        flags = bytearray(self._n)
        for no in nos:
            i = at.get(no)
            if i is not None:
                flags[i] = 1
        return _bitmap(flags)

    def _bounds(
        self, node: Criteria, related: Related, known: _Known
    ) -> tuple[int, int]:
        """``(sure, maybe)``: who certainly meets ``node``, and who might.

        The bounds of the items of a top-level ``And`` are kept in ``known``.
        """
        everyone = self._all
        if isinstance(node, _Leaf):
            bits = self._leaf(node)
            return (0, everyone) if bits is None else (bits, bits)
        if isinstance(node, And):
            return self._and(node, related, known)
        if isinstance(node, Or):
            sure = maybe = 0
            for item in node.items:
                low, high = self._bounds(item, related, {})
                sure, maybe = sure | low, maybe | high
                if sure == everyone:
                    break
            return sure, maybe
        if isinstance(node, Not):
            low, high = self._bounds(node.item, related, {})
            return everyone & ~high, everyone & ~low
        if isinstance(node, InSegment):
            bits = self._bits_of(related.segment_members(node.segment_no))
            return bits, bits
        bits = self._has(node, related, self._n)
        return (0, everyone) if bits is None else (bits, bits)

    def _and(self, node: And, related: Related, known: _Known) -> tuple[int, int]:
        """Intersect the items' bounds, related-record tests last.

        A related-record test is answered knowing how many contacts are left.
        """
        everyone = self._all
        sure = maybe = everyone
        for item in sorted(node.items, key=lambda i: isinstance(i, Has)):
            if isinstance(item, Has):
                bits = self._has(item, related, maybe.bit_count())
                low, high = (0, everyone) if bits is None else (bits, bits)
            else:
                low, high = self._bounds(item, related, {})
            known[id(item)] = (low, high)
            sure, maybe = sure & low, maybe & high
            if not maybe:
                break
        return sure, maybe

    def _has(self, node: Has, related: Related, candidates: int) -> int | None:
        """The contacts that meet a related-record test, counted from the records.

        Only with a :class:`RelatedIndex` and a date range in the test, and only
        when the records in the range are fewer than ``_PER_CANDIDATE`` times the
        contacts still to be tested (else they are tested one by one, their own
        records found by bisection): ``None`` then.
        """
        where = node.where
        window = _date_window(where)
        if (
            window is None
            or not isinstance(related, RelatedIndex)
            or relations_of(typing.cast("Criteria", where))
            or segments_of(typing.cast("Criteria", where))
        ):
            return None
        name, low, high = window
        leaf = _key(node.where)
        key = None
        if leaf is not None:
            values = leaf.values if isinstance(leaf, In) else (leaf.value,)
            key = (leaf.spec.name, values)
        budget = candidates * _PER_CANDIDATE
        if budget * _SORT_PAYS < related.count(node.relation) and not related.sorted_by(
            node.relation, name, key[0] if key else ""
        ):
            return None  # sorting every record (once) would cost more than it saves
        rest = _untested(node.where, name, leaf)
        found = related.records_within(
            node.relation, name, low, high, key=key, owners=rest is None
        )
        if budget < len(found):
            return None
        counts = Counter(found) if rest is None else compile_counter(rest)(found)
        return self._bits_of(no for no, n in counts.items() if n >= node.at_least)


def _rest(node: Criteria, known: _Known) -> Criteria:
    """What the unsure contacts must still be tested for.

    They are within the ``maybe`` of every item of a top-level ``And``, so the
    items known exactly (``sure == maybe``) hold for them: only the others stay.
    """
    if not isinstance(node, And):
        return node
    kept = []
    for item in node.items:
        sure, maybe = known.get(id(item), (0, -1))  # unknown: kept
        if sure != maybe:
            kept.append(item)
    return kept[0] if len(kept) == 1 else And(items=tuple(kept))


def _untested(
    where: Criteria | None, name: str, key: Criteria | None
) -> Criteria | None:
    """The part of a related-record test that the records in range may not meet.

    The key leaf holds for every record looked up by it, and a date leaf on the
    window's field whose range (``=``, ``<=``, ``>=``, ``..``) contains the window
    for every record in it; ``None`` when nothing else is left.
    """
    items = where.items if isinstance(where, And) else (where,)
    kept = []
    for item in items:
        if item is key or (
            isinstance(item, Between | Compare)
            and item.spec.name == name
            and (isinstance(item, Between) or item.op in _CONTAINING)
        ):
            continue
        kept.append(typing.cast("Criteria", item))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else And(items=tuple(kept))


_CONTAINING: Final = frozenset({Op.EQ, Op.LE, Op.GE})
"""The date comparisons whose range contains the window they make."""


def _key(where: Criteria | None) -> In | Compare | None:
    """The first leaf of a related-record test that wants a field to hold some values.

    An ``=`` (with case) or an ``In`` of the test or of its top-level ``And``: its
    records are then looked up by those values (:meth:`RelatedIndex.records_within`).
    """
    items = where.items if isinstance(where, And) else (where,)
    for item in items:
        if isinstance(item, In) or (
            isinstance(item, Compare) and item.op is Op.EQ and not item.ignore_case
        ):
            return item
    return None


def _probe(name: str, value: object) -> SimpleNamespace:
    """A stand-in record holding one field, for a leaf's compiled test."""
    return SimpleNamespace(**{name: value})
