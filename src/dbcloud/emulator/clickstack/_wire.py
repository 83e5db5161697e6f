"""The shapes of the emulated ClickStack APIs: its resources and operation names, timestamps, the
messages of a missing object, and OSS list pages (`{data, meta}`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from .._api import ApiError
from .._http import EmuRequest, EmuResponse, json_response

__all__ = ["MAX_PAGE", "NOT_FOUND", "PAGED", "RESOURCES", "VERBS", "iso_time", "operations", "page"]

# State kind, singular and plural as the generated operation names spell them.
RESOURCES = (
    ("dashboards", "dashboard", "dashboards"),
    ("alerts", "alert", "alerts"),
    ("sources", "source", "sources"),
    ("webhooks", "webhook", "webhooks"),
    ("savedSearches", "saved_search", "saved_searches"),
)
VERBS = ("list", "get", "create", "update", "delete")
NOT_FOUND = {
    "dashboards": "Dashboard not found",
    "alerts": "Alert not found",
    "sources": "Source not found",
    "webhooks": "Webhook not found",
    "savedSearches": "Saved search not found",
}
PAGED = ("alerts", "webhooks", "savedSearches")  # OSS lists that page with limit/offset and meta
MAX_PAGE = 1000


def iso_time(seconds: float) -> str:
    """A Unix time as ISO 8601 in UTC with milliseconds, as both APIs write timestamps."""
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def operations(name: Callable[[str, str], str]) -> Iterator[tuple[str, str, str]]:
    """(operation name, state kind, verb) for every resource operation; `name(plural, verb_noun)`
    spells an operation the way one generated package does."""
    for kind, singular, plural in RESOURCES:
        for verb in VERBS:
            yield name(plural, f"{verb}_{plural if verb == 'list' else singular}"), kind, verb


def page(request: EmuRequest, items: list[dict[str, Any]]) -> EmuResponse:
    """One OSS list page: `limit`/`offset` checked, `meta` with the total."""
    query = request.query
    limit = int(query.get("limit", MAX_PAGE))
    offset = int(query.get("offset", 0))
    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(400, f"limit must be between 1 and {MAX_PAGE}")
    if offset < 0:
        raise ApiError(400, "offset must be 0 or more")
    meta = {"total": len(items), "limit": limit, "offset": offset}
    return json_response(200, {"data": items[offset : offset + limit], "meta": meta})
