"""ClickHouse Cloud ClickPipes over MockTransport, on both flavours: the requests the vendor's tools
send, answers read tolerantly, checks before sending, a delete sent once, credentials kept secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from dbcloud_clickhouse_client.models import ClickPipeState

import dbcloud
from dbcloud import ClusterState, Secret
from dbcloud.clickhouse import PIPE_STATE_TABLE, ClickPipe, ClickPipeFailed

from .conftest import ORG, SVC, Clock, FakeCloud, body, failure

PIPES = f"/v1/organizations/{ORG}/services/{SVC}/clickpipes"
PIPE_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
PIPE = f"{PIPES}/{PIPE_ID}"
PASSWORD = "kafka-pass-5e4d3c2b1a"
SECRET_KEY = "aws-secret-0f9e8d7c6b"

KAFKA = {
    "kafka": {
        "type": "confluent",
        "format": "JSONEachRow",
        "brokers": "pkc-1.confluent.cloud:9092",
        "topics": "events",
        "authentication": "PLAIN",
        "credentials": {"username": "svc-reader", "password": PASSWORD},
    }
}
S3 = {
    "objectStorage": {
        "type": "s3",
        "format": "CSVWithNames",
        "url": "https://bucket.s3.amazonaws.com/logs/*.csv",
        "authentication": "IAM_USER",
        "accessKey": {"accessKeyId": "AKIAEXAMPLE", "secretKey": SECRET_KEY},
    }
}
TABLE = {
    "database": "default",
    "table": "events",
    "managedTable": True,
    "columns": [{"name": "id", "type": "UInt64"}],
}

Call = Callable[[Any], Any]


def pipe(state: str = "Provisioning", **extra: Any) -> dict[str, Any]:
    return {
        "id": PIPE_ID,
        "serviceId": SVC,
        "name": "events-from-kafka",
        "state": state,
        "source": {"kafka": {"type": "confluent", "format": "JSONEachRow", "brokers": "b:9092"}},
        "destination": {"database": "default", "table": "events", "managedTable": True},
        "scaling": {"replicas": 1},
        "createdAt": "2026-01-02T03:04:05Z",
        **extra,
    }


def test_every_state_of_the_spec_is_mapped() -> None:
    assert set(PIPE_STATE_TABLE) == {s.value for s in ClickPipeState}


def test_create_sends_the_pipe_as_the_provider_does(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("POST", PIPES, pipe())
    created = ch.clickpipes.create(
        SVC,
        name="events-from-kafka",
        source=KAFKA,
        destination=TABLE,
        field_mappings=[{"sourceField": "id", "destinationField": "id"}],
        scaling={"replicas": 2},
    )
    assert fake.last.method == "POST"
    assert fake.last.url.path == PIPES
    assert body(fake.last) == {
        "name": "events-from-kafka",
        "source": KAFKA,
        "destination": TABLE,
        "fieldMappings": [{"sourceField": "id", "destinationField": "id"}],
        "scaling": {"replicas": 2},
    }
    assert created.id == PIPE_ID
    assert created.state is ClusterState.PROVISIONING
    assert (created.source_kind, created.source_type, created.table) == ("kafka", "confluent", "events")


def test_a_secret_credential_is_sent_as_its_value(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("POST", PIPES, pipe())
    source = {
        "objectStorage": {
            **S3["objectStorage"],
            "accessKey": {"accessKeyId": "AKIA", "secretKey": Secret(SECRET_KEY)},
        }
    }
    ch.clickpipes.create(SVC, name="logs", source=source, destination=TABLE)
    assert body(fake.last)["source"]["objectStorage"]["accessKey"]["secretKey"] == SECRET_KEY


def test_list_get_and_tolerant_reading(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    odd = {"id": PIPE_ID, "state": "Rebalancing", "name": None, "scaling": {"replicas": "3"}, "source": None}
    fake.on("GET", PIPES, [pipe("Running"), odd])
    pipes = list(ch.clickpipes.list(SVC))
    assert [p.state for p in pipes] == [ClusterState.RUNNING, ClusterState.UNKNOWN]
    assert pipes[1].status == "Rebalancing"
    assert pipes[1].name == ""
    assert pipes[1].replicas == 3
    assert pipes[1].source_kind is None
    fake.on("GET", PIPE, pipe("Paused"))
    got = ch.clickpipes.get(SVC, PIPE_ID)
    assert got.state is ClusterState.STOPPED
    assert got.raw["state"] == "Paused"
    assert got.created_at is not None
    assert got.created_at.year == 2026


def test_a_pipe_without_an_id_reads_with_the_id_asked_for(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("GET", PIPE, {"name": "x", "state": "Running"})
    assert ch.clickpipes.get(SVC, PIPE_ID).id == PIPE_ID


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("GET", PIPE, ["x"])
    with pytest.raises(dbcloud.APIResponseError):
        ch.clickpipes.get(SVC, PIPE_ID)


def test_update_sends_only_what_changes(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("PATCH", PIPE, pipe("Running", name="renamed"))
    updated = ch.clickpipes.update(
        SVC,
        PIPE_ID,
        name="renamed",
        source={"kafka": {"credentials": {"username": "u", "password": PASSWORD}}},
    )
    assert body(fake.last) == {
        "name": "renamed",
        "source": {"kafka": {"credentials": {"username": "u", "password": PASSWORD}}},
    }
    assert updated.name == "renamed"


@pytest.mark.parametrize("command", ["start", "stop", "resync"])
def test_start_and_stop_are_the_state_command(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, command: str
) -> None:
    fake.on("PATCH", f"{PIPE}/state", pipe("Stopping"))
    getattr(ch.clickpipes, command)(SVC, PIPE_ID)
    assert fake.last.method == "PATCH"
    assert body(fake.last) == {"command": command}


def test_start_of_a_running_pipe_is_the_apis_bad_request(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("PATCH", f"{PIPE}/state", failure(400, "BAD_REQUEST: ClickPipe is already running"))
    with pytest.raises(dbcloud.BadRequestError, match="already running"):
        ch.clickpipes.start(SVC, PIPE_ID)


def test_delete_is_sent_once_after_a_server_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", PIPE, failure(503, "unavailable"))
    with pytest.raises(dbcloud.APIStatusError):
        ch.clickpipes.delete(SVC, PIPE_ID)
    assert len(fake.requests) == 1


def test_delete_is_repeated_after_a_429(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", PIPE, failure(429, "slow down", **{"Retry-After": "1"}), None)
    assert ch.clickpipes.delete(SVC, PIPE_ID) is None
    assert [r.method for r in fake.requests] == ["DELETE", "DELETE"]


def test_wait_until_running(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    fake.on("GET", PIPE, pipe("Provisioning"), pipe("Provisioning"), pipe("Running"))
    assert ch.clickpipes.wait_until_running(SVC, PIPE_ID, timeout=600).state is ClusterState.RUNNING
    assert len(fake.requests) == 3
    assert len(clock.sleeps) == 2


def test_a_completed_object_storage_pipe_ends_the_wait_unless_told_not_to(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("GET", PIPE, pipe("Completed"))
    assert ch.clickpipes.wait_until_running(SVC, PIPE_ID).status == "Completed"
    with pytest.raises(dbcloud.WaitTimeout):
        ch.clickpipes.wait_until_running(SVC, PIPE_ID, completed_ok=False, timeout=30)


@pytest.mark.parametrize("state", ["Failed", "InternalError"])
def test_a_failed_pipe_ends_the_wait_with_a_typed_error(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, state: str
) -> None:
    fake.on("GET", PIPE, pipe("Provisioning"), pipe(state))
    with pytest.raises(ClickPipeFailed) as raised:
        ch.clickpipes.wait_until_running(SVC, PIPE_ID)
    assert isinstance(raised.value, dbcloud.ClusterFailed)
    assert raised.value.pipe is not None
    assert raised.value.pipe.status == state


def test_the_wait_times_out(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", PIPE, pipe("Provisioning"))
    with pytest.raises(dbcloud.WaitTimeout, match="Provisioning"):
        ch.clickpipes.wait_until_running(SVC, PIPE_ID, timeout=20)


def _kafka(**changes: Any) -> dict[str, Any]:
    return {"kafka": {**KAFKA["kafka"], **changes}}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.clickpipes.get("svc", PIPE_ID), "service_id"),
        (lambda c: c.clickpipes.get(SVC, "../x"), "pipe_id"),
        (lambda c: c.clickpipes.delete(SVC, "x"), "pipe_id"),
        (lambda c: c.clickpipes.list("nope"), "service_id"),
        (lambda c: c.clickpipes.create(SVC, name="", source=KAFKA, destination=TABLE), "name"),
        (lambda c: c.clickpipes.create(SVC, name="x" * 256, source=KAFKA, destination=TABLE), "name"),
        (lambda c: c.clickpipes.create(SVC, name="p", source={}, destination=TABLE), "source"),
        (lambda c: c.clickpipes.create(SVC, name="p", source={**KAFKA, **S3}, destination=TABLE), "source"),
        (
            lambda c: c.clickpipes.create(SVC, name="p", source=_kafka(brokers=""), destination=TABLE),
            "source.kafka.brokers",
        ),
        (
            lambda c: c.clickpipes.create(
                SVC, name="p", source=_kafka(authentication=None, credentials=None), destination=TABLE
            ),
            "source.kafka.credentials.username",
        ),
        (
            lambda c: c.clickpipes.create(
                SVC, name="p", source=_kafka(credentials={"username": "u"}), destination=TABLE
            ),
            "source.kafka.credentials.password",
        ),
        (
            lambda c: c.clickpipes.create(
                SVC, name="p", source=_kafka(authentication="IAM_ROLE", credentials=None), destination=TABLE
            ),
            "source.kafka.iamRole",
        ),
        (
            lambda c: c.clickpipes.create(SVC, name="p", source=_kafka(format="XML"), destination=TABLE),
            None,
        ),
        (
            lambda c: c.clickpipes.create(
                SVC, name="p", source={"objectStorage": {"type": "s3", "format": "CSV"}}, destination=TABLE
            ),
            "source.objectStorage.url",
        ),
        (
            lambda c: c.clickpipes.create(SVC, name="p", source=KAFKA, destination={"table": "t"}),
            "destination.database",
        ),
        (
            lambda c: c.clickpipes.create(SVC, name="p", source=KAFKA, destination={"database": "d"}),
            "destination.table",
        ),
        (
            lambda c: c.clickpipes.create(
                SVC, name="p", source=KAFKA, destination=TABLE, scaling={"replicas": 99}
            ),
            None,
        ),
        (lambda c: c.clickpipes.update(SVC, PIPE_ID), None),
        (lambda c: c.clickpipes.update(SVC, PIPE_ID, name=""), "name"),
    ],
)
def test_bad_input_is_refused_before_sending(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, call: Call, field: str | None
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(ch)
    if field is not None:
        assert raised.value.field == field
    assert PASSWORD not in str(raised.value)
    assert fake.requests == []


def test_credentials_are_in_no_log_error_or_repr(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, caplog: pytest.LogCaptureFixture
) -> None:
    # A server that echoes the body it refused: the credentials must not come back through the error.
    def echo(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        return httpx.Response(
            400,
            json={
                "status": 400,
                "error": f"BAD_REQUEST: cannot reach broker with {PASSWORD}",
                "request": sent,
            },
        )

    fake.on("POST", PIPES, echo)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(dbcloud.BadRequestError) as raised:
        ch.clickpipes.create(SVC, name="p", source=KAFKA, destination=TABLE)
    error = raised.value
    shown = [str(error), repr(error), repr(error.body), str(error.url), caplog.text, repr(ch)]
    assert all(PASSWORD not in t for t in shown)
    assert PASSWORD not in str(fake.last.url)


def test_a_pipe_repr_leaves_the_answer_out() -> None:
    answer = pipe(source={"kafka": {"credentials": {"password": PASSWORD}}})
    assert PASSWORD not in repr(ClickPipe.from_api(answer))


def test_signatures_read_through_the_resource(ch: Any) -> None:
    import inspect

    params = inspect.signature(ch.clickpipes.create).parameters
    assert list(params) == [
        "service_id",
        "name",
        "source",
        "destination",
        "field_mappings",
        "scaling",
        "settings",
    ]


def test_a_misspelt_field_deep_in_the_body_is_refused(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    with pytest.raises(dbcloud.ValidationError, match="did you mean 'brokers'") as raised:
        ch.clickpipes.create(SVC, name="p", source=_kafka(brokerz="b:9092"), destination=TABLE)
    assert raised.value.field == "source.kafka.brokerz"
    with pytest.raises(dbcloud.ValidationError, match=r"destination\.tabel"):
        ch.clickpipes.update(SVC, PIPE_ID, destination={"tabel": "t"})
    assert fake.requests == []


def test_iam_user_credentials_are_not_taken_for_misspelt_ones(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("POST", PIPES, pipe())
    iam = _kafka(
        type="msk", authentication="IAM_USER", credentials={"accessKeyId": "AKIA", "secretKey": SECRET_KEY}
    )
    ch.clickpipes.create(SVC, name="p", source=iam, destination=TABLE)
    assert body(fake.last)["source"]["kafka"]["credentials"] == {
        "accessKeyId": "AKIA",
        "secretKey": SECRET_KEY,
    }
