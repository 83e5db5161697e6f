"""ACM cluster settings: config.d files and server settings, staged, then pushed to the nodes."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from .._errors import APIResponseError, NotFoundError, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from .._retry import once
from ._clusters import _cluster_id, _text
from ._records import ClusterSetting

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["ClusterSettings", "looks_like_file"]

_FILE_SUFFIXES = (".xml", ".sql", ".json", ".yaml", ".yml")


def looks_like_file(name: str) -> bool:
    """Whether a new setting named `name` is a config.d file, by acmctl's own rule: a path, or a
    name ending in .xml, .sql, .json, .yaml or .yml."""
    return "/" in name or name.endswith(_FILE_SUFFIXES)


def _name(value: Any) -> str:
    name = _text(value, "name")
    if name != name.strip() or any(ord(c) < 32 for c in name):
        raise ValidationError(
            f"name must not have edge spaces or control characters, got {name!r}", field="name"
        )
    return name


class ClusterSettings(Resource[H]):
    """The settings of ACM clusters. Reached as `Altinity().settings` (and
    `AsyncAltinity().settings`, whose verbs are awaited).

    A change is staged: `push(cluster_id)` applies the staged changes to the nodes (which may
    restart ClickHouse), as acmctl's `cluster settings set` and `cluster push` do.
    """

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    def _all(self, cid: int) -> Flow[builtins.list[ClusterSetting]]:
        data = yield from self._client._call_flow(
            "cluster_settings.get_cluster_settings", Expect.LIST, cluster=cid
        )
        return read_list(ClusterSetting.from_api, data, what=f"settings of cluster {cid}", vendor="ACM")

    @listing
    def list(self, cluster_id: int | str) -> Listing[ClusterSetting]:
        """The cluster's settings (`GET /cluster/{id}/settings`; ACM answers them all at once).
        Values may hold credentials: they are at `.value`, never in a repr."""
        cid = _cluster_id(cluster_id)
        return Listing.of_one(lambda: self._all(cid), what=f"settings of cluster {cid}", vendor="ACM")

    def _find(self, cid: int, key: str) -> Flow[ClusterSetting | None]:
        # There is no read by id: acmctl lists and picks by exact name or id, as this does.
        settings = yield from self._all(cid)
        return next((s for s in settings if key in (s.name, s.id)), None)

    @call
    def set(
        self, cluster_id: int | str, name: str, value: str, *, is_file: bool | None = None
    ) -> Flow[ClusterSetting]:
        """Create the setting `name`, or change its value when the cluster has it (by name).

        As acmctl's `cluster settings set`: the settings are listed, then an existing one is
        changed with `POST /cluster-setting/{id}` and JSON `{"name", "value"}`, a new one created
        with `POST /cluster/{id}/settings` and JSON `{"name", "value", "id_cluster", "isFile"}`.
        A POST: never repeated after a 5xx or a broken connection. Run `push` to apply it.

        Args:
            name: e.g. "config.d/http_handlers.xml", or a server setting's name.
            value: its value (a file's whole text).
            is_file: for a new setting, a config.d file or not (default: acmctl's guess from the
                name, see `looks_like_file`); an existing setting keeps its kind.
        """
        cid, key = _cluster_id(cluster_id), _name(name)
        if not isinstance(value, str):
            raise ValidationError(f"value must be text, got {type(value).__name__}", field="value")
        if is_file is not None and not isinstance(is_file, bool):
            raise ValidationError(f"is_file must be True or False, got {is_file!r}", field="is_file")
        existing = yield from self._find(cid, key)
        if existing is not None:
            data = yield from self._client._call_flow(
                "cluster_settings.post_cluster_setting",
                Expect.ANY,
                {"name": existing.name, "value": value},
                id=int(existing.id) if existing.id.isdigit() else existing.id,
            )
            asked = existing.id
        else:
            kind = looks_like_file(key) if is_file is None else is_file
            body = {"name": key, "value": value, "id_cluster": cid, "isFile": kind}
            from dbcloud_acm_client.models.cluster_setting_create import ClusterSettingCreate

            model = ClusterSettingCreate(name=key, value=value, id_cluster=cid, is_file=kind)
            data = yield from self._client._call_flow(
                "cluster_settings.post_cluster_settings", Expect.ANY, body, cluster=cid, body=model
            )
            asked = None
        if isinstance(data, dict) and data:
            return read_one(
                ClusterSetting.from_api, data, what="a cluster setting", vendor="ACM", asked_id=asked
            )
        found = yield from self._find(cid, key)
        if found is None:
            raise APIResponseError(f"ACM saved setting {key!r} of cluster {cid} but does not list it")
        return found

    @call
    def delete(self, cluster_id: int | str, name_or_id: str | int) -> Flow[None]:
        """Delete a setting, by its name or id (`DELETE /cluster-setting/{id}`, as acmctl's
        `cluster settings rm`). Sent once (repeated only after a 429).

        Removed from the cluster's desired state at once; as acmctl warns, ACM re-renders the
        config only when a push holds an addition or a change, so a config.d file lingers on the
        nodes until the next such push (or a restart).

        Raises:
            NotFoundError: the cluster has no setting of that name.
        """
        cid = _cluster_id(cluster_id)
        key = (
            str(name_or_id)
            if isinstance(name_or_id, int) and not isinstance(name_or_id, bool)
            else name_or_id
        )
        key = _name(key)
        if not key.isdigit():
            found = yield from self._find(cid, key)
            if found is None:
                raise NotFoundError(f"cluster {cid} has no setting named {key!r}", status_code=404)
            key = found.id
        if not key.isdigit():
            raise ValidationError(f"setting id must be a number, got {key!r}", field="name_or_id")
        yield from once(self._client._call_flow("cluster_settings.delete_cluster_setting", id=int(key)))

    @call
    def push(self, cluster_id: int | str, *, update_hosts: bool | None = None) -> Flow[Any]:
        """Apply the staged settings to the cluster's nodes (`POST /cluster/{id}/push`, no body,
        as acmctl's `cluster push`); this may restart ClickHouse. Sent once.

        Args:
            update_hosts: ACM's `update-hosts` flag (also refresh the nodes' host entries).

        Returns:
            ACM's answer, as it comes (its `data`).
        """
        cid = _cluster_id(cluster_id)
        arguments: dict[str, str] = {}
        if update_hosts is not None:
            if not isinstance(update_hosts, bool):
                raise ValidationError("update_hosts must be True or False", field="update_hosts")
            arguments["update_hosts"] = "1" if update_hosts else "0"
        return (yield from once(self._client._call_flow("clusters.post_cluster_push", id=cid, **arguments)))
