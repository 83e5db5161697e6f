"""Helpers for running the reliability tests on both flavours (sync and async clients)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx

from dbcloud.emulator import Emulator, running
from tests._bridge import Blocking, DualWire, Flavour

__all__ = ["EmulatorPerFlavour", "behind", "http_over"]


@contextmanager
def http_over(wire: DualWire, flavour: Flavour) -> Iterator[httpx.Client]:
    """An `httpx.Client` over `wire`, to pass as a client's `http_client` (`flavour.twin` swaps it
    for an `httpx.AsyncClient` over the same wire). At exit both of the wire's connection pools are
    closed, the async one on the flavour's loop, so no socket outlives the test."""
    with httpx.Client(transport=wire) as http:
        try:
            yield http
        finally:
            if flavour.loop is not None:
                flavour.loop.run_until_complete(wire.aclose())


def behind(value: object) -> object:
    """The async object behind a `Blocking` stand-in (what an async user holds), else `value`."""
    return value.target if isinstance(value, Blocking) else value


class EmulatorPerFlavour:
    """One emulator per flavour, started on first use and stopped at `close`: tests that build on
    each other's state (names made once per emulator) see the same state on either flavour."""

    def __init__(self) -> None:
        self._running = ExitStack()
        self._emulators: dict[str, Emulator] = {}

    def of(self, flavour: Flavour) -> Emulator:
        if flavour.name not in self._emulators:
            self._emulators[flavour.name] = self._running.enter_context(running(speed=1))
        return self._emulators[flavour.name]

    def close(self) -> None:
        self._running.close()
