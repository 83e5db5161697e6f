"""ACM's response habits, mapped in one place.

- Every answer is an envelope `{"data": ..., "error": ...}`; `error` is a message string when set.
- An HTTP 200 can carry an error (`error` set, or a numeric `code`); `{"data": false}` is a failure.
- Numbers and booleans often arrive as strings ("21") or as 0/1.
- 401 means the API key is missing, wrong or expired (keys expire after 24 h by default, in GMT).
- An environment busy with another operation refuses new ones (409, or a 200 with an error); that
  is worth retrying for the calls that are safe to repeat: `is_busy_response` is the retry
  policy's `retry_on` hook, so busy answers share the one retry loop and its budget.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from .._errors import APIStatusError, AuthenticationError, ConflictError, NotFoundError
from .._response import Answer, Dialect, error_for, error_text, make_error, read_body
from .._wait import ClusterState

__all__ = ["DIALECT", "STATE_TABLE", "ACMDialect", "is_busy_error", "is_busy_response"]

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


def is_busy_response(response: httpx.Response) -> bool:
    """The retry hook: whether an answer (body already read) is ACM refusing because it is busy.

    Read through the one response path (`error_for` with ACM's dialect), so a busy refusal sent as
    HTTP 200 with an error body counts as well as a 409.
    """
    # Most answers are successes, whose envelope says `"error": null` or has no `error`: seeing that
    # in the bytes spares decoding them twice (here and in the response path), which would double
    # the cost of a 5,000-cluster list. A busy refusal carries the error text there.
    if response.status_code not in (200, 409, 423):
        return False
    content = response.content
    if response.status_code == 200 and (
        b'"error"' not in content or b'"error":null' in content or b'"error": null' in content
    ):
        return False
    error = error_for(Answer(response, read_body(response)), DIALECT)
    return error is not None and is_busy_error(error)


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
