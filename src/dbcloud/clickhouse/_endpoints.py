"""A service's query API endpoint, and the private endpoint settings of services and regions.

Requests as the vendor's Terraform provider sends them (internal/api/query_endpoints.go,
internal/api/private_endpoints.go):

- `POST .../serviceQueryEndpoint` always carries all three fields, `{"roles", "openApiKeys",
  "allowedOrigins"}`, with `[]` and `""` for what is not given (ClickHouse/clickhousectl builds the
  same body): the POST replaces the endpoint's whole configuration, so a field left out would not
  mean "unchanged".
- `GET .../serviceQueryEndpoint` answers 404 while a service has no endpoint; the provider reads that
  as "none", and so does `get` (which cannot tell it from a service that does not exist either).
- `GET /organizations/{id}/privateEndpointConfig?cloud_provider=..&region_id=..` (deprecated by the
  vendor, still served and still used by the provider's `clickhouse_private_endpoint_config`).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._errors import NotFoundError, ValidationError
from .._flow import Flow
from .._resource import H, Resource, call
from .._response import Expect
from .._results import generated_model, mapping, read_one, text, texts
from .._retry import once
from ._client import uuid_text

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.organization_cloud_region_private_endpoint_config import (
        OrganizationCloudRegionPrivateEndpointConfig as OrganizationCloudRegionPrivateEndpointConfigModel,
    )
    from dbcloud_clickhouse_client.models.private_endpoint_config import (
        PrivateEndpointConfig as PrivateEndpointConfigModel,
    )
    from dbcloud_clickhouse_client.models.service_query_api_endpoint import (
        ServiceQueryAPIEndpoint as ServiceQueryAPIEndpointModel,
    )

    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"
_MODELS = "dbcloud_clickhouse_client.models"

__all__ = [
    "CLOUD_PROVIDERS",
    "QUERY_ENDPOINT_ROLES",
    "PrivateEndpointConfig",
    "QueryEndpoint",
    "QueryEndpoints",
    "RegionPrivateEndpointConfig",
]

# The spec's `InstanceServiceQueryApiEndpointsPostRequest.roles` items.
QUERY_ENDPOINT_ROLES = ("sql_console_read_only", "sql_console_admin")
# The provider's `cloud_provider` validator (and the spec's parameter description).
CLOUD_PROVIDERS = ("aws", "gcp", "azure")


@dataclass(frozen=True, slots=True)
class QueryEndpoint:
    """A service's query API endpoint: who may run queries over HTTP.

    Attributes:
        id: the endpoint's own id ("" when the answer leaves it out).
        service_id: the service it belongs to (the one the call named).
        roles: the SQL console roles its queries run with (`sql_console_read_only`, `sql_console_admin`).
        open_api_keys: the ids of the API keys allowed to call it.
        allowed_origins: the CORS origins, a comma-separated list of domains ("" for none).
        raw: the JSON object as received.
    """

    id: str
    service_id: str
    roles: tuple[str, ...] = ()
    open_api_keys: tuple[str, ...] = ()
    allowed_origins: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], service_id: str = "") -> QueryEndpoint:
        origins = data.get("allowedOrigins")
        return cls(
            id=text(data.get("id")) or "",
            service_id=service_id,
            roles=texts(data.get("roles")),
            open_api_keys=texts(data.get("openApiKeys")),
            allowed_origins=origins if isinstance(origins, str) else None,
            raw=data,
        )

    model: ClassVar[generated_model[ServiceQueryAPIEndpointModel]] = generated_model(
        "dbcloud_clickhouse_client.models.service_query_api_endpoint:ServiceQueryAPIEndpoint"
    )


@dataclass(frozen=True, slots=True)
class PrivateEndpointConfig:
    """What a cloud account needs to reach a service privately (AWS PrivateLink, GCP Private Service
    Connect, Azure Private Link).

    Attributes:
        id: the service it describes (the one the call named).
        endpoint_service_id: the service name / target service / private link service to connect to.
        private_dns_hostname: the private DNS name the service answers on.
        raw: the JSON object as received.
    """

    id: str
    endpoint_service_id: str | None = None
    private_dns_hostname: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], service_id: str = "") -> PrivateEndpointConfig:
        return cls(
            id=service_id,
            endpoint_service_id=text(data.get("endpointServiceId")),
            private_dns_hostname=text(data.get("privateDnsHostname")),
            raw=data,
        )

    model: ClassVar[generated_model[PrivateEndpointConfigModel]] = generated_model(
        "dbcloud_clickhouse_client.models.private_endpoint_config:PrivateEndpointConfig"
    )


@dataclass(frozen=True, slots=True)
class RegionPrivateEndpointConfig:
    """The organization's private endpoint service in one cloud region (deprecated by the vendor).

    Attributes:
        id: `<cloud_provider>/<region>`, the region it describes.
        cloud_provider, region: as asked.
        endpoint_service_id: the endpoint service to connect to there.
        raw: the JSON object as received.
    """

    id: str
    cloud_provider: str
    region: str
    endpoint_service_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(
        cls, data: Mapping[str, Any], cloud_provider: str = "", region: str = ""
    ) -> RegionPrivateEndpointConfig:
        return cls(
            id=f"{cloud_provider}/{region}",
            cloud_provider=cloud_provider,
            region=region,
            endpoint_service_id=text(data.get("endpointServiceId")),
            raw=data,
        )

    model: ClassVar[generated_model[OrganizationCloudRegionPrivateEndpointConfigModel]] = generated_model(
        "dbcloud_clickhouse_client.models.organization_cloud_region_private_endpoint_config:OrganizationCloudRegionPrivateEndpointConfig"
    )


def _roles(roles: Any) -> builtins.list[str]:
    if isinstance(roles, str) or not isinstance(roles, Sequence) or not roles:
        raise ValidationError(
            f"roles must be a non-empty list of {', '.join(QUERY_ENDPOINT_ROLES)}, got {roles!r}",
            field="roles",
        )
    for role in roles:
        if role not in QUERY_ENDPOINT_ROLES:
            raise ValidationError(
                f"roles: {role!r} is not one of {', '.join(QUERY_ENDPOINT_ROLES)}", field="roles"
            )
    return builtins.list(dict.fromkeys(roles))


def _key_ids(keys: Any) -> builtins.list[str]:
    if isinstance(keys, str) or not isinstance(keys, Sequence):
        raise ValidationError(
            f"open_api_keys must be a list of API key ids, got {keys!r}", field="open_api_keys"
        )
    return [uuid_text(key, "open_api_keys") for key in keys]


def _origins(origins: Any) -> str:
    if origins is None:
        return ""
    if isinstance(origins, str):
        return origins
    if isinstance(origins, Sequence):
        if not all(isinstance(o, str) and o and "," not in o for o in origins):
            raise ValidationError(
                f"allowed_origins: each origin must be a domain, got {origins!r}", field="allowed_origins"
            )
        return ",".join(origins)
    raise ValidationError(
        f"allowed_origins must be text or a list of domains, got {origins!r}", field="allowed_origins"
    )


class QueryEndpoints(Resource[H]):
    """A service's query API endpoint (running SQL over HTTP with an API key). Reached as
    `ClickHouseCloud().query_endpoints` (and `AsyncClickHouseCloud().query_endpoints`, awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    @call
    def get(self, service_id: str) -> Flow[QueryEndpoint | None]:
        """A service's query API endpoint, or None when it has none.

        The API answers 404 both for a service without an endpoint and for a service that does not
        exist; like the vendor's Terraform provider, both read as None (`services.get` tells them apart).

        Raises:
            ValidationError: the id is not a UUID; nothing was sent.
        """
        sid = uuid_text(service_id, "service_id")
        try:
            data = yield from self._client._call_flow(
                "service.instance_query_endpoint_get", Expect.OBJECT, service_id=sid
            )
        except NotFoundError as exc:
            if not isinstance(exc.body, Mapping):
                raise  # a page, not the API's answer: the call is not served at this base URL
            return None
        return read_one(lambda d: QueryEndpoint.from_api(d, sid), data, what="query endpoint", vendor=_VENDOR)

    @call
    def upsert(
        self,
        service_id: str,
        *,
        roles: Sequence[str],
        open_api_keys: Sequence[str] = (),
        allowed_origins: str | Sequence[str] | None = None,
    ) -> Flow[QueryEndpoint]:
        """Create a service's query API endpoint, or replace its whole configuration.

        Args:
            roles: the roles its queries run with: `sql_console_read_only` and/or `sql_console_admin`.
            open_api_keys: the ids (UUIDs) of the API keys that may call it; none by default.
            allowed_origins: CORS origins, as the API's comma-separated text or a list of domains;
                none by default.

        Raises:
            ValidationError: an unknown role, a key id that is not a UUID, a malformed origin; nothing
                was sent.
        """
        from dbcloud_clickhouse_client.models.instance_service_query_api_endpoints_post_request import (
            InstanceServiceQueryApiEndpointsPostRequest,
        )

        sid = uuid_text(service_id, "service_id")
        wire = {
            "roles": _roles(roles),
            "openApiKeys": _key_ids(open_api_keys),
            "allowedOrigins": _origins(allowed_origins),
        }
        data = yield from self._client._call_flow(
            "service.instance_query_endpoint_upsert",
            Expect.OBJECT,
            wire,
            service_id=sid,
            body=InstanceServiceQueryApiEndpointsPostRequest.from_dict(wire),
        )
        return read_one(lambda d: QueryEndpoint.from_api(d, sid), data, what="query endpoint", vendor=_VENDOR)

    @call
    def delete(self, service_id: str) -> Flow[None]:
        """Remove a service's query API endpoint: the API keys lose their access to it at once.

        Sent once: never repeated after a server error or a broken connection (only after a 429);
        after a lost answer, `get` tells whether it is gone.

        Raises:
            ValidationError: the id is not a UUID; nothing was sent.
            NotFoundError: the service has no endpoint (or does not exist).
        """
        sid = uuid_text(service_id, "service_id")
        yield from once(self._client._call_flow("service.instance_query_endpoint_delete", service_id=sid))


def service_private_endpoint_config(client: _ClickHouse, service_id: Any) -> Flow[PrivateEndpointConfig]:
    """The flow of `services.private_endpoint_config`."""
    sid = uuid_text(service_id, "service_id")
    data = yield from client._call_flow(
        "service.instance_private_endpoint_config_get", Expect.OBJECT, service_id=sid
    )
    return read_one(
        lambda d: PrivateEndpointConfig.from_api(d, sid), data, what="private endpoint config", vendor=_VENDOR
    )


def region_private_endpoint_config(
    client: _ClickHouse, cloud_provider: Any, region: Any
) -> Flow[RegionPrivateEndpointConfig]:
    """The flow of `organizations.private_endpoint_config`."""
    if cloud_provider not in CLOUD_PROVIDERS:
        raise ValidationError(
            f"cloud_provider must be one of {', '.join(CLOUD_PROVIDERS)}, got {cloud_provider!r}",
            field="cloud_provider",
        )
    if not isinstance(region, str) or not region.strip() or any(c in region for c in "/?#&= "):
        raise ValidationError(
            f"region must be a region id such as 'us-east-1', got {region!r}", field="region"
        )
    data = yield from client._call_flow(
        "organization.organization_private_endpoint_config_get_list",
        Expect.OBJECT,
        cloud_provider=cloud_provider,
        region_id=region,
    )
    return read_one(
        lambda d: RegionPrivateEndpointConfig.from_api(mapping(d), cloud_provider, region),
        data,
        what="private endpoint config",
        vendor=_VENDOR,
    )
