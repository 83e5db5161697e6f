"""`dbcloud.CockroachCloud`: the CockroachDB Cloud REST API."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .._auth import BearerAuth
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
from .._errors import ConfigError
from .._http import redact_url
from .._secret import Secret
from . import _crdb

if TYPE_CHECKING:
    from ._accounts import ApiKeys, ServiceAccounts
    from ._allowlists import IpAllowlists
    from ._clusters import Clusters
    from ._databases import Databases
    from ._folders import Folders
    from ._maintenance import MaintenanceWindows
    from ._sql_users import SqlUsers

if TYPE_CHECKING:  # backups, restores and the backup configuration
    from ._backups import BackupConfigurations, Backups, Restores

if TYPE_CHECKING:  # log export and metric export
    from ._export import LogExports, MetricExports

# The generated client `api` returns, imported for type checkers only: the vendor's generated
# package loads when the facade first needs it, not with the facade.
if TYPE_CHECKING:
    from dbcloud_cockroach_client.client import AuthenticatedClient as CockroachApi
else:
    CockroachApi = Any

__all__ = ["DEFAULT_BASE_URL", "VERSION_HEADER", "AsyncCockroachCloud", "CockroachCloud"]

DEFAULT_BASE_URL = "https://cockroachlabs.cloud"
VERSION_HEADER = "Cc-Version"

_FIELDS = (
    Field("api_key", ("COCKROACH_API_KEY",), secret=True, required=True, hint="API secret key"),
    Field("base_url", ("COCKROACH_SERVER",), default=DEFAULT_BASE_URL),
    # No vendor tool reads a variable for it, so it comes from the argument or the profile only.
    Field("api_version", ()),
    *CONNECTION_FIELDS,
)


def _server_root(url: str) -> str:
    # The spec's paths start with /api/v1, so the server root is wanted; the API root that the
    # vendor's docs print (https://cockroachlabs.cloud/api/v1) is accepted too.
    root = url.rstrip("/")
    for suffix in ("/api/v1", "/api"):
        if root.endswith(suffix):
            return root.removesuffix(suffix)
    return root


def _spec_version() -> str:
    from dbcloud_cockroach_client._spec import SPEC_VERSION

    return SPEC_VERSION


class _Cockroach(BaseClient[CockroachApi]):
    """What the sync and the async CockroachDB Cloud clients share: settings and connection."""

    _PACKAGE = "dbcloud_cockroach_client"
    _api_version: str

    def _connection(
        self,
        *,
        api_key: str | Secret | None,
        base_url: str | None,
        api_version: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        profile: str | None,
    ) -> Connection:
        settings = resolve(
            "cockroach",
            _FIELDS,
            {
                "api_key": api_key,
                "base_url": base_url,
                "api_version": api_version,
                **connection_args(timeout, max_retries),
            },
            profile=profile,
        )
        root = _server_root(str(settings["base_url"]))
        secret = settings["api_key"]
        assert isinstance(secret, Secret)  # a required secret field resolves to a Secret
        version = settings.typed("api_version", str) or _spec_version()
        if not version.strip() or any(c in version for c in "\r\n\x00"):
            raise ConfigError("api_version must be an API version date such as 2024-09-16")
        self._api_version = version.strip()
        return Connection(
            base_url=root,
            auth=BearerAuth(secret, origin=root, extra_headers={VERSION_HEADER: self._api_version}),
            dialect=_crdb.DIALECT,
            secrets=(secret,),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
        )

    @property
    def api_version(self) -> str:
        """The `Cc-Version` every request carries."""
        return self._api_version

    def __repr__(self) -> str:
        shown = redact_url(self._base_url)
        return f"{type(self).__name__}(base_url={shown!r}, api_version={self._api_version!r})"


class CockroachCloud(_Cockroach, SyncAPIClient[CockroachApi]):
    """Client of the CockroachDB Cloud API.

    Settings come from the arguments, else `COCKROACH_API_KEY` / `COCKROACH_SERVER` (the variables
    of the vendor's Terraform provider), else the profile file (`[<profile>.cockroach]` in
    ~/.config/dbcloud/config.toml), else the defaults.

    Every request carries `Cc-Version`, the API version the client was generated from (the spec's
    `info.version`), so that the API answers in the shapes this client reads. Reads, updates and
    deletes are retried after 429 (honouring `Retry-After`: the API allows about 10 requests per
    second per user), 502, 503, 504 and broken connections; creates only after a 429, when nothing
    was created.

    Args:
        api_key: a service account's secret key; sent as `Authorization: Bearer <key>`, to the
            base URL's origin only.
        base_url: the server root (default https://cockroachlabs.cloud); a trailing `/api/v1` is
            accepted.
        api_version: the `Cc-Version` to send (default: the spec's version, 2024-09-16).
        timeout: seconds (or an `httpx.Timeout`) per request (default: 5 s to connect, 30 s to read).
        max_retries: retries of requests that are safe to repeat (default 2).
        http_client: an httpx.Client whose transport (proxies, certificates) dbcloud should use.
        profile: the profile to read from the profile file (default `$DBCLOUD_PROFILE` or "default").

    Raises:
        ConfigError: no API key is given anywhere (the message names `COCKROACH_API_KEY`), or a
            setting is malformed.
    """

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        base_url: str | None = None,
        api_version: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            api_key=api_key,
            base_url=base_url,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            profile=profile,
        )
        self._open(connection, http_client=http_client)

    @cached_property
    def clusters(self) -> Clusters[httpx.Client]:
        """Clusters: `list`, `get`, `create`, `create_serverless`, `update`, `delete`, `nodes`,
        `available_regions`, `wait_until_ready`, `wait_until_deleted`, `connection_string`."""
        from ._clusters import Clusters

        return Clusters(self)

    @cached_property
    def sql_users(self) -> SqlUsers[httpx.Client]:
        """A cluster's SQL users: `list`, `get`, `create`, `change_password`, `delete`."""
        from ._sql_users import SqlUsers

        return SqlUsers(self)

    @cached_property
    def maintenance_windows(self) -> MaintenanceWindows[httpx.Client]:
        """An Advanced cluster's weekly maintenance window: `get`, `set`, `delete`."""
        from ._maintenance import MaintenanceWindows

        return MaintenanceWindows(self)

    @cached_property
    def folders(self) -> Folders[httpx.Client]:
        """The organization's folders: `list`, `get`, `create`, `update`, `delete`, `contents`."""
        from ._folders import Folders

        return Folders(self)

    @cached_property
    def service_accounts(self) -> ServiceAccounts[httpx.Client]:
        """The organization's service accounts: `list`, `get`, `create`, `update`, `delete`."""
        from ._accounts import ServiceAccounts

        return ServiceAccounts(self)

    @cached_property
    def api_keys(self) -> ApiKeys[httpx.Client]:
        """Service accounts' API keys: `list`, `get`, `create` (the secret, once), `update`, `delete`."""
        from ._accounts import ApiKeys

        return ApiKeys(self)

    # --- backups, restores and the backup configuration ---

    @cached_property
    def backups(self) -> Backups[httpx.Client]:
        """A cluster's managed backups: `list`."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def restores(self) -> Restores[httpx.Client]:
        """Restore jobs into a cluster: `list`, `get`, `create` (sent once), `wait_until_done`."""
        from ._backups import Restores

        return Restores(self)

    @cached_property
    def backup_configuration(self) -> BackupConfigurations[httpx.Client]:
        """A cluster's backup settings: `get`, `update`."""
        from ._backups import BackupConfigurations

        return BackupConfigurations(self)

    # --- log export and metric export ---

    @cached_property
    def log_export(self) -> LogExports[httpx.Client]:
        """A cluster's log export: `get`, `enable`, `disable`, `wait_until_enabled`."""
        from ._export import LogExports

        return LogExports(self)

    @cached_property
    def metric_export(self) -> MetricExports[httpx.Client]:
        """A cluster's metric exports: `datadog`, `cloudwatch`, `prometheus`, each with `get`,
        `enable`, `disable`, `wait_until_enabled`."""
        from ._export import MetricExports

        return MetricExports(self)

    @cached_property
    def databases(self) -> Databases[httpx.Client]:
        """A cluster's databases: `list`, `create`, `rename`, `delete` (sent once)."""
        from ._databases import Databases

        return Databases(self)

    @cached_property
    def ip_allowlists(self) -> IpAllowlists[httpx.Client]:
        """A cluster's IP allowlist: `list`, `get`, `add`, `update`, `remove`."""
        from ._allowlists import IpAllowlists

        return IpAllowlists(self)


class AsyncCockroachCloud(_Cockroach, AsyncAPIClient[CockroachApi]):
    """The async client of the CockroachDB Cloud API: `CockroachCloud`'s resources, verbs,
    arguments, settings and results, over `httpx.AsyncClient` (every call is awaited, every list
    an `AsyncPager`, and `async with` closes it).

    Args:
        http_client: an `httpx.AsyncClient` whose transport dbcloud should use; the other
            arguments are `CockroachCloud`'s.
    """

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        base_url: str | None = None,
        api_version: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            api_key=api_key,
            base_url=base_url,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            profile=profile,
        )
        self._open(connection, http_client=http_client)

    @cached_property
    def clusters(self) -> Clusters[httpx.AsyncClient]:
        """Clusters, as `CockroachCloud.clusters`, awaited."""
        from ._clusters import Clusters

        return Clusters(self)

    @cached_property
    def sql_users(self) -> SqlUsers[httpx.AsyncClient]:
        """A cluster's SQL users, as `CockroachCloud.sql_users`, awaited."""
        from ._sql_users import SqlUsers

        return SqlUsers(self)

    @cached_property
    def maintenance_windows(self) -> MaintenanceWindows[httpx.AsyncClient]:
        """An Advanced cluster's maintenance window, as `CockroachCloud.maintenance_windows`, awaited."""
        from ._maintenance import MaintenanceWindows

        return MaintenanceWindows(self)

    @cached_property
    def folders(self) -> Folders[httpx.AsyncClient]:
        """The organization's folders, as `CockroachCloud.folders`, awaited."""
        from ._folders import Folders

        return Folders(self)

    @cached_property
    def service_accounts(self) -> ServiceAccounts[httpx.AsyncClient]:
        """The organization's service accounts, as `CockroachCloud.service_accounts`, awaited."""
        from ._accounts import ServiceAccounts

        return ServiceAccounts(self)

    @cached_property
    def api_keys(self) -> ApiKeys[httpx.AsyncClient]:
        """Service accounts' API keys, as `CockroachCloud.api_keys`, awaited."""
        from ._accounts import ApiKeys

        return ApiKeys(self)

    # --- backups, restores and the backup configuration ---

    @cached_property
    def backups(self) -> Backups[httpx.AsyncClient]:
        """A cluster's managed backups, as `CockroachCloud.backups`, awaited."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def restores(self) -> Restores[httpx.AsyncClient]:
        """Restore jobs into a cluster, as `CockroachCloud.restores`, awaited."""
        from ._backups import Restores

        return Restores(self)

    @cached_property
    def backup_configuration(self) -> BackupConfigurations[httpx.AsyncClient]:
        """A cluster's backup settings, as `CockroachCloud.backup_configuration`, awaited."""
        from ._backups import BackupConfigurations

        return BackupConfigurations(self)

    # --- log export and metric export ---

    @cached_property
    def log_export(self) -> LogExports[httpx.AsyncClient]:
        """A cluster's log export, as `CockroachCloud.log_export`, awaited."""
        from ._export import LogExports

        return LogExports(self)

    @cached_property
    def metric_export(self) -> MetricExports[httpx.AsyncClient]:
        """A cluster's metric exports, as `CockroachCloud.metric_export`, awaited."""
        from ._export import MetricExports

        return MetricExports(self)

    @cached_property
    def databases(self) -> Databases[httpx.AsyncClient]:
        """A cluster's databases, as `CockroachCloud.databases`, awaited."""
        from ._databases import Databases

        return Databases(self)

    @cached_property
    def ip_allowlists(self) -> IpAllowlists[httpx.AsyncClient]:
        """A cluster's IP allowlist, as `CockroachCloud.ip_allowlists`, awaited."""
        from ._allowlists import IpAllowlists

        return IpAllowlists(self)
