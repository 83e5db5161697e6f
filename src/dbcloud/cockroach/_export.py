"""CockroachDB Cloud log export and metric export (Datadog, CloudWatch, Prometheus) of a cluster.

The requests are those of the vendor's Terraform provider: `cockroach_log_export_config`
(`POST /api/v1/clusters/{id}/logexport` with `{type, log_name, auth_principal, groups?, redact?,
region?, omitted_channels?, aws_external_id?}`, `GET` and `DELETE` of the same path) and
`cockroach_metric_export_{datadog,cloudwatch,prometheus}_config` (`POST .../metricexport/datadog`
with `{site, api_key}`, `.../cloudwatch` with `{role_arn, target_region?, log_group_name?,
external_id?}`, `.../prometheus` with no body; `GET` and `DELETE` of each). Enabling starts a
deployment: the provider then polls until the status leaves ENABLING, which `wait_until_enabled`
does here. A cluster without a configuration answers 404.

Secrets (the Datadog API key, the Azure shared key) travel in the body only; they are masked in
errors and logs by their field names, and in the records' `raw`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Resource, call
from .._response import Expect
from .._results import read_one
from .._secret import Secret
from .._wait import Progress, wait_flow
from ._common import VENDOR, checked_cluster_id, choice, text_field
from ._models import Cluster, LogExport, MetricExport

if TYPE_CHECKING:
    from ._client import _Cockroach

__all__ = [
    "CloudWatchMetricExport",
    "DatadogMetricExport",
    "LogExports",
    "MetricExports",
    "PrometheusMetricExport",
]

_LOG_FAILED = {"ENABLE_FAILED", "DISABLE_FAILED", "CREDENTIALS_ERROR"}
_METRIC_FAILED = {"ERROR"}
_LOG_TYPES = "AWS_CLOUDWATCH, GCP_CLOUD_LOGGING, AZURE_LOG_ANALYTICS"
_LEVELS = "UNSPECIFIED, WARNING, ERROR, FATAL"
_SITES = "US1, US3, US5, US1_GOV, EU1"
# An IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<path and name>.
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")


def _secret_text(value: Any, field: str) -> str:
    """A secret given as text or a `Secret`, checked; its value is never part of a message."""
    found = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(found, str):
        raise ValidationError(f"{field} must be a string or a dbcloud.Secret", field=field)
    if not found.strip() or "\x00" in found or any(c.isspace() for c in found.strip()):
        raise ValidationError(f"{field} must be a key without blanks", field=field)
    return found


def _names(value: Any, field: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(f"{field} must be a list of names", field=field)
    return [text_field(item, field) for item in value]


def _groups(groups: Any) -> list[dict[str, Any]]:
    from dbcloud_cockroach_client.models.log_level_type import LogLevelType

    if isinstance(groups, str | Mapping) or not isinstance(groups, Sequence):
        raise ValidationError("groups must be a list of {log_name, channels, ...} objects", field="groups")
    found: list[dict[str, Any]] = []
    for number, group in enumerate(groups):
        if not isinstance(group, Mapping):
            raise ValidationError(f"groups[{number}] must be an object", field="groups")
        unknown = set(group) - {"log_name", "channels", "min_level", "redact"}
        if unknown:
            raise ValidationError(f"groups[{number}] has unknown fields {sorted(unknown)}", field="groups")
        if "log_name" not in group or "channels" not in group:
            raise ValidationError(f"groups[{number}] needs log_name and channels", field="groups")
        item: dict[str, Any] = {
            "log_name": text_field(group["log_name"], "groups"),
            "channels": _names(group["channels"], "groups"),
        }
        if not item["channels"]:
            raise ValidationError(f"groups[{number}].channels must name a channel", field="groups")
        if group.get("min_level") is not None:
            item["min_level"] = choice(LogLevelType, group["min_level"], "groups", _LEVELS).value
        if group.get("redact") is not None:
            if not isinstance(group["redact"], bool):
                raise ValidationError(f"groups[{number}].redact must be True or False", field="groups")
            item["redact"] = group["redact"]
        found.append(item)
    return found


def _optional_text(value: Any, field: str) -> str | None:
    return None if value is None else text_field(value, field)


class _Export(Resource[H]):
    """What every export resource does alike: send, read, and wait for ENABLED."""

    _client: _Cockroach
    _PATH_WHAT = ""
    _FAILED: frozenset[str] = frozenset()

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    def _read(self, data: Any, cid: str) -> Any:
        raise NotImplementedError

    def _send(self, operation: str, cluster_id: str | Cluster, expect: Expect, **arguments: Any) -> Flow[Any]:
        cid = checked_cluster_id(cluster_id)
        data = yield from self._client._call_flow(operation, expect, cluster_id=cid, **arguments)
        return self._read(data, cid)

    def _wait(
        self,
        get: Callable[[], Flow[Any]],
        cid: str,
        *,
        timeout: float,
        interval: float,
        max_interval: float,
        on_progress: Callable[[Progress], None] | None,
    ) -> Flow[Any]:
        failed = self._FAILED

        def failure(found: Any) -> str | None:
            if found.status not in failed:
                return None
            return f"status {found.status}" + (f": {found.user_message}" if found.user_message else "")

        return (
            yield from wait_flow(
                get,
                ready=lambda found: found.enabled,
                failed=failure,
                describe=lambda found: found.status or "UNKNOWN",
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"{self._PATH_WHAT} of CockroachDB cluster {cid}",
            )
        )


class LogExports(_Export[H]):
    """A cluster's log export. Reached as `CockroachCloud().log_export` (and
    `AsyncCockroachCloud().log_export`, awaited)."""

    _PATH_WHAT = "log export"
    _FAILED = frozenset(_LOG_FAILED)
    _OP = "log_export.cockroach_cloud_"

    def _read(self, data: Any, cid: str) -> LogExport:
        return read_one(LogExport.from_api, data, what="a log export", vendor=VENDOR, asked_id=cid)

    def _log(self, operation: str, cluster_id: str | Cluster, **arguments: Any) -> Flow[LogExport]:
        found: LogExport = yield from self._send(self._OP + operation, cluster_id, Expect.OBJECT, **arguments)
        return found

    @call
    def get(self, cluster_id: str | Cluster) -> Flow[LogExport]:
        """The cluster's log export configuration and status (`GET .../logexport`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: the cluster has no log export (or there is no such cluster).
        """
        return (yield from self._log("get_log_export_info", cluster_id))

    @call
    def enable(
        self,
        cluster_id: str | Cluster,
        *,
        type: str,
        log_name: str,
        auth_principal: str,
        groups: Sequence[Mapping[str, Any]] | None = None,
        omitted_channels: Sequence[str] | None = None,
        redact: bool | None = None,
        region: str | None = None,
        aws_external_id: str | None = None,
        azure_shared_key: str | Secret | None = None,
    ) -> Flow[LogExport]:
        """Create or replace the cluster's log export (`POST .../logexport`); the deployment then
        runs (status `ENABLING`): see `wait_until_enabled`. Repeated only after a 429.

        Args:
            type: `AWS_CLOUDWATCH` (AWS clusters), `GCP_CLOUD_LOGGING` (GCP clusters) or
                `AZURE_LOG_ANALYTICS` (Azure clusters).
            log_name: the name the logs get in the sink.
            auth_principal: the IAM role ARN (CloudWatch), the GCP project id (Cloud Logging) or
                the workspace id (Azure Log Analytics).
            groups: channel groups, the spec's `LogExportGroup`s: `{"log_name": "devops",
                "channels": ["OPS", "HEALTH"], "min_level": "WARNING", "redact": True}`.
            omitted_channels: channels not exported.
            redact: redact logs by default.
            region: send every log to this region instead of its own.
            aws_external_id: the external id for assuming the role (Advanced clusters on AWS).
            azure_shared_key: the Log Analytics shared key (a secret: body only, masked everywhere).

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            BadRequestError: the type does not fit the cluster's cloud, or the API refused.
            NotFoundError: no such cluster.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_enable_log_export_enable_log_export_request import (  # noqa: E501
            CockroachCloudEnableLogExportEnableLogExportRequest as Request,
        )
        from dbcloud_cockroach_client.models.log_export_type import LogExportType

        from ._bodies import to_model

        kind = choice(LogExportType, type, "type", _LOG_TYPES)
        if kind is None:
            raise ValidationError(f"type must be one of {_LOG_TYPES}", field="type")
        body: dict[str, Any] = {
            "type": kind.value,
            "log_name": text_field(log_name, "log_name"),
            "auth_principal": text_field(auth_principal, "auth_principal"),
        }
        if groups is not None:
            body["groups"] = _groups(groups)
        if omitted_channels is not None:
            body["omitted_channels"] = _names(omitted_channels, "omitted_channels")
        if redact is not None:
            if not isinstance(redact, bool):
                raise ValidationError("redact must be True or False", field="redact")
            body["redact"] = redact
        if (found := _optional_text(region, "region")) is not None:
            body["region"] = found
        if (found := _optional_text(aws_external_id, "aws_external_id")) is not None:
            body["aws_external_id"] = found
        if azure_shared_key is not None:
            if kind.value != "AZURE_LOG_ANALYTICS":
                raise ValidationError(
                    "azure_shared_key is for AZURE_LOG_ANALYTICS only", field="azure_shared_key"
                )
            body["azure_shared_key"] = _secret_text(azure_shared_key, "azure_shared_key")
        request = to_model(Request, body, "the log export")
        return (yield from self._log("enable_log_export", cluster_id, body=request))

    @call
    def disable(self, cluster_id: str | Cluster) -> Flow[LogExport]:
        """Remove the cluster's log export (`DELETE .../logexport`); retried like any DELETE.

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: the cluster has no log export.
        """
        return (yield from self._log("delete_log_export", cluster_id))

    @call
    def wait_until_enabled(
        self,
        cluster_id: str | Cluster,
        *,
        timeout: float = 1800,
        interval: float = 10.0,
        max_interval: float = 60.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[LogExport]:
        """Poll until the log export's status is `ENABLED`.

        Raises:
            ClusterFailed: the status became `ENABLE_FAILED`, `DISABLE_FAILED` or
                `CREDENTIALS_ERROR` (the message carries the API's `user_message`).
            WaitTimeout: not enabled within `timeout` seconds.
            NotFoundError: the cluster has no log export.
        """
        cid = checked_cluster_id(cluster_id)
        found: LogExport = yield from self._wait(
            lambda: LogExports.get.flow(self, cid),
            cid,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            on_progress=on_progress,
        )
        return found


class _MetricExport(_Export[H]):
    _KIND = ""
    _FAILED = frozenset(_METRIC_FAILED)

    def _read(self, data: Any, cid: str) -> MetricExport:
        found: MetricExport = read_one(
            MetricExport.reader(self._KIND),
            data,
            what=f"a {self._KIND} metric export",
            vendor=VENDOR,
            asked_id=cid,
        )
        return found

    def _metric(self, verb: str, cluster_id: str | Cluster, **arguments: Any) -> Flow[MetricExport]:
        found: MetricExport = yield from self._send(
            self._operation(verb), cluster_id, Expect.OBJECT, **arguments
        )
        return found

    def _operation(self, verb: str) -> str:
        names = {"datadog": "datadog", "cloudwatch": "cloud_watch", "prometheus": "prometheus"}
        name = names[self._KIND]
        if verb == "get":
            return f"metric_export.cockroach_cloud_get_{name}_metric_export_info"
        return f"metric_export.cockroach_cloud_{verb}_{name}_metric_export"

    @call
    def get(self, cluster_id: str | Cluster) -> Flow[MetricExport]:
        """The export's configuration and status (`GET .../metricexport/<kind>`).

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: the cluster has no such export (or there is no such cluster).
        """
        return (yield from self._metric("get", cluster_id))

    @call
    def disable(self, cluster_id: str | Cluster) -> Flow[MetricExport]:
        """Remove the export (`DELETE .../metricexport/<kind>`); the answer's status is usually
        `DISABLING`. Retried like any DELETE.

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            NotFoundError: the cluster has no such export.
        """
        return (yield from self._metric("delete", cluster_id))

    @call
    def wait_until_enabled(
        self,
        cluster_id: str | Cluster,
        *,
        timeout: float = 600,
        interval: float = 10.0,
        max_interval: float = 60.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[MetricExport]:
        """Poll until the export's status is `ENABLED` (the provider waits up to 10 minutes).

        Raises:
            ClusterFailed: the status became `ERROR` (the message carries the API's `user_message`).
            WaitTimeout: not enabled within `timeout` seconds.
            NotFoundError: the cluster has no such export.
        """
        cid = checked_cluster_id(cluster_id)
        found: MetricExport = yield from self._wait(
            lambda: _MetricExport.get.flow(self, cid),
            cid,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            on_progress=on_progress,
        )
        return found


class DatadogMetricExport(_MetricExport[H]):
    """Metric export to Datadog (Advanced clusters): `get`, `enable`, `disable`, `wait_until_enabled`."""

    _KIND = "datadog"
    _PATH_WHAT = "Datadog metric export"

    @call
    def enable(self, cluster_id: str | Cluster, *, site: str, api_key: str | Secret) -> Flow[MetricExport]:
        """Create or replace the export (`POST .../metricexport/datadog` with `{site, api_key}`).

        The API key is sent in the body only and masked in errors, logs and records (the API
        answers with its last four characters). Repeated only after a 429.

        Args:
            site: `US1`, `US3`, `US5`, `US1_GOV` or `EU1`.
            api_key: a Datadog API key, as text or a `dbcloud.Secret`.

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            BadRequestError: the cluster is not an Advanced one, or the API refused.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_enable_datadog_metric_export_enable_datadog_metric_export_request import (  # noqa: E501
            CockroachCloudEnableDatadogMetricExportEnableDatadogMetricExportRequest as Request,
        )
        from dbcloud_cockroach_client.models.datadog_site_type import DatadogSiteType

        found = choice(DatadogSiteType, site, "site", _SITES)
        if found is None:
            raise ValidationError(f"site must be one of {_SITES}", field="site")
        body = Request(site=found, api_key=_secret_text(api_key, "api_key"))
        return (yield from self._metric("enable", cluster_id, body=body))


class CloudWatchMetricExport(_MetricExport[H]):
    """Metric export to Amazon CloudWatch (Standard and Advanced clusters on AWS)."""

    _KIND = "cloudwatch"
    _PATH_WHAT = "CloudWatch metric export"

    @call
    def enable(
        self,
        cluster_id: str | Cluster,
        *,
        role_arn: str,
        target_region: str | None = None,
        log_group_name: str | None = None,
        external_id: str | None = None,
    ) -> Flow[MetricExport]:
        """Create or replace the export (`POST .../metricexport/cloudwatch`). Repeated only after a 429.

        Args:
            role_arn: the IAM role the cluster assumes to write metrics
                (`arn:aws:iam::<account>:role/<name>`).
            target_region: the AWS region to export to (default: the cluster's).
            log_group_name: the log group's name.
            external_id: the external id for assuming the role (Advanced clusters only).

        Raises:
            ValidationError: an argument is invalid; nothing was sent.
            BadRequestError: the cluster is not on AWS or is a Basic one, or the API refused.
        """
        from dbcloud_cockroach_client.models.cockroach_cloud_enable_cloud_watch_metric_export_enable_cloud_watch_metric_export_request import (  # noqa: E501
            CockroachCloudEnableCloudWatchMetricExportEnableCloudWatchMetricExportRequest as Request,
        )

        arn = text_field(role_arn, "role_arn")
        if not _ROLE_ARN.fullmatch(arn):
            raise ValidationError(
                f"role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got {arn!r}",
                field="role_arn",
            )
        fields: dict[str, Any] = {"role_arn": arn}
        for name, value in (
            ("target_region", target_region),
            ("log_group_name", log_group_name),
            ("external_id", external_id),
        ):
            if (found := _optional_text(value, name)) is not None:
                fields[name] = found
        body = Request(**fields)
        return (yield from self._metric("enable", cluster_id, body=body))


class PrometheusMetricExport(_MetricExport[H]):
    """A Prometheus scrape endpoint for the cluster's metrics (Advanced clusters on AWS and GCP)."""

    _KIND = "prometheus"
    _PATH_WHAT = "Prometheus metric export"

    @call
    def enable(self, cluster_id: str | Cluster) -> Flow[MetricExport]:
        """Turn the endpoint on (`POST .../metricexport/prometheus`, no body); its `targets` name
        the scrape URLs by region once it is `ENABLED`. Repeated only after a 429.

        Raises:
            ValidationError: the id is malformed; nothing was sent.
            BadRequestError: the cluster is not an Advanced one on AWS or GCP, or the API refused.
        """
        return (yield from self._metric("enable", cluster_id))


class MetricExports(Resource[H]):
    """A cluster's metric exports, one resource per destination: `datadog`, `cloudwatch` and
    `prometheus`, each with `get`, `enable`, `disable` and `wait_until_enabled`. Reached as
    `CockroachCloud().metric_export` (and on `AsyncCockroachCloud`, awaited)."""

    _client: _Cockroach

    def __init__(self, client: _Cockroach) -> None:
        self._client = client

    @property
    def datadog(self) -> DatadogMetricExport[H]:
        """Metric export to Datadog."""
        return DatadogMetricExport(self._client)

    @property
    def cloudwatch(self) -> CloudWatchMetricExport[H]:
        """Metric export to Amazon CloudWatch."""
        return CloudWatchMetricExport(self._client)

    @property
    def prometheus(self) -> PrometheusMetricExport[H]:
        """A Prometheus scrape endpoint."""
        return PrometheusMetricExport(self._client)
