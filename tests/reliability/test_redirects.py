"""A redirect from the API's origin to another one carries no credential and no cookie.

Two real loopback servers: the "API" answers every request with a redirect (and sets a cookie,
as a load balancer might); the other origin, a different port, records what it receives. Plain
httpx fails this for ACM: it forwards custom headers such as `X-Auth-Token`, and cookies (which
ignore ports) to the other server. Each case runs on the sync client and on its async twin.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import dbcloud
from dbcloud._vendors import vendor_names
from tests._bridge import Flavour

from ._figures import Figures

CREDENTIAL_HEADERS = ("authorization", "x-auth-token", "cookie", "proxy-authorization")
COOKIE = "lb-session=8d2f0c1e"
TOKEN = "redirect-test-token-4f1a"
KEY_ID, KEY_SECRET = "redirect-key-id", "redirect-key-secret-9c3e"
ORG = "3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57"
CLUSTER = "3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
BEARER = ("authorization", f"Bearer {TOKEN}")
BASIC = ("authorization", "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode())


class Server:
    """A loopback HTTP server that records each request's method, path and (lower-cased) headers."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.redirect: tuple[int, str] | None = None  # (status, location) to answer with, or a 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                owner.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                if owner.redirect is not None and not self.path.startswith("/landing"):
                    status, location = owner.redirect
                    self.send_response(status)
                    self.send_header("Location", location)
                    self.send_header("Set-Cookie", f"{COOKIE}; Path=/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b'{"data": []}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Server, Server]]:
    api, other = Server(), Server()
    yield api, other
    api.close()
    other.close()


# api → (the client, given a client class's flavour (`Flavour.twin`) and the API server's URL; the call
# to make; the credential header as sent)
CLIENTS: dict[str, tuple[Callable[[Any, str], Any], Callable[[Any], object], tuple[str, str]]] = {
    "acm": (
        lambda twin, url: twin(dbcloud.Altinity)(token=TOKEN, base_url=f"{url}/api", max_retries=0),
        lambda c: c.environments.list(),
        ("x-auth-token", TOKEN),
    ),
    "cockroach": (
        lambda twin, url: twin(dbcloud.CockroachCloud)(api_key=TOKEN, base_url=url, max_retries=0),
        lambda c: c.clusters.get(CLUSTER),
        BEARER,
    ),
    "clickhouse": (
        lambda twin, url: twin(dbcloud.ClickHouseCloud)(
            key_id=KEY_ID, key_secret=KEY_SECRET, org_id=ORG, base_url=url, max_retries=0
        ),
        lambda c: c.services.list(),
        BASIC,
    ),
    "anywhere": (
        lambda twin, url: twin(dbcloud.AltinityAnywhere)(token=TOKEN, base_url=url, max_retries=0),
        lambda c: c.aws.list(),  # a POST: 307 keeps it, 302 turns it into a GET
        BEARER,
    ),
    "clickstack": (
        lambda twin, url: twin(dbcloud.ClickStack)(endpoint=url, api_key=TOKEN, max_retries=0),
        lambda c: c.dashboards.list(),
        BEARER,
    ),
}


def test_every_registered_vendor_has_a_client() -> None:
    assert set(CLIENTS) == set(vendor_names())


def call_twice(api: str, url: str, flavour: Flavour) -> list[str]:
    """Two calls (the first answer sets a cookie, the second request has it); what each raised."""
    make, call, _ = CLIENTS[api]
    outcomes = []
    with make(flavour.twin, url) as client:
        for _ in range(2):
            try:
                call(client)
            except dbcloud.DBCloudError as exc:  # the landing page's answer need not fit the spec
                outcomes.append(type(exc).__name__)
            else:
                outcomes.append("ok")
    return outcomes


def authenticated(api: str, headers: dict[str, str]) -> bool:
    name, value = CLIENTS[api][2]
    return headers.get(name) == value


def has_credential(headers: dict[str, str]) -> bool:
    return any(name in headers for name in CREDENTIAL_HEADERS) or any(
        TOKEN in value or KEY_SECRET in value or BASIC[1] in value for value in headers.values()
    )


@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("api", list(CLIENTS))
def test_a_redirect_to_another_origin_carries_no_credential(
    api: str, status: int, servers: tuple[Server, Server], flavour: Flavour, figures: Figures
) -> None:
    origin, other = servers
    origin.seen.clear()
    other.seen.clear()
    origin.redirect = (status, f"{other.url}/landing")
    call_twice(api, origin.url, flavour)

    assert len(origin.seen) == 2
    assert all(authenticated(api, headers) for _, _, headers in origin.seen), (
        "the API origin is authenticated"
    )
    assert origin.seen[1][2].get("cookie") == COOKIE, "the client kept the cookie for the API origin"
    assert len(other.seen) == 2, "both redirects were followed"
    leaked = sorted({name for _, _, h in other.seen for name in CREDENTIAL_HEADERS if name in h})
    figures.add(
        "redirects",
        api=api,
        flavour=flavour.name,
        redirect=f"{status} to another port",
        credential="X-Auth-Token" if api == "acm" else CLIENTS[api][2][1].split()[0],
        api_origin_got="credential + cookie",
        other_origin_got=", ".join(leaked) or f"{len(other.seen)} requests, no credential, no cookie",
    )
    assert leaked == []
    assert not any(has_credential(headers) for _, _, headers in other.seen)


@pytest.mark.parametrize("api", list(CLIENTS))
def test_a_redirect_within_the_origin_keeps_the_credential(
    api: str, servers: tuple[Server, Server], flavour: Flavour
) -> None:
    # The guard is not a blanket strip: a redirect inside the API (a moved path) still authenticates.
    origin, _ = servers
    origin.seen.clear()
    origin.redirect = (307, f"{origin.url}/landing")
    call_twice(api, origin.url, flavour)
    landings = [headers for _, path, headers in origin.seen if path.startswith("/landing")]
    assert len(landings) == 2
    assert all(authenticated(api, headers) for headers in landings)
