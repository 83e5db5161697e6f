"""CockroachDB Cloud answers as the vendor's Cloud API guide shows them, read through `CockroachCloud`.

Source: the CockroachDB Cloud API guide (cockroachlabs.com/docs/cockroachcloud/cloud-api; a copy
as published is in ../shared/vendor-docs/cockroachdb-cloud-api.md). Shapes only; bodies are ours:
- create / get cluster: `plan: "SERVERLESS"` and `operation_status: "CLUSTER_STATUS_UNSPECIFIED"`
  (values the current spec does not list), `config.serverless.spend_limit` as a number, regions
  with `sql_dns` and an empty `ui_dns`, no `cockroach_version` / `upgrade_status` (spec-required);
- nodes: `{nodes: [{name, region_name, status: LIVE | NOT_READY}], pagination: {...}}`;
- available regions: `{regions: ["us-central1", ...]}`, bare names where the spec has objects;
- errors: the spec's `Status` body `{code, message, details}` on a 404.
And the vendor's Terraform provider's tests (cockroachdb/terraform-provider-cockroach), for the
resources the guide does not show:
- SQL users: `{users: [{name}]}` with no `pagination` object at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dbcloud
from dbcloud import ClusterState
from tests._bridge import Flavour

from ._support import UNKNOWN, Answer, drifted, transport

GUIDE = "CockroachDB Cloud API guide (vendor-docs/cockroachdb-cloud-api.md)"
CLUSTER_ID = "9b0f2e1a-6c4d-4e2f-8a1b-3c5d7e9f0a1b"

CLUSTER = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}",
    {
        "cloud_provider": "GCP",
        "created_at": "2022-03-14T14:15:22Z",
        "creator_id": "svc-account-1",
        "id": CLUSTER_ID,
        "operation_status": "CLUSTER_STATUS_UNSPECIFIED",
        "name": "notorious-moose",
        "plan": "SERVERLESS",
        "regions": [
            {
                "name": "us-central1",
                "sql_dns": "notorious-moose-7.gcp-us-central1.crdb.test",
                "ui_dns": "",
                "node_count": 1,
            }
        ],
        "config": {
            "serverless": {"regions": ["us-central1"], "spend_limit": 0, "routing_id": "notorious-moose-7"}
        },
        "state": "CREATING",
        "updated_at": "2022-03-14T14:15:22Z",
    },
    GUIDE + ": create / get a cluster",
)
NODES = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/nodes",
    {
        "nodes": [
            {"name": "node-1", "region_name": "us-central1", "status": "LIVE"},
            {"name": "node-2", "region_name": "us-central1", "status": "NOT_READY"},
        ],
        "pagination": {
            "next": 0,
            "last": 0,
            "limit": 0,
            "total_results": 0,
            "time": "2022-03-14T14:15:22Z",
            "order": "ASC",
        },
    },
    GUIDE + ": cluster nodes",
)
REGIONS = Answer(
    "/api/v1/clusters/available-regions",
    {"regions": ["us-central1", "us-east1"]},
    GUIDE + ": available regions",
)
SQL_USERS = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/sql-users",
    {"users": [{"name": "maxroach"}, {"name": "app_reader"}]},
    "the vendor's Terraform provider's tests (cockroachdb/terraform-provider-cockroach, "
    "internal/provider/sql_user_resource_test.go): a list of users with no pagination object",
)
MISSING = Answer(
    "/api/v1/clusters/00000000-0000-4000-8000-000000000000",
    {"code": 5, "message": "cluster not found", "details": []},
    "the spec's Status error body, as the guide's error section describes it",
    status=404,
)


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "COCKROACH_API_KEY",
        "COCKROACH_SERVER",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def crdb(flavour: Flavour, *answers: Answer) -> dbcloud.CockroachCloud:
    """`CockroachCloud` over the answers, or `AsyncCockroachCloud` behind it on the async flavour."""
    client: dbcloud.CockroachCloud = flavour.twin(dbcloud.CockroachCloud)(
        api_key="crdb-key", base_url="https://crdb.test", http_client=transport(*answers)
    )
    return client


def real_cluster(client: dbcloud.CockroachCloud) -> None:
    cluster = client.clusters.get(CLUSTER_ID)
    assert (cluster.name, cluster.state, cluster.plan) == (
        "notorious-moose",
        ClusterState.PROVISIONING,
        "SERVERLESS",
    )
    assert cluster.operation_status == "CLUSTER_STATUS_UNSPECIFIED"
    assert cluster.describe() == "CREATING"
    assert cluster.regions[0].sql_dns == "notorious-moose-7.gcp-us-central1.crdb.test"
    assert cluster.regions[0].ui_dns is None
    assert cluster.routing_id == "notorious-moose-7"
    assert cluster.cockroach_version is None


def real_nodes(client: dbcloud.CockroachCloud) -> None:
    nodes = list(client.clusters.nodes(CLUSTER_ID))
    assert [(n.name, n.live) for n in nodes] == [("node-1", True), ("node-2", False)]


def real_regions(client: dbcloud.CockroachCloud) -> None:
    assert [r.name for r in client.clusters.available_regions("GCP")] == ["us-central1", "us-east1"]


def real_sql_users(client: dbcloud.CockroachCloud) -> None:
    assert [u.name for u in client.sql_users.list(CLUSTER_ID)] == ["maxroach", "app_reader"]
    assert client.sql_users.get(CLUSTER_ID, "app_reader").id == "app_reader"


def real_error(client: dbcloud.CockroachCloud) -> None:
    with pytest.raises(dbcloud.NotFoundError) as caught:
        client.clusters.get("00000000-0000-4000-8000-000000000000")
    assert "cluster not found" in str(caught.value)


REAL: list[tuple[str, Answer, Callable[[dbcloud.CockroachCloud], None]]] = [
    ("cluster-serverless-legacy-values", CLUSTER, real_cluster),
    ("nodes-live-and-not-ready", NODES, real_nodes),
    ("available-regions-as-names", REGIONS, real_regions),
    ("sql-users-without-pagination", SQL_USERS, real_sql_users),
    ("error-status-body", MISSING, real_error),
]


@pytest.mark.parametrize(("answer", "check"), [pytest.param(a, c, id=i) for i, a, c in REAL])
def test_a_real_answer_reads_with_its_typed_values(
    flavour: Flavour, answer: Answer, check: Callable[[Any], None]
) -> None:
    with crdb(flavour, answer) as client:
        check(client)


# --- the four drifts ----------------------------------------------------------------------------------


def _top(body: Any) -> dict[str, Any]:
    return body


def _region(body: Any) -> dict[str, Any]:
    return body["regions"][0]


def _unknown(cluster: Any) -> None:
    assert cluster.vendor_state == UNKNOWN
    assert cluster.state is ClusterState.UNKNOWN


def _null(cluster: Any) -> None:
    assert cluster.cloud_provider is None
    assert cluster.state is ClusterState.PROVISIONING


def _missing(cluster: Any) -> None:
    assert cluster.created_at is None
    assert cluster.name == "notorious-moose"


def _text_number(cluster: Any) -> None:
    assert cluster.regions[0].node_count == 1


DRIFTS = [
    pytest.param(_top, "state", "unknown-enum", _unknown, id="unknown-enum-state"),
    pytest.param(_top, "cloud_provider", "null", _null, id="null-cloud_provider"),
    pytest.param(_top, "created_at", "missing", _missing, id="missing-required-created_at"),
    pytest.param(_region, "node_count", "text-number", _text_number, id="text-number-node_count"),
]


@pytest.mark.parametrize(("where", "key", "kind", "check"), DRIFTS)
def test_a_drifted_answer_still_reads(
    flavour: Flavour, where: Any, key: str, kind: str, check: Callable[[Any], None]
) -> None:
    with crdb(flavour, drifted(CLUSTER, where, key, kind)) as client:
        check(client.clusters.get(CLUSTER_ID))


def test_a_boolean_sent_as_text_reads_as_a_boolean(flavour: Flavour) -> None:
    answer = drifted(
        Answer(
            CLUSTER.path,
            {**CLUSTER.body, "regions": [{"name": "us-central1", "primary": True}]},
            CLUSTER.source,
        ),
        _region,
        "primary",
        "text-number",
    )
    with crdb(flavour, answer) as client:
        assert client.clusters.get(CLUSTER_ID).regions[0].primary is True
