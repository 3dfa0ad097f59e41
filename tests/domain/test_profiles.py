"""Profile questionnaires, contact profile answers and classification (spec §2.13, §2.13.1)."""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.profiles import (
    AnswerPriority,
    ClassField,
    ClassificationMethod,
    ClassificationResult,
    ClassificationScore,
    ContactClassField,
    ContactProfileAnswer,
    CustomerClassField,
    ProfileAnswer,
    ProfileContact,
    ProfileQuestion,
    ProfileQuestionnaire,
    QuestionnaireContactType,
    QuestionnairePriority,
    RatingPoint,
    SortingMethod,
    VendorClassField,
    average_amount,
    average_overdue_days,
    classify_contacts,
    discount_percentage,
    frequency_per_year,
    in_range,
    rate_contact,
    refresh_priorities,
    won_percentage,
)
from relationship_mgmt.errors import (
    AlreadyExistsError,
    AutomaticQuestionError,
    ClassificationSetupError,
    CodeTooLongError,
    DateFormulaError,
    DomainError,
    InUseError,
    MultipleAnswersNotAllowedError,
    NotFoundError,
    ProfileForMinorError,
    RatingLoopError,
    ValidationError,
)

ON = date(2026, 3, 1)
TODAY = date(2026, 3, 2)
D = Decimal


class Figures:
    """A ClassificationSource over fixed values; remembers the periods asked for."""

    def __init__(self, values: Mapping[ClassField, Mapping[str, Any]]) -> None:
        self.values = values
        self.asked: list[tuple[ClassField, date, date]] = []

    def class_values(
        self, field: ClassField, *, starting: date, ending: date
    ) -> Mapping[str, Decimal]:
        self.asked.append((field, starting, ending))
        return self.values.get(field, {})


def company(no: str, *relations: str, minor: bool = False) -> ProfileContact:
    return ProfileContact(
        no=no, is_company=True, business_relation_codes=relations, minor=minor
    )


def person(
    no: str, company_no: str | None = None, *, minor: bool = False
) -> ProfileContact:
    return ProfileContact(no=no, is_company=False, company_no=company_no, minor=minor)


def auto_questionnaire(
    field: ClassField = CustomerClassField.SALES,
    *,
    method: ClassificationMethod = ClassificationMethod.DEFINED_VALUE,
    contact_type: str = "Companies",
    decimals: int = 0,
    answers: tuple[tuple[str, Decimal | int, Decimal | int], ...] = (),
    code: str = "AUTO",
) -> tuple[ProfileQuestionnaire, ProfileQuestion]:
    q = ProfileQuestionnaire(code=code, contact_type=contact_type)
    question = q.add_question("Classified")
    question = q.configure_question(
        question.line_no,
        auto_contact_classification=True,
        class_field=field,
        classification_method=method,
        starting_date_formula="-1Y",
        ending_date_formula="0D",
        no_of_decimals=decimals,
    )
    for description, low, high in answers:
        q.add_answer(question.line_no, description, from_value=low, to_value=high)
    return q, question


def given_lines(result: ClassificationResult) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for answer in result.answers:
        out.setdefault(answer.contact_no, []).append(answer.line_no)
    return out


def by_description(
    q: ProfileQuestionnaire, result: ClassificationResult
) -> dict[str, list[str]]:
    return {
        no: [q.line(line).description for line in lines]
        for no, lines in given_lines(result).items()
    }


# --- InRange (§2.13.1 step 7) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (5, 1, 10, True),
        (1, 1, 10, True),
        (10, 1, 10, True),
        (11, 1, 10, False),
        (0, 1, 10, False),
        (50, 10, 0, True),
        (9, 10, 0, False),
        (-5, 0, 10, True),
        (11, 0, 10, False),
        (0, 0, 0, False),
        (5, 0, 0, False),
        (-5, -10, -1, True),
    ],
)
def test_in_range_follows_bc(
    value: int,
    low: int,
    high: int,
    expected: bool,  # noqa: FBT001
) -> None:
    # §2.13.1 step 7: a zero bound is open; From = To = 0 never matches (§11 item 15).
    assert in_range(D(value), D(low), D(high)) is expected


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_an_answer_with_both_bounds_zero_never_matches(value: Decimal) -> None:
    answer = ProfileAnswer(line_no=1, description="never")

    assert answer.never_matches
    assert not answer.matches(value)


# --- statistic formulas (§2.13.1 step 4) -------------------------------------------


def test_frequency_per_year_divides_by_the_period_in_years() -> None:
    # §2.13.1 step 4: count / ((ToDate - FromDate + 1) / 365).
    assert (
        frequency_per_year(6, starting=date(2025, 1, 1), ending=date(2025, 12, 31)) == 6
    )
    assert frequency_per_year(
        D(1), starting=date(2025, 1, 1), ending=date(2025, 1, 1)
    ) == D(365)
    with pytest.raises(ValidationError) as info:
        frequency_per_year(1, starting=date(2025, 1, 2), ending=date(2025, 1, 1))
    assert info.value.field == "ending"


def test_average_amount_is_zero_without_a_count() -> None:
    assert average_amount(D(10), 4) == D("2.5")
    assert average_amount(D(10), 0) == 0
    for bad in (-1, True, 1.5):
        with pytest.raises(ValidationError):
            average_amount(D(1), bad)  # type: ignore[arg-type]


def test_discount_percentage() -> None:
    # §2.13.1: 100 * Disc / (Sales + Disc), 0 when the denominator is 0.
    assert discount_percentage(D(900), D(100)) == 10
    assert discount_percentage(D(-100), D(100)) == 0


def test_won_percentage() -> None:
    assert won_percentage(1, 3) == 25
    assert won_percentage(0, 0) == 0
    with pytest.raises(ValidationError):
        won_percentage(-1, 2)


def test_average_overdue_days_counts_only_late_days() -> None:
    # §2.13.1: sum of max(0, closed - due) / number of closed invoices.
    invoices = [
        (date(2025, 1, 31), date(2025, 2, 10)),  # 10 days late
        (date(2025, 2, 28), date(2025, 2, 1)),  # early: 0
        (date(2025, 3, 1), date(2025, 3, 3)),  # 2 days late
    ]

    assert average_overdue_days(invoices) == 4
    assert average_overdue_days([]) == 0
    with pytest.raises(ValidationError):
        average_overdue_days([(date(2025, 1, 1),)])  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        average_overdue_days([(date(2025, 1, 1), "2025-01-02")])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "bad", [1.5, "1", True, D("NaN"), D("Infinity"), D("1E+40"), D("1E-40"), None]
)
def test_statistic_helpers_refuse_non_numbers(bad: object) -> None:
    with pytest.raises(ValidationError):
        discount_percentage(bad, D(1))  # type: ignore[arg-type]


# --- enums --------------------------------------------------------------------------


def test_priorities_keep_bc_option_order() -> None:
    assert [p.rank for p in QuestionnairePriority] == [0, 1, 2, 3, 4]
    assert [p.rank for p in AnswerPriority] == [0, 1, 2, 3, 4]
    # §2.13: Very Low (Hidden) is hidden from the profile summary, nothing else.
    assert [p.hidden for p in AnswerPriority] == [True, False, False, False, False]


def test_class_fields_of_customer_and_vendor_do_not_collide() -> None:
    # Both option lists have "Discount (%)" and "Avg. Overdue (Day)".
    assert CustomerClassField.DISCOUNT.value == VendorClassField.DISCOUNT.value
    assert len({CustomerClassField.DISCOUNT, VendorClassField.DISCOUNT}) == 2


# --- lines: values ---------------------------------------------------------------------


def test_question_exposes_bc_three_class_fields() -> None:
    # §2.13: at most one of the three class fields is set.
    question = ProfileQuestion(
        line_no=1,
        description="Q",
        auto_contact_classification=True,
        class_field=VendorClassField.PURCHASE,
    )

    assert question.vendor_class_field is VendorClassField.PURCHASE
    assert question.customer_class_field is CustomerClassField.BLANK
    assert question.contact_class_field is ContactClassField.BLANK
    for field in (CustomerClassField.DISCOUNT, ContactClassField.OPPORTUNITY_WON):
        other = attrs.evolve(question, class_field=field)
        assert field in (other.customer_class_field, other.contact_class_field)
        assert other.vendor_class_field is VendorClassField.BLANK
    assert (
        ProfileQuestion(
            line_no=1, description="Q", class_field=CustomerClassField.BLANK
        ).class_field
        is None
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"class_field": CustomerClassField.SALES}, "auto_contact_classification"),
        ({"class_field": "Sales (LCY)"}, "class_field"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 251}, "description"),
        ({"line_no": 0}, "line_no"),
        ({"line_no": True}, "line_no"),
        ({"no_of_decimals": 26}, "no_of_decimals"),
        ({"no_of_decimals": -26}, "no_of_decimals"),
        ({"min_pct_questions_answered": D(101)}, "min_pct_questions_answered"),
        ({"min_pct_questions_answered": 1.5}, "min_pct_questions_answered"),
        ({"multiple_answers": 1}, "multiple_answers"),
        ({"sorting_method": "Sideways"}, "sorting_method"),
        ({"starting_date_formula": 5}, "date_formula"),
        ({"rating_points": "x"}, "rating_points"),
        ({"rating_points": [1]}, "rating_points"),
    ],
)
def test_question_refuses_invalid_fields(changes: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {"line_no": 10000, "description": "Q", **changes}

    with pytest.raises(ValidationError) as info:
        ProfileQuestion(**fields)

    assert info.value.field == field


def test_rating_question_rules_hold_on_the_value() -> None:
    # §2.13: Rating means Defined Value, blank sorting, no date formulas.
    rating: dict[str, Any] = {
        "line_no": 1,
        "description": "R",
        "auto_contact_classification": True,
        "class_field": ContactClassField.RATING,
        "classification_method": ClassificationMethod.DEFINED_VALUE,
    }
    point = RatingPoint(questionnaire_code="X", line_no=2, points=D(1))
    assert ProfileQuestion(**rating, rating_points=[point]).is_rating

    for bad, field in (
        ({"classification_method": "Percentage of Value"}, "classification_method"),
        ({"sorting_method": "Ascending"}, "sorting_method"),
        ({"ending_date_formula": "1D"}, "starting_date_formula"),
    ):
        with pytest.raises(ValidationError) as info:
            ProfileQuestion(**{**rating, **bad})
        assert info.value.field == field
    with pytest.raises(ValidationError) as info:
        ProfileQuestion(line_no=1, description="Q", rating_points=[point])
    assert info.value.field == "rating_points"
    with pytest.raises(ValidationError):
        ProfileQuestion(**rating, rating_points=[point, point])


def test_empty_date_formula_means_none() -> None:
    question = ProfileQuestion(
        line_no=1,
        description="Q",
        starting_date_formula=DateFormula(),
        ending_date_formula=" ",
    )

    assert question.starting_date_formula is None
    assert question.ending_date_formula is None
    with pytest.raises(DateFormulaError):
        ProfileQuestion(line_no=1, description="Q", starting_date_formula="1X")


@pytest.mark.parametrize(
    "changes",
    [
        {"from_value": 1.5},
        {"to_value": "1"},
        {"from_value": D("NaN")},
        {"priority": "Urgent"},
        {"description": ""},
    ],
)
def test_answer_refuses_invalid_fields(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ProfileAnswer(**{"line_no": 1, "description": "A", **changes})


def test_rating_point_normalises_the_code() -> None:
    point = RatingPoint(questionnaire_code=" rate ", line_no=3, points=-2)

    assert point.answer == ("RATE", 3)
    assert point.points == D(-2)
    with pytest.raises(CodeTooLongError):
        RatingPoint(questionnaire_code="x" * 21, line_no=3, points=1)
    with pytest.raises(ValidationError):
        RatingPoint(questionnaire_code=" ", line_no=3, points=1)
    with pytest.raises(ValidationError):
        RatingPoint(questionnaire_code=3, line_no=3, points=1)


def test_profile_contact_rules() -> None:
    assert company("c1").company == "C1"
    assert ProfileContact(no="c1", is_company=True, company_no="c1").company == "C1"
    assert person("p1").company is None
    assert person("p1", " ").company_no is None
    assert company("c1", "cust", "", None).business_relation_codes == {"CUST"}  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        ProfileContact(no="c1", is_company=True, company_no="c2")
    assert info.value.field == "company_no"
    for bad in (
        {"no": " "},
        {"no": 1},
        {"business_relation_codes": "CUST"},
        {"business_relation_codes": [1]},
    ):
        arguments: dict[str, Any] = {"no": "c1", "is_company": True, **bad}
        with pytest.raises(ValidationError):
            ProfileContact(**arguments)


def test_contact_profile_answer_fields() -> None:
    answer = ContactProfileAnswer(
        contact_no="ct1",
        questionnaire_code="size",
        line_no=20000,
        last_date_updated=TODAY,
        value_text="secret",
    )

    assert answer.key == ("CT1", "SIZE", 20000)
    assert answer.answer == ("SIZE", 20000)
    assert "secret" not in repr(answer)
    for bad in (
        {"last_date_updated": "2026-01-01"},
        {"questions_answered_pct": D(-1)},
        {"value_text": "x" * 251},
        {"value_text": 5},
        {"answer_priority": "Top"},
    ):
        with pytest.raises(ValidationError):
            attrs.evolve(answer, **bad)


# --- the questionnaire: header ----------------------------------------------------


def test_header_defaults_and_normalisation() -> None:
    # §2.13 header: Priority Normal, Contact Type blank (both).
    q = ProfileQuestionnaire(code=" size ", business_relation_code=" cust ")

    assert q.code == "SIZE"
    assert q.business_relation_code == "CUST"
    assert q.priority is QuestionnairePriority.NORMAL
    assert q.contact_type is QuestionnaireContactType.BOTH
    assert q.lines == ()
    assert q.version == 0


def test_header_refuses_invalid_values() -> None:
    with pytest.raises(ValidationError):
        ProfileQuestionnaire(code="")
    with pytest.raises(CodeTooLongError):
        ProfileQuestionnaire(code="x" * 21)
    with pytest.raises(CodeTooLongError):
        ProfileQuestionnaire(code="Q", business_relation_code="x" * 11)
    with pytest.raises(ValidationError):
        ProfileQuestionnaire(code="Q", business_relation_code=5)
    with pytest.raises(ValidationError):
        ProfileQuestionnaire(code="Q", lines="abc")
    with pytest.raises(ValidationError):
        ProfileQuestionnaire(code="Q", lines=[1])


def test_header_verbs() -> None:
    q = ProfileQuestionnaire(code="Q")

    q.describe("Company size")
    q.restrict_to(contact_type="People", business_relation_code="cust")
    q.change_priority("Very High")

    assert q.description == "Company size"
    assert q.contact_type is QuestionnaireContactType.PEOPLE
    assert q.business_relation_code == "CUST"
    assert q.priority is QuestionnairePriority.VERY_HIGH
    with pytest.raises(ValidationError):
        q.describe("x" * 251)
    with pytest.raises(ValidationError):
        q.restrict_to(contact_type="Robots", business_relation_code="x")
    assert q.business_relation_code == "CUST"
    with pytest.raises(ValidationError):
        q.change_priority("Urgent")


def test_lines_must_be_ordered_and_start_with_a_question() -> None:
    # §2.13: lines in Line No. order; an answer belongs to the nearest question above.
    question = ProfileQuestion(line_no=10, description="Q")
    answer = ProfileAnswer(line_no=20, description="A")

    with pytest.raises(ValidationError):
        ProfileQuestionnaire(code="Q", lines=[answer])
    with pytest.raises(ValidationError):
        ProfileQuestionnaire(
            code="Q", lines=[question, ProfileAnswer(line_no=10, description="A")]
        )
    with pytest.raises(ValidationError):
        ProfileQuestionnaire(code="Q", lines=[answer, question])
    bad_rating = ProfileQuestion(
        line_no=30,
        description="R",
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
        classification_method=ClassificationMethod.DEFINED_VALUE,
        rating_points=[RatingPoint(questionnaire_code="Q", line_no=10, points=D(1))],
    )
    with pytest.raises(ValidationError) as info:
        ProfileQuestionnaire(code="Q", lines=[question, answer, bad_rating])
    assert info.value.field == "rating_points"


# --- adding and reading lines ---------------------------------------------------------


def test_lines_are_numbered_like_bc() -> None:
    q = ProfileQuestionnaire(code="Q")

    first = q.add_question("First?")
    second = q.add_question("Second?")
    a1 = q.add_answer(first.line_no, "A1")
    a2 = q.add_answer(first.line_no, "A2")
    b1 = q.add_answer(second.line_no, "B1")
    between = q.add_question("Between?", before=second.line_no)
    a0 = q.add_answer(first.line_no, "A0", before=a1.line_no)

    assert [(line.line_no, line.description) for line in q.lines] == [
        (10000, "First?"),
        (12500, "A0"),
        (15000, "A1"),
        (17500, "A2"),
        (18750, "Between?"),
        (20000, "Second?"),
        (30000, "B1"),
    ]
    assert (a2.line_no, b1.line_no, between.line_no, a0.line_no) == (
        17500,
        30000,
        18750,
        12500,
    )
    assert q.questions == (first, between, second)
    assert q.answers_to(first.line_no) == (a0, a1, a2)
    assert q.answers_to(between.line_no) == ()
    assert q.question_of(a2.line_no) == first
    assert q.question_of(b1.line_no) == second


def test_a_question_can_go_before_the_first() -> None:
    q = ProfileQuestionnaire(code="Q")
    first = q.add_question("First?")

    zeroth = q.add_question("Zeroth?", before=first.line_no, multiple_answers=True)

    assert zeroth.line_no == 5000
    assert zeroth.multiple_answers
    assert q.questions == (zeroth, first)


def test_adding_refuses_when_no_line_number_is_free() -> None:
    q = ProfileQuestionnaire(
        code="Q",
        lines=[
            ProfileQuestion(line_no=1, description="Q1"),
            ProfileQuestion(line_no=2, description="Q2"),
        ],
    )

    with pytest.raises(ValidationError) as info:
        q.add_answer(1, "A")
    assert info.value.field == "line_no"
    with pytest.raises(ValidationError):
        q.add_question("Q1.5", before=2)
    assert len(q.lines) == 2


def test_adding_refuses_wrong_positions() -> None:
    q = ProfileQuestionnaire(code="Q")
    first = q.add_question("First?")
    a1 = q.add_answer(first.line_no, "A1")
    second = q.add_question("Second?")
    b1 = q.add_answer(second.line_no, "B1")

    with pytest.raises(ValidationError):
        q.add_question("X", before=a1.line_no)
    with pytest.raises(ValidationError):
        q.add_answer(a1.line_no, "X")
    with pytest.raises(ValidationError):
        q.add_answer(first.line_no, "X", before=b1.line_no)
    with pytest.raises(NotFoundError) as info:
        q.add_answer(99, "X")
    assert info.value.key == ("Q", 99)
    with pytest.raises(ValidationError):
        q.add_answer(first.line_no, "X", from_value=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        q.add_question("")
    assert len(q.lines) == 4


def test_reading_lines_by_kind() -> None:
    q = ProfileQuestionnaire(code="Q")
    question = q.add_question("Q?")
    answer = q.add_answer(question.line_no, "A")

    assert q.line(answer.line_no) == answer
    with pytest.raises(ValidationError):
        q.question(answer.line_no)
    with pytest.raises(ValidationError):
        q.answer(question.line_no)
    with pytest.raises(ValidationError):
        q.question_of(question.line_no)
    with pytest.raises(NotFoundError):
        q.line(5)


# --- configuring questions: BC's validate side effects (§2.13) ----------------------


@pytest.fixture
def q_and_question() -> tuple[ProfileQuestionnaire, ProfileQuestion]:
    q = ProfileQuestionnaire(code="Q")
    return q, q.add_question("Q?")


def test_setting_a_class_field_sets_defined_value_if_blank(
    q_and_question: tuple[ProfileQuestionnaire, ProfileQuestion],
) -> None:
    q, question = q_and_question

    changed = q.configure_question(
        question.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.PROFIT,
    )

    assert changed.classification_method is ClassificationMethod.DEFINED_VALUE
    assert q.question(question.line_no) == changed
    # ... but keeps a method that was already chosen.
    q.configure_question(question.line_no, classification_method="Percentage of Value")
    kept = q.configure_question(question.line_no, class_field=VendorClassField.PURCHASE)
    assert kept.classification_method is ClassificationMethod.PERCENTAGE_OF_VALUE
    assert (
        kept.customer_class_field is CustomerClassField.BLANK
    )  # setting one clears others


def test_percentage_methods_set_descending_and_defined_value_resets(
    q_and_question: tuple[ProfileQuestionnaire, ProfileQuestion],
) -> None:
    q, question = q_and_question

    pov = q.configure_question(
        question.line_no, classification_method="Percentage of Value"
    )
    asc = q.configure_question(question.line_no, sorting_method="Ascending")
    poc = q.configure_question(
        question.line_no, classification_method="Percentage of Contacts"
    )
    both = q.configure_question(
        question.line_no,
        classification_method="Percentage of Contacts",
        sorting_method="Ascending",
    )
    dv = q.configure_question(question.line_no, classification_method="Defined Value")
    blank = q.configure_question(question.line_no, sorting_method="Descending")
    blank = q.configure_question(question.line_no, classification_method="")

    assert pov.sorting_method is SortingMethod.DESCENDING
    assert asc.sorting_method is SortingMethod.ASCENDING
    assert poc.sorting_method is SortingMethod.DESCENDING
    assert both.sorting_method is SortingMethod.ASCENDING
    assert dv.sorting_method is SortingMethod.BLANK
    assert (
        blank.sorting_method is SortingMethod.DESCENDING
    )  # blank method leaves sorting


def test_rating_forces_defined_value_no_sorting_no_formulas(
    q_and_question: tuple[ProfileQuestionnaire, ProfileQuestion],
) -> None:
    q, question = q_and_question
    q.configure_question(
        question.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.INTERACTION_QUANTITY,
        classification_method="Percentage of Contacts",
        starting_date_formula="-1Y",
        ending_date_formula="0D",
    )

    rating = q.configure_question(
        question.line_no, class_field=ContactClassField.RATING
    )

    assert rating.classification_method is ClassificationMethod.DEFINED_VALUE
    assert rating.sorting_method is SortingMethod.BLANK
    assert rating.starting_date_formula is None
    assert rating.ending_date_formula is None
    with pytest.raises(ValidationError):
        q.configure_question(
            question.line_no, classification_method="Percentage of Value"
        )
    with pytest.raises(ValidationError):
        q.configure_question(question.line_no, starting_date_formula="1D")
    assert q.question(question.line_no) == rating


def test_clearing_auto_classification_needs_blank_class_fields(
    q_and_question: tuple[ProfileQuestionnaire, ProfileQuestion],
) -> None:
    q, question = q_and_question
    q.configure_question(
        question.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.SALES,
    )

    with pytest.raises(ValidationError) as info:
        q.configure_question(question.line_no, auto_contact_classification=False)
    assert info.value.field == "auto_contact_classification"
    cleared = q.configure_question(
        question.line_no, auto_contact_classification=False, class_field=None
    )
    assert cleared.class_field is None
    assert not cleared.auto_contact_classification


def test_configure_question_sets_plain_fields(
    q_and_question: tuple[ProfileQuestionnaire, ProfileQuestion],
) -> None:
    q, question = q_and_question

    changed = q.configure_question(
        question.line_no,
        description="Renamed?",
        multiple_answers=True,
        no_of_decimals=-2,
        min_pct_questions_answered=D(50),
        starting_date_formula="-CY",
        ending_date_formula=DateFormula.parse("CY"),
    )

    assert changed.description == "Renamed?"
    assert changed.multiple_answers
    assert changed.no_of_decimals == -2
    assert changed.min_pct_questions_answered == 50
    assert str(changed.starting_date_formula) == "-CY"
    assert str(changed.ending_date_formula) == "CY"
    with pytest.raises(ValidationError):
        q.configure_question(question.line_no, class_field="Sales (LCY)")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        q.configure_question(question.line_no, classification_method="Guess")
    assert q.question(question.line_no) == changed


def test_configure_answer(
    q_and_question: tuple[ProfileQuestionnaire, ProfileQuestion],
) -> None:
    q, question = q_and_question
    answer = q.add_answer(question.line_no, "A")

    changed = q.configure_answer(
        answer.line_no, description="B", from_value=1, to_value=D(9), priority="High"
    )

    assert (changed.description, changed.from_value, changed.to_value) == (
        "B",
        D(1),
        D(9),
    )
    assert changed.priority is AnswerPriority.HIGH
    assert q.answer(answer.line_no) == changed
    with pytest.raises(ValidationError):
        q.configure_answer(question.line_no, description="X")
    with pytest.raises(ValidationError):
        q.configure_answer(answer.line_no, to_value=0.5)  # type: ignore[arg-type]


# --- rating points (Rating table) ---------------------------------------------------------


def rating_questionnaire() -> tuple[
    ProfileQuestionnaire, ProfileQuestion, ProfileAnswer, ProfileQuestion
]:
    q = ProfileQuestionnaire(code="R")
    asked = q.add_question("Likes us?")
    yes = q.add_answer(asked.line_no, "Yes")
    rating = q.add_question("Rating")
    rating = q.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    return q, asked, yes, rating


def test_rate_and_unrate_answers() -> None:
    q, _, yes, rating = rating_questionnaire()

    point = q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=D(10))
    again = q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=7)
    other = q.rate_answer(
        rating.line_no,
        answer_line_no=10000,
        points=1,
        answer_questionnaire_code="other",
    )

    assert point.answer == ("R", yes.line_no)
    assert q.question(rating.line_no).rating_points == (again, other)
    q.unrate_answer(
        rating.line_no, answer_line_no=10000, answer_questionnaire_code="OTHER"
    )
    assert q.question(rating.line_no).rating_points == (again,)
    with pytest.raises(NotFoundError):
        q.unrate_answer(
            rating.line_no, answer_line_no=10000, answer_questionnaire_code="OTHER"
        )
    q.unrate_answer(rating.line_no, answer_line_no=yes.line_no)
    assert q.question(rating.line_no).rating_points == ()


def test_rating_needs_a_rating_question_and_an_answer_line() -> None:
    q, asked, yes, rating = rating_questionnaire()

    with pytest.raises(ValidationError) as info:
        q.rate_answer(asked.line_no, answer_line_no=yes.line_no, points=1)
    assert info.value.field == "question_line_no"
    with pytest.raises(ValidationError):
        q.rate_answer(rating.line_no, answer_line_no=asked.line_no, points=1)
    with pytest.raises(NotFoundError):
        q.rate_answer(rating.line_no, answer_line_no=1, points=1)
    with pytest.raises(ValidationError):
        q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=0.5)  # type: ignore[arg-type]


def test_a_question_with_points_stays_a_rating() -> None:
    q, _, yes, rating = rating_questionnaire()
    q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=1)

    with pytest.raises(ValidationError):
        q.configure_question(
            rating.line_no, class_field=ContactClassField.INTERACTION_QUANTITY
        )


# --- switching the line type (§2.13 Type rules) ---------------------------------------


def test_convert_an_answer_to_a_question_and_back() -> None:
    q = ProfileQuestionnaire(code="Q")
    question = q.add_question("Q?")
    answer = q.add_answer(question.line_no, "Also a question?")
    below = q.add_answer(question.line_no, "Below")

    converted = q.convert_to_question(answer.line_no, no_of_contacts=0)

    assert converted == ProfileQuestion(
        line_no=answer.line_no, description="Also a question?"
    )
    assert q.question_of(below.line_no) == converted
    back = q.convert_to_answer(answer.line_no)
    assert back == ProfileAnswer(line_no=answer.line_no, description="Also a question?")
    assert q.question_of(below.line_no) == question


def test_switching_to_question_needs_no_contacts_and_zero_range() -> None:
    # §2.13: switching to Question needs No. of Contacts = 0 and From/To Value = 0.
    q = ProfileQuestionnaire(code="Q")
    question = q.add_question("Q?")
    answer = q.add_answer(question.line_no, "A", to_value=5)

    with pytest.raises(InUseError) as info:
        q.convert_to_question(answer.line_no, no_of_contacts=2)
    assert (info.value.key, info.value.used_by) == (
        ("Q", answer.line_no),
        "contact_profile_answer",
    )
    with pytest.raises(ValidationError) as error:
        q.convert_to_question(answer.line_no, no_of_contacts=0)
    assert error.value.field == "to_value"
    with pytest.raises(ValidationError):
        q.convert_to_question(answer.line_no, no_of_contacts="0")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        q.convert_to_question(question.line_no, no_of_contacts=0)


def test_switching_to_answer_needs_blank_question_fields() -> None:
    # §2.13: switching to Answer needs all question-only fields blank or false.
    q = ProfileQuestionnaire(code="Q")
    first = q.add_question("First?")
    second = q.add_question("Second?", multiple_answers=True)

    with pytest.raises(ValidationError) as info:
        q.convert_to_answer(second.line_no)
    assert info.value.field == "multiple_answers"
    with pytest.raises(ValidationError):
        q.convert_to_answer(first.line_no)  # the first line stays a question
    q.configure_question(second.line_no, multiple_answers=False, no_of_decimals=2)
    with pytest.raises(ValidationError) as info:
        q.convert_to_answer(second.line_no)
    assert info.value.field == "no_of_decimals"


# --- moving lines -----------------------------------------------------------------


def three_questions() -> tuple[ProfileQuestionnaire, list[int]]:
    q = ProfileQuestionnaire(code="Q")
    nos = []
    for name in "ABC":
        question = q.add_question(f"{name}?")
        nos.append(question.line_no)
        nos.append(q.add_answer(question.line_no, f"{name}1").line_no)
        nos.append(q.add_answer(question.line_no, f"{name}2").line_no)
    return q, nos


def descriptions(q: ProfileQuestionnaire) -> list[str]:
    return [line.description for line in q.lines]


def test_move_a_question_with_its_answers() -> None:
    q, nos = three_questions()

    mapping = q.move_question(nos[6], before=nos[0])

    assert descriptions(q) == ["C?", "C1", "C2", "A?", "A1", "A2", "B?", "B1", "B2"]
    assert mapping == {70000: 2500, 80000: 5000, 90000: 7500}
    q.move_question(2500)
    assert descriptions(q) == ["A?", "A1", "A2", "B?", "B1", "B2", "C?", "C1", "C2"]
    q.move_question(nos[0], before=nos[6])
    assert descriptions(q)[:6] == ["B?", "B1", "B2", "A?", "A1", "A2"]


def test_move_an_answer_within_its_question() -> None:
    q, nos = three_questions()

    q.move_answer(nos[2], before=nos[1])
    assert descriptions(q)[:3] == ["A?", "A2", "A1"]
    q.move_answer(q.lines[1].line_no)
    assert descriptions(q)[:4] == ["A?", "A1", "A2", "B?"]
    q.move_answer(nos[7])
    assert descriptions(q)[-3:] == ["C?", "C2", "C1"]


def test_moves_refuse_lines_in_use_and_bad_targets() -> None:
    q, nos = three_questions()
    before = q.lines

    with pytest.raises(InUseError):
        q.move_question(nos[0], in_use={nos[1]})
    with pytest.raises(InUseError):
        q.move_answer(nos[1], in_use=[nos[1]])
    with pytest.raises(ValidationError):
        q.move_question(nos[0], before=nos[0])
    with pytest.raises(ValidationError):
        q.move_question(nos[0], before=nos[4])
    with pytest.raises(ValidationError):
        q.move_answer(nos[1], before=nos[4])
    with pytest.raises(ValidationError):
        q.move_answer(nos[1], before=nos[1])
    with pytest.raises(ValidationError):
        q.move_answer(nos[1], in_use=5)  # type: ignore[arg-type]
    assert q.lines == before


def test_moves_refuse_answers_rated_here() -> None:
    q, asked, yes, rating = rating_questionnaire()
    q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=1)

    with pytest.raises(InUseError) as info:
        q.move_question(asked.line_no)
    assert info.value.used_by == "contact_profile_answer or rating"
    q.move_question(
        rating.line_no, before=asked.line_no
    )  # the rating question moves freely
    assert q.questions[0].is_rating


# --- removing lines (§2.13 deletion rules) ---------------------------------------------


def test_remove_lines_and_the_refusals() -> None:
    q, asked, yes, rating = rating_questionnaire()
    q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=1)

    with pytest.raises(InUseError) as info:
        q.remove_question(asked.line_no)
    assert info.value.used_by == "profile_answer_lines"
    with pytest.raises(InUseError) as info:
        q.remove_answer(yes.line_no, no_of_contacts=0)
    assert info.value.used_by == "rating"
    with pytest.raises(InUseError) as info:
        q.remove_question(rating.line_no)
    assert info.value.used_by == "rating"
    q.unrate_answer(rating.line_no, answer_line_no=yes.line_no)
    with pytest.raises(InUseError) as info:
        q.remove_answer(yes.line_no, no_of_contacts=1)
    assert info.value.used_by == "contact_profile_answer"
    with pytest.raises(InUseError):
        q.remove_answer(yes.line_no, no_of_contacts=0, rated_elsewhere=True)
    with pytest.raises(ValidationError):
        q.remove_answer(yes.line_no, no_of_contacts=0, rated_elsewhere=1)  # type: ignore[arg-type]

    q.remove_answer(yes.line_no, no_of_contacts=0)
    q.remove_question(asked.line_no)
    q.remove_question(rating.line_no)

    assert q.lines == ()


# --- manual answers (§2.13 rules 1-5) --------------------------------------------------


@pytest.fixture
def survey() -> ProfileQuestionnaire:
    q = ProfileQuestionnaire(code="SURVEY", priority="High")
    one = q.add_question("One answer")
    q.add_answer(one.line_no, "Red", priority="Low")  # 20000
    q.add_answer(one.line_no, "Blue")  # 30000
    many = q.add_question("Many answers", multiple_answers=True)  # 40000
    q.add_answer(many.line_no, "Tea")  # 50000
    q.add_answer(many.line_no, "Coffee")  # 60000
    auto = q.add_question("Auto")  # 70000
    q.configure_question(
        auto.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.SALES,
    )
    q.add_answer(auto.line_no, "Big", from_value=1000)  # 80000
    return q


def test_record_answer_copies_priorities_and_company(
    survey: ProfileQuestionnaire,
) -> None:
    contact = person("p1", "c1")

    answer = survey.record_answer(contact, 20000, on=TODAY, value_text="picked")

    assert answer == ContactProfileAnswer(
        contact_no="P1",
        questionnaire_code="SURVEY",
        line_no=20000,
        contact_company_no="C1",
        questionnaire_priority=QuestionnairePriority.HIGH,
        answer_priority=AnswerPriority.LOW,
        last_date_updated=TODAY,
        value_text="picked",
    )


def test_record_answer_needs_an_answer_line(survey: ProfileQuestionnaire) -> None:
    # §2.13 rule 1.
    with pytest.raises(ValidationError):
        survey.record_answer(company("c1"), 10000, on=TODAY)
    with pytest.raises(NotFoundError):
        survey.record_answer(company("c1"), 12345, on=TODAY)


def test_record_answer_refuses_automatic_questions(
    survey: ProfileQuestionnaire,
) -> None:
    # §2.13 rule 2, for giving and for removing an answer.
    with pytest.raises(AutomaticQuestionError) as info:
        survey.record_answer(company("c1"), 80000, on=TODAY)
    assert (info.value.questionnaire_code, info.value.line_no) == ("SURVEY", 70000)
    with pytest.raises(AutomaticQuestionError):
        survey.check_answer_removable(80000)
    survey.check_answer_removable(20000)


def test_one_answer_per_question_unless_multiple_answers(
    survey: ProfileQuestionnaire,
) -> None:
    # §2.13 rule 3: "This Question does not allow Multiple Answers."
    contact = company("c1")
    red = survey.record_answer(contact, 20000, on=TODAY)
    tea = survey.record_answer(contact, 50000, on=TODAY, existing=[red])
    someone_else = survey.record_answer(company("c2"), 30000, on=TODAY)

    with pytest.raises(MultipleAnswersNotAllowedError) as info:
        survey.record_answer(
            contact, 30000, on=TODAY, existing=[red, tea, someone_else]
        )
    assert (
        info.value.contact_no,
        info.value.question_line_no,
        info.value.existing_line_no,
    ) == (
        "C1",
        10000,
        20000,
    )
    assert "does not allow Multiple Answers" in str(info.value)
    coffee = survey.record_answer(contact, 60000, on=TODAY, existing=[red, tea])
    assert coffee.line_no == 60000
    with pytest.raises(AlreadyExistsError):
        survey.record_answer(contact, 50000, on=TODAY, existing=[red, tea])


def test_minors_cannot_get_profile_answers(survey: ProfileQuestionnaire) -> None:
    # §2.13 rule 4, §2.15, reliability B.2 item 4.
    with pytest.raises(ProfileForMinorError) as info:
        survey.record_answer(person("p1", minor=True), 20000, on=TODAY)

    assert info.value.contact_no == "P1"
    assert isinstance(info.value, DomainError)
    assert "marked as Minor" in str(info.value)


def test_contact_type_must_fit(survey: ProfileQuestionnaire) -> None:
    # §2.13 rule 5 (a table-level check was not confirmed; the library checks it).
    survey.restrict_to(contact_type="Companies")
    with pytest.raises(ValidationError) as info:
        survey.record_answer(person("p1"), 20000, on=TODAY)
    assert info.value.field == "contact"
    survey.restrict_to(contact_type="People")
    with pytest.raises(ValidationError):
        survey.record_answer(company("c1"), 20000, on=TODAY)
    assert (
        survey.record_answer(person("p1"), 20000, on=TODAY).contact_company_no is None
    )


def test_record_answer_refuses_malformed_arguments(
    survey: ProfileQuestionnaire,
) -> None:
    with pytest.raises(ValidationError):
        survey.record_answer("c1", 20000, on=TODAY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        survey.record_answer(company("c1"), 20000, on="today")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        survey.record_answer(company("c1"), 20000, on=TODAY, existing=["x"])  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        survey.record_answer(company("c1"), 20000, on=TODAY, existing=5)  # type: ignore[arg-type]


def test_refresh_priorities_pushes_changes_to_answers(
    survey: ProfileQuestionnaire,
) -> None:
    # §2.13: header and answer priority changes are pushed to existing answers.
    red = survey.record_answer(company("c1"), 20000, on=TODAY)
    blue = survey.record_answer(company("c2"), 30000, on=TODAY)
    foreign = attrs.evolve(red, questionnaire_code="OTHER")

    assert refresh_priorities([red, blue, foreign], survey) == ()
    survey.configure_answer(20000, priority="Very Low (Hidden)")
    survey.change_priority("Low")
    refreshed = refresh_priorities([red, blue, foreign], survey)

    assert [
        (a.contact_no, a.questionnaire_priority, a.answer_priority) for a in refreshed
    ] == [
        ("C1", QuestionnairePriority.LOW, AnswerPriority.VERY_LOW_HIDDEN),
        ("C2", QuestionnairePriority.LOW, AnswerPriority.NORMAL),
    ]


# --- classification: Defined Value (§2.13.1) ---------------------------------------


SIZE_BANDS = (
    ("Small", 0, 999),
    ("Medium", 1000, 9999),
    ("Large", 10000, 0),
    ("Never", 0, 0),
)


def test_defined_value_worked_example() -> None:
    # §2.13.1 steps 3, 5, 6, 7. Period = calc_date("-1Y", ON) .. calc_date("0D", ON).
    # Values rounded to 0 decimals first: 500.4 -> 500 (Small), 999.5 -> 1000
    # (Medium: ties away from zero), 25000 (Large), 0 (Small: To only, 0 <= 999).
    # "Never" has From = To = 0 and matches nobody (§11 item 15).
    q, question = auto_questionnaire(answers=SIZE_BANDS)
    figures = Figures(
        {
            CustomerClassField.SALES: {
                "C1": D("500.4"),
                "C2": D("999.5"),
                "C3": 25000,
                "C4": D(0),
            }
        }
    )
    contacts = [company(f"C{i}") for i in range(1, 5)]

    result = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    assert figures.asked == [
        (CustomerClassField.SALES, date(2025, 3, 1), date(2026, 3, 1))
    ]
    assert by_description(q, result) == {
        "C1": ["Small"],
        "C2": ["Medium"],
        "C3": ["Large"],
        "C4": ["Small"],
    }
    assert [s.value for s in result.scores] == [D(500), D(1000), D(25000), D(0)]
    assert all(s.percentage is None and s.rank is None for s in result.scores)
    first = result.answers[0]
    assert (
        first.last_date_updated,
        first.questionnaire_priority,
        first.answer_priority,
    ) == (
        TODAY,
        QuestionnairePriority.NORMAL,
        AnswerPriority.NORMAL,
    )
    assert first.contact_company_no == "C1"
    assert result.replaced_lines == {
        ("AUTO", line.line_no) for line in q.answers_to(question.line_no)
    }
    assert (
        result.answers_of("C3")[0].line_no == q.answers_to(question.line_no)[2].line_no
    )


def test_defined_value_rounds_to_the_questions_decimals() -> None:
    # §2.13: precision 10^-No. of Decimals; -2 rounds to hundreds.
    q, _ = auto_questionnaire(
        decimals=-2, answers=(("Up to 100", 0, 100), ("More", 101, 0))
    )
    figures = Figures({CustomerClassField.SALES: {"C1": D(149), "C2": D(150)}})

    result = classify_contacts(
        [q], contacts=[company("C1"), company("C2")], source=figures, on=ON, today=TODAY
    )

    assert by_description(q, result) == {"C1": ["Up to 100"], "C2": ["More"]}


def test_overlapping_ranges_give_several_answers() -> None:
    # §2.13.1 step 6 loops over every answer: each fitting answer is given.
    q, _ = auto_questionnaire(answers=(("Any", 1, 0), ("Small", 1, 100)))
    figures = Figures({CustomerClassField.SALES: {"C1": D(50)}})

    result = classify_contacts(
        [q], contacts=[company("C1")], source=figures, on=ON, today=TODAY
    )

    assert by_description(q, result) == {"C1": ["Any", "Small"]}


# --- classification: Percentage of Value ------------------------------------------------


def test_percentage_of_value_worked_example() -> None:
    # §2.13.1: Prc = Round(100 * value / TotalValue). Total 1000: 60 %, 30 %, 10 %.
    q, _ = auto_questionnaire(
        method=ClassificationMethod.PERCENTAGE_OF_VALUE,
        answers=(("Key", 50, 0), ("Mid", 20, 49), ("Small", 0, 19)),
    )
    figures = Figures({CustomerClassField.SALES: {"C1": 600, "C2": 300, "C3": 100}})
    contacts = [company("C1"), company("C2"), company("C3")]

    result = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    assert by_description(q, result) == {"C1": ["Key"], "C2": ["Mid"], "C3": ["Small"]}
    assert [(s.contact_no, s.percentage) for s in result.scores] == [
        ("C1", D(60)),
        ("C2", D(30)),
        ("C3", D(10)),
    ]


def test_percentage_of_value_rounds_and_is_zero_for_a_zero_total() -> None:
    q, _ = auto_questionnaire(
        method=ClassificationMethod.PERCENTAGE_OF_VALUE,
        decimals=1,
        answers=(("Third", D("33.3"), D("33.3")), ("Low", 0, 19)),
    )
    thirds = Figures({CustomerClassField.SALES: {"C1": 1, "C2": 1, "C3": 1}})
    zeros = Figures({CustomerClassField.SALES: {"C1": 0, "C2": 0}})
    contacts = [company("C1"), company("C2"), company("C3")]

    by_thirds = classify_contacts(
        [q], contacts=contacts, source=thirds, on=ON, today=TODAY
    )
    by_zeros = classify_contacts(
        [q], contacts=contacts, source=zeros, on=ON, today=TODAY
    )

    # 100 * 1 / 3 = 33.33... rounds to 33.3 with one decimal.
    assert by_description(q, by_thirds) == {
        "C1": ["Third"],
        "C2": ["Third"],
        "C3": ["Third"],
    }
    assert by_description(q, by_zeros) == {"C1": ["Low"], "C2": ["Low"]}


# --- classification: Percentage of Contacts ---------------------------------------------


POC_BANDS = (("Top 40%", 0, 40), ("Middle", 41, 80), ("Bottom", 81, 0))


def test_percentage_of_contacts_worked_example() -> None:
    # §2.13.1: sort Descending, rank 1..N, Prc = Round(100 * rank / N): 20, 40, 60, 80, 100.
    q, _ = auto_questionnaire(
        method=ClassificationMethod.PERCENTAGE_OF_CONTACTS, answers=POC_BANDS
    )
    values = {"C1": 50, "C2": 40, "C3": 30, "C4": 20, "C5": 10}
    contacts = [company(no) for no in values]

    result = classify_contacts(
        [q],
        contacts=contacts,
        source=Figures({CustomerClassField.SALES: values}),
        on=ON,
        today=TODAY,
    )

    assert by_description(q, result) == {
        "C1": ["Top 40%"],
        "C2": ["Top 40%"],
        "C3": ["Middle"],
        "C4": ["Middle"],
        "C5": ["Bottom"],
    }
    assert {s.contact_no: (s.rank, s.percentage) for s in result.scores} == {
        "C1": (1, D(20)),
        "C2": (2, D(40)),
        "C3": (3, D(60)),
        "C4": (4, D(80)),
        "C5": (5, D(100)),
    }


def test_percentage_of_contacts_ascending_and_ties() -> None:
    # Ascending reverses the ranking; ties are ordered by contact no. (the table key),
    # reversed with the rest of the key for Descending.
    q, question = auto_questionnaire(
        method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
        answers=(("First half", 0, 50),),
    )
    values = {"C1": 10, "C2": 10, "C3": 5, "C4": 1}
    contacts = [company(no) for no in values]
    figures = Figures({CustomerClassField.SALES: values})

    descending = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )
    q.configure_question(question.line_no, sorting_method="Ascending")
    ascending = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    assert sorted(given_lines(descending)) == ["C1", "C2"]
    assert [
        s.contact_no for s in sorted(descending.scores, key=lambda s: s.rank or 0)
    ] == [
        "C2",
        "C1",
        "C3",
        "C4",
    ]
    assert sorted(given_lines(ascending)) == ["C3", "C4"]


def test_percentage_of_contacts_rounds_to_decimals() -> None:
    q, _ = auto_questionnaire(
        method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
        decimals=1,
        answers=(("Top third", 0, D("33.3")),),
    )
    values = {"C1": 3, "C2": 2, "C3": 1}

    result = classify_contacts(
        [q],
        contacts=[company(no) for no in values],
        source=Figures({CustomerClassField.SALES: values}),
        on=ON,
        today=TODAY,
    )

    assert [s.percentage for s in result.scores] == [D("33.3"), D("66.7"), D("100.0")]
    assert list(given_lines(result)) == ["C1"]


# --- classification: candidates and marking (§2.13.1 steps 4 and 8) ------------------


def test_customer_fields_mark_the_persons_of_a_company() -> None:
    # §2.13.1 step 8: a company classified by a customer field marks its persons too,
    # unless the questionnaire is for companies only. Minors are skipped (§2.15).
    contacts = [
        company("C1"),
        person("P1", "C1"),
        person("P2", "C1", minor=True),
        person("P3"),
    ]
    figures = Figures({CustomerClassField.SALES: {"C1": 5000}})
    answers = (("Big", 1000, 0),)

    both, _ = auto_questionnaire(contact_type="", answers=answers)
    people, _ = auto_questionnaire(contact_type="People", answers=answers)
    companies, _ = auto_questionnaire(contact_type="Companies", answers=answers)

    def who(q: ProfileQuestionnaire) -> list[str]:
        result = classify_contacts(
            [q], contacts=contacts, source=figures, on=ON, today=TODAY
        )
        return sorted(given_lines(result))

    assert who(both) == ["C1", "P1"]
    assert who(people) == ["P1"]
    assert who(companies) == ["C1"]


def test_a_contact_marked_twice_gets_the_answer_once() -> None:
    # §2.13.1 step 8: an existing answer is not inserted again.
    contacts = [company("C1"), person("P1", "C1")]
    q, _ = auto_questionnaire(contact_type="", answers=(("Big", 1000, 0),))
    figures = Figures({CustomerClassField.SALES: {"C1": 5000, "P1": 2000}})

    result = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    assert given_lines(result) == {"C1": [20000], "P1": [20000]}


def test_contact_fields_do_not_expand_and_people_filter_after_ranking() -> None:
    # Companies pass the candidate filter of a People questionnaire (only Companies is
    # checked there), so they count in N, but only persons get answers (step 8).
    q, _ = auto_questionnaire(
        ContactClassField.INTERACTION_QUANTITY,
        method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
        contact_type="People",
        answers=(("Top half", 0, 50),),
    )
    contacts = [company("C1"), person("P1", "C1"), person("P2", "C1")]
    figures = Figures(
        {ContactClassField.INTERACTION_QUANTITY: {"C1": 9, "P1": 5, "P2": 1}}
    )

    result = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    # Ranks: C1 33 %, P1 67 %, P2 100 %: nobody but C1 is in the top half, and C1 is
    # a company, so no answers at all.
    assert result.answers == ()
    assert len(result.scores) == 3


def test_companies_questionnaire_drops_persons_from_the_candidates() -> None:
    # §2.13.1 step 4: for Contact Type = Companies the contact must be a company.
    q, _ = auto_questionnaire(
        ContactClassField.INTERACTION_QUANTITY,
        method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
        answers=(("Top half", 0, 50),),
    )
    contacts = [company("C1"), company("C2"), person("P1", "C1")]
    figures = Figures(
        {ContactClassField.INTERACTION_QUANTITY: {"C1": 9, "C2": 1, "P1": 100}}
    )

    result = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    assert [s.contact_no for s in result.scores] == ["C1", "C2"]
    assert list(given_lines(result)) == ["C1"]


def test_business_relation_filter() -> None:
    # §2.13.1 step 4: customer fields check the contact's own relations, contact
    # fields the relations of the contact's company.
    contacts = [
        company("C1", "CUST"),
        company("C2", "PROSPECT"),
        person("P1", "C1"),
        person("P2", "C2"),
        person("P3"),
        person("P4", "GONE"),
    ]
    by_sales, _ = auto_questionnaire(contact_type="Companies", answers=(("Any", 1, 0),))
    by_sales.restrict_to(contact_type="Companies", business_relation_code="cust")
    by_interactions, _ = auto_questionnaire(
        ContactClassField.INTERACTION_QUANTITY,
        contact_type="People",
        answers=(("Any", 1, 0),),
    )
    by_interactions.restrict_to(contact_type="People", business_relation_code="CUST")
    figures = Figures(
        {
            CustomerClassField.SALES: {"C1": 1, "C2": 1},
            ContactClassField.INTERACTION_QUANTITY: {
                "P1": 1,
                "P2": 1,
                "P3": 1,
                "P4": 1,
            },
        }
    )

    sales = classify_contacts(
        [by_sales], contacts=contacts, source=figures, on=ON, today=TODAY
    )
    interactions = classify_contacts(
        [by_interactions], contacts=contacts, source=figures, on=ON, today=TODAY
    )

    assert list(given_lines(sales)) == ["C1"]
    assert list(given_lines(interactions)) == ["P1"]


def test_old_automatic_answers_are_replaced_and_manual_ones_kept() -> None:
    # §2.13.1 step 2: every existing answer of an automatic question is deleted.
    q, question = auto_questionnaire(answers=(("Big", 1000, 0),))
    manual = q.add_question("Manual")
    kept_line = q.add_answer(manual.line_no, "Kept")
    big = q.answers_to(question.line_no)[0]
    stale = ContactProfileAnswer(
        contact_no="C2",
        questionnaire_code="AUTO",
        line_no=big.line_no,
        last_date_updated=ON,
    )
    kept = ContactProfileAnswer(
        contact_no="C2",
        questionnaire_code="AUTO",
        line_no=kept_line.line_no,
        last_date_updated=ON,
    )
    figures = Figures({CustomerClassField.SALES: {"C1": 5000, "C2": 1}})

    result = classify_contacts(
        [q],
        contacts=[company("C1"), company("C2")],
        source=figures,
        on=ON,
        today=TODAY,
        answers=[stale, kept],
    )

    assert given_lines(result) == {"C1": [big.line_no]}
    assert result.replaced_lines == {("AUTO", big.line_no)}


def test_an_automatic_question_without_class_field_only_clears_answers() -> None:
    q = ProfileQuestionnaire(code="Q")
    question = q.add_question("Auto, no field")
    q.configure_question(
        question.line_no,
        auto_contact_classification=True,
        classification_method="Defined Value",
        starting_date_formula="-1Y",
        ending_date_formula="0D",
    )
    answer = q.add_answer(question.line_no, "A", from_value=1)
    figures = Figures({})

    result = classify_contacts(
        [q], contacts=[company("C1")], source=figures, on=ON, today=TODAY
    )

    assert result.answers == ()
    assert result.replaced_lines == {("Q", answer.line_no)}
    assert figures.asked == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starting_date_formula": None}, "starting_date_formula"),
        ({"ending_date_formula": None}, "ending_date_formula"),
        ({"classification_method": ""}, "classification_method"),
        (
            {"classification_method": "Percentage of Value", "sorting_method": ""},
            "sorting_method",
        ),
        ({"starting_date_formula": "1D"}, "ending_date_formula"),
    ],
)
def test_classification_needs_complete_settings(
    changes: dict[str, Any], field: str
) -> None:
    # §2.13.1 step 1 (formulas and a method; sorting for the percentage methods) and
    # step 3 (ToDate must not be before FromDate).
    q, question = auto_questionnaire(answers=(("Any", 1, 0),))
    q.configure_question(question.line_no, **changes)

    with pytest.raises(ClassificationSetupError) as info:
        classify_contacts([q], contacts=[], source=Figures({}), on=ON, today=TODAY)

    assert info.value.field == field
    assert (info.value.questionnaire_code, info.value.line_no) == (
        "AUTO",
        question.line_no,
    )
    assert isinstance(info.value, ValidationError)


# --- ratings (§2.13 Rating table, §2.13.1 rating questions) ------------------------------


def rated_setup() -> tuple[ProfileQuestionnaire, dict[str, int]]:
    q = ProfileQuestionnaire(code="RATE")
    fit = q.add_question("Industry fit")
    yes = q.add_answer(fit.line_no, "Fits")
    q.add_answer(fit.line_no, "Does not fit")
    size = q.add_question("Size")
    q.configure_question(
        size.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.SALES,
        starting_date_formula="-1Y",
        ending_date_formula="0D",
    )
    big = q.add_answer(size.line_no, "Big", from_value=1000)
    q.add_answer(size.line_no, "Small", to_value=999)
    rating = q.add_question("Rating")
    q.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
        min_pct_questions_answered=D(50),
    )
    q.rate_answer(rating.line_no, answer_line_no=yes.line_no, points=10)
    q.rate_answer(rating.line_no, answer_line_no=big.line_no, points=20)
    a = q.add_answer(rating.line_no, "A", from_value=25)
    b = q.add_answer(rating.line_no, "B", from_value=10, to_value=24)
    c = q.add_answer(rating.line_no, "C", to_value=9)
    return q, {
        "yes": yes.line_no,
        "big": big.line_no,
        "rating": rating.line_no,
        "A": a.line_no,
        "B": b.line_no,
        "C": c.line_no,
    }


def test_rating_worked_example() -> None:
    # C1: manual "Fits" (10) + computed "Big" (20) = 30 points -> A; both rated
    # questions answered: 100 %; dated by the older answer (the manual one).
    # C2: "Small" only: 0 points -> C; 1 of 2 rated questions answered: 50 % >= 50.
    # C3: no answers: 0 % < 50 %, not rated at all.
    q, lines = rated_setup()
    manual = ContactProfileAnswer(
        contact_no="C1",
        questionnaire_code="RATE",
        line_no=lines["yes"],
        last_date_updated=date(2026, 1, 10),
    )
    figures = Figures({CustomerClassField.SALES: {"C1": 5000, "C2": 10}})
    contacts = [company("C1"), company("C2"), company("C3")]

    result = classify_contacts(
        [q], contacts=contacts, source=figures, on=ON, today=TODAY, answers=[manual]
    )

    rating_answers: dict[str, ContactProfileAnswer] = {
        a.contact_no: a
        for a in result.answers
        if a.line_no in (lines["A"], lines["B"], lines["C"])
    }
    assert {no: a.line_no for no, a in rating_answers.items()} == {
        "C1": lines["A"],
        "C2": lines["C"],
    }
    assert rating_answers["C1"].questions_answered_pct == 100
    assert rating_answers["C1"].last_date_updated == date(2026, 1, 10)
    assert rating_answers["C2"].questions_answered_pct == 50
    assert rating_answers["C2"].last_date_updated == TODAY
    assert manual not in result.answers  # manual answers are not part of the result
    assert ("RATE", lines["A"]) in result.replaced_lines


def test_rate_contact_recomputes_one_contact() -> None:
    # §2.13 rule 6: a manual answer feeding a rating recomputes that contact's rating.
    q, lines = rated_setup()
    old_rating = ContactProfileAnswer(
        contact_no="C1",
        questionnaire_code="RATE",
        line_no=lines["C"],
        last_date_updated=ON,
    )
    other = ContactProfileAnswer(
        contact_no="C2",
        questionnaire_code="RATE",
        line_no=lines["C"],
        last_date_updated=ON,
    )
    fits = q.record_answer(company("C1"), lines["yes"], on=date(2026, 2, 1))
    big = ContactProfileAnswer(
        contact_no="C1",
        questionnaire_code="RATE",
        line_no=lines["big"],
        last_date_updated=ON,
    )

    result = rate_contact(
        [q],
        "c1",
        contacts=[company("C1"), company("C2")],
        answers=[old_rating, other, fits, big],
        today=TODAY,
    )

    assert [a.line_no for a in result.answers] == [lines["A"]]
    assert result.contact_no == "C1"
    assert result.answers[0].last_date_updated == date(2026, 2, 1)
    assert result.replaced_lines == {("RATE", lines[k]) for k in "ABC"}
    with pytest.raises(ValidationError):
        rate_contact([q], "nobody", contacts=[company("C1")], answers=[], today=TODAY)


def test_ratings_run_after_the_ratings_they_depend_on() -> None:
    # §2.13.1: a rating question is processed only after the ratings it uses.
    q, lines = rated_setup()
    outer = q.add_question("Outer rating")
    q.configure_question(
        outer.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    q.rate_answer(outer.line_no, answer_line_no=lines["A"], points=100)
    q.move_question(outer.line_no, before=q.questions[0].line_no)  # first in line order
    outer_line = q.questions[0].line_no
    star = q.add_answer(outer_line, "Star", from_value=100)
    manual = ContactProfileAnswer(
        contact_no="C1",
        questionnaire_code="RATE",
        line_no=lines["yes"],
        last_date_updated=ON,
    )

    result = classify_contacts(
        [q],
        contacts=[company("C1")],
        source=Figures({CustomerClassField.SALES: {"C1": 5000}}),
        on=ON,
        today=TODAY,
        answers=[manual],
    )

    assert star.line_no in given_lines(result)["C1"]


def test_ratings_across_questionnaires() -> None:
    q, lines = rated_setup()
    meta = ProfileQuestionnaire(code="META")
    rating = meta.add_question("Meta rating")
    meta.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    meta.rate_answer(
        rating.line_no,
        answer_line_no=lines["C"],
        points=1,
        answer_questionnaire_code="RATE",
    )
    low = meta.add_answer(rating.line_no, "Low scorer", from_value=1)

    result = classify_contacts(
        [meta, q],
        contacts=[company("C2")],
        source=Figures({CustomerClassField.SALES: {"C2": 10}}),
        on=ON,
        today=TODAY,
    )

    assert ("META", low.line_no) in {a.answer for a in result.answers}


def test_rating_cycles_are_refused() -> None:
    # §2.13.1: "Two or more questions are causing the rating calculation to loop."
    q = ProfileQuestionnaire(code="LOOP")
    first = q.add_question("R1")
    q.configure_question(
        first.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    a1 = q.add_answer(first.line_no, "A1", from_value=1)
    second = q.add_question("R2")
    q.configure_question(
        second.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    a2 = q.add_answer(second.line_no, "A2", from_value=1)
    q.rate_answer(first.line_no, answer_line_no=a2.line_no, points=1)
    q.rate_answer(second.line_no, answer_line_no=a1.line_no, points=1)

    with pytest.raises(RatingLoopError) as info:
        classify_contacts([q], contacts=[], source=Figures({}), on=ON, today=TODAY)
    assert info.value.questions == (("LOOP", first.line_no), ("LOOP", second.line_no))
    with pytest.raises(RatingLoopError):
        rate_contact([q], "C1", contacts=[company("C1")], answers=[], today=TODAY)


def test_a_rating_without_points_rates_everyone_zero() -> None:
    q = ProfileQuestionnaire(code="EMPTY")
    rating = q.add_question("R")
    q.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    zero = q.add_answer(rating.line_no, "Zero", to_value=1)

    result = classify_contacts(
        [q], contacts=[company("C1")], source=Figures({}), on=ON, today=TODAY
    )

    assert given_lines(result) == {"C1": [zero.line_no]}
    assert result.answers[0].questions_answered_pct == 0


def test_ratings_of_missing_answers_are_malformed_input() -> None:
    q = ProfileQuestionnaire(code="BAD")
    rating = q.add_question("R")
    q.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    q.rate_answer(
        rating.line_no,
        answer_line_no=10000,
        points=1,
        answer_questionnaire_code="NOWHERE",
    )

    with pytest.raises(ValidationError):
        classify_contacts([q], contacts=[], source=Figures({}), on=ON, today=TODAY)
    other = ProfileQuestionnaire(code="NOWHERE")
    with pytest.raises(ValidationError):
        classify_contacts(
            [q, other], contacts=[], source=Figures({}), on=ON, today=TODAY
        )


# --- classification: malformed input --------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"contacts": [company("C1"), company("c1")]},
        {"contacts": ["C1"]},
        {"answers": ["x"]},
        {"on": "2026-03-01"},
        {"today": None},
        {"source": Figures({CustomerClassField.SALES: {"C9": 1}})},
        {"source": Figures({CustomerClassField.SALES: {"C1": 1.5}})},
        {"source": Figures({CustomerClassField.SALES: {"C1": 1, "c1": 2}})},
        {"source": Figures({CustomerClassField.SALES: {5: 1}})},  # type: ignore[dict-item]
        {"source": Figures({CustomerClassField.SALES: [("C1", 1)]})},  # type: ignore[dict-item]
    ],
)
def test_malformed_classification_input_raises_validation_errors(
    kwargs: dict[str, Any],
) -> None:
    q, _ = auto_questionnaire(answers=(("Any", 1, 0),))
    arguments: dict[str, Any] = {
        "contacts": [company("C1")],
        "source": Figures({}),
        "on": ON,
        "today": TODAY,
        **kwargs,
    }

    with pytest.raises(ValidationError):
        classify_contacts([q], **arguments)


def test_duplicate_or_foreign_questionnaires_are_malformed() -> None:
    q, _ = auto_questionnaire()

    with pytest.raises(ValidationError):
        classify_contacts([q, q], contacts=[], source=Figures({}), on=ON, today=TODAY)
    with pytest.raises(ValidationError):
        classify_contacts(["Q"], contacts=[], source=Figures({}), on=ON, today=TODAY)  # type: ignore[list-item]


def test_a_period_outside_the_calendar_is_a_validation_error() -> None:
    q, _ = auto_questionnaire(answers=(("Any", 1, 0),))

    with pytest.raises(ValidationError):
        classify_contacts(
            [q], contacts=[], source=Figures({}), on=date(1, 1, 1), today=TODAY
        )


def test_result_and_score_values() -> None:
    score = ClassificationScore(
        questionnaire_code="Q", question_line_no=1, contact_no="C1", value=D(1), rank=1
    )
    result = ClassificationResult(scores=(score,))

    assert result.answers_of("C1") == ()
    assert result.scores[0].rank == 1


def test_errors_pickle_with_their_attributes() -> None:
    errors: list[Exception] = [
        ProfileForMinorError("C1"),
        AutomaticQuestionError("Q", 10000),
        MultipleAnswersNotAllowedError("C1", "Q", 10000, 20000),
        ClassificationSetupError("Q", 10000, "sorting_method", "", "is required"),
        RatingLoopError((("Q", 10000),)),
    ]

    for error in errors:
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
        assert type(copy) is type(error)
        assert copy.__dict__ == error.__dict__
        assert str(copy) == str(error)


# --- properties ----------------------------------------------------------------------

contact_nos = st.lists(
    st.integers(min_value=1, max_value=999).map(lambda i: f"C{i:03d}"),
    min_size=1,
    max_size=40,
    unique=True,
)
amounts = st.decimals(
    min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
)


@given(st.data(), contact_nos, st.sampled_from(["Descending", "Ascending"]))
def test_percentage_of_contacts_gives_each_contact_one_answer_in_proportion(
    data: st.DataObject, nos: list[str], sorting: str
) -> None:
    # §2.13.1: with bands covering 0..100, every candidate gets exactly one answer and
    # each band holds its share of the candidates, within rounding.
    cut_a = data.draw(st.integers(min_value=1, max_value=97))
    cut_b = data.draw(st.integers(min_value=cut_a + 1, max_value=98))
    q, question = auto_questionnaire(
        method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
        answers=(("A", 0, cut_a), ("B", cut_a + 1, cut_b), ("C", cut_b + 1, 0)),
    )
    q.configure_question(question.line_no, sorting_method=sorting)
    values = {no: data.draw(amounts) for no in nos}

    result = classify_contacts(
        [q],
        contacts=[company(no) for no in nos],
        source=Figures({CustomerClassField.SALES: values}),
        on=ON,
        today=TODAY,
    )

    lines = given_lines(result)
    assert sorted(lines) == sorted(nos)
    assert all(len(given) == 1 for given in lines.values())
    n = len(nos)
    counts = [
        sum(1 for given in lines.values() if given == [a.line_no])
        for a in q.answers_to(question.line_no)
    ]
    shares = [cut_a, cut_b - cut_a, 100 - cut_b]
    for count, share in zip(counts, shares, strict=True):
        assert abs(count - n * share / 100) <= 1 + n / 100


@given(
    st.lists(amounts, min_size=2, max_size=20), st.integers(min_value=-2, max_value=3)
)
def test_defined_value_is_monotone_in_the_value(
    values: list[Decimal], decimals: int
) -> None:
    # §2.13.1: with ascending, non-overlapping bands a larger value never gets a
    # lower band.
    q, question = auto_questionnaire(
        decimals=decimals,
        answers=(("Low", -(10**7), -1000), ("Mid", -999, 999), ("High", 1000, 0)),
    )
    nos = [f"C{i:02d}" for i in range(len(values))]
    band = {a.line_no: rank for rank, a in enumerate(q.answers_to(question.line_no))}

    result = classify_contacts(
        [q],
        contacts=[company(no) for no in nos],
        source=Figures({CustomerClassField.SALES: dict(zip(nos, values, strict=True))}),
        on=ON,
        today=TODAY,
    )

    lines = given_lines(result)
    ranked = sorted(
        (value, band[lines[no][0]])
        for no, value in zip(nos, values, strict=True)
        if no in lines
    )
    assert [b for _, b in ranked] == sorted(b for _, b in ranked)


@given(
    st.data(),
    contact_nos,
    st.sampled_from(list(ClassificationMethod)[1:]),
    st.sampled_from(["Descending", "Ascending"]),
)
def test_classification_is_deterministic_and_independent_of_input_order(
    data: st.DataObject, nos: list[str], method: ClassificationMethod, sorting: str
) -> None:
    q, question = auto_questionnaire(
        contact_type="",
        method=method,
        answers=(("Low", 0, 30), ("Mid", 31, 60), ("High", 61, 0), ("Any", 1, 0)),
    )
    if method is not ClassificationMethod.DEFINED_VALUE:
        q.configure_question(question.line_no, sorting_method=sorting)
    values = {no: data.draw(st.integers(min_value=0, max_value=100)) for no in nos}
    contacts = [company(no) for no in nos] + [person(f"P{no}", no) for no in nos[:3]]
    shuffled_contacts = data.draw(st.permutations(contacts))
    shuffled_values = dict(data.draw(st.permutations(list(values.items()))))

    first = classify_contacts(
        [q],
        contacts=contacts,
        source=Figures({CustomerClassField.SALES: values}),
        on=ON,
        today=TODAY,
    )
    second = classify_contacts(
        [q],
        contacts=shuffled_contacts,
        source=Figures({CustomerClassField.SALES: shuffled_values}),
        on=ON,
        today=TODAY,
    )

    assert first == second


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.integers(),
    st.decimals(),
    st.lists(st.integers(), max_size=3),
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "line_no": junk,
            "description": junk,
            "from_value": junk,
            "to_value": junk,
            "priority": junk,
        },
    )
)
def test_malformed_answers_raise_only_validation_errors(fields: dict[str, Any]) -> None:
    arguments = {"line_no": 1, "description": "A", **fields}
    with contextlib.suppress(ValidationError):
        ProfileAnswer(**arguments)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "line_no": junk,
            "description": junk,
            "multiple_answers": junk,
            "auto_contact_classification": junk,
            "class_field": st.one_of(
                junk,
                st.sampled_from(list(CustomerClassField) + list(ContactClassField)),
            ),
            "starting_date_formula": junk,
            "classification_method": junk,
            "sorting_method": junk,
            "no_of_decimals": junk,
            "min_pct_questions_answered": junk,
            "rating_points": junk,
        },
    )
)
def test_malformed_questions_raise_only_validation_errors(
    fields: dict[str, Any],
) -> None:
    arguments = {"line_no": 1, "description": "Q", **fields}
    with contextlib.suppress(ValidationError):
        ProfileQuestion(**arguments)


@given(junk, junk, junk, junk)
def test_malformed_contacts_and_answers_raise_only_validation_errors(
    no: Any, company_no: Any, pct: Any, on: Any
) -> None:
    for build in (
        lambda: ProfileContact(no=no, is_company=False, company_no=company_no),
        lambda: ContactProfileAnswer(
            contact_no=no,
            questionnaire_code="Q",
            line_no=1,
            last_date_updated=on,
            questions_answered_pct=pct,
        ),
    ):
        with contextlib.suppress(ValidationError):
            build()


@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "X", 5]), junk), max_size=4))
def test_malformed_source_values_raise_only_validation_errors(
    items: list[tuple[Any, Any]],
) -> None:
    q, _ = auto_questionnaire(answers=(("Any", 1, 0),))
    with contextlib.suppress(ValidationError):
        classify_contacts(
            [q],
            contacts=[company("C1"), company("C2")],
            source=Figures({CustomerClassField.SALES: dict(items)}),
            on=ON,
            today=TODAY,
        )
