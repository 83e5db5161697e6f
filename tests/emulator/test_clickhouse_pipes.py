"""ClickPipes against the emulated ClickHouse Cloud, on both flavours of client: the lifecycle over
emulated time, the vendor's rules, 404s and the idle service's 424."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickhouse import AsyncClickHouseCloud, ClickPipeFailed, ServiceIdleError
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.clickhouse import (
    ORG_ID,
    PIPE_PROVISION_SECONDS,
    PIPE_START_SECONDS,
    PIPE_STOP_SECONDS,
    PROVISION_SECONDS,
)
from tests._bridge import Flavour

MISSING = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
PASSWORD = "emulated-kafka-pass-77"
_names = itertools.count(1)


def kafka(**changes: Any) -> dict[str, Any]:
    return {
        "kafka": {
            "type": "confluent",
            "format": "JSONEachRow",
            "brokers": "pkc-1.us-east-1.aws.confluent.cloud:9092",
            "topics": "events",
            "authentication": "PLAIN",
            "credentials": {"username": "reader", "password": PASSWORD},
            **changes,
        }
    }


TABLE = {
    "database": "default",
    "table": "events",
    "managedTable": True,
    "tableDefinition": {"engine": {"type": "MergeTree"}},
    "columns": [{"name": "id", "type": "UInt64"}],
}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # One emulated second per real second: nothing changes state by itself during a test, so the
    # states seen are repeatable; the tests move the clock with emu.advance, and waits advance it.
    with running(speed=1) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CLICKHOUSE_ORG_ID", "CLICKHOUSE_API_URL", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


@pytest.fixture
def cloud(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.ClickHouseCloud]:
    emu.clear_faults()
    with flavour.client(
        dbcloud.ClickHouseCloud,
        AsyncClickHouseCloud,
        key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
        org_id=ORG_ID,
    ) as client:
        flavour.set_sleep(client, emu.advance)  # a wait's pause moves the emulated clock instead
        yield client


def ready_service(cloud: dbcloud.ClickHouseCloud, emu: Emulator, **fields: Any) -> str:
    fields.setdefault("idle_scaling", False)
    sid = cloud.services.create(name=f"pipes-{next(_names)}", provider="aws", region="us-east-1", **fields).id
    emu.advance(PROVISION_SECONDS)
    return sid


def test_a_kafka_pipe_lifecycle(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = ready_service(cloud, emu)
    assert list(cloud.clickpipes.list(sid)) == []
    creates = emu.stats()["clickhouse"]["creates"]
    made = cloud.clickpipes.create(sid, name="events", source=kafka(), destination=TABLE)
    assert emu.stats()["clickhouse"]["creates"] == creates + 1
    assert (made.status, made.state) == ("Provisioning", dbcloud.ClusterState.PROVISIONING)
    assert (made.service_id, made.source_kind, made.source_type, made.table) == (
        sid,
        "kafka",
        "confluent",
        "events",
    )
    assert "credentials" not in made.raw["source"]["kafka"]  # write-only
    assert made.raw["source"]["kafka"]["consumerGroup"] == f"clickpipes-{made.id}"
    assert [p.id for p in cloud.clickpipes.list(sid)] == [made.id]

    up = cloud.clickpipes.wait_until_running(sid, made.id, timeout=PIPE_PROVISION_SECONDS * 4)
    assert up.status == "Running"
    with pytest.raises(dbcloud.BadRequestError, match="ClickPipe is already running"):
        cloud.clickpipes.start(sid, made.id)

    renamed = cloud.clickpipes.update(
        sid, made.id, name="events-2", field_mappings=[{"sourceField": "id", "destinationField": "id"}]
    )
    assert renamed.name == "events-2"
    assert cloud.clickpipes.get(sid, made.id).raw["fieldMappings"] == [
        {"sourceField": "id", "destinationField": "id"}
    ]

    assert cloud.clickpipes.stop(sid, made.id).status == "Stopping"
    emu.advance(PIPE_STOP_SECONDS)
    assert cloud.clickpipes.get(sid, made.id).state is dbcloud.ClusterState.STOPPED
    assert cloud.clickpipes.stop(sid, made.id).status == "Stopped"  # a second stop changes nothing
    assert cloud.clickpipes.start(sid, made.id).status == "Provisioning"
    emu.advance(PIPE_START_SECONDS)
    assert cloud.clickpipes.get(sid, made.id).status == "Running"

    cloud.clickpipes.delete(sid, made.id)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.clickpipes.get(sid, made.id)
    with pytest.raises(dbcloud.NotFoundError, match="ClickPipe not found"):
        cloud.clickpipes.delete(sid, made.id)
    assert list(cloud.clickpipes.list(sid)) == []


def test_an_object_storage_pipe_runs(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = ready_service(cloud, emu)
    source = {
        "objectStorage": {
            "type": "s3",
            "format": "CSVWithNames",
            "url": "https://datasets.s3.amazonaws.com/logs/*.csv",
            "authentication": "IAM_USER",
            "accessKey": {"accessKeyId": "AKIAEMULATED", "secretKey": "emulated-secret"},
        }
    }
    made = cloud.clickpipes.create(sid, name="logs", source=source, destination=TABLE)
    assert "accessKey" not in made.raw["source"]["objectStorage"]
    assert cloud.clickpipes.wait_until_running(sid, made.id).source_kind == "objectStorage"


def test_a_pipe_that_cannot_reach_its_source_fails_the_wait(
    cloud: dbcloud.ClickHouseCloud, emu: Emulator
) -> None:
    sid = ready_service(cloud, emu)
    made = cloud.clickpipes.create(
        sid, name="unreachable", source=kafka(brokers="broker.invalid:9092"), destination=TABLE
    )
    with pytest.raises(ClickPipeFailed, match="Failed") as raised:
        cloud.clickpipes.wait_until_running(sid, made.id)
    assert raised.value.pipe is not None
    assert raised.value.pipe.state is dbcloud.ClusterState.FAILED
    assert cloud.clickpipes.start(sid, made.id).status == "Provisioning"  # a failed pipe may be started


def test_unknown_services_and_pipes_are_not_found(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = ready_service(cloud, emu)
    with pytest.raises(dbcloud.NotFoundError, match="Service not found"):
        list(cloud.clickpipes.list(MISSING))
    with pytest.raises(dbcloud.NotFoundError, match="Service not found"):
        cloud.clickpipes.create(MISSING, name="x", source=kafka(), destination=TABLE)
    for call in (
        cloud.clickpipes.get,
        cloud.clickpipes.start,
        cloud.clickpipes.stop,
        cloud.clickpipes.delete,
    ):
        with pytest.raises(dbcloud.NotFoundError, match="ClickPipe not found"):
            call(sid, MISSING)


def test_the_vendors_rules(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = ready_service(cloud, emu)
    warpstream = kafka(type="warpstream", authentication="SCRAM-SHA-256")
    with pytest.raises(dbcloud.BadRequestError, match="warpstream supports PLAIN authentication"):
        cloud.clickpipes.create(sid, name="w", source=warpstream, destination=TABLE)
    postgres = {
        "postgres": {
            "host": "db.example.com",
            "port": 5432,
            "database": "app",
            "credentials": {"username": "u", "password": "p"},
            "settings": {"replicationMode": "cdc"},
            "tableMappings": [{"sourceSchemaName": "public", "sourceTable": "users", "targetTable": "users"}],
        }
    }
    cdc = cloud.clickpipes.create(sid, name="cdc", source=postgres, destination={"database": "default"})
    emu.advance(PIPE_PROVISION_SECONDS)
    edit = {
        "postgres": {
            "tableMappingsToAdd": [
                {"sourceSchemaName": "public", "sourceTable": "orders", "targetTable": "orders"}
            ]
        }
    }
    with pytest.raises(dbcloud.BadRequestError, match="Postgres ClickPipe must be paused to edit"):
        cloud.clickpipes.update(sid, cdc.id, source=edit)
    assert cloud.clickpipes.resync(sid, cdc.id).status == "Resync"
    emu.advance(PIPE_START_SECONDS)
    assert cloud.clickpipes.get(sid, cdc.id).status == "Running"
    streaming = cloud.clickpipes.create(sid, name="stream", source=kafka(), destination=TABLE)
    with pytest.raises(dbcloud.BadRequestError, match="only Postgres and MySQL"):
        cloud.clickpipes.resync(sid, streaming.id)
    assert cloud.clickpipes.stop(sid, cdc.id).status == "Pausing"
    emu.advance(PIPE_STOP_SECONDS)
    assert cloud.clickpipes.get(sid, cdc.id).status == "Paused"
    cloud.clickpipes.update(sid, cdc.id, source=edit)
    assert cloud.clickpipes.resync(sid, cdc.id).status == "Resync"
    emu.advance(PIPE_START_SECONDS)
    assert cloud.clickpipes.get(sid, cdc.id).status == "Running"
    streaming = cloud.clickpipes.create(sid, name="stream", source=kafka(), destination=TABLE)
    with pytest.raises(dbcloud.BadRequestError, match="only Postgres and MySQL"):
        cloud.clickpipes.resync(sid, streaming.id)


def test_an_idle_service_answers_424(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = ready_service(cloud, emu, idle_scaling=True, idle_timeout_minutes=5)
    emu.advance(600)
    with pytest.raises(ServiceIdleError):
        list(cloud.clickpipes.list(sid))
    with pytest.raises(ServiceIdleError, match="Current state: idle"):
        cloud.clickpipes.create(sid, name="early", source=kafka(), destination=TABLE)
    cloud.services.wake(sid)
    emu.advance(PROVISION_SECONDS)
    assert list(cloud.clickpipes.list(sid)) == []


def test_the_emulator_refuses_bodies_the_vendor_refuses(emu: Emulator) -> None:
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    base = emu.env["CLICKHOUSE_API_URL"]
    with dbcloud.ClickHouseCloud(key_id=auth[0], key_secret=auth[1], base_url=base, org_id=ORG_ID) as client:
        sid = client.services.create(
            name="raw-pipes", provider="aws", region="us-east-1", idle_scaling=False
        ).id
    emu.advance(PROVISION_SECONDS)
    url = f"{base}/v1/organizations/{ORG_ID}/services/{sid}/clickpipes"
    bad = [
        {"name": "x", "source": kafka(brokers=None), "destination": TABLE},
        {"name": "x", "source": kafka(credentials={"username": "u"}), "destination": TABLE},
        {"name": "", "source": kafka(), "destination": TABLE},
        {"name": "x", "source": {**kafka(), "kinesis": {"format": "JSONEachRow"}}, "destination": TABLE},
        {"name": "x", "source": kafka(), "destination": {"database": "default"}},
        {"name": "x", "source": kafka(format="XML"), "destination": TABLE},
    ]
    for body in bad:
        answer = httpx.post(url, auth=auth, json=body)
        assert answer.status_code == 400, body
        assert PASSWORD not in answer.text
    state = httpx.patch(f"{url}/{MISSING}/state", auth=auth, json={"command": "pause"})
    assert state.status_code == 400  # not a command of the spec's enum


def test_pipe_answers_validate_against_the_spec(emu: Emulator, shared_specs: Path) -> None:
    from openapi_schema_validator import OAS31Validator

    from ._spec import prepared

    doc = prepared(shared_specs, "clickhouse")
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    base = emu.env["CLICKHOUSE_API_URL"]
    with dbcloud.ClickHouseCloud(key_id=auth[0], key_secret=auth[1], base_url=base, org_id=ORG_ID) as client:
        sid = client.services.create(
            name="spec-pipes", provider="aws", region="us-east-1", idle_scaling=False
        ).id
    emu.advance(PROVISION_SECONDS)
    url = f"{base}/v1/organizations/{ORG_ID}/services/{sid}/clickpipes"
    made = httpx.post(url, auth=auth, json={"name": "spec", "source": kafka(), "destination": TABLE})
    pipe_url = f"{url}/{made.json()['result']['id']}"
    answers = [
        ("post", url, made),
        ("get", url, httpx.get(url, auth=auth)),
        ("get", pipe_url, httpx.get(pipe_url, auth=auth)),
        ("patch", pipe_url, httpx.patch(pipe_url, auth=auth, json={"name": "spec-2"})),
        ("patch", f"{pipe_url}/state", httpx.patch(f"{pipe_url}/state", auth=auth, json={"command": "stop"})),
        ("delete", pipe_url, httpx.delete(pipe_url, auth=auth)),
    ]
    for method, sent_to, answer in answers:
        assert answer.status_code == 200, answer.text
        path = sent_to.removeprefix(base).replace(ORG_ID, "{organizationId}").replace(sid, "{serviceId}")
        path = path.replace(pipe_url.rsplit("/", 1)[1], "{clickPipeId}")
        schema = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = list(OAS31Validator({**schema, "components": doc["components"]}).iter_errors(answer.json()))
        assert errors == [], (method, path, errors[0].message if errors else None)
