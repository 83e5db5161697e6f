"""The emulator's ASGI application: one path prefix per API, plus a small control endpoint.

    /acm/api/...            Altinity.Cloud Manager        (ACM_API_URL = <url>/acm/api)
    /anywhere/api/v1/...    Altinity.Cloud Anywhere       (ALTINITYCLOUD_API_URL = <url>/anywhere)
    /clickhouse/v1/...      ClickHouse Cloud + ClickStack (CLICKHOUSE_API_URL = <url>/clickhouse)
    /clickstack/api/v2/...  ClickStack OSS                (CLICKSTACK_ENDPOINT = <url>/clickstack)
    /cockroach/api/v1/...   CockroachDB Cloud             (COCKROACH_SERVER = <url>/cockroach)
    /_emulator/...          control: faults, drift, clock, failures, statistics

The control endpoint answers only requests that carry the emulator's token, made afresh for each
run (`Authorization: Bearer $DBCLOUD_EMULATOR_TOKEN`; the `Emulator` helper sends it itself): any
program on the machine can reach the port, and the control endpoint can stop the server or make
every API fail. Everything else answers 401 there.

Bad input never reaches a 500: bodies over 1 MiB are refused, a body that does not arrive in full
within `body_timeout` seconds gets 408 and the connection is closed (a client that promises a body
and never sends it would otherwise hold a connection for ever), and any handler error becomes the
API's own 500 answer while the server keeps serving. A query parameter whose name holds a secret
(`dbcloud._secret_names.is_secret_name`: `password`, `adminPass`, `token`, ...) is refused with 400
in the API's error shape, for every API and before anything else looks at the request: secrets
travel in bodies, never in URLs.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from .._secret_names import is_secret_name
from ._clock import EmulatedClock
from ._drift import Drift, DriftPlan
from ._faults import Fault, FaultPlan, fault_response
from ._http import MAX_BODY, EmuRequest, EmuResponse, json_response

__all__ = ["BODY_TIMEOUT", "EmulatedService", "EmulatorApp"]

BODY_TIMEOUT = 10.0  # seconds a request body may take to arrive in full (then 408)

_log = logging.getLogger("dbcloud.emulator")


class _InjectedResetFilter(logging.Filter):
    """Keeps uvicorn from reporting a deliberately cut connection as an application error."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, ConnectionResetError) and str(error) == _RESET)


_RESET = "injected connection reset"
logging.getLogger("uvicorn.error").addFilter(_InjectedResetFilter())

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class EmulatedService(Protocol):
    name: str
    requests: int
    creates: int
    fail_next_launch: bool

    def handle(self, request: EmuRequest) -> EmuResponse: ...

    def error(self, status: int, message: str) -> EmuResponse: ...


class EmulatorApp:
    """Dispatches requests to the emulated APIs by path prefix; applies faults first."""

    def __init__(
        self,
        services: dict[str, EmulatedService],
        clock: EmulatedClock,
        *,
        seed: int = 0,
        control_token: str | None = None,
        body_timeout: float = BODY_TIMEOUT,
    ) -> None:
        if not body_timeout > 0:
            raise ValueError(f"body_timeout must be positive, got {body_timeout!r}")
        self.services = services  # prefix (without slashes) → service
        self.clock = clock
        self.faults = {prefix: FaultPlan(seed) for prefix in services}
        self.drift = {prefix: DriftPlan(seed) for prefix in services}
        # Not from the seed: a token anyone could compute would guard nothing.
        self.control_token = control_token or secrets.token_urlsafe(24)
        self.body_timeout = body_timeout
        self.on_shutdown: Callable[[], None] | None = None  # set by the server that can be stopped

    def stop(self) -> None:
        """Ask the server that runs this app to stop (a no-op where none said how)."""
        if self.on_shutdown is not None:
            self.on_shutdown()

    def __repr__(self) -> str:  # the token stays out of reprs
        return f"EmulatorApp(apis={sorted(self.services)})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.decode("latin-1").split("?", 1)[0]
        prefix, _, rest = path.lstrip("/").partition("/")
        try:
            body, too_large = await _read_body(receive, self.body_timeout)
        except TimeoutError:
            message = f"the request body did not arrive within {self.body_timeout:g} seconds"
            service = self.services.get(prefix)
            response = service.error(408, message) if service else json_response(408, {"error": message})
            response.headers["Connection"] = "close"  # what is still on its way is not read
            await _send(send, response)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        request = EmuRequest(
            scope["method"].upper(), "/" + rest, scope.get("query_string", b""), headers, body
        )
        if prefix == "_emulator":
            if not self._controller(request):
                response = json_response(
                    401,
                    {"error": "the control endpoint needs the emulator's token: "
                     "Authorization: Bearer $DBCLOUD_EMULATOR_TOKEN"},
                    {"WWW-Authenticate": 'Bearer realm="dbcloud emulator control"'},
                )  # fmt: skip
            elif too_large:
                response = json_response(413, {"error": f"the body is larger than {MAX_BODY} bytes"})
            else:
                response = self._control(request)
        elif prefix not in self.services:
            response = json_response(404, {"error": f"no emulated API at /{prefix}"})
        elif too_large:
            response = self.services[prefix].error(413, f"the body is larger than {MAX_BODY} bytes")
        elif secrets := _secret_parameters(request):
            # Refused at the door, before faults, auth and handlers: the URL already went through
            # proxies and logs, and a server that accepted it would teach clients to send it so.
            service = self.services[prefix]
            service.requests += 1
            named = ", ".join(repr(name) for name in secrets)
            response = service.error(
                400, f"secrets must be sent in the request body, never in the URL: query parameter {named}"
            )
        else:
            response = await self._serve(prefix, request)
        await _send(send, response)

    async def _serve(self, prefix: str, request: EmuRequest) -> EmuResponse:
        service = self.services[prefix]
        fault = self.faults[prefix].draw(request.method, self.clock.now())
        if fault is not None and fault.kind != "slow":
            status = 500 if fault.kind == "reset" else int(fault.kind)
            return fault_response(fault, time.time(), service.error(status, "injected fault"))
        try:
            response = await asyncio.to_thread(service.handle, request)
        except Exception:  # a bug in a handler must not take the server down
            _log.exception("emulated %s failed on %s %s", prefix, request.method, request.path)
            response = service.error(500, "the emulator failed to handle this request")
        if fault is not None:
            response.delay = fault.delay
        return self.drift[prefix].apply(response)

    # --- control endpoint --------------------------------------------------------------------

    def _controller(self, request: EmuRequest) -> bool:
        """Whether the request carries the control token."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self.control_token.encode()
        )

    def _control(self, request: EmuRequest) -> EmuResponse:
        try:
            data = request.json() or {}
        except (ValueError, UnicodeDecodeError, RecursionError):
            return json_response(400, {"error": "the body is not valid JSON"})
        if not isinstance(data, dict):
            return json_response(400, {"error": f"the body must be a JSON object, got {type(data).__name__}"})
        route = (request.method, request.path)
        try:
            if route == ("GET", "/stats"):
                return json_response(200, self.stats())
            if route == ("POST", "/faults"):
                api = data.pop("api", None)
                self._service_prefix(api)
                self.faults[api].add(Fault.from_dict(data))
                return json_response(200, {"ok": True})
            if route == ("DELETE", "/faults"):
                for plan in self.faults.values():
                    plan.clear()
                return json_response(200, {"ok": True})
            if route == ("GET", "/drift"):
                return json_response(200, self.drift_settings())
            if route == ("POST", "/drift"):
                api = data.pop("api", None)
                self._service_prefix(api)
                self.drift[api].set(Drift.from_dict(data))
                return json_response(200, {"ok": True, api: self.drift[api].drift.to_dict()})  # type: ignore[union-attr]
            if route == ("DELETE", "/drift"):
                api = request.query.get("api")
                for prefix in [self._service_prefix(api)] if api else list(self.drift):
                    self.drift[prefix].clear()
                return json_response(200, {"ok": True})
            if route == ("POST", "/clock/advance"):
                self.clock.advance(data.get("seconds", 0))  # refuses NaN, infinities and going back
                return json_response(200, {"now": self.clock.now()})
            if route == ("POST", "/shutdown") and self.on_shutdown is not None:
                self.on_shutdown()
                return json_response(200, {"ok": True, "stopping": True})
            if route == ("POST", "/fail-next-launch"):
                self.services[self._service_prefix(data.get("api"))].fail_next_launch = True
                return json_response(200, {"ok": True})
        except (ValueError, TypeError, KeyError) as exc:
            return json_response(400, {"error": str(exc)})
        return json_response(404, {"error": f"no control endpoint {request.method} {request.path}"})

    def _service_prefix(self, api: Any) -> str:
        if api not in self.services:
            raise ValueError(f"unknown api {api!r}; known: {sorted(self.services)}")
        return str(api)

    def drift_settings(self) -> dict[str, Any]:
        """The drift plan of each API (None where its answers do not drift)."""
        return {
            prefix: plan.drift.to_dict() if plan.drift is not None else None
            for prefix, plan in self.drift.items()
        }

    def stats(self) -> dict[str, Any]:
        return {
            prefix: {
                "requests": service.requests,
                "creates": service.creates,
                "faults_injected": self.faults[prefix].injected,
                "answers_drifted": self.drift[prefix].drifted,
            }
            for prefix, service in self.services.items()
        }


def _secret_parameters(request: EmuRequest) -> list[str]:
    """The query parameters whose names hold a secret, by the project's one rule (never values)."""
    return sorted({name for name in request.query_lists if is_secret_name(name)})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive, timeout: float) -> tuple[bytes, bool]:
    """The body and whether it was too large. Raises TimeoutError when it takes over `timeout`
    seconds in all (a deadline for the whole body: a trickle of bytes does not keep it open)."""
    chunks: list[bytes] = []
    size = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
        if message["type"] == "http.disconnect":
            return b"".join(chunks), size > MAX_BODY
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_BODY:
            chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), size > MAX_BODY


async def _send(send: Send, response: EmuResponse) -> None:
    if response.delay:
        await asyncio.sleep(response.delay)
    headers = [(b"content-type", response.content_type.encode())]
    headers += [(k.lower().encode(), str(v).encode()) for k, v in response.headers.items()]
    if response.reset:
        # Promise a longer body than is sent, then stop: the client sees the connection cut off.
        headers.append((b"content-length", b"1000"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": response.body, "more_body": True})
        raise ConnectionResetError(_RESET)
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
