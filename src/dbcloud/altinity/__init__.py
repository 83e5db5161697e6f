"""Altinity.Cloud: the ACM REST API (`Altinity`, and `AsyncAltinity` for asyncio) and the records it
returns."""

from ._client import Altinity, AsyncAltinity
from ._clusters import ClusterStatus
from ._keys import ApiKey
from ._records import Cluster, Environment, NodeType, QueryResult

__all__ = [
    "Altinity",
    "ApiKey",
    "AsyncAltinity",
    "Cluster",
    "ClusterStatus",
    "Environment",
    "NodeType",
    "QueryResult",
]
