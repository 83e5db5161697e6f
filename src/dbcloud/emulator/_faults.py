"""Fault injection: make an emulated API rate-limit, fail, reset or slow down, by rate or N times.

Faults are configured per API at start (`running(faults=...)`) or through the control endpoint
(`POST /_emulator/faults`). A rule fires for the next `count` requests, or at random with
probability `rate` (from a seeded generator, so a test run is repeatable).
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass
from typing import Any

from ._http import EmuResponse

__all__ = ["FAULT_KINDS", "Fault", "FaultPlan", "fault_response"]

FAULT_KINDS = ("429", "500", "502", "503", "504", "reset", "slow")


@dataclass
class Fault:
    """One fault rule.

    Attributes:
        kind: "429", "500", "502", "503", "504", "reset" or "slow".
        count: fire for the next N matching requests (None: use `rate`).
        rate: probability per request in [0, 1] (when `count` is None).
        retry_after: for 429: the Retry-After seconds sent (None: send X-RateLimit-Reset instead).
        reset_after: for 429 without Retry-After: X-RateLimit-Reset as seconds to wait, or as a Unix
            time when `reset_epoch` is true (ClickHouse clients read it both ways).
        delay: for "slow": seconds to wait before answering.
        methods: only requests with these methods (None: any).
    """

    kind: str
    count: int | None = 1
    rate: float = 0.0
    retry_after: float | None = 1.0
    reset_after: float = 1.0
    reset_epoch: bool = False
    delay: float = 0.5
    methods: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {', '.join(FAULT_KINDS)}")
        # Every number is checked here, where the rule is made, so that a bad one is refused
        # (400 at the control endpoint) instead of breaking requests later.
        if self.count is not None and (_not_number(self.count, whole=True) or self.count < 0):
            raise ValueError(f"count must be a whole number of 0 or more, got {self.count!r}")
        if _not_number(self.rate) or not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"rate must be a number between 0 and 1, got {self.rate!r}")
        for name in ("retry_after", "reset_after", "delay"):
            value = getattr(self, name)
            if value is None and name == "retry_after":
                continue
            if _not_number(value) or value < 0:
                raise ValueError(f"{name} must be a finite number of 0 or more, got {value!r}")
        if self.methods is not None and not all(isinstance(m, str) for m in self.methods):
            raise ValueError(f"methods must be HTTP method names, got {list(self.methods)!r}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fault:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault fields {unknown}; known: {sorted(known)}")
        methods = data.get("methods")
        if methods is not None and (
            not isinstance(methods, list | tuple) or not all(isinstance(m, str) for m in methods)
        ):
            raise ValueError(f"methods must be a list of HTTP method names, got {methods!r}")
        return cls(**{**data, "methods": tuple(m.upper() for m in methods) if methods else None})


def _not_number(value: Any, *, whole: bool = False) -> bool:
    """Whether `value` is not a finite number (booleans are not numbers here; NaN is not finite)."""
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
        return True
    return not math.isfinite(value)


class FaultPlan:
    """The fault rules of one API, consulted before each request is handled."""

    def __init__(self, seed: int = 0) -> None:
        self._rules: list[Fault] = []
        self._random = random.Random(seed)  # noqa: S311 - fault draws, not cryptography
        self._lock = threading.Lock()
        self.injected = 0

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._rules.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def draw(self, method: str, now: float) -> Fault | None:
        """The fault to apply to this request, if any (count-based rules are used up)."""
        with self._lock:
            for rule in self._rules:
                if rule.methods and method not in rule.methods:
                    continue
                if rule.count is not None:
                    if rule.count > 0:
                        rule.count -= 1
                        self.injected += 1
                        return rule
                elif self._random.random() < rule.rate:
                    self.injected += 1
                    return rule
            self._rules = [r for r in self._rules if r.count is None or r.count > 0]
        return None


def fault_response(fault: Fault, wall_now: float, error: EmuResponse) -> EmuResponse:
    """The answer a fault gives; `error` is the API's own error answer for the status."""
    if fault.kind == "slow":
        raise AssertionError("slow faults delay the real answer; they have no answer of their own")
    if fault.kind == "reset":
        return EmuResponse(200, b'{"partial": ', {}, reset=True)
    if fault.kind == "429":
        headers = dict(error.headers)
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        else:
            reset = wall_now + fault.reset_after if fault.reset_epoch else fault.reset_after
            headers["X-RateLimit-Reset"] = f"{reset:.0f}" if fault.reset_epoch else f"{reset:g}"
        return EmuResponse(429, error.body, headers, error.content_type)
    return error
