"""The spec pipeline refuses a broken or unaccepted spec, or a stale overlay, and changes nothing.

Run on a scratch project holding one API, ClickStack OSS (the smallest OpenAPI spec): its
sources.toml entry with an overlay, a copy of its generated package, and its spec pinned from a
copy of the mirror, as `scripts/fetch_specs.py --mirror` pins it. Every case is refused before a
code generator runs, so the module takes well under a second.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbcloud_codegen.documents import load_openapi
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.fetch import fetch
from dbcloud_codegen.openapi_gen import prepare_openapi
from dbcloud_codegen.project import MIRROR_ENV, Project
from dbcloud_codegen.regenerate import regenerate
from dbcloud_codegen.sources import Source, load_sources

from ..pipeline.conftest import tree_bytes
from ._figures import Figures

ROOT = Path(__file__).resolve().parents[2]
API = "clickstack_oss"
SCHEMA = "AlertSilenced"  # what the overlay mends; a later spec renames it
OVERLAY = f"""\
overlay: 1.0.0
info: {{title: reliability fixes, version: 1.0.0}}
actions:
  - target: "$.components.schemas.{SCHEMA}.properties"
    description: a field the vendor forgot
    update:
      reason: {{type: string}}
"""


@dataclass(frozen=True)
class Scratch:
    project: Project
    source: Source
    mirror: Path  # a writable copy of the mirror folder, with this API's spec only

    @property
    def spec(self) -> Path:
        return self.mirror / self.source.mirror

    @property
    def cached(self) -> Path:
        return self.project.raw_cache / self.source.cache_name

    def everything(self) -> dict[str, bytes]:
        """Every file of the project: generated/ and specs/ (lock, cache, change report)."""
        return tree_bytes(self.project.root)


@pytest.fixture
def scratch(tmp_path: Path, shared_specs: Path, monkeypatch: pytest.MonkeyPatch) -> Scratch:
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    entry = {**tomllib.loads((ROOT / "specs" / "sources.toml").read_text("utf-8"))[API]}
    entry["overlay"] = f"{API}.overlay.yaml"
    root = tmp_path / "project"
    (root / "specs" / "overlays").mkdir(parents=True)
    lines = [f"[{API}]", *(f"{key} = {json.dumps(value)}" for key, value in entry.items())]
    (root / "specs" / "sources.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "specs" / "overlays" / entry["overlay"]).write_text(OVERLAY, encoding="utf-8")
    package = entry["package"]
    shutil.copytree(
        ROOT / "generated" / package,
        root / "generated" / package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copyfile(shared_specs / entry["mirror"], mirror / entry["mirror"])
    project = Project(root)
    source = load_sources(project.sources_file)[API]
    assert fetch(project, source, mirror=mirror).status == "new"
    return Scratch(project, source, mirror)


def refused(scratch: Scratch, figures: Figures, case: str, pattern: str, action: str) -> None:
    """Run `action` ("fetch", "fetch --update" or "regenerate"): it must fail with a message
    matching `pattern` and leave every file of the project as it was."""
    project, source, mirror = scratch.project, scratch.source, scratch.mirror
    steps: dict[str, Callable[[], object]] = {
        "fetch": lambda: fetch(project, source, mirror=mirror),
        "fetch --update": lambda: fetch(project, source, mirror=mirror, update=True),
        "regenerate": lambda: regenerate(project, [API], jobs=1, out=lambda line: None),
    }
    before = scratch.everything()
    with pytest.raises(PipelineError, match=pattern) as caught:
        steps[action]()
    unchanged = scratch.everything() == before
    said = re.search(pattern, str(caught.value)).group(0)  # type: ignore[union-attr]  # raises matched it
    figures.add(
        "regeneration",
        case=case,
        step=action,
        refused_with=said if len(said) <= 100 else f"{said[:48]} … {said[-48:]}",
        files_unchanged="yes" if unchanged else "NO",
    )
    assert unchanged, "a refused step changed the project"


def test_a_corrupt_spec_is_refused(scratch: Scratch, figures: Figures) -> None:
    data = scratch.spec.read_bytes()
    middle = data.index(b'"paths"')
    scratch.spec.write_bytes(data[:middle] + b"\x00\x7f<html>" + data[middle:])
    pattern = r"clickstack-oss\.json: not valid JSON at line \d+ column \d+"
    refused(scratch, figures, "corrupt spec (garbage bytes)", pattern, "fetch --update")


def test_a_truncated_download_is_refused(scratch: Scratch, figures: Figures) -> None:
    data = scratch.spec.read_bytes()
    scratch.spec.write_bytes(data[: len(data) * 2 // 3])
    pattern = r"not valid JSON at line \d+ column \d+: the file ends early \(truncated\?\)"
    refused(scratch, figures, "truncated spec (download)", pattern, "fetch --update")


def test_a_truncated_cached_spec_is_refused(scratch: Scratch, figures: Figures) -> None:
    data = scratch.cached.read_bytes()
    scratch.cached.write_bytes(data[: len(data) // 2])
    pattern = r"clickstack_oss\.json differs from specs/lock\.json .* Nothing was generated"
    refused(scratch, figures, "truncated spec (cache)", pattern, "regenerate")


def renamed_schema(scratch: Scratch) -> None:
    """The vendor's next release: the schema the overlay mends is renamed (references too)."""
    text = scratch.spec.read_text(encoding="utf-8")
    assert f'"{SCHEMA}"' in text
    scratch.spec.write_text(text.replace(SCHEMA, SCHEMA.removesuffix("d")), encoding="utf-8")


def test_a_changed_spec_needs_update(scratch: Scratch, figures: Figures) -> None:
    renamed_schema(scratch)
    pattern = r"differs from specs/lock\.json .*Nothing was changed; rerun with --update"
    refused(scratch, figures, "spec bytes changed, no --update", pattern, "fetch")


def test_an_overlay_that_no_longer_applies_is_refused(scratch: Scratch, figures: Figures) -> None:
    # The overlay mends the pinned spec...
    overlay = scratch.project.overlays / f"{API}.overlay.yaml"
    pinned = load_openapi(scratch.cached.read_bytes(), str(scratch.cached))
    _, notes = prepare_openapi(pinned, overlay)
    assert any("updated 1 node(s)" in note for note in notes)
    # ...but not the next release, accepted with --update.
    renamed_schema(scratch)
    assert fetch(scratch.project, scratch.source, mirror=scratch.mirror, update=True).status == "updated"
    pattern = rf"target \$\.components\.schemas\.{SCHEMA}\.properties selects nothing; the spec changed"
    refused(scratch, figures, "overlay no longer applies", pattern, "regenerate")
