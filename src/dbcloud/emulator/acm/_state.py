"""The emulated ACM account's state: its records and the lifecycle timings (no requests, no wire
format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DELETE_SECONDS",
    "DEMO_USER",
    "HEALTH_CHECKS",
    "LAUNCH_SECONDS",
    "LAUNCH_STEPS",
    "OPERATIONS",
    "Cluster",
    "Operation",
]

LAUNCH_SECONDS = 300.0  # emulated seconds from launch to a ready cluster
DELETE_SECONDS = 60.0
HEALTH_CHECKS = 7  # the health checks ACM runs on a cluster (7 in the captured answer)
LAUNCH_STEPS = 3  # the steps of a launch in `actionProgress`
DEMO_USER = ("demo@example.com", "demo-password")


@dataclass(frozen=True)
class OperationKind:
    """How one day-2 operation runs: its log word, its `action` text, its steps and duration, and
    the cluster `status` while it runs."""

    action: str
    label: str
    steps: int
    seconds: float
    status: str


# The day-2 operations by their PUT path's last segment. Assumptions (ACM publishes no table): the
# status of a cluster being rescaled goes "online" -> "pending" -> "online" (seen live by the
# community Terraform provider, gorgias-oss/terraform-provider-altinity, internal/acm/poll_test.go),
# and an upgrade or restart is taken to do the same; a stop shows "stopping" and then "stopped",
# a resume "pending" until the nodes are back. Durations are emulated seconds.
OPERATIONS: dict[str, OperationKind] = {
    "rescale": OperationKind("rescale", "Rescale cluster", 3, 300.0, "pending"),
    "upgrade": OperationKind("upgrade", "Upgrade cluster", 3, 600.0, "pending"),
    "restart": OperationKind("restart", "Restart cluster", 2, 120.0, "pending"),
    "stop": OperationKind("stop", "Stop cluster", 2, 120.0, "stopping"),
    "resume": OperationKind("resume", "Resume cluster", 3, 300.0, "pending"),
    # Assumptions: publishing staged settings restarts ClickHouse (acmctl: "may restart CH"); a
    # backup runs beside the serving cluster; a restore takes the cluster's tables over.
    "push": OperationKind("push", "Publish configuration", 2, 120.0, "pending"),
    "backup": OperationKind("backup", "Backup cluster", 2, 60.0, "online"),
    "restore": OperationKind("restore", "Restore cluster data", 3, 300.0, "pending"),
}


@dataclass
class Operation:
    """The cluster's running (or last) day-2 operation."""

    kind: OperationKind
    started: float
    settled: bool = False  # its effect applied (a stop's: the cluster stopped)

    def done(self, now: float) -> bool:
        return now - self.started >= self.kind.seconds

    def share(self, now: float) -> float:
        return min(max(now - self.started, 0.0) / self.kind.seconds, 1.0)


@dataclass
class Cluster:
    id: int
    environment: int
    name: str
    nodes: int
    shards: int
    replicas: int
    node_type: str
    secure: bool
    started: float
    fails: bool = False
    deleted_at: float | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0
    disks: int = 1
    version: str = ""
    stopped: bool = False  # set once a stop has run its course, cleared when a resume starts
    operation: Operation | None = None
    ends: list[float] = field(default_factory=list)  # when each action after the launch is done
    settings: dict[str, Any] = field(default_factory=dict)  # cluster fields changed by an update
    admin_user: str = "admin"
    zookeeper: str = "launch"
    config: dict[int, dict[str, Any]] = field(default_factory=dict)  # its settings, by id
    staged: bool = False  # a setting added or changed since the last push
    backups: list[dict[str, Any]] = field(default_factory=list)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)  # ClickHouse users, by id
    admin_pass: str = field(default="", repr=False)


def _node_type(serial: int, environment: int, scope: str, code: str, cpu: int, memory: int) -> dict[str, Any]:
    return {
        "id": str(serial),
        "scope": scope,
        "code": code,
        "name": code,
        "storageClass": None,
        "cpu": str(cpu),
        "memory": str(memory),
        "id_environment": str(environment),
        "extraSpec": None,
        "tolerations": (
            [{"key": "dedicated", "operator": "Equal", "value": "clickhouse", "effect": "NoSchedule"}]
            if scope == "clickhouse"
            else []
        ),
        "nodeSelector": [],
        "capacity": "10",
        "isSpot": False,
        "cpu_alloc": str(cpu),
        "memory_alloc": str(memory),
    }


# The node types of the seeded environments, in the shape ACM answers them (ids, counts and memory
# in MiB as text; a captured list in the community Terraform provider's test data,
# internal/acm/testdata/nodetypes.json). Assumption: a GKE environment offers n2d types for
# ClickHouse and e2 for the system and ZooKeeper nodes, an EKS one m5 and t3 types; both also offer
# m5.large, the type the emulator's examples launch with.
_CATALOGUE: dict[int, tuple[tuple[str, str, int, int], ...]] = {
    176: (
        ("clickhouse", "n2d-standard-2", 2, 6001),
        ("clickhouse", "n2d-standard-4", 4, 13128),
        ("clickhouse", "n2d-standard-8", 8, 28037),
        ("clickhouse", "m5.large", 2, 6656),
        ("system", "e2-standard-2", 2, 6001),
        ("zookeeper", "e2-standard-2", 2, 6001),
    ),
    175: (
        ("clickhouse", "m5.large", 2, 6656),
        ("clickhouse", "m5.xlarge", 4, 13824),
        ("clickhouse", "m5.2xlarge", 8, 28160),
        ("system", "t3.large", 2, 6656),
        ("zookeeper", "t3.large", 2, 6656),
    ),
}


def node_types_for(environment: int) -> list[dict[str, Any]]:
    """The node types of a seeded environment (none for any other)."""
    rows = _CATALOGUE.get(environment, ())
    return [
        _node_type(environment * 100 + n, environment, scope, code, cpu, memory)
        for n, (scope, code, cpu, memory) in enumerate(rows, start=1)
    ]
