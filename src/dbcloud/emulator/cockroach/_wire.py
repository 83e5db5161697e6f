"""CockroachDB Cloud's wire format, as the emulator speaks it: grpc-gateway errors, the request
field checks the gateway applies, query enums, timestamps and keyset page tokens."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from .._api import ApiError

# gRPC status codes by the HTTP status grpc-gateway answers them with.
GRPC_CODES = {
    400: 3,  # INVALID_ARGUMENT (FAILED_PRECONDITION is answered with 400 too)
    401: 16,  # UNAUTHENTICATED
    403: 7,  # PERMISSION_DENIED
    404: 5,  # NOT_FOUND
    405: 12,  # UNIMPLEMENTED: grpc-gateway's answer to a method a path does not take
    409: 6,  # ALREADY_EXISTS
    413: 3,
    429: 8,  # RESOURCE_EXHAUSTED
    500: 13,  # INTERNAL
    501: 12,
    502: 14,  # UNAVAILABLE
    503: 14,
    504: 4,  # DEADLINE_EXCEEDED
}

VERSION_HEADER = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# --- request checks -----------------------------------------------------------------------------

# The request objects of spec version 2024-09-16: field → a nested object, or the kind of its value
# ("str", "int", "bool", "int64" (a decimal string), "strs" (a list of strings), "labels" (strings
# by string), "nodes" (counts by region), "list" (checked by the generated model)). A "!" marks a
# required field. The generated models keep unknown keys rather than refusing them and let lists
# through where a scalar belongs, whereas the vendor's gateway refuses both (e.g. the guide's old
# `spendLimit`).
_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "str": ("a string", lambda v: isinstance(v, str)),
    "int": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "int64": (
        "an integer as a decimal string",
        lambda v: isinstance(v, str | int) and not isinstance(v, bool),
    ),
    "strs": ("a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v)),
    "labels": (
        "an object of strings",
        lambda v: isinstance(v, Mapping) and all(isinstance(i, str) for i in v.values()),
    ),
    "nodes": (
        "an object of node counts",
        lambda v: (
            isinstance(v, Mapping) and all(isinstance(i, int) and not isinstance(i, bool) for i in v.values())
        ),
    ),
    "list": ("a list", lambda v: isinstance(v, list)),
}


def without_nulls(data: Any) -> Any:
    """The body with JSON nulls left out: proto3 JSON reads a null as the field's default."""
    if isinstance(data, Mapping):
        return {key: without_nulls(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [without_nulls(item) for item in data]
    return data


def check_fields(data: Any, schema: Mapping[str, Any], where: str) -> None:
    """Refuse unknown fields, missing required ones and values of the wrong kind, as the gateway does."""
    if not isinstance(data, Mapping):
        raise ApiError(400, f"{where.rstrip('.') or 'the body'} must be a JSON object")
    fields = {key.rstrip("!"): kind for key, kind in schema.items()}
    for key in schema:
        if key.endswith("!") and key[:-1] not in data:
            raise ApiError(400, f"missing required field {where}{key[:-1]}")
    for key, value in data.items():
        if key not in fields:
            hint = " (replaced by usage_limits in API version 2024-09-16)" if "spend" in key.lower() else ""
            raise ApiError(400, f"unknown field {where}{key!r}{hint}")
        kind = fields[key]
        if isinstance(kind, Mapping):
            check_fields(value, kind, f"{where}{key}.")
            continue
        words, fits = _KINDS[kind]
        if not fits(value):
            raise ApiError(400, f"{where}{key} must be {words}")


def enum_param(
    query: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str | None
) -> str | None:
    value = query.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise ApiError(400, f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


DEFAULT_PAGE = 100  # assumption: the spec names no default page size
MAX_PAGE = 500

# --- keyset pages -------------------------------------------------------------------------------


# What each part of a sort key may be: a token whose key has other parts was not handed out here,
# and is refused whether or not there are rows to compare it with.
TEXT: tuple[type, ...] = (str,)
NUMBER: tuple[type, ...] = (int, float)


def keyset_page(
    rows: list[tuple[list[Any], Any]],
    query: Mapping[str, str],
    scope: str,
    kinds: tuple[tuple[type, ...], ...],
) -> tuple[list[Any], dict[str, str]]:
    """One page of `rows` (sort key, item) after the position `pagination.page` names.

    The token is opaque to clients: the scope and the sort key of the page's last item, so a page
    stays put when items are added or removed before it (keyset, not offset, pagination). `kinds`
    are the types each part of the listing's sort key has.
    """
    order = enum_param(query, "pagination.sort_order", ("ASC", "DESC"), "ASC")
    limit_text = query.get("pagination.limit")
    limit = int(limit_text) if limit_text else 0
    if limit < 0:
        raise ApiError(400, "pagination.limit must not be negative")
    limit = min(limit or DEFAULT_PAGE, MAX_PAGE)
    descending = order == "DESC"
    rows = sorted(rows, key=lambda row: row[0], reverse=descending)
    token = query.get("pagination.page")
    if token:
        after = _decode_token(token, scope, kinds)
        rows = [row for row in rows if (row[0] < after if descending else row[0] > after)]
    page = rows[:limit]
    pagination: dict[str, str] = {}
    if len(rows) > limit:
        pagination["next_page"] = _encode_token(scope, page[-1][0])
    return [item for _, item in page], pagination


def _encode_token(scope: str, key: list[Any]) -> str:
    raw = json.dumps([scope, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str, scope: str, kinds: tuple[tuple[type, ...], ...]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        found, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise ApiError(400, "pagination.page is not a page token this API handed out") from None
    if found != scope or not isinstance(key, list):
        raise ApiError(400, "pagination.page belongs to another listing or sort order")
    if len(key) != len(kinds) or any(
        isinstance(part, bool) or not isinstance(part, kind) for part, kind in zip(key, kinds, strict=False)
    ):
        raise ApiError(400, "pagination.page is not a page token this API handed out")
    return key
