"""Marketing Setup, the code tables and salutation formulas (spec §1.1, §1.2, §2.10)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from relationship_mgmt.domain.codes import Code
from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.setup import (
    CODE_TABLE_KINDS,
    AttachmentStorageType,
    BusinessRelation,
    CampaignStatus,
    CloseOpportunityCode,
    CloseOpportunityType,
    CodeRecord,
    CorrespondenceType,
    IndustryGroup,
    InteractionGroup,
    JobResponsibility,
    MailingGroup,
    OrganizationalLevel,
    RelationshipSetup,
    Salutation,
    SalutationFormula,
    SalutationName,
    SalutationType,
    Territory,
    WebSource,
)
from relationship_mgmt.errors import CodeTooLongError, ValidationError

# --- RelationshipSetup (§1.1 Marketing Setup) ---------------------------------------

INHERIT_FLAGS = [
    "inherit_salesperson_code",
    "inherit_territory_code",
    "inherit_country_code",
    "inherit_language_code",
    "inherit_format_region",
    "inherit_address_details",
    "inherit_communication_details",
]
SERIES_FIELDS = [
    "contact_nos",
    "campaign_nos",
    "segment_nos",
    "task_nos",
    "opportunity_nos",
]
CODE10_FIELDS = [
    "bus_rel_code_for_customers",
    "bus_rel_code_for_vendors",
    "bus_rel_code_for_bank_accounts",
    "bus_rel_code_for_employees",
    "default_territory_code",
    "default_country_code",
    "default_language_code",
    "default_sales_cycle_code",
    "default_company_salutation_code",
    "default_person_salutation_code",
]


def test_setup_defaults_follow_the_marketing_setup_table() -> None:
    # §1.1: inherit flags true, Search Hit % 60, both duplicate flags true,
    # Attachment Storage Type Embedded, Default Correspondence Type blank.
    setup = RelationshipSetup()

    assert all(getattr(setup, name) is True for name in INHERIT_FLAGS)
    assert setup.search_hit_pct == 60
    assert setup.autosearch_for_duplicates is True
    assert setup.maintain_dupl_search_strings is True
    assert setup.attachment_storage_type is AttachmentStorageType.EMBEDDED
    assert setup.default_correspondence_type is CorrespondenceType.BLANK
    assert setup.mergefield_language_id == 0
    assert setup.attachment_storage_location == ""
    assert setup.default_format_region == ""
    assert setup.default_task_date_formula is None
    assert setup.default_salesperson_code is None
    assert all(getattr(setup, name) is None for name in SERIES_FIELDS)
    assert all(getattr(setup, name) is None for name in CODE10_FIELDS)
    assert setup.version == 0


def test_setup_field_names_are_the_changeable_fields() -> None:
    names = RelationshipSetup.field_names()

    assert set(INHERIT_FLAGS + SERIES_FIELDS + CODE10_FIELDS) <= names
    assert "search_hit_pct" in names
    assert "version" not in names
    assert "_pending" not in names
    assert "pending" not in names


@pytest.mark.parametrize("name", SERIES_FIELDS)
def test_setup_number_series_codes_are_normalised_code20(name: str) -> None:
    setup = RelationshipSetup()

    setup.change(**{name: " cont-" + "x" * 15})

    assert getattr(setup, name) == "CONT-" + "X" * 15
    with pytest.raises(CodeTooLongError) as info:
        setup.change(**{name: "x" * 21})
    assert info.value.field == "number_series"


@pytest.mark.parametrize("name", CODE10_FIELDS)
def test_setup_code_fields_are_normalised_code10(name: str) -> None:
    fields: dict[str, Any] = {name: " cust "}
    setup = RelationshipSetup(**fields)

    assert getattr(setup, name) == "CUST"
    with pytest.raises(CodeTooLongError):
        setup.change(**{name: "x" * 11})
    assert getattr(setup, name) == "CUST"


def test_setup_default_salesperson_code_is_a_code20() -> None:
    setup = RelationshipSetup(default_salesperson_code="s" * 20)

    assert setup.default_salesperson_code == "S" * 20
    with pytest.raises(CodeTooLongError):
        setup.change(default_salesperson_code="s" * 21)


def test_setup_blank_codes_become_none() -> None:
    setup = RelationshipSetup(contact_nos="CONT", default_territory_code="EU")

    setup.change(contact_nos="  ", default_territory_code="")

    assert setup.contact_nos is None
    assert setup.default_territory_code is None


def test_setup_change_sets_several_fields() -> None:
    setup = RelationshipSetup()

    setup.change(
        contact_nos="CONT",
        search_hit_pct=75,
        inherit_address_details=False,
        attachment_storage_type="Disk File",
        attachment_storage_location="/srv/attachments",
        default_correspondence_type="Email",
        default_format_region="en-US",
        mergefield_language_id=1033,
    )

    assert setup.contact_nos == "CONT"
    assert setup.search_hit_pct == 75
    assert setup.inherit_address_details is False
    assert setup.attachment_storage_type is AttachmentStorageType.DISK_FILE
    assert setup.attachment_storage_location == "/srv/attachments"
    assert setup.default_correspondence_type is CorrespondenceType.EMAIL
    assert setup.default_format_region == "en-US"
    assert setup.mergefield_language_id == 1033


@pytest.mark.parametrize(
    "bad",
    [
        {"search_hit_pct": 0},
        {"default_territory_code": "x" * 11},
        {"attachment_storage_type": "Cloud"},
        {"default_correspondence_type": "Fax"},
        {"default_format_region": "x" * 81},
        {"inherit_language_code": "no"},
        {"mergefield_language_id": "1033"},
        {"no_such_field": 1},
        {"default_task_date_formula": 7},
    ],
)
def test_setup_change_validates_everything_before_changing_anything(
    bad: dict[str, Any],
) -> None:
    setup = RelationshipSetup()
    before = attrs.evolve(setup)

    with pytest.raises(ValidationError):
        setup.change(contact_nos="CONT", inherit_address_details=False, **bad)

    assert setup == before


def test_setup_change_refuses_an_unknown_field() -> None:
    setup = RelationshipSetup()

    with pytest.raises(ValidationError) as info:
        setup.change(search_hit_pct=70, colour="red")

    assert (info.value.field, info.value.value) == ("colour", "red")
    assert setup.search_hit_pct == 60


def test_setup_change_does_not_touch_the_version() -> None:
    setup = RelationshipSetup()

    with pytest.raises(ValidationError) as info:
        setup.change(version=5)

    assert info.value.field == "version"
    assert setup.version == 0


@pytest.mark.parametrize(
    "name",
    [*INHERIT_FLAGS, "autosearch_for_duplicates", "maintain_dupl_search_strings"],
)
@pytest.mark.parametrize("value", ["yes", 1, None])
def test_setup_flags_must_be_booleans(name: str, value: object) -> None:
    setup = RelationshipSetup()

    with pytest.raises(ValidationError) as info:
        setup.change(**{name: value})

    assert info.value.value == value
    assert getattr(setup, name) is True


@pytest.mark.parametrize("value", ["1033", 10.5, True])
def test_setup_integer_fields_must_be_integers(value: object) -> None:
    setup = RelationshipSetup()

    with pytest.raises(ValidationError) as info:
        setup.change(mergefield_language_id=value)

    assert info.value.field == "mergefield_language_id"
    assert setup.mergefield_language_id == 0


# §1.1 coupling of the two duplicate flags


def test_switching_autosearch_on_switches_maintain_on() -> None:
    setup = RelationshipSetup()
    setup.change(maintain_dupl_search_strings=False)
    assert (setup.autosearch_for_duplicates, setup.maintain_dupl_search_strings) == (
        False,
        False,
    )

    setup.change(autosearch_for_duplicates=True)

    assert setup.maintain_dupl_search_strings is True
    assert setup.autosearch_for_duplicates is True


def test_switching_autosearch_off_leaves_maintain_on() -> None:
    setup = RelationshipSetup()

    setup.change(autosearch_for_duplicates=False)

    assert setup.autosearch_for_duplicates is False
    assert setup.maintain_dupl_search_strings is True


def test_setting_maintain_copies_its_value_into_autosearch() -> None:
    setup = RelationshipSetup()

    setup.change(maintain_dupl_search_strings=False)
    assert setup.autosearch_for_duplicates is False

    setup.change(maintain_dupl_search_strings=True)
    assert setup.autosearch_for_duplicates is True


def test_setting_both_duplicate_flags_lets_maintain_decide() -> None:
    setup = RelationshipSetup()

    setup.change(autosearch_for_duplicates=True, maintain_dupl_search_strings=False)

    assert (setup.autosearch_for_duplicates, setup.maintain_dupl_search_strings) == (
        False,
        False,
    )


@pytest.mark.parametrize("pct", [1, 60, 100])
def test_search_hit_pct_accepts_1_to_100(pct: int) -> None:
    setup = RelationshipSetup()

    setup.change(search_hit_pct=pct)

    assert setup.search_hit_pct == pct


@pytest.mark.parametrize("pct", [0, 101, -1, True, "60", 60.0, None])
def test_search_hit_pct_refuses_values_outside_1_to_100(pct: Any) -> None:
    # §1.1: Search Hit % is an integer 1..100.
    with pytest.raises(ValidationError) as info:
        RelationshipSetup(search_hit_pct=pct)

    assert info.value.field == "search_hit_pct"


def test_setup_text_fields_keep_bcs_lengths() -> None:
    RelationshipSetup(
        attachment_storage_location="x" * 250, default_format_region="x" * 80
    )

    with pytest.raises(ValidationError) as info:
        RelationshipSetup(attachment_storage_location="x" * 251)
    assert info.value.field == "attachment_storage_location"
    with pytest.raises(ValidationError) as info:
        RelationshipSetup(default_format_region="x" * 81)
    assert info.value.field == "default_format_region"


def test_setup_text_fields_must_be_strings() -> None:
    region: Any = 1033

    with pytest.raises(ValidationError) as info:
        RelationshipSetup(default_format_region=region)

    assert info.value.field == "default_format_region"


def test_setup_enum_fields_refuse_unknown_values() -> None:
    storage: Any = "Cloud"
    correspondence: Any = "Fax"

    with pytest.raises(ValidationError) as info:
        RelationshipSetup(attachment_storage_type=storage)
    assert info.value.field == "attachment_storage_type"
    with pytest.raises(ValidationError) as info:
        RelationshipSetup(default_correspondence_type=correspondence)
    assert info.value.field == "default_correspondence_type"


def test_default_task_date_formula_accepts_text() -> None:
    setup = RelationshipSetup(default_task_date_formula="1W")

    assert isinstance(setup.default_task_date_formula, DateFormula)
    assert str(setup.default_task_date_formula) == "1W"


def test_default_task_date_formula_can_be_changed_and_cleared() -> None:
    setup = RelationshipSetup()

    setup.change(default_task_date_formula="1W")
    assert str(setup.default_task_date_formula) == "1W"
    setup.change(default_task_date_formula="  ")
    assert setup.default_task_date_formula is None
    setup.change(default_task_date_formula=DateFormula.parse("1W"))
    assert str(setup.default_task_date_formula) == "1W"
    setup.change(default_task_date_formula=None)
    assert setup.default_task_date_formula is None


def test_default_task_date_formula_refuses_what_is_not_text() -> None:
    formula: Any = 7

    with pytest.raises(ValidationError) as info:
        RelationshipSetup(default_task_date_formula=formula)

    assert (info.value.field, info.value.value) == ("default_task_date_formula", 7)


# --- code tables (§1.2) -------------------------------------------------------------

PLAIN_CODE_TABLES: list[type[CodeRecord]] = [
    BusinessRelation,
    IndustryGroup,
    MailingGroup,
    JobResponsibility,
    OrganizationalLevel,
    WebSource,
    Salutation,
    Territory,
    CloseOpportunityCode,
    CampaignStatus,
    InteractionGroup,
]


@pytest.mark.parametrize("kind", PLAIN_CODE_TABLES)
def test_code_records_upper_case_and_trim_their_code(kind: type[CodeRecord]) -> None:
    record = kind(code=" cust ")

    assert record.code == "CUST"
    assert record.key == ("CUST",)
    assert record.description == ""


@pytest.mark.parametrize("kind", PLAIN_CODE_TABLES)
@pytest.mark.parametrize("code", ["", "   "])
def test_code_records_refuse_a_blank_code(kind: type[CodeRecord], code: str) -> None:
    with pytest.raises(ValidationError) as info:
        kind(code=code)

    assert info.value.field == "code"


@pytest.mark.parametrize("kind", PLAIN_CODE_TABLES)
def test_code_records_refuse_codes_longer_than_10(kind: type[CodeRecord]) -> None:
    assert kind(code="a" * 10).code == "A" * 10
    with pytest.raises(CodeTooLongError) as info:
        kind(code="a" * 11)

    assert (info.value.field, info.value.max_length) == ("code", 10)


@pytest.mark.parametrize("kind", [k for k in PLAIN_CODE_TABLES if k is not Territory])
def test_code_record_descriptions_are_text100(kind: type[CodeRecord]) -> None:
    assert kind(code="A", description="d" * 100).description == "d" * 100
    with pytest.raises(ValidationError) as info:
        kind(code="A", description="d" * 101)

    assert info.value.field == "description"


def test_code_records_are_frozen_values() -> None:
    group = IndustryGroup(code="retail", description="Retail")

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        group.code = Code("X")  # type: ignore[misc]
    assert group == IndustryGroup(code="RETAIL", description="Retail")
    assert len({group, IndustryGroup(code="retail", description="Retail")}) == 1


def test_web_source_url_needs_the_search_word_placeholder() -> None:
    # §1.2 Web Source: the URL holds %1 where the search word goes.
    with pytest.raises(ValidationError) as info:
        WebSource(code="LNK", url="https://example.com/search")

    assert info.value.field == "url"


def test_web_source_search_url_replaces_the_placeholder() -> None:
    source = WebSource(code="lnk", url="https://example.com/?q=%1&alt=%1")

    assert source.search_url("Cronus") == "https://example.com/?q=Cronus&alt=Cronus"


def test_web_source_url_may_be_blank_but_not_too_long() -> None:
    assert WebSource(code="LNK").url == ""
    with pytest.raises(ValidationError) as info:
        WebSource(code="LNK", url="https://x/%1" + "x" * 250)
    assert info.value.field == "url"


def test_territory_name_is_text50() -> None:
    # §1.2 Territory: Code[10] + Name (kept as description, Text[50]).
    assert Territory(code="EU", description="n" * 50).description == "n" * 50
    with pytest.raises(ValidationError) as info:
        Territory(code="EU", description="n" * 51)

    assert info.value.field == "description"


def test_close_opportunity_code_has_a_type() -> None:
    # §1.2 Close Opportunity Code: Type Won / Lost.
    assert CloseOpportunityCode(code="PRICE").type is CloseOpportunityType.WON
    lost: Any = "Lost"
    assert (
        CloseOpportunityCode(code="PRICE", type=lost).type is CloseOpportunityType.LOST
    )


def test_close_opportunity_code_refuses_an_unknown_type() -> None:
    kind: Any = "Abandoned"

    with pytest.raises(ValidationError) as info:
        CloseOpportunityCode(code="X", type=kind)

    assert (info.value.field, info.value.value) == ("type", "Abandoned")


def test_code_table_kinds_name_every_table_once() -> None:
    assert set(CODE_TABLE_KINDS.values()) == {*PLAIN_CODE_TABLES, SalutationFormula}
    assert all(kind == cls.kind for kind, cls in CODE_TABLE_KINDS.items())
    assert len(CODE_TABLE_KINDS) == 12


# --- Salutation formulas (§2.10) ----------------------------------------------------

FIRST_SURNAME = (SalutationName.FIRST_NAME, SalutationName.SURNAME)
JOHN_SMITH = {SalutationName.FIRST_NAME: "John", SalutationName.SURNAME: "Smith"}


def _formula(
    salutation: str, names: tuple[SalutationName, ...] = FIRST_SURNAME
) -> SalutationFormula:
    return SalutationFormula(salutation_code="M", salutation=salutation, names=names)


def test_salutation_formula_worked_example() -> None:
    # §2.10: "Dear Mr. %1 %2", Name1 = First Name, Name2 = Surname.
    formula = _formula("Dear Mr. %1 %2")

    assert formula.render(JOHN_SMITH) == "Dear Mr. John Smith"


def test_salutation_formula_drops_a_blank_name_with_its_space() -> None:
    # §2.10 step 4: "%1 " is removed when First Name is blank.
    formula = _formula("Dear Mr. %1 %2")

    assert formula.render({SalutationName.SURNAME: "Smith"}) == "Dear Mr. Smith"
    assert (
        formula.render({SalutationName.FIRST_NAME: "", SalutationName.SURNAME: "Smith"})
        == "Dear Mr. Smith"
    )


def test_salutation_formula_keeps_the_space_before_a_blank_last_name() -> None:
    # §2.10 step 4 removes "%2 " with its trailing space only; "%2" at the end has
    # none, so it becomes "" and the space before it stays, as in BC.
    formula = _formula("Dear Mr. %1 %2")

    assert formula.render({SalutationName.FIRST_NAME: "John"}) == "Dear Mr. John "


def test_salutation_formula_removes_only_the_first_occurrence() -> None:
    formula = _formula("A %1 %1 B")

    assert formula.render({}) == "A  B"


def test_salutation_formula_does_not_substitute_inside_values() -> None:
    # §2.10 step 5 substitutes once: a value containing "%2" stays literal.
    formula = _formula("Dear %1 %2")

    text = formula.render(
        {SalutationName.FIRST_NAME: "%2", SalutationName.SURNAME: "X"}
    )

    assert text == "Dear %2 X"


def test_salutation_formula_cuts_the_result_at_260() -> None:
    formula = _formula("Dear Mr. %1 %2")

    text = formula.render({SalutationName.SURNAME: "S" * 300})

    assert len(text) == 260
    assert text == ("Dear Mr. " + "S" * 300)[:260]


def test_salutation_formula_maps_every_name_kind() -> None:
    names = (
        SalutationName.JOB_TITLE,
        SalutationName.MIDDLE_NAME,
        SalutationName.INITIALS,
        SalutationName.COMPANY_NAME,
        SalutationName.BLANK,
    )
    formula = _formula("%1 %2 %3 %4 %5.", names)
    values = {
        SalutationName.JOB_TITLE: "CEO",
        SalutationName.MIDDLE_NAME: "Q",
        SalutationName.INITIALS: "JQS",
        SalutationName.COMPANY_NAME: "Cronus",
        SalutationName.BLANK: "never used",
    }

    assert formula.render(values) == "CEO Q JQS Cronus ."


def test_salutation_formula_pads_names_to_five() -> None:
    formula = _formula("Hi %1 %3 %2", (SalutationName.FIRST_NAME,))

    assert formula.names == (
        SalutationName.FIRST_NAME,
        SalutationName.BLANK,
        SalutationName.BLANK,
        SalutationName.BLANK,
        SalutationName.BLANK,
    )
    assert formula.render(JOHN_SMITH) == "Hi John "


def test_salutation_formula_accepts_name_texts_and_lists() -> None:
    names: Any = ["First Name", "Surname"]

    formula = SalutationFormula(salutation_code="M", salutation="%1 %2", names=names)

    assert formula.names[:2] == FIRST_SURNAME


def test_salutation_formula_refuses_more_than_five_names() -> None:
    names = (SalutationName.FIRST_NAME,) * 6

    with pytest.raises(ValidationError) as info:
        _formula("%1", names)

    assert info.value.field == "names"


@pytest.mark.parametrize("names", [("Nickname",), "First Name", 5])
def test_salutation_formula_refuses_unknown_names(names: Any) -> None:
    with pytest.raises(ValidationError) as info:
        SalutationFormula(salutation_code="M", salutation="%1", names=names)

    assert info.value.field == "names"


@pytest.mark.parametrize("salutation", ["", "   "])
def test_salutation_formula_refuses_to_render_a_blank_text(salutation: str) -> None:
    # §2.10 step 2: the Salutation text must be non-blank.
    formula = _formula(salutation)

    with pytest.raises(ValidationError) as info:
        formula.render(JOHN_SMITH)

    assert info.value.field == "salutation"


def test_salutation_formula_text_is_text50() -> None:
    assert _formula("x" * 50).salutation == "x" * 50
    with pytest.raises(ValidationError) as info:
        _formula("x" * 51)

    assert info.value.field == "salutation"


def test_salutation_formula_key_and_normalisation() -> None:
    formula = SalutationFormula(
        salutation_code=" m ", language_code=" enu ", salutation_type="Informal"
    )

    assert formula.salutation_code == "M"
    assert formula.language_code == "ENU"
    assert formula.salutation_type is SalutationType.INFORMAL
    assert formula.key == ("M", "ENU", "Informal")
    assert SalutationFormula(salutation_code="M").key == ("M", "", "Formal")


def test_salutation_formula_refuses_a_blank_salutation_code() -> None:
    with pytest.raises(ValidationError) as info:
        SalutationFormula(salutation_code=" ")

    assert info.value.field == "salutation_code"


def test_salutation_formula_codes_are_code10() -> None:
    with pytest.raises(CodeTooLongError) as info:
        SalutationFormula(salutation_code="M", language_code="x" * 11)

    assert info.value.field == "language_code"
    with pytest.raises(CodeTooLongError) as info:
        SalutationFormula(salutation_code="x" * 11)
    assert info.value.field == "salutation_code"


def test_salutation_formula_refuses_an_unknown_type() -> None:
    kind: Any = "Casual"

    with pytest.raises(ValidationError) as info:
        SalutationFormula(salutation_code="M", salutation_type=kind)

    assert info.value.field == "salutation_type"


# --- own e-mail domains (§1.4, e-mail logging) -------------------------------------------


def test_own_email_domains_are_normalised_and_checked() -> None:
    """A ``;`` list, trimmed and lower-cased; a leading ``@`` is dropped."""
    setup = RelationshipSetup(own_email_domains=" @Cronus.Example ;; cronus.co.uk ")

    assert setup.own_email_domains == "cronus.example;cronus.co.uk"
    assert setup.is_own_address("jo@CRONUS.example")
    assert not setup.is_own_address("jo@notcronus.example")
    assert not RelationshipSetup().is_own_address("jo@cronus.example")
    with pytest.raises(ValidationError):
        RelationshipSetup(own_email_domains="not a domain")
    with pytest.raises(ValidationError):
        RelationshipSetup(own_email_domains=["cronus.example"])
