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
import subprocess
import sys
import time
from pathlib import Path

import httpx


def start() -> tuple[subprocess.Popen[str], dict[str, str], float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "dbcloud.emulator", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    env: dict[str, str] = {}
    while True:
        line = process.stdout.readline().strip()
        if not line:
            raise SystemExit("the emulator did not start")
        if line.startswith("export "):
            name, value = line.removeprefix("export ").split("=", 1)
            env[name] = value
        if line.startswith("# control:"):
            break
    # Ready means answering: one request through the control endpoint.
    url = env["ACM_API_URL"].rsplit("/acm/", 1)[0]
    httpx.get(f"{url}/_emulator/stats").raise_for_status()
    return process, env, time.perf_counter() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    startups = []
    for _ in range(args.runs):
        process, _, seconds = start()
        startups.append(seconds)
        process.terminate()
        process.wait()

    process, env, _ = start()
    try:
        headers = {"X-Auth-Token": env["ACM_API_KEY"]}
        with httpx.Client(base_url=env["ACM_API_URL"], headers=headers) as client:
            client.get("/environments").raise_for_status()
            rates = []
            for _ in range(args.runs):
                began = time.perf_counter()
                for _ in range(args.requests):
                    client.get("/environments")
                rates.append(args.requests / (time.perf_counter() - began))
            idle_mb = rss_mb(process.pid)
            params = {"nodes": "1", "shards": "1", "replicas": "1", "nodeType": "m5", "adminPass": "pw"}
            for i in range(args.resources):
                answer = client.post("/environment/176/clusters/launch", params={**params, "name": f"c{i}"})
                answer.raise_for_status()
            loaded_mb = rss_mb(process.pid)
            listed = len(client.get("/environment/176/clusters").json()["data"])
    finally:
        process.terminate()
        process.wait()

    startup = statistics.median(startups)
    rate = statistics.median(rates)
    print(f"{'benchmark':<46}{'measured':>16}  {'goal':<14}verdict")
    rows = [
        ("start-up (process start to first answer)", f"{startup:.2f} s", "<= 1 s", startup <= 1.0),
        ("simple GET, one connection, validation on", f"{rate:.0f} req/s", ">= 300 req/s", rate >= 300),
        (
            f"memory: idle / with {listed:,} clusters",
            f"{idle_mb:.0f} / {loaded_mb:.0f} MB",
            "<= 150 MB",
            loaded_mb <= 150,
        ),
    ]
    for name, measured, goal, ok in rows:
        print(f"{name:<46}{measured:>16}  {goal:<14}{'ok' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
