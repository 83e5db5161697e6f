"""ClickHouse Cloud's response habits, mapped in one place.

- Every answer is an envelope: `{status, requestId, result}` on success, `{status, error, requestId}`
  on failure. `decode` returns `result` (None for the answers that carry none, such as deletions)
  and turns the error envelope into the `APIStatusError` for its status, with the request id.
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

import json
import re
import time
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import httpx

from .._errors import (
    APIResponseError,
    AuthenticationError,
    ConfigError,
    FailedDependencyError,
    NotFoundError,
    RateLimitError,
    status_error_class,
)
from .._http import redact_url, request_id
from .._retry import RetryPolicy, retry_delay
from .._secret_names import without_secret_fields
from .._wait import ClusterState, map_state

__all__ = [
    "STATE_TABLE",
    "ServiceIdleError",
    "decode",
    "parse",
    "raise_for_error",
    "read_json",
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


def read_json(response: httpx.Response) -> Any:
    """The decoded JSON body, or None when there is none or it is not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("Content-Type", "").lower()
    return "html" in kind or response.content.lstrip()[:1] == b"<"


def not_served(response: httpx.Response, vendor: str) -> NotFoundError:
    """The error for a 404 that is not the API's own JSON: nothing serves this path here."""
    method, url = response.request.method, redact_url(response.request.url)
    path = response.request.url.path
    return NotFoundError(
        f"{vendor}: the endpoint {method} {path} is not available on this deployment (the server "
        "answered 404 with a page, not an API error); check the base URL, or whether this server's "
        "version offers the endpoint",
        status_code=404,
        method=method,
        url=url,
        request_id=request_id(response),
    )


def unreadable(response: httpx.Response, vendor: str) -> APIResponseError:
    """The error for a success status whose body is not the JSON the spec promises."""
    method, url = response.request.method, redact_url(response.request.url)
    what = "an HTML page" if _is_html(response) else "a body that is not JSON"
    return APIResponseError(
        f"{vendor} answered {response.status_code} with {what} where the spec promises JSON; "
        "is the base URL the API's (not a console or a proxy login page)?",
        method=method,
        url=url,
    )


def rate_limit_wait(response: httpx.Response) -> float | None:
    """Seconds a 429 asks the caller to wait, or None when it does not say.

    The retry layer's rule is reused: `Retry-After` (seconds or a date), else `X-RateLimit-Reset`
    as seconds or, above 1e9, a Unix time; capped at the retry policy's `max_wait`.
    """
    if "Retry-After" not in response.headers and "X-RateLimit-Reset" not in response.headers:
        return None
    policy = RetryPolicy(backoff_initial=0.0)
    return retry_delay(response, 1, policy, now=time.time(), rand=lambda: 0.0)


def raise_for_error(response: httpx.Response, body: Any, *, vendor: str = "ClickHouse Cloud") -> None:
    """Raise the APIStatusError for an error answer (an error status, or an error envelope).

    Raises:
        ServiceIdleError: 424, the service is idle.
        NotFoundError: 404, from the API or (with a "not available" message) from a gateway.
        RateLimitError: 429, with `retry_after` set when the answer says how long to wait.
        APIStatusError: any other error status, as its subclass.
    """
    status = response.status_code
    envelope = body if isinstance(body, dict) else {}
    code = status
    if status < 400:
        # A 200 carrying the error envelope is treated by the status the envelope states.
        stated = envelope.get("status")
        if not envelope.get("error") or not isinstance(stated, int | float) or stated < 400:
            return
        code = int(stated)
    if code == 404 and body is None:
        raise not_served(response, vendor)
    method, url = response.request.method, redact_url(response.request.url)
    message = _message(envelope) or f"{vendor} answered HTTP {code}"
    rid = envelope.get("requestId") if isinstance(envelope.get("requestId"), str) else None
    common: dict[str, Any] = {
        "status_code": code,
        "method": method,
        "url": url,
        "request_id": rid or request_id(response),
        "body": without_secret_fields(body),
    }
    if code == 424:
        service = _SERVICE_IN_PATH.search(response.request.url.path)
        service_id = service.group(1) if service else None
        raise ServiceIdleError(_idle_message(message, service_id), service_id=service_id, **common)
    cls = status_error_class(code)
    if cls is AuthenticationError:
        message = (
            f"{message}: {vendor} refused the API key. Check the key id and secret "
            "(CLICKHOUSE_CLOUD_API_KEY / CLICKHOUSE_CLOUD_API_SECRET) and that the key is enabled "
            "and not expired"
        )
    error = cls(message, **common)
    if isinstance(error, RateLimitError):
        error.retry_after = rate_limit_wait(response)
    raise error


def _message(envelope: Mapping[str, Any]) -> str | None:
    error = envelope.get("error") or envelope.get("message")
    if isinstance(error, dict):
        error = error.get("message") or json.dumps(error, sort_keys=True)
    return str(error) if error else None


def _idle_message(message: str, service_id: str | None) -> str:
    target = repr(service_id) if service_id else "service_id"
    return (
        f"{message} — the ClickHouse Cloud service is idle (scaled to zero after a quiet period), "
        f"so it cannot answer yet. Wake it with `ClickHouseCloud().services.wake({target})` (or send "
        f"it a query), wait with `services.wait_until_ready({target})`, then retry"
    )


def decode(response: httpx.Response) -> Any:
    """The `result` of a ClickHouse Cloud answer, or the error it carries raised.

    Returns:
        The envelope's `result`; None for an answer without one (deletions) or without a body.

    Raises:
        APIStatusError: for an error answer (see `raise_for_error`).
        APIResponseError: a success whose body is not JSON.
    """
    body = read_json(response)
    raise_for_error(response, body)
    if body is None:
        if response.content:
            raise unreadable(response, "ClickHouse Cloud")
        return None
    if isinstance(body, dict) and ("result" in body or "requestId" in body or "status" in body):
        return body.get("result")
    return body  # not enveloped: passed on as sent


def parse(model: type[T], data: Any, *, vendor: str = "ClickHouse Cloud") -> T:
    """`data` as the generated `model`, tolerating values the spec does not list yet.

    A generated model refuses an enum value its spec lacks (a new service state or region) with a
    ValueError. Such a top-level value is set aside into `additional_properties` (so it stays
    readable, e.g. `service["state"]`) and the rest is parsed; anything else that does not fit the
    spec is an APIResponseError.
    """
    name = getattr(model, "__name__", "model")
    if not isinstance(data, Mapping):
        raise APIResponseError(f"{vendor} answered {type(data).__name__} where the spec promises a {name}")
    fields = dict(data)
    set_aside: dict[str, Any] = {}
    builder = cast(Any, model)
    while True:
        try:
            parsed = builder.from_dict(fields)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            text = str(exc)
            odd = [k for k, v in fields.items() if isinstance(v, str) and repr(v) in text]
            if not odd:
                raise APIResponseError(
                    f"{vendor} answered a {name} that does not match the spec ({text}); "
                    "the generated client may need regenerating"
                ) from None
            for key in odd:
                set_aside[key] = fields.pop(key)
            continue
        extra = getattr(parsed, "additional_properties", None)
        if isinstance(extra, dict):
            extra.update(set_aside)
        return cast(T, parsed)


def service_state(service: Any) -> ClusterState:
    """A generated `Service`'s state as a ClusterState (UNKNOWN for a state the table lacks)."""
    value = getattr(service, "state", None)
    if not isinstance(value, str):
        extra = getattr(service, "additional_properties", None)
        value = extra.get("state") if isinstance(extra, dict) else None
    return map_state(value, STATE_TABLE)
