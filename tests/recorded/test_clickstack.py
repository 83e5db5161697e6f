"""ClickStack OSS through the facade, replayed from tests/cassettes/clickstack/.

The managed flavour (through ClickHouse Cloud) is in test_clickstack_managed.py; it reuses the
helpers here, so that both flavours run the same scenarios.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dbcloud
from dbcloud.emulator import Fault

from ..clickstack.test_alerts import DOCUMENTED
from ._targets import TEST_SECRETS, Target, on_request

API = "clickstack"
pytestmark = pytest.mark.vcr

# Fixed ids nobody has: well-formed ObjectIds, so the server answers 404, not 400.
UNKNOWN_DASHBOARD = "65f5e4a3ffffffffffff0001"
UNKNOWN_ALERT = "65f5e4a3ffffffffffff0002"
HOOK_URL = "https://hooks.example.com/clickstack/alerts"

MakeHook = Callable[[Target, dbcloud.ClickStack, str], str]  # (target, stack, name) -> new webhook's id
DropHook = Callable[[Target, dbcloud.ClickStack, str], None]


# --- helpers, shared with test_clickstack_managed.py -------------------------------------------------


def log_source_id(stack: dbcloud.ClickStack) -> str:
    return str(next(s.id for s in stack.sources.list() if s.kind == "log"))


def tile(source_id: str, name: str = "Error Rate", **extra: Any) -> dict[str, Any]:
    config = {"displayType": "line", "sourceId": source_id, "select": [{"aggFn": "count"}]}
    return {"name": name, "x": 0, "y": 0, "w": 6, "h": 3, "config": config, **extra}


def sent_bodies(stack: dbcloud.ClickStack) -> list[bytes]:
    """The bodies of every request `stack` sends from now on, as they go on the wire."""
    bodies: list[bytes] = []
    on_request(stack, lambda request: bodies.append(request.content))
    return bodies


def documented_alert(stack: dbcloud.ClickStack, dashboard_id: str, tile_id: str, webhook_id: str) -> Any:
    """The vendor's "Example: Create an alert", with the ids of a real dashboard, tile and webhook."""
    return stack.alerts.create(
        dashboard_id=dashboard_id,
        tile_id=tile_id,
        threshold=100,
        interval="1h",
        source="tile",
        threshold_type="above",
        channel={"type": "webhook", "webhookId": webhook_id},
        name="Error Spike Alert",
        message="Error rate exceeded 100 in the last hour",
    )


def documented_bytes(dashboard_id: str, tile_id: str, webhook_id: str) -> bytes:
    """The documented body with its placeholders filled in, compacted: what must go on the wire."""
    text = (
        DOCUMENTED.replace("<DASHBOARD_ID>", dashboard_id)
        .replace("<TILE_ID>", tile_id)
        .replace("<WEBHOOK_ID>", webhook_id)
    )
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False).encode()


def check_dashboard_lifecycle(stack: dbcloud.ClickStack) -> None:
    source = log_source_id(stack)
    made = stack.dashboards.create(name="Service Overview", tiles=[tile(source)], tags=["prod"])
    assert made.id
    assert made.name == "Service Overview"
    assert list(made.tags) == ["prod"]
    assert made.tiles[0].id
    assert (made.tiles[0].name, made.tiles[0].w, made.tiles[0].h) == ("Error Rate", 6, 3)
    assert made.id in [d.id for d in stack.dashboards.list()]
    fetched = stack.dashboards.get(str(made.id))
    assert fetched.name == "Service Overview"
    assert [t.id for t in fetched.tiles] == [made.tiles[0].id]
    assert fetched.tiles[0].config["sourceId"] == source
    kept = tile(source, id=made.tiles[0].id)
    updated = stack.dashboards.update(str(made.id), name="Renamed", tiles=[kept, tile(source, "Latency")])
    assert updated.id == made.id
    assert updated.name == "Renamed"
    assert updated.tiles[0].id == made.tiles[0].id, "a tile sent with its id keeps it"
    assert updated.tiles[1].name == "Latency"
    assert updated.tiles[1].id not in (None, made.tiles[0].id)
    assert updated.tags == (), "PUT replaces the dashboard: tags left out are cleared"
    assert stack.dashboards.get(str(made.id)).name == "Renamed"
    stack.dashboards.delete(str(made.id))
    with pytest.raises(dbcloud.NotFoundError):
        stack.dashboards.get(str(made.id))
    assert made.id not in [d.id for d in stack.dashboards.list()]


def check_documented_alert(stack: dbcloud.ClickStack, webhook_id: str) -> tuple[Any, str]:
    """Sends the documented alert; returns the alert as fetched back, and its dashboard's id."""
    dashboard = stack.dashboards.create(name="Errors", tiles=[tile(log_source_id(stack))])
    dashboard_id, tile_id = str(dashboard.id), str(dashboard.tiles[0].id)
    bodies = sent_bodies(stack)
    created = documented_alert(stack, dashboard_id, tile_id, webhook_id)
    assert bodies == [documented_bytes(dashboard_id, tile_id, webhook_id)], "sent byte for byte as documented"
    assert created.id
    assert (created.dashboard_id, created.tile_id) == (dashboard_id, tile_id)
    assert created.threshold == 100
    assert (created.interval, created.source, created.threshold_type) == ("1h", "tile", "above")
    assert created.channel is not None
    assert (created.channel["type"], created.channel["webhookId"]) == ("webhook", webhook_id)
    assert created.name == "Error Spike Alert"
    assert created.message == "Error rate exceeded 100 in the last hour"
    fetched = stack.alerts.get(str(created.id))
    assert fetched.raw == created.raw, "what was created is what is stored"
    return fetched, dashboard_id


def check_alert_lifecycle(stack: dbcloud.ClickStack, webhook_id: str) -> str:
    """Alert CRUD on a dashboard tile; returns the dashboard id (for the caller to clean up)."""
    dashboard = stack.dashboards.create(name="Alerting", tiles=[tile(log_source_id(stack))])
    dashboard_id, tile_id = str(dashboard.id), str(dashboard.tiles[0].id)
    channel = {"type": "webhook", "webhookId": webhook_id}
    alert = stack.alerts.create(
        dashboard_id=dashboard_id,
        tile_id=tile_id,
        threshold=50,
        interval="5m",
        source="tile",
        threshold_type="above",
        channel=channel,
        name="Busy",
        message="More than 50 errors in 5 minutes",
        num_consecutive_windows=2,
    )
    assert alert.id
    assert alert.raw["numConsecutiveWindows"] == 2
    assert alert.state == "OK", "a new alert starts OK"
    assert alert.id in [a.id for a in stack.alerts.list()]
    fetched = stack.alerts.get(str(alert.id))
    assert (fetched.name, fetched.threshold, fetched.interval) == ("Busy", 50, "5m")
    updated = stack.alerts.update(
        str(alert.id),
        dashboard_id=dashboard_id,
        tile_id=tile_id,
        threshold=5,
        threshold_max=10,
        interval="15m",
        source="tile",
        threshold_type="between",
        channel=channel,
        name="Busy (range)",
    )
    assert updated.id == alert.id
    assert (updated.threshold, updated.threshold_max, updated.threshold_type) == (5, 10, "between")
    assert (updated.interval, updated.name) == ("15m", "Busy (range)")
    assert not updated.message, "PUT replaces the alert: the message left out is cleared"
    assert stack.alerts.get(str(alert.id)).threshold_type == "between"
    stack.alerts.delete(str(alert.id))
    with pytest.raises(dbcloud.NotFoundError):
        stack.alerts.get(str(alert.id))
    assert alert.id not in [a.id for a in stack.alerts.list()]
    return dashboard_id


def check_sources(stack: dbcloud.ClickStack) -> None:
    sources = stack.sources.list()
    by_kind = {s.kind: s for s in sources}
    assert {"log", "trace"} <= set(by_kind), "a deployment has its OpenTelemetry log and trace sources"
    traces = by_kind["trace"]
    fetched = stack.sources.get(str(traces.id))
    assert (fetched.id, fetched.name, fetched.kind) == (traces.id, traces.name, "trace")
    assert fetched.table == traces.table
    assert fetched.raw["traceIdExpression"]


# --- OSS ----------------------------------------------------------------------------------------------


@pytest.fixture
def stack(target: Target) -> Iterator[dbcloud.ClickStack]:
    with target.connect(dbcloud.ClickStack) as client:
        yield client


def new_webhook(target: Target, stack: dbcloud.ClickStack, name: str) -> str:
    """A generic webhook, made through the generated client (the recorded scenarios that predate
    `webhooks.create` keep the requests they recorded)."""
    from dbcloud_clickstack_oss_client.api.webhooks import create_webhook
    from dbcloud_clickstack_oss_client.models.webhook_input import WebhookInput
    from dbcloud_clickstack_oss_client.models.webhook_input_service import WebhookInputService

    body = WebhookInput(name=name, service=WebhookInputService.GENERIC, url=HOOK_URL)
    response = target.detailed(create_webhook, client=stack.api, body=body)
    assert response.status_code == 200, response.content
    return str(response.parsed.data.id)


def delete_webhook(target: Target, stack: dbcloud.ClickStack, webhook_id: str) -> None:
    from dbcloud_clickstack_oss_client.api.webhooks import delete_webhook as delete

    assert target.detailed(delete, webhook_id, client=stack.api).status_code == 200


def test_sources(stack: dbcloud.ClickStack) -> None:
    check_sources(stack)


def check_webhooks(
    target: Target, stack: dbcloud.ClickStack, name: str, new: MakeHook, delete: DropHook
) -> None:
    made = new(target, stack, name)
    listed: dict[Any, Any] = {w.id: w for w in stack.webhooks.list()}
    assert made in listed
    assert (listed[made].name, listed[made].service) == (name, "generic")
    assert listed[made].url is not None
    assert listed[made].url.reveal() == HOOK_URL  # a Secret: the URL is the credential to post
    delete(target, stack, made)
    assert made not in [w.id for w in stack.webhooks.list()]


def check_wrong_key(connect: Callable[[], dbcloud.ClickStack]) -> None:
    with connect() as stack, pytest.raises(dbcloud.AuthenticationError) as caught:
        stack.dashboards.list()
    assert caught.value.status_code == 401
    assert TEST_SECRETS[1] not in str(caught.value)
    assert TEST_SECRETS[1] not in repr(caught.value)


def check_not_found(get: Callable[[str], object], unknown: str) -> None:
    with pytest.raises(dbcloud.NotFoundError) as caught:
        get(unknown)
    assert caught.value.status_code == 404
    assert caught.value.url.endswith(f"/{unknown}"), "the error names what was asked for"


def check_rate_limited_read(stack: dbcloud.ClickStack, target: Target) -> None:
    target.inject(Fault("429", count=1, retry_after=2))
    assert stack.dashboards.list() == []
    if target.mode == "replay":
        assert target.time.slept == [2.0], "the replay waits out the recorded Retry-After"


def check_unavailable_read(stack: dbcloud.ClickStack, target: Target) -> None:
    target.inject(Fault("503", count=2))
    assert {s.kind for s in stack.sources.list()} >= {"log", "trace"}
    if target.mode == "replay":
        assert len(target.time.slept) == 2, "two 503s, two pauses, then the answer"


def test_webhooks(target: Target, stack: dbcloud.ClickStack) -> None:
    check_webhooks(target, stack, "cassette-webhooks", new_webhook, delete_webhook)


def test_dashboard_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_dashboard_lifecycle(stack)


def test_documented_alert(target: Target, stack: dbcloud.ClickStack) -> None:
    webhook = new_webhook(target, stack, "cassette-documented-alert")
    alert, dashboard_id = check_documented_alert(stack, webhook)
    assert [c["webhookId"] for c in alert.raw["channels"]] == [webhook], "OSS mirrors channel as channels[0]"
    stack.alerts.delete(str(alert.id))
    stack.dashboards.delete(dashboard_id)
    delete_webhook(target, stack, webhook)


def test_alert_lifecycle(target: Target, stack: dbcloud.ClickStack) -> None:
    webhook = new_webhook(target, stack, "cassette-alert-lifecycle")
    dashboard_id = check_alert_lifecycle(stack, webhook)
    stack.dashboards.delete(dashboard_id)
    delete_webhook(target, stack, webhook)


def test_wrong_key_is_an_authentication_error(target: Target) -> None:
    check_wrong_key(lambda: target.connect(dbcloud.ClickStack, api_key=TEST_SECRETS[1]))


def test_unknown_dashboard_is_not_found(stack: dbcloud.ClickStack) -> None:
    check_not_found(stack.dashboards.get, UNKNOWN_DASHBOARD)


def test_unknown_alert_is_not_found(stack: dbcloud.ClickStack) -> None:
    check_not_found(stack.alerts.get, UNKNOWN_ALERT)


@pytest.mark.emulator_only
def test_rate_limited_read_is_retried(stack: dbcloud.ClickStack, target: Target) -> None:
    check_rate_limited_read(stack, target)


@pytest.mark.emulator_only
def test_unavailable_read_is_retried(stack: dbcloud.ClickStack, target: Target) -> None:
    check_unavailable_read(stack, target)


# --- webhooks through the facade ---------------------------------------------------------------------

HOOK_TOKEN = "recorded-hook-token-9c2e"  # scrubbed from the cassette: the header's name reads as a secret


def check_webhook_lifecycle(stack: dbcloud.ClickStack, name: str) -> None:
    """Create with a write-only header, list, rename, a duplicate refused, delete, delete again."""
    made = stack.webhooks.create(
        name=name, service="generic", url=HOOK_URL, headers={"X-Api-Token": HOOK_TOKEN}, description="on call"
    )
    assert (made.name, made.service, made.description) == (name, "generic", "on call")
    assert "headers" not in made.raw  # write-only: never read back
    assert made.id in [w.id for w in stack.webhooks.list()]
    renamed = stack.webhooks.update(made.id, name=f"{name}-2", service="generic", url=HOOK_URL)
    assert (renamed.id, renamed.name, renamed.description) == (made.id, f"{name}-2", None)
    with pytest.raises(dbcloud.BadRequestError, match="already exists"):
        stack.webhooks.create(name=f"{name}-2", service="generic", url=HOOK_URL)
    stack.webhooks.delete(made.id)
    with pytest.raises(dbcloud.NotFoundError):
        stack.webhooks.delete(made.id)
    assert made.id not in [w.id for w in stack.webhooks.list()]


def test_webhook_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_webhook_lifecycle(stack, "cassette-webhook-lifecycle")


# --- saved searches ------------------------------------------------------------------------------------

UNKNOWN_SOURCE = "65f5e4a3ffffffffffff0004"


def check_saved_search_lifecycle(stack: dbcloud.ClickStack) -> None:
    """Create with a filter, get, list, replace (the rest reset), an unknown source refused,
    delete, read again not found."""
    source = log_source_id(stack)
    pinned = {"type": "sql", "condition": "ServiceName IN ('checkout', 'payments')"}
    made = stack.saved_searches.create(
        name="Production Errors",
        source_id=source,
        where="SeverityText:ERROR",
        tags=["prod"],
        filters=[pinned],
    )
    assert (made.source_id, made.where_language, made.filters) == (source, "lucene", (pinned,))
    assert stack.saved_searches.get(made.id).name == "Production Errors"
    assert made.id in [s.id for s in stack.saved_searches.list()]
    replaced = stack.saved_searches.update(made.id, name="Errors", source_id=source, where_language="sql")
    assert (replaced.name, replaced.where_language) == ("Errors", "sql")
    assert (replaced.tags, replaced.filters) == ((), ())
    with pytest.raises(dbcloud.BadRequestError, match="existing source id"):
        stack.saved_searches.create(name="Orphan", source_id=UNKNOWN_SOURCE)
    stack.saved_searches.delete(made.id)
    with pytest.raises(dbcloud.NotFoundError):
        stack.saved_searches.get(made.id)


def test_saved_search_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_saved_search_lifecycle(stack)


# --- source writes -------------------------------------------------------------------------------------


def check_source_lifecycle(stack: dbcloud.ClickStack) -> None:
    """A log source on the deployment's connection: create, get, replace, an unknown connection
    refused, delete, delete again not found."""
    connection = str(next(s.connection for s in stack.sources.list() if s.kind == "log"))
    arguments: dict[str, Any] = {
        "kind": "log",
        "name": "App Logs",
        "connection": connection,
        "database": "default",
        "table": "app_logs",
        "timestamp_value_expression": "Timestamp",
        "fields": {"defaultTableSelectExpression": "Timestamp, Body", "bodyExpression": "Body"},
    }
    made = stack.sources.create(**arguments)
    assert (made.kind, made.table, made.raw["bodyExpression"]) == ("log", "app_logs", "Body")
    assert stack.sources.get(made.id).name == "App Logs"
    plain = {**arguments, "name": "Renamed", "fields": {"defaultTableSelectExpression": "*"}}
    replaced = stack.sources.update(made.id, **plain)
    assert (replaced.name, replaced.raw.get("bodyExpression")) == ("Renamed", None)
    with pytest.raises(dbcloud.BadRequestError, match="existing connection id"):
        stack.sources.create(**{**arguments, "connection": UNKNOWN_SOURCE})
    stack.sources.delete(made.id)
    with pytest.raises(dbcloud.NotFoundError):
        stack.sources.delete(made.id)


def test_source_lifecycle(stack: dbcloud.ClickStack) -> None:
    check_source_lifecycle(stack)
