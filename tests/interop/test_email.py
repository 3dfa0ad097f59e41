"""Reading .eml files, folders of them and mboxes for e-mail logging (§1.4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from relationship_mgmt.domain.email_logging import MailMessage, UnreadableMessage
from relationship_mgmt.interop.email import _read_file, parse_message, read_messages

ONE = (
    b"From: Ann Smith <Ann@Fabrikam.example>\r\n"
    b"To: Jo <jo@cronus.example>,\r\n tim@cronus.example\r\n"
    b'Cc: "Brown, Bob" <bob@litware.example>, (nobody) <>\r\n'
    b"Subject: =?utf-8?q?Caf=C3=A9?= order\r\n"
    b"Date: Mon, 2 Mar 2026 10:30:00 +0100\r\n"
    b"Message-ID: <1@fabrikam.example>\r\n"
    b"\r\n"
    b"From the body: not a header.\r\n"
)


def _eml(
    *,
    sender: str = "ann@fabrikam.example",
    to: str = "jo@cronus.example",
    message_id: str | None = "<m@x>",
    date: str | None = "Mon, 2 Mar 2026 09:30:00 +0000",
    subject: str = "Hello",
    extra: str = "",
) -> str:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    if date is not None:
        lines.append(f"Date: {date}")
    if message_id is not None:
        lines.append(f"Message-ID: {message_id}")
    return "\n".join(lines) + "\n" + extra + "\nBody\n"


def _read(data: bytes) -> MailMessage:
    message = parse_message(data, source="test")
    assert isinstance(message, MailMessage), message
    return message


def test_a_message_yields_its_headers() -> None:
    message = _read(ONE)

    assert message.message_id == "<1@fabrikam.example>"
    assert message.sender == "ann@fabrikam.example"
    assert message.recipients == (
        "jo@cronus.example",
        "tim@cronus.example",
        "bob@litware.example",
    )
    assert message.subject == "Café order"
    assert message.sent_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert (message.synthetic_id, message.source) == (False, "test")


def test_raw_utf8_and_latin1_header_text_is_read() -> None:
    utf8 = _read(_eml(subject="Caf\u00e9").encode("utf-8"))
    latin1 = _read(_eml(subject="Caf\u00e9").encode("latin-1"))

    assert utf8.subject == latin1.subject == "Café"


def test_an_encoded_word_in_an_unknown_charset_is_kept_as_it_is() -> None:
    message = _read(_eml(subject="=?x-nonsense?q?abc?=").encode())

    assert message.subject == "=?x-nonsense?q?abc?="


def test_a_folded_message_id_is_joined() -> None:
    message = _read(_eml(message_id="\n <long.id@x>").encode())

    assert message.message_id == "<long.id@x>"


def test_a_message_without_message_id_gets_a_stable_synthetic_one() -> None:
    data = _eml(message_id=None).encode()

    first, again = _read(data), _read(data)

    assert first.synthetic_id
    assert first.message_id == again.message_id


def test_a_date_without_a_zone_is_utc() -> None:
    message = _read(_eml(date="Mon, 2 Mar 2026 09:30:00 -0000").encode())

    assert message.sent_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_without_a_date_the_oldest_received_time_is_taken() -> None:
    received = (
        "Received: from b by c; Mon, 2 Mar 2026 09:31:00 +0000\n"
        "Received: from a by b; Mon, 2 Mar 2026 09:30:05 +0000\n"
        "Received: from nowhere\n"
    )
    message = _read(_eml(date="not a date", extra=received).encode())

    assert message.sent_at == dt.datetime(2026, 3, 2, 9, 30, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_eml(sender="undisclosed-recipients:;"), "no sender address"),
        (_eml(sender="nobody"), "no sender address"),
        (_eml(date=None), "no usable Date header"),
        (b"\x00\xff garbage", "no sender address"),
    ],
)
def test_an_unusable_message_is_reported(data: str | bytes, reason: str) -> None:
    raw = data.encode() if isinstance(data, str) else data

    result = parse_message(raw, source="x.eml")

    assert result == UnreadableMessage(source="x.eml", reason=reason)


def test_a_message_the_domain_refuses_is_reported_as_malformed() -> None:
    # 23:30 on 31 Dec 9999 at -01:00 is past the last instant a datetime can hold.
    data = _eml(date="Fri, 31 Dec 9999 23:30:00 -0100").encode()

    result = parse_message(data, source="x.eml")

    assert isinstance(result, UnreadableMessage)
    assert result.reason.startswith("malformed: sent_at")


def test_an_eml_file_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "one.eml"
    path.write_bytes(ONE)

    (message,) = read_messages(path)

    assert isinstance(message, MailMessage)
    assert message.source == str(path)


def test_a_folder_yields_its_eml_files_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.EML").write_text(_eml(message_id="<b@x>"))
    (tmp_path / "a.eml").write_text(_eml(message_id="<a@x>"))
    (tmp_path / "c.eml").write_text(_eml(sender="nobody"))
    (tmp_path / "notes.txt").write_text(_eml(message_id="<txt@x>"))
    (tmp_path / "sub.eml").mkdir()
    (tmp_path / "sub.eml" / "d.eml").write_text(_eml(message_id="<d@x>"))

    found = list(read_messages(str(tmp_path)))

    assert [m.message_id for m in found if isinstance(m, MailMessage)] == [
        "<a@x>",
        "<b@x>",
    ]
    assert found[2] == UnreadableMessage(
        source=str(tmp_path / "c.eml"), reason="no sender address"
    )


def test_an_mbox_yields_each_message_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "inbox"
    path.write_text(
        "From MAILER-DAEMON Mon Mar  2 09:30:00 2026\n"
        + _eml(message_id="<1@x>", extra="")
        + "\n>From the body, escaped\n\n"
        + "From MAILER-DAEMON Mon Mar  2 09:31:00 2026\n"
        + _eml(sender="")
        + "\n"
        + "From MAILER-DAEMON Mon Mar  2 09:32:00 2026\n"
        + _eml(message_id=None, subject="no id")
        + "\n"
    )

    found = list(read_messages(path))

    assert len(found) == 3
    first, second, third = found
    assert isinstance(first, MailMessage)
    assert (first.message_id, first.source) == ("<1@x>", f"{path}[1]")
    assert second == UnreadableMessage(source=f"{path}[2]", reason="no sender address")
    assert isinstance(third, MailMessage)
    assert third.synthetic_id
    assert third.subject == "no id"


def test_a_file_that_cannot_be_read_is_reported(tmp_path: Path) -> None:
    result = _read_file(tmp_path / "gone.eml")

    assert isinstance(result, UnreadableMessage)
    assert result.reason.startswith("cannot be read:")


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_messages(tmp_path / "missing.mbox"))
