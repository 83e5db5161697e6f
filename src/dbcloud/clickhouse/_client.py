"""`dbcloud.ClickHouseCloud`: the ClickHouse Cloud control-plane API."""

from __future__ import annotations

import functools
import inspect
import time
import uuid
from collections.abc import Callable, Mapping
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx

from .._auth import BasicAuth
from .._base import CONNECTION_FIELDS, SyncAPIClient, chosen_timeout, connection_args
from .._config import Field, resolve
from .._errors import ConfigError, ValidationError
from .._http import basic_credential, build_http_client, transport_of
from .._response import Expect
from .._secret import Secret
from . import _cloud
from ._body import build_body

if TYPE_CHECKING:
    from ._activities import Activities
    from ._backups import Backups
    from ._keys import Keys
    from ._members import Invitations, Members
    from ._organizations import Organizations
    from ._services import Services

# The generated client `api` returns, imported for type checkers only: the vendor's generated
# package loads when the facade first needs it, not with the facade.
if TYPE_CHECKING:
    from dbcloud_clickhouse_client.client import AuthenticatedClient as ClickHouseApi
else:
    ClickHouseApi = Any

__all__ = ["DEFAULT_BASE_URL", "ClickHouseCloud", "make_http", "server_root"]

DEFAULT_BASE_URL = "https://api.clickhouse.cloud"

FIELDS = (
    Field("key_id", ("CLICKHOUSE_CLOUD_API_KEY",), required=True, hint="API key id"),
    Field("key_secret", ("CLICKHOUSE_CLOUD_API_SECRET",), secret=True, required=True, hint="API key secret"),
    Field("org_id", ("CLICKHOUSE_ORG_ID",), hint="organization id"),
    Field("base_url", ("CLICKHOUSE_API_URL",), default=DEFAULT_BASE_URL),
    *CONNECTION_FIELDS,
)


@functools.cache
def _takes_organization(operation: ModuleType) -> bool:
    # Once per operation module: inspecting a signature on every request would cost more than it.
    return "organization_id" in inspect.signature(operation._get_kwargs).parameters


def server_root(url: str) -> str:
    """The server root the spec's `/v1/...` paths hang from; a URL ending in `/v1` is accepted too
    (the Terraform provider's CLICKHOUSE_API_URL includes it)."""
    root = url.rstrip("/")
    return root.removesuffix("/v1") if root.endswith("/v1") else root


def make_http(
    root: str,
    key_id: str,
    key_secret: Secret,
    *,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    http_client: httpx.Client | None,
    sleep: Callable[[float], None],
) -> httpx.Client:
    """The httpx client for ClickHouse Cloud: Basic auth (key id : key secret) for its origin only."""
    return build_http_client(
        base_url=root,
        auth=BasicAuth(key_id, key_secret, origin=root),
        timeout=timeout,
        max_retries=max_retries,
        transport=transport_of(http_client, root) if http_client is not None else None,
        sleep=sleep,
    )


def uuid_text(value: Any, field: str) -> str:
    """An id the spec declares as a UUID, checked before it goes into a path."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            uuid.UUID(value)
        except ValueError:
            pass
        else:
            return value
    raise ValidationError(f"{field} must be a UUID, got {value!r}", field=field)


class ClickHouseCloud(SyncAPIClient[ClickHouseApi]):
    """Client of the ClickHouse Cloud control-plane API (`https://api.clickhouse.cloud/v1`).

    Settings come from the arguments, else `CLICKHOUSE_CLOUD_API_KEY` / `CLICKHOUSE_CLOUD_API_SECRET`
    / `CLICKHOUSE_ORG_ID` / `CLICKHOUSE_API_URL`, else the profile file (`[<profile>.clickhouse]` in
    ~/.config/dbcloud/config.toml), else the defaults. Without an organization id, the first call that
    needs one asks the API for the key's organizations and uses the only one.

    Args:
        key_id: the API key id (HTTP Basic user name).
        key_secret: the API key secret (HTTP Basic password); never logged or shown.
        org_id: the organization every call works in.
        base_url: the server root (default https://api.clickhouse.cloud), with or without `/v1`.
        timeout: seconds (or an `httpx.Timeout`) per request (default: 5 s to connect, 30 s to read).
        max_retries: retries of requests that are safe to repeat (default 2).
        http_client: an httpx.Client whose transport (proxies, certificates) dbcloud should use.
        profile: the profile to read from the profile file (default `$DBCLOUD_PROFILE` or "default").

    Raises:
        ConfigError: the key id or secret is missing (the message names the variables), or the
            organization id or base URL is malformed.
    """

    _PACKAGE = "dbcloud_clickhouse_client"

    def __init__(
        self,
        *,
        key_id: str | None = None,
        key_secret: str | Secret | None = None,
        org_id: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> None:
        settings = resolve(
            "clickhouse",
            FIELDS,
            {
                "key_id": key_id,
                "key_secret": key_secret,
                "org_id": org_id,
                "base_url": base_url,
                **connection_args(timeout, max_retries),
            },
            profile=profile,
        )
        root = server_root(str(settings["base_url"]))
        secret = settings.typed("key_secret", Secret)
        assert secret is not None  # required
        org = settings.typed("org_id", str)
        if org is not None:
            try:
                org = uuid_text(org, "org_id")
            except ValidationError:
                raise ConfigError(
                    f"the organization id from {settings.origin('org_id')} is not a UUID: {org!r}"
                ) from None
        self._org_id: str | None = org
        # Waits and retry pauses both go through self._sleep, so one swapped clock drives both.
        self._clock: Callable[[], float] = time.monotonic
        self._sleep: Callable[[float], None] = time.sleep
        http = make_http(
            root,
            str(settings["key_id"]),
            secret,
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            http_client=http_client,
            sleep=lambda seconds: self._sleep(seconds),
        )
        # The secret travels alone and, in the Basic header, base64-encoded with the key id: a server
        # that echoes the header must not get either form into an exception.
        secrets = (secret, basic_credential(str(settings["key_id"]), secret))
        super().__init__(http=http, owns_http=True, base_url=root, dialect=_cloud.DIALECT, secrets=secrets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, org_id={self._org_id!r})"

    @property
    def org_id(self) -> str:
        """The organization the calls work in; looked up once when not configured.

        Raises:
            ConfigError: none was configured and the key sees no organization or more than one.
        """
        if self._org_id is None:
            self._org_id = self._only_organization()
        return self._org_id

    @property
    def known_org_id(self) -> str | None:
        """The organization if it is known without asking the API (configured, or looked up
        already); None when the first call that needs one will look it up."""
        return self._org_id

    def _only_organization(self) -> str:
        return _cloud.only_organization(self._call("organization.organization_get_list", Expect.LIST))

    # --- resources -------------------------------------------------------------------------------

    @cached_property
    def organizations(self) -> Organizations:
        """Organizations: `list()`, `get()`, `update()`."""
        from ._organizations import Organizations

        return Organizations(self)

    @cached_property
    def services(self) -> Services:
        """Services: `list`, `get`, `create`, `update`, `delete`, `start`, `stop`, `wake`,
        `set_scaling`, `reset_password`, `wait_until`, `wait_until_ready`, `wait_until_deleted`."""
        from ._services import Services

        return Services(self)

    @cached_property
    def backups(self) -> Backups:
        """Backups of a service: `list`, `get`, `create`, `delete`."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def keys(self) -> Keys:
        """API keys: `list`, `get`, `create`, `update`, `delete`."""
        from ._keys import Keys

        return Keys(self)

    @cached_property
    def members(self) -> Members:
        """Organization members: `list`, `get`, `update`, `delete`."""
        from ._members import Members

        return Members(self)

    @cached_property
    def invitations(self) -> Invitations:
        """Invitations to the organization: `list`, `get`, `create`, `delete`."""
        from ._members import Invitations

        return Invitations(self)

    @cached_property
    def activities(self) -> Activities:
        """The organization's audit log: `list`, `get`."""
        from ._activities import Activities

        return Activities(self)

    # --- for resources ---------------------------------------------------------------------------

    def _request_for(self, operation: str, **arguments: Any) -> dict[str, Any]:
        """The request for `operation`; the client's organization fills in an `organization_id` not given.

        Resources leave the organization out, so that it is read (and, when not configured, looked up
        with a request of its own) only here: after their ids and body were checked, so that a request
        refused as invalid sends nothing at all.
        """
        if "organization_id" not in arguments and _takes_organization(self._operation(operation)):
            arguments["organization_id"] = self.org_id
        return super()._request_for(operation, **arguments)

    def _call_with_body(
        self,
        operation: str,
        model: type[Any],
        fields: Mapping[str, Any],
        expect: Expect = Expect.ANY,
        /,
        *,
        what: str,
        **arguments: Any,
    ) -> Any:
        """Send an operation with a JSON body built from `fields` (checked against `model` first)."""
        parsed, wire = build_body(model, fields, what=what)
        return self._call(operation, expect, wire, **arguments, body=parsed)

    def _call_path(self, method: str, path: str, *, expect: Expect = Expect.ANY) -> Any:
        """Send a request the spec does not declare (only what the vendor's own docs list)."""
        request = {"method": method, "url": path}
        return self._finish(self._send(request), expect=expect)
