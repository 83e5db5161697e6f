"""CockroachDB Cloud SQL users of a cluster: list, get, create, change password, delete.

The requests are those the vendor's Terraform provider sends (`cockroach_sql_user`): `POST
/api/v1/clusters/{cluster_id}/sql-users` with `{name, password}`, `PUT .../sql-users/{name}/password`
with `{password}`, `DELETE .../sql-users/{name}`, and the keyset-paged `GET .../sql-users`. The API
names a user by its name; there is no get of one user, so `get` walks the list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._errors import NotFoundError, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from .._retry import once
from .._secret import Secret
from ._common import (
    VENDOR,
    checked_cluster_id,
    given,
    keyset_listing,
    path_name,
)
from ._models import Cluster, SqlUser

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["SqlUsers"]

_OP = "sql_users.cockroach_cloud_"

# CockroachDB's rule for user names (CREATE USER): 1-63 characters, letters, digits, underscores,
# periods and dashes, not starting with a period or a dash. Names are case-insensitive (CockroachDB
# folds them to lower case), so upper case is let through for the server to fold.
_USER_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")
_USER_RULE = "1-63 letters, digits, underscores, periods or dashes, not starting with a period or dash"


def user_name(value: Any) -> str:
    """A SQL user's name (or a `SqlUser`'s), checked before it goes into a path."""
    return path_name(value, "name", pattern=_USER_NAME, rule=_USER_RULE)


def password_text(value: Any) -> str:
    """A password given as text or as a `Secret`, checked; its value is never part of a message."""
    text = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(text, str):
        raise ValidationError(
            f"password must be a string or a dbcloud.Secret, got {type(value).__name__}", field="password"
        )
    if not text:
        raise ValidationError("password must not be empty", field="password")
    if "\x00" in text:
        raise ValidationError("password must not contain NUL characters", field="password")
    return text


class SqlUsers(Resource[H]):
    """The SQL users of a cluster. Reached as `CockroachCloud().sql_users` (and
    `AsyncCockroachCloud().sql_users`, whose verbs are awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self, cluster_id: str | Cluster, *, page_size: int | None = None, sort_order: str | None = None
    ) -> Listing[SqlUser]:
        """A cluster's SQL users, fetched a page at a time as they are iterated.

        Args:
            cluster_id: the cluster (its id, or a `Cluster`).
            page_size: users per request.
            sort_order: `ASC` (default) or `DESC`, by name.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            NotFoundError: no such cluster (raised while iterating).
        """
        arguments = given(cluster_id=checked_cluster_id(cluster_id))
        what = f"SQL users of cluster {arguments['cluster_id']}"
        return keyset_listing(
            self._client,
            _OP + "list_sql_users",
            "users",
            SqlUser.from_api,
            arguments,
            what=what,
            page_size=page_size,
            sort_order=sort_order,
        )

    @call
    def get(self, cluster_id: str | Cluster, name: str) -> Flow[SqlUser]:
        """The SQL user of that name (the API has no get of one user: the list is walked).

        Raises:
            ValidationError: the id or name is malformed; nothing was sent.
            NotFoundError: the cluster has no SQL user of that name (or there is no such cluster).
        """
        cid, wanted = checked_cluster_id(cluster_id), user_name(name)
        users = SqlUsers.list.build(self, cid)
        # CockroachDB folds user names to lower case, so "Alice" is the user "alice".
        found = yield from users.find(lambda user: user.name.lower() == wanted.lower())
        if found is None:
            raise NotFoundError(
                f"cluster {cid} has no SQL user {wanted!r}",
                status_code=404,
                method="GET",
                url=f"/api/v1/clusters/{cid}/sql-users",
            )
        return found

    @call
    def create(self, cluster_id: str | Cluster, name: str, password: str | Secret) -> Flow[SqlUser]:
        """Create a SQL user with a password (`POST .../sql-users`).

        The password is sent in the body only, and masked in logs, errors and cassettes. The
        request is repeated only after a 429 (nothing was created), never after a server error or
        a broken connection.

        Args:
            cluster_id: the cluster.
            name: the user's name (see the vendor's rule in `user_name`).
            password: the user's password, as text or a `dbcloud.Secret`.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            ConflictError: the cluster has a user of that name.
            NotFoundError: no such cluster.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_create_sql_user_create_sql_user_request import (
            CockroachCloudCreateSqlUserCreateSQLUserRequest as Request,
        )

        cid, login = checked_cluster_id(cluster_id), user_name(name)
        body = Request(name=login, password=password_text(password))
        data = yield from self._client._call_flow(
            _OP + "create_sql_user", Expect.OBJECT, cluster_id=cid, body=body
        )
        return read_one(SqlUser.from_api, data, what="a new SQL user", vendor=VENDOR, asked_id=login)

    @call
    def change_password(self, cluster_id: str | Cluster, name: str, password: str | Secret) -> Flow[SqlUser]:
        """Set a SQL user's password (`PUT .../sql-users/{name}/password`); the old one stops working.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such cluster or user.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_update_sql_user_password_update_sql_user_password_request import (  # noqa: E501
            CockroachCloudUpdateSqlUserPasswordUpdateSQLUserPasswordRequest as Request,
        )

        cid, login = checked_cluster_id(cluster_id), user_name(name)
        body = Request(password=password_text(password))
        data = yield from self._client._call_flow(
            _OP + "update_sql_user_password", Expect.OBJECT, cluster_id=cid, name=login, body=body
        )
        return read_one(SqlUser.from_api, data, what="a SQL user", vendor=VENDOR, asked_id=login)

    @call
    def delete(self, cluster_id: str | Cluster, name: str) -> Flow[SqlUser]:
        """Delete a SQL user (`DELETE .../sql-users/{name}`).

        Sent once: never repeated after a server error or a broken connection (only after a 429),
        since it removes the user's access; a lost answer leaves it to you to look (`get`).

        Raises:
            ValidationError: the id or name is malformed; nothing was sent.
            NotFoundError: no such cluster or user.
        """
        cid, login = checked_cluster_id(cluster_id), user_name(name)
        data = yield from once(
            self._client._call_flow(_OP + "delete_sql_user", Expect.OBJECT, cluster_id=cid, name=login)
        )
        return read_one(SqlUser.from_api, data, what="a deleted SQL user", vendor=VENDOR, asked_id=login)
