"""Emulated ClickHouse Cloud day-2 operations: query API endpoints, private endpoint configs, backup
configurations, ClickHouse settings and the usage cost report.

State lives per service in `Day2State`, beside the services of `EmulatedClickHouse`; every handler
first finds the service (404 for one that does not exist, as the other service calls). The rules
are the vendor's, as its spec and Terraform provider state them:

- a query endpoint is one per service: POST replaces it (roles from the spec's enum, API keys of
  the organization), GET and DELETE answer 404 while there is none;
- the backup configuration starts at the vendor's defaults (a backup every 24 hours, kept 24
  hours); a period of 6 to 48 hours from the provider's list, a retention of whole days up to 45,
  a start time on the hour (which resets the period to 24); a field sent as `null` resets it to its
  default (the spec's rule);
- ClickHouse settings come as a JSON object in text (the spec's `settings` string); values are
  kept as text, as the spec's list answers them; only the settings of the schema call's answer
  (`SETTINGS_SCHEMA`) are configurable;
- the usage report covers at most 31 UTC days, with a compute record per service and a storage and
  backup record per warehouse for each day the service existed up to today, in deterministic
  amounts; days more than two days back are locked.

Assumption (the spec does not say): reading a setting never set answers 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._api import ApiError
from .._http import EmuRequest
from ._wire import _tagged

if TYPE_CHECKING:
    from ._service import EmulatedClickHouse
    from ._state import _Service

__all__ = ["DEFAULT_BACKUP_CONFIGURATION", "SETTINGS_SCHEMA", "Day2State", "install"]

DEFAULT_BACKUP_CONFIGURATION: dict[str, Any] = {"backupPeriodInHours": 24, "backupRetentionPeriodInHours": 24}
_PERIODS = (6, 8, 12, 16, 20, 24, 36, 48)
_START = re.compile(r"^(?:[01]?[0-9]|2[0-3]):00$")
_SETTING = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,199}$")
_REGIONS = {
    "aws": re.compile(r"^[a-z]{2}-[a-z]+-\d$"),  # us-east-1
    "gcp": re.compile(r"^[a-z]+-[a-z]+\d$"),  # us-east1
    "azure": re.compile(r"^[a-z]+\d?$"),  # eastus2
}
_ROLES = ("sql_console_read_only", "sql_console_admin")
_DISRUPTIVE = {
    "compatibility": "Changing the compatibility version without comprehensive testing can cause query "
    "failures or instability."
}
# The settings a service lets you configure (the schema call's answer); others are refused.
SETTINGS_SCHEMA: tuple[dict[str, Any], ...] = (
    {
        "name": "compatibility",
        "type": "string",
        "description": "Behave as this earlier ClickHouse version does.",
        "warning": _DISRUPTIVE["compatibility"],
        "example": "24.8",
    },
    {"name": "max_threads", "type": "uint64", "description": "Threads a query may use.", "example": "8"},
    {
        "name": "allow_experimental_analyzer",
        "type": "bool",
        "description": "Use the new query analyzer.",
        "enum": [0, 1],
        "example": "1",
    },
    {
        "name": "keep_alive_timeout",
        "type": "seconds",
        "description": "Seconds an idle HTTP connection is kept; changing it restarts the servers.",
        "example": "30",
    },
)
_CONFIGURABLE = frozenset(entry["name"] for entry in SETTINGS_SCHEMA)
MAX_DAYS = 31


@dataclass
class Day2State:
    """The day-2 state of each service, by service id."""

    query_endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    backup_configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, dict[str, str]] = field(default_factory=dict)


def _digest(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def _endpoint_service(provider: str, region: str, seed: str) -> str:
    # Shaped as each cloud names the service a private endpoint connects to.
    tail = _digest(provider, region, seed)
    if provider == "aws":
        return f"com.amazonaws.vpce.{region}.vpce-svc-{tail[:17]}"
    if provider == "gcp":
        return f"projects/ch-{tail[:8]}/regions/{region}/serviceAttachments/clickhouse-cloud-{region}"
    return f"clickhouse-cloud-{region}-pls.{tail[:8]}-{tail[8:12]}.{region}.azure.privatelinkservice"


class _Handlers:
    def __init__(self, emu: EmulatedClickHouse) -> None:
        self.emu = emu
        self.state = Day2State()
        # Their own id stream: a query endpoint made does not shift the ids of what is made next.
        self.ids = emu.ids.child("day2")

    def register(self) -> None:
        self.emu.handlers.update(
            {
                "service.instance_query_endpoint_get": self.get_endpoint,
                "service.instance_query_endpoint_upsert": self.upsert_endpoint,
                "service.instance_query_endpoint_delete": self.delete_endpoint,
                "service.instance_private_endpoint_config_get": self.service_private_config,
                "organization.organization_private_endpoint_config_get_list": self.region_private_config,
                "backup.backup_configuration_get": self.get_backup_configuration,
                "backup.backup_configuration_update": self.update_backup_configuration,
                "service.service_clickhouse_settings_list_get": self.list_settings,
                "service.service_clickhouse_settings_update": self.update_settings,
                "service.service_clickhouse_setting_get": self.get_setting,
                "service.service_clickhouse_setting_delete": self.reset_setting,
                "service.service_clickhouse_settings_schema_get": self.settings_schema,
                "billing.usage_cost_get": self.usage_cost,
            }
        )

    def _service(self, request: EmuRequest) -> _Service:
        return self.emu._service(request)

    # --- query API endpoints -----------------------------------------------------------------

    def get_endpoint(self, request: EmuRequest, body: Any) -> Any:
        service = self._service(request)
        found = self.state.query_endpoints.get(service.id)
        if found is None:
            raise ApiError(404, "Service query endpoint not found")
        return found

    def upsert_endpoint(self, request: EmuRequest, body: Any) -> Any:
        service = self.emu._changeable(request)
        given = dict(body or {})
        roles = given.get("roles") or []
        if not roles or any(role not in _ROLES for role in roles):
            raise ApiError(400, f"roles must be one or more of {', '.join(_ROLES)}")
        keys = [str(k).lower() for k in given.get("openApiKeys") or []]
        unknown = [k for k in keys if k not in self.emu.keys]
        if unknown:
            raise ApiError(400, f"unknown API key id(s): {', '.join(unknown)}")
        previous = self.state.query_endpoints.get(service.id)
        endpoint = {
            "id": previous["id"] if previous else self.ids.uuid4(),
            "roles": list(dict.fromkeys(roles)),
            "openApiKeys": list(dict.fromkeys(keys)),
            "allowedOrigins": str(given.get("allowedOrigins") or ""),
        }
        self.state.query_endpoints[service.id] = endpoint
        return endpoint

    def delete_endpoint(self, request: EmuRequest, body: Any) -> Any:
        service = self._service(request)
        if self.state.query_endpoints.pop(service.id, None) is None:
            raise ApiError(404, "Service query endpoint not found")
        return None

    # --- private endpoint configs ------------------------------------------------------------

    def service_private_config(self, request: EmuRequest, body: Any) -> Any:
        service = self._service(request)
        provider, region = service.fields["provider"], service.fields["region"]
        return {
            "endpointServiceId": _endpoint_service(provider, region, "regional"),
            "privateDnsHostname": f"{service.id[:10]}.{region}.vpce.{provider}.clickhouse.cloud",
        }

    def region_private_config(self, request: EmuRequest, body: Any) -> Any:
        self.emu._check_org(request)
        provider, region = request.query.get("cloud_provider", ""), request.query.get("region_id", "")
        pattern = _REGIONS.get(provider)
        if pattern is None:
            raise ApiError(400, "cloud_provider must be one of aws, gcp, azure")
        if not pattern.match(region):
            raise ApiError(400, f"unknown {provider} region {region!r}")
        return {"endpointServiceId": _endpoint_service(provider, region, "regional")}

    # --- backup configuration ----------------------------------------------------------------

    def _backup_configuration(self, service: _Service) -> dict[str, Any]:
        return self.state.backup_configurations.setdefault(service.id, dict(DEFAULT_BACKUP_CONFIGURATION))

    def get_backup_configuration(self, request: EmuRequest, body: Any) -> Any:
        return dict(self._backup_configuration(self._service(request)))

    def update_backup_configuration(self, request: EmuRequest, body: Any) -> Any:
        service = self.emu._changeable(request)
        given = dict(body or {})
        config = dict(self._backup_configuration(service))
        period, retention, start = (
            given.get(k, ...)
            for k in ("backupPeriodInHours", "backupRetentionPeriodInHours", "backupStartTime")
        )
        if period not in (..., None) and start not in (..., None):
            raise ApiError(400, "backupPeriodInHours and backupStartTime cannot both be set")
        if period is None:
            config["backupPeriodInHours"] = DEFAULT_BACKUP_CONFIGURATION["backupPeriodInHours"]
        elif period is not ...:
            if period not in _PERIODS:
                raise ApiError(400, f"backupPeriodInHours must be one of {', '.join(map(str, _PERIODS))}")
            config["backupPeriodInHours"] = int(period)
            config.pop("backupStartTime", None)
        if retention is None:
            config["backupRetentionPeriodInHours"] = DEFAULT_BACKUP_CONFIGURATION[
                "backupRetentionPeriodInHours"
            ]
        elif retention is not ...:
            if retention != int(retention) or int(retention) % 24 or not 24 <= retention <= 1080:
                raise ApiError(400, "backupRetentionPeriodInHours must be a multiple of 24 from 24 to 1080")
            config["backupRetentionPeriodInHours"] = int(retention)
        if start is None:
            config.pop("backupStartTime", None)
        elif start is not ...:
            if not isinstance(start, str) or not _START.match(start):
                raise ApiError(400, "backupStartTime must be a whole hour, HH:00 (UTC)")
            config["backupStartTime"] = start.zfill(5)
            config["backupPeriodInHours"] = 24  # the spec: a start time resets the period to 24 hours
        self.state.backup_configurations[service.id] = config
        self.emu._record("service_update_backup_configuration", request, serviceId=service.id)
        return dict(config)

    # --- ClickHouse settings -----------------------------------------------------------------

    def list_settings(self, request: EmuRequest, body: Any) -> Any:
        service = self._service(request)
        chosen = self.state.settings.get(service.id, {})
        return {"settings": [{"name": name, "value": value} for name, value in sorted(chosen.items())]}

    def update_settings(self, request: EmuRequest, body: Any) -> Any:
        service = self.emu._changeable(request)
        try:
            wanted = json.loads((body or {}).get("settings") or "")
        except (TypeError, ValueError):
            raise ApiError(400, "settings must be a JSON object, as text") from None
        if not isinstance(wanted, dict) or not wanted:
            raise ApiError(400, "settings must be a non-empty JSON object, as text")
        applied: dict[str, str] = {}
        for name, value in wanted.items():
            if not _SETTING.match(name) or name not in _CONFIGURABLE:
                raise ApiError(400, f"{name!r} is not a configurable setting (see the schema)")
            if isinstance(value, bool):
                applied[name] = "true" if value else "false"
            elif isinstance(value, str | int | float):
                applied[name] = str(value)
            else:
                raise ApiError(400, f"the value of {name!r} must be text, a number or a boolean")
        self.state.settings.setdefault(service.id, {}).update(applied)
        warnings = [{"name": n, "message": _DISRUPTIVE[n]} for n in applied if n in _DISRUPTIVE]
        return {"settings": json.dumps(applied), "warnings": warnings}

    def settings_schema(self, request: EmuRequest, body: Any) -> Any:
        self._service(request)
        return {"settings": [dict(entry) for entry in SETTINGS_SCHEMA]}

    def get_setting(self, request: EmuRequest, body: Any) -> Any:
        service = self._service(request)
        name = request.params["setting_name"]
        value = self.state.settings.get(service.id, {}).get(name)
        if value is None:
            raise ApiError(404, f"Setting {name!r} is not configured")
        return {"name": name, "value": value}

    def reset_setting(self, request: EmuRequest, body: Any) -> Any:
        service = self.emu._changeable(request)
        self.state.settings.get(service.id, {}).pop(request.params["setting_name"], None)
        return None

    # --- usage cost --------------------------------------------------------------------------

    def usage_cost(self, request: EmuRequest, body: Any) -> Any:
        self.emu._check_org(request)
        query = request.query
        try:
            start = dt.date.fromisoformat(query.get("from_date", ""))
            end = dt.date.fromisoformat(query.get("to_date", ""))
        except ValueError:
            raise ApiError(400, "from_date and to_date must be dates, YYYY-MM-DD") from None
        if end < start:
            raise ApiError(400, "to_date must not be before from_date")
        if (end - start).days + 1 > MAX_DAYS:
            raise ApiError(400, "to_date cannot be more than 30 days after from_date")
        tags = [f[4:] for f in request.query_lists.get("filter", []) if f.startswith("tag:")]
        today = dt.datetime.fromtimestamp(self.emu._wall(), dt.UTC).date()
        costs: list[dict[str, Any]] = []
        day = start
        while day <= min(end, today):
            for service in sorted(self.emu.services.values(), key=lambda s: s.id):
                if service.id not in self.emu.services:
                    continue
                born = dt.date.fromisoformat(str(service.fields["createdAt"])[:10])
                if born > day or not all(_tagged(service, tag) for tag in tags):
                    continue
                costs.extend(self._day_of(service, day, locked=day < today - dt.timedelta(days=2)))
            day += dt.timedelta(days=1)
        total = round(sum(c["totalCHC"] for c in costs), 4)
        return {"grandTotalCHC": total, "costs": costs}

    def _day_of(self, service: _Service, day: dt.date, *, locked: bool) -> list[dict[str, Any]]:
        fields = service.fields
        spread = int(_digest(service.id, day.isoformat())[:4], 16) / 0xFFFF  # 0..1, the same each time
        compute = round(
            float(fields["numReplicas"]) * float(fields["minReplicaMemoryGb"]) * (0.05 + 0.02 * spread), 4
        )
        transfer = round(0.01 + 0.05 * spread, 4)
        records = [
            {
                "dataWarehouseId": fields["dataWarehouseId"],
                "serviceId": service.id,
                "date": day.isoformat(),
                "entityType": "service",
                "entityId": service.id,
                "entityName": fields["name"],
                "metrics": {"computeCHC": compute, "publicDataTransferCHC": transfer},
                "totalCHC": round(compute + transfer, 4),
                "locked": locked,
            }
        ]
        if fields.get("isPrimary"):
            storage, backup = round(0.2 + 0.1 * spread, 4), round(0.05 + 0.02 * spread, 4)
            records.append(
                {
                    "dataWarehouseId": fields["dataWarehouseId"],
                    "serviceId": None,
                    "date": day.isoformat(),
                    "entityType": "datawarehouse",
                    "entityId": fields["dataWarehouseId"],
                    "entityName": f"{fields['name']} warehouse",
                    "metrics": {"storageCHC": storage, "backupCHC": backup},
                    "totalCHC": round(storage + backup, 4),
                    "locked": locked,
                }
            )
        return records


def install(emu: EmulatedClickHouse) -> Day2State:
    """Register the day-2 handlers on `emu`; their state, to inspect."""
    handlers = _Handlers(emu)
    handlers.register()
    return handlers.state
