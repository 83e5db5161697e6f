"""`dbcloud.Altinity`: the Altinity.Cloud Manager (ACM) REST API."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .._base import CONNECTION_FIELDS, SyncAPIClient, chosen_timeout, connection_args
from .._config import Field, resolve
from .._errors import APIError, APIResponseError, ValidationError
from .._http import build_http_client, raise_for_transport, transport_of
from .._response import decode, scrub
from .._retry import RetryPolicy
from .._secret import Secret
from . import _acm

if TYPE_CHECKING:
    from ._clusters import Clusters
    from ._environments import Environments
    from ._keys import ApiKeys

# The generated client `api` returns, imported for type checkers only: the vendor's generated
# package loads when the facade first needs it, not with the facade.
if TYPE_CHECKING:
    from dbcloud_acm_client.client import AuthenticatedClient as AcmApi
else:
    AcmApi = Any

__all__ = ["Altinity"]

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


def _make_http(
    base_url: str,
    token: Secret | None,
    *,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    http_client: httpx.Client | None,
    sleep: Callable[[float], None] | None = None,
) -> httpx.Client:
    from .._auth import HeaderTokenAuth

    auth = HeaderTokenAuth(token, header=_TOKEN_HEADER, origin=base_url) if token else None
    return build_http_client(
        base_url=base_url,
        auth=auth,
        credential_headers=(_TOKEN_HEADER,),
        timeout=timeout,
        max_retries=max_retries,
        retry_policy=_POLICY,
        transport=transport_of(http_client, base_url) if http_client is not None else None,
        sleep=sleep,
    )


class Altinity(SyncAPIClient[AcmApi]):
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

    _PACKAGE = "dbcloud_acm_client"

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
        settings = resolve(
            "acm",
            _FIELDS,
            {
                "token": token,
                "base_url": base_url,
                **connection_args(timeout, max_retries),
            },
            profile=profile,
        )
        root = str(settings["base_url"]).rstrip("/")
        secret = settings.typed("token", Secret)
        # Waits and retry pauses both go through self._sleep, so one swapped clock drives both.
        self._clock: Callable[[], float] = time.monotonic
        self._sleep: Callable[[float], None] = time.sleep
        http = _make_http(
            root,
            secret,
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            http_client=http_client,
            sleep=lambda seconds: self._sleep(seconds),
        )
        super().__init__(
            http=http,
            owns_http=True,
            base_url=root,
            dialect=_acm.DIALECT,
            secrets=(secret,) if secret else (),
        )

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
    ) -> Altinity:
        """Sign in with an ACM user's e-mail and password; return a client holding the session token.

        Uses the spec's `POST /login`, with the e-mail and password in a form body as ACM's CLI sends
        them (acmctl `pkg/api/auth.go`), never on the URL. Accounts with two-factor sign-in need an
        API key instead.

        Raises:
            AuthenticationError: wrong e-mail or password.
            APIResponseError: ACM answered without a token.
        """
        for field, value in (("username", username), ("password", password)):
            if not isinstance(value, str) or not value or any(c in value for c in "\r\n\x00"):
                raise ValidationError(f"{field} must be a non-empty single-line string", field=field)
        # Every setting but the token, which is what signing in obtains.
        settings = resolve(
            "acm", _FIELDS[1:], {"base_url": base_url, **connection_args(timeout, None)}, profile=profile
        )
        root = str(settings["base_url"]).rstrip("/")
        # A sign-in is never repeated, not even after a 429: repeated password attempts are what a
        # sign-in's rate limit is there to slow down.
        anonymous = _make_http(
            root, None, timeout=chosen_timeout(timeout, settings), max_retries=0, http_client=http_client
        )
        with anonymous:
            from dbcloud_acm_client.api.auth import post_login
            from dbcloud_acm_client.models.post_login_body import PostLoginBody

            request = post_login._get_kwargs(body=PostLoginBody(login=username, password=password))
            try:
                response = anonymous.request(**request)
            except httpx.TransportError as exc:
                raise_for_transport(exc, None)
            try:
                data = decode(response, _acm.DIALECT)
            except APIError as exc:
                scrub(exc, [password])
                raise
        # Assumption (as the ACM CLI reads it): the answer's data is the user record, token included.
        token = data.get("token") if isinstance(data, dict) else data if isinstance(data, str) else None
        if not token:
            raise APIResponseError(
                "ACM accepted the sign-in but returned no token", method="POST", url=f"{root}/login"
            )
        return cls(
            token=Secret(str(token)), base_url=root, timeout=timeout, http_client=http_client, profile=profile
        )

    @cached_property
    def environments(self) -> Environments:
        """Environments: `list()`, `get(id)`."""
        from ._environments import Environments

        return Environments(self)

    @cached_property
    def clusters(self) -> Clusters:
        """Clusters: `list(env)`, `get`, `launch`, `delete`, `status`, `wait_until_ready`."""
        from ._clusters import Clusters

        return Clusters(self)

    @cached_property
    def keys(self) -> ApiKeys:
        """The signed-in user's API keys: `list()`, `create()`, `delete()`."""
        from ._keys import ApiKeys

        return ApiKeys(self)
