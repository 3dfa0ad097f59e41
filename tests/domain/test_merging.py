"""The merge plan, apply and undo (spec §2.14 "Merging"; peers-and-beyond.md item 9)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.duplicates import RecordKind, find_duplicates
from relationship_mgmt.domain.merging import (
    FieldOutcome,
    MergeRecord,
    MergeRefusal,
    apply_merge,
    duplicate_record,
    move_person,
    plan_merge,
    undo_merge,
)
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import (
    ConcurrencyError,
    MergeRefusedError,
    ValidationError,
)

_NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
_LATER = datetime(2026, 3, 2, 9, tzinfo=UTC)
_SETUP = RelationshipSetup()


def _company(no: str, name: str, **fields: object) -> Contact:
    return Contact.create_company(no=no, name=name, now=_NOW, setup=_SETUP, **fields)


def _person(
    no: str, name: str, company: Contact | None = None, **fields: object
) -> Contact:
    return Contact.create_person(
        no=no, name=name, now=_NOW, setup=_SETUP, company=company, **fields
    )


def _decision(plan_decisions: object, name: str) -> FieldOutcome:
    for d in plan_decisions:  # type: ignore[attr-defined]
        if d.field == name:
            outcome: FieldOutcome = d.outcome
            return outcome
    raise AssertionError(name)


# --- duplicate_record ------------------------------------------------------------


def test_duplicate_record_maps_a_company_and_finds_its_twin() -> None:  # §2.14
    a = _company(
        "CT1",
        "Cronus Ltd",
        address="1 Main St",
        city="Leeds",
        post_code="LS1 4AP",
        phone_no="0113 496 0000",
        vat_registration_no="GB123",
    )
    b = _company(
        "CT2",
        "Cronus Ltd.",
        address="1 Main St",
        city="Leeds",
        post_code="LS1 4AP",
        phone_no="0113 496 0000",
        vat_registration_no="GB123",
    )
    record = duplicate_record(a)

    assert (record.key, record.kind, record.vat_registration_no) == (
        "CT1",
        RecordKind.COMPANY,
        "GB123",
    )
    assert [m.pair for m in find_duplicates([record, duplicate_record(b)])] == [
        ("CT1", "CT2")
    ]


def test_duplicate_record_of_a_person_carries_name_parts() -> None:
    p = _person("CT3", "Ann Lee", job_title="Buyer")
    record = duplicate_record(p)

    assert (record.kind, record.first_name, record.surname, record.job_title) == (
        RecordKind.PERSON,
        "Ann",
        "Lee",
        "Buyer",
    )


# --- plan rules ------------------------------------------------------------------


def test_survivor_keeps_non_blank_values_and_takes_blank_ones() -> None:
    a = _company("CT1", "Cronus", city="Leeds")
    b = _company("CT2", "Cronus", city="York", phone_no="0113 496 0000")

    plan = plan_merge(a, b)

    assert _decision(plan.decisions, "city") is FieldOutcome.SURVIVOR_VALUE_KEPT
    assert _decision(plan.decisions, "phone_no") is FieldOutcome.MERGED_VALUE_TAKEN
    assert plan.taken == ("phone_no",)
    assert [(c.field, c.survivor_value, c.merged_value) for c in plan.conflicts] == [
        ("city", "Leeds", "York")
    ]
    assert (plan.survivor_version, plan.merged_version) == (0, 0)


def test_multi_valued_attributes_are_united() -> None:
    a = _company(
        "CT1", "Cronus", mailing_groups={"NEWS"}, web_sources={"WEB": "cronus"}
    )
    b = _company(
        "CT2",
        "Cronus",
        mailing_groups={"XMAS"},
        industry_groups={"RETAIL"},
        web_sources={"WEB": "other", "LINK": "cr"},
    )
    plan = plan_merge(a, b)

    merged = apply_merge(plan, a, b, now=_LATER)

    assert _decision(plan.decisions, "mailing_groups") is FieldOutcome.UNITED
    assert merged.mailing_groups == {"NEWS", "XMAS"}
    assert merged.industry_groups == {"RETAIL"}
    assert merged.web_sources == {"WEB": "cronus", "LINK": "cr"}
    assert [c.field for c in plan.conflicts] == ["web_sources[WEB]"]


def test_persons_of_the_merged_company_are_repointed() -> None:
    a = _company("CT1", "Cronus")
    b = _company("CT2", "Cronus Two", city="Leeds")
    p = _person("CT3", "Ann Lee", b)

    plan = plan_merge(a, b, persons_of_merged=[p])
    moved = move_person(p, a, now=_LATER)

    assert plan.persons == ("CT3",)
    assert (moved.company_no, moved.company_name, moved.city) == (
        "CT1",
        "Cronus",
        "Leeds",
    )
    assert p.company_no == "CT2"  # pure


def test_a_person_survivor_takes_a_company_link_it_lacks() -> None:
    company = _company("CT1", "Cronus")
    a = _person("CT2", "Ann Lee")
    b = _person("CT3", "Ann Lee", company)

    merged = apply_merge(plan_merge(a, b), a, b, now=_LATER)

    assert (merged.company_no, merged.company_name) == ("CT1", "Cronus")


@pytest.mark.parametrize(
    ("survivor", "merged", "reason"),
    [
        (_company("CT1", "A"), _company("CT1", "A"), MergeRefusal.SAME_CONTACT),
        (_company("CT1", "A"), _person("CT2", "A B"), MergeRefusal.DIFFERENT_TYPES),
        (
            _company("CT1", "A"),
            attrs.evolve(_company("CT2", "A"), privacy_blocked=True),
            MergeRefusal.PRIVACY_BLOCKED,
        ),
    ],
)
def test_refused_merges(
    survivor: Contact, merged: Contact, reason: MergeRefusal
) -> None:
    with pytest.raises(MergeRefusedError) as caught:
        plan_merge(survivor, merged)

    assert caught.value.reason is reason


def test_apply_refuses_a_plan_for_other_contacts_or_versions() -> None:
    a, b, c = _company("CT1", "A"), _company("CT2", "B"), _company("CT3", "C")
    plan = plan_merge(a, b)

    with pytest.raises(ValidationError):
        apply_merge(plan, a, c, now=_LATER)
    with pytest.raises(ConcurrencyError):
        apply_merge(plan, attrs.evolve(a, version=3), b, now=_LATER)


def test_apply_is_pure_and_stamps_last_modified() -> None:
    a = _company("CT1", "A")
    b = _company("CT2", "B", city="Leeds")
    before = copy.deepcopy(a)

    merged = apply_merge(plan_merge(a, b), a, b, now=_LATER)

    assert a == before
    assert (merged.city, merged.last_modified, merged.no) == ("Leeds", _LATER, "CT1")


# --- property: merge then unmerge restores both exactly ---------------------------

_maybe_city = st.sampled_from(["", "Leeds", "York"])
_maybe_phone = st.sampled_from(["", "0113 496 0000", "01904 555"])
_maybe_email = st.sampled_from(["", "a@cronus.example", "b@cronus.example"])
_groups = st.frozensets(st.sampled_from(["NEWS", "XMAS", "VIP"]))


@st.composite
def _companies(draw: st.DrawFn, no: str) -> Contact:
    return _company(
        no,
        draw(st.sampled_from(["Cronus", "Cronus Ltd", "Fabrikam"])),
        city=draw(_maybe_city),
        phone_no=draw(_maybe_phone),
        email=draw(_maybe_email),
        mailing_groups=draw(_groups),
        industry_groups=draw(st.frozensets(st.sampled_from(["RETAIL", "WHOLE"]))),
        exclude_from_segment=draw(st.booleans()),
    )


@given(
    survivor=_companies("CT1"),
    merged=_companies("CT2"),
    n_persons=st.integers(min_value=0, max_value=2),
)
def test_merge_then_unmerge_restores_both_contacts_exactly(
    survivor: Contact, merged: Contact, n_persons: int
) -> None:
    persons = [_person(f"CT9{i}", f"Person {i}", merged) for i in range(n_persons)]
    plan = plan_merge(survivor, merged, persons_of_merged=persons)
    result = apply_merge(plan, survivor, merged, now=_LATER)
    moved = [move_person(p, result, now=_LATER) for p in persons]
    record = MergeRecord(
        plan=plan,
        survivor_before=survivor,
        merged_before=merged,
        persons_moved=persons,
        occurred_at=_LATER,
    )

    undone = undo_merge(record, result, moved)

    assert undone.survivor == survivor
    assert undone.merged == merged
    assert list(undone.persons) == persons
    # every value of the merged contact that the survivor lacked was taken
    for name in plan.taken:
        assert getattr(result, name) == getattr(merged, name)


def test_conflicts_show_collections_as_text() -> None:  # §2.14 merge plan
    from relationship_mgmt.domain import merging

    assert merging._show(frozenset({"B", "A"})) == "A, B"
    assert merging._show({"WEB": "cronus"}) == "WEB=cronus"
    assert merging._show(("X", "Y")) == "X, Y"
    assert merging._show("plain") == "plain"


def test_a_survivor_without_alternative_addresses_takes_the_merged_ones() -> None:
    from relationship_mgmt.domain.contacts import Address, AlternativeAddress

    survivor = _company("CT1", "Cronus")
    merged = _company("CT2", "Cronus Ltd")
    merged.add_alternative_address(
        AlternativeAddress(
            code="WH", address=Address(address="1 Dock St", city="Hull")
        ),
        now=_NOW,
    )

    plan = plan_merge(survivor, merged)
    result = apply_merge(plan, survivor, merged, now=_LATER)

    assert [a.code for a in result.alternative_addresses] == ["WH"]
    assert result.alternative_address_periods == merged.alternative_address_periods


def test_undo_refuses_other_contacts_than_the_records() -> None:
    survivor = _company("CT1", "Cronus")
    merged = _company("CT2", "Cronus Ltd")
    person = _person("CT3", "Jane Smith", merged)
    plan = plan_merge(survivor, merged, persons_of_merged=[person])
    result = apply_merge(plan, survivor, merged, now=_LATER)
    record = MergeRecord(
        plan=plan,
        survivor_before=survivor,
        merged_before=merged,
        persons_moved=[person],
        occurred_at=_LATER,
    )

    with pytest.raises(ValidationError) as wrong_survivor:
        undo_merge(record, _company("CT9", "Other"), [])
    with pytest.raises(ValidationError) as missing_person:
        undo_merge(record, result, [])

    assert wrong_survivor.value.field == "survivor"
    assert missing_person.value.field == "persons"
