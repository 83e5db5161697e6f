"""The audit log of a ClickHouse Cloud organization."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from ._records import Activity

if TYPE_CHECKING:
    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"

__all__ = ["Activities"]


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
        raise ValidationError(f"{field} must be a datetime with a time zone", field=field)
    return value


class Activities(Resource[H]):
    """Organization activities (who did what, not database queries). Reached as
    `ClickHouseCloud().activities` (and
    `AsyncClickHouseCloud().activities`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    def _parse(self, data: Any, asked_id: str | None = None) -> Activity:
        return read_one(Activity.from_api, data, what="Activity", vendor=_VENDOR, asked_id=asked_id)

    @listing
    def list(
        self, *, from_date: dt.datetime | None = None, to_date: dt.datetime | None = None
    ) -> Listing[Activity]:
        """Activities, optionally between two times (the spec's `from_date` / `to_date`).

        Raises:
            ValidationError: a time without a time zone, or `from_date` after `to_date`.
        """
        start, end = _aware(from_date, "from_date"), _aware(to_date, "to_date")
        if start is not None and end is not None and start > end:
            raise ValidationError("from_date is after to_date", field="from_date")
        window = {k: v for k, v in (("from_date", start), ("to_date", end)) if v is not None}

        def everything() -> Flow[builtins.list[Activity]]:
            data = yield from self._client._call_flow("organization.activity_get_list", Expect.LIST, **window)
            return read_list(Activity.from_api, data, what="activities", vendor=_VENDOR)

        return Listing.of_one(everything, what="activities", vendor=_VENDOR)

    @call
    def get(self, activity_id: str) -> Flow[Activity]:
        """One activity's details."""
        if not isinstance(activity_id, str) or not activity_id.strip():
            raise ValidationError("activity_id must be a non-empty string", field="activity_id")
        # A dot segment survives quoting and httpx resolves it: ".." would fetch the organization.
        if activity_id in (".", "..") or any(ord(c) < 32 for c in activity_id):
            raise ValidationError(f"activity_id must be an id, got {activity_id!r}", field="activity_id")
        data = yield from self._client._call_flow(
            "organization.activity_get", Expect.OBJECT, activity_id=activity_id
        )
        return self._parse(data, activity_id)
