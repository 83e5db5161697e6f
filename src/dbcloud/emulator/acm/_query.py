"""The emulated ACM query runner and the environments' node types.

`POST /cluster/{id}/query` runs on a cluster that is online or busy with an operation (not launching,
stopping or stopped). Assumptions (ACM documents neither the answer nor ClickHouse's part in it):
- the answer's `data` is ClickHouse's output as text (TabSeparated rows, a line each);
- the emulator has no ClickHouse: it answers `SELECT <number>`, `SELECT version()`, `SELECT now()`
  and `SHOW DATABASES`; a statement that returns nothing (CREATE, INSERT, ALTER, DROP, ...) answers
  "" as ClickHouse does; any other SELECT is refused with a ClickHouse-style error naming what the
  emulator answers;
- a `user` that is neither the cluster's admin user nor one of its database users, or one given
  with another password, is refused as ClickHouse refuses it (code 516), inside ACM's HTTP 200
  error envelope.

`GET /environment/{id}/nodetypes` answers the environment's catalogue (see `node_types_for`),
filtered by `scope`, with `used` added when asked `withUsed`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .._api import Handler, OpenAPIEmulator
from .._http import EmuRequest, EmuResponse, json_response
from ._state import Cluster, node_types_for

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["QueryHandlers"]

_NUMBER = re.compile(r"^select\s+(-?\d+)$")
_NO_OUTPUT = ("create", "insert", "alter", "drop", "truncate", "rename", "grant", "revoke", "optimize", "set")
_DEFAULT_VERSION = "24.3.12.76.altinitystable"


def _clickhouse_error(message: str) -> EmuResponse:
    return json_response(200, {"data": None, "error": message})


class QueryHandlers(_Base):
    """Queries and node types of `EmulatedACM`."""

    environments: dict[int, dict[str, Any]]
    clusters: dict[int, Cluster]
    _epoch: float

    if TYPE_CHECKING:

        def _cluster(self, value: str) -> Cluster: ...
        def _environment(self, value: str) -> dict[str, Any]: ...
        def _state(self, cluster: Cluster) -> tuple[str, dict[str, Any] | None]: ...
        def _gone(self, cluster: Cluster) -> bool: ...

    def query_handlers(self) -> dict[str, Handler]:
        return {
            "clusters.post_cluster_query": self._query,
            "node_types.get_environment_nodetypes": self._node_types,
        }

    def _query(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        fields = dict(body or {})
        sql = fields.get("query")
        if not isinstance(sql, str) or not sql.strip():
            return _clickhouse_error("query is required")
        status, _ = self._state(cluster)
        if status not in ("online", "pending"):
            return _clickhouse_error(f"Cluster is not running (status {status})")
        user = fields.get("user") or cluster.admin_user
        password = fields.get("password")
        known = {u["login"]: u["password"] for u in cluster.users.values()}
        known[cluster.admin_user] = cluster.admin_pass
        if user not in known or (password is not None and password != known[user]):
            return _clickhouse_error(
                f"Code: 516. DB::Exception: {user}: Authentication failed: password is incorrect, "
                "or there is no user with such name. (AUTHENTICATION_FAILED)"
            )
        return self._run(cluster, sql)

    def _run(self, cluster: Cluster, sql: str) -> Any:
        statement = " ".join(sql.strip().rstrip(";").split()).lower()
        number = _NUMBER.match(statement)
        if number:
            return number.group(1) + "\n"
        if statement == "select version()":
            return (cluster.version or _DEFAULT_VERSION) + "\n"
        if statement == "select now()":
            moment = dt.datetime.fromtimestamp(self._epoch + self.clock.now(), dt.UTC)
            return moment.strftime("%Y-%m-%d %H:%M:%S") + "\n"
        if statement == "show databases":
            return "INFORMATION_SCHEMA\ndefault\ninformation_schema\nsystem\n"
        if statement.split(" ", 1)[0] in _NO_OUTPUT:
            return ""
        return _clickhouse_error(
            "Code: 62. DB::Exception: the emulated cluster answers only SELECT <number>, "
            "SELECT version(), SELECT now(), SHOW DATABASES and statements without output. (SYNTAX_ERROR)"
        )

    def _node_types(self, request: EmuRequest, body: Any) -> Any:
        env = self._environment(request.params["environment"])["id"]
        query = request.query
        scope = query.get("scope") or None
        rows = [t for t in node_types_for(env) if scope is None or t["scope"] == scope]
        if query.get("withUsed") not in (None, "", "0", "false"):
            live = [c for c in list(self.clusters.values()) if c.environment == env and not self._gone(c)]
            used = {c.node_type for c in live}
            rows = [{**t, "used": t["scope"] == "clickhouse" and t["code"] in used} for t in rows]
        return rows
