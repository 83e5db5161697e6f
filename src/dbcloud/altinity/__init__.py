"""Altinity.Cloud: the ACM REST API (`Altinity`, and `AsyncAltinity` for asyncio) and the records it
returns."""

from ._client import Altinity, AsyncAltinity
from ._clusters import ClusterStatus
from ._keys import ApiKey
from ._records import (
    Backup,
    Cluster,
    ClusterSetting,
    DatabaseUser,
    Environment,
    NodeType,
    QueryResult,
    Zookeeper,
)

__all__ = [
    "Altinity",
    "ApiKey",
    "AsyncAltinity",
    "Backup",
    "Cluster",
    "ClusterSetting",
    "ClusterStatus",
    "DatabaseUser",
    "Environment",
    "NodeType",
    "QueryResult",
    "Zookeeper",
]
