"""Loose JSON scalars read as Python values: what vendors send as numbers, or as numbers in text."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "as_bool", "as_int"]

_INTEGER = re.compile(r"[+-]?\d+")

TRUE_WORDS = frozenset({"true", "1", "yes", "on", "t", "y"})
"""Text read as true (lower-cased, stripped)."""
FALSE_WORDS = frozenset({"false", "0", "no", "off", "f", "n", ""})  # ACM sends "" for an unset flag
"""Text read as false (lower-cased, stripped)."""


def as_int(value: Any) -> int | None:
    """An integer from JSON: a number without a fraction, or one sent as decimal text ("21", "-3").

    ACM sends counts as text and CockroachDB sends int64 values as strings (the proto3 JSON rule).
    Booleans, fractions and anything else give None.
    """
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is str and value.isascii() and value.isdigit():  # the common text form, without a regex
        return int(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def as_bool(value: Any) -> bool | None:
    """A boolean from JSON: true/false, 0/1, or one of `TRUE_WORDS` / `FALSE_WORDS` as text.

    Anything else gives None.
    """
    if isinstance(value, bool):
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
    return None
