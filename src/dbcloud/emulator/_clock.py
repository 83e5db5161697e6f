"""The emulator's clock: real time sped up, so a ten-minute launch takes seconds in a test."""

from __future__ import annotations

import threading
import time

__all__ = ["EmulatedClock"]


class EmulatedClock:
    """Emulated seconds since start: real elapsed time times `speed`, plus manual advances.

    Args:
        speed: emulated seconds per real second (60: a 5-minute launch takes 5 real seconds).
    """

    def __init__(self, speed: float = 60.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return (time.monotonic() - self._start) * self.speed + self._offset

    def advance(self, seconds: float) -> None:
        """Jump ahead (tests use this to finish lifecycles at once)."""
        with self._lock:
            self._offset += seconds
