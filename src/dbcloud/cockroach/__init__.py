"""CockroachDB Cloud: the REST API (`CockroachCloud`, and `AsyncCockroachCloud` to await)."""

from .._pager import AsyncPager, Page, Pager
from ._client import AsyncCockroachCloud, CockroachCloud
from ._models import (
    AllowlistEntry,
    ApiKey,
    Cluster,
    ClusterRegion,
    ConnectionString,
    Database,
    DedicatedHardware,
    Folder,
    MaintenanceWindow,
    Node,
    PathSegment,
    Region,
    Role,
    ServiceAccount,
    SqlUser,
    UsageLimits,
)

__all__ = [
    "AllowlistEntry",
    "ApiKey",
    "AsyncCockroachCloud",
    "AsyncPager",
    "Cluster",
    "ClusterRegion",
    "CockroachCloud",
    "ConnectionString",
    "Database",
    "DedicatedHardware",
    "Folder",
    "MaintenanceWindow",
    "Node",
    "Page",
    "Pager",
    "PathSegment",
    "Region",
    "Role",
    "ServiceAccount",
    "SqlUser",
    "UsageLimits",
]
