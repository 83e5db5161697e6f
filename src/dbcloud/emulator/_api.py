"""One emulated REST API, driven by its generated client's route table.

Every operation of the vendor's spec is routed (the pipeline writes `<package>/_routes.py`). A
request is checked like the vendor would: credential, path parameters, required query parameters
and their types, and the body, read by its Content-Type (JSON, or form fields for
`application/x-www-form-urlencoded`), against the generated request model. Operations with state
have a handler; the rest answer with a minimal, schema-shaped body synthesized from the response
model, so every operation is served.
"""

from __future__ import annotations

import base64
import importlib
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from ._clock import EmulatedClock
from ._http import EmuRequest, EmuResponse
from ._ids import IdSource
from ._models import RequestBodyError, loosen_scalars, model_class, parse_body, synthesize

__all__ = ["ApiError", "Handler", "OpenAPIEmulator", "Route"]

Handler = Callable[["EmuRequest", Any], Any]


class ApiError(Exception):
    """Raised by handlers to answer with the vendor's error shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Route:
    """One operation: its table entry and the compiled path pattern."""

    def __init__(self, entry: Any) -> None:
        self.entry = entry
        self.name: str = entry.name
        self.method: str = entry.method.upper()
        names = re.findall(r"{([^{}]+)}", entry.path)
        pattern = re.escape(entry.path)
        for name in names:
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<p{names.index(name)}>[^/]+)")
        self._names = names
        self.pattern = re.compile(f"^{pattern}$")
        # Literal segments first: /cluster/{id}/log must not be taken by /cluster/{id}/{terminate}.
        self.specificity = (len(entry.path.split("/")), -len(names))

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path)
        if found is None:
            return None
        return {name: unquote(found.group(f"p{i}")) for i, name in enumerate(self._names)}


_INT = re.compile(r"^-?\d+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_FORM = "application/x-www-form-urlencoded"


def _kind(content_type: str) -> str:
    """The kind of body a content type names: "json", "form", or its media type for any other."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return "json"
    return "form" if media == _FORM else media


def _form(body: bytes) -> dict[str, str]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the form body is not valid UTF-8") from None
    fields: dict[str, str] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        if name in fields:
            raise ApiError(400, f"form field {name!r} is given more than once")
        fields[name] = value
    return fields


class OpenAPIEmulator:
    """Base of the emulated REST APIs. Subclasses set `package`, the error shapes and handlers."""

    package: str
    name: str
    base_path = ""  # what the server URL adds before the spec's paths (ACM: "/api")
    # Operations whose form body may also come as a JSON object (read by the handler, unchecked).
    json_also: frozenset[str] = frozenset()
    # Whether JSON bodies may give numbers and booleans as text ("3", "true"), as PHP servers read.
    loose_scalars = False

    def __init__(self, clock: EmulatedClock, credential: str, *, ids: IdSource | None = None) -> None:
        self.clock = clock
        self.credential = credential
        # Where the service's ids and secrets come from (see _ids.py); by default the source
        # `build_app(seed=0)` would give it, so a service built directly answers alike.
        self.ids = ids if ids is not None else IdSource(f"{self.name}:0")
        self.lock = threading.RLock()
        self.handlers: dict[str, Handler] = {}
        self.requests = 0
        self.creates = 0
        self.fail_next_launch = False
        table = importlib.import_module(f"{self.package}._routes")
        self.security: str = table.SECURITY
        self.routes = sorted((Route(e) for e in table.ROUTES), key=lambda r: r.specificity, reverse=True)

    # --- vendor shapes (subclasses override) ------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        raise NotImplementedError

    def wrap(self, status: int, data: Any) -> EmuResponse:
        """A handler's result in the vendor's success envelope."""
        raise NotImplementedError

    def untyped(self, route: Route) -> Any:
        """The body for an operation whose spec gives no response schema."""
        return {}

    # --- request handling ---------------------------------------------------------------------

    def handle(self, request: EmuRequest) -> EmuResponse:
        self.requests += 1
        if self.base_path:
            if not request.path.startswith(self.base_path + "/"):
                return self.error(404, f"no such endpoint: {request.path}")
            request.path = request.path[len(self.base_path) :]
        candidates = [r for r in self.routes if r.match(request.path) is not None]
        if not candidates:
            return self.error(404, f"no such endpoint: {request.path}")
        route = next((r for r in candidates if r.method == request.method), None)
        if route is None:
            return self.error(405, f"{request.method} is not allowed on {request.path}")
        request.params = route.match(request.path) or {}
        if route.entry.secured and not self.authorized(request):
            return self.error(401, "missing or invalid credentials")
        try:
            self._check_parameters(route, request)
            body = self._check_body(route, request)
            with self.lock:
                handler = self.handlers.get(route.name)
                if handler is None:
                    self.require_parents(request)
                    return self._synthesized(route)
                result = handler(request, body)
        except ApiError as exc:
            return self.error(exc.status, exc.message)
        return result if isinstance(result, EmuResponse) else self.wrap(self._status(route), result)

    def authorized(self, request: EmuRequest) -> bool:
        kind = self.security
        if kind.startswith("apiKey:header:"):
            return request.headers.get(kind.split(":", 2)[2].lower()) == self.credential
        header = request.headers.get("authorization", "")
        if kind == "http:bearer":
            return header == f"Bearer {self.credential}"
        if kind == "http:basic":
            expected = base64.b64encode(self.credential.encode()).decode()
            return header == f"Basic {expected}"
        return True

    def _check_parameters(self, route: Route, request: EmuRequest) -> None:
        for _, name, kind in route.entry.path_params:
            value = request.params.get(name, "")
            if "/" in value or value in ("", ".", "..") or "\x00" in value:
                raise ApiError(404, f"no such resource: {value!r}")
            if kind == "int" and not _INT.match(value):
                raise ApiError(404, f"{name} must be a number, got {value!r}")
            if kind == "UUID" and not _UUID.match(value):
                raise ApiError(400, f"{name} must be a UUID, got {value!r}")
        query = request.query
        for wire, _, required, kind in route.entry.query:
            if wire not in query:
                if required:
                    raise ApiError(400, f"missing required query parameter {wire!r}")
                continue
            value = query[wire]
            if kind == "int" and not _INT.match(value):
                raise ApiError(400, f"query parameter {wire!r} must be an integer, got {value!r}")
            if kind == "bool" and value.lower() not in ("true", "false"):
                raise ApiError(400, f"query parameter {wire!r} must be true or false, got {value!r}")
            if "\r" in value or "\n" in value:
                raise ApiError(400, f"query parameter {wire!r} contains a line break")

    def _check_body(self, route: Route, request: EmuRequest) -> Any:
        spec = route.entry.body
        if spec is None:
            return None
        content_type, model_path, required = spec
        data, sent = self._read_body(route, request, content_type)
        if data is None:
            if required:
                raise ApiError(400, f"a body is required ({content_type})")
            return None
        if model_path is None or sent != _kind(content_type):
            return data  # a JSON body where the operation also takes one: the handler reads it
        if self.loose_scalars:
            data = loosen_scalars(model_class(model_path.split(" | ")[0]), data)
        problems = []
        for candidate in model_path.split(" | "):  # a body that may be one of several models
            try:
                parse_body(model_class(candidate), data)
            except RequestBodyError as exc:
                problems.append(str(exc))
            else:
                return data
        raise ApiError(400, f"invalid body: {'; '.join(dict.fromkeys(problems))}")

    def _read_body(self, route: Route, request: EmuRequest, content_type: str) -> tuple[Any, str]:
        """The body parsed by the kind its Content-Type names, with that kind ("json" or "form")."""
        if not request.body:
            return None, ""
        taken = _kind(content_type)
        header = request.headers.get("content-type", "")
        # Without a Content-Type the body is read as the kind the operation takes.
        sent = _kind(header) if header else taken
        also_json = route.name in self.json_also and sent == "json"
        if sent != taken and not also_json:
            given = header.split(";", 1)[0].strip()
            raise ApiError(
                400, f"{route.method} {route.entry.path} takes its body as {content_type}, not as {given}"
            )
        if sent == "form":
            return _form(request.body), sent
        try:
            data = request.json()
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ApiError(400, "the body is not valid JSON") from None
        if also_json and not isinstance(data, dict):
            raise ApiError(400, f"the body must be a JSON object, got {type(data).__name__}")
        return data, sent

    def _status(self, route: Route) -> int:
        return int(route.entry.responses[0][0]) if route.entry.responses else 200

    def require_parents(self, request: EmuRequest) -> None:
        """For an operation the service does not emulate: raise `ApiError(404)` when the path
        names a resource that does not exist (a cluster, a service, an organization), so that
        even a synthesized answer never speaks of what is not there. Subclasses check their ids."""

    def synthesized(self, route: Route, status: int, body: Any) -> EmuResponse:
        """The answer to an operation the service does not emulate, from its schema-shaped `body`
        (the spec's first response; `untyped` where it has no schema). Vendors override this to
        adjust the body or wrap it in their envelope."""
        return self.raw(status, body)

    def _synthesized(self, route: Route) -> EmuResponse:
        status, model_path = route.entry.responses[0] if route.entry.responses else (200, None)
        if model_path is None:
            return self.wrap(int(status), self.untyped(route))
        model = model_class(model_path.split(" | ")[0])
        return self.synthesized(route, int(status), synthesize(model, seed=route.name))

    def raw(self, status: int, payload: Any) -> EmuResponse:
        """A body sent as is (already in the vendor's envelope)."""
        from ._http import json_response

        return json_response(status, payload)
