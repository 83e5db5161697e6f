"""Altinity.Cloud: the ACM REST API (`Altinity`)."""

from ._client import Altinity
from ._clusters import ClusterStatus
from ._keys import ApiKey

__all__ = ["Altinity", "ApiKey", "ClusterStatus"]
