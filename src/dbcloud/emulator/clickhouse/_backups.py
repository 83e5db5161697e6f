"""The emulated ClickHouse Cloud backups of a service: list, read, and the manual create and delete
that the vendor's endpoint table has and its spec does not (routed by `EmulatedClickHouse.handle`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._api import ApiError
from .._http import EmuRequest
from ._state import _UP, ClickHouseState, _Backup, _Service


class BackupHandlers(ClickHouseState):
    """The backup operations of `EmulatedClickHouse` (backups kept per service)."""

    if TYPE_CHECKING:

        def _service(self, request: EmuRequest) -> _Service: ...  # ServiceHandlers'
        def _changeable(self, request: EmuRequest) -> _Service: ...
        def _backup_view(self, backup: _Backup) -> dict[str, Any]: ...  # Wire's
        def _record(
            self, kind: str, request: EmuRequest | None = None, *, at: float | None = None, **extra: str
        ) -> None: ...  # MemberHandlers'

    # --- backups ---------------------------------------------------------------------------------

    def _list_backups(self, request: EmuRequest, body: Any) -> Any:
        backups = sorted(self._service(request).backups.values(), key=lambda b: b.started)
        return [self._backup_view(b) for b in backups]

    def _backup(self, request: EmuRequest) -> _Backup:
        backup = self._service(request).backups.get(request.params["backup_id"].lower())
        if backup is None:
            raise ApiError(404, "Backup not found")
        return backup

    def _create_backup(self, request: EmuRequest) -> Any:
        service = self._changeable(request)
        # Assumption: a backup needs the service's compute, so only a running or idle one is backed up.
        if service.state not in _UP:
            raise ApiError(400, f"Cannot back up a service that is {service.state}")
        kind = "incremental" if service.backups else "full"
        backup = _Backup(self.ids.uuid4(), service.id, self.clock.now(), kind)
        service.backups[backup.id] = backup
        self.creates += 1  # the spec's activity types have none for a manual backup
        return self._backup_view(backup)

    def _delete_backup(self, request: EmuRequest) -> Any:
        backup = self._backup(request)
        del self.services[backup.service_id].backups[backup.id]
        self._record("backup_delete", request, serviceId=backup.service_id)
        return None
