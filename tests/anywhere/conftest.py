from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dbcloud.anywhere import AltinityAnywhere, AsyncAltinityAnywhere
from tests._bridge import Flavour

from ._support import TOKEN, Server

_VARIABLES = (
    "ALTINITYCLOUD_API_TOKEN",
    "ALTINITYCLOUD_API_URL",
    "DBCLOUD_PROFILE",
    "DBCLOUD_TIMEOUT",
    "DBCLOUD_MAX_RETRIES",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the machine running the tests: no variables, no profile file."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "no-such-config.toml"))


@pytest.fixture
def connect(flavour: Flavour) -> Callable[..., tuple[AltinityAnywhere, Server]]:
    """Builds a client (token TOKEN unless given) in front of a scripted server: `AltinityAnywhere`,
    and `AsyncAltinityAnywhere` behind the same API, so every test using it runs on both."""

    def build(*replies: Any, **settings: Any) -> tuple[AltinityAnywhere, Server]:
        server = Server(*replies)
        settings.setdefault("token", TOKEN)
        client = flavour.client(AltinityAnywhere, AsyncAltinityAnywhere, handler=server, **settings)
        return client, server

    return build
