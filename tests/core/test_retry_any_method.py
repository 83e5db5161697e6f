"""A 429 is retried whatever the method; for a POST or PATCH nothing else is (on fake time)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from dbcloud._retry import RETRYABLE_ERRORS, RetryPolicy

from .test_retry import NOW, URL, FakeTime, Reply, Server, _client

UNSAFE = ["POST", "PATCH"]
BODY = {"name": "api-test", "command": "stop"}


class WireServer(Server):
    """A Server that also records the body each attempt puts on the wire (read from its stream)."""

    def __init__(self, *replies: Reply) -> None:
        super().__init__(*replies)
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(b"".join(request.stream))
        return super().__call__(request)


def _limited(**headers: str) -> httpx.Response:
    return httpx.Response(429, json={"error": "rate limited"}, headers=headers)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


# --- a 429 is repeated -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", UNSAFE)
def test_one_429_then_success_is_repeated_once_with_the_same_body(time: FakeTime, method: str) -> None:
    server = WireServer(_limited(), httpx.Response(200, json={"ok": True}))
    with _client(server, time) as client:
        response = client.request(method, URL, json=BODY)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert [r.method for r in server.requests] == [method, method]
    assert server.bodies[0] == server.bodies[1] == httpx.Request(method, URL, json=BODY).content
    assert len(time.sleeps) == 1


def test_a_streamed_post_body_is_sent_whole_on_the_repeat(time: FakeTime) -> None:
    server = WireServer(_limited(), httpx.Response(201))

    def body() -> Iterator[bytes]:
        yield b'{"name": '
        yield b'"streamed"}'

    with _client(server, time) as client:
        assert client.post(URL, content=body()).status_code == 201
    assert server.bodies == [b'{"name": "streamed"}'] * 2


@pytest.mark.parametrize("method", UNSAFE)
def test_retry_after_on_the_429_is_the_wait(time: FakeTime, method: str) -> None:
    server = Server(_limited(**{"Retry-After": "3"}), httpx.Response(200))
    with _client(server, time) as client:
        client.request(method, URL, json=BODY)
    assert time.sleeps == [3.0]


@pytest.mark.parametrize(
    ("reset", "wait"), [("9", 9.0), (str(int(NOW) + 20), 20.0)], ids=["seconds", "unix-time"]
)
@pytest.mark.parametrize("method", UNSAFE)
def test_x_ratelimit_reset_on_the_429_is_the_wait(
    time: FakeTime, method: str, reset: str, wait: float
) -> None:
    server = Server(_limited(**{"X-RateLimit-Reset": reset}), httpx.Response(200))
    with _client(server, time) as client:
        client.request(method, URL, json=BODY)
    assert time.sleeps == [wait]


def test_without_a_server_wait_the_429_uses_backoff(time: FakeTime) -> None:
    server = Server(_limited(), _limited(), httpx.Response(200))
    with _client(server, time, RetryPolicy(backoff_initial=2.0), rand=lambda: 1.0) as client:
        client.post(URL, json=BODY)
    assert time.sleeps == [2.0, 4.0]


def test_a_post_rate_limited_on_every_attempt_returns_the_last_429(time: FakeTime) -> None:
    server = Server(*(httpx.Response(429, text=f"try {n}") for n in range(3)))
    with _client(server, time) as client:
        response = client.post(URL, json=BODY)
    assert response.status_code == 429
    assert response.text == "try 2"
    assert len(server.requests) == 3  # the first attempt and max_retries=2 retries
    assert len(time.sleeps) == 2


@pytest.mark.parametrize(("override", "attempts"), [(0, 1), (1, 2), (4, 5)])
def test_the_max_retries_extension_sets_a_posts_budget(time: FakeTime, override: int, attempts: int) -> None:
    server = Server(*(_limited() for _ in range(6)))
    with _client(server, time) as client:
        assert client.post(URL, json=BODY, extensions={"dbcloud.max_retries": override}).status_code == 429
    assert len(server.requests) == attempts


def test_max_retries_zero_sends_a_post_once(time: FakeTime) -> None:
    server = Server(_limited(), httpx.Response(200))
    with _client(server, time, RetryPolicy(max_retries=0)) as client:
        assert client.post(URL, json=BODY).status_code == 429
    assert len(server.requests) == 1
    assert time.sleeps == []


def test_the_discarded_429_is_closed(time: FakeTime) -> None:
    discarded = _limited()
    with _client(Server(discarded, httpx.Response(200)), time) as client:
        client.post(URL, json=BODY)
    assert discarded.is_closed


def test_the_repeat_is_logged(time: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="dbcloud.http")
    server = Server(_limited(**{"Retry-After": "3"}), httpx.Response(200))
    with _client(server, time) as client:
        client.patch(URL, json=BODY)
    expected = "retrying PATCH https://api.example.test/v1/things after 429 (attempt 1/2) in 3.00 s"
    assert expected in caplog.text


# --- nothing else is -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("method", UNSAFE)
def test_a_5xx_is_not_repeated(time: FakeTime, method: str, status: int) -> None:
    server = Server(httpx.Response(status), httpx.Response(200))
    with _client(server, time) as client:
        assert client.request(method, URL, json=BODY).status_code == status
    assert len(server.requests) == 1
    assert time.sleeps == []


@pytest.mark.parametrize("error", RETRYABLE_ERRORS, ids=lambda e: e.__name__)
def test_a_transport_error_is_not_repeated(time: FakeTime, error: type[httpx.TransportError]) -> None:
    # A POST that met a reset or a timeout may have reached the vendor and created something.
    server = Server(error("lost"), httpx.Response(200))
    with _client(server, time) as client, pytest.raises(error):
        client.post(URL, json=BODY)
    assert len(server.requests) == 1
    assert time.sleeps == []


def test_a_5xx_after_a_429_ends_the_attempts(time: FakeTime) -> None:
    server = Server(_limited(), httpx.Response(502), httpx.Response(200))
    with _client(server, time) as client:
        assert client.post(URL, json=BODY).status_code == 502
    assert len(server.requests) == 2


# --- the policy ------------------------------------------------------------------------------------


def test_any_method_statuses_defaults_to_429() -> None:
    assert RetryPolicy().any_method_statuses == {429}


def test_an_empty_any_method_statuses_sends_a_post_once(time: FakeTime) -> None:
    server = Server(_limited(), httpx.Response(200))
    with _client(server, time, RetryPolicy(any_method_statuses=frozenset())) as client:
        assert client.post(URL, json=BODY).status_code == 429
    assert len(server.requests) == 1


def test_any_method_statuses_are_retried_for_idempotent_methods_too(time: FakeTime) -> None:
    policy = RetryPolicy(statuses=frozenset({503}), any_method_statuses=frozenset({429}))
    server = Server(_limited(), httpx.Response(503), httpx.Response(200))
    with _client(server, time, policy) as client:
        assert client.get(URL).status_code == 200
    assert len(server.requests) == 3


def test_a_status_outside_any_method_statuses_does_not_repeat_a_post(time: FakeTime) -> None:
    policy = RetryPolicy(statuses=frozenset({429, 503}), any_method_statuses=frozenset({503}))
    server = Server(httpx.Response(503), _limited(), httpx.Response(200))
    with _client(server, time, policy) as client:
        assert client.post(URL, json=BODY).status_code == 429
    assert len(server.requests) == 2
