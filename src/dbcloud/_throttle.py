"""One client's pace: a shared request rate, and a pause every request of the client honours once
any of them is rate limited.

Vendors limit per user, not per connection: CockroachDB Cloud allows about 10 requests per second
per user, ClickHouse Cloud answers 429 with `Retry-After`. When 64 tasks share one async client and
one of them meets a 429, the others would meet one too; so a 429 holds the whole client until the
wait it asked for has passed ("back off together"), and `per_second` spaces the attempts so that
the limit is not reached at all. Without I/O: the retry loop (`_retry.retry_flow`) asks how long
an attempt must wait and turns that into a `Sleep` step, so the sync and async clients share it.
"""

from __future__ import annotations

import math
import threading

__all__ = ["Throttle"]


class Throttle:
    """The pace of one client's requests (every attempt, retries included).

    Args:
        per_second: the most attempts started per second; None for no limit (the default: only a
            429's pause then applies).

    Raises:
        ValueError: `per_second` is not a positive finite number.
    """

    __slots__ = ("_held_until", "_lock", "_next", "_per_second")

    def __init__(self, per_second: float | None = None) -> None:
        self._lock = threading.Lock()  # sync clients may be shared by threads
        self._next = 0.0  # the earliest time the next attempt may start
        self._held_until = 0.0
        self._per_second: float | None = None
        self.per_second = per_second

    @property
    def per_second(self) -> float | None:
        """The most attempts started per second, or None for no limit."""
        return self._per_second

    @per_second.setter
    def per_second(self, value: float | None) -> None:
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ValueError(f"per_second must be a positive number or None, got {value!r}")
        self._per_second = None if value is None else float(value)

    def reserve(self, now: float, waited_until: float = 0.0) -> float:
        """Take the next start slot: the seconds to wait before sending (0: send now).

        `waited_until` is a hold the caller has already waited out itself (the request whose 429
        set it pauses for its own retry), which it does not wait for twice.
        """
        with self._lock:
            held = self._held_until if self._held_until > waited_until else 0.0
            start = max(now, self._next, held)
            if self._per_second is not None:
                self._next = start + 1.0 / self._per_second
            return start - now

    def hold(self, until: float) -> float:
        """Hold every attempt of the client until `until` (a 429 asked to wait that long); gives
        the time the client is now held until."""
        with self._lock:
            self._held_until = max(self._held_until, until)
            return self._held_until

    def __repr__(self) -> str:
        return f"Throttle(per_second={self._per_second!r})"
