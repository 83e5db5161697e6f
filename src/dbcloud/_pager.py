"""The one pagination of every list call of every vendor: a lazy, cached sequence of items.

A list method returns a `Pager`. The first page is fetched when the pager is made, so a refused
list (a wrong key, an unknown environment) raises where the list method is called, as a plain list
would; further pages are fetched one request at a time as they are needed, and kept, so that
iterating twice, `len()` and indexing cost no second request. `pages()` walks the same pages one by
one (for work page by page, or to see `total`). `list(pager)` holds every item of every page.

Vendors page in three ways, each a `fetch` function that takes a cursor (None for the first page)
and returns a `Fetched`:

- keyset tokens (CockroachDB): the cursor is the token the previous answer gave;
- offsets (ClickStack): the cursor is the offset of the next page, and the answer's total, when the
  vendor sends one, says when to stop;
- one answer holding everything (ACM, ClickHouse Cloud, Anywhere): `Pager.of_one` wraps it.

The guards: a cursor handed out twice, a page that repeats the previous one (a server ignoring the
offset or the token), more pages than items the vendor said it has, or more than ten empty pages
in a row (an empty page that names a further one is otherwise walked past), stop the walk with an
`APIResponseError` naming the vendor and the list, never an endless loop. Written without I/O of its
own, so the async twin is the same logic over an async `fetch`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from ._errors import APIResponseError

__all__ = ["AsyncPager", "Fetch", "Fetched", "Page", "Pager", "offset_page"]

T = TypeVar("T")

_EMPTY_PAGES = 10  # empty pages in a row, each with a further cursor, before the walk is stopped


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """What one list request gave.

    Attributes:
        items: the page's items, already read.
        next: the cursor of the following page (a token or an offset), or None on the last page.
        total: the number of items in the whole list, when the vendor says it.
        signature: something equal for two answers with the same content (e.g. the items' ids), so
            that a server repeating a page is caught; None leaves that guard out.
    """

    items: Sequence[T]
    next: Hashable | None = None
    total: int | None = None
    signature: Hashable | None = None


Fetch = Callable[[Hashable | None], Fetched[T]]
"""Fetches the page a cursor names (None: the first)."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list call.

    Attributes:
        items: the page's items.
        number: the page's position in the walk, from 1.
        next_page: the cursor of the following page, or None on the last page.
        total: the vendor's count of all items, when it gives one.
    """

    items: tuple[T, ...]
    number: int
    next_page: Hashable | None
    total: int | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class _Walk(Generic[T]):
    """The state of one walk over a list's pages and its guards, without I/O: the sync `Pager` and
    the `AsyncPager` each fetch the pages their way and hand them here."""

    __slots__ = ("done", "empty", "items", "pages", "seen", "signatures", "vendor", "what")

    def __init__(self, what: str, vendor: str) -> None:
        self.what = what
        self.vendor = vendor
        self.pages: list[Page[T]] = []
        self.items: list[T] = []
        self.seen: set[Hashable] = set()
        self.signatures: list[Hashable | None] = []
        self.empty = 0
        self.done = False

    def cursor(self) -> Hashable | None:
        """The cursor of the page to fetch next (None: the first)."""
        return self.pages[-1].next_page if self.pages else None

    def add(self, fetched: Fetched[T]) -> None:
        """Take one fetched page, or stop the walk with an `APIResponseError` when a guard trips."""
        page = Page(tuple(fetched.items), len(self.pages) + 1, fetched.next, fetched.total)
        self._check(fetched, page)
        self.pages.append(page)
        self.items.extend(page.items)
        # An empty page with a cursor goes on (CockroachDB may send one); the cursor guard and the
        # cap on empty pages in a row keep a server that never ends from looping.
        self.empty = 0 if page.items else self.empty + 1
        if self.empty > _EMPTY_PAGES:
            self._fail(f"sent {self.empty} empty pages in a row, each naming a further one")
        self.done = page.next_page is None
        if page.next_page is not None:
            self.seen.add(page.next_page)

    def total(self) -> int | None:
        return self.pages[0].total if self.pages else None

    def describe(self, kind: str) -> str:
        state = "complete" if self.done else f"{len(self.pages)} page(s) so far"
        return f"<{kind} of {self.what}: {len(self.items)} item(s), {state}>"

    def _check(self, fetched: Fetched[T], page: Page[T]) -> None:
        previous = self.pages[-1] if self.pages else None
        if fetched.next is not None and fetched.next in self.seen:
            self._fail(f"handed out the page cursor {fetched.next!r} twice")
        if (
            previous is not None
            and fetched.signature is not None
            and page.items
            and fetched.signature == self.signatures[-1]
        ):
            self._fail(f"sent page {page.number} with the same items as page {previous.number}")
        total = fetched.total if fetched.total is not None else (previous.total if previous else None)
        if total is not None and page.items and len(self.items) >= total:
            self._fail(f"sent more pages after the {total} item(s) it said the list holds")
        self.signatures.append(fetched.signature)

    def _fail(self, what: str) -> None:
        raise APIResponseError(f"{self.vendor} {what} while listing {self.what}; stopped the walk")


def offset_page(
    offset: int,
    items: Sequence[T],
    total: int | None,
    *,
    page_size: int,
    signature: Callable[[Sequence[T]], Hashable] | None = None,
) -> Fetched[T]:
    """The `Fetched` of one offset page: the walk ends at a page shorter than `page_size`, or once
    the vendor's total is reached; `signature(items)` (e.g. their ids) catches a server that
    ignores the offset."""
    following = offset + len(items)
    last = len(items) < page_size or (total is not None and following >= total)
    return Fetched(
        items,
        next=None if last else following,
        total=total,
        signature=signature(items) if signature is not None else None,
    )


class Pager(Sequence[T]):
    """The items of a list call, fetched a page at a time as they are needed, and kept.

    Args:
        fetch: fetches one page (see the module docstring).
        what: the list, for messages ("clusters of environment 176").
        vendor: the vendor's name, for messages ("CockroachDB Cloud").
    """

    __slots__ = ("_fetch", "_walk")

    def __init__(self, fetch: Fetch[T], *, what: str, vendor: str) -> None:
        self._fetch = fetch
        self._walk: _Walk[T] = _Walk(what, vendor)
        self._more()  # the first page now: errors belong to the call that asked for the list

    @classmethod
    def of_one(cls, fetch_all: Callable[[], Sequence[T]], *, what: str, vendor: str) -> Pager[T]:
        """A pager over an answer that holds the whole list (the vendor does not page it)."""
        return cls(lambda _cursor: Fetched(fetch_all()), what=what, vendor=vendor)

    @classmethod
    def by_offset(
        cls,
        fetch_page: Callable[[int], tuple[Sequence[T], int | None]],
        *,
        page_size: int,
        what: str,
        vendor: str,
        signature: Callable[[Sequence[T]], Hashable] | None = None,
    ) -> Pager[T]:
        """A pager over offset pages: `fetch_page(offset)` returns a page's items and the total.

        The walk ends at the first page shorter than `page_size`, or once the vendor's total is
        reached. `signature(items)` (e.g. their ids) catches a server that ignores the offset.
        """
        if page_size < 1:
            raise ValueError("page_size must be 1 or more")

        def fetch(cursor: Hashable | None) -> Fetched[T]:
            offset = cursor if isinstance(cursor, int) else 0
            items, total = fetch_page(offset)
            return offset_page(offset, items, total, page_size=page_size, signature=signature)

        return cls(fetch, what=what, vendor=vendor)

    # --- the sequence --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[T]:
        index = 0
        items = self._walk.items
        while True:
            while index < len(items):
                yield items[index]
                index += 1
            if not self._more():
                return

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._walk.items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        items = self._walk.items
        if isinstance(index, slice) or index < 0:
            self._fetch_all()
        else:
            while index >= len(items) and self._more():
                pass
        return items[index]

    def __bool__(self) -> bool:
        while not self._walk.items and self._more():
            pass
        return bool(self._walk.items)

    def __eq__(self, other: object) -> bool:
        # A list's items compare like a list's: `client.things.list() == []` reads as it says.
        if isinstance(other, Pager | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable (it grows as pages arrive), like a list

    def __repr__(self) -> str:
        return self._walk.describe("Pager")

    # --- pages ---------------------------------------------------------------------------------

    def pages(self) -> Iterator[Page[T]]:
        """The pages, from the first: those fetched already, then one request per further page."""
        index = 0
        pages = self._walk.pages
        while True:
            while index < len(pages):
                yield pages[index]
                index += 1
            if not self._more():
                return

    @property
    def total(self) -> int | None:
        """The vendor's count of all items (fetches the first page if needed); None if it gives none."""
        if not self._walk.pages:
            self._more()
        return self._walk.total()

    # --- the walk ------------------------------------------------------------------------------

    def _fetch_all(self) -> None:
        while self._more():
            pass

    def _more(self) -> bool:
        """Fetch the next page; False when the list is complete."""
        walk = self._walk
        if walk.done:
            return False
        walk.add(self._fetch(walk.cursor()))
        return True


class AsyncPager(Generic[T]):
    """The async twin of `Pager`: the same walk and guards over pages fetched with awaits.

    `async for item in pager` walks the items, fetching pages as needed (and keeping them, so a
    second walk sends nothing); `async for page in pager.pages()` walks the pages; `await pager`
    gives every item as a list; `await pager.total()` the vendor's count. No request is sent until
    one of these is used.

    Args:
        fetch: fetches one page: `await fetch(cursor)` gives a `Fetched`.
        what: the list, for messages.
        vendor: the vendor's name, for messages.
    """

    __slots__ = ("_fetch", "_walk")

    def __init__(
        self, fetch: Callable[[Hashable | None], Awaitable[Fetched[T]]], *, what: str, vendor: str
    ) -> None:
        self._fetch = fetch
        self._walk: _Walk[T] = _Walk(what, vendor)

    async def __aiter__(self) -> AsyncIterator[T]:
        index = 0
        items = self._walk.items
        while True:
            while index < len(items):
                yield items[index]
                index += 1
            if not await self._more():
                return

    async def pages(self) -> AsyncIterator[Page[T]]:
        """The pages, from the first: those fetched already, then one request per further page."""
        index = 0
        pages = self._walk.pages
        while True:
            while index < len(pages):
                yield pages[index]
                index += 1
            if not await self._more():
                return

    async def all(self) -> list[T]:
        """Every item of every page."""
        while await self._more():
            pass
        return list(self._walk.items)

    def __await__(self) -> Generator[Any, None, list[T]]:
        return self.all().__await__()

    async def total(self) -> int | None:
        """The vendor's count of all items (fetches the first page if needed); None if it gives none."""
        if not self._walk.pages:
            await self._more()
        return self._walk.total()

    def __repr__(self) -> str:
        return self._walk.describe("AsyncPager")

    async def _more(self) -> bool:
        walk = self._walk
        if walk.done:
            return False
        walk.add(await self._fetch(walk.cursor()))
        return True
