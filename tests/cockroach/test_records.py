"""CockroachDB's records: plain ids, the whole answer at .raw, the generated model at .model, and
answers without an identifier left out of lists (or read with the id a call asked for)."""

from __future__ import annotations

import datetime
import logging

import httpx
import pytest
from dbcloud_cockroach_client.models.cloud_provider_region import CloudProviderRegion as RegionModel
from dbcloud_cockroach_client.models.cluster import Cluster as ClusterModel
from dbcloud_cockroach_client.models.node import Node as NodeModel

import dbcloud
from dbcloud import _results
from dbcloud.cockroach import Cluster, Node, Region

from .conftest import CLUSTER_ID, FakeCockroach, cluster_json

CLUSTERS = "/api/v1/clusters"
ONE = f"{CLUSTERS}/{CLUSTER_ID}"


@pytest.fixture(autouse=True)
def warn_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader warns once per list and process: each test starts with none warned yet."""
    monkeypatch.setattr(_results, "_warned", set())


def test_a_cluster_without_an_id_is_left_out_of_a_list_with_a_warning(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    no_id = {k: v for k, v in cluster_json(name="no-id-here").items() if k != "id"}
    fake.on(
        "GET", CLUSTERS, {"clusters": [no_id, cluster_json(id="", name="empty-id"), cluster_json(), "junk"]}
    )
    with caplog.at_level(logging.WARNING, logger="dbcloud.reading"):
        clusters = list(crdb.clusters.list())
    assert [c.id for c in clusters] == [CLUSTER_ID]
    assert "cannot be read" in caplog.text


def test_a_get_update_or_delete_without_the_id_keeps_the_id_it_asked_for(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    # A missing "required" field never fails the call: the id is the one the request named.
    no_id = {k: v for k, v in cluster_json().items() if k != "id"}
    fake.on("GET", ONE, no_id)
    fake.on("PATCH", ONE, no_id)
    fake.on("DELETE", ONE, {**no_id, "state": "DELETED"})
    got = crdb.clusters.get(CLUSTER_ID)
    assert (got.id, got.name, got.state) == (CLUSTER_ID, "notorious-moose", dbcloud.ClusterState.RUNNING)
    assert crdb.clusters.update(CLUSTER_ID, labels={"team": "data"}).id == CLUSTER_ID
    deleted = crdb.clusters.delete(CLUSTER_ID)
    assert deleted is not None
    assert (deleted.id, deleted.state) == (CLUSTER_ID, dbcloud.ClusterState.DELETED)


def test_a_create_answer_without_an_id_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    # Nothing names the new cluster but the answer, so a create answered without its id fails.
    fake.on("POST", CLUSTERS, {"name": "notorious-moose", "state": "CREATING"})
    with pytest.raises(dbcloud.APIResponseError, match="without its identifier"):
        crdb.clusters.create_serverless("notorious-moose")


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("PATCH", ONE, httpx.Response(200, json=["not", "a", "cluster"]))
    with pytest.raises(dbcloud.APIResponseError):
        crdb.clusters.update(CLUSTER_ID, labels={})


def test_records_read_their_values_with_the_shared_readers() -> None:
    cluster = Cluster.from_api(
        cluster_json(
            plan="",  # an empty word is no word
            cockroach_version=24,  # a number where text belongs is read as its text
            created_at="2024-10-01T10:00:00Z",
            updated_at="2024-10-01T10:05:00",  # no offset: read as UTC
            deleted_at="not a time",
            config={"dedicated": {"machine_type": "n2-standard-4", "memory_gib": "16.5"}},
        )
    )
    assert cluster.plan is None
    assert cluster.cockroach_version == "24"
    assert cluster.created_at == datetime.datetime(2024, 10, 1, 10, 0, tzinfo=datetime.UTC)
    assert cluster.updated_at == datetime.datetime(2024, 10, 1, 10, 5, tzinfo=datetime.UTC)
    assert cluster.deleted_at is None
    assert cluster.hardware is not None
    assert (cluster.hardware.machine_type, cluster.hardware.memory_gib) == ("n2-standard-4", 16.5)


def test_records_keep_the_answer_and_give_the_generated_model(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    node = {"name": "node-1", "region_name": "us-central1", "status": "LIVE", "extra": 1}
    region = {
        "name": "us-east1",
        "location": "South Carolina",
        "provider": "GCP",
        "serverless": True,
        "distance": 1,
    }
    fake.on("GET", ONE, cluster_json())
    fake.on("GET", f"{ONE}/nodes", {"nodes": [node]})
    fake.on("GET", f"{CLUSTERS}/available-regions", {"regions": [region, "europe-west1"]})

    cluster = crdb.clusters.get(CLUSTER_ID)
    assert isinstance(cluster.model, ClusterModel)
    assert cluster.model.cockroach_version == "v24.2.4"

    (read_node,) = crdb.clusters.nodes(CLUSTER_ID)
    assert (read_node.id, read_node.raw) == ("node-1", node)
    assert isinstance(read_node.model, NodeModel)
    assert read_node.model.region_name == "us-central1"

    spec_form, guide_form = crdb.clusters.available_regions()
    assert (spec_form.id, spec_form.raw) == ("us-east1", region)
    assert isinstance(spec_form.model, RegionModel)
    assert spec_form.model.location == "South Carolina"
    assert (guide_form, guide_form.raw) == (Region("europe-west1"), {"name": "europe-west1"})
    assert "extra" not in repr(read_node)
    assert "raw" not in repr(spec_form)


def test_a_node_or_region_without_a_name_is_left_out(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("GET", f"{ONE}/nodes", {"nodes": [{"status": "LIVE"}, {"name": "node-2", "status": "LIVE"}]})
    fake.on("GET", f"{CLUSTERS}/available-regions", {"regions": [{"provider": "GCP"}, "", 7, "us-west1"]})
    with caplog.at_level(logging.WARNING, logger="dbcloud.reading"):
        assert list(crdb.clusters.nodes(CLUSTER_ID)) == [Node("node-2", status="LIVE")]
        assert list(crdb.clusters.available_regions()) == [Region("us-west1")]
    assert "cannot be read" in caplog.text
