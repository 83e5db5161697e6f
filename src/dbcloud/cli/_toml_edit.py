"""Change one `[profile.api]` table of a TOML profile file, keeping the rest of the text as it is.

The standard library reads TOML but does not write it, and the profile file is the user's: its
other profiles, its comments and its layout must survive `dbcloud configure`. So the file is edited
as text, line by line: a key's line is replaced or removed, new keys go after the table's last one,
a missing table is appended. Only strings, whole numbers, numbers and booleans are ever written.

Every edit is checked by reading the result back with `tomllib`: it must be exactly the old document
with the one table changed. A layout the line editor does not understand (the table written as
dotted keys or an inline table, a key spread over several lines) fails that check and is refused
with `EditError`, never written half right.
"""

from __future__ import annotations

import copy
import math
import re
import tomllib
from collections.abc import Mapping

__all__ = ["EditError", "Value", "edit_table", "key", "value"]

Value = str | int | float | bool

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


class EditError(Exception):
    """The file's layout cannot be edited safely as text (the message says why)."""


def key(name: str) -> str:
    """`name` as a TOML key: bare when it can be, else a quoted string."""
    return name if _BARE.match(name) else _string(name)


def value(item: Value) -> str:
    """`item` as a TOML value."""
    if isinstance(item, bool):  # before int: a bool is an int to Python
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        if math.isinf(item):
            return "inf" if item > 0 else "-inf"
        text = repr(item)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(item, str):
        return _string(item)
    raise TypeError(f"cannot write a {type(item).__name__} to the profile file")


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def edit_table(
    text: str, path: tuple[str, str], changes: Mapping[str, Value | None]
) -> tuple[str, dict[str, object]]:
    """`text` with the table at `path` (profile, api) changed: each key of `changes` set to its
    value, or removed when it is None.

    Args:
        text: the file's current text ("" for a new file); it must be valid TOML.
        path: the table, e.g. ("default", "acm").
        changes: keys to set (str, int, float, bool) or to remove (None).

    Returns:
        The new text and the document it reads as.

    Raises:
        tomllib.TOMLDecodeError: `text` is not valid TOML.
        EditError: the table is laid out in a way this editor does not change (see the module).
    """
    document = tomllib.loads(text)
    if not any(item is not None for item in changes.values()) and not _has_table(document, path):
        return text, document  # nothing to remove from a table that is not there
    expected = _applied(document, path, changes)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    start, end = _section(lines, path)
    if start is None:
        added = [f"{key(name)} = {value(item)}\n" for name, item in changes.items() if item is not None]
        if added:
            if lines and lines[-1].strip():
                lines.append("\n")
            lines += [f"[{key(path[0])}.{key(path[1])}]\n", *added]
    else:
        lines = _edit_section(lines, start, end, changes)
    result = "".join(lines)
    try:
        written = tomllib.loads(result)
    except tomllib.TOMLDecodeError:
        written = None
    if written != expected:
        where = f"[{key(path[0])}.{key(path[1])}]"
        raise EditError(
            f"{where} is written in a layout that cannot be changed safely here (dotted keys, an "
            f"inline table, or a value over several lines): write it as a {where} table with one "
            "key = value per line, or edit it by hand"
        )
    return result, written


def _has_table(document: dict[str, object], path: tuple[str, str]) -> bool:
    profile = document.get(path[0])
    return isinstance(profile, dict) and path[1] in profile


def _applied(
    document: dict[str, object], path: tuple[str, str], changes: Mapping[str, Value | None]
) -> dict[str, object]:
    """What the document must read as after the edit."""
    result = copy.deepcopy(document)
    profile = result.setdefault(path[0], {})
    if not isinstance(profile, dict):
        raise EditError(f"{key(path[0])} is not a table in the profile file")
    table = profile.setdefault(path[1], {})
    if not isinstance(table, dict):
        raise EditError(f"{key(path[0])}.{key(path[1])} is not a table in the profile file")
    for name, item in changes.items():
        if item is None:
            table.pop(name, None)
        else:
            table[name] = item
    return result


def _header(line: str) -> list[str] | None:
    """The key path of a `[table]` header line, or None when the line is not one."""
    stripped = line.strip()
    if not stripped.startswith("[") or stripped.startswith("[["):
        return None
    try:
        parsed = tomllib.loads(stripped)
    except tomllib.TOMLDecodeError:
        return None
    found: list[str] = []
    node: object = parsed
    while isinstance(node, dict) and len(node) == 1:
        name, node = next(iter(node.items()))
        found.append(name)
    return found if node == {} else None


def _is_header(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("[") and (stripped.startswith("[[") or _header(line) is not None)


def _section(lines: list[str], path: tuple[str, str]) -> tuple[int | None, int]:
    """The index of the table's header line and of the line after its last, or (None, 0)."""
    for index, line in enumerate(lines):
        if _header(line) == list(path):
            end = index + 1
            while end < len(lines) and not _is_header(lines[end]):
                end += 1
            return index, end
    return None, 0


def _key_of(line: str) -> str | None:
    """The key a `key = value` line sets, or None for any other line."""
    try:
        parsed = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    if len(parsed) != 1:
        return None
    name, item = next(iter(parsed.items()))
    return None if isinstance(item, dict) else name


def _comment(line: str) -> str:
    """The line's trailing comment (" # ..."), or ""; a # inside a string is not one."""
    body = line.rstrip("\r\n")
    whole = tomllib.loads(body)
    for match in re.finditer("#", body):
        before = body[: match.start()]
        try:
            if tomllib.loads(before) == whole:
                return "  " + body[match.start() :]
        except tomllib.TOMLDecodeError:
            continue
    return ""


def _edit_section(lines: list[str], start: int, end: int, changes: Mapping[str, Value | None]) -> list[str]:
    pending = dict(changes)
    body: list[str] = []
    for line in lines[start + 1 : end]:
        name = _key_of(line)
        if name is not None and name in pending:
            item = pending.pop(name)
            if item is not None:
                indent = line[: len(line) - len(line.lstrip())]
                body.append(f"{indent}{key(name)} = {value(item)}{_comment(line)}\n")
            continue
        body.append(line)
    added = [f"{key(name)} = {value(item)}\n" for name, item in pending.items() if item is not None]
    # New keys go after the table's last key, before the blank lines and comments leading to the next.
    last = max((i for i, line in enumerate(body) if _key_of(line) is not None), default=-1)
    body[last + 1 : last + 1] = added
    return [*lines[: start + 1], *body, *lines[end:]]
