from __future__ import annotations

import threading
from datetime import date

import pytest

from relationship_mgmt.adapters.memory import (
    InMemoryStore,
    InMemoryUnitOfWork,
    in_memory_uow_factory,
)
from relationship_mgmt.domain.codes import NoSeriesCode
from relationship_mgmt.domain.numbering import NumberSeries
from relationship_mgmt.errors import ConcurrencyError
from relationship_mgmt.ports import UnitOfWorkFactory
from relationship_mgmt.testing.contracts import AdapterContract


class TestInMemoryAdapter(AdapterContract):
    @pytest.fixture
    def uow_factory(self) -> UnitOfWorkFactory:
        return in_memory_uow_factory()


def test_a_conflict_committed_meanwhile_is_caught_at_commit() -> None:
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.number_series.add(NumberSeries(code="A", starting_no="A1"))
        uow.commit()

    first, second = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    with first, second:
        s1 = first.number_series.get_for_update(NoSeriesCode("A"))
        s2 = second.number_series.get_for_update(NoSeriesCode("A"))
        s1.draw(on=date(2026, 1, 1))
        s2.draw(on=date(2026, 1, 1))
        first.number_series.update(s1)
        second.number_series.update(s2)
        first.commit()
        with pytest.raises(ConcurrencyError):
            second.commit()


def test_threads_drawing_numbers_never_share_one() -> None:
    factory = in_memory_uow_factory()
    with factory() as uow:
        uow.number_series.add(NumberSeries(code="A", starting_no="A0001"))
        uow.commit()
    drawn: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(200):
            while True:
                try:
                    with factory() as uow:
                        series = uow.number_series.get_for_update(NoSeriesCode("A"))
                        number = series.draw(on=date(2026, 1, 1))
                        uow.number_series.update(series)
                        uow.commit()
                except ConcurrencyError:
                    continue
                with lock:
                    drawn.append(number)
                break

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(drawn) == len(set(drawn)) == 800
