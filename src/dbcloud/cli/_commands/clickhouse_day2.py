"""`dbcloud clickhouse` day-2 resources: query endpoints, private endpoint configs, backup
configuration, ClickHouse settings and the usage cost report (joined to `CLICKHOUSE`'s resources)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._spec import Resource, Verb, arg, opt

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["DAY2_RESOURCES"]

_SERVICE = arg("SERVICE_ID", "the service's id (a UUID)")
_SETTING = arg("NAME", "the setting's name, e.g. compatibility")


def _region_config(call: Call) -> Any:
    return call.client.organizations.private_endpoint_config(call.get("cloud_provider"), call.get("region"))


def _update_settings(call: Call) -> Any:
    from .._invoke import UsageError

    settings = call.get("settings")
    if not settings:
        raise UsageError(f"{call.command}: give at least one --set NAME=VALUE")
    return call.target.update(call.get("service_id"), dict(settings))


DAY2_RESOURCES = (
    Resource(
        "query-endpoints",
        "a service's query API endpoint (SQL over HTTP with an API key)",
        columns=("id", "roles", "openApiKeys", "allowedOrigins"),
        verbs=(
            Verb("get", "show a service's query endpoint (nothing when it has none)", (_SERVICE,)),
            Verb(
                "upsert",
                "create a service's query endpoint, or replace its whole configuration",
                (
                    _SERVICE,
                    opt(
                        "--role",
                        "a role its queries run with (repeatable)",
                        "list",
                        key="roles",
                        required=True,
                        choices=("sql_console_read_only", "sql_console_admin"),
                    ),
                    opt(
                        "--api-key-id",
                        "an API key that may call it (repeatable)",
                        "list",
                        key="open_api_keys",
                    ),
                    opt("--allowed-origins", "CORS origins, comma-separated domains"),
                ),
                mutates=True,
            ),
            Verb(
                "delete",
                "remove a service's query endpoint (sent once)",
                (_SERVICE,),
                mutates=True,
                done="deleted",
            ),
        ),
    ),
    Resource(
        "private-endpoint-config",
        "what a cloud account needs to reach a service privately",
        attr="services",
        columns=("endpointServiceId", "privateDnsHostname"),
        verbs=(
            Verb(
                "get",
                "show a service's private endpoint config",
                (_SERVICE,),
                method="private_endpoint_config",
            ),
            Verb(
                "region",
                "show the organization's endpoint service in a region (deprecated by the vendor)",
                (
                    opt("--cloud-provider", "cloud provider", required=True, choices=("aws", "gcp", "azure")),
                    opt("--region", "e.g. us-east-1", required=True),
                ),
                run=_region_config,
            ),
        ),
    ),
    Resource(
        "backup-config",
        "a service's backup schedule and retention",
        attr="backup_configuration",
        columns=("backupPeriodInHours", "backupRetentionPeriodInHours", "backupStartTime"),
        verbs=(
            Verb("get", "show a service's backup configuration", (_SERVICE,)),
            Verb(
                "update",
                "change a service's backup schedule or retention",
                (
                    _SERVICE,
                    opt(
                        "--backup-period-hours",
                        "hours between backups: 6, 8, 12, 16, 20, 24, 36 or 48",
                        "int",
                    ),
                    opt(
                        "--backup-retention-period-hours",
                        "hours to keep a backup: whole days, 24 to 1080",
                        "int",
                    ),
                    opt(
                        "--backup-start-time",
                        "a daily backup at this whole hour, HH:00 UTC (not with a period)",
                    ),
                ),
                mutates=True,
            ),
        ),
    ),
    Resource(
        "clickhouse-settings",
        "a service's ClickHouse settings (a beta API of the vendor's)",
        columns=("name", "value"),
        verbs=(
            Verb("list", "list the settings set on a service", (_SERVICE,)),
            Verb(
                "schema",
                "list the settings a service lets you configure",
                (_SERVICE,),
                columns=("name", "type", "example", "warning"),
            ),
            Verb("get", "show one setting", (_SERVICE, _SETTING)),
            Verb(
                "update",
                "set settings",
                (_SERVICE, opt("--set", "a setting NAME=VALUE (repeatable)", "kv", key="settings", to="cli")),
                run=_update_settings,
                mutates=True,
            ),
            Verb(
                "reset",
                "reset a setting to the platform default",
                (_SERVICE, _SETTING),
                mutates=True,
                done="reset",
            ),
        ),
    ),
    Resource(
        "usage",
        "the organization's usage cost report, per entity and UTC day",
        columns=("grandTotalCHC",),
        verbs=(
            Verb(
                "get",
                "show the costs from one day to another (both included, at most 31 days)",
                (
                    opt("--from", "the first day, YYYY-MM-DD (UTC)", key="start_date", required=True),
                    opt("--to", "the last day, YYYY-MM-DD (UTC)", key="end_date", required=True),
                    opt("--filter", "e.g. tag:env=prod (repeatable)", "list", key="filters"),
                ),
                method="__call__",
            ),
        ),
    ),
)
