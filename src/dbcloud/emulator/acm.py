"""Emulated Altinity.Cloud Manager: environments, clusters with a launch lifecycle, keys, sign-in.

Every other ACM operation is served with a synthesized `{data, error}` answer. The cluster status
answer has ACM's own shape (a `health` summary and `actionProgress`, counts as text); the other
untyped answers (action log, account keys, login) follow the facade's documented assumptions (see
dbcloud/altinity), so the two agree. Bodies come as ACM takes them: the launch as JSON (numbers as
JSON numbers or digit text), sign-in and the account's keys as form fields (or JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from ._api import ApiError, OpenAPIEmulator
from ._clock import EmulatedClock
from ._http import EmuRequest, EmuResponse, json_response
from ._ids import IdSource

__all__ = ["LAUNCH_SECONDS", "EmulatedACM"]

LAUNCH_SECONDS = 300.0  # emulated seconds from launch to a ready cluster
DELETE_SECONDS = 60.0
HEALTH_CHECKS = 7  # the health checks ACM runs on a cluster (7 in the captured answer)
LAUNCH_STEPS = 3  # the steps of a launch in `actionProgress`
DEMO_USER = ("demo@example.com", "demo-password")
_BOOL_TEXT = {"true": True, "false": False}
_DIGITS = re.compile(r"^\d+$")


@dataclass
class _Cluster:
    id: int
    environment: int
    name: str
    nodes: int
    shards: int
    replicas: int
    node_type: str
    secure: bool
    started: float
    fails: bool = False
    deleted_at: float | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)


class EmulatedACM(OpenAPIEmulator):
    package = "dbcloud_acm_client"
    name = "acm"
    base_path = "/api"  # ACM's server is https://acm.altinity.cloud/api/
    # Sign-in and the account form also take JSON (acmctl posts a form, the web app JSON).
    json_also = frozenset({"auth.post_login", "accounts.post_account"})
    loose_scalars = True  # ACM reads "3" and "true" in a JSON body as 3 and true

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        super().__init__(clock, credential, ids=ids)
        self.environments: dict[int, dict[str, Any]] = {}
        self.clusters: dict[int, _Cluster] = {}
        self.tokens: list[dict[str, str]] = [{"token": credential, "expiry": "2099-01-01 00:00:00"}]
        self._next_id = 1000
        self._epoch = time.time() - clock.now()  # the wall time at emulated second 0
        if seed_data:
            self.environments[176] = {
                "id": 176,
                "name": "emulated-gke",
                "type": "kubernetes",
                "domain": "emu.test",
            }
            self.environments[175] = {
                "id": 175,
                "name": "emulated-eks",
                "type": "kubernetes",
                "domain": "emu.test",
            }
        self.handlers.update(
            {
                "environments.get_environments": self._list_environments,
                "environments.get_environment": self._get_environment,
                "clusters.get_environment_clusters": self._list_clusters,
                "clusters.post_environment_clusters_launch": self._launch_body,
                "clusters.launch_cluster_json": self._launch_body,
                "clusters.get_cluster": self._get_cluster,
                "clusters.get_cluster_log": self._cluster_log,
                "clusters.get_cluster_status": self._cluster_status,
                "clusters.delete_cluster": self._delete_cluster,
                "auth.post_login": self._login,
                "accounts.get_account": self._account,
                "accounts.get_account_token": self._new_token,
                "accounts.post_account": self._save_account,
            }
        )

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(status, {"data": None, "error": message})

    def wrap(self, status: int, data: Any) -> EmuResponse:
        return json_response(status, {"data": data, "error": None})

    def untyped(self, route: Any) -> Any:
        return {}

    def authorized(self, request: EmuRequest) -> bool:
        token = request.headers.get("x-auth-token")
        return any(t["token"] == token for t in self.tokens)

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

    def _state(self, cluster: _Cluster) -> tuple[str, dict[str, Any] | None]:
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
        return "online", {"success": True, "confirmed": True}

    def _view(self, cluster: _Cluster) -> dict[str, Any]:
        status, _ = self._state(cluster)
        return {
            "id": cluster.id,
            "name": cluster.name,
            "status": status,
            "nodes": str(cluster.nodes),
            "shards": str(cluster.shards),
            "replicas": str(cluster.replicas),
            "secure": cluster.secure,
            "endpoint": f"{cluster.name}.emu.test",
        }

    def _cluster(self, value: str) -> _Cluster:
        cluster = self.clusters.get(int(value))
        if cluster is None or self._gone(cluster):
            raise ApiError(404, "Cluster not found")
        return cluster

    def _gone(self, cluster: _Cluster) -> bool:
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
        problems = _launch_problems(fields)
        if problems:
            # ACM answers a refused launch with HTTP 200 and an error in the envelope.
            return json_response(200, {"data": None, "error": "; ".join(problems)})
        self.creates += 1
        self._next_id += 1
        cluster = _Cluster(
            id=self._next_id,
            environment=env,
            name=str(fields["name"]),
            nodes=_as_count(fields["nodes"]) or 0,
            shards=_as_count(fields.get("shards", 1)) or 1,
            replicas=_as_count(fields["replicas"]) or 0,
            node_type=str(fields.get("nodeType") or fields.get("instanceType")),
            secure=_as_bool(fields.get("secure", True)) is not False,
            started=self.clock.now(),
            fails=self.fail_next_launch,
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
        return entries

    def _cluster_status(self, request: EmuRequest, body: Any) -> Any:
        # ACM's own shape (a live capture in gorgias-oss/terraform-provider-altinity's tests): a
        # summary of the health checks and the running action's steps, counts as text.
        cluster = self._cluster(request.params["cluster"])
        status, _ = self._state(cluster)
        elapsed = max(self.clock.now() - cluster.started, 0.0)
        share = min(elapsed / LAUNCH_SECONDS, 1.0)
        action, steps = "Launch cluster", LAUNCH_STEPS
        if status == "online":
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
            "uptime": str(int(elapsed - LAUNCH_SECONDS)) if status == "online" else "0",
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

    # --- sign-in and keys ----------------------------------------------------------------------

    def _login(self, request: EmuRequest, body: Any) -> Any:
        fields = body or {}
        if (fields.get("login"), fields.get("password")) != DEMO_USER:
            raise ApiError(401, "Wrong login or password")
        token = self.ids.token_hex(16)
        self.tokens.append({"token": token, "expiry": "2099-01-01 00:00:00"})
        return {"id": 1, "email": DEMO_USER[0], "token": token}

    def _account(self, request: EmuRequest, body: Any) -> Any:
        return {"id": 1, "email": DEMO_USER[0], "name": "Demo User", "tokens": [dict(t) for t in self.tokens]}

    def _new_token(self, request: EmuRequest, body: Any) -> Any:
        return self.ids.token_hex(20)

    def _save_account(self, request: EmuRequest, body: Any) -> Any:
        fields = body or {}
        if "tokens" in fields:
            tokens = fields["tokens"]  # JSON text in the form; a list or its text in a JSON body
            if isinstance(tokens, str):
                try:
                    tokens = json.loads(tokens)
                except ValueError:
                    raise ApiError(400, "tokens must be a JSON list") from None
            if not isinstance(tokens, list) or not all(
                isinstance(t, dict) and t.get("token") for t in tokens
            ):
                raise ApiError(400, "tokens must be a list of {token, expiry}")
            if len(tokens) > 5:
                return json_response(200, {"data": None, "error": "A user can have at most 5 API keys"})
            self.tokens = [{"token": str(t["token"]), "expiry": str(t.get("expiry", ""))} for t in tokens]
        return self._account(request, body)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return _BOOL_TEXT.get(value.strip().lower()) if isinstance(value, str) else None


def _as_count(value: Any) -> int | None:
    # ACM takes counts as JSON numbers or as digit text ("2"), never as 2.5 or true.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.match(value.strip()):
        return int(value)
    return None


def _launch_problems(fields: dict[str, Any]) -> list[str]:
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
        number = _as_count(value)
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
    if "secure" in fields and _as_bool(fields["secure"]) is None:
        problems.append("secure must be true or false")
    if fields.get("zookeeperOptions") is not None and not isinstance(fields["zookeeperOptions"], dict):
        problems.append("zookeeperOptions must be an object")
    return problems
