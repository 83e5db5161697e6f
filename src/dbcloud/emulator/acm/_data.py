"""The emulated ACM cluster settings, backups, database users and ZooKeepers.

Rules where ACM documents none (assumptions, each applied once below):
- settings: names are unique in a cluster (a second one of the same name is refused); a new or
  changed setting is staged until `POST /cluster/{id}/push`, which then runs a "push" operation
  (ClickHouse restarts); a push with nothing staged changes nothing (acmctl: a delete-only push is
  a no-op on the running cluster);
- backups: a backup now runs beside the serving cluster and is listed at once, named by its UTC
  time (`YYYY-MM-DDTHH-MM-SS`, its tag too); a restore names a backup of the cluster by its tag
  (or external storage by provider and bucket) and runs a "restore" operation;
- database users: logins are ClickHouse names, unique in a cluster, `admin` (the cluster's own)
  is reserved; passwords are kept and never answered; `databases` and `networks` are JSON lists,
  and text there is refused with ClickHouse's syntax error (the community Terraform provider saw
  ACM build broken SQL from text, internal/acm/users_test.go);
- a write missing what it needs (a setting's name, a user's login or password, a restore's tag)
  is refused with HTTP 400, as a body that fails the spec's model is; one that does not fit the
  state (a duplicate, an unknown backup, a cluster launching, stopped or busy) is refused as the
  cluster operations are: HTTP 200 with the reason; reads work in any state.

ZooKeepers: each seeded environment has one shared ensemble; a cluster launched with
`zookeeper: "launch"` gets a dedicated one, listed only with `showDedicated`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest, EmuResponse, json_response
from ._state import Cluster

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["USER_WRITES", "DataHandlers", "user_body"]

USER_WRITES = frozenset({"database_users.post_cluster_users", "database_users.post_cluster_user"})

_LOGIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_USER_FIELDS = ("databases", "networks", "id_profile", "id_quota", "accessManagement")


def _refused(message: str) -> EmuResponse:
    return json_response(200, {"data": None, "error": message})


class DataHandlers(_Base):
    """Settings, backups, database users and ZooKeepers of `EmulatedACM`."""

    clusters: dict[int, Cluster]
    _epoch: float

    if TYPE_CHECKING:

        def _cluster(self, value: str) -> Cluster: ...
        def _environment(self, value: str) -> dict[str, Any]: ...
        def _gone(self, cluster: Cluster) -> bool: ...
        def _idle(self, cluster: Cluster) -> str | None: ...
        def _start(self, cluster: Cluster, kind: str) -> None: ...

    def data_handlers(self) -> dict[str, Handler]:
        self._serial = 7000  # settings and users share one id sequence
        return {
            "cluster_settings.get_cluster_settings": self._list_settings,
            "cluster_settings.post_cluster_settings": self._add_setting,
            "cluster_settings.post_cluster_setting": self._edit_setting,
            "cluster_settings.delete_cluster_setting": self._delete_setting,
            "clusters.post_cluster_push": self._push,
            "clusters.get_cluster_backups": self._list_backups,
            "clusters.post_cluster_backup": self._backup,
            "clusters.post_cluster_restore": self._restore,
            "database_users.get_cluster_users": self._list_users,
            "database_users.post_cluster_users": self._add_user,
            "database_users.post_cluster_user": self._edit_user,
            "database_users.delete_cluster_user": self._delete_user,
            "zookeepers.get_environment_zookeepers": self._zookeepers,
        }

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    def _writable(self, cluster: Cluster) -> str | None:
        if cluster.stopped:
            return "Cluster is stopped; resume it first"
        return self._idle(cluster)

    def _live(self) -> list[Cluster]:
        return [c for c in list(self.clusters.values()) if not self._gone(c)]

    # --- settings --------------------------------------------------------------------------------

    def _setting_view(self, cluster: Cluster, setting_id: int) -> dict[str, Any]:
        setting = cluster.config[setting_id]
        # Numbers, as the spec types them (acmctl notes that ACM answers both ids as text; the
        # facade reads either, and the corpus holds the text form).
        return {
            "id": setting_id,
            "name": setting["name"],
            "value": setting["value"],
            "isFile": setting["isFile"],
            "id_cluster": cluster.id,
            "system": False,
        }

    def _list_settings(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["cluster"])
        return [self._setting_view(cluster, sid) for sid in sorted(cluster.config)]

    def _add_setting(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["cluster"])
        fields = dict(body or {})
        name = fields.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, "name is required")
        if fields.get("id_cluster") not in (None, cluster.id, str(cluster.id)):
            raise ApiError(400, "id_cluster does not match the cluster of the path")
        if any(s["name"] == name for s in cluster.config.values()):
            return _refused(f"Setting {name} already exists")
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        sid = self._next()
        value = fields.get("value")
        cluster.config[sid] = {
            "name": name,
            "value": "" if value is None else str(value),
            "isFile": bool(fields.get("isFile", False)),
        }
        cluster.staged = True
        return self._setting_view(cluster, sid)

    def _owner_of_setting(self, value: str) -> tuple[Cluster, int]:
        sid = int(value)
        owner = next((c for c in self._live() if sid in c.config), None)
        if owner is None:
            raise ApiError(404, "Setting not found")
        return owner, sid

    def _edit_setting(self, request: EmuRequest, body: Any) -> Any:
        cluster, sid = self._owner_of_setting(request.params["id"])
        fields = dict(body or {})
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        setting = cluster.config[sid]
        if isinstance(fields.get("name"), str) and fields["name"]:
            setting["name"] = fields["name"]
        if "value" in fields:
            setting["value"] = "" if fields["value"] is None else str(fields["value"])
        cluster.staged = True
        return self._setting_view(cluster, sid)

    def _delete_setting(self, request: EmuRequest, body: Any) -> Any:
        cluster, sid = self._owner_of_setting(request.params["id"])
        del cluster.config[sid]  # gone from the desired state; the nodes keep it until a real push
        return True

    def _push(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        if cluster.staged:
            cluster.staged = False
            self._start(cluster, "push")
        return True

    # --- backups ---------------------------------------------------------------------------------

    def _list_backups(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        return [dict(b) for b in cluster.backups]

    def _backup(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        moment = dt.datetime.fromtimestamp(self._epoch + self.clock.now(), dt.UTC)
        tag = moment.strftime("%Y-%m-%dT%H-%M-%S")
        if any(b["tag"] == tag for b in cluster.backups):
            tag += f"-{len(cluster.backups)}"
        cluster.backups.append(
            {
                "name": tag,
                "tag": tag,
                "created": moment.strftime("%Y-%m-%d %H:%M:%S"),
                "size": str(cluster.size * 1024 * 1024),  # assumption: bytes, as text
                "status": "completed",
            }
        )
        self._start(cluster, "backup")
        return True

    def _restore(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["id"])
        fields = dict(body or {})
        tag = fields.get("tag")
        if not tag:
            raise ApiError(400, "tag is required")
        external = bool(fields.get("bucket") or fields.get("provider"))
        if external and not (fields.get("accessKey") and fields.get("secretKey")):
            # Never echo a credential back: the message names the fields only.
            return _refused("accessKey and secretKey are required for an external backup storage")
        if not external and not any(b["tag"] == tag for b in cluster.backups):
            return _refused(f"Backup {tag} not found")
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        self._start(cluster, "restore")
        return True

    # --- database users --------------------------------------------------------------------------

    def _user_view(self, cluster: Cluster, uid: int, *, listed: bool = False) -> dict[str, Any]:
        # As the community Terraform provider's tests show ACM answering (users_test.go): a list
        # gives `networks` and `databases` as comma text (the spec's type), a create or change
        # echoes them as the JSON lists sent. Ids are numbers, as the spec types them.
        user = cluster.users[uid]
        view: dict[str, Any] = {"id": uid, "login": user["login"], "id_cluster": cluster.id}
        for key in _USER_FIELDS:
            if key in user:
                value = user[key]
                view[key] = ",".join(value) if listed and isinstance(value, list) else value
        return view

    def _list_users(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["cluster"])
        return [self._user_view(cluster, uid, listed=True) for uid in sorted(cluster.users)]

    def _add_user(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request.params["cluster"])
        fields = dict(body or {})
        login, password = fields.get("login"), fields.get("password")
        if not isinstance(login, str) or not _LOGIN.match(login):
            raise ApiError(400, "login must be a ClickHouse user name")
        if login == cluster.admin_user:
            return _refused(f"User {login} is reserved")
        if not password:
            raise ApiError(400, "password is required")
        if any(u["login"] == login for u in cluster.users.values()):
            return _refused(f"User {login} already exists")
        malformed = _text_lists(fields)
        if malformed:
            return _refused(malformed)
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        uid = self._next()
        cluster.users[uid] = {"login": login, "password": password, **_user_fields(fields)}
        return self._user_view(cluster, uid)

    def _user(self, request: EmuRequest) -> tuple[Cluster, int]:
        cluster = self._cluster(request.params["cluster"])
        uid = int(request.params["id"])
        if uid not in cluster.users:
            raise ApiError(404, "User not found")
        return cluster, uid

    def _edit_user(self, request: EmuRequest, body: Any) -> Any:
        cluster, uid = self._user(request)
        fields = dict(body or {})
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        user = cluster.users[uid]
        if fields.get("login") not in (None, user["login"]):
            return _refused("login cannot be changed")
        malformed = _text_lists(fields)
        if malformed:
            return _refused(malformed)
        if "password" in fields:
            if not fields["password"]:
                raise ApiError(400, "password must not be empty")
            user["password"] = fields["password"]
        user.update(_user_fields(fields))
        return self._user_view(cluster, uid)

    def _delete_user(self, request: EmuRequest, body: Any) -> Any:
        cluster, uid = self._user(request)
        busy = self._writable(cluster)
        if busy:
            return _refused(busy)
        del cluster.users[uid]
        return True

    # --- zookeepers ------------------------------------------------------------------------------

    def _zookeepers(self, request: EmuRequest, body: Any) -> Any:
        # The spec's `ZookeeperCluster` shape: id, tag, launched, dedicated, state, size, suffix.
        env = self._environment(request.params["environment"])["id"]
        shown: list[dict[str, Any]] = [
            {"id": env * 10, "tag": f"zk-{env}", "launched": True, "dedicated": False, "state": "online",
             "size": "multi", "suffix": ""},
        ]  # fmt: skip
        if request.query.get("showDedicated") not in (None, "", "0", "false"):
            for cluster in self._live():
                if cluster.environment == env and cluster.zookeeper == "launch":
                    shown.append(
                        {
                            "id": cluster.id * 10,
                            "tag": f"{cluster.name}-zk",
                            "launched": True,
                            "dedicated": True,
                            "state": "online",
                            "size": "single",
                            "suffix": cluster.name,
                        }
                    )
        return shown


def _text_lists(fields: dict[str, Any]) -> str | None:
    # Lists sent as text: ACM builds broken SQL from them (the Terraform provider saw "Code: 62"),
    # answered as an error inside HTTP 200.
    for key in ("databases", "networks"):
        if isinstance(fields.get(key), str) and fields[key]:
            return (
                f"Code: 62. DB::Exception: Syntax error: failed at position 1 ({key} as text). (SYNTAX_ERROR)"
            )
    return None


def user_body(request: EmuRequest) -> dict[str, Any]:
    """A database user's JSON body, checked as ACM reads it: text login and password, `databases`
    and `networks` as lists of text (or text, see `_add_user`), ids as numbers or digit text,
    `accessManagement` 0/1 or a boolean."""
    if not request.body:
        return {}
    if "json" not in request.headers.get("content-type", "application/json"):
        raise ApiError(400, "a database user's body is JSON")
    try:
        data = request.json()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    problems = [
        f"{k} must be text" for k in ("login", "password") if k in data and not isinstance(data[k], str)
    ]
    for key in ("databases", "networks"):
        value = data.get(key)
        if value is not None and not isinstance(value, str | list):
            problems.append(f"{key} must be a list")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            problems.append(f"{key} must be a list of text")
    for key in ("id_profile", "id_quota"):
        value = data.get(key)
        if value is not None and not (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and value.isdigit())
        ):
            problems.append(f"{key} must be a number")
    if data.get("accessManagement") not in (None, 0, 1, True, False, "0", "1"):
        problems.append("accessManagement must be 0 or 1")
    if problems:
        raise ApiError(400, "invalid body: " + "; ".join(problems))
    return data


def _user_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields[k] for k in _USER_FIELDS if fields.get(k) is not None}
