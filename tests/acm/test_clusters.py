"""Clusters: list/get/delete, status from ACM's three sources, and the readiness wait."""

from __future__ import annotations

import httpx
import pytest

import dbcloud

from .conftest import Clock, FakeACM, envelope


def cluster(status: str) -> dict[str, object]:
    return {"id": "42", "name": "api-test", "status": status, "nodes": "2", "secure": "0"}


def action(id_: int, name: str, *, success: object = None, confirmed: object = None, error: str = "") -> dict:  # type: ignore[type-arg]
    return {"id": id_, "action": name, "success": success, "confirmed": confirmed, "error": error}


def test_list_and_get_coerce_acm_strings(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environment/176/clusters", [cluster("online")])
    fake.on("GET", "/cluster/42", cluster("online"))
    (listed,) = acm.clusters.list("176")
    got = acm.clusters.get(42)
    assert (listed.id, got.id, got.secure) == ("42", "42", False)
    assert got.nodes == 2  # ACM's text count, as a number
    assert got.model.nodes == "2"  # the generated model keeps the spec's text


def test_delete_terminates_by_default(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("DELETE", "/cluster/42/1", envelope(True))
    fake.on("DELETE", "/cluster/42/0", envelope(True))
    acm.clusters.delete(42)
    acm.clusters.delete(42, terminate=False)
    assert [r.url.path for r in fake.requests] == ["/api/cluster/42/1", "/api/cluster/42/0"]


@pytest.mark.parametrize("bad", [0, -3, "4/../5", "%2F..", True, None])
def test_bad_cluster_ids_are_refused(acm: dbcloud.Altinity, fake: FakeACM, bad: object) -> None:
    with pytest.raises(dbcloud.ValidationError, match="cluster id"):
        acm.clusters.get(bad)  # type: ignore[arg-type]
    assert fake.requests == []


def serve_status(fake: FakeACM, status: str, actions: list, health: object) -> None:  # type: ignore[type-arg]
    fake.on("GET", "/cluster/42", cluster(status))
    fake.on("GET", "/cluster/42/log", actions)
    fake.on("GET", "/cluster/42/status", health)


def test_status_combines_record_action_and_health(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    serve_status(
        fake,
        "online",
        [action(1, "launch", success=True), action(2, "rescale")],
        {"checks": {"ping": True, "replication": "0"}},
    )
    status = acm.clusters.status(42)
    assert status.state is dbcloud.ClusterState.RUNNING
    assert status.last_action == "rescale"
    assert status.action_done is False
    assert status.checks == {"ping": True, "replication": False}
    assert status.healthy is False
    assert not status.ready
    assert "rescale running" in status.describe()


def test_online_is_not_ready_while_an_action_runs(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    serve_status(fake, "online", [action(5, "launch")], {"healthy": True})
    assert not acm.clusters.status(42).ready


def test_unknown_status_word_is_unknown_not_an_error(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    serve_status(fake, "hibernating-new-state", [], None)
    assert acm.clusters.status(42).state is dbcloud.ClusterState.UNKNOWN


def test_wait_reaches_ready(acm: dbcloud.Altinity, fake: FakeACM, clock: Clock) -> None:
    fake.on(
        "GET",
        "/cluster/42",
        envelope(cluster("launching")),
        envelope(cluster("online")),
        envelope(cluster("online")),
    )
    fake.on(
        "GET",
        "/cluster/42/log",
        envelope([action(1, "launch")]),
        envelope([action(1, "launch")]),
        envelope([action(1, "launch", success=True)]),
    )
    fake.on(
        "GET",
        "/cluster/42/status",
        envelope({"healthy": False}),
        envelope({"healthy": False}),
        envelope({"healthy": True}),
    )
    seen: list[str] = []
    status = acm.clusters.wait_until_ready(42, on_progress=lambda p: seen.append(p.state))
    assert status.ready
    assert len(seen) == 3
    assert clock.sleeps == [5.0, 7.5]


def test_wait_stops_on_a_failed_launch(acm: dbcloud.Altinity, fake: FakeACM, clock: Clock) -> None:
    serve_status(fake, "launching", [action(1, "launch", success=False, error="quota exceeded for n2d")], {})
    with pytest.raises(dbcloud.ClusterFailed, match="launch failed: quota exceeded for n2d") as caught:
        acm.clusters.wait_until_ready(42)
    assert caught.value.last_state.cluster_id == "42"
    assert clock.sleeps == []


def test_wait_times_out(acm: dbcloud.Altinity, fake: FakeACM, clock: Clock) -> None:
    serve_status(fake, "launching", [action(1, "launch")], {})
    with pytest.raises(dbcloud.WaitTimeout, match="ACM cluster 42 not ready") as caught:
        acm.clusters.wait_until_ready(42, timeout=60)
    assert sum(clock.sleeps) == pytest.approx(60)
    assert caught.value.last_state.status == "launching"


def test_wait_for_deletion_ends_when_the_cluster_is_gone(
    acm: dbcloud.Altinity, fake: FakeACM, clock: Clock
) -> None:
    fake.on(
        "GET",
        "/cluster/42",
        envelope(cluster("terminating")),
        httpx.Response(404, json={"error": "Cluster not found"}),
    )
    fake.on("GET", "/cluster/42/log", [])
    fake.on("GET", "/cluster/42/status", {})
    acm.clusters.wait_until_deleted(42)
    assert len(clock.sleeps) == 1
