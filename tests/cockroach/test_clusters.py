"""Clusters: every call's method, path, query and body; parsing; checks before sending; spend_limit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import Cluster, Node, Region, UsageLimits

from .conftest import CLUSTER_ID, FakeCockroach, body, cluster_json, query

Call = Callable[[dbcloud.CockroachCloud], object]

CLUSTERS = "/api/v1/clusters"
ONE = f"{CLUSTERS}/{CLUSTER_ID}"


# --- the vendor guide's examples ------------------------------------------------------------------


def test_notorious_moose_is_one_call_with_the_documented_body(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", CLUSTERS, cluster_json("CREATING"))
    cluster = crdb.clusters.create_serverless("notorious-moose")

    (request,) = fake.requests
    assert (request.method, request.url.path, query(request)) == ("POST", CLUSTERS, {})
    assert request.headers["Content-Type"] == "application/json"
    # The guide's body is {"name": "notorious-moose", "provider": "GCP", "spec": {"serverless":
    # {"regions": ["us-central1"], "spendLimit": 0}}}. API version 2024-09-16 has no spendLimit (the
    # guide predates it): a money cap became usage_limits (request units and storage), and the
    # plan's defaults apply when they are left out. So the current form of the documented request
    # is the same body without "spendLimit".
    assert body(request) == {
        "name": "notorious-moose",
        "provider": "GCP",
        "spec": {"serverless": {"regions": ["us-central1"]}},
    }
    assert cluster.state is dbcloud.ClusterState.PROVISIONING
    assert cluster.vendor_state == "CREATING"


def test_the_guides_cluster_answer_parses(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # The guide's sample answer: an older shape (spend_limit, CLUSTER_STATUS_UNSPECIFIED, no version).
    guide = {
        "cloud_provider": "GCP",
        "created_at": "2022-03-14T14:15:22Z",
        "creator_id": "svc-1",
        "deleted_at": "2022-03-14T14:15:22Z",
        "id": CLUSTER_ID,
        "operation_status": "CLUSTER_STATUS_UNSPECIFIED",
        "name": "notorious-moose",
        "plan": "SERVERLESS",
        "regions": [
            {"name": "us-central1", "sql_dns": "free-tier.gcp-us-central1.cockroachlabs.cloud", "ui_dns": ""}
        ],
        "config": {
            "serverless": {"regions": ["us-central1"], "spend_limit": 0, "routing_id": "notorious-moose-123"}
        },
        "state": "CREATING",
        "updated_at": "2022-03-14T14:15:22Z",
    }
    fake.on("GET", ONE, guide)
    cluster = crdb.clusters.get(CLUSTER_ID)
    assert (cluster.plan, cluster.state, cluster.routing_id) == (
        "SERVERLESS",
        dbcloud.ClusterState.PROVISIONING,
        "notorious-moose-123",
    )
    assert cluster.operation_status == "CLUSTER_STATUS_UNSPECIFIED"
    assert cluster.regions[0].sql_dns == "free-tier.gcp-us-central1.cockroachlabs.cloud"
    assert cluster.regions[0].node_count is None
    assert cluster.usage_limits is None
    assert cluster.describe() == "CREATING"
    assert cluster.created_at == datetime.datetime(2022, 3, 14, 14, 15, 22, tzinfo=datetime.UTC)


def test_get_parses_int64_strings_as_ints(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    data = cluster_json(operation_status="CRDB_SCALE_RUNNING", labels={"team": "db"})
    data["config"]["serverless"]["usage_limits"]["provisioned_virtual_cpus"] = 4  # a number is fine too
    fake.on("GET", ONE, data)
    cluster = crdb.clusters.get(CLUSTER_ID)
    assert fake.requests[0].method == "GET"
    assert fake.requests[0].url.path == ONE
    assert cluster.usage_limits == UsageLimits(
        request_unit_limit=50_000_000, storage_mib_limit=10_240, provisioned_virtual_cpus=4
    )
    assert isinstance(cluster.usage_limits.request_unit_limit, int)
    assert cluster.state is dbcloud.ClusterState.RUNNING
    assert cluster.labels == {"team": "db"}
    assert cluster.describe() == "CREATED (CRDB_SCALE_RUNNING)"
    assert cluster.raw["cidr_range"] == ""
    assert CLUSTER_ID in repr(cluster)
    assert "cidr_range" not in repr(cluster)  # raw stays out of repr


def test_dedicated_hardware_parses(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    hardware = {
        "machine_type": "n2-standard-4",
        "num_virtual_cpus": 4,
        "storage_gib": 15,
        "memory_gib": 16,
        "disk_iops": 0,
    }
    fake.on("GET", ONE, cluster_json(plan="ADVANCED", config={"dedicated": hardware}))
    cluster = crdb.clusters.get(CLUSTER_ID)
    assert cluster.hardware is not None
    assert (cluster.hardware.machine_type, cluster.hardware.memory_gib, cluster.hardware.storage_gib) == (
        "n2-standard-4",
        16.0,
        15,
    )
    assert cluster.usage_limits is None
    assert cluster.routing_id is None


@pytest.mark.parametrize("state", ["HIBERNATING", None, 7])
def test_unknown_states_are_unknown_not_errors(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, state: Any
) -> None:
    fake.on("GET", ONE, cluster_json(state=state))
    assert crdb.clusters.get(CLUSTER_ID).state is dbcloud.ClusterState.UNKNOWN


@pytest.mark.parametrize(
    ("vendor", "state"),
    [
        ("CREATING", dbcloud.ClusterState.PROVISIONING),
        ("CREATED", dbcloud.ClusterState.RUNNING),
        ("CREATION_FAILED", dbcloud.ClusterState.FAILED),
        ("LOCKED", dbcloud.ClusterState.UPDATING),
        ("DELETED", dbcloud.ClusterState.DELETED),
    ],
)
def test_states_map_to_cluster_state(vendor: str, state: dbcloud.ClusterState) -> None:
    assert Cluster.from_api(cluster_json(vendor)).state is state


def test_nodes(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # The guide's answer shape, with its numeric pagination fields (0 on the last page).
    fake.on(
        "GET",
        f"{ONE}/nodes",
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
    )
    nodes = list(crdb.clusters.nodes(CLUSTER_ID, region="us-central1", page_size=50))
    assert nodes == [Node("node-1", "us-central1", "LIVE"), Node("node-2", "us-central1", "NOT_READY")]
    assert [n.live for n in nodes] == [True, False]
    (request,) = fake.requests
    assert query(request) == {"region_name": "us-central1", "pagination.limit": "50"}


def test_available_regions_of_the_spec_and_of_the_guide(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    spec_form = {
        "regions": [
            {
                "name": "us-east1",
                "location": "South Carolina",
                "provider": "GCP",
                "serverless": True,
                "distance": 12.5,
            }
        ],
        "pagination": {},
    }
    fake.on("GET", f"{CLUSTERS}/available-regions", spec_form, {"regions": ["us-central1", "europe-west1"]})
    assert list(crdb.clusters.available_regions("gcp")) == [
        Region("us-east1", "GCP", "South Carolina", True, 12.5)
    ]
    assert [r.name for r in crdb.clusters.available_regions("GCP", serverless=True)] == [
        "us-central1",
        "europe-west1",
    ]
    first, second = fake.requests
    assert query(first) == {"provider": "GCP", "serverless": "false"}
    assert query(second) == {"provider": "GCP", "serverless": "true"}


def test_available_regions_refuses_an_unknown_provider(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    with pytest.raises(dbcloud.ValidationError, match="GCP, AWS, AZURE"):
        crdb.clusters.available_regions("IBM")
    assert fake.requests == []


def test_delete_with_and_without_a_body(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # The spec answers with the cluster; the guide says there is no payload. Both are fine.
    fake.on("DELETE", ONE, cluster_json("DELETED"), httpx.Response(200))
    deleted = crdb.clusters.delete(CLUSTER_ID)
    assert deleted is not None
    assert deleted.state is dbcloud.ClusterState.DELETED
    assert crdb.clusters.delete(deleted) is None
    assert [(r.method, r.url.path) for r in fake.requests] == [("DELETE", ONE)] * 2


@pytest.mark.parametrize("bad", ["", "a/../b", "has space", "%2F", "..", 42, None])
def test_bad_cluster_ids_are_refused(crdb: dbcloud.CockroachCloud, fake: FakeCockroach, bad: Any) -> None:
    with pytest.raises(dbcloud.ValidationError, match="cluster id"):
        crdb.clusters.get(bad)
    assert fake.requests == []


# --- create -----------------------------------------------------------------------------------------


def test_create_serverless_with_limits_and_regions(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", CLUSTERS, cluster_json("CREATING"))
    crdb.clusters.create_serverless(
        "moose-two",
        "aws",
        ["us-east-1", "us-west-2"],
        {"request_unit_limit": 50_000_000, "storage_mib_limit": "10240"},
        primary_region="us-east-1",
    )
    assert body(fake.requests[0]) == {
        "name": "moose-two",
        "provider": "AWS",
        "spec": {
            "serverless": {
                "regions": ["us-east-1", "us-west-2"],
                "primary_region": "us-east-1",
                # int64 values travel as strings, as the spec types them.
                "usage_limits": {"request_unit_limit": "50000000", "storage_mib_limit": "10240"},
            }
        },
    }


def test_create_standard_sends_plan_standard(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", CLUSTERS, cluster_json("CREATING", plan="STANDARD"))
    crdb.clusters.create(
        "test-cluster",
        "GCP",
        standard={"regions": ["us-central1"], "usage_limits": UsageLimits(provisioned_virtual_cpus=2)},
        labels={"env": "dev"},
        delete_protection=True,
    )
    # The spec's own CreateClusterRequest example, with plan where the schema puts it (in spec).
    assert body(fake.requests[0]) == {
        "name": "test-cluster",
        "provider": "GCP",
        "spec": {
            "plan": "STANDARD",
            "serverless": {"regions": ["us-central1"], "usage_limits": {"provisioned_virtual_cpus": "2"}},
            "labels": {"env": "dev"},
            "delete_protection": "ENABLED",
        },
    }


def test_create_dedicated(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", CLUSTERS, cluster_json("CREATING", plan="ADVANCED"))
    dedicated = {
        "region_nodes": {"us-east-1": 3},
        "hardware": {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15},
        "cockroach_version": "v24.2",
    }
    crdb.clusters.create("dedicated-one", "AWS", dedicated=dedicated)
    assert body(fake.requests[0]) == {
        "name": "dedicated-one",
        "provider": "AWS",
        "spec": {"dedicated": dedicated},
    }


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"name": "moose"}, "name", "6-20"),
        ({"name": "-notorious-moose"}, "name", "dash"),
        ({"name": "Notorious-Moose"}, "name", "lower-case"),
        ({"provider": "IBM"}, "provider", "GCP, AWS, AZURE"),
        ({"serverless": None}, "spec", "exactly one"),
        ({"dedicated": {"region_nodes": {"a": 1}}}, "spec", "exactly one"),
        ({"serverless": {"regions": []}}, "serverless.regions", "at least one region"),
        ({"serverless": {"regions": ["a", "b"]}}, "serverless", "primary_region is required"),
        ({"serverless": {"regions": ["a"], "primary_region": "b"}}, "serverless", "not one of its regions"),
        ({"serverless": {"regions": ["a"], "region": "b"}}, "serverless", "unknown key"),
        (
            {"serverless": {"regions": ["a"], "usage_limits": {"request_unit_limit": 0}}},
            "serverless.usage_limits.request_unit_limit",
            "1 or more",
        ),
        (
            {"serverless": {"regions": ["a"], "usage_limits": {"cpus": 1}}},
            "serverless.usage_limits",
            "unknown key",
        ),
        ({"serverless": {"regions": ["a"], "upgrade_type": "SOMETIMES"}}, "spec", "UpgradeType"),
        ({"serverless": {"regions": ["a"]}, "labels": {"a": 1}}, "labels", "strings"),
    ],
)
def test_create_is_checked_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, kwargs: dict[str, Any], field: str, text: str
) -> None:
    arguments: dict[str, Any] = {
        "name": "notorious-moose",
        "provider": "GCP",
        "serverless": {"regions": ["us-central1"]},
    }
    arguments.update(kwargs)
    with pytest.raises(dbcloud.ValidationError, match=text) as caught:
        crdb.clusters.create(**arguments)
    assert caught.value.field == field
    assert fake.requests == []


def test_dedicated_needs_nodes_and_hardware(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    with pytest.raises(dbcloud.ValidationError, match="needs hardware"):
        crdb.clusters.create("dedicated-one", "AWS", dedicated={"region_nodes": {"us-east-1": 3}})
    with pytest.raises(dbcloud.ValidationError, match="node count"):
        crdb.clusters.create(
            "dedicated-one", "AWS", dedicated={"region_nodes": {"us-east-1": 0}, "hardware": {}}
        )
    assert fake.requests == []


# --- update -----------------------------------------------------------------------------------------


def test_update_sends_only_the_given_fields(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("PATCH", ONE, cluster_json())
    updated = crdb.clusters.update(CLUSTER_ID, usage_limits={"request_unit_limit": 100_000_000})
    crdb.clusters.update(CLUSTER_ID, dedicated={"region_nodes": {"us-central1": 5}}, labels={})
    crdb.clusters.update(CLUSTER_ID, cockroach_version="v24.3")
    assert updated.usage_limits is not None
    first, second, third = fake.requests
    assert (first.method, first.url.path) == ("PATCH", ONE)
    assert body(first) == {"serverless": {"usage_limits": {"request_unit_limit": "100000000"}}}
    assert body(second) == {"dedicated": {"region_nodes": {"us-central1": 5}}, "labels": {}}
    assert body(third) == {"cockroach_version": "v24.3"}


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({}, "nothing to update"),
        ({"cockroach_version": "v24.3", "upgrade_status": "FINALIZED"}, "not both"),
        ({"upgrade_status": "SOMEDAY"}, "ClusterUpgradeStatusType"),
        (
            {
                "serverless": {"usage_limits": {"storage_mib_limit": 1}},
                "usage_limits": {"storage_mib_limit": 2},
            },
            "once",
        ),
    ],
)
def test_update_is_checked_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, kwargs: dict[str, Any], text: str
) -> None:
    with pytest.raises(dbcloud.ValidationError, match=text):
        crdb.clusters.update(CLUSTER_ID, **kwargs)
    assert fake.requests == []


# --- spend_limit is gone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "instead"),
    [
        (lambda c: c.clusters.set_spend_limit(CLUSTER_ID, 0), "clusters.update("),
        (lambda c: c.clusters.update(CLUSTER_ID, spend_limit=500), "clusters.update("),
        (
            lambda c: c.clusters.create_serverless("notorious-moose", spend_limit=0),
            "clusters.create_serverless(",
        ),
        (
            lambda c: c.clusters.create(
                "notorious-moose", "GCP", serverless={"regions": ["us-central1"]}, spend_limit=0
            ),
            "clusters.create_serverless(",
        ),
        (
            lambda c: c.clusters.create(
                "notorious-moose", "GCP", serverless={"regions": ["us-central1"], "spendLimit": 0}
            ),
            "clusters.create_serverless(",
        ),
        (
            lambda c: c.clusters.create_serverless("notorious-moose", usage_limits={"spend_limit": 0}),
            "clusters.create_serverless(",
        ),
        (lambda c: c.clusters.update(CLUSTER_ID, serverless={"spend_limit": 5}), "clusters.update("),
    ],
)
def test_spend_limit_explains_usage_limits(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, instead: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as caught:
        call(crdb)
    message = str(caught.value)
    assert caught.value.field == "spend_limit"
    assert "usage_limits" in message
    assert "request_unit_limit" in message
    assert "storage_mib_limit" in message
    assert "2024-09-16" in message
    assert "/spend-limit" in message
    assert instead in message
    assert fake.requests == []
