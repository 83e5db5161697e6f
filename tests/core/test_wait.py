"""The poller and the state enum, run on a fake clock: nothing here really sleeps."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import math
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from dbcloud._errors import ClusterFailed, InternalServerError, NotFoundError, WaitTimeout
from dbcloud._flow import Call, Flow, Sleep, Step, arun
from dbcloud._wait import ClusterState, Progress, map_state, wait_flow, wait_until


def _awaited_wait_until(fetch: Callable[[], Any], *, sleep: Callable[[float], None], **options: Any) -> Any:
    """`wait_until` through `wait_flow` driven by `arun`, as the async clients wait."""

    async def perform(step: Step) -> Any:
        if isinstance(step, Sleep):
            sleep(step.seconds)
            return None
        assert isinstance(step, Call)
        return step.function()

    def poll() -> Flow[Any]:
        return (yield Call(fetch))

    return asyncio.run(arun(wait_flow(poll, **options), perform))


@pytest.fixture(autouse=True, params=["sync", "async"])
def flavour(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test of the poller runs on `wait_until` and on `wait_flow` driven asynchronously."""
    if request.param == "async":
        monkeypatch.setitem(globals(), "wait_until", _awaited_wait_until)
    return str(request.param)


VENDOR_STATES = {
    "Provisioning": ClusterState.PROVISIONING,
    "RUNNING": ClusterState.RUNNING,
    "failed": ClusterState.FAILED,
}


class FakeTime:
    """A clock that only moves when something sleeps (or a fetch takes time)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.start = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def states(time: FakeTime, sequence: Iterable[str], fetch_takes: float = 0.0) -> Callable[[], str]:
    """A fetch that answers the given states in turn, then the last one for ever."""
    remaining = list(sequence)

    def fetch() -> str:
        time.now += fetch_takes
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return fetch


def is_running(state: str) -> bool:
    return map_state(state, VENDOR_STATES).is_ready


# --- ClusterState and map_state ---------------------------------------------------------------


def test_states_have_lower_case_values() -> None:
    expected = {
        "pending", "provisioning", "starting", "running", "updating", "stopping", "stopped",
        "idle", "awaking", "degraded", "deleting", "deleted", "failed", "unknown",
    }  # fmt: skip
    assert expected <= {state.value for state in ClusterState}
    assert all(state.value == state.value.lower() for state in ClusterState)
    assert ClusterState("running") is ClusterState.RUNNING
    assert f"{ClusterState.RUNNING}" == "running"


def test_state_properties() -> None:
    assert [s for s in ClusterState if s.is_ready] == [ClusterState.RUNNING]
    assert [s for s in ClusterState if s.is_terminal_failure] == [ClusterState.FAILED]
    assert ClusterState.PROVISIONING.is_transitional
    assert ClusterState.DELETING.is_transitional
    assert ClusterState.AWAKING.is_transitional
    for steady in (ClusterState.RUNNING, ClusterState.IDLE, ClusterState.STOPPED, ClusterState.FAILED):
        assert not steady.is_transitional
    assert not ClusterState.UNKNOWN.is_transitional


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("running", ClusterState.RUNNING),
        ("Running", ClusterState.RUNNING),
        ("  PROVISIONING ", ClusterState.PROVISIONING),
        ("FAILED", ClusterState.FAILED),
        ("Hibernating", ClusterState.UNKNOWN),
        ("", ClusterState.UNKNOWN),
        (None, ClusterState.UNKNOWN),
        (3, ClusterState.UNKNOWN),
        (["running"], ClusterState.UNKNOWN),
        (ClusterState.IDLE, ClusterState.IDLE),
    ],
)
def test_map_state(value: object, expected: ClusterState) -> None:
    assert map_state(value, VENDOR_STATES) is expected


def test_map_state_reads_generated_enums() -> None:
    # openapi-python-client writes its enums this way, not as StrEnum.
    class StrStatus(str, enum.Enum):  # noqa: UP042
        RUNNING = "RUNNING"

    class PlainStatus(enum.Enum):
        FAILED = "failed"
        NUMBERED = 7

    assert map_state(StrStatus.RUNNING, VENDOR_STATES) is ClusterState.RUNNING
    assert map_state(PlainStatus.FAILED, VENDOR_STATES) is ClusterState.FAILED
    assert map_state(PlainStatus.NUMBERED, VENDOR_STATES) is ClusterState.UNKNOWN


# --- wait_until -------------------------------------------------------------------------------


def test_ready_after_some_polls_with_backoff() -> None:
    time = FakeTime()
    fetch = states(time, ["Provisioning", "Provisioning", "Provisioning", "Running"])
    result = wait_until(fetch, ready=is_running, timeout=600, clock=time.clock, sleep=time.sleep)
    assert result == "Running"
    assert time.sleeps == [5.0, 7.5, 11.25]


def test_ready_at_once_does_not_sleep() -> None:
    time = FakeTime()
    result = wait_until(
        states(time, ["RUNNING"]), ready=is_running, timeout=1, clock=time.clock, sleep=time.sleep
    )
    assert result == "RUNNING"
    assert time.sleeps == []


def test_backoff_stops_at_max_interval() -> None:
    time = FakeTime()
    fetch = states(time, ["Provisioning"] * 6 + ["Running"])
    wait_until(
        fetch,
        ready=is_running,
        timeout=1000,
        interval=10,
        backoff=2,
        max_interval=30,
        clock=time.clock,
        sleep=time.sleep,
    )
    assert time.sleeps == [10, 20, 30, 30, 30, 30]


def test_timeout_never_sleeps_past_the_deadline_and_polls_at_it() -> None:
    time = FakeTime()
    polled_at: list[float] = []

    def fetch() -> str:
        polled_at.append(time.now - time.start)
        return "Provisioning"

    with pytest.raises(WaitTimeout):
        wait_until(fetch, ready=is_running, timeout=20, clock=time.clock, sleep=time.sleep)
    # 5 and 7.5 by backoff; the third pause (11.25) is cut to the 7.5 seconds left.
    assert time.sleeps == [5.0, 7.5, 7.5]
    assert polled_at == [0.0, 5.0, 12.5, 20.0]
    assert time.now - time.start == 20.0


def test_slow_fetches_still_respect_the_deadline() -> None:
    time = FakeTime()
    fetch = states(time, ["Provisioning"], fetch_takes=4.0)
    with pytest.raises(WaitTimeout, match=r"after 34\.0s"):
        wait_until(fetch, ready=is_running, timeout=30, clock=time.clock, sleep=time.sleep)
    # Polls end at 4, 13 and 24.5; the last pause is cut to the 5.5 seconds left, so the last
    # poll starts at the deadline (30) and only its own duration runs past it.
    assert time.sleeps == [5.0, 7.5, 5.5]
    assert time.now - time.start == 34.0


def test_interval_longer_than_timeout_is_cut_to_the_timeout() -> None:
    time = FakeTime()
    with pytest.raises(WaitTimeout):
        wait_until(
            states(time, ["Provisioning"]),
            ready=is_running,
            timeout=2,
            interval=60,
            max_interval=60,
            clock=time.clock,
            sleep=time.sleep,
        )
    assert time.sleeps == [2]


def test_wait_timeout_carries_what_elapsed_and_last_state() -> None:
    time = FakeTime()
    fetch = states(time, ["Provisioning", "Provisioning", "Updating"])
    with pytest.raises(WaitTimeout) as caught:
        wait_until(
            fetch,
            ready=is_running,
            describe=lambda s: f"state {s}",
            timeout=20,
            clock=time.clock,
            sleep=time.sleep,
            what="cluster 42",
        )
    error = caught.value
    assert error.last_state == "Updating"
    assert str(error) == "cluster 42 not ready after 20.0s (timeout 20.0s); last state: state Updating"
    assert isinstance(error, TimeoutError)


def test_long_waits_are_written_in_minutes() -> None:
    time = FakeTime()
    with pytest.raises(WaitTimeout, match=r"after 30m 0s \(timeout 30m 0s\)"):
        wait_until(states(time, ["x"]), ready=is_running, timeout=1800, clock=time.clock, sleep=time.sleep)


def test_failed_state_raises_cluster_failed_with_its_reason() -> None:
    time = FakeTime()
    fetch = states(time, ["Provisioning", "failed"])

    def failed(state: str) -> str | None:
        return f"state {state}: out of quota" if map_state(state, VENDOR_STATES).is_terminal_failure else None

    with pytest.raises(ClusterFailed) as caught:
        wait_until(
            fetch, ready=is_running, failed=failed, timeout=600, clock=time.clock, sleep=time.sleep, what="c1"
        )
    assert str(caught.value) == "c1 failed: state failed: out of quota"
    assert caught.value.last_state == "failed"
    assert time.sleeps == [5.0]


def test_ready_is_checked_before_failed() -> None:
    time = FakeTime()
    result = wait_until(
        states(time, ["RUNNING"]),
        ready=is_running,
        failed=lambda _: "stale error message",
        timeout=10,
        clock=time.clock,
        sleep=time.sleep,
    )
    assert result == "RUNNING"


def test_gone_ok_ends_a_deletion_wait_with_none() -> None:
    time = FakeTime()
    answers: list[str | None] = ["deleting", "deleting", None]
    progress: list[Progress] = []

    def fetch() -> str:
        answer = answers.pop(0)
        if answer is None:
            raise NotFoundError("cluster not found", status_code=404)
        return answer

    result = wait_until(
        fetch,
        ready=lambda s: s == "deleted",
        gone_ok=True,
        timeout=600,
        clock=time.clock,
        sleep=time.sleep,
        on_progress=progress.append,
    )
    assert result is None
    assert [p.state for p in progress] == ["deleting", "deleting", "gone"]
    assert progress[-1] == Progress("gone", 12.5, 3)


def test_not_found_propagates_without_gone_ok() -> None:
    time = FakeTime()

    def fetch() -> str:
        raise NotFoundError("cluster not found", status_code=404)

    with pytest.raises(NotFoundError):
        wait_until(fetch, ready=is_running, timeout=60, clock=time.clock, sleep=time.sleep)


@pytest.mark.parametrize("gone_ok", [False, True])
def test_other_api_errors_propagate(gone_ok: bool) -> None:
    time = FakeTime()

    def fetch() -> str:
        raise InternalServerError("boom", status_code=503)

    with pytest.raises(InternalServerError):
        wait_until(fetch, ready=is_running, gone_ok=gone_ok, timeout=60, clock=time.clock, sleep=time.sleep)
    assert time.sleeps == []


def test_on_progress_is_called_after_every_poll() -> None:
    time = FakeTime()
    progress: list[Progress] = []
    wait_until(
        states(time, ["Provisioning", "Provisioning", "RUNNING"]),
        ready=is_running,
        describe=lambda s: map_state(s, VENDOR_STATES).value,
        timeout=600,
        clock=time.clock,
        sleep=time.sleep,
        on_progress=progress.append,
    )
    assert progress == [
        Progress("provisioning", 0.0, 1),
        Progress("provisioning", 5.0, 2),
        Progress("running", 12.5, 3),
    ]


def test_unknown_vendor_state_keeps_waiting_as_unknown() -> None:
    time = FakeTime()
    seen: list[str] = []
    result = wait_until(
        states(time, ["Hibernating", "Running"]),
        ready=is_running,
        describe=lambda s: map_state(s, VENDOR_STATES).value,
        timeout=60,
        clock=time.clock,
        sleep=time.sleep,
        on_progress=lambda p: seen.append(p.state),
    )
    assert result == "Running"
    assert seen == ["unknown", "running"]


def test_progress_is_frozen() -> None:
    progress = Progress("running", 1.0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        progress.attempt = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": -5}, "timeout"),
        ({"timeout": math.inf}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": 10, "interval": 0}, "interval"),
        ({"timeout": 10, "interval": 10, "max_interval": 5}, "max_interval"),
        ({"timeout": 10, "backoff": 0.5}, "backoff"),
    ],
)
def test_bad_timing_arguments_are_value_errors(options: dict[str, Any], pattern: str) -> None:
    time = FakeTime()
    calls: list[int] = []

    def fetch() -> str:
        calls.append(1)
        return "RUNNING"

    with pytest.raises(ValueError, match=pattern):
        wait_until(fetch, ready=is_running, clock=time.clock, sleep=time.sleep, **options)
    assert calls == []
