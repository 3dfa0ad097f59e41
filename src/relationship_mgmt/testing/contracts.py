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

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relationship_mgmt.domain.campaigns import (
    Campaign,
    CampaignEntry,
    CampaignLineDiscountLine,
    CampaignPriceLine,
    CampaignTargetGroup,
    PriceAssetType,
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
from relationship_mgmt.domain.contacts import (
    Address,
    AlternativeAddress,
    BusinessRelationLink,
    Contact,
    ContactRelations,
    ContactType,
    LinkToTable,
)
from relationship_mgmt.domain.criteria import Criteria, Not, where
from relationship_mgmt.domain.duplicates import DuplicateMethod
from relationship_mgmt.domain.interactions import (
    DeliveryStatus,
    DocumentKind,
    DocumentType,
    Evaluation,
    InformationFlow,
    InitiatedBy,
    InteractionFilter,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateSetup,
    WizardAction,
    statistics_of,
)
from relationship_mgmt.domain.mailmerge import OutgoingMessage
from relationship_mgmt.domain.merging import MergeRecord, plan_merge
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.domain.opportunities import (
    ActionTaken,
    ActionType,
    Opportunity,
    OpportunityEntry,
    OpportunityPriority,
    OpportunityStatus,
    ProbabilityCalculation,
    SalesCycle,
    SalesCycleStage,
    SalesDocumentType,
)
from relationship_mgmt.domain.pipeline import (
    OpportunityTotals,
    pipeline_of,
    stage_durations_of,
    totals_of,
)
from relationship_mgmt.domain.profiles import (
    AnswerPriority,
    ClassificationMethod,
    ContactClassField,
    ContactProfileAnswer,
    CustomerClassField,
    ProfileQuestionnaire,
    QuestionnaireContactType,
    QuestionnairePriority,
    SortingMethod,
    VendorClassField,
)
from relationship_mgmt.domain.salespeople import Salesperson, Team
from relationship_mgmt.domain.segments import (
    AddOptions,
    CriteriaAction,
    HistoryAction,
    LoggedSegment,
    SavedCriteria,
    Segment,
    SegmentAction,
    save_criteria,
)
from relationship_mgmt.domain.setup import (
    CODE_TABLE_KINDS,
    BusinessRelation,
    CloseOpportunityCode,
    CloseOpportunityType,
    CodeRecord,
    CorrespondenceType,
    IndustryGroup,
    RelationshipSetup,
    Salutation,
    SalutationFormula,
    SalutationName,
    SalutationType,
    Territory,
    WebSource,
)
from relationship_mgmt.domain.tasks import (
    Activity,
    ActivityStep,
    AttendanceType,
    Attendee,
    AttendeeType,
    CalcDueDateFrom,
    InvitationResponse,
    SystemTaskType,
    Task,
    TaskFilter,
    TaskPriority,
    TaskStatus,
    TaskType,
    contact_task_filter,
    next_task_date_of,
    salesperson_task_filter,
    team_task_filter,
)
from relationship_mgmt.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    IntegrityViolationError,
    InteractionEntryError,
    NotFoundError,
    PersistenceError,
    UnitOfWorkStateError,
    ValidationError,
)
from relationship_mgmt.ports import AttachmentStore, CodeTableRecord, UnitOfWorkFactory
from relationship_mgmt.ports.delivery import Outbox
from relationship_mgmt.ports.repositories import DUPLICATE_KEY_LENGTH

__all__ = [
    "ActivityRepositoryContract",
    "AdapterContract",
    "AttachmentStoreContract",
    "CodeTableRepositoryContract",
    "ContactProfileAnswerRepositoryContract",
    "ContactRepositoryContract",
    "DuplicateKeyRepositoryContract",
    "MergeRepositoryContract",
    "NumberSeriesRepositoryContract",
    "OutboxContract",
    "ProfileQuestionnaireRepositoryContract",
    "SeparateContactPairRepositoryContract",
    "SetupRepositoryContract",
    "TaskRepositoryContract",
    "UnitOfWorkContract",
]

_DAY = date(2026, 1, 5)

_EXAMPLES = itertools.count(1)
"""Numbers the examples of the property tests, which share one store per test."""

_AGAINST_THE_REFERENCE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.differing_executors,
    ],
)
"""Settings of the property tests that hold a query to its reference function."""


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


_NOW = datetime(2026, 1, 5, 9, 30, 15, 123456, tzinfo=UTC)
_LATER = datetime(2026, 2, 1, 14, 0, tzinfo=UTC)
_SETUP = RelationshipSetup()


def _company(no: str = "CT01", name: str = "Cronus Ltd.", **fields: object) -> Contact:
    return Contact.create_company(no=no, name=name, now=_NOW, setup=_SETUP, **fields)


def _person(
    no: str, name: str, company: Contact | None = None, **fields: object
) -> Contact:
    return Contact.create_person(
        no=no, name=name, now=_NOW, setup=_SETUP, company=company, **fields
    )


def _alternative(code: str, city: str) -> AlternativeAddress:
    return AlternativeAddress(
        code=code,
        company_name=f"{city} office",
        company_name_2="annex",
        address=Address(
            address="1 Quay",
            address_2="Floor 2",
            post_code="ab1 2cd",
            city=city,
            county="Shire",
            country_code="GB",
        ),
        phone_no="+44 20 1",
        telex_no="TX1",
        extension_no="12",
        mobile_phone_no="+44 7700 1",
        pager="P1",
        email=f"Office@{city}.Example",
        home_page=f"https://{city}.example",
        fax_no="+44 20 2",
        telex_answer_back="AB",
    )


def _full_company(no: str = "CT01") -> Contact:
    """A company with every field a company can have, collections included."""
    company = _company(
        no,
        "Cronus Ltd.",
        name_2="Holding",
        address="5 The Ring",
        address_2="Westminster",
        post_code="w1 4ab",
        city="London",
        county="Greater London",
        country_code="gb",
        phone_no="+44 20 7946 0000",
        mobile_phone_no="+44 7700 900000",
        fax_no="+44 20 7946 0001",
        telex_no="TX 1",
        telex_answer_back="CRONUS",
        extension_no="100",
        pager="555",
        email="Info@Cronus.EXAMPLE",
        email_2="sales@cronus.example",
        home_page="https://cronus.example",
        salesperson_code="ps",
        territory_code="north",
        currency_code="gbp",
        language_code="enu",
        format_region="en-GB",
        correspondence_type=CorrespondenceType.EMAIL,
        salutation_code="company",
        initials="CL",
        vat_registration_no="gb123456789",
        registration_number="0123456",
        exclude_from_segment=True,
        external_id="crm-42",
        mailing_groups={"news", "xmas"},
        industry_groups={"retail", "auto"},
        web_sources={"linkedin": "cronus-ltd", "web": "cronus"},
        business_relations={"cust", "prospect"},
    )
    company.add_alternative_address(_alternative("summer", "Nice"), now=_NOW)
    company.add_alternative_address(_alternative("winter", "Oslo"), now=_NOW)
    company.schedule_alternative_address(
        "summer", starting=date(2026, 7, 1), ending=date(2026, 8, 31), now=_NOW
    )
    company.schedule_alternative_address("winter", starting=date(2026, 12, 1), now=_NOW)
    company.block_privacy(now=_LATER)
    return company


def _full_person(company: Contact, no: str = "CT02") -> Contact:
    """A person of ``company`` with every field a person can have."""
    person = _person(
        no,
        "Anna Maria de Vries",
        company,
        name_2="PhD",
        phone_no="+44 20 7946 0100",
        mobile_phone_no="+44 7700 900100",
        email="Anna.de.Vries@Cronus.EXAMPLE",
        email_2="anna@home.example",
        job_title="Buyer",
        initials="AMV",
        organizational_level_code="mgr",
        language_code="nld",
        salutation_code="formal",
        registration_number="P-1",
        external_id="ext-anna",
        mailing_groups={"news"},
        job_responsibilities={"purchase", "it"},
        business_relations={"press"},
    )
    person.add_alternative_address(_alternative("home", "Leeds"), now=_NOW)
    person.schedule_alternative_address(
        "home", starting=date(2026, 1, 1), ending=date(2026, 1, 1), now=_NOW
    )
    person.mark_minor(now=_LATER)
    person.record_parental_consent(now=_LATER)
    person.unblock_privacy(now=_LATER)
    return person


def _as_stored(contact: Contact) -> Contact:
    """``contact`` as a first add() stores it (version 1)."""
    contact.version = 1
    return contact


class ContactRepositoryContract(_FactoryFixture):
    """Contacts, stored whole with their collections, and their company links."""

    def test_a_missing_contact_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get() of an unknown number raises NotFoundError naming kind and key."""
        with pytest.raises(NotFoundError) as info, uow_factory() as uow:
            uow.contacts.get(ContactNo("NOPE"))

        assert (info.value.kind, info.value.key) == ("contact", "NOPE")

    def test_exists_tells_whether_a_contact_is_stored(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """exists() is true for a stored contact only."""
        with uow_factory() as uow:
            uow.contacts.add(_company())
            uow.commit()

        with uow_factory() as uow:
            assert uow.contacts.exists(ContactNo("CT01"))
            assert not uow.contacts.exists(ContactNo("CT02"))

    def test_get_many_returns_the_stored_ones_whole(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get_many() returns stored contacts by number, whole; unknown ones are left out."""
        with uow_factory() as uow:
            company = _full_company()
            uow.contacts.add(company)
            uow.contacts.add(_full_person(company))
            uow.commit()

        with uow_factory() as uow:
            found = uow.contacts.get_many(
                [ContactNo("CT02"), ContactNo("NOPE"), ContactNo("CT01")]
            )
            assert sorted(found) == ["CT01", "CT02"]
            assert found[ContactNo("CT01")] == uow.contacts.get(ContactNo("CT01"))
            assert found[ContactNo("CT02")] == uow.contacts.get(ContactNo("CT02"))
            assert uow.contacts.get_many([]) == {}

    def test_get_texts_reads_text_fields_without_whole_contacts(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """get_texts() gives fields as text: enums by value, codes not set as ""."""
        with uow_factory() as uow:
            company = _full_company()
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "John Smith", company))
            uow.commit()

        with uow_factory() as uow:
            found = uow.contacts.get_texts(
                [ContactNo("CT02"), ContactNo("CT01"), ContactNo("NOPE")],
                ["type", "name", "company_no", "salutation_code", "city"],
            )
            full = uow.contacts.get(ContactNo("CT01"))
            assert found == {
                "CT01": {
                    "type": "Company",
                    "name": full.name,
                    "company_no": "CT01",
                    "salutation_code": full.salutation_code or "",
                    "city": full.city,
                },
                "CT02": {
                    "type": "Person",
                    "name": "John Smith",
                    "company_no": "CT01",
                    "salutation_code": "",
                    "city": full.city,
                },
            }
            assert uow.contacts.get_texts([], ["name"]) == {}
            with pytest.raises(ValidationError):
                uow.contacts.get_texts([ContactNo("CT01")], ["mailing_groups"])

    def test_added_company_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field of a company survives add/get; the version becomes 1.

        That is: texts, codes, flags, the enum, the timestamp to the microsecond,
        mailing and industry groups, web sources, business relations, alternative
        addresses and their periods (one open-ended).
        """
        company = _full_company()
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.contacts.get(ContactNo("CT01"))

        assert company.version == 1
        assert stored == company
        assert stored.last_modified == _LATER
        assert stored.search_email == "INFO@CRONUS.EXAMPLE"
        assert stored.web_sources == {"LINKEDIN": "cronus-ltd", "WEB": "cronus"}
        assert [p.ending_date for p in stored.alternative_address_periods] == [
            date(2026, 8, 31),
            None,
        ]

    def test_added_person_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field of a person of a company survives add/get.

        That is: its name parts, company link and inherited values, job
        responsibilities, privacy flags and alternative address.
        """
        company = _full_company()
        person = _full_person(company)
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(person)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.contacts.get(ContactNo("CT02"))

        assert stored == person
        assert (stored.company_no, stored.company_name) == ("CT01", "Cronus Ltd.")
        assert (stored.first_name, stored.middle_name, stored.surname) == (
            "Anna Maria",
            "de",
            "Vries",
        )
        assert stored.job_responsibilities == {"PURCHASE", "IT"}
        assert (stored.minor, stored.parental_consent_received) == (True, True)

    def test_a_plain_contact_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A person without company and with every field blank survives add/get."""
        person = _person("CT09", "")
        with uow_factory() as uow:
            uow.contacts.add(person)
            uow.commit()

        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT09")) == person

    def test_returned_contacts_are_copies(self, uow_factory: UnitOfWorkFactory) -> None:
        """Changing the added object or a returned one changes nothing in storage."""
        company = _full_company()
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "John Smith", company))
            company.rename("Changed after add", now=_LATER)
            uow.contacts.get(ContactNo("CT01")).edit(mailing_groups=(), now=_LATER)
            uow.commit()

        with uow_factory() as uow:
            uow.contacts.find_all()[0].rename("Changed after find_all", now=_LATER)
            uow.contacts.search("cronus")[0].rename("Changed after search", now=_LATER)
            uow.contacts.persons_of(ContactNo("CT01"))[0].rename("X", now=_LATER)
            stored = uow.contacts.get(ContactNo("CT01"))
            person = uow.contacts.get(ContactNo("CT02"))

        assert stored == _as_stored(_full_company())
        assert person.name == "John Smith"

    def test_adding_an_existing_contact_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """add() of a stored number raises AlreadyExistsError; the stored one stays."""
        with uow_factory() as uow:
            uow.contacts.add(_company())
            uow.commit()

        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.contacts.add(_full_company())

        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT01")) == _as_stored(_company())

    def test_updating_a_contact_replaces_its_collections(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """After update(), the stored collections are exactly the contact's.

        A removed mailing group, web source or alternative address (with its
        periods) is gone; changed and new members are stored; the version is 2.
        """
        with uow_factory() as uow:
            uow.contacts.add(_full_company())
            uow.commit()

        with uow_factory() as uow:
            changed = uow.contacts.get(ContactNo("CT01"))
            changed.edit(
                mailing_groups={"news"},
                web_sources={"web": "cronus-new", "x": "cronus"},
                city="Paris",
                now=_LATER,
            )
            changed.add_business_relation("vendor", now=_LATER)
            changed.remove_alternative_address("summer", now=_LATER)
            changed.rename("Cronus SA", now=_LATER)
            uow.contacts.update(changed)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.contacts.get(ContactNo("CT01"))

        assert changed.version == 2
        assert stored == changed
        assert stored.mailing_groups == {"NEWS"}
        assert stored.web_sources == {"WEB": "cronus-new", "X": "cronus"}
        assert stored.business_relation_codes == {"CUST", "PROSPECT", "VENDOR"}
        assert [a.code for a in stored.alternative_addresses] == ["WINTER"]
        assert [p.address_code for p in stored.alternative_address_periods] == [
            "WINTER"
        ]

    def test_linked_business_relations_round_trip(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Business relation rows keep their Link to Table and No. (§2.8).

        A placeholder row (blank No.) is replaced by its linked row, and an
        unlinked row comes back unlinked; linked_to() finds the holder of a link.
        """
        with uow_factory() as uow:
            uow.contacts.add(_full_company())
            uow.commit()

        customer = BusinessRelationLink("CUST", LinkToTable.CUSTOMER, "C10000")
        vendor = BusinessRelationLink("VEND", LinkToTable.VENDOR, "V20000")
        with uow_factory() as uow:
            linked = uow.contacts.get(ContactNo("CT01"))
            linked.link_business_partner(
                customer, setup=RelationshipSetup(), now=_LATER
            )
            linked.link_business_partner(vendor, setup=RelationshipSetup(), now=_LATER)
            uow.contacts.update(linked)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.contacts.get(ContactNo("CT01"))

        assert stored == linked
        assert stored.business_relations == {
            customer,
            vendor,
            BusinessRelationLink("PROSPECT"),
        }
        assert stored.business_partner_link(LinkToTable.CUSTOMER) == "C10000"
        with uow_factory() as uow:
            holders = (
                uow.contacts.linked_to(LinkToTable.CUSTOMER, "C10000"),
                uow.contacts.linked_to(LinkToTable.VENDOR, "V20000"),
                uow.contacts.linked_to(LinkToTable.VENDOR, "C10000"),
                uow.contacts.linked_to(LinkToTable.CUSTOMER, ""),
            )
        assert holders == ("CT01", "CT01", None, None)

    def test_a_contact_updated_without_collections_has_none(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Emptied collections are stored empty."""
        with uow_factory() as uow:
            uow.contacts.add(_full_company())
            uow.commit()

        with uow_factory() as uow:
            emptied = uow.contacts.get(ContactNo("CT01"))
            emptied.edit(
                mailing_groups=(), industry_groups=(), web_sources={}, now=_LATER
            )
            for relation in sorted(emptied.business_relation_codes):
                emptied.remove_business_relation(relation, now=_LATER)
            for alternative in emptied.alternative_addresses:
                emptied.remove_alternative_address(alternative.code, now=_LATER)
            uow.contacts.update(emptied)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.contacts.get(ContactNo("CT01"))

        assert stored == emptied
        assert (stored.mailing_groups, stored.web_sources) == (frozenset(), {})
        assert stored.alternative_address_periods == ()

    def test_an_uncommitted_contact_update_keeps_the_old_collections(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """The contact row and its collections are rolled back together."""
        with uow_factory() as uow:
            uow.contacts.add(_full_company())
            uow.commit()

        with uow_factory() as uow:
            changed = uow.contacts.get(ContactNo("CT01"))
            changed.edit(mailing_groups=(), name="Not committed", now=_LATER)
            uow.contacts.update(changed)

        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT01")) == _as_stored(_full_company())

    def test_updating_a_stale_contact_raises_and_changes_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() with an old version raises ConcurrencyError; the winner stays."""
        with uow_factory() as uow:
            uow.contacts.add(_full_company())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.contacts.get(ContactNo("CT01"))
        with uow_factory() as uow:
            winner = uow.contacts.get(ContactNo("CT01"))
            winner.rename("Winner", now=_LATER)
            uow.contacts.update(winner)
            uow.commit()

        stale.edit(mailing_groups=(), city="Stale", now=_LATER)
        with pytest.raises(ConcurrencyError) as info, uow_factory() as uow:
            uow.contacts.update(stale)
            uow.commit()

        assert info.value.key == "CT01"
        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT01")) == winner

    def test_updating_a_removed_contact_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() of a contact that is gone raises NotFoundError."""
        company = _company()
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.commit()
        with uow_factory() as uow:
            uow.contacts.remove(ContactNo("CT01"))
            uow.commit()

        with pytest.raises(NotFoundError), uow_factory() as uow:
            uow.contacts.update(company)

    def test_remove_deletes_the_contact_and_its_collections(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes a contact whole; a missing one raises NotFoundError.

        The number can be used again afterwards, without the old collections.
        """
        with uow_factory() as uow:
            uow.contacts.add(_full_company())
            uow.commit()
        with uow_factory() as uow:
            uow.contacts.remove(ContactNo("CT01"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.contacts.find_all() == []
            with pytest.raises(NotFoundError):
                uow.contacts.remove(ContactNo("CT01"))
        with uow_factory() as uow:
            uow.contacts.add(_company())
            uow.commit()
        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT01")) == _as_stored(_company())

    def test_a_person_needs_an_existing_company(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A person whose company is not stored is an IntegrityViolationError."""
        ghost = _company("GHOST")

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contacts.add(_person("CT02", "John Smith", ghost))
            uow.commit()

        with uow_factory() as uow:
            assert not uow.contacts.exists(ContactNo("CT02"))

    def test_a_persons_company_must_be_a_company_contact(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A person pointing to another person is an IntegrityViolationError."""
        pointing = Contact(
            no="CT03", type=ContactType.PERSON, company_no="CT02", last_modified=_NOW
        )
        with uow_factory() as uow:
            uow.contacts.add(_person("CT02", "John Smith"))
            uow.commit()

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contacts.add(pointing)
            uow.commit()

    def test_a_person_can_be_linked_to_a_company_added_in_the_same_block(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Company before persons: both can be added in one unit of work."""
        company = _company()
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "John Smith", company))
            uow.commit()

        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT02")).company_no == "CT01"

    def test_a_company_with_persons_cannot_be_removed(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Removing a company that persons point to is an IntegrityViolationError.

        Once its persons are removed (or unlinked), the company can go.
        """
        company = _company()
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "John Smith", company))
            uow.contacts.add(_person("CT03", "Ann Lee", company))
            uow.commit()

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contacts.remove(ContactNo("CT01"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.contacts.exists(ContactNo("CT01"))
            uow.contacts.remove(ContactNo("CT02"))
            ann = uow.contacts.get(ContactNo("CT03"))
            ann.unlink_from_company(now=_LATER)
            uow.contacts.update(ann)
            uow.contacts.remove(ContactNo("CT01"))
            uow.commit()
        with uow_factory() as uow:
            assert [c.no for c in uow.contacts.find_all()] == ["CT03"]

    def test_a_company_with_persons_must_stay_a_company(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Writing a company with persons back as a person is an IntegrityViolationError."""
        company = _company(name="Ann Lee")
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "John Smith", company))
            uow.commit()

        company.change_type(
            ContactType.PERSON, related=ContactRelations(), setup=_SETUP, now=_LATER
        )
        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contacts.update(company)
            uow.commit()

        with uow_factory() as uow:
            assert uow.contacts.get(ContactNo("CT01")).type is ContactType.COMPANY

    def test_persons_of_returns_a_companys_persons_by_number(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """persons_of() gives the persons linked to the company, ordered by number.

        Not the company itself, not another company's persons, not loose persons.
        """
        cronus, fabrikam = _company("CT01"), _company("CT05", "Fabrikam")
        with uow_factory() as uow:
            uow.contacts.add(cronus)
            uow.contacts.add(fabrikam)
            for no, company in (
                ("CT09", cronus),
                ("CT02", cronus),
                ("CT07", fabrikam),
                ("CT04", cronus),
                ("CT03", None),
            ):
                uow.contacts.add(_person(no, f"Person {no}", company))
            uow.commit()

        with uow_factory() as uow:
            persons = uow.contacts.persons_of(ContactNo("CT01"))
            assert uow.contacts.persons_of(ContactNo("CT03")) == []

        assert [p.no for p in persons] == ["CT02", "CT04", "CT09"]
        assert persons[0] == _as_stored(_person("CT02", "Person CT02", cronus))

    def test_find_all_contacts_is_in_bc_list_order(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_all() orders by company name, company no., type, name and number.

        So each company comes right before its persons (by name, then number);
        loose persons (no company name) come first.
        """
        alpha, beta, beta2 = (
            _company("CT20", "Alpha"),
            _company("CT10", "Beta"),
            _company("CT11", "Beta"),
        )
        contacts = [
            beta2,
            _person("CT30", "Zoe", beta),
            alpha,
            _person("CT31", "Adam", beta),
            beta,
            _person("CT32", "Adam", beta),
            _person("CT40", "Loose"),
            _person("CT33", "Zed", alpha),
            _person("CT34", "Ann", beta2),
        ]
        with uow_factory() as uow:
            for contact in sorted(contacts, key=lambda c: c.type.value):
                uow.contacts.add(contact)  # companies first
            uow.commit()

        with uow_factory() as uow:
            found = [c.no for c in uow.contacts.find_all()]

        assert found == [
            "CT40",
            "CT20",
            "CT33",
            "CT10",
            "CT31",
            "CT32",
            "CT30",
            "CT11",
            "CT34",
        ]

    def test_search_finds_contacts_by_name_fragment_ignoring_case(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """search() matches a fragment of name, search name or company name in any case.

        Results are ordered by number; ``limit`` keeps the first ones.
        """
        cronus = _company("CT05", "Cronus Ltd.", search_name="ACME")
        with uow_factory() as uow:
            uow.contacts.add(cronus)
            uow.contacts.add(_person("CT02", "John Smith", cronus))
            uow.contacts.add(_person("CT01", "Ann Smithers"))
            uow.contacts.add(_person("CT03", "Bob Jones"))
            uow.commit()

        with uow_factory() as uow:
            by_name = [c.no for c in uow.contacts.search("SMITH")]
            by_company = [c.no for c in uow.contacts.search("cRoNuS")]
            by_search_name = [c.no for c in uow.contacts.search("acm")]
            limited = [c.no for c in uow.contacts.search("s", limit=2)]
            nothing = uow.contacts.search("nobody")

        assert by_name == ["CT01", "CT02"]
        assert by_company == ["CT02", "CT05"]
        assert by_search_name == ["CT05"]
        assert limited == ["CT01", "CT02"]
        assert nothing == []

    def test_search_finds_contacts_by_email_and_phone_fragments(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """search() matches a fragment of the e-mail, phone or mobile phone number."""
        with uow_factory() as uow:
            uow.contacts.add(_company("CT01", email="Info@Cronus.example"))
            uow.contacts.add(_person("CT02", "Ann", phone_no="+44 20 7946 0100"))
            uow.contacts.add(_person("CT03", "Bob", mobile_phone_no="+45 7946 22"))
            uow.commit()

        with uow_factory() as uow:
            by_email = [c.no for c in uow.contacts.search("@cronus.EX")]
            by_phone = [c.no for c in uow.contacts.search("7946")]
            by_mobile = [c.no for c in uow.contacts.search("+45")]

        assert by_email == ["CT01"]
        assert by_phone == ["CT02", "CT03"]
        assert by_mobile == ["CT03"]

    def test_email_addresses_lists_every_address_of_every_contact(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """email_addresses() lists E-Mail, E-Mail 2 (split) and alternative e-mails."""
        company = _company(
            "CT01",
            email="info@cronus.example;sales@cronus.example",
            email_2="ceo@cronus.example",
        )
        company.add_alternative_address(_alternative("LEEDS", "Leeds"), now=_NOW)
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "Ann"))
            uow.commit()

        with uow_factory() as uow:
            addresses = uow.contacts.email_addresses()

        assert addresses == [
            ("CT01", "Office@leeds.example"),
            ("CT01", "ceo@cronus.example"),
            ("CT01", "info@cronus.example"),
            ("CT01", "sales@cronus.example"),
        ]

    def test_search_takes_percent_and_underscore_literally(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """``%`` and ``_`` in the search text match only themselves."""
        with uow_factory() as uow:
            uow.contacts.add(_company("CT01", "100% Organic"))
            uow.contacts.add(_company("CT02", "A_B Trading"))
            uow.contacts.add(_company("CT03", "AXB Trading"))
            uow.contacts.add(_company("CT04", "Slash / Co"))
            uow.commit()

        with uow_factory() as uow:
            percent = [c.no for c in uow.contacts.search("0% o")]
            underscore = [c.no for c in uow.contacts.search("a_b")]
            wildcard = uow.contacts.search("%")
            slash = [c.no for c in uow.contacts.search("/ c")]

        assert percent == ["CT01"]
        assert underscore == ["CT02"]
        assert [c.no for c in wildcard] == ["CT01"]
        assert slash == ["CT04"]


def _answered_questionnaire(code: str = "SIZE") -> ProfileQuestionnaire:
    q = ProfileQuestionnaire(code=code, priority=QuestionnairePriority.HIGH)
    question = q.add_question("Employees")
    q.add_answer(question.line_no, "Few", to_value=49)
    q.add_answer(question.line_no, "Many", from_value=50)
    return q


def _answer(
    contact_no: str = "CT01", code: str = "SIZE", line_no: int = 20000, **fields: object
) -> ContactProfileAnswer:
    values: dict[str, object] = {
        "contact_no": contact_no,
        "questionnaire_code": code,
        "line_no": line_no,
        "last_date_updated": _DAY,
    }
    values.update(fields)
    return ContactProfileAnswer(**values)  # type: ignore[arg-type]


class ContactProfileAnswerRepositoryContract(_FactoryFixture):
    """Contacts' profile answers and their references to contacts and questionnaires."""

    def _store_contacts_and_questionnaires(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        company = _company("CT01")
        with uow_factory() as uow:
            uow.contacts.add(company)
            uow.contacts.add(_person("CT02", "John Smith", company))
            uow.profile_questionnaires.add(_answered_questionnaire("SIZE"))
            uow.profile_questionnaires.add(_answered_questionnaire("A-RATE"))
            uow.commit()

    def test_added_profile_answers_read_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field of an answer survives add/find_by_contact."""
        self._store_contacts_and_questionnaires(uow_factory)
        answer = _answer(
            "CT02",
            contact_company_no="CT01",
            questionnaire_priority=QuestionnairePriority.HIGH,
            answer_priority=AnswerPriority.VERY_LOW_HIDDEN,
            questions_answered_pct=Decimal("33.3"),
            value_text="Fifty-ish",
        )
        with uow_factory() as uow:
            uow.contact_profile_answers.add(answer)
            uow.contact_profile_answers.add(_answer("CT01"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.contact_profile_answers.find_by_contact(ContactNo("CT02")) == [
                answer
            ]
            assert uow.contact_profile_answers.find_by_contact(ContactNo("CT01")) == [
                _answer("CT01")
            ]

    def test_adding_an_existing_profile_answer_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """add() of a stored (contact, questionnaire, line) raises AlreadyExistsError."""
        self._store_contacts_and_questionnaires(uow_factory)
        with uow_factory() as uow:
            uow.contact_profile_answers.add(_answer())
            uow.commit()

        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.contact_profile_answers.add(_answer(value_text="again"))

        with uow_factory() as uow:
            assert uow.contact_profile_answers.find_by_contact(ContactNo("CT01")) == [
                _answer()
            ]

    def test_a_profile_answer_needs_its_contact(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """An answer of an unknown contact is an IntegrityViolationError."""
        self._store_contacts_and_questionnaires(uow_factory)

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contact_profile_answers.add(_answer("GHOST"))
            uow.commit()

    def test_a_profile_answer_needs_its_questionnaire_line(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """An answer to an unknown questionnaire or line is an IntegrityViolationError."""
        self._store_contacts_and_questionnaires(uow_factory)

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contact_profile_answers.add(_answer(line_no=99999))
            uow.commit()
        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contact_profile_answers.add(_answer(code="NOPE"))
            uow.commit()

        with uow_factory() as uow:
            assert uow.contact_profile_answers.find_by_contact(ContactNo("CT01")) == []

    def test_remove_deletes_a_profile_answer_and_needs_an_existing_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes one answer by key; a missing one raises NotFoundError."""
        self._store_contacts_and_questionnaires(uow_factory)
        with uow_factory() as uow:
            uow.contact_profile_answers.add(_answer(line_no=20000))
            uow.contact_profile_answers.add(_answer(line_no=30000))
            uow.commit()
        with uow_factory() as uow:
            uow.contact_profile_answers.remove(ContactNo("CT01"), Code("SIZE"), 20000)
            uow.commit()

        with uow_factory() as uow:
            remaining = uow.contact_profile_answers.find_by_contact(ContactNo("CT01"))
            with pytest.raises(NotFoundError) as info:
                uow.contact_profile_answers.remove(
                    ContactNo("CT01"), Code("SIZE"), 20000
                )

        assert [a.line_no for a in remaining] == [30000]
        assert info.value.kind == "contact profile answer"

    def test_profile_answers_are_found_by_contact_and_questionnaire_in_key_order(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_by_contact() and find_by_questionnaire() order by the answers' key."""
        self._store_contacts_and_questionnaires(uow_factory)
        keys = [
            ("CT02", "SIZE", 30000),
            ("CT01", "SIZE", 30000),
            ("CT02", "A-RATE", 20000),
            ("CT01", "SIZE", 20000),
            ("CT02", "SIZE", 20000),
        ]
        with uow_factory() as uow:
            for contact_no, code, line_no in keys:
                uow.contact_profile_answers.add(_answer(contact_no, code, line_no))
            uow.commit()

        with uow_factory() as uow:
            by_contact = uow.contact_profile_answers.find_by_contact(ContactNo("CT02"))
            by_code = uow.contact_profile_answers.find_by_questionnaire(Code("SIZE"))

        assert [a.key for a in by_contact] == [
            ("CT02", "A-RATE", 20000),
            ("CT02", "SIZE", 20000),
            ("CT02", "SIZE", 30000),
        ]
        assert [a.key for a in by_code] == [
            ("CT01", "SIZE", 20000),
            ("CT01", "SIZE", 30000),
            ("CT02", "SIZE", 20000),
            ("CT02", "SIZE", 30000),
        ]

    def test_a_contact_with_profile_answers_cannot_be_removed(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Removing a contact that has answers is an IntegrityViolationError.

        Its answers are removed first (BC §2.7); then the contact can go.
        """
        self._store_contacts_and_questionnaires(uow_factory)
        with uow_factory() as uow:
            uow.contact_profile_answers.add(_answer("CT02"))
            uow.commit()

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.contacts.remove(ContactNo("CT02"))
            uow.commit()

        with uow_factory() as uow:
            for answer in uow.contact_profile_answers.find_by_contact(
                ContactNo("CT02")
            ):
                uow.contact_profile_answers.remove(*answer.key)
            uow.contacts.remove(ContactNo("CT02"))
            uow.commit()
        with uow_factory() as uow:
            assert not uow.contacts.exists(ContactNo("CT02"))

    def test_an_answered_questionnaire_line_cannot_be_removed(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A questionnaire, or a line of it, that contacts answered cannot be removed.

        Both are an IntegrityViolationError and leave the questionnaire as it was.
        """
        self._store_contacts_and_questionnaires(uow_factory)
        with uow_factory() as uow:
            uow.contact_profile_answers.add(_answer(line_no=30000))
            uow.commit()

        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            uow.profile_questionnaires.remove(Code("SIZE"))
            uow.commit()
        with pytest.raises(IntegrityViolationError), uow_factory() as uow:
            changed = uow.profile_questionnaires.get(Code("SIZE"))
            changed.remove_answer(30000, no_of_contacts=0)
            uow.profile_questionnaires.update(changed)
            uow.commit()

        with uow_factory() as uow:
            stored = uow.profile_questionnaires.get(Code("SIZE"))

        assert (stored.version, stored.lines) == (1, _answered_questionnaire().lines)


def _merge_record(merged_no: str = "CT02", survivor_no: str = "CT01") -> MergeRecord:
    survivor = _company(survivor_no, "Cronus Ltd.", city="Leeds")
    merged = _company(merged_no, "Cronus Limited", phone_no="0113 496 0000")
    person = _person("CT09", "Ann Lee", merged)
    return MergeRecord(
        plan=plan_merge(survivor, merged, persons_of_merged=[person]),
        survivor_before=survivor,
        merged_before=merged,
        persons_moved=[person],
        answers_removed=[_answer(merged_no, value_text="ten")],
        answers_added=[_answer(survivor_no, value_text="ten")],
        occurred_at=_LATER,
    )


class MergeRepositoryContract(_FactoryFixture):
    """Merge records and the aliases of merged-away contact numbers (§2.14)."""

    def test_a_merge_record_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A stored record, with its contacts, persons and answers, reads back equal."""
        record = _merge_record()
        with uow_factory() as uow:
            uow.merges.add(record)
            uow.commit()
        with uow_factory() as uow:
            assert uow.merges.get(ContactNo("CT02")) == record

    def test_a_missing_merge_record_raises_not_found(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Getting or removing a record nobody stored is a NotFoundError."""
        with uow_factory() as uow:
            with pytest.raises(NotFoundError):
                uow.merges.get(ContactNo("CT02"))
            with pytest.raises(NotFoundError):
                uow.merges.remove(ContactNo("CT02"))

    def test_adding_a_second_record_for_a_number_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A merged-away number has one record: a second add is AlreadyExistsError."""
        with uow_factory() as uow:
            uow.merges.add(_merge_record())
            uow.commit()
        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.merges.add(_merge_record(survivor_no="CT03"))

    def test_a_merged_number_resolves_to_its_survivor_through_chains(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """An alias resolves to the survivor, following later merges of the survivor.

        A number that is no alias (a live contact, an unknown number) is ``None``.
        """
        with uow_factory() as uow:
            uow.merges.add(_merge_record("CT02", "CT01"))
            uow.merges.add(_merge_record("CT01", "CT05"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.merges.resolve(ContactNo("CT02")) == "CT05"
            assert uow.merges.resolve(ContactNo("CT01")) == "CT05"
            assert uow.merges.resolve(ContactNo("CT05")) is None
            assert uow.merges.resolve(ContactNo("NOPE")) is None

    def test_removing_a_merge_record_removes_its_alias(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """After remove (an unmerge) the number is no alias and the record is gone."""
        with uow_factory() as uow:
            uow.merges.add(_merge_record())
            uow.commit()
        with uow_factory() as uow:
            uow.merges.remove(ContactNo("CT02"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.merges.resolve(ContactNo("CT02")) is None
            with pytest.raises(NotFoundError):
                uow.merges.get(ContactNo("CT02"))

    def test_an_uncommitted_merge_record_is_dropped(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A record added in a block left without commit is not stored."""
        with uow_factory() as uow:
            uow.merges.add(_merge_record())
        with uow_factory() as uow:
            assert uow.merges.resolve(ContactNo("CT02")) is None


class SeparateContactPairRepositoryContract(_FactoryFixture):
    """BC's *Separate Contacts* pairs (§2.14): unordered, stored as (smaller, larger)."""

    def test_separate_pairs_are_unordered_and_listed_in_order(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A pair added either way round is stored once, as (smaller, larger)."""
        with uow_factory() as uow:
            uow.separate_contact_pairs.add(ContactNo("CT09"), ContactNo("CT02"))
            uow.separate_contact_pairs.add(ContactNo("CT01"), ContactNo("CT03"))
            uow.commit()
        with uow_factory() as uow:
            pairs = uow.separate_contact_pairs.find_all()
            assert pairs == [("CT01", "CT03"), ("CT02", "CT09")]
            assert uow.separate_contact_pairs.exists(
                ContactNo("CT02"), ContactNo("CT09")
            )
            assert not uow.separate_contact_pairs.exists(
                ContactNo("CT01"), ContactNo("CT02")
            )

    def test_a_separate_pair_added_twice_raises_already_exists(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Adding the reversed pair again is an AlreadyExistsError."""
        with uow_factory() as uow:
            uow.separate_contact_pairs.add(ContactNo("CT01"), ContactNo("CT02"))
            uow.commit()
        with pytest.raises(AlreadyExistsError), uow_factory() as uow:
            uow.separate_contact_pairs.add(ContactNo("CT02"), ContactNo("CT01"))

    def test_removing_a_separate_pair_needs_a_stored_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Remove takes either order; a pair not stored is a NotFoundError."""
        with uow_factory() as uow:
            uow.separate_contact_pairs.add(ContactNo("CT01"), ContactNo("CT02"))
            uow.commit()
        with uow_factory() as uow:
            uow.separate_contact_pairs.remove(ContactNo("CT02"), ContactNo("CT01"))
            with pytest.raises(NotFoundError):
                uow.separate_contact_pairs.remove(ContactNo("CT01"), ContactNo("CT02"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.separate_contact_pairs.find_all() == []


_DEFAULT = DuplicateMethod.DEFAULT
_BC = DuplicateMethod.BC


class DuplicateKeyRepositoryContract(_FactoryFixture):
    """The duplicate index (§2.14): each contact's keys per method, and their holders."""

    def test_replace_keeps_each_key_once_per_contact_and_method(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Keys read back sorted and unique; methods are apart; replace overwrites."""
        with uow_factory() as uow:
            keys = uow.duplicate_keys
            keys.replace(_DEFAULT, ContactNo("CT01"), ["b", "a", "b"])
            keys.replace(_BC, ContactNo("CT01"), ["name:First:CRONU"])
            uow.commit()
        with uow_factory() as uow:
            keys = uow.duplicate_keys
            assert keys.keys_of(_DEFAULT, ContactNo("CT01")) == ["a", "b"]
            assert keys.keys_of(_BC, ContactNo("CT01")) == ["name:First:CRONU"]
            assert keys.keys_of(_DEFAULT, ContactNo("CT02")) == []
            keys.replace(_DEFAULT, ContactNo("CT01"), ["c"])
            uow.commit()
        with uow_factory() as uow:
            assert uow.duplicate_keys.keys_of(_DEFAULT, ContactNo("CT01")) == ["c"]
            assert uow.duplicate_keys.holders(_DEFAULT, ["a", "c"]) == {
                "c": [("CT01", 1)]
            }

    def test_holders_name_each_contact_with_its_key_count(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """holders() answers per key; unknown keys and the excluded contact are left out."""
        with uow_factory() as uow:
            keys = uow.duplicate_keys
            keys.replace(_DEFAULT, ContactNo("CT01"), ["a", "b", "c"])
            keys.replace(_DEFAULT, ContactNo("CT02"), ["a"])
            keys.replace(_BC, ContactNo("CT03"), ["a"])
            uow.commit()
        with uow_factory() as uow:
            found = uow.duplicate_keys.holders(_DEFAULT, ["a", "b", "zz"])
            assert {k: sorted(v) for k, v in found.items()} == {
                "a": [("CT01", 3), ("CT02", 1)],
                "b": [("CT01", 3)],
            }
            assert uow.duplicate_keys.holders(
                _DEFAULT, ["a", "b"], excluding=ContactNo("CT01")
            ) == {"a": [("CT02", 1)]}
            assert uow.duplicate_keys.holders(_BC, ["a"]) == {"a": [("CT03", 1)]}
            assert uow.duplicate_keys.holders(_DEFAULT, []) == {}

    def test_holders_limit_bounds_the_answer_per_key(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """With a limit, each key answers with that many of its holders at most."""
        with uow_factory() as uow:
            for n in range(6):
                uow.duplicate_keys.replace(
                    _DEFAULT, ContactNo(f"CT{n:02d}"), ["info@", f"own{n}"]
                )
            uow.commit()
        with uow_factory() as uow:
            found = uow.duplicate_keys.holders(
                _DEFAULT, ["info@", "own1"], limit=3, excluding=ContactNo("CT00")
            )
            assert len(found["info@"]) == 3
            assert {no for no, _ in found["info@"]} <= {
                f"CT{n:02d}" for n in range(1, 6)
            }
            assert found["own1"] == [("CT01", 2)]

    def test_holders_see_the_unit_of_works_own_writes(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Keys written in the block answer in it; a rollback forgets them."""
        with uow_factory() as uow:
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT01"), ["a", "b"])
            uow.commit()
        with uow_factory() as uow:
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT01"), ["b"])
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT02"), ["a"])
            assert uow.duplicate_keys.holders(_DEFAULT, ["a", "b"]) == {
                "a": [("CT02", 1)],
                "b": [("CT01", 1)],
            }
        with uow_factory() as uow:
            assert uow.duplicate_keys.holders(_DEFAULT, ["a"]) == {"a": [("CT01", 2)]}

    def test_look_up_answers_holders_their_texts_and_separate_pairs(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """look_up() = holders() + get_texts() of keys under the limit + separate pairs."""
        with uow_factory() as uow:
            for no, name in (("CT01", "Cronus"), ("CT02", "Cronus Ltd"), ("CT03", "X")):
                uow.contacts.add(_company(no, name))
            for n in range(4, 8):
                uow.contacts.add(_company(f"CT{n:02d}", f"Info {n}"))
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT01"), ["name", "info@"])
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT02"), ["name"])
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT03"), ["name", "x"])
            for n in range(4, 8):
                uow.duplicate_keys.replace(_DEFAULT, ContactNo(f"CT{n:02d}"), ["info@"])
            uow.separate_contact_pairs.add(ContactNo("CT03"), ContactNo("CT01"))
            uow.commit()

        with uow_factory() as uow:
            found = uow.duplicate_keys.look_up(
                _DEFAULT,
                ["name", "info@", "nobody"],
                limit=3,
                excluding=ContactNo("CT01"),
                fields=["name", "type"],
            )
            assert {k: sorted(v) for k, v in found.holders.items()} == {
                "name": [("CT02", 1), ("CT03", 2)]
            } | {"info@": sorted(found.holders["info@"])}
            assert len(found.holders["info@"]) == 3  # a stop key: at the limit
            assert found.texts == {
                "CT02": {"name": "Cronus Ltd", "type": "Company"},
                "CT03": {"name": "X", "type": "Company"},
            }
            assert found.separate == {"CT03"}
            chosen = uow.duplicate_keys.look_up(
                _DEFAULT,
                ["name", "info@"],
                limit=3,
                excluding=ContactNo("CT01"),
                fields=["name"],
                choose=lambda holders: [no for no, _ in holders["name"] if no < "CT03"],
            )
            assert chosen.holders == found.holders
            assert chosen.texts[ContactNo("CT02")] == {
                "name": "Cronus Ltd"
            }  # the chosen one
            assert set(chosen.texts) <= {"CT02", "CT03"}  # or all under the limit
            with pytest.raises(ValidationError):
                uow.duplicate_keys.look_up(
                    _DEFAULT,
                    ["name"],
                    limit=3,
                    excluding=ContactNo("CT01"),
                    fields=["mailing_groups"],
                )

    def test_remove_clear_and_count(self, uow_factory: UnitOfWorkFactory) -> None:
        """remove() drops a contact under every method; clear() one method; count() contacts."""
        with uow_factory() as uow:
            keys = uow.duplicate_keys
            for no in ("CT01", "CT02", "CT03"):
                keys.replace(_DEFAULT, ContactNo(no), ["a", no])
                keys.replace(_BC, ContactNo(no), ["x"])
            keys.replace(_DEFAULT, ContactNo("CT04"), [])
            uow.commit()
        with uow_factory() as uow:
            keys = uow.duplicate_keys
            assert (keys.count(_DEFAULT), keys.count(_BC)) == (3, 3)
            keys.remove(ContactNo("CT01"))
            keys.remove(ContactNo("CT09"))  # holds nothing: no error
            keys.clear(_BC)
            uow.commit()
        with uow_factory() as uow:
            keys = uow.duplicate_keys
            assert (keys.count(_DEFAULT), keys.count(_BC)) == (2, 0)
            assert sorted(keys.holders(_DEFAULT, ["a"])["a"]) == [
                ("CT02", 2),
                ("CT03", 2),
            ]
            assert keys.keys_of(_DEFAULT, ContactNo("CT01")) == []

    def test_keys_of_the_longest_length_are_kept(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A key of DUPLICATE_KEY_LENGTH characters, any text, reads back equal."""
        long_key = ("C7:ä@" + "x" * DUPLICATE_KEY_LENGTH)[:DUPLICATE_KEY_LENGTH]
        with uow_factory() as uow:
            uow.duplicate_keys.replace(_DEFAULT, ContactNo("CT01"), [long_key])
            uow.commit()
        with uow_factory() as uow:
            assert uow.duplicate_keys.keys_of(_DEFAULT, ContactNo("CT01")) == [long_key]


# --- salespeople and teams (§8) ----------------------------------------------------


def _salesperson(code: str = "JO", **fields: object) -> Salesperson:
    values: dict[str, object] = {
        "name": "Jo Smith",
        "job_title": "Account manager",
        "commission_pct": Decimal("2.5"),
        "email": "jo@cronus.example",
        "email_2": "jo.smith@cronus.example",
        "phone_no": "+44 113 496 0000",
        "global_dimension_1_code": "SALES",
        **fields,
    }
    return Salesperson(code=code, **values)  # type: ignore[arg-type]


class SalespersonRepositoryContract(_FactoryFixture):
    """Salespeople (§8): stored whole, version-checked, ordered by code."""

    def test_a_salesperson_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives a round trip; the version becomes 1."""
        jo = _salesperson(privacy_blocked=True, blocked=True)
        with uow_factory() as uow:
            uow.salespeople.add(jo)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.salespeople.get(jo.code)
            assert uow.salespeople.exists(jo.code)
            assert not uow.salespeople.exists(SalespersonCode("NOBODY"))
        assert (stored, stored.version) == (jo, 1)

    def test_update_checks_the_version(self, uow_factory: UnitOfWorkFactory) -> None:
        """A stale copy is refused; a fresh one is written and its version goes up."""
        with uow_factory() as uow:
            uow.salespeople.add(_salesperson())
            uow.commit()
        with uow_factory() as uow:
            first = uow.salespeople.get(SalespersonCode("JO"))
        with uow_factory() as uow:
            second = uow.salespeople.get(SalespersonCode("JO"))
            second.change(name="Jo Bloggs")
            uow.salespeople.update(second)
            uow.commit()
        first.change(name="Somebody else")
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.salespeople.update(first)
        with uow_factory() as uow:
            stored = uow.salespeople.get(SalespersonCode("JO"))
        assert (stored.name, stored.version) == ("Jo Bloggs", 2)

    def test_add_remove_and_find_all(self, uow_factory: UnitOfWorkFactory) -> None:
        """A taken code is refused; removed ones are gone; find_all sorts by code."""
        with uow_factory() as uow:
            for code in ("ZE", "AP", "JO"):
                uow.salespeople.add(_salesperson(code))
            uow.commit()
        with uow_factory() as uow, pytest.raises(AlreadyExistsError):
            uow.salespeople.add(_salesperson("AP"))
        with uow_factory() as uow:
            uow.salespeople.remove(SalespersonCode("ZE"))
            uow.commit()
        with uow_factory() as uow:
            assert [sp.code for sp in uow.salespeople.find_all()] == ["AP", "JO"]
            with pytest.raises(NotFoundError):
                uow.salespeople.get(SalespersonCode("ZE"))
            with pytest.raises(NotFoundError):
                uow.salespeople.remove(SalespersonCode("ZE"))


class TeamRepositoryContract(_FactoryFixture):
    """Teams and their members (tables 5083, 5084; §8)."""

    def test_a_team_reads_back_with_its_members(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Members travel with the team; an update replaces them."""
        team = Team(code="SALES", name="Sales", members=("JO", "AP"))
        with uow_factory() as uow:
            uow.teams.add(team)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.teams.get(Code("SALES"))
            assert (stored, stored.version) == (team, 1)
            stored.remove_member("AP")
            stored.add_member("ZE")
            uow.teams.update(stored)
            uow.commit()
        with uow_factory() as uow:
            assert uow.teams.get(Code("SALES")).members == ("JO", "ZE")

    def test_teams_of_a_salesperson(self, uow_factory: UnitOfWorkFactory) -> None:
        """teams_of lists the teams holding the salesperson, by code."""
        with uow_factory() as uow:
            uow.teams.add(Team(code="WEST", members=("JO",)))
            uow.teams.add(Team(code="EAST", members=("JO", "AP")))
            uow.teams.add(Team(code="NORTH", members=("AP",)))
            uow.commit()
        with uow_factory() as uow:
            codes = [t.code for t in uow.teams.teams_of(SalespersonCode("JO"))]
            assert codes == ["EAST", "WEST"]
            uow.teams.remove(Code("EAST"))
            uow.commit()
        with uow_factory() as uow:
            assert [t.code for t in uow.teams.find_all()] == ["NORTH", "WEST"]
            with pytest.raises(NotFoundError):
                uow.teams.get(Code("EAST"))

    def test_stale_team_is_refused(self, uow_factory: UnitOfWorkFactory) -> None:
        """Teams are version-checked like every aggregate."""
        with uow_factory() as uow:
            uow.teams.add(Team(code="SALES"))
            uow.commit()
        with uow_factory() as uow:
            stale = uow.teams.get(Code("SALES"))
        with uow_factory() as uow:
            fresh = uow.teams.get(Code("SALES"))
            fresh.rename("Sales team")
            uow.teams.update(fresh)
            uow.commit()
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.teams.update(stale)
        with uow_factory() as uow, pytest.raises(AlreadyExistsError):
            uow.teams.add(Team(code="SALES"))


# --- interaction templates, setup and log (§1.3, §3) -----------------------------------


def _template(code: str = "CALL", group: str = "SALES") -> InteractionTemplate:
    template = InteractionTemplate(
        code=code,
        interaction_group_code=group,
        description="Phone call",
        unit_cost_lcy=Decimal("1.25"),
        unit_duration_min=Decimal(15),
        information_flow=InformationFlow.OUTBOUND,
        initiated_by=InitiatedBy.US,
        campaign_no="CP0001",
        campaign_target=True,
        campaign_response=True,
        correspondence_type=CorrespondenceType.HARD_COPY,
        wizard_action=WizardAction.IMPORT,
        ignore_contact_corres_type=True,
        word_template_code="CALL-NOTE",
    )
    template.add_language("ENU", attachment_no=7, description="Call (EN)")
    template.add_language("DAN", word_template_code="OPKALD")
    return template


class InteractionTemplateRepositoryContract(_FactoryFixture):
    """Interaction templates with their language rows (§3.2)."""

    def test_a_template_reads_back_with_its_languages(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field and every language row survive a round trip."""
        template = _template()
        with uow_factory() as uow:
            uow.interaction_templates.add(template)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.interaction_templates.get(Code("CALL"))
            assert uow.interaction_templates.exists(Code("CALL"))
        assert (stored, stored.version) == (template, 1)

    def test_update_replaces_languages_and_remove_drops_them(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """An update stores exactly the template's languages; remove deletes all."""
        with uow_factory() as uow:
            uow.interaction_templates.add(_template())
            uow.interaction_templates.add(_template("MEET"))
            uow.commit()
        with uow_factory() as uow:
            stored = uow.interaction_templates.get(Code("CALL"))
            stored.remove_language("DAN")
            uow.interaction_templates.update(stored)
            uow.commit()
        with uow_factory() as uow:
            languages = uow.interaction_templates.get(Code("CALL")).languages
            assert [row.language_code for row in languages] == ["ENU"]
            uow.interaction_templates.remove(Code("CALL"))
            uow.commit()
        with uow_factory() as uow:
            assert [t.code for t in uow.interaction_templates.find_all()] == ["MEET"]
            assert not uow.interaction_templates.exists(Code("CALL"))
            with pytest.raises(NotFoundError):
                uow.interaction_templates.get(Code("CALL"))

    def test_stale_template_is_refused(self, uow_factory: UnitOfWorkFactory) -> None:
        """Templates are version-checked."""
        with uow_factory() as uow:
            uow.interaction_templates.add(_template())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.interaction_templates.get(Code("CALL"))
        with uow_factory() as uow:
            fresh = uow.interaction_templates.get(Code("CALL"))
            fresh.change(description="Call")
            uow.interaction_templates.update(fresh)
            uow.commit()
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.interaction_templates.update(stale)
        with uow_factory() as uow, pytest.raises(AlreadyExistsError):
            uow.interaction_templates.add(_template())


class InteractionTemplateSetupRepositoryContract(_FactoryFixture):
    """The Interaction Template Setup singleton (§1.3)."""

    def test_setup_starts_empty_and_saves_with_versions(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A fresh setup has no templates; saves are version-checked."""
        with uow_factory() as uow:
            setup = uow.interaction_template_setup.get()
            assert (setup.templates, setup.version) == ({}, 0)
            setup.assign(DocumentKind.SALES_INVOICES, _template("INVOICE"))
            setup.assign(DocumentKind.MEETING_INVITATIONS, _template("MEETINV"))
            uow.interaction_template_setup.save(setup)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.interaction_template_setup.get()
        assert (stored, stored.version) == (setup, 1)
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.interaction_template_setup.save(InteractionTemplateSetup())
        with uow_factory() as uow:
            stored.assign(DocumentKind.SALES_INVOICES, None)
            uow.interaction_template_setup.save(stored)
            uow.commit()
        with uow_factory() as uow:
            again = uow.interaction_template_setup.get()
        assert again.template_for(DocumentKind.SALES_INVOICES) is None
        assert again.template_for(DocumentKind.MEETING_INVITATIONS) == "MEETINV"
        assert again.version == 2


def _log_entry(entry_no: int, **fields: object) -> InteractionLogEntry:
    values: dict[str, object] = {
        "contact_no": "CT02",
        "contact_company_no": "CT01",
        "date": date(2026, 3, 2),
        "cost_lcy": Decimal("1.25"),
        "duration_min": Decimal(15),
        **fields,
    }
    if values.get("idempotency_key") is not None:
        values.setdefault("payload_fingerprint", "0" * 64)
    return InteractionLogEntry(entry_no=entry_no, **values)  # type: ignore[arg-type]


def _full_log_entry(entry_no: int = 1) -> InteractionLogEntry:
    """An entry with every field set away from its default."""
    return _log_entry(
        entry_no,
        time_of_interaction=time(9, 30, 15),
        description="Intro call",
        information_flow=InformationFlow.INBOUND,
        initiated_by=InitiatedBy.THEM,
        attachment_no=3,
        user_id="ADMIN",
        interaction_group_code="SALES",
        interaction_template_code="CALL",
        campaign_no="CP0001",
        campaign_entry_no=4,
        campaign_response=True,
        campaign_target=True,
        segment_no="SM0001",
        evaluation=Evaluation.VERY_POSITIVE,
        attempt_failed=True,
        task_no="TD0001",
        salesperson_code="JO",
        delivery_status=DeliveryStatus.IN_PROGRESS,
        canceled=True,
        correspondence_type=CorrespondenceType.EMAIL,
        contact_alt_address_code="HOME",
        logged_segment_entry_no=5,
        document_type=DocumentType.SALES_INVOICE,
        document_no="SI-1001",
        version_no=2,
        doc_no_occurrence=1,
        contact_via="jo@example.com",
        send_word_docs_as_attmt=True,
        interaction_language_code="ENU",
        email_logged=True,
        subject="Intro",
        opportunity_no="OP0001",
        postponed=True,
        word_template_code="WT1",
        merged=True,
        modified_word_template=6,
        email_message_id="<m1@example.com>",
        idempotency_key="k-1",
        payload_fingerprint="f" * 64,
    )


class InteractionLogRepositoryContract(_FactoryFixture):
    """Interaction log entries (§3.3): append-only, numbered, with FlowFields."""

    def test_an_entry_reads_back_equal(self, uow_factory: UnitOfWorkFactory) -> None:
        """Every field survives a round trip; the version becomes 1."""
        entry = _full_log_entry()
        with uow_factory() as uow:
            uow.interaction_log.add(entry)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.interaction_log.get(1)
            assert uow.interaction_log.by_idempotency_key("k-1") == stored
            assert uow.interaction_log.by_idempotency_key("k-2") is None
        assert stored == attrs.evolve(entry, version=1)

    def test_entry_numbers_follow_the_last_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Next number = last + 1; numbers handed out in one unit are not reused."""
        with uow_factory() as uow:
            first = uow.interaction_log.next_entry_no()
            second = uow.interaction_log.next_entry_no()
            uow.interaction_log.add(_log_entry(second))
            uow.commit()
        with uow_factory() as uow:
            third = uow.interaction_log.next_entry_no()
        assert (first, second, third) == (1, 2, 3)

    def test_taken_numbers_and_keys_are_refused(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """An entry number or idempotency key already stored is AlreadyExistsError."""
        with uow_factory() as uow:
            uow.interaction_log.add(_log_entry(1, idempotency_key="k"))
            uow.commit()
        with uow_factory() as uow, pytest.raises(AlreadyExistsError):
            uow.interaction_log.add(_log_entry(1))
            uow.commit()
        with uow_factory() as uow, pytest.raises(AlreadyExistsError):
            uow.interaction_log.add(_log_entry(2, idempotency_key="k"))
            uow.commit()
        with uow_factory() as uow:
            assert [e.entry_no for e in uow.interaction_log.find()] == [1]

    def test_operations_update_and_other_changes_are_refused(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Cancel and evaluate are stored; other changes are refused (§3.6)."""
        with uow_factory() as uow:
            uow.interaction_log.add(_log_entry(1))
            uow.commit()
        with uow_factory() as uow:
            stored = uow.interaction_log.get(1)
            written = uow.interaction_log.update(
                stored.cancel().evaluate(Evaluation.NEGATIVE)
            )
            uow.commit()
        assert written.version == 2
        with uow_factory() as uow:
            again = uow.interaction_log.get(1)
            assert (again.canceled, again.evaluation) == (True, Evaluation.NEGATIVE)
            with pytest.raises(InteractionEntryError):
                uow.interaction_log.update(attrs.evolve(again, cost_lcy=Decimal(9)))
            with pytest.raises(ConcurrencyError):
                uow.interaction_log.update(stored.evaluate(Evaluation.POSITIVE))
            with pytest.raises(NotFoundError):
                uow.interaction_log.update(_log_entry(9).cancel())

    def test_only_canceled_entries_are_removed(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() purges canceled entries and refuses live ones (§3.6, report 5190)."""
        with uow_factory() as uow:
            uow.interaction_log.add(_log_entry(1))
            uow.interaction_log.add(_log_entry(2, canceled=True, idempotency_key="k"))
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(InteractionEntryError):
                uow.interaction_log.remove(1)
            uow.interaction_log.remove(2)
            uow.commit()
        with uow_factory() as uow:
            assert [e.entry_no for e in uow.interaction_log.find()] == [1]
            assert uow.interaction_log.by_idempotency_key("k") is None
            with pytest.raises(NotFoundError):
                uow.interaction_log.remove(2)

    def test_find_filters_and_orders(self, uow_factory: UnitOfWorkFactory) -> None:
        """find() applies the filter, the canceled flag, the dates and the limit."""
        with uow_factory() as uow:
            for no in range(1, 6):
                uow.interaction_log.add(
                    _log_entry(
                        no,
                        date=date(2026, 3, no),
                        canceled=no == 2,
                        contact_no="CT02" if no % 2 else "CT03",
                        salesperson_code="JO",
                    )
                )
            uow.interaction_log.add(
                _log_entry(6, contact_company_no=None, date=None, postponed=True)
            )
            uow.commit()
        with uow_factory() as uow:
            log = uow.interaction_log

            def numbers(
                where: InteractionFilter | None = None, **options: object
            ) -> list[int]:
                return [e.entry_no for e in log.find(where, **options)]  # type: ignore[arg-type]

            assert numbers() == [1, 2, 3, 4, 5, 6]
            assert numbers(InteractionFilter(contact_no="CT02")) == [1, 3, 5, 6]
            assert numbers(InteractionFilter(contact_company_no="")) == [6]
            assert numbers(InteractionFilter(salesperson_code="JO"), canceled=True) == [
                2
            ]
            assert numbers(canceled=False, limit=2) == [6, 5]
            dated = InteractionFilter(
                starting=date(2026, 3, 2), ending=date(2026, 3, 4)
            )
            assert numbers(dated) == [2, 3, 4]

    @_AGAINST_THE_REFERENCE
    @given(data=st.data())
    def test_statistics_agree_with_the_reference(
        self, uow_factory: UnitOfWorkFactory, data: st.DataObject
    ) -> None:
        """statistics() is exactly statistics_of() over the stored entries (§2.2)."""
        company = f"CO{next(_EXAMPLES):06d}"  # this example's entries only
        rows = data.draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "contact_no": st.sampled_from(["P1", "P2", company]),
                        "contact_company_no": st.sampled_from([company, None]),
                        "date": st.dates(date(2026, 1, 1), date(2026, 1, 9)),
                        "cost_lcy": st.decimals(0, 100, places=2),
                        "duration_min": st.integers(0, 90).map(Decimal),
                        "canceled": st.booleans(),
                        "postponed": st.booleans(),
                        "attempt_failed": st.booleans(),
                        "initiated_by": st.sampled_from(InitiatedBy),
                        "interaction_template_code": st.sampled_from(["CALL", "MEET"]),
                        "salesperson_code": st.sampled_from(["JO", None]),
                        "attachment_no": st.sampled_from([3, None]),
                        "opportunity_no": st.sampled_from(["OP1", None]),
                    }
                ),
                max_size=12,
            )
        )
        with uow_factory() as uow:
            entries = []
            for row in rows:
                entry = InteractionLogEntry(
                    entry_no=uow.interaction_log.next_entry_no(),
                    **row,
                )
                uow.interaction_log.add(entry)
                entries.append(entry)
            uow.commit()
        where = InteractionFilter(
            contact_company_no=data.draw(st.sampled_from([company, ""])),
            contact_no=data.draw(st.sampled_from([None, "P1", company])),
            template_code=data.draw(st.sampled_from([None, "CALL"])),
            salesperson_code=data.draw(st.sampled_from([None, "JO"])),
            attachment_no=data.draw(st.sampled_from([None, 3])),
            opportunity_no=data.draw(st.sampled_from([None, "OP1"])),
            starting=data.draw(
                st.none() | st.dates(date(2026, 1, 1), date(2026, 1, 9))
            ),
            ending=data.draw(st.none() | st.dates(date(2026, 1, 1), date(2026, 1, 9))),
        )
        if where.contact_company_no == "":
            # blank-company entries of earlier examples are selected too
            where = attrs.evolve(where, contact_no=company)
            entries = [e for e in entries if e.contact_no == company]
        with uow_factory() as uow:
            figures = uow.interaction_log.statistics(where)
        assert figures == statistics_of(entries, where)


# --- tasks and activities (§7) ----------------------------------------------------------


def _task(no: str, **fields: object) -> Task:
    values: dict[str, object] = {
        "salesperson_code": "JO",
        "date": date(2026, 3, 2),
        **fields,
    }
    if values.get("closed") or values.get("canceled"):
        values.update(closed=True, status=TaskStatus.COMPLETED)
        values.setdefault("date_closed", date(2026, 3, 1))
    return Task(no=no, **values)  # type: ignore[arg-type]


def _full_task() -> Task:
    """A task with every field set away from its default."""
    return _task(
        "TD0001",
        team_code="SALES",
        salesperson_code="JO",
        campaign_no="CP0001",
        contact_no="CT02",
        contact_company_no="CT01",
        opportunity_no="OP0001",
        opportunity_entry_no=7,
        segment_no="SM0001",
        type=TaskType.PHONE_CALL,
        start_time=time(9, 30, 15, 250000),
        duration=timedelta(minutes=45, milliseconds=500),
        all_day_event=True,
        priority=TaskPriority.HIGH,
        description="Call back",
        location="Office",
        canceled=True,
        date_closed=date(2026, 3, 3),
        completed_by="AP",
        recurring=True,
        recurring_date_interval="CM+1D",
        calc_due_date_from=CalcDueDateFrom.CLOSING_DATE,
        system_task_type=SystemTaskType.ORGANIZER,
        organizer_task_no="TD0000",
        interaction_template_code="CALL",
        language_code="ENU",
        attachment_no=3,
        subject="Intro",
        unit_cost_lcy=Decimal("12.50"),
        unit_duration_min=Decimal(15),
        successor_no="TD0002",
    )


def _meeting_attendees() -> list[Attendee]:
    return [
        Attendee(
            line_no=20000,
            attendee_no="CT02",
            attendee_name="Ann Smith",
            send_invitation=True,
            invitation_response=InvitationResponse.TENTATIVE,
            invitation_sent=True,
        ),
        Attendee(
            line_no=10000,
            attendance_type=AttendanceType.ORGANIZER,
            attendee_type=AttendeeType.SALESPERSON,
            attendee_no="JO",
        ),
    ]


class TaskRepositoryContract(_FactoryFixture):
    """Tasks (§7.1) and their attendees (table 5199), with the Next Task Date (§2.2, §8)."""

    def test_a_task_reads_back_equal(self, uow_factory: UnitOfWorkFactory) -> None:
        """Every field survives a round trip (times, milliseconds, formulas, amounts)."""
        task = _full_task()
        with uow_factory() as uow:
            uow.tasks.add(task)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.tasks.get(TaskNo("TD0001"))
            assert uow.tasks.exists(TaskNo("TD0001"))
            assert not uow.tasks.exists(TaskNo("TD0002"))
        assert (stored, stored.version) == (task, 1)
        assert (stored.ending_date, stored.ending_time) == (
            task.ending_date,
            task.ending_time,
        )

    def test_a_stale_task_is_refused_and_a_fresh_one_written(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Tasks are version-checked; an update of a removed task is NotFoundError."""
        with uow_factory() as uow:
            uow.tasks.add(_task("TD0001"))
            uow.commit()
        with uow_factory() as uow:
            stale = uow.tasks.get(TaskNo("TD0001"))
        with uow_factory() as uow:
            fresh = uow.tasks.get(TaskNo("TD0001"))
            fresh.close(today=date(2026, 3, 4))
            uow.tasks.update(fresh)
            uow.commit()
        assert fresh.version == 2
        stale.reschedule(date=date(2026, 4, 1))
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.tasks.update(stale)
        with uow_factory() as uow:
            stored = uow.tasks.get(TaskNo("TD0001"))
            assert (stored.closed, stored.date, stored.version) == (
                True,
                date(2026, 3, 2),
                2,
            )
            uow.tasks.remove(TaskNo("TD0001"))
            with pytest.raises(NotFoundError):
                uow.tasks.update(stored)

    def test_task_numbers_are_unique_and_removed_tasks_are_gone(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A taken number is AlreadyExistsError; a missing one is NotFoundError."""
        with uow_factory() as uow:
            uow.tasks.add(_task("TD0001"))
            uow.commit()
        with uow_factory() as uow, pytest.raises(AlreadyExistsError):
            uow.tasks.add(_task("TD0001", team_code="SALES"))
        with uow_factory() as uow:
            uow.tasks.remove(TaskNo("TD0001"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.tasks.find() == []
            with pytest.raises(NotFoundError):
                uow.tasks.get(TaskNo("TD0001"))
            with pytest.raises(NotFoundError):
                uow.tasks.remove(TaskNo("TD0001"))

    def test_attendees_are_replaced_and_go_with_their_task(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Attendees read back by line number, are replaced whole, die with the task."""
        meeting = _task("TD0001", type=TaskType.MEETING)
        with uow_factory() as uow:
            uow.tasks.add(meeting)
            uow.tasks.add(_task("TD0002"))
            uow.tasks.replace_attendees(meeting.no, _meeting_attendees())
            uow.commit()
        with uow_factory() as uow:
            attendees = uow.tasks.attendees_of(meeting.no)
            assert attendees == sorted(_meeting_attendees(), key=lambda a: a.line_no)
            assert uow.tasks.attendees_of(TaskNo("TD0002")) == []
            uow.tasks.replace_attendees(meeting.no, attendees[:1])
            uow.commit()
        with uow_factory() as uow:
            assert uow.tasks.attendees_of(meeting.no) == attendees[:1]
            with pytest.raises(NotFoundError):
                uow.tasks.replace_attendees(TaskNo("TD0009"), attendees)
            uow.tasks.remove(meeting.no)
            uow.tasks.add(_task("TD0001"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.tasks.attendees_of(meeting.no) == []
            uow.tasks.replace_attendees(meeting.no, [])
            uow.tasks.replace_attendees(TaskNo("TD0002"), attendees)
            uow.tasks.replace_attendees(TaskNo("TD0002"), [])
            uow.commit()
        with uow_factory() as uow:
            assert uow.tasks.attendees_of(TaskNo("TD0002")) == []
        with uow_factory() as uow, pytest.raises(IntegrityViolationError):
            uow.tasks.replace_attendees(meeting.no, [attendees[0], attendees[0]])

    def test_find_tasks_filters_and_orders_by_date_and_number(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find() applies every TaskFilter field and orders by date, then number."""
        with uow_factory() as uow:
            for task in (
                _task("TD0005", date=date(2026, 3, 4), contact_no="CT02"),
                _task("TD0004", date=date(2026, 3, 4), opportunity_no="OP0001"),
                _task(
                    "TD0003",
                    date=date(2026, 3, 1),
                    closed=True,
                    campaign_no="CP0001",
                    contact_no="CT02",
                    contact_company_no="CT01",
                ),
                _task(
                    "TD0002",
                    team_code="SALES",
                    salesperson_code=None,
                    date=date(2026, 3, 9),
                    canceled=True,
                    segment_no="SM0001",
                ),
                _task(
                    "TD0001",
                    team_code="SALES",
                    system_task_type=SystemTaskType.ORGANIZER,
                    organizer_task_no="TD0002",
                    date=date(2026, 3, 3),
                ),
            ):
                uow.tasks.add(task)
            uow.commit()
        with uow_factory() as uow:

            def numbers(**fields: object) -> list[str]:
                where = TaskFilter(**fields) if fields else None
                return [task.no for task in uow.tasks.find(where)]

            assert numbers() == ["TD0003", "TD0001", "TD0004", "TD0005", "TD0002"]
            assert numbers(salesperson_code="JO", closed=False) == [
                "TD0001",
                "TD0004",
                "TD0005",
            ]
            assert numbers(team_code="SALES") == ["TD0001", "TD0002"]
            assert numbers(contact_no="CT02") == ["TD0003", "TD0005"]
            assert numbers(contact_company_no="CT01") == ["TD0003"]
            assert numbers(contact_company_no="", contact_no="CT02") == ["TD0005"]
            assert numbers(opportunity_no="OP0001") == ["TD0004"]
            assert numbers(campaign_no="CP0001") == ["TD0003"]
            assert numbers(segment_no="SM0001", canceled=True) == ["TD0002"]
            assert numbers(canceled=False, closed=True) == ["TD0003"]
            assert numbers(organizer_task_no="TD0002") == ["TD0001", "TD0002"]
            assert numbers(system_task_types={SystemTaskType.TEAM}) == ["TD0002"]
            assert numbers(system_task_types=()) == []
            assert numbers(starting=date(2026, 3, 3), ending=date(2026, 3, 4)) == [
                "TD0001",
                "TD0004",
                "TD0005",
            ]

    def test_next_task_date_is_bcs_flowfield_of_contacts_salespeople_and_teams(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """§2.2 (a company covers its persons), §8 (salesperson, team): open tasks only."""
        contact = {"contact_company_no": "CT01"}
        with uow_factory() as uow:
            for task in (
                _task("TD0001", contact_no="CT02", date=date(2026, 3, 10), **contact),
                _task(
                    "TD0002",
                    contact_no="CT03",
                    date=date(2026, 3, 5),
                    system_task_type=SystemTaskType.CONTACT_ATTENDEE,
                    organizer_task_no="TD0009",
                    **contact,
                ),
                _task(
                    "TD0003",
                    contact_no="CT02",
                    date=date(2026, 3, 1),
                    system_task_type=SystemTaskType.SALESPERSON_ATTENDEE,
                    organizer_task_no="TD0009",
                    **contact,
                ),
                _task(
                    "TD0004",
                    contact_no="CT02",
                    date=date(2026, 2, 1),
                    closed=True,
                    **contact,
                ),
                _task("TD0005", contact_no="CT09", date=date(2026, 3, 3)),
                _task(
                    "TD0006",
                    team_code="SALES",
                    salesperson_code=None,
                    date=date(2026, 3, 7),
                ),
                _task(
                    "TD0007",
                    team_code="SALES",
                    salesperson_code="AP",
                    system_task_type=SystemTaskType.ORGANIZER,
                    organizer_task_no="TD0006",
                    date=date(2026, 3, 6),
                ),
            ):
                uow.tasks.add(task)
            uow.commit()
        with uow_factory() as uow:
            tasks = uow.tasks

            def contact_date(company: str | None, lookup: str | None) -> date | None:
                where = contact_task_filter(
                    company_no=company, lookup_contact_no=lookup
                )
                return tasks.next_task_date(where)

            assert contact_date("CT01", None) == date(2026, 3, 5)
            assert contact_date("CT01", "CT02") == date(2026, 3, 10)
            assert contact_date(None, "CT09") == date(2026, 3, 3)
            assert contact_date("CT08", None) is None
            assert tasks.next_task_date(salesperson_task_filter("JO")) == date(
                2026, 3, 1
            )
            assert tasks.next_task_date(salesperson_task_filter("AP")) == date(
                2026, 3, 6
            )
            assert tasks.next_task_date(team_task_filter("SALES")) == date(2026, 3, 7)
            assert tasks.next_task_date(team_task_filter("NORTH")) is None

    def test_count_open_counts_a_salespersons_or_a_teams_open_tasks(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """§8: open (not closed) tasks of any System To-do Type are counted."""
        with uow_factory() as uow:
            uow.tasks.add(_task("TD0001"))
            uow.tasks.add(_task("TD0002", closed=True))
            uow.tasks.add(
                _task(
                    "TD0003",
                    system_task_type=SystemTaskType.SALESPERSON_ATTENDEE,
                    organizer_task_no="TD0004",
                )
            )
            uow.tasks.add(_task("TD0004", team_code="SALES", salesperson_code=None))
            uow.tasks.add(
                _task(
                    "TD0005",
                    team_code="SALES",
                    system_task_type=SystemTaskType.ORGANIZER,
                    organizer_task_no="TD0004",
                )
            )
            uow.commit()
        with uow_factory() as uow:
            count = uow.tasks.count_open
            assert count(salesperson_code=SalespersonCode("JO")) == 3
            assert count(team_code=Code("SALES")) == 2
            assert (
                count(salesperson_code=SalespersonCode("JO"), team_code=Code("SALES"))
                == 1
            )
            assert count(salesperson_code=SalespersonCode("AP")) == 0
            assert count() == 4

    @_AGAINST_THE_REFERENCE
    @given(data=st.data())
    def test_task_queries_agree_with_the_reference(
        self, uow_factory: UnitOfWorkFactory, data: st.DataObject
    ) -> None:
        """find, next_task_date and count_open are TaskFilter.selects over the tasks."""
        example = next(_EXAMPLES)
        rows = data.draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "salesperson_code": st.sampled_from(["JO", "AP", None]),
                        "team_code": st.sampled_from(["SALES", None]),
                        "contact_no": st.sampled_from(["CT01", "CT02", None]),
                        "contact_company_no": st.sampled_from(["CT01", None]),
                        "opportunity_no": st.sampled_from(["OP0001", None]),
                        "campaign_no": st.sampled_from(["CP0001", None]),
                        "system_task_type": st.sampled_from(SystemTaskType),
                        "organizer_task_no": st.sampled_from(["TDA", None]),
                        "date": st.dates(date(2026, 1, 1), date(2026, 1, 9)),
                        "closed": st.booleans(),
                        "canceled": st.booleans(),
                    }
                ),
                max_size=12,
            )
        )
        tasks = []
        for number, row in enumerate(rows):
            if row["salesperson_code"] is None and row["team_code"] is None:
                row["salesperson_code"] = "JO"
            if (
                row["team_code"] is None
                and row["system_task_type"] is SystemTaskType.TEAM
            ):
                row["system_task_type"] = SystemTaskType.ORGANIZER
            tasks.append(_task(f"X{example:05d}-{number:02d}", **row))
        where = TaskFilter(
            salesperson_code=data.draw(st.sampled_from([None, "JO"])),
            team_code=data.draw(st.sampled_from([None, "SALES"])),
            contact_no=data.draw(st.sampled_from([None, "CT02"])),
            contact_company_no=data.draw(st.sampled_from([None, "", "CT01"])),
            opportunity_no=data.draw(st.sampled_from([None, "OP0001"])),
            campaign_no=data.draw(st.sampled_from([None, "CP0001"])),
            organizer_task_no=data.draw(st.sampled_from([None, "TDA"])),
            system_task_types=data.draw(
                st.none() | st.frozensets(st.sampled_from(SystemTaskType))
            ),
            closed=data.draw(st.sampled_from([None, True, False])),
            canceled=data.draw(st.sampled_from([None, True, False])),
            starting=data.draw(
                st.none() | st.dates(date(2026, 1, 1), date(2026, 1, 9))
            ),
            ending=data.draw(st.none() | st.dates(date(2026, 1, 1), date(2026, 1, 9))),
        )
        with uow_factory() as uow:
            for task in tasks:
                uow.tasks.add(task)
            uow.commit()
        try:
            with uow_factory() as uow:
                found = [task.no for task in uow.tasks.find(where)]
                next_date = uow.tasks.next_task_date(where)
                open_ones = uow.tasks.count_open(salesperson_code=SalespersonCode("JO"))
            chosen = sorted(
                (t for t in tasks if where.selects(t)), key=lambda t: (t.date, t.no)
            )
            assert found == [task.no for task in chosen]
            assert next_date == next_task_date_of(tasks, where)
            assert open_ones == sum(
                1 for t in tasks if t.salesperson_code == "JO" and not t.closed
            )
        finally:
            with uow_factory() as uow:  # the next example starts from no tasks
                for task in tasks:
                    uow.tasks.remove(task.no)
                uow.commit()


def _activity(code: str = "INIT") -> Activity:
    return Activity(
        code=code,
        description="Initial contact",
        steps=[
            ActivityStep(
                step_no=20000,
                type=TaskType.MEETING,
                description="Visit",
                priority=TaskPriority.HIGH,
                date_formula="CM+1D",
            ),
            ActivityStep(step_no=10000, type=TaskType.PHONE_CALL, date_formula="1W"),
            ActivityStep(step_no=30000, description="Send the offer"),
        ],
    )


class ActivityRepositoryContract(_FactoryFixture):
    """Activities (task templates, §7.6) with their steps."""

    def test_an_activity_reads_back_with_its_steps(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every step field survives a round trip, formulas (also empty) included."""
        with uow_factory() as uow:
            uow.activities.add(_activity())
            uow.activities.add(Activity(code="EMPTY"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.activities.get(Code("INIT")) == _activity()
            assert uow.activities.get(Code("EMPTY")) == Activity(code="EMPTY")
            with pytest.raises(AlreadyExistsError):
                uow.activities.add(Activity(code="INIT"))

    def test_updating_an_activity_replaces_its_steps(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() stores exactly the activity's steps; remove() drops them all."""
        with uow_factory() as uow:
            uow.activities.add(_activity("INIT"))
            uow.activities.add(_activity("FOLLOW"))
            uow.commit()
        changed = attrs.evolve(
            _activity(), description="First call", steps=_activity().steps[:1]
        )
        with uow_factory() as uow:
            uow.activities.update(changed)
            uow.commit()
        with uow_factory() as uow:
            assert uow.activities.get(Code("INIT")) == changed
            assert [a.code for a in uow.activities.find_all()] == ["FOLLOW", "INIT"]
            uow.activities.remove(Code("FOLLOW"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.activities.find_all() == [changed]
            with pytest.raises(NotFoundError):
                uow.activities.get(Code("FOLLOW"))
            with pytest.raises(NotFoundError):
                uow.activities.update(_activity("FOLLOW"))
            with pytest.raises(NotFoundError):
                uow.activities.remove(Code("FOLLOW"))


# --- sales cycles, opportunities, campaigns (§5, §6) ---------------------------------


def _sales_cycle(code: str = "NEW") -> SalesCycle:
    return SalesCycle(
        code=code,
        description="New business",
        probability_calculation=ProbabilityCalculation.ADD,
        blocked=True,
        stages=[
            SalesCycleStage(
                stage=2,
                description="Proposal",
                completed_pct=Decimal("37.5"),
                chances_of_success_pct=Decimal(50),
                activity_code="PROPOSAL",
                quote_required=True,
                allow_skip=True,
                date_formula="CM+1D",
            ),
            SalesCycleStage(stage=1, description="Initial", date_formula="1W"),
            SalesCycleStage(stage=3),
        ],
    )


class SalesCycleRepositoryContract(_FactoryFixture):
    """Sales cycles (§5.1) with their stages (§5.2): stored whole, version-checked."""

    def test_a_sales_cycle_reads_back_with_its_stages(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every cycle and stage field survives a round trip (formulas as text)."""
        cycle, empty = _sales_cycle(), SalesCycle(code="EMPTY")
        with uow_factory() as uow:
            uow.sales_cycles.add(cycle)
            uow.sales_cycles.add(empty)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.sales_cycles.get(Code("NEW"))
            assert uow.sales_cycles.exists(Code("NEW"))
            assert not uow.sales_cycles.exists(Code("NONE"))
            assert uow.sales_cycles.get(Code("EMPTY")) == empty
            with pytest.raises(AlreadyExistsError):
                uow.sales_cycles.add(_sales_cycle())
        assert (stored, stored.version) == (cycle, 1)
        assert [s.stage for s in stored.stages] == [1, 2, 3]

    def test_updating_a_sales_cycle_replaces_its_stages_and_checks_the_version(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() stores exactly the cycle's stages; a stale copy is refused."""
        with uow_factory() as uow:
            uow.sales_cycles.add(_sales_cycle())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.sales_cycles.get(Code("NEW"))
        with uow_factory() as uow:
            fresh = uow.sales_cycles.get(Code("NEW"))
            fresh.change(description="Renewals")
            fresh.remove_stage(3, active_entries=0)
            fresh.set_stage(SalesCycleStage(stage=1, completed_pct=5))
            uow.sales_cycles.update(fresh)
            uow.commit()
        stale.change(description="Somebody else")
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.sales_cycles.update(stale)
        with uow_factory() as uow:
            stored = uow.sales_cycles.get(Code("NEW"))
        assert (stored, stored.version) == (fresh, 2)
        assert [(s.stage, s.completed_pct) for s in stored.stages] == [
            (1, Decimal(5)),
            (2, Decimal("37.5")),
        ]

    def test_sales_cycles_are_listed_by_code_and_removed_with_their_stages(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_all() sorts by code; a removed cycle is gone, stages and all."""
        with uow_factory() as uow:
            for code in ("NEW", "EXISTING", "ZZ"):
                uow.sales_cycles.add(_sales_cycle(code))
            uow.commit()
        with uow_factory() as uow:
            uow.sales_cycles.remove(Code("ZZ"))
            uow.commit()
        with uow_factory() as uow:
            assert [c.code for c in uow.sales_cycles.find_all()] == ["EXISTING", "NEW"]
            with pytest.raises(NotFoundError):
                uow.sales_cycles.get(Code("ZZ"))
            with pytest.raises(NotFoundError):
                uow.sales_cycles.remove(Code("ZZ"))
            with pytest.raises(NotFoundError):
                uow.sales_cycles.update(_sales_cycle("ZZ"))
            uow.sales_cycles.add(SalesCycle(code="ZZ"))
            assert uow.sales_cycles.get(Code("ZZ")).stages == ()


def _opportunity(no: str, **fields: object) -> Opportunity:
    values: dict[str, object] = {
        "creation_date": date(2026, 3, 2),
        "contact_no": "CT02",
        "contact_company_no": "CT01",
        "salesperson_code": "JO",
        **fields,
    }
    return Opportunity(no=no, **values)  # type: ignore[arg-type]


def _full_opportunity(no: str = "OP0001") -> Opportunity:
    """A closed opportunity with every field set away from its default."""
    return _opportunity(
        no,
        description="Office furniture",
        campaign_no="CP0001",
        sales_cycle_code="NEW",
        date_closed=date(2026, 4, 30),
        status=OpportunityStatus.WON,
        priority=OpportunityPriority.HIGH,
        closed=True,
        sales_document_type=SalesDocumentType.QUOTE,
        sales_document_no="SQ-1001",
        segment_no="SM0001",
    )


class OpportunityRepositoryContract(_FactoryFixture):
    """Opportunities (§5.4): stored whole, version-checked, found by their parties."""

    def test_an_opportunity_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives a round trip; the version becomes 1."""
        opportunity = _full_opportunity()
        with uow_factory() as uow:
            uow.opportunities.add(opportunity)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.opportunities.get(OpportunityNo("OP0001"))
            assert uow.opportunities.exists(OpportunityNo("OP0001"))
            assert not uow.opportunities.exists(OpportunityNo("OP0002"))
            with pytest.raises(AlreadyExistsError):
                uow.opportunities.add(_opportunity("OP0001"))
        assert (stored, stored.version) == (opportunity, 1)

    def test_a_stale_opportunity_is_refused_and_a_fresh_one_written(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() checks the version; removed opportunities are not found."""
        with uow_factory() as uow:
            uow.opportunities.add(_opportunity("OP0001"))
            uow.commit()
        with uow_factory() as uow:
            stale = uow.opportunities.get(OpportunityNo("OP0001"))
        with uow_factory() as uow:
            fresh = uow.opportunities.get(OpportunityNo("OP0001"))
            fresh.change(description="Chairs", priority=OpportunityPriority.LOW)
            uow.opportunities.update(fresh)
            uow.commit()
        stale.change(description="Desks")
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.opportunities.update(stale)
        with uow_factory() as uow:
            stored = uow.opportunities.get(OpportunityNo("OP0001"))
            assert (stored, stored.version) == (fresh, 2)
            uow.opportunities.remove(OpportunityNo("OP0001"))
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFoundError):
                uow.opportunities.get(OpportunityNo("OP0001"))
            with pytest.raises(NotFoundError):
                uow.opportunities.update(fresh)
            with pytest.raises(NotFoundError):
                uow.opportunities.remove(OpportunityNo("OP0001"))

    def test_opportunities_are_found_by_contact_salesperson_campaign_cycle_and_status(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find() matches every given field, a contact as in §2.2, ordered by number."""
        with uow_factory() as uow:
            full = _full_opportunity("OP0003")
            uow.opportunities.add(full)
            uow.opportunities.add(_opportunity("OP0001", contact_no="CT01"))
            uow.opportunities.add(
                _opportunity("OP0002", salesperson_code="AP", campaign_no="CP0001")
            )
            uow.opportunities.add(
                _opportunity("OP0004", contact_no="CT09", contact_company_no=None)
            )
            uow.commit()
        with uow_factory() as uow:
            repo = uow.opportunities

            def nos(**filters: object) -> list[str]:
                return [o.no for o in repo.find(**filters)]  # type: ignore[arg-type]

            assert nos() == ["OP0001", "OP0002", "OP0003", "OP0004"]
            assert nos(contact_company_no="CT01") == ["OP0001", "OP0002", "OP0003"]
            assert nos(contact_company_no="CT01", contact_no="CT02") == [
                "OP0002",
                "OP0003",
            ]
            assert nos(contact_company_no="", contact_no="CT09") == ["OP0004"]
            assert nos(salesperson_code="AP") == ["OP0002"]
            assert nos(campaign_no="CP0001") == ["OP0002", "OP0003"]
            assert nos(sales_cycle_code="NEW") == ["OP0003"]
            assert nos(status=OpportunityStatus.WON) == ["OP0003"]
            assert nos(status=OpportunityStatus.NOT_STARTED, salesperson_code="JO") == [
                "OP0001",
                "OP0004",
            ]
            assert nos(contact_company_no="CT09") == []
            assert repo.find(sales_cycle_code=Code("NEW")) == [full]


def _opportunity_entry(
    entry_no: int, opportunity_no: str = "OP0001", **fields: object
) -> OpportunityEntry:
    values: dict[str, object] = {"date_of_change": date(2026, 3, 2), **fields}
    return OpportunityEntry(
        entry_no=entry_no,
        opportunity_no=opportunity_no,
        **values,  # type: ignore[arg-type]
    )


def _full_opportunity_entry(entry_no: int = 1) -> OpportunityEntry:
    """A closed entry with every field set away from its default."""
    return _opportunity_entry(
        entry_no,
        sales_cycle_code="NEW",
        sales_cycle_stage=3,
        previous_sales_cycle_stage=2,
        contact_no="CT02",
        contact_company_no="CT01",
        salesperson_code="JO",
        campaign_no="CP0001",
        active=True,
        date_closed=date(2026, 3, 9),
        days_open=7,
        action_taken=ActionTaken.WON,
        action_type=ActionType.JUMP,
        estimated_value=Decimal("12500.25"),
        calcd_current_value=Decimal("1562.53125"),
        completed_pct=Decimal("37.5"),
        chances_of_success_pct=Decimal("33.33"),
        probability_pct=Decimal("12.49875"),
        estimated_close_date=date(2026, 4, 30),
        close_opportunity_code="PRICE",
        cancel_old_task=True,
    )


class OpportunityEntryRepositoryContract(_FactoryFixture):
    """Opportunity entries (§5.5): frozen records, numbered, listed per opportunity."""

    def test_an_opportunity_entry_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives a round trip; a taken number is refused."""
        entry = _full_opportunity_entry()
        with uow_factory() as uow:
            uow.opportunity_entries.add(entry)
            uow.commit()
        with uow_factory() as uow:
            assert uow.opportunity_entries.get(1) == entry
            with pytest.raises(AlreadyExistsError):
                uow.opportunity_entries.add(_opportunity_entry(1))
            with pytest.raises(NotFoundError):
                uow.opportunity_entries.get(2)

    def test_opportunity_entry_numbers_follow_the_last_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Next number = last + 1; numbers handed out in one unit are not reused."""
        with uow_factory() as uow:
            first = uow.opportunity_entries.next_entry_no()
            second = uow.opportunity_entries.next_entry_no()
            uow.opportunity_entries.add(_opportunity_entry(second))
            uow.commit()
        with uow_factory() as uow:
            third = uow.opportunity_entries.next_entry_no()
            uow.opportunity_entries.add(_opportunity_entry(7))
            uow.commit()
        with uow_factory() as uow:
            eighth = uow.opportunity_entries.next_entry_no()
        assert (first, second, third, eighth) == (1, 2, 3, 8)

    def test_opportunity_entries_are_listed_by_number_with_the_active_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """entries_of() orders by entry number; active_of() finds the active entry."""
        with uow_factory() as uow:
            uow.opportunity_entries.add(_opportunity_entry(3, active=True))
            uow.opportunity_entries.add(_opportunity_entry(1, days_open=1))
            uow.opportunity_entries.add(_opportunity_entry(2, "OP0002", active=True))
            uow.commit()
        with uow_factory() as uow:
            entries = uow.opportunity_entries
            assert [
                e.entry_no for e in entries.entries_of(OpportunityNo("OP0001"))
            ] == [
                1,
                3,
            ]
            active = entries.active_of(OpportunityNo("OP0001"))
            assert active == _opportunity_entry(3, active=True)
            assert entries.active_of(OpportunityNo("OP0003")) is None
            assert entries.entries_of(OpportunityNo("OP0003")) == []

    def test_updating_an_opportunity_entry_overwrites_it(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A superseded entry is written back inactive; a missing one is not found."""
        with uow_factory() as uow:
            uow.opportunity_entries.add(_opportunity_entry(1, active=True))
            uow.commit()
        closed = _opportunity_entry(
            1, active=False, days_open=7, date_closed=date(2026, 3, 9)
        )
        with uow_factory() as uow:
            uow.opportunity_entries.update(closed)
            uow.opportunity_entries.add(_opportunity_entry(2, active=True))
            uow.commit()
        with uow_factory() as uow:
            assert uow.opportunity_entries.get(1) == closed
            assert uow.opportunity_entries.active_of(OpportunityNo("OP0001")) == (
                _opportunity_entry(2, active=True)
            )
            with pytest.raises(NotFoundError):
                uow.opportunity_entries.update(_opportunity_entry(9))

    def test_the_entries_of_an_opportunity_are_removed_with_it(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove_of() deletes one opportunity's entries and says how many (§5.4)."""
        with uow_factory() as uow:
            uow.opportunity_entries.add(_opportunity_entry(1, sales_cycle_code="RM"))
            uow.opportunity_entries.add(
                _opportunity_entry(
                    2, sales_cycle_code="RM", sales_cycle_stage=1, active=True
                )
            )
            uow.opportunity_entries.add(_opportunity_entry(3, "OP0002", active=True))
            uow.commit()
        with uow_factory() as uow:
            assert uow.opportunity_entries.remove_of(OpportunityNo("OP0001")) == 2
            assert uow.opportunity_entries.entries_of(OpportunityNo("OP0001")) == []
            uow.commit()
        with uow_factory() as uow:
            assert uow.opportunity_entries.entries_of(OpportunityNo("OP0001")) == []
            assert uow.opportunity_entries.pipeline(sales_cycle_code=Code("RM")) == []
            assert [
                e.entry_no
                for e in uow.opportunity_entries.entries_of(OpportunityNo("OP0002"))
            ] == [3]
            assert uow.opportunity_entries.remove_of(OpportunityNo("OP0009")) == 0

    def test_the_pipeline_now_and_as_of_a_day_with_totals_and_durations(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """The §5.10 opportunity, and a lost one, seen now and on earlier days (§5.9)."""
        day = date(2024, 3, 4)

        def entry(no: int, opportunity: str, **fields: object) -> OpportunityEntry:
            values: dict[str, object] = {
                "sales_cycle_code": "PIPE",
                "salesperson_code": "PS",
                "estimated_value": 10000,
                **fields,
            }
            return _opportunity_entry(no, opportunity, **values)

        history = [
            entry(
                1,
                "PIPE1",
                sales_cycle_stage=1,
                date_of_change=day,
                days_open=7,
                chances_of_success_pct=40,
                calcd_current_value=400,
            ),
            entry(
                2,
                "PIPE2",
                sales_cycle_stage=1,
                date_of_change=day,
                days_open=1,
                chances_of_success_pct=25,
                calcd_current_value=250,
            ),
            entry(
                3,
                "PIPE2",
                date_of_change=day + timedelta(1),
                active=True,
                action_taken=ActionTaken.LOST,
            ),
            entry(
                4,
                "PIPE1",
                sales_cycle_stage=2,
                date_of_change=day + timedelta(7),
                days_open=7,
                chances_of_success_pct=50,
                calcd_current_value=1250,
            ),
            entry(
                5,
                "PIPE1",
                sales_cycle_stage=4,
                date_of_change=day + timedelta(14),
                active=True,
                chances_of_success_pct=80,
                calcd_current_value=7200,
            ),
        ]
        with uow_factory() as uow:
            for row in history:
                uow.opportunity_entries.add(row)
            uow.commit()
        cycle = Code("PIPE")
        with uow_factory() as uow:
            repo = uow.opportunity_entries

            def stages(as_of: date | None) -> list[tuple[int, int, Decimal, Decimal]]:
                return [
                    (r.stage, r.count, r.calcd_current_value, r.weighted_value)
                    for r in repo.pipeline(as_of=as_of, sales_cycle_code=cycle)
                ]

            assert stages(None) == [(4, 1, Decimal(7200), Decimal(8000))]
            assert stages(day - timedelta(1)) == []
            assert stages(day) == [(1, 2, Decimal(650), Decimal(6500))]
            assert stages(day + timedelta(1)) == [(1, 1, Decimal(400), Decimal(4000))]
            assert stages(day + timedelta(8)) == [(2, 1, Decimal(1250), Decimal(5000))]
            assert repo.pipeline(
                as_of=day, salesperson_code=SalespersonCode("PS")
            ) == repo.pipeline(as_of=day, sales_cycle_code=cycle)
            assert repo.totals("sales_cycle_code", key="PIPE") == [
                OpportunityTotals(
                    key="PIPE",
                    no_of_opportunities=2,
                    estimated_value=Decimal(20000),
                    calcd_current_value=Decimal(7200),
                )
            ]
            assert repo.totals("campaign_no", key="NONE") == [
                OpportunityTotals(key="NONE")
            ]
            durations = {
                d.stage: (d.entries, d.average_days, d.left, d.median_days)
                for d in repo.stage_durations(sales_cycle_code=cycle)
            }
            assert durations == {
                1: (2, Decimal(4), 2, 4.0),
                2: (1, Decimal(7), 1, 7.0),
                4: (1, Decimal(0), 0, None),
            }
            with pytest.raises(ValidationError):
                repo.totals("description")  # type: ignore[arg-type]

    @_AGAINST_THE_REFERENCE
    @given(data=st.data())
    def test_pipeline_totals_and_durations_agree_with_the_reference(
        self, uow_factory: UnitOfWorkFactory, data: st.DataObject
    ) -> None:
        """pipeline, totals and stage_durations are the domain's functions (§5.9).

        Part of the entries is committed; the rest, with the superseded entries
        written back, is staged in the unit of work that asks, then committed.
        """
        example = next(_EXAMPLES)
        cycle = Code(f"PC{example}")
        people = [f"PA{example}", f"PB{example}"]
        step = st.tuples(
            st.sampled_from([1, 2, 3, ActionTaken.WON, ActionTaken.LOST]),
            st.integers(0, 4),
            st.decimals(1, 10**6, places=2),
            st.decimals(0, 100, places=2),
            st.decimals(0, 10**6, places=5),
            st.sampled_from(people),
        )
        histories = data.draw(
            st.lists(st.lists(step, min_size=1, max_size=4), max_size=6)
        )
        rows = _histories(example, cycle, histories)
        split = data.draw(st.integers(0, len(rows)))
        with uow_factory() as uow:
            numbers = {}
            for row in rows:
                numbers[row.entry_no] = uow.opportunity_entries.next_entry_no()
            uow.rollback()
        with uow_factory() as uow:
            for row in rows[:split]:
                stored = attrs.evolve(row, entry_no=numbers[row.entry_no])
                uow.opportunity_entries.add(attrs.evolve(stored, active=True))
            uow.commit()
        days = [None, *(date(2026, 3, d) for d in (1, 3, 6, 9, 14))]
        current = [attrs.evolve(row, entry_no=numbers[row.entry_no]) for row in rows]
        for position in (0, 1):
            with uow_factory() as uow:
                repo = uow.opportunity_entries
                if position == 0:
                    for row in current[:split]:
                        repo.update(row)
                    for row in current[split:]:
                        repo.add(row)
                for as_of in days:
                    assert repo.pipeline(as_of=as_of, sales_cycle_code=cycle) == (
                        pipeline_of(current, as_of=as_of, sales_cycle_code=cycle)
                    )
                    for person in people:
                        assert repo.pipeline(
                            as_of=as_of, salesperson_code=SalespersonCode(person)
                        ) == pipeline_of(current, as_of=as_of, salesperson_code=person)
                for person in people:
                    assert repo.totals("salesperson_code", key=person) == totals_of(
                        current, "salesperson_code", key=person
                    )
                assert repo.stage_durations(sales_cycle_code=cycle) == (
                    stage_durations_of(current, sales_cycle_code=cycle)
                )
                uow.commit()


def _histories(
    example: int,
    cycle: Code,
    histories: list[
        list[tuple[int | ActionTaken, int, Decimal, Decimal, Decimal, str]]
    ],
) -> list[OpportunityEntry]:
    """Entries of one opportunity per history, numbered 1, 2, ... (the last active)."""
    rows: list[OpportunityEntry] = []
    for index, history in enumerate(histories):
        day = date(2026, 3, 1)
        for position, (stage, gap, value, chances, current, person) in enumerate(
            history
        ):
            day += timedelta(gap)
            closing = isinstance(stage, ActionTaken)
            if rows and rows[-1].opportunity_no == f"PO{example}-{index}":
                rows[-1] = attrs.evolve(
                    rows[-1],
                    active=False,
                    days_open=(day - rows[-1].date_of_change).days,
                )
            rows.append(
                _opportunity_entry(
                    len(rows) + 1,
                    f"PO{example}-{index}",
                    sales_cycle_code=cycle,
                    sales_cycle_stage=None if closing else stage,
                    action_taken=stage if closing else ActionTaken.NEXT,
                    date_of_change=day,
                    active=position == len(history) - 1,
                    estimated_value=value,
                    chances_of_success_pct=chances,
                    calcd_current_value=current,
                    salesperson_code=person,
                )
            )
    return rows


def _campaign(no: str = "CP0001", **fields: object) -> Campaign:
    return Campaign(no=no, **fields)  # type: ignore[arg-type]


def _full_campaign(no: str = "CP0001") -> Campaign:
    """A campaign with every field set away from its default."""
    return _campaign(
        no,
        description="Spring fair",
        starting_date=date(2026, 3, 1),
        ending_date=date(2026, 3, 31),
        salesperson_code="JO",
        status_code="PLANNED",
        global_dimension_1_code="SALES",
        global_dimension_2_code="NORTH",
        no_series="CAMP",
        activated=True,
        last_date_modified=date(2026, 2, 20),
    )


class CampaignRepositoryContract(_FactoryFixture):
    """Campaigns (§6.1): stored whole, version-checked, ordered by number."""

    def test_a_campaign_reads_back_equal(self, uow_factory: UnitOfWorkFactory) -> None:
        """Every field survives a round trip; the version becomes 1."""
        campaign = _full_campaign()
        with uow_factory() as uow:
            uow.campaigns.add(campaign)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.campaigns.get(CampaignNo("CP0001"))
            assert uow.campaigns.exists(CampaignNo("CP0001"))
            assert not uow.campaigns.exists(CampaignNo("CP0002"))
            with pytest.raises(AlreadyExistsError):
                uow.campaigns.add(_campaign())
        assert (stored, stored.version) == (campaign, 1)

    def test_a_stale_campaign_is_refused(self, uow_factory: UnitOfWorkFactory) -> None:
        """A stale copy is refused; a fresh one is written and its version goes up."""
        with uow_factory() as uow:
            uow.campaigns.add(_campaign())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.campaigns.get(CampaignNo("CP0001"))
        with uow_factory() as uow:
            fresh = uow.campaigns.get(CampaignNo("CP0001"))
            fresh.change(description="Autumn fair", today=date(2026, 3, 5))
            uow.campaigns.update(fresh)
            uow.commit()
        stale.change(description="Winter fair")
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.campaigns.update(stale)
        with uow_factory() as uow:
            stored = uow.campaigns.get(CampaignNo("CP0001"))
        assert (stored, stored.version) == (fresh, 2)

    def test_campaigns_are_listed_by_number_and_removed(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_all() sorts by number; removed campaigns are gone."""
        with uow_factory() as uow:
            for no in ("CP0003", "CP0001", "CP0002"):
                uow.campaigns.add(_campaign(no))
            uow.commit()
        with uow_factory() as uow:
            uow.campaigns.remove(CampaignNo("CP0003"))
            uow.commit()
        with uow_factory() as uow:
            assert [c.no for c in uow.campaigns.find_all()] == ["CP0001", "CP0002"]
            with pytest.raises(NotFoundError):
                uow.campaigns.get(CampaignNo("CP0003"))
            with pytest.raises(NotFoundError):
                uow.campaigns.remove(CampaignNo("CP0003"))
            with pytest.raises(NotFoundError):
                uow.campaigns.update(_campaign("CP0003"))


def _campaign_entry(
    entry_no: int, campaign_no: str = "CP0001", **fields: object
) -> CampaignEntry:
    values: dict[str, object] = {"date": date(2026, 3, 2), **fields}
    return CampaignEntry(
        entry_no=entry_no,
        campaign_no=campaign_no,
        **values,  # type: ignore[arg-type]
    )


class CampaignEntryRepositoryContract(_FactoryFixture):
    """Campaign entries (§6.2): frozen records, numbered, found by campaign."""

    def test_a_campaign_entry_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives a round trip; a taken number is refused."""
        entry = _campaign_entry(
            1,
            description="Spring mailing",
            user_id="ADMIN",
            segment_no="SM0001",
            canceled=True,
            salesperson_code="JO",
            register_no=5,
            document_type=DocumentType.SALES_INVOICE,
        )
        with uow_factory() as uow:
            uow.campaign_entries.add(entry)
            uow.commit()
        with uow_factory() as uow:
            assert uow.campaign_entries.get(1) == entry
            with pytest.raises(AlreadyExistsError):
                uow.campaign_entries.add(_campaign_entry(1))
            with pytest.raises(NotFoundError):
                uow.campaign_entries.get(2)

    def test_campaign_entry_numbers_follow_the_last_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Next number = last + 1; numbers handed out in one unit are not reused."""
        with uow_factory() as uow:
            first = uow.campaign_entries.next_entry_no()
            second = uow.campaign_entries.next_entry_no()
            uow.campaign_entries.add(_campaign_entry(second))
            uow.commit()
        with uow_factory() as uow:
            third = uow.campaign_entries.next_entry_no()
        assert (first, second, third) == (1, 2, 3)

    def test_campaign_entries_are_found_by_campaign_and_canceled_by_update(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find() orders by entry number; update() writes a canceled entry back."""
        with uow_factory() as uow:
            uow.campaign_entries.add(_campaign_entry(3))
            uow.campaign_entries.add(_campaign_entry(1))
            uow.campaign_entries.add(_campaign_entry(2, "CP0002"))
            uow.commit()
        with uow_factory() as uow:
            entries = uow.campaign_entries
            entries.update(entries.get(3).cancel())
            uow.commit()
        with uow_factory() as uow:
            entries = uow.campaign_entries
            assert [e.entry_no for e in entries.find()] == [1, 2, 3]
            assert [
                e.entry_no for e in entries.find(campaign_no=CampaignNo("CP0001"))
            ] == [
                1,
                3,
            ]
            assert entries.get(3).canceled
            assert entries.find(campaign_no=CampaignNo("CP0009")) == []
            with pytest.raises(NotFoundError):
                entries.update(_campaign_entry(9))

    def test_a_campaign_entry_is_removed(self, uow_factory: UnitOfWorkFactory) -> None:
        """remove() deletes one entry (§6.2 Delete); a missing one is not found."""
        with uow_factory() as uow:
            uow.campaign_entries.add(_campaign_entry(1))
            uow.campaign_entries.add(_campaign_entry(2))
            uow.commit()
        with uow_factory() as uow:
            uow.campaign_entries.remove(1)
            uow.commit()
        with uow_factory() as uow:
            assert [e.entry_no for e in uow.campaign_entries.find()] == [2]
            with pytest.raises(NotFoundError):
                uow.campaign_entries.remove(1)


class CampaignPricingRepositoryContract(_FactoryFixture):
    """Campaign price and line-discount lines (§6.3): keyed, replaced, removed."""

    def test_pricing_lines_read_back_equal_and_are_replaced_by_key(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives; a line with the same key replaces the stored one."""
        price = CampaignPriceLine(
            campaign_no="CP0001",
            asset_type=PriceAssetType.ITEM,
            asset_no="1000",
            variant_code="RED",
            unit_of_measure_code="PCS",
            currency_code="EUR",
            minimum_quantity=Decimal("2.5"),
            starting_date=date(2026, 3, 1),
            ending_date=date(2026, 3, 31),
            unit_price=Decimal("19.99"),
            allow_line_disc=False,
            allow_invoice_disc=False,
        )
        discount = CampaignLineDiscountLine(
            campaign_no="CP0001",
            asset_type=PriceAssetType.ITEM_DISCOUNT_GROUP,
            asset_no="RETAIL",
            line_discount_pct=Decimal("7.5"),
        )
        other = CampaignPriceLine(
            campaign_no="CP0002", asset_type=PriceAssetType.ITEM, asset_no="1000"
        )
        with uow_factory() as uow:
            for line in (price, discount, other):
                uow.campaign_pricing.put(line)
            uow.commit()
        cheaper = attrs.evolve(price, unit_price=Decimal("17.5"))
        with uow_factory() as uow:
            assert uow.campaign_pricing.lines_of(CampaignNo("CP0001")) == [
                discount,
                price,
            ]
            uow.campaign_pricing.put(cheaper)
            uow.commit()
        with uow_factory() as uow:
            assert uow.campaign_pricing.lines_of(CampaignNo("CP0001")) == [
                discount,
                cheaper,
            ]
            assert uow.campaign_pricing.lines_of(CampaignNo("CP0009")) == []

    def test_pricing_lines_are_removed_one_by_one_or_by_campaign(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes the line with the key; remove_of() all of a campaign's."""
        lines = [
            CampaignPriceLine(
                campaign_no="CP0001",
                asset_type=PriceAssetType.ITEM,
                asset_no=str(n),
                minimum_quantity=n,
            )
            for n in (1, 2, 3)
        ]
        with uow_factory() as uow:
            for line in lines:
                uow.campaign_pricing.put(line)
            uow.commit()
        with uow_factory() as uow:
            uow.campaign_pricing.remove(attrs.evolve(lines[0], unit_price=5))
            uow.commit()
        with uow_factory() as uow:
            assert uow.campaign_pricing.lines_of(CampaignNo("CP0001")) == lines[1:]
            with pytest.raises(NotFoundError):
                uow.campaign_pricing.remove(lines[0])
            assert uow.campaign_pricing.remove_of(CampaignNo("CP0001")) == 2
            uow.commit()
        with uow_factory() as uow:
            assert uow.campaign_pricing.lines_of(CampaignNo("CP0001")) == []


# --- segments (§4) --------------------------------------------------------------------


def _segment_contacts() -> dict[str, Contact]:
    """A company, its person and a person of no company with an alternative address."""
    now = datetime(2026, 1, 5, tzinfo=UTC)
    setup = RelationshipSetup()
    cronus = Contact.create_company(
        no="CT01",
        name="Cronus",
        now=now,
        setup=setup,
        salesperson_code="JO",
        language_code="ENU",
        correspondence_type=CorrespondenceType.HARD_COPY,
    )
    ann = Contact.create_person(
        no="CT02", name="Ann Smith", company=cronus, now=now, setup=setup
    )
    bo = Contact.create_person(
        no="CT03",
        name="Bo Berg",
        now=now,
        setup=setup,
        correspondence_type=CorrespondenceType.EMAIL,
    )
    bo.add_alternative_address(
        AlternativeAddress(code="SUMMER", address=Address(city="Nice")), now=now
    )
    bo.schedule_alternative_address(
        "SUMMER", starting=date(2026, 1, 1), ending=date(2026, 12, 31), now=now
    )
    return {c.no: c for c in (cronus, ann, bo)}


def _segment_criteria() -> list[Criteria]:
    """Criteria of every kind: leaves, And/Or/Not, Has, InSegment, dates, decimals."""
    interaction = where.on("interaction")
    opportunity = where.on("opportunity")
    return [
        (
            where.country_code.isin(["CZ", "GB"])
            | where.name.startswith("cro", ignore_case=True)
        )
        & Not(item=where.email.is_blank())
        & where.has(
            "interaction",
            interaction.date.between(date(2026, 1, 1), date(2026, 3, 31))
            & interaction.cost_lcy.between(Decimal("0.50"), Decimal("99.99"))
            & (interaction.information_flow == InformationFlow.OUTBOUND),
            at_least=2,
        ),
        (where.type == ContactType.PERSON)
        & where.has("opportunity", opportunity.creation_date >= date(2025, 7, 1))
        & Not(item=where.in_segment("SM0009")),
        where.in_segment("SM0002") | where.mailing_group("NEWS", "PRESS"),
        where.has(
            "profile_answer",
            Not(item=where.on("profile_answer").questionnaire_code == "size"),
        )
        | where.industry_group("RETAIL")
        | where.city.endswith("HA", ignore_case=True),
    ]


def _full_segment(no: str = "SM0001") -> Segment:
    """A segment with every header field set, built by Add, Reduce, Refine and by hand.

    Its history holds insertions and deletions (a deleted line with an alternative
    address), an action that touched no line, and a contact on two lines.
    """
    contacts = _segment_contacts()
    cronus, ann, bo = contacts["CT01"], contacts["CT02"], contacts["CT03"]
    add, reduce, refine, other = _segment_criteria()
    segment = Segment(
        no=no,
        description="Spring mailing",
        campaign_no="CP0001",
        correspondence_type_default=CorrespondenceType.EMAIL,
        interaction_template_code="MAIL",
        interaction_group_code="LETTERS",
        unit_cost_lcy=Decimal("12.50"),
        unit_duration_min=Decimal("7.25"),
        date=date(2026, 3, 2),
        campaign_target=True,
        campaign_response=True,
        information_flow=InformationFlow.OUTBOUND,
        initiated_by=InitiatedBy.US,
        send_word_docs_as_attmt=True,
        subject_default="Our spring offers",
        word_template_code="SPRING",
    )
    segment.add_contacts(
        [bo, ann, cronus],
        criteria=add,
        options=AddOptions(
            expand_companies=True, allow_related_companies=True, ignore_exclusion=True
        ),
        company_members=lambda _: [ann],
        company_of=lambda _: cronus,
    )
    segment.change(
        salesperson_code="KIM",
        language_code_default="DEU",
        ignore_contact_corres_type=True,
        unit_cost_lcy=Decimal("0.001"),
    )
    segment.reduce([bo], criteria=reduce, entire_companies=True)
    segment.add_line(bo)
    segment.remove_line(segment.lines[0].line_no)
    segment.refine(contacts.values(), criteria=other)  # deletes no line
    segment.add_contacts(
        [ann],
        criteria=where.no == "CT02",
        options=AddOptions(allow_existing_contacts=True),
    )
    segment.refine([ann], criteria=refine)
    return segment


class SegmentRepositoryContract(_FactoryFixture):
    """Segments (§4) with their lines, criteria actions and history: stored whole."""

    def test_a_segment_reads_back_with_its_lines_actions_and_history(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every header, line, action (criteria, options) and history field survives."""
        segment, empty = _full_segment(), Segment(no="SM0002", date=date(2026, 3, 2))
        with uow_factory() as uow:
            uow.segments.add(segment)
            uow.segments.add(empty)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.segments.get(SegmentNo("SM0001"))
            assert uow.segments.exists(SegmentNo("SM0001"))
            assert not uow.segments.exists(SegmentNo("SM0003"))
            assert uow.segments.get(SegmentNo("SM0002")) == empty
            with pytest.raises(AlreadyExistsError):
                uow.segments.add(Segment(no="SM0001", date=date(2026, 3, 2)))
        assert (stored, stored.version) == (segment, 1)
        assert [a.criteria for a in stored.actions] == [
            a.criteria for a in segment.actions
        ]
        assert [(line.line_no, line.contact_no) for line in stored.lines] == [
            (30000, "CT02"),
            (50000, "CT02"),
        ]
        assert [
            (r.action_no, r.line.line_no, r.action_taken) for r in stored.history
        ] == [
            (1, 10000, HistoryAction.INSERTION),
            (1, 20000, HistoryAction.INSERTION),
            (1, 30000, HistoryAction.INSERTION),
            (2, 10000, HistoryAction.DELETION),
            (3, 40000, HistoryAction.INSERTION),
            (4, 20000, HistoryAction.DELETION),
            (6, 50000, HistoryAction.INSERTION),
            (7, 40000, HistoryAction.DELETION),
        ]
        assert stored.history[3].line.contact_alt_address_code == "SUMMER"
        assert stored.history[-1].line.cost_lcy == Decimal("0.001")

    def test_updating_a_segment_replaces_its_children_and_checks_the_version(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() stores exactly the segment's children; a stale copy is refused."""
        with uow_factory() as uow:
            uow.segments.add(_full_segment())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.segments.get(SegmentNo("SM0001"))
        with uow_factory() as uow:
            fresh = uow.segments.get(SegmentNo("SM0001"))
            fresh.go_back()  # the refine: Bo's line comes back
            fresh.change(description="Autumn mailing")
            fresh.add_contacts(
                [_segment_contacts()["CT01"]], criteria=where.no == "CT01"
            )
            uow.segments.update(fresh)
            uow.commit()
        stale.change(description="Somebody else")
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.segments.update(stale)
        with uow_factory() as uow:
            stored = uow.segments.get(SegmentNo("SM0001"))
            assert (stored, stored.version) == (fresh, 2)
            assert [line.line_no for line in stored.lines] == [
                30000,
                40000,
                50000,
                60000,
            ]
            stored.reset_criteria()
            uow.segments.update(stored)
            uow.commit()
        with uow_factory() as uow:
            reset = uow.segments.get(SegmentNo("SM0001"))
        assert (reset.actions, reset.history, reset.version) == ((), (), 3)
        assert reset.lines == fresh.lines

    def test_segments_are_listed_by_number_and_removed_with_their_children(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_all() sorts by number; a removed segment is gone, children and all."""
        with uow_factory() as uow:
            for no in ("SM0003", "SM0001", "SM0002"):
                uow.segments.add(_full_segment(no))
            uow.commit()
        with uow_factory() as uow:
            uow.segments.remove(SegmentNo("SM0003"))
            uow.commit()
        with uow_factory() as uow:
            found = uow.segments.find_all()
            expected = [_full_segment("SM0001"), _full_segment("SM0002")]
            for segment in expected:
                segment.version = 1
            assert found == expected
            with pytest.raises(NotFoundError):
                uow.segments.get(SegmentNo("SM0003"))
            with pytest.raises(NotFoundError):
                uow.segments.remove(SegmentNo("SM0003"))
            with pytest.raises(NotFoundError):
                uow.segments.update(_full_segment("SM0003"))
            uow.segments.add(Segment(no="SM0003", date=date(2026, 3, 2)))
            again = uow.segments.get(SegmentNo("SM0003"))
        assert (again.lines, again.actions, again.history) == ((), (), ())


def _saved_criteria(code: str = "SPRING") -> SavedCriteria:
    """Saved criteria of every action kind, option and criteria of the full segment."""
    return save_criteria(
        _full_segment(),
        code=code,
        description="Spring mailing criteria",
        user_id="DOMAIN\\ADMIN",
    )


class SavedCriteriaRepositoryContract(_FactoryFixture):
    """Saved segment criteria (§4.8) with their actions: stored whole, by code."""

    def test_saved_criteria_read_back_with_their_actions(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field and action (kind, criteria, options, flags) survives, in order."""
        saved, empty = _saved_criteria(), SavedCriteria(code="EMPTY")
        with uow_factory() as uow:
            uow.saved_criteria.add(saved)
            uow.saved_criteria.add(empty)
            uow.commit()
        with uow_factory() as uow:
            stored = uow.saved_criteria.get(Code("SPRING"))
            assert uow.saved_criteria.exists(Code("SPRING"))
            assert not uow.saved_criteria.exists(Code("AUTUMN"))
            assert uow.saved_criteria.get(Code("EMPTY")) == empty
            with pytest.raises(AlreadyExistsError):
                uow.saved_criteria.add(SavedCriteria(code="spring"))
            with pytest.raises(NotFoundError):
                uow.saved_criteria.get(Code("AUTUMN"))
        assert (stored, stored.version) == (saved, 1)
        assert (stored.description, stored.user_id) == (
            "Spring mailing criteria",
            "DOMAIN\\ADMIN",
        )
        assert [a.criteria for a in stored.actions] == [
            a.criteria for a in saved.actions
        ]
        assert [(a.number, a.action) for a in stored.actions] == [
            (1, SegmentAction.ADD),
            (2, SegmentAction.REDUCE),
            (3, SegmentAction.ADD),
            (4, SegmentAction.REDUCE),
            (5, SegmentAction.REFINE),
            (6, SegmentAction.ADD),
            (7, SegmentAction.REFINE),
        ]
        assert stored.actions[0].options == AddOptions(
            expand_companies=True, allow_related_companies=True, ignore_exclusion=True
        )
        assert stored.actions[1].entire_companies
        assert stored.actions[2].manual
        assert stored.actions[5].options == AddOptions(allow_existing_contacts=True)

    def test_updating_saved_criteria_replaces_their_actions_and_checks_the_version(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """update() stores exactly the actions held; a stale copy is refused."""
        with uow_factory() as uow:
            uow.saved_criteria.add(_saved_criteria())
            uow.commit()
        with uow_factory() as uow:
            stale = uow.saved_criteria.get(Code("SPRING"))
        with uow_factory() as uow:
            fresh = uow.saved_criteria.get(Code("SPRING"))
            fresh.description = "Czech contacts"
            fresh.actions = (
                CriteriaAction(
                    number=1,
                    action=SegmentAction.REFINE,
                    criteria=where.country_code == "CZ",
                    entire_companies=True,
                ),
            )
            uow.saved_criteria.update(fresh)
            uow.commit()
        stale.description = "Somebody else"
        with uow_factory() as uow, pytest.raises(ConcurrencyError):
            uow.saved_criteria.update(stale)
        with uow_factory() as uow:
            stored = uow.saved_criteria.get(Code("SPRING"))
            assert (stored, stored.version) == (fresh, 2)
            stored.actions = ()
            uow.saved_criteria.update(stored)
            uow.commit()
        with uow_factory() as uow:
            cleared = uow.saved_criteria.get(Code("SPRING"))
        assert (cleared.description, cleared.actions, cleared.version) == (
            "Czech contacts",
            (),
            3,
        )

    def test_saved_criteria_are_listed_by_code_and_removed_with_their_actions(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find_all() sorts by code; removed criteria are gone, actions and all."""
        with uow_factory() as uow:
            for code in ("GAMMA", "ALPHA", "BETA"):
                uow.saved_criteria.add(_saved_criteria(code))
            uow.commit()
        with uow_factory() as uow:
            uow.saved_criteria.remove(Code("GAMMA"))
            uow.commit()
        with uow_factory() as uow:
            found = uow.saved_criteria.find_all()
            expected = [_saved_criteria("ALPHA"), _saved_criteria("BETA")]
            for saved in expected:
                saved.version = 1
            assert found == expected
            with pytest.raises(NotFoundError):
                uow.saved_criteria.get(Code("GAMMA"))
            with pytest.raises(NotFoundError):
                uow.saved_criteria.remove(Code("GAMMA"))
            with pytest.raises(NotFoundError):
                uow.saved_criteria.update(_saved_criteria("GAMMA"))
            uow.saved_criteria.add(SavedCriteria(code="GAMMA"))
            again = uow.saved_criteria.get(Code("GAMMA"))
        assert (again.description, again.actions, again.version) == ("", (), 1)


def _logged_segment(
    entry_no: int, segment_no: str = "SM0001", **fields: object
) -> LoggedSegment:
    values: dict[str, object] = {"creation_date": date(2026, 3, 2), **fields}
    return LoggedSegment(
        entry_no=entry_no,
        segment_no=segment_no,
        **values,  # type: ignore[arg-type]
    )


class LoggedSegmentRepositoryContract(_FactoryFixture):
    """Logged segments (§4.9): frozen records, numbered, found by segment."""

    def test_a_logged_segment_reads_back_equal(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Every field survives a round trip; a taken number is refused."""
        entry = _logged_segment(
            1,
            description="Spring mailing",
            creation_date=date(2026, 3, 9),
            user_id="ADMIN",
            canceled=True,
        )
        with uow_factory() as uow:
            uow.logged_segments.add(entry)
            uow.commit()
        with uow_factory() as uow:
            assert uow.logged_segments.get(1) == entry
            with pytest.raises(AlreadyExistsError):
                uow.logged_segments.add(_logged_segment(1))
            with pytest.raises(NotFoundError):
                uow.logged_segments.get(2)

    def test_logged_segment_numbers_follow_the_last_one(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Next number = last + 1, its own counter; numbers are not handed out twice."""
        with uow_factory() as uow:
            uow.campaign_entries.add(_campaign_entry(7))
            first = uow.logged_segments.next_entry_no()
            second = uow.logged_segments.next_entry_no()
            uow.logged_segments.add(_logged_segment(second))
            uow.commit()
        with uow_factory() as uow:
            third = uow.logged_segments.next_entry_no()
        assert (first, second, third) == (1, 2, 3)

    def test_logged_segments_are_found_by_segment_and_canceled_by_update(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """find() orders by entry number; update() writes a canceled entry back."""
        with uow_factory() as uow:
            uow.logged_segments.add(_logged_segment(3))
            uow.logged_segments.add(_logged_segment(1))
            uow.logged_segments.add(_logged_segment(2, "SM0002"))
            uow.commit()
        with uow_factory() as uow:
            entries = uow.logged_segments
            entries.update(entries.get(3).cancel())
            uow.commit()
        with uow_factory() as uow:
            entries = uow.logged_segments
            assert [e.entry_no for e in entries.find()] == [1, 2, 3]
            found = entries.find(segment_no=SegmentNo("SM0001"))
            assert [e.entry_no for e in found] == [1, 3]
            assert entries.get(3).canceled
            assert not entries.get(1).canceled
            assert entries.find(segment_no=SegmentNo("SM0009")) == []
            with pytest.raises(NotFoundError):
                entries.update(_logged_segment(9))

    def test_a_removed_logged_segment_is_gone(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes an entry; a missing one raises NotFoundError."""
        with uow_factory() as uow:
            uow.logged_segments.add(_logged_segment(1))
            uow.logged_segments.add(_logged_segment(2, canceled=True))
            uow.commit()
        with uow_factory() as uow:
            uow.logged_segments.remove(2)
            assert [e.entry_no for e in uow.logged_segments.find()] == [1]
        with uow_factory() as uow:
            assert uow.logged_segments.get(2).canceled  # no commit: still there
            uow.logged_segments.remove(2)
            uow.commit()
        with uow_factory() as uow:
            with pytest.raises(NotFoundError):
                uow.logged_segments.get(2)
            with pytest.raises(NotFoundError):
                uow.logged_segments.remove(2)
            assert [e.entry_no for e in uow.logged_segments.find()] == [1]


# --- campaign target groups (§6.3) ------------------------------------------------------


def _target(type_: str, no: str, campaign_no: str = "CP0001") -> CampaignTargetGroup:
    return CampaignTargetGroup(type=type_, no=no, campaign_no=campaign_no)


class CampaignTargetGroupRepositoryContract(_FactoryFixture):
    """Campaign target groups (§6.3): keyed rows, found by campaign and by target."""

    def test_target_groups_read_back_equal_ordered_by_campaign_and_by_target(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Rows survive; a campaign's by type then No.; a target's by campaign."""
        customer = _target("Customer", "C10000")
        contact = _target("Contact", "CT01")
        other = _target("Contact", "CT01", "CP0002")
        with uow_factory() as uow:
            for row in (other, customer, contact):
                uow.campaign_target_groups.add(row)
            assert uow.campaign_target_groups.exists(contact)
            uow.commit()
        with uow_factory() as uow:
            groups = uow.campaign_target_groups
            assert groups.of_campaign(CampaignNo("CP0001")) == [contact, customer]
            assert groups.of_target(TargetType.CONTACT, "CT01") == [contact, other]
            assert groups.of_target(TargetType.CUSTOMER, "CT01") == []
            assert groups.of_campaign(CampaignNo("CP0009")) == []
            assert groups.exists(customer)
            assert not groups.exists(_target("Customer", "C10000", "CP0002"))
            assert groups.exists_for(CampaignNo("CP0002"))
            assert not groups.exists_for(CampaignNo("CP0009"))
            with pytest.raises(AlreadyExistsError):
                groups.add(_target("Customer", "C10000"))

    def test_target_groups_are_removed_one_by_one_or_by_campaign(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """remove() deletes one row, remove_of() a campaign's (Deactivate)."""
        rows = [_target("Contact", f"CT0{n}") for n in (1, 2, 3)]
        kept = _target("Contact", "CT01", "CP0002")
        with uow_factory() as uow:
            for row in (*rows, kept):
                uow.campaign_target_groups.add(row)
            uow.commit()
        with uow_factory() as uow:
            uow.campaign_target_groups.remove(rows[0])
            uow.commit()
        with uow_factory() as uow:
            groups = uow.campaign_target_groups
            assert groups.of_campaign(CampaignNo("CP0001")) == rows[1:]
            with pytest.raises(NotFoundError):
                groups.remove(rows[0])
            assert groups.remove_of(CampaignNo("CP0001")) == 2
            assert groups.remove_of(CampaignNo("CP0009")) == 0
            uow.commit()
        with uow_factory() as uow:
            groups = uow.campaign_target_groups
            assert not groups.exists_for(CampaignNo("CP0001"))
            assert groups.of_target(TargetType.CONTACT, "CT01") == [kept]

    def test_uncommitted_target_groups_are_not_stored(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """A row added without commit is gone after the block."""
        with uow_factory() as uow:
            uow.campaign_target_groups.add(_target("Contact", "CT01"))
        with uow_factory() as uow:
            assert not uow.campaign_target_groups.exists_for(CampaignNo("CP0001"))

    def test_targeted_companies_come_from_segment_lines_and_interactions(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        """Lines with Campaign Target, and entries with it that are not postponed.

        Each gives its Contact Company No. (a person's company); a person without a
        company gives none; canceled entries count; this block's changes count.
        """
        contacts = _segment_contacts()
        now = datetime(2026, 1, 5, tzinfo=UTC)
        other = Contact.create_company(
            no="CT05", name="Other", now=now, setup=RelationshipSetup()
        )
        targeting = Segment(
            no="SM0001",
            date=date(2026, 3, 2),
            campaign_no="CP0001",
            campaign_target=True,
        )
        targeting.add_line(contacts["CT02"])  # a person of CT01
        targeting.add_line(contacts["CT03"])  # a person of no company
        plain = Segment(no="SM0002", date=date(2026, 3, 2), campaign_no="CP0001")
        plain.add_line(other)
        target = {"campaign_no": "CP0001", "campaign_target": True}
        with uow_factory() as uow:
            uow.segments.add(targeting)
            uow.segments.add(plain)
            for entry in (
                _log_entry(1, contact_no="CT07", contact_company_no="CT07", **target),
                _log_entry(2, contact_company_no="CT08", postponed=True, **target),
                _log_entry(3, contact_company_no="CT09", canceled=True, **target),
                _log_entry(4, contact_company_no="CT10", campaign_no="CP0001"),
                _log_entry(
                    5,
                    contact_company_no="CT11",
                    campaign_no="CP0002",
                    campaign_target=True,
                ),
            ):
                uow.interaction_log.add(entry)
            uow.commit()
        with uow_factory() as uow:
            groups = uow.campaign_target_groups
            assert groups.targeted_companies(CampaignNo("CP0001")) == [
                "CT01",
                "CT07",
                "CT09",
            ]
            assert groups.targeted_companies(
                CampaignNo("CP0001"), company_no=ContactNo("CT09")
            ) == ["CT09"]
            for absent in ("CT08", "CT10", "CT11", "CT05"):
                assert (
                    groups.targeted_companies(
                        CampaignNo("CP0001"), company_no=ContactNo(absent)
                    )
                    == []
                )
            assert groups.targeted_companies(CampaignNo("CP0002")) == ["CT11"]
            uow.interaction_log.add(_log_entry(6, contact_company_no="CT06", **target))
            uow.segments.remove(SegmentNo("SM0001"))
            assert groups.targeted_companies(CampaignNo("CP0001")) == [
                "CT06",
                "CT07",
                "CT09",
            ]


class AdapterContract(
    UnitOfWorkContract,
    SetupRepositoryContract,
    NumberSeriesRepositoryContract,
    CodeTableRepositoryContract,
    ProfileQuestionnaireRepositoryContract,
    ContactRepositoryContract,
    ContactProfileAnswerRepositoryContract,
    MergeRepositoryContract,
    SeparateContactPairRepositoryContract,
    DuplicateKeyRepositoryContract,
    SalespersonRepositoryContract,
    TeamRepositoryContract,
    InteractionTemplateRepositoryContract,
    InteractionTemplateSetupRepositoryContract,
    InteractionLogRepositoryContract,
    TaskRepositoryContract,
    ActivityRepositoryContract,
    SalesCycleRepositoryContract,
    OpportunityRepositoryContract,
    OpportunityEntryRepositoryContract,
    CampaignRepositoryContract,
    CampaignEntryRepositoryContract,
    CampaignPricingRepositoryContract,
    CampaignTargetGroupRepositoryContract,
    SegmentRepositoryContract,
    LoggedSegmentRepositoryContract,
    SavedCriteriaRepositoryContract,
):
    """Every contract of this module in one class: subclass it once per adapter."""


# --- attachment stores (§3.7) -------------------------------------------------------


class AttachmentStoreContract:
    """What every :class:`~relationship_mgmt.ports.attachments.AttachmentStore` keeps.

    Not part of :class:`AdapterContract` (a store is not in a unit of work):
    subclass it with an ``attachment_store`` fixture giving a fresh, empty store.
    """

    @pytest.fixture
    def attachment_store(self) -> AttachmentStore:
        """A fresh, empty store (provided by subclasses)."""
        raise NotImplementedError

    def test_an_attachment_reads_back_equal(
        self, attachment_store: AttachmentStore
    ) -> None:
        """Content, file name and media type survive; numbers are last + 1."""
        first = attachment_store.put(
            b"%PDF-1.7\x00\xff", file_name="offer.pdf", media_type="application/pdf"
        )
        second = attachment_store.put(b"", file_name="empty.txt")

        assert (first.no, second.no) == (1, 2)
        assert attachment_store.get(1) == first
        assert attachment_store.get(2).media_type == "application/octet-stream"
        assert attachment_store.exists(2)
        assert not attachment_store.exists(3)

    def test_deleted_attachments_are_gone_and_their_numbers_not_reused(
        self, attachment_store: AttachmentStore
    ) -> None:
        """delete() removes one; a missing one is NotFoundError; numbers go on."""
        attachment_store.put(b"a", file_name="a.txt")
        second = attachment_store.put(b"b", file_name="b.txt")

        attachment_store.delete(second.no)
        third = attachment_store.put(b"c", file_name="c.txt")

        assert third.no == 3
        assert not attachment_store.exists(second.no)
        with pytest.raises(NotFoundError):
            attachment_store.get(second.no)
        with pytest.raises(NotFoundError):
            attachment_store.delete(second.no)

    def test_file_names_must_be_plain(self, attachment_store: AttachmentStore) -> None:
        """A blank or path-like file name is refused and nothing is stored."""
        for name in ("", "  ", "../secret", "dir\\file"):
            with pytest.raises(ValidationError):
                attachment_store.put(b"x", file_name=name)

        assert not attachment_store.exists(1)


# --- outboxes (§4.9) ----------------------------------------------------------------


class OutboxContract:
    """What every :class:`~relationship_mgmt.ports.delivery.Outbox` keeps.

    Not part of :class:`AdapterContract` (an outbox is not in a unit of work):
    subclass it with an ``outbox`` fixture giving a fresh, empty outbox. Logging a
    segment with Send relies on these: a receipt per message, and delivering an
    entry's message again (a retry) replaces it rather than sending a second.
    """

    @pytest.fixture
    def outbox(self) -> Outbox:
        """A fresh, empty outbox (provided by subclasses)."""
        raise NotImplementedError

    @staticmethod
    def _message(entry_no: int, **fields: object) -> OutgoingMessage:
        values: dict[str, object] = {
            "entry_no": entry_no,
            "logged_segment_entry_no": 1,
            "contact_no": f"CT{entry_no:06d}",
            "correspondence_type": "Email",
            "recipients": (f"contact{entry_no}@example.com",),
            "subject": "Spring offer",
            "text": "Our spring offer.\n",
            "date": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            **fields,
        }
        return OutgoingMessage(**values)  # type: ignore[arg-type]

    def test_each_message_gets_its_own_receipt(self, outbox: Outbox) -> None:
        """deliver() returns a non-blank receipt, a different one per entry."""
        first = outbox.deliver(self._message(1))
        second = outbox.deliver(self._message(2))

        assert first.strip()
        assert second.strip()
        assert first != second

    def test_delivering_an_entry_again_replaces_it(self, outbox: Outbox) -> None:
        """A retry of the same entry gives the same receipt (one message, not two)."""
        first = outbox.deliver(self._message(7))
        again = outbox.deliver(self._message(7, subject="Spring offer, corrected"))

        assert again == first
