"""The emulated SQL users of a CockroachDB Cloud cluster: list, create, change password, delete.

Rules where the spec is silent (assumptions, each applied in one place below):
- a cluster takes SQL user changes once it is CREATED (or LOCKED by a resize); while it is
  CREATING, failed or deleted they are refused with 400 (FAILED_PRECONDITION);
- names follow CockroachDB's CREATE USER rule and are folded to lower case; `root`, `admin`,
  `public` and `none` are reserved;
- a new cluster has no SQL users (the vendor's console adds one; the API does not).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from ._state import Cluster, SqlUser, state_of
from ._wire import TEXT, check_fields, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["SqlUserHandlers"]

_NAME = re.compile(r"[a-z0-9_][a-z0-9_.-]{0,62}")
_RESERVED = frozenset({"root", "admin", "public", "none"})
_CREATE = {"name!": "str", "password!": "str"}
_PASSWORD = {"password!": "str"}


class SqlUserHandlers(_Base):
    """The SQL user operations of `EmulatedCockroach` (users live on their `Cluster`)."""

    if TYPE_CHECKING:

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'

    def sql_user_handlers(self) -> dict[str, Handler]:
        prefix = "sql_users.cockroach_cloud_"
        return {
            prefix + "list_sql_users": self._list_sql_users,
            prefix + "create_sql_user": self._create_sql_user,
            prefix + "update_sql_user_password": self._set_sql_user_password,
            prefix + "delete_sql_user": self._delete_sql_user,
        }

    def _ready(self, request: EmuRequest) -> Cluster:
        cluster = self._cluster(request)
        state = state_of(cluster, self.clock.now())
        if state not in ("CREATED", "LOCKED"):
            raise ApiError(400, f"SQL users cannot be changed while the cluster is {state}")
        return cluster

    def _list_sql_users(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        rows = [([user.name], {"name": user.name}) for user in cluster.sql_users.values()]
        page, pagination = keyset_page(rows, request.query, f"sql-users:{cluster.id}", (TEXT,))
        return {"users": page, "pagination": pagination}

    def _create_sql_user(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._ready(request)
        body = without_nulls(body)
        check_fields(body, _CREATE, "")
        name = _user_name(body["name"])
        _password(body["password"])
        if name in cluster.sql_users:
            raise ApiError(409, f"a SQL user named {name!r} already exists")
        cluster.sql_users[name] = SqlUser(name=name, created=self.clock.now())
        self.creates += 1
        return {"name": name}

    def _set_sql_user_password(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._ready(request)
        user = _existing(cluster, request.params["name"])
        body = without_nulls(body)
        check_fields(body, _PASSWORD, "")
        _password(body["password"])
        user.passwords_set += 1
        return {"name": user.name}

    def _delete_sql_user(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._ready(request)
        user = _existing(cluster, request.params["name"])
        del cluster.sql_users[user.name]
        return {"name": user.name}


def _user_name(value: str) -> str:
    name = value.lower()
    if not _NAME.fullmatch(name):
        raise ApiError(
            400,
            "name must be 1-63 letters, digits, underscores, periods or dashes, "
            "not starting with a period or dash",
        )
    if name in _RESERVED:
        raise ApiError(400, f"{name!r} is a reserved user name")
    return name


def _password(value: str) -> None:
    if not value:
        raise ApiError(400, "password must not be empty")


def _existing(cluster: Cluster, name: str) -> SqlUser:
    user = cluster.sql_users.get(name.lower())
    if user is None:
        raise ApiError(404, f"SQL user {name!r} not found")
    return user
