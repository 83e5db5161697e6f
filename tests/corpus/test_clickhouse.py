"""ClickHouse Cloud answers as the vendor's own docs quote them, read through `ClickHouseCloud`.

Sources (shapes only; every body here is ours):
- KB: the ClickHouse knowledge-base article "Managing ClickHouse Cloud Service with API and cURL"
  (clickhouse.com/docs/knowledgebase/clickhouse_cloud_api_usage): the answer of
  `PATCH .../services/{id}/state {"command": "stop"}` captured with curl: no `requestId`, no
  `autoscalingMode` / `currentScaling`, `regionId` instead of `region`, endpoints without
  `username`, protocol `nativesecure`; and its list of the states a service goes through.
- REF: the API reference's curl examples for `GET .../services` and `GET .../services/{id}`
  (clickhouse.com/docs/products/cloud/api-reference/service/...): `state`, `endpoints` with
  protocol / host / port / username, `tier`, memory bounds, `numReplicas`, `idleScaling`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dbcloud
from dbcloud import ClusterState
from tests._bridge import Flavour

from ._support import UNKNOWN, Answer, drifted, transport

ORG = "123abcd0-e9b5-4f55-9e42-0fb04392445c"
SVC = "2e2124ca-c5ac-459d-a6f2-abc123549d2a"
SERVICE_PATH = f"/v1/organizations/{ORG}/services/{SVC}"

KB_STOPPING = Answer(
    SERVICE_PATH,
    {
        "result": {
            "id": SVC,
            "name": "mars-s3",
            "provider": "aws",
            "regionId": "us-west-2",
            "state": "stopping",
            "endpoints": [
                {"protocol": "nativesecure", "host": "svc.us-west-2.aws.clickhouse.test", "port": 9440},
                {"protocol": "https", "host": "svc.us-west-2.aws.clickhouse.test", "port": 8443},
            ],
            "tier": "production",
            "idleScaling": True,
            "idleTimeoutMinutes": 5,
            "minTotalMemoryGb": 24,
            "maxTotalMemoryGb": 48,
            "ipAccessList": [{"source": "0.0.0.0/0", "description": "Anywhere"}],
            "createdAt": "2022-10-21T18:46:31Z",
        },
        "status": 200,
    },
    "KB: clickhouse_cloud_api_usage, the stop command's captured answer",
)

REF_RUNNING = Answer(
    SERVICE_PATH,
    {
        "status": 200,
        "requestId": "6f1c2f2e-3a2d-4f2f-9c9a-0c0d9e2d1a11",
        "result": {
            "id": SVC,
            "name": "Production Analytics",
            "provider": "aws",
            "region": "us-east-1",
            "state": "running",
            "clickhouseVersion": "24.3.1.2672",
            "endpoints": [
                {
                    "protocol": "https",
                    "host": "abc.us-east-1.aws.clickhouse.test",
                    "port": 8443,
                    "username": "default",
                }
            ],
            "tier": "production",
            "minTotalMemoryGb": 24,
            "maxTotalMemoryGb": 120,
            "numReplicas": 3,
            "idleScaling": True,
            "idleTimeoutMinutes": 10,
            "ipAccessList": [],
            "createdAt": "2024-01-02T03:04:05Z",
        },
    },
    "REF: api-reference/service get-service-details, curl example answer",
)

KB_IDLE = Answer(
    SERVICE_PATH,
    {"result": {**KB_STOPPING.body["result"], "state": "idle"}, "status": 200},
    "KB: clickhouse_cloud_api_usage, the states a service can be in (idle among them)",
)


def cloud(flavour: Flavour, *answers: Answer) -> dbcloud.ClickHouseCloud:
    """`ClickHouseCloud` over the answers, or `AsyncClickHouseCloud` behind it on the async flavour."""
    client: dbcloud.ClickHouseCloud = flavour.twin(dbcloud.ClickHouseCloud)(
        key_id="kid",
        key_secret="ksecret",
        org_id=ORG,
        base_url="https://api.clickhouse.test",
        http_client=transport(*answers),
    )
    return client


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "CLICKHOUSE_CLOUD_API_KEY",
        "CLICKHOUSE_CLOUD_API_SECRET",
        "CLICKHOUSE_ORG_ID",
        "CLICKHOUSE_API_URL",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


# --- the real answers -------------------------------------------------------------------------------


def test_the_captured_stop_answer_reads_as_a_stopping_service(flavour: Flavour) -> None:
    with cloud(flavour, KB_STOPPING) as ch:
        service = ch.services.get(SVC)
        assert service.name == "mars-s3"
        assert [(e.host, e.port) for e in service.endpoints][1] == ("svc.us-west-2.aws.clickhouse.test", 8443)
        assert str(service.endpoints[0].protocol) == "nativesecure"
        assert service.idle_timeout_minutes == 5
        assert [(e.source, e.description) for e in service.ip_access_list] == [("0.0.0.0/0", "Anywhere")]
        assert ch.services.state(SVC) is ClusterState.STOPPING


def test_the_reference_answer_reads_as_a_running_service(flavour: Flavour) -> None:
    with cloud(flavour, REF_RUNNING) as ch:
        assert ch.services.state(SVC) is ClusterState.RUNNING
        service = ch.services.get(SVC)
        assert (service.name, service.num_replicas, service.model.max_total_memory_gb) == (
            "Production Analytics",
            3,
            120,
        )
        assert (service.ip_access_list, service.idle_scaling, service.tier) == ((), True, "production")
        assert (service.endpoints[0].host, service.endpoints[0].port) == (
            "abc.us-east-1.aws.clickhouse.test",
            8443,
        )


def test_an_idle_service_reads_as_idle(flavour: Flavour) -> None:
    # The KB: an idle service counts as started (a start command does not wake it).
    with cloud(flavour, KB_IDLE) as ch:
        assert ch.services.state(SVC) is ClusterState.IDLE


REAL = 3

# --- the four drifts ----------------------------------------------------------------------------------


def _result(body: Any) -> dict[str, Any]:
    return body["result"]


def _endpoint(body: Any) -> dict[str, Any]:
    return body["result"]["endpoints"][0]


def _check_unknown(service: Any, state: ClusterState) -> None:
    assert service.status == UNKNOWN
    assert service.state is ClusterState.UNKNOWN
    assert state is ClusterState.UNKNOWN


def _check_null(service: Any, state: ClusterState) -> None:
    assert service.clickhouse_version in (None, dbcloud_unset())
    assert state is ClusterState.RUNNING


def _check_missing(service: Any, state: ClusterState) -> None:
    assert service.tier in (None, dbcloud_unset())
    assert service.name == "Production Analytics"


def _check_text(service: Any, state: ClusterState) -> None:
    assert service.endpoints[0].port == 8443
    assert not isinstance(service.endpoints[0].port, str)


def dbcloud_unset() -> Any:
    from dbcloud_clickhouse_client.types import UNSET

    return UNSET


DRIFTS: list[tuple[str, Callable[[Any], dict[str, Any]], str, str, Callable[[Any, ClusterState], None]]] = [
    ("unknown-enum-state", _result, "state", "unknown-enum", _check_unknown),
    ("null-clickhouseVersion", _result, "clickhouseVersion", "null", _check_null),
    ("missing-required-tier", _result, "tier", "missing", _check_missing),
    ("text-number-port", _endpoint, "port", "text-number", _check_text),
]


@pytest.mark.parametrize(
    ("where", "key", "kind", "check"), [d[1:] for d in DRIFTS], ids=[d[0] for d in DRIFTS]
)
def test_a_drifted_answer_still_reads(flavour: Flavour, where: Any, key: str, kind: str, check: Any) -> None:
    answer = drifted(REF_RUNNING, where, key, kind)
    with cloud(flavour, answer) as ch:
        check(ch.services.get(SVC), ch.services.state(SVC))


# --- ClickPipes -------------------------------------------------------------------------------------
# Sources (shapes only; the bodies are ours):
# - CTL: ClickHouse/clickhousectl, crates/clickhouse-cloud-api/tests/client_test.rs,
#   `list_click_pipes_with_null_array_fields`, which mirrors "the shape the live API actually
#   returns for a Kafka pipe": `reversePrivateEndpointIds: null` where the spec has an array,
#   timestamps with microseconds, empty `fieldMappings` and `settings`, no credentials.
# - TF: ClickHouse/terraform-provider-clickhouse, internal/api/clickpipe_test.go: the 424 a pipe
#   creation gets while the service is idle (`requestId` not a UUID, the state named in the text).

PIPE = "4b5a6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d"
PIPES_PATH = f"{SERVICE_PATH}/clickpipes"

CTL_KAFKA_PIPES = Answer(
    PIPES_PATH,
    {
        "status": 200,
        "requestId": "0f1e2d3c-4b5a-4697-8877-665544332211",
        "result": [
            {
                "id": PIPE,
                "serviceId": SVC,
                "name": "orders-from-kafka",
                "state": "Running",
                "scaling": {"replicas": 2, "replicaCpuMillicores": 250, "replicaMemoryGb": 1},
                "source": {
                    "kafka": {
                        "type": "msk",
                        "format": "AvroConfluent",
                        "brokers": "b-1.orders.kafka.us-east-1.amazonaws.test:9096",
                        "topics": "orders",
                        "consumerGroup": "clickpipes-4b5a6c7d",
                        "authentication": "SCRAM-SHA-512",
                        "reversePrivateEndpointIds": None,
                    }
                },
                "destination": {
                    "database": "sales",
                    "table": "orders",
                    "managedTable": True,
                    "tableDefinition": {"engine": {"type": "MergeTree"}, "sortingKey": ["order_id"]},
                    "columns": [],
                },
                "fieldMappings": [],
                "settings": {},
                "createdAt": "2026-03-02T09:15:42.518304Z",
                "updatedAt": "2026-03-02T09:20:07.004211Z",
            }
        ],
    },
    "CTL: client_test.rs, list_click_pipes_with_null_array_fields",
)

TF_IDLE_CREATE = Answer(
    PIPES_PATH,
    {
        "requestId": "x",
        "error": "FAILED_DEPENDENCY: ClickPipe creation is allowed only when the ClickHouse service "
        "is running. Current state: idle",
        "status": 424,
    },
    "TF: clickpipe_test.go, idle424BodyFormat",
    status=424,
)


def test_the_live_kafka_pipe_shape_reads(flavour: Flavour) -> None:
    with cloud(flavour, CTL_KAFKA_PIPES) as ch:
        (pipe,) = list(ch.clickpipes.list(SVC))
        assert (pipe.id, pipe.name, pipe.state) == (PIPE, "orders-from-kafka", ClusterState.RUNNING)
        assert (pipe.source_kind, pipe.source_type) == ("kafka", "msk")
        assert (pipe.database, pipe.table, pipe.replicas) == ("sales", "orders", 2)
        assert pipe.created_at is not None
        assert pipe.created_at.microsecond == 518304
        assert pipe.raw["source"]["kafka"]["reversePrivateEndpointIds"] is None


def test_a_pipe_created_on_an_idle_service_says_to_wake_it(flavour: Flavour) -> None:
    from dbcloud.clickhouse import ServiceIdleError

    destination = {"database": "sales", "table": "orders"}
    credentials = {"username": "u", "password": "p"}
    kafka = {
        "type": "kafka",
        "format": "JSONEachRow",
        "brokers": "b:9092",
        "topics": "t",
        "credentials": credentials,
    }
    source = {"kafka": kafka}
    with cloud(flavour, TF_IDLE_CREATE) as ch, pytest.raises(ServiceIdleError) as caught:
        ch.clickpipes.create(SVC, name="p", source=source, destination=destination)
    assert caught.value.service_id == SVC
    assert "Current state: idle" in str(caught.value)
    assert "wake" in str(caught.value).lower()


def _pipe(body: Any) -> dict[str, Any]:
    return body["result"][0]


def _pipe_scaling(body: Any) -> dict[str, Any]:
    return body["result"][0]["scaling"]


PIPE_DRIFTS: list[tuple[str, Callable[[Any], dict[str, Any]], str, str, Callable[[Any], None]]] = [
    ("unknown-enum-state", _pipe, "state", "unknown-enum", lambda p: p.state is ClusterState.UNKNOWN),
    ("null-name", _pipe, "name", "null", lambda p: p.name == ""),
    ("missing-destination", _pipe, "destination", "missing", lambda p: p.table is None),
    ("text-number-replicas", _pipe_scaling, "replicas", "text-number", lambda p: p.replicas == 2),
]


@pytest.mark.parametrize(
    ("where", "key", "kind", "check"), [d[1:] for d in PIPE_DRIFTS], ids=[d[0] for d in PIPE_DRIFTS]
)
def test_a_drifted_pipe_still_reads(flavour: Flavour, where: Any, key: str, kind: str, check: Any) -> None:
    with cloud(flavour, drifted(CTL_KAFKA_PIPES, where, key, kind)) as ch:
        (pipe,) = list(ch.clickpipes.list(SVC))
        assert check(pipe)


# --- scaling schedules ------------------------------------------------------------------------------
# Source (shape only; the body is ours): TF, internal/api/scheduled_scaling_test.go,
# `TestGetScheduledScaling`: an envelope with `result` alone, an entry without the `autoscalingMode`
# the spec requires (the provider derives it from the replica bounds), a base config without one.

ENTRY = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
TF_SCHEDULE = Answer(
    f"{SERVICE_PATH}/scalingSchedule",
    {
        "result": {
            "entries": [
                {
                    "id": ENTRY,
                    "name": "trading day",
                    "weekdays": [1, 2, 3, 4, 5],
                    "startHourUtc": 13,
                    "endHourUtc": 21,
                    "minReplicas": 4,
                    "maxReplicas": 4,
                    "idleScaling": False,
                    "isActiveNow": True,
                }
            ],
            "baseConfig": {
                "minReplicaMemoryGb": 16,
                "maxReplicaMemoryGb": 48,
                "idleScaling": True,
                "idleTimeoutMinutes": 15,
            },
            "activeEntryId": ENTRY,
        }
    },
    "TF: scheduled_scaling_test.go, TestGetScheduledScaling",
)


def test_the_providers_schedule_shape_reads(flavour: Flavour) -> None:
    with cloud(flavour, TF_SCHEDULE) as ch:
        schedule = ch.scaling_schedules.get(SVC)
        (entry,) = schedule.entries
        assert (entry.id, entry.name, entry.weekdays) == (ENTRY, "trading day", (1, 2, 3, 4, 5))
        assert (entry.min_replicas, entry.max_replicas, entry.autoscaling_mode) == (4, 4, None)
        assert schedule.active_entry == entry
        assert schedule.base_config["idleTimeoutMinutes"] == 15


@pytest.mark.parametrize("kind", ["null", "missing", "text-number"])
def test_a_drifted_schedule_still_reads(flavour: Flavour, kind: str) -> None:
    answer = drifted(TF_SCHEDULE, lambda body: body["result"]["entries"][0], "startHourUtc", kind)
    with cloud(flavour, answer) as ch:
        entry = ch.scaling_schedules.get(SVC).entries[0]
        assert entry.start_hour_utc == (13 if kind == "text-number" else None)
        assert entry.name == "trading day"
