"""Emulated ClickStack: dashboards, alerts, sources, webhooks and saved searches.

`ClickStackState` holds the objects of one team. `EmulatedClickStack` serves one as ClickStack OSS
(the HyperDX external API under `/api/v2`: Bearer key, `{data: ...}` answers, `{message}` errors,
`limit`/`offset` pages with `meta` for alerts, webhooks and saved searches); the ClickHouse Cloud
emulator keeps one per service for managed ClickStack (see emulator.clickhouse). Connections, charts,
search and the team endpoints answer with synthesized, schema-shaped bodies.

The rules applied beyond the request models come from the specs' own descriptions: tile ids kept on
update when they match, alert `channel` mirroring `channels[0]` (OSS), webhook `headers` and
`queryParams` write-only, and webhook names unique per service. Where the specs are silent, the
emulator follows HyperDX's server as we understand it (each such rule says so where it is applied).
"""

from ._service import EmulatedClickStack
from ._state import ClickStackState
from ._wire import RESOURCES, iso_time, operations

__all__ = ["RESOURCES", "ClickStackState", "EmulatedClickStack", "iso_time", "operations"]
