"""ClickStack: managed (in ClickHouse Cloud) or self-hosted OSS, one client (`ClickStack`), and the
records it returns."""

from ._client import ClickStack
from ._records import Alert, Dashboard, Source, Tile, Webhook

__all__ = ["Alert", "ClickStack", "Dashboard", "Source", "Tile", "Webhook"]
