"""API keys and sign-in."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.altinity import AsyncAltinity
from tests._bridge import Flavour, blocking_client

from .conftest import BASE, FakeACM, envelope, form


def account(*tokens: dict[str, str]) -> dict[str, object]:
    return {"id": 3, "email": "ops@example.com", "tokens": list(tokens)}


def test_list_parses_keys_and_hides_them(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/account", account({"token": "k-one-secret", "expiry": "2026-11-24 18:00:00"}))
    (key,) = acm.keys.list()
    assert key.expires == dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
    assert key.key.reveal() == "k-one-secret"
    assert "k-one-secret" not in repr(key)
    assert len(key.fingerprint) == 12


def test_create_saves_the_new_key_with_a_gmt_expiry(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/account", account({"token": "old", "expiry": "2030-01-01 00:00:00"}))
    fake.on("GET", "/account/token", "brand-new-key")
    fake.on("POST", "/account", account())
    expires = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    key = acm.keys.create(expires_at=expires)
    assert key.key.reveal() == "brand-new-key"
    saved = json.loads(form(fake.sent("POST", "/account")[0])["tokens"])
    assert saved == [
        {"token": "old", "expiry": "2030-01-01 00:00:00"},
        {"token": "brand-new-key", "expiry": "2031-05-06 05:08:09"},
    ]


def test_create_refuses_a_sixth_key_before_generating_one(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/account", account(*({"token": f"k{i}", "expiry": ""} for i in range(5))))
    with pytest.raises(dbcloud.ValidationError, match="ACM allows 5 API keys per user"):
        acm.keys.create()
    assert [r.url.path for r in fake.requests] == ["/api/account"]


def test_create_refuses_a_past_expiry(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    with pytest.raises(dbcloud.ValidationError, match="already be expired"):
        acm.keys.create(expires_in=dt.timedelta(hours=-1))
    assert fake.requests == []


def test_delete_by_fingerprint(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/account", account({"token": "keep", "expiry": ""}, {"token": "drop", "expiry": ""}))
    fake.on("POST", "/account", account())
    drop = acm.keys.list()[1]
    acm.keys.delete(drop.fingerprint)
    saved = json.loads(form(fake.sent("POST", "/account")[0])["tokens"])
    assert [k["token"] for k in saved] == ["keep"]


def test_expired_key_error_says_so(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environments", httpx.Response(401, json={"data": None, "error": "Token expired"}))
    with pytest.raises(dbcloud.AuthenticationError, match="24 hours"):
        acm.environments.list()


def sign_in(flavour: Flavour, fake: FakeACM, username: str, password: str) -> Any:
    """`Altinity.login`, or `await AsyncAltinity.login` (its client behind the sync API)."""
    if flavour.loop is None:
        http = httpx.Client(transport=httpx.MockTransport(fake))
        return dbcloud.Altinity.login(username, password, base_url=BASE, http_client=http)
    ahttp = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    signing_in = AsyncAltinity.login(username, password, base_url=BASE, http_client=ahttp)
    return blocking_client(flavour.loop.run_until_complete(signing_in), flavour.loop)


def test_login_returns_a_client_with_the_session_token(fake: FakeACM, flavour: Flavour) -> None:
    fake.on("POST", "/login", {"id": 3, "email": "ops@example.com", "token": "session-token"})
    fake.on("GET", "/environments", [])
    client = sign_in(flavour, fake, "ops@example.com", "pw-secret")
    assert type(client.target if flavour.is_async else client) is (
        AsyncAltinity if flavour.is_async else dbcloud.Altinity
    )
    client.environments.list()
    login, listing = fake.requests
    assert form(login) == {"login": "ops@example.com", "password": "pw-secret"}
    assert "X-Auth-Token" not in login.headers
    assert listing.headers["X-Auth-Token"] == "session-token"
    assert "session-token" not in repr(client)
    client.close()


def test_login_with_wrong_password(fake: FakeACM, flavour: Flavour) -> None:
    fake.on("POST", "/login", httpx.Response(401, json={"data": None, "error": "Wrong login or password"}))
    with pytest.raises(dbcloud.AuthenticationError, match="Wrong login or password") as caught:
        sign_in(flavour, fake, "ops@example.com", "nope-secret")
    assert len(fake.requests) == 1  # a sign-in is never retried
    assert "nope-secret" not in str(caught.value)


def test_login_answered_without_a_token(fake: FakeACM, flavour: Flavour) -> None:
    fake.on("POST", "/login", {"id": 3, "email": "ops@example.com"})
    with pytest.raises(dbcloud.APIResponseError, match="no token"):
        sign_in(flavour, fake, "ops@example.com", "pw-secret")


def test_login_busy_or_rate_limited_is_not_repeated(fake: FakeACM, flavour: Flavour) -> None:
    fake.on("POST", "/login", httpx.Response(429, headers={"Retry-After": "1"}), envelope({"token": "t"}))
    with pytest.raises(dbcloud.RateLimitError):
        sign_in(flavour, fake, "ops@example.com", "pw-secret")
    assert len(fake.requests) == 1


@pytest.mark.parametrize(("username", "password"), [("", "pw"), ("ops@example.com", "pw\r\nX-Evil: 1")])
def test_login_checks_its_credentials_before_sending(
    fake: FakeACM, flavour: Flavour, username: str, password: str
) -> None:
    with pytest.raises(dbcloud.ValidationError, match="single-line"):
        sign_in(flavour, fake, username, password)
    assert fake.requests == []
