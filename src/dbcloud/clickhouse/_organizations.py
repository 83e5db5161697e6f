"""ClickHouse Cloud organizations."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._pager import Pager
from .._response import Expect
from .._results import read_list, read_one
from ._body import require_some
from ._client import uuid_text
from ._records import Organization

if TYPE_CHECKING:
    from ._client import ClickHouseCloud

_VENDOR = "ClickHouse Cloud"

__all__ = ["Organizations"]


def _parse(data: Any, asked_id: str | None = None) -> Organization:
    return read_one(Organization.from_api, data, what="Organization", vendor=_VENDOR, asked_id=asked_id)


class Organizations:
    """The organizations the API key belongs to. Reached as `ClickHouseCloud().organizations`."""

    def __init__(self, client: ClickHouseCloud) -> None:
        self._client = client

    def list(self) -> Pager[Organization]:
        """Every organization the key can see (the API lists the key's own organization)."""

        def everything() -> builtins.list[Organization]:
            data = self._client._call("organization.organization_get_list", Expect.LIST)
            return read_list(Organization.from_api, data, what="organizations", vendor=_VENDOR)

        return Pager.of_one(everything, what="organizations", vendor=_VENDOR)

    def get(self, org_id: str | None = None) -> Organization:
        """One organization's details (default: the client's organization).

        Raises:
            ValidationError: the id is not a UUID.
        """
        ids = {} if org_id is None else {"organization_id": uuid_text(org_id, "org_id")}
        return _parse(self._client._call("organization.organization_get", Expect.OBJECT, **ids))

    def update(
        self,
        org_id: str | None = None,
        *,
        name: str | None = None,
        enable_core_dumps: bool | None = None,
        private_endpoints: Mapping[str, Any] | None = None,
    ) -> Organization:
        """Change an organization (default: the client's organization).

        Args:
            name: the new name.
            enable_core_dumps: whether services may collect crash reports.
            private_endpoints: the private endpoints to add and remove, in the API's names
                (`{"add": [...], "remove": [...]}`).

        Raises:
            ValidationError: an unknown field or an invalid value; nothing was sent.
        """
        from dbcloud_clickhouse_client.models.organization_patch_request import OrganizationPatchRequest

        changes = {
            "name": name,
            "enable_core_dumps": enable_core_dumps,
            "private_endpoints": private_endpoints,
        }
        require_some(changes, what="organization update")
        ids = {} if org_id is None else {"organization_id": uuid_text(org_id, "org_id")}
        data = self._client._call_with_body(
            "organization.organization_update",
            OrganizationPatchRequest,
            changes,
            Expect.OBJECT,
            what="organization update",
            **ids,
        )
        return _parse(data)
