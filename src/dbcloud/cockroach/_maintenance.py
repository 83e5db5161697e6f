"""CockroachDB Cloud maintenance windows: when, each week, an Advanced cluster may be patched.

The requests are those of the vendor's Terraform provider (`cockroach_maintenance_window`,
maintenance_window.go): `PUT /api/v1/clusters/{cluster_id}/maintenance-window` with
`{offset_duration, window_duration}` as protobuf JSON durations in whole seconds (`"172800s"`),
`GET` and `DELETE` of the same path. A cluster without a window answers 404, which the provider
reads as "no window".
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Resource, call
from .._response import Expect
from .._results import read_one
from ._common import VENDOR, checked_cluster_id
from ._models import Cluster, MaintenanceWindow

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["MaintenanceWindows", "duration_text"]

_OP = "maintenance_windows.cockroach_cloud_"
_WEEK = 7 * 24 * 3600
_MIN_WINDOW = 6 * 3600  # the spec: "Must be at least 6 hours and less than 1 week"


def duration_text(value: Any, field: str, *, least: int, below: int, rule: str) -> str:
    """A duration (a `timedelta` or seconds) as the provider sends it, `"<whole seconds>s"`.

    Raises:
        ValidationError: not a duration, not whole seconds, or outside [least, below).
    """
    if isinstance(value, datetime.timedelta):
        seconds: float = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value
    else:
        raise ValidationError(
            f"{field} must be a datetime.timedelta or seconds, got {type(value).__name__}", field=field
        )
    if seconds != int(seconds):
        raise ValidationError(f"{field} must be whole seconds, got {seconds}", field=field)
    if not least <= seconds < below:
        raise ValidationError(f"{field} must be {rule}, got {int(seconds)} s", field=field)
    return f"{int(seconds)}s"


class MaintenanceWindows(Resource[H]):
    """The weekly maintenance window of an Advanced cluster. Reached as
    `CockroachCloud().maintenance_windows` (and `AsyncCockroachCloud().maintenance_windows`, awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @call
    def get(self, cluster_id: str | Cluster) -> Flow[MaintenanceWindow]:
        """The cluster's maintenance window (`GET .../maintenance-window`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: the cluster has no maintenance window (or there is no such cluster).
        """
        window = yield from self._send("get_maintenance_window", cluster_id, Expect.OBJECT)
        assert window is not None  # Expect.OBJECT: an answer without a body is an error
        return window

    @call
    def set(
        self,
        cluster_id: str | Cluster,
        *,
        offset_duration: datetime.timedelta | float,
        window_duration: datetime.timedelta | float,
    ) -> Flow[MaintenanceWindow]:
        """Set (or replace) the cluster's maintenance window (`PUT .../maintenance-window`).

        Sent as the provider sends it, `{"offset_duration": "172800s", "window_duration": "21600s"}`.
        Setting the same window twice acts once, so it is retried like any PUT (after 429, 502,
        503, 504 and broken connections).

        Args:
            cluster_id: an Advanced cluster (the API refuses Basic and Standard ones with 400).
            offset_duration: from Monday 00:00 UTC to the window's start: a `timedelta` or whole
                seconds, less than a week.
            window_duration: the window's length: at least 6 hours and less than a week.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            BadRequestError: the cluster is not an Advanced one.
            NotFoundError: no such cluster.
        """
        from dbcloud_cockroach_client.models.maintenance_window import MaintenanceWindow as Request

        cid = checked_cluster_id(cluster_id)
        offset = duration_text(
            offset_duration, "offset_duration", least=0, below=_WEEK, rule="from 0 to less than a week"
        )
        window = duration_text(
            window_duration,
            "window_duration",
            least=_MIN_WINDOW,
            below=_WEEK,
            rule="at least 6 hours and less than a week",
        )
        body = Request(offset_duration=offset, window_duration=window)
        found = yield from self._send("set_maintenance_window", cid, Expect.OBJECT, body=body)
        assert found is not None  # Expect.OBJECT: an answer without a body is an error
        return found

    @call
    def delete(self, cluster_id: str | Cluster) -> Flow[MaintenanceWindow | None]:
        """Remove the cluster's maintenance window (`DELETE .../maintenance-window`): maintenance
        may then happen at any time. Retried like any DELETE (removing it twice acts once).

        Returns:
            The window that was removed, or None when the API answered without a body.

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: the cluster has no maintenance window (or there is no such cluster).
        """
        return (yield from self._send("delete_maintenance_window", cluster_id, Expect.OBJECT_OR_NOTHING))

    def _send(
        self, operation: str, cluster_id: str | Cluster, expect: Expect, **body: Any
    ) -> Flow[MaintenanceWindow | None]:
        cid = checked_cluster_id(cluster_id)
        data = yield from self._client._call_flow(_OP + operation, expect, cluster_id=cid, **body)
        if data is None:
            return None
        return read_one(MaintenanceWindow.from_api, data, what="a maintenance window", vendor=VENDOR)
