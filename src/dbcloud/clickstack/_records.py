"""What the ClickStack facade returns: records read straight from the API's JSON (`dbcloud._results`).

Managed ClickStack (through ClickHouse Cloud) and ClickStack OSS answer the same shapes (camelCase,
`id` as text); a record reads either, the same way. Each keeps the whole object at `.raw`, and the
deployment that answered it (`mode`: "oss" or "managed"), so that `.model` parses it with that
deployment's generated model (`dbcloud_clickstack_oss_client` or `dbcloud_clickhouse_client`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._results import (
    as_bool,
    as_int,
    generated_model,
    identifier,
    mapping,
    model_of,
    number,
    objects,
    text,
    texts,
    when,
)
from .._secret import Secret

if TYPE_CHECKING:
    from typing import TypeAlias

    from dbcloud_clickhouse_client.models.click_stack_alert_response import ClickStackAlertResponse
    from dbcloud_clickhouse_client.models.click_stack_dashboard_response import ClickStackDashboardResponse
    from dbcloud_clickhouse_client.models.click_stack_generic_webhook import ClickStackGenericWebhook
    from dbcloud_clickhouse_client.models.click_stack_incident_io_webhook import ClickStackIncidentIOWebhook
    from dbcloud_clickhouse_client.models.click_stack_log_source import ClickStackLogSource
    from dbcloud_clickhouse_client.models.click_stack_metric_source import ClickStackMetricSource
    from dbcloud_clickhouse_client.models.click_stack_pager_duty_api_webhook import (
        ClickStackPagerDutyAPIWebhook,
    )
    from dbcloud_clickhouse_client.models.click_stack_promql_source import ClickStackPromqlSource
    from dbcloud_clickhouse_client.models.click_stack_saved_search import ClickStackSavedSearch
    from dbcloud_clickhouse_client.models.click_stack_session_source import ClickStackSessionSource
    from dbcloud_clickhouse_client.models.click_stack_slack_api_webhook import ClickStackSlackAPIWebhook
    from dbcloud_clickhouse_client.models.click_stack_slack_webhook import ClickStackSlackWebhook
    from dbcloud_clickhouse_client.models.click_stack_tile_output import ClickStackTileOutput
    from dbcloud_clickhouse_client.models.click_stack_trace_source import ClickStackTraceSource
    from dbcloud_clickstack_oss_client.models.alert_response import AlertResponse
    from dbcloud_clickstack_oss_client.models.dashboard import Dashboard as DashboardModel
    from dbcloud_clickstack_oss_client.models.generic_webhook import GenericWebhook
    from dbcloud_clickstack_oss_client.models.incident_io_webhook import IncidentIOWebhook
    from dbcloud_clickstack_oss_client.models.log_source import LogSource
    from dbcloud_clickstack_oss_client.models.metric_source import MetricSource
    from dbcloud_clickstack_oss_client.models.promql_source import PromqlSource
    from dbcloud_clickstack_oss_client.models.saved_search import SavedSearch as SavedSearchModel
    from dbcloud_clickstack_oss_client.models.session_source import SessionSource
    from dbcloud_clickstack_oss_client.models.slack_webhook import SlackWebhook
    from dbcloud_clickstack_oss_client.models.tile_output import TileOutput
    from dbcloud_clickstack_oss_client.models.trace_source import TraceSource

    SourceModel: TypeAlias = (
        LogSource
        | TraceSource
        | MetricSource
        | SessionSource
        | PromqlSource
        | ClickStackLogSource
        | ClickStackTraceSource
        | ClickStackMetricSource
        | ClickStackSessionSource
        | ClickStackPromqlSource
    )
    WebhookModel: TypeAlias = (
        SlackWebhook
        | IncidentIOWebhook
        | GenericWebhook
        | ClickStackSlackWebhook
        | ClickStackIncidentIOWebhook
        | ClickStackGenericWebhook
        | ClickStackSlackAPIWebhook
        | ClickStackPagerDutyAPIWebhook
    )

__all__ = ["Alert", "Dashboard", "SavedSearch", "Source", "Tile", "Webhook"]

OSS, MANAGED = "oss", "managed"

# mode → (the generated models, the envelope field holding an answer's data)
_PACKAGES = {
    OSS: ("dbcloud_clickstack_oss_client.models", "data"),
    MANAGED: ("dbcloud_clickhouse_client.models", "result"),
}


def _model(mode: str, oss: str, managed: str, raw: Mapping[str, Any]) -> Any:
    """`raw` read by the generated model of its deployment ("module:Class" in either package)."""
    package, _ = _PACKAGES[MANAGED if mode == MANAGED else OSS]
    return model_of(f"{package}.{managed if mode == MANAGED else oss}", raw)


def _member(mode: str, oss: str, managed: str, raw: Mapping[str, Any]) -> Any:
    """`raw` read as a member of one of the spec's `oneOf`s (sources by `kind`, webhooks by
    `service`): by the generated envelope that holds the `oneOf`, whose reader picks the member."""
    _, key = _PACKAGES[MANAGED if mode == MANAGED else OSS]
    return getattr(_model(mode, oss, managed, {key: raw}), key)


def _by_deployment(oss: str, managed: str) -> Callable[[Any], Any]:
    """A `generated_model` source: a record's `.raw` read by `_model` for the record's `mode`."""
    return lambda record: _model(record.mode, oss, managed, record.raw)


def _by_member(oss: str, managed: str) -> Callable[[Any], Any]:
    """A `generated_model` source: a record's `.raw` read by `_member` for the record's `mode`."""
    return lambda record: _member(record.mode, oss, managed, record.raw)


@dataclass(frozen=True, slots=True)
class Tile:
    """A dashboard tile: `id`, `name`, its place (`x`, `y`, `w`, `h`) and its `config` (API names).

    A dashboard's tiles can be given back to `dashboards.update` as they are (they keep their ids).
    """

    id: str | None
    name: str | None = None
    x: int | None = None
    y: int | None = None
    w: int | None = None
    h: int | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    mode: str = field(default=OSS, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any, mode: str = OSS) -> Tile:
        item = mapping(data)
        return cls(
            id=text(item.get("id")),
            name=text(item.get("name")),
            x=as_int(item.get("x")),
            y=as_int(item.get("y")),
            w=as_int(item.get("w")),
            h=as_int(item.get("h")),
            config=dict(mapping(item.get("config"))),
            raw=item,
            mode=mode,
        )

    def to_dict(self) -> dict[str, Any]:
        """The tile in the API's names, as a request body takes it: as received, else its fields."""
        if self.raw:
            return dict(self.raw)
        fields = {"id": self.id, "name": self.name, "x": self.x, "y": self.y, "w": self.w, "h": self.h}
        made: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
        if self.config:
            made["config"] = dict(self.config)
        return made

    model: ClassVar[generated_model[TileOutput | ClickStackTileOutput]] = generated_model(
        _by_deployment("tile_output:TileOutput", "click_stack_tile_output:ClickStackTileOutput"),
        "The tile read by the generated `TileOutput` (OSS) or `ClickStackTileOutput` (managed).",
    )


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A dashboard.

    Attributes:
        id, name: the dashboard's id and name ("" when it has none).
        tiles: its tiles (`Tile` records).
        tags: its tags.
        saved_query, saved_query_language: the dashboard-wide query ("lucene" or "sql").
        raw: the JSON object as received; `model` reads it with the generated model.
        mode: the deployment that answered ("oss" or "managed").
    """

    id: str
    name: str
    tiles: tuple[Tile, ...] = ()
    tags: tuple[str, ...] = ()
    saved_query: str | None = None
    saved_query_language: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    mode: str = field(default=OSS, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], mode: str = OSS) -> Dashboard:
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            tiles=tuple(Tile.from_api(t, mode) for t in objects(data.get("tiles"))),
            tags=texts(data.get("tags")),
            saved_query=text(data.get("savedQuery")),
            saved_query_language=text(data.get("savedQueryLanguage")),
            raw=data,
            mode=mode,
        )

    model: ClassVar[generated_model[DashboardModel | ClickStackDashboardResponse]] = generated_model(
        _by_deployment("dashboard:Dashboard", "click_stack_dashboard_response:ClickStackDashboardResponse"),
        "The answer read by the generated `Dashboard` (OSS) or `ClickStackDashboardResponse` (managed).",
    )


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert on a dashboard tile or a saved search.

    Attributes:
        id, name: the alert's id and name ("" when it has none).
        state: the alert's own state as the API words it (`OK`, `ALERT`, `INSUFFICIENT_DATA`,
            `DISABLED`, `PENDING`; a word added later is kept as sent).
        source: `tile` or `saved_search`; `dashboard_id` / `tile_id` or `saved_search_id` say which.
        threshold, threshold_max, threshold_type, interval: when it fires.
        num_consecutive_windows: how many windows in a row must breach before it fires.
        schedule_offset_minutes, schedule_start_at: where its windows start.
        group_by: the expression a saved-search alert groups by.
        channel: where it notifies, in the API's names (`{"type": "webhook", "webhookId": ...}`);
            `channels` all of them, where the API lists several (OSS).
        message, note: the notification's text, and a note for whoever gets it.
        created_at, updated_at: when it was made and last changed.
        raw: the JSON object as received; `model` reads it with the generated model.
        mode: the deployment that answered ("oss" or "managed").
    """

    id: str
    name: str
    state: str | None = None
    source: str | None = None
    dashboard_id: str | None = None
    tile_id: str | None = None
    saved_search_id: str | None = None
    threshold: float | None = None
    threshold_max: float | None = None
    threshold_type: str | None = None
    interval: str | None = None
    num_consecutive_windows: int | None = None
    schedule_offset_minutes: int | None = None
    schedule_start_at: datetime.datetime | None = None
    group_by: str | None = None
    channel: Mapping[str, Any] | None = None
    channels: tuple[Mapping[str, Any], ...] = ()
    message: str | None = None
    note: str | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    mode: str = field(default=OSS, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], mode: str = OSS) -> Alert:
        channel = data.get("channel")
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            state=text(data.get("state")),
            source=text(data.get("source")),
            dashboard_id=text(data.get("dashboardId") or data.get("dashboard")),
            tile_id=text(data.get("tileId")),
            saved_search_id=text(data.get("savedSearchId") or data.get("savedSearch")),
            threshold=number(data.get("threshold")),
            threshold_max=number(data.get("thresholdMax")),
            threshold_type=text(data.get("thresholdType")),
            interval=text(data.get("interval")),
            num_consecutive_windows=as_int(data.get("numConsecutiveWindows")),
            schedule_offset_minutes=as_int(data.get("scheduleOffsetMinutes")),
            schedule_start_at=when(data.get("scheduleStartAt")),
            group_by=text(data.get("groupBy")),
            channel=dict(channel) if isinstance(channel, Mapping) else None,
            channels=tuple(dict(c) for c in objects(data.get("channels"))),
            message=text(data.get("message")),
            note=text(data.get("note")),
            created_at=when(data.get("createdAt")),
            updated_at=when(data.get("updatedAt")),
            raw=data,
            mode=mode,
        )

    model: ClassVar[generated_model[AlertResponse | ClickStackAlertResponse]] = generated_model(
        _by_deployment("alert_response:AlertResponse", "click_stack_alert_response:ClickStackAlertResponse"),
        "The answer read by the generated `AlertResponse` (OSS) or `ClickStackAlertResponse` (managed).",
    )


@dataclass(frozen=True, slots=True)
class Source:
    """A data source.

    Attributes:
        id, name: the source's id and name ("" when it has none).
        kind: `log`, `trace`, `metric`, `session` or `promql` (a kind added later kept as sent).
        connection: the id of the ClickHouse connection it reads through.
        database, table: where it reads (`from.databaseName`, `from.tableName`).
        timestamp_value_expression: its time column.
        disabled: whether it is switched off.
        raw: the JSON object as received; `model` reads it with the generated model of its kind.
        mode: the deployment that answered ("oss" or "managed").
    """

    id: str
    name: str
    kind: str | None = None
    connection: str | None = None
    database: str | None = None
    table: str | None = None
    timestamp_value_expression: str | None = None
    disabled: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    mode: str = field(default=OSS, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], mode: str = OSS) -> Source:
        fro = mapping(data.get("from"))
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            kind=text(data.get("kind")),
            connection=text(data.get("connection")),
            database=text(fro.get("databaseName")),
            table=text(fro.get("tableName")),
            timestamp_value_expression=text(data.get("timestampValueExpression")),
            disabled=as_bool(data.get("disabled")),
            raw=data,
            mode=mode,
        )

    model: ClassVar[generated_model[SourceModel]] = generated_model(
        _by_member(
            "source_response_envelope:SourceResponseEnvelope",
            "click_stack_get_source_response_200:ClickStackGetSourceResponse200",
        ),
        "The answer read by the generated model of its kind (`LogSource`, `TraceSource`, ...;"
        " `ClickStackLogSource`, ... when managed).",
    )


@dataclass(frozen=True, slots=True)
class Webhook:
    """An alert destination.

    Attributes:
        id, name: the webhook's id (what an alert's channel names as `webhookId`) and name.
        service: `slack`, `incidentio`, `generic` (managed also `slack_api`, `pagerduty_api`).
        url: where it posts, as a `Secret`: a Slack or incident.io webhook URL is the credential to
            post there. (Its `headers` and `queryParams` are write-only: no answer carries them.)
        description: its description, as shown in the UI.
        created_at, updated_at: when it was made and last changed.
        raw: the JSON object as received; `model` reads it with the generated model of its service.
        mode: the deployment that answered ("oss" or "managed").
    """

    id: str
    name: str
    service: str | None = None
    url: Secret | None = None
    description: str | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    mode: str = field(default=OSS, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], mode: str = OSS) -> Webhook:
        url = text(data.get("url"))
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            service=text(data.get("service")),
            url=Secret(url) if url else None,
            description=text(data.get("description")),
            created_at=when(data.get("createdAt")),
            updated_at=when(data.get("updatedAt")),
            raw=data,
            mode=mode,
        )

    model: ClassVar[generated_model[WebhookModel]] = generated_model(
        _by_member(
            "webhook_response_envelope:WebhookResponseEnvelope",
            "click_stack_create_webhook_response_200:ClickStackCreateWebhookResponse200",
        ),
        "The answer read by the generated model of its service (`SlackWebhook`, ...;"
        " `ClickStackSlackWebhook`, ... when managed).",
    )


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A saved search: a query over one source, which alerts can watch.

    Attributes:
        id, name: the saved search's id (what an alert names as `savedSearchId`) and name.
        source_id: the source it searches.
        select, where, where_language, order_by: its query (`where_language` "lucene" or "sql").
        tags: its tags.
        filters: its pinned filters, in the API's names (`{"type": "sql", "condition": ...}`).
        created_at, updated_at: when it was made and last changed.
        raw: the JSON object as received; `model` reads it with the generated model.
        mode: the deployment that answered ("oss" or "managed").
    """

    id: str
    name: str
    source_id: str | None = None
    select: str | None = None
    where: str | None = None
    where_language: str | None = None
    order_by: str | None = None
    tags: tuple[str, ...] = ()
    filters: tuple[Mapping[str, Any], ...] = ()
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    mode: str = field(default=OSS, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], mode: str = OSS) -> SavedSearch:
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            # `source` is the internal name HyperDX maps to `sourceId`; read either.
            source_id=text(data.get("sourceId") or data.get("source")),
            select=text(data.get("select")),
            where=text(data.get("where")),
            where_language=text(data.get("whereLanguage")),
            order_by=text(data.get("orderBy")),
            tags=texts(data.get("tags")),
            filters=tuple(dict(f) for f in objects(data.get("filters"))),
            created_at=when(data.get("createdAt")),
            updated_at=when(data.get("updatedAt")),
            raw=data,
            mode=mode,
        )

    model: ClassVar[generated_model[SavedSearchModel | ClickStackSavedSearch]] = generated_model(
        _by_deployment("saved_search:SavedSearch", "click_stack_saved_search:ClickStackSavedSearch"),
        "The answer read by the generated `SavedSearch` (OSS) or `ClickStackSavedSearch` (managed).",
    )
