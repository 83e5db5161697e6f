"""The `dbcloud` command line: `dbcloud <api> <resource> <verb> [options]`, plus `raw`, `demo`,
`completion` and `emulator`.

This module stays import-light: `dbcloud --help` loads neither httpx nor a vendor client nor the
emulator; each command imports what it uses when it runs.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line `argv` (default: the process's arguments); return the exit code."""
    from ._app import run

    return run(sys.argv[1:] if argv is None else argv)
