"""Where a cassette test sends its requests, and with which settings.

Three modes, chosen per test by the fixtures in conftest.py:

- **replay** (`--record-mode=none`, the default): nothing listens. The facade talks to the vendor's
  own URL with placeholder credentials; vcrpy answers from the cassette. Waits and retry pauses run
  on a fake clock, so a replay never sleeps.
- **emulator** (recording, the default): a fresh in-process emulator per test, seeded, so that the
  same scenario records the same ids. The client's pauses advance the emulator's clock instead of
  sleeping: a ten-minute launch records in milliseconds, with the poll count a real one would have.
- **live** (recording, when the API's credentials are set in the environment): the vendor itself,
  with real pauses. Scenarios that need injected faults always record against the emulator.

Whatever the mode, the cassette stores the vendor's URL: the scrubber rewrites the emulator's (or a
self-hosted endpoint's) base URL to `canonical`, so replays need neither.

Each scenario runs on both flavours of client (`Target.flavour`): the sync client, and its async
twin behind `tests._bridge.Blocking`. A cassette is recorded once, by the sync client; the async
client replays the same cassette, so it must send the same requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from dbcloud.emulator import DEMO_CREDENTIALS, Emulator, Fault
from dbcloud.testing import ORG_PLACEHOLDER

from .._bridge import Flavour

__all__ = ["APIS", "REPLAY_CREDENTIALS", "TEST_SECRETS", "Api", "FakeTime", "Target", "on_request"]


@dataclass(frozen=True)
class Api:
    """One API as the cassette tests see it.

    Attributes:
        name: the cassette folder (`tests/cassettes/<name>`).
        canonical: the vendor's base URL, as stored in cassettes and used by replays.
        emulator_path: the emulator's path prefix for this API.
        live: facade setting → environment variable, for recording against the vendor; the
            first one listed must be set for live recording.
        secrets: the settings that are credentials.
        replay: the settings a replay uses (placeholder credentials, fixed ids).
    """

    name: str
    canonical: str
    emulator_path: str
    base_setting: str
    live: Mapping[str, str]
    secrets: tuple[str, ...]
    replay: Mapping[str, str]
    required_live: tuple[str, ...] = ()

    @property
    def emulator_name(self) -> str:
        """The API's name in the emulator (its path prefix)."""
        return self.emulator_path.strip("/").split("/")[0]

    def emulator_settings(self, emulator: Emulator) -> dict[str, str]:
        """Settings that point the facade at a running emulator."""
        env = emulator.env
        settings = {setting: env[variable] for setting, variable in self.live.items() if variable in env}
        if self.name == "clickhouse":
            from dbcloud.emulator.clickhouse import ORG_ID

            settings["org_id"] = ORG_ID
        return settings


# Credentials a replay authenticates with. They never reach a cassette: the scrubber replaces them.
REPLAY_CREDENTIALS = {
    "acm": "replay-acm-token-7f3a",
    "anywhere": "replay-anywhere-token-1c9e",
    "clickhouse_key": "replay-key-id-5b2d",
    "clickhouse_secret": "replay-key-secret-8e4f",
    "clickstack": "replay-clickstack-key-3a7c",
    "cockroach": "replay-cockroach-key-6d1b",
}

# Secrets the scenarios send themselves (admin passwords); the cassettes must not hold them.
TEST_SECRETS = ("Adm1n-recorded-pass", "Rotated-pass-2026")

APIS: dict[str, Api] = {
    api.name: api
    for api in (
        Api(
            name="acm",
            canonical="https://acm.altinity.cloud/api",
            emulator_path="/acm/api",
            base_setting="base_url",
            live={"token": "ACM_API_KEY", "base_url": "ACM_API_URL"},
            secrets=("token",),
            replay={"token": REPLAY_CREDENTIALS["acm"]},
        ),
        Api(
            name="anywhere",
            canonical="https://anywhere.altinity.cloud",
            emulator_path="/anywhere",
            base_setting="base_url",
            live={"token": "ALTINITYCLOUD_API_TOKEN", "base_url": "ALTINITYCLOUD_API_URL"},
            secrets=("token",),
            replay={"token": REPLAY_CREDENTIALS["anywhere"]},
        ),
        Api(
            name="clickhouse",
            canonical="https://api.clickhouse.cloud",
            emulator_path="/clickhouse",
            base_setting="base_url",
            live={
                "key_id": "CLICKHOUSE_CLOUD_API_KEY",
                "key_secret": "CLICKHOUSE_CLOUD_API_SECRET",
                "org_id": "CLICKHOUSE_ORG_ID",
                "base_url": "CLICKHOUSE_API_URL",
            },
            secrets=("key_id", "key_secret"),
            replay={
                "key_id": REPLAY_CREDENTIALS["clickhouse_key"],
                "key_secret": REPLAY_CREDENTIALS["clickhouse_secret"],
                "org_id": ORG_PLACEHOLDER,
            },
            # The organization is part of every path; a replay configures its placeholder.
            required_live=("org_id",),
        ),
        Api(
            name="clickstack",
            # Self-hosted: no vendor URL. Cassettes store this reserved name instead of the real one.
            canonical="https://clickstack.example.com",
            emulator_path="/clickstack",
            base_setting="endpoint",
            live={"api_key": "CLICKSTACK_API_KEY", "endpoint": "CLICKSTACK_ENDPOINT"},
            secrets=("api_key",),
            replay={"api_key": REPLAY_CREDENTIALS["clickstack"]},
            required_live=("endpoint",),
        ),
        Api(
            name="cockroach",
            canonical="https://cockroachlabs.cloud",
            emulator_path="/cockroach",
            base_setting="base_url",
            live={"api_key": "COCKROACH_API_KEY", "base_url": "COCKROACH_SERVER"},
            secrets=("api_key",),
            replay={"api_key": REPLAY_CREDENTIALS["cockroach"]},
        ),
    )
}


@dataclass
class FakeTime:
    """A clock that only moves when someone sleeps: replays poll without waiting."""

    now: float = 1_000.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@dataclass
class Target:
    """What one cassette test talks to (see the module docstring).

    Attributes:
        api: the API.
        mode: "replay", "emulator" or "live".
        settings: keyword arguments for the facade's constructor (credentials, base URL, ids).
        emulator: the emulator, in emulator mode (faults, clock); None otherwise.
        flavour: the flavour of client the scenario runs on.
    """

    api: Api
    mode: str
    settings: dict[str, str]
    emulator: Emulator | None = None
    time: FakeTime = field(default_factory=FakeTime)
    flavour: Flavour = field(default_factory=lambda: Flavour("sync"))

    @property
    def base_url(self) -> str:
        return self.settings.get(self.api.base_setting) or self.api.canonical

    @property
    def credentials(self) -> list[str]:
        """The credential values this target authenticates with (and their parts)."""
        values = [self.settings[name] for name in self.api.secrets if self.settings.get(name)]
        if self.emulator is not None:
            values += [part for value in DEMO_CREDENTIALS.values() for part in (value, *value.split(":"))]
        return values

    def inject(self, fault: Fault) -> None:
        """Make the emulator answer the next requests with `fault` while recording.

        A replay needs nothing: the cassette holds the faulty answers. Scenarios that call this are
        marked `emulator_only`, so they never record live.
        """
        if self.emulator is not None:
            self.emulator.add_fault(self.api.emulator_name, fault)

    def connect(self, client_class: type[Any], **changes: str | None) -> Any:
        """A paced `client_class` of the target's flavour, on its settings with `changes` (a change
        to None leaves that setting out)."""
        settings = {name: value for name, value in {**self.settings, **changes}.items() if value is not None}
        return self.pace(self.flavour.twin(client_class)(**settings))

    def pace(self, client: Any) -> Any:
        """Make `client`'s waits and retry pauses fit the mode (see the module docstring)."""
        if self.mode == "replay":
            sleep, now = self.time.sleep, self.time.monotonic
        elif self.emulator is not None:
            sleep, now = self.emulator.app.clock.advance, self.emulator.app.clock.now
        else:
            return client
        # The clients read both through instance attributes (see BaseClient subclasses): one swap
        # drives waits, their deadlines and retry pauses.
        self.flavour.set_sleep(client, sleep)
        client._clock = now
        return client

    def detailed(self, endpoint: Any, *args: Any, **kwargs: Any) -> Any:
        """Call a generated endpoint module's `sync_detailed`, or, on the async flavour, await its
        `asyncio_detailed` (pass `client=<facade>.api`)."""
        if self.flavour.loop is None:
            return endpoint.sync_detailed(*args, **kwargs)
        return self.flavour.loop.run_until_complete(endpoint.asyncio_detailed(*args, **kwargs))


def on_request(client: Any, seen: Callable[[httpx.Request], None]) -> None:
    """Call `seen` with every request `client` sends from now on, its body read (retries are not
    counted: the hook runs once per request), whatever the client's flavour."""
    http = client.http_client
    if isinstance(http, httpx.AsyncClient):

        async def read_async(request: httpx.Request) -> None:
            await request.aread()
            seen(request)

        http.event_hooks["request"].append(read_async)
        return

    def read(request: httpx.Request) -> None:
        request.read()
        seen(request)

    http.event_hooks["request"].append(read)
