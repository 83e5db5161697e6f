"""Spec drift: fetch every spec, accept the changed ones, regenerate, run the tests, report.

The body of scripts/spec_drift.py, which .github/workflows/spec-drift.yml runs every week. The
report is Markdown meant as a pull request's description: a summary table, then per changed API
its breaking changes (grouped by kind), its additions and its other changes, then what the
regeneration and the tests did.

Exit status, for a workflow to branch on:

    0  every spec matches specs/lock.json; nothing was changed
    1  a spec changed: it was accepted, generated/ was regenerated and the tests passed
    2  a spec changed and was accepted, but the regeneration or the tests failed
    3  error: a spec could not be fetched or read, or the arguments are wrong (changes of the other
       APIs are still accepted and reported, so the report may be worth a pull request too)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .diff import SpecDiff, diff_specs
from .documents import Document, load_openapi, load_sdl
from .errors import PipelineError
from .fetch import fetch, read_cached
from .lock import LockEntry, read_lock
from .project import MIRROR_ENV, Project, mirror_from_env
from .regenerate import regenerate
from .sources import Source, load_sources, select

__all__ = ["EXIT_CHANGED", "EXIT_ERROR", "EXIT_FAILED", "EXIT_UNCHANGED", "DriftRun", "main", "run_drift"]

EXIT_UNCHANGED = 0
EXIT_CHANGED = 1
EXIT_FAILED = 2
EXIT_ERROR = 3

# A pull request's description holds at most 65,536 characters: long lists are cut (to fewer items
# the more there is to say) and the full lists stay in specs/CHANGES.md.
REPORT_LIMIT = 60_000
_LIST_LIMITS = (100, 40, 15, 5, 0)
_OUTPUT_LINES = 40

_BREAKING_GROUPS = (
    ("removed", "Removed or renamed"),
    ("required", "Newly required"),
    ("type", "Type changes"),
    ("other", "Other breaking changes"),
)


# Within "Removed or renamed": what breaks the most callers first.
_REMOVED_ORDER = ("removed operation ", "removed schema ", "removed type ", "removed field ")


def _removal_rank(item: str) -> int:
    ranks = (i for i, prefix in enumerate(_REMOVED_ORDER) if item.startswith(prefix))
    return next(ranks, len(_REMOVED_ORDER))


def breaking_kind(item: str) -> str:
    """Which group of the report a breaking-change line of `SpecDiff.breaking` belongs to."""
    if item.startswith("removed "):
        return "removed"  # operations, schemas, types, fields, enum values (a rename removes one)
    if item.startswith(("type of ", "kind of type ")):
        return "type"
    if "required" in item or item.startswith("new non-null "):
        return "required"
    return "other"


@dataclass
class ApiChange:
    """One API whose spec differs from its lock entry, after the new spec was accepted."""

    source: Source
    before: LockEntry | None
    after: LockEntry
    diff: SpecDiff | None
    note: str = ""  # why there is no diff


@dataclass
class DriftRun:
    """What one drift run found and did."""

    changes: list[ApiChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    regeneration: str = "not run"  # "not run" | "done" | "failed"
    regeneration_output: list[str] = field(default_factory=list)
    tests: str = "not run"  # "not run" | "passed" | "failed"
    test_command: list[str] = field(default_factory=list)
    test_status: int | None = None
    test_output: str = ""

    @property
    def status(self) -> int:
        if self.errors:
            return EXIT_ERROR
        if not self.changes:
            return EXIT_UNCHANGED
        if self.regeneration == "failed" or self.tests == "failed":
            return EXIT_FAILED
        return EXIT_CHANGED

    @property
    def breaking(self) -> int:
        return sum(len(change.diff.breaking) for change in self.changes if change.diff)

    def summary(self) -> dict[str, object]:
        """Plain data for a workflow: the exit status, what changed and how the checks went."""
        return {
            "status": self.status,
            "changed": [change.source.api for change in self.changes],
            "breaking": self.breaking,
            "regeneration": self.regeneration,
            "tests": self.tests,
            "errors": list(self.errors),
        }


def default_test_command() -> list[str]:
    """The project's own test suite, run with the interpreter running this script."""
    return [sys.executable, "-m", "pytest", "-q"]


def run_drift(
    project: Project,
    apis: Sequence[str] = (),
    *,
    mirror: Path | None = None,
    test_command: Sequence[str] | None = None,
    out: Callable[[str], None] = print,
) -> DriftRun:
    """Fetch, accept what changed, regenerate the changed APIs and run the tests once."""
    run = DriftRun()
    try:
        sources = select(load_sources(project.sources_file), apis)
    except PipelineError as exc:
        run.errors.append(str(exc))
        out(f"error: {exc}")
        return run
    for source in sources:
        try:
            change = _check(project, source, mirror)
        except PipelineError as exc:
            run.errors.append(str(exc))
            out(f"error: {exc}")
            continue
        if change is None:
            out(f"{source.api}: unchanged")
        else:
            run.changes.append(change)
            out(f"{source.api}: changed, accepted into specs/lock.json")
    if not run.changes:
        return run
    try:
        regenerate(
            project,
            [change.source.api for change in run.changes],
            mirror=mirror,
            out=run.regeneration_output.append,
        )
    except Exception as exc:  # any failure of the generators is reported, not raised
        run.regeneration = "failed"
        message = str(exc) if isinstance(exc, PipelineError) else f"{type(exc).__name__}: {exc}"
        run.regeneration_output.append(message)
        out(f"regeneration failed: {message}")
        return run
    run.regeneration = "done"
    out("regenerated " + ", ".join(change.source.api for change in run.changes))
    command = list(test_command) if test_command is not None else default_test_command()
    run.test_command = command
    run.test_status, run.test_output = _run_tests(project, command, sources)
    run.tests = "passed" if run.test_status == 0 else "failed"
    out(f"tests {run.tests} (exit status {run.test_status})")
    return run


def _check(project: Project, source: Source, mirror: Path | None) -> ApiChange | None:
    """Fetch one spec; when it differs from the lock, accept it and diff it against the old one."""
    before = read_lock(project.lock_file).get(source.api)
    old_raw = read_cached(project, source)
    if before is None or old_raw is None or hashlib.sha256(old_raw).hexdigest() != before.sha256:
        old_raw = None
    outcome = fetch(project, source, mirror=mirror, update=True)
    if outcome.status == "unchanged":
        return None
    if before is None:
        note = "first pinned: there is no earlier spec to compare"
        return ApiChange(source, None, outcome.entry, None, note)
    if old_raw is None:
        note = "the previous spec was not in specs/.cache/raw/, so no comparison was made"
        return ApiChange(source, before, outcome.entry, None, note)
    new_raw = read_cached(project, source) or b""
    old_doc, new_doc = _parse(source, old_raw), _parse(source, new_raw)
    if isinstance(old_doc, str) != isinstance(new_doc, str):
        note = "the spec changed format; no comparison was made"
        return ApiChange(source, before, outcome.entry, None, note)
    return ApiChange(source, before, outcome.entry, diff_specs(old_doc, new_doc))


def _parse(source: Source, data: bytes) -> Document | str:
    origin = f"specs/.cache/raw/{source.cache_name}"
    return load_sdl(data, origin) if source.is_graphql else load_openapi(data, origin, source.format)


def _run_tests(project: Project, command: list[str], sources: list[Source]) -> tuple[int, str]:
    # The tests need no vendor credential: keep the fetch tokens out of their environment.
    env = dict(os.environ)
    for source in sources:
        if source.auth_header:
            env.pop(source.auth_header[1], None)
    try:
        result = subprocess.run(
            command,
            cwd=project.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    except OSError as exc:
        return 127, f"cannot run {shlex.join(command)}: {exc}"
    return result.returncode, result.stdout


# --- the report ---------------------------------------------------------------------------------


def format_report(run: DriftRun) -> str:
    """The Markdown report: the outcome, a table of the changed APIs, then each API in detail.

    Lists are cut to 100 items each, or fewer when the report would not fit a pull request's
    description (REPORT_LIMIT characters).
    """
    for limit in _LIST_LIMITS:
        report = _format_report(run, limit)
        if len(report) <= REPORT_LIMIT:
            break
    return report


def _format_report(run: DriftRun, limit: int) -> str:
    if not run.changes and not run.errors:
        return "# Spec drift: nothing changed\n\nEvery vendor spec matches specs/lock.json.\n"
    lines = [f"# Spec drift: {_outcome_title(run)}", ""]
    if run.changes:
        lines += [
            "| API | version | breaking | added | removed | changed |",
            "|---|---|---|---|---|---|",
            *(_summary_row(change) for change in run.changes),
            "",
            f"Regeneration: **{run.regeneration}**. Tests: **{run.tests}**.",
            "",
        ]
    if run.errors:
        lines += ["## Could not be checked", ""]
        lines += [f"- {_md(error)}" for error in run.errors]
        lines.append("")
    for change in run.changes:
        lines += _api_section(change, limit)
    if run.changes:
        lines += _checks_section(run)
    return "\n".join(lines).rstrip("\n") + "\n"


def _outcome_title(run: DriftRun) -> str:
    changed = ", ".join(change.source.api for change in run.changes)
    if not run.changes:
        return f"{len(run.errors)} spec(s) could not be checked"
    title = f"{len(run.changes)} API(s) changed ({changed})"
    if run.errors:
        title += f", {len(run.errors)} could not be checked"
    if run.regeneration == "failed":
        return f"{title}, regeneration FAILED"
    if run.tests == "failed":
        return f"{title}, tests FAILING"
    return f"{title}, tests pass"


def _summary_row(change: ApiChange) -> str:
    version = f"{change.before.spec_version if change.before else '-'} → {change.after.spec_version}"
    diff = change.diff
    if diff is None:
        return f"| {change.source.api} | {version} | ? | ? | ? | ? |"
    added = len(diff.operations_added) + len(diff.schemas_added)
    removed = len(diff.operations_removed) + len(diff.schemas_removed)
    changed = len(diff.operations_changed) + len(diff.schemas_changed)
    return f"| {change.source.api} | {version} | {len(diff.breaking)} | {added} | {removed} | {changed} |"


def _api_section(change: ApiChange, limit: int) -> list[str]:
    source, after = change.source, change.after
    was = f"sha256 {change.before.sha256[:12]}…, " if change.before else ""
    lines = [
        f"## {source.api}: {source.title}",
        "",
        f"{was}now sha256 {after.sha256[:12]}… ({after.bytes} bytes, version {after.spec_version}, "
        f"from {after.source}).",
        "",
    ]
    diff = change.diff
    if diff is None:
        return [*lines, change.note[:1].upper() + change.note[1:] + ".", ""]
    lines += [f"### Breaking changes ({len(diff.breaking)})", ""]
    if not diff.breaking:
        lines += ["None.", ""]
    for kind, heading in _BREAKING_GROUPS:
        items = [item for item in diff.breaking if breaking_kind(item) == kind]
        if kind == "removed":
            items.sort(key=_removal_rank)  # stable: each rank keeps the diff's sorted order
        if items:
            lines += [f"#### {heading} ({len(items)})", "", *_bullets(items, limit, escape=True), ""]
    additions = [("Operations added", diff.operations_added), ("Schemas added", diff.schemas_added)]
    lines += [f"### Additions ({sum(len(items) for _, items in additions)})", ""]
    if not diff.operations_added and not diff.schemas_added:
        lines += ["None.", ""]
    for heading, items in additions:
        if items:
            lines += [f"#### {heading} ({len(items)})", "", *_bullets(items, limit), ""]
    # Removals are all listed as breaking above; what is left is what changed in place.
    others = [
        ("Operations changed", diff.operations_changed),
        ("Schemas changed", diff.schemas_changed),
    ]
    if any(items for _, items in others):
        lines += ["### Changed in place", ""]
        for heading, items in others:
            if items:
                lines += [
                    f"<details><summary>{heading} ({len(items)})</summary>",
                    "",
                    *_bullets(items, limit),
                    "",
                    "</details>",
                    "",
                ]
    return lines


def _checks_section(run: DriftRun) -> list[str]:
    lines = ["## Regeneration and tests", ""]
    if run.regeneration == "failed":
        return [
            *lines,
            "Regeneration **failed**; generated/ was left as it was and the tests were not run:",
            "",
            *_fenced(run.regeneration_output),
            "",
        ]
    lines += ["Regenerated:", "", *_fenced(run.regeneration_output), ""]
    verdict = "passed" if run.tests == "passed" else f"**failed** (exit status {run.test_status})"
    lines += [f"Tests {verdict}: `{shlex.join(run.test_command)}`", ""]
    tail = run.test_output.rstrip("\n").splitlines()[-_OUTPUT_LINES:]
    if tail:
        lines += [
            f"<details><summary>Last {len(tail)} line(s) of the test output</summary>",
            "",
            *_fenced(tail),
            "",
            "</details>",
            "",
        ]
    return lines


def _bullets(items: list[str], limit: int, *, escape: bool = False) -> list[str]:
    shown = [f"- {_md(item)}" if escape else f"- `{item}`" for item in items[:limit]]
    if len(items) > limit:
        shown.append(f"- … and {len(items) - limit} more (specs/CHANGES.md lists them all)")
    return shown


def _fenced(lines: list[str]) -> list[str]:
    body = [line.replace("```", "`\u200b``") for line in lines]
    return ["```", *body, "```"]


def _md(text: str) -> str:
    return "".join(f"\\{char}" if char in "\\`*_[]<>|" else char for char in text)


# --- command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None, project: Project | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="spec_drift.py",
        description=(
            "Fetch every vendor spec; accept the changed ones, regenerate them, run the tests and "
            "write a Markdown change report. Exit status: 0 nothing changed, 1 changed and the tests "
            "pass, 2 changed and the regeneration or the tests fail, 3 error."
        ),
    )
    parser.add_argument("apis", nargs="*", metavar="API", help="APIs to check (default: all)")
    parser.add_argument(
        "--mirror", type=Path, help=f"read specs from this directory (default: ${MIRROR_ENV}, else live)"
    )
    parser.add_argument("--report", type=Path, help="write the Markdown report to this file")
    parser.add_argument("--summary", type=Path, help="write a JSON summary (status, changed APIs) here")
    parser.add_argument(
        "--test-command",
        metavar="COMMAND",
        help="the tests to run after regenerating (default: python -m pytest -q, in the project root)",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_UNCHANGED if exc.code == 0 else EXIT_ERROR
    try:
        command = shlex.split(args.test_command) if args.test_command is not None else None
    except ValueError as exc:
        print(f"spec_drift: --test-command: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if command == []:
        print("spec_drift: --test-command is empty", file=sys.stderr)
        return EXIT_ERROR
    try:
        run = run_drift(
            project or Project.default(),
            args.apis,
            mirror=args.mirror or mirror_from_env(),
            test_command=command,
            # Progress goes to stderr, so that without --report stdout holds the report alone.
            out=lambda line: print(line, file=sys.stderr),
        )
    except Exception as exc:  # a traceback would exit 1, which means "changed, tests pass"
        print(f"spec_drift: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    report = format_report(run)
    try:
        if args.report:
            args.report.parent.mkdir(parents=True, exist_ok=True)
            args.report.write_text(report, encoding="utf-8")
        else:
            sys.stdout.write(report)
        if args.summary:
            args.summary.write_text(json.dumps(run.summary(), indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"spec_drift: cannot write the report: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return run.status
