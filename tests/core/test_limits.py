"""The answer limits of `_limits`: deadline, size cap, https → http hops, with a fake clock."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import httpx
import pytest

from dbcloud import APIResponseError, APITimeoutError, ConfigError
from dbcloud._http import build_http_client, send_request
from dbcloud._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
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


class Trickle(httpx.SyncByteStream):
    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            self.sent += 1
            yield b" "


def client(handler: httpx.MockTransport, **options: object) -> httpx.Client:
    return build_http_client(base_url="https://api.example.com", auth=None, transport=handler, **options)  # type: ignore[arg-type]


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


def test_a_trickling_body_stops_at_the_total_deadline() -> None:
    stream = Trickle(10_000)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=stream))
    http = client(transport, timeout=5, max_retries=0, clock=Clock(step=1.0))
    with pytest.raises(APITimeoutError, match="total deadline of 5 s") as caught:
        send_request(http, {"method": "GET", "url": "/clusters"}, {})
    assert stream.sent < 10  # stopped after a few chunks, not at the end of the body
    assert caught.value.url == "https://api.example.com/clusters"


def test_a_deadline_is_retried_like_a_timeout_and_then_given_up() -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        return httpx.Response(200, stream=Trickle(1000))

    http = client(
        httpx.MockTransport(handler), timeout=3, max_retries=2, clock=Clock(step=1.0), sleep=lambda s: None
    )
    with pytest.raises(APITimeoutError, match="deadline"):
        send_request(http, {"method": "GET", "url": "/x"}, {})
    assert len(attempts) == 3
    attempts.clear()
    with pytest.raises(APITimeoutError):  # a POST is never retried
        send_request(http, {"method": "POST", "url": "/x"}, {})
    assert len(attempts) == 1


def test_the_extension_and_the_client_setting_choose_the_deadline() -> None:
    stream = Trickle(10_000)
    http = client(
        httpx.MockTransport(lambda r: httpx.Response(200, stream=stream)),
        max_retries=0,
        deadline=2,
        clock=Clock(1.0),
    )
    with pytest.raises(APITimeoutError, match="deadline of 2 s"):
        send_request(http, {"method": "GET", "url": "/x"}, {})
    with pytest.raises(APITimeoutError, match="deadline of 7 s"):
        send_request(http, {"method": "GET", "url": "/x"}, {"dbcloud.deadline": 7})


def test_a_content_length_over_the_cap_is_refused_before_reading() -> None:
    stream = Trickle(10)
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Length": "2000"}, stream=stream)
    )
    http = client(transport, max_response_bytes=1000, max_retries=0)
    with pytest.raises(
        APIResponseError, match=r"announces 2,000 bytes.*cap of 1,000.*DBCLOUD_MAX_RESPONSE_BYTES"
    ):
        send_request(http, {"method": "GET", "url": "/x"}, {})
    assert stream.sent == 0


@pytest.mark.parametrize("retries", [0, 2])
def test_a_streamed_answer_stops_once_past_the_cap(retries: int) -> None:
    stream = Trickle(100_000)
    http = client(
        httpx.MockTransport(lambda r: httpx.Response(200, stream=stream)),
        max_response_bytes=100,
        max_retries=retries,
    )
    with pytest.raises(APIResponseError, match="passed the size cap of 100 bytes"):
        send_request(http, {"method": "GET", "url": "/x"}, {})
    assert stream.sent == 101  # not retried: the same answer would come again


def test_the_decoded_size_is_capped_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBCLOUD_MAX_RESPONSE_BYTES", "10000")
    bomb = gzip.compress(b"0" * 1_000_000)
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)
    )
    http = client(transport, max_retries=0)
    with pytest.raises(APIResponseError, match="cap of 10,000"):
        send_request(http, {"method": "GET", "url": "/x"}, {})


def test_a_body_that_is_not_its_content_encoding_is_an_answer_error() -> None:
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"{}")
    )
    with pytest.raises(APIResponseError, match="Content-Encoding"):
        send_request(client(transport, max_retries=0), {"method": "GET", "url": "/x"}, {})


def test_a_redirect_loop_names_the_url_and_the_hop_count() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(302, headers={"Location": "/loop?token=s3cr3t"}))
    with pytest.raises(APIResponseError, match=r"more than 20 times") as caught:
        send_request(client(transport), {"method": "GET", "url": "/x", "params": {"token": "s3cr3t"}}, {})
    assert "s3cr3t" not in str(caught.value)
    assert caught.value.url == "https://api.example.com/x?token=********"


def test_https_to_http_is_refused_before_the_http_request_is_sent() -> None:
    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.path == "/x":
            return httpx.Response(302, headers={"Location": "https://other.example.com/y"})
        if request.url.path == "/y":
            return httpx.Response(307, headers={"Location": "http://other.example.com/z"})
        return httpx.Response(200, json={})

    with pytest.raises(APIResponseError, match="https to http"):
        send_request(client(httpx.MockTransport(handler)), {"method": "GET", "url": "/x"}, {})
    assert sent == ["https://api.example.com/x", "https://other.example.com/y"]


def test_http_to_http_and_a_normal_answer_pass() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/x":
            return httpx.Response(302, headers={"Location": "/y"})
        return httpx.Response(200, json={"ok": True})

    http = build_http_client(base_url="http://127.0.0.1:9", auth=None, transport=httpx.MockTransport(handler))
    response = send_request(http, {"method": "GET", "url": "/x"}, {})
    assert response.json() == {"ok": True}
    assert response.url.path == "/y"
