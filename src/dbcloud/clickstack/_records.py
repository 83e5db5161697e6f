"""What the ClickStack facade returns: records read straight from the API's JSON (`dbcloud._results`).

Managed ClickStack (through ClickHouse Cloud) and ClickStack OSS answer the same shapes (camelCase,
`id` as text); a record reads either. Each keeps the whole object at `.raw`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._results import as_int, identifier, mapping, number, text, when
from .._secret import Secret

__all__ = ["Alert", "Dashboard", "Source", "Tile", "Webhook"]


def _objects(value: Any) -> tuple[Mapping[str, Any], ...]:
    return tuple(mapping(v) for v in value if isinstance(v, Mapping)) if isinstance(value, list) else ()


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(t for t in (text(v) for v in value) if t is not None) if isinstance(value, list) else ()


@dataclass(frozen=True, slots=True)
class Tile:
    """A dashboard tile: `id`, `name`, its place (`x`, `y`, `w`, `h`) and its `config` (API names)."""

    id: str | None
    name: str | None = None
    x: int | None = None
    y: int | None = None
    w: int | None = None
    h: int | None = None
    config: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Any) -> Tile:
        item = mapping(data)
        return cls(
            id=text(item.get("id")),
            name=text(item.get("name")),
            x=as_int(item.get("x")),
            y=as_int(item.get("y")),
            w=as_int(item.get("w")),
            h=as_int(item.get("h")),
            config=dict(mapping(item.get("config"))),
        )


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A dashboard: `id`, `name`, its `tiles` and `tags`."""

    id: str
    name: str
    tiles: tuple[Tile, ...] = ()
    tags: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Dashboard:
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            tiles=tuple(Tile.from_api(t) for t in _objects(data.get("tiles"))),
            tags=_texts(data.get("tags")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert on a dashboard tile or a saved search.

    Attributes:
        id, name: the alert's id and name ("" when it has none).
        state: the alert's own state as the API words it (`OK`, `ALERT`, `DISABLED`, ...).
        source: `tile` or `saved_search`; `dashboard_id` / `tile_id` or `saved_search_id` say which.
        threshold, threshold_max, threshold_type, interval: when it fires.
        channel: where it notifies, in the API's names (`{"type": "webhook", "webhookId": ...}`).
        raw: the JSON object as received.
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
    channel: Mapping[str, Any] | None = None
    message: str | None = None
    created_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Alert:
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
            channel=dict(channel) if isinstance(channel, Mapping) else None,
            message=text(data.get("message")),
            created_at=when(data.get("createdAt")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Source:
    """A data source: `id`, `name`, `kind` (`log`, `trace`, `metric`, `session`, `promql`), where it reads."""

    id: str
    name: str
    kind: str | None = None
    connection: str | None = None
    database: str | None = None
    table: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Source:
        fro = mapping(data.get("from"))
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            kind=text(data.get("kind")),
            connection=text(data.get("connection")),
            database=text(fro.get("databaseName")),
            table=text(fro.get("tableName")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Webhook:
    """An alert destination: `id`, `name`, `service` (`slack`, `generic`, `incidentio`, ...).

    Its `url` is a `Secret`: a Slack or incident.io webhook URL is the credential to post there.
    """

    id: str
    name: str
    service: str | None = None
    url: Secret | None = None
    updated_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Webhook:
        url = text(data.get("url"))
        return cls(
            id=identifier(data, "id", "_id"),
            name=text(data.get("name")) or "",
            service=text(data.get("service")),
            url=Secret(url) if url else None,
            updated_at=when(data.get("updatedAt")),
            raw=data,
        )
