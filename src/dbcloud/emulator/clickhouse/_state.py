"""The emulated ClickHouse Cloud's records and constants, and the service lifecycle from the clock.

`ClickHouseState` is the base of every handler mixin of `EmulatedClickHouse`: it declares the
organization's state and brings a service's state up to the emulated clock (see the package's
docstring for the lifecycle).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._api import OpenAPIEmulator
from .._ids import IdSource
from ..clickstack import ClickStackState, iso_time

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = [
    "ADMIN_USER",
    "BACKUP_SECONDS",
    "CLICKHOUSE_VERSION",
    "INVITATION_DAYS",
    "ORG_ID",
    "PROVISION_SECONDS",
    "START_SECONDS",
    "STOP_SECONDS",
    "TERMINATE_SECONDS",
    "WAKE_SECONDS",
    "ClickHouseState",
]

PROVISION_SECONDS = 300.0
STOP_SECONDS = 60.0
START_SECONDS = 120.0
WAKE_SECONDS = 30.0
TERMINATE_SECONDS = 60.0
BACKUP_SECONDS = 120.0
INVITATION_DAYS = 30  # assumption: the spec does not say how long an invitation is valid
CLICKHOUSE_VERSION = "25.8.1.8702"
ORG_ID = "3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57"
ADMIN_USER = "0f4e2a6c-8b1d-4e3f-9a5c-7d2e1b0c3a94"

_UP = ("running", "idle", "partially_running", "degraded")
# System roles (name, the deprecated role name it stands for). Assumption: the spec names no roles.
_SYSTEM_ROLES = (
    ("Admin", "admin"),
    ("Developer", "developer"),
    ("Query Endpoints", "query_endpoints"),
    ("Billing Admin", None),
)


@dataclass
class _Backup:
    id: str
    service_id: str
    started: float
    kind: str  # full | incremental


@dataclass
class _Service:
    fields: dict[str, Any]  # the Service answer, with a placeholder for `state`
    stack: ClickStackState
    state: str
    since: float  # emulated second the state began
    next_state: str | None = None
    next_at: float = math.inf
    fails: bool = False
    backed_up: bool = False
    backups: dict[str, _Backup] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.fields["id"])


@dataclass
class _Key:
    fields: dict[str, Any]  # the ApiKey answer, without roles and usage
    id_hash: str
    secret_hash: str
    role_ids: list[str]
    expires: float | None  # Unix time
    used: str | None = None


class ClickHouseState(_Base):
    """The state `EmulatedClickHouse` keeps, and the lifecycle rules its services follow."""

    epoch: float
    _request_ids: IdSource
    roles: dict[str, dict[str, Any]]
    org: dict[str, Any]
    services: dict[str, _Service]
    keys: dict[str, _Key]
    members: dict[str, dict[str, Any]]
    invitations: dict[str, dict[str, Any]]
    activities: list[tuple[float, dict[str, Any]]]

    def _iso(self, emulated: float) -> str:
        return iso_time(self.epoch + emulated)

    def _wall(self) -> float:
        return self.epoch + self.clock.now()

    def _settle(self, service: _Service) -> None:
        """Bring a service's state up to the emulated clock."""
        now = self.clock.now()
        while service.next_state is not None and now >= service.next_at:
            state, at = service.next_state, service.next_at
            service.next_state, service.next_at = None, math.inf
            if state == "gone":
                self.services.pop(service.id, None)
                return
            service.state, service.since = state, at
            if state == "running" and not service.backed_up:
                # Like the real service's daily backup: the first one starts once it is running.
                self._first_backup(service, at)
        if service.state == "running" and service.fields["idleScaling"]:
            # Nothing queries an emulated service, so it is quiet from the moment it runs.
            idle_at = service.since + float(service.fields["idleTimeoutMinutes"]) * 60
            if now >= idle_at:
                service.state, service.since = "idle", idle_at

    def _first_backup(self, service: _Service, at: float) -> None:
        # Taken by whichever request first sees the service running, which depends on timing; its
        # id comes from the service's id, not the shared stream, so other ids do not shift.
        service.backed_up = True
        backup = _Backup(self.ids.child(f"first-backup:{service.id}").uuid4(), service.id, at, "full")
        service.backups[backup.id] = backup

    def _begin(self, service: _Service, state: str, seconds: float, then: str) -> None:
        now = self.clock.now()
        service.state, service.since = state, now
        service.next_state, service.next_at = then, now + seconds
