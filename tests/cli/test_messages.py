"""Failure messages in the CLI's own terms: its options and variables, where a credential came from,
the retries made and the limit that passed, why a connection failed, and what a stopped wait leaves
going on (with the command that waits again, never the one that launches again)."""

from __future__ import annotations

import io
import json
import os
import socket
import ssl
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from dbcloud._errors import connection_reason
from dbcloud.cli._app import run
from dbcloud.cli._console import Console
from dbcloud.emulator import Emulator, Fault

from .conftest import FAST, FakeTerminal, Runner, assert_no_secrets, requests

LAUNCH = (
    "acm", "clusters", "launch", "--environment", "176", "--node-type", "m5.large", "--nodes", "2",
    "--replicas", "2", "--size", "100",
)  # fmt: skip
ACM_401 = (
    "dbcloud: error: 401 missing or invalid credentials: ACM refused the API key. Keys expire (after 24 "
    "hours unless set otherwise, in GMT) and can be deleted; create a new one in the ACM console under "
    "My Account → API Access (GET {url}/environments); the key came from {origin}\n"
)


def _profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(path))
    return path


# --- settings and credentials --------------------------------------------------------------------


def test_a_missing_key_names_the_variable_the_option_and_the_profile(
    cli: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ACM_API_KEY")
    path = _profiles(tmp_path, monkeypatch, '[staging.clickhouse]\norg_id = "x"\n')
    result = cli("acm", "environments", "list", "--profile", "staging")
    assert result.code == 2
    assert result.err == (
        "dbcloud: error: configuration: no API key for ACM: set ACM_API_KEY or pass --acm-api-key, "
        f"or add token to profile 'staging' ([staging.acm] in {path}), e.g. with "
        "`dbcloud configure acm --profile staging`\n"
    )
    assert "token=..." not in result.err


@pytest.mark.parametrize("where", ["option", "variable", "profile"])
def test_a_refused_key_says_where_it_came_from(
    where: str, cli: Runner, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _profiles(tmp_path, monkeypatch, '[staging.acm]\ntoken = "stale-key-from-the-file"\n')
    argv = ["acm", "environments", "list", "--profile", "staging"]
    if where == "option":
        argv += ["--acm-api-key", "stale-key-from-the-option"]
        origin = "option --acm-api-key"
    elif where == "variable":
        monkeypatch.setenv("ACM_API_KEY", "stale-key-from-the-variable")
        origin = "variable ACM_API_KEY"
    else:
        monkeypatch.delenv("ACM_API_KEY")
        origin = f"profile 'staging' ({path})"
    result = cli(*argv)
    assert result.code == 3
    assert result.err == ACM_401.format(url=cli_env["ACM_API_URL"], origin=origin)
    assert "Altinity.login()" not in result.err
    assert "stale-key" not in result.err


def test_the_library_keeps_its_python_advice(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import dbcloud

    monkeypatch.delenv("ACM_API_KEY", raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))
    with (
        dbcloud.Altinity(token="wrong", base_url=emu.env["ACM_API_URL"]) as acm,
        pytest.raises(dbcloud.AuthenticationError) as refused,
    ):
        acm.environments.list()
    assert "Altinity.login()" in str(refused.value)
    with pytest.raises(dbcloud.ConfigError, match=r"pass token=\.\.\., set ACM_API_KEY") as missing:
        dbcloud.Altinity(base_url=emu.env["ACM_API_URL"])
    assert missing.value.setting == "token"
    assert missing.value.variables == ("ACM_API_KEY",)


# --- retries, timeouts, connections -------------------------------------------------------------


def test_an_error_after_retries_says_how_many(cli: Runner, emu: Emulator, cli_env: dict[str, str]) -> None:
    emu.add_fault("acm", Fault("503", count=2))
    result = cli("acm", "environments", "list", "--max-retries", "1")
    assert result.code == 1
    url = cli_env["ACM_API_URL"]
    assert result.err == f"dbcloud: error: 503 injected fault (GET {url}/environments) after 1 retry\n"


def test_a_timeout_names_its_limit_and_the_option(
    cli: Runner, emu: Emulator, cli_env: dict[str, str]
) -> None:
    emu.add_fault("acm", Fault("slow", count=1, delay=1.0))
    result = cli("acm", "environments", "list", "--request-timeout", "0.1", "--max-retries", "0")
    assert result.code == 5
    assert result.err == (
        f"dbcloud: error: GET {cli_env['ACM_API_URL']}/environments: no answer within 0.1 s; "
        "allow more with --request-timeout SECONDS (or DBCLOUD_TIMEOUT)\n"
    )


def test_a_refused_connection_says_refused_and_names_the_host(cli: Runner) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    url = f"http://127.0.0.1:{port}/api"
    result = cli("acm", "environments", "list", "--acm-api-url", url, "--max-retries", "0")
    assert result.code == 6
    assert result.err == (
        f"dbcloud: error: no answer from 127.0.0.1:{port}: connection refused (GET {url}/environments)\n"
    )


def test_a_cut_answer_counts_its_retries(cli: Runner, emu: Emulator, cli_env: dict[str, str]) -> None:
    emu.add_fault("acm", Fault("reset", count=2))
    result = cli("acm", "environments", "list", "--max-retries", "1")
    assert result.code == 6
    host = httpx.URL(cli_env["ACM_API_URL"]).netloc.decode()
    assert result.err.startswith(f"dbcloud: error: no answer from {host}: ")
    assert result.err.endswith(f"(GET {cli_env['ACM_API_URL']}/environments) after 1 retry\n")


def _raised(outer: Exception, inner: BaseException) -> Exception:
    outer.__cause__ = inner
    return outer


_REFUSED = _raised(httpx.ConnectError("x"), ConnectionRefusedError(111, "Connection refused"))
_DNS = _raised(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known"))
_TLS = _raised(httpx.ConnectError("x"), ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]"))
_RESET = _raised(httpx.ReadError("x"), ConnectionResetError(104, "Connection reset by peer"))


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (_REFUSED, "connection refused"),
        (_DNS, "host name not found (DNS)"),
        (_TLS, "TLS handshake failed"),
        (_RESET, "connection reset"),
    ],
    ids=["refused", "dns", "tls", "reset"],
)
def test_connection_failures_are_told_apart(failure: Exception, reason: str) -> None:
    assert connection_reason(failure).startswith(reason)


# --- a wait that stops before the end ----------------------------------------------------------


def test_a_launch_whose_wait_times_out_gives_the_wait_command(cli: Runner, emu: Emulator) -> None:
    with emu.paused_clock():  # the cluster stays "launching" for as long as the test looks
        result = cli(*LAUNCH, "--name", "slowpoke", "--wait", "--wait-timeout", "0.001", *FAST)
        cid = _last_cluster(cli)
    assert result.code == 5
    first, *rest = result.err.splitlines()
    assert first.startswith(f"dbcloud: error: ACM cluster {cid} not ready after ")
    assert rest == [
        f"cluster {cid} is still being created (running `launch` again would create another one); "
        "to keep waiting, run:",
        f"  dbcloud acm clusters wait {cid}",
    ]
    assert "run the same" not in result.err


def test_the_wait_hint_keeps_the_profile(
    cli: Runner, emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    _profiles(tmp_path, monkeypatch, '[staging.acm]\nbase_url = "http://127.0.0.1:1/unused"\n')
    with emu.paused_clock():
        result = cli(*LAUNCH, "--name", "staged", "--profile", "staging", "--wait", "--wait-timeout", "0.001")
    assert result.code == 5
    assert result.err.splitlines()[-1].endswith(" --profile staging")


def test_ctrl_c_during_a_launch_wait_says_it_goes_on_and_how_to_resume(
    cli_env: dict[str, str], emu: Emulator
) -> None:
    err = _InterruptedOnFirstProgress()
    with emu.paused_clock():
        console = Console(stdout=io.StringIO(), stderr=err, environ={**os.environ, "NO_COLOR": "1"})
        code = run([*LAUNCH, "--name", "impatient", "--wait", *FAST], console)
    assert code == 130
    lines = err.getvalue().splitlines()
    message = lines[lines.index("dbcloud: error: interrupted") :]
    cid = message[1].split()[1]
    assert message == [
        "dbcloud: error: interrupted",
        f"cluster {cid} is still being created (running `launch` again would create another one); "
        "to keep waiting, run:",
        f"  dbcloud acm clusters wait {cid}",
    ]
    assert_no_secrets(err.getvalue())


def test_a_wait_verb_that_times_out_gives_the_same_command(cli: Runner, emu: Emulator) -> None:
    with emu.paused_clock():
        cid = str(cli(*LAUNCH, "--name", "waited-on").json()["id"])
        result = cli("acm", "clusters", "wait", cid, "--wait-timeout", "0.001", *FAST)
    assert result.code == 5
    assert result.err.splitlines()[1:] == [
        "it goes on without us; to keep waiting, run:",
        f"  dbcloud acm clusters wait {cid} --wait-timeout 0.001",
    ]


def test_a_failed_launch_says_launch_failed_once(cli: Runner, emu: Emulator) -> None:
    emu.fail_next_launch("acm")
    result = cli(*LAUNCH, "--name", "doomed", "--wait", *FAST)
    assert result.code == 1
    assert "launch failed: nodes did not start (emulated failure)" in result.err
    assert result.err.count("launch failed") == 1


class _InterruptedOnFirstProgress(FakeTerminal):
    """A terminal whose user presses Ctrl-C when the wait's first progress line is drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.pressed = False

    def write(self, text: str) -> int:
        main = threading.current_thread() is threading.main_thread()
        if main and not self.pressed and text.startswith("\r\x1b[2K"):  # the progress line
            self.pressed = True
            raise KeyboardInterrupt
        return super().write(text)


def _last_cluster(cli: Runner) -> str:
    clusters = cli("acm", "clusters", "list", "--environment", "176").json()
    return str(max(int(c["id"]) for c in clusters))


# --- typos ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (("acn", "environments", "list"), "argument COMMAND: invalid choice: 'acn'; did you mean 'acm'?"),
        (
            ("acm", "enviroments", "list"),
            "argument RESOURCE: invalid choice: 'enviroments'; did you mean 'environments'?",
        ),
        (("acm", "environments", "lst"), "argument VERB: invalid choice: 'lst'; did you mean 'list'?"),
        (
            ("acm", "environments", "list", "-o", "jsn"),
            "argument -o/--output: invalid choice: 'jsn'; did you mean 'json'?",
        ),
        (
            ("acm", "environments", "list", "--outptu", "json"),
            "unrecognized arguments: --outptu … (values not shown); did you mean --output?",
        ),
        (
            ("acm", "clusters", "launch", "--environment", "176", "--name", "c1", "--nod-type=m5.large"),
            "unrecognized arguments: --nod-type=… (values not shown); did you mean --node-type?",
        ),
    ],
    ids=["api", "resource", "verb", "choice", "option", "option="],
)
def test_a_typo_is_refused_with_the_closest_word(
    argv: tuple[str, ...], told: str, cli: Runner, emu: Emulator
) -> None:
    before = requests(emu)
    result = cli(*argv)
    assert result.code == 2
    assert told in result.err.splitlines()[-1]
    assert requests(emu) == before


def test_a_typo_far_from_every_word_lists_the_choices_only(cli: Runner) -> None:
    result = cli("acm", "zzzzzz", "list")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "dbcloud acm: error: argument RESOURCE: invalid choice: 'zzzzzz' (choose from 'environments', "
        "'clusters', 'node-types', 'settings', 'backups', 'database-users', 'zookeepers', 'keys')"
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_raw_refuses_an_unknown_method_and_sends_nothing(cli: Runner, emu: Emulator, dry_run: bool) -> None:
    before = requests(emu)
    result = cli("raw", "acm", "gett", "/environments", *(["--dry-run"] if dry_run else []))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "dbcloud: error: unknown HTTP method 'GETT'; did you mean GET? "
        "(one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS); nothing was sent\n"
    )
    assert requests(emu) == before


# --- text ----------------------------------------------------------------------------------------


def test_help_texts_use_an_before_a_vowel(cli: Runner) -> None:
    alerts = cli("clickstack", "alerts", "--help").out
    assert "show an alert" in alerts
    assert "create an alert (repeated only after a rate limit)" in alerts
    assert " a alert" not in alerts
    aws = " ".join(cli("anywhere", "aws", "--help").out.split())
    assert "create an AWS environment in your account" in aws
    assert "list AWS environments in your account" in aws
    assert "(your account)s" not in aws


def test_no_help_page_says_the_api_label_twice() -> None:
    from dbcloud.cli._commands import all_apis
    from dbcloud.cli._parser import build_parser

    for api in all_apis():
        top = build_parser(api.name)
        (api_page,) = [p for n, p in _pages(top) if n == api.name]
        pages = [api_page, *(page for _, page in _pages(api_page))]
        for page in pages:
            text = " ".join((page.description or "").split())
            assert text.count(api.label + ":") <= 1, text
            assert f"{api.label}: {api.label}" not in text, text


def _pages(parser: object) -> list[tuple[str, object]]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    found: list[tuple[str, object]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found += list(action.choices.items())
    return found


def test_table_headers_keep_the_field_names_words_apart(cli: Runner) -> None:
    board, hook = _board_and_hook(cli, "headers")
    alert = cli(
        "clickstack", "alerts", "create", "--source", "tile", "--dashboard-id", board["id"],
        "--tile-id", board["tiles"][0]["id"], "--threshold", "1", "--threshold-type", "above",
        "--interval", "5m", "--name", "hdr", "--webhook-id", hook["id"],
    )  # fmt: skip
    assert alert.code == 0, alert.err
    header = cli("clickstack", "alerts", "list", "-o", "table").out.splitlines()[0].split()
    assert header == ["ID", "NAME", "STATE", "SOURCE", "THRESHOLD_TYPE", "THRESHOLD", "INTERVAL"]


def _board_and_hook(cli: Runner, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    tile = {"name": "Errors", "x": 0, "y": 0, "w": 6, "h": 3, "config": {"displayType": "markdown"}}
    made = cli("clickstack", "dashboards", "create", "--name", name, "--tiles", json.dumps([tile]))
    assert made.code == 0, made.err
    hook = cli(
        "clickstack", "webhooks", "create", "--name", name, "--webhook-service", "generic",
        "--url", f"https://hooks.example.com/{name}",
    )  # fmt: skip
    assert hook.code == 0, hook.err
    return made.json(), hook.json()


def test_a_cockroach_cluster_shows_the_vendor_state_in_the_cli_and_both_in_the_library(
    cli: Runner, cli_env: dict[str, str]
) -> None:
    import dbcloud
    from dbcloud import ClusterState

    made = cli("cockroach", "clusters", "create-serverless", "--name", "state-words", "--wait", *FAST)
    assert made.code == 0, made.err
    cid = made.json()["id"]
    table = cli("cockroach", "clusters", "get", cid, "-o", "table").out
    assert "state              CREATED" in table or any(
        line.split() == ["state", "CREATED"] for line in table.splitlines()
    )
    listed = cli("cockroach", "clusters", "list", "-o", "table").out.splitlines()
    assert listed[0].split() == ["ID", "NAME", "PLAN", "CLOUD_PROVIDER", "STATE", "COCKROACH_VERSION"]
    with dbcloud.CockroachCloud() as crdb:
        cluster = crdb.clusters.get(cid)
    assert (cluster.state, cluster.vendor_state) == (ClusterState.RUNNING, "CREATED")


def test_the_readme_alert_file_creates_an_alert(cli: Runner, tmp_path: Path) -> None:
    # The README shows the file the command names; with real ids in it, it creates the alert.
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    after = readme.split("`alert.json` holds the alert", 1)[1]
    document = after.split("```json\n", 1)[1].split("```", 1)[0]
    board, hook = _board_and_hook(cli, "readme")
    ids = {"<DASHBOARD_ID>": board["id"], "<TILE_ID>": board["tiles"][0]["id"], "<WEBHOOK_ID>": hook["id"]}
    for placeholder, value in ids.items():
        document = document.replace(placeholder, value)
    path = tmp_path / "alert.json"
    path.write_text(document, encoding="utf-8")
    made = cli("clickstack", "alerts", "create", "--file", str(path))
    assert made.code == 0, made.err
    alert = made.json()
    assert (alert["name"], alert["thresholdType"], alert["channel"]["webhookId"]) == (
        "Checkout errors",
        "above",
        hook["id"],
    )


def test_a_refused_value_names_the_option_it_came_from(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    result = cli("cockroach", "clusters", "list", "--page-size", "-1")
    assert result.code == 2
    assert result.err == (
        "dbcloud: error: invalid request, nothing was sent: page_size must be a whole number of 1 or "
        "more, got -1 (option --page-size)\n"
    )
    assert requests(emu) == before


def test_an_organization_that_is_not_a_uuid_names_the_option(cli: Runner) -> None:
    result = cli("clickhouse", "services", "list", "--clickhouse-org-id", "not-a-uuid")
    assert result.code == 2
    assert result.err == (
        "dbcloud: error: configuration: the organization id from option --clickhouse-org-id is not a "
        "UUID: 'not-a-uuid'\n"
    )


@pytest.mark.parametrize("given", [[], ["--wait-timeout", "60"]], ids=["default limit", "limit given"])
def test_a_wait_that_gives_up_says_how_to_wait_longer_only_at_the_default(given: list[str]) -> None:
    from dbcloud import WaitTimeout
    from dbcloud.cli._app import _stopped_wait
    from dbcloud.cli._commands import api_named
    from dbcloud.cli._invoke import Call
    from dbcloud.cli._parser import build_parser

    args = build_parser("acm").parse_args(["acm", "clusters", "wait", "1001", *given])
    api = api_named("acm")
    assert api is not None
    resource = api.resource("clusters")
    console = Console(stdout=io.StringIO(), stderr=io.StringIO())
    call = Call(
        args=args, console=console, api=api, resource=resource, verb=resource.verb("wait"), recorder=None
    )

    def gives_up() -> None:
        raise WaitTimeout("ACM cluster 1001 not ready after 30m (timeout 30m); last state: launching")

    with pytest.raises(WaitTimeout) as stopped:
        _stopped_wait(call, gives_up)
    limit = " --wait-timeout 60" if given else ""
    advice = [] if given else ["(it gave up at the default limit: add --wait-timeout SECONDS to wait longer)"]
    assert "\n".join(stopped.value.__notes__).splitlines() == [
        "it goes on without us; to keep waiting, run:",
        f"  dbcloud acm clusters wait 1001{limit}",
        *advice,
    ]


def test_a_backup_whose_wait_times_out_gives_the_clusters_wait_command(cli: Runner, emu: Emulator) -> None:
    cid = str(cli(*LAUNCH, "--name", "backed-up", "--wait", *FAST).json()["id"])
    with emu.paused_clock():  # the backup stays running for as long as the test looks
        result = cli("acm", "backups", "create", cid, "--wait", "--wait-timeout", "0.001", *FAST)
    assert result.code == 5
    assert result.err.splitlines()[1:] == [
        "the cluster's operation goes on; to keep waiting, run:",
        f"  dbcloud acm clusters wait {cid}",
    ]


def test_a_cockroach_create_whose_wait_times_out_gives_its_wait_command(cli: Runner, emu: Emulator) -> None:
    argv = ("cockroach", "clusters", "create-serverless", "--name", "slow-moose", "--wait")
    with emu.paused_clock():
        result = cli(*argv, "--wait-timeout", "0.001", *FAST)
        cid = next(c["id"] for c in cli("cockroach", "clusters", "list").json() if c["name"] == "slow-moose")
    assert result.code == 5
    assert result.err.splitlines()[1:] == [
        f"cluster {cid} is still being created (running `create-serverless` again would create another one); "
        "to keep waiting, run:",
        f"  dbcloud cockroach clusters wait {cid}",
    ]


def test_a_library_call_in_a_refusal_becomes_the_command(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    result = cli("clickstack", "saved-searches", "create", "--name", "x", "--source-id", " ")
    assert result.code == 2
    assert result.err == (
        "dbcloud: error: invalid request, nothing was sent: source_id must be a source's id "
        "(see `dbcloud clickstack sources list`) (option --source-id)\n"
    )
    assert requests(emu) == before


def test_a_refused_permission_also_says_where_the_key_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    from dbcloud import PermissionDeniedError
    from dbcloud.cli._messages import message
    from dbcloud.cli._parser import build_parser

    monkeypatch.setenv("COCKROACH_API_KEY", "a-key-with-few-rights")
    args = build_parser("cockroach").parse_args(["cockroach", "clusters", "list"])
    refused = PermissionDeniedError("permission denied", status_code=403, method="GET", url="https://x/c")
    assert message(refused, args) == (
        "403 permission denied (GET https://x/c); the key came from variable COCKROACH_API_KEY"
    )


# Last in the module: the interrupted launch is answered (and made) after the test is done.
def test_ctrl_c_while_a_launch_is_sent_says_it_may_have_reached_the_api(
    cli_env: dict[str, str], emu: Emulator
) -> None:
    import signal

    faults = emu.app.faults["acm"]
    before = faults.injected
    emu.add_fault("acm", Fault("slow", count=1, delay=1.0, methods=("POST",)))
    main = threading.main_thread().ident
    assert main is not None

    def press_ctrl_c() -> None:  # once the emulator holds the launch, as a user would
        for _ in range(10_000):
            if faults.injected > before:
                signal.pthread_kill(main, signal.SIGINT)
                return
            threading.Event().wait(0.001)

    presser = threading.Thread(target=press_ctrl_c)
    err = io.StringIO()
    console = Console(stdout=io.StringIO(), stderr=err)
    presser.start()
    try:
        code = run([*LAUNCH, "--name", "interrupted-send"], console)
    finally:
        presser.join()
    assert code == 130
    assert err.getvalue().splitlines() == [
        "dbcloud: error: interrupted",
        "`launch` may have reached the API before the interrupt; check before running it again:",
        "  dbcloud acm clusters list --environment 176",
    ]
