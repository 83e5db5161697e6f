"""`dbcloud cockroach log-export` and `metric-export-<kind>`, against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests

ROLE = "arn:aws:iam::123456789012:role/ExampleRole"
DD_KEY = "dd-cli-key-never-shown-0123"


def _advanced(cli: Runner, tmp_path: Path, name: str, provider: str) -> str:
    region = {"AWS": "us-east-1", "GCP": "us-central1"}[provider]
    hardware = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}
    body = tmp_path / f"{name}.json"
    body.write_text(json.dumps({"spec": {"dedicated": {"region_nodes": {region: 3}, "hardware": hardware}}}))
    created = cli(
        "cockroach", "clusters", "create", "--name", name, "--provider", provider, "--file", str(body),
        "--wait", *FAST,
    )  # fmt: skip
    assert created.code == 0, created.err
    return str(created.json()["id"])


def test_cockroach_log_export(cli: Runner, tmp_path: Path) -> None:
    cid = _advanced(cli, tmp_path, "logs-cli", "GCP")
    assert cli("cockroach", "log-export", "get", cid).code != 0  # none yet
    made = cli(
        "cockroach", "log-export", "enable", cid, "--type", "GCP_CLOUD_LOGGING", "--log-name", "default",
        "--auth-principal", "my-project", "--groups", '[{"log_name": "ops", "channels": ["OPS", "HEALTH"]}]',
        "--omitted-channel", "SESSIONS", "--redact", "--wait", *FAST,
    )  # fmt: skip
    assert made.code == 0, made.err
    shown = made.json()
    assert shown["status"] == "ENABLED"
    assert shown["spec"]["omitted_channels"] == ["SESSIONS"]
    assert shown["spec"]["groups"][0]["channels"] == ["OPS", "HEALTH"]
    table = cli("cockroach", "log-export", "get", cid, "-o", "table")
    assert "GCP_CLOUD_LOGGING" in table.out
    assert cli("cockroach", "log-export", "wait", cid, *FAST).code == 0
    assert cli("cockroach", "log-export", "disable", cid).json()["status"] == "DISABLING"


def test_cockroach_metric_exports(cli: Runner, tmp_path: Path, emu: Emulator) -> None:
    cid = _advanced(cli, tmp_path, "metrics-cli", "AWS")
    key_file = tmp_path / "datadog.key"
    key_file.write_text(DD_KEY + "\n")
    made = cli(
        "cockroach", "metric-export-datadog", "enable", cid, "--site", "EU1", "--api-key-file", str(key_file),
        "--wait", *FAST,
    )  # fmt: skip
    assert made.code == 0, made.err
    assert DD_KEY not in made.out + made.err
    assert made.json()["status"] == "ENABLED"
    assert made.json()["site"] == "EU1"
    from_env = cli(
        "cockroach", "metric-export-datadog", "enable", cid, "--site", "US1",
        environ={"DBCLOUD_DATADOG_API_KEY": DD_KEY},
    )  # fmt: skip
    assert from_env.code == 0, from_env.err
    assert DD_KEY not in from_env.out + from_env.err
    cloudwatch = cli(
        "cockroach",
        "metric-export-cloudwatch",
        "enable",
        cid,
        "--role-arn",
        ROLE,
        "--target-region",
        "us-west-2",
    )
    assert cloudwatch.code == 0, cloudwatch.err
    assert cli("cockroach", "metric-export-cloudwatch", "wait", cid, *FAST).json()["status"] == "ENABLED"
    prometheus = cli("cockroach", "metric-export-prometheus", "enable", cid, "--wait", *FAST)
    assert prometheus.code == 0, prometheus.err
    assert list(prometheus.json()["targets"]) == ["us-east-1"]
    table = cli("cockroach", "metric-export-prometheus", "get", cid, "-o", "table")
    assert "ENABLED" in table.out
    for kind in ("datadog", "cloudwatch", "prometheus"):
        gone = cli("cockroach", f"metric-export-{kind}", "disable", cid)
        assert gone.code == 0, gone.err
        assert gone.json()["status"] == "DISABLING"
    before = requests(emu)
    refused = cli("cockroach", "metric-export-cloudwatch", "enable", cid, "--role-arn", "ExampleRole")
    assert refused.code == 2
    assert "role_arn" in refused.err
    assert requests(emu) == before


def test_the_help_lists_the_export_resources(cli: Runner) -> None:
    shown = cli("cockroach", "--help").out
    assert "log-export" in shown
    assert all(f"metric-export-{kind}" in shown for kind in ("datadog", "cloudwatch", "prometheus"))
