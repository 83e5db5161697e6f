"""IP allowlists against the emulated CockroachDB Cloud, on both flavours of client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import DEDICATED_SECONDS
from dbcloud.emulator.cockroach._allowlists import PROPAGATION_SECONDS
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, ready_cluster, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

UNKNOWN_ID = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
HARDWARE = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}


def advanced(cc: dbcloud.CockroachCloud, emu: Emulator, stem: str, **spec: Any) -> dbcloud.cockroach.Cluster:
    cluster = cc.clusters.create(
        unique(stem), "GCP", dedicated={"region_nodes": {"us-central1": 3}, "hardware": HARDWARE, **spec}
    )
    emu.advance(DEDICATED_SECONDS)
    return cluster


def propagating(cc: dbcloud.CockroachCloud, cluster_id: str) -> bool:
    answer = cc.request("GET", f"/api/v1/clusters/{cluster_id}/networking/allowlist").json()
    assert isinstance(answer["propagating"], bool)
    return answer["propagating"]


def test_allowlist_lifecycle(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = advanced(cc, emu, "allowlist")
    assert list(cc.ip_allowlists.list(cluster.id)) == []  # an Advanced cluster starts closed
    assert propagating(cc, cluster.id) is False
    creates = emu.stats()["cockroach"]["creates"]
    office = cc.ip_allowlists.add(cluster, "192.168.3.2", 32, ui=True, sql=True, name="office")
    assert (office.cidr, office.ui, office.sql, office.name) == ("192.168.3.2/32", True, True, "office")
    assert emu.stats()["cockroach"]["creates"] == creates + 1
    assert propagating(cc, cluster.id) is True
    emu.advance(PROPAGATION_SECONDS)
    assert propagating(cc, cluster.id) is False

    unnamed = cc.ip_allowlists.add(cluster.id, "10.0.0.0", 8, ui=False, sql=True)
    assert unnamed.name == ""  # the server's default name
    cc.ip_allowlists.add(cluster.id, "10.0.0.0", 24, ui=False, sql=True, name="vpn")
    # Sorted by address (as a number, so 10.x before 192.x), then by mask.
    assert [e.cidr for e in cc.ip_allowlists.list(cluster.id, page_size=2)] == [
        "10.0.0.0/8",
        "10.0.0.0/24",
        "192.168.3.2/32",
    ]
    descending = [e.cidr for e in cc.ip_allowlists.list(cluster.id, sort_order="DESC")]
    assert descending == ["192.168.3.2/32", "10.0.0.0/24", "10.0.0.0/8"]

    updated = cc.ip_allowlists.update(cluster.id, "192.168.3.2", 32, ui=False, sql=False)
    assert (updated.ui, updated.sql, updated.name) == (False, False, "office")  # the name is kept
    renamed = cc.ip_allowlists.update(cluster.id, "192.168.3.2", 32, ui=False, sql=True, name="")
    assert renamed.name == ""
    assert cc.ip_allowlists.get(cluster.id, "192.168.3.2", 32) == renamed

    assert cc.ip_allowlists.remove(cluster.id, "10.0.0.0", 8).cidr == "10.0.0.0/8"
    with pytest.raises(dbcloud.NotFoundError, match=r"no entry for 10\.0\.0\.0/8"):
        cc.ip_allowlists.remove(cluster.id, "10.0.0.0", 8)
    with pytest.raises(dbcloud.NotFoundError):
        cc.ip_allowlists.update(cluster.id, "10.0.0.0", 8, ui=True, sql=True)
    assert [e.cidr for e in cc.ip_allowlists.list(cluster.id)] == ["10.0.0.0/24", "192.168.3.2/32"]


def test_a_serverless_cluster_starts_open_unless_asked_not_to(
    cc: dbcloud.CockroachCloud, emu: Emulator
) -> None:
    basic = ready_cluster(cc, emu, "alopen")
    (entry,) = cc.ip_allowlists.list(basic.id)
    assert (entry.cidr, entry.sql) == ("0.0.0.0/0", True)
    closed = cc.clusters.create(
        unique("alclosed"),
        "GCP",
        serverless={"regions": ["us-central1"], "with_empty_ip_allowlist": True},
    )
    assert list(cc.ip_allowlists.list(closed.id)) == []
    # A cluster being created takes entries already.
    assert cc.ip_allowlists.add(closed.id, "203.0.113.7", 32, ui=False, sql=True).cidr == "203.0.113.7/32"


def test_allowlists_follow_the_vendors_rules(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = advanced(cc, emu, "alrules")
    cc.ip_allowlists.add(cluster.id, "10.0.0.0", 24, ui=False, sql=True)
    with pytest.raises(dbcloud.ConflictError, match=r"already has an entry for 10\.0\.0\.0/24"):
        cc.ip_allowlists.add(cluster.id, "10.0.0.0", 24, ui=True, sql=True)
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        cc.ip_allowlists.add(UNKNOWN_ID, "10.0.0.0", 24, ui=False, sql=True)
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        list(cc.ip_allowlists.list(UNKNOWN_ID))
    private = advanced(cc, emu, "alprivate", network_visibility="PRIVATE")
    assert list(cc.ip_allowlists.list(private.id)) == []
    with pytest.raises(dbcloud.BadRequestError, match="PRIVATE network visibility"):
        cc.ip_allowlists.add(private.id, "10.0.0.0", 24, ui=False, sql=True)


def test_the_emulator_refuses_allowlist_requests_the_gateway_refuses(emu: Emulator) -> None:
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}"}
    server = emu.env["COCKROACH_SERVER"]
    made = httpx.post(
        f"{server}/api/v1/clusters",
        headers=headers,
        json={
            "name": unique("alraw"),
            "provider": "GCP",
            "spec": {"serverless": {"regions": ["us-central1"], "with_empty_ip_allowlist": True}},
        },
    ).json()
    allowlist = f"{server}/api/v1/clusters/{made['id']}/networking/allowlist"
    good = {"cidr_ip": "10.0.0.0", "cidr_mask": 24, "ui": False, "sql": True}
    for sent, status in (
        ({"cidr_ip": "10.0.0.0", "cidr_mask": 24, "sql": True}, 400),  # no ui
        ({**good, "cidr_ip": "10.0.0.300"}, 400),
        ({**good, "cidr_ip": "2001:db8::"}, 400),
        ({**good, "cidr_mask": 33}, 400),
        ({**good, "cidr_mask": "24"}, 400),
        ({**good, "comment": "x"}, 400),  # unknown field
        (good, 200),
    ):
        response = httpx.post(allowlist, headers=headers, json=sent)
        assert response.status_code == status, (sent, response.text)
    # The other add route: the range in the path, the flags in the body.
    put = httpx.put(f"{allowlist}/10.1.0.0/16", headers=headers, json={"ui": False, "sql": True, "name": "n"})
    assert put.json() == {"cidr_ip": "10.1.0.0", "cidr_mask": 16, "ui": False, "sql": True, "name": "n"}
    assert (
        httpx.put(f"{allowlist}/10.1.0.0/16", headers=headers, json={"ui": False, "sql": True}).status_code
        == 409
    )
    assert httpx.delete(f"{allowlist}/10.1.0.0/x", headers=headers).status_code == 404  # no such route
    assert (
        httpx.patch(f"{allowlist}/10.9.0.0/16", headers=headers, json={"ui": True, "sql": True}).status_code
        == 404
    )


def test_allowlist_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    cluster = ready_cluster(cc, emu, "alspec")
    check("AllowlistEntry", cc.ip_allowlists.add(cluster, "10.0.0.0", 24, ui=False, sql=True).raw)
    check("AllowlistEntry", cc.ip_allowlists.update(cluster, "10.0.0.0", 24, ui=True, sql=True, name="a").raw)
    path = f"/api/v1/clusters/{cluster.id}/networking/allowlist"
    check("ListAllowlistEntriesResponse", cc.request("GET", path, params={"pagination.limit": 1}).json())
    check("ListAllowlistEntriesResponse", cc.request("GET", path).json())
    check("AllowlistEntry", cc.ip_allowlists.remove(cluster, "10.0.0.0", 24).raw)
