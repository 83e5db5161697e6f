"""`dbcloud cockroach backups`, `restores` and `backup-config`, against the emulator."""

from __future__ import annotations

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests


def _ready_cluster(cli: Runner, name: str) -> str:
    created = cli("cockroach", "clusters", "create-serverless", "--name", name, "--wait", *FAST)
    assert created.code == 0, created.err
    return str(created.json()["id"])


def test_cockroach_backups_and_restores(cli: Runner, emu: Emulator) -> None:
    cid = _ready_cluster(cli, "bk-cli-one")
    with emu.paused_clock():
        backups = cli("cockroach", "backups", "list", cid)
        assert backups.code == 0, backups.err
        # One backup when the cluster became ready, and one an hour (1.2 real seconds) later.
        backup = backups.json()[-1]
        assert set(backup) == {"id", "as_of_time"}
        windowed = cli(
            "cockroach", "backups", "list", cid, "--start-time", backup["as_of_time"], "--sort-order", "DESC"
        )
        assert [b["id"] for b in windowed.json()] == [backup["id"]]
        assert cli("cockroach", "backups", "list", cid, "--start-time", "not-a-time").code == 2
    made = cli(
        "cockroach", "restores", "create", cid, "--type", "TABLE", "--backup-id", backup["id"],
        "--objects", '[{"database": "tpcc", "schema": "public", "table": "warehouse"}]',
        "--restore-opts", '{"into_db": "other"}', "--wait", *FAST,
    )  # fmt: skip
    assert made.code == 0, made.err
    restore = made.json()
    assert (restore["status"], restore["backup_id"]) == ("SUCCESS", backup["id"])
    assert "completed_at" in restore
    shown = cli("cockroach", "restores", "get", cid, restore["id"], "-o", "table")
    assert "SUCCESS" in shown.out
    listed = cli("cockroach", "restores", "list", cid).json()
    assert [r["id"] for r in listed] == [restore["id"]]
    waited = cli("cockroach", "restores", "wait", cid, restore["id"], *FAST)
    assert waited.code == 0, waited.err
    # A restore the facade refuses is not sent.
    before = requests(emu)
    refused = cli("cockroach", "restores", "create", cid, "--type", "TABLE")
    assert refused.code == 2
    assert "objects" in refused.err
    assert requests(emu) == before


def test_a_failed_restore_is_a_failed_wait(cli: Runner, emu: Emulator) -> None:
    cid = _ready_cluster(cli, "bk-cli-fail")
    emu.fail_next_launch("cockroach")
    made = cli("cockroach", "restores", "create", cid, "--type", "CLUSTER", "--wait", *FAST)
    assert made.code != 0
    assert "emulated failure" in made.err


def test_cockroach_backup_config(cli: Runner, emu: Emulator) -> None:
    cid = _ready_cluster(cli, "bk-cli-config")
    shown = cli("cockroach", "backup-config", "get", cid)
    assert shown.json() == {"enabled": True, "frequency_minutes": 60, "retention_days": 30}
    changed = cli(
        "cockroach", "backup-config", "update", cid, "--no-enabled", "--frequency-minutes", "240",
        "--retention-days", "7",
    )  # fmt: skip
    assert changed.code == 0, changed.err
    assert changed.json() == {"enabled": False, "frequency_minutes": 240, "retention_days": 7}
    again = cli("cockroach", "backup-config", "update", cid, "--retention-days", "90")
    assert again.code != 0
    assert "support ticket" in again.err
    before = requests(emu)
    assert cli("cockroach", "backup-config", "update", cid, "--frequency-minutes", "45").code == 2
    assert cli("cockroach", "backup-config", "update", cid).code == 2  # nothing to change
    assert requests(emu) == before
    table = cli("cockroach", "backup-config", "get", cid, "-o", "table")
    assert "240" in table.out


def test_the_help_lists_the_new_resources(cli: Runner) -> None:
    shown = cli("cockroach", "--help").out
    assert all(name in shown for name in ("backups", "restores", "backup-config"))
    assert "wait" in cli("cockroach", "restores", "--help").out
