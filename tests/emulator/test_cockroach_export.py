"""Log export and metric export against the emulated CockroachDB Cloud, on both flavours of client.
The clock is held still inside each test (`paused_clock`) and moved by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import DEDICATED_SECONDS, DISABLE_SECONDS, EXPORT_SECONDS, SERVERLESS_SECONDS
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

API = "cockroach"
MISSING = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
ROLE = "arn:aws:iam::123456789012:role/ExampleRole"
DD_KEY = "dd-emulated-key-0123456789abcdef"
HARDWARE = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}


def advanced(cc: dbcloud.CockroachCloud, emu: Emulator, stem: str, provider: str = "AWS") -> str:
    region = {"AWS": "us-east-1", "GCP": "us-central1", "AZURE": "eastus2"}[provider]
    cluster = cc.clusters.create(
        unique(stem), provider, dedicated={"region_nodes": {region: 3}, "hardware": HARDWARE}
    )
    emu.advance(DEDICATED_SECONDS)
    return cluster.id


def basic(cc: dbcloud.CockroachCloud, emu: Emulator, stem: str) -> str:
    cluster = cc.clusters.create_serverless(unique(stem))
    emu.advance(SERVERLESS_SECONDS)
    return cluster.id


def ticking(emu: Emulator, seconds: float, seen: list[str]) -> dict[str, Any]:
    def on_progress(progress: dbcloud.Progress) -> None:
        seen.append(progress.state)
        emu.advance(seconds)

    return {"interval": 0.01, "max_interval": 0.01, "timeout": 30, "on_progress": on_progress}


def test_log_export_lifecycle(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cid = advanced(cc, emu, "logexp", "GCP")
        with pytest.raises(dbcloud.NotFoundError, match="log export configuration not found"):
            cc.log_export.get(cid)
        made = cc.log_export.enable(
            cid,
            type="GCP_CLOUD_LOGGING",
            log_name="default",
            auth_principal="my-gcp-project",
            groups=[{"log_name": "devops", "channels": ["OPS", "HEALTH"], "min_level": "WARNING"}],
            omitted_channels=["SESSIONS"],
            redact=True,
        )
        assert (made.status, made.log_name, made.redact) == ("ENABLING", "default", True)
        assert made.groups[0].channels == ("OPS", "HEALTH")
        seen: list[str] = []
        ready = cc.log_export.wait_until_enabled(cid, **ticking(emu, EXPORT_SECONDS / 2, seen))
        assert ready.enabled
        assert seen == ["ENABLING", "ENABLING", "ENABLED"]
        assert cc.log_export.disable(cid).status == "DISABLING"
        assert cc.log_export.get(cid).status == "DISABLING"
        emu.advance(DISABLE_SECONDS)
        with pytest.raises(dbcloud.NotFoundError):
            cc.log_export.get(cid)
        with pytest.raises(dbcloud.NotFoundError):
            cc.log_export.disable(cid)


def test_log_export_follows_the_vendors_rules(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        aws = advanced(cc, emu, "logrules")
        with pytest.raises(dbcloud.BadRequestError, match="AWS_CLOUDWATCH"):
            cc.log_export.enable(aws, type="GCP_CLOUD_LOGGING", log_name="l", auth_principal="p")
        small = basic(cc, emu, "logbasic")
        with pytest.raises(dbcloud.BadRequestError, match="Basic plan"):
            cc.log_export.enable(small, type="GCP_CLOUD_LOGGING", log_name="l", auth_principal="p")
        with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
            cc.log_export.get(MISSING)
        emu.fail_next_launch(API)
        cc.log_export.enable(
            aws, type="AWS_CLOUDWATCH", log_name="l", auth_principal=ROLE, aws_external_id="x"
        )
        with pytest.raises(dbcloud.ClusterFailed, match="ENABLE_FAILED: emulated failure"):
            cc.log_export.wait_until_enabled(aws, **ticking(emu, EXPORT_SECONDS, []))


def test_datadog_metric_export_keeps_only_the_keys_last_digits(
    cc: dbcloud.CockroachCloud, emu: Emulator
) -> None:
    with emu.paused_clock():
        cid = advanced(cc, emu, "ddexp")
        made = cc.metric_export.datadog.enable(cid, site="EU1", api_key=dbcloud.Secret(DD_KEY))
        assert (made.kind, made.site, made.status, made.api_key_last4) == (
            "datadog",
            "EU1",
            "ENABLING",
            "cdef",
        )
        emu.advance(EXPORT_SECONDS)
        found = cc.metric_export.datadog.get(cid)
        assert found.enabled
        assert DD_KEY not in json.dumps(found.raw)
        assert cc.metric_export.datadog.disable(cid).status == "DISABLING"
        emu.advance(DISABLE_SECONDS)
        with pytest.raises(dbcloud.NotFoundError, match="datadog metric export configuration not found"):
            cc.metric_export.datadog.get(cid)
        small = basic(cc, emu, "ddbasic")
        with pytest.raises(dbcloud.BadRequestError, match="Advanced clusters"):
            cc.metric_export.datadog.enable(small, site="US1", api_key=DD_KEY)


def test_cloudwatch_and_prometheus_metric_export(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cid = advanced(cc, emu, "cwexp")
        made = cc.metric_export.cloudwatch.enable(
            cid, role_arn=ROLE, target_region="us-west-2", log_group_name="crdb"
        )
        assert (made.role_arn, made.target_region, made.log_group_name) == (ROLE, "us-west-2", "crdb")
        seen: list[str] = []
        assert cc.metric_export.cloudwatch.wait_until_enabled(
            cid, **ticking(emu, EXPORT_SECONDS, seen)
        ).enabled
        assert seen == ["ENABLING", "ENABLED"]
        prometheus = cc.metric_export.prometheus.enable(cid)
        assert (prometheus.status, prometheus.targets) == ("ENABLING", {})
        emu.advance(EXPORT_SECONDS)
        ready = cc.metric_export.prometheus.get(cid)
        assert list(ready.targets) == ["us-east-1"]
        gcp = advanced(cc, emu, "cwgcp", "GCP")
        with pytest.raises(dbcloud.BadRequestError, match="AWS clusters"):
            cc.metric_export.cloudwatch.enable(gcp, role_arn=ROLE)
        azure = advanced(cc, emu, "promazure", "AZURE")
        with pytest.raises(dbcloud.BadRequestError, match="AWS and GCP"):
            cc.metric_export.prometheus.enable(azure)
        emu.fail_next_launch(API)
        cc.metric_export.cloudwatch.enable(cid, role_arn=ROLE)  # a replacement that fails to deploy
        with pytest.raises(dbcloud.ClusterFailed, match="ERROR: emulated failure"):
            cc.metric_export.cloudwatch.wait_until_enabled(cid, **ticking(emu, EXPORT_SECONDS, []))


def test_export_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    with emu.paused_clock():
        cid = advanced(cc, emu, "expspec")
        logs = f"/api/v1/clusters/{cid}/logexport"
        enabled = cc.request(
            "POST",
            logs,
            json={
                "type": "AWS_CLOUDWATCH",
                "log_name": "default",
                "auth_principal": ROLE,
                "groups": [{"log_name": "ops", "channels": ["OPS"], "min_level": "ERROR", "redact": False}],
            },
        ).json()
        check("LogExportClusterInfo", enabled)
        emu.advance(EXPORT_SECONDS)
        check("LogExportClusterInfo", cc.request("GET", logs).json())
        check("LogExportClusterInfo", cc.request("DELETE", logs).json())
        check("DatadogMetricExportInfo", cc.metric_export.datadog.enable(cid, site="US3", api_key=DD_KEY).raw)
        check("CloudWatchMetricExportInfo", cc.metric_export.cloudwatch.enable(cid, role_arn=ROLE).raw)
        check("PrometheusMetricExportInfo", cc.metric_export.prometheus.enable(cid).raw)
        emu.advance(EXPORT_SECONDS)
        for kind, schema in (
            ("datadog", "DatadogMetricExportInfo"),
            ("cloudwatch", "CloudWatchMetricExportInfo"),
            ("prometheus", "PrometheusMetricExportInfo"),
        ):
            path = f"/api/v1/clusters/{cid}/metricexport/{kind}"
            check(schema, cc.request("GET", path).json())
            check("DeleteMetricExportResponse", cc.request("DELETE", path).json())
