"""ClickHouse Cloud organizations."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from ._body import require_some
from ._client import uuid_text
from ._records import Organization

if TYPE_CHECKING:
    from ._client import _ClickHouse
    from ._endpoints import RegionPrivateEndpointConfig

_VENDOR = "ClickHouse Cloud"

__all__ = ["Organizations"]


def _parse(data: Any, asked_id: str | None = None) -> Organization:
    return read_one(Organization.from_api, data, what="Organization", vendor=_VENDOR, asked_id=asked_id)


class Organizations(Resource[H]):
    """The organizations the API key belongs to. Reached as `ClickHouseCloud().organizations` (and
    `AsyncClickHouseCloud().organizations`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Organization]:
        """Every organization the key can see (the API lists the key's own organization)."""

        def everything() -> Flow[builtins.list[Organization]]:
            data = yield from self._client._call_flow("organization.organization_get_list", Expect.LIST)
            return read_list(Organization.from_api, data, what="organizations", vendor=_VENDOR)

        return Listing.of_one(everything, what="organizations", vendor=_VENDOR)

    @call
    def get_by_name(self, name: str) -> Flow[Organization]:
        """The organization called `name` (the organizations the key may see are read), so that a script
        adopts an organization that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no organization has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Organizations.list.build(self).named(name))

    @call
    def get(self, org_id: str | None = None) -> Flow[Organization]:
        """One organization's details (default: the client's organization).

        Raises:
            ValidationError: the id is not a UUID.
        """
        ids = {} if org_id is None else {"organization_id": uuid_text(org_id, "org_id")}
        data = yield from self._client._call_flow("organization.organization_get", Expect.OBJECT, **ids)
        return _parse(data)

    @call
    def update(
        self,
        org_id: str | None = None,
        *,
        name: str | None = None,
        enable_core_dumps: bool | None = None,
        private_endpoints: Mapping[str, Any] | None = None,
    ) -> Flow[Organization]:
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
        data = yield from self._client._call_with_body_flow(
            "organization.organization_update",
            OrganizationPatchRequest,
            changes,
            Expect.OBJECT,
            what="organization update",
            **ids,
        )
        return _parse(data)

    # --- day-2 operations (their flows live in _endpoints) -----------------------------------------

    @call
    def private_endpoint_config(self, cloud_provider: str, region: str) -> Flow[RegionPrivateEndpointConfig]:
        """The organization's private endpoint service in a cloud region
        (`GET .../privateEndpointConfig?cloud_provider=..&region_id=..`).

        The vendor marks this call deprecated (a service's own `services.private_endpoint_config`
        replaces it) but still serves it; its Terraform provider's `clickhouse_private_endpoint_config`
        reads it.

        Args:
            cloud_provider: "aws", "gcp" or "azure".
            region: a region of that provider, e.g. "us-east-1".

        Raises:
            ValidationError: an unknown provider or a malformed region; nothing was sent.
        """
        from ._endpoints import region_private_endpoint_config

        return (yield from region_private_endpoint_config(self._client, cloud_provider, region))
