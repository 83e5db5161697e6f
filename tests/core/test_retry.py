"""The retrying transport, on fake time: what is retried, how often, and how long it waits."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from dbcloud._retry import AsyncRetryTransport, RetryPolicy, RetryTransport, retry_delay
from dbcloud._throttle import Throttle
from tests._bridge import Blocking

NOW = 1_700_000_000.0  # a fixed Unix time for the fake clock
URL = "https://api.example.test/v1/things?token=query-secret"

Reply = httpx.Response | Exception


class Server:
    """A MockTransport handler that plays a script of replies and records every request."""

    def __init__(self, *replies: Reply) -> None:
        self._replies: Iterator[Reply] = iter(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = next(self._replies)
        if isinstance(reply, Exception):
            raise reply
        return reply


class FakeTime:
    """Fake time, and the flavour of transport under test: every test of the loop runs on the sync
    `RetryTransport` and on `AsyncRetryTransport`, which share `retry_flow`."""

    def __init__(self, flavour: str = "sync") -> None:
        self.sleeps: list[float] = []
        self.flavour = flavour
        self.loop: asyncio.AbstractEventLoop | None = None

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def clock(self) -> float:
        return NOW


def _client(
    server: Callable[[httpx.Request], httpx.Response],
    time: FakeTime,
    policy: RetryPolicy | None = None,
    rand: Callable[[], float] = lambda: 0.5,
) -> httpx.Client:
    if time.loop is not None:
        inner = httpx.MockTransport(server)
        async_transport = AsyncRetryTransport(
            inner, policy=policy, sleep=time.asleep, clock=time.clock, rand=rand
        )
        blocking: Any = Blocking(httpx.AsyncClient(transport=async_transport), time.loop, lambda _: False)
        return blocking  # type: ignore[no-any-return]
    transport = RetryTransport(
        httpx.MockTransport(server), policy=policy, sleep=time.sleep, clock=time.clock, rand=rand
    )
    return httpx.Client(transport=transport)


def _connect_error(message: str = "refused") -> httpx.ConnectError:
    return httpx.ConnectError(message)


@pytest.fixture(params=["sync", "async"])
def time(request: pytest.FixtureRequest) -> Iterator[FakeTime]:
    fake = FakeTime(request.param)
    if request.param == "async":
        fake.loop = asyncio.new_event_loop()
    yield fake
    if fake.loop is not None:
        fake.loop.close()


@pytest.fixture
def sync_time() -> FakeTime:
    return FakeTime()


# --- what is retried ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_retryable_statuses_then_succeeds(time: FakeTime, status: int) -> None:
    server = Server(httpx.Response(status), httpx.Response(200, json={"ok": True}))
    with _client(server, time) as client:
        response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert len(server.requests) == 2
    assert len(time.sleeps) == 1


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_gives_up_after_max_retries_and_returns_the_last_response(time: FakeTime, status: int) -> None:
    server = Server(*(httpx.Response(status, text=f"try {n}") for n in range(3)))
    with _client(server, time) as client:
        response = client.get(URL)
    assert response.status_code == status
    assert response.text == "try 2"
    assert len(server.requests) == 3  # the first attempt and max_retries=2 retries
    assert len(time.sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 404, 409, 500, 501])
def test_other_statuses_are_not_retried(time: FakeTime, status: int) -> None:
    server = Server(httpx.Response(status))
    with _client(server, time) as client:
        assert client.get(URL).status_code == status
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow connect"),
        httpx.ReadError("reset"),
        httpx.ReadTimeout("slow read"),
        httpx.RemoteProtocolError("server hung up"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_get_is_retried_on_connection_errors(time: FakeTime, error: Exception) -> None:
    server = Server(error, httpx.Response(200))
    with _client(server, time) as client:
        assert client.get(URL).status_code == 200
    assert len(server.requests) == 2


def test_the_last_connection_error_is_raised_on_giving_up(time: FakeTime) -> None:
    server = Server(_connect_error("first"), _connect_error("second"), _connect_error("third"))
    with _client(server, time) as client, pytest.raises(httpx.ConnectError, match="third"):
        client.get(URL)
    assert len(server.requests) == 3


def test_other_transport_errors_are_not_retried(time: FakeTime) -> None:
    server = Server(httpx.UnsupportedProtocol("nope"))
    with _client(server, time) as client, pytest.raises(httpx.UnsupportedProtocol):
        client.get(URL)
    assert len(server.requests) == 1


@pytest.mark.parametrize("make_reply", [lambda: httpx.Response(503), _connect_error])
def test_post_is_not_retried_on_a_5xx_or_a_connection_error(
    time: FakeTime, make_reply: Callable[[], Reply]
) -> None:
    # A 429 is the exception (tests/core/test_retry_any_method.py): refused before anything was done.
    reply = make_reply()
    server = Server(reply, httpx.Response(200))
    with _client(server, time) as client:
        if isinstance(reply, Exception):
            with pytest.raises(httpx.ConnectError):
                client.post(URL, json={"name": "api-test"})
        else:
            assert client.post(URL, json={"name": "api-test"}).status_code == reply.status_code
    assert len(server.requests) == 1
    assert time.sleeps == []


def test_patch_is_not_retried_by_default(time: FakeTime) -> None:
    server = Server(httpx.Response(503), httpx.Response(200))
    with _client(server, time) as client:
        assert client.patch(URL, json={}).status_code == 503
    assert len(server.requests) == 1


@pytest.mark.parametrize("method", ["PUT", "DELETE", "HEAD", "OPTIONS"])
def test_idempotent_methods_are_retried(time: FakeTime, method: str) -> None:
    server = Server(httpx.Response(502), _connect_error(), httpx.Response(200))
    with _client(server, time) as client:
        assert client.request(method, URL).status_code == 200
    assert [r.method for r in server.requests] == [method] * 3


def test_retry_unsafe_extension_lets_a_post_retry_with_its_body(time: FakeTime) -> None:
    server = Server(httpx.Response(503), _connect_error(), httpx.Response(200))
    query = {"query": "{ environments { id } }"}
    with _client(server, time) as client:
        response = client.post(URL, json=query, extensions={"dbcloud.retry_unsafe": True})
    assert response.status_code == 200
    assert len(server.requests) == 3
    assert all(r.content == server.requests[0].content != b"" for r in server.requests)


def test_a_streamed_body_is_sent_whole_on_every_attempt(time: FakeTime) -> None:
    server = Server(httpx.Response(503), httpx.Response(200))

    def body() -> Iterator[bytes]:
        yield b"part one, "
        yield b"part two"

    async def abody() -> AsyncIterator[bytes]:
        yield b"part one, "
        yield b"part two"

    with _client(server, time) as client:
        content = body() if time.loop is None else abody()
        assert client.put(URL, content=content).status_code == 200
    assert [r.content for r in server.requests] == [b"part one, part two"] * 2


@pytest.mark.parametrize(("override", "attempts"), [(0, 1), (1, 2), (4, 5)])
def test_max_retries_extension_overrides_the_policy(time: FakeTime, override: int, attempts: int) -> None:
    server = Server(*(httpx.Response(503) for _ in range(6)))
    with _client(server, time) as client:
        client.get(URL, extensions={"dbcloud.max_retries": override})
    assert len(server.requests) == attempts


def test_max_retries_extension_does_not_make_a_post_retryable(time: FakeTime) -> None:
    server = Server(httpx.Response(503), httpx.Response(200))
    with _client(server, time) as client:
        client.post(URL, extensions={"dbcloud.max_retries": 3})
    assert len(server.requests) == 1


@pytest.mark.parametrize("bad", [-1, "2", True, 1.5])
def test_max_retries_extension_must_be_a_non_negative_int(time: FakeTime, bad: Any) -> None:
    server = Server(httpx.Response(200))
    with _client(server, time) as client, pytest.raises(ValueError, match=r"dbcloud\.max_retries"):
        client.get(URL, extensions={"dbcloud.max_retries": bad})


def test_policy_max_retries_zero_disables_retrying(time: FakeTime) -> None:
    server = Server(httpx.Response(503), httpx.Response(200))
    with _client(server, time, RetryPolicy(max_retries=0)) as client:
        assert client.get(URL).status_code == 503
    assert len(server.requests) == 1


def test_policy_methods_are_normalized_to_upper_case() -> None:
    assert RetryPolicy(methods=frozenset({"get", "Put"})).methods == {"GET", "PUT"}


def test_policy_refuses_negative_settings() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError, match="max_wait"):
        RetryPolicy(max_wait=-1.0)


# --- the vendor hook ---------------------------------------------------------------------------


def _environment_busy(response: httpx.Response) -> bool:
    # ACM style: HTTP 200 whose body says the environment is busy.
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "environment busy"


def test_retry_on_hook_reads_the_body_and_retries(time: FakeTime) -> None:
    server = Server(
        httpx.Response(200, json={"error": "environment busy"}),
        httpx.Response(200, json={"data": [1, 2]}),
    )
    with _client(server, time, RetryPolicy(retry_on=_environment_busy)) as client:
        response = client.get(URL)
    assert response.json() == {"data": [1, 2]}
    assert len(server.requests) == 2


def test_a_response_the_hook_accepts_reaches_the_caller_intact(sync_time: FakeTime) -> None:
    time = sync_time  # streams the body with the sync API
    server = Server(
        httpx.Response(200, json={"data": "x"}, headers={"X-Request-Id": "r-1"}),
        httpx.Response(200, content=b"streamed body"),
    )
    with _client(server, time, RetryPolicy(retry_on=_environment_busy)) as client:
        response = client.get(URL)
        with client.stream("GET", URL) as streamed:
            chunks = b"".join(streamed.iter_bytes())
    assert response.json() == {"data": "x"}
    assert response.headers["X-Request-Id"] == "r-1"
    assert response.elapsed.total_seconds() >= 0  # httpx read and closed it as usual
    assert chunks == b"streamed body"
    assert streamed.is_closed


def test_the_hook_sees_a_compressed_body_decoded_and_the_caller_too(time: FakeTime) -> None:
    busy = gzip.compress(b'{"error": "environment busy"}')
    done = gzip.compress(b'{"data": 1}')
    server = Server(
        httpx.Response(200, content=busy, headers={"Content-Encoding": "gzip"}),
        httpx.Response(200, content=done, headers={"Content-Encoding": "gzip"}),
    )
    with _client(server, time, RetryPolicy(retry_on=_environment_busy)) as client:
        response = client.get(URL)
    assert response.json() == {"data": 1}
    assert len(server.requests) == 2


@pytest.mark.parametrize("limited_first", [False, True], ids=["busy", "429-then-busy"])
def test_hook_is_not_consulted_for_post(time: FakeTime, limited_first: bool) -> None:
    calls: list[httpx.Response] = []

    def hook(response: httpx.Response) -> bool:
        calls.append(response)
        return True

    busy = httpx.Response(200, json={"error": "environment busy"})
    replies = (httpx.Response(429), busy) if limited_first else (busy,)
    server = Server(*replies, httpx.Response(200))
    with _client(server, time, RetryPolicy(retry_on=hook)) as client:
        assert client.post(URL).json() == {"error": "environment busy"}
    assert calls == []
    assert len(server.requests) == len(replies)  # a 429 is repeated whatever the method; busy is not


def test_discarded_responses_are_closed(time: FakeTime) -> None:
    sent: list[httpx.Response] = []

    def handler(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(503 if not sent else 200)
        sent.append(response)
        return response

    with _client(handler, time) as client:
        client.get(URL)
    assert sent[0].is_closed


# --- how long it waits -------------------------------------------------------------------------


def _wait_for(headers: dict[str, str], status: int = 429, policy: RetryPolicy | None = None) -> float:
    response = httpx.Response(status, headers=headers)
    return retry_delay(response, 1, policy or RetryPolicy(), now=NOW, rand=lambda: 0.5)


def test_retry_after_seconds_reach_the_sleep(time: FakeTime) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200))
    with _client(server, time) as client:
        client.get(URL)
    assert time.sleeps == [7.0]


def test_retry_after_http_date_reaches_the_sleep(time: FakeTime) -> None:
    date = email.utils.formatdate(NOW + 12, usegmt=True)
    server = Server(httpx.Response(503, headers={"Retry-After": date}), httpx.Response(200))
    with _client(server, time) as client:
        client.get(URL)
    assert time.sleeps == [12.0]


def test_retry_after_in_the_past_means_no_wait() -> None:
    assert _wait_for({"Retry-After": email.utils.formatdate(NOW - 30, usegmt=True)}) == 0.0


def test_x_ratelimit_reset_as_seconds() -> None:
    assert _wait_for({"X-RateLimit-Reset": "9"}) == 9.0


def test_x_ratelimit_reset_as_epoch_time(time: FakeTime) -> None:
    server = Server(
        httpx.Response(429, headers={"X-RateLimit-Reset": str(int(NOW) + 20)}), httpx.Response(200)
    )
    with _client(server, time) as client:
        client.get(URL)
    assert time.sleeps == [20.0]


def test_retry_after_wins_over_x_ratelimit_reset() -> None:
    assert _wait_for({"Retry-After": "3", "X-RateLimit-Reset": "9"}) == 3.0


def test_x_ratelimit_reset_is_ignored_unless_rate_limited() -> None:
    # The reset time comes with every ClickHouse response; on a 503 it says nothing about the outage.
    policy = RetryPolicy(backoff_initial=1.0)
    assert _wait_for({"X-RateLimit-Reset": "50"}, status=503, policy=policy) == 0.5


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "3600"},
        {"Retry-After": email.utils.formatdate(NOW + 3600, usegmt=True)},
        {"X-RateLimit-Reset": "3600"},
        {"X-RateLimit-Reset": str(int(NOW) + 3600)},
    ],
)
def test_every_server_requested_wait_is_capped(headers: dict[str, str]) -> None:
    assert _wait_for(headers) == 60.0
    assert _wait_for(headers, policy=RetryPolicy(max_wait=5.0)) == 5.0


def test_unreadable_headers_fall_back_to_backoff() -> None:
    assert _wait_for({"Retry-After": "soon", "X-RateLimit-Reset": "later"}) == 0.25  # 0.5 * 0.5


def test_backoff_doubles_up_to_backoff_max_with_full_jitter() -> None:
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=8.0)
    ceilings = [retry_delay(None, n, policy, now=NOW, rand=lambda: 1.0) for n in range(1, 8)]
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert [retry_delay(None, n, policy, now=NOW, rand=lambda: 0.0) for n in range(1, 8)] == [0.0] * 7
    assert retry_delay(None, 3, policy, now=NOW, rand=lambda: 0.25) == 0.5


def test_backoff_is_capped_by_max_wait_and_survives_huge_attempts() -> None:
    policy = RetryPolicy(backoff_initial=10.0, backoff_max=100.0, max_wait=30.0)
    assert retry_delay(None, 5, policy, now=NOW, rand=lambda: 1.0) == 30.0
    assert retry_delay(None, 10_000, policy, now=NOW, rand=lambda: 1.0) == 30.0


def test_jitter_stays_within_bounds(time: FakeTime) -> None:
    draws = iter([0.0, 0.999999])
    server = Server(httpx.Response(502), httpx.Response(502), httpx.Response(200))
    with _client(server, time, rand=lambda: next(draws)) as client:
        client.get(URL)
    assert time.sleeps[0] == 0.0
    assert 0.0 < time.sleeps[1] < 1.0  # second retry: ceiling 2 * 0.5


def test_connection_errors_use_backoff(time: FakeTime) -> None:
    server = Server(_connect_error(), _connect_error(), httpx.Response(200))
    with _client(server, time, RetryPolicy(backoff_initial=2.0), rand=lambda: 1.0) as client:
        client.get(URL)
    assert time.sleeps == [2.0, 4.0]


# --- what it logs ------------------------------------------------------------------------------


def test_each_retry_is_logged_without_query_or_headers(
    time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dbcloud.http")
    server = Server(httpx.Response(503, headers={"Retry-After": "2"}), _connect_error(), httpx.Response(200))
    with _client(server, time) as client:
        client.get(URL, headers={"X-Auth-Token": "header-secret"})
    retries = [r for r in caplog.records if r.name == "dbcloud.http" and r.levelno == logging.INFO]
    assert len(retries) == 2
    first, second = (r.getMessage() for r in retries)
    assert "GET https://api.example.test/v1/things" in first
    assert "503" in first
    assert "1/2" in first
    assert "2.00 s" in first
    assert "ConnectError" in second
    assert "2/2" in second
    assert "query-secret" not in caplog.text
    assert "token=" not in caplog.text
    assert "header-secret" not in caplog.text


class _CutStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that breaks off part way, as when the peer resets the connection."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"partial": '
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"partial": '
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def test_a_body_cut_off_mid_way_is_retried_for_a_get(time: FakeTime) -> None:
    server = Server(httpx.Response(200, stream=_CutStream()), httpx.Response(200, json={"ok": True}))
    with _client(server, time) as client:
        response = client.get("https://api.test/things")
    assert response.json() == {"ok": True}
    assert len(server.requests) == 2
    assert response.elapsed.total_seconds() >= 0  # a fresh, properly closed response


def test_a_body_cut_off_mid_way_is_not_retried_for_a_post(time: FakeTime) -> None:
    server = Server(httpx.Response(200, stream=_CutStream()), httpx.Response(200, json={"ok": True}))
    with _client(server, time) as client, pytest.raises(httpx.RemoteProtocolError):
        client.post("https://api.test/things", json={})
    assert len(server.requests) == 1


# --- the client's pace -------------------------------------------------------------------------


def _paced(server: Server, time: FakeTime, throttle: Throttle) -> httpx.Client:
    if time.loop is not None:
        async_transport = AsyncRetryTransport(
            httpx.MockTransport(server), sleep=time.asleep, clock=time.clock, throttle=throttle
        )
        blocking: Any = Blocking(httpx.AsyncClient(transport=async_transport), time.loop, lambda _: False)
        return blocking  # type: ignore[no-any-return]
    transport = RetryTransport(
        httpx.MockTransport(server), sleep=time.sleep, clock=time.clock, throttle=throttle
    )
    return httpx.Client(transport=transport)


def test_per_second_spaces_the_attempts(time: FakeTime) -> None:
    server = Server(*(httpx.Response(200) for _ in range(3)))
    with _paced(server, time, Throttle(per_second=10)) as client:
        for _ in range(3):
            client.get(URL)
    # The fake clock stands still, so each start slot is 0.1 s after the one before.
    assert time.sleeps == pytest.approx([0.1, 0.2])


def test_a_429_holds_every_request_of_the_client_for_its_wait(time: FakeTime) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "5"}), httpx.Response(201))
    throttle = Throttle()
    with _paced(server, time, throttle) as client:
        # A create is not retried on this 429 when retries are off, but the pause it asked for
        # still holds the requests that follow: they back off together.
        assert client.post(URL, extensions={"dbcloud.max_retries": 0}).status_code == 429
        assert client.get(URL).status_code == 201
    assert time.sleeps == [5.0]


def test_without_a_limit_nothing_waits(time: FakeTime) -> None:
    server = Server(*(httpx.Response(200) for _ in range(3)))
    with _paced(server, time, Throttle()) as client:
        for _ in range(3):
            client.get(URL)
    assert time.sleeps == []


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), True, "10"])
def test_per_second_must_be_a_positive_number(bad: Any) -> None:
    with pytest.raises(ValueError, match="per_second"):
        Throttle(per_second=bad)
