"""Emulated ClickStack webhooks: HyperDX's rules for one, its write-only fields kept apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._api import ApiError

if TYPE_CHECKING:
    from ._state import ClickStackState

__all__ = ["build_webhook"]

_WRITE_ONLY = ("headers", "queryParams")


def build_webhook(state: ClickStackState, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    service = body.get("service")
    if service == "slack" and any(k in body for k in ("body", *_WRITE_ONLY)):
        raise ApiError(400, "body, headers and queryParams are not accepted for slack webhooks")
    url = str(body.get("url", ""))
    if not url.startswith(("https://", "http://")):
        raise ApiError(400, f"url must be an http(s) URL, got {url!r}")
    for other in state.items["webhooks"].values():
        if other["service"] == service and other["name"] == body.get("name") and other is not old:
            # The OSS spec gives 409 for a clashing update; a creation is a plain 400 there.
            raise ApiError(409 if old else 400, "A webhook with this name already exists for this service")
    stamp = state.now()
    webhook_id = old["id"] if old else state.ids.object_id()
    state.write_only[webhook_id] = {k: body[k] for k in _WRITE_ONLY if k in body}
    return {
        "id": webhook_id,
        **{k: v for k, v in body.items() if k not in (*_WRITE_ONLY, "id")},
        "createdAt": old["createdAt"] if old else stamp,
        "updatedAt": stamp,
    }
