"""CockroachDB Cloud clusters: list, get, create, update, delete, nodes, regions and the waits."""

from __future__ import annotations

import builtins
import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_one
from .._wait import ClusterState, Progress, wait_flow
from . import _bodies
from ._common import VENDOR, as_of, checked_cluster_id, choice, given, keyset_listing
from ._models import Cluster, ConnectionString, Node, Region, UsageLimits

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = ["Clusters"]

_UNSET: Any = object()

R = TypeVar("R")

_OP = "clusters.cockroach_cloud_"


class Clusters(Resource[H]):
    """Clusters of the organization the API key belongs to. Reached as `CockroachCloud().clusters`
    (and `AsyncCockroachCloud().clusters`, whose verbs are awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    # --- reading ------------------------------------------------------------------------------

    @listing
    def list(
        self,
        show_inactive: bool = False,
        *,
        page_size: int | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        as_of_time: datetime.datetime | None = None,
    ) -> Listing[Cluster]:
        """The organization's clusters, fetched a page at a time as they are iterated.

        Arguments are checked now; the first request is sent when the first item is taken.

        Args:
            show_inactive: also list clusters that were deleted or failed to be created (the API
                shows them only to keys with organization-wide read permission).
            page_size: clusters per request (`pagination.limit`); the API's default when None.
            sort_by: `NAME` (the API's default), `CREATED_AT` or `DELETED_AT`.
            sort_order: `ASC` (default) or `DESC`.
            as_of_time: list the clusters as they were at this time (`pagination.as_of_time`).

        Returns:
            A `Pager` of `Cluster`; its `pages()` gives the pages instead.

        Raises:
            ValidationError: an argument is invalid (raised at once).
            APIStatusError: the API refused a page (raised while iterating).
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_list_clusters_pagination_sort_by import (
            CockroachCloudListClustersPaginationSortBy as SortBy,
        )

        if not isinstance(show_inactive, bool):
            raise ValidationError("show_inactive must be True or False", field="show_inactive")
        arguments = given(
            show_inactive=show_inactive,
            pagination_as_of_time=as_of(as_of_time),
            pagination_sort_by=choice(SortBy, sort_by, "sort_by", "NAME, CREATED_AT, DELETED_AT"),
        )

        return keyset_listing(
            self._client,
            _OP + "list_clusters",
            "clusters",
            Cluster.from_api,
            arguments,
            what="clusters",
            page_size=page_size,
            sort_order=sort_order,
        )

    @call
    def get_by_name(self, name: str) -> Flow[Cluster]:
        """The cluster called `name` (the organization's clusters are read, every page; names are unique in
        an organization), so that a script adopts a cluster that exists instead of making a second one.

        Raises:
            ValidationError: the name is empty; nothing was sent.
            NotFoundError: no cluster has that name.
            AmbiguousNameError: several have; its `ids` lists them.
        """
        return (yield from Clusters.list.build(self).named(name))

    @call
    def get(self, cluster_id: str | Cluster) -> Flow[Cluster]:
        """One cluster.

        An answer that leaves out the cluster's id still reads, with the id asked for (a missing
        "required" field never fails a call, as with every vendor).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: no such cluster (or it was deleted).
            APIResponseError: the answer is not a JSON object.
        """
        cid = checked_cluster_id(cluster_id)
        data = yield from self._client._call_flow(_OP + "get_cluster", Expect.OBJECT, cluster_id=cid)
        return read_one(Cluster.from_api, data, what="a cluster", vendor=VENDOR, asked_id=cid)

    @listing
    def nodes(
        self, cluster_id: str | Cluster, *, region: str | None = None, page_size: int | None = None
    ) -> Listing[Node]:
        """A cluster's nodes and their status, fetched a page at a time as they are iterated.

        Args:
            cluster_id: the cluster.
            region: only the nodes of this region.
            page_size: nodes per request.
        """
        arguments = given(
            cluster_id=checked_cluster_id(cluster_id),
            region_name=region,
        )

        what = f"nodes of cluster {arguments['cluster_id']}"
        return keyset_listing(
            self._client,
            _OP + "list_cluster_nodes",
            "nodes",
            Node.from_api,
            arguments,
            what=what,
            page_size=page_size,
        )

    @listing
    def available_regions(
        self, provider: str | None = None, *, serverless: bool = False, page_size: int | None = None
    ) -> Listing[Region]:
        """Regions where clusters can be created, nearest first, fetched as they are iterated.

        Args:
            provider: `GCP`, `AWS` or `AZURE`; every provider's when None.
            serverless: only regions that take Basic and Standard clusters.
            page_size: regions per request.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_list_available_regions_provider import (
            CockroachCloudListAvailableRegionsProvider as Provider,
        )

        if not isinstance(serverless, bool):
            raise ValidationError("serverless must be True or False", field="serverless")
        arguments = given(
            provider=None if provider is None else Provider(_bodies.check_provider(provider)),
            serverless=serverless,
        )

        return keyset_listing(
            self._client,
            _OP + "list_available_regions",
            "regions",
            Region.from_api,
            arguments,
            what="available regions",
            page_size=page_size,
        )

    # --- changing -----------------------------------------------------------------------------

    @call
    def create(
        self,
        name: str,
        provider: str,
        *,
        serverless: Mapping[str, Any] | None = None,
        dedicated: Mapping[str, Any] | None = None,
        standard: Mapping[str, Any] | None = None,
        labels: Mapping[str, str] | None = None,
        parent_id: str | None = None,
        delete_protection: bool | None = None,
        spend_limit: object = _UNSET,
    ) -> Flow[Cluster]:
        """Create a cluster (`POST /api/v1/clusters`). Give exactly one of the plan arguments.

        Everything is checked before anything is sent. The request is repeated only after a 429
        (nothing was created), never after a server error or a broken connection: a repeated create
        could make a second cluster. Wait for it with `wait_until_ready(cluster.id)`.

        Args:
            name: 6-20 lower-case letters, digits and dashes, not starting or ending with a dash.
            provider: `GCP`, `AWS` or `AZURE`.
            serverless: a Basic cluster, in the spec's `ServerlessClusterCreateSpecification`
                names: `{"regions": ["us-central1"], "usage_limits": {...}, "primary_region": ...}`.
            standard: a Standard cluster, the same fields as `serverless` (sent with `plan:
                STANDARD`), usually with `usage_limits={"provisioned_virtual_cpus": 2}`.
            dedicated: an Advanced cluster (`DedicatedClusterCreateSpecification`):
                `{"region_nodes": {"us-east-1": 3}, "hardware": {"machine_spec":
                {"num_virtual_cpus": 4}, "storage_gib": 15}}`.
            labels: key-value labels.
            parent_id: the folder to create the cluster in.
            delete_protection: refuse deletion until it is turned off again.
            spend_limit: gone from the API; giving it raises `ValidationError` naming `usage_limits`.

        Returns:
            The new cluster, usually in state `CREATING`.

        Raises:
            ValidationError: an argument is invalid, or spend_limit was given; nothing was sent.
            APIStatusError: the API refused (PermissionDeniedError names the permission needed).
            APIResponseError: the answer lacks the new cluster's id (nothing else names it).
        """
        if spend_limit is not _UNSET:
            raise _bodies.spend_limit_error(
                'clusters.create_serverless(name, usage_limits={"request_unit_limit": ...})'
            )
        body = _bodies.create_body(
            name,
            provider,
            serverless=serverless,
            dedicated=dedicated,
            standard=standard,
            labels=labels,
            parent_id=parent_id,
            delete_protection=delete_protection,
        )
        from dbcloud_cockroach_client.models.create_cluster_request import CreateClusterRequest

        request = _bodies.to_model(CreateClusterRequest, body, "the cluster specification")
        data = yield from self._client._call_flow(_OP + "create_cluster", Expect.OBJECT, body=request)
        return read_one(Cluster.from_api, data, what="a new cluster", vendor=VENDOR)

    @call
    def create_serverless(
        self,
        name: str,
        provider: str = "GCP",
        regions: Sequence[str] = ("us-central1",),
        usage_limits: Mapping[str, int | str] | UsageLimits | None = None,
        *,
        primary_region: str | None = None,
        spend_limit: object = _UNSET,
    ) -> Flow[Cluster]:
        """Create a Basic (serverless) cluster: the common case in one call.

        `create_serverless("notorious-moose")` is the vendor guide's example: a cluster on GCP in
        us-central1 with the plan's default limits.

        Args:
            name: the cluster's name (see `create`).
            provider: `GCP`, `AWS` or `AZURE`.
            regions: region codes of the provider; more than one needs `primary_region`.
            usage_limits: caps, e.g. `{"request_unit_limit": 50_000_000, "storage_mib_limit": 10_240}`.
            primary_region: the primary of several regions.
            spend_limit: gone from the API; giving it raises `ValidationError` naming `usage_limits`.

        Raises:
            ValidationError: an argument is invalid, or spend_limit was given; nothing was sent.
        """
        if spend_limit is not _UNSET:
            raise _bodies.spend_limit_error(
                f"clusters.create_serverless({name!r}, usage_limits={{'request_unit_limit': ...}})"
            )
        spec: dict[str, Any] = {"regions": regions if isinstance(regions, str) else builtins.list(regions)}
        if usage_limits is not None:
            spec["usage_limits"] = usage_limits
        if primary_region is not None:
            spec["primary_region"] = primary_region
        return (yield from Clusters.create.flow(self, name, provider, serverless=spec))

    @call
    def update(
        self,
        cluster_id: str | Cluster,
        *,
        usage_limits: Mapping[str, int | str] | UsageLimits | None = None,
        serverless: Mapping[str, Any] | None = None,
        dedicated: Mapping[str, Any] | None = None,
        plan: str | None = None,
        cockroach_version: str | None = None,
        upgrade_status: str | None = None,
        labels: Mapping[str, str] | None = None,
        parent_id: str | None = None,
        delete_protection: bool | None = None,
        spend_limit: object = _UNSET,
    ) -> Flow[Cluster]:
        """Change a cluster (`PATCH /api/v1/clusters/{cluster_id}`); only the given fields are sent.

        Args:
            cluster_id: the cluster.
            usage_limits: new caps of a Basic or Standard cluster (shorthand for
                `serverless={"usage_limits": ...}`): `request_unit_limit`, `storage_mib_limit`,
                `provisioned_virtual_cpus`.
            serverless: `ServerlessClusterUpdateSpecification` fields (regions, primary_region,
                upgrade_type, usage_limits).
            dedicated: `DedicatedClusterUpdateSpecification` fields (region_nodes, hardware, ...).
            plan: move to `BASIC`, `STANDARD` or `ADVANCED`.
            cockroach_version: start an upgrade (or a rollback) to this major version.
            upgrade_status: e.g. `FINALIZED` or `ROLLBACK_RUNNING`; not with `cockroach_version`.
            labels: the complete new set of labels.
            parent_id: move the cluster to this folder.
            delete_protection: turn deletion protection on or off.
            spend_limit: gone from the API; giving it raises `ValidationError` naming `usage_limits`.

        Raises:
            ValidationError: nothing to change, an invalid argument, or spend_limit; nothing was sent.
            APIStatusError: the API refused.
        """
        cid = checked_cluster_id(cluster_id)
        if spend_limit is not _UNSET:
            raise _bodies.spend_limit_error(
                f"clusters.update({cid!r}, usage_limits={{'request_unit_limit': ...}})"
            )
        body = _bodies.update_body(
            usage_limits=usage_limits,
            serverless=serverless,
            dedicated=dedicated,
            plan=plan,
            cockroach_version=cockroach_version,
            upgrade_status=upgrade_status,
            labels=labels,
            parent_id=parent_id,
            delete_protection=delete_protection,
        )
        from dbcloud_cockroach_client.models.update_cluster_specification import UpdateClusterSpecification

        request = _bodies.to_model(UpdateClusterSpecification, body, "the cluster update")
        data = yield from self._client._call_flow(
            _OP + "update_cluster", Expect.OBJECT, cluster_id=cid, body=request
        )
        # As for get: an answer without the id still names the cluster that was asked for.
        return read_one(Cluster.from_api, data, what="an updated cluster", vendor=VENDOR, asked_id=cid)

    def set_spend_limit(self, cluster_id: str | Cluster, spend_limit: int) -> NoReturn:
        """Gone from the API: always raises `ValidationError`, naming the call to use instead.

        The vendor's guide still documents `PUT /api/v1/clusters/{cluster_id}/spend-limit`; API
        version 2024-09-16 removed it in favour of `usage_limits`. Use
        `clusters.update(cluster_id, usage_limits={"request_unit_limit": ..., "storage_mib_limit": ...})`.
        """
        shown = cluster_id.id if isinstance(cluster_id, Cluster) else cluster_id
        limits = "usage_limits={'request_unit_limit': ..., 'storage_mib_limit': ...}"
        raise _bodies.spend_limit_error(f"clusters.update({shown!r}, {limits})")

    @call
    def delete(self, cluster_id: str | Cluster) -> Flow[Cluster | None]:
        """Delete a cluster and all its data. It is not gone at once: see `wait_until_deleted`.

        Returns:
            The cluster as the API last described it, or None when it answered without a body.

        Raises:
            NotFoundError: no such cluster.
            PermissionDeniedError: the key lacks the DELETE permission (or delete protection is on).
        """
        cid = checked_cluster_id(cluster_id)
        data = yield from self._client._call_flow(
            _OP + "delete_cluster", Expect.OBJECT_OR_NOTHING, cluster_id=cid
        )
        if data is None:
            return None
        # As for get: an answer without the id still names the cluster that was asked for.
        return read_one(Cluster.from_api, data, what="a deleted cluster", vendor=VENDOR, asked_id=cid)

    # --- waiting ------------------------------------------------------------------------------

    @call
    def wait_until_ready(
        self,
        cluster_id: str | Cluster,
        *,
        timeout: float = 3600,
        interval: float = 10.0,
        max_interval: float = 60.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[Cluster]:
        """Poll until the cluster's state is `CREATED`.

        Args:
            cluster_id: the cluster.
            timeout: seconds before giving up.
            interval, max_interval: first and longest pause between polls, in seconds.
            on_progress: called with a `Progress` after every poll.

        Returns:
            The ready cluster.

        Raises:
            ClusterFailed: the state became `CREATION_FAILED` (or `DELETED`).
            WaitTimeout: not ready within `timeout` seconds.
        """
        cid = checked_cluster_id(cluster_id)
        return (
            yield from wait_flow(
                lambda: Clusters.get.flow(self, cid),
                ready=lambda c: c.state is ClusterState.RUNNING,
                failed=_failure,
                describe=Cluster.describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"CockroachDB cluster {cid}",
            )
        )

    @call
    def wait_until_deleted(
        self,
        cluster_id: str | Cluster,
        *,
        timeout: float = 1800,
        interval: float = 10.0,
        max_interval: float = 60.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[None]:
        """Poll until the cluster's state is `DELETED` or the API no longer knows it (404).

        Raises:
            WaitTimeout: still there after `timeout` seconds.
        """
        cid = checked_cluster_id(cluster_id)
        yield from wait_flow(
            lambda: Clusters.get.flow(self, cid),
            ready=lambda c: c.state is ClusterState.DELETED,
            gone_ok=True,
            describe=Cluster.describe,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            clock=self._client._clock,
            on_progress=on_progress,
            what=f"CockroachDB cluster {cid}",
        )

    # --- connecting -----------------------------------------------------------------------------

    @call
    def connection_string(
        self,
        cluster_id: str | Cluster,
        *,
        database: str | None = None,
        sql_user: str | None = None,
        os: str | None = None,
    ) -> Flow[ConnectionString]:
        """The URL and parameters to connect a SQL client (`GET .../connection-string`).

        Never holds a password: the API sends none (put the SQL user's password in yourself, or
        let the client prompt for it).

        Args:
            cluster_id: the cluster.
            database: the database the URL names (default `defaultdb`, sent as the provider does).
            sql_user: the SQL user the URL names (none when None).
            os: `MAC`, `LINUX` or `WINDOWS`, for the path of the CA certificate of an Advanced
                cluster (default: this machine's, as the provider does).

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            NotFoundError: no such cluster.
        """
        from ._connection import connection_string_flow

        return (
            yield from connection_string_flow(
                self._client, cluster_id, database=database, sql_user=sql_user, os=os
            )
        )


def _failure(cluster: Cluster) -> str | None:
    if cluster.state is ClusterState.FAILED:
        return f"its creation failed (state {cluster.vendor_state})"
    if cluster.state is ClusterState.DELETED:
        return "it was deleted"
    return None
