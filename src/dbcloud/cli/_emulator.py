"""`dbcloud emulator`: serve in the foreground, write the settings to a file, detach, or stop."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from ._console import Console

__all__ = ["emulator_command", "extra_missing"]

_EXTRA = "pip install 'dbcloud[emulator]'"


def extra_missing(command: str) -> str | None:
    """The one-line message for `command` ("dbcloud demo") when the emulator extra is not installed."""
    try:
        import uvicorn  # noqa: F401 - only whether it is there
    except ImportError:
        return f"`{command}` needs the 'emulator' extra, which is not installed: {_EXTRA}"
    return None


def emulator_command(args: argparse.Namespace, console: Console) -> int:
    from ._app import API_ERROR, OK, USAGE

    if args.stop:
        return _stop(console)
    if missing := extra_missing("dbcloud emulator"):
        console.err(f"dbcloud: error: {missing}\n")
        return USAGE
    if not 0 <= args.port <= 65535:
        console.err(f"dbcloud: --port must be between 0 and 65535, got {args.port}\n")
        return USAGE
    for option, value in (("--speed", args.speed), ("--body-timeout", args.body_timeout)):
        if not (math.isfinite(value) and value > 0):
            console.err(f"dbcloud: {option} must be a positive number, got {value:g}\n")
            return USAGE
    env_file = Path(args.env_file) if args.env_file else None
    if env_file is not None and not env_file.parent.is_dir():
        console.err(f"dbcloud: --env-file: {env_file.parent} is not a directory\n")
        return USAGE
    if args.detach:
        return _detach(args, console, env_file)
    try:
        return _foreground(args, console, env_file)
    except OSError as exc:
        console.err(f"dbcloud: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}\n")
        return API_ERROR
    except KeyboardInterrupt:
        return OK


def _write(console: Console, text: str) -> None:
    # The settings are this command's output: written as they are, not masked like the rest
    # (a user whose shell already holds the emulator's credentials would get "****" to eval).
    console.stdout.write(text)
    console.stdout.flush()


def _foreground(args: argparse.Namespace, console: Console, env_file: Path | None) -> int:
    from ..emulator._daemon import write_private
    from ..emulator._server import Emulator, exports, serve

    failed: list[str] = []

    def on_serving(emulator: Emulator) -> None:
        # A failure here is not the server's: it stops, and the command says what went wrong.
        try:
            if env_file is None:
                _write(console, "# dbcloud emulator: point the facades here with\n" + exports(emulator))
            else:
                try:
                    write_private(env_file, exports(emulator))
                except OSError as exc:
                    failed.append(f"cannot write {env_file}: {exc.strerror or exc}")
                    emulator.app.stop()
                    return
                _write(console, f"# dbcloud emulator at {emulator.url}: its settings are in {env_file}\n")
            _write(console, f"# control: {emulator.url}/_emulator/stats (with $DBCLOUD_EMULATOR_TOKEN)\n")
        except OSError as exc:  # stdout is closed (a pipe whose reader has gone)
            failed.append(f"cannot print the settings: {exc.strerror or exc}")
            emulator.app.stop()
            return
        if not console.out_tty and env_file is None:
            console.err(
                "dbcloud: the emulator serves in the foreground until stopped; to set these in the "
                'current shell and go on, run: eval "$(dbcloud emulator --detach)"\n'
            )

    serve(
        port=args.port,
        speed=args.speed,
        seed_data=args.seed_data,
        body_timeout=args.body_timeout,
        on_serving=on_serving,
    )
    if failed:
        console.err(f"dbcloud: error: {failed[0]}\n")
        return 1
    return 0


def _detach(args: argparse.Namespace, console: Console, env_file: Path | None) -> int:
    from ..emulator._daemon import start_detached

    try:
        started = start_detached(
            port=args.port,
            speed=args.speed,
            seed_data=args.seed_data,
            body_timeout=args.body_timeout,
            env_file=env_file,
            environ=console.environ,
        )
    except RuntimeError as exc:
        console.err(f"dbcloud: error: the emulator did not start: {exc}\n")
        return 1
    import shlex

    lines = [f"export {name}={shlex.quote(value)}\n" for name, value in started.env.items()]
    lines.append(f"export DBCLOUD_EMULATOR_PID={started.pid}\n")
    lines.append(
        f"# dbcloud emulator at {started.url}, in the background (pid {started.pid}); "
        f"stop it with: dbcloud emulator --stop (or: kill {started.pid})\n"
    )
    _write(console, "".join(lines))
    return 0


def _stop(console: Console) -> int:
    from ..emulator._daemon import stop_detached

    stopped = stop_detached(console.environ)
    if not stopped:
        console.err("dbcloud: no detached emulator is running\n")
        return 0
    still = 0
    for entry in stopped:
        if entry.outcome == "still running":
            still += 1
            console.err(
                f"dbcloud: error: the emulator at {entry.url} (pid {entry.pid}) was asked to stop and "
                f"has not yet; end it with: kill {entry.pid}\n"
            )
        elif entry.outcome == "stopped":
            console.err(f"dbcloud: stopped the emulator at {entry.url} (pid {entry.pid})\n")
        else:
            console.err(f"dbcloud: the emulator at {entry.url} (pid {entry.pid}) had already ended\n")
    return 1 if still else 0
