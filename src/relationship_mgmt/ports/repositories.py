"""Repository ports: how services reach stored aggregates and reference data.

Every repository hands out **copies**: changing a returned object changes nothing in
storage until it is passed back (``update``/``save``) and the unit of work commits.
Writes check the aggregate's ``version`` (optimistic concurrency): a stale version
raises :class:`~relationship_mgmt.errors.ConcurrencyError` and changes nothing; a
successful write increments the version both in storage and on the object passed in.
Adding a key that is already stored raises
:class:`~relationship_mgmt.errors.AlreadyExistsError` (a ``ConcurrencyError``).
Missing keys raise :class:`~relationship_mgmt.errors.NotFoundError`. Driver failures
surface as :class:`~relationship_mgmt.errors.PersistenceError` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Protocol, TypeVar

from attrs import frozen

from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignEntry,
    CampaignTargetGroup,
    PricingLine,
    TargetType,
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
from relationship_mgmt.domain.contacts import Contact, LinkToTable
from relationship_mgmt.domain.duplicates import DuplicateMethod
from relationship_mgmt.domain.interactions import (
    InteractionFilter,
    InteractionLogEntry,
    InteractionStatistics,
    InteractionTemplate,
    InteractionTemplateSetup,
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
)
from relationship_mgmt.domain.profiles import ContactProfileAnswer, ProfileQuestionnaire
from relationship_mgmt.domain.salespeople import Salesperson, Team
from relationship_mgmt.domain.segments import LoggedSegment, SavedCriteria, Segment
from relationship_mgmt.domain.setup import (
    CodeRecord,
    RelationshipSetup,
    SalutationFormula,
)
from relationship_mgmt.domain.tasks import Activity, Attendee, Task, TaskFilter

__all__ = [
    "ActivityRepository",
    "CampaignEntryRepository",
    "CampaignPricingRepository",
    "CampaignRepository",
    "CampaignTargetGroupRepository",
    "SegmentRepository",
    "CodeTableRecord",
    "CodeTableRepository",
    "ContactProfileAnswerRepository",
    "ContactRepository",
    "DUPLICATE_KEY_LENGTH",
    "DuplicateKeyRepository",
    "InteractionLogRepository",
    "InteractionTemplateRepository",
    "InteractionTemplateSetupRepository",
    "LoggedSegmentRepository",
    "KeyLookUp",
    "MergeRepository",
    "NumberSeriesRepository",
    "OpportunityEntryRepository",
    "OpportunityRepository",
    "ProfileQuestionnaireRepository",
    "SalesCycleRepository",
    "SalespersonRepository",
    "SavedCriteriaRepository",
    "SeparateContactPairRepository",
    "SetupRepository",
    "TaskRepository",
    "TeamRepository",
]

CodeTableRecord = CodeRecord | SalutationFormula
"""Any row of a code table."""

R = TypeVar("R", bound=CodeTableRecord)


class SetupRepository(Protocol):
    """Stores the one :class:`RelationshipSetup` of a workspace."""

    def get(self) -> RelationshipSetup:
        """Return a copy of the stored setup.

        Returns:
            The stored setup, or a new default one with ``version == 0`` when
            nothing has been saved yet.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def save(self, setup: RelationshipSetup) -> None:
        """Store ``setup``: insert it when its version is 0, else update it.

        Raises:
            ConcurrencyError: The stored version is not ``setup.version`` (or a
                setup was stored meanwhile when inserting).
            PersistenceError: The storage failed.
        """
        ...


class NumberSeriesRepository(Protocol):
    """Stores :class:`NumberSeries` aggregates by code."""

    def add(self, series: NumberSeries) -> None:
        """Store a new series (its version must be 0; it becomes 1).

        Raises:
            AlreadyExistsError: A series with this code exists.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, code: NoSeriesCode) -> NumberSeries:
        """Return a copy of the series ``code``.

        Raises:
            NotFoundError: No such series.
            PersistenceError: The storage failed.
        """
        ...

    def get_for_update(self, code: NoSeriesCode) -> NumberSeries:
        """Return a copy of the series and hold it until the unit of work ends.

        Use it to draw numbers: no other unit of work can draw from the series
        until this one commits or rolls back (a row lock on PostgreSQL, the write
        lock on SQLite, a version check in memory), so no number is handed out twice.

        Raises:
            NotFoundError: No such series.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, series: NumberSeries) -> None:
        """Write back a changed series.

        Raises:
            NotFoundError: The series was removed.
            ConcurrencyError: The stored version is not ``series.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, code: NoSeriesCode) -> None:
        """Delete the series ``code``.

        Raises:
            NotFoundError: No such series.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[NumberSeries]:
        """Return copies of every series, ordered by code."""
        ...


class CodeTableRepository(Protocol):
    """Stores the rows of every code table (§1.2), one table per record ``kind``.

    Keys are passed exactly as stored (normalised ``Code`` values); services
    normalise what users type before they call.
    """

    def add(self, record: CodeTableRecord) -> None:
        """Store a new row.

        Raises:
            AlreadyExistsError: A row of that kind with that key exists.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, kind: type[R], *key: str) -> R:
        """Return the row of ``kind`` with ``key``.

        Raises:
            NotFoundError: No such row.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, kind: type[CodeTableRecord], *key: str) -> bool:
        """Return whether a row of ``kind`` with ``key`` is stored."""
        ...

    def replace(self, record: CodeTableRecord) -> None:
        """Overwrite the stored row that has ``record``'s key.

        Raises:
            NotFoundError: No such row.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, kind: type[CodeTableRecord], *key: str) -> None:
        """Delete the row of ``kind`` with ``key``.

        Raises:
            NotFoundError: No such row.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self, kind: type[R]) -> list[R]:
        """Return every row of ``kind``, ordered by key."""
        ...


class ProfileQuestionnaireRepository(Protocol):
    """Stores :class:`ProfileQuestionnaire` aggregates (header and lines) by code.

    A questionnaire is stored and read whole: its questions, answers and rating
    points travel with it. Contacts' profile answers are not part of it.
    """

    def add(self, questionnaire: ProfileQuestionnaire) -> None:
        """Store a new questionnaire with its lines (its version becomes 1).

        Raises:
            AlreadyExistsError: A questionnaire with this code exists.
            PersistenceError: The storage failed, or cannot hold a value exactly
                (SQLite keeps a Decimal to 15 significant digits).
        """
        ...

    def get(self, code: Code) -> ProfileQuestionnaire:
        """Return a copy of the questionnaire ``code`` with its lines in order.

        Raises:
            NotFoundError: No such questionnaire.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, questionnaire: ProfileQuestionnaire) -> None:
        """Write back a changed questionnaire; its stored lines become exactly its lines.

        Lines that are no longer in ``questionnaire.lines`` are deleted, changed
        lines are rewritten and new ones added, all in the unit of work's
        transaction.

        Raises:
            NotFoundError: The questionnaire was removed.
            ConcurrencyError: The stored version is not ``questionnaire.version``.
            IntegrityViolationError: A line that is gone has contacts' profile
                answers (delete those first).
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def remove(self, code: Code) -> None:
        """Delete the questionnaire ``code`` and its lines.

        Raises:
            NotFoundError: No such questionnaire.
            IntegrityViolationError: Contacts' profile answers refer to its lines
                (delete those first).
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[ProfileQuestionnaire]:
        """Return copies of every questionnaire, ordered by code."""
        ...


class ContactRepository(Protocol):
    """Stores :class:`~relationship_mgmt.domain.contacts.Contact` aggregates by number.

    A contact is stored and read whole: its mailing groups, job responsibilities,
    industry groups, business relations, web sources, alternative addresses and their
    periods travel with it. Storage keeps the company links sound, as a foreign key
    would: a person's ``company_no`` names a stored company (so add a company before
    its persons), and a contact that persons point to cannot be removed (remove the
    persons first). A contact's profile answers are stored apart
    (:class:`ContactProfileAnswerRepository`) and must be removed before it.
    """

    def add(self, contact: Contact) -> None:
        """Store a new contact with its collections (its version must be 0; it becomes 1).

        Raises:
            AlreadyExistsError: A contact with this number exists.
            IntegrityViolationError: A person's ``company_no`` names no stored
                company contact.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, no: ContactNo) -> Contact:
        """Return a copy of the contact ``no``.

        Raises:
            NotFoundError: No such contact.
            PersistenceError: The storage failed.
        """
        ...

    def get_many(self, nos: Collection[ContactNo]) -> dict[ContactNo, Contact]:
        """Return copies of the stored contacts among ``nos``, by number.

        A number that is not stored is left out; an empty ``nos`` gives ``{}``.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def get_texts(
        self, nos: Collection[ContactNo], fields: Collection[str]
    ) -> dict[ContactNo, dict[str, str]]:
        """Return some text fields of the stored contacts among ``nos``, by number.

        For reads that need a few fields of many contacts (a duplicate check, a
        list) without loading whole contacts. Each value is the field's text: an
        enum gives its value, a code that is not set gives ``""``. A number that is
        not stored is left out.

        Args:
            nos: The contact numbers.
            fields: Names from
                :data:`~relationship_mgmt.domain.contacts.CONTACT_TEXT_FIELDS`.

        Raises:
            ValidationError: A field that is not one of those.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, no: ContactNo) -> bool:
        """Return whether the contact ``no`` is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, contact: Contact) -> None:
        """Write back a changed contact; its stored collections become exactly its own.

        A mailing group (or any other member of a collection) that is no longer on
        ``contact`` is gone afterwards; all of it happens in the unit of work's
        transaction.

        Raises:
            NotFoundError: The contact was removed.
            ConcurrencyError: The stored version is not ``contact.version``.
            IntegrityViolationError: A person's ``company_no`` names no stored
                company contact, or the contact became a person while persons
                point to it.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, no: ContactNo) -> None:
        """Delete the contact ``no`` with its collections.

        Raises:
            NotFoundError: No such contact.
            IntegrityViolationError: Persons point to it, or it has profile
                answers (BC deletes those first, §2.7).
            PersistenceError: The storage failed.
        """
        ...

    def persons_of(self, company_no: ContactNo) -> list[Contact]:
        """Return copies of the persons whose ``company_no`` is ``company_no``, by number.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[Contact]:
        """Return copies of every contact in BC's list order.

        That is by company name, company number (none first), type (a company
        before its persons), name and number; texts compare by code point.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def search(self, text: str, *, limit: int | None = None) -> list[Contact]:
        """Return copies of the contacts that contain ``text``, ordered by number.

        ``text`` is a fragment matched anywhere, ignoring case, in the name, search
        name, company name, e-mail (its upper-cased search e-mail), phone number or
        mobile phone number. It is taken literally: ``%`` and ``_`` are no wildcards.

        Args:
            text: The fragment; an empty one matches every contact.
            limit: At most this many contacts (the first by number); all if ``None``.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def linked_to(self, link_to_table: LinkToTable, no: str) -> ContactNo | None:
        """Return the contact linked with a customer, vendor, bank account or employee.

        The link is a business relation row (§2.8); at most one contact holds a
        link (the storage keeps it unique).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def email_addresses(self) -> list[tuple[ContactNo, str]]:
        """Return every contact's e-mail addresses, for matching mail to contacts.

        One pair per address: the E-Mail and E-Mail 2 fields (each split at ``;``)
        and the alternative addresses' e-mails, as stored, ordered by contact number
        and then address; blank addresses are left out.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class ContactProfileAnswerRepository(Protocol):
    """Stores contacts' profile answers (table 5089), keyed by (contact, questionnaire, line).

    An answer is a frozen value: it is added and removed, never changed in place.
    It needs its contact and its questionnaire line (a foreign key in SQL); a
    contact or a questionnaire line that has answers cannot be removed.
    """

    def add(self, answer: ContactProfileAnswer) -> None:
        """Store a new answer.

        Raises:
            AlreadyExistsError: An answer with this key exists.
            IntegrityViolationError: The contact or the questionnaire line
                (``answer.answer``) is not stored.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def remove(
        self, contact_no: ContactNo, questionnaire_code: Code, line_no: int
    ) -> None:
        """Delete the answer with this key.

        Raises:
            NotFoundError: No such answer.
            PersistenceError: The storage failed.
        """
        ...

    def find_by_contact(self, contact_no: ContactNo) -> list[ContactProfileAnswer]:
        """Return the answers of the contact, ordered by key.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def find_by_questionnaire(self, code: Code) -> list[ContactProfileAnswer]:
        """Return every contact's answers in the questionnaire ``code``, ordered by key.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class MergeRepository(Protocol):
    """Stores :class:`~relationship_mgmt.domain.merging.MergeRecord` values and the aliases.

    A record is keyed by the merged-away contact number; while it is stored, that
    number is an *alias* of the survivor (peers-and-beyond.md item 9): it keeps
    resolving to the survivor. Records are frozen values, added and removed, never
    changed. There is no reference to the contact table: the merged contact is gone.
    """

    def add(self, record: MergeRecord) -> None:
        """Store a merge record and the alias ``merged no. -> survivor no.``.

        Raises:
            AlreadyExistsError: A record for this merged number exists.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, merged_no: ContactNo) -> MergeRecord:
        """Return the record of the merge that took ``merged_no`` away.

        Raises:
            NotFoundError: No such record.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, merged_no: ContactNo) -> None:
        """Delete the record and its alias (an unmerge).

        Raises:
            NotFoundError: No such record.
            PersistenceError: The storage failed.
        """
        ...

    def resolve(self, no: ContactNo) -> ContactNo | None:
        """Return the contact a merged-away number now stands for, or ``None``.

        Aliases are followed to the end of a chain: after ``A`` was merged into
        ``B`` and ``B`` into ``C``, ``A`` resolves to ``C``. A number that is no
        alias resolves to ``None``.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class SeparateContactPairRepository(Protocol):
    """Stores BC's *Separate Contacts* pairs (table 5085 with the flag set, §2.14).

    A pair is unordered: it is stored and returned as ``(smaller, larger)`` number.
    Pairs refer to no table, so a deleted contact's pairs stay until removed.
    """

    def add(self, first: ContactNo, second: ContactNo) -> None:
        """Mark two contacts as separate (not duplicates).

        Raises:
            AlreadyExistsError: The pair is stored (in either order).
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, first: ContactNo, second: ContactNo) -> None:
        """Forget the pair (in either order).

        Raises:
            NotFoundError: No such pair.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, first: ContactNo, second: ContactNo) -> bool:
        """Return whether the pair is stored (in either order).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[tuple[ContactNo, ContactNo]]:
        """Return every pair as ``(smaller, larger)``, ordered.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


DUPLICATE_KEY_LENGTH = 250
"""The longest duplicate index key storage must keep."""


@frozen
class KeyLookUp:
    """The answer of :meth:`DuplicateKeyRepository.look_up`.

    Attributes:
        holders: As :meth:`DuplicateKeyRepository.holders` answers.
        texts: The text fields of every holder of a key with fewer holders than
            the limit (all holders without a limit), by contact.
        separate: Those holders marked *Separate Contacts* with the excluded
            contact (§2.14).
    """

    holders: dict[str, list[tuple[ContactNo, int]]]
    texts: dict[ContactNo, dict[str, str]]
    separate: frozenset[ContactNo]


class DuplicateKeyRepository(Protocol):
    """Stores the duplicate index: each contact's keys under each method (§2.14).

    For ``bc`` these are BC's *Cont. Duplicate Search String* rows (table 5086); for
    ``default`` the blocking keys. Keys are derived data: the services compute them
    (:func:`~relationship_mgmt.domain.duplicates.index_keys`) and write them whenever
    they store a contact; storage keeps them and answers who holds a key, so that a
    check reads a bounded slice of the index instead of every contact. Keys are
    non-empty texts of at most :data:`DUPLICATE_KEY_LENGTH` characters and refer to
    no table.
    """

    def replace(
        self, method: DuplicateMethod, contact_no: ContactNo, keys: Collection[str]
    ) -> None:
        """Make ``keys`` the contact's keys under ``method`` (none: it holds none).

        A key given twice is kept once.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, contact_no: ContactNo) -> None:
        """Drop the contact's keys under every method (nothing if it holds none).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def keys_of(self, method: DuplicateMethod, contact_no: ContactNo) -> list[str]:
        """Return the contact's keys under ``method``, sorted.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def holders(
        self,
        method: DuplicateMethod,
        keys: Collection[str],
        *,
        limit: int | None = None,
        excluding: ContactNo | None = None,
    ) -> dict[str, list[tuple[ContactNo, int]]]:
        """Return who holds each of ``keys``: ``(contact, its number of keys)``.

        Args:
            method: The method whose keys are asked about.
            keys: The keys; one nobody holds is left out of the answer.
            limit: At most this many holders per key (which ones is unspecified:
                the limit bounds the answer for keys held by very many contacts).
            excluding: A contact left out of every answer (the one being checked).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

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
        """Answer a duplicate check's reads at once: holders, their fields, separate pairs.

        What :meth:`holders` answers, the ``fields`` (as
        :meth:`ContactRepository.get_texts` gives them) of the holders of each key
        with fewer than ``limit`` holders, and which of those are marked separate
        from ``excluding``. A database answers it in one round trip.

        ``choose``, given the holders, names the contacts whose fields are wanted
        (they hold keys under the limit); an adapter that reads in-process may
        fetch only those, one that answers in one statement gives them all.

        Raises:
            ValidationError: A field that is not a contact text field.
            PersistenceError: The storage failed.
        """
        ...

    def clear(self, method: DuplicateMethod) -> None:
        """Drop every contact's keys under ``method`` (before a rebuild).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def count(self, method: DuplicateMethod) -> int:
        """Return how many contacts hold keys under ``method``.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class SalespersonRepository(Protocol):
    """Stores salespeople/purchasers (table 13, §8) by code."""

    def add(self, salesperson: Salesperson) -> None:
        """Store a new salesperson (its version becomes 1).

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, code: SalespersonCode) -> Salesperson:
        """Return a copy of the salesperson ``code``.

        Raises:
            NotFoundError: No such salesperson.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, code: SalespersonCode) -> bool:
        """Return whether the salesperson ``code`` is stored."""
        ...

    def update(self, salesperson: Salesperson) -> None:
        """Write back a changed salesperson (version-checked).

        Raises:
            NotFoundError: The salesperson was removed.
            ConcurrencyError: The stored version is not ``salesperson.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, code: SalespersonCode) -> None:
        """Delete the salesperson ``code`` (the service checks §8's refusals first).

        Raises:
            NotFoundError: No such salesperson.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[Salesperson]:
        """Return copies of every salesperson, ordered by code."""
        ...


class TeamRepository(Protocol):
    """Stores teams with their members (tables 5083 and 5084, §8)."""

    def add(self, team: Team) -> None:
        """Store a new team with its members (its version becomes 1).

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, code: Code) -> Team:
        """Return a copy of the team ``code``.

        Raises:
            NotFoundError: No such team.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, team: Team) -> None:
        """Write back a changed team; its stored members become exactly its members.

        Raises:
            NotFoundError: The team was removed.
            ConcurrencyError: The stored version is not ``team.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, code: Code) -> None:
        """Delete the team ``code`` and its memberships.

        Raises:
            NotFoundError: No such team.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[Team]:
        """Return copies of every team, ordered by code."""
        ...

    def teams_of(self, salesperson_code: SalespersonCode) -> list[Team]:
        """Return copies of the teams the salesperson is a member of, ordered by code."""
        ...


class InteractionTemplateRepository(Protocol):
    """Stores interaction templates with their language rows (tables 5064, 5103; §3.2)."""

    def add(self, template: InteractionTemplate) -> None:
        """Store a new template with its languages (its version becomes 1).

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, code: Code) -> InteractionTemplate:
        """Return a copy of the template ``code``.

        Raises:
            NotFoundError: No such template.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, code: Code) -> bool:
        """Return whether the template ``code`` is stored."""
        ...

    def update(self, template: InteractionTemplate) -> None:
        """Write back a changed template; its stored languages become its languages.

        Raises:
            NotFoundError: The template was removed.
            ConcurrencyError: The stored version is not ``template.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, code: Code) -> None:
        """Delete the template ``code`` and its language rows (§3.2).

        Raises:
            NotFoundError: No such template.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[InteractionTemplate]:
        """Return copies of every template, ordered by code."""
        ...


class InteractionTemplateSetupRepository(Protocol):
    """Stores the one Interaction Template Setup (table 5122, §1.3)."""

    def get(self) -> InteractionTemplateSetup:
        """Return a copy of the setup; a fresh one (no templates) if none is stored."""
        ...

    def save(self, setup: InteractionTemplateSetup) -> None:
        """Store the setup (version-checked; the first save stores version 1).

        Raises:
            ConcurrencyError: The stored version is not ``setup.version``.
            PersistenceError: The storage failed.
        """
        ...


class InteractionLogRepository(Protocol):
    """Stores interaction log entries (table 5065, §3.3): append-only, by entry number.

    Only the operations of
    :data:`~relationship_mgmt.domain.interactions.ENTRY_OPERATIONS` change a stored
    entry: :meth:`update` refuses any other change
    (:func:`~relationship_mgmt.domain.interactions.check_update`), and :meth:`remove`
    deletes canceled entries only.
    """

    def next_entry_no(self) -> int:
        """Return the next entry number (the last one stored or handed out, plus one).

        Numbers handed out in one unit of work are not handed out again in it; two
        units of work that both commit cannot store the same number (the second
        :meth:`add` or commit fails with a ``ConcurrencyError``; retry the use case).
        """
        ...

    def add(self, entry: InteractionLogEntry) -> None:
        """Store a new entry (its version becomes 1).

        Raises:
            AlreadyExistsError: The entry number, or the entry's idempotency key, is
                taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, entry_no: int) -> InteractionLogEntry:
        """Return the entry ``entry_no``.

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, entry: InteractionLogEntry) -> InteractionLogEntry:
        """Write back an entry changed by one of its operations; return it as stored.

        Raises:
            NotFoundError: No such entry.
            InteractionEntryError: A field no operation may change was changed.
            ConcurrencyError: The stored version is not ``entry.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, entry_no: int) -> None:
        """Delete the entry ``entry_no``; only canceled entries can be (§3.6).

        Raises:
            NotFoundError: No such entry.
            InteractionEntryError: The entry is not canceled.
            PersistenceError: The storage failed.
        """
        ...

    def by_idempotency_key(self, key: str) -> InteractionLogEntry | None:
        """Return the entry logged with idempotency key ``key``, if any."""
        ...

    def find(
        self,
        where: InteractionFilter | None = None,
        *,
        canceled: bool | None = None,
        limit: int | None = None,
    ) -> list[InteractionLogEntry]:
        """Return the entries ``where`` selects, dated within its Date Filter.

        Args:
            where: The filter (``None``: every entry).
            canceled: Only canceled (``True``) or live (``False``) entries.
            limit: At most this many, the newest entry numbers first.

        Returns:
            The entries ordered by entry number (newest first with ``limit``).
        """
        ...

    def statistics(self, where: InteractionFilter) -> InteractionStatistics:
        """Return the interaction FlowFields of the entries ``where`` selects.

        Exactly what
        :func:`~relationship_mgmt.domain.interactions.statistics_of` computes over
        the stored entries; a database computes it with aggregate queries.
        """
        ...


class TaskRepository(Protocol):
    """Stores tasks (table 5080, §7) by number, and the attendees of each (table 5199).

    A task is stored whole, every field a value of its own; the end date and time
    are derived from it. Sub-tasks (attendee and team member tasks) are tasks of
    their own that name their organizer task in ``organizer_task_no``; storage does
    not tie them together (the service deletes a task's sub-tasks with it). A task's
    meeting attendees are not part of the :class:`~relationship_mgmt.domain.tasks.Task`
    aggregate: :meth:`attendees_of` and :meth:`replace_attendees` keep them, and
    removing the task removes them.
    """

    def add(self, task: Task) -> None:
        """Store a new task (its version becomes 1).

        Raises:
            AlreadyExistsError: The number is taken.
            PersistenceError: The storage failed, or cannot hold a value exactly
                (a duration finer than a millisecond; SQLite keeps a Decimal to 15
                significant digits).
        """
        ...

    def get(self, no: TaskNo) -> Task:
        """Return a copy of the task ``no``.

        Raises:
            NotFoundError: No such task.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, no: TaskNo) -> bool:
        """Return whether the task ``no`` is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, task: Task) -> None:
        """Write back a changed task (version-checked).

        Raises:
            NotFoundError: The task was removed.
            ConcurrencyError: The stored version is not ``task.version``.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def remove(self, no: TaskNo) -> None:
        """Delete the task ``no`` and its attendees (the service checks the rules).

        Raises:
            NotFoundError: No such task.
            PersistenceError: The storage failed.
        """
        ...

    def find(self, where: TaskFilter | None = None) -> list[Task]:
        """Return copies of the tasks ``where`` selects, ordered by date and number.

        Args:
            where: The filter (``None``: every task); see
                :meth:`TaskFilter.selects <relationship_mgmt.domain.tasks.TaskFilter.selects>`.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def next_task_date(self, where: TaskFilter) -> date | None:
        """Return the earliest Date of the tasks ``where`` selects (``None``: none).

        The Next Task Date FlowFields (§2.2, §8) with the filters of
        :func:`~relationship_mgmt.domain.tasks.contact_task_filter`,
        :func:`~relationship_mgmt.domain.tasks.salesperson_task_filter` and
        :func:`~relationship_mgmt.domain.tasks.team_task_filter`: exactly what
        :func:`~relationship_mgmt.domain.tasks.next_task_date_of` computes over the
        stored tasks; a database computes it with ``MIN(date)``.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def count_open(
        self,
        *,
        salesperson_code: SalespersonCode | None = None,
        team_code: Code | None = None,
    ) -> int:
        """Return how many tasks are open (Closed = false), of any System To-do Type.

        What §8 counts before deleting a salesperson (Salesperson Code = the code)
        or a team (Team Code = the code); given both, a task must match both, given
        neither, every open task counts.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def attendees_of(self, no: TaskNo) -> list[Attendee]:
        """Return the attendees of the task ``no`` by line number (none: ``[]``).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def replace_attendees(self, no: TaskNo, attendees: Collection[Attendee]) -> None:
        """Make ``attendees`` the attendees of the stored task ``no``.

        The service checks them first
        (:func:`~relationship_mgmt.domain.tasks.check_attendees`); storage keeps
        each line number once.

        Raises:
            NotFoundError: No such task.
            IntegrityViolationError: A line number given twice.
            PersistenceError: The storage failed.
        """
        ...


class ActivityRepository(Protocol):
    """Stores activities (task templates, §7.6) by code, each with its steps.

    An :class:`~relationship_mgmt.domain.tasks.Activity` is a frozen value with no
    version: :meth:`update` overwrites the stored one, steps included.
    """

    def add(self, activity: Activity) -> None:
        """Store a new activity with its steps.

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, code: Code) -> Activity:
        """Return the activity ``code`` with its steps in step order.

        Raises:
            NotFoundError: No such activity.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, activity: Activity) -> None:
        """Overwrite the stored activity with ``activity``'s code; its steps become its steps.

        Raises:
            NotFoundError: No such activity.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, code: Code) -> None:
        """Delete the activity ``code`` and its steps.

        Raises:
            NotFoundError: No such activity.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[Activity]:
        """Return every activity with its steps, ordered by code.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class SalesCycleRepository(Protocol):
    """Stores sales cycles (table 5090, §5.1) by code, each with its stages (table 5091).

    A :class:`~relationship_mgmt.domain.opportunities.SalesCycle` is stored whole:
    :meth:`update` replaces its stages with the cycle's.
    """

    def add(self, cycle: SalesCycle) -> None:
        """Store a new sales cycle with its stages (its version becomes 1).

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def get(self, code: Code) -> SalesCycle:
        """Return a copy of the sales cycle ``code`` with its stages.

        Raises:
            NotFoundError: No such sales cycle.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, code: Code) -> bool:
        """Return whether the sales cycle ``code`` is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, cycle: SalesCycle) -> None:
        """Write back a changed sales cycle and its stages (version-checked).

        Raises:
            NotFoundError: The sales cycle was removed.
            ConcurrencyError: The stored version is not ``cycle.version``.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def remove(self, code: Code) -> None:
        """Delete the sales cycle and its stages (the service checks the rules).

        Raises:
            NotFoundError: No such sales cycle.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[SalesCycle]:
        """Return copies of every sales cycle, ordered by code.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class OpportunityRepository(Protocol):
    """Stores opportunities (table 5092, §5.4) by number, every field a value."""

    def add(self, opportunity: Opportunity) -> None:
        """Store a new opportunity (its version becomes 1).

        Raises:
            AlreadyExistsError: The number is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, no: OpportunityNo) -> Opportunity:
        """Return a copy of the opportunity ``no``.

        Raises:
            NotFoundError: No such opportunity.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, no: OpportunityNo) -> bool:
        """Return whether the opportunity ``no`` is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, opportunity: Opportunity) -> None:
        """Write back a changed opportunity (version-checked).

        Raises:
            NotFoundError: The opportunity was removed.
            ConcurrencyError: The stored version is not ``opportunity.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, no: OpportunityNo) -> None:
        """Delete the opportunity ``no`` (its entries are the service's to delete).

        Raises:
            NotFoundError: No such opportunity.
            PersistenceError: The storage failed.
        """
        ...

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
        """Return copies of the opportunities matching every given field, by number.

        A contact's opportunities are found as in §2.2: a company's with
        ``contact_company_no`` (its persons' included), a person's with both
        ``contact_company_no`` and ``contact_no``; ``contact_company_no=""`` selects
        those without a company (a person without a company). ``None`` does not
        filter.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class OpportunityEntryRepository(Protocol):
    """Stores opportunity entries (table 5093, §5.5): frozen records, by entry number.

    Entries are written by the service: a stage move or a close adds the new active
    entry and updates the one it supersedes (its ``active``, ``days_open`` and close
    fields). Storage keeps what it is given; that exactly one entry of an open
    opportunity is active is the domain's and the service's rule.
    """

    def next_entry_no(self) -> int:
        """Return the next entry number (the last one stored or handed out, plus one).

        Numbers handed out in one unit of work are not handed out again in it; two
        units of work that both commit cannot store the same number.
        """
        ...

    def add(self, entry: OpportunityEntry) -> None:
        """Store a new entry.

        Raises:
            AlreadyExistsError: The entry number is taken.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def get(self, entry_no: int) -> OpportunityEntry:
        """Return the entry ``entry_no``.

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, entry: OpportunityEntry) -> None:
        """Overwrite the stored entry with ``entry``'s number by ``entry``.

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def entries_of(self, opportunity_no: OpportunityNo) -> list[OpportunityEntry]:
        """Return the entries of the opportunity, ordered by entry number.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def active_of(self, opportunity_no: OpportunityNo) -> OpportunityEntry | None:
        """Return the active entry of the opportunity (``None``: none is active).

        Should several be active, the highest entry number is returned.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def remove_of(self, opportunity_no: OpportunityNo) -> int:
        """Delete every entry of the opportunity (with it, §5.4); return how many.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def pipeline(
        self,
        *,
        as_of: date | None = None,
        sales_cycle_code: Code | None = None,
        salesperson_code: SalespersonCode | None = None,
    ) -> list[PipelineRow]:
        """Return the open opportunities by stage, now or as of a past day (§5.9).

        Exactly what :func:`~relationship_mgmt.domain.pipeline.pipeline_of` computes
        over every stored entry: now, the active entries; as of a day, each
        opportunity's last entry dated on or before it; counted when in a stage and
        not closing (Won/Lost). ``description`` is left blank.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def totals(
        self, group_by: GroupBy, *, key: str | None = None
    ) -> list[OpportunityTotals]:
        """Return the active entries' totals by a field, as :func:`~relationship_mgmt.domain.pipeline.totals_of`.

        Raises:
            ValidationError: ``group_by`` is not a field it groups by.
            PersistenceError: The storage failed.
        """
        ...

    def stage_durations(
        self, *, sales_cycle_code: Code | None = None
    ) -> list[StageDurations]:
        """Return the time in each stage, as :func:`~relationship_mgmt.domain.pipeline.stage_durations_of`.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class CampaignRepository(Protocol):
    """Stores campaigns (table 5071, §6.1) by number, every field a value."""

    def add(self, campaign: Campaign) -> None:
        """Store a new campaign (its version becomes 1).

        Raises:
            AlreadyExistsError: The number is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, no: CampaignNo) -> Campaign:
        """Return a copy of the campaign ``no``.

        Raises:
            NotFoundError: No such campaign.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, no: CampaignNo) -> bool:
        """Return whether the campaign ``no`` is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, campaign: Campaign) -> None:
        """Write back a changed campaign (version-checked).

        Raises:
            NotFoundError: The campaign was removed.
            ConcurrencyError: The stored version is not ``campaign.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, no: CampaignNo) -> None:
        """Delete the campaign ``no`` (the service checks the rules).

        Raises:
            NotFoundError: No such campaign.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[Campaign]:
        """Return copies of every campaign, ordered by number.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class SegmentRepository(Protocol):
    """Stores segments (table 5076, §4.1) by number.

    Each segment holds its lines, criteria actions and history (tables 5077, 5097,
    5078) inside the aggregate.
    """

    def add(self, segment: Segment) -> None:
        """Store a new segment (its version becomes 1).

        Raises:
            AlreadyExistsError: The number is taken.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def get(self, no: SegmentNo) -> Segment:
        """Return a copy of the segment ``no`` with its lines, actions and history.

        Raises:
            NotFoundError: No such segment.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, no: SegmentNo) -> bool:
        """Return whether the segment ``no`` is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, segment: Segment) -> None:
        """Write back a changed segment, its lines, actions and history (version-checked).

        Raises:
            NotFoundError: The segment was removed.
            ConcurrencyError: The stored version is not ``segment.version``.
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def remove(self, no: SegmentNo) -> None:
        """Delete the segment ``no`` with its lines, actions and history.

        Raises:
            NotFoundError: No such segment.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[Segment]:
        """Return copies of every segment, ordered by number.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class SavedCriteriaRepository(Protocol):
    """Stores saved segment criteria (tables 5098, 5099, §4.8) by code, the actions inside."""

    def add(self, saved: SavedCriteria) -> None:
        """Store new saved criteria (the version becomes 1).

        Raises:
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, code: Code) -> SavedCriteria:
        """Return a copy of the saved criteria ``code``.

        Raises:
            NotFoundError: No such saved criteria.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, code: Code) -> bool:
        """Return whether the saved criteria ``code`` are stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def update(self, saved: SavedCriteria) -> None:
        """Write back changed saved criteria (version-checked).

        Raises:
            NotFoundError: They were removed.
            ConcurrencyError: The stored version is not ``saved.version``.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, code: Code) -> None:
        """Delete the saved criteria ``code`` with their lines.

        Raises:
            NotFoundError: No such saved criteria.
            PersistenceError: The storage failed.
        """
        ...

    def find_all(self) -> list[SavedCriteria]:
        """Return copies of all saved criteria, ordered by code.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class LoggedSegmentRepository(Protocol):
    """Stores logged segments (table 5075, §4.9): frozen records, by entry number."""

    def next_entry_no(self) -> int:
        """Return the next entry number (the last one stored or handed out, plus one).

        Numbers handed out in one unit of work are not handed out again in it; two
        units of work that both commit cannot store the same number.
        """
        ...

    def add(self, entry: LoggedSegment) -> None:
        """Store a new logged segment.

        Raises:
            AlreadyExistsError: The entry number is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, entry_no: int) -> LoggedSegment:
        """Return the logged segment ``entry_no``.

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, entry: LoggedSegment) -> None:
        """Overwrite the stored entry with ``entry``'s number (a cancel or uncancel).

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...

    def find(self, *, segment_no: SegmentNo | None = None) -> list[LoggedSegment]:
        """Return the logged segments (of the segment number), by entry number.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, entry_no: int) -> None:
        """Delete the logged segment ``entry_no`` (§4.10 Delete Logged Segments).

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...


class CampaignEntryRepository(Protocol):
    """Stores campaign entries (table 5072, §6.2): frozen records, by entry number."""

    def next_entry_no(self) -> int:
        """Return the next entry number (the last one stored or handed out, plus one).

        Numbers handed out in one unit of work are not handed out again in it; two
        units of work that both commit cannot store the same number.
        """
        ...

    def add(self, entry: CampaignEntry) -> None:
        """Store a new entry.

        Raises:
            AlreadyExistsError: The entry number is taken.
            PersistenceError: The storage failed.
        """
        ...

    def get(self, entry_no: int) -> CampaignEntry:
        """Return the entry ``entry_no``.

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...

    def update(self, entry: CampaignEntry) -> None:
        """Overwrite the stored entry with ``entry``'s number (a cancel or uncancel).

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...

    def find(self, *, campaign_no: CampaignNo | None = None) -> list[CampaignEntry]:
        """Return the entries (of the campaign, if given), ordered by entry number.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, entry_no: int) -> None:
        """Delete the entry ``entry_no`` (§6.1, §6.2 Delete).

        Raises:
            NotFoundError: No such entry.
            PersistenceError: The storage failed.
        """
        ...


class CampaignPricingRepository(Protocol):
    """Stores the sales price and line-discount lines of campaigns (§6.3).

    A line is keyed within its campaign by
    :func:`~relationship_mgmt.domain.campaigns.pricing_line_key`; lines are frozen
    values, stored and read back equal.
    """

    def put(self, line: PricingLine) -> None:
        """Store the line, replacing the campaign's line with the same key.

        Raises:
            PersistenceError: The storage failed, or cannot hold a value exactly.
        """
        ...

    def remove(self, line: PricingLine) -> None:
        """Delete the campaign's line with ``line``'s key.

        Raises:
            NotFoundError: The campaign has no such line.
            PersistenceError: The storage failed.
        """
        ...

    def lines_of(self, campaign_no: CampaignNo) -> list[PricingLine]:
        """Return the campaign's lines, ordered by key (line discounts, then prices).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def remove_of(self, campaign_no: CampaignNo) -> int:
        """Delete every line of the campaign; return how many.

        Raises:
            PersistenceError: The storage failed.
        """
        ...


class CampaignTargetGroupRepository(Protocol):
    """Stores the campaigns' target groups (table 7030, §6.3): frozen rows.

    A row is keyed by (Type, No., Campaign No.) and stored and read back equal. A
    campaign with at least one row is *Activated* (§6.1). The repository also
    answers the activation rule's question over segment lines and interaction log
    entries (:meth:`targeted_companies`), a query a database answers itself.
    """

    def add(self, group: CampaignTargetGroup) -> None:
        """Store a new row.

        Raises:
            AlreadyExistsError: The row is stored.
            PersistenceError: The storage failed.
        """
        ...

    def remove(self, group: CampaignTargetGroup) -> None:
        """Delete the row with ``group``'s key.

        Raises:
            NotFoundError: No such row.
            PersistenceError: The storage failed.
        """
        ...

    def exists(self, group: CampaignTargetGroup) -> bool:
        """Return whether the row with ``group``'s key is stored.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def exists_for(self, campaign_no: CampaignNo) -> bool:
        """Return whether the campaign has any row: BC's *Activated* (§6.1).

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def of_campaign(self, campaign_no: CampaignNo) -> list[CampaignTargetGroup]:
        """Return the campaign's rows, ordered by type (Contact, Customer), then No.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def of_target(self, target_type: TargetType, no: str) -> list[CampaignTargetGroup]:
        """Return the rows of one customer or company contact, ordered by campaign.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def remove_of(self, campaign_no: CampaignNo) -> int:
        """Delete every row of the campaign (§6.3 Deactivate); return how many.

        Raises:
            PersistenceError: The storage failed.
        """
        ...

    def targeted_companies(
        self, campaign_no: CampaignNo, *, company_no: ContactNo | None = None
    ) -> list[ContactNo]:
        """Return the companies the campaign's segment lines and interactions target.

        Exactly what :func:`~relationship_mgmt.domain.campaigns.targeted_companies`
        computes over the stored segment lines (Campaign No., Campaign Target) and
        interaction log entries (Campaign No., Campaign Target, not Postponed): their
        distinct Contact Company Nos., sorted; with ``company_no`` only that one, if
        it is targeted. This unit of work's own changes count.

        Raises:
            PersistenceError: The storage failed.
        """
        ...
