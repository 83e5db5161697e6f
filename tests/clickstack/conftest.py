from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickstack import AsyncClickStack
from tests._bridge import Flavour

ORG = "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b"
SVC = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
REQUEST_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
CLOUD = "https://api.clickhouse.test"
KEY_ID = "ck-key-id-4f2a"
KEY_SECRET = "ck-secret-9d8e7f6a5b4c"
ENDPOINT = "https://clickstack.example.test"
API_KEY = "hdx-api-key-0c9b8a7f"

ROOT_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "vendor-docs"

MANAGED_PREFIX = f"/v1/organizations/{ORG}/services/{SVC}/clickstack"
OSS_PREFIX = "/api/v2"

DASHBOARD = {"id": "65f5e4a3b9e77c001a567890", "name": "Errors", "tiles": [], "tags": ["prod"]}
ALERT = {
    "id": "65f5e4a3b9e77c001a123456",
    "dashboardId": "65f5e4a3b9e77c001a567890",
    "tileId": "65f5e4a3b9e77c001a901234",
    "threshold": 100,
    "interval": "1h",
    "source": "tile",
    "thresholdType": "above",
    "channel": {"type": "webhook", "webhookId": "65f5e4a3b9e77c001a789012"},
    "state": "OK",
}
SOURCE = {
    "id": "507f1f77bcf86cd799439011",
    "name": "Logs",
    "kind": "log",
    "connection": "507f1f77bcf86cd799439012",
    "from": {"databaseName": "default", "tableName": "otel_logs"},
    "defaultTableSelectExpression": "Timestamp, ServiceName, Body",
    "timestampValueExpression": "TimestampTime",
}
SAVED_SEARCH = {
    "id": "65f5e4a3b9e77c001a345678",
    "name": "Errors",
    "sourceId": "507f1f77bcf86cd799439011",
    "select": "",
    "where": "level:error",
    "whereLanguage": "lucene",
    "orderBy": "",
    "tags": ["prod"],
    "filters": [],
    "teamId": "65f5e4a3b9e77c001a000001",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}
WEBHOOK = {
    "id": "65f5e4a3b9e77c001a789012",
    "name": "Production Alerts",
    "service": "slack",
    "url": "https://hooks.example.test/services/T0/B0/X",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}


@dataclass
class FakeStack:
    """A ClickStack API of one mode. Routes `(METHOD, path below the API prefix)` to answers: a
    response, or a result that is wrapped the way the mode wraps it. Several answers are used in
    turn, the last one repeating."""

    mode: str
    routes: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return MANAGED_PREFIX if self.mode == "managed" else OSS_PREFIX

    def on(self, method: str, path: str, *answers: Any) -> None:
        self.routes[(method, self.prefix + path)] = list(answers)

    def wrap(self, result: Any, *, meta: bool = False) -> httpx.Response:
        if self.mode == "managed":
            body = {"status": 200, "requestId": REQUEST_ID}
            return httpx.Response(200, json=body if result is None else {**body, "result": result})
        if result is None:
            return httpx.Response(200, json={})
        if isinstance(result, list) and meta:
            return httpx.Response(
                200, json={"data": result, "meta": {"total": len(result), "limit": 1000, "offset": 0}}
            )
        return httpx.Response(200, json={"data": result})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answers = self.routes.get((request.method, request.url.path))
        if answers is None:
            if self.mode == "managed":
                error = {"status": 404, "error": "Not found", "requestId": REQUEST_ID}
                return httpx.Response(404, json=error)
            return httpx.Response(404, json={"message": "Not found"})
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer):
            answer = answer(request)
        return answer if isinstance(answer, httpx.Response) else self.wrap(answer, meta=True)

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


def transport(handler: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def managed_client(handler: Any, **kwargs: Any) -> dbcloud.ClickStack:
    settings = {"key_id": KEY_ID, "key_secret": KEY_SECRET, "base_url": CLOUD, **kwargs}
    return dbcloud.ClickStack.managed(ORG, SVC, http_client=transport(handler), **settings)


def oss_client(handler: Any, **kwargs: Any) -> dbcloud.ClickStack:
    settings = {"endpoint": ENDPOINT, "api_key": API_KEY, **kwargs}
    return dbcloud.ClickStack(http_client=transport(handler), **settings)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(params=["managed", "oss"])
def fake(request: pytest.FixtureRequest) -> FakeStack:
    return FakeStack(request.param)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def stack(fake: FakeStack, sleeps: Sleeps, flavour: Flavour) -> Iterator[dbcloud.ClickStack]:
    """The client under test, of either deployment: `ClickStack` (or `ClickStack.managed`), and
    `AsyncClickStack` (`AsyncClickStack.managed`) behind the same API."""
    if fake.mode == "managed":
        client = flavour.client(
            dbcloud.ClickStack.managed,
            AsyncClickStack.managed,
            handler=fake,
            org_id=ORG,
            service_id=SVC,
            key_id=KEY_ID,
            key_secret=KEY_SECRET,
            base_url=CLOUD,
        )
    else:
        client = flavour.client(
            dbcloud.ClickStack, AsyncClickStack, handler=fake, endpoint=ENDPOINT, api_key=API_KEY
        )
    flavour.set_sleep(client, sleeps)
    yield client
    client.close()


def body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None
