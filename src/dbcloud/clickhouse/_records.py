"""What the ClickHouse Cloud facade returns: records read straight from the API's JSON (see
`dbcloud._results`): ids as text (the spec's UUIDs), states as `ClusterState` beside the API's
word, times as aware datetimes, the whole answer at `.raw` and the generated model at `.model`."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .._results import as_bool, as_int, generated_model, identifier, mapping, number, text, texts, when
from .._wait import ClusterState, map_state
from ._cloud import STATE_TABLE

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.activity import Activity as ActivityModel
    from dbcloud_clickhouse_client.models.api_key import ApiKey as ApiKeyModel
    from dbcloud_clickhouse_client.models.backup import Backup as BackupModel
    from dbcloud_clickhouse_client.models.invitation import Invitation as InvitationModel
    from dbcloud_clickhouse_client.models.member import Member as MemberModel
    from dbcloud_clickhouse_client.models.organization import Organization as OrganizationModel
    from dbcloud_clickhouse_client.models.service import Service as ServiceModel

__all__ = [
    "Activity",
    "ApiKey",
    "Backup",
    "Endpoint",
    "Invitation",
    "IpAccessEntry",
    "Member",
    "Organization",
    "Service",
]

_MODELS = "dbcloud_clickhouse_client.models"

T = TypeVar("T")


def _role_ids(value: Any) -> tuple[str, ...]:
    # `assignedRoles`: [{roleId, roleName, roleType}]
    items = value if isinstance(value, list) else []
    return tuple(t for t in (text(mapping(r).get("roleId")) for r in items) if t is not None)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One way to reach a service: `protocol` (`https`, `nativesecure`, `mysql`), host and port."""

    protocol: str | None
    host: str | None
    port: int | None

    @classmethod
    def from_api(cls, data: Any) -> Endpoint:
        item = mapping(data)
        return cls(
            protocol=text(item.get("protocol")), host=text(item.get("host")), port=as_int(item.get("port"))
        )


@dataclass(frozen=True, slots=True)
class IpAccessEntry:
    """One entry of a service's IP access list: `source` (an IP or CIDR) and its description."""

    source: str | None
    description: str | None = None

    @classmethod
    def from_api(cls, data: Any) -> IpAccessEntry:
        item = mapping(data)
        return cls(source=text(item.get("source")), description=text(item.get("description")))


def _each(build: Callable[[Any], T], value: Any) -> tuple[T, ...]:
    return tuple(build(item) for item in value) if isinstance(value, list) else ()


@dataclass(frozen=True, slots=True)
class Service:
    """A ClickHouse Cloud service.

    Attributes:
        id, name: the service's UUID (as text) and name.
        state: where it stands (`RUNNING`, `IDLE`, `STOPPED`, ...); `status` is the API's own word.
        provider, region, tier: where and how it runs.
        clickhouse_version: the server version, when the answer says.
        endpoints: how clients reach it.
        num_replicas, min_replica_memory_gb, max_replica_memory_gb: its size (vertical autoscaling);
            `min_replicas`, `max_replicas` bound the replica count under horizontal autoscaling
            (`autoscaling_mode` says which).
        idle_scaling: whether it idles when unused; `idle_timeout_minutes` after how long.
        ip_access_list: the addresses allowed to connect.
        data_warehouse_id, is_primary, is_readonly: its warehouse, and its part in it.
        release_channel: "default", "fast" or "slow".
        created_at: when it was created.
        raw: the JSON object as received.
    """

    id: str
    name: str
    state: ClusterState
    status: str | None = None
    provider: str | None = None
    region: str | None = None
    tier: str | None = None
    clickhouse_version: str | None = None
    endpoints: tuple[Endpoint, ...] = ()
    num_replicas: int | None = None
    min_replica_memory_gb: float | None = None
    max_replica_memory_gb: float | None = None
    idle_scaling: bool | None = None
    idle_timeout_minutes: float | None = None
    autoscaling_mode: str | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None
    ip_access_list: tuple[IpAccessEntry, ...] = ()
    data_warehouse_id: str | None = None
    is_primary: bool | None = None
    is_readonly: bool | None = None
    release_channel: str | None = None
    created_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Service:
        status = text(data.get("state"))
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            state=map_state(status, STATE_TABLE),
            status=status,
            provider=text(data.get("provider")),
            region=text(data.get("region")),
            tier=text(data.get("tier")),
            clickhouse_version=text(data.get("clickhouseVersion")),
            endpoints=_each(Endpoint.from_api, data.get("endpoints")),
            num_replicas=as_int(data.get("numReplicas")),
            min_replica_memory_gb=number(data.get("minReplicaMemoryGb")),
            max_replica_memory_gb=number(data.get("maxReplicaMemoryGb")),
            idle_scaling=as_bool(data.get("idleScaling")),
            idle_timeout_minutes=number(data.get("idleTimeoutMinutes")),
            autoscaling_mode=text(data.get("autoscalingMode")),
            min_replicas=as_int(data.get("minReplicas")),
            max_replicas=as_int(data.get("maxReplicas")),
            ip_access_list=_each(IpAccessEntry.from_api, data.get("ipAccessList")),
            data_warehouse_id=text(data.get("dataWarehouseId")),
            is_primary=as_bool(data.get("isPrimary")),
            is_readonly=as_bool(data.get("isReadonly")),
            release_channel=text(data.get("releaseChannel")),
            created_at=when(data.get("createdAt")),
            raw=data,
        )

    model: ClassVar[generated_model[ServiceModel]] = generated_model(f"{_MODELS}.service:Service")


@dataclass(frozen=True, slots=True)
class Organization:
    """A ClickHouse Cloud organization: `id` (UUID as text), `name`, `created_at`, `raw`."""

    id: str
    name: str
    created_at: datetime.datetime | None = None
    enable_core_dumps: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Organization:
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            created_at=when(data.get("createdAt")),
            enable_core_dumps=as_bool(data.get("enableCoreDumps")),
            raw=data,
        )

    model: ClassVar[generated_model[OrganizationModel]] = generated_model(
        f"{_MODELS}.organization:Organization"
    )


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the organization: `id` (the user's id), `name`, `email`, `role`, role ids."""

    id: str
    name: str
    email: str | None = None
    role: str | None = None
    role_ids: tuple[str, ...] = ()
    joined_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Member:
        return cls(
            id=identifier(data, "userId", "id"),
            name=text(data.get("name")) or "",
            email=text(data.get("email")),
            role=text(data.get("role")),
            role_ids=_role_ids(data.get("assignedRoles")),
            joined_at=when(data.get("joinedAt")),
            raw=data,
        )

    model: ClassVar[generated_model[MemberModel]] = generated_model(f"{_MODELS}.member:Member")


@dataclass(frozen=True, slots=True)
class Invitation:
    """An invitation to the organization: `id`, `email` (its `name`), `role`, when it expires."""

    id: str
    name: str
    email: str | None = None
    role: str | None = None
    role_ids: tuple[str, ...] = ()
    created_at: datetime.datetime | None = None
    expire_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Invitation:
        email = text(data.get("email"))
        return cls(
            id=identifier(data, "id"),
            name=email or "",
            email=email,
            role=text(data.get("role")),
            role_ids=_role_ids(data.get("assignedRoles")),
            created_at=when(data.get("createdAt")),
            expire_at=when(data.get("expireAt")),
            raw=data,
        )

    model: ClassVar[generated_model[InvitationModel]] = generated_model(f"{_MODELS}.invitation:Invitation")


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key of the organization (never its secret): `id`, `name`, `state`, roles, times."""

    id: str
    name: str
    state: str | None = None
    roles: tuple[str, ...] = ()
    role_ids: tuple[str, ...] = ()
    key_suffix: str | None = None
    created_at: datetime.datetime | None = None
    expire_at: datetime.datetime | None = None
    used_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ApiKey:
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            state=text(data.get("state")),
            roles=texts(data.get("roles")),
            role_ids=_role_ids(data.get("assignedRoles")),
            key_suffix=text(data.get("keySuffix")),
            created_at=when(data.get("createdAt")),
            expire_at=when(data.get("expireAt")),
            used_at=when(data.get("usedAt")),
            raw=data,
        )

    model: ClassVar[generated_model[ApiKeyModel]] = generated_model(f"{_MODELS}.api_key:ApiKey")


@dataclass(frozen=True, slots=True)
class Backup:
    """A backup of a service: `id`, `status` (`done`, `in_progress`, `error`), its service, times, size."""

    id: str
    status: str | None = None
    service_id: str | None = None
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    size_bytes: int | None = None
    kind: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Backup:
        return cls(
            id=identifier(data, "id"),
            status=text(data.get("status")),
            service_id=text(data.get("serviceId")),
            started_at=when(data.get("startedAt")),
            finished_at=when(data.get("finishedAt")),
            size_bytes=as_int(data.get("sizeInBytes")),
            kind=text(data.get("type")),
            raw=data,
        )

    model: ClassVar[generated_model[BackupModel]] = generated_model(f"{_MODELS}.backup:Backup")


@dataclass(frozen=True, slots=True)
class Activity:
    """An entry of the organization's audit log: `id`, `type`, who did it, when."""

    id: str
    type: str | None = None
    created_at: datetime.datetime | None = None
    actor_type: str | None = None
    actor_id: str | None = None
    service_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Activity:
        return cls(
            id=identifier(data, "id"),
            type=text(data.get("type")),
            created_at=when(data.get("createdAt")),
            actor_type=text(data.get("actorType")),
            actor_id=text(data.get("actorId")),
            service_id=text(data.get("serviceId")),
            raw=data,
        )

    model: ClassVar[generated_model[ActivityModel]] = generated_model(f"{_MODELS}.activity:Activity")
