"""The emulated connection string of a CockroachDB Cloud cluster.

Rules (the spec's where it has them; assumptions where it is silent, applied in one place below):
- the spec: `database` defaults to `defaultdb`; `os` is needed only for an Advanced cluster, whose
  URL names the CA certificate's path on that system (a Basic or Standard cluster's certificate is
  signed by a public authority, so its URL names none);
- assumption: the paths are those of the vendor's connection dialog (`$HOME/Library/CockroachCloud/
  certs/<cluster>-ca.crt` on macOS, `$HOME/.postgresql/root.crt` on Linux, `%APPDATA%\\postgresql\\
  root.crt` on Windows);
- the URL never holds a password; without `sql_user` it names no user, and `params` has no
  `Username`; the parameters are capitalised on the wire (`Host`, `Port`, `Database`), as in the spec;
- assumption: the database and user need not exist (the API only formats), but their names must
  follow the rules of databases and SQL users; a cluster that failed or was deleted answers 400.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from ._state import Cluster, state_of
from ._wire import enum_param

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["ConnectionHandlers"]

PORT = "26257"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")
_CA_PATHS = {
    "MAC": "$HOME/Library/CockroachCloud/certs/{name}-ca.crt",
    "LINUX": "$HOME/.postgresql/root.crt",
    "WINDOWS": "%APPDATA%\\postgresql\\root.crt",
}


class ConnectionHandlers(_Base):
    """The connection-string operation of `EmulatedCockroach`."""

    if TYPE_CHECKING:

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'
        def _region_views(self, cluster: Cluster) -> list[dict[str, Any]]: ...  # ClusterHandlers'

    def connection_handlers(self) -> dict[str, Handler]:
        return {"clusters.cockroach_cloud_get_connection_string": self._connection_string}

    def _connection_string(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        state = state_of(cluster, self.clock.now())
        if state in ("CREATION_FAILED", "DELETED"):
            raise ApiError(400, f"the cluster has no connection string while it is {state}")
        query = request.query
        database = _named(query.get("database") or "defaultdb", "database")
        user = query.get("sql_user")
        if user is not None:
            user = _named(user, "sql_user")
        os = enum_param(query, "os", tuple(_CA_PATHS), None)
        views = self._region_views(cluster)
        primary = next((v for v in views if v.get("primary")), views[0] if views else {})
        host = str(primary.get("sql_dns") or "")
        options = {"sslmode": "verify-full"}
        if not cluster.serverless:
            if os is None:
                raise ApiError(400, "os is required for the connection string of an ADVANCED cluster")
            options["sslrootcert"] = _CA_PATHS[os].format(name=cluster.name)
        who = f"{urllib.parse.quote(user)}@" if user else ""
        query_text = urllib.parse.urlencode(options, safe="$/%\\")
        params = {"Database": database, "Host": host, "Port": PORT}
        if user:
            params["Username"] = user
        url = f"postgresql://{who}{host}:{PORT}/{database}?{query_text}"
        return {"connection_string": url, "params": params}


def _named(value: str, field: str) -> str:
    if not _NAME.fullmatch(value):
        raise ApiError(
            400,
            f"{field} must be 1-63 letters, digits, underscores, periods or dashes, "
            "not starting with a period or dash",
        )
    return value
