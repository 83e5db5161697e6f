"""Databases against the emulated CockroachDB Cloud, on both flavours of client."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import SERVERLESS_SECONDS
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, ready_cluster, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

API = "cockroach"
UNKNOWN_ID = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"


def test_databases_lifecycle(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = ready_cluster(cc, emu, "databases")
    # CockroachDB's own databases are there from the start; `system` is not listed.
    assert [(d.name, d.table_count) for d in cc.databases.list(cluster.id)] == [
        ("defaultdb", 0),
        ("postgres", 0),
    ]
    creates = emu.stats()[API]["creates"]
    made = cc.databases.create(cluster, "Movr")
    assert (made.name, made.table_count) == ("Movr", 0)  # the case is kept
    assert emu.stats()[API]["creates"] == creates + 1
    cc.databases.create(cluster.id, "analytics")
    assert [d.name for d in cc.databases.list(cluster.id, page_size=2)] == [
        "Movr",
        "analytics",
        "defaultdb",
        "postgres",
    ]
    assert [d.name for d in cc.databases.list(cluster.id, sort_order="DESC")] == [
        "postgres",
        "defaultdb",
        "analytics",
        "Movr",
    ]

    assert cc.databases.rename(cluster.id, "Movr", "movr_v2").name == "movr_v2"
    names = [d.name for d in cc.databases.list(cluster.id)]
    assert "Movr" not in names
    assert "movr_v2" in names
    with pytest.raises(dbcloud.NotFoundError, match="database 'Movr' not found"):
        cc.databases.rename(cluster.id, "Movr", "movr_v3")

    assert cc.databases.delete(cluster.id, "movr_v2").name == "movr_v2"
    with pytest.raises(dbcloud.NotFoundError, match="database 'movr_v2' not found"):
        cc.databases.delete(cluster.id, "movr_v2")
    assert [d.name for d in cc.databases.list(cluster.id)] == ["analytics", "defaultdb", "postgres"]


def test_databases_follow_the_vendors_rules(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = ready_cluster(cc, emu, "dbrules")
    cc.databases.create(cluster.id, "app")
    with pytest.raises(dbcloud.ConflictError, match="already exists"):
        cc.databases.create(cluster.id, "app")
    with pytest.raises(dbcloud.ConflictError, match="'defaultdb' already exists"):
        cc.databases.rename(cluster.id, "app", "defaultdb")
    with pytest.raises(dbcloud.BadRequestError, match="system database"):
        cc.databases.create(cluster.id, "system")
    with pytest.raises(dbcloud.BadRequestError, match="system database"):
        cc.databases.delete(cluster.id, "system")
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        cc.databases.create(UNKNOWN_ID, "app")
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        list(cc.databases.list(UNKNOWN_ID))
    # The clusters do not share their databases.
    other = ready_cluster(cc, emu, "dbother")
    assert "app" not in [d.name for d in cc.databases.list(other.id)]


def test_a_cluster_takes_databases_only_once_it_is_ready(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    creating = cc.clusters.create_serverless(unique("dbwait"))
    assert [d.name for d in cc.databases.list(creating.id)] == ["defaultdb", "postgres"]
    with pytest.raises(dbcloud.BadRequestError, match="while the cluster is CREATING"):
        cc.databases.create(creating.id, "early")
    emu.advance(SERVERLESS_SECONDS)
    assert cc.databases.create(creating.id, "early").name == "early"


def test_the_emulator_refuses_database_bodies_the_gateway_refuses(emu: Emulator) -> None:
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}"}
    server = emu.env["COCKROACH_SERVER"]
    made = httpx.post(
        f"{server}/api/v1/clusters",
        headers=headers,
        json={
            "name": unique("dbraw"),
            "provider": "GCP",
            "spec": {"serverless": {"regions": ["us-central1"]}},
        },
    ).json()
    emu.advance(SERVERLESS_SECONDS)
    databases = f"{server}/api/v1/clusters/{made['id']}/databases"
    for sent, status in (
        ({}, 400),  # no name
        ({"name": 7}, 400),
        ({"name": "app", "owner": "root"}, 400),  # unknown field
        ({"name": ".app"}, 400),
        ({"name": "app"}, 200),
    ):
        response = httpx.post(databases, headers=headers, json=sent)
        assert response.status_code == status, (sent, response.text)
    # The other rename route: both names in the body.
    renamed = httpx.patch(databases, headers=headers, json={"name": "app", "new_name": "app2"})
    assert renamed.json() == {"name": "app2", "table_count": "0"}
    missing = httpx.patch(f"{databases}/app", headers=headers, json={"new_name": "app3"})
    assert missing.status_code == 404
    assert missing.json()["code"] == 5


def test_database_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    cluster = ready_cluster(cc, emu, "dbspec")
    check("Database", cc.databases.create(cluster, "spec_db").raw)
    check("Database", cc.databases.rename(cluster, "spec_db", "spec_db2").raw)
    path = f"/api/v1/clusters/{cluster.id}/databases"
    check("ListDatabasesResponse", cc.request("GET", path, params={"pagination.limit": 1}).json())
    check("ListDatabasesResponse", cc.request("GET", path).json())
    check("Database", cc.databases.delete(cluster, "spec_db2").raw)
