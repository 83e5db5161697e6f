"""What users get from PyPI: LICENSE, metadata and every package in the sdist and wheel.

CI builds the real archives and installs the wheel (scripts/check_wheel.py, from .ci/run); here
the checks it runs are held to archives written on the spot from the tree's own file list, so a
check that stopped noticing a missing LICENSE, py.typed or generated package fails here first.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from check_wheel import (
    IMPORT_EVERY_MODULE,
    expected_sdist_files,
    expected_wheel_files,
    sdist_problems,
    wheel_problems,
)

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DIST_INFO = "dbcloud-0.1.0.dist-info"
GENERATED = sorted(path.name for path in (ROOT / "generated").iterdir() if (path / "__init__.py").is_file())


def metadata(
    *, classifiers: Iterable[str] | None = None, license_file: bool = True, description: str | None = None
) -> str:
    """Core metadata as the build writes it from pyproject.toml, with the given parts changed."""
    lines = ["Metadata-Version: 2.4", "Name: dbcloud", "Version: 0.1.0"]
    lines.append(f"License-Expression: {PROJECT['license']}")
    lines += ["License-File: LICENSE"] if license_file else []
    lines += [f"Classifier: {c}" for c in (PROJECT["classifiers"] if classifiers is None else classifiers)]
    lines += [f"Requires-Python: {PROJECT['requires-python']}", "Provides-Extra: emulator"]
    lines += ["Description-Content-Type: text/markdown"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return "\n".join(lines) + "\n\n" + (readme if description is None else description)


def write_wheel(
    path: Path,
    *,
    drop: Iterable[str] = (),
    add: Iterable[str] = (),
    meta: str | None = None,
    license_text: bytes | None = None,
) -> Path:
    files = (expected_wheel_files(ROOT) - set(drop)) | set(add)
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(files):
            archive.writestr(name, "")
        archive.writestr(f"{DIST_INFO}/METADATA", metadata() if meta is None else meta)
        archive.writestr(f"{DIST_INFO}/entry_points.txt", "[console_scripts]\ndbcloud = dbcloud.cli:main\n")
        if license_text != b"":
            license_bytes = (ROOT / "LICENSE").read_bytes() if license_text is None else license_text
            archive.writestr(f"{DIST_INFO}/licenses/LICENSE", license_bytes)
    return path


def write_sdist(path: Path, *, drop: Iterable[str] = (), add: Iterable[str] = ()) -> Path:
    files = (expected_sdist_files(ROOT) - set(drop)) | set(add)
    with tarfile.open(path, "w:gz") as archive:
        for name in sorted(files):
            if name == "PKG-INFO":
                data = metadata().encode()
            elif name == "LICENSE":
                data = (ROOT / "LICENSE").read_bytes()
            else:
                data = b""
            member = tarfile.TarInfo(f"dbcloud-0.1.0/{name}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


@pytest.fixture
def wheel_path(tmp_path: Path) -> Path:
    return tmp_path / "dbcloud-0.1.0-py3-none-any.whl"


def test_a_wheel_with_the_tree_license_and_metadata_passes(wheel_path: Path) -> None:
    assert wheel_problems(write_wheel(wheel_path), ROOT) == []


def test_the_wheel_holds_the_facade_and_every_generated_client_with_py_typed() -> None:
    files = expected_wheel_files(ROOT)
    assert GENERATED == [
        "dbcloud_acm_client",
        "dbcloud_anywhere_client",
        "dbcloud_clickhouse_client",
        "dbcloud_clickstack_oss_client",
        "dbcloud_cockroach_client",
    ]
    for package in ["dbcloud", *GENERATED]:
        assert {f"{package}/__init__.py", f"{package}/py.typed"} <= files
    assert {"dbcloud/cli/__init__.py", "dbcloud/emulator/__init__.py"} <= files
    assert "dbcloud_acm_client/api/environments/get_environments.py" in files
    assert not [name for name in files if "__pycache__" in name or name.startswith(("src/", "generated/"))]


def test_a_wheel_without_license_is_refused(wheel_path: Path) -> None:
    problems = wheel_problems(write_wheel(wheel_path, license_text=b""), ROOT)
    assert problems == [f"{wheel_path.name}: no LICENSE"]


def test_a_wheel_with_another_license_text_is_refused(wheel_path: Path) -> None:
    problems = wheel_problems(write_wheel(wheel_path, license_text=b"MIT License\n"), ROOT)
    assert problems == [f"{wheel_path.name}: its LICENSE differs from the tree's"]


def test_a_generated_client_without_py_typed_is_named(wheel_path: Path) -> None:
    problems = wheel_problems(write_wheel(wheel_path, drop=["dbcloud_cockroach_client/py.typed"]), ROOT)
    assert problems == [
        f"{wheel_path.name} lacks dbcloud_cockroach_client/py.typed",
        f"{wheel_path.name}: dbcloud_cockroach_client has no py.typed, so type checkers ignore its types",
    ]


def test_a_missing_generated_package_is_named(wheel_path: Path) -> None:
    package = [n for n in expected_wheel_files(ROOT) if n.startswith("dbcloud_anywhere_client/")]
    problems = wheel_problems(write_wheel(wheel_path, drop=package), ROOT)
    assert len(problems) == 1
    assert problems[0].startswith(f"{wheel_path.name} lacks dbcloud_anywhere_client/__init__.py, ")
    assert problems[0].endswith(f" and {len(package) - 5} more")


def test_files_that_are_not_in_the_tree_are_named(wheel_path: Path) -> None:
    problems = wheel_problems(write_wheel(wheel_path, add=["tests/__init__.py"]), ROOT)
    assert problems == [
        f"{wheel_path.name} holds files not in the tree: tests/__init__.py",
        f"{wheel_path.name}: tests has no py.typed, so type checkers ignore its types",
    ]


def test_metadata_without_classifiers_license_file_or_install_line_is_refused(wheel_path: Path) -> None:
    meta = metadata(classifiers=[], license_file=False, description="# dbcloud\n\nClone it.\n")
    problems = wheel_problems(write_wheel(wheel_path, meta=meta), ROOT)
    name = wheel_path.name
    assert problems[0] == f"{name}: no License-File: LICENSE in the metadata"
    assert problems[1].startswith(f"{name}: classifiers of pyproject missing from the metadata: ")
    assert problems[2:] == [
        f"{name}: no classifier 'Typing :: Typed'",
        f"{name}: no classifier 'Programming Language :: Python :: 3.11'",
        f"{name}: the description (the PyPI page) never says `pip install dbcloud`",
    ]


def test_an_sdist_with_license_and_the_sources_passes(tmp_path: Path) -> None:
    assert sdist_problems(write_sdist(tmp_path / "dbcloud-0.1.0.tar.gz"), ROOT) == []


def test_an_sdist_without_license_or_with_stray_files_is_refused(tmp_path: Path) -> None:
    sdist = write_sdist(tmp_path / "dbcloud-0.1.0.tar.gz", drop=["LICENSE"], add=["tests/typing/README.md"])
    assert sdist_problems(sdist, ROOT) == [
        "dbcloud-0.1.0.tar.gz: no LICENSE",
        "dbcloud-0.1.0.tar.gz holds files not in the tree: tests/typing/README.md",
    ]


def test_the_license_is_apache_2_0_with_the_dbcloud_authors_as_holder() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="ascii")
    assert text.lstrip().startswith("Apache License\n                           Version 2.0, January 2004")
    assert "END OF TERMS AND CONDITIONS" in text
    assert re.search(r"^   Copyright \d{4} the dbcloud authors$", text, re.M)
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]


def test_the_readme_tells_users_to_pip_install_before_the_clone_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", install, re.S)
    commands = [line for block in blocks for line in block.splitlines()]
    assert commands == ["pip install dbcloud", "pipx install 'dbcloud[emulator]'", "dbcloud demo"]
    assert readme.index("\n## Install\n") < readme.index("\n## Set-up\n")
    # Every extra the README names is one pyproject defines.
    for extra in re.findall(r"dbcloud\[(\w+)\]", install):
        assert extra in PROJECT["optional-dependencies"]


def test_importing_every_module_names_broken_ones_and_leaves_optional_libraries_alone(tmp_path: Path) -> None:
    package = tmp_path / "dbcloud_fake"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text("raise SystemExit('a __main__ must not run')\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "fine.py").write_text("VALUE = 1\n")
    (package / "plugin.py").write_text("import absent_library\n")
    (package / "torn.py").write_text("import dbcloud_fake.lost_part\n")
    (package / "raising.py").write_text("raise RuntimeError('boom')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE, "dbcloud_fake"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert "left alone: dbcloud_fake.plugin (needs absent_library, not a dependency of the wheel)" in lines
    assert "dbcloud_fake.raising: RuntimeError: boom" in lines
    assert "dbcloud_fake.torn: No module named 'dbcloud_fake.lost_part'" in lines
    # Run from a folder beside the environment, every module counts as imported from outside it.
    outside = [line.split(" was imported")[0] for line in lines if line.endswith("outside the environment")]
    outside.sort()
    assert outside == ["dbcloud_fake", "dbcloud_fake.sub", "dbcloud_fake.sub.fine"]
    assert lines[-1] == "imported 3 modules"
