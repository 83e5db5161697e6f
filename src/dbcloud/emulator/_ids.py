"""Seeded identifiers and secrets for the emulated APIs.

The emulator's ids and secrets only need to look like the vendors' and be unique; they do not need
to be unpredictable. Drawing them from a seeded generator makes a fresh emulator answer the same
sequence of requests with the same ids, so recorded HTTP cassettes can be re-recorded byte for byte
(apart from timestamps).
"""

from __future__ import annotations

import base64
import itertools
import random
import string
import threading
import uuid

__all__ = ["IdSource"]

_ALPHANUMERIC = string.ascii_letters + string.digits
# The timestamp part of every ObjectId: fixed, so ids do not depend on the wall clock.
_OBJECT_ID_TIME = 0x65F5E4A3


class IdSource:
    """A repeatable stream of ids and secrets, from a seed (a str or an int).

    Each emulated API has its own source (seeded with "<api prefix>:<seed>"), so one API's traffic
    does not shift another's ids. The generator is behind a lock: handlers run under their
    service's lock, but some answers (errors, injected faults) are built outside it.
    """

    def __init__(self, seed: str | int = 0) -> None:
        self.seed = seed
        # A str seed is hashed with SHA-512 by `random.Random`, not with `hash()`, so it gives the
        # same stream in every process whatever PYTHONHASHSEED is.
        self._random = random.Random(seed)  # noqa: S311 - emulator ids, not cryptography
        self._lock = threading.Lock()
        # ObjectIds are time, a per-process random value and a counter (MongoDB's layout): the
        # counter keeps them unique and in creation order, as the real ones roughly are.
        self._process = self._random.getrandbits(40)
        self._counter = itertools.count(1)

    def child(self, label: str) -> IdSource:
        """An independent source for one part of a service: drawing from it leaves this stream
        alone, and the same label always starts the same stream."""
        return IdSource(f"{self.seed}/{label}")

    def uuid4(self) -> str:
        """A random-looking UUID with the version 4 and variant bits set, as `uuid.uuid4()` has."""
        with self._lock:
            bits = self._random.getrandbits(128)
        return str(uuid.UUID(int=bits, version=4))

    def token_bytes(self, nbytes: int) -> bytes:
        with self._lock:
            return self._random.randbytes(nbytes)

    def token_hex(self, nbytes: int) -> str:
        """2 × `nbytes` hex digits, like `secrets.token_hex`."""
        return self.token_bytes(nbytes).hex()

    def token_urlsafe(self, nbytes: int) -> str:
        """`nbytes` as unpadded URL-safe base64, like `secrets.token_urlsafe`."""
        return base64.urlsafe_b64encode(self.token_bytes(nbytes)).rstrip(b"=").decode("ascii")

    def alphanumeric(self, length: int) -> str:
        """`length` ASCII letters and digits."""
        with self._lock:
            return "".join(self._random.choices(_ALPHANUMERIC, k=length))

    def object_id(self) -> str:
        """A MongoDB-style ObjectId as ClickStack hands out: 24 hex digits (4 + 5 + 3 bytes)."""
        with self._lock:
            count = next(self._counter) % (1 << 24)
        return f"{_OBJECT_ID_TIME:08x}{self._process:010x}{count:06x}"
