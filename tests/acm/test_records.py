"""ACM's records: plain ids and states, the whole answer at .raw, the generated model at .model."""

from __future__ import annotations

import logging

import pytest

import dbcloud
from dbcloud import _results
from dbcloud.altinity import Cluster, Environment

from .conftest import FakeACM, envelope


def test_a_cluster_without_an_id_is_left_out_of_a_list_with_a_warning(
    acm: dbcloud.Altinity, fake: FakeACM, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_results, "_warned", set())  # the reader warns once per list and process
    fake.on(
        "GET", "/environment/176/clusters", envelope([{"name": "no-id"}, {"id": 9, "name": "ok"}, "junk"])
    )
    with caplog.at_level(logging.WARNING, logger="dbcloud.reading"):
        clusters = list(acm.clusters.list(176))
    assert [c.id for c in clusters] == ["9"]
    assert "cannot be read" in caplog.text


def test_a_get_whose_answer_lacks_the_id_keeps_the_id_it_asked_for(
    acm: dbcloud.Altinity, fake: FakeACM
) -> None:
    # A missing "required" field never fails the call: the id is the one the request named.
    fake.on("GET", "/cluster/9", envelope({"name": "no-id", "status": "online"}))
    fake.on("GET", "/environment/176", envelope({"name": "gke"}))
    cluster = acm.clusters.get("9")
    assert (cluster.id, cluster.state) == ("9", dbcloud.ClusterState.RUNNING)
    assert (acm.environments.get(176).id, acm.environments.get(176).name) == ("176", "gke")


def test_a_launch_answer_without_an_id_is_a_typed_error(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    # Nothing names the new cluster but the answer, so a launch answered without its id fails.
    fake.on("POST", "/environment/176/clusters/launch", envelope({"name": "no-id"}))
    with pytest.raises(dbcloud.APIResponseError, match="without its identifier"):
        acm.clusters.launch(176, name="c", admin_pass="pw", node_type="m5.large", nodes=1, replicas=1, size=1)


def test_an_unknown_status_reads_as_unknown_with_acms_word_kept(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/9", envelope({"id": "9", "name": "c", "status": "hibernating", "nodes": "3"}))
    cluster = acm.clusters.get(9)
    assert cluster.state is dbcloud.ClusterState.UNKNOWN
    assert cluster.status == "hibernating"
    assert cluster.nodes == 3
    assert cluster.raw["status"] == "hibernating"


def test_records_keep_the_answer_and_give_the_generated_model(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    answer = {"id": 176, "name": "gke", "type": "kubernetes", "adminPass": "s3cret-pass", "externalDNS": "1"}
    fake.on("GET", "/environment/176", envelope(answer))
    env = acm.environments.get(176)
    assert isinstance(env, Environment)
    assert (env.id, env.name, env.type) == ("176", "gke", "kubernetes")
    assert env.raw == answer
    assert env.model.external_dns == 1
    assert "s3cret-pass" not in repr(env)  # .raw stays out of the repr


def test_records_compare_by_their_typed_fields() -> None:
    one = Cluster.from_api({"id": 1, "name": "a", "status": "online", "extra": 1})
    same = Cluster.from_api({"id": "1", "name": "a", "status": "online"})
    assert one == same
    assert one.state is dbcloud.ClusterState.RUNNING
