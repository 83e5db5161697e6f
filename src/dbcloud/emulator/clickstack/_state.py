"""The ClickStack objects of one team or service: stored, checked by HyperDX's rules, no wire format."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .._api import ApiError
from .._ids import IdSource
from ._saved_searches import build_saved_search, check_saved_search, require_source
from ._sources import build_source, check_source, require_connection
from ._webhooks import build_webhook, check_webhook
from ._wire import NOT_FOUND, RESOURCES

__all__ = ["ClickStackState"]

_RANGES = ("between", "not_between")
_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")


def _object_id(text: str) -> bool:
    # mongoose's ObjectId.isValid: 24 hex digits, or any 12 characters (read as the id's 12 bytes).
    return bool(_OBJECT_ID.fullmatch(text)) or len(text) == 12


# Kinds checked as HyperDX's zod schemas check them: body → (parsed body, problems).
_CHECKS: dict[str, Callable[[dict[str, Any]], tuple[dict[str, Any], list[str]]]] = {
    "webhooks": check_webhook,
    "savedSearches": check_saved_search,
    "sources": check_source,
}


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
        self.write_only: dict[str, dict[str, Any]] = {}  # webhook id → headers / queryParams
        self.connections: set[str] = set()  # the ClickHouse connections sources may read through
        if seed_sources:
            self._seed()

    # --- generic operations --------------------------------------------------------------------

    def call(self, kind: str, verb: str, item: str | None, body: Any) -> Any:
        """One operation on one kind: the answer's payload (None for a deletion)."""
        if verb in ("create", "update") and kind in _CHECKS:
            body = self._checked(kind, verb, item, dict(body or {}))
            if kind == "savedSearches":
                require_source(self, body)
            elif kind == "sources":
                require_connection(self, body)
        elif verb != "list" and kind in _CHECKS:
            self._checked(kind, verb, item, None)
        if verb == "list":
            return list(self.items[kind].values())
        if verb == "get":
            return self.get(kind, item)
        if verb == "delete":
            self.delete(kind, str(item))
            return None
        return self.save(kind, dict(body or {}), item if verb == "update" else None)

    def _checked(self, kind: str, verb: str, item: str | None, body: dict[str, Any] | None) -> Any:
        """The body as HyperDX's schema parses it; 400 with every problem of the body and the id,
        joined as HyperDX's `processRequestWithEnhancedErrors` joins them."""
        problems: list[str] = []
        if body is not None:
            body, found = _CHECKS[kind](body)
            if found:
                problems.append("Body validation failed: " + "; ".join(found))
        if verb != "create" and not self.managed and not _object_id(item or ""):
            # HyperDX's routes take `objectIdSchema` ids: anything else is refused, not looked up.
            problems.append("Params validation failed: id: Invalid ObjectId")
        if problems:
            raise ApiError(400, "; ".join(problems))
        return body

    def get(self, kind: str, item: str | None) -> dict[str, Any]:
        found = self.items[kind].get(item or "")
        if found is None:
            raise ApiError(404, NOT_FOUND[kind])
        return found

    def save(self, kind: str, body: dict[str, Any], item: str | None = None) -> dict[str, Any]:
        """Create (`item` None) or replace an object; returns it as stored."""
        old = self.get(kind, item) if item is not None else None
        if kind == "dashboards":
            saved = self._dashboard(body, old)
        elif kind == "alerts":
            saved = self._alert(body, old)
        else:
            build = {"sources": build_source, "webhooks": build_webhook}.get(kind, build_saved_search)
            saved = build(self, body, old)
        self.items[kind][saved["id"]] = saved
        return saved

    def delete(self, kind: str, item: str) -> None:
        self.get(kind, item)
        if kind == "webhooks":
            users = [a for a in self.items["alerts"].values() if item in _webhook_ids(a)]
            if users:
                # HyperDX's deleteWebhook: a webhook alerts still notify is not deleted.
                raise ApiError(
                    409,
                    f"Cannot delete webhook: {len(users)} alert(s) still reference it."
                    " Reassign or remove those alerts first.",
                )
            self.write_only.pop(item, None)
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

    def _with_id(self, item: Any, kept: set[str]) -> dict[str, Any]:
        given = item.get("id") if isinstance(item, dict) else None
        return {**item, "id": given if isinstance(given, str) and given in kept else self.ids.object_id()}

    def _seed(self) -> None:
        connection = self.ids.object_id()
        self.connections.add(connection)
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
