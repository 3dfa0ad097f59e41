"""Worker functions for the multi-process tests (spawned processes import them)."""

from __future__ import annotations

from datetime import date

from relationship_mgmt.adapters.sql import open_database
from relationship_mgmt.domain.codes import NoSeriesCode

DRAW_DATE = date(2026, 1, 5)


def draw_numbers(url: str, schema: str | None, code: str, count: int) -> list[str]:
    """Draw ``count`` numbers from series ``code``, one unit of work per number."""
    database = open_database(url, schema=schema)
    numbers: list[str] = []
    try:
        for _ in range(count):
            with database.unit_of_work() as uow:
                series = uow.number_series.get_for_update(NoSeriesCode(code))
                number = series.draw(on=DRAW_DATE)
                uow.number_series.update(series)
                uow.commit()
            numbers.append(number)
    finally:
        database.dispose()
    return numbers
