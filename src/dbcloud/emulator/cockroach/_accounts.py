"""The emulated service accounts and API keys of a CockroachDB Cloud organization.

Rules where the spec is silent (assumptions, each applied in one place below):
- the organization starts with no service accounts (the emulator's own credential stands apart);
- a service account's name is not blank; two accounts may not share one (409);
- `description` and `roles` may be left out (proto3 reads them as "" and []), though the spec
  marks them required; an account created with no roles has ORG_MEMBER on the organization, as
  the vendor's Terraform provider's tests answer; a role on a CLUSTER or FOLDER names an existing
  one (404 otherwise), a role on the ORGANIZATION names no id;
- deleting a service account deletes its API keys;
- an API key id is `CCDB1_` and 22 letters or digits, its secret the id, `_` and 40 more (the
  provider's import format); the secret is answered once and not kept, and keys made through the
  API do not authenticate against the emulator (only its own credential does);
- two keys of one service account may not share a name (409).
API keys are listed by creation time (the spec), service accounts by name.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from .._ids import IdSource
from ._state import ApiKey, Cluster, Folder, ServiceAccount
from ._wire import NUMBER, TEXT, check_fields, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["AccountHandlers"]

_CREATE_ACCOUNT = {"name!": "str", "description": "str", "roles": "list"}
_UPDATE_ACCOUNT = {"name": "str", "description": "str"}
_CREATE_KEY = {"name!": "str", "service_account_id!": "str"}
_UPDATE_KEY = {"name": "str"}
_ROLE_NAMES = frozenset(
    {"BILLING_COORDINATOR", "BILLING_VIEWER", "CLUSTER_ADMIN", "CLUSTER_CREATOR", "CLUSTER_DEVELOPER"}
    | {"CLUSTER_MONITOR", "CLUSTER_OPERATOR_WRITER", "FOLDER_ADMIN", "FOLDER_MOVER", "METRICS_VIEWER"}
    | {"ORG_ADMIN", "ORG_MEMBER"}
)
_MEMBER = {"name": "ORG_MEMBER", "resource": {"type": "ORGANIZATION"}}
CREATOR_NAME = "dbcloud emulator"


class AccountHandlers(_Base):
    """The service account and API key operations of `EmulatedCockroach`."""

    service_accounts: dict[str, ServiceAccount]
    api_keys: dict[str, ApiKey]
    folders: dict[str, Folder]
    clusters: dict[str, Cluster]
    account_ids: IdSource  # their own stream: making an account or key does not shift other ids

    if TYPE_CHECKING:

        def _stamp(self, seconds: float) -> str: ...  # ClusterHandlers'

    def account_handlers(self) -> dict[str, Handler]:
        accounts, keys = "service_accounts.cockroach_cloud_", "api_keys.cockroach_cloud_"
        return {
            accounts + "list_service_accounts": self._list_accounts,
            accounts + "get_service_account": self._get_account,
            accounts + "create_service_account": self._create_account,
            accounts + "update_service_account": self._update_account,
            accounts + "delete_service_account": self._delete_account,
            keys + "list_api_keys": self._list_keys,
            keys + "get_api_key": self._get_key,
            keys + "create_api_key": self._create_key,
            keys + "update_api_key": self._update_key,
            keys + "delete_api_key": self._delete_key,
        }

    # --- service accounts ----------------------------------------------------------------------

    def _account_view(self, account: ServiceAccount) -> dict[str, Any]:
        return {
            "id": account.id,
            "name": account.name,
            "description": account.description,
            "creator_name": CREATOR_NAME,
            "created_at": self._stamp(account.created),
            "group_roles": [],
            "roles": [dict(role, resource=dict(role["resource"])) for role in account.roles],
        }

    def _account(self, account_id: str) -> ServiceAccount:
        account = self.service_accounts.get(account_id)
        if account is None:
            raise ApiError(404, "service account not found")
        return account

    def _account_name(self, value: str, account_id: str | None = None) -> str:
        if not value.strip():
            raise ApiError(400, "name must not be empty")
        if any(a.name == value and a.id != account_id for a in self.service_accounts.values()):
            raise ApiError(409, f"a service account named {value!r} already exists")
        return value

    def _role(self, role: Any) -> dict[str, Any]:
        if not isinstance(role, dict):
            raise ApiError(400, "roles must be objects {name, resource}")
        check_fields(role, {"name!": "str", "resource!": {"type!": "str", "id": "str"}}, "roles[].")
        if role["name"] not in _ROLE_NAMES:
            raise ApiError(400, f"unknown role {role['name']!r}")
        kind, rid = role["resource"]["type"], role["resource"].get("id")
        known: dict[str, dict[str, Any]] = {"CLUSTER": self.clusters, "FOLDER": self.folders}
        if kind == "ORGANIZATION":
            if rid:
                raise ApiError(400, "a role on the organization names no resource id")
            return {"name": role["name"], "resource": {"type": kind}}
        if kind not in known:
            raise ApiError(400, f"unknown resource type {kind!r}")
        if not rid or rid not in known[kind]:
            raise ApiError(404, f"{kind.lower()} {rid!r} not found")
        return {"name": role["name"], "resource": {"type": kind, "id": rid}}

    def _list_accounts(self, request: EmuRequest, body: Any) -> Any:
        rows = [([a.name, a.id], self._account_view(a)) for a in self.service_accounts.values()]
        page, pagination = keyset_page(rows, request.query, "service-accounts", (TEXT, TEXT))
        return {"service_accounts": page, "pagination": pagination}

    def _get_account(self, request: EmuRequest, body: Any) -> Any:
        return self._account_view(self._account(request.params["id"]))

    def _create_account(self, request: EmuRequest, body: Any) -> Any:
        body = without_nulls(body)
        check_fields(body, _CREATE_ACCOUNT, "")
        name = self._account_name(body["name"])
        roles = [self._role(role) for role in body.get("roles") or []] or [_MEMBER]
        account = ServiceAccount(
            self.account_ids.uuid4(), name, body.get("description", ""), roles, self.clock.now()
        )
        self.service_accounts[account.id] = account
        self.creates += 1
        return self._account_view(account)

    def _update_account(self, request: EmuRequest, body: Any) -> Any:
        account = self._account(request.params["id"])
        body = without_nulls(body)
        check_fields(body, _UPDATE_ACCOUNT, "")
        if "name" in body:
            account.name = self._account_name(body["name"], account.id)
        if "description" in body:
            account.description = body["description"]
        return self._account_view(account)

    def _delete_account(self, request: EmuRequest, body: Any) -> Any:
        account = self._account(request.params["id"])
        for key in [k for k in self.api_keys.values() if k.service_account_id == account.id]:
            del self.api_keys[key.id]
        del self.service_accounts[account.id]
        return self._account_view(account)

    # --- API keys ------------------------------------------------------------------------------

    def _key_view(self, key: ApiKey) -> dict[str, Any]:
        return {
            "id": key.id,
            "name": key.name,
            "service_account_id": key.service_account_id,
            "created_at": self._stamp(key.created),
        }

    def _key(self, key_id: str) -> ApiKey:
        key = self.api_keys.get(key_id)
        if key is None:
            raise ApiError(404, "api key not found")
        return key

    def _key_name(self, value: str, account_id: str, key_id: str | None = None) -> str:
        if not value.strip():
            raise ApiError(400, "name must not be empty")
        for key in self.api_keys.values():
            if key.service_account_id == account_id and key.name == value and key.id != key_id:
                raise ApiError(409, f"the service account has an api key named {value!r}")
        return value

    def _list_keys(self, request: EmuRequest, body: Any) -> Any:
        account = request.query.get("service_account_id")
        keys = [k for k in self.api_keys.values() if account in (None, "", k.service_account_id)]
        rows = [([k.created, k.id], self._key_view(k)) for k in keys]
        page, pagination = keyset_page(rows, request.query, f"api-keys:{account or ''}", (NUMBER, TEXT))
        return {"api_keys": page, "pagination": pagination}

    def _get_key(self, request: EmuRequest, body: Any) -> Any:
        return self._key_view(self._key(request.params["id"]))

    def _create_key(self, request: EmuRequest, body: Any) -> Any:
        body = without_nulls(body)
        check_fields(body, _CREATE_KEY, "")
        try:
            account_id = str(uuid.UUID(body["service_account_id"]))
        except ValueError:
            raise ApiError(400, "service_account_id must be a UUID") from None
        self._account(account_id)
        name = self._key_name(body["name"], account_id)
        key = ApiKey("CCDB1_" + self.account_ids.alphanumeric(22), name, account_id, self.clock.now())
        self.api_keys[key.id] = key
        self.creates += 1
        return {"api_key": self._key_view(key), "secret": f"{key.id}_{self.account_ids.alphanumeric(40)}"}

    def _update_key(self, request: EmuRequest, body: Any) -> Any:
        key = self._key(request.params["id"])
        body = without_nulls(body)
        check_fields(body, _UPDATE_KEY, "")
        if "name" in body:
            key.name = self._key_name(body["name"], key.service_account_id, key.id)
        return self._key_view(key)

    def _delete_key(self, request: EmuRequest, body: Any) -> Any:
        key = self._key(request.params["id"])
        del self.api_keys[key.id]
        return self._key_view(key)
