"""Fixtures for the CLI tests: one emulator per module, and a runner of `dbcloud` command lines.

Every command line run through `cli` is checked for leaks: no credential of the emulator, and no
password a test handed to the CLI, may appear on stdout or stderr, whatever the command did.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from dbcloud.cli._app import run
from dbcloud.cli._console import Console
from dbcloud.emulator import DEMO_CREDENTIALS, Emulator, running

ADMIN_PASS = "adm1n-Pass-never-shown"
SQL_PASSWORD = "sq1-Pass-never-shown"
SECRETS = (
    DEMO_CREDENTIALS["acm"],
    DEMO_CREDENTIALS["anywhere"],
    DEMO_CREDENTIALS["clickhouse"].split(":")[1],
    DEMO_CREDENTIALS["clickstack"],
    DEMO_CREDENTIALS["cockroach"],
    ADMIN_PASS,
    SQL_PASSWORD,
)
FAST = ("--poll-interval", "0.02")


class FakeTerminal(io.StringIO):
    """A captured stream that says it is a terminal, as stdout or stderr of an interactive run."""

    encoding = "utf-8"  # type: ignore[assignment]

    def isatty(self) -> bool:
        return True


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., Result]


def assert_no_secrets(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"a secret leaked: {text[:300]!r}"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # 3,000 emulated seconds per real second: a 300 s launch takes 0.1 s.
    with running(speed=3000) as emulator:
        yield emulator


@pytest.fixture
def cli_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> dict[str, str]:
    """The environment of a user whose settings point at the emulator (and nowhere else)."""
    for name in (
        "DBCLOUD_PROFILE",
        "NO_COLOR",
        "CLICKHOUSE_ORG_ID",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "no-profile-file.toml"))
    monkeypatch.setenv("DBCLOUD_ADMIN_PASS", ADMIN_PASS)
    for name, value in emu.env.items():
        monkeypatch.setenv(name, value)
    emu.clear_faults()
    return dict(emu.env)


@pytest.fixture
def cli(cli_env: dict[str, str]) -> Runner:
    """Run a command line in this process; stdout and stderr captured (neither is a terminal)."""

    def invoke(*argv: str, tty: bool = False, environ: dict[str, str] | None = None) -> Result:
        out: io.StringIO = FakeTerminal() if tty else io.StringIO()
        err: io.StringIO = FakeTerminal() if tty else io.StringIO()
        console = Console(stdout=out, stderr=err, environ=environ)
        code = run(list(argv), console)
        result = Result(code, out.getvalue(), err.getvalue())
        assert_no_secrets(result.out, result.err)
        return result

    return invoke


def requests(emu: Emulator) -> int:
    """Requests the emulator has seen, all APIs together."""
    return sum(api["requests"] for api in emu.stats().values())
