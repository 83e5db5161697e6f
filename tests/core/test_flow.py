"""The flow drivers: the sync and the async one give the same result for the same flow, hand a
step's exception to the flow at its `yield`, and pass nested flows' steps through."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from dbcloud._flow import Call, Flow, Send, Sleep, Step, arun, done, run


class Recorder:
    """Performs steps: a Send answers its URL upper-cased (or raises for "/boom"), a Sleep is noted."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def __call__(self, step: Step) -> Any:
        self.steps.append(step)
        if isinstance(step, Send):
            if step.request["url"] == "/boom":
                raise ConnectionError("reset")
            return str(step.request["url"]).upper()
        if isinstance(step, Call):
            return step.function()
        return None


def drive(flavour: str, flow: Flow[Any], perform: Recorder) -> Any:
    if flavour == "sync":
        return run(flow, perform)

    async def aperform(step: Step) -> Any:
        return perform(step)

    return asyncio.run(arun(flow, aperform))


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def get(url: str) -> Flow[str]:
    answer: str = yield Send({"method": "GET", "url": url})
    return answer


def test_a_flow_gets_each_steps_result_and_gives_its_value(flavour: str) -> None:
    def two() -> Flow[list[str]]:
        first = yield from get("/a")
        yield Sleep(1.5)
        second = yield from get("/b")
        return [first, second]

    perform = Recorder()
    assert drive(flavour, two(), perform) == ["/A", "/B"]
    assert [type(s).__name__ for s in perform.steps] == ["Send", "Sleep", "Send"]
    assert perform.steps[1] == Sleep(1.5)


def test_a_steps_exception_is_thrown_in_where_the_flow_can_handle_it(flavour: str) -> None:
    def tolerant() -> Flow[str]:
        try:
            yield from get("/boom")
        except ConnectionError as exc:
            return f"handled {exc}"
        return "not reached"

    assert drive(flavour, tolerant(), Recorder()) == "handled reset"


def test_an_exception_the_flow_does_not_handle_reaches_the_caller(flavour: str) -> None:
    perform = Recorder()
    with pytest.raises(ConnectionError, match="reset"):
        drive(flavour, get("/boom"), perform)
    assert len(perform.steps) == 1


def test_an_error_raised_by_the_flow_itself_reaches_the_caller(flavour: str) -> None:
    def refusing() -> Flow[None]:
        yield from get("/a")
        raise ValueError("bad answer")

    with pytest.raises(ValueError, match="bad answer"):
        drive(flavour, refusing(), Recorder())


def test_done_gives_a_value_without_any_step(flavour: str) -> None:
    perform = Recorder()
    assert drive(flavour, done(42), perform) == 42
    assert perform.steps == []


def test_call_runs_a_function_of_the_callers_flavour(flavour: str) -> None:
    calls: list[int] = []
    fetch: Callable[[], int] = lambda: calls.append(1) or len(calls)  # noqa: E731

    def polled() -> Flow[int]:
        value: int = yield Call(fetch)
        return value

    assert drive(flavour, polled(), Recorder()) == 1
    assert calls == [1]


def test_the_async_driver_awaits_each_step() -> None:
    order: list[str] = []

    async def aperform(step: Step) -> Any:
        order.append("start")
        await asyncio.sleep(0)
        order.append("end")
        return "x"

    async def both() -> list[str]:
        return list(await asyncio.gather(arun(get("/a"), aperform), arun(get("/b"), aperform)))

    assert asyncio.run(both()) == ["x", "x"]
    assert order == ["start", "start", "end", "end"]  # the two flows were in flight together
