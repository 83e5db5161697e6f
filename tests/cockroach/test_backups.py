"""Backups, restores and the backup configuration: each call's method, path and body as the
vendor's Terraform provider sends them, answers read tolerantly, checks before sending, a restore
sent once, and the wait that ends in a typed error when a restore fails."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import Backup, BackupConfiguration, Restore, RestoreFailed, RestoreItem

from .conftest import CLUSTER_ID, FakeCockroach, body, query

CLUSTERS = f"/api/v1/clusters/{CLUSTER_ID}"
SOURCE_ID = "22222222-2222-4222-8222-222222222222"
BACKUP_ID = "11111111-1111-4111-8111-111111111111"
RESTORE_ID = "abcd1234-5678-90ab-cdef-1234567890ab"
UTC = datetime.UTC

Call = Callable[[dbcloud.CockroachCloud], object]


def restore_json(status: str = "PENDING", **extra: Any) -> dict[str, Any]:
    """A restore in the spec's example shape."""
    data: dict[str, Any] = {
        "id": RESTORE_ID,
        "backup_id": BACKUP_ID,
        "status": status,
        "created_at": "2025-07-09T15:04:05Z",
        "type": "TABLE",
        "completion_percent": 0,
        "source_cluster_name": "src-cluster",
        "destination_cluster_name": "dest-cluster",
        "backup_end_time": "2025-07-09T14:00:00Z",
        "objects": [{"database": "mydb", "schema": "public", "table": "users"}],
    }
    data.update(extra)
    return data


# --- backups ---------------------------------------------------------------------------------


def test_backups_list_sends_the_time_window_and_walks_the_pages(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on(
        "GET",
        f"{CLUSTERS}/backups",
        {
            "backups": [{"id": "b1", "as_of_time": "2025-07-09T14:00:00Z"}],
            "pagination": {"next_page": "t2"},
        },
        {"backups": [{"id": "b2", "as_of_time": None}]},
    )
    start = datetime.datetime(2025, 7, 1, tzinfo=UTC)
    end = datetime.datetime(2025, 7, 10, 12, tzinfo=UTC)
    found = list(crdb.backups.list(CLUSTER_ID, start_time=start, end_time=end, page_size=1))
    assert found == [Backup("b1", datetime.datetime(2025, 7, 9, 14, tzinfo=UTC)), Backup("b2")]
    first, second = (query(r) for r in fake.requests)
    assert first == {
        "pagination.limit": "1",
        "start_time": "2025-07-01T00:00:00+00:00",
        "end_time": "2025-07-10T12:00:00+00:00",
    }
    assert second == {**first, "pagination.page": "t2"}


def test_a_backup_without_an_id_is_left_out_of_the_list(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", f"{CLUSTERS}/backups", {"backups": [{"as_of_time": "x"}, {"id": 7}]})
    assert [b.id for b in crdb.backups.list(CLUSTER_ID)] == ["7"]


# --- restores --------------------------------------------------------------------------------


def test_create_restore_sends_the_providers_table_restore(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", f"{CLUSTERS}/restores", restore_json())
    restore = crdb.restores.create(
        CLUSTER_ID,
        type="table",
        backup_id=BACKUP_ID,
        objects=[
            {"database": "database1", "schema": "schema1", "table": "table_a"},
            {"database": "database1", "schema": "schema1", "table": "table_b"},
        ],
        restore_opts={"into_db": "other_database", "skip_missing_sequences": True},
    )
    (request,) = fake.requests
    assert (request.method, request.url.path, query(request)) == ("POST", f"{CLUSTERS}/restores", {})
    assert body(request) == {
        "type": "TABLE",
        "backup_id": BACKUP_ID,
        "objects": [
            {"database": "database1", "schema": "schema1", "table": "table_a"},
            {"database": "database1", "schema": "schema1", "table": "table_b"},
        ],
        "restore_opts": {"into_db": "other_database", "skip_missing_sequences": True},
    }
    assert restore.id == RESTORE_ID
    assert restore.status == "PENDING"
    assert not restore.done
    assert not restore.failed
    assert restore.objects == (RestoreItem("mydb", "public", "users"),)
    assert restore.completion_percent == 0.0


def test_create_cluster_restore_from_the_latest_backup_of_a_source(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", f"{CLUSTERS}/restores", restore_json(type="CLUSTER", objects=[]))
    crdb.restores.create(CLUSTER_ID, type="CLUSTER", source_cluster_id=SOURCE_ID)
    assert body(fake.requests[0]) == {"type": "CLUSTER", "source_cluster_id": SOURCE_ID}


def test_create_restore_is_sent_once_after_a_server_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", f"{CLUSTERS}/restores", httpx.Response(503, json={"code": 14, "message": "x"}))
    with pytest.raises(dbcloud.InternalServerError):
        crdb.restores.create(CLUSTER_ID, type="CLUSTER", source_cluster_id=SOURCE_ID)
    assert len(fake.requests) == 1


def test_create_restore_is_not_repeated_after_a_reset(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    fake.on("POST", f"{CLUSTERS}/restores", reset)
    with pytest.raises(dbcloud.APIConnectionError):
        crdb.restores.create(CLUSTER_ID, type="CLUSTER")
    assert len(fake.requests) == 1


def test_create_restore_is_repeated_after_a_429(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "POST",
        f"{CLUSTERS}/restores",
        httpx.Response(429, headers={"Retry-After": "1"}, json={"code": 8, "message": "slow down"}),
        restore_json(),
    )
    assert crdb.restores.create(CLUSTER_ID, type="CLUSTER").id == RESTORE_ID
    assert len(fake.requests) == 2


def test_get_and_list_restores(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "GET",
        f"{CLUSTERS}/restores/{RESTORE_ID}",
        restore_json("SUCCESS", completed_at="2025-07-09T15:10:00Z"),
    )
    fake.on(
        "GET",
        f"{CLUSTERS}/restores",
        {"restores": [restore_json(), {"status": "PENDING"}, restore_json(id="r2", status="ROLLING_BACK")]},
    )
    done = crdb.restores.get(CLUSTER_ID, RESTORE_ID)
    assert done.done
    assert done.completed_at == datetime.datetime(2025, 7, 9, 15, 10, tzinfo=UTC)
    listed = list(crdb.restores.list(CLUSTER_ID, sort_order="desc"))
    assert [(r.id, r.status) for r in listed] == [(RESTORE_ID, "PENDING"), ("r2", "ROLLING_BACK")]
    assert query(fake.requests[-1]) == {"pagination.sort_order": "DESC"}


def test_a_restore_answer_read_tolerantly(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "GET",
        f"{CLUSTERS}/restores/{RESTORE_ID}",
        {"status": None, "completion_percent": "0.5", "client_error_code": "7", "objects": None},
    )
    restore = crdb.restores.get(CLUSTER_ID, RESTORE_ID)
    assert restore == Restore(RESTORE_ID, completion_percent=0.5, client_error_code=7)


def test_wait_until_done_waits_for_completed_at_too(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    # The vendor's provider: completed_at is written after the status turns SUCCESS.
    fake.on(
        "GET",
        f"{CLUSTERS}/restores/{RESTORE_ID}",
        restore_json("PENDING", completion_percent=0.4),
        restore_json("SUCCESS", completion_percent=1),
        restore_json("SUCCESS", completion_percent=1, completed_at="2025-07-09T15:10:00Z"),
    )
    seen: list[str] = []
    restore = crdb.restores.wait_until_done(
        CLUSTER_ID, RESTORE_ID, on_progress=lambda p: seen.append(p.state)
    )
    assert restore.done
    assert seen == ["PENDING (40%)", "SUCCESS (100%)", "SUCCESS (100%)"]


def test_a_failed_restore_ends_the_wait_with_its_reason(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on(
        "GET",
        f"{CLUSTERS}/restores/{RESTORE_ID}",
        restore_json("FAILED", client_error_code=3, client_error_message="backup not found"),
    )
    with pytest.raises(RestoreFailed) as raised:
        crdb.restores.wait_until_done(CLUSTER_ID, RESTORE_ID)
    assert isinstance(raised.value, dbcloud.ClusterFailed)
    assert "backup not found (code 3)" in str(raised.value)
    assert (raised.value.error_code, raised.value.error_message) == (3, "backup not found")
    assert raised.value.restore.id == RESTORE_ID


def test_the_wait_gives_up_at_its_timeout(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", f"{CLUSTERS}/restores/{RESTORE_ID}", restore_json())
    with pytest.raises(dbcloud.WaitTimeout):
        crdb.restores.wait_until_done(CLUSTER_ID, RESTORE_ID, timeout=30)


# --- backup configuration ----------------------------------------------------------------------


def test_backup_configuration_get_and_update_send_only_what_changes(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    path = f"{CLUSTERS}/backups-config"
    fake.on("GET", path, {"enabled": True, "frequency_minutes": "60", "retention_days": 30})
    fake.on("PATCH", path, {"enabled": True, "frequency_minutes": 240, "retention_days": 30})
    assert crdb.backup_configuration.get(CLUSTER_ID) == BackupConfiguration(True, 60, 30)
    updated = crdb.backup_configuration.update(CLUSTER_ID, frequency_minutes=240)
    assert updated.frequency_minutes == 240
    patch = fake.requests[-1]
    assert (patch.method, patch.url.path, body(patch)) == ("PATCH", path, {"frequency_minutes": 240})
    crdb.backup_configuration.update(CLUSTER_ID, enabled=False, retention_days=7)
    assert body(fake.requests[-1]) == {"enabled": False, "retention_days": 7}


def test_backup_configuration_update_is_a_patch_not_repeated_after_a_server_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    path = f"{CLUSTERS}/backups-config"
    fake.on("PATCH", path, httpx.Response(503, json={"code": 14, "message": "x"}), {"enabled": False})
    with pytest.raises(dbcloud.InternalServerError):
        crdb.backup_configuration.update(CLUSTER_ID, enabled=False)
    assert len(fake.sent("PATCH", path)) == 1


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.backups.list("../x"), "cluster_id"),
        (lambda c: c.backups.list(CLUSTER_ID, start_time="2025-01-01"), "start_time"),
        (lambda c: c.backups.list(CLUSTER_ID, end_time=datetime.datetime(2025, 1, 1)), "end_time"),
        (
            lambda c: c.backups.list(
                CLUSTER_ID,
                start_time=datetime.datetime(2025, 2, 1, tzinfo=UTC),
                end_time=datetime.datetime(2025, 1, 1, tzinfo=UTC),
            ),
            "start_time",
        ),
        (lambda c: c.restores.list(CLUSTER_ID, page_size=0), "page_size"),
        (lambda c: c.restores.get(CLUSTER_ID, "a/b"), "restore_id"),
        (lambda c: c.restores.create(CLUSTER_ID, type="EVERYTHING"), "type"),
        (lambda c: c.restores.create(CLUSTER_ID, type=""), "type"),
        (lambda c: c.restores.create(CLUSTER_ID, type="TABLE"), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="DATABASE", objects=[]), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="CLUSTER", objects=[{"database": "d"}]), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="TABLE", objects=[{"database": "d"}]), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="DATABASE", objects=[{"schema": "s"}]), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="DATABASE", objects=[{"database": ""}]), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="DATABASE", objects=["d"]), "objects"),
        (lambda c: c.restores.create(CLUSTER_ID, type="DATABASE", objects={"database": "d"}), "objects"),
        (
            lambda c: c.restores.create(
                CLUSTER_ID, type="DATABASE", objects=[{"database": "d", "tables": "t"}]
            ),
            "objects",
        ),
        (lambda c: c.restores.create(CLUSTER_ID, type="CLUSTER", backup_id="x y"), "backup_id"),
        (lambda c: c.restores.create(CLUSTER_ID, type="CLUSTER", source_cluster_id="../s"), "cluster_id"),
        (
            lambda c: c.restores.create(CLUSTER_ID, type="CLUSTER", restore_opts={"force": True}),
            "restore_opts",
        ),
        (
            lambda c: c.restores.create(CLUSTER_ID, type="CLUSTER", restore_opts={"schema_only": "yes"}),
            "restore_opts",
        ),
        (lambda c: c.restores.wait_until_done(CLUSTER_ID, ""), "restore_id"),
        (lambda c: c.backup_configuration.update(CLUSTER_ID), "enabled"),
        (lambda c: c.backup_configuration.update(CLUSTER_ID, enabled="yes"), "enabled"),
        (lambda c: c.backup_configuration.update(CLUSTER_ID, frequency_minutes=45), "frequency_minutes"),
        (lambda c: c.backup_configuration.update(CLUSTER_ID, frequency_minutes=True), "frequency_minutes"),
        (lambda c: c.backup_configuration.update(CLUSTER_ID, retention_days=14), "retention_days"),
        (lambda c: c.backup_configuration.get(""), "cluster_id"),
    ],
)
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert fake.requests == []


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", f"{CLUSTERS}/backups-config", [1, 2])
    with pytest.raises(dbcloud.APIResponseError):
        crdb.backup_configuration.get(CLUSTER_ID)
    fake.on("POST", f"{CLUSTERS}/restores", {"status": "PENDING"})
    with pytest.raises(dbcloud.APIResponseError):  # nothing names the new restore
        crdb.restores.create(CLUSTER_ID, type="CLUSTER")
