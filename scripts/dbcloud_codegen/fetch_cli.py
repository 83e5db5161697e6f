"""The command line of scripts/fetch_specs.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import PipelineError
from .fetch import fetch
from .project import MIRROR_ENV, Project, mirror_from_env
from .sources import load_sources, select

__all__ = ["main"]


def main(argv: list[str] | None = None, project: Project | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fetch_specs.py",
        description="Fetch vendor specs into specs/.cache/raw/ and pin their sha256 in specs/lock.json.",
    )
    parser.add_argument("apis", nargs="*", metavar="API", help="APIs to fetch (default: all)")
    parser.add_argument(
        "--mirror", type=Path, help=f"copy specs from this directory (default: ${MIRROR_ENV})"
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="accept specs whose bytes differ from the lock; report the change",
    )
    args = parser.parse_args(argv)
    project = project or Project.default()
    mirror = args.mirror or mirror_from_env()
    failed = 0
    try:
        sources = select(load_sources(project.sources_file), args.apis)
    except PipelineError as exc:
        print(f"fetch_specs: {exc}", file=sys.stderr)
        return 2
    for source in sources:
        try:
            outcome = fetch(project, source, mirror=mirror, update=args.update)
        except PipelineError as exc:
            print(f"fetch_specs: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(outcome.line())
        if outcome.change_report:
            print(f"{source.api}: change report appended to specs/CHANGES.md")
    return 1 if failed else 0
