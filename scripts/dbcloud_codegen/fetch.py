"""Bring a vendor's spec into specs/.cache/raw/, from its live URL or a mirror directory.

The raw bytes are kept exactly as served; specs/lock.json pins their sha256. Bytes that differ
from the lock are refused unless the caller accepts the change (`--update`), which also appends a
change report to specs/CHANGES.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from .documents import Document, load_openapi, load_sdl
from .errors import PipelineError
from .lock import LockEntry, read_lock, write_lock
from .normalize import repair_info
from .project import Project
from .sources import Source

__all__ = ["FetchOutcome", "fetch", "read_cached", "spec_version"]

_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass(frozen=True)
class FetchOutcome:
    api: str
    status: str  # "new" | "unchanged" | "updated"
    entry: LockEntry
    change_report: str | None = None

    def line(self) -> str:
        entry = self.entry
        return (
            f"{self.api}: {self.status} sha256={entry.sha256[:12]} version={entry.spec_version} "
            f"bytes={entry.bytes} from {entry.source}"
        )


def fetch(
    project: Project,
    source: Source,
    *,
    mirror: Path | None = None,
    update: bool = False,
    http: httpx.Client | None = None,
) -> FetchOutcome:
    """Fetch one API's spec into the cache and the lock.

    Raises:
        PipelineError: the spec cannot be had, does not parse, or differs from the lock without
            `update`. The cache and the lock are then left as they were.
    """
    data, origin = _read_mirror(source, mirror) if mirror else _download(source, http)
    parsed = _parse(source, data, origin)
    digest = hashlib.sha256(data).hexdigest()
    lock = read_lock(project.lock_file)
    cached = project.raw_cache / source.cache_name
    previous = lock.get(source.api)
    if previous and previous.sha256 == digest:
        if not cached.exists() or _sha256(cached) != digest:
            _write_atomic(cached, data)
        return FetchOutcome(source.api, "unchanged", previous)
    if previous and not update:
        raise PipelineError(
            f"{source.api}: the spec from {origin} differs from specs/lock.json "
            f"(sha256 {previous.sha256[:12]}… locked, {digest[:12]}… fetched). Nothing was changed; "
            "rerun with --update to accept the new spec and record the change in specs/CHANGES.md"
        )
    entry = LockEntry(
        sha256=digest,
        bytes=len(data),
        spec_version=spec_version(parsed),
        fetched=dt.datetime.now(dt.UTC).date().isoformat(),
        source=origin if mirror is None else f"mirror:{source.mirror}",
    )
    if previous:
        report = _change_report(project, source, previous, entry, cached, parsed)
    else:
        report = (
            f"## {source.api}: first pinned at {entry.spec_version} "
            f"({entry.fetched}, sha256 {digest[:12]}…, {entry.bytes} bytes, from {entry.source})\n"
        )
    _write_atomic(cached, data)
    lock[source.api] = entry
    write_lock(project.lock_file, lock)
    if report:
        _append_changes(project.changes_file, report)
    return FetchOutcome(source.api, "updated" if previous else "new", entry, report if previous else None)


def read_cached(project: Project, source: Source) -> bytes | None:
    """The cached raw spec, or None when it is not in the cache."""
    path = project.raw_cache / source.cache_name
    return path.read_bytes() if path.exists() else None


def spec_version(parsed: Document | str) -> str:
    """The version a spec gives itself (info.version); GraphQL SDL carries none."""
    if isinstance(parsed, str):
        return "unversioned"
    doc = copy.copy(parsed)
    doc["info"] = copy.copy(doc.get("info"))
    repair_info(doc)  # ACM keeps its version at the top level, not in info
    return str(doc["info"]["version"])


def _read_mirror(source: Source, mirror: Path) -> tuple[bytes, str]:
    path = mirror / source.mirror
    if not path.is_file():
        where = f"in {mirror.resolve()}" if mirror.is_dir() else f"{mirror} is not a directory"
        raise PipelineError(f"{source.api}: mirror file {source.mirror} not found ({where})")
    return path.read_bytes(), str(path)


def _download(source: Source, http: httpx.Client | None) -> tuple[bytes, str]:
    headers = {"Accept": source.accept, "User-Agent": "dbcloud-spec-pipeline"}
    if source.auth_header:
        header, env = source.auth_header
        token = os.environ.get(env, "").strip()
        if not token:
            raise PipelineError(
                f"{source.api}: {env} is not set. Without an API token {source.url} serves only the "
                f"public part of the {source.title} spec (its sign-in operations), not the full API that "
                f"dbcloud generates. Set {env} to an API key, or fetch from a mirror with --mirror DIR."
            )
        headers[header] = token
    client = http or httpx.Client(timeout=_TIMEOUT, follow_redirects=True)
    try:
        response = client.get(source.url, headers=headers)
    except httpx.HTTPError as exc:
        raise PipelineError(f"{source.api}: cannot fetch {source.url}: {exc}") from exc
    finally:
        if http is None:
            client.close()
    if response.status_code != 200:
        raise PipelineError(f"{source.api}: {source.url} answered HTTP {response.status_code}")
    return response.content, source.url


def _parse(source: Source, data: bytes, origin: str) -> Document | str:
    if source.is_graphql:
        return load_sdl(data, origin)
    return load_openapi(data, origin, source.format)


def _change_report(
    project: Project, source: Source, old: LockEntry, new: LockEntry, cached: Path, parsed: Document | str
) -> str:
    from .diff import diff_specs

    heading = (
        f"{source.api}: {old.spec_version} → {new.spec_version} ({new.fetched}, sha256 {new.sha256[:12]}…)"
    )
    if not cached.exists() or _sha256(cached) != old.sha256:
        return f"## {heading}\n\nThe previous spec was not in the cache, so no comparison was made.\n"
    before = _parse(source, cached.read_bytes(), str(cached))
    if isinstance(before, str) != isinstance(parsed, str):
        return f"## {heading}\n\nThe spec changed format; no comparison was made.\n"
    return diff_specs(before, parsed).format_markdown(heading)


def _append_changes(path: Path, report: str) -> None:
    existing = path.read_text(encoding="utf-8") if path.exists() else _CHANGES_HEADER
    path.write_text(existing.rstrip("\n") + "\n\n" + report.rstrip("\n") + "\n", encoding="utf-8")


_CHANGES_HEADER = (
    "# Spec changes\n\n"
    "Written by scripts/fetch_specs.py: the first pin of each spec, then, each time a vendor's spec\n"
    "changes and the change is accepted with --update, what the new spec adds, removes and changes,\n"
    "and which of those changes break callers.\n"
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
