"""Loose JSON scalars read as Python values: what vendors send as numbers, or as numbers in text."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["as_int"]

_INTEGER = re.compile(r"[+-]?\d+")


def as_int(value: Any) -> int | None:
    """An integer from JSON: a number without a fraction, or one sent as decimal text ("21", "-3").

    ACM sends counts as text and CockroachDB sends int64 values as strings (the proto3 JSON rule).
    Booleans, fractions and anything else give None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None
