"""ClickHouse Cloud: the control-plane API (`ClickHouseCloud`) and the records it returns."""

from ._client import ClickHouseCloud
from ._cloud import STATE_TABLE, ServiceIdleError
from ._keys import NewKey
from ._records import (
    Activity,
    ApiKey,
    Backup,
    Endpoint,
    Invitation,
    IpAccessEntry,
    Member,
    Organization,
    Service,
)
from ._services import NewService

__all__ = [
    "STATE_TABLE",
    "Activity",
    "ApiKey",
    "Backup",
    "ClickHouseCloud",
    "Endpoint",
    "Invitation",
    "IpAccessEntry",
    "Member",
    "NewKey",
    "NewService",
    "Organization",
    "Service",
    "ServiceIdleError",
]
