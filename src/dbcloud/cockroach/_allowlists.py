"""CockroachDB Cloud IP allowlists: the CIDR ranges that may reach a cluster.

The requests are those of the vendor's Terraform provider (`cockroach_allow_list`,
allowlist_resource.go): `POST /api/v1/clusters/{cluster_id}/networking/allowlist` with `{cidr_ip,
cidr_mask, ui, sql}` and `name` only when one is given (the Go field is `omitempty`), `PATCH
.../allowlist/{cidr_ip}/{cidr_mask}` with `{ui, sql}` (and `name` when given), `DELETE` of the same
path, and the keyset-paged `GET .../allowlist`. An entry is named by its address and mask; there is
no get of one entry, so `get` walks the list as the provider does.

Assumption: addresses are IPv4 only, as the provider's entry id pattern
(`<cluster id>:<a.b.c.d>/<0-32>`) and its mask description ("from 0 to 32") are. An address with
host bits under its mask (`10.0.0.5/24`) is sent as given: nothing the vendor publishes says that it
refuses or rewrites one.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .._errors import NotFoundError, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from ._common import (
    VENDOR,
    checked_cluster_id,
    given,
    keyset_listing,
    text_field,
)
from ._models import AllowlistEntry, Cluster

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["IpAllowlists", "checked_cidr_ip", "checked_cidr_mask", "parse_cidr"]

_OP = "ip_allowlists.cockroach_cloud_"


def checked_cidr_ip(value: Any) -> str:
    """An IPv4 address in dotted form (`10.0.0.0`), checked before it goes into a path or body."""
    if isinstance(value, str):
        try:
            return str(ipaddress.IPv4Address(value))
        except ValueError:
            pass
    raise ValidationError(f"cidr_ip must be an IPv4 address such as 10.0.0.0, got {value!r}", field="cidr_ip")


def checked_cidr_mask(value: Any) -> int:
    """A prefix length, a whole number from 0 to 32."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32:
        raise ValidationError(
            f"cidr_mask must be a whole number from 0 to 32, got {value!r}", field="cidr_mask"
        )
    return value


def parse_cidr(text: str) -> tuple[str, int]:
    """`"10.0.0.0/24"` as `("10.0.0.0", 24)`; an address alone is one address (`/32`).

    Raises:
        ValidationError: not an IPv4 address with an optional prefix length from 0 to 32.
    """
    if not isinstance(text, str):
        raise ValidationError(f"cidr must be text such as 10.0.0.0/24, got {text!r}", field="cidr")
    address, slash, mask = text.strip().partition("/")
    if not slash:
        return checked_cidr_ip(address), 32
    if not mask.isdigit():
        raise ValidationError(
            f"the prefix length of {text!r} must be a number from 0 to 32", field="cidr_mask"
        )
    return checked_cidr_ip(address), checked_cidr_mask(int(mask))


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be True or False, got {value!r}", field=field)
    return value


def _entry(data: Any, ip: str, mask: int, what: str) -> AllowlistEntry:
    """The entry an answer holds; the address and mask asked for where the answer leaves them out."""
    entry = read_one(AllowlistEntry.from_api, data, what=what, vendor=VENDOR, asked_id=ip)
    return entry if entry.cidr_mask is not None else replace(entry, cidr_mask=mask)


class IpAllowlists(Resource[H]):
    """The IP allowlist of a cluster. Reached as `CockroachCloud().ip_allowlists` (and
    `AsyncCockroachCloud().ip_allowlists`, whose verbs are awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @listing
    def list(
        self, cluster_id: str | Cluster, *, page_size: int | None = None, sort_order: str | None = None
    ) -> Listing[AllowlistEntry]:
        """A cluster's allowlist entries, by address, fetched a page at a time as they are iterated.

        Args:
            cluster_id: the cluster (its id, or a `Cluster`).
            page_size: entries per request.
            sort_order: `ASC` (default) or `DESC`.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            NotFoundError: no such cluster (raised while iterating).
        """
        arguments = given(cluster_id=checked_cluster_id(cluster_id))
        what = f"IP allowlist of cluster {arguments['cluster_id']}"
        return keyset_listing(
            self._client,
            _OP + "list_allowlist_entries",
            "allowlist",
            AllowlistEntry.from_api,
            arguments,
            what=what,
            page_size=page_size,
            sort_order=sort_order,
        )

    @call
    def get(self, cluster_id: str | Cluster, cidr_ip: str, cidr_mask: int) -> Flow[AllowlistEntry]:
        """The entry of that address and mask (the API has no get of one entry: the list is walked).

        Raises:
            ValidationError: an argument is malformed; nothing was sent.
            NotFoundError: the cluster's allowlist has no such entry (or there is no such cluster).
        """
        cid, ip, mask = checked_cluster_id(cluster_id), checked_cidr_ip(cidr_ip), checked_cidr_mask(cidr_mask)
        entries = IpAllowlists.list.build(self, cid)
        found = yield from entries.find(lambda entry: (entry.cidr_ip, entry.cidr_mask) == (ip, mask))
        if found is None:
            raise NotFoundError(
                f"the IP allowlist of cluster {cid} has no entry {ip}/{mask}",
                status_code=404,
                method="GET",
                url=f"/api/v1/clusters/{cid}/networking/allowlist",
            )
        return found

    @call
    def add(
        self,
        cluster_id: str | Cluster,
        cidr_ip: str,
        cidr_mask: int,
        *,
        ui: bool,
        sql: bool,
        name: str | None = None,
    ) -> Flow[AllowlistEntry]:
        """Allow a CIDR range to reach the cluster (`POST .../networking/allowlist`).

        Repeated only after a 429 (nothing was added), never after a server error or a broken
        connection. Changes take a moment to reach the cluster (the list's `propagating`).

        Args:
            cluster_id: the cluster.
            cidr_ip: the range's IPv4 address, e.g. `10.0.0.0` (see `parse_cidr` for `10.0.0.0/24`).
            cidr_mask: its prefix length, 0-32 (32 for one address).
            ui: allow the DB Console from the range.
            sql: allow SQL connections from the range.
            name: a name for the entry (the API's default when None).

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            ConflictError: the allowlist has an entry for that range.
            NotFoundError: no such cluster.
        """
        from dbcloud_cockroach_client.models.allowlist_entry import AllowlistEntry as Request

        cid, ip, mask = checked_cluster_id(cluster_id), checked_cidr_ip(cidr_ip), checked_cidr_mask(cidr_mask)
        request = Request(
            cidr_ip=ip,
            cidr_mask=mask,
            ui=_flag(ui, "ui"),
            sql=_flag(sql, "sql"),
            **given(name=_name(name)),
        )
        data = yield from self._client._call_flow(
            _OP + "add_allowlist_entry", Expect.OBJECT, cluster_id=cid, body=request
        )
        return _entry(data, ip, mask, "a new allowlist entry")

    @call
    def update(
        self,
        cluster_id: str | Cluster,
        cidr_ip: str,
        cidr_mask: int,
        *,
        ui: bool,
        sql: bool,
        name: str | None = None,
    ) -> Flow[AllowlistEntry]:
        """Change what a range may reach, or its name (`PATCH .../allowlist/{cidr_ip}/{cidr_mask}`).

        Both `ui` and `sql` are sent every time, as the provider does (the API requires them);
        `name` only when given, so that the entry keeps its name otherwise.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such cluster, or no entry for that range.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_update_allowlist_entry_body import (
            CockroachCloudUpdateAllowlistEntryBody as Request,
        )

        cid, ip, mask = checked_cluster_id(cluster_id), checked_cidr_ip(cidr_ip), checked_cidr_mask(cidr_mask)
        request = Request(ui=_flag(ui, "ui"), sql=_flag(sql, "sql"), **given(name=_name(name)))
        data = yield from self._client._call_flow(
            _OP + "update_allowlist_entry",
            Expect.OBJECT,
            cluster_id=cid,
            cidr_ip=ip,
            cidr_mask=mask,
            body=request,
        )
        return _entry(data, ip, mask, "an allowlist entry")

    @call
    def remove(self, cluster_id: str | Cluster, cidr_ip: str, cidr_mask: int) -> Flow[AllowlistEntry]:
        """Stop allowing a range (`DELETE .../allowlist/{cidr_ip}/{cidr_mask}`).

        Retried like any DELETE (after 429, 502, 503, 504 and broken connections): removing an
        entry destroys no data, and a repeat of one that was done answers 404.

        Raises:
            ValidationError: an argument is malformed; nothing was sent.
            NotFoundError: no such cluster, or no entry for that range.
        """
        cid, ip, mask = checked_cluster_id(cluster_id), checked_cidr_ip(cidr_ip), checked_cidr_mask(cidr_mask)
        data = yield from self._client._call_flow(
            _OP + "delete_allowlist_entry", Expect.OBJECT, cluster_id=cid, cidr_ip=ip, cidr_mask=mask
        )
        return _entry(data, ip, mask, "a removed allowlist entry")


def _name(value: Any) -> str | None:
    return None if value is None else text_field(value, "name", empty=True)
