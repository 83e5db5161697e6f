"""ClickStack alerts: the vendor's documented example goes out exactly; broken rules never go out."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import dbcloud

from .conftest import ALERT, ROOT_DOCS, FakeStack, managed_client, oss_client

# The "Example: Create an alert" body of the vendor's ClickStack API reference, as it is written there.
DOCUMENTED = """{
    "dashboardId": "<DASHBOARD_ID>",
    "tileId": "<TILE_ID>",
    "threshold": 100,
    "interval": "1h",
    "source": "tile",
    "thresholdType": "above",
    "channel": {
      "type": "webhook",
      "webhookId": "<WEBHOOK_ID>"
    },
    "name": "Error Spike Alert",
    "message": "Error rate exceeded 100 in the last hour"
  }"""


def create_documented_alert(stack: dbcloud.ClickStack) -> Any:
    return stack.alerts.create(
        dashboard_id="<DASHBOARD_ID>",
        tile_id="<TILE_ID>",
        threshold=100,
        interval="1h",
        source="tile",
        threshold_type="above",
        channel={"type": "webhook", "webhookId": "<WEBHOOK_ID>"},
        name="Error Spike Alert",
        message="Error rate exceeded 100 in the last hour",
    )


def compact(text: str) -> bytes:
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False).encode()


def test_the_documented_alert_is_sent_exactly(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/alerts", {**json.loads(DOCUMENTED), "id": ALERT["id"]})
    created = create_documented_alert(stack)
    sent = fake.last
    assert sent.method == "POST"
    assert sent.url.path == f"{fake.prefix}/alerts"
    assert sent.headers["Content-Type"] == "application/json"
    # Same fields, values, types and order: byte for byte the documented JSON, compacted.
    assert sent.content == compact(DOCUMENTED)
    assert json.loads(sent.content) == json.loads(DOCUMENTED)
    assert created.id == ALERT["id"]
    assert created.name == "Error Spike Alert"


def test_the_example_in_the_vendor_page_is_the_one_tested() -> None:
    page = ROOT_DOCS / "clickstack-api-reference.txt"
    if not page.exists():
        pytest.skip(f"vendor docs not found at {page}")
    example = re.search(r"-d '(\{.*?\})'", page.read_text("utf-8"), re.S)
    assert example is not None
    assert compact(example.group(1)) == compact(DOCUMENTED)


def test_the_documented_alert_goes_to_the_documented_url() -> None:
    # The page's curl: POST https://api.clickhouse.cloud/v1/organizations/<ORG_ID>/services/<SERVICE_ID>
    # /clickstack/alerts with --user $KEY_ID:$KEY_SECRET.
    fake = FakeStack("managed")
    fake.on("POST", "/alerts", {**json.loads(DOCUMENTED), "id": ALERT["id"]})
    with managed_client(fake, base_url="https://api.clickhouse.cloud") as stack:
        create_documented_alert(stack)
    assert re.fullmatch(
        r"https://api\.clickhouse\.cloud/v1/organizations/[0-9a-f-]{36}/services/[0-9a-f-]{36}/clickstack/alerts",
        str(fake.last.url),
    )
    assert fake.last.headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"interval": "2h"}, "interval must be one of"),
        ({"threshold_type": "over"}, "threshold_type must be one of"),
        ({"threshold": True}, "threshold must be a number"),
        ({"threshold": "100"}, "threshold must be a number"),
        ({"threshold_type": "between"}, "needs threshold_max"),
        ({"threshold_type": "between", "threshold_max": 50}, "at least threshold"),
        ({"tile_id": None}, "needs dashboard_id and tile_id"),
        ({"source": "saved_search"}, "needs saved_search_id"),
        ({"source": "query"}, "source must be one of"),
        ({"channel": None}, "needs a channel"),
        # Both channel shapes accept either type (the spec has no discriminator): both faults are named.
        ({"channel": {"type": "webhook"}}, "webhook_?[iI]d"),
    ],
)
def test_broken_rules_are_refused_before_sending(
    stack: dbcloud.ClickStack, fake: FakeStack, change: dict[str, Any], message: str
) -> None:
    arguments = {
        "dashboard_id": "d1",
        "tile_id": "t1",
        "threshold": 100,
        "interval": "1h",
        "source": "tile",
        "threshold_type": "above",
        "channel": {"type": "webhook", "webhookId": "w1"},
        **change,
    }
    with pytest.raises(dbcloud.ValidationError, match=message):
        stack.alerts.create(**arguments)
    assert fake.requests == []


def test_a_range_alert_is_sent_with_its_upper_bound(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/alerts", ALERT)
    stack.alerts.create(
        saved_search_id="s1",
        group_by="ServiceName",
        threshold=10,
        threshold_max=50,
        interval="5m",
        source="saved_search",
        threshold_type="not_between",
        channel={"type": "email", "emailRecipients": ["oncall@example.com"]}
        if fake.mode == "managed"
        else {"type": "webhook", "webhookId": "w1"},
        num_consecutive_windows=2,
    )
    sent = json.loads(fake.last.content)
    assert list(sent)[:7] == [
        "savedSearchId",
        "groupBy",
        "threshold",
        "thresholdMax",
        "interval",
        "source",
        "thresholdType",
    ]
    assert sent["numConsecutiveWindows"] == 2


def test_several_channels_are_an_oss_field() -> None:
    channels = [{"type": "webhook", "webhookId": "w1"}, {"type": "webhook", "webhookId": "w2"}]
    arguments: dict[str, Any] = {
        "threshold": 1,
        "interval": "1m",
        "threshold_type": "above",
        "channels": channels,
    }
    oss = FakeStack("oss")
    oss.on("POST", "/alerts", ALERT)
    with oss_client(oss) as stack:
        stack.alerts.create(**arguments)
    assert json.loads(oss.last.content)["channels"] == channels
    managed = FakeStack("managed")
    with managed_client(managed) as stack, pytest.raises(dbcloud.ValidationError, match="channels"):
        stack.alerts.create(**arguments)
    assert managed.requests == []


def test_update_replaces_the_alert(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("PUT", f"/alerts/{ALERT['id']}", ALERT)
    stack.alerts.update(
        ALERT["id"],
        threshold=5,
        interval="15m",
        threshold_type="below",
        channel={"type": "webhook", "webhookId": "w"},
    )
    assert fake.last.method == "PUT"
    assert json.loads(fake.last.content) == {
        "threshold": 5,
        "interval": "15m",
        "thresholdType": "below",
        "channel": {"type": "webhook", "webhookId": "w"},
    }


def test_a_schedule_start_keeps_its_written_form(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/alerts", ALERT)
    stack.alerts.create(
        threshold=1,
        interval="1h",
        threshold_type="above",
        channel={"type": "webhook", "webhookId": "w"},
        schedule_start_at="2026-02-08T10:00:00.000Z",
    )
    assert b'"scheduleStartAt":"2026-02-08T10:00:00.000Z"' in fake.last.content


@pytest.mark.parametrize("misspelt", [{"silence_until": "tomorrow"}, {"numConsecutiveWindows": 3}])
def test_a_field_the_alert_does_not_take_is_refused_by_python(
    stack: dbcloud.ClickStack, fake: FakeStack, misspelt: dict[str, Any]
) -> None:
    # Every field of the alert is a named keyword: a misspelt one is a TypeError (and a mypy error).
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        stack.alerts.create(threshold=1, interval="1h", threshold_type="above", **misspelt)
    assert fake.requests == []
