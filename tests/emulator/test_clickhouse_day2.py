"""ClickHouse Cloud day-2 operations end to end against the emulator, on both client flavours:
query API endpoints, private endpoint configs, backup configuration, ClickHouse settings, usage."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickhouse import AsyncClickHouseCloud
from dbcloud.emulator import Emulator, running
from tests._bridge import Flavour

MISSING = "11111111-2222-4333-8444-555555555555"


@pytest.fixture(scope="module")
def emulators() -> Iterator[dict[str, Emulator]]:
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(running(speed=3000)) for name in ("sync", "async")}


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CLICKHOUSE_ORG_ID", "CLICKHOUSE_API_URL", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


@pytest.fixture
def cloud(emulators: dict[str, Emulator], flavour: Flavour) -> Iterator[dbcloud.ClickHouseCloud]:
    emu = emulators["async" if flavour.is_async else "sync"]
    with flavour.client(
        dbcloud.ClickHouseCloud,
        AsyncClickHouseCloud,
        key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
    ) as client:
        yield client


def seeded(cloud: dbcloud.ClickHouseCloud) -> str:
    return next(s.id for s in cloud.services.list() if s.name == "emulated-service")


def key_id(cloud: dbcloud.ClickHouseCloud) -> str:
    return next(iter(cloud.keys.list())).id


def test_query_endpoint_lifecycle(cloud: dbcloud.ClickHouseCloud) -> None:
    sid, key = seeded(cloud), key_id(cloud)
    assert cloud.query_endpoints.get(sid) is None
    made = cloud.query_endpoints.upsert(sid, roles=["sql_console_read_only"], open_api_keys=[key])
    assert (made.roles, made.open_api_keys, made.allowed_origins) == (("sql_console_read_only",), (key,), "")
    changed = cloud.query_endpoints.upsert(
        sid, roles=["sql_console_admin"], open_api_keys=[key], allowed_origins="app.example.com"
    )
    assert changed.id == made.id  # one endpoint per service, replaced
    got = cloud.query_endpoints.get(sid)
    assert got is not None
    assert (got.roles, got.allowed_origins) == (("sql_console_admin",), "app.example.com")
    cloud.query_endpoints.delete(sid)
    assert cloud.query_endpoints.get(sid) is None
    with pytest.raises(dbcloud.NotFoundError):
        cloud.query_endpoints.delete(sid)


def test_query_endpoint_rules(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = seeded(cloud)
    with pytest.raises(dbcloud.BadRequestError, match="unknown API key"):
        cloud.query_endpoints.upsert(sid, roles=["sql_console_admin"], open_api_keys=[MISSING])
    with pytest.raises(dbcloud.NotFoundError):
        cloud.query_endpoints.upsert(MISSING, roles=["sql_console_admin"])
    assert cloud.query_endpoints.get(MISSING) is None


def test_private_endpoint_configs(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = seeded(cloud)
    config = cloud.services.private_endpoint_config(sid)
    assert config.endpoint_service_id is not None
    assert config.endpoint_service_id.startswith("com.amazonaws.vpce.us-east-1.vpce-svc-")
    assert config.private_dns_hostname == f"{sid[:10]}.us-east-1.vpce.aws.clickhouse.cloud"
    assert cloud.services.private_endpoint_config(sid) == config  # the same each time
    region = cloud.organizations.private_endpoint_config("aws", "us-east-1")
    assert region.endpoint_service_id == config.endpoint_service_id
    assert cloud.organizations.private_endpoint_config("gcp", "us-east1").endpoint_service_id
    with pytest.raises(dbcloud.BadRequestError):
        cloud.organizations.private_endpoint_config("aws", "atlantis")
    with pytest.raises(dbcloud.NotFoundError):
        cloud.services.private_endpoint_config(MISSING)


def test_backup_configuration(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = seeded(cloud)
    first = cloud.backup_configuration.get(sid)
    assert (first.backup_period_hours, first.backup_retention_period_hours, first.backup_start_time) == (
        24,
        24,
        None,
    )
    changed = cloud.backup_configuration.update(
        sid, backup_period_hours=12, backup_retention_period_hours=168
    )
    assert (changed.backup_period_hours, changed.backup_retention_period_hours) == (12, 168)
    daily = cloud.backup_configuration.update(sid, backup_start_time="03:00")
    assert (daily.backup_period_hours, daily.backup_start_time) == (24, "03:00")
    assert cloud.backup_configuration.get(sid) == daily
    back = cloud.backup_configuration.update(sid, backup_period_hours=24, backup_retention_period_hours=24)
    assert back.backup_start_time is None
    with pytest.raises(dbcloud.NotFoundError):
        cloud.backup_configuration.get(MISSING)


def test_backup_configuration_refuses_what_the_vendor_refuses(cloud: dbcloud.ClickHouseCloud) -> None:
    # Sent past the facade's own checks, as another client could.
    sid = seeded(cloud)
    path = f"/v1/organizations/{cloud.organizations.get().id}/services/{sid}/backupConfiguration"
    for bad in (
        {"backupPeriodInHours": 7},
        {"backupRetentionPeriodInHours": 30},
        {"backupStartTime": "3:30"},
    ):
        with pytest.raises(dbcloud.BadRequestError):
            cloud.request("PATCH", path, json=bad)


def test_settings(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = seeded(cloud)
    applied = cloud.clickhouse_settings.update(sid, {"compatibility": "24.8", "max_threads": 8})
    assert applied.settings == {"compatibility": "24.8", "max_threads": "8"}
    assert [name for name, _ in applied.warnings] == ["compatibility"]
    assert {(s.name, s.value) for s in cloud.clickhouse_settings.list(sid)} >= {
        ("compatibility", "24.8"),
        ("max_threads", "8"),
    }
    assert cloud.clickhouse_settings.get(sid, "max_threads").value == "8"
    schema = {entry.name: entry for entry in cloud.clickhouse_settings.schema(sid)}
    assert schema["compatibility"].warning
    assert schema["allow_experimental_analyzer"].allowed == ("0", "1")
    with pytest.raises(dbcloud.BadRequestError, match="not a configurable setting"):
        cloud.clickhouse_settings.update(sid, {"no_such_setting": "1"})
    cloud.clickhouse_settings.reset(sid, "max_threads")
    cloud.clickhouse_settings.reset(sid, "max_threads")  # a no-op the second time
    with pytest.raises(dbcloud.NotFoundError):
        cloud.clickhouse_settings.get(sid, "max_threads")


def test_usage(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = seeded(cloud)
    today = dt.datetime.now(dt.UTC).date()
    report = cloud.usage(today - dt.timedelta(days=2), today)
    mine = [c for c in report.costs if c.id == sid]
    assert len(mine) >= 2  # the seeded service was created a day ago
    assert all(c.entity_type == "service" and c.metrics["compute"] > 0 for c in mine)
    assert report.grand_total_chc == pytest.approx(sum(c.total_chc or 0 for c in report.costs))
    assert cloud.usage(today - dt.timedelta(days=2), today) == report  # deterministic
    assert cloud.usage(today + dt.timedelta(days=1), today + dt.timedelta(days=2)).costs == ()
    assert cloud.usage(today, today, filters=["tag:team=none"]).costs == ()


def test_usage_range_is_refused_by_the_server_too(cloud: dbcloud.ClickHouseCloud) -> None:
    path = f"/v1/organizations/{cloud.organizations.get().id}/usageCost"
    with pytest.raises(dbcloud.BadRequestError, match="30 days"):
        cloud.request("GET", path, params={"from_date": "2025-01-01", "to_date": "2025-02-01"})


def test_the_stateful_answers_validate_against_the_spec(
    emulators: dict[str, Emulator], shared_specs: Path
) -> None:
    from openapi_schema_validator import OAS31Validator

    from dbcloud.emulator.clickhouse import ORG_ID

    from ._spec import prepared

    emu = emulators["sync"]
    doc = prepared(shared_specs, "clickhouse")
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    org = f"/v1/organizations/{ORG_ID}"
    today = dt.datetime.now(dt.UTC).date()
    with httpx.Client(base_url=emu.env["CLICKHOUSE_API_URL"], auth=auth) as client:
        sid = client.get(f"{org}/services").json()["result"][0]["id"]
        key = client.get(f"{org}/keys").json()["result"][0]["id"]
        service = f"{org}/services/{sid}"
        calls: list[tuple[str, str, str, dict[str, Any]]] = [
            ("post", "/services/{serviceId}/serviceQueryEndpoint", f"{service}/serviceQueryEndpoint",
             {"json": {"roles": ["sql_console_admin"], "openApiKeys": [key], "allowedOrigins": ""}}),
            ("get", "/services/{serviceId}/serviceQueryEndpoint", f"{service}/serviceQueryEndpoint", {}),
            ("delete", "/services/{serviceId}/serviceQueryEndpoint", f"{service}/serviceQueryEndpoint", {}),
            ("get", "/services/{serviceId}/privateEndpointConfig", f"{service}/privateEndpointConfig", {}),
            ("get", "/privateEndpointConfig", f"{org}/privateEndpointConfig",
             {"params": {"cloud_provider": "azure", "region_id": "eastus2"}}),
            ("patch", "/services/{serviceId}/backupConfiguration", f"{service}/backupConfiguration",
             {"json": {"backupStartTime": "02:00"}}),
            ("get", "/services/{serviceId}/backupConfiguration", f"{service}/backupConfiguration", {}),
            ("patch", "/services/{serviceId}/clickhouseSettings", f"{service}/clickhouseSettings",
             {"json": {"settings": '{"compatibility": "24.8"}'}}),
            ("get", "/services/{serviceId}/clickhouseSettings", f"{service}/clickhouseSettings", {}),
            ("get", "/services/{serviceId}/clickhouseSettings/schema",
             f"{service}/clickhouseSettings/schema", {}),
            ("get", "/services/{serviceId}/clickhouseSettings/{settingName}",
             f"{service}/clickhouseSettings/compatibility", {}),
            ("get", "/usageCost", f"{org}/usageCost",
             {"params": {"from_date": str(today - dt.timedelta(days=3)), "to_date": str(today)}}),
        ]  # fmt: skip
        for method, template, path, extra in calls:
            answer = client.request(method.upper(), path, **extra)
            assert answer.status_code == 200, (path, answer.text)
            spec_path = "/v1/organizations/{organizationId}" + template
            schema = doc["paths"][spec_path][method]["responses"]["200"]["content"]["application/json"][
                "schema"
            ]
            errors = list(
                OAS31Validator({**schema, "components": doc["components"]}).iter_errors(answer.json())
            )
            assert errors == [], (path, errors[0].message)


@pytest.mark.parametrize("kind", ["unknown-enum", "null", "missing", "text-number"])
def test_the_day2_calls_read_drifted_answers(kind: str) -> None:
    # The emulator answering as real servers do where they differ from the spec: no call fails.
    with running(speed=3000, drift={"clickhouse": [kind]}) as emu:
        cloud = dbcloud.ClickHouseCloud(
            key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
            key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
            base_url=emu.env["CLICKHOUSE_API_URL"],
        )
        with cloud:
            sid = next(iter(cloud.services.list())).id
            today = dt.datetime.now(dt.UTC).date()
            made = cloud.query_endpoints.upsert(sid, roles=["sql_console_admin"])
            assert cloud.query_endpoints.get(sid) is not None
            assert made.service_id == sid
            cloud.backup_configuration.update(sid, backup_retention_period_hours=48)
            assert cloud.backup_configuration.get(sid).id == sid
            cloud.clickhouse_settings.update(sid, {"compatibility": "24.8"})
            assert [s.name for s in cloud.clickhouse_settings.list(sid)] == ["compatibility"]
            assert cloud.services.private_endpoint_config(sid).id == sid
            report = cloud.usage(today - dt.timedelta(days=1), today)
            assert all(isinstance(c.metrics, dict) for c in report.costs)
