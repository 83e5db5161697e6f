"""`dbcloud acm`: every verb against the emulator, through the command line."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from dbcloud.emulator import Emulator

from .conftest import ADMIN_PASS, FAST, Runner

LAUNCH = (
    "acm", "clusters", "launch", "--environment", "176", "--node-type", "n2d-standard-2",
    "--nodes", "2", "--replicas", "2", "--size", "100",
)  # fmt: skip


def test_environments_list_and_get(cli: Runner) -> None:
    listed = cli("acm", "environments", "list")
    assert listed.code == 0, listed.err
    assert {e["id"] for e in listed.json()} >= {175, 176}
    one = cli("acm", "environments", "get", "176")
    assert one.json()["name"] == "emulated-gke"
    assert one.err == ""


def test_the_issue_example_launches_waits_and_the_cluster_goes_through_its_lifecycle(cli: Runner) -> None:
    launched = cli(*LAUNCH, "--name", "api-test", "--wait", *FAST)
    assert launched.code == 0, launched.err
    cluster = launched.json()
    assert cluster["name"] == "api-test"
    assert cluster["status"] == "online"  # waited: the answer is the ready cluster
    assert launched.err == ""  # piped: no progress
    cid = str(cluster["id"])

    assert cli("acm", "clusters", "get", cid).json()["id"] == cluster["id"]
    assert cluster["id"] in [c["id"] for c in cli("acm", "clusters", "list", "--environment", "176").json()]
    status = cli("acm", "clusters", "status", cid).json()
    assert status["state"] == "running"
    assert status["healthy"] is True
    assert cli("acm", "clusters", "wait", cid, *FAST).json()["state"] == "running"

    deleted = cli("acm", "clusters", "delete", cid, "--wait", *FAST)
    assert (deleted.code, deleted.out) == (0, "")
    assert cli("acm", "clusters", "get", cid).code == 4


def test_wait_verb_waits_for_a_launch_and_for_a_deletion(cli: Runner, emu: Emulator) -> None:
    # At 3,000x a launch ends in 0.1 s, sooner than two CLI runs: the clock stands still until the
    # cluster was seen provisioning, so the check does not race it.
    with emu.paused_clock():
        cid = str(cli(*LAUNCH, "--name", "waited").json()["id"])
        assert cli("acm", "clusters", "status", cid).json()["state"] == "provisioning"
    assert cli("acm", "clusters", "wait", cid, *FAST).json()["ready"] is True
    assert cli("acm", "clusters", "delete", cid, "--no-terminate").code == 0
    gone = cli("acm", "clusters", "wait", cid, "--until", "deleted", *FAST, "-o", "table")
    assert (gone.code, gone.out) == (0, "deleted\n")


def test_launch_from_the_vendor_guide_body(cli: Runner, tmp_path: Path) -> None:
    # The launch body of Altinity's API guide, as a file; the admin password comes from it.
    body = {
        "name": "api-test", "adminPass": ADMIN_PASS, "adminUser": "admin", "https_port": 8443,
        "instanceType": "n2d-standard-2", "nodes": 2, "replicas": 2, "secure": True, "shards": 1,
        "size": 100, "tcp_port_secure": 9440, "version": "", "zookeeper": "launch",
        "zookeeperOptions": {"tag": "", "size": "single"},
    }  # fmt: skip
    path = tmp_path / "launch.json"
    path.write_text(json.dumps(body))
    result = cli(
        "acm", "clusters", "launch", "--environment", "176", "--file", str(path), "--name", "from-file"
    )
    assert result.code == 0, result.err
    assert result.json()["name"] == "from-file"  # an option wins over the file


def test_launch_without_an_admin_password_and_no_terminal_is_a_usage_error(
    cli: Runner, emu: Emulator
) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "DBCLOUD_ADMIN_PASS"}
    before = emu.stats()["acm"]["requests"]
    result = cli(*LAUNCH, "--name", "no-pass", environ=environ)
    assert result.code == 2
    assert "DBCLOUD_ADMIN_PASS" in result.err
    assert emu.stats()["acm"]["requests"] == before


def test_admin_password_from_a_file(cli: Runner, tmp_path: Path) -> None:
    secret = tmp_path / "pass"
    secret.write_text(ADMIN_PASS + "\n")
    result = cli(*LAUNCH, "--name", "pass-file", "--admin-pass-file", str(secret))
    assert result.code == 0, result.err


def test_invalid_launch_is_refused_before_sending(cli: Runner, emu: Emulator) -> None:
    before = emu.stats()["acm"]["requests"]
    argv = ("--name", "Bad_Name", "--nodes", "3", "--replicas", "2", "--size", "100", "--node-type", "x")
    result = cli("acm", "clusters", "launch", "--environment", "176", *argv)
    assert result.code == 2
    assert "nothing was sent" in result.err
    assert emu.stats()["acm"]["requests"] == before


def test_keys_are_listed_by_fingerprint_and_created_into_a_private_file(cli: Runner, tmp_path: Path) -> None:
    listed = cli("acm", "keys", "list").json()
    assert listed
    assert set(listed[0]) == {"fingerprint", "expires", "expired"}
    target = tmp_path / "acm.key"
    created = cli("acm", "keys", "create", "--key-file", str(target), "--expires-in", "2")
    assert created.code == 0, created.err
    key = target.read_text().strip()
    assert key
    assert key not in created.out + created.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    fingerprint = created.json()["fingerprint"]
    assert fingerprint in [k["fingerprint"] for k in cli("acm", "keys", "list").json()]
    # The file is never overwritten, and nothing is created when it exists.
    again = cli("acm", "keys", "create", "--key-file", str(target))
    assert again.code == 2
    assert len(cli("acm", "keys", "list").json()) == len(listed) + 1
    assert cli("acm", "keys", "delete", fingerprint).code == 0
    assert fingerprint not in [k["fingerprint"] for k in cli("acm", "keys", "list").json()]


def test_profile_selects_settings_from_the_profile_file(
    cli: Runner, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[ci.acm]\ntoken = "{cli_env["ACM_API_KEY"]}"\nbase_url = "{cli_env["ACM_API_URL"]}"\n'
    )
    config.chmod(0o600)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(config))
    monkeypatch.delenv("ACM_API_KEY")
    monkeypatch.delenv("ACM_API_URL")
    assert cli("acm", "environments", "list").code == 2  # the default profile has no key
    assert cli("acm", "environments", "list", "--profile", "ci").json()[0]["id"] == 176
    assert cli("--profile", "ci", "acm", "environments", "list").code == 0
    missing = cli("acm", "environments", "list", "--profile", "nope")
    assert missing.code == 2
    assert "nope" in missing.err


def test_day2_verbs_take_a_cluster_through_update_rescale_upgrade_stop_and_resume(
    cli: Runner, emu: Emulator
) -> None:
    cid = str(cli(*LAUNCH, "--name", "day-two", "--version", "24.3", "--wait", *FAST).json()["id"])
    updated = cli("acm", "clusters", "update", cid, "--role", "dev", "--timezone", "UTC")
    assert updated.code == 0, updated.err
    assert (updated.json()["role"], updated.json()["timezone"]) == ("dev", "UTC")
    rescaled = cli("acm", "clusters", "rescale", cid, "--shards", "2", "--size", "200", "--wait", *FAST)
    assert rescaled.code == 0, rescaled.err
    assert (rescaled.json()["status"], rescaled.json()["nodes"]) == ("online", "4")
    upgraded = cli("acm", "clusters", "upgrade", cid, "24.8", "--wait", *FAST)
    assert upgraded.json()["systemVersion"] == "24.8"
    assert cli("acm", "clusters", "restart", cid, "--wait", *FAST).json()["status"] == "online"
    stopped = cli("acm", "clusters", "stop", cid, "--wait", *FAST)
    assert stopped.json()["status"] == "stopped"
    again = cli("acm", "clusters", "stop", cid)
    assert again.code != 0
    assert "already stopped" in again.err
    assert cli("acm", "clusters", "resume", cid, "--wait", *FAST).json()["status"] == "online"


def test_day2_bad_input_is_refused_before_sending(cli: Runner, emu: Emulator) -> None:
    before = emu.stats()["acm"]["requests"]
    for argv in (("rescale", "1001"), ("rescale", "1001", "--shards", "0"), ("update", "1001")):
        result = cli("acm", "clusters", *argv)
        assert result.code == 2, argv
        assert "nothing was sent" in result.err
    assert emu.stats()["acm"]["requests"] == before


def test_query_and_node_types(cli: Runner, tmp_path: Path) -> None:
    cid = str(cli(*LAUNCH, "--name", "queried", "--version", "24.8", "--wait", *FAST).json()["id"])
    ran = cli("acm", "clusters", "query", cid, "SELECT version()")
    assert ran.code == 0, ran.err
    assert ran.json()["text"] == "24.8\n"
    secret = tmp_path / "pw"
    secret.write_text(ADMIN_PASS)
    as_admin = cli(
        "acm", "clusters", "query", cid, "SELECT 7", "--user", "admin", "--password-file", str(secret)
    )
    assert as_admin.json()["text"] == "7\n"
    wrong = cli("acm", "clusters", "query", cid, "SELECT 1", "--user", "admin", "--password", "wrong-pw-77")
    assert wrong.code != 0
    assert "AUTHENTICATION_FAILED" in wrong.err
    assert "wrong-pw-77" not in wrong.err + wrong.out
    types = cli("acm", "node-types", "list", "176", "--scope", "clickhouse")
    assert types.code == 0, types.err
    assert "n2d-standard-2" in {t["code"] for t in types.json()}
    table = cli("acm", "node-types", "list", "175", "-o", "table")
    assert "m5.xlarge" in table.out
    assert "node-types" in cli("acm", "--help").out


def test_settings_backups_users_and_zookeepers(cli: Runner, tmp_path: Path) -> None:
    cid = str(cli(*LAUNCH, "--name", "cluster-data", "--wait", *FAST).json()["id"])
    xml = tmp_path / "handlers.xml"
    xml.write_text("<clickhouse>\n</clickhouse>\n")
    made = cli("acm", "settings", "set", cid, "config.d/handlers.xml", "--value-file", str(xml))
    assert made.code == 0, made.err
    assert made.json()["isFile"] is True  # the answer as ACM sent it, its value masked
    assert made.json()["value"] != "<clickhouse>\n</clickhouse>\n"
    assert cli("acm", "settings", "set", cid, "max_threads", "--value", "8").json()["isFile"] is False
    both = cli("acm", "settings", "set", cid, "x", "--value", "1", "--value-file", str(xml))
    assert both.code == 2
    listed = cli("acm", "settings", "list", cid, "-o", "table")
    assert "config.d/handlers.xml" in listed.out
    assert "<clickhouse>" not in listed.out  # values are not shown
    assert cli("acm", "settings", "push", cid, "--wait", *FAST).json()["status"] == "online"
    assert cli("acm", "settings", "delete", cid, "max_threads").code == 0

    assert cli("acm", "backups", "create", cid, "--wait", *FAST).code == 0
    (backup,) = cli("acm", "backups", "list", cid).json()
    restored = cli("acm", "backups", "restore", cid, "--tag", backup["tag"], "--wait", *FAST)
    assert restored.code == 0, restored.err
    secret = tmp_path / "secret"
    secret.write_text("s3-secret-cli-never-shown\n")
    external = cli(
        "acm", "backups", "restore", cid, "--tag", "t1", "--provider", "s3", "--bucket", "b",
        "--access-key", "AKIAX", "--secret-key-file", str(secret), "--wait", *FAST,
    )  # fmt: skip
    assert external.code == 0, external.err
    assert "s3-secret-cli-never-shown" not in external.out + external.err

    password = tmp_path / "user-pw"
    password.write_text("cli-user-pw-5\n")
    user = cli(
        "acm",
        "database-users",
        "create",
        cid,
        "app",
        "--password-file",
        str(password),
        "--database",
        "default",
        "--network",
        "10.0.0.0/8",
    )
    assert user.code == 0, user.err
    assert (user.json()["login"], user.json()["databases"]) == ("app", ["default"])  # as ACM answered
    assert "cli-user-pw-5" not in user.out
    changed = cli("acm", "database-users", "update", cid, "app", "--access-management")
    assert changed.json()["accessManagement"] == 1
    assert [u["login"] for u in cli("acm", "database-users", "list", cid).json()] == ["app"]
    assert cli("acm", "database-users", "delete", cid, "app").code == 0
    assert cli("acm", "database-users", "list", cid).json() == []

    zookeepers = cli("acm", "zookeepers", "list", "176", "--show-dedicated").json()
    assert any(z["dedicated"] for z in zookeepers)
    assert {"settings", "backups", "database-users", "zookeepers"} <= set(cli("acm", "--help").out.split())
