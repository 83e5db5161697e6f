"""The emulated ACM service: its routes, the `{data, error}` envelope and the `X-Auth-Token` check."""

from __future__ import annotations

import time
from typing import Any

from .._api import OpenAPIEmulator, Route
from .._clock import EmulatedClock
from .._http import EmuRequest, EmuResponse, json_response
from .._ids import IdSource
from ._accounts import AccountHandlers
from ._clusters import ClusterHandlers
from ._data import USER_WRITES, DataHandlers, user_body
from ._operations import OperationHandlers
from ._query import QueryHandlers
from ._state import Cluster

__all__ = ["EmulatedACM"]


class EmulatedACM(
    DataHandlers, QueryHandlers, OperationHandlers, ClusterHandlers, AccountHandlers, OpenAPIEmulator
):
    package = "dbcloud_acm_client"
    name = "acm"
    base_path = "/api"  # ACM's server is https://acm.altinity.cloud/api/
    # Sign-in and the account form also take JSON (acmctl posts a form, the web app JSON).
    json_also = frozenset({"auth.post_login", "accounts.post_account"})
    loose_scalars = True  # ACM reads "3" and "true" in a JSON body as 3 and true

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        super().__init__(clock, credential, ids=ids)
        self.environments: dict[int, dict[str, Any]] = {}
        self.clusters: dict[int, Cluster] = {}
        self.tokens: list[dict[str, str]] = [{"token": credential, "expiry": "2099-01-01 00:00:00"}]
        self._next_id = 1000
        self._epoch = time.time() - clock.now()  # the wall time at emulated second 0
        if seed_data:
            self.environments[176] = {
                "id": 176,
                "name": "emulated-gke",
                "type": "kubernetes",
                "domain": "emu.test",
            }
            self.environments[175] = {
                "id": 175,
                "name": "emulated-eks",
                "type": "kubernetes",
                "domain": "emu.test",
            }
        self.handlers.update(self.cluster_handlers())
        self.handlers.update(self.account_handlers())
        self.handlers.update(self.operation_handlers())
        self.handlers.update(self.query_handlers())
        self.handlers.update(self.data_handlers())

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(status, {"data": None, "error": message})

    def wrap(self, status: int, data: Any) -> EmuResponse:
        return json_response(status, {"data": data, "error": None})

    def untyped(self, route: Any) -> Any:
        return {}

    def _check_body(self, route: Route, request: EmuRequest) -> Any:
        # A database user's body is read by its handler: ACM takes `databases` and `networks` as
        # JSON lists there (the community Terraform provider's live finding), where the spec's
        # query-parameter origin types every field as text.
        if route.name in USER_WRITES:
            return user_body(request)
        return super()._check_body(route, request)

    def authorized(self, request: EmuRequest) -> bool:
        token = request.headers.get("x-auth-token")
        return any(t["token"] == token for t in self.tokens)
