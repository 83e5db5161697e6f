"""ClickStack answers as HyperDX's own route handlers give them, read through `ClickStack`.

ClickStack OSS is HyperDX; its external API v2 integration tests assert the real handlers' answers
(hyperdxio/hyperdx, packages/api/src/routers/external-api/__tests__/):
- dashboards.int.test.ts: a dashboard read back with `savedQuery: null`, `savedQueryLanguage: null`,
  `savedFilterValues: []`;
- alerts.int.test.ts: an alert with `note: null`, `numConsecutiveWindows: null`, `threshold`,
  `interval` ('15m'), `thresholdType` ('above'), `channel` and `channels`, `state`;
- sources.int.test.ts: sources of each kind with `disabled`, `querySettings: []`, a session source
  with `traceSourceId` and no select expression;
- webhooks.int.test.ts: webhooks of services slack / incidentio / generic, one created without a
  `url` (listed without it); lists in `{data, meta: {total, limit, offset}}`.
Managed ClickStack answers the same records inside ClickHouse Cloud's `{status, requestId, result}`.
Every body here is ours, cut to those shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dbcloud
from tests._bridge import Flavour

from ._support import UNKNOWN, Answer, drifted, transport

ORG = "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b"
SVC = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
OSS = "/api/v2"
MANAGED = f"/v1/organizations/{ORG}/services/{SVC}/clickstack"
HDX = "hyperdxio/hyperdx packages/api/src/routers/external-api/__tests__/"

DASHBOARD = {
    "id": "65f5e4a3b9e77c001a567890",
    "name": "Test External Dashboard",
    "tiles": [],
    "tags": ["external-api", "test"],
    "filters": [],
    "savedQuery": None,
    "savedQueryLanguage": None,
    "savedFilterValues": [],
}
ALERT = {
    "id": "65f5e4a3b9e77c001a123456",
    "name": "Format Test Alert",
    "message": "a test alert",
    "note": None,
    "numConsecutiveWindows": None,
    "threshold": 123,
    "interval": "15m",
    "source": "tile",
    "thresholdType": "above",
    "channel": {"type": "webhook", "webhookId": "65f5e4a3b9e77c001a789012"},
    "channels": [{"type": "webhook", "webhookId": "65f5e4a3b9e77c001a789012"}],
    "teamId": "65f5e4a3b9e77c001a000001",
    "tileId": "65f5e4a3b9e77c001a901234",
    "dashboardId": "65f5e4a3b9e77c001a567890",
    "state": "OK",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}
LOG_SOURCE = {
    "id": "507f1f77bcf86cd799439011",
    "name": "Test Log Source",
    "kind": "log",
    "connection": "507f1f77bcf86cd799439012",
    "disabled": False,
    "from": {"databaseName": "default", "tableName": "otel_logs"},
    "timestampValueExpression": "Timestamp",
    "defaultTableSelectExpression": "*",
    "highlightedTraceAttributeExpressions": [],
    "highlightedRowAttributeExpressions": [],
    "materializedViews": [],
    "querySettings": [],
}
SESSION_SOURCE = {
    "id": "507f1f77bcf86cd799439013",
    "name": "Test Session Source",
    "kind": "session",
    "connection": "507f1f77bcf86cd799439012",
    "disabled": False,
    "from": {"databaseName": "default", "tableName": "rrweb_events"},
    "traceSourceId": "507f1f77bcf86cd799439014",
    "querySettings": [],
    "timestampValueExpression": "Timestamp",
}
WEBHOOKS = [
    {
        "id": "65f5e4a3b9e77c001a789012",
        "name": "Slack",
        "service": "slack",
        "url": "https://hooks.slack.test/services/T0/B0/X",
        "description": "alerts",
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-01T00:00:00.000Z",
    },
    {
        "id": "65f5e4a3b9e77c001a789013",
        "name": "Webhook 0",
        "service": "slack",
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-01T00:00:00.000Z",
    },
]


def _listed(items: list[Any]) -> dict[str, Any]:
    return {"data": items, "meta": {"total": len(items), "limit": 1000, "offset": 0}}


def oss_answers() -> dict[str, Answer]:
    return {
        "dashboards": Answer(f"{OSS}/dashboards", {"data": [DASHBOARD]}, HDX + "dashboards.int.test.ts"),
        "alerts": Answer(f"{OSS}/alerts", _listed([ALERT]), HDX + "alerts.int.test.ts"),
        "sources": Answer(
            f"{OSS}/sources", {"data": [LOG_SOURCE, SESSION_SOURCE]}, HDX + "sources.int.test.ts"
        ),
        "webhooks": Answer(f"{OSS}/webhooks", _listed(WEBHOOKS), HDX + "webhooks.int.test.ts"),
    }


def managed(answer: Answer) -> Answer:
    items = answer.body["data"]
    body = {"status": 200, "requestId": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "result": items}
    return Answer(
        answer.path.replace(OSS, MANAGED), body, answer.source + " (in ClickHouse Cloud's envelope)"
    )


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "CLICKHOUSE_CLOUD_API_KEY",
        "CLICKHOUSE_CLOUD_API_SECRET",
        "CLICKHOUSE_ORG_ID",
        "CLICKHOUSE_API_URL",
        "CLICKSTACK_ENDPOINT",
        "CLICKSTACK_API_KEY",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def stack(flavour: Flavour, mode: str, *answers: Answer) -> dbcloud.ClickStack:
    """`ClickStack` (OSS, or `ClickStack.managed`) over the answers, or `AsyncClickStack` behind it
    on the async flavour."""
    client: dbcloud.ClickStack
    if mode == "managed":
        client = flavour.twin(dbcloud.ClickStack).managed(
            ORG,
            SVC,
            key_id="kid",
            key_secret="ksecret",
            base_url="https://api.clickhouse.test",
            http_client=transport(*[managed(a) for a in answers]),
        )
        return client
    client = flavour.twin(dbcloud.ClickStack)(
        endpoint="https://stack.example.test", api_key="hdx-key", http_client=transport(*answers)
    )
    return client


def _value(value: Any) -> Any:
    return getattr(value, "value", value)


def check_dashboards(items: list[Any]) -> None:
    assert [d.name for d in items] == ["Test External Dashboard"]
    assert _absent(items[0].raw.get("savedQueryLanguage"))
    assert list(items[0].tags) == ["external-api", "test"]


def check_alerts(items: list[Any]) -> None:
    alert = items[0]
    assert (_value(alert.state), _value(alert.interval), _value(alert.threshold_type)) == (
        "OK",
        "15m",
        "above",
    )
    assert alert.threshold == 123.0


def check_sources(items: list[Any]) -> None:
    assert [(s.name, _value(s.kind)) for s in items] == [
        ("Test Log Source", "log"),
        ("Test Session Source", "session"),
    ]


def check_webhooks(items: list[Any]) -> None:
    assert [(w.name, _value(w.service)) for w in items] == [("Slack", "slack"), ("Webhook 0", "slack")]
    assert _absent(items[1].url)


def _absent(value: Any) -> bool:
    """None, or the generated packages' UNSET (each package has its own)."""
    return value is None or type(value).__name__ == "Unset"


CHECKS: dict[str, Callable[[list[Any]], None]] = {
    "dashboards": check_dashboards,
    "alerts": check_alerts,
    "sources": check_sources,
    "webhooks": check_webhooks,
}

# Which real answers read today (HEAD), per mode; the others wait for the tolerant reader.


def _real_cases() -> list[Any]:
    cases = []
    for mode in ("oss", "managed"):
        for resource in CHECKS:
            marks: list[pytest.MarkDecorator] = []
            cases.append(pytest.param(mode, resource, marks=marks, id=f"{mode}-{resource}"))
    return cases


@pytest.mark.parametrize(("mode", "resource"), _real_cases())
def test_a_real_answer_reads_with_its_typed_values(flavour: Flavour, mode: str, resource: str) -> None:
    with stack(flavour, mode, oss_answers()[resource]) as client:
        CHECKS[resource](getattr(client, resource).list())


MODELS = {
    "dashboards": ("Dashboard", "ClickStackDashboardResponse"),
    "alerts": ("AlertResponse", "ClickStackAlertResponse"),
    "sources": ("LogSource", "ClickStackLogSource"),  # the first item: a log source
    "webhooks": ("SlackWebhook", "ClickStackSlackWebhook"),
}


@pytest.mark.parametrize(("mode", "resource"), _real_cases())
def test_a_real_answer_reads_with_the_model_of_its_deployment(
    flavour: Flavour, mode: str, resource: str
) -> None:
    with stack(flavour, mode, oss_answers()[resource]) as client:
        items = list(getattr(client, resource).list())
    oss, managed = MODELS[resource]
    assert all(item.mode == mode for item in items)
    assert type(items[0].model).__name__ == (managed if mode == "managed" else oss)
    assert items[0].model.id == items[0].id


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_a_real_alert_lifts_its_nulls_and_channels(flavour: Flavour, mode: str) -> None:
    with stack(flavour, mode, oss_answers()["alerts"]) as client:
        (alert,) = client.alerts.list()
    assert (alert.note, alert.num_consecutive_windows, alert.message) == (None, None, "a test alert")
    assert alert.channels == (ALERT["channel"],)
    assert (alert.dashboard_id, alert.tile_id) == (ALERT["dashboardId"], ALERT["tileId"])


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_a_real_session_source_and_a_webhook_without_a_url(flavour: Flavour, mode: str) -> None:
    with stack(flavour, mode, oss_answers()["sources"], oss_answers()["webhooks"]) as client:
        log, session = client.sources.list()
        hooks = list(client.webhooks.list())
    assert type(session.model).__name__.endswith("SessionSource")
    assert (log.disabled, log.database, log.table) == (False, "default", "otel_logs")
    assert [h.description for h in hooks] == ["alerts", None]
    assert hooks[0].url is not None
    assert hooks[1].url is None


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_a_real_list_gives_its_total_where_the_deployment_counts(flavour: Flavour, mode: str) -> None:
    # OSS pages alerts and webhooks with `meta.total`; managed lists are one answer, uncounted.
    with stack(flavour, mode, oss_answers()["alerts"]) as client:
        assert client.alerts.list().total == (1 if mode == "oss" else None)


# --- webhook writes -------------------------------------------------------------------------------
# webhooks.int.test.ts "should create a Slack webhook and never return sensitive fields": a generic
# webhook created with headers and a body template answers its `body` and `url`, never `headers`
# or `queryParams`; MOCK_INCIDENT_IO_WEBHOOK's URL carries its token as a query parameter.
CREATED_WEBHOOK = {
    "id": "65f5e4a3b9e77c001a789014",
    "name": "Test Generic Webhook",
    "service": "generic",
    "url": "https://example.com/webhook",
    "description": "Test generic webhook",
    "body": '{"text": "{{title}} | {{body}} | {{link}}"}',
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}
INCIDENT_TOKEN = "corpus-incident-token-0a9b8c"
INCIDENT_WEBHOOK = {
    "id": "65f5e4a3b9e77c001a789015",
    "name": "Test IncidentIO Webhook",
    "service": "incidentio",
    "url": f"https://api.incident.io/v2/alert_events/http/ZZZZZZZZ?token={INCIDENT_TOKEN}",
    "description": "Test webhook for incident.io",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}


def _created(body: dict[str, Any]) -> Answer:
    return Answer(f"{OSS}/webhooks", {"data": body}, HDX + "webhooks.int.test.ts")


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_a_real_created_webhook_keeps_its_body_and_no_headers(flavour: Flavour, mode: str) -> None:
    with stack(flavour, mode, _created(CREATED_WEBHOOK)) as client:
        made = client.webhooks.create(
            name="Test Generic Webhook",
            service="generic",
            url="https://example.com/webhook",
            headers={"Authorization": "Bearer token"},
            body=CREATED_WEBHOOK["body"],
        )
    assert (made.id, made.service) == (CREATED_WEBHOOK["id"], "generic")
    assert made.raw["body"] == CREATED_WEBHOOK["body"]
    assert "headers" not in made.raw
    assert type(made.model).__name__.endswith("GenericWebhook")


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_a_real_incident_io_url_carries_its_token_and_stays_secret(flavour: Flavour, mode: str) -> None:
    url = INCIDENT_WEBHOOK["url"]
    with stack(flavour, mode, _created(INCIDENT_WEBHOOK)) as client:
        made = client.webhooks.create(name="Test IncidentIO Webhook", service="incidentio", url=url)
    assert made.url is not None
    assert made.url.reveal() == url
    assert INCIDENT_TOKEN not in repr(made)
    assert type(made.model).__name__.endswith("IncidentIOWebhook")


def test_a_real_refused_delete_is_a_conflict_in_hyperdxs_words(flavour: Flavour) -> None:
    # webhooks.ts, DELETE /:id: a webhook alerts still reference answers 409 with this message.
    message = "Cannot delete webhook: 2 alert(s) still reference it. Reassign or remove those alerts first."
    answer = Answer(f"{OSS}/webhooks/{CREATED_WEBHOOK['id']}", {"message": message}, HDX, status=409)
    with stack(flavour, "oss", answer) as client, pytest.raises(dbcloud.ConflictError) as refused:
        client.webhooks.delete(str(CREATED_WEBHOOK["id"]))
    assert "2 alert(s) still reference it" in str(refused.value)


# --- saved searches -------------------------------------------------------------------------------
# savedSearches-crud.int.test.ts: "should create a saved search and return the external shape"
# (`sourceId` and `teamId`, never the internal `source`), filters read back with `type: 'sql'`
# filled in, lists paged with `meta`; models/savedSearch.ts `toExternalJSON` leaves out what a
# search made before these fields were required lacks (`select`, `where`, `orderBy`).
SAVED_SEARCH = {
    "id": "65f5e4a3b9e77c001a345678",
    "name": "Production Errors",
    "select": "Timestamp, Body",
    "where": "SeverityText:ERROR",
    "whereLanguage": "lucene",
    "orderBy": "Timestamp DESC",
    "sourceId": "507f1f77bcf86cd799439011",
    "tags": ["prod"],
    "filters": [{"type": "sql", "condition": "StatusCode IN ('500')"}],
    "teamId": "65f5e4a3b9e77c001a000001",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}
LEGACY_SEARCH = {
    "id": "65f5e4a3b9e77c001a345679",
    "name": "Other Team Search",
    "whereLanguage": "lucene",
    "sourceId": "507f1f77bcf86cd799439011",
    "tags": [],
    "filters": [],
    "teamId": "65f5e4a3b9e77c001a000001",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_real_saved_searches_read_with_their_source_and_filters(flavour: Flavour, mode: str) -> None:
    answer = Answer(
        f"{OSS}/saved-searches",
        _listed([SAVED_SEARCH, LEGACY_SEARCH]),
        HDX + "savedSearches-crud.int.test.ts",
    )
    with stack(flavour, mode, answer) as client:
        listed = client.saved_searches.list()
        full, legacy = listed
        assert listed.total == (2 if mode == "oss" else None)
    assert (full.source_id, full.order_by) == (SAVED_SEARCH["sourceId"], "Timestamp DESC")
    assert full.tags == ("prod",)
    assert full.filters == ({"type": "sql", "condition": "StatusCode IN ('500')"},)
    assert type(full.model).__name__.endswith("SavedSearch")
    assert (legacy.select, legacy.where, legacy.order_by, legacy.tags) == (None, None, None, ())
    assert legacy.created_at is not None


# --- source writes --------------------------------------------------------------------------------
# sources-crud.int.test.ts "should create a log source" (its connection, time column and select
# expression back, an ObjectId `id`) and "should accept external short-form granularities": a trace
# source's materialized view answered with `minGranularity: '5m'`, as it was sent, although HyperDX
# stores "5 minute".
CREATED_TRACES = {
    "id": "507f1f77bcf86cd799439031",
    "name": "Created Trace Source",
    "kind": "trace",
    "connection": "507f1f77bcf86cd799439012",
    "from": {"databaseName": "default", "tableName": "otel_traces"},
    "timestampValueExpression": "Timestamp",
    "defaultTableSelectExpression": "Timestamp, SpanName",
    "durationExpression": "Duration",
    "durationPrecision": 9,
    "traceIdExpression": "TraceId",
    "spanIdExpression": "SpanId",
    "parentSpanIdExpression": "ParentSpanId",
    "spanNameExpression": "SpanName",
    "spanKindExpression": "SpanKind",
    "materializedViews": [
        {
            "databaseName": "default",
            "tableName": "traces_mv",
            "dimensionColumns": "ServiceName",
            "minGranularity": "5m",
            "timestampColumn": "Timestamp",
            "aggregatedColumns": [{"mvColumn": "count", "aggFn": "count"}],
        }
    ],
    "querySettings": [],
}


@pytest.mark.parametrize("mode", ["oss", "managed"])
def test_a_real_created_trace_source_keeps_its_views_granularity(flavour: Flavour, mode: str) -> None:
    answer = Answer(f"{OSS}/sources", {"data": CREATED_TRACES}, HDX + "sources-crud.int.test.ts")
    kind_fields = {
        k: v
        for k, v in CREATED_TRACES.items()
        if k not in ("id", "name", "kind", "connection", "from", "timestampValueExpression")
    }
    with stack(flavour, mode, answer) as client:
        made = client.sources.create(
            kind="trace",
            name="Created Trace Source",
            connection=str(CREATED_TRACES["connection"]),
            database="default",
            table="otel_traces",
            timestamp_value_expression="Timestamp",
            fields=kind_fields,
        )
    assert (made.id, made.kind, made.table) == (CREATED_TRACES["id"], "trace", "otel_traces")
    assert made.raw["materializedViews"][0]["minGranularity"] == "5m"
    assert type(made.model).__name__.endswith("TraceSource")


REAL = 8  # 4 OSS answers, the same 4 in the managed envelope

# --- the four drifts ----------------------------------------------------------------------------------


def _first(body: Any) -> dict[str, Any]:
    return body["data"][0]


def _alert_unknown(items: list[Any]) -> None:
    assert str(_value(items[0].state)) == UNKNOWN
    assert items[0].threshold == 123.0


def _alert_null(items: list[Any]) -> None:
    assert _absent(items[0].message)
    assert _value(items[0].state) == "OK"


def _source_missing(items: list[Any]) -> None:
    assert _absent(items[0].raw.get("defaultTableSelectExpression"))
    assert items[0].name == "Test Log Source"


def _alert_text(items: list[Any]) -> None:
    assert items[0].threshold == 123.0
    assert isinstance(items[0].threshold, float)


DRIFTS = [
    ("unknown-enum-alert-state", "alerts", "state", "unknown-enum", _alert_unknown),
    ("null-alert-message", "alerts", "message", "null", _alert_null),
    ("missing-required-source-select", "sources", "defaultTableSelectExpression", "missing", _source_missing),
    ("text-number-alert-threshold", "alerts", "threshold", "text-number", _alert_text),
]


def _drift_cases() -> list[Any]:
    cases = []
    for name, resource, key, kind, check in DRIFTS:
        for mode in ("oss", "managed"):
            marks: list[pytest.MarkDecorator] = []
            cases.append(pytest.param(mode, resource, key, kind, check, marks=marks, id=f"{mode}-{name}"))
    return cases


@pytest.mark.parametrize(("mode", "resource", "key", "kind", "check"), _drift_cases())
def test_a_drifted_answer_still_reads(
    flavour: Flavour, mode: str, resource: str, key: str, kind: str, check: Any
) -> None:
    answer = drifted(oss_answers()[resource], _first, key, kind)
    with stack(flavour, mode, answer) as client:
        check(getattr(client, resource).list())
