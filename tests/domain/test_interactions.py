"""Interactions: groups, templates, the log, document logging, statistics (spec §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from relationship_mgmt.domain.codes import Code
from relationship_mgmt.domain.contacts import (
    Address,
    AlternativeAddress,
    Contact,
    LinkToTable,
)
from relationship_mgmt.domain.interactions import (
    ENTRY_OPERATIONS,
    DeliveryStatus,
    DocumentKind,
    DocumentType,
    Evaluation,
    InformationFlow,
    InitiatedBy,
    InteractionFilter,
    InteractionGroup,
    InteractionLogEntry,
    InteractionRequest,
    InteractionStatistics,
    InteractionTemplate,
    InteractionTemplateLanguage,
    InteractionTemplateSetup,
    WizardAction,
    check_group_unused,
    check_purgeable,
    check_update,
    contact_filter,
    contact_statistics,
    group_statistics,
    interaction_totals,
    plan_document_log,
    plan_interaction,
    statistics_of,
    template_statistics,
)
from relationship_mgmt.domain.setup import CorrespondenceType, RelationshipSetup
from relationship_mgmt.errors import (
    CodeTooLongError,
    IdempotencyConflictError,
    InteractionEntryError,
    InUseError,
    InvalidTransitionError,
    NotFoundError,
    PrivacyBlockedError,
    ValidationError,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 2)
LATER = dt.date(2026, 3, 9)
NINE = dt.time(9, 30)
SETUP = RelationshipSetup()


def company(**fields: Any) -> Contact:
    fields.setdefault("salesperson_code", "JO")
    return Contact.create_company(
        no="CT01", name="Cronus Ltd.", now=NOW, setup=SETUP, **fields
    )


def person(**fields: Any) -> Contact:
    fields.setdefault("salesperson_code", "JO")
    return Contact.create_person(
        no="CT02", name="Anna Smith", now=NOW, setup=SETUP, company=company(), **fields
    )


def template(**fields: Any) -> InteractionTemplate:
    values: dict[str, Any] = {
        "code": "CALL",
        "interaction_group_code": "SALES",
        "description": "Phone call",
        "unit_cost_lcy": Decimal("2.50"),
        "unit_duration_min": 10,
        "information_flow": "Outbound",
        "initiated_by": "Us",
        "correspondence_type": "",
    }
    values.update(fields)
    return InteractionTemplate(**values)


def request(**fields: Any) -> InteractionRequest:
    values: dict[str, Any] = {
        "contact_no": "CT01",
        "template_code": "CALL",
        "date": DAY,
    }
    values.update(fields)
    return InteractionRequest(**values)


def plan(
    req: InteractionRequest | None = None,
    *,
    contact: Contact | None = None,
    tmpl: InteractionTemplate | None = None,
    **kwargs: Any,
) -> InteractionLogEntry:
    return plan_interaction(
        req or request(),
        entry_no=kwargs.pop("entry_no", 1),
        contact=contact or company(),
        template=tmpl if tmpl is not None else template(),
        user_id=kwargs.pop("user_id", "admin"),
        **kwargs,
    )


def entry(**fields: Any) -> InteractionLogEntry:
    values: dict[str, Any] = {"entry_no": 1, "contact_no": "CT01", "date": DAY}
    values.update(fields)
    return InteractionLogEntry(**values)


def with_alt_address(contact: Contact, *, email: str = "") -> Contact:
    contact.add_alternative_address(
        AlternativeAddress(code="SUMMER", address=Address(city="Nice"), email=email),
        now=NOW,
    )
    contact.schedule_alternative_address(
        "SUMMER", starting=dt.date(2026, 3, 5), ending=dt.date(2026, 3, 20), now=NOW
    )
    return contact


# --- enums (§3.3, §1.3) ----------------------------------------------------------------


def test_document_types_carry_bc_ordinals() -> None:
    # §3.3 Document Type enum: 0 ' ' .. 26 Sales Draft Invoice, values as BC spells them.
    assert len(DocumentType) == 27
    assert DocumentType.BLANK.ordinal == 0
    assert DocumentType("Purch.Qte.").ordinal == 11
    assert DocumentType("Purch. Return Ord. Cnfrmn.").ordinal == 22
    assert DocumentType("Sales Draft Invoice").ordinal == 26


def test_document_kinds_map_to_document_types_as_in_the_setup_table() -> None:
    # §1.3: Sales Quotes -> Sales Qte. (1) ... Sales Draft Invoices -> (26).
    assert DocumentKind.SALES_QUOTES.document_type is DocumentType.SALES_QUOTE
    assert DocumentKind.SERVICE_ORDER_POST.document_type is (
        DocumentType.SERVICE_ORDER_POST
    )
    assert DocumentKind.SALES_DRAFT_INVOICES.document_type is (
        DocumentType.SALES_DRAFT_INVOICE
    )
    for kind in (
        DocumentKind.EMAILS,
        DocumentKind.EMAIL_DRAFTS,
        DocumentKind.OUTGOING_CALLS,
        DocumentKind.MEETING_INVITATIONS,
    ):
        assert kind.document_type is None
    assert {DocumentKind.of(t) for t in list(DocumentType)[1:]} == set(
        list(DocumentKind)[:26]
    )
    assert DocumentKind.of("Cover Sheet") is DocumentKind.COVER_SHEETS


@pytest.mark.parametrize("value", ["", DocumentType.BLANK, "Invoice"])
def test_a_blank_or_unknown_document_type_has_no_setup_field(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        DocumentKind.of(value)

    assert info.value.field == "document_type"


def test_option_values_are_bc_captions() -> None:
    assert [f.value for f in InformationFlow] == ["", "Outbound", "Inbound"]
    assert [i.value for i in InitiatedBy] == ["", "Us", "Them"]
    assert [e.value for e in Evaluation][1:] == [
        "Very Positive",
        "Positive",
        "Neutral",
        "Negative",
        "Very Negative",
    ]
    assert [d.value for d in DeliveryStatus] == ["", "In Progress", "Error"]
    assert [w.value for w in WizardAction] == ["", "Open", "Import", "Merge"]


# --- interaction groups (§3.1) ---------------------------------------------------------


def test_interaction_group_is_a_code_record() -> None:
    group = InteractionGroup(code=" letters ", description="Letters")

    assert (group.code, group.kind, group.key) == (
        "LETTERS",
        "interaction_group",
        ("LETTERS",),
    )


def test_interaction_group_code_must_not_be_blank() -> None:
    with pytest.raises(ValidationError):
        InteractionGroup(code=" ")


def test_a_group_used_by_a_template_cannot_be_deleted() -> None:
    # §3.1: BC has no delete trigger; the library adds the referential check.
    with pytest.raises(InUseError) as info:
        check_group_unused(
            "sales", [template(code="A", interaction_group_code="X"), template()]
        )

    assert (info.value.kind, info.value.key) == ("interaction group", "SALES")
    assert "CALL" in info.value.used_by
    check_group_unused("other", [template()])


# --- interaction templates (§3.2) ------------------------------------------------------


def test_template_defaults_follow_bc() -> None:
    # §3.2: Correspondence Type (Default) has InitValue Email.
    t = InteractionTemplate(code="memo", interaction_group_code="g")

    assert t.correspondence_type is CorrespondenceType.EMAIL
    assert (t.unit_cost_lcy, t.unit_duration_min) == (Decimal(0), Decimal(0))
    assert t.wizard_action is WizardAction.BLANK
    assert t.languages == ()
    assert t.attachment_no is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("code", ""),
        ("interaction_group_code", " "),
        ("code", 5),
        ("description", "x" * 101),
        ("description", 7),
        ("unit_cost_lcy", -1),
        ("unit_cost_lcy", 1.5),
        ("unit_cost_lcy", True),
        ("unit_cost_lcy", "abc"),
        ("unit_cost_lcy", "NaN"),
        ("unit_cost_lcy", "Infinity"),
        ("unit_cost_lcy", "1E+25"),
        ("unit_cost_lcy", "1E-25"),
        ("unit_duration_min", "1.5"),
        ("information_flow", "Sideways"),
        ("campaign_target", "yes"),
        ("campaign_no", "C" * 21),
        ("word_template_code", "W" * 31),
    ],
)
def test_template_refuses_bad_values(name: str, value: object) -> None:
    values: dict[str, Any] = {"code": "CALL", "interaction_group_code": "SALES"}
    values[name] = value

    with pytest.raises(ValidationError) as info:
        InteractionTemplate(**values)

    assert info.value.field == name


def test_template_normalises_codes_and_amounts() -> None:
    t = template(
        code=" call ",
        unit_cost_lcy="-0.00",
        unit_duration_min=Decimal("15.000"),
        campaign_no="cp01",
        word_template_code="w1",
        language_code_default="enu",
    )

    assert (t.code, t.campaign_no, t.word_template_code) == ("CALL", "CP01", "W1")
    assert str(t.unit_cost_lcy) == "0"
    assert str(t.unit_duration_min) == "15"
    assert t.language_code_default == "ENU"


def test_template_code_too_long_is_refused() -> None:
    with pytest.raises(CodeTooLongError):
        template(code="ABCDEFGHIJK")


def test_language_rows_belong_to_their_template_once_per_language() -> None:
    own = InteractionTemplateLanguage(template_code="CALL", language_code="ENU")
    other = InteractionTemplateLanguage(template_code="MEMO", language_code="DEU")

    with pytest.raises(ValidationError, match="another template"):
        template(languages=(own, other))
    with pytest.raises(ValidationError, match="twice"):
        template(languages=[own, own])
    with pytest.raises(ValidationError):
        template(languages="ENU")
    with pytest.raises(ValidationError):
        template(languages=("ENU",))


def test_language_rows_are_kept_sorted() -> None:
    deu = InteractionTemplateLanguage(template_code="CALL", language_code="DEU")
    blank = InteractionTemplateLanguage(template_code="CALL")

    t = template(languages=[deu, blank])

    assert [row.language_code for row in t.languages] == ["", "DEU"]
    assert t.language(None) is blank
    assert t.language("deu") is deu
    assert t.language("FRA") is None


def test_language_row_knows_its_custom_layout() -> None:
    plain = InteractionTemplateLanguage(template_code="c", language_code="enu")
    coded = attrs.evolve(plain, custom_layout_code="lay1")
    named = attrs.evolve(plain, report_layout_name="Layout")

    assert (plain.key, plain.has_custom_layout) == (("C", "ENU"), False)
    assert coded.has_custom_layout
    assert named.has_custom_layout
    assert (
        InteractionTemplateLanguage(template_code="c", attachment_no=0).attachment_no
        is None
    )


def test_template_attachment_is_the_default_languages() -> None:
    # §3.2: Attachment No. is a FlowField over the row of Language Code (Default).
    t = template(language_code_default="ENU")
    t.add_language("ENU", attachment_no=3)
    t.add_language("DEU", attachment_no=4)

    assert t.attachment_no == 3


def test_find_language_prefers_the_contacts_language_then_the_default() -> None:
    # §3.7 (BC FindLanguage without a segment).
    t = template(language_code_default="ENU")
    t.add_language("DEU")
    t.add_language("")

    assert t.find_language("DEU") == "DEU"
    assert t.find_language("FRA") == "ENU"
    assert t.find_language(None) is None  # the blank-language row exists


def test_add_language_defaults_the_description_and_refuses_duplicates() -> None:
    t = template()

    row = t.add_language("enu", attachment_no=5, word_template_code="w")
    other = t.add_language("DEU", description="Anruf")

    assert (row.description, row.template_code, row.attachment_no) == (
        "Phone call",
        "CALL",
        5,
    )
    assert other.description == "Anruf"
    with pytest.raises(ValidationError) as info:
        t.add_language("ENU")
    assert info.value.field == "language_code"


def test_replace_and_remove_language() -> None:
    t = template()
    row = t.add_language("ENU")

    t.replace_language(attrs.evolve(row, attachment_no=9))
    assert t.language("ENU") == attrs.evolve(row, attachment_no=9)

    with pytest.raises(NotFoundError):
        t.replace_language(attrs.evolve(row, language_code="DEU"))
    with pytest.raises(ValidationError):
        t.replace_language(attrs.evolve(row, template_code="MEMO"))

    t.remove_language("enu")
    assert t.languages == ()
    with pytest.raises(NotFoundError) as info:
        t.remove_language("ENU")
    assert info.value.key == ("CALL", "ENU")


def test_change_validates_everything_before_changing_anything() -> None:
    t = template()

    with pytest.raises(ValidationError):
        t.change(description="New", unit_cost_lcy=-1)
    with pytest.raises(ValidationError) as info:
        t.change(code="OTHER")
    assert info.value.field == "code"

    assert t.description == "Phone call"
    t.change(description="New", unit_cost_lcy=3)
    assert (t.description, t.unit_cost_lcy) == ("New", Decimal(3))
    assert "languages" not in InteractionTemplate.field_names()


def test_setting_the_default_language_creates_its_row() -> None:
    # §3.2 Language Code (Default): BC asks to create the row; the library creates it.
    t = template(wizard_action="Merge", word_template_code="W1")

    t.change(language_code_default="enu")

    row = t.language("ENU")
    assert row is not None
    assert row.description == "Phone call"
    assert t.wizard_action is WizardAction.BLANK  # Merge without a layout goes
    assert t.word_template_code is None  # taken from the new row


def test_a_default_language_with_a_layout_forces_merge() -> None:
    t = template()
    t.add_language(
        "ENU", custom_layout_code="L1", attachment_no=1, word_template_code="W9"
    )

    t.change(language_code_default="ENU")

    assert t.wizard_action is WizardAction.MERGE
    assert t.word_template_code == "W9"


def test_a_default_language_without_layout_keeps_other_actions() -> None:
    t = template(wizard_action="Open")
    t.add_language("ENU")

    t.change(language_code_default="ENU")

    assert t.wizard_action is WizardAction.OPEN


def test_default_language_effects_spare_fields_given_in_the_same_call() -> None:
    t = template()
    t.add_language("ENU", word_template_code="W9")

    t.change(language_code_default="ENU", description="Mail", wizard_action="Open")

    assert t.wizard_action is WizardAction.OPEN
    assert t.word_template_code == "W9"


def test_unchanged_or_cleared_default_language_has_no_effects() -> None:
    t = template(language_code_default="ENU", wizard_action="Merge")

    t.change(language_code_default="ENU")
    assert t.languages == ()
    assert t.wizard_action is WizardAction.MERGE

    t.change(language_code_default=None)
    assert t.languages == ()
    assert t.language_code_default is None


def test_word_template_is_copied_into_the_default_language_row() -> None:
    t = template(language_code_default="ENU")

    t.change(word_template_code="w1")
    row = t.language("ENU")
    assert row is not None
    assert row.word_template_code == "W1"

    t.change(word_template_code="w2")
    assert t.language("ENU") == attrs.evolve(row, word_template_code="W2")

    t.change(word_template_code=None)
    assert t.language("ENU") == attrs.evolve(row, word_template_code=None)


def test_clearing_a_word_template_without_a_row_changes_nothing_else() -> None:
    t = template(word_template_code="W1")

    t.change(word_template_code="")

    assert (t.word_template_code, t.languages) == (None, ())


def test_word_template_is_refused_for_import_and_next_to_an_attachment() -> None:
    # §3.2: "%1 = %2 can not be specified for %3 %4." and "You cannot use a Word
    # template when an attachment is specified."
    importing = template(wizard_action="Import")
    with pytest.raises(ValidationError) as info:
        importing.change(word_template_code="W1")
    assert info.value.field == "word_template_code"

    attached = template(language_code_default="ENU")
    attached.add_language("ENU", attachment_no=4)
    with pytest.raises(ValidationError, match="attachment"):
        attached.change(word_template_code="W1")
    assert attached.word_template_code is None


@pytest.mark.parametrize(
    ("row", "word", "action", "allowed"),
    [
        (None, None, "Merge", True),
        (None, "W1", "Import", False),
        ({}, "W1", "Merge", True),
        ({"custom_layout_code": "L"}, None, "Open", False),
        ({"custom_layout_code": "L", "attachment_no": 1}, None, "Merge", True),
        ({"custom_layout_code": "L"}, None, "Merge", False),
        ({"attachment_no": 1}, None, "Merge", False),
        ({"attachment_no": 1}, None, "Open", True),
        ({}, None, "", True),
    ],
)
def test_wizard_action_must_fit_the_default_language(
    row: dict[str, Any] | None,
    word: str | None,
    action: str,
    allowed: bool,  # noqa: FBT001
) -> None:
    # §3.2 Wizard Action validation (BC Text003).
    t = template(language_code_default="ENU", word_template_code=word)
    if row is not None:
        t.add_language("ENU", **row)

    if allowed:
        t.change(wizard_action=action)
        assert t.wizard_action == action
    else:
        with pytest.raises(ValidationError) as info:
            t.change(wizard_action=action)
        assert info.value.field == "wizard_action"


# --- interaction template setup (§1.3) -------------------------------------------------


def test_setup_gives_the_template_per_kind() -> None:
    setup = InteractionTemplateSetup(
        templates={
            "Sales Invoices": "inv",
            DocumentKind.EMAILS: " ",
            "Purch. Orders": None,
        }
    )

    assert setup.template_for(DocumentKind.SALES_INVOICES) == "INV"
    assert setup.template_for("E-Mails") is None
    assert setup.templates == {DocumentKind.SALES_INVOICES: "INV"}
    with pytest.raises(ValidationError):
        setup.template_for("Invoices")
    with pytest.raises(ValidationError):
        InteractionTemplateSetup(templates=["INV"])


def test_setup_assigns_only_templates_without_attachment_except_meetings() -> None:
    # §1.3: the lookup offers only templates without an attachment, except Meeting
    # Invitation.
    setup = InteractionTemplateSetup()
    attached = template(code="MEET", language_code_default="ENU")
    attached.add_language("ENU", attachment_no=8)

    with pytest.raises(ValidationError) as info:
        setup.assign("Sales Quotes", attached)
    assert info.value.field == "template"

    setup.assign(DocumentKind.MEETING_INVITATIONS, attached)
    setup.assign(DocumentKind.SALES_QUOTES, template())
    setup.assign(DocumentKind.SALES_INVOICES, template())
    assert setup.kinds_using("call") == (
        DocumentKind.SALES_QUOTES,
        DocumentKind.SALES_INVOICES,
    )

    setup.assign(DocumentKind.SALES_QUOTES, None)
    setup.assign(DocumentKind.SALES_QUOTES, None)
    assert setup.template_for(DocumentKind.SALES_QUOTES) is None
    assert setup.template_for(DocumentKind.MEETING_INVITATIONS) == "MEET"


# --- requests and fingerprints (§3.4, idempotency) --------------------------------------


def test_fingerprint_covers_the_inputs_not_the_key() -> None:
    base = request(idempotency_key="k1")

    assert base.fingerprint() == request(idempotency_key="k2").fingerprint()
    assert base.fingerprint() == request().fingerprint()
    assert base.fingerprint() != request(description="Other").fingerprint()
    assert base.fingerprint() != request(date=LATER).fingerprint()
    assert base.fingerprint() != request(evaluation="Positive").fingerprint()
    assert base.fingerprint() != request(time_of_interaction=NINE).fingerprint()
    assert base.fingerprint() != request(postponed=True).fingerprint()
    assert len(base.fingerprint()) == 64


def test_fingerprint_compares_normalised_values() -> None:
    assert (
        request(cost_lcy="2.50", salesperson_code="jo").fingerprint()
        == request(cost_lcy=Decimal("2.5"), salesperson_code="JO").fingerprint()
    )
    assert request(cost_lcy=0).fingerprint() != request().fingerprint()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("contact_no", ""),
        ("date", NOW),
        ("date", "2026-03-02"),
        ("time_of_interaction", "09:30"),
        ("cost_lcy", -1),
        ("duration_min", "0.5"),
        ("information_flow", "x"),
        ("initiated_by", "x"),
        ("correspondence_type", "Fax"),
        ("evaluation", "Great"),
        ("interaction_successful", 1),
        ("attachment_no", -1),
        ("attachment_no", True),
        ("doc_no_occurrence", -1),
        ("version_no", "1"),
        ("idempotency_key", "k" * 251),
        ("idempotency_key", " "),
        ("idempotency_key", 5),
        ("contact_via", "x" * 81),
    ],
)
def test_request_refuses_bad_values(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        request(**{name: value})

    assert info.value.field == name


def test_personal_request_text_is_not_echoed_in_errors() -> None:
    with pytest.raises(ValidationError) as info:
        request(description="secret" * 20)

    assert info.value.value is None


def test_request_for_document_uses_the_setup() -> None:
    # §3.5: no template for the kind, nothing is logged.
    setup = InteractionTemplateSetup(
        templates={"Sales Invoices": "INV", "E-Mails": "EML"}
    )

    assert (
        InteractionRequest.for_document(
            setup=setup,
            kind="Sales Quotes",
            contact_no="CT01",
            document_no="Q1",
            date=DAY,
        )
        is None
    )
    invoice = InteractionRequest.for_document(
        setup=setup,
        kind=DocumentKind.SALES_INVOICES,
        contact_no="CT01",
        document_no="si-1",
        date=DAY,
        version_no=2,
    )
    mail = InteractionRequest.for_document(
        setup=setup, kind="E-Mails", contact_no="CT01", document_no="M1", date=DAY
    )
    assert invoice is not None
    assert (invoice.template_code, invoice.document_type, invoice.document_no) == (
        "INV",
        DocumentType.SALES_INVOICE,
        "SI-1",
    )
    assert invoice.version_no == 2
    assert mail is not None
    assert mail.document_type is DocumentType.BLANK


# --- entries (§3.3) ----------------------------------------------------------------------


def test_entry_fields_are_validated_and_normalised() -> None:
    e = entry(
        contact_company_no="ct01",
        cost_lcy="1.10",
        duration_min="5",
        user_id=" admin ",
        attachment_no=0,
        campaign_entry_no=0,
        logged_segment_entry_no=0,
        modified_word_template=0,
        time_of_interaction=NINE,
        document_type="Sales Inv.",
        delivery_status="In Progress",
        evaluation="Neutral",
        segment_no="sm1",
        task_no="td1",
        salesperson_code="jo",
        opportunity_no="op1",
        document_no="si1",
        contact_alt_address_code="summer",
    )

    assert (e.contact_company_no, e.user_id, e.cost_lcy) == (
        "CT01",
        "ADMIN",
        Decimal("1.10"),
    )
    assert (e.attachment_no, e.campaign_entry_no, e.logged_segment_entry_no) == (
        None,
        None,
        None,
    )
    assert e.modified_word_template is None
    assert (e.segment_no, e.task_no, e.salesperson_code) == ("SM1", "TD1", "JO")
    assert (e.opportunity_no, e.document_no, e.contact_alt_address_code) == (
        "OP1",
        "SI1",
        "SUMMER",
    )
    assert e.document_type is DocumentType.SALES_INVOICE


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("entry_no", 0),
        ("entry_no", True),
        ("entry_no", "1"),
        ("version", -1),
        ("version", False),
        ("date", dt.datetime(2026, 3, 2, tzinfo=dt.UTC)),
        ("user_id", 5),
        ("user_id", "u" * 51),
        ("cost_lcy", None),
        ("canceled", "no"),
        ("delivery_status", "Sent"),
        ("document_type", "Invoice"),
        ("payload_fingerprint", "f" * 65),
        ("email_message_id", "m" * 251),
        ("subject", None),
    ],
)
def test_entry_refuses_bad_values(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        entry(**{name: value})

    assert info.value.field == name


def test_a_logged_entry_has_a_date_but_a_postponed_one_may_not() -> None:
    # §3.4: date required on finish, not when postponed.
    with pytest.raises(ValidationError) as info:
        entry(date=None)
    assert info.value.field == "date"

    assert entry(date=None, postponed=True).date is None


def test_fingerprint_and_key_come_together() -> None:
    with pytest.raises(ValidationError):
        entry(idempotency_key="k")
    with pytest.raises(ValidationError):
        entry(payload_fingerprint="f" * 64)


def test_personal_entry_fields_stay_out_of_repr() -> None:
    e = entry(description="Talked about Anna's divorce", contact_via="+44 1234")

    assert "divorce" not in repr(e)
    assert "+44" not in repr(e)
    personal = {
        a.name
        for a in attrs.fields(InteractionLogEntry)
        if a.metadata.get("classification") == "personal"
    }
    assert personal == {"description", "subject", "contact_via", "email_message_id"}
    assert all(
        a.metadata.get("classification") for a in attrs.fields(InteractionLogEntry)
    )


# --- §3.6 operations ----------------------------------------------------------------------


def test_cancel_and_uncancel() -> None:
    # §3.6 Cancel / un-cancel; canceling again changes nothing.
    e = entry(attachment_no=4)

    canceled = e.cancel()

    assert canceled.canceled
    assert canceled.attachment_no == 4
    assert canceled.cancel() is canceled
    assert canceled.uncancel(segment_canceled=False, campaign_entry_canceled=False) == e
    assert e.uncancel(segment_canceled=True, campaign_entry_canceled=True) is e


def test_cancel_can_remove_a_unique_attachment() -> None:
    # BC SetCanceledCheckmark(true, RemoveUniqueAttachment): Attachment No. := 0.
    assert entry(attachment_no=4).cancel(remove_attachment=True).attachment_no is None


def test_uncancel_is_refused_while_the_logged_segment_or_campaign_entry_is_canceled() -> (
    None
):
    # §3.6: un-canceling requires that the logged segment and campaign entry are not
    # canceled themselves.
    e = entry(logged_segment_entry_no=7, campaign_entry_no=8).cancel()

    with pytest.raises(InteractionEntryError) as info:
        e.uncancel(segment_canceled=True, campaign_entry_canceled=False)
    assert info.value.entry_no == 1
    assert "segment" in info.value.reason
    with pytest.raises(InteractionEntryError) as info:
        e.uncancel(segment_canceled=False, campaign_entry_canceled=True)
    assert "campaign" in info.value.reason


def test_uncancel_ignores_links_the_entry_does_not_have() -> None:
    e = entry().cancel()

    assert not e.uncancel(segment_canceled=True, campaign_entry_canceled=True).canceled


def test_evaluate_sets_and_clears() -> None:
    # §3.6 Evaluate: one of five values or back to ' '.
    e = entry().evaluate("Very Positive")

    assert e.evaluation is Evaluation.VERY_POSITIVE
    assert e.evaluate(Evaluation.BLANK).evaluation is Evaluation.BLANK
    with pytest.raises(ValidationError):
        e.evaluate("Great")


def test_opportunity_is_written_back_once_and_never_on_canceled_entries() -> None:
    # §3.6 Create Opportunity: not canceled, no Opportunity No. yet.
    e = entry()

    linked = e.link_opportunity("op01")

    assert linked.opportunity_no == "OP01"
    assert e.can_create_opportunity
    assert not linked.can_create_opportunity
    assert not e.cancel().can_create_opportunity
    with pytest.raises(InteractionEntryError) as info:
        linked.link_opportunity("OP02")
    assert info.value.reason == "has an opportunity"
    with pytest.raises(InteractionEntryError) as info:
        e.cancel().link_opportunity("OP02")
    assert info.value.reason == "canceled"
    with pytest.raises(ValidationError):
        e.link_opportunity(" ")


def test_delivery_status_moves_as_in_bc() -> None:
    # §3.7: ' ' -> In Progress -> ' ' (or Error).
    e = entry()

    sending = e.record_delivery("In Progress")
    failed = sending.record_delivery(DeliveryStatus.ERROR)

    assert sending.record_delivery("").delivery_status is DeliveryStatus.BLANK
    assert (
        failed.record_delivery("In Progress").delivery_status
        is DeliveryStatus.IN_PROGRESS
    )
    with pytest.raises(InvalidTransitionError) as info:
        e.record_delivery("Error")
    assert (info.value.current, info.value.requested) == (
        DeliveryStatus.BLANK,
        DeliveryStatus.ERROR,
    )
    with pytest.raises(InvalidTransitionError):
        failed.record_delivery("")


def test_reassign_contact_and_detach_logged_segment() -> None:
    # §2.7: a deleted person's entries go to the company; a deleted company's lose
    # both numbers. §4.10 report 5191 clears Logged Segment Entry No.
    e = entry(contact_no="CT02", contact_company_no="CT01", logged_segment_entry_no=3)

    moved = e.reassign_contact(contact_no="CT01", contact_company_no="CT01")
    cleared = moved.reassign_contact(contact_no=None, contact_company_no=None)

    assert (moved.contact_no, moved.contact_company_no) == ("CT01", "CT01")
    assert (cleared.contact_no, cleared.contact_company_no) == (None, None)
    assert e.detach_logged_segment().logged_segment_entry_no is None


def test_anonymise_clears_personal_text_and_keeps_figures_and_links() -> None:
    e = entry(
        description="Anna's call",
        subject="Re: contract",
        contact_via="anna@example.com",
        email_message_id="<1@example.com>",
        attachment_no=9,
        cost_lcy=5,
        idempotency_key="k",
        payload_fingerprint="f" * 64,
    )

    erased = e.anonymise()

    assert (erased.description, erased.subject, erased.contact_via) == ("", "", "")
    assert (erased.email_message_id, erased.attachment_no) == ("", None)
    assert (erased.cost_lcy, erased.contact_no, erased.date) == (
        Decimal(5),
        "CT01",
        DAY,
    )
    assert (erased.idempotency_key, erased.payload_fingerprint) == ("k", "f" * 64)
    assert erased.anonymise() == erased


def test_only_canceled_entries_can_be_purged() -> None:
    # §3.6 report 5190: the data item is fixed to Canceled = true.
    with pytest.raises(InteractionEntryError) as info:
        check_purgeable(entry())
    assert info.value.reason == "not canceled"

    check_purgeable(entry().cancel())
    entry(canceled=True).ensure_purgeable()


def test_check_update_accepts_operations_and_refuses_other_changes() -> None:
    # Reliability B.2 #6: entries are append-only except the listed operations.
    e = entry(attachment_no=3)

    check_update(e, e.cancel(remove_attachment=True).evaluate("Positive"))
    check_update(e, attrs.evolve(e.anonymise(), version=4))
    with pytest.raises(InteractionEntryError) as info:
        check_update(e, attrs.evolve(e, cost_lcy=1, description="x"))
    assert "cost_lcy" in info.value.reason
    assert "description" not in info.value.reason
    with pytest.raises(InteractionEntryError):
        check_update(e, attrs.evolve(e, entry_no=2))


def test_check_update_lets_only_postponed_entries_be_resumed() -> None:
    logged = entry()
    postponed = entry(postponed=True)

    check_update(postponed, attrs.evolve(postponed, postponed=False, date=LATER))
    with pytest.raises(InteractionEntryError) as info:
        check_update(logged, attrs.evolve(logged, date=LATER))
    assert info.value.reason == "date cannot change after logging"


def test_entry_operations_table_names_only_entry_fields() -> None:
    names = {a.name for a in attrs.fields(InteractionLogEntry)}

    for fields in ENTRY_OPERATIONS.values():
        assert fields <= names - {"entry_no", "version"}


# --- titles (§3.3) -----------------------------------------------------------------------


def test_entry_title_follows_the_template_flow() -> None:
    # §3.3 Entry title (BC GetEntryTitle).
    outbound = template()
    inbound = template(information_flow="Inbound")
    blank = template(information_flow="")
    e = entry(interaction_template_code="CALL", salesperson_code="JO")
    no_salesperson = entry(interaction_template_code="CALL")

    assert (
        e.title(outbound, salesperson_name="John Roberts")
        == "Phone call - by John Roberts"
    )
    assert (
        e.title(outbound, user_full_name="Admin User") == "Phone call - by Admin User"
    )
    assert (
        no_salesperson.title(outbound, salesperson_name="John", user_full_name="Admin")
        == "Phone call - by Admin"
    )
    assert e.title(outbound) == "Phone call"
    assert e.title(inbound, contact_name="Anna") == "Phone call - from Anna"
    assert e.title(blank, salesperson_name="John") == "Phone call"
    assert e.title(None) == ""
    with pytest.raises(ValidationError):
        e.title(template(code="MEMO"))


# --- plan_interaction (§3.4) ---------------------------------------------------------------


def test_template_fills_the_entry() -> None:
    # §3.4 step 2: group, description, cost = unit cost, duration = unit duration,
    # flow, initiated by, campaign target/response, correspondence type, campaign.
    t = template(campaign_no="CP01", campaign_target=True, campaign_response=True)

    e = plan(tmpl=t, entry_no=7, user_id="admin")

    assert e.entry_no == 7
    assert (e.interaction_template_code, e.interaction_group_code) == ("CALL", "SALES")
    assert (e.description, e.subject) == ("Phone call", "Phone call")
    assert (e.cost_lcy, e.duration_min) == (Decimal("2.50"), Decimal(10))
    assert (e.information_flow, e.initiated_by) == (
        InformationFlow.OUTBOUND,
        InitiatedBy.US,
    )
    assert (e.campaign_no, e.campaign_target, e.campaign_response) == (
        "CP01",
        True,
        True,
    )
    assert (e.contact_no, e.contact_company_no) == ("CT01", "CT01")
    assert (e.user_id, e.salesperson_code, e.date) == ("ADMIN", "JO", DAY)
    assert not e.postponed
    assert not e.attempt_failed
    assert (e.idempotency_key, e.payload_fingerprint) == (None, None)


def test_request_values_beat_template_defaults() -> None:
    # §3.4 step 3: evaluation, success, cost, duration, opportunity, campaign,
    # date/time, description, language and attachment may be set.
    t = template(campaign_no="CP01")
    t.add_language("DEU", attachment_no=3)
    req = request(
        description="Follow-up",
        subject="Contract",
        cost_lcy=0,
        duration_min=30,
        information_flow="Inbound",
        initiated_by="Them",
        evaluation="Positive",
        interaction_successful=False,
        campaign_no="CP02",
        opportunity_no="OP1",
        task_no="TD1",
        language_code="deu",
        attachment_no=11,
        salesperson_code="ANN",
        time_of_interaction=NINE,
        contact_via="+44 20 1234",
        send_word_docs_as_attmt=True,
        email_logged=True,
        email_message_id="<a@b>",
    )

    e = plan(
        req, tmpl=t, segment_no="sm1", logged_segment_entry_no=4, campaign_entry_no=5
    )

    assert (e.description, e.subject) == ("Follow-up", "Contract")
    assert (e.cost_lcy, e.duration_min) == (Decimal(0), Decimal(30))
    assert (e.information_flow, e.initiated_by) == (
        InformationFlow.INBOUND,
        InitiatedBy.THEM,
    )
    assert (e.evaluation, e.attempt_failed) == (Evaluation.POSITIVE, True)
    assert (e.campaign_no, e.opportunity_no, e.task_no) == ("CP02", "OP1", "TD1")
    assert (e.interaction_language_code, e.attachment_no) == ("DEU", 11)
    assert (e.salesperson_code, e.time_of_interaction) == ("ANN", NINE)
    assert (e.segment_no, e.logged_segment_entry_no, e.campaign_entry_no) == (
        "SM1",
        4,
        5,
    )
    assert (e.contact_via, e.send_word_docs_as_attmt) == ("+44 20 1234", True)
    assert (e.email_logged, e.email_message_id) == (True, "<a@b>")


def test_a_language_the_template_lacks_is_refused() -> None:
    with pytest.raises(NotFoundError) as info:
        plan(request(language_code="FRA"))

    assert info.value.key == ("CALL", "FRA")


def test_language_and_attachment_follow_the_contact() -> None:
    # §3.7: the contact's language if the template has a row for it, otherwise the
    # template's default; the row gives the attachment and Word template.
    t = template(language_code_default="ENU", word_template_code="TW")
    t.add_language("DEU", attachment_no=3, word_template_code="DW")
    t.add_language("ENU", attachment_no=4)

    german = plan(contact=company(language_code="DEU"), tmpl=t)
    french = plan(contact=company(language_code="FRA"), tmpl=t)
    t.remove_language("ENU")
    no_row = plan(contact=company(language_code="FRA"), tmpl=t)

    assert (german.interaction_language_code, german.attachment_no) == ("DEU", 3)
    assert german.word_template_code == "DW"
    assert (french.interaction_language_code, french.attachment_no) == ("ENU", 4)
    assert french.word_template_code is None  # the row's (blank) Word template
    assert (no_row.attachment_no, no_row.word_template_code) == (None, "TW")


def test_person_entries_carry_the_company() -> None:
    # §3.4 effects: Contact Company No. is the contact's company.
    anna = person()

    e = plan(request(contact_no="CT02"), contact=anna)

    assert (e.contact_no, e.contact_company_no) == ("CT02", "CT01")


def test_person_without_company_has_no_company_no() -> None:
    solo = Contact.create_person(
        no="CT03", name="Solo", now=NOW, setup=SETUP, salesperson_code="JO"
    )

    e = plan(request(contact_no="CT03"), contact=solo)

    assert e.contact_company_no is None


def test_salesperson_defaults_from_the_contact_and_is_required_for_manual_entries() -> (
    None
):
    # §3.4 step 1 and checks: Salesperson Code required only when Document Type = ' '.
    nobody = company(salesperson_code=None)

    assert (
        plan(request(salesperson_code="ann"), contact=nobody).salesperson_code == "ANN"
    )
    with pytest.raises(ValidationError) as info:
        plan(contact=nobody)
    assert info.value.field == "salesperson_code"
    assert plan(request(postponed=True), contact=nobody).salesperson_code is None
    document = request(document_type="Sales Inv.", document_no="SI1")
    assert plan(document, contact=nobody).salesperson_code is None


def test_a_privacy_blocked_contact_cannot_be_logged_even_postponed() -> None:
    # §2.15; reliability B.2 #4 (a deliberate choice: BC skips it when postponing).
    blocked = company()
    blocked.block_privacy(now=NOW)

    with pytest.raises(PrivacyBlockedError) as info:
        plan(contact=blocked)
    assert (info.value.contact_no, info.value.purpose) == ("CT01", "interaction")
    with pytest.raises(PrivacyBlockedError):
        plan(request(postponed=True), contact=blocked)


def test_the_template_is_required_to_finish_but_not_to_postpone() -> None:
    # §3.4: the Interaction Template Code must be set.
    bare = request(template_code=None)

    with pytest.raises(ValidationError) as info:
        plan_interaction(
            bare, entry_no=1, contact=company(), template=None, user_id="u"
        )
    assert info.value.field == "interaction_template_code"

    saved = plan_interaction(
        request(
            template_code=None,
            date=None,
            postponed=True,
            description="Later",
            language_code="enu",
            attachment_no=2,
        ),
        entry_no=1,
        contact=company(),
        template=None,
        user_id="u",
    )
    assert (saved.postponed, saved.date, saved.interaction_template_code) == (
        True,
        None,
        None,
    )
    assert (saved.description, saved.cost_lcy, saved.correspondence_type) == (
        "Later",
        Decimal(0),
        CorrespondenceType.BLANK,
    )
    assert (saved.interaction_language_code, saved.attachment_no) == ("ENU", 2)
    assert saved.contact_alt_address_code is None


def test_the_request_and_the_records_must_agree() -> None:
    with pytest.raises(ValidationError) as info:
        plan(request(contact_no="CT09"))
    assert info.value.field == "contact"
    with pytest.raises(ValidationError) as info:
        plan(request(template_code="MEMO"))
    assert info.value.field == "template"
    with pytest.raises(ValidationError):
        plan(request(template_code=None))
    with pytest.raises(NotFoundError) as not_found:
        plan_interaction(
            request(), entry_no=1, contact=company(), template=None, user_id="u"
        )
    assert (not_found.value.kind, not_found.value.key) == (
        "interaction template",
        "CALL",
    )


def test_date_is_required_to_finish() -> None:
    with pytest.raises(ValidationError) as info:
        plan(request(date=None))

    assert info.value.field == "date"


def test_a_postponed_interaction_gets_no_campaign_entry() -> None:
    # §3.4 effects: a campaign entry only when not postponed.
    with pytest.raises(ValidationError) as info:
        plan(request(postponed=True), campaign_entry_no=3)

    assert info.value.field == "campaign_entry_no"


@pytest.mark.parametrize(
    ("contact_type", "template_type", "ignore", "expected"),
    [
        ("Hard Copy", "Email", False, "Hard Copy"),
        ("Hard Copy", "Email", True, "Email"),
        ("", "Hard Copy", False, "Hard Copy"),
        ("", "", False, ""),
        ("Email", "Hard Copy", False, "Email"),
    ],
)
def test_correspondence_type_follows_contact_unless_template_says_ignore(
    contact_type: str,
    template_type: str,
    ignore: bool,  # noqa: FBT001
    expected: str,
) -> None:
    # §4.3 / BC SetCorrespondenceType without a segment header.
    contact = company(correspondence_type=contact_type, email="info@cronus.example")
    t = template(correspondence_type=template_type, ignore_contact_corres_type=ignore)

    assert plan(contact=contact, tmpl=t).correspondence_type == expected


def test_request_correspondence_type_wins() -> None:
    contact = company(correspondence_type="Hard Copy", email="info@cronus.example")

    e = plan(request(correspondence_type="Email"), contact=contact)

    assert e.correspondence_type is CorrespondenceType.EMAIL


def test_email_without_an_address_falls_back_to_blank() -> None:
    # §3.4: Email falls back to ' ' when the contact has no e-mail; Contact Via empty.
    e = plan(contact=company(correspondence_type="Email"))

    assert e.correspondence_type is CorrespondenceType.BLANK
    assert e.contact_via == ""


def test_email_fills_contact_via_unless_given() -> None:
    contact = company(correspondence_type="Email", email="info@cronus.example")

    assert plan(contact=contact).contact_via == "info@cronus.example"
    assert plan(
        request(contact_via="sales@x.example"), contact=contact
    ).contact_via == ("sales@x.example")


def test_email_of_the_active_alternative_address_is_used() -> None:
    # §2.11 / §3.4: Contact Alt. Address Code is the address active on the date, and
    # its e-mail is used.
    contact = with_alt_address(
        company(correspondence_type="Email"), email="summer@cronus.example"
    )

    inside = plan(request(date=dt.date(2026, 3, 10)), contact=contact)
    outside = plan(request(date=DAY), contact=contact)

    assert inside.contact_alt_address_code == "SUMMER"
    assert (inside.correspondence_type, inside.contact_via) == (
        CorrespondenceType.EMAIL,
        "summer@cronus.example",
    )
    assert outside.contact_alt_address_code is None
    assert outside.correspondence_type is CorrespondenceType.BLANK


def test_an_alternative_address_without_email_falls_back_to_the_contacts() -> None:
    contact = with_alt_address(
        company(correspondence_type="Email", email="info@cronus.example")
    )

    e = plan(request(date=dt.date(2026, 3, 10)), contact=contact)

    assert (e.contact_alt_address_code, e.contact_via) == (
        "SUMMER",
        "info@cronus.example",
    )


def test_postponed_email_is_not_checked_yet() -> None:
    # §3.4: the checks (and BC's e-mail fallback) are skipped when postponed.
    e = plan(
        request(postponed=True, deliver=True),
        contact=company(correspondence_type="Email"),
    )

    assert e.correspondence_type is CorrespondenceType.EMAIL
    assert e.delivery_status is DeliveryStatus.BLANK


def test_delivering_needs_an_email_and_an_attachment() -> None:
    # §3.4: "Asking to deliver without an e-mail is an error"; §4.9: delivery needs
    # an attachment or Word template and starts In Progress.
    mailed = company(correspondence_type="Email", email="info@cronus.example")

    with pytest.raises(ValidationError) as info:
        plan(request(deliver=True), contact=company(correspondence_type="Email"))
    assert (info.value.field, info.value.value) == ("deliver", True)
    with pytest.raises(ValidationError) as info:
        plan(request(deliver=True), contact=mailed)
    assert info.value.field == "attachment_no"

    sent = plan(request(deliver=True, attachment_no=5), contact=mailed)
    merged = plan(
        request(deliver=True), contact=mailed, tmpl=template(word_template_code="W")
    )
    assert sent.delivery_status is DeliveryStatus.IN_PROGRESS
    assert merged.delivery_status is DeliveryStatus.IN_PROGRESS


def test_delivering_blank_correspondence_sends_nothing() -> None:
    e = plan(request(deliver=True))

    assert e.correspondence_type is CorrespondenceType.BLANK
    assert e.delivery_status is DeliveryStatus.BLANK


def test_open_wizard_action_needs_an_attachment_or_word_template() -> None:
    # BC CheckStatus: "No attachment found. ..."
    opening = template(wizard_action="Open")

    with pytest.raises(ValidationError) as info:
        plan(tmpl=opening)
    assert info.value.field == "attachment_no"
    assert plan(request(attachment_no=1), tmpl=opening).attachment_no == 1
    assert (
        plan(
            tmpl=template(wizard_action="Open", word_template_code="W")
        ).word_template_code
        == "W"
    )
    assert plan(request(postponed=True), tmpl=opening).postponed
    document = request(document_type="Sales Qte.", document_no="Q1")
    assert plan(document, tmpl=opening).document_no == "Q1"


def test_idempotent_requests_store_their_fingerprint() -> None:
    # §3.4 + reliability B.3: same key and payload -> the first entry; another
    # payload -> IdempotencyConflictError.
    req = request(idempotency_key="uuid-1")
    e = plan(req)

    assert (e.idempotency_key, e.payload_fingerprint) == ("uuid-1", req.fingerprint())
    e.ensure_same_payload(request(idempotency_key="uuid-1"))
    with pytest.raises(IdempotencyConflictError) as info:
        e.ensure_same_payload(request(idempotency_key="uuid-1", description="Other"))
    assert (info.value.key, info.value.entry_no) == ("uuid-1", 1)
    with pytest.raises(ValidationError):
        e.ensure_same_payload(request(idempotency_key="uuid-2"))
    with pytest.raises(ValidationError):
        e.ensure_same_payload(request())


def test_a_replay_still_matches_after_the_entry_changed() -> None:
    req = request(idempotency_key="uuid-1", evaluation="Positive")
    e = plan(req).evaluate("Negative").cancel().anonymise()

    e.ensure_same_payload(req)


# --- resume (§3.6) -------------------------------------------------------------------------


def postponed_entry(**fields: Any) -> InteractionLogEntry:
    return plan(request(postponed=True, **fields))


def test_resume_finishes_the_same_entry() -> None:
    # §3.6 Resume: Date := WORKDATE, same entry no., Postponed becomes false.
    saved = postponed_entry(description="Draft", time_of_interaction=NINE, cost_lcy=1)

    done = saved.resume(
        contact=company(), date=LATER, user_id="anna", campaign_entry_no=6
    )

    assert (done.entry_no, done.postponed, done.date) == (saved.entry_no, False, LATER)
    assert (done.user_id, done.campaign_entry_no) == ("ANNA", 6)
    assert (done.description, done.subject, done.cost_lcy) == (
        "Draft",
        "Draft",
        Decimal(1),
    )
    assert done.time_of_interaction == NINE
    check_update(saved, done)


def test_resume_takes_new_values() -> None:
    saved = postponed_entry()

    done = saved.resume(
        contact=company(),
        date=LATER,
        user_id="anna",
        time_of_interaction=NINE,
        description="Signed",
        cost_lcy="3",
        duration_min=20,
        evaluation="Very Positive",
        interaction_successful=False,
        salesperson_code="ann",
        campaign_no="cp9",
        opportunity_no="op9",
        contact_via="+44 1",
    )

    assert (done.description, done.subject) == ("Signed", "Signed")
    assert (done.cost_lcy, done.duration_min) == (Decimal(3), Decimal(20))
    assert (done.evaluation, done.attempt_failed) == (Evaluation.VERY_POSITIVE, True)
    assert (done.salesperson_code, done.campaign_no, done.opportunity_no) == (
        "ANN",
        "CP9",
        "OP9",
    )
    assert (done.contact_via, done.time_of_interaction) == ("+44 1", NINE)


def test_resume_can_postpone_again_and_keeps_attempt_failed() -> None:
    saved = postponed_entry(interaction_successful=False)

    again = saved.resume(contact=company(), date=LATER, user_id="u", postponed=True)

    assert again.postponed
    assert again.attempt_failed
    with pytest.raises(ValidationError):
        saved.resume(
            contact=company(),
            date=LATER,
            user_id="u",
            postponed=True,
            campaign_entry_no=2,
        )


def test_resume_is_only_for_postponed_live_entries_of_the_contact() -> None:
    with pytest.raises(InteractionEntryError) as info:
        plan().resume(contact=company(), date=LATER, user_id="u")
    assert info.value.reason == "not postponed"
    with pytest.raises(InteractionEntryError) as info:
        postponed_entry().cancel().resume(contact=company(), date=LATER, user_id="u")
    assert info.value.reason == "canceled"
    with pytest.raises(ValidationError) as v:
        postponed_entry().resume(contact=person(), date=LATER, user_id="u")
    assert v.value.field == "contact"
    blocked = company()
    blocked.block_privacy(now=NOW)
    with pytest.raises(PrivacyBlockedError):
        postponed_entry().resume(contact=blocked, date=LATER, user_id="u")


def test_resume_runs_the_checks_on_finish() -> None:
    no_salesperson = plan(
        request(postponed=True), contact=company(salesperson_code=None)
    )
    with pytest.raises(ValidationError) as info:
        no_salesperson.resume(
            contact=company(salesperson_code=None), date=LATER, user_id="u"
        )
    assert info.value.field == "salesperson_code"

    mailed = company(correspondence_type="Email", email="info@cronus.example")
    saved = plan(request(postponed=True, attachment_no=3), contact=mailed)
    sent = saved.resume(contact=mailed, date=LATER, user_id="u", deliver=True)
    assert (sent.delivery_status, sent.contact_via) == (
        DeliveryStatus.IN_PROGRESS,
        "info@cronus.example",
    )


def test_resume_re_evaluates_the_alternative_address_it_had_for_the_old_date() -> None:
    # §4.3 Date: re-evaluated only if the line had the address active on the old date.
    contact = with_alt_address(company())
    inside = dt.date(2026, 3, 10)

    saved_outside = plan(request(postponed=True, date=DAY), contact=contact)
    saved_inside = plan(request(postponed=True, date=inside), contact=contact)
    undated = plan(request(postponed=True, date=None), contact=contact)

    assert (
        saved_outside.resume(
            contact=contact, date=inside, user_id="u"
        ).contact_alt_address_code
        == "SUMMER"
    )
    assert (
        saved_inside.resume(
            contact=contact, date=LATER, user_id="u"
        ).contact_alt_address_code
        == "SUMMER"
    )
    assert (
        saved_inside.resume(
            contact=contact, date=DAY, user_id="u"
        ).contact_alt_address_code
        is None
    )
    assert (
        undated.resume(
            contact=contact, date=inside, user_id="u"
        ).contact_alt_address_code
        == "SUMMER"
    )
    odd = attrs.evolve(saved_outside, contact_alt_address_code="OTHER")
    assert (
        odd.resume(contact=contact, date=inside, user_id="u").contact_alt_address_code
        == "OTHER"
    )


# --- plan_document_log (§3.5) -------------------------------------------------------------


def document_setup() -> InteractionTemplateSetup:
    return InteractionTemplateSetup(
        templates={"Sales Invoices": "INV", "E-Mails": "EML"}
    )


def invoice_template(**fields: Any) -> InteractionTemplate:
    return template(code="INV", description="Sales invoice", **fields)


def test_document_log_follows_log_document() -> None:
    # §3.5: template from the setup, description defaults, document identity set.
    e = plan_document_log(
        entry_no=3,
        setup=document_setup(),
        kind=DocumentKind.SALES_INVOICES,
        template=invoice_template(campaign_no="CP1"),
        contact=company(),
        document_no="si-103",
        doc_no_occurrence=1,
        version_no=2,
        opportunity_no="op1",
        date=DAY,
        time_of_interaction=NINE,
        user_id="u",
    )

    assert e is not None
    assert (e.document_type, e.document_no) == (DocumentType.SALES_INVOICE, "SI-103")
    assert (e.doc_no_occurrence, e.version_no, e.opportunity_no) == (1, 2, "OP1")
    assert (e.description, e.salesperson_code, e.campaign_no) == (
        "Sales invoice",
        "JO",
        "CP1",
    )


def test_document_log_without_a_setup_template_logs_nothing() -> None:
    assert (
        plan_document_log(
            entry_no=3,
            setup=document_setup(),
            kind="Sales Quotes",
            template=None,
            contact=company(),
            document_no="Q1",
            date=DAY,
            user_id="u",
        )
        is None
    )


def test_document_log_refuses_templates_with_languages() -> None:
    # §3.5: "template used for documents must not have languages/attachments".
    t = invoice_template()
    t.add_language("ENU")

    with pytest.raises(ValidationError) as info:
        plan_document_log(
            entry_no=3,
            setup=document_setup(),
            kind="Sales Invoices",
            template=t,
            contact=company(),
            document_no="SI1",
            date=DAY,
            user_id="u",
        )
    assert info.value.field == "interaction_template_code"


def test_document_log_for_a_customer_takes_the_documents_salesperson_only() -> None:
    # BC LogDocument: only a Contact account defaults the salesperson from the contact.
    common: dict[str, Any] = {
        "entry_no": 3,
        "setup": document_setup(),
        "kind": "Sales Invoices",
        "template": invoice_template(),
        "contact": company(),
        "document_no": "SI1",
        "date": DAY,
        "user_id": "u",
    }

    customer = plan_document_log(account=LinkToTable.CUSTOMER, **common)
    given = plan_document_log(
        account="Vendor",
        salesperson_code="ann",
        description="Bill",
        campaign_no="cp2",
        **common,
    )

    assert customer is not None
    assert customer.salesperson_code is None
    assert given is not None
    assert (given.salesperson_code, given.description, given.campaign_no) == (
        "ANN",
        "Bill",
        "CP2",
    )


def test_document_log_needs_the_setup_template() -> None:
    with pytest.raises(NotFoundError):
        plan_document_log(
            entry_no=3,
            setup=document_setup(),
            kind="Sales Invoices",
            template=None,
            contact=company(),
            document_no="SI1",
            date=DAY,
            user_id="u",
        )


def test_email_kind_logs_a_blank_document_type_that_needs_a_salesperson() -> None:
    with pytest.raises(ValidationError) as info:
        plan_document_log(
            entry_no=3,
            setup=document_setup(),
            kind="E-Mails",
            template=template(code="EML"),
            contact=company(salesperson_code=None),
            document_no="M1",
            date=DAY,
            user_id="u",
        )
    assert info.value.field == "salesperson_code"


def test_document_log_replay_is_recognised() -> None:
    args: dict[str, Any] = {
        "setup": document_setup(),
        "kind": "Sales Invoices",
        "document_no": "SI1",
        "date": DAY,
        "idempotency_key": "SI1",
    }
    e = plan_document_log(
        entry_no=3, template=invoice_template(), contact=company(), user_id="u", **args
    )
    replay = InteractionRequest.for_document(contact_no="CT01", **args)

    assert e is not None
    assert replay is not None
    e.ensure_same_payload(replay)


# --- statistics (§2.2, §3.1, §3.2) ----------------------------------------------------------


def stats_entries() -> list[InteractionLogEntry]:
    return [
        entry(
            entry_no=1,
            contact_no="CT01",
            contact_company_no="CT01",
            cost_lcy=1,
            duration_min=5,
            interaction_group_code="G",
            interaction_template_code="T",
            initiated_by="Us",
            date=dt.date(2026, 1, 1),
        ),
        entry(
            entry_no=2,
            contact_no="CT02",
            contact_company_no="CT01",
            cost_lcy=2,
            duration_min=10,
            interaction_group_code="G",
            interaction_template_code="T",
            attempt_failed=True,
            date=dt.date(2026, 2, 1),
        ),
        entry(
            entry_no=3,
            contact_no="CT02",
            contact_company_no="CT01",
            cost_lcy=4,
            canceled=True,
            interaction_group_code="G",
            initiated_by="Us",
            date=dt.date(2026, 3, 1),
        ),
        entry(
            entry_no=4,
            contact_no="CT02",
            contact_company_no="CT01",
            cost_lcy=8,
            postponed=True,
            interaction_group_code="G",
            initiated_by="Us",
            date=dt.date(2026, 4, 1),
        ),
        entry(
            entry_no=5,
            contact_no="CT03",
            contact_company_no=None,
            cost_lcy=16,
            interaction_group_code="H",
            date=dt.date(2026, 1, 15),
        ),
        entry(
            entry_no=6,
            contact_no="CT02",
            contact_company_no="CT09",
            cost_lcy=32,
            date=dt.date(2026, 1, 20),
        ),
    ]


def test_totals_skip_canceled_and_postponed_entries_and_honour_the_date_filter() -> (
    None
):
    # §3.6 Statistics: non-canceled, non-postponed; Date Filter.
    entries = stats_entries()

    assert interaction_totals(entries) == InteractionStatistics(
        no_of_interactions=4, cost_lcy=Decimal(51), duration_min=Decimal(15)
    )
    assert (
        interaction_totals(entries, starting=dt.date(2026, 1, 10)).no_of_interactions
        == 3
    )
    assert (
        interaction_totals(entries, ending=dt.date(2026, 1, 10)).no_of_interactions == 1
    )
    assert interaction_totals([]) == InteractionStatistics()


def test_group_and_template_figures() -> None:
    # §3.1, §3.2 FlowFields.
    entries = stats_entries()

    assert group_statistics(entries, "g").cost_lcy == Decimal(3)
    assert group_statistics(
        entries, "G", starting=dt.date(2026, 2, 1)
    ).cost_lcy == Decimal(2)
    assert template_statistics(entries, "t").duration_min == Decimal(15)
    assert (
        template_statistics(
            entries, "T", ending=dt.date(2026, 1, 31)
        ).no_of_interactions
        == 1
    )
    assert group_statistics(entries, "H").date_of_last_interaction is None


def test_company_figures_cover_all_its_persons() -> None:
    # §2.2: LC is blank for a company, so every contact of the company counts.
    stats = contact_statistics(
        stats_entries(), company_no="CT01", lookup_contact_no=None
    )

    assert (stats.no_of_interactions, stats.cost_lcy, stats.duration_min) == (
        2,
        Decimal(3),
        Decimal(15),
    )
    # Date of Last Interaction: attempt failed and postponed excluded, canceled kept.
    assert stats.date_of_last_interaction == dt.date(2026, 3, 1)
    # Last Date Attempted: initiated by Us, postponed excluded, canceled kept.
    assert stats.last_date_attempted == dt.date(2026, 3, 1)


def test_person_figures_cover_only_the_person_under_its_company() -> None:
    stats = contact_statistics(
        stats_entries(), company_no="CT01", lookup_contact_no="CT02"
    )

    assert (stats.no_of_interactions, stats.cost_lcy) == (1, Decimal(2))
    assert stats.date_of_last_interaction == dt.date(2026, 3, 1)
    assert stats.last_date_attempted == dt.date(2026, 3, 1)


def test_person_without_company_matches_blank_company_entries() -> None:
    stats = contact_statistics(
        stats_entries(), company_no=None, lookup_contact_no="ct03"
    )

    assert (stats.no_of_interactions, stats.cost_lcy) == (1, Decimal(16))
    assert stats.last_date_attempted is None


def test_contact_figures_honour_the_date_filter_for_totals_only() -> None:
    stats = contact_statistics(
        stats_entries(),
        company_no="CT01",
        lookup_contact_no=None,
        starting=dt.date(2026, 2, 1),
    )

    assert stats.no_of_interactions == 1
    assert stats.date_of_last_interaction == dt.date(2026, 3, 1)


def test_statistics_refuse_bad_codes() -> None:
    with pytest.raises(ValidationError):
        group_statistics([], "")
    with pytest.raises(ValidationError):
        template_statistics([], "X" * 11)
    with pytest.raises(ValidationError):
        contact_statistics([], company_no="C" * 21, lookup_contact_no=None)
    with pytest.raises(ValidationError):
        contact_statistics([], company_no=None, lookup_contact_no=Code("C" * 21))


# --- InteractionFilter and statistics_of (§2.2, §3.6) -----------------------------------


def _entry(no: int, **fields: object) -> InteractionLogEntry:
    base: dict[str, object] = {"entry_no": no, "date": dt.date(2026, 3, no)}
    base.update(fields)
    return InteractionLogEntry(**base)  # type: ignore[arg-type]


def test_filter_selects_by_every_key_field() -> None:
    entry = _entry(
        1,
        contact_no="P1",
        contact_company_no="C1",
        interaction_template_code="CALL",
        interaction_group_code="SALES",
        salesperson_code="JO",
        campaign_no="CP1",
        attachment_no=7,
    )
    for field_name, hit, miss in [
        ("contact_no", "P1", "P2"),
        ("contact_company_no", "C1", "C2"),
        ("template_code", "call", "MEET"),
        ("group_code", "sales", "OTHER"),
        ("salesperson_code", "jo", "AP"),
        ("campaign_no", "cp1", "CP2"),
        ("attachment_no", 7, 8),
    ]:
        assert InteractionFilter(**{field_name: hit}).selects(entry)
        assert not InteractionFilter(**{field_name: miss}).selects(entry)
    assert InteractionFilter().selects(entry)


def test_blank_company_filter_selects_entries_without_a_company() -> None:
    """§2.2: a person without a company filters Contact Company No. = ''."""
    alone = _entry(1, contact_no="P1")
    employed = _entry(2, contact_no="P2", contact_company_no="C1")
    where = InteractionFilter(contact_company_no="")

    assert where.selects(alone)
    assert not where.selects(employed)


def test_statistics_of_counts_with_bc_filters() -> None:
    """§2.2: counted figures skip canceled and postponed entries outside the dates;
    the last dates skip postponed ones only and ignore the Date Filter."""
    entries = [
        _entry(1, cost_lcy=1, duration_min=5, initiated_by="Us"),
        _entry(2, cost_lcy=2, canceled=True),
        _entry(3, cost_lcy=4, postponed=True, initiated_by="Us"),
        _entry(4, cost_lcy=8, attempt_failed=True, initiated_by="Us"),
        _entry(5, cost_lcy=16),
    ]
    where = InteractionFilter(starting=dt.date(2026, 3, 1), ending=dt.date(2026, 3, 4))

    figures = statistics_of(entries, where)

    assert (figures.no_of_interactions, figures.cost_lcy) == (2, Decimal(9))
    assert figures.duration_min == Decimal(5)
    assert figures.date_of_last_interaction == dt.date(2026, 3, 5)
    assert figures.last_date_attempted == dt.date(2026, 3, 4)


def test_contact_filter_is_the_lc_rule() -> None:
    """§2.2: a company covers its persons' entries; a person only its own."""
    entries = [
        _entry(1, contact_no="C1", contact_company_no="C1"),
        _entry(2, contact_no="P1", contact_company_no="C1"),
    ]
    company = contact_filter(company_no="C1", lookup_contact_no=None)
    person = contact_filter(company_no="C1", lookup_contact_no="P1")

    assert statistics_of(entries, company).no_of_interactions == 2
    assert statistics_of(entries, person).no_of_interactions == 1


def test_time_of_interaction_has_no_time_zone() -> None:
    """§3.3: Time of Interaction is a plain wall-clock time, as storage keeps it."""
    with pytest.raises(ValidationError):
        _entry(1, time_of_interaction=dt.time(9, 0, tzinfo=dt.UTC))
    assert _entry(1, time_of_interaction=dt.time(9, 0)).time_of_interaction == dt.time(
        9, 0
    )


def test_stored_as_sets_only_the_version() -> None:
    """Storage's copy of an entry: the same fields, the version it stores."""
    entry = _entry(1, cost_lcy=2, description="Call")

    stored = entry.stored_as(3)

    assert stored == attrs.evolve(entry, version=3)
    with pytest.raises(ValidationError):
        entry.stored_as(-1)


def test_a_template_deep_copy_is_equal_and_independent() -> None:
    """InteractionTemplate shares its immutable fields on copy (storage reads)."""
    import copy

    template = InteractionTemplate(code="CALL", interaction_group_code="SALES")
    clone = copy.deepcopy(template)
    clone.change(description="Call")

    assert clone != template
    assert clone.code == template.code
