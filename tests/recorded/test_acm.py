"""Altinity.Cloud Manager through the facade, replayed from tests/cassettes/acm/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import dbcloud
from dbcloud.emulator import Fault

from ._targets import TEST_SECRETS, Target

API = "acm"
pytestmark = pytest.mark.vcr

ADMIN_PASS = TEST_SECRETS[0]
# A fixed expiry: the request carries it, and a replay must send the same bytes.
KEY_EXPIRY = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def acm(target: Target) -> Iterator[dbcloud.Altinity]:
    with target.connect(dbcloud.Altinity) as client:
        yield client


def environment_id(acm: dbcloud.Altinity) -> int:
    environment = acm.environments.list()[0]
    assert environment.id is not None
    return int(environment.id)


def test_environments(acm: dbcloud.Altinity) -> None:
    environments = acm.environments.list()
    assert environments
    first = acm.environments.get(int(environments[0].id))  # type: ignore[arg-type]
    assert first.name == environments[0].name


def test_cluster_lifecycle(acm: dbcloud.Altinity) -> None:
    env = environment_id(acm)
    cluster = acm.clusters.launch(
        env,
        name="cassette-lifecycle",
        admin_pass=ADMIN_PASS,
        node_type="m5.large",
        nodes=2,
        shards=1,
        replicas=2,
        size=100,
        zookeeper="launch",
    )
    assert cluster.id is not None
    states: list[dbcloud.Progress] = []
    status = acm.clusters.wait_until_ready(cluster.id, on_progress=states.append)
    assert status.ready
    assert states, "the wait reports progress while the cluster starts"
    fetched = acm.clusters.get(cluster.id)
    assert fetched.name == "cassette-lifecycle"
    assert cluster.id in [c.id for c in acm.clusters.list(env)]
    acm.clusters.delete(cluster.id)
    acm.clusters.wait_until_deleted(cluster.id)
    with pytest.raises(dbcloud.NotFoundError):
        acm.clusters.get(cluster.id)


def test_api_keys(acm: dbcloud.Altinity) -> None:
    before = acm.keys.list()
    key = acm.keys.create(expires_at=KEY_EXPIRY)
    assert key.expires == KEY_EXPIRY
    after = acm.keys.list()
    assert len(after) == len(before) + 1
    assert key.fingerprint in {k.fingerprint for k in after}
    acm.keys.delete(key)
    assert {k.fingerprint for k in acm.keys.list()} == {k.fingerprint for k in before}


def test_unknown_credential_is_an_authentication_error(target: Target) -> None:
    with (
        target.connect(dbcloud.Altinity, token=TEST_SECRETS[1]) as acm,
        pytest.raises(dbcloud.AuthenticationError) as caught,
    ):
        acm.environments.list()
    assert TEST_SECRETS[1] not in str(caught.value)


def test_unknown_cluster_is_not_found(acm: dbcloud.Altinity) -> None:
    with pytest.raises(dbcloud.NotFoundError):
        acm.clusters.get(987654)


@pytest.mark.emulator_only
def test_rate_limited_read_is_retried(acm: dbcloud.Altinity, target: Target) -> None:
    target.inject(Fault("429", count=1, retry_after=2))
    assert acm.environments.list()
    if target.mode == "replay":
        assert target.time.slept == [2.0], "the replay waits out the recorded Retry-After"


@pytest.mark.emulator_only
def test_unavailable_read_is_retried(acm: dbcloud.Altinity, target: Target) -> None:
    target.inject(Fault("503", count=2))
    assert acm.environments.list()
    if target.mode == "replay":
        assert len(target.time.slept) == 2


def test_day2_operations(acm: dbcloud.Altinity) -> None:
    env = environment_id(acm)
    cluster = acm.clusters.launch(
        env,
        name="cassette-day-two",
        admin_pass=ADMIN_PASS,
        node_type="m5.large",
        nodes=2,
        replicas=2,
        size=100,
        version="24.3",
    )
    acm.clusters.wait_until_ready(cluster.id)
    updated = acm.clusters.update(cluster.id, role="dev", timezone="UTC")
    assert updated.raw["timezone"] == "UTC"
    rescaled = acm.clusters.rescale(cluster.id, shards=2, size=200, wait=True)
    assert (rescaled.state, rescaled.nodes) == (dbcloud.ClusterState.RUNNING, 4)
    assert acm.clusters.upgrade(cluster.id, "24.8", wait=True).version == "24.8"
    assert acm.clusters.restart(cluster.id, wait=True).state is dbcloud.ClusterState.RUNNING
    assert acm.clusters.stop(cluster.id, wait=True).state is dbcloud.ClusterState.STOPPED
    with pytest.raises(dbcloud.APIStatusError, match="already stopped"):
        acm.clusters.stop(cluster.id)
    assert acm.clusters.resume(cluster.id, wait=True).state is dbcloud.ClusterState.RUNNING
    acm.clusters.delete(cluster.id)


def test_query_and_node_types(acm: dbcloud.Altinity) -> None:
    env = environment_id(acm)
    codes = {t.code for t in acm.node_types.list(env, scope="clickhouse")}
    assert "m5.large" in codes
    cluster = acm.clusters.launch(
        env, name="cassette-query", admin_pass=ADMIN_PASS, node_type="m5.large", nodes=1, replicas=1, size=10
    )
    acm.clusters.wait_until_ready(cluster.id)
    assert acm.clusters.query(cluster.id, "SELECT 1").text == "1\n"
    as_admin = acm.clusters.query(
        cluster.id, "SHOW DATABASES", user="admin", password=dbcloud.Secret(ADMIN_PASS)
    )
    assert "default" in (as_admin.text or "").split()
    with pytest.raises(dbcloud.APIStatusError, match="AUTHENTICATION_FAILED"):
        acm.clusters.query(cluster.id, "SELECT 1", user="nobody")
    acm.clusters.delete(cluster.id)


USER_PASS = TEST_SECRETS[1]  # scrubbed from the cassette as the body's secret field


def test_settings_backups_users_and_zookeepers(acm: dbcloud.Altinity) -> None:
    env = environment_id(acm)
    assert acm.zookeepers.list(env)
    cluster = acm.clusters.launch(
        env, name="cassette-data", admin_pass=ADMIN_PASS, node_type="m5.large", nodes=1, replicas=1, size=10
    )
    acm.clusters.wait_until_ready(cluster.id)
    made = acm.settings.set(cluster.id, "config.d/http_handlers.xml", "<clickhouse/>")
    assert made.is_file is True
    assert (
        acm.settings.set(cluster.id, "config.d/http_handlers.xml", "<clickhouse></clickhouse>").id == made.id
    )
    acm.settings.push(cluster.id)
    acm.clusters.wait_until_ready(cluster.id)
    acm.settings.delete(cluster.id, "config.d/http_handlers.xml")
    assert list(acm.settings.list(cluster.id)) == []

    acm.backups.create(cluster.id)
    acm.clusters.wait_until_ready(cluster.id)
    (backup,) = acm.backups.list(cluster.id)
    acm.backups.restore(cluster.id, tag=backup.tag or backup.id)
    acm.clusters.wait_until_ready(cluster.id)

    user = acm.database_users.create(cluster.id, "app", dbcloud.Secret(USER_PASS), databases=["default"])
    assert acm.database_users.update(cluster.id, "app", access_management=True).access_management is True
    assert [u.name for u in acm.database_users.list(cluster.id)] == ["app"]
    acm.database_users.delete(cluster.id, user.id)
    with pytest.raises(dbcloud.NotFoundError):
        acm.database_users.delete(cluster.id, user.id)
    acm.clusters.delete(cluster.id)
