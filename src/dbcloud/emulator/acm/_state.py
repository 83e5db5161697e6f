"""The emulated ACM account's state: its records and the lifecycle timings (no requests, no wire
format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["DELETE_SECONDS", "DEMO_USER", "HEALTH_CHECKS", "LAUNCH_SECONDS", "LAUNCH_STEPS", "Cluster"]

LAUNCH_SECONDS = 300.0  # emulated seconds from launch to a ready cluster
DELETE_SECONDS = 60.0
HEALTH_CHECKS = 7  # the health checks ACM runs on a cluster (7 in the captured answer)
LAUNCH_STEPS = 3  # the steps of a launch in `actionProgress`
DEMO_USER = ("demo@example.com", "demo-password")


@dataclass
class Cluster:
    id: int
    environment: int
    name: str
    nodes: int
    shards: int
    replicas: int
    node_type: str
    secure: bool
    started: float
    fails: bool = False
    deleted_at: float | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
