from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickhouse import AsyncClickHouseCloud
from tests._bridge import Blocking, Flavour

BASE = "https://api.clickhouse.test"
KEY_ID = "ck-key-id-4f2a"
KEY_SECRET = "ck-secret-9d8e7f6a5b4c"
ORG = "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b"
SVC = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
BACKUP = "a1b2c3d4-e5f6-4071-8293-a4b5c6d7e8f9"
KEY = "f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f"
USER = "12345678-9abc-4def-8123-456789abcdef"
INVITATION = "fedcba98-7654-4321-8fed-cba987654321"
REQUEST_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

ORGANIZATION = {"id": ORG, "name": "Acme", "createdAt": "2024-01-02T03:04:05Z"}


def service(state: str = "running", **extra: Any) -> dict[str, Any]:
    return {
        "id": SVC,
        "name": "analytics",
        "provider": "aws",
        "region": "us-east-1",
        "state": state,
        "autoscalingMode": "vertical",
        "currentScaling": {},
        **extra,
    }


def envelope(result: Any = None, status: int = 200, **headers: str) -> httpx.Response:
    body = {"status": status, "requestId": REQUEST_ID}
    if result is not None:
        body["result"] = result
    return httpx.Response(status, json=body, headers=headers)


def failure(status: int, error: str, request_id: str = REQUEST_ID, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, json={"status": status, "error": error, "requestId": request_id}, headers=headers
    )


@dataclass
class FakeCloud:
    """Routes `(METHOD, path)` to answers: a response, a result (enveloped), or a function of the
    request. Several answers are used in turn, the last one repeating."""

    routes: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Any) -> None:
        self.routes[(method, path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answers = self.routes.get((request.method, request.url.path))
        if answers is None:
            return failure(404, f"no route {request.method} {request.url.path}")
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer):
            answer = answer(request)
        return answer if isinstance(answer, httpx.Response) else envelope(answer)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own credentials or profile file."""
    for name in (
        "CLICKHOUSE_CLOUD_API_KEY",
        "CLICKHOUSE_CLOUD_API_SECRET",
        "CLICKHOUSE_ORG_ID",
        "CLICKHOUSE_API_URL",
        "CLICKSTACK_ENDPOINT",
        "CLICKSTACK_API_KEY",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "no-such-config.toml"))


@pytest.fixture
def fake() -> FakeCloud:
    return FakeCloud()


class Clock:
    """A fake monotonic clock whose sleep advances it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def cloud_with(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> dbcloud.ClickHouseCloud:
    return dbcloud.ClickHouseCloud(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)


@pytest.fixture
def ch(fake: FakeCloud, clock: Clock, flavour: Flavour) -> Iterator[dbcloud.ClickHouseCloud]:
    """The client under test: `ClickHouseCloud`, and `AsyncClickHouseCloud` behind the same API."""
    client = flavour.client(
        dbcloud.ClickHouseCloud,
        AsyncClickHouseCloud,
        handler=fake,
        key_id=KEY_ID,
        key_secret=KEY_SECRET,
        org_id=ORG,
        base_url=BASE,
    )
    client._clock = clock
    flavour.set_sleep(client, clock.sleep)
    yield client
    client.close()


def org_id_of(client: Any) -> str:
    """`client.org_id` of a sync client; `await organization_id()` of an async one (behind
    `Blocking`, which runs the coroutine), the async client having no property that may send."""
    if isinstance(client, Blocking):
        result: str = client.organization_id()
        return result
    result = client.org_id
    return result


def body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None
