"""Worker pools: results in order, and only a few chunks taken ahead of the caller."""

from __future__ import annotations

import operator
from collections.abc import Iterator

import pytest

from redactor.processes import ordered_map, worker_pool


def test_results_come_back_in_order_whatever_the_chunks() -> None:
    with worker_pool(2, int) as pool:
        for chunksize in (1, 3, 8):
            assert list(ordered_map(pool, operator.neg, range(50), chunksize, 2)) == [-n for n in range(50)]


def test_items_are_taken_a_few_chunks_ahead_not_all_at_once() -> None:
    taken: list[int] = []

    def items() -> Iterator[int]:
        for n in range(10_000):
            taken.append(n)
            yield n

    with worker_pool(2, int) as pool:
        results = ordered_map(pool, operator.neg, items(), 4, 2)
        assert next(results) == 0
        assert len(taken) <= 2 * 2 * 4  # two chunks per worker in flight, not the 10,000 items
        results.close()
    assert len(taken) < 10_000


def test_a_failure_in_a_worker_reaches_the_caller() -> None:
    with worker_pool(2, int) as pool, pytest.raises(ZeroDivisionError):
        list(ordered_map(pool, _one_over, [2, 1, 0, 4], 1, 2))


def _one_over(n: int) -> float:
    return 1 / n
