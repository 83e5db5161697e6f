"""A small YAML emitter for `-o yaml`, so that the CLI needs no YAML library.

It writes JSON data (dicts, lists, strings, numbers, booleans, None) as block YAML. A string is
written plain only when no YAML 1.1 or 1.2 reader could take it for anything but that string
(so never `yes`, `null`, `1e3`, `2024-01-01` or text with `: `); every other string is written
double-quoted with JSON's escapes, which are also YAML's. The output reads back, with PyYAML or
any other YAML reader, as exactly the data given.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["dump"]

# Letters first (so no number, date, or indicator such as - ? : # & * ! | > ' " % @ `), then
# letters, digits and a few punctuation marks that mean nothing to YAML inside a plain scalar.
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_./()+@-]*(?: [A-Za-z0-9_./()+@-]+)*$")
_RESERVED = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf"})


def dump(data: Any) -> str:
    """`data` as a YAML document, ending with a newline."""
    lines: list[str] = []
    _emit(data, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append(pad + "{}")
            return
        for key, item in value.items():
            head = f"{pad}{_scalar(str(key))}:"
            if isinstance(item, dict | list) and item:
                lines.append(head)
                _emit(item, indent + 2, lines)
            else:
                lines.append(f"{head} {_inline(item)}")
    elif isinstance(value, list):
        if not value:
            lines.append(pad + "[]")
            return
        for item in value:
            if isinstance(item, dict | list) and item:
                start = len(lines)
                _emit(item, indent + 2, lines)
                # The item's first line carries the dash: "- key: value", then its siblings below.
                lines[start] = f"{pad}- {lines[start][indent + 2 :]}"
            else:
                lines.append(f"{pad}- {_inline(item)}")
    else:
        lines.append(pad + _scalar(value))


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)
