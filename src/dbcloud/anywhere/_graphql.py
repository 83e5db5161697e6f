"""GraphQL over HTTP for Altinity Anywhere: what a document does, and what an answer means.

Two questions are answered here, without a GraphQL library (the runtime needs only httpx):

- Is a document a query? Only then may its POST be retried after a server error or a broken
  connection: a query reads, a mutation may create. (A 429 is repeated for either: the server
  refused before doing anything.) `operation_kind` reads just enough of the document (comments,
  strings, nesting) to tell; when it cannot be sure, it says so and the request is treated as a
  mutation.
- What did the server say? `GraphQLDialect` is GraphQL's hooks into the one response path: an
  answer becomes its `data`, or raises. GraphQL servers report errors in the body, often with HTTP
  200, so a body's `errors` list wins over the status: its `extensions.code` picks the exception
  class, the HTTP status is the fallback.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from .._errors import APIResponseError
from .._response import Answer, Dialect

__all__ = [
    "CODE_STATUS",
    "DIALECT",
    "Definition",
    "GraphQLDialect",
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


class GraphQLDialect(Dialect):
    """GraphQL's hooks: a body's `errors` list wins over the HTTP status (servers send errors with
    200); its first known `extensions.code` picks the exception class; the data is `data`."""

    label = _LABEL

    def error_status(self, answer: Answer) -> int | None:
        errors = _errors(answer)
        if not errors:
            return super().error_status(answer)
        codes = (entry.get("code") for entry in errors)
        mapped = next((CODE_STATUS[code] for code in codes if code in CODE_STATUS), None)
        return mapped if mapped is not None else answer.status

    def error_message(self, answer: Answer) -> str | None:
        errors = _errors(answer)
        if errors:
            return "; ".join(_describe(entry) for entry in errors)
        return super().error_message(answer)

    def error_body(self, answer: Answer) -> Any:
        errors = _errors(answer)
        return {"errors": errors} if errors else super().error_body(answer)

    def payload(self, answer: Answer) -> Any:
        data = answer.fields.get("data")
        if not isinstance(data, dict):
            raise APIResponseError(
                f"{_LABEL} answered {answer.status} without GraphQL `data` or `errors`",
                method=answer.method,
                url=answer.url,
            )
        return data


DIALECT = GraphQLDialect()


def _errors(answer: Answer) -> list[dict[str, Any]]:
    errors = answer.fields.get("errors")
    if not errors:
        return []
    return [_entry(error) for error in (errors if isinstance(errors, list) else [errors])]


def _entry(error: Any) -> dict[str, Any]:
    """One GraphQL error, kept to its message, path and code (secrets are masked with the rest)."""
    if not isinstance(error, dict):
        return {"message": str(error)}
    message = error.get("message")
    entry: dict[str, Any] = {
        "message": message if isinstance(message, str) else "GraphQL error without a message"
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
