"""Scaling schedules against the emulated ClickHouse Cloud, on both flavours of client: set, get,
clear and delete, the vendor's rules, 404s, and answers validated against the spec."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickhouse import AsyncClickHouseCloud
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.clickhouse import ORG_ID, PROVISION_SECONDS
from tests._bridge import Flavour

MISSING = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
ALWAYS = {"name": "always", "weekdays": [0, 1, 2, 3, 4, 5, 6], "startHourUtc": 0, "endHourUtc": 24}
_names = itertools.count(1)


def window(name: str, days: list[int], start: int, end: int, **scaling: Any) -> dict[str, Any]:
    return {"name": name, "weekdays": days, "startHourUtc": start, "endHourUtc": end, **scaling}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=1) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CLICKHOUSE_ORG_ID", "CLICKHOUSE_API_URL", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


@pytest.fixture
def cloud(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.ClickHouseCloud]:
    emu.clear_faults()
    with flavour.client(
        dbcloud.ClickHouseCloud,
        AsyncClickHouseCloud,
        key_id=emu.env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=emu.env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=emu.env["CLICKHOUSE_API_URL"],
        org_id=ORG_ID,
    ) as client:
        yield client


def new_service(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> str:
    made = cloud.services.create(
        name=f"schedules-{next(_names)}", provider="aws", region="us-east-1", idle_scaling=False
    )
    emu.advance(PROVISION_SECONDS)
    return made.id


def test_a_schedule_lifecycle(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = new_service(cloud, emu)
    with pytest.raises(dbcloud.NotFoundError, match="no autoscaling schedule"):
        cloud.scaling_schedules.get(sid)
    business = window("business", [1, 2, 3, 4, 5], 8, 18, minReplicaMemoryGb=16, maxReplicaMemoryGb=64)
    night = window("night", [1, 2, 3, 4, 5], 22, 6)
    made = cloud.scaling_schedules.set(sid, [business, night])
    assert [e.name for e in made.entries] == ["business", "night"]
    assert all(e.id for e in made.entries)
    assert made.entries[0].autoscaling_mode == "vertical"  # the default the server fills in
    assert made.base_config["autoscalingMode"] == "vertical"
    got = cloud.scaling_schedules.get(sid)
    assert [(e.id, e.max_replica_memory_gb) for e in got.entries] == [
        (e.id, e.max_replica_memory_gb) for e in made.entries
    ]

    always = cloud.scaling_schedules.set(sid, [ALWAYS])
    assert always.active_entry is not None
    assert always.active_entry.name == "always"
    assert always.entries[0].is_active_now is True
    assert always.entries[0].id not in [e.id for e in made.entries]  # replaced whole

    cloud.scaling_schedules.delete(sid)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.scaling_schedules.get(sid)
    with pytest.raises(dbcloud.NotFoundError):
        cloud.scaling_schedules.delete(sid)


def test_an_empty_schedule_clears_it(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = new_service(cloud, emu)
    cloud.scaling_schedules.set(sid, [ALWAYS])
    cleared = cloud.scaling_schedules.set(sid, [])
    assert (cleared.entries, dict(cleared.base_config)) == ((), {})
    with pytest.raises(dbcloud.NotFoundError):
        cloud.scaling_schedules.get(sid)


def test_the_vendors_rules(cloud: dbcloud.ClickHouseCloud, emu: Emulator) -> None:
    sid = new_service(cloud, emu)
    overlapping = [window("a", [1], 8, 12), window("b", [1], 11, 14)]
    with pytest.raises(dbcloud.BadRequestError, match="'a' and 'b' overlap"):
        cloud.scaling_schedules.set(sid, overlapping)
    across_midnight = [window("late", [1], 22, 4), window("early", [2], 2, 6)]
    with pytest.raises(dbcloud.BadRequestError, match="overlap"):
        cloud.scaling_schedules.set(sid, across_midnight)
    adjacent = cloud.scaling_schedules.set(sid, [window("a", [1], 8, 12), window("b", [1], 12, 14)])
    assert len(adjacent.entries) == 2
    with pytest.raises(dbcloud.NotFoundError, match="Service not found"):
        cloud.scaling_schedules.set(MISSING, [ALWAYS])
    with pytest.raises(dbcloud.NotFoundError, match="Service not found"):
        cloud.scaling_schedules.get(MISSING)


def test_the_emulator_refuses_what_the_vendor_refuses(emu: Emulator) -> None:
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    base = emu.env["CLICKHOUSE_API_URL"]
    with dbcloud.ClickHouseCloud(key_id=auth[0], key_secret=auth[1], base_url=base, org_id=ORG_ID) as client:
        sid = client.services.create(name="raw-schedules", provider="aws", region="us-east-1").id
    url = f"{base}/v1/organizations/{ORG_ID}/services/{sid}/scalingSchedule"
    bad = [
        [window("x", [1], 8, 8)],
        [window("x", [7], 8, 9)],
        [window("x", [1], 8, 9, minReplicaMemoryGb=10, maxReplicaMemoryGb=16)],
        [window("x", [1], 8, 9, minReplicaMemoryGb=16)],
        [window("x", [1], 8, 9, minReplicas=1, maxReplicas=3)],
        [window("x", [1], 8, 9, autoscalingMode="horizontal", minReplicas=1, maxReplicas=3)],
        [window(f"w{i}", [i % 7], i, i + 1) for i in range(11)],
    ]
    for entries in bad:
        answer = httpx.post(url, auth=auth, json={"entries": entries})
        assert answer.status_code == 400, entries


def test_schedule_answers_validate_against_the_spec(emu: Emulator, shared_specs: Path) -> None:
    from openapi_schema_validator import OAS31Validator

    from ._spec import prepared

    doc = prepared(shared_specs, "clickhouse")
    auth = (emu.env["CLICKHOUSE_CLOUD_API_KEY"], emu.env["CLICKHOUSE_CLOUD_API_SECRET"])
    base = emu.env["CLICKHOUSE_API_URL"]
    with dbcloud.ClickHouseCloud(key_id=auth[0], key_secret=auth[1], base_url=base, org_id=ORG_ID) as client:
        sid = client.services.create(name="spec-schedules", provider="aws", region="us-east-1").id
    url = f"{base}/v1/organizations/{ORG_ID}/services/{sid}/scalingSchedule"
    horizontal = window(
        "h",
        [6],
        10,
        12,
        autoscalingMode="horizontal",
        minReplicaMemoryGb=32,
        maxReplicaMemoryGb=32,
        minReplicas=2,
        maxReplicas=5,
    )
    answers = [
        ("post", httpx.post(url, auth=auth, json={"entries": [ALWAYS]})),
        ("get", httpx.get(url, auth=auth)),
        ("post", httpx.post(url, auth=auth, json={"entries": [horizontal]})),
        ("delete", httpx.delete(url, auth=auth)),
        ("post", httpx.post(url, auth=auth, json={"entries": []})),
    ]
    path = "/v1/organizations/{organizationId}/services/{serviceId}/scalingSchedule"
    for method, answer in answers:
        assert answer.status_code == 200, answer.text
        schema = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = list(OAS31Validator({**schema, "components": doc["components"]}).iter_errors(answer.json()))
        assert errors == [], (method, errors[0].message if errors else None)
