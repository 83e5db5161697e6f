"""Build the facade client a command needs, from the command line's settings.

Options named after the environment variables (`--acm-api-key`) become constructor arguments, so
the facades' own rule applies: option > environment variable > profile file > default. A dry run
gets placeholder credentials and a recording transport instead (see `_dryrun`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._console import Console
    from ._dryrun import Recorder
    from ._spec import Api

__all__ = ["build_client"]

_SERVICE_DEST = "clickstack_service"


def _given(api: Api, args: argparse.Namespace, *, dry_run: bool) -> dict[str, Any]:
    from ._dryrun import sentinel

    values: dict[str, Any] = {}
    for setting in api.settings:
        if dry_run and setting.secret:
            values[setting.param] = sentinel(setting.env)
        else:
            values[setting.param] = getattr(args, setting.dest, None)
    return values


def _connection(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "timeout": getattr(args, "request_timeout", None),
        "max_retries": getattr(args, "max_retries", None),
        "profile": getattr(args, "profile", None),
    }


def build_client(api: Api, args: argparse.Namespace, console: Console, recorder: Recorder | None) -> Any:
    """The facade client for `api`, configured from `args`; its secrets registered with `console`.

    Raises:
        ConfigError: a required setting is missing or malformed (the message names the variable).
    """
    import httpx

    dry_run = recorder is not None
    values = _given(api, args, dry_run=dry_run)
    common: dict[str, Any] = _connection(args)
    if dry_run:
        common["http_client"] = httpx.Client(transport=recorder)
    client = _construct(api.name, values, common, args, dry_run=dry_run)
    # The facades keep their credentials wrapped; the console learns them so that no output shows them.
    for secret in client.credentials:
        console.secret(secret)
    for setting in api.settings:
        if setting.secret:
            console.secret(getattr(args, setting.dest, None))
    return client


def _construct(name: str, values: dict[str, Any], common: dict[str, Any], args: Any, *, dry_run: bool) -> Any:
    if name == "clickhouse":
        return _clickhouse(values, common, dry_run=dry_run)
    if name == "clickstack":
        return _clickstack(values, common, args, dry_run=dry_run)
    # Every other API: its registry entry's facade, built from the command line's settings.
    from .._vendors import load, vendor

    entry = vendor(name)
    if entry is None:
        raise ValueError(f"no client for API {name!r}")
    return load(entry.client)(**values, **common)


def _clickstack(values: dict[str, Any], common: dict[str, Any], args: Any, *, dry_run: bool) -> Any:
    from ..clickstack import ClickStack

    service = getattr(args, _SERVICE_DEST, None)
    if service is None:
        return ClickStack(endpoint=values["endpoint"], api_key=values["api_key"], **common)

    # Without an organization anywhere (option, CLICKHOUSE_ORG_ID, profile), the client looks it
    # up with the first request that needs it, after the command's ids and body were checked.
    def managed(org_id: Any) -> Any:
        return ClickStack.managed(
            org_id,
            service,
            key_id=values["key_id"],
            key_secret=values["key_secret"],
            base_url=values["base_url"],
            **common,
        )

    stack = managed(values["org_id"])
    if dry_run and stack.known_org_id is None:
        # A dry run must not ask the API for the organization: it prints as $CLICKHOUSE_ORG_ID.
        stack = managed(_unknown_organization())
    return stack


def _clickhouse(values: dict[str, Any], common: dict[str, Any], *, dry_run: bool) -> Any:
    from ..clickhouse import ClickHouseCloud

    client = ClickHouseCloud(**values, **common)
    if dry_run and client.known_org_id is None:
        # A dry run must not ask the API for the organization: it prints as $CLICKHOUSE_ORG_ID.
        client = ClickHouseCloud(**{**values, "org_id": _unknown_organization()}, **common)
    return client


def _unknown_organization() -> str:
    """What a dry run gives a ClickHouse client that has no organization from any setting.

    Without one the client would ask the API for it: a request that a dry run must not send. The
    placeholder prints as $CLICKHOUSE_ORG_ID.
    """
    from ._dryrun import SENTINELS

    return SENTINELS["CLICKHOUSE_ORG_ID"]
