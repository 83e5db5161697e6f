"""The ACM facade end to end against the emulator, over real loopback HTTP."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.altinity import AsyncAltinity
from dbcloud.emulator import Emulator, Fault, running
from tests._bridge import Flavour

FAST = {"interval": 0.05, "max_interval": 0.1, "timeout": 120}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # 3,000 emulated seconds per real second: a 300 s launch takes 0.1 s.
    with running(speed=3000) as emulator:
        yield emulator


@pytest.fixture
def acm(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.Altinity]:
    """`Altinity`, and `AsyncAltinity` behind the same API: every test runs on both."""
    emu.clear_faults()
    with flavour.client(
        dbcloud.Altinity, AsyncAltinity, token=emu.env["ACM_API_KEY"], base_url=emu.env["ACM_API_URL"]
    ) as client:
        yield client


def launch(acm: dbcloud.Altinity, name: str, **extra: object) -> int:
    cluster = acm.clusters.launch(
        176, name=name, admin_pass="pw-1234567", node_type="m5.large", nodes=2, replicas=2, size=100, **extra
    )  # type: ignore[arg-type]
    assert cluster.id is not None
    return int(cluster.id)


def test_environments(acm: dbcloud.Altinity) -> None:
    envs = acm.environments.list()
    assert {e.id for e in envs} >= {"175", "176"}
    assert acm.environments.get(176).name == "emulated-gke"
    with pytest.raises(dbcloud.NotFoundError):
        acm.environments.get(999)


def test_launch_wait_get_list_delete(acm: dbcloud.Altinity) -> None:
    cid = launch(acm, "lifecycle")
    assert acm.clusters.status(cid).state is dbcloud.ClusterState.PROVISIONING
    status = acm.clusters.wait_until_ready(cid, **FAST)  # type: ignore[arg-type]
    assert status.ready
    assert (status.healthy, status.checks_passed, status.checks_total) == (True, 7, 7)
    assert status.checks == {}
    assert acm.clusters.get(cid).name == "lifecycle"
    assert str(cid) in [c.id for c in acm.clusters.list(176)]
    acm.clusters.delete(cid)
    acm.clusters.wait_until_deleted(cid, timeout=120)
    with pytest.raises(dbcloud.NotFoundError):
        acm.clusters.get(cid)


def test_both_documented_launches_are_accepted(acm: dbcloud.Altinity) -> None:
    quick_start = acm.clusters.launch(
        176, name="test", nodes=2, shards=1, replicas=2, admin_pass="asdfasdfasdf", secure=True,
        node_type="m5.large", version="", size=100, disks=1, storage_class="gp2-encrypted", lb_type="ingress",
        node_placement="separateNodes", zookeeper="launch",
        zookeeper_options={"tag": "", "size": "multi", "root": "1"},
    )  # fmt: skip
    guide = acm.clusters.launch(
        176, name="api-test", admin_pass="dougspassword", admin_user="admin", https_port=8443,
        instance_type="n2d-standard-2", nodes=2, replicas=2, secure=True, shards=1, size=100,
        tcp_port_secure=9440, version="", zookeeper="launch", zookeeper_options={"tag": "", "size": "single"},
    )  # fmt: skip
    assert quick_start.status == "launching"
    assert guide.status == "launching"


def test_a_failed_launch_raises_cluster_failed(acm: dbcloud.Altinity, emu: Emulator) -> None:
    emu.fail_next_launch("acm")
    cid = launch(acm, "doomed")
    with pytest.raises(dbcloud.ClusterFailed, match="launch failed: nodes did not start"):
        acm.clusters.wait_until_ready(cid, **FAST)  # type: ignore[arg-type]


def test_the_emulator_refuses_what_acm_refuses(acm: dbcloud.Altinity, flavour: Flavour) -> None:
    # Past the facade's own checks, straight to the server: ACM's HTTP 200 carrying an error.
    body = {"name": "x", "nodes": "3", "shards": "1", "replicas": "2", "nodeType": "m5", "adminPass": "p"}
    sent: Any = acm.http_client.post("/environment/176/clusters/launch", json=body)
    # The async client's httpx client is an httpx.AsyncClient: its answer is awaited.
    response = flavour.loop.run_until_complete(sent) if flavour.loop is not None else sent
    assert response.status_code == 200
    assert response.json() == {"data": None, "error": "nodes must equal shards x replicas"}


def test_keys_and_login(acm: dbcloud.Altinity, emu: Emulator) -> None:
    before = len(acm.keys.list())
    key = acm.keys.create(expires_in=dt.timedelta(hours=1))
    assert len(acm.keys.list()) == before + 1
    with dbcloud.Altinity(token=key.key, base_url=emu.env["ACM_API_URL"]) as other:
        assert other.environments.list()
    acm.keys.delete(key)
    assert len(acm.keys.list()) == before
    with dbcloud.Altinity.login(
        "demo@example.com", "demo-password", base_url=emu.env["ACM_API_URL"]
    ) as signed_in:
        assert signed_in.environments.list()
    with pytest.raises(dbcloud.AuthenticationError):
        dbcloud.Altinity.login("demo@example.com", "wrong", base_url=emu.env["ACM_API_URL"])


def test_async_login(emu: Emulator) -> None:
    async def sign_in_and_list(password: str) -> int:
        signing_in = AsyncAltinity.login("demo@example.com", password, base_url=emu.env["ACM_API_URL"])
        async with await signing_in as signed_in:
            return len(await signed_in.environments.list())

    assert asyncio.run(sign_in_and_list("demo-password")) >= 2
    with pytest.raises(dbcloud.AuthenticationError):
        asyncio.run(sign_in_and_list("wrong"))


def test_a_wrong_token_is_refused(emu: Emulator) -> None:
    client = dbcloud.Altinity(token="not-the-token", base_url=emu.env["ACM_API_URL"])
    with client, pytest.raises(dbcloud.AuthenticationError):
        client.environments.list()


# --- faults ---------------------------------------------------------------------------------------


FAULTS = [
    Fault("429", count=1, retry_after=2),
    Fault("429", count=1, retry_after=None, reset_after=3),
    Fault("429", count=1, retry_after=None, reset_after=4, reset_epoch=True),
    Fault("500", count=1),
    Fault("502", count=1),
    Fault("503", count=2),
    Fault("504", count=1),
    Fault("reset", count=1),
    Fault("slow", count=1, delay=0.2),
]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.kind}x{f.count}")
def test_a_get_survives_every_fault(
    acm: dbcloud.Altinity, emu: Emulator, fault: Fault, flavour: Flavour
) -> None:
    waits: list[float] = []
    flavour.set_sleep(acm, waits.append)
    emu.add_fault("acm", dataclasses.replace(fault))  # a copy: a fault counts down as it fires
    if fault.kind == "500":
        # 500 is not a retryable status: the error reaches the caller, and the next call works.
        with pytest.raises(dbcloud.InternalServerError):
            acm.environments.list()
    assert acm.environments.list()
    if fault.kind == "429":
        assert 0 < waits[0] <= (fault.retry_after or fault.reset_after) + 1


def test_a_rate_limited_launch_is_sent_once_more_and_launches_once(
    acm: dbcloud.Altinity, emu: Emulator, flavour: Flavour
) -> None:
    # A 429 is the server refusing before it did anything: one repeat, one cluster.
    waits: list[float] = []
    flavour.set_sleep(acm, waits.append)
    before = emu.stats()["acm"]
    emu.add_fault("acm", Fault("429", count=1, methods=("POST",), retry_after=3))
    assert launch(acm, "limited-once")
    after = emu.stats()["acm"]
    assert after["creates"] == before["creates"] + 1
    assert after["faults_injected"] == before["faults_injected"] + 1
    assert after["requests"] == before["requests"] + 1  # the fault answered the first attempt
    assert waits == [3]


@pytest.mark.parametrize("kind", ["503", "reset"])
def test_a_launch_is_attempted_exactly_once(acm: dbcloud.Altinity, emu: Emulator, kind: str) -> None:
    creates = emu.stats()["acm"]["creates"]
    emu.add_fault("acm", Fault(kind, count=1, methods=("POST",)))
    with pytest.raises(dbcloud.APIError):
        launch(acm, f"once-{kind}")
    # The fault answered instead of the server, and the facade did not try again.
    assert emu.stats()["acm"]["creates"] == creates
    launch(acm, f"then-{kind}")
    assert emu.stats()["acm"]["creates"] == creates + 1


def test_a_slow_answer_times_out(acm: dbcloud.Altinity, emu: Emulator) -> None:
    emu.add_fault("acm", Fault("slow", count=3, delay=0.5))
    with pytest.raises(dbcloud.APITimeoutError):
        acm.with_options(timeout=0.1, max_retries=0).environments.list()


# --- bad input never makes a 500 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "content", "status"),
    [
        ("POST", "/176/cluster-launch", b"{not json", 400),
        ("POST", "/176/cluster-launch", b'{"name": 5}', 400),
        ("POST", "/176/cluster-launch", b'{"name": "x", "nodes": "two"}', 400),
        ("POST", "/176/cluster-launch", b'["a", "list"]', 400),
        ("POST", "/176/cluster-launch", b"x" * (1 << 21), 413),
        ("GET", "/cluster/..%2F..%2Fetc", None, 404),
        ("GET", "/cluster/abc", None, 404),
        ("GET", "/no/such/endpoint", None, 404),
        ("PATCH", "/environments", None, 405),
    ],
)
def test_bad_requests_get_acm_errors(
    emu: Emulator, method: str, path: str, content: bytes | None, status: int
) -> None:
    headers = {"X-Auth-Token": emu.env["ACM_API_KEY"], "Content-Type": "application/json"}
    response = httpx.request(method, emu.env["ACM_API_URL"] + path, content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["data"] is None
    assert response.json()["error"]


def test_every_acm_operation_answers(emu: Emulator) -> None:
    """Operations without state still answer, with a body shaped by the spec's response model."""
    from dbcloud_acm_client import _routes

    headers = {"X-Auth-Token": emu.env["ACM_API_KEY"]}
    with httpx.Client(base_url=emu.env["ACM_API_URL"], headers=headers) as client:
        answered = sum(_answers(client, route) for route in _routes.ROUTES)
    assert answered > 250


def _answers(client: httpx.Client, route: Any) -> bool:
    if route.body is not None and route.body[2]:
        return False  # needs a body: covered by the launch tests and the conformance test
    path = route.path
    for _, name, kind in route.path_params:
        path = path.replace("{" + name + "}", "176" if kind == "int" else "x")
    response = client.request(route.method, path)
    assert response.status_code < 500, (route.name, response.text)
    return True
