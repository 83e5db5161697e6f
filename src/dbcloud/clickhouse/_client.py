"""`dbcloud.ClickHouseCloud`: the ClickHouse Cloud control-plane API."""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Mapping
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx

from .._auth import BasicAuth
from .._base import (
    CONNECTION_FIELDS,
    AsyncAPIClient,
    BaseClient,
    Connection,
    SyncAPIClient,
    chosen_timeout,
    connection_args,
)
from .._config import Field, resolve
from .._errors import ConfigError, ValidationError
from .._flow import Flow, Send
from .._http import basic_credential
from .._response import Expect
from .._secret import Secret
from . import _cloud
from ._body import build_body

if TYPE_CHECKING:
    from ._activities import Activities
    from ._backup_config import BackupConfigurations
    from ._backups import Backups
    from ._clickpipes import ClickPipes
    from ._endpoints import QueryEndpoints
    from ._keys import Keys
    from ._members import Invitations, Members
    from ._organizations import Organizations
    from ._schedules import ScalingSchedules
    from ._services import Services
    from ._settings import ClickHouseSettings
    from ._usage import Usage

# The generated client `api` returns, imported for type checkers only: the vendor's generated
# package loads when the facade first needs it, not with the facade.
if TYPE_CHECKING:
    from dbcloud_clickhouse_client.client import AuthenticatedClient as ClickHouseApi
else:
    ClickHouseApi = Any

__all__ = ["DEFAULT_BASE_URL", "AsyncClickHouseCloud", "ClickHouseCloud", "server_root"]

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


class _ClickHouse(BaseClient[ClickHouseApi]):
    """What the sync and the async ClickHouse Cloud clients share: settings, connection, the
    organization and the requests that need it."""

    _PACKAGE = "dbcloud_clickhouse_client"
    _org_id: str | None

    def _connection(
        self,
        *,
        key_id: str | None,
        key_secret: str | Secret | None,
        org_id: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        profile: str | None,
    ) -> Connection:
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
        self._org_id = org
        user = str(settings["key_id"])
        return Connection(
            base_url=root,
            auth=BasicAuth(user, secret, origin=root),
            dialect=_cloud.DIALECT,
            # The secret travels alone and, in the Basic header, base64-encoded with the key id: a
            # server that echoes the header must not get either form into an exception.
            secrets=(secret, basic_credential(user, secret)),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, org_id={self._org_id!r})"

    @property
    def known_org_id(self) -> str | None:
        """The organization if it is known without asking the API (configured, or looked up
        already); None when the first call that needs one will look it up."""
        return self._org_id

    # --- for resources ---------------------------------------------------------------------------

    def _org_id_flow(self) -> Flow[str]:
        """The organization the calls work in: the configured one, else the key's only one, asked
        for once (`ConfigError` when the key sees none or several)."""
        if self._org_id is None:
            listed = yield from self._call_flow("organization.organization_get_list", Expect.LIST)
            self._org_id = _cloud.only_organization(listed)
        return self._org_id

    def _request_flow(self, operation: str, **arguments: Any) -> Flow[dict[str, Any]]:
        """The request for `operation`; the client's organization fills in an `organization_id` not given.

        Resources leave the organization out, so that it is read (and, when not configured, looked up
        with a request of its own) only here: after their ids and body were checked, so that a request
        refused as invalid sends nothing at all.
        """
        if "organization_id" not in arguments and _takes_organization(self._operation(operation)):
            arguments["organization_id"] = yield from self._org_id_flow()
        return self._request_for(operation, **arguments)

    def _call_with_body_flow(
        self,
        operation: str,
        model: type[Any],
        fields: Mapping[str, Any],
        expect: Expect = Expect.ANY,
        /,
        *,
        what: str,
        **arguments: Any,
    ) -> Flow[Any]:
        """Send an operation with a JSON body built from `fields` (checked against `model` first)."""
        parsed, wire = build_body(model, fields, what=what)
        return (yield from self._call_flow(operation, expect, wire, **arguments, body=parsed))

    def _call_path_flow(self, method: str, path: str, *, expect: Expect = Expect.ANY) -> Flow[Any]:
        """Send a request the spec does not declare (only what the vendor's own docs list)."""
        response = yield Send({"method": method, "url": path})
        return self._finish(response, expect=expect)


class ClickHouseCloud(_ClickHouse, SyncAPIClient[ClickHouseApi]):
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
        connection = self._connection(
            key_id=key_id,
            key_secret=key_secret,
            org_id=org_id,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            profile=profile,
        )
        self._open(connection, http_client=http_client)

    @property
    def org_id(self) -> str:
        """The organization the calls work in; looked up once when not configured.

        Raises:
            ConfigError: none was configured and the key sees no organization or more than one.
        """
        return self._run(self._org_id_flow())

    # --- resources -------------------------------------------------------------------------------

    @cached_property
    def organizations(self) -> Organizations[httpx.Client]:
        """Organizations: `list()`, `get()`, `update()`."""
        from ._organizations import Organizations

        return Organizations(self)

    @cached_property
    def services(self) -> Services[httpx.Client]:
        """Services: `list`, `get`, `create`, `update`, `delete`, `start`, `stop`, `wake`,
        `set_scaling`, `reset_password`, `wait_until`, `wait_until_ready`, `wait_until_deleted`."""
        from ._services import Services

        return Services(self)

    @cached_property
    def backups(self) -> Backups[httpx.Client]:
        """Backups of a service: `list`, `get`, `create`, `delete`."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def keys(self) -> Keys[httpx.Client]:
        """API keys: `list`, `get`, `create`, `update`, `delete`."""
        from ._keys import Keys

        return Keys(self)

    @cached_property
    def members(self) -> Members[httpx.Client]:
        """Organization members: `list`, `get`, `update`, `delete`."""
        from ._members import Members

        return Members(self)

    @cached_property
    def invitations(self) -> Invitations[httpx.Client]:
        """Invitations to the organization: `list`, `get`, `create`, `delete`."""
        from ._members import Invitations

        return Invitations(self)

    @cached_property
    def activities(self) -> Activities[httpx.Client]:
        """The organization's audit log: `list`, `get`."""
        from ._activities import Activities

        return Activities(self)

    # --- day-2 operations ------------------------------------------------------------------------

    @cached_property
    def query_endpoints(self) -> QueryEndpoints[httpx.Client]:
        """A service's query API endpoint: `get`, `upsert`, `delete`."""
        from ._endpoints import QueryEndpoints

        return QueryEndpoints(self)

    @cached_property
    def backup_configuration(self) -> BackupConfigurations[httpx.Client]:
        """A service's backup schedule and retention: `get`, `update`."""
        from ._backup_config import BackupConfigurations

        return BackupConfigurations(self)

    @cached_property
    def clickhouse_settings(self) -> ClickHouseSettings[httpx.Client]:
        """A service's ClickHouse settings: `list`, `schema`, `get`, `update`, `reset`."""
        from ._settings import ClickHouseSettings

        return ClickHouseSettings(self)

    @cached_property
    def usage(self) -> Usage[httpx.Client]:
        """The organization's usage cost report: `usage(start_date, end_date)`."""
        from ._usage import Usage

        return Usage(self)

    @cached_property
    def clickpipes(self) -> ClickPipes[httpx.Client]:
        """ClickPipes of a service: `list`, `get`, `create`, `update`, `start`, `stop`, `resync`,
        `delete`, `wait_until_running`."""
        from ._clickpipes import ClickPipes

        return ClickPipes(self)

    @cached_property
    def scaling_schedules(self) -> ScalingSchedules[httpx.Client]:
        """Scaling schedules of services (beta): `get`, `set`, `delete`."""
        from ._schedules import ScalingSchedules

        return ScalingSchedules(self)


class AsyncClickHouseCloud(_ClickHouse, AsyncAPIClient[ClickHouseApi]):
    """The async client of the ClickHouse Cloud control-plane API: `ClickHouseCloud`'s resources,
    verbs, arguments, settings and results, over `httpx.AsyncClient` (every call is awaited, every
    list an `AsyncPager`, and `async with` closes it).

    The organization, when not configured, is looked up by the first call that needs it, as with
    `ClickHouseCloud`; `await client.organization_id()` gives it (there is no `org_id` property,
    since reading it may send a request), and `known_org_id` tells it without asking.

    Args:
        http_client: an `httpx.AsyncClient` whose transport dbcloud should use; the other
            arguments are `ClickHouseCloud`'s.
    """

    def __init__(
        self,
        *,
        key_id: str | None = None,
        key_secret: str | Secret | None = None,
        org_id: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            key_id=key_id,
            key_secret=key_secret,
            org_id=org_id,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            profile=profile,
        )
        self._open(connection, http_client=http_client)

    async def organization_id(self) -> str:
        """The organization the calls work in (`ClickHouseCloud.org_id`, awaited): the configured
        one, else the key's only organization, looked up once.

        Raises:
            ConfigError: none was configured and the key sees no organization or more than one.
        """
        return await self._arun(self._org_id_flow())

    # --- resources -------------------------------------------------------------------------------

    @cached_property
    def organizations(self) -> Organizations[httpx.AsyncClient]:
        """Organizations, as `ClickHouseCloud.organizations`, awaited."""
        from ._organizations import Organizations

        return Organizations(self)

    @cached_property
    def services(self) -> Services[httpx.AsyncClient]:
        """Services, as `ClickHouseCloud.services`, awaited."""
        from ._services import Services

        return Services(self)

    @cached_property
    def backups(self) -> Backups[httpx.AsyncClient]:
        """Backups of a service, as `ClickHouseCloud.backups`, awaited."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def keys(self) -> Keys[httpx.AsyncClient]:
        """API keys, as `ClickHouseCloud.keys`, awaited."""
        from ._keys import Keys

        return Keys(self)

    @cached_property
    def members(self) -> Members[httpx.AsyncClient]:
        """Organization members, as `ClickHouseCloud.members`, awaited."""
        from ._members import Members

        return Members(self)

    @cached_property
    def invitations(self) -> Invitations[httpx.AsyncClient]:
        """Invitations to the organization, as `ClickHouseCloud.invitations`, awaited."""
        from ._members import Invitations

        return Invitations(self)

    @cached_property
    def activities(self) -> Activities[httpx.AsyncClient]:
        """The organization's audit log, as `ClickHouseCloud.activities`, awaited."""
        from ._activities import Activities

        return Activities(self)

    # --- day-2 operations ------------------------------------------------------------------------

    @cached_property
    def query_endpoints(self) -> QueryEndpoints[httpx.AsyncClient]:
        """A service's query API endpoint, as `ClickHouseCloud.query_endpoints`, awaited."""
        from ._endpoints import QueryEndpoints

        return QueryEndpoints(self)

    @cached_property
    def backup_configuration(self) -> BackupConfigurations[httpx.AsyncClient]:
        """A service's backup configuration, as `ClickHouseCloud.backup_configuration`, awaited."""
        from ._backup_config import BackupConfigurations

        return BackupConfigurations(self)

    @cached_property
    def clickhouse_settings(self) -> ClickHouseSettings[httpx.AsyncClient]:
        """A service's ClickHouse settings, as `ClickHouseCloud.clickhouse_settings`, awaited."""
        from ._settings import ClickHouseSettings

        return ClickHouseSettings(self)

    @cached_property
    def usage(self) -> Usage[httpx.AsyncClient]:
        """The usage cost report, as `ClickHouseCloud.usage`: `await client.usage(start_date, end_date)`."""
        from ._usage import Usage

        return Usage(self)

    @cached_property
    def clickpipes(self) -> ClickPipes[httpx.AsyncClient]:
        """ClickPipes of a service, as `ClickHouseCloud.clickpipes`, awaited."""
        from ._clickpipes import ClickPipes

        return ClickPipes(self)

    @cached_property
    def scaling_schedules(self) -> ScalingSchedules[httpx.AsyncClient]:
        """Scaling schedules of services, as `ClickHouseCloud.scaling_schedules`, awaited."""
        from ._schedules import ScalingSchedules

        return ScalingSchedules(self)
