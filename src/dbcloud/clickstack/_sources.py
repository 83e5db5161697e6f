"""ClickStack data sources and webhooks (read-only here; the rest is in `.api`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._client import ClickStack
    from ._types import Source, Webhook

__all__ = ["Sources", "Webhooks"]


class Sources:
    """Data sources (logs, traces, metrics, sessions). Reached as `ClickStack(...).sources`."""

    def __init__(self, client: ClickStack) -> None:
        self._client = client

    def list(self) -> list[Source]:
        """Every source, each as the model of its kind (`…LogSource`, `…TraceSource`, ...)."""
        return self._client._list("sources.list")

    def get(self, source_id: str) -> Source:
        """One source.

        Raises:
            NotFoundError: no such source.
        """
        result: Source = self._client._run("sources.get", item=("sources", source_id))
        return result


class Webhooks:
    """Alert destinations. Reached as `ClickStack(...).webhooks`."""

    def __init__(self, client: ClickStack) -> None:
        self._client = client

    def list(self) -> list[Webhook]:
        """Every webhook (its `id` is what an alert's channel names as `webhookId`)."""
        return self._client._list("webhooks.list")
