"""Numbers drawn by concurrent processes never repeat (SQLite file, PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
from tests.adapters._workers import draw_numbers

from relationship_mgmt.adapters.sql import SqlDatabase
from relationship_mgmt.domain.codes import NoSeriesCode
from relationship_mgmt.domain.numbering import NumberSeries

PROCESSES = 8
DRAWS = 1_000
TIMEOUT_S = 600


@pytest.fixture(autouse=True)
def _importable_workers(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Let spawned processes import ``tests.adapters._workers`` (they get sys.path)."""
    monkeypatch.syspath_prepend(pytestconfig.rootpath)


def _draw_concurrently(database: SqlDatabase, url: str, schema: str | None) -> None:
    backend = database.engine.dialect.name
    with database.unit_of_work() as uow:
        uow.number_series.add(NumberSeries(code="CONT", starting_no="CT000001"))
        uow.commit()
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()

    with context.Pool(PROCESSES) as pool:
        tasks = [(url, schema, "CONT", DRAWS)] * PROCESSES
        results = pool.starmap_async(draw_numbers, tasks).get(timeout=TIMEOUT_S)

    elapsed = time.perf_counter() - started
    numbers = [number for result in results for number in result]
    print(f"{PROCESSES} processes x {DRAWS} draws on {backend}: {elapsed:.1f} s")  # noqa: T201
    assert len(numbers) == len(set(numbers)) == PROCESSES * DRAWS
    with database.unit_of_work() as uow:
        series = uow.number_series.get(NoSeriesCode("CONT"))
    assert series.last_no_used == max(numbers) == f"CT{PROCESSES * DRAWS:06d}"
    assert series.version == 1 + PROCESSES * DRAWS


@pytest.mark.slow
def test_processes_drawing_from_one_series_on_sqlite_get_distinct_numbers(
    sqlite_database: SqlDatabase, sqlite_path: Path
) -> None:
    _draw_concurrently(sqlite_database, f"sqlite:///{sqlite_path}", None)


@pytest.mark.slow
@pytest.mark.postgres
def test_processes_drawing_from_one_series_on_postgres_get_distinct_numbers(
    postgres_database: SqlDatabase, postgres_url: str, postgres_schema: str
) -> None:
    _draw_concurrently(postgres_database, postgres_url, postgres_schema)
