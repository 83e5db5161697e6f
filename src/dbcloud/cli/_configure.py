"""`dbcloud configure <api>` and `dbcloud configure list`: the profile file, written for the user.

`configure <api>` asks for the API's settings on a terminal (secrets without echo, current values
as the defaults, a stored secret shown only as "set"), or takes them from options (`--set KEY=VALUE`,
the settings' own options, secrets from `--<setting>-file` or stdin), and writes them to the
`[profile.api]` table of the file the library reads (see `dbcloud._config`). The file is created
readable by its owner only and replaced atomically; the other tables, comments and layout are kept
(see `_profile_file` and `_toml_edit`). `configure acm --login` signs in with an e-mail and
password and stores the session token it gets. `configure list` shows every setting's source,
secrets masked.

A setting several APIs share is stored in the table of the API that declares it first: managed
ClickStack's ClickHouse Cloud key lives in `[profile.clickhouse]`, where the library reads it.
"""

from __future__ import annotations

import argparse
import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._secret import MASK
from ._invoke import UsageError, read_secret_file
from ._profile_file import ProfileFile

if TYPE_CHECKING:
    from ._console import Console
    from ._spec import Api

__all__ = ["Key", "add_arguments", "completions", "configure", "keys_of"]

_CONNECTION_HELP = {"timeout": "seconds to wait for each request", "max_retries": "retries of safe requests"}
_KIND_WORDS = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}


@dataclass(frozen=True)
class Key:
    """A key of an API's profile table.

    Attributes:
        name: the key, also the facade's constructor argument ("token").
        env: the environment variable that wins over it ("ACM_API_KEY").
        help: one line.
        secret: a credential: never shown, read without echo.
        kind: str, int, float or bool.
        asked: offered at the prompts (the connection tuning keys are options only).
    """

    name: str
    env: str
    help: str
    secret: bool = False
    kind: type[object] = str
    asked: bool = True

    @property
    def flag(self) -> str:
        return "--" + self.env.lower().replace("_", "-")

    @property
    def dest(self) -> str:
        return "cfg_" + self.env.lower()


def keys_of(api: Api) -> tuple[Key, ...]:
    """The keys `dbcloud configure <api>` writes to `[profile.<api>]`."""
    from .._base import CONNECTION_FIELDS

    owners = _owners()
    own = tuple(
        Key(s.param, s.env, s.help, secret=s.secret) for s in api.settings if owners[s.env] == api.name
    )
    tuning = tuple(
        Key(f.name, f.env[0], _CONNECTION_HELP.get(f.name, f.name), kind=f.kind, asked=False)
        for f in CONNECTION_FIELDS
    )
    return own + tuning


def _owners() -> dict[str, str]:
    """Each setting's variable to the API whose table stores it: the first to declare it."""
    from ._commands import all_apis

    owners: dict[str, str] = {}
    for api in all_apis():
        for setting in api.settings:
            owners.setdefault(setting.env, api.name)
    return owners


# --- the command line ------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`configure`'s sub-commands: one per API, and `list`."""
    from ._commands import all_apis

    _add_profile(parser)
    commands = parser.add_subparsers(dest="configure_api", required=True, metavar="API")
    for api in all_apis():
        _add_api(commands, api)
    listing = commands.add_parser(
        "list",
        help="show every API's settings and where each comes from (secrets masked)",
        description="Show each API's settings for a profile: the value (secrets masked) and where it "
        "comes from, an environment variable or the profile file.",
    )
    listing.add_argument(
        "api", nargs="?", choices=[a.name for a in all_apis()], metavar="API", help="only this API"
    )
    listing.add_argument("-o", "--output", choices=("table", "json", "yaml"), default=argparse.SUPPRESS)
    _add_profile(listing)


def _add_profile(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        default=argparse.SUPPRESS,
        metavar="NAME",
        help="the profile (default: $DBCLOUD_PROFILE, else default)",
    )
    parser.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help="no colours")


def _add_api(commands: Any, api: Api) -> None:
    keys = keys_of(api)
    example = next((k for k in keys if not k.secret), keys[-1])
    shared = sorted(
        {
            owner
            for owner in _owners().values()
            if owner != api.name and any(_owners()[s.env] == owner for s in api.settings)
        }
    )
    elsewhere = "".join(
        f"\nits {other} settings are stored with: dbcloud configure {other}" for other in shared
    )
    parser = commands.add_parser(
        api.name,
        help=f"store {api.label} settings in a profile",
        description=textwrap.fill(
            f"Store {api.label} settings in a profile of the profile file. On a terminal without "
            "options it asks for each one (Enter keeps the current value); otherwise it sets what "
            "the options give.",
            width=88,
        ),
        epilog=textwrap.fill("keys: " + ", ".join(f"{k.name} ({k.env})" for k in keys), width=88) + elsewhere,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for key in keys:
        if not key.asked:
            continue
        if key.secret:
            parser.add_argument(
                key.flag,
                dest=key.dest,
                metavar="VALUE",
                help=f"{key.help} (visible to other local users: prefer {key.flag}-file)",
            )
            parser.add_argument(
                f"{key.flag}-file",
                dest=key.dest + "_file",
                metavar="FILE",
                help=f"{key.help}, from FILE (- for stdin)",
            )
        else:
            parser.add_argument(key.flag, dest=key.dest, metavar="VALUE", help=key.help)
    parser.add_argument(
        "--set",
        dest="cfg_set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"set a key, by its name or its variable ({example.name} or {example.env}); repeatable",
    )
    parser.add_argument(
        "--unset",
        dest="cfg_unset",
        action="append",
        default=[],
        metavar="KEY",
        help="remove a key; repeatable",
    )
    if api.name == "acm":
        group = parser.add_argument_group("signing in")
        group.add_argument(
            "--login",
            action="store_true",
            help="sign in with an e-mail and password and store the session token it gives",
        )
        group.add_argument("--email", metavar="EMAIL", help="with --login: the account's e-mail (else asked)")
        group.add_argument(
            "--password-file",
            metavar="FILE",
            help="with --login: the password, from FILE (- for stdin; else asked)",
        )
    _add_profile(parser)


def completions() -> list[tuple[str, list[str]]]:
    """(command path, the words that may follow) for the shell completion scripts."""
    from ._commands import all_apis

    common = ["--profile", "--no-color"]
    apis = [api.name for api in all_apis()]
    paths = [("configure", [*apis, "list", *common]), ("configure list", [*apis, "-o", "--output", *common])]
    for api in all_apis():
        words = []
        for key in keys_of(api):
            if key.asked:
                words += [key.flag, f"{key.flag}-file"] if key.secret else [key.flag]
        words += ["--set", "--unset"]
        if api.name == "acm":
            words += ["--login", "--email", "--password-file"]
        paths.append((f"configure {api.name}", [*words, *common]))
    return paths


# --- configure <api> -------------------------------------------------------------------------


def configure(args: argparse.Namespace, console: Console) -> int:
    """Run `dbcloud configure ...`; return the exit code."""
    from ._commands import api_named

    if args.configure_api == "list":
        return _list(args, console)
    api = api_named(args.configure_api)
    assert api is not None  # the parser offers known APIs only
    keys = keys_of(api)
    profile_file = ProfileFile.read(console)
    profile = _profile(args, console)
    current = profile_file.table(profile, api.name)
    for key in keys:
        if key.secret:
            console.secret(current.get(key.name))
    login = bool(getattr(args, "login", False))
    changes = _from_options(args, keys, console)
    if not changes and console.is_tty(console.stdin):
        shown = profile_file.shown
        console.err(
            f"{api.label} settings of profile {profile!r} in {shown} (Enter keeps the current value)\n"
        )
        changes = _asked(keys, current, console, skip={"token"} if login else set())
    elif not changes and not login:
        secret = next((k for k in keys if k.secret), None)
        how = f"{secret.flag}-file FILE (- for stdin), " if secret else ""
        raise UsageError(
            f"dbcloud configure {api.name}: nothing to set: give {how}--set KEY=VALUE, "
            "or run on a terminal to be asked"
        )
    if login:
        if "token" in changes:
            raise UsageError("--login obtains the token: give it no API key as well")
        changes["token"] = _sign_in(
            args, console, changes, current, profile=profile, document=profile_file.document
        )
    if changes:
        profile_file.write(console, profile, api.name, changes)
    _report(console, api, profile, profile_file.shown, keys, changes)
    return 0


def _profile(args: argparse.Namespace, console: Console) -> str:
    from .._config import selected_profile

    name = selected_profile(getattr(args, "profile", None), console.environ)
    if any(c in name for c in "\r\n\x00"):
        raise UsageError("a profile name is one line of text")
    return name


def _from_options(args: argparse.Namespace, keys: tuple[Key, ...], console: Console) -> dict[str, Any]:
    """The changes the options ask for: key to value, or to None for `--unset`."""
    changes: dict[str, Any] = {}
    stdin_used = False

    def put(key: Key, text: str | None, how: str) -> None:
        if key.name in changes:
            raise UsageError(f"{key.name} is given twice ({how} and before)")
        changes[key.name] = None if text is None else _typed(key, text, how)

    for key in keys:
        given = getattr(args, key.dest, None)
        if given is not None:
            if key.secret:
                console.secret(given)
                _warn_visible(console, key.flag, f"{key.flag}-file")
            put(key, given, key.flag)
        path = getattr(args, key.dest + "_file", None)
        if path is not None:
            if path == "-":
                if stdin_used:
                    raise UsageError("only one value can come from stdin")
                stdin_used = True
            text = read_secret_file(path)
            console.secret(text)
            put(key, text, f"{key.flag}-file")
    for item in args.cfg_set:
        name, sep, text = item.partition("=")
        if not sep:  # the text is not shown: it may be a secret typed without its key
            raise UsageError("--set takes KEY=VALUE, and this one has no =")
        key = _key_named(keys, name.strip())
        if key.secret:
            console.secret(text)
            _warn_visible(console, "--set", f"{key.flag}-file")
        put(key, text, f"--set {key.name}")
    for name in args.cfg_unset:
        put(_key_named(keys, name.strip()), None, f"--unset {name}")
    return changes


def _key_named(keys: tuple[Key, ...], name: str) -> Key:
    for key in keys:
        if name == key.name or name.upper() == key.env:
            return key
    owner = _owners().get(name.upper())
    if owner is not None:
        raise UsageError(f"{name.upper()} is stored with the {owner} settings: dbcloud configure {owner}")
    known = ", ".join(key.name for key in keys)
    raise UsageError(f"no key {name!r} here (keys: {known})")


def _typed(key: Key, text: str, how: str) -> Any:
    """The text of a value as the key's kind; an empty value is refused."""
    value = text.strip()
    if not value:
        raise UsageError(f"{how}: the value is empty (to remove the key: --unset {key.name})")
    if any(c in value for c in "\r\n\x00"):
        raise UsageError(f"{how}: the value must be one line")
    if key.kind is str:
        return value
    if key.kind is bool:
        lowered = value.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
    else:
        try:
            number = int(value) if key.kind is int else float(value)
        except ValueError:
            number = None
        if number is not None and number >= 0 and math.isfinite(number):
            return number
    raise UsageError(f"{how}: {key.name} must be {_KIND_WORDS[key.kind]}, got {value!r}")


def _warn_visible(console: Console, flag: str, better: str) -> None:
    label = console.paint("warning:", "yellow", stream=console.stderr)
    console.err(
        f"{label} a secret given with {flag} is visible to other local users and kept in the shell's "
        f"history: prefer {better} FILE (- for stdin)\n"
    )


def _asked(
    keys: tuple[Key, ...], current: dict[str, Any], console: Console, *, skip: set[str]
) -> dict[str, Any]:
    """The changes typed at the prompts (an empty answer keeps the current value)."""
    changes: dict[str, Any] = {}
    for key in keys:
        if not key.asked or key.name in skip:
            continue
        stored = current.get(key.name)
        has = stored is not None and stored != ""
        shown = ("set" if has else "not set") if key.secret else (str(stored) if has else "not set")
        try:
            answer = console.ask(f"{key.help} [{shown}]: ", secret=key.secret)
        except EOFError:
            raise UsageError(
                "the input ended before every setting was answered; nothing was written"
            ) from None
        if answer.strip():
            changes[key.name] = _typed(key, answer, key.name)
    return changes


def _sign_in(
    args: argparse.Namespace,
    console: Console,
    changes: dict[str, Any],
    current: dict[str, Any],
    *,
    profile: str,
    document: dict[str, Any],
) -> str:
    """Sign in to ACM with an e-mail and password (options, else asked); the session token."""
    from .._config import DEFAULT_PROFILE
    from ..altinity import Altinity
    from ..altinity._client import DEFAULT_BASE_URL

    interactive = console.is_tty(console.stdin)
    email = args.email
    if email is None and interactive:
        email = console.ask("E-mail: ")
    password = None if args.password_file is None else read_secret_file(args.password_file)
    if password is None and interactive:
        password = console.ask("Password: ", secret=True)
    if not email or not password:
        raise UsageError(
            "dbcloud configure acm --login: an e-mail and a password are needed: give --email EMAIL "
            "and --password-file FILE (- for stdin), or run on a terminal to be asked"
        )
    console.secret(password)
    # Sign in where the profile will send its requests: the URL being stored, else the variable,
    # which wins over the file, else the file's, else ACM's own.
    base_url = (
        changes.get("base_url")
        or console.environ.get("ACM_API_URL")
        or current.get("base_url")
        or DEFAULT_BASE_URL
    )
    # The profile being written may not exist yet, and asking the library for a missing one fails.
    known = profile if profile in document else DEFAULT_PROFILE
    client = Altinity.login(email.strip(), password, base_url=str(base_url), profile=known)
    with client:
        token = client.credentials[0].reveal()
    console.secret(token)
    console.err(f"signed in to {base_url} as {email.strip()}\n")
    return token


def _report(
    console: Console, api: Api, profile: str, shown: str, keys: tuple[Key, ...], changes: dict[str, Any]
) -> None:
    stored = [name for name, value in changes.items() if value is not None]
    removed = [name for name, value in changes.items() if value is None]
    parts = []
    if stored:
        parts.append("set " + ", ".join(stored))
    if removed:
        parts.append("removed " + ", ".join(removed))
    what = "; ".join(parts) or "nothing changed"
    console.err(f"profile {profile!r} in {shown} ({api.label}): {what}\n")
    for key in keys:
        if key.name in stored and console.environ.get(key.env):
            note = console.paint("note:", "cyan", stream=console.stderr)
            console.err(f"{note} {key.env} is set in this environment, and wins over the profile file\n")


# --- configure list --------------------------------------------------------------------------


def _list(args: argparse.Namespace, console: Console) -> int:
    from ._app import output_format
    from ._commands import all_apis
    from ._output import render

    profile_file = ProfileFile.read(console)
    profile = _profile(args, console)
    profile_file.warn_if_shared(console)
    if profile not in profile_file.document:
        where = "does not exist" if profile_file.mode is None else "has no such profile"
        console.err(f"profile {profile!r}: {profile_file.shown} {where}; only the environment is shown\n")
    else:
        console.err(f"profile {profile!r} in {profile_file.shown}\n")
    rows = []
    for api in all_apis():
        if args.api not in (None, api.name):
            continue
        table = profile_file.table(profile, api.name)
        for key in keys_of(api):
            rows.append(_row(api, key, table, console, f"[{profile}.{api.name}]"))
    columns = ("api", "key", "value", "source", "where")
    console.out(render(rows, output_format(args, console), console=console, columns=columns))
    return 0


def _row(api: Api, key: Key, table: dict[str, Any], console: Console, section: str) -> dict[str, Any]:
    from_env = console.environ.get(key.env)
    stored = table.get(key.name)
    if from_env:
        value: Any = from_env
        source, where = "environment", key.env
    elif stored is not None and stored != "":
        value, source, where = stored, "profile", section
    else:
        value, source, where = None, "unset", ""
    if key.secret and value is not None:
        console.secret(value if isinstance(value, str) else None)
        value = MASK
    return {
        "api": api.name,
        "key": key.name,
        "value": value,
        "source": source,
        "where": where,
        "variable": key.env,
    }
