"""specs/lock.json: the sha256, version and date of every spec the generated code came from."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .documents import dump_json
from .errors import PipelineError

__all__ = ["LockEntry", "read_lock", "write_lock"]


@dataclass(frozen=True)
class LockEntry:
    sha256: str
    bytes: int
    spec_version: str
    fetched: str
    source: str


def read_lock(path: Path) -> dict[str, LockEntry]:
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {api: LockEntry(**entry) for api, entry in raw.items()}
    except (ValueError, TypeError) as exc:
        raise PipelineError(f"{path}: unreadable lock file: {exc}") from exc


def write_lock(path: Path, entries: dict[str, LockEntry]) -> None:
    path.write_text(dump_json({api: asdict(entry) for api, entry in sorted(entries.items())}), "utf-8")
