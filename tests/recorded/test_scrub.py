"""The scrubber: what it takes out of requests and responses, and that replays still match."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest
from vcr.request import Request

from dbcloud.testing import ORG_PLACEHOLDER, PLACEHOLDER, Scrubber, scrub_identifiers

EMULATOR = "http://127.0.0.1:40123/acm/api"
VENDOR = "https://acm.altinity.cloud/api"
TOKEN = "emulator-acm-token"


def scrubber() -> Scrubber:
    return Scrubber([TOKEN], rewrites=[(EMULATOR, VENDOR)])


def response(body: Any, **headers: list[str]) -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            "Content-Type": ["application/json"],
            "Date": ["Thu, 26 Nov 2026 12:00:00 GMT"],
            **headers,
        },
        "body": {"string": json.dumps(body).encode()},
    }


def test_request_credentials_secrets_and_origin_are_replaced() -> None:
    sent = Request(
        "POST",
        f"{EMULATOR}/environment/176/clusters/launch?name=a&adminPass=hunter2&nodes=2",
        json.dumps({"adminPass": "hunter2", "note": f"token {TOKEN}", "nested": {"kubeToken": "k8s"}}),
        {"X-Auth-Token": TOKEN, "Host": "127.0.0.1:40123", "User-Agent": "dbcloud/1", "Accept": "*/*"},
    )
    stored = scrubber().request(sent)
    assert stored.uri == f"{VENDOR}/environment/176/clusters/launch?name=a&adminPass={PLACEHOLDER}&nodes=2"
    assert stored.headers == {"X-Auth-Token": PLACEHOLDER, "Accept": "*/*"}
    body = json.loads(stored.body)
    assert body == {
        "adminPass": PLACEHOLDER,
        "note": f"token {PLACEHOLDER}",
        "nested": {"kubeToken": PLACEHOLDER},
    }


def test_scrubbing_is_idempotent_so_replays_match() -> None:
    once = scrubber().request(
        Request("GET", f"{EMULATOR}/x?password=p4ss", b"", {"Authorization": f"Bearer {TOKEN}"})
    )
    twice = scrubber().request(Request(once.method, once.uri, once.body, dict(once.headers)))
    assert (twice.uri, twice.headers) == (once.uri, once.headers)
    assert once.headers == {"Authorization": f"Bearer {PLACEHOLDER}"}


def test_a_body_without_secrets_is_stored_as_sent() -> None:
    raw = b'{"name":  "kept", "nodes": 2}'
    stored = scrubber().request(Request("POST", f"{VENDOR}/x", raw, {}))
    assert stored.body == raw


def test_secrets_from_responses_get_numbered_placeholders_reused_in_later_requests() -> None:
    scrub = scrubber()
    first = scrub.response(response({"result": {"keyId": "kid-1", "keySecret": "s3cr3t-one"}}))
    second = scrub.response(response({"data": "5f4e51d64e05f0cbb94a8fb9cd404960fcff8e5e", "error": None}))
    assert json.loads(first["body"]["string"])["result"] == {
        "keyId": "kid-1",
        "keySecret": f"{PLACEHOLDER}-1",
    }
    assert json.loads(second["body"]["string"])["data"] == f"{PLACEHOLDER}-2"
    # ACM sends its key list back as JSON inside a query parameter: the same key, the same name.
    tokens = json.dumps([{"token": "5f4e51d64e05f0cbb94a8fb9cd404960fcff8e5e", "expiry": "2099-01-01"}])
    later = scrub.request(Request("POST", f"{VENDOR}/account?tokens={tokens}", b"", {}))
    assert json.loads(later.query[0][1]) == [{"token": f"{PLACEHOLDER}-2", "expiry": "2099-01-01"}]


def test_a_json_launch_body_loses_its_admin_password() -> None:
    # The launch as the facade sends it now: JSON in the body, nothing on the URL.
    launch = {"name": "a", "nodes": 2, "adminPass": "hunter2", "secure": True, "zookeeperOptions": {}}
    sent = Request(
        "POST", f"{EMULATOR}/environment/176/clusters/launch", json.dumps(launch).encode(),
        {"Content-Type": "application/json", "X-Auth-Token": TOKEN},
    )  # fmt: skip
    stored = scrubber().request(sent)
    assert stored.uri == f"{VENDOR}/environment/176/clusters/launch"
    assert json.loads(stored.body) == {**launch, "adminPass": PLACEHOLDER}
    assert stored.headers == {"Content-Type": "application/json", "X-Auth-Token": PLACEHOLDER}


def form_request(body: bytes, path: str = "/login") -> Request:
    return Request("POST", f"{EMULATOR}{path}", body, {"Content-Type": "application/x-www-form-urlencoded"})


def test_a_login_form_is_stored_with_the_password_replaced() -> None:
    stored = scrubber().request(form_request(b"login=ops%40example.com&password=hunter2"))
    assert stored.body == f"login=ops%40example.com&password={PLACEHOLDER}".encode()
    # Scrubbed again on replay: the same bytes, so the replay matches.
    again = scrubber().request(form_request(stored.body))
    assert again.body == stored.body


def test_the_key_list_form_field_is_scrubbed_inside_and_keeps_its_shape() -> None:
    scrub = scrubber()
    key = "5f4e51d64e05f0cbb94a8fb9cd404960fcff8e5e"
    scrub.response(response({"data": key, "error": None}))  # the new key, as ACM answered it
    tokens = json.dumps([{"token": key, "expiry": "2099-01-01 00:00:00"}, {"token": "other-key-text"}])
    stored = scrub.request(form_request(urllib.parse.urlencode({"tokens": tokens}).encode(), "/account"))
    (field,) = urllib.parse.parse_qsl(stored.body.decode(), strict_parsing=True)
    assert field[0] == "tokens"
    assert json.loads(field[1]) == [
        {"token": f"{PLACEHOLDER}-1", "expiry": "2099-01-01 00:00:00"},
        {"token": PLACEHOLDER},
    ]


def test_a_form_without_secrets_is_stored_as_sent() -> None:
    raw = b"name=kept%20as%20sent&empty=&nodes=2"  # %20, not the `+` urlencode would write
    assert scrubber().request(form_request(raw)).body == raw


@pytest.mark.parametrize("raw", [b"plain text, password hunter2", b"password: hunter2", b"password=x&note"])
def test_a_body_that_is_no_form_is_left_as_text(raw: bytes) -> None:
    # Not a form under strict parsing: only the session's credentials are taken out of it.
    assert scrubber().request(form_request(raw)).body == raw
    with_token = scrubber().request(form_request(raw + f" {TOKEN}".encode()))
    assert with_token.body == raw + f" {PLACEHOLDER}".encode()


def test_response_headers_lose_cookies_and_run_specific_values() -> None:
    stored = scrubber().response(response({}, **{"Set-Cookie": ["sid=abc123; Path=/; HttpOnly"]}))
    assert stored["headers"]["Set-Cookie"] == [f"sid={PLACEHOLDER}; Path=/; HttpOnly"]
    assert "Date" not in stored["headers"]


def cassette(*interactions: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "interactions": [
            {
                "request": {"method": "GET", "uri": uri, "body": body, "headers": {}},
                "response": {"status": {"code": 200}, "headers": {}, "body": {"string": answer}},
            }
            for uri, body, answer in interactions
        ]
    }


def test_account_identifiers_become_stable_placeholders() -> None:
    org = "3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57"
    listed = json.dumps({"result": [{"id": org, "name": "Acme"}]})
    member = json.dumps({"result": {"userId": "u-7788991", "email": "Jane.Doe@acme.io", "name": "Jane"}})
    invite = json.dumps({"email": "new.user@example.com", "awsAccountID": "123456789012"})
    scrubbed = scrub_identifiers(
        cassette(
            ("https://api.clickhouse.cloud/v1/organizations", "", listed),
            (f"https://api.clickhouse.cloud/v1/organizations/{org}/members", "", member),
            (f"https://api.clickhouse.cloud/v1/organizations/{org}/invitations", invite, "{}"),
        )
    )
    first, second, third = scrubbed["interactions"]
    assert json.loads(first["response"]["body"]["string"])["result"][0]["id"] == ORG_PLACEHOLDER
    assert second["request"]["uri"].endswith(f"/organizations/{ORG_PLACEHOLDER}/members")
    assert json.loads(second["response"]["body"]["string"])["result"] == {
        "userId": "account-1",
        "email": "user-1@example.com",
        "name": "Jane",
    }
    # Reserved example values are not anyone's: a replay sends them as the test wrote them.
    assert json.loads(third["request"]["body"]) == json.loads(invite)


def test_a_cassette_without_identifiers_is_left_alone() -> None:
    plain = cassette(("https://cockroachlabs.cloud/api/v1/clusters", "", '{"clusters": []}'))
    assert scrub_identifiers(plain) is plain
