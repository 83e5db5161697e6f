"""CLI budgets: `dbcloud --help` cold start, and a `list` against the emulator, each a new process.

    python benchmarks/cli.py [--runs N] [--aws PATH | --install-aws]

Each figure is the median wall time of N fresh processes (after one warm-up run that writes the
bytecode caches), measured from process start to exit. `aws --version` (aws-cli) runs alternately
with `dbcloud --help`, so both see the same machine state; give its path with --aws, or let
--install-aws put awscli in a temporary virtual environment from PyPI.
Goals: `dbcloud --help` <= 0.3 s and faster than `aws --version`; a list <= 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

DBCLOUD = Path(sys.executable).with_name("dbcloud")


def wall(command: Sequence[str], env: Mapping[str, str] | None = None) -> float:
    """Seconds from start to exit of one process; its output is thrown away, its failure raised."""
    began = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def medians(
    commands: Mapping[str, Sequence[str]], runs: int, env: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Median wall time of each command, the commands run in turn so that they share conditions."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        wall(command, env)  # warm-up: bytecode caches, page cache
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(wall(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def install_aws(directory: Path) -> Path:
    """aws-cli (v1, from PyPI) in a new virtual environment under `directory`."""
    subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    pip = directory / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "awscli"], check=True)
    return directory / "bin" / "aws"


def start_emulator() -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "dbcloud.emulator", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    env: dict[str, str] = {}
    while True:
        line = process.stdout.readline().strip()
        if not line:
            raise SystemExit("the emulator did not start")
        if line.startswith("export "):
            name, value = line.removeprefix("export ").split("=", 1)
            env[name] = value
        if line.startswith("# control:"):
            return process, env


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--aws", type=Path, default=None, help="aws-cli to compare with (default: on PATH)")
    parser.add_argument("--install-aws", action="store_true", help="install awscli in a temporary venv")
    args = parser.parse_args()

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        aws = args.aws or (install_aws(Path(scratch) / "aws") if args.install_aws else None)
        found = shutil.which("aws")
        aws = aws or (Path(found) if found else None)
        commands = {"help": [str(DBCLOUD), "--help"]}
        if aws is not None:
            commands["aws"] = [str(aws), "--version"]
        startup = medians(commands, args.runs)
    help_s = startup["help"]
    rows.append(("`dbcloud --help` (cold start)", f"{help_s * 1000:.0f} ms", "<= 300 ms", ok(help_s <= 0.3)))
    if "aws" in startup:
        aws_s = startup["aws"]
        rows.append(
            (
                "`aws --version` (aws-cli), same runs",
                f"{aws_s * 1000:.0f} ms",
                "slower than dbcloud",
                ok(help_s < aws_s),
            )
        )

    process, emulator_env = start_emulator()
    try:
        env = {**os.environ, **emulator_env, "DBCLOUD_CONFIG": os.devnull}
        lists = {
            "acm": [str(DBCLOUD), "acm", "environments", "list"],
            "clickhouse": [str(DBCLOUD), "clickhouse", "services", "list"],
            "cockroach": [str(DBCLOUD), "cockroach", "clusters", "list"],
        }
        listed = medians(lists, args.runs, env)
    finally:
        process.terminate()
        process.wait()
    labels = {
        "acm": "`dbcloud acm environments list`",
        "clickhouse": "`dbcloud clickhouse services list`",
        "cockroach": "`dbcloud cockroach clusters list`",
    }
    for name, seconds in listed.items():
        rows.append(
            (f"{labels[name]} (emulator)", f"{seconds * 1000:.0f} ms", "<= 500 ms", ok(seconds <= 0.5))
        )

    print(f"median of {args.runs} runs, each a new process\n")
    print(f"{'benchmark':<50}{'measured':>10}  {'goal':<20}verdict")
    for name, measured, goal, verdict in rows:
        print(f"{name:<50}{measured:>10}  {goal:<20}{verdict}")
    return 0


def ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
