"""ClickHouse Cloud scaling schedules over MockTransport, on both flavours: the provider's requests,
answers read tolerantly, the spec's and the provider's rules checked before sending, a delete sent once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dbcloud
from dbcloud.clickhouse import ScalingSchedule, ScheduleEntry

from .conftest import ORG, SVC, FakeCloud, body, failure

SCHEDULE = f"/v1/organizations/{ORG}/services/{SVC}/scalingSchedule"
ENTRY_ID = "6e5d4c3b-2a19-4807-b6f5-e4d3c2b1a098"
BUSINESS = {
    "name": "business hours",
    "weekdays": [1, 2, 3, 4, 5],
    "startHourUtc": 8,
    "endHourUtc": 18,
    "minReplicaMemoryGb": 16,
    "maxReplicaMemoryGb": 64,
}
ANSWER = {
    "entries": [{**BUSINESS, "id": ENTRY_ID, "autoscalingMode": "vertical", "isActiveNow": True}],
    "baseConfig": {"autoscalingMode": "vertical", "minReplicaMemoryGb": 8, "maxReplicaMemoryGb": 16},
    "activeEntryId": ENTRY_ID,
}

Call = Callable[[Any], Any]


def test_get_reads_the_schedule(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", SCHEDULE, ANSWER)
    schedule = ch.scaling_schedules.get(SVC)
    assert isinstance(schedule, ScalingSchedule)
    assert schedule.id == schedule.service_id == SVC
    (entry,) = schedule.entries
    assert (entry.id, entry.name, entry.weekdays) == (ENTRY_ID, "business hours", (1, 2, 3, 4, 5))
    assert (entry.start_hour_utc, entry.end_hour_utc, entry.max_replica_memory_gb) == (8, 18, 64)
    assert schedule.active_entry == entry
    assert schedule.base_config["maxReplicaMemoryGb"] == 16


def test_set_posts_the_whole_schedule(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("POST", SCHEDULE, ANSWER)
    night = {"name": "nightly batch", "weekdays": [0, 6], "startHourUtc": 22, "endHourUtc": 4}
    schedule = ch.scaling_schedules.set(SVC, [BUSINESS, night])
    assert fake.last.method == "POST"
    assert body(fake.last) == {"entries": [BUSINESS, night]}
    assert schedule.entries[0].id == ENTRY_ID


def test_an_empty_list_clears_the_schedule(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("POST", SCHEDULE, {"entries": [], "baseConfig": {}})
    assert ch.scaling_schedules.set(SVC, []).entries == ()
    assert body(fake.last) == {"entries": []}


def test_tolerant_reading(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    odd = {
        "entries": [
            {"name": None, "weekdays": ["1", None], "startHourUtc": "9", "autoscalingMode": "diagonal"},
            "x",
        ],
        "baseConfig": None,
    }
    fake.on("GET", SCHEDULE, odd)
    schedule = ch.scaling_schedules.get(SVC)
    first = schedule.entries[0]
    assert (first.name, first.weekdays, first.start_hour_utc, first.autoscaling_mode) == (
        "",
        (1,),
        9,
        "diagonal",
    )
    assert schedule.entries[1] == ScheduleEntry(id=None, name="")
    assert schedule.base_config == {}
    assert schedule.active_entry is None


def test_no_schedule_is_not_found(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("GET", SCHEDULE, failure(404, "NOT_FOUND: no autoscaling schedule"))
    with pytest.raises(dbcloud.NotFoundError):
        ch.scaling_schedules.get(SVC)


def test_delete_is_sent_once_after_a_server_error(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", SCHEDULE, failure(503, "unavailable"))
    with pytest.raises(dbcloud.APIStatusError):
        ch.scaling_schedules.delete(SVC)
    assert len(fake.requests) == 1


def test_delete(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("DELETE", SCHEDULE, None)
    assert ch.scaling_schedules.delete(SVC) is None
    assert fake.last.method == "DELETE"
    assert fake.last.content == b""


def _entry(**changes: Any) -> dict[str, Any]:
    entry = {**BUSINESS, **changes}
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.scaling_schedules.get("svc"), "service_id"),
        (lambda c: c.scaling_schedules.set(SVC, BUSINESS), "entries"),
        (lambda c: c.scaling_schedules.set(SVC, [BUSINESS] * 11), "entries"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(name=" ")]), "entries[0].name"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(weekdays=[])]), "entries[0].weekdays"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(weekdays=[7])]), "entries[0].weekdays"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(startHourUtc=24)]), "entries[0].startHourUtc"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(endHourUtc=0)]), "entries[0].endHourUtc"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(endHourUtc=8)]), "entries[0].endHourUtc"),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(startHourUtc=None)]), "entries[0].startHourUtc"),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(minReplicaMemoryGb=10)]),
            "entries[0].minReplicaMemoryGb",
        ),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(maxReplicaMemoryGb=None)]),
            "entries[0].maxReplicaMemoryGb",
        ),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(minReplicaMemoryGb=64, maxReplicaMemoryGb=16)]),
            "entries[0].minReplicaMemoryGb",
        ),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(minReplicas=2, maxReplicas=4)]),
            "entries[0].maxReplicas",
        ),
        (
            lambda c: c.scaling_schedules.set(
                SVC, [_entry(autoscalingMode="horizontal", minReplicas=4, maxReplicas=2)]
            ),
            "entries[0].minReplicas",
        ),
        (
            lambda c: c.scaling_schedules.set(
                SVC, [_entry(autoscalingMode="horizontal", minReplicas=2, maxReplicas=4)]
            ),
            "entries[0].minReplicaMemoryGb",
        ),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(numReplicas=2, minReplicas=2, maxReplicas=2)]),
            "entries[0].numReplicas",
        ),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(idleTimeoutMinutes=1)]),
            "entries[0].idleTimeoutMinutes",
        ),
        (
            lambda c: c.scaling_schedules.set(SVC, [_entry(autoscalingMode="diagonal")]),
            "entries[0].autoscalingMode",
        ),
        (lambda c: c.scaling_schedules.set(SVC, [_entry(minReplica=2)]), None),
    ],
)
def test_bad_input_is_refused_before_sending(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, call: Call, field: str | None
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(ch)
    if field is not None:
        assert raised.value.field == field
    assert fake.requests == []


def test_a_horizontal_band_is_sent(ch: dbcloud.ClickHouseCloud, fake: FakeCloud) -> None:
    fake.on("POST", SCHEDULE, ANSWER)
    band = _entry(
        autoscalingMode="horizontal",
        minReplicaMemoryGb=32,
        maxReplicaMemoryGb=32,
        minReplicas=2,
        maxReplicas=6,
    )
    ch.scaling_schedules.set(SVC, [band])
    assert body(fake.last)["entries"][0]["maxReplicas"] == 6
