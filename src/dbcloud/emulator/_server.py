"""Serve the emulator on loopback with uvicorn, in a thread (`running()`) or in the foreground."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._vendors import load, vendors
from ._app import BODY_TIMEOUT, EmulatorApp
from ._clock import EmulatedClock
from ._drift import Drift
from ._faults import Fault
from ._ids import IdSource

__all__ = ["CONTROL_ENV", "DEMO_CREDENTIALS", "Emulator", "build_app", "control", "running", "serve"]

# The variables that tell other processes where the control endpoint is and its token.
CONTROL_ENV = ("DBCLOUD_EMULATOR_URL", "DBCLOUD_EMULATOR_TOKEN")

# Credentials the emulator accepts, from the vendor registry. They are not secrets: anyone can read them.
DEMO_CREDENTIALS: Mapping[str, str] = {v.name: v.emulator_credential for v in vendors() if v.emulator}


def build_app(
    *, speed: float = 60.0, seed: int = 0, seed_data: bool = True, body_timeout: float = BODY_TIMEOUT
) -> EmulatorApp:
    """The ASGI app with every emulated API of the vendor registry, its clock and (optionally) demo data.

    Its control token is made afresh (`app.control_token`); `body_timeout` is how long a request's
    body may take to arrive in full before the answer is 408.
    """
    clock = EmulatedClock(speed)
    # Each API draws its ids and secrets from its own seeded source, so a fresh emulator answers
    # the same requests with the same ids, and one API's traffic does not shift another's.
    services: dict[str, Any] = {}
    for entry in vendors():
        if entry.emulator is None:
            continue
        service = load(entry.emulator)
        services[entry.name] = service(
            clock, entry.emulator_credential, seed_data=seed_data, ids=IdSource(f"{entry.name}:{seed}")
        )
    return EmulatorApp(services, clock, seed=seed, body_timeout=body_timeout)


@dataclass
class Emulator:
    """A running emulator: where it listens, how to point the facades at it, and its controls."""

    url: str
    app: EmulatorApp
    credentials: Mapping[str, str] = field(default_factory=lambda: dict(DEMO_CREDENTIALS))

    @property
    def token(self) -> str:
        """The control endpoint's token for this run (the helper's methods need none of it)."""
        return self.app.control_token

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point every facade (and the vendors' own tools) here, and
        `DBCLOUD_EMULATOR_URL` / `DBCLOUD_EMULATOR_TOKEN` for the control endpoint."""
        env: dict[str, str] = {}
        for entry in vendors():
            if entry.name in self.app.services:
                env |= entry.emulator_settings(self.url, self.credentials.get(entry.name))
        url_name, token_name = CONTROL_ENV
        return env | {url_name: self.url, token_name: self.token}

    def control(self, method: str, path: str, payload: Any = None) -> Any:
        """Call the control endpoint over HTTP, with this run's token (e.g. `("GET", "/stats")`).

        Raises:
            urllib.error.HTTPError: the endpoint refused the call (400: a bad value, nothing changed).
        """
        return control(self.url, method, path, payload, token=self.token)

    def add_fault(self, api: str, fault: Fault) -> None:
        """Inject a fault into one API (see `Fault`)."""
        self.app.faults[api].add(fault)

    def clear_faults(self) -> None:
        for plan in self.app.faults.values():
            plan.clear()

    def set_drift(self, api: str, drift: Drift | Iterable[str] | str) -> None:
        """Make one API answer with real-world deviations (see `Drift`; kinds in `DRIFT_KINDS`)."""
        self.app.drift[api].set(Drift.of(drift))

    def clear_drift(self) -> None:
        for plan in self.app.drift.values():
            plan.clear()

    def fail_next_launch(self, api: str) -> None:
        """Make the next launch/create of `api` end in failure."""
        self.app.services[api].fail_next_launch = True

    def advance(self, seconds: float) -> None:
        """Move the emulated clock forward."""
        self.app.clock.advance(seconds)

    @contextlib.contextmanager
    def paused_clock(self) -> Iterator[None]:
        """Hold the emulated clock still inside the block (lifecycles wait), then let it run on."""
        self.app.clock.pause()
        try:
            yield
        finally:
            self.app.clock.resume()

    def stats(self) -> dict[str, Any]:
        """Requests, creates and injected faults per API."""
        return self.app.stats()


def _free_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Headers and body leave in two writes; with Nagle's algorithm each answer would wait ~40 ms
    # for the client's delayed ACK. Accepted connections inherit this setting.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    return sock


@contextlib.contextmanager
def running(
    *,
    port: int = 0,
    speed: float = 60.0,
    seed: int = 0,
    seed_data: bool = True,
    faults: Mapping[str, list[Fault]] | None = None,
    drift: Mapping[str, Drift | Iterable[str] | str] | None = None,
    body_timeout: float = BODY_TIMEOUT,
) -> Iterator[Emulator]:
    """Run the emulator in this process, on 127.0.0.1, until the block ends.

    Args:
        port: the port (0: a free one).
        speed: emulated seconds per real second (lifecycles: an ACM launch takes 300 emulated s).
        seed: seeds fault rates and the ids and secrets the APIs hand out, for repeatable runs.
        seed_data: start with demo environments, organizations and regions.
        faults: faults per API prefix ("acm", "clickhouse", ...), active from the start.
        drift: a drift plan per API prefix, active from the start: a `Drift` or a list of kinds,
            e.g. `{"clickhouse": ["unknown-enum", "text-number"]}` (see `DRIFT_KINDS`).
        body_timeout: seconds a request's body may take to arrive (then 408, connection closed).
    """
    import uvicorn

    app = build_app(speed=speed, seed=seed, seed_data=seed_data, body_timeout=body_timeout)
    for api, rules in (faults or {}).items():
        for rule in rules:
            app.faults[api].add(rule)
    for api, plan in (drift or {}).items():
        app.drift[api].set(Drift.of(plan))
    sock = _free_socket(port)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="dbcloud-emulator"
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the emulator did not start")
        time.sleep(0.005)
    host, bound = sock.getsockname()[:2]
    try:
        yield Emulator(url=f"http://{host}:{bound}", app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def serve(
    *,
    port: int = 8765,
    speed: float = 60.0,
    seed_data: bool = True,
    body_timeout: float = BODY_TIMEOUT,
    on_serving: Callable[[Emulator], None] | None = None,
) -> None:
    """Run the emulator in the foreground until it is stopped (a signal, or `POST /_emulator/shutdown`).

    Args:
        on_serving: called once the server accepts connections (the `dbcloud emulator` command
            prints or writes its settings then, so nothing reads them before they are true).

    Raises:
        OSError: the port cannot be listened on.
    """
    import uvicorn

    app = build_app(speed=speed, seed_data=seed_data, body_timeout=body_timeout)
    sock = _free_socket(port)
    emulator = Emulator(url=f"http://127.0.0.1:{sock.getsockname()[1]}", app=app)

    class _Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started and on_serving is not None:
                on_serving(emulator)

    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = _Server(config)
    app.on_shutdown = lambda: setattr(server, "should_exit", True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def exports(emulator: Emulator) -> str:
    """The `export NAME=value` lines of an emulator's settings, for a POSIX shell."""
    import shlex

    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in emulator.env.items())


def control(url: str, method: str, path: str, payload: Any = None, *, token: str | None = None) -> Any:
    """Call the control endpoint of a running emulator (for scripts and other processes).

    Args:
        token: the emulator's control token (default: `$DBCLOUD_EMULATOR_TOKEN`).
    """
    token = token if token is not None else os.environ.get(CONTROL_ENV[1], "")
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(f"{url}/_emulator{path}", data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())
