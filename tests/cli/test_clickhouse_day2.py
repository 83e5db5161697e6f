"""`dbcloud clickhouse` query-endpoints, private-endpoint-config, backup-config,
clickhouse-settings and usage against the emulator, through the command line."""

from __future__ import annotations

import datetime as dt

from .conftest import Runner


def _service(cli: Runner) -> str:
    return next(
        s["id"] for s in cli("clickhouse", "services", "list").json() if s["name"] == "emulated-service"
    )


def test_query_endpoints(cli: Runner) -> None:
    sid = _service(cli)
    key = cli("clickhouse", "keys", "list").json()[0]["id"]
    none = cli("clickhouse", "query-endpoints", "get", sid)
    assert (none.code, none.out) == (0, "")
    made = cli(
        "clickhouse", "query-endpoints", "upsert", sid, "--role", "sql_console_read_only",
        "--api-key-id", key, "--allowed-origins", "app.example.com",
    )  # fmt: skip
    assert made.code == 0, made.err
    assert made.json()["roles"] == ["sql_console_read_only"]
    got = cli("clickhouse", "query-endpoints", "get", sid).json()
    # `openApiKeys` ends in a word of the secret-name rule (`apikeys`), so the CLI masks it.
    assert (got["allowedOrigins"], got["openApiKeys"]) == ("app.example.com", "********")
    deleted = cli("clickhouse", "query-endpoints", "delete", sid, "-o", "table")
    assert (deleted.code, deleted.out) == (0, "deleted\n")
    assert cli("clickhouse", "query-endpoints", "delete", sid).code == 4
    refused = cli("clickhouse", "query-endpoints", "upsert", sid, "--role", "admin")
    assert refused.code == 2


def test_private_endpoint_config(cli: Runner) -> None:
    sid = _service(cli)
    config = cli("clickhouse", "private-endpoint-config", "get", sid).json()
    assert config["endpointServiceId"].startswith("com.amazonaws.vpce.us-east-1.")
    region = cli(
        "clickhouse", "private-endpoint-config", "region", "--cloud-provider", "aws", "--region", "us-east-1"
    ).json()
    assert region["endpointServiceId"] == config["endpointServiceId"]


def test_backup_config(cli: Runner) -> None:
    sid = _service(cli)
    assert cli("clickhouse", "backup-config", "get", sid).json()["backupPeriodInHours"] == 24
    changed = cli(
        "clickhouse", "backup-config", "update", sid, "--backup-period-hours", "12",
        "--backup-retention-period-hours", "48",
    ).json()  # fmt: skip
    assert (changed["backupPeriodInHours"], changed["backupRetentionPeriodInHours"]) == (12, 48)
    refused = cli("clickhouse", "backup-config", "update", sid, "--backup-period-hours", "7")
    assert refused.code == 2
    assert "backup_period_hours" in refused.err


def test_clickhouse_settings(cli: Runner) -> None:
    sid = _service(cli)
    schema = cli("clickhouse", "clickhouse-settings", "schema", sid).json()
    assert "compatibility" in [entry["name"] for entry in schema]
    applied = cli("clickhouse", "clickhouse-settings", "update", sid, "--set", "compatibility=24.8")
    assert applied.code == 0, applied.err
    assert applied.json()["warnings"][0]["name"] == "compatibility"
    assert cli("clickhouse", "clickhouse-settings", "get", sid, "compatibility").json()["value"] == "24.8"
    assert [s["name"] for s in cli("clickhouse", "clickhouse-settings", "list", sid).json()] == [
        "compatibility"
    ]
    assert cli("clickhouse", "clickhouse-settings", "reset", sid, "compatibility").code == 0
    assert cli("clickhouse", "clickhouse-settings", "list", sid).json() == []
    assert cli("clickhouse", "clickhouse-settings", "update", sid).code == 2


def test_usage(cli: Runner) -> None:
    today = dt.datetime.now(dt.UTC).date()
    report = cli(
        "clickhouse", "usage", "get", "--from", str(today - dt.timedelta(days=1)), "--to", str(today)
    )
    assert report.code == 0, report.err
    assert report.json()["costs"]
    too_long = cli("clickhouse", "usage", "get", "--from", "2025-01-01", "--to", "2025-02-01")
    assert too_long.code == 2
    assert "31 days" in too_long.err
