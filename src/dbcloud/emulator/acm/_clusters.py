"""The emulated ACM environments and clusters: list, launch, read, log, status, delete."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest, json_response
from ._state import DELETE_SECONDS, HEALTH_CHECKS, LAUNCH_SECONDS, LAUNCH_STEPS, Cluster, Operation
from ._wire import as_bool, as_count

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["ClusterHandlers", "launch_problems"]


class ClusterHandlers(_Base):
    """The environment and cluster operations of `EmulatedACM`."""

    environments: dict[int, dict[str, Any]]
    clusters: dict[int, Cluster]
    _next_id: int
    _epoch: float

    def cluster_handlers(self) -> dict[str, Handler]:
        return {
            "environments.get_environments": self._list_environments,
            "environments.get_environment": self._get_environment,
            "clusters.get_environment_clusters": self._list_clusters,
            "clusters.post_environment_clusters_launch": self._launch_body,
            "clusters.launch_cluster_json": self._launch_body,
            "clusters.get_cluster": self._get_cluster,
            "clusters.get_cluster_log": self._cluster_log,
            "clusters.get_cluster_status": self._cluster_status,
            "clusters.delete_cluster": self._delete_cluster,
        }

    # --- environments --------------------------------------------------------------------------

    def _environment(self, value: str) -> dict[str, Any]:
        environment = self.environments.get(int(value))
        if environment is None:
            raise ApiError(404, "Environment not found")
        return environment

    def _list_environments(self, request: EmuRequest, body: Any) -> Any:
        return list(self.environments.values())

    def _get_environment(self, request: EmuRequest, body: Any) -> Any:
        return self._environment(request.params["id"])

    # --- clusters ------------------------------------------------------------------------------

    def _state(self, cluster: Cluster) -> tuple[str, dict[str, Any] | None]:
        now = self.clock.now()
        if cluster.deleted_at is not None:
            return "terminating", None
        done = now - cluster.started >= LAUNCH_SECONDS
        if not done:
            return "launching", None
        if cluster.fails:
            return "failed", {
                "success": False,
                "error": "launch failed: nodes did not start (emulated failure)",
            }
        operation = self._settle(cluster)
        if operation is not None:
            return operation.kind.status, {"success": True, "confirmed": True}
        return ("stopped" if cluster.stopped else "online"), {"success": True, "confirmed": True}

    def _settle(self, cluster: Cluster) -> Operation | None:
        """The day-2 operation still running on the cluster, after applying the one that finished."""
        operation = cluster.operation
        if operation is None or operation.settled:
            return None
        if not operation.done(self.clock.now()):
            return operation
        if operation.kind.action == "stop":
            cluster.stopped = True
        operation.settled = True
        return None

    def _view(self, cluster: Cluster) -> dict[str, Any]:
        status, _ = self._state(cluster)
        view: dict[str, Any] = {
            "id": cluster.id,
            "name": cluster.name,
            "status": status,
            "nodes": str(cluster.nodes),
            "shards": str(cluster.shards),
            "replicas": str(cluster.replicas),
            "secure": cluster.secure,
            "endpoint": f"{cluster.name}.emu.test",
        }
        if cluster.version:
            view["systemVersion"] = cluster.version
        view.update(cluster.settings)
        return view

    def _cluster(self, value: str) -> Cluster:
        cluster = self.clusters.get(int(value))
        if cluster is None or self._gone(cluster):
            raise ApiError(404, "Cluster not found")
        return cluster

    def _gone(self, cluster: Cluster) -> bool:
        if cluster.deleted_at is not None and self.clock.now() - cluster.deleted_at >= DELETE_SECONDS:
            self.clusters.pop(cluster.id, None)
            return True
        return False

    def _list_clusters(self, request: EmuRequest, body: Any) -> Any:
        env = self._environment(request.params["environment"])["id"]
        return [
            self._view(c) for c in list(self.clusters.values()) if c.environment == env and not self._gone(c)
        ]

    def _launch(self, environment: str, fields: dict[str, Any]) -> Any:
        env = self._environment(environment)["id"]
        problems = launch_problems(fields)
        if problems:
            # ACM answers a refused launch with HTTP 200 and an error in the envelope.
            return json_response(200, {"data": None, "error": "; ".join(problems)})
        self.creates += 1
        self._next_id += 1
        cluster = Cluster(
            id=self._next_id,
            environment=env,
            name=str(fields["name"]),
            nodes=as_count(fields["nodes"]) or 0,
            shards=as_count(fields.get("shards", 1)) or 1,
            replicas=as_count(fields["replicas"]) or 0,
            node_type=str(fields.get("nodeType") or fields.get("instanceType")),
            secure=as_bool(fields.get("secure", True)) is not False,
            started=self.clock.now(),
            fails=self.fail_next_launch,
            admin_user=str(fields.get("adminUser") or "admin"),
            zookeeper=str(fields.get("zookeeper") or "launch"),
            admin_pass=str(fields.get("adminPass")),
            size=as_count(fields.get("size")) or 0,
            disks=as_count(fields.get("disks", 1)) or 1,
            version=str(fields.get("version") or ""),
        )
        self.fail_next_launch = False
        cluster.actions.append({"id": len(cluster.actions) + 1, "action": "launch", "success": None})
        self.clusters[cluster.id] = cluster
        return self._view(cluster)

    def _launch_body(self, request: EmuRequest, body: Any) -> Any:
        return self._launch(request.params["environment"], dict(body or {}))

    def _get_cluster(self, request: EmuRequest, body: Any) -> Any:
        return self._view(self._cluster(request.params["id"]))

    def _cluster_log(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        _, outcome = self._state(cluster)
        entries = [dict(a) for a in cluster.actions]
        if outcome is not None:
            entries[0].update(outcome)
        now = self.clock.now()
        for entry, ends in zip(entries[1:], cluster.ends, strict=True):
            if now >= ends:
                entry.update({"success": True, "confirmed": True})
        return entries

    def _cluster_status(self, request: EmuRequest, body: Any) -> Any:
        # ACM's own shape (a live capture in gorgias-oss/terraform-provider-altinity's tests): a
        # summary of the health checks and the running action's steps, counts as text.
        cluster = self._cluster(request.params["cluster"])
        status, _ = self._state(cluster)
        elapsed = max(self.clock.now() - cluster.started, 0.0)
        share = min(elapsed / LAUNCH_SECONDS, 1.0)
        action, steps = "Launch cluster", LAUNCH_STEPS
        operation = cluster.operation
        running = status not in ("terminating", "launching", "failed")
        if operation is not None and running and not operation.settled:
            share = operation.share(self.clock.now())
            action, steps = operation.kind.label, operation.kind.steps
            passed = int(share * HEALTH_CHECKS)
            completed = min(int(share * steps), steps - 1)
        elif status == "stopped":  # no node answers a check while the cluster is stopped
            action, steps, passed, completed = "Completed", operation.kind.steps if operation else 1, 0, 0
        elif operation is not None and running:
            # Idle after a day-2 operation, as ACM answers it (a live capture in the community
            # Terraform provider's tests, internal/acm/client_test.go): "Completed", with the
            # step counter back at 0 of the last operation's steps.
            action, steps, passed, completed = "Completed", operation.kind.steps, HEALTH_CHECKS, 0
        elif status == "online":
            passed, completed = HEALTH_CHECKS, LAUNCH_STEPS
        elif status == "launching":
            passed = min(int(share * HEALTH_CHECKS), HEALTH_CHECKS - 1)
            completed = min(int(share * LAUNCH_STEPS), LAUNCH_STEPS - 1)
        elif status == "failed":  # the launch ran its course; the nodes answer no check
            passed, completed = 0, LAUNCH_STEPS
        else:  # terminating
            action, steps, passed, completed = "Terminate cluster", 1, 0, 0
        return {
            "health": {"total": str(HEALTH_CHECKS), "passed": str(passed), "ts": self._ts(), "details": []},
            "uptime": str(int(elapsed - LAUNCH_SECONDS)) if status in ("online", "pending") else "0",
            "action": action,
            "actionProgress": {
                "total": str(steps),
                "completed": str(completed),
                "percent": completed * 100 // steps,
            },
            "latestBackup": "",
            "throughput": None,
            "crashReport": 0,
            "usesInstallationTemplate": False,
        }

    def _ts(self) -> str:
        moment = dt.datetime.fromtimestamp(self._epoch + self.clock.now(), dt.UTC)
        return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")

    def _delete_cluster(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        if cluster.deleted_at is None:
            cluster.deleted_at = self.clock.now()
        return True


def launch_problems(fields: dict[str, Any]) -> list[str]:
    problems = []
    if not fields.get("name"):
        problems.append("name is required")
    numbers: dict[str, int] = {}
    for key in ("nodes", "shards", "replicas", "size"):
        value = fields.get(key, 1 if key == "shards" else None)
        if value is None:
            if key != "size":
                problems.append(f"{key} is required")
            continue
        number = as_count(value)
        if number is None:
            problems.append(f"{key} must be a number")
            continue
        if number <= 0:
            problems.append(f"{key} must be positive")
        numbers[key] = number
    if not problems and numbers["nodes"] != numbers["shards"] * numbers["replicas"]:
        problems.append("nodes must equal shards x replicas")
    if not (fields.get("nodeType") or fields.get("instanceType")):
        problems.append("nodeType is required")
    if not fields.get("adminPass"):
        problems.append("adminPass is required")
    for key in ("name", "nodeType", "instanceType", "adminPass", "adminUser", "version", "zookeeper"):
        if fields.get(key) is not None and not isinstance(fields[key], str):
            problems.append(f"{key} must be text")
    if "secure" in fields and as_bool(fields["secure"]) is None:
        problems.append("secure must be true or false")
    if fields.get("zookeeperOptions") is not None and not isinstance(fields["zookeeperOptions"], dict):
        problems.append("zookeeperOptions must be an object")
    return problems
