"""A service's backup configuration: how often backups run, when, and how long they are kept.

The checks before sending are the vendor's Terraform provider's (the `backup_configuration`
attribute of internal/service/clickhouse/resource/service.go) where it is stricter than the spec,
and the spec's where the spec is newer:

- the period is one of 6, 8, 12, 16, 20, 24, 36 or 48 hours (the provider's list; the spec says
  only "a number");
- the retention is a whole number of days from 1 to 45, in hours (the spec: "a multiple of 24
  between 24 and 1080"; the provider's older list stops at 720);
- the start time is a whole hour, "HH:00" in UTC (the provider's pattern; it opens a two-hour
  window, and the spec's "HH:MM" adds nothing the provider accepts);
- a period and a start time exclude each other (the provider's ConflictsWith): with a start time
  the backups run once a day.

Only the fields given are sent, as ClickHouse/clickhousectl sends them: the spec reads a field sent
as `null` as "reset to the default", which `update` never does by accident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Resource, call
from .._response import Expect
from .._results import as_int, generated_model, read_one, text
from ._body import require_some
from ._client import uuid_text

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.backup_configuration import (
        BackupConfiguration as BackupConfigurationModel,
    )

    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"
_MODELS = "dbcloud_clickhouse_client.models"

__all__ = ["BACKUP_PERIODS", "BackupConfiguration", "BackupConfigurations"]

BACKUP_PERIODS = (6, 8, 12, 16, 20, 24, 36, 48)
_RETENTION_DAYS = range(1, 46)
_START = re.compile(r"^(?:[01]?[0-9]|2[0-3]):00$")


@dataclass(frozen=True, slots=True)
class BackupConfiguration:
    """A service's backup configuration.

    Attributes:
        id: the service it belongs to (the one the call named).
        backup_period_hours: hours between backups.
        backup_retention_period_hours: hours a backup is kept (a whole number of days).
        backup_start_time: "HH:MM" (UTC) when the daily backup starts, when one is set.
        raw: the JSON object as received.
    """

    id: str
    backup_period_hours: int | None = None
    backup_retention_period_hours: int | None = None
    backup_start_time: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], service_id: str = "") -> BackupConfiguration:
        return cls(
            id=service_id,
            backup_period_hours=as_int(data.get("backupPeriodInHours")),
            backup_retention_period_hours=as_int(data.get("backupRetentionPeriodInHours")),
            backup_start_time=text(data.get("backupStartTime")),
            raw=data,
        )

    model: ClassVar[generated_model[BackupConfigurationModel]] = generated_model(
        "dbcloud_clickhouse_client.models.backup_configuration:BackupConfiguration"
    )


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise ValidationError(f"{name} must be a whole number of hours, got {value!r}", field=name)
    return int(value)


def checked_changes(
    backup_period_hours: Any, backup_retention_period_hours: Any, backup_start_time: Any
) -> dict[str, Any]:
    """The body of a backup configuration update, in the API's names, checked as the module says.

    Raises:
        ValidationError: nothing to change, or a value the vendor refuses.
    """
    given = {
        "backup_period_hours": backup_period_hours,
        "backup_retention_period_hours": backup_retention_period_hours,
        "backup_start_time": backup_start_time,
    }
    require_some(given, what="backup configuration update")
    wire: dict[str, Any] = {}
    if backup_period_hours is not None:
        period = _whole(backup_period_hours, "backup_period_hours")
        if period not in BACKUP_PERIODS:
            raise ValidationError(
                f"backup_period_hours must be one of {', '.join(map(str, BACKUP_PERIODS))}, got {period}",
                field="backup_period_hours",
            )
        wire["backupPeriodInHours"] = period
    if backup_retention_period_hours is not None:
        hours = _whole(backup_retention_period_hours, "backup_retention_period_hours")
        if hours % 24 or hours // 24 not in _RETENTION_DAYS:
            raise ValidationError(
                f"backup_retention_period_hours must be a whole number of days from 24 to 1080 hours "
                f"(1 to 45 days), got {hours}",
                field="backup_retention_period_hours",
            )
        wire["backupRetentionPeriodInHours"] = hours
    if backup_start_time is not None:
        if not isinstance(backup_start_time, str) or not _START.match(backup_start_time):
            raise ValidationError(
                f"backup_start_time must be a whole hour in UTC, 'HH:00', got {backup_start_time!r}",
                field="backup_start_time",
            )
        if backup_period_hours is not None:
            raise ValidationError(
                "give backup_period_hours or backup_start_time, not both: with a start time backups "
                "run once a day",
                field="backup_start_time",
            )
        wire["backupStartTime"] = backup_start_time.zfill(5)
    return wire


class BackupConfigurations(Resource[H]):
    """Backup schedules and retention, per service. Reached as `ClickHouseCloud().backup_configuration`
    (and `AsyncClickHouseCloud().backup_configuration`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    @call
    def get(self, service_id: str) -> Flow[BackupConfiguration]:
        """A service's backup configuration.

        Raises:
            ValidationError: the id is not a UUID; nothing was sent.
            NotFoundError: no such service.
        """
        sid = uuid_text(service_id, "service_id")
        data = yield from self._client._call_flow(
            "backup.backup_configuration_get", Expect.OBJECT, service_id=sid
        )
        return read_one(
            lambda d: BackupConfiguration.from_api(d, sid), data, what="backup configuration", vendor=_VENDOR
        )

    @call
    def update(
        self,
        service_id: str,
        *,
        backup_period_hours: int | None = None,
        backup_retention_period_hours: int | None = None,
        backup_start_time: str | None = None,
    ) -> Flow[BackupConfiguration]:
        """Change a service's backup schedule or retention (the API needs an admin key).

        Only the fields given are sent; the others keep their values.

        Args:
            backup_period_hours: hours between backups: 6, 8, 12, 16, 20, 24, 36 or 48.
            backup_retention_period_hours: hours to keep each backup, a whole number of days from
                24 to 1080 (45 days).
            backup_start_time: the whole hour "HH:00" (UTC) when a daily backup starts; not with
                `backup_period_hours`.

        Raises:
            ValidationError: nothing to change, or a value the vendor refuses; nothing was sent.
        """
        from dbcloud_clickhouse_client.models.backup_configuration_patch_request import (
            BackupConfigurationPatchRequest,
        )

        sid = uuid_text(service_id, "service_id")
        wire = checked_changes(backup_period_hours, backup_retention_period_hours, backup_start_time)
        data = yield from self._client._call_flow(
            "backup.backup_configuration_update",
            Expect.OBJECT,
            wire,
            service_id=sid,
            body=BackupConfigurationPatchRequest.from_dict(wire),
        )
        return read_one(
            lambda d: BackupConfiguration.from_api(d, sid), data, what="backup configuration", vendor=_VENDOR
        )
