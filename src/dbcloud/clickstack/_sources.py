"""ClickStack data sources and webhooks (read-only here; the rest is in `.api`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from ._records import Source, Webhook

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["Sources", "Webhooks"]


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
    def get_by_name(self, name: str) -> Flow[Source]:
        """The source called `name` (every source is read), so that a script adopts a source that exists
        instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no source has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Sources.list.build(self).named(name))

    @call
    def get(self, source_id: str) -> Flow[Source]:
        """One source.

        Raises:
            NotFoundError: no such source.
        """
        return (
            yield from self._client._record_flow(Source.from_api, "sources.get", item=("sources", source_id))
        )


class Webhooks(Resource[H]):
    """Alert destinations. Reached as `ClickStack(...).webhooks` (and `AsyncClickStack(...).webhooks`,
    whose lists are `AsyncPager`s)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Webhook]:
        """Every webhook (its `id` is what an alert's channel names as `webhookId`)."""
        return self._client._listing(Webhook.from_api, "webhooks.list")

    @call
    def get_by_name(self, name: str) -> Flow[Webhook]:
        """The webhook called `name` (every webhook is read), so that a script adopts a webhook that exists
        instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no webhook has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Webhooks.list.build(self).named(name))
