"""SQL users against the emulated CockroachDB Cloud, on both flavours of client."""

from __future__ import annotations

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import SERVERLESS_SECONDS

from ._cockroach import cc, emu, ready_cluster, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

API = "cockroach"


def test_sql_users_lifecycle(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = ready_cluster(cc, emu, "sqlusers")
    assert list(cc.sql_users.list(cluster.id)) == []  # a cluster made through the API has none
    creates = emu.stats()[API]["creates"]
    made = cc.sql_users.create(cluster, "MaxRoach", "first-pass-1234")
    assert made.name == "maxroach"  # CockroachDB folds user names to lower case
    assert emu.stats()[API]["creates"] == creates + 1
    for name in ("carol", "alice", "bob"):
        cc.sql_users.create(cluster.id, name, "pass-of-" + name)
    assert [u.name for u in cc.sql_users.list(cluster.id, page_size=2)] == [
        "alice",
        "bob",
        "carol",
        "maxroach",
    ]
    descending = [u.name for u in cc.sql_users.list(cluster.id, sort_order="DESC")]
    assert descending == ["maxroach", "carol", "bob", "alice"]
    assert cc.sql_users.get(cluster.id, "MAXROACH").name == "maxroach"

    assert (
        cc.sql_users.change_password(cluster.id, "maxroach", dbcloud.Secret("second-pass-5678")).name
        == "maxroach"
    )
    assert cc.sql_users.delete(cluster.id, "maxroach").name == "maxroach"
    with pytest.raises(dbcloud.NotFoundError):
        cc.sql_users.get(cluster.id, "maxroach")
    with pytest.raises(dbcloud.NotFoundError, match="SQL user 'maxroach' not found"):
        cc.sql_users.delete(cluster.id, "maxroach")
    with pytest.raises(dbcloud.NotFoundError):
        cc.sql_users.change_password(cluster.id, "maxroach", "third-pass-9012")


def test_sql_users_follow_the_vendors_rules(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = ready_cluster(cc, emu, "sqlrules")
    cc.sql_users.create(cluster.id, "app", "app-pass-1234")
    with pytest.raises(dbcloud.ConflictError, match="already exists"):
        cc.sql_users.create(cluster.id, "APP", "other-pass-1234")
    with pytest.raises(dbcloud.BadRequestError, match="reserved"):
        cc.sql_users.create(cluster.id, "root", "root-pass-1234")
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        cc.sql_users.create("3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "app", "app-pass-1234")
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        list(cc.sql_users.list("3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"))


def test_a_cluster_takes_sql_users_only_once_it_is_ready(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    creating = cc.clusters.create_serverless(unique("sqlwait"))
    with pytest.raises(dbcloud.BadRequestError, match="while the cluster is CREATING"):
        cc.sql_users.create(creating.id, "early", "early-pass-1234")
    emu.advance(SERVERLESS_SECONDS)
    assert cc.sql_users.create(creating.id, "early", "early-pass-1234").name == "early"


def test_the_emulator_refuses_sql_user_bodies_the_gateway_refuses(emu: Emulator) -> None:
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}"}
    server = emu.env["COCKROACH_SERVER"]
    made = httpx.post(
        f"{server}/api/v1/clusters",
        headers=headers,
        json={
            "name": unique("sqlraw"),
            "provider": "GCP",
            "spec": {"serverless": {"regions": ["us-central1"]}},
        },
    ).json()
    emu.advance(SERVERLESS_SECONDS)
    users = f"{server}/api/v1/clusters/{made['id']}/sql-users"
    for sent, status in (
        ({"name": "app"}, 400),  # no password
        ({"name": "app", "password": ""}, 400),
        ({"name": "app", "password": "p4ss-word-1", "role": "admin"}, 400),  # unknown field
        ({"name": "-app", "password": "p4ss-word-1"}, 400),
        ({"name": "app", "password": "p4ss-word-1"}, 200),
    ):
        response = httpx.post(users, headers=headers, json=sent)
        assert response.status_code == status, (sent, response.text)
    assert "p4ss-word-1" not in httpx.get(users, headers=headers).text
