"""Time a full regeneration and `regenerate --check` of all five APIs (budgets: 45 s and 60 s).

    python benchmarks/pipeline.py [--runs N] [--mirror DIR]

Works on a scratch copy of specs/ and generated/, so the checkout is never written. Prints the
median and the spread of N runs of each.
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

from dbcloud_codegen.project import Project  # noqa: E402
from dbcloud_codegen.regenerate import regenerate  # noqa: E402

BUDGETS = {"regenerate": 45.0, "regenerate --check": 60.0}


def timed(project: Project, *, check: bool, mirror: Path | None) -> float:
    started = time.perf_counter()
    status = regenerate(project, [], check=check, mirror=mirror, out=lambda line: None)
    if status != 0:
        raise SystemExit(f"regenerate{' --check' if check else ''} exited {status}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mirror", type=Path, default=ROOT.parent / "shared" / "specs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Project(Path(scratch))
        shutil.copytree(ROOT / "specs", project.specs, ignore=shutil.ignore_patterns(".cache"))
        shutil.copytree(ROOT / "generated", project.generated)
        timed(project, check=False, mirror=args.mirror)  # warm-up; also fills the scratch cache
        results = {
            "regenerate": [timed(project, check=False, mirror=args.mirror) for _ in range(args.runs)],
            "regenerate --check": [timed(project, check=True, mirror=args.mirror) for _ in range(args.runs)],
        }
    print(f"{'benchmark':<22}{'median s':>10}{'min s':>8}{'max s':>8}{'budget s':>10}  verdict")
    for name, times in results.items():
        median = statistics.median(times)
        verdict = "ok" if median <= BUDGETS[name] else "OVER BUDGET"
        print(
            f"{name:<22}{median:>10.1f}{min(times):>8.1f}{max(times):>8.1f}{BUDGETS[name]:>10.0f}  {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
