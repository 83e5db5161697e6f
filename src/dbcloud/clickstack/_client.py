"""`dbcloud.ClickStack`: dashboards, alerts, sources and webhooks of managed or self-hosted ClickStack."""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .._auth import BearerAuth
from .._base import CONNECTION_FIELDS, SyncAPIClient, chosen_timeout, connection_args
from .._config import Field, resolve
from .._errors import ConfigError, ValidationError
from .._http import basic_credential, build_http_client, redact_url, transport_of
from .._pager import Fetched, Pager
from .._response import Expect
from .._results import read_list, read_one
from .._secret import Secret
from ..clickhouse import _cloud
from ..clickhouse._body import build_body
from ..clickhouse._client import FIELDS as CLICKHOUSE_FIELDS
from ..clickhouse._client import make_http, server_root, uuid_text
from ._flavors import MANAGED, OSS, Flavor

if TYPE_CHECKING:
    from ._alerts import Alerts
    from ._dashboards import Dashboards
    from ._sources import Sources, Webhooks

__all__ = ["ClickStack"]

OSS_PATH = "/api/v2"
PAGE_SIZE = 1000  # the OSS spec's largest `limit`
_VENDOR = "ClickStack"
R = TypeVar("R")


def _ids(items: Sequence[Any]) -> list[str]:
    return [str(getattr(item, "id", "")) for item in items]


_OSS_FIELDS = (
    Field("endpoint", ("CLICKSTACK_ENDPOINT",), required=True, hint="server URL"),
    Field("api_key", ("CLICKSTACK_API_KEY",), secret=True, required=True, hint="API key"),
    *CONNECTION_FIELDS,
)


def _oss_root(url: str) -> str:
    # The API's own URL (…/api/v2) is accepted too: it is what the OSS docs show.
    root = url.rstrip("/")
    return root.removesuffix(OSS_PATH) if root.endswith(OSS_PATH) else root


# Both specs type object ids as plain strings; their examples and both servers use ObjectIds (OSS)
# and UUIDs (managed). We assume ids never need more than RFC 3986's unreserved characters, so an
# id that does ("../x", "%2F..", a space) is a mistake to refuse, not a name to escape.
_ID = re.compile(r"[A-Za-z0-9._~-]+")


def _expected(action: str) -> Expect:
    # What each kind of action answers under the envelope: lists, nothing, or one object.
    verb = action.rpartition(".")[2]
    return Expect.LIST if verb == "list" else Expect.ANY if verb == "delete" else Expect.OBJECT


def item_id(value: Any, field: str) -> str:
    """A ClickStack object id, checked before it goes in a path."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must be a non-empty id string, got {value!r}", field=field)
    # "." and ".." are made of allowed characters, but httpx resolves them as path segments:
    # alerts.get(".") would GET the alert list, dashboards.delete("..") the API root.
    if not _ID.fullmatch(value) or value in (".", ".."):
        raise ValidationError(
            f"{field} must be an id (letters, digits, '-', '_', '.', '~'), got {value!r}", field=field
        )
    return value


class ClickStack(SyncAPIClient[Any]):
    """Client of the ClickStack API: self-hosted ClickStack OSS, or managed ClickStack in a
    ClickHouse Cloud service (see `ClickStack.managed`).

    Both offer the same resources: `dashboards`, `alerts`, `sources` and `webhooks`; everything
    else is reachable through `.api` (the generated client of the deployment's API).

    This constructor is for OSS. Settings come from the arguments, else `CLICKSTACK_ENDPOINT` /
    `CLICKSTACK_API_KEY`, else the profile file (`[<profile>.clickstack]`), else the defaults.

    Args:
        endpoint: the server's URL (`https://clickstack.example.com`, or its `…/api/v2`).
        api_key: the personal API key (Team Settings); sent as `Authorization: Bearer`.
        timeout: seconds (or an `httpx.Timeout`) per request (default: 5 s to connect, 30 s to read).
        max_retries: retries of requests that are safe to repeat (default 2).
        http_client: an httpx.Client whose transport (proxies, certificates) dbcloud should use.
        profile: the profile to read from the profile file (default `$DBCLOUD_PROFILE` or "default").

    Raises:
        ConfigError: no endpoint or API key is given anywhere; the message names the variable.
    """

    _PACKAGE = OSS.package

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        api_key: str | Secret | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> None:
        settings = resolve(
            "clickstack",
            _OSS_FIELDS,
            {
                "endpoint": endpoint,
                "api_key": api_key,
                **connection_args(timeout, max_retries),
            },
            profile=profile,
        )
        root = _oss_root(str(settings["endpoint"]))
        secret = settings.typed("api_key", Secret)
        assert secret is not None  # required
        self._setup_clock()
        http = build_http_client(
            base_url=root,
            auth=BearerAuth(secret, origin=root),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            transport=transport_of(http_client, root) if http_client is not None else None,
            sleep=lambda seconds: self._sleep(seconds),
        )
        self._flavor: Flavor = OSS
        self._path_args: dict[str, str] = {}
        super().__init__(http=http, owns_http=True, base_url=root, dialect=OSS.dialect, secrets=(secret,))

    @classmethod
    def managed(
        cls,
        org_id: str | None,
        service_id: str,
        *,
        key_id: str | None = None,
        key_secret: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        profile: str | None = None,
    ) -> ClickStack:
        """A client of managed ClickStack in one ClickHouse Cloud service.

        Credentials are a ClickHouse Cloud API key, resolved as for `ClickHouseCloud`
        (`CLICKHOUSE_CLOUD_API_KEY` / `CLICKHOUSE_CLOUD_API_SECRET` / `CLICKHOUSE_API_URL`, or the
        profile file's `[<profile>.clickhouse]` table).

        Args:
            org_id: the organization's id (Organization → Organization details in the console).
                None: `CLICKHOUSE_ORG_ID` (or the profile's), else the one organization the key
                sees, looked up with the first request that needs it (as `ClickHouseCloud` does).
            service_id: the service's id (in the service's URL or details page).
            key_id, key_secret: the ClickHouse Cloud API key (HTTP Basic).
            base_url: the ClickHouse Cloud API root (default https://api.clickhouse.cloud).

        Raises:
            ConfigError: the key is missing, or an id is not a UUID.
        """
        settings = resolve(
            "clickhouse",
            CLICKHOUSE_FIELDS,
            {
                "key_id": key_id,
                "key_secret": key_secret,
                "org_id": org_id,
                "base_url": base_url,
                **connection_args(timeout, max_retries),
            },
            profile=profile,
        )
        ids = {}
        for name, value in (("organization_id", settings.typed("org_id", str)), ("service_id", service_id)):
            if value is None and name == "organization_id":
                continue  # the key's organization, looked up when a request first needs it
            try:
                ids[name] = uuid_text(value, name)
            except ValidationError as exc:
                raise ConfigError(str(exc)) from None
        root = server_root(str(settings["base_url"]))
        secret = settings.typed("key_secret", Secret)
        assert secret is not None  # required
        client = cls.__new__(cls)
        client._setup_clock()
        http = make_http(
            root,
            str(settings["key_id"]),
            secret,
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
            http_client=http_client,
            sleep=lambda seconds: client._sleep(seconds),
        )
        client._flavor = MANAGED
        client._path_args = ids
        secrets = (secret, basic_credential(str(settings["key_id"]), secret))  # as ClickHouseCloud
        SyncAPIClient.__init__(
            client, http=http, owns_http=True, base_url=root, dialect=MANAGED.dialect, secrets=secrets
        )
        return client

    def _setup_clock(self) -> None:
        # Retry pauses go through self._sleep, so a test swaps one attribute to skip them.
        self._sleep: Callable[[float], None] = time.sleep

    # --- public ------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """ "managed" (ClickHouse Cloud) or "oss" (self-hosted)."""
        return self._flavor.mode

    @property
    def known_org_id(self) -> str | None:
        """Managed: the ClickHouse Cloud organization if it is known without asking the API
        (configured, or looked up already); None for OSS, or when the first call will look it up."""
        return self._path_args.get("organization_id")

    @property
    def api(self) -> Any:
        """The generated client of this deployment's API (`dbcloud_clickhouse_client` when managed,
        `dbcloud_clickstack_oss_client` for OSS), sharing this client's auth, retries and timeouts."""
        api = self.__dict__.get("_api_client")
        if api is None:
            client_module = importlib.import_module(f"{self._flavor.package}.client")
            api = client_module.Client(base_url=self._base_url)
            api.set_httpx_client(self._http)
            self.__dict__["_api_client"] = api
        return api

    def __repr__(self) -> str:
        if self._flavor is MANAGED:
            org, service = self._path_args.get("organization_id"), self._path_args["service_id"]
            return f"ClickStack.managed(org_id={org!r}, service_id={service!r}, base_url={self._base_url!r})"
        return f"ClickStack(endpoint={redact_url(self._base_url)!r})"

    @cached_property
    def dashboards(self) -> Dashboards:
        """Dashboards: `list`, `get`, `create`, `update`, `delete`."""
        from ._dashboards import Dashboards

        return Dashboards(self)

    @cached_property
    def alerts(self) -> Alerts:
        """Alerts: `list`, `get`, `create`, `update`, `delete`."""
        from ._alerts import Alerts

        return Alerts(self)

    @cached_property
    def sources(self) -> Sources:
        """Data sources: `list`, `get`."""
        from ._sources import Sources

        return Sources(self)

    @cached_property
    def webhooks(self) -> Webhooks:
        """Alert destinations: `list`."""
        from ._sources import Webhooks

        return Webhooks(self)

    # --- for resources ---------------------------------------------------------------------------

    def _operation(self, name: str) -> Any:
        return importlib.import_module(f"{self._flavor.package}.api.{name}")

    def _organization(self) -> str:
        """Managed: the organization given, or the key's one organization, looked up once."""
        org = self._path_args.get("organization_id")
        if org is None:
            found = self._call("organization.organization_get_list", Expect.LIST)
            org = _cloud.only_organization(found)
            self._path_args["organization_id"] = org
        return org

    def _act(
        self,
        action: str,
        *,
        item: tuple[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> Any:
        """Send a facade action ("alerts.create") and return the typed answer (None for deletions).

        Args:
            item: (resource, id) for actions on one object.
            body: the request's fields, checked against the flavor's request model.
            **params: query parameters of the operation.
        """
        flavor = self._flavor
        operation = flavor.operations[action]
        arguments: dict[str, Any] = {**self._path_args, **params}
        if item is not None:
            resource, value = item
            arguments[flavor.ids[resource]] = item_id(value, f"{resource[:-1]}_id")
        wire = None
        if body is not None:
            arguments["body"], wire = build_body(
                flavor.request_model(action), body, what=request_what(action)
            )
        if flavor is MANAGED and "organization_id" not in arguments:
            # After the checks above, so that input they refuse sends nothing, not even this lookup.
            arguments["organization_id"] = self._organization()
        data = self._call(operation, _expected(action), wire, **arguments)
        if action.endswith(".delete"):
            return None
        return data

    def _record(self, build: Callable[[Mapping[str, Any], str], R], action: str, **arguments: Any) -> R:
        """The record one action answers (`build` is the record's `from_api`)."""
        item = arguments.get("item")
        asked = str(item[1]) if item is not None else None
        mode = self._flavor.mode
        return read_one(
            lambda data: build(data, mode),
            self._act(action, **arguments),
            what=action,
            vendor=_VENDOR,
            asked_id=asked,
        )

    def _list(self, build: Callable[[Mapping[str, Any], str], R], action: str) -> Pager[R]:
        """Every item a list action returns, as records; where the API pages (`limit`/`offset`),
        page after page through the one pager, which stops a server that ignores the offset."""
        what = action.partition(".")[0]
        mode = self._flavor.mode

        def read(data: Any) -> list[R]:
            return read_list(lambda item: build(item, mode), data, what=what, vendor=_VENDOR)

        if action not in self._flavor.paged:
            return Pager.of_one(lambda: read(self._act(action)), what=what, vendor=_VENDOR)

        def fetch(cursor: Hashable | None) -> Fetched[R]:
            offset = cursor if isinstance(cursor, int) else 0
            data = self._act(action, limit=PAGE_SIZE, offset=offset)
            total: int | None = getattr(data, "total", None)
            if total is not None and offset + len(data) > total:
                total = None  # contradicted by the page itself: read by the page's length instead
            records = read(data)
            return Fetched(
                records,
                next=next_offset(offset, len(data), total),
                total=total,
                signature=tuple(_ids(records)),
            )

        return Pager(fetch, what=what, vendor=_VENDOR)


def request_what(action: str) -> str:
    """A body-sending action as messages name it ("ClickStack alerts create")."""
    return f"ClickStack {action.replace('.', ' ')}"


def next_offset(offset: int, count: int, total: int | None) -> int | None:
    """The offset of the page after one of `count` items at `offset`, or None after the last.

    With the vendor's total (`meta.total`), the walk goes on until it is reached, also past a page
    shorter than the `limit` asked (a server may cap it lower) but never past an empty one. Without
    one: a page shorter than the limit is the last, and one longer than it was not a page at all
    (HyperDX before it paged these lists answered `{data}` with everything), so it is the whole list.
    The offset moves by the items the server sent, read or not (an item left out of the records
    for want of an id still took its place on the page).
    """
    following = offset + count
    if total is not None:
        return following if following < total and count else None
    return following if count == PAGE_SIZE else None
