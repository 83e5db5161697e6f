"""dbcloud.CockroachCloud: settings, auth, Cc-Version, error mapping, rate limits, secrets kept home."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import dbcloud
from tests._bridge import Flavour

from .conftest import API_KEY, BASE, CLUSTER_ID, SPEC_VERSION, Clock, FakeCockroach, cluster_json, make_client

Call = Callable[[dbcloud.CockroachCloud], object]

GET_PATH = f"/api/v1/clusters/{CLUSTER_ID}"

# --- settings, auth, Cc-Version -------------------------------------------------------------------


def test_bearer_key_and_cc_version_default_to_the_spec_version(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", GET_PATH, cluster_json())
    crdb.clusters.get(CLUSTER_ID)
    (request,) = fake.requests
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Cc-Version"] == SPEC_VERSION
    assert request.headers["User-Agent"] == f"dbcloud/{dbcloud.__version__}"
    assert str(request.url) == f"{BASE}{GET_PATH}"
    assert crdb.api_version == SPEC_VERSION


def test_spec_version_comes_from_the_generated_package() -> None:
    from dbcloud_cockroach_client._spec import SPEC_VERSION as generated

    assert generated == SPEC_VERSION


def test_cc_version_can_be_overridden(
    fake: FakeCockroach, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake.on("GET", GET_PATH, cluster_json())
    with make_client(fake, api_key=API_KEY, base_url=BASE, api_version="2025-01-01") as client:
        client.clusters.get(CLUSTER_ID)
    assert fake.requests[-1].headers["Cc-Version"] == "2025-01-01"

    config = tmp_path / "config.toml"
    config.write_text('[default.cockroach]\napi_version = "2023-04-10"\n', "utf-8")
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))
    with make_client(fake, api_key=API_KEY, base_url=BASE) as client:
        client.clusters.get(CLUSTER_ID)
    assert fake.requests[-1].headers["Cc-Version"] == "2023-04-10"


def test_bad_api_version_is_a_config_error() -> None:
    with pytest.raises(dbcloud.ConfigError, match="api_version"):
        dbcloud.CockroachCloud(api_key=API_KEY, api_version="2024\r\nX-Evil: 1")


def test_settings_precedence(fake: FakeCockroach, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake.on("GET", GET_PATH, cluster_json())
    config = tmp_path / "config.toml"
    config.write_text(
        '[default.cockroach]\napi_key = "from-profile"\nbase_url = "https://profile.test"\n', "utf-8"
    )
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))

    def sent(**kwargs: object) -> tuple[str, str]:
        with make_client(fake, **kwargs) as client:
            client.clusters.get(CLUSTER_ID)
        request = fake.requests[-1]
        return request.headers["Authorization"], request.url.host

    assert sent() == ("Bearer from-profile", "profile.test")
    monkeypatch.setenv("COCKROACH_API_KEY", "from-env")
    monkeypatch.setenv("COCKROACH_SERVER", "https://env.test")
    assert sent() == ("Bearer from-env", "env.test")
    assert sent(api_key="from-arg", base_url=BASE) == ("Bearer from-arg", "crdb.test")


def test_default_server_is_cockroachlabs_cloud(fake: FakeCockroach) -> None:
    fake.on("GET", GET_PATH, cluster_json())
    with make_client(fake, api_key=API_KEY) as client:
        assert client.base_url == "https://cockroachlabs.cloud"
        client.clusters.get(CLUSTER_ID)
    assert str(fake.requests[0].url) == f"https://cockroachlabs.cloud{GET_PATH}"


@pytest.mark.parametrize("given", [f"{BASE}/", f"{BASE}/api/v1", f"{BASE}/api/v1/", f"{BASE}/api"])
def test_the_api_root_of_the_docs_is_accepted_as_base_url(fake: FakeCockroach, given: str) -> None:
    fake.on("GET", GET_PATH, cluster_json())
    with make_client(fake, api_key=API_KEY, base_url=given) as client:
        client.clusters.get(CLUSTER_ID)
    assert str(fake.requests[0].url) == f"{BASE}{GET_PATH}"


def test_missing_key_names_the_variable() -> None:
    with pytest.raises(dbcloud.ConfigError, match="COCKROACH_API_KEY"):
        dbcloud.CockroachCloud()


def test_generated_client_shares_auth_and_version(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, flavour: Flavour
) -> None:
    from dbcloud_cockroach_client.api.clusters import cockroach_cloud_get_cluster

    fake.on("GET", GET_PATH, cluster_json())
    if flavour.loop is None:
        response = cockroach_cloud_get_cluster.sync_detailed(CLUSTER_ID, client=crdb.api)
    else:  # the async client's `api` takes the generated asyncio functions
        called = cockroach_cloud_get_cluster.asyncio_detailed(CLUSTER_ID, client=crdb.target.api)
        response = flavour.loop.run_until_complete(called)
    assert response.status_code == 200
    assert fake.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"
    assert fake.requests[0].headers["Cc-Version"] == SPEC_VERSION


def test_a_generated_call_of_the_other_flavour_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, flavour: Flavour
) -> None:
    import asyncio

    from dbcloud_cockroach_client.api.clusters import cockroach_cloud_get_cluster

    def other_flavour() -> object:
        if flavour.loop is None:  # the bare async client it would otherwise build has no auth
            return asyncio.run(cockroach_cloud_get_cluster.asyncio_detailed(CLUSTER_ID, client=crdb.api))
        return cockroach_cloud_get_cluster.sync_detailed(CLUSTER_ID, client=crdb.target.api)

    with pytest.raises(dbcloud.ConfigError, match="not sent"):
        other_flavour()
    assert fake.requests == []


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "text"),
    [
        (400, dbcloud.BadRequestError, "invalid cluster name"),
        (401, dbcloud.AuthenticationError, "COCKROACH_API_KEY"),
        (403, dbcloud.PermissionDeniedError, "ADMIN or READ"),
        (404, dbcloud.NotFoundError, "not found"),
        (409, dbcloud.ConflictError, "conflict"),
        (429, dbcloud.RateLimitError, "slow down"),
        (500, dbcloud.InternalServerError, "internal"),
    ],
)
def test_untyped_error_bodies_become_status_errors_with_the_message(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, status: int, error: type[Exception], text: str
) -> None:
    messages = {
        400: "invalid cluster name",
        401: "unauthenticated",
        403: "permission denied",
        404: "cluster not found",
        409: "conflict",
        429: "slow down",
        500: "internal error",
    }
    fake.on(
        "GET", GET_PATH, httpx.Response(status, json={"code": 3, "message": messages[status], "details": []})
    )
    with pytest.raises(error, match=text) as caught:
        crdb.with_options(max_retries=0).clusters.get(CLUSTER_ID)
    assert isinstance(caught.value, dbcloud.APIStatusError)
    assert caught.value.status_code == status
    assert caught.value.message.startswith(messages[status])
    assert (caught.value.method, caught.value.url) == ("GET", f"{BASE}{GET_PATH}")
    assert caught.value.body == {"code": 3, "message": messages[status], "details": []}


def test_error_without_a_body(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", GET_PATH, httpx.Response(502, text="<html>bad gateway</html>"))
    with pytest.raises(dbcloud.InternalServerError, match="HTTP 502") as caught:
        crdb.with_options(max_retries=0).clusters.get(CLUSTER_ID)
    assert caught.value.body is None


def test_success_that_is_not_json(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", GET_PATH, httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(dbcloud.APIResponseError, match="not JSON"):
        crdb.clusters.get(CLUSTER_ID)


def test_request_id_is_carried(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "GET",
        GET_PATH,
        httpx.Response(404, json={"code": 5, "message": "nope"}, headers={"X-Request-Id": "r-9"}),
    )
    with pytest.raises(dbcloud.NotFoundError) as caught:
        crdb.clusters.get(CLUSTER_ID)
    assert caught.value.request_id == "r-9"


DENIED = httpx.Response(403, json={"code": 7, "message": "permission denied"})


@pytest.mark.parametrize(
    ("call", "method", "path", "permission", "role"),
    [
        (
            lambda c: c.clusters.create_serverless("notorious-moose"),
            "POST",
            "/api/v1/clusters",
            "CREATE",
            "CLUSTER_CREATOR",
        ),
        (lambda c: c.clusters.get(CLUSTER_ID), "GET", GET_PATH, "READ", "CLUSTER_MONITOR"),
        (lambda c: list(c.clusters.list()), "GET", "/api/v1/clusters", "READ", "ORG_ADMIN"),
        (
            lambda c: list(c.clusters.nodes(CLUSTER_ID)),
            "GET",
            f"{GET_PATH}/nodes",
            "READ",
            "CLUSTER_DEVELOPER",
        ),
        (
            lambda c: c.clusters.update(CLUSTER_ID, usage_limits={"request_unit_limit": 10}),
            "PATCH",
            GET_PATH,
            "EDIT",
            "CLUSTER_OPERATOR_WRITER",
        ),
        (lambda c: c.clusters.delete(CLUSTER_ID), "DELETE", GET_PATH, "DELETE", "CLUSTER_ADMIN"),
    ],
)
def test_403_names_the_permission_the_call_needs(
    crdb: dbcloud.CockroachCloud,
    fake: FakeCockroach,
    call: Call,
    method: str,
    path: str,
    permission: str,
    role: str,
) -> None:
    fake.on(method, path, DENIED)
    with pytest.raises(dbcloud.PermissionDeniedError) as caught:
        call(crdb)
    message = str(caught.value)
    assert message.startswith("403 permission denied: ")
    assert f"ADMIN or {permission} permission" in message
    assert role in message


def test_403_of_another_operation_names_the_permission_by_method(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", f"{GET_PATH}/databases", DENIED)
    with pytest.raises(dbcloud.PermissionDeniedError, match="ADMIN or READ permission"):
        crdb._call("databases.cockroach_cloud_list_databases", cluster_id=CLUSTER_ID)


# --- rate limits and retries ----------------------------------------------------------------------


def test_429_is_retried_after_the_retry_after_wait(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    limited = httpx.Response(429, json={"code": 8, "message": "rate limited"}, headers={"Retry-After": "3"})
    fake.on("GET", GET_PATH, limited, cluster_json())
    assert crdb.clusters.get(CLUSTER_ID).name == "notorious-moose"
    assert len(fake.sent("GET", GET_PATH)) == 2
    assert clock.sleeps == [3.0]


def test_429_that_persists_reports_retry_after(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    limited = httpx.Response(429, json={"code": 8, "message": "rate limited"}, headers={"Retry-After": "2"})
    fake.on("GET", GET_PATH, limited)
    with pytest.raises(dbcloud.RateLimitError) as caught:
        crdb.clusters.get(CLUSTER_ID)
    assert caught.value.retry_after == 2.0
    assert len(fake.sent("GET", GET_PATH)) == 3  # the first try and the 2 default retries
    assert clock.sleeps == [2.0, 2.0]


def test_a_rate_limited_create_is_sent_once_more(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    limited = httpx.Response(429, json={"code": 8, "message": "rate limited"}, headers={"Retry-After": "1"})
    fake.on("POST", "/api/v1/clusters", limited, cluster_json("CREATING"))
    assert crdb.clusters.create_serverless("notorious-moose") is not None
    first, second = fake.sent("POST", "/api/v1/clusters")
    assert first.content == second.content
    assert clock.sleeps == [1.0]


def test_create_is_not_repeated_after_a_server_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, clock: Clock
) -> None:
    fake.on("POST", "/api/v1/clusters", httpx.Response(503, json={"code": 14}), cluster_json("CREATING"))
    with pytest.raises(dbcloud.APIStatusError):
        crdb.clusters.create_serverless("notorious-moose")
    assert len(fake.sent("POST", "/api/v1/clusters")) == 1
    assert clock.sleeps == []


def test_delete_is_retried_after_503(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("DELETE", GET_PATH, httpx.Response(503), cluster_json("DELETED"))
    assert crdb.clusters.delete(CLUSTER_ID) is not None
    assert len(fake.sent("DELETE", GET_PATH)) == 2


def test_connection_failure(fake: FakeCockroach) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    expected = pytest.raises(dbcloud.APIConnectionError, match=r"GET https://crdb\.test/api/v1/clusters/")
    with make_client(refuse, api_key=API_KEY, base_url=BASE, max_retries=0) as client, expected:
        client.clusters.get(CLUSTER_ID)


# --- secrets ----------------------------------------------------------------------------------------


def test_api_key_never_shows_in_repr_errors_or_logs(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dbcloud")
    echoed = {"code": 16, "message": f"bad key {API_KEY}", "details": [{"key": API_KEY}]}
    fake.on("GET", GET_PATH, httpx.Response(401, json=echoed))
    with pytest.raises(dbcloud.AuthenticationError) as caught:
        crdb.clusters.get(CLUSTER_ID)
    error = caught.value
    shown = " ".join([str(error), repr(error), repr(error.args), repr(error.body), error.message])
    assert API_KEY not in shown
    assert "********" in error.message
    assert API_KEY not in repr(crdb)
    assert API_KEY not in repr(crdb.http_client.auth)
    assert API_KEY not in caplog.text
    assert "crdb.test" in caplog.text  # the request was logged, just without the key


def test_redirect_to_another_origin_carries_no_key() -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "crdb.test":
            return httpx.Response(302, headers={"Location": f"https://elsewhere.test{GET_PATH}"})
        return httpx.Response(200, json=cluster_json())

    with make_client(server, api_key=API_KEY, base_url=BASE) as client:
        client.clusters.get(CLUSTER_ID)
    assert seen[0].headers["Authorization"] == f"Bearer {API_KEY}"
    assert "Authorization" not in seen[1].headers


def test_repr_shows_server_and_version() -> None:
    client = dbcloud.CockroachCloud(api_key=API_KEY)
    assert repr(client) == "CockroachCloud(base_url='https://cockroachlabs.cloud', api_version='2024-09-16')"
    client.close()
