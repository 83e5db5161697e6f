"""Backups, restores and backup settings against the emulated CockroachDB Cloud, on both flavours
of client. The clock is held still inside each test (`paused_clock`) and moved by hand."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path
from typing import Any

import pytest

import dbcloud
from dbcloud.emulator import Emulator
from dbcloud.emulator.cockroach import (
    COMPLETED_LAG_SECONDS,
    OBJECT_RESTORE_SECONDS,
    RESTORE_SECONDS,
    SERVERLESS_SECONDS,
)
from tests.emulator._spec import SpecCheck

from ._cockroach import cc, emu, unique

__all__ = ["cc", "emu"]  # fixtures, imported for pytest

API = "cockroach"
MISSING = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
HOUR = 3600.0


def ready(cc: dbcloud.CockroachCloud, emu: Emulator, stem: str) -> dbcloud.cockroach.Cluster:
    cluster = cc.clusters.create_serverless(unique(stem))
    emu.advance(SERVERLESS_SECONDS)
    return cluster


def ticking(emu: Emulator, seconds: float, seen: list[str]) -> dict[str, Any]:
    def on_progress(progress: dbcloud.Progress) -> None:
        seen.append(progress.state)
        emu.advance(seconds)

    return {"interval": 0.01, "max_interval": 0.01, "timeout": 30, "on_progress": on_progress}


def test_backups_appear_hourly_for_a_ready_cluster(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cluster = cc.clusters.create_serverless(unique("bk-hourly"))
        assert list(cc.backups.list(cluster.id)) == []  # none while it is created
        emu.advance(SERVERLESS_SECONDS)
        first = list(cc.backups.list(cluster.id))
        assert len(first) == 1  # the first backup when it became CREATED
        emu.advance(3 * HOUR)
        backups = list(cc.backups.list(cluster.id, page_size=2))
        assert len(backups) == 4
        assert backups[0] == first[0]
        times = [b.as_of_time or datetime.datetime.min for b in backups]
        assert [b - a for a, b in itertools.pairwise(times)] == [datetime.timedelta(hours=1)] * 3
        newest = list(cc.backups.list(cluster.id, sort_order="DESC"))
        assert newest == backups[::-1]
        window = list(cc.backups.list(cluster.id, start_time=times[1], end_time=times[2]))
        assert window == backups[1:3]


def test_backup_configuration_follows_the_vendors_rules(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cluster = ready(cc, emu, "bk-config")
        config = cc.backup_configuration.get(cluster.id)
        assert (config.enabled, config.frequency_minutes, config.retention_days) == (True, 60, 30)
        changed = cc.backup_configuration.update(cluster.id, frequency_minutes=30, retention_days=7)
        assert (changed.frequency_minutes, changed.retention_days) == (30, 7)
        # The retention may be changed once; after that a support ticket is needed.
        with pytest.raises(dbcloud.BadRequestError, match="support ticket"):
            cc.backup_configuration.update(cluster.id, retention_days=30)
        assert cc.backup_configuration.update(cluster.id, retention_days=7).retention_days == 7  # no change
        before = len(list(cc.backups.list(cluster.id)))
        emu.advance(HOUR)
        assert len(list(cc.backups.list(cluster.id))) == before + 2  # every 30 minutes now
        cc.backup_configuration.update(cluster.id, enabled=False)
        emu.advance(HOUR)
        assert len(list(cc.backups.list(cluster.id))) == before + 2  # none while disabled
        assert cc.backup_configuration.get(cluster.id).enabled is False
        # Values outside the vendor's lists, sent around the facade's checks, are refused.
        with pytest.raises(dbcloud.BadRequestError, match="frequency_minutes must be one of"):
            cc._call(
                "backup_restore.cockroach_cloud_update_backup_configuration",
                cluster_id=cluster.id,
                body=_spec(frequency_minutes=45),
            )


def _spec(**fields: Any) -> Any:
    from dbcloud_cockroach_client.models.update_backup_configuration_spec import (
        UpdateBackupConfigurationSpec,
    )

    return UpdateBackupConfigurationSpec(**fields)


def test_old_backups_are_dropped_after_the_retention(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cluster = ready(cc, emu, "bk-retain")
        cc.backup_configuration.update(cluster.id, frequency_minutes=1440, retention_days=2)
        emu.advance(10 * 24 * HOUR)
        backups = list(cc.backups.list(cluster.id))
        assert 1 <= len(backups) <= 2


def test_a_table_restore_progresses_then_succeeds(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        source = ready(cc, emu, "bk-src")
        target = ready(cc, emu, "bk-dst")
        (backup,) = list(cc.backups.list(source.id))
        restore = cc.restores.create(
            target.id,
            type="TABLE",
            backup_id=backup.id,
            objects=[{"database": "tpcc", "schema": "public", "table": "warehouse"}],
            restore_opts={"into_db": "other"},
        )
        assert (restore.status, restore.completion_percent, restore.type) == ("PENDING", 0.0, "TABLE")
        assert restore.backup_id == backup.id
        assert (restore.source_cluster_name, restore.destination_cluster_name) == (source.name, target.name)
        assert restore.backup_end_time == backup.as_of_time
        emu.advance(OBJECT_RESTORE_SECONDS / 2)
        assert cc.restores.get(target.id, restore.id).completion_percent == 0.5
        seen: list[str] = []
        done = cc.restores.wait_until_done(target.id, restore.id, **ticking(emu, 45, seen))
        assert done.done
        assert done.completed_at is not None
        assert seen[0] == "PENDING (50%)"
        assert seen[-1] == "SUCCESS (100%)"
        assert [r.id for r in cc.restores.list(target.id)] == [restore.id]
        assert list(cc.restores.list(source.id)) == []


def test_success_comes_before_completed_at(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cluster = ready(cc, emu, "bk-lag")
        restore = cc.restores.create(cluster.id, type="CLUSTER")  # its own latest backup
        emu.advance(RESTORE_SECONDS)
        now = cc.restores.get(cluster.id, restore.id)
        assert now.status == "SUCCESS"
        assert not now.done
        emu.advance(COMPLETED_LAG_SECONDS)
        assert cc.restores.get(cluster.id, restore.id).done


def test_a_failing_restore_ends_the_wait_with_restore_failed(
    cc: dbcloud.CockroachCloud, emu: Emulator
) -> None:
    with emu.paused_clock():
        cluster = ready(cc, emu, "bk-fail")
        emu.fail_next_launch(API)
        restore = cc.restores.create(cluster.id, type="DATABASE", objects=[{"database": "movr"}])
        seen: list[str] = []
        with pytest.raises(dbcloud.cockroach.RestoreFailed) as raised:
            cc.restores.wait_until_done(cluster.id, restore.id, **ticking(emu, 60, seen))
        assert raised.value.error_code == 3
        assert raised.value.error_message == "restore job failed: emulated failure"


def test_restores_follow_the_vendors_rules(cc: dbcloud.CockroachCloud, emu: Emulator) -> None:
    with emu.paused_clock():
        cluster = ready(cc, emu, "bk-rules")
        other = ready(cc, emu, "bk-other")
        (theirs,) = list(cc.backups.list(other.id))
        with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
            cc.restores.create(MISSING, type="CLUSTER")
        with pytest.raises(dbcloud.NotFoundError, match="source cluster not found"):
            cc.restores.create(cluster.id, type="CLUSTER", source_cluster_id=MISSING)
        with pytest.raises(dbcloud.NotFoundError, match="backup not found"):
            cc.restores.create(cluster.id, type="CLUSTER", backup_id=MISSING)
        with pytest.raises(dbcloud.BadRequestError, match="not a backup of source_cluster_id"):
            cc.restores.create(cluster.id, type="CLUSTER", backup_id=theirs.id, source_cluster_id=cluster.id)
        with pytest.raises(dbcloud.NotFoundError, match="restore not found"):
            cc.restores.get(cluster.id, MISSING)
        with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
            list(cc.restores.list(MISSING))
        with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
            list(cc.backups.list(MISSING))
        with pytest.raises(dbcloud.NotFoundError, match="cluster not found"):
            cc.backup_configuration.get(MISSING)
        creating = cc.clusters.create_serverless(unique("bk-creating"))
        with pytest.raises(dbcloud.BadRequestError, match="CREATING"):
            cc.restores.create(creating.id, type="CLUSTER", source_cluster_id=other.id)
        emu.advance(SERVERLESS_SECONDS)
        # From another cluster's latest backup.
        made = cc.restores.create(creating.id, type="CLUSTER", source_cluster_id=other.id)
        assert made.backup_id == theirs.id


def test_backup_answers_validate_against_the_spec(
    cc: dbcloud.CockroachCloud, emu: Emulator, shared_specs: Path
) -> None:
    check = SpecCheck(shared_specs, "cockroach").schema

    with emu.paused_clock():
        cluster = ready(cc, emu, "bk-spec")
        emu.advance(2 * HOUR)
        clusters = f"/api/v1/clusters/{cluster.id}"
        check(
            "ListBackupsResponse",
            cc.request("GET", f"{clusters}/backups", params={"pagination.limit": 1}).json(),
        )
        check("BackupConfiguration", cc.backup_configuration.get(cluster.id).raw)
        check("BackupConfiguration", cc.backup_configuration.update(cluster.id, frequency_minutes=240).raw)
        pending = cc.restores.create(cluster.id, type="DATABASE", objects=[{"database": "movr"}])
        check("Restore", pending.raw)
        emu.advance(OBJECT_RESTORE_SECONDS + COMPLETED_LAG_SECONDS)
        check("Restore", cc.restores.get(cluster.id, pending.id).raw)
        emu.fail_next_launch(API)
        failing = cc.restores.create(cluster.id, type="CLUSTER")
        emu.advance(RESTORE_SECONDS)
        check("Restore", cc.restores.get(cluster.id, failing.id).raw)
        check("ListRestoresResponse", cc.request("GET", f"{clusters}/restores").json())
