"""ClickStack data sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from ._records import Source

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["Sources"]


class Sources(Resource[H]):
    """Data sources (logs, traces, metrics, sessions). Reached as `ClickStack(...).sources` (and
    `AsyncClickStack(...).sources`, whose verbs are awaited)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Source]:
        """Every source (its `kind` says which: log, trace, metric, session, promql)."""
        return self._client._listing(Source.from_api, "sources.list")

    @call
    def get(self, source_id: str) -> Flow[Source]:
        """One source.

        Raises:
            NotFoundError: no such source.
        """
        return (
            yield from self._client._record_flow(Source.from_api, "sources.get", item=("sources", source_id))
        )
