"""Fixtures of the reliability suite, and the "Reliability" table printed at the end of the run.

Each test records what it measured with `figures.add(area, column=value, ...)`; the
`pytest_terminal_summary` hook below prints every area as a table after the test results.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dbcloud.emulator import Emulator, running

from ._figures import Figures, format_table

_FIGURES = pytest.StashKey[Figures]()


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """Where a test records the figures it measured (one table per area)."""
    return request.config.stash.setdefault(_FIGURES, Figures())


@pytest.fixture(autouse=True)
def _settings_from_arguments_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Clients here get every setting as an argument; a developer's profile file or DBCLOUD_*
    # variables (a max_retries of 0, say) must not change what the suite measures.
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "no-profile-file.toml"))
    for name in ("DBCLOUD_PROFILE", "DBCLOUD_TIMEOUT", "DBCLOUD_MAX_RETRIES", "CLICKHOUSE_ORG_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    # Real-time speed: lifecycles move only when a client's pauses advance the emulated clock.
    with running(speed=1) as emulator:
        yield emulator


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    figures = config.stash.get(_FIGURES, None)
    if figures is None or not figures.areas:
        return
    terminalreporter.write_sep("=", "Reliability")
    format_table(figures, terminalreporter.write_line)
