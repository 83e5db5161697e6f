"""The emulated folders of a CockroachDB Cloud organization: list (by path), get, create, update,
delete, and the contents of a folder (its folders, then its clusters).

Rules where the spec is silent (assumptions, each applied in one place below):
- a folder name is 1-64 characters without a slash (paths such as `/prod/team1` are made of names);
- two folders of one parent may not share a name (409, compared case-insensitively);
- a parent that does not exist is 404; moving a folder into itself or below itself is 400;
- a folder that still holds folders or clusters (not deleted ones) cannot be deleted (400,
  FAILED_PRECONDITION);
- a cluster's `parent_id` may name a folder; the folder's contents list it.
The spec's: `parent_id` "" or "root" is the top level; contents are "Folders sorted by name,
followed by Clusters sorted by name"; `folders` are listed by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from .._ids import IdSource
from ._state import ORGANIZATION_ID, Cluster, Folder
from ._wire import NUMBER, TEXT, check_fields, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["FolderHandlers"]

ROOT = "root"
_CREATE = {"name!": "str", "parent_id": "str", "labels": "labels"}
_UPDATE = {"name": "str", "parent_id": "str", "labels": "labels"}


class FolderHandlers(_Base):
    """The folder operations of `EmulatedCockroach` (`folders: dict[str, Folder]` by id)."""

    folders: dict[str, Folder]
    clusters: dict[str, Cluster]
    folder_ids: IdSource  # their own stream: making a folder does not shift other ids

    if TYPE_CHECKING:

        def _gone(self, cluster: Cluster) -> bool: ...  # ClusterHandlers'

    def folder_handlers(self) -> dict[str, Handler]:
        prefix = "folders.cockroach_cloud_"
        return {
            prefix + "list_folders": self._list_folders,
            prefix + "get_folder": self._get_folder,
            prefix + "create_folder": self._create_folder,
            prefix + "update_folder": self._update_folder,
            prefix + "delete_folder": self._delete_folder,
            prefix + "list_folder_contents": self._folder_contents,
        }

    # --- views ---------------------------------------------------------------------------------

    def _ancestors(self, parent_id: str) -> list[dict[str, str]]:
        path: list[dict[str, str]] = []
        while parent_id != ROOT and parent_id in self.folders:
            folder = self.folders[parent_id]
            path.insert(0, {"id": folder.id, "name": folder.name})
            parent_id = folder.parent_id
        return path

    def _resource(
        self, kind: str, rid: str, name: str, parent: str, labels: dict[str, str]
    ) -> dict[str, Any]:
        return {
            "resource_id": rid,
            "name": name,
            "resource_type": kind,
            "parent_id": parent,
            "path": self._ancestors(parent),
            "labels": dict(labels),
            "organization_id": ORGANIZATION_ID,
        }

    def _folder_view(self, folder: Folder) -> dict[str, Any]:
        return self._resource("FOLDER", folder.id, folder.name, folder.parent_id, folder.labels)

    def _full_path(self, folder: Folder) -> str:
        return "/".join([*(step["name"] for step in self._ancestors(folder.parent_id)), folder.name])

    # --- rules ---------------------------------------------------------------------------------

    def _folder(self, folder_id: str) -> Folder:
        folder = self.folders.get(folder_id)
        if folder is None:
            raise ApiError(404, "folder not found")
        return folder

    def _parent(self, value: str) -> str:
        if value in ("", ROOT):
            return ROOT
        if value not in self.folders:
            raise ApiError(404, f"parent folder {value!r} not found")
        return value

    def _children(self, parent_id: str) -> tuple[list[Folder], list[Cluster]]:
        folders = [f for f in self.folders.values() if f.parent_id == parent_id]
        clusters = [c for c in self.clusters.values() if c.parent_id == parent_id and c.deleted_at is None]
        return folders, clusters

    def _unique(self, name: str, parent_id: str, folder_id: str | None = None) -> None:
        siblings, _ = self._children(parent_id)
        if any(f.name.lower() == name.lower() and f.id != folder_id for f in siblings):
            raise ApiError(409, f"a folder named {name!r} already exists in this folder")

    # --- handlers ------------------------------------------------------------------------------

    def _list_folders(self, request: EmuRequest, body: Any) -> Any:
        folders = list(self.folders.values())
        path = request.query.get("path")
        if path is not None:
            wanted = path.strip("/")
            folders = [f for f in folders if self._full_path(f) == wanted]
        rows = [([f.name, f.id], self._folder_view(f)) for f in folders]
        page, pagination = keyset_page(rows, request.query, f"folders:{path or ''}", (TEXT, TEXT))
        return {"folders": page, "pagination": pagination}

    def _get_folder(self, request: EmuRequest, body: Any) -> Any:
        return self._folder_view(self._folder(request.params["folder_id"]))

    def _create_folder(self, request: EmuRequest, body: Any) -> Any:
        body = without_nulls(body)
        check_fields(body, _CREATE, "")
        name = _name(body["name"])
        parent = self._parent(body.get("parent_id", ROOT))
        self._unique(name, parent)
        folder = Folder(self.folder_ids.uuid4(), name, parent, dict(body.get("labels") or {}))
        self.folders[folder.id] = folder
        self.creates += 1
        return self._folder_view(folder)

    def _update_folder(self, request: EmuRequest, body: Any) -> Any:
        folder = self._folder(request.params["folder_id"])
        body = without_nulls(body)
        check_fields(body, _UPDATE, "")
        name = _name(body["name"]) if "name" in body else folder.name
        parent = self._parent(body["parent_id"]) if "parent_id" in body else folder.parent_id
        if folder.id == parent or folder.id in (step["id"] for step in self._ancestors(parent)):
            raise ApiError(400, "a folder cannot be moved into itself or one of its folders")
        self._unique(name, parent, folder.id)
        folder.name, folder.parent_id = name, parent
        if "labels" in body:  # the spec: labels given replace all; labels left out stay
            folder.labels = dict(body["labels"])
        return self._folder_view(folder)

    def _delete_folder(self, request: EmuRequest, body: Any) -> Any:
        folder = self._folder(request.params["folder_id"])
        folders, clusters = self._children(folder.id)
        if folders or clusters:
            raise ApiError(400, f"folder {folder.name!r} is not empty: move or delete what it holds first")
        del self.folders[folder.id]
        return {}

    def _folder_contents(self, request: EmuRequest, body: Any) -> Any:
        folder_id = request.params["folder_id"]
        if folder_id not in ("", ROOT):
            self._folder(folder_id)
        parent = folder_id or ROOT
        folders, clusters = self._children(parent)
        rows: list[tuple[list[Any], Any]] = [([0, f.name, f.id], self._folder_view(f)) for f in folders]
        rows += [
            ([1, c.name, c.id], self._resource("CLUSTER", c.id, c.name, parent, c.labels))
            for c in clusters
            if not self._gone(c)
        ]
        page, pagination = keyset_page(rows, request.query, f"contents:{parent}", (NUMBER, TEXT, TEXT))
        return {"resources": page, "pagination": pagination}


def _name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 64 or "/" in name:
        raise ApiError(400, "name must be 1-64 characters without a slash")
    return name
