"""The emulated CockroachDB Cloud clusters: create, read, update, delete, list, nodes, regions."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._api import ApiError, OpenAPIEmulator
from .._http import EmuRequest
from ._state import (
    CREATOR_ID,
    DEDICATED_SECONDS,
    DELETED_SECONDS,
    NAMESPACE,
    REGIONS,
    SCALE_SECONDS,
    SERVERLESS_SECONDS,
    UPGRADE_SECONDS,
    VERSIONS,
    Cluster,
    machine_type_for,
    operation_of,
    settle,
    state_of,
    upgrade_status_of,
    vcpus_of,
)
from ._wire import NUMBER, TEXT, check_fields, enum_param, keyset_page, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object


_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{4,18}[a-z0-9]$")  # spec: 6-20 chars, no edge dashes
_LIMIT_KEYS = ("provisioned_virtual_cpus", "request_unit_limit", "storage_mib_limit")


class ClusterHandlers(_Base):
    """The cluster operations of `EmulatedCockroach` (`clusters: dict[str, Cluster]` by id)."""

    clusters: dict[str, Cluster]
    regions: dict[str, tuple[tuple[str, str, bool, float], ...]]
    _serial: int
    _epoch: float

    # --- time and views ------------------------------------------------------------------------

    def _stamp(self, seconds: float) -> str:
        moment = dt.datetime.fromtimestamp(self._epoch + seconds, dt.UTC)
        return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")

    def _emulated(self, value: str, what: str) -> float:
        text = value.strip()
        try:
            moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise ApiError(400, f"{what} must be an RFC 3339 time, got {value!r}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp() - self._epoch

    def _routing_id(self, cluster: Cluster) -> str:
        return f"{cluster.name}-{1000 + cluster.serial}"

    def _region_views(self, cluster: Cluster) -> list[dict[str, Any]]:
        provider = cluster.provider.lower()
        views = []
        if cluster.serverless:
            routing = self._routing_id(cluster)
            for region in cluster.regions:
                host = f"{routing}.{provider}-{region}.cockroachlabs.cloud"
                view: dict[str, Any] = {
                    "name": region,
                    "sql_dns": host,
                    "ui_dns": "",
                    "node_count": 0,  # spec: "node_count will be 0 for Serverless clusters"
                    "internal_dns": f"internal-{host}",
                    "private_endpoint_dns": f"private-{host}",
                }
                if len(cluster.regions) > 1:
                    view["primary"] = region == cluster.primary_region
                views.append(view)
            return views
        tag = cluster.id[:4]
        for region, count in cluster.region_nodes.items():
            host = f"{cluster.name}-{tag}.{provider}-{region}.cockroachlabs.cloud"
            views.append(
                {
                    "name": region,
                    "sql_dns": host,
                    "ui_dns": f"admin-{host}",
                    "node_count": count,
                    "internal_dns": f"internal-{host}",
                    "private_endpoint_dns": f"private-{host}",
                }
            )
        return views

    def _view(self, cluster: Cluster) -> dict[str, Any]:
        now = self.clock.now()
        settle(cluster, now)
        state = state_of(cluster, now)
        regions = self._region_views(cluster)
        config: dict[str, Any]
        if cluster.serverless:
            serverless: dict[str, Any] = {
                "routing_id": self._routing_id(cluster),
                "upgrade_type": cluster.upgrade_type,
            }
            if cluster.usage_limits:
                serverless["usage_limits"] = dict(cluster.usage_limits)
            config = {"serverless": serverless}
        else:
            config = {"dedicated": dict(cluster.hardware)}
        view: dict[str, Any] = {
            "id": cluster.id,
            "name": cluster.name,
            "cockroach_version": VERSIONS[cluster.version],
            "upgrade_status": upgrade_status_of(cluster),
            "plan": cluster.plan,
            "cloud_provider": cluster.provider,
            "state": state,
            "creator_id": CREATOR_ID,
            "operation_status": operation_of(cluster, state),
            "config": config,
            "regions": regions,
            "cidr_range": cluster.cidr_range,
            "labels": dict(cluster.labels),
            # Required by the spec's Cluster schema though it declares no property for it.
            "is_customer_cloud_account": cluster.customer_account is not None,
            "parent_id": cluster.parent_id,
            "delete_protection": cluster.delete_protection,
            "sql_dns": regions[0]["sql_dns"] if regions else "",
            "created_at": self._stamp(cluster.created),
            "updated_at": self._stamp(cluster.updated),
        }
        if not cluster.serverless:
            view["network_visibility"] = cluster.network_visibility or "PUBLIC"
            view["egress_traffic_policy"] = cluster.egress or "ALLOW_ALL"
        if cluster.customer_account is not None:
            view["customer_cloud_account"] = dict(cluster.customer_account)
        if cluster.deleted_at is not None:
            view["deleted_at"] = self._stamp(cluster.deleted_at)
        return view

    def _cluster(self, request: EmuRequest) -> Cluster:
        cluster = self.clusters.get(request.params["cluster_id"])
        if cluster is None or self._gone(cluster):
            raise ApiError(404, "cluster not found")
        return cluster

    def _gone(self, cluster: Cluster) -> bool:
        """A deleted cluster is answered by id for DELETED_SECONDS, then no more."""
        return cluster.deleted_at is not None and self.clock.now() - cluster.deleted_at >= DELETED_SECONDS

    # --- create --------------------------------------------------------------------------------

    def _create(self, request: EmuRequest, body: Any) -> Any:
        body = without_nulls(body)
        check_fields(body, _CREATE_SCHEMA, "")
        name = body["name"]
        if not _NAME.match(name):
            raise ApiError(
                400,
                "name must be 6-20 characters in length and can include numbers, lowercase letters, "
                "and dashes (but no leading or trailing dashes)",
            )
        provider = body["provider"]
        spec = body["spec"]
        if ("serverless" in spec) == ("dedicated" in spec):
            raise ApiError(400, "spec must contain exactly one of serverless or dedicated")
        # Assumption: names are unique among the organization's clusters that are not deleted.
        if any(c.name == name and c.deleted_at is None for c in self.clusters.values()):
            raise ApiError(409, f"a cluster named {name!r} already exists")
        now = self.clock.now()
        self._serial += 1
        cluster = Cluster(
            id=str(uuid.uuid5(NAMESPACE, f"{self._serial}:{name}")),
            serial=self._serial,
            name=name,
            provider=provider,
            plan="BASIC",
            created=now,
            ready_at=now,
            fails=False,
            updated=now,
        )
        plan = spec.get("plan")
        if "serverless" in spec:
            self._create_serverless(cluster, spec["serverless"], plan)
            cluster.ready_at = now + SERVERLESS_SECONDS
        else:
            self._create_dedicated(cluster, spec["dedicated"], plan)
            cluster.ready_at = now + DEDICATED_SECONDS
        if "customer_cloud_account" in spec:
            account = spec["customer_cloud_account"]
            if cluster.serverless:
                raise ApiError(400, "customer_cloud_account applies to ADVANCED clusters only")
            if list(account) != [cluster.provider.lower()]:
                raise ApiError(400, f"customer_cloud_account must give the {cluster.provider} account only")
            cluster.customer_account = account
        if "labels" in spec:
            cluster.labels = _labels(spec["labels"])
        if spec.get("parent_id"):
            cluster.parent_id = str(spec["parent_id"])
        if "delete_protection" in spec:
            cluster.delete_protection = spec["delete_protection"]
        # Only a request that passed every check, and whose answer could be made, creates a
        # cluster and uses up the failure: an answer that fails stores nothing.
        cluster.fails = self.fail_next_launch
        view = self._view(cluster)
        self.fail_next_launch = False
        self.creates += 1
        self.clusters[cluster.id] = cluster
        return view

    def _create_serverless(self, cluster: Cluster, spec: Mapping[str, Any], plan: str | None) -> None:
        if plan == "ADVANCED":
            raise ApiError(400, "the ADVANCED plan needs a dedicated specification")
        limits = _usage_limits(spec.get("usage_limits"), "spec.serverless.usage_limits")
        # Assumption: without a plan, provisioned vCPUs make a Standard cluster (as the spec's
        # example pairs them), their absence a Basic one; a Standard cluster without them gets 2.
        plan = plan or ("STANDARD" if "provisioned_virtual_cpus" in limits else "BASIC")
        if plan == "BASIC" and "provisioned_virtual_cpus" in limits:
            raise ApiError(400, "provisioned_virtual_cpus applies to STANDARD clusters, not BASIC")
        if plan == "STANDARD":
            limits.setdefault("provisioned_virtual_cpus", "2")
        cluster.plan = plan
        cluster.usage_limits = limits
        cluster.regions = self._serverless_regions(cluster.provider, plan, spec["regions"])
        cluster.primary_region = self._primary(cluster.regions, spec.get("primary_region"))
        cluster.upgrade_type = spec.get("upgrade_type") or "AUTOMATIC"

    def _serverless_regions(self, provider: str, plan: str, regions: Any) -> list[str]:
        if not isinstance(regions, list) or not all(isinstance(r, str) for r in regions):
            raise ApiError(400, "spec.serverless.regions must be a list of region codes")
        if not regions:
            raise ApiError(400, "spec.serverless.regions must name at least one region")
        if len(set(regions)) != len(regions):
            raise ApiError(400, "spec.serverless.regions names a region twice")
        for region in regions:
            known = self._region(provider, region)
            # The Basic plan "is available in select regions" (spec); Standard in all of them.
            if plan == "BASIC" and not known[2]:
                raise ApiError(400, f"region {region!r} does not offer the BASIC plan on {provider}")
        return regions

    def _primary(self, regions: Sequence[str], primary: Any) -> str | None:
        if primary is not None and primary not in regions:
            raise ApiError(400, f"primary_region {primary!r} is not one of the cluster's regions")
        if primary is None and len(regions) > 1:
            # Spec: "This field is required if you create the cluster in more than one region."
            raise ApiError(400, "primary_region is required when the cluster has more than one region")
        return str(primary) if primary is not None else None

    def _create_dedicated(self, cluster: Cluster, spec: Mapping[str, Any], plan: str | None) -> None:
        if plan not in (None, "ADVANCED"):
            raise ApiError(400, f"the {plan} plan needs a serverless specification")
        cluster.plan = "ADVANCED"
        cluster.region_nodes = self._region_nodes(cluster.provider, spec["region_nodes"])
        cluster.hardware = self._hardware(cluster.provider, spec["hardware"], {})
        version = spec.get("cockroach_version")
        if version:
            major = str(version)
            major = ".".join(major.split(".")[:2])  # "v24.1.6" names the major v24.1 too
            if major not in VERSIONS:
                raise ApiError(400, f"cockroach_version {version!r} is not one of {', '.join(VERSIONS)}")
            cluster.version = major
        if cluster.provider == "GCP":
            # Spec: cidr_range "is only set on GCP Advanced tier clusters"; default 172.28.0.0/14.
            cluster.cidr_range = str(spec.get("cidr_range") or "172.28.0.0/14")
        elif spec.get("cidr_range"):
            raise ApiError(400, "cidr_range is supported only on GCP")
        cluster.network_visibility = spec.get("network_visibility")
        cluster.egress = "DEFAULT_DENY" if spec.get("restrict_egress_traffic") else "ALLOW_ALL"

    def _region(self, provider: str, name: str) -> tuple[str, str, bool, float]:
        for region in self.regions.get(provider, ()):
            if region[0] == name:
                return region
        raise ApiError(400, f"region {name!r} is not available on {provider}")

    def _region_nodes(self, provider: str, value: Any) -> dict[str, int]:
        if not isinstance(value, Mapping) or not value:
            raise ApiError(400, "region_nodes must give a node count for at least one region")
        nodes = {}
        for region, count in value.items():
            self._region(provider, region)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ApiError(400, f"region_nodes[{region!r}] must be a node count of 1 or more")
            nodes[str(region)] = count
        # Assumption: a multi-region Advanced cluster needs 3 nodes per region, as the vendor's
        # console asks; a single region may have fewer (the spec gives no minimum).
        if len(nodes) > 1 and min(nodes.values()) < 3:
            raise ApiError(400, "a multi-region cluster needs at least 3 nodes in each region")
        return nodes

    def _hardware(self, provider: str, spec: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
        machine = spec.get("machine_spec")
        hardware = dict(current)
        if machine is not None or not current:
            machine = machine or {}
            machine_type, vcpus = machine.get("machine_type"), machine.get("num_virtual_cpus")
            if machine_type and vcpus:
                raise ApiError(400, "machine_spec takes machine_type or num_virtual_cpus, not both")
            if vcpus is not None:
                if vcpus not in (2, 4, 8, 16, 32):
                    raise ApiError(400, "num_virtual_cpus must be 2, 4, 8, 16 or 32")
                machine_type = machine_type_for(provider, vcpus)
            elif machine_type:
                vcpus = vcpus_of(str(machine_type))
            else:
                raise ApiError(400, "machine_spec must give machine_type or num_virtual_cpus")
            hardware.update(machine_type=machine_type, num_virtual_cpus=vcpus, memory_gib=float(vcpus * 4))
        if "storage_gib" in spec or not current:
            storage = spec.get("storage_gib", 0)
            if storage < 0:
                raise ApiError(400, "storage_gib must not be negative")
            # Spec: "Zero indicates default to the lowest storage GiB available given machine specs."
            hardware["storage_gib"] = storage or 15
        if "disk_iops" in spec or not current:
            iops = spec.get("disk_iops", 0)
            if iops < 0:
                raise ApiError(400, "disk_iops must not be negative")
            # Spec: only AWS takes a user-specified IOPS; elsewhere the provider's default (0).
            hardware["disk_iops"] = iops if provider == "AWS" else 0
        return hardware

    # --- read, update, delete ------------------------------------------------------------------

    def _get(self, request: EmuRequest, body: Any) -> Any:
        return self._view(self._cluster(request))

    def _update(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        body = without_nulls(body)
        check_fields(body, _UPDATE_SCHEMA, "")
        now = self.clock.now()
        settle(cluster, now)
        state = state_of(cluster, now)
        # Assumption: like the vendor, changes wait for an exclusive operation to end; a cluster
        # that is not CREATED (creating, failed, locked or deleted) takes none.
        if state != "CREATED":
            raise ApiError(400, f"the cluster cannot be updated while it is {state}")
        plan = body.get("plan")
        if plan is not None and (plan == "ADVANCED") != (cluster.plan == "ADVANCED"):
            raise ApiError(400, f"a {cluster.plan} cluster cannot move to the {plan} plan through the API")
        if "serverless" in body and not cluster.serverless:
            raise ApiError(400, "serverless settings apply to BASIC and STANDARD clusters only")
        if "dedicated" in body and cluster.serverless:
            raise ApiError(400, "dedicated settings apply to ADVANCED clusters only")
        if "cockroach_version" in body and "upgrade_status" in body:
            raise ApiError(400, "only one of upgrade_status or cockroach_version is allowed in the request")
        # Check everything first, then change: a refused update changes nothing.
        changes: list[Callable[[], None]] = []
        if cluster.serverless:
            changes += self._serverless_update(cluster, body.get("serverless") or {}, plan)
        elif "dedicated" in body:
            changes += self._dedicated_update(cluster, body["dedicated"], now)
        if "cockroach_version" in body or "upgrade_status" in body:
            changes.append(self._version_change(cluster, body, now))
        if "labels" in body:
            labels = _labels(body["labels"])
            changes.append(lambda: setattr(cluster, "labels", labels))
        if "parent_id" in body:
            parent = str(body["parent_id"] or "root")
            changes.append(lambda: setattr(cluster, "parent_id", parent))
        if "delete_protection" in body:
            protection = body["delete_protection"]
            changes.append(lambda: setattr(cluster, "delete_protection", protection))
        for change in changes:
            change()
        cluster.updated = now
        return self._view(cluster)

    def _serverless_update(
        self, cluster: Cluster, spec: Mapping[str, Any], plan: str | None
    ) -> list[Callable[[], None]]:
        new_plan = plan or cluster.plan
        if "usage_limits" in spec:
            # Assumption: usage_limits is replaced as a whole (a proto message field); a Standard
            # cluster keeps its provisioned vCPUs when the new limits leave them out.
            limits = _usage_limits(spec["usage_limits"], "serverless.usage_limits")
        else:
            limits = dict(cluster.usage_limits)
        if new_plan == "STANDARD":
            limits.setdefault(
                "provisioned_virtual_cpus", cluster.usage_limits.get("provisioned_virtual_cpus", "2")
            )
        elif "provisioned_virtual_cpus" in limits:
            if "usage_limits" in spec:
                raise ApiError(400, "provisioned_virtual_cpus applies to STANDARD clusters, not BASIC")
            del limits["provisioned_virtual_cpus"]  # moving to Basic drops the provisioned capacity
        regions = cluster.regions
        if "regions" in spec:
            regions = self._serverless_regions(cluster.provider, new_plan, spec["regions"])
            removed = sorted(set(cluster.regions) - set(regions))
            if removed:
                raise ApiError(400, f"regions cannot be removed (would remove {', '.join(removed)})")
        primary = spec.get("primary_region", cluster.primary_region if len(regions) > 1 else None)
        primary = self._primary(regions, primary)
        upgrade_type = spec.get("upgrade_type") or cluster.upgrade_type

        def apply() -> None:
            cluster.plan, cluster.usage_limits = new_plan, limits
            cluster.regions, cluster.primary_region = regions, primary
            cluster.upgrade_type = upgrade_type

        return [apply]

    def _dedicated_update(
        self, cluster: Cluster, spec: Mapping[str, Any], now: float
    ) -> list[Callable[[], None]]:
        if spec.get("cmek_region_specs"):
            raise ApiError(400, "CMEK is not enabled for this cluster")
        nodes = cluster.region_nodes
        if spec.get("region_nodes") is not None:
            nodes = self._region_nodes(cluster.provider, spec["region_nodes"])
        hardware = cluster.hardware
        if spec.get("hardware") is not None:
            hardware = self._hardware(cluster.provider, spec["hardware"], cluster.hardware)
            if hardware["storage_gib"] < cluster.hardware["storage_gib"]:
                raise ApiError(400, "storage_gib cannot be decreased")
        if nodes == cluster.region_nodes and hardware == cluster.hardware:
            return []

        def apply() -> None:
            cluster.scale_from = dict(cluster.region_nodes)
            cluster.region_nodes, cluster.hardware = nodes, hardware
            cluster.locked_until = now + SCALE_SECONDS

        return [apply]

    def _version_change(self, cluster: Cluster, body: Mapping[str, Any], now: float) -> Callable[[], None]:
        # Assumption: Basic clusters are upgraded by the vendor, never through the API.
        if cluster.plan == "BASIC":
            raise ApiError(400, "BASIC clusters are upgraded automatically")
        if cluster.version_op is not None:
            raise ApiError(400, "a version change is already running")
        majors = list(VERSIONS)
        if "cockroach_version" in body:
            target = ".".join(str(body["cockroach_version"]).split(".")[:2])
            if target not in VERSIONS:
                raise ApiError(400, f"cockroach_version must be one of {', '.join(VERSIONS)}")
            if target == cluster.pending_from:
                op = "rollback"
            elif majors.index(target) == majors.index(cluster.version) + 1 and cluster.pending_from is None:
                op = "upgrade"
            else:
                raise ApiError(
                    400,
                    f"cannot change from {cluster.version} to {target}: upgrade one major version at a time",
                )
        else:
            status = body["upgrade_status"]
            if cluster.pending_from is None or status not in ("FINALIZED", "ROLLBACK_RUNNING"):
                raise ApiError(400, f"upgrade_status cannot be set to {status} now")
            if status == "FINALIZED":

                def finalize() -> None:
                    cluster.pending_from = None

                return finalize
            op, target = "rollback", cluster.pending_from

        def start() -> None:
            cluster.version_op, cluster.version_target = op, target
            cluster.version_done = now + UPGRADE_SECONDS

        return start

    def _delete(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        if cluster.deleted_at is None:
            if cluster.delete_protection == "ENABLED":
                # Assumption: refused as a failed precondition (400, as grpc-gateway maps it).
                raise ApiError(400, "the cluster has delete protection enabled; disable it first")
            cluster.deleted_at = self.clock.now()
            cluster.updated = cluster.deleted_at
        return self._view(cluster)

    # --- lists ---------------------------------------------------------------------------------

    def _list(self, request: EmuRequest, body: Any) -> Any:
        query = request.query
        show_inactive = query.get("show_inactive", "false").lower() == "true"
        sort_by = enum_param(query, "pagination.sort_by", ("NAME", "CREATED_AT", "DELETED_AT"), "NAME")
        now = self.clock.now()
        as_of = now
        if "pagination.as_of_time" in query:
            as_of = self._emulated(query["pagination.as_of_time"], "pagination.as_of_time")
        rows = []
        for cluster in self.clusters.values():
            if cluster.created > as_of:
                continue
            deleted = cluster.deleted_at is not None and cluster.deleted_at <= as_of
            failed = not deleted and cluster.fails and now >= cluster.ready_at
            if (deleted or failed) and not show_inactive:
                continue
            if sort_by == "NAME":
                key: list[Any] = [cluster.name, cluster.id]
            elif sort_by == "CREATED_AT":
                key = [cluster.created, cluster.id]
            else:
                # Spec: "Active clusters will be sorted by created_at."
                key = [cluster.deleted_at if deleted else cluster.created, cluster.id]
            rows.append((key, cluster))
        kinds = (TEXT, TEXT) if sort_by == "NAME" else (NUMBER, TEXT)
        page, pagination = keyset_page(rows, query, f"clusters:{sort_by}", kinds)
        return {"clusters": [self._view(c) for c in page], "pagination": pagination}

    def _nodes(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._cluster(request)
        now = self.clock.now()
        settle(cluster, now)
        state = state_of(cluster, now)
        wanted = request.query.get("region_name")
        rows = []
        # Serverless clusters have no nodes of their own to list (spec: node_count 0).
        for region, count in cluster.region_nodes.items():
            if wanted is not None and region != wanted:
                continue
            ready_before = (cluster.scale_from or {}).get(region, count)
            for index in range(count):
                live = state == "CREATED" or (state == "LOCKED" and index < ready_before)
                name = f"{cluster.name}-{region}-{index + 1}"
                node = {"name": name, "region_name": region, "status": "LIVE" if live else "NOT_READY"}
                rows.append(([name], node))
        page, pagination = keyset_page(rows, request.query, f"nodes:{cluster.id}", (TEXT,))
        return {"nodes": page, "pagination": pagination}

    def _available_regions(self, request: EmuRequest, body: Any) -> Any:
        query = request.query
        provider = enum_param(query, "provider", tuple(REGIONS), None)
        serverless_only = query.get("serverless", "false").lower() == "true"
        rows = []
        for name, regions in self.regions.items():
            if provider is not None and name != provider:
                continue
            for region, location, serverless, distance in regions:
                if serverless_only and not serverless:
                    continue
                item = {
                    "name": region,
                    "location": location,
                    "provider": name,
                    "serverless": serverless,
                    "distance": distance,
                }
                rows.append(([distance, name, region], item))  # nearest first
        page, pagination = keyset_page(rows, query, "regions", (NUMBER, TEXT, TEXT))
        return {"regions": page, "pagination": pagination}


_LIMITS: dict[str, Any] = dict.fromkeys(_LIMIT_KEYS, "int64")
_MACHINE = {"machine_type": "str", "num_virtual_cpus": "int"}
_HARDWARE = {"machine_spec": _MACHINE, "storage_gib": "int", "disk_iops": "int"}
_CREATE_SCHEMA: dict[str, Any] = {
    "name!": "str",
    "provider!": "str",
    "spec!": {
        "serverless": {
            "regions!": "strs",
            "primary_region": "str",
            "upgrade_type": "str",
            "usage_limits": _LIMITS,
            "with_empty_ip_allowlist": "bool",
        },
        "dedicated": {
            "region_nodes!": "nodes",
            "hardware!": {"machine_spec!": _MACHINE, "storage_gib!": "int", "disk_iops": "int"},
            "cockroach_version": "str",
            "cidr_range": "str",
            "network_visibility": "str",
            "restrict_egress_traffic": "bool",
            "supports_cluster_virtualization": "bool",
        },
        "customer_cloud_account": {
            "aws": {"arn!": "str"},
            "azure": {"subscription_id!": "str", "tenant_id!": "str"},
            "gcp": {"service_account_email!": "str"},
        },
        "delete_protection": "str",
        "labels": "labels",
        "parent_id": "str",
        "plan": "str",
    },
}
_UPDATE_SCHEMA: dict[str, Any] = {
    "cockroach_version": "str",
    "dedicated": {"cmek_region_specs": "list", "hardware": _HARDWARE, "region_nodes": "nodes"},
    "delete_protection": "str",
    "labels": "labels",
    "parent_id": "str",
    "plan": "str",
    "serverless": {
        "primary_region": "str",
        "regions": "strs",
        "upgrade_type": "str",
        "usage_limits": _LIMITS,
    },
    "upgrade_status": "str",
}


def _usage_limits(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    limits = {}
    for key in _LIMIT_KEYS:
        raw = value.get(key)
        if raw is None:
            continue
        text = str(raw).strip()
        if not text.isdigit() or int(text) == 0:
            # Spec: "It is an error for this to be zero." int64 values travel as decimal strings.
            raise ApiError(400, f"{where}.{key} must be a whole number of 1 or more, got {raw!r}")
        limits[key] = str(int(text))
    return limits


def _labels(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ApiError(400, "labels must map strings to strings")
    return dict(value)
