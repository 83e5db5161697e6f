"""ClickHouse Cloud: the control-plane API (`ClickHouseCloud`, and `AsyncClickHouseCloud` to await)
and the records it returns."""

from ._clickpipes import PIPE_STATE_TABLE, ClickPipe, ClickPipeFailed
from ._client import AsyncClickHouseCloud, ClickHouseCloud
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
from ._schedules import ScalingSchedule, ScheduleEntry
from ._services import NewService

__all__ = [
    "PIPE_STATE_TABLE",
    "STATE_TABLE",
    "Activity",
    "ApiKey",
    "AsyncClickHouseCloud",
    "Backup",
    "ClickHouseCloud",
    "ClickPipe",
    "ClickPipeFailed",
    "Endpoint",
    "Invitation",
    "IpAccessEntry",
    "Member",
    "NewKey",
    "NewService",
    "Organization",
    "ScalingSchedule",
    "ScheduleEntry",
    "Service",
    "ServiceIdleError",
]
