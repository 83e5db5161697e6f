"""A server that echoes the request's credential in an error: no field of the exception keeps it.

Servers and proxies do echo what they refused ("invalid token 'abc…'", a debug page quoting the
headers), and an exception travels into logs, error trackers and CI output. Every form a credential
travels in is echoed here: as given, URL-encoded, JSON-escaped, and the base64 of a Basic pair;
through every facade, on the sync client and on its async twin (the `flavour` fixture).
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
from tests._bridge import Flavour

from ._flavoured_mock import Facades

KEY_ID = "key-id-0001"
SECRET = 's3cr3t+/=:&"\\x'  # characters that each encoding writes differently (header-safe ASCII)


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


FACADES = Facades(SECRET, KEY_ID)


def every_field(exc: BaseException) -> str:
    fields = [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    fields += [repr(value) for value in vars(exc).values()]
    return "\n".join(fields)


@dataclass(frozen=True)
class Case:
    vendor: str  # the registered vendor the facade belongs to
    call: Callable[[Any], Any]  # a call of the facade's client that sends the credential
    key_id: str | None = None  # the key id of a Basic pair, for a facade that sends one


# Every facade, by its own name: ClickStack has two (managed in ClickHouse Cloud, and OSS).
CASES = {
    "acm": Case("acm", lambda c: c.environments.list()),
    "anywhere": Case("anywhere", lambda c: list(c.aws.list())),
    "clickhouse": Case("clickhouse", lambda c: c.services.list(), KEY_ID),
    "managed-clickstack": Case("clickstack", lambda c: c.dashboards.list(), KEY_ID),
    "clickstack": Case("clickstack", lambda c: c.dashboards.list()),
    "cockroach": Case("cockroach", lambda c: list(c.clusters.list())),
}


def test_the_cases_cover_every_registered_vendor() -> None:
    assert {case.vendor for case in CASES.values()} == set(vendor_names())


@pytest.mark.parametrize("facade", CASES)
def test_no_form_of_an_echoed_credential_stays_in_the_exception(
    facade: str, flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[facade]
    for name in ("DBCLOUD_PROFILE", "DBCLOUD_TIMEOUT", "DBCLOUD_MAX_RETRIES", "CLICKHOUSE_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", "/nonexistent/dbcloud-config.toml")
    key_id = case.key_id
    client = FACADES.of(facade, flavour, httpx.Client(transport=echoing(key_id)))
    with pytest.raises(dbcloud.APIStatusError) as caught:
        case.call(client)
    seen = every_field(caught.value)
    leaked = [form for form in forms(key_id) if form in seen]
    assert leaked == [], f"{len(leaked)} form(s) of the credential kept"
    assert "********" in seen  # masked, not dropped: the message still says what was refused
