"""The pytest plugin (`pytest11` entry point `dbcloud`): the emulator as a fixture, and the
cassette matcher and serializer registered for pytest-recording.

Nothing here imports vcrpy or pytest-recording at load: a project that only uses
`dbcloud_emulator` needs neither installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from dbcloud.emulator import Emulator

__all__ = ["dbcloud_emulator", "dbcloud_emulator_env", "dbcloud_vcr_config"]

_SPEED = "dbcloud_emulator_speed"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _SPEED,
        "emulated seconds per real second of the dbcloud_emulator fixture (default 60)",
        default="60",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    # pytest-recording calls this for every cassette it opens, on a new vcrpy instance.
    from ._config import register

    register(vcr)


@pytest.fixture(scope="session")
def _dbcloud_emulator_server(pytestconfig: pytest.Config) -> Iterator[Emulator]:
    from dbcloud.emulator import running

    speed = float(str(pytestconfig.getini(_SPEED)))
    with running(speed=speed, seed=0) as emulator:
        yield emulator


@pytest.fixture
def dbcloud_emulator(_dbcloud_emulator_server: Emulator) -> Iterator[Emulator]:
    """The session's emulator, on 127.0.0.1 (see `dbcloud.emulator.Emulator`).

    One emulator serves the whole session: what a test creates stays for the next (give resources
    unique names, or delete them). What a test arms is taken away after it: faults, drift, a
    pending `fail_next_launch` and a paused clock.
    """
    emulator = _dbcloud_emulator_server
    try:
        yield emulator
    finally:
        emulator.clear_faults()
        emulator.clear_drift()
        for service in emulator.app.services.values():
            if getattr(service, "fail_next_launch", False):
                service.fail_next_launch = False
        emulator.app.clock.resume()


@pytest.fixture
def dbcloud_emulator_env(dbcloud_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """`dbcloud_emulator.env` set in the environment for the test: facades, the CLI and scripts
    that read their settings from the vendors' variables all talk to the emulator."""
    env = dbcloud_emulator.env
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def dbcloud_vcr_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """`dbcloud.testing.vcr_config()` for the test, to return from your own `vcr_config` fixture.

    While recording (any `--record-mode` but `none`), the session's emulator is passed too (and
    started if no test has yet), so a cassette recorded against `dbcloud_emulator` stores the
    vendors' URLs and replays without it. A replay that leaves a recorded request unsent (one
    poll fewer, a page skipped) fails the test.
    """
    from ._config import vcr_config

    if not request.config.pluginmanager.has_plugin("recording"):
        pytest.fail(
            "dbcloud_vcr_config needs pytest-recording, which is not installed: "
            "pip install 'dbcloud[testing]'"
        )
    recording = str(request.getfixturevalue("record_mode")) != "none"
    emulator = request.getfixturevalue("_dbcloud_emulator_server") if recording else None
    return vcr_config(emulator=emulator)


@pytest.fixture(autouse=True)
def _dbcloud_every_interaction_replayed(request: pytest.FixtureRequest) -> Iterator[None]:
    # Only a replay of a cassette test whose vcr_config is dbcloud's.
    if request.node.get_closest_marker("vcr") is None or not _replaying_dbcloud_cassette(request):
        yield
        return
    cassette = request.getfixturevalue("vcr")
    yield
    if cassette is not None and not cassette.all_played:
        unsent = [
            f"{recorded.method} {recorded.uri}"
            for index, (recorded, _) in enumerate(cassette.data)
            if not cassette.play_counts[index]
        ]
        pytest.fail("recorded requests were not sent again:\n  " + "\n  ".join(unsent))


def _replaying_dbcloud_cassette(request: pytest.FixtureRequest) -> bool:
    from ._config import SERIALIZER

    if not request.config.pluginmanager.has_plugin("recording"):
        return False
    if str(request.getfixturevalue("record_mode")) != "none":
        return False
    config = request.getfixturevalue("vcr_config")
    return isinstance(config, dict) and config.get("serializer") == SERIALIZER
