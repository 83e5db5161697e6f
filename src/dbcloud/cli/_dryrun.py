"""`--dry-run`: build the exact request a command would send, print it, and send nothing.

The facade is built as usual, through its normal request building and checks, but on an httpx
client whose transport records the first request and stops the command there (`DryRunStop`): no
byte leaves the process. Credentials are never involved: a dry run gives the facade placeholder
values (`SENTINELS`), and the printed request names the environment variable in their place
(`X-Auth-Token: $ACM_API_KEY`), so the output can be pasted into a shell that has them set.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import httpx

from .._secret_names import is_secret_name

__all__ = ["SENTINELS", "DryRunStop", "Recorder", "render_request", "request_data", "sentinel"]

# Placeholder values a dry run gives the facades instead of credentials, by the variable they stand
# for. Letters and digits only, so that URL and JSON encoding leave them as they are.
SENTINELS: dict[str, str] = {
    name: "dbcloudDryRun" + name.title().replace("_", "")
    for name in (
        "ACM_API_KEY",
        "ALTINITYCLOUD_API_TOKEN",
        "CLICKHOUSE_CLOUD_API_KEY",
        "CLICKHOUSE_CLOUD_API_SECRET",
        "CLICKSTACK_API_KEY",
        "COCKROACH_API_KEY",
        "DBCLOUD_ADMIN_PASS",
        "DBCLOUD_BACKUP_SECRET_KEY",
        "DBCLOUD_SQL_PASSWORD",
        "DBCLOUD_DATADOG_API_KEY",
        "DBCLOUD_AZURE_SHARED_KEY",
    )
}


def sentinel(variable: str) -> str:
    """The placeholder a dry run gives for the credential in `variable` (any API's, a plug-in's too)."""
    return SENTINELS.setdefault(variable, "dbcloudDryRun" + variable.title().replace("_", ""))


# A placeholder organization (an id must be a UUID) when none is configured: the real command
# would look it up with a request first.
SENTINELS["CLICKHOUSE_ORG_ID"] = "00000000-0000-4000-8000-00000000d0d0"

_BASIC = "Basic " + base64.b64encode(
    f"{SENTINELS['CLICKHOUSE_CLOUD_API_KEY']}:{SENTINELS['CLICKHOUSE_CLOUD_API_SECRET']}".encode()
).decode("ascii")
# Headers curl sets itself, from the URL and the body.
_CURL_SKIPS = frozenset({"host", "content-length", "connection", "accept-encoding"})


class DryRunStop(Exception):
    """Raised by `Recorder` when a request has been recorded instead of sent."""


class Recorder(httpx.BaseTransport):
    """A transport that records a request and refuses it, so that nothing is ever sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        raise DryRunStop(f"{request.method} {request.url.path}")


def _placeholders(text: str) -> str:
    for name, value in SENTINELS.items():
        text = text.replace(value, f"${name}")
    return text


def _headers(request: httpx.Request) -> dict[str, str]:
    shown = {}
    for name, value in request.headers.items():
        if name.lower() == "authorization" and value == _BASIC:
            value = "Basic base64($CLICKHOUSE_CLOUD_API_KEY:$CLICKHOUSE_CLOUD_API_SECRET)"
        shown[_title(name)] = value
    return shown


def _title(name: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def _body(request: httpx.Request) -> tuple[Any, str]:
    """The body as data (JSON parsed, else text, else None) and as the exact text sent."""
    raw = request.content.decode("utf-8", "replace")
    if not raw:
        return None, ""
    try:
        parsed = json.loads(raw)
    except ValueError:
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return _form(raw)
        return raw, raw
    masked = _mask(parsed)
    # The exact bytes, unless a secret had to be masked out of them.
    return masked, raw if masked == parsed else json.dumps(masked, separators=(",", ":"))


def _form(raw: str) -> tuple[str, str]:
    """A form body with its secret fields masked (a password typed into `raw --form`), as sent otherwise."""
    fields = urllib.parse.parse_qsl(raw, keep_blank_values=True)
    hidden = [is_secret_name(k) and _is_value(v) for k, v in fields]
    if not any(hidden):
        return raw, raw
    quote = urllib.parse.quote_plus
    shown = "&".join(
        f"{quote(k)}={'********' if hide else quote(v)}" for (k, v), hide in zip(fields, hidden, strict=True)
    )
    return shown, shown


def _mask(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: "********" if is_secret_name(str(k)) and _is_value(v) else _mask(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _is_value(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value) and value not in SENTINELS.values()
    return isinstance(value, dict | list) and bool(value)


def request_data(request: httpx.Request) -> dict[str, Any]:
    """The request as JSON data: method, url, headers, body (placeholders for credentials)."""
    body, _ = _body(request)
    data = {
        "method": request.method,
        "url": str(request.url),
        "headers": _headers(request),
        "body": body,
    }
    text = json.dumps(data, ensure_ascii=False)
    result: dict[str, Any] = json.loads(_placeholders(text))
    return result


def render_request(request: httpx.Request, *, as_curl: bool) -> str:
    """The request as an HTTP message, or (`as_curl`) as an equivalent curl command."""
    body, exact = _body(request)
    if not as_curl:
        lines = [f"{request.method} {request.url}"]
        lines += [f"{name}: {value}" for name, value in _headers(request).items()]
        if body is not None:
            text = json.dumps(body, indent=2, ensure_ascii=False) if not isinstance(body, str) else body
            lines += ["", text]
        return _placeholders("\n".join(lines)) + "\n"
    # The vendor pages' form: `curl -X POST <url> -H "..." -d '<body>'`.
    parts = [f"curl -X {request.method} {_quote(str(request.url))}"]
    for name, value in request.headers.items():
        if name.lower() in _CURL_SKIPS:
            continue
        if name.lower() == "authorization" and value == _BASIC:
            pair = f"{SENTINELS['CLICKHOUSE_CLOUD_API_KEY']}:{SENTINELS['CLICKHOUSE_CLOUD_API_SECRET']}"
            parts.append(f"--user {_quote(pair)}")
            continue
        parts.append(f"-H {_quote(f'{_title(name)}: {value}')}")
    if exact:
        # `-d @name` would send the file `name` instead; `--data-raw` sends the text as it is.
        parts.append(f"{'--data-raw' if exact.startswith('@') else '-d'} {_quote(exact)}")
    return " \\\n  ".join(parts) + "\n"


_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")
# What a double-quoted shell word does not keep as written (`!`: an interactive bash's history).
_DOUBLE_QUOTE_SPECIALS = frozenset('"\\$`!')
_SENTINEL = re.compile("|".join(re.escape(value) for value in SENTINELS.values()))
_VARIABLES = {value: f"${{{name}}}" for name, value in SENTINELS.items()}


def _quote(text: str) -> str:
    """`text` as one shell word; placeholders become `${NAME}` inside double quotes, so they expand.

    Double quotes when nothing in the text is special inside them (`-H "Content-Type: ..."`, as the
    vendor pages write it). Otherwise single quotes, each placeholder spliced in as
    `'..."'"${NAME}"'"...'`, so that a JSON body reads as JSON and still expands the variable.
    """
    pieces = _SENTINEL.split(text)
    if len(pieces) == 1 and _SAFE.match(text):
        return text
    if not _DOUBLE_QUOTE_SPECIALS.intersection("".join(pieces)):
        return '"' + _SENTINEL.sub(lambda m: _VARIABLES[m.group()], text) + '"'
    variables = [f'"{_VARIABLES[m.group()]}"' for m in _SENTINEL.finditer(text)] + [""]
    return "".join(_single(piece) + variable for piece, variable in zip(pieces, variables, strict=True))


def _single(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'" if text else ""
