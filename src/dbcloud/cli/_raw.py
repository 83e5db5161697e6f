"""`dbcloud raw API METHOD PATH`: any request, through the facade's auth, retries and error mapping."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._invoke import UsageError

if TYPE_CHECKING:
    from ._console import Console
    from ._dryrun import Recorder
    from ._spec import Api

__all__ = ["send"]


def _query(pairs: list[str]) -> list[tuple[str, str]]:
    query = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--query takes KEY=VALUE, got {pair!r}")
        query.append((key, value))
    return query


def send(api: Api, args: argparse.Namespace, console: Console, recorder: Recorder | None) -> Any:
    """Send the request; return the answer's body (JSON decoded, else text; None when empty).

    Errors are the facade's: the vendor's error answers (including ACM's HTTP 200 carrying an error,
    or GraphQL `errors`) raise the same exceptions, and so give the same exit codes, as any command.

    Raises:
        UsageError: the path is not absolute or a query parameter is malformed.
    """
    from ._clients import build_client

    path: str = args.path
    if not path.startswith("/"):
        raise UsageError(f"PATH must start with / (it hangs from the API's base URL), got {path!r}")
    client = build_client(api, args, console, recorder)
    with client:
        if "{org_id}" in path:
            if api.name != "clickhouse":
                raise UsageError(
                    "{org_id} stands for the ClickHouse Cloud organization: use it with `raw clickhouse`"
                )
            path = path.replace("{org_id}", client.org_id)
        request: dict[str, Any] = {"method": args.method, "url": path}
        if query := _query(args.query):
            request["params"] = query
        if args.data is not None:
            request["json"] = args.data
        response = client._send(request)
        client._decode(response)  # raises the vendor's error for an error answer, as any command would
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text
