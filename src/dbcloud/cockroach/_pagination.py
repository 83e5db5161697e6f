"""CockroachDB Cloud's keyset pagination, read for the one pager (`dbcloud._pager`).

A list request takes `pagination.page` (a token; none for the first page), `pagination.limit` and
`pagination.as_of_time`; the answer's `pagination.next_page` is the token of the next page, and an
absent or empty one ends the walk. (The vendor's API guide, older than the spec, shows the field as
`next`, a number that is 0 on the last page; both spellings are read.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._errors import APIResponseError

__all__ = ["items_of", "next_page_token"]


def items_of(data: Any, key: str, *, what: str) -> list[Any]:
    """The list under `key` of a list answer ([] when the key is absent).

    Raises:
        APIResponseError: the answer is not an object, or `key` holds something else than a list.
    """
    if data is None:
        return []
    if not isinstance(data, Mapping):
        raise APIResponseError(f"CockroachDB Cloud answered a list of {what} with a {type(data).__name__}")
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise APIResponseError(f"CockroachDB Cloud sent {key!r} as a {type(value).__name__}, not a list")
    return value


def next_page_token(data: Any) -> str | None:
    """The token of the page after this answer, or None when it is the last."""
    pagination = data.get("pagination") if isinstance(data, Mapping) else None
    if not isinstance(pagination, Mapping):
        return None
    token = pagination.get("next_page", pagination.get("next"))
    # The guide's numeric `next` is 0 on the last page; the spec's string token is empty or absent.
    if token is None or isinstance(token, bool) or token in ("", 0):
        return None
    return str(token)
