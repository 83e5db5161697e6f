"""The cassette layer: vcrpy through pytest-recording, scrubbed, matched on what the facade sends.

A module here sets `API = "<name>"` (a key of `_targets.APIS`) and marks its tests
`pytest.mark.vcr`; its cassettes live in `tests/cassettes/<name>/<test>.yaml` (or under
`CASSETTES = "<folder>"` when the module sets it). See README.md ("Recorded cassettes") for recording.

A test that takes `target` runs on both flavours of client (`flavour`, from tests/conftest.py), and
both replay the one cassette named after the test (`<test>.yaml`, no `[sync]`/`[async]`). Recording
is done by the sync flavour only: the async one is skipped then, and replays what was recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_recording.plugin import get_default_cassette_name

from dbcloud.emulator import running
from dbcloud.testing import Scrubber

from .._bridge import Flavour
from ._cassette import LIVE, VENDOR_VARIABLES, configure, mask_report, options, session_credentials
from ._targets import APIS, Api, Target

CASSETTE_ROOT = Path(__file__).resolve().parents[1] / "cassettes"


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    configure(vcr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    mask_report(outcome.get_result())


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Facades read settings from the environment and a profile file; a cassette test passes every
    # setting itself, so neither may add anything (a developer's own credentials least of all).
    for name in (*VENDOR_VARIABLES, "DBCLOUD_PROFILE", "DBCLOUD_TIMEOUT", "DBCLOUD_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def target(request: pytest.FixtureRequest, record_mode: str, flavour: Flavour) -> Iterator[Target]:
    """What the test talks to: the cassette (replay), a fresh emulator, or the live vendor; in the
    test's flavour."""
    api: Api = APIS[request.module.API]
    if record_mode == "none":
        yield Target(api, "replay", {api.base_setting: api.canonical, **api.replay}, flavour=flavour)
        return
    if flavour.is_async:
        pytest.skip("a cassette is recorded once, by the sync client; the async client replays it")
    live = {setting: LIVE[variable] for setting, variable in api.live.items() if LIVE[variable]}
    needs_emulator = request.node.get_closest_marker("emulator_only") is not None
    first = next(iter(api.live))
    if live.get(first) and not needs_emulator:
        missing = [api.live[name] for name in api.required_live if not live.get(name)]
        if missing:
            pytest.fail(f"recording {api.name} live needs {', '.join(missing)} as well")
        yield Target(api, "live", live, flavour=flavour)
        return
    # speed ~0: emulated time moves only when the client pauses (Target.pace).
    with running(speed=1e-6, seed=0) as emulator:
        yield Target(api, "emulator", api.emulator_settings(emulator), emulator, flavour=flavour)


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    # A module may file its cassettes under another folder (managed ClickStack talks to the
    # ClickHouse Cloud API, but its scenarios belong with ClickStack's).
    # pytest-recording asks for this in every test, cassette-backed or not.
    folder = getattr(request.module, "CASSETTES", None) or getattr(request.module, "API", "")
    return str(CASSETTE_ROOT / folder)


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    # pytest-recording names a cassette after the test's id; both flavours replay the one cassette
    # of the test, so the flavour's part of the id is left out.
    marker = request.node.get_closest_marker("default_cassette")
    if marker is not None:
        return str(marker.args[0])
    callspec = getattr(request.node, "callspec", None)
    name = request.node.name
    if callspec is not None and set(callspec.params) == {"flavour"}:
        name = request.node.originalname
    return get_default_cassette_name(request.cls, name)


@pytest.fixture
def vcr_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    # pytest-recording reads this in every test (for --block-network), cassette-backed or not.
    if not hasattr(request.module, "API"):
        return {}
    target: Target = request.getfixturevalue("target")
    credentials = [*target.credentials, *session_credentials()]
    return options(Scrubber(credentials, rewrites=[(target.base_url, target.api.canonical)]))


@pytest.fixture(autouse=True)
def _every_interaction_replayed(vcr: Any, record_mode: str) -> Iterator[None]:
    yield
    # A facade that now sends fewer requests (skips a poll, a page) fails the replay as well.
    if vcr is not None and record_mode == "none" and not vcr.all_played:
        unplayed = [
            f"{request.method} {request.uri}"
            for index, (request, _) in enumerate(vcr.data)
            if not vcr.play_counts[index]
        ]
        pytest.fail("recorded requests were not sent again:\n  " + "\n  ".join(unplayed))
