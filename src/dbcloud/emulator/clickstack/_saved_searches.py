"""Emulated ClickStack saved searches: HyperDX's rules for one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._api import ApiError

if TYPE_CHECKING:
    from ._state import ClickStackState

__all__ = ["build_saved_search"]


def build_saved_search(
    state: ClickStackState, body: dict[str, Any], old: dict[str, Any] | None
) -> dict[str, Any]:
    if body.get("sourceId") not in state.items["sources"]:
        raise ApiError(400, "Source not found: sourceId must name a source of the team")
    stamp = state.now()
    return {
        "id": old["id"] if old else state.ids.object_id(),
        **{k: v for k, v in body.items() if k not in ("id", "teamId", "createdAt", "updatedAt")},
        "teamId": state.team,
        "createdAt": old["createdAt"] if old else stamp,
        "updatedAt": stamp,
    }
