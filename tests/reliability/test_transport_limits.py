"""Broken answers, through every vendor facade: each is a typed dbcloud error, never raw httpx, never data.

The kinds: a redirect loop, a body that is not its Content-Encoding, a redirect from https to http,
an answer over the size cap (announced, and streamed without a length), and a body trickled past
the total deadline. The facades are built over a MockTransport; the deadline case uses a 0.05 s
timeout and a body that never ends, and asserts only that it was stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendor_names

from ._figures import Figures

TOKEN = "limits-test-token-7e2a"
KEY_ID = "limits-key-id"
ORG = "9e1a4c42-0f6c-4b3c-9a57-1f6f1e7d9b11"
SERVICE = "4f2b8c1e-6a4d-4e7f-8b9c-0d1e2f3a4b5c"


class Endless(httpx.SyncByteStream):
    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < 100_000:
            if self.pause:
                time.sleep(self.pause)
            self.sent += 1
            yield b" " * 64


def loop(request: httpx.Request) -> httpx.Response:
    return httpx.Response(302, headers={"Location": str(request.url.copy_with(path=request.url.path + "x"))})


def bad_gzip(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}, content=b"{}"
    )


def downgrade(request: httpx.Request) -> httpx.Response:
    if request.url.scheme == "http":
        raise AssertionError("the http hop was sent")
    return httpx.Response(307, headers={"Location": str(request.url.copy_with(scheme="http"))})


def announced(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Length": str(10**9)}, stream=Endless())


def streamed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=Endless())


def trickle(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=Endless(pause=0.01))


KINDS: dict[str, tuple[Callable[[httpx.Request], httpx.Response], type[dbcloud.APIError], str]] = {
    "redirect loop": (loop, dbcloud.APIResponseError, "redirected more than 20 times"),
    "bad Content-Encoding": (bad_gzip, dbcloud.APIResponseError, "Content-Encoding"),
    "https to http": (downgrade, dbcloud.APIResponseError, "https to http"),
    "Content-Length over the cap": (announced, dbcloud.APIResponseError, "DBCLOUD_MAX_RESPONSE_BYTES"),
    "streamed past the cap": (streamed, dbcloud.APIResponseError, "passed the size cap"),
    "trickled past the deadline": (trickle, dbcloud.APITimeoutError, "total deadline"),
}

COMMON: dict[str, Any] = {"timeout": 0.05, "max_retries": 0}

CLIENTS: dict[str, Callable[[httpx.Client], Callable[[], object]]] = {
    "acm": lambda http: (
        dbcloud.Altinity(
            token=TOKEN, base_url="https://acm.example.com/api", http_client=http, **COMMON
        ).environments.list
    ),
    "clickhouse": lambda http: (
        dbcloud.ClickHouseCloud(
            key_id=KEY_ID,
            key_secret=TOKEN,
            org_id=ORG,
            base_url="https://ch.example.com",
            http_client=http,
            **COMMON,
        ).services.list
    ),
    "managed-clickstack": lambda http: (
        dbcloud.ClickStack.managed(
            ORG,
            SERVICE,
            key_id=KEY_ID,
            key_secret=TOKEN,
            base_url="https://ch.example.com",
            http_client=http,
            **COMMON,
        ).dashboards.list
    ),
    "clickstack": lambda http: (
        dbcloud.ClickStack(
            endpoint="https://stack.example.com", api_key=TOKEN, http_client=http, **COMMON
        ).dashboards.list
    ),
    "cockroach": lambda http: (lambda c: lambda: list(c.clusters.list()))(
        dbcloud.CockroachCloud(api_key=TOKEN, base_url="https://crdb.example.com", http_client=http, **COMMON)
    ),
    "anywhere": lambda http: (
        dbcloud.AltinityAnywhere(
            token=TOKEN, base_url="https://anywhere.example.com", http_client=http, **COMMON
        ).aws.list
    ),
}


def test_every_registered_vendor_has_a_client() -> None:
    # Managed ClickStack is a second facade of the clickstack vendor, not a vendor of its own.
    assert set(CLIENTS) - {"managed-clickstack"} == set(vendor_names())


@pytest.fixture(autouse=True)
def _small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBCLOUD_MAX_RESPONSE_BYTES", "4096")


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_every_broken_kind_is_a_typed_error(api: str, figures: Figures) -> None:
    typed = []
    for kind, (handler, error, said) in KINDS.items():
        call = CLIENTS[api](httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(error, match=said) as caught:
            call()
        assert TOKEN not in str(caught.value)
        typed.append(kind)
    figures.add("broken answers", api=api, kinds=len(KINDS), typed=len(typed), returned_as_data=0)
