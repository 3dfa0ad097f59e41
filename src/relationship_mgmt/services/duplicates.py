"""Use cases for duplicate contacts: find, check, mark separate, merge and unmerge (§2.14).

Each public method is one use case and one unit of work (house style B7).

Detection reads the stored contacts through
:func:`~relationship_mgmt.domain.merging.duplicate_record` and runs the domain's
:mod:`~relationship_mgmt.domain.duplicates` (``bc`` or ``default``). The index BC
keeps in table 5086 is stored (:class:`~relationship_mgmt.ports.DuplicateKeyRepository`)
and kept in step with every contact write: :meth:`DuplicateService.check` reads the
holders of the contact's own keys only (an
:class:`~relationship_mgmt.domain.duplicates.IndexProbe`), so its cost does not grow
with the number of contacts. :meth:`DuplicateService.find` is a batch over every
contact. Only the pairs the user marked *Separate Contacts* are stored (BC's table
5085 with the flag set).

Merging follows the plan, apply and undo of :mod:`relationship_mgmt.domain.merging`:
:meth:`DuplicateService.plan_merge` changes nothing; :meth:`DuplicateService.merge`
applies a plan in one unit of work and keeps a
:class:`~relationship_mgmt.domain.merging.MergeRecord`, under which the merged-away
number resolves to the survivor; :meth:`DuplicateService.unmerge` restores both.
"""

from __future__ import annotations

import attrs

from relationship_mgmt.domain._fields import to_enum
from relationship_mgmt.domain.codes import CODE20, ContactNo, make_code
from relationship_mgmt.domain.contacts import Contact, ContactType
from relationship_mgmt.domain.duplicates import (
    DuplicateMatch,
    DuplicateMethod,
    FieldWeightedScorer,
    IndexProbe,
    RecordKind,
    StringMetrics,
    clusters,
    find_duplicates,
)
from relationship_mgmt.domain.interactions import InteractionFilter, InteractionLogEntry
from relationship_mgmt.domain.merging import (
    DUPLICATE_SOURCE_FIELDS,
    EntryMove,
    MergePlan,
    MergeRecord,
    apply_merge,
    duplicate_record,
    duplicate_record_from_texts,
    move_answer,
    move_person,
    plan_merge,
    undo_merge,
)
from relationship_mgmt.domain.profiles import ContactProfileAnswer
from relationship_mgmt.errors import ConcurrencyError, NotFoundError, ValidationError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from relationship_mgmt.services._contact_store import (
    add_contact,
    index_contact,
    remove_contact,
    update_contact,
)
from relationship_mgmt.services.campaigns import (
    entry_target_pairs,
    refresh_campaign_targets,
)

__all__ = ["DuplicateService"]


def _contact_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="no"))


def _pair(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left <= right else (right, left)


class DuplicateService:
    """Find, check, separate, merge and unmerge duplicate contacts (§2.14).

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: Tells the time (``last_modified``, the merge's ``occurred_at``).
        metrics: The string metrics of the ``default`` scorer (default: the
            pure-Python ones; :func:`relationship_mgmt.open` passes the rapidfuzz
            ones when the extra ``matching`` is installed).
        read_uow_factory: Makes the units of work of :meth:`check`, which only
            reads (default: ``uow_factory``).

    >>> import relationship_mgmt as rm
    >>> crm = rm.open()
    >>> crm.setup.use_default_number_series()
    >>> a = crm.contacts.create_company(name="Cronus Ltd", city="Leeds",
    ...     address="1 Main St", post_code="LS1 4AP", phone_no="0113 496 0000")
    >>> b = crm.contacts.create_company(name="Cronus Ltd.", city="Leeds",
    ...     address="1 Main Street", post_code="LS1 4AP", phone_no="0113 496 0000",
    ...     email="info@cronus.example")
    >>> [m.pair for m in crm.duplicates.find()]
    [('CT000001', 'CT000002')]
    >>> plan = crm.duplicates.plan_merge(a.no, b.no)
    >>> crm.duplicates.merge(plan).email
    'info@cronus.example'
    >>> crm.contacts.get(b.no).no  # the merged-away number resolves to the survivor
    'CT000001'
    >>> crm.duplicates.unmerge(b.no).email
    'info@cronus.example'
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        metrics: StringMetrics | None = None,
        *,
        read_uow_factory: UnitOfWorkFactory | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._read_uow_factory = read_uow_factory or uow_factory
        self._clock = clock
        self._metrics = metrics
        self._scorer = FieldWeightedScorer(metrics=metrics)  # built once, for check

    # --- finding (§2.14) ------------------------------------------------------------

    def find(
        self,
        *,
        method: DuplicateMethod | str = DuplicateMethod.DEFAULT,
        kind: RecordKind | str | None = None,
    ) -> list[DuplicateMatch]:
        """Return the duplicate pairs among the stored contacts, separate pairs left out.

        Args:
            method: ``"default"`` (persons and companies) or ``"bc"`` (BC's search
                strings, companies only, with the setup's *Search Hit %*).
            kind: Only companies (``"Company"``) or persons (``"Person"``).

        Raises:
            ValidationError: An unknown method or kind.
            PersistenceError: The storage failed.
        """
        wanted = None if kind is None else to_enum(RecordKind, "kind", kind)
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            records = [duplicate_record(c) for c in uow.contacts.find_all()]
            separate = set(uow.separate_contact_pairs.find_all())
        if wanted is not None:
            records = [r for r in records if r.kind is wanted]
        found = find_duplicates(
            records, method=method, setup=setup, metrics=self._metrics
        )
        return [m for m in found if m.pair not in separate]

    def clusters(
        self,
        *,
        method: DuplicateMethod | str = DuplicateMethod.DEFAULT,
        kind: RecordKind | str | None = None,
    ) -> list[tuple[str, ...]]:
        """Return the groups of contacts that :meth:`find` links, each sorted.

        Raises:
            ValidationError: An unknown method or kind.
            PersistenceError: The storage failed.
        """
        return clusters(self.find(method=method, kind=kind))

    def check(
        self,
        contact_no: str,
        *,
        method: DuplicateMethod | str = DuplicateMethod.BC,
    ) -> list[DuplicateMatch]:
        """BC's *CheckDuplicates* for a contact just inserted or modified (§2.14).

        With *Autosearch for Duplicates* off this returns ``[]`` at once. Otherwise
        the contact's duplicates, separate pairs left out, are returned, best
        first. The check reads the stored index: the holders of the contact's own
        keys, then the few contacts that share enough of them; so it costs about
        the same for a thousand contacts as for a million. Under ``bc`` a person
        has none (persons are not indexed).

        Raises:
            NotFoundError: No such contact.
            ValidationError: An unknown method.
            PersistenceError: The storage failed.
        """
        key = _contact_no(contact_no)
        with self._read_uow_factory() as uow:
            setup = uow.setup.get()
            own = uow.contacts.get_texts([key], DUPLICATE_SOURCE_FIELDS)
            if key not in own:
                raise NotFoundError("contact", key)
            if not setup.autosearch_for_duplicates:
                return []
            probe = IndexProbe(
                duplicate_record_from_texts(own[key]),
                method,
                setup=setup,
                scorer=self._scorer,
            )
            if probe.limit is None:  # bc counts every holder: read them apart
                holders = uow.duplicate_keys.holders(
                    probe.method, probe.keys, excluding=key
                )
                wanted = [ContactNo(no) for no in probe.candidates(holders)]
                texts = uow.contacts.get_texts(wanted, DUPLICATE_SOURCE_FIELDS)
                pairs = uow.separate_contact_pairs
                apart = {no for no in texts if pairs.exists(key, no)}
            else:  # one read for the holders, their fields and separate pairs
                answer = uow.duplicate_keys.look_up(
                    probe.method,
                    probe.keys,
                    limit=probe.limit,
                    excluding=key,
                    fields=DUPLICATE_SOURCE_FIELDS,
                    choose=probe.candidates,
                )
                wanted = [ContactNo(no) for no in probe.candidates(answer.holders)]
                texts, apart = answer.texts, set(answer.separate)
            found = probe.matches(
                {
                    no: duplicate_record_from_texts(texts[no])
                    for no in wanted
                    if no in texts
                }
            )
            return [m for m in found if m.right not in apart]

    def reindex(self) -> int:
        """Rebuild the stored duplicate index (BC's *Generate Dupl. Search String*).

        Every contact's keys are computed again: the ``default`` keys, and BC's
        search strings while *Maintain Dupl. Search Strings* is on (off: they are
        dropped). Run it once after upgrading a database whose contacts predate the
        index. Pairs marked separate are kept.

        Returns:
            The number of contacts indexed.

        Raises:
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            setup = uow.setup.get()
            for method in DuplicateMethod:
                uow.duplicate_keys.clear(method)
            contacts = uow.contacts.find_all()
            for contact in contacts:
                index_contact(uow, contact, setup)
            uow.commit()
            return len(contacts)

    def mark_separate(self, first: str, second: str) -> None:
        """Mark two contacts as *Separate Contacts*: not duplicates (§2.14).

        Raises:
            ValidationError: The same contact twice.
            NotFoundError: A contact is not stored.
            AlreadyExistsError: The pair is marked already.
            PersistenceError: The storage failed.
        """
        a, b = _contact_no(first), _contact_no(second)
        if a == b:
            raise ValidationError("second", second, "must be another contact")
        with self._uow_factory() as uow:
            for no in (a, b):
                if not uow.contacts.exists(no):
                    raise NotFoundError("contact", no)
            uow.separate_contact_pairs.add(a, b)
            uow.commit()

    def unmark_separate(self, first: str, second: str) -> None:
        """Forget that two contacts are separate; they may be found again.

        Raises:
            NotFoundError: The pair is not marked.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            uow.separate_contact_pairs.remove(_contact_no(first), _contact_no(second))
            uow.commit()

    def separate_pairs(self) -> list[tuple[str, str]]:
        """Return the pairs marked separate, each as (smaller, larger) number.

        Raises:
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            return [_pair(a, b) for a, b in uow.separate_contact_pairs.find_all()]

    # --- merging --------------------------------------------------------------------

    def plan_merge(self, survivor_no: str, merged_no: str) -> MergePlan:
        """Plan merging ``merged_no`` into ``survivor_no``; nothing changes.

        Raises:
            NotFoundError: A contact is not stored.
            MergeRefusedError: The same contact, different types, or privacy blocked.
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            return self._plan(uow, _contact_no(survivor_no), _contact_no(merged_no))

    def _plan(
        self, uow: UnitOfWork, survivor_no: ContactNo, merged_no: ContactNo
    ) -> MergePlan:
        survivor = uow.contacts.get(survivor_no)
        merged = uow.contacts.get(merged_no)
        return plan_merge(
            survivor,
            merged,
            persons_of_merged=self._persons(uow, merged),
            answers_to_move=self._answers_to_move(uow, survivor, merged),
            entries_to_move=[e.entry_no for e in self._entries(uow, merged)],
        )

    @staticmethod
    def _entries(uow: UnitOfWork, contact: Contact) -> list[InteractionLogEntry]:
        """A contact's interaction log entries (a company's: its persons' too)."""
        log = uow.interaction_log
        found = {
            e.entry_no: e for e in log.find(InteractionFilter(contact_no=contact.no))
        }
        if contact.type is ContactType.COMPANY:
            company = InteractionFilter(contact_company_no=contact.no)
            found.update((e.entry_no, e) for e in log.find(company))
        return [found[no] for no in sorted(found)]

    @staticmethod
    def _persons(uow: UnitOfWork, contact: Contact) -> list[Contact]:
        if contact.type is not ContactType.COMPANY:
            return []
        return [p for p in uow.contacts.persons_of(contact.no) if p.no != contact.no]

    @staticmethod
    def _answers_to_move(
        uow: UnitOfWork, survivor: Contact, merged: Contact
    ) -> list[ContactProfileAnswer]:
        """The merged contact's answers to questions the survivor has not answered."""
        questionnaires = {q.code: q for q in uow.profile_questionnaires.find_all()}

        def question(answer: ContactProfileAnswer) -> tuple[str, int]:
            questionnaire = questionnaires[answer.questionnaire_code]
            return (
                answer.questionnaire_code,
                questionnaire.question_of(answer.line_no).line_no,
            )

        answered = {
            question(a)
            for a in uow.contact_profile_answers.find_by_contact(survivor.no)
        }
        return [
            a
            for a in uow.contact_profile_answers.find_by_contact(merged.no)
            if question(a) not in answered
        ]

    def merge(self, plan: MergePlan) -> Contact:
        """Apply a plan in one unit of work and return the merged survivor.

        The survivor takes the plan's values; a merged company's persons move to
        it; the merged contact's profile answers move where the survivor has none
        for that question (the others are dropped, and kept in the record); the
        merged contact is deleted; a
        :class:`~relationship_mgmt.domain.merging.MergeRecord` is stored, and with it
        the alias under which the merged number resolves to the survivor.

        Raises:
            ConcurrencyError: A contact, its persons or its answers changed since
                the plan was made; plan again.
            NotFoundError: A contact is gone.
            MergeRefusedError: The merge is refused.
            PersistenceError: The storage failed.
        """
        now = self._clock.now()
        with self._uow_factory() as uow:
            survivor_no, merged_no = (
                _contact_no(plan.survivor_no),
                _contact_no(plan.merged_no),
            )
            if self._plan(uow, survivor_no, merged_no) != plan:
                raise ConcurrencyError(
                    "contact merge", plan.merged_no, plan.merged_version
                )
            survivor = uow.contacts.get(survivor_no)
            merged = uow.contacts.get(merged_no)
            persons = self._persons(uow, merged)
            moving = self._answers_to_move(uow, survivor, merged)
            answers = uow.contact_profile_answers.find_by_contact(merged_no)
            entries = self._entries(uow, merged)
            result = apply_merge(plan, survivor, merged, now=now)
            setup = uow.setup.get()  # read once for the index keys of every write
            update_contact(uow, result, setup)
            for person in persons:
                update_contact(uow, move_person(person, result, now=now), setup)
            for answer in answers:
                uow.contact_profile_answers.remove(*answer.key)
            added = [move_answer(a, result) for a in moving]
            for answer in added:
                uow.contact_profile_answers.add(answer)
            moves = [_move_entry(uow, entry, merged_no, result) for entry in entries]
            remove_contact(uow, merged_no)
            _refresh_targets(uow, entries)
            uow.merges.add(
                MergeRecord(
                    plan=plan,
                    survivor_before=survivor,
                    merged_before=merged,
                    persons_moved=persons,
                    answers_removed=answers,
                    answers_added=added,
                    entries_moved=moves,
                    occurred_at=now,
                )
            )
            uow.commit()
            return result

    def unmerge(self, merged_no: str) -> Contact:
        """Undo a merge: restore the merged contact and the survivor as they were.

        The merged contact comes back exactly as it was; its persons and profile
        answers return to it; the survivor gets its pre-merge fields and answers
        back; the record and the alias go. Merges are undone newest first: a
        survivor that was merged away later must be unmerged first.

        Returns:
            The restored contact.

        Raises:
            NotFoundError: No merge took ``merged_no`` away, or the survivor is gone.
            ConcurrencyError: The survivor or a moved person changed since the
                merge (restoring would lose that change).
            AlreadyExistsError: A contact with the merged number exists again.
            PersistenceError: The storage failed.
        """
        key = _contact_no(merged_no)
        with self._uow_factory() as uow:
            record = uow.merges.get(key)
            survivor = uow.contacts.get(record.survivor_no)
            # Storage bumps a version by one per write; the merge wrote each once.
            if survivor.version != record.survivor_before.version + 1:
                raise ConcurrencyError(
                    "contact", survivor.no, record.survivor_before.version + 1
                )
            persons_now: list[Contact] = []
            for before in record.persons_moved:
                person = uow.contacts.get(before.no)
                if person.version != before.version + 1:
                    raise ConcurrencyError("contact", person.no, before.version + 1)
                persons_now.append(person)
            undone = undo_merge(record, survivor, persons_now)
            restored = attrs.evolve(undone.merged, version=0)
            setup = uow.setup.get()  # read once for the index keys of every write
            add_contact(uow, restored, setup)
            for person in undone.persons:
                update_contact(uow, person, setup)
            for answer in record.answers_added:
                uow.contact_profile_answers.remove(*answer.key)
            for answer in record.answers_removed:
                uow.contact_profile_answers.add(answer)
            update_contact(uow, undone.survivor, setup)
            moved = []
            for move in record.entries_moved:
                entry = uow.interaction_log.get(move.entry_no)
                moved.append(entry)
                uow.interaction_log.update(
                    entry.reassign_contact(
                        contact_no=move.contact_no,
                        contact_company_no=move.contact_company_no,
                    )
                )
            _refresh_targets(uow, moved)
            uow.merges.remove(key)
            uow.commit()
            return restored

    def resolve(self, no: str) -> str | None:
        """Return the contact a merged-away number now stands for, or ``None``.

        Raises:
            PersistenceError: The storage failed.
        """
        with self._uow_factory() as uow:
            return uow.merges.resolve(_contact_no(no))


def _refresh_targets(uow: UnitOfWork, before: list[InteractionLogEntry]) -> None:
    """Keep activated campaigns' target groups current after entries moved (§6.3).

    ``before`` are the entries as they were; the pairs of their companies then and
    now are refreshed.
    """
    now = [uow.interaction_log.get(e.entry_no) for e in before if e.campaign_target]
    refresh_campaign_targets(uow, entry_target_pairs(before) | entry_target_pairs(now))


def _move_entry(
    uow: UnitOfWork, entry: InteractionLogEntry, merged_no: ContactNo, survivor: Contact
) -> EntryMove:
    """Re-point one entry to the survivor (§2.12) and return how it was.

    The merged contact's own entries take the survivor and its company; a merged
    company's persons' entries keep their person and take the survivor as company.
    """
    own = entry.contact_no == merged_no
    uow.interaction_log.update(
        entry.reassign_contact(
            contact_no=survivor.no if own else entry.contact_no,
            contact_company_no=survivor.company_no if own else survivor.no,
        )
    )
    return EntryMove(
        entry_no=entry.entry_no,
        contact_no=entry.contact_no,
        contact_company_no=entry.contact_company_no,
    )
