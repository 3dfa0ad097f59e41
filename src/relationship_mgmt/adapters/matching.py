"""rapidfuzz-backed string metrics for duplicate detection (extra ``matching``).

:class:`RapidfuzzMetrics` implements
:class:`~relationship_mgmt.domain.duplicates.StringMetrics` with rapidfuzz's C++
Jaro-Winkler and indel similarity. The values equal those of the pure-Python
fallback; only the speed differs. rapidfuzz is imported when the class is first
instantiated, so importing this module needs no extra.

>>> from relationship_mgmt.domain.duplicates import DuplicateIndex
>>> index = DuplicateIndex("default", metrics=RapidfuzzMetrics())
>>> round(RapidfuzzMetrics().jaro_winkler("martha", "marhta"), 4)
0.9611
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from relationship_mgmt.domain.duplicates import (
    FieldWeightedScorer,
    MatchProfile,
    RecordKind,
)
from relationship_mgmt.errors import MissingOptionalDependencyError

__all__ = ["RapidfuzzMetrics", "rapidfuzz_scorer"]


def _distance_module() -> Any:  # noqa: ANN401 - rapidfuzz is untyped at this seam
    try:
        return importlib.import_module("rapidfuzz.distance")
    except ImportError as error:
        raise MissingOptionalDependencyError(
            "matching", "rapidfuzz string metrics for duplicate detection"
        ) from error


class RapidfuzzMetrics:
    """String metrics backed by rapidfuzz: the pure-Python answers, faster.

    Raises:
        MissingOptionalDependencyError: rapidfuzz is not installed (extra
            ``matching``).

    >>> RapidfuzzMetrics().ratio("kitten", "sitting")
    0.6153846153846154
    """

    name = "rapidfuzz"

    def __init__(self) -> None:
        distance = _distance_module()
        self._jaro_winkler: Callable[[str, str], float] = (
            distance.JaroWinkler.normalized_similarity
        )
        self._ratio: Callable[[str, str], float] = distance.Indel.normalized_similarity

    def jaro_winkler(self, a: str, b: str) -> float:
        """Return the Jaro-Winkler similarity (0.0 to 1.0)."""
        return self._jaro_winkler(a, b)

    def ratio(self, a: str, b: str) -> float:
        """Return the normalised indel similarity (0.0 to 1.0)."""
        return self._ratio(a, b)


def rapidfuzz_scorer(
    profiles: Mapping[RecordKind, MatchProfile] | None = None,
) -> FieldWeightedScorer:
    """Return a :class:`FieldWeightedScorer` using :class:`RapidfuzzMetrics`.

    Raises:
        MissingOptionalDependencyError: rapidfuzz is not installed.
    """
    return FieldWeightedScorer(profiles, metrics=RapidfuzzMetrics())
