"""ClickHouse Cloud service states and waits."""

from __future__ import annotations

import pytest
from dbcloud_clickhouse_client.models import ServiceState

import dbcloud
from dbcloud import ClusterState
from dbcloud.clickhouse import STATE_TABLE

from .conftest import ORG, SVC, Clock, FakeCloud, envelope, failure, org_id_of, service

S = f"/v1/organizations/{ORG}/services/{SVC}"

SPEC_STATES = {
    "starting",
    "stopping",
    "terminating",
    "softdeleting",
    "awaking",
    "partially_running",
    "provisioning",
    "running",
    "stopped",
    "terminated",
    "softdeleted",
    "degraded",
    "failed",
    "idle",
}


def test_every_state_of_the_spec_is_mapped() -> None:
    assert set(STATE_TABLE) == SPEC_STATES
    assert ClusterState.UNKNOWN not in STATE_TABLE.values()


def test_state_maps_to_cluster_state(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service("idle"), service("softdeleting"))
    assert ch.services.state(SVC) is ClusterState.IDLE
    assert ch.services.state(SVC) is ClusterState.DELETING


def test_an_unknown_state_is_unknown_not_a_crash(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service("hibernating", region="mars-north-1"))
    got = ch.services.get(SVC)
    assert ch.services.state(SVC) is ClusterState.UNKNOWN
    # The values the spec does not list yet stay readable: the API's word beside UNKNOWN, and the
    # generated model keeps it as a member of its enum.
    assert got.state is ClusterState.UNKNOWN
    assert got.status == "hibernating"
    assert got.model.state == "hibernating"
    assert isinstance(got.model.state, ServiceState)
    assert got.region == "mars-north-1"
    assert got.name == "analytics"


def test_wait_until_ready(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    fake.on("GET", S, service("provisioning"), service("starting"), service("running"))
    seen: list[str] = []
    ready = ch.services.wait_until_ready(SVC, timeout=600, on_progress=lambda p: seen.append(p.state))
    assert ready.name == "analytics"
    assert seen == ["provisioning", "starting", "running"]
    assert clock.sleeps == [5.0, 7.5]


def test_wait_until_ready_accepts_idle_unless_told_not_to(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock
) -> None:
    fake.on("GET", S, service("idle"))
    assert ch.services.wait_until_ready(SVC).state == "idle"
    with pytest.raises(dbcloud.WaitTimeout, match="last state: idle"):
        ch.services.wait_until_ready(SVC, idle_ok=False, timeout=60)


def test_wait_times_out_at_the_deadline(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock) -> None:
    fake.on("GET", S, service("provisioning"))
    start = clock.now
    with pytest.raises(dbcloud.WaitTimeout, match="provisioning") as caught:
        ch.services.wait_until_ready(SVC, timeout=100)
    assert clock.now - start == 100
    assert caught.value.last_state.state == "provisioning"


def test_a_failed_service_ends_the_wait(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service("provisioning"), service("failed"))
    with pytest.raises(dbcloud.ClusterFailed, match="failed"):
        ch.services.wait_until_ready(SVC)


def test_a_deletion_ends_a_wait_for_another_state(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service("terminating"))
    with pytest.raises(dbcloud.ClusterFailed, match="being deleted"):
        ch.services.wait_until(SVC, "stopped")


@pytest.mark.parametrize("state", [ClusterState.STOPPED, "stopped", "STOPPED"])
def test_wait_until_a_state(ch: dbcloud.ClickHouseCloud, fake: FakeCloud, state: ClusterState | str) -> None:
    fake.on("GET", S, service("stopping"), service("stopped"))
    got = ch.services.wait_until(SVC, state, timeout=60)
    assert got is not None
    assert got.state == "stopped"


def test_delete_waits_until_the_service_is_gone(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", S, envelope())
    fake.on("GET", S, service("terminating"), failure(404, "Service not found"))
    seen: list[str] = []
    ch.services.delete(SVC, wait=True)
    assert [r.method for r in fake.requests] == ["DELETE", "GET", "GET"]
    assert ch.services.wait_until(SVC, "deleted", on_progress=lambda p: seen.append(p.state)) is None
    assert seen == ["gone"]


def test_a_terminated_service_counts_as_deleted(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, service("terminating"), service("terminated"))
    got = ch.services.wait_until(SVC, ClusterState.DELETED)
    assert got is not None
    assert got.status == "terminated"
    assert got.state is ClusterState.DELETED


def test_not_found_ends_other_waits_with_an_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", S, failure(404, "Service not found"))
    with pytest.raises(dbcloud.NotFoundError):
        ch.services.wait_until_ready(SVC)


def test_with_options_keeps_the_organization_and_clock(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, clock: Clock
) -> None:
    fake.on("GET", S, service("starting"), service("running"))
    quick = ch.with_options(timeout=5, max_retries=0)
    quick.services.wait_until_ready(SVC)
    assert org_id_of(quick) == ORG
    assert clock.sleeps == [5.0]
