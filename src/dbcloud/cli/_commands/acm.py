"""`dbcloud acm`: Altinity.Cloud Manager environments, clusters, node types and API keys
(`dbcloud.Altinity`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .._spec import Api, Resource, Setting, Verb, arg, by_name, opt, password_options

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["ACM"]

_CLUSTER = arg("CLUSTER_ID", "the cluster's id", "int")
_ENVIRONMENT = opt(
    "--environment", "environment id (see: dbcloud acm environments list)", "int", key="environment_id",
    to="arg", required=True, metavar="ID",
)  # fmt: skip


def _what(cluster_id: Any) -> str:
    return f"ACM cluster {cluster_id}"


def _launch(call: Call) -> Any:
    from ...altinity._launch import check_launch_fields

    positional, keywords = call.values()
    keywords.update(keywords.pop("extra", None) or {})
    check_launch_fields(keywords)  # the facade's own message for a misspelt --param or --file field
    keywords["admin_pass"] = call.admin_password(keywords.get("admin_pass"))
    return call.target.launch(*positional, **keywords)


def _until_ready(call: Call, cluster: Any) -> Any:
    cid = cluster.id
    call.wait(
        _what(cid),
        lambda progress: call.target.wait_until_ready(cid, on_progress=progress, **call.wait_args()),
    )
    return call.target.get(cid)


def _until_settled(call: Call, cluster: Any) -> Any:
    """After a day-2 operation: wait for it to run its course (see `wait_until_settled`)."""
    cid = cluster.id
    call.wait(
        _what(cid),
        lambda progress: call.target.wait_until_settled(cid, on_progress=progress, **call.wait_args()),
    )
    return call.target.get(cid)


def _until_stopped(call: Call, cluster: Any) -> Any:
    cid = cluster.id
    call.wait(
        _what(cid),
        lambda progress: call.target.wait_until_settled(
            cid, stopped=True, on_progress=progress, **call.wait_args()
        ),
    )
    return call.target.get(cid)


def _until_deleted(call: Call, _: Any) -> None:
    cid = call.get("cluster_id")
    call.wait(
        _what(cid),
        lambda progress: call.target.wait_until_deleted(cid, on_progress=progress, **call.wait_args()),
    )


def _wait(call: Call) -> Any:
    cid = call.get("cluster_id")
    if call.get("until") == "deleted":
        return _until_deleted(call, None)
    return call.wait(
        _what(cid),
        lambda progress: call.target.wait_until_ready(cid, on_progress=progress, **call.wait_args()),
    )


def _query(call: Call) -> Any:
    password = _user_password(call, required=False, what="the ClickHouse password")
    return call.target.query(
        call.get("cluster_id"),
        call.get("sql"),
        node=call.get("node"),
        user=call.get("user"),
        password=password,
        timeout=call.get("timeout"),
    )


def _query_result(result: Any) -> dict[str, Any]:
    return {"cluster_id": result.cluster_id, "text": result.text, "rows": result.rows}


def _cluster_ready(call: Call, _: Any) -> Any:
    """After a push, backup or restore: wait for the cluster the verb named, show its record."""
    cid = call.get("cluster_id")
    clusters = call.client.clusters
    call.wait(
        _what(cid),
        lambda progress: clusters.wait_until_settled(cid, on_progress=progress, **call.wait_args()),
    )
    return clusters.get(cid)


def _set_setting(call: Call) -> Any:
    value, path = call.get("value"), call.get("value_file")
    if (value is None) == (path is None):
        from .._invoke import UsageError

        raise UsageError(f"{call.command}: give exactly one of --value or --value-file")
    if path is not None:
        from .._invoke import read_text

        value = read_text(path, option="--value-file")  # the whole file, as acmctl's --file
    return call.target.set(call.get("cluster_id"), call.get("name"), value, is_file=call.get("is_file"))


def _user_password(call: Call, *, required: bool, what: str = "the user's password") -> Any:
    """A user's password from --password, --password-file or $DBCLOUD_SQL_PASSWORD (prompted for
    when `required`); None when none is given and none is required."""
    from .._invoke import SQL_PASSWORD_ENV

    asked = call.get("password") is not None or call.get("password_file") is not None
    if not (required or asked or call.console.environ.get(SQL_PASSWORD_ENV)):
        return None
    return call.password(call.get("password"), env=SQL_PASSWORD_ENV, file_key="password_file", what=what)


def _user_options(call: Call) -> dict[str, Any]:
    return {
        "databases": call.get("databases"),
        "networks": call.get("networks"),
        "profile_id": call.get("profile_id"),
        "quota_id": call.get("quota_id"),
        "access_management": call.get("access_management"),
    }


def _create_user(call: Call) -> Any:
    return call.target.create(
        call.get("cluster_id"), call.get("login"), _user_password(call, required=True), **_user_options(call)
    )


def _update_user(call: Call) -> Any:
    password = _user_password(call, required=False)
    return call.target.update(
        call.get("cluster_id"), call.get("user"), password=password, **_user_options(call)
    )


def _restore(call: Call) -> Any:
    secret = None
    if call.get("secret_key_file") is not None or call.console.environ.get(BACKUP_SECRET_ENV):
        secret = call.password(
            None, env=BACKUP_SECRET_ENV, file_key="secret_key_file", what="the backup storage's secret key"
        )
    return call.target.restore(
        call.get("cluster_id"),
        tag=call.get("tag"),
        table=call.get("table"),
        type_=call.get("type_"),
        provider=call.get("provider"),
        bucket=call.get("bucket"),
        region=call.get("region"),
        path=call.get("path"),
        access_key=call.get("access_key"),
        secret_key=secret,
        source_environment=call.get("source_environment"),
    )


def _key(key: Any) -> dict[str, Any]:
    # The key itself is never printed: its fingerprint names it for `keys delete`.
    return {"fingerprint": key.fingerprint, "expires": key.expires, "expired": key.expired}


def _create_key(call: Call) -> Any:
    hours = call.get("expires_in")
    arguments = {"expires_in": dt.timedelta(hours=hours)} if hours is not None else {}
    with call.secret_file(call.get("key_file"), "the new ACM API key") as write:
        key = call.target.create(**arguments)
        write(key.key.reveal())
    return {**_key(key), "key_file": call.get("key_file")}


_LAUNCH_OPTIONS = (
    _ENVIRONMENT,
    opt("--name", "cluster name: lower-case letters, digits and hyphens", required=True),
    opt("--node-type", "node (instance) type, e.g. m5.large, sent as nodeType (the quick start's name)"),
    opt(
        "--instance-type",
        "the same, sent as instanceType (the API guide's name), e.g. n2d-standard-2; give one of the two",
    ),
    opt("--nodes", "total nodes (shards × replicas)", "int", required=True),
    opt("--replicas", "replicas per shard", "int", required=True),
    opt("--shards", "shards (default 1)", "int"),
    opt("--size", "storage per node, in GB", "int", required=True),
    opt("--disks", "volumes per node (default: ACM's)", "int"),
    opt("--version", "ClickHouse image tag (default: the environment's)"),
    opt("--admin-user", "ClickHouse admin user (default admin)"),
    opt(
        "--admin-pass",
        "ClickHouse admin password (visible to other local users: prefer --admin-pass-file or "
        "$DBCLOUD_ADMIN_PASS)",
    ),
    opt("--admin-pass-file", "read the admin password from FILE (- for stdin)", to="cli", metavar="FILE"),
    opt("--secure", "serve ClickHouse over TLS only (default yes)", "bool"),
    opt("--storage-class", "Kubernetes storage class, e.g. gp2-encrypted"),
    opt("--lb-type", "load balancer type, e.g. ingress"),
    opt("--node-placement", "e.g. separateNodes"),
    opt("--zookeeper", '"launch" (a new one, the default) or the id of an existing ZooKeeper'),
    opt("--zookeeper-options", 'JSON, e.g. \'{"tag": "", "size": "single"}\'', "json"),
    opt("--https-port", "ClickHouse HTTPS port", "int"),
    opt("--tcp-port-secure", "ClickHouse secure native port", "int"),
    opt("--param", "any other launch parameter, by its Python name (repeatable)", "kv", key="extra"),
)

_COUNTS = (
    opt("--shards", "the new number of shards", "int"),
    opt("--replicas", "the new number of replicas per shard", "int"),
    opt("--node-type", "the new node type (see: dbcloud acm node-types list ENV)"),
)


def _day2(name: str, help: str, options: tuple[Any, ...] = (), **extra: Any) -> Verb:
    """A day-2 cluster verb: `--wait` for its operation to run its course."""
    return Verb(
        name, help, (_CLUSTER, *options), mutates=True, wait=extra.pop("wait", _until_settled), **extra
    )


_DAY2 = (
    _day2(
        "update",
        "change a cluster's name, role, load balancer, IP allow-list, MySQL port, timezone or uptime "
        "schedule (sent once)",
        (
            opt("--name", "a new name (lower-case letters, digits and hyphens)"),
            opt("--role", "prod or dev", choices=("prod", "dev")),
            opt("--lb-type", "load balancer type, e.g. ingress"),
            opt("--ip-whitelist", "comma-separated CIDRs allowed to connect (empty: clear)"),
            opt("--mysql-port", "the MySQL protocol port", "int"),
            opt("--timezone", "the cluster's timezone, e.g. UTC"),
            opt("--uptime", "ACM's uptime schedule, e.g. always"),
        ),
        wait=_until_ready,  # a settings change runs no operation: ready is done
    ),
    _day2(
        "rescale",
        "add or remove shards or replicas, change the node type or grow the storage (sent once)",
        (
            *_COUNTS,
            opt("--size", "the new storage per node, in GB (never smaller)", "int"),
            opt("--disks", "volumes per node", "int"),
            opt("--throughput", "provisioned volume throughput, in MB/s", "int"),
            opt("--only-new", "apply node type and storage to new nodes only", "bool"),
            opt("--force-non-replicated", "allow new shards beside non-replicated tables", "bool"),
        ),
    ),
    _day2(
        "upgrade",
        "upgrade the cluster's ClickHouse version (sent once)",
        (
            arg("VERSION", "the ClickHouse version, e.g. 24.8.14.10459.altinitystable"),
            opt("--type", "ACM's image type, when the environment offers several", key="type_"),
            opt("--image", "an explicit image instead of the version's own"),
        ),
    ),
    _day2("restart", "restart the cluster's nodes (sent once)", (opt("--method", "ACM's restart method"),)),
    _day2("stop", "suspend a cluster and its nodes, keeping its storage (sent once)", wait=_until_stopped),
    _day2("resume", "resume a stopped cluster, optionally with another size (sent once)", _COUNTS),
    Verb(
        "query",
        "run one SQL statement on the cluster through ACM (never repeated after a server error)",
        (
            _CLUSTER,
            arg("SQL", "the statement, e.g. 'SELECT version()'"),
            opt("--node", "run it on this node (host name) instead of any"),
            opt("--user", "the ClickHouse user to run it as (default: ACM's)"),
            *password_options("that user's password"),
            opt("--timeout", "seconds ACM lets it run", "int"),
        ),
        run=_query,
        mutates=True,
        present=_query_result,
    ),
)

BACKUP_SECRET_ENV = "DBCLOUD_BACKUP_SECRET_KEY"  # noqa: S105 - the name of a variable, not a secret
_PASSWORD_OPTIONS = password_options()
_USER_OPTIONS = (
    opt("--database", "a database it may use (repeatable; default all)", "list", key="databases", to="cli"),
    opt("--network", "an address or CIDR it may connect from (repeatable)", "list", key="networks", to="cli"),
    opt("--profile-id", "its settings profile", "int", to="cli"),
    opt("--quota-id", "its quota", "int", to="cli"),
    opt("--access-management", "let it manage users and grants with SQL", "bool", to="cli"),
)
_DATA_RESOURCES = (
    Resource(
        "settings",
        "a cluster's config.d files and server settings (staged until pushed)",
        columns=("id", "name", "is_file", "system"),
        verbs=(
            Verb("list", "list a cluster's settings (values are not shown)", (_CLUSTER,)),
            Verb(
                "set",
                "create a setting, or change it when the cluster has one of that name",
                (
                    _CLUSTER,
                    arg("NAME", "e.g. config.d/http_handlers.xml or max_concurrent_queries"),
                    opt("--value", "the value", to="cli"),
                    opt("--value-file", "read the value from FILE (- for stdin)", to="cli", metavar="FILE"),
                    opt("--is-file", "a config.d file (default: guessed from the name)", "bool", to="cli"),
                ),
                run=_set_setting,
                mutates=True,
            ),
            Verb(
                "delete",
                "delete a setting by name or id (sent once)",
                (_CLUSTER, arg("NAME_OR_ID", "the setting's name or id")),
                mutates=True,
                done="deleted",
            ),
            Verb(
                "push",
                "apply the staged settings to the nodes; may restart ClickHouse (sent once)",
                (_CLUSTER, opt("--update-hosts", "also refresh the nodes' host entries", "bool")),
                mutates=True,
                wait=_cluster_ready,
            ),
        ),
    ),
    Resource(
        "backups",
        "a cluster's backups",
        columns=("id", "tag", "created", "size", "status"),
        verbs=(
            Verb("list", "list a cluster's backups", (_CLUSTER,)),
            Verb("create", "back a cluster up now", (_CLUSTER,), mutates=True, wait=_cluster_ready),
            Verb(
                "restore",
                "restore a cluster's data from a backup; overwrites its data (sent once)",
                (
                    _CLUSTER,
                    opt("--tag", "the backup (see: dbcloud acm backups list)", required=True, to="cli"),
                    opt("--table", "only this table (db.table)", to="cli"),
                    opt("--type", "ACM's storage type", key="type_", to="cli"),
                    opt("--provider", "the storage provider, e.g. s3", to="cli"),
                    opt("--bucket", "the bucket", to="cli"),
                    opt("--region", "the bucket's region", to="cli"),
                    opt("--path", "the path in the bucket", to="cli"),
                    opt("--access-key", "the storage's access key id", to="cli"),
                    opt(
                        "--secret-key-file",
                        "the storage's secret key from FILE (- for stdin), or $DBCLOUD_BACKUP_SECRET_KEY",
                        to="cli",
                        metavar="FILE",
                    ),
                    opt("--source-environment", "the environment whose storage holds it", "int", to="cli"),
                ),
                run=_restore,
                mutates=True,
                wait=_cluster_ready,
            ),
        ),
    ),
    Resource(
        "database-users",
        "the ClickHouse users of a cluster (passwords are never shown)",
        columns=("id", "name", "databases", "profile_id", "access_management"),
        verbs=(
            Verb("list", "list a cluster's users", (_CLUSTER,)),
            Verb(
                "create",
                "add a user to a cluster",
                (_CLUSTER, arg("LOGIN", "the user name"), *_PASSWORD_OPTIONS, *_USER_OPTIONS),
                run=_create_user,
                mutates=True,
            ),
            Verb(
                "update",
                "change a user's password, databases, profile, quota or access management",
                (_CLUSTER, arg("USER", "the user's id or login"), *_PASSWORD_OPTIONS, *_USER_OPTIONS),
                run=_update_user,
                mutates=True,
            ),
            Verb(
                "delete",
                "remove a user from a cluster (sent once)",
                (_CLUSTER, arg("USER", "the user's id or login")),
                mutates=True,
                done="deleted",
            ),
        ),
    ),
    Resource(
        "zookeepers",
        "the ZooKeeper clusters of an environment",
        columns=("id", "name", "size", "status", "dedicated"),
        verbs=(
            Verb(
                "list",
                "list an environment's ZooKeepers (ids for launch --zookeeper)",
                (
                    arg("ENVIRONMENT_ID", "the environment's id", "int"),
                    opt("--show-dedicated", "also those dedicated to one cluster", "bool"),
                ),
            ),
        ),
    ),
)

ACM = Api(
    name="acm",
    label="Altinity.Cloud Manager",
    help=(
        "Altinity.Cloud Manager (ACM): environments, ClickHouse clusters, node types, settings, "
        "backups, database users, ZooKeepers, API keys"
    ),
    settings=(
        Setting("ACM_API_KEY", "token", "ACM API key (sent as X-Auth-Token)", secret=True),
        Setting("ACM_API_URL", "base_url", "ACM API root (default https://acm.altinity.cloud/api)"),
    ),
    resources=(
        Resource(
            "environments",
            "where clusters run",
            columns=("id", "name", "type", "domain"),
            verbs=(
                Verb("list", "list the environments the key can see"),
                Verb("get", "show one environment", (arg("ENVIRONMENT_ID", "the environment's id", "int"),)),
                by_name("environment"),
            ),
        ),
        Resource(
            "clusters",
            "ClickHouse clusters",
            columns=("id", "name", "status", "nodes", "shards", "replicas", "endpoint"),
            verbs=(
                Verb("list", "list the clusters of an environment", (_ENVIRONMENT,)),
                Verb("get", "show one cluster", (_CLUSTER,)),
                by_name("cluster", _ENVIRONMENT),
                Verb(
                    "status",
                    "show a cluster's state, last action and health checks",
                    (_CLUSTER,),
                ),
                Verb(
                    "launch",
                    "launch a cluster (checked completely before anything is sent; repeated only after a "
                    "429, when nothing was launched, never after a server error or a broken connection)",
                    _LAUNCH_OPTIONS,
                    run=_launch,
                    mutates=True,
                    wait=_until_ready,
                    file=True,
                ),
                Verb(
                    "delete",
                    "delete a cluster",
                    (
                        _CLUSTER,
                        opt("--terminate", "also destroy its nodes and volumes (default yes)", "bool"),
                    ),
                    mutates=True,
                    wait=_until_deleted,
                    done="deleted",
                ),
                *_DAY2,
                Verb(
                    "wait",
                    "wait until a cluster is ready (or deleted)",
                    (
                        _CLUSTER,
                        opt("--until", "ready (default) or deleted", to="cli", choices=("ready", "deleted")),
                    ),
                    run=_wait,
                    always_waits=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "node-types",
            "the node types an environment's clusters run on",
            columns=("id", "code", "scope", "cpu", "memory", "capacity"),
            verbs=(
                Verb(
                    "list",
                    "list an environment's node types (codes for launch and rescale --node-type)",
                    (
                        arg("ENVIRONMENT_ID", "the environment's id", "int"),
                        opt(
                            "--scope", "only those of one kind", choices=("clickhouse", "zookeeper", "system")
                        ),
                        opt("--with-used", "also say whether a cluster uses each", "bool"),
                    ),
                ),
            ),
        ),
        *_DATA_RESOURCES,
        Resource(
            "keys",
            "your ACM API keys (at most 5; the key text is written to a file, never printed)",
            columns=("fingerprint", "expires", "expired"),
            verbs=(
                Verb(
                    "list", "list your API keys by fingerprint", present=lambda keys: [_key(k) for k in keys]
                ),
                Verb(
                    "create",
                    "create an API key and write it to a new file",
                    (
                        opt(
                            "--key-file",
                            "new file to write the key to (mode 600)",
                            to="cli",
                            required=True,
                            metavar="FILE",
                        ),
                        opt(
                            "--expires-in",
                            "hours until it expires (default 24)",
                            "float",
                            to="cli",
                            metavar="HOURS",
                        ),
                    ),
                    run=_create_key,
                    mutates=True,
                ),
                Verb(
                    "delete",
                    "delete an API key",
                    (arg("FINGERPRINT", "the key's fingerprint (see: dbcloud acm keys list)", key="key"),),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
    ),
)
