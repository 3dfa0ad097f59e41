"""Contract test suites every storage adapter must pass.

Each class is a plain pytest class whose name does not start with ``Test``, so pytest
collects it only through a subclass. A subclass provides one fixture, ``uow_factory``,
returning a callable that makes a fresh :class:`~relationship_mgmt.ports.UnitOfWork`
over an empty store (the same store for every call within one test)::

    import pytest
    from relationship_mgmt.testing.contracts import AdapterContract

    class TestMyAdapter(AdapterContract):
        @pytest.fixture
        def uow_factory(self):
            store = MyStore()
            return lambda: MyUnitOfWork(store)

Every test's docstring states the rule it checks: together they document the ports.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from relationship_mgmt.domain.codes import Code, NoSeriesCode
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.profiles import (
    AnswerPriority,
    ClassificationMethod,
    ContactClassField,
    CustomerClassField,
    ProfileQuestionnaire,
    QuestionnaireContactType,
    QuestionnairePriority,
    SortingMethod,
    VendorClassField,
)
from relationship_mgmt.domain.setup import (
    CODE_TABLE_KINDS,
    BusinessRelation,
    CloseOpportunityCode,
    CloseOpportunityType,
    CodeRecord,
    IndustryGroup,
    RelationshipSetup,
    Salutation,
    SalutationFormula,
    SalutationName,
    SalutationType,
    Territory,
    WebSource,
)
from relationship_mgmt.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    IntegrityViolationError,
    NotFoundError,
    PersistenceError,
    UnitOfWorkStateError,
)
from relationship_mgmt.ports import CodeTableRecord, UnitOfWorkFactory

__all__ = [
    "AdapterContract",
    "CodeTableRepositoryContract",
    "NumberSeriesRepositoryContract",
    "ProfileQuestionnaireRepositoryContract",
    "SetupRepositoryContract",
    "UnitOfWorkContract",
]

_DAY = date(2026, 1, 5)


class _BoomError(Exception):
    """Raised inside a unit of work to check that it rolls back."""


def _series(code: str = "CONT", **changes: object) -> NumberSeries:
    values: dict[str, object] = {
        "code": code,
        "description": "Contacts",
        "starting_no": "CT000001",
        "ending_no": "CT999999",
        "warning_no": "CT999000",
        "increment_by": 1,
    }
    values.update(changes)
    return NumberSeries(**values)  # type: ignore[arg-type]


def _sample_records() -> list[CodeTableRecord]:
    """One record of every code-table kind (a salutation before its formula)."""
    samples: list[CodeTableRecord] = []
    for cls in CODE_TABLE_KINDS.values():
        if cls is SalutationFormula:
            continue
        assert issubclass(cls, CodeRecord)
        samples.append(cls(code=f"X-{cls.kind[:6]}", description=f"A {cls.kind}"))
    samples.append(
        SalutationFormula(
            salutation_code=f"X-{Salutation.kind[:6]}",
            language_code="ENU",
            salutation_type=SalutationType.INFORMAL,
            salutation="Hi %1",
            names=(SalutationName.FIRST_NAME,),
        )
    )
    return samples


def _questionnaire(code: str = "SIZE") -> ProfileQuestionnaire:
    """A questionnaire that uses every kind of line, option and value."""
    q = ProfileQuestionnaire(
        code=code,
        description="Company size and value",
        contact_type=QuestionnaireContactType.COMPANIES,
        business_relation_code="CUST",
        priority=QuestionnairePriority.HIGH,
    )
    size = q.add_question("Number of employees", multiple_answers=True)
    for priority, low, high in zip(
        AnswerPriority,
        ("0", "10", "50", "250", "1000.5"),
        ("9.99", "49", "249.75", "-7.25", "0"),
        strict=True,
    ):
        q.add_answer(
            size.line_no,
            f"{low}..{high} ({priority.value})",
            from_value=Decimal(low),
            to_value=Decimal(high),
            priority=priority,
        )
    sales = q.add_question("Sales last year")
    q.configure_question(
        sales.line_no,
        auto_contact_classification=True,
        class_field=CustomerClassField.SALES_FREQUENCY,
        starting_date_formula="-1Y+CM",
        ending_date_formula="CM",
        classification_method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
        sorting_method=SortingMethod.ASCENDING,
        no_of_decimals=-2,
    )
    q.add_answer(sales.line_no, "Top 10 %", to_value=Decimal("0.1"))
    buying = q.add_question("Purchases")
    q.configure_question(
        buying.line_no,
        auto_contact_classification=True,
        class_field=VendorClassField.PURCHASE_FREQUENCY,
        starting_date_formula="-CQ",
        ending_date_formula="CQ",
    )
    q.add_answer(buying.line_no, "Regular", from_value=Decimal("123456789.012345"))
    rating = q.add_question("Value rating")
    q.configure_question(
        rating.line_no,
        auto_contact_classification=True,
        class_field=ContactClassField.RATING,
        no_of_decimals=1,
        min_pct_questions_answered=Decimal("33.3"),
    )
    answers = q.answers_to(size.line_no)
    q.rate_answer(rating.line_no, answer_line_no=answers[3].line_no, points=10)
    q.rate_answer(
        rating.line_no, answer_line_no=answers[0].line_no, points=Decimal("-2.5")
    )
    q.rate_answer(
        rating.line_no,
        answer_line_no=20000,
        points=Decimal("0.75"),
        answer_questionnaire_code="OTHER",
    )
    q.add_answer(rating.line_no, "Key account", from_value=Decimal("12.5"))
    return q


class _FactoryFixture:
    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        """Make units of work over one fresh, empty store (provided by subclasses)."""
        raise NotImplementedError


class UnitOfWorkContract(_FactoryFixture):
    """Transactions: commit, rollback, isolation of uncommitted work."""

    def test_committed_changes_are_seen_by_a_later_unit_of_work(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """What a unit of work commits, the next one reads."""
        with uow_factory() as uow:
            uow.number_series.add(_series())
            uow.commit()

        with uow_factory() as uow:
            assert uow.number_series.get(NoSeriesCode("CONT")).starting_no == "CT000001"

    def test_leaving_without_commit_stores_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A block left without commit() rolls back."""
        with uow_factory() as uow:
            uow.number_series.add(_series())

        with uow_factory() as uow:
            assert uow.number_series.find_all() == []

    def test_an_exception_inside_the_block_rolls_back_everything(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """An exception in the block rolls back every change of the block."""
        with pytest.raises(_BoomError), uow_factory() as uow:
            uow.number_series.add(_series("A"))
            uow.code_tables.add(IndustryGroup(code="RETAIL"))
            raise _BoomError

        with uow_factory() as uow:
            assert uow.number_series.find_all() == []
            assert uow.code_tables.find_all(IndustryGroup) == []

    def test_a_failed_write_leaves_earlier_writes_of_the_block_uncommitted(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """All or nothing: a refused write aborts the whole unit of work."""
        with uow_factory() as uow:
            uow.number_series.add(_series("B"))
            uow.commit()

        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.number_series.add(_series("A"))
            uow.number_series.add(_series("B"))
            uow.commit()

        with uow_factory() as uow:
            assert [s.code for s in uow.number_series.find_all()] == ["B"]

    def test_changes_are_visible_inside_their_own_block(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A unit of work reads its own uncommitted writes."""
        with uow_factory() as uow:
            uow.number_series.add(_series())
            uow.code_tables.add(Territory(code="NORTH"))

            assert uow.number_series.get(NoSeriesCode("CONT")).version == 1
            assert uow.code_tables.exists(Territory, "NORTH")

    def test_rollback_discards_changes_and_the_block_goes_on(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """rollback() drops the changes so far; later changes can still commit."""
        with uow_factory() as uow:
            uow.number_series.add(_series("A"))
            uow.rollback()
            uow.number_series.add(_series("B"))
            uow.commit()

        with uow_factory() as uow:
            assert [s.code for s in uow.number_series.find_all()] == ["B"]

    def test_uncommitted_changes_are_invisible_to_other_units_of_work(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Another unit of work does not see a change before it is committed."""
        with uow_factory() as writer:
            writer.code_tables.add(IndustryGroup(code="RETAIL"))
            writer.commit()
        with uow_factory() as writer:
            writer.code_tables.remove(IndustryGroup, "RETAIL")
            with uow_factory() as reader:
                assert reader.code_tables.exists(IndustryGroup, "RETAIL")

    def test_repositories_are_usable_only_inside_the_block(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Outside its with block (or entered twice) a unit of work refuses to work."""
        uow = uow_factory()
        with pytest.raises(UnitOfWorkStateError):
            uow.number_series.find_all()
        with uow:
            with pytest.raises(UnitOfWorkStateError), uow:
                pass
            assert uow.number_series.find_all() == []
        with pytest.raises(UnitOfWorkStateError):
            uow.setup.get()

    def test_collect_events_is_empty_after_a_rolled_back_block(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Events of changes that were rolled back are never collected."""
        uow = uow_factory()
        with uow:
            uow.number_series.add(_series())

        assert uow.collect_events() == []


class SetupRepositoryContract(_FactoryFixture):
    """The Relationship Management setup singleton."""

    def test_an_empty_store_gives_the_default_setup_at_version_0(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get() on an empty store returns RelationshipSetup() with version 0."""
        with uow_factory() as uow:
            assert uow.setup.get() == RelationshipSetup()

    def test_saved_setup_reads_back_equal(self, uow_factory: UnitOfWorkFactory) -> None:
        """Every field survives save/get; the version becomes 1."""
        setup = RelationshipSetup(
            contact_nos="CONT",
            segment_nos="SEG",
            default_territory_code="north",
            default_task_date_formula="1W",
            search_hit_pct=75,
            inherit_address_details=False,
            default_format_region="da-DK",
            attachment_storage_location="/srv/att",
        )
        with uow_factory() as uow:
            uow.setup.save(setup)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.setup.get()

        assert setup.version == 1
        assert stored == setup

    def test_returned_setup_is_a_copy(self, uow_factory: UnitOfWorkFactory) -> None:
        """Changing a returned setup changes nothing until it is saved."""
        with uow_factory() as uow:
            uow.setup.save(RelationshipSetup())
            uow.setup.get().change(search_hit_pct=10)
            uow.commit()

        with uow_factory() as uow:
            assert uow.setup.get().search_hit_pct == 60

    def test_saving_a_stale_setup_raises_and_changes_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A save with an old version raises ConcurrencyError; storage keeps the winner."""
        with uow_factory() as uow:
            uow.setup.save(RelationshipSetup())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.setup.get()
        with uow_factory() as uow:
            winner = uow.setup.get()
            winner.change(search_hit_pct=80)
            uow.setup.save(winner)
            uow.commit()

        stale.change(search_hit_pct=20)
        with pytest.raises(ConcurrencyError), uow_factory() as uow:
            uow.setup.save(stale)
            uow.commit()

        with uow_factory() as uow:
            assert uow.setup.get().search_hit_pct == 80
            assert uow.setup.get().version == 2

    def test_inserting_a_setup_when_one_exists_raises(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Saving a version-0 setup over a stored one is a ConcurrencyError."""
        with uow_factory() as uow:
            uow.setup.save(RelationshipSetup())
            uow.commit()

        with pytest.raises(ConcurrencyError), uow_factory() as uow:
            uow.setup.save(RelationshipSetup(search_hit_pct=5))
            uow.commit()

    def test_saving_twice_in_one_block_increments_the_version_twice(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Each save bumps the version of the object passed in."""
        with uow_factory() as uow:
            setup = uow.setup.get()
            uow.setup.save(setup)
            setup.change(search_hit_pct=90)
            uow.setup.save(setup)
            uow.commit()

        with uow_factory() as uow:
            assert (uow.setup.get().version, uow.setup.get().search_hit_pct) == (2, 90)


class NumberSeriesRepositoryContract(_FactoryFixture):
    """Number series: storage, versions and drawing numbers."""

    def test_a_missing_series_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get() of an unknown code raises NotFoundError naming kind and key."""
        with pytest.raises(NotFoundError) as info, uow_factory() as uow:
            uow.number_series.get(NoSeriesCode("NOPE"))

        assert (info.value.kind, info.value.key) == ("number series", "NOPE")

    def test_added_series_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives add/get; the version becomes 1."""
        series = _series(
            last_no_used="CT000041",
            last_date_used=_DAY,
            increment_by=2,
            manual_nos=False,
            default_nos=False,
            date_order=True,
        )
        with uow_factory() as uow:
            uow.number_series.add(series)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.number_series.get(NoSeriesCode("CONT"))

        assert series.version == 1
        assert stored == series

    def test_optional_fields_round_trip_as_none(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A series without ending, warning or last number keeps them None."""
        series = NumberSeries(code="SEG", starting_no="SM00001")
        with uow_factory() as uow:
            uow.number_series.add(series)
            uow.commit()

        with uow_factory() as uow:
            assert uow.number_series.get(NoSeriesCode("SEG")) == series

    def test_adding_an_existing_code_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """add() of a stored code raises AlreadyExistsError (a ConcurrencyError)."""
        with uow_factory() as uow:
            uow.number_series.add(_series())
            uow.commit()

        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.number_series.add(_series())

    def test_returned_series_is_a_copy(self, uow_factory: UnitOfWorkFactory) -> None:
        """Drawing from a returned series changes storage only through update()."""
        with uow_factory() as uow:
            uow.number_series.add(_series())
            uow.commit()

        with uow_factory() as uow:
            uow.number_series.get(NoSeriesCode("CONT")).draw(on=_DAY)
            uow.commit()

        with uow_factory() as uow:
            assert uow.number_series.get(NoSeriesCode("CONT")).last_no_used is None

    def test_drawing_in_successive_units_of_work_gives_distinct_numbers(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Numbers drawn under get_for_update/update/commit never repeat."""
        with uow_factory() as uow:
            uow.number_series.add(_series())
            uow.commit()

        drawn = []
        for _ in range(5):
            with uow_factory() as uow:
                series = uow.number_series.get_for_update(NoSeriesCode("CONT"))
                drawn.append(series.draw(on=_DAY))
                uow.number_series.update(series)
                uow.commit()

        assert drawn == ["CT000001", "CT000002", "CT000003", "CT000004", "CT000005"]
        with uow_factory() as uow:
            stored = uow.number_series.get(NoSeriesCode("CONT"))
        assert (stored.last_no_used, stored.last_date_used, stored.version) == (
            "CT000005",
            _DAY,
            6,
        )

    def test_updating_a_stale_series_raises_and_changes_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() with an old version raises ConcurrencyError."""
        with uow_factory() as uow:
            uow.number_series.add(_series())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.number_series.get(NoSeriesCode("CONT"))
        with uow_factory() as uow:
            fresh = uow.number_series.get_for_update(NoSeriesCode("CONT"))
            fresh.draw(on=_DAY)
            uow.number_series.update(fresh)
            uow.commit()

        stale.draw(on=_DAY)
        with pytest.raises(ConcurrencyError) as info, uow_factory() as uow:
            uow.number_series.update(stale)
            uow.commit()

        assert info.value.key == "CONT"
        with uow_factory() as uow:
            assert uow.number_series.get(NoSeriesCode("CONT")).version == 2

    def test_updating_a_removed_series_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() of a series that is gone raises NotFoundError."""
        series = _series()
        with uow_factory() as uow:
            uow.number_series.add(series)
            uow.commit()
        with uow_factory() as uow:
            uow.number_series.remove(NoSeriesCode("CONT"))
            uow.commit()

        with pytest.raises(NotFoundError), uow_factory() as uow:
            uow.number_series.update(series)

    def test_removing_a_missing_series_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() of an unknown code raises NotFoundError."""
        with pytest.raises(NotFoundError), uow_factory() as uow:
            uow.number_series.remove(NoSeriesCode("NOPE"))

    def test_find_all_is_ordered_by_code(self, uow_factory: UnitOfWorkFactory) -> None:
        """find_all() returns every series ordered by code."""
        with uow_factory() as uow:
            for code in ("TASK", "CAMP", "OPP"):
                uow.number_series.add(_series(code))
            uow.commit()

        with uow_factory() as uow:
            assert [s.code for s in uow.number_series.find_all()] == [
                "CAMP",
                "OPP",
                "TASK",
            ]


class CodeTableRepositoryContract(_FactoryFixture):
    """The code tables of §1.2: one keyed table per record kind."""

    def test_every_kind_reads_back_equal(self, uow_factory: UnitOfWorkFactory) -> None:
        """A record of each kind survives add/get and find_all."""
        samples = _sample_records()
        with uow_factory() as uow:
            for record in samples:
                uow.code_tables.add(record)
            uow.commit()

        with uow_factory() as uow:
            for record in samples:
                assert uow.code_tables.get(type(record), *record.key) == record
                assert uow.code_tables.find_all(type(record)) == [record]

    def test_extra_fields_round_trip(self, uow_factory: UnitOfWorkFactory) -> None:
        """Kind-specific fields (type, url, names) are stored."""
        records: list[CodeTableRecord] = [
            CloseOpportunityCode(code="LOST1", type=CloseOpportunityType.LOST),
            WebSource(code="WEB", url="https://example.com/?q=%1"),
            Salutation(code="M"),
            SalutationFormula(
                salutation_code="M",
                salutation="Dear Mr. %1 %2",
                names=(SalutationName.FIRST_NAME, SalutationName.SURNAME),
            ),
        ]
        with uow_factory() as uow:
            for record in records:
                uow.code_tables.add(record)
            uow.commit()

        with uow_factory() as uow:
            for record in records:
                assert uow.code_tables.get(type(record), *record.key) == record

    def test_a_missing_record_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get() of an unknown key raises NotFoundError."""
        with pytest.raises(NotFoundError), uow_factory() as uow:
            uow.code_tables.get(IndustryGroup, "NOPE")

    def test_kinds_do_not_share_keys(self, uow_factory: UnitOfWorkFactory) -> None:
        """The same code in two kinds is two rows."""
        with uow_factory() as uow:
            uow.code_tables.add(IndustryGroup(code="SAME"))
            uow.code_tables.add(BusinessRelation(code="SAME"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.code_tables.exists(IndustryGroup, "SAME")
            assert uow.code_tables.exists(BusinessRelation, "SAME")
            assert not uow.code_tables.exists(Territory, "SAME")

    def test_adding_an_existing_key_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """add() of a stored key raises AlreadyExistsError."""
        with uow_factory() as uow:
            uow.code_tables.add(IndustryGroup(code="RETAIL"))
            uow.commit()

        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.code_tables.add(IndustryGroup(code="RETAIL", description="again"))

    def test_replace_overwrites_and_needs_an_existing_row(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """replace() changes a stored row and raises NotFoundError for a missing one."""
        with uow_factory() as uow:
            uow.code_tables.add(Territory(code="N", description="North"))
            uow.commit()
        with uow_factory() as uow:
            uow.code_tables.replace(Territory(code="N", description="Northern"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.code_tables.get(Territory, "N").description == "Northern"
            with pytest.raises(NotFoundError):
                uow.code_tables.replace(Territory(code="S"))

    def test_remove_deletes_and_needs_an_existing_row(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes a row and raises NotFoundError for a missing one."""
        with uow_factory() as uow:
            uow.code_tables.add(IndustryGroup(code="RETAIL"))
            uow.commit()
        with uow_factory() as uow:
            uow.code_tables.remove(IndustryGroup, "RETAIL")
            uow.commit()

        with uow_factory() as uow:
            assert not uow.code_tables.exists(IndustryGroup, "RETAIL")
            with pytest.raises(NotFoundError):
                uow.code_tables.remove(IndustryGroup, "RETAIL")

    def test_find_all_is_ordered_by_key(self, uow_factory: UnitOfWorkFactory) -> None:
        """find_all() returns one kind's rows ordered by key."""
        with uow_factory() as uow:
            for code in ("WHOLESALE", "AUTO", "RETAIL"):
                uow.code_tables.add(IndustryGroup(code=code))
            uow.code_tables.add(Territory(code="B"))
            uow.commit()

        with uow_factory() as uow:
            assert [g.code for g in uow.code_tables.find_all(IndustryGroup)] == [
                "AUTO",
                "RETAIL",
                "WHOLESALE",
            ]

    def test_formulas_are_keyed_by_salutation_language_and_type(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Salutation formulas with different language or type are different rows."""
        base = SalutationFormula(salutation_code="M", salutation="Dear %1")
        variants = [
            base,
            attrs.evolve(base, language_code="DEU", salutation="Sehr geehrter %1"),
            attrs.evolve(
                base, salutation_type=SalutationType.INFORMAL, salutation="Hi"
            ),
        ]
        with uow_factory() as uow:
            uow.code_tables.add(Salutation(code="M"))
            for formula in variants:
                uow.code_tables.add(formula)
            uow.commit()

        with uow_factory() as uow:
            assert uow.code_tables.find_all(SalutationFormula) == sorted(
                variants, key=lambda f: f.key
            )
            assert (
                uow.code_tables.get(SalutationFormula, "M", "DEU", "Formal")
                == (variants[1])
            )

    def test_a_formula_needs_its_salutation(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A formula for an unknown salutation is an IntegrityViolationError."""
        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.code_tables.add(
                SalutationFormula(salutation_code="GHOST", salutation="x")
            )
            uow.commit()

    def test_a_salutation_with_formulas_cannot_be_removed(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Removing a salutation that has formulas is an IntegrityViolationError."""
        with uow_factory() as uow:
            uow.code_tables.add(Salutation(code="M"))
            uow.code_tables.add(SalutationFormula(salutation_code="M", salutation="x"))
            uow.commit()

        with pytest.raises(PersistenceError), uow_factory() as uow:
            uow.code_tables.remove(Salutation, "M")
            uow.commit()

        with uow_factory() as uow:
            assert uow.code_tables.exists(Salutation, "M")


class ProfileQuestionnaireRepositoryContract(_FactoryFixture):
    """Profile questionnaires, stored whole with their questions and answers."""

    def test_a_missing_questionnaire_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get() of an unknown code raises NotFoundError naming kind and key."""
        with pytest.raises(NotFoundError) as info, uow_factory() as uow:
            uow.profile_questionnaires.get(Code("NOPE"))

        assert (info.value.kind, info.value.key) == ("profile questionnaire", "NOPE")

    def test_added_questionnaire_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field of header, questions, answers and rating points survives.

        That is: answers of every priority, class fields of each kind, date
        formulas, Decimal ranges and rating points (in their order, one of another
        questionnaire); the version becomes 1.
        """
        questionnaire = _questionnaire()
        with uow_factory() as uow:
            uow.profile_questionnaires.add(questionnaire)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.profile_questionnaires.get(Code("SIZE"))

        assert questionnaire.version == 1
        assert stored == questionnaire
        assert [(line.line_no, type(line).__name__) for line in stored.lines] == [
            (line.line_no, type(line).__name__) for line in questionnaire.lines
        ]
        rating = stored.questions[-1]
        assert [(p.answer, p.points) for p in rating.rating_points] == [
            (("SIZE", 50000), Decimal(10)),
            (("SIZE", 20000), Decimal("-2.5")),
            (("OTHER", 20000), Decimal("0.75")),
        ]

    def test_a_questionnaire_without_lines_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A header with defaults and no lines survives add/get."""
        questionnaire = ProfileQuestionnaire(code="EMPTY")
        with uow_factory() as uow:
            uow.profile_questionnaires.add(questionnaire)
            uow.commit()

        with uow_factory() as uow:
            assert uow.profile_questionnaires.get(Code("EMPTY")) == questionnaire

    def test_returned_questionnaires_are_copies(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Changing the added object or a returned one changes nothing in storage."""
        questionnaire = _questionnaire()
        with uow_factory() as uow:
            uow.profile_questionnaires.add(questionnaire)
            questionnaire.describe("changed after add")
            uow.profile_questionnaires.get(Code("SIZE")).add_question("Not stored")
            uow.commit()

        with uow_factory() as uow:
            uow.profile_questionnaires.find_all()[0].describe("changed after find")
            stored = uow.profile_questionnaires.get(Code("SIZE"))

        assert stored.description == "Company size and value"
        assert stored.lines == _questionnaire().lines

    def test_adding_an_existing_questionnaire_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """add() of a stored code raises AlreadyExistsError."""
        with uow_factory() as uow:
            uow.profile_questionnaires.add(ProfileQuestionnaire(code="SIZE"))
            uow.commit()

        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.profile_questionnaires.add(_questionnaire())

        with uow_factory() as uow:
            assert uow.profile_questionnaires.get(Code("SIZE")).lines == ()

    def test_updating_a_questionnaire_replaces_its_lines(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """After update(), the stored lines are exactly the object's lines.

        A removed line and a removed rating point are gone; changed and new lines
        are stored.
        """
        with uow_factory() as uow:
            uow.profile_questionnaires.add(_questionnaire())
            uow.commit()

        with uow_factory() as uow:
            changed = uow.profile_questionnaires.get(Code("SIZE"))
            changed.unrate_answer(110000, answer_line_no=20000)
            changed.remove_answer(20000, no_of_contacts=0)
            changed.configure_answer(30000, description="Small", to_value=Decimal(49))
            changed.add_answer(10000, "Huge", from_value=5000, before=60000)
            changed.change_priority(QuestionnairePriority.VERY_LOW)
            uow.profile_questionnaires.update(changed)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.profile_questionnaires.get(Code("SIZE"))

        assert changed.version == 2
        assert stored == changed
        assert 20000 not in [line.line_no for line in stored.lines]
        assert (stored.answer(30000).description, stored.answer(30000).to_value) == (
            "Small",
            Decimal(49),
        )
        assert [p.answer for p in stored.question(110000).rating_points] == [
            ("SIZE", 50000),
            ("OTHER", 20000),
        ]

    def test_a_questionnaire_updated_without_lines_has_none(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A questionnaire updated without lines is stored without lines."""
        with uow_factory() as uow:
            uow.profile_questionnaires.add(_questionnaire())
            uow.commit()

        with uow_factory() as uow:
            emptied = uow.profile_questionnaires.get(Code("SIZE"))
            emptied.lines = ()
            uow.profile_questionnaires.update(emptied)
            uow.commit()

        with uow_factory() as uow:
            assert uow.profile_questionnaires.get(Code("SIZE")).lines == ()

    def test_an_uncommitted_questionnaire_update_keeps_the_old_lines(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Header and lines are rolled back together."""
        original = _questionnaire()
        with uow_factory() as uow:
            uow.profile_questionnaires.add(original)
            uow.commit()

        with uow_factory() as uow:
            changed = uow.profile_questionnaires.get(Code("SIZE"))
            changed.remove_answer(100000, no_of_contacts=0)
            changed.describe("not committed")
            uow.profile_questionnaires.update(changed)

        with uow_factory() as uow:
            assert uow.profile_questionnaires.get(Code("SIZE")) == original

    def test_updating_a_stale_questionnaire_raises_and_changes_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() with an old version raises ConcurrencyError; the winner stays."""
        with uow_factory() as uow:
            uow.profile_questionnaires.add(_questionnaire())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.profile_questionnaires.get(Code("SIZE"))
        with uow_factory() as uow:
            winner = uow.profile_questionnaires.get(Code("SIZE"))
            winner.describe("winner")
            uow.profile_questionnaires.update(winner)
            uow.commit()

        stale.remove_answer(100000, no_of_contacts=0)
        with pytest.raises(ConcurrencyError) as info, uow_factory() as uow:
            uow.profile_questionnaires.update(stale)
            uow.commit()

        assert info.value.key == "SIZE"
        with uow_factory() as uow:
            assert uow.profile_questionnaires.get(Code("SIZE")) == winner

    def test_updating_a_removed_questionnaire_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() of a questionnaire that is gone raises NotFoundError."""
        questionnaire = _questionnaire()
        with uow_factory() as uow:
            uow.profile_questionnaires.add(questionnaire)
            uow.commit()
        with uow_factory() as uow:
            uow.profile_questionnaires.remove(Code("SIZE"))
            uow.commit()

        with pytest.raises(NotFoundError), uow_factory() as uow:
            uow.profile_questionnaires.update(questionnaire)

    def test_remove_deletes_the_questionnaire_and_its_lines(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes a questionnaire whole; a missing one raises NotFoundError.

        The code can be used again afterwards.
        """
        with uow_factory() as uow:
            uow.profile_questionnaires.add(_questionnaire())
            uow.commit()
        with uow_factory() as uow:
            uow.profile_questionnaires.remove(Code("SIZE"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.profile_questionnaires.find_all() == []
            with pytest.raises(NotFoundError):
                uow.profile_questionnaires.remove(Code("SIZE"))
        with uow_factory() as uow:
            uow.profile_questionnaires.add(ProfileQuestionnaire(code="SIZE"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.profile_questionnaires.get(Code("SIZE")).lines == ()

    def test_find_all_questionnaires_is_ordered_by_code(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_all() returns every questionnaire, whole, ordered by code."""
        added = [_questionnaire(code) for code in ("SIZE", "ACME", "Z-LAST", "B")]
        with uow_factory() as uow:
            for questionnaire in added:
                uow.profile_questionnaires.add(questionnaire)
            uow.commit()

        with uow_factory() as uow:
            found = uow.profile_questionnaires.find_all()

        assert found == sorted(added, key=lambda q: q.code)


class AdapterContract(
    UnitOfWorkContract,
    SetupRepositoryContract,
    NumberSeriesRepositoryContract,
    CodeTableRepositoryContract,
    ProfileQuestionnaireRepositoryContract,
):
    """Every contract of this module in one class: subclass it once per adapter."""
