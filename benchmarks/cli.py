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
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, medians, print_table, start_emulator

DBCLOUD = Path(sys.executable).with_name("dbcloud")


def install_aws(directory: Path) -> Path:
    """aws-cli (v1, from PyPI) in a new virtual environment under `directory`."""
    subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    pip = directory / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "awscli"], check=True)
    return directory / "bin" / "aws"


def find_aws() -> Path | None:
    """aws-cli beside this interpreter (the `bench` extra installs it), else on PATH."""
    beside = Path(sys.executable).with_name("aws")
    if beside.exists():
        return beside
    found = shutil.which("aws")
    return Path(found) if found else None


LISTS = {
    "`dbcloud acm environments list`": ["acm", "environments", "list"],
    "`dbcloud clickhouse services list`": ["clickhouse", "services", "list"],
    "`dbcloud cockroach clusters list`": ["cockroach", "clusters", "list"],
}


def measure(runs: int = 15, aws: Path | None = None) -> list[Row]:
    """`dbcloud --help` beside `aws --version` (when aws-cli is found), then a list per API."""
    commands = {"help": [str(DBCLOUD), "--help"]}
    if aws is not None:
        commands["aws"] = [str(aws), "--version"]
    startup = medians(commands, runs)
    help_s = startup["help"]
    rows = [Row("`dbcloud --help` (cold start)", f"{help_s * 1000:.0f} ms", "<= 300 ms", help_s <= 0.3)]
    if "aws" in startup:
        aws_s = startup["aws"]
        rows.append(
            Row(
                "`aws --version` (aws-cli, same runs) / `dbcloud --help`",
                f"{aws_s * 1000:.0f} ms",
                "dbcloud faster",
                help_s < aws_s,
                f"{aws_s / help_s:.1f}x",
            )
        )
    else:
        rows.append(Row("`aws --version`", "aws-cli not installed", "dbcloud faster"))

    process, emulator_env = start_emulator()
    try:
        env = {**os.environ, **emulator_env, "DBCLOUD_CONFIG": os.devnull}
        listed = medians({label: [str(DBCLOUD), *argv] for label, argv in LISTS.items()}, runs, env)
    finally:
        process.terminate()
        process.wait()
    for label, seconds in listed.items():
        rows.append(Row(f"{label} (emulator)", f"{seconds * 1000:.0f} ms", "<= 500 ms", seconds <= 0.5))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--aws", type=Path, default=None, help="aws-cli to compare with (default: found)")
    parser.add_argument("--install-aws", action="store_true", help="install awscli in a temporary venv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        aws = args.aws or (install_aws(Path(scratch) / "aws") if args.install_aws else find_aws())
        rows = measure(args.runs, aws)
    print(f"median of {args.runs} runs, each a new process\n")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
