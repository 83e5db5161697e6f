"""Origin-bound credentials: the right header for the right origin, nothing for any other."""

from __future__ import annotations

import base64

import httpx
import pytest

from dbcloud._auth import BasicAuth, BearerAuth, HeaderTokenAuth, origin_of, same_origin
from dbcloud._errors import ConfigError
from dbcloud._secret import Secret

TOKEN = "tok-3f9a-very-secret"
BASE = "https://acm.example.test/api"


def _sent_headers(auth: httpx.Auth, url: str) -> httpx.Headers:
    """The headers a request to `url` carries after `auth` ran."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        client.get(url)
    return seen[0].headers


def test_header_token_auth_sends_the_token_in_its_header() -> None:
    auth = HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE)
    headers = _sent_headers(auth, f"{BASE}/environments")
    assert headers["X-Auth-Token"] == TOKEN
    assert "Authorization" not in headers


def test_bearer_auth_sends_bearer_token_and_extra_headers() -> None:
    auth = BearerAuth(Secret(TOKEN), origin=BASE, extra_headers={"Cc-Version": "2024-09-16"})
    headers = _sent_headers(auth, f"{BASE}/clusters")
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Cc-Version"] == "2024-09-16"


def test_basic_auth_sends_key_id_and_secret() -> None:
    auth = BasicAuth("key-id-1", Secret(TOKEN), origin="https://api.clickhouse.example")
    headers = _sent_headers(auth, "https://api.clickhouse.example/v1/organizations")
    scheme, _, encoded = headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == f"key-id-1:{TOKEN}"


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.test/api/environments",  # another host
        "http://acm.example.test/api/environments",  # another scheme
        "https://acm.example.test:8443/api/environments",  # another port
        "https://sub.acm.example.test/api/environments",  # a subdomain is another origin
    ],
)
@pytest.mark.parametrize(
    "auth",
    [
        HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE),
        BearerAuth(Secret(TOKEN), origin=BASE, extra_headers={"Cc-Version": "1"}),
        BasicAuth("key-id", Secret(TOKEN), origin=BASE),
    ],
    ids=["header", "bearer", "basic"],
)
def test_no_credential_for_another_origin(auth: httpx.Auth, url: str) -> None:
    headers = _sent_headers(auth, url)
    assert "X-Auth-Token" not in headers
    assert "Authorization" not in headers
    assert "Cc-Version" not in headers


def test_default_port_is_the_same_origin() -> None:
    auth = HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin="https://acm.example.test")
    assert _sent_headers(auth, "https://ACM.example.test:443/api/x")["X-Auth-Token"] == TOKEN


def test_origin_of_normalizes_default_ports_and_case() -> None:
    assert origin_of("https://Example.TEST/api") == ("https", "example.test", 443)
    assert origin_of("http://127.0.0.1:8123") == ("http", "127.0.0.1", 8123)
    assert same_origin("https://example.test:443/x?y=1", origin_of("https://example.test"))
    assert not same_origin("https://example.test:444/", origin_of("https://example.test"))


@pytest.mark.parametrize("url", ["/api", "ftp://example.test", "acm.altinity.cloud"])
def test_origin_must_be_an_absolute_http_url(url: str) -> None:
    with pytest.raises(ConfigError):
        origin_of(url)


@pytest.mark.parametrize(
    "auth",
    [
        HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE),
        BearerAuth(Secret(TOKEN), origin=BASE),
        BasicAuth("key-id", Secret(TOKEN), origin=BASE),
    ],
    ids=["header", "bearer", "basic"],
)
def test_repr_and_str_never_show_the_secret(auth: httpx.Auth) -> None:
    encoded = base64.b64encode(f"key-id:{TOKEN}".encode()).decode()
    for text in (repr(auth), str(auth), f"{auth}", repr(vars(auth))):
        assert TOKEN not in text
        assert encoded not in text
    assert "acm.example.test" in repr(auth)


@pytest.mark.parametrize("token", ["", "abc\n", "a\r\nX-Evil: 1"])
def test_malformed_tokens_are_refused_without_echoing_them(token: str) -> None:
    with pytest.raises(ConfigError) as info:
        HeaderTokenAuth(Secret(token), header="X-Auth-Token", origin=BASE)
    assert not token or token.strip() not in str(info.value)


def test_basic_user_name_may_not_hold_a_colon() -> None:
    with pytest.raises(ConfigError, match="colon"):
        BasicAuth("a:b", Secret(TOKEN), origin=BASE)


def test_credential_headers_name_what_to_guard() -> None:
    assert HeaderTokenAuth(Secret(TOKEN), header="X-Auth-Token", origin=BASE).credential_headers == (
        "X-Auth-Token",
    )
    assert BearerAuth(Secret(TOKEN), origin=BASE).credential_headers == ("Authorization",)
    assert BasicAuth("k", Secret(TOKEN), origin=BASE).credential_headers == ("Authorization",)


@pytest.mark.parametrize("value", ["tökén", "tab\there", "nul\x00", "emoji-🔑"])
@pytest.mark.parametrize(
    "build",
    [
        lambda s: HeaderTokenAuth(s, header="X-Auth-Token", origin="https://acm.example.com"),
        lambda s: BearerAuth(s, origin="https://api.example.com"),
        lambda s: BasicAuth("key-id", s, origin="https://api.example.com"),
    ],
    ids=["header", "bearer", "basic"],
)
def test_a_credential_no_header_can_carry_is_a_config_error(build: object, value: str) -> None:
    # Sent as is, httpx would fail the first request with a bare UnicodeEncodeError.
    with pytest.raises(ConfigError) as caught:
        build(Secret(value))  # type: ignore[operator]
    assert value not in str(caught.value)
