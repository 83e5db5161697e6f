"""ClickHouse Cloud organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._response import Expect
from . import _cloud
from ._body import require_some
from ._client import uuid_text

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.organization import Organization

    from ._client import ClickHouseCloud

__all__ = ["Organizations"]


def _parse(data: Any) -> Organization:
    from dbcloud_clickhouse_client.models.organization import Organization

    return _cloud.parse(Organization, data)


class Organizations:
    """The organizations the API key belongs to. Reached as `ClickHouseCloud().organizations`."""

    def __init__(self, client: ClickHouseCloud) -> None:
        self._client = client

    def list(self) -> list[Organization]:
        """Every organization the key can see (the API lists the key's own organization)."""
        data = self._client._call("organization.organization_get_list", Expect.LIST)
        return [_parse(item) for item in data]

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
        **fields: Any,
    ) -> Organization:
        """Change an organization (default: the client's organization).

        Args:
            name: the new name.
            enable_core_dumps: whether services may collect crash reports.
            **fields: any other field of the spec's `OrganizationPatchRequest`, in snake_case
                (e.g. `private_endpoints={"add": [...], "remove": [...]}`).

        Raises:
            ValidationError: an unknown field or an invalid value; nothing was sent.
        """
        from dbcloud_clickhouse_client.models.organization_patch_request import OrganizationPatchRequest

        changes = {"name": name, "enable_core_dumps": enable_core_dumps, **fields}
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
