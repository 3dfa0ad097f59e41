"""ProfileService: questionnaires, manual answers and classification (spec §2.13, §2.13.1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

import relationship_mgmt as rm
from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.domain.profiles import (
    AnswerPriority,
    ClassificationMethod,
    ContactClassField,
    ContactProfileAnswer,
    CustomerClassField,
    QuestionnairePriority,
)
from relationship_mgmt.errors import (
    AlreadyExistsError,
    AutomaticQuestionError,
    ClassificationSetupError,
    InUseError,
    MultipleAnswersNotAllowedError,
    NotFoundError,
    PrivacyBlockedError,
    ProfileForMinorError,
    ValidationError,
)
from relationship_mgmt.services.profiles import StaticClassificationSource
from relationship_mgmt.testing import FrozenClock

TODAY = date(2026, 11, 27)
WORKDATE = date(2026, 11, 30)


@pytest.fixture
def crm() -> rm.Crm:
    clock = FrozenClock(datetime(2026, 11, 27, 9, tzinfo=UTC), workdate=WORKDATE)
    crm = rm.Crm(uow_factory=in_memory_uow_factory(), clock=clock)
    crm.setup.use_default_number_series()
    return crm


def _manual(crm: rm.Crm, *, multiple: bool = False) -> tuple[int, int, int]:
    """Questionnaire SIZE: question "Employees" with answers Small and Large."""
    crm.profiles.create("size", "Company size")
    question = crm.profiles.add_question("size", "Employees", multiple_answers=multiple)
    small = crm.profiles.add_answer("size", question.line_no, "Small")
    large = crm.profiles.add_answer("size", question.line_no, "Large")
    return question.line_no, small.line_no, large.line_no


def _sales(
    crm: rm.Crm, method: ClassificationMethod = ClassificationMethod.DEFINED_VALUE
) -> tuple[int, int]:
    """Questionnaire SALES: automatic Sales (LCY) question with Big (>= 1000) and Small."""
    crm.profiles.create("sales", "Turnover")
    question = crm.profiles.add_question("sales", "Sales last year")
    crm.profiles.configure_question(
        "sales",
        question.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.SALES,
        classification_method=method,
        starting_date_formula="-1Y",
        ending_date_formula="0D",
    )
    if method is ClassificationMethod.DEFINED_VALUE:
        big = crm.profiles.add_answer("sales", question.line_no, "Big", from_value=1000)
        small = crm.profiles.add_answer(
            "sales", question.line_no, "Small", from_value=Decimal("0.01"), to_value=999
        )
    else:
        big = crm.profiles.add_answer(
            "sales", question.line_no, "Top half", from_value=1, to_value=50
        )
        small = crm.profiles.add_answer(
            "sales", question.line_no, "Bottom half", from_value=51, to_value=100
        )
    return big.line_no, small.line_no


def _keys(answers: list[ContactProfileAnswer]) -> set[tuple[str, str, int]]:
    return {a.key for a in answers}


# --- questionnaires (§2.13 header and lines) ---------------------------------------


def test_create_get_and_list(crm: rm.Crm) -> None:  # §2.13 header
    created = crm.profiles.create(
        "size", "Company size", contact_type="Companies", priority="High"
    )

    assert crm.profiles.get("SIZE") == created
    assert [q.code for q in crm.profiles.list()] == ["SIZE"]
    assert created.priority is QuestionnairePriority.HIGH
    with pytest.raises(AlreadyExistsError):
        crm.profiles.create("size")


def test_create_checks_the_business_relation(crm: rm.Crm) -> None:  # §2.13 header
    with pytest.raises(NotFoundError):
        crm.profiles.create("cust", business_relation_code="NOPE")
    crm.setup.add_records([rm.BusinessRelation(code="CUST")])

    assert (
        crm.profiles.create(
            "cust", business_relation_code="cust"
        ).business_relation_code
        == "CUST"
    )


def test_header_changes(crm: rm.Crm) -> None:  # §2.13 header
    crm.profiles.create("size")

    crm.profiles.describe("size", "Company size")
    changed = crm.profiles.restrict_to("size", contact_type="People")

    assert changed.description == "Company size"
    assert crm.profiles.get("size").contact_type == "People"


def test_lines_are_added_in_order(crm: rm.Crm) -> None:  # §2.13 lines
    question, small, large = _manual(crm)
    first = crm.profiles.add_question("size", "Industry", before=question)

    lines = crm.profiles.get("size").lines
    assert [line.line_no for line in lines] == [first.line_no, question, small, large]
    assert (question, small, large) == (10000, 20000, 30000)


def test_configure_question_applies_bc_side_effects(crm: rm.Crm) -> None:  # §2.13
    crm.profiles.create("sales")
    question = crm.profiles.add_question("sales", "Sales")

    changed = crm.profiles.configure_question(
        "sales",
        question.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.SALES,
    )
    ranked = crm.profiles.configure_question(
        "sales", question.line_no, classification_method="Percentage of Contacts"
    )

    assert changed.classification_method is ClassificationMethod.DEFINED_VALUE
    assert ranked.sorting_method == "Descending"
    assert crm.profiles.get("sales").question(question.line_no) == ranked


def test_priority_changes_are_pushed_to_answers(crm: rm.Crm) -> None:  # §2.13
    _, small, _ = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.profiles.answer(company.no, "size", small)

    crm.profiles.change_priority("size", "Very High")
    crm.profiles.configure_answer("size", small, priority=AnswerPriority.LOW)

    (stored,) = crm.profiles.answers_of(company.no)
    assert stored.questionnaire_priority is QuestionnairePriority.VERY_HIGH
    assert stored.answer_priority is AnswerPriority.LOW


def test_remove_answer_is_refused_while_contacts_have_it(crm: rm.Crm) -> None:  # §2.13
    _, small, large = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.profiles.answer(company.no, "size", small)

    with pytest.raises(InUseError):
        crm.profiles.remove_answer("size", small)
    assert crm.profiles.no_of_contacts("size") == {small: 1}
    crm.profiles.remove_answer_of(company.no, "size", small)
    crm.profiles.remove_answer("size", small)
    crm.profiles.remove_answer("size", large)

    assert len(crm.profiles.get("size").lines) == 1


def test_remove_answer_is_refused_while_another_questionnaire_rates_it(
    crm: rm.Crm,
) -> None:  # §2.13 deletion rules, Rating table
    _, small, _ = _manual(crm)
    crm.profiles.create("score")
    rating = crm.profiles.add_question("score", "Rating")
    crm.profiles.configure_question(
        "score",
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    crm.profiles.rate_answer(
        "score",
        rating.line_no,
        answer_line_no=small,
        points=5,
        answer_questionnaire_code="size",
    )

    with pytest.raises(InUseError):
        crm.profiles.remove_answer("size", small)
    with pytest.raises(InUseError):
        crm.profiles.delete("size")
    with pytest.raises(InUseError):
        crm.profiles.convert_to_question("size", small)
    crm.profiles.unrate_answer(
        "score", rating.line_no, answer_line_no=small, answer_questionnaire_code="size"
    )
    crm.profiles.remove_answer("size", small)


def test_rating_an_answer_of_another_questionnaire_checks_it(crm: rm.Crm) -> None:
    _manual(crm)
    crm.profiles.create("score")
    rating = crm.profiles.add_question("score", "Rating")
    crm.profiles.configure_question(
        "score",
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )

    with pytest.raises(NotFoundError):
        crm.profiles.rate_answer(
            "score",
            rating.line_no,
            answer_line_no=99999,
            points=1,
            answer_questionnaire_code="size",
        )


def test_remove_question_needs_it_to_have_no_answers(crm: rm.Crm) -> None:  # §2.13
    question, _, _ = _manual(crm)
    other = crm.profiles.add_question("size", "Industry")

    with pytest.raises(InUseError):
        crm.profiles.remove_question("size", question)
    crm.profiles.remove_question("size", other.line_no)

    assert [q.line_no for q in crm.profiles.get("size").questions] == [question]


def test_convert_lines(crm: rm.Crm) -> None:  # §2.13 Type
    question, _, large = _manual(crm)
    crm.profiles.convert_to_question("size", large)

    assert crm.profiles.convert_to_answer("size", large).description == "Large"
    assert crm.profiles.get("size").question_of(large).line_no == question


def test_move_question_and_answer(crm: rm.Crm) -> None:  # §2.13 lines order
    question, small, large = _manual(crm)
    other = crm.profiles.add_question("size", "Industry")

    moved = crm.profiles.move_question("size", other.line_no, before=question)
    answer_moved = crm.profiles.move_answer("size", large, before=small)

    lines = crm.profiles.get("size").lines
    assert [line.description for line in lines] == [
        "Industry",
        "Employees",
        "Large",
        "Small",
    ]
    assert set(moved) == {other.line_no}
    assert set(answer_moved) == {large}


def test_moving_an_answer_contacts_have_is_refused(crm: rm.Crm) -> None:  # §2.13
    _, small, large = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.profiles.answer(company.no, "size", small)

    with pytest.raises(InUseError):
        crm.profiles.move_answer("size", small)
    crm.profiles.move_answer("size", large, before=small)


def test_delete_questionnaire(crm: rm.Crm) -> None:  # §2.13: header takes its lines
    _, small, _ = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.profiles.answer(company.no, "size", small)

    with pytest.raises(InUseError):
        crm.profiles.delete("size")
    crm.profiles.remove_answer_of(company.no, "size", small)
    crm.profiles.delete("size")

    assert crm.profiles.list() == []


# --- manual answers (§2.13 rules 1-6) ------------------------------------------------


def test_answer_stores_the_answer_with_priorities_and_today(crm: rm.Crm) -> None:
    _, small, _ = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    person = crm.contacts.create_person(name="Jane Smith", company_no=company.no)

    given = crm.profiles.answer(person.no, "size", small, value_text="12")

    assert crm.profiles.answers_of(person.no) == [given]
    assert given.contact_company_no == company.no
    assert given.last_date_updated == TODAY
    assert given.value_text == "12"
    assert crm.profiles.answers_in("size") == [given]


def test_answer_is_refused_for_minors(crm: rm.Crm) -> None:  # §2.13 rule 4, §2.15
    _, small, _ = _manual(crm)
    person = crm.contacts.create_person(name="Tim Young")
    crm.contacts.mark_minor(person.no)

    with pytest.raises(ProfileForMinorError):
        crm.profiles.answer(person.no, "size", small)
    assert crm.profiles.answers_of(person.no) == []


def test_answer_is_refused_for_privacy_blocked_contacts(crm: rm.Crm) -> None:  # §2.15
    _, small, _ = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.contacts.block_privacy(company.no)

    with pytest.raises(PrivacyBlockedError):
        crm.profiles.answer(company.no, "size", small)


def test_a_second_answer_needs_multiple_answers(crm: rm.Crm) -> None:  # §2.13 rule 3
    _, small, large = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.profiles.answer(company.no, "size", small)

    with pytest.raises(MultipleAnswersNotAllowedError):
        crm.profiles.answer(company.no, "size", large)
    with pytest.raises(AlreadyExistsError):
        crm.profiles.answer(company.no, "size", small)


def test_multiple_answers_allowed(crm: rm.Crm) -> None:  # §2.13 rule 3
    _, small, large = _manual(crm, multiple=True)
    company = crm.contacts.create_company(name="Cronus")

    crm.profiles.answer(company.no, "size", small)
    crm.profiles.answer(company.no, "size", large)

    assert len(crm.profiles.answers_of(company.no)) == 2


def test_contact_type_must_fit(crm: rm.Crm) -> None:  # §2.13 rule 5
    _, small, _ = _manual(crm)
    crm.profiles.restrict_to("size", contact_type="Companies")
    person = crm.contacts.create_person(name="Jane Smith")

    with pytest.raises(ValidationError):
        crm.profiles.answer(person.no, "size", small)


def test_automatic_questions_refuse_manual_answers(crm: rm.Crm) -> None:  # §2.13 rule 2
    big, small = _sales(crm)
    company = crm.contacts.create_company(name="Cronus")
    crm.profiles.classify(
        StaticClassificationSource({CustomerClassField.SALES: {company.no: 5000}})
    )

    with pytest.raises(AutomaticQuestionError):
        crm.profiles.answer(company.no, "sales", small)
    with pytest.raises(AutomaticQuestionError):
        crm.profiles.remove_answer_of(company.no, "sales", big)


def test_remove_answer_of_an_unknown_answer(crm: rm.Crm) -> None:
    _, small, _ = _manual(crm)
    company = crm.contacts.create_company(name="Cronus")

    with pytest.raises(NotFoundError):
        crm.profiles.remove_answer_of(company.no, "size", small)


def _rating(crm: rm.Crm, small: int) -> tuple[int, int]:
    """Rating question in SIZE: Small scores 10; "Good" for 5 points or more."""
    rating = crm.profiles.add_question("size", "Rating")
    crm.profiles.configure_question(
        "size",
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    crm.profiles.rate_answer("size", rating.line_no, answer_line_no=small, points=10)
    good = crm.profiles.add_answer("size", rating.line_no, "Good", from_value=5)
    return rating.line_no, good.line_no


def test_a_manual_answer_that_feeds_a_rating_rerates_the_contact(
    crm: rm.Crm,
) -> None:  # §2.13 rule 6
    _, small, _ = _manual(crm)
    _, good = _rating(crm, small)
    company = crm.contacts.create_company(name="Cronus")

    crm.profiles.answer(company.no, "size", small)

    assert _keys(crm.profiles.answers_of(company.no)) == {
        (company.no, "SIZE", small),
        (company.no, "SIZE", good),
    }
    rated = [a for a in crm.profiles.answers_of(company.no) if a.line_no == good]
    assert rated[0].questions_answered_pct == 100
    crm.profiles.remove_answer_of(company.no, "size", small)
    assert crm.profiles.answers_of(company.no) == []


# --- automatic classification (§2.13.1) ------------------------------------------------


def test_classify_defined_value_marks_companies_and_their_persons(
    crm: rm.Crm,
) -> None:  # §2.13.1 steps 4-8
    big, small = _sales(crm)
    rich = crm.contacts.create_company(name="Rich Ltd")
    staff = crm.contacts.create_person(name="Jane Smith", company_no=rich.no)
    poor = crm.contacts.create_company(name="Poor Ltd")
    source = StaticClassificationSource(
        {CustomerClassField.SALES: {rich.no: Decimal(5000), poor.no: Decimal(10)}}
    )

    result = crm.profiles.classify(source)

    expected = {
        (rich.no, "SALES", big),
        (staff.no, "SALES", big),
        (poor.no, "SALES", small),
    }
    assert _keys(list(result.answers)) == expected
    assert _keys(crm.profiles.answers_in("sales")) == expected
    assert {a.last_date_updated for a in result.answers} == {TODAY}


def test_classify_again_is_idempotent(crm: rm.Crm) -> None:  # §2.13.1 step 2
    _sales(crm)
    rich = crm.contacts.create_company(name="Rich Ltd")
    source = StaticClassificationSource({CustomerClassField.SALES: {rich.no: 5000}})
    crm.profiles.classify(source)
    before = crm.profiles.answers_in("sales")

    crm.profiles.classify(source)

    assert crm.profiles.answers_in("sales") == before


def test_classify_replaces_the_answers_of_a_previous_run(
    crm: rm.Crm,
) -> None:  # §2.13.1 step 2: rebuilt from scratch
    big, small = _sales(crm)
    rich = crm.contacts.create_company(name="Rich Ltd")
    poor = crm.contacts.create_company(name="Poor Ltd")
    crm.profiles.classify(
        StaticClassificationSource(
            {CustomerClassField.SALES: {rich.no: 5000, poor.no: 10}}
        )
    )

    crm.profiles.classify(
        StaticClassificationSource({CustomerClassField.SALES: {rich.no: 20}})
    )

    assert _keys(crm.profiles.answers_in("sales")) == {(rich.no, "SALES", small)}
    assert crm.profiles.answers_of(poor.no) == []
    assert big != small


def test_classify_percentage_of_contacts(crm: rm.Crm) -> None:  # §2.13.1 step 6
    top, bottom = _sales(crm, ClassificationMethod.PERCENTAGE_OF_CONTACTS)
    companies = [crm.contacts.create_company(name=f"C{i}") for i in range(4)]
    values = {c.no: Decimal(100 * (i + 1)) for i, c in enumerate(companies)}

    result = crm.profiles.classify(
        StaticClassificationSource({CustomerClassField.SALES: values})
    )

    by_contact = {a.contact_no: a.line_no for a in result.answers}
    assert by_contact == {
        companies[3].no: top,
        companies[2].no: top,
        companies[1].no: bottom,
        companies[0].no: bottom,
    }
    ranks = {s.contact_no: s.rank for s in result.scores}
    assert ranks[companies[3].no] == 1


def test_classify_skips_minors(crm: rm.Crm) -> None:  # §2.13 rule 4 in §2.13.1
    crm.profiles.create("act")
    question = crm.profiles.add_question("act", "Interactions")
    crm.profiles.configure_question(
        "act",
        question.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.INTERACTION_QUANTITY,
        starting_date_formula="-1Y",
        ending_date_formula="0D",
    )
    crm.profiles.add_answer("act", question.line_no, "Active", from_value=1)
    adult = crm.contacts.create_person(name="Ann Adult")
    minor = crm.contacts.create_person(name="Tim Young")
    crm.contacts.mark_minor(minor.no)

    crm.profiles.classify(
        StaticClassificationSource(
            {ContactClassField.INTERACTION_QUANTITY: {adult.no: 3, minor.no: 3}}
        )
    )

    assert [a.contact_no for a in crm.profiles.answers_in("act")] == [adult.no]


def test_classify_one_contact(crm: rm.Crm) -> None:  # §2.13.1, one contact stored
    big, small = _sales(crm)
    rich = crm.contacts.create_company(name="Rich Ltd")
    poor = crm.contacts.create_company(name="Poor Ltd")
    source = StaticClassificationSource(
        {CustomerClassField.SALES: {rich.no: 5000, poor.no: 10}}
    )

    result = crm.profiles.classify(source, contact_no=rich.no)

    assert result.contact_no == rich.no
    assert _keys(crm.profiles.answers_in("sales")) == {(rich.no, "SALES", big)}
    with pytest.raises(NotFoundError):
        crm.profiles.classify(source, contact_no="NOPE")
    assert small


def test_classify_selected_questionnaires(crm: rm.Crm) -> None:  # §2.13.1
    _sales(crm)
    crm.profiles.create("broken")
    question = crm.profiles.add_question("broken", "No formulas")
    crm.profiles.configure_question(
        "broken",
        question.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.PROFIT,
    )
    rich = crm.contacts.create_company(name="Rich Ltd")
    source = StaticClassificationSource({CustomerClassField.SALES: {rich.no: 5000}})

    with pytest.raises(ClassificationSetupError):
        crm.profiles.classify(source)
    assert crm.profiles.answers_in("sales") == []
    result = crm.profiles.classify(source, questionnaire_codes=["sales"])

    assert {code for code, _ in result.replaced_lines} == {"SALES"}
    assert len(crm.profiles.answers_in("sales")) == 1
    with pytest.raises(NotFoundError):
        crm.profiles.classify(source, questionnaire_codes=["nope"])


def test_classify_computes_ratings_after_the_other_questions(
    crm: rm.Crm,
) -> None:  # §2.13.1 rating questions
    big, _ = _sales(crm)
    rating = crm.profiles.add_question("sales", "Rating")
    crm.profiles.configure_question(
        "sales",
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
    )
    crm.profiles.rate_answer("sales", rating.line_no, answer_line_no=big, points=7)
    star = crm.profiles.add_answer("sales", rating.line_no, "Star", from_value=5)
    rich = crm.contacts.create_company(name="Rich Ltd")

    crm.profiles.classify(
        StaticClassificationSource({CustomerClassField.SALES: {rich.no: 5000}})
    )

    assert {a.line_no for a in crm.profiles.answers_of(rich.no)} == {
        big,
        star.line_no,
    }


def test_static_source_ignores_the_period() -> None:  # §2.13.1 step 4
    source = StaticClassificationSource({CustomerClassField.SALES: {"ct1": 5}})

    assert source.class_values(
        CustomerClassField.SALES, starting=date(2020, 1, 1), ending=date(2020, 1, 2)
    ) == {"CT1": Decimal(5)}
    assert (
        source.class_values(
            CustomerClassField.PROFIT, starting=date(2020, 1, 1), ending=TODAY
        )
        == {}
    )
