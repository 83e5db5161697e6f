"""Credentials for httpx that are only ever attached to requests for the origin they belong to.

Each class is bound to one origin (scheme, host, port, with the scheme's default port filled in).
A request to any other origin — an absolute URL passed by mistake, a link followed from a response —
goes out without the credential. Redirect hops are covered by `_http.OriginGuardTransport`, since
httpx runs an auth flow once per request and copies its headers onto every hop.

`repr()` of every class shows the header and origin, never the credential.
"""

from __future__ import annotations

import base64
from collections.abc import Generator, Mapping

import httpx

from ._errors import ConfigError
from ._secret import Secret

__all__ = ["BasicAuth", "BearerAuth", "HeaderTokenAuth", "Origin", "origin_of", "same_origin"]

Origin = tuple[str, str, int]
"""(scheme, host, port): two URLs with equal origins may share a credential."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: httpx.URL | str) -> Origin:
    """The origin of an absolute http(s) URL, with the scheme's default port made explicit.

    Args:
        url: an absolute URL, such as a client's base URL.

    Returns:
        `(scheme, host, port)`, scheme and host in lower case.

    Raises:
        ConfigError: the URL is not absolute, or its scheme is not http or https.
    """
    parsed = httpx.URL(url)
    origin = _origin(parsed)
    if origin is None:
        # The URL itself is left out of the message: a base URL may carry userinfo.
        raise ConfigError(
            f"expected an absolute http(s) URL, got scheme {parsed.scheme!r} and host {parsed.host!r}"
        )
    return origin


def same_origin(url: httpx.URL | str, origin: Origin) -> bool:
    """Whether `url` belongs to `origin` (as returned by `origin_of`); False for non-http(s) URLs."""
    return _origin(httpx.URL(url)) == origin


def _origin(url: httpx.URL) -> Origin | None:
    scheme = url.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not url.host:
        return None
    port = url.port if url.port is not None else _DEFAULT_PORTS[scheme]
    return (scheme, url.host.lower(), port)


def _format_origin(origin: Origin) -> str:
    scheme, host, port = origin
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


def _checked_value(value: str, what: str) -> str:
    # A token read from a file often ends with a newline; sent as is, it would be a header injection
    # or an opaque protocol error. The message names the setting, never the value.
    if not value:
        raise ConfigError(f"{what} is empty")
    if "\r" in value or "\n" in value:
        raise ConfigError(f"{what} contains a line break")
    # Header values are ASCII on the wire; httpx would raise a bare UnicodeEncodeError at the first
    # request (and a control character is never part of a real credential).
    if not value.isascii() or not value.isprintable():
        raise ConfigError(f"{what} contains a character an HTTP header cannot carry (not printable ASCII)")
    return value


class _OriginBoundAuth(httpx.Auth):
    """Adds `_headers()` to requests for one origin only."""

    def __init__(self, origin: str) -> None:
        self._origin = origin_of(origin)

    @property
    def origin(self) -> str:
        """The origin the credential belongs to, as `scheme://host:port`."""
        return _format_origin(self._origin)

    @property
    def credential_headers(self) -> tuple[str, ...]:
        """Names of the headers that carry the credential (to strip them from other origins)."""
        raise NotImplementedError

    def _headers(self) -> dict[str, str]:
        raise NotImplementedError

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if same_origin(request.url, self._origin):
            request.headers.update(self._headers())
        yield request


class HeaderTokenAuth(_OriginBoundAuth):
    """A token sent verbatim in a header of its own (ACM: `X-Auth-Token: <api key>`).

    Args:
        token: the credential.
        header: the header that carries it.
        origin: the base URL whose origin may receive it.

    Raises:
        ConfigError: the token is empty or holds a line break, or `origin` is not an http(s) URL.
    """

    def __init__(self, token: Secret, *, header: str, origin: str) -> None:
        super().__init__(origin)
        _checked_value(token.reveal(), "the API token")
        self._token = token
        self._header = header

    @property
    def credential_headers(self) -> tuple[str, ...]:
        return (self._header,)

    def _headers(self) -> dict[str, str]:
        return {self._header: self._token.reveal()}

    def __repr__(self) -> str:
        return f"HeaderTokenAuth(token={self._token!r}, header={self._header!r}, origin={self.origin!r})"


class BearerAuth(_OriginBoundAuth):
    """`Authorization: Bearer <token>` (Anywhere, ClickStack OSS, CockroachDB Cloud).

    Args:
        token: the credential.
        origin: the base URL whose origin may receive it.
        extra_headers: headers sent along with the token to the same origin only, such as
            CockroachDB's `Cc-Version`. They are not treated as credentials.

    Raises:
        ConfigError: the token is empty or holds a line break, or `origin` is not an http(s) URL.
    """

    def __init__(self, token: Secret, *, origin: str, extra_headers: Mapping[str, str] | None = None) -> None:
        super().__init__(origin)
        _checked_value(token.reveal(), "the API token")
        self._token = token
        self._extra_headers = dict(extra_headers or {})

    @property
    def credential_headers(self) -> tuple[str, ...]:
        return ("Authorization",)

    def _headers(self) -> dict[str, str]:
        return {**self._extra_headers, "Authorization": f"Bearer {self._token.reveal()}"}

    def __repr__(self) -> str:
        extra = f", extra_headers={sorted(self._extra_headers)!r}" if self._extra_headers else ""
        return f"BearerAuth(token={self._token!r}, origin={self.origin!r}{extra})"


class BasicAuth(_OriginBoundAuth):
    """HTTP Basic authentication (ClickHouse Cloud: key id as user name, key secret as password).

    Args:
        username: the user name (the ClickHouse Cloud key id); it may not contain a colon.
        password: the password (the key secret).
        origin: the base URL whose origin may receive them.

    Raises:
        ConfigError: a part is empty or holds a line break, the user name holds a colon, or
            `origin` is not an http(s) URL.
    """

    def __init__(self, username: str, password: Secret, *, origin: str) -> None:
        super().__init__(origin)
        _checked_value(username, "the key id")
        _checked_value(password.reveal(), "the key secret")
        if ":" in username:
            # RFC 7617: the first colon separates user name and password.
            raise ConfigError("the key id contains a colon")
        self._username = username
        pair = f"{username}:{password.reveal()}".encode()
        # Kept encoded, and wrapped, so that neither vars() nor a traceback shows the password.
        self._header_value = Secret(f"Basic {base64.b64encode(pair).decode('ascii')}")

    @property
    def username(self) -> str:
        """The user name (not a secret: ClickHouse Cloud key ids appear in its console)."""
        return self._username

    @property
    def credential_headers(self) -> tuple[str, ...]:
        return ("Authorization",)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": self._header_value.reveal()}

    def __repr__(self) -> str:
        return f"BasicAuth(username={self._username!r}, password=Secret('********'), origin={self.origin!r})"
