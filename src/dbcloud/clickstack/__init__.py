"""ClickStack: managed (in ClickHouse Cloud) or self-hosted OSS, one client (`ClickStack`)."""

from ._client import ClickStack

__all__ = ["ClickStack"]
