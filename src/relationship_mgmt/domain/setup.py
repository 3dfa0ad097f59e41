"""Relationship Management setup and the code tables (spec §1.1, §1.2, §2.10).

:class:`RelationshipSetup` is BC's *Marketing Setup* singleton: the number series per
record kind, the company-to-person inheritance flags, the defaults for new contacts,
the duplicate-search settings and the rest of §1.1 that a library can honour.

The code tables of §1.2 are small frozen records keyed by a ``Code[10]``: business
relations, industry groups, mailing groups, job responsibilities, organizational
levels, web sources, salutations (with their formulas, §2.10), territories, close
opportunity codes and campaign statuses. Each record class names its ``kind`` and its
``key_fields``; storage adapters use those to keep one table per kind.

>>> setup = RelationshipSetup()
>>> (setup.search_hit_pct, setup.inherit_address_details)
(60, True)
>>> setup.change(maintain_dupl_search_strings=False)
>>> (setup.maintain_dupl_search_strings, setup.autosearch_for_duplicates)
(False, False)
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, cast

import attrs
from attrs import define, field, frozen

from relationship_mgmt.domain._aggregate import AggregateRoot
from relationship_mgmt.domain._fields import to_enum as _enum
from relationship_mgmt.domain.codes import (
    CODE10,
    CODE20,
    Code,
    NoSeriesCode,
    make_code,
    make_optional_code,
)
from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.errors import ValidationError

__all__ = [
    "AttachmentStorageType",
    "BusinessRelation",
    "CODE_TABLE_KINDS",
    "CampaignStatus",
    "CloseOpportunityCode",
    "CloseOpportunityType",
    "CodeRecord",
    "CorrespondenceType",
    "IndustryGroup",
    "InteractionGroup",
    "JobResponsibility",
    "MailingGroup",
    "OrganizationalLevel",
    "RelationshipSetup",
    "Salutation",
    "SalutationFormula",
    "SalutationName",
    "SalutationType",
    "Territory",
    "WebSource",
]


class AttachmentStorageType(enum.StrEnum):
    """Where interaction attachments are kept (Marketing Setup, §1.1)."""

    EMBEDDED = "Embedded"
    DISK_FILE = "Disk File"


class CorrespondenceType(enum.StrEnum):
    """How a contact prefers to receive documents (§2.1 field 5100; Fax is gone)."""

    BLANK = ""
    HARD_COPY = "Hard Copy"
    EMAIL = "Email"


class SalutationType(enum.StrEnum):
    """Formal or informal salutation (§2.10)."""

    FORMAL = "Formal"
    INFORMAL = "Informal"


class SalutationName(enum.StrEnum):
    """Which contact field fills a ``%1`` to ``%5`` placeholder of a formula (§2.10)."""

    BLANK = ""
    JOB_TITLE = "Job Title"
    FIRST_NAME = "First Name"
    MIDDLE_NAME = "Middle Name"
    SURNAME = "Surname"
    INITIALS = "Initials"
    COMPANY_NAME = "Company Name"


class CloseOpportunityType(enum.StrEnum):
    """Whether a close-opportunity code closes as won or as lost (§5.3)."""

    WON = "Won"
    LOST = "Lost"


def _optional_code10(value: str | None) -> Code | None:
    return make_optional_code(value, max_length=CODE10)


def _optional_code20(value: str | None) -> Code | None:
    return make_optional_code(value, max_length=CODE20)


def _optional_series(value: str | None) -> NoSeriesCode | None:
    code = make_optional_code(value, max_length=CODE20, field="number_series")
    return None if code is None else NoSeriesCode(code)


def _attachment_storage_type(value: str) -> AttachmentStorageType:
    return _enum(AttachmentStorageType, "attachment_storage_type", value)


def _correspondence_type(value: str) -> CorrespondenceType:
    return _enum(CorrespondenceType, "default_correspondence_type", value)


def _close_opportunity_type(value: str) -> CloseOpportunityType:
    return _enum(CloseOpportunityType, "type", value)


def _salutation_type(value: str) -> SalutationType:
    return _enum(SalutationType, "salutation_type", value)


def _code10(value: str) -> Code:
    return make_code(value, max_length=CODE10)


def _salutation_code(value: str) -> Code:
    return make_code(value, max_length=CODE10, field="salutation_code")


def _language_code(value: str) -> Code:
    return make_code(value, max_length=CODE10, field="language_code")


def _text(n: int) -> Callable[[object, attrs.Attribute[str], str], None]:
    """Validator for BC ``Text[n]``: a string of at most n characters."""

    def check(_: object, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str):
            raise ValidationError(attribute.name, value, "must be a string")
        if len(value) > n:
            raise ValidationError(
                attribute.name, value, f"is longer than {n} characters"
            )

    return check


_DOMAIN = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)


def _email_domains(value: object) -> str:
    """Normalise a ``;`` list of e-mail domains: trimmed, lower-case, each valid."""
    if not isinstance(value, str):
        raise ValidationError("own_email_domains", value, "must be a string")
    domains = [part.strip().lower().lstrip("@") for part in value.split(";")]
    for domain in domains:
        if domain and not _DOMAIN.match(domain):
            raise ValidationError(
                "own_email_domains", value, f"{domain!r} is not a domain name"
            )
    return ";".join(d for d in domains if d)


def _hit_pct(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:  # noqa: PLR2004
        raise ValidationError(attribute.name, value, "must be an integer from 1 to 100")


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be true or false")


def _int(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(attribute.name, value, "must be an integer")


def _optional_formula(value: DateFormula | str | None) -> DateFormula | None:
    if value is None:
        return None
    if isinstance(value, DateFormula):
        return value if value.terms else None  # an empty formula means "none"
    if not isinstance(value, str):
        raise ValidationError(
            "default_task_date_formula", value, "must be a date formula or text"
        )
    formula = DateFormula.parse(value)
    return formula if formula.terms else None


@define(kw_only=True)
class RelationshipSetup(AggregateRoot):
    """BC's *Marketing Setup* (table 5079), one per workspace (spec §1.1).

    Fields keep BC's meaning and defaults; codes are normalised (``Code[n]``). Change
    it with :meth:`change`, which keeps BC's coupling of the two duplicate-search
    flags. Fields BC marks obsolete (Exchange e-mail logging) and the legacy customer
    templates are left out.

    >>> RelationshipSetup(contact_nos="cont").contact_nos
    'CONT'
    """

    # General: number series per record kind.
    contact_nos: NoSeriesCode | None = field(default=None, converter=_optional_series)
    campaign_nos: NoSeriesCode | None = field(default=None, converter=_optional_series)
    segment_nos: NoSeriesCode | None = field(default=None, converter=_optional_series)
    task_nos: NoSeriesCode | None = field(default=None, converter=_optional_series)
    opportunity_nos: NoSeriesCode | None = field(
        default=None, converter=_optional_series
    )
    # Interactions: business relation codes and attachment storage.
    bus_rel_code_for_customers: Code | None = field(
        default=None, converter=_optional_code10
    )
    bus_rel_code_for_vendors: Code | None = field(
        default=None, converter=_optional_code10
    )
    bus_rel_code_for_bank_accounts: Code | None = field(
        default=None, converter=_optional_code10
    )
    bus_rel_code_for_employees: Code | None = field(
        default=None, converter=_optional_code10
    )
    attachment_storage_type: AttachmentStorageType = field(
        default=AttachmentStorageType.EMBEDDED, converter=_attachment_storage_type
    )
    attachment_storage_location: str = field(default="", validator=_text(250))
    mergefield_language_id: int = field(default=0, validator=_int)
    # Inheritance (company -> person, §2.6).
    inherit_salesperson_code: bool = field(default=True, validator=_bool)
    inherit_territory_code: bool = field(default=True, validator=_bool)
    inherit_country_code: bool = field(default=True, validator=_bool)
    inherit_language_code: bool = field(default=True, validator=_bool)
    inherit_format_region: bool = field(default=True, validator=_bool)
    inherit_address_details: bool = field(default=True, validator=_bool)
    inherit_communication_details: bool = field(default=True, validator=_bool)
    # Defaults for new contacts and records.
    default_salesperson_code: Code | None = field(
        default=None, converter=_optional_code20
    )
    default_territory_code: Code | None = field(
        default=None, converter=_optional_code10
    )
    default_country_code: Code | None = field(default=None, converter=_optional_code10)
    default_language_code: Code | None = field(default=None, converter=_optional_code10)
    default_format_region: str = field(default="", validator=_text(80))
    default_sales_cycle_code: Code | None = field(
        default=None, converter=_optional_code10
    )
    default_company_salutation_code: Code | None = field(
        default=None, converter=_optional_code10
    )
    default_person_salutation_code: Code | None = field(
        default=None, converter=_optional_code10
    )
    default_correspondence_type: CorrespondenceType = field(
        default=CorrespondenceType.BLANK, converter=_correspondence_type
    )
    default_task_date_formula: DateFormula | None = field(
        default=None, converter=_optional_formula
    )
    # Duplicates (§2.14).
    autosearch_for_duplicates: bool = field(default=True, validator=_bool)
    maintain_dupl_search_strings: bool = field(default=True, validator=_bool)
    search_hit_pct: int = field(default=60, validator=_hit_pct)
    # E-mail logging (§1.4, the library's way): the organisation's own domains.
    own_email_domains: str = field(
        default="", converter=_email_domains, validator=_text(250)
    )

    def is_own_address(self, address: str) -> bool:
        """Return whether ``address`` belongs to one of ``own_email_domains``.

        E-mail logging decides the direction with it: a message from an own
        address to a contact is outbound, from a contact inbound (§1.4). A
        subdomain counts as the domain (``sales.cronus.example`` is
        ``cronus.example``'s); case does not matter.

        >>> setup = RelationshipSetup(own_email_domains="Cronus.example; cronus.co.uk")
        >>> setup.own_email_domains
        'cronus.example;cronus.co.uk'
        >>> setup.is_own_address("Jo@Sales.Cronus.example")
        True
        >>> setup.is_own_address("buyer@fabrikam.example")
        False
        """
        domain = address.rpartition("@")[2].strip().lower()
        return any(
            domain == own or domain.endswith("." + own)
            for own in self.own_email_domains.split(";")
            if own
        )

    def change(self, **changes: object) -> None:
        """Change one or more fields, validated as a whole before anything changes.

        BC's coupling of the duplicate flags applies (§1.1): switching
        ``autosearch_for_duplicates`` on switches ``maintain_dupl_search_strings`` on;
        setting ``maintain_dupl_search_strings`` copies its value into
        ``autosearch_for_duplicates``.

        Args:
            **changes: Field names and their new values.

        Raises:
            ValidationError: An unknown field, or a value a field refuses; nothing
                was changed.

        >>> s = RelationshipSetup()
        >>> s.change(autosearch_for_duplicates=False)
        >>> s.change(autosearch_for_duplicates=True)
        >>> s.maintain_dupl_search_strings
        True
        """
        names = self.field_names()
        for name, value in changes.items():
            if name not in names:
                raise ValidationError(name, value, "is not a setup field")
        changes = dict(changes)
        if "maintain_dupl_search_strings" in changes:
            changes["autosearch_for_duplicates"] = changes[
                "maintain_dupl_search_strings"
            ]
        elif changes.get("autosearch_for_duplicates") is True:
            changes["maintain_dupl_search_strings"] = True
        # Every converter and validator raises ValidationError, so this either
        # builds a valid copy or changes nothing.
        checked = attrs.evolve(self, **cast("dict[str, Any]", changes))
        for name in changes:
            setattr(self, name, getattr(checked, name))

    @classmethod
    def field_names(cls) -> frozenset[str]:
        """Return the names :meth:`change` accepts."""
        return frozenset(
            a.name for a in attrs.fields(cls) if a.init and a.name != "version"
        )


# --- code tables (§1.2) --------------------------------------------------------------


@frozen(kw_only=True)
class CodeRecord:
    """A row of a BC code table: a ``Code[10]`` key and a description.

    Subclasses name their ``kind`` (used in errors and as the storage table name)
    and their ``key_fields``.

    >>> IndustryGroup(code="retail", description="Retail").code
    'RETAIL'
    """

    kind: ClassVar[str] = "code"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code = field(converter=_code10)
    description: str = field(default="", validator=_text(100))

    @code.validator
    def _not_blank(self, attribute: attrs.Attribute[Code], value: Code) -> None:
        if not value:
            raise ValidationError(attribute.name, value, "must not be blank")

    @property
    def key(self) -> tuple[str, ...]:
        """The record's key as a tuple of its ``key_fields`` values."""
        return tuple(str(getattr(self, name)) for name in self.key_fields)


@frozen(kw_only=True)
class BusinessRelation(CodeRecord):
    """A kind of relationship such as ``CUST``, ``VEND``, ``PROSPECT`` (table 5053)."""

    kind: ClassVar[str] = "business_relation"


@frozen(kw_only=True)
class IndustryGroup(CodeRecord):
    """An industry a *company* contact belongs to (table 5057)."""

    kind: ClassVar[str] = "industry_group"


@frozen(kw_only=True)
class MailingGroup(CodeRecord):
    """A mailing list any contact may be in (table 5055)."""

    kind: ClassVar[str] = "mailing_group"


@frozen(kw_only=True)
class JobResponsibility(CodeRecord):
    """A responsibility of a *person* contact (table 5066)."""

    kind: ClassVar[str] = "job_responsibility"


@frozen(kw_only=True)
class OrganizationalLevel(CodeRecord):
    """A person's level in their organization (table 5067)."""

    kind: ClassVar[str] = "organizational_level"


def _web_url(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    _text(250)(_, attribute, value)
    if value and "%1" not in value:
        raise ValidationError(attribute.name, value, "must contain the %1 placeholder")


@frozen(kw_only=True)
class WebSource(CodeRecord):
    """A web site to look a company up on (table 5059).

    ``url`` holds ``%1`` where the search word goes.

    >>> WebSource(code="lnk", url="https://example.com/search?q=%1").search_url("Cronus")
    'https://example.com/search?q=Cronus'
    """

    kind: ClassVar[str] = "web_source"

    url: str = field(default="", validator=_web_url)

    def search_url(self, search_word: str) -> str:
        """Return ``url`` with ``%1`` replaced by ``search_word``."""
        return self.url.replace("%1", search_word)


@frozen(kw_only=True)
class Salutation(CodeRecord):
    """A salutation code; its texts are :class:`SalutationFormula` rows (table 5068)."""

    kind: ClassVar[str] = "salutation"


@frozen(kw_only=True)
class Territory(CodeRecord):
    """A sales territory (table 286); ``description`` is BC's *Name* (Text[50])."""

    kind: ClassVar[str] = "territory"

    description: str = field(default="", validator=_text(50))


@frozen(kw_only=True)
class CloseOpportunityCode(CodeRecord):
    """A reason for closing an opportunity, won or lost (table 5094, §5.3)."""

    kind: ClassVar[str] = "close_opportunity_code"

    type: CloseOpportunityType = field(
        default=CloseOpportunityType.WON, converter=_close_opportunity_type
    )


@frozen(kw_only=True)
class CampaignStatus(CodeRecord):
    """A free-form campaign status such as ``1-PLAN`` (table 5073)."""

    kind: ClassVar[str] = "campaign_status"


@frozen(kw_only=True)
class InteractionGroup(CodeRecord):
    """A group of interaction templates, e.g. ``SALES`` or ``LETTERS`` (table 5063, §3.1).

    Its FlowFields are
    :func:`~relationship_mgmt.domain.interactions.group_statistics`. BC has no delete
    trigger, so templates can keep pointing at a deleted group;
    :func:`~relationship_mgmt.domain.interactions.check_group_unused` adds the check.

    >>> InteractionGroup(code="sales", description="Sales contacts").code
    'SALES'
    """

    kind: ClassVar[str] = "interaction_group"


_PLACEHOLDERS = 5
_PLACEHOLDER = re.compile(r"%([1-5])")
_MAX_SALUTATION = 260


def _name_tuple(
    value: tuple[SalutationName | str, ...] | list[SalutationName | str],
) -> tuple[SalutationName, ...]:
    if not isinstance(value, tuple | list):
        raise ValidationError("names", value, "must be a tuple or list of names")
    names = tuple(_enum(SalutationName, "names", v) for v in value)
    if len(names) > _PLACEHOLDERS:
        raise ValidationError("names", value, "at most 5 names (%1..%5)")
    return names + (SalutationName.BLANK,) * (_PLACEHOLDERS - len(names))


@frozen(kw_only=True)
class SalutationFormula:
    """The text of a salutation for one language and type (table 5069, §2.10).

    ``salutation`` is a format with ``%1`` to ``%5``; ``names[i]`` says which contact
    field fills ``%(i+1)``. Key: (salutation code, language code, salutation type).

    >>> f = SalutationFormula(salutation_code="M", salutation="Dear Mr. %1 %2",
    ...                       names=("First Name", "Surname"))
    >>> f.render({SalutationName.FIRST_NAME: "John", SalutationName.SURNAME: "Smith"})
    'Dear Mr. John Smith'
    >>> f.render({SalutationName.SURNAME: "Smith"})
    'Dear Mr. Smith'
    """

    kind: ClassVar[str] = "salutation_formula"
    key_fields: ClassVar[tuple[str, ...]] = (
        "salutation_code",
        "language_code",
        "salutation_type",
    )

    salutation_code: Code = field(converter=_salutation_code)
    language_code: Code = field(default=Code(""), converter=_language_code)
    salutation_type: SalutationType = field(
        default=SalutationType.FORMAL, converter=_salutation_type
    )
    salutation: str = field(default="", validator=_text(50))
    names: tuple[SalutationName, ...] = field(default=(), converter=_name_tuple)

    @salutation_code.validator
    def _not_blank(self, attribute: attrs.Attribute[Code], value: Code) -> None:
        if not value:
            raise ValidationError(attribute.name, value, "must not be blank")

    @property
    def key(self) -> tuple[str, ...]:
        """The record's key as a tuple of its ``key_fields`` values."""
        return (self.salutation_code, self.language_code, str(self.salutation_type))

    def render(self, values: Mapping[SalutationName, str]) -> str:
        """Fill the formula with a contact's values, as BC's ``GetSalutation`` (§2.10).

        For each placeholder whose value is empty, the first ``"%i "`` (with its
        trailing space) is removed; then ``%1`` to ``%5`` are substituted. The result
        is cut at 260 characters.

        Raises:
            ValidationError: The formula's text is blank.
        """
        if not self.salutation.strip():
            raise ValidationError("salutation", self.salutation, "must not be blank")
        filled = [
            "" if name is SalutationName.BLANK else values.get(name, "")
            for name in self.names
        ]
        text = self.salutation
        for i, value in enumerate(filled, start=1):
            if not value:
                text = text.replace(f"%{i} ", "", 1)
        # One pass, as StrSubstNo: a value that itself contains "%2" stays literal.
        text = _PLACEHOLDER.sub(lambda m: filled[int(m.group(1)) - 1], text)
        return text[:_MAX_SALUTATION]


CODE_TABLE_KINDS: Mapping[str, type[CodeRecord | SalutationFormula]] = {
    cls.kind: cls
    for cls in (
        BusinessRelation,
        IndustryGroup,
        MailingGroup,
        JobResponsibility,
        OrganizationalLevel,
        WebSource,
        Salutation,
        SalutationFormula,
        Territory,
        CloseOpportunityCode,
        CampaignStatus,
        InteractionGroup,
    )
}
"""Every code-table record class by its ``kind``."""
