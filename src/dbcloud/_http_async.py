"""The async twin of `_http`'s client: the same layers over `httpx.AsyncClient`.

    httpx.AsyncClient              auth, redirects, User-Agent, timeouts, DEBUG log hooks
    └── AsyncRetryTransport        the one retry loop (`_retry.retry_flow`), awaited
        └── AsyncLimitTransport    the deadline per attempt, the size cap, no https → http hop
            └── AsyncOriginGuardTransport   credential headers only to the API's origin
                └── AsyncHTTPTransport      (or the transport given)

The decisions are the sync layers' own: the retry flow, the rules of `_limits` (deadline, cap,
redirects) and the guard's header list; this module only awaits where the sync one blocks.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from typing import Any

import httpx

from ._auth import origin_of, same_origin
from ._http import (
    _ALWAYS_STRIPPED,
    _broken,
    _guard_httpx_log,
    _LogHooks,
    _timeout,
    client_settings,
    proxy_for,
    raise_for_transport,
)
from ._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DeadlineExceeded,
    cap_of,
    check_redirect,
    check_size,
    deadline_seconds,
)
from ._limits import _clamped as clamped_timeout
from ._retry import AsyncRetryTransport
from ._throttle import Throttle
from ._version import __version__

__all__ = [
    "AsyncLimitTransport",
    "AsyncOriginGuardTransport",
    "async_transport_of",
    "build_async_http_client",
    "send_async_request",
]

_CAPS: weakref.WeakKeyDictionary[httpx.AsyncClient, int] = weakref.WeakKeyDictionary()


class AsyncOriginGuardTransport(httpx.AsyncBaseTransport):
    """`OriginGuardTransport` for async clients: credential headers go to `origin` only."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, *, origin: str, credential_headers: Collection[str] = ()
    ) -> None:
        self._inner = inner
        self._origin = origin_of(origin)
        self._stripped = frozenset(name.lower() for name in (*_ALWAYS_STRIPPED, *credential_headers))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not same_origin(request.url, self._origin):
            for name in [n for n in request.headers if n.lower() in self._stripped]:
                del request.headers[name]
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class AsyncLimitTransport(httpx.AsyncBaseTransport):
    """`LimitTransport` for async clients: the rules of `_limits`, awaited.

    Args:
        inner: the transport that sends the request.
        max_response_bytes: the size cap (the extension `"dbcloud.max_response_bytes"` overrides it).
        deadline: seconds per attempt; None derives it from each request's read timeout.
        clock: a monotonic clock.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float | None = None,
        clock: Callable[[], float],
    ) -> None:
        self._inner = inner
        self._cap = max_response_bytes
        self._deadline = deadline
        self._clock = clock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        check_redirect(request)
        cap = cap_of(request.extensions, self._cap)
        budget = deadline_seconds(request.extensions, self._deadline, configured=self._deadline is not None)
        expires = None if budget is None else self._clock() + budget
        original = request.extensions
        if budget is not None:
            request.extensions = {**original, "timeout": clamped_timeout(original.get("timeout"), budget)}
        try:
            response = await self._inner.handle_async_request(request)
        finally:
            request.extensions = original
        try:
            if expires is not None and self._clock() > expires:
                assert budget is not None
                raise DeadlineExceeded(budget, request)
            length = response.headers.get("Content-Length", "")
            if length.isdigit():
                check_size(int(length), cap, request, announced=True)
        except BaseException:
            await response.aclose()
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = _AsyncLimitedStream(stream, request, cap, expires, budget, self._clock)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class _AsyncLimitedStream(httpx.AsyncByteStream):
    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        request: httpx.Request,
        cap: int,
        expires: float | None,
        budget: float | None,
        clock: Callable[[], float],
    ) -> None:
        self._inner = inner
        self._request = request
        self._cap = cap
        self._expires = expires
        self._budget = budget
        self._clock = clock

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            check_size(seen, self._cap, self._request, announced=False)
            if self._expires is not None and self._clock() > self._expires:
                assert self._budget is not None
                raise DeadlineExceeded(self._budget, self._request)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Borrowed(httpx.AsyncBaseTransport):
    """An async transport owned by someone else: requests pass through, `aclose()` does not."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


def async_transport_of(
    client: httpx.AsyncClient, url: httpx.URL | str | None = None
) -> httpx.AsyncBaseTransport:
    """The transport a caller's `httpx.AsyncClient` sends requests for `url` through, borrowed
    (the twin of `_http.transport_of`)."""
    inner = client._transport_for_url(httpx.URL(url)) if url is not None else client._transport
    return _Borrowed(inner)


def _default_transport(base_url: str) -> httpx.AsyncHTTPTransport:
    proxy = proxy_for(base_url)
    return httpx.AsyncHTTPTransport(proxy=proxy) if proxy else httpx.AsyncHTTPTransport()


def build_async_http_client(
    *,
    base_url: str,
    auth: httpx.Auth | None,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: httpx.Timeout | float | None = None,
    follow_redirects: bool = True,
    throttle: Throttle | None = None,
    **settings: Any,
) -> httpx.AsyncClient:
    """`_http.build_http_client` for async clients: the same arguments and checks (`settings` are
    its `credential_headers`, `max_retries`, `retry_policy`, `max_response_bytes`, `deadline`,
    `clock`), an `httpx.AsyncBaseTransport`, and a `sleep` that is awaited."""
    chosen = client_settings(auth=auth, **settings)
    inner = transport if transport is not None else _default_transport(base_url)
    limited = AsyncLimitTransport(
        AsyncOriginGuardTransport(inner, origin=base_url, credential_headers=chosen.guarded),
        max_response_bytes=chosen.cap,
        deadline=chosen.deadline,
        clock=chosen.clock,
    )
    layered = AsyncRetryTransport(limited, policy=chosen.policy, sleep=sleep, throttle=throttle)
    hooks = _LogHooks()
    _guard_httpx_log()

    async def on_request(request: httpx.Request) -> None:
        hooks.on_request(request)

    async def on_response(response: httpx.Response) -> None:
        hooks.on_response(response)

    client = httpx.AsyncClient(
        base_url=base_url,
        auth=auth,
        headers={"User-Agent": f"dbcloud/{__version__}", **(headers or {})},
        timeout=_timeout(timeout),
        transport=layered,
        follow_redirects=follow_redirects,
        event_hooks={"request": [on_request], "response": [on_response]},
    )
    _CAPS[client] = chosen.cap
    return client


async def send_async_request(
    client: httpx.AsyncClient, request: Mapping[str, object], extensions: Mapping[str, object]
) -> httpx.Response:
    """`_http.send_request` for async clients: one request, read within the size cap, failures as
    dbcloud errors (the same ones, for the same reasons)."""
    kwargs = dict(request)
    send_options = {name: kwargs.pop(name) for name in ("auth", "follow_redirects") if name in kwargs}
    built = client.build_request(**kwargs, extensions=dict(extensions))  # type: ignore[arg-type]
    cap = cap_of(built.extensions, _CAPS.get(client, DEFAULT_MAX_RESPONSE_BYTES))
    try:
        response = await client.send(built, stream=True, **send_options)  # type: ignore[arg-type]
        try:
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                check_size(size, cap, response.request, announced=False)
                chunks.append(chunk)
            response._content = b"".join(chunks)
        finally:
            await response.aclose()
        return response
    except httpx.TooManyRedirects as exc:
        _broken(built, f"redirected more than {client.max_redirects} times (a redirect loop?)", exc)
    except httpx.DecodingError as exc:
        _broken(built, "the answer's body does not decode as its Content-Encoding says", exc)
    except httpx.TransportError as exc:
        raise_for_transport(exc)
