"""`dbcloud clickstack` webhooks, saved searches and sources against the emulator, OSS and managed:
the verbs map to the facade, bodies may come from --file, and secrets never reach the output."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from dbcloud.emulator import Emulator

from .conftest import Runner, requests

HOOK = "https://ops.example.com/hooks/cli-7a1f-secret"
TOKEN = "Bearer cli-token-never-shown"
_names = itertools.count(1)


@pytest.fixture(params=["oss", "managed"])
def deployment(request: pytest.FixtureRequest, cli: Runner) -> tuple[str, ...]:
    """The options that pick the deployment: none for OSS, `--service` for managed."""
    if request.param == "oss":
        return ()
    services = cli("clickhouse", "services", "list").json()
    return ("--service", next(s["id"] for s in services if s["name"] == "emulated-service"))


def _quiet(*texts: str) -> None:
    for text in texts:
        assert HOOK not in text
        assert TOKEN not in text


def test_webhooks_create_update_delete(cli: Runner, deployment: tuple[str, ...], tmp_path: Path) -> None:
    name = f"cli-hook-{next(_names)}"
    made = cli(
        "clickstack", "webhooks", "create", "--name", name, "--webhook-service", "generic",
        "--url", HOOK, "--header", f"Authorization={TOKEN}", *deployment,
    )  # fmt: skip
    assert made.code == 0, made.err
    _quiet(made.out, made.err)
    hook = made.json()
    assert hook["url"] == "********"  # masked in the record's JSON too
    assert "headers" not in hook
    listed = cli("clickstack", "webhooks", "list", "-o", "table", *deployment)
    assert name in listed.out
    _quiet(listed.out)

    body = tmp_path / "hook.json"
    body.write_text(json.dumps({"name": f"{name}-2", "service": "generic", "url": HOOK, "description": "d"}))
    updated = cli("clickstack", "webhooks", "update", hook["id"], "--file", str(body), *deployment)
    assert updated.code == 0, updated.err
    assert updated.json()["name"] == f"{name}-2"
    _quiet(updated.out, updated.err)

    wrong = body.with_name("wrong.json")
    wrong.write_text(json.dumps({"name": "x", "service": "generic", "url": HOOK, "colour": "red"}))
    refused = cli("clickstack", "webhooks", "update", hook["id"], "--file", str(wrong), *deployment)
    assert refused.code == 2
    assert "colour" in refused.err

    deleted = cli("clickstack", "webhooks", "delete", hook["id"], "-o", "table", *deployment)
    assert (deleted.code, deleted.out.strip()) == (0, "deleted")
    assert cli("clickstack", "webhooks", "delete", hook["id"], *deployment).code != 0


def test_a_webhook_refused_before_sending_shows_no_url(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    argv = ("clickstack", "webhooks", "create", "--name", "s", "--webhook-service", "slack")
    slack = cli(*argv, "--url", HOOK)
    assert slack.code != 0
    assert "slack.com" in slack.err
    _quiet(slack.out, slack.err)
    assert requests(emu) == before


def test_a_webhook_dry_run_masks_the_url_and_headers(cli: Runner) -> None:
    argv = (
        "clickstack", "webhooks", "create", "--name", "d", "--webhook-service", "generic", "--url", HOOK,
        "--header", f"Authorization={TOKEN}",
    )  # fmt: skip
    for shown in (cli(*argv, "--dry-run", "-o", "table"), cli(*argv, "--as-curl"), cli(*argv, "--dry-run")):
        assert shown.code == 0, shown.err
        _quiet(shown.out, shown.err)
    assert cli(*argv, "--dry-run").json()["body"]["name"] == "d"


def test_clickstack_help_lists_the_new_resources(cli: Runner) -> None:
    shown = cli("clickstack", "--help").out
    assert "webhooks" in shown
    verbs = cli("clickstack", "webhooks", "--help").out
    for verb in ("create", "update", "delete"):
        assert verb in verbs


def test_saved_searches_every_verb(cli: Runner, deployment: tuple[str, ...], tmp_path: Path) -> None:
    sources = cli("clickstack", "sources", "list", *deployment).json()
    logs = next(s["id"] for s in sources if s["kind"] == "log")
    made = cli(
        "clickstack", "saved-searches", "create", "--name", "cli-errors", "--source-id", logs,
        "--where", "SeverityText:ERROR", "--tag", "prod", "--filters",
        json.dumps([{"type": "sql", "condition": "ServiceName IN ('checkout')"}]), *deployment,
    )  # fmt: skip
    assert made.code == 0, made.err
    search = made.json()
    assert (search["name"], search["sourceId"], search["tags"]) == ("cli-errors", logs, ["prod"])
    shown = cli("clickstack", "saved-searches", "get", search["id"], *deployment).json()
    assert shown["where"] == "SeverityText:ERROR"
    table = cli("clickstack", "saved-searches", "list", "-o", "table", *deployment).out
    assert "cli-errors" in table
    assert "SOURCE_ID" in table  # the header keeps sourceId's words apart

    body = tmp_path / "search.json"
    body.write_text(json.dumps({"name": "cli-errors-2", "sourceId": logs, "whereLanguage": "sql"}))
    updated = cli("clickstack", "saved-searches", "update", search["id"], "--file", str(body), *deployment)
    assert updated.code == 0, updated.err
    replaced = updated.json()
    assert (replaced["name"], replaced["where"], replaced["tags"]) == ("cli-errors-2", "", [])

    unknown = "65f5e4a3ffffffffffff0009"
    missing = cli("clickstack", "saved-searches", "create", "--name", "x", "--source-id", unknown)
    assert missing.code != 0
    assert "existing source id" in missing.err
    deleted = cli("clickstack", "saved-searches", "delete", search["id"], "-o", "table", *deployment)
    assert (deleted.code, deleted.out.strip()) == (0, "deleted")
    assert cli("clickstack", "saved-searches", "get", search["id"], *deployment).code != 0
    assert "saved-searches" in cli("clickstack", "--help").out


def test_sources_create_update_delete(cli: Runner, deployment: tuple[str, ...], tmp_path: Path) -> None:
    sources = cli("clickstack", "sources", "list", *deployment).json()
    connection = next(s["connection"] for s in sources if s["kind"] == "log")
    made = cli(
        "clickstack", "sources", "create", "--kind", "log", "--name", "cli-logs", "--connection", connection,
        "--database", "default", "--table", "app_logs", "--timestamp-value-expression", "Timestamp",
        "--fields", json.dumps({"defaultTableSelectExpression": "Timestamp, Body"}), *deployment,
    )  # fmt: skip
    assert made.code == 0, made.err
    source = made.json()
    assert (source["kind"], source["from"]["tableName"]) == ("log", "app_logs")

    # What `sources get -o json` shows goes back as a --file, edited.
    shown = cli("clickstack", "sources", "get", source["id"], *deployment).json()
    body = tmp_path / "source.json"
    body.write_text(json.dumps({**shown, "name": "cli-logs-2", "bodyExpression": "Body"}))
    updated = cli("clickstack", "sources", "update", source["id"], "--file", str(body), *deployment)
    assert updated.code == 0, updated.err
    assert (updated.json()["name"], updated.json()["bodyExpression"]) == ("cli-logs-2", "Body")
    assert updated.json()["from"] == shown["from"]

    body.write_text(json.dumps({**shown, "colour": "red"}))
    refused = cli("clickstack", "sources", "update", source["id"], "--file", str(body), *deployment)
    assert refused.code == 2
    assert "colour" in refused.err
    trace = ("clickstack", "sources", "create", "--kind", "trace", "--name", "t", "--connection", connection)
    missing = cli(*trace, "--database", "default", "--table", "otel_traces")
    assert missing.code == 2
    assert "needs default_table_select_expression" in missing.err

    deleted = cli("clickstack", "sources", "delete", source["id"], "-o", "table", *deployment)
    assert (deleted.code, deleted.out.strip()) == (0, "deleted")
    assert cli("clickstack", "sources", "get", source["id"], *deployment).code != 0
