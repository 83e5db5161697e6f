"""ClickStack: managed (in ClickHouse Cloud) or self-hosted OSS, one client (`ClickStack`) and its
async twin (`AsyncClickStack`), and the records they return."""

from ._client import AsyncClickStack, ClickStack
from ._records import Alert, Dashboard, SavedSearch, Source, Tile, Webhook

__all__ = ["Alert", "AsyncClickStack", "ClickStack", "Dashboard", "SavedSearch", "Source", "Tile", "Webhook"]
