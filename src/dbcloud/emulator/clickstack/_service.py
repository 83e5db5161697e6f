"""Emulated ClickStack OSS: the HyperDX external API v2 under `/api/v2`, over one team's state."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .._api import OpenAPIEmulator
from .._clock import EmulatedClock
from .._http import EmuRequest, EmuResponse, json_response
from .._ids import IdSource
from ._state import ClickStackState
from ._wire import PAGED, iso_time, operations, page

__all__ = ["EmulatedClickStack"]


class EmulatedClickStack(OpenAPIEmulator):
    """ClickStack OSS (HyperDX external API v2) with one team's objects."""

    package = "dbcloud_clickstack_oss_client"
    name = "clickstack"

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        super().__init__(clock, credential, ids=ids)
        epoch = time.time() - clock.now()  # the wall time at emulated second 0
        self.state = ClickStackState(
            lambda: iso_time(epoch + clock.now()), managed=False, seed_sources=seed_data, ids=self.ids
        )
        known = {route.name for route in self.routes}
        for operation, kind, verb in operations(lambda plural, action: f"{plural}.{action}"):
            if operation in known:
                self.handlers[operation] = self._handler(kind, verb)

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(status, {"message": message})

    def wrap(self, status: int, data: Any) -> EmuResponse:
        return json_response(status, {"data": data})

    # --- handlers ------------------------------------------------------------------------------

    def _handler(self, kind: str, verb: str) -> Callable[[EmuRequest, Any], Any]:
        def handle(request: EmuRequest, body: Any) -> Any:
            if verb == "list" and kind in PAGED:
                return page(request, list(self.state.items[kind].values()))
            result = self.state.call(kind, verb, request.params.get("id"), body)
            if verb == "create":
                self.creates += 1
            if verb == "delete":
                return json_response(200, {})  # the spec's EmptyResponse, without an envelope
            return result

        return handle
