"""`dbcloud raw API METHOD PATH`: any operation, with the facade's auth, retries and errors."""

from __future__ import annotations

import pytest

from dbcloud.emulator import Emulator, Fault

from .conftest import Runner, requests


@pytest.mark.parametrize(
    ("api", "path", "key"),
    [
        ("acm", "/environments", "data"),
        ("clickhouse", "/v1/organizations/{org_id}/services", "result"),
        ("clickstack", "/api/v2/sources", "data"),
        ("cockroach", "/api/v1/clusters", "clusters"),
    ],
)
def test_a_get_on_each_api_prints_the_body_as_sent(api: str, path: str, key: str, cli: Runner) -> None:
    result = cli("raw", api, "get", path)
    assert result.code == 0, result.err
    assert key in result.json()


def test_graphql_through_raw(cli: Runner) -> None:
    query = '{"query": "query { awsEnvs { name } }"}'
    result = cli("raw", "anywhere", "POST", "/api/v1/graphql", "--data", query)
    assert result.code == 0, result.err
    assert "awsEnvs" in result.json()["data"]


def test_query_parameters_and_the_vendors_errors(cli: Runner) -> None:
    listed = cli("raw", "cockroach", "GET", "/api/v1/clusters/available-regions", "--param", "provider=GCP")
    assert {r["provider"] for r in listed.json()["regions"]} == {"GCP"}
    assert cli("raw", "acm", "GET", "/environment/999").code == 4
    assert cli("raw", "cockroach", "GET", "/api/v1/clusters", "--cockroach-api-key", "nope").code == 3
    assert cli("raw", "acm", "GET", "environments").code == 2  # not an absolute path
    assert cli("raw", "acm", "GET", "/environments", "--param", "novalue").code == 2
    assert cli("raw", "acm", "GET", "/x/{org_id}").code == 2


def test_reads_are_retried_like_any_command(cli: Runner, emu: Emulator) -> None:
    emu.add_fault("acm", Fault("503", count=1, retry_after=0.01))
    result = cli("raw", "acm", "GET", "/environments")
    assert result.code == 0, result.err
    assert emu.stats()["acm"]["faults_injected"] >= 1


def test_a_raw_dry_run_sends_nothing(cli: Runner, emu: Emulator) -> None:
    before = requests(emu)
    result = cli("raw", "cockroach", "POST", "/api/v1/clusters", "--data", '{"name": "x"}', "--as-curl")
    assert result.code == 0, result.err
    assert '-d \'{"name":"x"}\'' in result.out
    assert "Authorization: Bearer ${COCKROACH_API_KEY}" in result.out
    assert requests(emu) == before


def test_a_form_body_signs_in_as_acm_s_own_cli_does(cli: Runner, emu: Emulator) -> None:
    from dbcloud.emulator.acm import DEMO_USER

    login, password = DEMO_USER
    result = cli("raw", "acm", "POST", "/login", "--form", f"login={login}", "--form", f"password={password}")
    assert result.code == 0, result.err
    assert result.json()["data"]["token"]
    shown = cli("raw", "acm", "POST", "/login", "--form", f"password={password}", "--dry-run", "--as-curl")
    assert shown.code == 0, shown.err
    assert "Content-Type: application/x-www-form-urlencoded" in shown.out
    assert "/api/login \\\n" in shown.out  # nothing after the path
    # A password typed into --form is not printed back.
    assert password not in shown.out
    assert "password=********" in shown.out


@pytest.mark.parametrize(
    "words",
    [
        ("--param", "password=hunter2-secret"),
        ("--param", "adminPass=hunter2-secret"),
        (),  # in the path's own query string
    ],
)
def test_a_secret_is_refused_on_the_url_before_anything_is_sent(
    cli: Runner, emu: Emulator, words: tuple[str, ...]
) -> None:
    before = requests(emu)
    path = "/login" if words else "/login?password=hunter2-secret"
    result = cli("raw", "acm", "POST", path, *words)
    assert result.code == 2
    assert "a URL is kept in access logs" in result.err
    assert "--form" in result.err
    assert "hunter2-secret" not in result.err + result.out
    assert requests(emu) == before


def test_data_and_form_together_are_refused(cli: Runner) -> None:
    result = cli("raw", "acm", "POST", "/login", "--data", "{}", "--form", "login=x")
    assert result.code == 2
    assert "not both" in result.err
