"""Use cases for profile questionnaires, contact profile answers and classification.

Spec §2.13 (questionnaires, manual answers) and §2.13.1 (*Update Contact
Classification*, report 5199). Each public method is one use case and one unit of
work. The rules live in :mod:`relationship_mgmt.domain.profiles`; this module loads
the facts they need from storage (how many contacts have an answer, which answers
other questionnaires rate, the contacts and their stored answers), runs them and
stores the result.

Statistics for automatic questions come from a
:class:`~relationship_mgmt.domain.profiles.ClassificationSource`; a host without
ledgers (tests, the demo) can use :class:`StaticClassificationSource`.

>>> import relationship_mgmt as rm
>>> crm = rm.open()
>>> crm.setup.use_default_number_series()
>>> c = crm.contacts.create_company(name="Cronus")
>>> q = crm.profiles.create("size", "Company size")
>>> employees = crm.profiles.add_question("size", "Number of employees")
>>> small = crm.profiles.add_answer("size", employees.line_no, "1-49")
>>> crm.profiles.answer(c.no, "size", small.line_no).answer
('SIZE', 20000)
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs

from relationship_mgmt.domain.codes import CODE20, Code, ContactNo, make_code
from relationship_mgmt.domain.contacts import Contact, ContactType, ensure_usable
from relationship_mgmt.domain.profiles import (
    AnswerPriority,
    ClassField,
    ClassificationResult,
    ClassificationSource,
    ContactProfileAnswer,
    ProfileAnswer,
    ProfileContact,
    ProfileQuestion,
    ProfileQuestionnaire,
    QuestionnaireContactType,
    QuestionnairePriority,
    RatingPoint,
    classify_contacts,
    rate_contact,
    refresh_priorities,
)
from relationship_mgmt.domain.setup import BusinessRelation
from relationship_mgmt.errors import InUseError, ProfileForMinorError
from relationship_mgmt.ports.clock import Clock
from relationship_mgmt.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ["ProfileService", "StaticClassificationSource", "profile_contact"]

_PURPOSE = "profile"
_T = TypeVar("_T")
_Verb = Callable[[ProfileQuestionnaire, UnitOfWork], _T]
"""A change to a loaded questionnaire, given the open unit of work."""


@attrs.frozen
class _LineFacts:
    """What storage knows about a questionnaire's lines."""

    counts: dict[int, int]
    rated_elsewhere: set[int]

    @property
    def in_use(self) -> set[int]:
        return set(self.counts) | self.rated_elsewhere


def _code(code: str) -> Code:
    return make_code(code, max_length=CODE20, field="questionnaire_code")


def _contact_no(no: str) -> ContactNo:
    return ContactNo(make_code(no, max_length=CODE20, field="contact_no"))


def profile_contact(contact: Contact) -> ProfileContact:
    """Return what the profile rules need to know about a stored contact (§2.13).

    A person's business relations come from its company, so they are left empty.

    >>> from datetime import UTC, datetime
    >>> from relationship_mgmt.domain.setup import RelationshipSetup
    >>> c = Contact.create_company(no="CT1", now=datetime(2026, 1, 5, tzinfo=UTC),
    ...     setup=RelationshipSetup())
    >>> profile_contact(c)
    ProfileContact(no='CT1', is_company=True, company_no='CT1', minor=False, business_relation_codes=frozenset())
    """
    is_company = contact.type is ContactType.COMPANY
    return ProfileContact(
        no=contact.no,
        is_company=is_company,
        company_no=contact.company_no,
        minor=contact.minor,
        business_relation_codes=contact.business_relation_codes if is_company else (),
    )


class StaticClassificationSource:
    """A :class:`~relationship_mgmt.domain.profiles.ClassificationSource` over fixed values.

    For tests, demos and hosts without ledgers: the values are given per class field
    and contact number and do not depend on the period (§2.13.1 step 4).

    Args:
        values: ``{class field: {contact no.: value}}``; a field not given has no
            candidates.

    >>> from relationship_mgmt.domain.profiles import CustomerClassField
    >>> source = StaticClassificationSource({CustomerClassField.SALES: {"ct1": 5}})
    >>> source.class_values(CustomerClassField.SALES, starting=date(2026, 1, 1),
    ...     ending=date(2026, 12, 31))
    {'CT1': Decimal('5')}
    """

    def __init__(
        self,
        values: Mapping[
            ClassField, Mapping[str, Decimal | int] | Mapping[ContactNo, Decimal | int]
        ],
    ) -> None:
        self._values: dict[ClassField, dict[str, Decimal]] = {
            field: {_contact_no(no): Decimal(value) for no, value in by_no.items()}
            for field, by_no in values.items()
        }

    def class_values(
        self, field: ClassField, *, starting: date, ending: date
    ) -> Mapping[str, Decimal]:
        """Return the values given for ``field`` (the period is ignored)."""
        del starting, ending
        return dict(self._values.get(field, {}))


def _manual_only(questionnaire: ProfileQuestionnaire) -> ProfileQuestionnaire:
    """A copy whose questions are all manual: the job leaves its answers alone."""
    lines = tuple(
        attrs.evolve(
            line,
            auto_contact_classification=False,
            class_field=None,
            starting_date_formula=None,
            ending_date_formula=None,
            rating_points=(),
        )
        if isinstance(line, ProfileQuestion)
        else line
        for line in questionnaire.lines
    )
    return attrs.evolve(questionnaire, lines=lines)


def _rated_by(
    questionnaires: Iterable[ProfileQuestionnaire], *, skip: Code | None = None
) -> set[tuple[Code, int]]:
    """The answers (code, line no.) rated by the questions of ``questionnaires``."""
    return {
        point.answer
        for questionnaire in questionnaires
        if questionnaire.code != skip
        for question in questionnaire.questions
        for point in question.rating_points
    }


def _apply(
    uow: UnitOfWork,
    result: ClassificationResult,
    stored: Iterable[ContactProfileAnswer],
) -> None:
    """Store a classification result as :class:`ClassificationResult` says (§2.13.1).

    The stored answers on the replaced lines (of ``result.contact_no`` only, when
    set) are deleted, then the new answers are inserted.
    """
    for answer in stored:
        if answer.answer in result.replaced_lines and (
            result.contact_no is None or answer.contact_no == result.contact_no
        ):
            uow.contact_profile_answers.remove(*answer.key)
    for answer in result.answers:
        uow.contact_profile_answers.add(answer)


class ProfileService:
    """Profile questionnaires, contacts' answers and automatic classification (§2.13).

    Args:
        uow_factory: Makes a unit of work per use case.
        clock: The work date (BC ``WORKDATE``, the classification's *Date*) and
            today (*Last Date Updated*).
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def _today(self) -> date:
        return self._clock.now().date()

    # --- reading --------------------------------------------------------------------

    def get(self, code: str) -> ProfileQuestionnaire:
        """Return one questionnaire with its lines.

        Raises:
            NotFoundError: No such questionnaire.
            PersistenceError: The storage failed.
        """
        key = _code(code)
        with self._uow_factory() as uow:
            return uow.profile_questionnaires.get(key)

    def list(self) -> builtins.list[ProfileQuestionnaire]:
        """Return every questionnaire, ordered by code."""
        with self._uow_factory() as uow:
            return uow.profile_questionnaires.find_all()

    def answers_of(self, contact_no: str) -> builtins.list[ContactProfileAnswer]:
        """Return a contact's profile answers, ordered by key (table 5089)."""
        key = _contact_no(contact_no)
        with self._uow_factory() as uow:
            return uow.contact_profile_answers.find_by_contact(key)

    def answers_in(self, code: str) -> builtins.list[ContactProfileAnswer]:
        """Return every contact's answers in a questionnaire, ordered by key."""
        key = _code(code)
        with self._uow_factory() as uow:
            return uow.contact_profile_answers.find_by_questionnaire(key)

    def no_of_contacts(self, code: str) -> dict[int, int]:
        """Return BC's *No. of Contacts* FlowField per answer line that has any (§2.13)."""
        counts: dict[int, int] = {}
        for answer in self.answers_in(code):
            counts[answer.line_no] = counts.get(answer.line_no, 0) + 1
        return counts

    # --- the header -----------------------------------------------------------------

    def create(
        self,
        code: str,
        description: str = "",
        *,
        contact_type: QuestionnaireContactType | str = QuestionnaireContactType.BOTH,
        business_relation_code: str | None = None,
        priority: QuestionnairePriority | str = QuestionnairePriority.NORMAL,
    ) -> ProfileQuestionnaire:
        """Create an empty questionnaire (Profile Questionnaire Header 5087, §2.13).

        Raises:
            ValidationError: A blank or too long code, or another invalid field.
            NotFoundError: ``business_relation_code`` is not a business relation.
            AlreadyExistsError: The code is taken.
            PersistenceError: The storage failed.
        """
        questionnaire = ProfileQuestionnaire(
            code=code,
            description=description,
            contact_type=contact_type,
            business_relation_code=business_relation_code,
            priority=priority,
        )
        with self._uow_factory() as uow:
            self._check_business_relation(uow, questionnaire.business_relation_code)
            uow.profile_questionnaires.add(questionnaire)
            uow.commit()
            return questionnaire

    @staticmethod
    def _check_business_relation(uow: UnitOfWork, code: Code | None) -> None:
        if code is not None:
            uow.code_tables.get(BusinessRelation, code)

    def describe(self, code: str, description: str) -> ProfileQuestionnaire:
        """Change a questionnaire's description."""
        return self._change(code, lambda q, _: q.describe(description))

    def restrict_to(
        self,
        code: str,
        *,
        contact_type: QuestionnaireContactType | str,
        business_relation_code: str | None = None,
    ) -> ProfileQuestionnaire:
        """Say which contacts a questionnaire is for (§2.13 header).

        Raises:
            ValidationError: An unknown contact type or an invalid code.
            NotFoundError: No such questionnaire or business relation.
        """

        def change(q: ProfileQuestionnaire, uow: UnitOfWork) -> None:
            q.restrict_to(
                contact_type=contact_type,
                business_relation_code=business_relation_code,
            )
            self._check_business_relation(uow, q.business_relation_code)

        return self._change(code, change)

    def change_priority(
        self, code: str, priority: QuestionnairePriority | str
    ) -> ProfileQuestionnaire:
        """Change the header priority and push it to the contacts' answers (§2.13)."""
        return self._change(
            code, lambda q, _: q.change_priority(priority), refresh=True
        )

    def delete(self, code: str) -> None:
        """Delete a questionnaire with its lines (§2.13: deleting the header deletes its lines).

        Raises:
            NotFoundError: No such questionnaire.
            InUseError: Contacts have answers in it, or a rating question of another
                questionnaire rates one of its answers (BC refuses deleting such
                lines).
            PersistenceError: The storage failed.
        """
        key = _code(code)
        with self._uow_factory() as uow:
            uow.profile_questionnaires.get(key)
            if uow.contact_profile_answers.find_by_questionnaire(key):
                raise InUseError("profile questionnaire", key, "contact_profile_answer")
            others = uow.profile_questionnaires.find_all()
            if any(c == key for c, _ in _rated_by(others, skip=key)):
                raise InUseError("profile questionnaire", key, "rating")
            uow.profile_questionnaires.remove(key)
            uow.commit()

    # --- lines ----------------------------------------------------------------------

    def add_question(
        self,
        code: str,
        description: str,
        *,
        before: int | None = None,
        multiple_answers: bool = False,
    ) -> ProfileQuestion:
        """Add a question at the end or before question ``before`` (§2.13).

        See :meth:`ProfileQuestionnaire.add_question
        <relationship_mgmt.domain.profiles.ProfileQuestionnaire.add_question>`.
        """
        return self._line(
            code,
            lambda q, _: q.add_question(
                description, before=before, multiple_answers=multiple_answers
            ),
        )

    def add_answer(
        self,
        code: str,
        question_line_no: int,
        description: str,
        *,
        before: int | None = None,
        from_value: Decimal | int = 0,
        to_value: Decimal | int = 0,
        priority: AnswerPriority | str = AnswerPriority.NORMAL,
    ) -> ProfileAnswer:
        """Add an answer to a question (§2.13).

        See :meth:`ProfileQuestionnaire.add_answer
        <relationship_mgmt.domain.profiles.ProfileQuestionnaire.add_answer>`.
        """
        return self._line(
            code,
            lambda q, _: q.add_answer(
                question_line_no,
                description,
                before=before,
                from_value=from_value,
                to_value=to_value,
                priority=priority,
            ),
        )

    def configure_question(
        self, code: str, line_no: int, **changes: object
    ) -> ProfileQuestion:
        """Change a question's fields with BC's side effects (§2.13).

        ``changes`` are the keyword arguments of :meth:`ProfileQuestionnaire.configure_question
        <relationship_mgmt.domain.profiles.ProfileQuestionnaire.configure_question>`.
        """
        return self._line(
            code,
            lambda q, _: q.configure_question(
                line_no, **cast("dict[str, Any]", changes)
            ),
        )

    def configure_answer(
        self, code: str, line_no: int, **changes: object
    ) -> ProfileAnswer:
        """Change an answer's text, range or priority; a priority is pushed (§2.13).

        ``changes`` are the keyword arguments of :meth:`ProfileQuestionnaire.configure_answer
        <relationship_mgmt.domain.profiles.ProfileQuestionnaire.configure_answer>`.
        """
        return self._line(
            code,
            lambda q, _: q.configure_answer(line_no, **cast("dict[str, Any]", changes)),
            refresh="priority" in changes,
        )

    def rate_answer(
        self,
        code: str,
        question_line_no: int,
        *,
        answer_line_no: int,
        points: Decimal | int,
        answer_questionnaire_code: str | None = None,
    ) -> RatingPoint:
        """Give a rated answer points on a rating question (BC's *Rating* table, §2.13).

        An answer of another questionnaire is checked to exist.

        Raises:
            NotFoundError: No such questionnaire or line.
            ValidationError: Not a rating question, or the rated line is a question.
        """

        def rate(q: ProfileQuestionnaire, uow: UnitOfWork) -> RatingPoint:
            point = q.rate_answer(
                question_line_no,
                answer_line_no=answer_line_no,
                points=points,
                answer_questionnaire_code=answer_questionnaire_code,
            )
            if point.questionnaire_code != q.code:
                other = uow.profile_questionnaires.get(point.questionnaire_code)
                other.answer(point.line_no)
            return point

        return self._line(code, rate)

    def unrate_answer(
        self,
        code: str,
        question_line_no: int,
        *,
        answer_line_no: int,
        answer_questionnaire_code: str | None = None,
    ) -> None:
        """Take a rated answer off a rating question."""
        self._line(
            code,
            lambda q, _: q.unrate_answer(
                question_line_no,
                answer_line_no=answer_line_no,
                answer_questionnaire_code=answer_questionnaire_code,
            ),
        )

    def remove_question(self, code: str, line_no: int) -> None:
        """Delete a question line (§2.13 deletion rules).

        Raises:
            InUseError: It still has answers, or rating points.
        """
        self._line(code, lambda q, _: q.remove_question(line_no))

    def remove_answer(self, code: str, line_no: int) -> None:
        """Delete an answer line (§2.13 deletion rules).

        Raises:
            InUseError: Contacts have this answer, or a rating question (here or in
                another questionnaire) rates it.
        """

        def remove(q: ProfileQuestionnaire, uow: UnitOfWork) -> None:
            facts = self._facts(uow, q.code)
            q.remove_answer(
                line_no,
                no_of_contacts=facts.counts.get(line_no, 0),
                rated_elsewhere=line_no in facts.rated_elsewhere,
            )

        self._line(code, remove)

    def convert_to_question(self, code: str, line_no: int) -> ProfileQuestion:
        """Switch an answer line to a question (BC's *Type*, §2.13).

        Raises:
            InUseError: Contacts have the answer, or a rating rates it.
            ValidationError: Its From/To Value is not 0.
        """

        def convert(q: ProfileQuestionnaire, uow: UnitOfWork) -> ProfileQuestion:
            facts = self._facts(uow, q.code)
            if line_no in facts.rated_elsewhere:
                raise InUseError(
                    "profile questionnaire line", (q.code, line_no), "rating"
                )
            return q.convert_to_question(
                line_no, no_of_contacts=facts.counts.get(line_no, 0)
            )

        return self._line(code, convert)

    def convert_to_answer(self, code: str, line_no: int) -> ProfileAnswer:
        """Switch a question line to an answer (BC's *Type*, §2.13)."""
        return self._line(code, lambda q, _: q.convert_to_answer(line_no))

    def move_question(
        self, code: str, line_no: int, *, before: int | None = None
    ) -> dict[int, int]:
        """Move a question with its answers to the end, or before question ``before``.

        Returns:
            The new line number of each moved line, by its old one.

        Raises:
            InUseError: A moved answer has contacts or is rated.
        """
        return self._line(
            code,
            lambda q, uow: q.move_question(
                line_no, before=before, in_use=self._facts(uow, q.code).in_use
            ),
        )

    def move_answer(
        self, code: str, line_no: int, *, before: int | None = None
    ) -> dict[int, int]:
        """Move an answer within its question: before answer ``before``, or last.

        Raises:
            InUseError: The answer has contacts or is rated.
        """
        return self._line(
            code,
            lambda q, uow: q.move_answer(
                line_no, before=before, in_use=self._facts(uow, q.code).in_use
            ),
        )

    # --- manual answers (§2.13 rules for manual answers) ------------------------------

    def answer(
        self,
        contact_no: str,
        questionnaire_code: str,
        answer_line_no: int,
        *,
        value_text: str = "",
    ) -> ContactProfileAnswer:
        """Give a contact an answer by hand (§2.13 rules 1-6).

        *Last Date Updated* is today. If a rating uses the answer, the contact's
        rating answers are recalculated in the same unit of work (rule 6).

        Raises:
            ProfileForMinorError: The contact is a minor (rule 4).
            PrivacyBlockedError: The contact is privacy blocked (§2.15).
            AutomaticQuestionError: The question is classified automatically.
            MultipleAnswersNotAllowedError: The contact has another answer to a
                question without *Multiple Answers*.
            AlreadyExistsError: The contact already has this answer.
            ValidationError: The line is a question, or the contact type does not fit.
            NotFoundError: No such contact, questionnaire or line.
        """
        no = _contact_no(contact_no)
        code = _code(questionnaire_code)
        with self._uow_factory() as uow:
            contact = uow.contacts.get(no)
            if contact.minor:
                raise ProfileForMinorError(contact.no)
            ensure_usable(contact, _PURPOSE)
            questionnaire = uow.profile_questionnaires.get(code)
            existing = uow.contact_profile_answers.find_by_contact(no)
            given = questionnaire.record_answer(
                profile_contact(contact),
                answer_line_no,
                on=self._today(),
                existing=existing,
                value_text=value_text,
            )
            uow.contact_profile_answers.add(given)
            self._rerate(uow, contact, given.answer)
            uow.commit()
            return given

    def remove_answer_of(
        self, contact_no: str, questionnaire_code: str, line_no: int
    ) -> None:
        """Take an answer away from a contact (§2.13 rules 2 and 6).

        Raises:
            AutomaticQuestionError: The question is classified automatically.
            NotFoundError: No such contact, line or answer.
        """
        no = _contact_no(contact_no)
        code = _code(questionnaire_code)
        with self._uow_factory() as uow:
            contact = uow.contacts.get(no)
            questionnaire = uow.profile_questionnaires.get(code)
            questionnaire.check_answer_removable(line_no)
            uow.contact_profile_answers.remove(no, code, line_no)
            self._rerate(uow, contact, (code, line_no))
            uow.commit()

    def _rerate(
        self, uow: UnitOfWork, contact: Contact, changed: tuple[Code, int]
    ) -> None:
        """Recompute the contact's ratings if one uses the changed answer (rule 6)."""
        questionnaires = uow.profile_questionnaires.find_all()
        if changed not in _rated_by(questionnaires):
            return
        contacts = [contact]
        if contact.company_no is not None and contact.company_no != contact.no:
            contacts.append(uow.contacts.get(contact.company_no))
        stored = uow.contact_profile_answers.find_by_contact(contact.no)
        result = rate_contact(
            questionnaires,
            contact.no,
            contacts=[profile_contact(c) for c in contacts],
            answers=stored,
            today=self._today(),
        )
        _apply(uow, result, stored)

    # --- automatic classification (§2.13.1) -------------------------------------------

    def classify(
        self,
        source: ClassificationSource,
        *,
        questionnaire_codes: Collection[str] | None = None,
        contact_no: str | None = None,
    ) -> ClassificationResult:
        """Run *Update Contact Classification* (report 5199, §2.13.1) and store the result.

        The job's *Date* is the work date; *Last Date Updated* is today. The answers
        of every automatic question are rebuilt in one unit of work: the stored
        answers on the replaced lines are deleted and the new ones inserted, so a
        second run with the same figures stores the same answers.

        Args:
            source: The statistics per candidate.
            questionnaire_codes: Classify only these questionnaires; the others'
                stored answers still feed their ratings. ``None`` for all.
            contact_no: Store the answers of this contact only; the others are
                still candidates, so the percentage methods rank the same.

        Returns:
            What was stored (with ``contact_no``: that contact's part).

        Raises:
            ClassificationSetupError: A question lacks a date formula or a method.
            RatingLoopError: Rating questions depend on each other in a cycle.
            NotFoundError: A questionnaire code or the contact does not exist.
            ValidationError: Malformed values from ``source``.
            PersistenceError: The storage failed.
        """
        codes = (
            None
            if questionnaire_codes is None
            else {_code(c) for c in questionnaire_codes}
        )
        only = None if contact_no is None else _contact_no(contact_no)
        with self._uow_factory() as uow:
            if only is not None:
                uow.contacts.get(only)
            stored_questionnaires = uow.profile_questionnaires.find_all()
            known = {q.code for q in stored_questionnaires}
            for code in sorted((codes or set()) - known):
                uow.profile_questionnaires.get(code)  # raises NotFoundError
            questionnaires = [
                q if codes is None or q.code in codes else _manual_only(q)
                for q in stored_questionnaires
            ]
            stored = [
                a
                for q in stored_questionnaires
                for a in uow.contact_profile_answers.find_by_questionnaire(q.code)
            ]
            result = classify_contacts(
                questionnaires,
                contacts=[profile_contact(c) for c in uow.contacts.find_all()],
                source=source,
                on=self._clock.workdate(),
                today=self._today(),
                answers=stored,
            )
            if only is not None:
                result = attrs.evolve(
                    result,
                    answers=result.answers_of(only),
                    scores=tuple(s for s in result.scores if s.contact_no == only),
                    contact_no=only,
                )
            _apply(uow, result, stored)
            uow.commit()
            return result

    # --- helpers --------------------------------------------------------------------

    def _facts(self, uow: UnitOfWork, code: Code) -> _LineFacts:
        counts: dict[int, int] = {}
        for answer in uow.contact_profile_answers.find_by_questionnaire(code):
            counts[answer.line_no] = counts.get(answer.line_no, 0) + 1
        rated = {
            line_no
            for c, line_no in _rated_by(
                uow.profile_questionnaires.find_all(), skip=code
            )
            if c == code
        }
        return _LineFacts(counts=counts, rated_elsewhere=rated)

    def _change(
        self,
        code: str,
        verb: _Verb[None],
        *,
        refresh: bool = False,
    ) -> ProfileQuestionnaire:
        key = _code(code)
        with self._uow_factory() as uow:
            questionnaire = uow.profile_questionnaires.get(key)
            verb(questionnaire, uow)
            self._store(uow, questionnaire, refresh=refresh)
            uow.commit()
            return questionnaire

    def _line(self, code: str, verb: _Verb[_T], *, refresh: bool = False) -> _T:
        key = _code(code)
        with self._uow_factory() as uow:
            questionnaire = uow.profile_questionnaires.get(key)
            outcome = verb(questionnaire, uow)
            self._store(uow, questionnaire, refresh=refresh)
            uow.commit()
            return outcome

    @staticmethod
    def _store(
        uow: UnitOfWork, questionnaire: ProfileQuestionnaire, *, refresh: bool
    ) -> None:
        uow.profile_questionnaires.update(questionnaire)
        if refresh:
            stored = uow.contact_profile_answers.find_by_questionnaire(
                questionnaire.code
            )
            for fresh in refresh_priorities(stored, questionnaire):
                uow.contact_profile_answers.remove(*fresh.key)
                uow.contact_profile_answers.add(fresh)
