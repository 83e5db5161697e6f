"""Altinity.Cloud Anywhere: the GraphQL API (`AltinityAnywhere`, and `AsyncAltinityAnywhere` to await)."""

from .._pager import AsyncPager, Page, Pager
from ._client import AltinityAnywhere, AsyncAltinityAnywhere
from ._environments import CodeGenEnvironments, Environments, Kind
from ._records import Environment, StatusError

__all__ = [
    "AltinityAnywhere",
    "AsyncAltinityAnywhere",
    "AsyncPager",
    "CodeGenEnvironments",
    "Environment",
    "Environments",
    "Kind",
    "Page",
    "Pager",
    "StatusError",
]
