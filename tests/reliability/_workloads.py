"""Per API: the calls a fault run makes. Idempotent calls (GET, PUT, DELETE, read-only GraphQL
queries) must get through faults on retries; creates (POST, GraphQL mutations) must be sent once.

Each builder runs its set-up (a seed object to read back) before faults are injected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ADMIN_PASS", "WORKLOADS", "Workload"]

ADMIN_PASS = "Rel1ability-admin-pass"
EXPIRY = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
SEED = 999  # the set-up object's number: apart from the run's 0, 10, 20, ...


@dataclass(frozen=True)
class Workload:
    """idempotent: (label, call) pairs; create(n) makes the n-th object and returns its id;
    delete(id) removes one (an idempotent DELETE), or None where deleting is not idempotent."""

    idempotent: list[tuple[str, Callable[[], object]]]
    create: Callable[[int], str]
    delete: Callable[[str], object] | None


def acm(client: Any) -> Workload:
    env = client.environments.list()[0].id

    def launch(n: int) -> str:
        cluster = client.clusters.launch(
            env, name=f"rel-{n}", admin_pass=ADMIN_PASS, node_type="m5.large", nodes=2, replicas=2, size=10
        )
        return str(cluster.id)

    seed = launch(SEED)
    return Workload(
        idempotent=[
            ("environments.list", lambda: client.environments.list()),
            ("environments.get", lambda: client.environments.get(env)),
            ("clusters.list", lambda: client.clusters.list(env)),
            ("clusters.get", lambda: client.clusters.get(seed)),
            ("clusters.status", lambda: client.clusters.status(seed)),  # three GETs
        ],
        create=launch,
        delete=lambda cid: client.clusters.delete(cid),
    )


HOSTED = {"region": "us-west-2", "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 1}]}


def anywhere(client: Any) -> Workload:
    def create(n: int) -> str:
        client.aws_hosted.create(f"rel-hosted-{n}", HOSTED)
        return f"rel-hosted-{n}"

    return Workload(
        idempotent=[
            ("aws.list", lambda: client.aws.list()),
            ("aws.get", lambda: client.aws.get("demo-aws")),
            ("aws.terraform", lambda: client.aws.terraform("demo-aws")),
            ("gcp.list", lambda: client.gcp.list()),
            ("aws_hosted.list", lambda: client.aws_hosted.list()),
        ],
        create=create,
        delete=None,  # a GraphQL mutation: sent once, like a create
    )


def clickhouse(client: Any) -> Workload:
    service = str(client.services.list()[0].id)

    def create(n: int) -> str:
        return str(client.keys.create(name=f"rel-key-{n}", expire_at=EXPIRY).key.id)

    seed = create(SEED)
    return Workload(
        idempotent=[
            ("organizations.get", lambda: client.organizations.get()),
            ("services.list", lambda: client.services.list()),
            ("services.get", lambda: client.services.get(service)),
            ("keys.list", lambda: client.keys.list()),
            ("keys.get", lambda: client.keys.get(seed)),
            ("backups.list", lambda: client.backups.list(service)),
            ("activities.list", lambda: client.activities.list()),
        ],
        create=create,
        delete=lambda key: client.keys.delete(key),
    )


def clickstack(client: Any) -> Workload:
    source = str(next(s.id for s in client.sources.list() if s.kind == "log"))
    tiles = [
        {
            "name": "Errors",
            "x": 0,
            "y": 0,
            "w": 6,
            "h": 3,
            "config": {"displayType": "line", "sourceId": source, "select": [{"aggFn": "count"}]},
        }
    ]

    def create(n: int) -> str:
        return str(client.dashboards.create(name=f"rel-{n}", tiles=tiles).id)

    seed = create(SEED)
    return Workload(
        idempotent=[
            ("sources.list", lambda: client.sources.list()),
            ("dashboards.list", lambda: client.dashboards.list()),
            ("dashboards.get", lambda: client.dashboards.get(seed)),
            ("dashboards.update", lambda: client.dashboards.update(seed, name="rel-seed", tiles=tiles)),
            ("alerts.list", lambda: client.alerts.list()),
            ("webhooks.list", lambda: client.webhooks.list()),
        ],
        create=create,
        delete=lambda dashboard: client.dashboards.delete(dashboard),
    )


def cockroach(client: Any) -> Workload:
    def create(n: int) -> str:
        return str(client.clusters.create_serverless(f"rel-cluster-{n:03d}").id)

    seed = create(SEED)
    return Workload(
        idempotent=[
            ("clusters.list", lambda: list(client.clusters.list())),
            ("clusters.get", lambda: client.clusters.get(seed)),
            ("available_regions", lambda: list(client.clusters.available_regions("GCP"))),
        ],
        create=create,
        delete=lambda cluster: client.clusters.delete(cluster),
    )


WORKLOADS: dict[str, Callable[[Any], Workload]] = {
    "acm": acm,
    "anywhere": anywhere,
    "clickhouse": clickhouse,
    "clickstack": clickstack,
    "cockroach": cockroach,
}
