"""The exceptions dbcloud raises, all in one tree::

    DBCloudError
    ├── ConfigError                  a setting or credential is missing or malformed
    ├── ValidationError              a request was refused before anything was sent
    ├── AmbiguousNameError           several resources answer to the name asked for
    ├── APIError                     the API could not be used
    │   ├── APIStatusError           the API answered with an error
    │   │   ├── BadRequestError          400 (and 422: UnprocessableEntityError)
    │   │   ├── AuthenticationError      401
    │   │   ├── PermissionDeniedError    403
    │   │   ├── NotFoundError            404
    │   │   ├── ConflictError            409
    │   │   ├── UnprocessableEntityError 422
    │   │   ├── FailedDependencyError    424
    │   │   ├── RateLimitError           429
    │   │   └── InternalServerError      5xx
    │   ├── APIConnectionError       no answer: refused, reset, DNS, TLS
    │   │   └── APITimeoutError      no answer in time, or not whole by the total deadline
    │   └── APIResponseError         an answer that cannot be read (not JSON, wrong shape, a redirect
    │                                loop, a bad Content-Encoding, over the size cap, https → http)
    └── WaitError                    a wait did not end as hoped
        ├── WaitTimeout              the deadline passed
        └── ClusterFailed            the resource reached a failed state

Messages and attributes never hold a credential: URLs are stored without their query string's
secret-looking values, and no request header is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where needed instead: `import dbcloud` (and so `dbcloud --help`) must not pay for httpx.
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousNameError",
    "AuthenticationError",
    "BadRequestError",
    "ClusterFailed",
    "ConfigError",
    "ConflictError",
    "DBCloudError",
    "FailedDependencyError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "ValidationError",
    "WaitError",
    "WaitTimeout",
    "connection_reason",
    "status_error_class",
]


class DBCloudError(Exception):
    """Base of every error dbcloud raises."""


class ConfigError(DBCloudError):
    """A setting or credential is missing or malformed; the message names what to set.

    For a missing setting, the facts behind the message are kept for tools that phrase their own
    (the CLI names its options): `setting` (the argument, e.g. "token"), `variables` (the
    environment variables read), `profile` and `section` (the profile file's `[profile.api]`) and
    `path` (the profile file, as shown), `what` (e.g. "API key") and `api` (e.g. "ACM"). Each is
    None (or empty) when the error is of another kind.
    """

    def __init__(
        self,
        message: str,
        *,
        setting: str | None = None,
        variables: tuple[str, ...] = (),
        profile: str | None = None,
        section: str | None = None,
        path: str | None = None,
        what: str | None = None,
        api: str | None = None,
    ) -> None:
        super().__init__(message)
        self.setting = setting
        self.variables = variables
        self.profile = profile
        self.section = section
        self.path = path
        self.what = what
        self.api = api


class ValidationError(DBCloudError, ValueError):
    """A request was refused before anything was sent; `field` names the argument at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AmbiguousNameError(DBCloudError, LookupError):
    """Several resources answer to the name asked for (`get_by_name`); nothing is picked for you.

    Attributes:
        name: the name asked for.
        ids: the ids of every resource of that name, in the order the API listed them.
    """

    def __init__(self, message: str, *, name: str, ids: tuple[str, ...]) -> None:
        super().__init__(message)
        self.name = name
        self.ids = ids


class APIError(DBCloudError):
    """The API could not be used. `method` and `url` say which request; `retries` how many times
    it was sent again before this failure (0: it was sent once)."""

    retries: int = 0

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APIStatusError(APIError):
    """The API answered with an error status (or an error body, for vendors that send those with 200).

    Attributes:
        status_code: the HTTP status (the mapped one, for a 200 carrying an error).
        request_id: the vendor's request id, when it sends one.
        body: the decoded error body (secrets removed), or None.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        where = f" ({self.method} {self.url})" if self.method and self.url else ""
        request = f" [request id {self.request_id}]" if self.request_id else ""
        return f"{self.status_code} {self.message}{where}{request}"


class BadRequestError(APIStatusError):
    """400: the API refused the request as malformed."""


class AuthenticationError(APIStatusError):
    """401: the credential is missing, wrong or expired. `hint` is the advice the message ends
    with (what to check about the credential), when it has one."""

    hint: str | None = None


class PermissionDeniedError(APIStatusError):
    """403: the credential is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or endpoint)."""


class ConflictError(APIStatusError):
    """409: the resource is in a state that does not allow this."""


class UnprocessableEntityError(BadRequestError):
    """422: the request was well-formed but its values were refused."""


class FailedDependencyError(APIStatusError):
    """424: something the request depends on is not ready (e.g. an idle ClickHouse service)."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` is the wait the API asked for, in seconds."""

    retry_after: float | None = None


class InternalServerError(APIStatusError):
    """5xx: the API failed."""


class APIConnectionError(APIError):
    """No answer from the API: connection refused or reset, DNS or TLS failure.

    Attributes:
        reason: what went wrong, in words ("connection refused", "host name not found (DNS)",
            "TLS handshake failed: ...", "connection reset"), or None when unknown.
        host: the host (and port, when the URL names one) that was asked.
    """

    reason: str | None = None
    host: str | None = None


class APITimeoutError(APIConnectionError):
    """No answer from the API in time: a phase timed out, or the attempt's total deadline passed.

    Attributes:
        phase: "connect", "read", "write", "pool" or "deadline" (the attempt's total), or None.
        limit: the seconds that phase was allowed, when known.
    """

    phase: str | None = None
    limit: float | None = None


class APIResponseError(APIError):
    """An answer that cannot be read: not JSON, or not the shape the spec promises.

    Also a broken answer at the HTTP level: a redirect loop, a body that does not decode as its
    Content-Encoding says, an answer over the size cap (`DBCLOUD_MAX_RESPONSE_BYTES`), or a
    redirect from https to http (refused before the http request is sent).
    """


class WaitError(DBCloudError):
    """A wait did not end as hoped. `last_state` is the last state seen (or None)."""

    def __init__(self, message: str, *, last_state: Any = None) -> None:
        super().__init__(message)
        self.last_state = last_state


class WaitTimeout(WaitError, TimeoutError):
    """The deadline passed before the resource reached the wanted state."""


class ClusterFailed(WaitError):
    """The resource reached a failed state; the message carries the vendor's reason when known."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    424: FailedDependencyError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def connection_error(exc: httpx.TransportError, request: httpx.Request | None) -> APIConnectionError:
    """Wrap an httpx transport failure; the URL is the request's, without its query or user info
    (a base URL may carry a password: `https://user:pass@host`)."""
    import httpx

    method = request.method if request is not None else None
    bare = {"query": None, "fragment": None, "username": None, "password": None}
    url = str(request.url.copy_with(**bare)) if request is not None else None
    if isinstance(exc, httpx.TimeoutException):
        phase = _phase(exc)
        limit = _limit_of(request, phase)
        within = f" ({phase} timeout of {limit:g} s)" if phase and limit is not None else ""
        timeout = APITimeoutError(f"{method} {url} timed out{within}", method=method, url=url)
        timeout.phase, timeout.limit = phase, limit
        error: APIConnectionError = timeout
    else:
        reason = connection_reason(exc)
        error = APIConnectionError(f"{method} {url} failed: {reason}", method=method, url=url)
        error.reason = reason
    if request is not None:
        error.host = request.url.netloc.decode("ascii", "replace").rpartition("@")[2]
    error.retries = getattr(exc, "dbcloud_retries", 0)
    return error


def _phase(exc: httpx.TimeoutException) -> str | None:
    import httpx

    kinds = {
        httpx.ConnectTimeout: "connect",
        httpx.ReadTimeout: "read",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "pool",
    }
    return next((name for kind, name in kinds.items() if isinstance(exc, kind)), None)


def _limit_of(request: httpx.Request | None, phase: str | None) -> float | None:
    timeouts = request.extensions.get("timeout") if request is not None else None
    if not isinstance(timeouts, dict) or phase is None:
        return None
    value = timeouts.get(phase)
    return float(value) if isinstance(value, int | float) else None


def connection_reason(exc: BaseException) -> str:
    """What a transport failure was, in words: refused, DNS, TLS, reset, or the failure's own text."""
    import socket
    import ssl

    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(item) for item in chain)
    lowered = text.lower()
    if any(isinstance(item, ConnectionRefusedError) for item in chain) or "refused" in lowered:
        return "connection refused"
    dns_words = ("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution")
    if any(isinstance(item, socket.gaierror) for item in chain) or any(w in lowered for w in dns_words):
        return "host name not found (DNS)"
    tls = next((item for item in chain if isinstance(item, ssl.SSLError)), None)
    if tls is not None or "ssl" in lowered or "certificate" in lowered:
        detail = getattr(tls, "reason", None) or str(tls or exc)
        return f"TLS handshake failed ({str(detail).lower().replace('_', ' ')})" if detail else "TLS failed"
    if any(isinstance(item, ConnectionResetError) for item in chain) or "reset" in lowered:
        return "connection reset"
    if "disconnected" in lowered or "closed" in lowered:
        return "the server closed the connection without answering"
    return str(exc) or type(exc).__name__
