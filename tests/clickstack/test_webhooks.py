"""ClickStack webhooks over MockTransport, both deployments and flavours: the exact requests,
HyperDX's rules refused before sending, a delete sent once, the URL and headers kept secret."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickstack import Webhook

from .conftest import CLOUD, KEY_ID, KEY_SECRET, ORG, SVC, WEBHOOK, FakeStack, body, transport

W = WEBHOOK["id"]
SLACK_URL = "https://hooks.slack.com/services/T0SECRET/B0SECRET/xoxSecretPath"
HOOK_URL = "https://ops.example.test/hooks/7f3c-secret-path"
TOKEN = "Bearer tok-never-shown-51a2"
GENERIC = {
    "id": W,
    "name": "Pager",
    "service": "generic",
    "url": HOOK_URL,
    "body": '{"text": "{{title}}"}',
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}


def _error(fake: FakeStack, status: int, message: str) -> httpx.Response:
    if fake.mode == "managed":
        return httpx.Response(status, json={"status": status, "error": message, "requestId": "r-1"})
    return httpx.Response(status, json={"message": message})


def test_create_sends_the_fields_in_the_specs_order(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/webhooks", GENERIC)
    made = stack.webhooks.create(
        name="Pager",
        service="generic",
        url=dbcloud.Secret(HOOK_URL),
        description="on call",
        body='{"text": "{{title}}"}',
        headers={"Authorization": dbcloud.Secret(TOKEN)},
        query_params={"team": "ops"},
    )
    sent = fake.last
    assert (sent.method, sent.url.path) == ("POST", f"{fake.prefix}/webhooks")
    assert list(body(sent).items()) == [
        ("name", "Pager"),
        ("service", "generic"),
        ("url", HOOK_URL),
        ("description", "on call"),
        ("body", '{"text": "{{title}}"}'),
        ("headers", {"Authorization": TOKEN}),
        ("queryParams", {"team": "ops"}),
    ]
    assert isinstance(made, Webhook)
    assert (made.id, made.name, made.service) == (W, "Pager", "generic")
    assert made.url is not None
    assert made.url.reveal() == HOOK_URL
    assert HOOK_URL not in repr(made)


def test_a_slack_webhook_sends_only_its_own_fields(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/webhooks", {**WEBHOOK, "url": SLACK_URL})
    stack.webhooks.create(name="Alerts", service="slack", url=SLACK_URL)
    assert body(fake.last) == {"name": "Alerts", "service": "slack", "url": SLACK_URL}


def test_update_replaces_and_empty_headers_clear_them(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("PUT", f"/webhooks/{W}", GENERIC)
    updated = stack.webhooks.update(W, name="Pager", service="generic", url=HOOK_URL, headers={})
    sent = fake.last
    assert (sent.method, sent.url.path) == ("PUT", f"{fake.prefix}/webhooks/{W}")
    assert body(sent) == {"name": "Pager", "service": "generic", "url": HOOK_URL, "headers": {}}
    assert updated.id == W


def test_delete_is_sent_once_after_a_server_error(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("DELETE", f"/webhooks/{W}", _error(fake, 503, "unavailable"), None)
    with pytest.raises(dbcloud.APIStatusError) as failed:
        stack.webhooks.delete(W)
    assert failed.value.status_code == 503
    assert len([r for r in fake.requests if r.method == "DELETE"]) == 1


def test_delete_is_repeated_after_a_rate_limit(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    limited = _error(fake, 429, "slow down")
    limited.headers["Retry-After"] = "1"
    fake.on("DELETE", f"/webhooks/{W}", limited, None)
    assert stack.webhooks.delete(W) is None
    assert len([r for r in fake.requests if r.method == "DELETE"]) == 2


def test_a_webhook_alerts_use_is_a_conflict(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    message = "Cannot delete webhook: 1 alert(s) still reference it. Reassign or remove those alerts first."
    fake.on("DELETE", f"/webhooks/{W}", _error(fake, 409, message))
    with pytest.raises(dbcloud.ConflictError, match="still reference it"):
        stack.webhooks.delete(W)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 1025}, "name"),
        ({"service": "teams"}, "service"),
        ({"url": "ftp://ops.example.test/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://x.test/" + "a" * 2048}, "url"),
        ({"url": 42}, "url"),
        ({"description": "d" * 2049}, "description"),
        ({"body": "b" * 16385}, "body"),
        ({"headers": {"Bad Header": "v"}}, "headers"),
        ({"headers": {"1st": "v"}}, "headers"),
        ({"headers": {"X-Ok": "a\r\nInjected: 1"}}, "headers"),
        ({"headers": {"X-Ok": 7}}, "headers['X-Ok']"),
        ({"headers": {f"H{i}": "v" for i in range(101)}}, "headers"),
        ({"headers": ["Authorization"]}, "headers"),
        ({"query_params": {"": "v"}}, "query_params"),
        ({"query_params": {"k": "v\n"}}, "query_params"),
        ({"service": "slack", "url": SLACK_URL, "body": "{}"}, "body"),
        ({"service": "slack", "url": SLACK_URL, "headers": {"A": "b"}}, "headers"),
        ({"service": "slack", "url": HOOK_URL}, "url"),
        ({"service": "slack", "url": "https://slack.com.evil.test/x"}, "url"),
    ],
)
def test_hyperdx_rules_are_refused_before_sending(
    stack: dbcloud.ClickStack, fake: FakeStack, arguments: dict[str, Any], field: str
) -> None:
    given = {"name": "Pager", "service": "generic", "url": HOOK_URL, **arguments}
    with pytest.raises(dbcloud.ValidationError) as refused:
        stack.webhooks.create(**given)
    assert refused.value.field == field
    with pytest.raises(dbcloud.ValidationError):
        stack.webhooks.update(W, **given)
    assert fake.requests == []
    assert HOOK_URL not in str(refused.value)
    assert SLACK_URL not in str(refused.value)


@pytest.mark.parametrize("bad", ["", "a/b", ".."])
def test_ids_are_checked_before_sending(stack: dbcloud.ClickStack, fake: FakeStack, bad: str) -> None:
    with pytest.raises(dbcloud.ValidationError, match="webhook_id"):
        stack.webhooks.delete(bad)
    with pytest.raises(dbcloud.ValidationError, match="webhook_id"):
        stack.webhooks.update(bad, name="x", service="generic", url=HOOK_URL)
    assert fake.requests == []


def test_the_url_and_headers_stay_out_of_errors_and_logs(
    stack: dbcloud.ClickStack, fake: FakeStack, caplog: pytest.LogCaptureFixture
) -> None:
    # HyperDX quotes the URL it refuses ("Slack Webhook URL <url> does not have hostname ...").
    echo = f"URL {HOOK_URL} refused; headers {TOKEN}; param sekret-param-value"
    fake.on("POST", "/webhooks", _error(fake, 400, echo))
    fake.on("PUT", f"/webhooks/{W}", _error(fake, 404, f"Webhook not found ({HOOK_URL})"))
    caplog.set_level(logging.DEBUG)
    arguments: dict[str, Any] = {
        "name": "Pager",
        "service": "generic",
        "url": HOOK_URL,
        "headers": {"Authorization": TOKEN},
        "query_params": {"k": "sekret-param-value"},
    }
    with pytest.raises(dbcloud.BadRequestError) as refused:
        stack.webhooks.create(**arguments)
    with pytest.raises(dbcloud.NotFoundError) as missing:
        stack.webhooks.update(W, **arguments)
    for error in (refused.value, missing.value):
        shown = [str(error), repr(error), json.dumps(error.body), str(error.url), caplog.text, repr(stack)]
        for secret in (HOOK_URL, TOKEN, "sekret-param-value"):
            assert not any(secret in text for text in shown), secret


def test_an_answer_without_fields_still_reads(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/webhooks", {"id": W, "service": "pagerduty_api", "url": None})
    made = stack.webhooks.create(name="Pager", service="generic", url=HOOK_URL)
    assert (made.id, made.name, made.service, made.url) == (W, "", "pagerduty_api", None)


def test_an_answer_without_an_id_is_a_typed_error(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/webhooks", {"name": "Pager"})
    with pytest.raises(dbcloud.APIResponseError):
        stack.webhooks.create(name="Pager", service="generic", url=HOOK_URL)


def test_only_the_delete_is_sent_once_not_the_organization_lookup() -> None:
    # Managed without an organization id: the key's organization is looked up first, and that
    # read is retried as every read is; the delete after it is not.
    fake = FakeStack("managed")
    lookups = [
        httpx.Response(503, json={"status": 503, "error": "busy", "requestId": "r-0"}),
        fake.wrap([{"id": ORG, "name": "org"}]),
    ]
    fake.routes[("GET", "/v1/organizations")] = lookups
    fake.on("DELETE", f"/webhooks/{W}", _error(fake, 503, "unavailable"))
    client = dbcloud.ClickStack.managed(
        None, SVC, key_id=KEY_ID, key_secret=KEY_SECRET, base_url=CLOUD, http_client=transport(fake)
    )
    client._sleep = lambda seconds: None
    with client, pytest.raises(dbcloud.APIStatusError):
        client.webhooks.delete(W)
    assert [(r.method, r.url.path.rsplit("/", 1)[-1]) for r in fake.requests] == [
        ("GET", "organizations"),
        ("GET", "organizations"),
        ("DELETE", W),
    ]
