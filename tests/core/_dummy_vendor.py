"""A sixth vendor, built the way a real one is added: its own package (this module) and one entry
in the vendor registry. Nothing else in dbcloud names it; `test_registry.py` shows it working."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from dbcloud._auth import BearerAuth
from dbcloud._base import CONNECTION_FIELDS, SyncAPIClient, chosen_timeout, connection_args
from dbcloud._config import Field, resolve
from dbcloud._http import build_http_client, transport_of
from dbcloud._pager import Pager
from dbcloud._response import Dialect
from dbcloud._results import identifier, read_list, text
from dbcloud._secret import Secret
from dbcloud._vendors import Vendor
from dbcloud.cli._spec import Api, Resource, Setting, Verb
from dbcloud.emulator._http import EmuRequest, EmuResponse, json_response

ENTRY = Vendor(
    name="dummy",
    label="Dummy Cloud",
    export="DummyCloud",
    client=f"{__name__}:DummyCloud",
    package=__name__,
    commands=f"{__name__}:DUMMY",
    emulator=f"{__name__}:EmulatedDummy",
    emulator_credential="emulator-dummy-key",
    emulator_env={"DUMMY_API_URL": "{root}", "DUMMY_API_KEY": "{credential}"},
)

_FIELDS = (
    Field("token", ("DUMMY_API_KEY",), secret=True, required=True, hint="API key"),
    Field("base_url", ("DUMMY_API_URL",), default="https://api.dummy.test"),
    *CONNECTION_FIELDS,
)


@dataclass(frozen=True, slots=True)
class Thing:
    """A dummy resource, read like every vendor's records."""

    id: str
    name: str
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Thing:
        return cls(id=identifier(data, "id"), name=text(data.get("name")) or "", raw=dict(data))


class Things:
    def __init__(self, client: DummyCloud) -> None:
        self._client = client

    def list(self) -> Pager[Thing]:
        def everything() -> list[Thing]:
            items = self._client.request("GET", "/things").json()
            return read_list(Thing.from_api, items, what="things", vendor="Dummy Cloud")

        return Pager.of_one(everything, what="things", vendor="Dummy Cloud")


class DummyCloud(SyncAPIClient[Any]):
    """The sixth vendor's facade: settings, auth, retries and errors all from the shared core."""

    _PACKAGE = __name__

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> None:
        settings = resolve(
            "dummy",
            _FIELDS,
            {"token": token, "base_url": base_url, **connection_args(timeout, max_retries)},
            profile=profile,
        )
        root = str(settings["base_url"]).rstrip("/")
        secret = settings.typed("token", Secret)
        assert secret is not None
        http = build_http_client(
            base_url=root,
            auth=BearerAuth(secret, origin=root),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            transport=transport_of(http_client, root) if http_client is not None else None,
        )
        super().__init__(http=http, owns_http=True, base_url=root, dialect=Dialect(), secrets=(secret,))

    @property
    def things(self) -> Things:
        return Things(self)


DUMMY = Api(
    name="dummy",
    label="Dummy Cloud",
    help="Dummy Cloud: things",
    settings=(
        Setting("DUMMY_API_KEY", "token", "Dummy Cloud API key", secret=True),
        Setting("DUMMY_API_URL", "base_url", "Dummy Cloud API root"),
    ),
    resources=(
        Resource("things", "the dummy things", columns=("id", "name"), verbs=(Verb("list", "list things"),)),
    ),
)


class EmulatedDummy:
    """The emulated service: the interface the emulator's app drives (handle, error, counters)."""

    def __init__(self, clock: Any, credential: str, *, seed_data: bool = True, ids: Any = None) -> None:
        self.credential = credential
        self.requests = 0
        self.creates = 0
        self.fail_next_launch = False
        self.things = [{"id": "t-1", "name": "first"}, {"id": "t-2", "name": "second"}] if seed_data else []

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(status, {"message": message})

    def handle(self, request: EmuRequest) -> EmuResponse:
        self.requests += 1
        if request.headers.get("authorization") != f"Bearer {self.credential}":
            return self.error(401, "bad key")
        if (request.method, request.path) == ("GET", "/things"):
            return json_response(200, self.things)
        return self.error(404, f"no such endpoint: {request.path}")
