"""Exit codes tell failures apart; errors go to stderr, never with a secret."""

from __future__ import annotations

import socket

import pytest

from dbcloud import _errors as e
from dbcloud.cli._app import exit_code
from dbcloud.cli._invoke import UsageError
from dbcloud.emulator import Emulator, Fault

from .conftest import FAST, Runner

LAUNCH = (
    "acm", "clusters", "launch", "--environment", "176", "--node-type", "m5.large", "--nodes", "2",
    "--replicas", "2", "--size", "100",
)  # fmt: skip


def test_success_is_0(cli: Runner) -> None:
    assert cli("acm", "environments", "list").code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ("acm", "clusters", "frobnicate"),
        ("acm", "environments", "get", "not-a-number"),
        ("acm", "clusters", "list"),  # --environment missing
        ("nosuchapi", "x", "y"),
        ("acm", "environments", "list", "-o", "xml"),
        (*LAUNCH, "--name", "x", "--nodes", "3"),  # nodes ≠ shards × replicas: refused before sending
        ("clickhouse", "services", "get", "not-a-uuid"),
        ("cockroach", "clusters", "create", "--name", "abcdef", "--provider", "GCP"),  # no plan
    ],
    ids=lambda argv: " ".join(argv[:4]),
)
def test_usage_errors_are_2(argv: tuple[str, ...], cli: Runner) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""


def test_a_missing_credential_is_2_and_names_the_variable(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACM_API_KEY")
    result = cli("acm", "environments", "list")
    assert result.code == 2
    assert "ACM_API_KEY" in result.err


def test_a_refused_credential_is_3_and_not_echoed(cli: Runner) -> None:
    wrong = "wrong-token-must-not-show"
    result = cli("acm", "environments", "list", "--acm-api-key", wrong)
    assert result.code == 3
    assert wrong not in result.err + result.out
    bad_key = cli("cockroach", "clusters", "list", "--cockroach-api-key", wrong)
    assert bad_key.code == 3
    assert wrong not in bad_key.err


def test_not_found_is_4(cli: Runner) -> None:
    result = cli("acm", "clusters", "get", "99999")
    assert result.code == 4
    assert "99999" in result.err


def test_a_wait_past_its_deadline_is_5(cli: Runner) -> None:
    result = cli(*LAUNCH, "--name", "slowpoke", "--wait", "--wait-timeout", "0.001", *FAST)
    assert result.code == 5
    assert "wait" in result.err


def test_an_api_that_does_not_answer_in_time_is_5(cli: Runner, emu: Emulator) -> None:
    emu.add_fault("acm", Fault("slow", count=3, delay=1.0))
    result = cli("acm", "environments", "list", "--request-timeout", "0.1", "--max-retries", "0")
    assert result.code == 5


def test_no_answer_is_6(cli: Runner) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    result = cli(
        "acm", "environments", "list", "--acm-api-url", f"http://127.0.0.1:{port}/api", "--max-retries", "0"
    )
    assert result.code == 6


def test_an_api_error_or_a_failed_launch_is_1(cli: Runner, emu: Emulator) -> None:
    emu.add_fault("acm", Fault("500", count=1, methods=("POST",)))  # a launch is never retried
    assert cli(*LAUNCH, "--name", "unlucky").code == 1
    emu.fail_next_launch("acm")
    failed = cli(*LAUNCH, "--name", "doomed", "--wait", *FAST)
    assert failed.code == 1
    assert "failed" in failed.err


def test_the_exit_code_table() -> None:
    assert exit_code(UsageError("x")) == 2
    assert exit_code(e.ValidationError("x")) == 2
    assert exit_code(e.ConfigError("x")) == 2
    assert exit_code(e.PermissionDeniedError("x", status_code=403)) == 3
    assert exit_code(e.ConflictError("x", status_code=409)) == 1
    assert exit_code(e.APITimeoutError("x")) == 5
    assert exit_code(e.ClusterFailed("x")) == 1
    assert exit_code(KeyboardInterrupt()) == 130


def test_help_documents_the_exit_codes(cli: Runner) -> None:
    shown = cli("--help")
    assert shown.code == 0
    for line in ("0    success", "2    usage", "3    authentication", "4    not found", "5    timeout"):
        assert line in shown.out


def test_a_credential_typed_where_an_id_belongs_is_not_echoed(cli: Runner, cli_env: dict[str, str]) -> None:
    # argparse would repeat the bad value; the run masks the credentials set in the environment.
    result = cli("acm", "clusters", "get", cli_env["ACM_API_KEY"])
    assert result.code == 2
    assert "invalid int value: '********'" in result.err


@pytest.mark.parametrize(
    "typo", [["--admin-passs", "Typed-secret-9f2"], ["--adminpass=Typed-secret-9f2"], ["Typed-secret-9f2"]]
)
def test_a_secret_after_a_misspelt_option_is_not_echoed(cli: Runner, typo: list[str]) -> None:
    # argparse lists every unknown argument; the secret typed after a misspelt option is one of them.
    result = cli("acm", "clusters", "launch", "--environment", "176", "--name", "c1", *typo)
    assert result.code == 2
    assert "unrecognized arguments" in result.err
    assert "Typed-secret-9f2" not in result.err + result.out
    if typo[0].startswith("--"):
        assert typo[0].partition("=")[0] in result.err, "the misspelt option is named, to be fixed"
