"""Output formats: table on a terminal, JSON when piped, YAML on request; colour only where wanted."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from dbcloud import Secret
from dbcloud._secret_names import is_secret_name
from dbcloud.cli._console import Console
from dbcloud.cli._output import render, to_data
from dbcloud.cli._yaml import dump

from .conftest import Runner

ESC = "\x1b["


def test_json_is_the_default_when_piped_and_table_on_a_terminal(cli: Runner) -> None:
    piped = cli("acm", "environments", "list")
    assert json.loads(piped.out)[0]["id"] == 176
    shown = cli("acm", "environments", "list", tty=True)
    header = shown.out.splitlines()[0]
    assert "ID" in header
    assert "NAME" in header
    assert "DOMAIN" in header
    assert "emulated-gke" in shown.out


def test_each_format_says_the_same(cli: Runner) -> None:
    as_json = cli("acm", "environments", "get", "176", "-o", "json").json()
    as_yaml = yaml.safe_load(cli("acm", "environments", "get", "176", "-o", "yaml").out)
    table = cli("acm", "environments", "get", "176", "-o", "table").out
    assert as_json == as_yaml
    assert {line.split()[0]: line.split()[1] for line in table.splitlines()} == {
        k: str(v) for k, v in as_json.items()
    }
    listed = cli("clickhouse", "services", "list", "-o", "yaml").out
    assert yaml.safe_load(listed) == cli("clickhouse", "services", "list").json()


def test_json_output_is_stable(cli: Runner) -> None:
    first, second = (cli("acm", "environments", "list", "-o", "json").out for _ in range(2))
    assert first == second
    assert first.endswith("]\n")


def test_colour_on_a_terminal_unless_no_color(cli: Runner) -> None:
    assert ESC in cli("acm", "environments", "list", tty=True, environ={}).out
    assert ESC not in cli("acm", "environments", "list", tty=True, environ={"NO_COLOR": "1"}).out
    assert ESC not in cli("acm", "environments", "list", "--no-color", tty=True, environ={}).out
    assert ESC not in cli("acm", "environments", "list", "-o", "table", environ={}).out  # not a terminal
    error = cli("acm", "environments", "get", "999", tty=True, environ={"NO_COLOR": "1"})
    assert error.code == 4
    assert ESC not in error.err


def test_table_states_are_coloured(cli: Runner) -> None:
    out = cli("clickhouse", "services", "list", tty=True, environ={}).out
    assert f"{ESC}32mrunning" in out  # green


YAML_CASES: list[Any] = [
    {"a": "yes", "b": "no", "c": "null", "d": "1e3", "e": "2024-01-01", "f": "a: b", "g": "#x", "h": ""},
    {"nested": {"list": [1, 2.5, True, None, "x y"], "empty": {}, "none": []}},
    [{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}],
    [[1, 2], [], [{"a": {"b": [3]}}]],
    {"quote": 'say "hi"', "newline": "a\nb", "tab": "a\tb", "unicode": "Zürich ✓", "colon": "http://x/y"},
    {"- dash": 1, "key with space": "  padded  ", "~": "~", "On": "Off", "123": "0x1F"},
    "plain",
    None,
    [],
]


@pytest.mark.parametrize("data", YAML_CASES, ids=range(len(YAML_CASES)))
def test_yaml_reads_back_as_the_same_data(data: Any) -> None:
    assert yaml.safe_load(dump(data)) == data


def test_secrets_are_masked_in_data() -> None:
    data = to_data(
        {
            "adminPass": "hunter2",
            "keySecret": "s3cr3t",
            "tokenExpiry": "2030-01-01",
            "hasPassword": True,
            "passwordHash": "abc",
            "key": Secret("k"),
            "when": dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        }
    )
    assert data == {
        "adminPass": "********",
        "keySecret": "********",
        "tokenExpiry": "2030-01-01",
        "hasPassword": True,
        "passwordHash": "********",
        "key": "********",
        "when": "2030-01-01T00:00:00+00:00",
    }
    assert not is_secret_name("keyId")
    assert is_secret_name("aws_secret_key")
    assert is_secret_name("pass")


def test_generated_models_hide_their_secret_attributes() -> None:
    from dbcloud_acm_client.models.environment import Environment

    env = Environment.from_dict({"id": 1, "name": "e", "pass": "pw-hidden", "awsSecretKey": "aws-hidden"})
    data = to_data(env)
    assert data["name"] == "e"
    assert "pw-hidden" not in json.dumps(data)
    assert "aws-hidden" not in json.dumps(data)


@dataclass
class _Record:
    name: str
    token: str = field(repr=False)


def test_records_and_empty_results_render() -> None:
    console = Console(environ={})
    assert to_data(_Record("x", "t0k3n")) == {"name": "x", "token": "********"}
    assert render(None, "table", console=console, done="deleted") == "deleted\n"
    assert render(None, "json", console=console) == ""
    assert render([], "table", console=console) == "(none)\n"
    assert render("terraform {}\n", "table", console=console) == "terraform {}\n"
    assert render({"k": [1, 2]}, "table", console=console) == "k  1, 2\n"
