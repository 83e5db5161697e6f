"""The profile file as `dbcloud configure` reads and replaces it: readable by its owner only.

The new text is written to a temporary file in the same directory, created with mode 0600 (never
readable by others, not even for a moment), synced, and renamed over the old one: a reader sees the
old file or the new, never half of one. A symbolic link (a dotfiles checkout) stays one.
"""

from __future__ import annotations

import os
import stat
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._console import Console

__all__ = ["ProfileFile"]


@dataclass
class ProfileFile:
    """The profile file as read: its path, text, document and mode (None when it does not exist)."""

    path: Path
    shown: str
    text: str
    document: dict[str, Any]
    mode: int | None

    @classmethod
    def read(cls, console: Console) -> ProfileFile:
        from .._config import _display, config_file
        from .._errors import ConfigError

        path = config_file(console.environ)
        shown = _display(path, console.environ)
        try:
            with path.open("rb") as handle:
                mode: int | None = os.fstat(handle.fileno()).st_mode
                data = handle.read()
        except FileNotFoundError:
            return cls(path, shown, "", {}, None)
        except OSError as exc:
            raise ConfigError(f"cannot read profile file {shown}: {exc.strerror or exc}") from None
        try:
            text = data.decode("utf-8")
            document = tomllib.loads(text)
        except UnicodeDecodeError:
            raise ConfigError(f"profile file {shown} is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"profile file {shown} is not valid TOML: {exc}; fix it first") from None
        return cls(path, shown, text, document, mode)

    @property
    def shared(self) -> bool:
        """Readable by group or others (POSIX)."""
        return (
            os.name == "posix" and self.mode is not None and bool(self.mode & (stat.S_IRGRP | stat.S_IROTH))
        )

    def warn_if_shared(self, console: Console, *, fixed: bool = False) -> None:
        if not self.shared:
            return
        assert self.mode is not None
        mode = oct(stat.S_IMODE(self.mode))
        label = console.paint("warning:", "yellow", stream=console.stderr)
        tail = "it is now readable by you only" if fixed else f"run: chmod 600 {self.shown}"
        console.err(f"{label} {self.shown} was readable by group or others (mode {mode}); {tail}\n")

    def table(self, profile: str, api: str) -> dict[str, Any]:
        from .._errors import ConfigError

        tables = self.document.get(profile, {})
        table = tables.get(api, {}) if isinstance(tables, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"profile file {self.shown}: {profile}.{api} must be a table [{profile}.{api}]")
        return table

    def write(self, console: Console, profile: str, api: str, changes: dict[str, Any]) -> None:
        """Apply `changes` to `[profile.api]` and replace the file, readable by its owner only."""
        from .._errors import ConfigError
        from ._toml_edit import EditError, edit_table

        try:
            text, _ = edit_table(self.text, (profile, api), changes)
        except EditError as exc:
            raise ConfigError(f"profile file {self.shown}: {exc}") from None
        # A symbolic link (a dotfiles checkout) stays one: the file it points at is replaced.
        target = Path(os.path.realpath(self.path))
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file readable and writable by its owner only, from the start.
            handle, temporary = tempfile.mkstemp(prefix=".dbcloud-", suffix=".toml", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(text.encode("utf-8"))
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise ConfigError(f"cannot write profile file {self.shown}: {exc.strerror or exc}") from None
        self.warn_if_shared(console, fixed=True)
