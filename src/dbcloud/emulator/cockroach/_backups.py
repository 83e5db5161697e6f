"""The emulated managed backups, restores and backup configuration of CockroachDB Cloud clusters.

Rules (the spec's and the vendor's Terraform provider's where they have them; assumptions where
they are silent, each applied in one place below):
- every cluster starts with backups enabled, every 60 minutes, kept 30 days (the values the
  provider's tests answer); `frequency_minutes` takes 5, 10, 15, 30, 60, 240 or 1440 and
  `retention_days` 2, 7, 30, 90 or 365 (the spec's lists), anything else is a 400;
- the provider's guide: the retention can be changed once; a second change is a 400 that points
  to a support ticket (setting the value it already has is no change);
- assumption: a cluster takes its first backup when it becomes CREATED, then one every
  `frequency_minutes` of emulated time while backups are enabled; backups older than the
  retention are dropped; a cluster whose creation failed has none;
- a restore names its source by `backup_id` (any cluster's backup; with `source_cluster_id` too,
  it must be that cluster's), else the latest backup of `source_cluster_id`, else of the
  destination itself; an unknown backup or cluster is a 404, no backup to restore a 400;
- assumption: the destination must be CREATED; `objects` are required for DATABASE and TABLE
  restores and refused for CLUSTER ones, and a TABLE restore's objects name a table;
- a restore is PENDING for RESTORE_SECONDS (CLUSTER) or OBJECT_RESTORE_SECONDS, its
  `completion_percent` rising from 0 to 1, then SUCCESS; as the provider expects, `completed_at`
  is written COMPLETED_LAG_SECONDS after the status turns SUCCESS;
- the service's `fail_next_launch` (the emulator's launch-failure switch) makes the next restore
  (or launch, whichever comes first) fail half way, with a client error code and message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from .._ids import IdSource
from ._state import NAMESPACE, Cluster, state_of
from ._wire import NUMBER, TEXT, check_fields, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = [
    "COMPLETED_LAG_SECONDS",
    "OBJECT_RESTORE_SECONDS",
    "RESTORE_SECONDS",
    "BackupHandlers",
]

RESTORE_SECONDS = 600.0  # emulated seconds a CLUSTER restore is PENDING
OBJECT_RESTORE_SECONDS = 180.0  # the same for DATABASE and TABLE restores
COMPLETED_LAG_SECONDS = 10.0  # from SUCCESS to completed_at being set
_DAY = 86400.0

_FREQUENCIES = (5, 10, 15, 30, 60, 240, 1440)
_RETENTIONS = (2, 7, 30, 90, 365)
_DEFAULT_RETENTION = 30
_CONFIG = {"enabled": "bool", "frequency_minutes": "int", "retention_days": "int"}
_OPTIONS = {
    "into_db": "str",
    "new_db_name": "str",
    "schema_only": "bool",
    "skip_localities_check": "bool",
    "skip_missing_foreign_keys": "bool",
    "skip_missing_sequences": "bool",
    "skip_missing_views": "bool",
}
_RESTORE = {
    "type!": "str",
    "backup_id": "str",
    "source_cluster_id": "str",
    "objects": "list",
    "restore_opts": _OPTIONS,
}
_ITEM = {"database!": "str", "schema": "str", "table": "str"}
_TYPES = ("CLUSTER", "DATABASE", "TABLE")


@dataclass(slots=True)
class Backup:
    id: str
    at: float  # emulated seconds: the time it restores to


@dataclass(slots=True)
class Restore:
    id: str
    type: str
    backup: Backup
    source_name: str
    objects: list[dict[str, str]]
    options: dict[str, Any]
    created: float
    done_at: float
    fails: bool
    job_id: str


@dataclass(slots=True)
class ClusterBackups:
    """A cluster's backup settings, its backups (oldest first) and the restores into it."""

    enabled: bool = True
    frequency_minutes: int = 60
    retention_days: int = _DEFAULT_RETENTION
    retention_changed: bool = False
    next_at: float | None = None  # when the next backup is taken (None: not yet scheduled)
    backups: list[Backup] = field(default_factory=list)
    restores: dict[str, Restore] = field(default_factory=dict)


class BackupHandlers(_Base):
    """The backup and restore operations of `EmulatedCockroach` (state by cluster id)."""

    backup_state: dict[str, ClusterBackups]
    restore_ids: IdSource

    if TYPE_CHECKING:
        clusters: dict[str, Cluster]

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'
        def _gone(self, cluster: Cluster) -> bool: ...
        def _stamp(self, seconds: float) -> str: ...
        def _emulated(self, value: str, what: str) -> float: ...

    def backup_handlers(self) -> dict[str, Handler]:
        self.backup_state = {}
        self.restore_ids = self.ids.child("restores")
        prefix = "backup_restore.cockroach_cloud_"
        return {
            prefix + "list_backups": self._list_backups,
            prefix + "get_backup_configuration": self._get_backup_config,
            prefix + "update_backup_configuration": self._update_backup_config,
            prefix + "create_restore": self._create_restore,
            prefix + "get_restore": self._get_restore,
            prefix + "list_restores": self._list_restores,
        }

    # --- state -------------------------------------------------------------------------------

    def _backups_of(self, cluster: Cluster) -> ClusterBackups:
        """The cluster's backup state, with the backups due by now taken and the expired dropped."""
        state = self.backup_state.setdefault(cluster.id, ClusterBackups())
        now = self.clock.now()
        if cluster.fails or now < cluster.ready_at:
            return state
        if state.next_at is None:
            state.next_at = cluster.ready_at
        # A hair past now: emulated times are sums of floats, and a backup due exactly now is taken.
        end = (now if cluster.deleted_at is None else min(now, cluster.deleted_at)) + 1e-6
        keep = state.retention_days * _DAY
        step = state.frequency_minutes * 60.0
        if state.enabled and state.next_at <= end:
            # Only the backups still retained are made (a long jump of the clock skips the rest).
            first = max(state.next_at, end - keep)
            count = int((end - state.next_at) // step) + 1
            skipped = int((first - state.next_at) // step)
            for number in range(skipped, count):
                at = state.next_at + number * step
                name = f"backup:{cluster.id}:{at:.3f}"
                state.backups.append(Backup(str(uuid.uuid5(NAMESPACE, name)), at))
            state.next_at += count * step
        state.backups = [b for b in state.backups if now - b.at < keep - 1e-6]
        return state

    def _backup_view(self, backup: Backup) -> dict[str, Any]:
        return {"id": backup.id, "as_of_time": self._stamp(backup.at)}

    def _time_window(self, query: Any) -> tuple[float, float]:
        # Inclusive at both ends; times are sent to the microsecond, so a microsecond's slack
        # keeps a time the API gave inside a window that starts or ends at it.
        start = self._emulated(query["start_time"], "start_time") if "start_time" in query else float("-inf")
        end = self._emulated(query["end_time"], "end_time") if "end_time" in query else float("inf")
        if start > end:
            raise ApiError(400, "start_time must not be after end_time")
        return start - 1e-6, end + 1e-6

    # --- backups and configuration -------------------------------------------------------------

    def _list_backups(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        start, end = self._time_window(request.query)
        state = self._backups_of(cluster)
        rows = [([b.at, b.id], self._backup_view(b)) for b in state.backups if start <= b.at <= end]
        page, pagination = keyset_page(rows, request.query, f"backups:{cluster.id}", (NUMBER, TEXT))
        return {"backups": page, "pagination": pagination}

    def _config_view(self, state: ClusterBackups) -> dict[str, Any]:
        return {
            "enabled": state.enabled,
            "frequency_minutes": state.frequency_minutes,
            "retention_days": state.retention_days,
        }

    def _get_backup_config(self, request: EmuRequest, body: Any) -> Any:
        return self._config_view(self._backups_of(self._cluster(request)))

    def _update_backup_config(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        body = without_nulls(body)
        check_fields(body, _CONFIG, "")
        frequency = body.get("frequency_minutes")
        if frequency is not None and frequency not in _FREQUENCIES:
            raise ApiError(400, f"frequency_minutes must be one of {list(_FREQUENCIES)}, got {frequency}")
        retention = body.get("retention_days")
        if retention is not None and retention not in _RETENTIONS:
            raise ApiError(400, f"retention_days must be one of {list(_RETENTIONS)}, got {retention}")
        state = self._backups_of(cluster)  # backups due under the old settings are taken first
        if retention is not None and retention != state.retention_days:
            if state.retention_changed:
                raise ApiError(
                    400,
                    "retention_days can only be changed once; open a support ticket to change it again",
                )
            state.retention_days = retention
            state.retention_changed = True
        if frequency is not None and frequency != state.frequency_minutes:
            state.frequency_minutes = frequency
            if state.next_at is not None:  # the next backup counts from the last one, or from now
                last = state.backups[-1].at if state.backups else self.clock.now()
                state.next_at = last + frequency * 60.0
        if "enabled" in body:
            now = self.clock.now()
            if body["enabled"] and not state.enabled and state.next_at is not None:
                state.next_at = max(state.next_at, now)  # no backups for the time they were off
            state.enabled = body["enabled"]
        return self._config_view(state)

    # --- restores ------------------------------------------------------------------------------

    def _destination(self, request: EmuRequest) -> Cluster:
        cluster = self.clusters.get(request.params["destination_cluster_id"])
        if cluster is None or self._gone(cluster):
            raise ApiError(404, "cluster not found")
        return cluster

    def _source_backup(self, destination: Cluster, body: dict[str, Any]) -> tuple[Cluster, Backup]:
        source: Cluster | None = destination
        if "source_cluster_id" in body:
            source = self.clusters.get(body["source_cluster_id"])
            if source is None or self._gone(source):
                raise ApiError(404, "source cluster not found")
        if "backup_id" in body:
            for cluster in list(self.clusters.values()):
                if self._gone(cluster):
                    continue
                for backup in self._backups_of(cluster).backups:
                    if backup.id == body["backup_id"]:
                        if "source_cluster_id" in body and cluster is not source:
                            raise ApiError(400, "backup_id is not a backup of source_cluster_id")
                        return cluster, backup
            raise ApiError(404, "backup not found")
        assert source is not None
        backups = self._backups_of(source).backups
        if not backups:
            raise ApiError(400, f"cluster {source.id} has no backup to restore")
        return source, backups[-1]

    def _create_restore(self, request: EmuRequest, body: Any) -> Any:
        destination = self._destination(request)
        body = without_nulls(body)
        check_fields(body, _RESTORE, "")
        kind = body["type"]
        if kind not in _TYPES:
            raise ApiError(400, f"type must be one of {', '.join(_TYPES)}, got {kind!r}")
        objects = body.get("objects") or []
        for number, item in enumerate(objects):
            check_fields(item, _ITEM, f"objects[{number}].")
        if kind == "CLUSTER" and objects:
            raise ApiError(400, "objects must not be set for a CLUSTER restore")
        if kind != "CLUSTER" and not objects:
            raise ApiError(400, f"objects are required for a {kind} restore")
        if kind == "TABLE" and any("table" not in item for item in objects):
            raise ApiError(400, "every object of a TABLE restore must name a table")
        now = self.clock.now()
        state = state_of(destination, now)
        if state != "CREATED":
            raise ApiError(400, f"a restore cannot start while the destination cluster is {state}")
        source, backup = self._source_backup(destination, body)
        seconds = RESTORE_SECONDS if kind == "CLUSTER" else OBJECT_RESTORE_SECONDS
        fails, self.fail_next_launch = self.fail_next_launch, False
        restore = Restore(
            id=self.restore_ids.uuid4(),
            type=kind,
            backup=backup,
            source_name=source.name,
            objects=[dict(item) for item in objects],
            options=dict(body.get("restore_opts") or {}),
            created=now,
            done_at=now + (seconds / 2 if fails else seconds),
            fails=fails,
            job_id=str(int.from_bytes(self.restore_ids.token_bytes(7), "big")),
        )
        self.backup_state.setdefault(destination.id, ClusterBackups()).restores[restore.id] = restore
        self.creates += 1
        return self._restore_view(destination, restore)

    def _restore_view(self, destination: Cluster, restore: Restore) -> dict[str, Any]:
        now = self.clock.now()
        elapsed = now - restore.created
        total = restore.done_at - restore.created
        view: dict[str, Any] = {
            "id": restore.id,
            "backup_id": restore.backup.id,
            "type": restore.type,
            "created_at": self._stamp(restore.created),
            "source_cluster_name": restore.source_name,
            "destination_cluster_name": destination.name,
            "backup_end_time": self._stamp(restore.backup.at),
            "crdb_job_id": restore.job_id,
            "objects": [dict(item) for item in restore.objects],
        }
        if restore.options:
            view["restore_opts"] = dict(restore.options)
        if now < restore.done_at:
            view["status"] = "PENDING"
            view["completion_percent"] = round(elapsed / total, 2) if total > 0 else 0
        elif restore.fails:
            view["status"] = "FAILED"
            view["completion_percent"] = 0.5
            view["client_error_code"] = 3
            view["client_error_message"] = "restore job failed: emulated failure"
            view["completed_at"] = self._stamp(restore.done_at)
        else:
            view["status"] = "SUCCESS"
            view["completion_percent"] = 1
            if now >= restore.done_at + COMPLETED_LAG_SECONDS:
                view["completed_at"] = self._stamp(restore.done_at + COMPLETED_LAG_SECONDS)
        return view

    def _get_restore(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        restores = self.backup_state.get(cluster.id, ClusterBackups()).restores
        restore = restores.get(request.params["restore_id"])
        if restore is None:
            raise ApiError(404, "restore not found")
        return self._restore_view(cluster, restore)

    def _list_restores(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        start, end = self._time_window(request.query)
        restores = self.backup_state.get(cluster.id, ClusterBackups()).restores.values()
        rows = [
            ([r.created, r.id], self._restore_view(cluster, r)) for r in restores if start <= r.created <= end
        ]
        page, pagination = keyset_page(rows, request.query, f"restores:{cluster.id}", (NUMBER, TEXT))
        return {"restores": page, "pagination": pagination}
