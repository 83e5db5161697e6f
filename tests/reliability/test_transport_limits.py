"""Broken answers, through every vendor facade: each is a typed dbcloud error, never raw httpx, never data.

The kinds: a redirect loop, a body that is not its Content-Encoding, a redirect from https to http,
an answer over the size cap (announced, and streamed without a length), and a body trickled past
the total deadline. The facades are built over a MockTransport; the deadline case uses a 0.05 s
timeout and a body that never ends, and asserts only that it was stopped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendor, vendor_names

from ._figures import Figures

TOKEN = "limits-test-token-7e2a"
KEY_ID = "limits-key-id"
ORG = "9e1a4c42-0f6c-4b3c-9a57-1f6f1e7d9b11"
SERVICE = "4f2b8c1e-6a4d-4e7f-8b9c-0d1e2f3a4b5c"


class Endless(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < 100_000:
            if self.pause:
                time.sleep(self.pause)
            self.sent += 1
            yield b" " * 64

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < 100_000:
            if self.pause:
                await asyncio.sleep(self.pause)
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


def flavoured(http: httpx.Client | httpx.AsyncClient, name: str) -> Any:
    """The facade class `name`, or its async twin when given an async httpx client."""
    return getattr(dbcloud, f"Async{name}" if isinstance(http, httpx.AsyncClient) else name)


CLIENTS: dict[str, Callable[[Any], Callable[[], object]]] = {
    "acm": lambda http: (
        flavoured(http, "Altinity")(
            token=TOKEN, base_url="https://acm.example.com/api", http_client=http, **COMMON
        ).environments.list
    ),
    "clickhouse": lambda http: (
        flavoured(http, "ClickHouseCloud")(
            key_id=KEY_ID,
            key_secret=TOKEN,
            org_id=ORG,
            base_url="https://ch.example.com",
            http_client=http,
            **COMMON,
        ).services.list
    ),
    "managed-clickstack": lambda http: (
        flavoured(http, "ClickStack")
        .managed(
            ORG,
            SERVICE,
            key_id=KEY_ID,
            key_secret=TOKEN,
            base_url="https://ch.example.com",
            http_client=http,
            **COMMON,
        )
        .dashboards.list
    ),
    "clickstack": lambda http: (
        flavoured(http, "ClickStack")(
            endpoint="https://stack.example.com", api_key=TOKEN, http_client=http, **COMMON
        ).dashboards.list
    ),
    "cockroach": lambda http: (lambda c: c.clusters.list)(
        flavoured(http, "CockroachCloud")(
            api_key=TOKEN, base_url="https://crdb.example.com", http_client=http, **COMMON
        )
    ),
    "anywhere": lambda http: (
        flavoured(http, "AltinityAnywhere")(
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


ASYNC_APIS = sorted(
    api
    for api in CLIENTS
    if (vendor("clickstack" if api == "managed-clickstack" else api).async_client is not None)
)


async def _outcome(called: object) -> object:
    # A list call gives an AsyncPager (awaiting it takes every page), any other call a coroutine.
    return await called  # type: ignore[misc]


@pytest.mark.parametrize("api", ASYNC_APIS)
def test_every_broken_kind_is_a_typed_error_on_the_async_client_too(api: str) -> None:
    for kind, (handler, error, said) in KINDS.items():
        call = CLIENTS[api](httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        with pytest.raises(error, match=said) as caught:
            asyncio.run(_outcome(call()))
        assert TOKEN not in str(caught.value), kind
