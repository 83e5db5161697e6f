"""Emulated ClickStack webhooks: HyperDX's rules for one, its write-only fields kept apart.

The rules are those of HyperDX's external API v2 (packages/api/src/utils/zod.ts,
`externalWebhookCreateSchema`; utils/validators.ts, `validateWebhookUrl`; controllers/webhook.ts):
the body checked first (its messages joined as HyperDX's `processRequestWithEnhancedErrors` joins
them), then the destination URL, then the name unique per service within the team (400, as the
server answers a duplicate key). An update replaces `description` and `body`; `headers` and
`queryParams` left out are kept unless the URL or service changes, and `{}` clears them.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from .._api import ApiError

if TYPE_CHECKING:
    from ._state import ClickStackState

__all__ = ["build_webhook", "check_webhook"]

_WRITE_ONLY = ("headers", "queryParams")
_SERVICES = ("slack", "incidentio", "generic")
_FIELDS = ("name", "service", "url", "description", "body", *_WRITE_ONLY)  # zod strips the rest
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.0-9A-Z^_`a-z|~]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DUPLICATE = "A webhook with this service and name already exists"


def _text(body: dict[str, Any], key: str, most: int, problems: list[str], *, least: int = 0) -> None:
    value = body.get(key)
    if value is None:
        if least:
            problems.append(f"{key}: Required")
        return
    if not isinstance(value, str):
        problems.append(f"{key}: Expected string, received {type(value).__name__}")
    elif len(value) < least:
        problems.append(f"{key}: String must contain at least {least} character(s)")
    elif len(value) > most:
        problems.append(f"{key}: String must contain at most {most} character(s)")


def _record(body: dict[str, Any], key: str, problems: list[str], *, header: bool) -> None:
    value = body.get(key)
    if value is None:
        return
    if not isinstance(value, dict):
        problems.append(f"{key}: Expected object, received {type(value).__name__}")
        return
    what = "headers" if header else "query parameters"
    if len(value) > 100:
        problems.append(f"{key}: A webhook cannot have more than 100 {what}")
    for name, item in value.items():
        if header and (not _HEADER_NAME.fullmatch(name) or name[0].isdigit() or len(name) > 256):
            problems.append(f"{key}.{name}: Invalid header name")
        elif not header and (not name or len(name) > 1024 or _CONTROL.search(name)):
            problems.append(f"{key}.{name}: Invalid query parameter name")
        if not isinstance(item, str) or len(item) > 4096 or _CONTROL.search(item):
            problems.append(f"{key}.{name}: {'Header' if header else 'Query parameter'} value is invalid")


def check_webhook(body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The body as HyperDX's schema parses it (known fields only, the name trimmed) and what it
    finds wrong, each "path: message"."""
    parsed = {k: body[k] for k in _FIELDS if k in body}
    problems: list[str] = []
    if isinstance(parsed.get("name"), str):
        parsed["name"] = parsed["name"].strip()
    _text(parsed, "name", 1024, problems, least=1)
    service = parsed.get("service")
    if service not in _SERVICES:
        problems.append(f"service: Invalid enum value. Expected {' | '.join(map(repr, _SERVICES))}")
    _text(parsed, "url", 2048, problems, least=1)
    url = parsed.get("url")
    if isinstance(url, str) and url and not _parses(url):
        problems.append("url: Invalid url")
    _text(parsed, "description", 2048, problems)
    _text(parsed, "body", 16 * 1024, problems)
    _record(parsed, "headers", problems, header=True)
    _record(parsed, "queryParams", problems, header=False)
    if service == "slack":
        for key in ("headers", "queryParams", "body"):
            if key in parsed:
                problems.append(f"{key}: {key} is not supported for the slack webhook service")
    return parsed, problems


def _parses(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return bool(parts.scheme and parts.netloc) and not _CONTROL.search(url) and " " not in url


def _check_destination(service: str, url: str) -> None:
    """HyperDX's `validateWebhookUrl` (with no host allow-list configured)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ApiError(400, "Webhook URL must use HTTP or HTTPS")
    host = (parts.hostname or "").rstrip(".").lower()
    if service == "slack" and host != "slack.com" and not host.endswith(".slack.com"):
        # HyperDX quotes the URL here; the client masks it in what it shows.
        raise ApiError(400, f"Slack Webhook URL {url} does not have hostname that ends in 'slack.com'")
    if host == "localhost" or host.endswith(".localhost") or _private(host):
        raise ApiError(400, "Webhook URL resolves to a private or reserved address.")


def _private(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: HyperDX does not resolve it here
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def build_webhook(state: ClickStackState, body: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """A webhook created (`old` None) or replaced from a body `check_webhook` has passed."""
    service, url = str(body["service"]), str(body["url"])
    _check_destination(service, url)
    for other in state.items["webhooks"].values():
        if other["service"] == service and other["name"] == body["name"] and other is not old:
            raise ApiError(400, DUPLICATE)
    stamp = state.now()
    webhook_id = old["id"] if old else state.ids.object_id()
    kept = state.write_only.get(webhook_id, {}) if old else {}
    moved = old is not None and (old.get("url") != url or old.get("service") != service)
    hidden: dict[str, Any] = {}
    for key in _WRITE_ONLY:
        if key in body:
            if body[key]:
                hidden[key] = body[key]  # `{}` clears
        elif key in kept and not moved:
            hidden[key] = kept[key]
    state.write_only[webhook_id] = hidden
    return {
        "id": webhook_id,
        **{k: v for k, v in body.items() if k not in _WRITE_ONLY},
        "createdAt": old["createdAt"] if old else stamp,
        "updatedAt": stamp,
    }
