"""The emulated ClickHouse Cloud services: create, read, update, delete, list, state, scaling,
password, and the managed ClickStack each service holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._api import ApiError
from .._http import EmuRequest
from ..clickstack import ClickStackState
from ._state import (
    _UP,
    CLICKHOUSE_VERSION,
    PROVISION_SECONDS,
    START_SECONDS,
    STOP_SECONDS,
    TERMINATE_SECONDS,
    WAKE_SECONDS,
    ClickHouseState,
    _Service,
)
from ._wire import _check_access_list, _check_scaling, _check_tags, _patched, _provider_of, _tagged


class ServiceHandlers(ClickHouseState):
    """The service operations of `EmulatedClickHouse`, and its managed ClickStack."""

    if TYPE_CHECKING:

        def _check_org(self, request: EmuRequest) -> None: ...  # MemberHandlers'
        def _record(
            self, kind: str, request: EmuRequest | None = None, *, at: float | None = None, **extra: str
        ) -> None: ...
        def _view(self, service: _Service) -> dict[str, Any]: ...  # Wire's

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


def _endpoints(host: str, *, mysql: bool) -> list[dict[str, Any]]:
    endpoints: list[dict[str, Any]] = [
        {"protocol": "https", "host": host, "port": 8443},
        {"protocol": "nativesecure", "host": host, "port": 9440},
    ]
    if mysql:
        endpoints.append({"protocol": "mysql", "host": host, "port": 3306, "username": "mysql4default"})
    return endpoints
