"""The emulated CockroachDB Cloud organization's state: its records, the vendor's catalogue and
the lifecycle rules computed from the emulated clock (no requests, no wire format)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

SERVERLESS_SECONDS = 300.0  # emulated seconds from create to CREATED, Basic and Standard
DEDICATED_SECONDS = 1200.0  # the same for Advanced
SCALE_SECONDS = 300.0  # an Advanced cluster stays LOCKED this long after a resize
UPGRADE_SECONDS = 600.0  # a major-version upgrade or rollback
AUTO_FINALIZE_SECONDS = 72 * 3600.0  # spec: "Upgrades are automatically finalized after 72 hours"
DELETED_SECONDS = 60.0  # a deleted cluster answers GET with state DELETED this long, then 404

VERSIONS = {"v23.2": "v23.2.13", "v24.1": "v24.1.6", "v24.2": "v24.2.4"}
LATEST = "v24.2"

# The seeded region catalogue (name, location, serverless, distance in miles from "the caller").
# Assumption: a representative subset of each provider's regions, not the vendor's full list.
REGIONS: dict[str, tuple[tuple[str, str, bool, float], ...]] = {
    "GCP": (
        ("us-central1", "Iowa", True, 210.5),
        ("us-east1", "South Carolina", True, 640.2),
        ("us-west2", "California", True, 1480.7),
        ("europe-west1", "Belgium", True, 4390.1),
        ("asia-southeast1", "Singapore", True, 9320.4),
        ("southamerica-east1", "São Paulo", False, 5170.9),
    ),
    "AWS": (
        ("us-east-1", "N. Virginia", True, 520.3),
        ("us-west-2", "Oregon", True, 1690.8),
        ("eu-central-1", "Frankfurt", True, 4650.6),
        ("ap-south-1", "Mumbai", True, 8120.0),
        ("ca-central-1", "Montréal", False, 830.4),
    ),
    "AZURE": (
        ("eastus2", "Virginia", True, 560.9),
        ("westeurope", "Netherlands", True, 4420.3),
        ("centralus", "Iowa", False, 230.1),
    ),
}

NAMESPACE = uuid.UUID("6f1c9f7e-3b1e-4c55-9f0e-2f43c1d7a9b1")
CREATOR_ID = str(uuid.uuid5(NAMESPACE, "service-account"))
ORGANIZATION_ID = str(uuid.uuid5(NAMESPACE, "organization"))


@dataclass(slots=True)
class SqlUser:
    """A SQL user of a cluster. No password is kept: only how many times one was set."""

    name: str
    created: float
    passwords_set: int = 1


@dataclass(slots=True)
class Folder:
    """A folder of the organization; `parent_id` is another folder's id or "root"."""

    id: str
    name: str
    parent_id: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ServiceAccount:
    id: str
    name: str
    description: str
    roles: list[dict[str, Any]]
    created: float


@dataclass(slots=True)
class ApiKey:
    """An API key. Its secret is handed out once and not kept (as the vendor says it does not)."""

    id: str
    name: str
    service_account_id: str
    created: float


@dataclass(slots=True)
class Cluster:
    id: str
    serial: int
    name: str
    provider: str
    plan: str  # BASIC, STANDARD or ADVANCED
    created: float  # emulated seconds
    ready_at: float
    fails: bool
    regions: list[str] = field(default_factory=list)  # serverless
    primary_region: str | None = None
    usage_limits: dict[str, str] = field(default_factory=dict)
    upgrade_type: str = "AUTOMATIC"
    region_nodes: dict[str, int] = field(default_factory=dict)  # dedicated
    hardware: dict[str, Any] = field(default_factory=dict)
    cidr_range: str = ""
    network_visibility: str | None = None
    egress: str | None = None
    customer_account: dict[str, Any] | None = None  # bring-your-own-cloud (Advanced only)
    labels: dict[str, str] = field(default_factory=dict)
    parent_id: str = "root"
    delete_protection: str = "DISABLED"
    version: str = LATEST
    updated: float = 0.0
    deleted_at: float | None = None
    # A resize in progress: the node counts before it, and when it ends.
    locked_until: float = 0.0
    scale_from: dict[str, int] | None = None
    # A major-version change in progress ("upgrade" or "rollback"), its target and end.
    version_op: str | None = None
    version_target: str = ""
    version_done: float = 0.0
    pending_from: str | None = None  # the version an upgrade left, until finalized
    pending_since: float = 0.0
    sql_users: dict[str, SqlUser] = field(default_factory=dict)  # by name
    # The weekly maintenance window (offset from Monday 00:00 UTC, length), as the durations sent.
    maintenance_window: tuple[str, str] | None = None

    @property
    def serverless(self) -> bool:
        return self.plan != "ADVANCED"


# --- lifecycle ---


def settle(cluster: Cluster, now: float) -> None:
    """Apply the transitions that completed by `now` (resizes, upgrades, finalization)."""
    if cluster.scale_from is not None and now >= cluster.locked_until:
        cluster.scale_from = None
    if cluster.version_op is not None and now >= cluster.version_done:
        if cluster.version_op == "upgrade":
            cluster.pending_from = cluster.version
            cluster.pending_since = cluster.version_done
        else:
            cluster.pending_from = None
        cluster.version = cluster.version_target
        cluster.version_op = None
    if cluster.pending_from is not None and now - cluster.pending_since >= AUTO_FINALIZE_SECONDS:
        cluster.pending_from = None


def state_of(cluster: Cluster, now: float) -> str:
    if cluster.deleted_at is not None:
        return "DELETED"
    if now < cluster.ready_at:
        return "CREATING"
    if cluster.fails:
        return "CREATION_FAILED"
    if now < cluster.locked_until:
        return "LOCKED"
    return "CREATED"


def operation_of(cluster: Cluster, state: str) -> str:
    if state == "LOCKED":
        return "CRDB_SCALE_RUNNING"
    if state == "CREATED" and cluster.version_op == "upgrade":
        return "CRDB_MAJOR_UPGRADE_RUNNING"
    if state == "CREATED" and cluster.version_op == "rollback":
        return "CRDB_MAJOR_ROLLBACK_RUNNING"
    return "UNSPECIFIED"


def upgrade_status_of(cluster: Cluster) -> str:
    if cluster.version_op == "upgrade":
        return "MAJOR_UPGRADE_RUNNING"
    if cluster.version_op == "rollback":
        return "ROLLBACK_RUNNING"
    if cluster.pending_from is not None:
        return "PENDING_FINALIZATION"
    return "FINALIZED" if cluster.version == LATEST else "UPGRADE_AVAILABLE"


def machine_type_for(provider: str, vcpus: int) -> str:
    if provider == "AWS":
        return {2: "m6i.large", 4: "m6i.xlarge"}.get(vcpus, f"m6i.{vcpus // 4}xlarge")
    if provider == "AZURE":
        return f"Standard_D{vcpus}ds_v5"
    return f"n2-standard-{vcpus}"


def vcpus_of(machine_type: str) -> int:
    """The vCPUs of a machine type of the three providers' families (4 when unknown)."""
    aws = re.fullmatch(r"[a-z0-9]+\.(\d*)(x?)large", machine_type)
    if aws:
        return (int(aws.group(1) or 1) * 4) if aws.group(2) else 2
    gcp = re.fullmatch(r"[a-z0-9]+-[a-z]+-(\d+)", machine_type)
    azure = re.fullmatch(r"Standard_[A-Z]+(\d+)\w*", machine_type)
    found = gcp or azure
    return int(found.group(1)) if found else 4
