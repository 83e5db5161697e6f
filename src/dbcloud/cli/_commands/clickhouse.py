"""`dbcloud clickhouse`: the ClickHouse Cloud control plane (`dbcloud.ClickHouseCloud`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._spec import Api, Resource, Run, Setting, Verb, arg, by_name, opt
from .clickhouse_day2 import DAY2_RESOURCES
from .clickhouse_pipes import PIPE_RESOURCES

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["CLICKHOUSE", "CLICKHOUSE_SETTINGS"]

_SERVICE = arg("SERVICE_ID", "the service's id (a UUID)")
_ROLES = opt("--role-id", "a role id to assign (repeatable)", "list", key="assigned_role_ids")
_ROLE = opt(
    "--role", "admin or developer (deprecated by the API: prefer --role-id)", choices=("admin", "developer")
)
_STATES = (
    "running",
    "stopped",
    "idle",
    "deleted",
    "provisioning",
    "starting",
    "stopping",
    "awaking",
    "failed",
)


def _what(service_id: Any) -> str:
    return f"ClickHouse Cloud service {service_id}"


def _until(state: str) -> Any:
    def wait(call: Call, service: Any) -> Any:
        sid = str(service.id) if service is not None else call.get("service_id")
        return _wait_for(call, sid, state)

    return wait


def _wait_for(call: Call, sid: str, state: str) -> Any:
    services = call.target
    if state == "ready":
        return call.wait(
            _what(sid), lambda p: services.wait_until_ready(sid, on_progress=p, **call.wait_args())
        )
    if state == "deleted":
        return call.wait(
            _what(sid), lambda p: services.wait_until_deleted(sid, on_progress=p, **call.wait_args())
        )
    return call.wait(_what(sid), lambda p: services.wait_until(sid, state, on_progress=p, **call.wait_args()))


def _wait(call: Call) -> Any:
    return _wait_for(call, call.get("service_id"), call.get("until") or "ready")


_SHOWN_ONCE = (
    "ClickHouse Cloud shows the default user's password only in this answer and dbcloud never prints "
    "it: give --password-file FILE to keep it, or set a new one with "
    "`dbcloud clickhouse services reset-password SERVICE_ID --password-file FILE`"
)


def _check_fields(call: Call, model: str, what: str, fields: dict[str, Any]) -> None:
    """Refuse a field (from `--file`) that the verb's method does not take as the facade refuses
    one, by `build_body` against the generated request model of module `model` ("colour: not a
    field of service creation", with the closest field and all it takes), rather than by Python's
    bare "unexpected keyword argument"."""
    import inspect
    from importlib import import_module

    takes = inspect.signature(getattr(call.target, call.verb.attribute)).parameters
    if all(name in takes for name in fields):
        return
    from ...clickhouse._body import build_body

    name = "".join(part.title() for part in model.split("_"))  # api_key_post_request: ApiKeyPostRequest
    build_body(getattr(import_module(f"dbcloud_clickhouse_client.models.{model}"), name), fields, what=what)


def _sending(model: str, what: str) -> Run:
    """The plain method call of a verb that takes `--file`, its fields checked by `_check_fields`."""

    def run(call: Call) -> Any:
        positional, fields = call.values()
        _check_fields(call, model, what, fields)
        return call.invoke(getattr(call.target, call.verb.attribute), *positional, **fields)

    return run


def _create_service(call: Call) -> Any:
    _, fields = call.values()
    if cidrs := call.get("ip_access"):
        fields["ip_access_list"] = [{"source": cidr, "description": "dbcloud CLI"} for cidr in cidrs]
    if tags := fields.pop("tags_kv", None):
        fields["tags"] = [{"key": k, "value": str(v)} for k, v in tags.items()]
    _check_fields(call, "service_post_request", "service creation", fields)
    path = call.get("password_file")
    if path is None:
        new = call.invoke(call.target.create, **fields)
        if new.password is not None:
            call.console.secret(new.password)
            call.note(_SHOWN_ONCE)
        return new.service
    with call.secret_file(path, "the default user's password") as write:
        new = call.invoke(call.target.create, **fields)
        if new.password is not None:
            write(new.password.reveal())
    return new.service


def _reset_password(call: Call) -> Any:
    from .._invoke import UsageError

    sid, digest, path = call.get("service_id"), call.get("new_password_hash"), call.get("password_file")
    if digest is not None:
        call.console.secret(digest)
        return call.target.reset_password(sid, new_password_hash=digest)
    if path is None:
        raise UsageError(
            f"{call.command}: give --password-file FILE (the new password is written there, never printed) "
            "or --new-password-hash HASH"
        )
    with call.secret_file(path, "the new password") as write:
        password = call.target.reset_password(sid)
        if password is not None:
            write(password.reveal())
    return None


def _create_key(call: Call) -> Any:
    _, fields = call.values()
    _check_fields(call, "api_key_post_request", "API key creation", fields)
    with call.secret_file(call.get("key_file"), "the new key id and secret") as write:
        new = call.invoke(call.target.create, **fields)
        if new.key_secret is not None:
            call.console.secret(new.key_secret)
            write(
                f"CLICKHOUSE_CLOUD_API_KEY={new.key_id}\nCLICKHOUSE_CLOUD_API_SECRET={new.key_secret.reveal()}\n"
            )
    return new.key


_SERVICE_FIELDS = (
    opt("--min-replica-memory-gb", "memory per replica, lower bound", "int"),
    opt("--max-replica-memory-gb", "memory per replica, upper bound", "int"),
    opt("--num-replicas", "replicas", "int"),
    opt("--idle-scaling", "scale to zero when idle", "bool"),
    opt("--idle-timeout-minutes", "minutes of quiet before idling (5 or more)", "int"),
)

CLICKHOUSE_SETTINGS = (
    Setting("CLICKHOUSE_CLOUD_API_KEY", "key_id", "ClickHouse Cloud API key id", secret=True),
    Setting("CLICKHOUSE_CLOUD_API_SECRET", "key_secret", "ClickHouse Cloud API key secret", secret=True),
    Setting("CLICKHOUSE_ORG_ID", "org_id", "organization id (default: the key's only one)"),
    Setting("CLICKHOUSE_API_URL", "base_url", "API root (default https://api.clickhouse.cloud)"),
)

CLICKHOUSE = Api(
    name="clickhouse",
    label="ClickHouse Cloud",
    help=(
        "ClickHouse Cloud: services, backups, API keys, members, invitations, activities, query "
        "endpoints, private endpoints, backup settings, ClickHouse settings, usage, ClickPipes, "
        "scaling schedules"
    ),
    settings=CLICKHOUSE_SETTINGS,
    resources=(
        Resource(
            "organizations",
            "the organizations of the API key",
            columns=("id", "name", "createdAt"),
            verbs=(
                Verb("list", "list the key's organizations"),
                by_name("organization"),
                Verb(
                    "get",
                    "show an organization",
                    (opt("--org", "organization id (default: the configured one)", key="org_id", to="arg"),),
                ),
                Verb(
                    "update",
                    "change an organization",
                    (
                        opt("--org", "organization id (default: the configured one)", key="org_id", to="arg"),
                        opt("--name", "new name"),
                        opt("--enable-core-dumps", "let services collect crash reports", "bool"),
                    ),
                    run=_sending("organization_patch_request", "organization update"),
                    mutates=True,
                    file=True,
                ),
            ),
        ),
        Resource(
            "services",
            "ClickHouse services",
            columns=("id", "name", "provider", "region", "state", "clickhouseVersion"),
            verbs=(
                Verb(
                    "list",
                    "list services",
                    (opt("--filter", "e.g. tag:env=prod (repeatable)", "list", key="filters"),),
                ),
                Verb("get", "show a service", (_SERVICE,)),
                by_name("service"),
                Verb(
                    "create",
                    "create a service (repeated only after a rate limit); more fields with --file",
                    (
                        opt("--name", "up to 50 characters", required=True),
                        opt("--provider", "cloud provider", required=True, choices=("aws", "gcp", "azure")),
                        opt("--region", "e.g. us-east-1", required=True),
                        *_SERVICE_FIELDS,
                        opt("--ip-access", "allow this CIDR (repeatable)", "list", to="cli", metavar="CIDR"),
                        opt("--tag", "a tag KEY=VALUE (repeatable)", "kv", key="tags_kv"),
                        opt(
                            "--password-file",
                            "new file for the default user's password (mode 600)",
                            to="cli",
                            metavar="FILE",
                        ),
                    ),
                    run=_create_service,
                    mutates=True,
                    wait=_until("ready"),
                    file=True,
                ),
                Verb(
                    "update",
                    "change a service's name (more with --file)",
                    (_SERVICE, opt("--name", "new name")),
                    run=_sending("service_patch_request", "service update"),
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "delete",
                    "delete a stopped service",
                    (_SERVICE,),
                    mutates=True,
                    wait=_until("deleted"),
                    done="deleted",
                ),
                Verb("start", "start a stopped service", (_SERVICE,), mutates=True, wait=_until("ready")),
                Verb("stop", "stop a service", (_SERVICE,), mutates=True, wait=_until("stopped")),
                Verb("wake", "wake an idle service", (_SERVICE,), mutates=True, wait=_until("ready")),
                Verb(
                    "set-scaling",
                    "change a service's scaling",
                    (_SERVICE, *_SERVICE_FIELDS[2:]),
                    run=_sending("service_scaling_patch_request", "scaling change"),
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "reset-password",
                    "reset the default user's password (written to a new file, never printed)",
                    (
                        _SERVICE,
                        opt(
                            "--password-file",
                            "new file for the generated password (mode 600)",
                            to="cli",
                            metavar="FILE",
                        ),
                        opt(
                            "--new-password-hash",
                            "set this password instead: base64 of its SHA-256",
                            to="cli",
                            metavar="HASH",
                        ),
                    ),
                    run=_reset_password,
                    mutates=True,
                    done="password reset",
                ),
                Verb(
                    "wait",
                    "wait until a service is ready (or in another state)",
                    (
                        _SERVICE,
                        opt(
                            "--until",
                            "ready (default: running or idle), or a state",
                            to="cli",
                            choices=("ready", *_STATES),
                        ),
                    ),
                    run=_wait,
                    always_waits=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "backups",
            "backups of a service",
            columns=("id", "status", "type", "startedAt", "sizeInBytes"),
            verbs=(
                Verb("list", "list a service's backups", (_SERVICE,)),
                Verb("get", "show a backup", (_SERVICE, arg("BACKUP_ID", "the backup's id"))),
                Verb(
                    "create",
                    "start a backup (repeated only after a rate limit)",
                    (_SERVICE,),
                    mutates=True,
                    done="backup started",
                ),
                Verb(
                    "delete",
                    "delete a backup",
                    (_SERVICE, arg("BACKUP_ID", "the backup's id")),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "keys",
            "API keys of the organization (a new key's secret is written to a file, never printed)",
            columns=("id", "name", "state", "keySuffix", "expireAt"),
            verbs=(
                Verb("list", "list API keys"),
                Verb("get", "show an API key", (arg("KEY_ID", "the key's id"),)),
                by_name("API key"),
                Verb(
                    "create",
                    "create an API key; its id and secret go to a new file",
                    (
                        opt("--name", "the key's name", required=True),
                        _ROLES,
                        opt("--expire-at", "when it expires (ISO 8601)", "time"),
                        opt("--state", "enabled or disabled", choices=("enabled", "disabled")),
                        opt(
                            "--key-file",
                            "new file for the key id and secret (mode 600)",
                            to="cli",
                            required=True,
                            metavar="FILE",
                        ),
                    ),
                    run=_create_key,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "update",
                    "change an API key",
                    (
                        arg("KEY_ID", "the key's id"),
                        opt("--name", "new name"),
                        opt("--state", "enabled or disabled", choices=("enabled", "disabled")),
                        opt("--expire-at", "new expiry (ISO 8601)", "time"),
                        _ROLES,
                    ),
                    run=_sending("api_key_patch_request", "API key update"),
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "delete",
                    "delete an API key at once",
                    (arg("KEY_ID", "the key's id"),),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "members",
            "members of the organization",
            columns=("userId", "name", "email", "role", "joinedAt"),
            verbs=(
                Verb("list", "list members"),
                Verb("get", "show a member", (arg("USER_ID", "the member's user id"),)),
                Verb(
                    "update",
                    "change a member's roles",
                    (arg("USER_ID", "the member's user id"), _ROLES, _ROLE),
                    mutates=True,
                ),
                Verb(
                    "delete",
                    "remove a member",
                    (arg("USER_ID", "the member's user id"),),
                    mutates=True,
                    done="removed",
                ),
            ),
        ),
        Resource(
            "invitations",
            "invitations to the organization",
            columns=("id", "email", "role", "createdAt", "expireAt"),
            verbs=(
                Verb("list", "list open invitations"),
                Verb("get", "show an invitation", (arg("INVITATION_ID", "the invitation's id"),)),
                Verb(
                    "create",
                    "invite someone by e-mail",
                    (opt("--email", "their address", required=True), _ROLES, _ROLE),
                    mutates=True,
                ),
                Verb(
                    "delete",
                    "withdraw an invitation",
                    (arg("INVITATION_ID", "the invitation's id"),),
                    mutates=True,
                    done="withdrawn",
                ),
            ),
        ),
        Resource(
            "activities",
            "the organization's audit log",
            columns=("id", "createdAt", "type", "actorType", "actorDetails"),
            verbs=(
                Verb(
                    "list",
                    "list activities",
                    (
                        opt("--from", "since (ISO 8601)", "time", key="from_date"),
                        opt("--to", "until (ISO 8601)", "time", key="to_date"),
                    ),
                ),
                Verb("get", "show an activity", (arg("ACTIVITY_ID", "the activity's id"),)),
            ),
        ),
        *DAY2_RESOURCES,
        *PIPE_RESOURCES,  # ClickPipes and scaling schedules: clickhouse_pipes.py
    ),
)
