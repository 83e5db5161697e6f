"""Emulator budgets: start-up time, requests per second, memory with 10,000 resources.

    python benchmarks/emulator.py [--requests N] [--resources N]

The emulator runs as `dbcloud emulator` in its own process (so it has one core to itself); the
load comes from this process over loopback with one keep-alive connection.
Goals: start-up <= 1 s; >= 300 requests/s for a simple GET (validation on); <= 150 MB RSS with
10,000 resources.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, print_table, start_emulator


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(runs: int = 3, requests: int = 2000, resources: int = 10_000) -> list[Row]:
    """Start-up (median of `runs`), GET rate, then `resources` launches and the memory they take."""
    startups = []
    for _ in range(runs):
        started = time.perf_counter()
        process, env = start_emulator()
        url = env["ACM_API_URL"].rsplit("/acm/", 1)[0]
        control = {"Authorization": f"Bearer {env['DBCLOUD_EMULATOR_TOKEN']}"}
        httpx.get(f"{url}/_emulator/stats", headers=control).raise_for_status()
        startups.append(time.perf_counter() - started)
        process.terminate()
        process.wait()

    process, env = start_emulator()
    try:
        headers = {"X-Auth-Token": env["ACM_API_KEY"]}
        with httpx.Client(base_url=env["ACM_API_URL"], headers=headers) as client:
            client.get("/environments").raise_for_status()
            rates = []
            for _ in range(runs):
                began = time.perf_counter()
                for _ in range(requests):
                    client.get("/environments")
                rates.append(requests / (time.perf_counter() - began))
            idle_mb = rss_mb(process.pid)
            params = {"nodes": "1", "shards": "1", "replicas": "1", "nodeType": "m5", "adminPass": "pw"}
            began = time.perf_counter()
            for i in range(resources):
                answer = client.post("/environment/176/clusters/launch", params={**params, "name": f"c{i}"})
                answer.raise_for_status()
            create_rate = resources / (time.perf_counter() - began)
            loaded_mb = rss_mb(process.pid)
            began = time.perf_counter()
            listed = len(client.get("/environment/176/clusters").json()["data"])
            list_s = time.perf_counter() - began
    finally:
        process.terminate()
        process.wait()

    startup = statistics.median(startups)
    rate = statistics.median(rates)
    return [
        Row(
            "emulator start-up (process start to first answer)", f"{startup:.2f} s", "<= 1 s", startup <= 1.0
        ),
        Row(
            "emulator simple GET, one connection, validation on",
            f"{rate:.0f} req/s",
            ">= 300 req/s",
            rate >= 300,
        ),
        Row(f"emulator launches, {resources:,} in a row", f"{create_rate:.0f} req/s", "reported"),
        Row(
            f"emulator memory: idle / with {listed:,} clusters",
            f"{idle_mb:.0f} / {loaded_mb:.0f} MB",
            "<= 150 MB",
            loaded_mb <= 150,
        ),
        Row(f"emulator: list all {listed:,} clusters", f"{list_s * 1000:.0f} ms", "reported"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print_table(measure(args.runs, args.requests, args.resources))
    return 0


if __name__ == "__main__":
    sys.exit(main())
