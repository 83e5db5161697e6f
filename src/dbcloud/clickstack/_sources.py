"""ClickStack data sources: list, get, create, update, delete.

The requests are those of HyperDX's external API v2 (packages/api/src/routers/external-api/v2/
sources.ts), which managed ClickStack serves under its service path: `POST /sources` and
`PUT /sources/{id}` with one source of a kind (`SourceSchemaNoId`: log, trace, metric, session or
promql, each with fields of its own), `DELETE /sources/{id}`.

The fields every kind has are keyword arguments; the rest of a kind's fields are given as
`fields`, in the API's names, and the whole body is checked against the kind's generated model
(so a field the kind does not have, or one it needs, is refused before sending).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from ._records import Source

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["KINDS", "Sources"]

KINDS = ("log", "trace", "metric", "session", "promql")
# Set by call arguments: in `fields` they would be said twice.
_NAMED = frozenset({"name", "kind", "connection", "from", "timestampValueExpression", "id"})


def _body(
    kind: Any,
    name: Any,
    connection: Any,
    database: Any,
    table: Any,
    timestamp_value_expression: Any,
    fields: Any,
) -> dict[str, Any]:
    """The request's fields, in the order of the spec's source models."""
    if kind not in KINDS:
        raise ValidationError(f"kind must be one of {list(KINDS)}, got {kind!r}", field="kind")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string", field="name")
    if not isinstance(connection, str) or not connection.strip():
        raise ValidationError("connection must be a connection's id", field="connection")
    if fields is not None and not isinstance(fields, Mapping):
        raise ValidationError("fields must be a mapping in the API's field names", field="fields")
    extra = dict(fields or {})
    twice = sorted(_NAMED & set(extra))
    if twice:
        raise ValidationError(
            f"fields: {twice[0]!r} is an argument of its own (database/table for 'from')", field="fields"
        )
    # Every kind reads `from` a database; all but metric sources (whose tables are `metricTables`)
    # from a table of it too.
    if database is None or (table is None and kind != "metric"):
        needed = "database" if kind == "metric" else "database and table"
        raise ValidationError(f"a {kind} source needs {needed} (its `from`)", field="database")
    location = {"databaseName": database, "tableName": table}
    return {
        "name": name,
        "kind": kind,
        "connection": connection,
        "from": {k: v for k, v in location.items() if v is not None},
        "timestamp_value_expression": timestamp_value_expression,
        **extra,
    }


class Sources(Resource[H]):
    """Data sources (logs, traces, metrics, sessions, PromQL). Reached as `ClickStack(...).sources`
    (and `AsyncClickStack(...).sources`, whose verbs are awaited)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Source]:
        """Every source (its `kind` says which: log, trace, metric, session, promql)."""
        return self._client._listing(Source.from_api, "sources.list")

    @call
    def get_by_name(self, name: str) -> Flow[Source]:
        """The source called `name` (every source is read), so that a script adopts a source that exists
        instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no source has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Sources.list.build(self).named(name))

    @call
    def get(self, source_id: str) -> Flow[Source]:
        """One source.

        Raises:
            NotFoundError: no such source.
        """
        return (
            yield from self._client._record_flow(Source.from_api, "sources.get", item=("sources", source_id))
        )

    @call
    def create(
        self,
        *,
        kind: str,
        name: str,
        connection: str,
        database: str | None = None,
        table: str | None = None,
        timestamp_value_expression: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Flow[Source]:
        """Create a source (`POST /sources`). Sent once: repeated only after a 429.

        A log source of the OpenTelemetry logs table::

            stack.sources.create(
                kind="log", name="Logs", connection=conn_id, database="default", table="otel_logs",
                timestamp_value_expression="TimestampTime",
                fields={"defaultTableSelectExpression": "Timestamp, ServiceName, Body"},
            )

        Args:
            kind: log, trace, metric, session or promql.
            name: its name.
            connection: the id of the ClickHouse connection it reads through.
            database, table: where it reads (`from`); a metric source names its tables in
                `fields["metricTables"]` instead.
            timestamp_value_expression: its time column (every kind but session needs one).
            fields: the kind's other fields in the API's names (`defaultTableSelectExpression`,
                `durationExpression`, `traceSourceId`, ...), checked against the kind's model.

        Raises:
            ValidationError: a field is missing, unknown to the kind, or of the wrong type;
                nothing was sent.
            BadRequestError: the connection does not exist, or the server refused a value.
        """
        body = _body(kind, name, connection, database, table, timestamp_value_expression, fields)
        return (
            yield from self._client._record_flow(
                Source.from_api, "sources.create", body=body, model=f"sources.{kind}"
            )
        )

    @call
    def update(
        self,
        source_id: str,
        *,
        kind: str,
        name: str,
        connection: str,
        database: str | None = None,
        table: str | None = None,
        timestamp_value_expression: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Flow[Source]:
        """Replace a source (`PUT /sources/{id}`): the whole source, as for `create`; fields left
        out are gone. A source read back gives its own fields: `Source.raw`.

        Raises:
            ValidationError: as for `create`; nothing was sent.
            NotFoundError: no such source.
        """
        body = _body(kind, name, connection, database, table, timestamp_value_expression, fields)
        return (
            yield from self._client._record_flow(
                Source.from_api,
                "sources.update",
                item=("sources", source_id),
                body=body,
                model=f"sources.{kind}",
            )
        )

    @call
    def delete(self, source_id: str) -> Flow[None]:
        """Delete a source. Sent once: never repeated after a server error or a broken connection
        (only after a 429); the saved searches, dashboards and alerts that read it stop working.

        Raises:
            NotFoundError: no such source.
        """
        yield from self._client._delete_once_flow("sources", source_id)
