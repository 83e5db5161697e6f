"""The async pager: the sync pager's walk and guards, fetched with awaits and nothing before use."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

import pytest

from dbcloud import APIResponseError
from dbcloud._pager import AsyncPager, Fetched

PAGES: dict[Hashable | None, tuple[list[int], Hashable | None]] = {
    None: ([1, 2], "a"),
    "a": ([3, 4], "b"),
    "b": ([5], None),
}


def pager(
    calls: list[Hashable | None], pages: dict[Hashable | None, tuple[list[int], Hashable | None]] = PAGES
) -> AsyncPager[int]:
    async def fetch(cursor: Hashable | None) -> Fetched[int]:
        calls.append(cursor)
        await asyncio.sleep(0)
        items, following = pages[cursor]
        return Fetched(items, next=following)

    return AsyncPager(fetch, what="numbers", vendor="Test Cloud")


def test_nothing_is_fetched_until_the_pager_is_used() -> None:
    calls: list[Hashable | None] = []
    pager(calls)
    assert calls == []


def test_async_for_walks_every_page_once_and_keeps_them() -> None:
    calls: list[Hashable | None] = []
    numbers = pager(calls)

    async def walk() -> tuple[list[int], list[int], list[tuple[int, ...]]]:
        first = [n async for n in numbers]
        second = [n async for n in numbers]  # from what was kept
        pages = [page.items async for page in numbers.pages()]
        return first, second, pages

    first, second, pages = asyncio.run(walk())
    assert first == second == [1, 2, 3, 4, 5]
    assert pages == [(1, 2), (3, 4), (5,)]
    assert calls == [None, "a", "b"]


def test_awaiting_the_pager_gives_every_item() -> None:
    calls: list[Hashable | None] = []
    numbers = pager(calls)
    assert asyncio.run(_awaited(numbers)) == [1, 2, 3, 4, 5]
    assert repr(numbers) == "<AsyncPager of numbers: 5 item(s), complete>"


async def _awaited(numbers: AsyncPager[int]) -> list[int]:
    return await numbers


def test_breaking_off_fetches_no_further_page() -> None:
    calls: list[Hashable | None] = []
    numbers = pager(calls)

    async def first_two() -> list[int]:
        taken = []
        async for n in numbers:
            taken.append(n)
            if len(taken) == 2:
                break
        return taken

    assert asyncio.run(first_two()) == [1, 2]
    assert calls == [None]


def test_total_fetches_the_first_page_only() -> None:
    calls: list[Hashable | None] = []

    async def fetch(cursor: Hashable | None) -> Fetched[int]:
        calls.append(cursor)
        return Fetched([1, 2], next=2 if cursor is None else None, total=3)

    numbers = AsyncPager(fetch, what="numbers", vendor="V")
    assert asyncio.run(numbers.total()) == 3
    assert calls == [None]


def test_a_repeated_cursor_stops_the_walk_as_in_the_sync_pager() -> None:
    looping: dict[Hashable | None, tuple[list[int], Hashable | None]] = {None: ([1], "x"), "x": ([2], "x")}
    numbers = pager([], looping)
    with pytest.raises(APIResponseError, match="Test Cloud handed out the page cursor 'x' twice"):
        asyncio.run(_awaited(numbers))
