"""`dbcloud raw API METHOD PATH`: any request, through the facade's auth, retries and error mapping."""

from __future__ import annotations

import argparse
import urllib.parse
from typing import TYPE_CHECKING, Any

from .._secret_names import is_secret_name
from ._invoke import UsageError

if TYPE_CHECKING:
    from ._console import Console
    from ._dryrun import Recorder
    from ._spec import Api

__all__ = ["METHODS", "send"]

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
"""The HTTP methods `raw` sends; any other word is a typo, refused before anything is sent."""


def _pairs(option: str, pairs: list[str]) -> list[tuple[str, str]]:
    found = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{option} takes KEY=VALUE, got {pair!r}")
        found.append((key, value))
    return found


def _refuse_url_secrets(names: list[str]) -> None:
    # A URL is kept in the access logs of the vendor and of every proxy between: a secret goes in
    # the body, as the vendors' own tools send it (acmctl posts its sign-in as a form).
    secret = [name for name in names if is_secret_name(name)]
    if secret:
        raise UsageError(
            f"{secret[0]} looks like a secret, and a URL is kept in access logs: send it in the body "
            f"(--form {secret[0]}=... or --data)"
        )


def send(api: Api, args: argparse.Namespace, console: Console, recorder: Recorder | None) -> Any:
    """Send the request; return the answer's body (JSON decoded, else text; None when empty).

    Errors are the facade's: the vendor's error answers (including ACM's HTTP 200 carrying an error,
    or GraphQL `errors`) raise the same exceptions, and so give the same exit codes, as any command.

    Raises:
        UsageError: the method is not one of `METHODS`, the path is not absolute, a query parameter
            or form field is malformed, a query parameter is a secret (it belongs in the body), or
            both --data and --form are given.
    """
    from ._clients import build_client

    method: str = args.method
    if method not in METHODS:
        from ._parser import closest

        near = closest(method, METHODS)
        meant = f"; did you mean {near}?" if near else ""
        raise UsageError(
            f"unknown HTTP method {method!r}{meant} (one of {', '.join(METHODS)}); nothing was sent"
        )
    path: str = args.path
    if not path.startswith("/"):
        raise UsageError(f"PATH must start with / (it hangs from the API's base URL), got {path!r}")
    query = _pairs("--param", args.param)
    form = _pairs("--form", args.form)
    if form and args.data is not None:
        raise UsageError("give the body as --data (JSON) or as --form fields, not both")
    in_path = urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query, keep_blank_values=True)
    _refuse_url_secrets([name for name, _ in query + in_path])
    client = build_client(api, args, console, recorder)
    with client:
        if "{org_id}" in path:
            if api.name != "clickhouse":
                raise UsageError(
                    "{org_id} stands for the ClickHouse Cloud organization: use it with `raw clickhouse`"
                )
            path = path.replace("{org_id}", client.org_id)
        response = client.request(
            args.method, path, params=query or None, json=args.data, data=dict(form) if form else None
        )
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text
