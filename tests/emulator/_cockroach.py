"""The emulator and clients the CockroachDB emulator tests share (one emulator per test module)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

import dbcloud
from dbcloud.emulator import Emulator, running
from dbcloud.emulator.cockroach import SERVERLESS_SECONDS
from tests._bridge import Flavour

__all__ = ["cc", "emu", "ready_cluster", "unique"]

_names = itertools.count(1)


def unique(stem: str) -> str:
    """A cluster name no other test uses (the emulator is shared by the module)."""
    return f"{stem}-{next(_names)}"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # 100 emulated seconds per real second: nothing finishes by itself during a test, so the
    # states seen are repeatable; tests move the clock with emu.advance or on each poll.
    with running(speed=100) as emulator:
        yield emulator


@pytest.fixture
def cc(emu: Emulator, flavour: Flavour) -> Iterator[dbcloud.CockroachCloud]:
    """`CockroachCloud`, and `AsyncCockroachCloud` behind the same API: every test runs on both."""
    emu.clear_faults()
    with flavour.client(
        dbcloud.CockroachCloud,
        dbcloud.AsyncCockroachCloud,
        api_key=emu.env["COCKROACH_API_KEY"],
        base_url=emu.env["COCKROACH_SERVER"],
    ) as client:
        flavour.set_sleep(client, lambda seconds: None)  # retry pauses and poll intervals take no time
        yield client


def ready_cluster(cc: dbcloud.CockroachCloud, emu: Emulator, stem: str) -> dbcloud.cockroach.Cluster:
    """A new Basic cluster, past its creation."""
    cluster = cc.clusters.create_serverless(unique(stem))
    emu.advance(SERVERLESS_SECONDS)
    return cluster
