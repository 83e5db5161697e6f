"""The CLI refuses malformed input with exit code 2 and one error line naming the problem, sending nothing.

Each command line runs through `dbcloud.cli.main` in this process, against the emulator, with the
settings a user of it would have (no ClickHouse organization configured: the client looks it up, a
request of its own). A case passes only if the run exits 2, no exception escaped (a user would see
a traceback), exactly one stderr line says `error:` and it names the offending option, field or
file, and the emulator counted no request. The controls show that a valid command line is counted.
Results join the "bad input" table as subject "cli".
"""

from __future__ import annotations

import contextlib
import io
import json
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from dbcloud.cli import main
from dbcloud.emulator import Emulator

from ._figures import Figures

SERVICE = "803803cf-1cab-4259-a593-5c5d3d66bcc7"
CRLF = "a\r\nX-Injected: 1"
PASSWORD = "adm1n-Pass-for-bad-input"
AWS = {"awsAccountID": "111122223333", "region": "eu-west-1", "cidr": "10.1.0.0/21"}
# Files in the working directory of every run (tmp_path); "missing.json" is never written.
FILES = {
    "not-utf-8.json": b"\xff\xfe\x00bad",
    "password.txt": b"\xff\xfe\x00bad",
    "not-json.json": b"{not: [valid",
    "a-list.json": b"[1, 2]",
    "unknown-field.json": b'{"colour": "red"}',
    "unknown-spec-field.json": json.dumps({**AWS, "regoin": "x"}).encode(),
}
LAUNCH = (
    "acm", "clusters", "launch", "--environment", "176", "--name", "api-test", "--node-type", "m5.large",
    "--nodes", "2", "--replicas", "2", "--size", "100",
)  # fmt: skip
CREATE_SERVICE = (
    "clickhouse", "services", "create", "--name", "s", "--provider", "aws", "--region", "us-east-1",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    what: str
    argv: tuple[str, ...]
    names: str  # what the error line must contain: the option, field or file at fault

    def __str__(self) -> str:
        return self.what


def launch(what: str, names: str, *extra: str, password: bool = True, **changes: str) -> Case:
    """An ACM cluster launch, valid but for `changes` (`nodes="0"` sets `--nodes 0`) and `extra`."""
    argv = list(LAUNCH)
    for option, value in changes.items():
        argv[argv.index("--" + option.replace("_", "-")) + 1] = value
    if password:
        argv += ["--admin-pass", PASSWORD]
    return Case(what, (*argv, *extra), names)


CASES = [
    # Files: unreadable, undecodable, unparsable, or of the wrong shape.
    launch("launch --file not UTF-8", "not-utf-8.json is not UTF-8", "--file", "not-utf-8.json"),
    Case(
        "anywhere create --file not UTF-8",
        ("anywhere", "aws", "create", "env-a", "--file", "not-utf-8.json"),
        "not-utf-8.json is not UTF-8",
    ),
    Case(
        "clickhouse update --file not UTF-8",
        ("clickhouse", "services", "update", SERVICE, "--file", "not-utf-8.json"),
        "not-utf-8.json is not UTF-8",
    ),
    launch(
        "launch --admin-pass-file not UTF-8",
        "password.txt is not UTF-8",
        "--admin-pass-file",
        "password.txt",
        password=False,
    ),
    launch(
        "launch --zookeeper-options @file not UTF-8",
        "argument --zookeeper-options: not-utf-8.json is not UTF-8",
        "--zookeeper-options",
        "@not-utf-8.json",
    ),
    Case(
        "raw --data @file not UTF-8",
        ("raw", "acm", "POST", "/environments", "--data", "@not-utf-8.json"),
        "argument --data: not-utf-8.json is not UTF-8",
    ),
    launch("launch --file neither JSON nor YAML", "not-json.json is neither", "--file", "not-json.json"),
    launch("launch --file holding a list", "a-list.json must hold an object", "--file", "a-list.json"),
    launch("launch --file that does not exist", "cannot read missing.json", "--file", "missing.json"),
    Case(
        "anywhere create --file that does not exist",
        ("anywhere", "aws", "create", "env-a", "--file", "missing.json"),
        "cannot read missing.json",
    ),
    # Values the facade refuses.
    launch("launch --nodes 0", "nodes must be 1 or more", nodes="0"),
    launch("launch --size -5", "size must be 1 or more", size="-5"),
    launch("launch --shards 0", "shards must be 1 or more", "--shards", "0"),
    launch("launch --nodes ≠ shards × replicas", "nodes must equal shards × replicas", nodes="3"),
    launch("launch --name ''", "name must not be empty", name=""),
    launch("launch --name with CRLF", "name must not contain line breaks", name=CRLF),
    launch("launch --https-port 70000", "https_port", "--https-port", "70000"),
    Case(
        "clickhouse create --name ''",
        (*CREATE_SERVICE[:4], "", *CREATE_SERVICE[5:]),
        "name must be 1 to 50 characters",
    ),
    Case(
        "cockroach create-serverless --name with CRLF",
        ("cockroach", "clusters", "create-serverless", "--name", CRLF),
        "cluster name",
    ),
    Case(
        "clickhouse set-scaling --num-replicas 0",
        ("clickhouse", "services", "set-scaling", SERVICE, "--num-replicas", "0"),
        "num_replicas",
    ),
    Case("cockroach list --page-size 0", ("cockroach", "clusters", "list", "--page-size", "0"), "page_size"),
    # Ids that would walk the URL path.
    Case(
        "acm cluster id '../1'",
        ("acm", "clusters", "get", "../1"),
        "argument CLUSTER_ID: invalid int value: '../1'",
    ),
    Case("clickhouse service id '../keys'", ("clickhouse", "services", "get", "../keys"), "service_id"),
    Case("clickhouse service id '%2F..'", ("clickhouse", "services", "delete", "%2F.."), "service_id"),
    Case("cockroach cluster id '../x'", ("cockroach", "clusters", "get", "../x"), "cluster id"),
    Case("cockroach cluster id '%2F..'", ("cockroach", "clusters", "delete", "%2F.."), "cluster id"),
    Case("clickstack dashboard id '..'", ("clickstack", "dashboards", "get", ".."), "dashboard_id"),
    Case("clickstack alert id with CRLF", ("clickstack", "alerts", "get", CRLF), "alert_id"),
    # Managed ClickStack without a configured organization: the lookup waits for valid input.
    Case(
        "managed clickstack dashboard id '..'",
        ("clickstack", "dashboards", "get", "..", "--service", SERVICE),
        "dashboard_id",
    ),
    Case(
        "managed clickstack alert id '%2F..'",
        ("clickstack", "alerts", "delete", "%2F..", "--service", SERVICE),
        "alert_id",
    ),
    # Wrong types, unknown fields, unknown options.
    launch("launch --nodes two", "argument --nodes: invalid int value: 'two'", nodes="two"),
    launch(
        "launch --file with an unknown field",
        "'colour' is not a field of ACM's cluster launch",
        "--file",
        "unknown-field.json",
    ),
    launch(
        "launch --param with an unknown field",
        "'colour' is not a field of ACM's cluster launch",
        "--param",
        "colour=red",
    ),
    Case(
        "clickhouse create --file with an unknown field",
        (*CREATE_SERVICE, "--file", "unknown-field.json"),
        "colour: not a field of service creation",
    ),
    Case(
        "cockroach update --file with an unknown field",
        ("cockroach", "clusters", "update", "abc-123", "--file", "unknown-field.json"),
        "unexpected keyword argument 'colour'",
    ),
    Case(
        "anywhere create --file with an unknown spec field",
        ("anywhere", "aws", "create", "env-a", "--file", "unknown-spec-field.json"),
        "spec.regoin",
    ),
    launch("launch with an unknown option", "unrecognized arguments: --colour", "--colour", "red"),
]


@dataclass
class Ran:
    code: int | None  # None: an exception escaped, as a traceback would for a user
    out: str
    err: str

    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if "error:" in line]


def requests(emu: Emulator) -> int:
    """Requests the emulator has seen, all APIs together."""
    return sum(api["requests"] for api in emu.stats().values())


@pytest.fixture
def user(emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run `dbcloud` command lines in tmp_path (where FILES are), with the emulator's settings."""
    for name in ("DBCLOUD_ADMIN_PASS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in emu.env.items():
        monkeypatch.setenv(name, value)
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    emu.clear_faults()


def run(*argv: str) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: int | None = main(list(argv))
        except Exception:  # what a user would see as a traceback
            code = None
            err.write(traceback.format_exc())
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.mark.usefixtures("user")
@pytest.mark.parametrize("case", CASES, ids=str)
def test_refused_before_sending(case: Case, emu: Emulator, figures: Figures) -> None:
    before = requests(emu)
    ran = run(*case.argv)
    sent = requests(emu) - before
    lines = ran.error_lines()
    clean = ran.code is not None and "Traceback" not in ran.err
    named = len(lines) == 1 and case.names in lines[0]
    figures.check("bad input", "cli", clean and ran.code == 2 and named and sent == 0)
    assert clean, f"not refused cleanly:\n{ran.err}"
    assert ran.code == 2, f"exit code {ran.code}, not 2 (usage):\n{ran.err}"
    assert named, f"expected one error line containing {case.names!r}, got:\n{ran.err}"
    assert sent == 0, f"refused, but only after sending {sent} request(s): {lines}"


@pytest.mark.usefixtures("user")
@pytest.mark.parametrize(
    "argv",
    [
        (*LAUNCH, "--admin-pass", PASSWORD),
        ("clickhouse", "services", "list"),  # the organization is looked up first: two requests
        ("clickstack", "dashboards", "list", "--service", SERVICE),  # the same, for managed ClickStack
    ],
    ids=lambda argv: " ".join(argv[:3]),
)
def test_a_valid_command_is_counted(argv: tuple[str, ...], emu: Emulator) -> None:
    # The control: the same kind of command line, valid, reaches the emulator (so the count can fail).
    before = requests(emu)
    ran = run(*argv)
    assert ran.code == 0, ran.err
    assert ran.error_lines() == []
    assert requests(emu) > before
