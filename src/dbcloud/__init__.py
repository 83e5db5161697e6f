"""dbcloud: one typed toolkit for the control planes of managed-database clouds.

    import dbcloud
    acm = dbcloud.Altinity()              # ACM_API_KEY
    env = acm.environments.list()[0]

Vendor clients are imported on first use, so `import dbcloud` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    AmbiguousNameError,
    APIConnectionError,
    APIError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClusterFailed,
    ConfigError,
    ConflictError,
    DBCloudError,
    FailedDependencyError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    ValidationError,
    WaitError,
    WaitTimeout,
)
from ._secret import Secret
from ._version import __version__
from ._wait import ClusterState, Progress

if TYPE_CHECKING:
    from ._fleet import Outcome, for_each
    from .altinity import Altinity, AsyncAltinity
    from .anywhere import AltinityAnywhere, AsyncAltinityAnywhere
    from .clickhouse import AsyncClickHouseCloud, ClickHouseCloud
    from .clickstack import AsyncClickStack, ClickStack
    from .cockroach import AsyncCockroachCloud, CockroachCloud

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "Altinity",
    "AltinityAnywhere",
    "AmbiguousNameError",
    "AsyncAltinity",
    "AsyncAltinityAnywhere",
    "AsyncClickHouseCloud",
    "AsyncClickStack",
    "AsyncCockroachCloud",
    "AuthenticationError",
    "BadRequestError",
    "ClickHouseCloud",
    "ClickStack",
    "ClusterFailed",
    "ClusterState",
    "CockroachCloud",
    "ConfigError",
    "ConflictError",
    "DBCloudError",
    "FailedDependencyError",
    "InternalServerError",
    "NotFoundError",
    "Outcome",
    "PermissionDeniedError",
    "Progress",
    "RateLimitError",
    "Secret",
    "UnprocessableEntityError",
    "ValidationError",
    "WaitError",
    "WaitTimeout",
    "__version__",
    "for_each",
]


def __getattr__(name: str) -> Any:
    # Vendor clients load on first use: `import dbcloud` imports neither them nor generated code.
    # The vendors are those of the one registry (`_vendors`), a registered plug-in's included.
    if name in ("for_each", "Outcome"):
        from . import _fleet

        return getattr(_fleet, name)
    from ._vendors import load, vendors

    entry = next((v for v in vendors() if name in (v.export, v.async_export)), None)
    if entry is None:
        raise AttributeError(f"module 'dbcloud' has no attribute {name!r}")
    path = entry.client if name == entry.export else entry.async_client
    assert path is not None  # async_export is set only with async_client
    value = load(path)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
