"""`dbcloud cockroach`: CockroachDB Cloud clusters (`dbcloud.CockroachCloud`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._spec import Api, Resource, Setting, Verb, arg, by_name, opt, password_options

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["COCKROACH"]

_CLUSTER = arg("CLUSTER_ID", "the cluster's id (not its routing id)")
_PROVIDERS = ("GCP", "AWS", "AZURE")
_LIMITS = (
    opt("--request-unit-limit", "request units per month", "int", to="cli"),
    opt("--storage-mib-limit", "storage cap in MiB", "int", to="cli"),
    opt("--provisioned-virtual-cpus", "vCPUs of a Standard cluster", "int", to="cli"),
)


def _what(cluster_id: Any) -> str:
    return f"CockroachDB cluster {cluster_id}"


def _limits(call: Call) -> dict[str, int] | None:
    limits = {
        name: call.get(name)
        for name in ("request_unit_limit", "storage_mib_limit", "provisioned_virtual_cpus")
        if call.get(name) is not None
    }
    return limits or None


def _until_ready(call: Call, cluster: Any) -> Any:
    cid = cluster.id
    return call.wait(
        _what(cid), lambda p: call.target.wait_until_ready(cid, on_progress=p, **call.wait_args())
    )


def _until_deleted(call: Call, _: Any) -> None:
    cid = call.get("cluster_id")
    call.wait(_what(cid), lambda p: call.target.wait_until_deleted(cid, on_progress=p, **call.wait_args()))


def _wait(call: Call) -> Any:
    if call.get("until") == "deleted":
        return _until_deleted(call, None)
    cid = call.get("cluster_id")
    return call.wait(
        _what(cid), lambda p: call.target.wait_until_ready(cid, on_progress=p, **call.wait_args())
    )


def _create(call: Call) -> Any:
    # The file is the API's own request body: {"name", "provider", "spec": {"serverless": {...}}, ...}.
    _, fields = call.values()
    spec = fields.pop("spec", None) or {}
    plans = {plan: spec[plan] for plan in ("serverless", "dedicated", "standard") if plan in spec}
    return call.invoke(call.target.create, fields.pop("name"), fields.pop("provider"), **plans, **fields)


def _create_serverless(call: Call) -> Any:
    _, fields = call.values()
    return call.target.create_serverless(
        fields["name"],
        fields.get("provider") or "GCP",
        fields.get("regions") or ["us-central1"],
        _limits(call),
        primary_region=fields.get("primary_region"),
    )


def _sql_password(call: Call) -> str:
    from .._invoke import SQL_PASSWORD_ENV

    return call.password(
        call.get("password"), env=SQL_PASSWORD_ENV, file_key="password_file", what="the SQL user's password"
    )


def _create_sql_user(call: Call) -> Any:
    return call.target.create(call.get("cluster_id"), call.get("name"), _sql_password(call))


def _change_sql_password(call: Call) -> Any:
    return call.target.change_password(call.get("cluster_id"), call.get("name"), _sql_password(call))


_SQL_USER = arg("NAME", "the SQL user's name")
_PASSWORD = password_options()


def _create_api_key(call: Call) -> Any:
    # The secret is shown once: written to a new file (mode 600) only, never printed.
    with call.secret_file(call.get("secret_file"), "the new API key's secret") as write:
        key = call.target.create(call.get("name"), call.get("service_account_id"))
        if key.secret is not None:
            write(key.secret.reveal())
    return key


_FOLDER = arg("FOLDER_ID", "the folder's id")
_ACCOUNT = arg("ACCOUNT_ID", "the service account's id")
_KEY = arg("KEY_ID", "the API key's id (CCDB1_...)")
_LABELS = opt("--label", "a label KEY=VALUE; the labels given replace all (repeatable)", "kv", key="labels")


def _connection(found: Any) -> dict[str, Any]:
    # Printed under `url`: a key named `connection_string` is masked as a secret by the one rule
    # (such strings usually embed a password), but this one never does: the API sends none and
    # the facade's record drops any that an answer would hold.
    return {
        "url": found.connection_string,
        "host": found.host,
        "port": found.port,
        "database": found.database,
        "username": found.username,
    }


def _update(call: Call) -> Any:
    positional, fields = call.values()
    if (limits := _limits(call)) is not None:
        fields["usage_limits"] = limits
    return call.invoke(call.target.update, *positional, **fields)


# --- backups, restores and backup settings ---

_RESTORE = arg("RESTORE_ID", "the restore's id")
_WINDOW = (
    opt("--start-time", "only those from this time on (ISO 8601; UTC without a zone)", "time"),
    opt("--end-time", "only those up to this time (ISO 8601; UTC without a zone)", "time"),
    opt("--sort-order", "by time", choices=("ASC", "DESC")),
)


def _restore_what(restore_id: Any) -> str:
    return f"CockroachDB restore {restore_id}"


def _until_restored(call: Call, restore: Any) -> Any:
    cid, rid = call.get("cluster_id"), restore.id
    return call.wait(
        _restore_what(rid),
        lambda p: call.target.wait_until_done(cid, rid, on_progress=p, **call.wait_args()),
    )


def _wait_restore(call: Call) -> Any:
    cid, rid = call.get("cluster_id"), call.get("restore_id")
    return call.wait(
        _restore_what(rid),
        lambda p: call.target.wait_until_done(cid, rid, on_progress=p, **call.wait_args()),
    )


_BACKUP_RESOURCES = (
    Resource(
        "backups",
        "managed backups of a cluster",
        columns=("id", "as_of_time"),
        verbs=(Verb("list", "list a cluster's backups (every page)", (_CLUSTER, *_WINDOW)),),
    ),
    Resource(
        "restores",
        "restore jobs into a cluster (a restore changes data: sent once)",
        columns=("id", "type", "status", "completion_percent", "backup_id", "created_at"),
        verbs=(
            Verb("list", "list a cluster's restores (every page)", (_CLUSTER, *_WINDOW)),
            Verb("get", "show a restore", (_CLUSTER, _RESTORE)),
            Verb(
                "create",
                "restore a backup into a cluster (sent once; more fields with --file)",
                (
                    _CLUSTER,
                    opt(
                        "--type", "what is restored", required=True, choices=("CLUSTER", "DATABASE", "TABLE")
                    ),
                    opt("--backup-id", "the backup (default: the source's latest)"),
                    opt("--source-cluster-id", "the cluster whose backup is restored"),
                    opt(
                        "--objects",
                        'JSON list (or @file): [{"database": "tpcc", "schema": "public", "table": "t"}]',
                        "json",
                    ),
                    opt(
                        "--restore-opts",
                        'JSON object (or @file): {"into_db": "...", "schema_only": true}',
                        "json",
                    ),
                ),
                mutates=True,
                wait=_until_restored,
                file=True,
            ),
            Verb(
                "wait",
                "wait until a restore has succeeded (fails if it fails)",
                (_CLUSTER, _RESTORE),
                run=_wait_restore,
                always_waits=True,
            ),
        ),
    ),
    Resource(
        "backup-config",
        "a cluster's backup settings",
        attr="backup_configuration",
        columns=("enabled", "frequency_minutes", "retention_days"),
        verbs=(
            Verb("get", "show a cluster's backup settings", (_CLUSTER,)),
            Verb(
                "update",
                "change a cluster's backup settings (only those given)",
                (
                    _CLUSTER,
                    opt("--enabled", "take backups", "bool"),
                    opt("--frequency-minutes", "5, 10, 15, 30, 60, 240 or 1440", "int"),
                    opt("--retention-days", "2, 7, 30, 90 or 365 (settable once)", "int"),
                ),
                mutates=True,
            ),
        ),
    ),
)


# --- log export and metric export ---


def _export_what(call: Call, kind: str) -> str:
    return f"{kind} of CockroachDB cluster {call.get('cluster_id')}"


def _until_enabled(label: str, kind: str = "") -> Callable[[Call, Any], Any]:
    def wait(call: Call, _: Any) -> Any:
        cid = call.get("cluster_id")
        target = getattr(call.target, kind) if kind else call.target
        return call.wait(
            _export_what(call, label),
            lambda p: target.wait_until_enabled(cid, on_progress=p, **call.wait_args()),
        )

    return wait


def _enable_log_export(call: Call) -> Any:
    from .._invoke import AZURE_SHARED_KEY_ENV

    positional, fields = call.values()
    fields.pop("azure_shared_key_file", None)
    if str(fields.get("type") or "").upper() == "AZURE_LOG_ANALYTICS":
        fields["azure_shared_key"] = call.password(
            None, env=AZURE_SHARED_KEY_ENV, file_key="azure_shared_key_file", what="the Azure shared key"
        )
    return call.invoke(call.target.enable, *positional, **fields)


def _enable_datadog(call: Call) -> Any:
    from .._invoke import DATADOG_API_KEY_ENV

    key = call.password(None, env=DATADOG_API_KEY_ENV, file_key="api_key_file", what="the Datadog API key")
    return call.target.datadog.enable(call.get("cluster_id"), site=call.get("site"), api_key=key)


def _metric_export(kind: str, label: str, enable: tuple[Any, ...], run: Any = None) -> Resource:
    return Resource(
        f"metric-export-{kind}",
        f"a cluster's metric export to {label}",
        attr="metric_export",
        columns=("cluster_id", "status", "user_message"),
        verbs=(
            Verb(
                "get", f"show the cluster's {label} metric export", (_CLUSTER,), run=_export_verb(kind, "get")
            ),
            Verb(
                "enable",
                f"create or replace the {label} metric export (--wait: until ENABLED)",
                (_CLUSTER, *enable),
                run=run or _export_verb(kind, "enable"),
                mutates=True,
                wait=_until_enabled(f"{label} metric export", kind),
            ),
            Verb(
                "disable",
                f"remove the {label} metric export",
                (_CLUSTER,),
                run=_export_verb(kind, "disable"),
                mutates=True,
            ),
            Verb(
                "wait",
                f"wait until the {label} metric export is ENABLED",
                (_CLUSTER,),
                run=_export_verb(kind, "wait_until_enabled", waits=f"{label} metric export"),
                always_waits=True,
            ),
        ),
    )


def _export_verb(kind: str, method: str, *, waits: str = "") -> Callable[[Call], Any]:
    # The metric exports are `client.metric_export.<kind>`: each verb reaches its kind's resource.
    def run(call: Call) -> Any:
        target = getattr(call.target, kind)
        if waits:
            cid = call.get("cluster_id")
            return call.wait(
                _export_what(call, waits),
                lambda p: target.wait_until_enabled(cid, on_progress=p, **call.wait_args()),
            )
        positional, fields = call.values()
        return call.invoke(getattr(target, method), *positional, **fields)

    return run


_EXPORT_RESOURCES = (
    Resource(
        "log-export",
        "a cluster's log export (to CloudWatch, Cloud Logging or Log Analytics)",
        columns=("cluster_id", "status", "spec.type", "spec.log_name", "user_message"),
        verbs=(
            Verb("get", "show the cluster's log export", (_CLUSTER,)),
            Verb(
                "enable",
                "create or replace the log export (more fields with --file; --wait: until ENABLED)",
                (
                    _CLUSTER,
                    opt(
                        "--type",
                        "the sink: the cluster's cloud's",
                        required=True,
                        choices=("AWS_CLOUDWATCH", "GCP_CLOUD_LOGGING", "AZURE_LOG_ANALYTICS"),
                    ),
                    opt("--log-name", "the logs' name in the sink", required=True),
                    opt("--auth-principal", "role ARN, GCP project id or workspace id", required=True),
                    opt(
                        "--groups",
                        'JSON list (or @file): [{"log_name": "ops", "channels": ["OPS"]}]',
                        "json",
                    ),
                    opt(
                        "--omitted-channel",
                        "a channel not exported (repeatable)",
                        "list",
                        key="omitted_channels",
                    ),
                    opt("--redact", "redact logs by default", "bool"),
                    opt("--region", "send every log to this region"),
                    opt("--aws-external-id", "external id for assuming the role (Advanced, AWS)"),
                    opt(
                        "--azure-shared-key-file",
                        "read the Azure shared key from FILE (- for stdin; or $DBCLOUD_AZURE_SHARED_KEY)",
                        to="cli",
                        metavar="FILE",
                    ),
                ),
                run=_enable_log_export,
                mutates=True,
                wait=_until_enabled("log export"),
                file=True,
            ),
            Verb("disable", "remove the cluster's log export", (_CLUSTER,), mutates=True),
            Verb(
                "wait",
                "wait until the log export is ENABLED",
                (_CLUSTER,),
                run=lambda call: _until_enabled("log export")(call, None),
                always_waits=True,
            ),
        ),
    ),
    _metric_export(
        "datadog",
        "Datadog",
        (
            opt("--site", "the Datadog site", required=True, choices=("US1", "US3", "US5", "US1_GOV", "EU1")),
            opt(
                "--api-key-file",
                "read the Datadog API key from FILE (- for stdin; or $DBCLOUD_DATADOG_API_KEY)",
                to="cli",
                metavar="FILE",
            ),
        ),
        run=_enable_datadog,
    ),
    _metric_export(
        "cloudwatch",
        "CloudWatch",
        (
            opt("--role-arn", "the IAM role the cluster assumes", required=True),
            opt("--target-region", "the AWS region to export to"),
            opt("--log-group-name", "the log group's name"),
            opt("--external-id", "external id for assuming the role (Advanced)"),
        ),
    ),
    _metric_export("prometheus", "Prometheus", ()),
)


# --- the databases of a cluster ---


def _delete_database(call: Call) -> Any:
    # Dropping a database destroys its tables: asked for in so many words (--force), except in a
    # dry run, which sends nothing.
    from .._invoke import UsageError

    if not call.get("force") and not call.dry_run:
        raise UsageError(
            f"{call.command}: this drops the database and all its tables; give --force to go ahead"
        )
    return call.target.delete(call.get("cluster_id"), call.get("name"))


_DATABASE = arg("NAME", "the database's name")
_DATABASES = Resource(
    "databases",
    "databases of a cluster",
    columns=("name", "table_count"),
    verbs=(
        Verb(
            "list",
            "list a cluster's databases",
            (_CLUSTER, opt("--sort-order", "by name", choices=("ASC", "DESC"))),
        ),
        Verb("create", "create a database", (_CLUSTER, _DATABASE), mutates=True),
        Verb(
            "rename",
            "rename a database",
            (_CLUSTER, _DATABASE, arg("NEW_NAME", "its new name")),
            mutates=True,
        ),
        Verb(
            "delete",
            "drop a database and its tables (needs --force; sent once: never repeated after an error)",
            (_CLUSTER, _DATABASE, opt("--force", "yes, drop it", "flag", to="cli")),
            run=_delete_database,
            mutates=True,
            done="deleted",
        ),
    ),
)


# --- the IP allowlist of a cluster ---


def _cidr(call: Call) -> tuple[str, int]:
    from ...cockroach._allowlists import parse_cidr

    return parse_cidr(call.get("cidr"))


def _add_allowlist_entry(call: Call) -> Any:
    ip, mask = _cidr(call)
    flags = {"ui": call.get("ui"), "sql": call.get("sql"), "name": call.get("name")}
    return call.target.add(call.get("cluster_id"), ip, mask, **flags)


def _update_allowlist_entry(call: Call) -> Any:
    ip, mask = _cidr(call)
    flags = {"ui": call.get("ui"), "sql": call.get("sql"), "name": call.get("name")}
    return call.target.update(call.get("cluster_id"), ip, mask, **flags)


def _remove_allowlist_entry(call: Call) -> Any:
    ip, mask = _cidr(call)
    return call.target.remove(call.get("cluster_id"), ip, mask)


_CIDR = arg("CIDR", "the range, e.g. 10.0.0.0/24 (an address alone: that address, /32)", to="cli")
_FLAGS = (
    opt("--ui", "allow (--no-ui: refuse) the DB Console from the range", "bool", required=True, to="cli"),
    opt("--sql", "allow (--no-sql: refuse) SQL connections from the range", "bool", required=True, to="cli"),
)
_IP_ALLOWLISTS = Resource(
    "ip-allowlists",
    "the CIDR ranges that may reach a cluster",
    columns=("cidr_ip", "cidr_mask", "name", "ui", "sql"),
    verbs=(
        Verb(
            "list",
            "list a cluster's allowlist entries",
            (_CLUSTER, opt("--sort-order", "by address", choices=("ASC", "DESC"))),
        ),
        Verb(
            "add",
            "allow a range to reach a cluster",
            (_CLUSTER, _CIDR, *_FLAGS, opt("--name", "the entry's name", to="cli")),
            run=_add_allowlist_entry,
            mutates=True,
        ),
        Verb(
            "update",
            "change what a range may reach (and its name)",
            (_CLUSTER, _CIDR, *_FLAGS, opt("--name", "a new name (default: kept)", to="cli")),
            run=_update_allowlist_entry,
            mutates=True,
        ),
        Verb(
            "remove",
            "stop allowing a range",
            (_CLUSTER, _CIDR),
            run=_remove_allowlist_entry,
            mutates=True,
            done="removed",
        ),
    ),
)


COCKROACH = Api(
    name="cockroach",
    label="CockroachDB Cloud",
    help=(
        "CockroachDB Cloud: clusters (Basic, Standard, Advanced), nodes, regions, SQL users, "
        "maintenance windows, folders, service accounts, API keys, databases, IP allowlists, backups, "
        "restores, backup settings, log and metric export"
    ),
    settings=(
        Setting(
            "COCKROACH_API_KEY", "api_key", "service account secret key (sent as a Bearer token)", secret=True
        ),
        Setting("COCKROACH_SERVER", "base_url", "API server (default https://cockroachlabs.cloud)"),
    ),
    resources=(
        Resource(
            "clusters",
            "clusters of the organization",
            columns=("id", "name", "plan", "cloud_provider", "state", "cockroach_version"),
            verbs=(
                Verb(
                    "list",
                    "list clusters (every page)",
                    (
                        opt("--show-inactive", "also deleted and failed clusters", "flag"),
                        opt("--page-size", "clusters per request", "int"),
                        opt("--sort-by", "sort field", choices=("NAME", "CREATED_AT", "DELETED_AT")),
                        opt("--sort-order", "sort order", choices=("ASC", "DESC")),
                    ),
                ),
                Verb("get", "show a cluster", (_CLUSTER,)),
                by_name("cluster"),
                Verb(
                    "create",
                    "create a cluster from the API's request body (--file)",
                    (
                        opt("--name", "6-20 lower-case letters, digits and dashes", required=True),
                        opt("--provider", "cloud provider", required=True, choices=_PROVIDERS),
                    ),
                    run=_create,
                    mutates=True,
                    wait=_until_ready,
                    file=True,
                ),
                Verb(
                    "create-serverless",
                    "create a Basic (serverless) cluster",
                    (
                        opt("--name", "6-20 lower-case letters, digits and dashes", required=True),
                        opt("--provider", "cloud provider (default GCP)", choices=_PROVIDERS),
                        opt(
                            "--region",
                            "a region of the provider (repeatable; default us-central1)",
                            "list",
                            key="regions",
                        ),
                        opt("--primary-region", "the primary of several regions"),
                        *_LIMITS[:2],
                    ),
                    run=_create_serverless,
                    mutates=True,
                    wait=_until_ready,
                ),
                Verb(
                    "update",
                    "change a cluster (more fields with --file)",
                    (
                        _CLUSTER,
                        *_LIMITS,
                        opt("--plan", "move to another plan", choices=("BASIC", "STANDARD", "ADVANCED")),
                        opt("--cockroach-version", "upgrade (or roll back) to this major version"),
                        opt("--delete-protection", "refuse deletion while on", "bool"),
                        opt(
                            "--label",
                            "a label KEY=VALUE; the labels given replace all (repeatable)",
                            "kv",
                            key="labels",
                        ),
                    ),
                    run=_update,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "delete",
                    "delete a cluster and all its data",
                    (_CLUSTER,),
                    mutates=True,
                    wait=_until_deleted,
                    done="deleted",
                ),
                Verb(
                    "nodes",
                    "list a cluster's nodes",
                    (_CLUSTER, opt("--region", "only this region's nodes")),
                    columns=("name", "region_name", "status"),
                ),
                Verb(
                    "available-regions",
                    "list the regions where clusters can be created",
                    (
                        opt("--provider", "only this provider's", choices=_PROVIDERS, to="arg"),
                        opt("--serverless", "only regions for Basic and Standard clusters", "flag"),
                    ),
                    columns=("name", "provider", "location", "serverless"),
                ),
                Verb(
                    "wait",
                    "wait until a cluster is ready (CREATED) or deleted",
                    (
                        _CLUSTER,
                        opt("--until", "ready (default) or deleted", to="cli", choices=("ready", "deleted")),
                    ),
                    run=_wait,
                    always_waits=True,
                    done="deleted",
                ),
                Verb(
                    "connection-string",
                    "show the URL to connect a SQL client (never with a password)",
                    (
                        _CLUSTER,
                        opt("--database", "the database to name (default defaultdb)"),
                        opt("--sql-user", "the SQL user to name"),
                        opt(
                            "--os",
                            "the system whose CA certificate path an Advanced cluster's URL names "
                            "(default: this one)",
                            choices=("MAC", "LINUX", "WINDOWS"),
                        ),
                    ),
                    present=_connection,
                ),
                Verb(
                    "set-spend-limit",
                    "gone from the API since 2024-09-16: says what to run instead",
                    (_CLUSTER, arg("SPEND_LIMIT", "US cents per month", "int")),
                    mutates=True,
                ),
            ),
        ),
        Resource(
            "sql-users",
            "SQL users of a cluster",
            columns=("name",),
            verbs=(
                Verb(
                    "list",
                    "list a cluster's SQL users",
                    (_CLUSTER, opt("--sort-order", "by name", choices=("ASC", "DESC"))),
                ),
                Verb("get", "show a SQL user", (_CLUSTER, _SQL_USER)),
                Verb(
                    "create",
                    "create a SQL user with a password",
                    (_CLUSTER, _SQL_USER, *_PASSWORD),
                    run=_create_sql_user,
                    mutates=True,
                ),
                Verb(
                    "change-password",
                    "set a SQL user's password",
                    (_CLUSTER, _SQL_USER, *_PASSWORD),
                    run=_change_sql_password,
                    mutates=True,
                ),
                Verb(
                    "delete",
                    "delete a SQL user (sent once: never repeated after an error)",
                    (_CLUSTER, _SQL_USER),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "maintenance-windows",
            "the weekly maintenance window of an Advanced cluster",
            columns=("offset_duration", "window_duration"),
            verbs=(
                Verb("get", "show a cluster's maintenance window", (_CLUSTER,)),
                Verb(
                    "set",
                    "set a cluster's maintenance window",
                    (
                        _CLUSTER,
                        opt(
                            "--offset-duration",
                            "seconds from Monday 00:00 UTC to the start",
                            "int",
                            required=True,
                        ),
                        opt(
                            "--window-duration",
                            "its length in seconds (6 hours or more)",
                            "int",
                            required=True,
                        ),
                    ),
                    mutates=True,
                ),
                Verb(
                    "delete",
                    "remove a cluster's maintenance window",
                    (_CLUSTER,),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "folders",
            "folders of the organization (they hold clusters and folders)",
            columns=("resource_id", "name", "resource_type", "parent_id"),
            verbs=(
                Verb(
                    "list",
                    "list folders (every page)",
                    (opt("--path", "only the folder at this path, e.g. /prod/team1"),),
                ),
                Verb("get", "show a folder", (_FOLDER,)),
                Verb(
                    "contents",
                    "list a folder's folders, then its clusters",
                    (arg("FOLDER_ID", 'the folder\'s id, or "root" for the top level'),),
                ),
                Verb(
                    "create",
                    "create a folder",
                    (
                        arg("NAME", "the folder's name"),
                        opt("--parent-id", 'the parent folder (default "root")'),
                        _LABELS,
                    ),
                    mutates=True,
                ),
                Verb(
                    "update",
                    "rename, move or relabel a folder",
                    (
                        _FOLDER,
                        opt("--name", "a new name"),
                        opt("--parent-id", 'move here ("root": the top level)'),
                        _LABELS,
                    ),
                    mutates=True,
                ),
                Verb(
                    "delete", "delete an empty folder (sent once)", (_FOLDER,), mutates=True, done="deleted"
                ),
            ),
        ),
        Resource(
            "service-accounts",
            "service accounts of the organization",
            columns=("id", "name", "description", "created_at"),
            verbs=(
                Verb("list", "list service accounts (every page)"),
                Verb("get", "show a service account", (_ACCOUNT,)),
                by_name("service account"),
                Verb(
                    "create",
                    "create a service account",
                    (
                        arg("NAME", "its name"),
                        opt("--description", "what it is for"),
                        opt(
                            "--role",
                            "a role on the organization, e.g. CLUSTER_ADMIN (repeatable)",
                            "list",
                            key="roles",
                        ),
                    ),
                    mutates=True,
                ),
                Verb(
                    "update",
                    "rename a service account or change its description",
                    (_ACCOUNT, opt("--name", "a new name"), opt("--description", "a new description")),
                    mutates=True,
                ),
                Verb(
                    "delete",
                    "delete a service account and its API keys (sent once)",
                    (_ACCOUNT,),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "api-keys",
            "API keys of service accounts (a new key's secret is written to a file, never printed)",
            columns=("id", "name", "service_account_id", "created_at"),
            verbs=(
                Verb(
                    "list",
                    "list API keys (every page)",
                    (opt("--service-account-id", "only this account's keys"),),
                ),
                Verb("get", "show an API key (never its secret)", (_KEY,)),
                Verb(
                    "create",
                    "create an API key and write its secret to a new file",
                    (
                        opt("--name", "the key's name", required=True, to="cli"),
                        opt("--service-account-id", "the service account it is for", required=True, to="cli"),
                        opt(
                            "--secret-file",
                            "new file to write the secret to (mode 600)",
                            to="cli",
                            required=True,
                            metavar="FILE",
                        ),
                    ),
                    run=_create_api_key,
                    mutates=True,
                ),
                Verb(
                    "update",
                    "rename an API key",
                    (_KEY, opt("--name", "the new name", required=True)),
                    mutates=True,
                ),
                Verb("delete", "delete an API key (sent once)", (_KEY,), mutates=True, done="deleted"),
            ),
        ),
        *_BACKUP_RESOURCES,
        *_EXPORT_RESOURCES,
        _DATABASES,
        _IP_ALLOWLISTS,
    ),
)
