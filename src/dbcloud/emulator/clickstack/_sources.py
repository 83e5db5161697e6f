"""Emulated ClickStack sources: HyperDX's rules for one.

From HyperDX's external API v2 (packages/api/src/routers/external-api/v2/sources.ts): the body is
one source of a kind (`SourceSchemaNoId`: an `id` sent is not the source's), then its `connection`
must be one of the team's connections (400, before the source itself is looked up), and a PUT
replaces the whole source. A session source without a time column answers the one HyperDX gives
such legacy sources (`applyLegacyDefaults`: TimestampTime). Materialized views' granularities are
stored as SQL intervals ("5 minute") and answered in the short form ("5m"), whichever was sent
(`mapGranularityToInternalFormat` / `...ToExternalFormat`). Nothing refuses a delete.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError

if TYPE_CHECKING:
    from ._state import ClickStackState

__all__ = ["build_source", "check_source", "require_connection"]

_KINDS = ("log", "trace", "metric", "session", "promql")
_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
_INTERVAL = re.compile(r"(\d+) (second|minute|hour|day)")


def _short(granularity: Any) -> Any:
    found = _INTERVAL.fullmatch(granularity) if isinstance(granularity, str) else None
    return f"{found.group(1)}{found.group(2)[0]}" if found else granularity


def _external(source: dict[str, Any]) -> dict[str, Any]:
    """The answer's granularities in the short form, as HyperDX writes them out."""
    views = source.get("materializedViews")
    if isinstance(views, list):
        source["materializedViews"] = [
            {**v, "minGranularity": _short(v.get("minGranularity"))} if isinstance(v, dict) else v
            for v in views
        ]
    metadata = source.get("metadataMaterializedViews")
    if isinstance(metadata, dict) and "granularity" in metadata:
        source["metadataMaterializedViews"] = {**metadata, "granularity": _short(metadata["granularity"])}
    return source


def check_source(body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The body as HyperDX parses it (no `id`) and what it finds wrong beyond the spec's model."""
    parsed = {k: v for k, v in body.items() if k != "id"}
    problems: list[str] = []
    if parsed.get("kind") not in _KINDS:
        problems.append(f"kind: Invalid discriminator value. Expected {' | '.join(map(repr, _KINDS))}")
    name = parsed.get("name")
    if not isinstance(name, str) or not name:
        problems.append("name: String must contain at least 1 character(s)")
    return parsed, problems


def require_connection(state: ClickStackState, body: dict[str, Any]) -> None:
    """HyperDX's `validateConnectionId`: checked before the source is looked up."""
    connection = body.get("connection")
    if not isinstance(connection, str) or not (_OBJECT_ID.fullmatch(connection) or len(connection) == 12):
        raise ApiError(400, "connection must be a valid connection id")
    if connection not in state.connections:
        raise ApiError(400, "connection must be an existing connection id")


def build_source(state: ClickStackState, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """A source created (`old` None) or replaced whole from a checked body."""
    source = {"id": old["id"] if old else state.ids.object_id(), **body}
    if source.get("kind") == "session" and not source.get("timestampValueExpression"):
        source["timestampValueExpression"] = "TimestampTime"
    return _external(source)
