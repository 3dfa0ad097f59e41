"""The ``relmgmt demo`` chapter on segments and their criteria (spec §4)."""

from __future__ import annotations

import email
import tempfile
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.adapters.delivery import EmlOutbox
from relationship_mgmt.cli.segments import (
    criteria_from,
    criteria_text,
    segment_lines_table,
)

__all__ = ["segments_chapter"]

_NEWSLETTER = """<p>Dear {{ contact.salutation or contact.name }},</p>
<p>Our spring range is in: {{ segment.description }}.</p>
<p>Kind regards,<br>{{ salesperson.name }}</p>
"""


def segments_chapter(crm: rm.Crm, console: Console) -> None:
    """Add Contacts, Refine, Go Back and explain, with BC filters and rm.where."""
    console.print(
        "A segment (§4) is a working list of contacts built with criteria: Add "
        "Contacts, Reduce and Refine, each recorded so that Go Back undoes it. The "
        "criteria are data (a typed tree) written in BC's filter notation or with "
        "rm.where, compiled once into one Python function."
    )
    segment = crm.segments.create(description="Spring mailing")
    everyone = criteria_from(["name=<>''"], [], 1)
    added = crm.segments.add_contacts(segment.no, everyone)
    console.print(
        f"Segment {segment.no}: Add Contacts [bold]{criteria_text(everyone)}[/bold] "
        f"added {len(added)} contacts, sorted as BC sorts them (company, then type "
        "and name)."
    )
    talked_to = rm.where.has("interaction") | rm.where.name.contains(
        "cronus", ignore_case=True
    )
    removed = crm.segments.refine(segment.no, talked_to)
    kept = crm.segments.get(segment.no)
    console.print(
        f"Refine to contacts with an interaction or 'cronus' in the name removed "
        f"{len(removed)} lines; {len(kept.lines)} remain:"
    )
    console.print(segment_lines_table(kept))
    back = crm.segments.go_back(segment.no)
    console.print(
        f"Go Back undid the refine exactly: {len(back.lines)} lines again, "
        f"{back.no_of_criteria_actions} criteria action recorded."
    )
    crm.segments.refine(segment.no, talked_to)
    outsider = next(
        (line.contact_no for line in back.lines if line.contact_no not in
         {x.contact_no for x in crm.segments.get(segment.no).lines}),
        None,
    )  # fmt: skip
    if outsider is not None:
        proof = crm.segments.explain(talked_to, outsider)
        console.print(f"Why {outsider} was refined away:")
        console.print("\n".join(proof.lines()), markup=False, highlight=False)

    _other_actions(crm, console, segment.no)
    _mail_merge(crm, console)


def _other_actions(crm: rm.Crm, console: Console, no: str) -> None:
    """In-segment chains without loops, Create Tasks and Apply Mailing Group (§4.10)."""
    follow = crm.segments.create(description="Spring mailing, persons").no
    crm.segments.add_contacts(
        follow, rm.where.in_segment(no) & (rm.where.type == "Person")
    )
    try:
        crm.segments.add_contacts(no, rm.where.in_segment(follow))
    except rm.ValidationError as refused:
        console.print(
            f"{follow} is built from {no}, so {no} may not be built from {follow}: "
            f"{refused.reason}.",
            markup=False,
            highlight=False,
        )
    calls = crm.segments.create_tasks(
        no,
        salesperson_code="JO",
        type="Phone Call",
        description="Invite to the spring fair",
    )
    console.print(
        f"Create Tasks (§4.10, §7.5): {len(calls)} phone calls, one per line, each "
        "with its contact's sub-task, all in one unit of work."
    )
    applied = crm.segments.apply_mailing_group(no, "NEWSLETTER")
    console.print(f"{applied.message} {len(applied.added)} contact(s) joined.")


def _mail_merge(crm: rm.Crm, console: Console) -> None:
    """Log a segment with Send: a Jinja2 merge, delivered as .eml files (§4.9)."""
    crm.interactions.create_template(
        "SPRING", group="SALES", description="Spring newsletter", initiated_by="Us"
    )
    crm.interactions.attach_to_template(
        "SPRING",
        "",
        _NEWSLETTER.encode(),
        file_name="spring.html",
        media_type="text/html",
    )
    mailing = crm.segments.create(
        description="Spring newsletter",
        template="SPRING",
        salesperson_code="JO",
        subject_default="Spring news for {{ contact.company_name or contact.name }}",
    )
    crm.segments.add_contacts(mailing.no, rm.where.email != "")
    with tempfile.TemporaryDirectory() as folder:
        log = crm.segments.log(mailing.no, deliver=True, outbox=EmlOutbox(folder))
        files = sorted(p.name for p in Path(folder).glob("*.eml"))
        first = email.message_from_bytes(
            (Path(folder) / files[0]).read_bytes(), policy=default
        )
    delivered = sum(1 for outcome in log.deliveries if outcome.delivered)
    console.print(
        f"Logging {mailing.no} with Send (§4.9) merged SPRING's HTML template for "
        f"each line in Jinja2's sandbox and wrote {len(files)} .eml file(s) to a "
        f"temporary outbox; {delivered} entries went from Delivery Status In "
        "Progress to blank (delivered):"
    )
    console.print("\n".join(files), markup=False, highlight=False)
    assert isinstance(first, EmailMessage)  # noqa: S101 - the default policy's type
    body = first.get_body(preferencelist=("plain",))
    text = "" if body is None else body.get_content()
    console.print(f"Subject: {first['Subject']}", markup=False, highlight=False)
    console.print(
        "\n".join(text.strip().splitlines()[:3]), markup=False, highlight=False
    )
