"""Faults against the emulator: 20 % of 200 calls per API, and one fault on one write.

What a user relies on: every idempotent call gets through on retries; a write (a create, a
ClickHouse Cloud PATCH) that meets a 429 is repeated, since the server refused it before acting, and
succeeds with one object made; a create that meets anything else (502/503/504, a reset) is sent once
and raises a typed error, since a repeat could create twice; a 429 that is not retried tells the
caller how long to wait (`RateLimitError.retry_after`); nothing but a `dbcloud.DBCloudError` ever
leaves the facade. Pauses run on the emulated clock. Every case runs on the sync client and on its
async twin (the `flavour` fixture), over the same counting wire.

500 is not in the mix: it is not retried by design (README, "Retries"), so an idempotent call
meeting one fails with `InternalServerError`, which is not what this run measures.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator, Fault, running
from dbcloud.emulator.clickhouse import ORG_ID
from tests._bridge import Flavour

from ._clients import APIS, Pauses, Wire, connect
from ._figures import Figures
from ._flavoured_emu import http_over
from ._workloads import WORKLOADS, Workload

CALLS = 200
CREATE_EVERY = 10  # calls 0, 10, 20, ...: 20 creates in 200 calls
DELETE_AT = 5  # calls 5, 15, 25, ...: delete an object created earlier (an idempotent DELETE)
FAILURE_RATE = 0.2
FAULTS: tuple[dict[str, Any], ...] = (
    {"kind": "429", "retry_after": 1.0},  # Retry-After
    {"kind": "429", "retry_after": None, "reset_after": 2.0},  # X-RateLimit-Reset
    {"kind": "502"},
    {"kind": "503"},
    {"kind": "504"},
    {"kind": "reset"},  # the connection is cut mid-answer
)
# Rules are drawn one after the other, so each gets the rate that makes their union FAILURE_RATE.
RULE_RATE = 1 - (1 - FAILURE_RATE) ** (1 / len(FAULTS))

# Requests the whole run may send (ACM's status() is three GETs per call), and the risk accepted
# that any one of them meets a fault on every attempt.
REQUESTS_BOUND = len(APIS) * CALLS * 3
RISK = 1e-6


def retry_budget(rate: float, requests: int, risk: float) -> int:
    """The fewest retries after which `requests` requests, each attempt failing independently with
    probability `rate`, all get through except with probability at most `risk` (union bound)."""
    attempts = math.ceil(math.log(risk / requests) / math.log(rate))
    return attempts - 1


BUDGET = retry_budget(FAILURE_RATE, REQUESTS_BOUND, RISK)
TYPED_FAULTS = {"RateLimitError", "InternalServerError", "APIConnectionError"}


@dataclass(frozen=True)
class Attempt:
    method: str
    url: str
    body: bytes
    status: int
    create: bool  # a POST, or for Anywhere a mutation (as `Wire` counts them)


class RecordingWire(Wire):
    """A `Wire` that also keeps each attempt: its request, answer status and whether it creates."""

    def __init__(self, api: str) -> None:
        super().__init__(api)
        self.attempts: list[Attempt] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        creates = self.creates
        return self._kept(request, super().handle_request(request), creates)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        creates = self.creates
        return self._kept(request, await super().handle_async_request(request), creates)

    def _kept(self, request: httpx.Request, response: httpx.Response, creates_before: int) -> httpx.Response:
        create = self.creates > creates_before
        attempt = Attempt(request.method, str(request.url), request.content, response.status_code, create)
        self.attempts.append(attempt)
        return response

    @property
    def limited_creates(self) -> int:
        """Create attempts answered 429."""
        return sum(a.create and a.status == 429 for a in self.attempts)

    def reset(self) -> None:
        super().reset()
        self.attempts.clear()


@dataclass
class Tally:
    idempotent: int = 0
    idempotent_failures: list[str] = field(default_factory=list)
    creates: int = 0
    created: int = 0
    create_errors: Counter[str] = field(default_factory=Counter)
    escaped: list[str] = field(default_factory=list)


def run(work: Workload, calls: int) -> Tally:
    tally = Tally()
    alive: list[str] = []
    for n in range(calls):
        create = n % CREATE_EVERY == 0
        call: Callable[[], object]
        if create:
            label, call = "create", partial(work.create, n)
        elif n % CREATE_EVERY == DELETE_AT and alive and work.delete is not None:
            label, call = "delete", partial(work.delete, alive.pop(0))
        else:
            label, call = work.idempotent[n % len(work.idempotent)]
        tally.creates += create
        tally.idempotent += not create
        try:
            result = call()
        except dbcloud.DBCloudError as exc:
            if create:
                tally.create_errors[type(exc).__name__] += 1
            else:
                tally.idempotent_failures.append(f"{label}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # what the property forbids: recorded, then asserted on
            tally.escaped.append(f"{label}: {type(exc).__name__}: {exc}")
        else:
            if create:
                tally.created += 1
                alive.append(str(result))
    return tally


def test_the_budget_covers_the_failure_rate() -> None:
    # 20 % failures, 3,000 requests: 14 attempts (13 retries) each leave a one-in-a-million chance
    # that any request fails; one retry fewer would not.
    assert REQUESTS_BOUND * FAILURE_RATE ** (BUDGET + 1) <= RISK < REQUESTS_BOUND * FAILURE_RATE**BUDGET


@pytest.mark.parametrize("api", APIS)
def test_faults_are_retried_and_creates_repeated_only_after_a_429(
    api: str, flavour: Flavour, figures: Figures
) -> None:
    wire = RecordingWire(api)
    # An emulator per API, seeded apart, so that each API meets its own sequence of faults.
    with (
        running(speed=1, seed=APIS.index(api) + 1) as emu,
        http_over(wire, flavour) as http,
        connect(api, emu, flavour, http_client=http) as base,
    ):
        client = base.with_options(max_retries=BUDGET)
        work = WORKLOADS[api](client)  # set-up, before any fault
        wire.reset()
        before = emu.stats()[api]
        for fault in FAULTS:
            emu.add_fault(api, Fault(**fault, count=None, rate=RULE_RATE))
        tally = run(work, CALLS)
        after = emu.stats()[api]
    seen = {name: after[name] - before[name] for name in after}
    injected = seen["faults_injected"]
    # Each create is sent once, plus once more after every 429 it met but the last (its budget spent).
    repeats = wire.limited_creates - tally.create_errors["RateLimitError"]

    figures.add(
        "faults",
        api=api,
        flavour=flavour.name,
        calls=f"{tally.idempotent} idempotent + {tally.creates} creates",
        faults=f"{injected} of {wire.total} requests ({injected / wire.total:.0%})",
        idempotent_ok=f"{tally.idempotent - len(tally.idempotent_failures)}/{tally.idempotent}",
        most_retries=f"{wire.most_retries} (budget {BUDGET})",
        creates=f"{tally.creates} called, {wire.creates} sent ({repeats} after 429), {seen['creates']} made",
        create_errors=", ".join(f"{n}×{k}" for k, n in sorted(tally.create_errors.items())) or "none",
        escaped=len(tally.escaped),
        pauses=f"{base._sleep.count}, {base._sleep.seconds:.0f} s emulated",
    )
    assert tally.escaped == [], "only dbcloud errors may leave the facade"
    assert tally.idempotent_failures == [], "idempotent calls get through on retries"
    assert wire.creates == tally.creates + repeats, "a create is repeated only after a 429"
    assert seen["creates"] == tally.created, "the emulator made one object per successful create"
    assert sum(tally.create_errors.values()) == tally.creates - tally.created
    assert set(tally.create_errors) <= TYPED_FAULTS
    assert seen["requests"] + seen["faults_injected"] == wire.total, "the emulator saw what was sent"
    # The run exercised what it claims to: faults hit creates and idempotent calls alike. (Whether
    # they were 429s, repeated, or others, raised, depends on the seed: the tests above pin each.)
    assert tally.create_errors or repeats, "some creates met a fault"
    assert wire.most_retries >= 2, "some requests needed several retries"


# --- one fault on one write -------------------------------------------------------------------------

MANAGED = "clickstack-managed"  # managed ClickStack: served by the emulated ClickHouse Cloud


@dataclass(frozen=True)
class Write:
    """One write through a facade: `prepare(client)` does its set-up and returns the call itself."""

    facade: str  # an API of `APIS`, or MANAGED
    method: str  # the method of the request that changes something
    prepare: Callable[[Any], Callable[[], object]]
    creates: int = 1  # objects the emulator makes for it


def _emulated(facade: str) -> str:
    return "clickhouse" if facade == MANAGED else facade


def _service(cloud: Any) -> str:
    return str(next(s.id for s in cloud.services.list() if s.name == "emulated-service"))


def _workload_create(api: str) -> Callable[[Any], Callable[[], object]]:
    return lambda client: partial(WORKLOADS[api](client).create, 1)


WRITES = {
    "acm-launch": Write("acm", "POST", _workload_create("acm")),
    "anywhere-mutation": Write("anywhere", "POST", _workload_create("anywhere")),
    "clickhouse-key-create": Write("clickhouse", "POST", _workload_create("clickhouse")),
    "clickhouse-service-create": Write(
        "clickhouse",
        "POST",
        lambda cloud: partial(
            cloud.services.create, name="rel-once", provider="aws", region="us-east-1", idle_scaling=False
        ),
    ),
    "clickhouse-state": Write(
        "clickhouse", "PATCH", lambda cloud: partial(cloud.services.stop, _service(cloud)), creates=0
    ),
    "clickhouse-scaling": Write(
        "clickhouse",
        "PATCH",
        lambda cloud: partial(cloud.services.set_scaling, _service(cloud), num_replicas=3),
        creates=0,
    ),
    "clickstack-dashboard-create": Write("clickstack", "POST", _workload_create("clickstack")),
    "clickstack-managed-dashboard-create": Write(MANAGED, "POST", _workload_create("clickstack")),
    "cockroach-cluster-create": Write("cockroach", "POST", _workload_create("cockroach")),
}
CREATES = {name: write for name, write in WRITES.items() if write.creates}


def test_every_api_has_a_write_and_a_read() -> None:
    # APIS is the registry's list; these two tables name their vendors by hand.
    assert {write.facade for write in WRITES.values()} - {MANAGED} == set(APIS)
    assert set(READS) == set(APIS)


def _facade(facade: str, emu: Emulator, flavour: Flavour, http: httpx.Client) -> Any:
    if facade != MANAGED:
        return connect(facade, emu, flavour, http_client=http)
    with connect("clickhouse", emu, flavour, http_client=http) as cloud:
        service = _service(cloud)
    env = emu.env
    stack = flavour.twin(dbcloud.ClickStack).managed(
        ORG_ID,
        service,
        key_id=env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=env["CLICKHOUSE_API_URL"],
        http_client=http,
    )
    flavour.set_sleep(stack, Pauses(emu))
    return stack


def _is_the_write(write: Write, attempt: Attempt) -> bool:
    # Anywhere's queries are POSTs too: of the POSTs, only creates are the write's.
    return attempt.create if write.method == "POST" else attempt.method == write.method


@dataclass
class Outcome:
    result: object | dbcloud.DBCloudError
    attempts: list[Attempt]  # those of the write's method, after its set-up
    made: int  # objects the emulator made
    injected: int
    paused: float  # emulated seconds the client paused


def _write_meeting(write: Write, fault: Fault, flavour: Flavour) -> Outcome:
    """Run `write` on a fresh emulator with `fault` armed for its method, after its set-up."""
    api = _emulated(write.facade)
    wire = RecordingWire(api)
    with (
        running(speed=1) as emu,
        http_over(wire, flavour) as http,
        _facade(write.facade, emu, flavour, http) as client,
    ):
        call = write.prepare(client)
        wire.reset()
        before = emu.stats()[api]
        emu.add_fault(api, fault)
        result: object | dbcloud.DBCloudError
        try:
            result = call()
        except dbcloud.DBCloudError as exc:
            result = exc
        after = emu.stats()[api]
    return Outcome(
        result=result,
        attempts=[a for a in wire.attempts if _is_the_write(write, a)],
        made=after["creates"] - before["creates"],
        injected=after["faults_injected"] - before["faults_injected"],
        paused=client._sleep.seconds,
    )


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES)
def test_a_write_meeting_one_429_is_repeated_once_and_acts_once(write: Write, flavour: Flavour) -> None:
    outcome = _write_meeting(write, Fault("429", count=1, retry_after=3.0, methods=(write.method,)), flavour)
    assert not isinstance(outcome.result, dbcloud.DBCloudError), outcome.result
    assert [a.status for a in outcome.attempts] == [429, outcome.attempts[-1].status]
    assert outcome.attempts[-1].status < 300
    first, repeat = outcome.attempts
    assert (first.url, first.body) == (repeat.url, repeat.body), "the repeat sends the same request"
    assert outcome.injected == 1
    assert outcome.made == write.creates, "one object made, not two"
    assert outcome.paused == 3.0, "the client waited what Retry-After said"


@pytest.mark.parametrize("kind", ["503", "reset"])
@pytest.mark.parametrize("write", CREATES.values(), ids=CREATES)
def test_a_create_meeting_a_5xx_or_a_reset_is_sent_once(write: Write, kind: str, flavour: Flavour) -> None:
    outcome = _write_meeting(write, Fault(kind, count=1, methods=("POST",)), flavour)
    assert isinstance(outcome.result, dbcloud.InternalServerError | dbcloud.APIConnectionError)
    assert len(outcome.attempts) == 1, "a create that may have acted is not repeated"
    assert outcome.injected == 1
    assert outcome.made == 0
    assert outcome.paused == 0


# A read per API: the 429 below must reach the caller, whatever the method.
READS: dict[str, Callable[[Any], object]] = {
    "acm": lambda acm: acm.environments.list(),
    "anywhere": lambda anywhere: anywhere.aws.list(),
    "clickhouse": lambda cloud: cloud.organizations.list(),
    "clickstack": lambda stack: stack.dashboards.list(),
    "cockroach": lambda crdb: list(crdb.clusters.list()),
}


@pytest.mark.parametrize(
    "fault",
    [
        Fault("429", count=None, rate=1.0, retry_after=5.0),
        Fault("429", count=None, rate=1.0, retry_after=None, reset_after=5.0),
    ],
    ids=["retry-after", "x-ratelimit-reset"],
)
@pytest.mark.parametrize("api", APIS)
def test_a_429_that_is_not_retried_says_how_long_to_wait(
    api: str, fault: Fault, emu: Emulator, flavour: Flavour
) -> None:
    with connect(api, emu, flavour, max_retries=0) as client:
        emu.add_fault(api, fault)
        try:
            with pytest.raises(dbcloud.RateLimitError) as caught:
                READS[api](client)
        finally:
            emu.clear_faults()
    assert caught.value.status_code == 429
    assert caught.value.retry_after == 5.0
