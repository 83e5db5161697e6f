"""ClickHouse Cloud services: CRUD, start/stop, scaling, password, and state waits."""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from .._secret import Secret
from .._wait import ClusterState, Progress, map_state, wait_flow
from . import _cloud
from ._body import require_some
from ._client import uuid_text
from ._records import Service

if TYPE_CHECKING:
    from ._client import _ClickHouse
    from ._endpoints import PrivateEndpointConfig

_VENDOR = "ClickHouse Cloud"

__all__ = ["NewService", "Services"]

_NAME_MAX = 50  # the spec's Service.name maxLength
_DELETION = frozenset({ClusterState.DELETING, ClusterState.DELETED})


@dataclass(frozen=True)
class NewService:
    """A service just created, with the password of its `default` user.

    The API shows the password only in this answer; it stays masked in reprs and logs until
    `password.reveal()`.
    """

    service: Service
    password: Secret | None

    @property
    def id(self) -> str:
        return self.service.id


def _parse(data: Any, asked_id: str | None = None) -> Service:
    return read_one(Service.from_api, data, what="Service", vendor=_VENDOR, asked_id=asked_id)


def _target(state: ClusterState | str) -> ClusterState:
    if isinstance(state, ClusterState):
        wanted = state
    else:
        wanted = map_state(state, _cloud.STATE_TABLE)
        if wanted is ClusterState.UNKNOWN and isinstance(state, str):
            # dbcloud's own state names ("deleted") are accepted as well as the vendor's ("terminated").
            with contextlib.suppress(ValueError):
                wanted = ClusterState(state.strip().lower())
    if wanted is ClusterState.UNKNOWN:
        raise ValidationError(f"cannot wait for state {state!r}: not a service state", field="state")
    return wanted


def _describe(service: Service) -> str:
    return service.status or "state unknown"


class Services(Resource[H]):
    """Services of the client's organization. Reached as `ClickHouseCloud().services` (and
    `AsyncClickHouseCloud().services`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    def _ids(self, service_id: Any) -> dict[str, str]:
        return {"service_id": uuid_text(service_id, "service_id")}

    @listing
    def list(self, *, filters: Sequence[str] | None = None) -> Listing[Service]:
        """The organization's services.

        Args:
            filters: the spec's `filter` criteria, e.g. `["tag:Environment=Production"]`.
        """
        if isinstance(filters, str):
            filters = [filters]
        extra = {"filter_": list(filters)} if filters else {}

        def everything() -> Flow[builtins.list[Service]]:
            data = yield from self._client._call_flow("service.instance_get_list", Expect.LIST, **extra)
            return read_list(Service.from_api, data, what="services", vendor=_VENDOR)

        return Listing.of_one(everything, what="services", vendor=_VENDOR)

    @call
    def get_by_name(self, name: str) -> Flow[Service]:
        """The service called `name` (the organization's services are read), so that a script adopts a
        service that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no service has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Services.list.build(self).named(name))

    @call
    def get(self, service_id: str) -> Flow[Service]:
        """One service's details.

        Raises:
            ValidationError: the id is not a UUID.
            NotFoundError: no such service.
        """
        ids = self._ids(service_id)
        data = yield from self._client._call_flow("service.instance_get", Expect.OBJECT, **ids)
        return _parse(data, ids["service_id"])

    @call
    def create(
        self,
        *,
        name: str,
        provider: str,
        region: str,
        tier: str | None = None,
        ip_access_list: Sequence[Mapping[str, Any]] | None = None,
        min_total_memory_gb: float | None = None,
        max_total_memory_gb: float | None = None,
        autoscaling_mode: str | None = None,
        min_replica_memory_gb: float | None = None,
        max_replica_memory_gb: float | None = None,
        num_replicas: int | None = None,
        min_replicas: int | None = None,
        max_replicas: int | None = None,
        idle_scaling: bool | None = None,
        idle_timeout_minutes: float | None = None,
        is_readonly: bool | None = None,
        data_warehouse_id: str | None = None,
        backup_id: str | None = None,
        encryption_key: str | None = None,
        encryption_assumed_role_identifier: str | None = None,
        private_endpoint_ids: Sequence[str] | None = None,
        private_preview_terms_checked: bool | None = None,
        release_channel: str | None = None,
        byoc_id: str | None = None,
        has_transparent_data_encryption: bool | None = None,
        endpoints: Sequence[Mapping[str, Any]] | None = None,
        profile: str | None = None,
        compliance_type: str | None = None,
        tags: Sequence[Mapping[str, Any]] | None = None,
        enable_core_dumps: bool | None = None,
    ) -> Flow[NewService]:
        """Create a service. It starts provisioning; wait with `wait_until_ready(new.id)`.

        Sent once, never retried: a repeated creation could make a second, billed service.

        Args:
            name: up to 50 characters.
            provider: "aws", "gcp" or "azure".
            region: a region of that provider, e.g. "us-east-1".
            tier, ip_access_list, ..., enable_core_dumps: the other fields of the spec's
                `ServicePostRequest` (objects and list items in the API's own names), e.g.
                `ip_access_list=[{"source": "0.0.0.0/0", "description": "anywhere"}]`,
                `min_replica_memory_gb=8`, `idle_scaling=True`, `tags=[...]`.

        Returns:
            The new service and its `default` user's password (a `Secret`).

        Raises:
            ValidationError: a missing or unknown field or an invalid value; nothing was sent.
        """
        from dbcloud_clickhouse_client.models.service_post_request import ServicePostRequest

        if not isinstance(name, str) or not 1 <= len(name) <= _NAME_MAX:
            raise ValidationError(f"name must be 1 to {_NAME_MAX} characters, got {name!r}", field="name")
        data = yield from self._client._call_with_body_flow(
            "service.instance_create",
            ServicePostRequest,
            {
                "name": name,
                "provider": provider,
                "region": region,
                "tier": tier,
                "ip_access_list": ip_access_list,
                "min_total_memory_gb": min_total_memory_gb,
                "max_total_memory_gb": max_total_memory_gb,
                "autoscaling_mode": autoscaling_mode,
                "min_replica_memory_gb": min_replica_memory_gb,
                "max_replica_memory_gb": max_replica_memory_gb,
                "num_replicas": num_replicas,
                "min_replicas": min_replicas,
                "max_replicas": max_replicas,
                "idle_scaling": idle_scaling,
                "idle_timeout_minutes": idle_timeout_minutes,
                "is_readonly": is_readonly,
                "data_warehouse_id": data_warehouse_id,
                "backup_id": backup_id,
                "encryption_key": encryption_key,
                "encryption_assumed_role_identifier": encryption_assumed_role_identifier,
                "private_endpoint_ids": private_endpoint_ids,
                "private_preview_terms_checked": private_preview_terms_checked,
                "release_channel": release_channel,
                "byoc_id": byoc_id,
                "has_transparent_data_encryption": has_transparent_data_encryption,
                "endpoints": endpoints,
                "profile": profile,
                "compliance_type": compliance_type,
                "tags": tags,
                "enable_core_dumps": enable_core_dumps,
            },
            Expect.OBJECT,
            what="service creation",
        )
        password = data.get("password")
        return NewService(
            service=_parse(data.get("service") or {}),
            password=Secret(password) if isinstance(password, str) and password else None,
        )

    @call
    def update(
        self,
        service_id: str,
        *,
        name: str | None = None,
        ip_access_list: Mapping[str, Any] | None = None,
        private_endpoint_ids: Mapping[str, Any] | None = None,
        release_channel: str | None = None,
        endpoints: Sequence[Mapping[str, Any]] | None = None,
        transparent_data_encryption_key_id: str | None = None,
        tags: Mapping[str, Any] | None = None,
        enable_core_dumps: bool | None = None,
    ) -> Flow[Service]:
        """Change a service's name, IP access list, endpoints, tags or release channel.

        Args:
            name: the new name (up to 50 characters).
            ip_access_list, ..., enable_core_dumps: the other fields of the spec's
                `ServicePatchRequest`, e.g.
                `ip_access_list={"add": [{"source": "10.0.0.0/8"}], "remove": []}`.
        """
        from dbcloud_clickhouse_client.models.service_patch_request import ServicePatchRequest

        changes = {
            "name": name,
            "ip_access_list": ip_access_list,
            "private_endpoint_ids": private_endpoint_ids,
            "release_channel": release_channel,
            "endpoints": endpoints,
            "transparent_data_encryption_key_id": transparent_data_encryption_key_id,
            "tags": tags,
            "enable_core_dumps": enable_core_dumps,
        }
        require_some(changes, what="service update")
        if name is not None and not 1 <= len(name) <= _NAME_MAX:
            raise ValidationError(f"name must be 1 to {_NAME_MAX} characters, got {name!r}", field="name")
        data = yield from self._client._call_with_body_flow(
            "service.instance_update",
            ServicePatchRequest,
            changes,
            Expect.OBJECT,
            what="service update",
            **self._ids(service_id),
        )
        return _parse(data)

    @call
    def delete(self, service_id: str, *, wait: bool = False, timeout: float = 1800) -> Flow[None]:
        """Delete a service. The API requires it to be stopped (see `stop`) and deletes it in the
        background.

        Args:
            wait: return only once the service is gone (see `wait_until_deleted`).
            timeout: seconds to wait when `wait` is true.
        """
        ids = self._ids(service_id)
        yield from self._client._call_flow("service.instance_delete", **ids)
        if wait:
            yield from Services.wait_until_deleted.flow(self, ids["service_id"], timeout=timeout)

    def _command(self, service_id: str, command: str) -> Flow[Service]:
        from dbcloud_clickhouse_client.models.service_state_patch_request import ServiceStatePatchRequest

        data = yield from self._client._call_with_body_flow(
            "service.instance_state_update",
            ServiceStatePatchRequest,
            {"command": command},
            Expect.OBJECT,
            what=f"service {command}",
            **self._ids(service_id),
        )
        return _parse(data)

    @call
    def start(self, service_id: str) -> Flow[Service]:
        """Start a stopped service (`PATCH .../state {"command": "start"}`)."""
        return (yield from self._command(service_id, "start"))

    @call
    def stop(self, service_id: str) -> Flow[Service]:
        """Stop a service (`PATCH .../state {"command": "stop"}`)."""
        return (yield from self._command(service_id, "stop"))

    @call
    def wake(self, service_id: str) -> Flow[Service]:
        """Wake an idle service (`PATCH .../state {"command": "awake"}`)."""
        return (yield from self._command(service_id, "awake"))

    @call
    def set_scaling(
        self,
        service_id: str,
        *,
        num_replicas: int | None = None,
        idle_scaling: bool | None = None,
        idle_timeout_minutes: float | None = None,
        min_total_memory_gb: float | None = None,
        max_total_memory_gb: float | None = None,
    ) -> Flow[Service]:
        """Change a service's auto-scaling (`PATCH .../scaling`).

        Args:
            num_replicas: replicas, 1 to 20.
            idle_scaling: allow scaling down to zero when idle.
            idle_timeout_minutes: minutes of quiet before idling; at least 5.
            min_total_memory_gb, max_total_memory_gb: the memory bounds of all replicas together.
        """
        from dbcloud_clickhouse_client.models.service_scaling_patch_request import (
            ServiceScalingPatchRequest,
        )

        if num_replicas is not None and (isinstance(num_replicas, bool) or not 1 <= num_replicas <= 20):
            raise ValidationError(f"num_replicas must be 1 to 20, got {num_replicas!r}", field="num_replicas")
        if idle_timeout_minutes is not None and idle_timeout_minutes < 5:
            raise ValidationError(
                f"idle_timeout_minutes must be 5 or more, got {idle_timeout_minutes!r}",
                field="idle_timeout_minutes",
            )
        changes = {
            "num_replicas": num_replicas,
            "idle_scaling": idle_scaling,
            "idle_timeout_minutes": idle_timeout_minutes,
            "min_total_memory_gb": min_total_memory_gb,
            "max_total_memory_gb": max_total_memory_gb,
        }
        require_some(changes, what="scaling change")
        data = yield from self._client._call_with_body_flow(
            "service.instance_scaling_update",
            ServiceScalingPatchRequest,
            changes,
            Expect.OBJECT,
            what="scaling change",
            **self._ids(service_id),
        )
        return _parse(data)

    @call
    def reset_password(
        self,
        service_id: str,
        *,
        new_password_hash: str | Secret | None = None,
        new_double_sha1_hash: str | Secret | None = None,
    ) -> Flow[Secret | None]:
        """Reset the `default` user's password (`PATCH .../password`).

        Without a hash the API generates a password and returns it (once); with `new_password_hash`
        (base64 of the SHA-256 of the password) it sets that one and returns none.

        Returns:
            The generated password as a `Secret`, or None when a hash was given.
        """
        from dbcloud_clickhouse_client.models.service_password_patch_request import (
            ServicePasswordPatchRequest,
        )

        if new_double_sha1_hash is not None and new_password_hash is None:
            raise ValidationError(
                "new_double_sha1_hash is ignored without new_password_hash", field="new_double_sha1_hash"
            )
        data = yield from self._client._call_with_body_flow(
            "service.instance_password_update",
            ServicePasswordPatchRequest,
            {"new_password_hash": new_password_hash, "new_double_sha1_hash": new_double_sha1_hash},
            what="password reset",
            **self._ids(service_id),
        )
        password = data.get("password") if isinstance(data, dict) else None
        return Secret(password) if isinstance(password, str) and password else None

    # --- states and waits ------------------------------------------------------------------------

    @call
    def state(self, service_id: str) -> Flow[ClusterState]:
        """A service's state as a `ClusterState` (UNKNOWN for a state dbcloud does not know)."""
        return _cloud.service_state((yield from Services.get.flow(self, service_id)))

    @call
    def wait_until(
        self,
        service_id: str,
        state: ClusterState | str,
        *,
        timeout: float = 1800,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[Service | None]:
        """Poll a service until it reaches `state`.

        Args:
            state: a `ClusterState` or a state name, the vendor's ("stopped", "terminated") or
                dbcloud's ("deleted"). Waiting for DELETED also ends when the service is gone.
            timeout: seconds before giving up.

        Returns:
            The service in that state; None when waiting for deletion and the service is gone.

        Raises:
            ClusterFailed: the service failed, or is being deleted while waiting for another state.
            WaitTimeout: not in that state within `timeout`.
            ValidationError: `state` is not a service state.
        """
        target = _target(state)
        sid = uuid_text(service_id, "service_id")
        return (
            yield from self._wait(
                sid,
                lambda s: _cloud.service_state(s) is target,
                target,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                on_progress=on_progress,
            )
        )

    @call
    def wait_until_ready(
        self,
        service_id: str,
        *,
        timeout: float = 1800,
        idle_ok: bool = True,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[Service]:
        """Poll until a service is running.

        Args:
            idle_ok: also accept an idle service: it wakes on its first query, so it can be used.

        Raises:
            ClusterFailed: the service failed or is being deleted.
            WaitTimeout: not ready within `timeout`.
        """
        ready = {ClusterState.RUNNING, ClusterState.IDLE} if idle_ok else {ClusterState.RUNNING}
        sid = uuid_text(service_id, "service_id")
        service = yield from self._wait(
            sid,
            lambda s: _cloud.service_state(s) in ready,
            ClusterState.RUNNING,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            on_progress=on_progress,
        )
        assert service is not None  # only a deletion wait ends without a service
        return service

    @call
    def wait_until_deleted(
        self,
        service_id: str,
        *,
        timeout: float = 1800,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[None]:
        """Poll until the service is gone (not found, or terminated)."""
        yield from Services.wait_until.flow(
            self,
            service_id,
            ClusterState.DELETED,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            on_progress=on_progress,
        )

    def _wait(
        self,
        service_id: str,
        ready: Callable[[Service], bool],
        target: ClusterState,
        *,
        timeout: float,
        interval: float,
        max_interval: float,
        on_progress: Callable[[Progress], None] | None,
    ) -> Flow[Service | None]:
        def failed(service: Service) -> str | None:
            current = _cloud.service_state(service)
            if current is ClusterState.FAILED and target is not ClusterState.FAILED:
                return "ClickHouse Cloud reports the service as failed"
            if current in _DELETION and target not in _DELETION:
                return f"the service is being deleted ({_describe(service)})"
            return None

        return (
            yield from wait_flow(
                lambda: Services.get.flow(self, service_id),
                ready=ready,
                failed=failed,
                gone_ok=target is ClusterState.DELETED,
                describe=_describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"ClickHouse Cloud service {service_id}",
            )
        )

    # --- day-2 operations (their flows live in _endpoints) -----------------------------------------

    @call
    def private_endpoint_config(self, service_id: str) -> Flow[PrivateEndpointConfig]:
        """What a cloud account needs to reach the service over a private endpoint
        (`GET .../privateEndpointConfig`): the endpoint service id and the private DNS hostname.

        Raises:
            ValidationError: the id is not a UUID; nothing was sent.
            NotFoundError: no such service.
        """
        from ._endpoints import service_private_endpoint_config

        return (yield from service_private_endpoint_config(self._client, service_id))
