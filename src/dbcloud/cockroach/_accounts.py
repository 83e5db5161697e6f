"""CockroachDB Cloud service accounts and their API keys.

The requests are those of the vendor's Terraform provider: `cockroach_service_account`
(service_account_resource.go) sends `POST /api/v1/service-accounts` with `{name, description,
roles}` (roles always present, `[]` when none are given), `PATCH .../{id}` with the fields that
change, `GET` and `DELETE .../{id}`; `cockroach_api_key` (api_key_resource.go) sends `POST
/api/v1/api-keys` with `{name, service_account_id}`, `PATCH /api/v1/api-keys/{id}` with `{name}`,
`GET` and `DELETE` of one key. A new key's secret is in the create answer only (`{api_key,
secret}`): the API keeps no copy, so the record holds it as a `dbcloud.Secret`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from .._retry import once
from . import _bodies
from ._common import VENDOR, checked_id, given, keyset_listing, text_field
from ._models import ApiKey, ServiceAccount

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["ApiKeys", "ServiceAccounts"]

_ORDER = "ASC, DESC"


def _roles(value: Sequence[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Roles as the API names them: `{"name": ..., "resource": {"type": ..., "id": ...}}`; a bare
    role name is that role on the organization."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValidationError("roles must be a list of role names or role objects", field="roles")
    roles: list[dict[str, Any]] = []
    for role in value:
        if isinstance(role, str):
            roles.append({"name": role.upper(), "resource": {"type": "ORGANIZATION"}})
        elif isinstance(role, Mapping):
            roles.append(dict(role))
        else:
            raise ValidationError(
                f"a role must be a name or an object, got {type(role).__name__}", field="roles"
            )
    return roles


class ServiceAccounts(Resource[H]):
    """The organization's service accounts. Reached as `CockroachCloud().service_accounts` (and
    `AsyncCockroachCloud().service_accounts`, whose verbs are awaited)."""

    _client: _Cockroach
    _OP = "service_accounts.cockroach_cloud_"

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(self, *, page_size: int | None = None, sort_order: str | None = None) -> Listing[ServiceAccount]:
        """The service accounts by name, fetched a page at a time as they are iterated.

        Raises:
            ValidationError: an argument is invalid (raised at once).
        """
        arguments = given()
        return keyset_listing(
            self._client, self._OP + "list_service_accounts", "service_accounts", ServiceAccount.from_api,
            arguments, what="service accounts", page_size=page_size, sort_order=sort_order,
        )  # fmt: skip

    @call
    def get_by_name(self, name: str) -> Flow[ServiceAccount]:
        """The service account called `name` (every page of the organization's service accounts is read), so
        that a script adopts a service account that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no service account has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from ServiceAccounts.list.build(self).named(name))

    @call
    def get(self, account_id: str | ServiceAccount) -> Flow[ServiceAccount]:
        """One service account (`GET /api/v1/service-accounts/{id}`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: no such service account.
        """
        sid = checked_id(account_id, "account_id")
        data = yield from self._client._call_flow(self._OP + "get_service_account", Expect.OBJECT, id=sid)
        return read_one(ServiceAccount.from_api, data, what="a service account", vendor=VENDOR, asked_id=sid)

    @call
    def create(
        self, name: str, description: str = "", roles: Sequence[str | Mapping[str, Any]] = ()
    ) -> Flow[ServiceAccount]:
        """Create a service account (`POST /api/v1/service-accounts` with `{name, description,
        roles}`). Repeated only after a 429 (nothing was created).

        Args:
            name: its name.
            description: what it is for (sent as "" when not given, as the provider does).
            roles: roles to grant at once: role names (`"CLUSTER_ADMIN"`, on the organization) or
                objects in the API's names (`{"name": "CLUSTER_ADMIN", "resource": {"type":
                "CLUSTER", "id": cluster_id}}`). The provider sends none and grants roles apart.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: a role names a cluster or folder that does not exist.
        """
        from dbcloud_cockroach_client.models.create_service_account_request import CreateServiceAccountRequest

        body = {
            "name": text_field(name, "name"),
            "description": text_field(description, "description", empty=True),
            "roles": _roles(roles),
        }
        try:
            request = _bodies.to_model(CreateServiceAccountRequest, body, "the service account")
        except ValidationError as exc:  # only the roles can be wrong here: name them
            raise ValidationError(str(exc), field="roles") from None
        data = yield from self._client._call_flow(
            self._OP + "create_service_account", Expect.OBJECT, body=request
        )
        return read_one(ServiceAccount.from_api, data, what="a new service account", vendor=VENDOR)

    @call
    def update(
        self, account_id: str | ServiceAccount, *, name: str | None = None, description: str | None = None
    ) -> Flow[ServiceAccount]:
        """Rename a service account or change its description (`PATCH .../{id}` with the fields
        given; roles are granted through the role management API). Repeated only after a 429.

        Raises:
            ValidationError: nothing to change, or an argument is invalid; nothing was sent.
            NotFoundError: no such service account.
        """
        from dbcloud_cockroach_client.models.update_service_account_specification import (
            UpdateServiceAccountSpecification,
        )

        sid = checked_id(account_id, "account_id")
        body = given(
            name=None if name is None else text_field(name, "name"),
            description=None if description is None else text_field(description, "description", empty=True),
        )
        if not body:
            raise ValidationError("give name or description to change", field="name")
        request = _bodies.to_model(UpdateServiceAccountSpecification, body, "the service account update")
        data = yield from self._client._call_flow(
            self._OP + "update_service_account", Expect.OBJECT, id=sid, body=request
        )
        return read_one(ServiceAccount.from_api, data, what="a service account", vendor=VENDOR, asked_id=sid)

    @call
    def delete(self, account_id: str | ServiceAccount) -> Flow[ServiceAccount | None]:
        """Delete a service account (`DELETE .../{id}`): its API keys stop working.

        Sent once: never repeated after a server error or a broken connection (only after a 429),
        since it removes access; a lost answer leaves it to you to look (`get`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: no such service account.
        """
        sid = checked_id(account_id, "account_id")
        data = yield from once(
            self._client._call_flow(self._OP + "delete_service_account", Expect.OBJECT_OR_NOTHING, id=sid)
        )
        if not data:
            return None
        return read_one(
            ServiceAccount.from_api, data, what="a deleted service account", vendor=VENDOR, asked_id=sid
        )


class ApiKeys(Resource[H]):
    """The API keys of the organization's service accounts. Reached as `CockroachCloud().api_keys`
    (and `AsyncCockroachCloud().api_keys`, whose verbs are awaited)."""

    _client: _Cockroach
    _OP = "api_keys.cockroach_cloud_"

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self,
        service_account_id: str | ServiceAccount | None = None,
        *,
        page_size: int | None = None,
        sort_order: str | None = None,
    ) -> Listing[ApiKey]:
        """The API keys (of one service account, when given) by creation time, fetched a page at a
        time as they are iterated. Listed keys never carry a secret.

        Raises:
            ValidationError: an argument is invalid (raised at once).
        """
        account = None if service_account_id is None else checked_id(service_account_id, "service_account_id")
        arguments = given(service_account_id=account)
        return keyset_listing(
            self._client,
            self._OP + "list_api_keys",
            "api_keys",
            ApiKey.from_api,
            arguments,
            what="API keys",
            page_size=page_size,
            sort_order=sort_order,
        )

    @call
    def get(self, key_id: str | ApiKey) -> Flow[ApiKey]:
        """One API key, without its secret (`GET /api/v1/api-keys/{id}`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: no such key.
        """
        kid = checked_id(key_id, "key_id")
        data = yield from self._client._call_flow(self._OP + "get_api_key", Expect.OBJECT, id=kid)
        return read_one(ApiKey.from_api, data, what="an API key", vendor=VENDOR, asked_id=kid)

    @call
    def create(self, name: str, service_account_id: str | ServiceAccount) -> Flow[ApiKey]:
        """Create an API key for a service account (`POST /api/v1/api-keys` with `{name,
        service_account_id}`).

        The answer carries the key's secret, once: the record's `secret` (a `dbcloud.Secret`;
        `.reveal()` gives the text to send as `Authorization: Bearer ...`). It is masked in
        `repr`, logs, errors and cassettes, and cannot be fetched again. Repeated only after a 429
        (nothing was created), never after a server error or a broken connection.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such service account.
        """
        import uuid

        from dbcloud_cockroach_client.models.create_api_key_request import CreateApiKeyRequest

        account = checked_id(service_account_id, "service_account_id")
        try:
            account_uuid = uuid.UUID(account)
        except ValueError:
            raise ValidationError(
                f"service_account_id must be a UUID, got {account!r}", field="service_account_id"
            ) from None
        request = CreateApiKeyRequest(name=text_field(name, "name"), service_account_id=account_uuid)
        data = yield from self._client._call_flow(self._OP + "create_api_key", Expect.OBJECT, body=request)
        return read_one(ApiKey.from_created, data, what="a new API key", vendor=VENDOR)

    @call
    def update(self, key_id: str | ApiKey, name: str) -> Flow[ApiKey]:
        """Rename an API key (`PATCH /api/v1/api-keys/{id}` with `{name}`). Repeated only after a 429.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such key.
        """
        from dbcloud_cockroach_client.models.update_api_key_specification import UpdateApiKeySpecification

        kid = checked_id(key_id, "key_id")
        request = UpdateApiKeySpecification(name=text_field(name, "name"))
        data = yield from self._client._call_flow(
            self._OP + "update_api_key", Expect.OBJECT, id=kid, body=request
        )
        return read_one(ApiKey.from_api, data, what="an API key", vendor=VENDOR, asked_id=kid)

    @call
    def delete(self, key_id: str | ApiKey) -> Flow[ApiKey | None]:
        """Delete an API key (`DELETE /api/v1/api-keys/{id}`): whatever uses it loses access.

        Sent once: never repeated after a server error or a broken connection (only after a 429);
        a lost answer leaves it to you to look (`get`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: no such key.
        """
        kid = checked_id(key_id, "key_id")
        data = yield from once(
            self._client._call_flow(self._OP + "delete_api_key", Expect.OBJECT_OR_NOTHING, id=kid)
        )
        if not data:
            return None
        return read_one(ApiKey.from_api, data, what="a deleted API key", vendor=VENDOR, asked_id=kid)
