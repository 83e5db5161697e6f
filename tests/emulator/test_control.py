"""The control endpoint: only with the token; bad values refused, nothing changed; stalled bodies end."""

from __future__ import annotations

import json
import socket
import urllib.error
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator, Fault, running
from dbcloud.emulator.acm import LAUNCH_SECONDS


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # The clock moves only when a test moves it (speed 1: a launch takes five real minutes).
    with running(speed=1, body_timeout=0.3) as emulator:
        yield emulator


def _post(emu: Emulator, path: str, payload: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{emu.url}/_emulator{path}", json=payload, headers=headers or {}, timeout=10)


# --- the token ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-the-token"}, {"Authorization": "Basic c29tZW9uZTplbHNl"}],
    ids=["none", "wrong", "other-scheme"],
)
def test_a_control_request_without_the_token_is_refused_and_changes_nothing(
    emu: Emulator, headers: dict[str, str]
) -> None:
    before = emu.app.clock.now()
    answer = _post(emu, "/clock/advance", {"seconds": 3600}, headers)
    assert answer.status_code == 401
    assert "DBCLOUD_EMULATOR_TOKEN" in answer.json()["error"]
    assert emu.token not in answer.text
    assert _post(emu, "/faults", {"api": "acm", "kind": "503", "count": 5}, headers).status_code == 401
    assert httpx.get(f"{emu.url}/_emulator/stats", headers=headers, timeout=10).status_code == 401
    assert emu.app.clock.now() < before + 3600
    assert emu.stats()["acm"]["faults_injected"] == 0
    # The APIs themselves still answer (and no 503 was planted).
    environments = httpx.get(
        f"{emu.env['ACM_API_URL']}/environments", headers={"X-Auth-Token": emu.env["ACM_API_KEY"]}, timeout=10
    )
    assert environments.status_code == 200


def test_the_helper_and_other_processes_use_the_token(emu: Emulator) -> None:
    assert emu.env["DBCLOUD_EMULATOR_TOKEN"] == emu.token
    assert emu.env["DBCLOUD_EMULATOR_URL"] == emu.url
    assert set(emu.control("GET", "/stats")) == set(emu.app.services)
    with_token = {"Authorization": f"Bearer {emu.token}"}
    assert _post(emu, "/clock/advance", {"seconds": 0}, with_token).status_code == 200
    assert emu.token not in repr(emu)


def test_every_run_has_its_own_token() -> None:
    with running() as first, running() as second:
        assert first.token != second.token
        answer = httpx.get(
            f"{second.url}/_emulator/stats", headers={"Authorization": f"Bearer {first.token}"}, timeout=10
        )
        assert answer.status_code == 401


# --- values refused -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds", [float("nan"), float("inf"), float("-inf"), -1, "60", True, None], ids=repr
)
def test_a_clock_advance_that_is_no_time_forward_is_refused(emu: Emulator, seconds: Any) -> None:
    before = emu.control("POST", "/clock/advance", {"seconds": 0})["now"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        emu.control("POST", "/clock/advance", {"seconds": seconds})
    assert refused.value.code == 400
    refused.value.close()
    after = emu.control("POST", "/clock/advance", {"seconds": 0})["now"]
    assert before <= after < before + 60  # it moved on with real time only (speed 1)


def test_after_a_refused_nan_advance_cockroach_creates_and_acm_clusters_become_ready(emu: Emulator) -> None:
    # JSON has no NaN; Python's encoder (like many) writes it anyway, and the server once took it.
    answer = httpx.post(
        f"{emu.url}/_emulator/clock/advance",
        content=b'{"seconds": NaN}',
        headers={"Authorization": f"Bearer {emu.token}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert answer.status_code == 400
    with dbcloud.CockroachCloud(
        api_key=emu.env["COCKROACH_API_KEY"], base_url=emu.env["COCKROACH_SERVER"]
    ) as cc:
        cluster = cc.clusters.create_serverless("after-nan")
        assert cluster.name == "after-nan"
        assert [c.name for c in cc.clusters.list() if c.name == "after-nan"] == ["after-nan"]
    with dbcloud.Altinity(token=emu.env["ACM_API_KEY"], base_url=emu.env["ACM_API_URL"]) as acm:
        launched = acm.clusters.launch(
            176,
            name="after-nan",
            admin_pass="pw-1234567",
            node_type="m5.large",
            nodes=1,
            replicas=1,
            size=100,
        )
        emu.control("POST", "/clock/advance", {"seconds": LAUNCH_SECONDS + 1})
        assert acm.clusters.wait_until_ready(launched.id, interval=0.01, timeout=10).status == "online"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "503", "count": None, "rate": 1.5},
        {"kind": "503", "count": None, "rate": -0.1},
        {"kind": "503", "count": None, "rate": "0.5"},
        {"kind": "503", "count": 1.5},
        {"kind": "503", "count": -1},
        {"kind": "slow", "delay": -2},
        {"kind": "429", "retry_after": -1},
        {"kind": "503", "methods": "GET"},
    ],
    ids=["rate-above-1", "rate-below-0", "rate-text", "count-fraction", "count-negative", "delay-negative",
         "retry-after-negative", "methods-not-a-list"],
)  # fmt: skip
def test_a_fault_with_a_value_out_of_range_is_refused_and_not_added(
    emu: Emulator, rule: dict[str, Any]
) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        emu.control("POST", "/faults", {"api": "acm", **rule})
    assert refused.value.code == 400
    assert "must be" in json.loads(refused.value.read())["error"]
    refused.value.close()
    with dbcloud.Altinity(
        token=emu.env["ACM_API_KEY"], base_url=emu.env["ACM_API_URL"], max_retries=0
    ) as acm:
        assert acm.environments.get(176).name == "emulated-gke"  # no fault fires


def test_a_fault_rate_of_nan_is_refused_in_python_too() -> None:
    with pytest.raises(ValueError, match="rate must be a number between 0 and 1"):
        Fault("503", count=None, rate=float("nan"))


def test_a_control_body_that_is_not_an_object_is_refused(emu: Emulator) -> None:
    answer = _post(emu, "/faults", ["acm", "503"], {"Authorization": f"Bearer {emu.token}"})
    assert answer.status_code == 400
    assert "JSON object" in answer.json()["error"]


# --- stalled bodies -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/acm/api/cluster", "/_emulator/faults"])
def test_a_body_that_never_arrives_gets_408_and_the_connection_closed(emu: Emulator, path: str) -> None:
    port = int(emu.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n{".encode()
        )
        received = b""
        while chunk := client.recv(4096):  # until the server closes the connection
            received += chunk
    assert received.startswith(b"HTTP/1.1 408 ")
    assert b"did not arrive within 0.3 seconds" in received
