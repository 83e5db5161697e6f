"""The emulated scaling schedules of ClickHouse Cloud services, wired into `EmulatedClickHouse`.

One schedule per service: `POST` replaces it whole (an empty list clears it), `GET` answers 404
when there is none, `DELETE` removes it (404 when there is none). The base configuration answered
is the service's own scaling. Rules, from the spec and the vendor's provider (assumptions marked):
- at most 10 entries; each needs a name, weekdays 0-6, a start hour 0-23 and an end hour 1-24 that
  differs from it; memory per replica 8-356 GB in steps of 4, both bounds or neither;
- a vertical entry (the default) has a fixed replica count; a horizontal one a fixed memory;
- windows may not overlap (an overnight window belongs to the day it starts; assumption);
- every POST gives the entries new ids (assumption: the provider sends none and reads them back);
- which entry is active follows the emulator's wall clock, in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler
from .._http import EmuRequest

if TYPE_CHECKING:
    from ._service import EmulatedClickHouse
    from ._state import _Service

__all__ = ["ScalingScheduleStore"]

_MAX_ENTRIES = 10
_ENTRY_FIELDS = (
    "autoscalingMode",
    "minReplicaMemoryGb",
    "maxReplicaMemoryGb",
    "numReplicas",
    "minReplicas",
    "maxReplicas",
    "idleScaling",
    "idleTimeoutMinutes",
)
_BASE_FIELDS = (
    "autoscalingMode",
    "minReplicaMemoryGb",
    "maxReplicaMemoryGb",
    "minReplicas",
    "maxReplicas",
    "idleScaling",
    "idleTimeoutMinutes",
)


def _bad(message: str) -> ApiError:
    return ApiError(400, f"BAD_REQUEST: {message}")


def _hours(entry: dict[str, Any]) -> set[tuple[int, int]]:
    """The (weekday, hour) slots a window covers, an overnight one running into the next day."""
    start, end = int(entry["startHourUtc"]), int(entry["endHourUtc"])
    slots: set[tuple[int, int]] = set()
    for day in entry["weekdays"]:
        hours = range(start, end) if start < end else range(start, end + 24)
        slots |= {((int(day) + hour // 24) % 7, hour % 24) for hour in hours}
    return slots


def _check(entries: list[Any]) -> None:
    if len(entries) > _MAX_ENTRIES:
        raise _bad(f"a schedule has at most {_MAX_ENTRIES} entries")
    taken: dict[tuple[int, int], str] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise _bad("every entry must be an object")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _bad("every entry needs a name")
        days, start, end = entry.get("weekdays"), entry.get("startHourUtc"), entry.get("endHourUtc")
        if (
            not isinstance(days, list)
            or not days
            or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days)
        ):
            raise _bad(f"entry {name!r}: weekdays must list days 0 (Sunday) to 6 (Saturday)")
        if (
            not isinstance(start, int)
            or not 0 <= start <= 23
            or not isinstance(end, int)
            or not 1 <= end <= 24
        ):
            raise _bad(f"entry {name!r}: startHourUtc is 0-23 and endHourUtc 1-24")
        if start == end:
            raise _bad(f"entry {name!r}: startHourUtc and endHourUtc must differ")
        low, high = entry.get("minReplicaMemoryGb"), entry.get("maxReplicaMemoryGb")
        if (low is None) != (high is None):
            raise _bad(f"entry {name!r}: give both memory bounds or neither")
        for bound in (b for b in (low, high) if b is not None):
            if not 8 <= bound <= 356 or bound % 4:
                raise _bad(f"entry {name!r}: memory per replica is 8 to 356 GB in steps of 4")
        if low is not None and high is not None and low > high:
            raise _bad(f"entry {name!r}: minReplicaMemoryGb is above maxReplicaMemoryGb")
        horizontal = entry.get("autoscalingMode") == "horizontal"
        fewest, most = entry.get("minReplicas"), entry.get("maxReplicas")
        if fewest is not None and most is not None:
            if fewest > most:
                raise _bad(f"entry {name!r}: minReplicas is above maxReplicas")
            if not horizontal and fewest != most:
                raise _bad(f"entry {name!r}: a vertical entry needs minReplicas equal to maxReplicas")
        if horizontal and (low is None or low != high):
            raise _bad(
                f"entry {name!r}: a horizontal entry needs minReplicaMemoryGb equal to maxReplicaMemoryGb"
            )
        for slot in _hours(entry):
            if slot in taken:
                raise _bad(f"entries {taken[slot]!r} and {name!r} overlap")
            taken[slot] = name


class ScalingScheduleStore:
    """The scaling schedule of every service of one `EmulatedClickHouse`, and its operations."""

    def __init__(self, emulator: EmulatedClickHouse) -> None:
        self.emulator = emulator
        self.schedules: dict[str, list[dict[str, Any]]] = {}  # service id → entries

    def handlers(self) -> dict[str, Handler]:
        prefix = "service.scaling_schedule_"
        return {prefix + "get": self._get, prefix + "upsert": self._set, prefix + "delete": self._delete}

    def _entries(self, request: EmuRequest) -> tuple[_Service, list[dict[str, Any]]]:
        service = self.emulator._service(request)
        entries = self.schedules.get(service.id)
        if not entries:
            raise ApiError(404, "NOT_FOUND: the service has no autoscaling schedule")
        return service, entries

    def _view(self, service: _Service, entries: list[dict[str, Any]]) -> dict[str, Any]:
        now = dt.datetime.fromtimestamp(self.emulator._wall(), dt.UTC)
        slot = ((now.weekday() + 1) % 7, now.hour)  # the spec's weekdays start on Sunday
        shown = [{**e, "isActiveNow": slot in _hours(e)} for e in entries]
        base = {k: service.fields[k] for k in _BASE_FIELDS if service.fields.get(k) is not None}
        if "idleTimeoutMinutes" in base:
            base["idleTimeoutMinutes"] = int(base["idleTimeoutMinutes"])
        view: dict[str, Any] = {"entries": shown, "baseConfig": base}
        active = next((e["id"] for e in shown if e["isActiveNow"]), None)
        if active is not None:
            view["activeEntryId"] = active
        return view

    def _get(self, request: EmuRequest, body: Any) -> Any:
        return self._view(*self._entries(request))

    def _set(self, request: EmuRequest, body: Any) -> Any:
        service = self.emulator._service(request)
        given = (body or {}).get("entries")
        if not isinstance(given, list):
            raise _bad("entries must be a list")
        _check(given)
        entries = [
            {
                "id": self.emulator.ids.uuid4(),
                "name": e["name"],
                "weekdays": list(e["weekdays"]),
                "startHourUtc": e["startHourUtc"],
                "endHourUtc": e["endHourUtc"],
                "autoscalingMode": e.get("autoscalingMode") or "vertical",
                **{k: e[k] for k in _ENTRY_FIELDS[1:] if e.get(k) is not None},
            }
            for e in given
        ]
        if not entries:
            # The spec: clearing answers an empty schedule with an empty baseConfig; a GET then 404s.
            self.schedules.pop(service.id, None)
            return {"entries": [], "baseConfig": {}}
        self.schedules[service.id] = entries
        return self._view(service, entries)

    def _delete(self, request: EmuRequest, body: Any) -> Any:
        service, _ = self._entries(request)
        del self.schedules[service.id]
        return None
