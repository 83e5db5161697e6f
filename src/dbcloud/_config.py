"""Client settings, resolved by one rule: argument > environment variable > profile file > default.

The profile file is TOML with one table per profile and API, its keys named like the constructor
arguments::

    [default.acm]
    token = "..."

    [prod.clickhouse]
    key_id = "..."
    key_secret = "..."
    org_id = "..."
    timeout = 60

It is `$DBCLOUD_CONFIG`, else `$XDG_CONFIG_HOME/dbcloud/config.toml`, else
`~/.config/dbcloud/config.toml`. The profile is the `profile=` argument, else `$DBCLOUD_PROFILE`,
else `default`.

Each client declares its settings as `Field`s and calls `resolve`; the `Resolved` mapping it gets
back remembers where every value came from, and keeps credentials wrapped in `Secret`.
"""

from __future__ import annotations

import logging
import math
import os
import stat
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import Literal, TypeVar

from ._errors import ConfigError
from ._secret import Secret

__all__ = [
    "DEFAULT_PROFILE",
    "Field",
    "Resolved",
    "Source",
    "config_file",
    "resolve",
    "selected_profile",
]

logger = logging.getLogger("dbcloud.config")

T = TypeVar("T")

Source = Literal["argument", "environment", "profile", "default"]
"""Where a resolved value came from."""

DEFAULT_PROFILE = "default"

_KINDS: tuple[type[object], ...] = (str, int, float, bool)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_EXPECTED = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
_MASK = "********"


@dataclass(frozen=True)
class Field:
    """One setting of a client.

    Attributes:
        name: the constructor argument, which is also the key in the profile table.
        env: environment variables to read, first set (non-empty) one wins.
        default: the value when nothing else gives one.
        secret: a credential: resolved as `Secret`, masked in every message and repr.
        required: resolving fails with `ConfigError` when no source gives a value.
        kind: str, int, float or bool; environment and profile values are converted to it.
        hint: what the setting is, for messages ("API token").
    """

    name: str
    env: tuple[str, ...]
    _: KW_ONLY
    default: object = None
    secret: bool = False
    required: bool = False
    kind: type[object] = str
    hint: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"field name must be an identifier, not {self.name!r}")
        # A bare string here (a forgotten trailing comma) would be read one letter at a time.
        if not isinstance(self.env, tuple) or not all(isinstance(var, str) for var in self.env):
            raise TypeError(f"field {self.name}: env must be a tuple of variable names")
        if self.kind not in _KINDS:
            raise ValueError(f"field {self.name}: kind must be str, int, float or bool")
        if self.secret and self.kind is not str:
            raise ValueError(f"field {self.name}: a secret must be of kind str")
        if self.default is not None:
            try:
                _from_argument(self, self.default)
            except TypeError as exc:
                raise ValueError(f"field {self.name}: default does not fit its kind: {exc}") from None


class Resolved(Mapping[str, object]):
    """Resolved settings: field name to value (None when unset), with where each value came from.

    Secret values are `Secret` objects; `repr()` masks them.
    """

    __slots__ = ("_origins", "_secrets", "_sources", "_values", "api", "config_path", "profile")

    def __init__(
        self,
        *,
        api: str,
        profile: str,
        config_path: Path,
        values: Mapping[str, object],
        sources: Mapping[str, Source],
        origins: Mapping[str, str],
        secrets: frozenset[str],
    ) -> None:
        self.api = api
        self.profile = profile
        self.config_path = config_path
        self._values = dict(values)
        self._sources = dict(sources)
        self._origins = dict(origins)
        self._secrets = secrets

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def source(self, name: str) -> Source:
        """Where the value of `name` came from: "argument", "environment", "profile" or "default".

        Raises:
            KeyError: `name` is not a field.
        """
        return self._sources[name]

    def origin(self, name: str) -> str:
        """Where the value of `name` came from, in words ("environment variable ACM_API_KEY").

        Raises:
            KeyError: `name` is not a field.
        """
        return self._origins[name]

    def typed(self, name: str, kind: type[T]) -> T | None:
        """The value of `name`, checked to be a `kind` (or None), so callers need no cast.

        Raises:
            KeyError: `name` is not a field.
            TypeError: the value is not a `kind`.
        """
        value = self._values[name]
        if value is None or isinstance(value, kind):
            return value
        raise TypeError(f"setting {name} is a {type(value).__name__}, not a {kind.__name__}")

    def __repr__(self) -> str:
        parts = [f"api={self.api!r}", f"profile={self.profile!r}"]
        for name, value in self._values.items():
            shown = repr(Secret("")) if name in self._secrets and value is not None else repr(value)
            parts.append(f"{name}={shown} [{self._sources[name]}]")
        return f"Resolved({', '.join(parts)})"


def selected_profile(profile: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The profile to use: `profile`, else `$DBCLOUD_PROFILE`, else "default".

    Args:
        profile: the constructor's `profile=` argument; None or "" means not given.
        environ: the environment to read (default `os.environ`).

    Returns:
        The profile name.
    """
    env = os.environ if environ is None else environ
    return profile or env.get("DBCLOUD_PROFILE") or DEFAULT_PROFILE


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """The profile file's path: `$DBCLOUD_CONFIG`, else under `$XDG_CONFIG_HOME`, else `~/.config`.

    Args:
        environ: the environment to read (default `os.environ`).

    Returns:
        The path; the file need not exist.
    """
    env = os.environ if environ is None else environ
    if explicit := env.get("DBCLOUD_CONFIG"):
        return Path(explicit).expanduser()
    xdg = env.get("XDG_CONFIG_HOME")
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "dbcloud" / "config.toml"
    return _home(env) / ".config" / "dbcloud" / "config.toml"


def resolve(
    api: str,
    fields: Sequence[Field],
    args: Mapping[str, object],
    *,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    label: str | None = None,
) -> Resolved:
    """Resolve a client's settings: argument > environment variable > profile file > default.

    Args:
        api: the API's table name in the profile file ("acm", "clickhouse", ...).
        fields: the settings to resolve.
        args: constructor arguments by field name; None means not given.
        profile: the profile to read (else `$DBCLOUD_PROFILE`, else "default").
        environ: the environment to read (default `os.environ`); empty variables count as unset.
        config_path: the profile file (default `config_file(environ)`); a missing file is fine.
        label: how messages name the API (default: a known name such as "ACM", else `api`).

    Returns:
        Every field's value (None when unset and without default) and where it came from.

    Raises:
        ConfigError: a required setting is missing; an environment or profile value cannot be
            converted to its kind; the profile file cannot be read or is not valid TOML; or a
            profile other than "default" was asked for and the file does not define it.
        TypeError: an argument is not of its field's kind.
        ValueError: `fields` repeats a name, or `args` names no field.
    """
    env = os.environ if environ is None else environ
    if not label:
        # How messages name the API: its registry label, else its table name.
        from ._vendors import vendor

        entry = vendor(api)
        label = entry.label if entry is not None else api
    names = [field.name for field in fields]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate field names for {api}: {names}")
    if unknown := sorted(set(args) - set(names)):
        raise ValueError(f"no such setting for {api}: {', '.join(unknown)}")

    name = selected_profile(profile, env)
    path = config_file(env) if config_path is None else config_path
    shown_path = _display(path, env)
    document, mode = _load(path, shown_path)
    table = _api_table(document, api, name, shown_path)
    if unexpected := sorted(set(table) - set(names)):
        logger.warning(
            "%s: [%s.%s] has unknown key(s) %s; known keys: %s",
            shown_path,
            name,
            api,
            ", ".join(unexpected),
            ", ".join(names),
        )

    values: dict[str, object] = {}
    sources: dict[str, Source] = {}
    origins: dict[str, str] = {}
    section = f"[{name}.{api}]"
    for field in fields:
        value, source, origin = _pick(field, args, env, table, f"{section} in {shown_path}", label)
        if value is None and field.required:
            raise ConfigError(
                _missing_message(field, label, section, shown_path),
                setting=field.name,
                variables=field.env,
                profile=name,
                section=section,
                path=shown_path,
                what=field.hint or field.name,
                api=label,
            )
        values[field.name], sources[field.name], origins[field.name] = value, source, origin

    if mode is not None and any(f.secret and sources[f.name] == "profile" for f in fields):
        _warn_if_shared(mode, shown_path)

    return Resolved(
        api=api,
        profile=name,
        config_path=path,
        values=values,
        sources=sources,
        origins=origins,
        secrets=frozenset(field.name for field in fields if field.secret),
    )


def _pick(
    field: Field,
    args: Mapping[str, object],
    env: Mapping[str, str],
    table: Mapping[str, object],
    section: str,
    label: str,
) -> tuple[object, Source, str]:
    """The first source that gives `field` a value, as (value, source, origin in words)."""
    given = args.get(field.name)
    if given is not None:
        return _from_argument(field, given), "argument", f"argument {field.name}"
    for var in field.env:
        text = env.get(var)
        if text:
            return _convert(field, text, var, label), "environment", f"environment variable {var}"
    stored = table.get(field.name)
    # An empty string in the file means "not set", as it does in the environment.
    if stored is not None and stored != "":
        where = f"{field.name} in {section}"
        return _convert(field, stored, where, label), "profile", where
    default = None if field.default is None else _from_argument(field, field.default)
    return default, "default", "default"


def _from_argument(field: Field, value: object) -> object:
    """An argument (or default) checked against its field's kind; a str for a secret is wrapped."""
    if field.secret:
        if isinstance(value, Secret):
            return value
        if isinstance(value, str):
            return Secret(value)
        raise TypeError(f"{field.name} must be a str or Secret, not {type(value).__name__}")
    # bool is an int to Python but never a sensible count or timeout.
    if field.kind is not bool and isinstance(value, bool):
        raise TypeError(f"{field.name} must be {_EXPECTED[field.kind]}, not a bool")
    if field.kind is float and isinstance(value, int):
        return float(value)
    if not isinstance(value, field.kind):
        raise TypeError(f"{field.name} must be {_EXPECTED[field.kind]}, not {type(value).__name__}")
    return value


def _convert(field: Field, value: object, where: str, label: str) -> object:
    """An environment string or profile value converted to the field's kind, or ConfigError."""
    converted = _to_kind(field.kind, value)
    if converted is None:
        shown = _MASK if field.secret else repr(value)
        about = f"{field.hint or field.name} for {label}"
        raise ConfigError(f"invalid {where}: {shown} is not {_EXPECTED[field.kind]} ({about})")
    if field.secret and isinstance(converted, str):
        return Secret(converted)
    return converted


def _to_kind(kind: type[object], value: object) -> object:
    """`value` as a `kind`, or None when it is not one."""
    if kind is str:
        return value if isinstance(value, str) else None
    if isinstance(value, str):
        text = value.strip()
        if kind is bool:
            lowered = text.lower()
            return True if lowered in _TRUE else False if lowered in _FALSE else None
        try:
            number = int(text) if kind is int else float(text)
        except ValueError:
            return None
        return None if isinstance(number, float) and math.isnan(number) else number
    # From here on `value` is a TOML value; bool is tested first because it is also an int.
    if isinstance(value, bool):
        return value if kind is bool else None
    if kind is int:
        return value if isinstance(value, int) else None
    if kind is float and isinstance(value, int | float) and not math.isnan(value):
        return float(value)
    return None


PROFILE_FILE_CAP = 1024 * 1024
"""The most a profile file may hold (a few settings per API take a few hundred bytes)."""


def _load(path: Path, shown: str) -> tuple[dict[str, object] | None, int | None]:
    """The parsed profile file and its mode bits, or (None, None) when there is no file."""
    try:
        # Opened without blocking, so that a FIFO given as DBCLOUD_CONFIG is refused, not waited on.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        logger.debug("no profile file at %s", shown)
        return None, None
    except OSError as exc:
        raise ConfigError(f"cannot read profile file {shown}: {exc.strerror or exc}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise ConfigError(
            f"cannot read profile file {shown}: not a regular file (a directory, device or FIFO)"
        )
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(PROFILE_FILE_CAP + 1)
        except OSError as exc:
            raise ConfigError(f"cannot read profile file {shown}: {exc.strerror or exc}") from None
    if len(data) > PROFILE_FILE_CAP:
        raise ConfigError(f"profile file {shown} is over {PROFILE_FILE_CAP // 1024} KiB: not a profile file")
    try:
        return tomllib.loads(data.decode("utf-8")), mode
    except UnicodeDecodeError:
        raise ConfigError(f"profile file {shown} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message gives a position, never the text of a value.
        raise ConfigError(f"profile file {shown} is not valid TOML: {exc}") from None


def _api_table(document: dict[str, object] | None, api: str, profile: str, shown: str) -> dict[str, object]:
    """The `[profile.api]` table, or {} when the file does not set one.

    A profile other than "default" that is missing is an error: a typo there would otherwise
    quietly run against whatever the environment points at.
    """
    explicit = profile != DEFAULT_PROFILE
    if document is None:
        if explicit:
            raise ConfigError(f"profile {profile!r} not found: profile file {shown} does not exist")
        return {}
    tables = document.get(profile)
    if tables is None:
        if explicit:
            known = ", ".join(sorted(document)) or "none"
            raise ConfigError(f"profile {profile!r} not found in {shown} (profiles there: {known})")
        return {}
    if not isinstance(tables, dict):
        raise ConfigError(f"profile file {shown}: {profile} must be a table such as [{profile}.{api}]")
    table = tables.get(api)
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"profile file {shown}: {profile}.{api} must be a table [{profile}.{api}]")
    return table


def _missing_message(field: Field, label: str, section: str, shown_path: str) -> str:
    what = field.hint or field.name
    ways = [f"pass {field.name}=..."]
    if field.env:
        ways.append(f"set {field.env[0]}")
    ways.append(f"add {field.name} to {section} in {shown_path}")
    return f"no {what} for {label}: {', '.join(ways[:-1])}, or {ways[-1]}"


def _warn_if_shared(mode: int, shown: str) -> None:
    """Log a warning when a file holding a credential is readable by other users (POSIX only)."""
    if os.name != "posix" or not mode & (stat.S_IRGRP | stat.S_IROTH):
        return
    logger.warning(
        "profile file %s holds a secret but is readable by group or others (mode %s); run: chmod 600 %s",
        shown,
        oct(stat.S_IMODE(mode)),
        shown,
    )


def _home(env: Mapping[str, str]) -> Path:
    # Read HOME from the given environment so that tests with a fake one never see the real home.
    home = env.get("HOME")
    return Path(home) if home else Path.home()


def _display(path: Path, env: Mapping[str, str]) -> str:
    """`path` with the home directory written as ~, as users type it."""
    try:
        return f"~/{path.relative_to(_home(env)).as_posix()}"
    except ValueError:
        return str(path)
