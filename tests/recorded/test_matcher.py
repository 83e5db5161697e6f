"""A change in what the facade sends fails its replay, and the failure says what changed.

This is how a regeneration that alters a request (a renamed field, another default) is caught: the
request no longer matches the cassette on method, path, query or JSON body.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

import dbcloud
from dbcloud.testing import Scrubber

from ._cassette import configure, mask_report, options, session_credentials
from ._targets import APIS, TEST_SECRETS

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"


@contextmanager
def cassette(path: Path, record_mode: str = "none") -> Iterator[Any]:
    recorder = vcr.VCR(record_mode=record_mode)
    configure(recorder)
    with recorder.use_cassette(str(path), **options(Scrubber(session_credentials()))) as used:
        yield used


def test_a_changed_launch_fails_its_replay_naming_the_parameter() -> None:
    recorded = CASSETTES / "acm" / "test_cluster_lifecycle.yaml"
    with (
        cassette(recorded),
        dbcloud.Altinity(**APIS["acm"].replay) as acm,
    ):
        environment = acm.environments.list()[0]
        launch: dict[str, Any] = {
            "name": "cassette-lifecycle",
            "admin_pass": TEST_SECRETS[0],
            "node_type": "m5.large",
            "nodes": 2,
            "shards": 1,
            "replicas": 2,
            "zookeeper": "launch",
        }
        # The request as recorded still matches...
        assert acm.clusters.launch(environment.id, size=100, **launch).id is not None  # type: ignore[arg-type]
        # ...one changed value does not, and the error names it.
        with pytest.raises(CannotOverwriteExistingCassetteException) as caught:
            acm.clusters.launch(environment.id, size=200, **launch)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "the closest differ in json_body" in message
    assert "$.size: sent 200, recorded 100" in message
    # vcrpy shows the request as sent; what reaches the CI log is masked (conftest.py).
    report = pytest.TestReport("t", ("t", 0, "t"), {}, "failed", message, "call")
    mask_report(report)
    assert TEST_SECRETS[0] not in str(report.longrepr)
    assert "$.size: sent 200, recorded 100" in str(report.longrepr)


def post(body: dict[str, Any]) -> httpx.Response:
    # vcrpy records at the transport, so a MockTransport stands in for the server here.
    transport = httpx.MockTransport(lambda request: httpx.Response(201, json={"id": "svc-1"}))
    with httpx.Client(transport=transport, base_url="https://api.clickhouse.test") as client:
        return client.post("/v1/services", json=body)


def test_a_renamed_json_field_fails_its_replay_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "create.yaml"
    sent = {"name": "svc", "spec": {"minReplicaMemoryGb": 8, "tags": ["a"]}}
    with cassette(path, record_mode="once"):
        post(sent)
    with cassette(path):
        assert post(sent).json() == {"id": "svc-1"}  # key order and spacing do not matter
    renamed = {"name": "svc", "spec": {"minReplicaMemoryGB": 8, "tags": ["a"]}}
    with cassette(path), pytest.raises(CannotOverwriteExistingCassetteException) as caught:
        post(renamed)
    message = str(caught.value)
    assert "$.spec.minReplicaMemoryGB: sent 8, not in the recording" in message
    assert "$.spec.minReplicaMemoryGb: recorded 8, not sent" in message


def test_a_changed_json_value_is_named_with_both_values(tmp_path: Path) -> None:
    path = tmp_path / "create.yaml"
    with cassette(path, record_mode="once"):
        post({"name": "svc", "spec": {"tags": ["a", "b"]}})
    with cassette(path), pytest.raises(CannotOverwriteExistingCassetteException) as caught:
        post({"name": "svc", "spec": {"tags": ["a", "c"]}})
    assert '$.spec.tags[1]: sent "c", recorded "b"' in str(caught.value)


def post_form(fields: dict[str, str] | None = None, body: dict[str, Any] | None = None) -> httpx.Response:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"data": {"id": 1}}))
    with httpx.Client(transport=transport, base_url="https://acm.test/api") as client:
        return client.post("/login", data=fields) if fields is not None else client.post("/login", json=body)


def test_a_changed_form_field_is_named_and_json_never_matches_a_form(tmp_path: Path) -> None:
    path = tmp_path / "login.yaml"
    with cassette(path, record_mode="once"):
        post_form({"login": "ops@example.com", "remember": "1"})
    with cassette(path):
        assert post_form({"remember": "1", "login": "ops@example.com"}).json() == {"data": {"id": 1}}
    with cassette(path), pytest.raises(CannotOverwriteExistingCassetteException) as caught:
        post_form({"login": "dev@example.com", "remember": "1"})
    assert '$.login: sent "dev@example.com", recorded "ops@example.com"' in str(caught.value)
    # The same fields as JSON are another request: how a value travels is part of what is sent.
    with cassette(path), pytest.raises(CannotOverwriteExistingCassetteException) as caught:
        post_form(body={"login": "ops@example.com", "remember": "1"})
    assert "sent JSON" in str(caught.value)
    assert "recorded form" in str(caught.value)
