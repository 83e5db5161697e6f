"""Every ClickStack facade call sends, in both modes, the method, path, query and body its spec declares."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._pager import Pager
from dbcloud.clickstack import Alert, Dashboard, SavedSearch, Source, Webhook

from .conftest import (
    ALERT,
    DASHBOARD,
    MANAGED_PREFIX,
    OSS_PREFIX,
    SAVED_SEARCH,
    SOURCE,
    WEBHOOK,
    FakeStack,
    body,
    managed_client,
    oss_client,
)

D, A, SRC, W, SS = DASHBOARD["id"], ALERT["id"], SOURCE["id"], WEBHOOK["id"], SAVED_SEARCH["id"]
HOOK = "https://ops.example.test/hooks/1"
TILE = {
    "id": "65f5e4a3b9e77c001a901234",
    "name": "Notes",
    "x": 0,
    "y": 0,
    "w": 6,
    "h": 3,
    "config": {"displayType": "markdown", "markdown": "# On call\nSee the runbook."},
}
ALERT_BODY = {
    "dashboardId": ALERT["dashboardId"],
    "tileId": ALERT["tileId"],
    "threshold": 100,
    "interval": "1h",
    "source": "tile",
    "thresholdType": "above",
    "channel": ALERT["channel"],
}
PAGE = (("limit", "1000"), ("offset", "0"))
SOURCE_ARGS: dict[str, Any] = {
    "kind": "log",
    "name": "Logs",
    "connection": SOURCE["connection"],
    "database": "default",
    "table": "otel_logs",
    "timestamp_value_expression": "TimestampTime",
    "fields": {"defaultTableSelectExpression": "Timestamp, ServiceName, Body"},
}
SOURCE_BODY = {
    "name": "Logs",
    "kind": "log",
    "connection": SOURCE["connection"],
    "from": {"databaseName": "default", "tableName": "otel_logs"},
    "timestampValueExpression": "TimestampTime",
    "defaultTableSelectExpression": "Timestamp, ServiceName, Body",
}


def alert_args() -> dict[str, Any]:
    return {
        "dashboard_id": ALERT["dashboardId"],
        "tile_id": ALERT["tileId"],
        "threshold": 100,
        "interval": "1h",
        "source": "tile",
        "threshold_type": "above",
        "channel": ALERT["channel"],
    }


@dataclass(frozen=True)
class Call:
    name: str
    run: Callable[[dbcloud.ClickStack], Any]
    method: str
    path: str  # below the API prefix
    result: Any = None
    body: Any = None
    oss_query: tuple[tuple[str, str], ...] = ()  # OSS pages its alert and webhook lists
    returns: dict[str, str] | None = None  # mode → class name of the result (or its items)


CALLS = [
    Call(
        "dashboards.list",
        lambda s: s.dashboards.list(),
        "GET",
        "/dashboards",
        [DASHBOARD],
        returns={"managed": "ClickStackDashboardResponse", "oss": "Dashboard"},
    ),
    Call(
        "dashboards.get",
        lambda s: s.dashboards.get(D),
        "GET",
        f"/dashboards/{D}",
        DASHBOARD,
        returns={"managed": "ClickStackDashboardResponse", "oss": "Dashboard"},
    ),
    Call(
        "dashboards.create",
        lambda s: s.dashboards.create(name="Errors", tiles=[], tags=["prod"]),
        "POST",
        "/dashboards",
        DASHBOARD,
        body={"name": "Errors", "tiles": [], "tags": ["prod"]},
        returns={"managed": "ClickStackDashboardResponse", "oss": "Dashboard"},
    ),
    Call(
        "dashboards.update",
        lambda s: s.dashboards.update(D, name="Errors v2", tiles=[TILE], saved_query="level:error"),
        "PUT",
        f"/dashboards/{D}",
        DASHBOARD,
        body={"name": "Errors v2", "tiles": [TILE], "savedQuery": "level:error"},
        returns={"managed": "ClickStackDashboardResponse", "oss": "Dashboard"},
    ),
    Call("dashboards.delete", lambda s: s.dashboards.delete(D), "DELETE", f"/dashboards/{D}"),
    Call(
        "alerts.list",
        lambda s: s.alerts.list(),
        "GET",
        "/alerts",
        [ALERT],
        oss_query=PAGE,
        returns={"managed": "ClickStackAlertResponse", "oss": "AlertResponse"},
    ),
    Call(
        "alerts.get",
        lambda s: s.alerts.get(A),
        "GET",
        f"/alerts/{A}",
        ALERT,
        returns={"managed": "ClickStackAlertResponse", "oss": "AlertResponse"},
    ),
    Call(
        "alerts.create",
        lambda s: s.alerts.create(**alert_args()),
        "POST",
        "/alerts",
        ALERT,
        body=ALERT_BODY,
        returns={"managed": "ClickStackAlertResponse", "oss": "AlertResponse"},
    ),
    Call(
        "alerts.update",
        lambda s: s.alerts.update(A, **{**alert_args(), "threshold": 250, "name": "Raised"}),
        "PUT",
        f"/alerts/{A}",
        ALERT,
        body={**ALERT_BODY, "threshold": 250, "name": "Raised"},
        returns={"managed": "ClickStackAlertResponse", "oss": "AlertResponse"},
    ),
    Call("alerts.delete", lambda s: s.alerts.delete(A), "DELETE", f"/alerts/{A}"),
    Call(
        "sources.list",
        lambda s: s.sources.list(),
        "GET",
        "/sources",
        [SOURCE],
        returns={"managed": "ClickStackLogSource", "oss": "LogSource"},
    ),
    Call(
        "sources.get",
        lambda s: s.sources.get(SRC),
        "GET",
        f"/sources/{SRC}",
        SOURCE,
        returns={"managed": "ClickStackLogSource", "oss": "LogSource"},
    ),
    Call(
        "webhooks.list",
        lambda s: s.webhooks.list(),
        "GET",
        "/webhooks",
        [WEBHOOK],
        oss_query=PAGE,
        returns={"managed": "ClickStackSlackWebhook", "oss": "SlackWebhook"},
    ),
    Call(
        "webhooks.create",
        lambda s: s.webhooks.create(name="Alerts", service="generic", url=HOOK, headers={"A": "b"}),
        "POST",
        "/webhooks",
        {**WEBHOOK, "service": "generic", "url": HOOK},
        body={"name": "Alerts", "service": "generic", "url": HOOK, "headers": {"A": "b"}},
        returns={"managed": "ClickStackGenericWebhook", "oss": "GenericWebhook"},
    ),
    Call(
        "webhooks.update",
        lambda s: s.webhooks.update(W, name="Renamed", service="generic", url=HOOK, description="d"),
        "PUT",
        f"/webhooks/{W}",
        {**WEBHOOK, "service": "generic", "url": HOOK},
        body={"name": "Renamed", "service": "generic", "url": HOOK, "description": "d"},
        returns={"managed": "ClickStackGenericWebhook", "oss": "GenericWebhook"},
    ),
    Call("webhooks.delete", lambda s: s.webhooks.delete(W), "DELETE", f"/webhooks/{W}"),
    Call(
        "saved_searches.list",
        lambda s: s.saved_searches.list(),
        "GET",
        "/saved-searches",
        [SAVED_SEARCH],
        oss_query=PAGE,
        returns={"managed": "ClickStackSavedSearch", "oss": "SavedSearch"},
    ),
    Call(
        "saved_searches.get",
        lambda s: s.saved_searches.get(SS),
        "GET",
        f"/saved-searches/{SS}",
        SAVED_SEARCH,
        returns={"managed": "ClickStackSavedSearch", "oss": "SavedSearch"},
    ),
    Call(
        "saved_searches.create",
        lambda s: s.saved_searches.create(name="Errors", source_id=SRC, where="level:error", tags=["prod"]),
        "POST",
        "/saved-searches",
        SAVED_SEARCH,
        body={"name": "Errors", "sourceId": SRC, "where": "level:error", "tags": ["prod"]},
        returns={"managed": "ClickStackSavedSearch", "oss": "SavedSearch"},
    ),
    Call(
        "saved_searches.update",
        lambda s: s.saved_searches.update(SS, name="Errors", source_id=SRC, where_language="sql"),
        "PUT",
        f"/saved-searches/{SS}",
        SAVED_SEARCH,
        body={"name": "Errors", "sourceId": SRC, "whereLanguage": "sql"},
        returns={"managed": "ClickStackSavedSearch", "oss": "SavedSearch"},
    ),
    Call("saved_searches.delete", lambda s: s.saved_searches.delete(SS), "DELETE", f"/saved-searches/{SS}"),
    Call(
        "sources.create",
        lambda s: s.sources.create(**SOURCE_ARGS),
        "POST",
        "/sources",
        SOURCE,
        body=SOURCE_BODY,
        returns={"managed": "ClickStackLogSource", "oss": "LogSource"},
    ),
    Call(
        "sources.update",
        lambda s: s.sources.update(SRC, **SOURCE_ARGS),
        "PUT",
        f"/sources/{SRC}",
        SOURCE,
        body=SOURCE_BODY,
        returns={"managed": "ClickStackLogSource", "oss": "LogSource"},
    ),
    Call("sources.delete", lambda s: s.sources.delete(SRC), "DELETE", f"/sources/{SRC}"),
]


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_call_sends_what_the_spec_declares(stack: dbcloud.ClickStack, fake: FakeStack, call: Call) -> None:
    fake.on(call.method, call.path, call.result)
    returned = call.run(stack)
    assert len(fake.requests) == 1
    sent = fake.last
    assert sent.method == call.method
    assert sent.url.path == fake.prefix + call.path
    query = call.oss_query if fake.mode == "oss" else ()
    assert sorted(sent.url.params.multi_items()) == sorted(query)
    assert body(sent) == call.body
    if call.body is not None:
        assert sent.headers["Content-Type"] == "application/json"
    if call.method == "DELETE":
        assert returned is None
    if call.returns:
        # Every answer is a record of dbcloud.clickstack, whichever deployment answered; its
        # `.model` is the answer read by that deployment's generated model.
        item = returned[0] if isinstance(returned, Pager) else returned
        assert isinstance(item, Alert | Dashboard | SavedSearch | Source | Webhook)
        assert item.mode == fake.mode
        assert type(item.model).__name__ == call.returns[fake.mode]
        assert type(item.model).__module__.split(".")[0] == (
            "dbcloud_clickhouse_client" if fake.mode == "managed" else "dbcloud_clickstack_oss_client"
        )


def _operations(spec: dict[str, Any]) -> dict[tuple[str, re.Pattern[str]], dict[str, Any]]:
    operations = {}
    for template, item in spec["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                operations[(method.upper(), pattern)] = operation
    return operations


def _schema_properties(spec: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    if "$ref" in schema:
        return _schema_properties(spec, spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    found = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found |= _schema_properties(spec, part)
    for part in schema.get("oneOf", []):  # a source's body: one of the kinds, each its own fields
        found |= _schema_properties(spec, part)
    return found


@pytest.mark.specs
@pytest.mark.parametrize("mode", ["managed", "oss"])
@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_call_is_an_operation_of_the_spec(shared_specs: Path, call: Call, mode: str) -> None:
    name, prefix = (
        ("clickhouse-cloud.json", MANAGED_PREFIX)
        if mode == "managed"
        else ("clickstack-oss.json", OSS_PREFIX)
    )
    spec = json.loads((shared_specs / name).read_text("utf-8"))
    path = prefix + call.path
    matches = [op for (m, p), op in _operations(spec).items() if m == call.method and p.match(path)]
    assert len(matches) == 1, f"{call.method} {path} is not one operation of {name}"
    if call.body is not None:
        schema = matches[0]["requestBody"]["content"]["application/json"]["schema"]
        assert set(call.body) <= _schema_properties(spec, schema)
    query = {p["name"] for p in matches[0].get("parameters", []) if p["in"] == "query"}
    assert {n for n, _ in (call.oss_query if mode == "oss" else ())} <= query


def test_item_ids_are_checked_before_sending(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    with pytest.raises(dbcloud.ValidationError, match="alert_id"):
        stack.alerts.get("")
    with pytest.raises(dbcloud.ValidationError, match="dashboard_id"):
        stack.dashboards.delete(None)  # type: ignore[arg-type]
    assert fake.requests == []


@pytest.mark.parametrize("bad", ["a/../b", "%2F..", "..", ".", "a b", "a\r\nX: 1", "a?b", "a#b"])
def test_ids_that_are_not_ids_are_refused(stack: dbcloud.ClickStack, fake: FakeStack, bad: str) -> None:
    with pytest.raises(dbcloud.ValidationError, match="dashboard_id must be an id"):
        stack.dashboards.get(bad)
    assert fake.requests == []


@pytest.mark.parametrize(
    "good", ["65f5e4a30625b6c96d000003", "803803cf-1cab-4259-a593-5c5d3d66bcc7", "a.b_c~d"]
)
def test_ids_of_unreserved_characters_go_in_the_path_as_they_are(
    stack: dbcloud.ClickStack, fake: FakeStack, good: str
) -> None:
    with pytest.raises(dbcloud.NotFoundError):
        stack.dashboards.get(good)
    assert fake.last.url.raw_path.decode().endswith(f"/dashboards/{good}")


def _alerts(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [{**ALERT, "id": f"{i:024x}"} for i in range(start, start + count)]


def _webhooks(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [{**WEBHOOK, "id": f"{i:024x}"} for i in range(start, start + count)]


def _page(items: list[Any], total: int | None, offset: int = 0) -> httpx.Response:
    """An OSS list page: `{data, meta}` as HyperDX answers it (no `meta` when total is None)."""
    if total is None:
        return httpx.Response(200, json={"data": items})
    return httpx.Response(
        200, json={"data": items, "meta": {"total": total, "limit": 1000, "offset": offset}}
    )


def _offsets(fake: FakeStack) -> list[str | None]:
    return [r.url.params.get("offset") for r in fake.requests]


@pytest.mark.parametrize("resource", ["alerts", "webhooks"])
def test_oss_lists_are_fetched_page_after_page_up_to_the_total(resource: str) -> None:
    fake = FakeStack("oss")
    make = _alerts if resource == "alerts" else _webhooks
    fake.on("GET", f"/{resource}", _page(make(1000), 1001), _page(make(1, 1000), 1001, 1000))
    with oss_client(fake) as stack:
        listed = getattr(stack, resource).list()
        assert len(fake.requests) == 1  # the next page when the walk reaches it
        assert listed.total == 1001  # the answer's meta.total
        assert len(listed) == 1001
    assert [dict(r.url.params) for r in fake.requests] == [
        {"limit": "1000", "offset": "0"},
        {"limit": "1000", "offset": "1000"},
    ]


def test_a_full_page_that_reaches_the_total_is_the_last() -> None:
    # 1,000 alerts of 1,000: without the total the walk would ask for an empty page after them.
    fake = FakeStack("oss")
    fake.on("GET", "/alerts", _page(_alerts(1000), 1000))
    with oss_client(fake) as stack:
        assert len(stack.alerts.list()) == 1000
    assert _offsets(fake) == ["0"]


def test_a_server_that_caps_the_limit_lower_is_walked_to_the_total() -> None:
    fake = FakeStack("oss")
    fake.on(
        "GET",
        "/alerts",
        _page(_alerts(400), 1000),
        _page(_alerts(400, 400), 1000, 400),
        _page(_alerts(200, 800), 1000, 800),
    )
    with oss_client(fake) as stack:
        assert len({a.id for a in stack.alerts.list()}) == 1000
    assert _offsets(fake) == ["0", "400", "800"]


def test_an_empty_page_before_the_total_ends_the_walk() -> None:
    fake = FakeStack("oss")
    fake.on("GET", "/alerts", _page(_alerts(3), 10), _page([], 10, 3))
    with oss_client(fake) as stack:
        assert len(stack.alerts.list()) == 3
    assert _offsets(fake) == ["0", "3"]


@pytest.mark.parametrize(
    "meta",
    [
        pytest.param({"total": 5000, "limit": 1000, "offset": 0}, id="claiming-5000"),
        pytest.param(None, id="no-meta"),
    ],
)
def test_a_server_that_ignores_the_offset_stops_after_two_requests(meta: Any) -> None:
    # It answers the same full page at every offset: without the guard the walk would never end.
    fake = FakeStack("oss")
    same = _alerts(1000)
    fake.on("GET", "/alerts", httpx.Response(200, json={"data": same, **({"meta": meta} if meta else {})}))
    with oss_client(fake) as stack, pytest.raises(dbcloud.APIResponseError) as refused:
        list(stack.alerts.list())
    assert len(fake.requests) == 2
    assert str(refused.value) == (
        "ClickStack sent page 2 with the same items as page 1 while listing alerts; stopped the walk"
    )


def test_a_server_that_does_not_page_gives_the_whole_list_at_once() -> None:
    # HyperDX before it paged alerts and webhooks answered `{data}` with all of them, limit or not.
    fake = FakeStack("oss")
    fake.on("GET", "/alerts", _page(_alerts(1500), None))
    with oss_client(fake) as stack:
        alerts = stack.alerts.list()
        assert (len(alerts), alerts.total) == (1500, None)
    assert len(fake.requests) == 1


def test_the_offset_moves_by_the_items_sent_also_those_left_out() -> None:
    # An item without an id is left out of the records, but it held its place on the server's page.
    fake = FakeStack("oss")
    first = [*_alerts(999), {"name": "no id"}]
    fake.on("GET", "/alerts", _page(first, 1002), _page(_alerts(2, 999), 1002, 1000))
    with oss_client(fake) as stack:
        alerts = stack.alerts.list()
        assert len(alerts) == 1001
        assert alerts.total == 1002
    assert _offsets(fake) == ["0", "1000"]


def test_a_total_the_page_contradicts_is_read_by_the_page_length() -> None:
    fake = FakeStack("oss")
    fake.on("GET", "/alerts", _page(_alerts(3), 0))
    with oss_client(fake) as stack:
        alerts = stack.alerts.list()
        assert (len(alerts), alerts.total) == (3, None)
    assert len(fake.requests) == 1


def test_managed_lists_are_one_answer_without_paging() -> None:
    fake = FakeStack("managed")
    fake.on("GET", "/alerts", _alerts(1000))
    with managed_client(fake) as stack:
        alerts = stack.alerts.list()
        assert (len(alerts), alerts.total) == (1000, None)
    assert len(fake.requests) == 1
    assert not fake.last.url.params
