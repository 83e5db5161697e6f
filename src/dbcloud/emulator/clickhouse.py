"""Emulated ClickHouse Cloud control plane, with managed ClickStack in every service.

State: one organization (always present: the demo key belongs to it) with its system roles, members,
invitations, API keys and activities, and its services with their backups and ClickStack objects.
`seed_data` adds a running service and a second member. Every other operation of the spec answers
`{status, requestId}`, with a synthesized `result` where the spec requires one.

Service lifecycle, in emulated seconds, with the states of the spec's `Service.state` enum:

    create  → provisioning (300 s) → running      (→ failed after `fail_next_launch`)
    stop    → stopping (60 s) → stopped
    start   → starting (120 s) → running          (a start on an idle service wakes it)
    (quiet) running with idleScaling for idleTimeoutMinutes → idle
    awake   → awaking (30 s) → running
    delete  (stopped or failed only) → terminating (60 s) → gone, then 404

API keys authenticate: any enabled, unexpired key of the organization is accepted for HTTP Basic,
so a key works as soon as it is created, and a disabled, expired or deleted one gets 401. Every call
that changes something records an activity of the matching type of the spec's enum, where the enum
has one. Managed ClickStack answers 424 while its service is idle (see `_stack_handler`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ._api import ApiError, OpenAPIEmulator, Route
from ._clock import EmulatedClock
from ._http import EmuRequest, EmuResponse, json_response
from ._ids import IdSource
from .clickstack import ClickStackState, iso_time, operations

__all__ = ["PROVISION_SECONDS", "EmulatedClickHouse"]

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
_AWS = re.compile(r"^[a-z]{2}-[a-z]+-\d$")  # us-east-1
_GCP = re.compile(r"^[a-z]+-[a-z]+\d$")  # us-east1; Azure regions have no dash (eastus2)
_TAG = re.compile(r"^[a-zA-Z0-9._-]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# POST .../backups and DELETE .../backups/{id}: in the vendor's endpoint table, not in its spec.
_BACKUP_CALL = re.compile(r"^/v1/organizations/([^/]+)/services/([^/]+)/backups(?:/([^/]+))?$")
# System roles (name, the deprecated role name it stands for). Assumption: the spec names no roles.
_SYSTEM_ROLES = (
    ("Admin", "admin"),
    ("Developer", "developer"),
    ("Query Endpoints", "query_endpoints"),
    ("Billing Admin", None),
)


def _digest(text: str) -> str:
    """base64 of SHA-256: how the spec hashes key ids, key secrets and passwords."""
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _provider_of(region: str) -> str:
    return "aws" if _AWS.match(region) else "gcp" if _GCP.match(region) else "azure"


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


class EmulatedClickHouse(OpenAPIEmulator):
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
        from .clickhouse_day2 import install

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
        from .clickhouse_pipes import ClickPipeStore
        from .clickhouse_schedules import ScalingScheduleStore

        self.clickpipes = ClickPipeStore(self)
        self.scaling_schedules = ScalingScheduleStore(self)
        self.handlers.update(self.clickpipes.handlers())
        self.handlers.update(self.scaling_schedules.handlers())
        known = {route.name for route in self.routes}
        for operation, kind, verb in operations(lambda plural, action: f"click_stack.click_stack_{action}"):
            if operation in known:
                self.handlers[operation] = self._stack_handler(kind, verb)

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(
            status, {"status": status, "error": message, "requestId": self._request_ids.uuid4()}
        )

    def wrap(self, status: int, data: Any) -> EmuResponse:
        body: dict[str, Any] = {"status": status, "requestId": self._request_ids.uuid4()}
        if data is not None:  # deletions answer without a result
            body["result"] = data
        return json_response(status, body)

    def synthesized(self, route: Route, status: int, body: Any) -> EmuResponse:
        # The envelope with this answer's status and a fresh request id; a `result` only where the
        # spec requires one (optional ones are left out: a made-up minimal result can break finer
        # rules of the schema, such as oneOf or minProperties).
        if "result" in body:
            # The synthesized 0 of an integer breaks "exclusiveMinimum: 0" (UDF versions); 1 suits
            # every bound these results declare.
            body["result"] = _nonzero(body["result"])
        return self.raw(status, {**body, "status": status, "requestId": self._request_ids.uuid4()})

    def untyped(self, route: Route) -> Any:
        return None  # the envelope alone, as for a deletion

    def require_parents(self, request: EmuRequest) -> None:
        if "organization_id" in request.params:
            self._check_org(request)
        if "service_id" in request.params:
            self._service(request)

    def _iso(self, emulated: float) -> str:
        return iso_time(self.epoch + emulated)

    def _wall(self) -> float:
        return self.epoch + self.clock.now()

    # --- authentication --------------------------------------------------------------------------

    def authorized(self, request: EmuRequest) -> bool:
        key = self._key_of(request)
        with self.lock:
            if key is None or key.fields["state"] != "enabled":
                return False
            if key.expires is not None and self._wall() >= key.expires:
                return False
            key.used = self._iso(self.clock.now() // 60 * 60)  # the spec: one-minute precision
            return True

    def _key_of(self, request: EmuRequest) -> _Key | None:
        """The key whose id and secret the request's HTTP Basic credentials give, usable or not."""
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            key_id, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        if not sep:
            return None
        id_hash, secret_hash = _digest(key_id), _digest(secret)
        with self.lock:
            for key in self.keys.values():
                if key.id_hash == id_hash and hmac.compare_digest(key.secret_hash, secret_hash):
                    return key
        return None

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

    # --- organization, roles, activities ---------------------------------------------------------

    def _check_org(self, request: EmuRequest) -> None:
        # Assumption: an organization the key does not belong to is "not found" (404).
        if request.params.get("organization_id", "").lower() != ORG_ID:
            raise ApiError(404, "Organization not found")

    def _get_org(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return self.org

    def _update_org(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        changes = dict(body or {})
        org = dict(self.org)
        if "name" in changes:
            if not str(changes["name"]).strip():
                raise ApiError(400, "name must not be empty")
            org["name"] = changes["name"]
            self._record("organization_update_name", request)
        if "enableCoreDumps" in changes:
            org["enableCoreDumps"] = changes["enableCoreDumps"]
        patch = changes.get("privateEndpoints") or {}
        if patch:
            removed = {e.get("id") for e in patch.get("remove") or []}
            kept = [e for e in org["privateEndpoints"] if e.get("id") not in removed]
            org["privateEndpoints"] = kept + list(patch.get("add") or [])
        self.org = org
        return org

    def _legacy_role(self, legacy: str) -> str:
        return next(rid for rid, role in self.roles.items() if role["legacy"] == legacy)

    def _role_ids(self, ids: Any) -> list[str]:
        chosen = [str(i).lower() for i in ids]
        unknown = [i for i in chosen if i not in self.roles]
        if unknown:
            raise ApiError(400, f"unknown role id(s): {', '.join(unknown)}")
        return chosen

    def _assigned(self, role_ids: list[str]) -> list[dict[str, Any]]:
        return [{"roleId": r, "roleName": self.roles[r]["name"], "roleType": "system"} for r in role_ids]

    def _role_view(self, role_id: str) -> dict[str, Any]:
        actors = [f"user/{m['userId']}" for m in self.members.values() if role_id in m["roleIds"]]
        actors += [f"apiKey/{k.fields['id']}" for k in self.keys.values() if role_id in k.role_ids]
        tenant = f"organization/{ORG_ID}"
        return {
            "id": role_id,
            "tenantId": tenant,
            "ownerId": tenant,
            "name": self.roles[role_id]["name"],
            "type": "system",
            "actors": actors,
            "policies": [],
            "createdAt": self.org["createdAt"],
            "updatedAt": self.org["createdAt"],
        }

    def _list_roles(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._role_view(role_id) for role_id in self.roles]

    def _get_role(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        role_id = request.params["role_id"].lower()
        if role_id not in self.roles:
            raise ApiError(404, "Role not found")
        return self._role_view(role_id)

    def _record(
        self, kind: str, request: EmuRequest | None = None, *, at: float | None = None, **extra: str
    ) -> None:
        moment = self.clock.now() if at is None else at
        actor: dict[str, Any] = {"actorType": "system"}
        key = self._key_of(request) if request is not None else None
        if request is not None and key is not None:
            actor = {
                "actorType": "api",
                "actorId": key.fields["id"],
                "actorDetails": f"API key {key.fields['name']}",
                "actorIpAddress": "127.0.0.1",
            }
            if "user-agent" in request.headers:
                actor["userAgent"] = request.headers["user-agent"]
        entry = {
            "id": self.ids.uuid4(),
            "createdAt": self._iso(moment),
            "type": kind,
            **actor,
            "organizationId": ORG_ID,
            **extra,
        }
        self.activities.append((moment, entry))

    def _list_activities(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        start = _parse_time(request.query.get("from_date"), "from_date")
        end = _parse_time(request.query.get("to_date"), "to_date")
        found = []
        for _, entry in sorted(self.activities, key=lambda pair: pair[0]):
            wall = _parse_time(entry["createdAt"], "createdAt")  # at the precision shown
            assert wall is not None
            if (start is None or wall >= start) and (end is None or wall <= end):
                found.append(entry)
        return found

    def _get_activity(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        wanted = request.params["activity_id"]
        entry = next((e for _, e in self.activities if e["id"] == wanted), None)
        if entry is None:
            raise ApiError(404, "Activity not found")
        return entry

    # --- services --------------------------------------------------------------------------------

    def _seed_service(self) -> None:
        service = self._new_service({"name": "emulated-service", "provider": "aws", "region": "us-east-1"})
        service.fields["idleScaling"] = False  # stays running, for demos
        service.fields["createdAt"] = self._iso(-86400)
        service.state, service.since, service.next_state = "running", -86400 + PROVISION_SECONDS, None
        self._first_backup(service, service.since)
        self.services[service.id] = service

    def _new_service(self, given: dict[str, Any]) -> _Service:
        sid = self.ids.uuid4()
        now = self.clock.now()
        provider, region = given["provider"], given["region"]
        host = f"{sid[:10]}.{region}.{provider}.clickhouse.cloud"
        optional = (
            "tier", "minReplicas", "maxReplicas", "encryptionKey", "encryptionAssumedRoleIdentifier",
            "byocId", "profile", "complianceType",
        )  # fmt: skip
        fields: dict[str, Any] = {
            "id": sid,
            "name": given["name"],
            "provider": provider,
            "region": region,
            "state": "provisioning",
            "clickhouseVersion": CLICKHOUSE_VERSION,
            "endpoints": _endpoints(host, mysql=False),
            "minReplicaMemoryGb": given.get("minReplicaMemoryGb", 8),
            "maxReplicaMemoryGb": given.get("maxReplicaMemoryGb", 120),
            "numReplicas": given.get("numReplicas", 3),
            "autoscalingMode": given.get("autoscalingMode", "vertical"),
            "idleScaling": given.get("idleScaling", True),
            "idleTimeoutMinutes": given.get("idleTimeoutMinutes", 15),
            "ipAccessList": list(given.get("ipAccessList") or []),
            "createdAt": self._iso(now),
            "privateEndpointIds": list(given.get("privateEndpointIds") or []),
            "availablePrivateEndpointIds": [],
            "dataWarehouseId": given.get("dataWarehouseId") or self.ids.uuid4(),
            "isPrimary": not given.get("dataWarehouseId"),
            "isReadonly": bool(given.get("isReadonly", False)),
            "releaseChannel": given.get("releaseChannel", "default"),
            "hasTransparentDataEncryption": bool(given.get("hasTransparentDataEncryption", False)),
            "tags": list(given.get("tags") or []),
            "enableCoreDumps": bool(given.get("enableCoreDumps", False)),
            **{key: given[key] for key in optional if key in given},
        }
        if provider == "aws":
            fields["iamRole"] = f"arn:aws:iam::000000000000:role/CH-S3-{sid[:8]}-Role"
        for change in given.get("endpoints") or []:
            fields["endpoints"] = _endpoints(host, mysql=bool(change.get("enabled")))
        # Each service's ClickStack draws from its own stream: its objects do not shift other ids.
        stack = ClickStackState(
            lambda: self._iso(self.clock.now()), managed=True, ids=self.ids.child(f"clickstack:{sid}")
        )
        service = _Service(fields, stack, "provisioning", now, fails=self.fail_next_launch)
        service.next_state = "failed" if service.fails else "running"
        service.next_at = now + PROVISION_SECONDS
        return service

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

    def _view(self, service: _Service) -> dict[str, Any]:
        fields = service.fields
        replicas = int(fields["numReplicas"])
        low, high = fields["minReplicaMemoryGb"], fields["maxReplicaMemoryGb"]
        return {
            **fields,
            "state": service.state,
            # Deprecated totals: the memory of three replicas (the spec's definition).
            "minTotalMemoryGb": low * 3,
            "maxTotalMemoryGb": high * 3,
            "currentScaling": {
                "effectiveAutoscalingMode": fields["autoscalingMode"],
                "effectiveMinReplicaMemoryGb": low,
                "effectiveMaxReplicaMemoryGb": high,
                "effectiveMinReplicas": int(fields.get("minReplicas", replicas)),
                "effectiveMaxReplicas": int(fields.get("maxReplicas", replicas)),
                "effectiveIdleScaling": fields["idleScaling"],
                "effectiveIdleTimeoutMinutes": int(fields["idleTimeoutMinutes"]),
            },
        }

    def _service(self, request: EmuRequest) -> _Service:
        self._check_org(request)
        service = self.services.get(request.params["service_id"].lower())
        if service is not None:
            self._settle(service)
        if service is None or service.id not in self.services:
            raise ApiError(404, "Service not found")
        return service

    def _changeable(self, request: EmuRequest) -> _Service:
        service = self._service(request)
        if service.state == "terminating":
            raise ApiError(400, "The service is being deleted")
        return service

    def _list_services(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        filters = request.query_lists.get("filter", [])
        for each in filters:
            if not each.startswith("tag:") or each == "tag:":
                raise ApiError(400, f"unsupported filter {each!r}: only tag:<key> and tag:<key>=<value>")
        found = []
        for service in list(self.services.values()):
            self._settle(service)
            if service.id in self.services and all(_tagged(service, f[4:]) for f in filters):
                found.append(self._view(service))
        return found

    def _create_service(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        given = dict(body or {})
        name, provider, region = given.get("name"), given.get("provider"), given.get("region")
        if not isinstance(name, str) or not 1 <= len(name) <= 50:
            raise ApiError(400, "name is required: 1 to 50 characters")
        if provider is None or region is None:
            raise ApiError(400, "provider and region are required")
        if _provider_of(region) != provider:
            raise ApiError(400, f"region {region} is not a region of {provider}")
        _check_scaling(given)
        _check_access_list(given.get("ipAccessList") or [])
        _check_tags(given.get("tags") or [])
        if given.get("isReadonly") and not given.get("dataWarehouseId"):
            raise ApiError(400, "a read-only service needs the dataWarehouseId of the warehouse it joins")
        warehouse = given.get("dataWarehouseId")
        if warehouse and not any(s.fields["dataWarehouseId"] == warehouse for s in self.services.values()):
            raise ApiError(400, f"no data warehouse {warehouse}")
        backup = given.get("backupId")
        if backup and not any(str(backup).lower() in s.backups for s in self.services.values()):
            raise ApiError(400, f"no backup {backup} to restore from")
        service = self._new_service(given)
        self.fail_next_launch = False
        self.services[service.id] = service
        self.creates += 1
        self._record("service_create", request, serviceId=service.id)
        return {"service": self._view(service), "password": self.ids.token_urlsafe(12)}

    def _update_service(self, request: EmuRequest, body: Any) -> Any:
        service = self._changeable(request)
        changes = dict(body or {})
        fields = dict(service.fields)
        done: list[str] = []
        if "name" in changes:
            if not 1 <= len(str(changes["name"])) <= 50:
                raise ApiError(400, "name must be 1 to 50 characters")
            fields["name"] = changes["name"]
            done.append("service_update_name")
        if "ipAccessList" in changes:
            patch = changes["ipAccessList"] or {}
            _check_access_list(patch.get("add") or [])
            fields["ipAccessList"] = _patched(fields["ipAccessList"], patch, "source")
            done.append("service_update_ip_access_list")
        if "privateEndpointIds" in changes:
            patch = changes["privateEndpointIds"] or {}
            removed = set(patch.get("remove") or [])
            kept = [e for e in fields["privateEndpointIds"] if e not in removed]
            fields["privateEndpointIds"] = kept + [e for e in patch.get("add") or [] if e not in kept]
            done.append("service_update_private_endpoints")
        if "tags" in changes:
            patch = changes["tags"] or {}
            _check_tags(patch.get("add") or [])
            fields["tags"] = _patched(fields["tags"], patch, "key")
        if "releaseChannel" in changes:
            fields["releaseChannel"] = changes["releaseChannel"]
            done.append("service_update_release_channel")
        if "enableCoreDumps" in changes:
            fields["enableCoreDumps"] = changes["enableCoreDumps"]
            done.append("service_update_core_dump")
        for change in changes.get("endpoints") or []:
            host = fields["endpoints"][0]["host"]
            fields["endpoints"] = _endpoints(host, mysql=bool(change.get("enabled")))
        if "transparentDataEncryptionKeyId" in changes:
            if not fields["hasTransparentDataEncryption"]:
                raise ApiError(400, "the service was not created with transparent data encryption")
            fields["transparentDataEncryptionKeyId"] = changes["transparentDataEncryptionKeyId"]
        service.fields = fields
        for kind in done:
            self._record(kind, request, serviceId=service.id)
        return self._view(service)

    def _change_state(self, request: EmuRequest, body: Any) -> Any:
        service = self._changeable(request)
        command, state = (body or {}).get("command"), service.state
        if command == "stop":
            if state in _UP:
                self._begin(service, "stopping", STOP_SECONDS, "stopped")
            elif state not in ("stopped", "stopping"):
                raise ApiError(400, f"Cannot stop a service that is {state}")
            activity = "service_stop"
        elif command == "start":
            if state == "stopped":
                self._begin(service, "starting", START_SECONDS, "running")
            elif state == "idle":
                self._begin(service, "awaking", WAKE_SECONDS, "running")
            elif state not in (*_UP, "starting", "awaking"):
                raise ApiError(400, f"Cannot start a service that is {state}")
            activity = "service_start"
        elif command == "awake":
            if state == "idle":
                self._begin(service, "awaking", WAKE_SECONDS, "running")
            elif state not in (*_UP, "awaking"):
                raise ApiError(400, f"Cannot wake a service that is {state}; start it instead")
            activity = "service_awaken"
        else:
            raise ApiError(400, "command is required: start, stop or awake")
        self._record(activity, request, serviceId=service.id)
        return self._view(service)

    def _scale(self, request: EmuRequest, body: Any) -> Any:
        service = self._changeable(request)
        changes = dict(body or {})
        for total in ("minTotalMemoryGb", "maxTotalMemoryGb"):
            if total in changes:  # deprecated: the memory of three replicas
                changes[total.replace("Total", "Replica")] = changes.pop(total) / 3
        merged = {**service.fields, **changes}
        _check_scaling(merged)
        service.fields = merged
        if service.state == "running" and ("idleScaling" in changes or "idleTimeoutMinutes" in changes):
            service.since = self.clock.now()  # the quiet period that leads to idling starts again
        kinds = (
            ("service_update_autoscaling_memory", ("minReplicaMemoryGb", "maxReplicaMemoryGb")),
            ("service_update_autoscaling_replicas", ("numReplicas", "minReplicas", "maxReplicas")),
            ("service_update_autoscaling_idling", ("idleScaling", "idleTimeoutMinutes")),
        )
        for kind, keys in kinds:
            if any(k in changes for k in keys):
                self._record(kind, request, serviceId=service.id)
        return self._view(service)

    def _reset_password(self, request: EmuRequest, body: Any) -> Any:
        service = self._changeable(request)
        self._record("service_update_password", request, serviceId=service.id)
        # With a hash the API sets it and shows no password; without one it makes one up.
        return {} if (body or {}).get("newPasswordHash") else {"password": self.ids.token_urlsafe(12)}

    def _delete_service(self, request: EmuRequest, body: Any) -> Any:
        service = self._service(request)
        if service.state != "terminating":
            if service.state not in ("stopped", "failed"):
                raise ApiError(400, f"Stop the service before deleting it (it is {service.state})")
            self._begin(service, "terminating", TERMINATE_SECONDS, "gone")
            self._record("service_delete", request, serviceId=service.id)
        return None

    # --- backups ---------------------------------------------------------------------------------

    def _backup_view(self, backup: _Backup) -> dict[str, Any]:
        now = self.clock.now()
        done = now >= backup.started + BACKUP_SECONDS
        view: dict[str, Any] = {
            "id": backup.id,
            "status": "done" if done else "in_progress",
            "serviceId": backup.service_id,
            "startedAt": self._iso(backup.started),
            "durationInSeconds": BACKUP_SECONDS
            if done
            else round(now - backup.started),  # whole seconds, as the vendor reports them
            "type": backup.kind,
            "backupName": f"{backup.service_id}/{backup.id}",
        }
        if done:
            view["finishedAt"] = self._iso(backup.started + BACKUP_SECONDS)
            view["sizeInBytes"] = 2_147_483_648 if backup.kind == "full" else 134_217_728
        return view

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

    # --- API keys --------------------------------------------------------------------------------

    def _add_key(
        self, name: str, key_id: str, secret: str, role_ids: list[str], *, at: float, **extra: Any
    ) -> _Key:
        key = _Key(
            fields={
                "id": self.ids.uuid4(),
                "name": name,
                "state": extra.get("state", "enabled"),
                "keySuffix": extra.get("suffix", key_id[-4:]),
                "createdAt": self._iso(at),
                "expireAt": extra.get("expireAt"),
                "ipAccessList": list(extra.get("ipAccessList") or []),
            },
            id_hash=extra.get("id_hash", _digest(key_id)),
            secret_hash=extra.get("secret_hash", _digest(secret)),
            role_ids=role_ids,
            expires=_parse_time(extra.get("expireAt"), "expireAt"),
        )
        self.keys[key.fields["id"]] = key
        return key

    def _key_view(self, key: _Key) -> dict[str, Any]:
        legacy = [self.roles[r]["legacy"] for r in key.role_ids if self.roles[r]["legacy"]]
        view = {**key.fields, "roles": legacy, "assignedRoles": self._assigned(key.role_ids)}
        if key.used is not None:
            view["usedAt"] = key.used
        return view

    def _key(self, request: EmuRequest) -> _Key:
        self._check_org(request)
        key = self.keys.get(request.params["key_id"].lower())
        if key is None:
            raise ApiError(404, "API key not found")
        return key

    def _list_keys(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._key_view(key) for key in self.keys.values()]

    def _key_roles(self, given: dict[str, Any], default: list[str] | None) -> list[str] | None:
        if given.get("assignedRoleIds") is not None:
            return self._role_ids(given["assignedRoleIds"])
        if given.get("roles") is not None:
            if not given["roles"]:
                raise ApiError(400, "roles must name at least one role")
            return [self._legacy_role(r) for r in given["roles"]]
        return default

    def _create_key(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        given = dict(body or {})
        name = given.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, "name is required")
        # Assumption: a key given no role gets the developer role.
        roles = self._key_roles(given, [self._legacy_role("developer")]) or []
        expires = _parse_time(given.get("expireAt"), "expireAt")
        if expires is not None and expires <= self._wall():
            raise ApiError(400, "expireAt must be in the future")
        extra = {k: given[k] for k in ("state", "expireAt", "ipAccessList") if given.get(k) is not None}
        hashed = given.get("hashData")
        key_id = secret = None
        if hashed:
            needed = ("keyIdHash", "keyIdSuffix", "keySecretHash")
            if not all(hashed.get(k) for k in needed):
                raise ApiError(400, f"hashData needs {', '.join(needed)}")
            extra |= {"id_hash": hashed["keyIdHash"], "secret_hash": hashed["keySecretHash"]}
            extra["suffix"] = hashed["keyIdSuffix"]
        else:
            key_id = self.ids.alphanumeric(20)
            secret = "4b1d" + self.ids.token_urlsafe(30)
        key = self._add_key(name, key_id or "", secret or "", roles, at=self.clock.now(), **extra)
        self.creates += 1
        self._record("key_create", request, targetKeyId=key.fields["id"])
        answer: dict[str, Any] = {"key": self._key_view(key)}
        if key_id is not None:  # shown in this answer only
            answer |= {"keyId": key_id, "keySecret": secret}
        return answer

    def _update_key(self, request: EmuRequest, body: Any) -> Any:
        key = self._key(request)
        given = dict(body or {})
        fields = dict(key.fields)
        changed: list[str] = []
        if given.get("name") is not None:
            if not str(given["name"]).strip():
                raise ApiError(400, "name must not be empty")
            fields["name"] = given["name"]
            changed.append("name-changed")
        if given.get("state") is not None:
            fields["state"] = given["state"]
            changed.append("state-changed")
        if "expireAt" in given:  # null or empty: never expires
            key.expires = _parse_time(given["expireAt"] or None, "expireAt")
            fields["expireAt"] = given["expireAt"] or None
            changed.append("date-changed")
        if given.get("ipAccessList") is not None:
            _check_access_list(given["ipAccessList"])
            fields["ipAccessList"] = list(given["ipAccessList"])
            changed.append("ip-access-list-changed")
        roles = self._key_roles(given, None)
        if roles is not None:
            key.role_ids = roles
            changed.append("roles-v2-changed" if given.get("assignedRoleIds") is not None else "role-changed")
        key.fields = fields
        for kind in changed:
            self._record("openapi_key_update", request, targetKeyId=fields["id"], keyUpdateType=kind)
        return self._key_view(key)

    def _delete_key(self, request: EmuRequest, body: Any) -> Any:
        key = self._key(request)
        self._record("key_delete", request, targetKeyId=key.fields["id"])
        del self.keys[key.fields["id"]]
        return None

    # --- members and invitations -----------------------------------------------------------------

    def _add_member(self, user_id: str, name: str, email: str, legacy: str, *, at: float) -> None:
        self.members[user_id] = {
            "userId": user_id,
            "name": name,
            "email": email,
            "joinedAt": self._iso(at),
            "roleIds": [self._legacy_role(legacy)],
        }

    def _person_view(self, person: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in person.items() if k != "roleIds"}
        view["role"] = "admin" if self._legacy_role("admin") in person["roleIds"] else "developer"
        view["assignedRoles"] = self._assigned(person["roleIds"])
        return view

    def _member(self, request: EmuRequest) -> dict[str, Any]:
        self._check_org(request)
        member = self.members.get(request.params["user_id"].lower())
        if member is None:
            raise ApiError(404, "Member not found")
        return member

    def _list_members(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._person_view(m) for m in self.members.values()]

    def _person_roles(self, given: dict[str, Any]) -> list[str] | None:
        if given.get("assignedRoleIds") is not None:
            return self._role_ids(given["assignedRoleIds"])
        return [self._legacy_role(given["role"])] if given.get("role") else None

    def _keep_an_admin(self, user_id: str, roles_after: list[str]) -> None:
        admin = self._legacy_role("admin")
        for uid, member in self.members.items():
            if admin in (roles_after if uid == user_id else member["roleIds"]):
                return
        raise ApiError(400, "The organization must keep at least one admin")

    def _update_member(self, request: EmuRequest, body: Any) -> Any:
        member = self._member(request)
        roles = self._person_roles(dict(body or {}))
        if roles is not None:
            self._keep_an_admin(member["userId"], roles)
            self.members[member["userId"]] = member = {**member, "roleIds": roles}
            by_ids = (body or {}).get("assignedRoleIds") is not None
            kind = "organization_member_update_roles" if by_ids else "organization_member_update_role"
            self._record(kind, request)
        return self._person_view(member)

    def _delete_member(self, request: EmuRequest, body: Any) -> Any:
        member = self._member(request)
        self._keep_an_admin(member["userId"], [])
        del self.members[member["userId"]]
        self._record("organization_member_delete", request)
        return None

    def _invitation(self, request: EmuRequest) -> dict[str, Any]:
        self._check_org(request)
        invitation = self.invitations.get(request.params["invitation_id"].lower())
        if invitation is None:
            raise ApiError(404, "Invitation not found")
        return invitation

    def _list_invitations(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._person_view(i) for i in self.invitations.values()]

    def _create_invitation(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        given = dict(body or {})
        email = str(given.get("email") or "").strip().lower()  # stored in lower case (the spec)
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ApiError(400, "email must be an e-mail address")
        if any(m["email"] == email for m in self.members.values()):
            raise ApiError(400, f"{email} is already a member of the organization")
        if any(i["email"] == email for i in self.invitations.values()):
            raise ApiError(400, f"{email} has already been invited")
        now = self.clock.now()
        invitation: dict[str, Any] = {
            "id": self.ids.uuid4(),
            "email": email,
            "createdAt": self._iso(now),
            "expireAt": self._iso(now + INVITATION_DAYS * 86400),
            "roleIds": self._person_roles(given) or [self._legacy_role("developer")],
        }
        self.invitations[invitation["id"]] = invitation
        self.creates += 1
        self._record("organization_invite_create", request)
        return self._person_view(invitation)

    def _delete_invitation(self, request: EmuRequest, body: Any) -> Any:
        invitation = self._invitation(request)
        del self.invitations[invitation["id"]]
        self._record("organization_invite_delete", request)
        return None

    # --- managed ClickStack ----------------------------------------------------------------------

    def _stack_handler(self, kind: str, verb: str) -> Callable[[EmuRequest, Any], Any]:
        def handle(request: EmuRequest, body: Any) -> Any:
            service = self._service(request)
            if service.state in ("idle", "awaking"):
                # Assumption: ClickStack reaches the service's ClickHouse, so an idle service gets
                # the API's 424 (Failed Dependency) until it is awake.
                raise ApiError(424, f"Service {service.id} is idle; wake it up and retry")
            item = next(
                (v for k, v in request.params.items() if k not in ("organization_id", "service_id")), None
            )
            result = service.stack.call(kind, verb, item, body)
            if verb == "create":
                self.creates += 1
            return result

        return handle


# --- helpers ---------------------------------------------------------------------------------------


def _endpoints(host: str, *, mysql: bool) -> list[dict[str, Any]]:
    endpoints: list[dict[str, Any]] = [
        {"protocol": "https", "host": host, "port": 8443},
        {"protocol": "nativesecure", "host": host, "port": 9440},
    ]
    if mysql:
        endpoints.append({"protocol": "mysql", "host": host, "port": 3306, "username": "mysql4default"})
    return endpoints


def _tagged(service: _Service, wanted: str) -> bool:
    key, has_value, value = wanted.partition("=")
    return any(
        t.get("key") == key and (not has_value or t.get("value") == value) for t in service.fields["tags"]
    )


def _patched(items: list[dict[str, Any]], patch: dict[str, Any], by: str) -> list[dict[str, Any]]:
    """A list after the spec's {remove, add} patch: removals first, then additions (replacing)."""
    removed = {item.get(by) for item in patch.get("remove") or []}
    added = list(patch.get("add") or [])
    replaced = {item.get(by) for item in added}
    return [i for i in items if i.get(by) not in removed | replaced] + added


def _check_access_list(entries: list[Any]) -> None:
    for entry in entries:
        try:
            ipaddress.ip_network(str(entry.get("source")), strict=False)
        except ValueError:
            raise ApiError(
                400, f"ipAccessList: {entry.get('source')!r} is not an IP address or CIDR"
            ) from None


def _check_tags(tags: list[Any]) -> None:
    if len(tags) > 50:
        raise ApiError(400, "a service has at most 50 tags")
    for tag in tags:
        for part in ("key", "value"):
            value = tag.get(part)
            if value is not None and not _TAG.match(str(value)):
                raise ApiError(400, f"tag {part} {value!r} may hold only letters, digits, '.', '_' and '-'")


def _check_scaling(fields: dict[str, Any]) -> None:
    for name in ("numReplicas", "minReplicas", "maxReplicas"):
        if name in fields and not 1 <= fields[name] <= 20:
            raise ApiError(400, f"{name} must be between 1 and 20")
    low, high = fields.get("minReplicaMemoryGb", 8), fields.get("maxReplicaMemoryGb", 120)
    for name, value in (("minReplicaMemoryGb", low), ("maxReplicaMemoryGb", high)):
        if value % 4 or not 8 <= value <= 356:
            raise ApiError(400, f"{name} must be a multiple of 4 between 8 and 356")
    if low > high:
        raise ApiError(400, "minReplicaMemoryGb must not be above maxReplicaMemoryGb")
    if fields.get("minReplicas", 0) > fields.get("maxReplicas", 20):
        raise ApiError(400, "minReplicas must not be above maxReplicas")
    if fields.get("idleTimeoutMinutes", 15) < 5:
        raise ApiError(400, "idleTimeoutMinutes must be 5 or more")


def _parse_time(value: Any, name: str) -> float | None:
    """An ISO 8601 time (a query parameter or field) as a Unix time; a time without zone is UTC."""
    if value is None or value == "":
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 time, got {value!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def _nonzero(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nonzero(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nonzero(v) for v in value]
    return 1 if value == 0 and type(value) is int else value
