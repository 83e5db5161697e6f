"""ClickStack source writes end to end against the emulator, both deployments and flavours: a
lifecycle with real ids, the connection rule and its order, a session's legacy time column, 404."""

from __future__ import annotations

import re
from typing import Any

import pytest

import dbcloud

from .test_clickstack import emu, http, http_of, no_local_settings, path, service_id
from .test_clickstack import stack as stack

__all__ = ["emu", "http", "no_local_settings", "service_id", "stack"]  # fixtures, imported for pytest

UNKNOWN = "65f5e4a3ffffffffffff0005"


def _connection(stack: dbcloud.ClickStack) -> str:
    return str(next(s.connection for s in stack.sources.list() if s.kind == "log"))


def _log(stack: dbcloud.ClickStack, **changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "kind": "log",
        "name": "App Logs",
        "connection": _connection(stack),
        "database": "default",
        "table": "app_logs",
        "timestamp_value_expression": "Timestamp",
        "fields": {"defaultTableSelectExpression": "Timestamp, Body", "bodyExpression": "Body"},
    }
    return {**arguments, **changes}


def test_source_lifecycle(stack: dbcloud.ClickStack) -> None:
    made = stack.sources.create(**_log(stack))
    assert re.fullmatch(r"[0-9a-f]{24}", made.id)
    assert (made.kind, made.name, made.database, made.table) == ("log", "App Logs", "default", "app_logs")
    assert made.raw["bodyExpression"] == "Body"
    assert stack.sources.get(made.id) == made
    assert made.id in [s.id for s in stack.sources.list()]
    plain = {"defaultTableSelectExpression": "*"}
    replaced = stack.sources.update(made.id, **_log(stack, name="Renamed", fields=plain))
    assert (replaced.id, replaced.name) == (made.id, "Renamed")
    assert "bodyExpression" not in replaced.raw  # the whole source replaced
    stack.sources.delete(made.id)
    for gone in (stack.sources.get, stack.sources.delete):
        with pytest.raises(dbcloud.NotFoundError, match="Source not found"):
            gone(made.id)


def test_the_connection_must_exist_and_is_checked_first(stack: dbcloud.ClickStack) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="connection must be an existing connection id"):
        stack.sources.create(**_log(stack, connection=UNKNOWN))
    with pytest.raises(dbcloud.BadRequestError, match="connection must be a valid connection id"):
        stack.sources.create(**_log(stack, connection="conn-1"))
    # Before the source is looked up: a 400 for an unknown source too, not a 404.
    with pytest.raises(dbcloud.BadRequestError, match="existing connection id"):
        stack.sources.update(UNKNOWN, **_log(stack, connection=UNKNOWN))
    with pytest.raises(dbcloud.NotFoundError):
        stack.sources.update(UNKNOWN, **_log(stack))


def test_a_session_source_gets_hyperdxs_legacy_time_column(stack: dbcloud.ClickStack) -> None:
    traces = next(s.id for s in stack.sources.list() if s.kind == "trace")
    made = stack.sources.create(
        kind="session",
        name="Sessions 2",
        connection=_connection(stack),
        database="default",
        table="hyperdx_sessions",
        fields={"traceSourceId": traces},
    )
    assert made.timestamp_value_expression == "TimestampTime"
    stack.sources.delete(made.id)


def test_an_id_sent_is_not_the_sources(stack: dbcloud.ClickStack) -> None:
    body = {
        "id": UNKNOWN,
        "kind": "promql",
        "name": "Prom",
        "connection": _connection(stack),
        "from": {"databaseName": "default", "tableName": "prom"},
        "timestampValueExpression": "Timestamp",
    }
    answer = http_of(stack).post(path(stack, "sources"), json=body)
    assert answer.status_code == 200, answer.text
    made = answer.json()["data" if stack.mode == "oss" else "result"]
    assert made["id"] != UNKNOWN
    stack.sources.delete(made["id"])
    if stack.mode == "oss":
        with pytest.raises(dbcloud.BadRequestError, match="Params validation failed: id: Invalid ObjectId"):
            stack.sources.delete("not-an-object-id")


def test_a_views_granularity_is_answered_in_the_short_form(stack: dbcloud.ClickStack) -> None:
    view = {
        "databaseName": "default",
        "tableName": "logs_mv",
        "dimensionColumns": "ServiceName",
        "minGranularity": "15 minute",  # HyperDX's internal form, sent as it stores it
        "timestampColumn": "Timestamp",
        "aggregatedColumns": [{"mvColumn": "count", "aggFn": "count"}],
    }
    fields = {"defaultTableSelectExpression": "*", "materializedViews": [view]}
    made = stack.sources.create(**_log(stack, fields=fields))
    assert made.raw["materializedViews"][0]["minGranularity"] == "15m"
    hourly = {**fields, "materializedViews": [{**view, "minGranularity": "1h"}]}
    short = stack.sources.update(made.id, **_log(stack, fields=hourly))
    assert short.raw["materializedViews"][0]["minGranularity"] == "1h"
    stack.sources.delete(made.id)
