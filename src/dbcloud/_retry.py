"""Retrying of requests that are safe to repeat, as an httpx transport.

Two rules decide whether a request is sent again:

- A request whose method RFC 9110 calls idempotent (GET, HEAD, PUT, DELETE, OPTIONS: the policy's
  `methods`), or that carries the extension `"dbcloud.retry_unsafe": True` (a read-only GraphQL
  query), is retried on the policy's `statuses` (429, 502, 503, 504), on responses a vendor hook
  classifies as retryable (ACM answers "environment busy" with HTTP 200 and an error body), and on
  transport errors that mean "no usable answer": connect errors and timeouts, read and write
  errors, pool timeouts, protocol errors.
- Any other request (POST, PATCH) is retried only on the policy's `any_method_statuses` (429): a
  rate-limited request was refused before the server did anything, so repeating it is safe for
  every method, and ClickHouse Cloud's PATCHes (state, scaling, password) and every create would
  otherwise fail at the first rate limit. Nothing else repeats it: the POST that launches a cluster
  may have reached the vendor before the connection broke or the gateway answered 502, and sending
  it again can create a second, billed cluster. Its body is buffered first, so a repeat sends it
  whole.

Both count against the same budget (`max_retries`, or the per-request extension
`"dbcloud.max_retries"`) and wait the same way (`retry_delay`: `Retry-After`, `X-RateLimit-Reset`,
else backoff). `ReadTimeout` is among the transport errors retried for an idempotent request: a
repeat is harmless there, and control-plane reads are short, so a timeout is more often a stalled
connection than a slow query. The cost is bounded by `(max_retries + 1) * read timeout` plus the
waits; set `max_retries=0` (or the per-request extension) for a call that must fail fast.

Why not a library: httpx-retries lacks a body-reading vendor hook, the X-RateLimit-Reset rule and
per-request overrides, and `stamina` retries functions on exceptions rather than responses; both
would add a runtime dependency to a core that needs only httpx and attrs. The transport below is
small and fully testable with injected time.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from ._flow import Flow, Sleep, Step, arun, run, with_extensions
from ._throttle import Throttle

__all__ = [
    "EXT_MAX_RETRIES",
    "EXT_ONCE",
    "EXT_RETRY_UNSAFE",
    "RETRYABLE_ERRORS",
    "AsyncRetryTransport",
    "RetryPolicy",
    "RetryTransport",
    "once",
    "retry_delay",
    "retry_flow",
    "server_wait",
]

T = TypeVar("T")

EXT_RETRY_UNSAFE = "dbcloud.retry_unsafe"
"""Request extension: `True` retries a request whose method is not in the policy like an idempotent one."""

EXT_ONCE = "dbcloud.once"
"""Request extension: `True` sends a request once whatever its method, repeated only after an answer
in the policy's `any_method_statuses` (a 429: the server refused before acting). For writes that
change money or data (a restore, a delete of a database or a user), where a repeat after a lost
answer would act on what the first attempt left."""

EXT_MAX_RETRIES = "dbcloud.max_retries"
"""Request extension: an int that replaces the policy's `max_retries` for one request."""

RETRYABLE_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadError,
    httpx.ReadTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
    httpx.RemoteProtocolError,
)
"""Transport errors after which an idempotent (or `retry_unsafe`) request is sent again."""

# X-RateLimit-Reset values above this are Unix times (2001-09-09 onwards), below it seconds to wait.
_EPOCH_THRESHOLD = 1e9

_log = logging.getLogger("dbcloud.http")


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Attributes:
        max_retries: retries after the first attempt (0 disables retrying).
        backoff_initial: the backoff ceiling of the first retry, in seconds; it doubles per retry.
        backoff_max: the largest backoff ceiling, in seconds.
        max_wait: the cap on any single wait, including one the server asks for.
        statuses: response statuses that are retried for a request whose method is in `methods`.
        any_method_statuses: response statuses that are retried whatever the method (POST and
            PATCH too): answers that say the server refused before acting, so a repeat cannot act
            twice. Only these retry a request outside `methods`.
        methods: methods that are retried on every status in `statuses`, on `retry_on` and on
            transport errors (upper case; normalized on creation).
        retry_on: a vendor hook that marks other responses to a request in `methods` as retryable.
            It receives a response whose body is already read, so it may call `.json()`.
    """

    max_retries: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    max_wait: float = 60.0
    statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    any_method_statuses: frozenset[int] = frozenset({429})
    methods: frozenset[str] = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
    retry_on: Callable[[httpx.Response], bool] | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if min(self.backoff_initial, self.backoff_max, self.max_wait) < 0:
            raise ValueError("backoff_initial, backoff_max and max_wait must be 0 or more")
        object.__setattr__(self, "methods", frozenset(m.upper() for m in self.methods))

    # --- the decisions, without I/O: the sync transport below and an async one share them ------

    def repeatable(self, request: httpx.Request) -> bool:
        """Whether every retry rule applies to `request`, not only `any_method_statuses`."""
        if request.extensions.get(EXT_ONCE) is True:
            return False
        return request.method in self.methods or request.extensions.get(EXT_RETRY_UNSAFE) is True

    def budget(self, request: httpx.Request) -> int:
        """How many retries `request` may have (its `dbcloud.max_retries` extension wins).

        Raises:
            ValueError: the extension is not an int of 0 or more.
        """
        if not (self.repeatable(request) or self.any_method_statuses):
            return 0
        override = request.extensions.get(EXT_MAX_RETRIES)
        if override is None:
            return self.max_retries
        if isinstance(override, bool) or not isinstance(override, int) or override < 0:
            raise ValueError(f"the {EXT_MAX_RETRIES!r} extension must be an int of 0 or more")
        return override

    def retries_status(self, status: int, *, repeatable: bool) -> bool:
        """Whether an answer with this status is sent again (before its body is looked at)."""
        if status in self.any_method_statuses:
            return True
        return repeatable and status in self.statuses

    def needs_body(self, *, repeatable: bool) -> bool:
        """Whether the answer's body must be read before deciding: a repeatable request's is (so a
        cut mid-body is retried too, and the vendor hook can look at it); another's is not."""
        return repeatable

    def retries_answer(self, response: httpx.Response) -> bool:
        """The vendor hook's word on a repeatable request's answer whose body is read."""
        return self.retry_on is not None and self.retry_on(response)

    def retries_error(self, error: BaseException, *, repeatable: bool) -> bool:
        """Whether a transport error (no usable answer) is worth sending the request again."""
        return repeatable and isinstance(error, RETRYABLE_ERRORS)


def retry_delay(
    response: httpx.Response | None,
    attempt: int,
    policy: RetryPolicy,
    *,
    now: float,
    rand: Callable[[], float],
) -> float:
    """Seconds to wait before retry number `attempt`.

    The server's word comes first: `Retry-After` (delta-seconds or an HTTP date), else, on a 429,
    `X-RateLimit-Reset` (seconds, or a Unix time when above 1e9, since ClickHouse clients read it
    both ways). Otherwise exponential backoff with full jitter: a uniform draw between 0 and
    `min(backoff_max, backoff_initial * 2 ** (attempt - 1))`. Every wait is capped at `max_wait`.

    Args:
        response: the response being retried, or None after a transport error.
        attempt: the number of the coming retry, from 1.
        policy: the retry policy.
        now: the current Unix time, for dates and epoch resets.
        rand: a source of floats in [0, 1).

    Returns:
        The wait in seconds, between 0 and `policy.max_wait`.
    """
    wait = server_wait(response, now) if response is not None else None
    if wait is None:
        # The exponent is bounded so that a huge attempt number cannot overflow a float.
        ceiling = min(policy.backoff_max, policy.backoff_initial * 2.0 ** min(attempt - 1, 64))
        wait = ceiling * rand()
    return min(max(wait, 0.0), policy.max_wait)


def server_wait(response: httpx.Response, now: float) -> float | None:
    """Seconds the server asks to wait, uncapped (negative for a time already past), or None.

    The one reading of every vendor's rate-limit headers, for the retry layer and for
    `RateLimitError.retry_after` alike: `Retry-After` as delta-seconds or an HTTP date, else, on a
    429 only, `X-RateLimit-Reset` as seconds or, above 1e9, a Unix time.
    """
    retry_after = response.headers.get("Retry-After")
    if retry_after is not None:
        wait = _parse_retry_after(retry_after.strip(), now)
        if wait is not None:
            return wait
    # The reset time is sent on every response; it only says how long to wait when rate limited.
    reset = response.headers.get("X-RateLimit-Reset")
    if reset is not None and response.status_code == 429:
        value = _parse_number(reset.strip())
        if value is not None:
            return value - now if value > _EPOCH_THRESHOLD else value
    return None


def _parse_retry_after(value: str, now: float) -> float | None:
    seconds = _parse_number(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    # parsedate_to_datetime returns a naive datetime for "-0000"; HTTP dates are always GMT.
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when.timestamp() - now


def _parse_number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _url_for_log(url: httpx.URL) -> str:
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))


@dataclass(frozen=True, slots=True)
class Attempt(Step):
    """Send `request` once through the inner transport; the result is its (unread) response."""

    request: httpx.Request


@dataclass(frozen=True, slots=True)
class Drain(Step):
    """Read `response`'s raw body whole and close it; the result is the bytes."""

    response: httpx.Response


@dataclass(frozen=True, slots=True)
class Discard(Step):
    """Close `response` unread (it is being retried)."""

    response: httpx.Response


@dataclass(frozen=True, slots=True)
class Buffer(Step):
    """Read `request`'s streamed body into memory, so that every attempt sends it whole."""

    request: httpx.Request


def retry_flow(
    request: httpx.Request,
    policy: RetryPolicy,
    *,
    clock: Callable[[], float],
    rand: Callable[[], float],
    throttle: Throttle | None = None,
) -> Flow[httpx.Response]:
    """The one retry loop, without I/O: the sync and async transports drive it (`_flow`).

    It yields `Attempt`, `Drain`, `Discard`, `Buffer` and `Sleep` steps; a transport error of an
    attempt (or of draining its body) is thrown back in. It gives the response to return, unread,
    or raises the last transport error. With a `throttle`, every attempt first waits for its start
    slot, and a 429 that names its wait holds every attempt of the client that long.
    """
    repeatable = policy.repeatable(request)
    max_retries = policy.budget(request)
    if max_retries == 0:
        response, _ = yield from _attempt(request, clock, throttle, 0.0)
        return response
    yield Buffer(request)
    attempt = 0
    held = 0.0  # a hold this request's own 429 set: its retry pause waits it out already
    while True:
        try:
            response, held = yield from _attempt(request, clock, throttle, held)
            if attempt >= max_retries:
                return _counted(response, attempt)
            retry, response = yield from _decide(request, response, policy, repeatable)
        except RETRYABLE_ERRORS as exc:
            if attempt >= max_retries or not policy.retries_error(exc, repeatable=repeatable):
                exc.dbcloud_retries = attempt  # type: ignore[attr-defined]  # read by connection_error
                raise
            attempt += 1
            yield _pause(request, None, type(exc).__name__, attempt, max_retries, policy, clock, rand)
            continue
        if not retry:
            return _counted(response, attempt)
        attempt += 1
        yield Discard(response)
        yield _pause(request, response, str(response.status_code), attempt, max_retries, policy, clock, rand)


RETRIES_EXTENSION = "dbcloud.retries"
"""The response extension that tells how many times its request was sent again (see `_counted`)."""


def _counted(response: httpx.Response, retries: int) -> httpx.Response:
    """The response, marked with how many retries came before it, for the error it may become."""
    if retries:
        response.extensions[RETRIES_EXTENSION] = retries
    return response


def _attempt(
    request: httpx.Request, clock: Callable[[], float], throttle: Throttle | None, held: float
) -> Flow[tuple[httpx.Response, float]]:
    """One attempt, at the throttle's pace; a 429 holds the throttle for the wait it names.

    Gives the response and the hold this request set (or `held`, the one it set before).
    """
    if throttle is not None:
        wait = throttle.reserve(clock(), held)
        if wait > 0:
            yield Sleep(wait)
    response: httpx.Response = yield Attempt(request)
    if throttle is not None and response.status_code == 429:
        now = clock()
        asked = server_wait(response, now)
        if asked is not None and asked > 0:
            held = throttle.hold(now + asked)
    return response, held


def _decide(
    request: httpx.Request, response: httpx.Response, policy: RetryPolicy, repeatable: bool
) -> Flow[tuple[bool, httpx.Response]]:
    """Whether to retry `response`, and the response to go on with (unread)."""
    if not policy.needs_body(repeatable=repeatable):
        # Only the status counts, so the body is left to the caller: a cut in it is not retried.
        return policy.retries_status(response.status_code, repeatable=False), response
    # The body is read here so that a cut mid-body is retried too: otherwise a reset while httpx
    # reads it would surface after this loop, where nothing retries it. Control-plane answers are
    # small, so holding one in memory is cheap.
    raw: bytes = yield Drain(response)
    response = _replay(request, response, raw)
    if policy.retries_status(response.status_code, repeatable=True):
        return True, response
    if policy.retry_on is None:
        return False, response
    # The hook needs the body, but the client must still receive an unread response (else
    # httpx never closes it and `.elapsed` fails), so the hook reads a replayed copy.
    probe = _replay(request, response, raw)
    probe.read()
    if policy.retries_answer(probe):
        return True, probe
    return False, response


def _pause(
    request: httpx.Request,
    response: httpx.Response | None,
    reason: str,
    attempt: int,
    of: int,
    policy: RetryPolicy,
    clock: Callable[[], float],
    rand: Callable[[], float],
) -> Sleep:
    wait = retry_delay(response, attempt, policy, now=clock(), rand=rand)
    _log.info(
        "retrying %s %s after %s (attempt %d/%d) in %.2f s",
        request.method,
        _url_for_log(request.url),
        reason,
        attempt,
        of,
        wait,
    )
    return Sleep(wait)


class RetryTransport(httpx.BaseTransport):
    """Sends a request through `inner` again when that is safe and likely to help.

    A request whose method is in `policy.methods`, or that carries the extension
    `"dbcloud.retry_unsafe": True`, is retried on `policy.statuses`, on `policy.retry_on` and on
    `RETRYABLE_ERRORS`. Any other (POST, PATCH) is retried only on `policy.any_method_statuses`
    (429: refused before anything was done), never on a 5xx, a transport error or the hook, since
    a launch that met a 502 or a reset may have created a cluster. Either way the extension
    `"dbcloud.max_retries": int` overrides the retry count for one request, and the waits follow
    `retry_delay` (`Retry-After`, `X-RateLimit-Reset`, else backoff).

    On giving up, the last response is returned (the caller maps its status to an error) or the
    last transport error is raised. A response that is retried is closed first. The loop is
    `retry_flow`; this class only performs its steps with blocking I/O.

    Args:
        inner: the transport that sends each attempt.
        policy: when and how long to wait; the defaults of `RetryPolicy` when None.
        sleep: waits the given seconds (swapped in tests).
        clock: the current Unix time (wall clock: server dates and resets are absolute).
        rand: floats in [0, 1) for jitter.
        throttle: the client's pace (`_throttle`): start slots, and a shared pause after a 429.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        throttle: Throttle | None = None,
    ) -> None:
        self._inner = inner
        self.policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self.throttle = throttle

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        flow = retry_flow(request, self.policy, clock=self._clock, rand=self._rand, throttle=self.throttle)
        return run(flow, self._perform)

    def close(self) -> None:
        self._inner.close()

    def _perform(self, step: Step) -> Any:
        if type(step) is Attempt:
            return self._inner.handle_request(step.request)
        if type(step) is Drain:
            stream = step.response.stream
            assert isinstance(stream, httpx.SyncByteStream)
            try:
                return b"".join(stream)
            finally:
                step.response.close()
        if type(step) is Discard:
            step.response.close()
        elif type(step) is Sleep:
            self._sleep(step.seconds)
        elif type(step) is Buffer:
            step.request.read()
        else:  # pragma: no cover - every step of retry_flow is handled above
            raise TypeError(f"unknown step {step!r}")
        return None


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """`RetryTransport` for `httpx.AsyncClient`: the same `retry_flow`, performed with awaits.

    Args:
        inner: the async transport that sends each attempt.
        policy: when and how long to wait; the defaults of `RetryPolicy` when None.
        sleep: awaits the given seconds (default `asyncio.sleep`; swapped in tests).
        clock: the current Unix time.
        rand: floats in [0, 1) for jitter.
        throttle: the client's pace, shared as with `RetryTransport`.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        throttle: Throttle | None = None,
    ) -> None:
        self._inner = inner
        self.policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep if sleep is not None else _asyncio_sleep
        self._clock = clock
        self._rand = rand
        self.throttle = throttle

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        flow = retry_flow(request, self.policy, clock=self._clock, rand=self._rand, throttle=self.throttle)
        return await arun(flow, self._perform)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def _perform(self, step: Step) -> Any:
        if type(step) is Attempt:
            return await self._inner.handle_async_request(step.request)
        if type(step) is Drain:
            stream = step.response.stream
            assert isinstance(stream, httpx.AsyncByteStream)
            try:
                return b"".join([chunk async for chunk in stream])
            finally:
                await step.response.aclose()
        if type(step) is Discard:
            await step.response.aclose()
        elif type(step) is Sleep:
            await self._sleep(step.seconds)
        elif type(step) is Buffer:
            await step.request.aread()
        else:  # pragma: no cover - every step of retry_flow is handled above
            raise TypeError(f"unknown step {step!r}")
        return None


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # here, so that the sync client never imports asyncio

    await asyncio.sleep(seconds)


def _replay(request: httpx.Request, response: httpx.Response, raw: bytes) -> httpx.Response:
    # Raw (still encoded) bytes with the original headers, so Content-Encoding stays truthful.
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(raw),
        extensions=dict(response.extensions),
        request=request,
    )


def once(flow: Flow[T]) -> Flow[T]:
    """`flow` with each of its requests sent once (`EXT_ONCE`): repeated only after a 429."""
    return with_extensions(flow, {EXT_ONCE: True})
