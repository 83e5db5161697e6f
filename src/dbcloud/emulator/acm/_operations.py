"""The emulated ACM day-2 cluster operations: update, rescale, upgrade, restart, stop, resume.

Each operation runs over emulated time (see `OPERATIONS` in _state): the cluster's `status`
changes while it runs, the action log gets an entry that completes when it is done, and the status
answer shows its steps. Rules where ACM documents none (assumptions, each applied once below):
- a cluster takes one operation at a time; an operation asked for while another runs, while it
  launches, or one that does not fit its state (a stop of a stopped cluster, a resume of a running
  one, a rescale or upgrade of a stopped one) is refused as ACM refuses a launch: HTTP 200 with the
  reason in the envelope's `error`;
- a rescale changes at least one thing; storage never shrinks; shards and replicas are counts of at
  least 1 and `nodes` follows as shards x replicas; a node type must be one of the environment's
  ClickHouse node types;
- an upgrade names a version (or an image) other than the one the cluster runs.

The PUT operations read their fields from the query, as the spec and acmctl send them, or from a
JSON body, as the community Terraform provider sends a rescale and an upgrade.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest, EmuResponse, json_response
from ._state import OPERATIONS, Cluster, Operation, node_types_for
from ._wire import as_count

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["OperationHandlers"]

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_ROLES = frozenset({"prod", "dev"})
# Fields of POST /cluster/{id} that the emulator keeps and shows in the cluster record.
_SHOWN = ("role", "timezone", "uptime", "mysqlPort", "mysqlProtocol", "zoneAwareness")


def _refused(message: str) -> EmuResponse:
    return json_response(200, {"data": None, "error": message})


class OperationHandlers(_Base):
    """The day-2 operations of `EmulatedACM` (state lives on its `Cluster` records)."""

    if TYPE_CHECKING:

        def _cluster(self, value: str) -> Cluster: ...
        def _state(self, cluster: Cluster) -> tuple[str, dict[str, Any] | None]: ...
        def _view(self, cluster: Cluster) -> dict[str, Any]: ...

    def operation_handlers(self) -> dict[str, Handler]:
        return {
            "clusters.post_cluster": self._update,
            "clusters.put_cluster_rescale": self._rescale,
            "clusters.put_cluster_upgrade": self._upgrade,
            "clusters.put_cluster_restart": self._restart,
            "clusters.put_cluster_stop": self._stop,
            "clusters.put_cluster_resume": self._resume,
        }

    # --- shared ----------------------------------------------------------------------------------

    def _fields(self, request: EmuRequest) -> dict[str, Any]:
        fields: dict[str, Any] = dict(request.query)
        if request.body and "json" in request.headers.get("content-type", "json"):
            try:
                data = request.json()
            except (ValueError, UnicodeDecodeError):
                raise ApiError(400, "the body is not valid JSON") from None
            if not isinstance(data, dict):
                raise ApiError(400, "the body must be a JSON object")
            fields.update(data)
        return fields

    def _idle(self, cluster: Cluster) -> str | None:
        """Why the cluster cannot take an operation now, or None."""
        status, _ = self._state(cluster)
        if status == "launching":
            return "Cluster is still launching"
        if status == "failed":
            return "Cluster launch failed; nothing can run on it"
        if cluster.operation is not None and not cluster.operation.settled:
            return f"Cluster has a running action: {cluster.operation.kind.label}"
        return None

    def _start(self, cluster: Cluster, kind: str) -> None:
        operation = OPERATIONS[kind]
        now = self.clock.now()
        cluster.operation = Operation(operation, now)
        cluster.actions.append({"id": len(cluster.actions) + 1, "action": operation.action, "success": None})
        cluster.ends.append(now + operation.seconds)

    # --- handlers --------------------------------------------------------------------------------

    def _update(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        fields = dict(body or {})
        problems = []
        if "name" in fields and not (isinstance(fields["name"], str) and _NAME.match(fields["name"])):
            problems.append("name must be lower-case letters, digits and hyphens, starting with a letter")
        if "role" in fields and fields["role"] not in _ROLES:
            problems.append("role must be prod or dev")
        if "mysqlPort" in fields and as_count(fields["mysqlPort"]) is None:
            problems.append("mysqlPort must be a number")
        if problems:
            return _refused("; ".join(problems))
        busy = self._idle(cluster)
        if busy:
            return _refused(busy)
        if "name" in fields:
            cluster.name = fields["name"]
        for key in _SHOWN:
            if key in fields:
                value = fields[key]
                cluster.settings[key] = as_count(value) if key == "mysqlPort" else value
        # A settings change is applied at once (no operation runs); the log records it as done.
        entry = {"id": len(cluster.actions) + 1, "action": "update", "success": True, "confirmed": True}
        cluster.actions.append(entry)
        cluster.ends.append(self.clock.now())
        return self._view(cluster)

    def _rescale(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        fields = self._fields(request)
        counts: dict[str, int] = {}
        problems = []
        for key in ("shards", "replicas", "size", "disks"):
            if fields.get(key) in (None, ""):
                continue
            number = as_count(fields[key])
            if number is None or number <= 0:
                problems.append(f"{key} must be a positive number")
            else:
                counts[key] = number
        node_type = fields.get("nodeType") or None
        if node_type is not None:
            codes = {t["code"] for t in node_types_for(cluster.environment) if t["scope"] == "clickhouse"}
            if node_type not in codes:
                problems.append(f"Unknown node type {node_type!r} for this environment")
        if "size" in counts and counts["size"] < cluster.size:
            problems.append(f"Storage cannot shrink (from {cluster.size} GB to {counts['size']} GB)")
        if problems:
            return _refused("; ".join(problems))
        stopped = "Cluster is stopped; resume it first" if cluster.stopped else None
        busy = self._idle(cluster) or stopped
        if busy:
            return _refused(busy)
        changes: dict[str, Any] = {
            "shards": counts.get("shards", cluster.shards),
            "replicas": counts.get("replicas", cluster.replicas),
            "size": counts.get("size", cluster.size),
            "disks": counts.get("disks", cluster.disks),
            "node_type": node_type or cluster.node_type,
        }
        before: dict[str, Any] = {
            "shards": cluster.shards,
            "replicas": cluster.replicas,
            "size": cluster.size,
            "disks": cluster.disks,
            "node_type": cluster.node_type,
        }
        if changes == before:
            return _refused("Nothing to rescale: the cluster already has this size")
        cluster.shards, cluster.replicas = changes["shards"], changes["replicas"]
        cluster.nodes = cluster.shards * cluster.replicas
        cluster.size, cluster.disks = int(changes["size"]), int(changes["disks"])
        cluster.node_type = str(changes["node_type"])
        self._start(cluster, "rescale")
        return True

    def _upgrade(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        fields = self._fields(request)
        version = fields.get("version") or fields.get("image") or fields.get("versionImage")
        if not isinstance(version, str) or not version:
            return _refused("version is required")
        if cluster.stopped:
            return _refused("Cluster is stopped; resume it first")
        if version == cluster.version:
            return _refused(f"Cluster already runs version {version}")
        busy = self._idle(cluster)
        if busy:
            return _refused(busy)
        cluster.version = version
        self._start(cluster, "upgrade")
        return True

    def _restart(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        if cluster.stopped:
            return _refused("Cluster is stopped; resume it instead")
        busy = self._idle(cluster)
        if busy:
            return _refused(busy)
        self._start(cluster, "restart")
        return True

    def _stop(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        if cluster.stopped:
            return _refused("Cluster is already stopped")
        busy = self._idle(cluster)
        if busy:
            return _refused(busy)
        self._start(cluster, "stop")
        return True

    def _resume(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        busy = self._idle(cluster)
        if busy:
            return _refused(busy)
        if not cluster.stopped:
            return _refused("Cluster is not stopped")
        fields = self._fields(request)
        for key in ("shards", "replicas"):
            if fields.get(key) not in (None, ""):
                number = as_count(fields[key])
                if number is None or number <= 0:
                    return _refused(f"{key} must be a positive number")
                setattr(cluster, key, number)
        cluster.nodes = cluster.shards * cluster.replicas
        if fields.get("nodeType"):
            cluster.node_type = str(fields["nodeType"])
        cluster.stopped = False
        self._start(cluster, "resume")
        return True
