from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain._dup_metrics import indel_similarity, jaro_winkler
from relationship_mgmt.domain.duplicates import (
    COMPANY_PROFILE,
    DEFAULT_SEARCH_STRING_SETUP,
    PERSON_PROFILE,
    BlockingKey,
    DuplicateIndex,
    DuplicateMatch,
    DuplicateMethod,
    DuplicateRecord,
    FieldRule,
    FieldWeightedScorer,
    Holder,
    IndexProbe,
    KeyPart,
    MatchProfile,
    Part,
    PurePythonMetrics,
    RecordKind,
    SearchStringSetup,
    blocking_keys,
    clusters,
    compose_search_string,
    find_duplicates,
    hit_threshold,
    index_keys,
    search_strings,
)
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import NotFoundError, ValidationError

CRONUS = DuplicateRecord(
    key="C1",
    name="Cronus Cardoxy Procurement GmbH",
    address="Hauptstrasse 12",
    city="Berlin",
    post_code="10115",
    phone_no="+49 30 1234567",
    mobile_phone_no="+49 151 7654321",
    email="info@cronus.example",
    vat_registration_no="DE123456789",
)
OTHER = DuplicateRecord(
    key="C9",
    name="Fabrikam Industries",
    address="Ringweg 3",
    city="Hamburg",
    post_code="20095",
    phone_no="+49 40 999888",
    email="sales@fabrikam.example",
    vat_registration_no="DE987654321",
)
ADA = DuplicateRecord(
    key="P1",
    kind=RecordKind.PERSON,
    first_name="Ada",
    surname="Lovelace",
    name="Ada Lovelace",
    birth_date="1815-12-10",
    post_code="W1 1AA",
    city="London",
    email="ada@example.org",
)


def copy(record: DuplicateRecord, key: str, **changes: str) -> DuplicateRecord:
    return attrs.evolve(record, key=key, **changes)


# --- records and setup rows -----------------------------------------------------------


def test_record_refuses_blank_key_unknown_kind_and_non_text() -> None:
    with pytest.raises(ValidationError) as blank:
        DuplicateRecord(key="")
    with pytest.raises(ValidationError) as kind:
        DuplicateRecord(key="C1", kind="Robot")
    with pytest.raises(ValidationError) as text:
        DuplicateRecord(key="C1", name=3)  # type: ignore[arg-type]

    assert blank.value.field == "key"
    assert kind.value.field == "kind"
    assert text.value.field == "name"


def test_record_value_refuses_unknown_field() -> None:
    with pytest.raises(ValidationError) as info:
        CRONUS.value("key")

    assert info.value.value == "key"


def test_search_string_setup_validates_field_part_and_length() -> None:
    with pytest.raises(ValidationError):
        SearchStringSetup(field="shoe_size")
    with pytest.raises(ValidationError):
        SearchStringSetup(field="name", part="Middle")
    with pytest.raises(ValidationError):
        SearchStringSetup(field="name", length=1)
    with pytest.raises(ValidationError):
        SearchStringSetup(field="name", length=11)
    with pytest.raises(ValidationError):
        SearchStringSetup(field="name", length=True)


def test_default_setup_is_8_fields_first_and_last_5_characters() -> None:
    """§2.14: CreateDefaultSetup gives 16 rows of length 5."""
    rows = DEFAULT_SEARCH_STRING_SETUP

    assert len(rows) == 16
    assert {r.length for r in rows} == {5}
    assert {(r.field, r.part) for r in rows} == {
        (f, p)
        for f in (
            "name",
            "address",
            "city",
            "phone_no",
            "vat_registration_no",
            "post_code",
            "email",
            "mobile_phone_no",
        )
        for p in Part
    }


# --- bc: §2.14 -------------------------------------------------------------------


def test_compose_strips_bc_characters_including_space_then_upper_cases() -> None:
    """§2.14 step 2: strip ` +"&/,.;:-_(){}#!£$\\`, take N chars, upper-case."""
    assert compose_search_string('a +"&/,.;:-_(){}#!£$\\b', Part.FIRST, 10) == "AB"
    assert compose_search_string("info@cronus.de", Part.FIRST, 5) == "INFO@"
    assert compose_search_string("info@cronus.de", Part.LAST, 5) == "NUSDE"


def test_compose_takes_n_characters_from_start_or_end_or_the_whole_shorter_value() -> (
    None
):
    assert compose_search_string("Berlin", "First", 3) == "BER"
    assert compose_search_string("Berlin", "Last", 3) == "LIN"
    assert compose_search_string("Ulm", "First", 5) == "ULM"
    assert compose_search_string("Ulm", "Last", 5) == "ULM"
    assert compose_search_string(" - ", "First", 5) == ""


def test_compose_upper_cases_one_character_for_one_as_al_does() -> None:
    assert compose_search_string("straße", "Last", 3) == "AßE"


def test_search_strings_skip_empty_values() -> None:
    strings = search_strings(
        DuplicateRecord(key="C1", city="Ulm"), DEFAULT_SEARCH_STRING_SETUP
    )

    assert strings == ((4, "ULM"), (5, "ULM"))


@pytest.mark.parametrize(
    ("rows", "pct", "needed"),
    [(16, 60, 10), (16, 50, 8), (16, 100, 16), (16, 1, 1), (12, 60, 8), (10, 60, 6)],
)
def test_hit_threshold_rounds_up(rows: int, pct: int, needed: int) -> None:
    """§2.14 step 4: ceil(rows x hit % / 100); 16 x 60% = 9.6 → 10."""
    assert hit_threshold(rows, pct) == needed


def bc_pair(matching: int) -> tuple[DuplicateRecord, DuplicateRecord]:
    """Two companies sharing exactly ``matching`` of the 16 default strings."""
    fields = [
        "name",
        "address",
        "city",
        "phone_no",
        "vat_registration_no",
        "post_code",
        "email",
        "mobile_phone_no",
    ]
    left = {f: f"AAAAA{i}ZZZZZ" for i, f in enumerate(fields)}
    right = {f: f"BBBBB{i}YYYYY" for i, f in enumerate(fields)}
    for n in range(matching):
        f = fields[n // 2]
        if n % 2 == 0:
            right[f] = "AAAAA" + right[f][5:]
        else:
            right[f] = right[f][:-5] + "ZZZZZ"
    return DuplicateRecord(key="L", **left), DuplicateRecord(key="R", **right)


@pytest.mark.parametrize(("matching", "found"), [(9, False), (10, True), (16, True)])
def test_bc_finds_a_pair_at_10_of_16_strings_with_the_default_60_pct(
    matching: int, *, found: bool
) -> None:
    left, right = bc_pair(matching)
    index = DuplicateIndex("bc")
    index.add(left)

    matches = index.add(right)

    assert bool(matches) is found
    if found:
        assert matches[0].hits == matching
        assert matches[0].score == matching / 16
        assert (matches[0].left, matches[0].right) == ("R", "L")


def test_bc_reads_the_hit_pct_from_marketing_setup_at_each_check() -> None:
    left, right = bc_pair(8)
    setup = RelationshipSetup()
    index = DuplicateIndex("bc", setup=setup)
    index.add(left)
    assert index.candidates(right) == []

    setup.change(search_hit_pct=50)

    assert [m.hits for m in index.candidates(right)] == [8]


def test_bc_reports_the_fields_that_had_a_matching_string() -> None:
    index = DuplicateIndex("bc")
    index.add(CRONUS)

    (match,) = index.candidates(copy(CRONUS, "C2", phone_no="", email="x@y.example"))

    assert match.method is DuplicateMethod.BC
    assert "phone_no" not in match.agreeing_fields
    assert match.agreeing_fields[:2] == ("name", "address")


def test_bc_indexes_companies_only_and_a_person_loses_its_index() -> None:
    """§2.14: persons are never indexed; changing a contact to Person removes it."""
    index = DuplicateIndex("bc")
    index.add(CRONUS)
    index.add(copy(CRONUS, "C2"))
    person = copy(CRONUS, "C2", kind="Person")

    assert index.candidates(person) == []
    assert index.check(person, previous=copy(CRONUS, "C2")) == []
    assert "C2" not in index
    assert index.duplicates() == []
    assert index.add(person) == []


def test_bc_a_pair_is_stored_once_whichever_side_is_indexed_again() -> None:
    index = DuplicateIndex("bc")
    index.add(CRONUS)
    index.add(copy(CRONUS, "C2"))

    again = index.add(CRONUS)

    assert [(m.left, m.right) for m in again] == [("C1", "C2")]
    assert len(index.duplicates()) == 1


def test_separate_pairs_survive_a_reindex_and_are_not_raised_again() -> None:
    """§2.14 step 1: remove_index keeps Contact Duplicate rows marked separate."""
    index = DuplicateIndex("bc")
    index.add(CRONUS)
    index.add(copy(CRONUS, "C2"))
    index.add(OTHER)

    marked = index.mark_separate("C2", "C1")
    index.reindex()

    assert marked.separate
    assert index.separate_pairs() == frozenset({("C1", "C2")})
    assert index.duplicates() == []
    assert [m.separate for m in index.duplicates(include_separate=True)] == [True]
    assert index.candidates(copy(CRONUS, "C2")) == []
    assert index.duplicate_exists("C1") is False


def test_separate_pairs_survive_a_modify_but_not_a_delete() -> None:
    index = DuplicateIndex("bc")
    index.add(CRONUS)
    index.add(copy(CRONUS, "C2"))
    index.mark_separate("C1", "C2")

    index.check(
        copy(CRONUS, "C2", name="Cronus Cardoxy Procurement AG"),
        previous=copy(CRONUS, "C2"),
    )
    kept = index.separate_pairs()
    index.remove("C2")

    assert kept == frozenset({("C1", "C2")})
    assert index.separate_pairs() == frozenset()


def test_a_pair_can_be_unmarked_and_is_then_a_duplicate_again() -> None:
    index = DuplicateIndex("bc")
    index.add(CRONUS)
    index.add(copy(CRONUS, "C2"))
    index.mark_separate("C1", "C2")

    index.mark_separate("C1", "C2", separate=False)

    assert index.duplicate_exists("C2")


def test_marking_an_unknown_pair_or_removing_an_unknown_key_is_not_found() -> None:
    index = DuplicateIndex("bc")

    with pytest.raises(NotFoundError) as pair:
        index.mark_separate("C1", "C2")
    with pytest.raises(NotFoundError) as key:
        index.remove("C1")

    assert pair.value.key == ("C1", "C2")
    assert key.value.key == "C1"


def test_check_on_insert_indexes_and_returns_pairs_when_autosearch_is_on() -> None:
    """§2.14 CheckDuplicates: rebuild the index, then report when autosearch is on."""
    index = DuplicateIndex("bc")
    index.check(CRONUS)

    found = index.check(copy(CRONUS, "C2"))

    assert [m.pair for m in found] == [("C1", "C2")]
    assert index.duplicate_exists("C1")


def test_check_with_autosearch_off_maintains_strings_but_reports_nothing() -> None:
    setup = RelationshipSetup()
    setup.change(autosearch_for_duplicates=False)
    index = DuplicateIndex("bc", setup=setup)
    index.check(CRONUS)

    found = index.check(copy(CRONUS, "C2"))

    assert found == []
    assert len(index.duplicates()) == 1
    assert index.duplicate_exists("C1") is False


def test_check_with_maintenance_off_does_not_touch_the_index() -> None:
    setup = RelationshipSetup()
    setup.change(maintain_dupl_search_strings=False)
    index = DuplicateIndex("bc", setup=setup)

    assert index.check(CRONUS) == []
    assert len(index) == 0


def test_check_on_modify_runs_only_when_a_checked_field_or_the_kind_changed() -> None:
    """§2.3: modify re-checks on Name, Name 2, Address, Address 2, City, Post Code, VAT, Phone."""
    index = DuplicateIndex("bc")
    index.add(CRONUS)
    index.add(copy(CRONUS, "C2", mobile_phone_no="", email=""))
    before = copy(CRONUS, "C2", mobile_phone_no="", email="")

    unchecked = index.check(copy(before, "C2", email="a@b.example"), previous=before)
    checked = index.check(copy(before, "C2", city="Berlin-Mitte"), previous=before)

    assert unchecked == []
    assert [m.pair for m in checked] == [("C1", "C2")]


def test_bc_setup_rows_must_be_unique_per_field_and_part() -> None:
    row = SearchStringSetup(field="name")

    with pytest.raises(ValidationError):
        DuplicateIndex("bc", search_setup=[row, row])


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        DuplicateIndex("magic")

    assert info.value.field == "method"


def test_find_duplicates_bc_matches_generate_report_and_refuses_duplicate_keys() -> (
    None
):
    found = find_duplicates([copy(CRONUS, "C2"), CRONUS, OTHER], method="bc")

    assert [(m.left, m.right, m.hits) for m in found] == [("C1", "C2", 16)]
    with pytest.raises(ValidationError):
        find_duplicates([CRONUS, CRONUS])


@pytest.mark.parametrize("method", ["bc", "default"])
def test_a_record_without_values_is_indexed_and_matches_nothing(method: str) -> None:
    index = DuplicateIndex(method)
    index.add(CRONUS)

    assert index.add(DuplicateRecord(key="E")) == []
    assert "E" in index
    index.remove("E")
    assert "E" not in index


def test_index_lookup_and_membership() -> None:
    index = DuplicateIndex()
    index.add(CRONUS)

    assert index.get("C1") == CRONUS
    assert "C1" in index
    assert len(index) == 1
    with pytest.raises(NotFoundError):
        index.get("C2")


# --- default: blocking, scoring, clusters -------------------------------------------


def test_blocking_keys_are_per_kind_and_skip_keys_with_an_empty_part() -> None:
    keys = blocking_keys(ADA, PERSON_PROFILE)

    assert "P1:lovelace|18151210" in keys
    assert all(k.startswith("P") for k in keys)
    assert not any(k.startswith("P13:") for k in keys)  # no registration_no
    assert blocking_keys(DuplicateRecord(key="X", kind="Person"), PERSON_PROFILE) == ()


def test_blocking_key_transforms() -> None:
    profile = attrs.evolve(
        COMPANY_PROFILE,
        keys=(
            BlockingKey(
                name="domain", parts=(KeyPart(field="email", transform="email_domain"),)
            ),
            BlockingKey(
                name="tail", parts=(KeyPart(field="name", length=3, part="Last"),)
            ),
            BlockingKey(
                name="digits",
                parts=(KeyPart(field="phone_no", transform="digits", length=4),),
            ),
            BlockingKey(
                name="core", parts=(KeyPart(field="name", transform="company_name"),)
            ),
        ),
    )

    keys = blocking_keys(copy(CRONUS, "C1", name="Ça Va GmbH"), profile)
    no_at = blocking_keys(copy(CRONUS, "C1", email="nobody"), profile)

    assert keys == ("C0:cronus.example", "C1:mbh", "C2:4930", "C3:cava")
    assert not any(k.startswith("C0:") for k in no_at)


def test_profile_shared_needed_is_renormalised_over_the_remaining_keys() -> None:
    assert COMPANY_PROFILE.shared_needed(10) == 3
    assert COMPANY_PROFILE.shared_needed(4) == 1
    assert COMPANY_PROFILE.shared_needed(0) == 1


def test_stop_keys_are_dropped_and_the_threshold_renormalised() -> None:
    """A key with more postings than max_postings neither proposes nor counts."""
    profile = MatchProfile(
        kind="Company",
        fields=(FieldRule(field="name", comparator="company_name", weight=1),),
        keys=(
            BlockingKey(name="city", parts=(KeyPart(field="city"),)),
            BlockingKey(name="name", parts=(KeyPart(field="name"),)),
            BlockingKey(name="pc", parts=(KeyPart(field="post_code"),)),
        ),
        threshold=0.5,
        shared_pct=0.6,
        max_postings=2,
    )
    index = DuplicateIndex(profiles={RecordKind.COMPANY: profile})
    for n in range(3):  # "berlin" becomes a stop key
        index.add(
            DuplicateRecord(
                key=f"B{n}", name=f"Filler {n}", city="Berlin", post_code=f"9{n}"
            )
        )
    index.add(DuplicateRecord(key="T", name="Target", city="Berlin", post_code="10115"))

    probe = DuplicateRecord(key="Q", name="Target", city="Berlin", post_code="99999")
    # Keys left: name, pc (city is a stop key) → ceil(0.6 x 2) = 2 shared needed.
    assert index.candidates(probe) == []
    # Sharing name and post code passes 2 of the 2 remaining keys.
    found = index.candidates(copy(probe, "Q", post_code="10115"))
    assert [(m.right, m.hits) for m in found] == [("T", 2)]


def test_renormalised_share_uses_the_sparser_record() -> None:
    profile = MatchProfile(
        kind="Company",
        fields=(FieldRule(field="name", comparator="company_name", weight=1),),
        keys=(
            BlockingKey(name="name", parts=(KeyPart(field="name"),)),
            BlockingKey(name="city", parts=(KeyPart(field="city"),)),
            BlockingKey(name="pc", parts=(KeyPart(field="post_code"),)),
        ),
        threshold=0.5,
        shared_pct=0.5,
    )
    sparse = DuplicateRecord(key="S", name="Target")
    full = DuplicateRecord(key="F", name="Target", city="Ulm", post_code="89073")
    index = DuplicateIndex(profiles={RecordKind.COMPANY: profile})
    index.add(sparse)

    found = index.candidates(full)
    batch = find_duplicates([sparse, full], profiles={RecordKind.COMPANY: profile})

    assert [m.right for m in found] == ["S"]
    assert [m.pair for m in batch] == [("F", "S")]


def test_default_finds_a_company_with_a_typo_and_a_new_phone() -> None:
    index = DuplicateIndex()
    index.add(CRONUS)
    index.add(OTHER)

    found = index.candidates(
        copy(CRONUS, "C2", name="Cronus Cardoxy Procurment GmbH", phone_no="+49 89 555")
    )

    assert [m.right for m in found] == ["C1"]
    assert found[0].method is DuplicateMethod.DEFAULT
    assert found[0].score >= COMPANY_PROFILE.threshold
    assert "name" in found[0].agreeing_fields
    assert "phone_no" not in found[0].agreeing_fields


def test_default_handles_persons_with_nicknames_and_a_date_typo() -> None:
    index = DuplicateIndex()
    index.add(ADA)

    found = index.candidates(
        copy(ADA, "P2", first_name="Adah", birth_date="1815-12-11")
    )

    assert [m.right for m in found] == ["P1"]
    assert (
        index.candidates(
            copy(
                ADA,
                "P3",
                first_name="Grace",
                surname="Hopper",
                birth_date="1906-12-09",
                email="",
            )
        )
        == []
    )


def test_default_never_pairs_a_company_with_a_person() -> None:
    company = DuplicateRecord(key="C1", name="Ada Lovelace", email="ada@example.org")

    assert find_duplicates([ADA, company]) == []
    assert FieldWeightedScorer().compare(ADA, company) == (0.0, ())


def test_default_threshold_override() -> None:
    near = copy(CRONUS, "C2", phone_no="+49 89 555", address="", email="")

    assert find_duplicates([CRONUS, near], threshold=1.0) == []
    assert len(find_duplicates([CRONUS, near], threshold=0.1)) == 1


def test_find_duplicates_default_fills_stats() -> None:
    stats: dict[str, int] = {}

    find_duplicates([CRONUS, copy(CRONUS, "C2"), OTHER], stats=stats)

    assert stats["records"] == 3
    assert stats["candidate_pairs"] == 1
    assert stats["stop_keys"] == 0
    assert stats["keys"] > 0
    assert stats["probed_pairs"] >= stats["candidate_pairs"]


def test_scorer_comparators() -> None:
    rules = tuple(
        FieldRule(field=f, comparator=c, weight=1)
        for f, c in [
            ("name", "name"),
            ("city", "text"),
            ("country_code", "exact"),
            ("birth_date", "date"),
            ("registration_no", "code"),
            ("phone_no", "phone"),
            ("email", "email"),
            ("post_code", "postcode"),
        ]
    )
    profile = attrs.evolve(PERSON_PROFILE, fields=rules, evidence_floor=0.0)
    scorer = FieldWeightedScorer({RecordKind.PERSON: profile})

    def one(field: str, a: str, b: str) -> float:
        left = DuplicateRecord(key="A", kind="Person", **{field: a})
        right = DuplicateRecord(key="B", kind="Person", **{field: b})
        return scorer.compare(left, right)[0]

    assert one("country_code", "DE", "de") == 1.0
    assert one("country_code", "DE", "AT") == 0.0
    assert one("birth_date", "1815-12-10", "1815-12-11") == 0.7
    assert one("birth_date", "1815-12-10", "1815-11-11") == pytest.approx(0.4 / 1.0)
    assert one("birth_date", "1815-12-10", "1915-11-11") == 0.0
    assert one("birth_date", "1815-12-10", "181512") == 0.0
    assert one("registration_no", "AB-123", "AB-124") == 0.7
    assert one("registration_no", "AB-123", "AB-999") == 0.0
    assert one("phone_no", "+49 30 1234567", "030 1234567") == 1.0
    assert one("email", "Ada@Example.org", "ada@example.org") == 1.0
    assert one("email", "ada.lovelace@example.org", "ada.lovelase@example.org") > 0.9
    assert one("email", "ada@example.org", "bob@example.org") == 0.0
    assert one("post_code", "TQ13 8DF", "TQ13 8DG") == 0.7
    assert one("post_code", "TQ13 8DF", "TQ1 2AB") == 0.4
    assert one("post_code", "TQ13 8DF", "W1 1AA") == 0.0
    assert one("city", "West Devon", "Devon") == 1.0
    assert one("name", "Thomas", "Tom") > 0.8


def test_company_name_comparison_ignores_legal_forms() -> None:
    scorer = FieldWeightedScorer()
    plain = DuplicateRecord(key="A", name="Cronus Cardoxy")
    legal = DuplicateRecord(key="B", name="Cronus Cardoxy GmbH & Co. KG")
    only_form = DuplicateRecord(key="C", name="GmbH")

    assert scorer.compare(plain, legal)[1] == ("name",)
    assert scorer.compare(only_form, only_form)[1] == ("name",)


def test_scorer_refuses_a_kind_without_profile() -> None:
    scorer = FieldWeightedScorer({RecordKind.COMPANY: COMPANY_PROFILE})

    with pytest.raises(ValidationError):
        scorer.prepare(ADA)


def test_scorer_of_records_without_common_fields_is_zero() -> None:
    assert FieldWeightedScorer().compare(
        DuplicateRecord(key="A", name="X"), DuplicateRecord(key="B", city="Y")
    ) == (0.0, ())


def test_profile_and_rule_validation() -> None:
    with pytest.raises(ValidationError):
        FieldRule(field="name", comparator="name", weight=0)
    with pytest.raises(ValidationError):
        FieldRule(field="name", comparator="name", penalty=-1)
    with pytest.raises(ValidationError):
        attrs.evolve(PERSON_PROFILE, threshold=1.5)
    with pytest.raises(ValidationError):
        attrs.evolve(PERSON_PROFILE, min_shared=0)
    with pytest.raises(ValidationError):
        attrs.evolve(PERSON_PROFILE, evidence_floor=-1)
    with pytest.raises(ValidationError):
        BlockingKey(name="empty", parts=())
    with pytest.raises(ValidationError):
        KeyPart(field="name", length=-1)
    assert FieldRule(field="name", comparator="name", weight=2).disagreement == 2
    assert (
        FieldRule(field="name", comparator="name", weight=2, penalty=0.5).disagreement
        == 0.5
    )


def test_default_check_on_modify_watches_the_profile_fields() -> None:
    index = DuplicateIndex()
    index.check(ADA)
    before = copy(ADA, "P2", email="", surname="Byron", birth_date="1788-01-22")
    unrelated = index.check(before)

    found = index.check(
        copy(before, "P2", surname="Lovelace", birth_date="1815-12-10"), previous=before
    )
    same = index.check(before, previous=before)

    assert unrelated == []
    assert [m.pair for m in found] == [("P1", "P2")]
    assert same == []


def test_clusters_join_transitively_and_ignore_separate_pairs() -> None:
    matches = [
        DuplicateMatch(left="b", right="a", method="default", score=1.0),
        DuplicateMatch(left="c", right="b", method="default", score=1.0),
        DuplicateMatch(left="e", right="d", method="bc", score=1.0, separate=True),
    ]

    assert clusters(matches) == [("a", "b", "c")]
    assert clusters(matches, keys=["d", "e"]) == [("a", "b", "c"), ("d",), ("e",)]


def test_match_refuses_unknown_method() -> None:
    with pytest.raises(ValidationError):
        DuplicateMatch(left="a", right="b", method="x", score=1.0)


def test_pure_python_metrics() -> None:
    metrics = PurePythonMetrics()

    assert metrics.jaro_winkler("", "abc") == 0.0
    assert metrics.jaro_winkler("abc", "xyz") == 0.0
    assert metrics.jaro_winkler("dd ", "dbc") == pytest.approx(5 / 9)
    assert metrics.ratio("", "") == 1.0
    assert metrics.ratio("abc", "abc") == 1.0
    assert metrics.ratio("abc", "abd") == pytest.approx(2 / 3)


# --- properties --------------------------------------------------------------------

_words = st.text(alphabet="abcdeéß -.@0123", max_size=12)


@st.composite
def records(draw: st.DrawFn, key: str | None = None) -> DuplicateRecord:
    kind = draw(st.sampled_from(list(RecordKind)))
    fields = {
        name: draw(_words)
        for name in (
            "name",
            "first_name",
            "surname",
            "address",
            "city",
            "post_code",
            "phone_no",
            "email",
            "birth_date",
            "vat_registration_no",
            "registration_no",
            "job_title",
        )
    }
    return DuplicateRecord(
        key=key or draw(st.text("KLMN", min_size=1, max_size=3)), kind=kind, **fields
    )


@given(records(key="A"), records(key="B"))
def test_scorer_is_symmetric_and_in_unit_interval(
    a: DuplicateRecord, b: DuplicateRecord
) -> None:
    for scorer in (
        FieldWeightedScorer(),
        FieldWeightedScorer(metrics=PurePythonMetrics()),
    ):
        forward, agree_forward = scorer.compare(a, b)
        backward, agree_backward = scorer.compare(b, a)

        assert forward == backward
        assert agree_forward == agree_backward
        assert 0.0 <= forward <= 1.0


_full = st.text(alphabet="abcdefgh", min_size=1, max_size=8)


@given(st.sampled_from(list(RecordKind)), st.tuples(_full, _full, _full, _full, _full))
def test_identical_records_with_enough_evidence_score_one(
    kind: RecordKind, values: tuple[str, str, str, str, str]
) -> None:
    name, surname, city, email, code = values
    record = DuplicateRecord(
        key="A",
        kind=kind,
        name=name,
        first_name=name,
        surname=surname,
        city=city,
        email=email,
        registration_no=code,
        vat_registration_no=code,
        birth_date=code,
    )

    score, agreeing = FieldWeightedScorer().compare(record, copy(record, "B"))

    assert score == 1.0
    assert "email" in agreeing


@given(
    st.lists(
        st.tuples(
            st.text("abcdef", min_size=1, max_size=2),
            st.text("abcdef", min_size=1, max_size=2),
        ),
        max_size=12,
    ),
    st.lists(st.text("abcdefxyz", min_size=1, max_size=2), max_size=6),
)
def test_clusters_partition_the_keys(
    pairs: list[tuple[str, str]], extra: list[str]
) -> None:
    matches = [
        DuplicateMatch(left=a, right=b, method="default", score=1.0) for a, b in pairs
    ]
    keys = {k for p in pairs for k in p} | set(extra)

    groups = clusters(matches, keys=extra)

    members = [k for g in groups for k in g]
    assert sorted(members) == sorted(keys)
    assert len(members) == len(set(members))
    for a, b in pairs:
        assert any(a in g and b in g for g in groups)


_companyish = st.builds(
    DuplicateRecord,
    key=st.sampled_from(["K1", "K2", "K3", "K4", "NEW"]),
    kind=st.sampled_from(list(RecordKind)),
    name=st.sampled_from(["Cronus", "Cronus GmbH", "Cronas", "Fabrikam", ""]),
    first_name=st.sampled_from(["Ada", "Adah", ""]),
    surname=st.sampled_from(["Lovelace", "Lovelase", ""]),
    city=st.sampled_from(["Berlin", "Ulm", ""]),
    post_code=st.sampled_from(["10115", "10117", ""]),
    email=st.sampled_from(["info@cronus.example", "info@fabrikam.example", ""]),
    phone_no=st.sampled_from(["+49 30 1234567", "+49 30 1234568", ""]),
    vat_registration_no=st.sampled_from(["DE1", "DE2", ""]),
    birth_date=st.sampled_from(["1815-12-10", "1815-12-11", ""]),
)


@given(
    st.sampled_from(["bc", "default"]),
    st.lists(_companyish, max_size=6, unique_by=lambda r: r.key),
    _companyish,
    _companyish,
)
def test_adding_then_removing_a_record_leaves_the_answers_unchanged(
    method: str,
    existing: list[DuplicateRecord],
    new: DuplicateRecord,
    query: DuplicateRecord,
) -> None:
    index = DuplicateIndex(method, threshold=0.3 if method == "default" else None)
    for record in existing:
        if record.key != "NEW":
            index.add(record)
    new = copy(new, "NEW")
    query = copy(query, "Q")
    before = (index.candidates(query), index.duplicates(), len(index))

    index.add(new)
    index.remove("NEW") if "NEW" in index else None
    after = (index.candidates(query), index.duplicates(), len(index))

    assert after == before


@given(st.lists(_companyish, max_size=6, unique_by=lambda r: r.key))
def test_batch_default_equals_indexing_one_by_one_without_stop_keys(
    batch: list[DuplicateRecord],
) -> None:
    index = DuplicateIndex()
    for record in batch:
        index.add(record)

    assert {m.pair for m in find_duplicates(batch)} == {
        m.pair for m in index.duplicates()
    }


@given(_words, _words)
def test_pure_metrics_are_symmetric_in_unit_interval(a: str, b: str) -> None:
    for metric in (jaro_winkler, indel_similarity):
        assert metric(a, b) == pytest.approx(metric(b, a))
        assert 0.0 <= metric(a, b) <= 1.0


_PREFIX_PROFILE = MatchProfile(
    kind="Company",
    fields=(FieldRule(field="name", comparator="company_name", weight=1),),
    keys=tuple(
        BlockingKey(name=f, parts=(KeyPart(field=f),))
        for f in ("name", "city", "post_code", "email", "phone_no")
    ),
    threshold=0.0,
    min_shared=1,
    shared_pct=0.5,
    max_postings=3,
)


@given(
    st.lists(_companyish, max_size=10, unique_by=lambda r: r.key),
    st.integers(min_value=1, max_value=3),
)
def test_batch_prefix_filter_finds_every_pair_the_full_count_would(
    batch: list[DuplicateRecord], min_shared: int
) -> None:
    """Probing the rarest keys only loses no pair sharing enough live keys."""
    batch = [copy(r, r.key, kind="Company") for r in batch]
    profile = attrs.evolve(_PREFIX_PROFILE, min_shared=min_shared)
    keys = {r.key: blocking_keys(r, profile) for r in batch}
    postings: dict[str, int] = {}
    for record_keys in keys.values():
        for k in record_keys:
            postings[k] = postings.get(k, 0) + 1
    live = {
        r: {k for k in record_keys if postings[k] <= profile.max_postings}
        for r, record_keys in keys.items()
    }
    expected = {
        (a, b): len(live[a] & live[b])
        for a in live
        for b in live
        if a < b
        and len(live[a] & live[b])
        >= profile.shared_needed(min(len(live[a]), len(live[b])))
    }

    found = find_duplicates(batch, profiles={RecordKind.COMPANY: profile})

    assert {m.pair: m.hits for m in found} == expected


def test_shipped_company_profile_stops_a_key_held_by_more_than_50_records() -> None:
    generic = [
        DuplicateRecord(key=f"G{n:02d}", name="Generic GmbH", city=f"Town {n}")
        for n in range(51)
    ]
    stats: dict[str, int] = {}

    assert COMPANY_PROFILE.max_postings == 50
    assert find_duplicates(generic, stats=stats) == []
    assert stats["stop_keys"] == 1
    assert stats["probed_pairs"] == 0


# --- the stored index (IndexProbe) ----------------------------------------------------


def stored_holders(
    stored: list[DuplicateRecord], probe: IndexProbe
) -> dict[str, list[Holder]]:
    """What a storage adapter answers: the holders of each probed key, limited."""
    keys_of = {r.key: index_keys(r, probe.method) for r in stored}
    holders = {
        k: [
            (other, len(keys))
            for other, keys in sorted(keys_of.items())
            if k in keys and other != probe.record.key
        ]
        for k in probe.keys
    }
    return {
        k: found if probe.limit is None else found[: probe.limit]
        for k, found in holders.items()
    }


def probe_matches(
    stored: list[DuplicateRecord], record: DuplicateRecord, method: str
) -> list[DuplicateMatch]:
    probe = IndexProbe(record, method)
    wanted = probe.candidates(stored_holders(stored, probe))
    by_key = {r.key: r for r in stored}
    return probe.matches({k: by_key[k] for k in wanted})


def test_index_keys_bc_are_search_strings_of_companies_default_blocking_keys() -> None:
    assert index_keys(CRONUS, "bc")[:2] == ("name:First:CRONU", "name:Last:TGMBH")
    assert len(index_keys(CRONUS, "bc")) == len(DEFAULT_SEARCH_STRING_SETUP)
    assert index_keys(ADA, "bc") == ()  # §2.14: persons are not indexed
    assert index_keys(ADA) == blocking_keys(ADA, PERSON_PROFILE)
    assert index_keys(ADA, profiles={}) == ()
    with pytest.raises(ValidationError):
        index_keys(CRONUS, "fuzzy")


@pytest.mark.parametrize("method", ["bc", "default"])
def test_probe_finds_the_stored_duplicate_with_its_fields(method: str) -> None:
    probe_record = copy(CRONUS, "C2", name="Cronus Cardoxy Procurment GmbH")

    found = probe_matches([CRONUS, OTHER], probe_record, method)

    assert [(m.left, m.right) for m in found] == [("C2", "C1")]
    assert "address" in found[0].agreeing_fields
    assert found[0].method is DuplicateMethod(method)


def test_probe_drops_stop_keys_whose_holders_reach_the_limit() -> None:
    probe = IndexProbe(copy(CRONUS, "C2"))
    assert probe.limit == COMPANY_PROFILE.max_postings + 1
    email_key = next(k for k in probe.keys if k.startswith("C7:"))
    crowd = [(f"X{n}", 1) for n in range(probe.limit)]

    # Only the e-mail key is shared, and it is a stop-key: nobody is a candidate.
    assert probe.candidates({email_key: crowd}) == []
    assert probe.candidates({email_key: crowd[:1]}) == ["X0"]


@pytest.mark.parametrize("method", ["bc", "default"])
def test_probe_leaves_out_candidates_deleted_before_they_were_loaded(
    method: str,
) -> None:
    probe = IndexProbe(copy(CRONUS, "C2"), method)
    assert probe.candidates(stored_holders([CRONUS], probe)) == ["C1"]
    assert probe.matches({}) == []
    assert (probe.limit is None) is (method == "bc")


def test_probe_refuses_a_kind_without_profile() -> None:
    with pytest.raises(ValidationError):
        IndexProbe(ADA, profiles={RecordKind.COMPANY: COMPANY_PROFILE})


@given(
    st.lists(records(), max_size=8, unique_by=lambda r: r.key),
    records(key="Z"),
    st.sampled_from(["bc", "default"]),
)
def test_probe_over_stored_keys_answers_as_the_in_memory_index(
    stored: list[DuplicateRecord], record: DuplicateRecord, method: str
) -> None:
    index = DuplicateIndex(method)
    for other in stored:
        if index.indexes(other):
            index._records[other.key] = other
            index._engine.index(other)
    indexed = [r for r in stored if r.key in index]

    assert probe_matches(indexed, record, method) == index.candidates(record)
