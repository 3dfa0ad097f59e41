"""Segment evaluation in memory: four query shapes against pandas and polars (issue #6).

1,000,000 contacts and 10,000,000 interaction log entries are built in memory; then
four query shapes (performance.md §2.2) are run through the library's evaluator,
``select(criteria, contacts, related)`` (criteria compiled into one list
comprehension, cached per tree; related-record tests last, only for the survivors),
and beside it, in the same run and over the same data, the same queries written
directly in pandas and in polars (eager) over DataFrames:

* Q1 attribute filter (about 1.5%): country in {DE, FR, NL}, territory NORTH,
  salesperson one of 8 of 25, post code >= 60000, not privacy blocked;
* Q2 behavioural: country in {AT, CH, NL}, not privacy blocked, and at least 3
  EMAIL interactions in the last 90 days (the per-contact ``RelatedIndex``);
* Q3 text: the name contains "sch" ignoring case, or the e-mail ends with ".de";
* Q4 OR of AND groups (about 1.5%): three groups of two to three leaves each.

Each side produces the matching contact numbers: the library its list, pandas and
polars their native column of them (an ndarray, a Series; not converted to Python
lists, which favours them slightly). The three results are checked to be the same
set. Median of 5 each, library, pandas and polars interleaved query by query and run
by run; the library's first call (which compiles the tree) is timed apart. Targets
(issue #6): every shape no slower than pandas (ratio <= 1.0), the attribute filters
(Q1, Q4) at <= 100 ns per contact; the ratio to polars is reported, not gated on.
performance.md §2.4's own targets (text <= 300 ns per contact, behavioural <= 0.5 s)
are printed beside them. A query that misses a target is profiled (cProfile).

The data are synthetic and seeded (numpy). Contacts: 30% companies, 70% persons;
country over 20 codes with a skewed share (DE 22% ... SK 0.4%); territory over 5,
salesperson over 25, organizational level (persons) over 4 and blank; city out of
500 (Zipf); post code 01000-99999; names from first-name and surname pools (Zipf;
a dozen surnames contain "sch"); e-mails on the country's top-level domain 60% of
the time, ".com" otherwise; 4% privacy blocked, 2% excluded from segments.
Interactions: the contact Zipf-distributed (exponent 0.8 over a random ranking, so
a few contacts have tens of thousands and most a handful), the template one of 7
(EMAIL 30%, NEWSLTR 20%, CALL 20% ...), the date uniform over the two years up to
2026-03-01, the cost one of 200 amounts; entry numbers follow the date.

How the objects are built (timed apart, not in the query times):

* Contacts are real ``Contact`` objects, each made by ``Contact.create_company`` or
  ``Contact.create_person`` with every validating converter (e-mail syntax
  included), privacy blocked through ``block_privacy``; their pending events are
  pulled, as a unit of work does after commit. About 60 us each, so 1 M in about a
  minute: no shortcut is needed.
* Interaction log entries come the way a storage adapter loads rows that were
  validated when they were written: one entry per template is built by the
  validating constructor, every date and amount of the pools goes through the
  constructor once, the contact numbers are the contacts' own; then the entries
  are made column by column, ``object.__new__`` and the slots' own setters, as the
  library's ``_valid_entry`` and ``copy_sharing_fields`` do (about 4 us each at
  10 M, against about 11 us through the constructor). A random sample of 2,000 is
  rebuilt through the constructor and must compare equal, or the run stops.

The DataFrames: the contacts frame is read from the ``Contact`` objects themselves;
the interactions frame from the arrays the entries were built from (the agreement of
the three results checks that they hold the same data). Low-cardinality code columns
(type, country, territory, salesperson, level, city, template) are categoricals on
both peers (``--codes text``: plain strings instead); numbers and e-mails/names are
strings. pandas runs on one core, polars on both, the library on one.

The garbage collector is off while the data are built and the survivors are then
frozen (``gc.freeze``), so that a full collection over millions of objects does not
land in a timed query. Peak memory (max RSS) is reported at each stage. Usage::

    .venv-bench/bin/python bench/segments.py [--contacts 1000000]
        [--interactions 10000000] [--repeats 5] [--codes category|text]
        [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import operator
import platform
import pstats
import resource
import statistics
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import polars as pl

from relationship_mgmt.domain.contacts import Contact
from relationship_mgmt.domain.criteria import (
    Criteria,
    RelatedIndex,
    _compile_selector,
    compile_selector,
    select,
    where,
)
from relationship_mgmt.domain.criteria_index import ContactIndex
from relationship_mgmt.domain.interactions import (
    InformationFlow,
    InitiatedBy,
    InteractionLogEntry,
)
from relationship_mgmt.domain.setup import RelationshipSetup

_RESULTS = Path(__file__).parent / "results"
_SEED = 20260306
_LAST_DAY = dt.date(2026, 3, 1)
_NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
_DAYS = 2 * 365  # the interactions fall within the two years up to _LAST_DAY
_WINDOW = 90  # Q2: the last 90 days, _LAST_DAY included
_PRICE_POOL = 200
_SAMPLE = 2_000  # entries rebuilt through the constructor
_CHUNK = 1_000_000  # entries built per chunk
_TARGET_RATIO = 1.0  # library / pandas, every shape
_TARGET_ATTRIBUTE_NS = 100.0  # per contact, Q1 and Q4
_DOC_TEXT_NS = 300.0  # performance.md §2.4, text filters
_DOC_BEHAVIOURAL_S = 0.5  # performance.md §2.4, behavioural over 10 M interactions

# (code, share %, top-level domain, company suffix)
_COUNTRIES: tuple[tuple[str, float, str, str], ...] = (
    ("DE", 22, "de", "GmbH"),
    ("FR", 12, "fr", "SARL"),
    ("GB", 10, "co.uk", "Ltd"),
    ("NL", 7, "nl", "B.V."),
    ("IT", 6, "it", "S.r.l."),
    ("ES", 6, "es", "S.L."),
    ("AT", 5, "at", "GmbH"),
    ("CH", 5, "ch", "AG"),
    ("BE", 4, "be", "NV"),
    ("PL", 4, "pl", "Sp. z o.o."),
    ("SE", 3, "se", "AB"),
    ("DK", 3, "dk", "A/S"),
    ("CZ", 3, "cz", "s.r.o."),
    ("US", 3, "com", "Inc."),
    ("NO", 2, "no", "AS"),
    ("FI", 2, "fi", "Oy"),
    ("PT", 1, "pt", "Lda"),
    ("IE", 1, "ie", "Ltd"),
    ("HU", 0.6, "hu", "Kft."),
    ("SK", 0.4, "sk", "s.r.o."),
)
_TERRITORIES = (
    ("NORTH", 30),
    ("SOUTH", 25),
    ("EAST", 20),
    ("WEST", 15),
    ("CENTRAL", 10),
)
_SALESPEOPLE = tuple(f"SP{i:02d}" for i in range(1, 26))
# organizational level of persons ("" = blank)
_LEVELS = (("", 23), ("STAFF", 50), ("MGR", 20), ("EXEC", 5), ("BOARD", 2))
# (code, share %, group, information flow, initiated by, duration in minutes)
_TEMPLATES: tuple[tuple[str, float, str, InformationFlow, InitiatedBy, str], ...] = (
    ("EMAIL", 30, "OUTREACH", InformationFlow.OUTBOUND, InitiatedBy.US, "2"),
    ("NEWSLTR", 20, "MARKETING", InformationFlow.OUTBOUND, InitiatedBy.US, "0"),
    ("CALL", 20, "OUTREACH", InformationFlow.OUTBOUND, InitiatedBy.US, "12"),
    ("MEETING", 10, "SALES", InformationFlow.INBOUND, InitiatedBy.THEM, "60"),
    ("LETTER", 8, "OUTREACH", InformationFlow.OUTBOUND, InitiatedBy.US, "5"),
    ("QUOTE", 7, "SALES", InformationFlow.OUTBOUND, InitiatedBy.US, "30"),
    ("WEBINAR", 5, "MARKETING", InformationFlow.INBOUND, InitiatedBy.THEM, "45"),
)
_FIRST_NAMES = (  # noqa: SIM905 - a pool of words
    "Anna Hans Peter Maria Thomas Julia Lukas Sophie Jan Eva Marc Claire Pierre"
    " Lea Luca Giulia Marco Elena Pablo Lucia Tom Emma Oliver Olga Piotr Anja"
    " Lars Karin Mats Ingrid Jonas Sara Felix Nina David Laura Martin Tereza"
    " Jakub Ewa"
).split()
_SURNAMES = (  # noqa: SIM905 - a pool of words
    "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann"
    "|Schäfer|Koch|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Braun|Zimmermann"
    "|Krüger|Hartmann|Lange|Werner|Krause|Lehmann|Köhler|Busch|Schubert"
    "|Schumacher|Schuster|Tischler|Martin|Bernard|Dubois|Thomas|Robert|Richard"
    "|Petit|Durand|Leroy|Moreau|Jansen|De Vries|Bakker|Visser|Smit|Rossi|Russo"
    "|Ferrari|Esposito|Bianchi|García|López|Martínez|Smith|Jones|Taylor|Brown"
    "|Williams|Nowak|Kowalski|Novák|Svoboda|Andersson|Johansson|Nielsen|Hansen"
    "|Gruber|Huber|Peeters|Janssens|Silva|Murphy|Kelly|Kovács|Horváth|Dvořák"
).split("|")
_COMPANY_WORDS = (  # noqa: SIM905 - a pool of words
    "Logistik Handel Bau Consulting Systems Foods Media Technik Partners"
    " Industries Services Trading Energy Software Design Retail"
).split()
_CITY_HEADS = (  # noqa: SIM905 - a pool of words
    "Alt Neu Ober Unter Groß Klein Hoch Nieder Bad Sankt Ost West Nord Süd Mittel"
    " Ro Ka Lin Ber Ham Mün Dres Bre Fre Wies"
).split()
_CITY_TAILS = (  # noqa: SIM905 - a pool of words
    "burg dorf heim hausen stadt feld bach berg au furt rode ingen hof brück wald"
    " see tal kirchen mühle stein"
).split()

# the columns the peers' contacts frames hold, and which of them are codes
_CONTACT_COLUMNS = (
    "no",
    "type",
    "name",
    "email",
    "country_code",
    "territory_code",
    "salesperson_code",
    "organizational_level_code",
    "post_code",
    "city",
    "privacy_blocked",
    "exclude_from_segment",
)
_CODE_COLUMNS = frozenset(
    {
        "type",
        "country_code",
        "territory_code",
        "salesperson_code",
        "organizational_level_code",
        "city",
    }
)
_BOOLEAN_COLUMNS = frozenset({"privacy_blocked", "exclude_from_segment"})


def _shares(weights: Sequence[float]) -> np.ndarray:
    p = np.asarray(weights, dtype=np.float64)
    return p / p.sum()


def _zipf(rng: np.random.Generator, size: int, exponent: float) -> np.ndarray:
    """Zipf shares over ``size`` items, ranked in a random order."""
    rank = rng.permutation(size) + 1
    return _shares(rank.astype(np.float64) ** -exponent)


def _ascii(text: str) -> str:
    """An e-mail-safe form of a name: umlauts spelt out, accents and spaces dropped."""
    for umlaut, spelt in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelt)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.replace(" ", "").lower()


_CITIES = tuple(head + tail for head in _CITY_HEADS for tail in _CITY_TAILS)
# Q4's third group: three cities of middling size (their Zipf rank, see _contacts)
_Q4_CITY_RANKS = (80, 81, 82)


# --- the synthetic data ---------------------------------------------------------------


def _contact_arrays(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each contact's attributes as indexes into the pools."""
    city_share = _zipf(rng, len(_CITIES), 0.9)
    return {
        "company": rng.random(n) < 0.3,
        "country": rng.choice(
            len(_COUNTRIES), n, p=_shares([c[1] for c in _COUNTRIES])
        ),
        "territory": rng.choice(
            len(_TERRITORIES), n, p=_shares([t[1] for t in _TERRITORIES])
        ),
        "salesperson": rng.integers(0, len(_SALESPEOPLE), n),
        "level": rng.choice(len(_LEVELS), n, p=_shares([lv[1] for lv in _LEVELS])),
        "post_code": rng.integers(1_000, 100_000, n),
        "city": rng.choice(len(_CITIES), n, p=city_share),
        "city_order": np.argsort(-city_share, kind="stable"),  # cities by share
        "blocked": rng.random(n) < 0.04,
        "excluded": rng.random(n) < 0.02,
        "first": rng.integers(0, len(_FIRST_NAMES), n),
        "surname": rng.choice(len(_SURNAMES), n, p=_zipf(rng, len(_SURNAMES), 0.7)),
        "word": rng.integers(0, len(_COMPANY_WORDS), n),
        "local_tld": rng.random(n) < 0.6,
        "domain_no": rng.integers(1, 1_000, n),
        "mail_no": rng.integers(1, 100, n),
    }


def _contacts(a: dict[str, np.ndarray]) -> list[Contact]:
    """Build the contacts through ``create_company`` / ``create_person``."""
    setup = RelationshipSetup()
    cols = {k: v.tolist() for k, v in a.items() if k != "city_order"}
    surnames_ascii = [_ascii(s) for s in _SURNAMES]
    firsts_ascii = [_ascii(f) for f in _FIRST_NAMES]
    words_ascii = [w.lower() for w in _COMPANY_WORDS]
    contacts: list[Contact] = []
    append = contacts.append
    create_company, create_person = Contact.create_company, Contact.create_person
    for i in range(len(cols["company"])):
        country, _, tld, suffix = _COUNTRIES[cols["country"][i]]
        surname = cols["surname"][i]
        word = cols["word"][i]
        domain = f"{surnames_ascii[surname]}-{words_ascii[word]}{cols['domain_no'][i]}"
        domain += "." + (tld if cols["local_tld"][i] else "com")
        fields: dict[str, Any] = {
            "no": f"CT{i + 1:07d}",
            "now": _NOW,
            "setup": setup,
            "country_code": country,
            "territory_code": _TERRITORIES[cols["territory"][i]][0],
            "salesperson_code": _SALESPEOPLE[cols["salesperson"][i]],
            "post_code": f"{cols['post_code'][i]:05d}",
            "city": _CITIES[cols["city"][i]],
            "exclude_from_segment": cols["excluded"][i],
        }
        if cols["company"][i]:
            name = f"{_SURNAMES[surname]} {_COMPANY_WORDS[word]} {suffix}"
            contact = create_company(name=name, email=f"info@{domain}", **fields)
        else:
            first = cols["first"][i]
            level = _LEVELS[cols["level"][i]][0]
            local = (
                f"{firsts_ascii[first]}.{surnames_ascii[surname]}{cols['mail_no'][i]}"
            )
            contact = create_person(
                name=f"{_FIRST_NAMES[first]} {_SURNAMES[surname]}",
                email=f"{local}@{domain}",
                organizational_level_code=level or None,
                **fields,
            )
        if cols["blocked"][i]:
            contact.block_privacy(now=_NOW)
        contact.pull_events()
        append(contact)
    return contacts


def _interaction_arrays(
    contacts: int, entries: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Each entry's contact, template, day and price (indexes), in date order."""
    contact = rng.choice(contacts, entries, p=_zipf(rng, contacts, 0.8)).astype(
        np.int32
    )
    template = rng.choice(
        len(_TEMPLATES), entries, p=_shares([t[1] for t in _TEMPLATES])
    ).astype(np.int8)
    day = rng.integers(0, _DAYS, entries).astype(np.int16)
    price = rng.integers(0, _PRICE_POOL, entries).astype(np.int16)
    order = np.argsort(day, kind="stable")  # entry numbers follow the date
    return {
        "contact": contact[order],
        "template": template[order],
        "day": day[order],
        "price": price[order],
    }


def _day(index: int) -> dt.date:
    return _LAST_DAY - dt.timedelta(days=_DAYS - 1 - index)


def _prices() -> list[Decimal]:
    return [Decimal(50 + 7 * k).scaleb(-2) for k in range(_PRICE_POOL)]


def _interactions(
    a: dict[str, np.ndarray], contacts: list[Contact]
) -> list[InteractionLogEntry]:
    """Build the entries column by column from validated values (module docstring)."""
    cls = InteractionLogEntry
    first = contacts[0]
    templates = [
        cls(
            entry_no=1,
            contact_no=first.no,
            contact_company_no=first.company_no,
            date=_LAST_DAY,
            interaction_template_code=code,
            interaction_group_code=group,
            information_flow=flow,
            initiated_by=by,
            description=f"{code.title()} (synthetic)",
            duration_min=Decimal(minutes),
        )
        for code, _, group, flow, by, minutes in _TEMPLATES
    ]
    # every value of the pools once through the validating constructor
    dates = [cls(entry_no=1, date=_day(d)).date for d in range(_DAYS)]
    prices = [cls(entry_no=1, date=_LAST_DAY, cost_lcy=p).cost_lcy for p in _prices()]
    numbers = [c.no for c in contacts]
    companies = [c.company_no for c in contacts]
    names = [f.name for f in attrs.fields(cls)]
    setters = {name: vars(cls)[name].__set__ for name in names}
    by_template = {name: [getattr(t, name) for t in templates] for name in names}
    varying = {"entry_no", "contact_no", "contact_company_no", "date", "cost_lcy"}
    new = object.__new__
    total = a["contact"].size
    entries: list[InteractionLogEntry] = []
    for lo in range(0, total, _CHUNK):
        hi = min(lo + _CHUNK, total)
        m = hi - lo
        chunk = list(map(new, repeat(cls, m)))
        contact = a["contact"][lo:hi].tolist()
        template = a["template"][lo:hi].tolist()
        columns: dict[str, Any] = {
            "entry_no": range(lo + 1, hi + 1),
            "contact_no": map(numbers.__getitem__, contact),
            "contact_company_no": map(companies.__getitem__, contact),
            "date": map(dates.__getitem__, a["day"][lo:hi].tolist()),
            "cost_lcy": map(prices.__getitem__, a["price"][lo:hi].tolist()),
        }
        for name in names:
            if name in varying:
                values = columns[name]
            elif len(set(map(id, by_template[name]))) == 1:
                values = repeat(by_template[name][0], m)
            else:
                values = map(by_template[name].__getitem__, template)
            deque(map(setters[name], chunk, values), maxlen=0)
        entries.extend(chunk)
    return entries


def _check_sample(entries: list[InteractionLogEntry], rng: np.random.Generator) -> int:
    """Rebuild a random sample through the constructor; it must compare equal."""
    init = [f.name for f in attrs.fields(InteractionLogEntry) if f.init]
    picked = rng.choice(len(entries), min(_SAMPLE, len(entries)), replace=False)
    for i in picked.tolist():
        entry = entries[i]
        rebuilt = InteractionLogEntry(**{name: getattr(entry, name) for name in init})
        if rebuilt != entry:
            msg = f"entry {entry.entry_no} differs from its constructor's copy"
            raise AssertionError(msg)
    return int(picked.size)


# --- the peers' frames ----------------------------------------------------------------


def _contact_values(contacts: list[Contact], name: str) -> list[Any]:
    values = list(map(operator.attrgetter(name), contacts))
    if name == "type":
        return [str(v) for v in values]
    return values


def _pandas_frames(
    contacts: list[Contact], a: dict[str, np.ndarray], codes: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The contacts (read from the objects) and the interactions (from the arrays)."""
    columns: dict[str, Any] = {}
    for name in _CONTACT_COLUMNS:
        values = _contact_values(contacts, name)
        if name in _BOOLEAN_COLUMNS:
            columns[name] = np.array(values, dtype=bool)
        elif name in _CODE_COLUMNS and codes == "category":
            columns[name] = pd.Categorical(values)
        else:
            columns[name] = np.array(values, dtype=object)
    people = pd.DataFrame(columns)
    numbers = columns["no"]
    template_codes = [t[0] for t in _TEMPLATES]
    base = np.datetime64(_day(0), "D")
    log = pd.DataFrame(
        {
            "entry_no": np.arange(1, a["contact"].size + 1, dtype=np.int64),
            "contact_no": numbers[a["contact"]],
            "template": (
                pd.Categorical.from_codes(a["template"], categories=template_codes)
                if codes == "category"
                else np.array(template_codes, dtype=object)[a["template"]]
            ),
            "date": (base + a["day"].astype("timedelta64[D]")).astype("datetime64[ns]"),
            "cost_lcy": np.array([float(p) for p in _prices()])[a["price"]],
        }
    )
    return people, log


def _polars_frames(
    contacts: list[Contact], a: dict[str, np.ndarray], codes: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The same frames in polars."""
    columns: list[pl.Series] = []
    for name in _CONTACT_COLUMNS:
        values = _contact_values(contacts, name)
        if name in _BOOLEAN_COLUMNS:
            dtype: Any = pl.Boolean
        elif name in _CODE_COLUMNS and codes == "category":
            dtype = pl.Categorical
        else:
            dtype = pl.String
        columns.append(pl.Series(name, values, dtype=dtype))
    people = pl.DataFrame(columns)
    template_codes = [t[0] for t in _TEMPLATES]
    template = pl.Series(
        "template", np.array(template_codes, dtype=object)[a["template"]]
    )
    log = pl.DataFrame(
        [
            pl.Series("entry_no", np.arange(1, a["contact"].size + 1, dtype=np.int64)),
            people.get_column("no").gather(a["contact"]).alias("contact_no"),
            template.cast(pl.Categorical) if codes == "category" else template,
            (
                pl.Series("day", a["day"].astype(np.int32))
                + (_day(0) - dt.date(1970, 1, 1)).days
            )
            .cast(pl.Date)
            .alias("date"),
            pl.Series("cost_lcy", np.array([float(p) for p in _prices()])[a["price"]]),
        ]
    )
    return people, log


# --- the queries ----------------------------------------------------------------------

_Q1_COUNTRIES = ("DE", "FR", "NL")
_Q1_SALESPEOPLE = _SALESPEOPLE[:8]
_Q2_COUNTRIES = ("AT", "CH", "NL")
_Q2_TEMPLATE = "EMAIL"
_Q2_AT_LEAST = 3
_WINDOW_FROM = _LAST_DAY - dt.timedelta(days=_WINDOW - 1)
_Q4_GROUP_2_COUNTRIES = ("FR", "BE")
_Q4_GROUP_2_SALESPEOPLE = ("SP01", "SP02")


@attrs.frozen
class Query:
    """One query shape: the library's criteria and the two peers' versions."""

    name: str
    shape: str
    criteria: Criteria
    pandas: Callable[[pd.DataFrame, pd.DataFrame], Any]
    polars: Callable[[pl.DataFrame, pl.DataFrame], Any]


def _queries(q4_cities: tuple[str, ...]) -> list[Query]:
    """The four shapes of performance.md §2.2 on the Contact fields that exist."""
    not_blocked = where.privacy_blocked.equals(value=False)
    on = where.on("interaction")
    q1 = (
        where.country_code.isin(_Q1_COUNTRIES)
        & (where.territory_code == "NORTH")
        & where.salesperson_code.isin(_Q1_SALESPEOPLE)
        & (where.post_code >= "60000")
        & not_blocked
    )
    q2 = (
        where.country_code.isin(_Q2_COUNTRIES)
        & not_blocked
        & where.has(
            "interaction",
            (on.interaction_template_code == _Q2_TEMPLATE)
            & on.date.between(_WINDOW_FROM, _LAST_DAY),
            at_least=_Q2_AT_LEAST,
        )
    )
    q3 = where.name.contains("sch", ignore_case=True) | where.email.endswith(".de")
    q4 = (
        (
            (where.country_code == "DE")
            & (where.type == "Person")
            & (where.organizational_level_code == "EXEC")
        )
        | (
            where.country_code.isin(_Q4_GROUP_2_COUNTRIES)
            & (where.territory_code == "WEST")
            & where.salesperson_code.isin(_Q4_GROUP_2_SALESPEOPLE)
        )
        | (
            where.city.isin(q4_cities)
            & not_blocked
            & where.exclude_from_segment.equals(value=False)
        )
    )

    def pd_ids(c: pd.DataFrame, mask: pd.Series) -> np.ndarray:
        return c["no"].to_numpy()[mask.to_numpy()]

    def pd_q1(c: pd.DataFrame, _log: pd.DataFrame) -> np.ndarray:
        mask = (
            c["country_code"].isin(_Q1_COUNTRIES)
            & (c["territory_code"] == "NORTH")
            & c["salesperson_code"].isin(_Q1_SALESPEOPLE)
            & (c["post_code"] >= "60000")
            & ~c["privacy_blocked"]
        )
        return pd_ids(c, mask)

    def pd_q2(c: pd.DataFrame, log: pd.DataFrame) -> np.ndarray:
        window = log[
            (log["template"] == _Q2_TEMPLATE)
            & (log["date"] >= pd.Timestamp(_WINDOW_FROM))
            & (log["date"] <= pd.Timestamp(_LAST_DAY))
        ]
        counts = window["contact_no"].value_counts()
        keen = counts.index[counts.to_numpy() >= _Q2_AT_LEAST]
        mask = (
            c["country_code"].isin(_Q2_COUNTRIES)
            & ~c["privacy_blocked"]
            & c["no"].isin(keen)
        )
        return pd_ids(c, mask)

    def pd_q3(c: pd.DataFrame, _log: pd.DataFrame) -> np.ndarray:
        mask = c["name"].str.contains("sch", case=False, regex=False) | c[
            "email"
        ].str.endswith(".de")
        return pd_ids(c, mask)

    def pd_q4(c: pd.DataFrame, _log: pd.DataFrame) -> np.ndarray:
        mask = (
            (
                (c["country_code"] == "DE")
                & (c["type"] == "Person")
                & (c["organizational_level_code"] == "EXEC")
            )
            | (
                c["country_code"].isin(_Q4_GROUP_2_COUNTRIES)
                & (c["territory_code"] == "WEST")
                & c["salesperson_code"].isin(_Q4_GROUP_2_SALESPEOPLE)
            )
            | (
                c["city"].isin(q4_cities)
                & ~c["privacy_blocked"]
                & ~c["exclude_from_segment"]
            )
        )
        return pd_ids(c, mask)

    col = pl.col

    def pl_q1(c: pl.DataFrame, _log: pl.DataFrame) -> pl.Series:
        return c.filter(
            col("country_code").is_in(_Q1_COUNTRIES)
            & (col("territory_code") == "NORTH")
            & col("salesperson_code").is_in(_Q1_SALESPEOPLE)
            & (col("post_code") >= "60000")
            & ~col("privacy_blocked")
        ).get_column("no")

    def pl_q2(c: pl.DataFrame, log: pl.DataFrame) -> pl.Series:
        keen = (
            log.filter(
                (col("template") == _Q2_TEMPLATE)
                & col("date").is_between(_WINDOW_FROM, _LAST_DAY)
            )
            .group_by("contact_no")
            .len()
            .filter(col("len") >= _Q2_AT_LEAST)
            .get_column("contact_no")
        )
        return c.filter(
            col("country_code").is_in(_Q2_COUNTRIES)
            & ~col("privacy_blocked")
            & col("no").is_in(keen.implode())
        ).get_column("no")

    def pl_q3(c: pl.DataFrame, _log: pl.DataFrame) -> pl.Series:
        return c.filter(
            col("name").str.to_lowercase().str.contains("sch", literal=True)
            | col("email").str.ends_with(".de")
        ).get_column("no")

    def pl_q4(c: pl.DataFrame, _log: pl.DataFrame) -> pl.Series:
        return c.filter(
            (
                (col("country_code") == "DE")
                & (col("type") == "Person")
                & (col("organizational_level_code") == "EXEC")
            )
            | (
                col("country_code").is_in(_Q4_GROUP_2_COUNTRIES)
                & (col("territory_code") == "WEST")
                & col("salesperson_code").is_in(_Q4_GROUP_2_SALESPEOPLE)
            )
            | (
                col("city").is_in(q4_cities)
                & ~col("privacy_blocked")
                & ~col("exclude_from_segment")
            )
        ).get_column("no")

    return [
        Query("Q1", "attribute filter", q1, pd_q1, pl_q1),
        Query("Q2", "related interactions in a date window", q2, pd_q2, pl_q2),
        Query("Q3", "text contains / ends with", q3, pd_q3, pl_q3),
        Query("Q4", "OR of AND groups", q4, pd_q4, pl_q4),
    ]


# --- measuring ------------------------------------------------------------------------


def _rss_mib() -> dict[str, int]:
    """The current RSS and the peak so far, in MiB."""
    current = 0
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) // 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"rss": current, "max_rss": peak}


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def _profile(run: Callable[[], Any]) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return out.getvalue()


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(times), 6),
        "min_s": round(min(times), 6),
        "max_s": round(max(times), 6),
    }


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--codes",
        choices=("category", "text"),
        default="category",
        help="the peers' low-cardinality code columns: categoricals or plain strings",
    )
    parser.add_argument("--seed", type=int, default=_SEED)
    parser.add_argument(
        "--quick", action="store_true", help="100,000 contacts, 1,000,000 interactions"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile every query")
    parser.add_argument("--out", type=Path, default=None, help="the JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.contacts, args.interactions = 100_000, 1_000_000
    if args.out is None:
        name = "segments-quick.json" if args.quick else "segments.json"
        args.out = _RESULTS / name
    return args


@attrs.define
class Data:
    """Everything the queries run over, with the build times and memory."""

    contacts: list[Contact]
    related: RelatedIndex
    index: ContactIndex
    people_pd: pd.DataFrame
    log_pd: pd.DataFrame
    people_pl: pl.DataFrame
    log_pl: pl.DataFrame
    q4_cities: tuple[str, ...]
    setup_s: dict[str, float]
    memory_mib: dict[str, dict[str, int]]
    interactions_per_contact: dict[str, float]


def _setup(args: argparse.Namespace) -> Data:
    """Generate the data, build the objects, the index and the frames (timed)."""
    gc.disable()
    rng = np.random.default_rng(args.seed)
    setup: dict[str, float] = {}
    memory: dict[str, dict[str, int]] = {"start": _rss_mib()}

    start = time.perf_counter()
    contact_arrays = _contact_arrays(args.contacts, rng)
    entry_arrays = _interaction_arrays(args.contacts, args.interactions, rng)
    setup["generate_arrays"] = time.perf_counter() - start

    start = time.perf_counter()
    contacts = _contacts(contact_arrays)
    setup["build_contacts"] = time.perf_counter() - start
    memory["contacts"] = _rss_mib()

    start = time.perf_counter()
    entries = _interactions(entry_arrays, contacts)
    setup["build_interactions"] = time.perf_counter() - start
    memory["interactions"] = _rss_mib()
    start = time.perf_counter()
    setup["sample_rebuilt"] = _check_sample(entries, rng)
    setup["check_sample"] = time.perf_counter() - start

    start = time.perf_counter()
    related = RelatedIndex(contacts, interactions=entries)
    setup["related_index"] = time.perf_counter() - start
    del entries  # the index holds them
    memory["related_index"] = _rss_mib()
    start = time.perf_counter()
    index = ContactIndex(contacts)
    setup["contact_index"] = time.perf_counter() - start

    start = time.perf_counter()
    people_pd, log_pd = _pandas_frames(contacts, entry_arrays, args.codes)
    setup["pandas_frames"] = time.perf_counter() - start
    memory["pandas_frames"] = _rss_mib()
    start = time.perf_counter()
    people_pl, log_pl = _polars_frames(contacts, entry_arrays, args.codes)
    setup["polars_frames"] = time.perf_counter() - start
    memory["polars_frames"] = _rss_mib()

    per_contact = np.bincount(entry_arrays["contact"], minlength=args.contacts)
    spread = {
        "median": float(np.median(per_contact)),
        "mean": float(per_contact.mean()),
        "max": float(per_contact.max()),
        "none_pct": round(100 * float((per_contact == 0).mean()), 2),
    }
    q4_cities = tuple(
        _CITIES[i] for i in contact_arrays["city_order"][list(_Q4_CITY_RANKS)]
    )
    del contact_arrays, entry_arrays, per_contact
    start = time.perf_counter()
    gc.collect()
    gc.freeze()
    gc.enable()
    setup["gc_collect_and_freeze"] = time.perf_counter() - start
    memory["after_setup"] = _rss_mib()
    return Data(
        contacts,
        related,
        index,
        people_pd,
        log_pd,
        people_pl,
        log_pl,
        q4_cities,
        {k: round(v, 3) for k, v in setup.items()},
        memory,
        spread,
    )


def _measure(
    data: Data, queries: list[Query], repeats: int
) -> dict[str, dict[str, Any]]:
    """Time each query on the four sides, interleaved run by run; compare results.

    "library" is ``ContactIndex.select`` (bitmaps of the few-valued fields, the
    compiled expression on the contacts they leave unsure); "scan" is ``select``,
    the compiled expression on every contact. Both are the library; the targets
    are gated on the first, the way a notebook or the memory adapter selects.
    """
    sides = ("library", "scan", "pandas", "polars")
    times: dict[str, dict[str, list[float]]] = {
        q.name: {s: [] for s in sides} for q in queries
    }
    found: dict[str, dict[str, set[str]]] = {q.name: {} for q in queries}
    sizes: dict[str, int] = {}
    first: dict[str, float] = {}
    compile_ms: dict[str, float] = {}
    contacts, related, index = data.contacts, data.related, data.index
    for q in queries:  # the first call compiles the tree (and warms the peers)
        start = time.perf_counter()
        _compile_selector.__wrapped__(q.criteria)  # uncached: the compile time
        compile_ms[q.name] = (time.perf_counter() - start) * 1e3
        ids, first[q.name] = _timed(lambda q=q: index.select(q.criteria, related))
        sizes[q.name] = len(ids)
        found[q.name]["library"] = set(ids)
        found[q.name]["scan"] = set(select(q.criteria, contacts, related))
        found[q.name]["pandas"] = set(q.pandas(data.people_pd, data.log_pd).tolist())
        found[q.name]["polars"] = set(q.polars(data.people_pl, data.log_pl).to_list())
    for _ in range(repeats):
        for q in queries:
            ids, seconds = _timed(lambda q=q: index.select(q.criteria, related))
            times[q.name]["library"].append(seconds)
            if set(ids) != found[q.name]["library"]:
                msg = f"{q.name}: the library's result changed between runs"
                raise AssertionError(msg)
            _, seconds = _timed(lambda q=q: select(q.criteria, contacts, related))
            times[q.name]["scan"].append(seconds)
            _, seconds = _timed(lambda q=q: q.pandas(data.people_pd, data.log_pd))
            times[q.name]["pandas"].append(seconds)
            _, seconds = _timed(lambda q=q: q.polars(data.people_pl, data.log_pl))
            times[q.name]["polars"].append(seconds)
    n = len(contacts)
    report: dict[str, dict[str, Any]] = {}
    for q in queries:
        mine = found[q.name]["library"]
        row: dict[str, Any] = {
            "shape": q.shape,
            "expression": compile_selector(q.criteria).__doc__,
            "result_size": sizes[q.name],
            "selectivity_pct": round(100 * sizes[q.name] / n, 3),
            "library": _summary(times[q.name]["library"]),
            "library_first_call_s": round(first[q.name], 6),
            "compile_ms": round(compile_ms[q.name], 3),
            "scan": _summary(times[q.name]["scan"]),
            "pandas": _summary(times[q.name]["pandas"]),
            "polars": _summary(times[q.name]["polars"]),
            "agree_with_scan": mine == found[q.name]["scan"],
            "agree_with_pandas": mine == found[q.name]["pandas"],
            "agree_with_polars": mine == found[q.name]["polars"],
            "no_duplicates": sizes[q.name] == len(mine),
        }
        lib = row["library"]["median_s"]
        row["ns_per_contact"] = round(lib / n * 1e9, 1)
        row["scan_ns_per_contact"] = round(row["scan"]["median_s"] / n * 1e9, 1)
        row["ratio_library_to_pandas"] = round(lib / row["pandas"]["median_s"], 4)
        row["ratio_library_to_polars"] = round(lib / row["polars"]["median_s"], 4)
        row["ratio_scan_to_pandas"] = round(
            row["scan"]["median_s"] / row["pandas"]["median_s"], 4
        )
        report[q.name] = row
    return report


def _targets(report: dict[str, dict[str, Any]], n: int) -> dict[str, dict[str, Any]]:
    """Issue #6's targets (gated) and performance.md §2.4's (informative)."""
    targets: dict[str, dict[str, Any]] = {}
    for name, r in report.items():
        targets[f"{name} library/pandas <= {_TARGET_RATIO}"] = {
            "value": r["ratio_library_to_pandas"],
            "met": r["ratio_library_to_pandas"] <= _TARGET_RATIO,
            "gated": True,
        }
    for name in ("Q1", "Q4"):
        targets[f"{name} attribute filter <= {_TARGET_ATTRIBUTE_NS:.0f} ns/contact"] = {
            "value": report[name]["ns_per_contact"],
            "met": report[name]["ns_per_contact"] <= _TARGET_ATTRIBUTE_NS,
            "gated": True,
        }
    targets[f"Q3 text <= {_DOC_TEXT_NS:.0f} ns/contact (§2.4)"] = {
        "value": report["Q3"]["ns_per_contact"],
        "met": report["Q3"]["ns_per_contact"] <= _DOC_TEXT_NS,
        "gated": False,
    }
    targets[f"Q2 behavioural <= {_DOC_BEHAVIOURAL_S} s (§2.4, at 10 M)"] = {
        "value": report["Q2"]["library"]["median_s"],
        "met": report["Q2"]["library"]["median_s"]
        <= _DOC_BEHAVIOURAL_S * n / 1_000_000,
        "gated": False,
    }
    return targets


def _print(
    args: argparse.Namespace,
    data: Data,
    report: dict[str, dict[str, Any]],
    targets: dict[str, dict[str, Any]],
) -> None:
    n = args.contacts
    print(
        f"\nSegment evaluation in memory: {n:,} contacts, {args.interactions:,}"
        f" interactions (median of {args.repeats}, seconds; peers' codes:"
        f" {args.codes})"
    )
    print(
        f"{'query':<6} {'result':>8} {'sel %':>6} {'library s':>10} {'ns/contact':>10}"
        f" {'1st call s':>10} {'pandas s':>9} {'polars s':>9} {'lib/pandas':>10}"
        f" {'lib/polars':>10} {'scan ns/c':>9} {'scan/pandas':>11} {'agree':>6}"
    )
    for name, r in report.items():
        agree = _agree(r)
        print(
            f"{name:<6} {r['result_size']:>8,} {r['selectivity_pct']:>6.2f}"
            f" {r['library']['median_s']:>10.4f} {r['ns_per_contact']:>10.1f}"
            f" {r['library_first_call_s']:>10.4f} {r['pandas']['median_s']:>9.4f}"
            f" {r['polars']['median_s']:>9.4f} {r['ratio_library_to_pandas']:>10.3f}"
            f" {r['ratio_library_to_polars']:>10.3f} {r['scan_ns_per_contact']:>9.1f}"
            f" {r['ratio_scan_to_pandas']:>11.3f} {'yes' if agree else 'NO':>6}"
        )
    for name, r in report.items():
        print(f"  {name} {r['shape']}: compile {r['compile_ms']:.2f} ms")
    s = data.setup_s
    spread = data.interactions_per_contact
    print(
        f"setup (not in the query times): generate arrays {s['generate_arrays']:.1f} s,"
        f" Contact.create_* {s['build_contacts']:.1f} s"
        f" ({s['build_contacts'] / n * 1e6:.1f} us each), interaction entries"
        f" {s['build_interactions']:.1f} s"
        f" ({s['build_interactions'] / max(args.interactions, 1) * 1e6:.2f} us each;"
        f" {s['sample_rebuilt']:,.0f} rebuilt through the constructor: equal),"
        f" RelatedIndex (per-contact index) {s['related_index']:.2f} s, ContactIndex"
        f" {s['contact_index']:.2f} s (its bitmaps are built by each query's first"
        " call, timed in '1st call s'), pandas"
        f" frames {s['pandas_frames']:.2f} s, polars frames {s['polars_frames']:.2f} s,"
        f" gc collect + freeze {s['gc_collect_and_freeze']:.2f} s"
    )
    print(
        f"interactions per contact: median {spread['median']:.0f}, mean"
        f" {spread['mean']:.1f}, max {spread['max']:,.0f}, none {spread['none_pct']}%"
    )
    m = data.memory_mib
    print(
        "memory (RSS MiB, after each stage): "
        + ", ".join(f"{stage} {v['rss']:,}" for stage, v in m.items())
        + f"; peak {m['end']['max_rss']:,} MiB"
    )
    print("targets:")
    for name, t in targets.items():
        note = "" if t["gated"] else " (informative)"
        print(f"  {name}: {t['value']:g} {'met' if t['met'] else 'NOT met'}{note}")


def _agree(r: dict[str, Any]) -> bool:
    return bool(
        r["agree_with_scan"]
        and r["agree_with_pandas"]
        and r["agree_with_polars"]
        and r["no_duplicates"]
    )


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    data = _setup(args)
    queries = _queries(data.q4_cities)
    report = _measure(data, queries, args.repeats)
    targets = _targets(report, args.contacts)
    missed = {
        name
        for name, r in report.items()
        if r["ratio_library_to_pandas"] > _TARGET_RATIO
        or (name in ("Q1", "Q4") and r["ns_per_contact"] > _TARGET_ATTRIBUTE_NS)
    }
    profiles = {
        q.name: _profile(lambda q=q: data.index.select(q.criteria, data.related))
        for q in queries
        if args.profile or q.name in missed
    }
    data.memory_mib["end"] = _rss_mib()
    _print(args, data, report, targets)
    agree = all(_agree(r) for r in report.values())
    met = agree and all(t["met"] for t in targets.values() if t["gated"])
    print(
        f"issue #6 targets (every shape <= {_TARGET_RATIO}x pandas, attribute filters"
        f" <= {_TARGET_ATTRIBUTE_NS:.0f} ns/contact), results agreeing:"
        f" {'met' if met else 'NOT met'}"
    )
    for name, text in profiles.items():
        print(f"\ncProfile of the library, {name}:\n{text}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "contacts": args.contacts,
                "interactions": args.interactions,
                "repeats": args.repeats,
                "seed": args.seed,
                "quick": args.quick,
                "codes": args.codes,
                "last_day": _LAST_DAY.isoformat(),
                "window_days": _WINDOW,
                "q4_cities": list(data.q4_cities),
                "python": platform.python_version(),
                "pandas": pd.__version__,
                "polars": pl.__version__,
                "numpy": np.__version__,
                "setup_s": data.setup_s,
                "memory_mib": data.memory_mib,
                "interactions_per_contact": data.interactions_per_contact,
                "targets": targets,
                "target_met": met,
                "rows": report,
                "profiles": profiles,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
