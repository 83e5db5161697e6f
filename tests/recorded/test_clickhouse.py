"""ClickHouse Cloud through the facade, replayed from tests/cassettes/clickhouse/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import dbcloud
from dbcloud.emulator import Fault

from ._targets import TEST_SECRETS, Target

API = "clickhouse"
pytestmark = pytest.mark.vcr

# Fixed values: requests carry them, and a replay must send the same bytes.
KEY_EXPIRY = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
INVITEE = "cassette-invitee@example.com"
UNKNOWN_SERVICE = "5d7c1e2a-4b3f-4c6d-8e9f-0a1b2c3d4e5f"
ACCESS_LIST = [{"source": "10.0.0.0/8", "description": "cassette network"}]


@pytest.fixture
def cloud(target: Target) -> Iterator[dbcloud.ClickHouseCloud]:
    with target.connect(dbcloud.ClickHouseCloud) as client:
        yield client


def running_service(cloud: dbcloud.ClickHouseCloud) -> str:
    """The id of a service that is running now (the emulator's seed data has one)."""
    services = [s for s in cloud.services.list() if str(s.state) == "running"]
    assert services, "the organization has a running service"
    return str(services[0].id)


def org_id(target: Target, cloud: dbcloud.ClickHouseCloud) -> str:
    """`cloud.org_id`; the async client has `await organization_id()` instead (reading it may
    send a request)."""
    return str(cloud.organization_id() if target.flavour.is_async else cloud.org_id)  # type: ignore[attr-defined]


def test_organizations(target: Target) -> None:
    # Without an org id, the client asks the API for the key's only organization.
    with target.connect(dbcloud.ClickHouseCloud, org_id=None) as cloud:
        organizations = cloud.organizations.list()
        assert len(organizations) == 1
        assert org_id(target, cloud) == str(organizations[0].id)
        organization = cloud.organizations.get()
        assert str(organization.id) == org_id(target, cloud)
        assert organization.name == organizations[0].name


def test_service_lifecycle(cloud: dbcloud.ClickHouseCloud) -> None:
    new = cloud.services.create(
        name="cassette-lifecycle",
        provider="aws",
        region="us-east-1",
        ip_access_list=ACCESS_LIST,
        idle_scaling=False,
        num_replicas=3,
    )
    assert isinstance(new.password, dbcloud.Secret), "the default user's password comes back as a Secret"
    assert "*" in repr(new)
    assert cloud.services.state(new.id) in {dbcloud.ClusterState.PROVISIONING, dbcloud.ClusterState.RUNNING}

    progress: list[dbcloud.Progress] = []
    service = cloud.services.wait_until_ready(new.id, idle_ok=False, on_progress=progress.append)
    assert str(service.state) == "running"
    assert progress, "the wait reports progress while the service provisions"
    assert new.id in [str(s.id) for s in cloud.services.list()]

    scaled = cloud.services.set_scaling(new.id, num_replicas=2)
    assert scaled.num_replicas == 2
    renamed = cloud.services.update(new.id, name="cassette-lifecycle-renamed")
    assert renamed.name == "cassette-lifecycle-renamed"
    password = cloud.services.reset_password(new.id)
    assert isinstance(password, dbcloud.Secret)

    cloud.services.stop(new.id)
    stopped = cloud.services.wait_until(new.id, "stopped")
    assert stopped is not None
    assert cloud.services.state(new.id) is dbcloud.ClusterState.STOPPED

    cloud.services.start(new.id)
    started = cloud.services.wait_until_ready(new.id, idle_ok=False)
    assert str(started.state) == "running"
    assert started.num_replicas == 2, "scaling survives a stop and start"

    backups = cloud.backups.list(new.id)
    assert backups, "a running service gets its first backup"
    backup = cloud.backups.get(new.id, str(backups[0].id))
    assert backup.id == backups[0].id
    assert backup.service_id == new.id

    cloud.services.stop(new.id)
    cloud.services.wait_until(new.id, dbcloud.ClusterState.STOPPED)
    cloud.services.delete(new.id, wait=True)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.services.get(new.id)
    assert new.id not in [str(s.id) for s in cloud.services.list()]


def test_idle_service_wakes(cloud: dbcloud.ClickHouseCloud) -> None:
    # What ServiceIdleError tells its reader to do: wake the service, wait until it runs.
    new = cloud.services.create(
        name="cassette-idling",
        provider="aws",
        region="us-east-1",
        ip_access_list=ACCESS_LIST,
        idle_scaling=True,
        idle_timeout_minutes=5,
    )
    cloud.services.wait_until_ready(new.id)
    idle = cloud.services.wait_until(new.id, "idle", timeout=3600)
    assert idle is not None
    assert cloud.services.state(new.id) is dbcloud.ClusterState.IDLE
    woken = cloud.services.wake(new.id)
    assert str(woken.state) in {"awaking", "running"}
    running = cloud.services.wait_until_ready(new.id, idle_ok=False)
    assert str(running.state) == "running"

    cloud.services.stop(new.id)
    cloud.services.wait_until(new.id, dbcloud.ClusterState.STOPPED)
    cloud.services.delete(new.id, wait=True)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.services.get(new.id)


# The spec declares neither call (only the vendor's endpoint table lists them), and they act on a
# running service of the organization: never against a real one.
@pytest.mark.emulator_only
def test_manual_backup(cloud: dbcloud.ClickHouseCloud) -> None:
    service_id = running_service(cloud)
    before = {b.id for b in cloud.backups.list(service_id)}
    backup = cloud.backups.create(service_id)
    assert backup is not None
    assert backup.id not in before
    assert str(backup.status) == "in_progress"
    assert cloud.backups.get(service_id, str(backup.id)).id == backup.id
    assert {b.id for b in cloud.backups.list(service_id)} == before | {backup.id}
    cloud.backups.delete(service_id, str(backup.id))
    assert {b.id for b in cloud.backups.list(service_id)} == before


def test_api_keys(cloud: dbcloud.ClickHouseCloud, target: Target) -> None:
    before = {k.id for k in cloud.keys.list()}
    new = cloud.keys.create(name="cassette-key", expire_at=KEY_EXPIRY)
    assert isinstance(new.key_secret, dbcloud.Secret), "the key secret comes back as a Secret"
    assert new.key_id
    secret = new.key_secret.reveal()
    assert secret not in repr(new)
    assert new.key.name == "cassette-key"
    assert new.key.expire_at == KEY_EXPIRY
    assert {k.id for k in cloud.keys.list()} == before | {new.key.id}
    assert cloud.keys.get(str(new.key.id)).name == "cassette-key"

    # The new key works at once...
    with target.connect(dbcloud.ClickHouseCloud, key_id=new.key_id, key_secret=secret) as client:
        assert client.organizations.list()
        updated = cloud.keys.update(str(new.key.id), name="cassette-key-disabled", state="disabled")
        assert updated.name == "cassette-key-disabled"
        assert str(updated.state) == "disabled"
        # ...and not once disabled.
        with pytest.raises(dbcloud.AuthenticationError):
            client.organizations.list()

    cloud.keys.delete(str(new.key.id))
    assert {k.id for k in cloud.keys.list()} == before
    with pytest.raises(dbcloud.NotFoundError):
        cloud.keys.get(str(new.key.id))


def test_members(cloud: dbcloud.ClickHouseCloud) -> None:
    members = cloud.members.list()
    assert members
    assert any(str(m.role) == "admin" for m in members), "an organization has an admin"
    first = cloud.members.get(str(members[0].id))
    assert first.id == members[0].id
    assert first.email == members[0].email


# Changes and removes a person of the organization: never against a real one.
@pytest.mark.emulator_only
def test_member_role_change_and_removal(cloud: dbcloud.ClickHouseCloud) -> None:
    members = cloud.members.list()
    developer = next(m for m in members if str(m.role) == "developer")
    user_id = developer.id
    promoted = cloud.members.update(user_id, role="admin")
    assert str(promoted.role) == "admin"
    assert cloud.members.get(user_id).role == promoted.role
    demoted = cloud.members.update(user_id, role="developer")
    assert str(demoted.role) == "developer"
    cloud.members.delete(user_id)
    assert user_id not in [str(m.id) for m in cloud.members.list()]
    with pytest.raises(dbcloud.NotFoundError):
        cloud.members.get(user_id)


def test_invitations(cloud: dbcloud.ClickHouseCloud) -> None:
    invitation = cloud.invitations.create(email=INVITEE, role="developer")
    assert invitation.email == INVITEE
    assert str(invitation.role) == "developer"
    assert invitation.id in [i.id for i in cloud.invitations.list()]
    fetched = cloud.invitations.get(str(invitation.id))
    assert fetched.email == INVITEE
    cloud.invitations.delete(str(invitation.id))
    assert invitation.id not in [i.id for i in cloud.invitations.list()]
    with pytest.raises(dbcloud.NotFoundError):
        cloud.invitations.get(str(invitation.id))


def test_activities(cloud: dbcloud.ClickHouseCloud) -> None:
    activities = cloud.activities.list()
    assert activities, "the audit log has at least the organization's creation"
    last = activities[-1]
    assert last.id
    fetched = cloud.activities.get(last.id)
    assert fetched.id == last.id
    assert fetched.type == last.type
    # A window (fixed, long past) is sent and applied.
    window = cloud.activities.list(
        from_date=dt.datetime(2001, 1, 1, tzinfo=dt.UTC), to_date=dt.datetime(2001, 1, 2, tzinfo=dt.UTC)
    )
    assert window == []


def test_unknown_credential_is_an_authentication_error(target: Target) -> None:
    with (
        target.connect(dbcloud.ClickHouseCloud, key_secret=TEST_SECRETS[1]) as client,
        pytest.raises(dbcloud.AuthenticationError) as caught,
    ):
        client.services.list()
    assert caught.value.status_code == 401
    assert TEST_SECRETS[1] not in str(caught.value)
    assert TEST_SECRETS[1] not in repr(caught.value.body)
    assert "CLICKHOUSE_CLOUD_API_SECRET" in str(caught.value), "the message says what to check"


def test_unknown_service_is_not_found(cloud: dbcloud.ClickHouseCloud) -> None:
    with pytest.raises(dbcloud.NotFoundError) as caught:
        cloud.services.get(UNKNOWN_SERVICE)
    assert caught.value.status_code == 404
    assert caught.value.request_id, "the error carries the API's request id for support"


@pytest.mark.emulator_only
def test_rate_limited_read_is_retried(cloud: dbcloud.ClickHouseCloud, target: Target) -> None:
    # ClickHouse Cloud says how long to wait with X-RateLimit-Reset, not Retry-After.
    target.inject(Fault("429", count=1, retry_after=None, reset_after=3))
    assert cloud.services.list()
    if target.mode == "replay":
        assert target.time.slept == [3.0], "the replay waits out the recorded X-RateLimit-Reset"


@pytest.mark.emulator_only
def test_rate_limited_creation_is_sent_once_more(cloud: dbcloud.ClickHouseCloud, target: Target) -> None:
    # A 429 is a refusal before any work, so even a create is repeated, after the server's wait.
    target.inject(Fault("429", count=1, retry_after=None, reset_after=7, methods=("POST",)))
    created = cloud.keys.create(name="cassette-rate-limited", expire_at=KEY_EXPIRY)
    assert created.key.name == "cassette-rate-limited"
    if target.mode == "replay":
        assert target.time.slept == [7.0], "one repeat, after the recorded X-RateLimit-Reset"
    cloud.keys.delete(str(created.key.id))


@pytest.mark.emulator_only
def test_rate_limited_change_is_sent_once_more(cloud: dbcloud.ClickHouseCloud, target: Target) -> None:
    # ClickHouse's changes are PATCHes (`state`, `scaling`, `password`): a rate limit no longer fails them.
    service_id = running_service(cloud)
    target.inject(Fault("429", count=1, retry_after=2, methods=("PATCH",)))
    stopped = cloud.services.stop(service_id)
    assert str(stopped.id) == service_id
    if target.mode == "replay":
        assert target.time.slept[0] == 2.0, "one repeat, after the recorded Retry-After"
    # Leave the seeded service running for the scenarios that need it.
    cloud.services.wait_until(service_id, dbcloud.ClusterState.STOPPED)
    cloud.services.start(service_id)
    cloud.services.wait_until_ready(service_id, idle_ok=False)


@pytest.mark.emulator_only
def test_unavailable_read_is_retried(cloud: dbcloud.ClickHouseCloud, target: Target) -> None:
    target.inject(Fault("503", count=2))
    assert cloud.organizations.list()
    if target.mode == "replay":
        assert len(target.time.slept) == 2


PIPE_PASSWORD = "recorded-kafka-pass-3d2c"  # scrubbed from the cassette with the body's credentials
PIPE_SOURCE = {
    "kafka": {
        "type": "confluent",
        "format": "JSONEachRow",
        "brokers": "pkc-cassette.us-east-1.aws.confluent.cloud:9092",
        "topics": "events",
        "authentication": "PLAIN",
        "credentials": {"username": "cassette-reader", "password": PIPE_PASSWORD},
    }
}
PIPE_TABLE = {
    "database": "default",
    "table": "events",
    "managedTable": True,
    "columns": [{"name": "id", "type": "UInt64"}, {"name": "payload", "type": "String"}],
}


def test_clickpipe_lifecycle(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = running_service(cloud)
    made = cloud.clickpipes.create(sid, name="cassette-pipe", source=PIPE_SOURCE, destination=PIPE_TABLE)
    assert made.state is dbcloud.ClusterState.PROVISIONING
    assert PIPE_PASSWORD not in repr(made)
    running = cloud.clickpipes.wait_until_running(sid, made.id)
    assert running.status == "Running"
    assert made.id in [p.id for p in cloud.clickpipes.list(sid)]
    assert cloud.clickpipes.update(sid, made.id, name="cassette-pipe-2").name == "cassette-pipe-2"
    with pytest.raises(dbcloud.BadRequestError, match="already running"):
        cloud.clickpipes.start(sid, made.id)
    cloud.clickpipes.stop(sid, made.id)
    assert cloud.clickpipes.get(sid, made.id).state in {
        dbcloud.ClusterState.STOPPING,
        dbcloud.ClusterState.STOPPED,
    }
    cloud.clickpipes.delete(sid, made.id)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.clickpipes.delete(sid, made.id)


def test_failed_clickpipe_ends_the_wait(cloud: dbcloud.ClickHouseCloud) -> None:
    from dbcloud.clickhouse import ClickPipeFailed

    sid = running_service(cloud)
    source = {"kafka": {**PIPE_SOURCE["kafka"], "brokers": "broker.invalid:9092"}}
    made = cloud.clickpipes.create(sid, name="cassette-unreachable", source=source, destination=PIPE_TABLE)
    with pytest.raises(ClickPipeFailed) as caught:
        cloud.clickpipes.wait_until_running(sid, made.id)
    assert caught.value.pipe is not None
    assert caught.value.pipe.status == "Failed"
    cloud.clickpipes.delete(sid, made.id)


BUSINESS_HOURS = {
    "name": "business hours",
    "weekdays": [1, 2, 3, 4, 5],
    "startHourUtc": 8,
    "endHourUtc": 18,
    "minReplicaMemoryGb": 16,
    "maxReplicaMemoryGb": 32,
}
ALL_WEEK = {"name": "all week", "weekdays": [0, 1, 2, 3, 4, 5, 6], "startHourUtc": 0, "endHourUtc": 24}


def test_scaling_schedule(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = running_service(cloud)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.scaling_schedules.get(sid)
    made = cloud.scaling_schedules.set(sid, [BUSINESS_HOURS])
    assert [e.name for e in made.entries] == ["business hours"]
    assert made.entries[0].id is not None
    assert cloud.scaling_schedules.get(sid).entries[0].max_replica_memory_gb == 32
    with pytest.raises(dbcloud.BadRequestError, match="overlap"):
        cloud.scaling_schedules.set(sid, [BUSINESS_HOURS, ALL_WEEK])
    always = cloud.scaling_schedules.set(sid, [ALL_WEEK])
    assert always.active_entry is not None
    cloud.scaling_schedules.delete(sid)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.scaling_schedules.delete(sid)
