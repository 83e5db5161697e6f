"""Fleet budget: many `get`s at once through the async client, against raw httpx.

    python benchmarks/fleet.py [--runs N] [--calls N] [--in-flight N]

1. `--calls` `AsyncCockroachCloud.clusters.get` with `--in-flight` at a time (through
   `dbcloud.for_each`) against `httpx.AsyncClient.get` + `json.loads` with the same number in
   flight, against a local HTTP server on 127.0.0.1 in another process; medians of `--runs`.
   Goal: 1.3x.
2. The same calls through the sync `CockroachCloud`, one after another (reported). On loopback
   the answer takes no time to travel, so this compares CPU per call (httpx's async pool costs
   more per request at 64 connections than its sync client at one).
3. With every answer held back `--latency` seconds, as a cloud API's round trip is: `--slow-calls`
   gets through the sync client one after another against the async client at `--in-flight`
   (the speed-up fleet work gets, reported).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, print_table

# A CockroachDB cluster as the API answers GET /api/v1/clusters/{id} (the fields the facade reads).
_SERVER = r"""
import asyncio, json, sys

LATENCY = float(sys.argv[1])  # seconds each answer is held back: a stand-in for the network

# One thread and an event loop: a thread per connection would make 64 connections queue on the
# interpreter lock, and the server, not the clients, would be what is measured.
def cluster(cid):
    return json.dumps({
        "id": cid, "name": "bench-" + cid[-4:], "state": "CREATED", "plan": "BASIC",
        "cloud_provider": "GCP", "cockroach_version": "v24.1.0", "creator_id": "u1",
        "operation_status": "CLUSTER_STATUS_UNSPECIFIED", "regions": [{"name": "us-central1"}],
        "created_at": "2026-01-01T00:00:00Z", "config": {"serverless": {"usage_limits": None}},
    }).encode()

async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            body = cluster(path.split("?")[0].rsplit("/", 1)[-1])
            if LATENCY:
                await asyncio.sleep(LATENCY)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=512)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"""

_IDS = [f"00000000-0000-0000-0000-{n:012d}" for n in range(100_000)]


async def _bounded(calls: int, in_flight: int, one: Callable[[str], Awaitable[object]]) -> float:
    from dbcloud import for_each

    began = time.perf_counter()
    outcomes = await for_each(_IDS[:calls], one, concurrency=in_flight)
    elapsed = time.perf_counter() - began
    failed = [o.error for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} call(s) failed, e.g. {failed[0]!r}")
    return elapsed


def fleet_times(runs: int, calls: int, in_flight: int, latency: float = 0.0) -> dict[str, float]:
    """Medians of the async facade, raw async httpx and the sync facade for the same calls."""
    import httpx

    import dbcloud

    command = [sys.executable, "-c", _SERVER, str(latency)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{int(server.stdout.readline())}"
        limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
        headers = {"Authorization": "Bearer bench-key", "Cc-Version": "2024-09-16"}

        async def measure_async() -> tuple[list[float], list[float]]:
            raw_http = httpx.AsyncClient(base_url=base, limits=limits, headers=headers)
            crdb = dbcloud.AsyncCockroachCloud(
                api_key="bench-key", base_url=base, http_client=httpx.AsyncClient(limits=limits)
            )

            async def raw(cid: str) -> object:
                return json.loads((await raw_http.get(f"/api/v1/clusters/{cid}")).content)

            async def facade(cid: str) -> object:
                return await crdb.clusters.get(cid)

            await _bounded(in_flight * 2, in_flight, raw)  # warm up: connections and imports
            await _bounded(in_flight * 2, in_flight, facade)
            raw_times, facade_times = [], []
            for _ in range(runs):
                raw_times.append(await _bounded(calls, in_flight, raw))
                facade_times.append(await _bounded(calls, in_flight, facade))
            await raw_http.aclose()
            await crdb.aclose()
            return raw_times, facade_times

        raw_times, facade_times = asyncio.run(measure_async())
        sync_times = []
        with dbcloud.CockroachCloud(api_key="bench-key", base_url=base) as crdb:
            crdb.clusters.get(_IDS[0])
            for _ in range(runs):
                began = time.perf_counter()
                for cid in _IDS[:calls]:
                    crdb.clusters.get(cid)
                sync_times.append(time.perf_counter() - began)
    finally:
        server.terminate()
        server.wait()
    return {
        "raw_async_s": statistics.median(raw_times),
        "facade_async_s": statistics.median(facade_times),
        "facade_sync_s": statistics.median(sync_times),
    }


def measure(
    runs: int = 5, calls: int = 1000, in_flight: int = 64, latency: float = 0.025, slow_calls: int = 256
) -> list[Row]:
    """The fleet figures, as table rows."""
    times = fleet_times(runs, calls, in_flight)
    ratio = times["facade_async_s"] / times["raw_async_s"]
    speed_up = times["facade_sync_s"] / times["facade_async_s"]
    slow = fleet_times(1, slow_calls, in_flight, latency)
    slow_up = slow["facade_sync_s"] / slow["facade_async_s"]
    return [
        Row(
            f"AsyncCockroachCloud.clusters.get / httpx.AsyncClient GET + json.loads, {calls:,} "
            f"at {in_flight}",
            f"{times['facade_async_s']:.2f} s / {times['raw_async_s']:.2f} s",
            "<= 1.3x",
            ratio <= 1.3,
            f"{ratio:.2f}x",
        ),
        Row(
            f"the same {calls:,} through CockroachCloud one after another / async at {in_flight}",
            f"{times['facade_sync_s']:.2f} s / {times['facade_async_s']:.2f} s",
            "reported",
            None,
            f"{speed_up:.2f}x",
        ),
        Row(
            f"{slow_calls} gets, {latency * 1000:.0f} ms per answer: CockroachCloud one after another "
            f"/ AsyncCockroachCloud at {in_flight}",
            f"{slow['facade_sync_s']:.2f} s / {slow['facade_async_s']:.2f} s",
            "reported",
            None,
            f"{slow_up:.1f}x faster async",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.025)
    parser.add_argument("--slow-calls", type=int, default=256)
    args = parser.parse_args()
    print_table(measure(args.runs, args.calls, args.in_flight, args.latency, args.slow_calls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
