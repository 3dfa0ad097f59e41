"""crm.duplicates: find, check, separate pairs, merge, aliases and unmerge (spec §2.14)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import attrs
import pytest

import relationship_mgmt as rm
from relationship_mgmt.adapters.memory import in_memory_uow_factory
from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.duplicates import DuplicateMethod, index_keys
from relationship_mgmt.domain.merging import MergeRefusal, duplicate_record
from relationship_mgmt.domain.profiles import ContactProfileAnswer, ProfileQuestionnaire
from relationship_mgmt.errors import MergeRefusedError
from relationship_mgmt.testing import FrozenClock

_CLOCK = FrozenClock(datetime(2026, 11, 27, 9, tzinfo=UTC))


@pytest.fixture(params=["memory", "sqlite"])
def crm(request: pytest.FixtureRequest) -> Iterator[rm.Crm]:
    if request.param == "memory":
        crm = rm.Crm(uow_factory=in_memory_uow_factory(), clock=_CLOCK)
    else:
        crm = rm.open("sqlite://", clock=_CLOCK)
    crm.setup.use_default_number_series()
    crm.setup.add_records([rm.MailingGroup(code="NEWS"), rm.MailingGroup(code="XMAS")])
    yield crm
    crm.close()


def _twins(crm: rm.Crm) -> tuple[Contact, Contact]:
    common: dict[str, str] = {
        "address": "1 Main St",
        "city": "Leeds",
        "post_code": "LS1 4AP",
        "phone_no": "0113 496 0000",
        "vat_registration_no": "GB123456789",
    }
    a = crm.contacts.create_company(name="Cronus Ltd", **common)
    b = crm.contacts.create_company(
        name="Cronus Ltd.", email="info@cronus.example", **common
    )
    return a, b


def test_find_returns_stored_duplicates_with_both_methods(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    crm.contacts.create_company(name="Fabrikam", city="Bristol")

    assert [m.pair for m in crm.duplicates.find()] == [(a.no, b.no)]
    assert [m.pair for m in crm.duplicates.find(method="bc")] == [(a.no, b.no)]
    assert crm.duplicates.find(kind="Person") == []
    assert crm.duplicates.clusters() == [(a.no, b.no)]


def test_pairs_marked_separate_are_left_out(crm: rm.Crm) -> None:  # §2.14 Separate
    a, b = _twins(crm)

    crm.duplicates.mark_separate(b.no, a.no)

    assert crm.duplicates.find() == []
    assert crm.duplicates.separate_pairs() == [(a.no, b.no)]
    with pytest.raises(rm.AlreadyExistsError):
        crm.duplicates.mark_separate(a.no, b.no)
    with pytest.raises(rm.ValidationError):
        crm.duplicates.mark_separate(a.no, a.no)
    with pytest.raises(rm.NotFoundError):
        crm.duplicates.mark_separate(a.no, "NOPE")
    crm.duplicates.unmark_separate(a.no, b.no)
    assert len(crm.duplicates.find()) == 1


def test_check_runs_only_with_autosearch_on(
    crm: rm.Crm,
) -> None:  # §2.14 CheckDuplicates
    a, b = _twins(crm)
    crm.setup.change(autosearch_for_duplicates=False)

    assert crm.duplicates.check(b.no) == []
    crm.setup.change(autosearch_for_duplicates=True)
    found = crm.duplicates.check(b.no)

    assert [(m.left, m.right) for m in found] == [(b.no, a.no)]
    assert found[0].hits >= 10  # ceil(16 x 60 %) strings must match
    crm.duplicates.mark_separate(a.no, b.no)
    assert crm.duplicates.check(b.no) == []


def test_check_under_bc_ignores_persons(crm: rm.Crm) -> None:  # §2.14: companies only
    crm.setup.change(autosearch_for_duplicates=True)
    crm.contacts.create_person(name="Ann Lee", email="ann@x.example")
    p = crm.contacts.create_person(name="Ann Lee", email="ann@x.example")

    assert crm.duplicates.check(p.no) == []
    assert len(crm.duplicates.check(p.no, method="default")) == 1


def test_merge_applies_the_plan_and_the_number_resolves(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    crm.contacts.change(b.no, mailing_groups={"XMAS"})
    crm.contacts.change(a.no, mailing_groups={"NEWS"})
    person = crm.contacts.create_person(name="Ann Lee", company_no=b.no)

    plan = crm.duplicates.plan_merge(a.no, b.no)
    survivor = crm.duplicates.merge(plan)

    assert survivor.email == "info@cronus.example"
    assert survivor.mailing_groups == {"NEWS", "XMAS"}
    assert crm.contacts.get(b.no) == survivor
    with pytest.raises(rm.NotFoundError):
        crm.contacts.get(b.no, follow_alias=False)
    assert crm.duplicates.resolve(b.no) == a.no
    assert crm.contacts.get(person.no).company_no == a.no
    assert [p.no for p in crm.contacts.persons_of(a.no)] == [person.no]


def test_unmerge_restores_both_contacts_and_the_persons(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    person = crm.contacts.create_person(name="Ann Lee", company_no=b.no)
    a, b = crm.contacts.get(a.no), crm.contacts.get(b.no)
    crm.duplicates.merge(crm.duplicates.plan_merge(a.no, b.no))

    restored = crm.duplicates.unmerge(b.no)

    assert restored == crm.contacts.get(b.no, follow_alias=False)
    assert _without_version(restored) == _without_version(b)
    assert _without_version(crm.contacts.get(a.no)) == _without_version(a)
    assert crm.contacts.get(person.no).company_no == b.no
    assert crm.duplicates.resolve(b.no) is None
    with pytest.raises(rm.NotFoundError):
        crm.duplicates.unmerge(b.no)


def _without_version(contact: Contact) -> Contact:
    return attrs.evolve(contact, version=0)


def test_merge_refuses_a_plan_made_before_a_change(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    plan = crm.duplicates.plan_merge(a.no, b.no)
    crm.contacts.change(b.no, city="York")

    with pytest.raises(rm.ConcurrencyError):
        crm.duplicates.merge(plan)
    assert crm.contacts.get(b.no, follow_alias=False).city == "York"


def test_unmerge_refuses_when_the_survivor_changed_since(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    crm.duplicates.merge(crm.duplicates.plan_merge(a.no, b.no))
    crm.contacts.change(a.no, city="York")

    with pytest.raises(rm.ConcurrencyError):
        crm.duplicates.unmerge(b.no)
    assert crm.duplicates.resolve(b.no) == a.no


def test_aliases_follow_chains_of_merges(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    c = crm.contacts.create_company(name="Cronus Group")
    crm.duplicates.merge(crm.duplicates.plan_merge(a.no, b.no))
    crm.duplicates.merge(crm.duplicates.plan_merge(c.no, a.no))

    assert crm.contacts.get(b.no).no == c.no
    crm.duplicates.unmerge(a.no)
    assert crm.contacts.get(b.no).no == a.no


def test_merges_are_refused_by_type_and_privacy(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    p = crm.contacts.create_person(name="Ann Lee")

    with pytest.raises(MergeRefusedError) as caught:
        crm.duplicates.plan_merge(a.no, p.no)
    assert caught.value.reason is MergeRefusal.DIFFERENT_TYPES
    crm.contacts.block_privacy(b.no)
    with pytest.raises(MergeRefusedError) as caught:
        crm.duplicates.plan_merge(a.no, b.no)
    assert caught.value.reason is MergeRefusal.PRIVACY_BLOCKED


def test_profile_answers_move_where_the_survivor_has_none(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    with crm.uow_factory() as uow:
        questionnaire = ProfileQuestionnaire(code="SIZE", description="Size")
        size = questionnaire.add_question("How big?").line_no
        small = questionnaire.add_answer(size, "Small").line_no
        large = questionnaire.add_answer(size, "Large").line_no
        sector = questionnaire.add_question("Sector?").line_no
        retail = questionnaire.add_answer(sector, "Retail").line_no
        uow.profile_questionnaires.add(questionnaire)
        for no, line in ((a.no, small), (b.no, large), (b.no, retail)):
            uow.contact_profile_answers.add(
                ContactProfileAnswer(
                    contact_no=no,
                    questionnaire_code="SIZE",
                    line_no=line,
                    last_date_updated=date(2026, 1, 5),
                )
            )
        uow.commit()

    plan = crm.duplicates.plan_merge(a.no, b.no)
    crm.duplicates.merge(plan)

    with crm.uow_factory() as uow:
        kept = [x.line_no for x in uow.contact_profile_answers.find_by_contact(a.no)]
    assert [r.key for r in plan.repoint] == [f"SIZE/{retail}"]
    assert kept == [small, retail]

    crm.duplicates.unmerge(b.no)
    with crm.uow_factory() as uow:
        assert [
            x.line_no for x in uow.contact_profile_answers.find_by_contact(a.no)
        ] == [small]
        assert [
            x.line_no for x in uow.contact_profile_answers.find_by_contact(b.no)
        ] == [large, retail]


# --- the stored index (§2.14, table 5086) ---------------------------------------------


def _stored_keys(crm: rm.Crm) -> dict[tuple[str, str], list[str]]:
    with crm.uow_factory() as uow:
        return {
            (method.value, c.no): uow.duplicate_keys.keys_of(method, ContactNo(c.no))
            for c in uow.contacts.find_all()
            for method in DuplicateMethod
        }


def _expected_keys(crm: rm.Crm) -> dict[tuple[str, str], list[str]]:
    return {
        (method.value, c.no): sorted(set(index_keys(duplicate_record(c), method)))
        for c in crm.contacts.list()
        for method in DuplicateMethod
    }


def test_every_contact_write_keeps_the_stored_index_in_step(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    person = crm.contacts.create_person(name="Ann Lee", company_no=a.no)
    crm.contacts.change(a.no, address="2 High St")  # propagates to the person
    crm.contacts.change(person.no, email="ann@cronus.example")
    assert _stored_keys(crm) == _expected_keys(crm)

    crm.duplicates.merge(crm.duplicates.plan_merge(a.no, b.no))
    assert _stored_keys(crm) == _expected_keys(crm)
    crm.duplicates.unmerge(b.no)
    assert _stored_keys(crm) == _expected_keys(crm)

    crm.contacts.delete(person.no)
    with crm.uow_factory() as uow:
        assert (
            uow.duplicate_keys.keys_of(DuplicateMethod.DEFAULT, ContactNo(person.no))
            == []
        )
    assert _stored_keys(crm) == _expected_keys(crm)


def test_check_reads_the_stored_index_and_follows_changes(crm: rm.Crm) -> None:
    a, b = _twins(crm)

    for method in ("bc", "default"):
        found = crm.duplicates.check(b.no, method=method)
        assert [(m.left, m.right) for m in found] == [(b.no, a.no)]
        assert "address" in found[0].agreeing_fields

    crm.contacts.change(
        b.no, name="Fabrikam", address="9 Dock Rd", city="Hull", phone_no="", email=""
    )
    crm.contacts.change(b.no, post_code="HU1 1AA", vat_registration_no="")
    assert crm.duplicates.check(b.no, method="default") == []
    assert crm.duplicates.check(a.no, method="bc") == []


def test_without_maintenance_bc_strings_are_not_kept_and_reindex_rebuilds(
    crm: rm.Crm,
) -> None:  # §1.1, §2.14: Maintain Dupl. Search Strings
    crm.setup.change(maintain_dupl_search_strings=False)
    a, b = _twins(crm)
    with crm.uow_factory() as uow:
        assert uow.duplicate_keys.count(DuplicateMethod.BC) == 0
        assert uow.duplicate_keys.count(DuplicateMethod.DEFAULT) == 2
        uow.duplicate_keys.clear(DuplicateMethod.DEFAULT)  # an index gone stale
        uow.commit()

    crm.setup.change(maintain_dupl_search_strings=True)
    assert crm.duplicates.check(b.no) == []  # nothing indexed yet
    assert crm.duplicates.reindex() == 2
    assert [m.right for m in crm.duplicates.check(b.no)] == [a.no]
    assert [m.right for m in crm.duplicates.check(b.no, method="default")] == [a.no]
    assert _stored_keys(crm) == _expected_keys(crm)


def test_check_leaves_out_separate_pairs_from_the_stored_index(crm: rm.Crm) -> None:
    a, b = _twins(crm)
    crm.duplicates.mark_separate(a.no, b.no)

    assert crm.duplicates.check(b.no, method="default") == []
    assert crm.duplicates.check(a.no) == []
