"""ClickStack data sources and webhooks (read-only here; the rest is in `.api`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._pager import Pager
from ._records import Source, Webhook

if TYPE_CHECKING:
    from ._client import ClickStack

__all__ = ["Sources", "Webhooks"]


class Sources:
    """Data sources (logs, traces, metrics, sessions). Reached as `ClickStack(...).sources`."""

    def __init__(self, client: ClickStack) -> None:
        self._client = client

    def list(self) -> Pager[Source]:
        """Every source (its `kind` says which: log, trace, metric, session, promql)."""
        return self._client._list(Source.from_api, "sources.list")

    def get(self, source_id: str) -> Source:
        """One source.

        Raises:
            NotFoundError: no such source.
        """
        return self._client._record(Source.from_api, "sources.get", item=("sources", source_id))


class Webhooks:
    """Alert destinations. Reached as `ClickStack(...).webhooks`."""

    def __init__(self, client: ClickStack) -> None:
        self._client = client

    def list(self) -> Pager[Webhook]:
        """Every webhook (its `id` is what an alert's channel names as `webhookId`)."""
        return self._client._list(Webhook.from_api, "webhooks.list")
