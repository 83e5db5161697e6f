"""A detached emulator: started in a child process that outlives the command, found again to stop it.

`start_detached` runs `python -m dbcloud.emulator._daemon CONFIG` in a new session and returns once
that child serves (it says so on a pipe, then lets go of it, so `eval "$(dbcloud emulator --detach)"`
is not left waiting for the pipe to close). The child records itself in the state directory
(`$XDG_STATE_HOME/dbcloud/emulators`, else `~/.local/state/dbcloud/emulators`): one private file per
process with its URL, pid and control token, which `stop_detached` uses to ask it to shut down
through the control endpoint, and which the child removes when it ends (signal or shutdown).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Detached", "Stopped", "start_detached", "state_dir", "stop_detached", "write_private"]

_STOP_WAIT = 10.0  # seconds `stop_detached` waits for a child that was asked to stop


@dataclass(frozen=True)
class Detached:
    """A detached emulator that serves: its pid, URL and settings (`env`)."""

    pid: int
    url: str
    env: dict[str, str]


@dataclass(frozen=True)
class Stopped:
    """What `stop_detached` did with one recorded emulator."""

    pid: int
    url: str
    outcome: str  # "stopped", "not running" (a stale record, removed), or "still running"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where detached emulators record themselves."""
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_STATE_HOME", "")
    # As for XDG_CONFIG_HOME: a relative XDG_STATE_HOME is invalid and ignored.
    home = Path(env.get("HOME") or Path.home())
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "state"
    return base / "dbcloud" / "emulators"


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable by its owner only (0600), in one step: a reader sees the
    old file or the whole new one, never a part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            if hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), 0o600)  # whatever the umask left
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def start_detached(
    *,
    port: int,
    speed: float,
    seed_data: bool,
    body_timeout: float,
    env_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Detached:
    """Start an emulator in a child process and return once it serves.

    Raises:
        RuntimeError: the child could not start (its reason, e.g. the port is taken, as the message).
    """
    directory = state_dir(environ)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    config = {
        "port": port,
        "speed": speed,
        "seed_data": seed_data,
        "body_timeout": body_timeout,
        "env_file": str(env_file.resolve()) if env_file is not None else None,
        "state_dir": str(directory),
    }
    detach: dict[str, Any] = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS}  # type: ignore[attr-defined]
        if sys.platform == "win32"
        else {"start_new_session": True}  # a Ctrl-C or a closed terminal does not reach it
    )
    # Its stderr goes to a file until it serves (then to its own log), so a failed start can be told.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as early:
        process = subprocess.Popen(
            [sys.executable, "-m", "dbcloud.emulator._daemon", json.dumps(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=early,
            text=True,
            env=None if environ is None else dict(environ),
            **detach,
        )
        assert process.stdout is not None
        with process.stdout:
            line = process.stdout.readline()  # the child's one line: it serves, or why it cannot
        answer = _parse(line)
        if answer is None or "error" in answer:
            process.wait()
            early.seek(0)
            reason = answer["error"] if answer else (early.read().strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(str(reason))
    detached = Detached(pid=int(answer["pid"]), url=str(answer["url"]), env=dict(answer["env"]))
    # The child is meant to outlive this process, so nobody waits for it here: quiet the
    # ResourceWarning that Popen gives when it is dropped while its child runs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del process
    return detached


def stop_detached(environ: Mapping[str, str] | None = None) -> list[Stopped]:
    """Ask every detached emulator recorded in the state directory to stop, and wait until it has."""
    from ._server import control

    done: list[Stopped] = []
    for record_path in sorted(state_dir(environ).glob("emulator-*.json")):
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            pid, url, token = int(record["pid"]), str(record["url"]), str(record["token"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # being written or removed right now, or not ours
        try:
            control(url, "POST", "/shutdown", token=token)
        except (urllib.error.URLError, OSError, ValueError):
            # Nothing answers there with this token: the process is gone (killed without the
            # chance to clean up); whatever listens on that port now is not it.
            record_path.unlink(missing_ok=True)
            done.append(Stopped(pid, url, "not running"))
            continue
        # The child removes its record when it has stopped serving; then it only has to exit.
        deadline = time.monotonic() + _STOP_WAIT
        while (record_path.exists() or _alive(pid)) and time.monotonic() < deadline:
            time.sleep(0.02)
        done.append(Stopped(pid, url, "still running" if record_path.exists() else "stopped"))
    return done


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (one that has exited and waits to be reaped does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        # No /proc: on Linux it has gone; on Windows os.kill would end it, so the record alone tells.
        if sys.platform.startswith("linux") or sys.platform == "win32":
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _parse(line: str) -> dict[str, Any] | None:
    try:
        answer = json.loads(line)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


# --- the child --------------------------------------------------------------------------------------


def _child(config: dict[str, Any]) -> int:
    from ._server import Emulator, exports, serve

    directory = Path(config["state_dir"])
    record = directory / f"emulator-{os.getpid()}.json"
    log = directory / f"emulator-{os.getpid()}.log"

    def on_serving(emulator: Emulator) -> None:
        if config["env_file"]:
            try:
                write_private(Path(config["env_file"]), exports(emulator))
            except OSError as exc:
                failed.append(f"cannot write {config['env_file']}: {exc.strerror or exc}")
                emulator.app.stop()
                return
        entry = {"pid": os.getpid(), "url": emulator.url, "token": emulator.token, "log": str(log)}
        write_private(record, json.dumps(entry))
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log_fd, 2)
        os.close(log_fd)
        sys.stdout.write(json.dumps({"pid": os.getpid(), "url": emulator.url, "env": emulator.env}) + "\n")
        sys.stdout.flush()
        # Let go of the pipe: the command that started us (and a `$(...)` around it) ends now.
        null_fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null_fd, 1)
        os.close(null_fd)

    failed: list[str] = []
    # uvicorn stops on SIGTERM, then sends it again to the handler it found: this one, so that
    # the record is removed below instead of the process ending at once.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        serve(
            port=config["port"],
            speed=config["speed"],
            seed_data=config["seed_data"],
            body_timeout=config["body_timeout"],
            on_serving=on_serving,
        )
    except OSError as exc:
        if record.exists():
            raise  # it served, and then failed: the log has it
        message = f"cannot listen on 127.0.0.1:{config['port']}: {exc.strerror or exc}"
        failed.append(message)
    finally:
        record.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if log.stat().st_size == 0:
                log.unlink()
    if failed:
        sys.stdout.write(json.dumps({"error": failed[0]}) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_child(json.loads(sys.argv[1])))
