"""CockroachDB Cloud's response habits, as hooks (`CockroachDialect`) into the one response path.

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

from .._errors import APIStatusError, PermissionDeniedError
from .._response import Answer, Dialect
from .._wait import ClusterState

__all__ = ["DIALECT", "STATE_TABLE", "CockroachDialect", "permission_hint"]

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


def permission_hint(operation: str | None, method: str | None) -> str:
    """What a 403 means for one call, in words: the permission and (when known) the roles."""
    permission, roles = _PERMISSIONS.get(operation or "", (_BY_METHOD.get(method or "", ""), ()))
    needed = f"ADMIN or {permission} permission" if permission else "a permission it lacks"
    text = f"the service account of this API key needs {needed}"
    if roles:
        text += f" (in roles: {', '.join(roles)})"
    return text


class CockroachDialect(Dialect):
    """CockroachDB Cloud's hooks: gRPC-gateway `{code, message}` errors, a 403 that names the
    permission the operation needs. Success bodies have no envelope; a DELETE may have no body."""

    label = "CockroachDB Cloud"
    auth_hint = (
        "CockroachDB Cloud refused the API key. Check COCKROACH_API_KEY (a service account's secret "
        "key); keys can be deleted or expire"
    )

    def error_message(self, answer: Answer) -> str | None:
        message = answer.fields.get("message")
        return message.strip() if isinstance(message, str) and message.strip() else None

    def explain(self, answer: Answer, status: int, cls: type[APIStatusError], message: str | None) -> str:
        text = super().explain(answer, status, cls, message)
        if cls is PermissionDeniedError:
            text = f"{text}: {permission_hint(answer.operation, answer.method)}"
        return text


DIALECT = CockroachDialect()
