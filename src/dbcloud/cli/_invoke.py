"""One verb's run: its values, its client, its waits, and the files and passwords it reads or writes."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .._wait import Progress
    from ._console import Console
    from ._dryrun import Recorder
    from ._spec import Api, Resource, Verb

__all__ = [
    "ADMIN_PASS_ENV",
    "AZURE_SHARED_KEY_ENV",
    "DATADOG_API_KEY_ENV",
    "PASSWORD_ENVS",
    "SQL_PASSWORD_ENV",
    "Call",
    "UsageError",
    "read_document",
    "read_secret_file",
    "read_text",
    "snake",
]

T = TypeVar("T")

ADMIN_PASS_ENV = "DBCLOUD_ADMIN_PASS"  # noqa: S105 - the name of a variable, not a password
SQL_PASSWORD_ENV = "DBCLOUD_SQL_PASSWORD"  # noqa: S105 - a SQL user's password, for sql-users verbs
# Keys an export configuration sends (CockroachDB's Datadog metric export, Azure log export).
DATADOG_API_KEY_ENV = "DBCLOUD_DATADOG_API_KEY"
AZURE_SHARED_KEY_ENV = "DBCLOUD_AZURE_SHARED_KEY"
PASSWORD_ENVS = (ADMIN_PASS_ENV, SQL_PASSWORD_ENV, DATADOG_API_KEY_ENV, AZURE_SHARED_KEY_ENV)
"""The variables a command may read a password from: never shown, in any output."""


class UsageError(Exception):
    """The command line is wrong; the message says how (exit code 2)."""


def snake(name: str) -> str:
    """A vendor field name in snake_case (`adminPass` → `admin_pass`; `https_port` stays)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def read_document(source: str, *, option: str = "") -> Any:
    """A JSON (or, with PyYAML installed, YAML) document from a file, or from stdin for "-"
    (at most 10 MiB; see `read_text`).

    Raises:
        UsageError: the file cannot be read, is not UTF-8, or is neither JSON nor YAML.
    """
    text = read_text(source, option=option)
    try:
        return json.loads(text)
    except ValueError as exc:
        json_error = exc
    try:
        import yaml
    except ImportError:
        raise UsageError(f"{source} is not valid JSON ({json_error})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{source} is neither valid JSON nor YAML ({exc})") from None


class Call:
    """Everything one verb's run needs.

    Attributes:
        args: the parsed command line.
        console: where output goes.
        api, resource, verb: what was asked for.
        recorder: the dry-run transport, when `--dry-run` was given.
    """

    def __init__(
        self,
        *,
        args: argparse.Namespace,
        console: Console,
        api: Api,
        resource: Resource,
        verb: Verb,
        recorder: Recorder | None,
    ) -> None:
        self.args = args
        self.console = console
        self.api = api
        self.resource = resource
        self.verb = verb
        self.recorder = recorder

    @property
    def dry_run(self) -> bool:
        return self.recorder is not None

    @cached_property
    def client(self) -> Any:
        from ._clients import build_client

        return build_client(self.api, self.args, self.console, self.recorder)

    @property
    def target(self) -> Any:
        """The facade resource (`client.clusters`)."""
        return getattr(self.client, self.resource.attribute)

    def get(self, dest: str) -> Any:
        """The value of one option (None when not given)."""
        return getattr(self.args, dest, None)

    # --- values ------------------------------------------------------------------------------

    @cached_property
    def document(self) -> dict[str, Any]:
        """The `--file` document (an object), or {} without one."""
        source = self.get("file")
        if source is None:
            return {}
        data = read_document(source, option="--file")
        if not isinstance(data, dict):
            raise UsageError(f"{source} must hold an object (fields in the API's names)")
        return data

    def values(self) -> tuple[list[Any], dict[str, Any]]:
        """The facade call's positional and keyword arguments: the file's fields (in snake_case),
        then the options given, which win."""
        keywords: dict[str, Any] = {snake(k): v for k, v in self.document.items()}
        positional: list[Any] = []
        for option in self.verb.options:
            value = self.get(option.dest)
            if option.to == "arg":
                positional.append(value)
            elif option.to == "kw" and value is not None:
                keywords[option.dest] = value
        self._check_required(keywords)
        return positional, keywords

    def _check_required(self, keywords: dict[str, Any]) -> None:
        # With --file, a required option may come from the file instead: checked here, not by argparse.
        missing = [o for o in self.verb.options if o.required and o.to == "kw" and o.dest not in keywords]
        if missing:
            flags = ", ".join(o.flag for o in missing)
            raise UsageError(f"{self.command}: missing {flags} (give it as an option or in --file)")

    def invoke(self, method: Callable[..., T], *positional: Any, **keywords: Any) -> T:
        """Call a facade method, after checking that it takes these arguments.

        Raises:
            UsageError: a field (from --file, usually) that the method does not take.
        """
        import inspect

        try:
            inspect.signature(method).bind(*positional, **keywords)
        except TypeError as exc:
            raise UsageError(
                f"{self.command}: {exc} (a field of --file or an option it does not take)"
            ) from None
        return method(*positional, **keywords)

    @property
    def command(self) -> str:
        return f"dbcloud {self.api.name} {self.resource.name} {self.verb.name}"

    # --- secrets in and out ------------------------------------------------------------------

    def admin_password(self, given: Any = None) -> str:
        """The admin password of a new cluster: `--admin-pass`, `--admin-pass-file`, the file,
        $DBCLOUD_ADMIN_PASS, or a prompt on a terminal (see `password`)."""
        return self.password(
            given, env=ADMIN_PASS_ENV, file_key="admin_pass_file", what="the cluster's admin password"
        )

    def password(self, given: Any, *, env: str, file_key: str, what: str) -> str:
        """A password the command sends: the option's value (`given`), the file the `file_key`
        option names, `$env`, or a prompt on a terminal. A dry run never reads one. The value is
        registered as a secret, so no output of the command can show it.

        Raises:
            UsageError: none is given and there is no terminal to ask on.
        """
        if self.dry_run:
            from ._dryrun import SENTINELS

            return SENTINELS[env]
        password = given
        flag = "--" + file_key.replace("_", "-")
        if password is None and (path := self.get(file_key)) is not None:
            password = read_secret_file(path, option=flag)
        if password is None:
            password = self.console.environ.get(env) or None
        if password is None and self.console.is_tty(sys.stdin):
            password = getpass.getpass(f"{what[0].upper()}{what[1:]}: ")
        if not password:
            raise UsageError(
                f"{self.command}: {what} is needed: set {env}, "
                f"or give {flag} FILE (- for stdin), or run on a terminal to be asked"
            )
        self.console.secret(password)
        return str(password)

    @contextlib.contextmanager
    def secret_file(self, path: str, what: str) -> Iterator[Callable[[str], None]]:
        """A new file, readable by its owner only, for a secret the API shows once.

        The file is created before the request is sent (so that a secret is never received with
        nowhere to go), written with what the block passes to the writer, and removed again when
        the block fails before writing.

        Raises:
            UsageError: the file exists (it is never overwritten) or cannot be created.
        """
        if self.dry_run:  # nothing will be received, so nothing is created
            yield lambda text: None
            return
        target = Path(path).expanduser()
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise UsageError(f"{path} exists; {what} is written only to a new file") from None
        except OSError as exc:
            raise UsageError(f"cannot create {path}: {exc.strerror or exc}") from None
        written = False

        def write(text: str) -> None:
            nonlocal written
            self.console.secret(text.strip())
            os.write(fd, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
            written = True

        try:
            yield write
        finally:
            os.close(fd)
            if not written:
                target.unlink(missing_ok=True)
        self.note(f"{what} written to {path} (readable by you only)")

    def note(self, text: str) -> None:
        """A message for people, on stderr."""
        self.console.err(f"{self.console.paint('note:', 'cyan', stream=self.console.stderr)} {text}\n")

    # --- waiting -----------------------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        return self.verb.always_waits or bool(self.get("wait"))

    def wait_args(self) -> dict[str, Any]:
        """Timeout and poll interval for a facade wait, from `--wait-timeout` / `--poll-interval`."""
        found: dict[str, Any] = {}
        timeout = self.get("wait_timeout")
        if timeout is not None:
            found["timeout"] = timeout
        interval = self.get("poll_interval")
        if interval is not None:
            found["interval"] = interval
            found["max_interval"] = max(interval, interval * 6)
        return found

    def wait(self, what: str, waiter: Callable[[Callable[[Progress], None]], T]) -> T:
        """Run a facade wait (`waiter(on_progress)`), with live progress on a terminal."""
        from ._progress import ProgressLine

        with ProgressLine(self.console, what, enabled=self.console.err_tty) as line:
            return waiter(line.update)


BODY_LIMIT = 10 * 1024 * 1024
"""The most a body, a document or a value file may hold (--file, --data @FILE, --value-file)."""
SECRET_LIMIT = 64 * 1024
"""The most a secret's file may hold (--admin-pass-file, --password-file, ...)."""


def read_secret_file(path: str, *, option: str = "") -> str:
    """A password from a file (or stdin for "-"), without its trailing newline; at most 64 KiB."""
    return read_text(path, option=option, limit=SECRET_LIMIT, line=True).rstrip("\r\n")


def read_text(source: str, *, option: str = "", limit: int = BODY_LIMIT, line: bool = False) -> str:
    """The text of a regular file, or of stdin for "-" (its first line only, with `line`): every
    file the CLI reads comes through here.

    A device, FIFO, socket or directory is refused before it is read (/dev/zero would never end,
    a FIFO would wait for a writer), and so is anything over `limit` bytes, stdin included.

    Args:
        option: the option that named the file, for the messages ("" when argparse names it).

    Raises:
        UsageError: it is neither a regular file nor "-", is over `limit`, cannot be read, or is
            not UTF-8 (a message naming the option and the file, never a traceback).
    """
    where = "stdin" if source == "-" else source
    said = f"{option}: " if option else ""
    data = _read_stdin(limit + 1, line=line, said=said) if source == "-" else _read_file(source, limit, said)
    if len(data) > limit:
        raise _too_large(where, limit, said)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{said}{where} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None


def _read_stdin(most: int, *, line: bool, said: str) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise UsageError(f"{said}- stands for stdin, and there is none")
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        return bytes(binary.readline(most) if line else binary.read(most))
    text = stream.readline(most) if line else stream.read(most)  # a text stream (tests, IDEs)
    return str(text).encode("utf-8")


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(source: str, mode: int, said: str) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise UsageError(f"{said}{source} is {kind}, not a regular file: give a file, or - to read stdin")


def _too_large(where: str, limit: int, said: str) -> UsageError:
    return UsageError(f"{said}{where} is over the {_size(limit)} limit")


def _read_file(source: str, limit: int, said: str) -> bytes:
    path = Path(source).expanduser()
    try:
        _refuse_special(source, path.stat().st_mode, said)  # before opening: a FIFO's open would wait
        # O_NONBLOCK: should it have become a FIFO since, the open returns at once and fstat refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise UsageError(f"{said}cannot read {source}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        info = os.fstat(fd)
        _refuse_special(source, info.st_mode, said)
        if info.st_size > limit:  # refused unread; one that grows while read stops one byte over
            raise _too_large(source, limit, said)
        chunks: list[bytes] = []
        size, most = 0, limit + 1
        while size < most and (chunk := os.read(fd, most - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UsageError(f"{said}cannot read {source}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit // 1024} KiB"
