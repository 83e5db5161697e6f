"""Query API endpoints, private endpoint configs, backup configuration, ClickHouse settings and the
usage cost report: each request's method, path, query and body as the vendor's tools send them,
answers read tolerantly, bad input refused before sending, the endpoint's delete sent once."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

import dbcloud
from dbcloud.clickhouse import BackupConfiguration, QueryEndpoint

from .conftest import KEY, ORG, SVC, FakeCloud, body, failure

BASE_PATH = f"/v1/organizations/{ORG}"
SERVICE = f"{BASE_PATH}/services/{SVC}"
ENDPOINT = f"{SERVICE}/serviceQueryEndpoint"
KEY2 = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"


def query(request: httpx.Request) -> list[tuple[str, str]]:
    return list(request.url.params.multi_items())


# --- query API endpoints -------------------------------------------------------------------------


def test_upsert_sends_all_three_fields_as_the_provider_does(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    answer = {"id": "qe-1", "roles": ["sql_console_admin"], "openApiKeys": [KEY], "allowedOrigins": ""}
    fake.on("POST", ENDPOINT, answer)
    endpoint = ch.query_endpoints.upsert(SVC, roles=["sql_console_admin"], open_api_keys=[KEY])

    (request,) = fake.requests
    assert (request.method, request.url.path) == ("POST", ENDPOINT)
    # The provider's ServiceQueryEndpoint marshals roles, openApiKeys and allowedOrigins always.
    assert body(request) == {"roles": ["sql_console_admin"], "openApiKeys": [KEY], "allowedOrigins": ""}
    assert list(body(request)) == ["roles", "openApiKeys", "allowedOrigins"]
    assert endpoint == QueryEndpoint("qe-1", SVC, ("sql_console_admin",), (KEY,), "")


def test_upsert_joins_a_list_of_origins_and_defaults_keys_to_none(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("POST", ENDPOINT, {"id": "qe-1"})
    ch.query_endpoints.upsert(
        SVC, roles=["sql_console_read_only"], allowed_origins=["app.example.com", "example.org"]
    )
    assert body(fake.last) == {
        "roles": ["sql_console_read_only"],
        "openApiKeys": [],
        "allowedOrigins": "app.example.com,example.org",
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": "sql_console_admin"}, "roles"),
        ({"roles": ["admin"]}, "roles"),
        ({"roles": ["sql_console_admin"], "open_api_keys": ["not-a-uuid"]}, "open_api_keys"),
        ({"roles": ["sql_console_admin"], "open_api_keys": KEY}, "open_api_keys"),
        ({"roles": ["sql_console_admin"], "allowed_origins": ["a.com,b.com"]}, "allowed_origins"),
    ],
)
def test_upsert_refuses_bad_input_before_sending(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as caught:
        ch.query_endpoints.upsert(SVC, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert fake.requests == []


def test_get_reads_the_endpoint_tolerantly(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", ENDPOINT, {"roles": ["sql_console_admin", "a_new_role"], "openApiKeys": None, "extra": 1})
    endpoint = ch.query_endpoints.get(SVC)
    assert endpoint is not None
    assert (endpoint.id, endpoint.roles, endpoint.open_api_keys) == (
        "",
        ("sql_console_admin", "a_new_role"),
        (),
    )
    assert endpoint.allowed_origins is None
    assert endpoint.raw["extra"] == 1


def test_get_without_an_endpoint_is_none_as_for_the_provider(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("GET", ENDPOINT, failure(404, "Service query endpoint not found"))
    assert ch.query_endpoints.get(SVC) is None


def test_a_broken_answer_is_a_typed_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", ENDPOINT, ["not", "an", "object"])
    with pytest.raises(dbcloud.APIResponseError):
        ch.query_endpoints.get(SVC)


def test_delete_is_sent_once_after_a_server_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", ENDPOINT, failure(503, "unavailable"), None)
    with pytest.raises(dbcloud.APIStatusError):
        ch.query_endpoints.delete(SVC)
    assert len(fake.requests) == 1


def test_delete_is_repeated_after_a_rate_limit(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", ENDPOINT, failure(429, "slow down", **{"Retry-After": "1"}), None)
    assert ch.query_endpoints.delete(SVC) is None
    assert [r.method for r in fake.requests] == ["DELETE", "DELETE"]


def test_delete_of_no_endpoint_is_not_found(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", ENDPOINT, failure(404, "Service query endpoint not found"))
    with pytest.raises(dbcloud.NotFoundError):
        ch.query_endpoints.delete(SVC)


def test_a_bad_service_id_sends_nothing(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    for verb in (ch.query_endpoints.get, ch.query_endpoints.delete, ch.services.private_endpoint_config):
        with pytest.raises(dbcloud.ValidationError):
            verb("svc-1")
    assert fake.requests == []


# --- private endpoint configs ----------------------------------------------------------------------


def test_service_private_endpoint_config(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on(
        "GET",
        f"{SERVICE}/privateEndpointConfig",
        {
            "endpointServiceId": "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b",
            "privateDnsHostname": "x.vpce.ch.cloud",
        },
    )
    config = ch.services.private_endpoint_config(SVC)
    assert (config.id, config.endpoint_service_id, config.private_dns_hostname) == (
        SVC,
        "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b",
        "x.vpce.ch.cloud",
    )
    assert fake.last.method == "GET"


def test_service_private_endpoint_config_missing_fields_read_as_none(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("GET", f"{SERVICE}/privateEndpointConfig", {"privateDnsHostname": None})
    config = ch.services.private_endpoint_config(SVC)
    assert (config.endpoint_service_id, config.private_dns_hostname) == (None, None)


def test_region_private_endpoint_config_sends_the_providers_query(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on("GET", f"{BASE_PATH}/privateEndpointConfig", {"endpointServiceId": "svc-name"})
    config = ch.organizations.private_endpoint_config("aws", "us-east-2")
    assert query(fake.last) == [("cloud_provider", "aws"), ("region_id", "us-east-2")]
    assert (config.id, config.endpoint_service_id) == ("aws/us-east-2", "svc-name")


@pytest.mark.parametrize(
    ("provider", "region"), [("ibm", "us-east-1"), ("aws", ""), ("aws", "us-east-1&x=1")]
)
def test_region_private_endpoint_config_refuses_bad_input(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, provider: str, region: str
) -> None:
    with pytest.raises(dbcloud.ValidationError):
        ch.organizations.private_endpoint_config(provider, region)
    assert fake.requests == []


# --- backup configuration ---------------------------------------------------------------------------


def test_backup_configuration_get_reads_numbers_as_text(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on(
        "GET",
        f"{SERVICE}/backupConfiguration",
        {"backupPeriodInHours": "24", "backupRetentionPeriodInHours": 48.0, "backupStartTime": None},
    )
    assert ch.backup_configuration.get(SVC) == BackupConfiguration(SVC, 24, 48, None)


def test_backup_configuration_update_sends_only_what_is_given(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on(
        "PATCH",
        f"{SERVICE}/backupConfiguration",
        {"backupPeriodInHours": 12, "backupRetentionPeriodInHours": 72},
    )
    config = ch.backup_configuration.update(SVC, backup_period_hours=12, backup_retention_period_hours=72)
    assert body(fake.last) == {"backupPeriodInHours": 12, "backupRetentionPeriodInHours": 72}
    assert (config.backup_period_hours, config.backup_retention_period_hours) == (12, 72)


def test_backup_configuration_update_with_a_start_time(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("PATCH", f"{SERVICE}/backupConfiguration", {"backupStartTime": "03:00"})
    ch.backup_configuration.update(SVC, backup_start_time="3:00")
    assert body(fake.last) == {"backupStartTime": "03:00"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"backup_period_hours": 5},
        {"backup_period_hours": 12.5},
        {"backup_period_hours": True},
        {"backup_retention_period_hours": 30},
        {"backup_retention_period_hours": 1104},
        {"backup_start_time": "03:30"},
        {"backup_start_time": "24:00"},
        {"backup_period_hours": 24, "backup_start_time": "03:00"},
    ],
)
def test_backup_configuration_update_refuses_what_the_vendor_refuses(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, kwargs: dict[str, object]
) -> None:
    with pytest.raises(dbcloud.ValidationError):
        ch.backup_configuration.update(SVC, **kwargs)  # type: ignore[arg-type]
    assert fake.requests == []


# --- ClickHouse settings ---------------------------------------------------------------------------


def test_settings_list_and_get(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on(
        "GET",
        f"{SERVICE}/clickhouseSettings",
        {"settings": [{"name": "compatibility", "value": "24.8"}, "junk"]},
    )
    fake.on("GET", f"{SERVICE}/clickhouseSettings/max_threads", {"value": 8})
    assert [(s.name, s.value) for s in ch.clickhouse_settings.list(SVC)] == [("compatibility", "24.8")]
    one = ch.clickhouse_settings.get(SVC, "max_threads")
    assert (one.id, one.value) == ("max_threads", "8")


def test_settings_update_sends_the_object_as_json_text(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on(
        "PATCH",
        f"{SERVICE}/clickhouseSettings",
        {
            "settings": '{"compatibility":"24.8"}',
            "warnings": [{"name": "compatibility", "message": "test first"}],
        },
    )
    applied = ch.clickhouse_settings.update(SVC, {"compatibility": "24.8", "max_threads": 8})
    assert body(fake.last) == {"settings": '{"compatibility":"24.8","max_threads":8}'}
    assert applied.settings == {"compatibility": "24.8"}
    assert applied.warnings == (("compatibility", "test first"),)


def test_settings_reset_and_refusals(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", f"{SERVICE}/clickhouseSettings/compatibility", None)
    assert ch.clickhouse_settings.reset(SVC, "compatibility") is None
    assert fake.last.method == "DELETE"
    for bad in ({}, {"a/b": "1"}, {"x": None}, {"x": [1]}):
        with pytest.raises(dbcloud.ValidationError):
            ch.clickhouse_settings.update(SVC, bad)  # type: ignore[arg-type]
    with pytest.raises(dbcloud.ValidationError):
        ch.clickhouse_settings.get(SVC, "../keys")
    assert len(fake.requests) == 1


# --- usage cost --------------------------------------------------------------------------------------

USAGE = {
    "grandTotalCHC": "12.5",
    "costs": [
        {
            "dataWarehouseId": SVC,
            "serviceId": SVC,
            "date": "2025-01-01",
            "entityType": "service",
            "entityId": SVC,
            "entityName": "analytics",
            "metrics": {"computeCHC": "10.25", "storageCHC": 2.25, "newCHC": None},
            "totalCHC": "12.5",
            "locked": "true",
        },
        {"entityType": "a_new_kind", "entityId": KEY2, "totalCHC": None},
        "junk",
    ],
}


def test_usage_sends_the_days_and_reads_numbers_as_text(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", f"{BASE_PATH}/usageCost", USAGE)
    report = ch.usage("2025-01-01", dt.date(2025, 1, 31), filters=["tag:env=prod", "tag:team=a"])
    assert query(fake.last) == [
        ("from_date", "2025-01-01"),
        ("to_date", "2025-01-31"),
        ("filter", "tag:env=prod"),
        ("filter", "tag:team=a"),
    ]
    assert (report.id, report.grand_total_chc) == ("2025-01-01..2025-01-31", 12.5)
    first, second = report.costs
    assert (first.id, first.name, first.date, first.total_chc, first.locked) == (
        SVC,
        "analytics",
        dt.date(2025, 1, 1),
        12.5,
        True,
    )
    assert first.metrics == {"compute": 10.25, "storage": 2.25}
    assert (second.entity_type, second.total_chc, second.date) == ("a_new_kind", None, None)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-01-01", "2025-02-01"),  # 32 days
        ("2025-01-02", "2025-01-01"),
        ("2025/01/01", "2025-01-02"),
        (dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "2025-01-02"),
    ],
)
def test_usage_refuses_a_range_the_api_refuses(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, start: object, end: object
) -> None:
    with pytest.raises(dbcloud.ValidationError):
        ch.usage(start, end)  # type: ignore[arg-type]
    assert fake.requests == []


def test_get_answered_by_a_page_is_not_taken_for_no_endpoint(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    fake.on(
        "GET",
        ENDPOINT,
        httpx.Response(404, text="<html>Not Found</html>", headers={"Content-Type": "text/html"}),
    )
    with pytest.raises(dbcloud.NotFoundError, match="not available"):
        ch.query_endpoints.get(SVC)


def test_settings_schema_reads_each_entry(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on(
        "GET",
        f"{SERVICE}/clickhouseSettings/schema",
        {
            "settings": [
                {"name": "allow_x", "type": "bool", "enum": [0, 1], "deprecationNotice": "going"},
                {"type": "string"},  # no name: left out
            ]
        },
    )
    (entry,) = ch.clickhouse_settings.schema(SVC)
    assert (entry.id, entry.type, entry.allowed, entry.deprecation_notice) == (
        "allow_x",
        "bool",
        ("0", "1"),
        "going",
    )
