"""Emulated ClickStack saved searches: HyperDX's rules for one.

From HyperDX's external API v2 (packages/api/src/routers/external-api/v2/savedSearches.ts): the body
is parsed by `savedSearchRequestSchema` (the name trimmed; every optional field given its default,
so a PUT resets what it leaves out), then `sourceId` must name one of the team's sources (400, before
the saved search itself is looked up), then every filter the request adds must be one the search
sidebar can show: a `sql` condition of one column `IN (...)`, `NOT IN (...)` or `BETWEEN a AND b`
(ours is a pattern for what HyperDX's `isRenderablePinnedFilter` parses). A filter the stored search
already had passes unchanged. The answer is `toExternalJSON()`: `sourceId`, `teamId`, ISO times.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from .._api import ApiError

if TYPE_CHECKING:
    from ._state import ClickStackState

__all__ = ["build_saved_search", "check_saved_search", "require_source"]

_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
_LIMITS = {"select": 4 * 1024, "where": 8 * 1024, "orderBy": 1024}
_DEFAULTS: dict[str, Any] = {"select": "", "where": "", "whereLanguage": "lucene", "orderBy": ""}
_COLUMN = r"[A-Za-z_][\w.\[\]'\"`]*"
_RENDERABLE = (
    re.compile(rf"\s*{_COLUMN}\s+(NOT\s+)?IN\s*\([^()]*\)\s*", re.I),
    re.compile(rf"\s*{_COLUMN}\s+BETWEEN\s+\S+\s+AND\s+\S+\s*", re.I),
)


def _filter(index: int, item: Any, problems: list[str]) -> Any:
    where = f"filters.{index}"
    if not isinstance(item, dict):
        problems.append(f"{where}: Expected object, received {type(item).__name__}")
        return item
    if item.get("type") == "sql_ast":
        if item.get("operator") not in ("=", "<", ">", "!=", "<=", ">="):
            problems.append(f"{where}.operator: Invalid enum value")
        for part in ("left", "right"):
            if not isinstance(item.get(part), str) or len(item[part]) > 8 * 1024:
                problems.append(f"{where}.{part}: Expected string of at most 8192 character(s)")
        return {k: item.get(k) for k in ("type", "operator", "left", "right")}
    kind = item.get("type", "sql")
    if kind not in ("lucene", "sql"):
        problems.append(f"{where}.type: Invalid enum value. Expected 'lucene' | 'sql'")
    condition = item.get("condition")
    if not isinstance(condition, str) or len(condition) > 8 * 1024:
        problems.append(f"{where}.condition: Expected string of at most 8192 character(s)")
    return {"type": kind, "condition": condition}


def check_saved_search(body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The body as `savedSearchRequestSchema` parses it (known fields, defaults filled in) and
    what it finds wrong, each "path: message"."""
    problems: list[str] = []
    name = body.get("name")
    if not isinstance(name, str):
        problems.append("name: Required" if name is None else "name: Expected string")
    elif not 1 <= len(name.strip()) <= 1024:
        problems.append("name: String must contain between 1 and 1024 character(s)")
    source = body.get("sourceId")
    if not isinstance(source, str) or not (_OBJECT_ID.fullmatch(source) or len(source) == 12):
        problems.append("sourceId: Invalid ObjectId")
    parsed: dict[str, Any] = {"name": name.strip() if isinstance(name, str) else name, "sourceId": source}
    for key, default in _DEFAULTS.items():
        value = body.get(key, default)
        if key == "whereLanguage":
            if value not in ("lucene", "sql"):
                problems.append("whereLanguage: Invalid enum value. Expected 'lucene' | 'sql'")
        elif not isinstance(value, str) or len(value) > _LIMITS[key]:
            problems.append(f"{key}: Expected string of at most {_LIMITS[key]} character(s)")
        parsed[key] = value
    tags = body.get("tags", [])
    fitting = isinstance(tags, list) and all(isinstance(t, str) and len(t) <= 32 for t in tags)
    if not fitting or len(tags) > 50:
        problems.append("tags: Expected at most 50 strings of at most 32 character(s)")
    parsed["tags"] = tags
    filters = body.get("filters", [])
    if not isinstance(filters, list) or len(filters) > 100:
        problems.append("filters: Expected an array of at most 100 element(s)")
        filters = []
    parsed["filters"] = [_filter(i, f, problems) for i, f in enumerate(filters)]
    return parsed, problems


def require_source(state: ClickStackState, body: dict[str, Any]) -> None:
    """HyperDX's `requireValidSourceId`: checked before the saved search is looked up."""
    if body.get("sourceId") not in state.items["sources"]:
        raise ApiError(400, "sourceId must be an existing source id")


def _renderable(item: dict[str, Any]) -> bool:
    if item.get("type") != "sql" or not isinstance(item.get("condition"), str):
        return False
    return any(pattern.fullmatch(item["condition"]) for pattern in _RENDERABLE)


def build_saved_search(
    state: ClickStackState, body: dict[str, Any], old: dict[str, Any] | None
) -> dict[str, Any]:
    """A saved search created (`old` None) or replaced from a checked body."""
    kept = {json.dumps(f, sort_keys=True) for f in (old or {}).get("filters", [])}
    for index, item in enumerate(body["filters"]):
        if not _renderable(item) and json.dumps(item, sort_keys=True) not in kept:
            raise ApiError(
                400,
                f"filters[{index}] must be a sidebar-renderable SQL predicate "
                '(e.g. "<column> IN (\'<value>\', ...)", "NOT IN (...)", or "BETWEEN <n> AND <n>"). '
                "Other shapes are only accepted on update when preserved unchanged from the "
                "stored saved search.",
            )
    stamp = state.now()
    return {
        "id": old["id"] if old else state.ids.object_id(),
        "name": body["name"],
        "select": body["select"],
        "where": body["where"],
        "whereLanguage": body["whereLanguage"],
        "orderBy": body["orderBy"],
        "sourceId": body["sourceId"],
        "tags": body["tags"],
        "filters": body["filters"],
        "teamId": state.team,
        "createdAt": old["createdAt"] if old else stamp,
        "updatedAt": stamp,
    }
