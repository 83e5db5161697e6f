"""`dbcloud cockroach ip-allowlists`, against the emulator."""

from __future__ import annotations

from dbcloud.emulator import Emulator

from .conftest import FAST, Runner, requests


def test_cockroach_ip_allowlists(cli: Runner, emu: Emulator) -> None:
    created = cli("cockroach", "clusters", "create-serverless", "--name", "allow-home", "--wait", *FAST)
    assert created.code == 0, created.err
    cid = created.json()["id"]
    # A Basic cluster starts open to any address.
    assert [
        (e["cidr_ip"], e["cidr_mask"]) for e in cli("cockroach", "ip-allowlists", "list", cid).json()
    ] == [
        ("0.0.0.0", 0)  # noqa: S104 - an allowlist range, not a bind address
    ]
    made = cli("cockroach", "ip-allowlists", "add", cid, "10.0.0.0/24", "--no-ui", "--sql", "--name", "vpn")
    assert made.code == 0, made.err
    assert made.json() == {"cidr_ip": "10.0.0.0", "cidr_mask": 24, "ui": False, "sql": True, "name": "vpn"}
    single = cli("cockroach", "ip-allowlists", "add", cid, "192.168.3.2", "--no-ui", "--sql")
    assert single.json()["cidr_mask"] == 32  # an address alone is that address
    assert cli("cockroach", "ip-allowlists", "add", cid, "10.0.0.0/24", "--ui", "--sql").code == 1  # a 409

    # Refused before sending: a range that is not one, and the flags the API requires.
    before = requests(emu)
    for bad in ("10.0.0.0/33", "10.0.0/24", "2001:db8::/32"):
        refused = cli("cockroach", "ip-allowlists", "add", cid, bad, "--ui", "--sql")
        assert refused.code == 2, (bad, refused.err)
    assert cli("cockroach", "ip-allowlists", "add", cid, "10.1.0.0/16", "--sql").code == 2  # no --ui
    assert requests(emu) == before

    updated = cli("cockroach", "ip-allowlists", "update", cid, "10.0.0.0/24", "--ui", "--no-sql")
    assert updated.code == 0, updated.err
    assert (updated.json()["ui"], updated.json()["sql"], updated.json()["name"]) == (True, False, "vpn")
    table = cli("cockroach", "ip-allowlists", "list", cid, "-o", "table")
    assert "CIDR_IP" in table.out
    assert "vpn" in table.out

    dry = cli("cockroach", "ip-allowlists", "remove", cid, "10.0.0.0/24", "--dry-run")
    assert dry.code == 0, dry.err
    assert f"/clusters/{cid}/networking/allowlist/10.0.0.0/24" in dry.out
    assert requests(emu) == before + 2  # the update and the list; the dry run sent nothing
    removed = cli("cockroach", "ip-allowlists", "remove", cid, "10.0.0.0/24", "-o", "table")
    assert removed.code == 0, removed.err
    assert cli("cockroach", "ip-allowlists", "remove", cid, "10.0.0.0/24").code == 4
    assert "ip-allowlists" in cli("cockroach", "--help").out
