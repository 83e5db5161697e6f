"""Broken answers, through every vendor facade: each is a typed dbcloud error, never raw httpx, never data.

The kinds: a redirect loop, a body that is not its Content-Encoding, a redirect from https to http,
an answer over the size cap (announced, and streamed without a length), and a body trickled past
the total deadline. The facades are built over a MockTransport; the deadline case uses a 0.05 s
timeout and a body that never ends, and asserts only that it was stopped. Each kind is sent to the
sync client and to its async twin (the `flavour` fixture).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendor_names
from tests._bridge import Flavour

from ._figures import Figures
from ._flavoured_mock import Facades, sync_figures

TOKEN = "limits-test-token-7e2a"
KEY_ID = "limits-key-id"


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


FACADES = Facades(TOKEN, KEY_ID, **COMMON)

# Every facade's list call.
CALLS: dict[str, Callable[[Any], Callable[[], object]]] = {
    "acm": lambda client: client.environments.list,
    "clickhouse": lambda client: client.services.list,
    "managed-clickstack": lambda client: client.dashboards.list,
    "clickstack": lambda client: client.dashboards.list,
    "cockroach": lambda client: client.clusters.list,
    "anywhere": lambda client: client.aws.list,
}


def test_every_registered_vendor_has_a_client() -> None:
    # Managed ClickStack is a second facade of the clickstack vendor, not a vendor of its own.
    assert set(CALLS) - {"managed-clickstack"} == set(vendor_names())


@pytest.fixture(autouse=True)
def _small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBCLOUD_MAX_RESPONSE_BYTES", "4096")


@pytest.mark.parametrize("api", sorted(CALLS))
def test_every_broken_kind_is_a_typed_error(api: str, flavour: Flavour, figures: Figures) -> None:
    typed = []
    for kind, (handler, error, said) in KINDS.items():
        call = CALLS[api](FACADES.of(api, flavour, httpx.Client(transport=httpx.MockTransport(handler))))
        with pytest.raises(error, match=said) as caught:
            call()
        assert TOKEN not in str(caught.value), kind
        typed.append(kind)
    sync_figures(figures, flavour).add(
        "broken answers", api=api, kinds=len(KINDS), typed=len(typed), returned_as_data=0
    )
