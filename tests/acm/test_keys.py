"""API keys and sign-in."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

import dbcloud

from .conftest import BASE, FakeACM, form


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


def test_login_returns_a_client_with_the_session_token(fake: FakeACM) -> None:
    fake.on("POST", "/login", {"id": 3, "email": "ops@example.com", "token": "session-token"})
    fake.on("GET", "/environments", [])
    http = httpx.Client(transport=httpx.MockTransport(fake))
    client = dbcloud.Altinity.login("ops@example.com", "pw-secret", base_url=BASE, http_client=http)
    client.environments.list()
    login, listing = fake.requests
    assert form(login) == {"login": "ops@example.com", "password": "pw-secret"}
    assert "X-Auth-Token" not in login.headers
    assert listing.headers["X-Auth-Token"] == "session-token"
    assert "session-token" not in repr(client)


def test_login_with_wrong_password(fake: FakeACM) -> None:
    fake.on("POST", "/login", httpx.Response(401, json={"data": None, "error": "Wrong login or password"}))
    http = httpx.Client(transport=httpx.MockTransport(fake))
    with pytest.raises(dbcloud.AuthenticationError, match="Wrong login or password"):
        dbcloud.Altinity.login("ops@example.com", "nope", base_url=BASE, http_client=http)
    assert len(fake.requests) == 1  # a sign-in is never retried
