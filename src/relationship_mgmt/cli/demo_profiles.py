"""The ``relmgmt demo`` chapter on profile questionnaires and classification (§2.13)."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli.profiles import answers_table, questionnaire_table
from relationship_mgmt.domain.contacts import Contact, ContactType
from relationship_mgmt.domain.profiles import (
    ClassificationMethod,
    CustomerClassField,
)
from relationship_mgmt.services.profiles import StaticClassificationSource

__all__ = ["profiles_chapter"]

_CODE = "CUSTOMERS"
_COMPANIES = 3


def _companies(crm: rm.Crm) -> list[Contact]:
    """Usable companies of the workspace; a few are created if there are too few."""
    found = [
        c
        for c in crm.contacts.list()
        if c.type is ContactType.COMPANY and not c.privacy_blocked
    ]
    if len(found) < _COMPANIES and crm.setup.get().contact_nos is None:
        crm.setup.use_default_number_series()
    found.extend(
        crm.contacts.create_company(name=f"Profile Demo {index + 1}")
        for index in range(len(found), _COMPANIES)
    )
    return found[:_COMPANIES]


def profiles_chapter(crm: rm.Crm, console: Console) -> None:
    """Build a questionnaire, answer it by hand and classify contacts (§2.13, §2.13.1)."""
    companies = _companies(crm)
    if any(q.code == _CODE for q in crm.profiles.list()):
        console.print(f"Questionnaire {_CODE} is already there.")
    else:
        console.print(
            "A profile questionnaire lists questions, each followed by its answers "
            "(spec §2.13). Manual questions are answered by hand; automatic ones by "
            "the Update Contact Classification job (§2.13.1)."
        )
        crm.profiles.create(_CODE, "Customer profile", contact_type="Companies")
        quality = crm.profiles.add_question(_CODE, "Relationship quality")
        good = crm.profiles.add_answer(_CODE, quality.line_no, "Good")
        crm.profiles.add_answer(_CODE, quality.line_no, "Difficult")
        sales = crm.profiles.add_question(_CODE, "Sales over the last year")
        crm.profiles.configure_question(
            _CODE,
            sales.line_no,
            auto_contact_classification=True,
            class_field=CustomerClassField.SALES,
            classification_method=ClassificationMethod.PERCENTAGE_OF_CONTACTS,
            starting_date_formula="-1Y",
            ending_date_formula="0D",
        )
        crm.profiles.add_answer(
            _CODE, sales.line_no, "Top half", from_value=1, to_value=50
        )
        crm.profiles.add_answer(
            _CODE, sales.line_no, "Bottom half", from_value=51, to_value=100
        )
        crm.profiles.answer(companies[0].no, _CODE, good.line_no)
        console.print(
            f"{companies[0].name} ({companies[0].no}) is answered 'Good' by hand."
        )
    figures = {c.no: Decimal(25_000 * (index + 1)) for index, c in enumerate(companies)}
    source = StaticClassificationSource({CustomerClassField.SALES: figures})
    result = crm.profiles.classify(source, questionnaire_codes=[_CODE])
    console.print(
        "Classification by Sales (LCY), Percentage of Contacts, gave "
        f"{len(result.answers)} answers: "
        + ", ".join(
            f"{s.contact_no} rank {s.rank} ({s.percentage}%)"
            for s in sorted(result.scores, key=lambda s: s.rank or 0)
        )
        + "."
    )
    questionnaire = crm.profiles.get(_CODE)
    console.print(
        questionnaire_table(questionnaire, crm.profiles.no_of_contacts(_CODE))
    )
    console.print(
        answers_table(
            "Contacts' profile answers",
            crm.profiles.answers_in(_CODE),
            [questionnaire],
        )
    )
