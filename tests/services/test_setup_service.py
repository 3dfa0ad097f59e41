from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import relationship_mgmt as rm
from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.testing import FrozenClock


@pytest.fixture
def crm() -> rm.Crm:
    clock = FrozenClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    return rm.Crm(uow_factory=in_memory_uow_factory(), clock=clock)


def test_a_new_workspace_has_the_bc_defaults(crm: rm.Crm) -> None:  # §1.1
    setup = crm.setup.get()

    assert setup.version == 0
    assert setup.search_hit_pct == 60
    assert setup.autosearch_for_duplicates
    assert setup.maintain_dupl_search_strings
    assert setup.attachment_storage_type is rm.AttachmentStorageType.EMBEDDED


def test_change_stores_and_returns_the_new_setup(crm: rm.Crm) -> None:
    changed = crm.setup.change(search_hit_pct=80, default_task_date_formula="<1W>")

    assert changed.version == 1
    assert crm.setup.get() == changed
    assert str(crm.setup.get().default_task_date_formula) == "1W"


def test_change_refuses_unknown_number_series(crm: rm.Crm) -> None:  # §0
    with pytest.raises(rm.NotFoundError) as info:
        crm.setup.change(contact_nos="NOPE")

    assert (info.value.kind, info.value.key) == ("number series", "NOPE")
    assert crm.setup.get().contact_nos is None


def test_change_refuses_unknown_codes(crm: rm.Crm) -> None:
    with pytest.raises(rm.NotFoundError) as info:
        crm.setup.change(default_territory_code="north")

    assert info.value.key == "NORTH"


def test_change_accepts_existing_codes_normalised(crm: rm.Crm) -> None:
    crm.setup.add_records(
        [
            rm.Territory(code="NORTH"),
            rm.Salutation(code="COMPANY"),
            rm.BusinessRelation(code="CUST"),
        ]
    )

    setup = crm.setup.change(
        default_territory_code=" north",
        default_company_salutation_code="company",
        bus_rel_code_for_customers="cust",
    )

    assert (setup.default_territory_code, setup.bus_rel_code_for_customers) == (
        "NORTH",
        "CUST",
    )


def test_change_with_a_bad_value_changes_nothing(crm: rm.Crm) -> None:
    with pytest.raises(rm.ValidationError):
        crm.setup.change(search_hit_pct=101, inherit_address_details=False)

    assert crm.setup.get().inherit_address_details is True


def test_default_number_series_are_created_and_assigned(crm: rm.Crm) -> None:
    crm.setup.use_default_number_series()
    crm.setup.use_default_number_series()  # a second call keeps what exists

    setup = crm.setup.get()
    assert (setup.contact_nos, setup.segment_nos, setup.opportunity_nos) == (
        "CONT",
        "SEGM",
        "OPP",
    )
    assert [s.code for s in crm.setup.all_number_series()] == [
        "CAMP",
        "CONT",
        "OPP",
        "SEGM",
        "TASK",
    ]
    assert crm.setup.next_number("TASK") == "TD000001"


def test_next_number_uses_the_work_date(crm: rm.Crm) -> None:
    crm.setup.add_number_series(
        rm.NumberSeries(code="X", starting_no="X01", date_order=True)
    )

    assert crm.setup.next_number("x") == "X01"
    assert crm.setup.number_series("X").last_date_used == date(2026, 11, 27)


def test_an_exhausted_series_refuses_and_keeps_its_last_number(crm: rm.Crm) -> None:
    crm.setup.add_number_series(
        rm.NumberSeries(code="X", starting_no="X1", ending_no="X2")
    )
    crm.setup.next_number("X")
    crm.setup.next_number("X")

    with pytest.raises(rm.NumberSeriesExhaustedError):
        crm.setup.next_number("X")

    assert crm.setup.number_series("X").last_no_used == "X2"


def test_change_number_series_validates_and_bumps_the_version(crm: rm.Crm) -> None:
    crm.setup.add_number_series(rm.NumberSeries(code="X", starting_no="X1"))

    series = crm.setup.change_number_series("X", ending_no="X9", manual_nos=False)

    assert (series.ending_no, series.manual_nos, series.version) == ("X9", False, 2)
    with pytest.raises(rm.ValidationError):
        crm.setup.change_number_series("X", code="Y")
    with pytest.raises(rm.ValidationError):
        crm.setup.change_number_series("X", colour="red")
    with pytest.raises(rm.ValidationError):
        crm.setup.change_number_series("X", starting_no="NODIGITS")


def test_a_series_in_use_cannot_be_removed(crm: rm.Crm) -> None:
    crm.setup.use_default_number_series()

    with pytest.raises(rm.InUseError) as info:
        crm.setup.remove_number_series("CONT")

    assert info.value.used_by == "setup.contact_nos"
    crm.setup.add_number_series(rm.NumberSeries(code="FREE", starting_no="F1"))
    crm.setup.remove_number_series("free")
    with pytest.raises(rm.NotFoundError):
        crm.setup.number_series("FREE")


def test_code_table_records_round_trip_through_the_service(crm: rm.Crm) -> None:
    crm.setup.add_record(rm.IndustryGroup(code="retail", description="Retail"))
    crm.setup.replace_record(
        rm.IndustryGroup(code="RETAIL", description="Retail trade")
    )

    assert crm.setup.record(rm.IndustryGroup, " retail").description == "Retail trade"
    assert crm.setup.records(rm.IndustryGroup) == [
        rm.IndustryGroup(code="RETAIL", description="Retail trade")
    ]
    crm.setup.remove_record(rm.IndustryGroup, "retail")
    assert crm.setup.records(rm.IndustryGroup) == []


def test_a_code_named_in_the_setup_cannot_be_removed(crm: rm.Crm) -> None:
    crm.setup.add_record(rm.Territory(code="NORTH"))
    crm.setup.change(default_territory_code="NORTH")

    with pytest.raises(rm.InUseError) as info:
        crm.setup.remove_record(rm.Territory, "north")

    assert (info.value.key, info.value.used_by) == (
        "NORTH",
        "setup.default_territory_code",
    )


def test_salutation_formulas_are_looked_up_by_their_three_part_key(crm: rm.Crm) -> None:
    crm.setup.add_records(
        [
            rm.Salutation(code="M"),
            rm.SalutationFormula(
                salutation_code="M",
                language_code="ENU",
                salutation="Dear Mr. %1",
                names=(rm.SalutationName.SURNAME,),
            ),
        ]
    )

    formula = crm.setup.record(rm.SalutationFormula, "m", "enu", "Formal")

    assert formula.render({rm.SalutationName.SURNAME: "Smith"}) == "Dear Mr. Smith"
    with pytest.raises(rm.ValidationError):
        crm.setup.record(rm.SalutationFormula, "M")


def test_adding_records_is_all_or_nothing(crm: rm.Crm) -> None:
    crm.setup.add_record(rm.MailingGroup(code="NEWS"))

    with pytest.raises(rm.AlreadyExistsError):
        crm.setup.add_records(
            [rm.MailingGroup(code="XMAS"), rm.MailingGroup(code="NEWS")]
        )

    assert [g.code for g in crm.setup.records(rm.MailingGroup)] == ["NEWS"]


def test_a_manual_number_needs_a_series_that_allows_it() -> None:  # §0
    from relationship_mgmt.services.numbering import assign_number

    factory = in_memory_uow_factory()
    with factory() as uow:
        uow.number_series.add(
            rm.NumberSeries(code="A", starting_no="A1", manual_nos=False)
        )
        uow.number_series.add(rm.NumberSeries(code="B", starting_no="B1"))
        uow.commit()

    day = date(2026, 1, 1)
    with factory() as uow:
        with pytest.raises(rm.ManualNumbersNotAllowedError):
            assign_number(uow, rm.NoSeriesCode("A"), manual_no="a7", on=day, what="x")
        assert (
            assign_number(uow, rm.NoSeriesCode("B"), manual_no="b7", on=day, what="x")
            == "B7"
        )
        assert (
            assign_number(uow, rm.NoSeriesCode("A"), manual_no=None, on=day, what="x")
            == "A1"
        )
        assert assign_number(uow, None, manual_no="free1", on=day, what="x") == "FREE1"
        with pytest.raises(rm.ValidationError) as info:
            assign_number(uow, None, manual_no=" ", on=day, what="contact_nos")
        assert info.value.field == "contact_nos"


def test_open_rejects_an_unknown_scheme() -> None:
    with pytest.raises(rm.ValidationError):
        rm.open("mysql://localhost/crm")


def test_closing_a_workspace_twice_is_harmless() -> None:
    calls: list[int] = []
    crm = rm.Crm(uow_factory=in_memory_uow_factory(), on_close=lambda: calls.append(1))

    with crm:
        pass
    crm.close()

    assert calls == [1]
