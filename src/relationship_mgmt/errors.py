"""The exception tree of relationship_mgmt.

Every error the library raises on purpose derives from :class:`RelationshipMgmtError`.
Where a builtin fits, the class subclasses it too, so ``except ValueError`` or
``except LookupError`` keeps working for callers who do not know these types::

    RelationshipMgmtError                  root; every error raised on purpose
    ├── DomainError                        a business rule refused the operation
    │   ├── ValidationError(ValueError)    a value was rejected (.field, .value)
    │   │   ├── CodeTooLongError           a Code[n] longer than n (.max_length)
    │   │   ├── DateFormulaError           a bad date formula (.text, .position)
    │   │   ├── InvalidNumberError         a number that cannot be incremented
    │   │   └── ClassificationSetupError   §2.13.1: an automatic question set up wrongly
    │   ├── CurrencyMismatchError(ValueError)  Money of two currencies combined
    │   ├── InvalidTransitionError         state machine; .current, .requested
    │   │   └── ContactTypeChangeError     §2.3 refusal (.contact_no, .reason)
    │   ├── CompanyLinkError               §2.6 link refused (.contact_no, .company_no, .reason)
    │   ├── ParentalConsentRequiredError   §2.15: a minor without consent stays blocked
    │   ├── PrivacyBlockedError            §2.15: a blocked contact used (.contact_no, .purpose)
    │   ├── ProfileForMinorError           §2.13: profiles are refused for minors
    │   ├── AutomaticQuestionError         §2.13: an automatic question answered by hand
    │   ├── MultipleAnswersNotAllowedError §2.13: a second answer to a single-answer question
    │   ├── RatingLoopError                §2.13.1: rating questions depend on each other
    │   ├── MergeRefusedError              two contacts that cannot be merged (.reason)
    │   ├── BusinessRelationError          §2.8: a relation row refused (.contact_no, .code, .reason)
    │   ├── ContactAlreadyLinkedError      §2.9: the contact already has that link (.link_to_table, .no)
    │   ├── PartnerAlreadyLinkedError      §2.8: the partner is linked to another contact
    │   ├── BusinessPartnerNotFoundError(LookupError)  §2.9: no such customer, vendor ...
    │   ├── SalespersonBlockedError        §8: a blocked salesperson chosen (.code, .reason)
    │   ├── InteractionEntryError          §3.6: an entry operation refused (.entry_no, .reason)
    │   ├── IdempotencyConflictError       §3.4: a logging key reused with another payload
    │   ├── TaskRuleError                  §7: a task rule refused (.task_no, .reason)
    │   ├── TemplateError(ValueError)      §4.9: a mail-merge template refused (.template, .reason)
    │   │   ├── TemplateSecurityError      the sandbox refused an operation of the template
    │   │   └── TemplateLimitError         a size or time cap was reached (.limit)
    │   ├── InUseError                     a record others refer to (.kind, .key, .used_by)
    │   │   └── ContactDeletionError       §2.7 refusal (.reason)
    │   └── NumberSeriesError              a number series refused to give a number
    │       ├── NumberSeriesExhaustedError     past the ending no. (.series, .number)
    │       ├── ManualNumbersNotAllowedError   a typed number on a series without manual nos.
    │       └── NumberSeriesDateOrderError     a date before the last date used
    ├── NotFoundError(LookupError)         .kind and .key
    │   └── SalutationFormulaNotFoundError §2.10: no formula for the language and type
    ├── ConcurrencyError                   version conflict; retry the use case
    │   └── AlreadyExistsError             inserting a key that is already stored
    ├── PersistenceError                   adapter failure; the driver error is __cause__
    │   ├── StorageUnavailableError        connection / operational problems
    │   │   └── TransientStorageError      busy, serialization failure, deadlock: retry
    │   ├── IntegrityViolationError        a constraint broken below the domain
    │   └── SchemaVersionError             the database schema is newer than the library
    ├── SerializationError(ValueError)     cattrs structuring failed
    ├── DeliveryError                      §4.9: an outbox could not take a message (.entry_no)
    ├── UnitOfWorkStateError(RuntimeError) a unit of work used outside its with block
    └── MissingOptionalDependencyError(ImportError)   an extra is not installed (.extra)

Errors carry structured attributes and build their message from them; tests and
callers should look at the attributes, not at the text.

>>> err = NotFoundError(kind="contact", key="CT000001")
>>> (err.kind, err.key, str(err))
('contact', 'CT000001', "contact 'CT000001' not found")
"""

from __future__ import annotations

__all__ = [
    "AlreadyExistsError",
    "AutomaticQuestionError",
    "BusinessPartnerNotFoundError",
    "BusinessRelationError",
    "ClassificationSetupError",
    "CodeTooLongError",
    "CompanyLinkError",
    "ConcurrencyError",
    "ContactAlreadyLinkedError",
    "ContactDeletionError",
    "ContactTypeChangeError",
    "CurrencyMismatchError",
    "DateFormulaError",
    "DeliveryError",
    "DomainError",
    "IdempotencyConflictError",
    "InUseError",
    "IntegrityViolationError",
    "InteractionEntryError",
    "InvalidNumberError",
    "InvalidTransitionError",
    "ManualNumbersNotAllowedError",
    "MergeRefusedError",
    "MissingOptionalDependencyError",
    "MultipleAnswersNotAllowedError",
    "NotFoundError",
    "NumberSeriesDateOrderError",
    "NumberSeriesError",
    "NumberSeriesExhaustedError",
    "ParentalConsentRequiredError",
    "PartnerAlreadyLinkedError",
    "PersistenceError",
    "PrivacyBlockedError",
    "ProfileForMinorError",
    "RatingLoopError",
    "RelationshipMgmtError",
    "SalespersonBlockedError",
    "SalutationFormulaNotFoundError",
    "SchemaVersionError",
    "SerializationError",
    "StorageUnavailableError",
    "TaskRuleError",
    "TemplateError",
    "TemplateLimitError",
    "TemplateSecurityError",
    "TransientStorageError",
    "UnitOfWorkStateError",
    "ValidationError",
]


class RelationshipMgmtError(Exception):
    """Root of every error the library raises on purpose.

    Errors pickle with their attributes, so they cross process boundaries
    (``multiprocessing`` workers) intact.
    """

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take keyword-like structured arguments, not their message, so
        # the default (cls(*args)) cannot rebuild them; restore the state instead.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(
    cls: type[RelationshipMgmtError], args: tuple[object, ...], state: dict[str, object]
) -> RelationshipMgmtError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class DomainError(RelationshipMgmtError):
    """A business rule refused the operation."""


class ValidationError(DomainError, ValueError):
    """A value was rejected.

    Attributes:
        field: The name of the field or parameter that was rejected.
        value: The offending value (``None`` where it would leak personal data).
        reason: Why it was rejected.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")


class CodeTooLongError(ValidationError):
    """A ``Code[n]`` value longer than ``n`` characters (spec §0)."""

    def __init__(self, field: str, value: str, max_length: int) -> None:
        self.max_length = max_length
        super().__init__(
            field,
            value,
            f"is {len(value)} characters long, at most {max_length} allowed",
        )


class DateFormulaError(ValidationError):
    """A date formula that does not follow the grammar of spec §10.1.

    Attributes:
        text: The formula as given.
        position: Zero-based index in ``text`` where the fault was found.
    """

    def __init__(self, text: str, position: int, reason: str) -> None:
        self.text = text
        self.position = position
        super().__init__("date_formula", text, f"{reason} at position {position}")


class InvalidNumberError(ValidationError):
    """A number (``No.``) that contains no digits to increment, or grows too long."""


class CurrencyMismatchError(DomainError, ValueError):
    """Two amounts in different currencies were combined or compared."""

    def __init__(self, left: str, right: str) -> None:
        self.left = left
        self.right = right
        super().__init__(f"cannot combine amounts in {left} and {right}")


class InvalidTransitionError(DomainError):
    """A state machine refused a move.

    Attributes:
        current: The state the object is in.
        requested: The state that was asked for.
    """

    def __init__(self, current: object, requested: object) -> None:
        self.current = current
        self.requested = requested
        super().__init__(f"cannot move from {current!s} to {requested!s}")


class InUseError(DomainError):
    """A record cannot be removed or changed because others refer to it.

    Attributes:
        kind: The kind of record.
        key: Its key.
        used_by: What refers to it (e.g. ``"setup.contact_nos"``).
    """

    def __init__(self, kind: str, key: object, used_by: str) -> None:
        self.kind = kind
        self.key = key
        self.used_by = used_by
        super().__init__(f"{kind} {key!r} is in use by {used_by}")


class NumberSeriesError(DomainError):
    """A number series refused to give or accept a number (spec §0, No. Series).

    Attributes:
        series: The code of the number series.
    """

    def __init__(self, series: str, message: str) -> None:
        self.series = series
        super().__init__(message)


class NumberSeriesExhaustedError(NumberSeriesError):
    """The next number would pass the series' ending number."""

    def __init__(self, series: str, number: str, ending_no: str) -> None:
        self.number = number
        self.ending_no = ending_no
        super().__init__(
            series,
            f"number series {series!r}: next number {number!r} is past the ending "
            f"no. {ending_no!r}",
        )


class ManualNumbersNotAllowedError(NumberSeriesError):
    """A number was typed by hand for a series whose ``manual_nos`` is off."""

    def __init__(self, series: str, number: str) -> None:
        self.number = number
        super().__init__(
            series,
            f"number series {series!r} does not allow manual numbers (got {number!r})",
        )


class NumberSeriesDateOrderError(NumberSeriesError):
    """A series with ``date_order`` was asked for a number on an earlier date."""

    def __init__(self, series: str, on: object, last_date_used: object) -> None:
        self.on = on
        self.last_date_used = last_date_used
        super().__init__(
            series,
            f"number series {series!r} keeps date order: {on!s} is before the last "
            f"date used {last_date_used!s}",
        )


class NotFoundError(RelationshipMgmtError, LookupError):
    """A record that does not exist was asked for.

    Attributes:
        kind: What was looked for (``"contact"``, ``"number series"`` ...).
        key: Its key, as given.
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class ConcurrencyError(RelationshipMgmtError):
    """Somebody else changed the record since it was read; re-read and retry.

    Attributes:
        kind: The kind of record.
        key: Its key.
        expected_version: The version the caller held, if known.
    """

    def __init__(
        self, kind: str, key: object, expected_version: int | None = None
    ) -> None:
        self.kind = kind
        self.key = key
        self.expected_version = expected_version
        held = "" if expected_version is None else f" (held version {expected_version})"
        super().__init__(f"{kind} {key!r} was changed by someone else{held}")


class AlreadyExistsError(ConcurrencyError):
    """A record was added under a key that is already stored."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(kind, key)
        self.args = (f"{kind} {key!r} already exists",)


class PersistenceError(RelationshipMgmtError):
    """The storage adapter failed; the driver's exception is ``__cause__``."""


class StorageUnavailableError(PersistenceError):
    """The storage could not be reached or refused to operate."""


class TransientStorageError(StorageUnavailableError):
    """A failure that is expected to go away: retry the whole unit of work.

    SQLite's "database is locked" and PostgreSQL's serialization failure (40001),
    deadlock (40P01) and lock-not-available (55P03) are translated to this.
    """


class IntegrityViolationError(PersistenceError):
    """A database constraint refused a write the domain let through."""


class SchemaVersionError(PersistenceError):
    """The database was migrated by a newer library version than this one."""


class SerializationError(RelationshipMgmtError, ValueError):
    """A document could not be turned into a library value (or back)."""


class UnitOfWorkStateError(RelationshipMgmtError, RuntimeError):
    """A unit of work was used outside its ``with`` block, or entered twice.

    This is a programming error in the caller, not a storage failure.
    """


class MissingOptionalDependencyError(RelationshipMgmtError, ImportError):
    """An optional extra is needed but not installed.

    Attributes:
        extra: The extra to install (``pip install "relationship-mgmt[extra]"``).
        feature: What needed it.
    """

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{feature} needs the {extra!r} extra: "
            f'pip install "relationship-mgmt[{extra}]"'
        )


# --- contacts (spec §2) ---------------------------------------------------------


class ContactTypeChangeError(InvalidTransitionError):
    """BC refused to change a contact's type (§2.3).

    Attributes:
        contact_no: The contact.
        reason: Which of BC's conditions refused it.
    """

    def __init__(
        self,
        contact_no: str,
        current: object,
        requested: object,
        reason: object,
    ) -> None:
        self.contact_no = contact_no
        self.reason = reason
        super().__init__(current, requested)
        self.args = (
            (
                f"contact {contact_no!r}: type cannot be changed from {current} to "
                f"{requested} because of its {reason}"
            ),
        )


class CompanyLinkError(DomainError):
    """A person could not be linked to or unlinked from a company (§2.6).

    Attributes:
        contact_no: The person (or the contact that was asked to act as one).
        company_no: The company asked for, if any.
        reason: Why it was refused.
    """

    def __init__(self, contact_no: str, company_no: str | None, reason: object) -> None:
        self.contact_no = contact_no
        self.company_no = company_no
        self.reason = reason
        super().__init__(f"contact {contact_no!r} and company {company_no!r}: {reason}")


class ParentalConsentRequiredError(DomainError):
    """A minor without parental consent cannot be unblocked (§2.15).

    Attributes:
        contact_no: The contact.
    """

    def __init__(self, contact_no: str) -> None:
        self.contact_no = contact_no
        super().__init__(
            f"contact {contact_no!r} is a minor without parental consent and must "
            "stay privacy blocked"
        )


class PrivacyBlockedError(DomainError):
    """A privacy-blocked contact cannot be used (§2.15).

    BC: "You cannot use contact %1 %2 because they are marked as blocked due to
    privacy." The message carries the number, never the name.

    Attributes:
        contact_no: The contact.
        purpose: What it was to be used for (``"interaction"``, ``"segment"`` ...).
    """

    def __init__(self, contact_no: str, purpose: str) -> None:
        self.contact_no = contact_no
        self.purpose = purpose
        super().__init__(
            f"cannot use contact {contact_no!r} for {purpose}: it is blocked due "
            "to privacy"
        )


class ContactDeletionError(InUseError):
    """BC refused to delete a contact (§2.7).

    Attributes:
        reason: Which condition refused it (``used_by`` holds its text).
    """

    def __init__(self, contact_no: str, reason: object) -> None:
        self.reason = reason
        super().__init__("contact", contact_no, str(reason))


class SalutationFormulaNotFoundError(NotFoundError):
    """No salutation formula for the contact's code, the language and the type (§2.10).

    BC: "You have to set up the salutation formula of the type %1 in %2 language for
    the %3 contact."

    Attributes:
        contact_no: The contact.
        salutation_code: The contact's salutation code ('' when blank).
        language_code: The language asked for.
        salutation_type: Formal or informal.
    """

    def __init__(
        self,
        contact_no: str,
        salutation_code: str,
        language_code: str,
        salutation_type: object,
    ) -> None:
        self.contact_no = contact_no
        self.salutation_code = salutation_code
        self.language_code = language_code
        self.salutation_type = salutation_type
        super().__init__(
            "salutation formula",
            (salutation_code, language_code, str(salutation_type)),
        )


# --- profiles (spec §2.13) -------------------------------------------------------


class ProfileForMinorError(DomainError):
    """A minor cannot have profile answers (spec §2.13 rule 4, §2.15).

    Attributes:
        contact_no: The contact marked as Minor.
    """

    def __init__(self, contact_no: str) -> None:
        self.contact_no = contact_no
        super().__init__(
            f"You cannot use profiles for contacts marked as Minor (contact {contact_no!r})."
        )


class AutomaticQuestionError(DomainError):
    """An answer to an automatically classified question was given or removed by hand.

    Spec §2.13 rule 2: answers of a question with *Auto Contact Classification* come
    only from the classification job.

    Attributes:
        questionnaire_code: The questionnaire.
        line_no: The question's line number.
    """

    def __init__(self, questionnaire_code: str, line_no: int) -> None:
        self.questionnaire_code = questionnaire_code
        self.line_no = line_no
        super().__init__(
            f"question {line_no} of profile questionnaire {questionnaire_code!r} is "
            "classified automatically; its answers cannot be changed by hand"
        )


class MultipleAnswersNotAllowedError(DomainError):
    """A second answer to a question without *Multiple Answers* (spec §2.13 rule 3).

    Attributes:
        contact_no: The contact.
        questionnaire_code: The questionnaire.
        question_line_no: The question.
        existing_line_no: The answer the contact already has.
    """

    def __init__(
        self,
        contact_no: str,
        questionnaire_code: str,
        question_line_no: int,
        existing_line_no: int,
    ) -> None:
        self.contact_no = contact_no
        self.questionnaire_code = questionnaire_code
        self.question_line_no = question_line_no
        self.existing_line_no = existing_line_no
        super().__init__(
            "This Question does not allow Multiple Answers. "
            f"(contact {contact_no!r}, questionnaire {questionnaire_code!r}, question "
            f"{question_line_no}, existing answer {existing_line_no})"
        )


class ClassificationSetupError(ValidationError):
    """An automatic question cannot be run as set up (spec §2.13.1 steps 1 and 3).

    Attributes:
        questionnaire_code: The questionnaire.
        line_no: The question's line number.
        field: The setting at fault (``starting_date_formula``, ...).
        value: Its value.
        reason: What is wrong.
    """

    def __init__(
        self,
        questionnaire_code: str,
        line_no: int,
        field: str,
        value: object,
        reason: str,
    ) -> None:
        self.questionnaire_code = questionnaire_code
        self.line_no = line_no
        super().__init__(
            field,
            value,
            f"{reason} (question {line_no} of profile questionnaire "
            f"{questionnaire_code!r})",
        )


class RatingLoopError(DomainError):
    """Rating questions depend on each other in a cycle (spec §2.13.1, Rating).

    Attributes:
        questions: The rating questions left unprocessed, as (code, line no.).
    """

    def __init__(self, questions: tuple[tuple[str, int], ...]) -> None:
        self.questions = questions
        super().__init__(
            "Two or more questions are causing the rating calculation to loop. "
            f"(questions {list(questions)!r})"
        )


# --- duplicates and merging (spec §2.14) -----------------------------------------


class MergeRefusedError(DomainError):
    """Two contacts cannot be merged; ``reason`` says why (a ``MergeRefusal``)."""

    def __init__(self, survivor_no: str, merged_no: str, reason: object) -> None:
        super().__init__(
            f"cannot merge contact {merged_no!r} into {survivor_no!r}: {reason}"
        )
        self.survivor_no = survivor_no
        self.merged_no = merged_no
        self.reason = reason


# --- business relations (§2.8, §2.9) ---------------------------------------------


class BusinessRelationError(DomainError):
    """A Contact Business Relation row was refused (§2.8).

    BC: "%1 %2 is used when a %3 is linked with a %4." for a setup customer, vendor
    or bank account code entered by hand.

    Attributes:
        contact_no: The contact.
        code: The business relation code.
        reason: ``"reserved"`` (a setup code entered by hand with a blank No.) or
            ``"code"`` (the code is already linked with another table).
    """

    def __init__(self, contact_no: str, code: str, reason: str) -> None:
        self.contact_no = contact_no
        self.code = code
        self.reason = reason
        text = {
            "reserved": "is used when a contact is linked with a business partner",
            "code": "is already linked with a business partner",
        }.get(reason, reason)
        super().__init__(f"contact {contact_no!r}: business relation {code!r} {text}")


class ContactAlreadyLinkedError(DomainError):
    """The contact (or its company) already has a relation with that table (§2.8, §2.9).

    BC: "Contact %1 already has a Contact Business Relation with Customer %2".

    Attributes:
        contact_no: The contact holding the link.
        link_to_table: ``"Customer"``, ``"Vendor"``, ``"Bank Account"`` or ``"Employee"``.
        no: The linked No.
    """

    def __init__(self, contact_no: str, link_to_table: str, no: str) -> None:
        self.contact_no = contact_no
        self.link_to_table = link_to_table
        self.no = no
        super().__init__(
            f"contact {contact_no!r} already has a contact business relation with "
            f"{link_to_table} {no!r}"
        )


class PartnerAlreadyLinkedError(DomainError):
    """The customer, vendor ... is already linked to another contact (§2.8).

    BC: "%1 %2 already has a %3 with %4 %5."

    Attributes:
        link_to_table: The partner's table.
        no: The partner's No.
        contact_no: The contact it is linked to.
    """

    def __init__(self, link_to_table: str, no: str, contact_no: str) -> None:
        self.link_to_table = link_to_table
        self.no = no
        self.contact_no = contact_no
        super().__init__(
            f"{link_to_table} {no!r} already has a contact business relation with "
            f"contact {contact_no!r}"
        )


class BusinessPartnerNotFoundError(DomainError, LookupError):
    """No customer, vendor, bank account or employee with that No. (§2.9).

    Attributes:
        link_to_table: The table looked in.
        no: The No. asked for.
    """

    def __init__(self, link_to_table: str, no: str) -> None:
        self.link_to_table = link_to_table
        self.no = no
        super().__init__(f"{link_to_table} {no!r} not found")


# --- salespeople, interactions and tasks (§3, §7, §8) -----------------------------


class SalespersonBlockedError(DomainError):
    """A blocked or privacy-blocked salesperson was chosen for a record (§8).

    BC: blocked salespeople "cannot be chosen on contacts, opportunities, segments or
    tasks"; privacy-blocked ones "cannot be assigned to contacts or records".

    Attributes:
        code: The salesperson's code.
        purpose: What it was chosen for (``"contact"``, ``"task"``, ``"interaction"`` ...).
        reason: ``"blocked"`` or ``"privacy blocked"``.
    """

    def __init__(self, code: str, purpose: str, reason: str) -> None:
        self.code = code
        self.purpose = purpose
        self.reason = reason
        super().__init__(
            f"salesperson {code!r} is {reason} and cannot be chosen for {purpose}"
        )


class InteractionEntryError(DomainError):
    """An operation on a logged interaction was refused (§3.6).

    Attributes:
        entry_no: The interaction log entry.
        reason: Why (for example ``"not canceled"`` for a purge, ``"canceled"`` for
            creating an opportunity from it).
    """

    def __init__(self, entry_no: int, reason: str) -> None:
        self.entry_no = entry_no
        self.reason = reason
        super().__init__(f"interaction log entry {entry_no}: {reason}")


class IdempotencyConflictError(DomainError):
    """An idempotency key was used again with a different payload (§3.4).

    The same key with the same payload returns the entry logged first; with another
    payload it is refused, so a retried request can never log something else.

    Attributes:
        key: The idempotency key.
        entry_no: The entry the key logged first.
    """

    def __init__(self, key: str, entry_no: int) -> None:
        self.key = key
        self.entry_no = entry_no
        super().__init__(
            f"idempotency key {key!r} already logged entry {entry_no} with a "
            "different payload"
        )


class TaskRuleError(DomainError):
    """A task rule refused a change (§7).

    BC's own messages, such as "You must fill in either the Salesperson Code field
    or the Team Code field." or "The Completed By field must be filled in for Tasks
    assigned to a team.", are carried in ``reason``.

    Attributes:
        task_no: The task (``""`` for a task not numbered yet).
        reason: Why.
    """

    def __init__(self, task_no: str, reason: str) -> None:
        self.task_no = task_no
        self.reason = reason
        where = f"task {task_no!r}: " if task_no else ""
        super().__init__(f"{where}{reason}")


# --- mail merge and delivery (spec §4.9, reliability.md B.6) ---------------------


class TemplateError(DomainError, ValueError):
    """A mail-merge template was refused or failed to render (§4.9).

    Raised for a syntax error, a merge field outside the catalogue, a field with no
    value, an attachment that is not a text or HTML template, or any other fault
    while merging. The template engine's own exception is ``__cause__``; it never
    escapes the library.

    Attributes:
        template: Which template (for example ``"attachment 3 (offer.html) of
            interaction template NEWS"``).
        reason: What is wrong with it.
        line: The template line, where known.
    """

    def __init__(self, template: str, reason: str, line: int | None = None) -> None:
        self.template = template
        self.reason = reason
        self.line = line
        where = f" (line {line})" if line is not None else ""
        super().__init__(f"{template}{where}: {reason}")


class TemplateSecurityError(TemplateError):
    """The sandbox refused what a template tried; the template is not merged.

    For example an attribute such as ``__class__``, an ``{% include %}`` or an
    unsafe call.
    """


class TemplateLimitError(TemplateError):
    """A template went past a cap: its source size, its output size or its time.

    Attributes:
        limit: Which cap: ``"source size"``, ``"output size"`` or ``"time"``.
    """

    def __init__(
        self, template: str, limit: str, reason: str, line: int | None = None
    ) -> None:
        self.limit = limit
        super().__init__(template, reason, line)


class DeliveryError(RelationshipMgmtError):
    """An outbox could not take a message (§4.9); the entry's Delivery Status is Error.

    Attributes:
        entry_no: The interaction log entry whose message failed (0: none yet).
        reason: Why.
    """

    def __init__(self, entry_no: int, reason: str) -> None:
        self.entry_no = entry_no
        self.reason = reason
        super().__init__(f"interaction log entry {entry_no}: {reason}")
