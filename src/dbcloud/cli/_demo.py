"""`dbcloud demo`: every API's lifecycle, run with this CLI's own commands on the embedded emulator.

Each step is a real command line, shown as typed and run in this process through the same code as
any other run (its JSON answer is read back to find the ids for the next step). Connection settings
point at the emulator and are passed out of sight, so the commands shown are exactly what one would
type against the real APIs.
"""

from __future__ import annotations

import io
import json
import math
import secrets
import shlex
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ._console import Console
from ._invoke import UsageError

__all__ = ["demo"]

# The options that point each API at the emulator, by emulator variable.
_CONNECTION = {
    "acm": ("ACM_API_URL", "ACM_API_KEY"),
    "anywhere": ("ALTINITYCLOUD_API_URL", "ALTINITYCLOUD_API_TOKEN"),
    "clickhouse": ("CLICKHOUSE_API_URL", "CLICKHOUSE_CLOUD_API_KEY", "CLICKHOUSE_CLOUD_API_SECRET"),
    "clickstack": ("CLICKSTACK_ENDPOINT", "CLICKSTACK_API_KEY"),
    "cockroach": ("COCKROACH_SERVER", "COCKROACH_API_KEY"),
}
_TILES = (
    '[{"name":"Errors","x":0,"y":0,"w":6,"h":3,"config":{"displayType":"markdown","markdown":"# Errors"}}]'
)


class StepFailed(Exception):
    """A demo command exited with an error (already reported on stderr)."""


class _Demo:
    def __init__(self, console: Console, env: Mapping[str, str], *, interval: float) -> None:
        self.console = console
        self.env = env
        self.interval = interval
        self.rows: list[dict[str, str]] = []

    def cli(self, *shown: str, hidden: tuple[str, ...] = ()) -> Any:
        """Show a command line, run it, and return its JSON answer."""
        from ._app import run

        self.console.out(f"  {self.console.paint('$', 'dim')} dbcloud {shlex.join(shown)}\n")
        api = shown[1] if shown[0] == "raw" else shown[0]
        connection = [
            f"--{name.lower().replace('_', '-')}={self.env[name]}" for name in _CONNECTION.get(api, ())
        ]
        extra = ["--poll-interval", str(self.interval)] if "--wait" in shown else []
        captured = io.StringIO()
        inner = Console(stdout=captured, stderr=self.console.stderr, environ=self.console.environ)
        inner.no_color = self.console.no_color
        code = run([*shown, *hidden, *connection, *extra, "--profile", "default", "-o", "json"], inner)
        if code != 0:
            raise StepFailed(f"exit code {code}")
        text = captured.getvalue()
        return json.loads(text) if text.strip() else None

    def lifecycle(self, api: str, what: str, steps: Callable[[dict[str, str]], str]) -> None:
        self.console.out(f"\n{self.console.paint(api, 'bold')}\n")
        row = {"api": api, "resource": what, "lifecycle": "", "result": "", "time": ""}
        started = time.monotonic()
        try:
            row["lifecycle"] = steps(row)
            row["result"] = "ok"
        except StepFailed as exc:
            row["result"] = f"failed ({exc})"
        row["time"] = f"{time.monotonic() - started:.1f}s"
        self.rows.append(row)

    # --- the lifecycles ----------------------------------------------------------------------

    def acm(self, row: dict[str, str]) -> str:
        environments = self.cli("acm", "environments", "list")
        env = str(environments[0]["id"])
        password = secrets.token_urlsafe(18)
        self.console.secret(password)
        cluster = self.cli(
            "acm", "clusters", "launch", "--environment", env, "--name", "demo-cluster",
            "--node-type", "m5.large", "--nodes", "2", "--replicas", "2", "--size", "100", "--wait",
            # One token: a password that starts with "-" must not read as an option.
            hidden=(f"--admin-pass={password}",),
        )  # fmt: skip
        row["resource"] = f"cluster {cluster['id']} in environment {env}"
        self.cli("acm", "clusters", "delete", str(cluster["id"]), "--wait")
        return f"launch → {cluster['status']} → deleted"

    def anywhere(self, row: dict[str, str]) -> str:
        # A Kubernetes environment in the user's own EKS cluster; the spec goes in as a file.
        nodes = {"nodeType": "m6i.large", "capacityPerZone": 1, "zones": ["us-east-1a"]}
        with tempfile.TemporaryDirectory(prefix="dbcloud-demo-") as folder:
            spec = Path(folder) / "k8s-env.json"
            spec.write_text(json.dumps({"distribution": "EKS", "nodeGroups": [nodes]}), encoding="utf-8")
            self.console.out(f"  {self.console.paint('#', 'dim')} {spec.name}: {spec.read_text('utf-8')}\n")
            created = self.cli("anywhere", "k8s", "create", "dbcloud-demo", "--file", str(spec), "--wait")
        applied = created["status"]["appliedSpecRevision"]
        row["resource"] = f"Kubernetes environment {created['name']}"
        self.cli("anywhere", "k8s", "delete", "dbcloud-demo")
        # Anywhere's delete marks the environment for removal; deprovisioning goes on by itself.
        pending = self.cli("anywhere", "k8s", "get", "dbcloud-demo")["status"]["pendingDelete"]
        return f"create → revision {applied} applied → {'deleting' if pending else 'deleted'}"

    def clickhouse(self, row: dict[str, str]) -> str:
        service = self.cli(
            "clickhouse", "services", "create", "--name", "demo-service", "--provider", "aws",
            "--region", "us-east-1", "--no-idle-scaling", "--wait",
        )  # fmt: skip
        sid = service["id"]
        row["resource"] = f"service {sid[:8]}…"
        self.cli("clickhouse", "services", "stop", sid, "--wait")
        self.cli("clickhouse", "services", "delete", sid, "--wait")
        return f"create → {service['state']} → stopped → deleted"

    def cockroach(self, row: dict[str, str]) -> str:
        cluster = self.cli(
            "cockroach", "clusters", "create-serverless", "--name", "demo-moose", "--provider", "GCP",
            "--region", "us-central1", "--wait",
        )  # fmt: skip
        row["resource"] = f"serverless cluster {cluster['name']}"
        self.cli("cockroach", "clusters", "delete", cluster["id"], "--wait")
        return f"create → {cluster['state']} → deleted"

    def clickstack(self, row: dict[str, str]) -> str:
        webhook = self.cli(
            "clickstack", "webhooks", "create", "--name", "demo-hook", "--webhook-service", "generic",
            "--url", "https://example.com/hook",
        )  # fmt: skip
        dashboard = self.cli("clickstack", "dashboards", "create", "--name", "demo-errors", "--tiles", _TILES)
        alert = self.cli(
            "clickstack", "alerts", "create", "--dashboard-id", dashboard["id"],
            "--tile-id", dashboard["tiles"][0]["id"], "--source", "tile", "--threshold", "100",
            "--interval", "1h", "--threshold-type", "above", "--webhook-id", webhook["id"],
            "--name", "Error spike",
        )  # fmt: skip
        row["resource"] = f"alert {alert['id'][-8:]} on a dashboard tile"
        state = self.cli("clickstack", "alerts", "get", alert["id"])["state"]
        self.cli("clickstack", "alerts", "delete", alert["id"])
        self.cli("clickstack", "dashboards", "delete", dashboard["id"])
        self.cli("clickstack", "webhooks", "delete", webhook["id"])
        return f"create → {state} → deleted"


def demo(console: Console, *, speed: float) -> int:
    """Run the demo; 0 when every lifecycle ended as it should, else 1.

    Raises:
        UsageError: the emulator extra is not installed.
    """
    from ._emulator import extra_missing

    # Checked before anything starts: the emulator package imports without uvicorn, and only
    # serving needs it, which would end in a traceback halfway through.
    if missing := extra_missing("dbcloud demo"):
        raise UsageError(missing)
    from ..emulator import running
    from ._output import render

    if not (math.isfinite(speed) and speed > 0):
        raise UsageError(f"--speed must be a positive number, got {speed:g}")
    started = time.monotonic()
    with running(speed=speed) as emulator:
        console.out(
            f"dbcloud demo: every API on the embedded emulator at {emulator.url}\n"
            "(no account, no credentials, no network, nothing billed; lifecycles run "
            f"{speed:g}× faster than the real clouds)\n"
        )
        run = _Demo(console, emulator.env, interval=max(0.02, 60.0 / speed))
        run.lifecycle("Altinity.Cloud (ACM)", "cluster", run.acm)
        run.lifecycle("Altinity.Cloud Anywhere", "environment", run.anywhere)
        run.lifecycle("ClickHouse Cloud", "service", run.clickhouse)
        run.lifecycle("CockroachDB Cloud", "cluster", run.cockroach)
        run.lifecycle("ClickStack", "alert", run.clickstack)
    failed = [row for row in run.rows if row["result"] != "ok"]
    console.out(f"\n{console.paint('Summary', 'bold')}\n")
    console.out(
        render(run.rows, "table", console=console, columns=("api", "resource", "lifecycle", "result", "time"))
    )
    spent = time.monotonic() - started
    if failed:
        console.out(f"\n{len(failed)} of {len(run.rows)} lifecycles failed ({spent:.1f}s)\n")
        return 1
    console.out(
        f"\nAll {len(run.rows)} lifecycles done in {spent:.1f}s; everything created was deleted (or, on "
        "Anywhere, marked for removal) and the emulator has stopped.\nAgainst the real APIs, set "
        "ACM_API_KEY, ALTINITYCLOUD_API_TOKEN, CLICKHOUSE_CLOUD_API_KEY / _SECRET, COCKROACH_API_KEY or "
        "CLICKSTACK_ENDPOINT / _API_KEY and run the same commands.\n"
    )
    return 0
