"""The automation against dbcloud's emulator (the `dbcloud_emulator` fixture of dbcloud.testing)."""

from __future__ import annotations

from collections.abc import Iterator

import fleet_report
import pytest

import dbcloud
from dbcloud.emulator import Emulator, Fault


@pytest.fixture
def acm(dbcloud_emulator_env: dict[str, str]) -> Iterator[dbcloud.Altinity]:
    # The fixture sets the emulator's ACM_API_KEY / ACM_API_URL: the client reads them as usual.
    with dbcloud.Altinity() as client:
        yield client


@pytest.fixture
def crdb(dbcloud_emulator_env: dict[str, str]) -> Iterator[dbcloud.CockroachCloud]:
    with dbcloud.CockroachCloud() as client:
        yield client


def test_the_report_lists_the_clusters_of_both_vendors(
    acm: dbcloud.Altinity, crdb: dbcloud.CockroachCloud, capsys: pytest.CaptureFixture[str]
) -> None:
    acm.clusters.launch(
        176,
        name="report-acm",
        admin_pass="Report-pass-1",  # noqa: S106 - only the emulator sees it
        node_type="m5.large",
        nodes=1,
        replicas=1,
        size=50,
    )
    crdb.clusters.create_serverless("report-crdb", regions=["us-east1"])

    assert fleet_report.main([]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["VENDOR", "WHERE", "NAME", "STATE"]
    rows = [line.split() for line in lines[1:-1]]
    assert ["acm", "emulated-gke", "report-acm", "provisioning"] in rows
    assert ["cockroach", "us-east1", "report-crdb", "provisioning"] in rows
    assert lines[-1] == f"{len(rows)} clusters"


def test_ensure_adopts_the_cluster_it_created_on_a_second_run(
    crdb: dbcloud.CockroachCloud, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fleet_report.main(["--ensure", "ensure-twice"]) == 0
    assert fleet_report.main(["--ensure", "ensure-twice"]) == 0

    out = capsys.readouterr().out
    assert "created cockroach cluster ensure-twice" in out
    assert "adopted cockroach cluster ensure-twice" in out
    assert [cluster.name for cluster in crdb.clusters.list()].count("ensure-twice") == 1


def test_a_vendor_outage_ends_the_run_with_a_message_not_a_traceback(
    dbcloud_emulator: Emulator, dbcloud_emulator_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    dbcloud_emulator.add_fault("cockroach", Fault("500", count=1))

    assert fleet_report.main([]) == 1

    err = capsys.readouterr().err
    assert err.startswith("fleet-report: ")
    assert "500" in err
    assert "Traceback" not in err


def test_the_emulator_clock_finishes_a_create_at_once(
    crdb: dbcloud.CockroachCloud, dbcloud_emulator: Emulator
) -> None:
    created = crdb.clusters.create_serverless("clocked")

    dbcloud_emulator.advance(3_600)

    assert crdb.clusters.get(created.id).state == dbcloud.ClusterState.RUNNING
