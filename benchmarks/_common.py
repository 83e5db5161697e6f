"""What every benchmark shares: a result row, the table printer, medians, the emulator process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Row", "medians", "print_table", "start_emulator", "wall"]


@dataclass(frozen=True)
class Row:
    """One figure: what was measured, the value(s), the ratio where there is one, and the goal.

    `ok` is None when the figure is reported without a goal (the 5,000-item list ratio, say).
    """

    name: str
    measured: str
    goal: str = ""
    ok: bool | None = None
    ratio: str = ""

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("ok" if self.ok else "MISSED")


def print_table(rows: Iterable[Row], write: Callable[[str], None] = print) -> None:
    """An aligned plain-text table; the same layout for one benchmark or all of them."""
    table = [("benchmark", "measured", "ratio", "goal", "verdict")]
    table += [(r.name, r.measured, r.ratio, r.goal, r.verdict) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(5)]
    for number, line in enumerate(table):
        cells = [line[0].ljust(widths[0]), line[1].rjust(widths[1]), line[2].rjust(widths[2])]
        cells += [line[3].ljust(widths[3]), line[4]]
        write("  ".join(cells).rstrip())
        if number == 0:
            write("  ".join("-" * w for w in widths))


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


def start_emulator() -> tuple[subprocess.Popen[str], dict[str, str]]:
    """`python -m dbcloud.emulator` on a free port; returns the process and the variables it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "dbcloud.emulator", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    env: dict[str, str] = {}
    while True:
        line = process.stdout.readline().strip()
        if not line:
            process.kill()
            raise SystemExit("the emulator did not start")
        if line.startswith("export "):
            name, value = line.removeprefix("export ").split("=", 1)
            env[name] = value
        if line.startswith("# control:"):
            return process, env
