"""Parse, dispatch, print, and turn every failure into a message on stderr and an exit code."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .._pager import Pager
from ._console import Console
from ._invoke import UsageError
from ._parser import build_parser, closest, focus_of, options_of

if TYPE_CHECKING:
    from ._dryrun import Recorder
    from ._invoke import Call

__all__ = ["OK", "exit_code", "run"]

_NOTHING: Any = object()

OK, API_ERROR, USAGE, AUTH, NOT_FOUND, TIMEOUT, CONNECTION, INTERRUPTED = 0, 1, 2, 3, 4, 5, 6, 130


def exit_code(exc: BaseException) -> int:
    """The exit code for a failure (see `_parser.EXIT_CODES`)."""
    from .. import _errors as e

    if isinstance(exc, UsageError | e.ValidationError | e.ConfigError):
        return USAGE
    if isinstance(exc, e.AuthenticationError | e.PermissionDeniedError):
        return AUTH
    if isinstance(exc, e.NotFoundError):
        return NOT_FOUND
    if isinstance(exc, e.WaitTimeout | e.APITimeoutError):
        return TIMEOUT
    if isinstance(exc, e.APIConnectionError):
        return CONNECTION
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    return API_ERROR


def _handled() -> tuple[type[BaseException], ...]:
    from .._errors import DBCloudError

    return (UsageError, DBCloudError, KeyboardInterrupt)


def guarded(console: Console, action: Callable[[], int], args: argparse.Namespace | None = None) -> int:
    """Run `action`; a failure is printed on stderr (secrets masked) and becomes its exit code.
    `args`, the command line, lets the message name its options and where its settings came from."""
    try:
        return action()
    except _handled() as exc:
        from ._messages import message

        label = console.paint("error:", "red", stream=console.stderr)
        console.err(f"dbcloud: {label} {message(exc, args)}\n")
        return exit_code(exc)


def run(argv: Sequence[str], console: Console | None = None) -> int:
    """Run one command line; return its exit code."""
    console = console if console is not None else Console()
    _known_secrets(console)
    parser = build_parser(focus_of(argv))
    # argparse prints help and errors itself; they go through the console, to be masked like the rest.
    printed, complaints = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(complaints):
            args, extras = parser.parse_known_args(list(argv))
            if extras:
                parser.error(unrecognized(extras, options_of(parser, args)))
    except SystemExit as exc:  # --help, --version, or a usage error
        console.out(printed.getvalue())
        console.err(complaints.getvalue())
        return exc.code if isinstance(exc.code, int) else USAGE
    console.no_color = bool(getattr(args, "no_color", False))
    command = args.command
    if command == "emulator":
        return _emulator(args, console)
    if command == "completion":
        from ._completion import script

        console.out(script(args.shell))
        return OK
    if command == "demo":
        from ._demo import demo

        return guarded(console, lambda: demo(console, speed=args.speed))
    if command == "raw":
        return guarded(console, lambda: _raw(args, console), args)
    if command == "configure":
        from ._configure import configure

        return guarded(console, lambda: configure(args, console), args)
    return guarded(console, lambda: _verb(args, console), args)


def unrecognized(extras: Sequence[str], known: Sequence[str] = ()) -> str:
    """argparse's complaint about unknown arguments, without their values, with the closest of
    the `known` options for a misspelt one.

    argparse repeats every unknown token, so a misspelt `--admin-pas SECRET` would print the secret;
    option names are kept (they are what the user needs to fix), values become "…".
    """
    shown = [
        (token.partition("=")[0] + "=…" if "=" in token else token) if token.startswith("-") else "…"
        for token in extras
    ]
    text = f"unrecognized arguments: {' '.join(shown)} (values not shown)"
    options = [token.partition("=")[0] for token in extras if token.startswith("--")]
    meant = [(option, near) for option in options if (near := closest(option, known)) is not None]
    if len(meant) == 1:
        text += f"; did you mean {meant[0][1]}?"
    elif meant:
        text += "; did you mean " + ", ".join(f"{near} (for {option})" for option, near in meant) + "?"
    return text


def _known_secrets(console: Console) -> None:
    """Register the credentials set in the environment, so that even a usage error (an API key
    pasted where an id belongs) cannot echo one."""
    from ._commands import all_apis
    from ._invoke import PASSWORD_ENVS

    for api in all_apis():
        for setting in api.settings:
            if setting.secret:
                console.secret(console.environ.get(setting.env))
    for name in PASSWORD_ENVS:
        console.secret(console.environ.get(name))


def output_format(args: argparse.Namespace, console: Console, *, default: str | None = None) -> str:
    given = getattr(args, "output", None)
    if given:
        return str(given)
    return default or ("table" if console.out_tty else "json")


def _recorder(args: argparse.Namespace) -> Recorder | None:
    if not (getattr(args, "dry_run", False) or getattr(args, "as_curl", False)):
        return None
    from ._dryrun import Recorder

    return Recorder()


def _verb(args: argparse.Namespace, console: Console) -> int:
    from ._commands import api_named
    from ._dryrun import DryRunStop
    from ._invoke import Call
    from ._output import render, to_data

    api = api_named(args._api)
    assert api is not None  # the parser only offers known APIs
    resource = api.resource(args._resource)
    verb = resource.verb(args._verb)
    recorder = _recorder(args)
    call = Call(args=args, console=console, api=api, resource=resource, verb=verb, recorder=recorder)
    try:
        if (action := verb.run) is not None:
            result = _stopped_wait(call, lambda: action(call)) if verb.always_waits else _sent(call, action)
        else:
            positional, keywords = call.values()
            method = getattr(call.target, verb.attribute)
            result = _sent(call, lambda _: call.invoke(method, *positional, **keywords))
        if verb.wait is not None and call.waiting and not verb.always_waits:
            first, then = result, verb.wait
            result = _stopped_wait(call, lambda: then(call, first), first)
        if isinstance(result, Iterator | Pager):  # a list: every page, while the client is open
            result = list(result)
    except DryRunStop:
        assert recorder is not None
        return _print_dry_run(args, console, recorder, mutates=verb.mutates)
    finally:
        if "client" in call.__dict__:
            call.client.close()
    if recorder is not None:
        console.err("dry run: this command would send no request\n")
        return OK
    data = to_data(verb.present(result) if verb.present is not None else result)
    fmt = output_format(args, console)
    columns = verb.columns or resource.columns
    query = getattr(args, "query", None)
    console.out(render(data, fmt, console=console, columns=columns, done=verb.done, query=query))
    return OK


def _sent(call: Call, action: Callable[[Call], Any]) -> Any:
    """Run a verb's own request; interrupted, a change may have reached the API all the same."""
    try:
        return action(call)
    except KeyboardInterrupt as exc:
        if call.verb.mutates and not call.dry_run:
            from ._messages import interrupted_note

            exc.add_note(interrupted_note(call))
        raise


def _stopped_wait(call: Call, wait: Callable[[], Any], first: Any = _NOTHING) -> Any:
    """Run a wait; when it times out or is interrupted, the error says what goes on and which
    command waits again (for a launch, the `wait` command: the launch again would launch another)."""
    from .._errors import WaitTimeout
    from ._messages import wait_note, wait_verb_note

    try:
        return wait()
    except (WaitTimeout, KeyboardInterrupt) as exc:
        note = wait_verb_note(call) if first is _NOTHING else wait_note(call, first)
        if note and isinstance(exc, WaitTimeout) and call.get("wait_timeout") is None:
            note += "\n(it gave up at the default limit: add --wait-timeout SECONDS to wait longer)"
        if note:
            exc.add_note(note)
        raise


def _print_dry_run(args: argparse.Namespace, console: Console, recorder: Recorder, *, mutates: bool) -> int:
    from ._dryrun import render_request, request_data
    from ._output import render

    request = recorder.requests[-1]
    fmt = output_format(args, console)
    if getattr(args, "as_curl", False) or fmt == "table":
        console.out(render_request(request, as_curl=bool(getattr(args, "as_curl", False))))
    else:
        console.out(render(request_data(request), fmt, console=console))
    if mutates and request.method in ("GET", "HEAD"):
        console.err(
            "dry run: the command reads this first; what it then writes depends on the answer, "
            "so the dry run stops here\n"
        )
    console.err("dry run: nothing was sent\n")
    return OK


def _raw(args: argparse.Namespace, console: Console) -> int:
    from ._commands import api_named
    from ._dryrun import DryRunStop
    from ._raw import send

    api = api_named(args.api)
    assert api is not None
    recorder = _recorder(args)
    try:
        body = send(api, args, console, recorder)
    except DryRunStop:
        assert recorder is not None
        return _print_dry_run(args, console, recorder, mutates=False)
    from ._output import render, to_data

    # An answer is printed as sent (JSON by default, even on a terminal): raw is for the API's own shape.
    fmt = output_format(args, console, default="json")
    console.out(render(to_data(body), fmt, console=console, query=getattr(args, "query", None)))
    return OK


def _emulator(args: argparse.Namespace, console: Console) -> int:
    from ._emulator import emulator_command

    return emulator_command(args, console)
