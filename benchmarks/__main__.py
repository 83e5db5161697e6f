"""Run every benchmark and print one table: `python -m benchmarks [--quick] [--only NAME ...]`.

Install the peers first (aws-cli and openai, from PyPI): `pip install -e '.[bench]'`. Without them
their rows say so and the rest still runs. Each figure is a median over repeated runs, and every
ratio compares two things measured in the same run, interleaved where they are processes.

    facade    import cost against httpx and openai, each vendor's first call, get and a 5,000-item
              list against raw httpx over loopback
    fleet     1,000 gets at 64 in flight through AsyncCockroachCloud against raw async httpx,
              and the same through the sync client one after another
    cli       `dbcloud --help` against `aws --version`, a list per API against the emulator
    pipeline  full regeneration and `regenerate --check` of all five APIs
    emulator  start-up, GET rate, 10,000 launches and the memory they take
    limits    peak memory while a 200 MB answer is refused at the size cap; a trickle at the deadline

Exits 1 when a goal is missed, so that a regression shows.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable

from benchmarks import cli, emulator, facade, fleet, limits, pipeline
from benchmarks._common import Row, print_table

SUITES: dict[str, Callable[[bool], list[Row]]] = {
    "facade": lambda quick: facade.measure(runs=3 if quick else 7, calls=300 if quick else 1000),
    "fleet": lambda quick: fleet.measure(runs=2 if quick else 5, calls=300 if quick else 1000),
    "cli": lambda quick: cli.measure(runs=5 if quick else 15, aws=cli.find_aws()),
    "pipeline": lambda quick: pipeline.measure(runs=1 if quick else 3),
    "emulator": lambda quick: emulator.measure(runs=1 if quick else 3, resources=2000 if quick else 10_000),
    "limits": lambda quick: limits.measure(megabytes=200),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller loads (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=sorted(SUITES), help="run these benchmarks only")
    args = parser.parse_args(argv)

    cores = os.cpu_count() or 0
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {cores} cores")
    rows: list[Row] = []
    for name in args.only or list(SUITES):
        began = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows += SUITES[name](args.quick)
        print(f"  {name}: {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    print()
    print_table(rows)
    missed = [row.name for row in rows if row.ok is False]
    if missed:
        print(f"\n{len(missed)} goal(s) missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
