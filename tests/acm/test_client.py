"""dbcloud.Altinity: settings, auth, ACM's error habits, retries, redirects, and secrets kept home."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

import dbcloud

from .conftest import BASE, TOKEN, FakeACM, envelope

ENVS = [{"id": "176", "name": "altinity-gke-test", "externalDNS": "1", "autoPush": True}]


def client_with(handler: FakeACM, **kwargs: object) -> dbcloud.Altinity:
    return dbcloud.Altinity(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)  # type: ignore[arg-type]


# --- settings and auth --------------------------------------------------------------------------


def test_token_is_sent_as_x_auth_token(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environments", ENVS)
    envs = acm.environments.list()
    assert fake.requests[0].headers["X-Auth-Token"] == TOKEN
    assert fake.requests[0].headers["User-Agent"] == f"dbcloud/{dbcloud.__version__}"
    assert str(fake.requests[0].url) == "https://acm.test/api/environments"
    assert [(e.id, e.name, e.model.external_dns) for e in envs] == [("176", "altinity-gke-test", 1)]


def test_settings_precedence(fake: FakeACM, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake.on("GET", "/environments", ENVS)
    config = tmp_path / "config.toml"
    config.write_text(
        '[default.acm]\ntoken = "from-profile"\nbase_url = "https://profile.test/api"\n', "utf-8"
    )
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))

    def sent_token(**kwargs: object) -> tuple[str, str]:
        with client_with(fake, **kwargs) as client:
            client.environments.list()
        request = fake.requests[-1]
        return request.headers["X-Auth-Token"], request.url.host

    assert sent_token() == ("from-profile", "profile.test")
    monkeypatch.setenv("ACM_API_KEY", "from-env")
    monkeypatch.setenv("ACM_API_URL", "https://env.test/api")
    assert sent_token() == ("from-env", "env.test")
    assert sent_token(token="from-arg", base_url=BASE) == ("from-arg", "acm.test")


def test_missing_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(dbcloud.ConfigError, match="ACM_API_KEY"):
        dbcloud.Altinity()


def test_profile_selects_a_table(fake: FakeACM, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake.on("GET", "/environments", ENVS)
    config = tmp_path / "config.toml"
    config.write_text('[default.acm]\ntoken = "dev"\n[prod.acm]\ntoken = "prod"\n', "utf-8")
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))
    monkeypatch.setenv("DBCLOUD_PROFILE", "prod")
    with client_with(fake, base_url=BASE) as client:
        client.environments.list()
    assert fake.requests[-1].headers["X-Auth-Token"] == "prod"


# --- ACM's answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (
            httpx.Response(401, json={"data": None, "error": "Unauthorized"}),
            dbcloud.AuthenticationError,
            "expire",
        ),
        (
            httpx.Response(403, json={"data": None, "error": "Forbidden"}),
            dbcloud.PermissionDeniedError,
            "Forbidden",
        ),
        (
            httpx.Response(404, json={"data": None, "error": "Cluster not found"}),
            dbcloud.NotFoundError,
            "not found",
        ),
        (httpx.Response(500, text="<html>oops</html>"), dbcloud.InternalServerError, "500"),
        (envelope(None, "Cluster not found"), dbcloud.NotFoundError, "Cluster not found"),
        (envelope(None, "Environment is busy with another operation"), dbcloud.ConflictError, "busy"),
        (envelope(None, "Bad value for nodes"), dbcloud.BadRequestError, "Bad value"),
        (
            httpx.Response(200, json={"data": None, "error": None, "code": 403}),
            dbcloud.PermissionDeniedError,
            "403",
        ),
        (envelope(False), dbcloud.APIStatusError, "data: false"),
        (httpx.Response(200, text="not json"), dbcloud.APIResponseError, "not JSON"),
    ],
)
def test_error_mapping(
    acm: dbcloud.Altinity, fake: FakeACM, response: httpx.Response, error: type[Exception], text: str
) -> None:
    fake.on("GET", "/cluster/7", response)
    with pytest.raises(error, match=text) as caught:
        acm.clusters.get(7)
    if isinstance(caught.value, dbcloud.APIStatusError):
        assert caught.value.method == "GET"
        assert caught.value.url == "https://acm.test/api/cluster/7"


def test_request_id_is_carried(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on(
        "GET", "/cluster/7", httpx.Response(404, json={"error": "gone"}, headers={"X-Request-Id": "req-77"})
    )
    with pytest.raises(dbcloud.NotFoundError) as caught:
        acm.clusters.get(7)
    assert caught.value.request_id == "req-77"
    assert "req-77" in str(caught.value)


def test_connection_failure_is_an_api_connection_error(fake: FakeACM) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    expected = pytest.raises(dbcloud.APIConnectionError, match=r"GET https://acm\.test/api/environments")
    with client_with(refuse, token=TOKEN, base_url=BASE, max_retries=0) as client, expected:  # type: ignore[arg-type]
        client.environments.list()


# --- retries -------------------------------------------------------------------------------------


def test_get_is_retried_on_503_and_honours_retry_after(acm: dbcloud.Altinity, fake: FakeACM, clock) -> None:  # type: ignore[no-untyped-def]
    busy = httpx.Response(503, json={"error": "later"}, headers={"Retry-After": "7"})
    fake.on("GET", "/environments", busy, envelope(ENVS))
    assert len(acm.environments.list()) == 1
    assert len(fake.sent("GET", "/environments")) == 2
    assert clock.sleeps == [7.0]


def test_retries_stop_at_max_retries(acm: dbcloud.Altinity, fake: FakeACM, clock) -> None:  # type: ignore[no-untyped-def]
    fake.on("GET", "/environments", httpx.Response(502, json={"error": "bad gateway"}))
    with pytest.raises(dbcloud.InternalServerError):
        acm.environments.list()
    assert len(fake.sent("GET", "/environments")) == 3  # the first try and 2 retries
    assert len(clock.sleeps) == 2


def test_max_retries_per_call(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environments", httpx.Response(503, json={"error": "later"}))
    with pytest.raises(dbcloud.InternalServerError):
        acm.with_options(max_retries=0).environments.list()
    assert len(fake.sent("GET", "/environments")) == 1


def test_a_busy_environment_is_retried_for_safe_calls(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environments", envelope(None, "Environment is busy"), envelope(ENVS))
    assert len(acm.environments.list()) == 1
    assert len(fake.sent("GET", "/environments")) == 2


def test_busy_answers_and_server_errors_share_one_budget(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    # One retry loop: the caller's budget of 2 retries is 3 requests in all, whatever refused.
    unavailable = httpx.Response(503, json={"error": "later"})
    fake.on("GET", "/environments", unavailable, unavailable, envelope(None, "Environment is busy"))
    with pytest.raises(dbcloud.ConflictError, match="busy"):
        acm.with_options(max_retries=2).environments.list()
    assert len(fake.sent("GET", "/environments")) == 3


def test_a_busy_refusal_of_a_launch_is_not_repeated(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    # A busy answer is decided after the body is read, like a 5xx: a POST is not repeated on it.
    fake.on(
        "POST", "/environment/1/clusters/launch", envelope(None, "Environment is busy"), envelope({"id": 1})
    )
    with pytest.raises(dbcloud.ConflictError):
        acm.clusters.launch(1, name="a1", admin_pass="pw-1", node_type="t", nodes=1, replicas=1, size=1)
    assert len(fake.sent("POST", "/environment/1/clusters/launch")) == 1


def test_delete_is_retried_but_launch_never(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("DELETE", "/cluster/9/1", httpx.Response(503), envelope(True))
    acm.clusters.delete(9)
    assert len(fake.sent("DELETE", "/cluster/9/1")) == 2


# --- credentials stay home ------------------------------------------------------------------------


def test_redirect_to_another_origin_carries_no_token() -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "acm.test":
            return httpx.Response(302, headers={"Location": "https://elsewhere.test/api/environments"})
        return envelope(ENVS)

    with client_with(server, token=TOKEN, base_url=BASE) as client:  # type: ignore[arg-type]
        client.environments.list()
    assert seen[0].headers["X-Auth-Token"] == TOKEN
    assert seen[1].url.host == "elsewhere.test"
    assert "X-Auth-Token" not in seen[1].headers
    assert "Authorization" not in seen[1].headers


def test_token_never_shows_in_repr_errors_or_logs(
    acm: dbcloud.Altinity, fake: FakeACM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dbcloud")
    fake.on("GET", "/cluster/7", httpx.Response(401, json={"error": f"bad token {TOKEN}"}))
    fake.on("POST", "/environment/1/clusters/launch", envelope({"id": 1, "adminPass": "s3cret-pass"}))
    with pytest.raises(dbcloud.AuthenticationError) as caught:
        acm.clusters.get(7)
    cluster = acm.clusters.launch(
        1, name="a1", admin_pass="s3cret-pass", node_type="t", nodes=1, replicas=1, size=1
    )
    shown = [repr(acm), str(acm), str(caught.value), repr(caught.value), caplog.text, repr(cluster)]
    for text in shown:
        assert TOKEN not in text
        assert "s3cret-pass" not in text
    assert "bad token ********" in str(caught.value)


def test_an_httpx_timeout_is_used_as_given(fake: FakeACM) -> None:
    fake.on("GET", "/environments", ENVS)
    timeout = httpx.Timeout(12.0, connect=3.0)
    with client_with(fake, token=TOKEN, base_url=BASE, timeout=timeout) as client:
        client.environments.list()
        assert client.http_client.timeout == timeout
    assert fake.requests[-1].extensions["timeout"] == {
        "connect": 3.0,
        "read": 12.0,
        "write": 12.0,
        "pool": 12.0,
    }


def test_default_timeouts_are_5s_connect_30s_read(acm: dbcloud.Altinity) -> None:
    assert acm.http_client.timeout == httpx.Timeout(30.0, connect=5.0)


def test_with_options_timeout_applies_per_call(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environments", ENVS)
    acm.with_options(timeout=2.5).environments.list()
    acm.environments.list()
    first, second = fake.requests
    assert first.extensions["timeout"]["read"] == 2.5
    assert second.extensions["timeout"]["read"] == 30.0
