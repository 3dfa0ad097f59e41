"""``relmgmt segments``: criteria in BC filter notation on the command line (§4)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import relationship_mgmt as rm
from relationship_mgmt.cli.main import cli


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def _workspace(tmp_path: Path) -> str:
    db = str(tmp_path / "crm.db")
    with rm.open(f"sqlite:///{db}") as crm:
        crm.setup.use_default_number_series()
        crm.salespeople.create("jo", name="Jo Smith")
        crm.interactions.create_group("sales")
        crm.interactions.create_template("call", group="sales")
        cronus = crm.contacts.create_company(name="Cronus", country_code="CZ").no
        crm.contacts.create_company(name="Fabrikam", country_code="DK")
        crm.contacts.create_company(name="Contoso", country_code="SK")
        for _ in range(2):
            crm.interactions.log(
                contact_no=cronus, template="call", salesperson_code="jo"
            )
    return db


def test_segments_create_add_reduce_back_show_and_explain(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    created = _run("-d", db, "segments", "create", "-m", "Central Europe")
    added = _run(
        "-d", db, "segments", "add", "SM00001", "--where", "country_code=CZ|SK"
    )
    reduced = _run(
        "-d", db, "segments", "reduce", "SM00001",
        "--has", "interaction:interaction_template_code=CALL", "--at-least", "2",
    )  # fmt: skip
    shown = _run("-d", db, "segments", "show", "SM00001")
    back = _run("-d", db, "segments", "back", "SM00001")
    refined = _run("-d", db, "segments", "refine", "SM00001", "--where", "name=@cro*")
    listed = _run("-d", db, "segments", "list")
    why = _run(
        "-d", db, "segments", "explain", "CT000002", "--where", "country_code=CZ|SK"
    )
    bad = _run(
        "-d", db, "segments", "add", "SM00001", "--where", "country_code", code=2
    )
    wrong = _run(
        "-d", db, "segments", "add", "SM00001", "--where", "colour=red", code=1
    )
    nothing = _run("-d", db, "segments", "add", "SM00001", code=2)
    later = "2999-12-31"
    moved = _run("-d", db, "segments", "diff", "--from", "2000-01-01", "--to", later,
                 "--has", "interaction", "--at-least", "2")  # fmt: skip
    still = _run("-d", db, "segments", "diff", "--from", later, "--to", later,
                 "--where", "country_code=CZ")  # fmt: skip

    assert created == "Segment SM00001 created."
    assert added.startswith("2 contact(s) added to SM00001.")
    assert "CT000001" in added
    assert "CT000003" in added
    assert reduced == "1 line(s) removed from SM00001; 1 left."
    assert "1 Add Contacts country_code=CZ|SK 2 inserted" in shown
    assert "Remove Contacts (Reduce)" in shown
    assert back == "Undone; SM00001 has 2 line(s) and 1 action(s)."
    assert refined == "1 line(s) removed from SM00001; 1 left."
    assert "SM00001 Central Europe" in listed
    assert "[ ] contact.country_code = 'DK' in ['CZ', 'SK']" in why
    assert "FIELD=FILTER" in bad
    assert "colour" in wrong
    assert "at least one --where or --has" in nothing
    assert moved.startswith("CT000001 enters: [x] 2 matching interaction record(s)")
    assert still == "No change."


def test_segments_log_and_cancel(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    with rm.open(f"sqlite:///{db}") as crm:
        eve = crm.contacts.create_person(name="Eve").no
        crm.contacts.block_privacy(eve)
    _run("-d", db, "segments", "create", "-m", "Calls", "--template", "call",
         "--salesperson", "jo")  # fmt: skip
    _run("-d", db, "segments", "add", "SM00001", "--where", "name=C*|Eve")
    logged = _run("-d", db, "segments", "log", "SM00001", "--follow-up")
    canceled = _run("-d", db, "segments", "cancel-log", "1")
    undone = _run("-d", db, "segments", "cancel-log", "1", "--undo")
    listed = _run("-d", db, "segments", "list")
    missing = _run("-d", db, "segments", "log", "SM00009", code=1)
    _run("-d", db, "segments", "create", "-m", "Reused")
    reused = _run("-d", db, "segments", "reuse-logged", "SM00003", "1")
    saved = _run("-d", db, "segments", "save", "SM00003", "again", "-m", "Again")
    _run("-d", db, "segments", "create", "-m", "Replayed")
    replayed = _run("-d", db, "segments", "reuse", "SM00004", "again")

    assert logged.startswith("Segment SM00001 logged as entry 1: 2 interaction(s).")
    assert f"({eve}) left out: the contact is privacy blocked (§2.15)" in logged
    assert canceled == "Logged segment 1 is canceled."
    assert undone == "Logged segment 1 is no longer canceled."
    assert "SM00002 Follow-up on segment SM00001" in listed
    assert "SM00009" in missing
    assert reused == "2 contact(s) added from logged segment 1."
    assert saved == "Criteria AGAIN saved: 1 action(s)."
    assert replayed == "Criteria AGAIN replayed: SM00004 has 2 line(s)."


def test_segments_log_deliver_writes_eml_files_to_the_outbox(tmp_path: Path) -> None:
    """§4.9 Send from the command line: one .eml per line, Delivery Status blank."""
    import email
    from email.policy import default

    from relationship_mgmt.domain.interactions import DeliveryStatus

    db = _workspace(tmp_path)
    with rm.open(f"sqlite:///{db}") as crm:
        crm.salespeople.change("jo", email="jo@cronus.example")
        crm.interactions.create_template(
            "news", group="sales", correspondence_type="Email"
        )
        crm.interactions.attach_to_template(
            "news",
            "",
            b"Dear {{ contact.name }},\nnews from {{ salesperson.name }}.\n",
            file_name="news.txt",
            media_type="text/plain",
        )
        for name in ("Ann", "Bo"):
            crm.contacts.create_person(name=name, email=f"{name.lower()}@example.com")
    outbox = tmp_path / "outbox"
    _run("-d", db, "segments", "create", "-m", "News", "--template", "news",
         "--salesperson", "jo")  # fmt: skip
    _run("-d", db, "segments", "add", "SM00001", "--where", "email=<>''")
    no_outbox = _run("-d", db, "segments", "log", "SM00001", "--deliver", code=2)
    logged = _run(
        "-d", db, "segments", "log", "SM00001", "--deliver", "--outbox", str(outbox)
    )

    files = sorted(p.name for p in outbox.iterdir())
    assert "--deliver needs --outbox" in no_outbox
    assert logged.startswith("Segment SM00001 logged as entry 1: 2 interaction(s).")
    assert f"2 of 2 message(s) written to {outbox}." in logged
    assert files == ["000001-00000003-CT000004.eml", "000001-00000004-CT000005.eml"]
    assert all(name in logged for name in files)
    parsed = email.message_from_bytes((outbox / files[0]).read_bytes(), policy=default)
    body = parsed.get_body()
    assert body is not None
    assert (
        body.get_content().replace("\r\n", "\n") == "Dear Ann,\nnews from Jo Smith.\n"
    )
    assert parsed["From"] == "Jo Smith <jo@cronus.example>"
    with rm.open(f"sqlite:///{db}") as crm:
        statuses = {e.delivery_status for e in crm.interactions.list() if e.segment_no}
    assert statuses == {DeliveryStatus.BLANK}  # ' ' after sending (§3.7)
