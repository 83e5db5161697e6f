"""CockroachDB Cloud folders: a tree of folders holding clusters, for access control and order.

The requests are those of the vendor's Terraform provider (`cockroach_folder`, folder_resource.go,
and the `cockroach_folder` data source): `POST /api/v1/folders` with `{name, parent_id}` (the
provider always sends `parent_id`, "root" for the top level), `PATCH /api/v1/folders/{folder_id}`,
`GET` and `DELETE` of one folder, `GET /api/v1/folders?path=/a/b` to find a folder by its path, and
`GET /api/v1/folders/{folder_id}/contents` ("root" for the top level) for the folders and clusters
in one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from .._retry import once
from . import _bodies
from ._common import VENDOR, given, keyset_listing, text_field
from ._models import Folder

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["Folders", "checked_folder_id"]

_OP = "folders.cockroach_cloud_"
ROOT = "root"
# The provider's own check of a parent (validators/folder_parent_id.go): "root" or a UUID.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def checked_folder_id(value: Any, field: str = "folder_id", *, root: bool = False) -> str:
    """A folder's id (or a `Folder`'s), a UUID as the provider checks it; "root" where `root`."""
    found = getattr(value, "id", value)
    if root and found in (ROOT, "", None):
        return ROOT
    if not isinstance(found, str) or not _UUID.fullmatch(found):
        allowed = 'a folder id (a UUID) or "root"' if root else "a folder id (a UUID)"
        raise ValidationError(f"{field} must be {allowed}, got {found!r}", field=field)
    return found


def folder_name(value: Any) -> str:
    """A folder's name: text without a slash (paths such as `/prod/team1` are made of names)."""
    name = text_field(value, "name")
    if "/" in name:
        raise ValidationError(f"name must not contain a slash, got {name!r}", field="name")
    return name


def _labels(value: Mapping[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("labels must be a mapping of strings to strings", field="labels")
    return dict(value)


class Folders(Resource[H]):
    """The organization's folders. Reached as `CockroachCloud().folders` (and
    `AsyncCockroachCloud().folders`, whose verbs are awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self, path: str | None = None, *, page_size: int | None = None, sort_order: str | None = None
    ) -> Listing[Folder]:
        """The organization's folders by name, fetched a page at a time as they are iterated.

        Args:
            path: only the folder at this absolute path (`/prod/team1`; the slashes at either
                end are optional), as the provider's `cockroach_folder` data source looks one up.
            page_size: folders per request.
            sort_order: `ASC` (default) or `DESC`.

        Raises:
            ValidationError: an argument is invalid (raised at once).
        """
        if path is not None:
            path = text_field(path, "path")
        arguments = given(path=path)
        return keyset_listing(
            self._client,
            _OP + "list_folders",
            "folders",
            Folder.from_api,
            arguments,
            what="folders",
            page_size=page_size,
            sort_order=sort_order,
        )

    @listing
    def contents(
        self, folder_id: str | Folder = ROOT, *, page_size: int | None = None, sort_order: str | None = None
    ) -> Listing[Folder]:
        """What a folder holds ("root": the top level): its folders by name, then its clusters by
        name, each as a `Folder` record whose `resource_type` is `FOLDER` or `CLUSTER`.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            NotFoundError: no such folder (raised while iterating).
        """
        fid = checked_folder_id(folder_id, root=True)
        arguments = given(folder_id=fid)
        return keyset_listing(
            self._client, _OP + "list_folder_contents", "resources", Folder.from_api, arguments,
            what=f"contents of folder {fid}", page_size=page_size, sort_order=sort_order,
        )  # fmt: skip

    @call
    def get(self, folder_id: str | Folder) -> Flow[Folder]:
        """One folder (`GET /api/v1/folders/{folder_id}`).

        Raises:
            ValidationError: the id is not a UUID; nothing was sent.
            NotFoundError: no such folder.
        """
        fid = checked_folder_id(folder_id)
        data = yield from self._client._call_flow(_OP + "get_folder", Expect.OBJECT, folder_id=fid)
        return read_one(Folder.from_api, data, what="a folder", vendor=VENDOR, asked_id=fid)

    @call
    def create(
        self, name: str, parent_id: str | Folder | None = None, *, labels: Mapping[str, str] | None = None
    ) -> Flow[Folder]:
        """Create a folder (`POST /api/v1/folders` with `{name, parent_id}`), at the top level
        unless `parent_id` names a folder. Repeated only after a 429 (nothing was created).

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            ConflictError: the parent holds a folder of that name.
            NotFoundError: no such parent folder.
        """
        from dbcloud_cockroach_client.models.create_folder_request import CreateFolderRequest

        body = given(
            name=folder_name(name),
            parent_id=checked_folder_id(parent_id, "parent_id", root=True),
            labels=_labels(labels),
        )
        request = _bodies.to_model(CreateFolderRequest, body, "the folder")
        data = yield from self._client._call_flow(_OP + "create_folder", Expect.OBJECT, body=request)
        return read_one(Folder.from_api, data, what="a new folder", vendor=VENDOR)

    @call
    def update(
        self,
        folder_id: str | Folder,
        *,
        name: str | None = None,
        parent_id: str | Folder | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Flow[Folder]:
        """Rename a folder, move it (`parent_id`, "root" for the top level) or replace its labels
        (`PATCH /api/v1/folders/{folder_id}` with the fields given). Repeated only after a 429.

        Raises:
            ValidationError: nothing to change, or an argument is invalid; nothing was sent.
            ConflictError: the destination holds a folder of that name.
            NotFoundError: no such folder or parent.
        """
        from dbcloud_cockroach_client.models.update_folder_specification import UpdateFolderSpecification

        fid = checked_folder_id(folder_id)
        body = given(
            name=None if name is None else folder_name(name),
            parent_id=None if parent_id is None else checked_folder_id(parent_id, "parent_id", root=True),
            labels=_labels(labels),
        )
        if not body:
            raise ValidationError("give name, parent_id or labels to change", field="name")
        request = _bodies.to_model(UpdateFolderSpecification, body, "the folder update")
        data = yield from self._client._call_flow(
            _OP + "update_folder", Expect.OBJECT, folder_id=fid, body=request
        )
        return read_one(Folder.from_api, data, what="an updated folder", vendor=VENDOR, asked_id=fid)

    @call
    def delete(self, folder_id: str | Folder) -> Flow[None]:
        """Delete an empty folder (`DELETE /api/v1/folders/{folder_id}`).

        Sent once: never repeated after a server error or a broken connection (only after a 429);
        a lost answer leaves it to you to look (`get`).

        Raises:
            ValidationError: the id is not a UUID; nothing was sent.
            NotFoundError: no such folder.
            BadRequestError: the folder still holds folders or clusters.
        """
        fid = checked_folder_id(folder_id)
        yield from once(
            self._client._call_flow(_OP + "delete_folder", Expect.OBJECT_OR_NOTHING, folder_id=fid)
        )
        return None
