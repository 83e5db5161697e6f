"""Helpers for the Anywhere tests: a scripted GraphQL server and sample answers built from the models."""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from dbcloud_anywhere_client.names import FIELD_NAMES

TOKEN = "anywhere-tok-7c1e-do-not-leak"
BASE = "https://anywhere.altinity.cloud"
ENDPOINT = f"{BASE}/api/v1/graphql"

Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]


class Server:
    """A MockTransport handler: answers each request with the next reply and records them all.

    The last reply repeats once the script runs out, so a test scripts only what differs.
    """

    def __init__(self, *replies: Reply) -> None:
        self._replies: Iterator[Reply] = iter(replies)
        self._last: Reply = httpx.Response(200, json={"data": {}})
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self._last = next(self._replies, self._last)
        reply = self._last(request) if callable(self._last) else self._last
        # A fresh response each time: the client's layers take over the one they are handed (its
        # stream), so a reply that repeats, or a module's constant, must not be that one object.
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies of the requests, in order."""
        return [json.loads(request.content) for request in self.requests]

    def http_client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def data(**fields: Any) -> httpx.Response:
    """A successful GraphQL answer."""
    return httpx.Response(200, json={"data": fields})


def errors(*messages: str, code: str | None = None, status: int = 200, **extra: Any) -> httpx.Response:
    """A GraphQL answer listing errors (each with `code` as its extensions.code when given)."""
    listed = [{"message": m, **({"extensions": {"code": code}} if code else {})} for m in messages]
    return httpx.Response(status, json={"errors": listed, "data": None, **extra})


def sample(cls: type[Any], **overrides: Any) -> dict[str, Any]:
    """A JSON object of model `cls` with every required field filled in (GraphQL names).

    `overrides` are set on top, by GraphQL name.
    """
    hints = typing.get_type_hints(cls)
    renamed = FIELD_NAMES.get(cls.__name__, {})
    out: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            out[renamed.get(field.name, field.name)] = _value(hints[field.name])
    out.update(overrides)
    return out


def _value(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _value(next(arg for arg in typing.get_args(hint) if arg is not type(None)))
    if origin is list:
        return []
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return sample(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint)).value
    return {bool: False, int: 1, float: 1.5}.get(hint, "x")
