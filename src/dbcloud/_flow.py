"""Flows: logic that does I/O without doing it, so one copy serves the sync and the async client.

A flow is a generator. Where it needs the outside world it yields a *step* (send this request,
sleep this long) and receives the step's result, or the exception the step raised, thrown in at
the `yield`. A driver performs the steps: `run` with blocking calls, `arun` with awaited ones. The
retry loop, the waits and every facade call are flows, so their decisions are written once and
the sync and async shells differ only in how a step is carried out (the sans-I/O pattern of h11
and httpcore's state machines, applied to a client's control flow).

    def get_cluster(client, cid) -> Flow[dict]:
        response = yield Send({"method": "GET", "url": f"/clusters/{cid}"})
        return response.json()

    run(get_cluster(c, "x"), perform)          # sync shell
    await arun(get_cluster(c, "x"), aperform)  # async shell

A flow calls another with `yield from`, which passes its steps through and gives its result.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

__all__ = ["Call", "Flow", "Send", "Sleep", "Step", "arun", "done", "run", "with_extensions"]

T = TypeVar("T")


class Step:
    """Something a flow asks its driver to do."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Send(Step):
    """Send a request (the keyword arguments of `httpx.Client.request`, plus `extensions`) through
    the client's connection; the result is the read `httpx.Response`."""

    request: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Sleep(Step):
    """Pause for `seconds`; the result is None."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Call(Step):
    """Call a function of the caller's flavour (`fetch` of a wait): the sync driver calls it, the
    async one awaits what it returns when that is awaitable. The result is its return value."""

    function: Callable[[], Any]


Flow: TypeAlias = Generator[Step, Any, T]
"""A flow giving a `T`: yields steps, receives their results, returns the value."""


def done(value: T) -> Flow[T]:
    """A flow that gives `value` without any step (for a branch that needs no I/O)."""
    return value
    yield  # pragma: no cover - makes this a generator


def with_extensions(flow: Flow[T], extensions: Mapping[str, Any]) -> Flow[T]:
    """`flow` with `extensions` added to every request it sends (its other steps pass unchanged)."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            error = None
        if isinstance(step, Send):
            request = step.request
            step = Send({**request, "extensions": {**(request.get("extensions") or {}), **extensions}})
        try:
            value = yield step
        except GeneratorExit:
            flow.close()
            raise
        except BaseException as exc:  # thrown in by the driver: the inner flow decides
            value, error = None, exc


def run(flow: Flow[T], perform: Callable[[Step], Any]) -> T:
    """Drive `flow` to its end with blocking steps; its result, or the exception it raised.

    An exception `perform` raises is thrown into the flow at the step's `yield`, so the flow
    decides what it means (the retry loop retries a reset; a wait treats a 404 as "gone").
    """
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            error = None  # no frame keeps the exception (and the traceback's locals) alive
        try:
            value = perform(step)
        except BaseException as exc:  # handed to the flow, which re-raises what it does not handle
            value, error = None, exc


async def arun(flow: Flow[T], perform: Callable[[Step], Awaitable[Any]]) -> T:
    """Drive `flow` to its end with awaited steps: `run` for the async shell."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            error = None
        try:
            value = await perform(step)
        except BaseException as exc:
            value, error = None, exc
