"""The ``relmgmt demo`` chapter on duplicate contacts, merge and unmerge (spec §2.14)."""

from __future__ import annotations

from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli.duplicates import matches_table, plan_tables

__all__ = ["duplicates_chapter"]


def duplicates_chapter(crm: rm.Crm, console: Console) -> None:
    """Find two look-alike companies, plan and apply a merge, then undo it."""
    console.print(
        "Duplicate detection (spec §2.14) compares contacts by name, address, phone "
        "and e-mail. A merge is planned first (which value wins, and why), applied "
        "in one step, and can be undone."
    )
    a = crm.contacts.create_company(
        name="Fabrikam Industries",
        address="5 Harbour Road",
        city="Bristol",
        post_code="BS1 5TR",
        phone_no="0117 496 0123",
    )
    b = crm.contacts.create_company(
        name="Fabrikam Industries Ltd",
        address="5 Harbour Rd",
        city="Bristol",
        post_code="BS1 5TR",
        phone_no="0117 496 0123",
        email="sales@fabrikam.example",
    )
    person = crm.contacts.create_person(name="Nina Patel", company_no=b.no)
    pair = [m for m in crm.duplicates.find() if {m.left, m.right} == {a.no, b.no}]
    console.print(matches_table("Duplicates found", pair))
    checked = crm.duplicates.check(b.no, method="default")
    console.print(
        f"The check on insert reads the stored index (the holders of {b.no}'s own "
        f"keys, not every contact): {b.no} looks like "
        f"{', '.join(m.right for m in checked) or 'nobody'}."
    )
    plan = crm.duplicates.plan_merge(a.no, b.no)
    for table in plan_tables(plan):
        console.print(table)
    survivor = crm.duplicates.merge(plan)
    moved = crm.contacts.get(person.no)
    console.print(
        f"After the merge {b.no} resolves to {crm.contacts.get(b.no).no}; the "
        f"survivor took the e-mail {survivor.email}; {moved.name} now works for "
        f"{moved.company_no}."
    )
    restored = crm.duplicates.unmerge(b.no)
    console.print(
        f"Unmerge restored {restored.no} ({restored.name}); {person.name} is back at "
        f"{crm.contacts.get(person.no).company_no}."
    )
