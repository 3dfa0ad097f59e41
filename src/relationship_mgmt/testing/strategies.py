"""Hypothesis strategies for the library's public values (house style B14).

One strategy per public value, built with :func:`hypothesis.strategies.builds` and
explicit field strategies, so every generated value is one the library could have
made itself: codes are normalised, number series are mid-use with consistent
numbers, date formulas follow the grammar of spec §10.1, and amounts fit their
currency. Use them for property tests of your own code on top of the library.

Needs the ``testing`` extra (hypothesis).

>>> from hypothesis import given, settings
>>> from relationship_mgmt.serialization import dumps, loads
>>> @settings(max_examples=20, deadline=None)
... @given(number_series())
... def test_number_series_round_trip(series: NumberSeries) -> None:
...     assert loads(dumps(series), NumberSeries) == series
>>> test_number_series_round_trip()
"""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from relationship_mgmt.domain.codes import CODE10, CODE20, Code
from relationship_mgmt.domain.dateformula import DateFormula
from relationship_mgmt.domain.money import Currency, Money
from relationship_mgmt.domain.numbering import NumberSeries
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

__all__ = [
    "aggregates",
    "code_records",
    "codes",
    "currencies",
    "date_formulas",
    "money",
    "number_series",
    "relationship_setups",
    "salutation_formulas",
]

# Upper-case only, so make_code() leaves a generated code as it is. A few non-ASCII
# letters and a space keep JSON escaping and trimming honest.
_CODE_CHARACTERS = string.ascii_uppercase + string.digits + "-_./&+ ÄÖÜÆØÅ"
_ISO_CURRENCIES = ("EUR", "USD", "GBP", "DKK", "SEK", "CHF", "JPY", "KRW", "KWD", "BHD")
_MAX_VERSION = 2**31 - 1
_MAX_AMOUNT = Decimal(10) ** 15
_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _texts(max_size: int) -> st.SearchStrategy[str]:
    """Free text of BC ``Text[max_size]``."""
    return st.text(max_size=max_size)


def codes(max_length: int = CODE10) -> st.SearchStrategy[Code]:
    """Non-blank, normalised ``Code[max_length]`` values such as ``"RETAIL"``.

    Args:
        max_length: The ``n`` of ``Code[n]``; at least 1.

    Returns:
        A strategy of codes that :func:`~relationship_mgmt.domain.codes.make_code`
        leaves unchanged.
    """
    return (
        st.text(alphabet=_CODE_CHARACTERS, min_size=1, max_size=max_length)
        .map(str.strip)
        .filter(bool)
        .map(Code)
    )


def _optional_codes(max_length: int = CODE10) -> st.SearchStrategy[Code | None]:
    return st.none() | codes(max_length)


@st.composite
def _number_series(draw: st.DrawFn) -> NumberSeries:
    # Numbers share one shape (prefix + zero-padded digits) and keep their order:
    # starting_no <= last_no_used <= ending_no, warning_no between start and end.
    prefix = draw(st.text(alphabet=string.ascii_uppercase + "-", max_size=6))
    width = draw(st.integers(min_value=1, max_value=8))
    highest = 10**width - 1
    start = draw(st.integers(min_value=0, max_value=highest))
    used = draw(st.none() | st.integers(min_value=start, max_value=highest))
    ending = draw(
        st.none()
        | st.integers(min_value=start if used is None else used, max_value=highest)
    )
    warning = draw(
        st.none()
        | st.integers(min_value=start, max_value=highest if ending is None else ending)
    )

    def number(value: int | None) -> str | None:
        return None if value is None else f"{prefix}{value:0{width}d}"

    return draw(
        st.builds(
            NumberSeries,
            version=st.integers(min_value=0, max_value=_MAX_VERSION),
            code=codes(CODE20),
            description=_texts(100),
            starting_no=st.just(f"{prefix}{start:0{width}d}"),
            ending_no=st.just(number(ending)),
            warning_no=st.just(number(warning)),
            increment_by=st.integers(min_value=1, max_value=1000),
            last_no_used=st.just(number(used)),
            last_date_used=st.none() if used is None else _DATES,
            manual_nos=st.booleans(),
            default_nos=st.booleans(),
            date_order=st.booleans(),
        )
    )


def number_series() -> st.SearchStrategy[NumberSeries]:
    """Number series, fresh or mid-use, with numbers like ``CT000042``.

    Returns:
        A strategy of :class:`~relationship_mgmt.domain.numbering.NumberSeries`
        whose ending, warning and last-used numbers are consistent with the
        starting number; ``last_date_used`` is set exactly when a number was used.
    """
    return _number_series()


# BC couples the two duplicate flags (§1.1): switching autosearch on switches
# maintaining on, so autosearch without maintained search strings cannot happen.
_DUPLICATE_FLAGS = ((True, True), (False, True), (False, False))


@st.composite
def _relationship_setups(draw: st.DrawFn) -> RelationshipSetup:
    autosearch, maintain = draw(st.sampled_from(_DUPLICATE_FLAGS))
    return draw(
        st.builds(
            RelationshipSetup,
            version=st.integers(min_value=0, max_value=_MAX_VERSION),
            contact_nos=_optional_codes(CODE20),
            campaign_nos=_optional_codes(CODE20),
            segment_nos=_optional_codes(CODE20),
            task_nos=_optional_codes(CODE20),
            opportunity_nos=_optional_codes(CODE20),
            bus_rel_code_for_customers=_optional_codes(),
            bus_rel_code_for_vendors=_optional_codes(),
            bus_rel_code_for_bank_accounts=_optional_codes(),
            bus_rel_code_for_employees=_optional_codes(),
            attachment_storage_type=st.sampled_from(AttachmentStorageType),
            attachment_storage_location=_texts(250),
            mergefield_language_id=st.integers(min_value=0, max_value=65535),
            inherit_salesperson_code=st.booleans(),
            inherit_territory_code=st.booleans(),
            inherit_country_code=st.booleans(),
            inherit_language_code=st.booleans(),
            inherit_format_region=st.booleans(),
            inherit_address_details=st.booleans(),
            inherit_communication_details=st.booleans(),
            default_salesperson_code=_optional_codes(CODE20),
            default_territory_code=_optional_codes(),
            default_country_code=_optional_codes(),
            default_language_code=_optional_codes(),
            default_format_region=st.sampled_from(["", "en-US", "da-DK", "de-DE"]),
            default_sales_cycle_code=_optional_codes(),
            default_company_salutation_code=_optional_codes(),
            default_person_salutation_code=_optional_codes(),
            default_correspondence_type=st.sampled_from(CorrespondenceType),
            default_task_date_formula=st.none() | date_formulas(),
            autosearch_for_duplicates=st.just(autosearch),
            maintain_dupl_search_strings=st.just(maintain),
            search_hit_pct=st.integers(min_value=1, max_value=100),
        )
    )


def relationship_setups() -> st.SearchStrategy[RelationshipSetup]:
    """Marketing setups with any mix of codes, flags, defaults and a task formula.

    Returns:
        A strategy of :class:`~relationship_mgmt.domain.setup.RelationshipSetup`;
        the duplicate-search flags only take the combinations BC allows.
    """
    return _relationship_setups()


def aggregates() -> st.SearchStrategy[NumberSeries | RelationshipSetup]:
    """Any aggregate of the library.

    Returns:
        One of :func:`number_series` and :func:`relationship_setups`.
    """
    return st.one_of(number_series(), relationship_setups())


def salutation_formulas() -> st.SearchStrategy[SalutationFormula]:
    """Salutation formulas for a language (or none) and type, with up to five names.

    Returns:
        A strategy of :class:`~relationship_mgmt.domain.setup.SalutationFormula`.
    """
    return st.builds(
        SalutationFormula,
        salutation_code=codes(),
        language_code=st.just(Code("")) | codes(),
        salutation_type=st.sampled_from(SalutationType),
        salutation=st.one_of(
            st.sampled_from(
                ["Dear %1 %2", "Dear Mr. %1 %3", "Hi %1,", "Sehr geehrte %4"]
            ),
            _texts(50),
        ),
        names=st.lists(st.sampled_from(SalutationName), max_size=5).map(tuple),
    )


def _web_urls() -> st.SearchStrategy[str]:
    return st.just("") | st.builds(
        "{}%1{}".format,
        st.sampled_from(["https://www.example.com/search?q=", "https://"])
        | _texts(100),
        _texts(100),
    )


def _code_record_strategies() -> dict[
    str, st.SearchStrategy[CodeRecord | SalutationFormula]
]:
    descriptions = _texts(100)
    return {
        BusinessRelation.kind: st.builds(
            BusinessRelation, code=codes(), description=descriptions
        ),
        IndustryGroup.kind: st.builds(
            IndustryGroup, code=codes(), description=descriptions
        ),
        MailingGroup.kind: st.builds(
            MailingGroup, code=codes(), description=descriptions
        ),
        JobResponsibility.kind: st.builds(
            JobResponsibility, code=codes(), description=descriptions
        ),
        OrganizationalLevel.kind: st.builds(
            OrganizationalLevel, code=codes(), description=descriptions
        ),
        WebSource.kind: st.builds(
            WebSource, code=codes(), description=descriptions, url=_web_urls()
        ),
        Salutation.kind: st.builds(Salutation, code=codes(), description=descriptions),
        SalutationFormula.kind: salutation_formulas(),
        Territory.kind: st.builds(Territory, code=codes(), description=_texts(50)),
        CloseOpportunityCode.kind: st.builds(
            CloseOpportunityCode,
            code=codes(),
            description=descriptions,
            type=st.sampled_from(CloseOpportunityType),
        ),
        CampaignStatus.kind: st.builds(
            CampaignStatus, code=codes(), description=descriptions
        ),
        InteractionGroup.kind: st.builds(
            InteractionGroup, code=codes(), description=descriptions
        ),
    }


def code_records(
    kind: str | None = None,
) -> st.SearchStrategy[CodeRecord | SalutationFormula]:
    """Rows of the code tables (spec §1.2), of one kind or of any.

    Args:
        kind: A key of :data:`~relationship_mgmt.domain.setup.CODE_TABLE_KINDS`
            (``"industry_group"``, ``"salutation_formula"`` ...); ``None`` for all.

    Returns:
        A strategy of code-table records.

    Raises:
        ValueError: ``kind`` is not a code-table kind.
    """
    strategies = _code_record_strategies()
    if kind is None:
        return st.one_of([strategies[name] for name in CODE_TABLE_KINDS])
    if kind not in CODE_TABLE_KINDS:
        raise ValueError(f"unknown code-table kind {kind!r}")
    return strategies[kind]


_UNITS = ("D", "WD", "W", "M", "Q", "Y")
_CURRENT_UNITS = ("D", "W", "M", "Q", "Y")
_TERMS = st.one_of(
    st.builds(
        "{}{}".format, st.integers(min_value=0, max_value=9999), st.sampled_from(_UNITS)
    ),
    st.builds("WD{}".format, st.integers(min_value=1, max_value=7)),
    st.builds("D{}".format, st.integers(min_value=1, max_value=31)),
    st.sampled_from(_CURRENT_UNITS).map("C{}".format),
)


def _formula_text(first: str, first_term: str, rest: list[tuple[str, str]]) -> str:
    return first + first_term + "".join(sign + term for sign, term in rest)


def date_formulas() -> st.SearchStrategy[DateFormula]:
    """Date formulas of zero to three terms, such as ``CM+1D`` or ``-WD2+30D``.

    The text is built from the grammar of spec §10.1 (a sign before every term but
    the first, where it is optional) and then parsed.

    Returns:
        A strategy of :class:`~relationship_mgmt.domain.dateformula.DateFormula`,
        including the empty formula.
    """
    signed = st.tuples(st.sampled_from(["+", "-"]), _TERMS)
    texts = st.just("") | st.builds(
        _formula_text,
        st.sampled_from(["", "+", "-"]),
        _TERMS,
        st.lists(signed, max_size=2),
    )
    return texts.map(DateFormula.parse)


def currencies() -> st.SearchStrategy[Currency]:
    """Currencies as :meth:`Currency.of <relationship_mgmt.domain.money.Currency.of>` gives them.

    Common ISO 4217 codes (with 0, 2 or 3 minor units) and any other three letters
    (with the default 2). Currencies with custom minor units are left out: ``Money``
    in them has no wire form.

    Returns:
        A strategy of :class:`~relationship_mgmt.domain.money.Currency`.
    """
    other_codes = st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3)
    return st.builds(Currency.of, st.sampled_from(_ISO_CURRENCIES) | other_codes)


def _amounts_in(currency: Currency) -> st.SearchStrategy[Money]:
    amounts = st.decimals(
        min_value=-_MAX_AMOUNT,
        max_value=_MAX_AMOUNT,
        places=currency.minor_units,
        allow_nan=False,
        allow_infinity=False,
    )
    return st.builds(Money, amounts, st.just(currency))


def money(currency: Currency | None = None) -> st.SearchStrategy[Money]:
    """Amounts of up to 10^15 with exactly the currency's minor units, either sign.

    Args:
        currency: The currency of every amount; ``None`` draws it from
            :func:`currencies`.

    Returns:
        A strategy of :class:`~relationship_mgmt.domain.money.Money`.
    """
    if currency is not None:
        return _amounts_in(currency)
    return currencies().flatmap(_amounts_in)
