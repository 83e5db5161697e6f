"""Altinity.Cloud Anywhere: the GraphQL API (`AltinityAnywhere`)."""

from ._client import AltinityAnywhere
from ._environments import CodeGenEnvironments, Environments, Kind

__all__ = ["AltinityAnywhere", "CodeGenEnvironments", "Environments", "Kind"]
