"""The one httpx client every vendor client is built on, and the helpers that keep secrets out of logs.

Transport layers, outermost first (`build_http_client`)::

    httpx.Client            auth (origin-bound), redirects, User-Agent, timeouts, DEBUG log hooks
    └── RetryTransport      retries what is safe to repeat (see _retry)
        └── LimitTransport  a total deadline per attempt, a size cap, no https → http hop (see _limits)
            └── OriginGuardTransport   strips credential headers from requests to any other origin
                └── HTTPTransport      (or the transport given, e.g. httpx.MockTransport in tests)

The guard sits below the retry layer and sees every redirect hop, because httpx follows redirects
in the client and sends each hop through the transport.

`build_async_http_client` stacks the async twins the same way (`httpx.AsyncClient`,
`AsyncRetryTransport`, `AsyncLimitTransport`, `AsyncOriginGuardTransport`, `AsyncHTTPTransport`),
and `send_async_request` is `send_request` awaited. Each decision is made once, without I/O, for
both flavours: the settings (`client_settings`), the client's options, the guard's header list
(`_CredentialGuard`), the attempt's limits (`_limits.AttemptLimits`), the decoded-size check
(`_Body`) and the error mapping (`_raise_for_send`); the sync and async layers only do the I/O.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import urllib.parse
import urllib.request
import weakref
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, NoReturn

import httpx

from ._auth import origin_of, same_origin
from ._errors import APIResponseError, APITimeoutError, ConfigError, connection_error
from ._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    AsyncLimitTransport,
    DeadlineExceeded,
    LimitTransport,
    cap_of,
    check_size,
    max_response_bytes_from_env,
)
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport
from ._secret import MASK, basic_credential, mask_secrets, masked
from ._secret_names import is_secret_param
from ._throttle import Throttle
from ._version import __version__

__all__ = [
    "DEFAULT_TIMEOUT",
    "MASK",
    "REQUEST_ID_HEADERS",
    "AsyncOriginGuardTransport",
    "OriginGuardTransport",
    "async_transport_of",
    "basic_credential",
    "build_async_http_client",
    "build_http_client",
    "mask_secrets",
    "masked",
    "raise_for_transport",
    "redact_url",
    "request_id",
    "send_async_request",
    "send_request",
    "transport_of",
]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""5 s to connect, 30 s for each read, write and pool wait."""

REQUEST_ID_HEADERS = (
    "X-Request-Id",
    "Request-Id",
    "X-Amzn-RequestId",
    "X-Amz-Request-Id",
    "X-Correlation-Id",
)
"""Headers in which vendors return their request id, first match wins."""

# Headers that carry credentials whatever the API; each client adds the ones its auth uses.
_ALWAYS_STRIPPED = ("Authorization", "Cookie", "Proxy-Authorization")

_log = logging.getLogger("dbcloud.http")


def redact_url(url: httpx.URL | str) -> str:
    """The URL with secret-looking query values and any userinfo password masked, fragment dropped.

    A parameter is secret-looking by `_secret_names.is_secret_param` (the project's secret-name rule,
    and any name containing pass, pwd, secret, token, key or credential). Other parameters are kept
    exactly as sent.
    """
    parsed = httpx.URL(url)
    if parsed.password:
        user = parsed.userinfo.partition(b":")[0]
        parsed = parsed.copy_with(userinfo=user + b":" + MASK.encode())
    base = str(parsed.copy_with(query=None, fragment=None))
    query = parsed.query.decode("ascii")
    if not query:
        return base
    parts = []
    for part in query.split("&"):
        name, has_value, _ = part.partition("=")
        if has_value and is_secret_param(urllib.parse.unquote_plus(name)):
            part = f"{name}={MASK}"
        parts.append(part)
    return f"{base}?{'&'.join(parts)}"


def request_id(response: httpx.Response) -> str | None:
    """The vendor's request id from the first of `REQUEST_ID_HEADERS` present, or None."""
    for name in REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(name)
        if value:
            return value
    return None


def raise_for_transport(exc: httpx.TransportError, request: httpx.Request | None = None) -> NoReturn:
    """Raise the dbcloud error for an httpx transport failure, chained to it.

    Args:
        exc: the failure.
        request: the request that failed; taken from `exc` when None.

    Raises:
        APITimeoutError: for any httpx timeout, the total deadline of `_limits` included.
        APIConnectionError: for every other transport failure.
    """
    if request is None:
        try:
            request = exc.request
        except RuntimeError:  # httpx raises this when the exception carries no request
            request = None
    if isinstance(exc, DeadlineExceeded) and request is not None:
        url = redact_url(request.url)
        error = APITimeoutError(
            f"{request.method} {url} stopped: the total deadline of {exc.seconds:g} s passed "
            "(it is the timeout's read value; set timeout=... or the 'dbcloud.deadline' extension)",
            method=request.method,
            url=url,
        )
        error.phase, error.limit = "deadline", exc.seconds
        error.host = request.url.netloc.decode("ascii", "replace").rpartition("@")[2]
        error.retries = getattr(exc, "dbcloud_retries", 0)
        raise error from exc
    raise connection_error(exc, request) from exc


# Each client's size cap, for `send_request` (and its async twin), which also caps the decoded size
# (a gzip bomb).
_CAPS: weakref.WeakKeyDictionary[httpx.Client, int] = weakref.WeakKeyDictionary()
_ASYNC_CAPS: weakref.WeakKeyDictionary[httpx.AsyncClient, int] = weakref.WeakKeyDictionary()

# What `send_request` and `send_async_request` turn into dbcloud errors (see `_raise_for_send`).
_SEND_ERRORS = (httpx.TooManyRedirects, httpx.DecodingError, httpx.TransportError)


def send_request(
    client: httpx.Client, request: Mapping[str, object], extensions: Mapping[str, object]
) -> httpx.Response:
    """Send one request through `client` (httpx.Client.request arguments), failures as dbcloud errors.

    The answer is read here, decoded, within the size cap (the transport caps the raw bytes; this
    caps what they decode to).

    Raises:
        APITimeoutError: no answer in time, or the total deadline passed while it streamed.
        APIConnectionError: the request could not be sent or its answer not read.
        APIResponseError: a redirect loop, an answer whose Content-Encoding does not decode, an
            answer over the size cap, a redirect from https to http.
    """
    built, send_options = _prepared(client, request, extensions)
    body = _Body(built, _CAPS.get(client, DEFAULT_MAX_RESPONSE_BYTES))
    response: httpx.Response | None = None
    try:
        response = client.send(built, stream=True, **send_options)
        try:
            for chunk in response.iter_bytes():
                body.add(chunk)
            body.keep(response)
        finally:
            response.close()
        return response
    except _SEND_ERRORS as exc:
        _keep_retries(exc, response)
        _raise_for_send(exc, built, client.max_redirects)


async def send_async_request(
    client: httpx.AsyncClient, request: Mapping[str, object], extensions: Mapping[str, object]
) -> httpx.Response:
    """`send_request` for an `httpx.AsyncClient`: the same reading within the cap, the same errors.

    Raises:
        APITimeoutError, APIConnectionError, APIResponseError: as `send_request`.
    """
    built, send_options = _prepared(client, request, extensions)
    body = _Body(built, _ASYNC_CAPS.get(client, DEFAULT_MAX_RESPONSE_BYTES))
    response: httpx.Response | None = None
    try:
        response = await client.send(built, stream=True, **send_options)
        try:
            async for chunk in response.aiter_bytes():
                body.add(chunk)
            body.keep(response)
        finally:
            await response.aclose()
        return response
    except _SEND_ERRORS as exc:
        _keep_retries(exc, response)
        _raise_for_send(exc, built, client.max_redirects)


def _keep_retries(exc: Exception, response: httpx.Response | None) -> None:
    # An answer cut while it was read here: the retries made before it belong to the error.
    retries = response.extensions.get("dbcloud.retries") if response is not None else None
    if isinstance(retries, int) and not hasattr(exc, "dbcloud_retries"):
        exc.dbcloud_retries = retries  # type: ignore[attr-defined]


def _prepared(
    client: httpx.Client | httpx.AsyncClient, request: Mapping[str, object], extensions: Mapping[str, object]
) -> tuple[httpx.Request, dict[str, Any]]:
    """The request built from `httpx.Client.request` arguments, and the options that go to `send`."""
    kwargs = dict(request)
    send_options: dict[str, Any] = {
        name: kwargs.pop(name) for name in ("auth", "follow_redirects") if name in kwargs
    }
    built = client.build_request(**kwargs, extensions=dict(extensions))  # type: ignore[arg-type]
    return built, send_options


class _Body:
    """An answer's decoded body as it is read, refused once it passes the request's size cap; no I/O."""

    __slots__ = ("_cap", "_chunks", "_request", "_size")

    def __init__(self, request: httpx.Request, default_cap: int) -> None:
        # Read before sending, so that a bad cap extension is refused before any request goes out.
        self._cap = cap_of(request.extensions, default_cap)
        self._request = request
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        check_size(self._size, self._cap, self._request, announced=False)
        self._chunks.append(chunk)

    def keep(self, response: httpx.Response) -> None:
        # What `Response.read()` does itself; it cannot be called after the stream was iterated.
        response._content = b"".join(self._chunks)


def _raise_for_send(
    exc: httpx.TooManyRedirects | httpx.DecodingError | httpx.TransportError,
    request: httpx.Request,
    max_redirects: int,
) -> NoReturn:
    """The dbcloud error for a failure of `send_request` or `send_async_request`, chained to it."""
    if isinstance(exc, httpx.TooManyRedirects):
        _broken(request, f"redirected more than {max_redirects} times (a redirect loop?)", exc)
    if isinstance(exc, httpx.DecodingError):
        _broken(request, "the answer's body does not decode as its Content-Encoding says", exc)
    raise_for_transport(exc)


def _broken(request: httpx.Request, reason: str, exc: Exception) -> NoReturn:
    url = redact_url(request.url)
    raise APIResponseError(f"{request.method} {url}: {reason}", method=request.method, url=url) from exc


class OriginGuardTransport(httpx.BaseTransport):
    """Removes credential headers from every request that is not for the configured origin.

    httpx drops `Authorization` when a redirect leaves the origin, but keeps custom headers such as
    ACM's `X-Auth-Token`; this layer drops `Authorization`, `Cookie`, `Proxy-Authorization` and
    every header in `credential_headers`, whatever sent the request there. An http → https upgrade
    of the same host counts as another origin here (httpx would keep `Authorization`): base URLs
    are https, and a downgrade-then-upgrade dance is not worth a credential.

    Args:
        inner: the transport that sends the request.
        origin: the base URL whose origin may receive credentials.
        credential_headers: further header names to strip (case-insensitive).

    Raises:
        ConfigError: `origin` is not an absolute http(s) URL.
    """

    def __init__(
        self, inner: httpx.BaseTransport, *, origin: str, credential_headers: Collection[str] = ()
    ) -> None:
        self._inner = inner
        self._guard = _CredentialGuard(origin, credential_headers)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._guard.strip(request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AsyncOriginGuardTransport(httpx.AsyncBaseTransport):
    """`OriginGuardTransport` for `httpx.AsyncClient`: the same headers withheld from the same requests.

    Args:
        inner: the async transport that sends the request.
        origin: the base URL whose origin may receive credentials.
        credential_headers: further header names to strip (case-insensitive).

    Raises:
        ConfigError: `origin` is not an absolute http(s) URL.
    """

    def __init__(
        self, inner: httpx.AsyncBaseTransport, *, origin: str, credential_headers: Collection[str] = ()
    ) -> None:
        self._inner = inner
        self._guard = _CredentialGuard(origin, credential_headers)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._guard.strip(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class _CredentialGuard:
    """The guard's decision, without I/O: which headers a request for another origin loses."""

    __slots__ = ("_origin", "_stripped")

    def __init__(self, origin: str, credential_headers: Collection[str]) -> None:
        self._origin = origin_of(origin)
        self._stripped = frozenset(name.lower() for name in (*_ALWAYS_STRIPPED, *credential_headers))

    def strip(self, request: httpx.Request) -> None:
        """Remove the credential headers from `request` unless it is for the guarded origin."""
        if same_origin(request.url, self._origin):
            return
        # Edited in place so that response.request shows what was really sent.
        found = {name.lower() for name in request.headers if name.lower() in self._stripped}
        for name in found:
            del request.headers[name]
        if found:
            _log.debug("withheld %d credential header(s) from %s", len(found), request.url.host)


def transport_of(client: httpx.Client, url: httpx.URL | str | None = None) -> httpx.BaseTransport:
    """The transport a caller's `httpx.Client` sends requests for `url` through, borrowed.

    This lets `build_http_client` layer dbcloud's retries and guard over a user's own connection
    setup (proxies, certificates, mounts). Closing the borrowed transport does nothing: the client
    it came from owns it and closes it.

    Args:
        client: the caller's client.
        url: the API's base URL, so that a proxy mounted for it is the one used; the client's
            default transport when None.
    """
    # httpx offers no public accessor; `_transport_for_url` is the method it uses itself.
    inner = client._transport_for_url(httpx.URL(url)) if url is not None else client._transport
    return _Borrowed(inner)


class _Borrowed(httpx.BaseTransport):
    """A transport owned by someone else: requests pass through, `close()` does not."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


def async_transport_of(
    client: httpx.AsyncClient, url: httpx.URL | str | None = None
) -> httpx.AsyncBaseTransport:
    """`transport_of` for a caller's `httpx.AsyncClient`: its transport for `url`, borrowed.

    Closing the borrowed transport does nothing: the client it came from owns it and closes it.

    Args:
        client: the caller's async client.
        url: the API's base URL, so that a proxy mounted for it is the one used; the client's
            default transport when None.
    """
    inner = client._transport_for_url(httpx.URL(url)) if url is not None else client._transport
    return _AsyncBorrowed(inner)


class _AsyncBorrowed(httpx.AsyncBaseTransport):
    """An async transport owned by someone else: requests pass through, `aclose()` does not."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


def build_http_client(
    *,
    base_url: str,
    auth: httpx.Auth | None,
    credential_headers: Collection[str] = (),
    timeout: httpx.Timeout | float | None = None,
    max_retries: int | None = None,
    retry_policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = True,
    sleep: Callable[[float], None] | None = None,
    max_response_bytes: int | None = None,
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
    throttle: Throttle | None = None,
) -> httpx.Client:
    """The httpx client a vendor client uses: retries, origin guard, timeouts, User-Agent, logs.

    Args:
        base_url: the API root; its origin is the only one that receives credentials.
        auth: the credential, e.g. a `dbcloud._auth` class (their header names are guarded
            automatically), or None.
        credential_headers: further headers to keep from other origins.
        timeout: a `httpx.Timeout`, or seconds for every phase; `DEFAULT_TIMEOUT` when None.
        max_retries: replaces `retry_policy.max_retries` when given.
        retry_policy: when to retry; `RetryPolicy()` when None.
        transport: the innermost transport; an `httpx.HTTPTransport` that honours the
            `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` environment for `base_url` when None.
        headers: default headers, which may replace the User-Agent.
        follow_redirects: whether to follow redirects.
        sleep: how the retry layer waits (default `time.sleep`); vendor clients pass their own so
            that one swapped-in clock drives both their waits and their retry pauses in tests.
        max_response_bytes: the cap on an answer's size, raw and decoded; else
            `$DBCLOUD_MAX_RESPONSE_BYTES`, else `DEFAULT_MAX_RESPONSE_BYTES` (64 MiB).
        deadline: seconds one attempt may take in all; None: each request's read timeout (so
            `timeout=5` stops an attempt at about 5 s). See `_limits`.
        clock: the monotonic clock of the deadline (default `time.monotonic`; swapped in tests).
        throttle: the client's pace (`_throttle.Throttle`), shared by all its requests.

    Returns:
        An open `httpx.Client`; the caller closes it.

    Raises:
        ConfigError: `base_url` is not an absolute http(s) URL, `max_retries` is negative, or the
            size cap or deadline is not positive.
    """
    chosen = client_settings(
        auth=auth,
        credential_headers=credential_headers,
        max_retries=max_retries,
        retry_policy=retry_policy,
        max_response_bytes=max_response_bytes,
        deadline=deadline,
        clock=clock,
    )
    inner = transport if transport is not None else _default_transport(base_url)
    limited = LimitTransport(
        OriginGuardTransport(inner, origin=base_url, credential_headers=chosen.guarded),
        max_response_bytes=chosen.cap,
        deadline=chosen.deadline,
        clock=chosen.clock,
    )
    layered = RetryTransport(
        limited,
        policy=chosen.policy,
        sleep=sleep if sleep is not None else time.sleep,
        throttle=throttle,
    )
    hooks = _LogHooks()
    client = httpx.Client(
        **_client_options(
            base_url=base_url, auth=auth, headers=headers, timeout=timeout, follow_redirects=follow_redirects
        ),
        transport=layered,
        event_hooks={"request": [hooks.on_request], "response": [hooks.on_response]},
    )
    _CAPS[client] = chosen.cap
    return client


def build_async_http_client(
    *,
    base_url: str,
    auth: httpx.Auth | None,
    credential_headers: Collection[str] = (),
    timeout: httpx.Timeout | float | None = None,
    max_retries: int | None = None,
    retry_policy: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = True,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    max_response_bytes: int | None = None,
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
    throttle: Throttle | None = None,
) -> httpx.AsyncClient:
    """`build_http_client` for async clients: the same arguments, checks and layers, awaited.

    Args:
        transport: the innermost async transport; an `httpx.AsyncHTTPTransport` that honours the
            same proxy environment as `build_http_client`'s default when None.
        sleep: how the retry layer waits, awaited (default `asyncio.sleep`).
        (the others): as `build_http_client`.

    Returns:
        An open `httpx.AsyncClient`; the caller closes it (`await client.aclose()`).

    Raises:
        ConfigError: as `build_http_client`.
    """
    chosen = client_settings(
        auth=auth,
        credential_headers=credential_headers,
        max_retries=max_retries,
        retry_policy=retry_policy,
        max_response_bytes=max_response_bytes,
        deadline=deadline,
        clock=clock,
    )
    inner = transport if transport is not None else _default_async_transport(base_url)
    limited = AsyncLimitTransport(
        AsyncOriginGuardTransport(inner, origin=base_url, credential_headers=chosen.guarded),
        max_response_bytes=chosen.cap,
        deadline=chosen.deadline,
        clock=chosen.clock,
    )
    layered = AsyncRetryTransport(limited, policy=chosen.policy, sleep=sleep, throttle=throttle)
    hooks = _LogHooks()
    client = httpx.AsyncClient(
        **_client_options(
            base_url=base_url, auth=auth, headers=headers, timeout=timeout, follow_redirects=follow_redirects
        ),
        transport=layered,
        event_hooks={"request": [hooks.aon_request], "response": [hooks.aon_response]},
    )
    _ASYNC_CAPS[client] = chosen.cap
    return client


def _client_options(
    *,
    base_url: str,
    auth: httpx.Auth | None,
    headers: Mapping[str, str] | None,
    timeout: httpx.Timeout | float | None,
    follow_redirects: bool,
) -> dict[str, Any]:
    """The options both flavours of httpx client are built with (all but transport and hooks)."""
    _guard_httpx_log()
    return {
        "base_url": base_url,
        "auth": auth,
        "headers": {"User-Agent": f"dbcloud/{__version__}", **(headers or {})},
        "timeout": _timeout(timeout),
        "follow_redirects": follow_redirects,
    }


@dataclasses.dataclass(frozen=True)
class ClientSettings:
    """What `build_http_client` (and its async twin) work out before building any layer."""

    cap: int
    deadline: float | None
    policy: RetryPolicy
    guarded: tuple[str, ...]
    clock: Callable[[], float]


def client_settings(
    *,
    auth: httpx.Auth | None,
    credential_headers: Collection[str] = (),
    max_retries: int | None = None,
    retry_policy: RetryPolicy | None = None,
    max_response_bytes: int | None = None,
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> ClientSettings:
    """The checked settings of a client's layers (see `build_http_client` for each argument).

    Raises:
        ConfigError: `max_retries` is negative, or the size cap or deadline is not positive.
    """
    cap = max_response_bytes if max_response_bytes is not None else max_response_bytes_from_env()
    if cap is None:
        cap = DEFAULT_MAX_RESPONSE_BYTES
    if cap <= 0:
        raise ConfigError(f"max_response_bytes must be positive, got {cap}")
    if deadline is not None and deadline <= 0:
        raise ConfigError(f"deadline must be a positive number of seconds, got {deadline}")
    policy = retry_policy if retry_policy is not None else RetryPolicy()
    if max_retries is not None:
        if max_retries < 0:
            raise ConfigError(f"max_retries must be 0 or more, got {max_retries}")
        policy = dataclasses.replace(policy, max_retries=max_retries)
    guarded = (*credential_headers, *getattr(auth, "credential_headers", ()))
    return ClientSettings(cap, deadline, policy, guarded, clock if clock is not None else time.monotonic)


def _timeout(timeout: httpx.Timeout | float | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout)


def _default_transport(base_url: str) -> httpx.HTTPTransport:
    return httpx.HTTPTransport(proxy=proxy_for(base_url))


def _default_async_transport(base_url: str) -> httpx.AsyncHTTPTransport:
    return httpx.AsyncHTTPTransport(proxy=proxy_for(base_url))


def proxy_for(base_url: str) -> str | None:
    """The proxy the environment names for `base_url`'s origin, or None.

    httpx reads proxy variables only when it builds the transport itself; since dbcloud passes its
    own, they are looked up here for the API's origin (where nearly every request goes).
    """
    url = httpx.URL(base_url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy or _no_proxy(url.host, proxies.get("no", "")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _no_proxy(host: str, no_proxy: str) -> bool:
    # curl's NO_PROXY rules: "*" matches all; "example.com" or ".example.com" match it and subdomains.
    for entry in (e.strip().lower().lstrip(".") for e in no_proxy.split(",")):
        if entry == "*" or (entry and (host == entry or host.endswith("." + entry))):
            return True
    return False


class _RedactingFilter(logging.Filter):
    """Masks secret query values and userinfo in the URLs httpx logs at INFO.

    httpx logs every request as `HTTP Request: POST <url> "HTTP/1.1 200 OK"` on the "httpx" logger,
    so `logging.basicConfig(level=logging.INFO)` alone would print what ACM takes in its query
    string (`adminPass` on launch, `tokens` on the account, the password on sign-in).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, httpx.URL) for a in args):
            record.args = tuple(redact_url(a) if isinstance(a, httpx.URL) else a for a in args)
        return True


_HTTPX_FILTER = _RedactingFilter("dbcloud")


def _guard_httpx_log() -> None:
    # A filter on a logger sees only the records that logger emits, which is where httpx writes
    # its request lines; installed once, by the first client built, and idempotent after that.
    httpx_log = logging.getLogger("httpx")
    if _HTTPX_FILTER not in httpx_log.filters:
        httpx_log.addFilter(_HTTPX_FILTER)


class _LogHooks:
    """Event hooks that log each request and response at DEBUG: no headers, no bodies, no secrets."""

    def __init__(self) -> None:
        # Keyed by request so that redirect hops and concurrent requests are timed apart.
        self._started: weakref.WeakKeyDictionary[httpx.Request, float] = weakref.WeakKeyDictionary()

    def on_request(self, request: httpx.Request) -> None:
        self._started[request] = time.perf_counter()
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("request %s %s", request.method, redact_url(request.url))

    def on_response(self, response: httpx.Response) -> None:
        request = response.request
        started = self._started.pop(request, None)
        if not _log.isEnabledFor(logging.DEBUG):
            return
        # Time to the response headers: the hook runs before the body is read.
        elapsed = f"{(time.perf_counter() - started) * 1000:.0f} ms" if started is not None else "? ms"
        rid = request_id(response)
        _log.debug(
            "response %s %s %d in %s%s",
            request.method,
            redact_url(request.url),
            response.status_code,
            elapsed,
            f" request-id {rid}" if rid else "",
        )

    # httpx.AsyncClient awaits its event hooks: the same logging, as coroutines.
    async def aon_request(self, request: httpx.Request) -> None:
        self.on_request(request)

    async def aon_response(self, response: httpx.Response) -> None:
        self.on_response(response)
