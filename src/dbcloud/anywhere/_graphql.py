"""GraphQL over HTTP for Altinity Anywhere: what a document does, and what an answer means.

Two questions are answered here, without a GraphQL library (the runtime needs only httpx):

- Is a document a query? Only then may its POST be retried: a query reads, a mutation may create.
  `operation_kind` reads just enough of the document (comments, strings, nesting) to tell; when it
  cannot be sure, it says so and the request is not retried.
- What did the server say? `decode` turns an answer into its `data`, or raises. GraphQL servers
  report errors in the body, often with HTTP 200, so a body's `errors` list wins over the status:
  its `extensions.code` picks the exception class, the HTTP status is the fallback.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal, NamedTuple

import httpx

from .._errors import APIResponseError, APIStatusError, status_error_class
from .._http import mask_secrets, redact_url, request_id

__all__ = [
    "CODE_STATUS",
    "Definition",
    "decode",
    "definitions",
    "operation_kind",
    "sole_operation_name",
]

OperationKind = Literal["query", "mutation", "subscription"]

CODE_STATUS: dict[str, int] = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "BAD_USER_INPUT": 400,
    "GRAPHQL_VALIDATION_FAILED": 400,
    "GRAPHQL_PARSE_FAILED": 400,
    # The SDL documents CONFLICT for a create whose environment name is taken.
    "CONFLICT": 409,
    "INTERNAL_SERVER_ERROR": 500,
}
"""`extensions.code` of a GraphQL error → the HTTP status whose exception class it raises."""

_LABEL = "Altinity Anywhere"

_TOKENS = re.compile(
    r"""
    (?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<block>\"\"\"(?:\\\"\"\"|(?!\"\"\")[\s\S])*\"\"\")
  | (?P<string>"(?:\\.|[^"\\\n\r])*")
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE,
)
_OPERATION_KINDS: dict[str, OperationKind] = {
    "query": "query",
    "mutation": "mutation",
    "subscription": "subscription",
}


class Definition(NamedTuple):
    """A top-level definition of a document: `kind` is query, mutation, subscription or fragment."""

    kind: str
    name: str | None


@functools.lru_cache(maxsize=128)
def definitions(document: str) -> tuple[Definition, ...]:
    """The top-level definitions of a GraphQL document, in order; () when it cannot be read.

    Only the shape is read (keywords and names at the top level); the document is not validated.
    """
    found: list[Definition] = []
    depth = 0
    kind: str | None = None  # the keyword of the definition being read; None between definitions
    naming = False  # the definition's name may come next
    after_at = False
    for match in _TOKENS.finditer(document):
        group, text = match.lastgroup, match.group()
        if group == "skip":
            continue
        if group == "open":
            if depth == 0 and text == "{" and (kind is None or naming):
                # `{ ... }` alone is a query; `query ($x: Int) { ... }` is an anonymous one.
                found.append(Definition(kind or "query", None))
                naming = False
            depth += 1
        elif group == "close":
            depth -= 1
            if depth < 0:
                return ()
            if depth == 0 and text == "}":
                kind, naming = None, False
        elif depth == 0 and group == "name" and not after_at:  # after `@` comes a directive
            if kind is None:
                kind, naming = text, True
            elif naming:
                found.append(Definition(kind, text))
                naming = False
        after_at = text == "@"
    return tuple(found) if depth == 0 else ()


def operation_kind(document: str, operation_name: str | None = None) -> OperationKind | None:
    """What the operation a server would run from `document` does, or None when unclear.

    Args:
        document: the GraphQL document.
        operation_name: the operation to run, for a document that holds several.

    Returns:
        "query", "mutation" or "subscription"; None when the document holds no such operation,
        holds several and `operation_name` does not pick one, or cannot be read.
    """
    operations = [d for d in definitions(document) if d.kind in _OPERATION_KINDS]
    if operation_name is not None:
        operations = [d for d in operations if d.name == operation_name]
    if len(operations) != 1:
        return None
    return _OPERATION_KINDS.get(operations[0].kind)


def sole_operation_name(document: str) -> str | None:
    """The name of the document's only operation, or None (anonymous, several, or unreadable)."""
    operations = [d for d in definitions(document) if d.kind in _OPERATION_KINDS]
    return operations[0].name if len(operations) == 1 else None


def decode(response: httpx.Response, *, secrets: Iterable[str] = ()) -> dict[str, Any]:
    """The `data` of a GraphQL answer, or the exception its errors call for.

    Args:
        response: the server's answer, body read.
        secrets: values to mask in every message (the API token, secret-looking variables).

    Returns:
        The `data` object.

    Raises:
        APIStatusError: the body lists `errors` (the subclass follows the first error with a known
            `extensions.code`, else the HTTP status), or the HTTP status is an error.
        APIResponseError: a successful status with a body that is not a GraphQL answer.
    """
    hidden = [s for s in secrets if s]
    method, url = response.request.method, redact_url(response.request.url)
    status = response.status_code
    body = _json(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        raise _graphql_error(response, errors if isinstance(errors, list) else [errors], hidden)
    if status >= 400:
        text = _http_message(body) or f"{_LABEL} answered HTTP {status}"
        raise status_error_class(status)(
            mask_secrets(text, hidden),
            status_code=status,
            method=method,
            url=url,
            request_id=request_id(response),
        )
    if body is None:
        raise APIResponseError(
            f"{_LABEL} answered {status} with a body that is not JSON", method=method, url=url
        )
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise APIResponseError(
            f"{_LABEL} answered {status} without GraphQL `data` or `errors`", method=method, url=url
        )
    return data


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _http_message(body: Any) -> str | None:
    if isinstance(body, dict):
        for key in ("message", "error"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return None


def _graphql_error(response: httpx.Response, errors: list[Any], secrets: list[str]) -> APIStatusError:
    entries = [_entry(error, secrets) for error in errors]
    mapped = next((CODE_STATUS[e["code"]] for e in entries if e.get("code") in CODE_STATUS), None)
    status = mapped if mapped is not None else response.status_code
    cls = status_error_class(status) if status >= 400 else APIStatusError
    messages = [_describe(entry) for entry in entries]
    return cls(
        "; ".join(messages),
        status_code=status,
        method=response.request.method,
        url=redact_url(response.request.url),
        request_id=request_id(response),
        body={"errors": entries},
    )


def _entry(error: Any, secrets: list[str]) -> dict[str, Any]:
    """One GraphQL error, kept to its message, path and code, with secrets masked."""
    if not isinstance(error, dict):
        return {"message": mask_secrets(str(error), secrets)}
    message = error.get("message")
    entry: dict[str, Any] = {
        "message": mask_secrets(
            message if isinstance(message, str) else "GraphQL error without a message", secrets
        )
    }
    path = error.get("path")
    if isinstance(path, list) and path:
        entry["path"] = [p for p in path if isinstance(p, str | int)]
    extensions = error.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    if isinstance(code, str):
        entry["code"] = code
    return entry


def _describe(entry: Mapping[str, Any]) -> str:
    text = str(entry["message"])
    if "code" in entry:
        text = f"{text} [{entry['code']}]"
    if entry.get("path"):
        text = f"{text} (at {'.'.join(str(p) for p in entry['path'])})"
    return text
