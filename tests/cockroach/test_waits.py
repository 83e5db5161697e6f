"""Waits: ready on CREATED, ClusterFailed on CREATION_FAILED, a hard timeout, deletion to DELETED or 404."""

from __future__ import annotations

import httpx
import pytest

import dbcloud

from .conftest import CLUSTER_ID, Clock, FakeCockroach, cluster_json

ONE = f"/api/v1/clusters/{CLUSTER_ID}"
GONE = httpx.Response(404, json={"code": 5, "message": "cluster not found"})


def test_ready_when_created(crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock) -> None:
    fake.on("GET", ONE, cluster_json("CREATING"), cluster_json("CREATING"), cluster_json("CREATED"))
    seen: list[str] = []
    cluster = crdb.clusters.wait_until_ready(CLUSTER_ID, on_progress=lambda p: seen.append(p.state))
    assert cluster.state is dbcloud.ClusterState.RUNNING
    assert seen == ["CREATING", "CREATING", "CREATED"]
    assert clock.sleeps == [10.0, 15.0]  # the first pause, then backoff
    assert len(fake.requests) == 3


def test_locked_is_waited_through(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", ONE, cluster_json("LOCKED"), cluster_json("CREATED"))
    assert crdb.clusters.wait_until_ready(CLUSTER_ID).vendor_state == "CREATED"


def test_creation_failed_raises_cluster_failed(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    fake.on("GET", ONE, cluster_json("CREATING"), cluster_json("CREATION_FAILED"))
    with pytest.raises(dbcloud.ClusterFailed, match="CREATION_FAILED") as caught:
        crdb.clusters.wait_until_ready(CLUSTER_ID)
    assert caught.value.last_state.vendor_state == "CREATION_FAILED"
    assert len(clock.sleeps) == 1


def test_deleted_while_waiting_for_ready_fails(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", ONE, cluster_json("DELETED"))
    with pytest.raises(dbcloud.ClusterFailed, match="deleted"):
        crdb.clusters.wait_until_ready(CLUSTER_ID)


def test_timeout_is_hard(crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock) -> None:
    fake.on("GET", ONE, cluster_json("CREATING"))
    start = clock.now
    with pytest.raises(dbcloud.WaitTimeout, match="CREATING") as caught:
        crdb.clusters.wait_until_ready(CLUSTER_ID, timeout=60)
    assert clock.now - start == 60  # the last pause is cut short so the final poll is at the deadline
    assert caught.value.last_state.state is dbcloud.ClusterState.PROVISIONING
    assert isinstance(caught.value, TimeoutError)


def test_default_timeout_is_an_hour(crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock) -> None:
    fake.on("GET", ONE, cluster_json("CREATING"))
    start = clock.now
    with pytest.raises(dbcloud.WaitTimeout):
        crdb.clusters.wait_until_ready(CLUSTER_ID)
    assert clock.now - start == 3600


def test_rate_limit_during_a_wait_uses_the_same_clock(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    limited = httpx.Response(429, json={"code": 8, "message": "rate limited"}, headers={"Retry-After": "4"})
    fake.on("GET", ONE, cluster_json("CREATING"), limited, cluster_json("CREATED"))
    crdb.clusters.wait_until_ready(CLUSTER_ID)
    assert clock.sleeps == [10.0, 4.0]


def test_deletion_waits_until_deleted(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    fake.on("GET", ONE, cluster_json("CREATED"), cluster_json("DELETED"))
    seen: list[str] = []
    crdb.clusters.wait_until_deleted(CLUSTER_ID, on_progress=lambda p: seen.append(p.state))
    assert seen == ["CREATED", "DELETED"]


def test_deletion_waits_until_gone(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", ONE, cluster_json("CREATED"), GONE)
    seen: list[str] = []
    crdb.clusters.wait_until_deleted(CLUSTER_ID, on_progress=lambda p: seen.append(p.state))
    assert seen == ["CREATED", "gone"]


def test_deletion_timeout(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", ONE, cluster_json("CREATED"))
    with pytest.raises(dbcloud.WaitTimeout):
        crdb.clusters.wait_until_deleted(CLUSTER_ID, timeout=30)


def test_a_missing_cluster_is_not_found_when_waiting_for_ready(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", ONE, GONE)
    with pytest.raises(dbcloud.NotFoundError):
        crdb.clusters.wait_until_ready(CLUSTER_ID)
