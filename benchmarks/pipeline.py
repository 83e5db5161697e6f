"""Time a full regeneration and `regenerate --check` of all five APIs (budgets: 45 s and 60 s).

    python benchmarks/pipeline.py [--runs N] [--mirror DIR]

Works on a scratch copy of specs/ and generated/, so the checkout is never written. Prints the
median and the range of N runs of each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))  # `benchmarks`, when run as a script

from dbcloud_codegen.project import Project  # noqa: E402
from dbcloud_codegen.regenerate import regenerate  # noqa: E402

from benchmarks._common import Row, print_table  # noqa: E402

DEFAULT_MIRROR = ROOT.parent / "shared" / "specs"
BUDGETS = {"regenerate": 45.0, "regenerate --check": 60.0}


def timed(project: Project, *, check: bool, mirror: Path | None) -> float:
    started = time.perf_counter()
    status = regenerate(project, [], check=check, mirror=mirror, out=lambda line: None)
    if status != 0:
        raise SystemExit(f"regenerate{' --check' if check else ''} exited {status}")
    return time.perf_counter() - started


def measure(runs: int = 3, mirror: Path | None = DEFAULT_MIRROR) -> list[Row]:
    """Medians of `runs` full regenerations and `--check` runs, on a scratch copy of the project."""
    with tempfile.TemporaryDirectory() as scratch:
        project = Project(Path(scratch))
        shutil.copytree(ROOT / "specs", project.specs, ignore=shutil.ignore_patterns(".cache"))
        shutil.copytree(ROOT / "generated", project.generated)
        timed(project, check=False, mirror=mirror)  # warm-up; also fills the scratch cache
        results = {
            "regenerate": [timed(project, check=False, mirror=mirror) for _ in range(runs)],
            "regenerate --check": [timed(project, check=True, mirror=mirror) for _ in range(runs)],
        }
    rows = []
    for name, times in results.items():
        median = statistics.median(times)
        spread = f"{median:.1f} s ({min(times):.1f}-{max(times):.1f})"
        rows.append(
            Row(
                f"pipeline: {name}, all five APIs",
                spread,
                f"<= {BUDGETS[name]:.0f} s",
                median <= BUDGETS[name],
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    args = parser.parse_args()
    print_table(measure(args.runs, args.mirror))
    return 0


if __name__ == "__main__":
    sys.exit(main())
