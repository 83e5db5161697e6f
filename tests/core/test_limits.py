"""The answer limits of `_limits`: deadline, size cap, https → http hops, with a fake clock.

Every test that sends runs twice (the `flavour` fixture): through `build_http_client` and
`send_request`, and through `build_async_http_client` and `send_async_request` on an event loop of
its own; both flavours hold one `AttemptLimits` per attempt, so they must fail alike.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx
import pytest

from dbcloud import APIResponseError, APITimeoutError, ConfigError
from dbcloud._http import build_async_http_client, build_http_client, send_async_request, send_request
from dbcloud._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    AttemptLimits,
    DeadlineExceeded,
    check_redirect,
    deadline_seconds,
    max_response_bytes_from_env,
    remaining,
    too_large,
)


class Clock:
    """A monotonic clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class Trickle(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of `chunks` one-byte chunks, counting those sent; readable by both flavours."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            self.sent += 1
            yield b" "

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


class Flavour:
    """Builds clients and sends requests the sync way, or the async way on a loop of its own."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop() if name == "async" else None
        self._clients: list[Any] = []

    def client(
        self, transport: httpx.MockTransport, *, base_url: str = "https://api.example.com", **options: Any
    ) -> Any:
        """A built client of this flavour (a sync `sleep` option is awaited by the async one)."""
        if self.loop is None:
            http: Any = build_http_client(base_url=base_url, auth=None, transport=transport, **options)
        else:
            sleep = options.pop("sleep", None)
            if sleep is not None:
                options["sleep"] = _awaited(sleep)
            http = build_async_http_client(base_url=base_url, auth=None, transport=transport, **options)
        self._clients.append(http)
        return http

    def send(
        self, http: Any, request: Mapping[str, object], extensions: Mapping[str, object]
    ) -> httpx.Response:
        if self.loop is None:
            return send_request(http, request, extensions)
        return self.loop.run_until_complete(send_async_request(http, request, extensions))

    def close(self) -> None:
        for http in self._clients:
            if self.loop is None:
                http.close()
            else:
                self.loop.run_until_complete(http.aclose())
        if self.loop is not None:
            self.loop.close()


def _awaited(sleep: Any) -> Any:
    async def pause(seconds: float) -> None:
        sleep(seconds)

    return pause


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[Flavour]:
    chosen = Flavour(request.param)
    yield chosen
    chosen.close()


def test_rules_without_io() -> None:
    assert deadline_seconds({"timeout": {"read": 5.0}}, None, configured=False) == 5.0
    assert deadline_seconds({"timeout": {"read": None}}, None, configured=False) is None
    assert deadline_seconds({"timeout": {"read": 5.0}}, 2.0, configured=True) == 2.0
    assert deadline_seconds({"dbcloud.deadline": 1, "timeout": {"read": 5.0}}, 2.0, configured=True) == 1.0
    with pytest.raises(ValueError, match="deadline"):
        deadline_seconds({"dbcloud.deadline": 0}, None, configured=False)
    assert remaining(10.0, 4.0) == 6.0
    assert remaining(10.0, 11.0) == 0.0
    assert too_large(11, 10)
    assert not too_large(10, 10)
    assert DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024


def test_size_setting_from_the_environment() -> None:
    assert max_response_bytes_from_env({}) is None
    assert max_response_bytes_from_env({"DBCLOUD_MAX_RESPONSE_BYTES": "1_000"}) == 1000
    for bad in ("0", "-5", "ten"):
        with pytest.raises(ConfigError, match="DBCLOUD_MAX_RESPONSE_BYTES"):
            max_response_bytes_from_env({"DBCLOUD_MAX_RESPONSE_BYTES": bad})


def test_an_https_request_marks_later_http_hops_as_refused() -> None:
    first = httpx.Request("GET", "https://api.example.com/a")
    check_redirect(first)
    hop = httpx.Request("GET", "http://api.example.com/b?token=s3cr3t", extensions=first.extensions)
    with pytest.raises(APIResponseError, match="https to http") as caught:
        check_redirect(hop)
    assert "s3cr3t" not in str(caught.value)
    check_redirect(httpx.Request("GET", "http://localhost:8080/a"))  # http → http stays allowed


def test_a_trickling_body_stops_at_the_total_deadline(flavour: Flavour) -> None:
    stream = Trickle(10_000)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=stream))
    http = flavour.client(transport, timeout=5, max_retries=0, clock=Clock(step=1.0))
    with pytest.raises(APITimeoutError, match="total deadline of 5 s") as caught:
        flavour.send(http, {"method": "GET", "url": "/clusters"}, {})
    assert stream.sent < 10  # stopped after a few chunks, not at the end of the body
    assert caught.value.url == "https://api.example.com/clusters"


def test_a_deadline_is_retried_like_a_timeout_and_then_given_up(flavour: Flavour) -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        return httpx.Response(200, stream=Trickle(1000))

    http = flavour.client(
        httpx.MockTransport(handler), timeout=3, max_retries=2, clock=Clock(step=1.0), sleep=lambda s: None
    )
    with pytest.raises(APITimeoutError, match="deadline"):
        flavour.send(http, {"method": "GET", "url": "/x"}, {})
    assert len(attempts) == 3
    attempts.clear()
    with pytest.raises(APITimeoutError):  # a POST is never retried
        flavour.send(http, {"method": "POST", "url": "/x"}, {})
    assert len(attempts) == 1


def test_the_extension_and_the_client_setting_choose_the_deadline(flavour: Flavour) -> None:
    stream = Trickle(10_000)
    http = flavour.client(
        httpx.MockTransport(lambda r: httpx.Response(200, stream=stream)),
        max_retries=0,
        deadline=2,
        clock=Clock(1.0),
    )
    with pytest.raises(APITimeoutError, match="deadline of 2 s"):
        flavour.send(http, {"method": "GET", "url": "/x"}, {})
    with pytest.raises(APITimeoutError, match="deadline of 7 s"):
        flavour.send(http, {"method": "GET", "url": "/x"}, {"dbcloud.deadline": 7})


def test_a_content_length_over_the_cap_is_refused_before_reading(flavour: Flavour) -> None:
    stream = Trickle(10)
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Length": "2000"}, stream=stream)
    )
    http = flavour.client(transport, max_response_bytes=1000, max_retries=0)
    with pytest.raises(
        APIResponseError, match=r"announces 2,000 bytes.*cap of 1,000.*DBCLOUD_MAX_RESPONSE_BYTES"
    ):
        flavour.send(http, {"method": "GET", "url": "/x"}, {})
    assert stream.sent == 0


@pytest.mark.parametrize("retries", [0, 2])
def test_a_streamed_answer_stops_once_past_the_cap(flavour: Flavour, retries: int) -> None:
    stream = Trickle(100_000)
    http = flavour.client(
        httpx.MockTransport(lambda r: httpx.Response(200, stream=stream)),
        max_response_bytes=100,
        max_retries=retries,
    )
    with pytest.raises(APIResponseError, match="passed the size cap of 100 bytes"):
        flavour.send(http, {"method": "GET", "url": "/x"}, {})
    assert stream.sent == 101  # not retried: the same answer would come again


def test_the_decoded_size_is_capped_too(flavour: Flavour, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBCLOUD_MAX_RESPONSE_BYTES", "10000")
    bomb = gzip.compress(b"0" * 1_000_000)
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)
    )
    http = flavour.client(transport, max_retries=0)
    with pytest.raises(APIResponseError, match="cap of 10,000"):
        flavour.send(http, {"method": "GET", "url": "/x"}, {})


def test_a_body_that_is_not_its_content_encoding_is_an_answer_error(flavour: Flavour) -> None:
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"{}")
    )
    with pytest.raises(APIResponseError, match="Content-Encoding"):
        flavour.send(flavour.client(transport, max_retries=0), {"method": "GET", "url": "/x"}, {})


def test_a_redirect_loop_names_the_url_and_the_hop_count(flavour: Flavour) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(302, headers={"Location": "/loop?token=s3cr3t"}))
    http = flavour.client(transport)
    request = {"method": "GET", "url": "/x", "params": {"token": "s3cr3t"}}
    with pytest.raises(APIResponseError, match=r"more than 20 times") as caught:
        flavour.send(http, request, {})
    assert "s3cr3t" not in str(caught.value)
    assert caught.value.url == "https://api.example.com/x?token=********"


def test_https_to_http_is_refused_before_the_http_request_is_sent(flavour: Flavour) -> None:
    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.path == "/x":
            return httpx.Response(302, headers={"Location": "https://other.example.com/y"})
        if request.url.path == "/y":
            return httpx.Response(307, headers={"Location": "http://other.example.com/z"})
        return httpx.Response(200, json={})

    with pytest.raises(APIResponseError, match="https to http"):
        flavour.send(flavour.client(httpx.MockTransport(handler)), {"method": "GET", "url": "/x"}, {})
    assert sent == ["https://api.example.com/x", "https://other.example.com/y"]


def test_http_to_http_and_a_normal_answer_pass(flavour: Flavour) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/x":
            return httpx.Response(302, headers={"Location": "/y"})
        return httpx.Response(200, json={"ok": True})

    http = flavour.client(httpx.MockTransport(handler), base_url="http://127.0.0.1:9")
    response = flavour.send(http, {"method": "GET", "url": "/x"}, {})
    assert response.json() == {"ok": True}
    assert response.url.path == "/y"


def test_each_phase_timeout_is_clamped_to_the_deadline_while_the_attempt_runs(flavour: Flavour) -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return httpx.Response(200, json={})

    http = flavour.client(httpx.MockTransport(handler), timeout=httpx.Timeout(10.0, connect=1.0), deadline=2)
    response = flavour.send(http, {"method": "GET", "url": "/x"}, {})
    assert seen == [{"connect": 1.0, "read": 2.0, "write": 2.0, "pool": 2.0}]
    assert response.request.extensions["timeout"]["read"] == 10.0  # the request's own, given back


def test_one_attempts_limits_without_io() -> None:
    request = httpx.Request("GET", "https://api.example.com/x", extensions={"timeout": {"read": 3.0}})
    clock = Clock(step=1.0)
    limits = AttemptLimits(request, max_response_bytes=10, deadline=None, clock=clock)
    assert (limits.cap, limits.budget, limits.expires) == (10, 3.0, 4.0)
    assert limits.extensions({"timeout": {"connect": 5.0}})["timeout"] == {
        "connect": 3.0,
        "read": 3.0,
        "write": 3.0,
        "pool": 3.0,
    }
    limits.check_chunk(10)  # at the cap, clock at 2
    with pytest.raises(APIResponseError, match="passed the size cap of 10 bytes"):
        limits.check_chunk(11)
    limits.check_headers(httpx.Response(200, headers={"Content-Length": "10"}))  # clock at 3
    limits.check_deadline()  # clock at 4: not past yet
    with pytest.raises(DeadlineExceeded):
        limits.check_deadline()
    unlimited = AttemptLimits(
        httpx.Request("GET", "https://api.example.com/x"), max_response_bytes=10, deadline=None, clock=clock
    )
    original: dict[str, object] = {}
    assert unlimited.extensions(original) is original
