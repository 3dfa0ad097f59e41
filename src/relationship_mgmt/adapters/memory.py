"""The in-memory storage adapter: the reference semantics every adapter must match.

It behaves like a database: it stores copies (no aliasing between callers and
storage), stages a unit of work's changes until :meth:`InMemoryUnitOfWork.commit`,
checks versions (at write time and again at commit, so a change committed meanwhile
by another unit of work is a :class:`~relationship_mgmt.errors.ConcurrencyError`),
enforces the same references the SQL schema does, and is thread-safe.

>>> from relationship_mgmt.domain.numbering import NumberSeries
>>> store = InMemoryStore()
>>> with InMemoryUnitOfWork(store) as uow:
...     uow.number_series.add(NumberSeries(code="CONT", starting_no="CT0001"))
...     uow.commit()
>>> with InMemoryUnitOfWork(store) as uow:
...     uow.number_series.get("CONT").version
1
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Generic, Self, TypeVar, cast

from relationship_mgmt.adapters._pipeline_index import PipelineIndex
from relationship_mgmt.adapters.look_up import compose_look_up
from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignEntry,
    CampaignTargetGroup,
    PricingLine,
    TargetType,
    pricing_line_key,
    targeted_companies,
)
from relationship_mgmt.domain.codes import (
    CampaignNo,
    Code,
    ContactNo,
    NoSeriesCode,
    OpportunityNo,
    SalespersonCode,
    SegmentNo,
    TaskNo,
)
from relationship_mgmt.domain.contacts import (
    Contact,
    ContactType,
    LinkToTable,
    text_fields,
    text_of,
)
from relationship_mgmt.domain.duplicates import DuplicateMethod
from relationship_mgmt.domain.interactions import (
    InteractionFilter,
    InteractionLogEntry,
    InteractionStatistics,
    InteractionTemplate,
    InteractionTemplateSetup,
    check_purgeable,
    check_update,
    statistics_of,
)
from relationship_mgmt.domain.merging import MergeRecord
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.opportunities import (
    Opportunity,
    OpportunityEntry,
    OpportunityStatus,
    SalesCycle,
)
from relationship_mgmt.domain.pipeline import (
    GroupBy,
    OpportunityTotals,
    PipelineRow,
    StageDurations,
    add_contribution,
    check_group_by,
    durations_from_histograms,
    pipeline_of,
    rows_from_sums,
    sorted_totals,
)
from relationship_mgmt.domain.profiles import ContactProfileAnswer, ProfileQuestionnaire
from relationship_mgmt.domain.salespeople import Salesperson, Team
from relationship_mgmt.domain.segments import LoggedSegment, SavedCriteria, Segment
from relationship_mgmt.domain.setup import (
    RelationshipSetup,
    Salutation,
    SalutationFormula,
)
from relationship_mgmt.domain.tasks import (
    Activity,
    Attendee,
    Task,
    TaskFilter,
    next_task_date_of,
)
from relationship_mgmt.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    IntegrityViolationError,
    NotFoundError,
    UnitOfWorkStateError,
)
from relationship_mgmt.ports.repositories import CodeTableRecord, KeyLookUp

__all__ = ["InMemoryStore", "InMemoryUnitOfWork", "in_memory_uow_factory"]

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R", bound=CodeTableRecord)
_R = TypeVar("_R")

_SETUP_KEY = 1
_ABSENT = object()


def _clone(value: V) -> V:
    """Deep-copy a stored value; aggregates lose their pending events."""
    if isinstance(value, AggregateRoot):
        own = getattr(type(value), "__deepcopy__", None)  # skip deepcopy's dispatch
        clone = copy.deepcopy(value) if own is None else own(value, {})
        if clone._pending:  # noqa: SLF001 - stored values hold none; be safe
            clone.pull_events()
        return cast("V", clone)
    return value  # frozen records are immutable and can be shared


def _version(value: object) -> int:
    # Aggregates and versioned frozen records (interaction log entries) alike.
    version = getattr(value, "version", 0)
    return version if isinstance(version, int) else 0


class InMemoryStore:
    """The committed state: one dict per table, guarded by one lock.

    Share one store between unit-of-work objects to share data; each
    :func:`relationship_mgmt.open` call without a URL makes a new one.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[object, object]] = {}

    def table(self, name: str) -> dict[object, object]:
        """Return the committed rows of table ``name`` (created empty on first use)."""
        return self.tables.setdefault(name, {})


class _StagedTable(Generic[K, V]):
    """One table as a unit of work sees it: committed rows under staged changes."""

    def __init__(self, store: InMemoryStore, name: str, kind: str) -> None:
        self._store = store
        self._name = name
        self.kind = kind
        self.staged: dict[K, object] = {}  # key -> value or _ABSENT (deleted)
        self.base: dict[K, int | None] = {}  # key -> committed version at first touch

    def _committed(self) -> dict[K, V]:
        return cast("dict[K, V]", self._store.table(self._name))

    def committed_rows(self) -> dict[K, V]:
        """Return the committed rows themselves (hold the store's lock)."""
        return self._committed()

    def _current(self, key: K) -> V | None:
        if key in self.staged:
            value = self.staged[key]
            return None if value is _ABSENT else cast("V", value)
        with self._store.lock:
            return self._committed().get(key)

    def _current_for_write(self, key: K) -> V | None:
        """Read the row a write is based on and remember its committed version.

        Both happen under one lock hold: were a commit to slip in between the read
        and the remembering, the commit-time check would miss it.
        """
        with self._store.lock:
            stored = self._committed().get(key)
            if key not in self.base:
                self.base[key] = None if stored is None else _version(stored)
        return self._current(key) if key in self.staged else stored

    def get(self, key: K) -> V:
        value = self._current(key)
        if value is None:
            raise NotFoundError(self.kind, key)
        return _clone(value)

    def current(self, key: K) -> V | None:
        """Return the row itself, uncopied, for the adapter's own reads only."""
        return self._current(key)

    def get_or_none(self, key: K) -> V | None:
        value = self._current(key)
        return None if value is None else _clone(value)

    def exists(self, key: K) -> bool:
        return self._current(key) is not None

    def insert(self, key: K, value: V) -> None:
        if self._current_for_write(key) is not None:
            raise AlreadyExistsError(self.kind, key)
        if isinstance(value, AggregateRoot):
            value.version = 1
        self.staged[key] = _clone(value)

    def update(self, key: K, value: V) -> None:
        current = self._current_for_write(key)
        if current is None:
            raise NotFoundError(self.kind, key)
        if isinstance(value, AggregateRoot):
            if _version(current) != value.version:
                raise ConcurrencyError(self.kind, key, value.version)
            value.version += 1
        self.staged[key] = _clone(value)

    def delete(self, key: K) -> None:
        if self._current_for_write(key) is None:
            raise NotFoundError(self.kind, key)
        self.staged[key] = _ABSENT

    def keys(self) -> list[K]:
        """Return the keys of the current rows."""
        with self._store.lock:
            keys = set(self._committed()) | set(self.staged)
        return [key for key in keys if self._current(key) is not None]

    def values(self) -> Iterator[V]:
        for value in self.peek():
            yield _clone(value)

    def peek(self) -> Iterator[V]:
        """Yield the current rows themselves, for the adapter's own look-ups only."""
        with self._store.lock:
            keys = set(self._committed()) | set(self.staged)
        for key in keys:
            value = self._current(key)
            if value is not None:
                yield value

    def check(self) -> None:
        """Refuse to commit when a touched row changed since it was first read."""
        committed = self._committed()
        for key, base in self.base.items():
            stored = committed.get(key)
            now = None if stored is None else _version(stored)
            if now != base:
                raise ConcurrencyError(self.kind, key, base)

    def apply(self) -> None:
        committed = self._committed()
        for key, value in self.staged.items():
            if value is _ABSENT:
                committed.pop(key, None)
            else:
                committed[key] = cast("V", value)
        self.reset()

    def reset(self) -> None:
        self.staged.clear()
        self.base.clear()


class InMemorySetupRepository:
    """:class:`~relationship_mgmt.ports.SetupRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: _StagedTable[int, RelationshipSetup] = uow.staged(
            "setup", "relationship setup"
        )

    def get(self) -> RelationshipSetup:
        """Return the stored setup or a default one (version 0)."""
        return self._table.get_or_none(_SETUP_KEY) or RelationshipSetup()

    def save(self, setup: RelationshipSetup) -> None:
        """Insert (version 0) or update (version check) the setup."""
        if setup.version == 0:
            try:
                self._table.insert(_SETUP_KEY, setup)
            except AlreadyExistsError:
                raise ConcurrencyError("relationship setup", _SETUP_KEY, 0) from None
        else:
            self._table.update(_SETUP_KEY, setup)
        self._uow.seen(setup)


class InMemoryNumberSeriesRepository:
    """:class:`~relationship_mgmt.ports.NumberSeriesRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: _StagedTable[str, NumberSeries] = uow.staged(
            "number_series", "number series"
        )

    def add(self, series: NumberSeries) -> None:
        """Store a new series."""
        self._table.insert(series.code, series)
        self._uow.seen(series)

    def get(self, code: NoSeriesCode) -> NumberSeries:
        """Return a copy of the series."""
        return self._table.get(code)

    def get_for_update(self, code: NoSeriesCode) -> NumberSeries:
        """Return a copy of the series; the commit-time version check guards it."""
        return self._table.get(code)

    def update(self, series: NumberSeries) -> None:
        """Write back a changed series (version-checked)."""
        self._table.update(series.code, series)
        self._uow.seen(series)

    def remove(self, code: NoSeriesCode) -> None:
        """Delete the series."""
        self._table.delete(code)

    def find_all(self) -> list[NumberSeries]:
        """Return every series ordered by code."""
        return sorted(self._table.values(), key=lambda s: s.code)


class InMemoryProfileQuestionnaireRepository:
    """:class:`~relationship_mgmt.ports.ProfileQuestionnaireRepository` over a staged table.

    A questionnaire is stored whole, lines and rating points included, so an update
    replaces its lines.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: _StagedTable[str, ProfileQuestionnaire] = uow.staged(
            "profile_questionnaires", "profile questionnaire"
        )

    def add(self, questionnaire: ProfileQuestionnaire) -> None:
        """Store a new questionnaire."""
        self._table.insert(questionnaire.code, questionnaire)
        self._uow.seen(questionnaire)

    def get(self, code: Code) -> ProfileQuestionnaire:
        """Return a copy of the questionnaire."""
        return self._table.get(code)

    def update(self, questionnaire: ProfileQuestionnaire) -> None:
        """Write back a changed questionnaire (version-checked).

        A line that is gone must have no profile answers (ON DELETE RESTRICT).
        """
        kept = {line.line_no for line in questionnaire.lines}
        self._refuse_answered_lines(questionnaire.code, keeping=kept)
        self._table.update(questionnaire.code, questionnaire)
        self._uow.seen(questionnaire)

    def remove(self, code: Code) -> None:
        """Delete the questionnaire; one with profile answers is refused."""
        if self._table.exists(code):
            self._refuse_answered_lines(code, keeping=set())
        self._table.delete(code)

    def _refuse_answered_lines(self, code: Code, *, keeping: set[int]) -> None:
        for answer in self._uow.profile_answer_rows():
            if answer.questionnaire_code == code and answer.line_no not in keeping:
                raise IntegrityViolationError(
                    f"questionnaire line {answer.answer!r} has profile answers"
                )

    def find_all(self) -> list[ProfileQuestionnaire]:
        """Return every questionnaire ordered by code."""
        return sorted(self._table.values(), key=lambda q: q.code)


def _search_texts(contact: Contact) -> tuple[str, ...]:
    return (
        contact.name,
        contact.search_name,
        contact.company_name,
        contact.search_email,
        contact.phone_no,
        contact.mobile_phone_no,
    )


def _list_order(contact: Contact) -> tuple[str, str, bool, str, str]:
    return (
        contact.company_name,
        contact.company_no or "",
        contact.type is not ContactType.COMPANY,
        contact.name,
        contact.no,
    )


class InMemoryContactRepository:
    """:class:`~relationship_mgmt.ports.ContactRepository` over a staged table.

    A contact is stored whole, its collections included, so an update replaces
    them. The company links and profile answers are checked as the SQL foreign keys
    check them, when a contact is written or removed.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: _StagedTable[str, Contact] = uow.staged("contacts", "contact")

    def _check_company(self, contact: Contact) -> None:
        """A person's company must be a stored company (a foreign key in SQL)."""
        if contact.type is ContactType.COMPANY or contact.company_no is None:
            return
        company = self._table.get_or_none(contact.company_no)
        if company is None or company.type is not ContactType.COMPANY:
            raise IntegrityViolationError(
                f"contact {contact.no!r}: company {contact.company_no!r} "
                "is not a stored company contact"
            )

    def _check_links(self, contact: Contact) -> None:
        """One contact per linked partner, as SQL's partial unique index (§2.8)."""
        links = {
            (row.link_to_table, row.no)
            for row in contact.business_relations
            if row.is_linked
        }
        if not links:
            return
        for other in self._table.peek():
            if other.no == contact.no:
                continue
            for row in other.business_relations:
                if (row.link_to_table, row.no) in links:
                    raise IntegrityViolationError(
                        f"{row.link_to_table} {row.no!r} is already linked to "
                        f"contact {other.no!r}"
                    )

    def _has_persons(self, no: str) -> bool:
        return any(c.company_no == no and c.no != no for c in self._table.peek())

    def add(self, contact: Contact) -> None:
        """Store a new contact; a person's company must be stored."""
        self._check_company(contact)
        self._check_links(contact)
        self._table.insert(contact.no, contact)
        self._uow.seen(contact)

    def get(self, no: ContactNo) -> Contact:
        """Return a copy of the contact."""
        return self._table.get(no)

    def get_many(self, nos: Collection[ContactNo]) -> dict[ContactNo, Contact]:
        """Return copies of the stored contacts among ``nos``, by number."""
        found = {no: self._table.get_or_none(no) for no in nos}
        return {no: contact for no, contact in found.items() if contact is not None}

    def get_texts(
        self, nos: Collection[ContactNo], fields: Collection[str]
    ) -> dict[ContactNo, dict[str, str]]:
        """Return the named text fields of the stored contacts among ``nos``."""
        names = text_fields(fields)
        found: dict[ContactNo, dict[str, str]] = {}
        for no in nos:
            contact = self._table.current(no)
            if contact is not None:
                found[no] = {name: text_of(getattr(contact, name)) for name in names}
        return found

    def exists(self, no: ContactNo) -> bool:
        """Return whether the contact is stored."""
        return self._table.exists(no)

    def update(self, contact: Contact) -> None:
        """Write back a changed contact (version-checked); the links stay sound."""
        self._check_company(contact)
        if contact.type is not ContactType.COMPANY and self._has_persons(contact.no):
            raise IntegrityViolationError(
                f"contact {contact.no!r} has persons and must stay a company"
            )
        self._check_links(contact)
        self._table.update(contact.no, contact)
        self._uow.seen(contact)

    def remove(self, no: ContactNo) -> None:
        """Delete the contact; one with persons or profile answers is refused."""
        if self._table.exists(no):
            if self._has_persons(no):
                raise IntegrityViolationError(f"contact {no!r} has persons")
            if any(a.contact_no == no for a in self._uow.profile_answer_rows()):
                raise IntegrityViolationError(f"contact {no!r} has profile answers")
        self._table.delete(no)

    def persons_of(self, company_no: ContactNo) -> list[Contact]:
        """Return the persons of the company ordered by number."""
        persons = [
            c
            for c in self._table.peek()
            if c.type is ContactType.PERSON and c.company_no == company_no
        ]
        return [_clone(c) for c in sorted(persons, key=lambda c: c.no)]

    def find_all(self) -> list[Contact]:
        """Return every contact in BC's list order."""
        return sorted(self._table.values(), key=_list_order)

    def linked_to(self, link_to_table: LinkToTable, no: str) -> ContactNo | None:
        """Return the contact holding the link (a scan of the relation rows)."""
        for contact in self._table.peek():
            if contact.business_partner_link(link_to_table) == no:
                return contact.no
        return None

    def email_addresses(self) -> list[tuple[ContactNo, str]]:
        """Return every contact's addresses (a scan), by contact and address."""
        found: set[tuple[ContactNo, str]] = set()
        for contact in self._table.peek():
            texts = [contact.email, contact.email_2]
            texts += [alt.email for alt in contact.alternative_addresses]
            found.update(
                (contact.no, address)
                for text in texts
                for address in text.split(";")
                if address
            )
        return sorted(found)

    def search(self, text: str, *, limit: int | None = None) -> list[Contact]:
        """Return the contacts containing ``text`` (ignoring case), ordered by number."""
        needle = text.upper()
        found = sorted(
            (
                c
                for c in self._table.peek()
                if any(needle in value.upper() for value in _search_texts(c))
            ),
            key=lambda c: c.no,
        )
        return [_clone(c) for c in found[:limit]]


class InMemoryContactProfileAnswerRepository:
    """:class:`~relationship_mgmt.ports.ContactProfileAnswerRepository` over a staged table.

    An answer needs its contact and its questionnaire line, as the SQL foreign keys.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table = uow.profile_answers_table()

    def add(self, answer: ContactProfileAnswer) -> None:
        """Store a new answer; its contact and questionnaire line must be stored."""
        if not self._uow.contacts.exists(answer.contact_no):
            raise IntegrityViolationError(
                f"profile answer {answer.key!r}: no contact {answer.contact_no!r}"
            )
        questionnaires: _StagedTable[str, ProfileQuestionnaire] = self._uow.staged(
            "profile_questionnaires", "profile questionnaire"
        )
        questionnaire = questionnaires.get_or_none(answer.questionnaire_code)
        if questionnaire is None or answer.line_no not in {
            line.line_no for line in questionnaire.lines
        }:
            raise IntegrityViolationError(
                f"profile answer {answer.key!r}: no questionnaire line {answer.answer!r}"
            )
        self._table.insert(answer.key, answer)

    def remove(
        self, contact_no: ContactNo, questionnaire_code: Code, line_no: int
    ) -> None:
        """Delete the answer."""
        self._table.delete((contact_no, questionnaire_code, line_no))

    def find_by_contact(self, contact_no: ContactNo) -> list[ContactProfileAnswer]:
        """Return the contact's answers ordered by key."""
        found = (a for a in self._table.values() if a.contact_no == contact_no)
        return sorted(found, key=lambda a: a.key)

    def find_by_questionnaire(self, code: Code) -> list[ContactProfileAnswer]:
        """Return the questionnaire's answers ordered by key."""
        found = (a for a in self._table.values() if a.questionnaire_code == code)
        return sorted(found, key=lambda a: a.key)


def _pair(first: ContactNo, second: ContactNo) -> tuple[ContactNo, ContactNo]:
    return (first, second) if first <= second else (second, first)


class InMemoryMergeRepository:
    """:class:`~relationship_mgmt.ports.MergeRepository` over two staged tables.

    Records hold contacts (mutable aggregates), so they are stored and handed out
    as deep copies.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._records: _StagedTable[str, MergeRecord] = uow.staged(
            "contact_merges", "contact merge"
        )
        self._aliases: _StagedTable[str, ContactNo] = uow.staged(
            "contact_aliases", "contact alias"
        )

    def add(self, record: MergeRecord) -> None:
        """Store the record and its alias."""
        self._records.insert(record.merged_no, copy.deepcopy(record))
        self._aliases.insert(record.merged_no, record.survivor_no)

    def get(self, merged_no: ContactNo) -> MergeRecord:
        """Return a copy of the record."""
        return copy.deepcopy(self._records.get(merged_no))

    def remove(self, merged_no: ContactNo) -> None:
        """Delete the record and its alias."""
        self._records.delete(merged_no)
        self._aliases.delete(merged_no)

    def resolve(self, no: ContactNo) -> ContactNo | None:
        """Follow the aliases from ``no`` to the end of the chain."""
        seen: set[str] = set()
        target: ContactNo | None = None
        current = no
        while current not in seen:
            seen.add(current)
            following = self._aliases.get_or_none(current)
            if following is None:
                break
            target = current = following
        return target


class InMemorySeparateContactPairRepository:
    """:class:`~relationship_mgmt.ports.SeparateContactPairRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: _StagedTable[tuple[ContactNo, ContactNo], bool] = uow.staged(
            "separate_contact_pairs", "separate contact pair"
        )

    def add(self, first: ContactNo, second: ContactNo) -> None:
        """Store the pair, ordered."""
        self._table.insert(_pair(first, second), True)

    def remove(self, first: ContactNo, second: ContactNo) -> None:
        """Delete the pair."""
        self._table.delete(_pair(first, second))

    def exists(self, first: ContactNo, second: ContactNo) -> bool:
        """Return whether the pair is stored."""
        return self._table.exists(_pair(first, second))

    def find_all(self) -> list[tuple[ContactNo, ContactNo]]:
        """Return every pair, ordered."""
        return sorted(self._table.keys())


_KeyRow = tuple[DuplicateMethod, ContactNo]
_Posting = tuple[DuplicateMethod, str]


class _DuplicateKeyTable(_StagedTable[_KeyRow, tuple[str, ...]]):
    """The contacts' duplicate keys, with the inverted index kept at commit.

    The committed inverted index (key -> holders, insertion-ordered) lives in the
    store beside the rows; a unit of work sees it with its own staged rows laid
    over it.
    """

    def postings(self) -> dict[_Posting, dict[ContactNo, None]]:
        """Return the committed inverted index (under the store's lock)."""
        return cast(
            "dict[_Posting, dict[ContactNo, None]]",
            self._store.table(f"{self._name}:postings"),
        )

    def apply(self) -> None:
        committed, postings = self._committed(), self.postings()
        for row, value in self.staged.items():
            method, contact_no = row
            for key in committed.get(row, ()):
                holders = postings[method, key]
                del holders[contact_no]
                if not holders:
                    del postings[method, key]
            if value is not _ABSENT:
                for key in cast("tuple[str, ...]", value):
                    postings.setdefault((method, key), {})[contact_no] = None
        super().apply()


class InMemoryDuplicateKeyRepository:
    """:class:`~relationship_mgmt.ports.DuplicateKeyRepository` over a staged table.

    Rows are a contact's sorted keys per method; a look-up of holders reads the
    committed inverted index, so it costs what the answer holds, not the index size.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table = cast(
            "_DuplicateKeyTable",
            uow.staged("duplicate_keys", "duplicate keys", _DuplicateKeyTable),
        )
        self._store = uow.store
        self._uow = uow

    def replace(
        self, method: DuplicateMethod, contact_no: ContactNo, keys: Collection[str]
    ) -> None:
        """Make ``keys`` the contact's keys under ``method``."""
        row = (method, contact_no)
        value = tuple(sorted(set(keys)))
        stored = self._table.exists(row)
        if value:
            (self._table.update if stored else self._table.insert)(row, value)
        elif stored:
            self._table.delete(row)

    def remove(self, contact_no: ContactNo) -> None:
        """Drop the contact's keys under every method."""
        for method in DuplicateMethod:
            if self._table.exists((method, contact_no)):
                self._table.delete((method, contact_no))

    def keys_of(self, method: DuplicateMethod, contact_no: ContactNo) -> list[str]:
        """Return the contact's keys under ``method``, sorted."""
        return list(self._table.get_or_none((method, contact_no)) or ())

    def holders(
        self,
        method: DuplicateMethod,
        keys: Collection[str],
        *,
        limit: int | None = None,
        excluding: ContactNo | None = None,
    ) -> dict[str, list[tuple[ContactNo, int]]]:
        """Return who holds each key, with their number of keys."""
        table = self._table
        # Contacts this unit of work re-keyed answer from their staged rows.
        staged = {
            no: () if value is _ABSENT else cast("tuple[str, ...]", value)
            for (m, no), value in table.staged.items()
            if m is method
        }
        skip = set(staged)
        if excluding is not None:
            skip.add(excluding)
        found: dict[str, list[tuple[ContactNo, int]]] = {}
        with self._store.lock:
            committed, postings = table.committed_rows(), table.postings()
            for key in set(keys):
                holders = postings.get((method, key), {})
                mine = [
                    (no, len(committed[method, no]))
                    for no in itertools.islice(
                        (no for no in holders if no not in skip),
                        limit,
                    )
                ]
                mine.extend(
                    (no, len(own))
                    for no, own in staged.items()
                    if key in own and no != excluding
                )
                if mine:
                    found[key] = mine if limit is None else mine[:limit]
        return found

    def look_up(
        self,
        method: DuplicateMethod,
        keys: Collection[str],
        *,
        limit: int,
        excluding: ContactNo,
        fields: Collection[str],
        choose: Callable[[Mapping[str, list[tuple[ContactNo, int]]]], Collection[str]]
        | None = None,
    ) -> KeyLookUp:
        """Answer a check's reads: holders, their text fields, separate pairs."""
        pairs = self._uow.separate_contact_pairs

        def separate_from(no: ContactNo) -> list[ContactNo]:
            return [b if a == no else a for a, b in pairs.find_all() if no in (a, b)]

        return compose_look_up(
            self,
            self._uow.contacts,
            separate_from,
            method,
            keys,
            limit=limit,
            excluding=excluding,
            fields=fields,
            choose=choose,
        )

    def clear(self, method: DuplicateMethod) -> None:
        """Drop every contact's keys under ``method``."""
        rows = self._table.keys()
        for row in rows:
            if row[0] is method:
                self._table.delete(row)

    def count(self, method: DuplicateMethod) -> int:
        """Return how many contacts hold keys under ``method``."""
        rows = self._table.keys()
        return sum(row[0] is method for row in rows)


class InMemoryCodeTableRepository:
    """:class:`~relationship_mgmt.ports.CodeTableRepository` over staged tables."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def _table(self, kind: type[R]) -> _StagedTable[tuple[str, ...], R]:
        return self._uow.staged(f"code:{kind.kind}", kind.kind.replace("_", " "))

    def add(self, record: CodeTableRecord) -> None:
        """Store a new row; a formula needs its salutation (as the SQL foreign key)."""
        if isinstance(record, SalutationFormula) and not self.exists(
            Salutation, record.salutation_code
        ):
            raise IntegrityViolationError(
                f"salutation {record.salutation_code!r} does not exist"
            )
        self._table(type(record)).insert(record.key, record)

    def get(self, kind: type[R], *key: str) -> R:
        """Return the row of ``kind`` with ``key``."""
        return self._table(kind).get(key)

    def exists(self, kind: type[CodeTableRecord], *key: str) -> bool:
        """Return whether the row exists."""
        return self._table(kind).exists(key)

    def replace(self, record: CodeTableRecord) -> None:
        """Overwrite the stored row with ``record``'s key."""
        self._table(type(record)).update(record.key, record)

    def remove(self, kind: type[CodeTableRecord], *key: str) -> None:
        """Delete a row; a salutation with formulas is refused (ON DELETE RESTRICT)."""
        if kind is Salutation and any(
            f.salutation_code == key[0] for f in self.find_all(SalutationFormula)
        ):
            raise IntegrityViolationError(f"salutation {key[0]!r} has formulas")
        self._table(kind).delete(key)

    def find_all(self, kind: type[R]) -> list[R]:
        """Return every row of ``kind`` ordered by key."""
        return sorted(self._table(kind).values(), key=lambda r: r.key)


class _KeyedAggregates(Generic[V]):
    """Add/get/exists/update/remove/find_all of aggregates keyed by ``key_of``."""

    def __init__(
        self, uow: InMemoryUnitOfWork, name: str, kind: str, key_of: Callable[[V], str]
    ) -> None:
        self._uow = uow
        self._table: _StagedTable[str, V] = uow.staged(name, kind)
        self._key_of = key_of

    def add(self, value: V) -> None:
        """Store a new aggregate (its version becomes 1)."""
        self._table.insert(self._key_of(value), value)
        self._uow.seen(cast("AggregateRoot", value))

    def get(self, key: str) -> V:
        """Return a copy of the aggregate ``key``."""
        return self._table.get(key)

    def exists(self, key: str) -> bool:
        """Return whether ``key`` is stored."""
        return self._table.exists(key)

    def update(self, value: V) -> None:
        """Write back a changed aggregate (version-checked)."""
        self._table.update(self._key_of(value), value)
        self._uow.seen(cast("AggregateRoot", value))

    def remove(self, key: str) -> None:
        """Delete the aggregate ``key``."""
        self._table.delete(key)

    def find_all(self) -> list[V]:
        """Return copies of every aggregate ordered by key."""
        return sorted(self._table.values(), key=self._key_of)


class InMemorySalespersonRepository(_KeyedAggregates[Salesperson]):
    """:class:`~relationship_mgmt.ports.SalespersonRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "salespeople", "salesperson", lambda sp: sp.code)


class InMemoryTeamRepository(_KeyedAggregates[Team]):
    """:class:`~relationship_mgmt.ports.TeamRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "teams", "team", lambda team: team.code)

    def teams_of(self, salesperson_code: SalespersonCode) -> list[Team]:
        """Return copies of the salesperson's teams, ordered by code."""
        return [team for team in self.find_all() if salesperson_code in team.members]


class InMemoryInteractionTemplateRepository(_KeyedAggregates[InteractionTemplate]):
    """:class:`~relationship_mgmt.ports.InteractionTemplateRepository` (languages inside)."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(
            uow, "interaction_templates", "interaction template", lambda t: t.code
        )


class InMemoryInteractionTemplateSetupRepository:
    """:class:`~relationship_mgmt.ports.InteractionTemplateSetupRepository`."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: _StagedTable[int, InteractionTemplateSetup] = uow.staged(
            "interaction_template_setup", "interaction template setup"
        )

    def get(self) -> InteractionTemplateSetup:
        """Return the stored setup or a fresh one (version 0)."""
        return self._table.get_or_none(_SETUP_KEY) or InteractionTemplateSetup()

    def save(self, setup: InteractionTemplateSetup) -> None:
        """Insert (version 0) or update (version check) the setup."""
        if setup.version == 0:
            try:
                self._table.insert(_SETUP_KEY, setup)
            except AlreadyExistsError:
                kind = "interaction template setup"
                raise ConcurrencyError(kind, _SETUP_KEY, 0) from None
        else:
            self._table.update(_SETUP_KEY, setup)
        self._uow.seen(setup)


class _InteractionLogTable(_StagedTable[int, InteractionLogEntry]):
    """The log entries, with the last entry number and the idempotency keys indexed.

    Both indexes live in the store beside the rows and change at commit.
    """

    def index(self) -> dict[object, object]:
        """Return the committed indexes: ``"last"`` and ``("key", key)`` rows."""
        return self._store.table(f"{self._name}:index")

    def apply(self) -> None:
        committed, index = self._committed(), self.index()
        for entry_no, value in self.staged.items():
            before = committed.get(entry_no)
            if before is not None and before.idempotency_key is not None:
                index.pop(("key", before.idempotency_key), None)
            if value is not _ABSENT:
                entry = cast("InteractionLogEntry", value)
                if entry.idempotency_key is not None:
                    index["key", entry.idempotency_key] = entry_no
                last = cast("int", index.get("last", 0))
                index["last"] = max(last, entry_no)
        super().apply()


class InMemoryInteractionLogRepository:
    """:class:`~relationship_mgmt.ports.InteractionLogRepository` over a staged table.

    Entries are frozen, so storage shares them with callers instead of copying;
    :func:`~relationship_mgmt.domain.interactions.check_update` guards every update.
    """

    _KIND = "interaction log entry"

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table = cast(
            "_InteractionLogTable",
            uow.staged("interaction_log", self._KIND, _InteractionLogTable),
        )
        self._store = uow.store
        self._handed_out = 0

    def next_entry_no(self) -> int:
        """Return the last entry number stored or handed out in this unit of work + 1."""
        with self._store.lock:
            last = cast("int", self._table.index().get("last", 0))
        staged = max(self._table.staged, default=0)
        self._handed_out = max(last, staged, self._handed_out) + 1
        return self._handed_out

    def add(self, entry: InteractionLogEntry) -> None:
        """Store a new entry (version 1); a taken number or key is refused."""
        key = entry.idempotency_key
        if key is not None and self.by_idempotency_key(key) is not None:
            raise AlreadyExistsError(self._KIND, key)
        stored = entry if entry.version == 1 else entry.stored_as(1)
        self._table.insert(entry.entry_no, stored)

    def get(self, entry_no: int) -> InteractionLogEntry:
        """Return the entry ``entry_no``."""
        return self._table.get(entry_no)

    def update(self, entry: InteractionLogEntry) -> InteractionLogEntry:
        """Store an entry changed by one of its operations; return it as stored."""
        stored = self._table.get(entry.entry_no)
        if stored.version != entry.version:
            raise ConcurrencyError(self._KIND, entry.entry_no, entry.version)
        check_update(stored, entry)
        written = entry.stored_as(entry.version + 1)
        self._table.update(entry.entry_no, written)
        return written

    def remove(self, entry_no: int) -> None:
        """Delete a canceled entry."""
        check_purgeable(self._table.get(entry_no))
        self._table.delete(entry_no)

    def by_idempotency_key(self, key: str) -> InteractionLogEntry | None:
        """Return the entry logged with ``key``, staged entries included."""
        for value in self._table.staged.values():
            if value is not _ABSENT:
                entry = cast("InteractionLogEntry", value)
                if entry.idempotency_key == key:
                    return entry
        with self._store.lock:
            entry_no = self._table.index().get(("key", key))
        if entry_no is None:
            return None
        return self._table.get_or_none(cast("int", entry_no))

    def _entries(self) -> Iterator[InteractionLogEntry]:
        return self._table.peek()

    def find(
        self,
        where: InteractionFilter | None = None,
        *,
        canceled: bool | None = None,
        limit: int | None = None,
    ) -> list[InteractionLogEntry]:
        """Return the selected entries by entry number (newest first with a limit)."""
        chosen = where or InteractionFilter()
        dated = chosen.starting is not None or chosen.ending is not None
        found = sorted(
            (
                e
                for e in self._entries()
                if chosen.selects(e)
                and (not dated or chosen.in_period(e))
                and (canceled is None or e.canceled is canceled)
            ),
            key=lambda e: e.entry_no,
            reverse=limit is not None,
        )
        return found if limit is None else found[:limit]

    def statistics(self, where: InteractionFilter) -> InteractionStatistics:
        """Return the FlowFields of the selected entries (a scan)."""
        return statistics_of(self._entries(), where)


def _task_order(task: Task) -> tuple[date, str]:
    return (task.date, task.no)


class InMemoryTaskRepository(_KeyedAggregates[Task]):
    """:class:`~relationship_mgmt.ports.TaskRepository` over two staged tables.

    Tasks are keyed by number; the attendees of a task are one row (a tuple, by
    line number) keyed by the task's number, removed with the task as SQL's
    ``ON DELETE CASCADE`` removes them. Queries scan the tasks with
    :meth:`TaskFilter.selects <relationship_mgmt.domain.tasks.TaskFilter.selects>`.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "tasks", "task", lambda task: task.no)
        self._attendees: _StagedTable[str, tuple[Attendee, ...]] = uow.staged(
            "task_attendees", "task attendees"
        )

    def remove(self, key: str) -> None:
        """Delete the task and its attendees."""
        super().remove(key)
        if self._attendees.exists(key):
            self._attendees.delete(key)

    def _selected(self, where: TaskFilter | None) -> Iterator[Task]:
        return (t for t in self._table.peek() if where is None or where.selects(t))

    def find(self, where: TaskFilter | None = None) -> list[Task]:
        """Return copies of the selected tasks, ordered by date and number."""
        return [_clone(t) for t in sorted(self._selected(where), key=_task_order)]

    def next_task_date(self, where: TaskFilter) -> date | None:
        """Return the earliest date of the selected tasks (a scan)."""
        return next_task_date_of(self._table.peek(), where)

    def count_open(
        self,
        *,
        salesperson_code: SalespersonCode | None = None,
        team_code: Code | None = None,
    ) -> int:
        """Return how many open tasks have the salesperson and/or team."""
        where = TaskFilter(
            salesperson_code=salesperson_code, team_code=team_code, closed=False
        )
        return sum(1 for _ in self._selected(where))

    def attendees_of(self, no: TaskNo) -> list[Attendee]:
        """Return the task's attendees by line number."""
        return list(self._attendees.get_or_none(no) or ())

    def replace_attendees(self, no: TaskNo, attendees: Collection[Attendee]) -> None:
        """Make ``attendees`` the task's attendees; the task must be stored."""
        if not self._table.exists(no):
            raise NotFoundError("task", no)
        rows = tuple(sorted(attendees, key=lambda a: a.line_no))
        if len({a.line_no for a in rows}) != len(rows):
            raise IntegrityViolationError(f"task {no!r}: a line number given twice")
        stored = self._attendees.exists(no)
        if rows:
            (self._attendees.update if stored else self._attendees.insert)(no, rows)
        elif stored:
            self._attendees.delete(no)


class InMemoryActivityRepository:
    """:class:`~relationship_mgmt.ports.ActivityRepository` over a staged table.

    Activities are frozen values, stored and handed out as they are.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: _StagedTable[str, Activity] = uow.staged("activities", "activity")

    def add(self, activity: Activity) -> None:
        """Store a new activity."""
        self._table.insert(activity.code, activity)

    def get(self, code: Code) -> Activity:
        """Return the activity ``code``."""
        return self._table.get(code)

    def update(self, activity: Activity) -> None:
        """Overwrite the stored activity."""
        self._table.update(activity.code, activity)

    def remove(self, code: Code) -> None:
        """Delete the activity."""
        self._table.delete(code)

    def find_all(self) -> list[Activity]:
        """Return every activity ordered by code."""
        return sorted(self._table.values(), key=lambda a: a.code)


class InMemorySalesCycleRepository(_KeyedAggregates[SalesCycle]):
    """:class:`~relationship_mgmt.ports.SalesCycleRepository` (stages inside)."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "sales_cycles", "sales cycle", lambda cycle: cycle.code)


class InMemoryOpportunityRepository(_KeyedAggregates[Opportunity]):
    """:class:`~relationship_mgmt.ports.OpportunityRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "opportunities", "opportunity", lambda op: op.no)

    def find(
        self,
        *,
        contact_company_no: ContactNo | None = None,
        contact_no: ContactNo | None = None,
        salesperson_code: SalespersonCode | None = None,
        campaign_no: CampaignNo | None = None,
        sales_cycle_code: Code | None = None,
        status: OpportunityStatus | None = None,
    ) -> list[Opportunity]:
        """Return copies of the matching opportunities, ordered by number."""
        company: object = contact_company_no
        if contact_company_no == "":
            company = None
        wanted = {
            name: value
            for name, value in (
                ("contact_no", contact_no),
                ("salesperson_code", salesperson_code),
                ("campaign_no", campaign_no),
                ("sales_cycle_code", sales_cycle_code),
                ("status", status),
            )
            if value is not None
        }
        found = (
            op
            for op in self._table.peek()
            if (contact_company_no is None or op.contact_company_no == company)
            and all(getattr(op, name) == value for name, value in wanted.items())
        )
        return [_clone(op) for op in sorted(found, key=lambda op: op.no)]


class _NumberedTable(_StagedTable[int, V]):
    """Frozen records by entry number, with the last number indexed at commit."""

    def index(self) -> dict[object, object]:
        """Return the committed index: the ``"last"`` entry number stored."""
        return self._store.table(f"{self._name}:index")

    def apply(self) -> None:
        index = self.index()
        for entry_no, value in self.staged.items():
            if value is not _ABSENT:
                index["last"] = max(cast("int", index.get("last", 0)), entry_no)
        super().apply()


class _OpportunityEntryTable(_NumberedTable[OpportunityEntry]):
    """Opportunity entries, with their :class:`PipelineIndex` kept at commit."""

    def pipeline_index(self) -> PipelineIndex:
        """Return the committed index (hold the store's lock)."""
        index = self.index()
        found = index.get("pipeline")
        if found is None:
            found = index["pipeline"] = PipelineIndex()
        return cast("PipelineIndex", found)

    def apply(self) -> None:
        staged = {
            entry_no: None if value is _ABSENT else cast("OpportunityEntry", value)
            for entry_no, value in self.staged.items()
        }
        self.pipeline_index().reindex(self._committed(), staged)
        super().apply()


class _NumberedRecords(Generic[V]):
    """next_entry_no/add/get/update of frozen records keyed by ``entry_no``."""

    def __init__(
        self,
        uow: InMemoryUnitOfWork,
        name: str,
        kind: str,
        table_type: type[_NumberedTable[V]] = _NumberedTable,
    ) -> None:
        self._table = cast("_NumberedTable[V]", uow.staged(name, kind, table_type))
        self._store = uow.store
        self._handed_out = 0

    def next_entry_no(self) -> int:
        """Return the last entry number stored or handed out in this unit of work + 1."""
        with self._store.lock:
            last = cast("int", self._table.index().get("last", 0))
        staged = max(self._table.staged, default=0)
        self._handed_out = max(last, staged, self._handed_out) + 1
        return self._handed_out

    def add(self, entry: V) -> None:
        """Store a new entry; a taken number is refused."""
        self._table.insert(cast("int", getattr(entry, "entry_no")), entry)  # noqa: B009

    def get(self, entry_no: int) -> V:
        """Return the entry ``entry_no``."""
        return self._table.get(entry_no)

    def update(self, entry: V) -> None:
        """Overwrite the stored entry with the same number."""
        self._table.update(cast("int", getattr(entry, "entry_no")), entry)  # noqa: B009

    def _sorted(self, selects: Callable[[V], bool]) -> list[V]:
        found = (e for e in self._table.peek() if selects(e))
        return sorted(found, key=lambda e: cast("int", getattr(e, "entry_no")))  # noqa: B009


class InMemoryOpportunityEntryRepository(_NumberedRecords[OpportunityEntry]):
    """:class:`~relationship_mgmt.ports.OpportunityEntryRepository`; entries are shared.

    A ``PipelineIndex`` (``adapters/_pipeline_index.py``) kept at
    commit finds an opportunity's entries and gives the pipeline's sums, now and as
    of any day, without adding up every entry; a unit of work corrects them for the
    opportunities it has touched.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(
            uow, "opportunity_entries", "opportunity entry", _OpportunityEntryTable
        )
        self._entries = cast("_OpportunityEntryTable", self._table)

    def _committed_of(self, opportunity_no: str) -> list[OpportunityEntry]:
        """The opportunity's committed entries (hold the store's lock)."""
        rows = self._entries.committed_rows()
        numbers = self._entries.pipeline_index().by_opportunity.get(opportunity_no, ())
        return [rows[n] for n in numbers]

    def _staged_opportunities(self) -> set[str]:
        """The opportunities whose entries this unit of work has changed."""
        rows = self._entries.committed_rows()
        touched: set[str] = set()
        with self._store.lock:
            for entry_no, value in self._entries.staged.items():
                old = rows.get(entry_no)
                if old is not None:
                    touched.add(old.opportunity_no)
                if value is not _ABSENT:
                    touched.add(cast("OpportunityEntry", value).opportunity_no)
        return touched

    def entries_of(self, opportunity_no: OpportunityNo) -> list[OpportunityEntry]:
        """Return the opportunity's entries by entry number."""
        with self._store.lock:
            numbers = set(
                self._entries.pipeline_index().by_opportunity.get(opportunity_no, ())
            )
        numbers.update(self._entries.staged)
        found = (self._entries.current(n) for n in sorted(numbers))
        return [
            e for e in found if e is not None and e.opportunity_no == opportunity_no
        ]

    def active_of(self, opportunity_no: OpportunityNo) -> OpportunityEntry | None:
        """Return the opportunity's active entry (the highest number), if any."""
        active = [e for e in self.entries_of(opportunity_no) if e.active]
        return active[-1] if active else None

    def remove_of(self, opportunity_no: OpportunityNo) -> int:
        """Delete the opportunity's entries; return how many."""
        entries = self.entries_of(opportunity_no)
        for entry in entries:
            self._table.delete(entry.entry_no)
        return len(entries)

    def pipeline(
        self,
        *,
        as_of: date | None = None,
        sales_cycle_code: Code | None = None,
        salesperson_code: SalespersonCode | None = None,
    ) -> list[PipelineRow]:
        """Return the open opportunities by stage, now or as of ``as_of`` (§5.9).

        What :func:`~relationship_mgmt.domain.pipeline.pipeline_of` computes, from
        the index's sums; with a salesperson, by reading every entry.
        """
        if salesperson_code is not None:
            return pipeline_of(
                self._entries.peek(),
                as_of=as_of,
                sales_cycle_code=sales_cycle_code,
                salesperson_code=salesperson_code,
            )
        delta = self._staged_delta()
        with self._store.lock:
            sums = self._entries.pipeline_index().sums(as_of)
        if delta is not None:
            for key, values in delta.sums(as_of).items():
                add_contribution(sums, key, values)
        if sales_cycle_code is not None:
            sums = {key: v for key, v in sums.items() if key[0] == sales_cycle_code}
        return rows_from_sums(sums)

    def totals(
        self, group_by: GroupBy, *, key: str | None = None
    ) -> list[OpportunityTotals]:
        """Return the §5.9 totals over the active entries, by ``group_by``, from the index."""
        field = check_group_by(group_by)
        delta = self._staged_delta()
        with self._store.lock:
            committed = self._entries.pipeline_index().totals[field]
            if key is None:
                groups = {group: list(values) for group, values in committed.items()}
            else:
                groups = {key: list(committed[key])} if key in committed else {}
        if delta is not None:
            for group, values in delta.totals[field].items():
                held = groups.setdefault(group, [Decimal(0)] * 3)
                for index, value in enumerate(values):
                    held[index] += value
        rows = [
            OpportunityTotals(
                key=group,
                no_of_opportunities=int(values[0]),
                estimated_value=values[1],
                calcd_current_value=values[2],
            )
            for group, values in groups.items()
            if values[0] and (key is None or group == key)
        ]
        if key is not None and not rows:
            rows.append(OpportunityTotals(key=key))
        return sorted_totals(rows)

    def stage_durations(
        self, *, sales_cycle_code: Code | None = None
    ) -> list[StageDurations]:
        """Return the time spent in each stage (§5.9), from the index's histograms."""
        delta = self._staged_delta() or PipelineIndex()
        with self._store.lock:
            merged = self._entries.pipeline_index().durations.merged(
                delta.durations, sales_cycle_code
            )
        return durations_from_histograms(merged.finished, merged.active)

    def _staged_delta(self) -> PipelineIndex | None:
        """What this unit of work's staged entries change in the index, or ``None``."""
        touched = self._staged_opportunities()
        if not touched:
            return None
        delta = PipelineIndex()
        with self._store.lock:
            for no in touched:
                delta.add(self._committed_of(no), -1)
        for no in touched:
            delta.add(self.entries_of(OpportunityNo(no)), 1)
        return delta


class InMemoryCampaignRepository(_KeyedAggregates[Campaign]):
    """:class:`~relationship_mgmt.ports.CampaignRepository` over a staged table."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "campaigns", "campaign", lambda campaign: campaign.no)


class InMemoryCampaignEntryRepository(_NumberedRecords[CampaignEntry]):
    """:class:`~relationship_mgmt.ports.CampaignEntryRepository`; entries are shared."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "campaign_entries", "campaign entry")

    def find(self, *, campaign_no: CampaignNo | None = None) -> list[CampaignEntry]:
        """Return the entries (of the campaign) by entry number."""
        return self._sorted(
            lambda e: campaign_no is None or e.campaign_no == campaign_no
        )

    def remove(self, entry_no: int) -> None:
        """Delete the entry ``entry_no``."""
        self._table.delete(entry_no)


class InMemorySegmentRepository(_KeyedAggregates[Segment]):
    """:class:`~relationship_mgmt.ports.SegmentRepository` (lines, actions, history inside)."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "segments", "segment", lambda segment: segment.no)


class InMemorySavedCriteriaRepository(_KeyedAggregates[SavedCriteria]):
    """:class:`~relationship_mgmt.ports.SavedCriteriaRepository` (the actions inside)."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(
            uow, "saved_criteria", "saved criteria", lambda saved: saved.code
        )


class InMemoryLoggedSegmentRepository(_NumberedRecords[LoggedSegment]):
    """:class:`~relationship_mgmt.ports.LoggedSegmentRepository`; entries are shared."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "logged_segments", "logged segment")

    def find(self, *, segment_no: SegmentNo | None = None) -> list[LoggedSegment]:
        """Return the logged segments (of the segment number) by entry number."""
        return self._sorted(lambda e: segment_no is None or e.segment_no == segment_no)

    def remove(self, entry_no: int) -> None:
        """Delete the logged segment ``entry_no``."""
        self._table.delete(entry_no)


class InMemoryCampaignPricingRepository:
    """:class:`~relationship_mgmt.ports.CampaignPricingRepository`; lines are shared."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: _StagedTable[tuple[str, str], PricingLine] = uow.staged(
            "campaign_pricing", "campaign pricing line"
        )

    @staticmethod
    def _key(line: PricingLine) -> tuple[str, str]:
        return (line.campaign_no, pricing_line_key(line))

    def put(self, line: PricingLine) -> None:
        """Store the line, replacing the one with its key."""
        key = self._key(line)
        if self._table.exists(key):
            self._table.update(key, line)
        else:
            self._table.insert(key, line)

    def remove(self, line: PricingLine) -> None:
        """Delete the campaign's line with ``line``'s key."""
        self._table.delete(self._key(line))

    def lines_of(self, campaign_no: CampaignNo) -> list[PricingLine]:
        """Return the campaign's lines, ordered by key."""
        found = (line for line in self._table.peek() if line.campaign_no == campaign_no)
        return sorted(found, key=pricing_line_key)

    def remove_of(self, campaign_no: CampaignNo) -> int:
        """Delete every line of the campaign; return how many."""
        lines = self.lines_of(campaign_no)
        for line in lines:
            self.remove(line)
        return len(lines)


class InMemoryCampaignTargetGroupRepository:
    """:class:`~relationship_mgmt.ports.repositories.CampaignTargetGroupRepository`; rows are shared.

    :meth:`targeted_companies` reads this unit of work's view of the segments and of
    the interaction log through the domain's reference rule.
    """

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: _StagedTable[tuple[str, str, str], CampaignTargetGroup] = (
            uow.staged("campaign_target_groups", "campaign target group")
        )

    def add(self, group: CampaignTargetGroup) -> None:
        """Store a new row."""
        self._table.insert(group.key, group)

    def remove(self, group: CampaignTargetGroup) -> None:
        """Delete the row with ``group``'s key."""
        self._table.delete(group.key)

    def exists(self, group: CampaignTargetGroup) -> bool:
        """Return whether the row is stored."""
        return self._table.exists(group.key)

    def exists_for(self, campaign_no: CampaignNo) -> bool:
        """Return whether the campaign has a row (Activated)."""
        return any(g.campaign_no == campaign_no for g in self._table.peek())

    def of_campaign(self, campaign_no: CampaignNo) -> list[CampaignTargetGroup]:
        """Return the campaign's rows by type, then No."""
        found = (g for g in self._table.peek() if g.campaign_no == campaign_no)
        return sorted(found, key=lambda g: g.key)

    def of_target(self, target_type: TargetType, no: str) -> list[CampaignTargetGroup]:
        """Return the rows of one customer or company contact by campaign."""
        found = (g for g in self._table.peek() if g.type == target_type and g.no == no)
        return sorted(found, key=lambda g: g.campaign_no)

    def remove_of(self, campaign_no: CampaignNo) -> int:
        """Delete every row of the campaign; return how many."""
        rows = self.of_campaign(campaign_no)
        for row in rows:
            self._table.delete(row.key)
        return len(rows)

    def targeted_companies(
        self, campaign_no: CampaignNo, *, company_no: ContactNo | None = None
    ) -> list[ContactNo]:
        """The companies the campaign's segment lines and interactions target."""
        segments: _StagedTable[str, Segment] = self._uow.staged("segments", "segment")
        entries = self._uow.interaction_log.find(
            InteractionFilter(campaign_no=campaign_no)
        )
        return targeted_companies(
            campaign_no,
            lines=(line for segment in segments.peek() for line in segment.lines),
            entries=entries,
            company_no=company_no,
        )


class InMemoryUnitOfWork:
    """:class:`~relationship_mgmt.ports.UnitOfWork` over an :class:`InMemoryStore`.

    Args:
        store: The committed state to work on; a new empty store if omitted.
    """

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self._tables: dict[str, _StagedTable[object, object]] = {}
        self._seen: list[AggregateRoot] = []
        self._events: list[object] = []
        self._in_block = False
        self._repositories: dict[type, object] = {}

    def staged(
        self,
        name: str,
        kind: str,
        table_type: type[_StagedTable[K, V]] = _StagedTable,
    ) -> _StagedTable[K, V]:
        """Return this unit of work's view of table ``name`` (for the repositories)."""
        table = self._tables.get(name)
        if table is None:
            made = table_type(self.store, name, kind)
            self._tables[name] = cast("_StagedTable[object, object]", made)
            return made
        return cast("_StagedTable[K, V]", table)

    def seen(self, aggregate: AggregateRoot) -> None:
        """Remember an aggregate whose events are collected after commit."""
        self._seen.append(aggregate)

    def profile_answers_table(
        self,
    ) -> _StagedTable[tuple[str, str, int], ContactProfileAnswer]:
        """Return the staged contact profile answers (they refer to two tables)."""
        return self.staged("contact_profile_answers", "contact profile answer")

    def profile_answer_rows(self) -> Iterator[ContactProfileAnswer]:
        """Yield the current profile answers, uncopied, for reference checks."""
        return self.profile_answers_table().peek()

    @property
    def setup(self) -> InMemorySetupRepository:
        """The Relationship Management setup."""
        return self._repository(InMemorySetupRepository)

    @property
    def number_series(self) -> InMemoryNumberSeriesRepository:
        """The number series."""
        return self._repository(InMemoryNumberSeriesRepository)

    @property
    def code_tables(self) -> InMemoryCodeTableRepository:
        """The code tables."""
        return self._repository(InMemoryCodeTableRepository)

    @property
    def profile_questionnaires(self) -> InMemoryProfileQuestionnaireRepository:
        """The profile questionnaires with their questions and answers."""
        return self._repository(InMemoryProfileQuestionnaireRepository)

    @property
    def contacts(self) -> InMemoryContactRepository:
        """The contacts, companies and persons."""
        return self._repository(InMemoryContactRepository)

    @property
    def contact_profile_answers(self) -> InMemoryContactProfileAnswerRepository:
        """The contacts' answers to profile questionnaires."""
        return self._repository(InMemoryContactProfileAnswerRepository)

    @property
    def merges(self) -> InMemoryMergeRepository:
        """The merge records and the aliases of merged-away numbers."""
        return self._repository(InMemoryMergeRepository)

    @property
    def separate_contact_pairs(self) -> InMemorySeparateContactPairRepository:
        """The pairs of contacts marked as not duplicates."""
        return self._repository(InMemorySeparateContactPairRepository)

    @property
    def duplicate_keys(self) -> InMemoryDuplicateKeyRepository:
        """The duplicate index, each contact's keys per method."""
        return self._repository(InMemoryDuplicateKeyRepository)

    @property
    def salespeople(self) -> InMemorySalespersonRepository:
        """The salespeople/purchasers."""
        return self._repository(InMemorySalespersonRepository)

    @property
    def teams(self) -> InMemoryTeamRepository:
        """The teams with their members."""
        return self._repository(InMemoryTeamRepository)

    @property
    def interaction_templates(self) -> InMemoryInteractionTemplateRepository:
        """The interaction templates with their languages."""
        return self._repository(InMemoryInteractionTemplateRepository)

    @property
    def interaction_template_setup(self) -> InMemoryInteractionTemplateSetupRepository:
        """The Interaction Template Setup."""
        return self._repository(InMemoryInteractionTemplateSetupRepository)

    @property
    def interaction_log(self) -> InMemoryInteractionLogRepository:
        """The interaction log entries."""
        return self._repository(InMemoryInteractionLogRepository)

    @property
    def tasks(self) -> InMemoryTaskRepository:
        """The tasks with their attendees."""
        return self._repository(InMemoryTaskRepository)

    @property
    def activities(self) -> InMemoryActivityRepository:
        """The activities with their steps."""
        return self._repository(InMemoryActivityRepository)

    @property
    def sales_cycles(self) -> InMemorySalesCycleRepository:
        """The sales cycles with their stages."""
        return self._repository(InMemorySalesCycleRepository)

    @property
    def opportunities(self) -> InMemoryOpportunityRepository:
        """The opportunities."""
        return self._repository(InMemoryOpportunityRepository)

    @property
    def opportunity_entries(self) -> InMemoryOpportunityEntryRepository:
        """The opportunity entries."""
        return self._repository(InMemoryOpportunityEntryRepository)

    @property
    def campaigns(self) -> InMemoryCampaignRepository:
        """The campaigns."""
        return self._repository(InMemoryCampaignRepository)

    @property
    def campaign_entries(self) -> InMemoryCampaignEntryRepository:
        """The campaign entries."""
        return self._repository(InMemoryCampaignEntryRepository)

    @property
    def campaign_pricing(self) -> InMemoryCampaignPricingRepository:
        """The campaigns' price and line-discount lines."""
        return self._repository(InMemoryCampaignPricingRepository)

    @property
    def campaign_target_groups(self) -> InMemoryCampaignTargetGroupRepository:
        """The campaigns' target groups."""
        return self._repository(InMemoryCampaignTargetGroupRepository)

    @property
    def segments(self) -> InMemorySegmentRepository:
        """The segments."""
        return self._repository(InMemorySegmentRepository)

    @property
    def logged_segments(self) -> InMemoryLoggedSegmentRepository:
        """The logged segments."""
        return self._repository(InMemoryLoggedSegmentRepository)

    @property
    def saved_criteria(self) -> InMemorySavedCriteriaRepository:
        """The saved segment criteria."""
        return self._repository(InMemorySavedCriteriaRepository)

    def _repository(self, kind: Callable[[InMemoryUnitOfWork], _R]) -> _R:
        """Return this unit of work's repository of ``kind``, made on first use."""
        if not self._in_block:
            self._require()
        made = self._repositories.get(kind)  # type: ignore[call-overload]
        if made is None:
            made = self._repositories[kind] = kind(self)  # type: ignore[index]
        return cast("_R", made)

    def _require(self) -> None:
        if not self._in_block:
            raise UnitOfWorkStateError("use the unit of work inside its with block")

    def __enter__(self) -> Self:
        if self._in_block:
            raise UnitOfWorkStateError("a unit of work runs one with block at a time")
        self.rollback()
        self._in_block = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()
        self._in_block = False

    def commit(self) -> None:
        """Apply every staged change atomically, after checking versions."""
        touched = [t for t in self._tables.values() if t.staged or t.base]
        with self.store.lock:
            for table in touched:
                table.check()
            for table in touched:
                table.apply()
        for aggregate in self._seen:
            self._events.extend(aggregate.pull_events())
        self._seen.clear()

    def rollback(self) -> None:
        """Drop every staged change."""
        for table in self._tables.values():
            if table.staged or table.base:
                table.reset()
        self._seen.clear()

    def collect_events(self) -> list[object]:
        """Return and forget the events of committed changes."""
        events, self._events = self._events, []
        return events


def in_memory_uow_factory(
    store: InMemoryStore | None = None,
) -> Callable[[], InMemoryUnitOfWork]:
    """Return a factory of units of work that all share one store.

    >>> factory = in_memory_uow_factory()
    >>> factory().store is factory().store
    True
    """
    shared = store if store is not None else InMemoryStore()

    def make() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(shared)

    return make
