"""`dbcloud cockroach databases`, against the emulator."""

from __future__ import annotations

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests


def test_cockroach_databases(cli: Runner, emu: Emulator) -> None:
    created = cli("cockroach", "clusters", "create-serverless", "--name", "db-home", "--wait", *FAST)
    assert created.code == 0, created.err
    cid = created.json()["id"]
    assert [d["name"] for d in cli("cockroach", "databases", "list", cid).json()] == ["defaultdb", "postgres"]
    made = cli("cockroach", "databases", "create", cid, "movr")
    assert made.code == 0, made.err
    assert made.json() == {"name": "movr", "table_count": "0"}
    assert cli("cockroach", "databases", "create", cid, "movr").code == 1  # a 409
    refused = cli("cockroach", "databases", "create", cid, "mo/vr")
    assert refused.code == 2  # refused before sending
    assert "name must be" in refused.err
    table = cli("cockroach", "databases", "list", cid, "--sort-order", "DESC", "-o", "table")
    assert "TABLE_COUNT" in table.out
    assert table.out.index("postgres") < table.out.index("movr")

    renamed = cli("cockroach", "databases", "rename", cid, "movr", "movr_v2")
    assert renamed.code == 0, renamed.err
    assert renamed.json()["name"] == "movr_v2"

    # Dropping a database asks for --force; without it nothing is sent.
    before = requests(emu)
    unforced = cli("cockroach", "databases", "delete", cid, "movr_v2")
    assert unforced.code == 2
    assert "--force" in unforced.err
    assert requests(emu) == before
    dry = cli("cockroach", "databases", "delete", cid, "movr_v2", "--dry-run")
    assert dry.code == 0, dry.err
    assert requests(emu) == before
    assert "DELETE" in dry.out
    assert f"/clusters/{cid}/databases/movr_v2" in dry.out
    deleted = cli("cockroach", "databases", "delete", cid, "movr_v2", "--force", "-o", "table")
    assert deleted.code == 0, deleted.err
    assert cli("cockroach", "databases", "delete", cid, "movr_v2", "--force").code == 4
    assert [d["name"] for d in cli("cockroach", "databases", "list", cid).json()] == ["defaultdb", "postgres"]
    assert "databases" in cli("cockroach", "--help").out
