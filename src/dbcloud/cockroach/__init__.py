"""CockroachDB Cloud: the REST API (`CockroachCloud`)."""

from .._pager import Page, Pager
from ._client import CockroachCloud
from ._models import Cluster, ClusterRegion, DedicatedHardware, Node, Region, UsageLimits

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
