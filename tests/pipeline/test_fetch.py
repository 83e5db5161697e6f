"""scripts/fetch_specs.py: mirror and live fetches, the lock, and refusals that lose nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.fetch import fetch
from dbcloud_codegen.fetch_cli import main
from dbcloud_codegen.lock import read_lock
from dbcloud_codegen.project import Project
from dbcloud_codegen.sources import load_sources

from .conftest import tiny_spec, tree_bytes


def tiny(project: Project):  # type: ignore[no-untyped-def]
    return load_sources(project.sources_file)["tiny"]


def test_mirror_fetch_caches_raw_bytes_and_pins_them(project: Project, mirror: Path) -> None:
    outcome = fetch(project, tiny(project), mirror=mirror)
    raw = (mirror / "tiny.json").read_bytes()
    assert (project.raw_cache / "tiny.json").read_bytes() == raw
    entry = read_lock(project.lock_file)["tiny"]
    assert entry.sha256 == hashlib.sha256(raw).hexdigest()
    assert entry.spec_version == "1.0"  # read from the stray top-level `version`
    assert entry.source == "mirror:tiny.json"
    assert outcome.status == "new"
    assert "## tiny: first pinned at 1.0" in project.changes_file.read_text(encoding="utf-8")


def test_fetching_the_same_bytes_again_changes_nothing(project: Project, mirror: Path) -> None:
    fetch(project, tiny(project), mirror=mirror)
    before = tree_bytes(project.specs)
    assert fetch(project, tiny(project), mirror=mirror).status == "unchanged"
    assert tree_bytes(project.specs) == before


def test_changed_bytes_are_refused_without_update(project: Project, mirror: Path) -> None:
    fetch(project, tiny(project), mirror=mirror)
    before = tree_bytes(project.specs)
    (mirror / "tiny.json").write_text(json.dumps(tiny_spec(version="2.0")), encoding="utf-8")
    with pytest.raises(PipelineError, match=r"differs from specs/lock\.json.*--update"):
        fetch(project, tiny(project), mirror=mirror)
    assert tree_bytes(project.specs) == before


def test_update_accepts_the_change_and_reports_it(project: Project, mirror: Path) -> None:
    fetch(project, tiny(project), mirror=mirror)
    (mirror / "tiny.json").write_text(json.dumps(tiny_spec(version="2.0", extra_path=True)), encoding="utf-8")
    outcome = fetch(project, tiny(project), mirror=mirror, update=True)
    assert outcome.status == "updated"
    assert read_lock(project.lock_file)["tiny"].spec_version == "2.0"
    changes = project.changes_file.read_text(encoding="utf-8")
    assert "tiny: 1.0 → 2.0" in changes
    assert "GET /widgets" in changes


def test_a_corrupt_spec_is_refused_and_nothing_is_written(project: Project, mirror: Path) -> None:
    fetch(project, tiny(project), mirror=mirror)
    before = tree_bytes(project.specs)
    text = (mirror / "tiny.json").read_text(encoding="utf-8")
    (mirror / "tiny.json").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(PipelineError, match=r"tiny.json: not valid JSON at line 1 column \d+"):
        fetch(project, tiny(project), mirror=mirror, update=True)
    assert tree_bytes(project.specs) == before


def test_a_missing_mirror_file_says_which_file_and_where(project: Project, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PipelineError, match=f"mirror file tiny.json not found \\(in {empty}\\)"):
        fetch(project, tiny(project), mirror=empty)


def test_live_fetch_sends_the_token_and_unwraps_an_envelope(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINY_API_KEY", "tok-123")
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {**tiny_spec(), "openapi": "3.0.0"}, "error": None})

    with httpx.Client(transport=httpx.MockTransport(server)) as http:
        outcome = fetch(project, tiny(project), http=http)
    assert seen[0].headers["X-Auth-Token"] == "tok-123"
    assert seen[0].headers["Accept"] == "application/json"
    assert str(seen[0].url) == "https://tiny.example/spec.json"
    assert outcome.entry.source == "https://tiny.example/spec.json"
    assert "tok-123" not in project.lock_file.read_text(encoding="utf-8")


def test_live_fetch_without_the_token_explains_what_is_missing(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TINY_API_KEY", raising=False)

    def server(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent without the token")

    with httpx.Client(transport=httpx.MockTransport(server)) as http, pytest.raises(PipelineError) as caught:
        fetch(project, tiny(project), http=http)
    message = str(caught.value)
    assert "TINY_API_KEY is not set" in message
    assert "only the public part" in message
    assert "--mirror" in message


def test_live_fetch_http_error_is_reported(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TINY_API_KEY", "tok")
    transport = httpx.MockTransport(lambda r: httpx.Response(401))
    with httpx.Client(transport=transport) as http, pytest.raises(PipelineError, match="answered HTTP 401"):
        fetch(project, tiny(project), http=http)
    assert not project.lock_file.exists()


def test_cli_unknown_api_lists_the_known_ones(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nope"], project=project) == 2
    assert "unknown API 'nope'; known APIs: tiny" in capsys.readouterr().err


def test_cli_fetches_from_the_mirror(
    project: Project, mirror: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--mirror", str(mirror)], project=project) == 0
    assert capsys.readouterr().out.startswith("tiny: new sha256=")


def test_real_sources_name_every_mirror_file(shared_specs: Path) -> None:
    sources = load_sources(Project.default().sources_file)
    assert set(sources) == {"acm", "anywhere", "clickhouse", "clickstack_oss", "cockroach"}
    for source in sources.values():
        assert (shared_specs / source.mirror).is_file(), source.mirror
        assert source.package.startswith("dbcloud_")
    assert sources["acm"].auth_header == ("X-Auth-Token", "ACM_API_KEY")
