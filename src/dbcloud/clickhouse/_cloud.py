"""ClickHouse Cloud's response habits, as hooks (`CloudDialect`) into the one response path (`_response`).

- Every answer is an envelope: `{status, requestId, result}` on success, `{status, error, requestId}`
  on failure. The data is `result` (None for the answers that carry none, such as deletions); the
  error envelope becomes the `APIStatusError` for its status, with the request id.
- 424 (Failed Dependency) is what the API answers when the service a call needs is idle:
  `ServiceIdleError` says so and how to wake it.
- 429 carries `Retry-After` or `X-RateLimit-Reset`; the retry layer waits (it reads the reset both
  as seconds and as a Unix time, capped) for the calls safe to repeat, and `RateLimitError.retry_after`
  tells the caller of any other call how long to wait.
- A gateway or proxy in front of the API may answer an HTML page instead of JSON, e.g. a 404 for a
  path it does not route: that becomes an error saying the endpoint is not available there.
- Service states come from the spec's `Service.state` enum; `STATE_TABLE` maps them to `ClusterState`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from .._errors import APIResponseError, APIStatusError, ConfigError, FailedDependencyError
from .._response import Answer, Dialect, error_text, not_served
from .._wait import ClusterState, map_state

__all__ = [
    "DIALECT",
    "STATE_TABLE",
    "CloudDialect",
    "ServiceIdleError",
    "parse",
    "service_state",
]

T = TypeVar("T")

# Every value of the spec's `Service.state` enum. `partially_running` (some replicas up) is treated
# as degraded; the soft-deleting and terminating states are deletions under way.
STATE_TABLE: dict[str, ClusterState] = {
    "provisioning": ClusterState.PROVISIONING,
    "starting": ClusterState.STARTING,
    "running": ClusterState.RUNNING,
    "partially_running": ClusterState.DEGRADED,
    "degraded": ClusterState.DEGRADED,
    "stopping": ClusterState.STOPPING,
    "stopped": ClusterState.STOPPED,
    "idle": ClusterState.IDLE,
    "awaking": ClusterState.AWAKING,
    "terminating": ClusterState.DELETING,
    "softdeleting": ClusterState.DELETING,
    "terminated": ClusterState.DELETED,
    "softdeleted": ClusterState.DELETED,
    "failed": ClusterState.FAILED,
}

_SERVICE_IN_PATH = re.compile(r"/services/([^/?#]+)")


class ServiceIdleError(FailedDependencyError):
    """424: the ClickHouse Cloud service is idle, so the API cannot reach it.

    Attributes:
        service_id: the service named in the request's path, when there is one.
    """

    def __init__(self, message: str, *, service_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.service_id = service_id


def only_organization(organizations: list[Any]) -> str:
    """The id of the one organization an API key sees (as `organization_get_list` returns them).

    Raises:
        ConfigError: the key sees none, or more than one (the message lists them, to choose from).
    """
    if len(organizations) == 1 and isinstance(organizations[0], Mapping) and organizations[0].get("id"):
        return str(organizations[0]["id"])
    if not organizations:
        raise ConfigError("this ClickHouse Cloud API key sees no organization; check the key's roles")
    listed = ", ".join(
        f"{o.get('id')} ({o.get('name')})" if isinstance(o, Mapping) else repr(o) for o in organizations
    )
    raise ConfigError(
        f"this ClickHouse Cloud API key sees {len(organizations)} organizations ({listed}); "
        "choose one with org_id= or CLICKHOUSE_ORG_ID"
    )


class CloudDialect(Dialect):
    """ClickHouse Cloud's hooks: the `{status, requestId, result | error}` envelope (also on a 200
    carrying an error), 424 as `ServiceIdleError`, and a gateway's HTML 404 as "not available".

    Managed ClickStack answers the same way; its dialect is this one under its own label.
    """

    label = "ClickHouse Cloud"

    @property
    def auth_hint(self) -> str:  # type: ignore[override]
        return (
            f"{self.label} refused the API key. Check the key id and secret "
            "(CLICKHOUSE_CLOUD_API_KEY / CLICKHOUSE_CLOUD_API_SECRET) and that the key is enabled "
            "and not expired"
        )

    def error_status(self, answer: Answer) -> int | None:
        if answer.status >= 400:
            return answer.status
        # A 200 carrying the error envelope is treated by the status the envelope states.
        envelope = answer.fields
        stated = envelope.get("status")
        if envelope.get("error") and isinstance(stated, int | float) and stated >= 400:
            return int(stated)
        return None

    def error_message(self, answer: Answer) -> str | None:
        envelope = answer.fields
        return error_text(envelope.get("error") or envelope.get("message"))

    def error_class(self, answer: Answer, status: int) -> type[APIStatusError]:
        return ServiceIdleError if status == 424 else super().error_class(answer, status)

    def explain(self, answer: Answer, status: int, cls: type[APIStatusError], message: str | None) -> str:
        text = super().explain(answer, status, cls, message)
        return _idle_message(text, _service_in(answer)) if cls is ServiceIdleError else text

    def error_details(self, answer: Answer, status: int) -> dict[str, Any]:
        return {"service_id": _service_in(answer)} if status == 424 else {}

    def request_id(self, answer: Answer) -> str | None:
        rid = answer.fields.get("requestId")
        return rid if isinstance(rid, str) and rid else super().request_id(answer)

    def unrouted(self, answer: Answer, status: int) -> APIStatusError | None:
        return not_served(answer, self.label) if status == 404 else None

    def payload(self, answer: Answer) -> Any:
        body = answer.body
        if isinstance(body, dict) and ("result" in body or "requestId" in body or "status" in body):
            return body.get("result")
        return body  # not enveloped: passed on as sent


def _service_in(answer: Answer) -> str | None:
    found = _SERVICE_IN_PATH.search(answer.response.request.url.path)
    return found.group(1) if found else None


DIALECT = CloudDialect()


def _idle_message(message: str, service_id: str | None) -> str:
    target = repr(service_id) if service_id else "service_id"
    return (
        f"{message} — the ClickHouse Cloud service is idle (scaled to zero after a quiet period), "
        f"so it cannot answer yet. Wake it with `ClickHouseCloud().services.wake({target})` (or send "
        f"it a query), wait with `services.wait_until_ready({target})`, then retry"
    )


def parse(model: type[T], data: Any, *, vendor: str = "ClickHouse Cloud") -> T:
    """`data` as the generated `model`, read tolerantly (see `dbcloud._reading`).

    Values the spec does not list yet (a new service state or region) are kept as members of their
    enum; an answer that is not a JSON object, or one nested too deep, is an APIResponseError.
    """
    name = getattr(model, "__name__", "model")
    if not isinstance(data, Mapping):
        raise APIResponseError(f"{vendor} answered {type(data).__name__} where the spec promises a {name}")
    try:
        return cast(T, cast(Any, model).from_dict(data))
    except RecursionError:
        raise APIResponseError(f"{vendor} answered a {name} nested too deep to read") from None


def service_state(service: Any) -> ClusterState:
    """A generated `Service`'s state as a ClusterState (UNKNOWN for a state the table lacks)."""
    value = getattr(service, "state", None)
    if not isinstance(value, str):
        extra = getattr(service, "additional_properties", None)
        value = extra.get("state") if isinstance(extra, dict) else None
    return map_state(value, STATE_TABLE)
