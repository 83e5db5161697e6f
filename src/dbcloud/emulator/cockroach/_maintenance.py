"""The emulated maintenance window of a CockroachDB Cloud cluster: get, set, delete.

Rules (the spec's where it has them; assumptions where it is silent, applied in one place below):
- the spec: windows are for ADVANCED clusters; others are refused with 400 and the message the
  vendor's Terraform provider's tests expect ("maintenance windows are supported for advanced
  clusters only");
- the spec: `offset_duration` is less than a week, `window_duration` at least 6 hours and less
  than a week; both are protobuf JSON durations (`"172800s"`, fractions allowed);
  assumption: a negative offset is refused too, and fractions of a second are kept as sent;
- a cluster without a window answers GET and DELETE with 404, as the provider expects;
- assumption: the cluster's state does not matter (a window may be set while it is created).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from ._state import Cluster
from ._wire import check_fields, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["MaintenanceHandlers"]

_WEEK = 7 * 24 * 3600.0
_MIN_WINDOW = 6 * 3600.0
_DURATION = re.compile(r"(\d+(?:\.\d{1,9})?)s")
_BODY = {"offset_duration!": "str", "window_duration!": "str"}


class MaintenanceHandlers(_Base):
    """The maintenance window operations of `EmulatedCockroach` (the window lives on its `Cluster`)."""

    if TYPE_CHECKING:

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'

    def maintenance_handlers(self) -> dict[str, Handler]:
        prefix = "maintenance_windows.cockroach_cloud_"
        return {
            prefix + "get_maintenance_window": self._get_window,
            prefix + "set_maintenance_window": self._set_window,
            prefix + "delete_maintenance_window": self._delete_window,
        }

    def _get_window(self, request: EmuRequest, body: Any) -> Any:
        return _view(_existing(self._cluster(request)))

    def _set_window(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        if cluster.serverless:
            raise ApiError(400, "maintenance windows are supported for advanced clusters only")
        body = without_nulls(body)
        check_fields(body, _BODY, "")
        offset = _seconds(body["offset_duration"], "offset_duration")
        window = _seconds(body["window_duration"], "window_duration")
        if not offset < _WEEK:
            raise ApiError(400, "offset_duration must be less than 1 week")
        if not _MIN_WINDOW <= window < _WEEK:
            raise ApiError(400, "window_duration must be at least 6 hours and less than 1 week")
        cluster.maintenance_window = (body["offset_duration"], body["window_duration"])
        return _view(cluster.maintenance_window)

    def _delete_window(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        window = _existing(cluster)
        cluster.maintenance_window = None
        return _view(window)


def _seconds(value: str, field: str) -> float:
    found = _DURATION.fullmatch(value.strip())
    if found is None:
        raise ApiError(400, f'{field} must be a duration in seconds such as "21600s", got {value!r}')
    return float(found.group(1))


def _existing(cluster: Cluster) -> tuple[str, str]:
    if cluster.maintenance_window is None:
        raise ApiError(404, "maintenance window not found")
    return cluster.maintenance_window


def _view(window: tuple[str, str]) -> dict[str, str]:
    return {"offset_duration": window[0], "window_duration": window[1]}
