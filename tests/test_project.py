"""House rules that a change could quietly break."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", setup, re.S)]


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_no_vendor_spec_is_committed(shared_specs: Path) -> None:
    vendor = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path.name
        for path in shared_specs.iterdir()
        if path.suffix in {".json", ".yaml", ".graphql"}
    }
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    copies = [
        f"{name} = {vendor[digest]}"
        for name in listed
        if (ROOT / name).is_file()
        and (digest := hashlib.sha256((ROOT / name).read_bytes()).hexdigest()) in vendor
    ]
    assert copies == []


def test_the_spec_cache_is_ignored_by_git() -> None:
    result = subprocess.run(["git", "check-ignore", "-q", "specs/.cache/raw/acm.json"], cwd=ROOT, check=False)
    assert result.returncode == 0
