"""Altinity.Cloud Anywhere: the GraphQL API (`AltinityAnywhere`)."""

from .._pager import Page, Pager
from ._client import AltinityAnywhere
from ._environments import CodeGenEnvironments, Environments, Kind
from ._records import Environment, StatusError

__all__ = [
    "AltinityAnywhere",
    "CodeGenEnvironments",
    "Environment",
    "Environments",
    "Kind",
    "Page",
    "Pager",
    "StatusError",
]
