"""``relmgmt profiles`` and the profiles demo chapter (spec §2.13, §2.13.1)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

import relationship_mgmt as rm
from relationship_mgmt.cli import cli
from relationship_mgmt.cli.demo_profiles import profiles_chapter


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())  # rich wraps lines at the console width


def _workspace(tmp_path: Path) -> tuple[str, str, str]:
    """A SQLite file with questionnaire SIZE, a company and a minor."""
    db = tmp_path / "crm.db"
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        company = crm.contacts.create_company(name="Cronus")
        minor = crm.contacts.create_person(name="Tim Young")
        crm.contacts.mark_minor(minor.no)
        crm.profiles.create("size", "Company size", contact_type="Companies")
        question = crm.profiles.add_question("size", "Number of employees")
        crm.profiles.add_answer("size", question.line_no, "1-49", to_value=49)
        crm.profiles.add_answer("size", question.line_no, "50+", from_value=50)
    return str(db), company.no, minor.no


def test_list_and_show(tmp_path: Path) -> None:  # §2.13 header and lines
    db, _, _ = _workspace(tmp_path)

    listed = _run("--database", db, "profiles", "list")
    shown = _run("--database", db, "profiles", "show", "size")

    assert "SIZE" in listed
    assert "Company size" in listed
    assert "Companies" in listed
    assert "Number of employees" in shown
    assert "1-49" in shown
    assert "50+" in shown
    assert "20000" in shown


def test_answer_stores_and_shows_the_answer(tmp_path: Path) -> None:  # §2.13
    db, company, _ = _workspace(tmp_path)

    out = _run("--database", db, "profiles", "answer", company.lower(), "size", "20000")

    assert company in out
    assert "1-49" in out
    with rm.open(f"sqlite:///{db}") as crm:
        assert [a.line_no for a in crm.profiles.answers_of(company)] == [20000]
    assert "1 │" in _run("--database", db, "profiles", "show", "SIZE")


def test_answer_refusals_are_messages(tmp_path: Path) -> None:  # §2.13 rules 1, 4
    db, company, minor = _workspace(tmp_path)

    refused = _run(
        "--database", db, "profiles", "answer", minor, "size", "20000", code=1
    )
    question = _run(
        "--database", db, "profiles", "answer", company, "size", "10000", code=1
    )
    missing = _run("--database", db, "profiles", "show", "nope", code=1)

    assert "Minor" in refused or "minor" in refused
    assert "Error" in question
    assert "not found" in missing


def test_demo_chapter_answers_and_classifies() -> None:  # §2.13, §2.13.1
    console = Console(record=True, width=200)
    with rm.open() as crm:
        profiles_chapter(crm, console)
        answers = crm.profiles.answers_in("customers")
        profiles_chapter(crm, console)  # a second run classifies again

        assert crm.profiles.answers_in("customers") == answers
    out = console.export_text()
    assert "Relationship quality" in out
    assert "Top half" in out
    assert "rank 1" in out
    assert len(answers) == 4
