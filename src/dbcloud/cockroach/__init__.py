"""CockroachDB Cloud: the REST API (`CockroachCloud`, and `AsyncCockroachCloud` to await)."""

from .._pager import AsyncPager, Page, Pager
from ._client import AsyncCockroachCloud, CockroachCloud
from ._models import Cluster, ClusterRegion, DedicatedHardware, Node, Region, SqlUser, UsageLimits

__all__ = [
    "AsyncCockroachCloud",
    "AsyncPager",
    "Cluster",
    "ClusterRegion",
    "CockroachCloud",
    "DedicatedHardware",
    "Node",
    "Page",
    "Pager",
    "Region",
    "SqlUser",
    "UsageLimits",
]
