"""Properties of interaction log entries (spec §3.3, §3.6) and their statistics (§2.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.interactions import (
    ENTRY_OPERATIONS,
    DeliveryStatus,
    Evaluation,
    InitiatedBy,
    InteractionLogEntry,
    InteractionRequest,
    InteractionTemplate,
    check_update,
    contact_statistics,
    group_statistics,
    interaction_totals,
    plan_interaction,
    template_statistics,
)
from relationship_mgmt.domain.setup import RelationshipSetup
from relationship_mgmt.errors import DomainError

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIRST = dt.date(2026, 1, 1)
LAST = dt.date(2026, 12, 31)

dates = st.dates(min_value=FIRST, max_value=LAST)
contact_nos = st.sampled_from([None, "CT01", "CT02", "CT03"])
costs = st.decimals(
    min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def entries(draw: st.DrawFn, *, entry_no: int | None = None) -> InteractionLogEntry:
    postponed = draw(st.booleans())
    return InteractionLogEntry(
        entry_no=entry_no if entry_no is not None else draw(st.integers(1, 10**6)),
        contact_no=draw(contact_nos),
        contact_company_no=draw(st.sampled_from([None, "CT01", "CT09"])),
        date=draw(st.none() | dates) if postponed else draw(dates),
        description=draw(st.text(max_size=20)),
        subject=draw(st.text(max_size=20)),
        contact_via=draw(st.sampled_from(["", "+44 1", "a@b.example"])),
        email_message_id=draw(st.sampled_from(["", "<m@x>"])),
        attachment_no=draw(st.none() | st.integers(1, 5)),
        cost_lcy=draw(costs),
        duration_min=draw(st.integers(0, 600)),
        interaction_group_code=draw(st.sampled_from([None, "G", "H"])),
        interaction_template_code=draw(st.sampled_from([None, "T", "U"])),
        initiated_by=draw(st.sampled_from(InitiatedBy)),
        attempt_failed=draw(st.booleans()),
        canceled=draw(st.booleans()),
        postponed=postponed,
        evaluation=draw(st.sampled_from(Evaluation)),
        delivery_status=draw(st.sampled_from(DeliveryStatus)),
        salesperson_code=draw(st.sampled_from([None, "JO"])),
        campaign_entry_no=draw(st.none() | st.integers(1, 3)),
        logged_segment_entry_no=draw(st.none() | st.integers(1, 3)),
        opportunity_no=draw(st.sampled_from([None, "OP1"])),
        idempotency_key=None,
    )


CONTACT = Contact.create_company(
    no="CT01", name="Cronus", now=NOW, setup=RelationshipSetup(), salesperson_code="JO"
)

Operation = tuple[str, Callable[[InteractionLogEntry], InteractionLogEntry]]


def _resume(
    day: dt.date, *, postponed: bool, description: str | None
) -> Callable[[InteractionLogEntry], InteractionLogEntry]:
    def run(e: InteractionLogEntry) -> InteractionLogEntry:
        return e.resume(
            contact=CONTACT,
            date=day,
            user_id="u",
            postponed=postponed,
            description=description,
            evaluation=Evaluation.POSITIVE,
            cost_lcy=Decimal(1),
        )

    return run


operations: st.SearchStrategy[Operation] = st.one_of(
    st.builds(
        lambda remove: ("cancel", lambda e: e.cancel(remove_attachment=remove)),
        st.booleans(),
    ),
    st.builds(
        lambda s, c: (
            "uncancel",
            lambda e: e.uncancel(segment_canceled=s, campaign_entry_canceled=c),
        ),
        st.booleans(),
        st.booleans(),
    ),
    st.builds(
        lambda v: ("evaluate", lambda e: e.evaluate(v)), st.sampled_from(Evaluation)
    ),
    st.builds(
        lambda day, p, d: ("resume", _resume(day, postponed=p, description=d)),
        dates,
        st.booleans(),
        st.none() | st.just("Done"),
    ),
    st.just(("anonymise", lambda e: e.anonymise())),
    st.just(("link_opportunity", lambda e: e.link_opportunity("OP2"))),
    st.builds(
        lambda s: ("record_delivery", lambda e: e.record_delivery(s)),
        st.sampled_from(DeliveryStatus),
    ),
    st.builds(
        lambda c, k: (
            "reassign_contact",
            lambda e: e.reassign_contact(contact_no=c, contact_company_no=k),
        ),
        contact_nos,
        contact_nos,
    ),
    st.just(("detach_logged_segment", lambda e: e.detach_logged_segment())),
)


def _changed(before: InteractionLogEntry, after: InteractionLogEntry) -> set[str]:
    return {
        a.name
        for a in attrs.fields(InteractionLogEntry)
        if getattr(before, a.name) != getattr(after, a.name)
    }


# --- (a) only the listed operations change an entry, and only their fields ---------------


@given(entries(), st.lists(operations, max_size=12))
def test_operations_change_only_their_own_fields(
    entry: InteractionLogEntry, ops: list[Operation]
) -> None:
    # §3.3/§3.6 and reliability B.2 #6: an entry is append-only except the listed
    # operations, each touching only the fields ENTRY_OPERATIONS names for it.
    original = entry
    touched: set[str] = set()
    for name, run in ops:
        try:
            after = run(entry)
        except DomainError:
            continue

        changed = _changed(entry, after)
        assert changed <= ENTRY_OPERATIONS[name], (name, changed)
        check_update(entry, after)
        touched |= changed
        entry = after

    untouchable = {a.name for a in attrs.fields(InteractionLogEntry)} - touched
    for field_name in untouchable:
        assert getattr(entry, field_name) == getattr(original, field_name)
    assert (entry.entry_no, entry.version) == (original.entry_no, original.version)


@given(entries(), entries(entry_no=1))
def test_check_update_refuses_changes_outside_the_operations(
    before: InteractionLogEntry, other: InteractionLogEntry
) -> None:
    # Any rewrite of an entry that touches a fixed field is refused.
    after = attrs.evolve(other, entry_no=before.entry_no, version=before.version)
    allowed: set[str] = set()
    for name, fields in ENTRY_OPERATIONS.items():
        if name != "resume" or before.postponed:
            allowed |= fields

    try:
        check_update(before, after)
    except DomainError:
        assert not _changed(before, after) <= allowed
    else:
        assert _changed(before, after) <= allowed


# --- (c) cancel / uncancel round trip ------------------------------------------------------


@given(entries())
def test_cancel_then_uncancel_gives_the_entry_back(entry: InteractionLogEntry) -> None:
    # §3.6: canceling is a toggle; a live entry comes back unchanged.
    live = attrs.evolve(entry, canceled=False)

    back = live.cancel().uncancel(segment_canceled=False, campaign_entry_canceled=False)

    assert back == live


@given(entries(), st.booleans(), st.booleans())
def test_uncancel_then_cancel_gives_the_canceled_entry_back(
    entry: InteractionLogEntry,
    segment: bool,  # noqa: FBT001
    campaign: bool,  # noqa: FBT001
) -> None:
    canceled = entry.cancel()

    try:
        live = canceled.uncancel(
            segment_canceled=segment, campaign_entry_canceled=campaign
        )
    except DomainError:
        assert (segment and canceled.logged_segment_entry_no is not None) or (
            campaign and canceled.campaign_entry_no is not None
        )
    else:
        assert not live.canceled
        assert live.cancel() == canceled


# --- (b) statistics equal a naive recount ----------------------------------------------------


def _recount(
    entries: list[InteractionLogEntry],
    keep: Callable[[InteractionLogEntry], bool],
    starting: dt.date | None,
    ending: dt.date | None,
) -> tuple[int, Decimal, Decimal]:
    count, cost, minutes = 0, Decimal(0), Decimal(0)
    for e in entries:
        if not keep(e) or e.canceled or e.postponed or e.date is None:
            continue
        if starting is not None and e.date < starting:
            continue
        if ending is not None and e.date > ending:
            continue
        count += 1
        cost += e.cost_lcy
        minutes += e.duration_min
    return count, cost, minutes


periods = st.tuples(st.none() | dates, st.none() | dates)


@given(st.lists(entries(), max_size=25), periods)
def test_totals_equal_a_naive_recount(
    entries: list[InteractionLogEntry], period: tuple[dt.date | None, dt.date | None]
) -> None:
    starting, ending = period

    stats = interaction_totals(entries, starting=starting, ending=ending)

    assert (stats.no_of_interactions, stats.cost_lcy, stats.duration_min) == _recount(
        entries, lambda _: True, starting, ending
    )


@given(st.lists(entries(), max_size=25), periods, st.sampled_from(["G", "H"]))
def test_group_and_template_figures_equal_a_naive_recount(
    entries: list[InteractionLogEntry],
    period: tuple[dt.date | None, dt.date | None],
    code: str,
) -> None:
    starting, ending = period
    template_code = {"G": "T", "H": "U"}[code]

    group = group_statistics(entries, code, starting=starting, ending=ending)
    template = template_statistics(
        entries, template_code, starting=starting, ending=ending
    )

    assert (group.no_of_interactions, group.cost_lcy, group.duration_min) == _recount(
        entries, lambda e: e.interaction_group_code == code, starting, ending
    )
    assert (
        template.no_of_interactions,
        template.cost_lcy,
        template.duration_min,
    ) == _recount(
        entries,
        lambda e: e.interaction_template_code == template_code,
        starting,
        ending,
    )


@given(
    st.lists(entries(), max_size=25),
    periods,
    st.sampled_from([None, "CT01", "CT09"]),
    st.sampled_from([None, "CT01", "CT02", "CT03"]),
)
def test_contact_figures_equal_a_naive_recount(
    entries: list[InteractionLogEntry],
    period: tuple[dt.date | None, dt.date | None],
    company_no: str | None,
    lookup: str | None,
) -> None:
    # §2.2: Contact Company No. = Company No. and LC (Contact No. = Lookup Contact No.
    # when set); the two dates without date filter and canceled flag.
    starting, ending = period

    def own(e: InteractionLogEntry) -> bool:
        return e.contact_company_no == company_no and (
            lookup is None or e.contact_no == lookup
        )

    stats = contact_statistics(
        entries,
        company_no=company_no,
        lookup_contact_no=lookup,
        starting=starting,
        ending=ending,
    )

    assert (stats.no_of_interactions, stats.cost_lcy, stats.duration_min) == _recount(
        entries, own, starting, ending
    )
    last: dt.date | None = None
    attempted: dt.date | None = None
    for e in entries:
        if not own(e) or e.postponed or e.date is None:
            continue
        if not e.attempt_failed and (last is None or e.date > last):
            last = e.date
        if e.initiated_by is InitiatedBy.US and (
            attempted is None or e.date > attempted
        ):
            attempted = e.date
    assert (stats.date_of_last_interaction, stats.last_date_attempted) == (
        last,
        attempted,
    )


# --- idempotency -----------------------------------------------------------------------------


requests = st.builds(
    InteractionRequest,
    contact_no=st.just("CT01"),
    template_code=st.just("CALL"),
    date=dates,
    description=st.text(max_size=30),
    cost_lcy=st.none() | costs,
    duration_min=st.none() | st.integers(0, 100),
    evaluation=st.sampled_from(Evaluation),
    interaction_successful=st.booleans(),
    postponed=st.booleans(),
    idempotency_key=st.text(alphabet="abc-123", min_size=1, max_size=10),
)


@given(requests, requests)
def test_a_planned_entry_accepts_exactly_its_own_payload(
    first: InteractionRequest, second: InteractionRequest
) -> None:
    # §3.4 idempotency: the same key with the same payload is a replay.
    template = InteractionTemplate(code="CALL", interaction_group_code="SALES")
    entry = plan_interaction(
        first, entry_no=1, contact=CONTACT, template=template, user_id="u"
    )
    replay: dict[str, Any] = {"idempotency_key": first.idempotency_key}

    entry.ensure_same_payload(attrs.evolve(first, **replay))
    assert entry.attempt_failed is not first.interaction_successful
    try:
        entry.ensure_same_payload(attrs.evolve(second, **replay))
    except DomainError:
        assert attrs.evolve(second, **replay) != first
    else:
        assert second.fingerprint() == first.fingerprint()


wide_requests = st.builds(
    InteractionRequest,
    contact_no=st.just("CT01"),
    template_code=st.just("CALL"),
    date=st.none() | dates,
    time_of_interaction=st.none() | st.times(),
    description=st.text(max_size=100),
    subject=st.text(max_size=100),
    salesperson_code=st.none() | st.sampled_from(["jo", "AP"]),
    cost_lcy=st.none() | costs,
    duration_min=st.none() | st.integers(0, 100),
    evaluation=st.sampled_from(Evaluation),
    interaction_successful=st.booleans(),
    campaign_no=st.none() | st.just("cp01"),
    opportunity_no=st.none() | st.just("op01"),
    contact_via=st.text(max_size=80),
    postponed=st.booleans(),
    idempotency_key=st.none() | st.text(alphabet="abc-123", min_size=1, max_size=10),
)


@given(
    wide_requests,
    st.integers(1, 10**6),
    st.none() | st.sampled_from(["sm1", "SM2"]),
    st.none() | st.integers(1, 99),
)
def test_a_planned_entry_passes_the_full_validation_unchanged(
    request: InteractionRequest,
    entry_no: int,
    segment_no: str | None,
    reference: int | None,
) -> None:
    # plan_interaction skips the converters of values already validated at their
    # source: the entry must be exactly what the validating constructor builds.
    template = InteractionTemplate(
        code="CALL", interaction_group_code="SALES", description="Phone call"
    )
    entry = plan_interaction(
        request,
        entry_no=entry_no,
        contact=CONTACT,
        template=template,
        user_id="admin",
        segment_no=segment_no,
        logged_segment_entry_no=reference,
        date=FIRST,
        time_of_interaction=dt.time(9, 30),
    )
    rebuilt = InteractionLogEntry(
        **{a.name: getattr(entry, a.name) for a in attrs.fields(InteractionLogEntry)}
    )

    assert rebuilt == entry
    assert entry.date == (request.date or FIRST)
    assert entry.user_id == "ADMIN"
