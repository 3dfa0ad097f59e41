r"""Duplicate contact detection: BC's search strings and the library's own method (§2.14).

Two methods sit behind one API, :class:`DuplicateIndex` (the in-memory index an
insert or modify is checked against) and :func:`find_duplicates` (a batch over many
records):

``bc``
    Business Central's algorithm, faithfully (spec §2.14, performance.md §1.1). A
    :class:`SearchStringSetup` row takes the first or last ``length`` characters of
    a field after deleting `` +"&/,.;:-_(){}#!£$\`` and upper-casing; every other
    company sharing a (row, string) gets one hit; a pair is a duplicate when its
    hits reach ``ceil(rows x Search Hit % / 100)`` (10 of 16 with the defaults).
    Companies only. Pairs marked *separate contacts* survive a re-index.

``default``
    The library's own method, for persons and companies. Candidate generation is
    kept apart from scoring: each record yields *blocking keys* (conjunctions such
    as surname + date of birth, name prefix + post code, the e-mail address); a key
    with more than ``max_postings`` records (``INFO@``-like stop-strings) is ignored,
    and the share of keys two records must have in common is taken over the keys
    that remain (the renormalised threshold). Candidates are then scored by a
    field-weighted fuzzy :class:`FieldWeightedScorer` that returns a score in
    [0, 1] and the fields that agreed; pairs at or above the profile's threshold
    are duplicates, and :func:`clusters` joins them into groups.

The string metrics are a strategy (:class:`StringMetrics`): the domain ships a
pure-Python one; :mod:`relationship_mgmt.adapters.matching` provides the rapidfuzz
one (extra ``matching``), which gives the same answers several times faster.

>>> a = DuplicateRecord(key="C1", name="Cronus Cardoxy Procurement",
...     address="Hauptstr. 12", city="Berlin", post_code="10115",
...     phone_no="+49 30 1234567", email="info@cronus.de")
>>> b = attrs.evolve(a, key="C2", name="Cronus Cardoxy Procurment")
>>> [(m.left, m.right, m.agreeing_fields) for m in find_duplicates([a, b])]
[('C1', 'C2', ('name', 'address', 'city', 'post_code', 'phone_no', 'email'))]
>>> [(m.left, m.right, m.hits) for m in find_duplicates([a, b], method="bc")]
[('C1', 'C2', 11)]
"""

from __future__ import annotations

import enum
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

import attrs
from attrs import field, frozen

from relationship_mgmt.domain._dup_metrics import PurePythonMetrics
from relationship_mgmt.domain._fields import to_enum as _enum
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import NotFoundError, ValidationError

__all__ = [
    "BC_CHECK_FIELDS",
    "BlockingKey",
    "COMPANY_PROFILE",
    "Comparator",
    "DEFAULT_PROFILES",
    "DEFAULT_SEARCH_STRING_SETUP",
    "DUPLICATE_FIELDS",
    "DuplicateIndex",
    "DuplicateMatch",
    "DuplicateMethod",
    "DuplicateRecord",
    "FieldRule",
    "FieldWeightedScorer",
    "Holder",
    "IndexProbe",
    "KeyPart",
    "KeyTransform",
    "MatchProfile",
    "PERSON_PROFILE",
    "Part",
    "PreparedRecord",
    "PurePythonMetrics",
    "RecordKind",
    "SearchStringSetup",
    "StringMetrics",
    "blocking_keys",
    "clusters",
    "compose_search_string",
    "find_duplicates",
    "hit_threshold",
    "index_keys",
    "search_strings",
]


class RecordKind(enum.StrEnum):
    """Whether a record is a company or a person contact (BC's Contact *Type*)."""

    COMPANY = "Company"
    PERSON = "Person"


class DuplicateMethod(enum.StrEnum):
    """Which duplicate-detection method to run."""

    BC = "bc"
    DEFAULT = "default"


class Part(enum.StrEnum):
    """Which end of a value a search string takes (table 5095 *Part of Field*)."""

    FIRST = "First"
    LAST = "Last"


def _kind(value: str) -> RecordKind:
    return _enum(RecordKind, "kind", value)


def _method(value: str) -> DuplicateMethod:
    return _enum(DuplicateMethod, "method", value)


def _rules(value: Iterable[FieldRule]) -> tuple[FieldRule, ...]:
    return tuple(value)


def _keys(value: Iterable[BlockingKey]) -> tuple[BlockingKey, ...]:
    return tuple(value)


def _parts(value: Iterable[KeyPart]) -> tuple[KeyPart, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _string(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError(attribute.name, value, "must be a string")


def _key(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(attribute.name, value, "must be a non-empty string")


def _text() -> str:
    return field(default="", validator=_string)


@frozen(kw_only=True)
class DuplicateRecord:
    """The fields of a contact that duplicate detection reads.

    A frozen value the contact service maps a Contact to; ``key`` is the contact
    number. Field names are BC's Contact fields in snake case, plus
    ``birth_date`` (text, e.g. ``1630-08-01``) for person data that has one.

    >>> DuplicateRecord(key="CT1", kind="Person", first_name="Ada").kind
    <RecordKind.PERSON: 'Person'>
    """

    key: str = field(validator=_key)
    kind: RecordKind = field(default=RecordKind.COMPANY, converter=_kind)
    name: str = _text()
    name_2: str = _text()
    first_name: str = _text()
    middle_name: str = _text()
    surname: str = _text()
    address: str = _text()
    address_2: str = _text()
    city: str = _text()
    post_code: str = _text()
    county: str = _text()
    country_code: str = _text()
    phone_no: str = _text()
    mobile_phone_no: str = _text()
    email: str = _text()
    vat_registration_no: str = _text()
    registration_no: str = _text()
    birth_date: str = _text()
    job_title: str = _text()

    def value(self, field_name: str) -> str:
        """Return the text of ``field_name``.

        Raises:
            ValidationError: ``field_name`` is not one of :data:`DUPLICATE_FIELDS`.
        """
        if field_name not in DUPLICATE_FIELDS:
            raise ValidationError("field", field_name, "is not a duplicate field")
        text: str = getattr(self, field_name)
        return text


DUPLICATE_FIELDS: frozenset[str] = frozenset(
    a.name for a in attrs.fields(DuplicateRecord) if a.name not in {"key", "kind"}
)
"""The text fields of :class:`DuplicateRecord` that setups and profiles may name."""

BC_CHECK_FIELDS: tuple[str, ...] = (
    "name",
    "name_2",
    "address",
    "address_2",
    "city",
    "post_code",
    "vat_registration_no",
    "phone_no",
)
"""A change to any of these re-runs BC's duplicate check on modify (§2.14)."""


def _field_name(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in DUPLICATE_FIELDS:
        raise ValidationError(attribute.name, value, "is not a duplicate field")


# --- bc: BC's search strings -------------------------------------------------------

_BC_DELETE = str.maketrans("", "", ' +"&/,.;:-_(){}#!£$\\')
_MIN_LENGTH, _MAX_LENGTH = 2, 10


def _part(value: str) -> Part:
    return _enum(Part, "part", value)


def _length(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not _MIN_LENGTH <= value <= _MAX_LENGTH
    ):
        raise ValidationError(attribute.name, value, "must be an integer from 2 to 10")


@frozen(kw_only=True)
class SearchStringSetup:
    """A row of BC's *Duplicate Search String Setup* (table 5095, §2.14).

    >>> SearchStringSetup(field="city", part="Last", length=3)
    SearchStringSetup(field='city', part=<Part.LAST: 'Last'>, length=3)
    """

    field: str = attrs.field(validator=_field_name)
    part: Part = attrs.field(default=Part.FIRST, converter=_part)
    length: int = attrs.field(default=5, validator=_length)


DEFAULT_SEARCH_STRING_SETUP: tuple[SearchStringSetup, ...] = tuple(
    SearchStringSetup(field=name, part=part)
    for name in (
        "name",
        "address",
        "city",
        "phone_no",
        "vat_registration_no",
        "post_code",
        "email",
        "mobile_phone_no",
    )
    for part in Part
)
"""BC's ``CreateDefaultSetup``: 8 fields x {First, Last} x 5 characters = 16 rows."""


def _bc_upper(text: str) -> str:
    upper = text.upper()
    if len(upper) == len(text):
        return upper
    # AL's UpperCase maps one character to one ('ß' stays 'ß'); Python's may not.
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in text)


def compose_search_string(value: str, part: Part | str, length: int) -> str:
    r"""Build one search string the way BC's ``ComposeIndexString`` does (§2.14).

    Delete `` +"&/,.;:-_(){}#!£$\`` (the space included), keep the first or last
    ``min(length, len)`` characters, upper-case them.

    >>> compose_search_string("Cronus (Berlin) GmbH", "First", 5)
    'CRONU'
    >>> compose_search_string("+49 30-123 4567", "Last", 5)
    '34567'
    >>> compose_search_string("a.b", "Last", 5)
    'AB'
    """
    text = value.translate(_BC_DELETE)
    n = min(length, len(text))
    text = text[:n] if Part(part) is Part.FIRST else text[len(text) - n :]
    return _bc_upper(text)


def search_strings(
    record: DuplicateRecord, setup: Iterable[SearchStringSetup]
) -> tuple[tuple[int, str], ...]:
    """Return ``(setup row number, search string)`` for each non-empty string.

    >>> r = DuplicateRecord(key="C1", name="Cronus", city="Berlin")
    >>> search_strings(r, DEFAULT_SEARCH_STRING_SETUP)
    ((0, 'CRONU'), (1, 'RONUS'), (4, 'BERLI'), (5, 'ERLIN'))
    """
    found = (
        (number, compose_search_string(record.value(row.field), row.part, row.length))
        for number, row in enumerate(setup)
    )
    return tuple((number, text) for number, text in found if text)


def hit_threshold(rows: int, hit_pct: int) -> int:
    """Return how many strings must match: ``ceil(rows x hit_pct / 100)`` (§2.14).

    >>> hit_threshold(16, 60)
    10
    >>> hit_threshold(16, 50)
    8
    """
    return -(-rows * hit_pct // 100)


# --- default: blocking keys, scoring ---------------------------------------------


class Comparator(enum.StrEnum):
    """How :class:`FieldWeightedScorer` compares one field (each is symmetric)."""

    NAME = "name"
    """Jaro-Winkler over the normalised tokens in sorted order."""
    COMPANY_NAME = "company_name"
    """:attr:`TEXT` after removing legal forms (GmbH, Ltd, Inc ...)."""
    TEXT = "text"
    """The larger of the indel ratio and the token overlap coefficient."""
    EXACT = "exact"
    """1 when the normalised values are equal, else 0."""
    DATE = "date"
    """Compare digits position by position; one digit off scores 0.7, two 0.4."""
    CODE = "code"
    """Compare identifiers such as VAT or registration numbers; one character off is 0.7."""
    PHONE = "phone"
    """Compare the last nine digits; equal scores 1, one digit off 0.7."""
    EMAIL = "email"
    """Case-insensitive; a near-identical address scores its indel ratio."""
    POSTCODE = "postcode"
    """Equal 1; one typo 0.7; same first three characters 0.4."""


class KeyTransform(enum.StrEnum):
    """How a :class:`KeyPart` turns a field into blocking-key text."""

    TEXT = "text"
    """Letters and digits only, case-folded (``"TQ13 8DF"`` → ``"tq138df"``)."""
    COMPANY_NAME = "company_name"
    """:attr:`TEXT` after removing legal forms."""
    DIGITS = "digits"
    """Digits only; with ``length=0`` the last nine (phone numbers)."""
    EMAIL = "email"
    """The whole address, lower-case."""
    EMAIL_DOMAIN = "email_domain"
    """The part after ``@``, lower-case."""


def _comparator(value: str) -> Comparator:
    return _enum(Comparator, "comparator", value)


def _transform(value: str) -> KeyTransform:
    return _enum(KeyTransform, "transform", value)


def _positive(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValidationError(attribute.name, value, "must be a positive number")


def _fraction(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= 1
    ):
        raise ValidationError(attribute.name, value, "must be a number from 0 to 1")


def _count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, value, "must be a positive integer")


def _non_negative(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "must be an integer >= 0")


@frozen(kw_only=True)
class FieldRule:
    """One field the scorer compares, how, and with what weight.

    >>> FieldRule(field="surname", comparator="name", weight=3).weight
    3
    """

    field: str = attrs.field(validator=_field_name)
    comparator: Comparator = attrs.field(converter=_comparator)
    weight: float = attrs.field(default=1.0, validator=_positive)
    penalty: float | None = attrs.field(default=None)

    @penalty.validator
    def _penalty(self, attribute: attrs.Attribute[float | None], value: object) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            raise ValidationError(attribute.name, value, "must be a number >= 0")

    @property
    def disagreement(self) -> float:
        """The weight of evidence a disagreement adds against (``penalty`` or ``weight``)."""
        return self.weight if self.penalty is None else self.penalty


@frozen(kw_only=True)
class KeyPart:
    """One component of a blocking key: a field, a transform, an optional length.

    ``length`` 0 takes the whole transformed value; otherwise the first (or, with
    ``part="Last"``, the last) ``length`` characters. A value shorter than
    ``length`` is used whole.

    >>> KeyPart(field="surname", length=4).length
    4
    """

    field: str = attrs.field(validator=_field_name)
    transform: KeyTransform = attrs.field(
        default=KeyTransform.TEXT, converter=_transform
    )
    length: int = attrs.field(default=0, validator=_non_negative)
    part: Part = attrs.field(default=Part.FIRST, converter=_part)


@frozen(kw_only=True)
class BlockingKey:
    """A blocking key: records with equal text for every part share the key.

    A record whose value for any part is empty has no such key.

    >>> BlockingKey(name="sn_dob", parts=(KeyPart(field="surname"),
    ...     KeyPart(field="birth_date"))).name
    'sn_dob'
    """

    name: str = attrs.field(validator=_key)
    parts: tuple[KeyPart, ...] = attrs.field(converter=_parts)

    @parts.validator
    def _not_empty(
        self,
        attribute: attrs.Attribute[tuple[KeyPart, ...]],
        value: tuple[KeyPart, ...],
    ) -> None:
        if not value:
            raise ValidationError(attribute.name, value, "must name at least one part")


def _fraction_or_more(
    _: object, attribute: attrs.Attribute[float], value: object
) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError(attribute.name, value, "must be a number >= 0")


@frozen(kw_only=True)
class MatchProfile:
    """The ``default`` method's settings for one :class:`RecordKind`.

    Attributes:
        kind: The records this profile applies to.
        fields: What the scorer compares and the weight of each field.
        keys: The blocking keys that generate candidates.
        threshold: The shipped score at or above which a pair is a duplicate.
        min_shared: Keys a pair must share at least.
        shared_pct: Share of the remaining (non-stop) keys a pair must share,
            rounded up: ``max(min_shared, ceil(shared_pct x live keys))``.
        max_postings: A key held by more records than this is a stop-string and
            is ignored, for candidates and for the threshold alike.
        evidence_floor: The scorer divides by at least this much field weight, so
            a pair that agrees on one or two fields only cannot reach 1.0.

    >>> PERSON_PROFILE.kind
    <RecordKind.PERSON: 'Person'>
    """

    kind: RecordKind = attrs.field(converter=_kind)
    fields: tuple[FieldRule, ...] = attrs.field(converter=_rules)
    keys: tuple[BlockingKey, ...] = attrs.field(converter=_keys)
    threshold: float = attrs.field(default=0.8, validator=_fraction)
    min_shared: int = attrs.field(default=1, validator=_count)
    shared_pct: float = attrs.field(default=0.0, validator=_fraction)
    max_postings: int = attrs.field(default=500, validator=_count)
    evidence_floor: float = attrs.field(default=0.0, validator=_fraction_or_more)

    def shared_needed(self, live_keys: int) -> int:
        """Return how many keys a pair must share when ``live_keys`` remain.

        >>> COMPANY_PROFILE.shared_needed(10), COMPANY_PROFILE.shared_needed(2)
        (3, 1)
        """
        return max(self.min_shared, math.ceil(self.shared_pct * live_keys - 1e-9))


def _rule(
    name: str, comparator: Comparator, weight: float, penalty: float
) -> FieldRule:
    return FieldRule(field=name, comparator=comparator, weight=weight, penalty=penalty)


def _key_of(name: str, *parts: tuple[str, KeyTransform, int]) -> BlockingKey:
    return BlockingKey(
        name=name,
        parts=tuple(KeyPart(field=f, transform=t, length=n) for f, t, n in parts),
    )


_T, _CN, _D = KeyTransform.TEXT, KeyTransform.COMPANY_NAME, KeyTransform.DIGITS

COMPANY_PROFILE = MatchProfile(
    kind=RecordKind.COMPANY,
    fields=(
        _rule("name", Comparator.COMPANY_NAME, 4.0, 4.0),
        _rule("name_2", Comparator.TEXT, 0.5, 0.25),
        _rule("address", Comparator.TEXT, 2.0, 0.5),
        _rule("address_2", Comparator.TEXT, 0.5, 0.25),
        _rule("city", Comparator.TEXT, 1.0, 0.5),
        _rule("post_code", Comparator.POSTCODE, 1.5, 1.0),
        _rule("country_code", Comparator.EXACT, 0.5, 0.5),
        _rule("phone_no", Comparator.PHONE, 2.0, 0.5),
        _rule("mobile_phone_no", Comparator.PHONE, 1.5, 0.5),
        _rule("email", Comparator.EMAIL, 2.0, 0.5),
        _rule("vat_registration_no", Comparator.CODE, 4.0, 2.0),
        _rule("registration_no", Comparator.CODE, 4.0, 2.0),
    ),
    keys=(
        _key_of("name", ("name", _CN, 0)),
        _key_of("name4_pc", ("name", _CN, 4), ("post_code", _T, 0)),
        _key_of("name4_city", ("name", _CN, 4), ("city", _T, 0)),
        _key_of("addr6_pc", ("address", _T, 6), ("post_code", _T, 0)),
        _key_of("addr6_city", ("address", _T, 6), ("city", _T, 0)),
        _key_of("phone", ("phone_no", _D, 0)),
        _key_of("mobile", ("mobile_phone_no", _D, 0)),
        _key_of("email", ("email", KeyTransform.EMAIL, 0)),
        _key_of("domain", ("email", KeyTransform.EMAIL_DOMAIN, 0)),
        _key_of("vat", ("vat_registration_no", _T, 0)),
        _key_of("reg", ("registration_no", _T, 0)),
    ),
    threshold=0.75,
    min_shared=1,
    shared_pct=0.25,
    # A company key held by more than 50 records (a generic name in one city, a
    # switchboard, a hoster's domain) tells no company apart. A bound fixed in N
    # keeps the candidates per record flat as the batch grows.
    max_postings=50,
    evidence_floor=6.0,
)
"""The shipped ``default`` profile for company contacts."""

PERSON_PROFILE = MatchProfile(
    kind=RecordKind.PERSON,
    fields=(
        _rule("first_name", Comparator.NAME, 2.0, 2.5),
        _rule("surname", Comparator.NAME, 3.0, 5.0),
        _rule("name", Comparator.TEXT, 1.0, 0.25),
        _rule("birth_date", Comparator.DATE, 3.0, 4.0),
        _rule("address", Comparator.TEXT, 2.0, 0.5),
        _rule("address_2", Comparator.TEXT, 0.5, 0.25),
        _rule("city", Comparator.TEXT, 1.0, 0.5),
        _rule("post_code", Comparator.POSTCODE, 2.0, 1.0),
        _rule("county", Comparator.EXACT, 0.5, 0.5),
        _rule("phone_no", Comparator.PHONE, 2.0, 1.0),
        _rule("mobile_phone_no", Comparator.PHONE, 2.0, 1.0),
        _rule("email", Comparator.EMAIL, 3.0, 1.0),
        _rule("registration_no", Comparator.CODE, 8.0, 1.0),
        _rule("job_title", Comparator.EXACT, 0.5, 0.25),
    ),
    keys=(
        _key_of("fn3_sn4", ("first_name", _T, 3), ("surname", _T, 4)),
        _key_of("sn_dob", ("surname", _T, 0), ("birth_date", _D, 0)),
        _key_of("fn_dob", ("first_name", _T, 0), ("birth_date", _D, 0)),
        _key_of("pc_fn", ("post_code", _T, 0), ("first_name", _T, 0)),
        _key_of("pc_sn", ("post_code", _T, 0), ("surname", _T, 0)),
        _key_of("dob_city", ("birth_date", _D, 0), ("city", _T, 0)),
        _key_of("pc3_dob", ("post_code", _T, 3), ("birth_date", _D, 0)),
        _key_of("pc3_fn", ("post_code", _T, 3), ("first_name", _T, 0)),
        _key_of("pc3_sn", ("post_code", _T, 3), ("surname", _T, 0)),
        _key_of(
            "sn3_fn3_dob4",
            ("surname", _T, 3),
            ("first_name", _T, 3),
            ("birth_date", _D, 4),
        ),
        _key_of("email", ("email", KeyTransform.EMAIL, 0)),
        _key_of("phone", ("phone_no", _D, 0)),
        _key_of("mobile", ("mobile_phone_no", _D, 0)),
        _key_of("reg", ("registration_no", _T, 0)),
        _key_of("addr6_pc", ("address", _T, 6), ("post_code", _T, 0)),
    ),
    threshold=0.62,
    min_shared=1,
    shared_pct=0.0,
    max_postings=500,
    evidence_floor=7.0,
)
"""The shipped ``default`` profile for person contacts."""

DEFAULT_PROFILES: Mapping[RecordKind, MatchProfile] = {
    RecordKind.COMPANY: COMPANY_PROFILE,
    RecordKind.PERSON: PERSON_PROFILE,
}
"""The shipped profiles, by kind."""

_LEGAL_FORMS = frozenset(
    {
        "ab", "ag", "and", "as", "bv", "co", "company", "corp", "corporation",
        "gmbh", "inc", "kg", "kgaa", "limited", "llc", "llp", "lp", "ltd", "nv",
        "ohg", "oy", "plc", "pty", "sa", "sarl", "sas", "se", "spa", "srl", "the",
        "und",
    }
)  # fmt: skip
_PHONE_DIGITS = 9
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"\D+")


def _fold(text: str) -> str:
    """Lower-case ASCII-ish text: accents dropped, punctuation turned into spaces."""
    if not text.isascii():
        text = "".join(
            c
            for c in unicodedata.normalize("NFKD", text)
            if not unicodedata.combining(c)
        )
    return _NOT_ALNUM.sub(" ", text.casefold()).strip()


def _core_name(text: str) -> str:
    tokens = _fold(text).split()
    kept = [t for t in tokens if t not in _LEGAL_FORMS]
    return " ".join(kept or tokens)


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def _sorted_tokens(text: str) -> str:
    return " ".join(sorted(_fold(text).split()))


def _last_digits(text: str) -> str:
    return _digits(text)[-_PHONE_DIGITS:]


def _email(text: str) -> str:
    return text.strip().casefold()


def _compact(text: str) -> str:
    return _fold(text).replace(" ", "")


_PREPARE: dict[Comparator, Callable[[str], str]] = {
    Comparator.NAME: _sorted_tokens,
    Comparator.COMPANY_NAME: _core_name,
    Comparator.TEXT: _fold,
    Comparator.EXACT: _fold,
    Comparator.DATE: _digits,
    Comparator.PHONE: _last_digits,
    Comparator.EMAIL: _email,
    Comparator.CODE: _compact,
    Comparator.POSTCODE: _compact,
}


def _prepare_value(comparator: Comparator, text: str) -> str:
    return _PREPARE[comparator](text) if text else ""


def _key_value(transform: KeyTransform, text: str) -> str:
    if transform is KeyTransform.EMAIL:
        return text.strip().casefold()
    if transform is KeyTransform.EMAIL_DOMAIN:
        return text.strip().casefold().rpartition("@")[2] if "@" in text else ""
    if transform is KeyTransform.DIGITS:
        return _digits(text)
    if transform is KeyTransform.COMPANY_NAME:
        return _core_name(text).replace(" ", "")
    return _fold(text).replace(" ", "")


def _key_text(
    part: KeyPart, record: DuplicateRecord, cache: dict[tuple[str, KeyTransform], str]
) -> str:
    value = cache.get((part.field, part.transform))
    if value is None:
        value = _key_value(part.transform, record.value(part.field))
        cache[part.field, part.transform] = value
    if not part.length:
        # A whole phone number is compared by its last nine digits.
        return (
            value[-_PHONE_DIGITS:] if part.transform is KeyTransform.DIGITS else value
        )
    return value[: part.length] if part.part is Part.FIRST else value[-part.length :]


def blocking_keys(record: DuplicateRecord, profile: MatchProfile) -> tuple[str, ...]:
    """Return the record's blocking keys under ``profile`` (empty parts give none).

    >>> r = DuplicateRecord(key="P1", kind="Person", first_name="Thomas",
    ...     surname="Chudleigh", birth_date="1630-08-01")
    >>> blocking_keys(r, PERSON_PROFILE)[:3]
    ('P0:tho|chud', 'P1:chudleigh|16300801', 'P2:thomas|16300801')
    """
    prefix = record.kind.value[0]
    found: list[str] = []
    cache: dict[tuple[str, KeyTransform], str] = {}
    for number, key in enumerate(profile.keys):
        texts = [_key_text(part, record, cache) for part in key.parts]
        if all(texts):
            found.append(f"{prefix}{number}:{'|'.join(texts)}")
    return tuple(found)


class StringMetrics(Protocol):
    """The string similarities the scorer uses: the strategy the extra replaces.

    Both return a number from 0.0 to 1.0 and 1.0 for equal strings.
    """

    def jaro_winkler(self, a: str, b: str) -> float:
        """Return the Jaro-Winkler similarity (prefix weight 0.1)."""
        ...

    def ratio(self, a: str, b: str) -> float:
        """Return the normalised indel similarity."""
        ...


_AGREE = 0.8
_NEAR = 0.7
_FAR = 0.4
_PREFIX = 3


def _hamming_one_or_two(a: str, b: str) -> int:
    """Return the number of differing positions of equal-length strings (max 3)."""
    if len(a) != len(b):
        return 3
    differing = 0
    for x, y in zip(a, b, strict=True):
        if x != y:
            differing += 1
            if differing == 3:  # noqa: PLR2004
                break
    return differing


@frozen
class PreparedRecord:
    """A record's normalised field values, computed once and scored many times."""

    key: str
    kind: RecordKind
    values: tuple[str, ...]


class FieldWeightedScorer:
    """Score a pair of records field by field: ``(score, agreeing fields)``.

    Each :class:`FieldRule` compares the two normalised values with its
    :class:`Comparator` giving ``s`` in [0, 1]; fields empty on either side are
    left out. The score is ``Σ weight x s / max(Σ weight, evidence_floor)`` over the
    fields both records have, so it lies in [0, 1], is symmetric, and is 1.0 for a
    pair that agrees on every field once they carry ``evidence_floor`` weight. A
    field *agrees* when ``s ≥ 0.8``. Records of different kinds score 0.

    Args:
        profiles: The profile per kind (default :data:`DEFAULT_PROFILES`).
        metrics: The string metrics (default :class:`PurePythonMetrics`).

    >>> scorer = FieldWeightedScorer()
    >>> a = DuplicateRecord(key="1", kind="Person", first_name="Thomas",
    ...     surname="Chudleigh", birth_date="1630-08-01", post_code="TQ13 8DF")
    >>> b = attrs.evolve(a, key="2", first_name="Tom", birth_date="1630-08-11")
    >>> score, agreeing = scorer.compare(a, b)
    >>> round(score, 3), agreeing
    (0.848, ('first_name', 'surname', 'post_code'))
    """

    def __init__(
        self,
        profiles: Mapping[RecordKind, MatchProfile] | None = None,
        *,
        metrics: StringMetrics | None = None,
    ) -> None:
        self.profiles = dict(DEFAULT_PROFILES if profiles is None else profiles)
        self.metrics: StringMetrics = (
            PurePythonMetrics() if metrics is None else metrics
        )
        jaro_winkler, ratio = self.metrics.jaro_winkler, self.metrics.ratio

        def text(a: str, b: str) -> float:
            tokens_a, tokens_b = set(a.split()), set(b.split())
            overlap = len(tokens_a & tokens_b) / min(len(tokens_a), len(tokens_b))
            return max(ratio(a, b), overlap)

        def differing(a: str, b: str) -> float:
            off = _hamming_one_or_two(a, b)
            return _NEAR if off == 1 else (_FAR if off == 2 else 0.0)  # noqa: PLR2004

        def code(a: str, b: str) -> float:
            return _NEAR if _hamming_one_or_two(a, b) == 1 else 0.0

        def email(a: str, b: str) -> float:
            similarity = ratio(a, b)
            return similarity if similarity >= 0.9 else 0.0  # noqa: PLR2004

        def postcode(a: str, b: str) -> float:
            if ratio(a, b) >= _AGREE:
                return _NEAR
            return _FAR if a[:_PREFIX] == b[:_PREFIX] else 0.0

        self._compare: dict[Comparator, Callable[[str, str], float]] = {
            Comparator.NAME: jaro_winkler,
            Comparator.COMPANY_NAME: text,
            Comparator.TEXT: text,
            Comparator.EXACT: lambda _a, _b: 0.0,
            Comparator.DATE: differing,
            Comparator.CODE: code,
            Comparator.PHONE: code,
            Comparator.EMAIL: email,
            Comparator.POSTCODE: postcode,
        }
        self._plans = {
            kind: (
                tuple(
                    (
                        rule.field,
                        rule.weight,
                        rule.disagreement,
                        self._compare[rule.comparator],
                    )
                    for rule in profile.fields
                ),
                profile.evidence_floor,
            )
            for kind, profile in self.profiles.items()
        }

    def prepare(self, record: DuplicateRecord) -> PreparedRecord:
        """Normalise the fields the record's profile compares.

        Raises:
            ValidationError: No profile for the record's kind.
        """
        profile = self._profile(record.kind)
        return PreparedRecord(
            record.key,
            record.kind,
            tuple(
                _prepare_value(rule.comparator, record.value(rule.field))
                for rule in profile.fields
            ),
        )

    def score(
        self, left: PreparedRecord, right: PreparedRecord
    ) -> tuple[float, tuple[str, ...]]:
        """Return the score of a prepared pair and the fields that agreed."""
        if left.kind is not right.kind:
            return 0.0, ()
        plan, floor = self._plans[left.kind]
        favour = against = 0.0
        agreeing: list[str] = []
        for (name, weight, penalty, compare), a, b in zip(
            plan, left.values, right.values, strict=True
        ):
            if not a or not b:
                continue
            # Canonical order makes every comparator symmetric.
            similarity = 1.0 if a == b else (compare(a, b) if a < b else compare(b, a))
            favour += weight * similarity
            against += penalty * (1.0 - similarity)
            if similarity >= _AGREE:
                agreeing.append(name)
        evidence = favour + against
        if not evidence:
            return 0.0, ()
        return favour / max(evidence, floor), tuple(agreeing)

    def compare(
        self, left: DuplicateRecord, right: DuplicateRecord
    ) -> tuple[float, tuple[str, ...]]:
        """Prepare and score two records."""
        return self.score(self.prepare(left), self.prepare(right))

    def _profile(self, kind: RecordKind) -> MatchProfile:
        try:
            return self.profiles[kind]
        except KeyError:
            raise ValidationError("kind", kind, "has no match profile") from None


# --- matches and clusters -------------------------------------------------------


@frozen(kw_only=True)
class DuplicateMatch:
    """A pair of records found to be duplicates (BC's *Contact Duplicate* row).

    Attributes:
        left: The key of the record checked (BC's *Contact No.*).
        right: The key of the other record (*Duplicate Contact No.*).
        method: The method that found the pair.
        score: ``default``: the scorer's score; ``bc``: hits / setup rows.
        hits: ``bc``: *No. of Matching Strings*; ``default``: blocking keys shared.
        agreeing_fields: The fields that agreed (``bc``: fields with a matching
            string).
        separate: The user marked the pair *Separate Contacts*.

    >>> DuplicateMatch(left="C1", right="C2", method="bc", score=0.625, hits=10).pair
    ('C1', 'C2')
    """

    left: str
    right: str
    method: DuplicateMethod = attrs.field(converter=_method)
    score: float
    hits: int = 0
    agreeing_fields: tuple[str, ...] = attrs.field(default=(), converter=_names)
    separate: bool = False

    @property
    def pair(self) -> tuple[str, str]:
        """The two keys in sorted order (the pair's identity)."""
        return (
            (self.left, self.right)
            if self.left <= self.right
            else (self.right, self.left)
        )


def clusters(
    matches: Iterable[DuplicateMatch], keys: Iterable[str] = ()
) -> list[tuple[str, ...]]:
    """Join matched pairs into clusters (connected components, by union-find).

    Separate pairs are not links. ``keys`` adds records that matched nothing as
    clusters of one, so the result partitions ``keys`` and the matched keys.

    >>> m = [DuplicateMatch(left="a", right="b", method="default", score=0.9),
    ...      DuplicateMatch(left="c", right="b", method="default", score=0.9)]
    >>> clusters(m, keys=["a", "b", "c", "d"])
    [('a', 'b', 'c'), ('d',)]
    """
    parent: dict[str, str] = {key: key for key in keys}

    def find(key: str) -> str:
        root = parent.setdefault(key, key)
        while root != parent[root]:
            root = parent[root]
        while key != root:
            parent[key], key = root, parent[key]
        return root

    for match in matches:
        if not match.separate:
            left, right = find(match.left), find(match.right)
            if left != right:
                parent[max(left, right)] = min(left, right)
    groups: dict[str, list[str]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    return sorted(tuple(sorted(group)) for group in groups.values())


# --- engines: the two methods behind DuplicateIndex --------------------------------

_Found = tuple[str, int, float, tuple[str, ...]]  # other key, hits, score, agreeing


def _bc_key(row: SearchStringSetup, text: str) -> str:
    return f"{row.field}:{row.part.value}:{text}"


def _bc_keys(
    record: DuplicateRecord, setup: tuple[SearchStringSetup, ...]
) -> tuple[str, ...]:
    return tuple(_bc_key(setup[n], s) for n, s in search_strings(record, setup))


def _bc_hits(
    strings: Iterable[str],
    postings: Mapping[str, Iterable[str]],
    needed: int,
    exclude: str,
) -> dict[str, int]:
    """BC's count: one hit per shared search string; keep those reaching ``needed``."""
    counts = Counter(
        itertools.chain.from_iterable(postings.get(s, ()) for s in strings)
    )
    counts.pop(exclude, None)
    return {other: hits for other, hits in counts.items() if hits >= needed}


def _bc_agreeing(own: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """The fields with a shared search string, in setup order."""
    shared = set(theirs)
    return tuple(dict.fromkeys(s.partition(":")[0] for s in own if s in shared))


def _shared_hits(
    live: list[str],
    postings: Mapping[str, Iterable[str]],
    key_count: Callable[[str], int],
    profile: MatchProfile,
    exclude: str,
) -> dict[str, int]:
    """The ``default`` candidates: records sharing enough of the live keys.

    The share is taken over the sparser record's keys. The candidate's are counted
    whole: recounting its remaining keys per candidate would cost more than the
    check saves.
    """
    counts = Counter(itertools.chain.from_iterable(postings.get(k, ()) for k in live))
    counts.pop(exclude, None)
    needed = profile.shared_needed(len(live))
    return {
        other: hits
        for other, hits in counts.items()
        if hits >= needed
        or hits >= profile.shared_needed(min(len(live), key_count(other)))
    }


class _BcEngine:
    """BC's search-string index (tables 5086 and 5095)."""

    def __init__(
        self, setup: tuple[SearchStringSetup, ...], hit_pct: Callable[[], int]
    ) -> None:
        self.setup = setup
        self.hit_pct = hit_pct
        self.strings: dict[str, tuple[str, ...]] = {}
        self.postings: dict[str, list[str]] = {}

    def query(self, record: DuplicateRecord) -> list[_Found]:
        strings = _bc_keys(record, self.setup)
        needed = hit_threshold(len(self.setup), self.hit_pct())
        hits = _bc_hits(strings, self.postings, needed, record.key)
        return [
            (
                other,
                count,
                count / len(self.setup),
                _bc_agreeing(strings, self.strings[other]),
            )
            for other, count in hits.items()
        ]

    def index(self, record: DuplicateRecord) -> None:
        strings = _bc_keys(record, self.setup)
        if strings:
            self.strings[record.key] = strings
            for s in strings:
                self.postings.setdefault(s, []).append(record.key)

    def unindex(self, key: str) -> None:
        for s in self.strings.pop(key, ()):
            posting = self.postings[s]
            posting.remove(key)
            if not posting:
                del self.postings[s]


class _DefaultEngine:
    """Blocking keys with stop-strings, a renormalised share, then the scorer."""

    def __init__(self, scorer: FieldWeightedScorer, threshold: float | None) -> None:
        self.scorer = scorer
        self.threshold = threshold
        self.keys: dict[str, tuple[str, ...]] = {}
        self.prepared: dict[str, PreparedRecord] = {}
        self.postings: dict[str, list[str]] = {}

    def _threshold(self, profile: MatchProfile) -> float:
        return profile.threshold if self.threshold is None else self.threshold

    def query(self, record: DuplicateRecord) -> list[_Found]:
        profile = self.scorer._profile(record.kind)  # noqa: SLF001
        postings = self.postings
        live = [
            k
            for k in blocking_keys(record, profile)
            if len(postings.get(k, ())) <= profile.max_postings
        ]
        hits = _shared_hits(
            live, postings, lambda other: len(self.keys[other]), profile, record.key
        )
        prepared = self.scorer.prepare(record)
        threshold = self._threshold(profile)
        found: list[_Found] = []
        for other, count in hits.items():
            score, agreeing = self.scorer.score(prepared, self.prepared[other])
            if score >= threshold:
                found.append((other, count, score, agreeing))
        return found

    def index(self, record: DuplicateRecord) -> None:
        profile = self.scorer._profile(record.kind)  # noqa: SLF001
        keys = blocking_keys(record, profile)
        self.keys[record.key] = keys
        self.prepared[record.key] = self.scorer.prepare(record)
        for k in keys:
            self.postings.setdefault(k, []).append(record.key)

    def unindex(self, key: str) -> None:
        self.prepared.pop(key, None)
        for k in self.keys.pop(key, ()):
            posting = self.postings[k]
            posting.remove(key)
            if not posting:
                del self.postings[k]

    def batch(
        self, records: list[DuplicateRecord], stats: dict[str, int]
    ) -> list[DuplicateMatch]:
        """Find all pairs among ``records`` against one full index (no order effects)."""
        keys = [blocking_keys(r, self.scorer._profile(r.kind)) for r in records]  # noqa: SLF001
        postings: dict[str, list[int]] = {}
        for number, record_keys in enumerate(keys):
            for k in record_keys:
                postings.setdefault(k, []).append(number)
        caps = [self.scorer.profiles[r.kind].max_postings for r in records]
        live = [
            [k for k in record_keys if len(postings[k]) <= cap]
            for record_keys, cap in zip(keys, caps, strict=True)
        ]
        live_count = [len(x) for x in live]
        stats["records"] = len(records)
        stats["keys"] = len(postings)
        cap_of = {k.value[0]: p.max_postings for k, p in self.scorer.profiles.items()}
        stats["stop_keys"] = sum(len(p) > cap_of[k[0]] for k, p in postings.items())
        # Prefix filtering: order each record's live keys rarest first. A pair
        # must share ``t = shared_needed(m)`` keys, ``m`` the smaller live count,
        # so the record with ``m`` keys shares one of its ``m - t + 1`` rarest:
        # probing those alone finds every pair the full count would, without
        # walking the biggest postings. The share is then counted exactly.
        size = {k: len(p) for k, p in postings.items()}
        scored = probed = 0
        prepared = [self.scorer.prepare(r) for r in records]
        score = self.scorer.score
        matches: list[DuplicateMatch] = []
        for number, record in enumerate(records):
            profile = self.scorer.profiles[record.kind]
            mine = live[number]
            count = live_count[number]
            needed = profile.shared_needed(count)
            prefix = sorted(mine, key=lambda k: (size[k], k))[: count - needed + 1]
            seen: set[int] = {number}
            threshold = self._threshold(profile)
            own = prepared[number]
            mine_set = frozenset(mine)
            for k in prefix:
                for other in postings[k]:
                    if other in seen:
                        continue
                    seen.add(other)
                    theirs = live_count[other]
                    # The pair is scored from its sparser side (ties: lower number).
                    if theirs < count or (theirs == count and other < number):
                        continue
                    probed += 1
                    hits = sum(k2 in mine_set for k2 in live[other])
                    if hits < needed:
                        continue
                    scored += 1
                    value, agreeing = score(own, prepared[other])
                    if value >= threshold:
                        matches.append(
                            _match(
                                left=record.key,
                                right=records[other].key,
                                method=DuplicateMethod.DEFAULT,
                                hits=hits,
                                score=value,
                                agreeing=agreeing,
                            )
                        )
        stats["probed_pairs"] = probed
        stats["candidate_pairs"] = scored
        return matches


def _match(
    *,
    left: str,
    right: str,
    method: DuplicateMethod,
    hits: int,
    score: float,
    agreeing: tuple[str, ...],
) -> DuplicateMatch:
    return DuplicateMatch(
        left=left,
        right=right,
        method=method,
        score=score,
        hits=hits,
        agreeing_fields=agreeing,
    )


# --- the index ------------------------------------------------------------------


class DuplicateIndex:
    """The in-memory duplicate index an insert or modify is checked against.

    It holds the records, the method's index (BC's search strings, or blocking keys
    and prepared values) and the pairs found so far (BC's *Contact Duplicate*
    table) with their *Separate Contacts* flags.

    Args:
        method: ``"bc"`` or ``"default"``.
        setup: The Marketing Setup; its ``search_hit_pct``,
            ``maintain_dupl_search_strings`` and ``autosearch_for_duplicates`` are
            read at each call (default: a fresh :class:`RelationshipSetup`).
        search_setup: ``bc``: the Duplicate Search String Setup rows.
        profiles: ``default``: the profile per kind.
        metrics: ``default``: the string metrics (e.g. the rapidfuzz adapter).
        threshold: ``default``: a score threshold overriding the profiles'.

    Raises:
        ValidationError: An unknown method, or two setup rows for one field and part.

    >>> index = DuplicateIndex("bc")
    >>> a = DuplicateRecord(key="C1", name="Cronus Ltd", address="1 Main St",
    ...     city="Leeds", post_code="LS1 4AP", phone_no="0113 496 0000",
    ...     email="info@cronus.example", vat_registration_no="GB123456789")
    >>> index.check(a)
    []
    >>> [(m.left, m.right, m.hits) for m in index.check(attrs.evolve(a, key="C2"))]
    [('C2', 'C1', 14)]
    >>> index.duplicate_exists("C1")
    True
    """

    def __init__(
        self,
        method: DuplicateMethod | str = DuplicateMethod.DEFAULT,
        *,
        setup: RelationshipSetup | None = None,
        search_setup: Iterable[SearchStringSetup] = DEFAULT_SEARCH_STRING_SETUP,
        profiles: Mapping[RecordKind, MatchProfile] | None = None,
        metrics: StringMetrics | None = None,
        threshold: float | None = None,
    ) -> None:
        self.method = _method(method)
        self.setup = RelationshipSetup() if setup is None else setup
        rows = tuple(search_setup)
        if len({(r.field, r.part) for r in rows}) != len(rows):
            raise ValidationError(
                "search_setup", rows, "has two rows for one field and part"
            )
        self.search_setup = rows
        self._records: dict[str, DuplicateRecord] = {}
        self._pairs: dict[tuple[str, str], DuplicateMatch] = {}
        self._pairs_of: dict[str, set[tuple[str, str]]] = {}
        self._engine: _BcEngine | _DefaultEngine
        if self.method is DuplicateMethod.BC:
            self._engine = _BcEngine(rows, lambda: self.setup.search_hit_pct)
        else:
            self._engine = _DefaultEngine(
                FieldWeightedScorer(profiles, metrics=metrics), threshold
            )

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def get(self, key: str) -> DuplicateRecord:
        """Return the indexed record with ``key``.

        Raises:
            NotFoundError: No such record is indexed.
        """
        try:
            return self._records[key]
        except KeyError:
            raise NotFoundError("duplicate index record", key) from None

    def indexes(self, record: DuplicateRecord) -> bool:
        """Return whether the method indexes records of this kind (bc: companies)."""
        return (
            self.method is DuplicateMethod.DEFAULT or record.kind is RecordKind.COMPANY
        )

    def candidates(self, record: DuplicateRecord) -> list[DuplicateMatch]:
        """Return the duplicates ``record`` would have, without changing the index.

        Pairs marked separate are left out; the record's own key is never a match.
        """
        if not self.indexes(record):
            return []
        found = [
            _match(
                left=record.key,
                right=other,
                method=self.method,
                hits=hits,
                score=score,
                agreeing=agreeing,
            )
            for other, hits, score, agreeing in self._engine.query(record)
        ]
        return sorted(
            (m for m in found if not self._is_separate(m.pair)),
            key=lambda m: (-m.score, m.right),
        )

    def add(self, record: DuplicateRecord) -> list[DuplicateMatch]:
        """Index ``record`` (insert or modify) and store its new pairs (BC ``make_index``).

        Its previous strings and its pairs are removed first, except pairs marked
        separate; a pair stored already (in either direction) is not added again.
        A record of a kind the method does not index (``bc``: a person) has its
        index removed instead.

        Returns:
            The pairs stored for the record by this call.
        """
        self._unindex(record.key, keep_separate=True)
        if not self.indexes(record):
            return []
        found = self.candidates(record)
        self._records[record.key] = record
        self._engine.index(record)
        stored = [m for m in found if m.pair not in self._pairs]
        for match in stored:
            self._store(match)
        return stored

    def remove(self, key: str) -> None:
        """Remove a record, its index and every pair it is in (contact deleted).

        Raises:
            NotFoundError: No such record is indexed.
        """
        self.get(key)
        self._unindex(key, keep_separate=False)

    def check(
        self, record: DuplicateRecord, *, previous: DuplicateRecord | None = None
    ) -> list[DuplicateMatch]:
        """Run BC's *CheckDuplicates* for an insert or a modify (§2.14, §2.3, §2.6).

        On modify (``previous`` given) nothing runs unless the kind changed or one
        of the checked fields did (:data:`BC_CHECK_FIELDS`; ``default`` adds its
        profile's fields). With *Maintain Dupl. Search Strings* on the record is
        re-indexed; with *Autosearch for Duplicates* on the pairs it is in are
        returned (what BC offers to process). A person under ``bc`` loses its index.

        Returns:
            The record's pairs not marked separate, or ``[]``.
        """
        if previous is not None and not self._changed(previous, record):
            return []
        if not self.indexes(record):
            self._unindex(record.key, keep_separate=False)
            return []
        if self.setup.maintain_dupl_search_strings:
            self.add(record)
        if not self.setup.autosearch_for_duplicates:
            return []
        return self.duplicates(record.key)

    def duplicates(
        self, key: str | None = None, *, include_separate: bool = False
    ) -> list[DuplicateMatch]:
        """Return the stored pairs, all or those with ``key`` on either side."""
        pairs = self._pairs_of.get(key, set()) if key is not None else self._pairs
        found = (self._pairs[p] for p in pairs)
        return sorted(
            (m for m in found if include_separate or not m.separate),
            key=lambda m: m.pair,
        )

    def duplicate_exists(self, key: str) -> bool:
        """BC's ``duplicate_exists``: autosearch is on and a non-separate pair exists."""
        return self.setup.autosearch_for_duplicates and bool(self.duplicates(key))

    def mark_separate(
        self, left: str, right: str, *, separate: bool = True
    ) -> DuplicateMatch:
        """Mark a stored pair as separate contacts (not duplicates), or unmark it.

        Raises:
            NotFoundError: The pair is not stored.
        """
        pair = (left, right) if left <= right else (right, left)
        try:
            match = self._pairs[pair]
        except KeyError:
            raise NotFoundError("contact duplicate", pair) from None
        changed = attrs.evolve(match, separate=separate)
        self._pairs[pair] = changed
        return changed

    def separate_pairs(self) -> frozenset[tuple[str, str]]:
        """Return the pairs marked separate, each in sorted order."""
        return frozenset(p for p, m in self._pairs.items() if m.separate)

    def reindex(self) -> None:
        """Rebuild every record's index (BC's *Generate Dupl. Search String*).

        Pairs marked separate survive; the other pairs are found again.
        """
        records = list(self._records.values())
        for record in records:
            self._unindex(record.key, keep_separate=True)
        for record in records:
            self.add(record)

    def _changed(self, previous: DuplicateRecord, record: DuplicateRecord) -> bool:
        names: set[str] = set(BC_CHECK_FIELDS)
        if isinstance(self._engine, _DefaultEngine):
            for profile in self._engine.scorer.profiles.values():
                names.update(rule.field for rule in profile.fields)
                names.update(p.field for key in profile.keys for p in key.parts)
        return previous.kind is not record.kind or any(
            previous.value(name) != record.value(name) for name in names
        )

    def _is_separate(self, pair: tuple[str, str]) -> bool:
        match = self._pairs.get(pair)
        return match is not None and match.separate

    def _store(self, match: DuplicateMatch) -> None:
        self._pairs[match.pair] = match
        for key in match.pair:
            self._pairs_of.setdefault(key, set()).add(match.pair)

    def _unindex(self, key: str, *, keep_separate: bool) -> None:
        self._records.pop(key, None)
        self._engine.unindex(key)
        for pair in list(self._pairs_of.get(key, ())):
            if keep_separate and self._pairs[pair].separate:
                continue
            del self._pairs[pair]
            for side in pair:
                owned = self._pairs_of[side]
                owned.discard(pair)
                if not owned:
                    del self._pairs_of[side]


def find_duplicates(
    records: Iterable[DuplicateRecord],
    *,
    method: DuplicateMethod | str = DuplicateMethod.DEFAULT,
    setup: RelationshipSetup | None = None,
    search_setup: Iterable[SearchStringSetup] = DEFAULT_SEARCH_STRING_SETUP,
    profiles: Mapping[RecordKind, MatchProfile] | None = None,
    metrics: StringMetrics | None = None,
    threshold: float | None = None,
    stats: dict[str, int] | None = None,
) -> list[DuplicateMatch]:
    """Find every duplicate pair among ``records`` (a batch; nothing is kept).

    ``bc`` indexes the companies one after another, as the *Generate Dupl. Search
    String* report does; ``default`` builds one index of all records first, so the
    stop-strings are those of the whole batch. Pairs come sorted by their keys,
    each with ``left < right``. Arguments are those of :class:`DuplicateIndex`;
    ``stats``, if given, receives the ``default`` method's counts (``records``,
    ``keys``, ``stop_keys``, ``probed_pairs`` whose shared keys were counted,
    ``candidate_pairs`` scored).

    Raises:
        ValidationError: An unknown method, or two records with one key.
    """
    batch = list(records)
    if len({r.key for r in batch}) != len(batch):
        raise ValidationError("records", None, "two records have the same key")
    chosen = _method(method)
    if chosen is DuplicateMethod.BC:
        index = DuplicateIndex(chosen, setup=setup, search_setup=search_setup)
        for record in batch:
            index.add(record)
        found = index.duplicates()
    else:
        engine = _DefaultEngine(
            FieldWeightedScorer(profiles, metrics=metrics), threshold
        )
        found = engine.batch(batch, {} if stats is None else stats)
    return sorted(
        (
            m if m.left <= m.right else attrs.evolve(m, left=m.right, right=m.left)
            for m in found
        ),
        key=lambda m: m.pair,
    )


# --- the stored index: keys kept by storage, a check in pure steps ---------------

Holder = tuple[str, int]
"""A record holding a key in a stored index, as (its key, how many keys it holds)."""


def index_keys(
    record: DuplicateRecord,
    method: DuplicateMethod | str = DuplicateMethod.DEFAULT,
    *,
    search_setup: Iterable[SearchStringSetup] = DEFAULT_SEARCH_STRING_SETUP,
    profiles: Mapping[RecordKind, MatchProfile] | None = None,
) -> tuple[str, ...]:
    """Return the keys a stored duplicate index keeps for ``record`` under ``method``.

    ``bc``: BC's *Cont. Duplicate Search String* rows (table 5086, §2.14), each as
    ``field:part:string``; a person has none (persons are not indexed). ``default``:
    the record's :func:`blocking_keys` under its kind's profile.

    >>> r = DuplicateRecord(key="C1", name="Cronus", city="Berlin")
    >>> index_keys(r, "bc")
    ('name:First:CRONU', 'name:Last:RONUS', 'city:First:BERLI', 'city:Last:ERLIN')
    >>> index_keys(r)
    ('C0:cronus', 'C2:cron|berlin')
    >>> index_keys(attrs.evolve(r, kind="Person"), "bc")
    ()

    Raises:
        ValidationError: An unknown method.
    """
    if _method(method) is DuplicateMethod.BC:
        if record.kind is not RecordKind.COMPANY:
            return ()
        return _bc_keys(record, tuple(search_setup))
    profile = (DEFAULT_PROFILES if profiles is None else profiles).get(record.kind)
    return () if profile is None else blocking_keys(record, profile)


class IndexProbe:
    """One duplicate check against a key index kept in storage, as pure steps.

    Storage keeps each record's :func:`index_keys`; the check runs in three steps
    around two reads, so that no step needs more than a bounded slice of the index:

    1. Ask storage for the holders of ``keys``, at most ``limit`` per key
       (``None``: all), the record itself left out.
    2. :meth:`candidates` names the records worth a look: ``default`` drops the
       stop-keys (more than ``max_postings`` holders, which is why ``limit`` is one
       more) and keeps records sharing enough of the rest; ``bc`` keeps those with
       ``ceil(rows x Search Hit % / 100)`` hits (§2.14).
    3. Load those records and pass them to :meth:`matches`, which scores them
       (``default``) and returns the duplicates, best first.

    The answers are those :meth:`DuplicateIndex.candidates` gives over the same
    records. Arguments are those of :class:`DuplicateIndex`; ``scorer``, if given,
    is used instead of one built from ``profiles`` and ``metrics`` (a service
    checking many contacts builds it once).

    >>> a = DuplicateRecord(key="C1", name="Cronus Ltd", city="Leeds",
    ...     address="1 Main St", post_code="LS1 4AP", phone_no="0113 496 0000")
    >>> probe = IndexProbe(attrs.evolve(a, key="C2", name="Cronus Ltd."))
    >>> stored = {k: [("C1", 5)] for k in index_keys(a)}  # what storage answers
    >>> probe.candidates({k: stored.get(k, []) for k in probe.keys})
    ['C1']
    >>> [(m.right, round(m.score, 2)) for m in probe.matches({"C1": a})]
    [('C1', 1.0)]

    Raises:
        ValidationError: An unknown method, or no profile for the record's kind.
    """

    def __init__(
        self,
        record: DuplicateRecord,
        method: DuplicateMethod | str = DuplicateMethod.DEFAULT,
        *,
        setup: RelationshipSetup | None = None,
        search_setup: Iterable[SearchStringSetup] = DEFAULT_SEARCH_STRING_SETUP,
        profiles: Mapping[RecordKind, MatchProfile] | None = None,
        metrics: StringMetrics | None = None,
        threshold: float | None = None,
        scorer: FieldWeightedScorer | None = None,
    ) -> None:
        self.record = record
        self.method = _method(method)
        self._setup = RelationshipSetup() if setup is None else setup
        self._rows = tuple(search_setup)
        if scorer is None:
            scorer = FieldWeightedScorer(profiles, metrics=metrics)
        self._engine = _DefaultEngine(scorer, threshold)
        self.keys = index_keys(
            record, self.method, search_setup=self._rows, profiles=scorer.profiles
        )
        self.limit: int | None = None
        if self.method is DuplicateMethod.DEFAULT:
            self._profile = self._engine.scorer._profile(record.kind)  # noqa: SLF001
            self.limit = self._profile.max_postings + 1
        self._hits: dict[str, int] = {}

    def candidates(self, holders: Mapping[str, Iterable[Holder]]) -> list[str]:
        """Return the keys of the records to load and score, sorted.

        Args:
            holders: For each of ``keys``, the records holding it (missing or
                empty: none), at most ``limit``.
        """
        postings = {k: [h for h, _ in holders.get(k, ())] for k in self.keys}
        if self.method is DuplicateMethod.BC:
            needed = hit_threshold(len(self._rows), self._setup.search_hit_pct)
            self._hits = _bc_hits(self.keys, postings, needed, self.record.key)
        else:
            profile = self._profile
            live = [k for k in self.keys if len(postings[k]) <= profile.max_postings]
            counts = {h: n for k in live for h, n in holders.get(k, ())}
            self._hits = _shared_hits(
                live, postings, counts.__getitem__, profile, self.record.key
            )
        return sorted(self._hits)

    def matches(self, records: Mapping[str, DuplicateRecord]) -> list[DuplicateMatch]:
        """Return the duplicates among the candidates, best first.

        Args:
            records: The candidates' records by key; one missing (deleted
                meanwhile) is left out.
        """
        found: list[_Found] = []
        if self.method is DuplicateMethod.BC:
            rows = len(self._rows)
            found.extend(
                (
                    other,
                    hits,
                    hits / rows,
                    _bc_agreeing(self.keys, _bc_keys(records[other], self._rows)),
                )
                for other, hits in self._hits.items()
                if other in records
            )
        else:
            engine = self._engine
            prepared = engine.scorer.prepare(self.record)
            threshold = engine._threshold(self._profile)  # noqa: SLF001
            for other, hits in self._hits.items():
                if other in records:
                    score, agreeing = engine.scorer.score(
                        prepared, engine.scorer.prepare(records[other])
                    )
                    if score >= threshold:
                        found.append((other, hits, score, agreeing))
        return sorted(
            (
                _match(
                    left=self.record.key,
                    right=other,
                    method=self.method,
                    hits=hits,
                    score=score,
                    agreeing=agreeing,
                )
                for other, hits, score, agreeing in found
            ),
            key=lambda m: (-m.score, m.right),
        )
