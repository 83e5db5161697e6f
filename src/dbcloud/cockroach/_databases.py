"""CockroachDB Cloud databases of a cluster: list, create, rename, delete.

The requests are those the vendor's Terraform provider sends (`cockroach_database`,
database_resource.go): `POST /api/v1/clusters/{cluster_id}/databases` with `{name}`, `PATCH
.../databases/{name}` with `{new_name}` for a rename, `DELETE .../databases/{name}`, and the
keyset-paged `GET .../databases`. The API names a database by its name.

Assumption, for the rename: the provider's Go body type also has a `name` field without
`omitempty`, so the provider sends `"name": ""` beside `new_name`; the gateway takes the name from
the path, and the spec's body for this path has `new_name` only, which is what is sent here. The
other rename route (`PATCH .../databases` with both names in the body) is the same operation and is
not used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from .._retry import once
from ._common import (
    VENDOR,
    checked_cluster_id,
    given,
    keyset_listing,
    path_name,
)
from ._models import Cluster, Database

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["Databases", "database_name"]

_OP = "databases.cockroach_cloud_"

# The provider's rule for database names (databaseNameRegex in database_resource.go): 1-63
# letters, digits, underscores, periods and dashes, not starting with a period or a dash.
_DATABASE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")
_DATABASE_RULE = "1-63 letters, digits, underscores, periods or dashes, not starting with a period or dash"


def database_name(value: Any, field: str = "name") -> str:
    """A database's name (or a `Database`'s), checked before it goes into a path or a body."""
    return path_name(value, field, pattern=_DATABASE_NAME, rule=_DATABASE_RULE)


class Databases(Resource[H]):
    """The databases of a cluster. Reached as `CockroachCloud().databases` (and
    `AsyncCockroachCloud().databases`, whose verbs are awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self, cluster_id: str | Cluster, *, page_size: int | None = None, sort_order: str | None = None
    ) -> Listing[Database]:
        """A cluster's databases, by name, fetched a page at a time as they are iterated.

        Args:
            cluster_id: the cluster (its id, or a `Cluster`).
            page_size: databases per request.
            sort_order: `ASC` (default) or `DESC`, by name.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            NotFoundError: no such cluster (raised while iterating).
        """
        arguments = given(cluster_id=checked_cluster_id(cluster_id))
        what = f"databases of cluster {arguments['cluster_id']}"
        return keyset_listing(
            self._client,
            _OP + "list_databases",
            "databases",
            Database.from_api,
            arguments,
            what=what,
            page_size=page_size,
            sort_order=sort_order,
        )

    @call
    def create(self, cluster_id: str | Cluster, name: str) -> Flow[Database]:
        """Create a database (`POST .../databases` with `{"name": ...}`).

        Repeated only after a 429 (nothing was created), never after a server error or a broken
        connection.

        Args:
            cluster_id: the cluster.
            name: the database's name (see the rule in `database_name`).

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            ConflictError: the cluster has a database of that name.
            NotFoundError: no such cluster.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_create_database_create_database_request import (
            CockroachCloudCreateDatabaseCreateDatabaseRequest as Request,
        )

        cid, wanted = checked_cluster_id(cluster_id), database_name(name)
        data = yield from self._client._call_flow(
            _OP + "create_database", Expect.OBJECT, cluster_id=cid, body=Request(name=wanted)
        )
        return read_one(Database.from_api, data, what="a new database", vendor=VENDOR, asked_id=wanted)

    @call
    def rename(self, cluster_id: str | Cluster, name: str, new_name: str) -> Flow[Database]:
        """Rename a database (`PATCH .../databases/{name}` with `{"new_name": ...}`).

        Not repeated after a server error or a broken connection: a rename that was done would
        answer the repeat with 404, the old name being gone.

        Returns:
            The database under its new name.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such cluster or database.
            ConflictError: the cluster has a database named `new_name`.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_edit_database_body import (
            CockroachCloudEditDatabaseBody as Request,
        )

        cid, old = checked_cluster_id(cluster_id), database_name(name)
        new = database_name(new_name, "new_name")
        data = yield from self._client._call_flow(
            _OP + "edit_database", Expect.OBJECT, cluster_id=cid, name=old, body=Request(new_name=new)
        )
        return read_one(Database.from_api, data, what="a renamed database", vendor=VENDOR, asked_id=new)

    @call
    def delete(self, cluster_id: str | Cluster, name: str) -> Flow[Database]:
        """Delete a database and every table in it (`DELETE .../databases/{name}`).

        Sent once: never repeated after a server error or a broken connection (only after a 429,
        when the server refused before acting), since it destroys data; a lost answer leaves it to
        you to look (`list`).

        Raises:
            ValidationError: the id or name is malformed; nothing was sent.
            NotFoundError: no such cluster or database.
        """
        cid, wanted = checked_cluster_id(cluster_id), database_name(name)
        data = yield from once(
            self._client._call_flow(_OP + "delete_database", Expect.OBJECT, cluster_id=cid, name=wanted)
        )
        return read_one(Database.from_api, data, what="a deleted database", vendor=VENDOR, asked_id=wanted)
