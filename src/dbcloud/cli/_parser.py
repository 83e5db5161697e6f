"""The argparse parser, built from the command table.

Only the API named on the command line gets its full tree of resources, verbs and options; the
others are listed by name. `dbcloud --help` therefore builds a few dozen objects, not hundreds.
Options that every command takes (`-o`, `--profile`, ...) are accepted before the API name as well
as after the verb; they default to "not given" (argparse.SUPPRESS) on both, so neither place
overwrites the other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from .._vendors import vendor_names
from .._version import __version__
from ._commands import all_apis
from ._spec import Api, Opt, Resource, Verb

__all__ = ["EXIT_CODES", "Parser", "build_parser", "closest", "command_words", "focus_of", "options_of"]

EXIT_CODES = """\
exit codes:
  0    success
  1    the API answered an error, or the resource failed (e.g. a launch ended in failure)
  2    usage: a bad option, a request refused before sending, a missing credential or setting
  3    authentication: the API refused the credential (401) or the permission (403)
  4    not found (404)
  5    timeout: a --wait passed its deadline, or the API did not answer in time
  6    connection: no answer from the API (refused, reset, DNS, TLS)
  130  interrupted (Ctrl-C)

Settings come from options, else environment variables (ACM_API_KEY, CLICKHOUSE_CLOUD_API_KEY, ...),
else the profile file (~/.config/dbcloud/config.toml; --profile or DBCLOUD_PROFILE picks one;
dbcloud configure <api> writes it, dbcloud configure list shows where each setting comes from).
Output is a table on a terminal and JSON otherwise; NO_COLOR turns colours off.
Try it without an account: dbcloud demo
"""

_TOOLS = frozenset({"raw", "configure", "completion", "demo", "emulator"})


def command_words() -> frozenset[str]:
    """The first words of every command: each registered API's name and the tools."""
    return frozenset(vendor_names()) | _TOOLS


_VALUE_OPTIONS = frozenset({"-o", "--output", "--query", "--profile", "--request-timeout", "--max-retries"})


def focus_of(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first word that is not a global option)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _VALUE_OPTIONS
        else:
            return word if word in command_words() else None
    return None


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The choice `word` was most likely meant to be (a typo of it), or None."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


class Parser(argparse.ArgumentParser):
    """argparse, whose refusal of a choice (an API, resource, verb or option value) suggests the
    closest one, as gh and kubectl do."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is not None and value not in choices and isinstance(value, str):
            names = [str(choice) for choice in choices]
            near = closest(value, names)
            if near is not None:
                listed = ", ".join(repr(name) for name in names)
                raise argparse.ArgumentError(
                    action, f"invalid choice: {value!r}; did you mean {near!r}? (choose from {listed})"
                )
        super()._check_value(action, value)


def options_of(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The option strings of the command `args` ran (the parser its subcommand words chose)."""
    options: list[str] = []
    current: argparse.ArgumentParser | None = parser
    while current is not None:
        chosen = None
        for action in current._actions:
            options.extend(action.option_strings)
            if isinstance(action, argparse._SubParsersAction) and action.choices:
                chosen = action.choices.get(getattr(args, action.dest, None) or "")
        current = chosen
    return options


def _positive(kind: type[float] | type[int]) -> Any:
    def parse(text: str) -> float | int:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def json_value(text: str) -> Any:
    """A JSON value given inline, or read from a file with @FILE."""
    if text.startswith("@"):
        from ._invoke import UsageError, read_document

        try:
            return read_document(text[1:])
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text[:60]}") from None


json_value.__name__ = "JSON"


def query_expression(text: str) -> Any:
    """A `--query` JMESPath expression, compiled (jmespath is imported only when one is given)."""
    from ._output import compile_query

    try:
        return compile_query(text)
    except ValueError as exc:
        if re.match(r"^[\w.-]+=[^=]", text):
            # What `dbcloud raw --query` took before it was JMESPath; the value may be a password
            # meant for the URL, so it is not repeated (JMESPath's message would).
            raise argparse.ArgumentTypeError(
                "KEY=VALUE is not a JMESPath expression (a query-string parameter of `dbcloud raw` "
                "is --param KEY=VALUE)"
            ) from None
        raise argparse.ArgumentTypeError(str(exc)) from None


query_expression.__name__ = "JMESPath"


def iso_time(text: str) -> dt.datetime:
    """An ISO 8601 time; without a zone it is UTC."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text}") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


iso_time.__name__ = "time"


class KeyValues(argparse.Action):
    """Repeatable KEY=VALUE pairs into one dict; a VALUE that is JSON is read as JSON."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: str | None = None) -> None:
        key, sep, text = str(values).partition("=")
        if not sep or not key:
            raise argparse.ArgumentError(self, f"expected KEY=VALUE, got {values!r}")
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        found = dict(getattr(namespace, self.dest, None) or {})
        found[key] = value
        setattr(namespace, self.dest, found)


def _kind(option: Opt) -> dict[str, Any]:
    kind = option.kind
    if kind == "int":
        return {"type": int}
    if kind == "float":
        return {"type": float}
    if kind == "flag":
        return {"action": "store_const", "const": True, "default": None}
    if kind == "bool":
        return {"action": argparse.BooleanOptionalAction, "default": None}
    if kind == "json":
        return {"type": json_value}
    if kind == "list":
        return {"action": "append"}
    if kind == "kv":
        return {"action": KeyValues, "metavar": option.metavar or "KEY=VALUE"}
    if kind == "time":
        return {"type": iso_time}
    return {}


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every command takes; "not given" unless given (see the module docstring)."""
    group = parser.add_argument_group("output and connection")
    off = argparse.SUPPRESS
    group.add_argument(
        "-o",
        "--output",
        choices=("table", "json", "yaml"),
        default=off,
        help="table (default on a terminal), json (default otherwise) or yaml",
    )
    group.add_argument(
        "--query",
        type=query_expression,
        default=off,
        metavar="EXPR",
        help="print only what this JMESPath expression picks from the JSON output (as aws-cli's "
        "--query; secrets stay masked); with -o table, plain values print one per line",
    )
    group.add_argument(
        "--profile", default=off, help="profile of the profile file (default: $DBCLOUD_PROFILE)"
    )
    group.add_argument(
        "--request-timeout", type=_positive(float), default=off, metavar="SECONDS", help="per request"
    )
    group.add_argument("--max-retries", type=_positive(int), default=off, help="retries of safe requests")
    group.add_argument("--no-color", action="store_true", default=off, help="no colours (also: NO_COLOR=1)")


def add_settings(parser: argparse.ArgumentParser, apis: Sequence[Api]) -> None:
    group = parser.add_argument_group(
        "settings (each also read from the environment variable it is named after)"
    )
    seen: set[str] = set()
    for api in apis:
        for setting in api.settings:
            if setting.env in seen:
                continue
            seen.add(setting.env)
            note = " (visible to other local users: prefer the variable)" if setting.secret else ""
            group.add_argument(
                setting.flag,
                dest=setting.dest,
                default=argparse.SUPPRESS,
                metavar="VALUE",
                help=setting.help + note,
            )


def add_dry_run(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("dry run")
    group.add_argument(
        "--dry-run",
        action="store_true",
        help="print the request (credentials as $VARIABLES) and send nothing",
    )
    group.add_argument("--as-curl", action="store_true", help="with --dry-run: print it as a curl command")


def _add_verb(commands: Any, api: Api, resource: Resource, verb: Verb) -> None:
    parser = commands.add_parser(
        verb.name,
        help=verb.help,
        description=f"{verb.help[:1].upper()}{verb.help[1:]}.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option in (*verb.options, *api.extra):
        details = _kind(option)
        if option.choices:
            details["choices"] = option.choices
        if option.positional:
            parser.add_argument(option.dest, metavar=option.flag, help=option.help, **details)
            continue
        # With --file, a required field may come from the file: the run checks it then.
        required = option.required and not (verb.file and option.to == "kw")
        if option.metavar and "metavar" not in details:
            details["metavar"] = option.metavar
        parser.add_argument(
            option.flag, *option.aliases, dest=option.dest, required=required, help=option.help, **details
        )
    if verb.file and not any(o.dest == "file" for o in verb.options):
        parser.add_argument(
            "--file",
            metavar="FILE",
            help="JSON (or YAML) fields in the API's names; - for stdin; options win",
        )
    if verb.wait is not None or verb.always_waits:
        group = parser.add_argument_group("waiting")
        if not verb.always_waits:
            group.add_argument(
                "--wait", action="store_true", help="wait until done, showing progress on a terminal"
            )
        group.add_argument(
            "--wait-timeout",
            "--timeout",
            type=_positive(float),
            metavar="SECONDS",
            help="give up after (default: the API's)",
        )
        group.add_argument(
            "--poll-interval", type=_positive(float), metavar="SECONDS", help="first pause between polls"
        )
    if verb.mutates:
        add_dry_run(parser)
    add_settings(parser, (api,))
    add_common(parser)
    parser.set_defaults(_api=api.name, _resource=resource.name, _verb=verb.name)


def _add_api(parser: argparse.ArgumentParser, api: Api) -> None:
    resources = parser.add_subparsers(dest="resource", required=True, metavar="RESOURCE")
    for resource in api.resources:
        sub = resources.add_parser(
            resource.name, help=resource.help, description=f"{_titled(api, resource.help)}."
        )
        verbs = sub.add_subparsers(dest="verb", required=True, metavar="VERB")
        for verb in resource.verbs:
            _add_verb(verbs, api, resource, verb)


def _add_raw(parser: argparse.ArgumentParser) -> None:
    names = vendor_names()
    parser.add_argument("api", choices=names, metavar="API", help=", ".join(names))
    parser.add_argument(
        "method", type=str.upper, metavar="METHOD", help="GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS"
    )
    parser.add_argument(
        "path",
        metavar="PATH",
        help="path under the API's base URL, e.g. /environments ({org_id}: ClickHouse's)",
    )
    parser.add_argument("--data", type=json_value, metavar="JSON", help="JSON body, or @FILE")
    parser.add_argument(
        "--form",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="form body field (repeatable; ACM's sign-in and other writes take forms)",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="query-string parameter (repeatable; never a secret: those go in the body)",
    )
    add_dry_run(parser)
    add_settings(parser, all_apis())
    add_common(parser)


def _titled(api: Api, text: str) -> str:
    """`text` after the API's label, unless it opens with the label already (said once)."""
    return text if text.startswith(api.label) else f"{api.label}: {text}"


def _api_description(api: Api) -> str:
    """`dbcloud <api> --help`'s opening: what the API offers (its label once)."""
    return textwrap.fill(f"{_titled(api, api.help)}.", width=_HELP_WIDTH)


def _verbs_of(api: Api) -> str:
    """`dbcloud <api> --help`'s closing: every resource with its verbs, so one screen shows them."""
    lines = ["resources and their verbs:"]
    for resource in api.resources:
        verbs = ", ".join(verb.name for verb in resource.verbs)
        lines += textwrap.wrap(
            f"{resource.name}: {verbs}",
            width=_HELP_WIDTH,
            initial_indent="  ",
            subsequent_indent="      ",
            break_on_hyphens=False,
        )
    return "\n".join(lines)


_HELP_WIDTH = 88


def build_parser(focus: str | None) -> argparse.ArgumentParser:
    """The parser; only the `focus` command (see `focus_of`) is built in full."""
    parser = Parser(
        prog="dbcloud",
        description="One command line for Altinity.Cloud, ClickHouse Cloud, ClickStack and "
        "CockroachDB Cloud:\n"
        "  dbcloud <api> <resource> <verb> [options]      e.g. dbcloud acm environments list",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dbcloud {__version__}")
    add_common(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for api in all_apis():
        sub = commands.add_parser(
            api.name,
            help=api.help,
            description=_api_description(api),
            # Its resources' verbs are listed only where they are built: for the API in focus.
            epilog=_verbs_of(api) if focus == api.name else None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if focus == api.name:
            _add_api(sub, api)
    raw = commands.add_parser(
        "raw",
        help="send any request of an API, with its auth, retries and errors",
        description="Send any request of an API, with the same auth, retries and error handling as the "
        "other commands; prints the answer's body.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if focus == "raw":
        _add_raw(raw)
    configure = commands.add_parser(
        "configure",
        help="store an API's settings and credentials in a profile (list: show them)",
        description="Store an API's settings in a profile of the profile file (readable by you only), "
        "or show where each setting comes from: dbcloud configure acm, dbcloud configure list.",
    )
    if focus == "configure":
        from ._configure import add_arguments

        add_arguments(configure)
    completion = commands.add_parser("completion", help="print a shell completion script")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    demo = commands.add_parser(
        "demo",
        help="run every API's lifecycle against the embedded emulator (no account, no network)",
        description="Start the embedded emulator, then launch, wait for, and delete a resource on each "
        "API with the commands of this CLI; print a summary and clean up.",
    )
    demo.add_argument(
        "--speed", type=_positive(float), default=300.0, help="emulated seconds per second (default 300)"
    )
    demo.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help="no colours")
    emulator = commands.add_parser(
        "emulator",
        help="run a local emulator of every API on 127.0.0.1",
        description="Run a local, stateful emulator of ACM, Anywhere, ClickHouse Cloud (with ClickStack), "
        "ClickStack OSS and CockroachDB Cloud on 127.0.0.1, and print the environment variables that "
        "point the facades at it, with the control endpoint's token (DBCLOUD_EMULATOR_TOKEN). It serves "
        'in the foreground until stopped; to set the variables in this shell and go on: eval "$(dbcloud '
        'emulator --detach)", and later dbcloud emulator --stop.',
    )
    emulator.add_argument(
        "--port", type=int, default=8765, help="port to listen on (default 8765; 0: any free one)"
    )
    emulator.add_argument(
        "--speed", type=float, default=60.0, help="emulated seconds per real second (default 60)"
    )
    emulator.add_argument(
        "--seed-data",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="start with demo environments, organizations and regions (default: yes)",
    )
    emulator.add_argument(
        "--body-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds a request body may take to arrive before the answer is 408 (default 10)",
    )
    emulator.add_argument(
        "--env-file",
        metavar="FILE",
        help="once serving, write the export lines to FILE (mode 0600) instead of printing them",
    )
    mode = emulator.add_mutually_exclusive_group()
    mode.add_argument(
        "--detach",
        action="store_true",
        help="serve from a background process, print the exports and return once it serves: "
        'eval "$(dbcloud emulator --detach)"',
    )
    mode.add_argument("--stop", action="store_true", help="stop the emulators started with --detach")
    return parser
