"""200 calls per API against an emulator that fails 20 % of requests (429, 502/503/504, resets).

What a user relies on: every idempotent call gets through on retries; every create is sent exactly
once (a failed one raises a typed error and is not repeated, since a repeat could create twice);
nothing but a `dbcloud.DBCloudError` ever leaves the facade. Pauses run on the emulated clock.

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
from dbcloud.emulator import Fault, running

from ._clients import APIS, Wire, connect
from ._figures import Figures
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
def test_faults_are_retried_and_creates_sent_once(api: str, figures: Figures) -> None:
    wire = Wire(api)
    # An emulator per API, seeded apart, so that each API meets its own sequence of faults.
    with (
        running(speed=1, seed=APIS.index(api) + 1) as emu,
        httpx.Client(transport=wire) as http,
        connect(api, emu, http_client=http) as base,
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

    figures.add(
        "faults",
        api=api,
        calls=f"{tally.idempotent} idempotent + {tally.creates} creates",
        faults=f"{injected} of {wire.total} requests ({injected / wire.total:.0%})",
        idempotent_ok=f"{tally.idempotent - len(tally.idempotent_failures)}/{tally.idempotent}",
        most_retries=f"{wire.most_retries} (budget {BUDGET})",
        creates=f"{tally.creates} called, {wire.creates} sent, {seen['creates']} made",
        create_errors=", ".join(f"{n}×{k}" for k, n in sorted(tally.create_errors.items())) or "none",
        escaped=len(tally.escaped),
        pauses=f"{base._sleep.count}, {base._sleep.seconds:.0f} s emulated",
    )
    assert tally.escaped == [], "only dbcloud errors may leave the facade"
    assert tally.idempotent_failures == [], "idempotent calls get through on retries"
    assert wire.creates == tally.creates, "each create call is sent exactly once"
    assert seen["creates"] == tally.created, "the emulator made one object per successful create"
    assert sum(tally.create_errors.values()) == tally.creates - tally.created
    assert set(tally.create_errors) <= TYPED_FAULTS
    assert seen["requests"] + seen["faults_injected"] == wire.total, "the emulator saw what was sent"
    # The run exercised what it claims to: faults hit creates and idempotent calls alike.
    assert tally.create_errors, "some creates met a fault"
    assert wire.most_retries >= 2, "some requests needed several retries"
