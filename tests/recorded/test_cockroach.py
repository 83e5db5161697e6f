"""CockroachDB Cloud through the facade, replayed from tests/cassettes/cockroach/."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

import dbcloud
from dbcloud.cockroach import Cluster, UsageLimits
from dbcloud.emulator import Fault

from ._targets import TEST_SECRETS, Target, on_request

API = "cockroach"
pytestmark = pytest.mark.vcr

# The vendor guide's example cluster: Basic (serverless), GCP, us-central1.
NAME = "notorious-moose"
# A cluster id no organization has (a well-formed UUID, so the API looks it up rather than refusing it).
UNKNOWN_ID = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"


@pytest.fixture
def cockroach(target: Target) -> Iterator[dbcloud.CockroachCloud]:
    with target.connect(dbcloud.CockroachCloud) as client:
        yield client


def count_requests(client: dbcloud.CockroachCloud) -> list[str]:
    """The URLs the client sends from now on, one entry per request (retries are not counted)."""
    sent: list[str] = []
    on_request(client, lambda request: sent.append(str(request.url)))
    return sent


def test_serverless_cluster_lifecycle(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    cluster = cockroach.clusters.create_serverless(NAME, provider="GCP", regions=["us-central1"])
    assert cluster.name == NAME
    assert cluster.vendor_state == "CREATING"
    assert cluster.state is dbcloud.ClusterState.PROVISIONING

    progress: list[dbcloud.Progress] = []
    ready = cockroach.clusters.wait_until_ready(cluster.id, on_progress=progress.append)
    assert ready.vendor_state == "CREATED"
    assert ready.state is dbcloud.ClusterState.RUNNING
    assert progress[0].state == "CREATING"
    assert progress[-1].state == "CREATED"
    assert len(progress) > 2, "the wait polls while the cluster is created"
    if target.mode == "replay":
        # Every poll but the last is followed by a pause, on the fake clock.
        assert len(target.time.slept) == len(progress) - 1
        assert sum(target.time.slept) == pytest.approx(progress[-1].elapsed)

    # Spec: a Basic cluster has no nodes of its own ("node_count will be 0 for Serverless clusters").
    assert list(cockroach.clusters.nodes(cluster.id)) == []
    assert [r.node_count for r in ready.regions] == [0]

    # A second cluster, so that one cluster per page makes two pages.
    other = cockroach.clusters.create_serverless(f"{NAME}-2")
    sent = count_requests(cockroach)
    pager = cockroach.clusters.list(page_size=1)
    assert len(sent) == 1, "the first page is fetched with the call, so a refusal raises there"
    assert "pagination.page" not in sent[0]
    walk = iter(pager)
    first = next(walk)
    assert len(sent) == 1
    rest = list(walk)
    assert len(sent) == 2, "the second page is fetched when iteration reaches it"
    assert "pagination.page=" in sent[1]
    assert [first.name, *(c.name for c in rest)] == [NAME, f"{NAME}-2"]

    deleted = cockroach.clusters.delete(cluster.id)
    assert deleted is None or deleted.id == cluster.id
    gone: list[dbcloud.Progress] = []
    assert cockroach.clusters.wait_until_deleted(cluster.id, on_progress=gone.append) is None
    assert gone[-1].state in ("DELETED", "gone")
    cockroach.clusters.delete(other.id)


def test_get_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    created = cockroach.clusters.create_serverless(
        NAME, usage_limits={"request_unit_limit": 50_000_000, "storage_mib_limit": 10_240}
    )
    cluster = cockroach.clusters.get(created.id)
    assert cluster.id == created.id
    assert cluster.name == NAME
    assert cluster.plan == "BASIC"
    assert cluster.cloud_provider == "GCP"
    assert [region.name for region in cluster.regions] == ["us-central1"]
    assert cluster.sql_dns
    assert cluster.sql_dns.endswith(".cockroachlabs.cloud")
    assert cluster.routing_id
    # int64 values travel as decimal strings; the facade hands out ints.
    assert cluster.usage_limits == UsageLimits(request_unit_limit=50_000_000, storage_mib_limit=10_240)
    assert cluster.created_at is not None
    assert cluster.created_at.tzinfo is not None
    cockroach.clusters.delete(created.id)


def test_unknown_key_is_an_authentication_error(target: Target) -> None:
    with (
        target.connect(dbcloud.CockroachCloud, api_key=TEST_SECRETS[1]) as client,
        pytest.raises(dbcloud.AuthenticationError) as caught,
    ):
        list(client.clusters.list())
    assert caught.value.status_code == 401
    assert "COCKROACH_API_KEY" in str(caught.value), "the message says which setting to check"
    assert TEST_SECRETS[1] not in str(caught.value)
    assert TEST_SECRETS[1] not in repr(caught.value.body)


def test_unknown_cluster_is_not_found(cockroach: dbcloud.CockroachCloud) -> None:
    with pytest.raises(dbcloud.NotFoundError) as caught:
        cockroach.clusters.get(UNKNOWN_ID)
    assert caught.value.status_code == 404


@pytest.mark.emulator_only
def test_rate_limited_read_is_retried(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    target.inject(Fault("429", count=1, retry_after=2))
    regions = list(cockroach.clusters.available_regions("GCP", serverless=True))
    assert regions
    assert regions[0].provider == "GCP"
    assert all(region.serverless for region in regions)
    if target.mode == "replay":
        assert target.time.slept == [2.0], "the replay waits out the recorded Retry-After"


@pytest.mark.emulator_only
def test_unavailable_read_is_retried(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    created = cockroach.clusters.create_serverless(NAME)
    target.inject(Fault("503", count=2))
    assert cockroach.clusters.get(created.id).name == NAME
    if target.mode == "replay":
        assert len(target.time.slept) == 2, "two failed attempts, two pauses, then the answer"


@pytest.mark.emulator_only
def test_unavailable_create_is_not_retried(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    target.inject(Fault("503", count=1))
    sent = count_requests(cockroach)
    with pytest.raises(dbcloud.APIStatusError) as caught:
        cockroach.clusters.create_serverless(NAME)
    assert caught.value.status_code == 503
    assert len(sent) == 1
    if target.mode == "replay":
        assert target.time.slept == [], "a create is sent once: a repeat could make a second cluster"


@pytest.mark.emulator_only
def test_failed_creation_ends_the_wait(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    if target.emulator is not None:
        target.emulator.fail_next_launch(API)
    cluster = cockroach.clusters.create_serverless(NAME)
    with pytest.raises(dbcloud.ClusterFailed) as caught:
        cockroach.clusters.wait_until_ready(cluster.id)
    last = caught.value.last_state
    assert isinstance(last, Cluster)
    assert last.vendor_state == "CREATION_FAILED"
    assert last.state is dbcloud.ClusterState.FAILED
    assert "CREATION_FAILED" in str(caught.value)


SQL_PASSWORD = "recorded-sql-pass-4e1b"  # scrubbed from the cassette as the body's secret field


def test_sql_users_of_a_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    cluster = cockroach.clusters.create_serverless(NAME)
    cockroach.clusters.wait_until_ready(cluster.id)
    assert cockroach.sql_users.create(cluster.id, "maxroach", SQL_PASSWORD).name == "maxroach"
    cockroach.sql_users.create(cluster.id, "app", dbcloud.Secret(SQL_PASSWORD))
    assert [u.name for u in cockroach.sql_users.list(cluster.id, page_size=1)] == ["app", "maxroach"]
    assert cockroach.sql_users.get(cluster.id, "MaxRoach").name == "maxroach"
    assert cockroach.sql_users.change_password(cluster.id, "maxroach", SQL_PASSWORD + "-2").name == "maxroach"
    with pytest.raises(dbcloud.ConflictError):
        cockroach.sql_users.create(cluster.id, "app", SQL_PASSWORD)
    assert cockroach.sql_users.delete(cluster.id, "app").name == "app"
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.sql_users.delete(cluster.id, "app")
    assert [u.name for u in cockroach.sql_users.list(cluster.id)] == ["maxroach"]
    cockroach.clusters.delete(cluster.id)


def test_maintenance_window_of_an_advanced_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    hardware = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}
    cluster = cockroach.clusters.create(
        f"{NAME}-adv", "GCP", dedicated={"region_nodes": {"us-central1": 3}, "hardware": hardware}
    )
    cockroach.clusters.wait_until_ready(cluster.id)
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.maintenance_windows.get(cluster.id)
    window = cockroach.maintenance_windows.set(
        cluster.id, offset_duration=datetime.timedelta(days=2), window_duration=6 * 3600
    )
    assert window.raw == {"offset_duration": "172800s", "window_duration": "21600s"}
    assert cockroach.maintenance_windows.get(cluster.id).window_duration == datetime.timedelta(hours=6)
    removed = cockroach.maintenance_windows.delete(cluster.id)
    assert removed is not None
    assert removed.offset_duration == datetime.timedelta(days=2)
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.maintenance_windows.delete(cluster.id)
    cockroach.clusters.delete(cluster.id)


def test_folders_service_accounts_and_api_keys(cockroach: dbcloud.CockroachCloud) -> None:
    prod = cockroach.folders.create("prod")
    team = cockroach.folders.create("team1", prod.id, labels={"env": "production"})
    assert [f.id for f in cockroach.folders.list(path="/prod/team1")] == [team.id]
    assert [e.name for e in cockroach.folders.contents(prod.id)] == ["team1"]
    with pytest.raises(dbcloud.ConflictError):
        cockroach.folders.create("team1", prod.id)
    with pytest.raises(dbcloud.BadRequestError):
        cockroach.folders.delete(prod.id)  # not empty
    assert cockroach.folders.update(team.id, parent_id="root").full_path == "/team1"
    cockroach.folders.delete(team.id)
    cockroach.folders.delete(prod.id)

    account = cockroach.service_accounts.create("a service account")
    key = cockroach.api_keys.create("ci", account.id)
    # The secret comes once, as a Secret; the cassette holds a placeholder in its place.
    assert isinstance(key.secret, dbcloud.Secret)
    assert key.secret.reveal() not in repr(key)
    assert [k.id for k in cockroach.api_keys.list(account.id)] == [key.id]
    assert cockroach.api_keys.get(key.id).secret is None
    assert cockroach.api_keys.update(key.id, "ci-renamed").name == "ci-renamed"
    cockroach.api_keys.delete(key.id)
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.api_keys.delete(key.id)
    assert cockroach.service_accounts.update(account.id, description="CI").description == "CI"
    cockroach.service_accounts.delete(account.id)


def test_backups_and_restores_of_a_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    cluster = cockroach.clusters.create_serverless(NAME)
    cockroach.clusters.wait_until_ready(cluster.id)
    config = cockroach.backup_configuration.get(cluster.id)
    assert config.enabled is True
    changed = cockroach.backup_configuration.update(cluster.id, frequency_minutes=240)
    assert changed.frequency_minutes == 240
    backups = list(cockroach.backups.list(cluster.id))
    assert backups
    latest = backups[-1]
    since = list(cockroach.backups.list(cluster.id, start_time=latest.as_of_time, sort_order="DESC"))
    assert [b.id for b in since] == [latest.id]
    restore = cockroach.restores.create(
        cluster.id, type="DATABASE", backup_id=latest.id, objects=[{"database": "movr"}]
    )
    assert restore.status == "PENDING"
    done = cockroach.restores.wait_until_done(cluster.id, restore.id)
    assert done.done
    assert done.backup_id == latest.id
    assert [r.id for r in cockroach.restores.list(cluster.id)] == [restore.id]
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.restores.get(cluster.id, UNKNOWN_ID)
    cockroach.clusters.delete(cluster.id)


@pytest.mark.emulator_only
def test_failed_restore_ends_the_wait(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    cluster = cockroach.clusters.create_serverless(NAME)
    cockroach.clusters.wait_until_ready(cluster.id)
    if target.emulator is not None:
        target.emulator.fail_next_launch(API)
    restore = cockroach.restores.create(cluster.id, type="CLUSTER")
    with pytest.raises(dbcloud.cockroach.RestoreFailed) as caught:
        cockroach.restores.wait_until_done(cluster.id, restore.id)
    assert caught.value.restore.failed
    assert caught.value.error_message == "restore job failed: emulated failure"
    cockroach.clusters.delete(cluster.id)


DATADOG_KEY = "recorded-datadog-key-7f3a"  # scrubbed from the cassette as the body's secret field


def test_log_and_metric_export_of_an_advanced_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    hardware = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}
    cluster = cockroach.clusters.create(
        f"{NAME}-exp", "AWS", dedicated={"region_nodes": {"us-east-1": 3}, "hardware": hardware}
    )
    cockroach.clusters.wait_until_ready(cluster.id)
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.log_export.get(cluster.id)
    role = "arn:aws:iam::123456789012:role/CockroachExport"
    logs = cockroach.log_export.enable(
        cluster.id,
        type="AWS_CLOUDWATCH",
        log_name="default",
        auth_principal=role,
        groups=[{"log_name": "ops", "channels": ["OPS", "HEALTH"], "min_level": "WARNING"}],
    )
    assert logs.status == "ENABLING"
    assert cockroach.log_export.wait_until_enabled(cluster.id).enabled
    datadog = cockroach.metric_export.datadog.enable(
        cluster.id, site="US1", api_key=dbcloud.Secret(DATADOG_KEY)
    )
    assert DATADOG_KEY not in repr(datadog)
    assert cockroach.metric_export.datadog.wait_until_enabled(cluster.id).site == "US1"
    cockroach.metric_export.cloudwatch.enable(cluster.id, role_arn=role, target_region="us-east-1")
    cockroach.metric_export.prometheus.enable(cluster.id)
    ready = cockroach.metric_export.prometheus.wait_until_enabled(cluster.id)
    assert list(ready.targets) == ["us-east-1"]
    assert cockroach.metric_export.cloudwatch.get(cluster.id).enabled
    for export in (cockroach.metric_export.datadog, cockroach.metric_export.cloudwatch):
        assert export.disable(cluster.id).status == "DISABLING"
    assert cockroach.metric_export.prometheus.disable(cluster.id).status == "DISABLING"
    assert cockroach.log_export.disable(cluster.id).status == "DISABLING"
    cockroach.clusters.delete(cluster.id)


def test_databases_of_a_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    cluster = cockroach.clusters.create_serverless(NAME)
    cockroach.clusters.wait_until_ready(cluster.id)
    assert [d.name for d in cockroach.databases.list(cluster.id)] == ["defaultdb", "postgres"]
    made = cockroach.databases.create(cluster.id, "movr")
    assert (made.name, made.table_count) == ("movr", 0)
    assert [d.name for d in cockroach.databases.list(cluster.id, page_size=2)] == [
        "defaultdb",
        "movr",
        "postgres",
    ]
    with pytest.raises(dbcloud.ConflictError):
        cockroach.databases.create(cluster.id, "movr")
    assert cockroach.databases.rename(cluster.id, "movr", "movr_v2").name == "movr_v2"
    assert cockroach.databases.delete(cluster.id, "movr_v2").name == "movr_v2"
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.databases.delete(cluster.id, "movr_v2")
    assert [d.name for d in cockroach.databases.list(cluster.id, sort_order="DESC")] == [
        "postgres",
        "defaultdb",
    ]
    cockroach.clusters.delete(cluster.id)


def test_ip_allowlist_of_a_cluster(cockroach: dbcloud.CockroachCloud) -> None:
    cluster = cockroach.clusters.create(
        NAME, "GCP", serverless={"regions": ["us-central1"], "with_empty_ip_allowlist": True}
    )
    cockroach.clusters.wait_until_ready(cluster.id)
    assert list(cockroach.ip_allowlists.list(cluster.id)) == []
    office = cockroach.ip_allowlists.add(cluster.id, "192.168.3.2", 32, ui=False, sql=True, name="office")
    assert (office.cidr, office.name) == ("192.168.3.2/32", "office")
    cockroach.ip_allowlists.add(cluster.id, "10.0.0.0", 24, ui=False, sql=True)
    assert [e.cidr for e in cockroach.ip_allowlists.list(cluster.id, page_size=1)] == [
        "10.0.0.0/24",
        "192.168.3.2/32",
    ]
    with pytest.raises(dbcloud.ConflictError):
        cockroach.ip_allowlists.add(cluster.id, "10.0.0.0", 24, ui=True, sql=True)
    updated = cockroach.ip_allowlists.update(cluster.id, "192.168.3.2", 32, ui=False, sql=False)
    assert (updated.sql, updated.name) == (False, "office")
    assert cockroach.ip_allowlists.remove(cluster.id, "10.0.0.0", 24).cidr == "10.0.0.0/24"
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.ip_allowlists.remove(cluster.id, "10.0.0.0", 24)
    assert [e.cidr for e in cockroach.ip_allowlists.list(cluster.id)] == ["192.168.3.2/32"]
    cockroach.clusters.delete(cluster.id)


def test_connection_string_of_a_cluster(cockroach: dbcloud.CockroachCloud, target: Target) -> None:
    cluster = cockroach.clusters.create_serverless(NAME)
    ready = cockroach.clusters.wait_until_ready(cluster.id)
    found = cockroach.clusters.connection_string(cluster.id, sql_user="maxroach", database="movr", os="LINUX")
    assert (found.host, found.port, found.database, found.username) == (
        ready.sql_dns,
        26257,
        "movr",
        "maxroach",
    )
    if target.mode == "replay":
        # The cassette keeps no connection string: the scrubber hides every field of that name,
        # since such strings usually embed a password (this one holds none).
        assert found.connection_string.startswith("DBCLOUD-REDACTED-")
    else:
        assert found.connection_string.startswith("postgresql://maxroach@")
    plain = cockroach.clusters.connection_string(cluster.id, os="MAC")
    assert (plain.database, plain.username) == ("defaultdb", None)
    with pytest.raises(dbcloud.NotFoundError):
        cockroach.clusters.connection_string(UNKNOWN_ID, os="LINUX")
    cockroach.clusters.delete(cluster.id)
