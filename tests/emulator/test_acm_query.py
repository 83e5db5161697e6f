"""ACM queries and node types against the emulator, over real loopback HTTP, on both flavours.

The emulated clock stands still: tests move it with `emu.advance` (see test_acm_day2.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import dbcloud
from dbcloud.altinity import AsyncAltinity
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.acm import LAUNCH_SECONDS
from tests._bridge import Flavour

ADMIN_PASS = "emulated-admin-pw-3"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=1) as emulator, emulator.paused_clock():
        yield emulator


@pytest.fixture
def acm(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.Altinity]:
    with flavour.client(
        dbcloud.Altinity, AsyncAltinity, token=emu.env["ACM_API_KEY"], base_url=emu.env["ACM_API_URL"]
    ) as client:
        flavour.set_sleep(client, lambda seconds: emu.advance(30))
        yield client


@pytest.fixture
def cluster(acm: dbcloud.Altinity, emu: Emulator) -> str:
    made = acm.clusters.launch(
        175, name="queried", admin_pass=ADMIN_PASS, node_type="m5.large", nodes=1, replicas=1, size=10,
        version="24.8.14.10459.altinitystable",
    )  # fmt: skip
    emu.advance(LAUNCH_SECONDS + 1)  # + 1: clear of float rounding
    return made.id


def test_queries_run_on_an_online_cluster(acm: dbcloud.Altinity, cluster: str) -> None:
    assert acm.clusters.query(cluster, "SELECT 1").text == "1\n"
    assert acm.clusters.query(cluster, "select   version();").text == "24.8.14.10459.altinitystable\n"
    assert "system" in (acm.clusters.query(cluster, "SHOW DATABASES").text or "").split()
    assert acm.clusters.query(cluster, "CREATE TABLE t (x UInt8) ENGINE = Memory").text == ""
    as_admin = acm.clusters.query(cluster, "SELECT 2", user="admin", password=dbcloud.Secret(ADMIN_PASS))
    assert as_admin.text == "2\n"


def test_a_wrong_password_is_refused_and_never_echoed(acm: dbcloud.Altinity, cluster: str) -> None:
    with pytest.raises(dbcloud.APIStatusError, match="AUTHENTICATION_FAILED") as caught:
        acm.clusters.query(cluster, "SELECT 1", user="admin", password="not-the-password-9")
    assert "not-the-password-9" not in str(caught.value)
    with pytest.raises(dbcloud.APIStatusError, match="AUTHENTICATION_FAILED"):
        acm.clusters.query(cluster, "SELECT 1", user="someone")


def test_what_the_emulator_cannot_answer_and_a_stopped_cluster(
    acm: dbcloud.Altinity, emu: Emulator, cluster: str
) -> None:
    with pytest.raises(dbcloud.APIStatusError, match="SYNTAX_ERROR"):
        acm.clusters.query(cluster, "SELECT * FROM events")
    acm.clusters.stop(cluster, wait=True)
    with pytest.raises(dbcloud.APIStatusError, match="not running"):
        acm.clusters.query(cluster, "SELECT 1")
    with pytest.raises(dbcloud.NotFoundError):
        acm.clusters.query(999999, "SELECT 1")


def test_node_types_per_environment(acm: dbcloud.Altinity, cluster: str) -> None:
    gke = {t.code for t in acm.node_types.list(176, scope="clickhouse")}
    eks = acm.node_types.list(175)
    assert "n2d-standard-4" in gke
    assert {t.scope for t in eks} == {"clickhouse", "system", "zookeeper"}
    large = next(t for t in eks if t.code == "m5.xlarge")
    assert (large.cpu, large.memory, large.environment_id, large.spot) == (4, 13824, "175", False)
    used = {t.code: t.used for t in acm.node_types.list(175, scope="clickhouse", with_used=True)}
    assert used["m5.large"] is True  # the cluster of this test runs on it
    assert used["m5.2xlarge"] is False
    with pytest.raises(dbcloud.NotFoundError):
        list(acm.node_types.list(999))


def test_a_rescale_to_a_listed_node_type(acm: dbcloud.Altinity, cluster: str) -> None:
    bigger = next(t for t in acm.node_types.list(175, scope="clickhouse") if t.cpu == 8)
    assert (
        acm.clusters.rescale(cluster, node_type=bigger.code, wait=True).state is dbcloud.ClusterState.RUNNING
    )
