"""Fleet work on the async clients under faults: 64 calls in flight, 429s, 503s and cut connections.

What a user relies on when creating many resources at once: no resource is created twice (a
create is sent again only after a 429, which the server answers before acting), none is lost
(every create that succeeded names a resource that reads back, and the emulator made exactly as
many as succeeded), and every read gets through on retries. Nothing but a `dbcloud.DBCloudError`
leaves the facade.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendors
from dbcloud.emulator import Emulator, Fault, running

from ._clients import _is_create

CREATES = 120
IN_FLIGHT = 64
BUDGET = 12  # retries: at 30 % faults, 13 attempts all failing is a 1e-7 chance per request
FAULTS: tuple[dict[str, Any], ...] = (
    {"kind": "429", "retry_after": 1.0},
    {"kind": "503"},
    {"kind": "reset"},
)
RULE_RATE = 0.11  # per rule: about 30 % of requests meet one of the three


@dataclass(frozen=True)
class AsyncWork:
    """How one vendor's async client is made against the emulator, and its create and read."""

    connect: Callable[[dict[str, str], httpx.AsyncClient], Any]
    create: Callable[[Any, int], Awaitable[Any]]
    read: Callable[[Any, Any], Awaitable[Any]]
    made_id: Callable[[Any], str] = lambda made: str(made.id)
    setup: Callable[[Any], Awaitable[None]] | None = None  # run before the faults are switched on


def _acm() -> AsyncWork:
    from dbcloud.altinity import AsyncAltinity

    from ._workloads import ADMIN_PASS

    environment: dict[str, Any] = {}

    async def setup(client: Any) -> None:
        environment["id"] = (await client.environments.list())[0].id

    return AsyncWork(
        connect=lambda env, http: AsyncAltinity(
            token=env["ACM_API_KEY"], base_url=env["ACM_API_URL"], http_client=http
        ),
        create=lambda client, n: client.clusters.launch(
            environment["id"],
            name=f"fleet-{n:03d}",
            admin_pass=ADMIN_PASS,
            node_type="m5.large",
            nodes=2,
            replicas=2,
            size=10,
        ),
        read=lambda client, made: client.clusters.get(made.id),
        setup=setup,
    )


def _cockroach() -> AsyncWork:
    from dbcloud.cockroach import AsyncCockroachCloud

    return AsyncWork(
        connect=lambda env, http: AsyncCockroachCloud(
            api_key=env["COCKROACH_API_KEY"], base_url=env["COCKROACH_SERVER"], http_client=http
        ),
        create=lambda client, n: client.clusters.create_serverless(f"fleet-{n:03d}"),
        read=lambda client, made: client.clusters.get(made.id),
    )


def _clickhouse() -> AsyncWork:
    from dbcloud.clickhouse import AsyncClickHouseCloud

    from ._workloads import EXPIRY

    return AsyncWork(
        connect=lambda env, http: AsyncClickHouseCloud(
            key_id=env["CLICKHOUSE_CLOUD_API_KEY"],
            key_secret=env["CLICKHOUSE_CLOUD_API_SECRET"],
            base_url=env["CLICKHOUSE_API_URL"],
            http_client=http,
        ),
        create=lambda client, n: client.keys.create(name=f"fleet-key-{n}", expire_at=EXPIRY),
        read=lambda client, made: client.keys.get(made.key.id),
        made_id=lambda made: str(made.key.id),
    )


def _clickstack() -> AsyncWork:
    from dbcloud.clickstack import AsyncClickStack

    return AsyncWork(
        connect=lambda env, http: AsyncClickStack(
            endpoint=env["CLICKSTACK_ENDPOINT"], api_key=env["CLICKSTACK_API_KEY"], http_client=http
        ),
        create=lambda client, n: client.dashboards.create(name=f"fleet-{n}", tiles=[]),
        read=lambda client, made: client.dashboards.get(made.id),
    )


def _anywhere() -> AsyncWork:
    from dbcloud.anywhere import AsyncAltinityAnywhere

    from ._workloads import HOSTED

    async def create(client: Any, n: int) -> str:
        name = f"fleet-hosted-{n}"
        await client.aws_hosted.create(name, HOSTED)
        return name  # Anywhere names its environments: the name is the id

    return AsyncWork(
        connect=lambda env, http: AsyncAltinityAnywhere(
            token=env["ALTINITYCLOUD_API_TOKEN"], base_url=env["ALTINITYCLOUD_API_URL"], http_client=http
        ),
        create=create,
        read=lambda client, name: client.aws_hosted.get(name),
        made_id=str,
    )


WORK: dict[str, Callable[[], AsyncWork]] = {
    "acm": _acm,
    "anywhere": _anywhere,
    "clickhouse": _clickhouse,
    "clickstack": _clickstack,
    "cockroach": _cockroach,
}
ASYNC_VENDORS = [v.name for v in vendors() if v.async_client is not None]


def test_every_vendor_with_an_async_client_has_a_fleet_case() -> None:
    assert set(WORK) == set(ASYNC_VENDORS)


class AsyncWire(httpx.AsyncBaseTransport):
    """The innermost async transport: counts create attempts and those answered 429."""

    def __init__(self, api: str) -> None:
        self._api = api
        self._inner = httpx.AsyncHTTPTransport()
        self.creates = 0
        self.limited_creates = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        create = _is_create(self._api, request)
        response = await self._inner.handle_async_request(request)
        if create:
            self.creates += 1
            self.limited_creates += response.status_code == 429
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _no_pause(seconds: float) -> None:
    await asyncio.sleep(0)


async def _fleet(api: str, emu: Emulator) -> dict[str, Any]:
    work = WORK[api]()
    wire = AsyncWire(api)
    async with httpx.AsyncClient(transport=wire) as http:
        base = work.connect(emu.env, http)
        base._sleep = _no_pause  # retry pauses take no real time
        client = base.with_options(max_retries=BUDGET)
        if work.setup is not None:
            await work.setup(client)
        before = emu.stats()[api]["creates"]
        for fault in FAULTS:
            emu.add_fault(api, Fault(**fault, count=None, rate=RULE_RATE))
        created = await dbcloud.for_each(
            range(CREATES), lambda n: work.create(client, n), concurrency=IN_FLIGHT
        )
        made = [o.value for o in created if o.ok]
        reads = await dbcloud.for_each(made, lambda m: work.read(client, m), concurrency=IN_FLIGHT)
        emu.clear_faults()
        made_by_emulator = emu.stats()[api]["creates"] - before
        await base.aclose()
    return {
        "created": created,
        "made": made,
        "reads": reads,
        "wire": wire,
        "emulated": made_by_emulator,
        "work": work,
    }


@pytest.mark.parametrize("api", ASYNC_VENDORS)
def test_creates_at_64_in_flight_under_faults_make_each_resource_once(api: str) -> None:
    with running(speed=1, seed=ASYNC_VENDORS.index(api) + 11) as emu:
        result = asyncio.run(_fleet(api, emu))
    created, made, reads, wire = result["created"], result["made"], result["reads"], result["wire"]
    errors = [o.error for o in created if not o.ok]
    escaped = [e for e in errors if not isinstance(e, dbcloud.DBCloudError)]
    assert escaped == [], "only dbcloud errors may leave the facade"
    rate_limited = sum(isinstance(e, dbcloud.RateLimitError) for e in errors)
    # Each create is sent once, plus once more after each 429 it met but the last.
    assert wire.creates == CREATES + wire.limited_creates - rate_limited, "a create repeats only after a 429"
    assert result["emulated"] == len(made), "one resource per successful create: none twice, none lost"
    assert [o.error for o in reads if not o.ok] == [], "every created resource reads back"
    assert [str(r.value.id) for r in reads] == [result["work"].made_id(m) for m in made]
    # The run exercised what it claims: creates met faults, and some were repeated after a 429.
    assert errors, "some creates met a 503 or a reset and were not repeated"
    assert wire.limited_creates > 0
