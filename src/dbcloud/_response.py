"""The one response path: an answer becomes its data, or the exception it calls for, secrets masked.

Plain functions of (request, response), without I/O, so that the sync clients and (later) the
async ones use them unchanged::

    decode(response, dialect, operation=..., expect=...)
    ├── read_body        JSON, or a marker: no body, not JSON, nested too deep (never a raw error)
    ├── error_for        status (or a vendor's error body) → the APIStatusError subclass, message,
    │                    request id, error body (secret fields masked), retry_after of a 429
    ├── dialect.payload  the vendor's envelope unwrapped (`data`, `result`, GraphQL `data`)
    └── check_shape      the data is what the call needs (an object, a list), never empty or odd data
    scrub(exc, secrets)  every credential, in every spelling, out of every field of the exception

A vendor's habits are a `Dialect`: a subclass that overrides a few small hooks (how an error is
recognized, worded and classed, what the envelope holds). The defaults fit a plain JSON API that
answers errors with an error status and `{"message": ...}` or `{"error": ...}`.
"""

from __future__ import annotations

import contextlib
import enum
import json
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx

from ._errors import (
    APIError,
    APIResponseError,
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    status_error_class,
)
from ._http import redact_url, request_id
from ._retry import RetryPolicy, server_wait
from ._secret import Secret, mask_secrets, masked
from ._secret_names import is_secret_name, is_secret_param, secret_values, without_secret_fields

__all__ = [
    "NOT_JSON",
    "NO_BODY",
    "TOO_DEEP",
    "Answer",
    "Dialect",
    "Expect",
    "Unreadable",
    "check_shape",
    "decode",
    "error_for",
    "error_text",
    "make_error",
    "not_served",
    "parsed",
    "read_body",
    "request_secrets",
    "retry_after",
    "scrub",
]

T = TypeVar("T")


class Unreadable:
    """What stands for the body of an answer that has no JSON to read."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"


NO_BODY = Unreadable("no body")
NOT_JSON = Unreadable("a body that is not JSON")
TOO_DEEP = Unreadable("JSON nested too deep to read")


def read_body(response: httpx.Response) -> Any:
    """The decoded JSON body, or `NO_BODY`, `NOT_JSON` or `TOO_DEEP`; never raises.

    The nesting limit is the JSON parser's: it refuses a document nested deeper than the
    interpreter's recursion limit (about 1,000 levels by default) with a RecursionError, which
    becomes `TOO_DEEP` here rather than escaping to the caller.
    """
    content = response.content
    if not content.strip():
        return NO_BODY
    try:
        return json.loads(content)
    except RecursionError:
        return TOO_DEEP
    except (ValueError, UnicodeDecodeError):  # json.JSONDecodeError is a ValueError
        return NOT_JSON


class Answer:
    """One answer as the hooks see it: the response, its decoded body, the operation it answers."""

    __slots__ = ("_url", "body", "operation", "response")

    def __init__(self, response: httpx.Response, body: Any, operation: str | None = None) -> None:
        self.response = response
        self.body = body
        self.operation = operation
        self._url: str | None = None

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def method(self) -> str:
        return self.response.request.method

    @property
    def url(self) -> str:
        """The request's URL with its secrets masked (made once, and only when an error needs it)."""
        if self._url is None:
            self._url = redact_url(self.response.request.url)
        return self._url

    @property
    def fields(self) -> Mapping[str, Any]:
        """The body when it is a JSON object, else an empty mapping."""
        return self.body if isinstance(self.body, dict) else {}

    @property
    def readable(self) -> bool:
        return not isinstance(self.body, Unreadable)


def error_text(value: Any) -> str | None:
    """An error's words as vendors send them: text, or an object with a `message` (else as JSON)."""
    if isinstance(value, dict):
        value = value.get("message") or json.dumps(value, sort_keys=True)
    if value is None or value == "" or value is False:
        return None
    return value if isinstance(value, str) else json.dumps(value)


class Dialect:
    """How one vendor answers. Subclasses override the hooks their vendor needs.

    Attributes:
        label: the API's name in messages ("ACM", "ClickHouse Cloud").
        auth_hint: added to a 401's message: what to check about the credential.
    """

    label = "the API"
    auth_hint: str | None = None

    def __init__(self, label: str | None = None) -> None:
        if label is not None:
            self.label = label

    def error_status(self, answer: Answer) -> int | None:
        """The status the answer's error stands for; None when the answer is not an error."""
        return answer.status if answer.status >= 400 else None

    def error_message(self, answer: Answer) -> str | None:
        """The vendor's own words for the error, when it gave any."""
        fields = answer.fields
        return error_text(fields.get("message")) or error_text(fields.get("error"))

    def error_class(self, answer: Answer, status: int) -> type[APIStatusError]:
        """The exception class for an error of this status."""
        return status_error_class(status)

    def explain(self, answer: Answer, status: int, cls: type[APIStatusError], message: str | None) -> str:
        """The exception's message: the vendor's words (or the status), with a hint where one helps."""
        text = message or f"{self.label} answered HTTP {status}"
        if cls is AuthenticationError and self.auth_hint:
            text = f"{text}: {self.auth_hint}"
        return text

    def error_details(self, answer: Answer, status: int) -> dict[str, Any]:
        """Further keyword arguments of the exception class (e.g. a `service_id`)."""
        return {}

    def request_id(self, answer: Answer) -> str | None:
        """The vendor's request id: from the headers `_http.REQUEST_ID_HEADERS` by default."""
        return request_id(answer.response)

    def error_body(self, answer: Answer) -> Any:
        """What rides on the exception as `body` (its secret fields are masked after this)."""
        return answer.body if answer.readable else None

    def unrouted(self, answer: Answer, status: int) -> APIStatusError | None:
        """The error for an error answer without JSON, when that means something of its own."""
        return None

    def payload(self, answer: Answer) -> Any:
        """The data of a successful JSON answer: the body, unwrapped from any envelope; may raise."""
        return answer.body


def make_error(
    answer: Answer,
    dialect: Dialect,
    status: int,
    message: str | None,
    *,
    cls: type[APIStatusError] | None = None,
    body: Any = None,
) -> APIStatusError:
    """The exception for an error answer, every field filled in the same way for every vendor."""
    kind = cls if cls is not None else dialect.error_class(answer, status)
    try:
        shown = without_secret_fields(body)
    except RecursionError:
        shown = None  # too deep to walk: better no body than a credential in one
    error = kind(
        dialect.explain(answer, status, kind, message),
        status_code=status,
        method=answer.method,
        url=answer.url,
        request_id=dialect.request_id(answer),
        body=shown,
        **dialect.error_details(answer, status),
    )
    if isinstance(error, RateLimitError):
        error.retry_after = retry_after(answer.response)
    if isinstance(error, AuthenticationError) and dialect.auth_hint and dialect.auth_hint in error.message:
        error.hint = dialect.auth_hint
    retries = answer.response.extensions.get("dbcloud.retries")
    error.retries = retries if isinstance(retries, int) else 0
    return error


def error_for(answer: Answer, dialect: Dialect) -> APIStatusError | None:
    """The exception an answer calls for, or None for a successful one."""
    status = dialect.error_status(answer)
    if status is None:
        return None
    if not answer.readable:
        special = dialect.unrouted(answer, status)
        if special is not None:
            return special
    return make_error(answer, dialect, status, dialect.error_message(answer), body=dialect.error_body(answer))


def not_served(answer: Answer, label: str) -> NotFoundError:
    """The error for a 404 that is not the API's own JSON: nothing serves this path here."""
    return NotFoundError(
        f"{label}: the endpoint {answer.method} {answer.response.request.url.path} is not available on "
        "this deployment (the server answered 404 with a page, not an API error); check the base URL, "
        "or whether this server's version offers the endpoint",
        status_code=404,
        method=answer.method,
        url=answer.url,
        request_id=request_id(answer.response),
    )


_POLICY = RetryPolicy()


def retry_after(response: httpx.Response, *, now: float | None = None) -> float | None:
    """Seconds a rate-limited answer asks the caller to wait, or None when it does not say.

    The retry layer's reading (`_retry.server_wait`: `Retry-After` as seconds or an HTTP date,
    `X-RateLimit-Reset` as seconds or a Unix time), at least 0 and capped as the retry layer caps
    its own waits (`RetryPolicy.max_wait`).
    """
    wait = server_wait(response, time.time() if now is None else now)
    return None if wait is None else min(max(wait, 0.0), _POLICY.max_wait)


class Expect(enum.Enum):
    """What a call needs its answer's data to be."""

    ANY = "anything"
    OBJECT = "an object"
    LIST = "a list"
    OBJECT_OR_NOTHING = "an object or no body"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def check_shape(answer: Answer, dialect: Dialect, data: Any, expect: Expect) -> Any:
    """`data` when it is what `expect` says; else the APIResponseError that says what came instead."""
    if expect is Expect.ANY:
        return data
    fits = {
        Expect.OBJECT: isinstance(data, dict),
        Expect.LIST: isinstance(data, list),
        Expect.OBJECT_OR_NOTHING: data is None or isinstance(data, dict),
    }[expect]
    if fits:
        return data
    what = "no body" if answer.body is NO_BODY else _kind(data)
    raise APIResponseError(
        f"{dialect.label} answered {answer.status} with {what} where {expect.value} belongs "
        f"({answer.method} {answer.url})",
        method=answer.method,
        url=answer.url,
    )


def _unreadable(answer: Answer, dialect: Dialect) -> APIResponseError:
    response = answer.response
    if answer.body is TOO_DEEP:
        what = f"JSON nested deeper than the reader's limit (about {sys.getrecursionlimit()} levels)"
    elif "html" in response.headers.get("Content-Type", "").lower() or response.content.lstrip()[:1] == b"<":
        what = "an HTML page (not JSON)"
    else:
        what = NOT_JSON.what
    return APIResponseError(
        f"{dialect.label} answered {answer.status} with {what} where the spec promises JSON; is the "
        "base URL the API's (not a console or a proxy login page)?",
        method=answer.method,
        url=answer.url,
    )


def decode(
    response: httpx.Response, dialect: Dialect, *, operation: str | None = None, expect: Expect = Expect.ANY
) -> Any:
    """The data of an answer, or the exception it calls for (not yet scrubbed: see `scrub`).

    Args:
        response: the answer, body read.
        dialect: the vendor's habits.
        operation: the generated operation that was sent, for hooks whose words depend on it.
        expect: what the call needs the data to be.

    Returns:
        The unwrapped data; None for an answer without a body when `expect` allows it.

    Raises:
        APIStatusError: an error answer, as the subclass for its status.
        APIResponseError: a successful answer that cannot be read (not JSON, nested too deep) or
            whose data is not what the call needs.
    """
    answer = Answer(response, read_body(response), operation)
    try:
        error = error_for(answer, dialect)
        if error is not None:
            raise error
        if answer.body is NO_BODY:
            data = None
        elif not answer.readable:
            raise _unreadable(answer, dialect)
        else:
            data = dialect.payload(answer)
        return check_shape(answer, dialect, data, expect)
    except RecursionError:
        # A body just within the parser's limit can still be too deep for the code that walks it.
        answer.body = TOO_DEEP
        raise _unreadable(answer, dialect) from None


def parsed(build: Callable[[], T], *, what: str, method: str | None = None, url: str | None = None) -> T:
    """`build()` (e.g. a generated `from_dict`), its unexpected exceptions as an APIResponseError.

    dbcloud's own errors pass through as they are.
    """
    try:
        return build()
    except APIError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        detail = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise APIResponseError(
            f"{what} that does not match the spec ({detail}); the generated client may need regenerating",
            method=method,
            url=url,
        ) from None


def request_secrets(request: httpx.Request) -> set[str]:
    """Values the sent request carried under secret names (query parameters, JSON or form body
    fields): a server may echo them in its error, so they are masked there like the client's own
    credential."""
    found = {value for name, value in request.url.params.multi_items() if value and is_secret_param(name)}
    try:
        content = request.content
    except httpx.RequestNotRead:  # a streamed body: nothing to look into
        return found
    if content[:1] in (b"{", b"["):
        with contextlib.suppress(ValueError, RecursionError):  # not JSON after all: nothing to look into
            found |= secret_values(json.loads(content))
    elif content and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        # ACM's sign-in and key list travel as forms; a form field is judged like a JSON field.
        fields = urllib.parse.parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True)
        found |= {value for name, value in fields if value and is_secret_name(name)}
        # A field may hold JSON text with secrets inside (ACM's `tokens`, a list of keys).
        for _, value in fields:
            if value[:1] in ("{", "["):
                with contextlib.suppress(ValueError, RecursionError):
                    found |= secret_values(json.loads(value))
    return found


def scrub(exc: APIError, secrets: Iterable[str | Secret]) -> APIError:
    """`exc` with every credential in `secrets` masked in every field, in every spelling; returned.

    The fields: message, args, URL and, of an APIStatusError, the error body and the request id.
    """
    hidden = tuple(s for s in secrets if s)
    if not hidden:
        return exc
    exc.message = mask_secrets(exc.message, hidden)
    exc.args = tuple(masked(a, hidden) for a in exc.args)
    if exc.url is not None:
        exc.url = mask_secrets(exc.url, hidden)
    if isinstance(exc, APIStatusError):
        if exc.body is not None:
            try:
                exc.body = masked(exc.body, hidden)
            except RecursionError:
                exc.body = None  # too deep to walk: better no body than a credential in one
        if exc.request_id is not None:
            exc.request_id = mask_secrets(exc.request_id, hidden)
    return exc
