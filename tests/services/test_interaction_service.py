"""crm.interactions and crm.salespeople through the service layer (§3, §8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relationship_mgmt as rm
from relationship_mgmt.domain.interactions import DocumentKind, Evaluation
from relationship_mgmt.errors import (
    IdempotencyConflictError,
    InteractionEntryError,
    InUseError,
    NotFoundError,
    PrivacyBlockedError,
    SalespersonBlockedError,
)
from relationship_mgmt.testing import FrozenClock

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _crm() -> rm.Crm:
    crm = rm.open(clock=FrozenClock(NOW))
    crm.setup.use_default_number_series()
    crm.salespeople.create("jo", name="Jo Smith", email="jo@cronus.example")
    crm.interactions.create_group("sales", description="Sales")
    crm.interactions.create_template(
        "call",
        group="sales",
        description="Phone call",
        unit_cost_lcy="2.5",
        unit_duration_min=10,
        initiated_by="Us",
    )
    return crm


@pytest.fixture
def crm() -> rm.Crm:
    return _crm()


def test_log_takes_the_template_defaults_and_the_contacts_salesperson(
    crm: rm.Crm,
) -> None:
    """§3.4 step 2: the template fills description, cost, duration; step 1: the
    salesperson defaults from the contact; the date is the work date."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")

    entry = crm.interactions.log(contact_no=company.no, template="call")

    assert (entry.entry_no, entry.description) == (1, "Phone call")
    assert (entry.cost_lcy, entry.duration_min) == (Decimal("2.5"), Decimal(10))
    assert (entry.salesperson_code, entry.date) == ("JO", NOW.date())
    assert entry.time_of_interaction == dt.time(9, 30)
    assert crm.interactions.get(1) == entry


def test_same_idempotency_key_returns_the_first_entry(crm: rm.Crm) -> None:
    """§3.4: a retried request logs nothing twice; another payload is refused."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    first = crm.interactions.log(
        contact_no=company.no, template="call", idempotency_key="msg-1"
    )

    again = crm.interactions.log(
        contact_no=company.no, template="call", idempotency_key="msg-1"
    )
    with pytest.raises(IdempotencyConflictError) as raised:
        crm.interactions.log(
            contact_no=company.no,
            template="call",
            description="Other",
            idempotency_key="msg-1",
        )

    assert again == first
    assert raised.value.entry_no == first.entry_no
    assert len(crm.interactions.list()) == 1


def test_privacy_blocked_contact_and_blocked_salesperson_are_refused(
    crm: rm.Crm,
) -> None:
    """§3.4 checks on finish; §8 blocked salespeople cannot be chosen."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    crm.salespeople.change("jo", blocked=True)

    with pytest.raises(SalespersonBlockedError):
        crm.interactions.log(contact_no=company.no, template="call")
    crm.salespeople.change("jo", blocked=False)
    crm.contacts.block_privacy(company.no)
    with pytest.raises(PrivacyBlockedError):
        crm.interactions.log(contact_no=company.no, template="call")
    with pytest.raises(NotFoundError):
        crm.interactions.log(contact_no=company.no, template="nothing")
    assert crm.interactions.list() == []


def test_company_statistics_cover_its_persons(crm: rm.Crm) -> None:
    """§2.2: a company's figures cover its persons; a person's only its own;
    canceled entries do not count."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    person = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    crm.interactions.log(contact_no=company.no, template="call")
    crm.interactions.log(contact_no=person.no, template="call")
    canceled = crm.interactions.log(contact_no=person.no, template="call")
    crm.interactions.cancel(canceled.entry_no)

    of_company = crm.interactions.statistics(contact_no=company.no)
    of_person = crm.interactions.statistics(contact_no=person.no)
    of_template = crm.interactions.statistics(template_code="call")

    assert (of_company.no_of_interactions, of_company.cost_lcy) == (2, Decimal(5))
    assert of_person.no_of_interactions == 1
    assert of_company.last_date_attempted == NOW.date()
    assert of_template.no_of_interactions == 2
    assert [e.entry_no for e in crm.interactions.list(contact_no=person.no)] == [2, 3]


def test_cancel_evaluate_uncancel_and_purge(crm: rm.Crm) -> None:
    """§3.6: only canceled entries are purged; operations change only their fields."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    kept = crm.interactions.log(contact_no=company.no, template="call")
    doomed = crm.interactions.log(contact_no=company.no, template="call")

    crm.interactions.evaluate(kept.entry_no, Evaluation.POSITIVE)
    crm.interactions.cancel(doomed.entry_no)
    crm.interactions.cancel(doomed.entry_no)  # canceling twice changes nothing
    assert not crm.interactions.uncancel(doomed.entry_no).canceled
    crm.interactions.cancel(doomed.entry_no)
    purged = crm.interactions.purge()

    assert purged == 1
    assert [e.entry_no for e in crm.interactions.list()] == [kept.entry_no]
    assert crm.interactions.get(kept.entry_no).evaluation is Evaluation.POSITIVE
    with pytest.raises(NotFoundError):
        crm.interactions.get(doomed.entry_no)


def test_postponed_entry_is_resumed_under_its_number(crm: rm.Crm) -> None:
    """§3.6 Resume: finishing updates the same entry and clears Postponed."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    saved = crm.interactions.log(contact_no=company.no, template="call", postponed=True)
    assert crm.interactions.statistics(contact_no=company.no).no_of_interactions == 0

    done = crm.interactions.resume(saved.entry_no, description="Called back")

    assert (done.entry_no, done.postponed, done.description) == (
        saved.entry_no,
        False,
        "Called back",
    )
    assert crm.interactions.statistics(contact_no=company.no).no_of_interactions == 1
    with pytest.raises(InteractionEntryError):
        crm.interactions.resume(saved.entry_no)


def test_templates_groups_and_the_document_setup(crm: rm.Crm) -> None:
    """§1.3: a template set up for a document kind; deleting it clears the setup;
    §3.1: a group in use is not deleted."""
    crm.interactions.create_template("invoice", group="sales", description="Invoice")
    crm.interactions.use_template_for(DocumentKind.SALES_INVOICES, "invoice")
    assert crm.interactions.template_for("Sales Invoices") == "INVOICE"

    with pytest.raises(InUseError):
        crm.interactions.delete_group("sales")
    crm.interactions.delete_template("invoice")
    changed = crm.interactions.change_template("call", description="Call")

    assert crm.interactions.template_for(DocumentKind.SALES_INVOICES) is None
    assert changed.description == "Call"
    assert [t.code for t in crm.interactions.templates()] == ["CALL"]
    with pytest.raises(NotFoundError):
        crm.interactions.create_template("x", group="nothing")


def test_salespeople_and_teams(crm: rm.Crm) -> None:
    """§8: teams keep their members; deleting a salesperson drops memberships."""
    crm.salespeople.create("ap", name="Annette Hill")
    crm.salespeople.create_team("north", name="North", members=["jo", "ap"])
    crm.salespeople.remove_member("north", "ap")
    crm.salespeople.add_member("north", "ap")
    crm.salespeople.delete("jo")

    assert crm.salespeople.get_team("north").members == ("AP",)
    assert [sp.code for sp in crm.salespeople.list()] == ["AP"]
    assert [t.code for t in crm.salespeople.teams_of("ap")] == ["NORTH"]
    crm.salespeople.delete_team("north")
    assert crm.salespeople.teams() == []
    with pytest.raises(NotFoundError):
        crm.salespeople.create_team("south", members=["nobody"])


@settings(max_examples=30, deadline=None)
@given(
    calls=st.lists(
        st.tuples(st.sampled_from(["k1", "k2", "k3"]), st.sampled_from(["", "Other"])),
        min_size=1,
        max_size=12,
    )
)
def test_repeated_keys_log_once_per_key(calls: list[tuple[str, str]]) -> None:
    """§3.4 idempotency: however the calls repeat, each key logs one entry, and a
    call with the key's first payload always returns that entry."""
    crm = _crm()
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    first: dict[str, tuple[str, int]] = {}
    for key, description in calls:
        if key in first and first[key][0] != description:
            with pytest.raises(IdempotencyConflictError) as conflict:
                crm.interactions.log(
                    contact_no=company.no,
                    template="call",
                    description=description,
                    idempotency_key=key,
                )
            assert conflict.value.entry_no == first[key][1]
            continue
        entry = crm.interactions.log(
            contact_no=company.no,
            template="call",
            description=description,
            idempotency_key=key,
        )
        first.setdefault(key, (description, entry.entry_no))
        assert entry.entry_no == first[key][1]
    assert len(crm.interactions.list()) == len(first)


def test_anonymise_erases_free_text_and_keeps_the_figures(crm: rm.Crm) -> None:
    """Privacy: an explicit anonymisation is one of the operations that change an
    entry; counts and amounts survive."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    first = crm.interactions.log(
        contact_no=company.no, template="call", description="Ann's private line"
    )
    crm.interactions.log(contact_no=company.no, template="call", subject="Secret")

    one = crm.interactions.anonymise(first.entry_no)
    count = crm.interactions.anonymise_contact(company.no)

    assert (one.description, one.subject, one.cost_lcy) == ("", "", Decimal("2.5"))
    assert count == 2
    assert {e.subject for e in crm.interactions.list()} == {""}
    assert crm.interactions.statistics(contact_no=company.no).no_of_interactions == 2


def _owners(crm: rm.Crm) -> list[tuple[int, str | None, str | None]]:
    return [
        (e.entry_no, e.contact_no, e.contact_company_no)
        for e in crm.interactions.list()
    ]


def test_deleting_contacts_keeps_their_entries(crm: rm.Crm) -> None:
    """§2.7: a deleted person's entries move to its company; a deleted company's
    entries (its persons' too) keep no contact number. The entries stay."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    ann = crm.contacts.create_person(name="Ann Lee", company_no=company.no)
    bob = crm.contacts.create_person(name="Bob Ray", company_no=company.no)
    for who in (ann, bob, company):
        crm.interactions.log(contact_no=who.no, template="call")

    crm.contacts.delete(ann.no)
    after_person = _owners(crm)
    crm.contacts.delete(company.no)

    assert after_person == [
        (1, company.no, company.no),
        (2, bob.no, company.no),
        (3, company.no, company.no),
    ]
    assert _owners(crm) == [(1, None, None), (2, None, None), (3, None, None)]


def test_merging_moves_entries_and_unmerging_puts_them_back(crm: rm.Crm) -> None:
    """§2.12: the merged contact's entries (a company's persons' too) move to the
    survivor; unmerge restores them."""
    kept = crm.contacts.create_company(name="Cronus Ltd", salesperson_code="jo")
    gone = crm.contacts.create_company(name="Cronus Limited", salesperson_code="jo")
    person = crm.contacts.create_person(name="Ann Lee", company_no=gone.no)
    crm.interactions.log(contact_no=gone.no, template="call")
    crm.interactions.log(contact_no=person.no, template="call")
    before = _owners(crm)

    plan = crm.duplicates.plan_merge(kept.no, gone.no)
    crm.duplicates.merge(plan)
    merged = _owners(crm)
    crm.duplicates.unmerge(gone.no)

    assert [r.key for r in plan.repoint if r.kind == "interaction log entry"] == [
        "1",
        "2",
    ]
    assert merged == [(1, kept.no, kept.no), (2, person.no, kept.no)]
    assert _owners(crm) == before
    assert crm.interactions.statistics(contact_no=gone.no).no_of_interactions == 2


def test_log_document_through_the_setup_and_the_business_relation(
    crm: rm.Crm,
) -> None:
    """§3.5: the setup's template logs a document; a customer's document is logged
    for its linked contact; no template or no linked contact logs nothing."""
    crm.interactions.create_template("invoice", group="sales", description="Invoice")
    crm.setup.add_records([rm.BusinessRelation(code="CUST")])
    crm.setup.change(bus_rel_code_for_customers="CUST")
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    customer = crm.contacts.create_customer(company.no)

    nothing = crm.interactions.log_document(
        "Sales Invoices", "SI-1", contact_no=company.no
    )
    crm.interactions.use_template_for("Sales Invoices", "invoice")
    direct = crm.interactions.log_document(
        "Sales Invoices", "SI-1", contact_no=company.no, idempotency_key="doc-SI-1"
    )
    replay = crm.interactions.log_document(
        "Sales Invoices", "SI-1", contact_no=company.no, idempotency_key="doc-SI-1"
    )
    via_customer = crm.interactions.log_document(
        "Sales Invoices",
        "SI-2",
        account="Customer",
        account_no=customer,
        salesperson_code="jo",
        description="Invoice SI-2",
    )
    unknown = crm.interactions.log_document(
        "Sales Invoices", "SI-3", account="Customer", account_no="C99999"
    )

    assert nothing is None
    assert unknown is None
    assert direct is not None
    assert replay == direct
    assert (direct.document_type.value, direct.document_no) == ("Sales Inv.", "SI-1")
    assert (direct.description, direct.salesperson_code) == ("Invoice", "JO")
    assert via_customer is not None
    assert (via_customer.contact_no, via_customer.description) == (
        company.no,
        "Invoice SI-2",
    )
    with pytest.raises(IdempotencyConflictError):
        crm.interactions.log_document(
            "Sales Invoices", "SI-9", contact_no=company.no, idempotency_key="doc-SI-1"
        )
    with pytest.raises(rm.ValidationError):
        crm.interactions.log_document("Sales Invoices", "SI-4")


def test_template_attachments_are_logged_and_removed_when_unused(crm: rm.Crm) -> None:
    """§3.7: a template has one attachment per language, logging copies it; §3.6:
    canceling may remove an attachment no other entry uses, purging removes it."""
    crm.interactions.create_template(
        "letter", group="sales", description="Letter", language_code_default="ENU"
    )
    template = crm.interactions.attach_to_template(
        "letter",
        "ENU",
        b"Dear customer",
        file_name="letter.txt",
        media_type="text/plain",
    )
    first_no = template.attachment_no
    assert first_no is not None
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")

    shared = crm.interactions.log(contact_no=company.no, template="letter")
    other = crm.interactions.log(contact_no=company.no, template="letter")
    replaced = crm.interactions.attach_to_template(
        "letter", "ENU", b"Dear valued customer", file_name="letter-v2.txt"
    )

    assert shared.attachment_no == first_no
    assert crm.interactions.attachment(first_no).content == b"Dear customer"
    assert replaced.attachment_no != first_no
    assert crm.attachments.exists(first_no)  # the entries still use it
    crm.interactions.cancel(shared.entry_no, remove_attachment=True)
    assert crm.interactions.get(shared.entry_no).attachment_no is None
    assert crm.attachments.exists(first_no)  # the other entry still uses it
    crm.interactions.cancel(other.entry_no)
    assert crm.interactions.purge() == 2
    assert not crm.attachments.exists(first_no)
    assert crm.interactions.attachment(replaced.attachment_no or 0).file_name == (
        "letter-v2.txt"
    )
    with pytest.raises(NotFoundError):
        crm.interactions.attach_to_template("nothing", "ENU", b"x", file_name="x.txt")


def test_a_sqlite_workspace_keeps_attachments_beside_its_file(tmp_path: Path) -> None:
    """rm.open on a SQLite file stores attachments in ``<file>-attachments``."""
    db = tmp_path / "crm.db"
    with rm.open(f"sqlite:///{db}") as crm:
        crm.interactions.create_group("sales")
        crm.interactions.create_template("letter", group="sales")
        template = crm.interactions.attach_to_template(
            "letter", "", b"Hello", file_name="hello.txt"
        )
    with rm.open(f"sqlite:///{db}") as crm:
        no = crm.interactions.get_template("letter").languages[0].attachment_no
        assert crm.interactions.attachment(no or 0).content == b"Hello"
    assert template.languages[0].attachment_no == no
    assert (tmp_path / "crm.db-attachments" / "1.bin").read_bytes() == b"Hello"


def test_unknown_fields_are_validation_errors(crm: rm.Crm) -> None:
    """A misspelt keyword is the library's ValidationError, never a TypeError."""
    company = crm.contacts.create_company(name="Cronus", salesperson_code="jo")
    calls: list[Callable[[], object]] = [
        lambda: crm.salespeople.create("ap", nmae="Annette"),
        lambda: crm.interactions.create_template("x", group="sales", descr="?"),
        lambda: crm.interactions.log(contact_no=company.no, template="call", cost=1),
        lambda: crm.interactions.list(contact="CT1"),
        lambda: crm.interactions.statistics(template="call"),
    ]
    for call in calls:
        with pytest.raises(rm.ValidationError) as refused:
            call()
        assert refused.value.field == "fields"
