"""ClickHouse Cloud day-2 calls through the facade, replayed from tests/cassettes/clickhouse/:
a query endpoint's lifecycle, private endpoint configs, the backup configuration, ClickHouse
settings and the usage cost report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import dbcloud

from ._targets import Target

API = "clickhouse"
pytestmark = pytest.mark.vcr

# Fixed: requests carry them, and a replay must send the same bytes.
REPORT_FROM, REPORT_TO = dt.date(2026, 12, 1), dt.date(2026, 12, 31)


@pytest.fixture
def cloud(target: Target) -> Iterator[dbcloud.ClickHouseCloud]:
    with target.connect(dbcloud.ClickHouseCloud) as client:
        yield client


def running_service(cloud: dbcloud.ClickHouseCloud) -> str:
    services = [s for s in cloud.services.list() if str(s.state) == "running"]
    assert services, "the organization has a running service"
    return str(services[0].id)


def test_query_endpoint_lifecycle(cloud: dbcloud.ClickHouseCloud) -> None:
    # Without API key ids: `openApiKeys` ends in a word of the secret-name rule, so the scrubber
    # replaces the ids in the cassette, and a replay could not send the same body.
    sid = running_service(cloud)
    assert cloud.query_endpoints.get(sid) is None, "a service starts without one"
    made = cloud.query_endpoints.upsert(sid, roles=["sql_console_read_only"])
    assert made.roles == ("sql_console_read_only",)
    replaced = cloud.query_endpoints.upsert(
        sid, roles=["sql_console_admin"], allowed_origins=["app.example.com"]
    )
    assert replaced.id == made.id
    got = cloud.query_endpoints.get(sid)
    assert got is not None
    assert (got.roles, got.allowed_origins) == (("sql_console_admin",), "app.example.com")
    cloud.query_endpoints.delete(sid)
    assert cloud.query_endpoints.get(sid) is None
    with pytest.raises(dbcloud.NotFoundError):
        cloud.query_endpoints.delete(sid)


def test_private_endpoints_and_backup_configuration(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = running_service(cloud)
    config = cloud.services.private_endpoint_config(sid)
    assert config.endpoint_service_id
    assert config.private_dns_hostname
    region = cloud.organizations.private_endpoint_config("aws", "us-east-1")
    assert region.endpoint_service_id

    first = cloud.backup_configuration.get(sid)
    assert first.backup_period_hours == 24
    changed = cloud.backup_configuration.update(sid, backup_period_hours=12, backup_retention_period_hours=72)
    assert (changed.backup_period_hours, changed.backup_retention_period_hours) == (12, 72)
    daily = cloud.backup_configuration.update(sid, backup_start_time="02:00")
    assert (daily.backup_period_hours, daily.backup_start_time) == (24, "02:00")
    assert cloud.backup_configuration.get(sid) == daily


def test_clickhouse_settings(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = running_service(cloud)
    configurable = [entry.name for entry in cloud.clickhouse_settings.schema(sid)]
    assert "compatibility" in configurable
    applied = cloud.clickhouse_settings.update(sid, {"compatibility": "24.8"})
    assert applied.settings == {"compatibility": "24.8"}
    assert applied.warnings, "a compatibility change comes with a warning"
    assert [(s.name, s.value) for s in cloud.clickhouse_settings.list(sid)] == [("compatibility", "24.8")]
    assert cloud.clickhouse_settings.get(sid, "compatibility").value == "24.8"
    cloud.clickhouse_settings.reset(sid, "compatibility")
    assert list(cloud.clickhouse_settings.list(sid)) == []


def test_usage_cost(cloud: dbcloud.ClickHouseCloud) -> None:
    report = cloud.usage(REPORT_FROM, REPORT_TO)
    assert report.id == "2026-12-01..2026-12-31"
    assert report.grand_total_chc is not None
    assert report.grand_total_chc == pytest.approx(sum(c.total_chc or 0 for c in report.costs))
    assert {c.entity_type for c in report.costs} <= {"service", "datawarehouse"}
    with pytest.raises(dbcloud.ValidationError):
        cloud.usage(REPORT_FROM, REPORT_TO + dt.timedelta(days=1))
