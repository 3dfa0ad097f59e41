"""PLACEHOLDER - being written by a helper. Interface only."""

from __future__ import annotations

from datetime import date, timedelta

from attrs import frozen


@frozen
class DateFormula:
    """Placeholder."""

    text: str

    @classmethod
    def parse(cls, text: str) -> DateFormula:
        """Placeholder."""
        return cls(text.strip().strip("<>").upper())

    def apply(self, base: date) -> date:
        """Placeholder."""
        return base + timedelta(days=0)

    def __str__(self) -> str:
        return self.text


def calc_date(formula: DateFormula | str, base: date) -> date:
    """Placeholder."""
    if isinstance(formula, str):
        formula = DateFormula.parse(formula)
    return formula.apply(base)
