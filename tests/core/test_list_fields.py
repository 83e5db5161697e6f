"""A list field the vendor answers as a number, a string, an object or null reads as empty; it never
fails the call with a raw TypeError (before `dbcloud._results.objects`, `"objects": 5` in a
CockroachDB restore did)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from dbcloud._results import objects
from dbcloud.clickhouse._settings import SettingsUpdate
from dbcloud.clickhouse._usage import UsageCost
from dbcloud.clickstack._records import Alert, Dashboard
from dbcloud.cockroach._models import Folder, LogExport, Restore, ServiceAccount

DAY = dt.date(2026, 1, 1)
# (a record's reader, an answer with the list field set to `value`, the field read)
READERS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "restore objects": (lambda v: Restore.from_api({"id": "r", "objects": v}), "objects"),
    "log export groups": (lambda v: LogExport.from_api({"cluster_id": "c", "spec": {"groups": v}}), "groups"),
    "service account roles": (lambda v: ServiceAccount.from_api({"id": "a", "roles": v}), "roles"),
    "folder path": (lambda v: Folder.from_api({"resource_id": "f", "path": v}), "path"),
    "usage costs": (lambda v: UsageCost.from_api({"costs": v}, DAY, DAY), "costs"),
    "settings warnings": (lambda v: SettingsUpdate.from_api({"warnings": v}, "s"), "warnings"),
    "dashboard tiles": (lambda v: Dashboard.from_api({"id": "d", "tiles": v}), "tiles"),
    "alert channels": (lambda v: Alert.from_api({"id": "a", "channels": v}), "channels"),
}


@pytest.mark.parametrize("value", [5, "text", {"a": 1}, None, True])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_list_field_that_is_no_list_reads_as_empty(reader: str, value: Any) -> None:
    read, field = READERS[reader]
    assert getattr(read(value), field) == ()


def test_the_objects_of_a_list_are_kept_in_order_and_the_rest_left_out() -> None:
    assert objects([{"a": 1}, 5, None, "x", {"b": 2}]) == ({"a": 1}, {"b": 2})
    assert objects(7) == ()
