"""dbcloud.ClickStack: both modes' settings and auth, errors, the gateway 404, retries, `.api`."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickstack import AsyncClickStack
from tests._bridge import Blocking, Flavour

from .conftest import (
    API_KEY,
    CLOUD,
    DASHBOARD,
    ENDPOINT,
    KEY_ID,
    KEY_SECRET,
    MANAGED_PREFIX,
    ORG,
    REQUEST_ID,
    SVC,
    FakeStack,
    Sleeps,
    managed_client,
    oss_client,
    transport,
)


def basic(key_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


# --- managed: ClickHouse Cloud key, paths under the service --------------------------------------


def test_managed_uses_basic_auth_under_the_service_path() -> None:
    fake = FakeStack("managed")
    fake.on("GET", "/dashboards", [DASHBOARD])
    with managed_client(fake) as stack:
        assert stack.mode == "managed"
        stack.dashboards.list()
    assert fake.last.headers["Authorization"] == basic(KEY_ID, KEY_SECRET)
    assert str(fake.last.url) == f"{CLOUD}{MANAGED_PREFIX}/dashboards"


def test_managed_reads_the_clickhouse_cloud_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeStack("managed")
    fake.on("GET", "/dashboards", [DASHBOARD])
    monkeypatch.setenv("CLICKHOUSE_CLOUD_API_KEY", "env-id")
    monkeypatch.setenv("CLICKHOUSE_CLOUD_API_SECRET", "env-secret")
    monkeypatch.setenv("CLICKHOUSE_API_URL", "https://env.clickhouse.test/v1")
    with dbcloud.ClickStack.managed(ORG, SVC, http_client=transport(fake)) as stack:
        stack.dashboards.list()
    assert fake.last.headers["Authorization"] == basic("env-id", "env-secret")
    assert str(fake.last.url) == f"https://env.clickhouse.test{MANAGED_PREFIX}/dashboards"


def test_managed_needs_a_key_and_uuids() -> None:
    with pytest.raises(dbcloud.ConfigError, match="CLICKHOUSE_CLOUD_API_KEY"):
        dbcloud.ClickStack.managed(ORG, SVC)
    with pytest.raises(dbcloud.ConfigError, match="service_id must be a UUID"):
        dbcloud.ClickStack.managed(ORG, "my-service", key_id=KEY_ID, key_secret=KEY_SECRET)


def organizations(fake: FakeStack, *orgs: dict[str, str]) -> Any:
    """`fake`, with ClickHouse Cloud's organization list in front of it (what the key sees)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/organizations":
            fake.requests.append(request)
            return httpx.Response(200, json={"status": 200, "result": list(orgs)})
        return fake(request)

    return handler


def without_organization(flavour: Flavour, handler: Any) -> Any:
    """`ClickStack.managed` (or `AsyncClickStack.managed`) given no organization id."""
    return flavour.client(
        dbcloud.ClickStack.managed,
        AsyncClickStack.managed,
        handler=handler,
        org_id=None,
        service_id=SVC,
        key_id=KEY_ID,
        key_secret=KEY_SECRET,
        base_url=CLOUD,
    )


def test_managed_without_an_organization_looks_it_up_once_when_first_needed(flavour: Flavour) -> None:
    fake = FakeStack("managed")
    fake.on("GET", "/dashboards", [DASHBOARD])
    with without_organization(flavour, organizations(fake, {"id": ORG, "name": "acme"})) as stack:
        assert fake.requests == [], "nothing is sent before a call needs the organization"
        with pytest.raises(dbcloud.ValidationError):
            stack.dashboards.get("../x")
        assert fake.requests == [], "refused input sends nothing, not even the lookup"
        stack.dashboards.list()
        stack.dashboards.list()
    paths = [r.url.path for r in fake.requests]
    assert paths == ["/v1/organizations", MANAGED_PREFIX + "/dashboards", MANAGED_PREFIX + "/dashboards"]
    assert f"org_id={ORG!r}" in repr(stack)


def test_managed_organization_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, flavour: Flavour
) -> None:
    fake = FakeStack("managed")
    fake.on("GET", "/dashboards", [DASHBOARD])
    monkeypatch.setenv("CLICKHOUSE_ORG_ID", ORG)
    with without_organization(flavour, organizations(fake)) as stack:
        stack.dashboards.list()
    assert [r.url.path for r in fake.requests] == [MANAGED_PREFIX + "/dashboards"]


def test_managed_key_with_several_organizations_must_choose(flavour: Flavour) -> None:
    fake = FakeStack("managed")
    orgs = ({"id": ORG, "name": "acme"}, {"id": "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "name": "beta"})
    with (
        without_organization(flavour, organizations(fake, *orgs)) as stack,
        pytest.raises(dbcloud.ConfigError, match=r"sees 2 organizations .*acme.*beta.*CLICKHOUSE_ORG_ID"),
    ):
        stack.alerts.list()
    assert [r.url.path for r in fake.requests] == ["/v1/organizations"]


def test_managed_errors_carry_the_envelopes_request_id() -> None:
    fake = FakeStack("managed")
    error = {"status": 400, "error": "Invalid tile config", "requestId": REQUEST_ID}
    fake.on("POST", "/dashboards", httpx.Response(400, json=error))
    with managed_client(fake) as stack, pytest.raises(dbcloud.BadRequestError) as caught:
        stack.dashboards.create(name="Errors", tiles=[])
    assert caught.value.request_id == REQUEST_ID
    assert "Invalid tile config" in str(caught.value)


def test_managed_idle_service_says_how_to_wake_it() -> None:
    from dbcloud.clickhouse import ServiceIdleError

    fake = FakeStack("managed")
    fake.on(
        "GET", "/alerts", httpx.Response(424, json={"status": 424, "error": "idle", "requestId": REQUEST_ID})
    )
    with managed_client(fake) as stack, pytest.raises(ServiceIdleError, match="wake") as caught:
        stack.alerts.list()
    assert caught.value.service_id == SVC


# --- OSS: Bearer key, /api/v2 --------------------------------------------------------------------


def test_oss_uses_a_bearer_key_under_api_v2() -> None:
    fake = FakeStack("oss")
    fake.on("GET", "/dashboards", [DASHBOARD])
    with oss_client(fake) as stack:
        assert stack.mode == "oss"
        stack.dashboards.list()
    assert fake.last.headers["Authorization"] == f"Bearer {API_KEY}"
    assert str(fake.last.url) == f"{ENDPOINT}/api/v2/dashboards"


@pytest.mark.parametrize("endpoint", [ENDPOINT, ENDPOINT + "/", ENDPOINT + "/api/v2", ENDPOINT + "/api/v2/"])
def test_oss_endpoint_may_name_the_api_path(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeStack("oss")
    fake.on("GET", "/dashboards", [DASHBOARD])
    monkeypatch.setenv("CLICKSTACK_ENDPOINT", endpoint)
    monkeypatch.setenv("CLICKSTACK_API_KEY", "env-key")
    with dbcloud.ClickStack(http_client=transport(fake)) as stack:
        stack.dashboards.list()
    assert str(fake.last.url) == f"{ENDPOINT}/api/v2/dashboards"
    assert fake.last.headers["Authorization"] == "Bearer env-key"


def test_oss_settings_from_the_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeStack("oss")
    fake.on("GET", "/dashboards", [DASHBOARD])
    config = tmp_path / "config.toml"
    config.write_text(f'[default.clickstack]\nendpoint = "{ENDPOINT}"\napi_key = "profile-key"\n', "utf-8")
    config.chmod(0o600)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))
    with dbcloud.ClickStack(http_client=transport(fake)) as stack:
        stack.dashboards.list()
    assert fake.last.headers["Authorization"] == "Bearer profile-key"


def test_oss_missing_settings_name_the_variables() -> None:
    with pytest.raises(dbcloud.ConfigError, match="CLICKSTACK_ENDPOINT"):
        dbcloud.ClickStack(api_key=API_KEY)
    with pytest.raises(dbcloud.ConfigError, match="CLICKSTACK_API_KEY"):
        dbcloud.ClickStack(endpoint=ENDPOINT)


def test_oss_errors_read_the_message_and_request_id_header() -> None:
    fake = FakeStack("oss")
    fake.on(
        "GET",
        "/alerts/a1",
        httpx.Response(404, json={"message": "Alert not found"}, headers={"X-Request-Id": "r-9"}),
    )
    with oss_client(fake) as stack, pytest.raises(dbcloud.NotFoundError, match="Alert not found") as caught:
        stack.alerts.get("a1")
    assert caught.value.request_id == "r-9"


def test_oss_401_names_the_key_variable() -> None:
    fake = FakeStack("oss")
    fake.on(
        "GET",
        "/sources",
        httpx.Response(401, json={"message": "Unauthorized access. API key is missing or invalid."}),
    )
    with oss_client(fake) as stack, pytest.raises(dbcloud.AuthenticationError, match="CLICKSTACK_API_KEY"):
        stack.sources.list()


# --- both modes ---------------------------------------------------------------------------------


def test_secrets_stay_out_of_reprs(stack: dbcloud.ClickStack) -> None:
    shown = repr(stack) + repr(stack.http_client.auth)
    assert KEY_SECRET not in shown
    assert API_KEY not in shown
    shown_class = "AsyncClickStack" if isinstance(stack, Blocking) else "ClickStack"
    assert repr(stack).startswith(
        f"{shown_class}.managed(" if stack.mode == "managed" else f"{shown_class}(endpoint="
    )


def test_a_gateway_html_404_says_the_endpoint_is_not_available(
    stack: dbcloud.ClickStack, fake: FakeStack
) -> None:
    page = "<!DOCTYPE html><html><head><title>404</title></head><body>Cannot GET</body></html>"
    fake.on("GET", "/webhooks", httpx.Response(404, text=page, headers={"Content-Type": "text/html"}))
    with pytest.raises(dbcloud.NotFoundError) as caught:
        stack.webhooks.list()
    message = str(caught.value)
    assert "not available on this deployment" in message
    assert "/webhooks" in message
    assert "JSON" not in message
    assert "Expecting value" not in message


def test_an_html_200_is_a_response_error(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on(
        "GET",
        "/dashboards",
        httpx.Response(200, text="<html>app</html>", headers={"Content-Type": "text/html"}),
    )
    with pytest.raises(dbcloud.APIResponseError, match="HTML page"):
        stack.dashboards.list()


def test_a_source_lacking_required_fields_still_reads(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", "/sources", [{"id": "s1", "kind": "log"}], [{"id": "s1", "kind": "log"}])
    (source,) = stack.sources.list()
    assert (source.id, source.kind, source.name) == ("s1", "log", "")


def test_reads_are_retried_on_429_with_x_ratelimit_reset(
    stack: dbcloud.ClickStack, fake: FakeStack, sleeps: Sleeps
) -> None:
    reset = str(int(time.time()) + 10)
    fake.on(
        "GET", "/dashboards", httpx.Response(429, json={}, headers={"X-RateLimit-Reset": reset}), [DASHBOARD]
    )
    assert len(stack.dashboards.list()) == 1
    assert len(fake.requests) == 2
    assert len(sleeps) == 1
    assert 7.0 <= sleeps[0] <= 10.0


def test_a_rate_limited_creation_is_sent_once_more(
    stack: dbcloud.ClickStack, fake: FakeStack, sleeps: Sleeps
) -> None:
    fake.on("POST", "/dashboards", httpx.Response(429, json={}, headers={"Retry-After": "4"}), DASHBOARD)
    stack.dashboards.create(name="Errors", tiles=[])
    first, second = fake.requests
    assert first.content == second.content
    assert sleeps == [4.0]


def test_creations_are_not_repeated_after_a_server_error(
    stack: dbcloud.ClickStack, fake: FakeStack, sleeps: Sleeps
) -> None:
    fake.on("POST", "/dashboards", httpx.Response(502, json={}), DASHBOARD)
    with pytest.raises(dbcloud.APIStatusError):
        stack.dashboards.create(name="Errors", tiles=[])
    assert len(fake.requests) == 1
    assert sleeps == []


def test_api_is_the_generated_client_of_the_mode(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    package = "dbcloud_clickhouse_client" if fake.mode == "managed" else "dbcloud_clickstack_oss_client"
    assert type(stack.api).__module__ == f"{package}.client"
    if isinstance(stack, Blocking):  # the async client's generated client sends through its pool
        assert stack.api.get_async_httpx_client() is stack.http_client
    else:
        assert stack.api.get_httpx_client() is stack.http_client


def test_with_options_keeps_the_mode(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", "/dashboards", [DASHBOARD])
    quick = stack.with_options(max_retries=0)
    assert quick.mode == fake.mode
    quick.dashboards.list()
    assert fake.last.url.path == f"{fake.prefix}/dashboards"
