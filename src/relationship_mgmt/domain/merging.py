"""Merging duplicate contacts: a reviewable plan, a pure apply, and an exact undo.

BC's *Merge Contacts* page (spec §2.14, "Merging") lets the user pick the contact to
keep, take field values from either contact, move related records to the kept
contact and delete the other. The library makes each step a value
(peers-and-beyond.md, "Reviewable, reversible merges"):

1. :func:`plan_merge` compares the two contacts and returns a frozen
   :class:`MergePlan`: the survivor, one :class:`FieldDecision` per field that
   carries a value (which side wins, and why), the records to re-point
   (:class:`Repoint`) and the conflicts (:class:`FieldConflict`). Nothing changes.
2. :func:`apply_merge` turns a plan into the merged survivor (pure).
3. A :class:`MergeRecord` keeps both contacts as they were, the persons moved and
   the profile answers moved, so :func:`undo_merge` restores them exactly.

The survivorship rule is deliberately simple and explainable: **keep the survivor's
non-blank value; take the merged contact's value where the survivor's is blank**;
where both are non-blank and differ the survivor's value stays and the pair is
listed as a conflict. Multi-valued attributes (mailing groups, job
responsibilities, industry groups, business relations, web sources) are united.
Alternative addresses and their periods travel as one value (a union could produce
overlapping periods).

Refused merges (:class:`MergeRefusedError`): a contact with itself; a company with a
person (BC merges contacts of one type; the persons of a company would have no
home); and a privacy-blocked contact on either side — BC forbids using a blocked
contact in new transactions (§2.15), and a merge processes its personal data, so the
block must be lifted first.

>>> from datetime import UTC, datetime
>>> from relationship_mgmt.domain.setup import RelationshipSetup
>>> now = datetime(2026, 3, 1, tzinfo=UTC)
>>> a = Contact.create_company(no="CT1", name="Cronus Ltd", now=now,
...     setup=RelationshipSetup(), city="Leeds")
>>> b = Contact.create_company(no="CT2", name="Cronus Limited", now=now,
...     setup=RelationshipSetup(), phone_no="0113 496 0000", city="Leeds")
>>> plan = plan_merge(a, b)
>>> [(d.field, d.outcome.value) for d in plan.decisions if d.field != "search_name"]
[('name', 'survivor value kept'), ('city', 'survivor value kept'), ('phone_no', 'merged value taken')]
>>> [c.field for c in plan.conflicts]
['name', 'search_name']
>>> merged = apply_merge(plan, a, b, now=now)
>>> (merged.name, merged.phone_no)
('Cronus Ltd', '0113 496 0000')
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs
from attrs import field, frozen

from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.contacts import Contact, ContactType
from relationship_mgmt.domain.duplicates import DuplicateRecord, RecordKind
from relationship_mgmt.domain.profiles import ContactProfileAnswer
from relationship_mgmt.errors import (
    ConcurrencyError,
    MergeRefusedError,
    ValidationError,
)

__all__ = [
    "DUPLICATE_SOURCE_FIELDS",
    "EntryMove",
    "FieldConflict",
    "FieldDecision",
    "FieldOutcome",
    "MergePlan",
    "MergeRecord",
    "MergeRefusal",
    "Repoint",
    "UndoneMerge",
    "apply_merge",
    "check_can_merge",
    "duplicate_record",
    "duplicate_record_from_texts",
    "move_answer",
    "move_person",
    "plan_merge",
    "undo_merge",
]


# --- the mapping to duplicate detection (§2.14) -----------------------------------


_RECORD_SOURCES: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("name_2", "name_2"),
    ("first_name", "first_name"),
    ("middle_name", "middle_name"),
    ("surname", "surname"),
    ("address", "address"),
    ("address_2", "address_2"),
    ("city", "city"),
    ("post_code", "post_code"),
    ("county", "county"),
    ("country_code", "country_code"),
    ("phone_no", "phone_no"),
    ("mobile_phone_no", "mobile_phone_no"),
    ("email", "email"),
    ("vat_registration_no", "vat_registration_no"),
    ("registration_no", "registration_number"),
    ("job_title", "job_title"),
)
"""Each :class:`DuplicateRecord` field and the contact field it comes from."""

DUPLICATE_SOURCE_FIELDS: tuple[str, ...] = (
    "no",
    "type",
    *(source for _, source in _RECORD_SOURCES),
)
"""The contact fields :func:`duplicate_record_from_texts` reads."""


def duplicate_record(contact: Contact) -> DuplicateRecord:
    """Map a contact to the fields duplicate detection reads (§2.14).

    The key is the contact number; *Registration No.* is BC's
    ``registration_number``; persons carry their job title. A contact has no
    birth date in BC, so ``birth_date`` stays blank.

    >>> from datetime import UTC, datetime
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> c = Contact.create_company(no="CT1", name="Cronus", city="Leeds",
    ...     now=datetime(2026, 1, 1, tzinfo=UTC), setup=RelationshipSetup())
    >>> r = duplicate_record(c)
    >>> (r.key, r.kind.value, r.name, r.city)
    ('CT1', 'Company', 'Cronus', 'Leeds')
    """
    return duplicate_record_from_texts(
        {name: getattr(contact, name) or "" for name in DUPLICATE_SOURCE_FIELDS}
    )


def duplicate_record_from_texts(texts: Mapping[str, str]) -> DuplicateRecord:
    """Map a contact's text fields (:data:`DUPLICATE_SOURCE_FIELDS`) to a record.

    For reads that fetch a few fields of many contacts instead of whole contacts
    (:meth:`~relationship_mgmt.ports.ContactRepository.get_texts`); gives what
    :func:`duplicate_record` gives for the contact.

    >>> duplicate_record_from_texts({"no": "CT1", "type": "Person",
    ...     "name": "Ada Lovelace"}).kind.value
    'Person'
    """
    return DuplicateRecord(
        key=texts["no"],
        kind=RecordKind.COMPANY
        if texts.get("type", ContactType.COMPANY) == ContactType.COMPANY
        else RecordKind.PERSON,
        **{name: texts.get(source) or "" for name, source in _RECORD_SOURCES},
    )


# --- refusals ---------------------------------------------------------------------


class MergeRefusal(enum.StrEnum):
    """Why two contacts cannot be merged."""

    SAME_CONTACT = "same contact"
    DIFFERENT_TYPES = "different types"
    PRIVACY_BLOCKED = "privacy blocked"


def check_can_merge(survivor: Contact, merged: Contact) -> None:
    """Refuse a merge the rules forbid (see the module docstring).

    Raises:
        MergeRefusedError: The same contact, a company with a person, or a
            privacy-blocked contact (§2.15).
    """
    reason: MergeRefusal | None = None
    if survivor.no == merged.no:
        reason = MergeRefusal.SAME_CONTACT
    elif survivor.type is not merged.type:
        reason = MergeRefusal.DIFFERENT_TYPES
    elif survivor.privacy_blocked or merged.privacy_blocked:
        reason = MergeRefusal.PRIVACY_BLOCKED
    if reason is not None:
        raise MergeRefusedError(survivor.no, merged.no, reason)


# --- the plan -------------------------------------------------------------------


class FieldOutcome(enum.StrEnum):
    """Which side a field's value comes from."""

    SURVIVOR_VALUE_KEPT = "survivor value kept"
    MERGED_VALUE_TAKEN = "merged value taken"
    UNITED = "values united"


@frozen(kw_only=True)
class FieldDecision:
    """What the merge does with one field, and why."""

    field: str
    outcome: FieldOutcome
    reason: str


@frozen(kw_only=True)
class FieldConflict:
    """A field where both contacts hold different non-blank values (the survivor's stays)."""

    field: str
    survivor_value: str
    merged_value: str


@frozen(kw_only=True)
class Repoint:
    """A related record that moves from the merged contact to the survivor.

    Attributes:
        kind: ``"person"`` (a person of a merged company), ``"profile answer"``
            or ``"interaction log entry"``; later areas (opportunities, tasks,
            segment lines) add their kinds through the service's hooks.
        key: The record's key as text (a contact number; ``questionnaire/line``).
        from_no: The merged contact.
        to_no: The survivor.
    """

    kind: str
    key: str
    from_no: str
    to_no: str


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@frozen(kw_only=True)
class MergePlan:
    """A reviewable merge: nothing has changed yet (peers-and-beyond.md item 9).

    Attributes:
        survivor_no: The contact that stays.
        merged_no: The contact merged away (deleted; its number becomes an alias).
        survivor_version: The survivor's version the plan was made from.
        merged_version: The merged contact's version the plan was made from.
        decisions: One per field either side fills, in field order.
        repoint: The related records that move to the survivor.
        conflicts: Fields where both sides differ; the survivor's value stays.
    """

    survivor_no: str
    merged_no: str
    survivor_version: int
    merged_version: int
    decisions: tuple[FieldDecision, ...] = field(default=(), converter=_tuple)
    repoint: tuple[Repoint, ...] = field(default=(), converter=_tuple)
    conflicts: tuple[FieldConflict, ...] = field(default=(), converter=_tuple)

    @property
    def taken(self) -> tuple[str, ...]:
        """The fields whose value comes from the merged contact."""
        return tuple(
            d.field
            for d in self.decisions
            if d.outcome is FieldOutcome.MERGED_VALUE_TAKEN
        )

    @property
    def persons(self) -> tuple[str, ...]:
        """The numbers of the persons that move to the survivor."""
        return tuple(r.key for r in self.repoint if r.kind == "person")


# Fields no decision is made on: identity, persistence, derived or moved with another.
_NOT_DECIDED = frozenset(
    {
        "version",
        "no",
        "type",
        "company_name",  # a company's is its name; a person's follows company_no
        "last_modified",
        "alternative_address_periods",  # travel with alternative_addresses
        "privacy_blocked",  # both are unblocked (refused otherwise)
    }
)
_UNITED = frozenset(
    {
        "mailing_groups",
        "job_responsibilities",
        "industry_groups",
        "business_relations",
        "web_sources",
    }
)
_DECIDED: tuple[str, ...] = tuple(
    a.name
    for a in attrs.fields(Contact)
    if a.init and not a.name.startswith("_") and a.name not in _NOT_DECIDED
)


def _blank(value: object) -> bool:
    return value is None or value is False or value in ("", (), frozenset(), {})


def _show(value: object) -> str:
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    if isinstance(value, tuple):
        return ", ".join(getattr(v, "code", str(v)) for v in value)
    return str(value)


def _decide(name: str, kept: object, other: object) -> FieldDecision | None:
    if _blank(kept) and _blank(other):
        return None
    if name in _UNITED:
        if _blank(other) or (isinstance(kept, Mapping) and kept == other):
            reason = "only the survivor has values"
            outcome = FieldOutcome.SURVIVOR_VALUE_KEPT
        else:
            reason = "multi-valued: the values of both contacts are kept"
            outcome = FieldOutcome.UNITED
        return FieldDecision(field=name, outcome=outcome, reason=reason)
    if _blank(kept):
        return FieldDecision(
            field=name,
            outcome=FieldOutcome.MERGED_VALUE_TAKEN,
            reason="the survivor's value is blank",
        )
    reason = (
        "both contacts hold the same value"
        if kept == other
        else "the survivor's value is not blank"
    )
    return FieldDecision(
        field=name, outcome=FieldOutcome.SURVIVOR_VALUE_KEPT, reason=reason
    )


def plan_merge(
    survivor: Contact,
    merged: Contact,
    *,
    persons_of_merged: Iterable[Contact] = (),
    answers_to_move: Iterable[ContactProfileAnswer] = (),
    entries_to_move: Iterable[int] = (),
) -> MergePlan:
    """Plan merging ``merged`` into ``survivor`` (§2.14 "Merging"); change nothing.

    Args:
        survivor: The contact to keep.
        merged: The contact to merge away.
        persons_of_merged: A merged company's persons; they move to the survivor.
        answers_to_move: The merged contact's profile answers that move (the
            service picks those whose question the survivor has not answered).
        entries_to_move: The numbers of the interaction log entries that move:
            those of the merged contact and, for a company, of its persons (§2.12).

    Raises:
        MergeRefusedError: :func:`check_can_merge` refuses.
    """
    check_can_merge(survivor, merged)
    decisions: list[FieldDecision] = []
    conflicts: list[FieldConflict] = []
    for name in _DECIDED:
        if name == "company_no" and survivor.type is ContactType.COMPANY:
            continue
        kept, other = getattr(survivor, name), getattr(merged, name)
        decision = _decide(name, kept, other)
        if decision is None:
            continue
        decisions.append(decision)
        if name in _UNITED:
            if isinstance(kept, Mapping) and isinstance(other, Mapping):
                clashing = sorted(k for k in kept if k in other and kept[k] != other[k])
                conflicts.extend(
                    FieldConflict(
                        field=f"{name}[{k}]",
                        survivor_value=str(kept[k]),
                        merged_value=str(other[k]),
                    )
                    for k in clashing
                )
        elif not _blank(kept) and not _blank(other) and kept != other:
            conflicts.append(
                FieldConflict(
                    field=name, survivor_value=_show(kept), merged_value=_show(other)
                )
            )
    repoint = [
        Repoint(kind="person", key=p.no, from_no=merged.no, to_no=survivor.no)
        for p in sorted(persons_of_merged, key=lambda p: p.no)
    ]
    repoint.extend(
        Repoint(
            kind="profile answer",
            key=f"{a.questionnaire_code}/{a.line_no}",
            from_no=merged.no,
            to_no=survivor.no,
        )
        for a in sorted(answers_to_move, key=lambda a: a.key)
    )
    repoint.extend(
        Repoint(
            kind="interaction log entry",
            key=str(no),
            from_no=merged.no,
            to_no=survivor.no,
        )
        for no in sorted(entries_to_move)
    )
    return MergePlan(
        survivor_no=survivor.no,
        merged_no=merged.no,
        survivor_version=survivor.version,
        merged_version=merged.version,
        decisions=decisions,
        repoint=repoint,
        conflicts=conflicts,
    )


def _check_plan(plan: MergePlan, survivor: Contact, merged: Contact) -> None:
    if (survivor.no, merged.no) != (plan.survivor_no, plan.merged_no):
        raise ValidationError(
            "plan", (plan.survivor_no, plan.merged_no), "is for other contacts"
        )
    for contact, held in (
        (survivor, plan.survivor_version),
        (merged, plan.merged_version),
    ):
        if contact.version != held:
            raise ConcurrencyError("contact", contact.no, held)


def apply_merge(
    plan: MergePlan, survivor: Contact, merged: Contact, *, now: datetime
) -> Contact:
    """Return the survivor with the plan's decisions applied (pure; inputs unchanged).

    The result keeps the survivor's number and version (storage bumps it) and is
    stamped ``last_modified = now``.

    Raises:
        ValidationError: The plan is for other contacts.
        ConcurrencyError: A contact's version is not the plan's.
        MergeRefusedError: :func:`check_can_merge` refuses.
    """
    check_can_merge(survivor, merged)
    _check_plan(plan, survivor, merged)
    changes: dict[str, Any] = {"last_modified": now}
    for decision in plan.decisions:
        name = decision.field
        if decision.outcome is FieldOutcome.MERGED_VALUE_TAKEN:
            changes[name] = getattr(merged, name)
            if name == "company_no":
                changes["company_name"] = merged.company_name
            elif name == "alternative_addresses":
                changes["alternative_address_periods"] = (
                    merged.alternative_address_periods
                )
        elif decision.outcome is FieldOutcome.UNITED:
            kept, other = getattr(survivor, name), getattr(merged, name)
            changes[name] = (
                {**other, **kept} if isinstance(kept, Mapping) else kept | other
            )
    return attrs.evolve(copy.deepcopy(survivor), **changes)


def move_person(person: Contact, company: Contact, *, now: datetime) -> Contact:
    """Return a person of the merged company re-pointed to the surviving company.

    Only the company link (*Company No.*, *Company Name*) changes: the person's own
    address and phone stay, as a re-point should not overwrite personal data.
    """
    return attrs.evolve(
        copy.deepcopy(person),
        company_no=company.no,
        company_name=company.name,
        last_modified=now,
    )


def move_answer(
    answer: ContactProfileAnswer, survivor: Contact
) -> ContactProfileAnswer:
    """Return a profile answer re-pointed to the survivor."""
    return attrs.evolve(
        answer, contact_no=survivor.no, contact_company_no=survivor.company_no
    )


# --- the record and the undo -----------------------------------------------------


def _contacts(value: Iterable[Contact]) -> tuple[Contact, ...]:
    return tuple(value)


def _answers(value: Iterable[ContactProfileAnswer]) -> tuple[ContactProfileAnswer, ...]:
    return tuple(value)


@frozen(kw_only=True)
class EntryMove:
    """An interaction log entry a merge re-pointed, with its contact numbers before.

    A merge moves the merged contact's entries to the survivor (§2.12); unmerging
    puts these numbers back.

    >>> EntryMove(entry_no=7, contact_no="CT2", contact_company_no="CT2").entry_no
    7
    """

    entry_no: int
    contact_no: ContactNo | None = None
    contact_company_no: ContactNo | None = None


def _moves(value: Iterable[EntryMove]) -> tuple[EntryMove, ...]:
    return tuple(value)


@frozen(kw_only=True)
class MergeRecord:
    """What a merge did, kept so that it can be undone exactly.

    Stored under the merged contact's number; while it is stored that number
    resolves to the survivor (an alias).

    Attributes:
        plan: The plan that was applied.
        survivor_before: The survivor as it was before the merge.
        merged_before: The merged contact as it was (it is deleted by the merge).
        persons_moved: The persons re-pointed, as they were before.
        answers_removed: The merged contact's profile answers, as they were.
        answers_added: The answers the survivor received.
        entries_moved: The interaction log entries re-pointed to the survivor,
            with their contact numbers before.
        occurred_at: When the merge was applied.
    """

    plan: MergePlan
    survivor_before: Contact
    merged_before: Contact
    persons_moved: tuple[Contact, ...] = field(default=(), converter=_contacts)
    answers_removed: tuple[ContactProfileAnswer, ...] = field(
        default=(), converter=_answers
    )
    answers_added: tuple[ContactProfileAnswer, ...] = field(
        default=(), converter=_answers
    )
    entries_moved: tuple[EntryMove, ...] = field(default=(), converter=_moves)
    occurred_at: datetime

    @property
    def merged_no(self) -> ContactNo:
        """The merged-away number (the record's key)."""
        return self.merged_before.no

    @property
    def survivor_no(self) -> ContactNo:
        """The survivor's number (the alias target)."""
        return self.survivor_before.no


@frozen(kw_only=True)
class UndoneMerge:
    """The contacts as :func:`undo_merge` restores them."""

    survivor: Contact
    merged: Contact
    persons: tuple[Contact, ...] = field(default=(), converter=_contacts)


def undo_merge(
    record: MergeRecord, survivor_now: Contact, persons_now: Iterable[Contact] = ()
) -> UndoneMerge:
    """Return the contacts as they were before the merge (pure).

    The survivor and the persons keep their current versions, so storage can write
    them back with a version check; the merged contact is returned exactly as it
    was (version included; give it version 0 to add it again). Whether they changed
    since the merge is the caller's check (storage versions).

    Raises:
        ValidationError: ``survivor_now`` or a person is not the record's.
    """
    if survivor_now.no != record.survivor_no:
        raise ValidationError("survivor", survivor_now.no, "is not the record's")
    current = {p.no: p for p in persons_now}
    persons: list[Contact] = []
    for before in record.persons_moved:
        now = current.get(before.no)
        if now is None:
            raise ValidationError("persons", before.no, "is missing")
        persons.append(attrs.evolve(copy.deepcopy(before), version=now.version))
    return UndoneMerge(
        survivor=attrs.evolve(
            copy.deepcopy(record.survivor_before), version=survivor_now.version
        ),
        merged=copy.deepcopy(record.merged_before),
        persons=persons,
    )
