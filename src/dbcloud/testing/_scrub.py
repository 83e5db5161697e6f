"""What is taken out of an HTTP interaction before a cassette is written, and what a cassette may hold.

Two passes, because they need different knowledge:

- `Scrubber` runs on every request and response while a test records (vcrpy's `before_record_*`
  hooks), and on every request again while it replays, so the sent request matches what was
  stored. It replaces the session's credentials wherever they occur, credential headers, cookies,
  and the values of secret fields (by the same name rules that hide secrets from generated reprs),
  in a JSON body or a form body (ACM's sign-in and its key list are forms).
  A secret first seen in a response becomes a numbered placeholder (`DBCLOUD-REDACTED-2`), which is
  reused wherever that value comes back, so ACM's key list still tells its keys apart in a replay;
  a secret a test sends (an admin password) becomes the plain placeholder, the same in both modes.
- `scrub_identifiers` runs once on the whole cassette as it is serialized: account identifiers
  (organization ids from `/organizations/{id}` paths, values of `email`/`accountId`/`userId`-like
  fields, any e-mail address) become stable placeholders numbered in order of appearance. It sees
  the whole cassette, so an organization id listed in an early response is replaced as consistently
  as the one in later paths.

`problems()` is the check that every cassette passes: the recording refuses to write one that fails
it, and a test walks every committed cassette with it.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import urllib.parse
from collections.abc import Callable, Collection, Iterator
from typing import Any

from dbcloud._secret_names import is_secret_name, is_secret_param, name_words

__all__ = [
    "ORG_PLACEHOLDER",
    "PLACEHOLDER",
    "Scrubber",
    "is_placeholder",
    "problems",
    "scrub_identifiers",
]

PLACEHOLDER = "DBCLOUD-REDACTED"  # what replaces a secret
ORG_PLACEHOLDER = "00000000-0000-4000-a000-000000000001"
"""The first organization id of a cassette, as written; a replay configures this one."""

_PLACEHOLDER = re.compile(rf"{PLACEHOLDER}(-\d+)?")
_CREDENTIAL_HEADERS = frozenset({"authorization", "x-auth-token", "proxy-authorization"})
# Request headers worth keeping: they say what was sent. Host carries the emulator's random port,
# User-Agent the version; neither is matched on.
_KEPT_REQUEST_HEADERS = frozenset({"accept", "content-type", "cc-version"}) | _CREDENTIAL_HEADERS
# Response headers that change on every run without meaning anything to a replay.
_DROPPED_RESPONSE_HEADERS = frozenset({"date", "server"})
# A response that is one long opaque string, bare or as the envelope's whole payload, is a
# credential: ACM's GET /account/token answers {"data": "<new API key>"}.
_TOKEN_TEXT = re.compile(r"[A-Za-z0-9_\-.~+/=]{16,}")
_PAYLOAD_KEYS = ("data", "result")


def _replace_opaque(document: Any, replace: Callable[[str], str]) -> Any:
    """`document` with an opaque-string payload (see `_TOKEN_TEXT`) passed through `replace`."""
    if isinstance(document, str):
        return (
            replace(document)
            if _TOKEN_TEXT.fullmatch(document) and not is_placeholder(document)
            else document
        )
    if isinstance(document, dict):
        for key in _PAYLOAD_KEYS:
            if isinstance(document.get(key), str):
                return {**document, key: _replace_opaque(document[key], replace)}
    return document


def is_placeholder(value: str) -> bool:
    """Whether `value` is one of the placeholders this module writes."""
    return _PLACEHOLDER.fullmatch(value) is not None


class Scrubber:
    """The per-cassette secret filter (see the module docstring).

    Args:
        credentials: the values this session authenticates with; replaced wherever they occur.
        rewrites: `(recorded_prefix, canonical_prefix)` pairs: the URL a test really talked to (the
            emulator's, a self-hosted endpoint) and the vendor URL the cassette stores instead.
    """

    def __init__(self, credentials: Collection[str], rewrites: Collection[tuple[str, str]] = ()) -> None:
        self._credentials = sorted({c for c in credentials if c}, key=len, reverse=True)
        self._rewrites = [(old.rstrip("/"), new.rstrip("/")) for old, new in rewrites if old != new]
        self._seen: dict[str, str] = {}  # a secret seen in a response -> its numbered placeholder

    # --- vcrpy hooks ---------------------------------------------------------------------------

    def request(self, request: Any) -> Any:
        """`before_record_request`: the request as stored (and as matched against the cassette).

        Scrubbed in place: vcrpy builds this object for the cassette alone (the server gets the
        original request), and it is also what vcrpy prints when a replay finds no match, so the
        error message must not show a secret either.
        """
        request.uri = self._scrub_uri(self._rewrite(request.uri))
        for name in list(request.headers):
            lowered = name.lower()
            if lowered not in _KEPT_REQUEST_HEADERS:
                del request.headers[name]
            elif lowered in _CREDENTIAL_HEADERS:
                request.headers[name] = _credential_placeholder(request.headers[name])
        if request.body:
            request.body = self._scrub_body(request.body, numbered=False)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """`before_record_response`: the response as stored."""
        headers: dict[str, list[str]] = {}
        for name, values in response["headers"].items():
            lowered = name.lower()
            if lowered in _DROPPED_RESPONSE_HEADERS:
                continue
            if lowered == "set-cookie":
                values = [_cookie_placeholder(value) for value in values]
            headers[name] = [self._text(self._rewrite(value)) for value in values]
        response["headers"] = headers
        body = response["body"]["string"]
        if body:
            response["body"]["string"] = self._scrub_body(body, numbered=True)
        return response

    # --- the passes ----------------------------------------------------------------------------

    def _rewrite(self, text: str) -> str:
        for old, new in self._rewrites:
            text = text.replace(old, new)
        return text

    def _text(self, text: str) -> str:
        """`text` with every credential and every secret seen so far replaced."""
        for value in self._credentials:
            text = text.replace(value, PLACEHOLDER)
        for value, placeholder in self._seen.items():
            text = text.replace(value, placeholder)
        return text

    def _scrub_uri(self, uri: str) -> str:
        split = urllib.parse.urlsplit(self._text(uri))
        if not split.query:
            return split.geturl()
        pairs = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
        scrubbed = [(name, self._query_value(name, value)) for name, value in pairs]
        if scrubbed == pairs:
            return split.geturl()
        return split._replace(query=urllib.parse.urlencode(scrubbed)).geturl()

    def _query_value(self, name: str, value: str) -> str:
        # A URL parameter is judged as the logs judge it (the URL extra of the one rule).
        if not is_secret_param(name) or not value or is_placeholder(value):
            return value
        # ACM sends its key list as JSON in a query parameter: scrub inside it, keep the shape.
        try:
            document = json.loads(value)
        except ValueError:
            return PLACEHOLDER
        if not isinstance(document, dict | list):
            return PLACEHOLDER
        return json.dumps(self._walk(document, secret=True, numbered=False), separators=(",", ":"))

    def _scrub_body(self, body: bytes | str, *, numbered: bool) -> bytes | str:
        raw = body.decode("utf-8") if isinstance(body, bytes) else body
        try:
            document = json.loads(raw)
        except ValueError:
            scrubbed = self._text(self._rewrite(self._scrub_form(raw, numbered=numbered)))
        else:
            walked = self._walk(document, secret=False, numbered=numbered)
            if numbered:
                walked = _replace_opaque(walked, lambda text: self._placeholder(text, numbered=True))
            # Rewritten only when something changed, so the stored body is byte for byte what was sent.
            scrubbed = raw if walked == document else json.dumps(walked, separators=(",", ":"))
            scrubbed = self._text(self._rewrite(scrubbed))
        return scrubbed.encode("utf-8") if isinstance(body, bytes) else scrubbed

    def _scrub_form(self, raw: str, *, numbered: bool) -> str:
        """A form body (`a=b&c=d`) with its secret fields replaced; any other text as it is."""
        fields = _form(raw)
        if fields is None:
            return raw
        scrubbed = [(name, self._form_value(name, value, numbered=numbered)) for name, value in fields]
        # Re-encoded only when something changed, so the stored body is byte for byte what was sent.
        return raw if scrubbed == fields else urllib.parse.urlencode(scrubbed)

    def _form_value(self, name: str, value: str, *, numbered: bool) -> str:
        # A form field is judged as a JSON field is (not by the URL's extra: a body is not logged).
        secret = is_secret_name(name)
        # ACM's key list is JSON text in a form field (`tokens`): scrub inside it, keep the shape.
        document = _json_container(value)
        if document is not None:
            walked = self._walk(document, secret=secret, numbered=numbered)
            return value if walked == document else json.dumps(walked, separators=(",", ":"))
        if secret and value and not is_placeholder(value):
            return self._placeholder(value, numbered=numbered)
        return value

    def _walk(self, node: Any, *, secret: bool, numbered: bool) -> Any:
        if isinstance(node, dict):
            return {
                key: self._walk(value, secret=is_secret_name(str(key)), numbered=numbered)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [self._walk(item, secret=secret, numbered=numbered) for item in node]
        if secret and isinstance(node, str) and node and not is_placeholder(node):
            return self._placeholder(node, numbered=numbered)
        return node

    def _placeholder(self, value: str, *, numbered: bool) -> str:
        if value in self._credentials:
            return PLACEHOLDER
        if value in self._seen:
            return self._seen[value]
        if not numbered:
            # A secret the test itself sent: the same placeholder when recording and replaying.
            return PLACEHOLDER
        placeholder = f"{PLACEHOLDER}-{len(self._seen) + 1}"
        self._seen[value] = placeholder
        return placeholder


def _form(text: str) -> list[tuple[str, str]] | None:
    """The fields of a form body (`a=b&c=d`), or None when `text` is not one (read as `_match` does)."""
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None


def _json_container(text: str) -> Any:
    """`text` parsed, when it is a JSON object or array; else None."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict | list) else None


def _credential_placeholder(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    if rest and scheme.lower() in {"basic", "bearer", "token"}:
        return f"{scheme} {PLACEHOLDER}"
    return PLACEHOLDER


def _cookie_placeholder(value: str) -> str:
    name, _, rest = value.partition("=")
    attributes = rest.partition(";")[2]
    return f"{name}={PLACEHOLDER}" + (f";{attributes}" if attributes else "")


# --- account identifiers ------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Domains reserved for documentation (RFC 2606, RFC 6761): their addresses are never real.
_RESERVED_DOMAIN = re.compile(r"(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$", re.I)
_ORG_SEGMENT = re.compile(r"/organizations/([^/?#]+)")
_ORG_LIST = re.compile(r"/organizations/?$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# Field names whose values identify an account or a person (compared as lower-case words).
_IDENTIFIER_NAMES = frozenset(
    {
        ("email",),
        ("org", "id"),
        ("organization", "id"),
        ("account", "id"),
        ("aws", "account", "id"),
        ("user", "id"),
        ("owner", "id"),
        ("creator", "id"),
        ("customer", "id"),
        ("tenant", "id"),
        ("subscription", "id"),
        ("billing", "account", "id"),
        ("project", "id"),
    }
)
# Values that look like identifiers but are documentation examples (AWS's own example account).
_EXAMPLE_IDENTIFIERS = frozenset({"123456789012"})


def _is_identifier_name(name: str) -> bool:
    words = tuple(name_words(name))
    return words in _IDENTIFIER_NAMES or words[-1:] == ("email",)


class _Identifiers:
    """Real identifier → placeholder, numbered per kind in order of first appearance."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def add(self, value: str, kind: str) -> None:
        if value in self.found or _is_fake_identifier(value):
            return
        number = self._counts[kind] = self._counts.get(kind, 0) + 1
        self.found[value] = _identifier_placeholder(value, kind, number)

    def apply(self, text: str) -> str:
        for value in sorted(self.found, key=len, reverse=True):
            text = text.replace(value, self.found[value])
        return text


def _is_fake_identifier(value: str) -> bool:
    if len(value) < 6 or value in _EXAMPLE_IDENTIFIERS or is_placeholder(value):
        return True
    if value.startswith("00000000-0000-4000-"):
        return True  # one of ours
    email = _EMAIL.fullmatch(value)
    return email is not None and _RESERVED_DOMAIN.search(value.rpartition("@")[2]) is not None


def _identifier_placeholder(value: str, kind: str, number: int) -> str:
    if kind == "email" or _EMAIL.fullmatch(value):
        return f"user-{number}@example.com"
    family = "a000" if kind == "org" else "8000"
    if _UUID.fullmatch(value):
        return f"00000000-0000-4000-{family}-{number:012d}"
    if value.isdigit():
        return str(number).zfill(len(value))
    return f"{kind}-{number}"


def _identifiers(interactions: list[dict[str, Any]]) -> _Identifiers:
    """The account identifiers in a cassette's interactions, each with its placeholder."""
    found = _Identifiers()
    # Organization ids first, so that a cassette's first organization is always ORG_PLACEHOLDER:
    # from paths, and from the answers that list organizations (the id is in no path yet).
    for interaction in interactions:
        uri = interaction["request"]["uri"]
        for org in _ORG_SEGMENT.findall(uri):
            found.add(urllib.parse.unquote(org), "org")
        if _ORG_LIST.search(urllib.parse.urlsplit(uri).path):
            for org in _listed_ids(interaction["response"]["body"].get("string")):
                found.add(org, "org")
    for text in _texts(interactions):
        for match in _EMAIL.finditer(text):
            found.add(match.group(), "email")
        for value, kind in _identifier_fields(text):
            found.add(value, kind)
    return found


def _listed_ids(body: Any) -> Iterator[str]:
    try:
        document = json.loads(body) if isinstance(body, str) else None
    except ValueError:
        return
    if isinstance(document, dict):
        document = next((document[k] for k in _PAYLOAD_KEYS if k in document), document)
    for item in document if isinstance(document, list) else [document]:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            yield item["id"]


def scrub_identifiers(data: dict[str, Any]) -> dict[str, Any]:
    """The serialized cassette (`{"interactions": [...]}`) with account identifiers replaced."""
    found = _identifiers(data.get("interactions", []))
    if not found.found:
        return data
    scrubbed = copy.deepcopy(data)
    for interaction in scrubbed["interactions"]:
        request, response = interaction["request"], interaction["response"]
        request["uri"] = found.apply(request["uri"])
        if isinstance(request.get("body"), str):
            request["body"] = found.apply(request["body"])
        if isinstance(response["body"].get("string"), str):
            response["body"]["string"] = found.apply(response["body"]["string"])
        for part in (request, response):
            part["headers"] = {
                name: [found.apply(value) for value in values] for name, values in part["headers"].items()
            }
    return scrubbed


def _texts(interactions: list[dict[str, Any]]) -> Iterator[str]:
    for interaction in interactions:
        request, response = interaction["request"], interaction["response"]
        yield urllib.parse.unquote(request["uri"])
        for body in (request.get("body"), response["body"].get("string")):
            if isinstance(body, str):
                yield body


def _identifier_fields(text: str) -> Iterator[tuple[str, str]]:
    try:
        document = json.loads(text)
    except ValueError:
        return
    yield from _walk_identifiers(document)


def _walk_identifiers(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and _is_identifier_name(str(key)):
                yield value, "email" if "email" in name_words(str(key)) else "account"
            else:
                yield from _walk_identifiers(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_identifiers(item)


# --- the check --------------------------------------------------------------------------------


def problems(data: dict[str, Any], credentials: Collection[str]) -> list[str]:
    """Everything in a serialized cassette that must not be there, one line each.

    Finds: any of `credentials` anywhere; a credential header or cookie whose value is not the
    placeholder; a secret field (by name, in a query, a JSON body or a form body) with a
    real-looking value;
    an account identifier that `scrub_identifiers` would replace (an e-mail address outside the
    reserved example domains, an organization id).
    """
    found: list[str] = []
    interactions = data.get("interactions", [])
    # Whatever the identifier pass would still replace is an account identifier left in clear.
    found += [
        f"an account identifier left in clear (it would become {placeholder})"
        for placeholder in _identifiers(interactions).found.values()
    ]
    for number, interaction in enumerate(interactions, start=1):

        def report(what: str, where: str, n: int = number) -> None:
            found.append(f"interaction {n}, {where}: {what}")

        request, response = interaction["request"], interaction["response"]
        texts = {
            "request uri": request["uri"],
            "request body": request.get("body"),
            "response body": response["body"].get("string"),
        }
        for part, headers in (("request", request["headers"]), ("response", response["headers"])):
            for name, values in headers.items():
                for value in values:
                    texts[f"{part} header {name}"] = value
                    _check_header(name.lower(), value, functools.partial(report, where=f"{part} {name}"))
        for where, text in texts.items():
            if not isinstance(text, str):
                continue
            for credential in credentials:
                if credential and credential in text:
                    report("a credential of this session", where)
        query = urllib.parse.urlsplit(request["uri"]).query
        for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
            if is_secret_name(name):
                _check_secret_text(value, functools.partial(report, where=f"query {name}"))
        for where in ("request body", "response body"):
            text = texts[where]
            if isinstance(text, str):
                for path, value in _secret_values(text):
                    if _real(value):
                        report(f"secret field {path} holds a real-looking value", where)
                if where == "response body" and _has_opaque_payload(text):
                    report("an opaque token as the whole payload", where)
    return found


def _check_header(name: str, value: str, report: Callable[[str], None]) -> None:
    if name in _CREDENTIAL_HEADERS and value.rpartition(" ")[2] != PLACEHOLDER:
        report("a credential header that is not the placeholder")
    elif name in {"cookie", "set-cookie"} and PLACEHOLDER not in value:
        report("a cookie that is not the placeholder")


def _check_secret_text(value: str, report: Callable[[str], None]) -> None:
    try:
        document = json.loads(value)
    except ValueError:
        document = None
    if isinstance(document, dict | list):
        for path, leaf in _walk_secrets(document, "$", secret=True):
            if _real(leaf):
                report(f"secret {path} holds a real-looking value")
    elif _real(value):
        report("a real-looking value")


def _secret_values(text: str) -> Iterator[tuple[str, str]]:
    """`(path, value)` of every secret field of a JSON body (`$.adminPass`) or a form body
    (`password`, or `tokens[0].token` inside a field holding JSON text)."""
    try:
        document = json.loads(text)
    except ValueError:
        pass
    else:
        yield from _walk_secrets(document, "$", secret=False)
        return
    for name, value in _form(text) or ():
        inner = _json_container(value)
        if inner is not None:
            yield from _walk_secrets(inner, name, secret=is_secret_name(name))
        elif is_secret_name(name):
            yield name, value


def _walk_secrets(node: Any, path: str, *, secret: bool) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_secrets(value, f"{path}.{key}", secret=is_secret_name(str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk_secrets(item, f"{path}[{index}]", secret=secret)
    elif secret and isinstance(node, str):
        yield path, node


def _has_opaque_payload(text: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        return False
    seen: list[str] = []

    def note(value: str) -> str:
        seen.append(value)
        return value

    _replace_opaque(document, note)
    return bool(seen)


def _real(value: str) -> bool:
    return bool(value) and not is_placeholder(value)
