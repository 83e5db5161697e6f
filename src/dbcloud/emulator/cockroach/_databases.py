"""The emulated databases of a CockroachDB Cloud cluster: list, create, rename, delete.

Rules where the spec is silent (assumptions, each applied in one place below):
- every cluster starts with the databases CockroachDB creates, `defaultdb` and `postgres`; the
  `system` database exists too but is not listed, and cannot be created, renamed or dropped (400);
- names follow the vendor's Terraform provider's rule (1-63 letters, digits, `_`, `.`, `-`, not
  starting with `.` or `-`) and keep their case: the provider finds a database again by comparing
  names exactly, which a server that folded them would defeat;
- like SQL users, databases change only once the cluster is CREATED (or LOCKED by a resize):
  while it is created, failed or deleted a change is refused with 400; a list is always answered;
- a second database of a name, or a rename onto one, is a 409; an unknown name a 404;
- the API cannot create tables, so every table count is "0" (an int64, sent as text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from ._state import Cluster, state_of
from ._wire import TEXT, check_fields, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["DEFAULT_DATABASES", "DatabaseHandlers", "StoredDatabase"]

DEFAULT_DATABASES = ("defaultdb", "postgres")
_HIDDEN = "system"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")
_CREATE = {"name!": "str"}
_RENAME = {"new_name!": "str"}
# The other rename route's body: both names (the spec's UpdateDatabaseRequest).
_RENAME_BY_BODY = {"name!": "str", "new_name!": "str"}


@dataclass(slots=True)
class StoredDatabase:
    name: str
    tables: int = 0


class DatabaseHandlers(_Base):
    """The database operations of `EmulatedCockroach` (`self.databases`: by cluster id, then name)."""

    if TYPE_CHECKING:
        databases: dict[str, dict[str, StoredDatabase]]

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'

    def database_handlers(self) -> dict[str, Handler]:
        prefix = "databases.cockroach_cloud_"
        return {
            prefix + "list_databases": self._list_databases,
            prefix + "create_database": self._create_database,
            prefix + "edit_database": self._rename_database,
            prefix + "edit_database_2": self._rename_database_by_body,
            prefix + "delete_database": self._delete_database,
        }

    def _databases_of(self, cluster: Cluster) -> dict[str, StoredDatabase]:
        return self.databases.setdefault(
            cluster.id, {name: StoredDatabase(name) for name in DEFAULT_DATABASES}
        )

    def _databases_to_change(self, request: EmuRequest) -> dict[str, StoredDatabase]:
        cluster = self._cluster(request)
        state = state_of(cluster, self.clock.now())
        if state not in ("CREATED", "LOCKED"):
            raise ApiError(400, f"databases cannot be changed while the cluster is {state}")
        return self._databases_of(cluster)

    def _list_databases(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        rows = [([db.name], _view(db)) for db in self._databases_of(cluster).values()]
        page, pagination = keyset_page(rows, request.query, f"databases:{cluster.id}", (TEXT,))
        return {"databases": page, "pagination": pagination}

    def _create_database(self, request: EmuRequest, body: Any) -> Any:
        databases = self._databases_to_change(request)
        body = without_nulls(body)
        check_fields(body, _CREATE, "")
        name = _new_name(body["name"], "name")
        if name in databases:
            raise ApiError(409, f"database {name!r} already exists")
        databases[name] = StoredDatabase(name)
        self.creates += 1
        return _view(databases[name])

    def _rename_database(self, request: EmuRequest, body: Any) -> Any:
        databases = self._databases_to_change(request)
        body = without_nulls(body)
        check_fields(body, _RENAME, "")
        return _rename(databases, request.params["name"], body["new_name"])

    def _rename_database_by_body(self, request: EmuRequest, body: Any) -> Any:
        databases = self._databases_to_change(request)
        body = without_nulls(body)
        check_fields(body, _RENAME_BY_BODY, "")
        return _rename(databases, body["name"], body["new_name"])

    def _delete_database(self, request: EmuRequest, body: Any) -> Any:
        databases = self._databases_to_change(request)
        database = _existing(databases, request.params["name"])
        del databases[database.name]
        return _view(database)


def _new_name(value: str, field: str) -> str:
    if not _NAME.fullmatch(value):
        raise ApiError(
            400,
            f"{field} must be 1-63 letters, digits, underscores, periods or dashes, "
            "not starting with a period or dash",
        )
    if value == _HIDDEN:
        raise ApiError(400, f"{value!r} is a system database")
    return value


def _existing(databases: dict[str, StoredDatabase], name: str) -> StoredDatabase:
    if name == _HIDDEN:
        raise ApiError(400, f"{name!r} is a system database")
    database = databases.get(name)
    if database is None:
        raise ApiError(404, f"database {name!r} not found")
    return database


def _rename(databases: dict[str, StoredDatabase], name: str, new_name: str) -> Any:
    database = _existing(databases, name)
    new = _new_name(new_name, "new_name")
    if new in databases:
        raise ApiError(409, f"database {new!r} already exists")
    del databases[database.name]
    database.name = new
    databases[new] = database
    return _view(database)


def _view(database: StoredDatabase) -> dict[str, str]:
    return {"name": database.name, "table_count": str(database.tables)}
