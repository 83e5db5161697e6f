"""Every file the CLI reads (--file, a secret's *-file, --data @FILE, a JSON option's @FILE,
--value-file) must be a regular file or - for stdin, and is size-capped: 10 MiB for bodies, 64 KiB
for secrets. Anything else is a usage error naming the option and the path, and nothing is sent."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from dbcloud.cli._invoke import BODY_LIMIT, SECRET_LIMIT
from dbcloud.emulator import Emulator

from .conftest import Result, Runner, requests

LAUNCH = (
    "acm", "clusters", "launch", "--environment", "176", "--node-type", "n2d-standard-2",
    "--nodes", "2", "--replicas", "2", "--size", "100", "--name", "from-a-file",
)  # fmt: skip


def refused(cli: Runner, emu: Emulator, *argv: str) -> Result:
    before = requests(emu)
    result = cli(*argv)
    assert (result.code, result.out) == (2, ""), result.err
    assert "Traceback" not in result.err
    assert requests(emu) == before
    return result


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("option", ["--file", "--admin-pass-file"])
def test_a_device_is_refused_unread(cli: Runner, emu: Emulator, device: str, option: str) -> None:
    result = refused(cli, emu, *LAUNCH, option, device)
    assert (
        f"dbcloud: error: {option}: {device} is a character device, not a regular file: "
        "give a file, or - to read stdin\n"
    ) in result.err


def test_json_options_and_raw_data_from_a_device(cli: Runner, emu: Emulator) -> None:
    options = refused(cli, emu, *LAUNCH, "--zookeeper-options", "@/dev/urandom")
    assert "error: argument --zookeeper-options: /dev/urandom is a character device" in options.err
    data = refused(cli, emu, "raw", "acm", "POST", "/environments", "--data", "@/dev/zero")
    assert "error: argument --data: /dev/zero is a character device" in data.err


def test_a_directory_and_a_fifo_are_refused(cli: Runner, emu: Emulator, tmp_path: Path) -> None:
    folder = refused(cli, emu, *LAUNCH, "--file", str(tmp_path))
    assert f"--file: {tmp_path} is a directory, not a regular file" in folder.err
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no writer: opening it to read would wait for ever
    piped = refused(cli, emu, *LAUNCH, "--admin-pass-file", str(fifo))
    assert f"--admin-pass-file: {fifo} is a FIFO (named pipe), not a regular file" in piped.err
    value = refused(cli, emu, "acm", "settings", "set", "1001", "x.xml", "--value-file", str(fifo))
    assert f"--value-file: {fifo} is a FIFO (named pipe)" in value.err


def test_oversized_files_are_refused(cli: Runner, emu: Emulator, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(BODY_LIMIT + 1)  # sparse: nothing is written, the size is all that counts
    body = refused(cli, emu, *LAUNCH, "--file", str(big))
    assert f"dbcloud: error: --file: {big} is over the 10 MiB limit\n" in body.err
    secret = tmp_path / "password.txt"
    secret.write_text("p" * (SECRET_LIMIT + 1))
    password = refused(cli, emu, *LAUNCH, "--admin-pass-file", str(secret))
    assert f"dbcloud: error: --admin-pass-file: {secret} is over the 64 KiB limit\n" in password.err
    assert "ppp" not in password.err


def test_a_body_of_exactly_the_limit_is_read(cli: Runner, emu: Emulator, tmp_path: Path) -> None:
    text = json.dumps({"adminUser": "filed-admin"})
    path = tmp_path / "full.json"
    path.write_text(text + " " * (BODY_LIMIT - len(text)))
    before = requests(emu)
    result = cli(*LAUNCH, "--file", str(path), "--dry-run")
    assert result.code == 0, result.err
    assert result.json()["body"]["adminUser"] == "filed-admin"
    assert requests(emu) == before


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_over_the_limit_is_refused(cli: Runner, emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b" " * (BODY_LIMIT + 1))
    body = refused(cli, emu, *LAUNCH, "--file", "-")
    assert "dbcloud: error: --file: stdin is over the 10 MiB limit\n" in body.err
    _stdin(monkeypatch, b"p" * (SECRET_LIMIT + 1))  # one line, never ending
    password = refused(cli, emu, *LAUNCH, "--admin-pass-file", "-")
    assert "dbcloud: error: --admin-pass-file: stdin is over the 64 KiB limit\n" in password.err


def test_stdin_that_is_not_utf8_is_refused(
    cli: Runner, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, b'{"name": "\xff"}')
    result = refused(cli, emu, *LAUNCH, "--file", "-")
    assert "dbcloud: error: --file: stdin is not UTF-8 text (byte 10: invalid start byte)\n" in result.err


def test_stdin_within_the_limit_is_read(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b'{"adminUser": "stdin-admin"}')
    result = cli(*LAUNCH, "--file", "-", "--dry-run")
    assert result.code == 0, result.err
    assert result.json()["body"]["adminUser"] == "stdin-admin"
