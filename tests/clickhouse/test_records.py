"""ClickHouse Cloud's records: ids as text, states beside the API's word, .raw and .model."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import dbcloud
from dbcloud import _results
from dbcloud.clickhouse import Endpoint, IpAccessEntry, Service

from .conftest import ORG, SVC, FakeCloud, envelope, service

SERVICES = f"/v1/organizations/{ORG}/services"


@pytest.fixture(autouse=True)
def warn_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader warns once per list and process: each test (and flavour) starts with none warned."""
    monkeypatch.setattr(_results, "_warned", set())


def test_a_service_reads_with_plain_types(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    answer = service(
        "running",
        endpoints=[{"protocol": "https", "host": "abc.clickhouse.cloud", "port": 8443}],
        numReplicas="3",
        createdAt="2024-05-01T10:00:00Z",
    )
    fake.on("GET", f"{SERVICES}/{SVC}", envelope(answer))
    got = ch.services.get(SVC)
    assert isinstance(got, Service)
    assert (got.id, got.name, got.state, got.status) == (
        SVC,
        "analytics",
        dbcloud.ClusterState.RUNNING,
        "running",
    )
    assert got.endpoints == (Endpoint("https", "abc.clickhouse.cloud", 8443),)
    assert got.num_replicas == 3
    assert got.created_at is not None
    assert got.created_at.tzinfo is not None
    assert got.raw == answer
    assert str(got.model.id) == SVC


def test_a_service_lifts_its_access_list_and_scaling_shape(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    answer = service(
        "idle",
        autoscalingMode="horizontal",
        minReplicas=1,
        maxReplicas="5",
        ipAccessList=[
            {"source": "10.0.0.0/8", "description": "office"},
            {"source": "192.168.0.1", "description": None},
            "not an entry",
        ],
        dataWarehouseId="wh-1",
        isPrimary=True,
        isReadonly="false",
        releaseChannel="fast",
    )
    fake.on("GET", f"{SERVICES}/{SVC}", envelope(answer))
    got = ch.services.get(SVC)
    assert got.ip_access_list == (
        IpAccessEntry("10.0.0.0/8", "office"),
        IpAccessEntry("192.168.0.1"),
        IpAccessEntry(None),
    )
    assert (got.autoscaling_mode, got.min_replicas, got.max_replicas, got.num_replicas) == (
        "horizontal",
        1,
        5,
        None,
    )
    assert (got.data_warehouse_id, got.is_primary, got.is_readonly, got.release_channel) == (
        "wh-1",
        True,
        False,
        "fast",
    )


@pytest.mark.parametrize("value", [None, "everywhere", {"source": "0.0.0.0/0"}])
def test_an_access_list_that_is_not_a_list_reads_as_none(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, value: Any
) -> None:
    fake.on("GET", f"{SERVICES}/{SVC}", envelope(service(ipAccessList=value, endpoints=value)))
    got = ch.services.get(SVC)
    assert (got.ip_access_list, got.endpoints) == ((), ())


def test_a_listed_service_without_an_id_is_left_out_with_a_warning(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("GET", SERVICES, envelope([service(), {"name": "no id"}]))
    with caplog.at_level(logging.WARNING, logger="dbcloud.reading"):
        assert [s.id for s in ch.services.list()] == [SVC]
    assert "cannot be read" in caplog.text


def test_a_get_whose_answer_lacks_the_id_keeps_the_id_it_asked_for(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud
) -> None:
    # A missing "required" field never fails the call: the id is the one the request named.
    fake.on("GET", f"{SERVICES}/{SVC}", envelope({"name": "analytics", "state": "idle"}))
    got = ch.services.get(SVC)
    assert (got.id, got.state) == (SVC, dbcloud.ClusterState.IDLE)


@pytest.mark.parametrize("misspelt", [{"ip_acess_list": []}, {"colour": "red"}])
def test_a_misspelt_field_is_refused_by_python_before_sending(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, misspelt: dict[str, Any]
) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        ch.services.create(name="x", provider="aws", region="us-east-1", **misspelt)
    assert fake.requests == []
