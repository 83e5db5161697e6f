"""ACM cluster settings, backups, database users and ZooKeepers against the emulator, on both
flavours. The emulated clock stands still: tests move it (see test_acm_day2.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import dbcloud
from dbcloud.altinity import AsyncAltinity
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.acm import LAUNCH_SECONDS
from tests._bridge import Flavour

USER_PASS = "emulated-user-pw-41"


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
        176, name="data", admin_pass="admin-pw-12", node_type="m5.large", nodes=1, replicas=1, size=10
    )
    emu.advance(LAUNCH_SECONDS + 1)  # + 1: clear of float rounding
    return made.id


def test_settings_are_staged_then_pushed(acm: dbcloud.Altinity, emu: Emulator, cluster: str) -> None:
    made = acm.settings.set(cluster, "config.d/http_handlers.xml", "<clickhouse/>")
    assert (made.is_file, made.cluster_id, made.value) == (True, cluster, "<clickhouse/>")
    scalar = acm.settings.set(cluster, "max_concurrent_queries", "200")
    assert scalar.is_file is False
    changed = acm.settings.set(cluster, "max_concurrent_queries", "300")
    assert (changed.id, changed.value) == (scalar.id, "300")
    assert {s.name for s in acm.settings.list(cluster)} == {
        "config.d/http_handlers.xml",
        "max_concurrent_queries",
    }
    acm.settings.push(cluster)
    status = acm.clusters.status(cluster)
    assert (status.last_action, status.action_done) == ("push", False)
    acm.clusters.wait_until_ready(cluster)
    acm.settings.delete(cluster, "config.d/http_handlers.xml")
    acm.settings.delete(cluster, int(scalar.id))
    assert list(acm.settings.list(cluster)) == []
    acm.settings.push(cluster)  # nothing staged: nothing runs
    assert acm.clusters.status(cluster).ready
    with pytest.raises(dbcloud.NotFoundError):
        acm.settings.delete(cluster, 999999)
    with pytest.raises(dbcloud.NotFoundError):
        list(acm.settings.list(999999))


def test_backups_and_a_restore(acm: dbcloud.Altinity, emu: Emulator, cluster: str) -> None:
    assert list(acm.backups.list(cluster)) == []
    acm.backups.create(cluster)
    with pytest.raises(dbcloud.APIStatusError, match="running action: Backup cluster"):
        acm.backups.create(cluster)
    acm.clusters.wait_until_ready(cluster)
    (backup,) = acm.backups.list(cluster)
    assert backup.tag == backup.id
    with pytest.raises(dbcloud.APIStatusError, match="not found"):
        acm.backups.restore(cluster, tag="no-such-backup")
    with pytest.raises(dbcloud.APIStatusError, match="accessKey and secretKey are required"):
        acm.backups.restore(cluster, tag="elsewhere", provider="s3", bucket="b")
    acm.backups.restore(cluster, tag=backup.tag)
    assert acm.clusters.get(cluster).status == "pending"
    assert acm.clusters.wait_until_ready(cluster).ready
    secret = "s3-secret-never-echoed-7"
    acm.backups.restore(
        cluster,
        tag="elsewhere",
        provider="s3",
        bucket="b",
        access_key="AKIAX",
        secret_key=dbcloud.Secret(secret),
    )
    acm.clusters.wait_until_ready(cluster)


def test_database_users(acm: dbcloud.Altinity, cluster: str) -> None:
    user = acm.database_users.create(
        cluster, "app", dbcloud.Secret(USER_PASS), databases=["default"], profile_id=3
    )
    assert (user.name, user.databases, user.profile_id, user.cluster_id) == (
        "app",
        ("default",),
        "3",
        cluster,
    )
    assert "password" not in user.raw
    assert acm.clusters.query(cluster, "SELECT 5", user="app", password=USER_PASS).text == "5\n"
    with pytest.raises(dbcloud.APIStatusError, match="already exists"):
        acm.database_users.create(cluster, "app", "other-pw")
    with pytest.raises(dbcloud.APIStatusError, match="reserved"):
        acm.database_users.create(cluster, "admin", "other-pw")
    updated = acm.database_users.update(cluster, "app", password="new-pw-9", access_management=True)
    assert updated.access_management is True
    assert acm.clusters.query(cluster, "SELECT 6", user="app", password="new-pw-9").text == "6\n"
    (listed,) = acm.database_users.list(cluster)  # a list answers the lists as comma text
    assert (listed.name, listed.databases, listed.raw["databases"]) == ("app", ("default",), "default")
    acm.database_users.delete(cluster, user.id)
    assert list(acm.database_users.list(cluster)) == []
    with pytest.raises(dbcloud.NotFoundError):
        acm.database_users.delete(cluster, int(user.id))
    with pytest.raises(dbcloud.NotFoundError):
        acm.database_users.update(cluster, "ghost", password="x-pw")


def test_writes_wait_for_a_running_cluster(acm: dbcloud.Altinity, cluster: str) -> None:
    acm.clusters.stop(cluster, wait=True)
    with pytest.raises(dbcloud.APIStatusError, match="stopped"):
        acm.database_users.create(cluster, "late", "pw-late-1")
    with pytest.raises(dbcloud.APIStatusError, match="stopped"):
        acm.backups.create(cluster)
    assert list(acm.settings.list(cluster)) == []  # reads work in any state


def test_zookeepers(acm: dbcloud.Altinity, cluster: str) -> None:
    (shared,) = acm.zookeepers.list(176)
    assert (shared.dedicated, shared.size, shared.launched, shared.state) == (False, "multi", True, "online")
    dedicated = [z for z in acm.zookeepers.list(176, show_dedicated=True) if z.dedicated]
    assert str(int(cluster) * 10) in {z.id for z in dedicated}
    with pytest.raises(dbcloud.NotFoundError):
        list(acm.zookeepers.list(999))


def test_user_lists_are_json_lists_as_acm_reads_them(
    acm: dbcloud.Altinity, flavour: Flavour, cluster: str
) -> None:
    user = acm.database_users.create(
        cluster, "netted", USER_PASS, databases=["default", "logs"], networks=["10.0.0.0/8", "::/0"]
    )
    assert (user.databases, user.networks) == (("default", "logs"), ("10.0.0.0/8", "::/0"))
    # Text where ACM wants a list, past the facade: ClickHouse's syntax error inside HTTP 200, as
    # the Terraform provider saw ACM answer live.
    body = {"login": "texty", "password": "p-1", "databases": "a,b"}
    sent: Any = acm.http_client.post(f"/cluster/{cluster}/users", json=body)
    response = flavour.loop.run_until_complete(sent) if flavour.loop is not None else sent
    assert response.status_code == 200
    assert "SYNTAX_ERROR" in response.json()["error"]
