"""ClickHouse Cloud day-2 answers in the shapes the vendor's own tools' tests answer them, read
through `ClickHouseCloud` (and its async twin).

Sources (shapes only; every body here is ours):
- CTL: ClickHouse/clickhousectl, crates/clickhouse-cloud-api/tests/client_test.rs: the query
  endpoint answered without `openApiKeys` and with roles outside the spec's enum ("admin",
  "reader"), `allowedOrigins` "*"; the service private endpoint config; the organization's
  regional config with only `endpointServiceId`; the backup configuration with `backupStartTime`
  beside the period; the usage cost answered with and without `requestId`, with no costs.
- TF: ClickHouse/terraform-provider-clickhouse, internal/api/query_endpoints.go: a GET answering
  404 while a service has no query endpoint, read as "none".
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests._bridge import Flavour

from ._support import Answer, drifted
from .test_clickhouse import ORG, SERVICE_PATH, SVC, _no_profile, cloud

__all__ = ["_no_profile"]  # the autouse fixture, shared with the module it comes from

CTL_QUERY_ENDPOINT = Answer(
    f"{SERVICE_PATH}/serviceQueryEndpoint",
    {"status": 200, "result": {"id": "qe-7", "allowedOrigins": "*", "roles": ["admin"]}},
    "CTL: client_test.rs get_query_endpoint, the answer without openApiKeys",
)
TF_NO_QUERY_ENDPOINT = Answer(
    f"{SERVICE_PATH}/serviceQueryEndpoint",
    {"status": 404, "error": "Not found", "requestId": "1f0e2d3c-4b5a-4697-8877-665544332211"},
    "TF: query_endpoints.go, GetQueryEndpoint reading a 404 as no endpoint",
    status=404,
)
CTL_SERVICE_PRIVATE = Answer(
    f"{SERVICE_PATH}/privateEndpointConfig",
    {
        "status": 200,
        "result": {"endpointServiceId": "vpce-svc-0example", "privateDnsHostname": "s.private.test"},
    },
    "CTL: client_test.rs get_private_endpoint_config_for_service",
)
CTL_REGION_PRIVATE = Answer(
    f"/v1/organizations/{ORG}/privateEndpointConfig",
    {"status": 200, "result": {"endpointServiceId": "com.amazonaws.vpce.us-east-1.vpce-svc-0example"}},
    "CTL: client_test.rs get_private_endpoint_config (deprecated call)",
)
CTL_BACKUP = Answer(
    f"{SERVICE_PATH}/backupConfiguration",
    {
        "status": 200,
        "result": {
            "backupPeriodInHours": 24,
            "backupRetentionPeriodInHours": 168,
            "backupStartTime": "02:00",
        },
    },
    "CTL: client_test.rs get_backup_configuration",
)
CTL_USAGE = Answer(
    f"/v1/organizations/{ORG}/usageCost",
    {"status": 200, "result": {"costs": [], "grandTotalCHC": 50.25}},
    "CTL: client_test.rs get_usage_cost_with_query_params, no requestId",
)


def test_a_query_endpoint_without_keys_and_with_unlisted_roles(flavour: Flavour) -> None:
    with cloud(flavour, CTL_QUERY_ENDPOINT) as ch:
        endpoint = ch.query_endpoints.get(SVC)
    assert endpoint is not None
    assert (endpoint.id, endpoint.roles, endpoint.open_api_keys, endpoint.allowed_origins) == (
        "qe-7",
        ("admin",),
        (),
        "*",
    )


def test_no_query_endpoint_reads_as_none(flavour: Flavour) -> None:
    with cloud(flavour, TF_NO_QUERY_ENDPOINT) as ch:
        assert ch.query_endpoints.get(SVC) is None


def test_the_private_endpoint_configs(flavour: Flavour) -> None:
    with cloud(flavour, CTL_SERVICE_PRIVATE, CTL_REGION_PRIVATE) as ch:
        service = ch.services.private_endpoint_config(SVC)
        region = ch.organizations.private_endpoint_config("aws", "us-east-1")
    assert (service.endpoint_service_id, service.private_dns_hostname) == (
        "vpce-svc-0example",
        "s.private.test",
    )
    assert region.endpoint_service_id == "com.amazonaws.vpce.us-east-1.vpce-svc-0example"


@pytest.mark.parametrize("kind", ["null", "missing", "text-number"])
def test_the_backup_configuration_and_its_drifts(flavour: Flavour, kind: str) -> None:
    answer = drifted(CTL_BACKUP, lambda body: body["result"], "backupRetentionPeriodInHours", kind)
    with cloud(flavour, answer) as ch:
        config = ch.backup_configuration.get(SVC)
    assert (config.id, config.backup_period_hours, config.backup_start_time) == (SVC, 24, "02:00")
    assert config.backup_retention_period_hours == (168 if kind == "text-number" else None)


@pytest.mark.parametrize("kind", ["null", "missing", "text-number"])
def test_the_usage_cost_and_its_drifts(flavour: Flavour, kind: str) -> None:
    answer = drifted(CTL_USAGE, lambda body: body["result"], "grandTotalCHC", kind)
    with cloud(flavour, answer) as ch:
        report = ch.usage(dt.date(2024, 1, 1), "2024-01-31")
    assert report.costs == ()
    assert report.grand_total_chc == (50.25 if kind == "text-number" else None)
    with cloud(flavour, CTL_USAGE) as ch:
        assert ch.usage("2024-01-01", "2024-01-31").grand_total_chc == 50.25
