"""The emulator's clock: real time sped up, so a ten-minute launch takes seconds in a test."""

from __future__ import annotations

import math
import threading
import time

__all__ = ["EmulatedClock"]


class EmulatedClock:
    """Emulated seconds since start: real elapsed time times `speed`, plus manual advances.

    Args:
        speed: emulated seconds per real second (60: a 5-minute launch takes 5 real seconds).
    """

    def __init__(self, speed: float = 60.0) -> None:
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed must be a positive number, got {speed!r}")
        self.speed = speed
        self._start = time.monotonic()
        self._offset = 0.0
        self._paused_at: float | None = None
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now()

    def _now(self) -> float:
        if self._paused_at is not None:
            return self._paused_at
        return (time.monotonic() - self._start) * self.speed + self._offset

    def pause(self) -> None:
        """Stop the clock where it is: lifecycles stand still until `resume` (or `advance`).

        At high speeds a lifecycle ends between two requests of a test (at 3,000x a launch takes
        0.1 s), so a test that must see a state in between pauses the clock first.
        """
        with self._lock:
            if self._paused_at is None:
                self._paused_at = self._now()

    def resume(self) -> None:
        """Let the clock run again from the time it was paused at."""
        with self._lock:
            if self._paused_at is not None:
                self._start = time.monotonic()
                self._offset = self._paused_at
                self._paused_at = None

    def advance(self, seconds: float) -> None:
        """Jump ahead (tests use this to finish lifecycles at once).

        Raises:
            ValueError: `seconds` is negative, NaN or infinite (the clock is left as it was: a
                clock that went back or became NaN would leave every lifecycle stuck).
        """
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError(f"seconds must be a number, got {type(seconds).__name__}")
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"seconds must be a finite number of 0 or more, got {seconds!r}")
        with self._lock:
            if self._paused_at is not None:
                self._paused_at += seconds
            else:
                self._offset += seconds
