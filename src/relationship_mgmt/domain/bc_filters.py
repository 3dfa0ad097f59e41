"""BC filter notation for one field: ``A*|B*``, ``10..20``, ``<>0`` as criteria.

:func:`parse_filter` reads the text a Business Central user types into a field's
filter box and returns a tree of :mod:`relationship_mgmt.domain.criteria` nodes;
:func:`format_filter` writes the trees it returns back as text (the CLI shows saved
criteria that way).

>>> parse_filter("A*|B*", field="name")  # doctest: +NORMALIZE_WHITESPACE
Or(items=(Text(record='contact', field='name', op=<TextOp.STARTS_WITH: 'starts with'>,
               value='A', ignore_case=False),
          Text(record='contact', field='name', op=<TextOp.STARTS_WITH: 'starts with'>,
               value='B', ignore_case=False)))
>>> parse_filter("10..20", field="cost_lcy", record="interaction")
Between(record='interaction', field='cost_lcy', low=Decimal('10'), high=Decimal('20'))
>>> format_filter(parse_filter(">=100 & <=200", field="entry_no", record="interaction"))
'>=100&<=200'
>>> parse_filter("A&B|C", field="name")
Traceback (most recent call last):
...
relationship_mgmt.errors.ValidationError: name: mixing '&' and '|' needs parentheses (BC's docs define no precedence) at column 4 (got 'A&B|C')

The notation follows "Filter criteria and operators" in *Sort, search, and filter
data* (https://learn.microsoft.com/dynamics365/business-central/ui-enter-criteria-filters,
source ``business-central/ui-enter-criteria-filters.md`` in MicrosoftDocs/
dynamics365smb-docs) and the operator list of ``SETFILTER``
(https://learn.microsoft.com/dynamics-nav/setfilter-function--record-). The grammar,
with white space allowed around every token::

    filter    = group
    group     = term { "|" term }            (* either only "|" ...          *)
              | term { "&" term }            (* ... or only "&" on one level *)
    term      = "(" group ")" | condition
    condition = [value] ".." [value]         (* a range, at least one end    *)
              | [operator] ["@"] value
    operator  = "<>" | "<=" | ">=" | "<" | ">" | "="
    value     = "'" { character | "''" } "'" (* quoted, '' is one quote      *)
              | bare                         (* up to | & ( ) or "..", trimmed *)

What each part means (the docs' examples in brackets):

* ``a|b`` either (``1200|1300``), ``a&b`` both (``>200&<1200``). BC's documentation
  gives **no precedence** between ``&`` and ``|`` and none of its examples mixes
  them (``5999|8100..8490``, ``..1299|1400..``, ``F.. & *A/S``,
  ``<=200 | >500``). Rather than guess, mixing them on one level is an error; write
  ``(a&b)|c`` or ``a&(b|c)``. Parentheses group (the docs list ``(`` and ``)``
  among the symbols that must be quoted inside values).
* ``low..high`` a range, both ends included (``1100..2100``); ``..high`` up to and
  ``low..`` from (``..2500``, ``P8..``). Text ranges are lexicographic: ``A..C``
  does not match ``Ca``. A range takes no operator, no ``@`` and no wildcard; an
  end ``''`` is the field's blank value.
* ``<>``, ``<``, ``<=``, ``>``, ``>=`` and ``=`` compare; no operator means ``=``.
  ``<`` ... ``>=`` and ranges need an ordered field (not boolean or option).
* ``''`` is blank (``''`` "text that is empty", ``<>''`` "all not blank"):
  :class:`~relationship_mgmt.domain.criteria.IsBlank` with BC's blank values (0,
  the blank date, false); only ``=`` and ``<>`` go with it. A code field whose
  quoted value is only spaces is blank too, since codes are trimmed.
* ``*`` stands for any number of characters (``*Co*`` contains, ``Co*`` starts
  with, ``*Co`` ends with); ``*`` alone matches every value. It goes with ``=`` and
  ``<>`` (the docs' tip: ``<>A*`` is "not starting with A") and text and code
  fields only, and it keeps its meaning inside quotes (``'J & V*'`` starts with
  ``J & V``).
* ``@`` before the value ignores case (``@man*``) on text fields; on code fields it
  changes nothing (codes are uppercase) and on other fields it is an error.
* Quotes make ``| & ( ) = < > '`` and ``..`` literal (the docs name ``& ( ) = |``);
  a bare value may not contain them, nor start with ``@``. Bare values are trimmed,
  quoted ones are kept as typed.
* Values convert through the field's
  :class:`~relationship_mgmt.domain.criteria.FieldSpec`: whole numbers, decimals
  (``1.5``), ISO dates (``2024-03-04``), ``Yes``/``No`` (or ``true``/``false``)
  for booleans, an option's caption in any case for option fields; code values are
  trimmed and uppercased. On date fields the bare tokens ``t``/``today`` and
  ``w``/``workdate`` stand for the ``today`` and ``workdate`` arguments.
* Plain values joined by ``|`` become one
  :class:`~relationship_mgmt.domain.criteria.In` (``A|B|C``).

Choices where the notation is not supported (each is a :class:`ValidationError`):

* A ``*`` *inside* a value (``Jo*son``). Starts-with-and-ends-with is not the same
  thing: ``ab*ba`` must not match ``aba``, yet ``aba`` starts with ``ab`` and ends
  with ``ba``, and the algebra has no ordered "contains in sequence". Write
  ``Jo*&*son`` when the overlap does not matter.
* ``?``, one unknown character (``Hans?n``), anywhere, quoted or not: the algebra
  has no single-character match and ``?`` is BC's wildcard even in quotes.
* BC's date shorthand (``..12 31 00``, ``23..``, ``P8``, weekdays) and filter
  tokens such as ``%me``: only ISO dates and the four tokens above.

Errors are :class:`~relationship_mgmt.errors.ValidationError` with ``field`` the
field, ``value`` the filter text and a ``reason`` naming the fault and its 1-based
column: ``unexpected '..' at column 5``, ``unclosed quote at column 3``.

.. versionadded:: 0.3
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from attrs import frozen

from relationship_mgmt.domain.criteria import (
    RECORDS,
    And,
    Between,
    Compare,
    Criteria,
    FieldKind,
    FieldSpec,
    In,
    IsBlank,
    Not,
    Op,
    Or,
    Text,
    TextOp,
)
from relationship_mgmt.errors import ValidationError

__all__ = ["format_filter", "parse_filter"]

_OPERATORS: Final = ("<>", "<=", ">=", "<", ">", "=")
"""Longest first, so ``<>`` is not read as ``<``."""
_STOPS: Final = frozenset("|&()")
"""Characters that end a bare value (as does ``..``)."""
_REFUSED: Final = frozenset("<>='")
"""Characters a bare value may not contain: quote the value instead."""
_SYMBOLS: Final = _STOPS | _REFUSED
_TEXTUAL: Final = frozenset({FieldKind.TEXT, FieldKind.CODE})
_UNORDERED: Final = frozenset({FieldKind.BOOLEAN, FieldKind.ENUM})
_BOOLEANS: Final = {"yes": True, "true": True, "no": False, "false": False}
_DATE_TOKENS: Final = {
    "t": "today",
    "today": "today",
    "w": "workdate",
    "workdate": "workdate",
}


@frozen
class _Value:
    """A value as typed: its characters (quotes resolved) and where each one is."""

    text: str
    at: tuple[int, ...]
    start: int
    quoted: bool


class _Parser:
    """A recursive-descent reader of one filter (positions are 0-based inside)."""

    def __init__(
        self,
        text: str,
        record: str,
        spec: FieldSpec,
        dates: dict[str, dt.date | None],
    ) -> None:
        self.text = text
        self.pos = 0
        self.record = record
        self.spec = spec
        self.dates = dates

    # --- reading ---------------------------------------------------------------------

    def error(self, reason: str, pos: int) -> ValidationError:
        return ValidationError(
            self.spec.name, self.text, f"{reason} at column {pos + 1}"
        )

    def skip(self) -> str:
        """Skip white space; return the next character ('' at the end)."""
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.text[self.pos : self.pos + 1]

    def dots(self) -> bool:
        return self.text.startswith("..", self.pos)

    def unexpected(self) -> ValidationError:
        shown = "'..'" if self.dots() else repr(self.text[self.pos])
        return self.error(f"unexpected {shown}", self.pos)

    def parse(self) -> Criteria:
        node = self.group()
        if self.skip():
            raise self.unexpected()
        return node

    def group(self) -> Criteria:
        items = [self.term()]
        joiner = ""
        while (char := self.skip()) in ("|", "&"):
            if joiner and char != joiner:
                raise self.error(
                    "mixing '&' and '|' needs parentheses (BC's docs define no precedence)",
                    self.pos,
                )
            joiner = char
            self.pos += 1
            items.append(self.term())
        if joiner == "&":
            return And(items=tuple(part for i in items for part in _conjuncts(i)))
        return self.either([part for i in items for part in _alternatives(i)])

    def term(self) -> Criteria:
        if self.skip() != "(":
            return self.condition()
        opened = self.pos
        self.pos += 1
        node = self.group()
        char = self.skip()
        if not char:
            raise self.error("unclosed '('", opened)
        if char != ")":
            raise self.unexpected()
        self.pos += 1
        return node

    def condition(self) -> Criteria:
        self.skip()
        start = self.pos
        op = self.operator()
        at = None
        if self.skip() == "@":
            at = self.pos
            self.pos += 1
        value = self.value()
        self.skip()
        if self.dots():
            if op is not None or at is not None:
                raise self.error(
                    "unexpected '..' (a range takes no operator or '@')", self.pos
                )
            dots = self.pos
            self.pos += 2
            return self.range(value, self.value(), dots)
        if value is None:
            raise self.error("expected a value", self.pos)
        return self.single(op, at, value, start)

    def operator(self) -> Op | None:
        for symbol in _OPERATORS:
            if self.text.startswith(symbol, self.pos):
                self.pos += len(symbol)
                return Op(symbol)
        return None

    def value(self) -> _Value | None:
        char = self.skip()
        if not char or char in _STOPS or self.dots():
            return None
        value = self.quoted() if char == "'" else self.bare()
        if "?" in value.text:
            where = value.at[value.text.index("?")]
            raise self.error("'?' (one unknown character) is not supported", where)
        return value

    def quoted(self) -> _Value:
        opened = self.pos
        self.pos += 1
        chars: list[str] = []
        at: list[int] = []
        while self.pos < len(self.text):
            if self.text.startswith("''", self.pos):
                chars.append("'")
                at.append(self.pos)
                self.pos += 2
            elif self.text[self.pos] == "'":
                self.pos += 1
                return _Value("".join(chars), tuple(at), opened, quoted=True)
            else:
                chars.append(self.text[self.pos])
                at.append(self.pos)
                self.pos += 1
        raise self.error("unclosed quote", opened)

    def bare(self) -> _Value:
        start = self.pos
        if self.text[start] == "@":
            raise self.error("unexpected '@' (quote a value starting with '@')", start)
        while self.pos < len(self.text) and not (
            self.text[self.pos] in _STOPS or self.dots()
        ):
            if self.text[self.pos] in _REFUSED:
                raise self.error(
                    f"unexpected {self.text[self.pos]!r} (quote a value with symbols)",
                    self.pos,
                )
            self.pos += 1
        text = self.text[start : self.pos].rstrip()
        return _Value(text, tuple(range(start, start + len(text))), start, quoted=False)

    # --- building ----------------------------------------------------------------------

    def either(self, items: list[Criteria]) -> Criteria:
        if len(items) == 1:
            return items[0]
        plain = [
            i.value
            for i in items
            if isinstance(i, Compare) and i.op is Op.EQ and not i.ignore_case
        ]
        if len(plain) < len(items):
            return Or(items=tuple(items))
        node = In(record=self.record, field=self.spec.name, values=plain)
        return node if len(node.values) > 1 else items[0]

    def range(self, low: _Value | None, high: _Value | None, dots: int) -> Criteria:
        kind = self.spec.kind
        if kind in _UNORDERED:
            raise self.error(f"'..' does not apply to {kind.value} fields", dots)
        if low is None and high is None:
            raise self.error("a range needs a value on at least one side", dots)
        name = self.spec.name
        lower = None if low is None else self.bound(low)
        upper = None if high is None else self.bound(high)
        if upper is None:
            return Compare(record=self.record, field=name, op=Op.GE, value=lower)
        if lower is None:
            return Compare(record=self.record, field=name, op=Op.LE, value=upper)
        return Between(record=self.record, field=name, low=lower, high=upper)

    def bound(self, value: _Value) -> object:
        if "*" in value.text:
            where = value.at[value.text.index("*")]
            raise self.error("a range takes no wildcard", where)
        if value.quoted and not value.text:
            return self.spec.blank
        return self.convert(value)

    def single(
        self, op: Op | None, at: int | None, value: _Value, start: int
    ) -> Criteria:
        kind = self.spec.kind
        if at is not None and kind not in _TEXTUAL:
            raise self.error(
                f"'@' (ignore case) does not apply to {kind.value} fields", at
            )
        ignore_case = at is not None and kind is FieldKind.TEXT
        if "*" in value.text:
            return self.wildcard(op, value, start, ignore_case=ignore_case)
        if not (value.text.strip() if kind is FieldKind.CODE else value.text):
            if op not in (None, Op.EQ, Op.NE):
                raise self.error("'' (blank) takes only '=' or '<>'", start)
            blank = IsBlank(record=self.record, field=self.spec.name)
            return Not(item=blank) if op is Op.NE else blank
        op = op or Op.EQ
        if op not in (Op.EQ, Op.NE) and kind in _UNORDERED:
            raise self.error(
                f"'{op.value}' does not apply to {kind.value} fields", start
            )
        return Compare(
            record=self.record,
            field=self.spec.name,
            op=op,
            value=self.convert(value),
            ignore_case=ignore_case,
        )

    def wildcard(
        self, op: Op | None, value: _Value, start: int, *, ignore_case: bool
    ) -> Criteria:
        kind = self.spec.kind
        first = value.at[value.text.index("*")]
        if kind not in _TEXTUAL:
            raise self.error(
                f"'*' does not apply to {kind.value} fields (text and code only)",
                first,
            )
        if op not in (None, Op.EQ, Op.NE):
            raise self.error("'*' takes only '=' or '<>'", start)
        text = value.text
        body = text.strip("*")
        if "*" in body:
            inner = len(text) - len(text.lstrip("*")) + body.index("*")
            raise self.error(
                "'*' inside a value is not supported (write A*&*B for"
                " 'starts with A and ends with B')",
                value.at[inner],
            )
        leading, trailing = text.startswith("*"), text.endswith("*")
        effective = body.strip() if kind is FieldKind.CODE else body
        if (leading and trailing) or not effective:
            text_op = TextOp.CONTAINS
        else:
            text_op = TextOp.STARTS_WITH if trailing else TextOp.ENDS_WITH
        node = Text(
            record=self.record,
            field=self.spec.name,
            op=text_op,
            value=body,
            ignore_case=ignore_case,
        )
        return Not(item=node) if op is Op.NE else node

    def convert(self, value: _Value) -> object:
        kind = self.spec.kind
        raw: object = value.text
        if kind is FieldKind.BOOLEAN:
            found = _BOOLEANS.get(value.text.casefold())
            if found is None:
                raise self.error(f"{value.text!r} must be Yes or No", value.start)
            raw = found
        elif kind is FieldKind.ENUM:
            folded = value.text.casefold()
            raw = next(
                (o for o in self.spec.options if o.casefold() == folded), value.text
            )
        elif kind is FieldKind.DATE and not value.quoted:
            raw = self.date_token(value)
        try:
            return self.spec.value(raw)
        except ValidationError as error:
            raise self.error(f"{value.text!r} {error.reason}", value.start) from None

    def date_token(self, value: _Value) -> object:
        name = _DATE_TOKENS.get(value.text.casefold())
        if name is None:
            return value.text
        found = self.dates[name]
        if found is None:
            raise self.error(f"{value.text!r} needs the {name}= argument", value.start)
        return found


def _conjuncts(node: Criteria) -> tuple[Criteria, ...]:
    return node.items if isinstance(node, And) else (node,)


def _alternatives(node: Criteria) -> tuple[Criteria, ...]:
    """The items of an ``|`` group: a nested one's items, an ``In``'s values."""
    if isinstance(node, Or):
        return node.items
    if isinstance(node, In):
        return tuple(
            Compare(record=node.record, field=node.field, op=Op.EQ, value=v)
            for v in node.values
        )
    return (node,)


def parse_filter(
    text: str,
    *,
    field: str,
    record: str = "contact",
    today: dt.date | None = None,
    workdate: dt.date | None = None,
) -> Criteria:
    """Parse BC filter notation for one field into criteria (see the module).

    Args:
        text: The filter, as typed into BC's filter box (``A*|B*``, ``10..20``).
        field: The field it filters, on the record type's allow-list.
        record: The record type (:data:`~relationship_mgmt.domain.criteria.RECORDS`).
        today: The date ``t``/``today`` stand for on date fields (the caller's
            clock; the domain reads none).
        workdate: The date ``w``/``workdate`` stand for on date fields.

    Returns:
        The criteria: a leaf, or ``And``/``Or``/``Not`` of leaves on that field.

    Raises:
        ValidationError: An unknown record type or field, or text that is not a
            filter for the field; the reason names the fault and its column.

    >>> parse_filter("@*smith*", field="name").ignore_case
    True
    >>> parse_filter("cz|sk", field="country_code").values
    ('CZ', 'SK')
    >>> parse_filter("''", field="city")
    IsBlank(record='contact', field='city')
    >>> parse_filter("'abc", field="name")
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.ValidationError: name: unclosed quote at column 1 (got "'abc")
    """
    if record not in RECORDS:
        raise ValidationError("record", record, f"must be one of {sorted(RECORDS)}")
    spec = RECORDS[record].spec(field)
    dates = {"today": today, "workdate": workdate}
    return _Parser(text, record, spec, dates).parse()


# --- formatting ----------------------------------------------------------------------


def _unsupported(node: object, reason: str) -> ValidationError:
    return ValidationError("criteria", node, reason)


def _needs_quotes(text: str) -> bool:
    return (
        not text
        or text != text.strip()
        or text.startswith(("@", "."))
        or text.endswith(".")
        or ".." in text
        or any(char in _SYMBOLS for char in text)
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'" if _needs_quotes(text) else text


def _literal(value: str) -> str:
    if "*" in value or "?" in value:
        raise _unsupported(value, "a value with '*' or '?' has no filter notation")
    return value


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _quote(_literal(str(value)))


def _pattern(node: Text) -> str:
    value = _literal(node.value)
    if not value:
        pattern = "*"
    elif node.op is TextOp.CONTAINS:
        pattern = f"*{value}*"
    elif node.op is TextOp.STARTS_WITH:
        pattern = f"{value}*"
    else:
        pattern = f"*{value}"
    return ("@" if node.ignore_case else "") + _quote(pattern)


class _Formatter:
    def __init__(self) -> None:
        self.fields: set[tuple[str, str]] = set()

    def text(self, node: Criteria, *, nested: bool = False) -> str:
        if isinstance(node, And | Or):
            if not node.items:
                raise _unsupported(node, "an empty And/Or has no filter notation")
            joiner = "&" if isinstance(node, And) else "|"
            parts = [self.text(item, nested=True) for item in node.items]
            return self.group(joiner.join(parts), len(parts), nested=nested)
        if isinstance(node, Not):
            if not isinstance(node.item, Text | IsBlank):
                raise _unsupported(node, "only Not(Text) and Not(IsBlank) have '<>'")
            return "<>" + self.text(node.item)
        if isinstance(node, Compare | Between | In | Text | IsBlank):
            self.fields.add((node.record, node.field))
            return self.leaf(node, nested=nested)
        raise _unsupported(node, "has no filter notation (only one field's tests)")

    @staticmethod
    def group(text: str, size: int, *, nested: bool) -> str:
        return f"({text})" if nested and size > 1 else text

    def leaf(
        self, node: Compare | Between | In | Text | IsBlank, *, nested: bool
    ) -> str:
        if isinstance(node, Compare):
            op = "" if node.op is Op.EQ else node.op.value
            return op + ("@" if node.ignore_case else "") + _show(node.value)
        if isinstance(node, Between):
            return f"{_show(node.low)}..{_show(node.high)}"
        if isinstance(node, In):
            if not node.values:
                raise _unsupported(node, "an empty In has no filter notation")
            parts = [_show(v) for v in node.values]
            return self.group("|".join(parts), len(parts), nested=nested)
        if isinstance(node, Text):
            return _pattern(node)
        return "''"


def format_filter(criteria: Criteria) -> str:
    """Write criteria on one field as BC filter notation: the inverse of the parser.

    For every tree :func:`parse_filter` returns, ``parse_filter(format_filter(c),
    field=..., record=...) == c``. Other trees on one field are written when they
    have a notation (``Or`` of ``And`` groups in parentheses, ``In`` as ``A|B``).

    Args:
        criteria: The tree.

    Returns:
        The filter text, values quoted where they hold symbols.

    Raises:
        ValidationError: The tree tests more than one field, holds ``Has`` or
            ``InSegment``, a ``Not`` of anything but ``Text``/``IsBlank``, an empty
            ``And``/``Or``/``In``, or a value with ``*`` or ``?``.

    >>> from relationship_mgmt.domain.criteria import where
    >>> format_filter(where.name.startswith("J & V") | where.name.is_blank())
    "'J & V*'|''"
    >>> format_filter(~where.email.endswith("@cronus.com", ignore_case=True))
    '<>@*@cronus.com'
    """
    formatter = _Formatter()
    text = formatter.text(criteria)
    if len(formatter.fields) > 1:
        raise _unsupported(criteria, "tests more than one field; a filter has one")
    return text
