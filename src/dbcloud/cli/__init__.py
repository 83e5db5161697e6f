"""The `dbcloud` command line. For now it has one command: `dbcloud emulator`."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dbcloud", description="Automate managed-database clouds.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    emulator = commands.add_parser(
        "emulator",
        help="run a local emulator of every API on 127.0.0.1",
        description="Run a local, stateful emulator of ACM, Anywhere, ClickHouse Cloud (with ClickStack), "
        "ClickStack OSS and CockroachDB Cloud on 127.0.0.1, and print the environment variables that "
        "point the facades at it.",
    )
    emulator.add_argument(
        "--port", type=int, default=8765, help="port to listen on (default 8765; 0: any free one)"
    )
    emulator.add_argument(
        "--speed", type=float, default=60.0, help="emulated seconds per real second (default 60)"
    )
    emulator.add_argument(
        "--seed-data",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="start with demo environments, organizations and regions (default: yes)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "emulator":
        try:
            from ..emulator import serve
        except ImportError:  # pragma: no cover - depends on the installed extras
            print(
                "dbcloud: the emulator needs the 'emulator' extra: pip install 'dbcloud[emulator]'",
                file=sys.stderr,
            )
            return 2
        if not 0 <= args.port <= 65535:
            print(f"dbcloud: --port must be between 0 and 65535, got {args.port}", file=sys.stderr)
            return 2
        if args.speed <= 0:
            print(f"dbcloud: --speed must be positive, got {args.speed}", file=sys.stderr)
            return 2
        try:
            serve(port=args.port, speed=args.speed, seed_data=args.seed_data)
        except OSError as exc:
            print(f"dbcloud: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
    return 0
