"""scripts/regenerate.py: generation, --check, and failures that leave generated/ as it was."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dbcloud_codegen.assemble import HEADER
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.fetch import fetch
from dbcloud_codegen.project import Project
from dbcloud_codegen.regenerate import regenerate
from dbcloud_codegen.sources import load_sources

from .conftest import tiny_spec, tree_bytes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run(
    project: Project, *apis: str, check: bool = False, mirror: Path | None = None
) -> tuple[int, list[str]]:
    lines: list[str] = []
    status = regenerate(project, list(apis), check=check, mirror=mirror, jobs=1, out=lines.append)
    return status, lines


@pytest.fixture
def generated(project: Project, mirror: Path) -> Path:
    """The scratch project after one successful regeneration."""
    status, _ = run(project, mirror=mirror)
    assert status == 0
    return project.generated / "dbcloud_tiny_client"


def test_regenerate_writes_a_marked_importable_package(project: Project, mirror: Path) -> None:
    status, lines = run(project, mirror=mirror)
    assert status == 0
    assert re.fullmatch(r"tiny: operations=2 generated=2 models=\d+ warnings=0 seconds=\d+\.\d", lines[0])
    package = project.generated / "dbcloud_tiny_client"
    assert (package / "py.typed").exists()
    for module in package.rglob("*.py"):
        assert module.read_text(encoding="utf-8").startswith(HEADER.format(title="Tiny")), module
    spec_module = (package / "_spec.py").read_text(encoding="utf-8")
    assert "SPEC_VERSION = '1.0'" in spec_module or 'SPEC_VERSION = "1.0"' in spec_module
    # Derived operationIds name the endpoint modules; the overlay's field reached the model.
    assert (package / "api" / "things" / "get_things.py").exists()
    assert (package / "api" / "things" / "delete_things.py").exists()
    assert "size" in (package / "models" / "thing.py").read_text(encoding="utf-8")
    code = "import dbcloud_tiny_client.api.things.get_things as m; print(m.sync_detailed.__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project.generated, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "sync_detailed"


def test_check_passes_on_a_fresh_tree_and_names_a_changed_file(project: Project, generated: Path) -> None:
    assert run(project, check=True)[0] == 0
    model = generated / "models" / "thing.py"
    model.write_bytes(model.read_bytes() + b"\n")
    status, lines = run(project, check=True)
    assert status == 1
    assert "  dbcloud_tiny_client: ~ models/thing.py" in lines
    assert any("out of date: 1 difference" in line for line in lines)


def test_check_reports_a_missing_and_an_extra_file(project: Project, generated: Path) -> None:
    (generated / "models" / "thing.py").unlink()
    (generated / "extra.py").write_text("x = 1\n", encoding="utf-8")
    status, lines = run(project, check=True)
    assert status == 1
    assert "  dbcloud_tiny_client: - models/thing.py (missing from generated/)" in lines
    assert "  dbcloud_tiny_client: + extra.py (not produced by the pipeline)" in lines


def test_check_never_writes(project: Project, generated: Path) -> None:
    (generated / "extra.py").write_text("x = 1\n", encoding="utf-8")
    before = tree_bytes(project.generated)
    run(project, check=True)
    assert tree_bytes(project.generated) == before


def test_output_is_reproducible(project: Project, generated: Path) -> None:
    before = tree_bytes(project.generated)
    assert run(project)[0] == 0
    assert tree_bytes(project.generated) == before


def _cache(project: Project) -> Path:
    return project.raw_cache / "tiny.json"


def test_truncated_spec_is_refused_and_generated_is_untouched(project: Project, generated: Path) -> None:
    before = tree_bytes(project.generated)
    data = _cache(project).read_bytes()
    _cache(project).write_bytes(data[: len(data) // 3])
    with pytest.raises(PipelineError) as caught:
        run(project)
    # The lock catches the changed bytes before anything is parsed.
    assert "tiny.json differs from specs/lock.json" in str(caught.value)
    assert tree_bytes(project.generated) == before


def test_corrupt_spec_accepted_by_the_lock_still_fails_cleanly(
    project: Project, mirror: Path, generated: Path
) -> None:
    before = tree_bytes(project.generated)
    (mirror / "tiny.json").write_text('{"openapi": "3.0.0", "paths": {', encoding="utf-8")
    with pytest.raises(PipelineError, match=r"tiny\.json: not valid JSON at line 1 .*truncated"):
        fetch(project, load_sources(project.sources_file)["tiny"], mirror=mirror, update=True)
    assert tree_bytes(project.generated) == before


def test_spec_invalid_after_repairs_names_the_file_and_place(
    project: Project, mirror: Path, generated: Path
) -> None:
    before = tree_bytes(project.generated)
    broken = tiny_spec()
    broken["paths"]["/things"]["get"]["responses"] = {"200": {"content": {}}}  # no description
    (mirror / "tiny.json").write_text(json.dumps(broken), encoding="utf-8")
    fetch(project, load_sources(project.sources_file)["tiny"], mirror=mirror, update=True)
    message = r"raw/tiny\.json: still invalid after repairs, at #/paths/~1things/get/responses/200: "
    with pytest.raises(PipelineError, match=message):
        run(project)
    assert tree_bytes(project.generated) == before


def test_corrupt_cached_spec_is_refused_by_regenerate(project: Project, generated: Path) -> None:
    # A cache whose lock entry agrees with it (written by hand, say) is still parsed before use.
    before = tree_bytes(project.generated)
    data = _cache(project).read_bytes()[:-40]
    _cache(project).write_bytes(data)
    lock = json.loads(project.lock_file.read_text(encoding="utf-8"))
    lock["tiny"]["sha256"] = hashlib.sha256(data).hexdigest()
    project.lock_file.write_text(json.dumps(lock), encoding="utf-8")
    message = r"raw/tiny\.json: not valid JSON at line 1 column \d+: the file ends early"
    with pytest.raises(PipelineError, match=message):
        run(project)
    assert tree_bytes(project.generated) == before


def test_cli_reports_a_failure_with_exit_code_2_and_changes_nothing(
    project: Project, generated: Path
) -> None:
    before = tree_bytes(project.generated)
    _cache(project).write_bytes(b"{}")
    code = (
        "import sys, pathlib; sys.path.insert(0, sys.argv[1]);"
        "from dbcloud_codegen import regenerate as r; from dbcloud_codegen.project import Project;"
        "r.Project.default = classmethod(lambda cls: Project(pathlib.Path(sys.argv[2])));"
        "sys.exit(r.main([]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "scripts"), str(project.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "tiny.json differs from specs/lock.json" in result.stderr
    assert "generated/ was left unchanged" in result.stderr
    assert tree_bytes(project.generated) == before


def test_an_overlay_that_no_longer_applies_is_refused(project: Project, generated: Path) -> None:
    before = tree_bytes(project.generated)
    overlay = project.overlays / "tiny.overlay.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace("Thing.properties", "Gone.properties"), "utf-8"
    )
    with pytest.raises(PipelineError, match="selects nothing; the spec changed under the overlay"):
        run(project)
    assert tree_bytes(project.generated) == before


def test_unknown_api_lists_the_known_ones(project: Project) -> None:
    with pytest.raises(PipelineError, match="unknown API 'nope'; known APIs: tiny"):
        run(project, "nope")


def test_a_missing_spec_is_fetched_from_the_mirror_first(project: Project, mirror: Path) -> None:
    assert not _cache(project).exists()
    assert run(project, mirror=mirror)[0] == 0
    assert _cache(project).exists()


def test_cli_exit_code_and_message_on_failure(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate.py"), "--check", "no_such_api"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        "unknown API 'no_such_api'; known APIs: acm, anywhere, clickhouse, clickstack_oss, cockroach"
        in result.stderr
    )
    assert "generated/ was left unchanged" in result.stderr


EXPECTED_OPERATIONS = {"acm": 268, "anywhere": 35, "clickhouse": 142, "clickstack_oss": 38, "cockroach": 144}


def test_committed_generated_tree_matches_the_specs(shared_specs: Path) -> None:
    """`regenerate.py --check` on the real project: every operation generated, zero warnings."""
    lines: list[str] = []
    status = regenerate(Project.default(), [], check=True, mirror=shared_specs, out=lines.append)
    assert status == 0, "\n".join(lines)
    figures = {}
    for line in lines:
        found = re.match(r"(\w+): operations=(\d+) generated=(\d+) models=(\d+) warnings=(\d+)", line)
        if found:
            api, *numbers = found.groups()
            figures[api] = tuple(int(x) for x in numbers)
    assert {api: f[0] for api, f in figures.items()} == EXPECTED_OPERATIONS
    for api, (operations, functions, models, warnings) in figures.items():
        assert warnings == 0, api
        assert models > 0, api
        # ACM has one more: the documented JSON-body launch its spec leaves out (acm.overlay.yaml).
        assert functions == operations + (1 if api == "acm" else 0), api
