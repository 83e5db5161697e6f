"""scripts/spec_drift.py and its weekly workflow: accept, regenerate, test, report, exit status."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from dbcloud_codegen.diff import SpecDiff
from dbcloud_codegen.drift import REPORT_LIMIT, ApiChange, DriftRun, breaking_kind, format_report, main
from dbcloud_codegen.fetch_cli import main as fetch_main
from dbcloud_codegen.lock import LockEntry, read_lock
from dbcloud_codegen.project import Project
from dbcloud_codegen.regenerate import regenerate
from dbcloud_codegen.sources import load_sources

from .conftest import tiny_spec, tree_bytes

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "spec-drift.yml"

# The stand-in for the project's test suite: it records that it ran and what it saw, and fails
# when asked to, in a fraction of a second.
STUB = """
import json, os, sys
from pathlib import Path
Path(sys.argv[1]).write_text(json.dumps({
    "cwd": os.getcwd(),
    "token": os.environ.get("TINY_API_KEY"),
    "generated": sorted(p.name for p in Path("generated").iterdir()) if Path("generated").is_dir() else [],
}))
print("collected 3 items")
if sys.argv[2] == "fail":
    print("FAILED tests/test_widgets.py::test_list - KeyError: 'widgets'")
    print("1 failed, 2 passed")
    sys.exit(1)
print("3 passed")
"""


class Stub:
    def __init__(self, tmp_path: Path) -> None:
        self.script = tmp_path / "stub_tests.py"
        self.script.write_text(STUB, encoding="utf-8")
        self.record = tmp_path / "stub_ran.json"

    def command(self, outcome: str = "pass") -> str:
        return shlex.join([sys.executable, str(self.script), str(self.record), outcome])

    @property
    def ran(self) -> bool:
        return self.record.exists()

    def seen(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.record.read_text(encoding="utf-8"))
        return result


@pytest.fixture
def stub(tmp_path: Path) -> Stub:
    return Stub(tmp_path)


def drift(project: Project, mirror: Path, tmp_path: Path, *extra: str) -> tuple[int, str, dict[str, Any]]:
    report, summary = tmp_path / "out" / "report.md", tmp_path / "out" / "summary.json"
    status = main(
        ["--mirror", str(mirror), "--report", str(report), "--summary", str(summary), *extra], project=project
    )
    return status, report.read_text(encoding="utf-8"), json.loads(summary.read_text(encoding="utf-8"))


def pinned(project: Project, mirror: Path) -> None:
    """The project as the repository has it: the mirror's current spec pinned and cached."""
    assert fetch_main(["--mirror", str(mirror)], project=project) == 0


def evolved_spec() -> dict[str, Any]:
    """The tiny spec, one vendor release later: an operation gone, one added, a field tightened."""
    spec = tiny_spec(version="1.1", extra_path=True)
    del spec["paths"]["/things/{id}"]
    thing = spec["components"]["schemas"]["Thing"]
    thing["required"] = ["name"]
    thing["properties"]["id"] = {"type": "string"}
    spec["components"]["schemas"]["Widget"] = {"type": "object", "properties": {"id": {"type": "integer"}}}
    return spec


def write_spec(mirror: Path, spec: dict[str, Any]) -> None:
    (mirror / "tiny.json").write_text(json.dumps(spec), encoding="utf-8")


def test_nothing_changed_exits_0_and_neither_regenerates_nor_tests(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub
) -> None:
    pinned(project, mirror)
    specs_before = tree_bytes(project.specs)
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 0
    assert report == "# Spec drift: nothing changed\n\nEvery vendor spec matches specs/lock.json.\n"
    assert summary["changed"] == []
    assert summary["tests"] == "not run"
    assert not stub.ran
    assert not project.generated.exists()
    assert tree_bytes(project.specs) == specs_before


def test_report_lists_breaking_changes_first_then_additions_then_the_tests(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub
) -> None:
    pinned(project, mirror)
    write_spec(mirror, evolved_spec())
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 1
    assert summary == {
        "status": 1,
        "changed": ["tiny"],
        "breaking": 3,
        "regeneration": "done",
        "tests": "passed",
        "errors": [],
    }
    assert report.startswith("# Spec drift: 1 API(s) changed (tiny), tests pass\n")
    assert "| tiny | 1.0 → 1.1 | 3 | 2 | 1 | 1 |" in report
    expected_in_order = [
        "## tiny: Tiny",
        "### Breaking changes (3)",
        "#### Removed or renamed (1)",
        "- removed operation DELETE /things/{id}",
        "#### Newly required (1)",
        "- new required property name in schema Thing",
        "#### Type changes (1)",
        "- type of schema Thing.id changed from integer to string",
        "### Additions (2)",
        "#### Operations added (1)",
        "- `GET /widgets`",
        "#### Schemas added (1)",
        "- `Widget`",
        "### Changed in place",
        "## Regeneration and tests",
        "tiny: operations=2 generated=2",
        f"Tests passed: `{stub.command()}`",
        "3 passed",
    ]
    positions = [report.find(text) for text in expected_in_order]
    assert -1 not in positions, [t for t, p in zip(expected_in_order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    # Accepted: the lock pins the new bytes, CHANGES.md has the change, generated/ has the new client.
    entry = read_lock(project.lock_file)["tiny"]
    assert entry.sha256 == hashlib.sha256((mirror / "tiny.json").read_bytes()).hexdigest()
    assert entry.spec_version == "1.1"
    assert "## tiny: 1.0 → 1.1" in project.changes_file.read_text(encoding="utf-8")
    package = project.generated / "dbcloud_tiny_client"
    assert (package / "api" / "things" / "get_widgets.py").exists()
    assert not (package / "api" / "things" / "delete_things.py").exists()
    # The tests ran in the project root after the regeneration.
    assert stub.seen()["cwd"] == str(project.root)
    assert "dbcloud_tiny_client" in stub.seen()["generated"]


def test_failing_tests_exit_2_and_the_report_says_so_with_their_output(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned(project, mirror)
    write_spec(mirror, evolved_spec())
    monkeypatch.setenv("TINY_API_KEY", "tiny-key-do-not-leak")
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command("fail"))
    assert status == 2
    assert summary["tests"] == "failed"
    assert report.startswith("# Spec drift: 1 API(s) changed (tiny), tests FAILING\n")
    assert "Regeneration: **done**. Tests: **failed**." in report
    assert f"Tests **failed** (exit status 1): `{stub.command('fail')}`" in report
    assert "FAILED tests/test_widgets.py::test_list - KeyError: 'widgets'" in report
    assert report.index("### Breaking changes") < report.index("## Regeneration and tests")
    # The regenerated client stays for the pull request; the fetch token never reaches the tests.
    assert (project.generated / "dbcloud_tiny_client" / "api" / "things" / "get_widgets.py").exists()
    assert stub.seen()["token"] is None
    assert "tiny-key-do-not-leak" not in report


def test_failed_regeneration_exits_2_leaves_generated_as_it_was_and_skips_the_tests(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub
) -> None:
    pinned(project, mirror)
    assert regenerate(project, [], jobs=1, out=lambda _line: None) == 0
    generated_before = tree_bytes(project.generated)
    # The vendor dropped the schema the overlay patches: the overlay no longer applies.
    spec = copy.deepcopy(tiny_spec(version="2.0"))
    del spec["components"]["schemas"]["Thing"]
    del spec["paths"]["/things"]["get"]["responses"]["200"]["content"]
    write_spec(mirror, spec)
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 2
    assert summary["regeneration"] == "failed"
    assert summary["tests"] == "not run"
    assert report.startswith("# Spec drift: 1 API(s) changed (tiny), regeneration FAILED\n")
    assert "- removed schema Thing" in report
    assert "Regeneration **failed**; generated/ was left as it was and the tests were not run:" in report
    assert "tiny.overlay.yaml" in report  # the failure names what stopped it
    assert tree_bytes(project.generated) == generated_before
    assert not stub.ran
    # The new spec itself was accepted, so the pull request carries it and the reason it fails.
    assert read_lock(project.lock_file)["tiny"].spec_version == "2.0"


def test_a_spec_that_cannot_be_fetched_exits_3_and_is_reported(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    pinned(project, mirror)
    (mirror / "tiny.json").unlink()
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 3
    assert report.startswith("# Spec drift: 1 spec(s) could not be checked\n")
    assert "## Could not be checked" in report
    assert "tiny: mirror file tiny.json not found" in report
    assert summary["errors"] == [f"tiny: mirror file tiny.json not found (in {mirror.resolve()})"]
    assert capsys.readouterr().err == f"error: {summary['errors'][0]}\n"
    assert not stub.ran


def test_an_unknown_api_or_an_empty_test_command_exits_3(
    project: Project, mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pinned(project, mirror)
    status, report, _ = drift(project, mirror, tmp_path, "nosuch")
    assert status == 3
    assert "unknown API 'nosuch'; known APIs: tiny" in report
    assert main(["--mirror", str(mirror), "--test-command", ""], project=project) == 3
    assert "spec_drift: --test-command is empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        ("removed operation DELETE /things/{id}", "removed"),
        ("removed schema Thing", "removed"),
        ("removed field AWSEnvSpec.NAT", "removed"),
        ("removed enum value 'a' from schema Thing.kind", "removed"),
        ("new required query parameter size in GET /things", "required"),
        ("query parameter size became required in GET /things", "required"),
        ("request body is new and required in POST /things", "required"),
        ("new required property name in schema Thing", "required"),
        ("new non-null argument limit: Int! of query things", "required"),
        ("type of schema Thing.id changed from integer to string", "type"),
        ("kind of type Size changed from ENUM to SCALAR", "type"),
    ],
)
def test_every_kind_of_breaking_change_has_its_group(item: str, kind: str) -> None:
    assert breaking_kind(item) == kind


@pytest.mark.specs
@pytest.mark.slow
def test_an_older_vendor_snapshot_is_reported_regenerated_in_the_copy_only(
    shared_specs: Path, tmp_path: Path, stub: Stub
) -> None:
    # The project's own specs/ state, copied, with the vendor snapshots it pins in its cache.
    project = Project(tmp_path / "project")
    shutil.copytree(ROOT / "specs", project.specs, ignore=shutil.ignore_patterns(".cache"))
    assert fetch_main(["--mirror", str(shared_specs), "anywhere"], project=project) == 0
    # A mirror in which the 2024 Anywhere schema stands in for the current one.
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for path in shared_specs.iterdir():
        (mirror / path.name).symlink_to(path)
    (mirror / "altinity-anywhere.graphql").unlink()
    (mirror / "altinity-anywhere.graphql").symlink_to(shared_specs / "altinity-anywhere-2024-11-25.graphql")
    real = {
        name: tree_bytes(ROOT / name)
        for name in ("specs/overlays", "generated/dbcloud_anywhere_client")
        if (ROOT / name).is_dir()
    }
    real_files = {name: (ROOT / name).read_bytes() for name in ("specs/lock.json", "specs/CHANGES.md")}

    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())

    assert status == 1
    assert summary["changed"] == ["anywhere"]
    assert report.startswith("# Spec drift: 1 API(s) changed (anywhere), tests pass\n")
    removed = report.index("#### Removed or renamed (143)")
    # Removed operations lead the removals, before removed types and fields.
    assert report.index("- removed operation query awsEnvHosted") > removed
    assert report.index("- removed operation query awsEnvHosted") < report.index("- removed type AKSSKUTier")
    first_field = "- removed field AWSEnvLoadBalancerInternalSpec.endpointServiceSupportedRegions"
    assert report.index("- removed type AKSSKUTier") < report.index(first_field)
    assert report.index("#### Type changes (2)") > removed
    # A pull request's description is limited: the enum values past the first 100 items are cut.
    assert "- … and 43 more (specs/CHANGES.md lists them all)" in report
    assert "removed enum value" not in report
    assert report.index("### Additions (0)") > report.index("#### Type changes (2)")
    assert report.index("Tests passed") > report.index("### Additions (0)")
    # The copy was regenerated from the older schema; the real checkout was not touched at all.
    older = hashlib.sha256((shared_specs / "altinity-anywhere-2024-11-25.graphql").read_bytes()).hexdigest()
    spec_module = (project.generated / "dbcloud_anywhere_client" / "_spec.py").read_text(encoding="utf-8")
    assert older in spec_module
    assert read_lock(project.lock_file)["anywhere"].sha256 == older
    assert stub.seen()["cwd"] == str(project.root)
    for name, files in real.items():
        assert tree_bytes(ROOT / name) == files, name
    for name, data in real_files.items():
        assert (ROOT / name).read_bytes() == data, name


# --- the workflow -------------------------------------------------------------------------------


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def _steps() -> list[dict[str, Any]]:
    jobs = _workflow()["jobs"]
    assert len(jobs) == 1
    steps: list[dict[str, Any]] = next(iter(jobs.values()))["steps"]
    return steps


def _strings(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(node, dict):
        return [pair for key, value in node.items() for pair in _strings(value, (*path, str(key)))]
    if isinstance(node, list):
        return [pair for item in node for pair in _strings(item, path)]
    return [(path, node)] if isinstance(node, str) else []


def test_workflow_runs_weekly_and_on_demand() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "workflow_dispatch" in triggers
    (schedule,) = triggers["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5
    assert fields[2:4] == ["*", "*"]  # every month, every day of the month ...
    assert fields[4].isdigit()  # ... on one day of the week


def test_workflow_installs_the_generators_and_runs_the_drift_script() -> None:
    steps = _steps()
    assert any(step.get("uses", "").startswith("actions/setup-python@") for step in steps)
    assert any(".[dev,codegen]" in step.get("run", "") for step in steps)
    drift_step = next(step for step in steps if "scripts/spec_drift.py" in step.get("run", ""))
    assert "--report" in drift_step["run"]
    assert "--summary" in drift_step["run"]


def test_workflow_passes_secrets_only_through_env_and_never_prints_them() -> None:
    uses_of_secrets = [
        (path, value) for step in _steps() for path, value in _strings(step) if "secrets." in value
    ]
    acm = [path for path, value in uses_of_secrets if "secrets.ACM_API_KEY" in value]
    assert acm == [("env", "ACM_API_KEY")]
    # Any other secret (a token for the pull request) is a step input, never part of a command.
    assert all(path[0] in {"env", "with"} for path, _ in uses_of_secrets)
    for step in _steps():
        run = step.get("run", "")
        assert "ACM_API_KEY" not in run
        assert "set -x" not in run


def test_workflow_opens_a_labelled_pull_request_whose_body_is_the_report() -> None:
    steps = _steps()
    drift_step = next(step for step in steps if "scripts/spec_drift.py" in step.get("run", ""))
    action = "peter-evans/create-pull-request@"
    (pr_step,) = [step for step in steps if step.get("uses", "").startswith(action)]
    inputs = pr_step["with"]
    report_path = inputs["body-path"]
    assert report_path.replace("${{ runner.temp }}", "$RUNNER_TEMP") in drift_step["run"]
    assert "spec-drift" in inputs["labels"]
    assert "tests-failing" in inputs["labels"]  # added when the tests fail, so the PR says so
    assert "tests failing" in inputs["title"]
    assert drift_step["id"] in pr_step["if"]
    for path in ("specs/lock.json", "specs/CHANGES.md", "generated"):
        assert path in inputs["add-paths"]


def test_workflow_reads_only_keys_the_summary_has() -> None:
    drift_step = next(step for step in _steps() if "scripts/spec_drift.py" in step.get("run", ""))
    keys = set(re.findall(r"\.(\w+)\b", " ".join(re.findall(r"jq -r '([^']*)'", drift_step["run"]))))
    assert keys
    assert keys <= set(DriftRun().summary())
    outputs = set(re.findall(r"steps\.drift\.outputs\.(\w+)", WORKFLOW.read_text(encoding="utf-8")))
    written = set(re.findall(r'echo "(\w+)=', drift_step["run"]))
    assert outputs <= written


def test_a_first_pin_and_a_missing_baseline_are_reported_without_a_comparison(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub
) -> None:
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 1
    assert summary["changed"] == ["tiny"]
    assert "| tiny | - → 1.0 | ? | ? | ? | ? |" in report
    assert "First pinned: there is no earlier spec to compare." in report
    # The lock pins a spec the cache no longer holds (a fresh clone): the change is still accepted.
    shutil.rmtree(project.raw_cache)
    write_spec(mirror, evolved_spec())
    status, report, _ = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 1
    assert "| tiny | 1.0 → 1.1 | ? | ? | ? | ? |" in report
    assert "The previous spec was not in specs/.cache/raw/, so no comparison was made." in report
    assert read_lock(project.lock_file)["tiny"].spec_version == "1.1"


def test_a_test_command_that_cannot_start_counts_as_failing(
    project: Project, mirror: Path, tmp_path: Path
) -> None:
    pinned(project, mirror)
    write_spec(mirror, evolved_spec())
    missing = str(tmp_path / "no-such-runner")
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", missing)
    assert status == 2
    assert summary["tests"] == "failed"
    assert f"Tests **failed** (exit status 127): `{missing}`" in report
    assert f"cannot run {missing}:" in report


def test_long_lists_are_cut_so_the_report_fits_a_pull_request(project: Project) -> None:
    source = load_sources(project.sources_file)["tiny"]
    before = LockEntry(sha256="a" * 64, bytes=10, spec_version="1", fetched="2026-01-01", source="x")
    after = LockEntry(sha256="b" * 64, bytes=20, spec_version="2", fetched="2026-02-01", source="x")
    # 100 of these (the usual cut) would not fit: the report keeps fewer.
    removed = [f"GET /things/{n:04d}/" + "segment/" * 80 for n in range(3000)]
    big = SpecDiff(operations_removed=removed, breaking=[f"removed operation {op}" for op in removed])
    run = DriftRun(changes=[ApiChange(source, before, after, big)], regeneration="done", tests="passed")
    report = format_report(run)
    assert len(report) <= REPORT_LIMIT
    assert "#### Removed or renamed (3000)" in report
    assert "- … and 2960 more (specs/CHANGES.md lists them all)" in report
    few = removed[:3]
    small = SpecDiff(operations_removed=few, breaking=[f"removed operation {op}" for op in few])
    report = format_report(DriftRun(changes=[ApiChange(source, before, after, small)]))
    assert all(f"- removed operation {op}" in report for op in few)
    assert "lists them all" not in report


def test_changes_are_still_accepted_and_tested_when_another_spec_cannot_be_fetched(
    project: Project, mirror: Path, tmp_path: Path, stub: Stub
) -> None:
    pinned(project, mirror)
    # A second API whose spec is nowhere to be had.
    with project.sources_file.open("a", encoding="utf-8") as sources:
        sources.write(SOURCES_GHOST)
    write_spec(mirror, evolved_spec())
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 3
    assert summary["changed"] == ["tiny"]
    assert summary["tests"] == "passed"
    assert report.startswith("# Spec drift: 1 API(s) changed (tiny), 1 could not be checked, tests pass\n")
    assert "- ghost: mirror file ghost.json not found" in report
    assert report.index("## Could not be checked") < report.index("## tiny: Tiny")
    assert read_lock(project.lock_file)["tiny"].spec_version == "1.1"


SOURCES_GHOST = """
[ghost]
title = "Ghost"
url = "https://ghost.example/spec.json"
auth = "none"
accept = "application/json"
mirror = "ghost.json"
format = "json"
generator = "openapi-python-client"
package = "dbcloud_ghost_client"
"""


def test_without_report_the_report_alone_goes_to_stdout(
    project: Project, mirror: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pinned(project, mirror)
    capsys.readouterr()
    assert main(["--mirror", str(mirror)], project=project) == 0
    captured = capsys.readouterr()
    assert captured.out == "# Spec drift: nothing changed\n\nEvery vendor spec matches specs/lock.json.\n"
    assert captured.err == "tiny: unchanged\n"


def test_a_crash_never_exits_1_which_would_read_as_changed_and_passing(
    project: Project,
    mirror: Path,
    tmp_path: Path,
    stub: Stub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import dbcloud_codegen.drift as drift_module

    pinned(project, mirror)
    write_spec(mirror, evolved_spec())

    def generator_crash(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("the generator died")

    monkeypatch.setattr(drift_module, "regenerate", generator_crash)
    status, report, summary = drift(project, mirror, tmp_path, "--test-command", stub.command())
    assert status == 2
    assert summary["regeneration"] == "failed"
    assert "RuntimeError: the generator died" in report
    assert not stub.ran

    def checker_crash(*_args: object, **_kwargs: object) -> None:
        raise KeyError("lock")

    monkeypatch.setattr(drift_module, "_check", checker_crash)
    capsys.readouterr()
    assert main(["--mirror", str(mirror)], project=project) == 3
    assert capsys.readouterr().err == "spec_drift: unexpected error: KeyError: 'lock'\n"
