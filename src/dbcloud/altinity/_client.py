"""`dbcloud.Altinity` and `AsyncAltinity`: the Altinity.Cloud Manager (ACM) REST API."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

import httpx

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
from .._errors import APIError, APIResponseError, ValidationError
from .._flow import Flow, Send
from .._response import decode, scrub
from .._retry import RetryPolicy
from .._secret import Secret
from . import _acm

if TYPE_CHECKING:
    from ._backups import Backups
    from ._clusters import Clusters
    from ._database_users import DatabaseUsers
    from ._environments import Environments
    from ._keys import ApiKeys
    from ._node_types import NodeTypes
    from ._settings import ClusterSettings
    from ._zookeepers import Zookeepers

# The generated client `api` returns, imported for type checkers only: the vendor's generated
# package loads when the facade first needs it, not with the facade.
if TYPE_CHECKING:
    from dbcloud_acm_client.client import AuthenticatedClient as AcmApi
else:
    AcmApi = Any

__all__ = ["Altinity", "AsyncAltinity"]

DEFAULT_BASE_URL = "https://acm.altinity.cloud/api"
_TOKEN_HEADER = "X-Auth-Token"  # noqa: S105 - a header name, not a secret

# ACM's "environment busy" refusals are retried by the transport's one loop (`retry_on`), within the
# budget the caller set, like a 503.
_POLICY = RetryPolicy(retry_on=_acm.is_busy_response)

_FIELDS = (
    Field("token", ("ACM_API_KEY",), secret=True, required=True, hint="API key"),
    Field("base_url", ("ACM_API_URL",), default=DEFAULT_BASE_URL),
    *CONNECTION_FIELDS,
)

# What every ACM connection adds to the shared layers: the token header is kept from other origins
# and busy refusals are retried.
_OPTIONS: dict[str, Any] = {"credential_headers": (_TOKEN_HEADER,), "retry_policy": _POLICY}


class _Acm(BaseClient[AcmApi]):
    """What the sync and the async ACM clients share: settings, connection and the sign-in."""

    _PACKAGE = "dbcloud_acm_client"

    def _connection(
        self,
        *,
        token: str | Secret | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        profile: str | None,
    ) -> Connection:
        settings = resolve(
            "acm",
            _FIELDS,
            {"token": token, "base_url": base_url, **connection_args(timeout, max_retries)},
            profile=profile,
        )
        root = str(settings["base_url"]).rstrip("/")
        secret = settings["token"]
        assert isinstance(secret, Secret)  # a required secret field resolves to a Secret
        from .._auth import HeaderTokenAuth

        return Connection(
            base_url=root,
            auth=HeaderTokenAuth(secret, header=_TOKEN_HEADER, origin=root),
            dialect=_acm.DIALECT,
            secrets=(secret,),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            options=_OPTIONS,
        )

    def _sign_in_connection(
        self,
        username: str,
        password: str,
        *,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        profile: str | None,
    ) -> Connection:
        """The anonymous connection a sign-in goes through (the credentials checked first)."""
        for name, value in (("username", username), ("password", password)):
            if not isinstance(value, str) or not value or any(c in value for c in "\r\n\x00"):
                raise ValidationError(f"{name} must be a non-empty single-line string", field=name)
        # Every setting but the token, which is what signing in obtains.
        settings = resolve(
            "acm", _FIELDS[1:], {"base_url": base_url, **connection_args(timeout, None)}, profile=profile
        )
        root = str(settings["base_url"]).rstrip("/")
        return Connection(
            base_url=root,
            auth=httpx.Auth(),  # none: the sign-in is what obtains a token
            dialect=_acm.DIALECT,
            secrets=(),
            timeout=chosen_timeout(timeout, settings),
            # A sign-in is never repeated, not even after a 429: repeated password attempts are what
            # a sign-in's rate limit is there to slow down.
            max_retries=0,
            options=_OPTIONS,
        )

    def _sign_in_flow(self, username: str, password: str) -> Flow[Secret]:
        """`POST /login` with the e-mail and password in a form body; the session token it gives."""
        from dbcloud_acm_client.api.auth import post_login
        from dbcloud_acm_client.models.post_login_body import PostLoginBody

        request = post_login._get_kwargs(body=PostLoginBody(login=username, password=password))
        response = yield Send(request)
        try:
            data = decode(response, _acm.DIALECT)
        except APIError as exc:
            scrub(exc, [password])
            raise
        # Assumption (as the ACM CLI reads it): the answer's data is the user record, token included.
        token = data.get("token") if isinstance(data, dict) else data if isinstance(data, str) else None
        if not token:
            raise APIResponseError(
                "ACM accepted the sign-in but returned no token", method="POST", url=f"{self._base_url}/login"
            )
        return Secret(str(token))


class Altinity(_Acm, SyncAPIClient[AcmApi]):
    """Client of the Altinity.Cloud Manager API.

    Settings come from the arguments, else `ACM_API_KEY` / `ACM_API_URL`, else the profile file
    (`[<profile>.acm]` in ~/.config/dbcloud/config.toml), else the defaults.

    Args:
        token: an ACM API key (My Account → API Access); sent as `X-Auth-Token`.
        base_url: the API root (default https://acm.altinity.cloud/api).
        timeout: seconds per request (default: 5 s to connect, 30 s to read).
        max_retries: retries of requests that are safe to repeat (default 2).
        http_client: an httpx.Client whose transport (proxies, certificates) dbcloud should use.
        profile: the profile to read from the profile file (default `$DBCLOUD_PROFILE` or "default").

    Raises:
        ConfigError: no API key is given anywhere; the message names `ACM_API_KEY`.
    """

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            token=token, base_url=base_url, timeout=timeout, max_retries=max_retries, profile=profile
        )
        self._open(connection, http_client=http_client)

    @classmethod
    def login(
        cls,
        username: str,
        password: str,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> Self:
        """Sign in with an ACM user's e-mail and password; return a client holding the session token.

        Uses the spec's `POST /login`, with the e-mail and password in a form body as ACM's CLI sends
        them (acmctl `pkg/api/auth.go`), never on the URL. Accounts with two-factor sign-in need an
        API key instead.

        Raises:
            AuthenticationError: wrong e-mail or password.
            APIResponseError: ACM answered without a token.
        """
        anonymous = cls.__new__(cls)
        connection = anonymous._sign_in_connection(
            username, password, base_url=base_url, timeout=timeout, profile=profile
        )
        anonymous._open(connection, http_client=http_client)
        with anonymous:
            token = anonymous._run(anonymous._sign_in_flow(username, password))
        root = connection.base_url
        return cls(token=token, base_url=root, timeout=timeout, http_client=http_client, profile=profile)

    @cached_property
    def environments(self) -> Environments[httpx.Client]:
        """Environments: `list()`, `get(id)`."""
        from ._environments import Environments

        return Environments(self)

    @cached_property
    def clusters(self) -> Clusters[httpx.Client]:
        """Clusters: `list(env)`, `get`, `launch`, `delete`, `update`, `rescale`, `upgrade`,
        `restart`, `stop`, `resume`, `query`, `status`, `wait_until_ready`."""
        from ._clusters import Clusters

        return Clusters(self)

    @cached_property
    def node_types(self) -> NodeTypes[httpx.Client]:
        """Node types of an environment: `list(env)`."""
        from ._node_types import NodeTypes

        return NodeTypes(self)

    @cached_property
    def settings(self) -> ClusterSettings[httpx.Client]:
        """Cluster settings: `list(cluster)`, `set`, `delete`, `push`."""
        from ._settings import ClusterSettings

        return ClusterSettings(self)

    @cached_property
    def backups(self) -> Backups[httpx.Client]:
        """Cluster backups: `list(cluster)`, `create`, `restore`."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def database_users(self) -> DatabaseUsers[httpx.Client]:
        """ClickHouse users of a cluster: `list(cluster)`, `create`, `update`, `delete`."""
        from ._database_users import DatabaseUsers

        return DatabaseUsers(self)

    @cached_property
    def zookeepers(self) -> Zookeepers[httpx.Client]:
        """ZooKeeper clusters of an environment: `list(env)`."""
        from ._zookeepers import Zookeepers

        return Zookeepers(self)

    @cached_property
    def keys(self) -> ApiKeys[httpx.Client]:
        """The signed-in user's API keys: `list()`, `create()`, `delete()`."""
        from ._keys import ApiKeys

        return ApiKeys(self)


class AsyncAltinity(_Acm, AsyncAPIClient[AcmApi]):
    """The async client of the Altinity.Cloud Manager API: `Altinity`'s resources, verbs,
    arguments, settings and results, over `httpx.AsyncClient` (every call is awaited, every list
    an `AsyncPager`, and `async with` closes it). Sign in with `await AsyncAltinity.login(...)`.

    Args:
        http_client: an `httpx.AsyncClient` whose transport dbcloud should use; the other
            arguments are `Altinity`'s.

    Raises:
        ConfigError: no API key is given anywhere; the message names `ACM_API_KEY`.
    """

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._connection(
            token=token, base_url=base_url, timeout=timeout, max_retries=max_retries, profile=profile
        )
        self._open(connection, http_client=http_client)

    @classmethod
    async def login(
        cls,
        username: str,
        password: str,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> Self:
        """Sign in with an ACM user's e-mail and password; return an async client holding the
        session token (the sign-in of `Altinity.login`, awaited: the same request, checks and errors).

        Raises:
            AuthenticationError: wrong e-mail or password.
            APIResponseError: ACM answered without a token.
        """
        anonymous = cls.__new__(cls)
        connection = anonymous._sign_in_connection(
            username, password, base_url=base_url, timeout=timeout, profile=profile
        )
        anonymous._open(connection, http_client=http_client)
        async with anonymous:
            token = await anonymous._arun(anonymous._sign_in_flow(username, password))
        root = connection.base_url
        return cls(token=token, base_url=root, timeout=timeout, http_client=http_client, profile=profile)

    @cached_property
    def environments(self) -> Environments[httpx.AsyncClient]:
        """Environments, as `Altinity.environments`, awaited."""
        from ._environments import Environments

        return Environments(self)

    @cached_property
    def clusters(self) -> Clusters[httpx.AsyncClient]:
        """Clusters, as `Altinity.clusters`, awaited."""
        from ._clusters import Clusters

        return Clusters(self)

    @cached_property
    def node_types(self) -> NodeTypes[httpx.AsyncClient]:
        """Node types, as `Altinity.node_types`, awaited."""
        from ._node_types import NodeTypes

        return NodeTypes(self)

    @cached_property
    def settings(self) -> ClusterSettings[httpx.AsyncClient]:
        """Cluster settings, as `Altinity.settings`, awaited."""
        from ._settings import ClusterSettings

        return ClusterSettings(self)

    @cached_property
    def backups(self) -> Backups[httpx.AsyncClient]:
        """Cluster backups, as `Altinity.backups`, awaited."""
        from ._backups import Backups

        return Backups(self)

    @cached_property
    def database_users(self) -> DatabaseUsers[httpx.AsyncClient]:
        """ClickHouse users of a cluster, as `Altinity.database_users`, awaited."""
        from ._database_users import DatabaseUsers

        return DatabaseUsers(self)

    @cached_property
    def zookeepers(self) -> Zookeepers[httpx.AsyncClient]:
        """ZooKeeper clusters of an environment, as `Altinity.zookeepers`, awaited."""
        from ._zookeepers import Zookeepers

        return Zookeepers(self)

    @cached_property
    def keys(self) -> ApiKeys[httpx.AsyncClient]:
        """The signed-in user's API keys, as `Altinity.keys`, awaited."""
        from ._keys import ApiKeys

        return ApiKeys(self)
