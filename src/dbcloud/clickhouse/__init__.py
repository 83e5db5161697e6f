"""ClickHouse Cloud: the control-plane API (`ClickHouseCloud`, and `AsyncClickHouseCloud` to await)
and the records it returns."""

from ._backup_config import BackupConfiguration
from ._client import AsyncClickHouseCloud, ClickHouseCloud
from ._cloud import STATE_TABLE, ServiceIdleError
from ._endpoints import PrivateEndpointConfig, QueryEndpoint, RegionPrivateEndpointConfig
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
from ._settings import ClickHouseSetting, ClickHouseSettingSchema, SettingsUpdate
from ._usage import UsageCost, UsageRecord

__all__ = [
    "STATE_TABLE",
    "Activity",
    "ApiKey",
    "AsyncClickHouseCloud",
    "Backup",
    "BackupConfiguration",
    "ClickHouseCloud",
    "ClickHouseSetting",
    "ClickHouseSettingSchema",
    "Endpoint",
    "Invitation",
    "IpAccessEntry",
    "Member",
    "NewKey",
    "NewService",
    "Organization",
    "PrivateEndpointConfig",
    "QueryEndpoint",
    "RegionPrivateEndpointConfig",
    "Service",
    "ServiceIdleError",
    "SettingsUpdate",
    "UsageCost",
    "UsageRecord",
]
