"""The emulated CockroachDB Cloud service: its routes, error shape and version header."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .._api import OpenAPIEmulator, Route
from .._clock import EmulatedClock
from .._http import EmuRequest, EmuResponse, json_response
from .._ids import IdSource
from .._models import model_class, synthesize
from ._accounts import AccountHandlers
from ._allowlists import Allowlist, AllowlistHandlers
from ._backups import BackupHandlers
from ._clusters import ClusterHandlers
from ._connection import ConnectionHandlers
from ._databases import DatabaseHandlers, StoredDatabase
from ._export import ExportHandlers
from ._folders import FolderHandlers
from ._maintenance import MaintenanceHandlers
from ._sql_users import SqlUserHandlers
from ._state import REGIONS, ApiKey, Cluster, Folder, ServiceAccount
from ._wire import GRPC_CODES, VERSION_HEADER


class EmulatedCockroach(
    ClusterHandlers,
    SqlUserHandlers,
    MaintenanceHandlers,
    FolderHandlers,
    AccountHandlers,
    BackupHandlers,
    ExportHandlers,
    DatabaseHandlers,
    AllowlistHandlers,
    ConnectionHandlers,
    OpenAPIEmulator,
):
    package = "dbcloud_cockroach_client"
    name = "cockroach"

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        super().__init__(clock, credential, ids=ids)
        self.clusters: dict[str, Cluster] = {}
        self._serial = 0
        # Emulated second 0 is the wall time the emulator started; timestamps count from it.
        self._epoch = time.time()
        # The region catalogue is the vendor's, not user data: it is there with or without
        # seed_data (which adds no clusters: an organization starts empty).
        self.regions = REGIONS
        del seed_data
        prefix = "clusters.cockroach_cloud_"
        self.handlers.update(
            {
                prefix + "create_cluster": self._create,
                prefix + "get_cluster": self._get,
                prefix + "update_cluster": self._update,
                prefix + "delete_cluster": self._delete,
                prefix + "list_clusters": self._list,
                prefix + "list_cluster_nodes": self._nodes,
                prefix + "list_available_regions": self._available_regions,
            }
        )
        self.handlers.update(self.sql_user_handlers())
        self.handlers.update(self.maintenance_handlers())
        # Organization-level state: folders, service accounts and their API keys, by id.
        self.folders: dict[str, Folder] = {}
        self.folder_ids = self.ids.child("folders")
        self.service_accounts: dict[str, ServiceAccount] = {}
        self.api_keys: dict[str, ApiKey] = {}
        self.account_ids = self.ids.child("accounts")
        self.handlers.update(self.folder_handlers())
        self.handlers.update(self.account_handlers())
        # Backups, restores and backup settings, by cluster id.
        self.handlers.update(self.backup_handlers())
        # Log and metric export configurations, by cluster id and kind.
        self.handlers.update(self.export_handlers())
        # The databases of each cluster, by cluster id then name (made with a cluster's first use).
        self.databases: dict[str, dict[str, StoredDatabase]] = {}
        self.handlers.update(self.database_handlers())
        # The IP allowlist of each cluster, by cluster id (its first entries made with the cluster).
        self.allowlists: dict[str, Allowlist] = {}
        self.handlers.update(self.allowlist_handlers())
        self.handlers.update(self.connection_handlers())

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        code = GRPC_CODES.get(status, 2)  # 2: UNKNOWN
        return json_response(status, {"code": code, "message": message, "details": []})

    def wrap(self, status: int, data: Any) -> EmuResponse:
        return json_response(status, data)

    def handle(self, request: EmuRequest) -> EmuResponse:
        # Cc-Version picks the API version the answer is shaped for. Any date is accepted (the
        # answers are always those of 2024-09-16, the generated spec); none means the vendor's
        # default version. Assumption: a value that is not a date is refused with 400.
        version = request.headers.get("cc-version")
        if version is not None and not VERSION_HEADER.match(version.strip()):
            self.requests += 1
            return self.error(
                400, f"invalid Cc-Version header {version!r}: expected a date such as 2024-09-16"
            )
        return super().handle(request)

    def untyped(self, route: Route) -> Any:
        return {}

    def synthesized(self, route: Route, status: int, body: Any) -> EmuResponse:
        # A few schemas of the spec require a key they declare no property for (the generated
        # models lack it, so the synthesized answer would too); it is added as the vendor spells it.
        extra = _UNDECLARED_REQUIRED.get(route.name)
        if extra is not None and status < 300:
            body = {**extra(), **body}
        return json_response(status, body)

    def require_parents(self, request: EmuRequest) -> None:
        if "cluster_id" in request.params:
            self._cluster(request)  # 404 for a cluster that does not exist


def _egress_rule() -> dict[str, Any]:
    return {"rule": synthesize(model_class(f"{EmulatedCockroach.package}.models.egress_rule.EgressRule"))}


# Operation → the keys its answer's schema requires without declaring them as properties.
_UNDECLARED_REQUIRED: dict[str, Callable[[], dict[str, Any]]] = {
    "egress_rules.cockroach_cloud_add_egress_rule": _egress_rule,
    "egress_rules.cockroach_cloud_edit_egress_rule": _egress_rule,
    "egress_rules.cockroach_cloud_delete_egress_rule": _egress_rule,
    "private_endpoint_services.cockroach_cloud_add_private_endpoint_connection": lambda: {
        "region": "us-east-1"
    },
    "role_management.cockroach_cloud_get_person_users_by_email": lambda: {"users": []},
}
