"""ClickStack webhooks (alert destinations): list, create, update, delete.

The requests are those of HyperDX's external API v2 (packages/api/src/routers/external-api/v2/
webhooks.ts), which managed ClickStack serves under its service path: `POST /webhooks` and
`PUT /webhooks/{id}` with `{name, service, url, description?, body?, headers?, queryParams?}`,
`DELETE /webhooks/{id}`. There is no get of one webhook.

A webhook's URL (a Slack or incident.io URL is the credential to post there) and its headers and
query parameters (an `Authorization` header) are secrets: they travel in the body only, and are
masked in reprs, errors and CLI output. The server never returns headers or query parameters.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import APIError, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import scrub
from .._secret import Secret
from ._records import Webhook

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["SERVICES", "Webhooks"]

T = TypeVar("T")

SERVICES = ("slack", "incidentio", "generic")  # what both specs' WebhookInput accepts

# HyperDX's limits (packages/api/src/utils/zod.ts, externalWebhookCreateSchema).
_NAME_MAX, _URL_MAX, _DESCRIPTION_MAX, _BODY_MAX = 1024, 2048, 2048, 16 * 1024
_HEADER_NAME_MAX, _PARAM_KEY_MAX, _VALUE_MAX, _ENTRIES_MAX = 256, 1024, 4096, 100
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.0-9A-Z^_`a-z|~]+")  # an HTTP token
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(value: Any, field: str) -> str:
    """A text argument (or a `Secret`'s text); a message never shows its value."""
    text = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(text, str):
        raise ValidationError(f"{field} must be a string, got {type(value).__name__}", field=field)
    return text


def _check_url(url: str, service: str) -> None:
    # The value is a secret: no message below quotes it.
    if len(url) > _URL_MAX:
        raise ValidationError(f"url must be at most {_URL_MAX} characters", field="url")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL.search(url) or " " in url:
        raise ValidationError("url must be an http:// or https:// URL", field="url")
    host = parts.hostname.rstrip(".").lower()
    if service == "slack" and host != "slack.com" and not host.endswith(".slack.com"):
        # HyperDX's isValidSlackUrl: a slack webhook posts to a host of slack.com.
        raise ValidationError("a slack webhook's url must be on slack.com (hooks.slack.com)", field="url")


def _pairs(value: Any, field: str, *, header: bool) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{field} must be a mapping of names to values", field=field)
    if len(value) > _ENTRIES_MAX:
        raise ValidationError(f"{field} may hold at most {_ENTRIES_MAX} entries", field=field)
    pairs: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(f"{field} names must be non-empty strings", field=field)
        if header:
            if len(key) > _HEADER_NAME_MAX or not _HEADER_NAME.fullmatch(key) or key[0].isdigit():
                raise ValidationError(
                    f"{field}: {key!r} is not a header name (letters, digits and !#$%&'*+-.^_`|~,"
                    f" at most {_HEADER_NAME_MAX}, not starting with a digit)",
                    field=field,
                )
        elif len(key) > _PARAM_KEY_MAX or _CONTROL.search(key):
            raise ValidationError(
                f"{field} names must be at most {_PARAM_KEY_MAX} characters without control characters",
                field=field,
            )
        text = _text(item, f"{field}[{key!r}]")
        if len(text) > _VALUE_MAX or _CONTROL.search(text):
            raise ValidationError(
                f"{field}[{key!r}] must be at most {_VALUE_MAX} characters without control characters",
                field=field,
            )
        pairs[key] = text
    return pairs


def _fields(
    name: Any,
    service: Any,
    url: Any,
    description: Any,
    body: Any,
    headers: Any,
    query_params: Any,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The request's fields in the spec's order, and the secret values among them."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string", field="name")
    if len(name.strip()) > _NAME_MAX:
        raise ValidationError(f"name must be at most {_NAME_MAX} characters", field="name")
    if service not in SERVICES:
        raise ValidationError(f"service must be one of {list(SERVICES)}, got {service!r}", field="service")
    link = _text(url, "url")
    _check_url(link, service)
    if description is not None and len(_text(description, "description")) > _DESCRIPTION_MAX:
        raise ValidationError(
            f"description must be at most {_DESCRIPTION_MAX} characters", field="description"
        )
    if body is not None and len(_text(body, "body")) > _BODY_MAX:
        raise ValidationError(f"body must be at most {_BODY_MAX} characters", field="body")
    sent_headers = _pairs(headers, "headers", header=True) if headers is not None else None
    sent_params = _pairs(query_params, "query_params", header=False) if query_params is not None else None
    if service == "slack":
        # HyperDX refuses them for slack, which posts a fixed payload (SLACK_UNSUPPORTED_FIELDS).
        extras = (("body", body), ("headers", headers), ("query_params", query_params))
        given = [n for n, v in extras if v is not None]
        if given:
            raise ValidationError(f"{given[0]} is not supported for a slack webhook", field=given[0])
    secrets = (link, *(sent_headers or {}).values(), *(sent_params or {}).values())
    fields = {
        "name": name,
        "service": service,
        "url": link,
        "description": description,
        "body": body,
        "headers": sent_headers,
        "query_params": sent_params,
    }
    return fields, tuple(s for s in secrets if s)


def _masked(flow: Flow[T], secrets: tuple[str, ...]) -> Flow[T]:
    """`flow`, with the request's secrets masked in any API error it raises (a server may quote
    the URL it refused, as HyperDX does for a Slack URL)."""
    try:
        return (yield from flow)
    except APIError as exc:
        scrub(exc, secrets)
        raise


class Webhooks(Resource[H]):
    """Alert destinations. Reached as `ClickStack(...).webhooks` (and `AsyncClickStack(...).webhooks`,
    whose verbs are awaited and whose lists are `AsyncPager`s)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Webhook]:
        """Every webhook (its `id` is what an alert's channel names as `webhookId`)."""
        return self._client._listing(Webhook.from_api, "webhooks.list")

    @call
    def get_by_name(self, name: str) -> Flow[Webhook]:
        """The webhook called `name` (every webhook is read), so that a script adopts a webhook that exists
        instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no webhook has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Webhooks.list.build(self).named(name))

    @call
    def create(
        self,
        *,
        name: str,
        service: str,
        url: str | Secret,
        description: str | None = None,
        body: str | None = None,
        headers: Mapping[str, str | Secret] | None = None,
        query_params: Mapping[str, str | Secret] | None = None,
    ) -> Flow[Webhook]:
        """Create a webhook (`POST /webhooks`). Sent once: repeated only after a 429.

        Args:
            name: its name, unique per service.
            service: `slack`, `incidentio` or `generic`.
            url: where it posts (a secret: text or a `dbcloud.Secret`); a slack URL on slack.com.
            description: shown in the UI.
            body: the request body template (`generic`, `incidentio`; not `slack`).
            headers: HTTP headers sent with each post (write-only: never read back; not `slack`).
            query_params: parameters added to the URL (write-only; not `slack`).

        Raises:
            ValidationError: a rule of HyperDX's is broken; nothing was sent.
            BadRequestError: a webhook of that service and name exists, or the server refused the URL.
        """
        fields, secrets = _fields(name, service, url, description, body, headers, query_params)
        flow = self._client._record_flow(Webhook.from_api, "webhooks.create", body=fields)
        return (yield from _masked(flow, secrets))

    @call
    def update(
        self,
        webhook_id: str,
        *,
        name: str,
        service: str,
        url: str | Secret,
        description: str | None = None,
        body: str | None = None,
        headers: Mapping[str, str | Secret] | None = None,
        query_params: Mapping[str, str | Secret] | None = None,
    ) -> Flow[Webhook]:
        """Replace a webhook (`PUT /webhooks/{id}`); arguments as for `create`.

        As HyperDX applies it: `description` and `body` left out are cleared; `headers` and
        `query_params` left out are kept (give `{}` to clear them), unless the url or service
        changes, when they are cleared so that no stored secret goes to a new destination.

        Raises:
            ValidationError: a rule is broken; nothing was sent.
            NotFoundError: no such webhook.
            ConflictError: it was changed at the same time; read it again and retry.
        """
        fields, secrets = _fields(name, service, url, description, body, headers, query_params)
        flow = self._client._record_flow(
            Webhook.from_api, "webhooks.update", item=("webhooks", webhook_id), body=fields
        )
        return (yield from _masked(flow, secrets))

    @call
    def delete(self, webhook_id: str) -> Flow[None]:
        """Delete a webhook (`DELETE /webhooks/{id}`).

        Sent once: never repeated after a server error or a broken connection (only after a 429),
        since a repeat of a delete that was done answers 404; a lost answer leaves it to you to
        look (`list`).

        Raises:
            NotFoundError: no such webhook.
            ConflictError: alerts still notify it; change or delete them first.
        """
        yield from self._client._delete_once_flow("webhooks", webhook_id)
