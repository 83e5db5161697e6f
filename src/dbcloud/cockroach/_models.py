"""What the facade returns: small typed records read from CockroachDB Cloud's JSON (see
`dbcloud._results`).

Why not the generated attrs models as results: the spec types int64 values as strings (the proto3
JSON rule: `"request_unit_limit": "50000000"`), so the generated `UsageLimits` holds strings, and
older answers omit fields the spec requires. The records read what is there, turn int64 strings into
ints, keep unknown enum values as the API's words, and keep the whole answer at `raw`; `.model`
reads that answer with the generated model, for every field the record does not lift out.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from .._results import (
    as_bool,
    as_int,
    generated_model,
    identifier,
    mapping,
    number,
    objects,
    text,
    texts,
    when,
)
from .._secret import Secret
from .._wait import ClusterState, map_state
from ._crdb import STATE_TABLE

if TYPE_CHECKING:
    from dbcloud_cockroach_client.models.allowlist_entry import AllowlistEntry as AllowlistEntryModel
    from dbcloud_cockroach_client.models.api_key import ApiKey as ApiKeyModel
    from dbcloud_cockroach_client.models.cloud_provider_region import CloudProviderRegion as RegionModel
    from dbcloud_cockroach_client.models.cluster import Cluster as ClusterModel
    from dbcloud_cockroach_client.models.database import Database as DatabaseModel
    from dbcloud_cockroach_client.models.folder_resource import FolderResource as FolderModel
    from dbcloud_cockroach_client.models.get_connection_string_response import (
        GetConnectionStringResponse as ConnectionStringModel,
    )
    from dbcloud_cockroach_client.models.maintenance_window import MaintenanceWindow as MaintenanceWindowModel
    from dbcloud_cockroach_client.models.node import Node as NodeModel
    from dbcloud_cockroach_client.models.service_account import ServiceAccount as ServiceAccountModel
    from dbcloud_cockroach_client.models.sql_user import SQLUser as SqlUserModel

__all__ = [
    "AllowlistEntry",
    "ApiKey",
    "Backup",
    "BackupConfiguration",
    "Cluster",
    "ClusterRegion",
    "ConnectionString",
    "Database",
    "DedicatedHardware",
    "Folder",
    "LogExport",
    "LogExportGroup",
    "MaintenanceWindow",
    "MetricExport",
    "Node",
    "PathSegment",
    "Region",
    "Restore",
    "RestoreItem",
    "Role",
    "ServiceAccount",
    "SqlUser",
    "UsageLimits",
]

_MODELS = "dbcloud_cockroach_client.models"


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
            machine_type=text(data.get("machine_type")),
            num_virtual_cpus=as_int(data.get("num_virtual_cpus")),
            memory_gib=number(data.get("memory_gib")),
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
        item = mapping(data)
        return cls(
            name=text(item.get("name")) or "",
            sql_dns=text(item.get("sql_dns")),
            ui_dns=text(item.get("ui_dns")),
            internal_dns=text(item.get("internal_dns")),
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
            `LOCKED`, `DELETED`): what `dbcloud cockroach clusters` shows as `state`.
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
    def from_api(cls, data: Mapping[str, Any]) -> Cluster:
        """Read the spec's `Cluster` object; missing or unexpected values become None.

        Raises:
            MissingIdentifier: the object has no id (left out of a list; an error for `get`).
        """
        item = data
        config = mapping(item.get("config"))
        serverless = mapping(config.get("serverless"))
        vendor_state = text(item.get("state"))
        labels = mapping(item.get("labels"))
        return cls(
            id=identifier(item, "id"),
            name=text(item.get("name")) or "",
            state=map_state(vendor_state, STATE_TABLE),
            vendor_state=vendor_state,
            plan=text(item.get("plan")),
            cloud_provider=text(item.get("cloud_provider")),
            operation_status=text(item.get("operation_status")),
            cockroach_version=text(item.get("cockroach_version")),
            upgrade_status=text(item.get("upgrade_status")),
            regions=tuple(ClusterRegion.from_api(r) for r in objects(item.get("regions"))),
            sql_dns=text(item.get("sql_dns")),
            routing_id=text(serverless.get("routing_id")),
            usage_limits=UsageLimits.from_api(serverless.get("usage_limits")),
            hardware=DedicatedHardware.from_api(config.get("dedicated")),
            labels={str(k): str(v) for k, v in labels.items()},
            creator_id=text(item.get("creator_id")),
            parent_id=text(item.get("parent_id")),
            delete_protection=text(item.get("delete_protection")),
            created_at=when(item.get("created_at")),
            updated_at=when(item.get("updated_at")),
            deleted_at=when(item.get("deleted_at")),
            raw=dict(item),
        )

    model: ClassVar[generated_model[ClusterModel]] = generated_model(
        f"{_MODELS}.cluster:Cluster",
        "The answer read by the generated `Cluster` model (every field the spec lists, tolerantly).",
    )

    def describe(self) -> str:
        """The state in a few words, for progress reports: `CREATING`, `CREATED (CRDB_SCALE_RUNNING)`."""
        words = self.vendor_state or self.state.value
        if self.operation_status and self.operation_status not in (
            "UNSPECIFIED",
            "CLUSTER_STATUS_UNSPECIFIED",
        ):
            words += f" ({self.operation_status})"
        return words


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a cluster.

    Attributes:
        name: the node's name (the API names nodes by it; `id` is the same).
        region_name: the region it runs in.
        status: `LIVE` or `NOT_READY` (other values are kept as sent).
        raw: the JSON object as received.
    """

    name: str
    region_name: str | None = None
    status: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The node's name: what identifies it (so that `.id` reads alike on every record)."""
        return self.name

    @property
    def live(self) -> bool:
        """The node is up."""
        return self.status == "LIVE"

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Node:
        """Read the spec's `Node` object; raises `MissingIdentifier` when it has no name."""
        return cls(
            name=identifier(data, "name"),
            region_name=text(data.get("region_name")),
            status=text(data.get("status")),
            raw=data,
        )

    model: ClassVar[generated_model[NodeModel]] = generated_model(f"{_MODELS}.node:Node")


@dataclass(frozen=True, slots=True)
class Region:
    """A region where new clusters can be created.

    Attributes:
        name: the provider's region code, e.g. `us-central1` (`id` is the same).
        provider: `GCP`, `AWS` or `AZURE`.
        location: where it is, in words.
        serverless: whether Basic and Standard clusters can run there.
        distance: miles from the caller, as the API estimates them from its IP address.
        raw: the JSON object as received (`{"name": ...}` for a bare name, the API guide's form).
    """

    name: str
    provider: str | None = None
    location: str | None = None
    serverless: bool | None = None
    distance: float | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The region's code: what identifies it (so that `.id` reads alike on every record)."""
        return self.name

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Region:
        """Read the spec's `CloudProviderRegion` object; raises `MissingIdentifier` without a name."""
        return cls(
            name=identifier(data, "name"),
            provider=text(data.get("provider")),
            location=text(data.get("location")),
            serverless=as_bool(data.get("serverless")),
            distance=number(data.get("distance")),
            raw=data,
        )

    model: ClassVar[generated_model[RegionModel]] = generated_model(
        f"{_MODELS}.cloud_provider_region:CloudProviderRegion"
    )


@dataclass(frozen=True, slots=True)
class SqlUser:
    """A SQL user of a cluster (the API keeps no more than its name; never its password).

    Attributes:
        name: the user's name, which identifies it (`id` is the same).
        raw: the JSON object as received.
    """

    name: str
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The user's name: what identifies it (so that `.id` reads alike on every record)."""
        return self.name

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SqlUser:
        """Read the spec's `SQLUser` object; raises `MissingIdentifier` when it has no name."""
        return cls(name=identifier(data, "name"), raw=data)

    model: ClassVar[generated_model[SqlUserModel]] = generated_model(f"{_MODELS}.sql_user:SQLUser")


# --- the organization: maintenance windows, folders, service accounts, API keys ---

# A protobuf Duration in JSON (`durationpb`): seconds with up to nine decimals and an "s".
_DURATION = re.compile(r"(-?\d+(?:\.\d{1,9})?)s?")


def duration(value: Any) -> datetime.timedelta | None:
    """A protobuf JSON duration (`"172800s"`, `"1.5s"`) or a number of seconds; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.timedelta(seconds=value)
    found = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    return datetime.timedelta(seconds=float(found.group(1))) if found else None


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """A cluster's weekly maintenance window (Advanced clusters only).

    Attributes:
        offset_duration: from Monday 00:00 UTC to the window's start (less than a week).
        window_duration: how long the window lasts (the spec: at least 6 hours, less than a week).
        raw: the JSON object as received (the durations as the API spells them, e.g. "172800s").
    """

    offset_duration: datetime.timedelta | None = None
    window_duration: datetime.timedelta | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> MaintenanceWindow:
        """Read the spec's `MaintenanceWindow`; a duration that is not one reads as None."""
        return cls(
            offset_duration=duration(data.get("offset_duration")),
            window_duration=duration(data.get("window_duration")),
            raw=data,
        )

    model: ClassVar[generated_model[MaintenanceWindowModel]] = generated_model(
        f"{_MODELS}.maintenance_window:MaintenanceWindow"
    )


@dataclass(frozen=True, slots=True)
class PathSegment:
    """One ancestor folder of a folder or cluster: its id and name."""

    id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder, or an entry of a folder's contents (a folder or a cluster: see `resource_type`).

    Attributes:
        id: the folder's (or cluster's) id, the API's `resource_id`.
        name: its name.
        parent_id: the folder it is in, or "root".
        resource_type: `FOLDER` or `CLUSTER` (other values kept as sent).
        path: its ancestors, outermost first (without itself).
        labels: key-value labels.
        organization_id: the organization it belongs to.
        raw: the JSON object as received.
    """

    id: str
    name: str
    parent_id: str | None = None
    resource_type: str | None = None
    path: tuple[PathSegment, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    organization_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def full_path(self) -> str:
        """The absolute path the `folders.list(path=...)` filter takes: `/prod/team1`."""
        return "/" + "/".join([*(segment.name or "" for segment in self.path), self.name])

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Folder:
        """Read the spec's `FolderResource`; raises `MissingIdentifier` without a `resource_id`."""
        labels = mapping(data.get("labels"))
        return cls(
            id=identifier(data, "resource_id"),
            name=text(data.get("name")) or "",
            parent_id=text(data.get("parent_id")),
            resource_type=text(data.get("resource_type")),
            path=tuple(
                PathSegment(id=text(item.get("id")), name=text(item.get("name")))
                for item in objects(data.get("path"))
            ),
            labels={str(k): str(v) for k, v in labels.items()},
            organization_id=text(data.get("organization_id")),
            raw=data,
        )

    model: ClassVar[generated_model[FolderModel]] = generated_model(
        f"{_MODELS}.folder_resource:FolderResource"
    )


@dataclass(frozen=True, slots=True)
class Role:
    """A built-in role granted on a resource (`ORG_ADMIN` on the organization, `CLUSTER_ADMIN` on a
    cluster...)."""

    name: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None

    @classmethod
    def from_api(cls, data: Any) -> Role:
        """Read the spec's `BuiltInRole` (`{name, resource: {type, id}}`)."""
        item = mapping(data)
        resource = mapping(item.get("resource"))
        return cls(text(item.get("name")), text(resource.get("type")), text(resource.get("id")))


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    """A service account: the organization's identity for programs, which holds API keys.

    Attributes:
        id: its id (a UUID).
        name, description: as given.
        creator_name: who created it.
        created_at: when.
        roles: the roles granted to it directly (inherited ones are in `raw["group_roles"]`).
        raw: the JSON object as received.
    """

    id: str
    name: str
    description: str | None = None
    creator_name: str | None = None
    created_at: datetime.datetime | None = None
    roles: tuple[Role, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ServiceAccount:
        """Read the spec's `ServiceAccount`; raises `MissingIdentifier` without an id."""
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            description=data["description"] if isinstance(data.get("description"), str) else None,
            creator_name=text(data.get("creator_name")),
            created_at=when(data.get("created_at")),
            roles=tuple(Role.from_api(r) for r in objects(data.get("roles"))),
            raw=data,
        )

    model: ClassVar[generated_model[ServiceAccountModel]] = generated_model(
        f"{_MODELS}.service_account:ServiceAccount"
    )


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key of a service account.

    Attributes:
        id: the key's id (`CCDB1_...`), which is not secret: the secret starts with it.
        name: its name.
        service_account_id: the service account it authenticates as.
        created_at: when it was created.
        secret: the key itself, a `dbcloud.Secret`, only on the record `api_keys.create` returns:
            the API shows it once and keeps no copy. Never in `repr`, `raw` or CLI output.
        raw: the key's JSON object as received (never the secret).
    """

    id: str
    name: str
    service_account_id: str | None = None
    created_at: datetime.datetime | None = None
    secret: Secret | None = field(default=None, repr=False, compare=False)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ApiKey:
        """Read the spec's `ApiKey`; raises `MissingIdentifier` without an id."""
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            service_account_id=text(data.get("service_account_id")),
            created_at=when(data.get("created_at")),
            raw=data,
        )

    @classmethod
    def from_created(cls, data: Mapping[str, Any]) -> ApiKey:
        """Read the spec's `CreateApiKeyResponse` (`{api_key, secret}`).

        The secret is `<key id>_<secret part>`, so a key object without its id is still read: the
        id is taken from the secret rather than losing a secret that is shown only once.
        """
        secret = data.get("secret")
        secret = secret if isinstance(secret, str) and secret else None
        key = dict(mapping(data.get("api_key")))
        if text(key.get("id")) is None and secret is not None and secret.count("_") >= 2:
            key["id"] = secret.rsplit("_", 1)[0]
        record = cls.from_api(key)
        return record if secret is None else replace(record, secret=Secret(secret))

    model: ClassVar[generated_model[ApiKeyModel]] = generated_model(f"{_MODELS}.api_key:ApiKey")


# --- backups, restores and the backup configuration (cockroach/_backups.py) ---

if TYPE_CHECKING:
    from dbcloud_cockroach_client.models.backup_configuration import (
        BackupConfiguration as BackupConfigurationModel,
    )
    from dbcloud_cockroach_client.models.backup_summary import BackupSummary as BackupModel
    from dbcloud_cockroach_client.models.restore import Restore as RestoreModel


@dataclass(frozen=True, slots=True)
class Backup:
    """A managed backup of a cluster.

    Attributes:
        id: the backup's id (what `restores.create(..., backup_id=...)` takes).
        as_of_time: the point in time (UTC) the backup restores to.
        raw: the JSON object as received.
    """

    id: str
    as_of_time: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Backup:
        """Read the spec's `BackupSummary`; raises `MissingIdentifier` without an id."""
        return cls(id=identifier(data, "id"), as_of_time=when(data.get("as_of_time")), raw=data)

    model: ClassVar[generated_model[BackupModel]] = generated_model(f"{_MODELS}.backup_summary:BackupSummary")


@dataclass(frozen=True, slots=True)
class RestoreItem:
    """One object a restore covers: a database, or a table (`database.schema.table`)."""

    database: str | None = None
    schema: str | None = None
    table: str | None = None

    @classmethod
    def from_api(cls, data: Any) -> RestoreItem:
        """Read the spec's `RestoreItem`."""
        item = mapping(data)
        return cls(text(item.get("database")), text(item.get("schema")), text(item.get("table")))


RESTORE_DONE = "SUCCESS"
RESTORE_FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Restore:
    """A restore job: data of a backup written into a cluster.

    Attributes:
        id: the restore's id.
        status: the vendor's word, `PENDING`, `SUCCESS` or `FAILED` (others are kept as sent).
        type: `CLUSTER`, `DATABASE` or `TABLE`.
        backup_id: the backup it restores.
        source_cluster_name, destination_cluster_name: the clusters, by name.
        completion_percent: how far it is, from 0 to 1 (the vendor's name; not a percentage).
        objects: the databases or tables it restores (empty for a cluster restore).
        crdb_job_id: CockroachDB's own job id.
        created_at, completed_at: when it started and ended.
        backup_end_time: when the backup's data was captured.
        client_error_code, client_error_message: why it failed, when it did.
        raw: the JSON object as received.
    """

    id: str
    status: str | None = None
    type: str | None = None
    backup_id: str | None = None
    source_cluster_name: str | None = None
    destination_cluster_name: str | None = None
    completion_percent: float | None = None
    objects: tuple[RestoreItem, ...] = ()
    crdb_job_id: str | None = None
    created_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    backup_end_time: datetime.datetime | None = None
    client_error_code: int | None = None
    client_error_message: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def done(self) -> bool:
        """It succeeded and the API has set its completion time (the vendor's Terraform provider
        waits for both: `completed_at` is written after the status turns `SUCCESS`)."""
        return self.status == RESTORE_DONE and self.completed_at is not None

    @property
    def failed(self) -> bool:
        """It failed (`client_error_message` says why, when the API says)."""
        return self.status == RESTORE_FAILED

    def describe(self) -> str:
        """The status in a few words, for progress reports: `PENDING (40%)`."""
        words = self.status or "UNKNOWN"
        if self.completion_percent is not None and not self.failed:
            words += f" ({self.completion_percent:.0%})"
        return words

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Restore:
        """Read the spec's `Restore`; raises `MissingIdentifier` without an id."""
        return cls(
            id=identifier(data, "id"),
            status=text(data.get("status")),
            type=text(data.get("type")),
            backup_id=text(data.get("backup_id")),
            source_cluster_name=text(data.get("source_cluster_name")),
            destination_cluster_name=text(data.get("destination_cluster_name")),
            completion_percent=number(data.get("completion_percent")),
            objects=tuple(RestoreItem.from_api(o) for o in objects(data.get("objects"))),
            crdb_job_id=text(data.get("crdb_job_id")),
            created_at=when(data.get("created_at")),
            completed_at=when(data.get("completed_at")),
            backup_end_time=when(data.get("backup_end_time")),
            client_error_code=as_int(data.get("client_error_code")),
            client_error_message=text(data.get("client_error_message")),
            raw=data,
        )

    model: ClassVar[generated_model[RestoreModel]] = generated_model(f"{_MODELS}.restore:Restore")


@dataclass(frozen=True, slots=True)
class BackupConfiguration:
    """A cluster's managed-backup settings.

    Attributes:
        enabled: whether backups are taken.
        frequency_minutes: minutes between backups (the cluster's recovery point objective).
        retention_days: days a backup is kept.
        raw: the JSON object as received.
    """

    enabled: bool | None = None
    frequency_minutes: int | None = None
    retention_days: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> BackupConfiguration:
        """Read the spec's `BackupConfiguration` (numbers as text too)."""
        return cls(
            enabled=as_bool(data.get("enabled")),
            frequency_minutes=as_int(data.get("frequency_minutes")),
            retention_days=as_int(data.get("retention_days")),
            raw=data,
        )

    model: ClassVar[generated_model[BackupConfigurationModel]] = generated_model(
        f"{_MODELS}.backup_configuration:BackupConfiguration"
    )


# --- log export and metric export configuration (cockroach/_export.py) ---


def _shown(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """An export answer with the value of every secret-named field masked (a Datadog key's last
    digits, an Azure shared key): `raw` is printed by the CLI and may be logged by callers."""
    from .._secret_names import without_secret_fields

    shown: Mapping[str, Any] = without_secret_fields(data)
    return shown


@dataclass(frozen=True, slots=True)
class LogExportGroup:
    """A group of CockroachDB log channels exported under their own log name."""

    log_name: str | None = None
    channels: tuple[str, ...] = ()
    min_level: str | None = None
    redact: bool | None = None

    @classmethod
    def from_api(cls, data: Any) -> LogExportGroup:
        """Read the spec's `LogExportGroup`."""
        item = mapping(data)
        return cls(
            text(item.get("log_name")), texts(item.get("channels")), text(item.get("min_level")),
            as_bool(item.get("redact")),
        )  # fmt: skip


EXPORT_ENABLED = "ENABLED"


@dataclass(frozen=True, slots=True)
class LogExport:
    """A cluster's log export configuration and where its deployment stands.

    Attributes:
        cluster_id: the cluster (`id` is the same).
        status: the vendor's word: `ENABLING`, `ENABLED`, `ENABLE_FAILED`, `DISABLING`, `DISABLED`,
            `DISABLE_FAILED`, `CREDENTIALS_ERROR` (others kept as sent).
        type: `AWS_CLOUDWATCH`, `GCP_CLOUD_LOGGING` or `AZURE_LOG_ANALYTICS`.
        log_name, auth_principal, region, redact, omitted_channels, groups, aws_external_id: the
            configuration, as the spec's `LogExportClusterSpecification` names them.
        user_message: what the API says about the deployment (why it failed, usually).
        created_at, updated_at: timestamps.
        raw: the JSON object as received, with secret fields (`azure_shared_key`) masked.
    """

    cluster_id: str
    status: str | None = None
    type: str | None = None
    log_name: str | None = None
    auth_principal: str | None = None
    region: str | None = None
    redact: bool | None = None
    omitted_channels: tuple[str, ...] = ()
    groups: tuple[LogExportGroup, ...] = ()
    aws_external_id: str | None = None
    user_message: str | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The cluster's id: a cluster has one log export configuration."""
        return self.cluster_id

    @property
    def enabled(self) -> bool:
        """The configuration is deployed."""
        return self.status == EXPORT_ENABLED

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> LogExport:
        """Read the spec's `LogExportClusterInfo`; raises `MissingIdentifier` without a cluster id."""
        spec = mapping(data.get("spec"))
        return cls(
            cluster_id=identifier(data, "cluster_id"),
            status=text(data.get("status")),
            type=text(spec.get("type")),
            log_name=text(spec.get("log_name")),
            auth_principal=text(spec.get("auth_principal")),
            region=text(spec.get("region")),
            redact=as_bool(spec.get("redact")),
            omitted_channels=texts(spec.get("omitted_channels")),
            groups=tuple(LogExportGroup.from_api(g) for g in objects(spec.get("groups"))),
            aws_external_id=text(spec.get("aws_external_id")),
            user_message=text(data.get("user_message")),
            created_at=when(data.get("created_at")),
            updated_at=when(data.get("updated_at")),
            raw=_shown(data),
        )


@dataclass(frozen=True, slots=True)
class MetricExport:
    """A cluster's metric export to one destination (Datadog, CloudWatch or Prometheus).

    Attributes:
        cluster_id: the cluster (`id` is the same).
        kind: `datadog`, `cloudwatch` or `prometheus`.
        status: the vendor's word: `ENABLING`, `ENABLED`, `DISABLING`, `NOT_DEPLOYED`, `ERROR`
            (others kept as sent).
        user_message: what the API says about the deployment.
        site: Datadog's site (`US1`, `US3`, `US5`, `US1_GOV`, `EU1`).
        api_key_last4: the last four characters of the Datadog API key, as the API shows them.
        role_arn, target_region, log_group_name, external_id: CloudWatch's configuration.
        targets: Prometheus's scrape targets, by region.
        raw: the JSON object as received, with secret fields (`api_key`) masked.
    """

    cluster_id: str
    kind: str
    status: str | None = None
    user_message: str | None = None
    site: str | None = None
    api_key_last4: str | None = None
    role_arn: str | None = None
    target_region: str | None = None
    log_group_name: str | None = None
    external_id: str | None = None
    targets: Mapping[str, str] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The cluster's id: a cluster has one export of each kind."""
        return self.cluster_id

    @property
    def enabled(self) -> bool:
        """The export is deployed."""
        return self.status == EXPORT_ENABLED

    @classmethod
    def reader(cls, kind: str) -> Any:
        """`from_api` for one kind of export."""
        return lambda data: cls.from_api(data, kind)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], kind: str = "") -> MetricExport:
        """Read the spec's `DatadogMetricExportInfo`, `CloudWatchMetricExportInfo`,
        `PrometheusMetricExportInfo` or `DeleteMetricExportResponse`."""
        key = text(data.get("api_key"))
        targets = mapping(data.get("targets"))
        return cls(
            cluster_id=identifier(data, "cluster_id"),
            kind=kind,
            status=text(data.get("status")),
            user_message=text(data.get("user_message")),
            site=text(data.get("site")),
            api_key_last4=key[-4:] if key else None,
            role_arn=text(data.get("role_arn")),
            target_region=text(data.get("target_region")),
            log_group_name=text(data.get("log_group_name")),
            external_id=text(data.get("external_id")),
            targets={str(k): str(v) for k, v in targets.items() if text(v) is not None},
            raw=_shown(data),
        )


# --- the databases of a cluster ---


@dataclass(frozen=True, slots=True)
class Database:
    """A database of a cluster.

    Attributes:
        name: the database's name, which identifies it (`id` is the same).
        table_count: how many tables it holds, when the API says (an int64, sent as text).
        raw: the JSON object as received.
    """

    name: str
    table_count: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The database's name: what identifies it (so that `.id` reads alike on every record)."""
        return self.name

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Database:
        """Read the spec's `Database`; raises `MissingIdentifier` when it has no name."""
        return cls(name=identifier(data, "name"), table_count=as_int(data.get("table_count")), raw=data)

    model: ClassVar[generated_model[DatabaseModel]] = generated_model(f"{_MODELS}.database:Database")


# --- the IP allowlist of a cluster ---


@dataclass(frozen=True, slots=True)
class AllowlistEntry:
    """One CIDR range of a cluster's IP allowlist.

    Attributes:
        cidr_ip: the range's address, e.g. `10.0.0.0`.
        cidr_mask: its prefix length, 0-32 (32: one address).
        ui: the range may reach the DB Console.
        sql: the range may open SQL connections.
        name: the entry's name (the API's default is the empty string).
        raw: the JSON object as received.
    """

    cidr_ip: str
    cidr_mask: int | None = None
    ui: bool | None = None
    sql: bool | None = None
    name: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def cidr(self) -> str:
        """The range in CIDR notation, `10.0.0.0/24` (the address alone when the mask is unknown)."""
        return self.cidr_ip if self.cidr_mask is None else f"{self.cidr_ip}/{self.cidr_mask}"

    @property
    def id(self) -> str:
        """The range, `10.0.0.0/24`: what identifies an entry (the API names it by address and mask)."""
        return self.cidr

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> AllowlistEntry:
        """Read the spec's `AllowlistEntry`; raises `MissingIdentifier` without a `cidr_ip`."""
        return cls(
            cidr_ip=identifier(data, "cidr_ip"),
            cidr_mask=as_int(data.get("cidr_mask")),
            ui=as_bool(data.get("ui")),
            sql=as_bool(data.get("sql")),
            name=data["name"] if isinstance(data.get("name"), str) else None,
            raw=data,
        )

    model: ClassVar[generated_model[AllowlistEntryModel]] = generated_model(
        f"{_MODELS}.allowlist_entry:AllowlistEntry"
    )


# --- a cluster's connection string ---


def _without_password(url: str) -> str:
    """`url` without a password in its user part or its query (the API sends none: the vendor's
    Terraform provider adds the password itself; a proxy or a later API version might not)."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    netloc = parts.netloc
    if password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = user.split(":", 1)[0] + "@" + host
    query = parts.query
    if query:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in ("password", "pass", "pwd")]
        if len(kept) != len(pairs):
            query = urllib.parse.urlencode(kept, safe="/$%:")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


@dataclass(frozen=True, slots=True)
class ConnectionString:
    """How to connect to a cluster with a SQL client, as the API formats it.

    Attributes:
        connection_string: the URL, e.g. `postgresql://maxroach@host:26257/defaultdb?sslmode=verify-full`
            (never with a password: one in the answer is dropped, here and in `raw`).
        host: the host to connect to.
        port: the SQL port (the API sends it as text, e.g. "26257").
        database: the database the URL names.
        username: the SQL user the URL names, when one was asked for.
        raw: the JSON object as received (less any password).
    """

    connection_string: str
    host: str | None = None
    port: int | None = None
    database: str | None = None
    username: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The URL: what this record is (so that `.id` reads alike on every record)."""
        return self.connection_string

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ConnectionString:
        """Read the spec's `GetConnectionStringResponse`; its parameters are `Host`, `Port`,
        `Database`, `Username` on the wire (capitalised, unlike every other field of the API),
        and are read in lower case too.

        Raises:
            MissingIdentifier: the answer has no connection string.
        """
        url = _without_password(identifier(data, "connection_string"))
        params = mapping(data.get("params"))

        def param(name: str) -> Any:
            return params.get(name, params.get(name.lower()))

        return cls(
            connection_string=url,
            host=text(param("Host")),
            port=as_int(param("Port")),
            database=text(param("Database")),
            username=text(param("Username")),
            raw={**data, "connection_string": url},
        )

    model: ClassVar[generated_model[ConnectionStringModel]] = generated_model(
        f"{_MODELS}.get_connection_string_response:GetConnectionStringResponse"
    )
