"""CockroachDB Cloud: the REST API (`CockroachCloud`)."""

from ._client import CockroachCloud
from ._models import Cluster, ClusterRegion, DedicatedHardware, Node, Region, UsageLimits
from ._pagination import Page, Pager

__all__ = [
    "Cluster",
    "ClusterRegion",
    "CockroachCloud",
    "DedicatedHardware",
    "Node",
    "Page",
    "Pager",
    "Region",
    "UsageLimits",
]
