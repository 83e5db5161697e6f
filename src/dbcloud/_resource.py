"""Resource logic written once and bound twice: to the sync client and to the async one.

A resource class (`Clusters`) derives from `Resource[H]`, where `H` is the flavour of the client
it belongs to: `httpx.Client` for the blocking clients, `httpx.AsyncClient` for the async ones.
Its methods are flows (`_flow`) decorated with `@call`, or plain functions returning a `Listing`
decorated with `@listing`. Reached through an instance, a decorated method is bound to the client's
flavour:

    @call
    def get(self, cluster_id: str) -> Flow[Cluster]:
        data = yield from self._client._call_flow("clusters.get_cluster", Expect.OBJECT, id=cluster_id)
        return Cluster.from_api(data)

    CockroachCloud().clusters.get("c1")              # Cluster, sent now
    await AsyncCockroachCloud().clusters.get("c1")   # the same flow, awaited

Type checkers see the bound form too: on `Clusters[httpx.Client]`, `get` takes the flow's
arguments and returns `Cluster`; on `Clusters[httpx.AsyncClient]` it returns a coroutine of
`Cluster`. Inside resource code, another method's flow is reached through the class:
`yield from Clusters.status.flow(self, cid)`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, overload

import httpx

from ._errors import AmbiguousNameError, APIResponseError, NotFoundError, ValidationError
from ._flow import Flow
from ._pager import AsyncPager, Fetched, Pager, offset_page

if TYPE_CHECKING:
    from ._base import BaseClient

__all__ = ["H", "Listing", "Resource", "call", "listing"]

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

H = TypeVar("H", httpx.Client, httpx.AsyncClient)
"""The flavour of a client: the httpx client class it sends through."""


class Resource(Generic[H]):
    """Base of the resources a client offers (`client.clusters`), for either flavour of client."""

    __slots__ = ("_client",)

    def __init__(self, client: BaseClient[Any]) -> None:
        self._client = client


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """A list call, before any request: how to fetch each page, for a `Pager` or an `AsyncPager`.

    Attributes:
        fetch: the flow fetching the page a cursor names (None: the first page).
        what: the list, for messages ("clusters").
        vendor: the vendor, for messages.
    """

    fetch: Callable[[Hashable | None], Flow[Fetched[T]]]
    what: str
    vendor: str

    def find(self, match: Callable[[T], bool]) -> Flow[T | None]:
        """The first item `match` accepts, fetched a page at a time (None when no page has one).

        Raises:
            APIResponseError: the server names a page it already gave (the walk would not end).
        """
        found = yield from self._scan(match, first=True)
        return found[0] if found else None

    def named(
        self,
        name: str,
        *,
        name_of: Callable[[T], str] = lambda item: getattr(item, "name", ""),
        id_of: Callable[[T], str] = lambda item: str(getattr(item, "id", "")),
        fold_case: bool = False,
    ) -> Flow[T]:
        """The one item called `name`, every page read (a second item of that name must be seen).

        `fold_case` compares names case-insensitively, for vendors that fold them.

        Raises:
            NotFoundError: no item has that name.
            AmbiguousNameError: several have; its `ids` names them all, so the caller can choose.
            APIResponseError: the server names a page it already gave (the walk would not end).
        """
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"the name of one of the {self.what} must be non-empty text", field="name")
        wanted = name.casefold() if fold_case else name

        def match(item: T) -> bool:
            have = name_of(item)
            return (have.casefold() if fold_case else have) == wanted

        found = yield from self._scan(match, first=False)
        if not found:
            raise NotFoundError(f"{self.vendor} has no {self.what} named {name!r}", status_code=404)
        if len(found) > 1:
            ids = tuple(id_of(item) for item in found)
            raise AmbiguousNameError(
                f"{self.vendor} has {len(ids)} of the {self.what} named {name!r}: ids {', '.join(ids)}",
                name=name,
                ids=ids,
            )
        return found[0]

    def _scan(self, match: Callable[[T], bool], *, first: bool) -> Flow[list[T]]:
        """The items `match` accepts, a page at a time; with `first`, only the first one found."""
        cursor: Hashable | None = None
        seen: set[Hashable] = set()
        found: list[T] = []
        while True:
            page = yield from self.fetch(cursor)
            for item in page.items:
                if match(item):
                    found.append(item)
                    if first:
                        return found
            if page.next is None:
                return found
            if page.next in seen:
                raise APIResponseError(f"{self.vendor} named a page of {self.what} it had already sent")
            seen.add(page.next)
            cursor = page.next

    @classmethod
    def of_one(cls, fetch_all: Callable[[], Flow[Sequence[T]]], *, what: str, vendor: str) -> Listing[T]:
        """A list the vendor answers whole, in one request (`fetch_all` gives its items)."""

        def fetch(_cursor: Hashable | None) -> Flow[Fetched[T]]:
            items = yield from fetch_all()
            return Fetched(items)

        return cls(fetch, what, vendor)

    @classmethod
    def by_offset(
        cls,
        fetch_page: Callable[[int], Flow[tuple[Sequence[T], int | None]]],
        *,
        page_size: int,
        what: str,
        vendor: str,
        signature: Callable[[Sequence[T]], Hashable] | None = None,
    ) -> Listing[T]:
        """A list in offset pages: `fetch_page(offset)` gives a page's items and the vendor's total
        (see `Pager.by_offset` for where the walk ends and what `signature` guards)."""
        if page_size < 1:
            raise ValueError("page_size must be 1 or more")

        def fetch(cursor: Hashable | None) -> Flow[Fetched[T]]:
            offset = cursor if isinstance(cursor, int) else 0
            items, total = yield from fetch_page(offset)
            return offset_page(offset, items, total, page_size=page_size, signature=signature)

        return cls(fetch, what, vendor)


class Blocking(Protocol[P, T_co]):
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T_co: ...


class Awaiting(Protocol[P, T_co]):
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, T_co]: ...


class call(Generic[P, T]):
    """Makes a flow method of a `Resource` a method of the client's flavour (module docstring)."""

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        self.flow = flow
        functools.update_wrapper(self, flow)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: Resource[httpx.Client], owner: type | None = None) -> Blocking[P, T]: ...
    @overload
    def __get__(self, obj: Resource[httpx.AsyncClient], owner: type | None = None) -> Awaiting[P, T]: ...
    def __get__(self, obj: Resource[Any] | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        client: Any = obj._client
        flow = self.flow
        if client._is_async:

            async def awaiting(*args: Any, **kwargs: Any) -> Any:
                return await client._arun(flow(obj, *args, **kwargs))

            method: Callable[..., Any] = awaiting
        else:

            def blocking(*args: Any, **kwargs: Any) -> Any:
                return client._run(flow(obj, *args, **kwargs))

            method = blocking
        return _dressed(method, flow)


class listing(Generic[P, T]):
    """Makes a method returning a `Listing` give a `Pager` (sync client) or `AsyncPager` (async).

    The method itself checks its arguments and sends nothing; the sync pager fetches the first page
    when it is made (so a refused list raises where it is asked for), the async one when first
    awaited or iterated.
    """

    def __init__(self, build: Callable[Concatenate[Any, P], Listing[T]]) -> None:
        self.build = build
        functools.update_wrapper(self, build)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: Resource[httpx.Client], owner: type | None = None) -> Blocking[P, Pager[T]]: ...
    @overload
    def __get__(
        self, obj: Resource[httpx.AsyncClient], owner: type | None = None
    ) -> Blocking[P, AsyncPager[T]]: ...
    def __get__(self, obj: Resource[Any] | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        client: Any = obj._client
        build = self.build

        def paged(*args: Any, **kwargs: Any) -> Any:
            return client._pager(build(obj, *args, **kwargs))

        return _dressed(paged, build)


_SIGNATURES: dict[Callable[..., Any], inspect.Signature] = {}


def _dressed(method: Callable[..., Any], source: Callable[..., Any]) -> Callable[..., Any]:
    """`method` named and documented as `source`, with `source`'s signature less `self` (so that
    `help()` and `inspect.signature` show the arguments the caller gives)."""
    signature = _SIGNATURES.get(source)
    if signature is None:
        full = inspect.signature(source)
        signature = full.replace(
            parameters=list(full.parameters.values())[1:], return_annotation=inspect.Signature.empty
        )
        _SIGNATURES[source] = signature
    method.__doc__ = source.__doc__
    method.__name__ = source.__name__
    method.__qualname__ = source.__qualname__
    method.__signature__ = signature  # type: ignore[attr-defined]
    return method
