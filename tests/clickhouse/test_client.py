"""dbcloud.ClickHouseCloud: settings, Basic auth, the organization, the envelope, errors, rate limits."""

from __future__ import annotations

import base64
import logging
import time
from pathlib import Path

import httpx
import pytest
from dbcloud_clickhouse_client.types import Unset

import dbcloud
from dbcloud._reading import strict_reading
from dbcloud.clickhouse import ServiceIdleError
from tests._bridge import Flavour

from .conftest import (
    BASE,
    KEY_ID,
    KEY_SECRET,
    ORG,
    ORGANIZATION,
    REQUEST_ID,
    SVC,
    Clock,
    FakeCloud,
    cloud_with,
    envelope,
    failure,
    service,
)

S = f"/v1/organizations/{ORG}/services/{SVC}"
OTHER_ORG = {"id": "3c3c3c3c-3c3c-4c3c-8c3c-3c3c3c3c3c3c", "name": "Other"}


def basic(key_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


# --- settings and auth --------------------------------------------------------------------------


def test_key_is_sent_as_http_basic(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service())
    ch.services.get(SVC)
    sent = fake.last
    assert sent.headers["Authorization"] == basic(KEY_ID, KEY_SECRET)
    assert sent.headers["User-Agent"] == f"dbcloud/{dbcloud.__version__}"
    assert str(sent.url) == f"{BASE}{S}"


def test_settings_come_from_the_environment(fake: FakeCloud, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.on("GET", S, service())
    monkeypatch.setenv("CLICKHOUSE_CLOUD_API_KEY", "env-id")
    monkeypatch.setenv("CLICKHOUSE_CLOUD_API_SECRET", "env-secret")
    monkeypatch.setenv("CLICKHOUSE_ORG_ID", ORG)
    monkeypatch.setenv("CLICKHOUSE_API_URL", "https://env.clickhouse.test/v1/")
    with cloud_with(fake) as client:
        assert client.base_url == "https://env.clickhouse.test"
        client.services.get(SVC)
    assert fake.last.headers["Authorization"] == basic("env-id", "env-secret")
    assert fake.last.url.host == "env.clickhouse.test"
    assert fake.last.url.path == S


def test_arguments_win_over_environment_and_profile(
    fake: FakeCloud, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake.on("GET", S, service())
    config = tmp_path / "config.toml"
    config.write_text(
        f'[default.clickhouse]\nkey_id = "p-id"\nkey_secret = "p-secret"\norg_id = "{ORG}"\n', "utf-8"
    )
    config.chmod(0o600)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))
    with cloud_with(fake, base_url=BASE) as client:
        client.services.get(SVC)
    assert fake.last.headers["Authorization"] == basic("p-id", "p-secret")
    monkeypatch.setenv("CLICKHOUSE_CLOUD_API_KEY", "env-id")
    monkeypatch.setenv("CLICKHOUSE_CLOUD_API_SECRET", "env-secret")
    with cloud_with(fake, base_url=BASE, key_id="arg-id", key_secret="arg-secret") as client:
        client.services.get(SVC)
    assert fake.last.headers["Authorization"] == basic("arg-id", "arg-secret")


def test_missing_key_names_the_variables() -> None:
    with pytest.raises(dbcloud.ConfigError, match="CLICKHOUSE_CLOUD_API_KEY"):
        dbcloud.ClickHouseCloud()
    with pytest.raises(dbcloud.ConfigError, match="CLICKHOUSE_CLOUD_API_SECRET"):
        dbcloud.ClickHouseCloud(key_id=KEY_ID)


def test_a_malformed_org_id_is_a_config_error() -> None:
    with pytest.raises(dbcloud.ConfigError, match="not a UUID"):
        dbcloud.ClickHouseCloud(key_id=KEY_ID, key_secret=KEY_SECRET, org_id="acme")


def test_the_secret_stays_out_of_reprs(ch: dbcloud.ClickHouseCloud, flavour: Flavour) -> None:
    assert KEY_SECRET not in repr(ch)
    assert KEY_SECRET not in repr(ch.http_client.auth)
    name = "AsyncClickHouseCloud" if flavour.is_async else "ClickHouseCloud"
    assert repr(ch) == f"{name}(base_url={BASE!r}, org_id={ORG!r})"


def test_the_only_organization_is_found(fake: FakeCloud) -> None:
    fake.on("GET", "/v1/organizations", [ORGANIZATION])
    fake.on("GET", f"{S}", service())
    with cloud_with(fake, key_id=KEY_ID, key_secret=KEY_SECRET, base_url=BASE) as client:
        client.services.get(SVC)
        client.services.get(SVC)
        assert client.org_id == ORG
    # The organization is looked up once.
    assert [r.url.path for r in fake.requests] == ["/v1/organizations", S, S]


def test_an_org_id_is_needed_when_the_key_sees_several(fake: FakeCloud) -> None:
    fake.on("GET", "/v1/organizations", [ORGANIZATION, OTHER_ORG])
    client = cloud_with(fake, key_id=KEY_ID, key_secret=KEY_SECRET, base_url=BASE)
    with client, pytest.raises(dbcloud.ConfigError, match="2 organizations") as caught:
        client.services.list()
    assert ORG in str(caught.value)
    assert "CLICKHOUSE_ORG_ID" in str(caught.value)


def test_a_key_without_organization_is_a_config_error(fake: FakeCloud) -> None:
    fake.on("GET", "/v1/organizations", [])
    client = cloud_with(fake, key_id=KEY_ID, key_secret=KEY_SECRET, base_url=BASE)
    with client, pytest.raises(dbcloud.ConfigError, match="no organization"):
        client.services.list()


def test_api_is_the_generated_client_on_the_same_connection(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, flavour: Flavour
) -> None:
    from dbcloud_clickhouse_client.api.organization import organization_get

    fake.on("GET", f"/v1/organizations/{ORG}", ORGANIZATION)
    if flavour.loop is not None:  # the async client's `api` is for the generated asyncio functions
        response = flavour.loop.run_until_complete(
            organization_get.asyncio_detailed(organization_id=ORG, client=ch.api)
        )
    else:
        response = organization_get.sync_detailed(organization_id=ORG, client=ch.api)
    assert response.status_code == 200
    assert fake.last.headers["Authorization"] == basic(KEY_ID, KEY_SECRET)


# --- the envelope and errors ---------------------------------------------------------------------


def test_the_envelope_is_unwrapped(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service(clickhouseVersion="25.8"))
    got = ch.services.get(SVC)
    assert (str(got.id), got.name, got.clickhouse_version) == (SVC, "analytics", "25.8")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, dbcloud.BadRequestError),
        (401, dbcloud.AuthenticationError),
        (403, dbcloud.PermissionDeniedError),
        (404, dbcloud.NotFoundError),
        (409, dbcloud.ConflictError),
        (500, dbcloud.InternalServerError),
    ],
)
def test_error_envelope_becomes_a_status_error_with_the_request_id(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, status: int, error: type[dbcloud.APIStatusError]
) -> None:
    fake.on("GET", S, failure(status, "Service not ready for this operation"))
    with pytest.raises(error) as caught:
        ch.with_options(max_retries=0).services.get(SVC)
    exc = caught.value
    assert exc.status_code == status
    assert exc.request_id == REQUEST_ID
    assert REQUEST_ID in str(exc)
    assert "Service not ready for this operation" in exc.message
    assert (exc.method, exc.url) == ("GET", f"{BASE}{S}")


def test_authentication_error_says_what_to_check(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, failure(401, "Unauthorized"))
    with pytest.raises(dbcloud.AuthenticationError, match="CLICKHOUSE_CLOUD_API_SECRET"):
        ch.services.get(SVC)


def test_an_error_envelope_in_a_200_is_an_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on(
        "GET", S, httpx.Response(200, json={"status": 403, "error": "Forbidden", "requestId": REQUEST_ID})
    )
    with pytest.raises(dbcloud.PermissionDeniedError) as caught:
        ch.services.get(SVC)
    assert caught.value.request_id == REQUEST_ID


def test_idle_service_answering_424_says_how_to_wake_it(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("PATCH", f"{S}/scaling", failure(424, "Instance is idle"))
    with pytest.raises(ServiceIdleError) as caught:
        ch.services.set_scaling(SVC, num_replicas=2)
    exc = caught.value
    assert isinstance(exc, dbcloud.FailedDependencyError)
    assert exc.status_code == 424
    assert exc.service_id == SVC
    assert exc.request_id == REQUEST_ID
    assert "is idle" in str(exc)
    assert f"services.wake('{SVC}')" in str(exc)


def test_an_html_404_says_the_endpoint_is_not_available(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    page = httpx.Response(
        404, text="<html><h1>404 Not Found</h1></html>", headers={"Content-Type": "text/html"}
    )
    fake.on("GET", S, page)
    with pytest.raises(dbcloud.NotFoundError, match="not available on this deployment") as caught:
        ch.services.get(SVC)
    assert "JSON" not in str(caught.value)


def test_an_html_200_is_a_response_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, httpx.Response(200, text="<html>login</html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(dbcloud.APIResponseError, match="HTML page"):
        ch.services.get(SVC)


def test_an_answer_without_required_fields_still_reads(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    # Real answers lack autoscalingMode and currentScaling, which the spec marks required.
    fake.on("GET", S, {"id": SVC, "name": "no scaling fields"}, {"id": SVC, "name": "no scaling fields"})
    got = ch.services.get(SVC)
    assert got.name == "no scaling fields"
    assert isinstance(got.model.autoscaling_mode, Unset)
    # Strict reading (our conformance tests) still finds what the spec promised and the answer lacks.
    strictly = ch.services.get(SVC)
    with strict_reading(), pytest.raises(dbcloud.APIResponseError, match="autoscalingMode: required"):
        strictly.model  # noqa: B018 - parsing is what is tested


def test_secret_echoed_in_an_error_is_masked(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, failure(400, f"bad credentials {KEY_ID}:{KEY_SECRET}"))
    with pytest.raises(dbcloud.BadRequestError) as caught:
        ch.services.get(SVC)
    assert KEY_SECRET not in str(caught.value)
    assert KEY_SECRET not in repr(caught.value.args)


def test_connection_failure_is_an_api_connection_error(fake: FakeCloud) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = cloud_with(
        refuse, key_id=KEY_ID, key_secret=KEY_SECRET, org_id=ORG, base_url=BASE, max_retries=0
    )
    with client, pytest.raises(dbcloud.APIConnectionError, match=r"GET https://api\.clickhouse\.test"):
        client.services.get(SVC)


# --- rate limits ---------------------------------------------------------------------------------


def limited(**headers: str) -> httpx.Response:
    return failure(429, "Too many requests", **headers)


def test_x_ratelimit_reset_as_seconds(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    fake.on("GET", S, limited(**{"X-RateLimit-Reset": "7"}), envelope(service()))
    assert ch.services.get(SVC).name == "analytics"
    assert len(fake.requests) == 2
    assert clock.sleeps == [7.0]


def test_x_ratelimit_reset_as_a_unix_time(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    reset = int(time.time()) + 12
    fake.on("GET", S, limited(**{"X-RateLimit-Reset": str(reset)}), envelope(service()))
    ch.services.get(SVC)
    assert len(clock.sleeps) == 1
    assert 9.0 <= clock.sleeps[0] <= 12.0


def test_a_far_reset_is_capped(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    reset = int(time.time()) + 86_400
    fake.on("GET", S, limited(**{"X-RateLimit-Reset": str(reset)}), envelope(service()))
    ch.services.get(SVC)
    assert clock.sleeps == [60.0]


def test_retry_after_wins(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    fake.on("GET", S, limited(**{"Retry-After": "3", "X-RateLimit-Reset": "40"}), envelope(service()))
    ch.services.get(SVC)
    assert clock.sleeps == [3.0]


def test_a_limited_create_is_repeated_once_after_the_servers_wait(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock
) -> None:
    # A 429 is a refusal before any work, so the create is sent again, after the reset.
    fake.on(
        "POST",
        f"/v1/organizations/{ORG}/services",
        limited(**{"X-RateLimit-Reset": "20"}),
        envelope({"service": service(), "password": "pw-for-the-test"}),
    )
    ch.services.create(name="analytics", provider="aws", region="us-east-1")
    first, second = fake.requests
    assert first.content == second.content
    assert clock.sleeps == [20.0]


def test_a_limited_create_says_when_to_retry_when_retries_are_off(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock
) -> None:
    fake.on("POST", f"/v1/organizations/{ORG}/services", limited(**{"X-RateLimit-Reset": "20"}))
    with pytest.raises(dbcloud.RateLimitError) as caught:
        ch.with_options(max_retries=0).services.create(name="analytics", provider="aws", region="us-east-1")
    assert len(fake.requests) == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == 20.0
    assert caught.value.request_id == REQUEST_ID


def test_rate_limit_gives_up_after_max_retries(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock
) -> None:
    fake.on("GET", S, limited(**{"X-RateLimit-Reset": "1"}))
    with pytest.raises(dbcloud.RateLimitError) as caught:
        ch.services.get(SVC)
    assert len(fake.requests) == 3
    assert caught.value.retry_after == 1.0


# --- secrets the API returns ---------------------------------------------------------------------


def test_new_secrets_are_returned_but_never_logged(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, caplog: pytest.LogCaptureFixture
) -> None:
    password, key_secret = "s3rvice-pa55-xyz", "k3y-s3cret-xyz"
    fake.on(
        "POST",
        f"/v1/organizations/{ORG}/services",
        {"service": service("provisioning"), "password": password},
    )
    fake.on(
        "POST",
        f"/v1/organizations/{ORG}/keys",
        {
            "key": {"id": "6d7e8f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "name": "ci"},
            "keyId": "kid",
            "keySecret": key_secret,
        },
    )
    fake.on("PATCH", f"{S}/password", {"password": password + "-2"})
    with caplog.at_level(logging.DEBUG):
        new = ch.services.create(name="analytics", provider="aws", region="us-east-1")
        key = ch.keys.create(name="ci")
        reset = ch.services.reset_password(SVC)
        logging.getLogger("test").info("created %s and %s, reset %s", new, key, reset)
    assert new.password is not None
    assert new.password.reveal() == password
    assert key.key_secret is not None
    assert key.key_secret.reveal() == key_secret
    assert key.key_id == "kid"
    assert reset is not None
    assert reset.reveal() == password + "-2"
    assert new.id == SVC
    shown = caplog.text + repr(new) + str(new) + repr(key) + repr(new.service)
    assert "POST" in caplog.text  # the requests were logged, without their bodies
    for secret in (password, key_secret, KEY_SECRET):
        assert secret not in shown
