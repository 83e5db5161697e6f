"""Walking CockroachDB Cloud's keyset pagination, one page per request, as the caller consumes.

A list request takes `pagination.page` (a token; none for the first page), `pagination.limit` and
`pagination.as_of_time`; the answer's `pagination.next_page` is the token of the next page, and an
absent or empty one ends the walk. (The vendor's API guide, older than the spec, shows the field as
`next`, a number that is 0 on the last page; both spellings are read.)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from .._errors import APIResponseError

__all__ = ["Page", "Pager", "items_of", "next_page_token"]

T = TypeVar("T")

Fetch = Callable[[str | None], tuple[Sequence[T], str | None]]
"""Fetches the page a token names (None: the first) and returns its items and the next token."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list call.

    Attributes:
        items: the page's items.
        number: the page's position in the walk, from 1.
        next_page: the token of the following page, or None on the last page.
    """

    items: tuple[T, ...]
    number: int
    next_page: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Pager(Iterator[T]):
    """The items of a list call, fetched a page at a time as they are consumed.

    Nothing is requested until the first item (or page) is asked for, and every page is fetched:
    `list(pager)` holds all items, not the first page's. A pager walks once; call the list method
    again to walk again. For page-by-page work, use `pages()` instead of iterating the items (one
    or the other, not both).
    """

    def __init__(self, fetch: Fetch[T], *, what: str) -> None:
        self._fetch = fetch
        self._what = what
        self._mode: Literal["items", "pages"] | None = None
        self._walk: Iterator[Page[T]] = iter(())
        self._buffer: deque[T] = deque()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        self._start("items")
        while not self._buffer:
            # StopIteration from the page walk ends the items too.
            self._buffer.extend(next(self._walk).items)
        return self._buffer.popleft()

    def pages(self) -> Iterator[Page[T]]:
        """The pages themselves, each fetched when the previous one has been taken.

        Raises:
            RuntimeError: items were already taken from this pager.
        """
        self._start("pages")
        return self._walk

    def __repr__(self) -> str:
        return f"<Pager of {self._what}>"

    def _start(self, mode: Literal["items", "pages"]) -> None:
        if self._mode is None:
            self._mode = mode
            self._walk = self._pages()
        elif self._mode != mode:
            raise RuntimeError(
                f"this pager of {self._what} is already walked by {self._mode}; "
                "call the list method again for a fresh one"
            )

    def _pages(self) -> Iterator[Page[T]]:
        token: str | None = None
        seen: set[str] = set()
        number = 0
        while True:
            items, following = self._fetch(token)
            number += 1
            yield Page(tuple(items), number, following)
            if following is None:
                return
            if following in seen:
                # A server handing out a token twice would make the walk endless.
                raise APIResponseError(
                    f"CockroachDB Cloud repeated the page token {following!r} while listing {self._what}"
                )
            seen.add(following)
            token = following


def items_of(data: Any, key: str, *, what: str) -> list[Any]:
    """The list under `key` of a list answer ([] when the key is absent).

    Raises:
        APIResponseError: the answer is not an object, or `key` holds something else than a list.
    """
    if data is None:
        return []
    if not isinstance(data, Mapping):
        raise APIResponseError(f"CockroachDB Cloud answered a list of {what} with a {type(data).__name__}")
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise APIResponseError(f"CockroachDB Cloud sent {key!r} as a {type(value).__name__}, not a list")
    return value


def next_page_token(data: Any) -> str | None:
    """The token of the page after this answer, or None when it is the last."""
    pagination = data.get("pagination") if isinstance(data, Mapping) else None
    if not isinstance(pagination, Mapping):
        return None
    token = pagination.get("next_page", pagination.get("next"))
    # The guide's numeric `next` is 0 on the last page; the spec's string token is empty or absent.
    if token is None or isinstance(token, bool) or token in ("", 0):
        return None
    return str(token)
