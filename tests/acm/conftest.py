from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.altinity import AsyncAltinity
from tests._bridge import Flavour

BASE = "https://acm.test/api"
TOKEN = "acm-token-5f1c0b7e9d"

Handler = Callable[[httpx.Request], httpx.Response]


def envelope(data: Any = None, error: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"data": data, "error": error})


@dataclass
class FakeACM:
    """Routes `(METHOD, path)` to answers (a response, a list of responses used in turn, or a function)."""

    routes: dict[tuple[str, str], Any] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Any) -> None:
        """Answer in turn; the last answer repeats."""
        self.routes[(method, path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/api")
        answers = self.routes.get((request.method, path))
        if answers is None:
            return httpx.Response(404, json={"data": None, "error": f"no route {request.method} {path}"})
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, httpx.Response):
            # A copy: a response object is bound to the client that sent it, and tests share them
            # (a parametrized answer is sent by the sync client, then by the async one).
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return envelope(answer)

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == "/api" + path]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own credentials or profile file."""
    for name in ("ACM_API_KEY", "ACM_API_URL", "DBCLOUD_PROFILE", "DBCLOUD_TIMEOUT", "DBCLOUD_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "no-such-config.toml"))


@pytest.fixture
def fake() -> FakeACM:
    return FakeACM()


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


@pytest.fixture
def acm(fake: FakeACM, clock: Clock, flavour: Flavour) -> Iterator[dbcloud.Altinity]:
    """The client under test: `Altinity`, and `AsyncAltinity` behind the same API."""
    client = flavour.client(dbcloud.Altinity, AsyncAltinity, handler=fake, token=TOKEN, base_url=BASE)
    client._clock = clock
    flavour.set_sleep(client, clock.sleep)
    yield client
    client.close()


def query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


def form(request: httpx.Request) -> dict[str, str]:
    """The form body of a request (and nothing on its URL: that is where secrets must not go)."""
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert not request.url.params, f"parameters on the URL: {sorted(request.url.params)}"
    pairs = urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True, strict_parsing=True)
    assert len(pairs) == len(dict(pairs)), "a form field sent twice"
    return dict(pairs)


def body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None
