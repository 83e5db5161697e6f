"""`dbcloud cockroach clusters connection-string`, against the emulator."""

from __future__ import annotations

from .conftest import FAST, SQL_PASSWORD, Runner


def test_cockroach_connection_string(cli: Runner) -> None:
    created = cli("cockroach", "clusters", "create-serverless", "--name", "conn-home", "--wait", *FAST)
    assert created.code == 0, created.err
    cluster = created.json()
    cid, host = cluster["id"], cluster["sql_dns"]
    shown = cli(
        "cockroach", "clusters", "connection-string", cid, "--sql-user", "maxroach", "--database", "movr",
        "--os", "LINUX",
    )  # fmt: skip
    assert shown.code == 0, shown.err
    assert shown.json() == {
        "url": f"postgresql://maxroach@{host}:26257/movr?sslmode=verify-full",
        "host": host,
        "port": 26257,
        "database": "movr",
        "username": "maxroach",
    }
    table = cli("cockroach", "clusters", "connection-string", cid, "-o", "table")
    assert table.code == 0, table.err
    assert f"postgresql://{host}:26257/defaultdb?sslmode=verify-full" in table.out
    assert "********" not in table.out
    assert SQL_PASSWORD not in table.out + shown.out
    refused = cli("cockroach", "clusters", "connection-string", cid, "--sql-user", "max roach")
    assert refused.code == 2
    assert "sql_user" in refused.err
    assert cli("cockroach", "clusters", "connection-string", "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b").code == 4
    assert "connection-string" in cli("cockroach", "clusters", "--help").out
