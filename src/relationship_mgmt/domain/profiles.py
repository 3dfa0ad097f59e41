"""Profile questionnaires, contact profile answers and automatic classification.

This is BC's profiling (spec §2.13 and §2.13.1): a :class:`ProfileQuestionnaire`
(Profile Questionnaire Header 5087 with its lines 5088) is an ordered list of
:class:`ProfileQuestion` s, each followed by its :class:`ProfileAnswer` s. Contacts get
:class:`ContactProfileAnswer` s (table 5089) by hand (:meth:`ProfileQuestionnaire.record_answer`)
or from the batch job *Update Contact Classification* (report 5199), which is the pure
function :func:`classify_contacts` here. Rating questions score contacts with
:class:`RatingPoint` s on the answers of other questions (§2.13, Rating table).

>>> from datetime import date
>>> q = ProfileQuestionnaire(code="size", description="Company size")
>>> employees = q.add_question("Number of employees")
>>> small = q.add_answer(employees.line_no, "1-49", to_value=Decimal(49))
>>> large = q.add_answer(employees.line_no, "50+", from_value=Decimal(50))
>>> [(line.line_no, line.description) for line in q.lines]
[(10000, 'Number of employees'), (20000, '1-49'), (30000, '50+')]
>>> contact = ProfileContact(no="CT000001", is_company=True)
>>> answer = q.record_answer(contact, small.line_no, on=date(2026, 3, 2))
>>> (answer.contact_no, answer.questionnaire_code, answer.line_no)
('CT000001', 'SIZE', 20000)

Where BC's behaviour was not confirmed, the choices are documented on the function
that makes them (for example, minors are skipped by the classification job).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Context, Decimal
from typing import Any, Final, Protocol, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.domain._fields import to_enum as _enum
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    ContactNo,
    make_code,
    make_optional_code,
)
from relationship_mgmt.domain.dateformula import DateFormula, calc_date
from relationship_mgmt.domain.money import round_amount
from relationship_mgmt.errors import (
    AlreadyExistsError,
    AutomaticQuestionError,
    ClassificationSetupError,
    InUseError,
    MultipleAnswersNotAllowedError,
    NotFoundError,
    ProfileForMinorError,
    RatingLoopError,
    ValidationError,
)

__all__ = [
    "AnswerPriority",
    "ClassField",
    "ClassificationMethod",
    "ClassificationResult",
    "ClassificationScore",
    "ClassificationSource",
    "ContactClassField",
    "ContactProfileAnswer",
    "CustomerClassField",
    "LINE_NO_STEP",
    "ProfileAnswer",
    "ProfileContact",
    "ProfileLine",
    "ProfileQuestion",
    "ProfileQuestionnaire",
    "QuestionnaireContactType",
    "QuestionnairePriority",
    "RatingPoint",
    "SortingMethod",
    "VendorClassField",
    "average_amount",
    "average_overdue_days",
    "classify_contacts",
    "discount_percentage",
    "frequency_per_year",
    "in_range",
    "rate_contact",
    "refresh_priorities",
    "won_percentage",
]

LINE_NO_STEP: Final = 10000
"""The gap BC leaves between lines added at the end (AutoSplitKey)."""
_MAX_LINE_NO: Final = 2_147_483_647  # AL Integer
_MAX_DECIMALS: Final = 25  # §2.13: No. of Decimals is -25..25
_MAX_TEXT: Final = 250
_MAX_ADJUSTED: Final = 30  # sanity bound on statistic values and ranges (BC: ~1E15)
# Fixed arithmetic context: results must not depend on the caller's thread context.
_ARITHMETIC: Final = Context(prec=28)


# --- errors (to be moved into errors.py) ---------------------------------------------


# --- enums (spec §2.13 option fields) ---------------------------------------------------


class QuestionnaireContactType(enum.StrEnum):
    """Which contacts a questionnaire is for (header field *Contact Type*, §2.13).

    >>> QuestionnaireContactType("") is QuestionnaireContactType.BOTH
    True
    """

    BOTH = ""
    COMPANIES = "Companies"
    PEOPLE = "People"


class QuestionnairePriority(enum.StrEnum):
    """The header's *Priority*, copied to every contact answer (§2.13).

    >>> QuestionnairePriority.NORMAL.rank
    2
    """

    VERY_LOW = "Very Low"
    LOW = "Low"
    NORMAL = "Normal"
    HIGH = "High"
    VERY_HIGH = "Very High"

    @property
    def rank(self) -> int:
        """BC's option position (0 = Very Low ... 4 = Very High), for ordering."""
        return list(QuestionnairePriority).index(self)


class AnswerPriority(enum.StrEnum):
    """An answer line's *Priority*, copied to each contact answer (§2.13).

    ``Very Low (Hidden)`` answers are meant to be hidden from the contact card's
    profile summary; that is a display rule only.

    >>> AnswerPriority.VERY_LOW_HIDDEN.hidden, AnswerPriority.LOW.rank
    (True, 1)
    """

    VERY_LOW_HIDDEN = "Very Low (Hidden)"
    LOW = "Low"
    NORMAL = "Normal"
    HIGH = "High"
    VERY_HIGH = "Very High"

    @property
    def rank(self) -> int:
        """BC's option position (0 = Very Low (Hidden) ... 4 = Very High)."""
        return list(AnswerPriority).index(self)

    @property
    def hidden(self) -> bool:
        """Whether the contact card's profile summary hides this answer (§2.13)."""
        return self is AnswerPriority.VERY_LOW_HIDDEN


# The three class-field options share captions ("Discount (%)", "Avg. Overdue (Day)"),
# so they are plain Enums: StrEnum members of two enums with one caption would be
# equal and hash alike, and collide as keys of one mapping.


class CustomerClassField(enum.Enum):
    """A customer statistic an automatic question classifies by (§2.13, §2.13.1).

    >>> CustomerClassField("Sales (LCY)").name
    'SALES'
    """

    BLANK = ""
    SALES = "Sales (LCY)"
    PROFIT = "Profit (LCY)"
    SALES_FREQUENCY = "Sales Frequency (Invoices/Year)"
    AVG_INVOICE_AMOUNT = "Avg. Invoice Amount (LCY)"
    DISCOUNT = "Discount (%)"
    AVG_OVERDUE = "Avg. Overdue (Day)"


class VendorClassField(enum.Enum):
    """A vendor statistic an automatic question classifies by (§2.13, §2.13.1).

    >>> VendorClassField.DISCOUNT == CustomerClassField.DISCOUNT
    False
    """

    BLANK = ""
    PURCHASE = "Purchase (LCY)"
    PURCHASE_FREQUENCY = "Purchase Frequency (Invoices/Year)"
    AVG_TICKET_SIZE = "Avg. Ticket Size (LCY)"
    DISCOUNT = "Discount (%)"
    AVG_OVERDUE = "Avg. Overdue (Day)"


class ContactClassField(enum.Enum):
    """A contact statistic, or ``Rating``, an automatic question uses (§2.13).

    >>> ContactClassField("Rating") is ContactClassField.RATING
    True
    """

    BLANK = ""
    INTERACTION_QUANTITY = "Interaction Quantity"
    INTERACTION_FREQUENCY = "Interaction Frequency (No./Year)"
    AVG_INTERACTION_COST = "Avg. Interaction Cost (LCY)"
    AVG_INTERACTION_DURATION = "Avg. Interaction Duration (Min.)"
    OPPORTUNITY_WON = "Opportunity Won (%)"
    RATING = "Rating"


ClassField = CustomerClassField | VendorClassField | ContactClassField
"""The one class field a question may have set (BC keeps three option fields)."""


class ClassificationMethod(enum.StrEnum):
    """How an automatic question maps values to answers (§2.13.1 step 6).

    >>> ClassificationMethod("Percentage of Contacts").name
    'PERCENTAGE_OF_CONTACTS'
    """

    BLANK = ""
    DEFINED_VALUE = "Defined Value"
    PERCENTAGE_OF_VALUE = "Percentage of Value"
    PERCENTAGE_OF_CONTACTS = "Percentage of Contacts"


class SortingMethod(enum.StrEnum):
    """The order candidates are ranked in by the percentage methods (§2.13).

    >>> SortingMethod.DESCENDING.value
    'Descending'
    """

    BLANK = ""
    DESCENDING = "Descending"
    ASCENDING = "Ascending"


# --- small converters and validators -----------------------------------------------


def _decimal(value: object, name: str) -> Decimal:
    """Return ``value`` as a finite, reasonably sized Decimal or refuse it."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(name, value, "must be a Decimal or an int")
    number = Decimal(value)
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N" or "F": NaN, sNaN, Infinity
        raise ValidationError(name, value, "must be a finite number")
    if not number.is_zero() and (
        number.adjusted() > _MAX_ADJUSTED or exponent < -_MAX_ADJUSTED
    ):
        raise ValidationError(name, value, "is out of range")
    return number


def _classification_method(value: object) -> ClassificationMethod:
    return _enum(ClassificationMethod, "classification_method", value)


def _sorting_method(value: object) -> SortingMethod:
    return _enum(SortingMethod, "sorting_method", value)


def _answer_priority(value: object) -> AnswerPriority:
    return _enum(AnswerPriority, "priority", value)


def _answer_priority_copy(value: object) -> AnswerPriority:
    return _enum(AnswerPriority, "answer_priority", value)


def _questionnaire_priority_copy(value: object) -> QuestionnairePriority:
    return _enum(QuestionnairePriority, "questionnaire_priority", value)


def _questionnaire_priority(value: object) -> QuestionnairePriority:
    return _enum(QuestionnairePriority, "priority", value)


def _contact_type(value: object) -> QuestionnaireContactType:
    return _enum(QuestionnaireContactType, "contact_type", value)


def _points(value: object) -> Decimal:
    return _decimal(value, "points")


def _min_pct(value: object) -> Decimal:
    return _decimal(value, "min_pct_questions_answered")


def _from_value(value: object) -> Decimal:
    return _decimal(value, "from_value")


def _to_value(value: object) -> Decimal:
    return _decimal(value, "to_value")


def _questions_answered_pct(value: object) -> Decimal:
    return _decimal(value, "questions_answered_pct")


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError(attribute.name, value, "must be a string")
    if len(value) > _MAX_TEXT:
        raise ValidationError(
            attribute.name, value, f"is longer than {_MAX_TEXT} characters"
        )


def _not_blank_text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    _text(_, attribute, value)
    if not cast("str", value).strip():
        raise ValidationError(attribute.name, value, "must not be blank")


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _line_no(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= _MAX_LINE_NO
    ):
        raise ValidationError(
            attribute.name, value, f"must be an integer from 1 to {_MAX_LINE_NO}"
        )


def _code20(value: object) -> Code:
    if not isinstance(value, str):
        raise ValidationError("questionnaire_code", value, "must be a string")
    code = make_code(value, max_length=CODE20, field="questionnaire_code")
    if not code:
        raise ValidationError("questionnaire_code", value, "must not be blank")
    return code


def _contact_no(value: object) -> ContactNo:
    if not isinstance(value, str):
        raise ValidationError("contact_no", value, "must be a string")
    code = make_code(value, max_length=CODE20, field="contact_no")
    if not code:
        raise ValidationError("contact_no", value, "must not be blank")
    return ContactNo(code)


def _optional_contact_no(value: object) -> ContactNo | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _contact_no(value)


def _optional_code10(value: object) -> Code | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError("business_relation_code", value, "must be a string")
    return make_optional_code(value, max_length=CODE10, field="business_relation_code")


def _code10_set(value: object) -> frozenset[Code]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(
            "business_relation_codes", value, "must be a collection of codes"
        )
    codes = set()
    for item in value:
        code = _optional_code10(item)
        if code is not None:
            codes.add(code)
    return frozenset(codes)


def _optional_formula(value: object) -> DateFormula | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = DateFormula.parse(value)
    if not isinstance(value, DateFormula):
        raise ValidationError("date_formula", value, "must be a date formula or text")
    return value if value.terms else None  # an empty formula means "none"


def _class_field(value: object) -> ClassField | None:
    if value is None:
        return None
    if not isinstance(value, CustomerClassField | VendorClassField | ContactClassField):
        raise ValidationError(
            "class_field",
            value,
            "must be a CustomerClassField, VendorClassField or ContactClassField",
        )
    return None if value.value == "" else value


def _no_of_decimals(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not -_MAX_DECIMALS <= value <= _MAX_DECIMALS
    ):
        raise ValidationError(
            attribute.name, value, "must be an integer from -25 to 25"
        )


def _percentage(_: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not 0 <= value <= 100:  # noqa: PLR2004
        raise ValidationError(attribute.name, value, "must be from 0 to 100")


def _date(_: object, attribute: attrs.Attribute[date], value: object) -> None:
    if type(value) is not date:
        raise ValidationError(attribute.name, value, "must be a date")


def _check_date(name: str, value: object) -> date:
    if type(value) is not date:
        raise ValidationError(name, value, "must be a date")
    return value


def _precision(no_of_decimals: int) -> Decimal:
    """BC's ``1 / Power(10, No. of Decimals)`` (§2.13)."""
    return Decimal(1).scaleb(-no_of_decimals)


# --- the rules of InRange and the statistic formulas -----------------------------------


def in_range(value: Decimal, from_value: Decimal, to_value: Decimal) -> bool:
    """Return whether ``value`` falls in an answer's range: BC's ``InRange`` (§2.13.1 step 7).

    A zero bound is open: ``From`` only means "at least From", ``To`` only means "at
    most To". With **both** bounds zero the answer never matches (not even 0), which
    users find surprising (§11 item 15).

    Args:
        value: The value, or percentage, to classify.
        from_value: The answer's *From Value*.
        to_value: The answer's *To Value*.

    Returns:
        Whether the answer applies.

    >>> in_range(Decimal(5), Decimal(1), Decimal(10)), in_range(Decimal(50), Decimal(10), Decimal(0))
    (True, True)
    >>> in_range(Decimal(0), Decimal(0), Decimal(0))
    False
    """
    if from_value != 0 and to_value != 0:
        return from_value <= value <= to_value
    if from_value != 0:
        return value >= from_value
    if to_value != 0:
        return value <= to_value
    return False


def frequency_per_year(
    count: int | Decimal, *, starting: date, ending: date
) -> Decimal:
    """Return ``count`` per year over the period, as BC's frequencies (§2.13.1 step 4).

    *Sales Frequency*, *Purchase Frequency* and *Interaction Frequency* are
    ``count ÷ ((ending - starting + 1) / 365)``.

    Args:
        count: Invoices or interactions in the period.
        starting: The first day of the period.
        ending: The last day of the period (not before ``starting``).

    Returns:
        The yearly frequency.

    Raises:
        ValidationError: A non-numeric count, or ``ending`` before ``starting``.

    >>> frequency_per_year(6, starting=date(2025, 1, 1), ending=date(2025, 12, 31))
    Decimal('6')
    >>> frequency_per_year(3, starting=date(2025, 1, 1), ending=date(2025, 3, 1))
    Decimal('18.25000000000000000000000000')
    """
    number = _decimal(count, "count")
    first = _check_date("starting", starting)
    last = _check_date("ending", ending)
    if last < first:
        raise ValidationError("ending", ending, "must not be before starting")
    years = _ARITHMETIC.divide(Decimal((last - first).days + 1), Decimal(365))
    return _ARITHMETIC.divide(number, years)


def average_amount(total: Decimal | int, count: int) -> Decimal:
    """Return ``total ÷ count``, or 0 without a count (§2.13.1 step 4).

    This is *Avg. Invoice Amount*, *Avg. Ticket Size*, *Avg. Interaction Cost* and
    *Avg. Interaction Duration*. (For the ticket size, pass the purchase amount with
    BC's sign already turned: ``-Σ Purchase (LCY)``.)

    Raises:
        ValidationError: A non-numeric total or a negative or non-integer count.

    >>> average_amount(Decimal("1000"), 3), average_amount(Decimal(5), 0)
    (Decimal('333.3333333333333333333333333'), Decimal('0'))
    """
    amount = _decimal(total, "total")
    given: object = count
    if isinstance(given, bool) or not isinstance(given, int) or given < 0:
        raise ValidationError("count", count, "must be a non-negative integer")
    if count == 0:
        return Decimal(0)
    return _ARITHMETIC.divide(amount, Decimal(count))


def discount_percentage(sales: Decimal | int, discount: Decimal | int) -> Decimal:
    """Return ``100 * discount ÷ (sales + discount)``, 0 if that is 0 (§2.13.1 step 4).

    Args:
        sales: *Sales (LCY)* (or *Purchase (LCY)*) of the period.
        discount: The discount given, positive: ``-Σ Value Entry.Discount Amount``.

    Raises:
        ValidationError: A non-numeric argument.

    >>> discount_percentage(Decimal(900), Decimal(100))
    Decimal('10')
    """
    amount = _decimal(sales, "sales")
    disc = _decimal(discount, "discount")
    denominator = _ARITHMETIC.add(amount, disc)
    if denominator == 0:
        return Decimal(0)
    return _ARITHMETIC.divide(_ARITHMETIC.multiply(Decimal(100), disc), denominator)


def won_percentage(won: int, lost: int) -> Decimal:
    """Return *Opportunity Won (%)* = ``100 * won ÷ (won + lost)`` (§2.13.1 step 4).

    Without closed opportunities the result is 0 (BC's division would fail; the
    spec does not say what it gives).

    Raises:
        ValidationError: A negative or non-integer count.

    >>> won_percentage(3, 1), won_percentage(0, 0)
    (Decimal('75'), Decimal('0'))
    """
    counts: tuple[tuple[str, object], ...] = (("won", won), ("lost", lost))
    for name, value in counts:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(name, value, "must be a non-negative integer")
    if won + lost == 0:
        return Decimal(0)
    return _ARITHMETIC.divide(Decimal(100 * won), Decimal(won + lost))


def average_overdue_days(closed_invoices: Iterable[tuple[date, date]]) -> Decimal:
    """Return *Avg. Overdue (Day)* over closed invoices (§2.13.1 step 4).

    ``Σ max(0, closed at - due date) ÷ number of closed invoices``; 0 without any.

    Args:
        closed_invoices: ``(due_date, closed_at_date)`` per closed invoice.

    Raises:
        ValidationError: An item that is not a pair of dates.

    >>> average_overdue_days([(date(2025, 1, 31), date(2025, 2, 10)), (date(2025, 2, 28), date(2025, 2, 1))])
    Decimal('5')
    """
    days = 0
    count = 0
    items: Iterable[object] = closed_invoices
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:  # noqa: PLR2004
            raise ValidationError(
                "closed_invoices", item, "must be (due, closed) dates"
            )
        due = _check_date("due_date", item[0])
        closed = _check_date("closed_at", item[1])
        days += max(0, (closed - due).days)
        count += 1
    return average_amount(Decimal(days), count)


# --- questionnaire lines -------------------------------------------------------------


def _rating_points(value: object) -> tuple[RatingPoint, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(
            "rating_points", value, "must be a sequence of RatingPoint"
        )
    points = tuple(value)
    for point in points:
        if not isinstance(point, RatingPoint):
            raise ValidationError("rating_points", point, "must be a RatingPoint")
    keys = [point.answer for point in points]
    if len(set(keys)) != len(keys):
        raise ValidationError("rating_points", keys, "rates an answer twice")
    return points


@frozen(kw_only=True)
class RatingPoint:
    """A row of BC's *Rating* table, seen from its rating question (§2.13).

    "A contact that has answer (``questionnaire_code``, ``line_no``) scores
    ``points``." The rated answer may be in another questionnaire.

    >>> RatingPoint(questionnaire_code="size", line_no=20000, points=Decimal(5)).answer
    ('SIZE', 20000)
    """

    questionnaire_code: Code = field(converter=_code20)
    line_no: int = field(validator=_line_no)
    points: Decimal = field(converter=_points)

    @property
    def answer(self) -> tuple[Code, int]:
        """The rated answer's key (questionnaire code, line no.)."""
        return (self.questionnaire_code, self.line_no)


@frozen(kw_only=True)
class ProfileQuestion:
    """A question line of a questionnaire (table 5088, Type = Question, §2.13).

    A question that exists is consistent: at most one class field (BC's three option
    fields are one ``class_field`` here), a class field only on an automatic question,
    a ``Rating`` question with Defined Value, no sorting and no date formulas, and
    rating points only on a rating question. Change questions through
    :meth:`ProfileQuestionnaire.configure_question`, which applies BC's field
    side effects.

    Attributes:
        line_no: The line number (the key within the questionnaire).
        description: Text[250], not blank.
        multiple_answers: Whether a contact may have several answers to it.
        auto_contact_classification: Answers come only from the classification job.
        class_field: The statistic it classifies by, or ``None``.
        starting_date_formula: Start of the analysis period, relative to the run date.
        ending_date_formula: End of the analysis period.
        classification_method: How values map to answers.
        sorting_method: The ranking order of the percentage methods.
        no_of_decimals: Rounding precision is ``10 ** -no_of_decimals`` (-25..25).
        min_pct_questions_answered: Rating: the share of rated questions a contact
            must have answered to be rated (0..100).
        rating_points: Rating: the points per rated answer.

    >>> ProfileQuestion(line_no=10000, description="Turnover",
    ...     auto_contact_classification=True,
    ...     class_field=CustomerClassField.SALES).customer_class_field
    <CustomerClassField.SALES: 'Sales (LCY)'>
    """

    line_no: int = field(validator=_line_no)
    description: str = field(validator=_not_blank_text)
    multiple_answers: bool = field(default=False, validator=_bool)
    auto_contact_classification: bool = field(default=False, validator=_bool)
    class_field: ClassField | None = field(default=None, converter=_class_field)
    starting_date_formula: DateFormula | None = field(
        default=None, converter=_optional_formula
    )
    ending_date_formula: DateFormula | None = field(
        default=None, converter=_optional_formula
    )
    classification_method: ClassificationMethod = field(
        default=ClassificationMethod.BLANK,
        converter=_classification_method,
    )
    sorting_method: SortingMethod = field(
        default=SortingMethod.BLANK,
        converter=_sorting_method,
    )
    no_of_decimals: int = field(default=0, validator=_no_of_decimals)
    min_pct_questions_answered: Decimal = field(
        default=Decimal(0),
        converter=_min_pct,
        validator=_percentage,
    )
    rating_points: tuple[RatingPoint, ...] = field(default=(), converter=_rating_points)

    def __attrs_post_init__(self) -> None:
        if self.class_field is not None and not self.auto_contact_classification:
            # §2.13: clearing Auto Contact Classification needs blank class fields.
            raise ValidationError(
                "auto_contact_classification",
                self.auto_contact_classification,
                "must be true while a class field is set",
            )
        if self.is_rating:
            self._check_rating()
        elif self.rating_points:
            raise ValidationError(
                "rating_points", self.rating_points, "only a rating question has points"
            )

    def _check_rating(self) -> None:
        # §2.13: Rating forces Defined Value, no sorting and no date formulas.
        if self.classification_method is not ClassificationMethod.DEFINED_VALUE:
            raise ValidationError(
                "classification_method",
                self.classification_method,
                "must be Defined Value for a rating question",
            )
        if self.sorting_method is not SortingMethod.BLANK:
            raise ValidationError(
                "sorting_method",
                self.sorting_method,
                "must be blank for a rating question",
            )
        if self.starting_date_formula or self.ending_date_formula:
            raise ValidationError(
                "starting_date_formula",
                self.starting_date_formula or self.ending_date_formula,
                "a rating question has no date formulas",
            )

    @property
    def is_rating(self) -> bool:
        """Whether the contact class field is ``Rating``."""
        return self.class_field is ContactClassField.RATING

    @property
    def customer_class_field(self) -> CustomerClassField:
        """BC's *Customer Class. Field*: the class field if it is a customer one."""
        chosen = self.class_field
        if isinstance(chosen, CustomerClassField):
            return chosen
        return CustomerClassField.BLANK

    @property
    def vendor_class_field(self) -> VendorClassField:
        """BC's *Vendor Class. Field*: the class field if it is a vendor one."""
        chosen = self.class_field
        if isinstance(chosen, VendorClassField):
            return chosen
        return VendorClassField.BLANK

    @property
    def contact_class_field(self) -> ContactClassField:
        """BC's *Contact Class. Field*: the class field if it is a contact one."""
        chosen = self.class_field
        if isinstance(chosen, ContactClassField):
            return chosen
        return ContactClassField.BLANK

    def _question_only_fields_set(self) -> str | None:
        """The first question-only field that is not blank/false (§2.13 Type rule)."""
        blank = ProfileQuestion(line_no=self.line_no, description=self.description)
        for name in (
            "multiple_answers",
            "auto_contact_classification",
            "class_field",
            "starting_date_formula",
            "ending_date_formula",
            "classification_method",
            "sorting_method",
            "no_of_decimals",
            "min_pct_questions_answered",
            "rating_points",
        ):
            if getattr(self, name) != getattr(blank, name):
                return name
        return None


@frozen(kw_only=True)
class ProfileAnswer:
    """An answer line of a questionnaire (table 5088, Type = Answer, §2.13).

    It belongs to the nearest question above it.

    Attributes:
        line_no: The line number (the key within the questionnaire).
        description: Text[250], not blank; the *Answer* text contacts see.
        from_value: Lower bound of the classification range (0: open).
        to_value: Upper bound of the classification range (0: open).
        priority: Copied to each contact answer's *Answer Priority*.

    >>> a = ProfileAnswer(line_no=20000, description="Top", from_value=Decimal(80))
    >>> a.matches(Decimal(95)), a.never_matches
    (True, False)
    """

    line_no: int = field(validator=_line_no)
    description: str = field(validator=_not_blank_text)
    from_value: Decimal = field(default=Decimal(0), converter=_from_value)
    to_value: Decimal = field(default=Decimal(0), converter=_to_value)
    priority: AnswerPriority = field(
        default=AnswerPriority.NORMAL,
        converter=_answer_priority,
    )

    def matches(self, value: Decimal) -> bool:
        """Return :func:`in_range` for this answer's range (§2.13.1 step 7)."""
        return in_range(value, self.from_value, self.to_value)

    @property
    def never_matches(self) -> bool:
        """Whether From and To are both 0, so the classification job never picks it (§11 item 15)."""
        return self.from_value == 0 and self.to_value == 0


ProfileLine = ProfileQuestion | ProfileAnswer
"""Any line of a questionnaire, question or answer (table 5088, §2.13)."""


# --- contacts as the profile rules see them --------------------------------------------


@frozen(kw_only=True)
class ProfileContact:
    """What profiling needs to know about a contact; the host builds it from its Contact.

    Attributes:
        no: The contact's number.
        is_company: Company (``True``) or person.
        company_no: A person's company, if any; for a company, ``None`` or its own
            number (BC's *Company No.* of a company is its own number).
        minor: BC's *Minor* flag: a minor cannot have profile answers (§2.15).
        business_relation_codes: The contact's own business relations (§2.8); a
            person's come from its company, so leave them empty for persons.

    >>> ProfileContact(no="ct2", is_company=False, company_no="ct1").company
    'CT1'
    >>> ProfileContact(no="ct1", is_company=True).company
    'CT1'
    """

    no: ContactNo = field(converter=_contact_no)
    is_company: bool = field(validator=_bool)
    company_no: ContactNo | None = field(default=None, converter=_optional_contact_no)
    minor: bool = field(default=False, validator=_bool)
    business_relation_codes: frozenset[Code] = field(
        default=frozenset(), converter=_code10_set
    )

    def __attrs_post_init__(self) -> None:
        if self.is_company and self.company_no not in (None, self.no):
            raise ValidationError(
                "company_no", self.company_no, "a company's company is itself"
            )

    @property
    def company(self) -> ContactNo | None:
        """BC's *Company No.*: the contact itself for a company, else its company."""
        return self.no if self.is_company else self.company_no


@frozen(kw_only=True)
class ContactProfileAnswer:
    """A contact's answer to a question: a row of *Contact Profile Answer* (5089, §2.13).

    The key is (contact no., questionnaire code, line no. of the answer). The answer
    text, contact name and company name are look-ups, not stored.

    Attributes:
        contact_no: The contact.
        questionnaire_code: The questionnaire.
        line_no: The answer line.
        contact_company_no: The contact's *Company No.* at the time.
        questionnaire_priority: The header's priority, copied.
        answer_priority: The answer line's priority, copied.
        last_date_updated: When the answer was given or computed.
        questions_answered_pct: Ratings: the share of rated questions answered.
        value_text: *Profile Questionnaire Value*, Text[250].

    >>> a = ContactProfileAnswer(contact_no="ct1", questionnaire_code="size",
    ...     line_no=20000, last_date_updated=date(2026, 1, 5))
    >>> a.key
    ('CT1', 'SIZE', 20000)
    """

    contact_no: ContactNo = field(converter=_contact_no)
    questionnaire_code: Code = field(converter=_code20)
    line_no: int = field(validator=_line_no)
    last_date_updated: date = field(validator=_date)
    contact_company_no: ContactNo | None = field(
        default=None, converter=_optional_contact_no
    )
    questionnaire_priority: QuestionnairePriority = field(
        default=QuestionnairePriority.NORMAL,
        converter=_questionnaire_priority_copy,
    )
    answer_priority: AnswerPriority = field(
        default=AnswerPriority.NORMAL,
        converter=_answer_priority_copy,
    )
    questions_answered_pct: Decimal = field(
        default=Decimal(0),
        converter=_questions_answered_pct,
        validator=_percentage,
    )
    value_text: str = field(default="", validator=_text, repr=False)

    @property
    def key(self) -> tuple[ContactNo, Code, int]:
        """(contact no., questionnaire code, line no.)."""
        return (self.contact_no, self.questionnaire_code, self.line_no)

    @property
    def answer(self) -> tuple[Code, int]:
        """The answer line's key (questionnaire code, line no.)."""
        return (self.questionnaire_code, self.line_no)


# --- the questionnaire aggregate -----------------------------------------------------


class _Unset(enum.Enum):
    UNSET = enum.auto()


_UNSET: Final = _Unset.UNSET


def _lines(value: object) -> tuple[ProfileLine, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("lines", value, "must be a sequence of lines")
    return tuple(value)


def _check_lines(
    questionnaire: ProfileQuestionnaire,
    _: attrs.Attribute[tuple[ProfileLine, ...]],
    lines: tuple[ProfileLine, ...],
) -> None:
    previous = 0
    answer_lines = set()
    for index, line in enumerate(lines):
        if not isinstance(line, ProfileQuestion | ProfileAnswer):
            raise ValidationError(
                "lines", line, "must be a ProfileQuestion or ProfileAnswer"
            )
        if line.line_no <= previous:
            raise ValidationError("lines", line.line_no, "line numbers must increase")
        if index == 0 and isinstance(line, ProfileAnswer):
            raise ValidationError(
                "lines", line.line_no, "the first line must be a question"
            )
        if isinstance(line, ProfileAnswer):
            answer_lines.add(line.line_no)
        previous = line.line_no
    code = questionnaire.code
    for line in lines:
        if isinstance(line, ProfileQuestion):
            for point in line.rating_points:
                if (
                    point.questionnaire_code == code
                    and point.line_no not in answer_lines
                ):
                    raise ValidationError(
                        "rating_points", point.answer, "must rate an answer line"
                    )


def _numbers_between(previous: int, following: int | None, count: int) -> list[int]:
    """``count`` new line numbers between two lines, spread like BC's AutoSplitKey."""
    if following is None:
        return [previous + LINE_NO_STEP * (i + 1) for i in range(count)]
    step = (following - previous) // (count + 1)
    if step < 1:
        raise ValidationError(
            "line_no",
            (previous, following),
            f"no room for {count} line(s) between lines {previous} and {following}",
        )
    return [previous + step * (i + 1) for i in range(count)]


@define(kw_only=True)
class ProfileQuestionnaire(AggregateRoot):
    """A profile questionnaire: header (5087) and its lines (5088), spec §2.13.

    ``lines`` is kept in line-number order; the first line is a question and every
    answer belongs to the nearest question above it. Line numbers are the keys that
    contact answers and rating points refer to, so verbs never renumber a line that
    is in use.

    Attributes:
        code: Code[20], not blank.
        description: Text[250].
        contact_type: Which contacts it is for (``BOTH``, ``COMPANIES``, ``PEOPLE``).
        business_relation_code: If set, only contacts whose company has this
            business relation are classified automatically.
        priority: Copied to every contact answer.
        lines: Questions and answers in line-number order.

    >>> q = ProfileQuestionnaire(code="cust", contact_type="Companies")
    >>> question = q.add_question("Annual sales")
    >>> q.configure_question(question.line_no, auto_contact_classification=True,
    ...     class_field=CustomerClassField.SALES).classification_method
    <ClassificationMethod.DEFINED_VALUE: 'Defined Value'>
    """

    code: Code = field(converter=_code20)
    description: str = field(default="", validator=_text)
    contact_type: QuestionnaireContactType = field(
        default=QuestionnaireContactType.BOTH,
        converter=_contact_type,
    )
    business_relation_code: Code | None = field(
        default=None, converter=_optional_code10
    )
    priority: QuestionnairePriority = field(
        default=QuestionnairePriority.NORMAL,
        converter=_questionnaire_priority,
    )
    lines: tuple[ProfileLine, ...] = field(
        default=(), converter=_lines, validator=_check_lines
    )

    # --- reading ----------------------------------------------------------------

    @property
    def questions(self) -> tuple[ProfileQuestion, ...]:
        """The question lines, in order."""
        return tuple(line for line in self.lines if isinstance(line, ProfileQuestion))

    def line(self, line_no: int) -> ProfileLine:
        """Return the line ``line_no``.

        Raises:
            NotFoundError: There is no such line.
        """
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise NotFoundError("profile questionnaire line", (self.code, line_no))

    def question(self, line_no: int) -> ProfileQuestion:
        """Return the question on line ``line_no``.

        Raises:
            NotFoundError: There is no such line.
            ValidationError: The line is an answer.
        """
        line = self.line(line_no)
        if not isinstance(line, ProfileQuestion):
            raise ValidationError("line_no", line_no, "is an answer, not a question")
        return line

    def answer(self, line_no: int) -> ProfileAnswer:
        """Return the answer on line ``line_no``.

        Raises:
            NotFoundError: There is no such line.
            ValidationError: The line is a question.
        """
        line = self.line(line_no)
        if not isinstance(line, ProfileAnswer):
            raise ValidationError("line_no", line_no, "is a question, not an answer")
        return line

    def question_of(self, answer_line_no: int) -> ProfileQuestion:
        """Return the question an answer belongs to: the nearest one above (§2.13).

        Raises:
            NotFoundError: There is no such line.
            ValidationError: The line is a question.
        """
        self.answer(answer_line_no)
        above = self.lines[: self._index(answer_line_no)]
        return [line for line in above if isinstance(line, ProfileQuestion)][-1]

    def answers_to(self, question_line_no: int) -> tuple[ProfileAnswer, ...]:
        """Return the answers of a question, in order (up to the next question).

        Raises:
            NotFoundError: There is no such line.
            ValidationError: The line is an answer.
        """
        self.question(question_line_no)
        block = self._block(question_line_no)
        return tuple(line for line in block if isinstance(line, ProfileAnswer))

    def _index(self, line_no: int) -> int:
        """The position of a line the caller has already looked up."""
        return next(i for i, line in enumerate(self.lines) if line.line_no == line_no)

    def _block(self, question_line_no: int) -> list[ProfileLine]:
        """The question and its answers."""
        start = self._index(question_line_no)
        block: list[ProfileLine] = [self.lines[start]]
        for line in self.lines[start + 1 :]:
            if isinstance(line, ProfileQuestion):
                break
            block.append(line)
        return block

    def _rated_here(self) -> set[int]:
        """Line numbers of this questionnaire's answers rated by its own questions."""
        return {
            point.line_no
            for question in self.questions
            for point in question.rating_points
            if point.questionnaire_code == self.code
        }

    # --- header verbs ---------------------------------------------------------------

    def describe(self, description: str) -> None:
        """Change the description (Text[250]).

        Raises:
            ValidationError: Not a string, or too long.
        """
        self.description = description

    def restrict_to(
        self,
        *,
        contact_type: QuestionnaireContactType | str,
        business_relation_code: str | None = None,
    ) -> None:
        """Say which contacts the questionnaire is for (§2.13 header).

        Args:
            contact_type: Companies, people or both.
            business_relation_code: Classify automatically only contacts whose
                company has this business relation; ``None`` for any.

        Raises:
            ValidationError: An unknown contact type or an invalid code; nothing
                changed.
        """
        checked = attrs.evolve(
            self,
            contact_type=contact_type,
            business_relation_code=business_relation_code,
        )
        self.contact_type = checked.contact_type
        self.business_relation_code = checked.business_relation_code

    def change_priority(self, priority: QuestionnairePriority | str) -> None:
        """Change the header priority (§2.13).

        BC pushes the change to the existing contact answers; the service does that
        with :func:`refresh_priorities`.

        Raises:
            ValidationError: An unknown priority.
        """
        self.priority = _enum(QuestionnairePriority, "priority", priority)

    # --- adding lines ---------------------------------------------------------------

    def _insert(self, line: ProfileLine) -> None:
        self.lines = tuple(sorted((*self.lines, line), key=lambda item: item.line_no))

    def _gap_before(self, index: int | None) -> tuple[int, int | None]:
        """Line numbers around the insertion point before ``lines[index]`` (None: end)."""
        if index is None:
            return (self.lines[-1].line_no if self.lines else 0, None)
        previous = self.lines[index - 1].line_no if index > 0 else 0
        return (previous, self.lines[index].line_no)

    def add_question(
        self,
        description: str,
        *,
        before: int | None = None,
        multiple_answers: bool = False,
    ) -> ProfileQuestion:
        """Add a question at the end, or just before question ``before``.

        The new line number is 10000 after the last line, or halfway between its
        neighbours, as BC's AutoSplitKey.

        Args:
            description: The question text (Text[250], not blank).
            before: Line number of the question to insert in front of.
            multiple_answers: Whether a contact may have several answers.

        Returns:
            The new question.

        Raises:
            ValidationError: A blank or too long description, ``before`` is an
                answer, or there is no free line number at that place.
            NotFoundError: ``before`` is not a line.
        """
        index = None if before is None else self._index(self.question(before).line_no)
        previous, following = self._gap_before(index)
        (line_no,) = _numbers_between(previous, following, 1)
        question = ProfileQuestion(
            line_no=line_no, description=description, multiple_answers=multiple_answers
        )
        self._insert(question)
        return question

    def add_answer(
        self,
        question_line_no: int,
        description: str,
        *,
        before: int | None = None,
        from_value: Decimal | int = 0,
        to_value: Decimal | int = 0,
        priority: AnswerPriority | str = AnswerPriority.NORMAL,
    ) -> ProfileAnswer:
        """Add an answer after the question's last answer, or before answer ``before``.

        Args:
            question_line_no: The question it answers.
            description: The answer text (Text[250], not blank).
            before: Line number of one of the question's answers to insert in front
                of.
            from_value: Lower bound for automatic classification (0: open).
            to_value: Upper bound (0: open). From = To = 0 never matches (§2.13.1).
            priority: Copied to contact answers.

        Returns:
            The new answer.

        Raises:
            ValidationError: Invalid fields, a line that is not a question, ``before``
                is not an answer of this question, or no free line number.
            NotFoundError: A line that does not exist.
        """
        block = self._block(self.question(question_line_no).line_no)
        if before is None:
            index = self._index(block[-1].line_no) + 1
        else:
            if before not in {line.line_no for line in block[1:]}:
                raise ValidationError(
                    "before", before, f"is not an answer of question {question_line_no}"
                )
            index = self._index(before)
        previous, following = self._gap_before(
            None if index == len(self.lines) else index
        )
        (line_no,) = _numbers_between(previous, following, 1)
        answer = ProfileAnswer(
            line_no=line_no,
            description=description,
            from_value=from_value,
            to_value=to_value,
            priority=priority,
        )
        self._insert(answer)
        return answer

    # --- changing lines -------------------------------------------------------------

    def _replace(self, line: ProfileLine) -> None:
        self.lines = tuple(
            line if item.line_no == line.line_no else item for item in self.lines
        )

    def configure_question(
        self,
        line_no: int,
        *,
        description: str | _Unset = _UNSET,
        multiple_answers: bool | _Unset = _UNSET,
        auto_contact_classification: bool | _Unset = _UNSET,
        class_field: ClassField | _Unset | None = _UNSET,
        starting_date_formula: DateFormula | str | _Unset | None = _UNSET,
        ending_date_formula: DateFormula | str | _Unset | None = _UNSET,
        classification_method: ClassificationMethod | str | _Unset = _UNSET,
        sorting_method: SortingMethod | str | _Unset = _UNSET,
        no_of_decimals: int | _Unset = _UNSET,
        min_pct_questions_answered: Decimal | int | _Unset = _UNSET,
    ) -> ProfileQuestion:
        """Change a question's fields with BC's validation side effects (§2.13).

        The given fields are applied in this order, each with its side effects, and
        the result must be a consistent :class:`ProfileQuestion`:

        1. ``class_field``: setting one clears the other two class fields (there is
           one field here) and sets the method to Defined Value if it was blank;
           ``Rating`` forces Defined Value and blank sorting and clears both date
           formulas.
        2. ``classification_method``: Percentage of Value / of Contacts set the
           sorting to Descending; Defined Value sets it back to blank.
        3. ``sorting_method`` and the other fields, as given.

        Clearing ``auto_contact_classification`` needs ``class_field`` to be (or
        become, in the same call) ``None``.

        Returns:
            The changed question.

        Raises:
            NotFoundError: No such line.
            ValidationError: The line is an answer, a value is invalid, or the result
                breaks a rule above (nothing changed then).
        """
        question = self.question(line_no)
        changes: dict[str, object] = {}
        given = {
            "description": description,
            "multiple_answers": multiple_answers,
            "auto_contact_classification": auto_contact_classification,
            "starting_date_formula": starting_date_formula,
            "ending_date_formula": ending_date_formula,
            "no_of_decimals": no_of_decimals,
            "min_pct_questions_answered": min_pct_questions_answered,
        }
        if not isinstance(class_field, _Unset):
            changes.update(_class_field_effects(question, _class_field(class_field)))
        if not isinstance(classification_method, _Unset):
            changes.update(_method_effects(classification_method))
        if not isinstance(sorting_method, _Unset):
            changes["sorting_method"] = sorting_method
        changes.update(
            {
                name: value
                for name, value in given.items()
                if not isinstance(value, _Unset)
            }
        )
        changed = attrs.evolve(question, **cast("dict[str, Any]", changes))
        self._replace(changed)
        return changed

    def configure_answer(
        self,
        line_no: int,
        *,
        description: str | _Unset = _UNSET,
        from_value: Decimal | int | _Unset = _UNSET,
        to_value: Decimal | int | _Unset = _UNSET,
        priority: AnswerPriority | str | _Unset = _UNSET,
    ) -> ProfileAnswer:
        """Change an answer's text, range or priority (§2.13).

        BC pushes a priority change to the existing contact answers; the service does
        that with :func:`refresh_priorities`.

        Returns:
            The changed answer.

        Raises:
            NotFoundError: No such line.
            ValidationError: The line is a question, or a value is invalid.
        """
        answer = self.answer(line_no)
        given = {
            "description": description,
            "from_value": from_value,
            "to_value": to_value,
            "priority": priority,
        }
        changes = {
            name: value
            for name, value in given.items()
            if not isinstance(value, _Unset)
        }
        changed = attrs.evolve(answer, **cast("dict[str, Any]", changes))
        self._replace(changed)
        return changed

    def rate_answer(
        self,
        question_line_no: int,
        *,
        answer_line_no: int,
        points: Decimal | int,
        answer_questionnaire_code: str | None = None,
    ) -> RatingPoint:
        """Give a rated answer points on a rating question (BC's *Rating* table).

        Rating an answer again replaces its points.

        Args:
            question_line_no: The rating question (class field ``Rating``).
            answer_line_no: The rated answer's line.
            points: The points a contact with that answer scores.
            answer_questionnaire_code: The rated answer's questionnaire; this one if
                ``None``. An answer of another questionnaire is checked by the
                classification (the service should check it on entry).

        Returns:
            The rating point.

        Raises:
            NotFoundError: No such line (in this questionnaire).
            ValidationError: The question is not a rating question, the rated line
                of this questionnaire is not an answer, or invalid points.
        """
        question = self.question(question_line_no)
        if not question.is_rating:
            raise ValidationError(
                "question_line_no", question_line_no, "is not a rating question"
            )
        code = (
            self.code
            if answer_questionnaire_code is None
            else answer_questionnaire_code
        )
        point = RatingPoint(
            questionnaire_code=code,
            line_no=answer_line_no,
            points=points,
        )
        if point.questionnaire_code == self.code:
            self.answer(answer_line_no)
        kept = tuple(p for p in question.rating_points if p.answer != point.answer)
        self._replace(attrs.evolve(question, rating_points=(*kept, point)))
        return point

    def unrate_answer(
        self,
        question_line_no: int,
        *,
        answer_line_no: int,
        answer_questionnaire_code: str | None = None,
    ) -> None:
        """Remove a rated answer from a rating question.

        Raises:
            NotFoundError: No such question, or the answer is not rated by it.
            ValidationError: The line is an answer.
        """
        question = self.question(question_line_no)
        code = _code20(
            self.code
            if answer_questionnaire_code is None
            else answer_questionnaire_code
        )
        kept = tuple(
            p for p in question.rating_points if p.answer != (code, answer_line_no)
        )
        if len(kept) == len(question.rating_points):
            raise NotFoundError(
                "rating", (self.code, question_line_no, code, answer_line_no)
            )
        self._replace(attrs.evolve(question, rating_points=kept))

    def convert_to_question(
        self, line_no: int, *, no_of_contacts: int
    ) -> ProfileQuestion:
        """Switch an answer line to a question (BC's *Type* validation, §2.13).

        Args:
            line_no: The answer line.
            no_of_contacts: How many contacts have this answer (BC's FlowField, from
                storage).

        Returns:
            The question that replaces the answer.

        Raises:
            NotFoundError: No such line.
            InUseError: Contacts have the answer, or a rating here rates it.
            ValidationError: The line is a question, or its From/To Value is not 0.
        """
        answer = self.answer(line_no)
        self._check_answer_free(answer.line_no, no_of_contacts=no_of_contacts)
        for name in ("from_value", "to_value"):
            if getattr(answer, name) != 0:
                raise ValidationError(
                    name, getattr(answer, name), "must be 0 for a question"
                )
        question = ProfileQuestion(line_no=line_no, description=answer.description)
        self._replace(question)
        return question

    def convert_to_answer(self, line_no: int) -> ProfileAnswer:
        """Switch a question line to an answer (BC's *Type* validation, §2.13).

        Its answers then belong to the question above it.

        Returns:
            The answer that replaces the question.

        Raises:
            NotFoundError: No such line.
            ValidationError: The line is an answer or the first line, or a
                question-only field is not blank/false.
        """
        question = self.question(line_no)
        if self.lines[0].line_no == line_no:
            raise ValidationError(
                "line_no", line_no, "the first line must stay a question"
            )
        name = question._question_only_fields_set()  # noqa: SLF001
        if name is not None:
            raise ValidationError(
                name, getattr(question, name), "must be blank for an answer"
            )
        answer = ProfileAnswer(line_no=line_no, description=question.description)
        self._replace(answer)
        return answer

    # --- moving and removing lines --------------------------------------------------

    def _check_answer_free(
        self, line_no: int, *, no_of_contacts: int, rated_elsewhere: bool = False
    ) -> None:
        if isinstance(no_of_contacts, bool) or not isinstance(no_of_contacts, int):
            raise ValidationError(
                "no_of_contacts", no_of_contacts, "must be an integer"
            )
        if not isinstance(rated_elsewhere, bool):
            raise ValidationError(
                "rated_elsewhere", rated_elsewhere, "must be true or false"
            )
        key = (self.code, line_no)
        if no_of_contacts > 0:
            raise InUseError(
                "profile questionnaire line", key, "contact_profile_answer"
            )
        if rated_elsewhere or line_no in self._rated_here():
            raise InUseError("profile questionnaire line", key, "rating")

    def _move(
        self, block: list[ProfileLine], anchor: int | None, in_use: object
    ) -> dict[int, int]:
        """Renumber ``block`` into the gap before line ``anchor`` (None: the end)."""
        if isinstance(in_use, str) or not isinstance(in_use, Collection):
            raise ValidationError(
                "in_use", in_use, "must be a collection of line numbers"
            )
        moved = {line.line_no for line in block}
        busy = (set(in_use) | self._rated_here()) & moved
        if busy:
            raise InUseError(
                "profile questionnaire line",
                (self.code, min(busy)),
                "contact_profile_answer or rating",
            )
        rest = [line for line in self.lines if line.line_no not in moved]
        if anchor is None:
            previous = rest[-1].line_no if rest else 0
        else:
            target = next(i for i, line in enumerate(rest) if line.line_no == anchor)
            previous = rest[target - 1].line_no if target > 0 else 0
        numbers = _numbers_between(previous, anchor, len(block))
        mapping = {
            line.line_no: number for line, number in zip(block, numbers, strict=True)
        }
        renumbered = [
            attrs.evolve(line, line_no=mapping[line.line_no]) for line in block
        ]
        self.lines = tuple(sorted((*rest, *renumbered), key=lambda item: item.line_no))
        return mapping

    def move_question(
        self, line_no: int, *, before: int | None = None, in_use: Collection[int] = ()
    ) -> dict[int, int]:
        """Move a question with its answers to the end, or before question ``before``.

        The moved lines get new line numbers (BC orders lines by number), so lines
        others refer to cannot move.

        Args:
            line_no: The question to move.
            before: The question to move in front of; ``None`` for the end.
            in_use: Line numbers that contact answers or ratings of other
                questionnaires refer to (from storage).

        Returns:
            The new line number of each moved line, by its old one.

        Raises:
            NotFoundError: No such line.
            InUseError: A moved answer is in ``in_use`` or rated here.
            ValidationError: A line is not a question, ``before`` is the moved
                question, or there is no room.
        """
        block = self._block(self.question(line_no).line_no)
        if before is not None and self.question(before).line_no == line_no:
            raise ValidationError(
                "before", before, "cannot move a question before itself"
            )
        return self._move(block, before, in_use)

    def move_answer(
        self, line_no: int, *, before: int | None = None, in_use: Collection[int] = ()
    ) -> dict[int, int]:
        """Move an answer within its question: before answer ``before``, or last.

        Args:
            line_no: The answer to move.
            before: Another answer of the same question; ``None`` for the end.
            in_use: Line numbers that contact answers or ratings of other
                questionnaires refer to (from storage).

        Returns:
            ``{old line no.: new line no.}``.

        Raises:
            NotFoundError: No such line.
            InUseError: The answer is in ``in_use`` or rated here.
            ValidationError: ``before`` is not another answer of the same
                question, or there is no room.
        """
        question = self.question_of(line_no)
        block = self._block(question.line_no)
        siblings = {line.line_no for line in block[1:]} - {line_no}
        if before is None:
            following = self._index(block[-1].line_no) + 1
            anchor = (
                self.lines[following].line_no if following < len(self.lines) else None
            )
        elif before in siblings:
            anchor = before
        else:
            raise ValidationError(
                "before",
                before,
                f"is not another answer of question {question.line_no}",
            )
        return self._move([self.line(line_no)], anchor, in_use)

    def remove_question(self, line_no: int) -> None:
        """Delete a question line (§2.13 deletion rules).

        Raises:
            NotFoundError: No such line.
            ValidationError: The line is an answer.
            InUseError: It still has answers below it, or it is a rating question
                that still has rating points.
        """
        question = self.question(line_no)
        key = (self.code, line_no)
        if len(self._block(line_no)) > 1:
            raise InUseError("profile questionnaire line", key, "profile_answer_lines")
        if question.rating_points:
            raise InUseError("profile questionnaire line", key, "rating")
        self.lines = tuple(line for line in self.lines if line.line_no != line_no)

    def remove_answer(
        self, line_no: int, *, no_of_contacts: int, rated_elsewhere: bool = False
    ) -> None:
        """Delete an answer line (§2.13 deletion rules).

        Args:
            line_no: The answer.
            no_of_contacts: How many contacts have this answer (from storage).
            rated_elsewhere: Whether a rating question of another questionnaire
                rates it (from storage); this questionnaire's ratings are checked here.

        Raises:
            NotFoundError: No such line.
            ValidationError: The line is a question.
            InUseError: Contacts have the answer, or a rating uses it.
        """
        self.answer(line_no)
        self._check_answer_free(
            line_no, no_of_contacts=no_of_contacts, rated_elsewhere=rated_elsewhere
        )
        self.lines = tuple(line for line in self.lines if line.line_no != line_no)

    # --- manual answers (§2.13 rules for manual answers) ------------------------------

    def record_answer(
        self,
        contact: ProfileContact,
        line_no: int,
        *,
        on: date,
        existing: Iterable[ContactProfileAnswer] = (),
        value_text: str = "",
    ) -> ContactProfileAnswer:
        """Give a contact an answer by hand, after BC's rules for manual answers (§2.13).

        1. The line must be an answer; 2. its question must not be classified
        automatically; 3. without *Multiple Answers* the contact may not already have
        another answer to the question; 4. a minor cannot get profile answers; 5. the
        questionnaire's contact type must fit the contact (BC's pages only offer
        fitting questionnaires; the library checks it). Rule 6, recomputing ratings
        that use the answer, is :func:`rate_contact`, called by the service.

        Args:
            contact: The contact.
            line_no: The answer line.
            on: The date of the answer (*Last Date Updated*).
            existing: The contact's current answers (others are ignored).
            value_text: *Profile Questionnaire Value* (Text[250]).

        Returns:
            The new answer, with the header's and the answer's priorities copied.

        Raises:
            ProfileForMinorError: The contact is a minor.
            NotFoundError: No such line.
            ValidationError: The line is a question, the contact type does not fit,
                or an argument is invalid.
            AutomaticQuestionError: The question is classified automatically.
            MultipleAnswersNotAllowedError: The contact has another answer to the
                question, which does not allow several.
            AlreadyExistsError: The contact already has this answer.
        """
        if not isinstance(contact, ProfileContact):
            raise ValidationError("contact", contact, "must be a ProfileContact")
        if contact.minor:
            raise ProfileForMinorError(contact.no)
        answer = self.answer(line_no)
        question = self.question_of(line_no)
        if question.auto_contact_classification:
            raise AutomaticQuestionError(self.code, question.line_no)
        if not _fits(self.contact_type, contact):
            raise ValidationError(
                "contact",
                contact.no,
                f"does not fit contact type {self.contact_type!r}",
            )
        own = {
            a.line_no
            for a in _answer_list(existing)
            if a.contact_no == contact.no and a.questionnaire_code == self.code
        }
        if line_no in own:
            raise AlreadyExistsError(
                "contact profile answer", (contact.no, self.code, line_no)
            )
        others = sorted(own & {a.line_no for a in self.answers_to(question.line_no)})
        if others and not question.multiple_answers:
            raise MultipleAnswersNotAllowedError(
                contact.no, self.code, question.line_no, others[0]
            )
        return ContactProfileAnswer(
            contact_no=contact.no,
            questionnaire_code=self.code,
            line_no=line_no,
            contact_company_no=contact.company,
            questionnaire_priority=self.priority,
            answer_priority=answer.priority,
            last_date_updated=on,
            value_text=value_text,
        )

    def check_answer_removable(self, line_no: int) -> None:
        """Refuse removing a contact's answer to an automatic question (§2.13 rule 2).

        Raises:
            NotFoundError: No such line.
            ValidationError: The line is a question.
            AutomaticQuestionError: The question is classified automatically.
        """
        question = self.question_of(line_no)
        if question.auto_contact_classification:
            raise AutomaticQuestionError(self.code, question.line_no)


def _answer_list(answers: object) -> list[ContactProfileAnswer]:
    if isinstance(answers, str) or not isinstance(answers, Iterable):
        raise ValidationError("answers", answers, "must be contact profile answers")
    checked = list(answers)
    for answer in checked:
        if not isinstance(answer, ContactProfileAnswer):
            raise ValidationError("answers", answer, "must be a ContactProfileAnswer")
    return checked


def _class_field_effects(
    question: ProfileQuestion, new: ClassField | None
) -> dict[str, object]:
    changes: dict[str, object] = {"class_field": new}
    if new is None:
        return changes
    if new is ContactClassField.RATING:
        changes.update(
            classification_method=ClassificationMethod.DEFINED_VALUE,
            sorting_method=SortingMethod.BLANK,
            starting_date_formula=None,
            ending_date_formula=None,
        )
    elif question.classification_method is ClassificationMethod.BLANK:
        changes["classification_method"] = ClassificationMethod.DEFINED_VALUE
    return changes


def _method_effects(method: ClassificationMethod | str) -> dict[str, object]:
    checked = _enum(ClassificationMethod, "classification_method", method)
    changes: dict[str, object] = {"classification_method": checked}
    if checked in (
        ClassificationMethod.PERCENTAGE_OF_VALUE,
        ClassificationMethod.PERCENTAGE_OF_CONTACTS,
    ):
        changes["sorting_method"] = SortingMethod.DESCENDING
    elif checked is ClassificationMethod.DEFINED_VALUE:
        changes["sorting_method"] = SortingMethod.BLANK
    return changes


def _fits(contact_type: QuestionnaireContactType, contact: ProfileContact) -> bool:
    if contact_type is QuestionnaireContactType.COMPANIES:
        return contact.is_company
    if contact_type is QuestionnaireContactType.PEOPLE:
        return not contact.is_company
    return True


def refresh_priorities(
    answers: Iterable[ContactProfileAnswer], questionnaire: ProfileQuestionnaire
) -> tuple[ContactProfileAnswer, ...]:
    """Copy the current header and answer priorities into contact answers (§2.13).

    BC pushes a priority change on the header or on an answer line to the existing
    contact answers; this returns the answers of ``questionnaire`` whose priorities
    differ, with the new values (others are left out).

    Raises:
        NotFoundError: An answer of this questionnaire refers to a missing line.
        ValidationError: ... or to a question line.

    >>> q = ProfileQuestionnaire(code="q")
    >>> a = q.add_answer(q.add_question("Q?").line_no, "A")
    >>> given = q.record_answer(ProfileContact(no="c1", is_company=True), a.line_no,
    ...                         on=date(2026, 1, 1))
    >>> q.change_priority("High")
    >>> [x.questionnaire_priority for x in refresh_priorities([given], q)]
    [<QuestionnairePriority.HIGH: 'High'>]
    """
    changed = []
    for answer in answers:
        if answer.questionnaire_code != questionnaire.code:
            continue
        fresh = attrs.evolve(
            answer,
            questionnaire_priority=questionnaire.priority,
            answer_priority=questionnaire.answer(answer.line_no).priority,
        )
        if fresh != answer:
            changed.append(fresh)
    return tuple(changed)


# --- automatic classification (§2.13.1, report 5199) ---------------------------------


class ClassificationSource(Protocol):
    """Where the classification job gets its statistics (§2.13.1 step 4).

    The host computes them from its ledgers; :func:`frequency_per_year`,
    :func:`average_amount`, :func:`discount_percentage`, :func:`won_percentage` and
    :func:`average_overdue_days` give BC's formulas.
    """

    def class_values(
        self, field: ClassField, *, starting: date, ending: date
    ) -> Mapping[str, Decimal]:
        """Return one value per candidate contact for ``field`` over the period.

        Customer (vendor) fields: one value per customer (vendor) linked to a
        contact, keyed by that (company) contact's number. Contact fields: one value
        per contact, keyed by its number, zeros included (every candidate counts in
        the percentage methods).

        Args:
            field: The class field (never ``Rating`` or a ``BLANK``).
            starting: First day of the period (*FromDate*).
            ending: Last day of the period (*ToDate*).
        """
        ...


def _score_value(value: object) -> Decimal:
    return _decimal(value, "value")


def _optional_percentage(value: object) -> Decimal | None:
    return None if value is None else _decimal(value, "percentage")


@frozen(kw_only=True)
class ClassificationScore:
    """How one candidate fared on one automatic question: explains the result.

    Attributes:
        questionnaire_code: The questionnaire.
        question_line_no: The question.
        contact_no: The candidate.
        value: Its value (rounded to the question's decimals with Defined Value;
            points for a rating).
        percentage: Percentage of Value: its share of the total; Percentage of
            Contacts: its cumulative share of candidates; else ``None``.
        rank: Percentage of Contacts: its place in the sorted list (1 = first).

    >>> ClassificationScore(questionnaire_code="Q", question_line_no=10000,
    ...     contact_no="C1", value=Decimal(3)).percentage is None
    True
    """

    questionnaire_code: Code = field(converter=_code20)
    question_line_no: int = field(validator=_line_no)
    contact_no: ContactNo = field(converter=_contact_no)
    value: Decimal = field(converter=_score_value)
    percentage: Decimal | None = field(default=None, converter=_optional_percentage)
    rank: int | None = None


@frozen(kw_only=True)
class ClassificationResult:
    """What a classification run computed: the new answers and what they replace.

    The service deletes the existing contact answers on ``replaced_lines`` (only for
    ``contact_no`` when it is set) and stores ``answers``.

    Attributes:
        answers: The new contact answers of the processed questions, sorted by key.
        replaced_lines: Every answer line (code, line no.) of the processed questions.
        scores: Each candidate's value, percentage and rank per question.
        contact_no: Set when only one contact was rated (:func:`rate_contact`).

    >>> ClassificationResult().answers_of("CT1")
    ()
    """

    answers: tuple[ContactProfileAnswer, ...] = ()
    replaced_lines: frozenset[tuple[Code, int]] = frozenset()
    scores: tuple[ClassificationScore, ...] = ()
    contact_no: ContactNo | None = None

    def answers_of(self, contact_no: str) -> tuple[ContactProfileAnswer, ...]:
        """The new answers of one contact."""
        return tuple(a for a in self.answers if a.contact_no == contact_no)


@define
class _Run:
    """The state of one classification run: the answers as they are being rebuilt."""

    by_code: dict[Code, ProfileQuestionnaire]
    contacts: dict[ContactNo, ProfileContact]
    held: dict[ContactNo, dict[tuple[Code, int], ContactProfileAnswer]]
    today: date
    scores: list[ClassificationScore] = attrs.Factory(list)
    persons: dict[ContactNo, list[ProfileContact]] = attrs.Factory(dict)

    def __attrs_post_init__(self) -> None:
        for contact in self.contacts.values():
            if not contact.is_company and contact.company_no is not None:
                self.persons.setdefault(contact.company_no, []).append(contact)

    def forget(
        self, lines: Collection[tuple[Code, int]], only: ContactNo | None
    ) -> None:
        for contact_no, answers in self.held.items():
            if only is None or contact_no == only:
                for key in [key for key in answers if key in lines]:
                    del answers[key]

    def has_answer_to(
        self, contact_no: ContactNo, lines: Collection[tuple[Code, int]]
    ) -> bool:
        return any(key in lines for key in self.held.get(contact_no, {}))

    def mark(
        self,
        header: ProfileQuestionnaire,
        question: ProfileQuestion,
        answer: ProfileAnswer,
        candidate: _Candidate,
    ) -> None:
        """BC's MarkContact (§2.13.1 step 8)."""
        contact = self.contacts[candidate.contact_no]
        if (
            contact.is_company
            and isinstance(question.class_field, CustomerClassField | VendorClassField)
            and header.contact_type is not QuestionnaireContactType.COMPANIES
        ):
            for person in self.persons.get(contact.no, ()):
                self.mark(
                    header,
                    question,
                    answer,
                    attrs.evolve(candidate, contact_no=person.no),
                )
        # A minor cannot have profile answers (§2.15): skipped, not an error.
        if contact.minor or not _fits(header.contact_type, contact):
            return
        held = self.held.setdefault(contact.no, {})
        if (header.code, answer.line_no) in held:
            return
        held[(header.code, answer.line_no)] = ContactProfileAnswer(
            contact_no=contact.no,
            questionnaire_code=header.code,
            line_no=answer.line_no,
            contact_company_no=contact.company,
            questionnaire_priority=header.priority,
            answer_priority=answer.priority,
            questions_answered_pct=candidate.questions_answered_pct,
            last_date_updated=candidate.update_date or self.today,
        )


@frozen
class _Candidate:
    contact_no: ContactNo
    value: Decimal
    update_date: date | None = None
    questions_answered_pct: Decimal = Decimal(0)


def _setup_error(
    header: ProfileQuestionnaire, question: ProfileQuestion, name: str, reason: str
) -> ClassificationSetupError:
    return ClassificationSetupError(
        header.code, question.line_no, name, getattr(question, name), reason
    )


def _period(
    header: ProfileQuestionnaire, question: ProfileQuestion, on: date
) -> tuple[date, date]:
    """Check the settings and work out FromDate..ToDate (§2.13.1 steps 1 and 3)."""
    for name in ("starting_date_formula", "ending_date_formula"):
        if getattr(question, name) is None:
            raise _setup_error(
                header, question, name, "is required for automatic classification"
            )
    if question.classification_method is ClassificationMethod.BLANK:
        raise _setup_error(
            header,
            question,
            "classification_method",
            "is required for automatic classification",
        )
    if (
        question.classification_method is not ClassificationMethod.DEFINED_VALUE
        and question.sorting_method is SortingMethod.BLANK
    ):
        raise _setup_error(
            header, question, "sorting_method", "is required by the percentage methods"
        )
    starting = calc_date(cast("DateFormula", question.starting_date_formula), on)
    ending = calc_date(cast("DateFormula", question.ending_date_formula), on)
    if ending < starting:
        raise ClassificationSetupError(
            header.code,
            question.line_no,
            "ending_date_formula",
            (starting, ending),
            "gives an ending date before the starting date",
        )
    return starting, ending


def _passes_header(
    run: _Run,
    header: ProfileQuestionnaire,
    contact: ProfileContact,
    *,
    own_relations: bool,
) -> bool:
    """BC's GetContactNo filters (§2.13.1 step 4)."""
    if (
        header.contact_type is QuestionnaireContactType.COMPANIES
        and not contact.is_company
    ):
        return False
    if header.business_relation_code is None:
        return True
    if own_relations:
        holder: ProfileContact | None = contact
    elif contact.company is None:
        holder = None
    else:
        holder = run.contacts.get(contact.company)
    return holder is not None and (
        header.business_relation_code in holder.business_relation_codes
    )


def _candidates(
    run: _Run,
    header: ProfileQuestionnaire,
    question: ProfileQuestion,
    values: Mapping[str, Decimal],
) -> list[_Candidate]:
    if not isinstance(values, Mapping):
        raise ValidationError("class_values", values, "must be a mapping")
    own_relations = isinstance(
        question.class_field, CustomerClassField | VendorClassField
    )
    candidates = []
    seen: set[ContactNo] = set()
    for key, raw in values.items():
        contact_no = _contact_no(key)
        if contact_no in seen:
            raise ValidationError("class_values", contact_no, "appears twice")
        seen.add(contact_no)
        contact = run.contacts.get(contact_no)
        if contact is None:
            raise ValidationError("class_values", contact_no, "is not a known contact")
        value = _decimal(raw, "class_values")
        if not _passes_header(run, header, contact, own_relations=own_relations):
            continue
        if question.classification_method is ClassificationMethod.DEFINED_VALUE:
            value = round_amount(value, _precision(question.no_of_decimals))
        candidates.append(_Candidate(contact_no, value))
    return candidates


def _assign(
    run: _Run,
    header: ProfileQuestionnaire,
    question: ProfileQuestion,
    candidates: list[_Candidate],
) -> None:
    """Give each candidate the answers its value fits (§2.13.1 steps 5 to 7)."""
    method = question.classification_method
    precision = _precision(question.no_of_decimals)
    ordered = sorted(candidates, key=lambda c: (c.value, c.contact_no))
    if question.sorting_method is SortingMethod.DESCENDING:
        ordered.reverse()
    total = sum((c.value for c in candidates), Decimal(0))
    measured: list[tuple[_Candidate, Decimal]] = []
    for rank, candidate in enumerate(ordered, start=1):
        percentage: Decimal | None = None
        if method is ClassificationMethod.PERCENTAGE_OF_VALUE:
            share = (
                _ARITHMETIC.divide(
                    _ARITHMETIC.multiply(Decimal(100), candidate.value), total
                )
                if total != 0
                else Decimal(0)
            )
            percentage = round_amount(share, precision)
        elif method is ClassificationMethod.PERCENTAGE_OF_CONTACTS:
            share = _ARITHMETIC.divide(Decimal(100 * rank), Decimal(len(ordered)))
            percentage = round_amount(share, precision)
        measured.append(
            (candidate, candidate.value if percentage is None else percentage)
        )
        run.scores.append(
            ClassificationScore(
                questionnaire_code=header.code,
                question_line_no=question.line_no,
                contact_no=candidate.contact_no,
                value=candidate.value,
                percentage=percentage,
                rank=rank
                if method is ClassificationMethod.PERCENTAGE_OF_CONTACTS
                else None,
            )
        )
    for answer in header.answers_to(question.line_no):
        for candidate, measure in measured:
            if answer.matches(measure):
                run.mark(header, question, answer, candidate)


def _answer_lines(
    header: ProfileQuestionnaire, question: ProfileQuestion
) -> set[tuple[Code, int]]:
    return {(header.code, a.line_no) for a in header.answers_to(question.line_no)}


def _rated_question(
    run: _Run, point: RatingPoint
) -> tuple[ProfileQuestionnaire, ProfileQuestion]:
    header = run.by_code.get(point.questionnaire_code)
    if header is None:
        raise ValidationError(
            "rating_points", point.answer, "rates an unknown questionnaire"
        )
    try:
        return header, header.question_of(point.line_no)
    except (NotFoundError, ValidationError):
        raise ValidationError(
            "rating_points", point.answer, "must rate an existing answer line"
        ) from None


def _rating_order(
    run: _Run, ratings: list[tuple[ProfileQuestionnaire, ProfileQuestion]]
) -> list[tuple[ProfileQuestionnaire, ProfileQuestion]]:
    """Dependencies first; BC's repeated passes over the marked rating lines (§2.13.1)."""
    pending = {(h.code, q.line_no): (h, q) for h, q in ratings}
    depends: dict[tuple[Code, int], set[tuple[Code, int]]] = {}
    for key, (_, question) in pending.items():
        needs = set()
        for point in question.rating_points:
            header, rated = _rated_question(run, point)
            if rated.rating_points:  # BC: the rated answer's question has rating rows
                needs.add((header.code, rated.line_no))
        depends[key] = needs
    order: list[tuple[ProfileQuestionnaire, ProfileQuestion]] = []
    while pending:
        ready = [key for key in sorted(pending) if not depends[key] & pending.keys()]
        if not ready:
            raise RatingLoopError(tuple(sorted(pending)))
        order.extend(pending.pop(key) for key in ready)
    return order


def _rate(
    run: _Run,
    header: ProfileQuestionnaire,
    question: ProfileQuestion,
    only: ContactNo | None,
) -> None:
    """Score the contacts on one rating question (§2.13.1, rating questions)."""
    run.forget(_answer_lines(header, question), only)
    groups: dict[tuple[Code, int], set[tuple[Code, int]]] = {}
    for point in question.rating_points:
        rated_header, rated = _rated_question(run, point)
        groups.setdefault(
            (rated_header.code, rated.line_no), _answer_lines(rated_header, rated)
        )
    candidates = []
    for contact in sorted(run.contacts.values(), key=lambda c: c.no):
        if (only is not None and contact.no != only) or not _passes_header(
            run, header, contact, own_relations=False
        ):
            continue
        held = run.held.get(contact.no, {})
        points = Decimal(0)
        update = run.today
        for point in question.rating_points:
            given = held.get(point.answer)
            if given is not None:
                points = _ARITHMETIC.add(points, point.points)
                update = min(update, given.last_date_updated)
        answered = sum(
            1 for lines in groups.values() if run.has_answer_to(contact.no, lines)
        )
        pct = (
            _ARITHMETIC.multiply(
                _ARITHMETIC.divide(Decimal(answered), Decimal(len(groups))),
                Decimal(100),
            )
            if groups
            else Decimal(0)
        )
        if pct >= question.min_pct_questions_answered:
            value = round_amount(points, _precision(question.no_of_decimals))
            candidates.append(_Candidate(contact.no, value, update, pct))
    _assign(run, header, question, candidates)


def _start(
    questionnaires: Iterable[ProfileQuestionnaire],
    contacts: Iterable[ProfileContact],
    answers: Iterable[ContactProfileAnswer],
    today: date,
) -> _Run:
    by_code: dict[Code, ProfileQuestionnaire] = {}
    for questionnaire in questionnaires:
        if not isinstance(questionnaire, ProfileQuestionnaire):
            raise ValidationError(
                "questionnaires", questionnaire, "must be a ProfileQuestionnaire"
            )
        if questionnaire.code in by_code:
            raise ValidationError("questionnaires", questionnaire.code, "appears twice")
        by_code[questionnaire.code] = questionnaire
    known: dict[ContactNo, ProfileContact] = {}
    for contact in contacts:
        if not isinstance(contact, ProfileContact):
            raise ValidationError("contacts", contact, "must be a ProfileContact")
        if contact.no in known:
            raise ValidationError("contacts", contact.no, "appears twice")
        known[contact.no] = contact
    held: dict[ContactNo, dict[tuple[Code, int], ContactProfileAnswer]] = {}
    for answer in _answer_list(answers):
        held.setdefault(answer.contact_no, {})[answer.answer] = answer
    return _Run(by_code, known, held, _check_date("today", today))


def _result(
    run: _Run, lines: set[tuple[Code, int]], only: ContactNo | None
) -> ClassificationResult:
    answers = sorted(
        (
            a
            for contact_no, held in run.held.items()
            if only is None or contact_no == only
            for key, a in held.items()
            if key in lines
        ),
        key=lambda a: a.key,
    )
    scores = sorted(
        run.scores,
        key=lambda s: (s.questionnaire_code, s.question_line_no, s.contact_no),
    )
    return ClassificationResult(
        answers=tuple(answers),
        replaced_lines=frozenset(lines),
        scores=tuple(scores),
        contact_no=only,
    )


def _ratings(run: _Run) -> list[tuple[ProfileQuestionnaire, ProfileQuestion]]:
    found = [(h, q) for h in run.by_code.values() for q in h.questions if q.is_rating]
    return _rating_order(run, found)


def classify_contacts(
    questionnaires: Iterable[ProfileQuestionnaire],
    *,
    contacts: Iterable[ProfileContact],
    source: ClassificationSource,
    on: date,
    today: date,
    answers: Iterable[ContactProfileAnswer] = (),
) -> ClassificationResult:
    """Run *Update Contact Classification* (report 5199, spec §2.13.1) without storage.

    Every question with *Auto Contact Classification* is rebuilt from scratch:
    non-rating questions first (questionnaires by code, lines in order), then the
    rating questions, each after the rating questions it depends on.

    Non-rating question: FromDate/ToDate = ``calc_date`` of the starting/ending
    formulas on ``on``; one value per candidate from ``source``; candidates that fail
    the header filters (Contact Type Companies, Business Relation Code: the
    contact's own for customer/vendor fields, its company's for contact fields) are
    dropped. With Defined Value each value is rounded to the question's decimals and
    matched with :func:`in_range`; Percentage of Value matches
    ``Round(100 * value / total)`` (0 when the total is 0); Percentage of Contacts
    sorts the candidates (ties by contact number, the whole key reversed for
    Descending) and matches the cumulative share ``Round(100 * rank / N)``. Every
    answer whose range fits is given, so overlapping ranges give several answers.

    Rating question: a contact's points are the sum of the rating points of the
    rated answers it has; *Questions Answered (%)* is the share of the rated
    questions it has any answer to; a contact below *Min. % Questions Answered* is
    not rated; the points are then matched like Defined Value. *Last Date Updated* is
    the earliest date of the contributing answers (``today`` at the latest).

    Marking (step 8): a company classified by a customer or vendor field also marks
    its persons, unless the questionnaire is for companies only; then only contacts
    of the questionnaire's contact type are given the answer. Minors are skipped:
    a minor cannot have profile answers (§2.15; BC's job does not check this).

    Args:
        questionnaires: Every questionnaire (ratings may rate answers of others).
        contacts: Every contact, as :class:`ProfileContact`.
        source: The statistics per candidate (see :class:`ClassificationSource`).
        on: The job's *Date* (BC: WORKDATE), the base of the date formulas.
        today: TODAY: the *Last Date Updated* of computed answers.
        answers: The existing contact answers (manual answers feed ratings; those
            of automatic questions are replaced).

    Returns:
        The new answers of all automatic questions and what they replace.

    Raises:
        ClassificationSetupError: A question lacks a date formula, a method or a
            sorting method, or its period ends before it starts.
        RatingLoopError: Rating questions depend on each other in a cycle.
        ValidationError: Malformed input: unknown contacts or bad values from the
            source, duplicate contacts or questionnaires, a rating of a missing
            answer, a date formula leaving the calendar.

    >>> q = ProfileQuestionnaire(code="sales", contact_type="Companies")
    >>> question = q.add_question("Sales")
    >>> _ = q.configure_question(question.line_no, auto_contact_classification=True,
    ...     class_field=CustomerClassField.SALES, starting_date_formula="-1Y",
    ...     ending_date_formula="0D")
    >>> big = q.add_answer(question.line_no, "Big", from_value=Decimal(1000))
    >>> class Figures:
    ...     def class_values(self, field, *, starting, ending):
    ...         return {"C1": Decimal(5000), "C2": Decimal(10)}
    >>> result = classify_contacts([q], source=Figures(), on=date(2026, 3, 1),
    ...     today=date(2026, 3, 2), contacts=[ProfileContact(no="C1", is_company=True),
    ...     ProfileContact(no="C2", is_company=True)])
    >>> [(a.contact_no, a.line_no) for a in result.answers]
    [('C1', 20000)]
    """
    base = _check_date("on", on)
    run = _start(questionnaires, contacts, answers, today)
    automatic = [
        (header, question)
        for header in sorted(run.by_code.values(), key=lambda h: h.code)
        for question in header.questions
        if question.auto_contact_classification and not question.is_rating
    ]
    lines: set[tuple[Code, int]] = set()
    periods = [
        (header, question, _period(header, question, base))
        for header, question in automatic
    ]
    ratings = _ratings(run)
    for header, question, _ in periods:
        lines |= _answer_lines(header, question)
    run.forget(lines, None)
    for header, question, (starting, ending) in periods:
        if question.class_field is None:
            continue  # BC deletes the answers and finds no candidates
        values = source.class_values(
            question.class_field, starting=starting, ending=ending
        )
        _assign(run, header, question, _candidates(run, header, question, values))
    for header, question in ratings:
        lines |= _answer_lines(header, question)
        _rate(run, header, question, None)
    return _result(run, lines, None)


def rate_contact(
    questionnaires: Iterable[ProfileQuestionnaire],
    contact_no: str,
    *,
    contacts: Iterable[ProfileContact],
    answers: Iterable[ContactProfileAnswer],
    today: date,
) -> ClassificationResult:
    """Recompute one contact's rating answers (§2.13 rule 6, BC's ``UpdateRating``).

    Run it after a manual answer that a rating uses was added or removed: every
    rating question is recomputed for this contact only, in dependency order, as in
    :func:`classify_contacts`.

    Args:
        questionnaires: Every questionnaire.
        contact_no: The contact whose answers changed.
        contacts: Every contact (the contact and its company are needed).
        answers: The contact's answers after the change.
        today: TODAY, the latest *Last Date Updated*.

    Returns:
        The contact's new rating answers; ``replaced_lines`` are the rating
        questions' answer lines, for this contact only.

    Raises:
        RatingLoopError: Rating questions depend on each other in a cycle.
        ValidationError: Malformed input, or an unknown contact.

    >>> q = ProfileQuestionnaire(code="r")
    >>> asked = q.add_question("Likes us?")
    >>> yes = q.add_answer(asked.line_no, "Yes")
    >>> rating = q.add_question("Rating")
    >>> _ = q.configure_question(rating.line_no, auto_contact_classification=True,
    ...     class_field=ContactClassField.RATING)
    >>> _ = q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=Decimal(10))
    >>> good = q.add_answer(rating.line_no, "Good", from_value=Decimal(5))
    >>> c = ProfileContact(no="C1", is_company=True)
    >>> given = q.record_answer(c, yes.line_no, on=date(2026, 1, 10))
    >>> result = rate_contact([q], "C1", contacts=[c], answers=[given], today=date(2026, 2, 1))
    >>> [(a.line_no, a.last_date_updated, a.questions_answered_pct) for a in result.answers]
    [(40000, datetime.date(2026, 1, 10), Decimal('100'))]
    """
    run = _start(questionnaires, contacts, answers, today)
    only = _contact_no(contact_no)
    if only not in run.contacts:
        raise ValidationError("contact_no", only, "is not a known contact")
    lines: set[tuple[Code, int]] = set()
    for header, question in _ratings(run):
        lines |= _answer_lines(header, question)
        _rate(run, header, question, only)
    return _result(run, lines, only)
