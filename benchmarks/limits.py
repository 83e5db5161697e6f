"""Answer limits: peak memory while a 200 MB answer is refused at the cap; a trickle at the deadline.

    python benchmarks/limits.py [--megabytes N]

Each figure comes from a fresh interpreter (so its peak RSS is its own), with a loopback server in
a thread of that process that streams the answer from one reused 1 MiB buffer (chunked, no
Content-Length, so only the streamed cap can stop it). For comparison the same answer is read
with the cap raised above its size: what every call risked before the cap.
Goals: peak RSS with the default cap (64 MiB) <= 250 MB; a body trickled at 10 bytes/s with
`timeout=2` stopped in <= 3 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import Row, print_table

_CHILD = r"""
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import dbcloud

mode, megabytes = sys.argv[1], int(sys.argv[2])
CHUNK = b" " * (1 << 20)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            if mode == "trickle":
                for _ in range(600):
                    self.wfile.write(b"1\r\n \r\n"); self.wfile.flush(); time.sleep(0.1)
            else:
                for _ in range(megabytes):
                    self.wfile.write(b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}"

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

kwargs = {"api_key": "k", "base_url": url, "max_retries": 0}
if mode == "trickle":
    kwargs["timeout"] = 2
if mode == "uncapped":
    import os
    os.environ["DBCLOUD_MAX_RESPONSE_BYTES"] = str((megabytes + 10) << 20)
client = dbcloud.CockroachCloud(**kwargs)
before = peak_mb()
began = time.perf_counter()
try:
    client.clusters.get("00000000-0000-0000-0000-000000000003")
    outcome = "returned"
except dbcloud.DBCloudError as exc:
    outcome = type(exc).__name__
print(json.dumps({"before": before, "peak": peak_mb(), "seconds": time.perf_counter() - began,
                  "outcome": outcome}))
"""


def _child(mode: str, megabytes: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(megabytes)], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def measure(megabytes: int = 200) -> list[Row]:
    """Peak RSS with the cap and without it, and the trickle's elapsed time."""
    capped = _child("capped", megabytes)
    uncapped = _child("uncapped", megabytes)
    trickle = _child("trickle", megabytes)
    peak, raw_peak = float(capped["peak"]), float(uncapped["peak"])  # type: ignore[arg-type]
    seconds = float(trickle["seconds"])  # type: ignore[arg-type]
    return [
        Row(
            f"peak RSS, a {megabytes} MB answer refused at the 64 MiB cap ({capped['outcome']})",
            f"{peak:.0f} MB",
            "<= 250 MB",
            peak <= 250 and capped["outcome"] == "APIResponseError",
        ),
        Row(
            f"peak RSS, the same answer read whole (cap raised, {uncapped['outcome']})", f"{raw_peak:.0f} MB"
        ),
        Row(
            f"a body trickled at 10 bytes/s, timeout=2, one attempt ({trickle['outcome']})",
            f"{seconds:.2f} s",
            "<= 3 s",
            seconds <= 3 and trickle["outcome"] == "APITimeoutError",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    rows = measure(args.megabytes)
    print_table(rows)
    return 1 if any(row.ok is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
