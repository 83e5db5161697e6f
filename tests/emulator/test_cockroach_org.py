"""Maintenance windows, folders, service accounts and API keys against the emulated CockroachDB
Cloud, on both flavours of client; their answers validated against the vendor's spec."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import httpx
import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import DEDICATED_SECONDS
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, ready_cluster, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

HOURS = datetime.timedelta(hours=1)


def advanced(cc: dbcloud.CockroachCloud, emu: Emulator, stem: str) -> dbcloud.cockroach.Cluster:
    cluster = cc.clusters.create(
        unique(stem),
        "GCP",
        dedicated={
            "region_nodes": {"us-central1": 3},
            "hardware": {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15},
        },
    )
    emu.advance(DEDICATED_SECONDS)
    return cluster


def test_a_maintenance_window_lifecycle(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = advanced(cc, emu, "mwin")
    with pytest.raises(dbcloud.NotFoundError, match="maintenance window not found"):
        cc.maintenance_windows.get(cluster)
    made = cc.maintenance_windows.set(cluster, offset_duration=48 * HOURS, window_duration=21600)
    assert (made.offset_duration, made.window_duration) == (48 * HOURS, 6 * HOURS)
    assert made.raw == {"offset_duration": "172800s", "window_duration": "21600s"}
    cc.maintenance_windows.set(cluster.id, offset_duration=1010, window_duration=101010)  # the provider's
    assert cc.maintenance_windows.get(cluster.id).window_duration == datetime.timedelta(seconds=101010)
    removed = cc.maintenance_windows.delete(cluster.id)
    assert removed is not None
    assert removed.offset_duration == datetime.timedelta(seconds=1010)
    with pytest.raises(dbcloud.NotFoundError):
        cc.maintenance_windows.delete(cluster.id)


def test_maintenance_windows_are_for_advanced_clusters_and_spec_ranges(
    cc: dbcloud.CockroachCloud, emu: Emulator
) -> None:
    basic = ready_cluster(cc, emu, "mwinbasic")
    with pytest.raises(dbcloud.BadRequestError, match="advanced clusters only"):
        cc.maintenance_windows.set(basic.id, offset_duration=0, window_duration=6 * HOURS)
    cluster = advanced(cc, emu, "mwinrange")
    url = f"{emu.env['COCKROACH_SERVER']}/api/v1/clusters/{cluster.id}/maintenance-window"
    headers = {"Authorization": f"Bearer {emu.env['COCKROACH_API_KEY']}"}
    for sent, status in (
        ({"offset_duration": "604800s", "window_duration": "21600s"}, 400),  # a week is too late
        ({"offset_duration": "0s", "window_duration": "21599s"}, 400),  # under six hours
        ({"offset_duration": "0s", "window_duration": "604800s"}, 400),
        ({"offset_duration": "two days", "window_duration": "21600s"}, 400),
        ({"offset_duration": "0s"}, 400),
        ({"offset_duration": "0.5s", "window_duration": "21600s", "extra": "x"}, 400),
        ({"offset_duration": "0.5s", "window_duration": "21600s"}, 200),
    ):
        answer = httpx.put(url, headers=headers, json=sent)
        assert answer.status_code == status, (sent, answer.text)
    with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
        cc.maintenance_windows.get("3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b")


def test_a_folder_tree_with_a_cluster_in_it(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    prod = cc.folders.create(unique("prod"))
    assert uuid.UUID(prod.id).version == 4
    assert (prod.parent_id, prod.resource_type, prod.path) == ("root", "FOLDER", ())
    name = unique("team")
    team = cc.folders.create(name, prod, labels={"env": "production"})
    assert team.full_path == f"/{prod.name}/{name}"
    assert cc.folders.get(team.id) == team
    assert [f.id for f in cc.folders.list(path=f"{prod.name}/{name}/")] == [team.id]
    assert list(cc.folders.list(path="/no/such/folder")) == []
    with pytest.raises(dbcloud.ConflictError, match="already exists"):
        cc.folders.create(name.upper(), prod.id)
    cc.folders.create(name)  # the same name in another folder is fine

    cluster = ready_cluster(cc, emu, "infolder")
    cc.clusters.update(cluster.id, parent_id=team.id)
    cc.folders.create("alpha", team)
    entries = [(e.resource_type, e.name) for e in cc.folders.contents(team.id, page_size=1)]
    assert entries == [("FOLDER", "alpha"), ("CLUSTER", cluster.name)]  # folders first, then clusters
    assert prod.id in [e.id for e in cc.folders.contents()]

    with pytest.raises(dbcloud.BadRequestError, match="not empty"):
        cc.folders.delete(team)
    with pytest.raises(dbcloud.BadRequestError, match="into itself"):
        cc.folders.update(prod.id, parent_id=team.id)
    with pytest.raises(dbcloud.ConflictError):
        cc.folders.update(team.id, parent_id="root")  # the root holds a folder of its name
    other = unique("team-one")
    moved = cc.folders.update(team.id, name=other, parent_id="root", labels={})
    assert (moved.name, moved.parent_id, moved.labels, moved.path) == (other, "root", {}, ())
    with pytest.raises(dbcloud.NotFoundError, match="parent folder"):
        cc.folders.create("orphan", "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b")
    cc.folders.delete(prod)
    with pytest.raises(dbcloud.NotFoundError, match="folder not found"):
        cc.folders.get(prod.id)
    with pytest.raises(dbcloud.NotFoundError):
        cc.folders.delete(prod.id)
    with pytest.raises(dbcloud.NotFoundError):
        list(cc.folders.contents(prod.id))


def test_service_accounts_and_their_keys(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    name = unique("ci account")
    account = cc.service_accounts.create(name)
    assert [(r.name, r.resource_type) for r in account.roles] == [("ORG_MEMBER", "ORGANIZATION")]
    assert cc.service_accounts.get(account.id) == account
    with pytest.raises(dbcloud.ConflictError):
        cc.service_accounts.create(name)
    renamed = cc.service_accounts.update(account, name=name + " (renamed)", description="runs CI")
    assert (renamed.name, renamed.description) == (name + " (renamed)", "runs CI")
    assert account.id in [a.id for a in cc.service_accounts.list(page_size=1)]

    first = cc.api_keys.create("first", account)
    second = cc.api_keys.create("second", account.id)
    assert first.secret is not None
    secret = first.secret.reveal()
    assert secret.startswith(first.id + "_")
    assert first.id.startswith("CCDB1_")
    assert [k.id for k in cc.api_keys.list(account.id, page_size=1)] == [first.id, second.id]
    assert [k.id for k in cc.api_keys.list(account.id, sort_order="DESC")] == [second.id, first.id]
    assert cc.api_keys.get(first.id).secret is None  # shown once only
    with pytest.raises(dbcloud.ConflictError):
        cc.api_keys.create("first", account.id)
    assert cc.api_keys.update(first.id, "first-renamed").name == "first-renamed"
    deleted = cc.api_keys.delete(first.id)
    assert deleted is not None
    assert deleted.id == first.id
    with pytest.raises(dbcloud.NotFoundError, match="api key not found"):
        cc.api_keys.delete(first.id)

    gone = cc.service_accounts.delete(account.id)
    assert gone is not None
    assert list(cc.api_keys.list(account.id)) == []  # its keys went with it
    with pytest.raises(dbcloud.NotFoundError, match="service account not found"):
        cc.api_keys.create("late", account.id)


def test_service_account_roles_name_what_exists(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    cluster = cc.clusters.create_serverless(unique("roles"))
    on_cluster = {"name": "CLUSTER_ADMIN", "resource": {"type": "CLUSTER", "id": cluster.id}}
    account = cc.service_accounts.create(unique("admins"), "", ["ORG_ADMIN", on_cluster])
    assert [(r.name, r.resource_id) for r in account.roles] == [
        ("ORG_ADMIN", None),
        ("CLUSTER_ADMIN", cluster.id),
    ]
    missing = {"name": "FOLDER_ADMIN", "resource": {"type": "FOLDER", "id": str(uuid.uuid4())}}
    with pytest.raises(dbcloud.NotFoundError, match="folder"):
        cc.service_accounts.create(unique("nobody"), "", [missing])


def test_org_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    cluster = advanced(cc, emu, "mwinspec")
    check(
        "MaintenanceWindow", cc.maintenance_windows.set(cluster, offset_duration=0, window_duration=21600).raw
    )
    parent = cc.folders.create(unique("specs"))
    child = cc.folders.create("child", parent, labels={"a": "b"})
    check("FolderResource", child.raw)
    check("ListFoldersResponse", cc.request("GET", "/api/v1/folders", params={"pagination.limit": 1}).json())
    check("FolderResourceList", cc.request("GET", f"/api/v1/folders/{parent.id}/contents").json())
    account = cc.service_accounts.create(unique("spec account"))
    check("ServiceAccount", account.raw)
    check("ListServiceAccountsResponse", cc.request("GET", "/api/v1/service-accounts").json())
    created = cc.request(
        "POST", "/api/v1/api-keys", json={"name": "spec", "service_account_id": account.id}
    ).json()
    check("CreateApiKeyResponse", created)
    check("ListApiKeysResponse", cc.request("GET", "/api/v1/api-keys").json())
