"""Pure-Python string metrics for the duplicate scorer (no third-party code).

These are the fallback the ``matching`` extra (rapidfuzz) replaces; they return the
same values as rapidfuzz's ``JaroWinkler.normalized_similarity`` (prefix weight 0.1,
prefix up to 4) and ``Indel.normalized_similarity``.
"""

from __future__ import annotations

__all__ = ["PurePythonMetrics", "indel_similarity", "jaro_winkler"]

_PREFIX_WEIGHT = 0.1
_MAX_PREFIX = 4
_BOOST_THRESHOLD = 0.7  # Winkler's: no prefix bonus below it (as rapidfuzz)


def _jaro(a: str, b: str) -> float:
    len_a, len_b = len(a), len(b)
    if not len_a or not len_b:
        return 0.0
    window = max(max(len_a, len_b) // 2 - 1, 0)
    taken = [False] * len_b
    matched_a: list[str] = []
    for i, char in enumerate(a):
        low, high = max(0, i - window), min(len_b, i + window + 1)
        for j in range(low, high):
            if not taken[j] and b[j] == char:
                taken[j] = True
                matched_a.append(char)
                break
    matches = len(matched_a)
    if not matches:
        return 0.0
    matched_b = [b[j] for j in range(len_b) if taken[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) // 2
    return (
        matches / len_a + matches / len_b + (matches - transpositions) / matches
    ) / 3


def jaro_winkler(a: str, b: str) -> float:
    """Return the Jaro-Winkler similarity of ``a`` and ``b``, from 0.0 to 1.0.

    >>> round(jaro_winkler("martha", "marhta"), 4)
    0.9611
    """
    if a == b:
        return 1.0
    jaro = _jaro(a, b)
    if jaro <= _BOOST_THRESHOLD:
        return jaro
    prefix = 0
    for x, y in zip(a[:_MAX_PREFIX], b[:_MAX_PREFIX], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * _PREFIX_WEIGHT * (1.0 - jaro)


def indel_similarity(a: str, b: str) -> float:
    """Return ``1 - indel distance / (len(a) + len(b))`` (rapidfuzz's ``ratio`` / 100).

    >>> indel_similarity("kitten", "sitting")
    0.6153846153846154
    """
    total = len(a) + len(b)
    if not total:
        return 1.0
    if a == b:
        return 1.0
    # Longest common subsequence, two rows.
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(
                previous[j] + 1 if char == other else max(previous[j + 1], current[j])
            )
        previous = current
    return 2 * previous[-1] / total


class PurePythonMetrics:
    """The standard-library :class:`~relationship_mgmt.domain.duplicates.StringMetrics`.

    >>> PurePythonMetrics().jaro_winkler("smith", "smith")
    1.0
    """

    name = "pure-python"

    def jaro_winkler(self, a: str, b: str) -> float:
        """Return the Jaro-Winkler similarity (0.0 to 1.0)."""
        return jaro_winkler(a, b)

    def ratio(self, a: str, b: str) -> float:
        """Return the normalised indel similarity (0.0 to 1.0)."""
        return indel_similarity(a, b)
