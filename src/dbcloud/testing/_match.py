"""How a replayed request is matched to a recorded one: method, path, query and body.

vcrpy compares bodies as bytes (or as parsed JSON, with a text diff). A facade that now sends a
field under another name, or another value, should fail its replay with a message that says which
field changed, so `json_body` compares parsed JSON (and form bodies, field by field) and names the
differing paths. A JSON body never matches a form with the same fields: what the vendor is sent
includes how.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

__all__ = ["MATCH_ON", "json_body"]

MATCH_ON = ("method", "path", "query", "json_body")
_SHOWN = 8  # differences listed before "... and N more"


def json_body(sent: Any, recorded: Any) -> None:
    """vcrpy matcher: raises AssertionError naming each difference between the two bodies."""
    (left_kind, left), (right_kind, right) = _parsed(sent.body), _parsed(recorded.body)
    if left_kind == right_kind and left == right:
        return
    if left_kind != right_kind or left_kind == "bytes":
        raise AssertionError(
            f"body differs: sent {left_kind} {_preview(left)}, recorded {right_kind} {_preview(right)}"
        )
    differences = list(_differences(left, right, "$"))
    shown = differences[:_SHOWN]
    if len(differences) > _SHOWN:
        shown.append(f"... and {len(differences) - _SHOWN} more")
    raise AssertionError(f"{left_kind} body differs:\n  " + "\n  ".join(shown))


def _parsed(body: bytes | str | None) -> tuple[str, Any]:
    """The body's kind ("JSON", "form", "bytes" or "no body") and its data."""
    if body is None or body in (b"", ""):
        return "no body", None
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    try:
        return "JSON", json.loads(raw)
    except ValueError:
        pass
    try:
        fields = urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return "bytes", raw
    return "form", {name: value for name, value in fields}


def _differences(sent: Any, recorded: Any, path: str) -> Iterator[str]:
    if isinstance(sent, dict) and isinstance(recorded, dict):
        for key in sorted(set(sent) | set(recorded), key=str):
            where = f"{path}.{key}"
            if key not in recorded:
                yield f"{where}: sent {_preview(sent[key])}, not in the recording"
            elif key not in sent:
                yield f"{where}: recorded {_preview(recorded[key])}, not sent"
            else:
                yield from _differences(sent[key], recorded[key], where)
    elif isinstance(sent, list) and isinstance(recorded, list) and len(sent) == len(recorded):
        for index, (a, b) in enumerate(zip(sent, recorded, strict=True)):
            yield from _differences(a, b, f"{path}[{index}]")
    elif sent != recorded:
        yield f"{path}: sent {_preview(sent)}, recorded {_preview(recorded)}"


def _preview(value: Any) -> str:
    text = repr(value) if isinstance(value, bytes) else json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."
