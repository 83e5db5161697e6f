"""`order_of`: a list's `sort_order` goes out as its own operation's generated enum (keyset_listing
looks it up by the operation's name), and only `ASC` or `DESC` (any case) is taken."""

from __future__ import annotations

from pathlib import Path

import dbcloud_cockroach_client
import pytest

import dbcloud
from dbcloud.cockroach._common import order_of

MODELS = Path(dbcloud_cockroach_client.__file__).parent / "models"
SUFFIX = "_pagination_sort_order"
# Every list operation the spec gives a sort order, named as the facade names operations.
OPERATIONS = sorted(f"tag.{path.stem.removesuffix(SUFFIX)}" for path in MODELS.glob(f"*{SUFFIX}.py"))


def test_the_spec_orders_the_lists_the_facade_pages() -> None:
    names = {operation.split(".")[1] for operation in OPERATIONS}
    for listed in ("clusters", "sql_users", "databases", "allowlist_entries", "folders", "folder_contents"):
        assert f"cockroach_cloud_list_{listed}" in names


@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_list_takes_asc_or_desc_as_its_own_enum(operation: str) -> None:
    ordered = order_of(operation, "desc")
    assert ordered.value == "DESC"
    assert type(ordered).__module__.endswith(operation.split(".")[1] + SUFFIX)
    assert order_of(operation, None) is None
    with pytest.raises(dbcloud.ValidationError, match="sort_order must be one of ASC, DESC"):
        order_of(operation, "sideways")
