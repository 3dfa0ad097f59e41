"""The ``relmgmt demo`` chapter on segments and their criteria (spec §4)."""

from __future__ import annotations

from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli.segments import (
    criteria_from,
    criteria_text,
    segment_lines_table,
)

__all__ = ["segments_chapter"]


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
