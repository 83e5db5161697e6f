"""ACM's response habits, mapped in one place.

- Every answer is an envelope `{"data": ..., "error": ...}`; `error` is a message string when set.
- An HTTP 200 can carry an error (`error` set, or a numeric `code`); `{"data": false}` is a failure.
- Numbers and booleans often arrive as strings ("21") or as 0/1.
- 401 means the API key is missing, wrong or expired (keys expire after 24 h by default, in GMT).
- An environment busy with another operation refuses new ones (409, or a 200 with an error); that
  is worth retrying for the calls that are safe to repeat (the client asks `is_busy_error`).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from .._errors import APIStatusError, AuthenticationError, ConflictError, NotFoundError
from .._response import Answer, Dialect, error_text, make_error
from .._wait import ClusterState

__all__ = ["DIALECT", "STATE_TABLE", "ACMDialect", "coerce_model", "is_busy_error"]

# Assumption (no vendor list exists): the words ACM uses for a refused-because-busy operation.
_BUSY = re.compile(r"\b(busy|in progress|another (operation|action)|locked)\b", re.I)
_NOT_FOUND = re.compile(r"\bnot found\b|\bdoes not exist\b|\bno such\b", re.I)
_REQUEST_ID_HEADERS = ("x-request-id", "x-acm-request-id", "request-id")

# ACM cluster `status` strings → ClusterState. Assumption: the values seen in the ACM UI and docs;
# any other value maps to UNKNOWN rather than failing.
STATE_TABLE: dict[str, ClusterState] = {
    "online": ClusterState.RUNNING,
    "running": ClusterState.RUNNING,
    "ready": ClusterState.RUNNING,
    "launching": ClusterState.PROVISIONING,
    "launch": ClusterState.PROVISIONING,
    "provisioning": ClusterState.PROVISIONING,
    "creating": ClusterState.PROVISIONING,
    "pending": ClusterState.PENDING,
    "starting": ClusterState.STARTING,
    "resuming": ClusterState.STARTING,
    "updating": ClusterState.UPDATING,
    "upgrading": ClusterState.UPDATING,
    "rescaling": ClusterState.UPDATING,
    "restarting": ClusterState.UPDATING,
    "stopping": ClusterState.STOPPING,
    "stopped": ClusterState.STOPPED,
    "offline": ClusterState.STOPPED,
    "degraded": ClusterState.DEGRADED,
    "partial": ClusterState.DEGRADED,
    "terminating": ClusterState.DELETING,
    "deleting": ClusterState.DELETING,
    "deleted": ClusterState.DELETED,
    "failed": ClusterState.FAILED,
    "error": ClusterState.FAILED,
}


def _message(body: Any, *, failed: bool = False) -> str | None:
    """The error text of a body: its `error`, or (for an error status only) its `message`."""
    if isinstance(body, dict):
        error = error_text(body.get("error"))
        if error:
            return error
        if failed and body.get("message"):
            return str(body["message"])
    return None


def is_busy_error(exc: APIStatusError) -> bool:
    """Whether a decoded ACM error says the environment is busy (worth a retry)."""
    return exc.status_code in (409, 423) and bool(_BUSY.search(exc.message))


def _code_for(body: Any, message: str | None) -> int:
    # A 200 carrying an error: use its numeric code when there is one, else read the message.
    code = body.get("code") if isinstance(body, dict) else None
    if isinstance(code, int) and 400 <= code < 600:
        return code
    if message and _BUSY.search(message):
        return 409
    if message and _NOT_FOUND.search(message):
        return 404
    return 400


class ACMDialect(Dialect):
    """ACM's hooks: the `{data, error}` envelope, errors carried by a 200, `data: false`."""

    label = "ACM"
    auth_hint = (
        "ACM refused the API key. Keys expire (after 24 hours unless set otherwise, in GMT) and can "
        "be deleted; create a new one under My Account → API Access, or with Altinity.login()"
    )

    def error_status(self, answer: Answer) -> int | None:
        if answer.status >= 400:
            return answer.status
        body = answer.fields
        coded = isinstance(body.get("code"), int) and body["code"] >= 400
        message = _message(body)
        return _code_for(body, message) if message or coded else None

    def error_message(self, answer: Answer) -> str | None:
        return _message(answer.fields, failed=answer.status >= 400)

    def explain(self, answer: Answer, status: int, cls: type[APIStatusError], message: str | None) -> str:
        text = message or f"ACM answered HTTP {answer.status}"
        if cls is AuthenticationError:
            return f"{text}: {self.auth_hint}"
        if cls is ConflictError and _BUSY.search(text):
            return f"{text} (the environment is busy with another operation; try again when it is done)"
        if cls is NotFoundError and not message:
            return "ACM found no such resource"
        return text

    def request_id(self, answer: Answer) -> str | None:
        headers = answer.response.headers
        return next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), None)

    def payload(self, answer: Answer) -> Any:
        body = answer.body
        if not isinstance(body, dict) or "data" not in body:
            return body  # a few operations answer without the envelope
        if body["data"] is False:
            raise make_error(
                answer,
                self,
                answer.status,
                "ACM reported that the operation failed (`data: false`) and gave no reason",
                cls=APIStatusError,
            )
        return body["data"]


DIALECT = ACMDialect()


_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def coerce_model(obj: Any) -> Any:
    """Turn ACM's string and 0/1 values into the ints, floats and bools the model's types declare.

    Works on generated attrs models, recursively, in place; returns `obj`.
    """
    if isinstance(obj, list):
        for item in obj:
            coerce_model(item)
        return obj
    plan = _PLANS[type(obj)]
    if plan is None:
        return obj
    # Runs for every item of every list answer, so it looks at each value's type once: only text
    # and 0/1 integers are ever coerced, and only lists and attrs models are walked into.
    for name, kinds in plan:
        value = getattr(obj, name)
        kind = type(value)
        if kinds and (kind is str or kind is int):
            new = _coerce_value(value, kinds)
            if new is not value:
                setattr(obj, name, new)
        elif kind is list or _PLANS[kind] is not None:
            coerce_model(value)
    return obj


_Plan = tuple[tuple[str, frozenset[str]], ...]


class _Plans(dict[type, "_Plan | None"]):
    """Per model class, made on first lookup: each field and the scalar kinds to coerce it to (none
    for text); None for a class that is not an attrs model. A hit is one dict lookup."""

    def __missing__(self, cls: type) -> _Plan | None:
        plan = None
        if attrs.has(cls):
            plan = tuple(
                (field.name, frozenset() if "str" in kinds else kinds & {"int", "float", "bool"})
                for field in attrs.fields(cls)
                for kinds in [frozenset(part.strip() for part in str(field.type).split("|"))]
                # Text fields need nothing; the rest are scalars to coerce, or models and lists to
                # walk into (type names other than the built-in scalars).
                if "str" not in kinds or len(kinds - {"str", "Unset", "None"}) > 0
            )
        self[cls] = plan
        return plan


_PLANS = _Plans()


def _coerce_value(value: Any, kinds: frozenset[str]) -> Any:
    if "bool" in kinds:
        if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
    if "int" in kinds and isinstance(value, str) and _INT.match(value.strip()):
        return int(value)
    if "float" in kinds and isinstance(value, str) and _FLOAT.match(value.strip()):
        return float(value)
    return value
