"""The outboxes: RFC 5322 .eml files written atomically, and the in-memory one (§4.9)."""

from __future__ import annotations

import datetime as dt
import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.adapters.delivery import (
    EmlOutbox,
    InMemoryOutbox,
    build_email,
    file_name,
)
from relationship_mgmt.domain.email_logging import MailMessage
from relationship_mgmt.domain.mailmerge import OutgoingMessage
from relationship_mgmt.errors import DeliveryError, ValidationError
from relationship_mgmt.interop.email import read_messages
from relationship_mgmt.ports.delivery import Outbox
from relationship_mgmt.testing.contracts import OutboxContract

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class TestEmlOutbox(OutboxContract):
    @pytest.fixture
    def outbox(self, tmp_path: Path) -> Outbox:
        return EmlOutbox(tmp_path / "out")


class TestInMemoryOutbox(OutboxContract):
    @pytest.fixture
    def outbox(self) -> Outbox:
        return InMemoryOutbox()


def _message(**fields: object) -> OutgoingMessage:
    values: dict[str, object] = {
        "entry_no": 12,
        "logged_segment_entry_no": 3,
        "contact_no": "CT000004",
        "correspondence_type": "Email",
        "recipients": ("ann@example.com",),
        "recipient_name": "Ann Smith",
        "sender": "jo@cronus.example",
        "sender_name": "Jo Smith",
        "subject": "Spring offer",
        "text": "Dear Ann,\n\nour spring offer.\n",
        "date": NOW,
        **fields,
    }
    return OutgoingMessage(**values)  # type: ignore[arg-type]


def _lf(text: str) -> str:
    """A body as read back: the file's CRLF line ends (RFC 5322) made LF again."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_an_eml_file_parses_back_with_the_standard_library(tmp_path: Path) -> None:
    outbox: Outbox = EmlOutbox(tmp_path / "out")
    message = _message(html="<p>Dear Ann,</p><p>our spring offer.</p>")

    name = outbox.deliver(message)

    parsed = _parse(tmp_path / "out" / name)
    assert name == "000003-00000012-CT000004.eml"
    assert parsed["Subject"] == "Spring offer"
    assert parsed["From"] == "Jo Smith <jo@cronus.example>"
    assert parsed["To"] == "Ann Smith <ann@example.com>"
    assert parsed["Message-ID"] == message.message_id
    assert parsed["Date"].datetime == NOW
    assert parsed["X-Relationship-Mgmt-Entry-No"] == "12"
    assert parsed["X-Relationship-Mgmt-Logged-Segment"] == "3"
    assert parsed["X-Relationship-Mgmt-Correspondence"] == "Email"
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert _lf(text.get_content()) == message.text
    assert _lf(html.get_content()) == "<p>Dear Ann,</p><p>our spring offer.</p>\n"


def test_a_text_message_is_a_single_part_and_lines_end_in_crlf(tmp_path: Path) -> None:
    name = EmlOutbox(tmp_path).deliver(_message())
    raw = (tmp_path / name).read_bytes()

    assert _parse(tmp_path / name).get_content_type() == "text/plain"
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_non_ascii_headers_and_several_recipients_round_trip(tmp_path: Path) -> None:
    message = _message(
        subject="Frühjahrsangebot für Jörg: 10 %",
        recipient_name="Jörg Müller",
        recipients=("jorg@example.com", "office@example.com"),
        text="Grüße\n",
    )

    parsed = _parse(tmp_path / EmlOutbox(tmp_path).deliver(message))

    assert parsed["Subject"] == message.subject
    assert parsed["To"].addresses[0].display_name == "Jörg Müller"
    assert [a.addr_spec for a in parsed["To"].addresses] == [
        "jorg@example.com",
        "office@example.com",
    ]
    body = parsed.get_body()
    assert body is not None
    assert _lf(body.get_content()) == "Grüße\n"


def test_a_message_without_a_sender_uses_the_outbox_sender(tmp_path: Path) -> None:
    outbox = EmlOutbox(tmp_path, sender="noreply@cronus.example")

    parsed = _parse(tmp_path / outbox.deliver(_message(sender="", sender_name="")))

    assert parsed["From"] == "noreply@cronus.example"
    with pytest.raises(ValidationError):
        EmlOutbox(tmp_path, sender="nobody")


def test_a_hard_copy_is_marked_for_printing(tmp_path: Path) -> None:
    """Hard Copy correspondence: a .print.eml without To, for whoever prints."""
    letter = _message(correspondence_type="Hard Copy", recipients=())

    name = EmlOutbox(tmp_path).deliver(letter)

    parsed = _parse(tmp_path / name)
    assert name == "000003-00000012-CT000004.print.eml"
    assert parsed["To"] is None
    assert parsed["X-Relationship-Mgmt-Correspondence"] == "Hard Copy"


def test_file_names_are_safe_and_deterministic() -> None:
    odd = _message(contact_no="../CT 1/é", logged_segment_entry_no=None)

    assert file_name(odd) == "000000-00000012-.._CT_1__.eml"
    assert file_name(odd) == file_name(odd)
    assert "/" not in file_name(odd)


def test_delivering_again_replaces_the_file(tmp_path: Path) -> None:
    outbox = EmlOutbox(tmp_path)
    outbox.deliver(_message(text="first"))

    name = outbox.deliver(_message(text="second"))

    assert [p.name for p in tmp_path.iterdir()] == [name]
    body = _parse(tmp_path / name).get_body()
    assert body is not None
    assert body.get_content().strip() == "second"


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Atomic: a temporary file, fsync, rename; a failure removes the temporary."""

    def refuse(self: Path, target: object) -> Path:
        del self, target
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)

    with pytest.raises(DeliveryError) as info:
        EmlOutbox(tmp_path).deliver(_message())

    assert info.value.entry_no == 12
    assert list(tmp_path.iterdir()) == []


def test_an_unusable_folder_is_a_delivery_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")

    with pytest.raises(DeliveryError):
        EmlOutbox(blocker / "out").deliver(_message())


def test_an_address_the_email_package_refuses_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError) as info:
        build_email(_message(recipients=("not-an-address",)))

    assert info.value.entry_no == 12


def test_the_files_read_back_as_mail_for_logging(tmp_path: Path) -> None:
    """interop.email reads the outbox (§1.4): sender, recipients, subject, id."""
    message = _message()
    EmlOutbox(tmp_path).deliver(message)

    (read,) = read_messages(tmp_path)

    assert isinstance(read, MailMessage)
    assert (read.sender, read.recipients, read.subject, read.message_id) == (
        "jo@cronus.example",
        ("ann@example.com",),
        "Spring offer",
        message.message_id,
    )


def test_the_memory_outbox_keeps_one_copy_per_entry() -> None:
    outbox = InMemoryOutbox()

    outbox.deliver(_message(text="first"))
    outbox.deliver(_message(entry_no=13))
    outbox.deliver(_message(text="again"))

    assert [(m.entry_no, m.text) for m in outbox.messages] == [
        (12, "again"),
        (13, "Dear Ann,\n\nour spring offer.\n"),
    ]


_HEADER_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"
    ),
    max_size=120,
).map(lambda s: " ".join(s.split()))


@given(subject=_HEADER_TEXT, text=st.text(max_size=300), name=_HEADER_TEXT)
def test_any_subject_and_body_round_trip(subject: str, text: str, name: str) -> None:
    """What the merge produced is what a mail client reads."""
    message = _message(subject=subject, text=text, recipient_name=name)

    parsed = email.message_from_bytes(build_email(message).as_bytes(), policy=default)

    assert isinstance(parsed, EmailMessage)
    assert str(parsed["Subject"] or "") == subject
    body = parsed.get_body()
    assert body is not None
    assert _lf(body.get_content()).rstrip("\n") == _lf(text).rstrip("\n")
