"""ClickStack saved searches: list, get, create, update, delete.

The requests are those of HyperDX's external API v2 (packages/api/src/routers/external-api/v2/
savedSearches.ts), which managed ClickStack serves under its service path: `POST /saved-searches`
and `PUT /saved-searches/{id}` with `{name, sourceId, select?, where?, whereLanguage?, orderBy?,
tags?, filters?}`, `GET` and `DELETE /saved-searches/{id}`, and the list (OSS pages it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from ._records import SavedSearch

if TYPE_CHECKING:
    from ._client import _ClickStack

__all__ = ["WHERE_LANGUAGES", "SavedSearches"]

WHERE_LANGUAGES = ("lucene", "sql")
_FILTER_TYPES = ("lucene", "sql", "sql_ast")
_OPERATORS = ("=", "<", ">", "!=", "<=", ">=")
# HyperDX's limits (savedSearchRequestSchema; tagsSchema in common-utils types.ts).
_LIMITS = {"name": 1024, "select": 4 * 1024, "where": 8 * 1024, "order_by": 1024}
_FILTER_TEXT, _FILTERS, _TAGS, _TAG = 8 * 1024, 100, 50, 32


def _check_text(field: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string, got {type(value).__name__}", field=field)
    if len(value) > _LIMITS[field]:
        raise ValidationError(f"{field} must be at most {_LIMITS[field]} characters", field=field)


def _check_filter(index: int, item: Any) -> None:
    field = f"filters[{index}]"
    if not isinstance(item, Mapping):
        raise ValidationError(
            f'{field} must be an object, e.g. {{"type": "sql", "condition": ...}}', field=field
        )
    kind = item.get("type", "sql")
    if kind not in _FILTER_TYPES:
        raise ValidationError(
            f"{field}: type must be one of {list(_FILTER_TYPES)}, got {kind!r}", field=field
        )
    parts = ("left", "right") if kind == "sql_ast" else ("condition",)
    for part in parts:
        value = item.get(part)
        if not isinstance(value, str) or len(value) > _FILTER_TEXT:
            raise ValidationError(
                f"{field} needs {part}: text of at most {_FILTER_TEXT} characters", field=field
            )
    if kind == "sql_ast" and item.get("operator") not in _OPERATORS:
        raise ValidationError(f"{field}: operator must be one of {list(_OPERATORS)}", field=field)


def _fields(
    name: Any,
    source_id: Any,
    select: Any,
    where: Any,
    where_language: Any,
    order_by: Any,
    tags: Any,
    filters: Any,
) -> dict[str, Any]:
    """The request's fields in the spec's order, checked by HyperDX's rules."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string", field="name")
    _check_text("name", name.strip())
    if not isinstance(source_id, str) or not source_id.strip():
        raise ValidationError("source_id must be a source's id (see sources.list())", field="source_id")
    for field, value in (("select", select), ("where", where), ("order_by", order_by)):
        _check_text(field, value)
    if where_language is not None and where_language not in WHERE_LANGUAGES:
        raise ValidationError(
            f"where_language must be one of {list(WHERE_LANGUAGES)}, got {where_language!r}",
            field="where_language",
        )
    if tags is not None:
        if isinstance(tags, str) or not isinstance(tags, Sequence) or len(tags) > _TAGS:
            raise ValidationError(f"tags must be a list of at most {_TAGS} strings", field="tags")
        if not all(isinstance(t, str) and len(t) <= _TAG for t in tags):
            raise ValidationError(f"every tag must be a string of at most {_TAG} characters", field="tags")
    if filters is not None:
        if isinstance(filters, str | Mapping) or not isinstance(filters, Sequence) or len(filters) > _FILTERS:
            raise ValidationError(f"filters must be a list of at most {_FILTERS} filters", field="filters")
        for index, item in enumerate(filters):
            _check_filter(index, item)
    return {
        "name": name,
        "source_id": source_id,
        "select": select,
        "where": where,
        "where_language": where_language,
        "order_by": order_by,
        "tags": tags,
        "filters": filters,
    }


class SavedSearches(Resource[H]):
    """Saved searches. Reached as `ClickStack(...).saved_searches` (and
    `AsyncClickStack(...).saved_searches`, whose verbs are awaited)."""

    _client: _ClickStack

    def __init__(self, client: _ClickStack) -> None:
        self._client = client

    @listing
    def list(self) -> Listing[SavedSearch]:
        """Every saved search (OSS pages are fetched as the walk reaches them)."""
        return self._client._listing(SavedSearch.from_api, "saved_searches.list")

    @call
    def get_by_name(self, name: str) -> Flow[SavedSearch]:
        """The saved search called `name` (every saved search is read), so that a script adopts a saved
        search that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no saved search has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from SavedSearches.list.build(self).named(name))

    @call
    def get(self, saved_search_id: str) -> Flow[SavedSearch]:
        """One saved search.

        Raises:
            NotFoundError: no such saved search.
        """
        return (
            yield from self._client._record_flow(
                SavedSearch.from_api, "saved_searches.get", item=("saved_searches", saved_search_id)
            )
        )

    @call
    def create(
        self,
        *,
        name: str,
        source_id: str,
        select: str | None = None,
        where: str | None = None,
        where_language: str | None = None,
        order_by: str | None = None,
        tags: Sequence[str] | None = None,
        filters: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[SavedSearch]:
        """Create a saved search (`POST /saved-searches`). Sent once: repeated only after a 429.

        Args:
            name: its name.
            source_id: the source it searches (one of `sources.list()`).
            select, where, order_by: its query; the server keeps "" for any left out.
            where_language: "lucene" (the server's default) or "sql".
            tags: at most 50 tags of at most 32 characters.
            filters: pinned filters in the API's names (`{"type": "sql", "condition":
                "ServiceName IN ('checkout')"}`); HyperDX takes only those its sidebar can show
                (IN, NOT IN, BETWEEN conditions).

        Raises:
            ValidationError: a rule of HyperDX's is broken; nothing was sent.
            BadRequestError: the source does not exist, or the server refused a filter.
        """
        body = _fields(name, source_id, select, where, where_language, order_by, tags, filters)
        return (
            yield from self._client._record_flow(SavedSearch.from_api, "saved_searches.create", body=body)
        )

    @call
    def update(
        self,
        saved_search_id: str,
        *,
        name: str,
        source_id: str,
        select: str | None = None,
        where: str | None = None,
        where_language: str | None = None,
        order_by: str | None = None,
        tags: Sequence[str] | None = None,
        filters: Sequence[Mapping[str, Any]] | None = None,
    ) -> Flow[SavedSearch]:
        """Replace a saved search (`PUT`): every field left out goes back to its default ("",
        "lucene", no tags, no filters). Filters it already had may be given back as they are,
        even those the sidebar cannot show. Arguments as for `create`.

        Raises:
            ValidationError: a rule is broken; nothing was sent.
            NotFoundError: no such saved search.
        """
        body = _fields(name, source_id, select, where, where_language, order_by, tags, filters)
        return (
            yield from self._client._record_flow(
                SavedSearch.from_api,
                "saved_searches.update",
                item=("saved_searches", saved_search_id),
                body=body,
            )
        )

    @call
    def delete(self, saved_search_id: str) -> Flow[None]:
        """Delete a saved search, and with it the alerts that watch it (as HyperDX does).

        Sent once: never repeated after a server error or a broken connection (only after a 429),
        since it deletes alerts too; a lost answer leaves it to you to look (`get`).

        Raises:
            NotFoundError: no such saved search.
        """
        yield from self._client._delete_once_flow("saved_searches", saved_search_id)
