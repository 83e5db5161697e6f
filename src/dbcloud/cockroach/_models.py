"""What the facade returns: small typed records read from CockroachDB Cloud's JSON.

Why not the generated attrs models: the spec types int64 values as strings (the proto3 JSON rule:
`"request_unit_limit": "50000000"`), so the generated `UsageLimits` holds strings; its enums raise
on a value the spec does not list (the vendor's own guide shows `CLUSTER_STATUS_UNSPECIFIED`,
which the current spec lacks); and `Cluster.from_dict` needs fields that older answers omit. The
records below read what is there, turn int64 strings into ints, keep unknown enum values as
strings, and keep the whole answer in `raw`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._results import identifier, model_of
from .._values import as_bool, as_int
from .._wait import ClusterState, map_state
from ._crdb import STATE_TABLE

if TYPE_CHECKING:
    from dbcloud_cockroach_client.models.cluster import Cluster as ClusterModel

__all__ = ["Cluster", "ClusterRegion", "DedicatedHardware", "Node", "Region", "UsageLimits"]


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class UsageLimits:
    """Caps of a Basic or Standard (serverless) cluster; None where the cluster has no cap.

    Attributes:
        request_unit_limit: request units the cluster may use per month.
        storage_mib_limit: MiB of storage the cluster may hold.
        provisioned_virtual_cpus: vCPUs provisioned for a Standard cluster.
    """

    request_unit_limit: int | None = None
    storage_mib_limit: int | None = None
    provisioned_virtual_cpus: int | None = None

    @classmethod
    def from_api(cls, data: Any) -> UsageLimits | None:
        """Read the spec's `UsageLimits` object (int64 values as strings or numbers)."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            request_unit_limit=as_int(data.get("request_unit_limit")),
            storage_mib_limit=as_int(data.get("storage_mib_limit")),
            provisioned_virtual_cpus=as_int(data.get("provisioned_virtual_cpus")),
        )


@dataclass(frozen=True, slots=True)
class DedicatedHardware:
    """The machines of an Advanced (dedicated) cluster, per node."""

    machine_type: str | None = None
    num_virtual_cpus: int | None = None
    memory_gib: float | None = None
    storage_gib: int | None = None
    disk_iops: int | None = None

    @classmethod
    def from_api(cls, data: Any) -> DedicatedHardware | None:
        """Read the spec's `DedicatedHardwareConfig` object."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            machine_type=_str(data.get("machine_type")),
            num_virtual_cpus=as_int(data.get("num_virtual_cpus")),
            memory_gib=_float(data.get("memory_gib")),
            storage_gib=as_int(data.get("storage_gib")),
            disk_iops=as_int(data.get("disk_iops")),
        )


@dataclass(frozen=True, slots=True)
class ClusterRegion:
    """One region a cluster runs in, with the host names to reach it."""

    name: str
    sql_dns: str | None = None
    ui_dns: str | None = None
    internal_dns: str | None = None
    node_count: int | None = None
    primary: bool | None = None

    @classmethod
    def from_api(cls, data: Any) -> ClusterRegion:
        """Read the spec's `Region` object."""
        item = _dict(data)
        return cls(
            name=str(item.get("name") or ""),
            sql_dns=_str(item.get("sql_dns")),
            ui_dns=_str(item.get("ui_dns")),
            internal_dns=_str(item.get("internal_dns")),
            node_count=as_int(item.get("node_count")),
            primary=as_bool(item.get("primary")),
        )


@dataclass(frozen=True, slots=True)
class Cluster:
    """A CockroachDB Cloud cluster.

    Attributes:
        id: the cluster id the API takes (not the routing id used in connection strings).
        name: the cluster's name.
        state: the vendor state as a `ClusterState` (`CREATED` is `RUNNING`).
        vendor_state: the vendor's own state word (`CREATING`, `CREATED`, `CREATION_FAILED`,
            `LOCKED`, `DELETED`).
        plan: `BASIC`, `STANDARD` or `ADVANCED` (older answers: `SERVERLESS`, `DEDICATED`).
        cloud_provider: `GCP`, `AWS` or `AZURE`.
        operation_status: the operation running or last failed on the cluster, as the vendor
            spells it (`UNSPECIFIED` when there is none).
        cockroach_version: the CockroachDB version, e.g. `v24.2.4`.
        upgrade_status: where a major-version upgrade stands, e.g. `FINALIZED`.
        regions: the regions the cluster runs in.
        sql_dns: the host name of the SQL interface.
        routing_id: the serverless routing id (connection strings name the cluster by it).
        usage_limits: the caps of a Basic or Standard cluster.
        hardware: the machines of an Advanced cluster.
        labels: key-value labels.
        creator_id, parent_id: the creating account and the folder (or "root").
        delete_protection: `ENABLED` or `DISABLED`.
        created_at, updated_at, deleted_at: timestamps, when the API sent them.
        raw: the JSON object as received.
    """

    id: str
    name: str
    state: ClusterState
    vendor_state: str | None = None
    plan: str | None = None
    cloud_provider: str | None = None
    operation_status: str | None = None
    cockroach_version: str | None = None
    upgrade_status: str | None = None
    regions: tuple[ClusterRegion, ...] = ()
    sql_dns: str | None = None
    routing_id: str | None = None
    usage_limits: UsageLimits | None = None
    hardware: DedicatedHardware | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    creator_id: str | None = None
    parent_id: str | None = None
    delete_protection: str | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    deleted_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Cluster:
        """Read the spec's `Cluster` object; missing or unexpected values become None, never errors."""
        item = _dict(data)
        config = _dict(item.get("config"))
        serverless = _dict(config.get("serverless"))
        vendor_state = _str(item.get("state"))
        labels = _dict(item.get("labels"))
        return cls(
            id=identifier(item, "id"),  # none: MissingIdentifier (left out of lists, an error for get)
            name=str(item.get("name") or ""),
            state=map_state(vendor_state, STATE_TABLE),
            vendor_state=vendor_state,
            plan=_str(item.get("plan")),
            cloud_provider=_str(item.get("cloud_provider")),
            operation_status=_str(item.get("operation_status")),
            cockroach_version=_str(item.get("cockroach_version")),
            upgrade_status=_str(item.get("upgrade_status")),
            regions=tuple(
                ClusterRegion.from_api(r) for r in item.get("regions") or () if isinstance(r, Mapping)
            ),
            sql_dns=_str(item.get("sql_dns")),
            routing_id=_str(serverless.get("routing_id")),
            usage_limits=UsageLimits.from_api(serverless.get("usage_limits")),
            hardware=DedicatedHardware.from_api(config.get("dedicated")),
            labels={str(k): str(v) for k, v in labels.items()},
            creator_id=_str(item.get("creator_id")),
            parent_id=_str(item.get("parent_id")),
            delete_protection=_str(item.get("delete_protection")),
            created_at=_time(item.get("created_at")),
            updated_at=_time(item.get("updated_at")),
            deleted_at=_time(item.get("deleted_at")),
            raw=dict(item),
        )

    @property
    def model(self) -> ClusterModel:
        """The answer read by the generated `Cluster` model (every field the spec lists, tolerantly)."""
        parsed: ClusterModel = model_of("dbcloud_cockroach_client.models.cluster:Cluster", self.raw)
        return parsed

    def describe(self) -> str:
        """The state in a few words, for progress reports: `CREATING`, `CREATED (CRDB_SCALE_RUNNING)`."""
        text = self.vendor_state or self.state.value
        if self.operation_status and self.operation_status not in (
            "UNSPECIFIED",
            "CLUSTER_STATUS_UNSPECIFIED",
        ):
            text += f" ({self.operation_status})"
        return text


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a cluster.

    Attributes:
        name: the node's name.
        region_name: the region it runs in.
        status: `LIVE` or `NOT_READY` (other values are kept as sent).
    """

    name: str
    region_name: str | None = None
    status: str | None = None

    @property
    def live(self) -> bool:
        """The node is up."""
        return self.status == "LIVE"

    @classmethod
    def from_api(cls, data: Any) -> Node:
        """Read the spec's `Node` object."""
        item = _dict(data)
        return cls(
            name=str(item.get("name") or ""),
            region_name=_str(item.get("region_name")),
            status=_str(item.get("status")),
        )


@dataclass(frozen=True, slots=True)
class Region:
    """A region where new clusters can be created.

    Attributes:
        name: the provider's region code, e.g. `us-central1`.
        provider: `GCP`, `AWS` or `AZURE`.
        location: where it is, in words.
        serverless: whether Basic and Standard clusters can run there.
        distance: miles from the caller, as the API estimates them from its IP address.
    """

    name: str
    provider: str | None = None
    location: str | None = None
    serverless: bool | None = None
    distance: float | None = None

    @classmethod
    def from_api(cls, data: Any) -> Region:
        """Read the spec's `CloudProviderRegion` object, or a bare region name (the API guide's form)."""
        if isinstance(data, str):
            return cls(name=data)
        item = _dict(data)
        return cls(
            name=str(item.get("name") or ""),
            provider=_str(item.get("provider")),
            location=_str(item.get("location")),
            serverless=as_bool(item.get("serverless")),
            distance=_float(item.get("distance")),
        )
