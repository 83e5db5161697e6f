"""ACM's wire format, as the emulator reads it: counts and flags in JSON bodies or form fields
(numbers as JSON numbers or digit text, flags as JSON booleans or "true"/"false")."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["as_bool", "as_count"]

_BOOL_TEXT = {"true": True, "false": False}
_DIGITS = re.compile(r"^\d+$")


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return _BOOL_TEXT.get(value.strip().lower()) if isinstance(value, str) else None


def as_count(value: Any) -> int | None:
    # ACM takes counts as JSON numbers or as digit text ("2"), never as 2.5 or true.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.match(value.strip()):
        return int(value)
    return None
