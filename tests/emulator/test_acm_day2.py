"""ACM day-2 cluster operations against the emulator, over real loopback HTTP, on both flavours.

The emulated clock stands still: tests move it with `emu.advance`, and a wait's pause moves it by
`STEP` emulated seconds instead of sleeping, so what a test sees does not depend on how fast the
machine runs it, and no test sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import dbcloud
from dbcloud.altinity import AsyncAltinity
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.acm import LAUNCH_SECONDS
from tests._bridge import Flavour

STEP = 30.0
LONGEST = 600.0  # the longest day-2 operation (an upgrade), in emulated seconds


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=1) as emulator, emulator.paused_clock():
        yield emulator


@pytest.fixture
def acm(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.Altinity]:
    emu.clear_faults()
    with flavour.client(
        dbcloud.Altinity, AsyncAltinity, token=emu.env["ACM_API_KEY"], base_url=emu.env["ACM_API_URL"]
    ) as client:
        flavour.set_sleep(client, lambda seconds: emu.advance(STEP))
        yield client


def ready_cluster(acm: dbcloud.Altinity, emu: Emulator, name: str) -> str:
    cluster = acm.clusters.launch(
        176,
        name=name,
        admin_pass="pw-1234567",
        node_type="m5.large",
        nodes=2,
        replicas=2,
        size=100,
        version="24.3",
    )
    emu.advance(LAUNCH_SECONDS + 1)  # + 1: clear of float rounding
    assert acm.clusters.status(cluster.id).ready
    return cluster.id


def test_rescale_goes_pending_then_online_with_the_new_size(acm: dbcloud.Altinity, emu: Emulator) -> None:
    cid = ready_cluster(acm, emu, "rescaled")
    got = acm.clusters.rescale(cid, shards=2, node_type="n2d-standard-4", size=200)
    assert (got.status, got.state, got.nodes, got.shards) == (
        "pending",
        dbcloud.ClusterState.PENDING,
        4,
        2,
    )
    status = acm.clusters.status(cid)
    assert (status.last_action, status.action_done, status.ready) == ("rescale", False, False)
    with pytest.raises(dbcloud.APIStatusError, match="running action: Rescale cluster"):
        acm.clusters.stop(cid)
    emu.advance(LONGEST)
    status = acm.clusters.status(cid)
    assert (status.state, status.action_done, status.ready) == (dbcloud.ClusterState.RUNNING, True, True)
    assert acm.clusters.rescale(cid, replicas=3, wait=True, timeout=120).nodes == 6


def test_rescale_refusals(acm: dbcloud.Altinity, emu: Emulator) -> None:
    cid = ready_cluster(acm, emu, "refusals")
    with pytest.raises(dbcloud.APIStatusError, match="Unknown node type"):
        acm.clusters.rescale(cid, node_type="m9.colossal")
    with pytest.raises(dbcloud.APIStatusError, match="Storage cannot shrink"):
        acm.clusters.rescale(cid, size=50)
    with pytest.raises(dbcloud.APIStatusError, match="Nothing to rescale"):
        acm.clusters.rescale(cid, replicas=2)
    with pytest.raises(dbcloud.NotFoundError):
        acm.clusters.rescale(999999, replicas=2)


def test_upgrade_restart_stop_resume(acm: dbcloud.Altinity, emu: Emulator) -> None:
    cid = ready_cluster(acm, emu, "day-two")
    with pytest.raises(dbcloud.APIStatusError, match=r"already runs version 24\.3"):
        acm.clusters.upgrade(cid, "24.3")
    assert acm.clusters.upgrade(cid, "24.8", wait=True, timeout=120).version == "24.8"
    assert acm.clusters.restart(cid, wait=True, timeout=120).state is dbcloud.ClusterState.RUNNING
    with pytest.raises(dbcloud.APIStatusError, match="not stopped"):
        acm.clusters.resume(cid)
    assert acm.clusters.stop(cid).status == "stopping"
    emu.advance(LONGEST)
    assert acm.clusters.get(cid).state is dbcloud.ClusterState.STOPPED
    with pytest.raises(dbcloud.APIStatusError, match="already stopped"):
        acm.clusters.stop(cid)
    for refused in (lambda: acm.clusters.rescale(cid, shards=3), lambda: acm.clusters.upgrade(cid, "25.3")):
        with pytest.raises(dbcloud.APIStatusError, match="stopped"):
            refused()
    resumed = acm.clusters.resume(cid, wait=True, timeout=120)
    assert (resumed.state, resumed.status) == (dbcloud.ClusterState.RUNNING, "online")


def test_stop_wait_and_a_launching_cluster_refuses(acm: dbcloud.Altinity, emu: Emulator) -> None:
    young = acm.clusters.launch(
        176, name="young", admin_pass="pw-1234567", node_type="m5.large", nodes=1, replicas=1, size=10
    )
    with pytest.raises(dbcloud.APIStatusError, match="still launching"):
        acm.clusters.restart(young.id)
    emu.advance(LAUNCH_SECONDS + 1)  # + 1: clear of float rounding
    assert acm.clusters.stop(young.id, wait=True, timeout=120).state is dbcloud.ClusterState.STOPPED


def test_update_changes_the_record(acm: dbcloud.Altinity, emu: Emulator) -> None:
    cid = ready_cluster(acm, emu, "edited")
    got = acm.clusters.update(cid, name="edited-two", role="dev", timezone="UTC", mysql_port=9004)
    assert got.name == "edited-two"
    assert (got.raw["role"], got.raw["timezone"], got.raw["mysqlPort"]) == ("dev", "UTC", 9004)
    assert acm.clusters.get(cid).name == "edited-two"
    assert acm.clusters.update(cid, uptime="always", wait=True, timeout=120).raw["uptime"] == "always"


def test_the_status_answer_while_an_operation_runs(acm: dbcloud.Altinity, emu: Emulator) -> None:
    cid = ready_cluster(acm, emu, "progress")
    acm.clusters.upgrade(cid, "24.8")
    emu.advance(300)  # half of the upgrade
    status = acm.clusters.status(cid)
    assert status.checks_passed is not None
    assert status.checks_passed < 7
    assert not status.action_done
    emu.advance(LONGEST)
    assert acm.clusters.status(cid).ready
