"""`order_of`: every list's `sort_order` goes out as its own operation's generated enum, and only
`ASC` or `DESC` (any case) is taken; a name in the facade that names no list operation fails here,
not in a user's call."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dbcloud
from dbcloud.cockroach._common import order_of

SOURCE = Path(dbcloud.__file__).parent / "cockroach"
OPERATIONS = sorted(
    {name for path in SOURCE.glob("*.py") for name in re.findall(r'order_of\("(\w+)"', path.read_text())}
)


def test_the_facade_orders_its_lists() -> None:
    assert len(OPERATIONS) >= 8  # clusters, SQL users, databases, allowlists, backups, restores, ...


@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_list_takes_asc_or_desc_as_its_own_enum(operation: str) -> None:
    ordered = order_of(operation, "desc")
    assert ordered.value == "DESC"
    assert type(ordered).__module__.endswith(f"cockroach_cloud_{operation}_pagination_sort_order")
    assert order_of(operation, None) is None
    with pytest.raises(dbcloud.ValidationError, match="sort_order must be one of ASC, DESC"):
        order_of(operation, "sideways")
