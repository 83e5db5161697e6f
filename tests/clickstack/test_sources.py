"""ClickStack source writes over MockTransport, both deployments and flavours: each kind's body
exactly, checked against the kind's model before sending, a delete sent once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import dbcloud

from .conftest import SOURCE, FakeStack, body

SRC, CONN = SOURCE["id"], SOURCE["connection"]
TRACES = "507f1f77bcf86cd799439021"

# The smallest body of each kind HyperDX's SourceSchemaNoId takes (the specs' required fields).
KIND_FIELDS: dict[str, dict[str, Any]] = {
    "log": {"defaultTableSelectExpression": "Timestamp, Body"},
    "trace": {
        "defaultTableSelectExpression": "Timestamp, SpanName",
        "durationExpression": "Duration",
        "durationPrecision": 9,
        "traceIdExpression": "TraceId",
        "spanIdExpression": "SpanId",
        "parentSpanIdExpression": "ParentSpanId",
        "spanNameExpression": "SpanName",
        "spanKindExpression": "SpanKind",
    },
    "metric": {
        "metricTables": {"gauge": "otel_metrics_gauge", "sum": "otel_metrics_sum"},
        "resourceAttributesExpression": "ResourceAttributes",
    },
    "session": {"traceSourceId": TRACES},
    "promql": {},
}


def _error(fake: FakeStack, status: int, message: str) -> httpx.Response:
    if fake.mode == "managed":
        return httpx.Response(status, json={"status": status, "error": message, "requestId": "r-1"})
    return httpx.Response(status, json={"message": message})


@pytest.mark.parametrize("kind", sorted(KIND_FIELDS))
def test_each_kind_is_sent_as_its_model_takes_it(
    stack: dbcloud.ClickStack, fake: FakeStack, kind: str
) -> None:
    fake.on("POST", "/sources", {**SOURCE, "kind": kind})
    table = "" if kind == "metric" else "t"
    made = stack.sources.create(
        kind=kind,
        name="S",
        connection=CONN,
        database="default",
        table=table,
        timestamp_value_expression=None if kind == "session" else "TimeUnix",
        fields=KIND_FIELDS[kind],
    )
    sent = body(fake.last)
    assert list(sent)[:4] == ["name", "kind", "connection", "from"]
    assert sent["from"] == {"databaseName": "default", "tableName": table}
    assert ("timestampValueExpression" in sent) is (kind != "session")
    assert {k: sent[k] for k in KIND_FIELDS[kind]} == KIND_FIELDS[kind]
    assert made.kind == kind


def test_update_replaces_the_source(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("PUT", f"/sources/{SRC}", SOURCE)
    stack.sources.update(
        SRC,
        kind="log",
        name="Logs",
        connection=CONN,
        database="default",
        table="otel_logs",
        timestamp_value_expression="TimestampTime",
        fields={**KIND_FIELDS["log"], "disabled": True, "serviceNameExpression": None},
    )
    sent = fake.last
    assert (sent.method, sent.url.path) == ("PUT", f"{fake.prefix}/sources/{SRC}")
    assert body(sent)["disabled"] is True
    assert "serviceNameExpression" not in body(sent)  # None is left out, as for every argument


@pytest.mark.parametrize(
    ("arguments", "needle"),
    [
        ({"kind": "events"}, "kind must be one of"),
        ({"name": ""}, "name must be"),
        ({"connection": None}, "connection must be"),
        ({"fields": {}}, "needs default_table_select_expression"),
        ({"fields": {**KIND_FIELDS["log"], "colour": "red"}}, "colour: not a field"),
        ({"fields": {**KIND_FIELDS["log"], "from": {}}}, "argument of its own"),
        ({"fields": ["defaultTableSelectExpression"]}, "fields must be a mapping"),
        ({"timestamp_value_expression": None}, "needs timestamp_value_expression"),
        ({"kind": "trace"}, "needs duration_expression"),
        ({"fields": {**KIND_FIELDS["log"], "disabled": "maybe"}}, "disabled"),
    ],
)
def test_a_source_the_kind_does_not_take_is_refused_before_sending(
    stack: dbcloud.ClickStack, fake: FakeStack, arguments: dict[str, Any], needle: str
) -> None:
    given = {
        "kind": "log",
        "name": "Logs",
        "connection": CONN,
        "database": "default",
        "table": "otel_logs",
        "timestamp_value_expression": "TimestampTime",
        "fields": KIND_FIELDS["log"],
        **arguments,
    }
    with pytest.raises(dbcloud.ValidationError, match=needle):
        stack.sources.create(**given)
    with pytest.raises(dbcloud.ValidationError):
        stack.sources.update(SRC, **given)
    assert fake.requests == []


def test_delete_is_sent_once_after_a_server_error(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("DELETE", f"/sources/{SRC}", _error(fake, 504, "timeout"), None)
    with pytest.raises(dbcloud.APIStatusError):
        stack.sources.delete(SRC)
    assert len(fake.requests) == 1


def test_an_unknown_connection_is_the_servers_400(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/sources", _error(fake, 400, "connection must be an existing connection id"))
    with pytest.raises(dbcloud.BadRequestError, match="existing connection id"):
        stack.sources.create(
            kind="promql", name="P", connection=CONN, database="d", table="t", timestamp_value_expression="T"
        )


@pytest.mark.parametrize("bad", ["", "a/b", ".."])
def test_ids_are_checked_before_sending(stack: dbcloud.ClickStack, fake: FakeStack, bad: str) -> None:
    with pytest.raises(dbcloud.ValidationError, match="source_id"):
        stack.sources.delete(bad)
    assert fake.requests == []


@pytest.mark.parametrize(("kind", "table"), [("log", None), ("metric", None), ("trace", "t")])
def test_from_needs_a_database_and_a_table_but_for_metrics(
    stack: dbcloud.ClickStack, fake: FakeStack, kind: str, table: str | None
) -> None:
    fake.on("POST", "/sources", {**SOURCE, "kind": kind})
    arguments: dict[str, Any] = {"kind": kind, "name": "S", "connection": CONN, "table": table}
    with pytest.raises(dbcloud.ValidationError, match="needs database"):
        stack.sources.create(**arguments, timestamp_value_expression="T", fields=KIND_FIELDS[kind])
    if kind == "metric":  # a metric source's tables are its metricTables
        stack.sources.create(
            **arguments, database="default", timestamp_value_expression="T", fields=KIND_FIELDS[kind]
        )
        assert body(fake.last)["from"] == {"databaseName": "default"}
