"""Build the sdist and the wheel, check what they carry, and run the wheel as a user would.

    python scripts/check_wheel.py [--dist DIR] [--no-install]

Builds both with `python -m build` (the wheel from the sdist, as pip builds one from PyPI's sdist)
and checks them against the tree: LICENSE, the metadata (license, classifiers, the README as the
PyPI page, the `emulator` extra, the `dbcloud` command), every file of src/dbcloud and of each
generated client (py.typed included) and nothing else. Then it installs the wheel with the emulator
extra into a fresh virtual environment in a temporary directory and, from there (the working
directory outside the checkout, so nothing is imported from it), runs `dbcloud --help`,
`dbcloud --version`, `import dbcloud` and every module of every package, and `dbcloud demo`.

Exit status: 0 when everything passed, 1 when a check failed (each problem is printed), 2 when
the build itself failed.
"""

from __future__ import annotations

import argparse
import configparser
import email.message
import email.parser
import os
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

__all__ = [
    "IMPORT_EVERY_MODULE",
    "ROOT",
    "expected_sdist_files",
    "expected_wheel_files",
    "main",
    "metadata_problems",
    "sdist_problems",
    "wheel_problems",
]

ROOT = Path(__file__).resolve().parents[1]
DEMO_SPEED = "3000"
# Files the build adds to the sdist beside the ones its `include` names (pyproject.toml is one too).
SDIST_ADDED = frozenset({"PKG-INFO", ".gitignore"})

# Run inside the fresh environment: imports every module of the given top-level packages and
# prints one line per failure. A module that needs a library the wheel does not depend on (a
# pytest plugin needs pytest) is left alone; one that needs a missing part of the wheel fails.
IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
tops = sys.argv[1:]
failures, count = [], 0
def load(name):
    global count
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] in tops:
            failures.append(f"{name}: {exc}")
        else:
            print(f"left alone: {name} (needs {exc.name}, not a dependency of the wheel)")
        return None
    except Exception as exc:
        failures.append(f"{name}: {type(exc).__name__}: {exc}")
        return None
    count += 1
    if not (getattr(module, "__file__", None) or "").startswith(sys.prefix):
        failures.append(f"{name} was imported from {module.__file__}, outside the environment")
    return module
for top in tops:
    package = load(top)
    if package is None:
        continue
    for info in pkgutil.walk_packages(package.__path__, top + ".", onerror=lambda name: None):
        if info.name.rpartition(".")[2] != "__main__":
            load(info.name)
for failure in failures:
    print(failure)
print(f"imported {count} modules")
sys.exit(1 if failures else 0)
"""


def _tree_files(root: Path) -> list[str]:
    """The checkout's files as git sees them: tracked or new, without the ignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted(name for name in listed if (root / name).is_file())


def expected_wheel_files(root: Path) -> set[str]:
    """The wheel's paths outside .dist-info: src/dbcloud as `dbcloud`, each generated client at the top."""
    expected = set()
    for name in _tree_files(root):
        if name.startswith("src/dbcloud/"):
            expected.add(name.removeprefix("src/"))
        elif name.startswith("generated/"):
            expected.add(name.removeprefix("generated/"))
    return expected


def expected_sdist_files(root: Path) -> set[str]:
    """The sdist's paths under its top folder: the tree's files under each path its `include` names.

    The entries are read as paths from the root (files or folders), which is how pyproject writes
    them: a bare name would match at any depth, so a pattern that lost its "/" shows up as strays.
    """
    with (root / "pyproject.toml").open("rb") as file:
        include: list[str] = tomllib.load(file)["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    paths = [entry.strip("/") for entry in include]
    return {
        name
        for name in _tree_files(root)
        if name == "pyproject.toml" or any(name == path or name.startswith(f"{path}/") for path in paths)
    } | SDIST_ADDED


def _project(root: Path) -> dict[str, object]:
    with (root / "pyproject.toml").open("rb") as file:
        project: dict[str, object] = tomllib.load(file)["project"]
    return project


def metadata_problems(metadata: email.message.Message, root: Path, where: str) -> list[str]:
    """What the core metadata (a wheel's METADATA, an sdist's PKG-INFO) lacks that users see on PyPI."""
    project = _project(root)
    problems = []
    if metadata.get("License-Expression") != project["license"]:
        problems.append(
            f"{where}: License-Expression is {metadata.get('License-Expression')!r}, "
            f"pyproject says {project['license']!r}"
        )
    if "LICENSE" not in (metadata.get_all("License-File") or []):
        problems.append(f"{where}: no License-File: LICENSE in the metadata")
    classifiers = set(metadata.get_all("Classifier") or [])
    declared = project.get("classifiers")
    missing = sorted(set(declared) - classifiers) if isinstance(declared, list) else []
    if missing:
        problems.append(f"{where}: classifiers of pyproject missing from the metadata: {', '.join(missing)}")
    # The oldest Python it installs on is one it claims (requires-python is ">=3.X").
    floor = f"Programming Language :: Python :: {str(project['requires-python']).removeprefix('>=')}"
    for wanted in ("Typing :: Typed", floor):
        if wanted not in classifiers:
            problems.append(f"{where}: no classifier {wanted!r}")
    if "emulator" not in (metadata.get_all("Provides-Extra") or []):
        problems.append(f"{where}: no 'emulator' extra")
    if metadata.get("Description-Content-Type") != "text/markdown":
        problems.append(f"{where}: the description is not marked text/markdown, PyPI would show it as text")
    description = str(metadata.get_payload())
    if "pip install dbcloud" not in description:
        problems.append(f"{where}: the description (the PyPI page) never says `pip install dbcloud`")
    return problems


def _parse_metadata(data: bytes) -> email.message.Message:
    return email.parser.BytesParser().parsebytes(data)


def _listing_problems(where: str, present: set[str], expected: set[str]) -> list[str]:
    problems = []
    for label, names in (("lacks", expected - present), ("holds files not in the tree:", present - expected)):
        if names:
            more = f" and {len(names) - 5} more" if len(names) > 5 else ""
            problems.append(f"{where} {label} {', '.join(sorted(names)[:5])}{more}")
    return problems


def _license_problem(where: str, data: bytes | None, root: Path) -> list[str]:
    if data is None:
        return [f"{where}: no LICENSE"]
    if data != (root / "LICENSE").read_bytes():
        return [f"{where}: its LICENSE differs from the tree's"]
    return []


def wheel_problems(wheel: Path, root: Path) -> list[str]:
    """Everything a user would miss in the wheel: LICENSE, metadata, files, py.typed, the command."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = next((n.partition("/")[0] for n in names if n.endswith(".dist-info/METADATA")), None)
        if dist_info is None:
            return [f"{wheel.name}: no .dist-info/METADATA"]

        def read(name: str) -> bytes | None:
            return archive.read(name) if name in names else None

        metadata = _parse_metadata(read(f"{dist_info}/METADATA") or b"")
        problems = _license_problem(wheel.name, read(f"{dist_info}/licenses/LICENSE"), root)
        problems += metadata_problems(metadata, root, wheel.name)
        entry_points = configparser.ConfigParser()
        entry_points.read_string((read(f"{dist_info}/entry_points.txt") or b"").decode())
        if entry_points.get("console_scripts", "dbcloud", fallback=None) != "dbcloud.cli:main":
            problems.append(f"{wheel.name}: no `dbcloud` command (dbcloud = dbcloud.cli:main)")
    files = {name for name in names if not name.startswith(f"{dist_info}/")}
    problems += _listing_problems(wheel.name, files, expected_wheel_files(root))
    tops = sorted({name.partition("/")[0] for name in files if "/" in name})
    for top in tops:
        if f"{top}/py.typed" not in files:
            problems.append(f"{wheel.name}: {top} has no py.typed, so type checkers ignore its types")
    return problems


def sdist_problems(sdist: Path, root: Path) -> list[str]:
    """What the sdist lacks or holds astray: LICENSE, metadata, the files the wheel is built from."""
    with tarfile.open(sdist) as archive:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        top = next(iter(members), "").partition("/")[0]

        def read(name: str) -> bytes | None:
            member = members.get(f"{top}/{name}")
            extracted = archive.extractfile(member) if member is not None else None
            return extracted.read() if extracted is not None else None

        problems = _license_problem(sdist.name, read("LICENSE"), root)
        problems += metadata_problems(_parse_metadata(read("PKG-INFO") or b""), root, sdist.name)
    # LICENSE is left out of the listing: its absence is reported above.
    files = {name.removeprefix(f"{top}/") for name in members} - {"LICENSE"}
    return problems + _listing_problems(sdist.name, files, expected_sdist_files(root) - {"LICENSE"})


def _build(root: Path, out: Path) -> tuple[Path, Path]:
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(root)], check=True)
    sdists, wheels = sorted(out.glob("dbcloud-*.tar.gz")), sorted(out.glob("dbcloud-*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        raise RuntimeError(f"expected one sdist and one wheel in {out}, found {sdists + wheels}")
    return sdists[0], wheels[0]


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    # A demo that hangs must fail CI rather than stall it.
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired:
        return -1, "timed out after 600 s"
    return done.returncode, done.stdout + done.stderr


def _user_problems(wheel: Path, work: Path) -> list[str]:
    """Installs the wheel with the emulator extra into a fresh venv under `work`, and runs it there."""
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    python, dbcloud = str(bin_dir / "python"), str(bin_dir / "dbcloud")
    code, output = _run([python, "-m", "pip", "install", "-q", f"{wheel}[emulator]"], work, env)
    if code != 0:
        return [f"pip install {wheel.name}[emulator] exited {code}:\n{output}"]
    print(f"check_wheel: installed {wheel.name}[emulator] into a fresh venv at {venv}")
    with zipfile.ZipFile(wheel) as archive:
        tops = sorted({n.partition("/")[0] for n in archive.namelist() if "/" in n})
    tops = [top for top in tops if not top.endswith(".dist-info")]
    version = wheel.name.split("-")[1]
    print_version, import_all = "import dbcloud; print(dbcloud.__version__)", IMPORT_EVERY_MODULE
    # (what a user types, the command, a text its output must hold, whether to show the output)
    checks = [
        ("dbcloud --help", [dbcloud, "--help"], "usage: dbcloud", False),
        ("dbcloud --version", [dbcloud, "--version"], version, False),
        ('python -c "import dbcloud"', [python, "-c", print_version], version, False),
        (f"import every module of {', '.join(tops)}", [python, "-c", import_all, *tops], "imported ", True),
        (f"dbcloud demo --speed {DEMO_SPEED}", [dbcloud, "demo", "--speed", DEMO_SPEED], "", False),
    ]
    problems = []
    for shown, command, wanted, echo in checks:
        code, output = _run(command, work, env)
        if code != 0 or wanted not in output:
            problems.append(f"`{shown}` exited {code}, expected {wanted!r} in its output:\n{output}")
            continue
        print(f"check_wheel: ok: {shown}")
        for line in output.splitlines() if echo else []:
            print(f"    {line}")
    return problems


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="check_wheel", description="Check the sdist and wheel users get.")
    parser.add_argument("--dist", type=Path, help="build into this folder and keep the files (default: temp)")
    parser.add_argument(
        "--no-install", action="store_true", help="check the archives only, without installing the wheel"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Build, check and run the distributions; return the exit status."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dbcloud-wheel-") as temp:
        work = Path(temp)
        out = args.dist.resolve() if args.dist else work / "dist"
        try:
            sdist, wheel = _build(ROOT, out)
        except (subprocess.CalledProcessError, RuntimeError) as exc:
            print(f"check_wheel: the build failed: {exc}", file=sys.stderr)
            return 2
        print(f"check_wheel: built {sdist.name} and {wheel.name} in {out}")
        problems = sdist_problems(sdist, ROOT) + wheel_problems(wheel, ROOT)
        if not problems:
            print("check_wheel: ok: LICENSE, metadata and every file of the tree in both")
            if not args.no_install:
                problems = _user_problems(wheel, work)
    for problem in problems:
        print(f"check_wheel: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("check_wheel: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
