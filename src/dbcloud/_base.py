"""What every vendor client shares, in two layers.

`BaseClient` holds what has no I/O: the settings, the credentials, the requests the spec declares
and the one response path, and every call as a flow (`_flow`): `_call_flow` builds the request,
yields it to be sent and reads the answer. `SyncAPIClient` is the blocking shell over it: it owns the
`httpx.Client`, performs the flows' steps and offers what needs a connection (`request`, `api`,
`close`, `with`). An async shell performs the same flows with awaits, so nothing above the shells
is written twice.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, Self, TypeVar

import httpx

from ._config import Field, Resolved
from ._errors import APIError
from ._flow import Call, Flow, Send, Sleep, Step, arun, done, run
from ._http import (
    async_transport_of,
    build_async_http_client,
    build_http_client,
    send_async_request,
    send_request,
    transport_of,
)
from ._pager import AsyncPager, Pager
from ._response import Dialect, Expect, decode, request_secrets, scrub
from ._secret import Secret
from ._throttle import Throttle

if TYPE_CHECKING:
    from ._resource import Listing

__all__ = [
    "CONNECTION_FIELDS",
    "AsyncAPIClient",
    "BaseClient",
    "CallOptions",
    "Connection",
    "SyncAPIClient",
    "chosen_timeout",
    "connection_args",
]

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


@dataclass(frozen=True)
class Connection:
    """How a vendor client connects, worked out without I/O from its settings: the shells open
    it (`_open`) as an `httpx.Client` or an `httpx.AsyncClient`.

    Attributes:
        base_url: the server root; the only origin that receives the credentials.
        auth: the credential as an httpx auth.
        dialect: the vendor's hooks into the response path.
        secrets: every credential the client sends (masked wherever the client reports).
        timeout: the timeout to build the client with.
        max_retries: the resolved retry count (None: the policy's).
        options: further `build_http_client` arguments (`credential_headers`, `retry_policy`).
    """

    base_url: str
    auth: httpx.Auth
    dialect: Dialect
    secrets: tuple[Secret, ...]
    timeout: httpx.Timeout | float | None = None
    max_retries: int | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


class CallOptions:
    """Per-call overrides carried by `with_options()` copies of a client."""

    __slots__ = ("max_retries", "timeout")

    def __init__(self, timeout: httpx.Timeout | float | None = None, max_retries: int | None = None) -> None:
        self.timeout = timeout
        self.max_retries = max_retries


ApiT = TypeVar("ApiT")
"""The generated low-level client class of a vendor (what `api` returns)."""

T = TypeVar("T")


class BaseClient(Generic[ApiT]):
    """The part of every vendor client that does no I/O (see the module docstring).

    Subclasses set `_PACKAGE` (their generated package) and pass their vendor's `Dialect` (its
    envelope and error habits, as hooks into the one response path of `_response`).
    """

    _PACKAGE: ClassVar[str]
    _NAME: ClassVar[str]
    _is_async: ClassVar[bool] = False

    # The clock of the waits (monotonic seconds); swapped in tests with the shell's sleep.
    _clock: Callable[[], float]

    def __init__(self, *, base_url: str, dialect: Dialect, secrets: tuple[Secret, ...] = ()) -> None:
        self._dialect = dialect
        self._base_url = base_url
        self._secrets = secrets
        self._options = CallOptions()
        if "_throttle" not in self.__dict__:
            self._throttle = Throttle()
        if "_clock" not in self.__dict__:
            self._clock = time.monotonic

    # --- public ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The server root the vendor's spec paths hang from."""
        return self._base_url

    @property
    def credentials(self) -> tuple[Secret, ...]:
        """The credentials this client sends, wrapped (a `Secret` prints masked; `reveal()` gives it).

        For tools that show what the client did (the CLI masks these in everything it prints).
        """
        return self._secrets

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

    @property
    def throttle(self) -> Throttle:
        """The pace of this client's requests, shared by every call (and every `with_options`
        copy): a 429 that names its wait holds them all that long, and `throttle.per_second = 10`
        keeps them under a vendor's rate (CockroachDB Cloud allows about 10 per second per user)."""
        return self._throttle

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    # --- requests and answers, without I/O -----------------------------------------------------

    def _operation(self, name: str) -> ModuleType:
        """The generated module of one operation, imported on first use (`clusters.get_cluster`)."""
        return importlib.import_module(f"{self._PACKAGE}.api.{name}")

    def _request_for(self, operation: str, **arguments: Any) -> dict[str, Any]:
        """The request the spec declares for `operation`: method, url, params, json, headers."""
        kwargs: dict[str, Any] = self._operation(operation)._get_kwargs(**arguments)
        return kwargs

    def _request_flow(self, operation: str, **arguments: Any) -> Flow[dict[str, Any]]:
        """`_request_for` as a flow: the hook for a vendor whose request needs a lookup first (the
        ClickHouse Cloud organization of a key that was not given one)."""
        return (yield from done(self._request_for(operation, **arguments)))

    def _prepared(self, request: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """`request`'s arguments and extensions with this client's per-call options applied."""
        kwargs = dict(request)
        extensions = dict(kwargs.pop("extensions", {}) or {})
        if self._options.max_retries is not None:
            extensions["dbcloud.max_retries"] = self._options.max_retries
        if self._options.timeout is not None:
            kwargs["timeout"] = self._options.timeout
        return kwargs, extensions

    def _call_flow(
        self,
        operation: str,
        expect: Expect = Expect.ANY,
        wire: Mapping[str, Any] | None = None,
        /,
        **arguments: Any,
    ) -> Flow[Any]:
        """Send one generated operation and give its decoded data (errors raised, secrets masked).

        Args:
            operation: the generated operation (`clusters.get_cluster`).
            expect: what the call needs the data to be; anything else is an APIResponseError.
            wire: the JSON body to send instead of the generated model's own `to_dict()`: the
                fields in the API's names and the order given, as `build_body` returns them beside
                the parsed model passed as `body`.
            **arguments: the operation's arguments.
        """
        request = yield from self._request_flow(operation, **arguments)
        if wire is not None:
            request["json"] = wire
        response = yield Send(request)
        return self._finish(response, operation=operation, expect=expect)

    def _raw_flow(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
    ) -> Flow[httpx.Response]:
        """Any request of this API, checked like the facade's own (see `SyncAPIClient.request`)."""
        request: dict[str, Any] = {"method": method.upper(), "url": path}
        if params:
            request["params"] = params
        if json is not None:
            request["json"] = json
        if data is not None:
            request["data"] = dict(data)
        response: httpx.Response = yield Send(request)
        self._finish(response)
        return response

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


class SyncAPIClient(BaseClient[ApiT]):
    """The blocking shell: an `httpx.Client` under `BaseClient`, performing its flows."""

    # How the waits pause (and, through the vendor clients' retry layer, the retries); swapped in
    # tests together with `_clock`.
    _sleep: Callable[[float], None]

    def __init__(
        self,
        *,
        http: httpx.Client,
        owns_http: bool,
        base_url: str,
        dialect: Dialect,
        secrets: tuple[Secret, ...] = (),
    ) -> None:
        super().__init__(base_url=base_url, dialect=dialect, secrets=secrets)
        self._http = http
        self._owns_http = owns_http
        if "_sleep" not in self.__dict__:
            self._sleep = time.sleep

    def _open(self, connection: Connection, *, http_client: httpx.Client | None = None) -> None:
        """Connect as `connection` says, through `http_client`'s transport when one is given."""
        base = connection.base_url
        self._throttle = Throttle()
        http = build_http_client(
            base_url=base,
            auth=connection.auth,
            timeout=connection.timeout,
            max_retries=connection.max_retries,
            transport=transport_of(http_client, base) if http_client is not None else None,
            sleep=lambda seconds: self._sleep(seconds),
            throttle=self._throttle,
            **connection.options,
        )
        SyncAPIClient.__init__(
            self,
            http=http,
            owns_http=True,
            base_url=base,
            dialect=connection.dialect,
            secrets=connection.secrets,
        )

    # --- public ------------------------------------------------------------------------------

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
            api = _generated_client(self._PACKAGE, self._base_url)
            api.set_httpx_client(self._raising_http())
            # Without this the generated `asyncio` functions would build a bare httpx client:
            # no auth, no retries, no origin guard. They are the async client's to offer.
            api.set_async_httpx_client(httpx.AsyncClient(transport=_WrongFlavour("AsyncAPIClient")))
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
        return self._run(self._raw_flow(method, path, params=params, json=json, data=data))

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

    # --- performing flows ----------------------------------------------------------------------

    def _run(self, flow: Flow[T]) -> T:
        """Drive a flow of this client with blocking I/O."""
        return run(flow, self._perform)

    def _perform(self, step: Step) -> Any:
        if type(step) is Send:
            return self._send(step.request)
        if type(step) is Sleep:
            self._sleep(step.seconds)
            return None
        if type(step) is Call:
            return step.function()
        raise TypeError(f"unknown step {step!r}")  # pragma: no cover - the steps are the three above

    def _send(self, request: Mapping[str, Any]) -> httpx.Response:
        """Send a request (as built by `_request_for`) with this client's per-call options."""
        kwargs, extensions = self._prepared(request)
        return send_request(self._http, kwargs, extensions)

    def _call(
        self,
        operation: str,
        expect: Expect = Expect.ANY,
        wire: Mapping[str, Any] | None = None,
        /,
        **arguments: Any,
    ) -> Any:
        """`_call_flow`, sent now."""
        return self._run(self._call_flow(operation, expect, wire, **arguments))

    def _pager(self, listing: Listing[T]) -> Pager[T]:
        """The sync pager of a list call (its first page fetched now)."""
        fetch = listing.fetch
        return Pager(lambda cursor: self._run(fetch(cursor)), what=listing.what, vendor=listing.vendor)


class AsyncAPIClient(BaseClient[ApiT]):
    """The async shell: an `httpx.AsyncClient` under `BaseClient`, awaiting its flows' steps.

    Everything a sync client does, its async twin does by the same flows: the same requests,
    retries (`AsyncRetryTransport`, awaited pauses), deadlines, answers and errors.
    """

    _is_async: ClassVar[bool] = True

    # How the waits pause; swapped in tests together with `_clock`.
    _sleep: Callable[[float], Awaitable[None]]

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        owns_http: bool,
        base_url: str,
        dialect: Dialect,
        secrets: tuple[Secret, ...] = (),
    ) -> None:
        super().__init__(base_url=base_url, dialect=dialect, secrets=secrets)
        self._http = http
        self._owns_http = owns_http
        if "_sleep" not in self.__dict__:
            self._sleep = _asyncio_sleep

    def _open(self, connection: Connection, *, http_client: httpx.AsyncClient | None = None) -> None:
        """Connect as `connection` says, through `http_client`'s transport when one is given."""
        base = connection.base_url
        self._throttle = Throttle()

        async def sleep(seconds: float) -> None:
            await self._sleep(seconds)

        http = build_async_http_client(
            base_url=base,
            auth=connection.auth,
            timeout=connection.timeout,
            max_retries=connection.max_retries,
            transport=async_transport_of(http_client, base) if http_client is not None else None,
            sleep=sleep,
            throttle=self._throttle,
            **connection.options,
        )
        AsyncAPIClient.__init__(
            self,
            http=http,
            owns_http=True,
            base_url=base,
            dialect=connection.dialect,
            secrets=connection.secrets,
        )

    # --- public ------------------------------------------------------------------------------

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The httpx client every request goes through (auth, retries, timeouts, logging)."""
        return self._http

    @property
    def api(self) -> ApiT:
        """The generated low-level client, on this client's connection, for the generated
        `asyncio` / `asyncio_detailed` functions:

            from dbcloud_cockroach_client.api.clusters import cockroach_cloud_get_cluster
            cluster = await cockroach_cloud_get_cluster.asyncio(client=crdb.api, cluster_id="...")

        As with the sync client's `api`, they then have the facade's auth, origin guard, retries,
        limits and logging, and an error answer raises dbcloud's exception for it.
        """
        api = self.__dict__.get("_api_client")
        if api is None:
            api = _generated_client(self._PACKAGE, self._base_url)
            api.set_async_httpx_client(self._raising_http())
            api.set_httpx_client(httpx.Client(transport=_WrongFlavour("SyncAPIClient")))
            self.__dict__["_api_client"] = api
        return api  # type: ignore[no-any-return]

    def _raising_http(self) -> httpx.AsyncClient:
        http = self._http

        async def raise_for_error(response: httpx.Response) -> None:
            if response.next_request is not None:
                return
            await response.aread()
            self._finish(response)

        return httpx.AsyncClient(
            base_url=http.base_url,
            auth=http.auth,
            headers=http.headers,
            timeout=http.timeout,
            transport=async_transport_of(http),
            follow_redirects=http.follow_redirects,
            event_hooks={
                "request": list(http.event_hooks["request"]),
                "response": [*http.event_hooks["response"], raise_for_error],
            },
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """Send any request of this API, as the facade sends its own (see the sync client's
        `request`, whose arguments, answer and errors this shares)."""
        return await self._arun(self._raw_flow(method, path, params=params, json=json, data=data))

    async def aclose(self) -> None:
        """Close the connection pool (when this client created it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # --- performing flows ----------------------------------------------------------------------

    async def _arun(self, flow: Flow[T]) -> T:
        """Drive a flow of this client with awaited I/O."""
        return await arun(flow, self._aperform)

    async def _aperform(self, step: Step) -> Any:
        if type(step) is Send:
            return await self._asend(step.request)
        if type(step) is Sleep:
            await self._sleep(step.seconds)
            return None
        if type(step) is Call:
            result = step.function()
            return await result if inspect.isawaitable(result) else result
        raise TypeError(f"unknown step {step!r}")  # pragma: no cover - the steps are the three above

    async def _asend(self, request: Mapping[str, Any]) -> httpx.Response:
        kwargs, extensions = self._prepared(request)
        return await send_async_request(self._http, kwargs, extensions)

    def _pager(self, listing: Listing[T]) -> AsyncPager[T]:
        """The async pager of a list call (nothing fetched until it is awaited or iterated)."""
        fetch = listing.fetch
        return AsyncPager(lambda cursor: self._arun(fetch(cursor)), what=listing.what, vendor=listing.vendor)


class _WrongFlavour(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Refuses a generated operation called in the other flavour than its client's (`.sync` on an
    async client's `api`, `.asyncio` on a sync one's), before anything is sent."""

    def __init__(self, needed: str) -> None:
        self._needed = needed

    def _refuse(self, request: httpx.Request) -> NoReturn:
        from ._errors import ConfigError

        if self._needed == "AsyncAPIClient":
            hint = "the generated asyncio / asyncio_detailed functions need an async client's `api`"
        else:
            hint = "the generated sync / sync_detailed functions need a sync client's `api`"
        raise ConfigError(f"{request.method} {request.url.path} not sent: {hint}")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._refuse(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._refuse(request)


def _generated_client(package: str, base_url: str) -> Any:
    """The vendor's generated client class, made for `base_url`.

    The authenticated flavour, since the generated operations of secured endpoints are typed for
    it; its own token is unused (the connection set on it carries the credential).
    """
    module = importlib.import_module(f"{package}.client")
    cls = getattr(module, "AuthenticatedClient", None) or module.Client
    if cls.__name__ == "AuthenticatedClient":
        return cls(base_url=base_url, token="")
    return cls(base_url=base_url)


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # here, so that the sync clients never import asyncio

    await asyncio.sleep(seconds)
