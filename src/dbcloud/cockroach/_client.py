"""`dbcloud.CockroachCloud`: the CockroachDB Cloud REST API."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .._auth import BearerAuth
from .._base import CONNECTION_FIELDS, SyncAPIClient, chosen_timeout, connection_args
from .._config import Field, resolve
from .._errors import ConfigError
from .._http import build_http_client, redact_url, transport_of
from .._secret import Secret
from . import _crdb

if TYPE_CHECKING:
    from ._clusters import Clusters

# The generated client `api` returns, imported for type checkers only: the vendor's generated
# package loads when the facade first needs it, not with the facade.
if TYPE_CHECKING:
    from dbcloud_cockroach_client.client import AuthenticatedClient as CockroachApi
else:
    CockroachApi = Any

__all__ = ["DEFAULT_BASE_URL", "VERSION_HEADER", "CockroachCloud"]

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


class CockroachCloud(SyncAPIClient[CockroachApi]):
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

    _PACKAGE = "dbcloud_cockroach_client"

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
        # Waits and retry pauses both go through self._sleep, so one swapped clock drives both.
        self._clock: Callable[[], float] = time.monotonic
        self._sleep: Callable[[float], None] = time.sleep
        http = build_http_client(
            base_url=root,
            auth=BearerAuth(secret, origin=root, extra_headers={VERSION_HEADER: self._api_version}),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            transport=transport_of(http_client, root) if http_client is not None else None,
            sleep=lambda seconds: self._sleep(seconds),
        )
        super().__init__(http=http, owns_http=True, base_url=root, dialect=_crdb.DIALECT, secrets=(secret,))

    @property
    def api_version(self) -> str:
        """The `Cc-Version` every request carries."""
        return self._api_version

    @cached_property
    def clusters(self) -> Clusters:
        """Clusters: `list`, `get`, `create`, `create_serverless`, `update`, `delete`, `nodes`,
        `available_regions`, `wait_until_ready`, `wait_until_deleted`."""
        from ._clusters import Clusters

        return Clusters(self)

    def __repr__(self) -> str:
        shown = redact_url(self._base_url)
        return f"{type(self).__name__}(base_url={shown!r}, api_version={self._api_version!r})"
