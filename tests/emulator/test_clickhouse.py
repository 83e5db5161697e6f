"""The ClickHouse Cloud facade end to end against the emulator, over real loopback HTTP."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickhouse import AsyncClickHouseCloud, ServiceIdleError
from dbcloud.emulator import Emulator, Fault, running
from dbcloud.emulator.clickhouse import BACKUP_SECONDS, ORG_ID, PROVISION_SECONDS
from tests._bridge import Blocking, Flavour
from tests.emulator._spec import SpecCheck

# Waits poll every 50 ms; at 3,000 emulated seconds per real second a 300 s launch takes 0.1 s.
FAST: dict[str, Any] = {"interval": 0.05, "max_interval": 0.1, "timeout": 60}
OTHER_ORG = "11111111-2222-4333-8444-555555555555"


class Emulators:
    """The module's emulators, one per client flavour, each started when first wanted: the tests
    change the organization's state (members removed, invitations sent), so each flavour's run
    starts from the seeded state, as the sync run did alone."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._started: dict[str, Emulator] = {}

    def of(self, name: str) -> Emulator:
        if name not in self._started:
            self._started[name] = self._stack.enter_context(running(speed=3000))
        return self._started[name]


@pytest.fixture(scope="module")
def emulators() -> Iterator[Emulators]:
    with contextlib.ExitStack() as stack:
        yield Emulators(stack)


@pytest.fixture
def emu(emulators: Emulators, request: pytest.FixtureRequest) -> Emulator:
    """The emulator of the test's flavour (the sync one for tests that use no client)."""
    flavour = request.getfixturevalue("flavour") if "flavour" in request.fixturenames else None
    return emulators.of(flavour.name if flavour is not None else "sync")


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One connection pool for the module: each facade borrows it (a new pool costs ~50 ms)."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CLICKHOUSE_ORG_ID", "CLICKHOUSE_API_URL", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def connect(
    emu: Emulator, http: httpx.Client, key_id: str | None = None, key_secret: str | None = None
) -> dbcloud.ClickHouseCloud:
    return dbcloud.ClickHouseCloud(
        key_id=key_id or emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=key_secret or emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
        http_client=http,
    )


@pytest.fixture
def cloud(emu: Emulator, http: httpx.Client, flavour: Flavour) -> Iterator[dbcloud.ClickHouseCloud]:
    """`ClickHouseCloud`, and `AsyncClickHouseCloud` behind the same API: every test runs on both."""
    emu.clear_faults()
    with flavour.client(
        dbcloud.ClickHouseCloud,
        AsyncClickHouseCloud,
        key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
        # The module's pool is a sync one: the async client opens its own.
        http_client=None if flavour.is_async else http,
    ) as client:
        yield client


def org_id_of(cloud: Any) -> str:
    """The client's organization: `org_id` of the sync client, `await organization_id()` of the
    async one (behind `Blocking`), which has no property that may send a request."""
    found: str = cloud.organization_id() if isinstance(cloud, Blocking) else cloud.org_id
    return found


def create(cloud: dbcloud.ClickHouseCloud, name: str, **fields: Any) -> str:
    fields.setdefault("idle_scaling", False)
    return cloud.services.create(name=name, provider="aws", region="us-east-1", **fields).id


# --- organizations ---------------------------------------------------------------------------------


def test_the_key_sees_one_organization_which_the_facade_picks(cloud: dbcloud.ClickHouseCloud) -> None:
    assert [str(o.id) for o in cloud.organizations.list()] == [ORG_ID]
    assert org_id_of(cloud) == ORG_ID
    assert cloud.organizations.get().name == "Emulated Organization"
    renamed = cloud.organizations.update(name="Renamed", enable_core_dumps=True)
    assert (renamed.name, renamed.enable_core_dumps) == ("Renamed", True)
    assert cloud.organizations.get(ORG_ID).name == "Renamed"
    cloud.organizations.update(name="Emulated Organization")
    with pytest.raises(dbcloud.NotFoundError):
        cloud.organizations.get(OTHER_ORG)


# --- services --------------------------------------------------------------------------------------


def test_service_lifecycle(cloud: dbcloud.ClickHouseCloud) -> None:
    new = cloud.services.create(
        name="lifecycle",
        provider="aws",
        region="us-east-1",
        idle_scaling=False,
        ip_access_list=[{"source": "10.0.0.0/8", "description": "office"}],
        tags=[{"key": "env", "value": "test"}],
    )
    assert new.password is not None
    assert len(new.password.reveal()) >= 12
    assert "provisioning" in repr(new.service.state)
    sid = new.id
    assert cloud.services.state(sid) is dbcloud.ClusterState.PROVISIONING
    ready = cloud.services.wait_until_ready(sid, idle_ok=False, **FAST)
    assert ready.state == "running"
    assert ready.endpoints
    assert cloud.services.get(sid).name == "lifecycle"
    assert sid in [str(s.id) for s in cloud.services.list()]
    assert [str(s.id) for s in cloud.services.list(filters=["tag:env=test"])] == [sid]
    assert cloud.services.list(filters=["tag:env=prod"]) == []

    updated = cloud.services.update(
        sid, name="lifecycle-2", ip_access_list={"add": [{"source": "192.168.0.1"}], "remove": []}
    )
    assert updated.name == "lifecycle-2"
    assert [e.source for e in updated.model.ip_access_list] == ["10.0.0.0/8", "192.168.0.1"]
    scaled = cloud.services.set_scaling(sid, num_replicas=2, idle_timeout_minutes=10)
    assert (scaled.num_replicas, scaled.idle_timeout_minutes) == (2, 10)
    password = cloud.services.reset_password(sid)
    assert password is not None
    assert password.reveal() != new.password.reveal()
    digest = base64.b64encode(hashlib.sha256(b"chosen").digest()).decode()
    assert cloud.services.reset_password(sid, new_password_hash=digest) is None

    with pytest.raises(dbcloud.BadRequestError, match="Stop the service"):
        cloud.services.delete(sid)
    assert cloud.services.stop(sid).state == "stopping"
    assert cloud.services.wait_until(sid, "stopped", **FAST) is not None
    assert cloud.services.start(sid).state == "starting"
    cloud.services.wait_until(sid, dbcloud.ClusterState.RUNNING, **FAST)
    cloud.services.stop(sid)
    cloud.services.wait_until(sid, "stopped", **FAST)
    cloud.services.delete(sid)
    assert cloud.services.state(sid) is dbcloud.ClusterState.DELETING
    assert cloud.services.wait_until(sid, "deleted", **FAST) is None
    with pytest.raises(dbcloud.NotFoundError):
        cloud.services.get(sid)


def test_a_failed_launch_raises_cluster_failed(
    cloud: dbcloud.ClickHouseCloud, emu: Emulator, flavour: Flavour
) -> None:
    emu.fail_next_launch("clickhouse")
    sid = create(cloud, "doomed")
    with pytest.raises(dbcloud.ClusterFailed, match="failed"):
        cloud.services.wait_until_ready(sid, **FAST)
    assert cloud.services.state(sid) is dbcloud.ClusterState.FAILED
    # Only the next launch fails; a failed service can be deleted without stopping it.
    flavour.set_sleep(cloud, lambda seconds: time.sleep(0.02))  # the deletion wait polls every 20 ms
    cloud.services.delete(sid, wait=True, timeout=30)
    healthy = create(cloud, "healthy")
    assert cloud.services.wait_until_ready(healthy, **FAST).state == "running"


def test_an_idle_service_answers_424_until_woken(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = create(cloud, "sleepy", idle_scaling=True, idle_timeout_minutes=5)
    cloud.services.wait_until_ready(sid, **FAST)  # running, or already idle: both are usable
    emu.advance(PROVISION_SECONDS + 600)
    assert cloud.services.state(sid) is dbcloud.ClusterState.IDLE
    with dbcloud.ClickStack.managed(
        ORG_ID,
        sid,
        key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
    ) as stack:
        with pytest.raises(ServiceIdleError, match="wake") as caught:
            stack.dashboards.list()
        assert caught.value.service_id == sid
        assert caught.value.request_id
        assert cloud.services.wake(sid).state == "awaking"
        cloud.services.set_scaling(sid, idle_scaling=False)  # keep it awake from now on
        cloud.services.wait_until(sid, "running", **FAST)
        assert stack.dashboards.list() == []


def test_refused_service_changes(cloud: dbcloud.ClickHouseCloud) -> None:
    with pytest.raises(dbcloud.BadRequestError, match="not a region of gcp"):
        cloud.services.create(name="x", provider="gcp", region="us-east-1")
    with pytest.raises(dbcloud.BadRequestError, match="multiple of 4"):
        cloud.services.create(name="x", provider="aws", region="us-east-1", min_replica_memory_gb=10)
    with pytest.raises(dbcloud.BadRequestError, match="not an IP address"):
        cloud.services.create(
            name="x", provider="aws", region="us-east-1", ip_access_list=[{"source": "nope"}]
        )
    seeded = next(s for s in cloud.services.list() if s.name == "emulated-service")
    cloud.services.stop(str(seeded.id))
    with pytest.raises(dbcloud.BadRequestError, match="Cannot start a service that is stopping"):
        cloud.services.start(str(seeded.id))
    cloud.services.wait_until(str(seeded.id), "stopped", **FAST)
    with pytest.raises(dbcloud.BadRequestError, match="Cannot wake"):
        cloud.services.wake(str(seeded.id))
    cloud.services.start(str(seeded.id))
    cloud.services.wait_until_ready(str(seeded.id), **FAST)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.services.get("00000000-0000-4000-8000-000000000000")


# --- backups ---------------------------------------------------------------------------------------


def test_backups(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = create(cloud, "backed-up")
    cloud.services.wait_until_ready(sid, **FAST)
    automatic = cloud.backups.list(sid)
    assert [b.kind for b in automatic] == ["full"]
    made = cloud.backups.create(sid)
    assert made is not None
    assert (made.status, made.kind) == ("in_progress", "incremental")
    emu.advance(BACKUP_SECONDS)
    done = cloud.backups.get(sid, str(made.id))
    assert (done.status, done.model.duration_in_seconds) == ("done", BACKUP_SECONDS)
    assert done.finished_at is not None
    assert done.size_bytes
    assert len(cloud.backups.list(sid)) == 2
    cloud.backups.delete(sid, str(made.id))
    assert [b.id for b in cloud.backups.list(sid)] == [automatic[0].id]
    with pytest.raises(dbcloud.NotFoundError):
        cloud.backups.get(sid, str(made.id))
    cloud.services.stop(sid)
    with pytest.raises(dbcloud.BadRequestError, match="Cannot back up"):
        cloud.backups.create(sid)


# --- keys, members, invitations, activities --------------------------------------------------------


def test_keys(cloud: dbcloud.ClickHouseCloud, emu: Emulator, http: httpx.Client) -> None:
    before = len(cloud.keys.list())
    far = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    new = cloud.keys.create(name="ci", expire_at=far, assigned_role_ids=[_role(cloud, "Developer")])
    assert new.key_id
    assert new.key_secret is not None
    kid = str(new.key.id)
    assert new.key.key_suffix == new.key_id[-4:]
    assert [r.role_name for r in cloud.keys.get(kid).model.assigned_roles] == ["Developer"]
    assert len(cloud.keys.list()) == before + 1
    with connect(emu, http, new.key_id, new.key_secret.reveal()) as other:
        assert other.organizations.list()
    assert cloud.keys.get(kid).used_at is not None
    assert cloud.keys.update(kid, name="ci-renamed", state="disabled").state == "disabled"
    with (
        connect(emu, http, new.key_id, new.key_secret.reveal()) as other,
        pytest.raises(dbcloud.AuthenticationError),
    ):
        other.organizations.list()
    cloud.keys.delete(kid)
    assert len(cloud.keys.list()) == before
    with pytest.raises(dbcloud.NotFoundError):
        cloud.keys.get(kid)
    # A key made from hashes: the API returns neither id nor secret, yet the key works.
    digest = lambda text: base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()  # noqa: E731
    hashed = cloud.keys.create(
        name="hashed",
        hash_data={"keyIdHash": digest("my-id"), "keyIdSuffix": "y-id", "keySecretHash": digest("my-secret")},
    )
    assert (hashed.key_id, hashed.key_secret) == (None, None)
    with connect(emu, http, "my-id", "my-secret") as other:
        assert other.organizations.list()
    cloud.keys.delete(str(hashed.key.id))


def _role(cloud: dbcloud.ClickHouseCloud, name: str) -> str:
    response = cloud.request("GET", f"/v1/organizations/{ORG_ID}/roles")
    return next(r["id"] for r in response.json()["result"] if r["name"] == name)


def test_members_and_invitations(cloud: dbcloud.ClickHouseCloud) -> None:
    members = {m.email: m for m in cloud.members.list()}
    admin, developer = members["demo@example.com"], members["dev@example.com"]
    assert (admin.role, developer.role) == ("admin", "developer")
    assert cloud.members.get(str(developer.id)).name == "Demo Developer"
    promoted = cloud.members.update(str(developer.id), role="admin")
    assert promoted.role == "admin"
    demoted = cloud.members.update(str(developer.id), assigned_role_ids=[_role(cloud, "Developer")])
    assert [r.role_name for r in demoted.model.assigned_roles] == ["Developer"]
    with pytest.raises(dbcloud.BadRequestError, match="at least one admin"):
        cloud.members.update(str(admin.id), role="developer")
    with pytest.raises(dbcloud.BadRequestError, match="unknown role"):
        cloud.members.update(str(admin.id), assigned_role_ids=[OTHER_ORG])

    invitation = cloud.invitations.create(email="New.Person@Example.com", role="developer")
    assert invitation.email == "new.person@example.com"
    assert cloud.invitations.get(str(invitation.id)).role == "developer"
    assert [i.id for i in cloud.invitations.list()] == [invitation.id]
    with pytest.raises(dbcloud.BadRequestError, match="already been invited"):
        cloud.invitations.create(email="new.person@example.com")
    cloud.invitations.delete(str(invitation.id))
    assert cloud.invitations.list() == []

    cloud.members.delete(str(developer.id))
    assert [m.email for m in cloud.members.list()] == ["demo@example.com"]
    with pytest.raises(dbcloud.BadRequestError, match="at least one admin"):
        cloud.members.delete(str(admin.id))
    with pytest.raises(dbcloud.NotFoundError):
        cloud.members.get(str(developer.id))


def test_activities_record_every_change(cloud: dbcloud.ClickHouseCloud) -> None:
    sid = create(cloud, "audited")
    activities = cloud.activities.list()
    assert activities[0].type == "create_organization"
    latest = activities[-1]
    assert (latest.type, latest.service_id, latest.actor_type) == ("service_create", sid, "api")
    assert latest.created_at is not None
    window = cloud.activities.list(from_date=latest.created_at, to_date=latest.created_at)
    assert [a.id for a in window] == [latest.id]
    assert cloud.activities.get(str(latest.id)).type == "service_create"
    with pytest.raises(dbcloud.NotFoundError):
        cloud.activities.get("no-such-activity")


# --- faults ----------------------------------------------------------------------------------------


def test_gets_survive_503s_and_a_rate_limit(
    cloud: dbcloud.ClickHouseCloud, emu: Emulator, flavour: Flavour
) -> None:
    flavour.set_sleep(cloud, lambda seconds: None)
    emu.add_fault("clickhouse", Fault("503", count=2))
    assert cloud.services.list()
    emu.add_fault("clickhouse", Fault("429", count=1, retry_after=None, reset_after=2, reset_epoch=True))
    emu.add_fault("clickhouse", Fault("reset", count=1))
    assert cloud.keys.list()


def test_a_slow_answer_times_out(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    org_id_of(cloud)  # looked up before the fault is armed
    emu.add_fault("clickhouse", Fault("slow", count=1, delay=0.5))
    with pytest.raises(dbcloud.APITimeoutError):
        cloud.with_options(timeout=0.1, max_retries=0).services.list()


def test_a_rate_limited_creation_is_sent_once_more_and_creates_once(
    cloud: dbcloud.ClickHouseCloud, emu: Emulator, flavour: Flavour
) -> None:
    org_id_of(cloud)  # looked up before the fault is armed
    waits: list[float] = []
    flavour.set_sleep(cloud, waits.append)
    before = emu.stats()["clickhouse"]
    emu.add_fault("clickhouse", Fault("429", count=1, methods=("POST",), retry_after=7))
    create(cloud, "limited-once")
    after = emu.stats()["clickhouse"]
    assert after["creates"] == before["creates"] + 1
    assert after["faults_injected"] == before["faults_injected"] + 1
    assert waits == [7]


@pytest.mark.parametrize("kind", ["503", "reset"])
def test_a_creation_is_sent_exactly_once(cloud: dbcloud.ClickHouseCloud, emu: Emulator, kind: str) -> None:
    org_id_of(cloud)  # looked up before the fault is armed
    creates = emu.stats()["clickhouse"]["creates"]
    emu.add_fault("clickhouse", Fault(kind, count=1, methods=("POST",), retry_after=7))
    with pytest.raises(dbcloud.APIError):
        create(cloud, f"once-{kind}")
    assert emu.stats()["clickhouse"]["creates"] == creates
    create(cloud, f"then-{kind}")
    assert emu.stats()["clickhouse"]["creates"] == creates + 1


# --- bad input never makes a 500 -------------------------------------------------------------------

SERVICES = f"/v1/organizations/{ORG_ID}/services"


@pytest.mark.parametrize(
    ("method", "path", "content", "status"),
    [
        ("POST", SERVICES, b"{not json", 400),
        ("POST", SERVICES, b'{"name": 5, "provider": "aws", "region": "us-east-1"}', 400),
        ("POST", SERVICES, b'{"name": "x", "provider": "mars", "region": "us-east-1"}', 400),
        (
            "POST",
            SERVICES,
            b'{"name": "x", "provider": "aws", "region": "us-east-1", "numReplicas": "2"}',
            400,
        ),
        ("POST", SERVICES, b'["a", "list"]', 400),
        ("POST", SERVICES, b"x" * (1 << 21), 413),
        ("GET", f"{SERVICES}/..%2F..%2Fetc", None, 404),
        ("GET", f"{SERVICES}/not-a-uuid", None, 400),
        ("GET", f"/v1/organizations/{OTHER_ORG}/services", None, 404),
        ("POST", f"{SERVICES}/not-a-uuid/backups", None, 400),
        ("DELETE", f"{SERVICES}/{OTHER_ORG}/backups/{OTHER_ORG}", None, 404),
        ("GET", "/v1/no/such/endpoint", None, 404),
        ("PUT", SERVICES, None, 405),
    ],
)
def test_bad_requests_get_clickhouse_errors(
    emu: Emulator, http: httpx.Client, method: str, path: str, content: bytes | None, status: int
) -> None:
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    url = emu.env["CLICKHOUSE_API_URL"] + path
    response = http.request(
        method, url, content=content, auth=auth, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"status", "error", "requestId"}
    assert body["status"] == status


@pytest.mark.parametrize("auth", [None, ("emulator-key-id", "wrong"), ("nobody", "emulator-key-secret")])
def test_wrong_credentials_get_401(emu: Emulator, http: httpx.Client, auth: tuple[str, str] | None) -> None:
    root = emu.env["CLICKHOUSE_API_URL"]
    response = http.get(f"{root}/v1/organizations", auth=auth)
    assert response.status_code == 401
    assert response.json()["error"]
    backups = f"{SERVICES}/{OTHER_ORG}/backups"
    for method, path in (("POST", backups), ("DELETE", f"{backups}/{OTHER_ORG}")):
        assert http.request(method, root + path, auth=auth).status_code == 401


# --- the stateful answers match the spec -----------------------------------------------------------


def test_stateful_answers_validate_against_the_spec(
    cloud: dbcloud.ClickHouseCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "clickhouse")
    sid = create(cloud, "conforming", tags=[{"key": "team", "value": "data"}])
    key = cloud.keys.create(name="checked")
    invitation = cloud.invitations.create(email="checked@example.com")
    backup = cloud.backups.create(
        next(str(s.id) for s in cloud.services.list() if s.name == "emulated-service")
    )
    assert backup is not None
    org = f"/v1/organizations/{ORG_ID}"
    seeded = f"{org}/services/{backup.service_id}"
    user = next(str(m.id) for m in cloud.members.list())
    activity = cloud.activities.list()[-1].id
    paths = [
        "/v1/organizations", org, f"{org}/services", f"{org}/services/{sid}", f"{seeded}/backups",
        f"{seeded}/backups/{backup.id}", f"{org}/keys", f"{org}/keys/{key.key.id}", f"{org}/members",
        f"{org}/members/{user}", f"{org}/invitations", f"{org}/invitations/{invitation.id}",
        f"{org}/activities", f"{org}/activities/{activity}", f"{org}/roles",
        f"{org}/roles/{_role(cloud, 'Admin')}", f"{seeded}/clickstack/sources",
    ]  # fmt: skip
    for path in paths:
        check.answer(cloud.request("GET", path))
    cloud.services.wait_until_ready(sid, **FAST)
    check.answer(cloud.request("PATCH", f"{org}/services/{sid}/state", json={"command": "stop"}))
    assert check.checked == len(paths) + 1
