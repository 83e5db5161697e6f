"""The automation replaying a cassette it recorded against the emulator.

Record it again with `python -m pytest tests/test_replay.py --record-mode=rewrite`: the traffic goes
to `dbcloud_emulator`, and the cassette stores the vendors' URLs with every credential scrubbed, so
the replay (the default, `--record-mode=none`) needs neither the emulator nor an account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fleet_report
import pytest
import yaml

from dbcloud.testing import known_secrets, problems

CASSETTES = Path(__file__).parent / "cassettes" / "test_replay"


@pytest.fixture
def vcr_config(dbcloud_vcr_config: dict[str, Any]) -> dict[str, Any]:
    # Opting in to dbcloud's cassette configuration: scrubbed, matched on method, path, query, body.
    return dbcloud_vcr_config


@pytest.fixture
def settings(
    record_mode: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """While recording: the emulator. While replaying: the vendors' own URLs, any token at all."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no profile of the developer's
    for name in ("ACM_API_URL", "COCKROACH_SERVER"):
        monkeypatch.delenv(name, raising=False)
    if record_mode == "none":
        monkeypatch.setenv("ACM_API_KEY", "replay-acm-key")
        monkeypatch.setenv("COCKROACH_API_KEY", "replay-cockroach-key")
    else:
        request.getfixturevalue("dbcloud_emulator_env")


@pytest.mark.vcr
@pytest.mark.usefixtures("settings")
def test_ensure_then_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert fleet_report.main(["--ensure", "replayed-nightly"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "created cockroach cluster replayed-nightly"
    assert ["cockroach", "us-central1", "replayed-nightly", "provisioning"] in [
        line.split() for line in lines
    ]


def test_the_committed_cassette_holds_no_secret_and_no_emulator_address() -> None:
    cassette = CASSETTES / "test_ensure_then_report.dbcloud.yaml"
    text = cassette.read_text(encoding="utf-8")

    assert problems(yaml.safe_load(text), known_secrets()) == []
    assert "127.0.0.1" not in text
    assert "https://cockroachlabs.cloud/api/v1/clusters" in text
    assert "Bearer DBCLOUD-REDACTED" in text
