"""What the ACM facade returns: records read straight from ACM's JSON (see `dbcloud._results`).

ACM's answers are loosely typed: ids come as numbers or text, counts as text, `nodes` as a count
or as the node list, flags as 0/1 (the community ACM Terraform provider's captured answers, in
tests/corpus/test_acm.py). The records lift what a script needs with plain types and keep the
rest at `.raw`; `.model` parses it with the generated model for every other field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._results import as_bool, as_int, generated_model, identifier, text
from .._wait import ClusterState, map_state
from ._acm import STATE_TABLE

if TYPE_CHECKING:
    from dbcloud_acm_client.models.cluster import Cluster as ClusterModel
    from dbcloud_acm_client.models.cluster_setting import ClusterSetting as ClusterSettingModel
    from dbcloud_acm_client.models.db_user import DbUser as DbUserModel
    from dbcloud_acm_client.models.environment import Environment as EnvironmentModel
    from dbcloud_acm_client.models.node_type import NodeType as NodeTypeModel
    from dbcloud_acm_client.models.zookeeper_cluster import ZookeeperCluster as ZookeeperModel

__all__ = [
    "Backup",
    "Cluster",
    "ClusterSetting",
    "DatabaseUser",
    "Environment",
    "NodeType",
    "QueryResult",
    "Zookeeper",
]


@dataclass(frozen=True, slots=True)
class Environment:
    """An ACM environment: where clusters run.

    Attributes:
        id: the environment's id (what `clusters.launch` and `clusters.list` take).
        name: its name.
        display_name: its display name (`displayName`), when the answer has one.
        type: its kind, e.g. `kubernetes`.
        domain: the DNS domain of its clusters' endpoints.
        status, state: ACM's own words for where it stands (either may be missing).
        managed: whether Altinity manages its Kubernetes.
        cloud: the cloud provider of its Kubernetes (`kubeProvider`), e.g. `gcp`.
        raw: the JSON object as received.
    """

    id: str
    name: str
    display_name: str | None = None
    type: str | None = None
    domain: str | None = None
    status: str | None = None
    state: str | None = None
    managed: bool | None = None
    cloud: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Environment:
        """Read one environment; raises `MissingIdentifier` when it has no id."""
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            display_name=text(data.get("displayName")),
            type=text(data.get("type")),
            domain=text(data.get("domain")),
            status=text(data.get("status")),
            state=text(data.get("state")),
            managed=as_bool(data.get("managed")),
            cloud=text(data.get("kubeProvider")),
            raw=data,
        )

    model: ClassVar[generated_model[EnvironmentModel]] = generated_model(
        "dbcloud_acm_client.models.environment:Environment",
        "The answer read by the generated `Environment` model (every field the spec lists).",
    )


def _fast_id(value: Any) -> str | None:
    return value if type(value) is str and value else str(value) if type(value) is int else None


def _node_count(value: Any) -> int | None:
    # ACM sends the node list in some answers and a count (or its text) in others.
    if isinstance(value, list):
        return len(value)
    return as_int(value)


@dataclass(frozen=True, slots=True)
class Cluster:
    """An ACM ClickHouse cluster.

    Attributes:
        id: the cluster's id.
        name: its name.
        state: where it stands, as every vendor's states read (`ClusterState.RUNNING` when online).
        status: ACM's own word (`online`, `launching`, ...).
        environment_id: the environment it runs in.
        nodes, shards, replicas: its size (nodes = shards x replicas).
        node_type: its node (instance) type, when the answer says.
        version: its ClickHouse version (`systemVersion`), when the answer says.
        endpoint: the host name clients connect to.
        secure: whether ClickHouse is served over TLS only.
        raw: the JSON object as received.
    """

    id: str
    name: str
    state: ClusterState
    status: str | None = None
    environment_id: str | None = None
    nodes: int | None = None
    shards: int | None = None
    replicas: int | None = None
    node_type: str | None = None
    version: str | None = None
    endpoint: str | None = None
    secure: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Cluster:
        """Read one cluster; raises `MissingIdentifier` when it has no id."""
        # Written for speed (a list may hold thousands): plain text is taken as is, anything else
        # goes through the tolerant readers.
        get = data.get
        status = get("status")
        status = status if type(status) is str else text(status)
        name = get("name")
        return cls(
            id=_fast_id(get("id")) or identifier(data, "id"),
            name=name if type(name) is str else (text(name) or ""),
            state=map_state(status, STATE_TABLE),
            status=status or None,
            environment_id=text(get("id_environment")),
            nodes=_node_count(get("nodes")),
            shards=as_int(get("shards")),
            replicas=as_int(get("replicas")),
            node_type=text(get("nodeType") or get("instanceType")),
            version=text(get("systemVersion") or get("version")),
            endpoint=text(get("endpoint")),
            secure=as_bool(get("secure")),
            raw=data,
        )

    model: ClassVar[generated_model[ClusterModel]] = generated_model(
        "dbcloud_acm_client.models.cluster:Cluster",
        "The answer read by the generated `Cluster` model (every field the spec lists).",
    )


@dataclass(frozen=True, slots=True)
class NodeType:
    """A node type an environment offers (`GET /environment/{id}/nodetypes`).

    Attributes:
        id: the node type's id.
        name: its name.
        code: the cloud's instance type, what `launch(node_type=...)` and `rescale` take.
        scope: what it runs: `clickhouse`, `zookeeper` or `system`.
        cpu: CPUs per node.
        memory: memory per node, in MiB.
        storage_class: its Kubernetes storage class, when set.
        capacity: how many nodes of it the environment may run.
        spot: whether it runs on spot instances.
        environment_id: the environment it belongs to.
        used: whether a cluster uses it (only in answers asked `with_used`).
        raw: the JSON object as received.
    """

    id: str
    name: str
    code: str | None = None
    scope: str | None = None
    cpu: int | None = None
    memory: int | None = None
    storage_class: str | None = None
    capacity: int | None = None
    spot: bool | None = None
    environment_id: str | None = None
    used: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> NodeType:
        """Read one node type (counts and memory come as text); raises `MissingIdentifier` without
        an id."""
        code = text(data.get("code"))
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or code or "",
            code=code,
            scope=text(data.get("scope")),
            cpu=as_int(data.get("cpu")),
            memory=as_int(data.get("memory")),
            storage_class=text(data.get("storageClass")),
            capacity=as_int(data.get("capacity")),
            spot=as_bool(data.get("isSpot")),
            environment_id=text(data.get("id_environment")),
            used=as_bool(data.get("used")),
            raw=data,
        )

    model: ClassVar[generated_model[NodeTypeModel]] = generated_model(
        "dbcloud_acm_client.models.node_type:NodeType",
        "The answer read by the generated `NodeType` model (every field the spec lists).",
    )


@dataclass(frozen=True, slots=True)
class QueryResult:
    """What ACM answered a query run on a cluster (`POST /cluster/{id}/query`).

    Assumption (the spec gives the answer no schema, and acmctl prints it as it comes): the `data`
    of ACM's envelope is ClickHouse's output as text, or rows as a JSON list; either is kept.

    Attributes:
        cluster_id: the cluster the query ran on.
        text: the output, when ACM answered text.
        rows: the rows, when ACM answered a list.
        raw: the answer's `data` as received.
    """

    cluster_id: str
    text: str | None = None
    rows: tuple[Any, ...] | None = None
    raw: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_api(cls, cluster_id: str, data: Any) -> QueryResult:
        if isinstance(data, str):
            return cls(cluster_id, text=data, raw=data)
        if isinstance(data, list):
            return cls(cluster_id, rows=tuple(data), raw=data)
        return cls(cluster_id, raw=data)


@dataclass(frozen=True, slots=True)
class ClusterSetting:
    """One setting of a cluster: a config.d file or a server setting (`GET /cluster/{id}/settings`).

    Attributes:
        id: the setting's id (what `settings.delete` takes, beside its name).
        name: its name, e.g. `config.d/http_handlers.xml` or `max_concurrent_queries`.
        value: its value (a file's whole text); kept out of the repr, as it may hold credentials.
        is_file: a config.d file (True) or a server setting (False).
        cluster_id: the cluster it belongs to.
        system: set by ACM itself rather than by a user.
        raw: the JSON object as received.
    """

    id: str
    name: str
    value: str | None = field(default=None, repr=False)
    is_file: bool | None = None
    cluster_id: str | None = None
    system: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ClusterSetting:
        """Read one setting (ids come as text, flags as 0/1 or booleans)."""
        value = data.get("value")
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            value=value if isinstance(value, str) else text(value),
            is_file=as_bool(data.get("isFile")),
            cluster_id=text(data.get("id_cluster")),
            system=as_bool(data.get("system")),
            raw=data,
        )

    model: ClassVar[generated_model[ClusterSettingModel]] = generated_model(
        "dbcloud_acm_client.models.cluster_setting:ClusterSetting",
        "The answer read by the generated `ClusterSetting` model (every field the spec lists).",
    )


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup of a cluster (`GET /cluster/{id}/backups`).

    Assumption (the spec gives the list no item schema and no vendor tool reads it): each item is
    an object naming the backup by `id`, `name` or `tag`; `tag` is what `backups.restore` takes.

    Attributes:
        id: its id, else its name or tag.
        name: its name (its tag when it has no name).
        tag: the tag a restore names it by.
        created: when it was made, as ACM wrote it.
        size: its size, as ACM wrote it (bytes, or text such as "1.2 GiB").
        status: ACM's word for it, when the answer has one.
        raw: the JSON object as received.
    """

    id: str
    name: str
    tag: str | None = None
    created: str | None = None
    size: str | None = None
    status: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Backup:
        tag = text(data.get("tag"))
        name = text(data.get("name")) or tag or ""
        return cls(
            id=identifier(data, "id", "name", "tag"),
            name=name,
            tag=tag or text(data.get("name")),
            created=text(data.get("created") or data.get("date") or data.get("time")),
            size=text(data.get("size")),
            status=text(data.get("status")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class DatabaseUser:
    """A ClickHouse user of a cluster, as ACM manages it (`GET /cluster/{id}/users`).

    Attributes:
        id: its id.
        name: its login.
        cluster_id: the cluster it belongs to.
        databases: the databases it may use (empty: all), as ACM lists them.
        networks: the addresses or CIDRs it may connect from.
        profile_id, quota_id: its settings profile and quota.
        access_management: whether it may manage users and grants (SQL-driven access control).
        raw: the JSON object as received, without the password ACM may echo.
    """

    id: str
    name: str
    cluster_id: str | None = None
    databases: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    profile_id: str | None = None
    quota_id: str | None = None
    access_management: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DatabaseUser:
        """Read one user; a `password` in the answer is dropped, never kept at `.raw`."""
        kept = {k: v for k, v in data.items() if k != "password"}
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("login")) or "",
            cluster_id=text(data.get("id_cluster")),
            databases=_names(data.get("databases")),
            networks=_names(data.get("networks")),
            profile_id=text(data.get("id_profile")),
            quota_id=text(data.get("id_quota")),
            access_management=as_bool(data.get("accessManagement")),
            raw=kept,
        )

    model: ClassVar[generated_model[DbUserModel]] = generated_model(
        "dbcloud_acm_client.models.db_user:DbUser",
        "The answer (without its password) read by the generated `DbUser` model.",
    )


def _names(value: Any) -> tuple[str, ...]:
    # ACM answers lists both ways: as JSON lists or as comma-separated text (both in the community
    # Terraform provider's tests, internal/acm/users_test.go).
    if isinstance(value, list):
        return tuple(str(v) for v in value if v not in (None, ""))
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return ()


@dataclass(frozen=True, slots=True)
class Zookeeper:
    """A ZooKeeper cluster of an environment (`GET /environment/{id}/zookeepers`, the spec's
    `ZookeeperCluster`).

    Attributes:
        id: its id (what `clusters.launch(zookeeper=...)` takes).
        name: its tag (the name ACM shows).
        size: "single" or "multi", as ACM wrote it.
        state: ACM's word for where it stands (`state`, or `status` in some answers).
        dedicated: whether it serves one cluster only.
        launched: whether ACM launched it (rather than it being added by its hosts).
        hosts: its hosts, when the answer lists them.
        raw: the JSON object as received.
    """

    id: str
    name: str
    size: str | None = None
    state: str | None = None
    dedicated: bool | None = None
    launched: bool | None = None
    hosts: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Zookeeper:
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("tag") or data.get("name")) or "",
            size=text(data.get("size")),
            state=text(data.get("state") or data.get("status")),
            dedicated=as_bool(data.get("dedicated")),
            launched=as_bool(data.get("launched")),
            hosts=_names(data.get("hosts")),
            raw=data,
        )

    model: ClassVar[generated_model[ZookeeperModel]] = generated_model(
        "dbcloud_acm_client.models.zookeeper_cluster:ZookeeperCluster",
        "The answer read by the generated `ZookeeperCluster` model (every field the spec lists).",
    )
