"""CockroachDB Cloud managed backups, restores and a cluster's backup configuration.

The requests are those of the vendor's Terraform provider: the `cockroach_backups` and
`cockroach_restores` data sources (`GET /api/v1/clusters/{id}/backups` and `.../restores`, keyset
paged, with `start_time` / `end_time`), the `cockroach_restore` resource (`POST
/api/v1/clusters/{destination}/restores` with `{type, backup_id?, source_cluster_id?, objects?,
restore_opts?}`, then `GET .../restores/{restore_id}` until done), and the cluster resource's
`backup_config` block (`GET` and `PATCH .../backups-config` with only the fields being changed).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ClusterFailed, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from .._retry import once
from .._wait import Progress, wait_flow
from ._common import (
    VENDOR,
    checked_cluster_id,
    checked_id,
    choice,
    given,
    keyset_listing,
)
from ._models import Backup, BackupConfiguration, Cluster, Restore

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = [
    "BACKUP_FREQUENCIES",
    "BACKUP_RETENTIONS",
    "BackupConfigurations",
    "Backups",
    "RestoreFailed",
    "Restores",
]

_OP = "backup_restore.cockroach_cloud_"

# The spec's UpdateBackupConfigurationSpec (and the provider's schema) list the only values the
# API takes; anything else is refused here rather than by a 400.
BACKUP_FREQUENCIES = (5, 10, 15, 30, 60, 240, 1440)
BACKUP_RETENTIONS = (2, 7, 30, 90, 365)

_RESTORE_TYPES = "CLUSTER, DATABASE, TABLE"
_RESTORE_OPTIONS = {
    "into_db": str,
    "new_db_name": str,
    "schema_only": bool,
    "skip_localities_check": bool,
    "skip_missing_foreign_keys": bool,
    "skip_missing_sequences": bool,
    "skip_missing_views": bool,
}


class RestoreFailed(ClusterFailed):
    """A restore job ended in `FAILED` (a `ClusterFailed`, so waits are caught alike).

    Attributes:
        restore: the failed `Restore` (also at `last_state`).
        error_code, error_message: the API's `client_error_code` and `client_error_message`.
    """

    def __init__(self, message: str, *, restore: Restore) -> None:
        super().__init__(message, last_state=restore)
        self.restore = restore
        self.error_code = restore.client_error_code
        self.error_message = restore.client_error_message


def _time(value: Any, field: str) -> datetime.datetime | None:
    """A time filter: None or a timezone-aware datetime (the API reads RFC 3339 with an offset;
    a naive datetime would be sent without one and read in an unknown zone)."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        raise ValidationError(f"{field} must be a datetime", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{field} must be timezone-aware (e.g. tzinfo=datetime.UTC)", field=field)
    return value


def _window(start_time: Any, end_time: Any) -> dict[str, Any]:
    start, end = _time(start_time, "start_time"), _time(end_time, "end_time")
    if start is not None and end is not None and start > end:
        raise ValidationError("start_time must not be after end_time", field="start_time")
    return given(start_time=start, end_time=end)


class Backups(Resource[H]):
    """A cluster's managed backups. Reached as `CockroachCloud().backups` (and
    `AsyncCockroachCloud().backups`, whose lists are `async for`-ed)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self,
        cluster_id: str | Cluster,
        *,
        start_time: datetime.datetime | None = None,
        end_time: datetime.datetime | None = None,
        page_size: int | None = None,
        sort_order: str | None = None,
    ) -> Listing[Backup]:
        """A cluster's backups, fetched a page at a time as they are iterated.

        Args:
            cluster_id: the cluster.
            start_time, end_time: only backups between these times (timezone-aware datetimes).
            page_size: backups per request.
            sort_order: `ASC` or `DESC`.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            NotFoundError: no such cluster (raised while iterating).
        """
        arguments = given(
            cluster_id=checked_cluster_id(cluster_id),
            **_window(start_time, end_time),
        )
        what = f"backups of cluster {arguments['cluster_id']}"
        return keyset_listing(
            self._client,
            _OP + "list_backups",
            "backups",
            Backup.from_api,
            arguments,
            what=what,
            page_size=page_size,
            sort_order=sort_order,
        )


class Restores(Resource[H]):
    """Restore jobs into a cluster. Reached as `CockroachCloud().restores` (and
    `AsyncCockroachCloud().restores`, whose verbs are awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self,
        cluster_id: str | Cluster,
        *,
        start_time: datetime.datetime | None = None,
        end_time: datetime.datetime | None = None,
        page_size: int | None = None,
        sort_order: str | None = None,
    ) -> Listing[Restore]:
        """The restore jobs of a cluster (as the destination), fetched as they are iterated.

        Args:
            cluster_id: the cluster.
            start_time, end_time: only restores created between these times (timezone-aware).
            page_size: restores per request.
            sort_order: `ASC` or `DESC`.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            NotFoundError: no such cluster (raised while iterating).
        """
        arguments = given(
            cluster_id=checked_cluster_id(cluster_id),
            **_window(start_time, end_time),
        )
        what = f"restores of cluster {arguments['cluster_id']}"
        return keyset_listing(
            self._client,
            _OP + "list_restores",
            "restores",
            Restore.from_api,
            arguments,
            what=what,
            page_size=page_size,
            sort_order=sort_order,
        )

    @call
    def get(self, cluster_id: str | Cluster, restore_id: str | Restore) -> Flow[Restore]:
        """One restore job (`GET .../restores/{restore_id}`).

        Raises:
            ValidationError: an id is malformed; nothing was sent.
            NotFoundError: no such cluster or restore.
        """
        cid, rid = checked_cluster_id(cluster_id), checked_id(restore_id, "restore_id")
        data = yield from self._client._call_flow(
            _OP + "get_restore", Expect.OBJECT, cluster_id=cid, restore_id=rid
        )
        return read_one(Restore.from_api, data, what="a restore", vendor=VENDOR, asked_id=rid)

    @call
    def create(
        self,
        cluster_id: str | Cluster,
        *,
        type: str,
        backup_id: str | None = None,
        source_cluster_id: str | Cluster | None = None,
        objects: Sequence[Mapping[str, str]] | None = None,
        restore_opts: Mapping[str, Any] | None = None,
    ) -> Flow[Restore]:
        """Start a restore job into `cluster_id` (`POST .../restores`). It CHANGES DATA: a cluster
        restore replaces the destination's data, a database or table restore writes into it.

        Sent once: never repeated after a server error or a broken connection (only after a 429,
        when nothing was started), since a second restore would write the data again over what
        the first left. After a lost answer, look with `restores.list` before trying again. Wait
        for it with `wait_until_done(cluster_id, restore.id)`.

        Args:
            cluster_id: the destination cluster.
            type: `CLUSTER`, `DATABASE` or `TABLE`.
            backup_id: the backup to restore; without it, the latest backup of `source_cluster_id`.
            source_cluster_id: the cluster whose backup is restored.
            objects: for `DATABASE` and `TABLE` (and only for them): the spec's `RestoreItem`s,
                `{"database": "tpcc"}` or `{"database": "tpcc", "schema": "public", "table": "warehouse"}`.
            restore_opts: the spec's `RestoreOpts`: `into_db`, `new_db_name` (text), `schema_only`,
                `skip_localities_check`, `skip_missing_foreign_keys`, `skip_missing_sequences`,
                `skip_missing_views` (booleans).

        Returns:
            The new restore job, usually `PENDING`.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such cluster or backup.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_create_restore_body import (
            CockroachCloudCreateRestoreBody as Request,
        )
        from dbcloud_cockroach_client.models.restore_type_type import RestoreTypeType

        from ._bodies import to_model

        cid = checked_cluster_id(cluster_id)
        kind = choice(RestoreTypeType, type, "type", _RESTORE_TYPES)
        if kind is None:
            raise ValidationError(f"type must be one of {_RESTORE_TYPES}", field="type")
        body: dict[str, Any] = {"type": kind.value}
        if backup_id is not None:
            body["backup_id"] = checked_id(backup_id, "backup_id")
        if source_cluster_id is not None:
            body["source_cluster_id"] = checked_cluster_id(source_cluster_id)
        items = _objects(objects, kind.value)
        if items:
            body["objects"] = items
        if restore_opts is not None:
            body["restore_opts"] = _options(restore_opts)
        request = to_model(Request, body, "the restore")
        data = yield from once(
            self._client._call_flow(
                _OP + "create_restore", Expect.OBJECT, destination_cluster_id=cid, body=request
            )
        )
        return read_one(Restore.from_api, data, what="a new restore", vendor=VENDOR)

    @call
    def wait_until_done(
        self,
        cluster_id: str | Cluster,
        restore_id: str | Restore,
        *,
        timeout: float = 7200,
        interval: float = 10.0,
        max_interval: float = 60.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[Restore]:
        """Poll until the restore has succeeded (status `SUCCESS` and `completed_at` set, as the
        vendor's Terraform provider waits; its default timeout, 2 hours, is this one's).

        Raises:
            RestoreFailed: the restore's status became `FAILED` (with the API's error code and message).
            WaitTimeout: not done within `timeout` seconds; the restore goes on.
            NotFoundError: no such cluster or restore.
        """
        cid, rid = checked_cluster_id(cluster_id), checked_id(restore_id, "restore_id")
        try:
            return (
                yield from wait_flow(
                    lambda: Restores.get.flow(self, cid, rid),
                    ready=lambda r: r.done,
                    failed=_failure,
                    describe=Restore.describe,
                    timeout=timeout,
                    interval=interval,
                    max_interval=max_interval,
                    clock=self._client._clock,
                    on_progress=on_progress,
                    what=f"CockroachDB restore {rid}",
                )
            )
        except ClusterFailed as failed:
            restore = failed.last_state
            if not isinstance(restore, Restore):  # pragma: no cover - _failure reports restores only
                raise
            raise RestoreFailed(str(failed), restore=restore) from None


def _failure(restore: Restore) -> str | None:
    if not restore.failed:
        return None
    reason = restore.client_error_message or "no reason given"
    if restore.client_error_code is not None:
        reason += f" (code {restore.client_error_code})"
    return reason


def _objects(objects: Any, kind: str) -> list[dict[str, str]]:
    """The restore's objects, checked: each names a database; a TABLE restore's name tables."""
    if objects is None or (isinstance(objects, Sequence) and not isinstance(objects, str) and not objects):
        if kind in ("DATABASE", "TABLE"):
            raise ValidationError(f"a {kind} restore needs objects", field="objects")
        return []
    if kind == "CLUSTER":
        raise ValidationError("a CLUSTER restore takes no objects", field="objects")
    if isinstance(objects, str | bytes | Mapping) or not isinstance(objects, Sequence):
        raise ValidationError("objects must be a list of {database, schema, table} objects", field="objects")
    items: list[dict[str, str]] = []
    for number, item in enumerate(objects):
        where = f"objects[{number}]"
        if not isinstance(item, Mapping):
            raise ValidationError(f"{where} must be an object with a database", field="objects")
        unknown = set(item) - {"database", "schema", "table"}
        if unknown:
            raise ValidationError(f"{where} has unknown fields {sorted(unknown)}", field="objects")
        for key, value in item.items():
            if not isinstance(value, str) or not value.strip() or "\x00" in value:
                raise ValidationError(f"{where}.{key} must be a non-empty name", field="objects")
        if "database" not in item:
            raise ValidationError(f"{where} lacks its database", field="objects")
        if kind == "TABLE" and "table" not in item:
            raise ValidationError(f"{where} of a TABLE restore lacks its table", field="objects")
        if kind == "DATABASE" and ("table" in item or "schema" in item):
            raise ValidationError(f"{where} of a DATABASE restore names only a database", field="objects")
        items.append(dict(item))
    return items


def _options(options: Any) -> dict[str, Any]:
    if not isinstance(options, Mapping):
        raise ValidationError("restore_opts must be a mapping", field="restore_opts")
    for key, value in options.items():
        kind = _RESTORE_OPTIONS.get(key)
        if kind is None:
            raise ValidationError(
                f"restore_opts has no option {key!r} (it takes {', '.join(_RESTORE_OPTIONS)})",
                field="restore_opts",
            )
        if not isinstance(value, kind) or (kind is str and not str(value).strip()):
            words = "true or false" if kind is bool else "a non-empty name"
            raise ValidationError(f"restore_opts.{key} must be {words}", field="restore_opts")
    return dict(options)


class BackupConfigurations(Resource[H]):
    """A cluster's managed-backup settings. Reached as `CockroachCloud().backup_configuration`
    (and `AsyncCockroachCloud().backup_configuration`, awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @call
    def get(self, cluster_id: str | Cluster) -> Flow[BackupConfiguration]:
        """The cluster's backup settings (`GET .../backups-config`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: no such cluster.
        """
        cid = checked_cluster_id(cluster_id)
        data = yield from self._client._call_flow(
            _OP + "get_backup_configuration", Expect.OBJECT, cluster_id=cid
        )
        return read_one(BackupConfiguration.from_api, data, what="a backup configuration", vendor=VENDOR)

    @call
    def update(
        self,
        cluster_id: str | Cluster,
        *,
        enabled: bool | None = None,
        frequency_minutes: int | None = None,
        retention_days: int | None = None,
    ) -> Flow[BackupConfiguration]:
        """Change the cluster's backup settings (`PATCH .../backups-config`); only the given
        fields are sent, as the Terraform provider sends them. Like every PATCH it is repeated only
        after a 429, not after a server error or a broken connection.

        Args:
            enabled: take backups or not (False stops new backups).
            frequency_minutes: one of 5, 10, 15, 30, 60, 240, 1440.
            retention_days: one of 2, 7, 30, 90, 365. The vendor lets it be set once; a later
                change needs a support ticket (the API then answers 400).

        Raises:
            ValidationError: nothing to change, or a value the API does not take; nothing was sent.
            NotFoundError: no such cluster.
        """
        from dbcloud_cockroach_client.models.update_backup_configuration_spec import (
            UpdateBackupConfigurationSpec as Request,
        )

        cid = checked_cluster_id(cluster_id)
        if enabled is not None and not isinstance(enabled, bool):
            raise ValidationError("enabled must be True or False", field="enabled")
        body = given(
            enabled=enabled,
            frequency_minutes=_one_of(frequency_minutes, "frequency_minutes", BACKUP_FREQUENCIES),
            retention_days=_one_of(retention_days, "retention_days", BACKUP_RETENTIONS),
        )
        if not body:
            raise ValidationError(
                "give enabled, frequency_minutes or retention_days: there is nothing to change",
                field="enabled",
            )
        data = yield from self._client._call_flow(
            _OP + "update_backup_configuration", Expect.OBJECT, cluster_id=cid, body=Request(**body)
        )
        return read_one(BackupConfiguration.from_api, data, what="a backup configuration", vendor=VENDOR)


def _one_of(value: Any, field: str, allowed: tuple[int, ...]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        shown = ", ".join(map(str, allowed))
        raise ValidationError(f"{field} must be one of {shown}, got {value!r}", field=field)
    return value
