"""Logging a segment with Send: merge, outbox, Delivery Status (§4.9, §3.7).

Run on the in-memory adapter and on SQLite.
"""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest

import relationship_mgmt as rm
from relationship_mgmt.adapters.delivery import EmlOutbox, InMemoryOutbox
from relationship_mgmt.adapters.mailmerge import JinjaRenderer
from relationship_mgmt.domain.interactions import DeliveryStatus
from relationship_mgmt.domain.mailmerge import OutgoingMessage
from relationship_mgmt.services.segments import SegmentService
from relationship_mgmt.testing import FrozenClock

where = rm.where
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LETTER = (
    "{{ contact.salutation or 'Dear ' ~ contact.name }},\n"
    "{{ segment.description }} from {{ salesperson.name }}"
    "{% if campaign.no %} ({{ campaign.description }}){% endif %}.\n"
)


class World:
    """Two persons with e-mail, one without, a salesperson and a NEWS template."""

    def __init__(self, crm: rm.Crm, outbox: InMemoryOutbox) -> None:
        self.crm = crm
        self.outbox = outbox
        crm.setup.use_default_number_series()
        crm.salespeople.create("jo", name="Jo Smith", email="jo@cronus.example")
        crm.interactions.create_group("mail")
        crm.interactions.create_template(
            "news", group="mail", description="Spring news", correspondence_type="Email"
        )
        crm.interactions.attach_to_template(
            "news", "", LETTER.encode(), file_name="news.txt", media_type="text/plain"
        )
        self.ann = crm.contacts.create_person(
            name="Ann Smith", email="ann@example.com"
        ).no
        self.bo = crm.contacts.create_person(name="Bo Berg", email="bo@example.com").no

    def segment(self, **fields: object) -> str:
        values: dict[str, object] = {
            "description": "Spring mailing",
            "template": "news",
            "salesperson_code": "jo",
            "subject_default": "Spring for {{ contact.name }}",
            **fields,
        }
        no = self.crm.segments.create(**values).no  # type: ignore[arg-type]
        self.crm.segments.add_contacts(no, where.email != "")
        return no

    def nothing_written(self, no: str) -> None:
        """The log was refused whole: the segment stands, no entry, no register."""
        assert self.crm.segments.get(no).lines
        assert self.crm.segments.logged_segments() == []
        assert [e for e in self.crm.interactions.list() if e.segment_no == no] == []
        assert self.outbox.messages == []


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    url = None if request.param == "memory" else "sqlite://"
    outbox = InMemoryOutbox()
    with rm.open(url, clock=FrozenClock(NOW), outbox=outbox) as crm:
        yield World(crm, outbox)


def test_send_merges_delivers_and_clears_the_delivery_status(world: World) -> None:
    """§4.9 Send, §3.7: In Progress while sending, then ' ' for each delivered line."""
    no = world.segment()

    log = world.crm.segments.log(no, deliver=True)

    messages = world.outbox.messages
    assert [m.recipients for m in messages] == [
        ("ann@example.com",),
        ("bo@example.com",),
    ]
    ann = messages[0]
    assert ann.subject == "Spring for Ann Smith"
    assert ann.text == "Dear Ann Smith,\nSpring mailing from Jo Smith.\n"
    assert ann.html is None
    assert (ann.sender, ann.sender_name, ann.recipient_name) == (
        "jo@cronus.example",
        "Jo Smith",
        "Ann Smith",
    )
    assert ann.date == NOW
    assert ann.logged_segment_entry_no == log.logged.entry_no
    assert [d.status for d in log.deliveries] == [DeliveryStatus.BLANK] * 2
    assert [d.reference for d in log.deliveries] == [
        f"000001-{e.entry_no:08d}-{e.contact_no}.eml" for e in log.entries
    ]
    stored = [world.crm.interactions.get(e.entry_no) for e in log.entries]
    assert stored == list(log.entries)
    assert {(e.delivery_status, e.merged) for e in stored} == {
        (DeliveryStatus.BLANK, True)
    }


def test_an_html_template_gives_an_html_message_with_a_text_alternative(
    world: World,
) -> None:
    world.crm.interactions.attach_to_template(
        "news",
        "",
        b"<p>Dear {{ contact.name }},</p><p>{{ segment.description }}</p>",
        file_name="news.html",
        media_type="text/html",
    )
    world.crm.contacts.change(world.bo, name="Bo <b>Berg</b>")

    world.crm.segments.log(world.segment(), deliver=True)

    bo = world.outbox.messages[1]
    assert bo.html == "<p>Dear Bo &lt;b&gt;Berg&lt;/b&gt;,</p><p>Spring mailing</p>"
    assert bo.text == "Dear Bo <b>Berg</b>,\n\nSpring mailing"


def test_the_campaign_and_salutation_reach_the_template(world: World) -> None:
    world.crm.campaigns.create(no="CP1", description="Spring campaign")
    world.crm.setup.add_records(
        [
            rm.Salutation(code="F", description="Formal"),
            rm.SalutationFormula(
                salutation_code="F",
                salutation="Dear Ms. %1",
                names=(rm.SalutationName.SURNAME,),
            ),
        ]
    )
    world.crm.contacts.change(world.ann, salutation_code="F")

    world.crm.segments.log(world.segment(campaign_no="CP1"), deliver=True)

    ann, bo = world.outbox.messages
    assert (
        ann.text == "Dear Ms. Smith,\nSpring mailing from Jo Smith (Spring campaign).\n"
    )
    assert bo.text.startswith("Dear Bo Berg,")


def test_deliver_without_an_outbox_is_refused_before_anything_is_written(
    world: World,
) -> None:
    no = world.segment()
    bare = SegmentService(
        world.crm.uow_factory,
        world.crm.clock,
        attachments=world.crm.attachments,
        renderer=JinjaRenderer(),
    )

    with pytest.raises(rm.ValidationError) as info:
        bare.log(no, deliver=True)

    assert info.value.field == "outbox"
    world.nothing_written(no)


def test_an_outbox_given_to_log_wins(world: World, tmp_path: Path) -> None:
    """log(outbox=...) as the CLI does: .eml files in a folder."""
    no = world.segment()

    log = world.crm.segments.log(no, deliver=True, outbox=EmlOutbox(tmp_path))

    files = sorted(p.name for p in tmp_path.glob("*.eml"))
    assert files == [d.reference for d in log.deliveries]
    parsed = email.message_from_bytes(
        (tmp_path / files[0]).read_bytes(), policy=default
    )
    assert parsed["Subject"] == "Spring for Ann Smith"
    assert parsed["X-Relationship-Mgmt-Entry-No"] == str(log.entries[0].entry_no)
    assert world.outbox.messages == []


def test_a_template_that_fails_refuses_the_whole_log(world: World) -> None:
    """All or nothing: every message is rendered before anything is written."""
    world.crm.interactions.attach_to_template(
        "news", "", b"Dear {{ contact.shoe_size }}", file_name="news.txt"
    )
    no = world.segment()

    with pytest.raises(rm.TemplateError) as info:
        world.crm.segments.log(no, deliver=True)

    assert "contact.shoe_size" in info.value.reason
    assert "news.txt" in info.value.template
    world.nothing_written(no)


def test_a_render_failure_on_one_line_refuses_the_whole_log(world: World) -> None:
    """StrictUndefined on the second contact's data: nothing is written."""
    world.crm.interactions.attach_to_template(
        "news",
        "",
        b"{% if contact.name == 'Bo Berg' %}{{ contact.name.nope }}{% endif %}x",
        file_name="news.txt",
    )
    no = world.segment()

    with pytest.raises(rm.TemplateError):
        world.crm.segments.log(no, deliver=True)

    world.nothing_written(no)


def test_a_subject_that_fails_refuses_the_whole_log(world: World) -> None:
    no = world.segment(subject_default="{{ ''.__class__ }}")

    with pytest.raises(rm.TemplateSecurityError):
        world.crm.segments.log(no, deliver=True)

    world.nothing_written(no)


def test_an_email_line_without_an_address_refuses_the_whole_log(world: World) -> None:
    """§3.4: asking to deliver without an e-mail is an error."""
    no = world.segment()
    eve = world.crm.contacts.create_person(name="Eve").no
    world.crm.segments.add_line(no, eve)

    with pytest.raises(rm.ValidationError) as info:
        world.crm.segments.log(no, deliver=True)

    assert info.value.field == "deliver"
    world.nothing_written(no)


def test_a_template_without_an_attachment_cannot_be_sent(world: World) -> None:
    """§4.9: an attachment (or Word template) is required to send."""
    world.crm.interactions.create_template(
        "bare", group="mail", correspondence_type="Email"
    )
    no = world.segment(template="bare")

    with pytest.raises(rm.ValidationError) as info:
        world.crm.segments.log(no, deliver=True)

    assert info.value.field == "attachment_no"
    world.nothing_written(no)


def test_an_attachment_that_is_not_a_template_is_refused(world: World) -> None:
    world.crm.interactions.attach_to_template(
        "news", "", b"%PDF-1.7", file_name="offer.pdf", media_type="application/pdf"
    )
    no = world.segment()

    with pytest.raises(rm.TemplateError) as info:
        world.crm.segments.log(no, deliver=True)

    assert "application/pdf" in info.value.reason
    world.nothing_written(no)


def test_an_attachment_that_is_not_utf8_is_refused(world: World) -> None:
    world.crm.interactions.attach_to_template(
        "news",
        "",
        "Grüße".encode("latin-1"),
        file_name="news.txt",
        media_type="text/plain",
    )
    no = world.segment()

    with pytest.raises(rm.TemplateError, match="UTF-8"):
        world.crm.segments.log(no, deliver=True)

    world.nothing_written(no)


class _RefusingOutbox:
    """Refuses the messages of some contacts (an injected fault)."""

    def __init__(self, inner: InMemoryOutbox, refused: set[str]) -> None:
        self.inner = inner
        self.refused = refused

    def deliver(self, message: OutgoingMessage) -> str:
        if message.contact_no in self.refused:
            raise rm.DeliveryError(message.entry_no, "mailbox full")
        return self.inner.deliver(message)


def test_an_outbox_failure_marks_that_entry_and_keeps_the_rest(world: World) -> None:
    """§3.7: a message that fails gets Delivery Status Error; the log stands."""
    no = world.segment()
    outbox = _RefusingOutbox(world.outbox, {world.bo})

    log = world.crm.segments.log(no, deliver=True, outbox=outbox)

    by_contact = {d.contact_no: d for d in log.deliveries}
    assert by_contact[world.ann].delivered
    assert by_contact[world.bo].status is DeliveryStatus.ERROR
    assert "mailbox full" in by_contact[world.bo].error
    stored = {
        e.contact_no: world.crm.interactions.get(e.entry_no).delivery_status
        for e in log.entries
    }
    assert stored == {world.ann: DeliveryStatus.BLANK, world.bo: DeliveryStatus.ERROR}
    assert world.crm.segments.logged_segments() == [log.logged]
    assert [m.contact_no for m in world.outbox.messages] == [world.ann]


def test_any_outbox_exception_is_an_error_status(world: World) -> None:
    """A host's outbox that raises something else still only marks its entry."""

    class Broken:
        def deliver(self, message: OutgoingMessage) -> str:
            raise OSError(f"connection reset ({message.entry_no})")

    log = world.crm.segments.log(world.segment(), deliver=True, outbox=Broken())

    assert {d.status for d in log.deliveries} == {DeliveryStatus.ERROR}
    assert {e.delivery_status for e in log.entries} == {DeliveryStatus.ERROR}


def test_privacy_blocked_and_blank_lines_get_no_message(world: World) -> None:
    """§2.15: blocked contacts are left out; a blank correspondence type is not sent."""
    no = world.segment()
    world.crm.contacts.block_privacy(world.bo)
    cy = world.crm.contacts.create_person(
        name="Cy", email="cy@example.com", correspondence_type=""
    ).no
    world.crm.segments.add_line(no, cy)
    segment = world.crm.segments.get(no)
    cy_line = next(line for line in segment.lines if line.contact_no == cy)
    assert cy_line.correspondence_type == "Email"  # the template's default wins
    world.crm.segments.remove_line(no, cy_line.line_no)

    log = world.crm.segments.log(no, deliver=True)

    assert [m.contact_no for m in world.outbox.messages] == [world.ann]
    assert [r.contact_no for r in log.refused] == [world.bo]


def test_a_hard_copy_line_is_merged_for_printing(world: World) -> None:
    """Hard Copy: merged like an e-mail, with no recipients, marked for printing."""
    world.crm.interactions.create_template(
        "letter", group="mail", description="Letter", correspondence_type="Hard Copy"
    )
    world.crm.interactions.attach_to_template(
        "letter", "", b"{{ contact.name }}\n{{ contact.address }}", file_name="l.txt"
    )
    world.crm.contacts.change(world.ann, address="1 Main Street")
    no = world.segment(template="letter", subject_default="")

    log = world.crm.segments.log(no, deliver=True)

    letters = world.outbox.messages
    assert [m.correspondence_type for m in letters] == ["Hard Copy", "Hard Copy"]
    assert letters[0].recipients == ()
    assert letters[0].text == "Ann Smith\n1 Main Street"
    assert letters[0].subject == "Spring mailing"  # no subject: the description
    assert log.deliveries[0].reference.endswith(".print.eml")


def test_without_deliver_nothing_is_merged(world: World) -> None:
    log = world.crm.segments.log(world.segment())

    assert log.deliveries == ()
    assert world.outbox.messages == []
    assert {e.delivery_status for e in log.entries} == {DeliveryStatus.BLANK}
    assert not any(e.merged for e in log.entries)


def test_without_a_renderer_send_names_the_extra(world: World) -> None:
    no = world.segment()
    service = SegmentService(
        world.crm.uow_factory,
        world.crm.clock,
        attachments=world.crm.attachments,
        outbox=world.outbox,
    )

    with pytest.raises(rm.MissingOptionalDependencyError) as info:
        service.log(no, deliver=True)

    assert info.value.extra == "mailmerge"
    world.nothing_written(no)


def test_follow_up_and_send_together(world: World) -> None:
    log = world.crm.segments.log(world.segment(), deliver=True, follow_up=True)

    follow = [
        s for s in world.crm.segments.list() if s.description.startswith("Follow")
    ]
    assert len(follow) == 1
    assert sorted(follow[0].contact_nos) == sorted([world.ann, world.bo])
    assert len(log.deliveries) == 2
