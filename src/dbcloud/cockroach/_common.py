"""What every CockroachDB Cloud resource checks and reads alike: ids and names before they go into
a path, page sizes and enum arguments, and the one keyset listing over a list operation."""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import ValidationError
from .._flow import Flow
from .._pager import Fetched
from .._reading import strict_reading
from .._resource import Listing
from .._response import Expect
from .._results import read_list
from ._pagination import items_of, next_page_token

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = [
    "VENDOR",
    "as_of",
    "checked_cluster_id",
    "checked_id",
    "choice",
    "given",
    "keyset_listing",
    "order_of",
    "page_limit",
    "path_name",
    "text_field",
]

VENDOR = "CockroachDB Cloud"

R = TypeVar("R")

# Cluster ids are UUIDs; anything with a slash, dot, space or percent sign is refused before it
# reaches a URL (the generated code quotes it, but a mistaken id is better caught than sent).
_CLUSTER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def checked_cluster_id(value: Any) -> str:
    """A cluster's id (or a `Cluster`'s), checked before it goes into a path."""
    from ._models import Cluster

    if isinstance(value, Cluster):
        value = value.id
    if not isinstance(value, str) or not _CLUSTER_ID.match(value):
        raise ValidationError(
            f"cluster id must be the id the API gave (a UUID), got {value!r}", field="cluster_id"
        )
    return value


def path_name(value: Any, field: str, *, pattern: re.Pattern[str], rule: str) -> str:
    """A name that goes into a path (a SQL user's, a database's), checked against the vendor's rule.

    Raises:
        ValidationError: `value` is not a string matching `pattern`; `rule` says what would.
    """
    name = getattr(value, "name", value)
    if not isinstance(name, str) or not pattern.fullmatch(name):
        raise ValidationError(f"{field} must be {rule}, got {name!r}", field=field)
    return name


def page_limit(value: Any) -> int | None:
    """`pagination.limit`: None (the API's default) or a whole number of 1 or more."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"page_size must be a whole number of 1 or more, got {value!r}", field="page_size"
        )
    return value


def as_of(value: Any) -> datetime.datetime | None:
    """`pagination.as_of_time`: None or a datetime."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    raise ValidationError("as_of_time must be a datetime", field="as_of_time")


def given(**arguments: Any) -> dict[str, Any]:
    """The arguments that were given: the generated request builders take UNSET, not None."""
    return {name: value for name, value in arguments.items() if value is not None}


def choice(enum_type: Callable[[str], Any], value: Any, field: str, allowed: str) -> Any:
    """`value` as one of the spec's enum values (None when not given), or a ValidationError."""
    if value is None:
        return None
    try:
        with strict_reading():  # an argument of ours: only the values the spec lists
            return enum_type(value.upper() if isinstance(value, str) else value)
    except ValueError:
        raise ValidationError(f"{field} must be one of {allowed}, got {value!r}", field=field) from None


def order_of(operation: str, value: Any) -> Any:
    """`pagination.sort_order` of a list operation (`"databases.cockroach_cloud_list_databases"`):
    `ASC` or `DESC` as the operation's own generated enum, None when not given."""
    if value is None:
        return None
    name = operation.rsplit(".", 1)[-1] + "_pagination_sort_order"
    module = importlib.import_module(f"dbcloud_cockroach_client.models.{name}")
    enum_type = getattr(module, "".join(word.capitalize() for word in name.split("_")))
    return choice(enum_type, value, "sort_order", "ASC, DESC")


def keyset_listing(
    client: _Cockroach,
    operation: str,
    key: str,
    build: Callable[[Mapping[str, Any]], R],
    arguments: Mapping[str, Any],
    *,
    what: str,
    page_size: int | None = None,
    sort_order: str | None = None,
) -> Listing[R]:
    """The one listing of a list operation: `arguments` on every page, plus the page's size and
    order (checked now) and its token; the items are read from the answer's `key`."""
    arguments = {
        **arguments,
        **given(
            pagination_limit=page_limit(page_size), pagination_sort_order=order_of(operation, sort_order)
        ),
    }

    def fetch(token: Hashable | None) -> Flow[Fetched[R]]:
        data = yield from client._call_flow(
            operation, Expect.OBJECT, **arguments, **given(pagination_page=token)
        )
        # The vendor's API guide lists regions as bare names; the spec, as objects.
        items = [{"name": item} if isinstance(item, str) else item for item in items_of(data, key, what=key)]
        return Fetched(read_list(build, items, what=what, vendor=VENDOR), next_page_token(data))

    return Listing(fetch, what, VENDOR)


def checked_id(value: Any, field: str) -> str:
    """The id of an organization resource (a folder's, a service account's, an API key's; or a
    record's `.id`), checked as cluster ids are before it goes into a path."""
    found = getattr(value, "id", value)
    if not isinstance(found, str) or not _CLUSTER_ID.fullmatch(found):
        raise ValidationError(f"{field} must be the id the API gave, got {found!r}", field=field)
    return found


def text_field(value: Any, field: str, *, empty: bool = False) -> str:
    """A free-text body field (a name, a description): a string, without NUL characters, and not
    blank unless `empty`."""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string, got {type(value).__name__}", field=field)
    if not empty and not value.strip():
        raise ValidationError(f"{field} must not be empty", field=field)
    if "\x00" in value:
        raise ValidationError(f"{field} must not contain NUL characters", field=field)
    return value
