"""The command table matches the facades; completion scripts follow it; the demo runs every lifecycle."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import shutil
import subprocess
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import pytest

import dbcloud
from dbcloud._vendors import vendor_names
from dbcloud.cli._commands import all_apis
from dbcloud.cli._completion import script, table
from dbcloud.cli._parser import build_parser

from .conftest import Runner, assert_no_secrets

_UUID = "11111111-1111-4111-8111-111111111111"


def _client(api: str) -> Any:
    # Offline clients: building one sends nothing.
    url = "https://example.invalid"
    return {
        "acm": lambda: dbcloud.Altinity(token="t", base_url=url),
        "anywhere": lambda: dbcloud.AltinityAnywhere(token="t", base_url=url),
        "clickhouse": lambda: dbcloud.ClickHouseCloud(key_id="k", key_secret="s", org_id=_UUID, base_url=url),
        "clickstack": lambda: dbcloud.ClickStack(endpoint=url, api_key="k"),
        "cockroach": lambda: dbcloud.CockroachCloud(api_key="k", base_url=url),
    }[api]()


def test_every_verb_names_a_facade_method_and_parses() -> None:
    for api in all_apis():
        client = _client(api.name)
        parser = build_parser(api.name)
        for resource in api.resources:
            target = getattr(client, resource.attribute)
            for verb in resource.verbs:
                if verb.run is None:
                    assert callable(getattr(target, verb.attribute, None)), (
                        api.name,
                        resource.name,
                        verb.name,
                    )
                with pytest.raises(SystemExit) as shown:
                    parser.parse_args([api.name, resource.name, verb.name, "--help"])
                assert shown.value.code == 0


def _complete(shell_script: str, line: str) -> list[str]:
    words = line.split(" ")
    program = (
        f"{shell_script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n_dbcloud\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion() -> None:
    bash = script("bash")
    assert {*vendor_names(), "raw", "demo"} <= set(_complete(bash, "dbcloud "))
    assert _complete(bash, "dbcloud cl") == ["clickhouse", "clickstack"]
    assert _complete(bash, "dbcloud acm cl") == ["clusters"]
    assert _complete(bash, "dbcloud -o json acm ") == [
        "environments",
        "clusters",
        "node-types",
        "settings",
        "backups",
        "database-users",
        "zookeepers",
        "keys",
    ]
    assert set(_complete(bash, "dbcloud acm clusters ")) == {
        "list",
        "get",
        "get-by-name",
        "status",
        "launch",
        "delete",
        "update",
        "rescale",
        "upgrade",
        "restart",
        "stop",
        "resume",
        "query",
        "wait",
    }
    assert "--node-type" in _complete(bash, "dbcloud acm clusters launch --environment 176 --no")
    assert _complete(bash, "dbcloud clickhouse services create --provider ") == ["aws", "gcp", "azure"]
    assert _complete(bash, "dbcloud acm environments list -o ") == ["table", "json", "yaml"]
    assert _complete(bash, "dbcloud completion ") == ["bash", "zsh", "fish"]


def test_completion_covers_every_verb_and_each_shell_gets_a_script() -> None:
    paths = dict(table()[0])
    for api in all_apis():
        for resource in api.resources:
            assert [v.name for v in resource.verbs] == paths[f"{api.name} {resource.name}"]
    fish, zsh = script("fish"), script("zsh")
    assert "complete -c dbcloud" in fish
    assert "'acm clusters launch'*'|'*" in fish
    assert "bashcompinit" in zsh
    assert "complete -F _dbcloud dbcloud" in zsh
    for shell, text in (("fish", fish), ("zsh", zsh)):
        if shutil.which(shell):
            subprocess.run([shell, "-n", "-c" if shell == "zsh" else "--no-execute", text], check=True)


def test_completion_command_prints_the_script(cli: Runner) -> None:
    result = cli("completion", "bash")
    assert result.code == 0
    assert result.out == script("bash")


def test_demo_runs_every_lifecycle_and_cleans_up(cli: Runner) -> None:
    result = cli("demo", "--speed", "3000")
    assert result.code == 0, result.err
    assert_no_secrets(result.out, result.err)
    summary = result.out.split("Summary", 1)[1]
    apis = (
        "Altinity.Cloud (ACM)",
        "Altinity.Cloud Anywhere",
        "ClickHouse Cloud",
        "CockroachDB Cloud",
        "ClickStack",
    )
    for api in apis:
        row = next(line for line in summary.splitlines() if line.startswith(api))
        assert " ok " in row, row
    assert "launch → online → deleted" in summary
    anywhere = next(line for line in summary.splitlines() if line.startswith("Altinity.Cloud Anywhere"))
    assert "Kubernetes environment dbcloud-demo" in anywhere
    assert "create → revision 1 applied → deleting" in anywhere
    assert "$ dbcloud anywhere k8s create dbcloud-demo --file " in result.out
    assert "$ dbcloud anywhere k8s delete dbcloud-demo" in result.out
    assert "All 5 lifecycles done" in result.out
    assert "create → CREATED → deleted" in summary
    assert "$ dbcloud acm clusters launch --environment 176" in result.out
    assert "--acm-api-key" not in result.out  # the emulator's settings stay out of sight


def test_the_demo_launches_with_a_password_that_looks_like_an_option(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's admin password is random: one in 64 starts with "-", which must not read as an option.
    import dbcloud.cli._demo as demo

    monkeypatch.setattr(demo.secrets, "token_urlsafe", lambda _n: "-looks-like-an-option-1")
    result = cli("demo", "--speed", "3000")
    assert result.code == 0, result.err
    assert "-looks-like-an-option-1" not in result.out + result.err


class _WithoutUvicorn(importlib.abc.MetaPathFinder):
    """Finds no uvicorn, as on an install without the `emulator` extra."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] == "uvicorn":
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@pytest.fixture
def core_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "meta_path", [_WithoutUvicorn(), *sys.meta_path])
    for name in [name for name in sys.modules if name.partition(".")[0] == "uvicorn"]:
        monkeypatch.delitem(sys.modules, name)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (("demo", "--speed", "3000"), "dbcloud demo"),
        (("emulator", "--port", "0"), "dbcloud emulator"),
        (("emulator", "--detach", "--port", "0"), "dbcloud emulator"),
    ],
    ids=["demo", "emulator", "detach"],
)
def test_without_the_emulator_extra_one_line_names_the_install_and_exits_2(
    cli: Runner, core_install: None, argv: tuple[str, ...], command: str
) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"dbcloud: error: `{command}` needs the 'emulator' extra, which is not installed: "
        "pip install 'dbcloud[emulator]'\n"
    )
