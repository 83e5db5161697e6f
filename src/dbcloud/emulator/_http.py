"""The small request and response types the emulated APIs work with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["MAX_BODY", "EmuRequest", "EmuResponse", "json_response"]

MAX_BODY = 1 << 20  # 1 MiB: larger bodies are refused with 413 before they are parsed


@dataclass
class EmuRequest:
    method: str
    path: str  # below the API's prefix, e.g. "/cluster/42"
    query_string: bytes
    headers: dict[str, str]  # lower-case names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # path parameters, once routed

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True))

    @property
    def query_lists(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True):
            found.setdefault(key, []).append(value)
        return found

    def json(self) -> Any:
        """The body as JSON (None when empty). Raises ValueError when it is not JSON."""
        if not self.body:
            return None
        return json.loads(self.body)


@dataclass
class EmuResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0  # seconds to wait before answering (slow-response faults)
    reset: bool = False  # cut the connection mid-answer (connection-reset faults)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> EmuResponse:
    return EmuResponse(status, json.dumps(payload, separators=(",", ":")).encode(), dict(headers or {}))
