"""ClickStack dashboards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from ._records import Dashboard, Tile

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["Dashboards"]


def _fields(
    name: Any,
    tiles: Any,
    tags: Any,
    filters: Any,
    saved_query: Any,
    saved_query_language: Any,
    saved_filter_values: Any,
    containers: Any,
) -> dict[str, Any]:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string", field="name")
    if isinstance(tiles, str | bytes | Mapping) or not isinstance(tiles, Sequence):
        raise ValidationError("tiles must be a list of tiles (dicts in the API's field names)", field="tiles")
    # The order of the spec's CreateDashboardRequest.
    return {
        "name": name,
        "tiles": tiles,
        "tags": tags,
        "filters": filters,
        "saved_query": saved_query,
        "saved_query_language": saved_query_language,
        "saved_filter_values": saved_filter_values,
        "containers": containers,
    }


class Dashboards(Resource[H]):
    """Dashboards. Reached as `ClickStack(...).dashboards` (and `AsyncClickStack(...).dashboards`,
    whose verbs are awaited)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[Dashboard]:
        """Every dashboard."""
        return self._client._listing(Dashboard.from_api, "dashboards.list")

    @call
    def get_by_name(self, name: str) -> Flow[Dashboard]:
        """The dashboard called `name` (every dashboard is read), so that a script adopts a dashboard that
        exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no dashboard has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Dashboards.list.build(self).named(name))

    @call
    def get(self, dashboard_id: str) -> Flow[Dashboard]:
        """One dashboard with its tiles.

        Raises:
            NotFoundError: no such dashboard.
        """
        return (
            yield from self._client._record_flow(
                Dashboard.from_api, "dashboards.get", item=("dashboards", dashboard_id)
            )
        )

    @call
    def create(
        self,
        *,
        name: str,
        tiles: Sequence[Mapping[str, Any] | Tile],
        tags: Sequence[str] | None = None,
        filters: Sequence[Mapping[str, Any]] | None = None,
        saved_query: str | None = None,
        saved_query_language: str | None = None,
        saved_filter_values: Sequence[Mapping[str, Any]] | None = None,
        containers: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[Dashboard]:
        """Create a dashboard. Sent once, never retried.

        Args:
            name: the dashboard's name.
            tiles: its tiles, as dicts in the API's names (`{"name": ..., "x": 0, "y": 0, "w": 6,
                "h": 3, "config": {...}}`) or a dashboard's `Tile` records; may be empty.
            tags, filters, saved_query, saved_query_language, saved_filter_values, containers: the
                spec's optional fields.

        Raises:
            ValidationError: a missing or unknown field or an invalid value; nothing was sent.
        """
        body = _fields(
            name,
            tiles,
            tags,
            filters,
            saved_query,
            saved_query_language,
            saved_filter_values,
            containers,
        )
        return (yield from self._client._record_flow(Dashboard.from_api, "dashboards.create", body=body))

    @call
    def update(
        self,
        dashboard_id: str,
        *,
        name: str,
        tiles: Sequence[Mapping[str, Any] | Tile],
        tags: Sequence[str] | None = None,
        filters: Sequence[Mapping[str, Any]] | None = None,
        saved_query: str | None = None,
        saved_query_language: str | None = None,
        saved_filter_values: Sequence[Mapping[str, Any]] | None = None,
        containers: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[Dashboard]:
        """Replace a dashboard (`PUT`): fields left out are cleared, so give the whole dashboard.
        Tiles keep their ids when given them, and a dashboard's own `Tile` records go back as they
        came: `update(d.id, name="new", tiles=d.tiles, tags=d.tags)` renames dashboard `d` and
        keeps its tiles and tags. Arguments as for `create`."""
        body = _fields(
            name,
            tiles,
            tags,
            filters,
            saved_query,
            saved_query_language,
            saved_filter_values,
            containers,
        )
        return (
            yield from self._client._record_flow(
                Dashboard.from_api, "dashboards.update", item=("dashboards", dashboard_id), body=body
            )
        )

    @call
    def delete(self, dashboard_id: str) -> Flow[None]:
        """Delete a dashboard."""
        yield from self._client._act_flow("dashboards.delete", item=("dashboards", dashboard_id))
