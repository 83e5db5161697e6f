"""Failures phrased for the command line: its options and variables, not the library's arguments.

The library's messages are written for Python callers (`pass token=...`); its exceptions also carry
the facts behind them (the setting and its variables, the retries made, the timeout that passed,
why a connection failed), and this module says them again in the CLI's terms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._errors import APIError, APITimeoutError, ConfigError
    from ._spec import Api, Setting

__all__ = ["credential_origin", "message"]

# What to do about a refused credential, where the library's advice is Python's.
_AUTH_HINTS = {
    "acm": "ACM refused the API key. Keys expire (after 24 hours unless set otherwise, in GMT) and can "
    "be deleted; create a new one in the ACM console under My Account → API Access",
}


def message(exc: BaseException, args: argparse.Namespace | None) -> str:
    """The text after `dbcloud: error:` for a failure of the command `args` ran."""
    from .. import _errors as e

    api = _api_of(args)
    if isinstance(exc, e.ValidationError):
        text = str(exc)
        if api is not None:  # "(see sources.list())": the library's call is a command here
            text = re.sub(
                r"\(see (\w+)\.list\(\)\)",
                lambda found: f"(see `dbcloud {api.name} {found[1].replace('_', '-')} list`)",
                text,
            )
        return f"invalid request, nothing was sent: {text}{_option_of(exc.field, api, args)}"
    if isinstance(exc, e.ConfigError):
        return f"configuration: {_config(exc, api)}"
    if isinstance(exc, e.AuthenticationError | e.PermissionDeniedError):
        return _auth(exc, api, args)
    if isinstance(exc, e.APITimeoutError):
        return _timeout(exc)
    if isinstance(exc, e.APIConnectionError):
        return _connection(exc)
    if isinstance(exc, e.APIError):
        return f"{exc}{_after(exc)}"
    if isinstance(exc, e.WaitTimeout):
        return _with_notes(str(exc), exc, "it goes on without us")
    if isinstance(exc, KeyboardInterrupt):
        return _with_notes("interrupted", exc, "")
    return str(exc) or type(exc).__name__


def _option_of(field: str | None, api: Api | None, args: argparse.Namespace | None) -> str:
    """Which option of the command gives `field` (the library names its arguments, not our options)."""
    if field is None or api is None or args is None:
        return ""
    try:
        verb = api.resource(args._resource).verb(args._verb)
    except (AttributeError, StopIteration):
        return ""
    option = next((o for o in verb.options if field in (o.dest, o.key) and not o.positional), None)
    if option is None:
        return f" (the field {field} of --file)" if getattr(args, "file", None) else ""
    return f" (option {option.flag})"


def _with_notes(text: str, exc: BaseException, otherwise: str) -> str:
    """The message, then each note on lines of its own (a command to copy stands alone)."""
    notes = [str(note) for note in getattr(exc, "__notes__", ())]
    if not notes:
        return f"{text}; {otherwise}" if otherwise else text
    return "\n".join([text, *notes])


def _api_of(args: argparse.Namespace | None) -> Api | None:
    from ._commands import api_named

    name = getattr(args, "_api", None) or getattr(args, "api", None)
    return api_named(name) if isinstance(name, str) else None


def _settings(api: Api | None) -> Sequence[Setting]:
    from ._commands import all_apis

    if api is not None:
        return api.settings
    return [setting for one in all_apis() for setting in one.settings]  # `dbcloud raw`: every API's


def _config(exc: ConfigError, api: Api | None) -> str:
    from .._config import DEFAULT_PROFILE

    if exc.setting is None or exc.section is None:
        text = str(exc)
        # "the organization id from argument org_id ...": the library's argument is our option.
        for setting in _settings(api):
            text = text.replace(f"from argument {setting.param} ", f"from option {setting.flag} ")
        return text
    flags = {setting.env: setting.flag for setting in _settings(api)}
    ways = [f"set {var}" + (f" or pass {flags[var]}" if var in flags else "") for var in exc.variables[:1]]
    where = f"{exc.section} in {exc.path}"
    ways.append(f"or add {exc.setting} to profile '{exc.profile}' ({where})")
    text = f"no {exc.what} for {exc.api}: {', '.join(ways)}"
    if api is not None:
        chosen = "" if exc.profile in (None, DEFAULT_PROFILE) else f" --profile {exc.profile}"
        text += f", e.g. with `dbcloud configure {api.name}{chosen}`"
    return text


def credential_origin(api: Api, args: argparse.Namespace) -> str | None:
    """Where the command's credential came from, by the facades' rule (option > variable >
    profile file): "option --acm-api-key", "variable ACM_API_KEY" or "profile 'staging' (PATH)"."""
    from .._config import config_file, selected_profile

    used = [s for s in api.settings if s.secret]
    if api.name == "clickstack":  # OSS takes its own key; managed (--service) a ClickHouse Cloud key
        managed = getattr(args, "clickstack_service", None) is not None
        used = [s for s in used if s.env.startswith("CLICKHOUSE_") == managed]
    places = []
    for setting in used:
        if getattr(args, setting.dest, None):
            place = f"option {setting.flag}"
        elif os.environ.get(setting.env):
            place = f"variable {setting.env}"
        else:
            profile = selected_profile(getattr(args, "profile", None))
            place = f"profile '{profile}' ({_shown(config_file())})"
        if place not in places:
            places.append(place)
    return " and ".join(places) or None


def _shown(path: Path) -> str:
    try:
        return f"~/{path.relative_to(Path.home()).as_posix()}"
    except ValueError:
        return str(path)


def _auth(exc: APIError, api: Api | None, args: argparse.Namespace | None) -> str:
    """A refused credential (401) or permission (403), with where the key came from."""
    from .._errors import AuthenticationError

    text = f"{exc}{_after(exc)}"
    cli_hint = _AUTH_HINTS.get(api.name) if api is not None else None
    if isinstance(exc, AuthenticationError) and exc.hint and cli_hint:
        text = text.replace(exc.hint, cli_hint)
    origin = credential_origin(api, args) if api is not None and args is not None else None
    came = f"; the key came from {origin}" if origin else ""
    return f"{text}{came}"


def _after(exc: APIError) -> str:
    count = exc.retries
    return f" after {count} {'retry' if count == 1 else 'retries'}" if count else ""


def _timeout(exc: APITimeoutError) -> str:
    request = f"{exc.method} {exc.url}" if exc.method and exc.url else "the request"
    more = "allow more with --request-timeout SECONDS (or DBCLOUD_TIMEOUT)"
    # The read timeout and the attempt's total deadline are the same number: one phrase for both.
    if exc.phase in ("read", "deadline") and exc.limit is not None:
        said = f"{request}: no answer within {exc.limit:g} s"
    elif exc.phase is not None and exc.limit is not None:
        doing = {"connect": "could not connect", "write": "could not send the request"}
        said = f"{request}: {doing.get(exc.phase, 'no connection free')} within {exc.limit:g} s"
    else:
        said = f"{request} timed out"
    return f"{said}{_after(exc)}; {more}"


def _connection(exc: APIError) -> str:
    from .._errors import APIConnectionError

    assert isinstance(exc, APIConnectionError)
    host = exc.host or "the API"
    reason = exc.reason or str(exc)
    request = f" ({exc.method} {exc.url})" if exc.method and exc.url else ""
    return f"no answer from {host}: {reason}{request}{_after(exc)}"


def resume_command(words: Sequence[str], args: argparse.Namespace) -> str:
    """A command line to run again, with the global options that chose the account (`--profile`)."""
    line = " ".join(_quoted(str(word)) for word in words)
    profile = getattr(args, "profile", None)
    return f"{line} --profile {_quoted(profile)}" if profile else line


def _quoted(word: str) -> str:
    import shlex

    return shlex.quote(word)


def wait_note(call: Any, result: Any) -> str | None:
    """After a verb's own request, what the interrupted or timed-out wait leaves going on, and the
    `wait` command that waits on: "cluster 1006 is still being created; to keep waiting, run ..."."""
    resource, verb = call.resource, call.verb
    wait = next((v for v in resource.verbs if v.name == "wait"), None)
    if wait is None and resource.name != "clusters":
        # A cluster's backups or settings: what goes on is the cluster's operation.
        resource = next((r for r in call.api.resources if r.name == "clusters"), resource)
        wait = next((v for v in resource.verbs if v.name == "wait"), None)
        result = None  # the answer is the backup's or setting's, not the cluster's
    if wait is None:
        return None
    ids = []
    for option in wait.options:
        if not option.positional:
            continue
        value = call.get(option.dest)
        if value is None:
            value = _id_of(result)
        if value is None:
            return None
        ids.append(str(value))
    words = ["dbcloud", call.api.name, resource.name, "wait", *ids]
    if resource is not call.resource:
        return f"the cluster's operation goes on; to keep waiting, run:\n  {resume_command(words, call.args)}"
    if verb.name == "delete" and any(o.dest == "until" for o in wait.options):
        words += ["--until", "deleted"]
    creates = verb.name == "launch" or verb.name.startswith("create")  # create, create-serverless
    doing = "created" if creates else "deleted" if verb.name == "delete" else "changed"
    what = resource.name.removesuffix("s").replace("-", " ")
    again = f" (running `{verb.name}` again would create another one)" if creates else ""
    return (
        f"{what} {' '.join(ids)} is still being {doing}{again}; to keep waiting, run:\n"
        f"  {resume_command(words, call.args)}"
    )


def _id_of(result: Any) -> Any:
    if isinstance(result, dict):
        return result.get("id")
    return getattr(result, "id", None)


def same_command(call: Any) -> str:
    """The command line of a `wait` verb again, from what was given (credentials left out: they
    come from the same options, variables or profile)."""
    words = ["dbcloud", call.api.name, call.resource.name, call.verb.name]
    for option in call.verb.options:
        value = call.get(option.dest)
        if value is None:
            continue
        if option.positional:
            words.append(str(value))
        elif option.kind == "flag":
            words.append(option.flag)
        elif option.kind == "bool":
            words.append(option.flag if value else "--no-" + option.flag.removeprefix("--"))
        elif isinstance(value, list):
            for item in value:
                words += [option.flag, str(item)]
        elif isinstance(value, dict):
            for key, item in value.items():
                words += [option.flag, f"{key}={item if isinstance(item, str) else json.dumps(item)}"]
        elif option.kind == "json":
            words += [option.flag, json.dumps(value)]
        elif hasattr(value, "isoformat"):
            words += [option.flag, value.isoformat()]
        else:
            words += [option.flag, str(value)]
    timeout = call.get("wait_timeout")
    if timeout is not None:
        words += ["--wait-timeout", f"{timeout:g}"]
    return resume_command(words, call.args)


def wait_verb_note(call: Any) -> str:
    """What a stopped `wait` verb leaves: the resource goes on, and the same command waits again."""
    return f"it goes on without us; to keep waiting, run:\n  {same_command(call)}"


def interrupted_note(call: Any) -> str:
    """What an interrupt during a change's own request leaves unknown, and the list that tells."""
    text = f"`{call.verb.name}` may have reached the API before the interrupt; check before running it again"
    listing = next((v for v in call.resource.verbs if v.name == "list"), None)
    if listing is None:
        return text
    words = ["dbcloud", call.api.name, call.resource.name, "list"]
    for option in listing.options:
        if not (option.positional or option.required):
            continue
        value = call.get(option.dest)
        if value is None:
            return text
        words += [str(value)] if option.positional else [option.flag, str(value)]
    return f"{text}:\n  {resume_command(words, call.args)}"
