"""ClickHouse Cloud: the control-plane API (`ClickHouseCloud`)."""

from ._client import ClickHouseCloud
from ._cloud import STATE_TABLE, ServiceIdleError
from ._keys import NewKey
from ._services import NewService

__all__ = ["STATE_TABLE", "ClickHouseCloud", "NewKey", "NewService", "ServiceIdleError"]
