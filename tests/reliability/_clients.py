"""Facade clients pointed at the emulator, with their pauses swapped and their wire traffic counted."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

import dbcloud
from dbcloud._vendors import vendor_names
from dbcloud.emulator import Emulator
from tests._bridge import DualWire, Flavour

__all__ = ["APIS", "Pauses", "Wire", "connect"]

# The facades under test, by the emulator's name for their API ("clickstack" is ClickStack OSS): every
# registered vendor, read once at import, so a vendor a test registers for itself is not among them.
APIS = vendor_names()


def _is_create(api: str, request: httpx.Request) -> bool:
    """Whether a request creates something: a POST, or for Anywhere (all POST) a mutation."""
    if request.method != "POST":
        return False
    if api != "anywhere":
        return True
    document = json.loads(request.content or b"{}").get("query", "")
    return str(document).lstrip().startswith("mutation")


class Wire(DualWire):
    """The innermost transport (below dbcloud's retries): counts every attempt that goes on the
    socket, from a sync client or an async one.

    The retry layer sends the same `httpx.Request` object for each attempt, so attempts are
    counted per request object too.
    """

    def __init__(self, api: str) -> None:
        super().__init__()
        self._api = api
        self._sent: list[httpx.Request] = []  # kept alive, so that ids stay unique
        self._attempts: dict[int, int] = {}
        self.creates = 0

    def seen(self, request: httpx.Request) -> None:
        if id(request) not in self._attempts:
            self._sent.append(request)
        self._attempts[id(request)] = self._attempts.get(id(request), 0) + 1
        if _is_create(self._api, request):
            self.creates += 1

    @property
    def total(self) -> int:
        """Attempts sent, retries included."""
        return sum(self._attempts.values())

    @property
    def most_retries(self) -> int:
        """The most retries any one request needed."""
        return max(self._attempts.values(), default=1) - 1

    def reset(self) -> None:
        self._sent.clear()
        self._attempts.clear()
        self.creates = 0


class Pauses:
    """A client's `_sleep`: records each pause and moves the emulated clock instead of sleeping."""

    def __init__(self, emu: Emulator) -> None:
        self._emu = emu
        self.count = 0
        self.seconds = 0.0

    def __call__(self, seconds: float) -> None:
        self.count += 1
        self.seconds += seconds
        self._emu.advance(seconds)


def connect(api: str, emu: Emulator, flavour: Flavour | None = None, **settings: Any) -> Any:
    """The facade client of `api` with the emulator's credentials and URL (and `settings`), of
    `flavour` (sync when None); its pauses go to a `Pauses`, so nothing really sleeps."""
    env = emu.env
    chosen = flavour if flavour is not None else Flavour("sync")
    twin = chosen.twin
    builders: dict[str, Callable[[], Any]] = {
        "acm": lambda: twin(dbcloud.Altinity)(
            token=env["ACM_API_KEY"], base_url=env["ACM_API_URL"], **settings
        ),
        "anywhere": lambda: twin(dbcloud.AltinityAnywhere)(
            token=env["ALTINITYCLOUD_API_TOKEN"], base_url=env["ALTINITYCLOUD_API_URL"], **settings
        ),
        "clickhouse": lambda: twin(dbcloud.ClickHouseCloud)(
            key_id=env["CLICKHOUSE_CLOUD_API_KEY"],
            key_secret=env["CLICKHOUSE_CLOUD_API_SECRET"],
            base_url=env["CLICKHOUSE_API_URL"],
            **settings,
        ),
        "clickstack": lambda: twin(dbcloud.ClickStack)(
            endpoint=env["CLICKSTACK_ENDPOINT"], api_key=env["CLICKSTACK_API_KEY"], **settings
        ),
        "cockroach": lambda: twin(dbcloud.CockroachCloud)(
            api_key=env["COCKROACH_API_KEY"], base_url=env["COCKROACH_SERVER"], **settings
        ),
    }
    client = builders[api]()
    chosen.set_sleep(client, Pauses(emu))
    return client
