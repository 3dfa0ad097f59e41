"""Salespeople/purchasers, teams and their rules (spec §8, §2.15, §2.16, §7.5)."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from relationship_mgmt.domain.codes import SalespersonCode
from relationship_mgmt.domain.salespeople import (
    Salesperson,
    SalespersonRefusal,
    Team,
    check_salesperson_deletion,
    check_team_deletion,
    default_salesperson,
)
from relationship_mgmt.errors import (
    CodeTooLongError,
    InUseError,
    NotFoundError,
    SalespersonBlockedError,
    ValidationError,
)
from relationship_mgmt.serialization import dumps, loads

PERSONAL_EMAIL = "secret.person@example.com"
PERSONAL_PHONE = "+44 1632 960000"


def salesperson(**fields: Any) -> Salesperson:
    fields.setdefault("code", "JO")
    return Salesperson(**fields)


# --- Salesperson fields (§8 table 13) ------------------------------------------------


def test_s8_code_is_a_trimmed_upper_case_code20() -> None:
    sp = salesperson(code="  jo-smith ")

    assert sp.code == "JO-SMITH"
    assert salesperson(code="x" * 20).code == "X" * 20


def test_s8_code_is_not_blank() -> None:
    with pytest.raises(ValidationError) as info:
        salesperson(code="   ")

    assert (info.value.field, info.value.reason) == ("code", "must not be blank")


def test_s8_code_longer_than_20_is_refused() -> None:
    with pytest.raises(CodeTooLongError) as info:
        salesperson(code="x" * 21)

    assert info.value.max_length == 20


def test_s8_code_must_be_text() -> None:
    with pytest.raises(ValidationError) as info:
        salesperson(code=7)

    assert (info.value.field, info.value.value) == ("code", 7)


def test_s8_defaults_are_blank_and_unblocked() -> None:
    sp = salesperson()

    assert (sp.name, sp.job_title, sp.email, sp.email_2, sp.phone_no) == ("",) * 5
    assert sp.commission_pct == Decimal(0)
    assert (sp.privacy_blocked, sp.blocked) == (False, False)
    assert sp.global_dimension_1_code is None
    assert sp.global_dimension_2_code is None
    assert sp.version == 0


@pytest.mark.parametrize(("name", "length"), [("name", 50), ("job_title", 30)])
def test_s8_texts_keep_case_up_to_their_length(name: str, length: int) -> None:
    sp = salesperson(**{name: "Ab" + "c" * (length - 2)})

    assert getattr(sp, name) == "Ab" + "c" * (length - 2)
    with pytest.raises(ValidationError) as info:
        salesperson(**{name: "c" * (length + 1)})
    assert info.value.field == name
    assert info.value.value == "c" * (length + 1)
    with pytest.raises(ValidationError):
        salesperson(**{name: None})


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        (Decimal("2.5"), Decimal("2.5")),
        (0, Decimal(0)),
        (100, Decimal(100)),
        ("12.345", Decimal("12.345")),
        (" 7 ", Decimal(7)),
    ],
)
def test_s8_commission_pct_is_a_decimal_from_0_to_100(
    given_value: object, expected: Decimal
) -> None:
    assert salesperson(commission_pct=given_value).commission_pct == expected


@pytest.mark.parametrize(
    "bad",
    ["-0.01", "100.01", Decimal(-1), 101, 2.5, True, None, "abc", "NaN", "Infinity"],
)
def test_s8_commission_pct_refuses_what_is_not_a_decimal_from_0_to_100(
    bad: object,
) -> None:
    with pytest.raises(ValidationError) as info:
        salesperson(commission_pct=bad)

    assert info.value.field == "commission_pct"


def test_s216_emails_are_syntax_checked_and_normalised() -> None:
    sp = salesperson(
        email=" Ann@Cronus.EXAMPLE.com ", email_2="a@b.example; c@D.example"
    )

    assert sp.email == "Ann@cronus.example.com"
    assert sp.email_2 == "a@b.example;c@d.example"
    assert salesperson(email="   ").email == ""


@pytest.mark.parametrize("name", ["email", "email_2"])
@pytest.mark.parametrize("bad", ["not an address", PERSONAL_EMAIL + ";x@", 42])
def test_s216_bad_emails_are_refused_without_echoing_them(
    name: str, bad: object
) -> None:
    with pytest.raises(ValidationError) as info:
        salesperson(**{name: bad})

    assert info.value.field == name
    assert info.value.value is None
    assert PERSONAL_EMAIL not in str(info.value)


def test_s8_email_is_at_most_80_characters() -> None:
    long_address = "a" * 64 + "@" + "b" * 20 + ".example"

    with pytest.raises(ValidationError) as info:
        salesperson(email=long_address)

    assert info.value.reason == "is longer than 80 characters"
    assert info.value.value is None


def test_s8_search_email_is_the_upper_cased_email_and_follows_it() -> None:
    sp = salesperson(email="jo@example.com")

    sp.change(email="jo.smith@example.com")

    assert sp.search_email == "JO.SMITH@EXAMPLE.COM"


def test_s216_phone_number_must_not_contain_letters() -> None:
    assert salesperson(phone_no=PERSONAL_PHONE).phone_no == PERSONAL_PHONE
    with pytest.raises(ValidationError) as info:
        salesperson(phone_no="call 0800")

    assert (info.value.field, info.value.reason) == (
        "phone_no",
        "must not contain letters",
    )
    assert info.value.value is None


@pytest.mark.parametrize("bad", ["1" * 31, 12345])
def test_s8_phone_number_is_text30_and_errors_do_not_echo_it(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        salesperson(phone_no=bad)

    assert info.value.value is None


@pytest.mark.parametrize("name", ["privacy_blocked", "blocked"])
def test_s8_flags_are_booleans(name: str) -> None:
    assert getattr(salesperson(**{name: True}), name) is True
    with pytest.raises(ValidationError) as info:
        salesperson(**{name: 1})

    assert info.value.field == name


@pytest.mark.parametrize("name", ["global_dimension_1_code", "global_dimension_2_code"])
def test_s8_global_dimension_codes_are_optional_code20s(name: str) -> None:
    assert getattr(salesperson(**{name: " dept "}), name) == "DEPT"
    assert getattr(salesperson(**{name: "  "}), name) is None
    with pytest.raises(CodeTooLongError):
        salesperson(**{name: "d" * 21})
    with pytest.raises(ValidationError) as info:
        salesperson(**{name: 3})
    assert info.value.field == name


# --- personal data --------------------------------------------------------------------


def test_personal_fields_are_classified_and_kept_out_of_repr() -> None:
    sp = salesperson(
        email=PERSONAL_EMAIL, email_2=PERSONAL_EMAIL, phone_no=PERSONAL_PHONE
    )

    text = repr(sp)

    assert PERSONAL_EMAIL not in text
    assert PERSONAL_PHONE not in text
    personal = {
        a.name
        for a in attrs.fields(Salesperson)
        if a.metadata.get("classification") == "personal"
    }
    assert personal == {"email", "email_2", "phone_no"}
    for a in attrs.fields(Salesperson):
        assert a.repr is (a.name not in personal) or a.name == "_pending"


def test_every_field_is_classified() -> None:
    for cls in (Salesperson, Team):
        for a in attrs.fields(cls):
            if a.name not in {"version", "_pending"}:
                assert a.metadata["classification"] in {"personal", "normal"}


# --- meetings (§7.5) -------------------------------------------------------------------


def test_s75_only_a_salesperson_with_an_email_can_organize_meetings() -> None:
    assert not salesperson().can_organize_meetings
    assert salesperson(email="jo@example.com").can_organize_meetings


# --- assignability (§8, §2.15) --------------------------------------------------------


def test_s8_an_unblocked_salesperson_is_assignable() -> None:
    salesperson().ensure_assignable("contact")


def test_s8_a_blocked_salesperson_cannot_be_chosen() -> None:
    sp = salesperson(blocked=True)

    with pytest.raises(SalespersonBlockedError) as info:
        sp.ensure_assignable("task")

    assert (info.value.code, info.value.purpose, info.value.reason) == (
        "JO",
        "task",
        "blocked",
    )


def test_s215_a_privacy_blocked_salesperson_cannot_be_assigned() -> None:
    sp = salesperson(privacy_blocked=True)

    with pytest.raises(SalespersonBlockedError) as info:
        sp.ensure_assignable("campaign")

    assert info.value.reason == SalespersonRefusal.PRIVACY_BLOCKED
    assert info.value.reason == "privacy blocked"


def test_s8_privacy_blocked_takes_precedence_over_blocked() -> None:
    sp = salesperson(privacy_blocked=True, blocked=True)

    with pytest.raises(SalespersonBlockedError) as info:
        sp.ensure_assignable("opportunity")

    assert info.value.reason == "privacy blocked"


def test_s8_blocked_error_pickles_with_its_attributes() -> None:
    with pytest.raises(SalespersonBlockedError) as info:
        salesperson(blocked=True).ensure_assignable("segment")

    copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own bytes

    assert (copy.code, copy.purpose, copy.reason) == ("JO", "segment", "blocked")


# --- change (§8) -----------------------------------------------------------------------


def test_s8_change_sets_several_fields_with_their_rules() -> None:
    sp = salesperson()

    sp.change(name="Jo Smith", commission_pct="3", email="Jo@Example.COM", blocked=True)

    assert (sp.name, sp.commission_pct, sp.email, sp.blocked) == (
        "Jo Smith",
        Decimal(3),
        "Jo@example.com",
        True,
    )


def test_s8_change_is_all_or_nothing() -> None:
    sp = salesperson(name="Jo")
    before = attrs.evolve(sp)

    with pytest.raises(ValidationError) as info:
        sp.change(name="Jo Smith", commission_pct=101)

    assert info.value.field == "commission_pct"
    assert sp == before


@pytest.mark.parametrize("name", ["code", "version", "search_email", "image"])
def test_s8_change_refuses_the_key_and_unknown_fields(name: str) -> None:
    sp = salesperson()

    with pytest.raises(ValidationError) as info:
        sp.change(**{name: PERSONAL_EMAIL})

    assert info.value.field == name
    assert info.value.value is None
    assert sp == salesperson()


def test_s8_field_names_are_every_field_but_the_key() -> None:
    assert Salesperson.field_names() == {
        "name",
        "job_title",
        "commission_pct",
        "email",
        "email_2",
        "phone_no",
        "privacy_blocked",
        "blocked",
        "global_dimension_1_code",
        "global_dimension_2_code",
    }


def test_s8_plain_assignment_runs_the_same_rules() -> None:
    sp = salesperson()

    with pytest.raises(ValidationError):
        sp.phone_no = "abc"

    assert sp.phone_no == ""


def test_salesperson_round_trips_through_the_wire_format() -> None:
    sp = salesperson(
        name="Jo",
        commission_pct="2.50",
        email=PERSONAL_EMAIL,
        phone_no=PERSONAL_PHONE,
        privacy_blocked=True,
        global_dimension_2_code="sales",
        version=3,
    )

    assert loads(dumps(sp), Salesperson) == sp


# --- teams (§8 tables 5083, 5084) -------------------------------------------------------


def test_s8_team_code_is_a_code10_not_blank() -> None:
    assert Team(code=" north ").code == "NORTH"
    with pytest.raises(CodeTooLongError):
        Team(code="n" * 11)
    with pytest.raises(ValidationError) as info:
        Team(code="")
    assert info.value.reason == "must not be blank"
    with pytest.raises(ValidationError):
        Team(code=None)


def test_s8_team_name_is_text50_and_can_be_renamed() -> None:
    team = Team(code="N", name="North")

    team.rename("North & East")

    assert team.name == "North & East"
    with pytest.raises(ValidationError) as info:
        team.rename("n" * 51)
    assert info.value.field == "name"
    assert team.name == "North & East"


def test_s8_team_members_are_normalised_and_sorted() -> None:
    team = Team(code="N", members=[" jo", "ap ", "ZED"])

    assert team.members == ("AP", "JO", "ZED")


@pytest.mark.parametrize(
    ("members", "field"),
    [
        (["jo", "JO "], "members"),
        ("JO", "members"),
        (5, "members"),
        ([""], "salesperson_code"),
        ([1], "salesperson_code"),
    ],
)
def test_s8_team_members_refuse_duplicates_and_non_codes(
    members: object, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Team(code="N", members=members)

    assert info.value.field == field


def test_s8_add_member_adds_a_team_salesperson_row() -> None:
    team = Team(code="N", members=["JO"])

    team.add_member(" ap")

    assert team.members == ("AP", "JO")


def test_s8_adding_a_member_twice_is_refused() -> None:
    team = Team(code="N", members=["JO"])

    with pytest.raises(ValidationError) as info:
        team.add_member("jo")

    assert (info.value.field, info.value.value) == ("salesperson_code", "JO")
    assert team.members == ("JO",)


def test_s8_add_member_refuses_a_blank_or_too_long_code() -> None:
    team = Team(code="N")

    with pytest.raises(ValidationError):
        team.add_member(" ")
    with pytest.raises(CodeTooLongError):
        team.add_member("x" * 21)
    assert team.members == ()


def test_s8_remove_member_deletes_the_row() -> None:
    team = Team(code="N", members=["AP", "JO"])

    team.remove_member("jo")

    assert team.members == ("AP",)


def test_s8_removing_a_non_member_is_not_found() -> None:
    team = Team(code="N", members=["AP"])

    with pytest.raises(NotFoundError) as info:
        team.remove_member("jo")

    assert (info.value.kind, info.value.key) == ("team member", ("N", "JO"))
    assert team.members == ("AP",)


def test_team_round_trips_through_the_wire_format() -> None:
    team = Team(code="N", name="North", members=["JO", "AP"], version=2)

    assert loads(dumps(team), Team) == team


# --- deletion (§8) -------------------------------------------------------------------------


def test_s8_a_salesperson_without_open_work_can_be_deleted() -> None:
    check_salesperson_deletion("JO", open_tasks=0, open_opportunities=0)


def test_s8_a_salesperson_with_open_tasks_cannot_be_deleted() -> None:
    with pytest.raises(InUseError) as info:
        check_salesperson_deletion("JO", open_tasks=1, open_opportunities=0)

    assert (info.value.kind, info.value.key, info.value.used_by) == (
        "salesperson",
        "JO",
        "open tasks",
    )


def test_s8_a_salesperson_with_open_opportunities_cannot_be_deleted() -> None:
    with pytest.raises(InUseError) as info:
        check_salesperson_deletion("JO", open_tasks=0, open_opportunities=3)

    assert info.value.used_by == SalespersonRefusal.OPEN_OPPORTUNITIES


def test_s8_open_tasks_are_reported_before_open_opportunities() -> None:
    with pytest.raises(InUseError) as info:
        check_salesperson_deletion("JO", open_tasks=2, open_opportunities=3)

    assert info.value.used_by == "open tasks"


@pytest.mark.parametrize("bad", [-1, True, 1.0, None])
def test_s8_deletion_counts_must_be_non_negative_integers(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        check_salesperson_deletion("JO", open_tasks=0, open_opportunities=bad)  # type: ignore[arg-type]
    assert info.value.field == "open_opportunities"
    with pytest.raises(ValidationError) as info:
        check_team_deletion("N", open_team_tasks=bad)  # type: ignore[arg-type]
    assert info.value.field == "open_team_tasks"


def test_s8_a_team_without_open_team_tasks_can_be_deleted() -> None:
    check_team_deletion("N", open_team_tasks=0)


def test_s8_a_team_with_open_team_tasks_cannot_be_deleted() -> None:
    with pytest.raises(InUseError) as info:
        check_team_deletion("N", open_team_tasks=1)

    assert (info.value.kind, info.value.key, info.value.used_by) == (
        "team",
        "N",
        "open team tasks",
    )


# --- default salesperson (§2.4, §8, §3.4) -------------------------------------------------


def test_s8_user_setup_overrides_the_marketing_setup_default_for_new_contacts() -> None:
    assert default_salesperson(user_setup="jo", setup_default="AP") == "JO"
    assert default_salesperson(user_setup="  ", setup_default="ap") == "AP"


def test_s8_an_explicit_salesperson_wins() -> None:
    assert default_salesperson(explicit="ap", user_setup="JO", contact="ZED") == "AP"


def test_s34_interactions_fall_back_to_the_contacts_salesperson() -> None:
    assert default_salesperson(explicit=None, contact="zed") == "ZED"


def test_s8_no_candidate_means_no_salesperson() -> None:
    assert default_salesperson() is None
    assert default_salesperson(explicit="", user_setup=" ", contact="") is None


def test_s8_default_salesperson_refuses_bad_codes() -> None:
    with pytest.raises(CodeTooLongError):
        default_salesperson(user_setup="x" * 21)
    with pytest.raises(ValidationError) as info:
        default_salesperson(contact=5)  # type: ignore[arg-type]
    assert info.value.field == "contact"


# --- properties ------------------------------------------------------------------------------

code_text = st.text(alphabet="abcXYZ019- ", max_size=20)
emails = st.sampled_from(["", "jo@example.com", "A.B@Example.ORG", "x@y.example"])
changes = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(max_size=60),
        "job_title": st.text(max_size=40),
        "commission_pct": st.decimals(
            min_value=-10, max_value=110, allow_nan=False, places=2
        ),
        "email": st.one_of(emails, st.just("not-an-email")),
        "phone_no": st.text(alphabet="0123456789 +-ab", max_size=35),
        "blocked": st.booleans(),
        "privacy_blocked": st.one_of(st.booleans(), st.just("yes")),
        "global_dimension_1_code": st.text(alphabet="ab1 ", max_size=25),
    },
)


@given(changes)
def test_change_is_all_or_nothing(requested: dict[str, Any]) -> None:
    sp = salesperson(name="Jo", email="jo@example.com", phone_no="123")
    before = attrs.evolve(sp)

    try:
        sp.change(**requested)
    except ValidationError:
        assert sp == before
    else:
        assert sp == attrs.evolve(before, **requested)


@given(code_text)
def test_codes_normalise_idempotently(text: str) -> None:
    assume(text.strip())

    once = Salesperson(code=text).code
    team_once = Team(code=once[:10]).code

    assert Salesperson(code=once).code == once
    assert Team(code=team_once).code == team_once
    assert default_salesperson(explicit=text) == once
    assert default_salesperson(explicit=once) == once


@given(st.lists(code_text.filter(str.strip), unique_by=lambda c: c.strip().upper()))
def test_team_members_do_not_depend_on_order(codes: list[str]) -> None:
    forwards = Team(code="N")
    for code in codes:
        forwards.add_member(code)

    backwards = Team(code="N", members=list(reversed(codes)))

    assert forwards == backwards
    assert list(forwards.members) == sorted(forwards.members)


@given(
    st.lists(st.sampled_from(["AP", "JO", "ZED"]), unique=True),
    st.sampled_from(["AP", "JO", "ZED"]),
)
def test_adding_then_removing_a_member_restores_the_team(
    members: list[str], code: str
) -> None:
    assume(code not in members)
    team = Team(code="N", members=members)
    before = attrs.evolve(team)

    team.add_member(code)
    team.remove_member(code)

    assert team == before


candidate = st.one_of(st.none(), st.sampled_from(["", "  ", "ap", "JO", " zed "]))


@given(candidate, candidate, candidate, candidate)
def test_default_salesperson_is_the_first_non_blank_candidate(
    explicit: str | None,
    user_setup: str | None,
    contact: str | None,
    setup_default: str | None,
) -> None:
    expected = next(
        (
            SalespersonCode(c.strip().upper())
            for c in (explicit, user_setup, contact, setup_default)
            if c is not None and c.strip()
        ),
        None,
    )

    assert (
        default_salesperson(
            explicit=explicit,
            user_setup=user_setup,
            contact=contact,
            setup_default=setup_default,
        )
        == expected
    )


def test_a_deep_copy_shares_the_immutable_fields_but_not_the_events() -> None:
    """Storage copies on every read: the copy is equal and independent."""
    import copy

    jo = Salesperson(code="JO", name="Jo Smith", email="jo@cronus.example")
    jo._record("event")

    clone = copy.deepcopy(jo)
    clone.change(name="Jo Bloggs")

    assert (jo.name, clone.name) == ("Jo Smith", "Jo Bloggs")
    assert clone.pull_events() == ["event"]
    assert jo.pull_events() == ["event"]
    team = Team(code="NORTH", members=("JO",))
    assert copy.deepcopy(team) == team
