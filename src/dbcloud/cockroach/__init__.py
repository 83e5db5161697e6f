"""CockroachDB Cloud: the REST API (`CockroachCloud`, and `AsyncCockroachCloud` to await)."""

from .._pager import AsyncPager, Page, Pager
from ._backups import RestoreFailed
from ._client import AsyncCockroachCloud, CockroachCloud
from ._models import (
    ApiKey,
    Backup,
    BackupConfiguration,
    Cluster,
    ClusterRegion,
    DedicatedHardware,
    Folder,
    MaintenanceWindow,
    Node,
    PathSegment,
    Region,
    Restore,
    RestoreItem,
    Role,
    ServiceAccount,
    SqlUser,
    UsageLimits,
)

__all__ = [
    "ApiKey",
    "AsyncCockroachCloud",
    "AsyncPager",
    "Backup",
    "BackupConfiguration",
    "Cluster",
    "ClusterRegion",
    "CockroachCloud",
    "DedicatedHardware",
    "Folder",
    "MaintenanceWindow",
    "Node",
    "Page",
    "Pager",
    "PathSegment",
    "Region",
    "Restore",
    "RestoreFailed",
    "RestoreItem",
    "Role",
    "ServiceAccount",
    "SqlUser",
    "UsageLimits",
]
