"""Serving corpus answers through `httpx.MockTransport`, and the four drifts applied to them.

Each fixture is a small body we wrote ourselves in the shape a public third-party source shows;
its citation travels beside it in `Answer.source`, never inside the body the client reads.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

UNKNOWN = "state-added-later"  # an enum value no spec lists


@dataclass(frozen=True)
class Answer:
    """One real answer: where it is served, its body, and where its shape was seen."""

    path: str
    body: Any
    source: str
    status: int = 200


def transport(*answers: Answer) -> httpx.Client:
    """An HTTP client whose server answers each path with its corpus body (404 elsewhere).

    Its `MockTransport` is async-capable too, so `flavour.twin(...)` can carry it to the async client.
    """
    routes = {answer.path: answer for answer in answers}

    def handler(request: httpx.Request) -> httpx.Response:
        answer = routes.get(request.url.path)
        if answer is None:
            return httpx.Response(404, json={"error": f"no corpus answer at {request.url.path}"})
        return httpx.Response(
            answer.status,
            content=json.dumps(answer.body).encode(),
            headers={"Content-Type": "application/json"},
        )

    return httpx.Client(transport=httpx.MockTransport(handler))


def drifted(answer: Answer, where: Callable[[Any], dict[str, Any]], key: str, kind: str) -> Answer:
    """`answer` with one drift at `where(body)[key]`: unknown-enum, null, missing or text-number."""
    body = copy.deepcopy(answer.body)
    record = where(body)
    if kind == "unknown-enum":
        record[key] = UNKNOWN
    elif kind == "null":
        record[key] = None
    elif kind == "missing":
        del record[key]
    elif kind == "text-number":
        value = record[key]
        record[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    else:
        raise ValueError(kind)
    return Answer(answer.path, body, answer.source, answer.status)
