"""dbcloud.testing's pytest plugin as a user's project meets it: loaded by its entry point."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def run_project(
    tmp_path: Path, tests: str, *args: str, prelude: str = ""
) -> subprocess.CompletedProcess[str]:
    """pytest in a fresh project of its own (no conftest, none of our settings), in a subprocess."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    (tmp_path / "test_user.py").write_text(textwrap.dedent(tests), encoding="utf-8")
    script = f"{prelude}\nimport sys, pytest\nsys.exit(pytest.main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", script, "-q", "-p", "no:cacheprovider", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_emulator_fixture_serves_the_clients_and_takes_faults_away_after_each_test(
    tmp_path: Path,
) -> None:
    result = run_project(
        tmp_path,
        """
        import dbcloud
        from dbcloud.emulator import Fault

        def test_a_fault_is_met(dbcloud_emulator, dbcloud_emulator_env):
            dbcloud_emulator.add_fault("acm", Fault("500", count=5))
            dbcloud_emulator.fail_next_launch("acm")
            with dbcloud.Altinity(max_retries=0) as acm:
                try:
                    acm.environments.list()[0]
                except dbcloud.InternalServerError:
                    return
            raise AssertionError("the fault did not fire")

        def test_the_next_test_meets_none(dbcloud_emulator, dbcloud_emulator_env):
            assert dbcloud_emulator.app.services["acm"].fail_next_launch is False
            with dbcloud.Altinity(max_retries=0) as acm:
                assert [e.name for e in acm.environments.list()] == ["emulated-gke", "emulated-eks"]

        def test_the_clock_moves_when_told(dbcloud_emulator):
            before = dbcloud_emulator.app.clock.now()
            dbcloud_emulator.advance(600)
            assert dbcloud_emulator.app.clock.now() >= before + 600
        """,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


BLOCK_VCRPY = """
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"vcr", "pytest_recording"}:
            raise ModuleNotFoundError(f"No module named {name!r}")

sys.meta_path.insert(0, NotInstalled())
"""


def test_the_plugin_loads_without_vcrpy_for_a_project_that_only_uses_the_emulator(tmp_path: Path) -> None:
    result = run_project(
        tmp_path,
        """
        import sys

        def test_emulator(dbcloud_emulator):
            assert dbcloud_emulator.env["ACM_API_URL"].startswith("http://127.0.0.1:")
            assert "vcr" not in sys.modules
        """,
        "-p",
        "no:recording",
        # As if vcrpy and pytest-recording were not installed: importing either fails.
        prelude=BLOCK_VCRPY,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


RECORDED = """
    import os
    import pytest
    import dbcloud

    @pytest.fixture
    def vcr_config(dbcloud_vcr_config):
        return dbcloud_vcr_config

    @pytest.fixture
    def token(record_mode, request, monkeypatch):
        monkeypatch.delenv("COCKROACH_SERVER", raising=False)
        monkeypatch.setenv("COCKROACH_API_KEY", "any-replay-key")
        if record_mode != "none":
            request.getfixturevalue("dbcloud_emulator_env")

    @pytest.mark.vcr
    def test_create(token):
        with dbcloud.CockroachCloud() as crdb:
            cluster = crdb.clusters.create_serverless("recorded-moose")
        assert cluster.name == "recorded-moose"
"""


def test_a_cassette_recorded_against_the_emulator_is_scrubbed_and_replays_without_it(tmp_path: Path) -> None:
    recorded = run_project(tmp_path, RECORDED, "--record-mode=once")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    cassette = tmp_path / "cassettes" / "test_user" / "test_create.dbcloud.yaml"
    text = cassette.read_text(encoding="utf-8")
    assert "https://cockroachlabs.cloud/api/v1/clusters" in text
    assert "127.0.0.1" not in text
    assert "emulator-cockroach-key" not in text
    assert "Bearer DBCLOUD-REDACTED" in text

    replayed = run_project(tmp_path, RECORDED, "--record-mode=none", "--block-network")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr

    # A script that now sends something else fails its replay, naming the field.
    changed = run_project(
        tmp_path, RECORDED.replace('"recorded-moose")', '"renamed-moose")'), "--block-network"
    )
    assert changed.returncode == 1
    assert '$.name: sent "renamed-moose", recorded "recorded-moose"' in changed.stdout

    # And so does one that no longer sends a request it recorded.
    fewer = RECORDED.replace('cluster = crdb.clusters.create_serverless("recorded-moose")', "return")
    skipped = run_project(tmp_path, fewer, "--block-network")
    assert skipped.returncode == 1
    assert (
        "ERROR test_user.py::test_create - Failed: recorded requests were not sent again:" in skipped.stdout
    )
    assert "  POST https://cockroachlabs.cloud/api/v1/clusters\n" in skipped.stdout


def test_a_cassette_that_would_hold_a_secret_is_not_written() -> None:
    from dbcloud.testing import CheckedSerializer

    interaction = {
        "request": {
            "method": "GET",
            "uri": "https://cockroachlabs.cloud/api/v1/clusters",
            "body": None,
            "headers": {"authorization": ["Bearer real-looking-key-1234"]},
        },
        "response": {"status": {"code": 200}, "headers": {}, "body": {"string": '{"password":"hunter22"}'}},
    }
    with pytest.raises(AssertionError) as raised:
        CheckedSerializer(["real-looking-key-1234"]).serialize({"interactions": [interaction], "version": 1})
    message = str(raised.value)
    assert message.startswith("cassette not written, it would hold secrets:")
    assert "a credential of this session" in message
    assert "secret field $.password holds a real-looking value" in message
    assert "real-looking-key-1234" not in message
    assert "hunter22" not in message


def test_importing_dbcloud_testing_imports_neither_vcrpy_nor_the_emulator() -> None:
    script = (
        "import sys, dbcloud.testing\n"
        "print(sorted(m for m in sys.modules\n"
        "    if m.split('.')[0] == 'vcr' or m.startswith('dbcloud.emulator')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_vcr_config_scrubs_the_secrets_it_is_given_and_stores_the_urls_it_is_told() -> None:
    from vcr.request import Request

    from dbcloud.testing import vcr_config

    config = vcr_config(
        secrets=["S3cret-sent-by-my-script"],
        rewrites=[("https://clickstack.corp.internal:8443", "https://clickstack.example.com")],
    )
    request = Request(
        "POST",
        "https://clickstack.corp.internal:8443/api/v2/webhooks",
        b'{"name":"on-call","note":"S3cret-sent-by-my-script"}',
        {"Authorization": "Bearer S3cret-sent-by-my-script", "Host": "clickstack.corp.internal"},
    )

    stored = config["before_record_request"](request)

    assert stored.uri == "https://clickstack.example.com/api/v2/webhooks"
    assert stored.body == b'{"name":"on-call","note":"DBCLOUD-REDACTED"}'
    assert dict(stored.headers) == {"Authorization": "Bearer DBCLOUD-REDACTED"}
    assert config["match_on"] == ("method", "path", "query", "json_body")
    assert config["serializer"] == "dbcloud.yaml"
