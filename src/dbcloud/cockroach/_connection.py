"""CockroachDB Cloud connection strings: `GET /api/v1/clusters/{cluster_id}/connection-string`.

Sent as the vendor's Terraform provider sends it (`cockroach_connection_string`,
connection_string_data_source.go): `database` always (the provider's default, `defaultdb`, is the
API's too), `sql_user` when one is given, and `os` always, the machine's own when none is given
(the provider's switch on its runtime: Windows, macOS, anything else as Linux), since the API
formats the path of the CA certificate for that system. The API never puts a password in the
string; the provider adds one itself when asked, which dbcloud does not do.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .._flow import Flow
from .._response import Expect
from .._results import read_one
from ._common import VENDOR, checked_cluster_id, choice, path_name
from ._databases import database_name
from ._models import Cluster, ConnectionString
from ._sql_users import _USER_NAME, _USER_RULE

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["connection_string_flow", "local_os"]

DEFAULT_DATABASE = "defaultdb"


def local_os(platform: str | None = None) -> str:
    """The `os` the provider would send from this machine: `WINDOWS`, `MAC` or `LINUX`."""
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "cygwin", "msys")):
        return "WINDOWS"
    return "MAC" if platform == "darwin" else "LINUX"


def connection_string_flow(
    client: _Cockroach,
    cluster_id: str | Cluster,
    *,
    database: str | None,
    sql_user: str | None,
    os: str | None,
) -> Flow[ConnectionString]:
    """The request and its reading, for `Clusters.connection_string`."""
    from dbcloud_cockroach_client.models.cockroach_cloud_get_connection_string_os import (
        CockroachCloudGetConnectionStringOs as Os,
    )

    cid = checked_cluster_id(cluster_id)
    arguments = {
        "database": database_name(DEFAULT_DATABASE if database is None else database, "database"),
        "os": choice(Os, local_os() if os is None else os, "os", "MAC, LINUX, WINDOWS"),
    }
    if sql_user is not None:
        arguments["sql_user"] = path_name(sql_user, "sql_user", pattern=_USER_NAME, rule=_USER_RULE)
    data = yield from client._call_flow(
        "clusters.cockroach_cloud_get_connection_string", Expect.OBJECT, cluster_id=cid, **arguments
    )
    return read_one(ConnectionString.from_api, data, what="a connection string", vendor=VENDOR)
