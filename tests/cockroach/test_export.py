"""Log export and metric export: each call's method, path and body as the vendor's Terraform
provider sends them, answers read tolerantly, checks before sending, the waits for ENABLED, and
the Datadog and Azure keys kept out of reprs, logs, errors and records."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import LogExport, LogExportGroup, MetricExport

from .conftest import CLUSTER_ID, FakeCockroach, body

CLUSTERS = f"/api/v1/clusters/{CLUSTER_ID}"
LOGS = f"{CLUSTERS}/logexport"
DATADOG = f"{CLUSTERS}/metricexport/datadog"
CLOUDWATCH = f"{CLUSTERS}/metricexport/cloudwatch"
PROMETHEUS = f"{CLUSTERS}/metricexport/prometheus"
DD_KEY = "dd0123456789abcdef0123456789wxyz"
AZURE_KEY = "azUreSharedKey+9f8e7d6c5b4a=="
ROLE = "arn:aws:iam::123456789012:role/ExampleRole"

Call = Callable[[dbcloud.CockroachCloud], object]


def log_info(status: str = "ENABLING", **spec: object) -> dict[str, object]:
    return {
        "cluster_id": CLUSTER_ID,
        "status": status,
        "spec": {"type": "GCP_CLOUD_LOGGING", "log_name": "default", "auth_principal": "my-project", **spec},
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:05:00Z",
    }


# --- log export --------------------------------------------------------------------------------


def test_enable_log_export_sends_the_providers_body(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", LOGS, log_info(redact=True, groups=[{"log_name": "devops", "channels": ["OPS"]}]))
    found = crdb.log_export.enable(
        CLUSTER_ID,
        type="gcp_cloud_logging",
        log_name="default",
        auth_principal="my-project",
        groups=[{"log_name": "devops", "channels": ["OPS", "HEALTH"], "min_level": "warning"}],
        omitted_channels=["SESSIONS", "SQL_PERF"],
        redact=True,
        region="us-east1",
    )
    (request,) = fake.requests
    assert (request.method, request.url.path) == ("POST", LOGS)
    assert body(request) == {
        "type": "GCP_CLOUD_LOGGING",
        "log_name": "default",
        "auth_principal": "my-project",
        "groups": [{"log_name": "devops", "channels": ["OPS", "HEALTH"], "min_level": "WARNING"}],
        "omitted_channels": ["SESSIONS", "SQL_PERF"],
        "redact": True,
        "region": "us-east1",
    }
    assert found.id == CLUSTER_ID
    assert (found.status, found.type, found.redact, found.enabled) == (
        "ENABLING",
        "GCP_CLOUD_LOGGING",
        True,
        False,
    )
    assert found.groups == (LogExportGroup("devops", ("OPS",)),)


def test_get_and_disable_log_export(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", LOGS, log_info("ENABLED"))
    fake.on("DELETE", LOGS, httpx.Response(503, json={"code": 14, "message": "x"}), log_info("DISABLING"))
    assert crdb.log_export.get(CLUSTER_ID).enabled
    assert crdb.log_export.disable(CLUSTER_ID).status == "DISABLING"
    assert len(fake.sent("DELETE", LOGS)) == 2  # retried like any DELETE


def test_a_log_export_answer_read_tolerantly(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", LOGS, {"status": "SOMETHING_NEW", "spec": None, "user_message": None})
    assert crdb.log_export.get(CLUSTER_ID) == LogExport(CLUSTER_ID, status="SOMETHING_NEW")


def test_wait_until_log_export_enabled(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", LOGS, log_info("ENABLING"), log_info("ENABLING"), log_info("ENABLED"))
    seen: list[str] = []
    assert crdb.log_export.wait_until_enabled(CLUSTER_ID, on_progress=lambda p: seen.append(p.state)).enabled
    assert seen == ["ENABLING", "ENABLING", "ENABLED"]


def test_a_failed_log_export_ends_the_wait(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", LOGS, {**log_info("CREDENTIALS_ERROR"), "user_message": "cannot assume the role"})
    with pytest.raises(dbcloud.ClusterFailed, match="CREDENTIALS_ERROR: cannot assume the role"):
        crdb.log_export.wait_until_enabled(CLUSTER_ID)


def test_the_azure_shared_key_is_in_no_log_error_record_or_repr(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echoed = {"code": 3, "message": f"bad key {AZURE_KEY}"}
    fake.on("POST", LOGS, lambda r: httpx.Response(400, json={**echoed, "request": json.loads(r.content)}))
    with pytest.raises(dbcloud.BadRequestError) as raised:
        crdb.log_export.enable(
            CLUSTER_ID,
            type="AZURE_LOG_ANALYTICS",
            log_name="default",
            auth_principal="workspace-1",
            azure_shared_key=dbcloud.Secret(AZURE_KEY),
        )
    assert body(fake.requests[0])["azure_shared_key"] == AZURE_KEY
    error = raised.value
    assert all(AZURE_KEY not in t for t in (str(error), repr(error), repr(error.body), caplog.text))
    fake.on("GET", LOGS, log_info("ENABLED", type="AZURE_LOG_ANALYTICS", azure_shared_key=AZURE_KEY))
    found = crdb.log_export.get(CLUSTER_ID)
    assert AZURE_KEY not in repr(found)
    assert AZURE_KEY not in json.dumps(found.raw)


# --- metric export -----------------------------------------------------------------------------


def test_enable_datadog_sends_site_and_key_and_hides_the_key(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.on(
        "POST", DATADOG, {"cluster_id": CLUSTER_ID, "site": "US5", "api_key": "wxyz", "status": "ENABLING"}
    )
    found = crdb.metric_export.datadog.enable(CLUSTER_ID, site="us5", api_key=DD_KEY)
    (request,) = fake.requests
    assert (request.method, request.url.path, body(request)) == (
        "POST",
        DATADOG,
        {"site": "US5", "api_key": DD_KEY},
    )
    assert DD_KEY not in str(request.url)
    assert (found.kind, found.site, found.status, found.api_key_last4) == (
        "datadog",
        "US5",
        "ENABLING",
        "wxyz",
    )
    assert "wxyz" not in json.dumps(found.raw)
    assert DD_KEY not in caplog.text


def test_a_datadog_key_echoed_in_an_error_is_masked(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", DATADOG, httpx.Response(400, json={"code": 3, "message": f"key {DD_KEY} is not valid"}))
    with pytest.raises(dbcloud.BadRequestError) as raised:
        crdb.metric_export.datadog.enable(CLUSTER_ID, site="US1", api_key=dbcloud.Secret(DD_KEY))
    assert DD_KEY not in str(raised.value)
    assert DD_KEY not in repr(raised.value.body)


def test_enable_cloudwatch_sends_only_what_is_given(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", CLOUDWATCH, {"cluster_id": CLUSTER_ID, "role_arn": ROLE, "status": "ENABLING"})
    found = crdb.metric_export.cloudwatch.enable(CLUSTER_ID, role_arn=ROLE, target_region="us-east-1")
    assert body(fake.requests[0]) == {"role_arn": ROLE, "target_region": "us-east-1"}
    assert (found.kind, found.role_arn) == ("cloudwatch", ROLE)


def test_prometheus_enable_sends_no_body_and_reads_its_targets(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", PROMETHEUS, {"cluster_id": CLUSTER_ID, "status": "ENABLING"})
    fake.on(
        "GET",
        PROMETHEUS,
        {"cluster_id": CLUSTER_ID, "status": "ENABLING"},
        {
            "cluster_id": CLUSTER_ID,
            "status": "ENABLED",
            "targets": {"us-east-1": "https://x/metrics", "n": None},
        },
    )
    crdb.metric_export.prometheus.enable(CLUSTER_ID)
    (request,) = fake.requests
    assert (request.method, request.content) == ("POST", b"")
    ready = crdb.metric_export.prometheus.wait_until_enabled(CLUSTER_ID)
    assert ready.targets == {"us-east-1": "https://x/metrics"}


def test_a_metric_export_in_error_ends_the_wait(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", CLOUDWATCH, {"cluster_id": CLUSTER_ID, "status": "ERROR", "user_message": "no access"})
    with pytest.raises(dbcloud.ClusterFailed, match="ERROR: no access"):
        crdb.metric_export.cloudwatch.wait_until_enabled(CLUSTER_ID)


def test_disable_reads_the_delete_answer(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("DELETE", DATADOG, {"status": "DISABLING"})  # no cluster_id: the one asked for
    assert crdb.metric_export.datadog.disable(CLUSTER_ID) == MetricExport(CLUSTER_ID, "datadog", "DISABLING")


def test_no_export_is_not_found(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    with pytest.raises(dbcloud.NotFoundError):
        crdb.metric_export.prometheus.get(CLUSTER_ID)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.log_export.get("../x"), "cluster_id"),
        (lambda c: c.log_export.enable(CLUSTER_ID, type="S3", log_name="l", auth_principal="p"), "type"),
        (lambda c: c.log_export.enable(CLUSTER_ID, type="", log_name="l", auth_principal="p"), "type"),
        (
            lambda c: c.log_export.enable(
                CLUSTER_ID, type="AWS_CLOUDWATCH", log_name=" ", auth_principal="p"
            ),
            "log_name",
        ),
        (
            lambda c: c.log_export.enable(CLUSTER_ID, type="AWS_CLOUDWATCH", log_name="l", auth_principal=7),
            "auth_principal",
        ),
        (
            lambda c: c.log_export.enable(
                CLUSTER_ID,
                type="AWS_CLOUDWATCH",
                log_name="l",
                auth_principal="p",
                groups=[{"log_name": "g"}],
            ),
            "groups",
        ),
        (
            lambda c: c.log_export.enable(
                CLUSTER_ID,
                type="AWS_CLOUDWATCH",
                log_name="l",
                auth_principal="p",
                groups=[{"log_name": "g", "channels": ["OPS"], "min_level": "LOUD"}],
            ),
            "groups",
        ),
        (
            lambda c: c.log_export.enable(
                CLUSTER_ID, type="AWS_CLOUDWATCH", log_name="l", auth_principal="p", omitted_channels="OPS"
            ),
            "omitted_channels",
        ),
        (
            lambda c: c.log_export.enable(
                CLUSTER_ID,
                type="AWS_CLOUDWATCH",
                log_name="l",
                auth_principal="p",
                azure_shared_key=AZURE_KEY,
            ),
            "azure_shared_key",
        ),
        (
            lambda c: c.log_export.enable(
                CLUSTER_ID, type="AZURE_LOG_ANALYTICS", log_name="l", auth_principal="p", azure_shared_key=""
            ),
            "azure_shared_key",
        ),
        (lambda c: c.metric_export.datadog.enable(CLUSTER_ID, site="MARS", api_key=DD_KEY), "site"),
        (lambda c: c.metric_export.datadog.enable(CLUSTER_ID, site="US1", api_key=""), "api_key"),
        (lambda c: c.metric_export.datadog.enable(CLUSTER_ID, site="US1", api_key=12), "api_key"),
        (lambda c: c.metric_export.cloudwatch.enable(CLUSTER_ID, role_arn="ExampleRole"), "role_arn"),
        (
            lambda c: c.metric_export.cloudwatch.enable(CLUSTER_ID, role_arn=ROLE, target_region=""),
            "target_region",
        ),
        (lambda c: c.metric_export.prometheus.enable(""), "cluster_id"),
        (lambda c: c.metric_export.prometheus.wait_until_enabled("a b"), "cluster_id"),
    ],
)
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert DD_KEY not in str(raised.value)
    assert AZURE_KEY not in str(raised.value)
    assert fake.requests == []


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", DATADOG, "ENABLED")
    with pytest.raises(dbcloud.APIResponseError):
        crdb.metric_export.datadog.get(CLUSTER_ID)
