"""`--dry-run`: every command that changes something prints its exact request and sends nothing."""

from __future__ import annotations

import itertools
import json
import os
import shlex
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import httpx
import pytest

import dbcloud
from dbcloud.cli._commands import all_apis
from dbcloud.cli._dryrun import SENTINELS, DryRunStop, Recorder, render_request
from dbcloud.emulator import Emulator

from ..acm.test_launch import _documented_body
from ..emulator.test_anywhere import CREATE
from .conftest import ADMIN_PASS, SECRETS, SQL_PASSWORD, Runner, requests

U1 = "11111111-1111-4111-8111-111111111111"
U2 = "22222222-2222-4222-8222-222222222222"
SPEC = "@SPEC"  # replaced by the path of a spec file

# Arguments of every mutating verb (the test below checks that none is missing).
DRY_RUNS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("acm", "clusters", "launch"): (
        "--environment", "176", "--name", "api-test", "--node-type", "n2d-standard-2", "--nodes", "2",
        "--replicas", "2", "--size", "100", "--admin-pass", ADMIN_PASS, "--wait",
    ),
    ("acm", "clusters", "delete"): ("1001", "--no-terminate"),
    ("acm", "clusters", "update"): ("1001", "--role", "dev", "--timezone", "UTC"),
    ("acm", "clusters", "rescale"): ("1001", "--shards", "2", "--size", "200", "--wait"),
    ("acm", "clusters", "upgrade"): ("1001", "24.8.14.10459.altinitystable"),
    ("acm", "clusters", "restart"): ("1001",),
    ("acm", "clusters", "stop"): ("1001", "--wait"),
    ("acm", "clusters", "resume"): ("1001", "--node-type", "m5.xlarge"),
    ("acm", "clusters", "query"): ("1001", "SELECT 1", "--user", "admin", "--password", SQL_PASSWORD),
    ("acm", "settings", "set"): ("1001", "max_threads", "--value", "8"),
    ("acm", "settings", "delete"): ("1001", "7001"),
    ("acm", "settings", "push"): ("1001", "--wait"),
    ("acm", "backups", "create"): ("1001", "--wait"),
    ("acm", "backups", "restore"): (
        "1001", "--tag", "t1", "--provider", "s3", "--bucket", "b", "--access-key", "AKIAX",
        "--secret-key-file", "@KEYFILE",
    ),
    ("acm", "database-users", "create"): ("1001", "app", "--password", SQL_PASSWORD, "--database", "default"),
    ("acm", "database-users", "update"): ("1001", "7002", "--password", SQL_PASSWORD),
    ("acm", "database-users", "delete"): ("1001", "7002"),
    ("acm", "keys", "create"): ("--key-file", "@KEYFILE"),
    ("acm", "keys", "delete"): ("0123456789ab",),
    ("clickhouse", "organizations", "update"): ("--name", "Org"),
    ("clickhouse", "services", "create"): (
        "--name", "svc", "--provider", "aws", "--region", "us-east-1", "--wait",
    ),
    ("clickhouse", "services", "update"): (U1, "--name", "svc"),
    ("clickhouse", "services", "delete"): (U1, "--wait"),
    ("clickhouse", "services", "start"): (U1,),
    ("clickhouse", "services", "stop"): (U1,),
    ("clickhouse", "services", "wake"): (U1,),
    ("clickhouse", "services", "set-scaling"): (U1, "--num-replicas", "2"),
    ("clickhouse", "services", "reset-password"): (U1, "--password-file", "@KEYFILE"),
    ("clickhouse", "backups", "create"): (U1,),
    ("clickhouse", "backups", "delete"): (U1, U2),
    ("clickhouse", "keys", "create"): ("--name", "ci", "--key-file", "@KEYFILE"),
    ("clickhouse", "keys", "update"): (U1, "--name", "ci"),
    ("clickhouse", "keys", "delete"): (U1,),
    ("clickhouse", "members", "update"): (U1, "--role", "admin"),
    ("clickhouse", "members", "delete"): (U1,),
    ("clickhouse", "invitations", "create"): ("--email", "a@example.com", "--role", "developer"),
    ("clickhouse", "invitations", "delete"): (U1,),
    ("clickhouse", "query-endpoints", "upsert"): (U1, "--role", "sql_console_admin", "--api-key-id", U2),
    ("clickhouse", "query-endpoints", "delete"): (U1,),
    ("clickhouse", "backup-config", "update"): (U1, "--backup-start-time", "03:00"),
    ("clickhouse", "clickhouse-settings", "update"): (U1, "--set", "compatibility=24.8"),
    ("clickhouse", "clickhouse-settings", "reset"): (U1, "compatibility"),
    ("clickstack", "dashboards", "create"): ("--name", "d"),
    ("clickstack", "dashboards", "update"): ("abc123", "--name", "d", "--service", U1),
    ("clickstack", "dashboards", "delete"): ("abc123",),
    ("clickstack", "alerts", "create"): (
        "--threshold", "1", "--interval", "1h", "--threshold-type", "above", "--source", "tile",
        "--dashboard-id", "d1", "--tile-id", "t1", "--webhook-id", "w1",
    ),
    ("clickstack", "alerts", "update"): (
        "abc123", "--threshold", "1", "--interval", "5m", "--threshold-type", "below",
        "--source", "saved_search", "--saved-search-id", "s1", "--webhook-id", "w1", "--service", U1,
    ),
    ("clickstack", "alerts", "delete"): ("abc123", "--service", U1),
    ("clickstack", "webhooks", "create"): (
        "--name", "h", "--webhook-service", "generic", "--url", "https://ops.example.com/h",
        "--header", "Authorization=Bearer never-shown",
    ),
    ("clickstack", "webhooks", "update"): (
        "65f5e4a3b9e77c001a789012", "--name", "h", "--webhook-service", "slack",
        "--url", "https://hooks.slack.com/services/T0/B0/X", "--service", U1,
    ),
    ("clickstack", "webhooks", "delete"): ("65f5e4a3b9e77c001a789012",),
    ("clickstack", "saved-searches", "create"): ("--name", "s", "--source-id", "65f5e4a3b9e77c001a000011"),
    ("clickstack", "saved-searches", "update"): (
        "65f5e4a3b9e77c001a345678", "--name", "s", "--source-id", "65f5e4a3b9e77c001a000011",
        "--where", "level:error", "--service", U1,
    ),
    ("clickstack", "saved-searches", "delete"): ("65f5e4a3b9e77c001a345678",),
    ("clickstack", "sources", "create"): (
        "--kind", "promql", "--name", "p", "--connection", "65f5e4a3b9e77c001a000012", "--database", "d",
        "--table", "t", "--timestamp-value-expression", "Timestamp",
    ),
    ("clickstack", "sources", "update"): (
        "65f5e4a3b9e77c001a000011", "--kind", "log", "--name", "l",
        "--connection", "65f5e4a3b9e77c001a000012", "--database", "d", "--table", "t",
        "--timestamp-value-expression", "Timestamp", "--fields", '{"defaultTableSelectExpression": "*"}',
        "--service", U1,
    ),
    ("clickstack", "sources", "delete"): ("65f5e4a3b9e77c001a000011",),
    ("cockroach", "clusters", "create"): ("--name", "notorious-moose", "--provider", "GCP", "--file", SPEC),
    ("cockroach", "clusters", "create-serverless"): (
        "--name", "notorious-moose", "--provider", "GCP", "--region", "us-central1",
    ),
    ("cockroach", "clusters", "update"): ("abc-123", "--storage-mib-limit", "10240"),
    ("cockroach", "clusters", "delete"): ("abc-123", "--wait"),
    ("cockroach", "clusters", "set-spend-limit"): ("abc-123", "100"),
    ("cockroach", "sql-users", "create"): ("abc-123", "app", "--password", SQL_PASSWORD),
    ("cockroach", "sql-users", "change-password"): ("abc-123", "app", "--password", SQL_PASSWORD),
    ("cockroach", "sql-users", "delete"): ("abc-123", "app"),
    ("cockroach", "maintenance-windows", "set"): (
        "abc-123", "--offset-duration", "172800", "--window-duration", "21600",
    ),
    ("cockroach", "maintenance-windows", "delete"): ("abc-123",),
    ("cockroach", "folders", "create"): ("prod", "--parent-id", U1, "--label", "env=prod"),
    ("cockroach", "folders", "update"): (U1, "--name", "prod-2"),
    ("cockroach", "folders", "delete"): (U1,),
    ("cockroach", "service-accounts", "create"): ("ci", "--role", "CLUSTER_ADMIN"),
    ("cockroach", "service-accounts", "update"): (U1, "--description", "CI"),
    ("cockroach", "service-accounts", "delete"): (U1,),
    ("cockroach", "api-keys", "create"): (
        "--name", "ci", "--service-account-id", U1, "--secret-file", "@KEYFILE",
    ),
    ("cockroach", "api-keys", "update"): ("CCDB1_D4zlI3pmTmk5zGrzYbMhbc", "--name", "ci-2"),
    ("cockroach", "api-keys", "delete"): ("CCDB1_D4zlI3pmTmk5zGrzYbMhbc",),
    ("cockroach", "databases", "create"): ("abc-123", "movr"),
    ("cockroach", "databases", "rename"): ("abc-123", "movr", "movr_v2"),
    ("cockroach", "databases", "delete"): ("abc-123", "movr", "--force"),
    ("cockroach", "ip-allowlists", "add"): ("abc-123", "10.0.0.0/24", "--no-ui", "--sql", "--name", "vpn"),
    ("cockroach", "ip-allowlists", "update"): ("abc-123", "10.0.0.0/24", "--ui", "--no-sql"),
    ("cockroach", "ip-allowlists", "remove"): ("abc-123", "192.168.3.2"),
}  # fmt: skip
# CockroachDB backups, restores and backup settings.
DRY_RUNS.update({
    ("cockroach", "restores", "create"): (
        "abc-123", "--type", "TABLE", "--backup-id", U1,
        "--objects", '[{"database": "tpcc", "schema": "public", "table": "warehouse"}]',
        "--restore-opts", '{"into_db": "other"}', "--wait",
    ),
    ("cockroach", "backup-config", "update"): ("abc-123", "--frequency-minutes", "60", "--no-enabled"),
})  # fmt: skip
# CockroachDB log export and metric export (the Datadog and Azure keys come from the environment).
DRY_RUNS.update({
    ("cockroach", "log-export", "enable"): (
        "abc-123", "--type", "AZURE_LOG_ANALYTICS", "--log-name", "default", "--auth-principal", "ws-1",
        "--groups", '[{"log_name": "ops", "channels": ["OPS"]}]', "--omitted-channel", "SESSIONS",
        "--redact", "--wait",
    ),
    ("cockroach", "log-export", "disable"): ("abc-123",),
    ("cockroach", "metric-export-datadog", "enable"): ("abc-123", "--site", "US1", "--wait"),
    ("cockroach", "metric-export-datadog", "disable"): ("abc-123",),
    ("cockroach", "metric-export-cloudwatch", "enable"): (
        "abc-123", "--role-arn", "arn:aws:iam::123456789012:role/ExampleRole", "--target-region", "us-east-1",
    ),
    ("cockroach", "metric-export-cloudwatch", "disable"): ("abc-123",),
    ("cockroach", "metric-export-prometheus", "enable"): ("abc-123",),
    ("cockroach", "metric-export-prometheus", "disable"): ("abc-123",),
})  # fmt: skip
for _kind in ("aws", "aws-hosted", "azure", "gcp", "hcloud", "k8s"):
    DRY_RUNS[("anywhere", _kind, "create")] = ("env-a", "--file", SPEC)
    DRY_RUNS[("anywhere", _kind, "update")] = ("env-a", "--file", SPEC, "--strategy", "MERGE")
    DRY_RUNS[("anywhere", _kind, "delete")] = ("env-a", "--force")
# ClickPipes: the source's password is one the runner checks every output for, so each dry run
# shows that it is masked in the request printed.
_PIPE_SOURCE = {
    "kafka": {
        "type": "kafka",
        "format": "JSONEachRow",
        "brokers": "b:9092",
        "topics": "events",
        "authentication": "PLAIN",
        "credentials": {"username": "reader", "password": SQL_PASSWORD},
    }
}
DRY_RUNS[("clickhouse", "clickpipes", "create")] = (
    U1, "--name", "p", "--source", json.dumps(_PIPE_SOURCE),
    "--destination", json.dumps({"database": "default", "table": "events"}),
)  # fmt: skip
_PIPE_CREDENTIALS = {"kafka": {"credentials": _PIPE_SOURCE["kafka"]["credentials"]}}
DRY_RUNS[("clickhouse", "clickpipes", "update")] = (U1, U2, "--source", json.dumps(_PIPE_CREDENTIALS))
for _verb in ("start", "stop", "resync", "delete"):
    DRY_RUNS[("clickhouse", "clickpipes", _verb)] = (U1, U2)
DRY_RUNS[("clickhouse", "scaling-schedules", "set")] = (
    U1, "--entries", json.dumps([{"name": "day", "weekdays": [1], "startHourUtc": 8, "endHourUtc": 18}]),
)  # fmt: skip
DRY_RUNS[("clickhouse", "scaling-schedules", "delete")] = (U1,)
REFUSED = {("cockroach", "clusters", "set-spend-limit")}  # gone from the API: refused before any request


def test_every_mutating_verb_has_a_dry_run_case() -> None:
    mutating = {
        (a.name, r.name, v.name) for a in all_apis() for r in a.resources for v in r.verbs if v.mutates
    }
    assert set(DRY_RUNS) == mutating


def _argv(command: tuple[str, str, str], tmp_path: Path) -> list[str]:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"spec": {"serverless": {"regions": ["us-central1"]}}}))
    replace = {SPEC: str(spec), "@KEYFILE": str(tmp_path / "never-created")}
    return [*command, *(replace.get(a, a) for a in DRY_RUNS[command])]


@pytest.mark.parametrize("command", sorted(DRY_RUNS), ids=" ".join)
def test_dry_run_sends_nothing_and_shows_no_secret(
    command: tuple[str, str, str], cli: Runner, emu: Emulator, tmp_path: Path
) -> None:
    before = requests(emu)
    argv = _argv(command, tmp_path)
    if command[0] == "anywhere":  # a spec of the kind's own fields
        spec = CREATE[command[1].replace("-", "_")] if command[2] == "create" else {}
        (tmp_path / "spec.json").write_text(json.dumps(spec))
    plain = cli(*argv, "--dry-run", "-o", "table")
    curl = cli(*argv, "--as-curl")
    data = cli(*argv, "--dry-run")
    assert requests(emu) == before  # the emulator saw nothing
    assert not (tmp_path / "never-created").exists()
    if command in REFUSED:
        assert plain.code == curl.code == data.code == 2
        return
    assert (plain.code, curl.code, data.code) == (0, 0, 0), plain.err
    request = data.json()
    assert request["method"] in ("POST", "PUT", "PATCH", "DELETE", "GET")
    assert plain.out.startswith(f"{request['method']} {request['url']}")
    assert curl.out.startswith(f"curl -X {request['method']} ")
    assert "nothing was sent" in plain.err


def test_a_sql_password_is_a_placeholder_in_a_dry_run(cli: Runner, tmp_path: Path) -> None:
    argv = ("cockroach", "sql-users", "create", "abc-123", "maxroach", "--password", "never-Shown-42")
    plain = cli(*argv, "--dry-run", "-o", "table").out
    assert '"password": "$DBCLOUD_SQL_PASSWORD"' in plain
    assert "never-Shown-42" not in plain + cli(*argv, "--as-curl").out


def test_credentials_are_placeholders_in_every_form(cli: Runner, tmp_path: Path) -> None:
    launch = _argv(("acm", "clusters", "launch"), tmp_path)
    plain = cli(*launch, "--dry-run", "-o", "table").out
    assert "X-Auth-Token: $ACM_API_KEY" in plain
    assert '"adminPass": "$DBCLOUD_ADMIN_PASS"' in plain
    curl = cli(*launch, "--as-curl").out
    assert '"X-Auth-Token: ${ACM_API_KEY}"' in curl
    crdb = cli(*_argv(("cockroach", "clusters", "create-serverless"), tmp_path), "--dry-run").json()
    assert crdb["headers"]["Authorization"] == "Bearer $COCKROACH_API_KEY"
    assert crdb["body"] == {
        "name": "notorious-moose",
        "provider": "GCP",
        "spec": {"serverless": {"regions": ["us-central1"]}},
    }
    clickhouse = cli(*_argv(("clickhouse", "services", "create"), tmp_path), "--as-curl").out
    assert '--user "${CLICKHOUSE_CLOUD_API_KEY}:${CLICKHOUSE_CLOUD_API_SECRET}"' in clickhouse
    assert "/organizations/${CLICKHOUSE_ORG_ID}/services" in clickhouse
    anywhere = cli("anywhere", "aws", "delete", "env-a", "--dry-run").json()
    assert anywhere["headers"]["Authorization"] == "Bearer $ALTINITYCLOUD_API_TOKEN"


@pytest.mark.parametrize(
    "argv",
    [("clickhouse", "services", "delete", U1), ("clickstack", "alerts", "delete", "abc123", "--service", U1)],
    ids=lambda argv: argv[0],
)
def test_a_configured_organization_is_shown_not_a_placeholder(
    cli: Runner, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    # The placeholder stands only for an organization the client would have to look up.
    org = "3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57"
    monkeypatch.setenv("CLICKHOUSE_ORG_ID", org)
    assert f"/organizations/{org}/services/{U1}" in cli(*argv, "--dry-run").json()["url"]
    monkeypatch.delenv("CLICKHOUSE_ORG_ID")
    assert f"/organizations/$CLICKHOUSE_ORG_ID/services/{U1}" in cli(*argv, "--dry-run").json()["url"]


def test_a_dry_run_needs_no_credentials(cli: Runner, tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("ACM_API_KEY", "DBCLOUD_ADMIN_PASS")}
    launch = [
        a for a in _argv(("acm", "clusters", "launch"), tmp_path) if a not in ("--admin-pass", ADMIN_PASS)
    ]
    result = cli(*launch, "--dry-run", environ=environ)
    assert result.code == 0, result.err
    assert result.json()["headers"]["X-Auth-Token"] == "$ACM_API_KEY"


def test_a_command_that_reads_first_says_so(cli: Runner, tmp_path: Path) -> None:
    result = cli(*_argv(("acm", "keys", "create"), tmp_path), "--dry-run")
    assert result.json()["method"] == "GET"
    assert "reads this first" in result.err


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
@pytest.mark.parametrize(
    ("command", "api"),
    [
        (("acm", "clusters", "launch"), "acm"),
        (("clickhouse", "services", "create"), "clickhouse"),
        (("cockroach", "clusters", "create-serverless"), "cockroach"),
    ],
    ids=lambda value: value if isinstance(value, str) else " ".join(value),
)
def test_the_curl_command_does_what_the_command_would(
    command: tuple[str, str, str], api: str, cli: Runner, emu: Emulator, tmp_path: Path
) -> None:
    curl = cli(*_argv(command, tmp_path), "--as-curl").out
    org = cli("clickhouse", "organizations", "list").json()[0]["id"]
    env = {**os.environ, **emu.env, "CLICKHOUSE_ORG_ID": org, "DBCLOUD_ADMIN_PASS": ADMIN_PASS}
    creates = emu.stats()[api]["creates"]
    done = subprocess.run(
        ["bash", "-c", curl.rstrip() + " --silent --show-error --fail"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert emu.stats()[api]["creates"] == creates + 1
    assert not any(secret in curl for secret in SECRETS)


# --- the curl form: the vendor pages' `curl -X POST <url> -H "..." -d '<body>'` ------------------

LAUNCH_T = (
    "acm", "clusters", "launch", "--environment", "176", "--name", "t", "--node-type", "n2d-standard-2",
    "--nodes", "2", "--replicas", "2", "--size", "100",
)  # fmt: skip


def curl_words(curl: str) -> list[str]:
    """The curl command's words, as a POSIX shell splits them (its line continuations removed)."""
    return shlex.split(curl.replace("\\\n", ""))


def option_values(words: list[str], option: str) -> list[str]:
    return [value for flag, value in itertools.pairwise(words) if flag == option]


def test_the_launch_as_curl_is_the_documented_form(cli: Runner) -> None:
    result = cli(*LAUNCH_T, "--dry-run", "--as-curl")
    assert result.code == 0, result.err
    curl = result.out
    assert curl.startswith("curl -X POST ")
    assert ' -H "Content-Type: application/json"' in curl
    assert '"adminPass":"\'"${DBCLOUD_ADMIN_PASS}"\'"' in curl  # the variable, in double quotes
    words = curl_words(curl)
    assert words[:3] == ["curl", "-X", "POST"]
    url = urllib.parse.urlsplit(words[3])
    assert url.path.endswith("/environment/176/clusters/launch")
    assert url.query == ""  # nothing on the URL, the password least of all
    assert "DBCLOUD_ADMIN_PASS" not in words[3]
    assert "Content-Type: application/json" in option_values(words, "-H")
    assert "--data-raw" not in words
    (body,) = option_values(words, "-d")
    sent = json.loads(body)  # valid JSON as it stands, the variable a string inside it
    assert sent["adminPass"] == "${DBCLOUD_ADMIN_PASS}"
    assert (sent["nodes"], sent["replicas"], sent["size"], sent["secure"]) == (2, 2, 100, True)


def test_the_curl_body_is_what_the_facade_sends(cli: Runner) -> None:
    curl = cli(*LAUNCH_T, "--dry-run", "--as-curl").out
    (body,) = option_values(curl_words(curl), "-d")
    # The shell's expansion of the variable, then the body curl would send.
    sent = body.replace("${DBCLOUD_ADMIN_PASS}", ADMIN_PASS)
    recorder = Recorder()
    acm = dbcloud.Altinity(
        token="t0ken", base_url="https://acm.test/api", http_client=httpx.Client(transport=recorder)
    )
    with acm, pytest.raises(DryRunStop):
        acm.clusters.launch(
            176, name="t", node_type="n2d-standard-2", nodes=2, replicas=2, size=100, admin_pass=ADMIN_PASS
        )
    (request,) = recorder.requests
    assert json.loads(sent) == json.loads(request.content)
    assert sent.encode() == request.content  # byte for byte


def test_the_api_guide_launch_can_be_given_as_written(cli: Runner) -> None:
    # The API guide's example, option for option (it names the node type instanceType).
    documented = _documented_body("altinity-api-guide.txt", "-d '", "'")
    result = cli(
        "acm", "clusters", "launch", "--environment", "176", "--name", "api-test",
        "--admin-pass", "dougspassword", "--admin-user", "admin", "--https-port", "8443",
        "--instance-type", "n2d-standard-2", "--nodes", "2", "--replicas", "2", "--secure",
        "--shards", "1", "--size", "100", "--tcp-port-secure", "9440", "--version", "",
        "--zookeeper", "launch", "--zookeeper-options", '{"tag": "", "size": "single"}', "--dry-run",
    )  # fmt: skip
    assert result.code == 0, result.err
    request = result.json()
    assert request["headers"]["Content-Type"] == "application/json"
    assert "?" not in request["url"]
    assert request["body"] == {**documented, "adminPass": "$DBCLOUD_ADMIN_PASS"}


def test_node_type_and_instance_type_are_one_setting(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    both = cli(*LAUNCH_T, "--instance-type", "n2d-standard-2", "--dry-run")
    assert both.code == 2
    assert "give one" in both.err
    argv = [a for a in LAUNCH_T if a not in ("--node-type", "n2d-standard-2")]
    assert cli(*argv, "--dry-run").code == 2
    assert requests(emu) == before


def _render(content: str, **headers: str) -> str:
    return render_request(
        httpx.Request("POST", "https://x.test/a", content=content.encode(), headers=headers), as_curl=True
    )


@pytest.mark.parametrize(
    "content",
    [
        '{"note": "it\'s $HOME, `x`, \\\\ and !"}',
        f'{{"password": "{SENTINELS["DBCLOUD_ADMIN_PASS"]}", "n": "a\'b"}}',
        "login=ops%40example.com&note=a+b",
    ],
    ids=["specials", "placeholder", "form"],
)
def test_every_body_comes_back_from_the_shell_as_sent(content: str) -> None:
    words = curl_words(_render(content))
    (body,) = option_values(words, "-d")
    assert body == content.replace(SENTINELS["DBCLOUD_ADMIN_PASS"], "${DBCLOUD_ADMIN_PASS}")


def test_a_body_curl_would_read_as_a_file_name_is_sent_raw() -> None:
    curl = _render("@notes.txt")
    assert option_values(curl_words(curl), "--data-raw") == ["@notes.txt"]
    assert " -d " not in curl
