"""The one pager: lazy, cached, guarded against servers that would make a walk endless."""

from __future__ import annotations

from collections.abc import Hashable

import pytest

from dbcloud import APIResponseError
from dbcloud._pager import Fetched, Pager

TOKENS: dict[Hashable | None, tuple[list[int], str | None]] = {
    None: ([1, 2], "a"),
    "a": ([3, 4], "b"),
    "b": ([5], None),
}


def token_pager(
    calls: list[Hashable | None], pages: dict[Hashable | None, tuple[list[int], str | None]] = TOKENS
) -> Pager[int]:
    def fetch(cursor: Hashable | None) -> Fetched[int]:
        calls.append(cursor)
        items, following = pages[cursor]
        return Fetched(items, next=following)

    return Pager(fetch, what="numbers", vendor="Test Cloud")


def test_the_first_page_is_fetched_at_once_and_the_rest_as_needed() -> None:
    calls: list[Hashable | None] = []
    pager = token_pager(calls)
    assert calls == [None]  # a refused list raises where it is asked for
    assert pager[0] == 1
    assert calls == [None]  # one page was enough for the first item


def test_a_refused_first_page_raises_where_the_list_is_asked_for() -> None:
    def refused(cursor: Hashable | None) -> Fetched[int]:
        raise APIResponseError("refused")

    with pytest.raises(APIResponseError, match="refused"):
        Pager(refused, what="numbers", vendor="V")


def test_pages_are_fetched_once_and_kept() -> None:
    calls: list[Hashable | None] = []
    pager = token_pager(calls)
    assert list(pager) == [1, 2, 3, 4, 5]
    assert len(pager) == 5
    assert list(pager) == [1, 2, 3, 4, 5]  # a second walk sends nothing
    assert [page.number for page in pager.pages()] == [1, 2, 3]
    assert [page.items for page in pager.pages()] == [(1, 2), (3, 4), (5,)]
    assert calls == [None, "a", "b"]


def test_indexing_fetches_only_as_far_as_needed() -> None:
    calls: list[Hashable | None] = []
    pager = token_pager(calls)
    assert pager[2] == 3
    assert calls == [None, "a"]
    assert pager[-1] == 5  # from the end: everything
    assert pager[1:3] == [2, 3]
    with pytest.raises(IndexError):
        pager[9]


def test_an_empty_list_is_one_request_and_empty_pages_are_walked_past() -> None:
    calls: list[Hashable | None] = []
    assert not token_pager(calls, {None: ([], None)})
    assert calls == [None]
    # An empty page that names a further one (CockroachDB may send one) is walked past...
    skipping: dict[Hashable | None, tuple[list[int], str | None]] = {None: ([], "a"), "a": ([7], None)}
    assert list(token_pager([], skipping)) == [7]
    # ...but not for ever.
    endless = {None if n == 0 else str(n): ([], str(n + 1)) for n in range(20)}
    with pytest.raises(APIResponseError, match="empty pages in a row"):
        list(token_pager([], endless))  # type: ignore[arg-type]


def test_a_cursor_handed_out_twice_stops_the_walk() -> None:
    looping: dict[Hashable | None, tuple[list[int], str | None]] = {
        None: ([1], "a"),
        "a": ([2], "b"),
        "b": ([3], "a"),
    }
    with pytest.raises(
        APIResponseError, match="Test Cloud handed out the page cursor 'a' twice while listing numbers"
    ):
        list(token_pager([], looping))


def test_a_server_that_ignores_the_offset_stops_with_a_clear_error() -> None:
    calls: list[int] = []

    def ignores_offset(offset: int) -> tuple[list[str], int | None]:
        calls.append(offset)
        return ["alert-1", "alert-2"], None

    pager = Pager.by_offset(ignores_offset, page_size=2, what="alerts", vendor="ClickStack", signature=tuple)
    with pytest.raises(APIResponseError, match="ClickStack sent page 2 with the same items as page 1"):
        list(pager)
    assert calls == [0, 2]


def test_offsets_stop_at_the_vendors_total_and_at_a_short_page() -> None:
    calls: list[int] = []

    def page(offset: int) -> tuple[list[int], int | None]:
        calls.append(offset)
        return list(range(offset, min(offset + 3, 7))), 7

    pager = Pager.by_offset(page, page_size=3, what="items", vendor="V")
    assert list(pager) == list(range(7))
    assert pager.total == 7
    assert calls == [0, 3, 6]

    # Without a total, a short page is the last.
    def short_pages(offset: int) -> tuple[list[int], int | None]:
        return ([1, 2] if offset == 0 else [9]), None

    short = Pager.by_offset(short_pages, page_size=5, what="x", vendor="V")
    assert list(short) == [1, 2]


def test_a_server_that_sends_more_than_its_total_is_stopped() -> None:
    pages: dict[Hashable | None, tuple[list[int], str | None]] = {
        None: ([1, 2], "a"),
        "a": ([3], "b"),
        "b": ([4], None),
    }

    def fetch(cursor: Hashable | None) -> Fetched[int]:
        items, following = pages[cursor]
        return Fetched(items, next=following, total=3)

    with pytest.raises(APIResponseError, match="more pages after the 3 item"):
        list(Pager(fetch, what="numbers", vendor="V"))


def test_one_answer_holding_everything_is_one_page() -> None:
    calls: list[int] = []

    def everything() -> list[str]:
        calls.append(1)
        return ["x", "y"]

    pager = Pager.of_one(everything, what="environments", vendor="ACM")
    assert list(pager) == ["x", "y"]
    assert len(list(pager.pages())) == 1
    assert pager.total is None
    assert calls == [1]


def test_repr_says_how_far_the_walk_got() -> None:
    pager = token_pager([])
    assert repr(pager) == "<Pager of numbers: 2 item(s), 1 page(s) so far>"
    list(pager)
    assert repr(pager) == "<Pager of numbers: 5 item(s), complete>"


def test_a_pager_compares_with_a_list_of_its_items() -> None:
    pager = token_pager([])
    assert pager == [1, 2, 3, 4, 5]
    assert pager == (1, 2, 3, 4, 5)
    assert pager != [1, 2]
    assert token_pager([], {None: ([], None)}) == []
