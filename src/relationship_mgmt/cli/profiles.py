"""``relmgmt profiles``: list and show profile questionnaires, answer them (spec §2.13)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import click
from rich.table import Table

from relationship_mgmt.cli._common import workspace
from relationship_mgmt.domain.profiles import (
    ContactProfileAnswer,
    ProfileAnswer,
    ProfileQuestion,
    ProfileQuestionnaire,
)

__all__ = ["answers_table", "profiles", "questionnaire_table", "questionnaires_table"]


def questionnaires_table(rows: Iterable[ProfileQuestionnaire]) -> Table:
    """Render questionnaires as BC's Profile Questionnaires list (table 5087)."""
    table = Table(title="Profile questionnaires")
    for column in ("Code", "Description", "Contact Type", "Bus. Rel.", "Priority"):
        table.add_column(column)
    table.add_column("Questions", justify="right")
    for q in rows:
        table.add_row(
            q.code,
            q.description,
            str(q.contact_type) or "Both",
            q.business_relation_code or "",
            str(q.priority),
            str(len(q.questions)),
        )
    return table


def _details(line: ProfileQuestion | ProfileAnswer) -> str:
    if isinstance(line, ProfileAnswer):
        parts = [] if line.never_matches else [f"{line.from_value}..{line.to_value}"]
        if line.priority != "Normal":
            parts.append(str(line.priority))
        return ", ".join(parts)
    parts = []
    if line.multiple_answers:
        parts.append("multiple answers")
    if line.auto_contact_classification:
        parts.append("automatic")
    if line.class_field is not None:
        parts.append(line.class_field.value)
    if line.classification_method:
        parts.append(str(line.classification_method))
    if line.sorting_method:
        parts.append(str(line.sorting_method))
    if line.starting_date_formula or line.ending_date_formula:
        parts.append(f"{line.starting_date_formula}..{line.ending_date_formula}")
    return ", ".join(parts)


def questionnaire_table(
    questionnaire: ProfileQuestionnaire, no_of_contacts: Mapping[int, int]
) -> Table:
    """Render a questionnaire's questions and answers (table 5088), answers indented."""
    table = Table(title=f"Profile questionnaire {questionnaire.code}")
    table.add_column("Line No.", justify="right")
    table.add_column("Type")
    table.add_column("Description")
    table.add_column("Details")
    table.add_column("Contacts", justify="right")
    for line in questionnaire.lines:
        question = isinstance(line, ProfileQuestion)
        table.add_row(
            str(line.line_no),
            "Question" if question else "Answer",
            f"[bold]{line.description}[/bold]" if question else f"  {line.description}",
            _details(line),
            "" if question else str(no_of_contacts.get(line.line_no, 0)),
        )
    return table


def answers_table(
    title: str,
    answers: Iterable[ContactProfileAnswer],
    questionnaires: Iterable[ProfileQuestionnaire],
) -> Table:
    """Render contacts' profile answers (table 5089) with the answer text."""
    by_code = {q.code: q for q in questionnaires}
    table = Table(title=title)
    for column in ("Contact", "Questionnaire", "Question", "Answer", "Updated"):
        table.add_column(column)
    for a in answers:
        q = by_code[a.questionnaire_code]
        table.add_row(
            a.contact_no,
            a.questionnaire_code,
            q.question_of(a.line_no).description,
            q.answer(a.line_no).description,
            a.last_date_updated.isoformat(),
        )
    return table


@click.group()
def profiles() -> None:
    """Profile questionnaires and contacts' answers (spec §2.13)."""


@profiles.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List every profile questionnaire."""
    with workspace(ctx) as crm:
        ctx.obj["console"].print(questionnaires_table(crm.profiles.list()))


@profiles.command("show")
@click.argument("code")
@click.pass_context
def show(ctx: click.Context, code: str) -> None:
    """Show a questionnaire's questions and answers, with how many contacts answered."""
    with workspace(ctx) as crm:
        questionnaire = crm.profiles.get(code)
        counts = crm.profiles.no_of_contacts(code)
        ctx.obj["console"].print(questionnaire_table(questionnaire, counts))


@profiles.command("answer")
@click.argument("contact_no")
@click.argument("code")
@click.argument("line_no", type=int)
@click.pass_context
def answer(ctx: click.Context, contact_no: str, code: str, line_no: int) -> None:
    """Give contact CONTACT_NO the answer on line LINE_NO of questionnaire CODE."""
    with workspace(ctx) as crm:
        crm.profiles.answer(contact_no, code, line_no)
        answers = crm.profiles.answers_of(contact_no)
        ctx.obj["console"].print(
            answers_table(
                f"Profile answers of {contact_no.upper()}",
                answers,
                crm.profiles.list(),
            )
        )
