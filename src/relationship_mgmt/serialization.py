"""The JSON wire format of the library's values, built on cattrs (house style B10).

Like cattrs' own ``preconf`` modules, this module offers :func:`configure_converter`
(registers the library's hooks on any :class:`cattrs.Converter`) and
:func:`make_converter` (a fresh, configured JSON converter). The library keeps one
private converter for its own use and never touches cattrs' global converter.

Callers use the typed helpers: :func:`dumps` / :func:`loads` for JSON text and
:func:`unstructure` / :func:`structure` for plain ``dict``/``list`` documents. Whatever
the input, :func:`loads` and :func:`structure` either return a valid value or raise
:class:`~relationship_mgmt.errors.SerializationError`, with the original error as
``__cause__``.

The wire format is a public API: ``tests/golden/*.json`` pin it, and any change to it
goes into the changelog.

>>> from relationship_mgmt.domain.money import Money
>>> dumps(Money("12.5", "EUR"))
'{"amount":"12.50","currency":"EUR"}'
>>> loads('{"amount": "1500", "currency": "JPY"}', Money)
Money(amount=Decimal('1500'), currency=Currency(code='JPY', minor_units=0))
>>> from relationship_mgmt.domain.numbering import NumberSeries
>>> series = NumberSeries(code="CONT", starting_no="CT000001")
>>> loads(dumps(series), NumberSeries) == series
True
>>> loads('{"code": "CONT"}', NumberSeries)
Traceback (most recent call last):
...
relationship_mgmt.errors.SerializationError: cannot read NumberSeries: required field missing @ $.starting_no
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
import cattrs.preconf.json
from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory
from cattrs.dispatch import StructureHook
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.v import transform_error

from relationship_mgmt.domain import criteria
from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.money import Currency, Money
from relationship_mgmt.errors import SerializationError

__all__ = [
    "configure_converter",
    "dumps",
    "loads",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")

_MONEY_KEYS: Final = frozenset({"amount", "currency"})
_DECIMAL: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


_JSON_KINDS: Final[Mapping[type, str]] = {
    type(None): "null",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def _kind(value: object) -> str:
    """Name the JSON type of ``value`` for error messages."""
    return _JSON_KINDS.get(type(value), type(value).__name__)


# --- leaf hooks -----------------------------------------------------------------------
#
# cattrs' defaults convert whatever they are given (``str(5)``, ``bool("false")``,
# ``int(2.7)``); a wire format must refuse a wrong type instead.


def _structure_str(value: object, cls: type[str]) -> str:
    # ``cls`` is ``str`` or a ``StrEnum``: both dispatch here (str precedes Enum in a
    # StrEnum's MRO), and ``cls(value)`` looks an enum member up by its value.
    if not isinstance(value, str):
        raise SerializationError(f"expected a string, got {_kind(value)}")
    return cls(value)


def _structure_int(value: object, cls: type[int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SerializationError(f"expected an integer, got {_kind(value)}")
    return cls(value)


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise SerializationError(f"expected true or false, got {_kind(value)}")
    return value


def _unstructure_str_enum(member: enum.StrEnum) -> str:
    return member.value


def _unstructure_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise SerializationError(f"cannot write the non-finite number {value}")
    return str(value)


def _structure_decimal(value: object, _: object) -> Decimal:
    # A float has already lost the exact amount, so only a string is accepted. Decimal()
    # alone would also take "NaN", " 1_000 " and the like.
    if not isinstance(value, str):
        raise SerializationError(
            f"expected a decimal number as a string, got {_kind(value)}"
        )
    if not _DECIMAL.fullmatch(value):
        raise SerializationError(f"{value!r} is not a decimal number")
    return Decimal(value)


def _unstructure_date(value: date) -> str:
    return value.isoformat()


def _structure_date(value: object, _: object) -> date:
    if not isinstance(value, str):
        raise SerializationError(f"expected a date string, got {_kind(value)}")
    parsed = date.fromisoformat(value)
    # fromisoformat also reads "20260105" and "2026-W02-1"; the wire form is one.
    if parsed.isoformat() != value:
        raise SerializationError(f"{value!r} is not a date in the form YYYY-MM-DD")
    return parsed


def _unstructure_datetime(value: datetime) -> str:
    if value.utcoffset() is None:
        raise SerializationError(f"cannot write the naive datetime {value.isoformat()}")
    try:
        return value.astimezone(UTC).isoformat()
    except OverflowError as error:
        raise SerializationError(
            f"{value.isoformat()} is outside the calendar in UTC"
        ) from error


def _structure_datetime(value: object, _: object) -> datetime:
    if not isinstance(value, str):
        raise SerializationError(f"expected a date-time string, got {_kind(value)}")
    parsed = datetime.fromisoformat(value)
    if parsed.utcoffset() is None:
        raise SerializationError(f"{value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def _unstructure_date_formula(formula: DateFormula) -> str:
    return str(formula)


def _structure_date_formula(value: object, _: object) -> DateFormula:
    if not isinstance(value, str):
        raise SerializationError(f"expected a date formula string, got {_kind(value)}")
    return DateFormula.parse(value)


def _unstructure_money(money: Money) -> dict[str, str]:
    currency = money.currency
    if Currency.of(currency.code) != currency:
        # Only the code goes on the wire; reading it back would change the amount.
        raise SerializationError(
            f"cannot write Money in {currency.code} with {currency.minor_units} minor "
            "units: the wire format assumes the built-in minor units of the code"
        )
    return {"amount": _unstructure_decimal(money.amount), "currency": currency.code}


def _structure_money(value: object, _: object) -> Money:
    if not isinstance(value, Mapping):
        raise SerializationError(f"expected a Money object, got {_kind(value)}")
    if missing := _MONEY_KEYS - value.keys():
        raise SerializationError(
            f"required field missing: {', '.join(sorted(missing))}"
        )
    if extra := value.keys() - _MONEY_KEYS:
        raise SerializationError(f"unexpected fields {sorted(map(str, extra))}")
    amount = _structure_decimal(value["amount"], Decimal)
    currency = Currency.of(_structure_str(value["currency"], str))
    money = Money(amount, currency)
    if money.amount != amount:
        raise SerializationError(
            f"{value['amount']!r} has more decimals than {currency.code} allows"
        )
    return money


# --- factories --------------------------------------------------------------------------


def _is_array(type_: object) -> bool:
    """Match ``tuple[X, ...]`` and ``list[X]``, the arrays of the wire format."""
    args = get_args(type_)
    origin = get_origin(type_)
    return (origin is list and len(args) == 1) or (
        origin is tuple and len(args) == 2 and args[1] is Ellipsis  # noqa: PLR2004
    )


def _array_structure_factory(type_: type, converter: cattrs.Converter) -> StructureHook:
    """Refuse anything but an array, then structure the items as cattrs does."""
    if get_origin(type_) is list:
        items = list_structure_factory(type_, converter)
    else:
        items = homogenous_tuple_structure_factory(type_, converter)

    def structure_array(value: object, cls: object) -> object:
        # cattrs would iterate a string or an object's keys as if they were an array.
        if not isinstance(value, list | tuple):
            raise SerializationError(f"expected an array, got {_kind(value)}")
        return items(value, cls)

    return structure_array


def _object_structure_factory(
    cls: type[Any], converter: cattrs.Converter
) -> StructureHook:
    """Refuse anything but an object, then structure the fields as cattrs does."""
    fields = converter.gen_structure_attrs_fromdict(cls)

    def structure_object(value: object, _: object) -> object:
        # Without this, [] and "" would read as an object whose fields all default.
        if not isinstance(value, Mapping):
            raise SerializationError(
                f"expected an object for {cls.__name__}, got {_kind(value)}"
            )
        return fields(value, cls)

    return structure_object


def _is_criteria(type_: object) -> bool:
    return type_ is criteria.Criteria or (
        isinstance(type_, type) and issubclass(type_, criteria.CRITERIA_NODES)
    )


def _unstructure_criteria(node: criteria.Criteria) -> dict[str, Any]:
    return {"format": criteria.CRITERIA_FORMAT, "criteria": criteria.to_data(node)}


def _structure_criteria(value: object, cls: object) -> criteria.Criteria:
    if not isinstance(value, Mapping) or set(value) != {"format", "criteria"}:
        found = sorted(value) if isinstance(value, Mapping) else type(value).__name__
        raise SerializationError(
            f'criteria must be {{"format": ..., "criteria": ...}}, got {found}'
        )
    if value["format"] != criteria.CRITERIA_FORMAT:
        raise SerializationError(
            f"criteria format {value['format']!r} is not {criteria.CRITERIA_FORMAT}"
        )
    node = criteria.from_data(value["criteria"])
    if cls is not criteria.Criteria and not isinstance(node, cls):  # type: ignore[arg-type]
        raise SerializationError(f"expected {cls}, got {type(node).__name__}")
    return node


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the library's wire format on ``converter``.

    Leaf types are registered first, then the factories that build on them (cattrs
    resolves leaf hooks when a factory is applied). On the wire:

    * ``str`` and the ``Code``/number ``NewType`` s: a string. Codes are normalised
      (upper-case, trimmed) by the classes when read.
    * ``int``: an integer; ``bool``: ``true``/``false``. cattrs' defaults would convert
      ``"5"``, ``2.7`` or ``"false"``; here any other JSON type is refused.
    * ``Decimal``: a string such as ``"12.50"`` or ``"1E+3"``, never a JSON number;
      NaN and infinities are refused both ways.
    * ``date``: ``"2026-01-05"`` (exactly ``YYYY-MM-DD``).
    * ``datetime``: ISO 8601 with offset, written in UTC
      (``"2026-01-05T09:30:00+00:00"``). A naive datetime is refused both ways; an
      offset other than UTC is read and converted to UTC.
    * Enums: their value (``"Disk File"``, ``"Formal"``).
    * :class:`~relationship_mgmt.domain.dateformula.DateFormula`: its canonical text
      (``"CM+1D"``), read back with ``DateFormula.parse``.
    * :class:`~relationship_mgmt.domain.money.Currency`:
      ``{"code": "EUR", "minor_units": 2}``.
    * :class:`~relationship_mgmt.domain.money.Money`:
      ``{"amount": "12.50", "currency": "EUR"}``. The currency is rebuilt with
      ``Currency.of(code)``, so a Money whose currency has other minor units than the
      built-in table cannot be written, and an amount with more decimals than the
      currency has is refused rather than rounded.
    * ``tuple[X, ...]`` and ``list[X]``: an array (an object or a string is refused).
    * attrs classes (records, aggregates): an object with one key per ``__init__``
      field, written in full. When read, keys of fields with defaults may be left out
      and unknown keys are refused if the converter forbids extra keys (the one from
      :func:`make_converter` does). An aggregate's ``version`` is included; its pending
      events (``init=False``) and class-level constants such as ``kind`` are not.
    * Criteria trees (:mod:`relationship_mgmt.domain.criteria`):
      ``{"format": 1, "criteria": ...}``, the tree as
      :func:`~relationship_mgmt.domain.criteria.to_data` writes it; read back
      through :func:`~relationship_mgmt.domain.criteria.from_data`, which checks it
      like a new tree. Another format number is refused.
    * ``None``: ``null``.

    Failing hooks raise :class:`~relationship_mgmt.errors.SerializationError` or the
    domain's ``ValidationError``; cattrs may group them in a
    :class:`cattrs.ClassValidationError`. The module's :func:`loads` and
    :func:`structure` turn all of that into one ``SerializationError``.

    Args:
        converter: The converter to configure, e.g. a ``cattrs.Converter`` or one
            from a cattrs ``preconf`` module.

    >>> converter = cattrs.Converter()
    >>> configure_converter(converter)
    >>> converter.unstructure(Decimal("0.10"))
    '0.10'
    >>> converter.structure("5", int)
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.SerializationError: expected an integer, got a string
    """
    # Leaves.
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(date, _unstructure_date)
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(datetime, _unstructure_datetime)
    converter.register_structure_hook(datetime, _structure_datetime)
    # Enums are read by value through the str hook; written as plain str values.
    converter.register_unstructure_hook(enum.StrEnum, _unstructure_str_enum)
    converter.register_unstructure_hook(DateFormula, _unstructure_date_formula)
    converter.register_structure_hook(DateFormula, _structure_date_formula)
    # Currency needs no hook of its own: the attrs factory below writes both fields.
    converter.register_unstructure_hook(Money, _unstructure_money)
    converter.register_structure_hook(Money, _structure_money)
    # Factories.
    converter.register_structure_hook_factory(_is_array, _array_structure_factory)
    converter.register_structure_hook_factory(attrs.has, _object_structure_factory)
    # Criteria trees are attrs classes too: registered last, their hooks win.
    converter.register_unstructure_hook_func(_is_criteria, _unstructure_criteria)
    converter.register_structure_hook_func(_is_criteria, _structure_criteria)


def make_converter() -> cattrs.preconf.json.JsonConverter:
    """Return a fresh JSON converter with the library's wire format.

    It is :func:`cattrs.preconf.json.make_converter` with ``forbid_extra_keys=True``,
    configured by :func:`configure_converter`. Use it to build a converter of your own
    (for example to add hooks for your types); the module's helpers use a private one.

    >>> from relationship_mgmt.domain.money import Money
    >>> make_converter().unstructure(Money("3", "KWD"))
    {'amount': '3.000', 'currency': 'KWD'}
    """
    converter = cattrs.preconf.json.make_converter(forbid_extra_keys=True)
    configure_converter(converter)
    return converter


_CONVERTER: Final = make_converter()


def unstructure(value: object) -> Any:  # noqa: ANN401 - the shape depends on the value
    """Turn a library value into plain JSON data (``dict``, ``list``, ``str`` ...).

    Args:
        value: Any library value: a record, an aggregate, ``Money``, a ``date`` ...

    Returns:
        The wire form described in :func:`configure_converter`, made of ``dict``,
        ``list``, ``str``, ``int``, ``bool`` and ``None`` only.

    Raises:
        SerializationError: The value cannot be written (a naive datetime, a
            non-finite ``Decimal``, ``Money`` in a currency with non-standard minor
            units).

    >>> from relationship_mgmt.domain.setup import Territory
    >>> unstructure(Territory(code="north", description="North"))
    {'code': 'NORTH', 'description': 'North'}
    """
    return _CONVERTER.unstructure(value)


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from plain JSON data, or refuse it.

    Args:
        data: What :func:`unstructure` made, or anything claiming to be that.
        cls: The class to build, e.g. ``NumberSeries`` or ``Money``.

    Returns:
        The value, valid like every value of ``cls``.

    Raises:
        SerializationError: ``data`` is not a valid ``cls``, whatever the reason:
            a missing or unknown field, a wrong JSON type, a value the class rejects.
            The original error is ``__cause__``.

    >>> from relationship_mgmt.domain.money import Currency
    >>> structure({"code": "kwd", "minor_units": 3}, Currency)
    Currency(code='KWD', minor_units=3)
    """
    try:
        return _CONVERTER.structure(data, cls)
    except Exception as error:
        # Any input must end here, not in a TypeError from deep inside a hook.
        raise _failure(cls, error) from error


def dumps(value: object) -> str:
    """Write a library value as compact JSON text with sorted keys.

    Args:
        value: Any library value.

    Returns:
        The JSON text; ``loads(dumps(value), type(value)) == value``.

    Raises:
        SerializationError: The value cannot be written (see :func:`unstructure`),
            or it is not a library value at all.

    >>> from relationship_mgmt.domain.setup import CloseOpportunityCode
    >>> dumps(CloseOpportunityCode(code="price", type="Lost"))
    '{"code":"PRICE","description":"","type":"Lost"}'
    """
    data = unstructure(value)
    try:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise SerializationError(
            f"cannot write {type(value).__name__} as JSON: {error}"
        ) from error


def loads(data: str | bytes, cls: type[T]) -> T:
    """Read a ``cls`` from JSON text, or refuse it.

    Args:
        data: JSON text, as ``str`` or UTF-8/16/32 ``bytes``.
        cls: The class to build.

    Returns:
        The value.

    Raises:
        SerializationError: ``data`` is not JSON (``NaN`` and ``Infinity`` are not
            JSON either), or not a valid ``cls`` (see :func:`structure`). The
            original error is ``__cause__``.

    >>> from relationship_mgmt.domain.money import Money
    >>> loads('{"amount": 12.5, "currency": "EUR"}', Money)
    Traceback (most recent call last):
    ...
    relationship_mgmt.errors.SerializationError: cannot read Money: expected a decimal number as a string, got a number @ $
    """
    try:
        document = json.loads(data, parse_constant=_refuse_constant)
    except Exception as error:
        # ValueError for bad JSON or bad UTF-8, RecursionError for absurd nesting ...
        raise _failure(cls, error) from error
    return structure(document, cls)


def _refuse_constant(name: str) -> object:
    raise SerializationError(f"{name} is not valid JSON")


def _describe(error: BaseException, _: object) -> str:
    """Describe one leaf error of a (possibly grouped) structuring failure."""
    if isinstance(error, KeyError):
        return "required field missing"
    if isinstance(error, ForbiddenExtraKeysError):
        return f"unexpected fields {sorted(error.extra_fields)}"
    return str(error) or type(error).__name__


def _failure(cls: object, error: Exception) -> SerializationError:
    details = "; ".join(transform_error(error, format_exception=_describe))
    return SerializationError(f"cannot read {getattr(cls, '__name__', cls)}: {details}")
