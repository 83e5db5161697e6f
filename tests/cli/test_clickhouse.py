"""`dbcloud clickhouse`: every resource and verb against the emulator, through the command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests

SOME_ID = "803803cf-1cab-4259-a593-5c5d3d66bcc7"


def test_organizations(cli: Runner) -> None:
    org = cli("clickhouse", "organizations", "list").json()[0]
    assert cli("clickhouse", "organizations", "get").json()["id"] == org["id"]
    assert cli("clickhouse", "organizations", "get", "--org", org["id"]).json()["name"] == org["name"]
    renamed = cli("clickhouse", "organizations", "update", "--name", "Renamed Org", "--no-enable-core-dumps")
    assert renamed.json()["name"] == "Renamed Org"
    nothing = cli("clickhouse", "organizations", "update")
    assert nothing.code == 2
    assert "nothing to change" in nothing.err


def test_service_lifecycle(cli: Runner, tmp_path: Path) -> None:
    password = tmp_path / "default.pw"
    created = cli(
        "clickhouse", "services", "create", "--name", "cli-svc", "--provider", "aws", "--region", "us-east-1",
        "--no-idle-scaling", "--ip-access", "10.0.0.0/8", "--tag", "env=test",
        "--password-file", str(password), "--wait", *FAST,
    )  # fmt: skip
    assert created.code == 0, created.err
    service = created.json()
    sid = service["id"]
    assert service["state"] == "running"
    assert service["ipAccessList"][0]["source"] == "10.0.0.0/8"
    assert service["tags"] == [{"key": "env", "value": "test"}]
    secret = password.read_text().strip()
    assert secret
    assert secret not in created.out + created.err
    assert stat.S_IMODE(password.stat().st_mode) == 0o600

    assert cli("clickhouse", "services", "get", sid).json()["name"] == "cli-svc"
    assert sid in [s["id"] for s in cli("clickhouse", "services", "list").json()]
    assert cli("clickhouse", "services", "update", sid, "--name", "cli-svc-2").json()["name"] == "cli-svc-2"
    scaled = cli(
        "clickhouse", "services", "set-scaling", sid, "--num-replicas", "2", "--idle-timeout-minutes", "10"
    )
    assert scaled.json()["numReplicas"] == 2

    reset = tmp_path / "reset.pw"
    result = cli(
        "clickhouse", "services", "reset-password", sid, "--password-file", str(reset), "-o", "table"
    )
    assert (result.code, result.out) == (0, "password reset\n")
    assert reset.read_text().strip() not in result.out + result.err
    refused = cli("clickhouse", "services", "reset-password", sid)
    assert refused.code == 2

    assert cli("clickhouse", "services", "stop", sid, "--wait", *FAST).json()["state"] == "stopped"
    assert cli("clickhouse", "services", "start", sid, "--wait", *FAST).json()["state"] == "running"
    assert cli("clickhouse", "services", "stop", sid).code == 0
    assert (
        cli("clickhouse", "services", "wait", sid, "--until", "stopped", *FAST).json()["state"] == "stopped"
    )
    deleted = cli("clickhouse", "services", "delete", sid, "--wait", *FAST)
    assert (deleted.code, deleted.out) == (0, "")
    assert cli("clickhouse", "services", "get", sid).code == 4


def test_create_without_a_password_file_says_how_to_keep_it(cli: Runner) -> None:
    created = cli(
        "clickhouse", "services", "create", "--name", "no-file", "--provider", "gcp", "--region", "us-east1"
    )
    assert created.code == 0, created.err
    assert "--password-file" in created.err
    assert "password" not in created.json()


def test_backups(cli: Runner) -> None:
    sid = cli("clickhouse", "services", "list").json()[0]["id"]
    backups = cli("clickhouse", "backups", "list", sid).json()
    assert backups
    assert cli("clickhouse", "backups", "get", sid, backups[0]["id"]).json()["id"] == backups[0]["id"]
    assert cli("clickhouse", "backups", "create", sid).code == 0
    newest = cli("clickhouse", "backups", "list", sid).json()
    assert len(newest) == len(backups) + 1
    added = next(b for b in newest if b["id"] not in {old["id"] for old in backups})
    assert cli("clickhouse", "backups", "delete", sid, added["id"]).code == 0
    assert len(cli("clickhouse", "backups", "list", sid).json()) == len(backups)


def test_keys(cli: Runner, tmp_path: Path) -> None:
    target = tmp_path / "key.env"
    created = cli(
        "clickhouse", "keys", "create", "--name", "ci", "--state", "enabled", "--key-file", str(target)
    )
    assert created.code == 0, created.err
    key = created.json()
    lines = dict(line.split("=", 1) for line in target.read_text().splitlines())
    assert set(lines) == {"CLICKHOUSE_CLOUD_API_KEY", "CLICKHOUSE_CLOUD_API_SECRET"}
    assert lines["CLICKHOUSE_CLOUD_API_SECRET"] not in created.out + created.err
    assert key["id"] in [k["id"] for k in cli("clickhouse", "keys", "list").json()]
    assert cli("clickhouse", "keys", "get", key["id"]).json()["name"] == "ci"
    assert cli("clickhouse", "keys", "update", key["id"], "--state", "disabled").json()["state"] == "disabled"
    assert cli("clickhouse", "keys", "delete", key["id"]).code == 0
    assert cli("clickhouse", "keys", "get", key["id"]).code == 4


def test_members_and_invitations(cli: Runner) -> None:
    members = cli("clickhouse", "members", "list").json()
    developer = next(m for m in members if m["role"] == "developer")
    assert cli("clickhouse", "members", "get", developer["userId"]).json()["email"] == developer["email"]
    assert (
        cli("clickhouse", "members", "update", developer["userId"], "--role", "admin").json()["role"]
        == "admin"
    )
    assert cli("clickhouse", "members", "delete", developer["userId"]).code == 0

    invited = cli("clickhouse", "invitations", "create", "--email", "new@example.com", "--role", "developer")
    assert invited.code == 0, invited.err
    iid = invited.json()["id"]
    assert iid in [i["id"] for i in cli("clickhouse", "invitations", "list").json()]
    assert cli("clickhouse", "invitations", "get", iid).json()["email"] == "new@example.com"
    assert cli("clickhouse", "invitations", "delete", iid).code == 0


def test_activities(cli: Runner) -> None:
    activities = cli("clickhouse", "activities", "list", "--from", "2000-01-01T00:00:00Z").json()
    assert activities
    assert cli("clickhouse", "activities", "get", activities[0]["id"]).json()["id"] == activities[0]["id"]
    assert cli("clickhouse", "activities", "list", "--from", "not a time").code == 2


# Every verb that takes --file: a field of the file that the method does not take is refused as the
# facade refuses a field (build_body's message, naming the request), and nothing is sent.
FILE_VERBS = [
    (("organizations", "update"), "organization update"),
    (("services", "create", "--name", "s", "--provider", "aws", "--region", "us-east-1"), "service creation"),
    (("services", "update", SOME_ID), "service update"),
    (("services", "set-scaling", SOME_ID), "scaling change"),
    (("keys", "create", "--name", "k", "--key-file", "{tmp}/key.env"), "API key creation"),
    (("keys", "update", SOME_ID), "API key update"),
]


@pytest.mark.parametrize(("argv", "what"), FILE_VERBS, ids=[" ".join(v[0][:2]) for v in FILE_VERBS])
def test_an_unknown_file_field_is_refused_naming_the_request(
    cli: Runner, emu: Emulator, tmp_path: Path, argv: tuple[str, ...], what: str
) -> None:
    document = tmp_path / "fields.json"
    document.write_text(json.dumps({"colour": "red", "idleScalng": True}))
    before = requests(emu)
    refused = cli("clickhouse", *(a.format(tmp=tmp_path) for a in argv), "--file", str(document))
    assert refused.code == 2, refused.err
    assert f"colour, idle_scalng: not a field of {what}" in refused.err
    assert requests(emu) == before
    assert not (tmp_path / "key.env").exists()


def test_a_file_field_goes_out_under_the_api_name(cli: Runner, tmp_path: Path) -> None:
    sid = cli("clickhouse", "services", "list").json()[0]["id"]
    document = tmp_path / "scaling.json"
    document.write_text(json.dumps({"idleTimeoutMinutes": 15}))
    scaled = cli("clickhouse", "services", "set-scaling", sid, "--file", str(document))
    assert scaled.code == 0, scaled.err
    assert scaled.json()["idleTimeoutMinutes"] == 15
