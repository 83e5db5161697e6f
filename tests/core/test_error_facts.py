"""The facts behind an error message, as attributes a tool can phrase for its own users: the
retries made, the timeout that passed, why a connection failed and which host, what to set."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

import dbcloud
from dbcloud.emulator import Emulator, Fault, running


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with running(speed=3000) as emulator:
        yield emulator


@pytest.fixture
def url(emu: Emulator) -> str:
    emu.clear_faults()
    return emu.env["ACM_API_URL"]


def test_a_status_error_counts_the_retries_before_it(emu: Emulator, url: str) -> None:
    emu.add_fault("acm", Fault("503", count=2))
    with (
        dbcloud.Altinity(token=emu.env["ACM_API_KEY"], base_url=url, max_retries=1) as acm,
        pytest.raises(dbcloud.InternalServerError) as failed,
    ):
        acm.environments.list()
    assert (failed.value.status_code, failed.value.retries) == (503, 1)


def test_an_async_status_error_counts_them_too(emu: Emulator, url: str) -> None:
    emu.add_fault("acm", Fault("503", count=2))

    async def listing() -> None:
        async with dbcloud.AsyncAltinity(token=emu.env["ACM_API_KEY"], base_url=url, max_retries=1) as acm:
            await acm.environments.list()

    with pytest.raises(dbcloud.InternalServerError) as failed:
        asyncio.run(listing())
    assert failed.value.retries == 1


def test_an_answer_sent_at_once_made_no_retries(emu: Emulator, url: str) -> None:
    with (
        dbcloud.Altinity(token="wrong", base_url=url) as acm,
        pytest.raises(dbcloud.AuthenticationError) as refused,
    ):
        acm.environments.list()
    assert refused.value.retries == 0
    assert refused.value.hint is not None
    assert refused.value.hint in str(refused.value)


def test_a_refused_connection_says_so_and_names_the_host() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        dbcloud.Altinity(token="t", base_url=f"http://127.0.0.1:{port}/api", max_retries=0) as acm,
        pytest.raises(dbcloud.APIConnectionError) as failed,
    ):
        acm.environments.list()
    assert (failed.value.reason, failed.value.host, failed.value.retries) == (
        "connection refused",
        f"127.0.0.1:{port}",
        0,
    )
    assert str(failed.value) == f"GET http://127.0.0.1:{port}/api/environments failed: connection refused"


def test_a_timeout_names_its_phase_and_limit(emu: Emulator, url: str) -> None:
    emu.add_fault("acm", Fault("slow", count=1, delay=1.0))
    with (
        dbcloud.Altinity(token=emu.env["ACM_API_KEY"], base_url=url, timeout=0.1, max_retries=0) as acm,
        pytest.raises(dbcloud.APITimeoutError) as late,
    ):
        acm.environments.list()
    assert late.value.phase in ("read", "deadline")  # the same number: whichever fires first
    assert late.value.limit == pytest.approx(0.1)


def test_a_missing_setting_carries_what_to_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ACM_API_KEY", raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))
    with pytest.raises(dbcloud.ConfigError) as missing:
        dbcloud.Altinity()
    error = missing.value
    assert (error.setting, error.variables, error.profile, error.section, error.what, error.api) == (
        "token",
        ("ACM_API_KEY",),
        "default",
        "[default.acm]",
        "API key",
        "ACM",
    )
    assert error.path == str(tmp_path / "none.toml")
