"""Connection strings against the emulated CockroachDB Cloud, on both flavours of client."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import DEDICATED_SECONDS
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, ready_cluster, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

UNKNOWN_ID = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
HARDWARE = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}


def test_a_basic_clusters_connection_string(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = ready_cluster(cc, emu, "connect")
    host = cc.clusters.get(cluster.id).sql_dns
    found = cc.clusters.connection_string(cluster.id, sql_user="maxroach", database="movr", os="LINUX")
    assert found.connection_string == f"postgresql://maxroach@{host}:26257/movr?sslmode=verify-full"
    assert (found.host, found.port, found.database, found.username) == (host, 26257, "movr", "maxroach")
    anonymous = cc.clusters.connection_string(cluster.id, os="MAC")
    assert anonymous.connection_string == f"postgresql://{host}:26257/defaultdb?sslmode=verify-full"
    assert anonymous.username is None
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        cc.clusters.connection_string(UNKNOWN_ID, os="LINUX")


def test_an_advanced_clusters_url_names_the_ca_certificate_of_the_os(
    cc: dbcloud.CockroachCloud, emu: Emulator
) -> None:
    name = unique("connadv")
    cluster = cc.clusters.create(
        name, "GCP", dedicated={"region_nodes": {"us-central1": 3}, "hardware": HARDWARE}
    )
    emu.advance(DEDICATED_SECONDS)
    mac = cc.clusters.connection_string(cluster.id, sql_user="app", os="MAC")
    assert mac.connection_string.endswith(
        f"?sslmode=verify-full&sslrootcert=$HOME/Library/CockroachCloud/certs/{name}-ca.crt"
    )
    linux = cc.clusters.connection_string(cluster.id, os="LINUX")
    assert linux.connection_string.endswith("sslrootcert=$HOME/.postgresql/root.crt")
    assert "Library" not in linux.connection_string


def test_the_emulator_refuses_what_the_api_refuses(emu: Emulator) -> None:
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}"}
    server = emu.env["COCKROACH_SERVER"]
    made = httpx.post(
        f"{server}/api/v1/clusters",
        headers=headers,
        json={
            "name": unique("connraw"),
            "provider": "GCP",
            "spec": {"dedicated": {"region_nodes": {"us-central1": 3}, "hardware": HARDWARE}},
        },
    ).json()
    url = f"{server}/api/v1/clusters/{made['id']}/connection-string"
    for params, status in (
        ({}, 400),  # an Advanced cluster needs os
        ({"os": "BEOS"}, 400),
        ({"os": "LINUX", "database": "-x"}, 400),
        ({"os": "LINUX", "sql_user": "a b"}, 400),
        ({"os": "WINDOWS"}, 200),
    ):
        response = httpx.get(url, headers=headers, params=params)
        assert response.status_code == status, (params, response.text)
    answer = httpx.get(url, headers=headers, params={"os": "WINDOWS"}).json()
    assert answer["connection_string"].endswith("sslrootcert=%APPDATA%\\postgresql\\root.crt")
    assert set(answer["params"]) == {"Database", "Host", "Port"}


def test_connection_string_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    cluster = ready_cluster(cc, emu, "connspec")
    check("GetConnectionStringResponse", cc.clusters.connection_string(cluster, os="LINUX").raw)
    check("GetConnectionStringResponse", cc.clusters.connection_string(cluster, sql_user="u", os="MAC").raw)
