"""The emulated IP allowlist of a CockroachDB Cloud cluster: list, add (POST, or PUT by path),
update, delete.

Rules (the spec's where it has them; assumptions where it is silent, applied in one place below):
- the spec: a Basic or Standard cluster starts with one entry that opens it to any address
  (`0.0.0.0/0`), unless it was created `with_empty_ip_allowlist`; an Advanced cluster starts with
  none (assumption: it is closed to public traffic until entries are added);
- assumption: allowlists apply to public endpoints only, so an Advanced cluster created with
  `network_visibility: PRIVATE` lists no entries and refuses changes with 400;
- assumption: IPv4 only (as the vendor's Terraform provider's entry ids are); the mask 0-32; an
  address with host bits under its mask is kept as sent; an entry is named by address and mask;
- a second entry of a range is a 409, an unknown range a 404; the spec requires `ui` and `sql`;
- assumption: an entry added without a name gets the empty name, as the provider's tests answer;
  an update without a name keeps the entry's name;
- the list's `propagating` is true for `PROPAGATION_SECONDS` after a change (assumption: how long
  the vendor takes is not published);
- changes are refused with 400 once the cluster failed to be created or was deleted.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from ._state import Cluster, state_of
from ._wire import NUMBER, check_fields, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["PROPAGATION_SECONDS", "Allowlist", "AllowlistHandlers"]

PROPAGATION_SECONDS = 30.0
_OPEN = ("0.0.0.0", 0)  # noqa: S104 - an allowlist range (any address), not a bind address
_ENTRY = {"cidr_ip!": "str", "cidr_mask!": "int", "ui!": "bool", "sql!": "bool", "name": "str"}
_FLAGS = {"ui!": "bool", "sql!": "bool", "name": "str"}


@dataclass(slots=True)
class _Entry:
    ip: str
    mask: int
    ui: bool
    sql: bool
    name: str


@dataclass(slots=True)
class Allowlist:
    """A cluster's entries, by (address, mask), and when they last changed."""

    entries: dict[tuple[str, int], _Entry] = field(default_factory=dict)
    changed: float = float("-inf")


class AllowlistHandlers(_Base):
    """The IP allowlist operations of `EmulatedCockroach` (`self.allowlists`, by cluster id)."""

    if TYPE_CHECKING:
        allowlists: dict[str, Allowlist]

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'
        def _create(self, request: EmuRequest, body: Any) -> Any: ...  # ClusterHandlers'

    def allowlist_handlers(self) -> dict[str, Handler]:
        prefix = "ip_allowlists.cockroach_cloud_"
        return {
            # A cluster's first entries depend on its create request (`with_empty_ip_allowlist`).
            "clusters.cockroach_cloud_create_cluster": self._create_with_allowlist,
            prefix + "list_allowlist_entries": self._list_allowlist,
            prefix + "add_allowlist_entry": self._add_entry,
            prefix + "add_allowlist_entry_2": self._add_entry_by_path,
            prefix + "update_allowlist_entry": self._update_entry,
            prefix + "delete_allowlist_entry": self._delete_entry,
        }

    def _create_with_allowlist(self, request: EmuRequest, body: Any) -> Any:
        view = self._create(request, body)
        serverless = body.get("spec", {}).get("serverless")
        allowlist = Allowlist()
        if isinstance(serverless, dict) and not serverless.get("with_empty_ip_allowlist"):
            allowlist.entries[_OPEN] = _Entry(*_OPEN, ui=False, sql=True, name="")
        self.allowlists[view["id"]] = allowlist
        return view

    def _allowlist_of(self, cluster: Cluster) -> Allowlist:
        return self.allowlists.setdefault(cluster.id, Allowlist())

    def _allowlist_to_change(self, request: EmuRequest) -> Allowlist:
        cluster = self._cluster(request)
        state = state_of(cluster, self.clock.now())
        if state in ("CREATION_FAILED", "DELETED"):
            raise ApiError(400, f"the IP allowlist cannot be changed while the cluster is {state}")
        if cluster.network_visibility == "PRIVATE":
            raise ApiError(400, "IP allowlists do not apply to clusters with PRIVATE network visibility")
        return self._allowlist_of(cluster)

    def _list_allowlist(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        allowlist = self._allowlist_of(cluster)
        entries = [] if cluster.network_visibility == "PRIVATE" else allowlist.entries.values()
        rows = [([int(ipaddress.IPv4Address(e.ip)), e.mask], _view(e)) for e in entries]
        page, pagination = keyset_page(rows, request.query, f"allowlist:{cluster.id}", (NUMBER, NUMBER))
        propagating = self.clock.now() - allowlist.changed < PROPAGATION_SECONDS
        return {"allowlist": page, "propagating": propagating, "pagination": pagination}

    def _add_entry(self, request: EmuRequest, body: Any) -> Any:
        allowlist = self._allowlist_to_change(request)
        body = without_nulls(body)
        check_fields(body, _ENTRY, "")
        return self._add(allowlist, _range(body["cidr_ip"], body["cidr_mask"]), body)

    def _add_entry_by_path(self, request: EmuRequest, body: Any) -> Any:
        allowlist = self._allowlist_to_change(request)
        key = _range(request.params["cidr_ip"], _path_mask(request.params["cidr_mask"]))
        body = without_nulls(body)
        check_fields(body, _FLAGS, "")
        return self._add(allowlist, key, body)

    def _add(self, allowlist: Allowlist, key: tuple[str, int], body: dict[str, Any]) -> Any:
        if key in allowlist.entries:
            raise ApiError(409, f"the IP allowlist already has an entry for {key[0]}/{key[1]}")
        entry = _Entry(*key, ui=body["ui"], sql=body["sql"], name=body.get("name", ""))
        allowlist.entries[key] = entry
        allowlist.changed = self.clock.now()
        self.creates += 1
        return _view(entry)

    def _update_entry(self, request: EmuRequest, body: Any) -> Any:
        allowlist = self._allowlist_to_change(request)
        entry = _existing(allowlist, request)
        body = without_nulls(body)
        check_fields(body, _FLAGS, "")
        entry.ui, entry.sql = body["ui"], body["sql"]
        entry.name = body.get("name", entry.name)
        allowlist.changed = self.clock.now()
        return _view(entry)

    def _delete_entry(self, request: EmuRequest, body: Any) -> Any:
        allowlist = self._allowlist_to_change(request)
        entry = _existing(allowlist, request)
        del allowlist.entries[(entry.ip, entry.mask)]
        allowlist.changed = self.clock.now()
        return _view(entry)


def _range(ip: str, mask: int) -> tuple[str, int]:
    try:
        address = str(ipaddress.IPv4Address(ip))
    except ValueError:
        raise ApiError(400, f"cidr_ip must be an IPv4 address, got {ip!r}") from None
    if not 0 <= mask <= 32:
        raise ApiError(400, f"cidr_mask must be from 0 to 32, got {mask}")
    return address, mask


def _path_mask(text: str) -> int:
    if not text.isdigit():
        raise ApiError(400, f"cidr_mask must be an integer, got {text!r}")
    return int(text)


def _existing(allowlist: Allowlist, request: EmuRequest) -> _Entry:
    key = _range(request.params["cidr_ip"], _path_mask(request.params["cidr_mask"]))
    entry = allowlist.entries.get(key)
    if entry is None:
        raise ApiError(404, f"the IP allowlist has no entry for {key[0]}/{key[1]}")
    return entry


def _view(entry: _Entry) -> dict[str, Any]:
    return {
        "cidr_ip": entry.ip,
        "cidr_mask": entry.mask,
        "ui": entry.ui,
        "sql": entry.sql,
        "name": entry.name,
    }
