"""`dbcloud clickhouse clickpipes`: every verb against the emulator, through the command line, with
the source's credentials kept out of every output."""

from __future__ import annotations

import json
from pathlib import Path

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests

PIPE_PASSWORD = "cl1-Kafka-pass-never-shown"
KAFKA = {
    "kafka": {
        "type": "redpanda",
        "format": "JSONEachRow",
        "brokers": "seed-1.redpanda.example.com:9092",
        "topics": "events",
        "authentication": "SCRAM-SHA-256",
        "credentials": {"username": "reader", "password": PIPE_PASSWORD},
    }
}
TABLE = {
    "database": "default",
    "table": "events",
    "managedTable": True,
    "columns": [{"name": "id", "type": "UInt64"}],
}


def _service(cli: Runner) -> str:
    return str(cli("clickhouse", "services", "list").json()[0]["id"])


def test_clickpipe_lifecycle(cli: Runner, tmp_path: Path) -> None:
    sid = _service(cli)
    spec = tmp_path / "pipe.json"
    spec.write_text(json.dumps({"name": "cli-pipe", "source": KAFKA, "destination": TABLE}))
    created = cli("clickhouse", "clickpipes", "create", sid, "--file", str(spec), "--wait", *FAST)
    assert created.code == 0, created.err
    pipe = created.json()
    pid = pipe["id"]
    assert pipe["state"] == "Running"
    assert PIPE_PASSWORD not in created.out + created.err

    assert pid in [p["id"] for p in cli("clickhouse", "clickpipes", "list", sid).json()]
    table = cli("clickhouse", "clickpipes", "list", sid, "-o", "table").out
    assert "cli-pipe" in table
    assert "events" in table
    assert cli("clickhouse", "clickpipes", "get", sid, pid).json()["name"] == "cli-pipe"
    renamed = cli("clickhouse", "clickpipes", "update", sid, pid, "--name", "cli-pipe-2")
    assert renamed.json()["name"] == "cli-pipe-2"
    new_password = {"kafka": {"credentials": {"username": "reader", "password": PIPE_PASSWORD + "-2"}}}
    rotated = cli("clickhouse", "clickpipes", "update", sid, pid, "--source", json.dumps(new_password))
    assert rotated.code == 0, rotated.err
    assert PIPE_PASSWORD not in rotated.out + rotated.err

    assert cli("clickhouse", "clickpipes", "stop", sid, pid).json()["state"] == "Stopping"
    started = cli("clickhouse", "clickpipes", "start", sid, pid, "--wait", *FAST)
    assert started.json()["state"] == "Running", started.err
    again = cli("clickhouse", "clickpipes", "start", sid, pid)
    assert again.code != 0
    assert "already running" in again.err
    assert cli("clickhouse", "clickpipes", "wait", sid, pid, *FAST).json()["state"] == "Running"
    streaming = cli("clickhouse", "clickpipes", "resync", sid, pid)
    assert streaming.code != 0
    assert "only Postgres and MySQL" in streaming.err

    deleted = cli("clickhouse", "clickpipes", "delete", sid, pid, "-o", "table")
    assert (deleted.code, deleted.out) == (0, "deleted\n")
    assert cli("clickhouse", "clickpipes", "get", sid, pid).code == 4
    assert cli("clickhouse", "clickpipes", "delete", sid, pid).code == 4


def test_a_pipe_that_fails_ends_the_wait_with_an_error(cli: Runner) -> None:
    sid = _service(cli)
    source = {"kafka": {**KAFKA["kafka"], "brokers": "broker.invalid:9092"}}
    failed = cli(
        "clickhouse", "clickpipes", "create", sid, "--name", "doomed",
        "--source", json.dumps(source), "--destination", json.dumps(TABLE), "--wait", *FAST,
    )  # fmt: skip
    assert failed.code != 0
    assert "Failed" in failed.err
    assert PIPE_PASSWORD not in failed.out + failed.err


def test_a_bad_pipe_is_refused_before_sending(cli: Runner, emu: Emulator) -> None:
    sid = _service(cli)
    before = requests(emu)
    no_table = cli(
        "clickhouse", "clickpipes", "create", sid, "--name", "p",
        "--source", json.dumps(KAFKA), "--destination", json.dumps({"database": "default"}),
    )  # fmt: skip
    assert no_table.code == 2
    assert "destination needs 'table'" in no_table.err
    unknown = cli(
        "clickhouse", "clickpipes", "create", sid, "--name", "p",
        "--source", json.dumps({"kafka": {**KAFKA["kafka"], "colour": "red"}}),
        "--destination", json.dumps(TABLE),
    )  # fmt: skip
    assert unknown.code == 2
    assert PIPE_PASSWORD not in no_table.out + no_table.err + unknown.out + unknown.err
    assert cli("clickhouse", "clickpipes", "get", sid, "not-a-uuid").code == 2
    assert requests(emu) == before  # refused before the organization was even looked up


def test_help_lists_clickpipes(cli: Runner) -> None:
    shown = cli("clickhouse", "--help")
    assert "clickpipes" in shown.out
    verbs = cli("clickhouse", "clickpipes", "--help").out
    for verb in ("list", "get", "create", "update", "start", "stop", "resync", "delete", "wait"):
        assert verb in verbs


def test_scaling_schedule_lifecycle(cli: Runner, tmp_path: Path) -> None:
    sid = _service(cli)
    assert cli("clickhouse", "scaling-schedules", "get", sid).code == 4  # none yet
    entries = [
        {"name": "business", "weekdays": [1, 2, 3, 4, 5], "startHourUtc": 8, "endHourUtc": 18},
        {"name": "weekend", "weekdays": [0, 6], "startHourUtc": 0, "endHourUtc": 24, "idleScaling": True},
    ]
    made = cli("clickhouse", "scaling-schedules", "set", sid, "--entries", json.dumps(entries))
    assert made.code == 0, made.err
    assert [e["name"] for e in made.json()["entries"]] == ["business", "weekend"]
    spec = tmp_path / "schedule.json"
    spec.write_text(json.dumps({"entries": entries[:1]}))
    replaced = cli("clickhouse", "scaling-schedules", "set", sid, "--file", str(spec))
    assert [e["name"] for e in replaced.json()["entries"]] == ["business"]
    assert cli("clickhouse", "scaling-schedules", "get", sid).json()["entries"][0]["endHourUtc"] == 18
    refused = cli(
        "clickhouse",
        "scaling-schedules",
        "set",
        sid,
        "--entries",
        json.dumps([{**entries[0], "endHourUtc": 8}]),
    )
    assert refused.code == 2
    assert "must differ" in refused.err
    deleted = cli("clickhouse", "scaling-schedules", "delete", sid, "-o", "table")
    assert (deleted.code, deleted.out) == (0, "deleted\n")
    assert cli("clickhouse", "scaling-schedules", "delete", sid).code == 4
