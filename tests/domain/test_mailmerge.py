"""Mail merge's pure part: the merge fields, the context and the messages (§4.9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.domain.campaigns import Campaign
from relationship_mgmt.domain.contacts import AlternativeAddress, Contact
from relationship_mgmt.domain.interactions import DeliveryStatus, InteractionLogEntry
from relationship_mgmt.domain.mailmerge import (
    MERGE_FIELDS,
    DeliveryOutcome,
    OutgoingMessage,
    html_to_text,
    merge_context,
    recipients_of,
    template_kind,
)
from relationship_mgmt.domain.salespeople import Salesperson
from relationship_mgmt.domain.segments import Segment
from relationship_mgmt.domain.setup import CorrespondenceType, RelationshipSetup
from relationship_mgmt.errors import ValidationError

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _ann(**fields: object) -> Contact:
    values: dict[str, object] = {
        "no": "CT1",
        "name": "Ann Q Smith",
        "email": "ann@example.com",
        "now": NOW,
        "setup": RelationshipSetup(),
        **fields,
    }
    return Contact.create_person(**values)  # type: ignore[arg-type]


def _entry(**fields: object) -> InteractionLogEntry:
    values: dict[str, object] = {
        "entry_no": 7,
        "contact_no": "CT1",
        "date": dt.date(2026, 3, 2),
        "description": "Spring mailing",
        "subject": "Spring",
        "interaction_template_code": "NEWS",
        "correspondence_type": "Email",
        "logged_segment_entry_no": 3,
        **fields,
    }
    return InteractionLogEntry(**values)  # type: ignore[arg-type]


def _message(**fields: object) -> OutgoingMessage:
    values: dict[str, object] = {
        "entry_no": 7,
        "logged_segment_entry_no": 3,
        "contact_no": "CT1",
        "correspondence_type": "Email",
        "recipients": ("ann@example.com",),
        "subject": "Spring",
        "text": "Hello",
        "date": NOW,
        **fields,
    }
    return OutgoingMessage(**values)  # type: ignore[arg-type]


def test_the_catalogue_names_fields_the_records_have() -> None:
    """Every catalogued field comes from the record, except the computed ones."""
    computed = {"salutation", "informal_salutation"}
    for record, kind in (
        ("contact", Contact),
        ("salesperson", Salesperson),
        ("campaign", Campaign),
    ):
        names = {a.name for a in attrs.fields(kind)}
        assert set(MERGE_FIELDS[record]) - computed <= names, record


def test_the_context_has_exactly_the_catalogue_and_only_strings() -> None:
    """B.6: plain dictionaries of strings, one per record, every field present."""
    context = merge_context(contact=_ann(), entry=_entry())

    assert {r: set(f) for r, f in context.items()} == {
        r: set(f) for r, f in MERGE_FIELDS.items()
    }
    assert all(
        type(value) is str for values in context.values() for value in values.values()
    )
    assert context["contact"]["first_name"] == "Ann"
    assert context["contact"]["type"] == "Person"
    assert context["interaction"]["entry_no"] == "7"
    assert context["interaction"]["logged_segment_entry_no"] == "3"
    assert context["salesperson"] == dict.fromkeys(MERGE_FIELDS["salesperson"], "")
    assert context["campaign"]["no"] == ""


def test_the_context_takes_the_segment_salesperson_and_campaign() -> None:
    jo = Salesperson(code="JO", name="Jo Smith", email="jo@cronus.example")
    campaign = Campaign(
        no="CP1",
        description="Spring",
        starting_date=dt.date(2026, 3, 1),
        ending_date=dt.date(2026, 5, 31),
    )
    segment = Segment(
        no="SM1",
        description="Spring mailing",
        date=dt.date(2026, 3, 2),
        subject_default="Spring news",
    )

    context = merge_context(
        contact=_ann(),
        entry=_entry(),
        segment=segment,
        salesperson=jo,
        campaign=campaign,
        salutation="Dear Ms. Smith",
        informal_salutation="Hi Ann",
    )

    assert context["salesperson"]["email"] == "jo@cronus.example"
    assert context["campaign"]["ending_date"] == "2026-05-31"
    assert context["segment"] == {
        "no": "SM1",
        "description": "Spring mailing",
        "date": "2026-03-02",
        "subject": "Spring news",
    }
    assert context["contact"]["salutation"] == "Dear Ms. Smith"
    assert context["contact"]["informal_salutation"] == "Hi Ann"


def test_the_context_is_a_copy_not_the_records() -> None:
    """Changing the context cannot reach the contact (no live entities, B.6)."""
    ann = _ann()
    context = merge_context(contact=ann, entry=_entry())

    context["contact"]["name"] = "Mallory"

    assert ann.name == "Ann Q Smith"


def test_the_active_alternative_address_gives_the_e_mail() -> None:
    """§3.4: the e-mail of the active alternative address wins."""
    ann = attrs.evolve(
        _ann(),
        alternative_addresses=(
            AlternativeAddress(code="WORK", email="ann@work.example"),
        ),
    )

    assert recipients_of(ann, "WORK") == ("ann@work.example",)
    assert recipients_of(ann, None) == ("ann@example.com",)
    assert recipients_of(_ann(email=""), None) == ()
    assert (
        merge_context(contact=ann, entry=_entry(contact_alt_address_code="WORK"))[
            "contact"
        ]["email"]
        == "ann@work.example"
    )


@pytest.mark.parametrize(
    ("file_name", "media_type", "kind"),
    [
        ("a.txt", "text/plain", "text"),
        ("a.txt", "text/plain; charset=utf-8", "text"),
        ("a.md", "text/markdown", "text"),
        ("a", "text/html", "html"),
        ("a.xhtml", "application/xhtml+xml", "html"),
        ("a.html", "application/octet-stream", "html"),
        ("a.HTM", "", "html"),
        ("a.j2", "application/octet-stream", "text"),
        ("a.pdf", "application/pdf", None),
        ("a.docx", "application/octet-stream", None),
        ("a.html", "application/pdf", None),
    ],
)
def test_template_kind(file_name: str, media_type: str, kind: str | None) -> None:
    assert template_kind(file_name, media_type) == kind


def test_html_to_text_keeps_the_words_and_the_paragraphs() -> None:
    html = (
        "<html><head><title>x</title><style>p {}</style></head><body>"
        "<p>Dear&nbsp;Ann &amp; Bo,</p><script>alert(1)</script>"
        "<p>Line<br>two</p><ol><li>a</li><li>b</li></ol></body></html>"
    )

    assert html_to_text(html) == "Dear\xa0Ann & Bo,\n\nLine\ntwo\n\n- a\n- b"


def test_a_message_refuses_line_breaks_in_headers() -> None:
    """No header injection: a subject or name with CR/LF is refused."""
    for field in ("subject", "recipient_name", "sender", "sender_name"):
        with pytest.raises(ValidationError) as info:
            _message(**{field: "Spring\r\nBcc: all@example.com"})
        assert info.value.field == field
    with pytest.raises(ValidationError):
        _message(recipients=("a@example.com\nBcc: b@example.com",))


def test_an_e_mail_needs_recipients_and_a_printed_letter_none() -> None:
    with pytest.raises(ValidationError) as info:
        _message(recipients=())
    assert info.value.field == "recipients"

    letter = _message(correspondence_type="Hard Copy", recipients=())

    assert letter.correspondence_type is CorrespondenceType.HARD_COPY


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("correspondence_type", ""),
        ("correspondence_type", "Fax"),
        ("date", dt.datetime(2026, 3, 2, 9, 0)),  # noqa: DTZ001 - the naive value refused
        ("entry_no", 0),
        ("entry_no", True),
        ("recipients", "ann@example.com"),
        ("recipients", (42,)),
        ("subject", None),
        ("text", None),
        ("html", b"<p>"),
    ],
)
def test_a_message_refuses_bad_values(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        _message(**{field: value})


def test_the_message_id_is_stable_and_names_the_sender_domain() -> None:
    first = _message(sender="jo@cronus.example")

    assert first.message_id == _message(sender="jo@cronus.example").message_id
    assert first.message_id.startswith("<rm.3.7.")
    assert first.message_id.endswith("@cronus.example>")
    assert _message(text="Other").message_id != _message().message_id
    assert _message().message_id.endswith("@relationship-mgmt.invalid>")


def test_delivery_outcome() -> None:
    """§3.7: ' ' after sending, Error when it failed."""
    sent = DeliveryOutcome(entry_no=1, contact_no="CT1", status="", reference="x.eml")
    failed = DeliveryOutcome(
        entry_no=2, contact_no="CT2", status=DeliveryStatus.ERROR, error="disk full"
    )

    assert (sent.delivered, failed.delivered) == (True, False)
    with pytest.raises(ValidationError):
        DeliveryOutcome(entry_no=1, contact_no="CT1", status="Sent")


@given(
    name=st.text(min_size=1, max_size=50).filter(
        lambda s: s.strip() and "\n" not in s and "\r" not in s
    ),
    description=st.text(max_size=100),
    cost=st.decimals(min_value=0, max_value=1000, places=2),
)
def test_any_record_values_give_a_context_of_strings(
    name: str, description: str, cost: Decimal
) -> None:
    try:
        contact = _ann(name=name)
    except ValidationError:
        return  # a name the contact refuses never reaches a merge
    entry = _entry(description=description, cost_lcy=cost)

    context = merge_context(contact=contact, entry=entry)

    assert context["interaction"]["description"] == description
    assert all(
        isinstance(value, str)
        for values in context.values()
        for value in values.values()
    )
