"""`dbcloud emulator`: starts, prints where it listens and how to point the facades there."""

from __future__ import annotations

import subprocess
import sys

import httpx


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
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_bad_arguments_exit_2() -> None:
    for args in (["--port", "70000"], ["--speed", "0"], ["--port", "x"]):
        result = subprocess.run(
            [sys.executable, "-m", "dbcloud.emulator", *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2, args
        assert result.stderr
