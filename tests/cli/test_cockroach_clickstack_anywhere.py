"""`dbcloud cockroach`, `dbcloud clickstack` and `dbcloud anywhere` against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dbcloud.emulator import Emulator

from .conftest import FAST, SQL_PASSWORD, Runner, requests


def test_cockroach_the_issue_example_and_the_cluster_lifecycle(cli: Runner) -> None:
    created = cli(
        "cockroach", "clusters", "create-serverless", "--name", "notorious-moose", "--provider", "GCP",
        "--region", "us-central1", "--wait", *FAST,
    )  # fmt: skip
    assert created.code == 0, created.err
    cluster = created.json()
    assert (cluster["name"], cluster["state"]) == ("notorious-moose", "CREATED")
    cid = cluster["id"]
    assert cli("cockroach", "clusters", "get", cid).json()["plan"] == "BASIC"
    assert cid in [c["id"] for c in cli("cockroach", "clusters", "list", "--page-size", "1").json()]
    updated = cli(
        "cockroach", "clusters", "update", cid, "--request-unit-limit", "5000000", "--label", "team=db"
    )
    assert updated.code == 0, updated.err
    assert updated.json()["labels"] == {"team": "db"}
    assert isinstance(cli("cockroach", "clusters", "nodes", cid).json(), list)
    assert cli("cockroach", "clusters", "wait", cid, *FAST).json()["state"] == "CREATED"
    assert cli("cockroach", "clusters", "delete", cid).json()["id"] == cid
    assert cli("cockroach", "clusters", "wait", cid, "--until", "deleted", *FAST).code == 0


def test_cockroach_sql_users(cli: Runner, emu: Emulator, tmp_path: Path) -> None:
    created = cli("cockroach", "clusters", "create-serverless", "--name", "sql-home", "--wait", *FAST)
    assert created.code == 0, created.err
    cid = created.json()["id"]
    secret = tmp_path / "password"
    secret.write_text(SQL_PASSWORD + "\n")
    made = cli("cockroach", "sql-users", "create", cid, "App", "--password-file", str(secret))
    assert made.code == 0, made.err
    assert made.json() == {"name": "app"}
    assert [u["name"] for u in cli("cockroach", "sql-users", "list", cid).json()] == ["app"]
    assert cli("cockroach", "sql-users", "get", cid, "APP").json()["name"] == "app"
    table = cli("cockroach", "sql-users", "list", cid, "-o", "table")
    assert "NAME" in table.out
    assert "app" in table.out

    # The password from the environment; without one and without a terminal, a clear usage error.
    changed = cli(
        "cockroach", "sql-users", "change-password", cid, "app",
        environ={**emu.env, "DBCLOUD_SQL_PASSWORD": SQL_PASSWORD},
    )  # fmt: skip
    assert changed.code == 0, changed.err
    missing = cli("cockroach", "sql-users", "change-password", cid, "app", environ=dict(emu.env))
    assert missing.code == 2
    assert "DBCLOUD_SQL_PASSWORD" in missing.err
    assert "--password-file" in missing.err

    before = requests(emu)
    dry = cli("cockroach", "sql-users", "create", cid, "other", "--password", SQL_PASSWORD, "--dry-run")
    assert dry.code == 0, dry.err
    assert requests(emu) == before  # a dry run sends nothing (and shows no password: see the runner)
    assert "/sql-users" in dry.out

    deleted = cli("cockroach", "sql-users", "delete", cid, "app", "-o", "table")
    assert deleted.code == 0, deleted.err
    assert cli("cockroach", "sql-users", "get", cid, "app").code != 0
    assert "sql-users" in cli("cockroach", "--help").out


def test_cockroach_regions_and_the_vendor_body_from_a_file(cli: Runner, tmp_path: Path) -> None:
    regions = cli("cockroach", "clusters", "available-regions", "--provider", "GCP", "--serverless").json()
    assert "us-central1" in [r["name"] for r in regions]
    body = tmp_path / "cluster.json"
    body.write_text(
        json.dumps(
            {"name": "from-file", "provider": "GCP", "spec": {"serverless": {"regions": ["us-central1"]}}}
        )
    )
    created = cli("cockroach", "clusters", "create", "--file", str(body))
    assert created.code == 0, created.err
    assert created.json()["name"] == "from-file"
    # The guide's own example still carries the removed spend limit: refused, with what to use instead.
    body.write_text(
        '{"name":"notorious-moose","provider":"GCP","spec":{"serverless":{"regions":["us-central1"],"spendLimit":0}}}'
    )
    old = cli("cockroach", "clusters", "create", "--file", str(body))
    assert old.code == 2
    assert "usage_limits" in old.err
    gone = cli("cockroach", "clusters", "set-spend-limit", created.json()["id"], "100")
    assert gone.code == 2
    assert "usage_limits" in gone.err


def test_clickstack_oss_dashboards_alerts_sources_webhooks(cli: Runner, tmp_path: Path) -> None:
    hook = cli("raw", "clickstack", "POST", "/api/v2/webhooks", "--data",
               '{"name": "cli-hook", "service": "generic", "url": "https://example.com/h"}')  # fmt: skip
    assert hook.code == 0, hook.err
    webhook = hook.json()["data"]["id"]
    assert webhook in [w["id"] for w in cli("clickstack", "webhooks", "list").json()]
    sources = cli("clickstack", "sources", "list").json()
    assert cli("clickstack", "sources", "get", sources[0]["id"]).json()["name"] == sources[0]["name"]

    tile = {
        "name": "Errors",
        "x": 0,
        "y": 0,
        "w": 6,
        "h": 3,
        "config": {"displayType": "markdown", "markdown": "x"},
    }
    dashboard = cli(
        "clickstack", "dashboards", "create", "--name", "errors", "--tiles", json.dumps([tile]), "--tag", "a"
    )
    assert dashboard.code == 0, dashboard.err
    board = dashboard.json()
    assert cli("clickstack", "dashboards", "get", board["id"]).json()["tags"] == ["a"]
    assert board["id"] in [d["id"] for d in cli("clickstack", "dashboards", "list").json()]
    renamed = cli(
        "clickstack",
        "dashboards",
        "update",
        board["id"],
        "--name",
        "errors-2",
        "--tiles",
        json.dumps(board["tiles"]),
    )
    assert renamed.json()["name"] == "errors-2"

    # The vendor's documented alert body, as a file (`--file alert.json`, the issue's example).
    alert_file = tmp_path / "alert.json"
    alert_file.write_text(json.dumps({
        "dashboardId": board["id"], "tileId": board["tiles"][0]["id"], "threshold": 100, "interval": "1h",
        "source": "tile", "thresholdType": "above", "channel": {"type": "webhook", "webhookId": webhook},
        "name": "Error Spike Alert", "message": "Error rate exceeded 100 in the last hour",
    }))  # fmt: skip
    created = cli("clickstack", "alerts", "create", "--file", str(alert_file))
    assert created.code == 0, created.err
    alert = created.json()
    assert (alert["name"], alert["state"]) == ("Error Spike Alert", "OK")
    assert cli("clickstack", "alerts", "get", alert["id"]).json()["thresholdType"] == "above"
    assert alert["id"] in [a["id"] for a in cli("clickstack", "alerts", "list").json()]
    changed = cli(
        "clickstack", "alerts", "update", alert["id"], "--file", str(alert_file), "--threshold", "200"
    )
    assert changed.json()["threshold"] == 200
    missing = cli("clickstack", "alerts", "create", "--threshold", "1")
    assert missing.code == 2
    assert "--interval" in missing.err
    for command in (("alerts", "delete", alert["id"]), ("dashboards", "delete", board["id"])):
        assert cli("clickstack", *command).code == 0
    assert cli("clickstack", "alerts", "get", alert["id"]).code == 4
    assert cli("raw", "clickstack", "DELETE", f"/api/v2/webhooks/{webhook}").code == 0


def test_clickstack_managed_in_a_service(cli: Runner) -> None:
    sid = cli("clickhouse", "services", "list").json()[0]["id"]
    sources = cli("clickstack", "sources", "list", "--service", sid)
    assert sources.code == 0, sources.err
    assert {s["kind"] for s in sources.json()} >= {"log", "trace"}
    assert cli("clickstack", "alerts", "list", "--service", sid).json() == []


# A --file field the verb's method does not take: refused as the facade refuses one (build_body's
# message against the deployment's request model), with nothing sent, in both deployments.
_ALERT_FIELDS = {
    "threshold": 1,
    "interval": "1h",
    "thresholdType": "above",
    "channel": {"type": "webhook", "webhookId": "w"},
}
CLICKSTACK_FILE_VERBS = [
    ("alerts", "create", _ALERT_FIELDS),
    ("alerts", "update", _ALERT_FIELDS),
    ("dashboards", "create", {"name": "d", "tiles": []}),
    ("dashboards", "update", {"name": "d", "tiles": []}),
]


@pytest.mark.parametrize("managed", [False, True], ids=["oss", "managed"])
@pytest.mark.parametrize(
    ("resource", "verb", "fields"),
    CLICKSTACK_FILE_VERBS,
    ids=[f"{r} {v}" for r, v, _ in CLICKSTACK_FILE_VERBS],
)
def test_clickstack_an_unknown_file_field_is_refused_naming_the_request(
    cli: Runner,
    emu: Emulator,
    tmp_path: Path,
    managed: bool,
    resource: str,
    verb: str,
    fields: dict[str, Any],
) -> None:
    service = ("--service", cli("clickhouse", "services", "list").json()[0]["id"]) if managed else ()
    document = tmp_path / "fields.json"
    document.write_text(json.dumps({**fields, "colour": "red"}))
    item = ("65f5e4a3b9e77c001a123456",) if verb == "update" else ()
    before = requests(emu)
    refused = cli("clickstack", resource, verb, *item, "--file", str(document), *service)
    assert refused.code == 2, refused.err
    assert f"colour: not a field of ClickStack {resource} {verb} (" in refused.err
    assert "it takes: " in refused.err
    assert requests(emu) == before


def test_anywhere_environments(cli: Runner, tmp_path: Path) -> None:
    existing = cli("anywhere", "aws", "list").json()
    assert existing
    name = existing[0]["name"]
    assert cli("anywhere", "aws", "get", name).json()["name"] == name
    assert cli("anywhere", "aws", "list", "--name", name).json()[0]["name"] == name
    assert "resource" in cli("anywhere", "aws", "terraform", name).json()
    assert cli("anywhere", "aws", "get", "no-such-env").code == 4
    for kind in ("aws-hosted", "azure", "gcp", "hcloud", "k8s"):
        assert isinstance(cli("anywhere", kind, "list").json(), list)
    spec = tmp_path / "spec.json"
    nodes = {"nodeType": "m6i.large", "capacityPerZone": 1}
    spec.write_text(json.dumps({"region": "us-west-2", "nodeGroups": [nodes]}))
    created = cli("anywhere", "aws-hosted", "create", "cli-hosted", "--file", str(spec))
    assert created.code == 0, created.err
    assert created.json()["specRevision"] == 1
    spec.write_text(json.dumps({"customDomains": ["cli.example.com"]}))
    updated = cli(
        "anywhere", "aws-hosted", "update", "cli-hosted", "--file", str(spec), "--strategy", "MERGE"
    )
    assert updated.code == 0, updated.err
    assert updated.json()["spec"]["customDomains"] == ["cli.example.com"]
    deleted = cli("anywhere", "aws-hosted", "delete", "cli-hosted", "--force")
    assert deleted.code == 0, deleted.err
    assert "mutationId" in deleted.json()


def test_anywhere_waits_until_a_revision_is_applied(cli: Runner, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps({"region": "us-west-2", "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 1}]})
    )
    created = cli("anywhere", "aws-hosted", "create", "cli-waited", "--file", str(spec), "--wait", *FAST)
    assert created.code == 0, created.err
    assert created.json()["status"]["appliedSpecRevision"] == 1
    spec.write_text(json.dumps({"customDomains": ["waited.example.com"]}))
    assert cli("anywhere", "aws-hosted", "update", "cli-waited", "--file", str(spec)).code == 0
    waited = cli("anywhere", "aws-hosted", "wait", "cli-waited", "--revision", "2", *FAST)
    assert waited.code == 0, waited.err
    assert waited.json()["status"]["appliedSpecRevision"] == 2
    assert "wait" in cli("anywhere", "aws-hosted", "--help").out
    cli("anywhere", "aws-hosted", "delete", "cli-waited", "--force")
