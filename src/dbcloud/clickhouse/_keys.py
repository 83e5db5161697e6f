"""ClickHouse Cloud API keys."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from .._secret import Secret
from ._body import require_some
from ._client import uuid_text
from ._records import ApiKey

if TYPE_CHECKING:
    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"

__all__ = ["Keys", "NewKey"]

_STATES = ("enabled", "disabled")


@dataclass(frozen=True)
class NewKey:
    """A key just created. The API shows its secret only in this answer; it stays masked in reprs
    and logs until `key_secret.reveal()`."""

    key: ApiKey
    key_id: str | None
    key_secret: Secret | None


def _parse(data: Any, asked_id: str | None = None) -> ApiKey:
    return read_one(ApiKey.from_api, data, what="ApiKey", vendor=_VENDOR, asked_id=asked_id)


def _check(name: Any, state: Any, expire_at: Any) -> None:
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValidationError("name must be a non-empty string", field="name")
    if state is not None and state not in _STATES:
        raise ValidationError(f"state must be one of {list(_STATES)}, got {state!r}", field="state")
    if (
        isinstance(expire_at, dt.datetime)
        and expire_at.tzinfo is not None
        and expire_at <= dt.datetime.now(dt.UTC)
    ):
        raise ValidationError("expire_at is in the past: the key would be expired at once", field="expire_at")


class Keys(Resource[H]):
    """The organization's API keys. Reached as `ClickHouseCloud().keys` (and
    `AsyncClickHouseCloud().keys`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    def _ids(self, key_id: Any) -> dict[str, str]:
        return {"key_id": uuid_text(key_id, "key_id")}

    @listing
    def list(self) -> Listing[ApiKey]:
        """Every API key of the organization (the secrets are never listed)."""

        def everything() -> Flow[builtins.list[ApiKey]]:
            data = yield from self._client._call_flow("open_api.openapi_key_get_list", Expect.LIST)
            return read_list(ApiKey.from_api, data, what="apikeys", vendor=_VENDOR)

        return Listing.of_one(everything, what="apikeys", vendor=_VENDOR)

    @call
    def get_by_name(self, name: str) -> Flow[ApiKey]:
        """The API key called `name` (the organization's keys are read; a listed key never carries a secret),
        so that a script adopts an API key that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no API key has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Keys.list.build(self).named(name))

    @call
    def get(self, key_id: str) -> Flow[ApiKey]:
        """One key's details."""
        ids = self._ids(key_id)
        data = yield from self._client._call_flow("open_api.openapi_key_get", Expect.OBJECT, **ids)
        return _parse(data, ids["key_id"])

    @call
    def create(
        self,
        *,
        name: str,
        assigned_role_ids: Sequence[str] | None = None,
        expire_at: dt.datetime | str | None = None,
        state: str | None = None,
        hash_data: Mapping[str, Any] | None = None,
        roles: Sequence[str] | None = None,
        ip_access_list: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[NewKey]:
        """Create an API key. Sent once, never retried.

        Args:
            name: the key's name.
            assigned_role_ids: role UUIDs to give the key.
            expire_at: when the key expires (aware datetime or ISO 8601); never when None.
            state: "enabled" (the API's default) or "disabled".
            roles, hash_data, ip_access_list: the other fields of the spec's `ApiKeyPostRequest`
                (objects and list items in the API's own names, e.g.
                `ip_access_list=[{"source": "10.0.0.0/8", "description": "office"}]`).

        Returns:
            The key with its id and secret (a `Secret`); both are None when `hash_data` was given.
        """
        from dbcloud_clickhouse_client.models.api_key_post_request import ApiKeyPostRequest

        _check(name, state, expire_at)
        data = yield from self._client._call_with_body_flow(
            "open_api.openapi_key_create",
            ApiKeyPostRequest,
            {
                "name": name,
                "expire_at": expire_at,
                "state": state,
                "assigned_role_ids": assigned_role_ids,
                "hash_data": hash_data,
                "roles": roles,
                "ip_access_list": ip_access_list,
            },
            Expect.OBJECT,
            what="API key creation",
        )
        key_id, secret = data.get("keyId"), data.get("keySecret")
        return NewKey(
            key=_parse(data.get("key") or {}),
            key_id=key_id if isinstance(key_id, str) else None,
            key_secret=Secret(secret) if isinstance(secret, str) and secret else None,
        )

    @call
    def update(
        self,
        key_id: str,
        *,
        name: str | None = None,
        state: str | None = None,
        expire_at: dt.datetime | str | None = None,
        assigned_role_ids: Sequence[str] | None = None,
        roles: Sequence[str] | None = None,
        ip_access_list: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[ApiKey]:
        """Rename, enable or disable a key, or change its expiry, roles or IP access list."""
        from dbcloud_clickhouse_client.models.api_key_patch_request import ApiKeyPatchRequest

        _check(name, state, expire_at)
        changes = {
            "name": name,
            "state": state,
            "expire_at": expire_at,
            "assigned_role_ids": assigned_role_ids,
            "roles": roles,
            "ip_access_list": ip_access_list,
        }
        require_some(changes, what="API key update")
        data = yield from self._client._call_with_body_flow(
            "open_api.openapi_key_update",
            ApiKeyPatchRequest,
            changes,
            Expect.OBJECT,
            what="API key update",
            **self._ids(key_id),
        )
        return _parse(data)

    @call
    def delete(self, key_id: str) -> Flow[None]:
        """Delete a key, at once and for good: whatever uses it loses access."""
        yield from self._client._call_flow("open_api.openapi_key_delete", **self._ids(key_id))
