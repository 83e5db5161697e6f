"""Where the CLI writes: stdout for data, stderr for everything else, secrets masked in both."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import TextIO

from .._secret import MASK

__all__ = ["MASK", "Console"]

_ANSI = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


class Console:
    """The two output streams of one run, and the secrets that must never reach them.

    Every text written goes through `mask`, which replaces each registered secret (credentials,
    passwords read or received) with `********`: a vendor echoing a key back, or a value landing
    in an unexpected field, cannot put it on a screen or in a log.

    Args:
        stdout: where data goes (default `sys.stdout` at the time of writing).
        stderr: where errors, notes and progress go (default `sys.stderr`).
        environ: the environment, for `NO_COLOR` and `TERM` (default `os.environ`).
        stdin: where answers to prompts come from (default: the terminal, secrets without echo).
    """

    def __init__(
        self,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
        stdin: TextIO | None = None,
    ) -> None:
        self._stdin = stdin
        self._stdout = stdout
        self._stderr = stderr
        self.environ = os.environ if environ is None else environ
        self.no_color = False
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    @property
    def stdin(self) -> TextIO:
        return self._stdin if self._stdin is not None else sys.stdin

    @property
    def stdout(self) -> TextIO:
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr if self._stderr is not None else sys.stderr

    # --- secrets -----------------------------------------------------------------------------

    def secret(self, value: object) -> None:
        """Never write `value` (a str, or a `Secret`) again; empty values are ignored."""
        reveal = getattr(value, "reveal", None)
        text = reveal() if callable(reveal) else value
        if isinstance(text, str) and text and text not in self._secrets:
            self._secrets.add(text)
            # Longest first, so that a secret containing another is masked whole.
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def mask(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self._pattern is not None else text

    # --- writing -----------------------------------------------------------------------------

    def out(self, text: str) -> None:
        """Write data to stdout."""
        self.stdout.write(self.mask(text))
        self.stdout.flush()

    def err(self, text: str) -> None:
        """Write a message to stderr."""
        self.stderr.write(self.mask(text))
        self.stderr.flush()

    def ask(self, prompt: str, *, secret: bool = False) -> str:
        """An answer typed after `prompt` (shown on stderr), without its newline; a secret's
        answer is not echoed and is registered with `secret`.

        Raises:
            EOFError: the input ended before an answer.
        """
        if self._stdin is None:
            if secret:
                import getpass

                answer = getpass.getpass(self.mask(prompt), stream=self.stderr)
            else:
                self.err(prompt)
                answer = input()
        else:  # a given stream (tests, or a caller's own input): read a line of it
            self.err(prompt)
            line = self._stdin.readline()
            if not line:
                raise EOFError
            answer = line.rstrip("\r\n")
        if secret:
            self.secret(answer)
        return answer

    # --- terminals and colour ----------------------------------------------------------------

    @staticmethod
    def is_tty(stream: TextIO) -> bool:
        isatty = getattr(stream, "isatty", None)
        try:
            return bool(isatty()) if callable(isatty) else False
        except ValueError:  # a closed stream
            return False

    @property
    def out_tty(self) -> bool:
        return self.is_tty(self.stdout)

    @property
    def err_tty(self) -> bool:
        return self.is_tty(self.stderr)

    def color(self, stream: TextIO) -> bool:
        """Whether to colour what goes to `stream`: a terminal, unless NO_COLOR or TERM=dumb say no."""
        # https://no-color.org: any non-empty NO_COLOR turns colour off.
        if self.no_color or self.environ.get("NO_COLOR") or self.environ.get("TERM") == "dumb":
            return False
        return self.is_tty(stream)

    def paint(self, text: str, style: str, *, stream: TextIO | None = None) -> str:
        """`text` in a style ("bold", "red", ...) when colour is on for `stream` (stdout by default)."""
        if not text or not self.color(stream if stream is not None else self.stdout):
            return text
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m"

    def unicode(self, stream: TextIO) -> bool:
        """Whether `stream` takes non-ASCII symbols (spinner frames, ✓)."""
        encoding = getattr(stream, "encoding", None) or ""
        return encoding.lower().replace("-", "") in ("utf8", "utf16", "utf32")
