"""crm.segments through storage: criteria actions with history and Go Back (§4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import relationship_mgmt as rm
from relationship_mgmt.domain.segments import HistoryAction, SegmentAction
from relationship_mgmt.testing import FrozenClock

where = rm.where


class World:
    """Two companies with persons, a loner, a salesperson and logged calls."""

    def __init__(self, crm: rm.Crm) -> None:
        self.crm = crm
        crm.setup.use_default_number_series()
        crm.salespeople.create("jo", name="Jo Smith")
        crm.salespeople.create("bo", name="Bo", blocked=True)
        crm.interactions.create_group("sales")
        crm.interactions.create_template(
            "call", group="sales", unit_cost_lcy="2.5", correspondence_type="Email"
        )
        self.cronus = crm.contacts.create_company(name="Cronus", country_code="CZ").no
        self.fabrikam = crm.contacts.create_company(
            name="Fabrikam", country_code="DK"
        ).no
        self.ann = crm.contacts.create_person(name="Ann").no
        crm.contacts.link_to_company(self.ann, self.cronus)
        self.bo = crm.contacts.create_person(name="Bo").no
        crm.contacts.link_to_company(self.bo, self.cronus)
        self.eve = crm.contacts.create_person(name="Eve", country_code="CZ").no
        for contact in (self.ann, self.ann, self.eve):
            crm.interactions.log(
                contact_no=contact, template="call", salesperson_code="jo"
            )


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    clock = FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    url = None if request.param == "memory" else "sqlite://"
    with rm.open(url, clock=clock) as crm:
        yield World(crm)


def test_create_numbers_dates_and_takes_a_template(world: World) -> None:
    """§4.1 Insert: No. from Segment Nos., Date = WORKDATE; template defaults."""
    seg = world.crm.segments.create(description="Spring", template="call")
    assert (seg.no, seg.date, seg.interaction_template_code) == (
        "SM00001", dt.date(2026, 3, 2), "CALL")  # fmt: skip
    assert str(seg.unit_cost_lcy) == "2.5"
    with pytest.raises(rm.SalespersonBlockedError):
        world.crm.segments.create(salesperson_code="bo")
    with pytest.raises(rm.NotFoundError):
        world.crm.segments.create(campaign_no="CP9")
    with pytest.raises(rm.ValidationError):
        world.crm.segments.create(lines=())
    changed = world.crm.segments.change(
        seg.no, description="Summer", salesperson_code="jo"
    )
    assert (changed.description, changed.salesperson_code) == ("Summer", "JO")
    assert (
        world.crm.segments.apply_template(seg.no, "call").interaction_group_code
        == "SALES"
    )
    assert [s.no for s in world.crm.segments.list()] == ["SM00001"]


def test_add_contacts_with_related_records_and_options(world: World) -> None:
    """§4.5: criteria over contact fields and related interactions; Expand Companies."""
    segs = world.crm.segments
    no = segs.create(description="Callers").no
    called_twice = where.has("interaction", at_least=2)
    added = segs.add_contacts(no, called_twice)
    assert [line.contact_no for line in added] == [world.ann]
    assert added[0].contact_company_no == world.cronus
    expanded = segs.add_contacts(no, called_twice, expand_companies=True)
    assert sorted(line.contact_no for line in expanded) == sorted(
        [world.cronus, world.bo]
    )
    czech = segs.add_contacts(no, where.country_code == "CZ")
    assert [line.contact_no for line in czech] == [world.eve]  # Cronus is there already
    segment = segs.get(no)
    assert segment.no_of_criteria_actions == 3
    assert [a.action for a in segment.actions] == [SegmentAction.ADD] * 3
    # the persons took Cronus's country when they were linked to it (§2.6)
    assert sorted(segs.preview(where.country_code == "CZ")) == sorted(
        [world.cronus, world.ann, world.bo, world.eve])  # fmt: skip


def test_reduce_refine_manual_lines_and_go_back(world: World) -> None:
    """§4.6, §4.7: Reduce, Refine (Entire Companies), manual lines, exact undo."""
    segs = world.crm.segments
    no = segs.create().no
    segs.add_contacts(no, where.name != "")
    everyone = segs.get(no).lines
    removed = segs.reduce(no, where.name == "Ann", entire_companies=True)
    assert sorted(line.contact_no for line in removed) == sorted(
        [world.cronus, world.ann, world.bo])  # fmt: skip
    assert segs.go_back(no).lines == everyone
    kept = segs.refine(no, where.country_code == "CZ")
    assert [line.contact_no for line in kept] == [world.fabrikam]
    line = segs.add_line(no, world.ann)
    assert segs.get(no).history[-1].action_taken is HistoryAction.INSERTION
    segs.remove_line(no, line.line_no)
    assert segs.get(no).actions[-1].manual
    segment = segs.go_back(no)
    assert line in segment.lines
    segs.go_back(no)
    segs.go_back(no)
    assert segs.get(no).lines == everyone
    with pytest.raises(rm.NotFoundError):
        segs.remove_line(no, 99)
    segs.delete(no)
    with pytest.raises(rm.NotFoundError):
        segs.get(no)


def test_in_segment_and_explain(world: World) -> None:
    """Membership of another segment; explain reads the related records too."""
    segs = world.crm.segments
    first = segs.create().no
    segs.add_contacts(first, where.country_code == "CZ")
    second = segs.create().no
    added = segs.add_contacts(
        second, where.in_segment(first) & where.has("interaction")
    )
    assert [line.contact_no for line in added] == [world.eve, world.ann]
    assert segs.preview(where.in_segment("SM99999")) == []
    proof = segs.explain(where.has("interaction", at_least=2), world.eve)
    assert not proof.matched
    assert proof.reason == "1 matching interaction record(s), at least 2 wanted"
    company_groups = where.industry_group("RETAIL") | where.mailing_group("NEWS")
    assert segs.preview(company_groups) == []
    with pytest.raises(rm.NotFoundError):
        segs.explain(where.name == "x", "CT999")


def test_a_segment_may_not_depend_on_itself_through_in_segment(world: World) -> None:
    """InSegment with cycle detection: SM1 -> SM2 -> SM1 is refused, nothing written."""
    segs = world.crm.segments
    first = segs.create(description="First").no
    segs.add_contacts(first, where.country_code == "CZ")
    second = segs.create(description="Second").no
    segs.add_contacts(second, where.in_segment(first))
    before = segs.get(first)
    with pytest.raises(rm.ValidationError, match=f"{first} -> {second} -> {first}"):
        segs.refine(first, where.in_segment(second))
    with pytest.raises(rm.ValidationError, match="would depend on itself"):
        segs.add_contacts(first, where.in_segment(first.lower()))
    assert segs.get(first) == before
    third = segs.create(description="Third").no  # a chain without a loop is fine
    segs.add_contacts(third, where.in_segment(second) | where.in_segment("SM99"))
    segs.save_criteria(third, "chain")
    with pytest.raises(rm.ValidationError, match="would depend on itself"):
        segs.reuse_criteria(first, "chain")  # SM1 -> SM2 -> SM1 through the replay


# --- logging (§4.9) ------------------------------------------------------------------------


def _ready(world: World, **fields: str) -> str:
    """A segment of Cronus's two persons and Eve, with the call template."""
    segs = world.crm.segments
    values: dict[str, str] = {"salesperson_code": "jo", **fields}
    no = segs.create(description="Spring calls", template="call", **values).no
    segs.add_contacts(no, where.country_code == "CZ")
    segs.reduce(no, where.type == "Company")
    return no


def test_logging_writes_one_interaction_per_line_and_deletes_the_segment(
    world: World,
) -> None:
    """§4.9: one entry per line with Segment No. and Logged Segment Entry No."""
    segs = world.crm.segments
    world.crm.campaigns.create(no="CP1", description="Spring")
    no = _ready(world, campaign_no="CP1")
    log = segs.log(no, follow_up=True)
    assert log.logged.segment_no == no
    assert log.logged.description == "Spring calls"
    assert sorted(e.contact_no or "" for e in log.entries) == sorted(
        [world.ann, world.bo, world.eve])  # fmt: skip
    stored = [world.crm.interactions.get(e.entry_no) for e in log.entries]
    assert {e.logged_segment_entry_no for e in stored} == {log.logged.entry_no}
    assert {e.segment_no for e in stored} == {no}
    assert {e.interaction_template_code for e in stored} == {"CALL"}
    (campaign_entry,) = world.crm.campaigns.entries("CP1")
    assert campaign_entry.register_no == log.logged.entry_no
    assert {e.campaign_entry_no for e in stored} == {campaign_entry.entry_no}
    with pytest.raises(rm.NotFoundError):
        segs.get(no)
    follow = [s for s in segs.list() if s.description.startswith("Follow-up")]
    assert [s.description for s in follow] == [f"Follow-up on segment {no}"]
    assert sorted(follow[0].contact_nos) == sorted([world.ann, world.bo, world.eve])
    assert follow[0].actions[0].options.allow_existing_contacts
    assert [s.entry_no for s in segs.logged_segments(no)] == [log.logged.entry_no]


def test_logging_refuses_empty_unnamed_and_logged_twice(world: World) -> None:
    segs = world.crm.segments
    empty = segs.create(description="Nothing").no
    with pytest.raises(rm.ValidationError, match="is empty"):
        segs.log(empty)
    unnamed = segs.create(template="call").no
    segs.add_contacts(unnamed, where.name == "Eve")
    with pytest.raises(rm.ValidationError) as error:
        segs.log(unnamed)
    assert error.value.field == "description"
    no = _ready(world)
    first = segs.log(no)
    world.crm.segments.create(no=no, description="Again", template="call")
    segs.add_contacts(no, where.name == "Eve")
    with pytest.raises(rm.ValidationError, match="already exists"):
        segs.log(no)
    assert segs.logged_segments() == [first.logged]


def test_privacy_blocked_contacts_are_left_out_with_the_reason(world: World) -> None:
    segs = world.crm.segments
    no = _ready(world)
    world.crm.contacts.block_privacy(world.eve)
    log = segs.log(no)
    assert [(r.contact_no, r.reason) for r in log.refused] == [
        (world.eve, "the contact is privacy blocked (§2.15)")
    ]
    assert world.eve not in {e.contact_no for e in log.entries}


def test_canceling_a_logged_segment_cancels_its_entries(world: World) -> None:
    """§4.9 SetCanceledCheckmark: the logged segment, campaign entries, interactions."""
    world.crm.campaigns.create(no="CP1", description="Spring")
    segs = world.crm.segments
    log = segs.log(_ready(world, campaign_no="CP1"))
    assert segs.cancel_log(log.logged.entry_no).canceled
    assert all(world.crm.interactions.get(e.entry_no).canceled for e in log.entries)
    assert all(c.canceled for c in world.crm.campaigns.entries("CP1"))
    assert not segs.uncancel_log(log.logged.entry_no).canceled
    assert not any(world.crm.interactions.get(e.entry_no).canceled for e in log.entries)
    with pytest.raises(rm.NotFoundError):
        segs.cancel_log(99)


class _FlakyUnitOfWork:
    """A unit of work whose third stored interaction fails (an injected fault)."""

    def __init__(self, inner: object, counter: list[int]) -> None:
        self._inner = inner
        self._counter = counter

    def __enter__(self) -> object:
        self._inner.__enter__()  # type: ignore[attr-defined]
        log = self._inner.interaction_log  # type: ignore[attr-defined]
        add = log.add

        def failing_add(entry: object) -> None:
            self._counter[0] += 1
            if self._counter[0] == 3:
                raise rm.PersistenceError("disk full")
            add(entry)

        log.add = failing_add
        return self._inner

    def __exit__(self, *exc_info: object) -> None:
        self._inner.__exit__(*exc_info)  # type: ignore[attr-defined]


def test_logging_is_all_or_nothing_when_a_write_fails(world: World) -> None:
    """A failure midway leaves the segment, the log and the numbers as they were."""
    no = _ready(world)
    before = world.crm.segments.get(no)
    counter = [0]
    flaky = rm.SegmentService(
        lambda: _FlakyUnitOfWork(world.crm.uow_factory(), counter),  # type: ignore[arg-type, return-value]
        world.crm.clock,
    )
    with pytest.raises(rm.PersistenceError):
        flaky.log(no)
    assert world.crm.segments.get(no) == before
    assert world.crm.segments.logged_segments() == []
    assert [e for e in world.crm.interactions.list() if e.segment_no == no] == []


# --- saved criteria and reuse (§4.8) ---------------------------------------------------------


def test_saved_criteria_replay_the_actions_on_another_segment(world: World) -> None:
    """§4.8 Save Criteria / Reuse Criteria: the same actions, recorded again."""
    segs = world.crm.segments
    first = segs.create(description="First").no
    with pytest.raises(rm.ValidationError):
        segs.save_criteria(first, "empty")
    segs.add_contacts(first, where.country_code == "CZ", expand_companies=True)
    segs.reduce(first, where.type == "Company")
    segs.refine(first, where.has("interaction"), entire_companies=True)
    saved = segs.save_criteria(first, "czpeople", description="Czech people")
    assert (saved.code, saved.no_of_actions) == ("CZPEOPLE", 3)
    with pytest.raises(rm.AlreadyExistsError):
        segs.save_criteria(first, "czpeople")
    second = segs.create(description="Second").no
    replayed = segs.reuse_criteria(second, "czpeople")
    assert replayed.contact_nos == segs.get(first).contact_nos
    assert [a.action for a in replayed.actions] == [a.action for a in saved.actions]
    assert [s.code for s in segs.saved_criteria()] == ["CZPEOPLE"]
    third = segs.create(description="Third").no
    assert segs.reuse(third, "czpeople").contact_nos == replayed.contact_nos
    with pytest.raises(rm.ValidationError, match="one of them"):
        segs.reuse(third)
    with pytest.raises(rm.ValidationError, match="one of them"):
        segs.reuse(third, "czpeople", logged=1)
    segs.delete_saved_criteria("czpeople")
    assert segs.saved_criteria() == []
    with pytest.raises(rm.NotFoundError):
        segs.reuse_criteria(second, "czpeople")


def test_reuse_a_logged_segment_adds_its_contacts(world: World) -> None:
    """§4.8 Reuse Logged Segment: Add Contacts with Allow Existing Contacts."""
    segs = world.crm.segments
    log = segs.log(_ready(world))
    again = segs.create(description="Again").no
    segs.add_contacts(again, where.name == "Eve")
    added = segs.reuse_logged(again, log.logged.entry_no)
    assert sorted(line.contact_no for line in added) == sorted(
        [world.ann, world.bo, world.eve])  # fmt: skip
    action = segs.get(again).actions[-1]
    assert action.options.allow_existing_contacts
    with pytest.raises(rm.NotFoundError):
        segs.reuse_logged(again, 99)
    other = segs.create(description="Other").no
    reused = segs.reuse(other, logged=log.logged.entry_no)  # the name
    assert reused.contact_nos == segs.get(again).contact_nos


def test_membership_diff_between_two_days(world: World) -> None:
    """Who enters a date-dependent selection between two days, with the reason."""
    segs = world.crm.segments
    regulars = where.has("interaction", at_least=2)
    day = dt.date(2026, 3, 2)
    world.crm.interactions.log(
        contact_no=world.eve, template="call", salesperson_code="jo",
        date=day + dt.timedelta(days=5),
    )  # fmt: skip
    change = segs.diff(regulars, day, day + dt.timedelta(days=7))
    assert [no for no, _ in change.entered] == [world.eve]
    assert change.entered[0][1].matched
    assert change.left == ()
    back = segs.diff(regulars, day + dt.timedelta(days=7), day)
    assert [no for no, _ in back.left] == [world.eve]
    assert not back.left[0][1].matched
    assert (
        segs.diff(regulars, day - dt.timedelta(days=1), day).entered[0][0] == world.ann
    )
    with pytest.raises(rm.ValidationError):
        segs.diff(regulars, "2026-03-02", day)  # type: ignore[arg-type]
