"""The criteria algebra: which contacts a segment selects (§4.5, architecture.md).

Criteria are data: a small tree of frozen nodes.

* Leaves compare one field of one record type with validated values:
  :class:`Compare` (``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``), :class:`Between`,
  :class:`In`, :class:`Text` (starts with, contains, ends with) and :class:`IsBlank`.
* :class:`And`, :class:`Or` and :class:`Not` combine them (also as ``&``, ``|``, ``~``).
* :class:`Has` is a related-record quantifier: the contact has at least ``at_least``
  records of a relation (interactions, profile answers, mailing groups, industry
  groups, ...) that match its own criteria, BC's "at least one matching record" of
  §4.5. :class:`InSegment` is membership of another segment.

Every leaf names its record type and is checked when it is built: the field must be
on that record type's allow-list (:data:`RECORDS`) and the values must convert to the
field's kind. A :class:`Has` checks that its criteria are about its relation.

**Blank semantics** are BC's: a field always has a value, and a blank one (``None``
in the domain) is the empty text for text and code fields, 0 for numbers, the blank
date (before every date) for dates and false for booleans. So comparisons are
two-valued, ``~`` is the exact complement and De Morgan's laws hold; ``IsBlank``
tests for that blank value. Code fields compare their uppercase values (codes are
stored uppercase); :class:`Text` and :class:`Compare` on text may ignore case (BC's
``@``), which casefolds both sides.

The same tree :func:`compile_criteria` compiles into one Python function (cached
by the tree), :func:`explain` explains against a contact, and
:mod:`relationship_mgmt.serialization` writes to JSON.

>>> from datetime import UTC, datetime
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> c = Contact.create_company(no="CT1", name="Cronus Retail", country_code="cz",
...                            now=datetime(2026, 1, 5, tzinfo=UTC), setup=RelationshipSetup())
>>> crit = (where.country_code == "CZ") & where.name.startswith("cronus", ignore_case=True)
>>> matches(crit, c), matches(~crit, c)
(True, False)
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final, Protocol, TypeAlias

import attrs
from attrs import field, frozen

from relationship_mgmt.domain.contacts import BusinessRelationLink, Contact
from relationship_mgmt.domain.interactions import InteractionLogEntry
from relationship_mgmt.domain.opportunities import Opportunity
from relationship_mgmt.domain.profiles import ContactProfileAnswer
from relationship_mgmt.domain.tasks import Task
from relationship_mgmt.errors import ValidationError

__all__ = [
    "RECORDS",
    "And",
    "Between",
    "Compare",
    "Criteria",
    "Explanation",
    "FieldKind",
    "FieldSpec",
    "Has",
    "In",
    "InSegment",
    "IsBlank",
    "Not",
    "Op",
    "Or",
    "RecordSpec",
    "Related",
    "RelatedIndex",
    "Text",
    "TextOp",
    "CRITERIA_FORMAT",
    "CONTACT_RELATIONS",
    "CRITERIA_NODES",
    "compile_counter",
    "compile_criteria",
    "compile_picker",
    "contact_records",
    "compile_selector",
    "explain",
    "from_data",
    "matches",
    "relations_of",
    "segments_of",
    "select",
    "to_data",
    "where",
]

# --- the allow-list of fields ---------------------------------------------------------


class FieldKind(enum.StrEnum):
    """What a field holds, which decides its values, blank and comparisons."""

    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    ENUM = "enum"


_BLANK_DATE: Final = dt.date.min
"""BC's blank date 0D: before every date."""


@frozen
class FieldSpec:
    """One field a criterion may test (the allow-list, per record type).

    Attributes:
        name: The attribute on the record.
        kind: What it holds.
        options: The values of an enum field, in order.
        optional: Whether the record may hold ``None`` (a blank) there.
    """

    name: str
    kind: FieldKind
    options: tuple[str, ...] = ()
    optional: bool = False

    @property
    def blank(self) -> object:
        """The value a blank field has, as in BC ('', 0, 0D or false)."""
        return _BLANKS[self.kind]

    def value(self, raw: object) -> object:
        """Return ``raw`` as a value of this field.

        Raises:
            ValidationError: ``raw`` is not one.
        """
        return _CONVERTERS[self.kind](self, raw)


def _text(spec: FieldSpec, raw: object) -> str:
    if not isinstance(raw, str):
        raise ValidationError(spec.name, raw, "must be text")
    return raw


def _code(spec: FieldSpec, raw: object) -> str:
    return _text(spec, raw).strip().upper()


def _integer(spec: FieldSpec, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValidationError(spec.name, raw, "must be a whole number")
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(spec.name, raw, "must be a whole number") from None


def _decimal(spec: FieldSpec, raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal):
        raise ValidationError(spec.name, raw, "must be a number (int, str or Decimal)")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(spec.name, raw, "must be a number") from None
    if not number.is_finite():
        raise ValidationError(spec.name, raw, "must be a finite number")
    return number


def _date(spec: FieldSpec, raw: object) -> dt.date:
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                spec.name, raw, "must be a date (YYYY-MM-DD)"
            ) from None
    if isinstance(raw, dt.datetime) or not isinstance(raw, dt.date):
        raise ValidationError(spec.name, raw, "must be a date")
    return raw


def _boolean(spec: FieldSpec, raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValidationError(spec.name, raw, "must be true or false")
    return raw


def _option(spec: FieldSpec, raw: object) -> str:
    value = raw.value if isinstance(raw, enum.Enum) else raw
    if value not in spec.options:
        raise ValidationError(spec.name, raw, f"must be one of {list(spec.options)}")
    return str(value)


_CONVERTERS: Final[dict[FieldKind, Callable[[FieldSpec, object], object]]] = {
    FieldKind.TEXT: _text,
    FieldKind.CODE: _code,
    FieldKind.INTEGER: _integer,
    FieldKind.DECIMAL: _decimal,
    FieldKind.DATE: _date,
    FieldKind.BOOLEAN: _boolean,
    FieldKind.ENUM: _option,
}
_BLANKS: Final[dict[FieldKind, object]] = {
    FieldKind.TEXT: "",
    FieldKind.CODE: "",
    FieldKind.INTEGER: 0,
    FieldKind.DECIMAL: Decimal(0),
    FieldKind.DATE: _BLANK_DATE,
    FieldKind.BOOLEAN: False,
    FieldKind.ENUM: "",
}


def _kind(hint: object) -> FieldSpec | None:
    """The spec of a domain attribute's type (unnamed), or ``None`` when skipped."""
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            return None
        hint, optional = args[0], True
    if isinstance(hint, type) and issubclass(hint, enum.StrEnum):
        options = tuple(str(member.value) for member in hint)
        return FieldSpec("", FieldKind.ENUM, options, optional)
    if getattr(hint, "__supertype__", None) is str:
        return FieldSpec("", FieldKind.CODE, (), optional)
    simple: dict[object, FieldKind] = {
        str: FieldKind.TEXT,
        bool: FieldKind.BOOLEAN,
        int: FieldKind.INTEGER,
        Decimal: FieldKind.DECIMAL,
        dt.date: FieldKind.DATE,
    }
    found = simple.get(hint)
    return None if found is None else FieldSpec("", found, (), optional)


def _fields_of(cls: type, skip: Collection[str] = ()) -> dict[str, FieldSpec]:
    hints = typing.get_type_hints(cls)
    specs: dict[str, FieldSpec] = {}
    for attribute in attrs.fields(cls):
        name = attribute.name
        if name.startswith("_") or name in skip or name == "version":
            continue
        found = _kind(hints[name])
        if found is not None:
            specs[name] = attrs.evolve(found, name=name)
    return specs


@frozen
class RecordSpec:
    """A record type criteria can test, with its fields and its link to a contact.

    Attributes:
        name: The record type (``"contact"``, ``"interaction"`` ...).
        fields: The allow-list: the fields a criterion may test.
        link: How a contact's records are found (§4.5), for the documentation.
    """

    name: str
    fields: Mapping[str, FieldSpec]
    link: str

    def spec(self, name: str) -> FieldSpec:
        """Return the field's spec.

        Raises:
            ValidationError: The field is not on the allow-list.
        """
        found = self.fields.get(name)
        if found is None:
            raise ValidationError(
                "field", name, f"is not a field criteria can test on {self.name}"
            )
        return found


def _code_record(name: str, link: str, **extra: FieldKind) -> RecordSpec:
    fields = {"code": FieldSpec("code", FieldKind.CODE)}
    fields.update({key: FieldSpec(key, kind) for key, kind in extra.items()})
    return RecordSpec(name, fields, link)


RECORDS: Final[Mapping[str, RecordSpec]] = {
    spec.name: spec
    for spec in (
        RecordSpec(
            "contact",
            _fields_of(Contact, skip={"last_modified"}),
            "the contact itself",
        ),
        RecordSpec(
            "interaction",
            _fields_of(
                InteractionLogEntry,
                skip={"idempotency_key", "payload_fingerprint", "email_message_id"},
            ),
            "its interaction log entries (§4.5: Contact No. = the contact's No.)",
        ),
        RecordSpec(
            "profile_answer",
            _fields_of(ContactProfileAnswer),
            "its profile answers (Contact No.)",
        ),
        RecordSpec("opportunity", _fields_of(Opportunity), "its opportunities"),
        RecordSpec("task", _fields_of(Task), "its tasks (Contact No.)"),
        _code_record("mailing_group", "its mailing groups"),
        _code_record("job_responsibility", "its job responsibilities"),
        _code_record("industry_group", "its company's industry groups (§4.5)"),
        _code_record("web_source", "its web sources", url=FieldKind.TEXT),
        RecordSpec(
            "business_relation",
            _fields_of(BusinessRelationLink),
            "its company's business relations (§4.5)",
        ),
    )
}
"""The record types and their allow-listed fields (§4.5 and beyond)."""

_RELATIONS: Final = frozenset(RECORDS) - {"contact"}


def _record(value: object) -> str:
    if value not in RECORDS:
        raise ValidationError("record", value, f"must be one of {sorted(RECORDS)}")
    return str(value)


def _relation(value: object) -> str:
    if value not in _RELATIONS:
        raise ValidationError("relation", value, f"must be one of {sorted(_RELATIONS)}")
    return str(value)


# --- the nodes ---------------------------------------------------------------------------


class Op(enum.StrEnum):
    """A comparison of :class:`Compare`."""

    EQ = "="
    NE = "<>"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


class TextOp(enum.StrEnum):
    """A text match of :class:`Text`."""

    STARTS_WITH = "starts with"
    CONTAINS = "contains"
    ENDS_WITH = "ends with"


_PYTHON_OPS: Final = {
    Op.EQ: "==",
    Op.NE: "!=",
    Op.LT: "<",
    Op.LE: "<=",
    Op.GT: ">",
    Op.GE: ">=",
}
_ORDERED: Final = frozenset(
    {
        FieldKind.TEXT,
        FieldKind.CODE,
        FieldKind.INTEGER,
        FieldKind.DECIMAL,
        FieldKind.DATE,
    }
)


class _Node:
    """The operators every node has: ``&``, ``|`` and ``~``."""

    def __and__(self, other: Criteria) -> And:
        return And(items=(*_parts(self, And), *_parts(other, And)))

    def __or__(self, other: Criteria) -> Or:
        return Or(items=(*_parts(self, Or), *_parts(other, Or)))

    def __invert__(self) -> Criteria:
        if isinstance(self, Not):
            return self.item
        return Not(item=self)


def _parts(node: object, kind: type[And | Or]) -> tuple[Criteria, ...]:
    if not isinstance(node, _Node):
        raise ValidationError("criteria", node, "must be a criteria node")
    if isinstance(node, kind):
        return node.items
    return (typing.cast("Criteria", node),)


def _op(value: object) -> Op:
    try:
        return Op(typing.cast("str", value))
    except ValueError:
        raise ValidationError(
            "op", value, f"must be one of {[o.value for o in Op]}"
        ) from None


def _text_op(value: object) -> TextOp:
    try:
        return TextOp(typing.cast("str", value))
    except ValueError:
        raise ValidationError(
            "op", value, f"must be one of {[o.value for o in TextOp]}"
        ) from None


@frozen
class _Leaf(_Node):
    """A test of one field of one record type."""

    record: str = field(converter=_record)
    field: str = field()

    @property
    def spec(self) -> FieldSpec:
        """The field's spec."""
        return RECORDS[self.record].spec(self.field)

    def __attrs_post_init__(self) -> None:
        self.spec  # noqa: B018 - refuse a field off the allow-list


@frozen
class Compare(_Leaf):
    """``field op value`` (BC's ``=``, ``<>``, ``<`` ...), blanks as BC's values.

    ``ignore_case`` (BC's ``@``) is allowed on text fields only.

    Raises:
        ValidationError: An unknown record or field, an operator the field does not
            order by, or a value of the wrong kind.

    >>> Compare(record="contact", field="country_code", op="=", value="cz").value
    'CZ'
    """

    op: Op = field(converter=_op)
    value: object = field()
    ignore_case: bool = False

    def __attrs_post_init__(self) -> None:
        spec = self.spec
        if self.op not in (Op.EQ, Op.NE) and spec.kind not in _ORDERED:
            raise ValidationError(
                "op", self.op.value, f"does not order {spec.kind.value}"
            )
        if self.ignore_case and spec.kind is not FieldKind.TEXT:
            raise ValidationError("ignore_case", self.ignore_case, "is for text fields")
        object.__setattr__(self, "value", spec.value(self.value))


@frozen
class Between(_Leaf):
    """``low <= field <= high`` (BC's ``low..high``).

    Raises:
        ValidationError: A field without an order or values of the wrong kind.
    """

    low: object = field()
    high: object = field()

    def __attrs_post_init__(self) -> None:
        spec = self.spec
        if spec.kind not in _ORDERED:
            raise ValidationError(
                "field", self.field, f"{spec.kind.value} has no range"
            )
        object.__setattr__(self, "low", spec.value(self.low))
        object.__setattr__(self, "high", spec.value(self.high))


def _values(value: object) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("values", value, "must be a collection of values")
    return tuple(value)


@frozen
class In(_Leaf):
    """``field`` equals one of ``values`` (BC's ``A|B|C``); none: never true.

    Raises:
        ValidationError: A value of the wrong kind.
    """

    values: tuple[object, ...] = field(converter=_values)

    def __attrs_post_init__(self) -> None:
        spec = self.spec
        unique = dict.fromkeys(spec.value(v) for v in self.values)
        object.__setattr__(self, "values", tuple(unique))


@frozen
class Text(_Leaf):
    """``field`` starts with, contains or ends with ``value`` (BC's ``A*``, ``*A*``).

    Raises:
        ValidationError: A field that is not text or code, or a value not text.
    """

    op: TextOp = field(converter=_text_op)
    value: str = field()
    ignore_case: bool = False

    def __attrs_post_init__(self) -> None:
        spec = self.spec
        if spec.kind not in (FieldKind.TEXT, FieldKind.CODE):
            raise ValidationError("field", self.field, "is not text")
        value = spec.value(self.value)
        if self.ignore_case or spec.kind is FieldKind.CODE:
            object.__setattr__(self, "ignore_case", spec.kind is FieldKind.TEXT)
        object.__setattr__(self, "value", value)


@frozen
class IsBlank(_Leaf):
    """``field`` is blank: '' for text and code, 0, the blank date, false (BC's ``''``)."""


def _items(value: object) -> tuple[Criteria, ...]:
    items = _values(value)
    for item in items:
        if not isinstance(item, _Node):
            raise ValidationError("items", item, "must be criteria nodes")
    return items  # type: ignore[return-value]


@frozen
class And(_Node):
    """Every item holds (none: true)."""

    items: tuple[Criteria, ...] = field(converter=_items)


@frozen
class Or(_Node):
    """At least one item holds (none: false)."""

    items: tuple[Criteria, ...] = field(converter=_items)


def _item(value: object) -> Criteria:
    if not isinstance(value, _Node):
        raise ValidationError("item", value, "must be a criteria node")
    return value  # type: ignore[return-value]


@frozen
class Not(_Node):
    """The item does not hold: the exact complement (two-valued, see the module)."""

    item: Criteria = field(converter=_item)


def _at_least(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("at_least", value, "must be a whole number >= 1")
    return value


def _optional_item(value: object) -> Criteria | None:
    return None if value is None else _item(value)


@frozen
class Has(_Node):
    """The contact has at least ``at_least`` records of ``relation`` matching ``where``.

    BC's rule for a related table of §4.5 ("at least one matching record"); without
    ``where`` any record counts.

    Raises:
        ValidationError: An unknown relation, or criteria about another record type.

    >>> Has(relation="industry_group",
    ...     where=Compare(record="industry_group", field="code", op="=", value="retail")).relation
    'industry_group'
    """

    relation: str = field(converter=_relation)
    where: Criteria | None = field(default=None, converter=_optional_item)
    at_least: int = field(default=1, converter=_at_least)

    def __attrs_post_init__(self) -> None:
        if self.where is not None:
            for leaf in _leaves(self.where):
                if leaf.record != self.relation:
                    raise ValidationError(
                        "where",
                        leaf.record,
                        f"tests another record than {self.relation}",
                    )


def _segment_no(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("segment_no", value, "must be a segment number")
    return value.strip().upper()


@frozen
class InSegment(_Node):
    """The contact is on segment ``segment_no``'s lines."""

    segment_no: str = field(converter=_segment_no)


Criteria: TypeAlias = (
    Compare | Between | In | Text | IsBlank | And | Or | Not | Has | InSegment
)
"""Any criteria node, the root of a tree."""

_LEAVES: Final = (Compare, Between, In, Text, IsBlank)
CRITERIA_NODES: Final = (*_LEAVES, And, Or, Not, Has, InSegment)
"""Every node class (for ``isinstance``)."""


def _leaves(node: Criteria) -> Iterable[_Leaf]:
    """The leaves of ``node`` outside nested :class:`Has` nodes."""
    if isinstance(node, _LEAVES):
        yield node
    elif isinstance(node, And | Or):
        for item in node.items:
            yield from _leaves(item)
    elif isinstance(node, Not):
        yield from _leaves(node.item)


def segments_of(node: Criteria) -> frozenset[str]:
    """Return the segments ``node`` refers to, nested ones included (cycle checks)."""
    if isinstance(node, InSegment):
        return frozenset({node.segment_no})
    if isinstance(node, And | Or):
        return frozenset().union(*(segments_of(item) for item in node.items))
    if isinstance(node, Not):
        return segments_of(node.item)
    if isinstance(node, Has) and node.where is not None:
        return segments_of(node.where)
    return frozenset()


# --- related records ------------------------------------------------------------------------


class Related(Protocol):
    """Finds a contact's related records and segment members for the evaluator."""

    def related(self, relation: str, contact: Contact) -> Iterable[object]:
        """Return the contact's records of ``relation`` (§4.5 links)."""
        ...

    def segment_members(self, segment_no: str) -> Collection[str]:
        """Return the contact numbers on the segment's lines."""
        ...

    def related_within(
        self, relation: str, contact: Contact, field: str, low: dt.date, high: dt.date
    ) -> Iterable[object]:
        """Return the contact's records of ``relation`` whose date may be in range.

        Every record whose ``field`` (a date; blank is BC's 0D) lies within
        ``low``..``high`` must be among them; others may be too (returning all of
        :meth:`related` is correct, only slower). The evaluator asks for this when
        a related-record test bounds a date, so an index can skip the rest.
        """
        ...


@frozen
class _CodeRow:
    code: str
    url: str = ""


CONTACT_RELATIONS: Final = frozenset(
    {
        "mailing_group",
        "job_responsibility",
        "web_source",
        "industry_group",
        "business_relation",
    }
)
"""The relations held on the contact (or its company) itself."""


def contact_records(relation: str, contact: Contact, company: Contact) -> list[object]:
    """Return the records of a relation held on the contact or its company (§4.5).

    Mailing groups, job responsibilities and web sources are the contact's;
    industry groups and business relations its ``company``'s (for a company,
    itself).

    Raises:
        ValidationError: ``relation`` is not one of :data:`CONTACT_RELATIONS`.
    """
    if relation == "mailing_group":
        return [_CodeRow(code) for code in sorted(contact.mailing_groups)]
    if relation == "job_responsibility":
        return [_CodeRow(code) for code in sorted(contact.job_responsibilities)]
    if relation == "web_source":
        return [_CodeRow(c, url) for c, url in sorted(contact.web_sources.items())]
    if relation == "industry_group":
        return [_CodeRow(code) for code in sorted(company.industry_groups)]
    if relation == "business_relation":
        links: list[BusinessRelationLink] = sorted(
            company.business_relations, key=lambda link: link.code
        )
        return list(links)
    raise ValidationError("relation", relation, "is not held on the contact")


def relations_of(node: Criteria) -> frozenset[str]:
    """Return the relations the tree's quantifiers read, nested ones included.

    >>> sorted(relations_of(where.mailing_group("NEWS") | where.has("interaction")))
    ['interaction', 'mailing_group']
    """
    if isinstance(node, Has):
        inner = frozenset() if node.where is None else relations_of(node.where)
        return frozenset({node.relation}) | inner
    if isinstance(node, And | Or):
        return frozenset().union(*(relations_of(item) for item in node.items))
    if isinstance(node, Not):
        return relations_of(node.item)
    return frozenset()


class RelatedIndex:
    """:class:`Related` over records held in memory, indexed by contact once.

    Mailing groups, job responsibilities and web sources come from the contact;
    industry groups and business relations from its company (§4.5), looked up in
    ``contacts``.

    Args:
        contacts: Every contact (for the company look-ups).
        interactions: Interaction log entries.
        opportunities: Opportunities.
        tasks: Tasks.
        profile_answers: Contact profile answers.
        segments: Segment number -> the contact numbers on its lines.
    """

    def __init__(
        self,
        contacts: Iterable[Contact] = (),
        *,
        interactions: Iterable[InteractionLogEntry] = (),
        opportunities: Iterable[Opportunity] = (),
        tasks: Iterable[Task] = (),
        profile_answers: Iterable[ContactProfileAnswer] = (),
        segments: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        self._contacts = {c.no: c for c in contacts}
        self._by: dict[str, dict[str, list[object]]] = {
            "interaction": _by_contact(interactions),
            "opportunity": _by_contact(opportunities),
            "task": _by_contact(tasks),
            "profile_answer": _by_contact(profile_answers),
        }
        self._segments = {k.upper(): frozenset(v) for k, v in (segments or {}).items()}
        self._sorted: dict[tuple[str, str, str], tuple[list[Any], list[object]]] = {}
        self._everyone: dict[
            tuple[str, str, str], dict[object, tuple[list[Any], list[Any], list[str]]]
        ] = {}
        self._counts: dict[str, int] = {}

    def related(self, relation: str, contact: Contact) -> Iterable[object]:
        """Return the contact's records of ``relation``."""
        if relation in self._by:
            return self._by[relation].get(contact.no, ())
        company = self._contacts.get(contact.company_no or contact.no, contact)
        return contact_records(relation, contact, company)

    def segment_members(self, segment_no: str) -> Collection[str]:
        """Return the contact numbers on the segment's lines."""
        return self._segments.get(segment_no, frozenset())

    def related_within(
        self, relation: str, contact: Contact, field: str, low: dt.date, high: dt.date
    ) -> Iterable[object]:
        """Return the contact's records of ``relation`` with ``field`` in range.

        A contact's records are sorted by the field the first time a range is asked
        of them (kept for later queries), then the range is found by bisection.
        """
        key = (relation, field, contact.no)
        found = self._sorted.get(key)
        if found is None:
            records = self.related(relation, contact)
            read = operator.attrgetter(field)
            ordered = sorted(records, key=lambda r: read(r) or _BLANK_DATE)
            found = self._sorted[key] = (
                [read(r) or _BLANK_DATE for r in ordered],
                ordered,
            )
        days, ordered = found
        return ordered[bisect.bisect_left(days, low) : bisect.bisect_right(days, high)]

    def count(self, relation: str) -> int:
        """Return how many records of ``relation`` are held (0 for the contacts' own)."""
        found = self._counts.get(relation)
        if found is None:
            by = self._by.get(relation, {})
            found = self._counts[relation] = sum(map(len, by.values()))
        return found

    def sorted_by(self, relation: str, field: str, key: str = "") -> bool:
        """Return whether :meth:`records_within` has sorted the records that way."""
        return (relation, field, key) in self._everyone

    def records_within(
        self,
        relation: str,
        field: str,
        low: dt.date,
        high: dt.date,
        *,
        key: tuple[str, Collection[object]] | None = None,
        owners: bool = False,
    ) -> list[Any]:
        """Return every contact's records of ``relation`` with ``field`` in range.

        With ``key=(name, values)`` only those whose field ``name`` holds one of
        ``values`` (blank as BC's blank). The records are grouped by the key
        field's value and sorted by ``field`` (blank as 0D) the first time they are
        asked for that way, then each range is found by bisection. With
        ``owners`` the records' contact numbers instead of the records.
        """
        name, values = key if key is not None else ("", ("",))
        at = 2 if owners else 1
        grouped = self._everyone.get((relation, field, name))
        if grouped is None:
            grouped = self._everyone[relation, field, name] = self._group(
                relation, field, name
            )
        found: list[object] = []
        for value in dict.fromkeys(values):  # each group once
            group = grouped.get(value)
            if group is not None:
                days = group[0]
                first = bisect.bisect_left(days, low)
                found += group[at][first : bisect.bisect_right(days, high, first)]
        return found

    def _group(
        self, relation: str, field: str, name: str
    ) -> dict[object, tuple[list[Any], list[Any], list[str]]]:
        read = operator.attrgetter(field)
        groups: dict[object, list[Any]] = {}
        if name:
            blank = RECORDS[relation].spec(name).blank
            read_key = operator.attrgetter(name)
            for records in self._by[relation].values():
                for r in records:
                    groups.setdefault(read_key(r) or blank, []).append(r)
        else:
            groups[""] = [r for rs in self._by[relation].values() for r in rs]
        grouped = {}
        for value, group in groups.items():
            ordered = sorted(group, key=lambda r: read(r) or _BLANK_DATE)
            days = [read(r) or _BLANK_DATE for r in ordered]
            grouped[value] = (days, ordered, [r.contact_no for r in ordered])
        return grouped


def _by_contact(records: Iterable[Any]) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for record in records:
        if record.contact_no is not None:
            found.setdefault(record.contact_no, []).append(record)
    return found


_NOTHING: Final = RelatedIndex()


# --- the compiled evaluator -------------------------------------------------------------------


def _read(var: str, spec: FieldSpec) -> str:
    """Python source reading ``spec``'s field of ``var`` as BC's value.

    A field that is never ``None`` is read as is (a ``StrEnum`` member equals its
    value); a blank one becomes its kind's blank through ``or``: ``None`` and the
    falsy values of each kind are all that kind's blank.
    """
    access = f"{var}.{spec.name}"
    if not spec.optional:
        return access
    blank = {FieldKind.DATE: "_BLANK_DATE", FieldKind.DECIMAL: "_ZERO"}.get(
        spec.kind, repr(spec.blank)
    )
    return f"({access} or {blank})"


_CONSTANTS: Final[dict[tuple[type, object], str]] = {}
"""Date and Decimal literals of compiled trees, by value: built once, not per row."""


def _literal(value: object) -> str:
    """Python source of a validated literal.

    ``repr`` for text, numbers and booleans; for dates and Decimals a module
    constant, made once from the value itself, so no row builds it again.
    """
    if not isinstance(value, dt.date | Decimal):
        return repr(value)
    key = (type(value), value)
    name = _CONSTANTS.get(key)
    if name is None:
        name = _CONSTANTS[key] = f"_k{len(_CONSTANTS)}"
        _GLOBALS[name] = value
    return name


class _Compiler:
    """Turns a tree into Python source; records are ``r0`` (the contact), ``r1`` ..."""

    def __init__(self) -> None:
        self.depth = 0

    def source(self, node: Criteria, var: str) -> str:
        """The Python expression of ``node`` on the record in ``var``."""
        method: Callable[[Any, str], str] = getattr(
            self, f"_{type(node).__name__.lower()}"
        )
        return method(node, var)

    @staticmethod
    def _compare(node: Compare, var: str) -> str:
        read = _read(var, node.spec)
        value = _literal(node.value)
        if node.ignore_case:
            read, value = f"{read}.casefold()", repr(str(node.value).casefold())
        return f"({read} {_PYTHON_OPS[node.op]} {value})"

    @staticmethod
    def _between(node: Between, var: str) -> str:
        read = _read(var, node.spec)
        return f"({_literal(node.low)} <= {read} <= {_literal(node.high)})"

    @staticmethod
    def _in(node: In, var: str) -> str:
        if not node.values:
            return "False"
        values = ", ".join(_literal(v) for v in node.values)
        return f"({_read(var, node.spec)} in ({values},))"

    @staticmethod
    def _text(node: Text, var: str) -> str:
        read = _read(var, node.spec)
        value = node.value
        if node.ignore_case:
            read, value = f"{read}.casefold()", value.casefold()
        if node.op is TextOp.CONTAINS:
            return f"({value!r} in {read})"
        method = "startswith" if node.op is TextOp.STARTS_WITH else "endswith"
        return f"{read}.{method}({value!r})"

    @staticmethod
    def _isblank(node: IsBlank, var: str) -> str:
        spec = node.spec
        return f"({_read(var, spec)} == {_literal(spec.blank)})"

    def _and(self, node: And, var: str) -> str:
        if not node.items:
            return "True"
        ordered = sorted(node.items, key=_cost)
        return "(" + " and ".join(self.source(i, var) for i in ordered) + ")"

    def _or(self, node: Or, var: str) -> str:
        if not node.items:
            return "False"
        ordered = sorted(node.items, key=_cost)
        return "(" + " or ".join(self.source(i, var) for i in ordered) + ")"

    def _not(self, node: Not, var: str) -> str:
        return f"(not {self.source(node.item, var)})"

    @staticmethod
    def _insegment(node: InSegment, _var: str) -> str:
        return f"(r0.no in x.segment_members({node.segment_no!r}))"

    def _has(self, node: Has, _var: str = "r0") -> str:
        self.depth += 1
        inner = f"r{self.depth}"
        test = "True" if node.where is None else self.source(node.where, inner)
        records = f"x.related({node.relation!r}, r0)"
        window = _date_window(node.where)
        if window is not None:
            name, low, high = window
            records = (
                f"x.related_within({node.relation!r}, r0, {name!r},"
                f" {_literal(low)}, {_literal(high)})"
            )
        if node.at_least == 1:
            return f"any({test} for {inner} in {records})"
        return f"(sum(1 for {inner} in {records} if {test}) >= {node.at_least})"


def _date_window(where: Criteria | None) -> tuple[str, dt.date, dt.date] | None:
    """The date range a related-record test bounds: ``(field, low, high)``, or ``None``.

    The first date field that a leaf of ``where`` (or of its top-level ``And``)
    bounds with ``=``, ``<``, ``<=``, ``>``, ``>=`` or ``..``; the range holds every
    record that can meet ``where`` (``<`` and ``>`` are widened to ``<=``, ``>=``).
    """
    items = where.items if isinstance(where, And) else (where,)
    chosen: str | None = None
    low, high = _BLANK_DATE, dt.date.max
    for item in items:
        if (
            not isinstance(item, Compare | Between)
            or item.spec.kind is not FieldKind.DATE
        ):
            continue
        if isinstance(item, Compare) and item.op is Op.NE:
            continue
        if chosen is None:
            chosen = item.spec.name
        elif item.spec.name != chosen:
            continue
        if isinstance(item, Between):
            first, last = item.low, item.high
        else:
            value = typing.cast("dt.date", item.value)
            first = value if item.op in {Op.EQ, Op.GE, Op.GT} else _BLANK_DATE
            last = value if item.op in {Op.EQ, Op.LE, Op.LT} else dt.date.max
        low = max(low, typing.cast("dt.date", first))
        high = min(high, typing.cast("dt.date", last))
    if chosen is None:
        return None
    return chosen, low, high


def _cost(node: Criteria) -> int:
    """Cheap, selective tests first; related records and segments last (§2.3)."""
    if isinstance(node, Has | InSegment):
        return 3
    if isinstance(node, And | Or | Not):
        return 2 if any(isinstance(n, Has | InSegment) for n in _walk(node)) else 1
    return 0


def _walk(node: Criteria) -> Iterable[Criteria]:
    """``node`` and the nodes under it, down to leaves and quantifiers."""
    yield node
    if isinstance(node, And | Or):
        for item in node.items:
            yield from _walk(item)
    elif isinstance(node, Not):
        yield from _walk(node.item)


_GLOBALS: Final[dict[str, object]] = {
    "__builtins__": {"any": any, "sum": sum},
    "_BLANK_DATE": _BLANK_DATE,
    "_ZERO": Decimal(0),
}

Predicate: TypeAlias = Callable[[Contact, Related], bool]


def _define(code: str, name: str, doc: str) -> Callable[..., Any]:
    """Run generated source and return the function ``name`` it defines.

    The source is made only of allow-listed field names and the ``repr`` of
    validated literals; ``doc`` (the expression) becomes the function's docstring.
    """
    namespace: dict[str, Any] = {}
    exec(compile(code, "<criteria>", "exec"), dict(_GLOBALS), namespace)  # noqa: S102
    function: Callable[..., Any] = namespace[name]
    function.__doc__ = doc
    return function


def _contact_expression(criteria: Criteria) -> str:
    for leaf in _leaves(criteria):
        if leaf.record != "contact":
            raise ValidationError("record", leaf.record, "criteria select contacts")
    return _Compiler().source(criteria, "r0")


def _node(criteria: object) -> Criteria:
    """Refuse anything but a criteria tree before it reaches a cache or the compiler."""
    if not isinstance(criteria, CRITERIA_NODES):
        raise ValidationError("criteria", criteria, "must be a criteria tree")
    return criteria


def compile_criteria(criteria: Criteria) -> Predicate:
    """Compile a tree into one Python function ``(contact, related) -> bool``.

    The function is generated once and cached by the tree (nodes are hashable
    values). Field names come from the allow-list and literals only through the
    ``repr`` of validated values, so nothing the caller wrote becomes code. Cheap
    leaves run first and related records last, only for the contacts that survive.

    Raises:
        ValidationError: Not a tree, or it tests another record than a contact.

    >>> test = compile_criteria(where.no.isin(["CT1", "CT2"]))
    >>> print(test.__doc__)
    (r0.no in ('CT1', 'CT2',))
    """
    return _compile_criteria(_node(criteria))


@functools.lru_cache(maxsize=512)
def _compile_criteria(criteria: Criteria) -> Predicate:
    """Compile a tree into one Python function ``(contact, related) -> bool``.

    The function is generated once and cached by the tree (nodes are hashable
    values). Field names come from the allow-list and literals only through the
    ``repr`` of validated values, so nothing the caller wrote becomes code. Cheap
    leaves run first and related records last, only for the contacts that survive.

    Raises:
        ValidationError: The top-level criteria test another record than a contact.
    """
    expression = _contact_expression(criteria)
    code = f"def predicate(r0, x):\n    return {expression}\n"
    predicate: Predicate = _define(code, "predicate", expression)
    return predicate


Selector: TypeAlias = Callable[[Iterable[Contact], Related], list[str]]


def compile_selector(criteria: Criteria) -> Selector:
    """Compile a tree into one function ``(contacts, related) -> [their numbers]``.

    The test of :func:`compile_criteria` inlined in a list comprehension, so no
    function is called per contact; cached by the tree.

    Raises:
        ValidationError: Not a tree, or it tests another record than a contact.
    """
    return _compile_selector(_node(criteria))


@functools.lru_cache(maxsize=512)
def _compile_selector(criteria: Criteria) -> Selector:
    """Compile a tree into one function ``(contacts, related) -> [their numbers]``.

    The test of :func:`compile_criteria` inlined in a list comprehension, so no
    function is called per contact.

    Raises:
        ValidationError: The top-level criteria test another record than a contact.
    """
    expression = _contact_expression(criteria)
    code = (
        "def selector(contacts, x):\n"
        f"    return [r0.no for r0 in contacts if {expression}]\n"
    )
    selector: Selector = _define(code, "selector", expression)
    return selector


Counter: TypeAlias = Callable[[Iterable[Any]], dict[str, int]]


@functools.lru_cache(maxsize=512)
def compile_counter(where: Criteria | None) -> Counter:
    """Compile a related-record test into ``records -> {contact no.: how many met}``.

    For evaluating :class:`Has` from the records' side (``ContactIndex``): the
    records of one relation, each counted for its ``contact_no`` when it meets
    ``where`` (every record when ``None``). ``where`` may hold no quantifier.

    Raises:
        ValidationError: ``where`` holds a :class:`Has` or :class:`InSegment`.
    """
    if where is not None and any(isinstance(n, Has | InSegment) for n in _walk(where)):
        raise ValidationError("where", where, "must test the records' own fields")
    test = "True" if where is None else _Compiler().source(where, "r1")
    code = (
        "def counter(records):\n"
        "    found = {}\n"
        "    get = found.get\n"
        "    for r1 in records:\n"
        f"        if {test}:\n"
        "            no = r1.contact_no\n"
        "            found[no] = get(no, 0) + 1\n"
        "    return found\n"
    )
    counter: Counter = _define(code, "counter", test)
    return counter


Picker: TypeAlias = Callable[[Iterable[int], Sequence[Contact], Related], list[int]]


@functools.lru_cache(maxsize=512)
def compile_picker(criteria: Criteria) -> Picker:
    """Compile a tree into ``(positions, contacts, related) -> [the positions met]``.

    The selector of :func:`compile_selector` over chosen positions of a sequence,
    for an index that has narrowed the contacts down (``ContactIndex``); cached by
    the tree, which must be checked first (:func:`compile_criteria` does).
    """
    expression = _contact_expression(criteria)
    code = (
        "def picker(rows, contacts, x):\n"
        f"    return [i for i in rows for r0 in (contacts[i],) if {expression}]\n"
    )
    picker: Picker = _define(code, "picker", expression)
    return picker


def select(
    criteria: Criteria, contacts: Iterable[Contact], related: Related | None = None
) -> list[str]:
    """Return the numbers of the contacts that meet the criteria, in their order.

    >>> from datetime import UTC, datetime
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> day = datetime(2026, 1, 5, tzinfo=UTC)
    >>> people = [Contact.create_person(no=f"CT{n}", name=name, now=day,
    ...                                 setup=RelationshipSetup())
    ...           for n, name in ((1, "Ann"), (2, "Bo"))]
    >>> select(where.name.startswith("A"), people)
    ['CT1']
    """
    return compile_selector(criteria)(contacts, related or _NOTHING)


def matches(
    criteria: Criteria, contact: Contact, related: Related | None = None
) -> bool:
    """Return whether the contact meets the criteria (the compiled predicate).

    Args:
        criteria: The tree.
        contact: The contact.
        related: Its related records and the segments; none by default.
    """
    return compile_criteria(criteria)(contact, related or _NOTHING)


# --- explain -----------------------------------------------------------------------------------


@frozen
class Explanation:
    """Why a node held or not for one contact: the proof tree of :func:`explain`.

    Attributes:
        node: The node.
        matched: Whether it held.
        reason: What was compared, with the record's value (or which record matched).
        children: The explanations of the items, of the related records tried.
    """

    node: Criteria
    matched: bool
    reason: str
    children: tuple[Explanation, ...] = ()

    def lines(self, indent: int = 0) -> list[str]:
        """The tree as indented lines: ``[x]`` held, ``[ ]`` did not."""
        mark = "[x]" if self.matched else "[ ]"
        result = [f"{'  ' * indent}{mark} {self.reason}"]
        for child in self.children:
            result.extend(child.lines(indent + 1))
        return result


def _value_of(record: object, spec: FieldSpec) -> object:
    raw = getattr(record, spec.name)
    if raw is None:
        return spec.blank
    return raw.value if isinstance(raw, enum.Enum) else raw


def _explain_leaf(node: _Leaf, record: object) -> Explanation:
    spec = node.spec
    value = _value_of(record, spec)
    shown = f"{node.record}.{node.field} = {value!r}"
    if isinstance(node, IsBlank):
        return Explanation(node, value == spec.blank, f"{shown} is blank")
    if isinstance(node, Compare):
        left, right = value, node.value
        if node.ignore_case:
            left, right = str(left).casefold(), str(right).casefold()
        held = _COMPARE[node.op](left, right)
        return Explanation(node, held, f"{shown} {node.op.value} {node.value!r}")
    if isinstance(node, Between):
        held = node.low <= value <= node.high  # type: ignore[operator]
        return Explanation(node, held, f"{shown} in {node.low!r}..{node.high!r}")
    if isinstance(node, In):
        return Explanation(
            node, value in node.values, f"{shown} in {list(node.values)!r}"
        )
    return _explain_text(node, value, shown)  # type: ignore[arg-type]


def _explain_text(node: Text, value: object, shown: str) -> Explanation:
    text, wanted = str(value), node.value
    if node.ignore_case:
        text, wanted = text.casefold(), wanted.casefold()
    if node.op is TextOp.CONTAINS:
        held = wanted in text
    elif node.op is TextOp.STARTS_WITH:
        held = text.startswith(wanted)
    else:
        held = text.endswith(wanted)
    return Explanation(node, held, f"{shown} {node.op.value} {node.value!r}")


_COMPARE: Final[dict[Op, Callable[[Any, Any], bool]]] = {
    Op.EQ: lambda a, b: a == b,
    Op.NE: lambda a, b: a != b,
    Op.LT: lambda a, b: a < b,
    Op.LE: lambda a, b: a <= b,
    Op.GT: lambda a, b: a > b,
    Op.GE: lambda a, b: a >= b,
}


def _explain(
    node: Criteria, record: object, contact: Contact, related: Related
) -> Explanation:
    if isinstance(node, _LEAVES):
        return _explain_leaf(node, record)
    if isinstance(node, And | Or):
        children = tuple(_explain(i, record, contact, related) for i in node.items)
        if isinstance(node, And):
            held = all(c.matched for c in children)
            reason = "all of" if held else "not all of"
        else:
            held = any(c.matched for c in children)
            reason = "one of" if held else "none of"
        return Explanation(node, held, reason, children)
    if isinstance(node, Not):
        inner = _explain(node.item, record, contact, related)
        return Explanation(node, not inner.matched, "not", (inner,))
    if isinstance(node, InSegment):
        held = contact.no in related.segment_members(node.segment_no)
        return Explanation(
            node, held, f"contact {contact.no} on segment {node.segment_no}"
        )
    tried = tuple(
        Explanation(node, matched=True, reason=f"{node.relation} record")
        if node.where is None
        else _explain(node.where, row, contact, related)
        for row in related.related(node.relation, contact)
    )
    count = sum(1 for t in tried if t.matched)
    held = count >= node.at_least
    reason = (
        f"{count} matching {node.relation} record(s), at least {node.at_least} wanted"
    )
    return Explanation(node, held, reason, tried)


def explain(
    criteria: Criteria, contact: Contact, related: Related | None = None
) -> Explanation:
    r"""Explain the criteria against a contact: which branch held, which failed, why.

    It agrees with :func:`matches` on every contact (a property test proves it).

    >>> from datetime import UTC, datetime
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> c = Contact.create_company(no="CT1", now=datetime(2026, 1, 5, tzinfo=UTC),
    ...                            setup=RelationshipSetup())
    >>> print("\n".join(explain((where.city == "Praha") | where.city.is_blank(), c).lines()))
    [x] one of
      [ ] contact.city = '' = 'Praha'
      [x] contact.city = '' is blank
    """
    return _explain(_node(criteria), contact, contact, related or _NOTHING)


# --- the builder --------------------------------------------------------------------------------


class FieldRef:
    """A field of a record type, with operators that build leaves.

    Its comparison operators return criteria, so it is not hashable.

    >>> (where.country_code == "CZ").op
    <Op.EQ: '='>
    """

    __slots__ = ("name", "record")
    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def __init__(self, record: str, name: str) -> None:
        self.record = record
        self.name = name

    def __repr__(self) -> str:
        return f"FieldRef({self.record!r}, {self.name!r})"

    def __eq__(self, value: object) -> Compare:  # type: ignore[override]
        return Compare(record=self.record, field=self.name, op=Op.EQ, value=value)

    def __ne__(self, value: object) -> Compare:  # type: ignore[override]
        return Compare(record=self.record, field=self.name, op=Op.NE, value=value)

    def __lt__(self, value: object) -> Compare:
        return Compare(record=self.record, field=self.name, op=Op.LT, value=value)

    def __le__(self, value: object) -> Compare:
        return Compare(record=self.record, field=self.name, op=Op.LE, value=value)

    def __gt__(self, value: object) -> Compare:
        return Compare(record=self.record, field=self.name, op=Op.GT, value=value)

    def __ge__(self, value: object) -> Compare:
        return Compare(record=self.record, field=self.name, op=Op.GE, value=value)

    def equals(self, value: object, *, ignore_case: bool = False) -> Compare:
        """``field = value``, optionally ignoring case (BC's ``@``)."""
        return Compare(
            record=self.record,
            field=self.name,
            op=Op.EQ,
            value=value,
            ignore_case=ignore_case,
        )

    def between(self, low: object, high: object) -> Between:
        """``low <= field <= high``."""
        return Between(record=self.record, field=self.name, low=low, high=high)

    def isin(self, values: Iterable[object]) -> In:
        """``field`` is one of ``values``."""
        return In(record=self.record, field=self.name, values=values)

    def startswith(self, value: str, *, ignore_case: bool = False) -> Text:
        """``field`` starts with ``value``."""
        return self._text(TextOp.STARTS_WITH, value, ignore_case)

    def contains(self, value: str, *, ignore_case: bool = False) -> Text:
        """``field`` contains ``value``."""
        return self._text(TextOp.CONTAINS, value, ignore_case)

    def endswith(self, value: str, *, ignore_case: bool = False) -> Text:
        """``field`` ends with ``value``."""
        return self._text(TextOp.ENDS_WITH, value, ignore_case)

    def is_blank(self) -> IsBlank:
        """``field`` is blank (BC's ``''``)."""
        return IsBlank(record=self.record, field=self.name)

    def _text(self, op: TextOp, value: str, ignore_case: bool) -> Text:  # noqa: FBT001
        return Text(
            record=self.record,
            field=self.name,
            op=op,
            value=value,
            ignore_case=ignore_case,
        )


class Where:
    """The builder of criteria on one record type: ``where.city == "Praha"``.

    Attributes name the record type's fields; :meth:`has` and its shortcuts build
    related-record quantifiers; :meth:`on` gives the builder of another record
    type, for the criteria inside :meth:`has`.

    >>> crit = where.has("interaction", where.on("interaction").interaction_template_code == "call")
    >>> crit.where.value
    'CALL'
    """

    def __init__(self, record: str = "contact") -> None:
        self._record = _record(record)

    def __getattr__(self, name: str) -> FieldRef:
        if name.startswith("_"):
            raise AttributeError(name)
        RECORDS[self._record].spec(name)
        return FieldRef(self._record, name)

    def field(self, name: str) -> FieldRef:
        """The field ``name`` (for names that clash with this builder's methods)."""
        RECORDS[self._record].spec(name)
        return FieldRef(self._record, name)

    @staticmethod
    def on(record: str) -> Where:
        """The builder of ``record``'s fields."""
        return Where(record)

    @staticmethod
    def has(
        relation: str, criteria: Criteria | None = None, *, at_least: int = 1
    ) -> Has:
        """At least ``at_least`` related records of ``relation`` match ``criteria``."""
        return Has(relation=relation, where=criteria, at_least=at_least)

    @staticmethod
    def in_segment(segment_no: str) -> InSegment:
        """The contact is on the segment's lines."""
        return InSegment(segment_no=segment_no)

    def _code_relation(self, relation: str, codes: tuple[str, ...]) -> Has:
        return Has(
            relation=relation, where=In(record=relation, field="code", values=codes)
        )

    def mailing_group(self, *codes: str) -> Has:
        """In one of the mailing groups."""
        return self._code_relation("mailing_group", codes)

    def industry_group(self, *codes: str) -> Has:
        """Its company is in one of the industry groups (§4.5)."""
        return self._code_relation("industry_group", codes)

    def job_responsibility(self, *codes: str) -> Has:
        """Has one of the job responsibilities."""
        return self._code_relation("job_responsibility", codes)

    def web_source(self, *codes: str) -> Has:
        """Has one of the web sources."""
        return self._code_relation("web_source", codes)

    def business_relation(self, *codes: str) -> Has:
        """Its company has one of the business relations (§4.5)."""
        return self._code_relation("business_relation", codes)

    def profile_answer(self, questionnaire_code: str, line_no: int) -> Has:
        """Answered the profile question's answer line (§4.5 Contact Profile Answer)."""
        on = Where("profile_answer")
        return Has(
            relation="profile_answer",
            where=(on.questionnaire_code == questionnaire_code)
            & (on.line_no == line_no),
        )


where: Final = Where()
"""The builder of contact criteria, as in ``where.country_code == "CZ"``."""


# --- plain data (the JSON wire format) ------------------------------------------------------

CRITERIA_FORMAT: Final = 1
"""The version of the criteria wire format written by :func:`to_data`."""

_TAGS: Final[dict[type, str]] = {
    Compare: "compare",
    Between: "between",
    In: "in",
    Text: "text",
    IsBlank: "blank",
    And: "and",
    Or: "or",
    Not: "not",
    Has: "has",
    InSegment: "in_segment",
}
_BY_TAG: Final = {tag: cls for cls, tag in _TAGS.items()}


def _plain(value: object) -> object:
    """A leaf value as JSON data: dates ISO text, Decimals text, the rest as is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_data(node: Criteria) -> dict[str, Any]:
    """Return the tree as plain data (dicts, lists, text, numbers, booleans).

    Every node is an object whose ``"node"`` names its kind; leaf values are written
    as :func:`from_data` reads them back through the field's kind (dates and
    Decimals as text).

    Raises:
        ValidationError: ``node`` is not a criteria node.

    >>> to_data(where.city == "Praha")
    {'node': 'compare', 'record': 'contact', 'field': 'city', 'op': '=', 'value': 'Praha', 'ignore_case': False}
    """
    tag = _TAGS.get(type(node))
    if tag is None:
        raise ValidationError("criteria", node, "must be a criteria node")
    data: dict[str, Any] = {"node": tag}
    for attribute in attrs.fields(type(node)):
        value = getattr(node, attribute.name)
        if attribute.name == "items":
            value = [to_data(item) for item in value]
        elif attribute.name in ("item", "where"):
            value = None if value is None else to_data(value)
        elif attribute.name == "values":
            value = [_plain(v) for v in value]
        elif isinstance(value, enum.Enum):
            value = value.value
        else:
            value = _plain(value)
        data[attribute.name] = value
    return data


def from_data(data: object) -> Criteria:
    """Rebuild a tree from :func:`to_data`'s data, checking it like a new one.

    Raises:
        ValidationError: Not an object, an unknown ``"node"``, a missing or unknown
            key, or a value its node refuses (the field's allow-list, its kind).

    >>> from_data(to_data(where.industry_group("RETAIL"))) == where.industry_group("RETAIL")
    True
    """
    if not isinstance(data, Mapping):
        raise ValidationError("criteria", data, "must be an object")
    cls = _BY_TAG.get(data.get("node"))  # type: ignore[arg-type]
    if cls is None:
        raise ValidationError(
            "node", data.get("node"), f"must be one of {sorted(_BY_TAG)}"
        )
    names = {a.name for a in attrs.fields(cls)}
    unknown = sorted(set(data) - names - {"node"})
    if unknown:
        raise ValidationError("criteria", unknown, f"unknown keys of {data['node']}")
    values: dict[str, Any] = {}
    for name in names & set(data):
        value = data[name]
        if name == "items":
            value = [from_data(item) for item in _values(value)]
        elif name == "item" or (name == "where" and value is not None):
            value = from_data(value)
        values[name] = value
    try:
        return typing.cast("Criteria", cls(**values))
    except TypeError as error:
        raise ValidationError("criteria", dict(data), str(error)) from None
