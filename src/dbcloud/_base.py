"""What every vendor client shares: one httpx client, the generated client on top of it, per-call options."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Mapping, Sequence
from types import ModuleType, TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

import httpx

from ._config import Field, Resolved
from ._errors import APIError
from ._http import send_request, transport_of
from ._response import Dialect, Expect, decode, request_secrets, scrub
from ._secret import Secret

__all__ = ["CONNECTION_FIELDS", "BaseClient", "CallOptions", "chosen_timeout", "connection_args"]

# The settings every client shares, under the same variables for every vendor.
CONNECTION_FIELDS = (
    Field("timeout", ("DBCLOUD_TIMEOUT",), kind=float),
    Field("max_retries", ("DBCLOUD_MAX_RETRIES",), kind=int),
)


def connection_args(timeout: httpx.Timeout | float | None, max_retries: int | None) -> dict[str, object]:
    """The shared settings as arguments to `resolve`."""
    # An httpx.Timeout is used as given (see chosen_timeout); only plain seconds take part in resolution.
    return {"timeout": None if isinstance(timeout, httpx.Timeout) else timeout, "max_retries": max_retries}


def chosen_timeout(timeout: httpx.Timeout | float | None, settings: Resolved) -> httpx.Timeout | float | None:
    """The timeout to build the client with: an httpx.Timeout argument as is, else the resolved seconds."""
    return timeout if isinstance(timeout, httpx.Timeout) else settings.typed("timeout", float)


_UNSET: Any = object()


class CallOptions:
    """Per-call overrides carried by `with_options()` copies of a client."""

    __slots__ = ("max_retries", "timeout")

    def __init__(self, timeout: httpx.Timeout | float | None = None, max_retries: int | None = None) -> None:
        self.timeout = timeout
        self.max_retries = max_retries


ApiT = TypeVar("ApiT")
"""The generated low-level client class of a vendor (what `api` returns)."""


class BaseClient(Generic[ApiT]):
    """Base of the vendor clients: owns the httpx client and sends the generated operations.

    Subclasses set `_PACKAGE` (their generated package) and pass their vendor's `Dialect` (its
    envelope and error habits, as hooks into the one response path of `_response`).
    """

    _PACKAGE: ClassVar[str]
    _NAME: ClassVar[str]

    def __init__(
        self,
        *,
        http: httpx.Client,
        owns_http: bool,
        base_url: str,
        dialect: Dialect,
        secrets: tuple[Secret, ...] = (),
    ) -> None:
        self._http = http
        self._dialect = dialect
        self._owns_http = owns_http
        self._base_url = base_url
        self._secrets = secrets
        self._options = CallOptions()

    # --- public ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The server root the vendor's spec paths hang from."""
        return self._base_url

    @property
    def http_client(self) -> httpx.Client:
        """The httpx client every request goes through (auth, retries, timeouts, logging)."""
        return self._http

    @property
    def api(self) -> ApiT:
        """The generated low-level client, on this client's connection: for any operation of the
        vendor's spec that the facade does not cover.

        Call the generated functions with it, as their own docs show:

            from dbcloud_acm_client.api.clusters import get_cluster_nodes
            nodes = get_cluster_nodes.sync(client=acm.api, id=1042)

        They then have the facade's auth, origin guard, retries, limits and logging, and an error
        answer raises dbcloud's exception for it (`NotFoundError`, `RateLimitError`, ... with
        credentials masked; ACM's HTTP 200 carrying an error and GraphQL `errors` included) instead
        of coming back as `parsed=None`. A successful answer is the generated model (`sync`) or the
        generated `Response` (`sync_detailed`).
        """
        api = self.__dict__.get("_api_client")
        if api is None:
            module = importlib.import_module(f"{self._PACKAGE}.client")
            # The authenticated flavour, since the generated operations of secured endpoints are
            # typed for it; its own token is unused (the connection below carries the credential).
            cls = getattr(module, "AuthenticatedClient", None) or module.Client
            api = (
                cls(base_url=self._base_url, token="")
                if cls.__name__ == "AuthenticatedClient"
                else cls(base_url=self._base_url)
            )
            api.set_httpx_client(self._raising_http())
            self.__dict__["_api_client"] = api
        return api  # type: ignore[no-any-return]

    def _raising_http(self) -> httpx.Client:
        """An httpx client on this client's transport, auth and settings, whose error answers raise."""
        http = self._http

        def raise_for_error(response: httpx.Response) -> None:
            if response.next_request is not None:  # a redirect hop: the answer comes after it
                return
            response.read()
            self._finish(response)

        return httpx.Client(
            base_url=http.base_url,
            auth=http.auth,
            headers=http.headers,
            timeout=http.timeout,
            transport=transport_of(http),
            follow_redirects=http.follow_redirects,
            event_hooks={
                "request": list(http.event_hooks["request"]),
                "response": [*http.event_hooks["response"], raise_for_error],
            },
        )

    @property
    def credentials(self) -> tuple[Secret, ...]:
        """The credentials this client sends, wrapped (a `Secret` prints masked; `reveal()` gives it).

        For tools that show what the client did (the CLI masks these in everything it prints).
        """
        return self._secrets

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """Send any request of this API, as the facade sends its own: the same auth, origin guard,
        retries, limits and error mapping.

        Args:
            method: the HTTP method.
            path: the path under `base_url` (`/environments`), with its own query if any.
            params: query parameters (never a secret: those go in the body).
            json: a JSON body.
            data: a form body (`application/x-www-form-urlencoded`).

        Returns:
            The response of a successful answer, read (`.json()`, `.text`).

        Raises:
            APIStatusError: the API answered with an error (its subclass for the status; ACM's HTTP
                200 carrying an error and GraphQL `errors` included), credentials masked.
            APIConnectionError, APITimeoutError: no answer.
        """
        request: dict[str, Any] = {"method": method.upper(), "url": path}
        if params:
            request["params"] = params
        if json is not None:
            request["json"] = json
        if data is not None:
            request["data"] = dict(data)
        response = self._send(request)
        self._finish(response)
        return response

    def with_options(
        self, *, timeout: httpx.Timeout | float | None = _UNSET, max_retries: int | None = _UNSET
    ) -> Self:
        """A copy of this client whose calls use other timeouts or retry counts.

        The copy shares the connection pool; closing either closes both.

        Args:
            timeout: seconds (or an `httpx.Timeout`) for each request of the copy.
            max_retries: how often the copy retries a request that is safe to repeat.
        """
        clone = copy.copy(self)
        # Resources are bound to the client that built them: the copy builds its own.
        clone.__dict__ = {k: v for k, v in self.__dict__.items() if k.startswith("_")}
        clone._options = CallOptions(
            timeout=self._options.timeout if timeout is _UNSET else timeout,
            max_retries=self._options.max_retries if max_retries is _UNSET else max_retries,
        )
        if max_retries is not _UNSET and max_retries is not None and max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        return clone

    def close(self) -> None:
        """Close the connection pool (when this client created it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    # --- for subclasses and resources --------------------------------------------------------

    def _operation(self, name: str) -> ModuleType:
        """The generated module of one operation, imported on first use (`clusters.get_cluster`)."""
        return importlib.import_module(f"{self._PACKAGE}.api.{name}")

    def _request_for(self, operation: str, **arguments: Any) -> dict[str, Any]:
        """The request the spec declares for `operation`: method, url, params, json, headers."""
        kwargs: dict[str, Any] = self._operation(operation)._get_kwargs(**arguments)
        return kwargs

    def _send(self, request: Mapping[str, Any]) -> httpx.Response:
        """Send a request (as built by `_request_for`) with this client's per-call options."""
        kwargs = dict(request)
        extensions = dict(kwargs.pop("extensions", {}) or {})
        if self._options.max_retries is not None:
            extensions["dbcloud.max_retries"] = self._options.max_retries
        if self._options.timeout is not None:
            kwargs["timeout"] = self._options.timeout
        return send_request(self._http, kwargs, extensions)

    def _call(self, operation: str, expect: Expect = Expect.ANY, /, **arguments: Any) -> Any:
        """Send one generated operation and return its decoded data (errors raised, secrets masked).

        Args:
            operation: the generated operation (`clusters.get_cluster`).
            expect: what the call needs the data to be; anything else is an APIResponseError.
            **arguments: the operation's arguments.
        """
        request = self._request_for(operation, **arguments)
        return self._finish(self._send(request), operation=operation, expect=expect)

    def _finish(
        self, response: httpx.Response, *, operation: str | None = None, expect: Expect = Expect.ANY
    ) -> Any:
        """The one response path: the answer's data, or its error with every credential masked (the
        client's own, and the secret values its request carried)."""
        try:
            return decode(response, self._dialect, operation=operation, expect=expect)
        except APIError as exc:
            scrub(exc, (*self._secrets, *request_secrets(response.request)))
            raise

    def _decode(self, response: httpx.Response) -> Any:
        """The data of any answer this client received (for callers that sent it themselves)."""
        return self._finish(response)
