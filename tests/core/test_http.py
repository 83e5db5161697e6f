"""The shared httpx client: layering, origin guard on redirects, timeouts, User-Agent, redacted logs.

The tests of behaviour take the `flavour` fixture and run twice: on `build_http_client`'s client,
and on `build_async_http_client`'s behind `tests._bridge.Blocking` on a fresh event loop, so one
test body holds both flavours to the same behaviour.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from dbcloud._auth import BasicAuth, BearerAuth, HeaderTokenAuth
from dbcloud._errors import APIConnectionError, APITimeoutError, ConfigError
from dbcloud._http import (
    DEFAULT_TIMEOUT,
    AsyncOriginGuardTransport,
    OriginGuardTransport,
    _default_async_transport,
    _default_transport,
    _no_proxy,
    async_transport_of,
    build_async_http_client,
    build_http_client,
    mask_secrets,
    raise_for_transport,
    redact_url,
    request_id,
    transport_of,
)
from dbcloud._retry import RetryPolicy
from dbcloud._secret import Secret
from dbcloud._version import __version__
from tests._bridge import Blocking

TOKEN = "tok-7c1d-very-secret"
BASE = "http://127.0.0.1:8001/api"  # the API's origin
OTHER = "http://127.0.0.1:8002"  # another port on the same host: another origin

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that records requests and answers from a small routing function."""

    def __init__(self, route: Handler | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._route = route or (lambda request: httpx.Response(200, json={}))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._route(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


class Flavour:
    """Sync objects, or async ones behind `Blocking` on a loop of their own, for one test body."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop() if name == "async" else None

    def build(self, **kwargs: Any) -> Any:
        """`build_http_client(**kwargs)`, or `build_async_http_client(**kwargs)` made blocking."""
        if self.loop is None:
            return build_http_client(**kwargs)
        return Blocking(build_async_http_client(**kwargs), self.loop, lambda _: False)

    def own(self, **kwargs: Any) -> Any:
        """A caller's own httpx client of this flavour."""
        if self.loop is None:
            return httpx.Client(**kwargs)
        return Blocking(httpx.AsyncClient(**kwargs), self.loop, lambda _: False)

    def transport_of(self, own: Any, url: str) -> Any:
        return transport_of(own, url) if self.loop is None else async_transport_of(own.target, url)

    def raw(self, client: Any) -> Any:
        """The httpx client itself, not its blocking stand-in."""
        return client if self.loop is None else client.target

    def guard(self, recorder: Recorder, **options: Any) -> Callable[[httpx.Request], httpx.Response]:
        """`handle_request` of an origin guard of this flavour over `recorder`."""
        inner = httpx.MockTransport(recorder)
        if self.loop is None:
            return OriginGuardTransport(inner, **options).handle_request
        guard = AsyncOriginGuardTransport(inner, **options)
        loop = self.loop
        return lambda request: loop.run_until_complete(guard.handle_async_request(request))

    def default_transport_uses_a_proxy(self, base_url: str) -> bool:
        """Whether the default transport for `base_url` goes through a proxy (it is closed again)."""
        if self.loop is None:
            with _default_transport(base_url) as transport:
                return "Proxy" in type(transport._pool).__name__
        async_transport = _default_async_transport(base_url)
        self.loop.run_until_complete(async_transport.aclose())
        return "Proxy" in type(async_transport._pool).__name__

    def close(self) -> None:
        if self.loop is not None:
            self.loop.close()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[Flavour]:
    chosen = Flavour(request.param)
    yield chosen
    chosen.close()


def _client(flavour: Flavour, recorder: Recorder, auth: httpx.Auth | None = None, **kwargs: object) -> Any:
    return flavour.build(base_url=BASE, auth=auth, transport=httpx.MockTransport(recorder), **kwargs)


# --- defaults ----------------------------------------------------------------------------------


def test_user_agent_names_dbcloud_and_its_version(flavour: Flavour) -> None:
    recorder = Recorder()
    with _client(flavour, recorder) as client:
        client.get("/environments")
    assert recorder.last.headers["User-Agent"] == f"dbcloud/{__version__}"


def test_default_headers_are_sent_and_may_replace_the_user_agent(flavour: Flavour) -> None:
    recorder = Recorder()
    with _client(flavour, recorder, headers={"Cc-Version": "2024-09-16", "User-Agent": "mine/1"}) as client:
        client.get("/x")
    assert recorder.last.headers["Cc-Version"] == "2024-09-16"
    assert recorder.last.headers["User-Agent"] == "mine/1"


def test_timeouts_default_to_connect_5s_and_read_30s(flavour: Flavour) -> None:
    recorder = Recorder()
    with _client(flavour, recorder) as client:
        client.get("/x")
    assert client.timeout == DEFAULT_TIMEOUT
    sent = recorder.last.extensions["timeout"]
    assert (sent["connect"], sent["read"], sent["write"], sent["pool"]) == (5.0, 30.0, 30.0, 30.0)


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (120.0, (120.0, 120.0)),
        (httpx.Timeout(60.0, connect=2.0), (2.0, 60.0)),
    ],
)
def test_timeouts_can_be_overridden(
    flavour: Flavour, timeout: httpx.Timeout | float, expected: tuple[float, float]
) -> None:
    recorder = Recorder()
    with _client(flavour, recorder, timeout=timeout) as client:
        client.get("/x")
        client.get("/y", timeout=3.0)  # and per call, as httpx allows
    first, second = (r.extensions["timeout"] for r in recorder.requests)
    assert (first["connect"], first["read"]) == expected
    assert (second["connect"], second["read"]) == (3.0, 3.0)


def test_base_url_must_be_an_absolute_http_url(flavour: Flavour) -> None:
    with pytest.raises(ConfigError):
        flavour.build(base_url="acm.altinity.cloud/api", auth=None, transport=httpx.MockTransport(Recorder()))


def test_negative_max_retries_is_a_config_error(flavour: Flavour) -> None:
    with pytest.raises(ConfigError, match="max_retries"):
        _client(flavour, Recorder(), max_retries=-1)


def test_the_default_transport_needs_no_network_to_build(flavour: Flavour) -> None:
    with flavour.build(base_url="https://acm.example.test/api", auth=None) as client:
        assert client.base_url == httpx.URL("https://acm.example.test/api/")


# --- retries through the built client ----------------------------------------------------------


def _flaky(statuses: list[int]) -> Recorder:
    replies = iter(statuses)
    return Recorder(lambda request: httpx.Response(next(replies)))


def test_built_client_retries_idempotent_requests(flavour: Flavour) -> None:
    # A zero backoff keeps this test free of real waiting.
    recorder = _flaky([503, 200])
    with _client(flavour, recorder, retry_policy=RetryPolicy(backoff_initial=0.0)) as client:
        assert client.get("/x").status_code == 200
    assert len(recorder.requests) == 2


def test_built_client_never_retries_post(flavour: Flavour) -> None:
    recorder = _flaky([503, 200])
    with _client(flavour, recorder, retry_policy=RetryPolicy(backoff_initial=0.0)) as client:
        assert client.post("/clusters", json={"name": "c"}).status_code == 503
    assert len(recorder.requests) == 1


def test_max_retries_argument_replaces_the_policy_count(flavour: Flavour) -> None:
    recorder = _flaky([503, 503, 503, 200])
    policy = RetryPolicy(max_retries=5, backoff_initial=0.0)
    with _client(flavour, recorder, retry_policy=policy, max_retries=1) as client:
        assert client.get("/x").status_code == 503
    assert len(recorder.requests) == 2


# --- credentials and origins -------------------------------------------------------------------


def _redirecting(location: str, status: int) -> Recorder:
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/start":
            return httpx.Response(status, headers={"Location": location})
        return httpx.Response(200, json={"landed": str(request.url)})

    return Recorder(route)


AUTHS = {
    "x-auth-token": lambda: HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE),
    "bearer": lambda: BearerAuth(Secret(TOKEN), origin=BASE),
    "basic": lambda: BasicAuth("key-id", Secret(TOKEN), origin=BASE),
}


@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("kind", sorted(AUTHS))
def test_redirect_to_another_origin_carries_no_credential(flavour: Flavour, status: int, kind: str) -> None:
    recorder = _redirecting(f"{OTHER}/landing", status)
    with _client(flavour, recorder, AUTHS[kind]()) as client:
        client.cookies.set("session", "cookie-secret")
        response = client.request("GET" if status == 302 else "PUT", "/start", content=b"{}")
    assert response.status_code == 200
    first, landing = recorder.requests
    assert landing.url == httpx.URL(f"{OTHER}/landing")
    # The first hop had credentials, so their absence on the second is the guard's doing.
    assert "Cookie" in first.headers
    assert "X-Auth-Token" in first.headers or "Authorization" in first.headers
    for name in ("X-Auth-Token", "Authorization", "Cookie", "Proxy-Authorization"):
        assert name not in landing.headers
    assert TOKEN not in str(landing.headers.raw)


@pytest.mark.parametrize("status", [302, 307])
def test_same_origin_redirect_keeps_credentials(flavour: Flavour, status: int) -> None:
    recorder = _redirecting("/api/landing", status)
    auth = HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE)
    with _client(flavour, recorder, auth, headers={"Authorization": "Bearer other-credential"}) as client:
        client.cookies.set("session", "cookie-secret")
        client.get("/start")
    landing = recorder.last
    assert landing.url == httpx.URL("http://127.0.0.1:8001/api/landing")
    assert landing.headers["X-Auth-Token"] == TOKEN
    assert landing.headers["Authorization"] == "Bearer other-credential"
    assert landing.headers["Cookie"] == "session=cookie-secret"


def test_absolute_url_to_another_origin_gets_no_credential_headers(flavour: Flavour) -> None:
    recorder = Recorder()
    auth = BearerAuth(Secret(TOKEN), origin=BASE)
    with _client(
        flavour, recorder, auth, headers={"X-Api-Key": "key-secret"}, credential_headers=["x-api-key"]
    ) as client:
        client.get(f"{OTHER}/elsewhere")
        client.get("/here")
    elsewhere, here = recorder.requests
    assert "Authorization" not in elsewhere.headers
    assert "X-Api-Key" not in elsewhere.headers
    assert here.headers["Authorization"] == f"Bearer {TOKEN}"
    assert here.headers["X-Api-Key"] == "key-secret"


def test_origin_guard_strips_every_credential_header_case_insensitively(flavour: Flavour) -> None:
    recorder = Recorder()
    guard = flavour.guard(recorder, origin=BASE, credential_headers=["X-Auth-Token"])
    headers = {
        "authorization": "Basic x",
        "COOKIE": "a=b",
        "Proxy-Authorization": "Basic y",
        "x-auth-token": TOKEN,
        "Accept": "application/json",
    }
    guard(httpx.Request("GET", f"{OTHER}/x", headers=headers))
    guard(httpx.Request("GET", f"{BASE}/x", headers=headers))
    foreign, own = recorder.requests
    assert dict(foreign.headers) == {"host": "127.0.0.1:8002", "accept": "application/json"}
    assert own.headers["x-auth-token"] == TOKEN
    assert own.headers["cookie"] == "a=b"


def test_origin_guard_treats_https_upgrade_as_another_origin(flavour: Flavour) -> None:
    recorder = Recorder()
    guard = flavour.guard(recorder, origin="http://api.example.test")
    guard(httpx.Request("GET", "https://api.example.test/x", headers={"Authorization": "t"}))
    assert "Authorization" not in recorder.last.headers


def test_repr_of_client_and_auth_never_shows_the_token(flavour: Flavour) -> None:
    auth = HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE)
    with _client(flavour, Recorder(), auth) as client:
        for text in (repr(client), str(client), repr(client.auth), repr(vars(flavour.raw(client)))):
            assert TOKEN not in text


# --- logs --------------------------------------------------------------------------------------


def test_debug_logs_name_request_and_response_but_no_secret(
    flavour: Flavour, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dbcloud.http")
    recorder = Recorder(lambda request: httpx.Response(201, headers={"X-Request-Id": "req-42"}))
    auth = HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE)
    with _client(flavour, recorder, auth) as client:
        client.get("/clusters", params={"page": "2", "adminPass": "pw-secret", "api_key": "key-secret"})
    messages = [r.getMessage() for r in caplog.records if r.name == "dbcloud.http"]
    request_line, response_line = messages
    assert request_line.startswith("request GET http://127.0.0.1:8001/api/clusters?")
    assert "page=2" in request_line
    assert "adminPass=********" in request_line
    assert "api_key=********" in request_line
    assert response_line.startswith("response GET http://127.0.0.1:8001/api/clusters?")
    assert " 201 in " in response_line
    assert " ms" in response_line
    assert "request-id req-42" in response_line
    for secret in (TOKEN, "pw-secret", "key-secret"):
        assert secret not in caplog.text
        assert all(secret not in repr(r.args) for r in caplog.records)


def test_each_redirect_hop_is_logged(flavour: Flavour, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="dbcloud.http")
    with _client(flavour, _redirecting(f"{OTHER}/landing?token=t-secret", 302)) as client:
        client.get("/start")
    text = caplog.text
    assert "302" in text
    assert "http://127.0.0.1:8002/landing?token=********" in text
    assert "t-secret" not in text


def test_nothing_is_logged_above_debug(flavour: Flavour, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="dbcloud.http")
    with _client(flavour, Recorder()) as client:
        client.get("/x")
    assert caplog.records == []


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://h.test/a?page=1", "https://h.test/a?page=1"),
        ("https://h.test/a?token=abc&page=1", "https://h.test/a?token=********&page=1"),
        (
            "https://h.test/a?PASSWORD=x&passwd=y&adminPass=z",
            "https://h.test/a?PASSWORD=********&passwd=********&adminPass=********",
        ),
        (
            "https://h.test/a?client_secret=s&apiKey=k",
            "https://h.test/a?client_secret=********&apiKey=********",
        ),
        ("https://h.test/a?access%5Ftoken=abc", "https://h.test/a?access%5Ftoken=********"),
        ("https://h.test/a?token", "https://h.test/a?token"),
        ("https://user:pw@h.test/a#frag", "https://user:********@h.test/a"),
        ("https://h.test/a", "https://h.test/a"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected
    assert redact_url(httpx.URL(url)) == expected


def test_mask_secrets() -> None:
    text = "token abc123 then abc123456 and key-1 but not ab"
    assert mask_secrets(text, ["abc123", "abc123456", "", Secret("key-1")]) == (
        "token ******** then ******** and ******** but not ab"
    )
    assert mask_secrets("nothing here", []) == "nothing here"
    assert mask_secrets("a.b", ["."]) == "a********b"  # values are literal, not patterns


def test_request_id_from_known_headers() -> None:
    assert request_id(httpx.Response(200, headers={"x-amzn-RequestId": "amz-1"})) == "amz-1"
    assert request_id(httpx.Response(200, headers={"Request-Id": "r-2"})) == "r-2"
    assert request_id(httpx.Response(200)) is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (httpx.ConnectError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.ConnectTimeout, APITimeoutError),
    ],
)
def test_raise_for_transport(
    flavour: Flavour, kind: type[httpx.TransportError], expected: type[APIConnectionError]
) -> None:
    error = kind("failed")  # one per test: each flavour's client attaches its own request to it

    def route(request: httpx.Request) -> httpx.Response:
        raise error

    with _client(flavour, Recorder(route), max_retries=0) as client:
        try:
            client.post("/clusters?token=q-secret")
        except httpx.TransportError as exc:
            with pytest.raises(expected) as info:
                raise_for_transport(exc)
    assert type(info.value) is expected
    assert info.value.__cause__ is error
    assert info.value.method == "POST"
    assert info.value.url == "http://127.0.0.1:8001/api/clusters"
    assert "q-secret" not in str(info.value)


def test_raise_for_transport_without_a_request() -> None:
    with pytest.raises(APIConnectionError) as info:
        raise_for_transport(httpx.ConnectError("refused"))
    assert info.value.url is None


# --- proxies from the environment --------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "no_proxy", "bypass"),
    [
        ("api.example.test", "", False),
        ("api.example.test", "*", True),
        ("api.example.test", "example.test", True),
        ("api.example.test", ".example.test", True),
        ("example.test", "example.test", True),
        ("badexample.test", "example.test", False),
        ("127.0.0.1", "localhost, 127.0.0.1", True),
    ],
)
def test_no_proxy_rules(host: str, no_proxy: str, bypass: bool) -> None:
    assert _no_proxy(host, no_proxy) is bypass


def test_default_transport_accepts_a_proxy_from_the_environment(
    flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example.test:3128")
    assert flavour.default_transport_uses_a_proxy("https://acm.example.test/api")
    monkeypatch.setenv("NO_PROXY", "example.test")
    assert not flavour.default_transport_uses_a_proxy("https://acm.example.test/api")


# --- a caller's own client ---------------------------------------------------------------------


def test_transport_of_borrows_a_callers_transport_without_closing_it(flavour: Flavour) -> None:
    recorder = Recorder()
    closed: list[bool] = []

    class Owned(httpx.MockTransport):
        def close(self) -> None:
            closed.append(True)

        async def aclose(self) -> None:
            closed.append(True)

    own = flavour.own(transport=Owned(recorder))
    with flavour.build(base_url=BASE, auth=None, transport=flavour.transport_of(own, BASE)) as client:
        client.get("/x")
    assert len(recorder.requests) == 1
    assert closed == []  # dbcloud closed its client, not the caller's transport
    own.close()
    assert closed == [True]


def test_transport_of_picks_the_transport_mounted_for_the_url(flavour: Flavour) -> None:
    default, mounted = Recorder(), Recorder()
    own = flavour.own(
        transport=httpx.MockTransport(default),
        mounts={"http://127.0.0.1:8001": httpx.MockTransport(mounted)},
    )
    with own, flavour.build(base_url=BASE, auth=None, transport=flavour.transport_of(own, BASE)) as client:
        client.get("/x")
    assert (len(default.requests), len(mounted.requests)) == (0, 1)
