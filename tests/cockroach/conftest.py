from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from tests._bridge import Flavour

BASE = "https://crdb.test"
API_KEY = "CCDB1_secretkey7Qx2vLw9"
SPEC_VERSION = "2024-09-16"


def cluster_json(state: str = "CREATED", **extra: Any) -> dict[str, Any]:
    """A cluster as the current spec describes it (int64 limits as strings)."""
    data: dict[str, Any] = {
        "id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "name": "notorious-moose",
        "cockroach_version": "v24.2.4",
        "upgrade_status": "FINALIZED",
        "plan": "BASIC",
        "cloud_provider": "GCP",
        "state": state,
        "creator_id": "svc-1",
        "operation_status": "UNSPECIFIED",
        "config": {
            "serverless": {
                "routing_id": "notorious-moose-123",
                "upgrade_type": "AUTOMATIC",
                "usage_limits": {"request_unit_limit": "50000000", "storage_mib_limit": "10240"},
            }
        },
        "regions": [
            {
                "name": "us-central1",
                "sql_dns": "notorious-moose-123.j77.gcp-us-central1.cockroachlabs.cloud",
                "ui_dns": "",
                "node_count": 0,
                "internal_dns": "",
                "private_endpoint_dns": "",
            }
        ],
        "cidr_range": "",
        "labels": {},
        "is_customer_cloud_account": False,
        "created_at": "2024-10-01T10:00:00Z",
        "updated_at": "2024-10-01T10:05:00Z",
    }
    data.update(extra)
    return data


CLUSTER_ID = cluster_json()["id"]


@dataclass
class FakeCockroach:
    """Routes `(METHOD, path)` to answers: a response, a JSON value, or a function of the request.

    Answers given together are used in turn; the last one repeats.
    """

    routes: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Any) -> None:
        self.routes[(method, path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answers = self.routes.get((request.method, request.url.path))
        if answers is None:
            return httpx.Response(
                404, json={"code": 5, "message": f"no route {request.method} {request.url.path}"}
            )
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, httpx.Response):
            # A copy: a response object is bound to the client that sent it, and tests share them.
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return httpx.Response(200, json=answer)

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]


class Clock:
    """A fake monotonic clock whose sleep advances it."""

    def __init__(self) -> None:
        self.now = 500.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own credentials or profile file."""
    for name in (
        "COCKROACH_API_KEY",
        "COCKROACH_SERVER",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "no-such-config.toml"))


@pytest.fixture
def fake() -> FakeCockroach:
    return FakeCockroach()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_client(handler: Any, **kwargs: Any) -> dbcloud.CockroachCloud:
    return dbcloud.CockroachCloud(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)


@pytest.fixture
def crdb(fake: FakeCockroach, clock: Clock, flavour: Flavour) -> Iterator[dbcloud.CockroachCloud]:
    """The client under test: `CockroachCloud`, and `AsyncCockroachCloud` behind the same API."""
    client = flavour.client(
        dbcloud.CockroachCloud, dbcloud.AsyncCockroachCloud, handler=fake, api_key=API_KEY, base_url=BASE
    )
    client._clock = clock
    flavour.set_sleep(client, clock.sleep)
    yield client
    client.close()


def query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


def body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None
