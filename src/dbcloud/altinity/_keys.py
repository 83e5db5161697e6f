"""ACM API keys of the signed-in user: list, create, delete.

ACM has no key endpoints of their own. Its spec exposes `GET /account` (the user's record),
`GET /account/token` ("generates a random API key") and `POST /account` with a `tokens` parameter.
Assumptions, following the ACM UI's flow (generate a key, set its expiry, save):
- `GET /account` returns the user with `tokens`: a list (or its JSON text) of `{token, expiry}`;
- `GET /account/token` returns the new key's text (or `{token: ...}`); it is not saved until
- `POST /account` with a form field `tokens=<JSON list>` stores the user's full list of keys. The
  spec has it as a query parameter; the keys go in a form body instead (the ACM overlay), since a
  URL is kept in access logs.
Expiry times are in GMT, as `YYYY-MM-DD HH:MM:SS`.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._secret import Secret

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["MAX_KEYS", "ApiKey", "ApiKeys"]

MAX_KEYS = 5  # ACM's limit per user (quick-start guide)
_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class ApiKey:
    """One ACM API key. `key` stays masked in reprs; `key.reveal()` gives the text."""

    key: Secret
    expires: dt.datetime | None

    @property
    def fingerprint(self) -> str:
        """A short, non-secret name for the key (sha256 prefix), to tell keys apart."""
        return hashlib.sha256(self.key.reveal().encode()).hexdigest()[:12]

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= dt.datetime.now(dt.UTC)

    def _wire(self) -> dict[str, str]:
        expiry = self.expires.astimezone(dt.UTC).strftime(_FORMAT) if self.expires else ""
        return {"token": self.key.reveal(), "expiry": expiry}


def _parse_expiry(value: Any) -> dt.datetime | None:
    if not value:
        return None
    text = str(value).replace("T", " ").rstrip("Z")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed


def _parse_keys(account: Any) -> list[ApiKey]:
    tokens = account.get("tokens") if isinstance(account, dict) else None
    if isinstance(tokens, str):
        try:
            tokens = json.loads(tokens) if tokens.strip() else []
        except json.JSONDecodeError:
            tokens = []
    keys = []
    for item in tokens or []:
        if isinstance(item, str):
            keys.append(ApiKey(Secret(item), None))
        elif isinstance(item, dict) and item.get("token"):
            keys.append(
                ApiKey(Secret(str(item["token"])), _parse_expiry(item.get("expiry") or item.get("expires")))
            )
    return keys


class ApiKeys(Resource[H]):
    """The signed-in user's ACM API keys. Reached as `Altinity().keys` (and `AsyncAltinity().keys`,
    whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    def _all(self) -> Flow[builtins.list[ApiKey]]:
        """The user's keys, read from their account record."""
        account = yield from self._client._call_flow("accounts.get_account", Expect.OBJECT)
        return _parse_keys(account)

    @listing
    def list(self) -> Listing[ApiKey]:
        """The user's keys with their expiry times (GMT)."""
        return Listing.of_one(self._all, what="API keys", vendor="ACM")

    @call
    def create(
        self, *, expires_in: dt.timedelta | None = None, expires_at: dt.datetime | None = None
    ) -> Flow[ApiKey]:
        """Create a key. By default it expires in 24 hours, as in the ACM UI.

        Raises:
            ValidationError: the user already has the 5 keys ACM allows, or the expiry is in the past.
        """
        if expires_in is not None and expires_at is not None:
            raise ValidationError("give expires_in or expires_at, not both", field="expires_at")
        now = dt.datetime.now(dt.UTC)
        if expires_at is None:
            expires_at = now + (expires_in if expires_in is not None else dt.timedelta(hours=24))
        if expires_at.tzinfo is None:
            raise ValidationError("expires_at must carry a time zone (ACM keeps GMT)", field="expires_at")
        if expires_at <= now:
            raise ValidationError("the key would already be expired", field="expires_at")
        existing: builtins.list[ApiKey] = yield from self._all()
        if len(existing) >= MAX_KEYS:
            raise ValidationError(
                f"ACM allows {MAX_KEYS} API keys per user and this user has {len(existing)}; "
                "delete one first",
                field="keys",
            )
        generated = yield from self._client._call_flow("accounts.get_account_token")
        text = generated.get("token") if isinstance(generated, dict) else generated
        if not isinstance(text, str) or not text:
            from .._errors import APIResponseError

            raise APIResponseError("ACM did not return a new key from GET /account/token")
        key = ApiKey(Secret(text), expires_at.astimezone(dt.UTC).replace(microsecond=0))
        yield from self._save([*existing, key])
        return key

    @call
    def delete(self, key: ApiKey | str) -> Flow[None]:
        """Delete a key, given as an `ApiKey`, its text or its fingerprint.

        Raises:
            ValidationError: the user has no such key.
        """
        existing: builtins.list[ApiKey] = yield from self._all()
        wanted = key.key.reveal() if isinstance(key, ApiKey) else key
        remaining = [k for k in existing if k.key.reveal() != wanted and k.fingerprint != wanted]
        if len(remaining) == len(existing):
            raise ValidationError("no such API key for this user", field="key")
        yield from self._save(remaining)

    def _save(self, keys: Sequence[ApiKey]) -> Flow[None]:
        from dbcloud_acm_client.models.post_account_body import PostAccountBody

        tokens = json.dumps([k._wire() for k in keys], separators=(",", ":"))
        yield from self._client._call_flow("accounts.post_account", body=PostAccountBody(tokens=tokens))
