"""Scaling schedules of ClickHouse Cloud services: weekly windows of other scaling (a beta endpoint).

The requests are the ones the vendor's provider sends (terraform-provider-clickhouse,
internal/api/scheduled_scaling.go): `GET`, `POST` (the whole schedule, replacing the one there) and
`DELETE` on `.../services/{serviceId}/scalingSchedule`. The checks before sending are the spec's
bounds and the provider's rules (validateScheduledScalingEntries); that entries do not overlap in
time is left to the server, which refuses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Resource, call
from .._response import Expect
from .._results import as_bool, as_int, mapping, number, text
from .._retry import once
from ._clickpipes import _checked_body
from ._client import uuid_text

if TYPE_CHECKING:
    from ._client import _ClickHouse

__all__ = ["MAX_SCHEDULE_ENTRIES", "ScalingSchedule", "ScalingSchedules", "ScheduleEntry"]

_VENDOR = "ClickHouse Cloud"
_OP = "service.scaling_schedule_"
MAX_SCHEDULE_ENTRIES = 10  # the server's cap (the provider's MaxAutoScalingScheduleEntries)
_MEMORY = (8, 356, 4)  # the spec's minimum, maximum and multipleOf for an entry's memory per replica


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """One weekly window of a scaling schedule.

    Attributes:
        id, name: the entry's UUID (as text, given by the server) and label.
        weekdays: the days it applies to, 0 = Sunday to 6 = Saturday.
        start_hour_utc, end_hour_utc: the window, start inclusive, end exclusive (24 = midnight; an
            end before the start spans midnight).
        autoscaling_mode: "vertical" or "horizontal".
        min_replica_memory_gb, max_replica_memory_gb, num_replicas, min_replicas, max_replicas,
            idle_scaling, idle_timeout_minutes: the scaling during the window.
        is_active_now: whether the window is in effect now.
        raw: the JSON object as received.
    """

    id: str | None
    name: str
    weekdays: tuple[int, ...] = ()
    start_hour_utc: int | None = None
    end_hour_utc: int | None = None
    autoscaling_mode: str | None = None
    min_replica_memory_gb: float | None = None
    max_replica_memory_gb: float | None = None
    num_replicas: int | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None
    idle_scaling: bool | None = None
    idle_timeout_minutes: int | None = None
    is_active_now: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> ScheduleEntry:
        item = mapping(data)
        days = item.get("weekdays")
        weekdays = (
            tuple(d for d in (as_int(v) for v in days) if d is not None) if isinstance(days, list) else ()
        )
        return cls(
            id=text(item.get("id")),
            name=text(item.get("name")) or "",
            weekdays=weekdays,
            start_hour_utc=as_int(item.get("startHourUtc")),
            end_hour_utc=as_int(item.get("endHourUtc")),
            autoscaling_mode=text(item.get("autoscalingMode")),
            min_replica_memory_gb=number(item.get("minReplicaMemoryGb")),
            max_replica_memory_gb=number(item.get("maxReplicaMemoryGb")),
            num_replicas=as_int(item.get("numReplicas")),
            min_replicas=as_int(item.get("minReplicas")),
            max_replicas=as_int(item.get("maxReplicas")),
            idle_scaling=as_bool(item.get("idleScaling")),
            idle_timeout_minutes=as_int(item.get("idleTimeoutMinutes")),
            is_active_now=as_bool(item.get("isActiveNow")),
            raw=item,
        )


@dataclass(frozen=True, slots=True)
class ScalingSchedule:
    """A service's scaling schedule.

    Attributes:
        service_id: the service it belongs to (the schedule has no id of its own).
        entries: its windows.
        base_config: the scaling applied outside every window, in the API's names (set with
            `services.set_scaling`, not here).
        active_entry_id: the window in effect now, if one is.
        raw: the JSON object as received.
    """

    service_id: str
    entries: tuple[ScheduleEntry, ...] = ()
    base_config: Mapping[str, Any] = field(default_factory=dict)
    active_entry_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.service_id

    @property
    def active_entry(self) -> ScheduleEntry | None:
        """The entry in effect now, if one is."""
        return next((e for e in self.entries if e.id is not None and e.id == self.active_entry_id), None)

    @classmethod
    def from_api(cls, data: Any, service_id: str) -> ScalingSchedule:
        body = mapping(data)
        entries = body.get("entries")
        return cls(
            service_id=service_id,
            entries=tuple(ScheduleEntry.from_api(e) for e in entries) if isinstance(entries, list) else (),
            base_config=mapping(body.get("baseConfig")),
            active_entry_id=text(body.get("activeEntryId")),
            raw=body,
        )


def _int(entry: Mapping[str, Any], name: str, where: str, low: int, high: int | None = None) -> int | None:
    value = entry.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        bound = f"{low} to {high}" if high is not None else f"{low} or more"
        raise ValidationError(
            f"{where}.{name} must be a whole number {bound}, got {value!r}", field=f"{where}.{name}"
        )
    return value


def _memory(entry: Mapping[str, Any], name: str, where: str) -> float | None:
    value = entry.get(name)
    if value is None:
        return None
    low, high, step = _MEMORY
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not low <= value <= high
        or value % step
    ):
        raise ValidationError(
            f"{where}.{name} must be {low} to {high} GB in steps of {step}, got {value!r}",
            field=f"{where}.{name}",
        )
    return float(value)


def check_entry(entry: Any, index: int) -> None:
    """Refuse an entry the spec or the vendor's provider would refuse.

    Raises:
        ValidationError: a missing or out-of-range field, a window of no length, bounds the wrong
            way round, or replica and memory settings that do not fit the autoscaling mode.
    """
    where = f"entries[{index}]"
    if not isinstance(entry, Mapping):
        raise ValidationError(f"{where} must be an object (a dict in the API's field names)", field=where)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"{where} needs a name", field=f"{where}.name")
    days = entry.get("weekdays")
    if not isinstance(days, Sequence) or isinstance(days, str) or not days:
        raise ValidationError(
            f"{where}.weekdays must list at least one day (0 = Sunday)", field=f"{where}.weekdays"
        )
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValidationError(
                f"{where}.weekdays: days are 0 (Sunday) to 6 (Saturday), got {day!r}",
                field=f"{where}.weekdays",
            )
    start = _int(entry, "startHourUtc", where, 0, 23)
    end = _int(entry, "endHourUtc", where, 1, 24)
    if start is None or end is None:
        missing = "startHourUtc" if start is None else "endHourUtc"
        raise ValidationError(f"{where} needs {missing}", field=f"{where}.{missing}")
    if start == end:
        raise ValidationError(
            f"{where}: startHourUtc and endHourUtc must differ", field=f"{where}.endHourUtc"
        )
    mode = entry.get("autoscalingMode")
    if mode not in (None, "vertical", "horizontal"):
        raise ValidationError(
            f"{where}.autoscalingMode must be vertical or horizontal", field=f"{where}.autoscalingMode"
        )
    low_memory = _memory(entry, "minReplicaMemoryGb", where)
    high_memory = _memory(entry, "maxReplicaMemoryGb", where)
    if (low_memory is None) != (high_memory is None):
        raise ValidationError(
            f"{where}: give both minReplicaMemoryGb and maxReplicaMemoryGb, or neither",
            field=f"{where}.maxReplicaMemoryGb",
        )
    if low_memory is not None and high_memory is not None and low_memory > high_memory:
        raise ValidationError(
            f"{where}: minReplicaMemoryGb is above maxReplicaMemoryGb", field=f"{where}.minReplicaMemoryGb"
        )
    fixed = _int(entry, "numReplicas", where, 1)
    low, high = _int(entry, "minReplicas", where, 1), _int(entry, "maxReplicas", where, 1)
    if (low is None) != (high is None):
        raise ValidationError(
            f"{where}: give both minReplicas and maxReplicas, or neither", field=f"{where}.maxReplicas"
        )
    if fixed is not None and low is not None:
        raise ValidationError(
            f"{where}: numReplicas excludes minReplicas and maxReplicas", field=f"{where}.numReplicas"
        )
    if low is not None and high is not None:
        if low > high:
            raise ValidationError(f"{where}: minReplicas is above maxReplicas", field=f"{where}.minReplicas")
        if mode != "horizontal" and low != high:
            raise ValidationError(
                f"{where}: a vertical entry has a fixed replica count (minReplicas equal to maxReplicas); "
                'use autoscalingMode "horizontal" for a band',
                field=f"{where}.maxReplicas",
            )
    if mode == "horizontal" and (low_memory is None or low_memory != high_memory):
        raise ValidationError(
            f"{where}: a horizontal entry needs a fixed memory per replica (minReplicaMemoryGb equal to "
            "maxReplicaMemoryGb)",
            field=f"{where}.minReplicaMemoryGb",
        )
    _int(entry, "idleTimeoutMinutes", where, 5)


class ScalingSchedules(Resource[H]):
    """Scaling schedules, one per service. Reached as `ClickHouseCloud().scaling_schedules` (and
    `AsyncClickHouseCloud().scaling_schedules`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    @call
    def get(self, service_id: str) -> Flow[ScalingSchedule]:
        """A service's scaling schedule (`GET .../scalingSchedule`).

        Raises:
            ValidationError: the id is not a UUID.
            NotFoundError: the service has no schedule (none set, or cleared), or there is no
                such service.
        """
        sid = uuid_text(service_id, "service_id")
        data = yield from self._client._call_flow(_OP + "get", Expect.OBJECT, service_id=sid)
        return ScalingSchedule.from_api(data, sid)

    @call
    def set(self, service_id: str, entries: Sequence[Mapping[str, Any]]) -> Flow[ScalingSchedule]:
        """Set a service's whole scaling schedule (`POST .../scalingSchedule {"entries": [...]}`),
        replacing the one there; an empty list clears it.

        Args:
            entries: up to 10 windows in the API's names, e.g. `{"name": "business hours",
                "weekdays": [1, 2, 3, 4, 5], "startHourUtc": 8, "endHourUtc": 18,
                "minReplicaMemoryGb": 16, "maxReplicaMemoryGb": 64}`. Windows may not overlap.

        Raises:
            ValidationError: too many entries, or one the spec or the vendor's rules refuse;
                nothing was sent.
            BadRequestError: the server refused them (overlapping windows, say).
        """
        from dbcloud_clickhouse_client.models.scaling_schedule_post_request import ScalingSchedulePostRequest

        sid = uuid_text(service_id, "service_id")
        if isinstance(entries, Mapping | str) or not isinstance(entries, Sequence):
            raise ValidationError("entries must be a list of entries", field="entries")
        if len(entries) > MAX_SCHEDULE_ENTRIES:
            raise ValidationError(
                f"a schedule has at most {MAX_SCHEDULE_ENTRIES} entries, got {len(entries)}", field="entries"
            )
        for index, entry in enumerate(entries):
            check_entry(entry, index)
        body = {"entries": list(entries)}
        _checked_body(ScalingSchedulePostRequest, body, "scaling schedule")
        data = yield from self._client._call_with_body_flow(
            _OP + "upsert",
            ScalingSchedulePostRequest,
            body,
            Expect.OBJECT,
            what="scaling schedule",
            service_id=sid,
        )
        return ScalingSchedule.from_api(data, sid)

    @call
    def delete(self, service_id: str) -> Flow[None]:
        """Delete a service's scaling schedule (`DELETE .../scalingSchedule`); a window in effect is
        ended first, the service going back to its base scaling.

        Sent once: never repeated after a server error or a broken connection (only after a 429),
        since it changes the service's scaling; a lost answer leaves it to you to look (`get`).

        Raises:
            NotFoundError: the service has no schedule, or there is no such service.
        """
        sid = uuid_text(service_id, "service_id")
        yield from once(self._client._call_flow(_OP + "delete", service_id=sid))
