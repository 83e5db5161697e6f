"""Live progress of a wait: state and elapsed time on one redrawn line, on a terminal only.

When stderr is not a terminal (a pipe, a file, CI), nothing is written: scripts see the result on
stdout and nothing else.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._wait import Progress
    from ._console import Console

__all__ = ["ProgressLine", "elapsed"]

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ASCII_FRAMES = "|/-\\"
_REDRAW = 0.1  # seconds between redraws: the elapsed time moves even while a poll is pending


def elapsed(seconds: float) -> str:
    """A duration for people: 4.2s, 3m 05s."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m {rest:02d}s"


class ProgressLine:
    """A context manager showing "⠋ <what>: <state> · 12.3s" while a wait runs.

    Args:
        console: where to draw (its stderr).
        what: the resource waited for ("ACM cluster 1001").
        enabled: draw at all (the caller decides: stderr is a terminal).
        clock: monotonic seconds (a parameter for tests).
    """

    def __init__(
        self,
        console: Console,
        what: str,
        *,
        enabled: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._console = console
        self._what = what
        self._enabled = enabled
        self._clock = clock
        self._state = "waiting"
        self._started = clock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._frame = 0
        stream = console.stderr
        unicode = console.unicode(stream)
        self._frames = _FRAMES if unicode else _ASCII_FRAMES
        self._dot, self._more = (" · ", "…") if unicode else (" - ", "...")

    def update(self, progress: Progress) -> None:
        """Take a poll's outcome (the `on_progress` callback of the facades' waits)."""
        self._state = progress.state
        self._draw()

    def __enter__(self) -> ProgressLine:
        self._started = self._clock()
        if self._enabled:
            self._thread = threading.Thread(target=self._spin, daemon=True, name="dbcloud-progress")
            self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if not self._enabled:
            return
        ok = exc_type is None
        unicode = self._console.unicode(self._console.stderr)
        mark = ("✓" if unicode else "ok") if ok else ("✗" if unicode else "failed")
        mark = self._console.paint(mark, "green" if ok else "red", stream=self._console.stderr)
        spent = elapsed(self._clock() - self._started)
        with self._lock:
            self._console.err(f"\r\x1b[2K{mark} {self._what}: {self._state} ({spent})\n")

    def _spin(self) -> None:
        while not self._stop.wait(_REDRAW):
            self._draw()

    def _draw(self) -> None:
        if not self._enabled:
            return
        with self._lock:
            self._frame = (self._frame + 1) % len(self._frames)
            spent = elapsed(self._clock() - self._started)
            line = f"{self._frames[self._frame]} {self._what}: {self._state}{self._dot}{spent}"
            width = shutil.get_terminal_size((100, 24)).columns - 1
            if len(line) > width > 10:
                line = line[: width - len(self._more)] + self._more
            self._console.err(f"\r\x1b[2K{line}")
