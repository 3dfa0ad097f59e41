from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.adapters.matching import RapidfuzzMetrics, rapidfuzz_scorer
from relationship_mgmt.domain.duplicates import (
    DuplicateRecord,
    FieldWeightedScorer,
    PurePythonMetrics,
    find_duplicates,
)
from relationship_mgmt.errors import MissingOptionalDependencyError

pytest.importorskip("rapidfuzz")

_text = st.text(alphabet="abcdeé -", max_size=14)


@given(_text, _text)
def test_rapidfuzz_metrics_equal_the_pure_python_fallback(a: str, b: str) -> None:
    fast, pure = RapidfuzzMetrics(), PurePythonMetrics()

    assert fast.jaro_winkler(a, b) == pytest.approx(pure.jaro_winkler(a, b))
    assert fast.ratio(a, b) == pytest.approx(pure.ratio(a, b))


def test_rapidfuzz_scorer_gives_the_pure_python_answers() -> None:
    a = DuplicateRecord(
        key="1", name="Cronus Cardoxy GmbH", city="Berlin", post_code="10115"
    )
    b = DuplicateRecord(
        key="2", name="Cronus Cardoxi", city="Berlin", post_code="10117"
    )

    fast_score, fast_fields = rapidfuzz_scorer().compare(a, b)
    pure_score, pure_fields = FieldWeightedScorer().compare(a, b)

    assert fast_score == pytest.approx(pure_score)
    assert fast_fields == pure_fields
    assert find_duplicates(
        [a, b], metrics=RapidfuzzMetrics(), threshold=0.5
    ) == find_duplicates([a, b], threshold=0.5)


def test_missing_rapidfuzz_raises_missing_optional_dependency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "rapidfuzz.distance", None)

    with pytest.raises(MissingOptionalDependencyError) as info:
        RapidfuzzMetrics()

    assert info.value.extra == "matching"
    assert isinstance(info.value, ImportError)
