"""Segments: lines, Add Contacts / Reduce / Refine with history, Go Back (§4.1-§4.7)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.criteria import where
from relationship_mgmt.domain.interactions import InteractionTemplate
from relationship_mgmt.domain.segments import (
    AddOptions,
    CriteriaAction,
    HistoryAction,
    Segment,
    SegmentAction,
    SegmentLine,
)
from relationship_mgmt.domain.setup import CorrespondenceType, RelationshipSetup
from relationship_mgmt.errors import NotFoundError, ValidationError

NOW = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
DAY = dt.date(2026, 1, 5)
SETUP = RelationshipSetup()
ANY = where.name != "~"


def company(no: str, name: str, **fields: Any) -> Contact:
    return Contact.create_company(no=no, name=name, now=NOW, setup=SETUP, **fields)


def person(no: str, name: str, firm: Contact | None = None, **fields: Any) -> Contact:
    contact = Contact.create_person(no=no, name=name, now=NOW, setup=SETUP, **fields)
    if firm is not None:
        object.__setattr__(contact, "company_no", firm.no)
        object.__setattr__(contact, "company_name", firm.name)
    return contact


CRONUS = company("CT1", "Cronus")
ANN = person("CT2", "Ann", CRONUS)
BO = person("CT3", "Bo", CRONUS)
FABRIKAM = company("CT4", "Fabrikam")
EVE = person("CT5", "Eve")
EVERYONE = [CRONUS, ANN, BO, FABRIKAM, EVE]
BY_NO: dict[str, Contact] = {c.no: c for c in EVERYONE}


def _company_of(no: str) -> Contact | None:
    return BY_NO.get(no)


def members(company_no: str) -> list[Contact]:
    return [c for c in EVERYONE if c.company_no == company_no]


def segment(**fields: Any) -> Segment:
    return Segment(no="SM1", date=DAY, **fields)


def nos(lines: list[SegmentLine] | tuple[SegmentLine, ...]) -> list[str]:
    return [line.contact_no for line in lines]


# --- Add Contacts (§4.5) -----------------------------------------------------------------


def test_add_contacts_sorts_numbers_and_records_the_action() -> None:
    """§4.5 steps 5-6: sorted by (Company Name, Company No., Type, Name), +10000."""
    seg = segment()
    added = seg.add_contacts([EVE, BO, FABRIKAM, ANN, CRONUS], criteria=ANY)
    assert nos(added) == ["CT5", "CT1", "CT2", "CT3", "CT4"]  # Eve has no company
    assert [line.line_no for line in seg.lines] == [10000, 20000, 30000, 40000, 50000]
    (action,) = seg.actions
    assert (action.number, action.action, action.criteria) == (
        1,
        SegmentAction.ADD,
        ANY,
    )
    assert [(h.action_no, h.line.contact_no, h.action_taken) for h in seg.history][
        :1
    ] == [(1, "CT5", HistoryAction.INSERTION)]
    assert seg.no_of_criteria_actions == 1


def test_existing_and_excluded_contacts_follow_the_options() -> None:
    """§4.5 options: Allow Existing Contacts, Ignore Exclusion (both off by default)."""
    hermit = person("CT9", "Hermit")
    object.__setattr__(hermit, "exclude_from_segment", True)
    seg = segment()
    seg.add_contacts([ANN], criteria=ANY)
    assert nos(seg.add_contacts([ANN, hermit], criteria=ANY)) == []
    again = seg.add_contacts(
        [ANN, hermit],
        criteria=ANY,
        options=AddOptions(allow_existing_contacts=True, ignore_exclusion=True),
    )
    assert nos(again) == ["CT9", "CT2"]
    assert nos(seg.lines) == ["CT2", "CT9", "CT2"]


def test_expand_companies_and_related_companies() -> None:
    """§4.5: Expand Companies adds all contacts of the company; Allow Related
    Companies adds a person's company."""
    expanded = segment()
    expanded.add_contacts(
        [ANN],
        criteria=ANY,
        options=AddOptions(expand_companies=True),
        company_members=members,
    )
    assert sorted(expanded.contact_nos) == ["CT1", "CT2", "CT3"]
    related = segment()
    related.add_contacts(
        [ANN, EVE],
        criteria=ANY,
        options=AddOptions(allow_related_companies=True),
        company_of=_company_of,
    )
    assert sorted(related.contact_nos) == ["CT1", "CT2", "CT5"]
    orphan = segment()
    orphan.add_contacts(
        [ANN], criteria=ANY, options=AddOptions(allow_related_companies=True)
    )
    assert sorted(orphan.contact_nos) == ["CT2"]


def test_lines_take_the_headers_defaults_and_the_contacts() -> None:
    """§4.3 InitLine: header defaults, contact company, salesperson fallback."""
    seg = segment(description="Mailing", campaign_no="CP1", unit_cost_lcy="1.50")
    with_sp = person("CT7", "Sam", salesperson_code="JO", correspondence_type="Email")
    line = seg.init_line(10000, with_sp)
    assert (line.description, line.campaign_no, line.cost_lcy, line.date) == (
        "Mailing", "CP1", Decimal("1.50"), DAY)  # fmt: skip
    assert (line.salesperson_code, line.correspondence_type) == (
        "JO",
        CorrespondenceType.EMAIL,
    )
    seg.change(salesperson_code="ANN")
    assert seg.init_line(10000, with_sp).salesperson_code == "ANN"
    assert seg.init_line(10000, ANN).contact_company_no == "CT1"


def test_the_correspondence_type_rule_of_4_3() -> None:
    """§4.3: the header's when it ignores the contact's; the contact's unless blank."""
    emailed = person("CT7", "Sam", correspondence_type="Email")
    plain = person("CT8", "Pat")
    object.__setattr__(plain, "correspondence_type", CorrespondenceType.BLANK)
    seg = segment(correspondence_type_default="Hard Copy")
    assert seg.init_line(1, emailed).correspondence_type is CorrespondenceType.EMAIL
    assert seg.init_line(1, plain).correspondence_type is CorrespondenceType.HARD_COPY
    seg.change(ignore_contact_corres_type=True)
    assert seg.init_line(1, emailed).correspondence_type is CorrespondenceType.HARD_COPY
    seg.change(correspondence_type_default="")
    assert seg.init_line(1, emailed).correspondence_type is CorrespondenceType.EMAIL


def test_apply_template_copies_its_defaults() -> None:
    """§4.1 Interaction Template Code: the template's defaults; its campaign if none."""
    template = InteractionTemplate(
        code="MAIL", interaction_group_code="LETTERS", unit_cost_lcy="0.80",
        unit_duration_min=2, campaign_no="CP9", correspondence_type="Email",
        campaign_target=True,
    )  # fmt: skip
    seg = segment()
    seg.apply_template(template)
    assert (seg.interaction_template_code, seg.interaction_group_code, seg.unit_cost_lcy,
            seg.campaign_no, seg.correspondence_type_default, seg.campaign_target) == (
        "MAIL", "LETTERS", Decimal("0.80"), "CP9", CorrespondenceType.EMAIL, True)  # fmt: skip
    kept = segment(campaign_no="CP1")
    kept.apply_template(template)
    assert kept.campaign_no == "CP1"


# --- Reduce and Refine (§4.6) -------------------------------------------------------------


def test_reduce_removes_and_refine_keeps_the_matched() -> None:
    seg = segment()
    seg.add_contacts(EVERYONE, criteria=ANY)
    removed = seg.reduce([ANN], criteria=where.name == "Ann")
    assert nos(removed) == ["CT2"]
    assert seg.actions[-1].action is SegmentAction.REDUCE
    kept = seg.refine([CRONUS, EVE], criteria=ANY)
    assert sorted(nos(kept)) == ["CT3", "CT4"]
    assert sorted(seg.contact_nos) == ["CT1", "CT5"]
    assert [h.action_taken for h in seg.history if h.action_no == 3] == [
        HistoryAction.DELETION, HistoryAction.DELETION]  # fmt: skip


def test_entire_companies_counts_every_contact_of_a_matched_company() -> None:
    """§4.6 AddPeople: with Entire Companies the company's contacts all match."""
    seg = segment()
    seg.add_contacts(EVERYONE, criteria=ANY)
    seg.reduce([ANN, EVE], criteria=ANY, entire_companies=True, company_members=members)
    assert sorted(seg.contact_nos) == ["CT4"]
    assert seg.actions[-1].entire_companies


# --- manual lines and Go Back (§4.7) ---------------------------------------------------------


def test_manual_lines_are_pseudo_actions_that_go_back_undoes() -> None:
    """§4.7: a line added or deleted by hand is recorded as Add / Reduce No. = <c>."""
    seg = segment()
    line = seg.add_line(ANN)
    assert seg.actions[-1] == CriteriaAction(
        number=1, action="Add Contacts", criteria=where.no == "CT2",
        options=AddOptions(allow_existing_contacts=True, ignore_exclusion=True), manual=True,
    )  # fmt: skip
    seg.add_line(ANN)
    removed = seg.remove_line(line.line_no)
    assert removed == line
    assert seg.actions[-1].action is SegmentAction.REDUCE
    seg.go_back()
    assert seg.lines[0] == line
    with pytest.raises(NotFoundError):
        seg.remove_line(99)


def test_go_back_without_actions_and_reset() -> None:
    seg = segment()
    with pytest.raises(ValidationError):
        seg.go_back()
    seg.add_contacts([ANN], criteria=ANY)
    seg.reset_criteria()
    assert (seg.actions, seg.history, nos(seg.lines)) == ((), (), ["CT2"])


def test_header_checks() -> None:
    with pytest.raises(ValidationError):
        segment(unit_cost_lcy=-1)
    with pytest.raises(ValidationError):
        Segment(no=5, date=DAY)
    with pytest.raises(ValidationError):
        Segment(no="SM1", date=NOW)
    seg = segment()
    with pytest.raises(ValidationError):
        seg.change(lines=())
    with pytest.raises(ValidationError):
        seg.change(colour="red")
    with pytest.raises(ValidationError):
        SegmentLine(line_no=0, contact_no="CT1")
    with pytest.raises(ValidationError):
        SegmentLine(line_no=1, contact_no=7)
    with pytest.raises(ValidationError):
        SegmentLine(line_no=1, contact_no="CT1", duration_min="x")
    with pytest.raises(ValidationError):
        SegmentLine(line_no=1, contact_no="CT1", cost_lcy=1.5)
    with pytest.raises(ValidationError):
        AddOptions(expand_companies="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        CriteriaAction(number=0, action="Add Contacts", criteria=ANY)
    with pytest.raises(ValidationError):
        segment(lines="x")
    assert copy.deepcopy(seg) == seg


# --- laws (hypothesis) -----------------------------------------------------------------------

_subsets = st.lists(st.sampled_from(EVERYONE), unique_by=lambda c: c.no)
_options = st.builds(
    AddOptions,
    allow_existing_contacts=st.booleans(),
    expand_companies=st.booleans(),
    allow_related_companies=st.booleans(),
    ignore_exclusion=st.booleans(),
)


def _built(steps: list[tuple[str, list[Contact], AddOptions]]) -> Segment:
    seg = segment()
    for kind, chosen, options in steps:
        if kind == "add":
            seg.add_contacts(chosen, criteria=ANY, options=options,
                             company_members=members, company_of=_company_of)  # fmt: skip
        elif kind == "reduce":
            seg.reduce(chosen, criteria=ANY)
        else:
            seg.refine(chosen, criteria=ANY)
    return seg


_histories = st.lists(
    st.tuples(st.sampled_from(["add", "reduce", "refine"]), _subsets, _options),
    max_size=4,
)


@given(_histories, _subsets, _options)
def test_add_then_go_back_restores_the_lines_exactly(
    steps: list[tuple[str, list[Contact], AddOptions]],
    chosen: list[Contact],
    options: AddOptions,
) -> None:
    seg = _built(steps)
    before = (seg.lines, seg.actions, seg.history)
    seg.add_contacts(chosen, criteria=ANY, options=options,
                     company_members=members, company_of=_company_of)  # fmt: skip
    seg.go_back()
    assert (seg.lines, seg.actions, seg.history) == before


@given(_histories, _subsets, st.booleans())
def test_reduce_or_refine_then_go_back_restores_the_lines_exactly(
    steps: list[tuple[str, list[Contact], AddOptions]],
    chosen: list[Contact],
    refine: bool,  # noqa: FBT001
) -> None:
    seg = _built(steps)
    before = seg.lines
    (seg.refine if refine else seg.reduce)(chosen, criteria=ANY)
    seg.go_back()
    assert seg.lines == before


@given(_histories, _subsets)
def test_refine_is_idempotent(
    steps: list[tuple[str, list[Contact], AddOptions]], chosen: list[Contact]
) -> None:
    seg = _built(steps)
    seg.refine(chosen, criteria=ANY)
    once = seg.lines
    assert seg.refine(chosen, criteria=ANY) == []
    assert seg.lines == once


@given(_histories, _subsets)
def test_reduce_after_add_of_the_same_contacts_leaves_none_of_them(
    steps: list[tuple[str, list[Contact], AddOptions]], chosen: list[Contact]
) -> None:
    """What was added goes again; contacts there before go too, as they match."""
    seg = _built(steps)
    before = [
        line for line in seg.lines if line.contact_no not in {c.no for c in chosen}
    ]
    seg.add_contacts(chosen, criteria=ANY)
    seg.reduce(chosen, criteria=ANY)
    assert seg.lines == tuple(before)
    assert [a.action for a in seg.actions[-2:]] == [
        SegmentAction.ADD,
        SegmentAction.REDUCE,
    ]


def test_logged_segments_and_planning_refusals() -> None:
    """§4.9: the register entry's fields; a line's contact must be given."""
    from relationship_mgmt.domain.segments import LoggedSegment, plan_segment_log

    with pytest.raises(ValidationError):
        LoggedSegment(entry_no=0, segment_no="SM1", creation_date=DAY)
    with pytest.raises(ValidationError):
        LoggedSegment(entry_no=1, segment_no="SM1", creation_date=DAY, user_id="x" * 51)
    logged = LoggedSegment(
        entry_no=1, segment_no="SM1", creation_date=DAY, user_id="ann"
    )
    assert (logged.user_id, logged.cancel().canceled, logged.cancel().uncancel().canceled) == (
        "ANN", True, False)  # fmt: skip
    seg = segment(description="Calls")
    seg.add_line(ANN)
    with pytest.raises(NotFoundError):
        plan_segment_log(
            seg, entry_no=1, interaction_nos=lambda: 1, contacts={}, templates={},
            today=DAY, user_id="",
        )  # fmt: skip


def test_saved_criteria_refusals() -> None:
    """§4.4 Saved Segment Criteria: Code is NotBlank; lines are criteria actions."""
    from relationship_mgmt.domain.segments import SavedCriteria, save_criteria

    for bad in ({"code": " "}, {"code": 5}, {"code": "OK", "actions": ["x"]}):
        with pytest.raises(ValidationError):
            SavedCriteria(**bad)
    seg = segment()
    with pytest.raises(ValidationError):
        save_criteria(seg, code="X", description="", user_id="")
    seg.add_contacts([ANN], criteria=ANY)
    saved = save_criteria(seg, code="x", description="Ann", user_id="me")
    assert (saved.code, saved.no_of_actions, saved.user_id) == ("X", 1, "ME")
    assert copy.deepcopy(saved) == saved
