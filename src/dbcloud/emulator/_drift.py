"""Drift: make an emulated API answer as the real servers do where they differ from their spec.

Real answers carry enum values the spec never listed, `null` where the spec has a value, leave out
fields the spec marks required, and send numbers and booleans as text. A drift plan per API (set at
start with `running(drift=...)` or through the control endpoint `POST /_emulator/drift`) rewrites
the API's successful JSON answers that way, so code can be tested against it. Errors, non-JSON
answers and the vendors' envelopes (`{"status", "requestId", "result"}`, `{"data", "error"}`,
GraphQL's `{"data"}`) are left alone: drift applies to *records*, the objects with an `id` or a
`name`, and to everything inside them.

Kinds, applied in this order when several are set:

    missing       a record keeps only its `id`, `name` and state field; every other field is left out
    null          every field of a record but its `id`, `name` and state field is `null`
    unknown-enum  every text state field (`state`, `status`, `kind`, `service`, `interval`, ...)
                  reads `drift-unknown` (`DRIFT_UNKNOWN` where the value was upper case)
    text-number   every number is sent as text (`42` → `"42"`), every boolean as `"true"`/`"false"`

A plan fires for every answer, or at random with probability `rate` (seeded, like the faults, so a
run is repeatable). With no plan an API's answers are exactly what they are without drift.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ._http import EmuResponse

__all__ = ["DRIFT_KINDS", "UNKNOWN_ENUM_VALUE", "Drift", "DriftPlan", "drift_payload"]

DRIFT_KINDS = ("missing", "null", "unknown-enum", "text-number")
UNKNOWN_ENUM_VALUE = "drift-unknown"

# Fields that hold a vendor's enum-like state word, across the five APIs.
STATE_KEYS = frozenset(
    {
        "state",
        "status",
        "kind",
        "service",
        "interval",
        "thresholdType",
        "operation_status",
        "upgrade_status",
        "plan",
        "tier",
    }
)
_IDENTITY = frozenset({"id", "name"})


@dataclass
class Drift:
    """One API's drift plan.

    Attributes:
        kinds: which deviations to apply (see `DRIFT_KINDS`).
        rate: probability per answer in [0, 1] (1: every answer drifts).
    """

    kinds: tuple[str, ...]
    rate: float = 1.0

    def __post_init__(self) -> None:
        kinds = (self.kinds,) if isinstance(self.kinds, str) else tuple(self.kinds)
        unknown = [kind for kind in kinds if kind not in DRIFT_KINDS]
        if unknown or not kinds:
            raise ValueError(f"unknown drift kinds {unknown or kinds}; known: {', '.join(DRIFT_KINDS)}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        # Always applied in the documented order, whatever order they were given in.
        self.kinds = tuple(kind for kind in DRIFT_KINDS if kind in kinds)

    @classmethod
    def of(cls, value: Drift | Iterable[str] | str) -> Drift:
        """A plan from a `Drift`, a kind, or a list of kinds."""
        if isinstance(value, Drift):
            return value
        return cls(tuple([value] if isinstance(value, str) else value))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Drift:
        known = {"kinds", "rate"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown drift fields {unknown}; known: {sorted(known)}")
        kinds = data.get("kinds")
        if not isinstance(kinds, list | str):
            raise ValueError("kinds must be a list of drift kinds")
        return cls(tuple([kinds] if isinstance(kinds, str) else kinds), float(data.get("rate", 1.0)))

    def to_dict(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds), "rate": self.rate}


class DriftPlan:
    """The drift of one API, applied to each successful JSON answer."""

    def __init__(self, seed: int = 0) -> None:
        self.drift: Drift | None = None
        self._random = random.Random(seed)  # noqa: S311 - drift draws, not cryptography
        self._lock = threading.Lock()
        self.drifted = 0

    def set(self, drift: Drift | None) -> None:
        with self._lock:
            self.drift = drift

    def clear(self) -> None:
        self.set(None)

    def apply(self, response: EmuResponse) -> EmuResponse:
        """The answer as the drifting server sends it (the same object when nothing drifts)."""
        with self._lock:
            drift = self.drift
            if drift is None or not 200 <= response.status < 300 or not response.body:
                return response
            if "json" not in response.content_type or response.reset:
                return response
            if drift.rate < 1.0 and self._random.random() >= drift.rate:
                return response
            self.drifted += 1
        try:
            payload = json.loads(response.body)
        except ValueError:
            return response
        response.body = json.dumps(drift_payload(payload, drift.kinds), separators=(",", ":")).encode()
        return response


def drift_payload(payload: Any, kinds: Iterable[str]) -> Any:
    """`payload` rewritten with the given drift kinds (a new value; the input is not changed)."""
    return _walk(payload, tuple(kinds), inside=False)


def _walk(value: Any, kinds: tuple[str, ...], *, inside: bool) -> Any:
    if isinstance(value, list):
        return [_walk(item, kinds, inside=inside) for item in value]
    if isinstance(value, dict):
        record = inside or bool(_IDENTITY & value.keys())
        if not record:
            return {key: _walk(item, kinds, inside=False) for key, item in value.items()}
        return {key: _field(key, item, kinds) for key, item in _fields(value, kinds)}
    if inside:
        return _scalar(None, value, kinds)
    return value


def _fields(record: dict[str, Any], kinds: tuple[str, ...]) -> Iterable[tuple[str, Any]]:
    if "missing" not in kinds:
        return record.items()
    return [(key, item) for key, item in record.items() if key in _IDENTITY or key in STATE_KEYS]


def _field(key: str, value: Any, kinds: tuple[str, ...]) -> Any:
    if "null" in kinds and key not in _IDENTITY and key not in STATE_KEYS:
        return None
    if isinstance(value, dict | list):
        return _walk(value, kinds, inside=True)
    return _scalar(key, value, kinds)


def _scalar(key: str | None, value: Any, kinds: tuple[str, ...]) -> Any:
    if "unknown-enum" in kinds and key in STATE_KEYS and isinstance(value, str) and value:
        return UNKNOWN_ENUM_VALUE.upper().replace("-", "_") if value.isupper() else UNKNOWN_ENUM_VALUE
    if "text-number" in kinds:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
    return value
