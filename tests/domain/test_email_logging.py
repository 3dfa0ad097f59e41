"""E-mail logging's pure part: messages, matching, direction, requests (spec §1.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.codes import ContactNo
from relationship_mgmt.domain.email_logging import (
    AddressBook,
    IngestError,
    IngestReport,
    MailMessage,
    UnreadableMessage,
    email_idempotency_key,
    normalise_address,
    synthetic_message_id,
)
from relationship_mgmt.domain.interactions import (
    InformationFlow,
    InitiatedBy,
)
from relationship_mgmt.domain.salespeople import Salesperson
from relationship_mgmt.domain.setup import CorrespondenceType, RelationshipSetup
from relationship_mgmt.errors import ValidationError

SENT = dt.datetime(2026, 3, 2, 9, 30, 15, 500, tzinfo=dt.UTC)
SETUP = RelationshipSetup(own_email_domains="cronus.example")


def _book(
    contacts: list[tuple[str, str]] | None = None,
    salespeople: list[Salesperson] | None = None,
    setup: RelationshipSetup = SETUP,
) -> AddressBook:
    return AddressBook.build(
        contact_addresses=[
            ("CT1", "ann@fabrikam.example"),
            ("CT2", "bob@litware.example"),
        ]
        if contacts is None
        else contacts,
        salespeople=[Salesperson(code="JO", email="jo@cronus.example")]
        if salespeople is None
        else salespeople,
        setup=setup,
    )


def _message(
    sender: str, *recipients: str, subject: str = "Quote", message_id: str = "<m1@x>"
) -> MailMessage:
    return MailMessage(
        message_id=message_id,
        sender=sender,
        recipients=recipients,
        sent_at=SENT,
        subject=subject,
    )


# --- values -----------------------------------------------------------------------------


def test_addresses_are_trimmed_and_lower_cased() -> None:
    assert normalise_address(" Ann@Fabrikam.EXAMPLE ") == "ann@fabrikam.example"


@pytest.mark.parametrize(
    "value", ["ann", "@fabrikam.example", "ann@", "ann smith@x.example", "", 7]
)
def test_an_address_must_be_shaped_like_one(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        normalise_address(value, "sender")

    assert info.value.field == "sender"
    assert info.value.value is None  # addresses are personal: never echoed


def test_a_message_normalises_its_addresses_and_subject() -> None:
    message = MailMessage(
        message_id="  <m1@x> ",
        sender="Ann@Fabrikam.example",
        recipients=["Jo@Cronus.example", "jo@cronus.example", "Tim@Cronus.example"],
        sent_at=SENT,
        subject="Re:\r\n  your\tquote ",
    )

    assert message.message_id == "<m1@x>"
    assert message.sender == "ann@fabrikam.example"
    assert message.recipients == ("jo@cronus.example", "tim@cronus.example")
    assert message.subject == "Re: your quote"
    assert (message.synthetic_id, message.source) == (False, "")


def test_a_message_keeps_personal_data_out_of_its_repr() -> None:
    text = repr(_message("ann@fabrikam.example", "jo@cronus.example"))

    assert "ann@" not in text
    assert "jo@" not in text
    assert "Quote" not in text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message_id": "  "}, "message_id"),
        ({"message_id": None}, "message_id"),
        ({"sender": "nobody"}, "sender"),
        ({"recipients": "jo@cronus.example"}, "recipients"),
        ({"recipients": 3}, "recipients"),
        ({"recipients": ["jo@cronus.example", "bad"]}, "recipients"),
        ({"subject": None}, "subject"),
        ({"sent_at": dt.datetime(2026, 3, 2, 9, 30)}, "sent_at"),  # noqa: DTZ001
        ({"sent_at": dt.date(2026, 3, 2)}, "sent_at"),
        (
            {
                "sent_at": dt.datetime(
                    9999, 12, 31, 23, 30, tzinfo=dt.timezone(-dt.timedelta(hours=1))
                )
            },
            "sent_at",
        ),
        ({"synthetic_id": 1}, "synthetic_id"),
        ({"source": None}, "source"),
    ],
)
def test_a_message_refuses_bad_values(changes: dict[str, object], field: str) -> None:
    values: dict[str, object] = {
        "message_id": "<m1@x>",
        "sender": "ann@fabrikam.example",
        "recipients": ["jo@cronus.example"],
        "sent_at": SENT,
    }
    values.update(changes)

    with pytest.raises(ValidationError) as info:
        MailMessage(**values)  # type: ignore[arg-type]

    assert info.value.field == field


def test_of_keeps_a_given_message_id() -> None:
    message = MailMessage.of(
        message_id="<m1@x>",
        sender="ann@fabrikam.example",
        recipients=iter(["jo@cronus.example"]),
        sent_at=SENT,
        source="a.eml",
    )

    assert (message.message_id, message.synthetic_id, message.source) == (
        "<m1@x>",
        False,
        "a.eml",
    )
    assert message.recipients == ("jo@cronus.example",)


@pytest.mark.parametrize("missing", [None, "", "  "])
def test_of_makes_up_a_stable_id_for_a_message_without_one(missing: str | None) -> None:
    def read() -> MailMessage:
        return MailMessage.of(
            message_id=missing,
            sender="Ann@Fabrikam.example",
            recipients=iter(["jo@cronus.example"]),
            sent_at=SENT,
            subject="Quote",
        )

    first, again = read(), read()

    assert first.synthetic_id
    assert first.message_id == again.message_id
    assert first.message_id.endswith("@synthetic.relationship-mgmt.invalid>")


def test_the_synthetic_id_depends_on_the_headers_not_their_spelling() -> None:
    base = {
        "sender": "ann@fabrikam.example",
        "recipients": ["jo@cronus.example"],
        "subject": "Quote",
        "sent_at": SENT,
    }
    same = {**base, "sender": " ANN@fabrikam.example", "subject": "Quote "}
    other = {**base, "subject": "Invoice"}
    later = {**base, "sent_at": SENT + dt.timedelta(seconds=1)}
    elsewhere = {**base, "sent_at": SENT.astimezone(dt.timezone(dt.timedelta(hours=2)))}

    made = [
        synthetic_message_id(**values)  # type: ignore[arg-type]
        for values in (base, same, other, later, elsewhere)
    ]

    assert made[0] == made[1] == made[4]
    assert len(set(made)) == 3


def test_the_synthetic_id_refuses_a_naive_instant() -> None:
    with pytest.raises(ValidationError):
        synthetic_message_id(
            sender="a@x.example",
            recipients=[],
            subject="",
            sent_at=dt.datetime(2026, 3, 2),  # noqa: DTZ001
        )


def test_the_idempotency_key_names_the_contact_and_the_message() -> None:
    assert email_idempotency_key("<m1@x>", "CT1") == "email:CT1:<m1@x>"


def test_a_message_id_too_long_for_the_key_is_hashed() -> None:
    long_id = "<" + "x" * 240 + "@x>"

    key = email_idempotency_key(long_id, "CT000001")

    assert len(key) <= 250
    assert key.startswith("email:CT000001:sha256:")
    assert key == email_idempotency_key(long_id, "CT000001")
    assert key != email_idempotency_key(long_id + "y", "CT000001")


def test_unreadable_messages_and_errors_are_plain_values() -> None:
    assert UnreadableMessage(source="a", reason="b") == UnreadableMessage(
        source="a", reason="b"
    )
    assert IngestError(source="a", message_id="<m>", reason="r").reason == "r"


def test_an_empty_report_counts_nothing() -> None:
    report = IngestReport()

    assert (report.messages_read, report.entries_logged, report.duplicates_skipped) == (
        0,
        0,
        0,
    )
    assert (dict(report.unmatched), dict(report.privacy_blocked), report.errors) == (
        {},
        {},
        (),
    )


# --- the address book ------------------------------------------------------------------------


def test_the_book_matches_addresses_without_regard_to_case() -> None:
    book = _book(contacts=[("CT1", "Ann@Fabrikam.example;ann2@fabrikam.example")])

    assert book.contacts_of(" ANN@fabrikam.example") == ("CT1",)
    assert book.contacts_of("ann2@fabrikam.example") == ("CT1",)
    assert book.contacts_of("bob@fabrikam.example") == ()
    assert book.salesperson_of("JO@cronus.example") == "JO"
    assert book.salesperson_of("ann@fabrikam.example") is None


def test_an_address_shared_by_contacts_belongs_to_each_once() -> None:
    book = _book(
        contacts=[
            ("CT1", "info@fabrikam.example"),
            ("CT1", "INFO@fabrikam.example"),
            ("CT2", "info@fabrikam.example"),
        ]
    )

    assert book.contacts_of("info@fabrikam.example") == ("CT1", "CT2")


def test_blocked_salespeople_are_no_candidates_and_the_first_code_wins() -> None:
    blocked = Salesperson(code="AA", email="shared@cronus.example", blocked=True)
    private = Salesperson(code="AB", email="ab@cronus.example", privacy_blocked=True)
    first = Salesperson(code="BB", email="x@y.example", email_2="shared@cronus.example")
    second = Salesperson(code="CC", email="shared@cronus.example")

    book = _book(salespeople=[second, private, first, blocked])

    assert book.salesperson_of("shared@cronus.example") == "BB"
    assert book.salesperson_of("x@y.example") == "BB"
    assert book.salesperson_of("ab@cronus.example") is None


def test_own_means_an_own_domain_or_a_salespersons_address() -> None:
    book = _book(
        salespeople=[Salesperson(code="JO", email="jo@gmail.example")],
        setup=RelationshipSetup(own_email_domains="cronus.example;cronus.co.uk"),
    )

    assert book.is_own("anyone@cronus.example")
    assert book.is_own("Anyone@Sales.Cronus.co.uk")
    assert book.is_own("jo@gmail.example")
    assert not book.is_own("ann@gmail.example")
    assert not book.is_own("ann@notcronus.example")


@given(
    st.lists(
        st.sampled_from(["cronus", "example", "co", "uk", "sales", "x"]),
        min_size=1,
        max_size=4,
    ),
)
def test_own_domains_agree_with_the_setup(labels: list[str]) -> None:
    setup = RelationshipSetup(own_email_domains="cronus.example;co.uk")
    book = _book(salespeople=[], setup=setup)
    address = "someone@" + ".".join(labels)

    assert book.is_own(address) == setup.is_own_address(address)


# --- planning (§1.4) ------------------------------------------------------------------------


def test_from_a_salesperson_to_a_contact_is_outbound_by_us() -> None:
    book = _book()
    message = _message(
        "jo@cronus.example", "Ann@Fabrikam.example", subject="Your quote"
    )

    plan = book.plan(message, template_code="email")

    assert plan.direction is InformationFlow.OUTBOUND
    assert plan.salesperson_code == "JO"
    assert plan.contacts == (("CT1", "ann@fabrikam.example"),)
    assert (plan.unmatched, plan.no_salesperson, plan.without_salesperson) == (
        (),
        (),
        False,
    )
    (request,) = plan.requests
    assert request.contact_no == "CT1"
    assert request.template_code == "EMAIL"
    assert (request.date, request.time_of_interaction) == (
        dt.date(2026, 3, 2),
        dt.time(9, 30, 15),
    )
    assert (request.description, request.subject) == ("Your quote", "Your quote")
    assert request.salesperson_code == "JO"
    assert request.information_flow is InformationFlow.OUTBOUND
    assert request.initiated_by is InitiatedBy.US
    assert request.correspondence_type is CorrespondenceType.EMAIL
    assert request.contact_via == "ann@fabrikam.example"
    assert request.email_logged
    assert request.email_message_id == "<m1@x>"
    assert request.idempotency_key == "email:CT1:<m1@x>"


def test_from_a_contact_to_salespeople_is_inbound_by_them_with_the_first() -> None:
    book = _book(
        salespeople=[
            Salesperson(code="AL", email="al@cronus.example"),
            Salesperson(code="JO", email="jo@cronus.example"),
        ]
    )
    message = _message(
        "ann@fabrikam.example",
        "info@cronus.example",
        "jo@cronus.example",
        "al@cronus.example",
        "bob@litware.example",  # another contact in copy: not logged (no pair)
    )

    plan = book.plan(message, template_code="EMAIL")

    assert plan.direction is InformationFlow.INBOUND
    assert plan.salesperson_code == "JO"
    assert plan.contacts == (("CT1", "ann@fabrikam.example"),)
    (request,) = plan.requests
    assert request.information_flow is InformationFlow.INBOUND
    assert request.initiated_by is InitiatedBy.THEM
    assert (request.contact_no, request.salesperson_code) == ("CT1", "JO")


def test_each_recipient_contact_gets_its_own_request_once() -> None:
    book = _book(
        contacts=[
            ("CT1", "ann@fabrikam.example"),
            ("CT1", "ann.private@fabrikam.example"),
            ("CT2", "info@litware.example"),
            ("CT3", "info@litware.example"),
        ]
    )
    message = _message(
        "jo@cronus.example",
        "ann@fabrikam.example",
        "info@litware.example",
        "ann.private@fabrikam.example",
        "tim@cronus.example",  # internal copy: neither side
        "who@unknown.example",
    )

    plan = book.plan(message, template_code="EMAIL")

    assert [(r.contact_no, r.contact_via) for r in plan.requests] == [
        ("CT1", "ann@fabrikam.example"),
        ("CT2", "info@litware.example"),
        ("CT3", "info@litware.example"),
    ]
    assert len({r.idempotency_key for r in plan.requests}) == 3
    assert plan.unmatched == ("who@unknown.example",)
    assert "@fabrikam" not in repr(plan)
    assert "who@" not in repr(plan)


def test_an_own_sender_that_is_no_salesperson_logs_nothing() -> None:
    book = _book()
    message = _message("support@cronus.example", "ann@fabrikam.example", "x@y.example")

    plan = book.plan(message, template_code="EMAIL")

    assert plan.direction is InformationFlow.OUTBOUND
    assert plan.salesperson_code is None
    assert plan.requests == ()
    assert plan.contacts == (("CT1", "ann@fabrikam.example"),)
    assert plan.without_salesperson
    assert plan.no_salesperson == ("support@cronus.example",)
    assert plan.unmatched == ("x@y.example",)


def test_inbound_without_a_salesperson_recipient_logs_nothing() -> None:
    book = _book()
    message = _message("ann@fabrikam.example", "info@cronus.example", "z@y.example")

    plan = book.plan(message, template_code="EMAIL")

    assert plan.direction is InformationFlow.INBOUND
    assert plan.requests == ()
    assert plan.without_salesperson
    assert plan.no_salesperson == ("info@cronus.example",)


def test_an_unknown_sender_is_unmatched_and_not_without_salesperson() -> None:
    book = _book()
    message = _message("who@unknown.example", "jo@cronus.example")

    plan = book.plan(message, template_code="EMAIL")

    assert (plan.contacts, plan.requests) == ((), ())
    assert plan.unmatched == ("who@unknown.example",)
    assert not plan.without_salesperson


def test_internal_mail_has_no_contact_side() -> None:
    plan = _book().plan(
        _message("jo@cronus.example", "tim@cronus.example"), template_code="EMAIL"
    )

    assert (plan.contacts, plan.requests, plan.unmatched) == ((), (), ())


def test_the_entry_date_and_time_are_in_the_zone_given() -> None:
    zone = dt.timezone(dt.timedelta(hours=-10))
    message = _message("jo@cronus.example", "ann@fabrikam.example")

    (request,) = _book().plan(message, template_code="EMAIL", timezone=zone).requests

    assert (request.date, request.time_of_interaction) == (
        dt.date(2026, 3, 1),
        dt.time(23, 30, 15),
    )


def test_an_instant_the_zone_cannot_show_is_refused() -> None:
    message = MailMessage(
        message_id="<m1@x>",
        sender="jo@cronus.example",
        recipients=["ann@fabrikam.example"],
        sent_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
    )

    with pytest.raises(ValidationError) as info:
        _book().plan(
            message,
            template_code="EMAIL",
            timezone=dt.timezone(dt.timedelta(hours=2)),
        )

    assert info.value.field == "sent_at"


def test_long_texts_are_cut_to_the_entry_fields() -> None:
    long_address = "a" * 70 + "@fabrikam.example"
    long_id = "<" + "m" * 300 + "@x>"
    book = _book(contacts=[(ContactNo("CT1"), long_address)])
    message = _message(
        "jo@cronus.example", long_address, subject="s" * 150, message_id=long_id
    )

    (request,) = book.plan(message, template_code="EMAIL").requests

    assert (len(request.subject), len(request.description)) == (100, 100)
    assert request.contact_via == ""  # Contact Via is Text[80]
    assert request.email_message_id.startswith("sha256:")
    assert request.idempotency_key == email_idempotency_key(long_id, "CT1")


def test_a_blank_subject_leaves_the_description_to_the_template() -> None:
    message = _message("jo@cronus.example", "ann@fabrikam.example", subject="")

    (request,) = _book().plan(message, template_code="EMAIL").requests

    assert (request.description, request.subject) == ("", "")
