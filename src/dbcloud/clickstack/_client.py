"""`dbcloud.ClickStack`: dashboards, alerts, sources and webhooks of managed or self-hosted ClickStack."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import httpx

from .._auth import BasicAuth, BearerAuth
from .._base import (
    CONNECTION_FIELDS,
    AsyncAPIClient,
    BaseClient,
    Connection,
    SyncAPIClient,
    chosen_timeout,
    connection_args,
)
from .._config import Field, resolve
from .._errors import ConfigError, ValidationError
from .._flow import Flow
from .._http import basic_credential, redact_url
from .._pager import Fetched
from .._resource import Listing
from .._response import Expect
from .._results import read_list, read_one
from .._retry import once
from .._secret import Secret
from ..clickhouse import _cloud
from ..clickhouse._body import build_body
from ..clickhouse._client import FIELDS as CLICKHOUSE_FIELDS
from ..clickhouse._client import server_root, uuid_text
from ._flavors import MANAGED, OSS, Flavor

if TYPE_CHECKING:
    from ._alerts import Alerts
    from ._dashboards import Dashboards
    from ._saved_searches import SavedSearches
    from ._sources import Sources
    from ._webhooks import Webhooks

__all__ = ["AsyncClickStack", "ClickStack"]

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


class _ClickStack(BaseClient[Any]):
    """What the sync and the async ClickStack clients share: the settings of either deployment (as
    a `Connection`), the deployment's flavour and path ids, and every facade action as a flow."""

    _PACKAGE = OSS.package
    _SHOWN: ClassVar[str]  # the class name the repr shows

    _flavor: Flavor
    _path_args: dict[str, str]

    def _oss_connection(
        self,
        *,
        endpoint: str | None,
        api_key: str | Secret | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        profile: str | None,
    ) -> Connection:
        """The settings of ClickStack OSS (see `ClickStack`), resolved without I/O."""
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
        auth = BearerAuth(secret, origin=root)
        self._flavor = OSS
        self._path_args = {}
        return Connection(
            base_url=root,
            auth=auth,
            dialect=OSS.dialect,
            secrets=(secret,),
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
        )

    def _managed_connection(
        self,
        org_id: str | None,
        service_id: str,
        *,
        key_id: str | None,
        key_secret: str | Secret | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        profile: str | None,
    ) -> Connection:
        """The settings of managed ClickStack (see `ClickStack.managed`), resolved without I/O: an
        organization not given anywhere is left for the first request that needs it."""
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
        user = str(settings["key_id"])
        auth = BasicAuth(user, secret, origin=root)  # as ClickHouseCloud: the key id and secret
        self._flavor = MANAGED
        self._path_args = ids
        return Connection(
            base_url=root,
            auth=auth,
            dialect=MANAGED.dialect,
            secrets=(secret, basic_credential(user, secret)),  # as ClickHouseCloud
            timeout=chosen_timeout(timeout, settings),
            max_retries=settings.typed("max_retries", int),
        )

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

    def __repr__(self) -> str:
        if self._flavor is MANAGED:
            org, service = self._path_args.get("organization_id"), self._path_args["service_id"]
            return (
                f"{self._SHOWN}.managed(org_id={org!r}, service_id={service!r}, base_url={self._base_url!r})"
            )
        return f"{self._SHOWN}(endpoint={redact_url(self._base_url)!r})"

    # --- for resources ---------------------------------------------------------------------------

    def _operation(self, name: str) -> Any:
        return importlib.import_module(f"{self._flavor.package}.api.{name}")

    def _organization_flow(self) -> Flow[str]:
        """Managed: the organization given, or the key's one organization, looked up once."""
        org = self._path_args.get("organization_id")
        if org is None:
            found = yield from self._call_flow("organization.organization_get_list", Expect.LIST)
            org = _cloud.only_organization(found)
            self._path_args["organization_id"] = org
        return org

    def _act_flow(
        self,
        action: str,
        *,
        item: tuple[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        model: str | None = None,
        **params: Any,
    ) -> Flow[Any]:
        """Send a facade action ("alerts.create") and give the typed answer (None for deletions).

        Args:
            item: (resource, id) for actions on one object.
            body: the request's fields, checked against the flavor's request model.
            model: the request model's key in the flavour's `bodies`, where it is not the action
                (a source's kind picks its model: "sources.log").
            **params: query parameters of the operation.
        """
        flavor = self._flavor
        operation = flavor.operations[action]
        arguments: dict[str, Any] = {**self._path_args, **params}
        if item is not None:
            resource, value = item
            arguments[flavor.ids[resource]] = item_id(value, f"{singular(resource)}_id")
        wire = None
        if body is not None:
            arguments["body"], wire = build_body(
                flavor.request_model(model or action), body, what=request_what(action)
            )
        if flavor is MANAGED and "organization_id" not in arguments:
            # After the checks above, so that input they refuse sends nothing, not even this lookup.
            arguments["organization_id"] = yield from self._organization_flow()
        data = yield from self._call_flow(operation, _expected(action), wire, **arguments)
        if action.endswith(".delete"):
            return None
        return data

    def _delete_once_flow(self, resource: str, value: Any) -> Flow[None]:
        """Delete one object with the request sent once (`EXT_ONCE`: repeated only after a 429).

        The id is checked and a managed client's organization looked up first, so that only the
        delete itself is sent once: the lookup is retried as every read is.
        """
        item_id(value, f"{singular(resource)}_id")
        if self._flavor is MANAGED and "organization_id" not in self._path_args:
            yield from self._organization_flow()
        yield from once(self._act_flow(f"{resource}.delete", item=(resource, value)))

    def _record_flow(
        self, build: Callable[[Mapping[str, Any], str], R], action: str, **arguments: Any
    ) -> Flow[R]:
        """The record one action answers (`build` is the record's `from_api`)."""
        item = arguments.get("item")
        asked = str(item[1]) if item is not None else None
        mode = self._flavor.mode
        data = yield from self._act_flow(action, **arguments)
        return read_one(lambda found: build(found, mode), data, what=action, vendor=_VENDOR, asked_id=asked)

    def _listing(self, build: Callable[[Mapping[str, Any], str], R], action: str) -> Listing[R]:
        """Every item a list action returns, as records; where the API pages (`limit`/`offset`),
        page after page through the one pager, which stops a server that ignores the offset."""
        what = action.partition(".")[0]
        mode = self._flavor.mode

        def read(data: Any) -> list[R]:
            return read_list(lambda item: build(item, mode), data, what=what, vendor=_VENDOR)

        if action not in self._flavor.paged:

            def fetch_all() -> Flow[list[R]]:
                return read((yield from self._act_flow(action)))

            return Listing.of_one(fetch_all, what=what, vendor=_VENDOR)

        # Not Listing.by_offset: ClickStack's walk follows the vendor's total past a short page and
        # moves the offset by the items sent, read or not (see next_offset).
        def fetch(cursor: Hashable | None) -> Flow[Fetched[R]]:
            offset = cursor if isinstance(cursor, int) else 0
            data = yield from self._act_flow(action, limit=PAGE_SIZE, offset=offset)
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

        return Listing(fetch, what, _VENDOR)


class ClickStack(_ClickStack, SyncAPIClient[Any]):
    """Client of the ClickStack API: self-hosted ClickStack OSS, or managed ClickStack in a
    ClickHouse Cloud service (see `ClickStack.managed`).

    Both offer the same resources: `dashboards`, `alerts`, `sources`, `webhooks` and
    `saved_searches`; everything else is reachable through `.api` (the generated client of the
    deployment's API).

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

    _SHOWN = "ClickStack"

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
        connection = self._oss_connection(
            endpoint=endpoint, api_key=api_key, timeout=timeout, max_retries=max_retries, profile=profile
        )
        self._open(connection, http_client=http_client)

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
    ) -> Self:
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
        client = cls.__new__(cls)
        connection = client._managed_connection(
            org_id,
            service_id,
            key_id=key_id,
            key_secret=key_secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            profile=profile,
        )
        client._open(connection, http_client=http_client)
        return client

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

    @cached_property
    def dashboards(self) -> Dashboards[httpx.Client]:
        """Dashboards: `list`, `get`, `create`, `update`, `delete`."""
        from ._dashboards import Dashboards

        return Dashboards(self)

    @cached_property
    def alerts(self) -> Alerts[httpx.Client]:
        """Alerts: `list`, `get`, `create`, `update`, `delete`."""
        from ._alerts import Alerts

        return Alerts(self)

    @cached_property
    def sources(self) -> Sources[httpx.Client]:
        """Data sources: `list`, `get`, `create`, `update`, `delete`."""
        from ._sources import Sources

        return Sources(self)

    @cached_property
    def webhooks(self) -> Webhooks[httpx.Client]:
        """Alert destinations: `list`, `create`, `update`, `delete`."""
        from ._webhooks import Webhooks

        return Webhooks(self)

    @cached_property
    def saved_searches(self) -> SavedSearches[httpx.Client]:
        """Saved searches: `list`, `get`, `create`, `update`, `delete`."""
        from ._saved_searches import SavedSearches

        return SavedSearches(self)


class AsyncClickStack(_ClickStack, AsyncAPIClient[Any]):
    """The async client of the ClickStack API: `ClickStack`'s constructors (`AsyncClickStack(...)`
    for OSS, `AsyncClickStack.managed(...)` for managed ClickStack), resources, verbs, arguments,
    settings and results, over `httpx.AsyncClient` (every call is awaited, every list an
    `AsyncPager`, and `async with` closes it).

    Managed without an organization id, the first call that needs one looks it up, as with
    `ClickStack.managed`; `known_org_id` tells it without asking.

    Args:
        http_client: an `httpx.AsyncClient` whose transport dbcloud should use; the other
            arguments are `ClickStack`'s.
    """

    _SHOWN = "AsyncClickStack"

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        api_key: str | Secret | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> None:
        connection = self._oss_connection(
            endpoint=endpoint, api_key=api_key, timeout=timeout, max_retries=max_retries, profile=profile
        )
        self._open(connection, http_client=http_client)

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
        http_client: httpx.AsyncClient | None = None,
        profile: str | None = None,
    ) -> Self:
        """An async client of managed ClickStack in one ClickHouse Cloud service (arguments and
        settings as for `ClickStack.managed`; `http_client` an `httpx.AsyncClient`).

        Raises:
            ConfigError: the key is missing, or an id is not a UUID.
        """
        client = cls.__new__(cls)
        connection = client._managed_connection(
            org_id,
            service_id,
            key_id=key_id,
            key_secret=key_secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            profile=profile,
        )
        client._open(connection, http_client=http_client)
        return client

    @property
    def api(self) -> Any:
        """The generated client of this deployment's API, on this client's async connection, for
        the generated `asyncio` / `asyncio_detailed` functions (see `ClickStack.api`)."""
        api = self.__dict__.get("_api_client")
        if api is None:
            client_module = importlib.import_module(f"{self._flavor.package}.client")
            api = client_module.Client(base_url=self._base_url)
            api.set_async_httpx_client(self._http)
            self.__dict__["_api_client"] = api
        return api

    @cached_property
    def dashboards(self) -> Dashboards[httpx.AsyncClient]:
        """Dashboards, as `ClickStack.dashboards`, awaited."""
        from ._dashboards import Dashboards

        return Dashboards(self)

    @cached_property
    def alerts(self) -> Alerts[httpx.AsyncClient]:
        """Alerts, as `ClickStack.alerts`, awaited."""
        from ._alerts import Alerts

        return Alerts(self)

    @cached_property
    def sources(self) -> Sources[httpx.AsyncClient]:
        """Data sources, as `ClickStack.sources`, awaited."""
        from ._sources import Sources

        return Sources(self)

    @cached_property
    def webhooks(self) -> Webhooks[httpx.AsyncClient]:
        """Alert destinations, as `ClickStack.webhooks`, awaited."""
        from ._webhooks import Webhooks

        return Webhooks(self)

    @cached_property
    def saved_searches(self) -> SavedSearches[httpx.AsyncClient]:
        """Saved searches, as `ClickStack.saved_searches`, awaited."""
        from ._saved_searches import SavedSearches

        return SavedSearches(self)


def singular(resource: str) -> str:
    """One item of a resource, as argument names spell it ("saved_searches" → "saved_search")."""
    return resource.removesuffix("es") if resource.endswith("ches") else resource.removesuffix("s")


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
