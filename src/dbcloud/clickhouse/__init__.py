"""ClickHouse Cloud: the control-plane API (`ClickHouseCloud`, and `AsyncClickHouseCloud` to await)
and the records it returns."""

from ._backup_config import BackupConfiguration
from ._clickpipes import PIPE_STATE_TABLE, ClickPipe, ClickPipeFailed
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
from ._schedules import ScalingSchedule, ScheduleEntry
from ._services import NewService
from ._settings import ClickHouseSetting, ClickHouseSettingSchema, SettingsUpdate
from ._usage import UsageCost, UsageRecord

__all__ = [
    "PIPE_STATE_TABLE",
    "STATE_TABLE",
    "Activity",
    "ApiKey",
    "AsyncClickHouseCloud",
    "Backup",
    "BackupConfiguration",
    "ClickHouseCloud",
    "ClickHouseSetting",
    "ClickHouseSettingSchema",
    "ClickPipe",
    "ClickPipeFailed",
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
    "ScalingSchedule",
    "ScheduleEntry",
    "Service",
    "ServiceIdleError",
    "SettingsUpdate",
    "UsageCost",
    "UsageRecord",
]
