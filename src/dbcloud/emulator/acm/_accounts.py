"""The emulated ACM sign-in and the account's API keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest, json_response
from ._state import DEMO_USER

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["AccountHandlers"]


class AccountHandlers(_Base):
    """Sign-in and the account operations of `EmulatedACM` (the account's tokens are its keys)."""

    tokens: list[dict[str, str]]

    def account_handlers(self) -> dict[str, Handler]:
        return {
            "auth.post_login": self._login,
            "accounts.get_account": self._account,
            "accounts.get_account_token": self._new_token,
            "accounts.post_account": self._save_account,
        }

    def _login(self, request: EmuRequest, body: Any) -> Any:
        fields = body or {}
        if (fields.get("login"), fields.get("password")) != DEMO_USER:
            raise ApiError(401, "Wrong login or password")
        token = self.ids.token_hex(16)
        self.tokens.append({"token": token, "expiry": "2099-01-01 00:00:00"})
        return {"id": 1, "email": DEMO_USER[0], "token": token}

    def _account(self, request: EmuRequest, body: Any) -> Any:
        return {"id": 1, "email": DEMO_USER[0], "name": "Demo User", "tokens": [dict(t) for t in self.tokens]}

    def _new_token(self, request: EmuRequest, body: Any) -> Any:
        return self.ids.token_hex(20)

    def _save_account(self, request: EmuRequest, body: Any) -> Any:
        fields = body or {}
        if "tokens" in fields:
            tokens = fields["tokens"]  # JSON text in the form; a list or its text in a JSON body
            if isinstance(tokens, str):
                try:
                    tokens = json.loads(tokens)
                except ValueError:
                    raise ApiError(400, "tokens must be a JSON list") from None
            if not isinstance(tokens, list) or not all(
                isinstance(t, dict) and t.get("token") for t in tokens
            ):
                raise ApiError(400, "tokens must be a list of {token, expiry}")
            if len(tokens) > 5:
                return json_response(200, {"data": None, "error": "A user can have at most 5 API keys"})
            self.tokens = [{"token": str(t["token"]), "expiry": str(t.get("expiry", ""))} for t in tokens]
        return self._account(request, body)
