"""A fresh emulator answers the same requests with the same ids and secrets (for cassettes)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator, _ids, running
from dbcloud.emulator._ids import IdSource
from dbcloud.emulator.clickhouse import ORG_ID, PROVISION_SECONDS

GCP_ENV = {
    "region": "us-east1",
    "cidr": "10.3.0.0/21",
    "gcpProjectId": "emu-project",
    "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 1}],
}
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CLICKHOUSE_ORG_ID", "CLICKHOUSE_API_URL", "CLICKSTACK_ENDPOINT", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def session(emu: Emulator, http: httpx.Client, *, noise: bool = False) -> dict[str, str]:
    """One short session against every API; the ids and secrets it was handed.

    With `noise`, polls, refused requests and time passing are mixed in, as waits and retries
    would: their number depends on timing, so they must not change what the creations are given.
    """
    env = emu.env
    auth = (env["CLICKHOUSE_CLOUD_API_KEY"], env["CLICKHOUSE_CLOUD_API_SECRET"])
    org = f"{env['CLICKHOUSE_API_URL']}/v1/organizations/{ORG_ID}"
    ids: dict[str, str] = {}

    def read_around() -> None:
        if noise:
            # A poll that sees a new service running also makes its first backup.
            emu.advance(PROVISION_SECONDS)
            http.get(f"{org}/services/{ids.get('clickhouse service', 'none')}", auth=auth)  # or 404
            http.get(f"{org}/services", auth=auth)
            http.get(f"{env['ACM_API_URL']}/environments", headers={"X-Auth-Token": env["ACM_API_KEY"]})

    login = http.post(
        f"{env['ACM_API_URL']}/login", data={"login": "demo@example.com", "password": "demo-password"}
    )
    ids["acm login token"] = login.json()["data"]["token"]
    with dbcloud.Altinity(token=env["ACM_API_KEY"], base_url=env["ACM_API_URL"], http_client=http) as acm:
        ids["acm api token"] = acm.keys.create(expires_in=dt.timedelta(hours=1)).key.reveal()
    read_around()

    created = http.post(
        f"{org}/services", auth=auth, json={"name": "det", "provider": "aws", "region": "us-east-1"}
    )
    result = created.json()["result"]
    ids["clickhouse service"], ids["clickhouse password"] = result["service"]["id"], result["password"]
    read_around()
    key = http.post(f"{org}/keys", auth=auth, json={"name": "ci"}).json()["result"]
    ids |= {"clickhouse key": key["key"]["id"], "key id": key["keyId"], "key secret": key["keySecret"]}

    with dbcloud.ClickStack.managed(
        ORG_ID,
        ids["clickhouse service"],
        key_id=auth[0],
        key_secret=auth[1],
        base_url=env["CLICKHOUSE_API_URL"],
        http_client=http,
    ) as managed:
        ids["managed dashboard"] = str(managed.dashboards.create(name="d", tiles=[]).id)
    with dbcloud.ClickStack(
        endpoint=env["CLICKSTACK_ENDPOINT"], api_key=env["CLICKSTACK_API_KEY"], http_client=http
    ) as oss:
        ids["oss dashboard"] = str(oss.dashboards.create(name="d", tiles=[]).id)
    read_around()

    with dbcloud.AltinityAnywhere(
        token=env["ALTINITYCLOUD_API_TOKEN"], base_url=env["ALTINITYCLOUD_API_URL"], http_client=http
    ) as anywhere:
        ids["anywhere mutation"] = anywhere.gcp.create("det-gcp", GCP_ENV).mutation_id
    with dbcloud.CockroachCloud(
        api_key=env["COCKROACH_API_KEY"], base_url=env["COCKROACH_SERVER"], http_client=http
    ) as cc:
        ids["cockroach cluster"] = cc.clusters.create_serverless("det-moose").id
    return ids


def fresh_session(http: httpx.Client, seed: int, *, noise: bool = False) -> dict[str, str]:
    with running(seed=seed) as emu:
        return session(emu, http, noise=noise)


@pytest.fixture(scope="module")
def seed_7(http: httpx.Client) -> dict[str, str]:
    return fresh_session(http, 7)


def test_the_same_seed_and_calls_give_the_same_ids(http: httpx.Client, seed_7: dict[str, str]) -> None:
    assert all(seed_7.values())
    assert fresh_session(http, 7) == seed_7


def test_reads_polls_and_errors_do_not_shift_the_ids(http: httpx.Client, seed_7: dict[str, str]) -> None:
    assert fresh_session(http, 7, noise=True) == seed_7


def test_another_seed_gives_other_ids(http: httpx.Client, seed_7: dict[str, str]) -> None:
    other = fresh_session(http, 8)
    # CockroachDB cluster ids are name-based UUIDs (uuid5): the same under any seed.
    assert other.pop("cockroach cluster") == seed_7["cockroach cluster"]
    assert all(value != seed_7[name] for name, value in other.items()), other


def test_one_apis_traffic_does_not_shift_another_apis_ids(http: httpx.Client, seed_7: dict[str, str]) -> None:
    with running(seed=7) as emu:
        with dbcloud.ClickStack(
            endpoint=emu.env["CLICKSTACK_ENDPOINT"], api_key=emu.env["CLICKSTACK_API_KEY"], http_client=http
        ) as oss:
            oss.dashboards.create(name="first", tiles=[])  # the session's OSS dashboard comes second
        ids = session(emu, http)
    assert ids.pop("oss dashboard") != seed_7.pop("oss dashboard")
    assert ids == seed_7


# --- IdSource ------------------------------------------------------------------------------------


def test_ids_have_the_shapes_of_what_they_replace() -> None:
    ids = IdSource("shapes")
    assert UUID4.match(ids.uuid4())
    assert re.fullmatch(r"[0-9a-f]{32}", ids.token_hex(16))
    assert re.fullmatch(r"[A-Za-z0-9_-]{40}", ids.token_urlsafe(30))  # 30 bytes, unpadded base64
    assert re.fullmatch(r"[A-Za-z0-9]{20}", ids.alphanumeric(20))
    object_ids = [ids.object_id() for _ in range(3)]
    assert all(re.fullmatch(r"[0-9a-f]{24}", o) for o in object_ids)
    assert object_ids == sorted(set(object_ids))  # unique, in creation order like MongoDB's


def test_a_seed_gives_one_stream_and_children_are_independent() -> None:
    def draw(source: IdSource) -> list[str]:
        return [source.uuid4(), source.token_hex(8), source.object_id()]

    assert draw(IdSource("a:1")) == draw(IdSource("a:1"))
    assert draw(IdSource("a:1")) != draw(IdSource("a:2"))
    assert draw(IdSource(3)) == draw(IdSource(3))
    parent = IdSource("a:1")
    before = draw(parent.child("x"))
    assert draw(parent) == draw(IdSource("a:1"))  # drawing from a child left the parent alone
    assert draw(parent.child("x")) == before


def test_a_str_seed_gives_the_same_stream_in_every_process() -> None:
    # Cassettes are recorded in one process and re-recorded in another: the stream must not depend
    # on str hashing, which PYTHONHASHSEED randomizes. The module is loaded by path (it needs only
    # the standard library) to spare each process the package's imports.
    code = (
        "import importlib.util, sys; spec = importlib.util.spec_from_file_location('ids', sys.argv[1]); "
        "ids = importlib.util.module_from_spec(spec); spec.loader.exec_module(ids); "
        "print(ids.IdSource('acm:0').token_hex(8))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code, _ids.__file__],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert seen == {IdSource("acm:0").token_hex(8)}
