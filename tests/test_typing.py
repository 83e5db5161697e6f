"""The public API type-checks as users write it: `mypy --strict` over the README's Python and the
scripts in tests/typing/ (see its README): no casts or asserts needed, and a misspelt keyword or a
wrong type is a mypy error, not a surprise at run time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbcloud._vendors import vendor_names

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "typing"
EXPECTED = re.compile(r"#\s*mypy-error:\s*([a-z-]+)\s*$")
REPORTED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")

mypy_api = pytest.importorskip("mypy.api")


def readme_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)


def run_mypy(files: list[Path], cache: Path) -> list[tuple[str, int, str]]:
    """(file name, line, error code) of every error mypy --strict reports for `files`."""
    out, err, _ = mypy_api.run(
        [
            "--strict",
            "--config-file",
            str(SCRIPTS / "mypy.ini"),
            "--cache-dir",
            str(cache),
            "--show-error-codes",
            "--no-error-summary",
            "--no-pretty",
            *map(str, files),
        ]
    )
    assert not err.strip(), err
    errors = []
    for line in out.splitlines():
        found = REPORTED.match(line)
        if found:
            errors.append((Path(found["file"]).name, int(found["line"]), found["code"]))
        elif line.strip() and ": note:" not in line:
            pytest.fail(f"unexpected mypy output: {line}")
    return errors


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("typing")
    files = []
    for number, block in enumerate(readme_blocks(), start=1):
        path = work / f"readme_block_{number}.py"
        path.write_text(block, encoding="utf-8")
        files.append(path)
    scripts = sorted(SCRIPTS.glob("*.py"))
    files += scripts
    return {"errors": run_mypy(files, ROOT / ".mypy_cache" / "typing"), "scripts": scripts}


def test_the_readme_has_python_to_check() -> None:
    assert len(readme_blocks()) >= 2


def test_every_readme_python_block_passes_mypy_strict(checked: dict[str, object]) -> None:
    errors = [e for e in checked["errors"] if e[0].startswith("readme_block_")]  # type: ignore[attr-defined]
    assert errors == []


def test_every_script_gets_exactly_the_errors_it_marks(checked: dict[str, object]) -> None:
    scripts: list[Path] = checked["scripts"]  # type: ignore[assignment]
    assert scripts, "tests/typing/ holds the scripts"
    expected = {
        (path.name, number, found[1])
        for path in scripts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if (found := EXPECTED.search(line))
    }
    reported = {e for e in checked["errors"] if not e[0].startswith("readme_block_")}  # type: ignore[attr-defined]
    assert sorted(reported - expected) == [], "errors where none is expected"
    assert sorted(expected - reported) == [], "expected errors mypy did not report"


def test_every_vendor_has_a_clean_script_and_a_misspelt_one(checked: dict[str, object]) -> None:
    names = {path.name for path in checked["scripts"]}  # type: ignore[attr-defined]
    for vendor in vendor_names():
        assert f"{vendor}_list_then_act.py" in names
        assert f"{vendor}_misspelt.py" in names
