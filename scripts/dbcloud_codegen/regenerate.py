"""Regenerate generated/ from the cached specs: the body of scripts/regenerate.py."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .assemble import build_area, compare_trees, finish_packages, swap_into, write_spec_module
from .documents import load_openapi, load_sdl
from .errors import PipelineError
from .fetch import fetch, read_cached, spec_version
from .lock import LockEntry, read_lock
from .project import Project, mirror_from_env
from .sources import Source, load_sources, select
from .stats import GenStats

__all__ = ["main", "regenerate"]


@dataclass(frozen=True)
class _Job:
    source: Source
    raw: bytes
    origin: str
    overlay: Path | None
    package_dir: Path


def regenerate(
    project: Project,
    apis: list[str],
    *,
    check: bool = False,
    mirror: Path | None = None,
    jobs: int | None = None,
    verbose: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    """Regenerate (or, with `check`, verify) the packages of `apis` (all when empty).

    Returns the exit status: 0 when done (or up to date), 1 when `check` finds a difference.

    Raises:
        PipelineError: a spec, overlay or generated package is unusable; generated/ is untouched.
    """
    started = time.perf_counter()
    sources = select(load_sources(project.sources_file), apis)
    lock = read_lock(project.lock_file)
    with build_area(project.generated) as area:
        work = [_job(project, source, lock, mirror, area) for source in sources]
        results = _run_jobs(work, jobs)
        for stats, notes in results:
            if verbose:
                for note in notes:
                    out(f"  {stats.api}: {note}")
        finish_packages(area, {job.source.package: job.source.title for job in work})
        for stats, _ in results:
            out(stats.line())
        if check:
            return _report_check(project, area, sources, all_apis=not apis, out=out, started=started)
        swap_into(project.generated, area, [job.source.package for job in work])
    out(f"regenerated {len(work)} API(s) into {project.generated} in {time.perf_counter() - started:.1f} s")
    return 0


def _job(
    project: Project, source: Source, lock: dict[str, LockEntry], mirror: Path | None, area: Path
) -> _Job:
    raw = read_cached(project, source)
    if raw is None:
        fetch(project, source, mirror=mirror or mirror_from_env())
        lock.update(read_lock(project.lock_file))
        raw = read_cached(project, source)
        if raw is None:
            raise PipelineError(f"{source.api}: fetched, but {source.cache_name} is not in the cache")
    entry = lock.get(source.api)
    if entry is None:
        raise PipelineError(
            f"{source.api}: not in specs/lock.json; run scripts/fetch_specs.py {source.api} first"
        )
    digest = hashlib.sha256(raw).hexdigest()
    if digest != entry.sha256:
        raise PipelineError(
            f"{source.api}: specs/.cache/raw/{source.cache_name} differs from specs/lock.json "
            f"({digest[:12]}… cached, {entry.sha256[:12]}… locked). Nothing was generated; "
            "run scripts/fetch_specs.py --update to accept the new spec"
        )
    overlay = project.overlays / source.overlay if source.overlay else None
    if overlay is not None and not overlay.is_file():
        raise PipelineError(f"{source.api}: overlay {overlay} named in sources.toml does not exist")
    origin = str(project.raw_cache / source.cache_name)
    return _Job(source, raw, origin, overlay, area / source.package)


def _run_jobs(work: list[_Job], jobs: int | None) -> list[tuple[GenStats, list[str]]]:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if workers == 1:
        return [_build(job) for job in work]
    # The largest specs first, so the longest job starts at once and the pool finishes together.
    order = sorted(range(len(work)), key=lambda i: -len(work[i].raw))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(_build, work[i]) for i in order}
        return [futures[i].result() for i in range(len(work))]


def _build(job: _Job) -> tuple[GenStats, list[str]]:
    """Repair, validate and generate one API's package (runs in a worker process)."""
    source = job.source
    started = time.perf_counter()
    if source.is_graphql:
        from .graphql_gen import build_schema_checked, generate_graphql, prepare_sdl

        sdl, notes = prepare_sdl(load_sdl(job.raw, job.origin))
        build_schema_checked(sdl, job.origin)
        stats = generate_graphql(sdl, job.package_dir, api=source.api, origin=job.origin)
        version = spec_version(sdl)
    else:
        from .openapi_gen import generate_openapi, prepare_openapi, validate_openapi

        doc = load_openapi(job.raw, job.origin, source.format)
        version = spec_version(doc)
        operations, notes = prepare_openapi(doc, job.overlay)
        validate_openapi(doc, job.origin)
        stats = generate_openapi(doc, job.package_dir, api=source.api, vendor_operations=operations)
    write_spec_module(
        job.package_dir,
        api=source.api,
        title=source.title,
        version=version,
        sha256=hashlib.sha256(job.raw).hexdigest(),
    )
    notes.append(f"{len(stats.secret_fields)} secret field(s) hidden from repr")
    notes += [f"hidden from repr (a secret): {name}" for name in stats.secret_fields]
    stats.seconds = time.perf_counter() - started
    return stats, notes


def _report_check(
    project: Project,
    area: Path,
    sources: list[Source],
    *,
    all_apis: bool,
    out: Callable[[str], None],
    started: float,
) -> int:
    differences: list[str] = []
    for source in sources:
        lines = compare_trees(area / source.package, project.generated / source.package)
        differences += [f"{source.package}: {line}" for line in lines]
    if all_apis and project.generated.is_dir():
        known = {source.package for source in sources}
        differences += [
            f"{path.name}: in generated/ but produced by no API in specs/sources.toml"
            for path in sorted(project.generated.iterdir())
            if path.is_dir() and not path.name.startswith(".") and path.name not in known
        ]
    elapsed = time.perf_counter() - started
    if differences:
        out(f"generated/ is out of date: {len(differences)} difference(s) ({elapsed:.1f} s)")
        for line in differences[:50]:
            out(f"  {line}")
        if len(differences) > 50:
            out(f"  … and {len(differences) - 50} more")
        out("run scripts/regenerate.py to bring it up to date")
        return 1
    out(f"generated/ is up to date ({len(sources)} API(s), {elapsed:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="regenerate.py",
        description="Repair, validate and generate the clients in generated/ from the cached specs.",
    )
    parser.add_argument("apis", nargs="*", metavar="API", help="APIs to regenerate (default: all)")
    parser.add_argument("--check", action="store_true", help="only verify that generated/ is up to date")
    parser.add_argument(
        "--mirror", type=Path, help="fetch missing specs from this directory (default: $DBCLOUD_SPEC_MIRROR)"
    )
    parser.add_argument("--jobs", type=int, help="worker processes (default: CPU count)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every repair made to the specs")
    args = parser.parse_args(argv)
    try:
        return regenerate(
            Project.default(),
            args.apis,
            check=args.check,
            mirror=args.mirror,
            jobs=args.jobs,
            verbose=args.verbose,
        )
    except PipelineError as exc:
        print(f"regenerate: {exc}", file=sys.stderr)
        print("regenerate: generated/ was left unchanged", file=sys.stderr)
        return 2
