"""Emulated ClickStack sources: how one is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._state import ClickStackState

__all__ = ["build_source"]


def build_source(state: ClickStackState, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    # `id` is server-generated and ignored when sent (the specs' Source descriptions).
    return {
        "id": old["id"] if old else state.ids.object_id(),
        **{k: v for k, v in body.items() if k != "id"},
    }
