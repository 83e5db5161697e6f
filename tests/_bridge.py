"""Run a test written against a sync object on its async twin.

`Blocking(target, loop, proxied)` stands in for an async object: a method call that returns a
coroutine is run to its end on `loop` and its result given back (wrapped again when `proxied`
says so); `with` uses `async with`; iteration takes an `async for`. A test body written for the sync
client then exercises the async one, unchanged, so the two flavours are held to the same tests.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from dbcloud._base import AsyncAPIClient
from dbcloud._pager import AsyncPager, Pager
from dbcloud._resource import Resource


class Blocking:
    """A blocking stand-in for an async object (see the module's docstring)."""

    __slots__ = ("_loop", "_proxied", "_target")

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop, proxied: Callable[[Any], bool]) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)
        object.__setattr__(self, "_proxied", proxied)

    def _wrap(self, value: Any) -> Any:
        if isinstance(value, AsyncPager):
            return _blocking_pager(value, self._loop, self._proxied)
        if inspect.isawaitable(value):
            value = self._loop.run_until_complete(_awaited(value))
            if isinstance(value, AsyncPager):
                return _blocking_pager(value, self._loop, self._proxied)
        if callable(value) and (inspect.ismethod(value) or inspect.isfunction(value)):
            return _BlockingCall(value, self)
        if self._proxied(value):
            return Blocking(value, self._loop, self._proxied)
        return value

    def __getattr__(self, name: str) -> Any:
        target = self._target
        if name == "_call" and isinstance(target, AsyncAPIClient):
            # Tests reach the sync client's private `_call`: the same flow, awaited.
            return lambda *args, **kwargs: self._wrap(target._arun(target._call_flow(*args, **kwargs)))
        return self._wrap(getattr(target, name))

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._wrap(self._target(*args, **kwargs))

    def __enter__(self) -> Any:
        entered = self._loop.run_until_complete(self._target.__aenter__())
        return self if entered is self._target else self._wrap(entered)

    def __exit__(self, *exc: Any) -> Any:
        return self._loop.run_until_complete(self._target.__aexit__(*exc))

    def close(self) -> None:
        """`aclose()` of the async object, for tests written against a sync `close()`."""
        target = self._target
        closing = target.aclose() if hasattr(target, "aclose") else target.close()
        if inspect.isawaitable(closing):
            self._loop.run_until_complete(_awaited(closing))

    def __iter__(self) -> Iterator[Any]:
        iterator = self._target.__aiter__()
        while True:
            try:
                item = self._loop.run_until_complete(_awaited(iterator.__anext__()))
            except StopAsyncIteration:
                return
            yield self._wrap(item)

    def __repr__(self) -> str:
        return repr(self._target)

    @property
    def target(self) -> Any:
        """The async object behind this stand-in."""
        return self._target


class _BlockingCall:
    __slots__ = ("_function", "_owner")

    def __init__(self, function: Callable[..., Any], owner: Blocking) -> None:
        self._function = function
        self._owner = owner

    @property
    def __signature__(self) -> inspect.Signature:
        """The async method's own signature, so that `inspect.signature` reads through the stand-in."""
        return inspect.signature(self._function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._owner._wrap(self._function(*args, **kwargs))


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def _blocking_pager(
    pager: AsyncPager[Any], loop: asyncio.AbstractEventLoop, proxied: Callable[[Any], bool]
) -> Pager[Any]:
    """A sync `Pager` over an async pager's own page fetches: the same requests and answers, the
    same guards, read with the sync API the tests were written for."""
    fetch = pager._fetch
    return Pager(
        lambda cursor: loop.run_until_complete(_awaited(fetch(cursor))),
        what=pager._walk.what,
        vendor=pager._walk.vendor,
    )


def facade_object(value: Any) -> bool:
    """Whether a value from an async client is one to wrap again: the client or a resource of it."""
    return isinstance(value, AsyncAPIClient | Resource)


def blocking_client(client: Any, loop: asyncio.AbstractEventLoop) -> Any:
    """An async vendor client behind the sync API its sync twin offers (`close` included)."""
    return Blocking(client, loop, facade_object)


class Flavour:
    """The flavour of client a test runs on: `sync`, or `async` behind `Blocking` on its own loop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = asyncio.new_event_loop() if name == "async" else None

    @property
    def is_async(self) -> bool:
        return self.loop is not None

    def client(self, sync_class: type[Any], async_class: type[Any], **settings: Any) -> Any:
        """A client of this flavour; an `http_client` given as a MockTransport handler is wrapped
        in the httpx client of the flavour."""
        handler = settings.pop("handler", None)
        if self.loop is None:
            if handler is not None:
                settings["http_client"] = httpx.Client(transport=httpx.MockTransport(handler))
            return sync_class(**settings)
        if handler is not None:
            settings["http_client"] = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return blocking_client(async_class(**settings), self.loop)

    def twin(self, sync_class: type[Any]) -> Any:
        """`sync_class` itself, or its registered async twin behind `Blocking`: call it, or its
        class methods (`ClickStack.managed`, `Altinity.login`), with the sync class's arguments.

        An `http_client` given as an `httpx.Client` is replaced by an `httpx.AsyncClient` over the
        same transport, which must also be an async one (`httpx.MockTransport` is; see `DualWire`).
        """
        if self.loop is None:
            return sync_class
        return _AsyncTwin(async_twin_of(sync_class), self.loop)

    def http(self, client: httpx.Client) -> Any:
        """`client`, or an `httpx.AsyncClient` over its transport (see `twin`)."""
        return client if self.loop is None else async_http(client)

    def set_sleep(self, client: Any, sleep: Callable[[float], None]) -> None:
        """Make `client` pause through `sleep` (a fake clock's), whatever its flavour."""
        if self.loop is None:
            client._sleep = sleep
            return

        client.target._sleep = _AsyncPause(sleep)

    def close(self) -> None:
        if self.loop is not None:
            self.loop.close()


def async_twin_of(sync_class: type[Any]) -> type[Any]:
    """The async client registered beside `sync_class` (`Altinity` → `AsyncAltinity`)."""
    from dbcloud._vendors import load, vendors

    for vendor in vendors():
        if vendor.async_client is not None and load(vendor.client) is sync_class:
            twin: type[Any] = load(vendor.async_client)
            return twin
    raise LookupError(f"{sync_class.__name__} has no registered async twin")


def async_http(client: httpx.Client) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` over the transport of a test's `httpx.Client`."""
    transport = client._transport
    if not isinstance(transport, httpx.AsyncBaseTransport):
        raise TypeError(f"{type(transport).__name__} has no async side for the async flavour")
    return httpx.AsyncClient(transport=transport)


class _AsyncTwin:
    """An async client class behind its sync class's calls (see `Flavour.twin`)."""

    def __init__(self, async_class: type[Any], loop: asyncio.AbstractEventLoop) -> None:
        self._blocking = Blocking(async_class, loop, facade_object)

    @staticmethod
    def _settings(settings: dict[str, Any]) -> dict[str, Any]:
        http = settings.get("http_client")
        if isinstance(http, httpx.Client):
            settings = {**settings, "http_client": async_http(http)}
        return settings

    def __call__(self, *args: Any, **settings: Any) -> Any:
        return self._blocking(*args, **self._settings(settings))

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._blocking, name)
        return lambda *args, **settings: method(*args, **self._settings(settings))


class DualWire(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A real-socket transport for both flavours: `seen(request)` is called before each attempt,
    sync or async, so one counting subclass serves tests of either flavour."""

    def __init__(self) -> None:
        self._sync = httpx.HTTPTransport()
        self._async = httpx.AsyncHTTPTransport()

    def seen(self, request: httpx.Request) -> None:
        """Called with each attempt before it is sent."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen(request)
        return self._sync.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen(request)
        return await self._async.handle_async_request(request)

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        await self._async.aclose()


class _AsyncPause:
    """A sync `sleep` (a fake clock's) as an async client's pause; its attributes stay readable
    (`client._sleep.count` of a recording sleep reads the same on both flavours)."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self._sleep = sleep

    async def __call__(self, seconds: float) -> None:
        self._sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sleep, name)
