"""A server that echoes the request's credential in an error: no field of the exception keeps it.

Servers and proxies do echo what they refused ("invalid token 'abc…'", a debug page quoting the
headers), and an exception travels into logs, error trackers and CI output. Every form a credential
travels in is echoed here: as given, URL-encoded, JSON-escaped, and the base64 of a Basic pair.
"""

from __future__ import annotations

import base64
import json
import traceback
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendor_names

KEY_ID = "key-id-0001"
SECRET = 's3cr3t+/=:&"\\x'  # characters that each encoding writes differently (header-safe ASCII)
ORG = "9e1a4c42-0f6c-4b3c-9a57-1f6f1e7d9b11"
SERVICE = "4f2b8c1e-6a4d-4e7f-8b9c-0d1e2f3a4b5c"


def forms(key_id: str | None) -> list[str]:
    found = [
        SECRET,
        urllib.parse.quote(SECRET, safe=""),
        urllib.parse.quote_plus(SECRET),
        json.dumps(SECRET)[1:-1],
    ]
    if key_id is not None:
        found.append(base64.b64encode(f"{key_id}:{SECRET}".encode()).decode())
    return found


def echoing(key_id: str | None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        said = " | ".join([request.headers.get("Authorization", ""), *forms(key_id)])
        body = {
            "error": f"refused credential {said}",
            "message": said,
            "status": 400,
            "errors": [{"message": said}],
            said: {"nested": [said]},
        }
        return httpx.Response(400, json=body, headers={"X-Request-Id": f"rid {SECRET}"})

    return httpx.MockTransport(handler)


def acm(http: httpx.Client) -> Any:
    client = dbcloud.Altinity(token=SECRET, base_url="https://acm.example.com/api", http_client=http)
    return lambda: client.environments.list()


def anywhere(http: httpx.Client) -> Any:
    client = dbcloud.AltinityAnywhere(token=SECRET, base_url="https://anywhere.example.com", http_client=http)
    return lambda: list(client.aws.list())


def clickhouse(http: httpx.Client) -> Any:
    client = dbcloud.ClickHouseCloud(
        key_id=KEY_ID, key_secret=SECRET, org_id=ORG, base_url="https://ch.example.com", http_client=http
    )
    return lambda: client.services.list()


def managed_clickstack(http: httpx.Client) -> Any:
    client = dbcloud.ClickStack.managed(
        ORG, SERVICE, key_id=KEY_ID, key_secret=SECRET, base_url="https://ch.example.com", http_client=http
    )
    return lambda: client.dashboards.list()


def clickstack(http: httpx.Client) -> Any:
    client = dbcloud.ClickStack(endpoint="https://stack.example.com", api_key=SECRET, http_client=http)
    return lambda: client.dashboards.list()


def cockroach(http: httpx.Client) -> Any:
    client = dbcloud.CockroachCloud(api_key=SECRET, base_url="https://crdb.example.com", http_client=http)
    return lambda: list(client.clusters.list())


def every_field(exc: BaseException) -> str:
    fields = [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    fields += [repr(value) for value in vars(exc).values()]
    return "\n".join(fields)


@dataclass(frozen=True)
class Case:
    vendor: str  # the registered vendor the facade belongs to
    build: Callable[[httpx.Client], Callable[[], Any]]
    key_id: str | None = None  # the key id of a Basic pair, for a facade that sends one


# Every facade, by its own name: ClickStack has two (managed in ClickHouse Cloud, and OSS).
CASES = {
    "acm": Case("acm", acm),
    "anywhere": Case("anywhere", anywhere),
    "clickhouse": Case("clickhouse", clickhouse, KEY_ID),
    "managed-clickstack": Case("clickstack", managed_clickstack, KEY_ID),
    "clickstack": Case("clickstack", clickstack),
    "cockroach": Case("cockroach", cockroach),
}


def test_the_cases_cover_every_registered_vendor() -> None:
    assert {case.vendor for case in CASES.values()} == set(vendor_names())


@pytest.mark.parametrize("case", CASES.values(), ids=CASES)
def test_no_form_of_an_echoed_credential_stays_in_the_exception(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DBCLOUD_PROFILE", "DBCLOUD_TIMEOUT", "DBCLOUD_MAX_RETRIES", "CLICKHOUSE_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", "/nonexistent/dbcloud-config.toml")
    key_id = case.key_id
    call = case.build(httpx.Client(transport=echoing(key_id)))
    with pytest.raises(dbcloud.APIStatusError) as caught:
        call()
    seen = every_field(caught.value)
    leaked = [form for form in forms(key_id) if form in seen]
    assert leaked == [], f"{len(leaked)} form(s) of the credential kept"
    assert "********" in seen  # masked, not dropped: the message still says what was refused
