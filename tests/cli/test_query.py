"""`--query EXPR`: JMESPath on the JSON a command would print, in every output format; checked
before anything is sent, and run on the masked data, so it can never show a secret."""

from __future__ import annotations

import io
import json

import pytest

from dbcloud.cli._console import Console
from dbcloud.cli._output import compile_query, render
from dbcloud.emulator import Emulator

from .conftest import Runner, requests

HOOK = "https://ops.example.com/hooks/query-5b2e-secret"
TOKEN = "Bearer query-token-never-shown"


def test_json_prints_the_result_of_the_expression(cli: Runner) -> None:
    names = cli("acm", "environments", "list", "--query", "[].name")
    assert names.code == 0, names.err
    assert names.json() == ["emulated-gke", "emulated-eks"]
    one = cli("acm", "environments", "list", "--query", "[?id==`175`] | [0].{name: name, id: id}")
    assert one.json() == {"name": "emulated-eks", "id": 175}
    # A missing field is JSON's null, so a script can tell it from an empty string.
    assert cli("acm", "environments", "list", "--query", "[0].nothing").out == "null\n"
    # Before the API name works too, as every global option.
    assert cli("--query", "length(@)", "acm", "environments", "list").out == "2\n"


def test_yaml_prints_the_result(cli: Runner) -> None:
    result = cli("acm", "environments", "list", "-o", "yaml", "--query", "[].{env: name}")
    assert result.out == "- env: emulated-gke\n- env: emulated-eks\n"


def test_a_table_of_plain_values_is_one_per_line_for_scripts(cli: Runner) -> None:
    ids = cli("acm", "environments", "list", "-o", "table", "--query", "[].id", tty=True)
    assert ids.out == "176\n175\n"
    name = cli("acm", "environments", "list", "-o", "table", "--query", "[0].name")
    assert name.out == "emulated-gke\n"  # unquoted, as aws-cli's text output
    none = cli("acm", "environments", "list", "-o", "table", "--query", "[?name=='nope'].id")
    assert (none.code, none.out) == (0, "")  # no "(none)" for a loop over $(...) to read as an id
    assert cli("acm", "environments", "list", "-o", "table", "--query", "[0].nothing").out == ""


def test_a_table_of_objects(cli: Runner) -> None:
    reshaped = cli("acm", "environments", "list", "-o", "table", "--query", "[].{env: name, where: domain}")
    assert reshaped.out.splitlines() == [
        "ENV           WHERE",
        "emulated-gke  emu.test",
        "emulated-eks  emu.test",
    ]
    # The command's own records, filtered: its usual table, with its usual columns.
    filtered = cli("acm", "environments", "list", "-o", "table", "--query", "[?id==`176`]")
    assert filtered.out.splitlines() == [
        "ID   NAME          TYPE        DOMAIN",
        "176  emulated-gke  kubernetes  emu.test",
    ]
    record = cli("acm", "environments", "list", "-o", "table", "--query", "[1]")
    assert record.out.splitlines()[:2] == ["id      175", "name    emulated-eks"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[?name=='x'", "Invalid jmespath expression: Incomplete expression"),
        ("foo.", "Parse error at column 4"),
        ("lenght(@)", "unknown function lenght(); did you mean length()?"),
        ("length(@, name)", "length() takes 1 argument, got 2"),
    ],
)
def test_an_invalid_expression_is_a_usage_error_and_sends_nothing(
    cli: Runner, emu: Emulator, expression: str, message: str
) -> None:
    before = requests(emu)
    result = cli("acm", "environments", "list", "--query", expression)
    assert (result.code, result.out) == (2, "")
    assert "error: argument --query: " in result.err
    assert message in result.err
    assert requests(emu) == before


def test_a_query_parameter_given_to_query_is_not_repeated(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    result = cli("raw", "acm", "GET", "/login", "--query", "password=hunter2-secret")
    assert result.code == 2
    assert "KEY=VALUE is not a JMESPath expression" in result.err
    assert "--param KEY=VALUE" in result.err
    assert "hunter2-secret" not in result.err + result.out
    assert requests(emu) == before


def test_an_expression_that_does_not_fit_the_data_is_a_usage_error(cli: Runner) -> None:
    result = cli("acm", "environments", "list", "--query", "abs([0].name)")
    assert (result.code, result.out) == (2, "")
    assert "dbcloud: error: --query 'abs([0].name)': In function abs(), invalid type for value" in result.err


def test_a_query_never_reveals_a_secret(cli: Runner) -> None:
    made = cli(
        "clickstack", "webhooks", "create", "--name", "query-hook", "--webhook-service", "generic",
        "--url", HOOK, "--header", f"Authorization={TOKEN}", "--query", "url",
    )  # fmt: skip
    assert (made.code, made.out) == (0, '"********"\n')
    asked = {
        "[?name=='query-hook'].url": ["********"],
        "[?name=='query-hook'] | [0].headers": None,  # not in the output, so not in reach
        "[?name=='query-hook'] | length([0].url)": 8,  # the mask's length, not the URL's
        "[?contains(url, 'secret')].name": [],
    }
    for expression, expected in asked.items():
        result = cli("clickstack", "webhooks", "list", "--query", expression)
        assert result.json() == expected, expression
        assert HOOK not in result.out
    everything = cli("clickstack", "webhooks", "list", "--query", "[].values(@)", "-o", "table")
    assert HOOK not in everything.out
    assert TOKEN not in everything.out


def test_a_secret_the_console_knows_is_masked_before_the_query_can_change_it() -> None:
    # An answer echoing a credential in a field of no secret name: the console masks the text on
    # output, so the query must not get the chance to turn it into text the mask does not match.
    console = Console(stdout=io.StringIO(), stderr=io.StringIO())
    console.secret("echoed-key-1234")
    data = {"note": "signed in with echoed-key-1234", "echoed-key-1234": "as a key"}
    for expression in ("reverse(note)", "keys(@)", "join('', reverse(keys(@)))", "to_string(@)"):
        shown = render(data, "json", console=console, query=compile_query(expression))
        for text in ("echoed-key-1234", "4321-yek-dehoce"):
            assert text not in shown, expression
    assert render(data, "table", console=console, query=compile_query("reverse(note)")) == (
        "******** htiw ni dengis\n"
    )


def test_raw_answers_take_a_query_and_parameters_move_to_param(cli: Runner) -> None:
    listed = cli(
        "raw", "cockroach", "GET", "/api/v1/clusters/available-regions",
        "--param", "provider=GCP", "--query", "regions[].provider | sort(@) | [0]",
    )  # fmt: skip
    assert (listed.code, listed.out) == (0, '"GCP"\n')


def test_a_dry_run_prints_the_request_whatever_the_query(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    plain = cli("acm", "clusters", "stop", "1001", "--dry-run")
    queried = cli("acm", "clusters", "stop", "1001", "--dry-run", "--query", "id")
    assert queried.code == 0, queried.err
    assert json.loads(queried.out) == json.loads(plain.out)
    assert json.loads(queried.out)["method"] == "PUT"
    refused = cli("acm", "clusters", "stop", "1001", "--dry-run", "--query", "[")
    assert (refused.code, refused.out) == (2, "")
    assert requests(emu) == before
