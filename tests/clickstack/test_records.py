"""ClickStack records: what they lift out of either deployment's answer, and `.model` by deployment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import dbcloud
from dbcloud.clickstack import Alert, Dashboard, Source, Tile, Webhook

from .conftest import ALERT, DASHBOARD, SOURCE, WEBHOOK, FakeStack, body

UTC = dt.UTC
TILE = {
    "id": "65f5e4a3b9e77c001a901234",
    "name": "Errors",
    "x": 0,
    "y": 0,
    "w": 6,
    "h": 3,
    "config": {"displayType": "markdown", "markdown": "# On call"},
    "containerId": "c1",
}
FULL_ALERT = {
    **ALERT,
    "name": "Error spike",
    "groupBy": "ServiceName",
    "numConsecutiveWindows": "3",  # a count as text: still an int
    "scheduleOffsetMinutes": 2,
    "scheduleStartAt": "2026-02-08T10:00:00.000Z",
    "channels": [ALERT["channel"], "not a channel"],
    "note": "see the runbook",
    "message": "too many errors",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-02T00:00:00.000Z",
}


def test_an_alert_lifts_what_both_specs_declare(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", f"/alerts/{ALERT['id']}", FULL_ALERT)
    alert = stack.alerts.get(ALERT["id"])
    assert (alert.id, alert.name, alert.state, alert.source) == (ALERT["id"], "Error spike", "OK", "tile")
    assert (alert.threshold, alert.threshold_type, alert.interval) == (100.0, "above", "1h")
    assert (alert.num_consecutive_windows, alert.schedule_offset_minutes) == (3, 2)
    assert alert.schedule_start_at == dt.datetime(2026, 2, 8, 10, tzinfo=UTC)
    assert (alert.group_by, alert.note, alert.message) == (
        "ServiceName",
        "see the runbook",
        "too many errors",
    )
    assert alert.channel == ALERT["channel"]
    assert alert.channels == (ALERT["channel"],)
    assert alert.updated_at == dt.datetime(2026, 1, 2, tzinfo=UTC)
    assert alert.model.group_by == "ServiceName"


def test_an_alert_state_is_the_vendors_word_also_one_added_later(
    stack: dbcloud.ClickStack, fake: FakeStack
) -> None:
    fake.on("GET", "/alerts", [{**ALERT, "state": "PENDING"}, {**ALERT, "id": "b" * 24, "state": "SNOOZED"}])
    assert [a.state for a in stack.alerts.list()] == ["PENDING", "SNOOZED"]


def test_a_dashboard_lifts_its_tiles_and_query(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    answer = {**DASHBOARD, "tiles": [TILE], "savedQuery": "level:error", "savedQueryLanguage": "lucene"}
    fake.on("GET", f"/dashboards/{DASHBOARD['id']}", answer)
    board = stack.dashboards.get(DASHBOARD["id"])
    assert (board.saved_query, board.saved_query_language, board.tags) == ("level:error", "lucene", ("prod",))
    (tile,) = board.tiles
    assert (tile.id, tile.name, tile.x, tile.w, tile.h) == (TILE["id"], "Errors", 0, 6, 3)
    assert tile.config == TILE["config"]
    assert tile.raw == TILE
    assert type(tile.model).__name__ == ("ClickStackTileOutput" if fake.mode == "managed" else "TileOutput")
    assert tile.model.container_id == "c1"


def test_a_dashboards_tiles_go_back_as_they_came(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", f"/dashboards/{DASHBOARD['id']}", {**DASHBOARD, "tiles": [TILE]})
    fake.on("PUT", f"/dashboards/{DASHBOARD['id']}", DASHBOARD)
    board = stack.dashboards.get(DASHBOARD["id"])
    stack.dashboards.update(board.id, name="Renamed", tiles=board.tiles, tags=board.tags)
    assert body(fake.last) == {"name": "Renamed", "tiles": [TILE], "tags": ["prod"]}


def test_a_tile_made_by_hand_is_sent_by_its_fields(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/dashboards", DASHBOARD)
    stack.dashboards.create(name="d", tiles=[Tile(None, "t", 0, 0, 6, 3, {"displayType": "markdown"})])
    assert body(fake.last)["tiles"] == [
        {"name": "t", "x": 0, "y": 0, "w": 6, "h": 3, "config": {"displayType": "markdown"}}
    ]


KIND_MODELS = {
    "log": "LogSource",
    "trace": "TraceSource",
    "metric": "MetricSource",
    "session": "SessionSource",
    "promql": "PromqlSource",
}


@pytest.mark.parametrize("kind", KIND_MODELS)
def test_a_source_reads_with_the_model_of_its_kind(
    stack: dbcloud.ClickStack, fake: FakeStack, kind: str
) -> None:
    fake.on("GET", f"/sources/{SOURCE['id']}", {**SOURCE, "kind": kind, "disabled": False})
    source = stack.sources.get(SOURCE["id"])
    assert (source.kind, source.database, source.table, source.disabled) == (
        kind,
        "default",
        "otel_logs",
        False,
    )
    assert source.timestamp_value_expression == "TimestampTime"
    prefix = "ClickStack" if fake.mode == "managed" else ""
    assert type(source.model).__name__ == prefix + KIND_MODELS[kind]


SERVICE_MODELS = {
    "slack": ("SlackWebhook", "ClickStackSlackWebhook"),
    "incidentio": ("IncidentIOWebhook", "ClickStackIncidentIOWebhook"),
    "generic": ("GenericWebhook", "ClickStackGenericWebhook"),
    "pagerduty_api": (None, "ClickStackPagerDutyAPIWebhook"),  # managed only: OSS reads it as it can
}


@pytest.mark.parametrize("service", SERVICE_MODELS)
def test_a_webhook_reads_with_the_model_of_its_service(
    stack: dbcloud.ClickStack, fake: FakeStack, service: str
) -> None:
    oss, managed = SERVICE_MODELS[service]
    expected = managed if fake.mode == "managed" else oss
    fake.on("GET", "/webhooks", [{**WEBHOOK, "service": service, "description": "on call"}])
    (hook,) = stack.webhooks.list()
    assert (hook.service, hook.description) == (service, "on call")
    assert hook.created_at == dt.datetime(2026, 1, 1, tzinfo=UTC)
    if expected is not None:
        assert type(hook.model).__name__ == expected
    assert hook.model.id == WEBHOOK["id"]  # a service the spec does not list still reads


def test_a_webhook_url_is_a_secret(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", "/webhooks", [WEBHOOK, {**WEBHOOK, "id": "b" * 24, "url": None}])
    hook, bare = stack.webhooks.list()
    assert hook.url is not None
    assert hook.url.reveal() == WEBHOOK["url"]
    assert WEBHOOK["url"] not in repr(hook)
    assert bare.url is None


@pytest.mark.parametrize(
    ("record", "answer"),
    [(Dashboard, DASHBOARD), (Alert, ALERT), (Source, SOURCE), (Webhook, WEBHOOK)],
    ids=["dashboard", "alert", "source", "webhook"],
)
def test_a_record_read_by_hand_is_an_oss_one_unless_told(record: Any, answer: dict[str, Any]) -> None:
    made = record.from_api(answer)
    assert made.mode == "oss"
    assert type(made.model).__module__.startswith("dbcloud_clickstack_oss_client.")
    managed = record.from_api(answer, "managed")
    assert type(managed.model).__module__.startswith("dbcloud_clickhouse_client.")
    assert made == managed  # the same record, whichever deployment answered
