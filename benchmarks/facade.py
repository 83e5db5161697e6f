"""Facade budgets: import cost, what one call imports, and per-call overhead against raw httpx.

    python benchmarks/facade.py [--runs N] [--calls N] [--items N]

1. `import dbcloud` against `import httpx` (the floor) and `import openai` (a peer SDK generated
   from OpenAPI, when installed: `pip install -e '.[bench]'`): fresh interpreters, interleaved,
   medians. Goal: at most 1.3x httpx.
2. Each vendor client's first call in a new interpreter, from before `import dbcloud` to the end
   of the call: wall time and the modules imported (all, and generated ones). Goal: 0.35 s.
3. `Altinity().clusters.get(1)` against `httpx.Client.get` + `json.loads`, against a local HTTP
   server on 127.0.0.1 in another process, `--calls` calls each, medians of `--runs`. Goal: 1.2x.
4. `list(clusters.list(1))` of `--items` clusters (read into the facade's `Cluster` records)
   against the same GET with `json.loads` (plain dicts). Goal: 3x: what typed results cost on a
   large answer.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, medians, print_table

_SERVER = r"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLUSTER = {"id": "1", "name": "bench", "status": "online", "nodes": "2", "shards": "1", "replicas": "2",
           "secure": "1", "version": "24.8", "endpoint": "bench.example", "adminPass": "x" * 16,
           "options": {"a": 1}, "locked": "0", "zoneAwareness": "1", "timezone": "UTC"}
ONE = json.dumps({"data": CLUSTER, "error": None}).encode()
ITEMS = int(sys.argv[1])
MANY = json.dumps({"data": [{**CLUSTER, "id": str(i), "name": f"c{i}"} for i in range(ITEMS)]}).encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; with Nagle on, each answer waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    def do_GET(self):
        body = MANY if self.path.endswith("/clusters") else ONE
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def import_times(runs: int) -> dict[str, float]:
    """Median wall time of a fresh interpreter importing each module, minus a bare interpreter.

    openai is measured only when it is installed (the `bench` extra).
    """
    subjects = {"python": "pass", "httpx": "import httpx", "dbcloud": "import dbcloud"}
    if importlib.util.find_spec("openai") is not None:
        subjects["openai"] = "import openai"
    times = medians({name: [sys.executable, "-c", code] for name, code in subjects.items()}, runs)
    bare = times.pop("python")
    return {name: seconds - bare for name, seconds in times.items()}


# One call per vendor in a new interpreter, against a server that answers 404: timed from before
# `import dbcloud` (which brings httpx) to the end of the call, which imports everything it needs to
# build the request and read the answer, then raises. The call alone is reported too.
_FIRST_CALL = """
import sys, time, json
before = set(sys.modules)
started = time.perf_counter()
import httpx, dbcloud
def server(request):
    return httpx.Response(404, json={"data": None, "error": "not found", "status": 404})
http = httpx.Client(transport=httpx.MockTransport(server))
ORG = "00000000-0000-0000-0000-000000000001"
SVC = "00000000-0000-0000-0000-000000000002"
clients = {
    "acm": lambda: dbcloud.Altinity(token="t", base_url="https://acm.test/api", http_client=http),
    "clickhouse": lambda: dbcloud.ClickHouseCloud(key_id="k", key_secret="s", org_id=ORG,
                                                  base_url="https://ch.test", http_client=http),
    "cockroach": lambda: dbcloud.CockroachCloud(api_key="k", base_url="https://crdb.test", http_client=http),
    "clickstack": lambda: dbcloud.ClickStack(endpoint="https://stack.test", api_key="k", http_client=http),
    "anywhere": lambda: dbcloud.AltinityAnywhere(token="t", base_url="https://aw.test", http_client=http),
}
calls = {
    "acm": lambda c: c.clusters.get(1),
    "clickhouse": lambda c: c.services.get(SVC),
    "cockroach": lambda c: c.clusters.get("00000000-0000-0000-0000-000000000003"),
    "clickstack": lambda c: c.alerts.get("a1"),
    "anywhere": lambda c: c.aws.get("env-1"),
}
vendor = sys.argv[1]
client = clients[vendor]()
called = time.perf_counter()
try:
    calls[vendor](client)
except dbcloud.APIError:  # the 404, or how the API reports it (GraphQL: an error in the answer)
    pass
ended = time.perf_counter()
new = set(sys.modules) - before
print(json.dumps({"total_s": ended - started, "call_s": ended - called, "modules": len(new),
                  "generated_modules": len([m for m in new if m.startswith("dbcloud_")])}))
"""
VENDOR_CALLS = {
    "acm": "Altinity.clusters.get",
    "clickhouse": "ClickHouseCloud.services.get",
    "cockroach": "CockroachCloud.clusters.get",
    "clickstack": "ClickStack (OSS).alerts.get",
    "anywhere": "AltinityAnywhere.aws.get",
}


def first_call(vendor: str, runs: int) -> dict[str, float]:
    """Median cost of a vendor client's first call: mostly importing the generated modules it needs."""
    results = []
    for _ in range(runs):
        command = [sys.executable, "-c", _FIRST_CALL, vendor]
        out = subprocess.run(command, capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def _time_calls(call: Callable[[], object], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return time.perf_counter() - started


def call_overhead(runs: int, calls: int, items: int) -> dict[str, float]:
    """Facade against raw httpx for one cluster (`calls` times) and for a list of `items` clusters."""
    import httpx

    import dbcloud

    command = [sys.executable, "-c", _SERVER, str(items)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        base = f"http://127.0.0.1:{port}/api"
        headers = {"X-Auth-Token": "bench-token"}
        raw_client = httpx.Client(base_url=base)
        acm = dbcloud.Altinity(token="bench-token", base_url=base)  # noqa: S106 - a local test server

        def raw() -> object:
            return json.loads(raw_client.get("/cluster/1", headers=headers).content)

        def facade() -> object:
            return acm.clusters.get(1)

        def raw_list() -> object:
            return json.loads(raw_client.get("/environment/1/clusters", headers=headers).content)["data"]

        def facade_list() -> object:
            # A list is a lazy pager: taking every item is what the comparison measures.
            return list(acm.clusters.list(1))

        assert len(facade_list()) == len(raw_list()) == items  # type: ignore[arg-type]
        raw(), facade()  # warm up: connections and imports
        times: dict[str, list[float]] = {"raw_s": [], "facade_s": [], "raw_list_s": [], "facade_list_s": []}
        for _ in range(runs):
            times["raw_s"].append(_time_calls(raw, calls))
            times["facade_s"].append(_time_calls(facade, calls))
            times["raw_list_s"].append(_time_calls(raw_list, 1))
            times["facade_list_s"].append(_time_calls(facade_list, 1))
        raw_client.close()
        acm.close()
    finally:
        server.terminate()
        server.wait()
    return {name: statistics.median(values) for name, values in times.items()}


def measure(runs: int = 7, calls: int = 1000, items: int = 5000) -> list[Row]:
    """Every facade figure, as table rows."""
    imports = import_times(runs * 2)
    firsts = {vendor: first_call(vendor, runs) for vendor in VENDOR_CALLS}
    overhead = call_overhead(runs, calls, items)

    floor = imports["httpx"]
    import_x = imports["dbcloud"] / floor
    rows = [
        Row(
            "import dbcloud / import httpx (fresh interpreter, minus a bare one)",
            f"{imports['dbcloud'] * 1000:.0f} ms / {floor * 1000:.0f} ms",
            "<= 1.3x",
            import_x <= 1.3,
            f"{import_x:.2f}x",
        )
    ]
    if "openai" in imports:
        rows.append(
            Row(
                "import openai (peer generated SDK) / import httpx",
                f"{imports['openai'] * 1000:.0f} ms / {floor * 1000:.0f} ms",
                "reported",
                None,
                f"{imports['openai'] / floor:.2f}x",
            )
        )
    for vendor, call in VENDOR_CALLS.items():
        result = firsts[vendor]
        rows.append(
            Row(
                f"import dbcloud + first {call}: time (the call), modules (generated)",
                f"{result['total_s'] * 1000:.0f} ms ({result['call_s'] * 1000:.0f} ms), "
                f"{result['modules']:.0f} ({result['generated_modules']:.0f})",
                "<= 0.35 s",
                result["total_s"] <= 0.35,
            )
        )
    call_x = overhead["facade_s"] / overhead["raw_s"]
    list_x = overhead["facade_list_s"] / overhead["raw_list_s"]
    rows += [
        Row(
            f"clusters.get / httpx GET + json.loads, {calls:,} calls",
            f"{overhead['facade_s']:.2f} s / {overhead['raw_s']:.2f} s",
            "<= 1.2x",
            call_x <= 1.2,
            f"{call_x:.2f}x",
        ),
        Row(
            f"clusters.list of {items:,} (records) / httpx GET + json.loads (dicts)",
            f"{overhead['facade_list_s'] * 1000:.0f} ms / {overhead['raw_list_s'] * 1000:.0f} ms",
            "<= 3x",
            list_x <= 3,
            f"{list_x:.2f}x",
        ),
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    print_table(measure(args.runs, args.calls, args.items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
