"""Live progress on a terminal only; the installed entry point; a cold `--help` that imports little."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dbcloud.emulator import Emulator

from .conftest import ADMIN_PASS, FAST, Runner, assert_no_secrets

DBCLOUD = Path(sys.executable).with_name("dbcloud")
LAUNCH = (
    "acm", "clusters", "launch", "--environment", "176", "--node-type", "m5.large", "--nodes", "2",
    "--replicas", "2", "--size", "100",
)  # fmt: skip


def test_wait_shows_state_and_elapsed_time_on_a_terminal(cli: Runner) -> None:
    environ = {"DBCLOUD_ADMIN_PASS": ADMIN_PASS}
    result = cli(*LAUNCH, "--name", "watched", "--wait", *FAST, "-o", "json", tty=True, environ=environ)
    assert result.code == 0, result.err
    assert "ACM cluster" in result.err
    assert "launching" in result.err
    last = result.err.rstrip().rsplit("\r", 1)[-1]
    assert "✓" in last
    assert "online" in last
    assert last.endswith("s)")
    assert json.loads(result.out)["status"] == "online"


def test_wait_shows_nothing_extra_when_piped(emu: Emulator, tmp_path: Path) -> None:
    env = {
        **os.environ,
        **emu.env,
        "DBCLOUD_CONFIG": str(tmp_path / "none.toml"),
        "DBCLOUD_ADMIN_PASS": "pw-1",
    }
    done = subprocess.run(
        [str(DBCLOUD), *LAUNCH, "--name", "piped", "--wait", *FAST], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["status"] == "online"
    assert_no_secrets(done.stdout, done.stderr)


def test_the_entry_point_and_python_dash_m(emu: Emulator, tmp_path: Path) -> None:
    env = {**os.environ, **emu.env, "DBCLOUD_CONFIG": str(tmp_path / "none.toml")}
    for command in ([str(DBCLOUD)], [sys.executable, "-m", "dbcloud"]):
        listed = subprocess.run(
            [*command, "acm", "environments", "list"], env=env, capture_output=True, text=True
        )
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout)[0]["id"] == 176
        missing = subprocess.run(
            [*command, "acm", "environments", "get", "999"], env=env, capture_output=True, text=True
        )
        assert (missing.returncode, missing.stdout) == (4, "")
        assert missing.stderr.startswith("dbcloud: error:")
    version = subprocess.run([str(DBCLOUD), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("dbcloud ")


def test_help_imports_no_http_library_generated_code_or_emulator() -> None:
    script = (
        "import sys, io, contextlib\n"
        "from dbcloud.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = main(['--help'])\n"
        "assert code == 0 and 'acm' in out.getvalue()\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    modules = ("httpx", "httpcore", "rich", "uvicorn", "attrs", "yaml", "jmespath")
    heavy = [m for m in loaded if m.split(".")[0] in modules]
    assert heavy == []
    assert [m for m in loaded if m.startswith(("dbcloud_", "dbcloud.emulator", "dbcloud.altinity"))] == []


def test_global_options_go_before_the_api_or_after_the_verb() -> None:
    from dbcloud.cli._parser import build_parser, focus_of

    assert focus_of(["-o", "json", "acm", "clusters"]) == "acm"
    assert focus_of(["--profile", "acm", "cockroach"]) == "cockroach"
    assert focus_of(["--help"]) is None
    parser = build_parser("acm")
    args = parser.parse_args(["-o", "yaml", "acm", "clusters", "get", "7", "--profile", "p"])
    assert (args.output, args.profile, args.cluster_id) == ("yaml", "p", 7)
