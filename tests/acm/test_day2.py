"""Day-2 cluster operations: update, rescale, upgrade, restart, stop, resume and their waits."""

from __future__ import annotations

import httpx
import pytest

import dbcloud

from .conftest import Clock, FakeACM, body, envelope, query


def record(status: str = "online", **extra: object) -> dict[str, object]:
    return {
        "id": "42",
        "name": "day2",
        "status": status,
        "nodes": "2",
        "shards": "1",
        "replicas": "2",
        **extra,
    }


IDLE = {
    # ACM's idle status answer after an operation (a live capture in the community Terraform
    # provider's tests): "Completed" with the step counter back at 0.
    "health": {"total": 7, "passed": 7},
    "action": "Completed",
    "actionProgress": {"total": 2, "completed": "0", "percent": 0},
}
RUNNING = {
    "health": {"total": "7", "passed": "3"},
    "action": "Rescale cluster",
    "actionProgress": {"total": "3", "completed": "1", "percent": 33},
}


def test_update_posts_the_fields_given_as_json(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("POST", "/cluster/42", record(role="dev"))
    got = acm.clusters.update(42, name="day2", role="dev", ip_whitelist="", mysql_port=9004, timezone="UTC")
    (sent,) = fake.sent("POST", "/cluster/42")
    assert sent.headers["content-type"] == "application/json"
    assert not sent.url.params
    assert body(sent) == {
        "name": "day2",
        "role": "dev",
        "ipWhitelist": "",
        "mysqlPort": "9004",
        "timezone": "UTC",
    }
    assert (got.id, got.raw["role"]) == ("42", "dev")


def test_update_answered_without_a_record_reads_the_cluster(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("POST", "/cluster/42", envelope(True))
    fake.on("GET", "/cluster/42", record())
    assert acm.clusters.update(42, uptime="always").status == "online"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "cluster_id"),
        ({"name": "Bad_Name"}, "name"),
        ({"role": "staging"}, "role"),
        ({"mysql_port": 70000}, "mysql_port"),
        ({"mysql_port": True}, "mysql_port"),
        ({"timezone": "UTC\r\nX: y"}, "timezone"),
        ({"lb_type": ""}, "lb_type"),
    ],
)
def test_update_refuses_bad_input_before_sending(
    acm: dbcloud.Altinity, fake: FakeACM, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as caught:
        acm.clusters.update(42, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert fake.requests == []


def test_rescale_sends_query_fields_as_acmctl(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("PUT", "/cluster/42/rescale", envelope(True))
    fake.on("GET", "/cluster/42", record("pending", shards="2", nodes="4"))
    got = acm.clusters.rescale(42, shards=2, replicas=2, node_type="n2d-standard-4", size=200, only_new=False)
    (sent,) = fake.sent("PUT", "/cluster/42/rescale")
    assert query(sent) == {
        "shards": "2",
        "replicas": "2",
        "nodeType": "n2d-standard-4",
        "size": "200",
        "onlyNew": "false",
    }
    assert "nodes" not in query(sent)  # ACM derives it from shards x replicas
    assert not sent.content
    assert (got.state, got.nodes) == (dbcloud.ClusterState.PENDING, 4)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"shards": 0},
        {"replicas": -1},
        {"size": "100"},
        {"disks": True},
        {"node_type": ""},
        {"only_new": "yes"},
    ],
)
def test_rescale_refuses_bad_input(acm: dbcloud.Altinity, fake: FakeACM, kwargs: dict[str, object]) -> None:
    with pytest.raises(dbcloud.ValidationError):
        acm.clusters.rescale(42, **kwargs)  # type: ignore[arg-type]
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call", "path", "params"),
    [
        (lambda a: a.clusters.upgrade(42, "24.8.14", image="altinity/clickhouse:24.8"), "upgrade",
         {"version": "24.8.14", "image": "altinity/clickhouse:24.8"}),
        (lambda a: a.clusters.restart(42), "restart", {}),
        (lambda a: a.clusters.restart(42, method="rolling"), "restart", {"method": "rolling"}),
        (lambda a: a.clusters.stop(42), "stop", {}),
        (lambda a: a.clusters.resume(42, node_type="m5.xlarge", shards=1), "resume",
         {"nodeType": "m5.xlarge", "shards": "1"}),
    ],
)  # fmt: skip
def test_operations_send_put_with_query_fields(
    acm: dbcloud.Altinity, fake: FakeACM, call: object, path: str, params: dict[str, str]
) -> None:
    fake.on("PUT", f"/cluster/42/{path}", envelope(True))
    fake.on("GET", "/cluster/42", record())
    got = call(acm)  # type: ignore[operator]
    (sent,) = fake.sent("PUT", f"/cluster/42/{path}")
    assert query(sent) == params
    assert got.id == "42"


@pytest.mark.parametrize("verb", ["rescale", "upgrade", "restart", "stop", "resume"])
def test_operations_are_sent_once_after_a_5xx(acm: dbcloud.Altinity, fake: FakeACM, verb: str) -> None:
    fake.on("PUT", f"/cluster/42/{verb}", httpx.Response(502, json={"data": None, "error": "bad gateway"}))
    call = {
        "rescale": lambda: acm.clusters.rescale(42, shards=2),
        "upgrade": lambda: acm.clusters.upgrade(42, "24.8"),
        "restart": lambda: acm.clusters.restart(42),
        "stop": lambda: acm.clusters.stop(42),
        "resume": lambda: acm.clusters.resume(42),
    }[verb]
    with pytest.raises(dbcloud.APIStatusError):
        call()
    assert len(fake.sent("PUT", f"/cluster/42/{verb}")) == 1


def test_a_refusal_sent_as_http_200_is_an_error(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("PUT", "/cluster/42/stop", envelope(None, "Cluster is already stopped"))
    with pytest.raises(dbcloud.APIStatusError, match="already stopped"):
        acm.clusters.stop(42)
    assert fake.sent("GET", "/cluster/42") == []


def test_upgrade_needs_a_version(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    with pytest.raises(dbcloud.ValidationError):
        acm.clusters.upgrade(42, "")
    with pytest.raises(dbcloud.ValidationError):
        acm.clusters.upgrade("x", "24.8")
    assert fake.requests == []


def test_rescale_wait_polls_until_completed(acm: dbcloud.Altinity, fake: FakeACM, clock: Clock) -> None:
    fake.on("PUT", "/cluster/42/rescale", envelope(True))
    fake.on("GET", "/cluster/42", record("pending"), record("pending"), record("online"))
    fake.on("GET", "/cluster/42/log", [{"id": 1, "action": "rescale", "success": None}],
            [{"id": 1, "action": "rescale", "success": True}])  # fmt: skip
    fake.on("GET", "/cluster/42/status", RUNNING, IDLE)
    got = acm.clusters.rescale(42, replicas=3, wait=True)
    assert got.state is dbcloud.ClusterState.RUNNING
    assert clock.sleeps  # it waited


def test_completed_idle_answer_is_done_although_its_counter_is_zero(
    acm: dbcloud.Altinity, fake: FakeACM
) -> None:
    fake.on("GET", "/cluster/42", record())
    fake.on("GET", "/cluster/42/log", [{"id": 3, "action": "upgrade", "success": True}])
    fake.on("GET", "/cluster/42/status", IDLE)
    assert acm.clusters.status(42).ready


def test_stop_wait_ends_when_stopped(acm: dbcloud.Altinity, fake: FakeACM, clock: Clock) -> None:
    fake.on("PUT", "/cluster/42/stop", envelope(True))
    fake.on("GET", "/cluster/42", record("stopping"), record("stopped"))
    fake.on("GET", "/cluster/42/log", [{"id": 2, "action": "stop", "success": None}],
            [{"id": 2, "action": "stop", "success": True, "confirmed": True}])  # fmt: skip
    fake.on("GET", "/cluster/42/status", {"health": {"total": "7", "passed": "0"}, "action": "Completed"})
    got = acm.clusters.stop(42, wait=True)
    assert got.state is dbcloud.ClusterState.STOPPED


def test_unknown_status_words_and_nulls_read(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("PUT", "/cluster/42/restart", envelope(True))
    fake.on("GET", "/cluster/42", record("hibernating", nodes=None, shards=None))
    got = acm.clusters.restart(42)
    assert (got.state, got.nodes, got.shards) == (dbcloud.ClusterState.UNKNOWN, None, None)


def test_a_wait_does_not_end_on_a_first_poll_that_still_shows_the_cluster_as_it_was(
    acm: dbcloud.Altinity, fake: FakeACM, clock: Clock
) -> None:
    # ACM may turn the cluster "pending" a moment after the PUT: the first poll sees it ready.
    fake.on("PUT", "/cluster/42/upgrade", envelope(True))
    fake.on("GET", "/cluster/42", record("online"), record("online"), record("pending"), record("online"))
    fake.on("GET", "/cluster/42/log", [{"id": 1, "action": "launch", "success": True}],
            [{"id": 1, "action": "launch", "success": True}],
            [{"id": 2, "action": "upgrade", "success": None}],
            [{"id": 2, "action": "upgrade", "success": True}])  # fmt: skip
    fake.on("GET", "/cluster/42/status", IDLE, IDLE, RUNNING, IDLE)
    acm.clusters.upgrade(42, "24.8", wait=True)
    assert len(fake.sent("GET", "/cluster/42/status")) == 4  # it polled past the stale answers


def test_a_wait_that_never_sees_the_cluster_busy_ends_after_the_settle_time(
    acm: dbcloud.Altinity, fake: FakeACM, clock: Clock
) -> None:
    from dbcloud.altinity._clusters import SETTLE_SECONDS

    fake.on("PUT", "/cluster/42/restart", envelope(True))
    fake.on("GET", "/cluster/42", record("online"))
    fake.on("GET", "/cluster/42/log", [{"id": 1, "action": "launch", "success": True}])
    fake.on("GET", "/cluster/42/status", IDLE)
    start = clock.now
    assert acm.clusters.restart(42, wait=True).state is dbcloud.ClusterState.RUNNING
    assert SETTLE_SECONDS <= clock.now - start < SETTLE_SECONDS + 60
