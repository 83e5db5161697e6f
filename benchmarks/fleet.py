"""Fleet budget: many `get`s at once through the async client, against raw httpx.

    python benchmarks/fleet.py [--runs N] [--calls N] [--in-flight N]

1. `--calls` `AsyncCockroachCloud.clusters.get` with `--in-flight` at a time (through
   `dbcloud.for_each`) against `httpx.AsyncClient.get` + `json.loads` with the same number in
   flight, against a local HTTP server on 127.0.0.1 in another process; medians of `--runs`.
   Goal: 1.3x.
2. The same calls through the sync `CockroachCloud`, one after another: the speed-up the async
   client gives (reported).
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
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def cluster(cid):
    return json.dumps({
        "id": cid, "name": "bench-" + cid[-4:], "state": "CREATED", "plan": "BASIC",
        "cloud_provider": "GCP", "cockroach_version": "v24.1.0", "creator_id": "u1",
        "operation_status": "CLUSTER_STATUS_UNSPECIFIED", "regions": [{"name": "us-central1"}],
        "created_at": "2026-01-01T00:00:00Z", "config": {"serverless": {"usage_limits": None}},
    }).encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def do_GET(self):
        body = cluster(self.path.rsplit("/", 1)[-1])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 256
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
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


def fleet_times(runs: int, calls: int, in_flight: int) -> dict[str, float]:
    """Medians of the async facade, raw async httpx and the sync facade for the same calls."""
    import httpx

    import dbcloud

    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True)
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


def measure(runs: int = 5, calls: int = 1000, in_flight: int = 64) -> list[Row]:
    """The fleet figures, as table rows."""
    times = fleet_times(runs, calls, in_flight)
    ratio = times["facade_async_s"] / times["raw_async_s"]
    speed_up = times["facade_sync_s"] / times["facade_async_s"]
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
            f"{speed_up:.1f}x faster async",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=64)
    args = parser.parse_args()
    print_table(measure(args.runs, args.calls, args.in_flight))
    return 0


if __name__ == "__main__":
    sys.exit(main())
