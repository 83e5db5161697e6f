"""Limits on one answer: a total deadline per attempt, a size cap, no redirect from https to http.

The rules are plain functions without I/O (`deadline_seconds`, `check_size`, `check_redirect`,
`remaining`), gathered per attempt by `AttemptLimits`; `LimitTransport` (sync) and
`AsyncLimitTransport` (async), with their limited streams, are thin layers that only send, read
and close around one `AttemptLimits` each, so the two flavours enforce the same limits.

- **Deadline.** One attempt (one trip through the transport: a retry or a redirect hop is a new
  attempt) may take `deadline` seconds in all, connecting included. The deadline is the request's
  extension `"dbcloud.deadline"` (seconds, or None for none), else the client's `deadline`, else
  the `read` value of the request's timeout: `timeout=5` (or `DBCLOUD_TIMEOUT=5`, or
  `httpx.Timeout(5, connect=2)`) stops an attempt at about 5 s, however slowly the server
  trickles. The clock is read after the headers and after each chunk of the body, so a call ends
  within the deadline plus one read; a server that trickles its *headers* is bounded by the
  per-read timeout only. A deadline passed raises `DeadlineExceeded`, an `httpx.ReadTimeout`:
  the retry layer retries it as it does every timeout (idempotent requests only, at most
  `max_retries` times), and `send_request` maps it to `APITimeoutError`.
- **Size.** An answer larger than the cap is refused: at once when its `Content-Length` says so,
  else as soon as the streamed bytes pass the cap, so it is never buffered whole.
- **Redirects.** Once a request has been sent over https, no hop after it may go over http: the
  answer would travel in clear text, and so would the next request.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, MutableMapping
from typing import Any

import httpx

from ._errors import APIResponseError, ConfigError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "EXT_DEADLINE",
    "EXT_MAX_RESPONSE_BYTES",
    "MAX_RESPONSE_BYTES_ENV",
    "AsyncLimitTransport",
    "AttemptLimits",
    "DeadlineExceeded",
    "LimitTransport",
    "cap_of",
    "check_redirect",
    "check_size",
    "deadline_seconds",
    "max_response_bytes_from_env",
    "remaining",
    "too_large",
]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""64 MiB. The largest answers are whole, unpaged lists: ACM lists every cluster of an environment
at once, and one real ACM cluster (52 fields, nested options) is a few KB of JSON, so even 5,000
clusters stay near 15 MB; the other vendors page their lists. Four times that leaves room for big
accounts, while a broken or hostile server cannot make one call hold hundreds of megabytes."""

MAX_RESPONSE_BYTES_ENV = "DBCLOUD_MAX_RESPONSE_BYTES"

EXT_DEADLINE = "dbcloud.deadline"
"""Request extension: seconds one attempt may take in all (None: no deadline)."""

EXT_MAX_RESPONSE_BYTES = "dbcloud.max_response_bytes"
"""Request extension: the size cap for one request's answer, in bytes."""

# Set on a request once it went over https; httpx copies extensions onto each redirect hop.
_EXT_SECURE_FROM = "dbcloud.secure_from"


class DeadlineExceeded(httpx.ReadTimeout):
    """The total deadline of one attempt passed; `seconds` is the deadline."""

    def __init__(self, seconds: float, request: httpx.Request) -> None:
        super().__init__(f"the total deadline of {seconds:g} s passed", request=request)
        self.seconds = seconds


# --- the rules, without I/O ---------------------------------------------------------------------


def deadline_seconds(
    extensions: Mapping[str, object], default: float | None, *, configured: bool
) -> float | None:
    """One attempt's deadline: the extension, else the client's (when `configured`), else the read timeout."""
    if EXT_DEADLINE in extensions:
        return _seconds(extensions[EXT_DEADLINE])
    if configured:
        return default
    timeout = extensions.get("timeout")
    if isinstance(timeout, Mapping):
        return _seconds(timeout.get("read"))
    return None


def _seconds(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"a deadline must be a positive number of seconds or None, got {value!r}")
    return float(value)


def remaining(expires: float, now: float) -> float:
    """Seconds left before `expires` (0 when past)."""
    return max(expires - now, 0.0)


def too_large(size: int, cap: int) -> bool:
    """Whether an answer of `size` bytes passes the cap."""
    return size > cap


def check_size(size: int, cap: int, request: httpx.Request, *, announced: bool) -> None:
    """Raise `APIResponseError` when `size` bytes pass the cap (`announced`: by Content-Length)."""
    if not too_large(size, cap):
        return
    from ._http import redact_url

    url = redact_url(request.url)
    said = f"announces {size:,} bytes" if announced else "passed"
    raise APIResponseError(
        f"{request.method} {url}: the answer {said} the size cap of {cap:,} bytes; raise it with "
        f"{MAX_RESPONSE_BYTES_ENV} or build_http_client(max_response_bytes=...)",
        method=request.method,
        url=url,
    )


def check_redirect(request: httpx.Request) -> None:
    """Refuse an http request that follows an https one (a redirect hop); note an https one."""
    extensions: MutableMapping[str, object] = request.extensions
    scheme = request.url.scheme.lower()
    if scheme == "https":
        extensions.setdefault(_EXT_SECURE_FROM, True)
        return
    if scheme == "http" and extensions.get(_EXT_SECURE_FROM):
        from ._http import redact_url

        url = redact_url(request.url)
        raise APIResponseError(
            f"refused a redirect from https to http ({request.method} {url}): the answer and the "
            "next request would travel unencrypted",
            method=request.method,
            url=url,
        )


def max_response_bytes_from_env(env: Mapping[str, str] | None = None) -> int | None:
    """`DBCLOUD_MAX_RESPONSE_BYTES` as a positive int, None when unset or empty.

    Raises:
        ConfigError: the value is not a positive whole number.
    """
    value = (os.environ if env is None else env).get(MAX_RESPONSE_BYTES_ENV, "").strip()
    if not value:
        return None
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigError(f"{MAX_RESPONSE_BYTES_ENV} must be a positive number of bytes, got {value!r}")
    return number


def cap_of(extensions: Mapping[str, object], default: int) -> int:
    """The size cap of one request: its `"dbcloud.max_response_bytes"` extension, else `default`."""
    value = extensions.get(EXT_MAX_RESPONSE_BYTES, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"the {EXT_MAX_RESPONSE_BYTES!r} extension must be a positive int")
    return value


def _clamped(timeout: object, budget: float) -> dict[str, float | None]:
    phases = timeout if isinstance(timeout, Mapping) else {}
    out: dict[str, float | None] = {}
    for phase in ("connect", "read", "write", "pool"):
        value = phases.get(phase)
        out[phase] = budget if value is None else min(float(value), budget)
    return out


class AttemptLimits:
    """One attempt's limits, worked out before it is sent, and the checks on its answer; no I/O.

    `LimitTransport` and `AsyncLimitTransport` (and their limited streams) hold one per attempt and
    only send, read and close around it.
    """

    __slots__ = ("budget", "cap", "clock", "expires", "request")

    def __init__(
        self,
        request: httpx.Request,
        *,
        max_response_bytes: int,
        deadline: float | None,
        clock: Callable[[], float],
    ) -> None:
        """Start an attempt: refuse an https → http hop, read the cap and the deadline, start the clock."""
        check_redirect(request)
        self.request = request
        self.cap = cap_of(request.extensions, max_response_bytes)
        self.budget = deadline_seconds(request.extensions, deadline, configured=deadline is not None)
        self.clock = clock
        self.expires = None if self.budget is None else clock() + self.budget

    def extensions(self, original: dict[str, Any]) -> dict[str, Any]:
        """The extensions to send with: each phase's timeout (connect, write, every read) clamped
        to the whole budget; `original` itself when there is no deadline."""
        if self.budget is None:
            return original
        return {**original, "timeout": _clamped(original.get("timeout"), self.budget)}

    def check_deadline(self) -> None:
        """Raise `DeadlineExceeded` once the attempt's deadline has passed."""
        if self.expires is not None and self.clock() > self.expires:
            assert self.budget is not None
            raise DeadlineExceeded(self.budget, self.request)

    def check_headers(self, response: httpx.Response) -> None:
        """The checks once the headers are in: the deadline, then an announced length over the cap."""
        self.check_deadline()
        length = response.headers.get("Content-Length", "")
        if length.isdigit():
            check_size(int(length), self.cap, self.request, announced=True)

    def check_chunk(self, seen: int) -> None:
        """The checks after each chunk of the body, `seen` bytes so far: the cap, then the deadline."""
        check_size(seen, self.cap, self.request, announced=False)
        self.check_deadline()


# --- the sync and async layers: only the I/O ----------------------------------------------------


class LimitTransport(httpx.BaseTransport):
    """Enforces the deadline, the size cap and the https-only redirects on every attempt.

    Args:
        inner: the transport that sends the request.
        max_response_bytes: the size cap (the extension `"dbcloud.max_response_bytes"` overrides it).
        deadline: seconds per attempt; None derives it from each request's read timeout.
        clock: a monotonic clock (swapped in tests).
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._cap = max_response_bytes
        self._deadline = deadline
        self._clock = clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        limits = AttemptLimits(
            request, max_response_bytes=self._cap, deadline=self._deadline, clock=self._clock
        )
        original = request.extensions
        request.extensions = limits.extensions(original)
        try:
            response = self._inner.handle_request(request)
        finally:
            request.extensions = original
        try:
            limits.check_headers(response)
        except BaseException:
            response.close()
            raise
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        response.stream = _LimitedStream(stream, limits)
        return response

    def close(self) -> None:
        self._inner.close()


class _LimitedStream(httpx.SyncByteStream):
    """The body as it arrives, stopped once it passes the cap or the deadline."""

    def __init__(self, inner: httpx.SyncByteStream, limits: AttemptLimits) -> None:
        self._inner = inner
        self._limits = limits

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self._inner:
            seen += len(chunk)
            self._limits.check_chunk(seen)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class AsyncLimitTransport(httpx.AsyncBaseTransport):
    """`LimitTransport` for `httpx.AsyncClient`: the same `AttemptLimits`, awaited.

    Args:
        inner: the async transport that sends the request.
        max_response_bytes: the size cap (the extension `"dbcloud.max_response_bytes"` overrides it).
        deadline: seconds per attempt; None derives it from each request's read timeout.
        clock: a monotonic clock (swapped in tests).
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._cap = max_response_bytes
        self._deadline = deadline
        self._clock = clock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        limits = AttemptLimits(
            request, max_response_bytes=self._cap, deadline=self._deadline, clock=self._clock
        )
        original = request.extensions
        request.extensions = limits.extensions(original)
        try:
            response = await self._inner.handle_async_request(request)
        finally:
            request.extensions = original
        try:
            limits.check_headers(response)
        except BaseException:
            await response.aclose()
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = _AsyncLimitedStream(stream, limits)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class _AsyncLimitedStream(httpx.AsyncByteStream):
    """`_LimitedStream` for async bodies."""

    def __init__(self, inner: httpx.AsyncByteStream, limits: AttemptLimits) -> None:
        self._inner = inner
        self._limits = limits

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            self._limits.check_chunk(seen)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()
