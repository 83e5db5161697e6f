"""The organization's usage cost report (`GET .../usageCost`), called as `cloud.usage(start, end)`.

The request is ClickHouse/clickhousectl's (`cloud org usage --from-date --to-date --filter`):
`from_date` and `to_date` as `YYYY-MM-DD`, each `filter` its own query parameter. The spec bounds
the range: `to_date` is at most 30 days after `from_date` (31 days, both ends included), and the
days are UTC days; a range the API would refuse is refused before sending.

Costs are ClickHouse Credits (CHC). They are money, and real answers may carry them as text: every
amount is read with `number`, so `"12.5"` reads as 12.5 and anything unreadable as None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Resource, call
from .._response import Expect
from .._results import as_bool, generated_model, mapping, number, objects, read_one, text

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.usage_cost import UsageCost as UsageCostModel
    from dbcloud_clickhouse_client.models.usage_cost_record import UsageCostRecord as UsageCostRecordModel

    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"
_MODELS = "dbcloud_clickhouse_client.models"
MAX_DAYS = 31  # both ends included: to_date at most 30 days after from_date

__all__ = ["MAX_DAYS", "Usage", "UsageCost", "UsageRecord"]


def _suffix_free(name: str) -> str:
    # "computeCHC" -> "compute"; the record's metrics are keyed without the unit.
    return name[:-3] if name.endswith("CHC") else name


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One entity's cost on one UTC day.

    Attributes:
        id: the entity's id; `name` its name.
        entity_type: "datawarehouse", "service" or "clickpipe" (another word is kept as sent).
        date: the UTC day.
        service_id, data_warehouse_id: what the entity belongs to (or is).
        total_chc: its cost that day, in ClickHouse Credits.
        metrics: the parts of that cost by kind ("compute", "storage", "backup", ...), in CHC.
        locked: whether the record is final (an unlocked one may still change).
        raw: the JSON object as received.
    """

    id: str
    name: str
    entity_type: str | None = None
    date: dt.date | None = None
    service_id: str | None = None
    data_warehouse_id: str | None = None
    total_chc: float | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    locked: bool | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> UsageRecord:
        metrics = {
            _suffix_free(str(k)): amount
            for k, v in mapping(data.get("metrics")).items()
            if (amount := number(v)) is not None
        }
        return cls(
            id=text(data.get("entityId")) or "",
            name=text(data.get("entityName")) or "",
            entity_type=text(data.get("entityType")),
            date=_day(data.get("date")),
            service_id=text(data.get("serviceId")),
            data_warehouse_id=text(data.get("dataWarehouseId")),
            total_chc=number(data.get("totalCHC")),
            metrics=metrics,
            locked=as_bool(data.get("locked")),
            raw=data,
        )

    model: ClassVar[generated_model[UsageCostRecordModel]] = generated_model(
        "dbcloud_clickhouse_client.models.usage_cost_record:UsageCostRecord"
    )


@dataclass(frozen=True, slots=True)
class UsageCost:
    """The organization's costs over a range of UTC days.

    Attributes:
        id: the range, "<from>..<to>" (ISO dates).
        from_date, to_date: the range asked for, both included.
        grand_total_chc: the total, in ClickHouse Credits.
        costs: the daily, per-entity records.
        raw: the JSON object as received.
    """

    id: str
    from_date: dt.date
    to_date: dt.date
    grand_total_chc: float | None = None
    costs: tuple[UsageRecord, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], from_date: dt.date, to_date: dt.date) -> UsageCost:
        return cls(
            id=f"{from_date.isoformat()}..{to_date.isoformat()}",
            from_date=from_date,
            to_date=to_date,
            grand_total_chc=number(data.get("grandTotalCHC")),
            costs=tuple(UsageRecord.from_api(i) for i in objects(data.get("costs"))),
            raw=data,
        )

    model: ClassVar[generated_model[UsageCostModel]] = generated_model(
        "dbcloud_clickhouse_client.models.usage_cost:UsageCost"
    )


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def checked_day(value: Any, name: str) -> dt.date:
    """A report day: a `date` (a `datetime` is refused: the report is by UTC day) or `YYYY-MM-DD`."""
    if isinstance(value, dt.datetime):
        raise ValidationError(f"{name} must be a date, not a time: the report is by UTC day", field=name)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(f"{name} must be a date, YYYY-MM-DD, got {value!r}", field=name)


def checked_range(start_date: Any, end_date: Any) -> tuple[dt.date, dt.date]:
    """The report's days, checked as the spec bounds them (at most 31 days, both ends included).

    Raises:
        ValidationError: a malformed day, an end before the start, or a range longer than 31 days.
    """
    start, end = checked_day(start_date, "start_date"), checked_day(end_date, "end_date")
    if end < start:
        raise ValidationError(f"end_date {end} is before start_date {start}", field="end_date")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(
            f"the usage report covers at most {MAX_DAYS} days (end_date at most 30 days after "
            f"start_date); {start}..{end} is {(end - start).days + 1} days",
            field="end_date",
        )
    return start, end


class Usage(Resource[H]):
    """The organization's usage cost report: `ClickHouseCloud().usage(start_date, end_date)` (and
    `await AsyncClickHouseCloud().usage(...)`)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    @call
    def __call__(
        self, start_date: dt.date | str, end_date: dt.date | str, *, filters: Sequence[str] | None = None
    ) -> Flow[UsageCost]:
        """The organization's costs per entity and UTC day, from `start_date` to `end_date`, both included.

        Args:
            start_date, end_date: `date`s or `YYYY-MM-DD`; at most 31 days together.
            filters: the spec's `filter` criteria (resource tags), e.g. `["tag:env=prod"]`.

        Raises:
            ValidationError: a malformed day or a range the API refuses; nothing was sent.
        """
        start, end = checked_range(start_date, end_date)
        if isinstance(filters, str):
            filters = [filters]
        if filters is not None and not all(isinstance(f, str) and f for f in filters):
            raise ValidationError(
                f"filters must be texts such as 'tag:env=prod', got {filters!r}", field="filters"
            )
        extra = {"filter_": list(filters)} if filters else {}
        data = yield from self._client._call_flow(
            "billing.usage_cost_get", Expect.OBJECT, from_date=start, to_date=end, **extra
        )
        return read_one(lambda d: UsageCost.from_api(d, start, end), data, what="usage cost", vendor=_VENDOR)
