"""Drawing record numbers inside a use case's unit of work (spec §0 "No. Series").

Every later use case that creates a numbered record (contact, segment, opportunity,
campaign, task) calls :func:`assign_number` inside its own unit of work, so the number
and the record commit together: a rolled-back use case hands its number back, and two
writers never get the same number.
"""

from __future__ import annotations

from datetime import date

from relationship_mgmt.domain.codes import CODE20, NoSeriesCode, make_code
from relationship_mgmt.errors import ValidationError
from relationship_mgmt.ports.unit_of_work import UnitOfWork

__all__ = ["assign_number", "draw_number"]


def draw_number(uow: UnitOfWork, series_code: NoSeriesCode, *, on: date) -> str:
    """Draw the next number of a series inside ``uow`` (not committed here).

    Args:
        uow: The active unit of work of the calling use case.
        series_code: The series to draw from.
        on: The date the number is used for (the work date).

    Returns:
        The number.

    Raises:
        NotFoundError: No such series.
        NumberSeriesError: The series is exhausted or out of date order.
        ConcurrencyError: Another writer drew meanwhile (memory adapter only; the
            SQL adapters wait for the lock instead).
    """
    series = uow.number_series.get_for_update(series_code)
    number = series.draw(on=on)
    uow.number_series.update(series)
    return number


def assign_number(
    uow: UnitOfWork,
    series_code: NoSeriesCode | None,
    *,
    manual_no: str | None,
    on: date,
    what: str,
) -> str:
    """Give a new record its number, as BC does on insert (spec §0).

    A blank ``manual_no`` draws from ``series_code``; a typed number needs the
    series to allow manual numbers (``manual_nos``), or no series at all.

    Args:
        uow: The active unit of work of the calling use case.
        series_code: The series set in the setup for this record kind, if any.
        manual_no: A number the user typed, or ``None``.
        on: The work date.
        what: The setup field named in errors (e.g. ``"contact_nos"``).

    Returns:
        The number to use.

    Raises:
        ValidationError: No number was typed and the setup names no series.
        ManualNumbersNotAllowedError: The series refuses typed numbers.
    """
    if manual_no is not None and manual_no.strip():
        if series_code is None:
            return make_code(manual_no, max_length=CODE20, field="no")
        return uow.number_series.get(series_code).check_manual(manual_no)
    if series_code is None:
        raise ValidationError(what, None, "no number series is set up")
    return draw_number(uow, series_code, on=on)
