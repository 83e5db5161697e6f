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

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

from ._errors import APIResponseError

__all__ = ["Fetch", "Fetched", "Page", "Pager"]

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


class Pager(Sequence[T]):
    """The items of a list call, fetched a page at a time as they are needed, and kept.

    Args:
        fetch: fetches one page (see the module docstring).
        what: the list, for messages ("clusters of environment 176").
        vendor: the vendor's name, for messages ("CockroachDB Cloud").
    """

    __slots__ = ("_done", "_empty", "_fetch", "_items", "_pages", "_seen", "_signatures", "_vendor", "_what")

    def __init__(self, fetch: Fetch[T], *, what: str, vendor: str) -> None:
        self._fetch = fetch
        self._what = what
        self._vendor = vendor
        self._pages: list[Page[T]] = []
        self._items: list[T] = []
        self._seen: set[Hashable] = set()
        self._signatures: list[Hashable | None] = []
        self._empty = 0
        self._done = False
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
            following = offset + len(items)
            last = len(items) < page_size or (total is not None and following >= total)
            return Fetched(
                items,
                next=None if last else following,
                total=total,
                signature=signature(items) if signature is not None else None,
            )

        return cls(fetch, what=what, vendor=vendor)

    # --- the sequence --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[T]:
        index = 0
        while True:
            while index < len(self._items):
                yield self._items[index]
                index += 1
            if not self._more():
                return

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice) or index < 0:
            self._fetch_all()
        else:
            while index >= len(self._items) and self._more():
                pass
        return self._items[index]

    def __bool__(self) -> bool:
        while not self._items and self._more():
            pass
        return bool(self._items)

    def __eq__(self, other: object) -> bool:
        # A list's items compare like a list's: `client.things.list() == []` reads as it says.
        if isinstance(other, Pager | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable (it grows as pages arrive), like a list

    def __repr__(self) -> str:
        state = "complete" if self._done else f"{len(self._pages)} page(s) so far"
        return f"<Pager of {self._what}: {len(self._items)} item(s), {state}>"

    # --- pages ---------------------------------------------------------------------------------

    def pages(self) -> Iterator[Page[T]]:
        """The pages, from the first: those fetched already, then one request per further page."""
        index = 0
        while True:
            while index < len(self._pages):
                yield self._pages[index]
                index += 1
            if not self._more():
                return

    @property
    def total(self) -> int | None:
        """The vendor's count of all items (fetches the first page if needed); None if it gives none."""
        if not self._pages:
            self._more()
        return self._pages[0].total if self._pages else None

    # --- the walk ------------------------------------------------------------------------------

    def _fetch_all(self) -> None:
        while self._more():
            pass

    def _more(self) -> bool:
        """Fetch the next page; False when the list is complete."""
        if self._done:
            return False
        cursor = self._pages[-1].next_page if self._pages else None
        fetched = self._fetch(cursor)
        page = Page(tuple(fetched.items), len(self._pages) + 1, fetched.next, fetched.total)
        self._check(fetched, page)
        self._pages.append(page)
        self._items.extend(page.items)
        # An empty page with a cursor goes on (CockroachDB may send one); the cursor guard and the
        # cap on empty pages in a row keep a server that never ends from looping.
        self._empty = 0 if page.items else self._empty + 1
        if self._empty > _EMPTY_PAGES:
            self._fail(f"sent {self._empty} empty pages in a row, each naming a further one")
        self._done = page.next_page is None
        if page.next_page is not None:
            self._seen.add(page.next_page)
        return True

    def _check(self, fetched: Fetched[T], page: Page[T]) -> None:
        previous = self._pages[-1] if self._pages else None
        if fetched.next is not None and fetched.next in self._seen:
            self._fail(f"handed out the page cursor {fetched.next!r} twice")
        if (
            previous is not None
            and fetched.signature is not None
            and page.items
            and fetched.signature == self._signatures[-1]
        ):
            self._fail(f"sent page {page.number} with the same items as page {previous.number}")
        total = fetched.total if fetched.total is not None else (previous.total if previous else None)
        if total is not None and page.items and len(self._items) >= total:
            self._fail(f"sent more pages after the {total} item(s) it said the list holds")
        self._signatures.append(fetched.signature)

    def _fail(self, what: str) -> None:
        raise APIResponseError(f"{self._vendor} {what} while listing {self._what}; stopped the walk")
