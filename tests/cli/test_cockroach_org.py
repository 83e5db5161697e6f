"""`dbcloud cockroach` maintenance windows, folders, service accounts and API keys, against the emulator."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests


def test_cockroach_maintenance_windows(cli: Runner, tmp_path: Path) -> None:
    hardware = {"machine_spec": {"num_virtual_cpus": 4}, "storage_gib": 15}
    body = tmp_path / "cluster.json"
    body.write_text(
        json.dumps({"spec": {"dedicated": {"region_nodes": {"us-central1": 3}, "hardware": hardware}}})
    )
    created = cli(
        "cockroach", "clusters", "create", "--name", "mwin-cli", "--provider", "GCP",
        "--file", str(body), "--wait", *FAST,
    )  # fmt: skip
    assert created.code == 0, created.err
    cid = created.json()["id"]
    assert cli("cockroach", "maintenance-windows", "get", cid).code != 0  # none set yet
    made = cli(
        "cockroach",
        "maintenance-windows",
        "set",
        cid,
        "--offset-duration",
        "172800",
        "--window-duration",
        "21600",
    )
    assert made.code == 0, made.err
    assert made.json() == {"offset_duration": "172800s", "window_duration": "21600s"}
    table = cli("cockroach", "maintenance-windows", "get", cid, "-o", "table")
    assert "172800s" in table.out
    refused = cli(
        "cockroach", "maintenance-windows", "set", cid, "--offset-duration", "0", "--window-duration", "60"
    )
    assert refused.code == 2
    assert "window_duration" in refused.err
    assert cli("cockroach", "maintenance-windows", "delete", cid).code == 0


def test_cockroach_folders(cli: Runner) -> None:
    prod = cli("cockroach", "folders", "create", "prod-cli", "--label", "env=prod")
    assert prod.code == 0, prod.err
    pid = prod.json()["resource_id"]
    team = cli("cockroach", "folders", "create", "team1", "--parent-id", pid).json()
    assert [
        f["resource_id"] for f in cli("cockroach", "folders", "list", "--path", "/prod-cli/team1").json()
    ] == [team["resource_id"]]
    contents = cli("cockroach", "folders", "contents", pid, "-o", "table")
    assert "team1" in contents.out
    assert "FOLDER" in contents.out
    assert pid in [f["resource_id"] for f in cli("cockroach", "folders", "contents", "root").json()]
    assert cli("cockroach", "folders", "delete", pid).code != 0  # not empty
    moved = cli(
        "cockroach", "folders", "update", team["resource_id"], "--parent-id", "root", "--name", "team-cli"
    )
    assert moved.json()["parent_id"] == "root"
    for fid in (team["resource_id"], pid):
        assert cli("cockroach", "folders", "delete", fid).code == 0
    assert cli("cockroach", "folders", "get", pid).code != 0


def test_cockroach_service_accounts_and_api_keys(cli: Runner, emu: Emulator, tmp_path: Path) -> None:
    account = cli(
        "cockroach", "service-accounts", "create", "ci-cli", "--description", "CI", "--role", "CLUSTER_ADMIN"
    )
    assert account.code == 0, account.err
    sid = account.json()["id"]
    assert account.json()["roles"] == [{"name": "CLUSTER_ADMIN", "resource": {"type": "ORGANIZATION"}}]
    assert (
        cli("cockroach", "service-accounts", "update", sid, "--name", "ci-cli-2").json()["name"] == "ci-cli-2"
    )

    target = tmp_path / "crdb.key"
    before = requests(emu)
    dry = cli(
        "cockroach", "api-keys", "create", "--name", "k", "--service-account-id", sid,
        "--secret-file", str(target), "--dry-run",
    )  # fmt: skip
    assert dry.code == 0, dry.err
    assert requests(emu) == before
    assert not target.exists()
    made = cli(
        "cockroach",
        "api-keys",
        "create",
        "--name",
        "k",
        "--service-account-id",
        sid,
        "--secret-file",
        str(target),
    )
    assert made.code == 0, made.err
    secret = target.read_text().strip()
    kid = made.json()["id"]
    assert secret.startswith(kid + "_")
    assert secret not in made.out + made.err
    assert "secret" not in made.json()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = cli(
        "cockroach",
        "api-keys",
        "create",
        "--name",
        "k2",
        "--service-account-id",
        sid,
        "--secret-file",
        str(target),
    )
    assert again.code == 2  # never overwritten, and nothing created
    listed = cli("cockroach", "api-keys", "list", "--service-account-id", sid)
    assert [k["id"] for k in listed.json()] == [kid]
    assert secret not in listed.out + cli("cockroach", "api-keys", "get", kid).out
    assert cli("cockroach", "api-keys", "update", kid, "--name", "k-renamed").json()["name"] == "k-renamed"
    assert cli("cockroach", "api-keys", "delete", kid, "-o", "table").code == 0
    assert cli("cockroach", "service-accounts", "delete", sid).code == 0
    assert "api-keys" in cli("cockroach", "--help").out
