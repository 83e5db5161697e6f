"""Conformance: the emulator's answers read strictly, so a spec the emulator drifts from shows here.

The facades read tolerantly (dbcloud._reading); under `strict_reading()` every deviation from the
spec raises instead. ACM is left out: the real ACM sends numbers and flags as text, and the emulator
copies that habit on purpose; CockroachDB's facade reads into its own records, not generated models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dbcloud
from dbcloud._reading import strict_reading
from dbcloud.emulator import Emulator, running


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running() as emulator:
        yield emulator


def _clickhouse(emu: Emulator) -> list[Any]:
    env = emu.env
    with dbcloud.ClickHouseCloud(
        key_id=env["CLICKHOUSE_CLOUD_API_KEY"],
        key_secret=env["CLICKHOUSE_CLOUD_API_SECRET"],
        base_url=env["CLICKHOUSE_API_URL"],
    ) as client:
        return [*client.services.list(), *client.organizations.list()]


def _clickstack(emu: Emulator) -> list[Any]:
    with dbcloud.ClickStack(
        endpoint=emu.env["CLICKSTACK_ENDPOINT"], api_key=emu.credentials["clickstack"]
    ) as client:
        return [
            *client.dashboards.list(),
            *client.alerts.list(),
            *client.sources.list(),
            *client.webhooks.list(),
        ]


@pytest.mark.parametrize("read", [_clickhouse, _clickstack], ids=["clickhouse", "clickstack"])
def test_the_emulators_answers_match_the_spec_strictly(
    emu: Emulator, read: Callable[[Emulator], list[Any]]
) -> None:
    with strict_reading():
        assert read(emu)
