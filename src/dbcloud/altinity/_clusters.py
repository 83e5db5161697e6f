"""ACM clusters: list, get, launch, delete, the day-2 operations (update, rescale, upgrade, restart,
stop, resume), status and the waits."""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list, read_one
from .._retry import once
from .._secret import Secret
from .._values import as_int
from .._wait import ClusterState, Progress, map_state, wait_flow
from . import _acm
from ._launch import LAUNCH_OPERATION, build_launch_body, environment_path_id
from ._records import Cluster, QueryResult

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["ClusterStatus", "Clusters"]


@dataclass(frozen=True)
class ClusterStatus:
    """Where a cluster stands, from ACM's cluster record, its action log and its health checks.

    ACM keeps a cluster "online" while an operation on it runs, so `ready` also needs the last
    action to be complete and no health check to be failing.
    """

    cluster_id: str
    state: ClusterState
    status: str | None
    last_action: str | None = None
    action_done: bool = True
    action_error: str | None = None
    healthy: bool | None = None
    checks: Mapping[str, bool] = field(default_factory=dict)
    checks_passed: int | None = None
    checks_total: int | None = None

    @property
    def ready(self) -> bool:
        return self.state is ClusterState.RUNNING and self.action_done and self.healthy is not False

    @property
    def failure(self) -> str | None:
        """Why the cluster failed, if it did."""
        if self.action_error:
            action = self.last_action or "last action"
            # ACM's own text often names the action already ("launch failed: ..."): said once.
            if self.action_error.lower().startswith(f"{action.lower()} failed"):
                return self.action_error
            return f"{action} failed: {self.action_error}"
        if self.state is ClusterState.FAILED:
            return f"ACM reports the cluster as {self.status!r}"
        return None

    def describe(self) -> str:
        parts = [self.status or self.state.value]
        if self.last_action and not self.action_done:
            parts.append(f"{self.last_action} running")
        if self.checks_total and self.checks_passed != self.checks_total:
            parts.append(f"{self.checks_passed} of {self.checks_total} health checks passing")
        failing = sorted(name for name, ok in self.checks.items() if not ok)
        if failing:
            parts.append("failing checks: " + ", ".join(failing))
        return "; ".join(parts)


def _cluster_id(value: Any) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"cluster id must be a positive integer, got {value!r}", field="cluster_id")
    return value


_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_ROLES = ("prod", "dev")
# How long a wait after a day-2 operation keeps polling a cluster that looks done without having
# been seen busy (assumption: ACM marks an operation within this many seconds).
SETTLE_SECONDS = 30.0


def _text(value: Any, name: str, *, pattern: re.Pattern[str] | None = None, empty_ok: bool = False) -> str:
    if not isinstance(value, str) or (not value.strip() and not empty_ok):
        raise ValidationError(f"{name} must be non-empty text, got {value!r}", field=name)
    if any(c in value for c in "\r\n\x00"):
        raise ValidationError(f"{name} must not contain line breaks or NUL", field=name)
    if pattern is not None and not pattern.match(value):
        raise ValidationError(
            f"{name} must be lower-case letters, digits and hyphens, starting with a letter, got {value!r}",
            field=name,
        )
    return value


def _choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValidationError(f"{name} must be one of {', '.join(choices)}, got {value!r}", field=name)
    return str(value)


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"{name} must be a positive integer, got {value!r}", field=name)
    return value


def _port(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ValidationError(f"{name} must be a port number (1-65535), got {value!r}", field=name)
    return value


def _flag(value: Any, name: str) -> str:
    # Assumption: ACM reads its query flags as "true"/"false" (acmctl passes the user's text).
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be True or False, got {value!r}", field=name)
    return "true" if value else "false"


class Clusters(Resource[H]):
    """Clusters of ACM environments. Reached as `Altinity().clusters` (and
    `AsyncAltinity().clusters`, whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    def _parse(self, data: Any, asked_id: str | None = None) -> Cluster:
        return read_one(Cluster.from_api, data, what="a cluster", vendor="ACM", asked_id=asked_id)

    @listing
    def list(self, environment_id: int | str) -> Listing[Cluster]:
        """The clusters of one environment (ACM answers them all at once; a cluster without an id
        is left out, with a warning).

        Raises:
            ValidationError: the environment id is not a positive integer.
            APIStatusError: ACM refused (e.g. NotFoundError for an unknown environment).
        """
        env = environment_path_id(environment_id)

        def everything() -> Flow[builtins.list[Cluster]]:
            data = yield from self._client._call_flow(
                "clusters.get_environment_clusters", Expect.LIST, environment=env
            )
            return read_list(Cluster.from_api, data, what=f"clusters of environment {env}", vendor="ACM")

        return Listing.of_one(everything, what=f"clusters of environment {env}", vendor="ACM")

    @call
    def get_by_name(self, environment_id: int | str, name: str) -> Flow[Cluster]:
        """The cluster called `name` (the environment's clusters are read; names are unique in an
        environment), so that a script adopts a cluster that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no cluster has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Clusters.list.build(self, environment_id).named(name))

    @call
    def get(self, cluster_id: int | str) -> Flow[Cluster]:
        """One cluster's complete record (an answer without the id keeps the id asked for)."""
        cid = _cluster_id(cluster_id)
        data = yield from self._client._call_flow("clusters.get_cluster", Expect.OBJECT, id=cid)
        return self._parse(data, str(cid))

    @call
    def launch(
        self,
        environment_id: int | str,
        *,
        name: str,
        admin_pass: str,
        node_type: str | None = None,
        nodes: int,
        replicas: int,
        size: int,
        shards: int = 1,
        admin_user: str | None = "admin",
        disks: int | None = None,
        version: str | None = None,
        secure: bool = True,
        storage_class: str | None = None,
        lb_type: str | None = None,
        node_placement: str | None = None,
        zookeeper: str | int = "launch",
        zookeeper_options: Mapping[str, str] | None = None,
        https_port: int | None = None,
        tcp_port_secure: int | None = None,
        instance_type: str | None = None,
        type_: str | None = None,
        host: str | None = None,
        port: int | None = None,
        ssh_port: int | None = None,
        http_port: int | None = None,
        data_path: str | None = None,
        version_image: str | None = None,
        memory: str | None = None,
        throughput: str | None = None,
        iops: str | None = None,
        source_cluster: str | None = None,
        replicate_schema: bool | None = None,
        backup_source: str | None = None,
        ip_whitelist: str | None = None,
        restore_options: Any = None,
        backup_options: Any = None,
        datadog_settings: Any = None,
        uptime: str | None = None,
        uptime_settings: Any = None,
        alternate_endpoints: Any = None,
        annotations: Any = None,
        azlist: Sequence[str] | None = None,
        role: str | None = None,
        custom_lb_annotations: Any = None,
        ch_guard_settings: Any = None,
        mysql_protocol: bool | None = None,
        mysql_port: int | None = None,
        timezone: str | None = None,
        zone_awareness: bool | None = None,
    ) -> Flow[Cluster]:
        """Launch a ClickHouse cluster in an environment.

        Everything is checked before anything is sent. The request is ACM's
        `POST /environment/{environment}/clusters/launch` with a JSON body, as the ACM CLI sends it
        (the vendor pages' examples send the same body; nothing goes on the URL). It is repeated
        only after a 429 (nothing was launched); never after a 5xx or a broken connection, since a
        repeated launch could create a second cluster. Wait for it with
        `wait_until_ready(cluster.id)`.

        Args:
            environment_id: the environment to launch in (see `environments.list()`).
            name: cluster name: lower-case letters, digits and hyphens, starting with a letter.
            admin_pass: password of the ClickHouse admin user; never logged.
            node_type: node (instance) type, e.g. "m5.large"; `instance_type` is another name for it.
            nodes: total nodes; must equal shards × replicas.
            replicas: replicas per shard.
            size: storage per node, in GB.
            shards: number of shards.
            admin_user: name of the ClickHouse admin user; None leaves it to ACM ("admin"), as the
                quick start's example does. (The community Terraform provider saw ACM refuse a
                password without a user, hence the default.)
            disks: volumes per node (None: ACM's default).
            version: ClickHouse image tag ("" for the environment's default).
            secure: serve ClickHouse over TLS only.
            storage_class, lb_type, node_placement: ACM's storageClass, lbType and nodePlacement.
            zookeeper: "launch" for a new ZooKeeper, or the id of an existing one.
            zookeeper_options: for a launched ZooKeeper: {"tag": ..., "size": "single"|"multi", "root": ...}.
            https_port, tcp_port_secure: ClickHouse's HTTPS and secure native ports.
            type_, host, port, ..., zone_awareness: every other field of ACM's launch body (the
                overlaid spec's `ClusterLaunchRequest`), sent under ACM's name when given, e.g.
                `ip_whitelist="10.0.0.0/8"`, `zone_awareness=True`, `azlist=["us-east-1a"]`. Those the
                spec leaves as any JSON value (restore_options, backup_options, datadog_settings,
                uptime_settings, alternate_endpoints, annotations, custom_lb_annotations,
                ch_guard_settings) go as given, objects in ACM's own field names.

        Returns:
            The new cluster's record.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            APIStatusError: ACM refused the launch.
        """
        env = environment_path_id(environment_id)
        from dbcloud_acm_client.models.cluster_launch_request import ClusterLaunchRequest

        model, body = build_launch_body(
            ClusterLaunchRequest,
            name=name,
            admin_pass=admin_pass,
            admin_user=admin_user,
            node_type=node_type,
            instance_type=instance_type,
            nodes=nodes,
            shards=shards,
            replicas=replicas,
            size=size,
            disks=disks,
            version=version,
            secure=secure,
            storage_class=storage_class,
            lb_type=lb_type,
            node_placement=node_placement,
            zookeeper=zookeeper,
            zookeeper_options=zookeeper_options,
            https_port=https_port,
            tcp_port_secure=tcp_port_secure,
            extra={
                "type_": type_,
                "host": host,
                "port": port,
                "ssh_port": ssh_port,
                "http_port": http_port,
                "data_path": data_path,
                "version_image": version_image,
                "memory": memory,
                "throughput": throughput,
                "iops": iops,
                "source_cluster": source_cluster,
                "replicate_schema": replicate_schema,
                "backup_source": backup_source,
                "ip_whitelist": ip_whitelist,
                "restore_options": restore_options,
                "backup_options": backup_options,
                "datadog_settings": datadog_settings,
                "uptime": uptime,
                "uptime_settings": uptime_settings,
                "alternate_endpoints": alternate_endpoints,
                "annotations": annotations,
                "azlist": azlist,
                "role": role,
                "custom_lb_annotations": custom_lb_annotations,
                "ch_guard_settings": ch_guard_settings,
                "mysql_protocol": mysql_protocol,
                "mysql_port": mysql_port,
                "timezone": timezone,
                "zone_awareness": zone_awareness,
            },
        )
        # The caller's values in the caller's order go on the wire, not the model's rewrite of them.
        data = yield from self._client._call_flow(
            LAUNCH_OPERATION, Expect.OBJECT, body, environment=env, body=model
        )
        return self._parse(data)

    @call
    def delete(self, cluster_id: int | str, *, terminate: bool = True) -> Flow[None]:
        """Delete a cluster.

        Args:
            terminate: also destroy its cloud resources (nodes, volumes); False only removes ACM's
                record of it.
        """
        # ACM spells the choice as a path segment: DELETE /cluster/{id}/1 terminates, /0 does not.
        cid = _cluster_id(cluster_id)
        yield from self._client._call_flow("clusters.delete_cluster", id=cid, terminate=int(terminate))

    # --- day-2 operations ------------------------------------------------------------------------

    @call
    def update(
        self,
        cluster_id: int | str,
        *,
        name: str | None = None,
        role: str | None = None,
        lb_type: str | None = None,
        ip_whitelist: str | None = None,
        mysql_port: int | None = None,
        timezone: str | None = None,
        uptime: str | None = None,
        wait: bool = False,
        timeout: float = 1800,
    ) -> Flow[Cluster]:
        """Change a cluster's general settings in place (no relaunch, no data moved).

        ACM's `POST /cluster/{id}` with a JSON body of the fields given, as acmctl's
        `cluster update` and the community Terraform provider send it (its fields are the
        provider's: a rename also renames the endpoints; an empty `ip_whitelist` clears the list).
        Sent once: a POST is never repeated after a 5xx or a broken connection.

        Args:
            name: a new name (lower-case letters, digits and hyphens, starting with a letter).
            role: "prod" or "dev".
            lb_type, ip_whitelist, mysql_port, timezone, uptime: ACM's lbType, ipWhitelist
                (comma-separated CIDRs), mysqlPort, timezone and uptime schedule.
            wait: return once ACM has applied the change (see `wait_until_ready`).
            timeout: seconds to wait when `wait` is true.

        Returns:
            The cluster's record as ACM answers the update (re-read after the wait).

        Raises:
            ValidationError: nothing to change, or a value is invalid; nothing was sent.
            APIStatusError: ACM refused (often as HTTP 200 with an error, mapped the same way).
        """
        cid = _cluster_id(cluster_id)
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = _text(name, "name", pattern=_NAME)
        if role is not None:
            body["role"] = _choice(role, "role", _ROLES)
        for key, value, wire in (
            ("lb_type", lb_type, "lbType"),
            ("ip_whitelist", ip_whitelist, "ipWhitelist"),
            ("timezone", timezone, "timezone"),
            ("uptime", uptime, "uptime"),
        ):
            if value is not None:
                body[wire] = _text(value, key, empty_ok=key == "ip_whitelist")
        if mysql_port is not None:
            # As text, the type the spec gives every field of this body (ACM reads "3306" and 3306
            # alike; the Terraform provider sends a number).
            body["mysqlPort"] = str(_port(mysql_port, "mysql_port"))
        if not body:
            raise ValidationError("update needs at least one field to change", field="cluster_id")
        data = yield from self._client._call_flow("clusters.post_cluster", Expect.ANY, body, id=cid)
        if wait:
            yield from Clusters.wait_until_ready.flow(self, cid, timeout=timeout)
        if wait or not isinstance(data, dict) or not data:
            return (yield from Clusters.get.flow(self, cid))
        return self._parse(data, str(cid))

    @call
    def rescale(
        self,
        cluster_id: int | str,
        *,
        shards: int | None = None,
        replicas: int | None = None,
        node_type: str | None = None,
        size: int | None = None,
        disks: int | None = None,
        throughput: int | None = None,
        only_new: bool | None = None,
        force_non_replicated: bool | None = None,
        wait: bool = False,
        timeout: float = 3600,
    ) -> Flow[Cluster]:
        """Add or remove shards or replicas, change the node type, or grow the storage.

        ACM's `PUT /cluster/{id}/rescale` with the fields given as query parameters, as the spec
        declares them and acmctl's `cluster rescale` sends them (counts as text). `nodes` is never
        sent: ACM derives it from shards x replicas (the community Terraform provider saw a stale
        `nodes` beside new counts confuse ACM). Sent once (repeated only after a 429): a repeat
        after a lost answer would meet the rescale it started and be refused.

        Args:
            shards, replicas: the new counts (at least 1).
            node_type: the new node type (see `node_types.list(environment_id)`).
            size: the new storage per node, in GB (ACM does not shrink volumes).
            disks: volumes per node.
            throughput: provisioned volume throughput (MB/s), where the cloud has it.
            only_new: apply the node type and storage to new nodes only.
            force_non_replicated: allow adding shards to a cluster with non-replicated tables.
            wait: return once the cluster is online again with the rescale done.
            timeout: seconds to wait when `wait` is true.

        Returns:
            The cluster's record right after the request (or after the wait).

        Raises:
            ValidationError: nothing to change, or a value is invalid; nothing was sent.
            APIStatusError: ACM refused (e.g. the cluster is stopped or busy with another action).
        """
        cid = _cluster_id(cluster_id)
        params: dict[str, str] = {}
        for key, value in (
            ("shards", shards),
            ("replicas", replicas),
            ("size", size),
            ("disks", disks),
            ("throughput", throughput),
        ):
            if value is not None:
                params[key] = str(_count(value, key))
        if node_type is not None:
            params["node_type"] = _text(node_type, "node_type")
        for key, flag in (("only_new", only_new), ("force_non_replicated", force_non_replicated)):
            if flag is not None:
                params[key] = _flag(flag, key)
        if not params:
            raise ValidationError(
                "rescale needs shards, replicas, node_type, size, disks or throughput", field="cluster_id"
            )
        return (yield from self._operation("clusters.put_cluster_rescale", cid, params, wait, timeout))

    @call
    def upgrade(
        self,
        cluster_id: int | str,
        version: str,
        *,
        type_: str | None = None,
        image: str | None = None,
        wait: bool = False,
        timeout: float = 3600,
    ) -> Flow[Cluster]:
        """Upgrade the cluster's ClickHouse to `version` (a version of the environment's list).

        ACM's `PUT /cluster/{id}/upgrade` with `version` (and `type`, `image`) as query parameters,
        as the spec declares them and acmctl's `cluster upgrade` sends them. Sent once (repeated
        only after a 429).

        Args:
            version: the ClickHouse version, e.g. "24.8.14.10459.altinitystable".
            type_: ACM's image type, when the environment offers several.
            image: an explicit image instead of the version's default one.
            wait: return once the cluster is online again on the new version.
            timeout: seconds to wait when `wait` is true.
        """
        cid = _cluster_id(cluster_id)
        params = {"version": _text(version, "version")}
        if type_ is not None:
            params["type_"] = _text(type_, "type_")
        if image is not None:
            params["image"] = _text(image, "image")
        return (yield from self._operation("clusters.put_cluster_upgrade", cid, params, wait, timeout))

    @call
    def restart(
        self, cluster_id: int | str, *, method: str | None = None, wait: bool = False, timeout: float = 1800
    ) -> Flow[Cluster]:
        """Restart the cluster's ClickHouse nodes (`PUT /cluster/{id}/restart`, as acmctl's
        `cluster restart` sends it). Sent once (repeated only after a 429).

        Args:
            method: ACM's restart method (its `method` parameter; None for ACM's default).
            wait: return once the cluster is online again.
            timeout: seconds to wait when `wait` is true.
        """
        cid = _cluster_id(cluster_id)
        params = {} if method is None else {"method": _text(method, "method")}
        return (yield from self._operation("clusters.put_cluster_restart", cid, params, wait, timeout))

    @call
    def stop(self, cluster_id: int | str, *, wait: bool = False, timeout: float = 1800) -> Flow[Cluster]:
        """Suspend the cluster and all its nodes (`PUT /cluster/{id}/stop`, as acmctl's
        `cluster stop` sends it); its storage is kept. ACM refuses to stop a stopped cluster. Sent
        once (repeated only after a 429).

        Args:
            wait: return once the cluster is stopped (state `ClusterState.STOPPED`).
            timeout: seconds to wait when `wait` is true.
        """
        cid = _cluster_id(cluster_id)
        return (yield from self._operation("clusters.put_cluster_stop", cid, {}, wait, timeout, stopped=True))

    @call
    def resume(
        self,
        cluster_id: int | str,
        *,
        node_type: str | None = None,
        shards: int | None = None,
        replicas: int | None = None,
        wait: bool = False,
        timeout: float = 1800,
    ) -> Flow[Cluster]:
        """Resume a stopped cluster (`PUT /cluster/{id}/resume`, as acmctl's `cluster resume`
        sends it), optionally with another node type or size. ACM refuses to resume a cluster that
        is not stopped. Sent once (repeated only after a 429).

        Args:
            node_type, shards, replicas: resume with these instead of the cluster's own.
            wait: return once the cluster is online and healthy again.
            timeout: seconds to wait when `wait` is true.
        """
        cid = _cluster_id(cluster_id)
        params: dict[str, str] = {}
        if node_type is not None:
            params["node_type"] = _text(node_type, "node_type")
        for key, value in (("shards", shards), ("replicas", replicas)):
            if value is not None:
                params[key] = str(_count(value, key))
        return (yield from self._operation("clusters.put_cluster_resume", cid, params, wait, timeout))

    @call
    def query(
        self,
        cluster_id: int | str,
        sql: str,
        *,
        node: str | None = None,
        user: str | None = None,
        password: str | Secret | None = None,
        timeout: int | None = None,
    ) -> Flow[QueryResult]:
        """Run one SQL statement on the cluster through ACM (`POST /cluster/{id}/query`).

        The statement travels in a form body as `query`, as acmctl sends it
        (`acmctl raw POST /cluster/{id}/query -F query='SELECT 1' -F user=admin`), with the user and
        password beside it: nothing goes on the URL. A POST, so never repeated after a 5xx or a
        broken connection (only after a 429, when nothing ran): a statement that changes data runs
        at most once.

        Args:
            sql: the statement, e.g. "SELECT version()".
            node: run it on this node (its host name) instead of any.
            user, password: the ClickHouse user to run it as (ACM's own when not given); the
                password is never logged or shown in an error.
            timeout: seconds ACM lets it run.

        Raises:
            ValidationError: an empty statement or a bad argument; nothing was sent.
            APIStatusError: ACM or ClickHouse refused it (ClickHouse's message is ACM's error).
        """
        from dbcloud_acm_client.models.post_cluster_query_body import PostClusterQueryBody

        cid = _cluster_id(cluster_id)
        if not isinstance(sql, str) or not sql.strip():
            raise ValidationError("sql must be a non-empty statement", field="sql")
        if "\x00" in sql:
            raise ValidationError("sql must not contain NUL characters", field="sql")
        fields: dict[str, Any] = {"query": sql}
        if node is not None:
            fields["node"] = _text(node, "node")
        if user is not None:
            fields["user"] = _text(user, "user")
        if password is not None:
            secret = password.reveal() if isinstance(password, Secret) else password
            if not isinstance(secret, str) or not secret or "\x00" in secret:
                raise ValidationError("password must be non-empty text or a dbcloud.Secret", field="password")
            fields["password"] = secret
        if timeout is not None:
            fields["timeout"] = str(_count(timeout, "timeout"))
        data = yield from self._client._call_flow(
            "clusters.post_cluster_query", id=cid, body=PostClusterQueryBody(**fields)
        )
        return QueryResult.from_api(str(cid), data)

    def _operation(
        self,
        operation: str,
        cid: int,
        params: Mapping[str, str],
        wait: bool,
        timeout: float,
        *,
        stopped: bool = False,
    ) -> Flow[Cluster]:
        # ACM answers these with `{"data": true}` (or an error, often as HTTP 200); the record is
        # read afresh so the caller sees the status the operation put the cluster in.
        yield from once(self._client._call_flow(operation, id=cid, **params))
        if wait:
            yield from Clusters.wait_until_settled.flow(self, cid, stopped=stopped, timeout=timeout)
        return (yield from Clusters.get.flow(self, cid))

    @call
    def wait_until_settled(
        self,
        cluster_id: int | str,
        *,
        stopped: bool = False,
        timeout: float = 3600,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[ClusterStatus]:
        """Right after a day-2 operation: poll until it has run its course and the cluster is
        ready again (or stopped, with `stopped=True`). What `wait=True` of those verbs does.

        ACM may take a moment to turn a cluster "pending" after a PUT (the community Terraform
        provider sees status go "ready" -> "pending" -> "ready" during a rescale), so a first
        poll can still see the cluster as it was. This wait ends only once it has seen the
        cluster busy, or `SETTLE_SECONDS` after it began without ever seeing it so (an operation
        ACM finished, or never started, in between).

        Raises:
            ClusterFailed: the operation failed; the message has ACM's reason.
            WaitTimeout: not done within `timeout` seconds.
        """
        cid = _cluster_id(cluster_id)
        clock = self._client._clock
        began = clock()
        busy = False

        def done(state: ClusterStatus) -> bool:
            nonlocal busy
            target = (state.state is ClusterState.STOPPED and state.action_done) if stopped else state.ready
            if not target:
                busy = True
                return False
            return busy or clock() - began >= SETTLE_SECONDS

        return (
            yield from wait_flow(
                lambda: Clusters.status.flow(self, cid),
                ready=done,
                failed=lambda s: s.failure,
                describe=ClusterStatus.describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=clock,
                on_progress=on_progress,
                what=f"ACM cluster {cid}",
            )
        )

    @call
    def status(self, cluster_id: int | str) -> Flow[ClusterStatus]:
        """Where the cluster stands: its state, its last action and its health checks."""
        cid = _cluster_id(cluster_id)
        record = yield from self._client._call_flow("clusters.get_cluster", Expect.OBJECT, id=cid)
        actions = (yield from self._client._call_flow("clusters.get_cluster_log", id=cid)) or []
        health = yield from self._client._call_flow("clusters.get_cluster_status", cluster=cid)
        status_word = record.get("status")
        return ClusterStatus(
            cluster_id=str(cid),
            state=map_state(status_word, _acm.STATE_TABLE),
            status=status_word if isinstance(status_word, str) else None,
            **_progress(_last_action(actions), _health(health)),
        )

    @call
    def wait_until_ready(
        self,
        cluster_id: int | str,
        *,
        timeout: float = 1800,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[ClusterStatus]:
        """Poll until the cluster is online, its last action is done and its health checks pass.

        Raises:
            ClusterFailed: the launch (or the last action) failed; the message has ACM's reason.
            WaitTimeout: not ready within `timeout` seconds.
        """
        cid = _cluster_id(cluster_id)
        return (
            yield from wait_flow(
                lambda: Clusters.status.flow(self, cid),
                ready=lambda s: s.ready,
                failed=lambda s: s.failure,
                describe=ClusterStatus.describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"ACM cluster {cid}",
            )
        )

    @call
    def wait_until_stopped(
        self,
        cluster_id: int | str,
        *,
        timeout: float = 1800,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[ClusterStatus]:
        """Poll until the cluster is stopped and its stop action is done.

        Raises:
            ClusterFailed: the stop failed; the message has ACM's reason.
            WaitTimeout: not stopped within `timeout` seconds.
        """
        cid = _cluster_id(cluster_id)
        return (
            yield from wait_flow(
                lambda: Clusters.status.flow(self, cid),
                ready=lambda s: s.state is ClusterState.STOPPED and s.action_done,
                failed=lambda s: s.failure,
                describe=ClusterStatus.describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"ACM cluster {cid}",
            )
        )

    @call
    def wait_until_deleted(
        self,
        cluster_id: int | str,
        *,
        timeout: float = 1800,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[None]:
        """Poll until ACM no longer knows the cluster."""
        cid = _cluster_id(cluster_id)
        yield from wait_flow(
            lambda: Clusters.status.flow(self, cid),
            ready=lambda s: s.state is ClusterState.DELETED,
            gone_ok=True,
            describe=ClusterStatus.describe,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            clock=self._client._clock,
            on_progress=on_progress,
            what=f"ACM cluster {cid}",
        )


def _progress(action: dict[str, Any], health: dict[str, Any]) -> dict[str, Any]:
    # The status answer's step count is the freshest word on the running operation: a partial one
    # (2 of 3 steps) is not done even when the log's last entry looks finished, and a complete one
    # with every check passing is.
    done = health.pop("progress_done", None)
    merged = {**action, **health}
    if done is False:
        merged["action_done"] = False
    elif done is True and not action.get("action_error"):
        merged["action_done"] = True
    return merged


def _last_action(actions: Any) -> dict[str, Any]:
    # Assumption: /cluster/{id}/log lists ActionLog entries; the newest has the highest id. An
    # entry is done once `success` is true or `confirmed` is set; `success: false` with an `error`
    # is a failed action.
    entries = [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []
    if not entries:
        return {}
    last = max(entries, key=lambda a: _as_int(a.get("id")))
    success = _as_bool(last.get("success"))
    error = last.get("error") or None
    done = success is True or _as_bool(last.get("confirmed")) is True or bool(error)
    return {
        "last_action": str(last.get("action") or "") or None,
        "action_done": done,
        "action_error": str(error) if error and success is not True else None,
    }


def _health(data: Any) -> dict[str, Any]:
    """Health and progress from /cluster/{cluster}/status.

    What ACM really answers (a live capture quoted in the community ACM Terraform provider's tests,
    gorgias-oss/terraform-provider-altinity): `health: {total, passed, ts, details}` is the summary
    of the health checks, `actionProgress: {total, completed, percent}` the running operation's
    steps (counts as text, percent as a number), and flags beside them (`crashReport: 0`,
    `usesInstallationTemplate: false`) that are not checks: 0/false there means no problem.
    """
    if not isinstance(data, dict):
        return {}
    summary = data.get("health")
    if isinstance(summary, dict):
        return _summary(data, summary)
    return _named_checks(data)


def _summary(data: dict[str, Any], summary: dict[str, Any]) -> dict[str, Any]:
    total, passed = as_int(summary.get("total")), as_int(summary.get("passed"))
    checks: dict[str, bool] = {}
    # Assumption: a nonzero `crashReport` counts the crash reports ACM holds for the cluster.
    crashes = as_int(data.get("crashReport"))
    if crashes:
        checks["crashReport"] = False
    healthy: bool | None = None
    if total is not None and passed is not None and total > 0:
        healthy = passed >= total
    if crashes:
        healthy = False
    found: dict[str, Any] = {
        "healthy": healthy,
        "checks": checks,
        "checks_passed": passed,
        "checks_total": total,
    }
    progress = data.get("actionProgress")
    if data.get("action") == "Completed":
        # ACM's idle answer after an operation: `"action": "Completed"` with the step counter back
        # at 0 (`{"total": 2, "completed": "0", "percent": 0}`, a live capture in the community
        # Terraform provider's tests, which wait for exactly this word). Nothing is running.
        found["progress_done"] = True
    elif isinstance(progress, dict):
        steps, completed = as_int(progress.get("total")), as_int(progress.get("completed"))
        percent = as_int(progress.get("percent"))
        if steps is not None and completed is not None and steps > 0:
            found["progress_done"] = completed >= steps
        elif percent is not None:
            found["progress_done"] = percent >= 100
    return found


def _named_checks(data: dict[str, Any]) -> dict[str, Any]:
    # Without a summary (older answers, and hand-written test doubles): named checks, each a boolean or
    # an object with a boolean `ok`/`passed`/`healthy`, possibly under `checks`; an overall
    # `healthy`/`ok` flag wins when present. Shapes it does not know leave health unknown.
    nested = data.get("checks")
    source: dict[Any, Any] = nested if isinstance(nested, dict) else data
    checks: dict[str, bool] = {}
    for name, value in source.items():
        if name in _NOT_CHECKS:
            continue
        flag = (
            _as_bool(value.get("ok", value.get("passed", value.get("healthy"))))
            if isinstance(value, dict)
            else _as_bool(value)
        )
        if flag is not None and name not in ("healthy", "ok"):
            checks[str(name)] = flag
    overall = _as_bool(data.get("healthy", data.get("ok")))
    healthy = overall if overall is not None else (all(checks.values()) if checks else None)
    return {"healthy": healthy, "checks": checks}


# Flags of the status answer that are not health checks (0/false there means no problem).
_NOT_CHECKS = frozenset({"crashReport", "usesInstallationTemplate", "uptime", "latestBackup"})


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in (0, 1) and isinstance(value, int):
        return bool(value)
    if isinstance(value, str) and value.lower() in (
        "true",
        "false",
        "1",
        "0",
        "yes",
        "no",
        "ok",
        "fail",
        "failed",
    ):
        return value.lower() in ("true", "1", "yes", "ok")
    return None


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
