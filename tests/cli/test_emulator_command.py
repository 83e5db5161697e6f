"""`dbcloud emulator`: starts, prints where it listens and how to point the facades there."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def test_emulator_command_prints_settings_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "dbcloud.emulator", "--port", "0", "--speed", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("# control:"):
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else "no output"
            lines.append(line.strip())
        env = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        assert env["ACM_API_KEY"] == "emulator-acm-token"
        answer = httpx.get(f"{env['ACM_API_URL']}/environments", headers={"X-Auth-Token": env["ACM_API_KEY"]})
        assert answer.status_code == 200
        assert answer.json()["data"][0]["id"] == 176
        # Its stdout is not a terminal (a `$(...)` would be one such): it says how not to wait for ever.
        assert process.stderr is not None
        assert 'eval "$(dbcloud emulator --detach)"' in process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_bad_arguments_exit_2() -> None:
    for args in (
        ["--port", "70000"],
        ["--speed", "0"],
        ["--speed", "nan"],
        ["--body-timeout", "0"],
        ["--port", "x"],
        ["--detach", "--stop"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "dbcloud.emulator", *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2, args
        assert result.stderr


# --- --env-file, --detach and --stop, started and stopped for real on loopback ----------------------


def _environ(tmp_path: Path) -> dict[str, str]:
    """The environment of a user whose state directory (where detached emulators are kept) is new."""
    return {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path)}


def _dbcloud(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dbcloud", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )


def _exports(text: str) -> dict[str, str]:
    return {
        name: shlex.split(value)[0]
        for name, _, value in (
            line.removeprefix("export ").partition("=")
            for line in text.splitlines()
            if line.startswith("export ")
        )
    }


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"  # exited (its parent, now init, reaps it)


def test_detach_prints_the_exports_returns_and_stop_ends_the_server(tmp_path: Path) -> None:
    environ = _environ(tmp_path)
    started = _dbcloud(environ, "emulator", "--detach", "--port", "0")
    try:
        assert started.returncode == 0, started.stderr
        env = _exports(started.stdout)
        pid = int(env["DBCLOUD_EMULATOR_PID"])
        assert f"dbcloud emulator --stop (or: kill {pid})" in started.stdout
        # What `eval "$(dbcloud emulator --detach)"` sets is enough to use every API and the controls.
        answer = httpx.get(f"{env['ACM_API_URL']}/environments", headers={"X-Auth-Token": env["ACM_API_KEY"]})
        assert answer.json()["data"][0]["id"] == 176
        stats = httpx.get(
            f"{env['DBCLOUD_EMULATOR_URL']}/_emulator/stats",
            headers={"Authorization": f"Bearer {env['DBCLOUD_EMULATOR_TOKEN']}"},
        )
        assert stats.json()["acm"]["requests"] == 1
    finally:
        stopped = _dbcloud(environ, "emulator", "--stop")
    assert stopped.returncode == 0, stopped.stderr
    assert f"stopped the emulator at {env['DBCLOUD_EMULATOR_URL']} (pid {pid})" in stopped.stderr
    assert _gone(pid)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{env['ACM_API_URL']}/environments")
    again = _dbcloud(environ, "emulator", "--stop")
    assert (again.returncode, again.stderr) == (0, "dbcloud: no detached emulator is running\n")


def test_the_one_line_shell_form_returns_and_sets_the_variables(tmp_path: Path) -> None:
    environ = _environ(tmp_path)
    command = f'eval "$({shlex.quote(sys.executable)} -m dbcloud emulator --detach --port 0)"; env'
    shell = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=environ, timeout=60)
    try:
        assert shell.returncode == 0, shell.stderr
        env = dict(line.split("=", 1) for line in shell.stdout.splitlines() if "=" in line)
        assert env["COCKROACH_SERVER"].startswith("http://127.0.0.1:")
    finally:
        assert _dbcloud(environ, "emulator", "--stop").returncode == 0
    assert _gone(int(env["DBCLOUD_EMULATOR_PID"]))


def test_a_detached_emulator_ended_with_kill_leaves_nothing_to_stop(tmp_path: Path) -> None:
    environ = _environ(tmp_path)
    started = _dbcloud(environ, "emulator", "--detach", "--port", "0")
    assert started.returncode == 0, started.stderr
    pid = int(_exports(started.stdout)["DBCLOUD_EMULATOR_PID"])
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while (
            list((tmp_path / "state" / "dbcloud" / "emulators").glob("*.json"))
            and time.monotonic() < deadline
        ):
            time.sleep(0.02)
    finally:
        stopped = _dbcloud(environ, "emulator", "--stop")
    assert stopped.stderr == "dbcloud: no detached emulator is running\n"


def test_a_detached_emulator_on_a_taken_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _dbcloud(_environ(tmp_path), "emulator", "--detach", "--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"dbcloud: error: the emulator did not start: cannot listen on 127.0.0.1:{port}"
    )


def test_env_file_is_written_private_once_serving_and_the_server_stays_in_the_foreground(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / "emulator.env"
    process = subprocess.Popen(
        [sys.executable, "-m", "dbcloud", "emulator", "--port", "0", "--env-file", str(env_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environ(tmp_path),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # printed after the file is written
        assert first.startswith("# dbcloud emulator at http://127.0.0.1:"), first
        assert f"its settings are in {env_file}" in first
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        env = _exports(env_file.read_text())
        assert "export " not in first + process.stdout.readline()  # the token is not printed as well
        answer = httpx.get(f"{env['ACM_API_URL']}/environments", headers={"X-Auth-Token": env["ACM_API_KEY"]})
        assert answer.status_code == 200
        assert process.poll() is None  # still serving
    finally:
        process.terminate()
        process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_detach_with_env_file_writes_it_before_returning(tmp_path: Path) -> None:
    environ = _environ(tmp_path)
    env_file = tmp_path / "emulator.env"
    started = _dbcloud(environ, "emulator", "--detach", "--port", "0", "--env-file", str(env_file))
    try:
        assert started.returncode == 0, started.stderr
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        assert (
            _exports(env_file.read_text())["DBCLOUD_EMULATOR_TOKEN"]
            == _exports(started.stdout)["DBCLOUD_EMULATOR_TOKEN"]
        )
    finally:
        assert _dbcloud(environ, "emulator", "--stop").returncode == 0


def test_an_env_file_that_cannot_be_written_stops_the_server_and_says_why(tmp_path: Path) -> None:
    taken = tmp_path / "emulator.env"
    taken.mkdir()  # a directory where the file should go
    result = _dbcloud(_environ(tmp_path), "emulator", "--port", "0", "--env-file", str(taken))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"dbcloud: error: cannot write {taken}: Is a directory\n"
    assert list(tmp_path.glob(".emulator.env.*")) == []  # no half-written file left behind
