"""The emulated ClickHouse Cloud service: its handlers' registration, the backup calls the spec leaves
out (routed by hand), and `EmulatedClickHouse`, made of the handler mixins.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any
from urllib.parse import unquote

from .._api import ApiError, OpenAPIEmulator
from .._clock import EmulatedClock
from .._http import EmuRequest, EmuResponse
from .._ids import IdSource
from ..clickstack import operations
from ._backups import BackupHandlers
from ._day2 import install
from ._keys import KeyHandlers
from ._members import MemberHandlers
from ._pipes import ClickPipeStore
from ._schedules import ScalingScheduleStore
from ._services import ServiceHandlers
from ._state import _SYSTEM_ROLES, ADMIN_USER, ORG_ID, _Key, _Service
from ._wire import _UUID, Wire

__all__ = ["EmulatedClickHouse"]

# POST .../backups and DELETE .../backups/{id}: in the vendor's endpoint table, not in its spec.
_BACKUP_CALL = re.compile(r"^/v1/organizations/([^/]+)/services/([^/]+)/backups(?:/([^/]+))?$")


class EmulatedClickHouse(ServiceHandlers, BackupHandlers, KeyHandlers, MemberHandlers, Wire, OpenAPIEmulator):
    """ClickHouse Cloud: one organization, its services and their managed ClickStack."""

    package = "dbcloud_clickhouse_client"
    name = "clickhouse"

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        super().__init__(clock, credential, ids=ids)
        # Every answer carries a request id; they come from their own stream so that the number of
        # answers (polls, retries, errors) does not shift the ids of what gets created.
        self._request_ids = self.ids.child("requests")
        self.epoch = time.time() - clock.now()  # the wall time at emulated second 0
        self.roles = {
            str(uuid.uuid5(uuid.UUID(ORG_ID), name)): {"name": name, "legacy": legacy}
            for name, legacy in _SYSTEM_ROLES
        }
        self.org: dict[str, Any] = {
            "id": ORG_ID,
            "createdAt": self._iso(-86400 * 30),
            "name": "Emulated Organization",
            "privateEndpoints": [],
            "byocConfig": [],
            "enableCoreDumps": False,
        }
        self.services: dict[str, _Service] = {}
        self.keys: dict[str, _Key] = {}
        self.members: dict[str, dict[str, Any]] = {}
        self.invitations: dict[str, dict[str, Any]] = {}
        self.activities: list[tuple[float, dict[str, Any]]] = []
        key_id, _, key_secret = credential.partition(":")
        self._add_key("emulator demo key", key_id, key_secret, [self._legacy_role("admin")], at=-86400)
        self._add_member(ADMIN_USER, "Demo Admin", "demo@example.com", "admin", at=-86400 * 30)
        self._record("create_organization", at=-86400 * 30)
        if seed_data:
            self._add_member(self.ids.uuid4(), "Demo Developer", "dev@example.com", "developer", at=-86400)
            self._seed_service()
        self._register()
        # Query endpoints, private endpoint configs, backup configuration, settings, usage cost.
        self.day2 = install(self)

    def _register(self) -> None:
        self.handlers.update(
            {
                "organization.organization_get_list": lambda r, b: [self.org],
                "organization.organization_get": self._get_org,
                "organization.organization_update": self._update_org,
                "organization.activity_get_list": self._list_activities,
                "organization.activity_get": self._get_activity,
                "role_management.organization_roles_get_list": self._list_roles,
                "role_management.organization_role_get": self._get_role,
                "service.instance_get_list": self._list_services,
                "service.instance_get": lambda r, b: self._view(self._service(r)),
                "service.instance_create": self._create_service,
                "service.instance_update": self._update_service,
                "service.instance_delete": self._delete_service,
                "service.instance_state_update": self._change_state,
                "service.instance_scaling_update": self._scale,
                "service.instance_replica_scaling_update": self._scale,
                "service.instance_password_update": self._reset_password,
                "backup.backup_get_list": self._list_backups,
                "backup.backup_get": lambda r, b: self._backup_view(self._backup(r)),
                "open_api.openapi_key_get_list": self._list_keys,
                "open_api.openapi_key_get": lambda r, b: self._key_view(self._key(r)),
                "open_api.openapi_key_create": self._create_key,
                "open_api.openapi_key_update": self._update_key,
                "open_api.openapi_key_delete": self._delete_key,
                "user_management.member_get_list": self._list_members,
                "user_management.member_get": lambda r, b: self._person_view(self._member(r)),
                "user_management.member_update": self._update_member,
                "user_management.member_delete": self._delete_member,
                "user_management.invitation_get_list": self._list_invitations,
                "user_management.invitation_get": lambda r, b: self._person_view(self._invitation(r)),
                "user_management.invitation_create": self._create_invitation,
                "user_management.invitation_delete": self._delete_invitation,
            }
        )
        # ClickPipes and scaling schedules live in their own modules, beside the services they serve.
        self.clickpipes = ClickPipeStore(self)
        self.scaling_schedules = ScalingScheduleStore(self)
        self.handlers.update(self.clickpipes.handlers())
        self.handlers.update(self.scaling_schedules.handlers())
        known = {route.name for route in self.routes}
        for operation, kind, verb in operations(lambda plural, action: f"click_stack.click_stack_{action}"):
            if operation in known:
                self.handlers[operation] = self._stack_handler(kind, verb)

    def require_parents(self, request: EmuRequest) -> None:
        if "organization_id" in request.params:
            self._check_org(request)
        if "service_id" in request.params:
            self._service(request)

    # --- the calls the spec leaves out -----------------------------------------------------------

    def handle(self, request: EmuRequest) -> EmuResponse:
        found = _BACKUP_CALL.match(request.path)
        if found and (request.method, found.group(3) is None) in (("POST", True), ("DELETE", False)):
            return self._backup_call(request, [unquote(g) for g in found.groups() if g is not None])
        return super().handle(request)

    def _backup_call(self, request: EmuRequest, ids: list[str]) -> EmuResponse:
        # The vendor's endpoint table lists "Create new backup" and "Delete a backup"; its spec has
        # neither, so they are routed here by hand and answered as the spec's other backup calls.
        self.requests += 1
        if not self.authorized(request):
            return self.error(401, "missing or invalid credentials")
        if not all(_UUID.match(value) for value in ids):
            return self.error(400, f"ids must be UUIDs, got {ids}")
        request.params = dict(zip(("organization_id", "service_id", "backup_id"), ids, strict=False))
        try:
            with self.lock:
                result = (
                    self._create_backup(request) if request.method == "POST" else self._delete_backup(request)
                )
        except ApiError as exc:
            return self.error(exc.status, exc.message)
        return self.wrap(200, result)
