"""The command table's vocabulary: APIs hold resources, resources hold verbs, verbs hold options.

Everything here is plain data, so that building `dbcloud --help`, a shell completion script or a
parser for one API imports no vendor client. A verb names the facade method it calls; only verbs
that need more (a wait, a file to write, a password to read) carry a `run` function of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ._invoke import Call

__all__ = ["Api", "Opt", "Resource", "Setting", "Verb", "a", "arg", "opt", "password_options"]

Kind = Literal["str", "int", "float", "flag", "bool", "json", "list", "kv", "time"]
"""How an option's text becomes a value: as is, a number, a flag (present → True), a
`--x/--no-x` pair, JSON (or `@file`), a repeatable list, repeatable KEY=VALUE pairs, an ISO 8601 time."""

Target = Literal["arg", "kw", "cli"]
"""Where a value goes: a positional argument of the facade method, a keyword argument, or the CLI
itself (read by a verb's `run`)."""


@dataclass(frozen=True)
class Opt:
    """One option or positional argument of a verb.

    Attributes:
        flag: "--node-type" for an option, "CLUSTER_ID" (upper case, no dashes) for a positional.
        help: one line for `--help`.
        kind: how the text is read (see `Kind`).
        key: the facade's keyword (default: the flag in snake_case).
        to: where the value goes (see `Target`).
        required: the option must be given.
        choices: the values allowed.
        metavar: the placeholder in help texts.
        aliases: other flags for the same option.
    """

    flag: str
    help: str
    kind: Kind = "str"
    key: str = ""
    to: Target = "kw"
    required: bool = False
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def positional(self) -> bool:
        return not self.flag.startswith("-")

    @property
    def dest(self) -> str:
        """The facade keyword, also the attribute of the parsed arguments."""
        return self.key or self.flag.lstrip("-").lower().replace("-", "_")


_SPELT_WITH_A_VOWEL = frozenset("AEFHILMNORSX")  # initialisms said "ay", "ef", "aitch", ... ("an AWS")


def a(noun: str) -> str:
    """`noun` with its indefinite article: "an alert", "an AWS environment", "a user", "a GCP ..."."""
    first = noun.split(maxsplit=1)[0] if noun else ""
    if len(first) > 1 and first.isupper():
        vowel = first[0] in _SPELT_WITH_A_VOWEL
    else:
        vowel = first[:1].lower() in "aeio" or (
            first[:1].lower() == "u" and not first.lower().startswith("us")
        )
    return f"{'an' if vowel else 'a'} {noun}"


def arg(name: str, help: str, kind: Kind = "str", *, key: str = "", to: Target = "arg") -> Opt:
    """A positional argument (given to the facade method positionally by default)."""
    return Opt(name, help, kind, key=key or name.lower(), to=to)


def password_options(whose: str = "the password") -> tuple[Opt, Opt]:
    """`--password` and `--password-file`: a database user's password, the third way being
    $DBCLOUD_SQL_PASSWORD (`Call.password` reads them, in that order, else prompts)."""
    return (
        opt(
            "--password",
            f"{whose} (visible to other local users: prefer --password-file or $DBCLOUD_SQL_PASSWORD)",
            to="cli",
        ),
        opt("--password-file", "read the password from FILE (- for stdin)", to="cli", metavar="FILE"),
    )


def by_name(what: str, *scope: Opt) -> Verb:
    """The `get-by-name` verb of a resource whose facade has `get_by_name` (the arguments before
    the name, `scope`, say where to look, e.g. an environment)."""
    return Verb(
        "get-by-name",
        f"show the {what} of that name (when several have it, the error names their ids)",
        (*scope, arg("NAME", f"the {what}'s name")),
    )


def opt(flag: str, help: str, kind: Kind = "str", **details: Any) -> Opt:
    """An option (given to the facade method as a keyword by default)."""
    return Opt(flag, help, kind, **details)


Run = Callable[["Call"], Any]
Present = Callable[[Any], Any]


@dataclass(frozen=True)
class Verb:
    """One command: `dbcloud <api> <resource> <verb>`.

    Attributes:
        name: the verb as typed ("create-serverless").
        help: one line.
        options: its options and positional arguments, in order.
        method: the facade method on the resource (default: `name` in snake_case).
        run: replaces the plain method call, for verbs that do more than one call.
        mutates: changes something: gets `--dry-run` and `--as-curl`.
        wait: waits when given `--wait` (or always, for the `wait` verb itself); takes the call and
            the first result, returns what to print.
        always_waits: the verb is a wait (`--wait` is implied).
        file: takes `--file` (JSON, or YAML when PyYAML is installed) with fields in the vendor's
            names; options given on the command line win over the file's.
        present: turns the facade's result into what is printed.
        columns: the fields shown as table columns for a list (vendor field names; dotted paths
            reach into objects).
        done: what a table-mode run prints for a verb that returns nothing ("deleted").
    """

    name: str
    help: str
    options: tuple[Opt, ...] = ()
    method: str = ""
    run: Run | None = None
    mutates: bool = False
    wait: Callable[[Call, Any], Any] | None = None
    always_waits: bool = False
    file: bool = False
    present: Present | None = None
    columns: tuple[str, ...] = ()
    done: str = ""

    @property
    def attribute(self) -> str:
        return self.method or self.name.replace("-", "_")


@dataclass(frozen=True)
class Resource:
    """A facade resource (`clusters`) and its verbs.

    Attributes:
        name: as typed ("aws-hosted").
        attr: the facade attribute ("aws_hosted"); default: `name` in snake_case.
        help: one line.
        verbs: its verbs.
        columns: table columns for its lists, unless a verb has its own.
    """

    name: str
    help: str
    verbs: tuple[Verb, ...]
    attr: str = ""
    columns: tuple[str, ...] = ()

    @property
    def attribute(self) -> str:
        return self.attr or self.name.replace("-", "_")

    def verb(self, name: str) -> Verb:
        return next(v for v in self.verbs if v.name == name)


@dataclass(frozen=True)
class Setting:
    """A connection setting of an API, offered as an option named after its environment variable.

    Attributes:
        env: the variable ("ACM_API_KEY"); the option is `--acm-api-key`.
        param: the facade constructor's argument ("token").
        secret: a credential (shown as `$ACM_API_KEY` in dry runs, never printed).
        help: one line.
    """

    env: str
    param: str
    help: str
    secret: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.env.lower().replace("_", "-")

    @property
    def dest(self) -> str:
        return "setting_" + self.env.lower()


@dataclass(frozen=True)
class Api:
    """One API: `dbcloud <api> ...`.

    Attributes:
        name: as typed ("acm").
        label: how people call it ("Altinity.Cloud Manager").
        help: one line.
        settings: its connection settings.
        resources: its resources.
        extra: options every verb of this API takes besides the settings (ClickStack's `--service`).
    """

    name: str
    label: str
    help: str
    settings: tuple[Setting, ...]
    resources: tuple[Resource, ...]
    extra: tuple[Opt, ...] = field(default_factory=tuple)

    def resource(self, name: str) -> Resource:
        return next(r for r in self.resources if r.name == name)
