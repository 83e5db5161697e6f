"""The emulated ClickHouse Cloud API keys, and the HTTP Basic authentication they give."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING, Any

from .._api import ApiError
from .._http import EmuRequest
from ._state import ClickHouseState, _Key
from ._wire import _check_access_list, _parse_time


def _digest(text: str) -> str:
    """base64 of SHA-256: how the spec hashes key ids, key secrets and passwords."""
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


class KeyHandlers(ClickHouseState):
    """The API key operations of `EmulatedClickHouse`, and its check of a request's credentials."""

    if TYPE_CHECKING:

        def _check_org(self, request: EmuRequest) -> None: ...  # MemberHandlers'
        def _legacy_role(self, legacy: str) -> str: ...
        def _role_ids(self, ids: Any) -> list[str]: ...
        def _assigned(self, role_ids: list[str]) -> list[dict[str, Any]]: ...
        def _record(
            self, kind: str, request: EmuRequest | None = None, *, at: float | None = None, **extra: str
        ) -> None: ...

    # --- authentication --------------------------------------------------------------------------

    def authorized(self, request: EmuRequest) -> bool:
        key = self._key_of(request)
        with self.lock:
            if key is None or key.fields["state"] != "enabled":
                return False
            if key.expires is not None and self._wall() >= key.expires:
                return False
            key.used = self._iso(self.clock.now() // 60 * 60)  # the spec: one-minute precision
            return True

    def _key_of(self, request: EmuRequest) -> _Key | None:
        """The key whose id and secret the request's HTTP Basic credentials give, usable or not."""
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            key_id, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        if not sep:
            return None
        id_hash, secret_hash = _digest(key_id), _digest(secret)
        with self.lock:
            for key in self.keys.values():
                if key.id_hash == id_hash and hmac.compare_digest(key.secret_hash, secret_hash):
                    return key
        return None

    # --- API keys --------------------------------------------------------------------------------

    def _add_key(
        self, name: str, key_id: str, secret: str, role_ids: list[str], *, at: float, **extra: Any
    ) -> _Key:
        key = _Key(
            fields={
                "id": self.ids.uuid4(),
                "name": name,
                "state": extra.get("state", "enabled"),
                "keySuffix": extra.get("suffix", key_id[-4:]),
                "createdAt": self._iso(at),
                "expireAt": extra.get("expireAt"),
                "ipAccessList": list(extra.get("ipAccessList") or []),
            },
            id_hash=extra.get("id_hash", _digest(key_id)),
            secret_hash=extra.get("secret_hash", _digest(secret)),
            role_ids=role_ids,
            expires=_parse_time(extra.get("expireAt"), "expireAt"),
        )
        self.keys[key.fields["id"]] = key
        return key

    def _key_view(self, key: _Key) -> dict[str, Any]:
        legacy = [self.roles[r]["legacy"] for r in key.role_ids if self.roles[r]["legacy"]]
        view = {**key.fields, "roles": legacy, "assignedRoles": self._assigned(key.role_ids)}
        if key.used is not None:
            view["usedAt"] = key.used
        return view

    def _key(self, request: EmuRequest) -> _Key:
        self._check_org(request)
        key = self.keys.get(request.params["key_id"].lower())
        if key is None:
            raise ApiError(404, "API key not found")
        return key

    def _list_keys(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        return [self._key_view(key) for key in self.keys.values()]

    def _key_roles(self, given: dict[str, Any], default: list[str] | None) -> list[str] | None:
        if given.get("assignedRoleIds") is not None:
            return self._role_ids(given["assignedRoleIds"])
        if given.get("roles") is not None:
            if not given["roles"]:
                raise ApiError(400, "roles must name at least one role")
            return [self._legacy_role(r) for r in given["roles"]]
        return default

    def _create_key(self, request: EmuRequest, body: Any) -> Any:
        self._check_org(request)
        given = dict(body or {})
        name = given.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, "name is required")
        # Assumption: a key given no role gets the developer role.
        roles = self._key_roles(given, [self._legacy_role("developer")]) or []
        expires = _parse_time(given.get("expireAt"), "expireAt")
        if expires is not None and expires <= self._wall():
            raise ApiError(400, "expireAt must be in the future")
        extra = {k: given[k] for k in ("state", "expireAt", "ipAccessList") if given.get(k) is not None}
        hashed = given.get("hashData")
        key_id = secret = None
        if hashed:
            needed = ("keyIdHash", "keyIdSuffix", "keySecretHash")
            if not all(hashed.get(k) for k in needed):
                raise ApiError(400, f"hashData needs {', '.join(needed)}")
            extra |= {"id_hash": hashed["keyIdHash"], "secret_hash": hashed["keySecretHash"]}
            extra["suffix"] = hashed["keyIdSuffix"]
        else:
            key_id = self.ids.alphanumeric(20)
            secret = "4b1d" + self.ids.token_urlsafe(30)
        key = self._add_key(name, key_id or "", secret or "", roles, at=self.clock.now(), **extra)
        self.creates += 1
        self._record("key_create", request, targetKeyId=key.fields["id"])
        answer: dict[str, Any] = {"key": self._key_view(key)}
        if key_id is not None:  # shown in this answer only
            answer |= {"keyId": key_id, "keySecret": secret}
        return answer

    def _update_key(self, request: EmuRequest, body: Any) -> Any:
        key = self._key(request)
        given = dict(body or {})
        fields = dict(key.fields)
        changed: list[str] = []
        if given.get("name") is not None:
            if not str(given["name"]).strip():
                raise ApiError(400, "name must not be empty")
            fields["name"] = given["name"]
            changed.append("name-changed")
        if given.get("state") is not None:
            fields["state"] = given["state"]
            changed.append("state-changed")
        if "expireAt" in given:  # null or empty: never expires
            key.expires = _parse_time(given["expireAt"] or None, "expireAt")
            fields["expireAt"] = given["expireAt"] or None
            changed.append("date-changed")
        if given.get("ipAccessList") is not None:
            _check_access_list(given["ipAccessList"])
            fields["ipAccessList"] = list(given["ipAccessList"])
            changed.append("ip-access-list-changed")
        roles = self._key_roles(given, None)
        if roles is not None:
            key.role_ids = roles
            changed.append("roles-v2-changed" if given.get("assignedRoleIds") is not None else "role-changed")
        key.fields = fields
        for kind in changed:
            self._record("openapi_key_update", request, targetKeyId=fields["id"], keyUpdateType=kind)
        return self._key_view(key)

    def _delete_key(self, request: EmuRequest, body: Any) -> Any:
        key = self._key(request)
        self._record("key_delete", request, targetKeyId=key.fields["id"])
        del self.keys[key.fields["id"]]
        return None
