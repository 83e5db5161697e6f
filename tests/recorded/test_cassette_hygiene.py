"""Every committed cassette is free of secrets, and every API has the scenarios CI relies on."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml

from dbcloud._vendors import vendor_names
from dbcloud.testing import PLACEHOLDER, problems

from ._cassette import session_credentials
from ._targets import APIS

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
ALL = sorted(CASSETTES.rglob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_there_are_cassettes_for_every_api() -> None:
    folders = {path.parent.name for path in ALL}
    assert folders >= set(vendor_names())


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cassette_holds_no_secret(path: Path) -> None:
    data = load(path)
    assert data["interactions"], "an empty cassette replays nothing"
    assert problems(data, session_credentials()) == []


def test_the_session_credentials_are_known_to_the_check() -> None:
    # The check is only as good as its list: the emulator's and the replays' credentials and the
    # passwords the scenarios send must all be on it.
    credentials = set(session_credentials())
    assert {
        "emulator-acm-token",
        "emulator-key-id",
        "emulator-key-secret",
        "Adm1n-recorded-pass",
    } <= credentials


# Scenarios every API's cassettes must show (Anywhere answers errors in GraphQL, with HTTP 200).
EXPECTED_STATUSES = {
    "acm": {401, 404, 429, 503},
    "anywhere": {401, 429},
    "clickhouse": {401, 404, 429},
    "clickstack": {401, 404, 429},
    "cockroach": {401, 404, 429},
}


def test_every_registered_vendor_has_a_replay_target_and_expected_scenarios() -> None:
    # Both tables list their vendors by hand: a vendor registered later must be added to each.
    assert set(APIS) == set(vendor_names())
    assert set(EXPECTED_STATUSES) == set(vendor_names())


def same_request(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["method"], a["uri"], a.get("body") or "") == (b["method"], b["uri"], b.get("body") or "")


@pytest.mark.parametrize("api", sorted(EXPECTED_STATUSES))
def test_error_scenarios_are_recorded(api: str) -> None:
    statuses: set[int] = set()
    recovered: set[int] = set()
    for path in sorted((CASSETTES / api).glob("*.yaml")):
        interactions = load(path)["interactions"]
        for current, following in zip(interactions, [*interactions[1:], None], strict=True):
            status = int(current["response"]["status"]["code"])
            statuses.add(status)
            # "then success": the same request (URI and body: GraphQL posts every query to one
            # URI), answered 2xx, right after the failure.
            if (
                following is not None
                and same_request(following["request"], current["request"])
                and 200 <= int(following["response"]["status"]["code"]) < 300
            ):
                recovered.add(status)
    assert EXPECTED_STATUSES[api] <= statuses
    assert 429 in recovered, "a rate-limited request followed by its successful retry"
    assert recovered & {500, 502, 503, 504}, "a 5xx followed by its successful retry"


# --- the check itself can fail ----------------------------------------------------------------


def interaction(
    uri: str = "https://acm.altinity.cloud/api/account",
    request_headers: dict[str, list[str]] | None = None,
    request_body: str = "",
    response_body: str = "{}",
    response_headers: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    return {
        "interactions": [
            {
                "request": {
                    "method": "GET",
                    "uri": uri,
                    "body": request_body,
                    "headers": request_headers or {},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": response_headers or {},
                    "body": {"string": response_body},
                },
            }
        ]
    }


@pytest.mark.parametrize(
    ("cassette", "found"),
    [
        (interaction(request_headers={"X-Auth-Token": ["emulator-acm-token"]}), "credential"),
        (interaction(request_headers={"authorization": ["Bearer sk-live-123"]}), "credential header"),
        (interaction(request_headers={"Authorization": ["Basic a2V5OnNlY3JldA=="]}), "credential header"),
        (interaction(response_headers={"Set-Cookie": ["session=abc; Path=/"]}), "cookie"),
        (interaction(uri="https://x.test/launch?adminPass=hunter2hunter2"), "query adminPass"),
        (interaction(request_body=json.dumps({"adminPass": "hunter2"})), "$.adminPass"),
        (interaction(request_body="login=ops%40example.com&password=hunter2"), "secret field password"),
        (
            interaction(request_body="tokens=" + urllib.parse.quote(json.dumps([{"token": "5f4e51d64e05"}]))),
            "secret field tokens[0].token",
        ),
        (interaction(response_body=json.dumps({"result": {"keySecret": "4b1dabc"}})), "$.result.keySecret"),
        (interaction(response_body=json.dumps({"data": "5f4e51d64e05f0cbb94a8fb9cd404960"})), "opaque"),
        (interaction(response_body=json.dumps({"email": "jane.doe@acme.io"})), "user-1@example.com"),
        (
            interaction(
                uri="https://api.clickhouse.cloud/v1/organizations",
                response_body=json.dumps({"result": [{"id": "3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57"}]}),
            ),
            "account identifier",
        ),
        (interaction(request_body="user Adm1n-recorded-pass"), "credential of this session"),
    ],
)
def test_the_check_finds_leaks(cassette: dict[str, Any], found: str) -> None:
    reported = problems(cassette, session_credentials())
    assert any(found in line for line in reported), reported


def test_the_check_accepts_placeholders() -> None:
    cassette = interaction(
        uri=f"https://x.test/launch?adminPass={PLACEHOLDER}",
        request_headers={"Authorization": [f"Bearer {PLACEHOLDER}"], "X-Auth-Token": [PLACEHOLDER]},
        request_body=json.dumps({"adminPass": PLACEHOLDER, "keyId": "not-a-secret"}),
        response_body=json.dumps({"result": {"keySecret": f"{PLACEHOLDER}-3", "email": "dev@example.com"}}),
    )
    assert problems(cassette, session_credentials()) == []


def test_the_check_accepts_scrubbed_form_bodies_and_plain_text() -> None:
    tokens = json.dumps([{"token": PLACEHOLDER, "expiry": "2099-01-01 00:00:00"}])
    for body in (
        f"login=ops%40example.com&password={PLACEHOLDER}",
        urllib.parse.urlencode({"tokens": tokens}),
        "password hunter2 is not a form",  # no field to judge: only credentials are looked for
    ):
        assert problems(interaction(request_body=body), session_credentials()) == [], body
