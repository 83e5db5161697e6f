"""The CockroachDB Cloud facade end to end against the emulator, over real loopback HTTP."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator, Fault
from dbcloud.emulator.cockroach import (
    DEDICATED_SECONDS,
    DELETED_SECONDS,
    SCALE_SECONDS,
    SERVERLESS_SECONDS,
    UPGRADE_SECONDS,
)
from tests._bridge import Flavour
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

API = "cockroach"
DEDICATED = {
    "region_nodes": {"us-central1": 3},
    "hardware": {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15},
}


def ticking(emu: Emulator, seconds: float, seen: list[str] | None = None) -> dict[str, Any]:
    """Wait arguments that move the emulated clock `seconds` forward after every poll."""

    def on_progress(progress: dbcloud.Progress) -> None:
        if seen is not None:
            seen.append(progress.state)
        emu.advance(seconds)

    return {"interval": 0.01, "max_interval": 0.01, "timeout": 30, "on_progress": on_progress}


def dedicated(cc: dbcloud.CockroachCloud, emu: Emulator, name: str, **spec: Any) -> dbcloud.cockroach.Cluster:
    cluster = cc.clusters.create(unique(name), "GCP", dedicated={**DEDICATED, **spec})
    emu.advance(DEDICATED_SECONDS)
    return cluster


# --- the lifecycles ------------------------------------------------------------------------------


def test_the_guides_notorious_moose_end_to_end(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    creates = emu.stats()[API]["creates"]
    cluster = cc.clusters.create_serverless("notorious-moose")
    assert emu.stats()[API]["creates"] == creates + 1
    assert (cluster.vendor_state, cluster.plan, cluster.cloud_provider) == ("CREATING", "BASIC", "GCP")
    assert cluster.state is dbcloud.ClusterState.PROVISIONING
    assert [r.name for r in cluster.regions] == ["us-central1"]
    assert cluster.routing_id
    assert cluster.routing_id.startswith("notorious-moose-")
    seen: list[str] = []
    ready = cc.clusters.wait_until_ready(cluster.id, **ticking(emu, SERVERLESS_SECONDS / 3, seen))
    assert ready.vendor_state == "CREATED"
    assert ready.state is dbcloud.ClusterState.RUNNING
    assert seen[0] == "CREATING"
    assert seen[-1] == "CREATED"
    assert len(seen) >= 3
    assert cc.clusters.get(cluster.id) == ready
    assert list(cc.clusters.nodes(cluster.id)) == []  # serverless clusters have no nodes to list
    assert ready.id in {c.id for c in cc.clusters.list()}

    deleted = cc.clusters.delete(cluster.id)
    assert deleted is not None
    assert deleted.vendor_state == "DELETED"
    assert deleted.deleted_at is not None
    cc.clusters.wait_until_deleted(cluster.id, interval=0.01, timeout=30)  # seen as DELETED
    emu.advance(DELETED_SECONDS)
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        cc.clusters.get(cluster.id)
    cc.clusters.wait_until_deleted(cluster.id, interval=0.01, timeout=30)  # seen as gone
    assert cluster.id not in {c.id for c in cc.clusters.list()}
    inactive = {c.id: c.vendor_state for c in cc.clusters.list(show_inactive=True)}
    assert inactive[cluster.id] == "DELETED"
    # The name is free again once its cluster is deleted.
    again = cc.clusters.create_serverless("notorious-moose", usage_limits={"request_unit_limit": 5})
    cc.clusters.delete(again.id)


def test_a_failed_creation_raises_cluster_failed(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    emu.fail_next_launch(API)
    cluster = cc.clusters.create_serverless(unique("doomed"), "AWS", ["us-east-1"])
    assert cluster.vendor_state == "CREATING"
    with pytest.raises(dbcloud.ClusterFailed, match="CREATION_FAILED"):
        cc.clusters.wait_until_ready(cluster.id, **ticking(emu, SERVERLESS_SECONDS))
    assert cluster.id not in {c.id for c in cc.clusters.list()}
    assert cluster.id in {c.id for c in cc.clusters.list(show_inactive=True)}
    # The failure is used up: the next cluster comes up.
    fine = cc.clusters.create_serverless(unique("fine"), "AWS", ["us-east-1"])
    assert cc.clusters.wait_until_ready(fine.id, **ticking(emu, SERVERLESS_SECONDS)).vendor_state == "CREATED"


def test_standard_cluster_and_serverless_updates(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    name = unique("standard")
    cluster = cc.clusters.create(
        name, "gcp", standard={"regions": ["us-west2"], "usage_limits": {"provisioned_virtual_cpus": 4}}
    )
    assert cluster.plan == "STANDARD"
    assert cluster.usage_limits == dbcloud.cockroach.UsageLimits(provisioned_virtual_cpus=4)
    with pytest.raises(dbcloud.BadRequestError, match="while it is CREATING"):
        cc.clusters.update(cluster.id, labels={"env": "dev"})
    emu.advance(SERVERLESS_SECONDS)

    limited = cc.clusters.update(cluster.id, usage_limits={"storage_mib_limit": 10_240})
    assert limited.usage_limits == dbcloud.cockroach.UsageLimits(
        storage_mib_limit=10_240, provisioned_virtual_cpus=4
    )
    # int64 values travel as decimal strings.
    assert limited.raw["config"]["serverless"]["usage_limits"]["storage_mib_limit"] == "10240"
    multi = cc.clusters.update(
        cluster.id,
        serverless={
            "regions": ["us-west2", "us-east1"],
            "primary_region": "us-east1",
            "upgrade_type": "MANUAL",
        },
    )
    assert {(r.name, r.primary) for r in multi.regions} == {("us-west2", False), ("us-east1", True)}
    assert multi.raw["config"]["serverless"]["upgrade_type"] == "MANUAL"
    with pytest.raises(dbcloud.BadRequestError, match="regions cannot be removed"):
        cc.clusters.update(cluster.id, serverless={"regions": ["us-east1"]})
    basic = cc.clusters.update(cluster.id, plan="basic")
    assert basic.plan == "BASIC"
    assert basic.usage_limits == dbcloud.cockroach.UsageLimits(storage_mib_limit=10_240)
    with pytest.raises(dbcloud.BadRequestError, match="cannot move to the ADVANCED plan"):
        cc.clusters.update(cluster.id, plan="ADVANCED")
    with pytest.raises(dbcloud.BadRequestError, match="dedicated settings"):
        cc.clusters.update(cluster.id, dedicated={"region_nodes": {"us-west2": 3}})
    tagged = cc.clusters.update(cluster.id, labels={"team": "data"}, parent_id="folder-1")
    assert (tagged.labels, tagged.parent_id) == ({"team": "data"}, "folder-1")


def test_advanced_cluster_nodes_resize_and_upgrade(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    name = unique("advanced")
    cluster = cc.clusters.create(
        name,
        "GCP",
        dedicated={
            **DEDICATED,
            "region_nodes": {"us-central1": 3, "us-east1": 3},
            "cockroach_version": "v24.1",
        },
    )
    assert (cluster.plan, cluster.vendor_state, cluster.cockroach_version) == (
        "ADVANCED",
        "CREATING",
        "v24.1.6",
    )
    assert cluster.hardware == dbcloud.cockroach.DedicatedHardware(
        machine_type="n2-standard-4", num_virtual_cpus=4, memory_gib=16.0, storage_gib=15, disk_iops=0
    )
    assert {(r.name, r.node_count) for r in cluster.regions} == {("us-central1", 3), ("us-east1", 3)}
    nodes = list(cc.clusters.nodes(cluster.id))
    assert len(nodes) == 6
    assert not any(n.live for n in nodes)
    # Dedicated clusters take four times as long as serverless ones.
    emu.advance(SERVERLESS_SECONDS)
    assert cc.clusters.get(cluster.id).vendor_state == "CREATING"
    ready = cc.clusters.wait_until_ready(cluster.id, **ticking(emu, DEDICATED_SECONDS / 4))
    assert ready.upgrade_status == "UPGRADE_AVAILABLE"
    east = list(cc.clusters.nodes(cluster.id, region="us-east1"))
    assert [n.name for n in east] == [f"{name}-us-east1-{i}" for i in (1, 2, 3)]
    assert all(n.live and n.region_name == "us-east1" for n in east)
    pages = list(cc.clusters.nodes(cluster.id, page_size=4).pages())
    assert [len(p) for p in pages] == [4, 2]
    assert pages[0].next_page
    assert pages[1].next_page is None

    resized = cc.clusters.update(
        cluster.id,
        dedicated={"region_nodes": {"us-central1": 5, "us-east1": 3}, "hardware": {"storage_gib": 30}},
    )
    assert (resized.vendor_state, resized.operation_status) == ("LOCKED", "CRDB_SCALE_RUNNING")
    assert resized.state is dbcloud.ClusterState.UPDATING
    assert resized.hardware is not None
    assert resized.hardware.storage_gib == 30
    central = list(cc.clusters.nodes(cluster.id, region="us-central1"))
    assert [n.status for n in central] == ["LIVE"] * 3 + ["NOT_READY"] * 2
    with pytest.raises(dbcloud.BadRequestError, match="LOCKED"):
        cc.clusters.update(cluster.id, labels={"x": "y"})
    assert (
        cc.clusters.wait_until_ready(cluster.id, **ticking(emu, SCALE_SECONDS / 2)).vendor_state == "CREATED"
    )
    assert all(n.live for n in cc.clusters.nodes(cluster.id))

    upgrading = cc.clusters.update(cluster.id, cockroach_version="v24.2")
    assert (upgrading.upgrade_status, upgrading.operation_status) == (
        "MAJOR_UPGRADE_RUNNING",
        "CRDB_MAJOR_UPGRADE_RUNNING",
    )
    emu.advance(UPGRADE_SECONDS)
    pending = cc.clusters.get(cluster.id)
    assert (pending.cockroach_version, pending.upgrade_status) == ("v24.2.4", "PENDING_FINALIZATION")
    rolling_back = cc.clusters.update(cluster.id, cockroach_version="v24.1")
    assert rolling_back.upgrade_status == "ROLLBACK_RUNNING"
    emu.advance(UPGRADE_SECONDS)
    assert cc.clusters.get(cluster.id).cockroach_version == "v24.1.6"
    cc.clusters.update(cluster.id, cockroach_version="v24.2")
    emu.advance(UPGRADE_SECONDS)
    finalized = cc.clusters.update(cluster.id, upgrade_status="FINALIZED")
    assert (finalized.cockroach_version, finalized.upgrade_status) == ("v24.2.4", "FINALIZED")
    with pytest.raises(dbcloud.BadRequestError, match="one major version at a time"):
        cc.clusters.update(cluster.id, cockroach_version="v23.2")


def test_delete_protection(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = cc.clusters.create_serverless(unique("guarded"))
    emu.advance(SERVERLESS_SECONDS)
    assert cc.clusters.update(cluster.id, delete_protection=True).delete_protection == "ENABLED"
    with pytest.raises(dbcloud.BadRequestError, match="delete protection"):
        cc.clusters.delete(cluster.id)
    cc.clusters.update(cluster.id, delete_protection=False)
    deleted = cc.clusters.delete(cluster)
    assert deleted is not None
    assert deleted.vendor_state == "DELETED"


def test_the_spend_limit_is_refused_before_anything_is_sent(
    cc: dbcloud.CockroachCloud, emu: Emulator
) -> None:
    before = emu.stats()[API]["requests"]
    with pytest.raises(dbcloud.ValidationError, match="usage_limits"):
        cc.clusters.set_spend_limit("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", 0)
    with pytest.raises(dbcloud.ValidationError, match="usage_limits"):
        cc.clusters.create_serverless("notorious-moose", spend_limit=0)
    assert emu.stats()[API]["requests"] == before


# --- lists ---------------------------------------------------------------------------------------


def test_list_walks_every_page(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    stem = unique("paged")
    created = [cc.clusters.create_serverless(f"{stem}-{i}").id for i in range(5)]
    everything = [c.id for c in cc.clusters.list()]
    pages = list(cc.clusters.list(page_size=2).pages())
    assert len(pages) >= 3
    assert all(len(p) <= 2 for p in pages)
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert pages[-1].next_page is None
    assert all(p.next_page for p in pages[:-1])
    walked = [c for p in pages for c in p]
    assert [c.id for c in walked] == everything  # sorted by name, no page lost or repeated
    assert [c.name for c in walked] == sorted(c.name for c in walked)
    assert set(created) <= set(everything)

    newest_first = [c.id for c in cc.clusters.list(page_size=2, sort_by="created_at", sort_order="desc")]
    assert newest_first[:5] == created[::-1]
    cc.clusters.delete(created[0])
    by_deletion = [c.id for c in cc.clusters.list(show_inactive=True, sort_by="DELETED_AT", page_size=3)]
    # Active clusters sort by their creation; the one just deleted comes last.
    assert by_deletion[-2:] == [created[-1], created[0]]


def test_list_as_of_time(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    early = cc.clusters.create_serverless(unique("early"))
    emu.advance(100)
    late = cc.clusters.create_serverless(unique("late"))
    assert early.created_at is not None
    as_of = early.created_at + dt.timedelta(seconds=50)
    listed = {c.id for c in cc.clusters.list(as_of_time=as_of, page_size=3)}
    assert early.id in listed
    assert late.id not in listed


def test_available_regions(cc: dbcloud.CockroachCloud) -> None:
    gcp = list(cc.clusters.available_regions("GCP", page_size=2))
    assert len(gcp) == 6
    assert {r.provider for r in gcp} == {"GCP"}
    distances = [r.distance or 0.0 for r in gcp]
    assert distances == sorted(distances)  # nearest first
    assert gcp[0] == dbcloud.cockroach.Region("us-central1", "GCP", "Iowa", True, 210.5)
    serverless = list(cc.clusters.available_regions("aws", serverless=True))
    assert serverless
    assert all(r.serverless for r in serverless)
    assert "ca-central-1" not in {r.name for r in serverless}
    every = list(cc.clusters.available_regions())
    assert {r.provider for r in every} == {"GCP", "AWS", "AZURE"}


def test_the_emulator_refuses_what_the_api_refuses(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="does not offer the BASIC plan"):
        cc.clusters.create_serverless(unique("nowhere"), "GCP", ["southamerica-east1"])
    with pytest.raises(dbcloud.BadRequestError, match="not available on AWS"):
        cc.clusters.create_serverless(unique("wrongcloud"), "AWS", ["us-central1"])
    with pytest.raises(dbcloud.BadRequestError, match="3 nodes in each region"):
        cc.clusters.create(
            unique("thin"), "GCP", dedicated={**DEDICATED, "region_nodes": {"us-central1": 1, "us-east1": 3}}
        )
    name = unique("taken")
    cc.clusters.create_serverless(name)
    with pytest.raises(dbcloud.ConflictError, match="already exists"):
        cc.clusters.create_serverless(name)
    with pytest.raises(dbcloud.NotFoundError):
        cc.clusters.get("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    with pytest.raises(dbcloud.NotFoundError):
        list(cc.clusters.nodes("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))


def test_a_wrong_key_is_refused(emu: Emulator) -> None:
    client = dbcloud.CockroachCloud(api_key="not-the-key", base_url=emu.env["COCKROACH_SERVER"])
    with client, pytest.raises(dbcloud.AuthenticationError) as caught:
        client.clusters.get("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    assert caught.value.body == {"code": 16, "message": "missing or invalid credentials", "details": []}


# --- faults --------------------------------------------------------------------------------------


def test_reads_survive_5xx_and_resets(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    emu.add_fault(API, Fault("503", count=2, methods=("GET",)))
    assert list(cc.clusters.available_regions("AZURE"))
    emu.add_fault(API, Fault("reset", count=1, methods=("GET",)))
    emu.add_fault(API, Fault("429", count=1, retry_after=0.01, methods=("GET",)))
    assert list(cc.clusters.available_regions("AZURE"))


def test_a_rate_limited_create_is_sent_once_more_and_creates_once(
    cc: dbcloud.CockroachCloud, emu: Emulator, flavour: Flavour
) -> None:
    waits: list[float] = []
    flavour.set_sleep(cc, waits.append)
    before = emu.stats()[API]
    emu.add_fault(API, Fault("429", count=1, retry_after=7, methods=("POST",)))
    cc.clusters.create_serverless(unique("limited"))
    after = emu.stats()[API]
    assert after["creates"] == before["creates"] + 1
    assert after["faults_injected"] == before["faults_injected"] + 1
    assert after["requests"] == before["requests"] + 1  # the fault answered the first attempt
    assert waits == [7]


def test_a_rate_limit_that_outlasts_the_retries_is_surfaced_with_its_wait(
    cc: dbcloud.CockroachCloud, emu: Emulator, flavour: Flavour
) -> None:
    flavour.set_sleep(cc, lambda seconds: None)
    creates = emu.stats()[API]["creates"]
    emu.add_fault(API, Fault("429", count=1, retry_after=7, methods=("POST",)))
    with pytest.raises(dbcloud.RateLimitError) as caught:
        cc.with_options(max_retries=0).clusters.create_serverless(unique("limited"))
    assert caught.value.retry_after == 7.0
    assert caught.value.body is not None
    assert caught.value.body["code"] == 8
    assert emu.stats()[API]["creates"] == creates


@pytest.mark.parametrize("kind", ["503", "reset"])
def test_a_create_is_attempted_exactly_once(cc: dbcloud.CockroachCloud, emu: Emulator, kind: str) -> None:
    creates = emu.stats()[API]["creates"]
    emu.add_fault(API, Fault(kind, count=1, methods=("POST",)))
    with pytest.raises(dbcloud.APIError):
        cc.clusters.create_serverless(unique(f"once-{kind}"))
    assert emu.stats()[API]["creates"] == creates


# --- bad input never makes a 500 -----------------------------------------------------------------

_CREATE = "/api/v1/clusters"


@pytest.mark.parametrize(
    ("method", "path", "content", "status"),
    [
        ("POST", _CREATE, b"{not json", 400),
        ("POST", _CREATE, b'["a", "list"]', 400),
        ("POST", _CREATE, b'{"name": 5, "provider": "GCP", "spec": {}}', 400),
        ("POST", _CREATE, b'{"name": "abcdef", "provider": "MARS", "spec": {}}', 400),
        ("POST", _CREATE, b'{"name": "abcdef", "provider": "GCP", "spec": {}}', 400),
        (
            "POST",
            _CREATE,
            b'{"name": "ab", "provider": "GCP", "spec": {"serverless": {"regions": ["us-central1"]}}}',
            400,
        ),
        (
            "POST",
            _CREATE,
            b'{"name": "abcdef", "provider": "GCP", "spec": {"serverless": {"regions": "us-central1"}}}',
            400,
        ),
        (
            "POST",
            _CREATE,
            b'{"name": "abcdef", "provider": "GCP", "spec": {"serverless": {"regions": ["us-central1"], '
            b'"usage_limits": {"request_unit_limit": "0"}}}}',
            400,
        ),
        (
            "POST",
            _CREATE,
            b'{"name": "abcdef", "provider": "GCP", "spec": {"dedicated": '
            b'{"region_nodes": {"us-central1": "3"}, "hardware": {"machine_spec": {}, "storage_gib": 15}}}}',
            400,
        ),
        ("POST", _CREATE, b'{"name": null, "provider": "GCP", "spec": {"serverless": {"regions": []}}}', 400),
        (
            "POST",
            _CREATE,
            b'{"name": "abcdef", "provider": "GCP", "spec": {"serverless": {"regions": null}}}',
            400,
        ),
        (
            "POST",
            _CREATE,
            b'{"name": "abcdef", "provider": "GCP", "spec": {"dedicated": {"region_nodes": {"us-east1": 3}, '
            b'"hardware": {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": [15]}}}}',
            400,
        ),
        ("POST", _CREATE, b"x" * (1 << 21), 413),
        ("GET", "/api/v1/clusters/..%2F..%2Fetc", None, 404),
        ("GET", "/api/v1/clusters/%2e%2e", None, 404),
        ("GET", "/api/v1/clusters?pagination.page=bm90LWEtdG9rZW4", None, 400),
        ("GET", "/api/v1/clusters?pagination.page=WyJjbHVzdGVyczpOQU1FIiwgWzEsIDJdXQ", None, 400),
        ("GET", "/api/v1/clusters?pagination.limit=-1", None, 400),
        ("GET", "/api/v1/clusters?pagination.limit=many", None, 400),
        ("GET", "/api/v1/clusters?pagination.sort_by=SIZE", None, 400),
        ("GET", "/api/v1/clusters?pagination.as_of_time=yesterday", None, 400),
        ("GET", "/api/v1/clusters/available-regions?provider=IBM", None, 400),
        ("GET", "/api/v1/no/such/endpoint", None, 404),
        ("PUT", "/api/v1/clusters", None, 405),
    ],
)
def test_bad_requests_get_the_vendors_errors(
    emu: Emulator, method: str, path: str, content: bytes | None, status: int
) -> None:
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}", "Content-Type": "application/json"}
    response = httpx.request(method, emu.env["COCKROACH_SERVER"] + path, content=content, headers=headers)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert isinstance(body["code"], int)
    assert body["message"]


def test_the_guides_old_spend_limit_body_is_refused(emu: Emulator) -> None:
    # The guide's notorious-moose body as printed: API version 2024-09-16 has no spendLimit.
    body = {
        "name": "notorious-moose",
        "provider": "GCP",
        "spec": {"serverless": {"regions": ["us-central1"], "spendLimit": 0}},
    }
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}", "Cc-Version": "2024-09-16"}
    response = httpx.post(emu.env["COCKROACH_SERVER"] + _CREATE, json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == 3
    assert "spendLimit" in response.json()["message"]
    assert "usage_limits" in response.json()["message"]


def test_the_cc_version_header(emu: Emulator) -> None:
    url = emu.env["COCKROACH_SERVER"] + "/api/v1/clusters/available-regions"
    auth = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}"}
    assert httpx.get(url, headers=auth).status_code == 200
    assert httpx.get(url, headers={**auth, "Cc-Version": "2024-09-16"}).status_code == 200
    refused = httpx.get(url, headers={**auth, "Cc-Version": "latest"})
    assert refused.status_code == 400
    assert "Cc-Version" in refused.json()["message"]


# --- the stateful answers validate against the vendor's spec ---------------------------------------


def test_stateful_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    emu.fail_next_launch(API)
    failed = cc.clusters.create_serverless(unique("failing"))
    basic = cc.clusters.create_serverless(
        unique("valid"), usage_limits={"request_unit_limit": 1, "storage_mib_limit": 2}
    )
    standard = cc.clusters.create(
        unique("valid-std"),
        "AZURE",
        standard={"regions": ["eastus2", "westeurope"], "primary_region": "eastus2"},
    )
    advanced = dedicated(cc, emu, "valid-adv", network_visibility="PRIVATE", restrict_egress_traffic=True)
    removed = cc.clusters.delete(cc.clusters.create_serverless(unique("removed")))
    assert removed is not None
    for cluster in (failed, basic, standard, advanced, removed):
        check("Cluster", cluster.raw)
        check("Cluster", cc.clusters.get(cluster.id).raw)
    check(
        "ListClustersResponse",
        cc.request("GET", _CREATE, params={"show_inactive": "true", "pagination.limit": 2}).json(),
    )
    check(
        "ListClusterNodesResponse",
        cc.request("GET", f"{_CREATE}/{advanced.id}/nodes", params={"pagination.limit": 1}).json(),
    )
    check("ListAvailableRegionsResponse", cc.request("GET", f"{_CREATE}/available-regions").json())
