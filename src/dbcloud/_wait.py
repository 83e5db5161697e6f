"""Waiting for cloud resources: one poller for every vendor, and one state enum they all map to.

Each vendor maps its own status strings to `ClusterState` through a plain dict and `map_state`;
a status the table does not know becomes `ClusterState.UNKNOWN` instead of an exception, so a
vendor adding a state never breaks a caller. `wait_until` polls with backoff under a hard deadline;
its clock and sleep are parameters so tests run without waiting. The poll loop itself is
`wait_flow`, a flow (`_flow`) whose pauses are steps, so the async clients wait by the same rules.
"""

from __future__ import annotations

import enum
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar, overload

from ._errors import ClusterFailed, NotFoundError, WaitTimeout
from ._flow import Call, Flow, Sleep, Step, run

__all__ = ["ClusterState", "Progress", "map_state", "wait_flow", "wait_until"]

logger = logging.getLogger("dbcloud.wait")

T = TypeVar("T")


class ClusterState(enum.StrEnum):
    """A resource's state, the same for every vendor."""

    PENDING = "pending"
    PROVISIONING = "provisioning"
    STARTING = "starting"
    RUNNING = "running"
    UPDATING = "updating"
    STOPPING = "stopping"
    STOPPED = "stopped"
    IDLE = "idle"
    AWAKING = "awaking"
    DEGRADED = "degraded"
    DELETING = "deleting"
    DELETED = "deleted"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def is_ready(self) -> bool:
        """The resource is up and serving."""
        return self is ClusterState.RUNNING

    @property
    def is_transitional(self) -> bool:
        """The resource is on its way to another state by itself, so waiting makes sense."""
        return self in _TRANSITIONAL

    @property
    def is_terminal_failure(self) -> bool:
        """The resource failed and will not recover by waiting."""
        return self is ClusterState.FAILED


# IDLE, STOPPED and DEGRADED are left out: they last until someone (or traffic) acts.
_TRANSITIONAL = frozenset(
    {
        ClusterState.PENDING,
        ClusterState.PROVISIONING,
        ClusterState.STARTING,
        ClusterState.UPDATING,
        ClusterState.STOPPING,
        ClusterState.AWAKING,
        ClusterState.DELETING,
    }
)


def map_state(value: object, table: Mapping[str, ClusterState]) -> ClusterState:
    """A vendor's status as a `ClusterState`; never raises.

    Args:
        value: the vendor's status, usually a string (or a str-valued enum of a generated client).
        table: vendor status to state; looked up ignoring case and surrounding blanks.

    Returns:
        The mapped state; `ClusterState.UNKNOWN` for None, a non-string or a status not in `table`.
    """
    if type(value) is str:  # the common case, first: the vendor's word exactly as the table has it
        exact = table.get(value)
        if exact is not None:
            return exact
    if isinstance(value, ClusterState):
        return value
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        return ClusterState.UNKNOWN
    return _folded(table).get(value.strip().casefold(), ClusterState.UNKNOWN)


_FOLDED: dict[int, tuple[Mapping[str, ClusterState], dict[str, ClusterState]]] = {}


def _folded(table: Mapping[str, ClusterState]) -> dict[str, ClusterState]:
    """`table` keyed by its statuses stripped and case-folded, built once per table."""
    cached = _FOLDED.get(id(table))
    if cached is None or cached[0] is not table:
        cached = (table, {status.strip().casefold(): state for status, state in table.items()})
        _FOLDED[id(table)] = cached
    return cached[1]


@dataclass(frozen=True)
class Progress:
    """One poll's outcome, given to `wait_until`'s `on_progress`.

    Attributes:
        state: the polled result as `describe` wrote it ("gone" once a deletion wait ends).
        elapsed: seconds since the wait began.
        attempt: the poll's number, from 1.
    """

    state: str
    elapsed: float
    attempt: int


def _never_failed(_: object) -> str | None:
    return None


@overload
def wait_until(
    fetch: Callable[[], T],
    *,
    ready: Callable[[T], bool],
    failed: Callable[[T], str | None] = ...,
    gone_ok: Literal[False] = ...,
    describe: Callable[[T], str] = ...,
    timeout: float,
    interval: float = ...,
    max_interval: float = ...,
    backoff: float = ...,
    clock: Callable[[], float] = ...,
    sleep: Callable[[float], None] = ...,
    on_progress: Callable[[Progress], None] | None = ...,
    what: str = ...,
) -> T: ...


@overload
def wait_until(
    fetch: Callable[[], T],
    *,
    ready: Callable[[T], bool],
    failed: Callable[[T], str | None] = ...,
    gone_ok: bool,
    describe: Callable[[T], str] = ...,
    timeout: float,
    interval: float = ...,
    max_interval: float = ...,
    backoff: float = ...,
    clock: Callable[[], float] = ...,
    sleep: Callable[[float], None] = ...,
    on_progress: Callable[[Progress], None] | None = ...,
    what: str = ...,
) -> T | None: ...


def wait_until(
    fetch: Callable[[], T],
    *,
    ready: Callable[[T], bool],
    failed: Callable[[T], str | None] = _never_failed,
    gone_ok: bool = False,
    describe: Callable[[T], str] = str,
    timeout: float,
    interval: float = 5.0,
    max_interval: float = 30.0,
    backoff: float = 1.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_progress: Callable[[Progress], None] | None = None,
    what: str = "resource",
) -> T | None:
    """Poll `fetch` until `ready` says yes, a failure shows, or the deadline passes.

    The first poll is immediate; the pauses between polls start at `interval` and grow by
    `backoff` up to `max_interval`. The deadline is hard: the last pause is cut short so that
    a final poll happens at the deadline, never after it.

    Args:
        fetch: reads the resource once (one API call).
        ready: whether a result is what we wait for; checked before `failed`.
        failed: the reason a result is a failure that waiting will not fix, or None.
        gone_ok: a `NotFoundError` from `fetch` ends the wait with None (for deletions).
        describe: a result in a few words, for progress and the timeout message.
        timeout: seconds before giving up; must be positive and finite.
        interval: first pause between polls, in seconds.
        max_interval: longest pause between polls, in seconds.
        backoff: factor by which the pause grows after each poll (at least 1).
        clock: monotonic seconds (a parameter for tests).
        sleep: pauses for some seconds (a parameter for tests).
        on_progress: called with a `Progress` after every poll.
        what: the resource, for messages ("cluster 1234").

    Returns:
        The first ready result; None when `gone_ok` and the resource is gone.

    Raises:
        ClusterFailed: `failed` gave a reason; `last_state` holds the result.
        WaitTimeout: the deadline passed; `last_state` holds the last result.
        NotFoundError: the resource is gone and `gone_ok` is false.
        APIError: any other error from `fetch`, which the HTTP layer already retried if safe.
        ValueError: a timing argument is out of range.
    """

    def perform(step: Step) -> object:
        if type(step) is Sleep:
            sleep(step.seconds)
            return None
        assert type(step) is Call  # the only other step of wait_flow with a blocking fetch
        return step.function()

    def poll() -> Flow[T]:
        result: T = yield Call(fetch)
        return result

    flow = wait_flow(
        poll,
        ready=ready,
        failed=failed,
        gone_ok=gone_ok,
        describe=describe,
        timeout=timeout,
        interval=interval,
        max_interval=max_interval,
        backoff=backoff,
        clock=clock,
        on_progress=on_progress,
        what=what,
    )
    return run(flow, perform)


@overload
def wait_flow(
    fetch: Callable[[], Flow[T]],
    *,
    ready: Callable[[T], bool],
    failed: Callable[[T], str | None] = ...,
    gone_ok: Literal[False] = ...,
    describe: Callable[[T], str] = ...,
    timeout: float,
    interval: float = ...,
    max_interval: float = ...,
    backoff: float = ...,
    clock: Callable[[], float] = ...,
    on_progress: Callable[[Progress], None] | None = ...,
    what: str = ...,
) -> Flow[T]: ...


@overload
def wait_flow(
    fetch: Callable[[], Flow[T]],
    *,
    ready: Callable[[T], bool],
    failed: Callable[[T], str | None] = ...,
    gone_ok: bool,
    describe: Callable[[T], str] = ...,
    timeout: float,
    interval: float = ...,
    max_interval: float = ...,
    backoff: float = ...,
    clock: Callable[[], float] = ...,
    on_progress: Callable[[Progress], None] | None = ...,
    what: str = ...,
) -> Flow[T | None]: ...


def wait_flow(
    fetch: Callable[[], Flow[T]],
    *,
    ready: Callable[[T], bool],
    failed: Callable[[T], str | None] = _never_failed,
    gone_ok: bool = False,
    describe: Callable[[T], str] = str,
    timeout: float,
    interval: float = 5.0,
    max_interval: float = 30.0,
    backoff: float = 1.5,
    clock: Callable[[], float] = time.monotonic,
    on_progress: Callable[[Progress], None] | None = None,
    what: str = "resource",
) -> Flow[T | None]:
    """`wait_until` as a flow: `fetch` is a flow that reads the resource once, and each pause is
    a `Sleep` step. The arguments, rules and errors are `wait_until`'s."""
    _check_timing(timeout, interval, max_interval, backoff)
    start = clock()
    deadline = start + timeout
    pause = interval
    attempt = 0
    while True:
        attempt += 1
        try:
            result = yield from fetch()
        except NotFoundError:
            if not gone_ok:
                raise
            _report(on_progress, what, "gone", clock() - start, attempt)
            return None
        now = clock()
        described = describe(result)
        _report(on_progress, what, described, now - start, attempt)
        if ready(result):
            return result
        reason = failed(result)
        if reason is not None:
            raise ClusterFailed(f"{what} failed: {reason}", last_state=result)
        remaining = deadline - now
        if remaining <= 0:
            raise WaitTimeout(
                f"{what} not ready after {_seconds(now - start)} (timeout {_seconds(timeout)}); "
                f"last state: {described}",
                last_state=result,
            )
        yield Sleep(min(pause, remaining))
        pause = min(pause * backoff, max_interval)


def _check_timing(timeout: float, interval: float, max_interval: float, backoff: float) -> None:
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if not (math.isfinite(interval) and interval > 0):
        raise ValueError(f"interval must be a positive number of seconds, not {interval!r}")
    if not (math.isfinite(max_interval) and max_interval >= interval):
        raise ValueError(f"max_interval must be at least interval ({interval!r}), not {max_interval!r}")
    if not (math.isfinite(backoff) and backoff >= 1):
        raise ValueError(f"backoff must be at least 1, not {backoff!r}")


def _report(
    on_progress: Callable[[Progress], None] | None, what: str, state: str, elapsed: float, attempt: int
) -> None:
    logger.debug("%s: %s after %s (poll %d)", what, state, _seconds(elapsed), attempt)
    if on_progress is not None:
        on_progress(Progress(state, elapsed, attempt))


def _seconds(value: float) -> str:
    """A duration for people: 42.5s, 12m 5s."""
    if value < 60:
        return f"{value:.1f}s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}m {seconds}s"
