"""CockroachDB Cloud's response habits, mapped in one place.

- Success bodies are plain JSON, without an envelope. A DELETE may answer with the deleted cluster
  (what the spec declares) or with no body at all (what the vendor's API guide says): both decode.
- Error bodies are untyped in the spec (`schema: {}` on every 400/401/403/404/500). In practice
  they are gRPC-gateway statuses, `{"code": <gRPC code>, "message": "...", "details": [...]}`;
  their `message` becomes the exception's message.
- A 403 says which permission the call needs: the vendor's API guide names the legacy service
  account permissions (ADMIN, or CREATE / READ / EDIT / DELETE), the current spec lists roles.
- A 429 carries `Retry-After`; the retry layer has already waited and retried the calls that are
  safe to repeat, and what is left reaches the caller as `RateLimitError.retry_after`.
- Cluster states (`CREATING`, `CREATED`, ...) map to `ClusterState` through `STATE_TABLE`.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import time
from typing import Any

import httpx

from .._errors import (
    APIResponseError,
    APIStatusError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitError,
    status_error_class,
)
from .._http import redact_url, request_id
from .._wait import ClusterState

__all__ = ["STATE_TABLE", "decode", "permission_hint"]

# The spec's ClusterState.Type values. LOCKED means "an exclusive operation is being performed on
# this cluster" (spec text): it ends by itself, so it counts as an update in progress.
STATE_TABLE: dict[str, ClusterState] = {
    "CREATING": ClusterState.PROVISIONING,
    "CREATED": ClusterState.RUNNING,
    "CREATION_FAILED": ClusterState.FAILED,
    "LOCKED": ClusterState.UPDATING,
    "DELETED": ClusterState.DELETED,
}

_VIEWERS = (
    "ORG_ADMIN",
    "CLUSTER_ADMIN",
    "CLUSTER_OPERATOR_WRITER",
    "CLUSTER_DEVELOPER",
    "FOLDER_ADMIN",
    "FOLDER_MOVER",
    "METRICS_VIEWER",
    "CLUSTER_MONITOR",
)

# Operation → (the permission the vendor's API guide names besides ADMIN, the roles the spec lists).
_PERMISSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "clusters.cockroach_cloud_create_cluster": ("CREATE", ("CLUSTER_ADMIN", "CLUSTER_CREATOR")),
    "clusters.cockroach_cloud_get_cluster": ("READ", _VIEWERS),
    "clusters.cockroach_cloud_list_clusters": ("READ", _VIEWERS),
    "clusters.cockroach_cloud_list_cluster_nodes": (
        "READ",
        ("ORG_ADMIN", "CLUSTER_ADMIN", "CLUSTER_OPERATOR_WRITER", "CLUSTER_DEVELOPER"),
    ),
    # The spec lets any organization member list regions; the guide still asks for READ.
    "clusters.cockroach_cloud_list_available_regions": ("READ", ()),
    "clusters.cockroach_cloud_update_cluster": ("EDIT", ("CLUSTER_ADMIN", "CLUSTER_OPERATOR_WRITER")),
    "clusters.cockroach_cloud_delete_cluster": ("DELETE", ("CLUSTER_ADMIN",)),
}

# For operations outside the table (other resources through the same client): the guide's scheme.
_BY_METHOD = {
    "GET": "READ",
    "HEAD": "READ",
    "POST": "CREATE",
    "PUT": "EDIT",
    "PATCH": "EDIT",
    "DELETE": "DELETE",
}

_NOT_JSON: Any = object()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _NOT_JSON


def decode(response: httpx.Response, *, operation: str | None = None) -> Any:
    """The JSON body of a successful answer (None when it has none), or the right `APIStatusError`.

    Args:
        response: the answer.
        operation: the generated operation that was sent (`clusters.cockroach_cloud_get_cluster`),
            so that a 403 can name the permission it needs.

    Raises:
        APIStatusError: an error status, as the subclass for it.
        APIResponseError: a success whose body is not JSON.
    """
    method, url = response.request.method, redact_url(response.request.url)
    status = response.status_code
    if status >= 400:
        raise _error(response, method=method, url=url, operation=operation)
    if not response.content.strip():
        return None
    body = _json(response)
    if body is _NOT_JSON:
        raise APIResponseError(
            f"CockroachDB Cloud answered {status} with a body that is not JSON", method=method, url=url
        )
    return body


def permission_hint(operation: str | None, method: str | None) -> str:
    """What a 403 means for one call, in words: the permission and (when known) the roles."""
    permission, roles = _PERMISSIONS.get(operation or "", (_BY_METHOD.get(method or "", ""), ()))
    needed = f"ADMIN or {permission} permission" if permission else "a permission it lacks"
    text = f"the service account of this API key needs {needed}"
    if roles:
        text += f" (in roles: {', '.join(roles)})"
    return text


def _error(response: httpx.Response, *, method: str, url: str, operation: str | None) -> APIStatusError:
    status = response.status_code
    body = _json(response)
    if body is _NOT_JSON:
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    text = message.strip() if isinstance(message, str) and message.strip() else None
    cls = status_error_class(status)
    text = text or f"CockroachDB Cloud answered HTTP {status}"
    if cls is AuthenticationError:
        text = (
            f"{text}: CockroachDB Cloud refused the API key. Check COCKROACH_API_KEY (a service "
            "account's secret key); keys can be deleted or expire"
        )
    elif cls is PermissionDeniedError:
        text = f"{text}: {permission_hint(operation, method)}"
    error = cls(text, status_code=status, method=method, url=url, request_id=request_id(response), body=body)
    if isinstance(error, RateLimitError):
        error.retry_after = _retry_after(response.headers.get("Retry-After"))
    return error


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError):
            return None
        # An HTTP date is always GMT, though "-0000" parses as a naive datetime.
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - time.time()
    return max(seconds, 0.0) if math.isfinite(seconds) else None
