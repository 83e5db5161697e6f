"""Where the pipeline reads and writes, relative to one project root (tests use a scratch root)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MIRROR_ENV", "Project"]

MIRROR_ENV = "DBCLOUD_SPEC_MIRROR"


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def default(cls) -> Project:
        return cls(Path(__file__).resolve().parents[2])

    @property
    def specs(self) -> Path:
        return self.root / "specs"

    @property
    def sources_file(self) -> Path:
        return self.specs / "sources.toml"

    @property
    def overlays(self) -> Path:
        return self.specs / "overlays"

    @property
    def raw_cache(self) -> Path:
        return self.specs / ".cache" / "raw"

    @property
    def lock_file(self) -> Path:
        return self.specs / "lock.json"

    @property
    def changes_file(self) -> Path:
        return self.specs / "CHANGES.md"

    @property
    def generated(self) -> Path:
        return self.root / "generated"


def mirror_from_env() -> Path | None:
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value) if value else None
