"""Emulated ClickStack: dashboards, alerts, sources, webhooks and saved searches.

`ClickStackState` holds the objects of one team. `EmulatedClickStack` serves one as ClickStack OSS
(the HyperDX external API under `/api/v2`: Bearer key, `{data: ...}` answers, `{message}` errors,
`limit`/`offset` pages with `meta` for alerts, webhooks and saved searches); the ClickHouse Cloud
emulator keeps one per service for managed ClickStack (see clickhouse.py). Connections, charts,
search and the team endpoints answer with synthesized, schema-shaped bodies.

The rules applied beyond the request models come from the specs' own descriptions: tile ids kept on
update when they match, alert `channel` mirroring `channels[0]` (OSS), webhook `headers` and
`queryParams` write-only, and webhook names unique per service. Where the specs are silent, the
emulator follows HyperDX's server as we understand it (each such rule says so where it is applied).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

from ._api import ApiError, OpenAPIEmulator
from ._clock import EmulatedClock
from ._http import EmuRequest, EmuResponse, json_response
from ._ids import IdSource

__all__ = ["RESOURCES", "ClickStackState", "EmulatedClickStack", "iso_time", "operations"]

# State kind, singular and plural as the generated operation names spell them.
RESOURCES = (
    ("dashboards", "dashboard", "dashboards"),
    ("alerts", "alert", "alerts"),
    ("sources", "source", "sources"),
    ("webhooks", "webhook", "webhooks"),
    ("savedSearches", "saved_search", "saved_searches"),
)
VERBS = ("list", "get", "create", "update", "delete")
_NOT_FOUND = {
    "dashboards": "Dashboard not found",
    "alerts": "Alert not found",
    "sources": "Source not found",
    "webhooks": "Webhook not found",
    "savedSearches": "Saved search not found",
}
_RANGES = ("between", "not_between")
_WRITE_ONLY = ("headers", "queryParams")
_PAGED = ("alerts", "webhooks", "savedSearches")  # OSS lists that page with limit/offset and meta
MAX_PAGE = 1000


def iso_time(seconds: float) -> str:
    """A Unix time as ISO 8601 in UTC with milliseconds, as both APIs write timestamps."""
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def operations(name: Callable[[str, str], str]) -> Iterator[tuple[str, str, str]]:
    """(operation name, state kind, verb) for every resource operation; `name(plural, verb_noun)`
    spells an operation the way one generated package does."""
    for kind, singular, plural in RESOURCES:
        for verb in VERBS:
            yield name(plural, f"{verb}_{plural if verb == 'list' else singular}"), kind, verb


class ClickStackState:
    """The ClickStack objects of one team (OSS) or of one ClickHouse Cloud service (managed).

    Stored objects are replaced, never changed in place, so an answer can be serialized after the
    emulator's lock is released.

    Args:
        now: the current time as the API writes it.
        managed: managed ClickStack (alerts answer `channel` only) rather than OSS.
        seed_sources: start with the log, trace, metric and session sources of the OpenTelemetry
            tables, as a new deployment has them.
        ids: where object ids come from (by default the source of a seed-0 OSS emulator).
    """

    def __init__(
        self,
        now: Callable[[], str],
        *,
        managed: bool,
        seed_sources: bool = True,
        ids: IdSource | None = None,
    ) -> None:
        self.now = now
        self.managed = managed
        self.ids = ids if ids is not None else IdSource("clickstack:0")
        self.team = self.ids.object_id()
        self.items: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind, _, _ in RESOURCES}
        self._write_only: dict[str, dict[str, Any]] = {}  # webhook id → headers / queryParams
        if seed_sources:
            self._seed()

    # --- generic operations --------------------------------------------------------------------

    def call(self, kind: str, verb: str, item: str | None, body: Any) -> Any:
        """One operation on one kind: the answer's payload (None for a deletion)."""
        if verb == "list":
            return list(self.items[kind].values())
        if verb == "get":
            return self.get(kind, item)
        if verb == "delete":
            self.delete(kind, str(item))
            return None
        return self.save(kind, dict(body or {}), item if verb == "update" else None)

    def get(self, kind: str, item: str | None) -> dict[str, Any]:
        found = self.items[kind].get(item or "")
        if found is None:
            raise ApiError(404, _NOT_FOUND[kind])
        return found

    def save(self, kind: str, body: dict[str, Any], item: str | None = None) -> dict[str, Any]:
        """Create (`item` None) or replace an object; returns it as stored."""
        old = self.get(kind, item) if item is not None else None
        builder = {
            "dashboards": self._dashboard,
            "alerts": self._alert,
            "sources": self._source,
            "webhooks": self._webhook,
            "savedSearches": self._saved_search,
        }[kind]
        saved = builder(body, old)
        self.items[kind][saved["id"]] = saved
        return saved

    def delete(self, kind: str, item: str) -> None:
        self.get(kind, item)
        if kind == "webhooks":
            users = [a for a in self.items["alerts"].values() if item in _webhook_ids(a)]
            if users:
                # The OSS spec lists 409 for this deletion: a webhook alerts still notify.
                raise ApiError(409, f"Webhook is used by {len(users)} alert(s); change or delete them first")
            self._write_only.pop(item, None)
        del self.items[kind][item]
        # HyperDX deletes the alerts of a deleted dashboard or saved search along with it.
        if kind == "dashboards":
            self._drop_alerts(lambda a: a.get("dashboardId") == item)
        elif kind == "savedSearches":
            self._drop_alerts(lambda a: a.get("savedSearchId") == item)

    def _drop_alerts(self, doomed: Callable[[dict[str, Any]], bool]) -> None:
        for alert_id in [k for k, a in self.items["alerts"].items() if doomed(a)]:
            del self.items["alerts"][alert_id]

    # --- per kind ------------------------------------------------------------------------------

    def _dashboard(self, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        # Tile ids: ignored on create; on update a tile keeps an id that matches one of the old
        # tiles, and any other tile gets a new one (the specs' TileInput description).
        kept = {tile["id"] for tile in old["tiles"]} if old else set()
        tiles = [self._with_id(tile, kept) for tile in body.get("tiles") or []]
        old_filters = {f["id"] for f in old.get("filters", [])} if old else set()
        filters = [self._with_id(f, old_filters) for f in body.get("filters") or []]
        dashboard = {
            "id": old["id"] if old else self.ids.object_id(),
            **body,
            "tiles": tiles,
            "tags": list(body.get("tags") or []),
            "filters": filters,
        }
        if old is not None:
            # Alerts on tiles the new version drops go with them, as in HyperDX.
            remaining = {tile["id"] for tile in tiles}
            self._drop_alerts(
                lambda a: a.get("dashboardId") == old["id"] and a.get("tileId") not in remaining
            )
        return dashboard

    def _alert(self, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        alert = {
            k: v for k, v in body.items() if k not in ("id", "state", "teamId", "createdAt", "updatedAt")
        }
        for key in ("threshold", "interval", "thresholdType"):
            if alert.get(key) is None:
                raise ApiError(400, f"{key} is required")
        if alert["thresholdType"] in _RANGES:
            upper = alert.get("thresholdMax")
            if upper is None:
                raise ApiError(400, f"thresholdMax is required for thresholdType {alert['thresholdType']}")
            if upper < alert["threshold"]:
                raise ApiError(400, "thresholdMax must be greater than or equal to threshold")
        self._check_alert_source(alert)
        self._check_channels(alert)
        stamp = self.now()
        return {
            **alert,
            "id": old["id"] if old else self.ids.object_id(),
            "teamId": self.team,
            "state": old["state"] if old else "OK",
            "createdAt": old["createdAt"] if old else stamp,
            "updatedAt": stamp,
        }

    def _check_alert_source(self, alert: dict[str, Any]) -> None:
        source = alert.get("source")
        if source is None:
            # The specs leave `source` optional; the ids given say which kind of alert it is.
            source = "tile" if alert.get("tileId") else "saved_search" if alert.get("savedSearchId") else None
            if source is None:
                raise ApiError(400, "source is required: tile (with dashboardId and tileId) or saved_search")
            alert["source"] = source
        # HyperDX refuses alerts on dashboards, tiles or saved searches the team does not have.
        if source == "tile":
            dashboard = self.items["dashboards"].get(str(alert.get("dashboardId")))
            if dashboard is None:
                raise ApiError(400, "Dashboard not found")
            if not any(tile["id"] == alert.get("tileId") for tile in dashboard["tiles"]):
                raise ApiError(400, "Tile not found in the dashboard")
        elif str(alert.get("savedSearchId")) not in self.items["savedSearches"]:
            raise ApiError(400, "Saved search not found")

    def _check_channels(self, alert: dict[str, Any]) -> None:
        channel, channels = alert.get("channel"), alert.get("channels")
        if channels is not None:
            if not isinstance(channels, list) or not 1 <= len(channels) <= 10:
                raise ApiError(400, "channels must hold 1 to 10 channels")
            if len({repr(sorted(c.items())) for c in channels if isinstance(c, dict)}) != len(channels):
                raise ApiError(400, "channels must not repeat a channel")
        if channel is None and not channels:
            raise ApiError(400, 'an alert needs "channel" or "channels"')
        if channel is not None and channels and channel != channels[0]:
            raise ApiError(400, '"channel" must match the first entry of "channels" when both are sent')
        for each in channels or [channel]:
            if not isinstance(each, dict):
                raise ApiError(400, "a channel must be an object")
            if each.get("type") == "webhook":
                # Assumption: the server checks that the webhook exists, as it does for dashboards.
                if each.get("webhookId") not in self.items["webhooks"]:
                    raise ApiError(400, f"Webhook not found: {each.get('webhookId')!r}")
            elif each.get("type") == "email" and not each.get("emailRecipients"):
                raise ApiError(400, "an email channel needs emailRecipients")
        if not self.managed:
            # OSS answers carry both, `channel` mirroring the first of `channels`.
            listed = channels or [channel]
            alert["channels"], alert["channel"] = listed, listed[0]

    def _source(self, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        # `id` is server-generated and ignored when sent (the specs' Source descriptions).
        return {
            "id": old["id"] if old else self.ids.object_id(),
            **{k: v for k, v in body.items() if k != "id"},
        }

    def _webhook(self, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        service = body.get("service")
        if service == "slack" and any(k in body for k in ("body", *_WRITE_ONLY)):
            raise ApiError(400, "body, headers and queryParams are not accepted for slack webhooks")
        url = str(body.get("url", ""))
        if not url.startswith(("https://", "http://")):
            raise ApiError(400, f"url must be an http(s) URL, got {url!r}")
        for other in self.items["webhooks"].values():
            if other["service"] == service and other["name"] == body.get("name") and other is not old:
                # The OSS spec gives 409 for a clashing update; a creation is a plain 400 there.
                raise ApiError(
                    409 if old else 400, "A webhook with this name already exists for this service"
                )
        stamp = self.now()
        webhook_id = old["id"] if old else self.ids.object_id()
        self._write_only[webhook_id] = {k: body[k] for k in _WRITE_ONLY if k in body}
        return {
            "id": webhook_id,
            **{k: v for k, v in body.items() if k not in (*_WRITE_ONLY, "id")},
            "createdAt": old["createdAt"] if old else stamp,
            "updatedAt": stamp,
        }

    def _saved_search(self, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        if body.get("sourceId") not in self.items["sources"]:
            raise ApiError(400, "Source not found: sourceId must name a source of the team")
        stamp = self.now()
        return {
            "id": old["id"] if old else self.ids.object_id(),
            **{k: v for k, v in body.items() if k not in ("id", "teamId", "createdAt", "updatedAt")},
            "teamId": self.team,
            "createdAt": old["createdAt"] if old else stamp,
            "updatedAt": stamp,
        }

    def _with_id(self, item: Any, kept: set[str]) -> dict[str, Any]:
        given = item.get("id") if isinstance(item, dict) else None
        return {**item, "id": given if isinstance(given, str) and given in kept else self.ids.object_id()}

    def _seed(self) -> None:
        connection = self.ids.object_id()
        logs, traces, metrics, sessions = (self.ids.object_id() for _ in range(4))

        def table(name: str) -> dict[str, str]:
            return {"databaseName": "default", "tableName": name}

        seeds: tuple[dict[str, Any], ...] = (
            {
                "id": logs, "name": "Logs", "kind": "log", "connection": connection,
                "from": table("otel_logs"),
                "defaultTableSelectExpression": "Timestamp, ServiceName, SeverityText, Body",
                "timestampValueExpression": "TimestampTime", "serviceNameExpression": "ServiceName",
                "severityTextExpression": "SeverityText", "bodyExpression": "Body",
                "implicitColumnExpression": "Body", "traceSourceId": traces,
            },
            {
                "id": traces, "name": "Traces", "kind": "trace", "connection": connection,
                "from": table("otel_traces"),
                "defaultTableSelectExpression": "Timestamp, ServiceName, StatusCode, SpanName",
                "timestampValueExpression": "Timestamp", "durationExpression": "Duration",
                "durationPrecision": 9, "traceIdExpression": "TraceId", "spanIdExpression": "SpanId",
                "parentSpanIdExpression": "ParentSpanId", "spanNameExpression": "SpanName",
                "spanKindExpression": "SpanKind", "logSourceId": logs, "sessionSourceId": sessions,
            },
            {
                "id": metrics, "name": "Metrics", "kind": "metric", "connection": connection,
                "from": table(""), "timestampValueExpression": "TimeUnix",
                "resourceAttributesExpression": "ResourceAttributes",
                "metricTables": {
                    "gauge": "otel_metrics_gauge", "histogram": "otel_metrics_histogram",
                    "sum": "otel_metrics_sum",
                },
            },
            {
                "id": sessions, "name": "Sessions", "kind": "session", "connection": connection,
                "from": table("hyperdx_sessions"), "timestampValueExpression": "TimestampTime",
                "traceSourceId": traces,
            },
        )  # fmt: skip
        for source in seeds:
            self.items["sources"][source["id"]] = source


def _webhook_ids(alert: dict[str, Any]) -> set[str]:
    channels = alert.get("channels") or [alert.get("channel")]
    return {str(c.get("webhookId")) for c in channels if isinstance(c, dict) and c.get("type") == "webhook"}


class EmulatedClickStack(OpenAPIEmulator):
    """ClickStack OSS (HyperDX external API v2) with one team's objects."""

    package = "dbcloud_clickstack_oss_client"
    name = "clickstack"

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        super().__init__(clock, credential, ids=ids)
        epoch = time.time() - clock.now()  # the wall time at emulated second 0
        self.state = ClickStackState(
            lambda: iso_time(epoch + clock.now()), managed=False, seed_sources=seed_data, ids=self.ids
        )
        known = {route.name for route in self.routes}
        for operation, kind, verb in operations(lambda plural, action: f"{plural}.{action}"):
            if operation in known:
                self.handlers[operation] = self._handler(kind, verb)

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(status, {"message": message})

    def wrap(self, status: int, data: Any) -> EmuResponse:
        return json_response(status, {"data": data})

    # --- handlers ------------------------------------------------------------------------------

    def _handler(self, kind: str, verb: str) -> Callable[[EmuRequest, Any], Any]:
        def handle(request: EmuRequest, body: Any) -> Any:
            if verb == "list" and kind in _PAGED:
                return self._page(request, list(self.state.items[kind].values()))
            result = self.state.call(kind, verb, request.params.get("id"), body)
            if verb == "create":
                self.creates += 1
            if verb == "delete":
                return json_response(200, {})  # the spec's EmptyResponse, without an envelope
            return result

        return handle

    def _page(self, request: EmuRequest, items: list[dict[str, Any]]) -> EmuResponse:
        query = request.query
        limit = int(query.get("limit", MAX_PAGE))
        offset = int(query.get("offset", 0))
        if not 1 <= limit <= MAX_PAGE:
            raise ApiError(400, f"limit must be between 1 and {MAX_PAGE}")
        if offset < 0:
            raise ApiError(400, "offset must be 0 or more")
        meta = {"total": len(items), "limit": limit, "offset": offset}
        return json_response(200, {"data": items[offset : offset + limit], "meta": meta})
