"""for_each: bounded concurrency, one call per item, every outcome kept in the items' order."""

from __future__ import annotations

import asyncio

import pytest

from dbcloud import Outcome, for_each


def test_every_item_gets_its_outcome_in_order_with_at_most_concurrency_in_flight() -> None:
    in_flight = 0
    peak = 0
    calls: list[int] = []

    async def double(n: int) -> int:
        nonlocal in_flight, peak
        calls.append(n)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001 * (n % 3))  # finishing out of order
        in_flight -= 1
        return n * 2

    outcomes = asyncio.run(for_each(range(40), double, concurrency=8))
    assert [o.item for o in outcomes] == list(range(40))
    assert [o.result() for o in outcomes] == [n * 2 for n in range(40)]
    assert sorted(calls) == list(range(40))  # each item's call made exactly once
    assert peak == 8


def test_a_failure_is_kept_and_does_not_stop_the_others() -> None:
    async def picky(n: int) -> int:
        if n == 2:
            raise LookupError("no cluster 2")
        return n

    outcomes = asyncio.run(for_each([1, 2, 3], picky, concurrency=2))
    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, LookupError)
    with pytest.raises(LookupError, match="no cluster 2"):
        outcomes[1].result()


def test_stop_on_error_starts_nothing_after_the_first_failure() -> None:
    started: list[int] = []

    async def failing_first(n: int) -> int:
        started.append(n)
        if n == 0:
            raise RuntimeError("boom")
        return n

    outcomes = asyncio.run(for_each(range(5), failing_first, concurrency=1, stop_on_error=True))
    assert started == [0]
    assert [o.started for o in outcomes] == [True, False, False, False, False]
    assert outcomes[3] == Outcome(3, started=False)
    with pytest.raises(RuntimeError, match="not made"):
        outcomes[3].result()


def test_no_items_is_no_call() -> None:
    async def never(n: int) -> int:
        raise AssertionError("called")

    assert asyncio.run(for_each([], never)) == []


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_concurrency_must_be_a_whole_number_of_one_or_more(bad: object) -> None:
    async def one(n: int) -> int:
        return n

    with pytest.raises(ValueError, match="concurrency"):
        asyncio.run(for_each([1], one, concurrency=bad))  # type: ignore[arg-type]
