"""Emulated CockroachDB Cloud: clusters of every plan, their nodes, and the regions to create them in.

Stateful: `POST/GET/PATCH/DELETE /api/v1/clusters[/{cluster_id}]`, `GET /api/v1/clusters` (keyset
pages), `GET /api/v1/clusters/{cluster_id}/nodes` and `GET /api/v1/clusters/available-regions`.
Every other operation of the spec answers with a synthesized, schema-shaped body.

Shapes follow the spec of API version 2024-09-16 (the one the facade sends in `Cc-Version`):
plain JSON answers without an envelope, int64 values as decimal strings, and errors as the
gRPC-gateway status object `{code, message, details}` with the HTTP status the gateway maps the
gRPC code to. Lifecycles are computed from the emulated clock when a cluster is read:

    BASIC / STANDARD (serverless)   CREATING --300 s-->  CREATED   (or CREATION_FAILED)
    ADVANCED (dedicated)            CREATING --1200 s--> CREATED   (or CREATION_FAILED)
    dedicated resize                LOCKED (CRDB_SCALE_RUNNING) --300 s--> CREATED
    delete                          DELETED for 60 s, then 404 (still listed with show_inactive)
    restore                         PENDING --600 s (cluster) / 180 s (database, table)--> SUCCESS
    log or metric export            ENABLING --120 s--> ENABLED; disabled: DISABLING --60 s--> 404

Backups, restores and backup settings are kept per cluster (see `_backups`): a CREATED cluster
takes a backup every `frequency_minutes` of emulated time.

Where the spec and the vendor's guide are silent, the rule applied says so where it is applied.
"""

from ._backups import COMPLETED_LAG_SECONDS, OBJECT_RESTORE_SECONDS, RESTORE_SECONDS
from ._export import DISABLE_SECONDS, EXPORT_SECONDS
from ._service import EmulatedCockroach
from ._state import (
    AUTO_FINALIZE_SECONDS,
    DEDICATED_SECONDS,
    DELETED_SECONDS,
    REGIONS,
    SCALE_SECONDS,
    SERVERLESS_SECONDS,
    UPGRADE_SECONDS,
)

__all__ = [
    "AUTO_FINALIZE_SECONDS",
    "COMPLETED_LAG_SECONDS",
    "DEDICATED_SECONDS",
    "DELETED_SECONDS",
    "DISABLE_SECONDS",
    "EXPORT_SECONDS",
    "OBJECT_RESTORE_SECONDS",
    "REGIONS",
    "RESTORE_SECONDS",
    "SCALE_SECONDS",
    "SERVERLESS_SECONDS",
    "UPGRADE_SECONDS",
    "EmulatedCockroach",
]
