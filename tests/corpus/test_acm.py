"""ACM answers as the community ACM Terraform provider captured them, read through `Altinity`.

Source: gorgias-oss/terraform-provider-altinity, internal/acm/ (shapes only; bodies are ours):
- client_test.go: a cluster answer whose `nodes` is the node list (`[{"id": 1}, {"id": 2}]`) and
  whose `shards` / `replicas` are text; a cluster list `[{id, name}, ...]`;
- testdata/environments.json: an environment list with ids as text, `id_parent: null`, the cloud
  keys `null`, nested `datadogSettings` / `backupOptions` / `options` objects;
- testdata/environment_show.json: one environment with `state: null`;
- environments_test.go: `datadogSettings` sent as JSON text (the EnvironmentEdit answer) or `null`;
- poll_test.go: cluster status words `online`, `ready`, `pending` (rescale);
- client_test.go: the status answer of `/cluster/{id}/status` while an operation's steps run
  (`action` a step's description, `actionProgress` counts as text, `percent` a number, `health`
  counts as numbers) and once idle (`"action": "Completed"`, the step counter back at 0);
- testdata/nodetypes.json, nodetypes_withused.json: an environment's node types with ids, CPUs,
  memory (MiB) and capacity as text, `storageClass` / `extraSpec` null, `tolerations` a list of
  objects, `isSpot` a boolean, and `used` beside them when asked `withUsed=1`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dbcloud
from tests._bridge import Flavour

from ._support import UNKNOWN, Answer, drift_failures, drifted, transport

GORGIAS = "gorgias-oss/terraform-provider-altinity internal/acm/"

CLUSTER = Answer(
    "/api/cluster/7",
    {
        "data": {
            "id": 7,
            "name": "c1",
            "nodes": [{"id": 1}, {"id": 2}],
            "shards": "1",
            "replicas": "1",
            "status": "online",
            "id_environment": "2267",
        }
    },
    GORGIAS + "client_test.go (launch answer: nodes as a list, counts as text)",
)
CLUSTERS = Answer(
    "/api/environment/2267/clusters",
    {"data": [{"id": 42, "name": "c1"}, {"id": 7, "name": "c2"}]},
    GORGIAS + "client_test.go (cluster list)",
)
ENVIRONMENTS = Answer(
    "/api/environments",
    {
        "data": [
            {
                "id": "1",
                "name": "example-env",
                "type": "kubernetes",
                "domain": "example-env.altinity.test",
                "status": "online",
                "state": "running",
                "id_owner": "1",
                "id_parent": None,
                "managed": True,
                "remote": False,
                "kubeProvider": "gcp",
                "awsKey": None,
                "awsSecretKey": None,
                "datadogPassword": None,
                "datadogSettings": {"enabled": False, "region": "", "tableStats": False},
                "backupOptions": {"enable": False, "provider": "", "bucket": ""},
                "options": {
                    "region": "us-east1",
                    "azlist": ["us-east1-b", "us-east1-c"],
                    "network": "10.0.0.0/24",
                },
                "monitoring": True,
            }
        ]
    },
    GORGIAS + "testdata/environments.json",
)
ENVIRONMENT = Answer(
    "/api/environment/641",
    {
        "data": {
            "id": "641",
            "name": "example-env",
            "displayName": "Example Environment",
            "type": "kubernetes",
            "status": "online",
            "state": None,
            "id_parent": None,
            "monitoring": True,
            "managed": False,
            "datadogSettings": {"enabled": False, "region": "datadoghq.com"},
        }
    },
    GORGIAS + "testdata/environment_show.json",
)
ENVIRONMENT_TEXT_SETTINGS = Answer(
    "/api/environment/2293",
    {
        "data": {
            "id": "2293",
            "name": "obs-env",
            "status": "online",
            "datadogSettings": '{"enabled":true,"region":"datadoghq.eu","logs":true}',
        }
    },
    GORGIAS + "environments_test.go (datadogSettings as JSON text)",
)
ENVIRONMENT_NULL_SETTINGS = Answer(
    "/api/environment/2294",
    {
        "data": {
            "id": "2294",
            "name": "plain-env",
            "status": "online",
            "datadogSettings": None,
            "maintenanceWindowSchedules": None,
        }
    },
    GORGIAS + "environments_test.go (datadogSettings and maintenanceWindowSchedules null)",
)


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("ACM_API_KEY", "ACM_API_URL", "DBCLOUD_PROFILE", "DBCLOUD_TIMEOUT", "DBCLOUD_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def acm(flavour: Flavour, *answers: Answer) -> dbcloud.Altinity:
    """`Altinity` over the answers, or `AsyncAltinity` behind it on the async flavour."""
    client: dbcloud.Altinity = flavour.twin(dbcloud.Altinity)(
        token="acm-token", base_url="https://acm.test/api", http_client=transport(*answers)
    )
    return client


def _absent(value: Any) -> bool:
    return value is None or type(value).__name__ == "Unset"


def _settings(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else value.to_dict()


def real_cluster(client: dbcloud.Altinity) -> None:
    cluster = client.clusters.get(7)
    assert (cluster.id, cluster.name, cluster.shards, cluster.replicas) == ("7", "c1", 1, 1)
    assert cluster.nodes == 2  # the node list, counted
    assert cluster.environment_id == "2267"
    assert cluster.state is dbcloud.ClusterState.RUNNING
    # Every other field through the generated model: the node list kept as objects.
    nodes = cluster.model.nodes
    assert [node["id"] if isinstance(node, dict) else node.id for node in nodes] == [1, 2]  # type: ignore[union-attr]


def real_clusters(client: dbcloud.Altinity) -> None:
    assert [(c.id, c.name) for c in client.clusters.list(2267)] == [("42", "c1"), ("7", "c2")]


def real_environments(client: dbcloud.Altinity) -> None:
    (env,) = client.environments.list()
    assert (env.id, env.name, env.domain) == ("1", "example-env", "example-env.altinity.test")
    assert (env.managed, env.cloud, env.status) == (True, "gcp", "online")
    assert _settings(env.model.options)["azlist"] == ["us-east1-b", "us-east1-c"]


def real_environment(client: dbcloud.Altinity) -> None:
    env = client.environments.get(641)
    assert (env.id, env.display_name, env.status) == ("641", "Example Environment", "online")
    assert env.model.display_name == env.display_name
    assert _absent(env.state)


def real_text_settings(client: dbcloud.Altinity) -> None:
    env = client.environments.get(2293)
    assert _settings(env.model.datadog_settings)["region"] == "datadoghq.eu"


def real_null_settings(client: dbcloud.Altinity) -> None:
    env = client.environments.get(2294)
    assert env.name == "plain-env"
    assert _absent(env.model.datadog_settings)


REAL: list[tuple[str, Answer, Callable[[dbcloud.Altinity], None]]] = [
    ("cluster-nodes-as-list", CLUSTER, real_cluster),
    ("cluster-list", CLUSTERS, real_clusters),
    ("environments-ids-as-text", ENVIRONMENTS, real_environments),
    ("environment-state-null", ENVIRONMENT, real_environment),
    ("environment-settings-as-json-text", ENVIRONMENT_TEXT_SETTINGS, real_text_settings),
    ("environment-settings-null", ENVIRONMENT_NULL_SETTINGS, real_null_settings),
]


@pytest.mark.parametrize(
    ("answer", "check"),
    [pytest.param(a, c, id=i, marks=[]) for i, a, c in REAL],
)
def test_a_real_answer_reads_with_its_typed_values(
    flavour: Flavour, answer: Answer, check: Callable[[Any], None]
) -> None:
    with acm(flavour, answer) as client:
        check(client)


# --- the four drifts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "read"), [pytest.param(a, c, id=i) for i, a, c in REAL])
def test_no_drift_of_any_field_of_a_real_answer_fails_with_an_untyped_error(
    flavour: Flavour, answer: Answer, read: Callable[[Any], None]
) -> None:
    # Each of the four drifts, one at a time, on every field of every object of the answer: the
    # reading may give other values (or a typed error), never a raw exception.
    assert drift_failures(answer, lambda bent: acm(flavour, bent), flavour, read) == []


def _env(body: Any) -> dict[str, Any]:
    return body["data"][0]


def _unknown(env: Any) -> None:
    assert env.status == UNKNOWN  # ACM's status is free text in the spec: kept as sent


def _null(env: Any) -> None:
    assert _absent(env.domain)
    assert env.name == "example-env"


def _missing(env: Any) -> None:
    assert _absent(env.type)
    assert env.id == "1"


def _text(env: Any) -> None:
    assert env.model.monitoring is True


DRIFTS = [
    ("unknown-enum-status", "status", "unknown-enum", _unknown),
    ("null-domain", "domain", "null", _null),
    ("missing-type", "type", "missing", _missing),
    ("text-boolean-monitoring", "monitoring", "text-number", _text),
]


@pytest.mark.parametrize(("key", "kind", "check"), [d[1:] for d in DRIFTS], ids=[d[0] for d in DRIFTS])
def test_a_drifted_answer_still_reads(
    flavour: Flavour, key: str, kind: str, check: Callable[[Any], None]
) -> None:
    with acm(flavour, drifted(ENVIRONMENTS, _env, key, kind)) as client:
        check(client.environments.list()[0])


# --- day-2 operations: where a cluster stands while one runs, and once it is idle -------------------

PENDING_CLUSTER = Answer(
    "/api/cluster/7",
    {"data": {"id": 7, "name": "c1", "nodes": [{"id": 1}, {"id": 2}], "status": "pending"}},
    GORGIAS + "poll_test.go (a rescale turns the status to pending)",
)
ONLINE_CLUSTER = Answer(
    "/api/cluster/7",
    {"data": {"id": 7, "name": "c1", "nodes": [{"id": 1}, {"id": 2}], "status": "online"}},
    GORGIAS + "poll_test.go (and back to a running status once done)",
)
ACTION_LOG = Answer("/api/cluster/7/log", {"data": []}, "ours: an empty action log")
STEPS_RUNNING = Answer(
    "/api/cluster/7/status",
    {
        "data": {
            "health": {"total": 7, "passed": 5, "ts": "Mon, 07 Dec 2026 10:00:00 +0000", "details": []},
            "uptime": "120",
            "queryTimes": {"Select": "2026-12-07 09:58:00", "Insert": None},
            "action": "Add replica - START Host/shard/cluster: 3/1/c1",
            "actionProgress": {"total": "3", "completed": "1", "percent": 33},
            "latestBackup": "",
            "backupInfo": {"version": "altinity/clickhouse-backup:stable"},
            "throughput": None,
            "crashReport": 0,
            "usesInstallationTemplate": False,
        }
    },
    GORGIAS + "client_test.go (a live status capture: a step running)",
)
IDLE = Answer(
    "/api/cluster/7/status",
    {
        "data": {
            "health": {"total": 7, "passed": 7},
            "action": "Completed",
            "actionProgress": {"total": 2, "completed": "0", "percent": 0},
        }
    },
    GORGIAS + "client_test.go (idle: Completed, its counter at 0 of 2)",
)


def test_a_cluster_mid_operation_is_not_ready(flavour: Flavour) -> None:
    with acm(flavour, PENDING_CLUSTER, ACTION_LOG, STEPS_RUNNING) as client:
        status = client.clusters.status(7)
    assert status.state is dbcloud.ClusterState.PENDING
    assert (status.action_done, status.checks_passed, status.checks_total) == (False, 5, 7)
    assert not status.ready


def test_the_idle_completed_answer_is_ready_although_its_counter_is_zero(flavour: Flavour) -> None:
    with acm(flavour, ONLINE_CLUSTER, ACTION_LOG, IDLE) as client:
        status = client.clusters.status(7)
    assert (status.state, status.action_done, status.healthy) == (dbcloud.ClusterState.RUNNING, True, True)
    assert status.ready


# --- node types ------------------------------------------------------------------------------------

NODE_TYPES = Answer(
    "/api/environment/2267/nodetypes",
    {
        "data": [
            {
                "id": "501",
                "scope": "clickhouse",
                "code": "n2d-standard-4",
                "name": "n2d-standard-4",
                "storageClass": None,
                "cpu": "4",
                "memory": "13128",
                "id_environment": "2267",
                "extraSpec": None,
                "tolerations": [
                    {"key": "dedicated", "operator": "Equal", "value": "clickhouse", "effect": "NoSchedule"}
                ],
                "nodeSelector": [],
                "capacity": "10",
                "isSpot": False,
                "cpu_alloc": "4",
                "memory_alloc": "13128",
                "used": True,
            },
            {
                "id": "502",
                "scope": "zookeeper",
                "code": "e2-standard-2",
                "name": "e2-standard-2",
                "cpu": "2",
                "memory": "6001",
                "id_environment": "2267",
                "tolerations": [],
                "capacity": "10",
                "isSpot": False,
                "used": False,
            },
        ]
    },
    GORGIAS + "testdata/nodetypes_withused.json (ids, CPUs and memory as text, used beside them)",
)


def test_node_types_read_with_their_typed_values(flavour: Flavour) -> None:
    with acm(flavour, NODE_TYPES) as client:
        clickhouse, keeper = client.node_types.list(2267, with_used=True)
    assert (clickhouse.id, clickhouse.code, clickhouse.scope) == ("501", "n2d-standard-4", "clickhouse")
    assert (clickhouse.cpu, clickhouse.memory, clickhouse.capacity, clickhouse.spot) == (4, 13128, 10, False)
    assert (clickhouse.used, keeper.used, keeper.storage_class) == (True, False, None)
    assert clickhouse.raw["tolerations"][0]["value"] == "clickhouse"


# --- cluster settings and database users ---------------------------------------------------------

SETTINGS = Answer(
    "/api/cluster/7/settings",
    {
        "data": [
            {"id": "901", "name": "config.d/http_handlers.xml", "value": "<clickhouse/>", "isFile": True,
             "id_cluster": "7", "system": False},
            {"id": "902", "name": "max_concurrent_queries", "value": "150", "isFile": False,
             "id_cluster": "7", "system": True},
        ]
    },
    "Altinity/acmctl cmd/cluster_settings.go (ids as text, isFile and system booleans)",
)  # fmt: skip
USERS = Answer(
    "/api/cluster/7/users",
    {
        "data": [
            {"id": "21", "login": "app", "networks": "::/0", "databases": "default", "id_cluster": "7",
             "id_profile": "3"},
            {"id": "22", "login": "etl", "networks": "10.0.0.0/8,::/0", "databases": "default,logs",
             "id_cluster": "7"},
        ]
    },
    GORGIAS + "users_test.go (a user list: ids as text, lists as comma text)",
)  # fmt: skip
NEW_USER = Answer(
    "/api/cluster/7/users",
    {"data": {"id": 23, "login": "bi", "networks": ["10.1.0.0/16"], "databases": ["default", "bi"]}},
    GORGIAS + "users_test.go (a new user: lists echoed as JSON lists)",
)


def test_settings_read_with_text_ids(flavour: Flavour) -> None:
    with acm(flavour, SETTINGS) as client:
        handlers, queries = client.settings.list(7)
    assert (handlers.id, handlers.cluster_id, handlers.is_file, handlers.system) == ("901", "7", True, False)
    assert (queries.value, queries.is_file, queries.system) == ("150", False, True)


def test_users_read_lists_as_text_or_json(flavour: Flavour) -> None:
    with acm(flavour, USERS) as client:
        app, etl = client.database_users.list(7)
    assert (app.id, app.name, app.networks, app.databases, app.profile_id) == (
        "21", "app", ("::/0",), ("default",), "3",
    )  # fmt: skip
    assert (etl.networks, etl.databases) == (("10.0.0.0/8", "::/0"), ("default", "logs"))
    with acm(flavour, NEW_USER) as client:
        made = client.database_users.create(7, "bi", "bi-pass-1", databases=["default", "bi"])
    assert (made.id, made.networks, made.databases) == ("23", ("10.1.0.0/16",), ("default", "bi"))
