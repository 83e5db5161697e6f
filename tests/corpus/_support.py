"""Serving corpus answers through `httpx.MockTransport`, and the four drifts applied to them.

Each fixture is a small body we wrote ourselves in the shape a public third-party source shows;
its citation travels beside it in `Answer.source`, never inside the body the client reads.
"""

from __future__ import annotations

import copy
import importlib
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

import dbcloud

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


def every_drift(answer: Answer) -> list[tuple[str, Answer]]:
    """`answer` with each of the four drifts applied, one at a time, to every scalar field of every
    object in its body (an unknown enum value to text fields only, text for numbers and booleans
    only): (a label naming the field and the drift, the drifted answer)."""
    found: list[tuple[str, Answer]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*path, index))
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if isinstance(value, dict | list):
                walk(value, (*path, key))
                continue
            kinds = ["null", "missing"] if value is not None else ["missing"]
            if isinstance(value, str):
                kinds.append("unknown-enum")
            if isinstance(value, int | float):  # booleans too
                kinds.append("text-number")

            def where(body: Any, path: tuple[Any, ...] = path) -> dict[str, Any]:
                for step in path:
                    body = body[step]
                return body  # type: ignore[no-any-return]

            label = "/".join(str(step) for step in (*path, key))
            found.extend((f"{kind} {label}", drifted(answer, where, key, kind)) for kind in kinds)

    walk(answer.body, ())
    return found


class FakeClock:
    """Monotonic time that a client's pauses advance, so a wait that a drift keeps from ending
    reaches its deadline at once."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _generated() -> list[ModuleType]:
    names = ("acm", "anywhere", "clickhouse", "clickstack_oss", "cockroach")
    return [importlib.import_module(f"dbcloud_{name}_client") for name in names]


_OURS = (Path(dbcloud.__file__).parent, *(Path(module.__file__).parent for module in _generated()))


def untyped_failure(read: Callable[[Any], None], client: Any) -> str | None:
    """What `read(client)` raised from dbcloud's own code (the facade or a generated client) that is
    not a dbcloud error, or None. The values `read` expects may differ under a drift (its own
    assertions and unpacking are not counted); an exception from dbcloud must be a `DBCloudError`.
    """
    try:
        read(client)
    except dbcloud.DBCloudError:
        return None
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        origin = Path(frames[-1].filename) if frames else None
        if origin is not None and any(origin.is_relative_to(root) for root in _OURS):
            return f"{type(exc).__name__}: {exc} ({origin.name}:{frames[-1].lineno})"
    return None


def drift_failures(
    answer: Answer, connect: Callable[[Answer], Any], flavour: Any, read: Callable[[Any], None]
) -> list[str]:
    """`read` over `answer` under each of its drifts (`every_drift`), through a client `connect`
    makes of each, with waits on a `FakeClock`: the untyped failures, labelled by field and drift."""
    failures = []
    for label, bent in every_drift(answer):
        with connect(bent) as client:
            clock = FakeClock()
            client._clock = clock
            flavour.set_sleep(client, clock.sleep)
            if (failure := untyped_failure(read, client)) is not None:
                failures.append(f"{label}: {failure}")
    return failures
