"""ClickStack alerts: checked completely before sending, sent in the vendor's own field order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from ._records import Alert

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["INTERVALS", "THRESHOLD_TYPES", "Alerts"]

INTERVALS = ("1m", "5m", "15m", "30m", "1h", "6h", "12h", "1d")
THRESHOLD_TYPES = (
    "above",
    "below",
    "above_exclusive",
    "below_or_equal",
    "equal",
    "not_equal",
    "between",
    "not_between",
)
_SOURCES = ("tile", "saved_search")
_RANGE_TYPES = ("between", "not_between")


def _number(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number, got {value!r}", field=field)
    return value


def _check(body: Mapping[str, Any]) -> None:
    """The rules both specs state in words, checked before anything is sent."""
    threshold = _number("threshold", body["threshold"])
    if body["interval"] not in INTERVALS:
        raise ValidationError(
            f"interval must be one of {list(INTERVALS)}, got {body['interval']!r}", field="interval"
        )
    kind = body["threshold_type"]
    if kind not in THRESHOLD_TYPES:
        raise ValidationError(
            f"threshold_type must be one of {list(THRESHOLD_TYPES)}, got {kind!r}", field="threshold_type"
        )
    upper = body.get("threshold_max")
    if kind in _RANGE_TYPES:
        if upper is None:
            raise ValidationError(f"threshold_type {kind!r} needs threshold_max", field="threshold_max")
        if _number("threshold_max", upper) < threshold:
            raise ValidationError("threshold_max must be at least threshold", field="threshold_max")
    source = body.get("source")
    if source is not None and source not in _SOURCES:
        raise ValidationError(f"source must be one of {list(_SOURCES)}, got {source!r}", field="source")
    if source == "tile" and (body.get("dashboard_id") is None or body.get("tile_id") is None):
        raise ValidationError('a "tile" alert needs dashboard_id and tile_id', field="tile_id")
    if source == "saved_search" and body.get("saved_search_id") is None:
        raise ValidationError('a "saved_search" alert needs saved_search_id', field="saved_search_id")
    if body.get("channel") is None and not body.get("channels"):
        raise ValidationError(
            'an alert needs a channel, e.g. channel={"type": "webhook", "webhookId": "..."}', field="channel"
        )


class Alerts(Resource[H]):
    """Alerts on dashboard tiles or saved searches. Reached as `ClickStack(...).alerts` (and
    `AsyncClickStack(...).alerts`, whose verbs are awaited)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Alert]:
        """Every alert (OSS pages are fetched as the walk reaches them)."""
        return self._client._listing(Alert.from_api, "alerts.list")

    @call
    def get_by_name(self, name: str) -> Flow[Alert]:
        """The alert called `name` (every alert is read), so that a script adopts an alert that exists
        instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no alert has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Alerts.list.build(self).named(name))

    @call
    def get(self, alert_id: str) -> Flow[Alert]:
        """One alert, with its state.

        Raises:
            NotFoundError: no such alert.
        """
        return (yield from self._client._record_flow(Alert.from_api, "alerts.get", item=("alerts", alert_id)))

    @call
    def create(
        self,
        *,
        threshold: float,
        interval: str,
        threshold_type: str,
        channel: Mapping[str, Any] | None = None,
        source: str | None = None,
        dashboard_id: str | None = None,
        tile_id: str | None = None,
        saved_search_id: str | None = None,
        group_by: str | None = None,
        threshold_max: float | None = None,
        schedule_offset_minutes: int | None = None,
        schedule_start_at: str | dt.datetime | None = None,
        name: str | None = None,
        message: str | None = None,
        note: str | None = None,
        num_consecutive_windows: int | None = None,
        channels: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[Alert]:
        """Create an alert. Sent once, never retried.

        The vendor's documented example, sent byte for byte as documented::

            stack.alerts.create(
                dashboard_id="<DASHBOARD_ID>", tile_id="<TILE_ID>", threshold=100, interval="1h",
                source="tile", threshold_type="above",
                channel={"type": "webhook", "webhookId": "<WEBHOOK_ID>"},
                name="Error Spike Alert", message="Error rate exceeded 100 in the last hour",
            )

        Args:
            threshold: the value that triggers the alert (the lower bound for ranges).
            interval: evaluation interval: 1m, 5m, 15m, 30m, 1h, 6h, 12h or 1d.
            threshold_type: above, below, above_exclusive, below_or_equal, equal, not_equal,
                between or not_between.
            channel: where to notify, in the API's names (`{"type": "webhook", "webhookId": ...}`).
            source: "tile" (needs dashboard_id and tile_id) or "saved_search" (needs saved_search_id).
            threshold_max: the upper bound, required for between / not_between.
            channels: several channels (OSS only).

        Raises:
            ValidationError: a rule of the spec is broken; nothing was sent.
        """
        body = self._body(locals())
        return (yield from self._client._record_flow(Alert.from_api, "alerts.create", body=body))

    @call
    def update(
        self,
        alert_id: str,
        *,
        threshold: float,
        interval: str,
        threshold_type: str,
        channel: Mapping[str, Any] | None = None,
        source: str | None = None,
        dashboard_id: str | None = None,
        tile_id: str | None = None,
        saved_search_id: str | None = None,
        group_by: str | None = None,
        threshold_max: float | None = None,
        schedule_offset_minutes: int | None = None,
        schedule_start_at: str | dt.datetime | None = None,
        name: str | None = None,
        message: str | None = None,
        note: str | None = None,
        num_consecutive_windows: int | None = None,
        channels: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[Alert]:
        """Replace an alert's configuration (`PUT`): fields left out are cleared, and an alert with
        several channels keeps only those given. Arguments as for `create`."""
        body = self._body(locals())
        return (
            yield from self._client._record_flow(
                Alert.from_api, "alerts.update", item=("alerts", alert_id), body=body
            )
        )

    @call
    def delete(self, alert_id: str) -> Flow[None]:
        """Delete an alert."""
        yield from self._client._act_flow("alerts.delete", item=("alerts", alert_id))

    @staticmethod
    def _body(arguments: Mapping[str, Any]) -> dict[str, Any]:
        # The order of the specs' alert request: the documented example comes out as documented.
        order = (
            "dashboard_id",
            "tile_id",
            "saved_search_id",
            "group_by",
            "threshold",
            "threshold_max",
            "interval",
            "schedule_offset_minutes",
            "schedule_start_at",
            "source",
            "threshold_type",
            "channel",
            "channels",
            "name",
            "message",
            "note",
            "num_consecutive_windows",
        )
        body = {name: arguments[name] for name in order}
        _check(body)
        return body
